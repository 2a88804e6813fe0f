// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests of kmod/proto.h, the wire format shared with the module:
 * header writers and the parser against known-answer packets made with
 * OpenSSL (datavectors.h), and an independent OpenSSL decryption that
 * trusts nothing but the offsets the parser reports.
 */
#include <openssl/evp.h>
#include "check.h"
#include "kshim.h"
#include "proto.h"
#include "datavectors.h"

static const EVP_CIPHER *vector_cipher(int c)
{
	return c == 1 ? EVP_aes_128_gcm() : c == 2 ? EVP_aes_256_gcm() : EVP_chacha20_poly1305();
}

static void header_writers(void)
{
	for (size_t i = 0; i < N_DATA_VECTORS; i++) {
		const struct data_vector *v = &data_vectors[i];
		u8 head[8];

		if (v->v2) {
			mvpn_data_v2_head(head, v->key_id, v->peer_id, v->pktid);
			CHECK_MEM(head, v->packet, MVPN_V2_AAD_SIZE, v->name);
			CHECK(mvpn_op32(v->key_id, v->peer_id) == get_unaligned_be32(v->packet),
			      "%s: op32", v->name);
		} else {
			mvpn_data_v1_head(head, v->key_id, v->pktid);
			CHECK_MEM(head, v->packet, MVPN_V1_TAG_OFF, v->name);
		}
	}
}

static void parser_fields(void)
{
	for (size_t i = 0; i < N_DATA_VECTORS; i++) {
		const struct data_vector *v = &data_vectors[i];
		struct mvpn_data_hdr h;
		int err = mvpn_data_parse((const u8 *)v->packet, v->packet_len, &h);

		CHECK(err == 0, "%s: parse returned %d", v->name, err);
		CHECK(h.opcode == (v->v2 ? MVPN_OP_DATA_V2 : MVPN_OP_DATA_V1), "%s: opcode %u",
		      v->name, h.opcode);
		CHECK(h.key_id == v->key_id, "%s: key id %u", v->name, h.key_id);
		CHECK(h.peer_id == v->peer_id, "%s: peer id %#x", v->name, h.peer_id);
		CHECK(h.pktid == v->pktid, "%s: packet id %#x", v->name, h.pktid);
		CHECK(h.ct_len == v->plain_len, "%s: ciphertext length %u", v->name, h.ct_len);
		CHECK(h.ct_off + h.ct_len == v->packet_len, "%s: offsets", v->name);
		CHECK(mvpn_is_data_v2((u8)v->packet[0]) == !!v->v2, "%s: is_data_v2", v->name);
	}
}

/* Decrypt each vector with OpenSSL using only the parser's offsets. */
static void offsets_decrypt_with_openssl(void)
{
	for (size_t i = 0; i < N_DATA_VECTORS; i++) {
		const struct data_vector *v = &data_vectors[i];
		const u8 *pkt = (const u8 *)v->packet;
		EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
		u8 nonce[MVPN_NONCE_SIZE], out[64];
		struct mvpn_data_hdr h;
		int n = 0, fin = 0, ok;

		if (!ctx || mvpn_data_parse(pkt, v->packet_len, &h)) {
			CHECK(0, "%s: setup", v->name);
			EVP_CIPHER_CTX_free(ctx);
			continue;
		}
		mvpn_nonce(nonce, h.pktid, dv_tail);
		ok = EVP_DecryptInit_ex(ctx, vector_cipher(v->cipher), NULL,
					v->cipher == 1 ? dv_k16 : dv_k32, nonce) == 1 &&
		     EVP_DecryptUpdate(ctx, NULL, &n, pkt + h.aad_off, (int)h.aad_len) == 1 &&
		     EVP_DecryptUpdate(ctx, out, &n, pkt + h.ct_off, (int)h.ct_len) == 1 &&
		     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, MVPN_TAG_SIZE,
					 (void *)(pkt + h.tag_off)) == 1 &&
		     EVP_DecryptFinal_ex(ctx, out + n, &fin) == 1;
		CHECK(ok, "%s: OpenSSL did not authenticate it", v->name);
		if (ok) {
			CHECK((size_t)(n + fin) == v->plain_len, "%s: length", v->name);
			CHECK_MEM(out, v->plain, v->plain_len, v->name);
			CHECK(mvpn_is_ping(out, (size_t)(n + fin)) == (v->plain_len == 16 &&
			      !memcmp(v->plain, DV_PING, 16)), "%s: ping detection", v->name);
		}
		EVP_CIPHER_CTX_free(ctx);
	}
}

static void parser_rejects(void)
{
	static const struct {
		const char *what;
		const char *pkt;
		size_t len;
		int want;
	} v[] = {
		{ "empty", "", 0, -EINVAL },
		{ "V2 header and tag, no ciphertext", "\x48\x00\x00\x01\x00\x00\x00\x01"
		  "0123456789abcdef", 24, -EINVAL },
		{ "V2 cut inside the tag", "\x48\x00\x00\x01\x00\x00\x00\x01" "0123", 12, -EINVAL },
		{ "V2 opcode byte only", "\x4f", 1, -EINVAL },
		{ "V1 header and tag, no ciphertext", "\x30\x00\x00\x00\x01" "0123456789abcdef", 21,
		  -EINVAL },
		{ "control: P_CONTROL_V1", "\x20\x01\x02\x03\x04\x05\x06\x07\x08", 9, -EPROTONOSUPPORT },
		{ "control: HARD_RESET_CLIENT_V2", "\x38\x01\x02\x03\x04\x05\x06\x07\x08\x00\x00\x00"
		  "\x00\x00", 14, -EPROTONOSUPPORT },
		{ "control: P_ACK_V1", "\x28", 1, -EPROTONOSUPPORT },
		{ "opcode 0", "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00", 25, -EPROTONOSUPPORT },
		{ "opcode 31", "\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
		  "\x00\x00\x00\x00\x00\x00\x00\x00", 25, -EPROTONOSUPPORT },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct mvpn_data_hdr h;
		int got = mvpn_data_parse((const u8 *)v[i].pkt, v[i].len, &h);

		CHECK(got == v[i].want, "%s: got %d want %d", v[i].what, got, v[i].want);
	}
}

static void small_helpers(void)
{
	static const u8 ping[] = MVPN_PING_MAGIC;
	u8 nonce[MVPN_NONCE_SIZE];
	u8 other[16];

	mvpn_nonce(nonce, 0x01020304, dv_tail);
	CHECK_MEM(nonce, "\x01\x02\x03\x04\xa0\xa1\xa2\xa3\xa4\xa5\xa6\xa7", 12, "nonce");
	CHECK(mvpn_is_ping(ping, 16), "ping magic");
	CHECK(!mvpn_is_ping(ping, 15), "15 bytes are not a ping");
	memcpy(other, ping, 16);
	other[15] ^= 1;
	CHECK(!mvpn_is_ping(other, 16), "one bit off is not a ping");
	CHECK(mvpn_opcode(0x4f) == 9 && mvpn_key_id(0x4f) == 7, "0x4f: op 9 key 7");
	CHECK(mvpn_opcode(0x30) == 6 && mvpn_key_id(0x30) == 0, "0x30: op 6 key 0");
	CHECK(mvpn_op32(0, 0xFFFFFF) == 0x48FFFFFFu, "op32 undef peer");
	CHECK(mvpn_op32(9, 0x1FFFFFF) == 0x49FFFFFFu, "op32 masks key id and peer id");
	CHECK(mvpn_peer_id_of((const u8 *)"\x48\x12\x34\x56") == 0x123456, "peer id");
}

int main(void)
{
	RUN("proto", header_writers);
	RUN("proto", parser_fields);
	RUN("proto", offsets_decrypt_with_openssl);
	RUN("proto", parser_rejects);
	RUN("proto", small_helpers);
	CHECK_EXIT();
}
