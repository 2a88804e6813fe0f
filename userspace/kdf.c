// SPDX-License-Identifier: BSD-2-Clause
/*
 * kdf.c: data-channel key derivation (openvpn-protocol.md §7): the TLS 1.0
 * PRF written out over HMAC (so it does not depend on a provider offering
 * the MD5-SHA1 TLS1-PRF), OpenVPN's master-secret / key-expansion use of
 * it, the EKM hand-over and the key2 -> per-direction AEAD key split.
 */
#include "kdf.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

const char *kdf_strerror(int err)
{
	switch (err) {
	case KDF_OK: return "ok";
	case KDF_E_CRYPTO: return "crypto library failure";
	case KDF_E_INVAL: return "invalid key derivation input";
	case KDF_E_ZEROKEY: return "derived data channel key is all zero";
	}
	return "unknown error";
}

/*
 * P_hash(secret, seed) from RFC 2246 §5, XORed into out[0..out_len):
 *   A(0) = seed, A(i) = HMAC(secret, A(i-1)),
 *   P_hash = HMAC(secret, A(1) | seed) | HMAC(secret, A(2) | seed) | ...
 */
static int p_hash_xor(const char *digest, const uint8_t *secret, size_t secret_len,
		      const uint8_t *seed, size_t seed_len, uint8_t *out, size_t out_len)
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0),
		OSSL_PARAM_construct_end(),
	};
	uint8_t a[EVP_MAX_MD_SIZE], blk[EVP_MAX_MD_SIZE];
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	size_t alen = 0, blen = 0, done = 0;
	int ret = KDF_E_CRYPTO;

	if (!ctx)
		goto out;
	/* A(1) */
	if (!EVP_MAC_init(ctx, secret, secret_len, params) ||
	    !EVP_MAC_update(ctx, seed, seed_len) || !EVP_MAC_final(ctx, a, &alen, sizeof(a)))
		goto out;
	while (done < out_len) {
		size_t n;

		if (!EVP_MAC_init(ctx, secret, secret_len, params) ||
		    !EVP_MAC_update(ctx, a, alen) || !EVP_MAC_update(ctx, seed, seed_len) ||
		    !EVP_MAC_final(ctx, blk, &blen, sizeof(blk)))
			goto out;
		n = out_len - done < blen ? out_len - done : blen;
		for (size_t i = 0; i < n; i++)
			out[done + i] ^= blk[i];
		done += n;
		/* A(i+1) */
		if (!EVP_MAC_init(ctx, secret, secret_len, params) ||
		    !EVP_MAC_update(ctx, a, alen) || !EVP_MAC_final(ctx, a, &alen, sizeof(a)))
			goto out;
	}
	ret = KDF_OK;
out:
	OPENSSL_cleanse(a, sizeof(a));
	OPENSSL_cleanse(blk, sizeof(blk));
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}

int kdf_tls1_prf(const uint8_t *secret, size_t secret_len, const uint8_t *seed, size_t seed_len,
		 uint8_t *out, size_t out_len)
{
	/* S1 = first ceil(len/2) bytes, S2 = last ceil(len/2) bytes: for an
	 * odd length the two halves share the middle byte */
	size_t half = (secret_len + 1) / 2;
	int ret;

	if ((!secret && secret_len) || (!seed && seed_len) || (!out && out_len))
		return KDF_E_INVAL;
	memset(out, 0, out_len);
	ret = p_hash_xor("MD5", secret, half, seed, seed_len, out, out_len);
	if (!ret)
		ret = p_hash_xor("SHA1", secret + secret_len - half, half, seed, seed_len, out,
				 out_len);
	if (ret)
		OPENSSL_cleanse(out, out_len);
	return ret;
}

int kdf_openvpn_prf(const struct kdf_prf_input *in, uint8_t key2[KDF_KEY2_LEN])
{
	/* seeds: label | client random | server random [| client sid | server sid] */
	uint8_t seed[sizeof(KDF_PRF_EXPANSION_LABEL) - 1 + 2 * KDF_RANDOM_LEN + 2 * KDF_SID_LEN];
	uint8_t master[KDF_MASTER_LEN];
	size_t l1 = sizeof(KDF_PRF_MASTER_LABEL) - 1, l2 = sizeof(KDF_PRF_EXPANSION_LABEL) - 1;
	int ret;

	if (!in || !in->pre_master || !in->client_random1 || !in->client_random2 ||
	    !in->server_random1 || !in->server_random2 || !in->client_sid || !in->server_sid ||
	    !key2)
		return KDF_E_INVAL;

	memcpy(seed, KDF_PRF_MASTER_LABEL, l1);
	memcpy(seed + l1, in->client_random1, KDF_RANDOM_LEN);
	memcpy(seed + l1 + KDF_RANDOM_LEN, in->server_random1, KDF_RANDOM_LEN);
	ret = kdf_tls1_prf(in->pre_master, KDF_PRE_MASTER_LEN, seed, l1 + 2 * KDF_RANDOM_LEN,
			   master, sizeof(master));
	if (ret)
		goto out;

	memcpy(seed, KDF_PRF_EXPANSION_LABEL, l2);
	memcpy(seed + l2, in->client_random2, KDF_RANDOM_LEN);
	memcpy(seed + l2 + KDF_RANDOM_LEN, in->server_random2, KDF_RANDOM_LEN);
	memcpy(seed + l2 + 2 * KDF_RANDOM_LEN, in->client_sid, KDF_SID_LEN);
	memcpy(seed + l2 + 2 * KDF_RANDOM_LEN + KDF_SID_LEN, in->server_sid, KDF_SID_LEN);
	ret = kdf_tls1_prf(master, sizeof(master), seed, sizeof(seed), key2, KDF_KEY2_LEN);
out:
	OPENSSL_cleanse(master, sizeof(master));
	OPENSSL_cleanse(seed, sizeof(seed));
	return ret;
}

int kdf_from_ekm(const uint8_t *ekm, size_t ekm_len, uint8_t key2[KDF_KEY2_LEN])
{
	if (!ekm || !key2 || ekm_len != KDF_KEY2_LEN)
		return KDF_E_INVAL;
	memcpy(key2, ekm, KDF_KEY2_LEN);
	return KDF_OK;
}

void kdf_key2_slices(const uint8_t key2[KDF_KEY2_LEN], bool is_server, struct kdf_slice *tx,
		     struct kdf_slice *rx)
{
	/* client NORMAL: sends with keys[0]; server INVERSE: sends with keys[1] */
	const uint8_t *k0 = key2, *k1 = key2 + 2 * KDF_KEY_SLICE;
	const uint8_t *t = is_server ? k1 : k0, *r = is_server ? k0 : k1;

	if (tx) {
		tx->cipher = t;
		tx->hmac = t + KDF_KEY_SLICE;
	}
	if (rx) {
		rx->cipher = r;
		rx->hmac = r + KDF_KEY_SLICE;
	}
}

bool kdf_is_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < len; i++)
		acc |= p[i];
	return acc == 0;
}

int kdf_data_keys(const uint8_t key2[KDF_KEY2_LEN], bool is_server, size_t cipher_key_len,
		  struct kdf_data_keys *out)
{
	struct kdf_slice tx, rx;

	if (!key2 || !out || (cipher_key_len != 16 && cipher_key_len != 32))
		return KDF_E_INVAL;
	memset(out, 0, sizeof(*out));
	kdf_key2_slices(key2, is_server, &tx, &rx);
	/* check_key: a cipher key of all zero bytes means a broken derivation */
	if (kdf_is_zero(tx.cipher, cipher_key_len) || kdf_is_zero(rx.cipher, cipher_key_len))
		return KDF_E_ZEROKEY;
	out->key_len = cipher_key_len;
	memcpy(out->tx_key, tx.cipher, cipher_key_len);
	memcpy(out->rx_key, rx.cipher, cipher_key_len);
	/* AEAD implicit IV: the first 8 bytes of the same direction's hmac slice */
	memcpy(out->tx_iv, tx.hmac, KDF_IMPLICIT_IV_LEN);
	memcpy(out->rx_iv, rx.hmac, KDF_IMPLICIT_IV_LEN);
	return KDF_OK;
}

void kdf_data_keys_clear(struct kdf_data_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}
