// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target: the data-packet receive path -- kmod/proto.h's parser,
 * kmod/pktid.c's replay window, userspace/dataplane.c's decrypt -- as the
 * module would see hostile datagrams.
 *
 * The input is a script of chunks:  op(1) len(1) bytes(len).
 *   op & 3 == 0  deliver the bytes as a received datagram (raw, hostile)
 *   op & 3 == 1  encrypt the bytes at the sender, deliver: must be accepted
 *   op & 3 == 2  encrypt, flip one bit (chosen by the first byte), deliver:
 *                must be refused
 *   op & 3 == 3  deliver the last sender packet again: must be refused
 *   op >> 4      seconds the clock advances before the chunk
 *   op & 4       the receiver swaps its key slots first (key 0 <-> key 1)
 * Also: the parser's offsets must stay inside the input, and a replay
 * window fed the same ids must never accept one twice.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kshim.h"
#include "proto.h"
#include "pktid.h"
#include "dataplane.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void keys(struct mvpn_dp_key *tx, struct mvpn_dp_key *rx, uint8_t id)
{
	memset(tx, 0, sizeof(*tx));
	tx->key_id = id;
	tx->cipher = id ? MVPN_DP_CHACHA20_POLY1305 : MVPN_DP_AES_256_GCM;
	memset(tx->encrypt.key, 0x5a + id, sizeof(tx->encrypt.key));
	memset(tx->decrypt.key, 0xa5 - id, sizeof(tx->decrypt.key));
	memcpy(tx->encrypt.nonce_tail, "fuzz-tx0", 8);
	memcpy(tx->decrypt.nonce_tail, "fuzz-rx0", 8);
	*rx = *tx;
	rx->encrypt = tx->decrypt;
	rx->decrypt = tx->encrypt;
}

static void check_parser(const uint8_t *p, size_t len)
{
	struct mvpn_data_hdr h;

	if (mvpn_data_parse(p, len, &h) == 0 &&
	    (h.ct_len < 1 || h.ct_off + h.ct_len != len || h.tag_off + MVPN_TAG_SIZE != h.ct_off ||
	     h.aad_off + h.aad_len > h.tag_off || h.key_id > 7))
		__builtin_trap();
}

/* Feed ids from the input to a small window; none may be accepted twice. */
static void check_window(const uint8_t *data, size_t size)
{
	static uint8_t seen[1 << 16];
	struct mvpn_pktid_recv *pr;
	u32 window = size ? 1u + data[0] * 8u : 64;

	pr = malloc(mvpn_pktid_recv_size(window));
	if (!pr)
		return;
	memset(seen, 0, sizeof(seen));
	mvpn_pktid_recv_init(pr, window, 0, 0);
	for (size_t i = 1; i + 2 <= size; i += 2) {
		u32 id = (u32)data[i] << 8 | data[i + 1];

		if (mvpn_pktid_recv(pr, id, 0) == 0) {
			if (seen[id] || !id)
				__builtin_trap();
			seen[id] = 1;
		}
	}
	free(pr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mvpn_dp_config ctx = { .data_v2 = true, .tx_peer_id = 1 };
	struct mvpn_dp_config crx = { .data_v2 = true, .tx_peer_id = 2, .replay_window = 64,
				      .accept_any_payload = true };
	static uint8_t pkt[300], last[300], out[300];
	struct mvpn_dp *tx = NULL, *rx = NULL;
	struct mvpn_dp_key ktx, krx;
	size_t lastlen = 0, outlen;
	uint64_t now = 100;
	int r;

	check_parser(data, size);
	check_window(data, size);
	if (mvpn_dp_new(&tx, &ctx) || mvpn_dp_new(&rx, &crx))
		goto out;
	keys(&ktx, &krx, 0);
	if (mvpn_dp_key_set(tx, MVPN_DP_PRIMARY, &ktx, now) ||
	    mvpn_dp_key_set(rx, MVPN_DP_PRIMARY, &krx, now))
		goto out;
	keys(&ktx, &krx, 1);
	if (mvpn_dp_key_set(rx, MVPN_DP_SECONDARY, &krx, now))
		goto out;

	for (size_t i = 0; i + 2 <= size;) {
		uint8_t op = data[i], len = data[i + 1];
		const uint8_t *b = data + i + 2;
		long n;

		if (i + 2 + len > size)
			break;
		i += 2 + (size_t)len;
		now += op >> 4;
		if (op & 4)
			mvpn_dp_key_swap(rx);
		switch (op & 3) {
		case 0:
			check_parser(b, len);
			r = mvpn_dp_decrypt(rx, b, len, now, out, sizeof(out), &outlen, NULL);
			if (r == MVPN_DP_RX_DATA && outlen > len)
				__builtin_trap();
			break;
		case 1:
		case 2:
			if (!len)
				break;
			n = mvpn_dp_encrypt(tx, b, len, pkt, sizeof(pkt), NULL);
			if (n <= 0)
				__builtin_trap();
			if ((op & 3) == 1) {
				memcpy(last, pkt, (size_t)n);
				lastlen = (size_t)n;
			}
			if ((op & 3) == 2)
				pkt[b[0] % n] ^= (uint8_t)(1u << (b[0] >> 5));
			r = mvpn_dp_decrypt(rx, pkt, (size_t)n, now, out, sizeof(out), &outlen, NULL);
			if ((op & 3) == 1) {
				/* fresh, authentic, time floor off for newer ids: accepted */
				if ((r != MVPN_DP_RX_DATA && r != MVPN_DP_RX_PING) ||
				    (r == MVPN_DP_RX_DATA && (outlen != len || memcmp(out, b, len))))
					__builtin_trap();
			} else if (r >= 0) {
				__builtin_trap();
			}
			break;
		case 3:
			if (!lastlen)
				break;
			r = mvpn_dp_decrypt(rx, last, lastlen, now, out, sizeof(out), &outlen, NULL);
			if (r >= 0)
				__builtin_trap();
			break;
		}
	}
out:
	mvpn_dp_free(tx);
	mvpn_dp_free(rx);
	return 0;
}
