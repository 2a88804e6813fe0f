// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: control-channel wrappers (wrap.c).
 *
 * Known answers come from two independent places:
 *  - OpenVPN's own unit-test packets (tests/unit_tests/openvpn/test_pkt.c):
 *    a tls-auth and a tls-crypt HARD_RESET_CLIENT_V2 and a tls-auth
 *    P_CONTROL_V1 made with the public test key below;
 *  - vectors/wrap_kat.py: hashlib/hmac + `openssl enc -aes-256-ctr`, built
 *    from the protocol facts alone (arrays kat_* below are its output).
 * tls-crypt-v2 is also checked against keys made by `openvpn --genkey`
 * while the test runs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include <time.h>

#include "encoding.h"
#include "wrap.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- upstream test data (test_pkt.c) ---------------------------------- */
static const char upstream_key[] =
	"# comment before the armour is ignored\n"
	"-----BEGIN OpenVPN Static key V1-----\n"
	"37268ea8f95d7f71f9fb8fc03770c460\n" "daf714a483d815c013ce0a537efc18f2\n"
	"8f4f172669d9e6a413bac6741d8ea054\n" "00f49b7fd6326470f23798c606bf53d4\n"
	"de63ebc64ec59d57ce5d04d5b62e68b5\n" "3ca6e5354351097fa370446c4d269f18\n"
	"7bb6ae54af2dc70ff7317fe2f8754b82\n" "82aad4202f9fa42c8640245d883e2c54\n"
	"a0c1c489a036cf3a8964d8d289c1583b\n" "9447c262b1da5fd167a5d27bd5ac5143\n"
	"17bc2343a31a2efc38dd920d910375f5\n" "1c2e27f3afd36c49269da079f7ce466e\n"
	"bb0f9ad13e9bbb4665974e6bc24b513c\n" "5700393bf4a3e7f967e2f384069ac8a8\n"
	"e78b18b15604993fd16515cce9c0f3e4\n" "2b4126b999005ade802797b0eeb8b9e6\n"
	"-----END OpenVPN Static key V1-----\n";

static const uint8_t up_reset_tls_auth[] = {
	0x38, 0xde, 0x69, 0x4c, 0x5c, 0x7b, 0xfb, 0xa2, 0x74, 0x93, 0x53, 0x7c, 0x1d, 0xed,
	0x4e, 0x78, 0x15, 0x29, 0xae, 0x7c, 0xfe, 0x4b, 0x8c, 0x6d, 0x6b, 0x2b, 0x51, 0xf0,
	0x5a, 0x00, 0x00, 0x00, 0x01, 0x61, 0xd3, 0xbf, 0x6c, 0x00, 0x00, 0x00, 0x00, 0x00,
};
static const uint8_t up_reset_tls_crypt[] = {
	0x38, 0xf4, 0x19, 0xcb, 0x12, 0xd1, 0xf9, 0xe4, 0x8f, 0x00, 0x00, 0x00, 0x01, 0x61,
	0xd3, 0xf8, 0xe1, 0x33, 0x02, 0x06, 0xf5, 0x68, 0x02, 0xbe, 0x44, 0xfb, 0xed, 0x90,
	0x50, 0x64, 0xe3, 0xdb, 0x43, 0x41, 0x6b, 0xec, 0x5e, 0x52, 0x67, 0x19, 0x46, 0x2b,
	0x7e, 0xb9, 0x0c, 0x96, 0xde, 0xfc, 0x9b, 0x05, 0xc4, 0x48, 0x79, 0xf7,
};
/* tls-auth P_CONTROL_V1 (msg-id 1) carrying a TLS 1.3 ClientHello */
static const uint8_t up_control_tls_auth[] = {
	0x20, 0x14, 0x01, 0x4e, 0xbc, 0x80, 0xc6, 0x14, 0x2b, 0x7b, 0xc8, 0x76, 0xfb, 0xc5,
	0x2e, 0x27, 0xb1, 0xc5, 0x07, 0x35, 0x5b, 0xb6, 0x00, 0x6b, 0xae, 0x71, 0xba, 0x4e,
	0x38, 0x00, 0x00, 0x00, 0x03, 0x61, 0xd3, 0xff, 0x53, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x16, 0x03, 0x01, 0x01, 0x0c, 0x01, 0x00, 0x01, 0x08, 0x03, 0x03, 0x8c, 0xaa, 0xac,
	0x3a, 0x1a, 0x07, 0xbd, 0xe7, 0xb7, 0x50, 0x06, 0x9b, 0x94, 0x0c, 0x34, 0x4b, 0x5a,
	0x35, 0xca, 0xc4, 0x79, 0xbd, 0xc9, 0x09, 0xb0, 0x7b, 0xd9, 0xee, 0xbb, 0x7d, 0xe7,
	0x25, 0x20, 0x39, 0x38, 0xe2, 0x18, 0x33, 0x36, 0x14, 0x9f, 0x34, 0xf0, 0x44, 0x59,
	0x96, 0x8d, 0x0e, 0xd2, 0x47, 0x76, 0x64, 0x88, 0x59, 0xe9, 0x38, 0x03, 0x97, 0x96,
	0x98, 0x45, 0xfb, 0xf5, 0xff, 0x23, 0x00, 0x32, 0x13, 0x02, 0x13, 0x03, 0x13, 0x01,
	0xc0, 0x2c, 0xc0, 0x30, 0x00, 0x9f, 0xcc, 0xa9, 0xcc, 0xa8, 0xcc, 0xaa, 0xc0, 0x2b,
	0xc0, 0x2f, 0x00, 0x9e, 0xc0, 0x24, 0xc0, 0x28, 0x00, 0x6b, 0xc0, 0x23, 0xc0, 0x27,
	0x00, 0x67, 0xc0, 0x0a, 0xc0, 0x14, 0x00, 0x39, 0xc0, 0x09, 0xc0, 0x13, 0x00, 0x33,
	0x00, 0xff, 0x01, 0x00, 0x00, 0x8d, 0x00, 0x0b, 0x00, 0x04, 0x03, 0x00, 0x01, 0x02,
	0x00, 0x0a, 0x00, 0x0c, 0x00, 0x0a, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x1e, 0x00, 0x19,
	0x00, 0x18, 0x00, 0x16, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x30,
	0x00, 0x2e, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x07, 0x08, 0x08, 0x08, 0x09,
	0x08, 0x0a, 0x08, 0x0b, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01,
	0x06, 0x01, 0x03, 0x03, 0x02, 0x03, 0x03, 0x01, 0x02, 0x01, 0x03, 0x02, 0x02, 0x02,
	0x04, 0x02, 0x05, 0x02, 0x06, 0x02, 0x00, 0x2b, 0x00, 0x05, 0x04, 0x03, 0x04, 0x03,
	0x03, 0x00, 0x2d, 0x00, 0x02, 0x01, 0x01, 0x00, 0x33, 0x00, 0x26, 0x00, 0x24, 0x00,
	0x1d, 0x00, 0x20, 0x0e, 0xc9, 0x7a, 0xff, 0x58, 0xdb, 0x56, 0xf6, 0x40, 0xd1, 0xed,
	0xdb, 0x91, 0x81, 0xd6, 0xef, 0x83, 0x86, 0x8a, 0xb2, 0x3d, 0x88, 0x92, 0x3f, 0xd8,
	0x51, 0x9c, 0xd6, 0x26, 0x56, 0x33, 0x6b,
};

/* ---- vectors/wrap_kat.py output ---------------------------------------- */
static const uint8_t kat_auth_sha256_bidir[106] = {
	0x22, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0xb2, 0x76, 0x94,
	0x73, 0x17, 0xcc, 0x07, 0xe8, 0xb6, 0x8a, 0x00, 0xe9, 0xc4, 0xa0, 0x05,
	0xf6, 0xa6, 0x75, 0x37, 0x4b, 0xdf, 0x17, 0x3f, 0x72, 0x60, 0xa9, 0x7f,
	0xb6, 0xe0, 0x7a, 0xef, 0xa2, 0x00, 0x00, 0x00, 0x03, 0x5f, 0x00, 0x00,
	0x00, 0x02, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x07, 0xa1, 0xa2,
	0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0x00, 0x00, 0x00, 0x09, 0x68, 0x65,
	0x6c, 0x6c, 0x6f, 0x20, 0x74, 0x6c, 0x73, 0x2c, 0x20, 0x74, 0x68, 0x69,
	0x73, 0x20, 0x69, 0x73, 0x20, 0x61, 0x20, 0x63, 0x6f, 0x6e, 0x74, 0x72,
	0x6f, 0x6c, 0x20, 0x70, 0x61, 0x79, 0x6c, 0x6f, 0x61, 0x64,
};
static const uint8_t kat_auth_sha512_inv[102] = {
	0x28, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0xd1, 0x19, 0xd3,
	0x4f, 0xb7, 0xe2, 0x7c, 0xab, 0x2e, 0x77, 0xaa, 0x7b, 0x33, 0xb7, 0x10,
	0x59, 0x43, 0x92, 0xfc, 0x70, 0xd2, 0x82, 0x46, 0x3e, 0x30, 0x8d, 0x31,
	0x76, 0x65, 0xba, 0xb0, 0x0d, 0x8f, 0x14, 0x8f, 0x2c, 0x6b, 0xe9, 0x28,
	0x9e, 0x76, 0xcc, 0xb7, 0x4e, 0x22, 0x95, 0x3d, 0x0f, 0xe9, 0xd7, 0xd8,
	0x10, 0x10, 0x04, 0x0f, 0xd2, 0x19, 0x69, 0x5a, 0x43, 0xa7, 0x61, 0xaa,
	0x4e, 0x0f, 0xff, 0xff, 0xff, 0x61, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0xa1, 0xa2,
	0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8,
};
static const uint8_t kat_auth_md5_norm[38] = {
	0x19, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x35, 0x19, 0xd5,
	0xbf, 0xa4, 0x75, 0xf5, 0xc3, 0x14, 0x52, 0x2e, 0x56, 0x2f, 0x08, 0xac,
	0xe8, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x00,
};
static const uint8_t kat_crypt_client[174] = {
	0x20, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x00, 0x00, 0x00,
	0x02, 0x64, 0x00, 0x00, 0x00, 0x1a, 0x38, 0x28, 0x6c, 0x76, 0x65, 0xb5,
	0x05, 0xfa, 0xdc, 0x4a, 0xc6, 0x96, 0x86, 0x3c, 0xc0, 0x6f, 0xd9, 0x54,
	0x95, 0xa6, 0xe9, 0xa6, 0x72, 0xe6, 0x71, 0xfb, 0x10, 0x2d, 0x39, 0x08,
	0xab, 0x31, 0x7f, 0x53, 0xfc, 0x4b, 0x29, 0xd7, 0x5c, 0x88, 0xb6, 0x50,
	0x06, 0xce, 0xa0, 0xa2, 0xb8, 0x61, 0xa8, 0x7c, 0x31, 0x5c, 0x4d, 0x28,
	0x10, 0xc0, 0x63, 0xc0, 0x3b, 0x77, 0x80, 0x75, 0x6b, 0xb7, 0xc7, 0x6d,
	0x48, 0x99, 0xb6, 0x8a, 0x85, 0xef, 0x92, 0x21, 0x73, 0x75, 0xc3, 0x5e,
	0x45, 0x2d, 0xab, 0xc0, 0xff, 0x45, 0x39, 0x06, 0x5b, 0xf7, 0x65, 0xbc,
	0xfa, 0x11, 0xc9, 0x72, 0x2b, 0x35, 0x6e, 0x0a, 0x14, 0x2e, 0xc7, 0x2b,
	0x77, 0xbb, 0x62, 0x96, 0x97, 0xda, 0x94, 0x54, 0xfe, 0x64, 0xa9, 0x99,
	0x16, 0x8b, 0xc3, 0xcf, 0x52, 0x5f, 0x7d, 0xd4, 0x37, 0x0a, 0x80, 0xed,
	0x4c, 0x72, 0xfc, 0x84, 0x7e, 0xfd, 0x4a, 0xec, 0x54, 0xe5, 0xb9, 0xeb,
	0xc6, 0xfb, 0x20, 0xf9, 0xff, 0xac, 0x02, 0x6d, 0xc4, 0x33, 0x7d, 0xc0,
	0x81, 0xca, 0x63, 0xb0, 0x1a, 0xf1,
};
static const uint8_t kat_crypt_server[72] = {
	0x40, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0x00, 0x00, 0x00,
	0x01, 0x64, 0x00, 0x00, 0x01, 0x49, 0xa9, 0xa3, 0x60, 0x93, 0xf2, 0x58,
	0x42, 0x2d, 0xab, 0x86, 0x7c, 0x62, 0x33, 0xfa, 0xe5, 0x72, 0x0d, 0xcb,
	0x53, 0x06, 0x05, 0xe5, 0xdc, 0x4b, 0xfe, 0xef, 0xac, 0x07, 0xd4, 0x6e,
	0x98, 0xb5, 0xeb, 0xbc, 0x52, 0xe3, 0xfb, 0x10, 0xe0, 0xd8, 0x75, 0x97,
	0x62, 0x9b, 0x9c, 0xaa, 0x17, 0x55, 0xea, 0x97, 0xc0, 0x9d, 0x3d, 0xd1,
};
static const uint8_t kat_dyn_client[90] = {
	0x21, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x00, 0x00, 0x00,
	0x01, 0x65, 0x00, 0x00, 0x00, 0x9c, 0xaa, 0x8c, 0xca, 0xae, 0xfb, 0x22,
	0xcf, 0xe7, 0xba, 0xf9, 0x85, 0xd2, 0x74, 0x3f, 0xbb, 0xed, 0xa7, 0x61,
	0x64, 0x02, 0xd7, 0xd3, 0x07, 0x5b, 0x59, 0x8d, 0x60, 0x94, 0xfd, 0x3a,
	0x34, 0x54, 0x55, 0x44, 0xfb, 0x7b, 0xfc, 0xce, 0xe5, 0xae, 0xd8, 0xf1,
	0xcf, 0x97, 0xc2, 0x68, 0xf3, 0x40, 0x6d, 0xff, 0xba, 0x6f, 0x3c, 0x81,
	0xdb, 0xc4, 0x76, 0x2d, 0x52, 0xda, 0x43, 0xf2, 0xfd, 0xeb, 0xfd, 0x85,
	0x8c, 0x49, 0x3c, 0xa0, 0x1a, 0xb3,
};
static const uint8_t kat_wkc[300] = {
	0x42, 0xc6, 0x74, 0x2e, 0x2d, 0x4b, 0x92, 0x48, 0x7c, 0x8c, 0xdf, 0x42,
	0xc6, 0xfe, 0x8c, 0xf4, 0x85, 0x20, 0xf7, 0xd1, 0x62, 0x10, 0x1a, 0x51,
	0x74, 0x4d, 0xde, 0x96, 0x0e, 0xf8, 0xc4, 0x30, 0xdc, 0x3b, 0x90, 0x00,
	0x5d, 0x3d, 0xac, 0x9d, 0x16, 0x3e, 0x0c, 0x0d, 0x28, 0x0d, 0xd0, 0xb7,
	0xaf, 0x8f, 0x55, 0xe6, 0xd4, 0x2f, 0xc3, 0x70, 0xd1, 0xd3, 0x7f, 0xeb,
	0xe0, 0xca, 0x92, 0x35, 0x3b, 0x3d, 0x03, 0xb6, 0x4f, 0x0a, 0xb5, 0x2d,
	0xcb, 0xdd, 0xb0, 0xc3, 0x52, 0x78, 0x17, 0x19, 0x4f, 0xc7, 0xf8, 0xbd,
	0x0c, 0x20, 0xd6, 0xf9, 0xaa, 0x34, 0xd8, 0xca, 0xc2, 0x17, 0x5d, 0xf6,
	0xf9, 0x8f, 0xd9, 0x42, 0x11, 0x03, 0xb2, 0x57, 0x82, 0x7e, 0x85, 0x4d,
	0x36, 0x87, 0x50, 0x30, 0x1f, 0x96, 0xcd, 0x7c, 0x6b, 0x5b, 0x16, 0x43,
	0x65, 0x4e, 0xc5, 0xfa, 0x82, 0x4f, 0x60, 0xcc, 0x46, 0xee, 0xdf, 0x90,
	0x57, 0x43, 0x94, 0x44, 0x25, 0x19, 0x8f, 0x79, 0x83, 0x9e, 0x63, 0xbf,
	0x75, 0x36, 0x8a, 0xee, 0xb2, 0xa3, 0x5a, 0x1a, 0x90, 0xb2, 0x01, 0xf5,
	0x29, 0x98, 0xf6, 0x47, 0x04, 0xd2, 0x65, 0x95, 0xdb, 0xb8, 0xaa, 0x41,
	0xaa, 0xd6, 0x17, 0xec, 0x17, 0x74, 0xf7, 0x3f, 0x30, 0x55, 0x06, 0xa8,
	0xf9, 0xf8, 0x0e, 0x28, 0xbb, 0xed, 0x59, 0xb3, 0x2e, 0x61, 0xc3, 0x69,
	0x31, 0x31, 0x56, 0xa3, 0x51, 0x40, 0x5b, 0xf0, 0x3b, 0x00, 0x07, 0xf8,
	0xac, 0xfd, 0x29, 0x78, 0x0b, 0xd9, 0x31, 0x3c, 0xd9, 0x19, 0xdd, 0x11,
	0x9a, 0xcd, 0x0b, 0xb4, 0x51, 0x73, 0x0d, 0x1b, 0xe7, 0x0a, 0xb9, 0x9b,
	0xbe, 0x56, 0x57, 0x6e, 0xa3, 0xcd, 0x39, 0x1d, 0x4a, 0xc5, 0xc2, 0x82,
	0x06, 0x1c, 0xbd, 0x87, 0xf7, 0xbc, 0x0b, 0x09, 0x9e, 0x7d, 0x2b, 0x6e,
	0x1c, 0x0f, 0xa4, 0x2f, 0xb5, 0x2f, 0xb3, 0x97, 0x7c, 0xb3, 0xcb, 0xff,
	0xf6, 0x41, 0x4b, 0x32, 0x2b, 0xc7, 0x05, 0x41, 0x9f, 0x24, 0x39, 0xc1,
	0x8c, 0x97, 0x62, 0x54, 0xb3, 0x04, 0x30, 0xe3, 0x2a, 0xbe, 0xfe, 0xdb,
	0x69, 0x16, 0xbf, 0x8f, 0x7e, 0xc1, 0xfb, 0x39, 0xd5, 0x84, 0x01, 0x2c,
};
static const uint8_t kat_v3_reset[354] = {
	0x50, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x0f, 0x00, 0x00,
	0x01, 0x66, 0x00, 0x00, 0x00, 0xde, 0x62, 0x49, 0x16, 0x3e, 0x2d, 0xa1,
	0x94, 0x8e, 0xf3, 0xc7, 0x7c, 0xcd, 0x9c, 0x58, 0xcf, 0x3c, 0x13, 0x58,
	0x2a, 0x6f, 0xb1, 0x7e, 0xe3, 0x27, 0x28, 0xc8, 0x9a, 0x97, 0xc9, 0x0a,
	0x4d, 0xfd, 0x41, 0x85, 0xcb, 0x75, 0x42, 0xc6, 0x74, 0x2e, 0x2d, 0x4b,
	0x92, 0x48, 0x7c, 0x8c, 0xdf, 0x42, 0xc6, 0xfe, 0x8c, 0xf4, 0x85, 0x20,
	0xf7, 0xd1, 0x62, 0x10, 0x1a, 0x51, 0x74, 0x4d, 0xde, 0x96, 0x0e, 0xf8,
	0xc4, 0x30, 0xdc, 0x3b, 0x90, 0x00, 0x5d, 0x3d, 0xac, 0x9d, 0x16, 0x3e,
	0x0c, 0x0d, 0x28, 0x0d, 0xd0, 0xb7, 0xaf, 0x8f, 0x55, 0xe6, 0xd4, 0x2f,
	0xc3, 0x70, 0xd1, 0xd3, 0x7f, 0xeb, 0xe0, 0xca, 0x92, 0x35, 0x3b, 0x3d,
	0x03, 0xb6, 0x4f, 0x0a, 0xb5, 0x2d, 0xcb, 0xdd, 0xb0, 0xc3, 0x52, 0x78,
	0x17, 0x19, 0x4f, 0xc7, 0xf8, 0xbd, 0x0c, 0x20, 0xd6, 0xf9, 0xaa, 0x34,
	0xd8, 0xca, 0xc2, 0x17, 0x5d, 0xf6, 0xf9, 0x8f, 0xd9, 0x42, 0x11, 0x03,
	0xb2, 0x57, 0x82, 0x7e, 0x85, 0x4d, 0x36, 0x87, 0x50, 0x30, 0x1f, 0x96,
	0xcd, 0x7c, 0x6b, 0x5b, 0x16, 0x43, 0x65, 0x4e, 0xc5, 0xfa, 0x82, 0x4f,
	0x60, 0xcc, 0x46, 0xee, 0xdf, 0x90, 0x57, 0x43, 0x94, 0x44, 0x25, 0x19,
	0x8f, 0x79, 0x83, 0x9e, 0x63, 0xbf, 0x75, 0x36, 0x8a, 0xee, 0xb2, 0xa3,
	0x5a, 0x1a, 0x90, 0xb2, 0x01, 0xf5, 0x29, 0x98, 0xf6, 0x47, 0x04, 0xd2,
	0x65, 0x95, 0xdb, 0xb8, 0xaa, 0x41, 0xaa, 0xd6, 0x17, 0xec, 0x17, 0x74,
	0xf7, 0x3f, 0x30, 0x55, 0x06, 0xa8, 0xf9, 0xf8, 0x0e, 0x28, 0xbb, 0xed,
	0x59, 0xb3, 0x2e, 0x61, 0xc3, 0x69, 0x31, 0x31, 0x56, 0xa3, 0x51, 0x40,
	0x5b, 0xf0, 0x3b, 0x00, 0x07, 0xf8, 0xac, 0xfd, 0x29, 0x78, 0x0b, 0xd9,
	0x31, 0x3c, 0xd9, 0x19, 0xdd, 0x11, 0x9a, 0xcd, 0x0b, 0xb4, 0x51, 0x73,
	0x0d, 0x1b, 0xe7, 0x0a, 0xb9, 0x9b, 0xbe, 0x56, 0x57, 0x6e, 0xa3, 0xcd,
	0x39, 0x1d, 0x4a, 0xc5, 0xc2, 0x82, 0x06, 0x1c, 0xbd, 0x87, 0xf7, 0xbc,
	0x0b, 0x09, 0x9e, 0x7d, 0x2b, 0x6e, 0x1c, 0x0f, 0xa4, 0x2f, 0xb5, 0x2f,
	0xb3, 0x97, 0x7c, 0xb3, 0xcb, 0xff, 0xf6, 0x41, 0x4b, 0x32, 0x2b, 0xc7,
	0x05, 0x41, 0x9f, 0x24, 0x39, 0xc1, 0x8c, 0x97, 0x62, 0x54, 0xb3, 0x04,
	0x30, 0xe3, 0x2a, 0xbe, 0xfe, 0xdb, 0x69, 0x16, 0xbf, 0x8f, 0x7e, 0xc1,
	0xfb, 0x39, 0xd5, 0x84, 0x01, 0x2c,
};


static uint32_t get_be32_(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* encoding.c, used to check key files independently of wrap.c's parser */
static long b64_decode_(const char *in, long len, uint8_t *out, size_t cap)
{
	return len < 0 ? -1 : b64_decode(in, (size_t)len, out, cap);
}

static long b64_encode_(const uint8_t *in, size_t len, char *out, size_t cap)
{
	return b64_encode(in, len, out, cap);
}

static uint8_t KEY[256], EKM[256], SRV[128], KC[256];
static const uint8_t SID[8] = { 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18 };
static const uint8_t PSID[8] = { 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8 };
static const char PAY[] = "hello tls, this is a control payload";

static void init_keys(void)
{
	for (int i = 0; i < 256; i++) {
		KEY[i] = (uint8_t)(i * 7 + 3);
		EKM[i] = (uint8_t)(i * 3 + 1);
		KC[i] = (uint8_t)(i * 13 + 7);
	}
	for (int i = 0; i < 128; i++)
		SRV[i] = (uint8_t)(i * 11 + 5);
}

static struct wrap_params params(enum wrap_role role)
{
	struct wrap_params p;

	wrap_params_default(&p, role);
	return p;
}

/* Seal p with a given replay-id/time (the id consumed is pid). */
static long seal_at(struct wrap_ctx *w, const struct ctl_pkt *p, uint32_t pid, uint32_t t,
		    uint8_t *out, size_t cap)
{
	w->tx_id = pid - 1;
	w->tx_time = t;
	return wrap_seal(w, p, t, out, cap);
}

static struct ctl_pkt mkpkt(uint8_t op, uint8_t kid, const uint8_t *sid, unsigned int n_acks,
			    const uint32_t *acks, const uint8_t *psid, uint32_t msg_id,
			    const void *payload, size_t len)
{
	struct ctl_pkt p = { .opcode = op, .key_id = kid, .n_acks = (uint8_t)n_acks,
			     .msg_id = msg_id, .payload = payload, .payload_len = len };

	memcpy(p.sid, sid, 8);
	for (unsigned int i = 0; i < n_acks; i++)
		p.acks[i] = acks[i];
	if (psid)
		memcpy(p.peer_sid, psid, 8);
	return p;
}

static bool same_pkt(const struct ctl_pkt *a, const struct ctl_pkt *b)
{
	return a->opcode == b->opcode && a->key_id == b->key_id && !memcmp(a->sid, b->sid, 8) &&
	       a->n_acks == b->n_acks && !memcmp(a->acks, b->acks, 4u * a->n_acks) &&
	       (!a->n_acks || !memcmp(a->peer_sid, b->peer_sid, 8)) &&
	       (a->opcode == CTL_OP_ACK_V1 || a->msg_id == b->msg_id) &&
	       a->payload_len == b->payload_len &&
	       (!a->payload_len || !memcmp(a->payload, b->payload, a->payload_len));
}

/* ---- upstream packets -------------------------------------------------- */

static void upstream_tls_auth(void)
{
	struct wrap_params sp = params(WRAP_SERVER), cp = params(WRAP_CLIENT);
	struct wrap_ctx srv, srv_inv, cli;
	uint8_t key[256], scratch[2048], out[512];
	struct ctl_pkt p;
	char err[128];
	long n;

	CHECK(wrap_parse_static_key(upstream_key, strlen(upstream_key), key, err, sizeof(err)) == 0,
	      "parse: %s", err);
	CHECK(key[0] == 0x37 && key[255] == 0xe6, "key bytes");
	/* server `tls-auth ta.key 0` validates what a client with 1 sent */
	CHECK(wrap_init_tls_auth(&srv, &sp, key, WRAP_KEYDIR_NORMAL, "SHA1") == 0, "init");
	CHECK(wrap_open(&srv, up_reset_tls_auth, sizeof(up_reset_tls_auth), 0x61d3bf6c, scratch,
			sizeof(scratch), &p) == 0, "reset accepted");
	CHECK(p.opcode == CTL_OP_HARD_RESET_CLIENT_V2 && p.n_acks == 0 && p.msg_id == 0 &&
		      p.payload_len == 0 && !memcmp(p.sid, up_reset_tls_auth + 1, 8),
	      "reset fields");
	CHECK(wrap_open(&srv, up_control_tls_auth, sizeof(up_control_tls_auth), 0x61d3ff53,
			scratch, sizeof(scratch), &p) == 0, "control accepted");
	CHECK(p.opcode == CTL_OP_CONTROL_V1 && p.n_acks == 0 && p.msg_id == 1 &&
		      p.payload_len == sizeof(up_control_tls_auth) - 42 && p.payload[0] == 0x16,
	      "control fields: len %zu", p.payload_len);
	/* wrong key direction: wrong HMAC key */
	CHECK(wrap_init_tls_auth(&srv_inv, &sp, key, WRAP_KEYDIR_INVERSE, "SHA1") == 0, "init");
	CHECK(wrap_open(&srv_inv, up_reset_tls_auth, sizeof(up_reset_tls_auth), 0, scratch,
			sizeof(scratch), &p) == WIRE_E_HMAC, "inverse direction refused");
	/* our client produces the very same bytes */
	CHECK(wrap_init_tls_auth(&cli, &cp, key, WRAP_KEYDIR_INVERSE, "SHA1") == 0, "init");
	p = mkpkt(CTL_OP_HARD_RESET_CLIENT_V2, 0, up_reset_tls_auth + 1, 0, NULL, NULL, 0, NULL, 0);
	n = seal_at(&cli, &p, 1, 0x61d3bf6c, out, sizeof(out));
	CHECK(n == (long)sizeof(up_reset_tls_auth), "sealed %ld", n);
	if (n == (long)sizeof(up_reset_tls_auth))
		CHECK_MEM(out, up_reset_tls_auth, sizeof(up_reset_tls_auth), "sealed reset");
	wrap_free(&srv);
	wrap_free(&srv_inv);
	wrap_free(&cli);
}

static void upstream_tls_crypt(void)
{
	struct wrap_params sp = params(WRAP_SERVER), cp = params(WRAP_CLIENT);
	struct wrap_ctx srv, cli, cli2;
	uint8_t key[256], scratch[2048], out[512];
	struct ctl_pkt p;
	long n;

	CHECK(wrap_parse_static_key(upstream_key, strlen(upstream_key), key, NULL, 0) == 0, "key");
	CHECK(wrap_init_tls_crypt(&srv, &sp, key) == 0, "init");
	CHECK(wrap_open(&srv, up_reset_tls_crypt, sizeof(up_reset_tls_crypt), 0x61d3f8e1, scratch,
			sizeof(scratch), &p) == 0, "reset accepted");
	CHECK(p.opcode == CTL_OP_HARD_RESET_CLIENT_V2 && p.n_acks == 0 && p.msg_id == 0 &&
		      p.payload_len == 0, "fields");
	/* the client role cannot read its own direction */
	CHECK(wrap_init_tls_crypt(&cli2, &cp, key) == 0, "init");
	CHECK(wrap_open(&cli2, up_reset_tls_crypt, sizeof(up_reset_tls_crypt), 0, scratch,
			sizeof(scratch), &p) == WIRE_E_HMAC, "client role refuses it");
	CHECK(wrap_init_tls_crypt(&cli, &cp, key) == 0, "init");
	p = mkpkt(CTL_OP_HARD_RESET_CLIENT_V2, 0, up_reset_tls_crypt + 1, 0, NULL, NULL, 0, NULL, 0);
	n = seal_at(&cli, &p, 1, 0x61d3f8e1, out, sizeof(out));
	CHECK(n == (long)sizeof(up_reset_tls_crypt), "sealed %ld", n);
	if (n == (long)sizeof(up_reset_tls_crypt))
		CHECK_MEM(out, up_reset_tls_crypt, sizeof(up_reset_tls_crypt), "sealed reset");
	wrap_free(&srv);
	wrap_free(&cli);
	wrap_free(&cli2);
}

/* ---- independent KATs -------------------------------------------------- */

struct kat {
	const char *what;
	enum wrap_type type;
	const char *digest;
	enum wrap_keydir tx_dir, rx_dir;	/* tls-auth: sender's and receiver's */
	enum wrap_role sender;
	struct ctl_pkt pkt;
	uint32_t pid, time;
	const uint8_t *expect;
	size_t expect_len;
};

static void python_kats(void)
{
	static const uint32_t acks57[] = { 5, 7 }, acks123[] = { 1, 2, 3 }, ack0[] = { 0 };
	static uint8_t pay3[3 * sizeof(PAY) - 3];
	static const uint8_t tlv[] = { 0, 1, 0, 2, 0, 1 };

	for (int i = 0; i < 3; i++)
		memcpy(pay3 + i * (sizeof(PAY) - 1), PAY, sizeof(PAY) - 1);
	const struct kat v[] = {
		{ "tls-auth SHA256 none", WRAP_TLS_AUTH, "SHA256", WRAP_KEYDIR_BIDIR,
		  WRAP_KEYDIR_BIDIR, WRAP_CLIENT,
		  mkpkt(CTL_OP_CONTROL_V1, 2, SID, 2, acks57, PSID, 9, PAY, sizeof(PAY) - 1), 3,
		  0x5f000000, kat_auth_sha256_bidir, sizeof(kat_auth_sha256_bidir) },
		{ "tls-auth SHA512 1->0", WRAP_TLS_AUTH, "SHA512", WRAP_KEYDIR_INVERSE,
		  WRAP_KEYDIR_NORMAL, WRAP_CLIENT,
		  mkpkt(CTL_OP_ACK_V1, 0, SID, 3, acks123, PSID, 0, NULL, 0), 0x0fffffff,
		  0x61000000, kat_auth_sha512_inv, sizeof(kat_auth_sha512_inv) },
		{ "tls-auth MD5 0->1", WRAP_TLS_AUTH, "MD5", WRAP_KEYDIR_NORMAL,
		  WRAP_KEYDIR_INVERSE, WRAP_SERVER,
		  mkpkt(CTL_OP_SOFT_RESET_V1, 1, SID, 0, NULL, NULL, 0, NULL, 0), 1, 1,
		  kat_auth_md5_norm, sizeof(kat_auth_md5_norm) },
		{ "tls-crypt client", WRAP_TLS_CRYPT, NULL, 0, 0, WRAP_CLIENT,
		  mkpkt(CTL_OP_CONTROL_V1, 0, SID, 1, ack0, PSID, 1, pay3, sizeof(pay3)), 2,
		  0x64000000, kat_crypt_client, sizeof(kat_crypt_client) },
		{ "tls-crypt server", WRAP_TLS_CRYPT, NULL, 0, 0, WRAP_SERVER,
		  mkpkt(CTL_OP_HARD_RESET_SERVER_V2, 0, PSID, 1, ack0, SID, 0, tlv, sizeof(tlv)), 1,
		  0x64000001, kat_crypt_server, sizeof(kat_crypt_server) },
		{ "dynamic tls-crypt client", WRAP_TLS_CRYPT_DYN, NULL, 0, 0, WRAP_CLIENT,
		  mkpkt(CTL_OP_CONTROL_V1, 1, SID, 0, NULL, NULL, 0, PAY, sizeof(PAY) - 1), 1,
		  0x65000000, kat_dyn_client, sizeof(kat_dyn_client) },
	};

	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		struct wrap_params tp = params(v[i].sender);
		struct wrap_params rp = params(v[i].sender == WRAP_CLIENT ? WRAP_SERVER : WRAP_CLIENT);
		struct wrap_ctx tx, rx;
		uint8_t out[512], scratch[512];
		struct ctl_pkt got;
		long n;
		int r;

		if (v[i].type == WRAP_TLS_AUTH) {
			CHECK(wrap_init_tls_auth(&tx, &tp, KEY, v[i].tx_dir, v[i].digest) == 0, "%s", v[i].what);
			CHECK(wrap_init_tls_auth(&rx, &rp, KEY, v[i].rx_dir, v[i].digest) == 0, "%s", v[i].what);
		} else if (v[i].type == WRAP_TLS_CRYPT) {
			CHECK(wrap_init_tls_crypt(&tx, &tp, KEY) == 0, "%s", v[i].what);
			CHECK(wrap_init_tls_crypt(&rx, &rp, KEY) == 0, "%s", v[i].what);
		} else {
			CHECK(wrap_init_dynamic(&tx, &tp, EKM, KEY) == 0, "%s", v[i].what);
			CHECK(wrap_init_dynamic(&rx, &rp, EKM, KEY) == 0, "%s", v[i].what);
		}
		n = seal_at(&tx, &v[i].pkt, v[i].pid, v[i].time, out, sizeof(out));
		CHECK(n == (long)v[i].expect_len, "%s: sealed %ld want %zu", v[i].what, n,
		      v[i].expect_len);
		if (n == (long)v[i].expect_len)
			CHECK(memcmp(out, v[i].expect, (size_t)n) == 0, "%s: bytes differ", v[i].what);
		r = wrap_open(&rx, v[i].expect, v[i].expect_len, v[i].time, scratch, sizeof(scratch),
			      &got);
		CHECK(r == 0, "%s: open %d (%s)", v[i].what, r, wire_strerror(r));
		if (!r)
			CHECK(same_pkt(&got, &v[i].pkt), "%s: decoded packet differs", v[i].what);
		CHECK(wrap_overhead(&tx, v[i].pkt.opcode) + ctlpkt_record_len(&v[i].pkt) ==
			      v[i].expect_len, "%s: overhead", v[i].what);
		wrap_free(&tx);
		wrap_free(&rx);
	}
}

static void v2_wkc_kat(void)
{
	uint8_t wkc[WRAP_V2_WKC_MAX], kc[256], meta[WRAP_V2_META_MAX];
	size_t ml = 0;
	long n = wrap_v2_wrap_wkc(SRV, KC, (const uint8_t *)"\0user-meta", 10, wkc, sizeof(wkc));

	CHECK(n == (long)sizeof(kat_wkc), "wkc len %ld", n);
	if (n == (long)sizeof(kat_wkc))
		CHECK_MEM(wkc, kat_wkc, sizeof(kat_wkc), "wkc");
	CHECK(wrap_v2_unwrap_wkc(SRV, kat_wkc, sizeof(kat_wkc), kc, meta, sizeof(meta), &ml) == 0,
	      "unwrap");
	CHECK(ml == 10 && !memcmp(meta, "\0user-meta", 10), "meta");
	CHECK_MEM(kc, KC, 256, "Kc");
	CHECK(wrap_v2_unwrap_wkc(SRV, kat_wkc, sizeof(kat_wkc), kc, meta, 5, &ml) == WIRE_E_SPACE,
	      "meta too small");
	/* every single-byte change is refused */
	for (size_t i = 0; i < sizeof(kat_wkc); i++) {
		uint8_t bad[sizeof(kat_wkc)];

		memcpy(bad, kat_wkc, sizeof(bad));
		bad[i] ^= 0x40;
		CHECK(wrap_v2_unwrap_wkc(SRV, bad, sizeof(bad), kc, meta, sizeof(meta), &ml) ==
			      WIRE_E_WKC, "flip at %zu accepted", i);
	}
	CHECK(wrap_v2_unwrap_wkc(SRV, kat_wkc, sizeof(kat_wkc) - 1, kc, meta, sizeof(meta), &ml) ==
		      WIRE_E_WKC, "truncated");
}

/* V3 reset KAT, then the server side takes Kc from it (and only then). */
static void v2_client_server(void)
{
	struct wrap_params cp = params(WRAP_CLIENT), sp = params(WRAP_SERVER);
	struct wrap_ctx cli, srv;
	uint8_t out[2048], scratch[2048];
	struct ctl_pkt p, got;
	long n;
	int r;

	CHECK(wrap_init_tls_crypt_v2_server(&srv, &sp, SRV) == 0, "srv");
	CHECK(wrap_init_tls_crypt_v2_client(&cli, &sp, KC, kat_wkc, sizeof(kat_wkc)) == WIRE_E_INVAL,
	      "client init in server role");
	CHECK(wrap_init_tls_crypt_v2_client(&cli, &cp, KC, kat_wkc, sizeof(kat_wkc) - 1) ==
		      WIRE_E_WKC, "wkc length field");
	CHECK(wrap_init_tls_crypt_v2_client(&cli, &cp, KC, kat_wkc, sizeof(kat_wkc)) == 0, "cli");

	/* the first packet carries 0x0F000001 without any help */
	p = mkpkt(CTL_OP_HARD_RESET_CLIENT_V3, 0, SID, 0, NULL, NULL, 0, NULL, 0);
	n = wrap_seal(&cli, &p, 0x66000000, out, sizeof(out));
	CHECK(n == (long)sizeof(kat_v3_reset), "V3 len %ld", n);
	if (n == (long)sizeof(kat_v3_reset))
		CHECK_MEM(out, kat_v3_reset, sizeof(kat_v3_reset), "V3 reset bytes");

	/* server without key: plain V2 reset, a CONTROL_V1, a tampered V3 */
	uint8_t bad[sizeof(kat_v3_reset)];

	p = mkpkt(CTL_OP_HARD_RESET_CLIENT_V2, 0, SID, 0, NULL, NULL, 0, NULL, 0);
	CHECK(wrap_open(&srv, kat_v3_reset, sizeof(kat_v3_reset) - sizeof(kat_wkc), 0x66000000,
			scratch, sizeof(scratch), &got) == WIRE_E_WKC, "V3 without WKc");
	memcpy(bad, kat_v3_reset, sizeof(bad));
	bad[0] = 0x38;
	CHECK(wrap_open(&srv, bad, sizeof(bad), 0, scratch, sizeof(scratch), &got) ==
		      WIRE_E_UNWRAPPED, "V2 reset at a v2 server");
	bad[0] = 0x20;
	CHECK(wrap_open(&srv, bad, sizeof(bad), 0, scratch, sizeof(scratch), &got) == WIRE_E_NOKEY,
	      "CONTROL_V1 before any WKc");
	memcpy(bad, kat_v3_reset, sizeof(bad));
	bad[20] ^= 1;	/* tls-crypt tag of the packet, WKc intact */
	CHECK(wrap_open(&srv, bad, sizeof(bad), 0x66000000, scratch, sizeof(scratch), &got) ==
		      WIRE_E_HMAC, "tampered packet, valid WKc");
	CHECK(!srv.have_key, "no key installed after a bad packet");
	memcpy(bad, kat_v3_reset, sizeof(bad));
	bad[sizeof(bad) - 100] ^= 1;	/* inside the WKc */
	CHECK(wrap_open(&srv, bad, sizeof(bad), 0x66000000, scratch, sizeof(scratch), &got) ==
		      WIRE_E_WKC, "tampered WKc");
	CHECK(!srv.have_key, "no key installed after a bad WKc");

	r = wrap_open(&srv, kat_v3_reset, sizeof(kat_v3_reset), 0x66000000, scratch, sizeof(scratch),
		      &got);
	CHECK(r == 0, "V3 accepted: %s", wire_strerror(r));
	CHECK(got.opcode == CTL_OP_HARD_RESET_CLIENT_V3 && got.msg_id == 0 && got.n_acks == 0,
	      "V3 fields");
	CHECK(srv.have_key && wrap_original_key(&srv) && !memcmp(wrap_original_key(&srv), KC, 256),
	      "server learned Kc");
	CHECK(wrap_open(&srv, kat_v3_reset, sizeof(kat_v3_reset), 0x66000000, scratch,
			sizeof(scratch), &got) == WIRE_E_REPLAY, "V3 replay");

	/* server answers, client reads */
	static const uint8_t tlv[] = { 0, 1, 0, 2, 0, 1 };
	static const uint32_t ack0[] = { 0 };

	p = mkpkt(CTL_OP_HARD_RESET_SERVER_V2, 0, PSID, 1, ack0, SID, 0, tlv, sizeof(tlv));
	n = wrap_seal(&srv, &p, 0x66000001, out, sizeof(out));
	CHECK(n == (long)(49 + ctlpkt_record_len(&p)), "server reset %ld", n);
	r = wrap_open(&cli, out, (size_t)n, 0x66000001, scratch, sizeof(scratch), &got);
	CHECK(r == 0 && same_pkt(&got, &p), "client reads server reset: %s", wire_strerror(r));

	/* WKC_V1 with msg-id 1: WKc appended, the server (key held) strips it */
	p = mkpkt(CTL_OP_CONTROL_WKC_V1, 0, SID, 1, ack0, PSID, 1, PAY, sizeof(PAY) - 1);
	n = wrap_seal(&cli, &p, 0x66000002, out, sizeof(out));
	CHECK(n == (long)(49 + ctlpkt_record_len(&p) + sizeof(kat_wkc)), "WKC_V1 len %ld", n);
	CHECK(n > 0 && get_be32_(out + 9) == 0x0F000002, "second replay-id 0x0F000002");
	r = wrap_open(&srv, out, (size_t)n, 0x66000002, scratch, sizeof(scratch), &got);
	CHECK(r == 0 && same_pkt(&got, &p), "WKC_V1 read: %s", wire_strerror(r));
	/* a CONTROL_V1 without WKc works now */
	p = mkpkt(CTL_OP_CONTROL_V1, 0, SID, 0, NULL, NULL, 2, PAY, 5);
	n = wrap_seal(&cli, &p, 0x66000002, out, sizeof(out));
	CHECK(n == (long)(49 + ctlpkt_record_len(&p)), "CONTROL_V1 has no WKc");
	r = wrap_open(&srv, out, (size_t)n, 0x66000002, scratch, sizeof(scratch), &got);
	CHECK(r == 0 && same_pkt(&got, &p), "CONTROL_V1 read: %s", wire_strerror(r));
	wrap_free(&cli);
	wrap_free(&srv);
}

/* ---- tls-crypt-v2 keys made by openvpn itself ------------------------- */

static size_t slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n;
}

static void v2_openvpn_genkey(void)
{
	char dir[] = "/tmp/mvpn-test-wrap.XXXXXX", cmd[512], path[256], err[160];
	char srvtxt[2048], clitxt[4096];
	uint8_t srvkey[128], kc[256], wkc[WRAP_V2_WKC_MAX], kc2[256], meta[WRAP_V2_META_MAX];
	uint8_t raw[256 + WRAP_V2_WKC_MAX];
	size_t wkc_len = 0, ml = 0, sl, cl;
	const char *body;
	long rawn;

	CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	snprintf(cmd, sizeof(cmd),
		 "cd %s && openvpn --genkey tls-crypt-v2-server srv.key >/dev/null 2>&1 && "
		 "openvpn --tls-crypt-v2 srv.key --genkey tls-crypt-v2-client cli.key >/dev/null 2>&1 && "
		 "openvpn --tls-crypt-v2 srv.key --genkey tls-crypt-v2-client meta.key "
		 "bWV0YWRhdGEgZnJvbSB0aGUgdGVzdA== >/dev/null 2>&1", dir);
	CHECK(system(cmd) == 0, "openvpn --genkey failed: %s", cmd);
	snprintf(path, sizeof(path), "%s/srv.key", dir);
	sl = slurp(path, srvtxt, sizeof(srvtxt));
	CHECK(wrap_parse_v2_server_key(srvtxt, sl, srvkey, err, sizeof(err)) == 0, "srv: %s", err);

	for (int which = 0; which < 2; which++) {
		snprintf(path, sizeof(path), "%s/%s", dir, which ? "meta.key" : "cli.key");
		cl = slurp(path, clitxt, sizeof(clitxt));
		CHECK(wrap_parse_v2_client_key(clitxt, cl, kc, wkc, &wkc_len, err, sizeof(err)) == 0,
		      "cli: %s", err);
		CHECK(wrap_v2_unwrap_wkc(srvkey, wkc, wkc_len, kc2, meta, sizeof(meta), &ml) == 0,
		      "unwrap of openvpn's WKc");
		/* Kc must equal the first 256 bytes of the client file, decoded
		 * here independently of wrap_parse_v2_client_key */
		body = strstr(clitxt, "-----\n");
		rawn = body ? b64_decode_(body + 6, strstr(body, "-----END") - body - 6, raw,
					  sizeof(raw)) : -1;
		CHECK(rawn == (long)(256 + wkc_len), "raw file length %ld", rawn);
		CHECK_MEM(kc2, raw, 256, "unwrapped Kc vs client file");
		CHECK_MEM(kc, raw, 256, "parsed Kc vs client file");
		if (which == 0) {
			/* default metadata: TIMESTAMP, 8-byte BE Unix time of generation */
			uint64_t ts = 0;

			CHECK(ml == 9 && meta[0] == WRAP_V2_META_TIMESTAMP && wkc_len == 299,
			      "timestamp metadata (len %zu, wkc %zu)", ml, wkc_len);
			for (int i = 1; i < 9; i++)
				ts = ts << 8 | meta[i];
			CHECK(ts + 3600 > (uint64_t)time(NULL) && ts <= (uint64_t)time(NULL),
			      "timestamp %llu", (unsigned long long)ts);
		} else {
			CHECK(ml == 1 + 22 && meta[0] == WRAP_V2_META_USER &&
				      !memcmp(meta + 1, "metadata from the test", 22), "user metadata");
		}
		/* and a full exchange with these keys */
		struct wrap_params cp = params(WRAP_CLIENT), sp = params(WRAP_SERVER);
		struct wrap_ctx cli, srv;
		struct ctl_pkt p = mkpkt(CTL_OP_HARD_RESET_CLIENT_V3, 0, SID, 0, NULL, NULL, 0, NULL, 0),
			       got;
		uint8_t out[2048], scratch[2048];
		long n;

		CHECK(wrap_init_tls_crypt_v2_client(&cli, &cp, kc, wkc, wkc_len) == 0, "cli");
		CHECK(wrap_init_tls_crypt_v2_server(&srv, &sp, srvkey) == 0, "srv");
		n = wrap_seal(&cli, &p, 1000, out, sizeof(out));
		CHECK(n > 0 && wrap_open(&srv, out, (size_t)n, 1000, scratch, sizeof(scratch),
					 &got) == 0, "V3 with openvpn's keys");
		wrap_free(&cli);
		wrap_free(&srv);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0, "cleanup");
}

/* ---- tls-auth: every digest, every direction pairing ------------------- */

static void tls_auth_digests(void)
{
	static const char *const digests[] = { "MD5", "SHA1", "SHA224", "SHA256", "SHA384",
						"SHA512", "SHA512-256", "SHA3-256", "BLAKE2b512" };
	/* c2s: the server reads the client; s2c: the client reads the server */
	static const struct { enum wrap_keydir c, s; bool c2s, s2c; } dirs[] = {
		{ WRAP_KEYDIR_INVERSE, WRAP_KEYDIR_NORMAL, true, true },
		{ WRAP_KEYDIR_NORMAL, WRAP_KEYDIR_INVERSE, true, true },
		{ WRAP_KEYDIR_BIDIR, WRAP_KEYDIR_BIDIR, true, true },
		{ WRAP_KEYDIR_NORMAL, WRAP_KEYDIR_NORMAL, false, false },
		{ WRAP_KEYDIR_INVERSE, WRAP_KEYDIR_INVERSE, false, false },
		/* none sends and receives keys[0]; 0 sends keys[0], receives keys[1] */
		{ WRAP_KEYDIR_BIDIR, WRAP_KEYDIR_NORMAL, false, true },
		{ WRAP_KEYDIR_INVERSE, WRAP_KEYDIR_BIDIR, false, true },
	};
	static const uint32_t ack[] = { 3 };

	for (size_t d = 0; d < ARRAY_SIZE(digests); d++) {
		for (size_t k = 0; k < ARRAY_SIZE(dirs); k++) {
			struct wrap_params cp = params(WRAP_CLIENT), sp = params(WRAP_SERVER);
			struct wrap_ctx c, s;
			struct ctl_pkt p = mkpkt(CTL_OP_CONTROL_V1, 3, SID, 1, ack, PSID, 4, PAY, 10),
				       got;
			uint8_t out[512], scratch[512];
			long n;
			int r1, r2;

			CHECK(wrap_init_tls_auth(&c, &cp, KEY, dirs[k].c, digests[d]) == 0, "%s", digests[d]);
			CHECK(wrap_init_tls_auth(&s, &sp, KEY, dirs[k].s, digests[d]) == 0, "%s", digests[d]);
			n = wrap_seal(&c, &p, 77, out, sizeof(out));
			CHECK(n == (long)(9 + c.md_len + 8 + ctlpkt_record_len(&p)), "%s len", digests[d]);
			r1 = wrap_open(&s, out, (size_t)n, 77, scratch, sizeof(scratch), &got);
			n = wrap_seal(&s, &p, 77, out, sizeof(out));
			r2 = wrap_open(&c, out, (size_t)n, 77, scratch, sizeof(scratch), &got);
			CHECK(r1 == (dirs[k].c2s ? 0 : WIRE_E_HMAC) &&
				      r2 == (dirs[k].s2c ? 0 : WIRE_E_HMAC),
			      "%s dirs %zu: %d %d", digests[d], k, r1, r2);
			wrap_free(&c);
			wrap_free(&s);
		}
	}
	struct wrap_params cp = params(WRAP_CLIENT);
	struct wrap_ctx c;

	CHECK(wrap_init_tls_auth(&c, &cp, KEY, WRAP_KEYDIR_BIDIR, "none") == WIRE_E_INVAL, "none");
	CHECK(wrap_init_tls_auth(&c, &cp, KEY, WRAP_KEYDIR_BIDIR, "NOPE") == WIRE_E_INVAL, "bogus");
	CHECK(wrap_init_tls_auth(&c, &cp, KEY, (enum wrap_keydir)2, "SHA1") == WIRE_E_INVAL, "dir 2");
}

/* ---- replay window ------------------------------------------------------ */

static void replay_window_table(void)
{
	/* window 4, 15 s; each step: id, sender time, local now, accepted? */
	static const struct { uint32_t id, t, now; bool ok; } s[] = {
		{ 0, 100, 1000, false },	/* id 0 never */
		{ 1, 100, 1000, true },
		{ 1, 100, 1000, false },	/* duplicate */
		{ 3, 100, 1000, true },		/* gap: 2 missing */
		{ 2, 100, 1001, true },		/* fills the gap */
		{ 2, 100, 1001, false },
		{ 8, 100, 1002, true },
		{ 4, 100, 1002, true },		/* 8-4 = 4: still in window of 4? no: diff 4 */
		{ 5, 100, 1002, true },
		{ 5, 100, 1002, false },
		{ 9, 99, 1002, false },		/* sender time went back */
		{ 2, 101, 1003, true },		/* time moved forward: new sequence */
		{ 1, 101, 1003, true },
		{ 7, 101, 1003, true },
		{ 5, 101, 1030, false },	/* unseen, but 7 was seen > 15 s ago */
		{ 8, 101, 1030, true },		/* newer ids are fine */
		{ 6, 101, 1030, false },	/* older than an expired slot */
		{ 1000, 101, 1031, true },	/* jump far ahead */
		{ 996, 101, 1031, false },	/* diff 4 >= window */
		{ 997, 101, 1031, true },
	};
	struct wrap_replay r;

	CHECK(wrap_replay_init(&r, 4, 15) == 0, "init");
	for (size_t i = 0; i < ARRAY_SIZE(s); i++) {
		int ret = wrap_replay_check(&r, s[i].id, s[i].t, s[i].now);

		if (i == 7)	/* diff 4 with window 4: out (OpenVPN: diff >= size) */
			CHECK(ret == WIRE_E_REPLAY, "step %zu: id 4 outside a window of 4", i);
		else
			CHECK((ret == 0) == s[i].ok, "step %zu: id %u t %u now %u -> %d", i, s[i].id,
			      s[i].t, s[i].now, ret);
		if (ret == 0)
			wrap_replay_update(&r, s[i].id, s[i].t, s[i].now);
	}
	wrap_replay_free(&r);

	/* strict mode (window 0): exactly +1, a new time restarts at 1 (also
	 * the first packet: the initial time is 0) */
	static const struct { uint32_t id, t; bool ok; } st[] = {
		{ 5, 10, false }, { 1, 10, true }, { 2, 10, true }, { 4, 10, false },
		{ 2, 10, false }, { 3, 10, true }, { 2, 11, false }, { 1, 11, true },
		{ 2, 11, true }, { 3, 9, false },
	};

	CHECK(wrap_replay_init(&r, 0, 0) == 0, "strict init");
	for (size_t i = 0; i < ARRAY_SIZE(st); i++) {
		int ret = wrap_replay_check(&r, st[i].id, st[i].t, 0);

		CHECK((ret == 0) == st[i].ok, "strict step %zu", i);
		if (ret == 0)
			wrap_replay_update(&r, st[i].id, st[i].t, 0);
	}
	wrap_replay_free(&r);
	CHECK(wrap_replay_init(&r, 65537, 15) == WIRE_E_INVAL, "window too big");
	CHECK(wrap_replay_init(&r, 64, 601) == WIRE_E_INVAL, "time too big");
	CHECK(wrap_replay_init(&r, 65536, 600) == 0, "max window");
	/* a window of 65536 with the whole range used */
	for (uint32_t id = 70000; id > 0; id -= 7) {
		int ret = wrap_replay_check(&r, id, 5, 5);

		CHECK((ret == 0) == (id == 70000 || 70000 - id < 65536), "big window id %u", id);
		if (!ret)
			wrap_replay_update(&r, id, 5, 5);
		if (check_cur_failed)
			break;
	}
	wrap_replay_free(&r);
}

/* ---- bad packets change nothing ---------------------------------------- */

static void tamper_no_state_change(void)
{
	for (int type = 0; type < 4; type++) {
		struct wrap_params cp = params(WRAP_CLIENT), sp = params(WRAP_SERVER);
		struct wrap_ctx c, s;
		static const uint32_t ack[] = { 1, 2 };
		struct ctl_pkt p = mkpkt(CTL_OP_CONTROL_V1, 0, SID, 2, ack, PSID, 3, PAY, 20), got;
		uint8_t out[512], bad[512], scratch[512];
		long n;
		int r;

		if (type == 0) {
			CHECK(!wrap_init_tls_auth(&c, &cp, KEY, WRAP_KEYDIR_INVERSE, "SHA256") &&
				      !wrap_init_tls_auth(&s, &sp, KEY, WRAP_KEYDIR_NORMAL, "SHA256"), "init");
		} else if (type == 1) {
			CHECK(!wrap_init_tls_crypt(&c, &cp, KEY) && !wrap_init_tls_crypt(&s, &sp, KEY), "i");
		} else if (type == 2) {
			CHECK(!wrap_init_dynamic(&c, &cp, EKM, NULL) &&
				      !wrap_init_dynamic(&s, &sp, EKM, NULL), "init");
		} else {
			CHECK(!wrap_init_tls_crypt_v2_client(&c, &cp, KC, kat_wkc, sizeof(kat_wkc)) &&
				      !wrap_init_tls_crypt_v2_server(&s, &sp, SRV), "init");
			p.opcode = CTL_OP_HARD_RESET_CLIENT_V3;
			p.n_acks = 0;
			p.payload_len = 0;
		}
		n = wrap_seal(&c, &p, 500, out, sizeof(out));
		CHECK(n > 0, "seal type %d", type);
		if (n <= 0)
			continue;
		for (size_t i = 0; i < (size_t)n; i++) {
			for (int bit = 0; bit < 8; bit += 3) {
				memcpy(bad, out, (size_t)n);
				bad[i] ^= (uint8_t)(1u << bit);
				r = wrap_open(&s, bad, (size_t)n, 500, scratch, sizeof(scratch), &got);
				/* flipping key_id bits leaves a valid header only for tls-crypt's
				 * covered byte: everything must fail */
				CHECK(r < 0, "type %d: flip byte %zu bit %d accepted", type, i, bit);
			}
		}
		for (size_t cut = 0; cut < (size_t)n; cut++)
			CHECK(wrap_open(&s, out, cut, 500, scratch, sizeof(scratch), &got) < 0,
			      "type %d: cut %zu accepted", type, cut);
		CHECK(type != 3 || !s.have_key, "v2: no key after bad packets");
		r = wrap_open(&s, out, (size_t)n, 500, scratch, sizeof(scratch), &got);
		CHECK(r == 0, "type %d: original refused after tampering: %s", type, wire_strerror(r));
		CHECK(r || same_pkt(&got, &p), "type %d: fields", type);
		CHECK(wrap_open(&s, out, (size_t)n, 500, scratch, sizeof(scratch), &got) ==
			      WIRE_E_REPLAY, "type %d: replay", type);
		CHECK(wrap_open(&s, out, (size_t)n, 500, scratch, 3, &got) == (type == 0 ? WIRE_E_REPLAY :
			      WIRE_E_SPACE), "type %d: small scratch", type);
		wrap_free(&c);
		wrap_free(&s);
	}
}

/* ---- TX replay-id -------------------------------------------------------- */

static void tx_replay_ids(void)
{
	struct wrap_params cp = params(WRAP_CLIENT);
	struct wrap_ctx c;
	struct ctl_pkt p = mkpkt(CTL_OP_CONTROL_V1, 0, SID, 0, NULL, NULL, 0, PAY, 4);
	uint8_t out[512], tiny[10];

	CHECK(wrap_init_tls_crypt(&c, &cp, KEY) == 0, "init");
	CHECK(wrap_seal(&c, &p, 1000, out, sizeof(out)) > 0 && get_be32_(out + 9) == 1 &&
		      get_be32_(out + 13) == 1000, "first id 1, time of first send");
	CHECK(wrap_seal(&c, &p, 2000, out, sizeof(out)) > 0 && get_be32_(out + 9) == 2 &&
		      get_be32_(out + 13) == 1000, "id 2, time kept");
	CHECK(wrap_seal(&c, &p, 2000, tiny, sizeof(tiny)) == WIRE_E_SPACE, "no room");
	CHECK(wrap_seal(&c, &p, 2000, out, sizeof(out)) > 0 && get_be32_(out + 9) == 3,
	      "failed seal consumed no id");
	c.tx_id = UINT32_MAX;
	CHECK(wrap_seal(&c, &p, 1000, out, sizeof(out)) == WIRE_E_PID_WRAP, "wrap, same time");
	CHECK(wrap_seal(&c, &p, 1001, out, sizeof(out)) > 0 && get_be32_(out + 9) == 1 &&
		      get_be32_(out + 13) == 1001, "wrap with a new time");
	p.key_id = 8;
	CHECK(wrap_seal(&c, &p, 1001, out, sizeof(out)) == WIRE_E_INVAL, "key_id 8");
	p.key_id = 0;
	p.opcode = CTL_OP_DATA_V2;
	CHECK(wrap_seal(&c, &p, 1001, out, sizeof(out)) == WIRE_E_OPCODE, "data opcode");
	wrap_free(&c);
	for (size_t i = 0; i < sizeof(c); i++)
		if (((uint8_t *)&c)[i]) {
			CHECK(0, "wrap_free left byte %zu non-zero", i);
			break;
		}
}

/* ---- key files ------------------------------------------------------------ */

static void key_files(void)
{
	static char hex256[1024], hex128[512], crlf[1024];
	struct { const char *what; const char *text; int ret; const char *msg; } v[] = {
		{ "upstream", upstream_key, 0, NULL },
		{ "CRLF", crlf, 0, NULL },
		{ "no begin", "0011", WIRE_E_KEY, "no '-----BEGIN OpenVPN Static key V1-----' line" },
		{ "no end", "-----BEGIN OpenVPN Static key V1-----\n00\n", WIRE_E_KEY,
		  "no '-----END OpenVPN Static key V1-----' line" },
		{ "128 bytes", hex128, WIRE_E_KEY, "static key has 128 bytes, need 256" },
		{ "not hex", "-----BEGIN OpenVPN Static key V1-----\nzz\n"
			     "-----END OpenVPN Static key V1-----\n", WIRE_E_KEY,
		  "static key is not an even number of hex digits" },
		{ "tls-crypt-v2 key given as static key",
		  "-----BEGIN OpenVPN tls-crypt-v2 client key-----\nAAAA\n"
		  "-----END OpenVPN tls-crypt-v2 client key-----\n", WIRE_E_KEY,
		  "no '-----BEGIN OpenVPN Static key V1-----' line" },
	};
	char *p = hex256;

	p += sprintf(p, "-----BEGIN OpenVPN Static key V1-----\n");
	for (int i = 0; i < 256; i++)
		p += sprintf(p, "%02x%s", KEY[i], i % 16 == 15 ? "\r\n" : "");
	sprintf(p, "-----END OpenVPN Static key V1-----\r\n");
	strcpy(crlf, hex256);
	p = hex128;
	p += sprintf(p, "-----BEGIN OpenVPN Static key V1-----\n");
	for (int i = 0; i < 128; i++)
		p += sprintf(p, "%02x", KEY[i]);
	sprintf(p, "\n-----END OpenVPN Static key V1-----\n");

	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		uint8_t key[256];
		char err[160] = "";
		int r = wrap_parse_static_key(v[i].text, strlen(v[i].text), key, err, sizeof(err));

		CHECK(r == v[i].ret, "%s: %d", v[i].what, r);
		if (v[i].msg)
			CHECK(strncmp(err, v[i].msg, strlen(v[i].msg)) == 0, "%s: message '%s'",
			      v[i].what, err);
		if (i == 1 && !r)
			CHECK_MEM(key, KEY, 256, "CRLF key");
	}

	/* tls-crypt-v2 PEM: round trip through our own encoder, and errors */
	static char pem[3000];
	uint8_t blob[256 + sizeof(kat_wkc)], kc[256], wkc[WRAP_V2_WKC_MAX], srv[128];
	char b64[2000], err[160];
	size_t wl;

	memcpy(blob, KC, 256);
	memcpy(blob + 256, kat_wkc, sizeof(kat_wkc));
	CHECK(b64_encode_(blob, sizeof(blob), b64, sizeof(b64)) > 0, "b64");
	snprintf(pem, sizeof(pem), "-----BEGIN OpenVPN tls-crypt-v2 client key-----\n%s\n"
		 "-----END OpenVPN tls-crypt-v2 client key-----\n", b64);
	CHECK(wrap_parse_v2_client_key(pem, strlen(pem), kc, wkc, &wl, err, sizeof(err)) == 0 &&
		      wl == sizeof(kat_wkc) && !memcmp(kc, KC, 256) &&
		      !memcmp(wkc, kat_wkc, wl), "client key: %s", err);
	CHECK(wrap_parse_v2_server_key(pem, strlen(pem), srv, err, sizeof(err)) == WIRE_E_KEY &&
		      strstr(err, "server key-----' line"), "client key as server key: %s", err);
	blob[sizeof(blob) - 1] ^= 1;	/* length field */
	CHECK(b64_encode_(blob, sizeof(blob), b64, sizeof(b64)) > 0, "b64");
	snprintf(pem, sizeof(pem), "-----BEGIN OpenVPN tls-crypt-v2 client key-----\n%s\n"
		 "-----END OpenVPN tls-crypt-v2 client key-----\n", b64);
	CHECK(wrap_parse_v2_client_key(pem, strlen(pem), kc, wkc, &wl, err, sizeof(err)) ==
		      WIRE_E_KEY && strstr(err, "length field"), "bad length: %s", err);
	CHECK(b64_encode_(SRV, 100, b64, sizeof(b64)) > 0, "b64");
	snprintf(pem, sizeof(pem), "-----BEGIN OpenVPN tls-crypt-v2 server key-----\n%s\n"
		 "-----END OpenVPN tls-crypt-v2 server key-----\n", b64);
	CHECK(wrap_parse_v2_server_key(pem, strlen(pem), srv, err, sizeof(err)) == WIRE_E_KEY &&
		      strstr(err, "has 100 bytes, need 128"), "short server key: %s", err);
}

/* dynamic tls-crypt: both sides agree; the XOR matters; NULL orig = EKM. */
static void dynamic_tls_crypt(void)
{
	struct wrap_params cp = params(WRAP_CLIENT), sp = params(WRAP_SERVER);
	struct wrap_ctx c, s, s2, plain;
	struct ctl_pkt p = mkpkt(CTL_OP_SOFT_RESET_V1, 1, SID, 0, NULL, NULL, 0, NULL, 0), got;
	uint8_t out[256], scratch[256];
	long n;

	CHECK(!wrap_init_dynamic(&c, &cp, EKM, KEY) && !wrap_init_dynamic(&s, &sp, EKM, KEY) &&
		      !wrap_init_dynamic(&s2, &sp, EKM, NULL) && !wrap_init_tls_crypt(&plain, &sp, EKM),
	      "init");
	n = wrap_seal(&c, &p, 9, out, sizeof(out));
	CHECK(n > 0 && wrap_open(&s, out, (size_t)n, 9, scratch, sizeof(scratch), &got) == 0,
	      "client -> server");
	CHECK(wrap_open(&s2, out, (size_t)n, 9, scratch, sizeof(scratch), &got) == WIRE_E_HMAC,
	      "without the XOR the key differs");
	CHECK(wrap_original_key(&c) == NULL, "dynamic has no original key");
	wrap_free(&c);
	/* with orig NULL the dynamic key is the exported bytes used as tls-crypt key */
	CHECK(!wrap_init_dynamic(&c, &cp, EKM, NULL), "init");
	n = wrap_seal(&c, &p, 9, out, sizeof(out));
	CHECK(n > 0 && wrap_open(&plain, out, (size_t)n, 9, scratch, sizeof(scratch), &got) == 0,
	      "NULL orig == plain tls-crypt with the EKM bytes");
	wrap_free(&c);
	wrap_free(&s);
	wrap_free(&s2);
	wrap_free(&plain);
}

static void none_wrapper(void)
{
	struct wrap_params cp = params(WRAP_CLIENT);
	struct wrap_ctx c;
	static const uint8_t reset[] = { 0x38, 0x68, 0x91, 0x92, 0x3f, 0xa3, 0x10, 0x34, 0x37,
					 0, 0, 0, 0, 0 };
	struct ctl_pkt p, got;
	uint8_t out[64], scratch[64];

	CHECK(wrap_init_none(&c, &cp) == 0, "init");
	CHECK(wrap_open(&c, reset, sizeof(reset), 0, scratch, sizeof(scratch), &got) == 0, "open");
	p = got;
	CHECK(wrap_seal(&c, &p, 0, out, sizeof(out)) == (long)sizeof(reset) &&
		      !memcmp(out, reset, sizeof(reset)), "seal");
	CHECK(wrap_open(&c, reset, sizeof(reset), 0, scratch, sizeof(scratch), &got) == 0,
	      "no replay protection without a wrapper");
	CHECK(wrap_overhead(&c, CTL_OP_CONTROL_V1) == 9, "overhead");
	static const uint8_t data[] = { 0x48, 0, 0, 1, 0, 0, 0, 1 };

	CHECK(wrap_open(&c, data, sizeof(data), 0, scratch, sizeof(scratch), &got) ==
		      WIRE_E_OPCODE, "data packet");
	wrap_free(&c);
}

/* ---- real OpenVPN 2.6.14 packets ------------------------------------------- */

/*
 * selftests/fuzz/corpus/fuzz_ctlpkt/ holds the first control packets of
 * each direction of real handshakes between Debian's OpenVPN 2.6.14 server
 * and client, made with the fixed test keys used here (KEY, KC, SRV; see
 * gen-corpus-ctlpkt.sh).  Byte 0 is the fuzz target, the rest the packet.
 * Every one must open, in order, on one context per direction.
 */
static size_t read_corpus(const char *name, uint8_t *buf, size_t cap)
{
	static const char *const dirs[] = { "selftests/fuzz/corpus/fuzz_ctlpkt",
					    "../selftests/fuzz/corpus/fuzz_ctlpkt" };
	char path[256];

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		FILE *f;
		size_t n;

		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		n = fread(buf, 1, cap, f);
		fclose(f);
		return n;
	}
	return 0;
}

static void real_openvpn_packets(void)
{
	static const struct { const char *tag; int kind; } w[] = {
		{ "none", 0 }, { "auth1", 1 }, { "auth256", 2 }, { "crypt", 3 }, { "v2", 4 },
	};
	static const char *const ops_c2s[] = { "op7", "op4", "op5", "op4", "op4", "op5" };
	uint8_t wkc[WRAP_V2_WKC_MAX], buf[4096], scratch[4096];
	long wl = wrap_v2_wrap_wkc(SRV, KC, (const uint8_t *)"\0fuzz", 5, wkc, sizeof(wkc));
	int opened = 0;

	CHECK(wl > 0, "wkc");
	for (size_t i = 0; i < ARRAY_SIZE(w); i++) {
		struct wrap_params sp = params(WRAP_SERVER), cp = params(WRAP_CLIENT);
		struct wrap_ctx srv, cli;
		uint8_t csid[8] = { 0 }, ssid[8] = { 0 };

		switch (w[i].kind) {
		case 0:
			CHECK(!wrap_init_none(&srv, &sp) && !wrap_init_none(&cli, &cp), "init");
			break;
		case 1:
		case 2:
			CHECK(!wrap_init_tls_auth(&srv, &sp, KEY, WRAP_KEYDIR_NORMAL,
						  w[i].kind == 1 ? "SHA1" : "SHA256") &&
				      !wrap_init_tls_auth(&cli, &cp, KEY, WRAP_KEYDIR_INVERSE,
							  w[i].kind == 1 ? "SHA1" : "SHA256"), "init");
			break;
		case 3:
			CHECK(!wrap_init_tls_crypt(&srv, &sp, KEY) && !wrap_init_tls_crypt(&cli, &cp, KEY),
			      "init");
			break;
		default:
			CHECK(!wrap_init_tls_crypt_v2_server(&srv, &sp, SRV) &&
				      !wrap_init_tls_crypt_v2_client(&cli, &cp, KC, wkc, (size_t)wl), "init");
		}
		for (int dir = 0; dir < 2; dir++) {
			for (int k = 1; k <= 6; k++) {
				char name[64];
				struct ctl_pkt p;
				size_t n;
				int r;

				if (dir == 0)
					snprintf(name, sizeof(name), "%s-c2s-%d-%s", w[i].tag, k,
						 w[i].kind == 4 && k == 1 ? "op10" :
						 w[i].kind == 4 && k == 2 ? "op11" : ops_c2s[k - 1]);
				else
					snprintf(name, sizeof(name), "%s-s2c-%d-%s", w[i].tag, k,
						 k == 1 ? "op8" : "op4");
				n = read_corpus(name, buf, sizeof(buf));
				if (!n && dir == 1 && w[i].kind == 2)
					continue;	/* auth256: only client packets kept */
				CHECK(n > 1, "%s missing", name);
				if (n <= 1)
					continue;
				r = wrap_open(dir ? &cli : &srv, buf + 1, n - 1, 0x70000000, scratch,
					      sizeof(scratch), &p);
				CHECK(r == 0, "%s: %s", name, wire_strerror(r));
				if (r)
					continue;
				opened++;
				memcpy(dir ? ssid : csid, p.sid, 8);
				if (k == 1) {
					/* the resets: msg-id 0; the server's ACKs the client's */
					CHECK(p.msg_id == 0, "%s: msg-id %u", name, p.msg_id);
					if (dir == 1)
						CHECK(p.n_acks == 1 && p.acks[0] == 0 &&
							      !memcmp(p.peer_sid, csid, 8),
						      "%s: server reset ACKs the client's", name);
				}
				if (w[i].kind == 4 && dir == 0 && k == 1)
					CHECK(get_be32_(buf + 1 + 9) == 0x0F000001 &&
						      n - 1 > (size_t)wl &&
						      !memcmp(buf + n - wl, wkc, (size_t)wl),
					      "%s: early-negotiation id and our WKc", name);
				if (w[i].kind == 4 && dir == 1 && k == 1) {
					uint16_t f = 0;

					CHECK(ctlpkt_parse_early_neg(p.payload, p.payload_len, &f) == 0 &&
						      f == CTL_EARLY_NEG_RESEND_WKC,
					      "%s: server asks to resend the WKc", name);
				}
				if (w[i].kind == 4 && dir == 0 && k == 2)
					CHECK(p.msg_id == 1 && p.n_acks >= 1,
					      "%s: WKC_V1 is msg-id 1 (%u)", name, p.msg_id);
				if (p.opcode == CTL_OP_CONTROL_V1 && p.msg_id == 1 && p.payload_len)
					CHECK(p.payload[0] == 0x16, "%s: TLS handshake record", name);
			}
		}
		if (w[i].kind == 4)
			CHECK(srv.have_key && !memcmp(wrap_original_key(&srv), KC, 256),
			      "v2 server took Kc from OpenVPN's first packet");
		wrap_free(&srv);
		wrap_free(&cli);
	}
	CHECK(opened == 54, "opened %d packets", opened);
}

/* The budget reproduces OpenVPN 2.6.14's full control packets on the wire:
 * 1206 bytes under tls-crypt, 1222 under tls-auth SHA1 and without wrapper
 * (default tls-mtu 1250, IPv4), whatever the ACK count. */
static void payload_budget(void)
{
	static const struct { int kind; unsigned int acks; size_t mtu; bool v6; size_t budget, wire; } v[] = {
		{ 0, 0, 1250, false, 1250 - 1 - 8 - 1 - 4 - 28, 1222 },
		{ 0, 1, 1250, false, 1250 - 1 - 8 - 13 - 4 - 28, 1222 },
		{ 0, 4, 1250, false, 1250 - 1 - 8 - 25 - 4 - 28, 1222 },
		{ 0, 8, 1250, false, 1250 - 1 - 8 - 25 - 4 - 28, 0 },	/* capped at 4 */
		{ 1, 1, 1250, false, 1250 - 1 - 8 - 13 - 4 - 28 - 28, 1222 },
		{ 2, 1, 1250, false, 1250 - 1 - 8 - 13 - 4 - 56 - 28, 1206 },
		{ 2, 2, 1250, true, 1250 - 1 - 8 - 17 - 4 - 56 - 48, 1186 },
		{ 2, 0, 4000, false, 2048 - 1 - 8 - 1 - 4 - 56 - 28, 2004 },
		{ 2, 4, 100, false, 0, 0 },
	};
	static uint8_t pay[2048], out[4096];
	static const uint32_t acks[4] = { 1, 2, 3, 4 };

	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		struct wrap_params cp = params(WRAP_CLIENT);
		struct wrap_ctx w;
		size_t b;

		if (v[i].kind == 0)
			CHECK(!wrap_init_none(&w, &cp), "init");
		else if (v[i].kind == 1)
			CHECK(!wrap_init_tls_auth(&w, &cp, KEY, WRAP_KEYDIR_INVERSE, "SHA1"), "init");
		else
			CHECK(!wrap_init_tls_crypt(&w, &cp, KEY), "init");
		b = wrap_payload_budget(&w, CTL_OP_CONTROL_V1, v[i].mtu, v[i].acks, v[i].v6);
		CHECK(b == v[i].budget, "case %zu: budget %zu want %zu", i, b, v[i].budget);
		if (v[i].wire) {
			unsigned int na = v[i].acks < 4 ? v[i].acks : 4;
			struct ctl_pkt p = mkpkt(CTL_OP_CONTROL_V1, 0, SID, na, acks, PSID, 7, pay, b);
			long n = wrap_seal(&w, &p, 1, out, sizeof(out));

			CHECK(n == (long)v[i].wire, "case %zu: packet of %ld bytes", i, n);
		}
		wrap_free(&w);
	}
	/* the first WKC_V1 also pays for the WKc */
	struct wrap_params cp = params(WRAP_CLIENT);
	struct wrap_ctx w;

	CHECK(!wrap_init_tls_crypt_v2_client(&w, &cp, KC, kat_wkc, sizeof(kat_wkc)), "init");
	CHECK(wrap_payload_budget(&w, CTL_OP_CONTROL_WKC_V1, 1250, 1, false) ==
		      1140 - sizeof(kat_wkc) &&
		      wrap_payload_budget(&w, CTL_OP_CONTROL_V1, 1250, 1, false) == 1140, "WKc budget");
	wrap_free(&w);
}

int main(void)
{
	init_keys();
	RUN("wrap", upstream_tls_auth);
	RUN("wrap", upstream_tls_crypt);
	RUN("wrap", python_kats);
	RUN("wrap", v2_wkc_kat);
	RUN("wrap", v2_client_server);
	RUN("wrap", v2_openvpn_genkey);
	RUN("wrap", tls_auth_digests);
	RUN("wrap", replay_window_table);
	RUN("wrap", tamper_no_state_change);
	RUN("wrap", tx_replay_ids);
	RUN("wrap", key_files);
	RUN("wrap", dynamic_tls_crypt);
	RUN("wrap", none_wrapper);
	RUN("wrap", real_openvpn_packets);
	RUN("wrap", payload_budget);
	CHECK_EXIT();
}
