/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvpn-dco: packet ids -- the TX counter that never wraps and the RX replay
 * window.  Pure code (pktid.c): no allocation, no lock, no clock.  The
 * caller supplies the memory, serializes RX updates and passes the time in.
 * The same source compiles into the module and into userspace (kshim.h).
 *
 * Rules implemented (OpenVPN 2.6, openvpn-protocol.md §8.2, §8.5):
 *  - TX ids start at 1 for every key and never wrap: 0xFFFFFFFF is the last
 *    one, after it the key refuses to send.  Userspace is told early
 *    (MVPN_PKTID_XMIT_WARN, OpenVPN's renegotiation trigger) and once more
 *    at exhaustion.
 *  - RX: id 0 is invalid; a new highest id is accepted; an older id is
 *    accepted once if it lies within the window behind the highest and above
 *    the time floor.  The check runs only after the packet authenticated,
 *    so forged packets cannot move the window.
 *  - Time floor (OpenVPN's replay-window "t"): an id that fell behind the
 *    highest is refused once T seconds have passed -- never sooner than T,
 *    at the latest 3T after it fell behind.  Implemented in O(1) with epochs
 *    of T seconds: at each epoch start the floor rises to the highest id
 *    seen at the previous epoch start; after 2T without packets it rises to
 *    the highest id.  T = 0 disables the floor.
 */
#ifndef _MVPN_PKTID_H_
#define _MVPN_PKTID_H_

#ifndef MVPN_USERSPACE
#include <linux/atomic.h>
#include <linux/types.h>
#endif

/* KEY_SWAP_NTF goes out when this id is handed out (OpenVPN renegotiates here). */
#define MVPN_PKTID_XMIT_WARN	0xFF000000u
#define MVPN_PKTID_XMIT_LAST	0xFFFFFFFFu

/* Default time floor, seconds (OpenVPN's replay-window default t). */
#define MVPN_PKTID_RECV_TIME	15

/**
 * struct mvpn_pktid_xmit - TX packet-id counter of one key
 * @seq: ids handed out so far; 64 bits so that the increment itself can
 *	 never wrap, ids above MVPN_PKTID_XMIT_LAST are refused
 */
struct mvpn_pktid_xmit {
	atomic64_t seq;
};

/**
 * struct mvpn_pktid_recv - RX replay state of one key
 * @highest: highest id accepted so far (0: none yet)
 * @floor: ids <= floor are refused (the time floor)
 * @epoch_highest: @highest when the current epoch started
 * @epoch_start: when the current epoch started (seconds)
 * @window: how far behind @highest an id may still be accepted
 * @nbits: bitmap size in bits: a power of two, >= @window and >= 64
 * @time: the time floor T in seconds, 0 = none
 * @bits: bit (id % @nbits) is set when id was seen, for ids in
 *	  (@highest - @nbits, @highest]
 */
struct mvpn_pktid_recv {
	u32 highest;
	u32 floor;
	u32 epoch_highest;
	u32 window;
	u32 nbits;
	u32 time;
	u64 epoch_start;
	u64 bits[];
};

void mvpn_pktid_xmit_init(struct mvpn_pktid_xmit *px, u32 last_sent);
int mvpn_pktid_xmit_next(struct mvpn_pktid_xmit *px, u32 *id, bool *notify);
u32 mvpn_pktid_xmit_last(struct mvpn_pktid_xmit *px);

size_t mvpn_pktid_recv_size(u32 window);
void mvpn_pktid_recv_init(struct mvpn_pktid_recv *pr, u32 window, u32 time,
			  u64 now);
int mvpn_pktid_recv(struct mvpn_pktid_recv *pr, u32 id, u64 now);

#endif /* _MVPN_PKTID_H_ */
