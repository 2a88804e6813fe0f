/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * comp.h: OpenVPN data-channel compression framing (openvpn-protocol.md §12),
 * pure: buffers in, buffers out, the time for adaptive LZO passed in.
 *
 * The framing sits at the start of the decrypted payload:
 *
 *   comp-lzo no           FA | payload                  (prefix, no swap)
 *   comp-lzo [yes|adapt.] FA | payload   or  66 | LZO1X(payload)
 *   compress [stub]       FB | payload[1..n-1] | payload[0]          (swap)
 *   compress lz4          FB ... (as stub)   or  69 | lz4[1..] | lz4[0]
 *   compress stub-v2      payload, or 50 00 | payload when payload[0] == 0x50
 *   compress lz4-v2       as stub-v2,    or  50 01 | LZ4(payload)
 *   (none)                payload unchanged
 *
 * allow-compression (as OpenVPN 2.6.14 behaves, checked with its --verb 4
 * option dump):
 *   - unset, no compression directive: "stub-only": stub framings only; a
 *     pushed real algorithm (lzo, lz4, lz4-v2) is refused.
 *   - unset, a real algorithm configured: asym.
 *   - asym: incoming packets are decompressed, outgoing never compressed (they
 *     still get the algorithm's "not compressed" framing).
 *   - yes: outgoing packets of at least 100 bytes are compressed when that
 *     makes them smaller.
 *   - no: a configured real algorithm is a configuration error; a pushed one
 *     is refused.
 */
#ifndef MVPN_COMP_H
#define MVPN_COMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Wire bytes. */
#define COMP_BYTE_LZO		0x66
#define COMP_BYTE_LZ4		0x69
#define COMP_BYTE_NONE		0xFA
#define COMP_BYTE_NONE_SWAP	0xFB
#define COMP_V2_INDICATOR	0x50
#define COMP_V2_UNCOMPRESSED	0x00
#define COMP_V2_LZ4		0x01
#define COMP_V2_LZO		0x02	/* defined, never sent by OpenVPN */

/* Packets shorter than this are never compressed (OpenVPN's threshold). */
#define COMP_THRESHOLD		100

/* Worst-case growth of the framing + compressor, for sizing out buffers. */
#define COMP_MAX_OVERHEAD(len)	((len) / 6 + 128 + 3 + 2)

enum comp_algo {
	COMP_ALGO_NONE = 0,	/* no framing at all */
	COMP_ALGO_STUB,		/* comp-lzo no (prefix) / compress [stub] (swap) */
	COMP_ALGO_STUB_V2,	/* compress stub-v2 */
	COMP_ALGO_LZO,		/* comp-lzo [yes|adaptive] / compress lzo */
	COMP_ALGO_LZ4,		/* compress lz4 (swap) */
	COMP_ALGO_LZ4_V2,	/* compress lz4-v2 */
};

enum comp_allow {
	COMP_ALLOW_UNSET = 0,	/* not configured: depends on the algorithm */
	COMP_ALLOW_NO,		/* stub framing only */
	COMP_ALLOW_ASYM,	/* decompress incoming, never compress outgoing */
	COMP_ALLOW_YES,		/* compress both ways */
};

struct comp_settings {
	enum comp_algo algo;
	bool swap;		/* first byte moved to the end (compress stub/lz4) */
	bool adaptive;		/* comp-lzo [adaptive]: pause when it does not pay */
	enum comp_allow allow;
};

/*
 * Parse one directive into s: name is "comp-lzo", "compress" or
 * "allow-compression"; arg is its argument or NULL.  Later directives
 * override earlier ones, as in OpenVPN.  Returns 0, or -1 with a message
 * (no file/line: the caller adds those) in err.  Also used for pushed
 * options, followed by comp_check_pushed().
 */
int comp_parse_directive(struct comp_settings *s, const char *name, const char *arg,
			 char *err, size_t errlen);

/*
 * Bridge from the config parser (config.h: enum mvpn_comp, comp_noadapt,
 * enum mvpn_allow_comp, already resolved by it) to comp settings.  Takes the
 * enum values as ints so that this header does not depend on config.h.
 * Returns 0, or -1 with err for "compress migrate" (server only) or an
 * unknown value.
 */
int comp_from_config(int mvpn_comp, bool comp_noadapt, int mvpn_allow_comp,
		     struct comp_settings *out, char *err, size_t errlen);

/* The allow-compression mode in force (UNSET resolved). */
enum comp_allow comp_effective_allow(const struct comp_settings *s);

/* True for algorithms that really compress (lzo, lz4, lz4-v2). */
bool comp_algo_is_real(enum comp_algo a);

/*
 * Validate a configuration: "allow-compression no" with a real algorithm
 * configured is an error, as in OpenVPN 2.6.  0 or -1 with err.
 */
int comp_check_config(const struct comp_settings *s, char *err, size_t errlen);

/*
 * Apply a pushed compression setting: local holds what the configuration
 * said, pushed what the server sent (parsed with comp_parse_directive into a
 * zeroed struct).  A real algorithm is refused when local resolves to
 * stub-only.  On success local takes the pushed algorithm and framing and
 * keeps its allow-compression mode.  0 or -1 with err.
 */
int comp_apply_pushed(struct comp_settings *local, const struct comp_settings *pushed,
		      char *err, size_t errlen);

/* Canonical directive text, e.g. "compress lz4-v2", "comp-lzo no", "". */
const char *comp_describe(const struct comp_settings *s);

/*
 * Peer-info lines (IV_LZ4=1\n...) the client announces for s, appended to
 * out as a NUL-terminated string.  Returns the length written or -1 when it
 * does not fit.  Real algorithms are announced unless only stubs may be
 * used.
 */
int comp_peer_info(const struct comp_settings *s, char *out, size_t cap);

/* Whether the OCC options string carries ",comp-lzo" (any framing). */
bool comp_in_occ(const struct comp_settings *s);

/* Adaptive LZO bookkeeping (comp-lzo adaptive), driven by the caller's clock. */
struct comp_adaptive {
	bool paused;		/* compression switched off until next */
	int64_t next;		/* seconds, caller's monotonic clock */
	uint64_t n_total;	/* bytes offered in this sample period */
	uint64_t n_comp;	/* bytes they compressed to */
};

struct comp_ctx {
	struct comp_settings s;
	struct comp_adaptive ac;
	void *lzo_wrkmem;	/* LZO1X-1(15) work memory, only for TX compression */
	char err[128];		/* why the last call failed */
	/* statistics */
	uint64_t pre_compress, post_compress, pre_decompress, post_decompress;
};

/* Set up ctx for s.  0, or -1 with ctx->err (e.g. out of memory). */
int comp_ctx_init(struct comp_ctx *ctx, const struct comp_settings *s);
void comp_ctx_free(struct comp_ctx *ctx);

/*
 * TX: frame (and, when allowed, compress) len bytes of in into out (cap
 * bytes; len + COMP_MAX_OVERHEAD(len) is always enough).  now (seconds)
 * drives adaptive compression.  An empty payload stays empty.  Returns the
 * output length, or -1 with ctx->err.  in and out must not overlap.
 */
long comp_compress(struct comp_ctx *ctx, const uint8_t *in, size_t len,
		   uint8_t *out, size_t cap, int64_t now);

/*
 * RX: unframe (and decompress) len bytes of in into out (cap bytes: the
 * largest payload accepted, e.g. tun MTU + headroom).  Returns the payload
 * length, or -1 with ctx->err naming the bad header byte or the
 * decompressor's complaint; the packet must then be dropped.  in and out
 * must not overlap.
 */
long comp_decompress(struct comp_ctx *ctx, const uint8_t *in, size_t len,
		     uint8_t *out, size_t cap);

#endif
