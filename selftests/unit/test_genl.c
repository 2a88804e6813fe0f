// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_genl: genl.c's socket calls against the running kernel's own
 * generic netlink family "nlctrl" (always there, no privilege needed, no
 * packet leaves the host): genl_open resolves a family or says which one it
 * did not find; genl_open_same opens a second socket for it without a
 * request; genl_send + genl_recv_buf read a dump part by part, and a part
 * larger than the buffer is -ENOSPC; genl_talk reads a whole dump.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "check.h"
#include "genl.h"

/* The families of a CTRL_CMD_GETFAMILY dump. */
struct families {
	int n;
	bool nlctrl;
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct families *f = data;
	const struct nlattr *a;

	f->n++;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_NAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 &&
		    !strcmp(mnl_attr_get_str(a), "nlctrl"))
			f->nlctrl = true;
	return MNL_CB_OK;
}

static void open_and_resolve(void)
{
	struct genl_sock gs;
	int err = genl_open(&gs, "nlctrl");

	CHECK(err == 0, "genl_open nlctrl: %s", gs.err);
	if (err)
		return;
	CHECK(gs.family_id == GENL_ID_CTRL, "nlctrl has id %u, want %u", gs.family_id, GENL_ID_CTRL);
	CHECK(gs.portid != 0, "no port id");
	genl_close(&gs);
	CHECK(gs.nl == NULL, "genl_close left the socket");

	err = genl_open(&gs, "mvpn-nosuch");
	CHECK(err == -ENOENT, "unknown family: %d, want -ENOENT", err);
	CHECK(strstr(gs.err, "'mvpn-nosuch' not found"), "unknown family: '%s'", gs.err);
	CHECK(gs.nl == NULL, "a socket left open after a failure");
}

/* Another socket for the same family, then a dump read part by part. */
static void second_socket_dump(void)
{
	struct genl_sock gs, d;
	struct families f = { 0 };
	char req[GENL_BUF_SIZE], buf[GENL_BUF_SIZE];
	struct nlmsghdr *nlh;
	int r = 1, parts = 0;

	if (genl_open(&gs, "nlctrl")) {
		CHECK(0, "genl_open nlctrl: %s", gs.err);
		return;
	}
	CHECK(genl_open_same(&d, &gs) == 0, "genl_open_same: %s", d.err);
	CHECK(d.family_id == gs.family_id && d.mcgrp_peers == gs.mcgrp_peers,
	      "family %u/%u, want %u/%u", d.family_id, d.mcgrp_peers, gs.family_id,
	      gs.mcgrp_peers);
	CHECK(d.portid && d.portid != gs.portid, "port ids %u and %u", d.portid, gs.portid);

	nlh = genl_req(&d, req, CTRL_CMD_GETFAMILY, NLM_F_REQUEST | NLM_F_DUMP);
	CHECK(genl_send(&d, nlh) == 0, "genl_send: %s", d.err);
	while (r == 1 && parts < 1000) {
		int n = genl_recv_buf(&d, buf, sizeof(buf));

		if (n < 0) {
			CHECK(0, "genl_recv_buf: %d %s", n, d.err);
			break;
		}
		parts++;
		r = genl_parse_replies(buf, (size_t)n, nlh->nlmsg_seq, d.portid, family_cb, &f, d.err,
				       sizeof(d.err));
	}
	CHECK(r == 0, "the dump did not end with DONE (%d: %s)", r, d.err);
	CHECK(f.n >= 1 && f.nlctrl, "%d families in %d parts, nlctrl %s", f.n, parts,
	      f.nlctrl ? "seen" : "missing");

	/* the same dump on the first socket, through genl_talk */
	{
		struct families g = { 0 };
		int err;

		nlh = genl_req(&gs, req, CTRL_CMD_GETFAMILY, NLM_F_REQUEST | NLM_F_DUMP);
		err = genl_talk(&gs, nlh, family_cb, &g);
		CHECK(err == 0 && g.n == f.n && g.nlctrl, "genl_talk dump: %d (%s), %d families",
		      err, gs.err, g.n);
	}
	genl_close(&d);
	genl_close(&gs);
}

/* A part that does not fit the buffer is an error, not a short read. */
static void part_too_big(void)
{
	struct genl_sock gs;
	char req[GENL_BUF_SIZE], small[16];
	struct nlmsghdr *nlh;
	int n;

	if (genl_open(&gs, "nlctrl")) {
		CHECK(0, "genl_open nlctrl: %s", gs.err);
		return;
	}
	nlh = genl_req(&gs, req, CTRL_CMD_GETFAMILY, NLM_F_REQUEST | NLM_F_DUMP);
	CHECK(genl_send(&gs, nlh) == 0, "genl_send: %s", gs.err);
	n = genl_recv_buf(&gs, small, sizeof(small));
	CHECK(n == -ENOSPC, "a part into %zu bytes: %d, want -ENOSPC", sizeof(small), n);
	CHECK(gs.err[0], "no error text");
	genl_close(&gs);
}

int main(void)
{
	alarm(60);	/* a reply that never ends the wait: fail, do not hang */
	RUN("genl", open_and_resolve);
	RUN("genl", second_socket_dump);
	RUN("genl", part_too_big);
	CHECK_EXIT();
}
