// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvpn-dco: packet ids (see pktid.h for the rules).  Pure: compiles
 * unchanged in the module and, through userspace/kshim.h, in userspace.
 */
#ifndef MVPN_USERSPACE
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/string.h>
#endif

#include "pktid.h"

/**
 * mvpn_pktid_xmit_init - start a key's TX ids
 * @px: the counter
 * @last_sent: the id "already sent": 0 for a new key, so the first id is 1
 */
void mvpn_pktid_xmit_init(struct mvpn_pktid_xmit *px, u32 last_sent)
{
	atomic64_set(&px->seq, last_sent);
}

/**
 * mvpn_pktid_xmit_next - take the next TX packet id
 * @px: the counter (safe against concurrent callers)
 * @id: the id to put on the packet
 * @notify: set to true exactly once when the id reaches
 *	    MVPN_PKTID_XMIT_WARN, and exactly once on the first refused call;
 *	    false otherwise
 *
 * Return: 0, or -ERANGE when the ids are exhausted: nothing may be sent
 * with this key any more (the counter keeps counting, it never wraps).
 */
int mvpn_pktid_xmit_next(struct mvpn_pktid_xmit *px, u32 *id, bool *notify)
{
	u64 seq = (u64)atomic64_inc_return(&px->seq);

	*notify = seq == MVPN_PKTID_XMIT_WARN ||
		  seq == (u64)MVPN_PKTID_XMIT_LAST + 1;
	if (unlikely(seq > MVPN_PKTID_XMIT_LAST)) {
		*id = 0;
		return -ERANGE;
	}
	*id = (u32)seq;
	return 0;
}

/* The last id handed out (MVPN_PKTID_XMIT_LAST once exhausted). */
u32 mvpn_pktid_xmit_last(struct mvpn_pktid_xmit *px)
{
	u64 seq = (u64)atomic64_read(&px->seq);

	return seq > MVPN_PKTID_XMIT_LAST ? MVPN_PKTID_XMIT_LAST : (u32)seq;
}

static u32 mvpn_pktid_nbits(u32 window)
{
	u32 n = 64;

	while (n < window)
		n <<= 1;
	return n;
}

/**
 * mvpn_pktid_recv_size - bytes needed for a replay state of @window packets
 * @window: 1..65536 (callers validate; out-of-range values are clamped)
 */
size_t mvpn_pktid_recv_size(u32 window)
{
	if (window > 65536)
		window = 65536;
	return sizeof(struct mvpn_pktid_recv) + mvpn_pktid_nbits(window) / 8;
}

/**
 * mvpn_pktid_recv_init - an empty replay state
 * @pr: memory of mvpn_pktid_recv_size(@window) bytes
 * @window: 1..65536 packets
 * @time: time floor T in seconds (0: none)
 * @now: the current time in seconds
 */
void mvpn_pktid_recv_init(struct mvpn_pktid_recv *pr, u32 window, u32 time,
			  u64 now)
{
	if (window < 1)
		window = 1;
	if (window > 65536)
		window = 65536;
	pr->highest = 0;
	pr->floor = 0;
	pr->epoch_highest = 0;
	pr->window = window;
	pr->nbits = mvpn_pktid_nbits(window);
	pr->time = time;
	pr->epoch_start = now;
	memset(pr->bits, 0, pr->nbits / 8);
}

static bool mvpn_pktid_test(const struct mvpn_pktid_recv *pr, u32 id)
{
	u32 bit = id & (pr->nbits - 1);

	return pr->bits[bit / 64] & (1ULL << (bit % 64));
}

static void mvpn_pktid_set(struct mvpn_pktid_recv *pr, u32 id)
{
	u32 bit = id & (pr->nbits - 1);

	pr->bits[bit / 64] |= 1ULL << (bit % 64);
}

/* Forget ids highest+1 .. highest+count (they are not seen yet). */
static void mvpn_pktid_clear_ahead(struct mvpn_pktid_recv *pr, u32 count)
{
	u32 bit = (pr->highest + 1) & (pr->nbits - 1);

	if (count >= pr->nbits) {
		memset(pr->bits, 0, pr->nbits / 8);
		return;
	}
	while (count) {
		if (bit % 64 == 0 && count >= 64) {
			pr->bits[bit / 64] = 0;
			bit += 64;
			count -= 64;
		} else {
			pr->bits[bit / 64] &= ~(1ULL << (bit % 64));
			bit++;
			count--;
		}
		bit &= pr->nbits - 1;
	}
}

static void mvpn_pktid_advance_time(struct mvpn_pktid_recv *pr, u64 now)
{
	if (!pr->time || now < pr->epoch_start + pr->time)
		return;
	if (now >= pr->epoch_start + 2 * (u64)pr->time) {
		/* Quiet for two epochs: everything seen so far is old. */
		pr->floor = pr->highest;
	} else if (pr->epoch_highest > pr->floor) {
		pr->floor = pr->epoch_highest;
	}
	pr->epoch_highest = pr->highest;
	pr->epoch_start = now;
}

/**
 * mvpn_pktid_recv - check an authenticated packet id and record it
 * @pr: the key's replay state (the caller serializes calls)
 * @id: the packet id
 * @now: the current time in seconds (monotonic)
 *
 * Return: 0 when the packet is new and was recorded; -EINVAL for id 0;
 * -EALREADY for an id seen before; -ERANGE for an id too far behind the
 * window; -ETIME for an id below the time floor.  A refused id changes
 * nothing but the time bookkeeping.
 */
int mvpn_pktid_recv(struct mvpn_pktid_recv *pr, u32 id, u64 now)
{
	if (unlikely(!id))
		return -EINVAL;
	mvpn_pktid_advance_time(pr, now);
	if (unlikely(id <= pr->floor))
		return -ETIME;
	if (likely(id > pr->highest)) {
		mvpn_pktid_clear_ahead(pr, id - pr->highest);
		mvpn_pktid_set(pr, id);
		pr->highest = id;
		return 0;
	}
	if (pr->highest - id >= pr->window)
		return -ERANGE;
	if (mvpn_pktid_test(pr, id))
		return -EALREADY;
	mvpn_pktid_set(pr, id);
	return 0;
}
