// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target: the receive side of compression framing (comp.c).
 * Byte 0 picks the framing (low 3 bits: algorithm row below); the rest is a
 * decrypted data-channel payload from a hostile peer.  It must be rejected
 * with a message or unframed within the output buffer, never crash.  When
 * it is accepted, framing and compressing the result again and unframing
 * that must give it back (the TX side, with allow-compression yes).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "comp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const char *name, *arg;
} modes[] = {
	{ NULL, NULL },		  { "comp-lzo", "no" }, { "compress", "stub" },
	{ "compress", "stub-v2" }, { "comp-lzo", "yes" }, { "compress", "lz4" },
	{ "compress", "lz4-v2" }, { "comp-lzo", "adaptive" },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[1600], again[1600 + COMP_MAX_OVERHEAD(1600)], back[1600];
	struct comp_settings s = { 0 };
	struct comp_ctx ctx;
	char err[128];
	long n, m, k;

	if (size < 1)
		return 0;
	if (modes[data[0] & 7].name &&
	    comp_parse_directive(&s, modes[data[0] & 7].name, modes[data[0] & 7].arg, err,
				 sizeof(err)))
		abort();
	comp_parse_directive(&s, "allow-compression", "yes", err, sizeof(err));
	if (comp_ctx_init(&ctx, &s))
		abort();
	n = comp_decompress(&ctx, data + 1, size - 1, out, sizeof(out));
	if (n < 0) {
		if (!ctx.err[0])
			abort();	/* every rejection explains itself */
	} else {
		if ((size_t)n > sizeof(out))
			abort();
		m = comp_compress(&ctx, out, (size_t)n, again, sizeof(again), (int64_t)size);
		if (m < 0)
			abort();
		k = comp_decompress(&ctx, again, (size_t)m, back, sizeof(back));
		if (k != n || memcmp(back, out, (size_t)n))
			abort();
	}
	comp_ctx_free(&ctx);
	return 0;
}
