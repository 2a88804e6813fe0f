/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvpn-dco: the OpenVPN 2.6 data-channel wire format, in one place.
 *
 * Pure definitions and inline helpers: no allocation, no I/O.  The module
 * includes this file directly; userspace compiles it unchanged through
 * userspace/kshim.h, so the daemon's data plane and the unit tests use the
 * very same layout.  No other file holds a raw offset.
 *
 * P_DATA_V2 with an AEAD cipher (AES-GCM, ChaCha20-Poly1305):
 *
 *   0        1        2        3        4        5        6        7
 *  +--------+--------------------------+-----------------------------------+
 *  | op|kid |     peer_id (24, BE)     |        packet_id (32, BE)         |
 *  +--------+--------------------------+-----------------------------------+
 *  |                        tag (16 bytes)                                 |
 *  |                                                                       |
 *  +-----------------------------------------------------------------------+
 *  |  ciphertext (exactly as long as the inner packet, at least 1 byte) ...
 *
 *  op|kid = (9 << 3) | key_id, so 0x48..0x4f.
 *  AAD    = bytes 0..7 (op32 ‖ packet_id).
 *  nonce  = packet_id (4, BE) ‖ nonce tail (8, per key and direction).
 *  Note the OpenVPN quirk: the tag sits *before* the ciphertext.
 *
 * P_DATA_V1 (no peer id) is the same without bytes 1..3, and its AAD is the
 * packet id alone:  op|kid ‖ packet_id ‖ tag ‖ ciphertext.
 *
 * The keepalive ping is a data packet whose plaintext is exactly the
 * 16 bytes of MVPN_PING_MAGIC.
 */
#ifndef _MVPN_PROTO_H_
#define _MVPN_PROTO_H_

#ifndef MVPN_USERSPACE
#include <linux/bitfield.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>
#include "compat.h"
#endif

#define MVPN_OP_DATA_V1		6	/* P_DATA_V1: 1-byte header */
#define MVPN_OP_DATA_V2		9	/* P_DATA_V2: 4-byte header with peer id */

/* The first byte: opcode in the top 5 bits, key id in the low 3. */
#define MVPN_OPCODE_MASK	0xf8
#define MVPN_KEY_ID_MASK	0x07

/* The first four bytes of P_DATA_V2 read as one big-endian word. */
#define MVPN_OP32_OPCODE	GENMASK(31, 27)
#define MVPN_OP32_KEY_ID	GENMASK(26, 24)
#define MVPN_OP32_PEER_ID	GENMASK(23, 0)

#define MVPN_PEER_ID_UNDEF	0xFFFFFFu	/* "no peer id" (OpenVPN MAX_PEER_ID) */

#define MVPN_OPCODE_SIZE	1
#define MVPN_PEER_ID_SIZE	3
#define MVPN_OP32_SIZE		(MVPN_OPCODE_SIZE + MVPN_PEER_ID_SIZE)
#define MVPN_PKTID_SIZE		4
#define MVPN_TAG_SIZE		16
#define MVPN_NONCE_TAIL_SIZE	8
#define MVPN_NONCE_SIZE		(MVPN_PKTID_SIZE + MVPN_NONCE_TAIL_SIZE)

/* Offsets inside a P_DATA_V2 packet. */
#define MVPN_V2_PKTID_OFF	MVPN_OP32_SIZE				/* 4 */
#define MVPN_V2_TAG_OFF		(MVPN_V2_PKTID_OFF + MVPN_PKTID_SIZE)	/* 8 */
#define MVPN_V2_CT_OFF		(MVPN_V2_TAG_OFF + MVPN_TAG_SIZE)	/* 24 */
#define MVPN_V2_AAD_SIZE	MVPN_V2_TAG_OFF				/* 8 */
#define MVPN_V2_OVERHEAD	MVPN_V2_CT_OFF				/* 24 */

/* Offsets inside a P_DATA_V1 packet. */
#define MVPN_V1_PKTID_OFF	MVPN_OPCODE_SIZE			/* 1 */
#define MVPN_V1_TAG_OFF		(MVPN_V1_PKTID_OFF + MVPN_PKTID_SIZE)	/* 5 */
#define MVPN_V1_CT_OFF		(MVPN_V1_TAG_OFF + MVPN_TAG_SIZE)	/* 21 */
#define MVPN_V1_AAD_SIZE	MVPN_PKTID_SIZE				/* 4 */
#define MVPN_V1_OVERHEAD	MVPN_V1_CT_OFF				/* 21 */

/* Outer headers in front of a data packet, worst case (IPv6 + UDP). */
#define MVPN_UDP_HDR_SIZE	8
#define MVPN_IPV4_HDR_SIZE	20
#define MVPN_IPV6_HDR_SIZE	40
#define MVPN_LINK_OVERHEAD_MAX	(MVPN_IPV6_HDR_SIZE + MVPN_UDP_HDR_SIZE + MVPN_V2_OVERHEAD)

/* The keepalive ping payload [OpenVPN src/openvpn/ping.c ping_string]. */
#define MVPN_PING_SIZE		16
#define MVPN_PING_MAGIC { \
	0x2a, 0x18, 0x7b, 0xf3, 0x64, 0x1e, 0xb4, 0xcb, \
	0x07, 0xed, 0x2d, 0x0a, 0x98, 0x1f, 0xc7, 0x48 }

/**
 * struct mvpn_data_hdr - what a data packet's clear header says
 * @opcode: MVPN_OP_DATA_V1 or MVPN_OP_DATA_V2
 * @key_id: 0..7
 * @peer_id: the 24-bit peer id (V2), MVPN_PEER_ID_UNDEF for V1
 * @pktid: the packet id (not yet authenticated!)
 * @aad_off: where the AAD starts (0 for V2, 1 for V1)
 * @aad_len: AAD length (8 for V2, 4 for V1)
 * @tag_off: where the 16-byte tag is
 * @ct_off: where the ciphertext starts
 * @ct_len: ciphertext length, at least 1
 */
struct mvpn_data_hdr {
	u8 opcode;
	u8 key_id;
	u32 peer_id;
	u32 pktid;
	u32 aad_off;
	u32 aad_len;
	u32 tag_off;
	u32 ct_off;
	u32 ct_len;
};

static inline u8 mvpn_opcode(u8 first)
{
	return (first & MVPN_OPCODE_MASK) >> 3;
}

static inline u8 mvpn_key_id(u8 first)
{
	return first & MVPN_KEY_ID_MASK;
}

/* The op32 word of a P_DATA_V2 header. */
static inline u32 mvpn_op32(u8 key_id, u32 peer_id)
{
	return FIELD_PREP(MVPN_OP32_OPCODE, MVPN_OP_DATA_V2) |
	       FIELD_PREP(MVPN_OP32_KEY_ID, key_id & MVPN_KEY_ID_MASK) |
	       FIELD_PREP(MVPN_OP32_PEER_ID, peer_id & MVPN_PEER_ID_UNDEF);
}

/* The peer id of a P_DATA_V2 packet from its first four bytes. */
static inline u32 mvpn_peer_id_of(const u8 *pkt)
{
	return FIELD_GET(MVPN_OP32_PEER_ID, get_unaligned_be32(pkt));
}

/* Is this first byte a P_DATA_V2 packet (what the module takes)? */
static inline bool mvpn_is_data_v2(u8 first)
{
	return mvpn_opcode(first) == MVPN_OP_DATA_V2;
}

/**
 * mvpn_data_parse - read the clear header of a data packet
 * @pkt: the packet; at least min(len, 8) bytes readable
 * @len: the whole packet's length
 * @h: filled on success
 *
 * Return: 0; -EPROTONOSUPPORT when the opcode is not a data opcode (a
 * control packet: not ours to judge); -EINVAL when it is a data packet too
 * short to hold the header, the tag and at least one byte of ciphertext.
 */
static inline int mvpn_data_parse(const u8 *pkt, size_t len,
				  struct mvpn_data_hdr *h)
{
	u8 op;

	memset(h, 0, sizeof(*h));
	if (len < 1)
		return -EINVAL;
	op = mvpn_opcode(pkt[0]);
	h->opcode = op;
	h->key_id = mvpn_key_id(pkt[0]);
	if (op == MVPN_OP_DATA_V2) {
		if (len <= MVPN_V2_OVERHEAD)
			return -EINVAL;
		h->peer_id = mvpn_peer_id_of(pkt);
		h->pktid = get_unaligned_be32(pkt + MVPN_V2_PKTID_OFF);
		h->aad_off = 0;
		h->aad_len = MVPN_V2_AAD_SIZE;
		h->tag_off = MVPN_V2_TAG_OFF;
		h->ct_off = MVPN_V2_CT_OFF;
	} else if (op == MVPN_OP_DATA_V1) {
		if (len <= MVPN_V1_OVERHEAD)
			return -EINVAL;
		h->peer_id = MVPN_PEER_ID_UNDEF;
		h->pktid = get_unaligned_be32(pkt + MVPN_V1_PKTID_OFF);
		h->aad_off = MVPN_V1_PKTID_OFF;
		h->aad_len = MVPN_V1_AAD_SIZE;
		h->tag_off = MVPN_V1_TAG_OFF;
		h->ct_off = MVPN_V1_CT_OFF;
	} else {
		return -EPROTONOSUPPORT;
	}
	h->ct_len = (u32)(len - h->ct_off);
	return 0;
}

/* Write the 8-byte P_DATA_V2 header (the AAD); the tag follows it. */
static inline void mvpn_data_v2_head(u8 *out, u8 key_id, u32 peer_id, u32 pktid)
{
	put_unaligned_be32(mvpn_op32(key_id, peer_id), out);
	put_unaligned_be32(pktid, out + MVPN_V2_PKTID_OFF);
}

/* Write the 5-byte P_DATA_V1 header; its AAD is bytes 1..4. */
static inline void mvpn_data_v1_head(u8 *out, u8 key_id, u32 pktid)
{
	out[0] = (u8)(MVPN_OP_DATA_V1 << 3 | (key_id & MVPN_KEY_ID_MASK));
	put_unaligned_be32(pktid, out + MVPN_V1_PKTID_OFF);
}

/* The 12-byte AEAD nonce: packet id ‖ the key direction's nonce tail. */
static inline void mvpn_nonce(u8 *nonce, u32 pktid, const u8 *tail)
{
	put_unaligned_be32(pktid, nonce);
	memcpy(nonce + MVPN_PKTID_SIZE, tail, MVPN_NONCE_TAIL_SIZE);
}

/* Is this decrypted payload the keepalive ping?  (Exact length, as OpenVPN.) */
static inline bool mvpn_is_ping(const u8 *pt, size_t len)
{
	static const u8 magic[MVPN_PING_SIZE] = MVPN_PING_MAGIC;

	return len == MVPN_PING_SIZE && !memcmp(pt, magic, MVPN_PING_SIZE);
}

static inline void mvpn_proto_build_checks(void)
{
	BUILD_BUG_ON(MVPN_V2_OVERHEAD != 24);
	BUILD_BUG_ON(MVPN_V1_OVERHEAD != 21);
	BUILD_BUG_ON(MVPN_V2_AAD_SIZE != 8);
	BUILD_BUG_ON(MVPN_NONCE_SIZE != 12);
	BUILD_BUG_ON(MVPN_LINK_OVERHEAD_MAX != 72);
}

#endif /* _MVPN_PROTO_H_ */
