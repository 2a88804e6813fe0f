// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: the reliability layer (reliable.c).  Table-driven checks of
 * the windows, ACK lists, timers and fast retransmit, then two endpoints
 * talking over a deterministic simulated link (seeded PRNG, event-driven
 * clock) with loss, duplication and reordering: every message must arrive
 * exactly once and in order, in both directions.
 */
#include <stdint.h>

#include "check.h"
#include "ctlpkt.h"
#include "reliable.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const uint8_t P[4] = { 1, 2, 3, 4 };

static struct rel R;	/* large (~36 KiB): keep off the stack */
static struct rel R2;

static void init_default(struct rel *r)
{
	CHECK(rel_init(r, NULL) == REL_OK, "init");
}

static void config_checks(void)
{
	static const struct { struct rel_cfg c; int ret; } v[] = {
		{ { 2000, 0, 4, 8 }, REL_OK },
		{ { 0, 0, 4, 8 }, REL_E_INVAL },
		{ { 2000, 0, 5, 8 }, REL_E_INVAL },
		{ { 2000, 0, 4, 9 }, REL_E_INVAL },
		{ { 2000, 0, 4, 0 }, REL_E_INVAL },
		{ { 2000, 1000, 4, 8 }, REL_E_INVAL },	/* cap below the initial timeout */
		{ { 2000, 60000, 0, 4 }, REL_OK },	/* no piggybacking, SoftEther cap */
	};
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		CHECK(rel_init(&R, &v[i].c) == v[i].ret, "case %zu", i);
	init_default(&R);
	CHECK(R.cfg.initial_timeout_ms == 2000 && R.cfg.piggy_max == 4 && R.cfg.ack_max == 8,
	      "defaults");
	CHECK(rel_queue(&R, CTL_OP_ACK_V1, P, 4, NULL) == REL_E_INVAL, "ACK is not reliable");
	CHECK(rel_queue(&R, CTL_OP_DATA_V2, P, 4, NULL) == REL_E_INVAL, "data opcode");
	CHECK(rel_queue(&R, CTL_OP_CONTROL_V1, NULL, 4, NULL) == REL_E_INVAL, "NULL payload");
	static uint8_t big[REL_PAYLOAD_MAX + 1];

	CHECK(rel_queue(&R, CTL_OP_CONTROL_V1, big, sizeof(big), NULL) == REL_E_TOOBIG, "too big");
	CHECK(rel_receive(&R, CTL_OP_CONTROL_V1, 0, big, sizeof(big)) == REL_E_TOOBIG &&
		      !rel_acks_pending(&R), "too big received: not ACKed");
}

/* send window 6: next - oldest_unacked < 6; ACKs of later ids do not open it */
static void send_window(void)
{
	uint32_t id;

	init_default(&R);
	for (uint32_t i = 0; i < 6; i++) {
		CHECK(rel_send_room(&R) == 6 - i, "room %u", rel_send_room(&R));
		CHECK(rel_queue(&R, CTL_OP_CONTROL_V1, P, 4, &id) == REL_OK && id == i, "queue %u", i);
	}
	CHECK(rel_send_room(&R) == 0 && rel_queue(&R, CTL_OP_CONTROL_V1, P, 4, NULL) == REL_E_FULL,
	      "7th refused");
	static const uint32_t a35[] = { 3, 5 }, a0[] = { 0 }, a12[] = { 1, 2, 4 };

	rel_process_acks(&R, a35, 2);
	CHECK(rel_send_room(&R) == 0, "id 0 still holds the window");
	rel_process_acks(&R, a0, 1);
	CHECK(rel_send_room(&R) == 1, "oldest is 1 now: room %u", rel_send_room(&R));
	CHECK(rel_queue(&R, CTL_OP_CONTROL_V1, P, 4, &id) == REL_OK && id == 6, "id 6");
	CHECK(!rel_send_idle(&R), "not idle");
	static const uint32_t a6[] = { 6 };

	rel_process_acks(&R, a12, 3);
	rel_process_acks(&R, a6, 1);
	CHECK(rel_send_idle(&R) && rel_send_room(&R) == 6, "all acked");
	rel_process_acks(&R, a6, 1);	/* repeated ACK: harmless */
	CHECK(rel_send_idle(&R), "repeat ack");
}

/* receive window 12, duplicates re-ACKed, beyond the window dropped */
static void receive_window(void)
{
	static const struct { uint32_t id; int ret; bool acked; } v[] = {
		{ 3, REL_RX_NEW, true },
		{ 3, REL_RX_DUP, true },
		{ 11, REL_RX_NEW, true },
		{ 12, REL_RX_WINDOW, false },
		{ 0xffffffffu, REL_RX_DUP, true },	/* "before" 0: old, re-ACKed */
		{ 0x80000000u, REL_RX_DUP, true },
		{ 0x7fffffffu, REL_RX_WINDOW, false },
		{ 0, REL_RX_NEW, true },
	};
	struct rel_msg m;
	struct ctl_pkt out;

	init_default(&R);
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		int r = rel_receive(&R, CTL_OP_CONTROL_V1, v[i].id, P, 4);
		bool acked;

		CHECK(r == v[i].ret, "id %u: %d", v[i].id, r);
		CHECK(rel_next_packet(&R, 0, &out) == (v[i].acked ? 1 : 0), "id %u: packet", v[i].id);
		acked = v[i].acked && out.opcode == CTL_OP_ACK_V1 && out.n_acks >= 1 &&
			out.acks[0] == v[i].id;
		CHECK(acked == v[i].acked, "id %u: ACK %s", v[i].id, acked ? "sent" : "missing");
	}
	CHECK(rel_peek(&R, &m) && m.msg_id == 0, "0 deliverable");
	rel_pop(&R);
	CHECK(!rel_peek(&R, &m), "1 missing: nothing to deliver");
	CHECK(rel_receive(&R, CTL_OP_CONTROL_V1, 12, P, 4) == REL_RX_NEW, "12 fits after a pop");
	CHECK(rel_receive(&R, CTL_OP_CONTROL_V1, 13, P, 4) == REL_RX_WINDOW, "13 does not");
	CHECK(rel_receive(&R, CTL_OP_CONTROL_V1, 0, P, 4) == REL_RX_DUP, "0 now old");
	rel_pop(&R);	/* nothing to pop: no change */
	CHECK(R.next_recv_id == 1, "pop without message");
}

static void in_order_delivery(void)
{
	static const uint32_t order[] = { 4, 1, 0, 3, 2, 6, 5, 5, 0 };
	static const uint8_t op[] = { CTL_OP_HARD_RESET_SERVER_V2, CTL_OP_CONTROL_V1 };
	uint32_t next = 0;
	struct rel_msg m;

	init_default(&R);
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		uint8_t pl[2] = { (uint8_t)order[i], 0xee };

		rel_receive(&R, op[order[i] ? 1 : 0], order[i], pl, 2);
		while (rel_peek(&R, &m)) {
			CHECK(m.msg_id == next && m.len == 2 && m.payload[0] == next &&
				      m.opcode == op[next ? 1 : 0], "delivered %u, want %u", m.msg_id, next);
			next++;
			rel_pop(&R);
		}
	}
	CHECK(next == 7, "delivered %u", next);
}

/* pending ACKs go first (4 on a reliable packet), MRU re-ACKs fill up */
static void ack_lists(void)
{
	struct ctl_pkt out;
	uint32_t id;

	init_default(&R);
	for (uint32_t i = 0; i < 6; i++)
		rel_receive(&R, CTL_OP_CONTROL_V1, i, P, 4);
	CHECK(rel_queue(&R, CTL_OP_CONTROL_V1, P, 4, &id) == REL_OK, "queue");
	CHECK(rel_next_packet(&R, 100, &out) == 1 && out.opcode == CTL_OP_CONTROL_V1 &&
		      out.msg_id == 0 && out.n_acks == 4 && out.acks[0] == 0 && out.acks[1] == 1 &&
		      out.acks[2] == 2 && out.acks[3] == 3, "piggyback 0..3 (got %u)", out.n_acks);
	/* remaining 4,5 then re-ACKs 0..3 (MRU order), up to 8 */
	CHECK(rel_next_packet(&R, 100, &out) == 1 && out.opcode == CTL_OP_ACK_V1 &&
		      out.n_acks == 6 && out.acks[0] == 4 && out.acks[1] == 5 && out.acks[2] == 0 &&
		      out.acks[5] == 3, "ACK packet: 4 5 0 1 2 3 (n %u)", out.n_acks);
	CHECK(rel_next_packet(&R, 100, &out) == 0, "nothing more (MRU alone sends no ACK)");
	CHECK(rel_acks_outstanding(&R) == 6, "outstanding = pending + MRU");
	/* a duplicate of 2 moves it to the front */
	rel_receive(&R, CTL_OP_CONTROL_V1, 2, P, 4);
	CHECK(rel_next_packet(&R, 100, &out) == 1 && out.n_acks == 6 && out.acks[0] == 2 &&
		      out.acks[1] == 4 && out.acks[2] == 5 && out.acks[3] == 0 && out.acks[4] == 1 &&
		      out.acks[5] == 3, "MRU after re-ACK of 2");
	/* MRU holds at most 8: the oldest falls off */
	for (uint32_t i = 6; i < 10; i++)
		rel_receive(&R, CTL_OP_CONTROL_V1, i, P, 4);
	CHECK(rel_next_packet(&R, 100, &out) == 1 && out.n_acks == 8 && out.acks[0] == 6 &&
		      out.acks[3] == 9 && out.acks[4] == 2 && out.acks[7] == 0, "MRU capped at 8");
	/* the retransmission of msg 0 carries 4 MRU entries */
	CHECK(rel_next_packet(&R, 2100, &out) == 1 && out.opcode == CTL_OP_CONTROL_V1 &&
		      out.n_acks == 4 && out.acks[0] == 6, "resend piggybacks re-ACKs");

	/* SoftEther quirk: at most 4 per P_ACK_V1 */
	struct rel_cfg c;

	rel_cfg_default(&c);
	c.ack_max = 4;
	CHECK(rel_init(&R, &c) == REL_OK, "init");
	for (uint32_t i = 0; i < 7; i++)
		rel_receive(&R, CTL_OP_CONTROL_V1, i, P, 4);
	CHECK(rel_next_packet(&R, 0, &out) == 1 && out.n_acks == 4 && out.acks[3] == 3, "4 max");
	CHECK(rel_next_packet(&R, 0, &out) == 1 && out.n_acks == 4 && out.acks[0] == 4 &&
		      out.acks[2] == 6 && out.acks[3] == 0, "rest + 1 re-ACK");
	/* more than 8 pending at once: the 9th is dropped (peer retransmits) */
	init_default(&R);
	for (uint32_t i = 0; i < 12; i++)
		rel_receive(&R, CTL_OP_CONTROL_V1, i, P, 4);
	CHECK(R.n_pending == 8, "pending capped at 8");
}

/* timeout 2 s, doubling, optional cap; fast retransmit after 3 later ACKs */
static void retransmit_timers(void)
{
	static const struct { uint64_t now; int sends; } v[] = {
		{ 1000, 1 },	/* first transmission at once */
		{ 1000, 0 },
		{ 2999, 0 },
		{ 3000, 1 },	/* +2000 */
		{ 6999, 0 },
		{ 7000, 1 },	/* +4000 */
		{ 14999, 0 },
		{ 15000, 1 },	/* +8000 */
		{ 31000, 1 },	/* +16000 */
	};
	struct ctl_pkt out;

	init_default(&R);
	CHECK(rel_next_wakeup(&R, 5) == UINT64_MAX, "idle wakeup");
	CHECK(rel_queue(&R, CTL_OP_HARD_RESET_CLIENT_V2, NULL, 0, NULL) == REL_OK, "queue");
	CHECK(rel_next_wakeup(&R, 1000) == 1000, "new packet is due now");
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		int n = 0;

		while (rel_next_packet(&R, v[i].now, &out))
			n++;
		CHECK(n == v[i].sends, "at %llu: %d sends", (unsigned long long)v[i].now, n);
		CHECK(n == 0 || (out.opcode == CTL_OP_HARD_RESET_CLIENT_V2 && out.msg_id == 0 &&
				 out.payload_len == 0 && out.payload == NULL), "resend content");
	}
	CHECK(rel_next_wakeup(&R, 31000) == 31000 + 32000, "next at +32 s: %llu",
	      (unsigned long long)rel_next_wakeup(&R, 31000));
	CHECK(R.n_sent == 1 && R.n_resent == 4 && R.n_fast_resent == 0, "counters");
	rel_schedule_now(&R);
	CHECK(rel_next_wakeup(&R, 31001) == 31001 && rel_next_packet(&R, 31001, &out) == 1,
	      "schedule_now");
	CHECK(rel_next_wakeup(&R, 31001) == 33001, "back to the initial timeout");

	/* cap */
	struct rel_cfg c;

	rel_cfg_default(&c);
	c.max_timeout_ms = 5000;
	CHECK(rel_init(&R, &c) == REL_OK, "init");
	rel_queue(&R, CTL_OP_CONTROL_V1, P, 4, NULL);
	uint64_t t = 0;

	for (int i = 0; i < 6; i++) {
		CHECK(rel_next_packet(&R, t, &out) == 1, "send %d", i);
		uint64_t w = rel_next_wakeup(&R, t);

		CHECK(w - t == (i == 0 ? 2000u : i == 1 ? 4000u : 5000u), "gap %d: %llu", i,
		      (unsigned long long)(w - t));
		t = w;
	}

	/* fast retransmit */
	static const uint32_t a1[] = { 1 }, a23[] = { 2, 3 }, a4[] = { 4 };

	init_default(&R);
	for (int i = 0; i < 5; i++)
		rel_queue(&R, CTL_OP_CONTROL_V1, P, 4, NULL);
	for (int i = 0; i < 5; i++)
		CHECK(rel_next_packet(&R, 0, &out) == 1 && out.msg_id == (uint32_t)i, "send %d", i);
	rel_process_acks(&R, a1, 1);
	rel_process_acks(&R, a23, 2);
	CHECK(rel_next_wakeup(&R, 10) == 10, "0 is due after 3 later ACKs");
	CHECK(rel_next_packet(&R, 10, &out) == 1 && out.msg_id == 0, "fast resend of 0");
	CHECK(rel_next_packet(&R, 10, &out) == 0, "4 not due (2 later ACKs? none)");
	rel_process_acks(&R, a4, 1);
	CHECK(rel_next_packet(&R, 10, &out) == 0, "0 counted afresh after its resend");
	CHECK(R.n_fast_resent == 1, "fast counter");
}

/* msg-ids across 2^32 */
static void id_wraparound(void)
{
	struct ctl_pkt out;
	struct rel_msg m;
	uint32_t id;

	init_default(&R);
	R.next_send_id = 0xfffffffeu;
	R.next_recv_id = 0xfffffffeu;
	for (int i = 0; i < 4; i++)
		CHECK(rel_queue(&R, CTL_OP_CONTROL_V1, P, 4, &id) == REL_OK &&
			      id == 0xfffffffeu + (uint32_t)i, "queue %d", i);
	CHECK(rel_send_room(&R) == 2, "room across the wrap");
	CHECK(rel_next_packet(&R, 0, &out) == 1 && out.msg_id == 0xfffffffeu, "lowest first");
	CHECK(rel_receive(&R, CTL_OP_CONTROL_V1, 1, P, 4) == REL_RX_NEW, "1 in window");
	CHECK(rel_receive(&R, CTL_OP_CONTROL_V1, 10, P, 4) == REL_RX_WINDOW, "10 beyond");
	CHECK(rel_receive(&R, CTL_OP_CONTROL_V1, 0xfffffffdu, P, 4) == REL_RX_DUP, "old");
	rel_receive(&R, CTL_OP_CONTROL_V1, 0xffffffffu, P, 4);
	rel_receive(&R, CTL_OP_CONTROL_V1, 0xfffffffeu, P, 4);
	rel_receive(&R, CTL_OP_CONTROL_V1, 0, P, 4);
	for (uint32_t want = 0xfffffffeu; want != 2; want++) {
		CHECK(rel_peek(&R, &m) && m.msg_id == want, "deliver %u", want);
		rel_pop(&R);
	}
	CHECK(!rel_peek(&R, &m), "done");
}

/* ---- simulated link --------------------------------------------------------- */

/* xorshift64*: the seed is the only source of randomness */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

#define MAXFLIGHT 4096
#define NMSG 200

struct flight {
	uint64_t at;
	int to;		/* endpoint index */
	size_t len;
	uint8_t bytes[CTL_PACKET_MAX];
};

struct scenario {
	const char *name;
	uint64_t seed;
	unsigned int loss, dup;		/* percent */
	unsigned int jitter_ms;		/* reordering: uniform extra delay */
	uint8_t ack_max;
};

static struct flight flights[MAXFLIGHT];
static size_t nflight;

struct end {
	struct rel *r;
	unsigned int queued;		/* messages handed to rel_queue */
	unsigned int delivered;		/* messages received in order */
	uint8_t sid[8];
};

static size_t msg_len(unsigned int seq)
{
	return 1 + (seq * 7919u) % 1100;
}

static uint8_t msg_byte(unsigned int seq, size_t i)
{
	return (uint8_t)(seq * 31 + i * 7);
}

static bool sim(const struct scenario *sc, uint64_t *end_time, uint64_t *resent)
{
	static struct end ends[2];
	uint64_t s = sc->seed, now = 1000;
	struct rel_cfg c;
	bool ok = true;

	rel_cfg_default(&c);
	c.ack_max = sc->ack_max;
	ends[0].r = &R;
	ends[1].r = &R2;
	for (int e = 0; e < 2; e++) {
		CHECK(rel_init(ends[e].r, &c) == REL_OK, "init");
		ends[e].queued = ends[e].delivered = 0;
		memset(ends[e].sid, 0x10 * (e + 1), 8);
	}
	nflight = 0;
	for (int step = 0; step < 200000; step++) {
		uint64_t next = UINT64_MAX;

		for (int e = 0; e < 2; e++) {
			struct end *me = &ends[e];
			struct ctl_pkt p = { .key_id = 0 };	/* the caller owns key_id/sids */

			while (me->queued < NMSG && rel_send_room(me->r)) {
				uint8_t buf[1200];
				size_t l = msg_len(me->queued);

				for (size_t i = 0; i < l; i++)
					buf[i] = msg_byte(me->queued, i);
				CHECK(rel_queue(me->r, CTL_OP_CONTROL_V1, buf, l, NULL) == REL_OK, "q");
				me->queued++;
			}
			while (rel_next_packet(me->r, now, &p) == 1) {
				uint8_t wire[CTL_PACKET_MAX];
				long n;

				/* ACK limits on the wire (§4) */
				if (p.opcode == CTL_OP_ACK_V1)
					ok &= p.n_acks >= 1 && p.n_acks <= sc->ack_max;
				else
					ok &= p.n_acks <= CTL_ACK_PIGGY_MAX;
				memcpy(p.sid, me->sid, 8);
				memcpy(p.peer_sid, ends[1 - e].sid, 8);
				n = ctlpkt_encode_plain(&p, wire, sizeof(wire));
				ok &= n > 0;
				if (n <= 0)
					break;
				for (int copy = 0; copy < 2; copy++) {
					if (copy && rnd(&s) % 100 >= sc->dup)
						break;
					if (rnd(&s) % 100 < sc->loss)
						continue;
					if (nflight == MAXFLIGHT)
						return false;
					flights[nflight].at = now + 20 +
						(sc->jitter_ms ? rnd(&s) % sc->jitter_ms : 0);
					flights[nflight].to = 1 - e;
					flights[nflight].len = (size_t)n;
					memcpy(flights[nflight].bytes, wire, (size_t)n);
					nflight++;
				}
			}
		}
		/* deliver everything due now */
		for (size_t i = 0; i < nflight;) {
			struct flight *f = &flights[i];
			struct end *to;
			struct ctl_pkt p;
			struct rel_msg m;

			if (f->at > now) {
				i++;
				continue;
			}
			to = &ends[f->to];
			ok &= ctlpkt_decode_plain(f->bytes, f->len, &p) == 0;
			ok &= !p.n_acks || memcmp(p.peer_sid, to->sid, 8) == 0;
			rel_process_acks(to->r, p.acks, p.n_acks);
			if (p.opcode != CTL_OP_ACK_V1)
				ok &= rel_receive(to->r, p.opcode, p.msg_id, p.payload, p.payload_len) >= 0;
			while (rel_peek(to->r, &m)) {
				unsigned int seq = to->delivered;
				bool good = m.len == msg_len(seq);

				for (size_t k = 0; good && k < m.len; k++)
					good = m.payload[k] == msg_byte(seq, k);
				if (!good) {
					CHECK(0, "%s: message %u corrupt or out of order", sc->name, seq);
					ok = false;
				}
				to->delivered++;
				rel_pop(to->r);
			}
			*f = flights[--nflight];
		}
		if (ends[0].delivered == NMSG && ends[1].delivered == NMSG &&
		    rel_send_idle(&R) && rel_send_idle(&R2)) {
			*end_time = now;
			*resent = R.n_resent + R2.n_resent;
			return ok;
		}
		/* jump to the next event */
		for (size_t i = 0; i < nflight; i++)
			if (flights[i].at < next)
				next = flights[i].at;
		for (int e = 0; e < 2; e++) {
			uint64_t w = rel_next_wakeup(ends[e].r, now);

			if (ends[e].queued < NMSG && rel_send_room(ends[e].r))
				w = now;
			if (w < next)
				next = w;
		}
		if (next == UINT64_MAX)
			break;
		now = next > now ? next : now + 1;
	}
	CHECK(0, "%s: stalled at %llu ms: delivered %u/%u", sc->name, (unsigned long long)now,
	      ends[0].delivered, ends[1].delivered);
	return false;
}

static void simulated_link(void)
{
	static const struct scenario v[] = {
		{ "clean", 1, 0, 0, 0, 8 },
		{ "loss 10%", 2, 10, 0, 0, 8 },
		{ "loss 30%", 3, 30, 0, 0, 8 },
		{ "loss 50%", 4, 50, 0, 0, 8 },
		{ "duplication 30%", 5, 0, 30, 0, 8 },
		{ "reordering 0-500 ms", 6, 0, 0, 500, 8 },
		{ "loss 20% dup 20% reorder 800 ms", 7, 20, 20, 800, 8 },
		{ "same, 4 ACKs per P_ACK_V1", 8, 20, 20, 800, 4 },
		{ "loss 40% dup 40% reorder 3 s", 9, 40, 40, 3000, 8 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		uint64_t t = 0, resent = 0;
		bool ok = sim(&v[i], &t, &resent);

		CHECK(ok, "%s: failed (t=%llu)", v[i].name, (unsigned long long)t);
		if (!ok)
			continue;
		if (v[i].loss)
			CHECK(resent > 0, "%s: loss without retransmissions", v[i].name);
		if (!v[i].loss && !v[i].dup && !v[i].jitter_ms)
			CHECK(resent == 0, "%s: %llu needless retransmissions", v[i].name,
			      (unsigned long long)resent);
		if (!v[i].loss)
			CHECK(R.n_dups + R2.n_dups > 0 || !v[i].dup, "%s: dups not seen", v[i].name);
	}
}

int main(void)
{
	RUN("reliable", config_checks);
	RUN("reliable", send_window);
	RUN("reliable", receive_window);
	RUN("reliable", in_order_delivery);
	RUN("reliable", ack_lists);
	RUN("reliable", retransmit_timers);
	RUN("reliable", id_wraparound);
	RUN("reliable", simulated_link);
	CHECK_EXIT();
}
