// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests of userspace/p2pconf.c: the inputs of `mvpnctl p2p-up` --
 * endpoints, CIDRs, keepalive, numbers, the key file and key directions --
 * each accepted or refused with a message naming the problem.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include "check.h"
#include "p2pconf.h"

static void endpoints(void)
{
	static const struct {
		const char *in;
		int want_port, ok, family;
		const char *addr;
		unsigned int port;
		const char *msg;	/* part of the error */
	} v[] = {
		{ "10.9.0.1:1194", 1, 1, AF_INET, "10.9.0.1", 1194, NULL },
		{ "0.0.0.0:0", 0, 1, AF_INET, "0.0.0.0", 0, NULL },
		{ "[fd09::1]:1194", 1, 1, AF_INET6, "fd09::1", 1194, NULL },
		{ "[::]:65535", 0, 1, AF_INET6, "::", 65535, NULL },
		{ "10.9.0.1:0", 1, 0, 0, NULL, 0, "port must be a number 1..65535" },
		{ "10.9.0.1:65536", 0, 0, 0, NULL, 0, "port must be" },
		{ "10.9.0.1", 1, 0, 0, NULL, 0, "expected ADDR:PORT" },
		{ "fd09::1:1194", 1, 0, 0, NULL, 0, "expected ADDR:PORT" },
		{ "[fd09::1]1194", 1, 0, 0, NULL, 0, "expected ADDR:PORT" },
		{ "[10.9.0.1]:1194", 1, 0, 0, NULL, 0, "not an IPv6 address" },
		{ "host.example:1194", 1, 0, 0, NULL, 0, "not an IPv4 address" },
		{ "10.9.0.1:12x", 1, 0, 0, NULL, 0, "port must be" },
		{ "10.9.0.1:-1", 1, 0, 0, NULL, 0, "port must be" },
		{ ":1194", 1, 0, 0, NULL, 0, "expected ADDR:PORT" },
		{ "", 1, 0, 0, NULL, 0, "expected ADDR:PORT" },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct sockaddr_storage ss;
		socklen_t len;
		char err[200] = "", txt[64] = "";
		int r = mvpn_endpoint_parse(v[i].in, v[i].want_port, &ss, &len, err, sizeof(err));

		CHECK((r == 0) == v[i].ok, "'%s': returned %d (%s)", v[i].in, r, err);
		if (r == 0 && v[i].ok) {
			unsigned int port;

			CHECK(ss.ss_family == v[i].family, "'%s': family", v[i].in);
			if (ss.ss_family == AF_INET) {
				inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, txt, sizeof(txt));
				port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
				CHECK(len == sizeof(struct sockaddr_in), "'%s': length", v[i].in);
			} else {
				inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, txt,
					  sizeof(txt));
				port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
				CHECK(len == sizeof(struct sockaddr_in6), "'%s': length", v[i].in);
			}
			CHECK(strcmp(txt, v[i].addr) == 0 && port == v[i].port, "'%s': got %s port %u",
			      v[i].in, txt, port);
		}
		if (r != 0 && !v[i].ok)
			CHECK(strstr(err, v[i].msg) != NULL, "'%s': message '%s'", v[i].in, err);
	}
}

static void cidrs(void)
{
	static const struct {
		const char *in;
		int ok, family;
		unsigned int prefix;
	} v[] = {
		{ "10.99.0.1/24", 1, AF_INET, 24 }, { "10.99.0.1", 1, AF_INET, 32 },
		{ "10.99.0.1/0", 1, AF_INET, 0 }, { "fd99::1/64", 1, AF_INET6, 64 },
		{ "fd99::1", 1, AF_INET6, 128 }, { "10.99.0.1/33", 0, 0, 0 },
		{ "fd99::1/129", 0, 0, 0 }, { "10.99.0.1/", 0, 0, 0 }, { "/24", 0, 0, 0 },
		{ "10.99.0/24", 0, 0, 0 }, { "10.99.0.1/2x", 0, 0, 0 }, { "", 0, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct mvpn_cidr c;
		char err[200] = "";
		int r = mvpn_cidr_parse(v[i].in, &c, err, sizeof(err));

		CHECK((r == 0) == v[i].ok, "'%s': returned %d (%s)", v[i].in, r, err);
		if (!r && v[i].ok)
			CHECK(c.family == v[i].family && c.prefix == v[i].prefix, "'%s': %d/%u",
			      v[i].in, c.family, c.prefix);
		if (r)
			CHECK(strstr(err, v[i].in) != NULL, "'%s': message names the input: %s",
			      v[i].in, err);
	}
}

static void keepalives(void)
{
	static const struct {
		const char *in;
		int ok;
		uint32_t i, t;
	} v[] = {
		{ "10,60", 1, 10, 60 }, { "0,0", 1, 0, 0 }, { "1,86400", 1, 1, 86400 },
		{ "0,30", 1, 0, 30 }, { "5,0", 1, 5, 0 }, { "60,10", 0, 0, 0 }, { "10,10", 0, 0, 0 },
		{ "10", 0, 0, 0 }, { "10,", 0, 0, 0 }, { ",60", 0, 0, 0 }, { "1,86401", 0, 0, 0 },
		{ "a,b", 0, 0, 0 }, { "1,2,3", 0, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint32_t a = 99, b = 99;
		char err[200] = "";
		int r = mvpn_keepalive_parse(v[i].in, &a, &b, err, sizeof(err));

		CHECK((r == 0) == v[i].ok, "'%s': returned %d (%s)", v[i].in, r, err);
		if (!r && v[i].ok)
			CHECK(a == v[i].i && b == v[i].t, "'%s': %u,%u", v[i].in, a, b);
	}
}

static void numbers(void)
{
	uint32_t v;

	CHECK(mvpn_u32_parse("0", 0, 10, &v) == 0 && v == 0, "0");
	CHECK(mvpn_u32_parse("16777215", 0, 16777215, &v) == 0 && v == 16777215, "max");
	CHECK(mvpn_u32_parse("16777216", 0, 16777215, &v) == -1, "max + 1");
	CHECK(mvpn_u32_parse("4294967295", 0, UINT32_MAX, &v) == 0 && v == UINT32_MAX, "u32 max");
	CHECK(mvpn_u32_parse("4294967296", 0, UINT32_MAX, &v) == -1, "u32 max + 1");
	CHECK(mvpn_u32_parse("-1", 0, 10, &v) == -1, "negative");
	CHECK(mvpn_u32_parse("+1", 0, 10, &v) == -1, "sign");
	CHECK(mvpn_u32_parse(" 1", 0, 10, &v) == -1, "space");
	CHECK(mvpn_u32_parse("1 ", 0, 10, &v) == -1, "trailing space");
	CHECK(mvpn_u32_parse("", 0, 10, &v) == -1, "empty");
	CHECK(mvpn_u32_parse("5", 6, 10, &v) == -1, "below min");
}

static void key_files(void)
{
	/* base64 of bytes 0..79 */
	static const char good[] =
		"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v\n"
		"MDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk8=\n";
	struct mvpn_p2p_keys k;
	struct mvpn_dp_key d0, d1;
	char err[200] = "";

	CHECK(mvpn_p2p_keys_parse(good, strlen(good), &k, err, sizeof(err)) == 0, "good: %s", err);
	CHECK(k.k0[0] == 0 && k.k0[31] == 31 && k.t0[0] == 32 && k.t0[7] == 39 &&
	      k.k1[0] == 40 && k.k1[31] == 71 && k.t1[0] == 72 && k.t1[7] == 79, "layout");
	CHECK(mvpn_p2p_key_for_dir(&k, 0, 0, MVPN_DP_AES_256_GCM, &d0, err, sizeof(err)) == 0 &&
	      mvpn_p2p_key_for_dir(&k, 1, 0, MVPN_DP_AES_256_GCM, &d1, err, sizeof(err)) == 0,
	      "directions");
	CHECK(!memcmp(d0.encrypt.key, k.k0, 32) && !memcmp(d0.encrypt.nonce_tail, k.t0, 8) &&
	      !memcmp(d0.decrypt.key, k.k1, 32) && !memcmp(d0.decrypt.nonce_tail, k.t1, 8),
	      "key-dir 0 sends with K0/T0");
	CHECK(!memcmp(&d0.encrypt, &d1.decrypt, sizeof(d0.encrypt)) &&
	      !memcmp(&d0.decrypt, &d1.encrypt, sizeof(d0.decrypt)), "key-dir 1 mirrors 0");
	CHECK(mvpn_p2p_key_for_dir(&k, 0, 0, MVPN_DP_AES_128_GCM, &d0, err, sizeof(err)) == 0 &&
	      !memcmp(d0.encrypt.key, k.k0, 16) && d0.encrypt.key[16] == 0 &&
	      d0.encrypt.key[31] == 0, "AES-128 takes the first 16 bytes only");
	CHECK(mvpn_p2p_key_for_dir(&k, 2, 0, MVPN_DP_AES_128_GCM, &d0, err, sizeof(err)) == -1,
	      "key-dir 2");
	CHECK(mvpn_p2p_key_for_dir(&k, 0, 0, MVPN_DP_CIPHER_NONE, &d0, err, sizeof(err)) == -1,
	      "no cipher");

	CHECK(mvpn_p2p_keys_parse("AAEC", 4, &k, err, sizeof(err)) == -1 &&
	      strstr(err, "holds 3 bytes; expected exactly 80"), "short: %s", err);
	CHECK(mvpn_p2p_keys_parse("AAEC!!", 6, &k, err, sizeof(err)) == -1 &&
	      strstr(err, "not base64"), "not base64: %s", err);
	{
		char longer[200];

		snprintf(longer, sizeof(longer), "%sAAAA", good);
		CHECK(mvpn_p2p_keys_parse(longer, strlen(longer), &k, err, sizeof(err)) == -1,
		      "data after padding / too long");
	}
	CHECK(mvpn_p2p_keys_parse("", 0, &k, err, sizeof(err)) == -1, "empty");
}

int main(void)
{
	RUN("p2pconf", endpoints);
	RUN("p2pconf", cidrs);
	RUN("p2pconf", keepalives);
	RUN("p2pconf", numbers);
	RUN("p2pconf", key_files);
	CHECK_EXIT();
}
