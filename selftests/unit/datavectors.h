/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * datavectors.h: known-answer OpenVPN data packets shared by test_proto.c
 * and test_dataplane.c.  Computed independently of mvpn with OpenSSL (via
 * Python's "cryptography" AEAD classes, which call OpenSSL): the header and
 * nonce were assembled by hand from the rules in openvpn-protocol.md §8.2,
 * then ciphertext ‖ tag from the AEAD was rearranged to tag ‖ ciphertext.
 *
 *   keys: K32 = 00 01 .. 1f, K16 = 40 41 .. 4f, nonce tail T = a0 .. a7
 */
#ifndef MVPN_DATAVECTORS_H
#define MVPN_DATAVECTORS_H

#include <stdint.h>

struct data_vector {
	const char *name;
	int cipher;		/* enum mvpn_dp_cipher */
	int v2;			/* P_DATA_V2 (1) or P_DATA_V1 (0) */
	uint8_t key_id;
	uint32_t peer_id;	/* 0xFFFFFF for V1 */
	uint32_t pktid;
	const char *plain;
	size_t plain_len;
	const char *packet;
	size_t packet_len;
};

static const uint8_t dv_k32[32] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};
static const uint8_t dv_k16[16] = {
	0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f,
};
static const uint8_t dv_tail[8] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7 };

#define DV_PING "\x2a\x18\x7b\xf3\x64\x1e\xb4\xcb\x07\xed\x2d\x0a\x98\x1f\xc7\x48"
#define DV_IP4 "\x45\x00\x00\x1c\x00\x01\x00\x00\x40\x01\xf9\x6c\x0a\x00\x00\x01\x0a\x00\x00\x02" \
	"\x08\x00\xf7\xff\x00\x00\x00\x00"

/* cipher values: 1 AES-128-GCM, 2 AES-256-GCM, 3 ChaCha20-Poly1305 (enum mvpn_dp_cipher) */
static const struct data_vector data_vectors[] = {
	{ "aes-256-gcm v2", 2, 1, 0, 0x76706e, 1, "mvpn proto vector", 17,
	  "\x48\x76\x70\x6e\x00\x00\x00\x01\xae\x1a\x52\xe3\xfb\x67\x16\xeb\x92\x52\xc8\x21\x12\xcd"
	  "\x51\xde\xa1\x1f\xc2\x57\x45\x6e\x87\x26\x9f\xe3\xd4\x2e\x83\x7a\xda\x2f\x02", 41 },
	{ "aes-128-gcm v2", 1, 1, 3, 0, 0x01020304, DV_IP4, 28,
	  "\x4b\x00\x00\x00\x01\x02\x03\x04\x06\x9a\xcf\x5e\xd8\x65\x0f\xc4\x8c\x61\x9d\x46\xae\xc1"
	  "\x35\xbc\x18\x5b\xf4\x64\x9f\xab\x5d\x9a\x4f\x04\x1e\x81\x0e\x26\x2b\xfd\xc0\xdb\xf7\xb7"
	  "\x09\x74\x1c\x05\x4f\x08\xe5\xc5", 52 },
	{ "chacha20-poly1305 v2 ping", 3, 1, 7, 0xfffffe, 0xffffffff, DV_PING, 16,
	  "\x4f\xff\xff\xfe\xff\xff\xff\xff\xcd\x33\x48\xa0\x76\x6f\x8a\xb7\x04\x81\xfd\xf1\xd5\x08"
	  "\x1b\x14\x55\x96\xfc\x0b\x80\x9c\xf0\x4e\x7d\xad\x54\x63\xb7\xff\xc1\x04", 40 },
	{ "aes-256-gcm v1", 2, 0, 2, 0xffffff, 5, "x", 1,
	  "\x32\x00\x00\x00\x05\xcc\xc9\xb6\xd0\xa2\x7f\x73\x17\x51\x7a\x71\x88\xc6\x32\xf9\xb4\x9a", 22 },
};

#define N_DATA_VECTORS (sizeof(data_vectors) / sizeof(data_vectors[0]))

#endif
