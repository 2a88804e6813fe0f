/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ctlpkt.h: the OpenVPN control packet model and the codec of its *control
 * record* (openvpn-protocol.md §2, §3.1, §3.7 e/f).  Pure: no I/O, no
 * allocation, no clock.
 *
 * A control packet on the wire is
 *
 *   [op<<3 | key_id] [own sid:8] [wrapper header, see wrap.h] [control record]
 *
 * and the control record (cleartext under tls-auth/none, encrypted under
 * tls-crypt) is
 *
 *   +---------+-----------------+----------------+---------+-----------+
 *   | ack_cnt | ack_cnt x msg-id| peer sid (8)   | msg-id  | payload   |
 *   | 1       | 4 each, BE      | iff ack_cnt>0  | 4, BE   | (TLS)     |
 *   +---------+-----------------+----------------+---------+-----------+
 *                                                 absent in P_ACK_V1
 *
 * This file encodes/decodes the record only; wrap.h turns records into whole
 * packets (and offers wrap_seal()/wrap_open() that do both in one call).
 *
 * All functions return 0 / a length on success and a negative enum wire_err
 * on failure; wire_strerror() names each error for logs.  The error enum is
 * shared with wrap.h so the engine handles one set of codes.
 */
#ifndef MVPN_CTLPKT_H
#define MVPN_CTLPKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* First byte: opcode in bits 7..3, key_id in bits 2..0 (§2). */
#define CTL_OP_SHIFT	3
#define CTL_KEY_ID_MASK	0x07

enum ctl_opcode {
	CTL_OP_HARD_RESET_CLIENT_V1 = 1,	/* key-method 1: rejected */
	CTL_OP_HARD_RESET_SERVER_V1 = 2,	/* key-method 1: rejected */
	CTL_OP_SOFT_RESET_V1 = 3,
	CTL_OP_CONTROL_V1 = 4,
	CTL_OP_ACK_V1 = 5,
	CTL_OP_DATA_V1 = 6,			/* data channel, not a control packet */
	CTL_OP_HARD_RESET_CLIENT_V2 = 7,
	CTL_OP_HARD_RESET_SERVER_V2 = 8,
	CTL_OP_DATA_V2 = 9,			/* data channel, not a control packet */
	CTL_OP_HARD_RESET_CLIENT_V3 = 10,	/* tls-crypt-v2: WKc appended */
	CTL_OP_CONTROL_WKC_V1 = 11,		/* CONTROL_V1 with WKc appended */
};
#define CTL_OP_MAX	11

#define CTL_SID_LEN		8
#define CTL_MSGID_LEN		4
#define CTL_ACK_MAX		8	/* RELIABLE_ACK_SIZE: ids in one ACK block */
#define CTL_ACK_PIGGY_MAX	4	/* CONTROL_SEND_ACK_MAX: on non-ACK packets */
/* ACK block size for n ids: count byte, n ids, peer sid when n > 0. */
#define CTL_ACK_SIZE(n)		(1u + ((n) ? CTL_SID_LEN : 0u) + 4u * (n))

/* Largest control packet we build or accept (tls-mtu upper bound, §4). */
#define CTL_PACKET_MAX		2048
/* Largest control record (decrypted) we accept. */
#define CTL_RECORD_MAX		CTL_PACKET_MAX

/* Early-negotiation TLVs inside a hard-reset payload (§3.7 e). */
#define CTL_TLV_EARLY_NEG_FLAGS		0x0001
#define CTL_EARLY_NEG_RESEND_WKC	0x0001
#define CTL_EARLY_NEG_START		0x0F000000u	/* client replay-id seed */

/*
 * Error codes shared by ctlpkt.c and wrap.c.  Each names one reason a packet
 * was refused; a refused packet never changes any state.
 */
enum wire_err {
	WIRE_OK = 0,
	WIRE_E_SHORT = -1,	/* packet/record shorter than its header says */
	WIRE_E_OPCODE = -2,	/* opcode not a control opcode (or unsupported V1 reset) */
	WIRE_E_ACKCNT = -3,	/* ack count above CTL_ACK_MAX */
	WIRE_E_TRAILING = -4,	/* bytes after a record that may not have any (P_ACK_V1) */
	WIRE_E_SPACE = -5,	/* output buffer too small */
	WIRE_E_TOOBIG = -6,	/* packet or field above the protocol size limit */
	WIRE_E_TLV = -7,	/* malformed early-negotiation TLV block */
	WIRE_E_HMAC = -8,	/* tls-auth / tls-crypt authentication failed */
	WIRE_E_REPLAY = -9,	/* wrapper replay-id replayed or outside window */
	WIRE_E_WKC = -10,	/* tls-crypt-v2 wrapped client key invalid */
	WIRE_E_NOKEY = -11,	/* server has no client key yet (v2 packet without WKc) */
	WIRE_E_CRYPTO = -12,	/* OpenSSL failure (not the peer's fault) */
	WIRE_E_PID_WRAP = -13,	/* our TX replay-id would wrap with unchanged time */
	WIRE_E_KEY = -14,	/* key material malformed (file parse / length) */
	WIRE_E_INVAL = -15,	/* invalid argument from the caller */
	WIRE_E_UNWRAPPED = -16,	/* tls-crypt-v2 server got a packet without wrapping */
};

/* Static string for an error code, e.g. "bad HMAC". Never NULL. */
const char *wire_strerror(int err);

/* Name of an opcode, e.g. "P_CONTROL_HARD_RESET_CLIENT_V2"; "P_UNKNOWN" else. */
const char *ctl_opcode_name(unsigned int opcode);

/* True for the control opcodes 3..11 except the data opcodes 6 and 9. */
bool ctl_opcode_is_control(unsigned int opcode);
/* True for the opcodes whose record carries a msg-id (all control but ACK). */
bool ctl_opcode_is_reliable(unsigned int opcode);
/* True for hard resets V2/V3 (client and server) and the soft reset. */
bool ctl_opcode_is_reset(unsigned int opcode);

/*
 * One control packet, decoded.  Pointers (payload) refer into the buffer the
 * packet was decoded from (or, for encoding, into the caller's data) and
 * live as long as that buffer.
 */
struct ctl_pkt {
	uint8_t opcode;				/* enum ctl_opcode */
	uint8_t key_id;				/* 0..7 */
	uint8_t sid[CTL_SID_LEN];		/* sender's own session id */
	uint8_t n_acks;				/* 0..CTL_ACK_MAX */
	uint32_t acks[CTL_ACK_MAX];		/* acknowledged msg-ids, wire order */
	uint8_t peer_sid[CTL_SID_LEN];		/* recipient's sid; valid iff n_acks > 0 */
	uint32_t msg_id;			/* iff ctl_opcode_is_reliable(opcode) */
	const uint8_t *payload;			/* TLS bytes / TLV block; NULL if len 0 */
	size_t payload_len;
};

/* First byte helpers. */
static inline uint8_t ctl_first_byte(unsigned int opcode, unsigned int key_id)
{
	return (uint8_t)((opcode << CTL_OP_SHIFT) | (key_id & CTL_KEY_ID_MASK));
}

/*
 * Peek at a wire packet's first byte and (for control opcodes) the sender's
 * sid without touching the wrapper.  sid may be NULL.  Returns 0,
 * WIRE_E_SHORT (less than 1 byte, or less than 9 for a control opcode) or
 * WIRE_E_OPCODE (opcode 0 or > CTL_OP_MAX).  Data opcodes return 0 and leave
 * sid alone.
 */
int ctlpkt_peek(const uint8_t *pkt, size_t len, uint8_t *opcode, uint8_t *key_id,
		uint8_t sid[CTL_SID_LEN]);

/* Length of the encoded control record of p (ack block + msg-id + payload). */
size_t ctlpkt_record_len(const struct ctl_pkt *p);

/*
 * Encode the control record of p (p->opcode decides whether a msg-id is
 * written; P_ACK_V1 must have payload_len 0 and n_acks >= 1).  Returns the
 * record length, WIRE_E_SPACE, WIRE_E_ACKCNT, WIRE_E_OPCODE or WIRE_E_INVAL.
 */
long ctlpkt_encode_record(const struct ctl_pkt *p, uint8_t *out, size_t cap);

/*
 * Decode a control record for opcode (already known from the first byte).
 * Fills n_acks, acks, peer_sid, msg_id, payload/payload_len of *p (payload
 * points into rec); leaves opcode/key_id/sid to the caller.  Rules:
 * ack count <= CTL_ACK_MAX; P_ACK_V1 has at least one ack and nothing after
 * the ack block; every other control opcode needs a msg-id.  Returns 0 or
 * WIRE_E_SHORT / WIRE_E_ACKCNT / WIRE_E_TRAILING / WIRE_E_OPCODE.
 *
 * Hard resets V1 decode as WIRE_E_OPCODE (key-method 1 is not supported).
 */
int ctlpkt_decode_record(unsigned int opcode, const uint8_t *rec, size_t len,
			 struct ctl_pkt *p);

/*
 * Unwrapped packet (wrapper "none"): [first byte][sid][record].  Convenience
 * used by wrap.c for WRAP_NONE and by tests.  Same returns.
 */
long ctlpkt_encode_plain(const struct ctl_pkt *p, uint8_t *out, size_t cap);
int ctlpkt_decode_plain(const uint8_t *pkt, size_t len, struct ctl_pkt *p);

/*
 * Early-negotiation TLV block (§3.7 e) found in a hard-reset payload:
 * repeated type(2) | length(2) | value; type 1 (EARLY_NEG_FLAGS) must have
 * length 2; unknown types are skipped.  An empty payload is valid (flags 0).
 * Returns 0 and *flags, or WIRE_E_TLV when a TLV overruns the payload or
 * EARLY_NEG_FLAGS has a length other than 2.
 */
int ctlpkt_parse_early_neg(const uint8_t *payload, size_t len, uint16_t *flags);

/* Write an EARLY_NEG_FLAGS TLV (6 bytes). Returns 6 or WIRE_E_SPACE. */
long ctlpkt_build_early_neg(uint16_t flags, uint8_t *out, size_t cap);

#endif
