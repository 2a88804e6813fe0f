// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target: every parser of netlink replies and notifications that
 * mvpnd and mvpnctl run on what the kernel sends them.
 *
 * The input is one receive buffer (a batch of netlink messages, as recv()
 * returns it).  The request it answers is the first message's seq and
 * portid, so that the fuzzer reaches the reply paths; the family id of the
 * notifications is the first message's type.  Each parser sees the same
 * bytes, in an exactly sized heap copy (aligned as the kernel's are, and
 * any read past the end trips ASan):
 *
 *   genl_parse_replies  with the callbacks of mvpnctl show (peers, keys),
 *                       mvpnd's counters (dco_parse_stats), family
 *                       resolution (genl_parse_family), the link dump of
 *                       rtnl.c and the route lookups of route.c
 *   genl_parse_ntf      with mvpnctl monitor's formatting
 *   dco_parse_ntf       mvpnd's notification reader
 *   ctlview_show_*      what mvpnctl show prints from the decoded peers
 *
 * Nothing may crash, leak or trip UBSan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "ctlview.h"
#include "dco.h"
#include "genl.h"
#include "route.h"
#include "rtnl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink;

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	dco_parse_stats(nlh, data);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	uint16_t id = 0;

	genl_parse_family(nlh, &id, data);
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct route r;
	unsigned int type;
	uint32_t table;
	char txt[128];

	(void)data;
	if (route_parse_msg(nlh, &r, &type, &table) == 0)
		fputs(route_str(&r, txt, sizeof(txt)), sink);
	return MNL_CB_OK;
}

static int ntf_cb(const struct nlmsghdr *nlh, void *data)
{
	char line[256];

	(void)data;
	if (ctlview_format_ntf(nlh, 0, line, sizeof(line)))
		fputs(line, sink);
	return MNL_CB_OK;
}

/* What a failing callback does to the walk (mvpnd treats it as -EPROTO). */
static int refuse_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)data;
	return nlh->nlmsg_len & 1 ? MNL_CB_ERROR : MNL_CB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ctlview_peers peers;
	static struct mvpn_rtnl_link links[4];
	struct mvpn_rtnl_link_list ll = { .out = links, .max = 4 };
	struct mvpn_rtnl_link_list lk = { .kind = "mvpn-dco", .out = links, .max = 4 };
	struct ctlview_key key = { 0 };
	struct dco_stats st = { 0 };
	struct dco_ntf ntf;
	uint32_t seq = 0, portid = 0, grp = 0;
	uint16_t family = 0;
	char err[256];
	uint8_t *buf;

	if (!sink)
		sink = fopen("/dev/null", "w");
	buf = malloc(size ? size : 1);
	if (!buf || !sink) {
		free(buf);
		return 0;
	}
	memcpy(buf, data, size);
	if (size >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *h = (const void *)buf;

		seq = h->nlmsg_seq;
		portid = h->nlmsg_pid;
		family = h->nlmsg_type;
	}
	ctlview_peers_free(&peers);
	genl_parse_replies(buf, size, seq, portid, ctlview_peer_list_cb, &peers, err, sizeof(err));
	genl_parse_replies(buf, size, seq, portid, ctlview_key_cb, &key, err, sizeof(err));
	genl_parse_replies(buf, size, seq, portid, stats_cb, &st, err, sizeof(err));
	genl_parse_replies(buf, size, seq, portid, family_cb, &grp, err, sizeof(err));
	genl_parse_replies(buf, size, seq, portid, mvpn_rtnl_link_list_cb, &ll, err, sizeof(err));
	genl_parse_replies(buf, size, seq, portid, mvpn_rtnl_link_list_cb, &lk, err, sizeof(err));
	genl_parse_replies(buf, size, seq, portid, route_cb, NULL, err, sizeof(err));
	genl_parse_replies(buf, size, seq, portid, refuse_cb, NULL, err, sizeof(err));
	genl_parse_replies(buf, size, seq, portid, NULL, NULL, err, sizeof(err));
	fputs(err, sink);
	genl_parse_ntf(buf, size, family, ntf_cb, NULL, err, sizeof(err));
	genl_parse_ntf(buf, size, family, refuse_cb, NULL, err, sizeof(err));
	if (dco_parse_ntf(buf, size, family, 0, &ntf) == 1)
		fputs(ntf.reason, sink);
	for (int i = 0; i < peers.n; i++)
		peers.peers[i].keys[i & 1] = key;
	if (ll.n > 0) {
		ctlview_show_text(sink, &links[0], &peers);
		ctlview_show_json(sink, &links[0], &peers);
	}
	free(buf);
	return 0;
}
