// SPDX-License-Identifier: BSD-2-Clause
/*
 * comp.c: OpenVPN compression framing, LZO1X (liblzo2) and LZ4 (liblz4).
 * See comp.h for the byte layouts and the allow-compression rules.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lz4.h>
#include <lzo/lzo1x.h>

#include "comp.h"
#include "config.h"

/* Adaptive LZO: sample for 2 s; if it saved under 5 % of at least 1000
 * bytes, stop compressing for 60 s (OpenVPN's AC_* constants, lzo.h). */
#define AC_SAMPLE_SEC	2
#define AC_MIN_BYTES	1000
#define AC_SAVE_PCT	5
#define AC_OFF_SEC	60

static void __attribute__((format(printf, 3, 4)))
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

bool comp_algo_is_real(enum comp_algo a)
{
	return a == COMP_ALGO_LZO || a == COMP_ALGO_LZ4 || a == COMP_ALGO_LZ4_V2;
}

enum comp_allow comp_effective_allow(const struct comp_settings *s)
{
	if (s->allow != COMP_ALLOW_UNSET)
		return s->allow;
	return comp_algo_is_real(s->algo) ? COMP_ALLOW_ASYM : COMP_ALLOW_NO;
}

static void set_algo(struct comp_settings *s, enum comp_algo a, bool swap, bool adaptive)
{
	s->algo = a;
	s->swap = swap;
	s->adaptive = adaptive;
}

int comp_parse_directive(struct comp_settings *s, const char *name, const char *arg,
			 char *err, size_t errlen)
{
	if (strcmp(name, "comp-lzo") == 0) {
		if (!arg || strcmp(arg, "adaptive") == 0)
			set_algo(s, COMP_ALGO_LZO, false, true);
		else if (strcmp(arg, "yes") == 0)
			set_algo(s, COMP_ALGO_LZO, false, false);
		else if (strcmp(arg, "no") == 0)
			set_algo(s, COMP_ALGO_STUB, false, false);
		else
			goto bad_arg;
		return 0;
	}
	if (strcmp(name, "compress") == 0) {
		if (!arg || strcmp(arg, "stub") == 0)
			set_algo(s, COMP_ALGO_STUB, true, false);
		else if (strcmp(arg, "stub-v2") == 0)
			set_algo(s, COMP_ALGO_STUB_V2, false, false);
		else if (strcmp(arg, "lzo") == 0)
			set_algo(s, COMP_ALGO_LZO, false, false);
		else if (strcmp(arg, "lz4") == 0)
			set_algo(s, COMP_ALGO_LZ4, true, false);
		else if (strcmp(arg, "lz4-v2") == 0)
			set_algo(s, COMP_ALGO_LZ4_V2, false, false);
		else if (strcmp(arg, "migrate") == 0) {
			seterr(err, errlen, "'compress migrate' is a server option; a client "
			       "cannot use it");
			return -1;
		} else
			goto bad_arg;
		return 0;
	}
	if (strcmp(name, "allow-compression") == 0) {
		if (!arg) {
			seterr(err, errlen, "allow-compression needs an argument: yes, asym or no");
			return -1;
		}
		if (strcmp(arg, "yes") == 0)
			s->allow = COMP_ALLOW_YES;
		else if (strcmp(arg, "asym") == 0)
			s->allow = COMP_ALLOW_ASYM;
		else if (strcmp(arg, "no") == 0)
			s->allow = COMP_ALLOW_NO;
		else
			goto bad_arg;
		return 0;
	}
	seterr(err, errlen, "'%s' is not a compression directive", name);
	return -1;

bad_arg:
	seterr(err, errlen, "%s: unknown argument '%s' (expected %s)", name, arg,
	       strcmp(name, "comp-lzo") == 0 ? "yes, no or adaptive" :
	       strcmp(name, "compress") == 0 ? "stub, stub-v2, lzo, lz4 or lz4-v2" :
	       "yes, asym or no");
	return -1;
}

int comp_from_config(int mvpn_comp, bool comp_noadapt, int mvpn_allow_comp,
		     struct comp_settings *out, char *err, size_t errlen)
{
	struct comp_settings s = { 0 };

	switch (mvpn_comp) {
	case MVPN_COMP_NONE:
		break;
	case MVPN_COMP_LZO_NO:
		set_algo(&s, COMP_ALGO_STUB, false, false);
		break;
	case MVPN_COMP_LZO_YES:
	case MVPN_COMP_LZO:
		set_algo(&s, COMP_ALGO_LZO, false, false);
		break;
	case MVPN_COMP_LZO_ADAPTIVE:
		set_algo(&s, COMP_ALGO_LZO, false, !comp_noadapt);
		break;
	case MVPN_COMP_STUB:
		set_algo(&s, COMP_ALGO_STUB, true, false);
		break;
	case MVPN_COMP_STUB_V2:
		set_algo(&s, COMP_ALGO_STUB_V2, false, false);
		break;
	case MVPN_COMP_LZ4:
		set_algo(&s, COMP_ALGO_LZ4, true, false);
		break;
	case MVPN_COMP_LZ4_V2:
		set_algo(&s, COMP_ALGO_LZ4_V2, false, false);
		break;
	case MVPN_COMP_MIGRATE:
		seterr(err, errlen, "'compress migrate' is a server option; a client cannot use it");
		return -1;
	default:
		seterr(err, errlen, "unknown compression setting %d", mvpn_comp);
		return -1;
	}
	switch (mvpn_allow_comp) {
	case MVPN_ALLOW_COMP_NO:
		s.allow = COMP_ALLOW_NO;
		break;
	case MVPN_ALLOW_COMP_ASYM:
		s.allow = COMP_ALLOW_ASYM;
		break;
	case MVPN_ALLOW_COMP_YES:
		s.allow = COMP_ALLOW_YES;
		break;
	default:
		seterr(err, errlen, "unknown allow-compression setting %d", mvpn_allow_comp);
		return -1;
	}
	*out = s;
	return 0;
}

const char *comp_describe(const struct comp_settings *s)
{
	switch (s->algo) {
	case COMP_ALGO_NONE:
		return "";
	case COMP_ALGO_STUB:
		return s->swap ? "compress stub" : "comp-lzo no";
	case COMP_ALGO_STUB_V2:
		return "compress stub-v2";
	case COMP_ALGO_LZO:
		return s->adaptive ? "comp-lzo adaptive" : "comp-lzo yes";
	case COMP_ALGO_LZ4:
		return "compress lz4";
	case COMP_ALGO_LZ4_V2:
		return "compress lz4-v2";
	}
	return "?";
}

int comp_check_config(const struct comp_settings *s, char *err, size_t errlen)
{
	if (s->allow == COMP_ALLOW_NO && comp_algo_is_real(s->algo)) {
		seterr(err, errlen, "'allow-compression no' conflicts with '%s'", comp_describe(s));
		return -1;
	}
	return 0;
}

int comp_apply_pushed(struct comp_settings *local, const struct comp_settings *pushed,
		      char *err, size_t errlen)
{
	if (comp_algo_is_real(pushed->algo) && comp_effective_allow(local) == COMP_ALLOW_NO) {
		seterr(err, errlen, "server pushed '%s' but only compression stubs are allowed "
		       "(%s); add 'allow-compression asym' to accept it",
		       comp_describe(pushed),
		       local->allow == COMP_ALLOW_NO ? "allow-compression no" :
		       "no compression configured");
		return -1;
	}
	local->algo = pushed->algo;
	local->swap = pushed->swap;
	local->adaptive = pushed->adaptive;
	return 0;
}

int comp_peer_info(const struct comp_settings *s, char *out, size_t cap)
{
	bool real = comp_algo_is_real(s->algo) ||
		    s->allow == COMP_ALLOW_ASYM || s->allow == COMP_ALLOW_YES;
	size_t used = strnlen(out, cap);
	int n;

	if (used >= cap)
		return -1;
	n = snprintf(out + used, cap - used, "%s%s%s",
		     real ? "IV_LZ4=1\nIV_LZ4v2=1\nIV_LZO=1\n" : "IV_LZO_STUB=1\n",
		     "IV_COMP_STUB=1\n", "IV_COMP_STUBv2=1\n");
	if (n < 0 || (size_t)n >= cap - used) {
		out[used] = '\0';
		return -1;
	}
	return n;
}

bool comp_in_occ(const struct comp_settings *s)
{
	return s->algo != COMP_ALGO_NONE;
}

int comp_ctx_init(struct comp_ctx *ctx, const struct comp_settings *s)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->s = *s;
	if (s->algo == COMP_ALGO_LZO) {
		if (lzo_init() != LZO_E_OK) {
			seterr(ctx->err, sizeof(ctx->err), "liblzo2 failed to initialise");
			return -1;
		}
		if (comp_effective_allow(s) == COMP_ALLOW_YES) {
			ctx->lzo_wrkmem = calloc(1, LZO1X_1_15_MEM_COMPRESS);
			if (!ctx->lzo_wrkmem) {
				seterr(ctx->err, sizeof(ctx->err), "out of memory for LZO");
				return -1;
			}
		}
	}
	return 0;
}

void comp_ctx_free(struct comp_ctx *ctx)
{
	free(ctx->lzo_wrkmem);
	ctx->lzo_wrkmem = NULL;
}

/* Adaptive LZO: should this packet be offered to the compressor? */
static bool adaptive_wants(struct comp_adaptive *ac, int64_t now)
{
	if (!ac->paused) {
		if (now >= ac->next) {
			/* saved less than 5 % (or even grew) */
			if (ac->n_total > AC_MIN_BYTES &&
			    ac->n_comp + ac->n_total / (100 / AC_SAVE_PCT) > ac->n_total) {
				ac->paused = true;
				ac->next = now + AC_OFF_SEC;
			} else {
				ac->next = now + AC_SAMPLE_SEC;
			}
			ac->n_total = 0;
			ac->n_comp = 0;
		}
	} else if (now >= ac->next) {
		ac->paused = false;
		ac->next = now + AC_SAMPLE_SEC;
		ac->n_total = 0;
		ac->n_comp = 0;
	}
	return !ac->paused;
}

static long too_small(struct comp_ctx *ctx, size_t need, size_t cap)
{
	seterr(ctx->err, sizeof(ctx->err), "output buffer too small (%zu bytes, need %zu)",
	       cap, need);
	return -1;
}

/* Prefix framing: hdr | payload. */
static long frame_prefix(struct comp_ctx *ctx, uint8_t hdr, const uint8_t *in, size_t len,
			 uint8_t *out, size_t cap)
{
	if (cap < len + 1)
		return too_small(ctx, len + 1, cap);
	out[0] = hdr;
	memcpy(out + 1, in, len);
	return (long)len + 1;
}

/* Swap framing: hdr | in[1..len-1] | in[0]; keeps the payload aligned. */
static long frame_swap(struct comp_ctx *ctx, uint8_t hdr, const uint8_t *in, size_t len,
		       uint8_t *out, size_t cap)
{
	if (cap < len + 1)
		return too_small(ctx, len + 1, cap);
	out[0] = hdr;
	memcpy(out + 1, in + 1, len - 1);
	out[len] = in[0];
	return (long)len + 1;
}

/* v2 framing of an uncompressed payload: escape a leading 0x50 only. */
static long frame_v2_plain(struct comp_ctx *ctx, const uint8_t *in, size_t len,
			   uint8_t *out, size_t cap)
{
	size_t hl = in[0] == COMP_V2_INDICATOR ? 2 : 0;

	if (cap < len + hl)
		return too_small(ctx, len + hl, cap);
	if (hl) {
		out[0] = COMP_V2_INDICATOR;
		out[1] = COMP_V2_UNCOMPRESSED;
	}
	memcpy(out + hl, in, len);
	return (long)(len + hl);
}

/*
 * Try the real compressor into out + hl.  Returns the compressed length
 * when it is smaller than len, 0 when compression should not be used.
 */
static size_t try_compress(struct comp_ctx *ctx, const uint8_t *in, size_t len,
			   uint8_t *out, size_t cap, size_t hl, int64_t now)
{
	size_t zlen = 0;

	if (comp_effective_allow(&ctx->s) != COMP_ALLOW_YES || len < COMP_THRESHOLD)
		return 0;
	if (cap <= hl)
		return 0;
	if (ctx->s.algo == COMP_ALGO_LZO) {
		lzo_uint lz = cap - hl;

		if (ctx->s.adaptive && !adaptive_wants(&ctx->ac, now))
			return 0;
		if (!ctx->lzo_wrkmem || cap - hl < len + len / 16 + 64 + 3)
			return 0;	/* LZO needs its worst case available */
		if (lzo1x_1_15_compress(in, len, out + hl, &lz, ctx->lzo_wrkmem) != LZO_E_OK)
			return 0;
		zlen = lz;
		if (ctx->s.adaptive) {
			ctx->ac.n_total += len;
			ctx->ac.n_comp += zlen;
		}
	} else {
		int r;

		if (len > (size_t)LZ4_MAX_INPUT_SIZE || cap - hl > (size_t)INT32_MAX)
			return 0;
		r = LZ4_compress_default((const char *)in, (char *)out + hl, (int)len,
					 (int)(cap - hl));
		if (r <= 0)
			return 0;
		zlen = (size_t)r;
	}
	ctx->pre_compress += len;
	ctx->post_compress += zlen;
	return zlen < len ? zlen : 0;
}

long comp_compress(struct comp_ctx *ctx, const uint8_t *in, size_t len,
		   uint8_t *out, size_t cap, int64_t now)
{
	size_t z;

	if (len == 0)
		return 0;
	switch (ctx->s.algo) {
	case COMP_ALGO_NONE:
		if (cap < len)
			return too_small(ctx, len, cap);
		memcpy(out, in, len);
		return (long)len;
	case COMP_ALGO_STUB:
		return ctx->s.swap ? frame_swap(ctx, COMP_BYTE_NONE_SWAP, in, len, out, cap) :
				     frame_prefix(ctx, COMP_BYTE_NONE, in, len, out, cap);
	case COMP_ALGO_STUB_V2:
		return frame_v2_plain(ctx, in, len, out, cap);
	case COMP_ALGO_LZO:
		z = try_compress(ctx, in, len, out, cap, 1, now);
		if (z) {
			out[0] = COMP_BYTE_LZO;
			return (long)z + 1;
		}
		return frame_prefix(ctx, COMP_BYTE_NONE, in, len, out, cap);
	case COMP_ALGO_LZ4:
		z = try_compress(ctx, in, len, out, cap, 1, now);
		if (z) {
			/* swap: the compressed stream's first byte goes last */
			uint8_t first = out[1];

			out[0] = COMP_BYTE_LZ4;
			memmove(out + 1, out + 2, z - 1);
			out[z] = first;
			return (long)z + 1;
		}
		return frame_swap(ctx, COMP_BYTE_NONE_SWAP, in, len, out, cap);
	case COMP_ALGO_LZ4_V2:
		z = try_compress(ctx, in, len, out, cap, 2, now);
		if (z) {
			out[0] = COMP_V2_INDICATOR;
			out[1] = COMP_V2_LZ4;
			return (long)z + 2;
		}
		return frame_v2_plain(ctx, in, len, out, cap);
	}
	seterr(ctx->err, sizeof(ctx->err), "unknown compression algorithm %d", ctx->s.algo);
	return -1;
}

static long lzo_inflate(struct comp_ctx *ctx, const uint8_t *in, size_t len,
			uint8_t *out, size_t cap)
{
	lzo_uint olen = cap;
	int r = lzo1x_decompress_safe(in, len, out, &olen, NULL);

	if (r != LZO_E_OK) {
		seterr(ctx->err, sizeof(ctx->err), "LZO decompression failed (error %d) on %zu bytes",
		       r, len);
		return -1;
	}
	ctx->pre_decompress += len;
	ctx->post_decompress += olen;
	return (long)olen;
}

static long lz4_inflate(struct comp_ctx *ctx, const uint8_t *in, size_t len,
			uint8_t *out, size_t cap)
{
	int r;

	if (len > (size_t)INT32_MAX)
		len = INT32_MAX;
	if (cap > (size_t)INT32_MAX)
		cap = INT32_MAX;
	r = LZ4_decompress_safe((const char *)in, (char *)out, (int)len, (int)cap);
	if (r <= 0) {
		seterr(ctx->err, sizeof(ctx->err), "LZ4 decompression failed on %zu bytes", len);
		return -1;
	}
	ctx->pre_decompress += len;
	ctx->post_decompress += (size_t)r;
	return r;
}

static long bad_byte(struct comp_ctx *ctx, const char *what, uint8_t b)
{
	seterr(ctx->err, sizeof(ctx->err), "bad %s header byte 0x%02x (%s)", what, b,
	       comp_describe(&ctx->s));
	return -1;
}

static long copy_out(struct comp_ctx *ctx, const uint8_t *in, size_t len,
		     uint8_t *out, size_t cap)
{
	if (cap < len)
		return too_small(ctx, len, cap);
	memcpy(out, in, len);
	return (long)len;
}

/* Undo the swap into out: in[len-1] back to the front, in[1..len-2] after. */
static long unswap(struct comp_ctx *ctx, const uint8_t *in, size_t len,
		   uint8_t *out, size_t cap)
{
	size_t n = len - 1;

	if (cap < n)
		return too_small(ctx, n, cap);
	if (n == 0)
		return 0;
	out[0] = in[len - 1];
	memcpy(out + 1, in + 1, n - 1);
	return (long)n;
}

long comp_decompress(struct comp_ctx *ctx, const uint8_t *in, size_t len,
		     uint8_t *out, size_t cap)
{
	uint8_t c;

	if (len == 0)
		return 0;
	c = in[0];
	switch (ctx->s.algo) {
	case COMP_ALGO_NONE:
		return copy_out(ctx, in, len, out, cap);
	case COMP_ALGO_STUB:
		if (ctx->s.swap) {
			if (c != COMP_BYTE_NONE_SWAP)
				return bad_byte(ctx, "compression stub (swap)", c);
			return unswap(ctx, in, len, out, cap);
		}
		if (c != COMP_BYTE_NONE)
			return bad_byte(ctx, "compression stub", c);
		return copy_out(ctx, in + 1, len - 1, out, cap);
	case COMP_ALGO_LZO:
		if (c == COMP_BYTE_LZO)
			return lzo_inflate(ctx, in + 1, len - 1, out, cap);
		if (c != COMP_BYTE_NONE)
			return bad_byte(ctx, "LZO", c);
		return copy_out(ctx, in + 1, len - 1, out, cap);
	case COMP_ALGO_LZ4: {
		/* Rebuild the unswapped body, then inflate it if it was compressed. */
		uint8_t stack[2048], *tmp = stack;
		long r;

		if (c == COMP_BYTE_NONE_SWAP)
			return unswap(ctx, in, len, out, cap);
		if (c != COMP_BYTE_LZ4)
			return bad_byte(ctx, "LZ4", c);
		if (len < 2) {
			seterr(ctx->err, sizeof(ctx->err), "LZ4 packet has no compressed data");
			return -1;
		}
		if (len - 1 > sizeof(stack))
			tmp = malloc(len - 1);
		if (!tmp) {
			seterr(ctx->err, sizeof(ctx->err), "out of memory");
			return -1;
		}
		tmp[0] = in[len - 1];
		memcpy(tmp + 1, in + 1, len - 2);
		r = lz4_inflate(ctx, tmp, len - 1, out, cap);
		if (tmp != stack)
			free(tmp);
		return r;
	}
	case COMP_ALGO_STUB_V2:
	case COMP_ALGO_LZ4_V2:
		if (c != COMP_V2_INDICATOR)
			return copy_out(ctx, in, len, out, cap);
		if (len < 2) {
			seterr(ctx->err, sizeof(ctx->err),
			       "v2 compression header 0x50 without its algorithm byte");
			return -1;
		}
		if (in[1] == COMP_V2_UNCOMPRESSED)
			return copy_out(ctx, in + 2, len - 2, out, cap);
		if (in[1] == COMP_V2_LZ4 && ctx->s.algo == COMP_ALGO_LZ4_V2)
			return lz4_inflate(ctx, in + 2, len - 2, out, cap);
		return bad_byte(ctx, "v2 compression algorithm", in[1]);
	}
	seterr(ctx->err, sizeof(ctx->err), "unknown compression algorithm %d", ctx->s.algo);
	return -1;
}
