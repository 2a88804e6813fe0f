// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_netlink: the pure netlink reply parsers of mvpnd and mvpnctl
 * (genl_parse_replies, genl_parse_ntf, dco_parse_*, mvpn_rtnl_link_decode,
 * ctlview), with replies built here byte by byte; and `mvpnctl show` never
 * printing key material, even from a reply that carried some.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/mvpn_dco.h>
#include <openssl/evp.h>

#include "check.h"
#include "ctlview.h"
#include "dco.h"
#include "genl.h"
#include "rtnl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SEQ 0x1234
#define PORTID 0x4321
#define FAMILY 0x20
#define IFINDEX 424242	/* no such device: names show as "?" */

/* A batch of messages built into one aligned buffer. */
struct batch {
	uint8_t buf[8192] __attribute__((aligned(8)));
	size_t len;
};

static struct nlmsghdr *put_msg(struct batch *b, uint16_t type, uint32_t seq, uint32_t pid)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(b->buf + b->len);

	h->nlmsg_type = type;
	h->nlmsg_seq = seq;
	h->nlmsg_pid = pid;
	return h;
}

static void end_msg(struct batch *b, struct nlmsghdr *h)
{
	b->len += MNL_ALIGN(h->nlmsg_len);
}

static struct nlmsghdr *put_genl(struct batch *b, uint8_t cmd, uint32_t seq)
{
	struct nlmsghdr *h = put_msg(b, FAMILY, seq, seq ? PORTID : 0);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(h, sizeof(*g));

	g->cmd = cmd;
	g->version = 1;
	return h;
}

/* NLMSG_ERROR with error, echoing a 20-byte request, and an extack text. */
static void put_error(struct batch *b, int error, const char *extack, bool capped)
{
	struct nlmsghdr *h = put_msg(b, NLMSG_ERROR, SEQ, PORTID);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(h, sizeof(*e));

	e->error = error;
	e->msg.nlmsg_len = capped ? sizeof(e->msg) : sizeof(e->msg) + 4;
	e->msg.nlmsg_seq = SEQ;
	if (!capped)
		mnl_nlmsg_put_extra_header(h, 4);	/* the echoed genlmsghdr */
	if (extack) {
		h->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(h, NLMSGERR_ATTR_MSG, extack);
	}
	if (capped)
		h->nlmsg_flags |= NLM_F_CAPPED;
	end_msg(b, h);
}

static void put_done(struct batch *b, int error, const char *extack)
{
	struct nlmsghdr *h = put_msg(b, NLMSG_DONE, SEQ, PORTID);
	int *e = mnl_nlmsg_put_extra_header(h, sizeof(int));

	*e = error;
	if (extack) {
		h->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(h, NLMSGERR_ATTR_MSG, extack);
	}
	end_msg(b, h);
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(*(int *)data)++;
	return MNL_CB_OK;
}

static int fail_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_ERROR;
}

/* ---- genl_parse_replies: known answers ---------------------------------- */

enum shape {
	S_ACK, S_ERR_EXTACK, S_ERR_CAPPED, S_ERR_PLAIN, S_DONE, S_DONE_ERR, S_DATA_NO_END,
	S_OTHER_SEQ, S_SHORT_ERR, S_POSITIVE_ERR, S_HUGE_LEN, S_CB_FAIL, S_BAD_ECHO, S_UNALIGNED,
};

struct reply_case {
	const char *name;
	enum shape shape;
	int rc;			/* genl_parse_replies() */
	int data_msgs;		/* callbacks run */
	const char *err;	/* substring of err, or NULL */
};

static void build(struct batch *b, enum shape s)
{
	struct nlmsghdr *h;

	memset(b, 0, sizeof(*b));
	switch (s) {
	case S_ACK:
		end_msg(b, put_genl(b, MVPN_CMD_PEER_GET, SEQ));
		put_error(b, 0, NULL, false);
		break;
	case S_ERR_EXTACK:
		put_error(b, -EINVAL, "no such peer in this device", false);
		break;
	case S_ERR_CAPPED:
		put_error(b, -ENOENT, "key slot empty", true);
		break;
	case S_ERR_PLAIN:
		put_error(b, -EPERM, NULL, false);
		break;
	case S_DONE:
		end_msg(b, put_genl(b, MVPN_CMD_PEER_GET, SEQ));
		end_msg(b, put_genl(b, MVPN_CMD_PEER_GET, SEQ));
		put_done(b, 0, NULL);
		break;
	case S_DONE_ERR:
		end_msg(b, put_genl(b, MVPN_CMD_PEER_GET, SEQ));
		put_done(b, -ENODEV, "dump interrupted");
		break;
	case S_DATA_NO_END:
		end_msg(b, put_genl(b, MVPN_CMD_PEER_GET, SEQ));
		break;
	case S_OTHER_SEQ:
		end_msg(b, put_genl(b, MVPN_CMD_PEER_DEL_NTF, 0));	/* a notification */
		end_msg(b, put_genl(b, MVPN_CMD_PEER_GET, SEQ + 1));	/* a stale reply */
		break;
	case S_SHORT_ERR:
		h = put_msg(b, NLMSG_ERROR, SEQ, PORTID);
		*(int *)mnl_nlmsg_put_extra_header(h, 4) = -EINVAL;
		end_msg(b, h);
		break;
	case S_POSITIVE_ERR:
		put_error(b, 5, NULL, true);
		break;
	case S_HUGE_LEN:
		h = put_msg(b, FAMILY, SEQ, PORTID);
		mnl_nlmsg_put_extra_header(h, 16);
		b->len = h->nlmsg_len + 1;
		h->nlmsg_len = 0x80000010u;	/* negative as an int */
		break;
	case S_CB_FAIL:
		end_msg(b, put_genl(b, MVPN_CMD_PEER_GET, SEQ));
		put_error(b, 0, NULL, false);
		break;
	case S_BAD_ECHO:
		put_error(b, -EINVAL, "ignored: the echo claims more than there is", false);
		((struct nlmsgerr *)mnl_nlmsg_get_payload((void *)b->buf))->msg.nlmsg_len = 60000;
		break;
	case S_UNALIGNED:
		h = put_genl(b, MVPN_CMD_PEER_GET, SEQ);
		mnl_attr_put_u8(h, MVPN_A_IFINDEX, 1);	/* 5-byte attribute */
		b->len = h->nlmsg_len = h->nlmsg_len - 3;	/* no padding at all */
		break;
	}
}

static void reply_batches(void)
{
	static const struct reply_case cases[] = {
		{ "ACK after data", S_ACK, 0, 1, NULL },
		{ "error with extack", S_ERR_EXTACK, -EINVAL, 0, "Invalid argument: no such peer" },
		{ "capped error with extack", S_ERR_CAPPED, -ENOENT, 0,
		  "No such file or directory: key slot empty" },
		{ "error without extack", S_ERR_PLAIN, -EPERM, 0, "Operation not permitted" },
		{ "dump ends with DONE", S_DONE, 0, 2, NULL },
		{ "dump fails in DONE", S_DONE_ERR, -ENODEV, 1, "No such device: dump interrupted" },
		{ "data, more to come", S_DATA_NO_END, 1, 1, NULL },
		{ "notification and stale reply skipped", S_OTHER_SEQ, 1, 0, NULL },
		{ "truncated error", S_SHORT_ERR, -EPROTO, 0, "truncated" },
		{ "positive error code", S_POSITIVE_ERR, -EPROTO, 0, "malformed error code" },
		{ "length of 2 GiB", S_HUGE_LEN, 1, 0, NULL },
		{ "callback refuses", S_CB_FAIL, -EPROTO, 0, "malformed reply" },
		{ "echo longer than the message", S_BAD_ECHO, -EINVAL, 0, "Invalid argument" },
		{ "last message without padding", S_UNALIGNED, 1, 0, NULL },
	};
	static struct batch b;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct reply_case *c = &cases[i];
		char err[256] = "";
		int n = 0, rc;

		build(&b, c->shape);
		rc = genl_parse_replies(b.buf, b.len, SEQ, PORTID,
					c->shape == S_CB_FAIL ? fail_cb : count_cb, &n, err, sizeof(err));
		CHECK(rc == c->rc, "%s: rc %d, want %d (%s)", c->name, rc, c->rc, err);
		CHECK(c->shape == S_CB_FAIL || n == c->data_msgs, "%s: %d callbacks, want %d",
		      c->name, n, c->data_msgs);
		CHECK(!c->err || strstr(err, c->err), "%s: err '%s', want '%s'", c->name, err, c->err);
		if (c->shape == S_BAD_ECHO)
			CHECK(!strstr(err, "ignored"), "%s: extack read from the wrong place: %s",
			      c->name, err);
	}
}

/* genl_pad: an unaligned last message gets its padding zeroed. */
static void padding(void)
{
	uint8_t buf[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

	CHECK(genl_pad(buf, 8, sizeof(buf)) == 8, "aligned length changed");
	CHECK(genl_pad(buf, 9, sizeof(buf)) == 12 && buf[8] == 9 && !buf[9] && !buf[10] && !buf[11],
	      "9 bytes not padded to 12");
	CHECK(genl_pad(buf, 15, 16) == 16 && buf[15] == 0, "15 not padded to 16");
	CHECK(genl_pad(buf, 13, 14) == 13, "padded past the buffer");
}

/* ---- the module's replies and notifications ------------------------------ */

static const uint8_t secret_key[32] = {
	0xde, 0xad, 0xbe, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x10, 0x32, 0x54, 0x76,
	0x98, 0xba, 0xdc, 0xfe, 0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87, 0x96, 0xa5, 0xb4,
};
static const uint8_t secret_nonce[8] = { 0x5e, 0xc2, 0xe7, 0x00, 0x11, 0x7a, 0x11, 0x5e };

static struct nlmsghdr *peer_reply(struct batch *b, uint8_t cmd, uint32_t seq)
{
	struct nlmsghdr *h = put_genl(b, cmd, seq);
	struct nlattr *n;
	struct in_addr a4 = { htonl(0x0a090002) }, v4 = { htonl(0x0a630002) };
	uint16_t port = htons(1194);

	mnl_attr_put_u32(h, MVPN_A_IFINDEX, IFINDEX);
	n = mnl_attr_nest_start(h, MVPN_A_PEER);
	mnl_attr_put_u32(h, MVPN_A_PEER_ID, 5);
	mnl_attr_put_u32(h, MVPN_A_PEER_TX_ID, 6);
	mnl_attr_put(h, MVPN_A_PEER_REMOTE_IPV4, 4, &a4);
	mnl_attr_put(h, MVPN_A_PEER_REMOTE_PORT, 2, &port);
	mnl_attr_put(h, MVPN_A_PEER_VPN_IPV4, 4, &v4);
	mnl_attr_put_u32(h, MVPN_A_PEER_KEEPALIVE_INTERVAL, 10);
	mnl_attr_put_u32(h, MVPN_A_PEER_KEEPALIVE_TIMEOUT, 60);
	mnl_attr_put_u32(h, MVPN_A_PEER_DEL_REASON, MVPN_DEL_REASON_EXPIRED);
	mnl_attr_put_u64(h, MVPN_A_PEER_VPN_RX_PACKETS, 1001);
	mnl_attr_put_u64(h, MVPN_A_PEER_DROP_REPLAY, 7);
	mnl_attr_put_u16(h, MVPN_A_PEER_LINK_TX_BYTES, 9);	/* wrong size: ignored */
	mnl_attr_nest_end(h, n);
	return h;
}

/* A KEY_GET reply as a hostile or buggy kernel might send it: with keys. */
static struct nlmsghdr *key_reply(struct batch *b, uint32_t seq)
{
	struct nlmsghdr *h = put_genl(b, MVPN_CMD_KEY_GET, seq);
	struct nlattr *n, *d;

	mnl_attr_put_u32(h, MVPN_A_IFINDEX, IFINDEX);
	n = mnl_attr_nest_start(h, MVPN_A_KEYCONF);
	mnl_attr_put_u32(h, MVPN_A_KEYCONF_PEER_ID, 5);
	mnl_attr_put_u32(h, MVPN_A_KEYCONF_KEY_ID, 3);
	mnl_attr_put_u32(h, MVPN_A_KEYCONF_CIPHER_ALG, MVPN_CIPHER_ALG_AES_GCM);
	mnl_attr_put_u32(h, MVPN_A_KEYCONF_KEY_LEN, 32);
	mnl_attr_put_u32(h, MVPN_A_KEYCONF_TX_PKTID, 77);
	for (uint16_t dir = MVPN_A_KEYCONF_ENCRYPT_DIR; dir <= MVPN_A_KEYCONF_DECRYPT_DIR; dir++) {
		d = mnl_attr_nest_start(h, dir);
		mnl_attr_put(h, MVPN_A_KEYDIR_CIPHER_KEY, sizeof(secret_key), secret_key);
		mnl_attr_put(h, MVPN_A_KEYDIR_NONCE_TAIL, sizeof(secret_nonce), secret_nonce);
		mnl_attr_nest_end(h, d);
	}
	/* and the raw bytes as attributes of types the view might print */
	for (uint16_t t = 0; t < 16; t++)
		if (t != MVPN_A_KEYCONF_ENCRYPT_DIR && t != MVPN_A_KEYCONF_DECRYPT_DIR)
			mnl_attr_put(h, 100 + t, sizeof(secret_key), secret_key);
	mnl_attr_nest_end(h, n);
	return h;
}

static bool contains_key(const char *out, size_t len)
{
	char hex[2 * 32 + 1], b64[64];

	for (size_t off = 0; off + 8 <= sizeof(secret_key); off += 8) {
		for (int up = 0; up < 2; up++) {
			for (size_t i = 0; i < 8; i++)
				snprintf(hex + 2 * i, 3, up ? "%02X" : "%02x", secret_key[off + i]);
			if (memmem(out, len, hex, 16))
				return true;
		}
		if (memmem(out, len, secret_key + off, 8))
			return true;
	}
	EVP_EncodeBlock((unsigned char *)b64, secret_key, 24);
	if (memmem(out, len, b64, 16))
		return true;
	for (size_t i = 0; i < sizeof(secret_nonce); i++)
		snprintf(hex + 2 * i, 3, "%02x", secret_nonce[i]);
	return memmem(out, len, hex, 16) != NULL;
}

static void show_never_prints_keys(void)
{
	static struct batch pb, kb;
	static struct ctlview_peers pl;
	struct ctlview_key kv = { 0 };
	struct mvpn_rtnl_link l = { .ifindex = IFINDEX, .name = "mvpn0", .kind = "mvpn-dco",
				    .mtu = 1420, .up = true, .carrier = true, .mode = 0 };
	char err[256];
	int rc;

	/* the detector itself finds a key: in hex, or raw */
	{
		char probe[64];

		snprintf(probe, sizeof(probe), "x %02x%02x%02x%02x%02x%02x%02x%02x y", secret_key[8],
			 secret_key[9], secret_key[10], secret_key[11], secret_key[12], secret_key[13],
			 secret_key[14], secret_key[15]);
		CHECK(contains_key(probe, strlen(probe)), "the detector misses hex");
		memcpy(probe, secret_key + 16, 8);
		CHECK(contains_key(probe, 8), "the detector misses raw bytes");
	}
	memset(&pb, 0, sizeof(pb));
	memset(&kb, 0, sizeof(kb));
	memset(&pl, 0, sizeof(pl));
	end_msg(&pb, peer_reply(&pb, MVPN_CMD_PEER_GET, SEQ));
	put_done(&pb, 0, NULL);
	end_msg(&kb, key_reply(&kb, SEQ));
	put_error(&kb, 0, NULL, false);
	rc = genl_parse_replies(pb.buf, pb.len, SEQ, PORTID, ctlview_peer_list_cb, &pl, err, sizeof(err));
	CHECK(rc == 0 && pl.n == 1, "peer reply: rc %d, %d peers (%s)", rc, pl.n, err);
	rc = genl_parse_replies(kb.buf, kb.len, SEQ, PORTID, ctlview_key_cb, &kv, err, sizeof(err));
	CHECK(rc == 0 && kv.present, "key reply: rc %d (%s)", rc, err);
	if (pl.n != 1)
		return;
	pl.peers[0].keys[0] = kv;
	for (int json = 0; json < 2; json++) {
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);

		if (!f)
			continue;
		if (json)
			ctlview_show_json(f, &l, &pl);
		else
			ctlview_show_text(f, &l, &pl);
		fclose(f);
		CHECK(!contains_key(out, len), "show%s prints key material:\n%s", json ? " --json" : "",
		      out);
		if (json) {
			CHECK(strstr(out, "\"primary\":{\"key_id\":3,\"cipher\":\"AES-256-GCM\","
				     "\"tx_pktid\":77}") && strstr(out, "\"remote\":\"10.9.0.2:1194\"") &&
			      strstr(out, "\"vpn_rx_packets\":1001") && strstr(out, "\"secondary\":null"),
			      "json lacks what it must show:\n%s", out);
		} else {
			CHECK(strstr(out, "key primary: id 3, AES-256-GCM, tx-pktid 77") &&
			      strstr(out, "  peer: 5\n    tx-id: 6\n    remote: 10.9.0.2:1194") &&
			      strstr(out, "keepalive: interval 10s, timeout 60s") &&
			      strstr(out, "drop-replay: 7") && strstr(out, "link-tx-bytes: 0") &&
			      strstr(out, "vpn-ipv4: 10.99.0.2"), "text lacks what it must show:\n%s", out);
		}
		free(out);
	}
}

struct ntf_case {
	const char *name;
	uint8_t cmd;
	bool keyconf;
	uint32_t only;		/* only_ifindex */
	bool shown;
	const char *line;
	int dco_rc;		/* dco_parse_ntf for IFINDEX */
	enum dco_ntf_type type;
	bool expired;
};

static void notifications(void)
{
	static const struct ntf_case cases[] = {
		{ "peer deleted", MVPN_CMD_PEER_DEL_NTF, false, 0, true,
		  "peer-del dev=? ifindex=424242 id=5 reason=expired", 1, DCO_NTF_PEER_DEL, true },
		{ "peer floated", MVPN_CMD_PEER_FLOAT_NTF, false, IFINDEX, true,
		  "peer-float dev=? ifindex=424242 id=5 remote=10.9.0.2:1194", 1, DCO_NTF_FLOAT, false },
		{ "key swap", MVPN_CMD_KEY_SWAP_NTF, true, 0, true,
		  "key-swap dev=? ifindex=424242 peer=5 key-id=3", 1, DCO_NTF_KEY_SWAP, false },
		{ "another device", MVPN_CMD_PEER_DEL_NTF, false, 7, false, NULL, 1, DCO_NTF_PEER_DEL,
		  true },
		{ "not a notification", MVPN_CMD_PEER_GET, false, 0, true,
		  "unknown-notification cmd=3 ifindex=424242", 0, 0, false },
	};
	static struct batch b;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct ntf_case *c = &cases[i];
		struct nlmsghdr *h;
		struct dco_ntf n;
		char line[256] = "";
		bool shown;
		int rc;

		memset(&b, 0, sizeof(b));
		h = c->keyconf ? key_reply(&b, 0) : peer_reply(&b, c->cmd, 0);
		((struct genlmsghdr *)mnl_nlmsg_get_payload(h))->cmd = c->cmd;
		end_msg(&b, h);
		shown = ctlview_format_ntf(h, c->only, line, sizeof(line));
		CHECK(shown == c->shown && (!c->line || !strcmp(line, c->line)), "%s: '%s', want '%s'",
		      c->name, shown ? line : "(nothing)", c->line ? c->line : "(nothing)");
		rc = dco_parse_ntf(b.buf, b.len, FAMILY, IFINDEX, &n);
		CHECK(rc == c->dco_rc && (!rc || (n.type == c->type && n.expired == c->expired)),
		      "%s: dco_parse_ntf %d type %d expired %d", c->name, rc, rc ? (int)n.type : -1,
		      rc ? n.expired : 0);
		CHECK(dco_parse_ntf(b.buf, b.len, FAMILY + 1, IFINDEX, &n) == 0, "%s: other family",
		      c->name);
		CHECK(dco_parse_ntf(b.buf, b.len, FAMILY, IFINDEX + 1, &n) == 0, "%s: other device",
		      c->name);
	}
	/* a header too short for a genlmsghdr */
	memset(&b, 0, sizeof(b));
	end_msg(&b, put_msg(&b, FAMILY, 0, 0));
	{
		char line[64];
		struct dco_ntf n;

		CHECK(!ctlview_format_ntf((void *)b.buf, 0, line, sizeof(line)), "short: shown");
		CHECK(dco_parse_ntf(b.buf, b.len, FAMILY, 0, &n) == 0, "short: parsed");
	}
}

static void stats_and_links(void)
{
	static struct batch b;
	struct dco_stats st = { 0 };
	struct mvpn_rtnl_link l;
	struct nlmsghdr *h;
	struct ifinfomsg *ifm;
	struct nlattr *li, *d;

	memset(&b, 0, sizeof(b));
	h = peer_reply(&b, MVPN_CMD_PEER_GET, SEQ);
	CHECK(dco_parse_stats(h, &st) == 0 && st.vpn_rx_packets == 1001 && st.link_tx_bytes == 0,
	      "stats: rx %llu, link tx %llu", (unsigned long long)st.vpn_rx_packets,
	      (unsigned long long)st.link_tx_bytes);
	h->nlmsg_len = sizeof(*h) + 2;
	CHECK(dco_parse_stats(h, &st) == -EPROTO, "short stats message accepted");

	memset(&b, 0, sizeof(b));
	h = put_msg(&b, RTM_NEWLINK, SEQ, PORTID);
	ifm = mnl_nlmsg_put_extra_header(h, sizeof(*ifm));
	ifm->ifi_index = 9;
	ifm->ifi_flags = IFF_UP;
	mnl_attr_put_strz(h, IFLA_IFNAME, "tun0");
	mnl_attr_put_u32(h, IFLA_MTU, 1400);
	li = mnl_attr_nest_start(h, IFLA_LINKINFO);
	mnl_attr_put_strz(h, IFLA_INFO_KIND, MVPN_LINK_KIND);
	d = mnl_attr_nest_start(h, IFLA_INFO_DATA);
	mnl_attr_put_u8(h, IFLA_MVPN_MODE, MVPN_MODE_MP);
	mnl_attr_nest_end(h, d);
	mnl_attr_nest_end(h, li);
	CHECK(mvpn_rtnl_link_decode(h, &l) == 0 && l.ifindex == 9 && l.up && !l.carrier &&
	      l.mtu == 1400 && !strcmp(l.name, "tun0") && !strcmp(l.kind, "mvpn-dco") &&
	      l.mode == MVPN_MODE_MP, "link: %d %s %s mtu %u mode %d", l.ifindex, l.name, l.kind,
	      l.mtu, l.mode);
	h->nlmsg_len = sizeof(*h) + 4;
	CHECK(mvpn_rtnl_link_decode(h, &l) == -EPROTO && l.mode == -1, "short link message");
	h->nlmsg_type = RTM_NEWADDR;
	CHECK(mvpn_rtnl_link_decode(h, &l) == -EPROTO, "RTM_NEWADDR decoded as a link");
}

int main(void)
{
	RUN("netlink", reply_batches);
	RUN("netlink", padding);
	RUN("netlink", show_never_prints_keys);
	RUN("netlink", notifications);
	RUN("netlink", stats_and_links);
	CHECK_EXIT();
}
