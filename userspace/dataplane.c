// SPDX-License-Identifier: BSD-2-Clause
/*
 * dataplane.c: the userspace data plane core (API and rules in dataplane.h).
 *
 * The wire format is kmod/proto.h and the packet ids kmod/pktid.c -- the
 * module's own sources -- so the two data planes cannot drift apart.  One
 * EVP_CIPHER_CTX per key and direction is created when the key is
 * installed; per packet only the nonce is set again.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "kshim.h"
#include "proto.h"
#include "pktid.h"
#include "dataplane.h"

struct dp_key {
	bool used;
	uint8_t key_id;
	enum mvpn_dp_cipher cipher;
	EVP_CIPHER_CTX *enc;
	EVP_CIPHER_CTX *dec;
	uint8_t enc_tail[MVPN_NONCE_TAIL_SIZE];
	uint8_t dec_tail[MVPN_NONCE_TAIL_SIZE];
	struct mvpn_pktid_xmit tx;
	struct mvpn_pktid_recv *rx;
};

struct mvpn_dp {
	struct mvpn_dp_config cfg;
	struct dp_key keys[2];	/* indexed by physical slot */
	int primary;		/* which of keys[] is the primary slot */
	struct mvpn_dp_stats st;
};

static const struct {
	enum mvpn_dp_cipher cipher;
	const char *name;
	size_t key_len;
} dp_ciphers[] = {
	{ MVPN_DP_AES_128_GCM, "AES-128-GCM", 16 },
	{ MVPN_DP_AES_256_GCM, "AES-256-GCM", 32 },
	{ MVPN_DP_CHACHA20_POLY1305, "CHACHA20-POLY1305", 32 },
};

#define N_CIPHERS (sizeof(dp_ciphers) / sizeof(dp_ciphers[0]))

enum mvpn_dp_cipher mvpn_dp_cipher_from_name(const char *name)
{
	for (size_t i = 0; name && i < N_CIPHERS; i++)
		if (strcasecmp(name, dp_ciphers[i].name) == 0)
			return dp_ciphers[i].cipher;
	return MVPN_DP_CIPHER_NONE;
}

const char *mvpn_dp_cipher_name(enum mvpn_dp_cipher cipher)
{
	for (size_t i = 0; i < N_CIPHERS; i++)
		if (dp_ciphers[i].cipher == cipher)
			return dp_ciphers[i].name;
	return NULL;
}

size_t mvpn_dp_cipher_key_len(enum mvpn_dp_cipher cipher)
{
	for (size_t i = 0; i < N_CIPHERS; i++)
		if (dp_ciphers[i].cipher == cipher)
			return dp_ciphers[i].key_len;
	return 0;
}

static const EVP_CIPHER *dp_evp(enum mvpn_dp_cipher cipher)
{
	switch (cipher) {
	case MVPN_DP_AES_128_GCM:
		return EVP_aes_128_gcm();
	case MVPN_DP_AES_256_GCM:
		return EVP_aes_256_gcm();
	case MVPN_DP_CHACHA20_POLY1305:
		return EVP_chacha20_poly1305();
	default:
		return NULL;
	}
}

int mvpn_dp_new(struct mvpn_dp **dpp, const struct mvpn_dp_config *cfg)
{
	struct mvpn_dp *dp;

	*dpp = NULL;
	if (cfg->tx_peer_id > MVPN_PEER_ID_UNDEF || cfg->replay_window > 65536)
		return -EINVAL;
	dp = calloc(1, sizeof(*dp));
	if (!dp)
		return -ENOMEM;
	dp->cfg = *cfg;
	if (!dp->cfg.replay_window)
		dp->cfg.replay_window = MVPN_DP_REPLAY_WINDOW_DEFAULT;
	if (!dp->cfg.replay_time)
		dp->cfg.replay_time = MVPN_DP_REPLAY_TIME_DEFAULT;
	else if (dp->cfg.replay_time == MVPN_DP_REPLAY_TIME_NONE)
		dp->cfg.replay_time = 0;
	*dpp = dp;
	return 0;
}

static void dp_key_clear(struct dp_key *k)
{
	EVP_CIPHER_CTX_free(k->enc);
	EVP_CIPHER_CTX_free(k->dec);
	free(k->rx);
	OPENSSL_cleanse(k, sizeof(*k));
}

void mvpn_dp_free(struct mvpn_dp *dp)
{
	if (!dp)
		return;
	dp_key_clear(&dp->keys[0]);
	dp_key_clear(&dp->keys[1]);
	OPENSSL_cleanse(dp, sizeof(*dp));
	free(dp);
}

static struct dp_key *dp_slot(struct mvpn_dp *dp, enum mvpn_dp_slot slot)
{
	return &dp->keys[slot == MVPN_DP_PRIMARY ? dp->primary : !dp->primary];
}

static EVP_CIPHER_CTX *dp_ctx_new(const EVP_CIPHER *evp, const uint8_t *key, bool enc)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (!ctx)
		return NULL;
	if (EVP_CipherInit_ex(ctx, evp, NULL, NULL, NULL, enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, MVPN_NONCE_SIZE, NULL) != 1 ||
	    EVP_CipherInit_ex(ctx, NULL, NULL, key, NULL, enc) != 1) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

int mvpn_dp_key_set(struct mvpn_dp *dp, enum mvpn_dp_slot slot,
		    const struct mvpn_dp_key *key, uint64_t now)
{
	const EVP_CIPHER *evp = dp_evp(key->cipher);
	struct dp_key *k, *other;

	if (!evp || key->key_id > MVPN_KEY_ID_MASK ||
	    (slot != MVPN_DP_PRIMARY && slot != MVPN_DP_SECONDARY))
		return -EINVAL;
	k = dp_slot(dp, slot);
	other = dp_slot(dp, slot == MVPN_DP_PRIMARY ? MVPN_DP_SECONDARY : MVPN_DP_PRIMARY);
	if (other->used && other->key_id == key->key_id)
		return -EEXIST;
	dp_key_clear(k);
	k->rx = malloc(mvpn_pktid_recv_size(dp->cfg.replay_window));
	if (!k->rx)
		return -ENOMEM;
	k->enc = dp_ctx_new(evp, key->encrypt.key, true);
	k->dec = dp_ctx_new(evp, key->decrypt.key, false);
	if (!k->enc || !k->dec) {
		dp_key_clear(k);
		return -EIO;
	}
	k->used = true;
	k->key_id = key->key_id;
	k->cipher = key->cipher;
	memcpy(k->enc_tail, key->encrypt.nonce_tail, MVPN_NONCE_TAIL_SIZE);
	memcpy(k->dec_tail, key->decrypt.nonce_tail, MVPN_NONCE_TAIL_SIZE);
	mvpn_pktid_xmit_init(&k->tx, 0);
	mvpn_pktid_recv_init(k->rx, dp->cfg.replay_window, dp->cfg.replay_time, now);
	return 0;
}

void mvpn_dp_key_swap(struct mvpn_dp *dp)
{
	dp->primary = !dp->primary;
}

void mvpn_dp_key_del(struct mvpn_dp *dp, enum mvpn_dp_slot slot)
{
	if (slot == MVPN_DP_PRIMARY || slot == MVPN_DP_SECONDARY)
		dp_key_clear(dp_slot(dp, slot));
}

bool mvpn_dp_key_info(const struct mvpn_dp *dp, enum mvpn_dp_slot slot,
		      uint8_t *key_id, enum mvpn_dp_cipher *cipher, uint32_t *tx_pktid)
{
	struct dp_key *k;

	if (slot != MVPN_DP_PRIMARY && slot != MVPN_DP_SECONDARY)
		return false;
	k = dp_slot((struct mvpn_dp *)dp, slot);
	if (!k->used)
		return false;
	if (key_id)
		*key_id = k->key_id;
	if (cipher)
		*cipher = k->cipher;
	if (tx_pktid)
		*tx_pktid = mvpn_pktid_xmit_last(&k->tx);
	return true;
}

int mvpn_dp_key_set_tx_pktid(struct mvpn_dp *dp, enum mvpn_dp_slot slot, uint32_t last_sent)
{
	struct dp_key *k;

	if (slot != MVPN_DP_PRIMARY && slot != MVPN_DP_SECONDARY)
		return -EINVAL;
	k = dp_slot(dp, slot);
	if (!k->used)
		return -ENOKEY;
	mvpn_pktid_xmit_init(&k->tx, last_sent);
	return 0;
}

size_t mvpn_dp_overhead(const struct mvpn_dp *dp)
{
	return dp->cfg.data_v2 ? MVPN_V2_OVERHEAD : MVPN_V1_OVERHEAD;
}

bool mvpn_dp_is_data(const uint8_t *pkt, size_t len)
{
	u8 op;

	if (!len)
		return false;
	op = mvpn_opcode(pkt[0]);
	return op == MVPN_OP_DATA_V1 || op == MVPN_OP_DATA_V2;
}

/*
 * Seal in || in2 as one data packet into out; ids and counters are the
 * caller's.  Two parts let a TCP segment be sealed straight from its own
 * headers and the payload inside the super-packet, without a copy.
 */
static long dp_seal(struct mvpn_dp *dp, struct dp_key *k, uint32_t pktid,
		    const uint8_t *in, size_t len, const uint8_t *in2, size_t len2,
		    uint8_t *out)
{
	const u8 *aad = out;
	size_t aad_len = MVPN_V2_AAD_SIZE, tag_off = MVPN_V2_TAG_OFF, ct_off = MVPN_V2_CT_OFF;
	uint8_t nonce[MVPN_NONCE_SIZE];
	int n, fin;

	if (dp->cfg.data_v2) {
		mvpn_data_v2_head(out, k->key_id, dp->cfg.tx_peer_id, pktid);
	} else {
		mvpn_data_v1_head(out, k->key_id, pktid);
		aad = out + MVPN_V1_PKTID_OFF;
		aad_len = MVPN_V1_AAD_SIZE;
		tag_off = MVPN_V1_TAG_OFF;
		ct_off = MVPN_V1_CT_OFF;
	}
	mvpn_nonce(nonce, pktid, k->enc_tail);
	if (EVP_EncryptInit_ex(k->enc, NULL, NULL, NULL, nonce) != 1 ||
	    EVP_EncryptUpdate(k->enc, NULL, &n, aad, (int)aad_len) != 1 ||
	    (len && EVP_EncryptUpdate(k->enc, out + ct_off, &n, in, (int)len) != 1) ||
	    (len2 && EVP_EncryptUpdate(k->enc, out + ct_off + len, &n, in2, (int)len2) != 1) ||
	    EVP_EncryptFinal_ex(k->enc, out + ct_off + len + len2, &fin) != 1 ||
	    EVP_CIPHER_CTX_ctrl(k->enc, EVP_CTRL_AEAD_GET_TAG, MVPN_TAG_SIZE, out + tag_off) != 1)
		return -EIO;
	return (long)(ct_off + len + len2);
}

static long dp_encrypt(struct mvpn_dp *dp, const uint8_t *in, size_t len1,
		       const uint8_t *in2, size_t len2, uint8_t *out, size_t outcap,
		       unsigned int *events)
{
	size_t len = len1 + len2;
	struct dp_key *k = dp_slot(dp, MVPN_DP_PRIMARY);
	bool notify;
	uint32_t pktid;
	long n;
	int err;

	if (events)
		*events = 0;
	if (!len || len1 > INT_MAX - MVPN_V2_OVERHEAD || len2 > INT_MAX - MVPN_V2_OVERHEAD ||
	    len > INT_MAX - MVPN_V2_OVERHEAD)
		return -EINVAL;
	if (outcap < len + mvpn_dp_overhead(dp))
		return -ENOBUFS;
	if (!k->used) {
		dp->st.tx_drops++;
		return -ENOKEY;
	}
	err = mvpn_pktid_xmit_next(&k->tx, &pktid, &notify);
	if (notify && events)
		*events |= err ? MVPN_DP_EV_KEY_EXHAUSTED : MVPN_DP_EV_KEY_LOW;
	if (err) {
		dp->st.tx_drops++;
		return err;
	}
	n = dp_seal(dp, k, pktid, in, len1, in2, len2, out);
	if (n < 0) {
		dp->st.tx_drops++;
		return n;
	}
	dp->st.link_tx_packets++;
	dp->st.link_tx_bytes += (uint64_t)n;
	return n;
}

long mvpn_dp_encrypt(struct mvpn_dp *dp, const uint8_t *in, size_t len,
		     uint8_t *out, size_t outcap, unsigned int *events)
{
	long n = dp_encrypt(dp, in, len, NULL, 0, out, outcap, events);

	if (n > 0) {
		dp->st.vpn_tx_packets++;
		dp->st.vpn_tx_bytes += len;
	}
	return n;
}

long mvpn_dp_encrypt2(struct mvpn_dp *dp, const uint8_t *in, size_t len,
		      const uint8_t *in2, size_t len2, uint8_t *out, size_t outcap,
		      unsigned int *events)
{
	long n = dp_encrypt(dp, in, len, in2, len2, out, outcap, events);

	if (n > 0) {
		dp->st.vpn_tx_packets++;
		dp->st.vpn_tx_bytes += len + len2;
	}
	return n;
}

long mvpn_dp_ping(struct mvpn_dp *dp, uint8_t *out, size_t outcap, unsigned int *events)
{
	static const uint8_t magic[MVPN_PING_SIZE] = MVPN_PING_MAGIC;
	long n = dp_encrypt(dp, magic, sizeof(magic), NULL, 0, out, outcap, events);

	if (n > 0)
		dp->st.ping_tx++;
	return n;
}

/* A plausible IPv4 or IPv6 packet: what the tun device will accept. */
static bool dp_inner_ok(const uint8_t *p, size_t len)
{
	if (len >= MVPN_IPV4_HDR_SIZE && p[0] >> 4 == 4)
		return true;
	return len >= MVPN_IPV6_HDR_SIZE && p[0] >> 4 == 6;
}

int mvpn_dp_decrypt(struct mvpn_dp *dp, const uint8_t *pkt, size_t len,
		    uint64_t now, uint8_t *out, size_t outcap, size_t *outlen,
		    struct mvpn_dp_rx_meta *meta)
{
	struct mvpn_data_hdr h;
	uint8_t nonce[MVPN_NONCE_SIZE];
	struct dp_key *k = NULL;
	int err, n, fin, slot;

	*outlen = 0;
	err = mvpn_data_parse(pkt, len, &h);
	if (err == -EPROTONOSUPPORT)
		return err;
	if (err || len > INT_MAX) {
		dp->st.drop_malformed++;
		return -EINVAL;
	}
	if (outcap < h.ct_len)
		return -ENOBUFS;
	dp->st.link_rx_packets++;
	dp->st.link_rx_bytes += len;

	for (slot = MVPN_DP_PRIMARY; slot <= MVPN_DP_SECONDARY; slot++) {
		struct dp_key *c = dp_slot(dp, (enum mvpn_dp_slot)slot);

		if (c->used && c->key_id == h.key_id) {
			k = c;
			break;
		}
	}
	if (!k) {
		if (!dp->keys[0].used && !dp->keys[1].used) {
			dp->st.drop_no_key++;
			return -ENOKEY;
		}
		dp->st.drop_unknown_key++;
		return -ENOENT;
	}

	mvpn_nonce(nonce, h.pktid, k->dec_tail);
	if (EVP_DecryptInit_ex(k->dec, NULL, NULL, NULL, nonce) != 1 ||
	    EVP_DecryptUpdate(k->dec, NULL, &n, pkt + h.aad_off, (int)h.aad_len) != 1 ||
	    EVP_DecryptUpdate(k->dec, out, &n, pkt + h.ct_off, (int)h.ct_len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(k->dec, EVP_CTRL_AEAD_SET_TAG, MVPN_TAG_SIZE,
				(void *)(pkt + h.tag_off)) != 1 ||
	    EVP_DecryptFinal_ex(k->dec, out + n, &fin) != 1) {
		OPENSSL_cleanse(out, h.ct_len);
		dp->st.drop_auth++;
		return -EBADMSG;
	}

	/* Authentic: only now may the packet id touch the replay window. */
	err = mvpn_pktid_recv(k->rx, h.pktid, now);
	if (err) {
		OPENSSL_cleanse(out, h.ct_len);
		dp->st.drop_replay++;
		return err == -EINVAL ? -EPERM : err;
	}
	if (meta) {
		meta->opcode = h.opcode;
		meta->key_id = h.key_id;
		meta->slot = (enum mvpn_dp_slot)slot;
		meta->peer_id = h.peer_id;
		meta->pktid = h.pktid;
	}
	if (mvpn_is_ping(out, h.ct_len)) {
		dp->st.ping_rx++;
		return MVPN_DP_RX_PING;
	}
	if (!dp->cfg.accept_any_payload && !dp_inner_ok(out, h.ct_len)) {
		dp->st.drop_malformed++;
		return -EINVAL;
	}
	dp->st.vpn_rx_packets++;
	dp->st.vpn_rx_bytes += h.ct_len;
	*outlen = h.ct_len;
	return MVPN_DP_RX_DATA;
}

void mvpn_dp_get_stats(const struct mvpn_dp *dp, struct mvpn_dp_stats *st)
{
	*st = dp->st;
}

const char *mvpn_dp_strerror(int err)
{
	switch (err) {
	case MVPN_DP_RX_DATA:
		return "data packet";
	case MVPN_DP_RX_PING:
		return "keepalive ping";
	case 0:
		return "success";
	case -EPROTONOSUPPORT:
		return "not a data packet (control channel)";
	case -EINVAL:
		return "malformed data packet or invalid argument";
	case -ENOKEY:
		return "no key installed";
	case -ENOENT:
		return "no key with the packet's key id";
	case -EBADMSG:
		return "authentication failed (wrong key or corrupted packet)";
	case -EALREADY:
		return "replayed packet";
	case -ERANGE:
		return "packet id outside the replay window, or TX packet ids exhausted";
	case -ETIME:
		return "packet id below the replay time floor (arrived too late)";
	case -EPERM:
		return "packet id 0 is invalid";
	case -ENOBUFS:
		return "output buffer too small";
	case -EEXIST:
		return "the other key slot already holds this key id";
	case -EIO:
		return "OpenSSL cipher failure";
	case -ENOMEM:
		return "out of memory";
	default:
		return "unknown error";
	}
}
