// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: OpenVPN compression framing (openvpn-protocol.md §12).
 * Framing bytes for each mode, swap variants, LZO1X and LZ4 known-answer
 * streams built by hand from the format specifications, round trips, the
 * allow-compression rules, adaptive LZO, and malformed input.
 */
#include <stdint.h>

#include "check.h"
#include "comp.h"
#include "config.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct comp_settings parse(const char *name, const char *arg)
{
	struct comp_settings s = { 0 };
	char err[160];

	CHECK(comp_parse_directive(&s, name, arg, err, sizeof(err)) == 0, "%s %s: %s", name,
	      arg ? arg : "", err);
	return s;
}

static void directive_table(void)
{
	static const struct {
		const char *name, *arg;
		enum comp_algo algo;
		bool swap, adaptive;
		const char *describe;
	} v[] = {
		{ "comp-lzo", NULL, COMP_ALGO_LZO, false, true, "comp-lzo adaptive" },
		{ "comp-lzo", "adaptive", COMP_ALGO_LZO, false, true, "comp-lzo adaptive" },
		{ "comp-lzo", "yes", COMP_ALGO_LZO, false, false, "comp-lzo yes" },
		{ "comp-lzo", "no", COMP_ALGO_STUB, false, false, "comp-lzo no" },
		{ "compress", NULL, COMP_ALGO_STUB, true, false, "compress stub" },
		{ "compress", "stub", COMP_ALGO_STUB, true, false, "compress stub" },
		{ "compress", "stub-v2", COMP_ALGO_STUB_V2, false, false, "compress stub-v2" },
		{ "compress", "lzo", COMP_ALGO_LZO, false, false, "comp-lzo yes" },
		{ "compress", "lz4", COMP_ALGO_LZ4, true, false, "compress lz4" },
		{ "compress", "lz4-v2", COMP_ALGO_LZ4_V2, false, false, "compress lz4-v2" },
	};
	for (size_t i = 0; i < N(v); i++) {
		struct comp_settings s = parse(v[i].name, v[i].arg);

		CHECK(s.algo == v[i].algo && s.swap == v[i].swap && s.adaptive == v[i].adaptive,
		      "row %zu: algo %d swap %d adaptive %d", i, s.algo, s.swap, s.adaptive);
		CHECK(strcmp(comp_describe(&s), v[i].describe) == 0, "row %zu: %s", i,
		      comp_describe(&s));
	}
}

static void directive_errors(void)
{
	static const struct {
		const char *name, *arg, *msg;
	} v[] = {
		{ "comp-lzo", "maybe", "comp-lzo: unknown argument 'maybe' (expected yes, no or adaptive)" },
		{ "compress", "snappy", "compress: unknown argument 'snappy' (expected stub, stub-v2, lzo, lz4 or lz4-v2)" },
		{ "compress", "migrate", "'compress migrate' is a server option; a client cannot use it" },
		{ "allow-compression", NULL, "allow-compression needs an argument: yes, asym or no" },
		{ "allow-compression", "sometimes", "allow-compression: unknown argument 'sometimes' (expected yes, asym or no)" },
		{ "cipher", "x", "'cipher' is not a compression directive" },
	};
	for (size_t i = 0; i < N(v); i++) {
		struct comp_settings s = { 0 };
		char err[160] = "";

		CHECK(comp_parse_directive(&s, v[i].name, v[i].arg, err, sizeof(err)) == -1,
		      "row %zu accepted", i);
		CHECK(strcmp(err, v[i].msg) == 0, "row %zu: message '%s'", i, err);
	}
}

/* allow-compression resolution, as OpenVPN 2.6.14 shows it (comp.flags). */
static void allow_rules(void)
{
	struct comp_settings s = { 0 }, p;
	char err[200] = "";

	CHECK(comp_effective_allow(&s) == COMP_ALLOW_NO, "default is stub-only");
	s = parse("comp-lzo", "yes");
	CHECK(comp_effective_allow(&s) == COMP_ALLOW_ASYM, "configured lzo implies asym");
	CHECK(comp_check_config(&s, err, sizeof(err)) == 0, "comp-lzo yes alone is valid");
	CHECK(comp_parse_directive(&s, "allow-compression", "no", err, sizeof(err)) == 0, "parse");
	CHECK(comp_check_config(&s, err, sizeof(err)) == -1, "no + lzo must be refused");
	CHECK(strcmp(err, "'allow-compression no' conflicts with 'comp-lzo yes'") == 0, "%s", err);
	s = parse("comp-lzo", "no");
	CHECK(comp_parse_directive(&s, "allow-compression", "no", err, sizeof(err)) == 0, "parse");
	CHECK(comp_check_config(&s, err, sizeof(err)) == 0, "no + stub is valid");

	/* pushes: stubs always accepted, real algorithms only when allowed */
	s = (struct comp_settings){ 0 };
	p = parse("compress", "stub-v2");
	CHECK(comp_apply_pushed(&s, &p, err, sizeof(err)) == 0, "stub-v2 push: %s", err);
	CHECK(s.algo == COMP_ALGO_STUB_V2, "applied");
	s = (struct comp_settings){ 0 };
	p = parse("compress", "lz4-v2");
	CHECK(comp_apply_pushed(&s, &p, err, sizeof(err)) == -1, "lz4-v2 push to stub-only");
	CHECK(strcmp(err, "server pushed 'compress lz4-v2' but only compression stubs are allowed "
			  "(no compression configured); add 'allow-compression asym' to accept it") == 0,
	      "%s", err);
	CHECK(s.algo == COMP_ALGO_NONE, "refused push leaves settings alone");
	s.allow = COMP_ALLOW_ASYM;
	CHECK(comp_apply_pushed(&s, &p, err, sizeof(err)) == 0, "asym accepts: %s", err);
	CHECK(s.algo == COMP_ALGO_LZ4_V2 && s.allow == COMP_ALLOW_ASYM, "applied, allow kept");
}

/* The config parser's resolved values map onto the same settings. */
static void from_config(void)
{
	static const struct {
		int comp, allow;
		bool noadapt;
		const char *describe;
		enum comp_allow want_allow;
	} v[] = {
		{ MVPN_COMP_NONE, MVPN_ALLOW_COMP_NO, false, "", COMP_ALLOW_NO },
		{ MVPN_COMP_LZO_NO, MVPN_ALLOW_COMP_NO, false, "comp-lzo no", COMP_ALLOW_NO },
		{ MVPN_COMP_LZO_ADAPTIVE, MVPN_ALLOW_COMP_ASYM, false, "comp-lzo adaptive", COMP_ALLOW_ASYM },
		{ MVPN_COMP_LZO_ADAPTIVE, MVPN_ALLOW_COMP_YES, true, "comp-lzo yes", COMP_ALLOW_YES },
		{ MVPN_COMP_LZO_YES, MVPN_ALLOW_COMP_ASYM, false, "comp-lzo yes", COMP_ALLOW_ASYM },
		{ MVPN_COMP_LZO, MVPN_ALLOW_COMP_ASYM, false, "comp-lzo yes", COMP_ALLOW_ASYM },
		{ MVPN_COMP_STUB, MVPN_ALLOW_COMP_NO, false, "compress stub", COMP_ALLOW_NO },
		{ MVPN_COMP_STUB_V2, MVPN_ALLOW_COMP_NO, false, "compress stub-v2", COMP_ALLOW_NO },
		{ MVPN_COMP_LZ4, MVPN_ALLOW_COMP_ASYM, false, "compress lz4", COMP_ALLOW_ASYM },
		{ MVPN_COMP_LZ4_V2, MVPN_ALLOW_COMP_YES, false, "compress lz4-v2", COMP_ALLOW_YES },
	};
	struct comp_settings s;
	char err[128] = "";

	for (size_t i = 0; i < N(v); i++) {
		CHECK(comp_from_config(v[i].comp, v[i].noadapt, v[i].allow, &s, err, sizeof(err)) == 0,
		      "row %zu: %s", i, err);
		CHECK(strcmp(comp_describe(&s), v[i].describe) == 0 && s.allow == v[i].want_allow,
		      "row %zu: %s allow %d", i, comp_describe(&s), s.allow);
	}
	CHECK(comp_from_config(MVPN_COMP_MIGRATE, false, MVPN_ALLOW_COMP_NO, &s, err,
			       sizeof(err)) == -1 && strstr(err, "server option"), "migrate: %s", err);
	CHECK(comp_from_config(99, false, MVPN_ALLOW_COMP_NO, &s, err, sizeof(err)) == -1,
	      "unknown value accepted");
}

static void peer_info_and_occ(void)
{
	static const struct {
		const char *name, *arg, *allow, *pi;
		bool occ;
	} v[] = {
		{ NULL, NULL, NULL, "IV_LZO_STUB=1\nIV_COMP_STUB=1\nIV_COMP_STUBv2=1\n", false },
		{ "comp-lzo", "no", NULL, "IV_LZO_STUB=1\nIV_COMP_STUB=1\nIV_COMP_STUBv2=1\n", true },
		{ "compress", "stub-v2", NULL, "IV_LZO_STUB=1\nIV_COMP_STUB=1\nIV_COMP_STUBv2=1\n", true },
		{ "comp-lzo", NULL, NULL, "IV_LZ4=1\nIV_LZ4v2=1\nIV_LZO=1\nIV_COMP_STUB=1\nIV_COMP_STUBv2=1\n", true },
		{ NULL, NULL, "asym", "IV_LZ4=1\nIV_LZ4v2=1\nIV_LZO=1\nIV_COMP_STUB=1\nIV_COMP_STUBv2=1\n", false },
	};
	for (size_t i = 0; i < N(v); i++) {
		struct comp_settings s = { 0 };
		char out[256] = "IV_VER=x\n", err[64];

		if (v[i].name)
			s = parse(v[i].name, v[i].arg);
		if (v[i].allow)
			comp_parse_directive(&s, "allow-compression", v[i].allow, err, sizeof(err));
		CHECK(comp_peer_info(&s, out, sizeof(out)) == (int)strlen(v[i].pi), "row %zu len", i);
		CHECK(strncmp(out, "IV_VER=x\n", 9) == 0 && strcmp(out + 9, v[i].pi) == 0,
		      "row %zu: %s", i, out);
		CHECK(comp_in_occ(&s) == v[i].occ, "row %zu occ", i);
	}
	{
		struct comp_settings s = { 0 };
		char small[8] = "";

		CHECK(comp_peer_info(&s, small, sizeof(small)) == -1 && small[0] == '\0',
		      "overflow refused, buffer unchanged");
	}
}

/* A short payload (below the compression threshold) in each framing. */
static void framing_bytes(void)
{
	static const uint8_t ip[] = { 0x45, 0x00, 0x00, 0x54, 0xab };
	static const uint8_t esc[] = { 0x50, 0x01, 0x02 };
	static const struct {
		const char *name, *arg, *allow;
		const uint8_t *in;
		size_t inlen;
		uint8_t out[8];
		size_t outlen;
	} v[] = {
		{ NULL, NULL, NULL, ip, 5, { 0x45, 0x00, 0x00, 0x54, 0xab }, 5 },
		{ "comp-lzo", "no", NULL, ip, 5, { 0xfa, 0x45, 0x00, 0x00, 0x54, 0xab }, 6 },
		{ "comp-lzo", "yes", "yes", ip, 5, { 0xfa, 0x45, 0x00, 0x00, 0x54, 0xab }, 6 },
		{ "compress", "lzo", NULL, ip, 5, { 0xfa, 0x45, 0x00, 0x00, 0x54, 0xab }, 6 },
		{ "compress", NULL, NULL, ip, 5, { 0xfb, 0x00, 0x00, 0x54, 0xab, 0x45 }, 6 },
		{ "compress", "lz4", "yes", ip, 5, { 0xfb, 0x00, 0x00, 0x54, 0xab, 0x45 }, 6 },
		{ "compress", "stub-v2", NULL, ip, 5, { 0x45, 0x00, 0x00, 0x54, 0xab }, 5 },
		{ "compress", "lz4-v2", "yes", ip, 5, { 0x45, 0x00, 0x00, 0x54, 0xab }, 5 },
		{ "compress", "stub-v2", NULL, esc, 3, { 0x50, 0x00, 0x50, 0x01, 0x02 }, 5 },
		{ "compress", "lz4-v2", NULL, esc, 3, { 0x50, 0x00, 0x50, 0x01, 0x02 }, 5 },
		{ "compress", "stub", NULL, ip, 1, { 0xfb, 0x45 }, 2 },
	};
	for (size_t i = 0; i < N(v); i++) {
		struct comp_settings s = { 0 };
		struct comp_ctx ctx;
		uint8_t out[64], back[64];
		char err[64];
		long n, m;

		if (v[i].name)
			s = parse(v[i].name, v[i].arg);
		if (v[i].allow)
			comp_parse_directive(&s, "allow-compression", v[i].allow, err, sizeof(err));
		CHECK(comp_ctx_init(&ctx, &s) == 0, "row %zu init: %s", i, ctx.err);
		n = comp_compress(&ctx, v[i].in, v[i].inlen, out, sizeof(out), 0);
		CHECK(n == (long)v[i].outlen, "row %zu: %ld bytes (%s)", i, n, ctx.err);
		if (n == (long)v[i].outlen)
			CHECK_MEM(out, v[i].out, v[i].outlen, "framed bytes");
		m = comp_decompress(&ctx, v[i].out, v[i].outlen, back, sizeof(back));
		CHECK(m == (long)v[i].inlen, "row %zu: unframed %ld bytes (%s)", i, m, ctx.err);
		if (m == (long)v[i].inlen)
			CHECK_MEM(back, v[i].in, v[i].inlen, "unframed bytes");
		CHECK(comp_compress(&ctx, v[i].in, 0, out, sizeof(out), 0) == 0, "empty stays empty");
		CHECK(comp_decompress(&ctx, v[i].in, 0, back, sizeof(back)) == 0, "empty in");
		comp_ctx_free(&ctx);
	}
}

/*
 * Hand-made compressed streams (from the LZO1X and LZ4 block format
 * descriptions): they show the decoder really is LZO1X / LZ4 and that the
 * header and swap are handled.
 *   LZO1X: 0x16 = 17 + 5 literals "hello", then the end marker 11 00 00.
 *   LZ4:   token 0x35 = 3 literals "abc" + match (offset 3, length 4+5),
 *          token 0x50 = 5 literals "XYZWV".
 */
static void known_streams(void)
{
	static const struct {
		const char *name, *arg;
		uint8_t in[20];
		size_t inlen;
		const char *plain;
	} v[] = {
		{ "comp-lzo", NULL, { 0x66, 0x16, 'h', 'e', 'l', 'l', 'o', 0x11, 0x00, 0x00 }, 10,
		  "hello" },
		{ "compress", "lzo", { 0x66, 0x16, 'h', 'e', 'l', 'l', 'o', 0x11, 0x00, 0x00 }, 10,
		  "hello" },
		{ "compress", "lz4", { 0x69, 'a', 'b', 'c', 0x03, 0x00, 0x50, 'X', 'Y', 'Z', 'W', 'V',
				       0x35 }, 13, "abcabcabcabcXYZWV" },
		{ "compress", "lz4-v2", { 0x50, 0x01, 0x35, 'a', 'b', 'c', 0x03, 0x00, 0x50, 'X', 'Y',
					  'Z', 'W', 'V' }, 14, "abcabcabcabcXYZWV" },
	};
	for (size_t i = 0; i < N(v); i++) {
		struct comp_settings s = parse(v[i].name, v[i].arg);
		struct comp_ctx ctx;
		uint8_t out[64];
		long n;

		comp_ctx_init(&ctx, &s);
		n = comp_decompress(&ctx, v[i].in, v[i].inlen, out, sizeof(out));
		CHECK(n == (long)strlen(v[i].plain), "row %zu: %ld (%s)", i, n, ctx.err);
		if (n == (long)strlen(v[i].plain))
			CHECK_MEM(out, v[i].plain, (size_t)n, v[i].plain);
		/* the same stream must not fit a too-small output buffer */
		CHECK(comp_decompress(&ctx, v[i].in, v[i].inlen, out, 3) == -1,
		      "row %zu: output cap ignored", i);
		comp_ctx_free(&ctx);
	}
}

static void fill_text(uint8_t *p, size_t n)
{
	static const char t[] = "GET /index.html HTTP/1.1\r\nHost: example.test\r\n";

	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)t[i % (sizeof(t) - 1)];
}

static void fill_random(uint8_t *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
}

/* allow-compression yes compresses what shrinks; asym only frames. */
static void round_trips(void)
{
	static const struct {
		const char *name, *arg, *allow;
		int hdr0, hdr1;		/* expected first bytes; -1: any */
		bool compressed;
	} v[] = {
		{ "comp-lzo", "yes", "yes", 0x66, -1, true },
		{ "comp-lzo", NULL, "yes", 0x66, -1, true },
		{ "compress", "lz4", "yes", 0x69, -1, true },
		{ "compress", "lz4-v2", "yes", 0x50, 0x01, true },
		{ "comp-lzo", "yes", NULL, 0xfa, 0x47, false },
		{ "compress", "lz4", "asym", 0xfb, 0x45, false },
		{ "compress", "lz4-v2", NULL, 0x47, 0x45, false },
	};
	for (size_t i = 0; i < N(v); i++) {
		struct comp_settings s = parse(v[i].name, v[i].arg);
		uint8_t in[1400], out[1400 + COMP_MAX_OVERHEAD(1400)], back[1500];
		struct comp_ctx ctx;
		char err[64];
		long n, m;

		if (v[i].allow)
			comp_parse_directive(&s, "allow-compression", v[i].allow, err, sizeof(err));
		fill_text(in, sizeof(in));
		comp_ctx_init(&ctx, &s);
		n = comp_compress(&ctx, in, sizeof(in), out, sizeof(out), 100);
		CHECK(n > 0, "row %zu: %s", i, ctx.err);
		if (n <= 0)
			continue;
		CHECK(v[i].compressed ? n < (long)sizeof(in) / 2 : n >= (long)sizeof(in),
		      "row %zu: %ld bytes", i, n);
		CHECK(out[0] == v[i].hdr0 && (v[i].hdr1 < 0 || out[1] == v[i].hdr1), "row %zu: header %02x %02x", i,
		      out[0], out[1]);
		m = comp_decompress(&ctx, out, (size_t)n, back, sizeof(back));
		CHECK(m == (long)sizeof(in) && memcmp(back, in, sizeof(in)) == 0,
		      "row %zu: round trip %ld (%s)", i, m, ctx.err);
		/* incompressible data goes out uncompressed even when allowed */
		fill_random(in, sizeof(in), 7);
		n = comp_compress(&ctx, in, sizeof(in), out, sizeof(out), 100);
		CHECK(n >= (long)sizeof(in) && n <= (long)sizeof(in) + 2, "row %zu random: %ld", i, n);
		m = comp_decompress(&ctx, out, (size_t)n, back, sizeof(back));
		CHECK(m == (long)sizeof(in) && memcmp(back, in, sizeof(in)) == 0,
		      "row %zu: random round trip %ld (%s)", i, m, ctx.err);
		/* below the threshold nothing is compressed */
		fill_text(in, 99);
		n = comp_compress(&ctx, in, 99, out, sizeof(out), 100);
		CHECK(n >= 99 && n <= 101, "row %zu: 99 bytes became %ld", i, n);
		comp_ctx_free(&ctx);
	}
}

/* comp-lzo adaptive: pauses 60 s after a 2 s sample that saved < 5 %. */
static void adaptive_lzo(void)
{
	struct comp_settings s = parse("comp-lzo", "adaptive");
	uint8_t in[1000], out[1000 + COMP_MAX_OVERHEAD(1000)];
	struct comp_ctx ctx;
	char err[64];
	int64_t t = 1000;

	comp_parse_directive(&s, "allow-compression", "yes", err, sizeof(err));
	comp_ctx_init(&ctx, &s);
	fill_random(in, sizeof(in), 3);
	/* first call opens a sample period; incompressible data fills it */
	for (int i = 0; i < 4; i++)
		comp_compress(&ctx, in, sizeof(in), out, sizeof(out), t);
	CHECK(ctx.pre_compress == 4000, "compressor tried 4 times (%llu bytes)",
	      (unsigned long long)ctx.pre_compress);
	t += 2;	/* sample over: compression pauses */
	comp_compress(&ctx, in, sizeof(in), out, sizeof(out), t);
	CHECK(ctx.ac.paused, "paused after a useless sample");
	fill_text(in, sizeof(in));
	CHECK(comp_compress(&ctx, in, sizeof(in), out, sizeof(out), t + 59) == 1001 &&
	      out[0] == 0xfa, "paused: text still sent uncompressed");
	CHECK(comp_compress(&ctx, in, sizeof(in), out, sizeof(out), t + 60) < 500 &&
	      out[0] == 0x66, "compresses again after 60 s");
	CHECK(!ctx.ac.paused, "resumed");
	comp_ctx_free(&ctx);
}

static void malformed_rejected(void)
{
	static const struct {
		const char *name, *arg;
		uint8_t in[12];
		size_t inlen;
		const char *msg;
	} v[] = {
		{ "comp-lzo", "no", { 0x66, 0x01 }, 2, "bad compression stub header byte 0x66 (comp-lzo no)" },
		{ "comp-lzo", "no", { 0xfb, 0x01 }, 2, "bad compression stub header byte 0xfb (comp-lzo no)" },
		{ "compress", "stub", { 0xfa, 0x01 }, 2, "bad compression stub (swap) header byte 0xfa (compress stub)" },
		{ "comp-lzo", "yes", { 0x45, 0x00 }, 2, "bad LZO header byte 0x45 (comp-lzo yes)" },
		{ "comp-lzo", "yes", { 0x66, 0x16, 'h', 'e' }, 4, "LZO decompression failed (error -4) on 3 bytes" },
		{ "comp-lzo", "yes", { 0x66, 0x11, 0x00 }, 3, "LZO decompression failed (error -4) on 2 bytes" },
		{ "compress", "lz4", { 0xfa, 0x01 }, 2, "bad LZ4 header byte 0xfa (compress lz4)" },
		{ "compress", "lz4", { 0x69 }, 1, "LZ4 packet has no compressed data" },
		{ "compress", "lz4", { 0x69, 'a', 0x09, 0x00, 0x50, 'X', 'Y', 'Z', 'W', 'V', 0x15 }, 11,
		  "LZ4 decompression failed on 10 bytes" },
		{ "compress", "lz4-v2", { 0x50 }, 1, "v2 compression header 0x50 without its algorithm byte" },
		{ "compress", "lz4-v2", { 0x50, 0x02, 0x00 }, 3, "bad v2 compression algorithm header byte 0x02 (compress lz4-v2)" },
		{ "compress", "stub-v2", { 0x50, 0x01, 0x50 }, 3, "bad v2 compression algorithm header byte 0x01 (compress stub-v2)" },
		{ "compress", "lz4-v2", { 0x50, 0x01, 0xf0 }, 3, "LZ4 decompression failed on 1 bytes" },
	};
	for (size_t i = 0; i < N(v); i++) {
		struct comp_settings s = parse(v[i].name, v[i].arg);
		struct comp_ctx ctx;
		uint8_t out[64];

		comp_ctx_init(&ctx, &s);
		CHECK(comp_decompress(&ctx, v[i].in, v[i].inlen, out, sizeof(out)) == -1,
		      "row %zu accepted", i);
		CHECK(strcmp(ctx.err, v[i].msg) == 0, "row %zu: '%s'", i, ctx.err);
		comp_ctx_free(&ctx);
	}
}

int main(void)
{
	RUN("comp", directive_table);
	RUN("comp", directive_errors);
	RUN("comp", allow_rules);
	RUN("comp", from_config);
	RUN("comp", peer_info_and_occ);
	RUN("comp", framing_bytes);
	RUN("comp", known_streams);
	RUN("comp", round_trips);
	RUN("comp", adaptive_lzo);
	RUN("comp", malformed_rejected);
	CHECK_EXIT();
}
