// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests of userspace/dataplane.c: known-answer packets made with
 * OpenSSL (datavectors.h) in both directions, round trips for each cipher,
 * replay and tampering, key rollover across the two slots, TX packet-id
 * exhaustion, counters, and every error return.
 */
#include <errno.h>
#include "check.h"
#include "dataplane.h"
#include "datavectors.h"

#define NOW 1000

/* An IPv4 packet (header only matters: version nibble and length). */
static const uint8_t ip4[40] = { 0x45, 0x00, 0x00, 0x28, [9] = 17, [12] = 10, [15] = 1,
				 [16] = 10, [19] = 2 };
static const uint8_t ip6[48] = { 0x60, [4] = 0, [5] = 8, [6] = 17, [7] = 64 };

static void vector_key(const struct data_vector *v, struct mvpn_dp_key *k)
{
	memset(k, 0, sizeof(*k));
	k->key_id = v->key_id;
	k->cipher = (enum mvpn_dp_cipher)v->cipher;
	memcpy(k->encrypt.key, v->cipher == 1 ? dv_k16 : dv_k32, v->cipher == 1 ? 16 : 32);
	memcpy(k->decrypt.key, k->encrypt.key, sizeof(k->encrypt.key));
	memcpy(k->encrypt.nonce_tail, dv_tail, 8);
	memcpy(k->decrypt.nonce_tail, dv_tail, 8);
}

static struct mvpn_dp *vector_dp(const struct data_vector *v, bool any)
{
	struct mvpn_dp_config cfg = { .data_v2 = v->v2, .tx_peer_id = v->v2 ? v->peer_id : 0,
				      .accept_any_payload = any };
	struct mvpn_dp_key k;
	struct mvpn_dp *dp;

	if (mvpn_dp_new(&dp, &cfg))
		return NULL;
	vector_key(v, &k);
	if (mvpn_dp_key_set(dp, MVPN_DP_PRIMARY, &k, NOW) ||
	    mvpn_dp_key_set_tx_pktid(dp, MVPN_DP_PRIMARY, v->pktid - 1)) {
		mvpn_dp_free(dp);
		return NULL;
	}
	return dp;
}

static void kat_encrypt(void)
{
	for (size_t i = 0; i < N_DATA_VECTORS; i++) {
		const struct data_vector *v = &data_vectors[i];
		struct mvpn_dp *dp = vector_dp(v, true);
		uint8_t out[128];
		long n;

		CHECK(dp, "%s: setup", v->name);
		if (!dp)
			continue;
		if (v->plain_len == 16 && !memcmp(v->plain, DV_PING, 16))
			n = mvpn_dp_ping(dp, out, sizeof(out), NULL);
		else
			n = mvpn_dp_encrypt(dp, (const uint8_t *)v->plain, v->plain_len, out,
					    sizeof(out), NULL);
		CHECK(n == (long)v->packet_len, "%s: length %ld", v->name, n);
		if (n == (long)v->packet_len)
			CHECK_MEM(out, v->packet, v->packet_len, v->name);
		mvpn_dp_free(dp);
	}
}

static void kat_decrypt(void)
{
	for (size_t i = 0; i < N_DATA_VECTORS; i++) {
		const struct data_vector *v = &data_vectors[i];
		bool ping = v->plain_len == 16 && !memcmp(v->plain, DV_PING, 16);
		bool ip = ((const uint8_t *)v->plain)[0] >> 4 == 4;
		struct mvpn_dp *dp = vector_dp(v, false), *any = vector_dp(v, true);
		struct mvpn_dp_rx_meta meta;
		struct mvpn_dp_stats st;
		uint8_t out[128];
		size_t outlen;
		int r;

		CHECK(dp && any, "%s: setup", v->name);
		if (!dp || !any) {
			mvpn_dp_free(dp);
			mvpn_dp_free(any);
			continue;
		}
		r = mvpn_dp_decrypt(any, (const uint8_t *)v->packet, v->packet_len, NOW, out,
				    sizeof(out), &outlen, &meta);
		CHECK(r == (ping ? MVPN_DP_RX_PING : MVPN_DP_RX_DATA), "%s: result %d", v->name, r);
		if (r == MVPN_DP_RX_DATA) {
			CHECK(outlen == v->plain_len, "%s: length %zu", v->name, outlen);
			CHECK_MEM(out, v->plain, v->plain_len, v->name);
		}
		CHECK(meta.key_id == v->key_id && meta.pktid == v->pktid &&
		      meta.peer_id == v->peer_id && meta.slot == MVPN_DP_PRIMARY &&
		      meta.opcode == (v->v2 ? 9 : 6), "%s: meta", v->name);

		/* Without accept_any_payload, only IP packets and the ping pass. */
		r = mvpn_dp_decrypt(dp, (const uint8_t *)v->packet, v->packet_len, NOW, out,
				    sizeof(out), &outlen, NULL);
		mvpn_dp_get_stats(dp, &st);
		if (ping)
			CHECK(r == MVPN_DP_RX_PING && st.ping_rx == 1, "%s: ping %d", v->name, r);
		else if (ip)
			CHECK(r == MVPN_DP_RX_DATA && st.vpn_rx_packets == 1, "%s: ip %d", v->name, r);
		else
			CHECK(r == -EINVAL && st.drop_malformed == 1 && st.vpn_rx_packets == 0,
			      "%s: non-IP payload gave %d", v->name, r);
		mvpn_dp_free(dp);
		mvpn_dp_free(any);
	}
}

/* The keys of both ends of one link: a encrypts with K0/T0, b with K1/T1. */
static void make_keys(enum mvpn_dp_cipher c, uint8_t key_id, struct mvpn_dp_key *ka,
		      struct mvpn_dp_key *kb)
{
	memset(ka, 0, sizeof(*ka));
	ka->key_id = key_id;
	ka->cipher = c;
	for (int i = 0; i < 32; i++) {
		ka->encrypt.key[i] = (uint8_t)(i * 7 + key_id);
		ka->decrypt.key[i] = (uint8_t)(i * 13 + 1 + key_id);
	}
	memcpy(ka->encrypt.nonce_tail, "tail-a-0", 8);
	memcpy(ka->decrypt.nonce_tail, "tail-b-1", 8);
	*kb = *ka;
	kb->encrypt = ka->decrypt;
	kb->decrypt = ka->encrypt;
}

static int pair_new(enum mvpn_dp_cipher c, uint8_t key_id, struct mvpn_dp **a, struct mvpn_dp **b)
{
	struct mvpn_dp_config ca = { .data_v2 = true, .tx_peer_id = 7 };
	struct mvpn_dp_config cb = { .data_v2 = true, .tx_peer_id = 9 };
	struct mvpn_dp_key ka, kb;

	make_keys(c, key_id, &ka, &kb);
	*a = *b = NULL;
	if (mvpn_dp_new(a, &ca) || mvpn_dp_new(b, &cb) ||
	    mvpn_dp_key_set(*a, MVPN_DP_PRIMARY, &ka, NOW) ||
	    mvpn_dp_key_set(*b, MVPN_DP_PRIMARY, &kb, NOW)) {
		mvpn_dp_free(*a);
		mvpn_dp_free(*b);
		return -1;
	}
	return 0;
}

/* Install key_id into the given slot of both ends (a first). */
static int pair_key(struct mvpn_dp *a, struct mvpn_dp *b, enum mvpn_dp_cipher c, uint8_t key_id,
		    enum mvpn_dp_slot slot)
{
	struct mvpn_dp_key ka, kb;
	int err;

	make_keys(c, key_id, &ka, &kb);
	err = mvpn_dp_key_set(a, slot, &ka, NOW);
	if (!err)
		err = mvpn_dp_key_set(b, slot, &kb, NOW);
	return err;
}

static int pass(struct mvpn_dp *from, struct mvpn_dp *to, const uint8_t *p, size_t len)
{
	uint8_t pkt[256], out[256];
	size_t outlen;
	long n = mvpn_dp_encrypt(from, p, len, pkt, sizeof(pkt), NULL);
	int r;

	if (n < 0)
		return (int)n;
	r = mvpn_dp_decrypt(to, pkt, (size_t)n, NOW, out, sizeof(out), &outlen, NULL);
	if (r == MVPN_DP_RX_DATA && (outlen != len || memcmp(out, p, len)))
		return -1000;
	return r;
}

static void round_trips(void)
{
	static const enum mvpn_dp_cipher ciphers[] = {
		MVPN_DP_AES_128_GCM, MVPN_DP_AES_256_GCM, MVPN_DP_CHACHA20_POLY1305 };

	for (size_t c = 0; c < 3; c++) {
		struct mvpn_dp *a, *b;
		struct mvpn_dp_stats sa, sb;

		if (pair_new(ciphers[c], 0, &a, &b)) {
			CHECK(0, "cipher %zu: setup", c);
			continue;
		}
		for (int i = 0; i < 50; i++) {
			CHECK(pass(a, b, ip4, sizeof(ip4)) == MVPN_DP_RX_DATA, "a->b %d", i);
			CHECK(pass(b, a, ip6, sizeof(ip6)) == MVPN_DP_RX_DATA, "b->a %d", i);
		}
		mvpn_dp_get_stats(a, &sa);
		mvpn_dp_get_stats(b, &sb);
		CHECK(sa.vpn_tx_packets == 50 && sa.vpn_tx_bytes == 50 * sizeof(ip4) &&
		      sa.link_tx_bytes == 50 * (sizeof(ip4) + 24) && sa.vpn_rx_packets == 50 &&
		      sa.vpn_rx_bytes == 50 * sizeof(ip6) && sa.link_rx_packets == 50,
		      "%s: counters of a", mvpn_dp_cipher_name(ciphers[c]));
		CHECK(sb.vpn_rx_packets == 50 && sb.drop_auth == 0 && sb.drop_replay == 0,
		      "%s: counters of b", mvpn_dp_cipher_name(ciphers[c]));
		mvpn_dp_free(a);
		mvpn_dp_free(b);
	}
}

static void replay_and_tamper(void)
{
	struct mvpn_dp *a, *b;
	struct mvpn_dp_stats st;
	uint8_t pkt[128], out[128];
	size_t outlen;
	long n;
	int r, accepted = 0;

	if (pair_new(MVPN_DP_AES_256_GCM, 2, &a, &b)) {
		CHECK(0, "setup");
		return;
	}
	n = mvpn_dp_encrypt(a, ip4, sizeof(ip4), pkt, sizeof(pkt), NULL);
	CHECK(n == (long)sizeof(ip4) + 24, "encrypt");
	if (n <= 0)
		goto out;

	/* Every single-bit flip anywhere is refused, and moves no state. */
	for (long byte = 0; byte < n; byte++) {
		for (int bit = 0; bit < 8; bit++) {
			pkt[byte] ^= (uint8_t)(1 << bit);
			r = mvpn_dp_decrypt(b, pkt, (size_t)n, NOW, out, sizeof(out), &outlen, NULL);
			pkt[byte] ^= (uint8_t)(1 << bit);
			if (r >= 0)
				accepted++;
		}
	}
	CHECK(accepted == 0, "%d tampered packets accepted", accepted);
	mvpn_dp_get_stats(b, &st);
	CHECK(st.drop_auth > 0 && st.drop_unknown_key > 0 && st.vpn_rx_packets == 0,
	      "tamper counters: auth %llu unknown key %llu", (unsigned long long)st.drop_auth,
	      (unsigned long long)st.drop_unknown_key);

	r = mvpn_dp_decrypt(b, pkt, (size_t)n, NOW, out, sizeof(out), &outlen, NULL);
	CHECK(r == MVPN_DP_RX_DATA, "the original still decrypts after the forgeries: %d", r);
	r = mvpn_dp_decrypt(b, pkt, (size_t)n, NOW, out, sizeof(out), &outlen, NULL);
	CHECK(r == -EALREADY, "the same packet again is a replay: %d", r);
	mvpn_dp_get_stats(b, &st);
	CHECK(st.drop_replay == 1 && st.vpn_rx_packets == 1, "replay counted once");
out:
	mvpn_dp_free(a);
	mvpn_dp_free(b);
}

static void rollover(void)
{
	struct mvpn_dp *a, *b;
	uint8_t kid;
	int r;

	if (pair_new(MVPN_DP_CHACHA20_POLY1305, 0, &a, &b)) {
		CHECK(0, "setup");
		return;
	}
	/* a gets key 1 in its secondary slot first and swaps right away. */
	CHECK(pair_key(a, b, MVPN_DP_CHACHA20_POLY1305, 1, MVPN_DP_SECONDARY) == 0, "key 1");
	mvpn_dp_key_del(b, MVPN_DP_SECONDARY);	/* b has not got it yet */
	mvpn_dp_key_swap(a);
	CHECK(mvpn_dp_key_info(a, MVPN_DP_PRIMARY, &kid, NULL, NULL) && kid == 1, "a: primary 1");
	CHECK(mvpn_dp_key_info(a, MVPN_DP_SECONDARY, &kid, NULL, NULL) && kid == 0,
	      "a: secondary 0");
	r = pass(a, b, ip4, sizeof(ip4));
	CHECK(r == -ENOENT, "b does not know key 1 yet: %d", r);
	CHECK(pass(b, a, ip4, sizeof(ip4)) == MVPN_DP_RX_DATA, "a still takes key 0 (lame duck)");
	CHECK(pair_key(a, b, MVPN_DP_CHACHA20_POLY1305, 1, MVPN_DP_SECONDARY) == -EEXIST,
	      "a refuses key id 1 twice");
	mvpn_dp_key_del(a, MVPN_DP_PRIMARY);
	mvpn_dp_key_swap(a);	/* a: primary 0, secondary empty */
	CHECK(pair_key(a, b, MVPN_DP_CHACHA20_POLY1305, 1, MVPN_DP_SECONDARY) == 0,
	      "both get key 1 in secondary");
	CHECK(pass(a, b, ip4, sizeof(ip4)) == MVPN_DP_RX_DATA, "key 0 still both ways");
	mvpn_dp_key_swap(a);
	mvpn_dp_key_swap(b);
	CHECK(pass(a, b, ip4, sizeof(ip4)) == MVPN_DP_RX_DATA, "key 1 a->b");
	CHECK(pass(b, a, ip4, sizeof(ip4)) == MVPN_DP_RX_DATA, "key 1 b->a");
	mvpn_dp_key_del(a, MVPN_DP_SECONDARY);
	mvpn_dp_key_del(b, MVPN_DP_SECONDARY);
	CHECK(!mvpn_dp_key_info(a, MVPN_DP_SECONDARY, NULL, NULL, NULL), "old key gone");
	CHECK(pass(a, b, ip4, sizeof(ip4)) == MVPN_DP_RX_DATA, "after deleting the old key");
	mvpn_dp_free(a);
	mvpn_dp_free(b);
}

static void exhaustion(void)
{
	struct mvpn_dp *a, *b;
	struct mvpn_dp_stats st;
	uint8_t pkt[128];
	unsigned int ev;
	uint32_t last;
	long n;

	if (pair_new(MVPN_DP_AES_128_GCM, 0, &a, &b)) {
		CHECK(0, "setup");
		return;
	}
	mvpn_dp_key_set_tx_pktid(a, MVPN_DP_PRIMARY, 0xFEFFFFFEu);
	n = mvpn_dp_encrypt(a, ip4, sizeof(ip4), pkt, sizeof(pkt), &ev);
	CHECK(n > 0 && ev == 0, "0xFEFFFFFF: no event");
	n = mvpn_dp_encrypt(a, ip4, sizeof(ip4), pkt, sizeof(pkt), &ev);
	CHECK(n > 0 && ev == MVPN_DP_EV_KEY_LOW, "0xFF000000: key low (ev %u)", ev);
	n = mvpn_dp_ping(a, pkt, sizeof(pkt), &ev);
	CHECK(n > 0 && ev == 0, "0xFF000001: once only");

	mvpn_dp_key_set_tx_pktid(a, MVPN_DP_PRIMARY, 0xFFFFFFFEu);
	n = mvpn_dp_encrypt(a, ip4, sizeof(ip4), pkt, sizeof(pkt), &ev);
	CHECK(n > 0 && ev == 0 && pkt[4] == 0xff && pkt[7] == 0xff, "the last id 0xFFFFFFFF");
	n = mvpn_dp_encrypt(a, ip4, sizeof(ip4), pkt, sizeof(pkt), &ev);
	CHECK(n == -ERANGE && ev == MVPN_DP_EV_KEY_EXHAUSTED, "exhausted: %ld ev %u", n, ev);
	n = mvpn_dp_encrypt(a, ip4, sizeof(ip4), pkt, sizeof(pkt), &ev);
	CHECK(n == -ERANGE && ev == 0, "still refused, no new event");
	CHECK(mvpn_dp_key_info(a, MVPN_DP_PRIMARY, NULL, NULL, &last) && last == 0xFFFFFFFFu,
	      "last id reported");
	mvpn_dp_get_stats(a, &st);
	CHECK(st.tx_drops == 2, "two TX drops, got %llu", (unsigned long long)st.tx_drops);
	mvpn_dp_free(a);
	mvpn_dp_free(b);
}

static void errors(void)
{
	struct mvpn_dp_config cfg = { .data_v2 = true };
	struct mvpn_dp_key k = { .key_id = 0, .cipher = MVPN_DP_AES_256_GCM };
	struct mvpn_dp *dp;
	struct mvpn_dp_stats st;
	uint8_t pkt[128], out[128];
	size_t outlen;
	long n;

	cfg.tx_peer_id = 0x1000000;
	CHECK(mvpn_dp_new(&dp, &cfg) == -EINVAL && !dp, "peer id > 24 bits");
	cfg.tx_peer_id = 1;
	cfg.replay_window = 65537;
	CHECK(mvpn_dp_new(&dp, &cfg) == -EINVAL, "window > 65536");
	cfg.replay_window = 0;
	if (mvpn_dp_new(&dp, &cfg)) {
		CHECK(0, "setup");
		return;
	}
	CHECK(mvpn_dp_encrypt(dp, ip4, sizeof(ip4), pkt, sizeof(pkt), NULL) == -ENOKEY, "no key");
	CHECK(mvpn_dp_decrypt(dp, (const uint8_t *)data_vectors[0].packet,
			      data_vectors[0].packet_len, NOW, out, sizeof(out), &outlen,
			      NULL) == -ENOKEY, "decrypt without key");
	k.cipher = MVPN_DP_CIPHER_NONE;
	CHECK(mvpn_dp_key_set(dp, MVPN_DP_PRIMARY, &k, NOW) == -EINVAL, "cipher none");
	k.cipher = (enum mvpn_dp_cipher)42;
	CHECK(mvpn_dp_key_set(dp, MVPN_DP_PRIMARY, &k, NOW) == -EINVAL, "unknown cipher");
	k.cipher = MVPN_DP_AES_256_GCM;
	k.key_id = 8;
	CHECK(mvpn_dp_key_set(dp, MVPN_DP_PRIMARY, &k, NOW) == -EINVAL, "key id 8");
	k.key_id = 3;
	CHECK(mvpn_dp_key_set(dp, (enum mvpn_dp_slot)2, &k, NOW) == -EINVAL, "slot 2");
	CHECK(mvpn_dp_key_set(dp, MVPN_DP_PRIMARY, &k, NOW) == 0, "key 3");
	CHECK(mvpn_dp_key_set(dp, MVPN_DP_SECONDARY, &k, NOW) == -EEXIST, "key 3 twice");
	CHECK(mvpn_dp_key_set(dp, MVPN_DP_PRIMARY, &k, NOW) == 0, "replacing a slot is fine");
	CHECK(mvpn_dp_encrypt(dp, ip4, 0, pkt, sizeof(pkt), NULL) == -EINVAL, "empty packet");
	CHECK(mvpn_dp_encrypt(dp, ip4, sizeof(ip4), pkt, sizeof(ip4) + 23, NULL) == -ENOBUFS,
	      "output one byte short");
	n = mvpn_dp_encrypt(dp, ip4, sizeof(ip4), pkt, sizeof(ip4) + 24, NULL);
	CHECK(n == (long)sizeof(ip4) + 24, "output exactly large enough");
	CHECK(mvpn_dp_decrypt(dp, pkt, (size_t)n, NOW, out, 10, &outlen, NULL) == -ENOBUFS,
	      "decrypt output too small");
	CHECK(mvpn_dp_decrypt(dp, (const uint8_t *)"\x38\x01", 2, NOW, out, sizeof(out), &outlen,
			      NULL) == -EPROTONOSUPPORT, "control packet passes through");
	CHECK(mvpn_dp_decrypt(dp, pkt, 24, NOW, out, sizeof(out), &outlen, NULL) == -EINVAL,
	      "no ciphertext");
	CHECK(mvpn_dp_decrypt(dp, (const uint8_t *)data_vectors[0].packet,
			      data_vectors[0].packet_len, NOW, out, sizeof(out), &outlen,
			      NULL) == -ENOENT, "key id 0 unknown here");
	mvpn_dp_get_stats(dp, &st);
	CHECK(st.drop_no_key == 1 && st.drop_unknown_key == 1 && st.drop_malformed == 1 &&
	      st.tx_drops == 1, "error counters");
	CHECK(mvpn_dp_is_data(pkt, 1) && !mvpn_dp_is_data((const uint8_t *)"\x20", 1) &&
	      !mvpn_dp_is_data(pkt, 0), "is_data");
	CHECK(strcmp(mvpn_dp_strerror(-EBADMSG), "unknown error") != 0, "strerror");
	mvpn_dp_free(dp);
}

static void cipher_names(void)
{
	CHECK(mvpn_dp_cipher_from_name("aes-128-gcm") == MVPN_DP_AES_128_GCM, "aes-128-gcm");
	CHECK(mvpn_dp_cipher_from_name("AES-256-GCM") == MVPN_DP_AES_256_GCM, "AES-256-GCM");
	CHECK(mvpn_dp_cipher_from_name("ChaCha20-Poly1305") == MVPN_DP_CHACHA20_POLY1305, "chacha");
	CHECK(mvpn_dp_cipher_from_name("AES-256-CBC") == MVPN_DP_CIPHER_NONE, "CBC refused");
	CHECK(mvpn_dp_cipher_from_name(NULL) == MVPN_DP_CIPHER_NONE, "NULL");
	CHECK(mvpn_dp_cipher_key_len(MVPN_DP_AES_128_GCM) == 16 &&
	      mvpn_dp_cipher_key_len(MVPN_DP_CHACHA20_POLY1305) == 32 &&
	      mvpn_dp_cipher_key_len(MVPN_DP_CIPHER_NONE) == 0, "key lengths");
	CHECK(strcmp(mvpn_dp_cipher_name(MVPN_DP_AES_256_GCM), "AES-256-GCM") == 0 &&
	      mvpn_dp_cipher_name(MVPN_DP_CIPHER_NONE) == NULL, "names");
}

static void data_v1_pair(void)
{
	struct mvpn_dp_config c = { .data_v2 = false };
	struct mvpn_dp_key k = { .key_id = 5, .cipher = MVPN_DP_AES_256_GCM };
	struct mvpn_dp *a, *b;
	uint8_t pkt[128];
	long n;

	if (mvpn_dp_new(&a, &c) || mvpn_dp_new(&b, &c)) {
		CHECK(0, "setup");
		return;
	}
	memset(k.encrypt.key, 0x11, 32);
	memset(k.decrypt.key, 0x11, 32);
	CHECK(mvpn_dp_key_set(a, MVPN_DP_PRIMARY, &k, NOW) == 0 &&
	      mvpn_dp_key_set(b, MVPN_DP_PRIMARY, &k, NOW) == 0, "keys");
	n = mvpn_dp_encrypt(a, ip4, sizeof(ip4), pkt, sizeof(pkt), NULL);
	CHECK(n == (long)sizeof(ip4) + 21 && pkt[0] == 0x35, "V1 header (n %ld, byte %#x)", n,
	      pkt[0]);
	CHECK(pass(a, b, ip4, sizeof(ip4)) == MVPN_DP_RX_DATA, "V1 round trip");
	mvpn_dp_free(a);
	mvpn_dp_free(b);
}

int main(void)
{
	RUN("dataplane", kat_encrypt);
	RUN("dataplane", kat_decrypt);
	RUN("dataplane", round_trips);
	RUN("dataplane", replay_and_tamper);
	RUN("dataplane", rollover);
	RUN("dataplane", exhaustion);
	RUN("dataplane", errors);
	RUN("dataplane", cipher_names);
	RUN("dataplane", data_v1_pair);
	CHECK_EXIT();
}
