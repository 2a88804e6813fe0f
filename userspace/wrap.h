/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * wrap.h: control-channel wrappers (openvpn-protocol.md §3.2-§3.8, §8.5):
 * none, tls-auth, tls-crypt, tls-crypt-v2 (client, and the server-side WKc
 * unwrap) and dynamic tls-crypt; plus the key file formats they read.
 *
 * Wire layouts (op = first byte, sid = sender's own session id):
 *
 *   none       [op][sid:8][record]
 *   tls-auth   [op][sid:8][HMAC:md][replay-id:4][time:4][record]
 *              HMAC(key, replay-id|time|op|sid|record)
 *   tls-crypt  [op][sid:8][replay-id:4][time:4][tag:32][AES-256-CTR(record)]
 *              tag = HMAC-SHA256(Ka, op|sid|replay-id|time|record), IV = tag[0..15]
 *   v2 (V3 and WKC_V1 opcodes only): tls-crypt packet under Kc, then WKc
 *
 * Each struct wrap_ctx owns its own TX replay counter (long form: id + time)
 * and its own RX replay window.  Pure: the wall-clock time is passed in
 * (`now`, Unix seconds: it is both the time stamped into the long-form id
 * and the clock of the replay window's time limit).
 *
 * Error handling: every function returns a negative enum wire_err (ctlpkt.h)
 * on failure.  wrap_open() on a bad packet returns the specific reason and
 * changes no state at all (replay window, v2 client key).
 *
 * Key material inside a wrap_ctx is zeroed by wrap_free() (OPENSSL_cleanse).
 * wrap_ctx holds one heap allocation (the replay window, sized by the
 * configured replay-window); everything else is inline.
 */
#ifndef MVPN_WRAP_H
#define MVPN_WRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctlpkt.h"

#define WRAP_STATIC_KEY_LEN	256	/* OpenVPN Static key V1: 2 x (64 cipher + 64 hmac) */
#define WRAP_V2_SERVER_KEY_LEN	128	/* tls-crypt-v2 server key: 64 cipher + 64 hmac */
#define WRAP_V2_KC_LEN		256	/* Kc = a tls-crypt key */
#define WRAP_V2_WKC_MIN		(32 + 256 + 2)
#define WRAP_V2_WKC_MAX		1024	/* TLS_CRYPT_V2_MAX_WKC_LEN */
#define WRAP_V2_META_MAX	734	/* TLS_CRYPT_V2_MAX_METADATA_LEN */
#define WRAP_V2_META_USER	0x00
#define WRAP_V2_META_TIMESTAMP	0x01
#define WRAP_HMAC_MAX		64	/* SHA512 */
#define WRAP_TLS_CRYPT_TAG	32
#define WRAP_PID_LONG_LEN	8	/* replay-id + time */
/* Bytes before the record in a tls-crypt packet: op + sid + pid + time. */
#define WRAP_TLS_CRYPT_HDR	(1 + CTL_SID_LEN + WRAP_PID_LONG_LEN)

/* Replay window defaults (replay-window 64 15, §8.5) and limits. */
#define WRAP_REPLAY_WINDOW_DEFAULT	64
#define WRAP_REPLAY_TIME_DEFAULT	15
#define WRAP_REPLAY_WINDOW_MAX		65536
#define WRAP_REPLAY_TIME_MAX		600

/* Labels for the 256 bytes that key dynamic tls-crypt (§3.8). */
#define WRAP_DYN_TLS_CRYPT_LABEL	"EXPORTER-OpenVPN-dynamic-tls-crypt"

enum wrap_type {
	WRAP_NONE = 0,
	WRAP_TLS_AUTH,
	WRAP_TLS_CRYPT,
	WRAP_TLS_CRYPT_V2,	/* client or server, see role */
	WRAP_TLS_CRYPT_DYN,	/* dynamic tls-crypt for key_id > 0 */
};

enum wrap_role { WRAP_CLIENT = 0, WRAP_SERVER = 1 };

/* key-direction (§3.6): which half of a static key is used to send. */
enum wrap_keydir {
	WRAP_KEYDIR_BIDIR = -1,		/* none: keys[0] both ways */
	WRAP_KEYDIR_NORMAL = 0,		/* send keys[0], receive keys[1] */
	WRAP_KEYDIR_INVERSE = 1,	/* send keys[1], receive keys[0] */
};

/*
 * Long-form replay window (§8.5, packet_id_test/add/reap semantics):
 * id 0 rejected; time going backwards rejected; time moving forward resets
 * the window; within one time value, ids above the highest pass, older ids
 * pass once if within `window` of the highest and not yet expired (an
 * unseen slot expires `time_window` seconds after a higher id arrived);
 * window 0 = strict mode (ids must increase by exactly 1).
 */
struct wrap_replay {
	uint32_t window;	/* packets (0 = strict) */
	uint32_t time_window;	/* seconds */
	bool initialized;	/* a packet has been accepted */
	uint32_t max_id;	/* highest id accepted */
	uint32_t time;		/* sender time of the current window */
	uint32_t *slots;	/* ring of `window` entries, newest at head: 0 unseen,
				 * 1 expired, else local time seen + 2 */
	uint32_t head;		/* ring index of max_id */
	uint32_t size;		/* valid entries in the ring (<= window) */
};

/* Parameters common to every wrapper. */
struct wrap_params {
	enum wrap_role role;
	uint32_t replay_window;		/* 0..WRAP_REPLAY_WINDOW_MAX (64 default) */
	uint32_t replay_time;		/* 0..WRAP_REPLAY_TIME_MAX (15 default) */
};

/* Fills p with role and the default replay window. */
void wrap_params_default(struct wrap_params *p, enum wrap_role role);

struct wrap_ctx {
	enum wrap_type type;
	enum wrap_role role;
	/* tls-auth */
	const void *md;			/* const EVP_MD * */
	size_t md_len;
	uint8_t auth_tx[WRAP_HMAC_MAX];
	uint8_t auth_rx[WRAP_HMAC_MAX];
	/* tls-crypt, v2 (Kc), dynamic */
	uint8_t ke_tx[32], ka_tx[32], ke_rx[32], ka_rx[32];
	bool have_key;			/* false: v2 server waiting for a WKc */
	/* tls-crypt-v2 client: the WKc we append */
	uint8_t wkc[WRAP_V2_WKC_MAX];
	size_t wkc_len;
	/* tls-crypt-v2 server key */
	uint8_t srv_ke[32], srv_ka[32];
	/* the configured key bytes (XORed into dynamic tls-crypt, §3.8) */
	uint8_t orig[WRAP_STATIC_KEY_LEN];
	bool have_orig;
	/* TX long-form replay-id */
	uint32_t tx_id;			/* last id sent (next is tx_id + 1) */
	uint32_t tx_time;		/* fixed at the first send, 0 before */
	struct wrap_replay rx;
};

/*
 * Initialisers.  Each zeroes *w first; on error *w needs no wrap_free().
 *
 * tls_auth: key = the 256-byte static key, keydir per §3.6, digest an
 * OpenSSL digest name as in `auth` (MD5, SHA1, SHA224, SHA256, SHA384,
 * SHA512, and the other names OpenSSL knows; "none" is rejected).
 * tls_crypt: client uses INVERSE, server NORMAL (fixed).
 * v2_client: Kc (256) and WKc from the client key file (wrap_parse_v2_client_key).
 *   The first TX id is CTL_EARLY_NEG_START + 1 (early negotiation marker).
 * v2_server: server key (128); the client key arrives in the first V3 packet.
 * dynamic: ekm = 256 bytes exported with WRAP_DYN_TLS_CRYPT_LABEL; orig =
 *   wrap_original_key() of the configured wrapper, or NULL when none.
 */
int wrap_init_none(struct wrap_ctx *w, const struct wrap_params *p);
int wrap_init_tls_auth(struct wrap_ctx *w, const struct wrap_params *p,
		       const uint8_t key[WRAP_STATIC_KEY_LEN], enum wrap_keydir dir,
		       const char *digest);
int wrap_init_tls_crypt(struct wrap_ctx *w, const struct wrap_params *p,
			const uint8_t key[WRAP_STATIC_KEY_LEN]);
int wrap_init_tls_crypt_v2_client(struct wrap_ctx *w, const struct wrap_params *p,
				  const uint8_t kc[WRAP_V2_KC_LEN], const uint8_t *wkc,
				  size_t wkc_len);
int wrap_init_tls_crypt_v2_server(struct wrap_ctx *w, const struct wrap_params *p,
				  const uint8_t server_key[WRAP_V2_SERVER_KEY_LEN]);
int wrap_init_dynamic(struct wrap_ctx *w, const struct wrap_params *p,
		      const uint8_t ekm[WRAP_STATIC_KEY_LEN],
		      const uint8_t *orig /* WRAP_STATIC_KEY_LEN or NULL */);

/* Zero all key material and free the replay window. Safe on a zeroed ctx. */
void wrap_free(struct wrap_ctx *w);

/* The 256 configured key bytes (tls-auth/tls-crypt key, v2 Kc) or NULL. */
const uint8_t *wrap_original_key(const struct wrap_ctx *w);

/*
 * Bytes the wrapper adds around a record of a packet with this opcode:
 * first byte + sid + wrapper header/tag (+ WKc for v2 client V3/WKC_V1).
 */
size_t wrap_overhead(const struct wrap_ctx *w, unsigned int opcode);

/*
 * TLS bytes to put in one reliable packet of this opcode, sized the way
 * OpenVPN 2.6 does it (openvpn-protocol.md §4, calc_control_channel_frame_
 * overhead): min(2048, tls_mtu) - op - sid - ACK_SIZE(min(acks, 4)) - msg-id
 * - wrapper budget (tls-crypt family 56, tls-auth md_size + 8, none 0) -
 * IPv4/UDP 28 or IPv6/UDP 48 - the WKc when this packet carries it.  acks =
 * ACKs outstanding (rel_acks_outstanding()).  With the default tls-mtu of
 * 1250 this gives full packets of 1206 bytes under tls-crypt and 1222
 * under tls-auth SHA1 or no wrapper, as 2.6.14 sends them.  0 if nothing fits.
 */
size_t wrap_payload_budget(const struct wrap_ctx *w, unsigned int opcode, size_t tls_mtu,
			   unsigned int acks, bool ipv6);

/*
 * Build a complete wire packet from p (opcode, key_id, sid, acks, peer_sid,
 * msg_id, payload).  tls-crypt-v2 client: V3 and WKC_V1 get the WKc appended.
 * Consumes one TX replay-id on success only.  Returns the packet length or
 * WIRE_E_SPACE / WIRE_E_TOOBIG (above CTL_PACKET_MAX + WKc) /
 * WIRE_E_PID_WRAP / WIRE_E_CRYPTO / WIRE_E_INVAL.
 */
long wrap_seal(struct wrap_ctx *w, const struct ctl_pkt *p, uint32_t now,
	       uint8_t *out, size_t cap);

/*
 * Check and decode a received control packet into *p.  For none/tls-auth
 * p->payload points into pkt; for the tls-crypt family the record is
 * decrypted into scratch (needs CTL_RECORD_MAX bytes at most; the packet
 * length is always enough) and p->payload points there.
 * The replay window is updated only when everything (authentication, replay
 * check, record decode) succeeded.  tls-crypt-v2 server: a V3/WKC_V1 packet
 * has its WKc unwrapped and, when no client key is held yet, Kc installed
 * (only after the whole packet authenticated); a repeated WKc is checked
 * for length and ignored.
 * Returns 0 or a negative wire_err (never crashes on any input).
 */
int wrap_open(struct wrap_ctx *w, const uint8_t *pkt, size_t len, uint32_t now,
	      uint8_t *scratch, size_t scratch_cap, struct ctl_pkt *p);

/* Long-form replay window, exposed for tests: test then add. */
int wrap_replay_init(struct wrap_replay *r, uint32_t window, uint32_t time_window);
void wrap_replay_free(struct wrap_replay *r);
/* Returns 0 when (id, time) would be accepted now, else WIRE_E_REPLAY. */
int wrap_replay_check(struct wrap_replay *r, uint32_t id, uint32_t time, uint32_t now);
/* Record (id, time) as seen; call only after wrap_replay_check() == 0. */
void wrap_replay_update(struct wrap_replay *r, uint32_t id, uint32_t time, uint32_t now);

/*
 * tls-crypt-v2 WKc (§3.5).  Unwrap with the server key: checks the length
 * field against wkc_len, decrypts, verifies the tag in constant time.  Kc
 * goes to kc, the metadata (type byte first) to meta (cap meta_cap) with its
 * length in *meta_len.  Returns 0 or WIRE_E_WKC / WIRE_E_SPACE / WIRE_E_CRYPTO.
 */
int wrap_v2_unwrap_wkc(const uint8_t server_key[WRAP_V2_SERVER_KEY_LEN],
		       const uint8_t *wkc, size_t wkc_len, uint8_t kc[WRAP_V2_KC_LEN],
		       uint8_t *meta, size_t meta_cap, size_t *meta_len);
/* Wrap Kc || meta into a WKc (for tests and the server's key generator). */
long wrap_v2_wrap_wkc(const uint8_t server_key[WRAP_V2_SERVER_KEY_LEN],
		      const uint8_t kc[WRAP_V2_KC_LEN], const uint8_t *meta,
		      size_t meta_len, uint8_t *out, size_t cap);

/*
 * Key files.  text is the whole file or inline block (need not be
 * NUL-terminated).  Text outside the armour is ignored.  On error a
 * negative wire_err (WIRE_E_KEY) and a message in err (e.g. "no
 * '-----BEGIN OpenVPN Static key V1-----' line", "static key has 128
 * bytes, need 256") when err is not NULL.
 */
int wrap_parse_static_key(const char *text, size_t len, uint8_t key[WRAP_STATIC_KEY_LEN],
			  char *err, size_t errlen);
int wrap_parse_v2_server_key(const char *text, size_t len,
			     uint8_t key[WRAP_V2_SERVER_KEY_LEN], char *err, size_t errlen);
/* Kc and WKc of a tls-crypt-v2 client key; wkc needs WRAP_V2_WKC_MAX bytes. */
int wrap_parse_v2_client_key(const char *text, size_t len, uint8_t kc[WRAP_V2_KC_LEN],
			     uint8_t *wkc, size_t *wkc_len, char *err, size_t errlen);

#endif
