// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_dcoreq: the mvpn-dco request builders (dcoreq.h).  Each request is
 * built on a socket that was never opened (family 0x21, sequence 41) and
 * read back as one line: the netlink and genl headers, then every
 * attribute as TYPE=HEX, a nest (NLA_F_NESTED) as TYPE{...}.  The expected
 * lines are the wire bytes: numbers in host order (little-endian here),
 * addresses and ports in network order.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/mvpn_dco.h>

#include "check.h"
#include "dcoreq.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define FAMILY 0x21
#define SEQ0 41

static void render_attrs(const struct nlattr *first, const void *end, char *out, size_t cap);

/* Append to out (cap bytes), truncating. */
static void put(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void put(char *out, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(out);
	va_list ap;

	if (n >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(out + n, cap - n, fmt, ap);
	va_end(ap);
}

static void render_attrs(const struct nlattr *a, const void *end, char *out, size_t cap)
{
	bool first = true;

	while ((const char *)a + sizeof(*a) <= (const char *)end && a->nla_len >= sizeof(*a) &&
	       (const char *)a + a->nla_len <= (const char *)end) {
		const uint8_t *p = mnl_attr_get_payload(a);
		uint16_t len = mnl_attr_get_payload_len(a);

		put(out, cap, "%s%u", first ? "" : " ", mnl_attr_get_type(a));
		first = false;
		if (a->nla_type & NLA_F_NESTED) {
			put(out, cap, "{");
			render_attrs(mnl_attr_get_payload(a), p + len, out, cap);
			put(out, cap, "}");
		} else {
			put(out, cap, "=");
			for (uint16_t i = 0; i < len; i++)
				put(out, cap, "%02x", p[i]);
		}
		a = (const struct nlattr *)((const char *)a + MNL_ALIGN(a->nla_len));
	}
}

/* "type 33 flags 0x5 seq 42 cmd 1 v1: ATTRS"; the message length must be
 * exactly what the attributes take. */
static void render(const struct nlmsghdr *nlh, char *out, size_t cap)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const char *end = (const char *)nlh + nlh->nlmsg_len;

	out[0] = '\0';
	put(out, cap, "type %u flags %#x seq %u cmd %u v%u:", nlh->nlmsg_type, nlh->nlmsg_flags,
	    nlh->nlmsg_seq, g->cmd, g->version);
	if (nlh->nlmsg_len > NLMSG_HDRLEN + GENL_HDRLEN) {
		put(out, cap, " ");
		render_attrs(mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN), end, out, cap);
	}
}

/* ---- peers ----------------------------------------------------------------- */

struct peer_case {
	const char *name;
	uint8_t cmd;
	struct dcoreq_peer p;
	const char *remote;	/* "ADDR PORT SCOPE", or NULL */
	const char *vpn4, *vpn6;
	const char *want;
};

static void peer_requests(void)
{
	static const struct peer_case cases[] = {
		{ "PEER_NEW, IPv4 remote, VPN addresses", MVPN_CMD_PEER_NEW, { .id = 5, .sock = 3 },
		  "198.18.0.5 1194 0", "10.128.0.5", "fd57::5",
		  "type 33 flags 0x5 seq 42 cmd 1 v1: 1=09000000 2{1=05000000 7=03000000 "
		  "3=c6120005 6=04aa 8=0a800005 9=fd570000000000000000000000000005}" },
		{ "PEER_NEW, IPv6 remote with a scope", MVPN_CMD_PEER_NEW, { .id = 0xFFFFFF, .sock = 0 },
		  "fe80::1 51820 2", NULL, NULL,
		  "type 33 flags 0x5 seq 42 cmd 1 v1: 1=09000000 2{1=ffffff00 7=00000000 "
		  "4=fe800000000000000000000000000001 6=ca6c 5=02000000}" },
		{ "PEER_SET, IPv6 remote without a scope", MVPN_CMD_PEER_SET, { .id = 1, .sock = 7 },
		  "fd00::2 1 0", NULL, NULL,
		  "type 33 flags 0x5 seq 42 cmd 2 v1: 1=09000000 2{1=01000000 "
		  "4=fd000000000000000000000000000002 6=0001}" },
		{ "PEER_SET, keepalive", MVPN_CMD_PEER_SET,
		  { .id = 1, .keepalive = true, .ka_interval = 1, .ka_timeout = 5 }, NULL, NULL, NULL,
		  "type 33 flags 0x5 seq 42 cmd 2 v1: 1=09000000 2{1=01000000 13=01000000 "
		  "14=05000000}" },
		{ "PEER_SET, keepalive off (zeros are sent)", MVPN_CMD_PEER_SET,
		  { .id = 2, .keepalive = true }, NULL, NULL, NULL,
		  "type 33 flags 0x5 seq 42 cmd 2 v1: 1=09000000 2{1=02000000 13=00000000 "
		  "14=00000000}" },
		{ "PEER_GET: the socket only goes with PEER_NEW", MVPN_CMD_PEER_GET,
		  { .id = 77, .sock = 4 }, NULL, NULL, NULL,
		  "type 33 flags 0x5 seq 42 cmd 3 v1: 1=09000000 2{1=4d000000}" },
		{ "PEER_DEL", MVPN_CMD_PEER_DEL, { .id = 0x123456 }, NULL, NULL, NULL,
		  "type 33 flags 0x5 seq 42 cmd 4 v1: 1=09000000 2{1=56341200}" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct peer_case *c = &cases[i];
		struct genl_sock gs = { .family_id = FAMILY, .seq = SEQ0 };
		struct dcoreq_peer p = c->p;
		struct sockaddr_storage ss = { 0 };
		struct in_addr v4;
		struct in6_addr v6;
		char buf[GENL_BUF_SIZE], got[1024];

		if (c->remote) {
			char addr[64];
			unsigned int port, scope;

			sscanf(c->remote, "%63s %u %u", addr, &port, &scope);
			if (strchr(addr, ':')) {
				struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

				s6->sin6_family = AF_INET6;
				inet_pton(AF_INET6, addr, &s6->sin6_addr);
				s6->sin6_port = htons((uint16_t)port);
				s6->sin6_scope_id = scope;
			} else {
				struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

				s4->sin_family = AF_INET;
				inet_pton(AF_INET, addr, &s4->sin_addr);
				s4->sin_port = htons((uint16_t)port);
			}
			p.remote = (const struct sockaddr *)&ss;
		}
		if (c->vpn4 && inet_pton(AF_INET, c->vpn4, &v4) == 1)
			p.vpn4 = &v4;
		if (c->vpn6 && inet_pton(AF_INET6, c->vpn6, &v6) == 1)
			p.vpn6 = &v6;
		render(dcoreq_peer(&gs, buf, c->cmd, 9, &p), got, sizeof(got));
		CHECK(!strcmp(got, c->want), "%s:\n  #   got  %s\n  #   want %s", c->name, got,
		      c->want);
		CHECK(gs.seq == SEQ0 + 1, "%s: sequence %u, want %u", c->name, gs.seq, SEQ0 + 1);
	}
}

/* A dump and DEV_OWN carry the device and nothing else. */
static void device_requests(void)
{
	struct genl_sock gs = { .family_id = FAMILY, .seq = SEQ0 };
	char buf[GENL_BUF_SIZE], got[256];

	render(dcoreq_peer_dump(&gs, buf, 0x01020304), got, sizeof(got));
	CHECK(!strcmp(got, "type 33 flags 0x301 seq 42 cmd 3 v1: 1=04030201"), "dump: %s", got);
	render(dcoreq_dev(&gs, buf, MVPN_CMD_DEV_OWN, NLM_F_REQUEST | NLM_F_ACK, 7), got,
	       sizeof(got));
	CHECK(!strcmp(got, "type 33 flags 0x5 seq 43 cmd 12 v1: 1=07000000"), "DEV_OWN: %s", got);
}

/* ---- keys -------------------------------------------------------------------- */

static void key_requests(void)
{
	static const struct {
		uint8_t cmd;
		int slot;
		const char *want;
	} cases[] = {
		{ MVPN_CMD_KEY_GET, MVPN_KEY_SLOT_SECONDARY,
		  "type 33 flags 0x5 seq 42 cmd 7 v1: 1=09000000 3{1=03000000 2=01000000}" },
		{ MVPN_CMD_KEY_SWAP, -1, "type 33 flags 0x5 seq 42 cmd 8 v1: 1=09000000 3{1=03000000}" },
		{ MVPN_CMD_KEY_DEL, MVPN_KEY_SLOT_PRIMARY,
		  "type 33 flags 0x5 seq 42 cmd 10 v1: 1=09000000 3{1=03000000 2=00000000}" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct genl_sock gs = { .family_id = FAMILY, .seq = SEQ0 };
		char buf[GENL_BUF_SIZE], got[256];

		render(dcoreq_key(&gs, buf, cases[i].cmd, 9, 3, cases[i].slot), got, sizeof(got));
		CHECK(!strcmp(got, cases[i].want), "cmd %u slot %d:\n  #   got  %s\n  #   want %s",
		      cases[i].cmd, cases[i].slot, got, cases[i].want);
	}
}

/* KEY_NEW sends the cipher's key length of each direction, and its alg. */
static void key_new_requests(void)
{
	static const struct {
		enum mvpn_dp_cipher cipher;
		const char *want;	/* after the header */
	} cases[] = {
		{ MVPN_DP_AES_128_GCM,
		  "1=09000000 3{1=02000000 2=01000000 3=05000000 4=01000000 "
		  "5{1=000102030405060708090a0b0c0d0e0f 2=2021222324252627} "
		  "6{1=28292a2b2c2d2e2f3031323334353637 2=48494a4b4c4d4e4f}}" },
		{ MVPN_DP_AES_256_GCM,
		  "1=09000000 3{1=02000000 2=01000000 3=05000000 4=01000000 "
		  "5{1=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
		  "2=2021222324252627} "
		  "6{1=28292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f4041424344454647 "
		  "2=48494a4b4c4d4e4f}}" },
		{ MVPN_DP_CHACHA20_POLY1305,
		  "1=09000000 3{1=02000000 2=01000000 3=05000000 4=02000000 "
		  "5{1=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
		  "2=2021222324252627} "
		  "6{1=28292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f4041424344454647 "
		  "2=48494a4b4c4d4e4f}}" },
	};
	uint8_t raw[80];

	for (size_t i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)i;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct genl_sock gs = { .family_id = FAMILY, .seq = SEQ0 };
		struct mvpn_dp_key k = { .key_id = 5, .cipher = cases[i].cipher };
		char buf[GENL_BUF_SIZE], got[1024], want[1024];

		memcpy(k.encrypt.key, raw, 32);
		memcpy(k.encrypt.nonce_tail, raw + 32, 8);
		memcpy(k.decrypt.key, raw + 40, 32);
		memcpy(k.decrypt.nonce_tail, raw + 72, 8);
		render(dcoreq_key_new(&gs, buf, 9, 2, MVPN_KEY_SLOT_SECONDARY, &k), got, sizeof(got));
		snprintf(want, sizeof(want), "type 33 flags 0x5 seq 42 cmd 6 v1: %s", cases[i].want);
		CHECK(!strcmp(got, want), "%s:\n  #   got  %s\n  #   want %s",
		      mvpn_dp_cipher_name(cases[i].cipher), got, want);
	}
}

static void cipher_algs(void)
{
	CHECK(dcoreq_cipher_alg(MVPN_DP_AES_128_GCM) == MVPN_CIPHER_ALG_AES_GCM, "AES-128-GCM");
	CHECK(dcoreq_cipher_alg(MVPN_DP_AES_256_GCM) == MVPN_CIPHER_ALG_AES_GCM, "AES-256-GCM");
	CHECK(dcoreq_cipher_alg(MVPN_DP_CHACHA20_POLY1305) == MVPN_CIPHER_ALG_CHACHA20_POLY1305,
	      "CHACHA20-POLY1305");
	CHECK(dcoreq_cipher_alg(MVPN_DP_CIPHER_NONE) == MVPN_CIPHER_ALG_NONE, "none");
}

int main(void)
{
	RUN("dcoreq", peer_requests);
	RUN("dcoreq", device_requests);
	RUN("dcoreq", key_requests);
	RUN("dcoreq", key_new_requests);
	RUN("dcoreq", cipher_algs);
	CHECK_EXIT();
}
