// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: key derivation (kdf.c).  Known answers: OpenVPN's own PRF
 * vector (tests/unit_tests/openvpn/test_crypto.c good_prf, a 117-byte odd
 * secret), vectors/kdf_kat.py (hmac/hashlib from RFC 2246 §5 and
 * openvpn-protocol.md §7.2; arrays kat_* below are its output) and
 * OpenSSL's own TLS1-PRF KDF as a third implementation.
 */
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "check.h"
#include "kdf.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const uint8_t good_prf[32] = {
	0xd9, 0x8c, 0x85, 0x18, 0xc8, 0x5e, 0x94, 0x69, 0x27, 0x91, 0x6a, 0xcf, 0xc2, 0xd5, 0x92, 0xfb,
	0xb1, 0x56, 0x7e, 0x4b, 0x4b, 0x14, 0x59, 0xe6, 0xa9, 0x04, 0xac, 0x2d, 0xda, 0xb7, 0x2d, 0x67,
};
static const char ipsum[] = "Lorem ipsum dolor sit amet, consectetur adipisici elit, sed eiusmod "
			    "tempor incidunt ut labore et dolore magna aliqua.";
static const char quis[] = "Quis aute iure reprehenderit in voluptate velit esse cillum dolore";

static const uint8_t kat_prf_even[100] = {
	0x43, 0xf7, 0xfa, 0x61, 0xb7, 0x53, 0xa1, 0xa2, 0x65, 0x8a, 0x9f, 0x49,
	0xe0, 0xdb, 0xd5, 0xdb, 0x84, 0xa8, 0xc0, 0x3f, 0xd1, 0xbb, 0x55, 0xa1,
	0x66, 0x6f, 0xb7, 0x83, 0x8c, 0x2c, 0xce, 0xc6, 0xbb, 0x8c, 0x3a, 0x93,
	0x12, 0x1c, 0x1e, 0x3a, 0x10, 0xf2, 0x0f, 0x49, 0x3f, 0x0a, 0x95, 0xac,
	0xc9, 0xba, 0x5d, 0x46, 0x1a, 0xfe, 0x8a, 0x7a, 0xe7, 0xf5, 0x05, 0xdd,
	0x91, 0x66, 0xd8, 0xc0, 0x09, 0x5a, 0xb4, 0x2b, 0x14, 0xba, 0x8b, 0xbe,
	0xda, 0x50, 0xc4, 0xc0, 0xa2, 0x78, 0x8f, 0x99, 0x55, 0x20, 0xe8, 0xcc,
	0x14, 0xbd, 0x68, 0xf1, 0xd0, 0xd1, 0x8d, 0xfe, 0xc2, 0x75, 0x31, 0x4c,
	0x99, 0x95, 0x40, 0x7a,
};

static const uint8_t kat_prf_one[37] = {
	0x66, 0xde, 0xb8, 0xc8, 0x52, 0x27, 0xa4, 0x4e, 0xc7, 0x7a, 0xfc, 0x80,
	0x54, 0x7d, 0xb2, 0xe2, 0xcc, 0x05, 0x38, 0x6b, 0xd2, 0x95, 0xa0, 0x28,
	0xde, 0x00, 0x6a, 0x5e, 0x5a, 0x50, 0x34, 0x9d, 0x37, 0x9b, 0xe9, 0xea,
	0xc8,
};

static const uint8_t kat_master[48] = {
	0x21, 0xc9, 0x37, 0x3c, 0x2e, 0x1c, 0xd7, 0x3d, 0xc9, 0xc0, 0x71, 0xaa,
	0x2b, 0xbb, 0x22, 0xf3, 0x8d, 0x9f, 0xcb, 0xfa, 0x2a, 0xc5, 0x1b, 0xab,
	0x1e, 0xbb, 0x2b, 0xf4, 0x3c, 0xa8, 0xbd, 0xd1, 0x69, 0x30, 0x54, 0x17,
	0x38, 0x0b, 0x99, 0x51, 0xb3, 0x93, 0x1a, 0xb6, 0x77, 0xb1, 0x52, 0xed,
};

static const uint8_t kat_key2[256] = {
	0xae, 0x8c, 0x42, 0xcf, 0x07, 0xa4, 0x7b, 0x2d, 0x59, 0x9d, 0xe4, 0xe2,
	0x0b, 0x04, 0x11, 0x56, 0x0b, 0xe4, 0xc5, 0xb4, 0xe4, 0x2f, 0x36, 0xf7,
	0xd8, 0x5d, 0xcd, 0x28, 0x08, 0x00, 0x42, 0x24, 0xf5, 0x0f, 0x34, 0x27,
	0xcd, 0xa0, 0xbe, 0x22, 0x5e, 0xf3, 0x74, 0x3a, 0xf4, 0xec, 0x25, 0x4c,
	0x2d, 0xdd, 0xd9, 0x05, 0x75, 0x73, 0xe8, 0x77, 0xce, 0x8f, 0xb3, 0xfd,
	0x30, 0x22, 0xa9, 0x12, 0x51, 0x04, 0xad, 0xd6, 0xac, 0xec, 0x3d, 0x72,
	0x41, 0x1c, 0x1c, 0x01, 0xcc, 0xa2, 0x8f, 0x50, 0x14, 0x56, 0x62, 0x37,
	0x50, 0x0a, 0x8b, 0x6a, 0x68, 0xfc, 0x48, 0xc9, 0xf7, 0x99, 0xc6, 0x4b,
	0x6a, 0xdc, 0x91, 0x83, 0x90, 0x94, 0xf1, 0x0e, 0x2d, 0x54, 0x23, 0x4b,
	0xab, 0x5e, 0x47, 0xf7, 0x5d, 0xb2, 0x7e, 0x67, 0x50, 0xa4, 0xc1, 0xf7,
	0x1c, 0x7c, 0xcc, 0xde, 0x05, 0x85, 0xcf, 0xba, 0xe9, 0x48, 0x3e, 0xd8,
	0xaf, 0xe7, 0xe9, 0x9d, 0x8a, 0x9a, 0x5b, 0x06, 0x1f, 0xf3, 0xe7, 0xc0,
	0x32, 0xba, 0x6b, 0xec, 0xfc, 0x39, 0xfa, 0x06, 0xd2, 0x2c, 0xbb, 0xcf,
	0x3a, 0x23, 0x5d, 0x1c, 0x94, 0x45, 0xf9, 0x67, 0x38, 0x90, 0x69, 0xbd,
	0x37, 0x4f, 0xf2, 0x5e, 0xc1, 0xd8, 0x0d, 0xba, 0xac, 0x83, 0x79, 0x74,
	0xa9, 0x65, 0x3c, 0xe0, 0x6b, 0xd9, 0x97, 0x5a, 0xb4, 0x66, 0x26, 0xa3,
	0x71, 0xa9, 0x05, 0xfd, 0x98, 0x10, 0xde, 0x2b, 0x8e, 0x56, 0xe9, 0xf2,
	0x84, 0xb5, 0x1d, 0x6c, 0x3f, 0x05, 0x3d, 0x31, 0x31, 0x91, 0xee, 0x54,
	0x56, 0x3c, 0xb3, 0x00, 0xec, 0x26, 0x6b, 0xa6, 0xad, 0x39, 0xf7, 0x4e,
	0x63, 0x88, 0x79, 0x0f, 0x97, 0xb2, 0x9d, 0x68, 0xbd, 0xaa, 0xf1, 0xed,
	0xde, 0x2d, 0x6c, 0x58, 0xa0, 0xd0, 0xff, 0xad, 0x8a, 0x30, 0xdd, 0xe4,
	0xeb, 0xcc, 0x0f, 0x22,
};

/* OpenSSL's TLS1-PRF (MD5-SHA1) as an independent reference. */
static int openssl_prf(const uint8_t *secret, size_t sl, const uint8_t *seed, size_t seedl,
		       uint8_t *out, size_t outl)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "TLS1-PRF", NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM p[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"MD5-SHA1", 0),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, (void *)secret, sl),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, (void *)seed, seedl),
		OSSL_PARAM_construct_end(),
	};
	int ok = ctx && EVP_KDF_derive(ctx, out, outl, p) > 0;

	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return ok ? 0 : -1;
}

static void prf_upstream_vector(void)
{
	uint8_t out[32];

	CHECK(strlen(ipsum) == 117, "odd secret length %zu", strlen(ipsum));
	CHECK(kdf_tls1_prf((const uint8_t *)ipsum, strlen(ipsum), (const uint8_t *)quis,
			   strlen(quis), out, sizeof(out)) == 0, "prf");
	CHECK_MEM(out, good_prf, sizeof(out), "good_prf");
}

static void prf_vectors(void)
{
	uint8_t secret[48], out[100];

	for (int i = 0; i < 48; i++)
		secret[i] = (uint8_t)(i + 1);
	CHECK(kdf_tls1_prf(secret, 48, (const uint8_t *)"seed-for-the-even-case", 22, out, 100) == 0,
	      "even");
	CHECK_MEM(out, kat_prf_even, 100, "even secret, 100 bytes");
	CHECK(kdf_tls1_prf((const uint8_t *)"\x42", 1, (const uint8_t *)"x", 1, out, 37) == 0, "one");
	CHECK_MEM(out, kat_prf_one, 37, "1-byte secret, 37 bytes");
	/* every prefix length is a prefix of the long output */
	for (size_t n = 0; n <= 100; n++) {
		uint8_t o2[100];

		CHECK(kdf_tls1_prf(secret, 48, (const uint8_t *)"seed-for-the-even-case", 22, o2, n) ==
			      0 && memcmp(o2, kat_prf_even, n) == 0, "prefix %zu", n);
	}
}

/* Many shapes against OpenSSL's implementation. */
static void prf_vs_openssl(void)
{
	uint8_t secret[200], seed[150], a[300], b[300];

	for (size_t i = 0; i < sizeof(secret); i++)
		secret[i] = (uint8_t)(i * 31 + 7);
	for (size_t i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(i * 17 + 3);
	static const size_t sl[] = { 1, 2, 3, 16, 47, 48, 49, 64, 65, 117, 200 };
	static const size_t dl[] = { 1, 13, 85, 101, 150 };
	static const size_t ol[] = { 1, 15, 16, 20, 21, 48, 64, 256, 300 };

	for (size_t i = 0; i < ARRAY_SIZE(sl); i++)
		for (size_t j = 0; j < ARRAY_SIZE(dl); j++)
			for (size_t k = 0; k < ARRAY_SIZE(ol); k++) {
				CHECK(kdf_tls1_prf(secret, sl[i], seed, dl[j], a, ol[k]) == 0, "ours");
				CHECK(openssl_prf(secret, sl[i], seed, dl[j], b, ol[k]) == 0, "openssl");
				CHECK(memcmp(a, b, ol[k]) == 0, "secret %zu seed %zu out %zu", sl[i],
				      dl[j], ol[k]);
			}
}

static void openvpn_prf_layout(void)
{
	uint8_t pre[48], cr1[32], cr2[32], sr1[32], sr2[32], key2[256], master[48], seed[85];
	static const uint8_t csid[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t ssid[8] = { 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8 };

	for (int i = 0; i < 48; i++)
		pre[i] = (uint8_t)(i * 5 + 1);
	for (int i = 0; i < 32; i++) {
		cr1[i] = (uint8_t)(i + 0x10);
		cr2[i] = (uint8_t)(i + 0x30);
		sr1[i] = (uint8_t)(0x90 - i);
		sr2[i] = (uint8_t)(0xf0 - i);
	}
	/* the master secret step alone (seed: 21-byte label + 64 = 85 bytes) */
	memcpy(seed, "OpenVPN master secret", 21);
	memcpy(seed + 21, cr1, 32);
	memcpy(seed + 53, sr1, 32);
	CHECK(kdf_tls1_prf(pre, 48, seed, 85, master, 48) == 0, "master");
	CHECK_MEM(master, kat_master, 48, "master secret");

	struct kdf_prf_input in = { pre, cr1, cr2, sr1, sr2, csid, ssid };

	CHECK(kdf_openvpn_prf(&in, key2) == 0, "prf");
	CHECK_MEM(key2, kat_key2, 256, "key2");
	/* each input matters: swapping roles changes the result */
	struct kdf_prf_input sw = { pre, cr1, cr2, sr1, sr2, ssid, csid };
	uint8_t k2[256];

	CHECK(kdf_openvpn_prf(&sw, k2) == 0 && memcmp(k2, key2, 256) != 0, "sids swapped differ");
	sw = in;
	sw.client_random1 = sr1;
	sw.server_random1 = cr1;
	CHECK(kdf_openvpn_prf(&sw, k2) == 0 && memcmp(k2, key2, 256) != 0, "random1 swapped differ");
	sw = in;
	sw.server_sid = NULL;
	CHECK(kdf_openvpn_prf(&sw, k2) == KDF_E_INVAL, "NULL input");
}

/* key2 split (§7, §7.3): client tx 0../64..71, rx 128../192..199. */
static void data_key_split(void)
{
	static const struct {
		bool server;
		size_t klen;
		size_t tx_key, tx_iv, rx_key, rx_iv;
	} v[] = {
		{ false, 16, 0, 64, 128, 192 },
		{ false, 32, 0, 64, 128, 192 },
		{ true, 16, 128, 192, 0, 64 },
		{ true, 32, 128, 192, 0, 64 },
	};
	uint8_t key2[256];
	struct kdf_data_keys k, c, s;

	for (int i = 0; i < 256; i++)
		key2[i] = (uint8_t)i;
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		CHECK(kdf_data_keys(key2, v[i].server, v[i].klen, &k) == 0, "case %zu", i);
		CHECK(k.key_len == v[i].klen, "case %zu key_len", i);
		CHECK(k.tx_key[0] == v[i].tx_key && k.tx_key[v[i].klen - 1] == v[i].tx_key + v[i].klen - 1 &&
			      k.rx_key[0] == v[i].rx_key && k.tx_iv[0] == v[i].tx_iv &&
			      k.tx_iv[7] == v[i].tx_iv + 7 && k.rx_iv[0] == v[i].rx_iv &&
			      k.rx_iv[7] == v[i].rx_iv + 7, "case %zu layout", i);
		if (v[i].klen == 16)
			CHECK(kdf_is_zero(k.tx_key + 16, 16), "case %zu: unused key bytes stay zero", i);
	}
	CHECK(kdf_data_keys(key2, false, 32, &c) == 0 && kdf_data_keys(key2, true, 32, &s) == 0, "x");
	CHECK(!memcmp(c.tx_key, s.rx_key, 32) && !memcmp(c.rx_key, s.tx_key, 32) &&
		      !memcmp(c.tx_iv, s.rx_iv, 8) && !memcmp(c.rx_iv, s.tx_iv, 8),
	      "client tx == server rx");
	CHECK(kdf_data_keys(key2, false, 24, &k) == KDF_E_INVAL, "key length 24");

	struct kdf_slice tx, rx;

	kdf_key2_slices(key2, true, &tx, &rx);
	CHECK(tx.cipher == key2 + 128 && tx.hmac == key2 + 192 && rx.cipher == key2 &&
		      rx.hmac == key2 + 64, "server slices");
	kdf_data_keys_clear(&k);
	CHECK(kdf_is_zero((const uint8_t *)&k, sizeof(k)), "clear");
}

static void zero_key_check(void)
{
	static const struct { size_t zero_from, zero_len, klen; bool server; int ret; } v[] = {
		{ 0, 32, 32, false, KDF_E_ZEROKEY },	/* client tx key zero */
		{ 128, 32, 32, false, KDF_E_ZEROKEY },	/* client rx key zero */
		{ 0, 32, 32, true, KDF_E_ZEROKEY },
		{ 0, 16, 16, false, KDF_E_ZEROKEY },
		{ 0, 16, 32, false, 0 },		/* half zero is a key */
		{ 16, 16, 16, false, 0 },		/* zero beyond the key length */
		{ 64, 64, 32, false, 0 },		/* zero IV slice is not checked */
	};
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		uint8_t key2[256];
		struct kdf_data_keys k;

		memset(key2, 0x5a, sizeof(key2));
		memset(key2 + v[i].zero_from, 0, v[i].zero_len);
		CHECK(kdf_data_keys(key2, v[i].server, v[i].klen, &k) == v[i].ret, "case %zu", i);
	}
	CHECK(strcmp(kdf_strerror(KDF_E_ZEROKEY), "derived data channel key is all zero") == 0, "msg");
}

static void ekm(void)
{
	uint8_t e[257], key2[256];

	for (int i = 0; i < 257; i++)
		e[i] = (uint8_t)(255 - i);
	CHECK(kdf_from_ekm(e, 256, key2) == 0 && !memcmp(e, key2, 256), "copy");
	CHECK(kdf_from_ekm(e, 255, key2) == KDF_E_INVAL, "short");
	CHECK(kdf_from_ekm(e, 257, key2) == KDF_E_INVAL, "long");
	CHECK(strlen(KDF_EKM_LABEL) == 25 && !strcmp(KDF_EKM_LABEL, "EXPORTER-OpenVPN-datakeys"),
	      "label");
}

int main(void)
{
	RUN("kdf", prf_upstream_vector);
	RUN("kdf", prf_vectors);
	RUN("kdf", prf_vs_openssl);
	RUN("kdf", openvpn_prf_layout);
	RUN("kdf", data_key_split);
	RUN("kdf", zero_key_check);
	RUN("kdf", ekm);
	CHECK_EXIT();
}
