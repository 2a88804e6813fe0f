/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reliable.h: the control channel's reliability layer (openvpn-protocol.md
 * §4), one instance per key_id (each key state has its own msg-id space).
 * Pure: time comes in as monotonic milliseconds, no I/O, no allocation
 * (payloads are copied into fixed buffers inside struct rel).
 *
 * Sending:   rel_queue() a reliable payload (TLS bytes, a reset, ...) while
 *            rel_send_room() > 0 (send window 6: next_id - oldest_unacked < 6).
 *            rel_next_packet() hands out what is due: a new packet, a
 *            retransmission (timeout, doubling per resend; or "fast": once 3
 *            higher ids were ACKed) with up to 4 piggybacked ACKs, or, when
 *            nothing reliable is due but ACKs are pending, a P_ACK_V1 with up
 *            to 8 (ack_max) ACKs.  Call it in a loop until it returns 0.
 * ACKs in:   rel_process_acks() with the ACK block of every authenticated
 *            packet whose peer sid is our own session id (OpenVPN drops the
 *            block otherwise); not cumulative: each id names one packet.
 * Receiving: rel_receive() for each reliable packet; accepted when
 *            expected <= id < expected + 12 and not already held; any id
 *            below expected + 12 (also duplicates) is (re-)ACKed; ids beyond
 *            are dropped and not ACKed.  rel_peek()/rel_pop() deliver the
 *            payloads strictly in msg-id order.
 * ACK out:   newly due ACKs go to the front of an MRU list; each outgoing
 *            packet carries them first and then re-ACKs recent ids from the
 *            MRU (receivers tolerate repeats).
 *
 * msg-id arithmetic is modulo 2^32.  The caller fills key_id, sid and
 * peer_sid of the struct ctl_pkt that rel_next_packet() produces.
 */
#ifndef MVPN_RELIABLE_H
#define MVPN_RELIABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctlpkt.h"

#define REL_SEND_WINDOW		6	/* TLS_RELIABLE_N_SEND_BUFFERS */
#define REL_RECV_WINDOW		12	/* TLS_RELIABLE_N_REC_BUFFERS */
#define REL_FAST_RETRANSMIT	3	/* N_ACK_RETRANSMIT */
#define REL_PAYLOAD_MAX		CTL_PACKET_MAX	/* largest payload held */
#define REL_TIMEOUT_DEFAULT_MS	2000	/* --tls-timeout 2 */

enum rel_err {
	REL_OK = 0,
	REL_E_FULL = -1,	/* send window full (rel_send_room() == 0) */
	REL_E_TOOBIG = -2,	/* payload above REL_PAYLOAD_MAX */
	REL_E_INVAL = -3,	/* opcode not reliable, bad config */
};

/* rel_receive() results (>= 0) */
enum rel_rx {
	REL_RX_NEW = 0,		/* stored for in-order delivery, ACK scheduled */
	REL_RX_DUP = 1,		/* already received: ACK scheduled again, not stored */
	REL_RX_WINDOW = 2,	/* id >= expected + 12: dropped, not ACKed */
};

struct rel_cfg {
	uint32_t initial_timeout_ms;	/* first retransmit after this (tls-timeout) */
	uint32_t max_timeout_ms;	/* cap of the doubling backoff, 0 = none */
	uint8_t piggy_max;		/* ACKs on reliable packets, <= CTL_ACK_PIGGY_MAX */
	uint8_t ack_max;		/* ACKs in a P_ACK_V1, <= CTL_ACK_MAX (4 for the
					 * SoftEther quirk, §4) */
};

/* 2 s initial timeout, no cap, 4 piggybacked, 8 per P_ACK_V1. */
void rel_cfg_default(struct rel_cfg *c);

struct rel_send_entry {
	bool active;
	bool sent;		/* sent at least once */
	uint8_t opcode;
	uint8_t n_acks;		/* ACKs seen for higher ids since last send */
	uint32_t msg_id;
	uint64_t next_try;	/* ms: retransmission due (when sent) */
	uint32_t timeout;	/* ms until the next retransmission after a send */
	size_t len;
	uint8_t buf[REL_PAYLOAD_MAX];
};

struct rel_recv_entry {
	bool active;
	uint8_t opcode;
	uint32_t msg_id;
	size_t len;
	uint8_t buf[REL_PAYLOAD_MAX];
};

/* A received message ready for delivery (points into struct rel). */
struct rel_msg {
	uint8_t opcode;
	uint32_t msg_id;
	const uint8_t *payload;
	size_t len;
};

struct rel {
	struct rel_cfg cfg;
	uint32_t next_send_id;		/* msg-id of the next queued packet */
	uint32_t next_recv_id;		/* next msg-id to deliver */
	struct rel_send_entry snd[REL_SEND_WINDOW];
	struct rel_recv_entry rcv[REL_RECV_WINDOW];
	uint8_t n_pending;		/* ACKs not yet sent once */
	uint32_t pending[CTL_ACK_MAX];
	uint8_t n_mru;			/* recently sent ACKs, newest first */
	uint32_t mru[CTL_ACK_MAX];
	/* counters for logs and tests */
	uint64_t n_sent, n_resent, n_fast_resent, n_acks_sent, n_dups;
};

/* Start a key state: msg-ids 0 both ways. cfg NULL = defaults.
 * Returns REL_OK or REL_E_INVAL (piggy_max > 4, ack_max > 8 or 0, timeout 0). */
int rel_init(struct rel *r, const struct rel_cfg *cfg);

/* How many more packets may be queued now (0..6). */
unsigned int rel_send_room(const struct rel *r);

/*
 * Queue a reliable payload (copied) under the next msg-id; it is sent by the
 * next rel_next_packet() call.  opcode must be reliable (not P_ACK_V1).
 * Returns REL_OK and *msg_id (may be NULL), or REL_E_FULL / REL_E_TOOBIG /
 * REL_E_INVAL.
 */
int rel_queue(struct rel *r, uint8_t opcode, const uint8_t *payload, size_t len,
	      uint32_t *msg_id);

/* Process the ACK block of a received, authenticated packet. */
void rel_process_acks(struct rel *r, const uint32_t *acks, unsigned int n);

/* True when every queued packet has been ACKed. */
bool rel_send_idle(const struct rel *r);

/* Receive a reliable packet (any opcode with a msg-id). See enum rel_rx.
 * Returns a rel_rx value, or REL_E_TOOBIG (not stored, not ACKed). */
int rel_receive(struct rel *r, uint8_t opcode, uint32_t msg_id, const uint8_t *payload,
		size_t len);

/* Next in-order received message into *m: true, or false when the next
 * msg-id has not arrived.  m->payload is valid until rel_pop(). */
bool rel_peek(const struct rel *r, struct rel_msg *m);
/* Drop the message rel_peek() returned and advance to the next msg-id. */
void rel_pop(struct rel *r);

/* True when ACKs are waiting to be sent. */
bool rel_acks_pending(const struct rel *r);

/* ACKs waiting plus recently sent (re-ACK candidates): the count OpenVPN
 * budgets for when sizing a packet (see wrap_payload_budget()). */
unsigned int rel_acks_outstanding(const struct rel *r);

/*
 * Fill *out (opcode, msg_id, payload, n_acks, acks) with the next packet to
 * send at `now`; returns 1, or 0 when nothing is due.  out->payload points
 * into r and stays valid until the entry is ACKed; seal it right away.
 */
int rel_next_packet(struct rel *r, uint64_t now, struct ctl_pkt *out);

/* When rel_next_packet() next has something to do: now when ACKs are pending
 * or something is due, UINT64_MAX when nothing is outstanding. */
uint64_t rel_next_wakeup(const struct rel *r, uint64_t now);

/* Make every unacknowledged packet due now with the initial timeout. */
void rel_schedule_now(struct rel *r);

#endif
