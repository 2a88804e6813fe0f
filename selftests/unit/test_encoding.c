// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests: base64 and hex decoding of key material (RFC 4648 vectors). */
#include "check.h"
#include "encoding.h"

static void b64_rfc4648_vectors(void)
{
	static const struct { const char *txt, *b64; } v[] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t out[16];
		char enc[16];
		long n = b64_decode(v[i].b64, strlen(v[i].b64), out, sizeof(out));

		CHECK(n == (long)strlen(v[i].txt), "vector %zu: decoded %ld bytes", i, n);
		if (n > 0)
			CHECK_MEM(out, v[i].txt, (size_t)n, v[i].b64);
		CHECK(b64_encode((const uint8_t *)v[i].txt, strlen(v[i].txt), enc, sizeof(enc)) ==
			      (long)strlen(v[i].b64) && strcmp(enc, v[i].b64) == 0,
		      "vector %zu: encoded as %s", i, enc);
	}
}

static void b64_whitespace_and_errors(void)
{
	uint8_t out[8];

	CHECK(b64_decode(" Zm9v\nYmFy \r\n", 13, out, sizeof(out)) == 6, "whitespace ignored");
	CHECK(b64_decode("Zm9v!", 5, out, sizeof(out)) == -1, "bad character");
	CHECK(b64_decode("Zg==Zg==", 8, out, sizeof(out)) == -1, "data after padding");
	CHECK(b64_decode("Zh==", 4, out, sizeof(out)) == -1, "non-zero trailing bits");
	CHECK(b64_decode("Z", 1, out, sizeof(out)) == -1, "truncated quantum");
	CHECK(b64_decode("Zm9vYmFyZm9vYmFy", 16, out, 8) == -1, "output too small");
}

static void hex_cases(void)
{
	uint8_t out[4];

	CHECK(hex_decode("00ff A5\n7e", 10, out, sizeof(out)) == 4 && out[1] == 0xff &&
		      out[2] == 0xa5 && out[3] == 0x7e, "mixed case with whitespace");
	CHECK(hex_decode("abc", 3, out, sizeof(out)) == -1, "odd digit count");
	CHECK(hex_decode("zz", 2, out, sizeof(out)) == -1, "not hex");
	CHECK(hex_decode("0011223344", 10, out, sizeof(out)) == -1, "too long");
}

int main(void)
{
	RUN("encoding", b64_rfc4648_vectors);
	RUN("encoding", b64_whitespace_and_errors);
	RUN("encoding", hex_cases);
	CHECK_EXIT();
}
