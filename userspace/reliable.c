// SPDX-License-Identifier: BSD-2-Clause
/*
 * reliable.c: the control channel's reliability layer (openvpn-protocol.md
 * §4): send window 6, receive window 12, non-cumulative ACKs with an MRU
 * list for re-ACKing, retransmission with doubling timeout and fast
 * retransmit after 3 ACKs of higher ids.  Pure; see reliable.h.
 */
#include "reliable.h"

#include <string.h>

/* a precedes b in msg-id order, modulo 2^32 */
static inline bool id_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

void rel_cfg_default(struct rel_cfg *c)
{
	c->initial_timeout_ms = REL_TIMEOUT_DEFAULT_MS;
	c->max_timeout_ms = 0;
	c->piggy_max = CTL_ACK_PIGGY_MAX;
	c->ack_max = CTL_ACK_MAX;
}

int rel_init(struct rel *r, const struct rel_cfg *cfg)
{
	struct rel_cfg def;

	if (!cfg) {
		rel_cfg_default(&def);
		cfg = &def;
	}
	if (!cfg->initial_timeout_ms || cfg->piggy_max > CTL_ACK_PIGGY_MAX || !cfg->ack_max ||
	    cfg->ack_max > CTL_ACK_MAX ||
	    (cfg->max_timeout_ms && cfg->max_timeout_ms < cfg->initial_timeout_ms))
		return REL_E_INVAL;
	memset(r, 0, sizeof(*r));
	r->cfg = *cfg;
	return REL_OK;
}

/* ---- sending ------------------------------------------------------------ */

static bool oldest_active(const struct rel *r, uint32_t *id)
{
	bool found = false;

	for (unsigned int i = 0; i < REL_SEND_WINDOW; i++) {
		const struct rel_send_entry *e = &r->snd[i];

		if (e->active && (!found || id_before(e->msg_id, *id))) {
			*id = e->msg_id;
			found = true;
		}
	}
	return found;
}

unsigned int rel_send_room(const struct rel *r)
{
	uint32_t oldest = 0, used;

	/* a new id may go out only while next - oldest_unacked < window, so an
	 * unacknowledged old packet holds the window (no head-of-line skipping) */
	if (!oldest_active(r, &oldest))
		return REL_SEND_WINDOW;
	used = r->next_send_id - oldest;
	return used >= REL_SEND_WINDOW ? 0 : REL_SEND_WINDOW - used;
}

int rel_queue(struct rel *r, uint8_t opcode, const uint8_t *payload, size_t len,
	      uint32_t *msg_id)
{
	struct rel_send_entry *e = NULL;

	if (!ctl_opcode_is_reliable(opcode) || (len && !payload))
		return REL_E_INVAL;
	if (len > REL_PAYLOAD_MAX)
		return REL_E_TOOBIG;
	if (!rel_send_room(r))
		return REL_E_FULL;
	for (unsigned int i = 0; i < REL_SEND_WINDOW && !e; i++)
		if (!r->snd[i].active)
			e = &r->snd[i];
	if (!e)		/* cannot happen while room > 0 */
		return REL_E_FULL;
	e->active = true;
	e->opcode = opcode;
	e->n_acks = 0;
	e->sent = false;
	e->msg_id = r->next_send_id++;
	e->next_try = 0;
	e->timeout = r->cfg.initial_timeout_ms;
	e->len = len;
	if (len)
		memcpy(e->buf, payload, len);
	if (msg_id)
		*msg_id = e->msg_id;
	return REL_OK;
}

void rel_process_acks(struct rel *r, const uint32_t *acks, unsigned int n)
{
	for (unsigned int a = 0; a < n; a++) {
		for (unsigned int i = 0; i < REL_SEND_WINDOW; i++) {
			struct rel_send_entry *e = &r->snd[i];

			if (!e->active)
				continue;
			if (e->msg_id == acks[a]) {
				e->active = false;
			} else if (id_before(e->msg_id, acks[a]) && e->n_acks < UINT8_MAX) {
				/* a later packet got through: this one may be lost */
				e->n_acks++;
			}
		}
	}
}

bool rel_send_idle(const struct rel *r)
{
	for (unsigned int i = 0; i < REL_SEND_WINDOW; i++)
		if (r->snd[i].active)
			return false;
	return true;
}

/* ---- receiving ------------------------------------------------------------ */

static void ack_schedule(struct rel *r, uint32_t id)
{
	for (unsigned int i = 0; i < r->n_pending; i++)
		if (r->pending[i] == id)
			return;
	/* a full list drops the ACK; the peer will retransmit */
	if (r->n_pending < CTL_ACK_MAX)
		r->pending[r->n_pending++] = id;
}

int rel_receive(struct rel *r, uint8_t opcode, uint32_t msg_id, const uint8_t *payload,
		size_t len)
{
	int32_t d = (int32_t)(msg_id - r->next_recv_id);
	struct rel_recv_entry *free_e = NULL;

	if (!ctl_opcode_is_reliable(opcode) || (len && !payload))
		return REL_E_INVAL;
	if (len > REL_PAYLOAD_MAX)
		return REL_E_TOOBIG;
	/* beyond the window: neither stored nor ACKed (it would block the
	 * buffers); the peer resends it later */
	if (d >= REL_RECV_WINDOW)
		return REL_RX_WINDOW;
	/* anything below the window top is ACKed, replays included */
	ack_schedule(r, msg_id);
	if (d < 0) {
		r->n_dups++;
		return REL_RX_DUP;
	}
	for (unsigned int i = 0; i < REL_RECV_WINDOW; i++) {
		struct rel_recv_entry *e = &r->rcv[i];

		if (e->active && e->msg_id == msg_id) {
			r->n_dups++;
			return REL_RX_DUP;
		}
		if (!e->active && !free_e)
			free_e = e;
	}
	if (!free_e)	/* cannot happen: every held id is inside the window */
		return REL_RX_WINDOW;
	free_e->active = true;
	free_e->opcode = opcode;
	free_e->msg_id = msg_id;
	free_e->len = len;
	if (len)
		memcpy(free_e->buf, payload, len);
	return REL_RX_NEW;
}

static struct rel_recv_entry *next_in_order(const struct rel *r)
{
	for (unsigned int i = 0; i < REL_RECV_WINDOW; i++)
		if (r->rcv[i].active && r->rcv[i].msg_id == r->next_recv_id)
			return (struct rel_recv_entry *)&r->rcv[i];
	return NULL;
}

bool rel_peek(const struct rel *r, struct rel_msg *m)
{
	const struct rel_recv_entry *e = next_in_order(r);

	if (!e)
		return false;
	m->opcode = e->opcode;
	m->msg_id = e->msg_id;
	m->payload = e->buf;
	m->len = e->len;
	return true;
}

void rel_pop(struct rel *r)
{
	struct rel_recv_entry *e = next_in_order(r);

	if (!e)
		return;
	e->active = false;
	r->next_recv_id++;
}

bool rel_acks_pending(const struct rel *r)
{
	return r->n_pending > 0;
}

unsigned int rel_acks_outstanding(const struct rel *r)
{
	return (unsigned int)r->n_pending + r->n_mru;
}

/* ---- output ---------------------------------------------------------------- */

static void mru_to_front(struct rel *r, uint32_t id)
{
	unsigned int pos = r->n_mru;

	for (unsigned int i = 0; i < r->n_mru; i++)
		if (r->mru[i] == id) {
			pos = i;
			break;
		}
	if (pos == r->n_mru) {
		/* new: grow if there is room, else the oldest falls off */
		if (r->n_mru < CTL_ACK_MAX)
			r->n_mru++;
		pos = r->n_mru - 1;
	}
	memmove(&r->mru[1], &r->mru[0], pos * sizeof(r->mru[0]));
	r->mru[0] = id;
}

/*
 * Fill the ACK block: the pending ACKs that fit go to the front of the
 * MRU list (keeping their order), then the packet carries the first
 * min(max, mru) MRU entries, i.e. the new ones followed by recent re-ACKs.
 */
static void write_acks(struct rel *r, unsigned int max, struct ctl_pkt *out)
{
	unsigned int n = r->n_pending < max ? r->n_pending : max;

	for (unsigned int i = n; i-- > 0;)
		mru_to_front(r, r->pending[i]);
	memmove(&r->pending[0], &r->pending[n], (r->n_pending - n) * sizeof(r->pending[0]));
	r->n_pending = (uint8_t)(r->n_pending - n);
	out->n_acks = (uint8_t)(r->n_mru < max ? r->n_mru : max);
	memcpy(out->acks, r->mru, out->n_acks * sizeof(out->acks[0]));
	r->n_acks_sent += out->n_acks;
}

static bool entry_due(const struct rel_send_entry *e, uint64_t now)
{
	return e->active &&
	       (!e->sent || e->n_acks >= REL_FAST_RETRANSMIT || e->next_try <= now);
}

int rel_next_packet(struct rel *r, uint64_t now, struct ctl_pkt *out)
{
	struct rel_send_entry *best = NULL;

	for (unsigned int i = 0; i < REL_SEND_WINDOW; i++) {
		struct rel_send_entry *e = &r->snd[i];

		if (entry_due(e, now) && (!best || id_before(e->msg_id, best->msg_id)))
			best = e;
	}
	memset(out->acks, 0, sizeof(out->acks));
	out->n_acks = 0;
	if (best) {
		if (!best->sent) {
			best->sent = true;
			r->n_sent++;
		} else {
			r->n_resent++;
			if (best->next_try > now)
				r->n_fast_resent++;
		}
		best->next_try = now + best->timeout;
		/* exponential backoff */
		if (best->timeout <= UINT32_MAX / 2)
			best->timeout *= 2;
		if (r->cfg.max_timeout_ms && best->timeout > r->cfg.max_timeout_ms)
			best->timeout = r->cfg.max_timeout_ms;
		best->n_acks = 0;
		out->opcode = best->opcode;
		out->msg_id = best->msg_id;
		out->payload = best->len ? best->buf : NULL;
		out->payload_len = best->len;
		write_acks(r, r->cfg.piggy_max, out);
		return 1;
	}
	if (r->n_pending) {
		out->opcode = CTL_OP_ACK_V1;
		out->msg_id = 0;
		out->payload = NULL;
		out->payload_len = 0;
		write_acks(r, r->cfg.ack_max, out);
		return 1;
	}
	return 0;
}

uint64_t rel_next_wakeup(const struct rel *r, uint64_t now)
{
	uint64_t t = UINT64_MAX;

	if (r->n_pending)
		return now;
	for (unsigned int i = 0; i < REL_SEND_WINDOW; i++) {
		const struct rel_send_entry *e = &r->snd[i];

		if (!e->active)
			continue;
		if (entry_due(e, now))
			return now;
		if (e->next_try < t)
			t = e->next_try;
	}
	return t;
}

void rel_schedule_now(struct rel *r)
{
	for (unsigned int i = 0; i < REL_SEND_WINDOW; i++) {
		struct rel_send_entry *e = &r->snd[i];

		if (e->active) {
			e->next_try = 0;
			e->timeout = r->cfg.initial_timeout_ms;
		}
	}
}
