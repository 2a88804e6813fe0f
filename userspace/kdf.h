/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kdf.h: data-channel key derivation (openvpn-protocol.md §7).
 *
 * Both methods produce the 256-byte key2 block, laid out like a static key:
 *
 *   bytes   0.. 63  client->server cipher key   (first 16/32 bytes used)
 *   bytes  64..127  client->server HMAC key / AEAD implicit IV (first 8 bytes)
 *   bytes 128..191  server->client cipher key
 *   bytes 192..255  server->client HMAC key / AEAD implicit IV
 *
 *   EKM: key2 = TLS exporter(KDF_EKM_LABEL, 256 bytes, no context) -- the
 *        export itself happens in tls.c; kdf_from_ekm() takes its result.
 *   PRF: master = PRF(pre_master, "OpenVPN master secret" | c.random1 | s.random1, 48)
 *        key2   = PRF(master, "OpenVPN key expansion" | c.random2 | s.random2
 *                     | client_sid | server_sid, 256)
 *        PRF = TLS 1.0 PRF: P_MD5(S1) XOR P_SHA1(S2), halves sharing the
 *        middle byte for odd secret lengths.
 *
 * Pure (OpenSSL EVP for the hashes, no I/O).  Return 0 or a negative
 * enum kdf_err.  Outputs holding secrets should be OPENSSL_cleanse()d by
 * the caller when done (kdf_data_keys_clear() for struct kdf_data_keys).
 */
#ifndef MVPN_KDF_H
#define MVPN_KDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KDF_KEY2_LEN		256
#define KDF_KEY_SLICE		64	/* MAX_CIPHER_KEY_LENGTH == MAX_HMAC_KEY_LENGTH */
#define KDF_MASTER_LEN		48
#define KDF_PRE_MASTER_LEN	48
#define KDF_RANDOM_LEN		32
#define KDF_SID_LEN		8
#define KDF_IMPLICIT_IV_LEN	8	/* AEAD: 12-byte nonce minus 4-byte packet id */
#define KDF_CIPHER_KEY_MAX	32

/* TLS exporter labels (no NUL, no context). */
#define KDF_EKM_LABEL			"EXPORTER-OpenVPN-datakeys"
#define KDF_EKM_DYN_TLS_CRYPT_LABEL	"EXPORTER-OpenVPN-dynamic-tls-crypt"
#define KDF_EKM_P2P_PEERID_LABEL	"EXPORTER-OpenVPN-p2p-peerid"
#define KDF_PRF_MASTER_LABEL		"OpenVPN master secret"
#define KDF_PRF_EXPANSION_LABEL		"OpenVPN key expansion"

enum kdf_err {
	KDF_OK = 0,
	KDF_E_CRYPTO = -1,	/* OpenSSL failure */
	KDF_E_INVAL = -2,	/* bad length / argument */
	KDF_E_ZEROKEY = -3,	/* derived cipher key is all zero (check_key) */
};

const char *kdf_strerror(int err);

/* TLS 1.0 PRF (RFC 2246 §5) of any secret/seed length into out[outlen]. */
int kdf_tls1_prf(const uint8_t *secret, size_t secret_len, const uint8_t *seed,
		 size_t seed_len, uint8_t *out, size_t out_len);

/* Inputs of the OpenVPN PRF derivation, from both key-method-2 messages. */
struct kdf_prf_input {
	const uint8_t *pre_master;	/* KDF_PRE_MASTER_LEN, the client's */
	const uint8_t *client_random1;	/* KDF_RANDOM_LEN each */
	const uint8_t *client_random2;
	const uint8_t *server_random1;
	const uint8_t *server_random2;
	const uint8_t *client_sid;	/* KDF_SID_LEN: the TLS client's session id */
	const uint8_t *server_sid;	/* KDF_SID_LEN: the server's (cookie under §3.7) */
};

/* master secret then key expansion (§7.2) into key2. */
int kdf_openvpn_prf(const struct kdf_prf_input *in, uint8_t key2[KDF_KEY2_LEN]);

/* key2 from the 256 exported bytes (EKM, §7.1): a checked copy. */
int kdf_from_ekm(const uint8_t *ekm, size_t ekm_len, uint8_t key2[KDF_KEY2_LEN]);

/* One direction of key2: a 64-byte cipher slice and a 64-byte HMAC slice. */
struct kdf_slice {
	const uint8_t *cipher;	/* KDF_KEY_SLICE bytes */
	const uint8_t *hmac;	/* KDF_KEY_SLICE bytes */
};

/* The send and receive slices for our role (client NORMAL, server INVERSE). */
void kdf_key2_slices(const uint8_t key2[KDF_KEY2_LEN], bool is_server,
		     struct kdf_slice *tx, struct kdf_slice *rx);

/* AEAD data-channel keys for one role (§7.3). */
struct kdf_data_keys {
	size_t key_len;				/* 16 or 32 */
	uint8_t tx_key[KDF_CIPHER_KEY_MAX];
	uint8_t tx_iv[KDF_IMPLICIT_IV_LEN];	/* implicit IV, send */
	uint8_t rx_key[KDF_CIPHER_KEY_MAX];
	uint8_t rx_iv[KDF_IMPLICIT_IV_LEN];	/* implicit IV, receive */
};

/*
 * Split key2 into AEAD keys for cipher_key_len (16 for AES-128-GCM, 32 for
 * AES-256-GCM and CHACHA20-POLY1305).  Client: tx = bytes 0.. / 64..71,
 * rx = 128.. / 192..199; server the other way round.  Fails with
 * KDF_E_ZEROKEY when either used cipher key is all zero.
 */
int kdf_data_keys(const uint8_t key2[KDF_KEY2_LEN], bool is_server, size_t cipher_key_len,
		  struct kdf_data_keys *out);

/* True if the first len bytes are all zero (constant time). */
bool kdf_is_zero(const uint8_t *p, size_t len);

/* OPENSSL_cleanse the struct. */
void kdf_data_keys_clear(struct kdf_data_keys *k);

#endif
