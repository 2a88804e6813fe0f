// SPDX-License-Identifier: BSD-2-Clause
/*
 * wrap.c: control-channel wrappers: none, tls-auth, tls-crypt,
 * tls-crypt-v2 (client, server-side WKc unwrap) and dynamic tls-crypt
 * (openvpn-protocol.md §3.2-§3.8), their long-form replay windows (§8.5)
 * and the key file formats (§3.5, §3.6).  Layouts are drawn in wrap.h.
 *
 * Every failure path leaves the context untouched: the replay window is
 * updated and a tls-crypt-v2 client key installed only once the whole packet
 * authenticated and its record decoded.
 */
#include "wrap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "encoding.h"

/* Offsets of a tls-crypt packet (TLS_CRYPT_OFF_PID/_TAG/_CT). */
#define TC_OFF_PID	(1 + CTL_SID_LEN)
#define TC_OFF_TAG	(TC_OFF_PID + WRAP_PID_LONG_LEN)
#define TC_OFF_CT	(TC_OFF_TAG + WRAP_TLS_CRYPT_TAG)
_Static_assert(TC_OFF_PID == 9 && TC_OFF_TAG == 17 && TC_OFF_CT == 49,
	       "tls-crypt offsets (openvpn-protocol.md §3.4)");
_Static_assert(WRAP_TLS_CRYPT_HDR == TC_OFF_TAG, "tls-crypt header");

/* Static key halves (§3.6): keys[k].cipher at 128k, keys[k].hmac at 128k+64. */
#define KEY_CIPHER(k)	(128 * (k))
#define KEY_HMAC(k)	(128 * (k) + 64)

/* Largest packet wrap_open() looks at: a control packet plus a WKc. */
#define WRAP_PACKET_MAX	(CTL_PACKET_MAX + WRAP_V2_WKC_MAX)

/* Replay ring markers; seen times are stored as now + 2. */
#define SLOT_UNSEEN	0u
#define SLOT_EXPIRED	1u
#define SLOT_TIME(now)	((now) > UINT32_MAX - 2 ? UINT32_MAX : (now) + 2)

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ---- primitives ------------------------------------------------------- */

static int hmac_oneshot(const EVP_MD *md, const uint8_t *key, size_t keylen,
			const uint8_t *data, size_t len, uint8_t *out)
{
	unsigned int outlen = 0;

	if (!HMAC(md, key, (int)keylen, data, len, out, &outlen))
		return WIRE_E_CRYPTO;
	return (size_t)EVP_MD_get_size(md) == outlen ? 0 : WIRE_E_CRYPTO;
}

/* AES-256-CTR with the 16-byte initial counter block iv. */
static int aes256ctr(const uint8_t key[32], const uint8_t iv[16], const uint8_t *in,
		     size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n1 = 0, n2 = 0, ok;

	if (!ctx)
		return WIRE_E_CRYPTO;
	ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_ctr(), NULL, key, iv) &&
	     (len == 0 || EVP_EncryptUpdate(ctx, out, &n1, in, (int)len)) &&
	     EVP_EncryptFinal_ex(ctx, out + n1, &n2);
	EVP_CIPHER_CTX_free(ctx);
	return ok && (size_t)(n1 + n2) == len ? 0 : WIRE_E_CRYPTO;
}

/* ---- replay window (§8.5) -------------------------------------------- */

int wrap_replay_init(struct wrap_replay *r, uint32_t window, uint32_t time_window)
{
	memset(r, 0, sizeof(*r));
	if (window > WRAP_REPLAY_WINDOW_MAX || time_window > WRAP_REPLAY_TIME_MAX)
		return WIRE_E_INVAL;
	r->window = window;
	r->time_window = time_window;
	if (window) {
		r->slots = calloc(window, sizeof(*r->slots));
		if (!r->slots)
			return WIRE_E_CRYPTO;
	}
	return 0;
}

void wrap_replay_free(struct wrap_replay *r)
{
	free(r->slots);
	memset(r, 0, sizeof(*r));
}

static inline uint32_t *slot(const struct wrap_replay *r, uint32_t i)
{
	return &r->slots[(r->head + i) % r->window];
}

/* A slot expires once a newer (or the same) id was seen more than
 * time_window seconds ago (packet_id_reap semantics, evaluated exactly
 * instead of every 5 s). */
static bool slot_expired(const struct wrap_replay *r, uint32_t diff, uint32_t now)
{
	if (!r->time_window)
		return false;
	for (uint32_t i = 0; i <= diff; i++) {
		uint32_t t = *slot(r, i);

		if (t == SLOT_EXPIRED)
			return true;
		if (t != SLOT_UNSEEN && (uint64_t)(t - 2) + r->time_window < now)
			return true;
	}
	return false;
}

int wrap_replay_check(struct wrap_replay *r, uint32_t id, uint32_t time, uint32_t now)
{
	if (id == 0)
		return WIRE_E_REPLAY;
	if (!r->window) {
		/* strict mode: ids increase by exactly one */
		if (time == r->time)
			return !r->max_id || id == r->max_id + 1 ? 0 : WIRE_E_REPLAY;
		if (time < r->time)
			return WIRE_E_REPLAY;
		return id == 1 ? 0 : WIRE_E_REPLAY;
	}
	if (time == r->time) {
		uint32_t diff;

		if (id > r->max_id)
			return 0;
		diff = r->max_id - id;
		if (diff >= r->size)
			return WIRE_E_REPLAY;
		if (*slot(r, diff) != SLOT_UNSEEN || slot_expired(r, diff, now))
			return WIRE_E_REPLAY;
		return 0;
	}
	if (time < r->time)
		return WIRE_E_REPLAY;
	return 0;	/* the sender's time moved forward: a new sequence */
}

void wrap_replay_update(struct wrap_replay *r, uint32_t id, uint32_t time, uint32_t now)
{
	r->initialized = true;
	if (!r->window) {
		r->time = time;
		r->max_id = id;
		return;
	}
	/* expire what can no longer be accepted */
	if (r->time_window) {
		bool expire = false;

		for (uint32_t i = 0; i < r->size; i++) {
			uint32_t *t = slot(r, i);

			if (*t == SLOT_EXPIRED)
				break;
			if (!expire && *t != SLOT_UNSEEN &&
			    (uint64_t)(*t - 2) + r->time_window < now)
				expire = true;
			if (expire)
				*t = SLOT_EXPIRED;
		}
	}
	/* a new time value or a jump beyond the window restarts the window */
	if (!r->size || time > r->time || (id >= r->window && id - r->window > r->max_id)) {
		r->time = time;
		r->max_id = id > r->window ? id - r->window : 0;
		r->size = 0;
		r->head = 0;
	}
	while (r->max_id < id) {
		r->head = (r->head + r->window - 1) % r->window;
		r->slots[r->head] = SLOT_UNSEEN;
		if (r->size < r->window)
			r->size++;
		r->max_id++;
	}
	if (r->max_id - id < r->size)
		*slot(r, r->max_id - id) = SLOT_TIME(now);
}

/* ---- contexts --------------------------------------------------------- */

void wrap_params_default(struct wrap_params *p, enum wrap_role role)
{
	p->role = role;
	p->replay_window = WRAP_REPLAY_WINDOW_DEFAULT;
	p->replay_time = WRAP_REPLAY_TIME_DEFAULT;
}

static int ctx_begin(struct wrap_ctx *w, const struct wrap_params *p, enum wrap_type type)
{
	int ret;

	memset(w, 0, sizeof(*w));
	if (!p || (p->role != WRAP_CLIENT && p->role != WRAP_SERVER))
		return WIRE_E_INVAL;
	ret = wrap_replay_init(&w->rx, p->replay_window, p->replay_time);
	if (ret)
		return ret;
	w->type = type;
	w->role = p->role;
	return 0;
}

void wrap_free(struct wrap_ctx *w)
{
	wrap_replay_free(&w->rx);
	OPENSSL_cleanse(w, sizeof(*w));
}

/* tls-crypt keys from a 256-byte key: server NORMAL (send keys[0]),
 * client INVERSE (send keys[1]) (§3.4). */
static void tls_crypt_slices(struct wrap_ctx *w, const uint8_t key[WRAP_STATIC_KEY_LEN],
			     enum wrap_role role)
{
	int tx = role == WRAP_SERVER ? 0 : 1, rx = 1 - tx;

	memcpy(w->ke_tx, key + KEY_CIPHER(tx), 32);
	memcpy(w->ka_tx, key + KEY_HMAC(tx), 32);
	memcpy(w->ke_rx, key + KEY_CIPHER(rx), 32);
	memcpy(w->ka_rx, key + KEY_HMAC(rx), 32);
	w->have_key = true;
}

int wrap_init_none(struct wrap_ctx *w, const struct wrap_params *p)
{
	return ctx_begin(w, p, WRAP_NONE);
}

int wrap_init_tls_auth(struct wrap_ctx *w, const struct wrap_params *p,
		       const uint8_t key[WRAP_STATIC_KEY_LEN], enum wrap_keydir dir,
		       const char *digest)
{
	const EVP_MD *md;
	int tx, rx, ret, size;

	if (!key || !digest || (dir != WRAP_KEYDIR_BIDIR && dir != WRAP_KEYDIR_NORMAL &&
				dir != WRAP_KEYDIR_INVERSE))
		return WIRE_E_INVAL;
	md = EVP_get_digestbyname(digest);
	size = md ? EVP_MD_get_size(md) : 0;
	if (!md || size <= 0 || size > WRAP_HMAC_MAX)
		return WIRE_E_INVAL;
	ret = ctx_begin(w, p, WRAP_TLS_AUTH);
	if (ret)
		return ret;
	w->md = md;
	w->md_len = (size_t)size;
	tx = dir == WRAP_KEYDIR_INVERSE ? 1 : 0;
	rx = dir == WRAP_KEYDIR_BIDIR ? 0 : 1 - tx;
	/* the HMAC key is the first md_size bytes of the hmac half */
	memcpy(w->auth_tx, key + KEY_HMAC(tx), w->md_len);
	memcpy(w->auth_rx, key + KEY_HMAC(rx), w->md_len);
	memcpy(w->orig, key, WRAP_STATIC_KEY_LEN);
	w->have_orig = true;
	w->have_key = true;
	return 0;
}

int wrap_init_tls_crypt(struct wrap_ctx *w, const struct wrap_params *p,
			const uint8_t key[WRAP_STATIC_KEY_LEN])
{
	int ret;

	if (!key)
		return WIRE_E_INVAL;
	ret = ctx_begin(w, p, WRAP_TLS_CRYPT);
	if (ret)
		return ret;
	tls_crypt_slices(w, key, w->role);
	memcpy(w->orig, key, WRAP_STATIC_KEY_LEN);
	w->have_orig = true;
	return 0;
}

int wrap_init_tls_crypt_v2_client(struct wrap_ctx *w, const struct wrap_params *p,
				  const uint8_t kc[WRAP_V2_KC_LEN], const uint8_t *wkc,
				  size_t wkc_len)
{
	int ret;

	if (!kc || !wkc || !p || p->role != WRAP_CLIENT)
		return WIRE_E_INVAL;
	/* the WKc ends with its own length (§3.5) */
	if (wkc_len < WRAP_V2_WKC_MIN || wkc_len > WRAP_V2_WKC_MAX ||
	    ((size_t)wkc[wkc_len - 2] << 8 | wkc[wkc_len - 1]) != wkc_len)
		return WIRE_E_WKC;
	ret = ctx_begin(w, p, WRAP_TLS_CRYPT_V2);
	if (ret)
		return ret;
	tls_crypt_slices(w, kc, WRAP_CLIENT);
	memcpy(w->orig, kc, WRAP_V2_KC_LEN);
	w->have_orig = true;
	memcpy(w->wkc, wkc, wkc_len);
	w->wkc_len = wkc_len;
	/* early-negotiation marker: the first packet carries 0x0F000001 (§3.7 d) */
	w->tx_id = CTL_EARLY_NEG_START;
	return 0;
}

int wrap_init_tls_crypt_v2_server(struct wrap_ctx *w, const struct wrap_params *p,
				  const uint8_t server_key[WRAP_V2_SERVER_KEY_LEN])
{
	int ret;

	if (!server_key || !p || p->role != WRAP_SERVER)
		return WIRE_E_INVAL;
	ret = ctx_begin(w, p, WRAP_TLS_CRYPT_V2);
	if (ret)
		return ret;
	memcpy(w->srv_ke, server_key, 32);
	memcpy(w->srv_ka, server_key + 64, 32);
	return 0;
}

int wrap_init_dynamic(struct wrap_ctx *w, const struct wrap_params *p,
		      const uint8_t ekm[WRAP_STATIC_KEY_LEN], const uint8_t *orig)
{
	uint8_t key[WRAP_STATIC_KEY_LEN];
	int ret;

	if (!ekm)
		return WIRE_E_INVAL;
	ret = ctx_begin(w, p, WRAP_TLS_CRYPT_DYN);
	if (ret)
		return ret;
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = ekm[i] ^ (orig ? orig[i] : 0);
	tls_crypt_slices(w, key, w->role);
	OPENSSL_cleanse(key, sizeof(key));
	return 0;
}

const uint8_t *wrap_original_key(const struct wrap_ctx *w)
{
	return w->have_orig ? w->orig : NULL;
}

static bool is_tls_crypt_family(const struct wrap_ctx *w)
{
	return w->type == WRAP_TLS_CRYPT || w->type == WRAP_TLS_CRYPT_V2 ||
	       w->type == WRAP_TLS_CRYPT_DYN;
}

static bool carries_wkc(unsigned int opcode)
{
	return opcode == CTL_OP_HARD_RESET_CLIENT_V3 || opcode == CTL_OP_CONTROL_WKC_V1;
}

size_t wrap_overhead(const struct wrap_ctx *w, unsigned int opcode)
{
	size_t n = 1 + CTL_SID_LEN;

	if (w->type == WRAP_TLS_AUTH)
		n += w->md_len + WRAP_PID_LONG_LEN;
	else if (is_tls_crypt_family(w))
		n += WRAP_PID_LONG_LEN + WRAP_TLS_CRYPT_TAG;
	if (w->type == WRAP_TLS_CRYPT_V2 && w->role == WRAP_CLIENT && carries_wkc(opcode))
		n += w->wkc_len;
	return n;
}

size_t wrap_payload_budget(const struct wrap_ctx *w, unsigned int opcode, size_t tls_mtu,
			   unsigned int acks, bool ipv6)
{
	size_t mtu = tls_mtu < CTL_PACKET_MAX ? tls_mtu : CTL_PACKET_MAX;
	unsigned int n = acks < CTL_ACK_PIGGY_MAX ? acks : CTL_ACK_PIGGY_MAX;
	size_t over = 1 + CTL_SID_LEN + CTL_ACK_SIZE(n) + CTL_MSGID_LEN;

	if (w->type == WRAP_TLS_AUTH)
		over += w->md_len + WRAP_PID_LONG_LEN;
	else if (is_tls_crypt_family(w))
		/* tls_crypt_buf_overhead(): pid + tag + one cipher block */
		over += WRAP_PID_LONG_LEN + WRAP_TLS_CRYPT_TAG + 16;
	if (w->type == WRAP_TLS_CRYPT_V2 && w->role == WRAP_CLIENT && carries_wkc(opcode))
		over += w->wkc_len;
	over += ipv6 ? 48 : 28;
	return mtu > over ? mtu - over : 0;
}

/* ---- seal ------------------------------------------------------------- */

/* Next long-form TX replay-id (packet_id_send_update); commit separately. */
static int next_tx_pid(const struct wrap_ctx *w, uint32_t now, uint32_t *id, uint32_t *time)
{
	uint32_t t = w->tx_time ? w->tx_time : now;

	if (w->tx_id == UINT32_MAX) {
		/* the long form may wrap only when the time moved forward */
		if (now <= t)
			return WIRE_E_PID_WRAP;
		*time = now;
		*id = 1;
		return 0;
	}
	*time = t;
	*id = w->tx_id + 1;
	return 0;
}

long wrap_seal(struct wrap_ctx *w, const struct ctl_pkt *p, uint32_t now, uint8_t *out,
	       size_t cap)
{
	uint8_t tmp[WRAP_PID_LONG_LEN + 1 + CTL_SID_LEN + CTL_RECORD_MAX];
	uint8_t tag[EVP_MAX_MD_SIZE];
	uint32_t id = 0, time = 0;
	size_t hdr, total;
	bool wkc;
	long rlen;
	int ret;

	if (!p || !out || p->key_id > CTL_KEY_ID_MASK)
		return WIRE_E_INVAL;
	if (!ctl_opcode_is_control(p->opcode))
		return WIRE_E_OPCODE;
	if (w->type == WRAP_NONE)
		return ctlpkt_encode_plain(p, out, cap);
	if (!w->have_key)
		return WIRE_E_NOKEY;

	ret = next_tx_pid(w, now, &id, &time);
	if (ret)
		return ret;
	wkc = w->type == WRAP_TLS_CRYPT_V2 && w->role == WRAP_CLIENT && carries_wkc(p->opcode);
	hdr = wrap_overhead(w, p->opcode) - (wkc ? w->wkc_len : 0);
	total = hdr + ctlpkt_record_len(p) + (wkc ? w->wkc_len : 0);
	if (ctlpkt_record_len(p) > CTL_RECORD_MAX)
		return WIRE_E_TOOBIG;
	if (total > cap)
		return WIRE_E_SPACE;

	out[0] = ctl_first_byte(p->opcode, p->key_id);
	memcpy(out + 1, p->sid, CTL_SID_LEN);

	if (w->type == WRAP_TLS_AUTH) {
		/* [op][sid][hmac][pid][time][record]; HMAC(pid|time|op|sid|record) */
		uint8_t *pid = out + 1 + CTL_SID_LEN + w->md_len;

		rlen = ctlpkt_encode_record(p, pid + WRAP_PID_LONG_LEN,
					    cap - hdr);
		if (rlen < 0)
			return rlen;
		put_be32(pid, id);
		put_be32(pid + 4, time);
		memcpy(tmp, pid, WRAP_PID_LONG_LEN);
		memcpy(tmp + WRAP_PID_LONG_LEN, out, 1 + CTL_SID_LEN);
		memcpy(tmp + WRAP_PID_LONG_LEN + 1 + CTL_SID_LEN, pid + WRAP_PID_LONG_LEN,
		       (size_t)rlen);
		ret = hmac_oneshot(w->md, w->auth_tx, w->md_len, tmp,
				   WRAP_PID_LONG_LEN + 1 + CTL_SID_LEN + (size_t)rlen, tag);
		if (ret)
			return ret;
		memcpy(out + 1 + CTL_SID_LEN, tag, w->md_len);
	} else {
		/* [op][sid][pid][time][tag][CTR(record)];
		 * tag = HMAC-SHA256(Ka, op|sid|pid|time|record), IV = tag[0..15] */
		put_be32(out + TC_OFF_PID, id);
		put_be32(out + TC_OFF_PID + 4, time);
		memcpy(tmp, out, TC_OFF_TAG);
		rlen = ctlpkt_encode_record(p, tmp + TC_OFF_TAG, sizeof(tmp) - TC_OFF_TAG);
		if (rlen < 0)
			return rlen;
		ret = hmac_oneshot(EVP_sha256(), w->ka_tx, 32, tmp, TC_OFF_TAG + (size_t)rlen,
				   tag);
		if (!ret)
			ret = aes256ctr(w->ke_tx, tag, tmp + TC_OFF_TAG, (size_t)rlen,
					out + TC_OFF_CT);
		OPENSSL_cleanse(tmp, sizeof(tmp));
		if (ret)
			return ret;
		memcpy(out + TC_OFF_TAG, tag, WRAP_TLS_CRYPT_TAG);
		if (wkc)
			memcpy(out + TC_OFF_CT + rlen, w->wkc, w->wkc_len);
	}
	/* commit the replay-id only now that the packet exists */
	w->tx_id = id;
	w->tx_time = time;
	return (long)total;
}

/* ---- open ------------------------------------------------------------- */

static int finish_open(struct wrap_ctx *w, const uint8_t *pkt, const uint8_t *rec,
		       size_t rec_len, bool check_replay, uint32_t id, uint32_t time,
		       uint32_t now, struct ctl_pkt *p)
{
	unsigned int op = pkt[0] >> CTL_OP_SHIFT;
	int ret;

	if (check_replay) {
		ret = wrap_replay_check(&w->rx, id, time, now);
		if (ret)
			return ret;
	}
	ret = ctlpkt_decode_record(op, rec, rec_len, p);
	if (ret)
		return ret;
	p->opcode = (uint8_t)op;
	p->key_id = pkt[0] & CTL_KEY_ID_MASK;
	memcpy(p->sid, pkt + 1, CTL_SID_LEN);
	if (check_replay)
		wrap_replay_update(&w->rx, id, time, now);
	return 0;
}

static int open_tls_auth(struct wrap_ctx *w, const uint8_t *pkt, size_t len, uint32_t now,
			 struct ctl_pkt *p)
{
	uint8_t tmp[WRAP_PID_LONG_LEN + 1 + CTL_SID_LEN + CTL_RECORD_MAX];
	uint8_t mac[EVP_MAX_MD_SIZE];
	size_t hdr = 1 + CTL_SID_LEN + w->md_len + WRAP_PID_LONG_LEN;
	const uint8_t *pid = pkt + 1 + CTL_SID_LEN + w->md_len;
	size_t rec_len;
	int ret;

	if (len < hdr + 1)
		return WIRE_E_SHORT;
	rec_len = len - hdr;
	if (rec_len > CTL_RECORD_MAX)
		return WIRE_E_TOOBIG;
	memcpy(tmp, pid, WRAP_PID_LONG_LEN);
	memcpy(tmp + WRAP_PID_LONG_LEN, pkt, 1 + CTL_SID_LEN);
	memcpy(tmp + WRAP_PID_LONG_LEN + 1 + CTL_SID_LEN, pkt + hdr, rec_len);
	ret = hmac_oneshot(w->md, w->auth_rx, w->md_len, tmp,
			   WRAP_PID_LONG_LEN + 1 + CTL_SID_LEN + rec_len, mac);
	if (ret)
		return ret;
	if (CRYPTO_memcmp(mac, pkt + 1 + CTL_SID_LEN, w->md_len))
		return WIRE_E_HMAC;
	return finish_open(w, pkt, pkt + hdr, rec_len, true, get_be32(pid), get_be32(pid + 4),
			   now, p);
}

/* Decrypt and authenticate the tls-crypt part of pkt[0..len) with the
 * receive keys ke/ka into scratch.  Returns the record length or error. */
static long tls_crypt_unwrap(const uint8_t ke[32], const uint8_t ka[32], const uint8_t *pkt,
			     size_t len, uint8_t *scratch, size_t scratch_cap)
{
	uint8_t tmp[TC_OFF_TAG + CTL_RECORD_MAX];
	uint8_t tag[EVP_MAX_MD_SIZE];
	size_t rec_len;
	int ret;

	if (len < TC_OFF_CT + 1)
		return WIRE_E_SHORT;
	rec_len = len - TC_OFF_CT;
	if (rec_len > CTL_RECORD_MAX)
		return WIRE_E_TOOBIG;
	if (rec_len > scratch_cap)
		return WIRE_E_SPACE;
	memcpy(tmp, pkt, TC_OFF_TAG);
	ret = aes256ctr(ke, pkt + TC_OFF_TAG, pkt + TC_OFF_CT, rec_len, tmp + TC_OFF_TAG);
	if (!ret)
		ret = hmac_oneshot(EVP_sha256(), ka, 32, tmp, TC_OFF_TAG + rec_len, tag);
	if (!ret && CRYPTO_memcmp(tag, pkt + TC_OFF_TAG, WRAP_TLS_CRYPT_TAG))
		ret = WIRE_E_HMAC;
	if (!ret)
		memcpy(scratch, tmp + TC_OFF_TAG, rec_len);
	OPENSSL_cleanse(tmp, sizeof(tmp));
	return ret ? ret : (long)rec_len;
}

int wrap_open(struct wrap_ctx *w, const uint8_t *pkt, size_t len, uint32_t now,
	      uint8_t *scratch, size_t scratch_cap, struct ctl_pkt *p)
{
	uint8_t kc[WRAP_V2_KC_LEN];
	struct wrap_ctx tmpkeys;
	const uint8_t *ke, *ka;
	bool install = false;
	unsigned int op;
	long rec_len;
	int ret;

	if (!w || !pkt || !p)
		return WIRE_E_INVAL;
	if (len > WRAP_PACKET_MAX)
		return WIRE_E_TOOBIG;
	ret = ctlpkt_peek(pkt, len, NULL, NULL, NULL);
	if (ret)
		return ret;
	op = pkt[0] >> CTL_OP_SHIFT;
	if (!ctl_opcode_is_control(op))
		return WIRE_E_OPCODE;

	if (w->type == WRAP_NONE) {
		if (len > CTL_PACKET_MAX)
			return WIRE_E_TOOBIG;
		return ctlpkt_decode_plain(pkt, len, p);
	}
	if (w->type == WRAP_TLS_AUTH) {
		if (len > CTL_PACKET_MAX)
			return WIRE_E_TOOBIG;
		return open_tls_auth(w, pkt, len, now, p);
	}

	ke = w->ke_rx;
	ka = w->ka_rx;
	if (w->type == WRAP_TLS_CRYPT_V2 && w->role == WRAP_SERVER) {
		if (carries_wkc(op)) {
			/* [tls-crypt packet][WKc ... len(2)]; the length is the
			 * WKc's own, so it also locates its start (§3.5) */
			size_t wkc_len;

			if (len < 1 + 2)
				return WIRE_E_SHORT;
			wkc_len = (size_t)pkt[len - 2] << 8 | pkt[len - 1];
			if (wkc_len < WRAP_V2_WKC_MIN || wkc_len > WRAP_V2_WKC_MAX ||
			    wkc_len > len - 1)
				return WIRE_E_WKC;
			if (!w->have_key) {
				uint8_t srv[WRAP_V2_SERVER_KEY_LEN] = { 0 };
				size_t meta_len;
				uint8_t meta[WRAP_V2_META_MAX];

				memcpy(srv, w->srv_ke, 32);
				memcpy(srv + 64, w->srv_ka, 32);
				ret = wrap_v2_unwrap_wkc(srv, pkt + len - wkc_len, wkc_len, kc, meta,
							 sizeof(meta), &meta_len);
				OPENSSL_cleanse(srv, sizeof(srv));
				if (ret)
					return ret;
				memset(&tmpkeys, 0, sizeof(tmpkeys));
				tls_crypt_slices(&tmpkeys, kc, WRAP_SERVER);
				ke = tmpkeys.ke_rx;
				ka = tmpkeys.ka_rx;
				install = true;
			}
			len -= wkc_len;
			if (len > CTL_PACKET_MAX)
				return WIRE_E_TOOBIG;
		} else if (!w->have_key) {
			return op == CTL_OP_HARD_RESET_CLIENT_V2 ? WIRE_E_UNWRAPPED : WIRE_E_NOKEY;
		}
	} else if (len > CTL_PACKET_MAX) {
		return WIRE_E_TOOBIG;
	}
	if (!install && !w->have_key)
		return WIRE_E_NOKEY;

	rec_len = tls_crypt_unwrap(ke, ka, pkt, len, scratch, scratch_cap);
	if (rec_len >= 0)
		ret = finish_open(w, pkt, scratch, (size_t)rec_len, true,
				  get_be32(pkt + TC_OFF_PID), get_be32(pkt + TC_OFF_PID + 4), now, p);
	else
		ret = (int)rec_len;
	if (install) {
		if (!ret) {
			memcpy(w->ke_tx, tmpkeys.ke_tx, 32);
			memcpy(w->ka_tx, tmpkeys.ka_tx, 32);
			memcpy(w->ke_rx, tmpkeys.ke_rx, 32);
			memcpy(w->ka_rx, tmpkeys.ka_rx, 32);
			memcpy(w->orig, kc, WRAP_V2_KC_LEN);
			w->have_orig = true;
			w->have_key = true;
		}
		OPENSSL_cleanse(&tmpkeys, sizeof(tmpkeys));
		OPENSSL_cleanse(kc, sizeof(kc));
	}
	return ret;
}

/* ---- tls-crypt-v2 WKc (§3.5) ------------------------------------------ */

long wrap_v2_wrap_wkc(const uint8_t server_key[WRAP_V2_SERVER_KEY_LEN],
		      const uint8_t kc[WRAP_V2_KC_LEN], const uint8_t *meta, size_t meta_len,
		      uint8_t *out, size_t cap)
{
	uint8_t pt[2 + WRAP_V2_KC_LEN + WRAP_V2_META_MAX];
	uint8_t tag[EVP_MAX_MD_SIZE];
	size_t total = WRAP_TLS_CRYPT_TAG + WRAP_V2_KC_LEN + meta_len + 2;
	int ret;

	if (!server_key || !kc || (meta_len && !meta) || meta_len > WRAP_V2_META_MAX)
		return WIRE_E_INVAL;
	if (cap < total)
		return WIRE_E_SPACE;
	/* T = HMAC-SHA256(Ka, len || Kc || meta) */
	pt[0] = (uint8_t)(total >> 8);
	pt[1] = (uint8_t)total;
	memcpy(pt + 2, kc, WRAP_V2_KC_LEN);
	if (meta_len)
		memcpy(pt + 2 + WRAP_V2_KC_LEN, meta, meta_len);
	ret = hmac_oneshot(EVP_sha256(), server_key + 64, 32, pt, 2 + WRAP_V2_KC_LEN + meta_len,
			   tag);
	if (!ret)
		ret = aes256ctr(server_key, tag, pt + 2, WRAP_V2_KC_LEN + meta_len,
				out + WRAP_TLS_CRYPT_TAG);
	OPENSSL_cleanse(pt, sizeof(pt));
	if (ret)
		return ret;
	memcpy(out, tag, WRAP_TLS_CRYPT_TAG);
	out[total - 2] = (uint8_t)(total >> 8);
	out[total - 1] = (uint8_t)total;
	return (long)total;
}

int wrap_v2_unwrap_wkc(const uint8_t server_key[WRAP_V2_SERVER_KEY_LEN], const uint8_t *wkc,
		       size_t wkc_len, uint8_t kc[WRAP_V2_KC_LEN], uint8_t *meta, size_t meta_cap,
		       size_t *meta_len)
{
	uint8_t pt[2 + WRAP_V2_WKC_MAX];
	uint8_t tag[EVP_MAX_MD_SIZE];
	size_t ct_len, ml;
	int ret;

	if (!server_key || !wkc || !kc || !meta_len)
		return WIRE_E_INVAL;
	if (wkc_len < WRAP_V2_WKC_MIN || wkc_len > WRAP_V2_WKC_MAX)
		return WIRE_E_WKC;
	if (((size_t)wkc[wkc_len - 2] << 8 | wkc[wkc_len - 1]) != wkc_len)
		return WIRE_E_WKC;
	ct_len = wkc_len - WRAP_TLS_CRYPT_TAG - 2;
	pt[0] = wkc[wkc_len - 2];
	pt[1] = wkc[wkc_len - 1];
	ret = aes256ctr(server_key, wkc, wkc + WRAP_TLS_CRYPT_TAG, ct_len, pt + 2);
	if (!ret)
		ret = hmac_oneshot(EVP_sha256(), server_key + 64, 32, pt, 2 + ct_len, tag);
	if (!ret && CRYPTO_memcmp(tag, wkc, WRAP_TLS_CRYPT_TAG))
		ret = WIRE_E_WKC;
	ml = ct_len - WRAP_V2_KC_LEN;
	if (!ret && ml > meta_cap)
		ret = WIRE_E_SPACE;
	if (!ret) {
		memcpy(kc, pt + 2, WRAP_V2_KC_LEN);
		if (ml)
			memcpy(meta, pt + 2 + WRAP_V2_KC_LEN, ml);
		*meta_len = ml;
	}
	OPENSSL_cleanse(pt, sizeof(pt));
	return ret;
}

/* ---- key files -------------------------------------------------------- */

__attribute__((format(printf, 3, 4)))
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static const char *find_str(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	if (len < n)
		return NULL;
	for (size_t i = 0; i + n <= len; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
			return hay + i;
	return NULL;
}

/* Locate the body between "-----BEGIN name-----" and "-----END name-----". */
static int armour_body(const char *text, size_t len, const char *name, const char **body,
		       size_t *body_len, char *err, size_t errlen)
{
	char begin[96], end[96];
	const char *b, *e;

	snprintf(begin, sizeof(begin), "-----BEGIN %s-----", name);
	snprintf(end, sizeof(end), "-----END %s-----", name);
	if (!text) {
		set_err(err, errlen, "no key data (%s)", name);
		return WIRE_E_KEY;
	}
	b = find_str(text, len, begin);
	if (!b) {
		set_err(err, errlen, "no '-----BEGIN %s-----' line", name);
		return WIRE_E_KEY;
	}
	b += strlen(begin);
	e = find_str(b, len - (size_t)(b - text), end);
	if (!e) {
		set_err(err, errlen, "no '-----END %s-----' line", name);
		return WIRE_E_KEY;
	}
	*body = b;
	*body_len = (size_t)(e - b);
	return 0;
}

int wrap_parse_static_key(const char *text, size_t len, uint8_t key[WRAP_STATIC_KEY_LEN],
			  char *err, size_t errlen)
{
	/* room for more than 256 bytes so that a wrong size gets its count */
	uint8_t buf[4 * WRAP_STATIC_KEY_LEN];
	const char *body;
	size_t blen;
	long n;
	int ret;

	ret = armour_body(text, len, "OpenVPN Static key V1", &body, &blen, err, errlen);
	if (ret)
		return ret;
	n = hex_decode(body, blen, buf, sizeof(buf));
	if (n < 0) {
		set_err(err, errlen, "static key is not an even number of hex digits "
			"(or longer than %zu bytes)", sizeof(buf));
		return WIRE_E_KEY;
	}
	if (n != WRAP_STATIC_KEY_LEN) {
		set_err(err, errlen, "static key has %ld bytes, need 256", n);
		OPENSSL_cleanse(buf, sizeof(buf));
		return WIRE_E_KEY;
	}
	memcpy(key, buf, WRAP_STATIC_KEY_LEN);
	OPENSSL_cleanse(buf, sizeof(buf));
	return 0;
}

int wrap_parse_v2_server_key(const char *text, size_t len, uint8_t key[WRAP_V2_SERVER_KEY_LEN],
			     char *err, size_t errlen)
{
	uint8_t buf[WRAP_V2_SERVER_KEY_LEN + 4];
	const char *body;
	size_t blen;
	long n;
	int ret;

	ret = armour_body(text, len, "OpenVPN tls-crypt-v2 server key", &body, &blen, err,
			  errlen);
	if (ret)
		return ret;
	n = b64_decode(body, blen, buf, sizeof(buf));
	if (n != WRAP_V2_SERVER_KEY_LEN) {
		if (n < 0)
			set_err(err, errlen, "tls-crypt-v2 server key is not base64 or too long");
		else
			set_err(err, errlen, "tls-crypt-v2 server key has %ld bytes, need 128", n);
		OPENSSL_cleanse(buf, sizeof(buf));
		return WIRE_E_KEY;
	}
	memcpy(key, buf, WRAP_V2_SERVER_KEY_LEN);
	OPENSSL_cleanse(buf, sizeof(buf));
	return 0;
}

int wrap_parse_v2_client_key(const char *text, size_t len, uint8_t kc[WRAP_V2_KC_LEN],
			     uint8_t *wkc, size_t *wkc_len, char *err, size_t errlen)
{
	uint8_t buf[WRAP_V2_KC_LEN + WRAP_V2_WKC_MAX];
	const char *body;
	size_t blen, wl;
	long n;
	int ret;

	ret = armour_body(text, len, "OpenVPN tls-crypt-v2 client key", &body, &blen, err,
			  errlen);
	if (ret)
		return ret;
	n = b64_decode(body, blen, buf, sizeof(buf));
	if (n < 0) {
		set_err(err, errlen, "tls-crypt-v2 client key is not base64 or above %zu bytes",
			sizeof(buf));
		return WIRE_E_KEY;
	}
	if ((size_t)n < WRAP_V2_KC_LEN + WRAP_V2_WKC_MIN) {
		set_err(err, errlen, "tls-crypt-v2 client key has only %ld bytes", n);
		OPENSSL_cleanse(buf, sizeof(buf));
		return WIRE_E_KEY;
	}
	wl = (size_t)n - WRAP_V2_KC_LEN;
	if (((size_t)buf[n - 2] << 8 | buf[n - 1]) != wl) {
		set_err(err, errlen,
			"tls-crypt-v2 client key: wrapped key length field does not match its %zu bytes",
			wl);
		OPENSSL_cleanse(buf, sizeof(buf));
		return WIRE_E_KEY;
	}
	memcpy(kc, buf, WRAP_V2_KC_LEN);
	memcpy(wkc, buf + WRAP_V2_KC_LEN, wl);
	*wkc_len = wl;
	OPENSSL_cleanse(buf, sizeof(buf));
	return 0;
}
