// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests of kmod/pktid.c, the module's own source compiled in userspace:
 * the RX replay window as a numbered table of cases, a randomized
 * comparison against a naive model, and the TX counter that never wraps.
 */
#include <stdlib.h>
#include "check.h"
#include "kshim.h"
#include "pktid.h"

#define MAXSTEPS 24

struct step {
	u32 id;
	u64 now;
	int want;
};

struct replay_case {
	const char *what;
	u32 window;
	u32 time;
	struct step steps[MAXSTEPS];	/* ends at id 0 with want 1 */
};

#define END { 0, 0, 1 }

static const struct replay_case replay_cases[] = {
	/* 1 */ { "in order", 2048, 15,
		  { { 1, 0, 0 }, { 2, 0, 0 }, { 3, 0, 0 }, { 4, 0, 0 }, END } },
	/* 2 */ { "gaps, then backtrack inside the window fills them once", 2048, 15,
		  { { 1, 0, 0 }, { 5, 0, 0 }, { 10, 0, 0 }, { 3, 0, 0 }, { 3, 0, -EALREADY },
		    { 9, 0, 0 }, { 2, 0, 0 }, { 4, 0, 0 }, { 4, 0, -EALREADY }, END } },
	/* 3 */ { "duplicates of the highest and of older ids", 2048, 15,
		  { { 1, 0, 0 }, { 1, 0, -EALREADY }, { 7, 0, 0 }, { 7, 0, -EALREADY },
		    { 1, 0, -EALREADY }, END } },
	/* 4 */ { "id 0 is never valid", 2048, 15,
		  { { 0, 0, -EINVAL }, { 1, 0, 0 }, { 0, 0, -EINVAL }, { 2, 0, 0 }, END } },
	/* 5 */ { "backtrack outside a 64 window", 64, 15,
		  { { 100, 0, 0 }, { 36, 0, -ERANGE }, { 37, 0, 0 }, { 99, 0, 0 },
		    { 37, 0, -EALREADY }, END } },
	/* 6 */ { "default window edge (2048)", 2048, 15,
		  { { 3000, 0, 0 }, { 952, 0, -ERANGE }, { 953, 0, 0 }, { 2999, 0, 0 }, END } },
	/* 7 */ { "jump past the bitmap clears it", 64, 15,
		  { { 1, 0, 0 }, { 2, 0, 0 }, { 1000, 0, 0 }, { 999, 0, 0 }, { 1000, 0, -EALREADY },
		    { 2, 0, -ERANGE }, { 937, 0, 0 }, { 936, 0, -ERANGE }, END } },
	/* 8 */ { "jump of exactly the bitmap size", 64, 15,
		  { { 10, 0, 0 }, { 74, 0, 0 }, { 10, 0, -ERANGE }, { 11, 0, 0 }, { 73, 0, 0 }, END } },
	/* 9 */ { "bitmap slots are reused after the window moved on", 64, 15,
		  { { 5, 0, 0 }, { 69, 0, 0 }, { 70, 0, 0 }, { 6, 0, -ERANGE }, { 65, 0, 0 },
		    { 65, 0, -EALREADY }, { 133, 0, 0 }, { 129, 0, 0 }, { 129, 0, -EALREADY },
		    { 70, 0, -EALREADY }, { 71, 0, 0 }, END } },
	/* 10 */ { "window of 1: only new highest ids", 1, 15,
		   { { 5, 0, 0 }, { 4, 0, -ERANGE }, { 5, 0, -EALREADY }, { 6, 0, 0 }, END } },
	/* 11 */ { "window not a power of two (100)", 100, 15,
		   { { 200, 0, 0 }, { 100, 0, -ERANGE }, { 101, 0, 0 }, { 101, 0, -EALREADY }, END } },
	/* 12 */ { "time floor: a late packet within T is accepted", 2048, 15,
		   { { 10, 0, 0 }, { 5, 14, 0 }, { 4, 14, 0 }, END } },
	/* 13 */ { "time floor: ids behind for more than 2T epochs are refused", 2048, 15,
		   { { 10, 0, 0 }, { 20, 1, 0 }, { 15, 16, 0 }, { 25, 20, 0 },
		     { 14, 31, -ETIME }, { 20, 31, -ETIME }, { 21, 31, 0 }, { 26, 32, 0 }, END } },
	/* 14 */ { "time floor: quiet for 2T, everything older is refused", 2048, 15,
		   { { 10, 0, 0 }, { 9, 30, -ETIME }, { 10, 30, -ETIME }, { 11, 30, 0 },
		     { 12, 31, 0 }, END } },
	/* 15 */ { "no time floor when T is 0", 2048, 0,
		   { { 10, 0, 0 }, { 9, 100000, 0 }, { 8, 200000, 0 }, END } },
	/* 16 */ { "the last id; no wrap back to small ids", 2048, 15,
		   { { 0xFFFFFFF0u, 0, 0 }, { 0xFFFFFFFFu, 0, 0 }, { 0xFFFFFFFEu, 0, 0 },
		     { 0xFFFFFFFFu, 0, -EALREADY }, { 1, 0, -ERANGE }, { 0, 0, -EINVAL }, END } },
	/* 17 */ { "refused ids change nothing", 64, 15,
		   { { 100, 0, 0 }, { 20, 0, -ERANGE }, { 100, 0, -EALREADY }, { 99, 0, 0 },
		     { 101, 0, 0 }, END } },
	/* 18 */ { "largest window (65536)", 65536, 0,
		   { { 70000, 0, 0 }, { 4464, 0, -ERANGE }, { 4465, 0, 0 }, { 4465, 0, -EALREADY },
		     END } },
};

static struct mvpn_pktid_recv *recv_new(u32 window, u32 time, u64 now)
{
	struct mvpn_pktid_recv *pr = malloc(mvpn_pktid_recv_size(window));

	if (pr)
		mvpn_pktid_recv_init(pr, window, time, now);
	return pr;
}

static void replay_table(void)
{
	for (size_t c = 0; c < sizeof(replay_cases) / sizeof(replay_cases[0]); c++) {
		const struct replay_case *rc = &replay_cases[c];
		struct mvpn_pktid_recv *pr = recv_new(rc->window, rc->time, 0);

		CHECK(pr, "case %zu: allocation", c + 1);
		if (!pr)
			return;
		for (size_t s = 0; s < MAXSTEPS && rc->steps[s].want != 1; s++) {
			const struct step *st = &rc->steps[s];
			int got = mvpn_pktid_recv(pr, st->id, st->now);

			CHECK(got == st->want, "case %zu (%s) step %zu: id %u at %llu: got %d, want %d",
			      c + 1, rc->what, s + 1, st->id, (unsigned long long)st->now, got,
			      st->want);
		}
		free(pr);
	}
}

/* A naive model: a set of seen ids, the same window rule, no time floor. */
static void replay_vs_model(void)
{
	static const u32 windows[] = { 1, 64, 100, 2048 };

	for (size_t w = 0; w < sizeof(windows) / sizeof(windows[0]); w++) {
		const u32 window = windows[w], range = 20000;
		struct mvpn_pktid_recv *pr = recv_new(window, 0, 0);
		unsigned char *seen = calloc(range + 1, 1);
		u32 highest = 0, state = 12345 + (u32)w;

		CHECK(pr && seen, "allocation");
		if (!pr || !seen) {
			free(pr);
			free(seen);
			return;
		}
		for (int i = 0; i < 200000; i++) {
			u32 id;
			int want, got;

			/* xorshift32: deterministic; mostly forward, some backtracks */
			state ^= state << 13;
			state ^= state >> 17;
			state ^= state << 5;
			if (state % 4)
				id = highest + state % 5;
			else
				id = highest > window * 2 ? highest - (state >> 8) % (window * 2) : state % 50;
			if (id > range)
				break;
			if (!id)
				want = -EINVAL;
			else if (id > highest)
				want = 0;
			else if (highest - id >= window)
				want = -ERANGE;
			else
				want = seen[id] ? -EALREADY : 0;
			got = mvpn_pktid_recv(pr, id, 0);
			if (got != want) {
				CHECK(got == want, "window %u step %d: id %u (highest %u): got %d want %d",
				      window, i, id, highest, got, want);
				break;
			}
			if (!want) {
				seen[id] = 1;
				if (id > highest)
					highest = id;
			}
		}
		free(pr);
		free(seen);
	}
}

static void xmit_counter(void)
{
	static const struct {
		u32 start;
		int want_err[3];
		u32 want_id[3];
		bool want_notify[3];
	} v[] = {
		{ 0, { 0, 0, 0 }, { 1, 2, 3 }, { false, false, false } },
		{ 0xFEFFFFFEu, { 0, 0, 0 }, { 0xFEFFFFFFu, 0xFF000000u, 0xFF000001u },
		  { false, true, false } },
		{ 0xFFFFFFFDu, { 0, 0, -ERANGE }, { 0xFFFFFFFEu, 0xFFFFFFFFu, 0 },
		  { false, false, true } },
		{ 0xFFFFFFFFu, { -ERANGE, -ERANGE, -ERANGE }, { 0, 0, 0 },
		  { true, false, false } },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct mvpn_pktid_xmit px;

		mvpn_pktid_xmit_init(&px, v[i].start);
		for (int k = 0; k < 3; k++) {
			bool notify = !v[i].want_notify[k];
			u32 id = 12345;
			int err = mvpn_pktid_xmit_next(&px, &id, &notify);

			CHECK(err == v[i].want_err[k] && id == v[i].want_id[k] &&
			      notify == v[i].want_notify[k],
			      "vector %zu call %d: err %d id %#x notify %d", i, k, err, id, notify);
		}
		CHECK(mvpn_pktid_xmit_last(&px) ==
		      (v[i].want_err[2] ? 0xFFFFFFFFu : v[i].want_id[2]),
		      "vector %zu: last %#x", i, mvpn_pktid_xmit_last(&px));
	}
}

static void sizes(void)
{
	CHECK(mvpn_pktid_recv_size(1) == sizeof(struct mvpn_pktid_recv) + 8, "window 1: one word");
	CHECK(mvpn_pktid_recv_size(64) == sizeof(struct mvpn_pktid_recv) + 8, "window 64");
	CHECK(mvpn_pktid_recv_size(65) == sizeof(struct mvpn_pktid_recv) + 16, "window 65");
	CHECK(mvpn_pktid_recv_size(2048) == sizeof(struct mvpn_pktid_recv) + 256, "window 2048");
	CHECK(mvpn_pktid_recv_size(65536) == sizeof(struct mvpn_pktid_recv) + 8192, "window 65536");
}

int main(void)
{
	RUN("pktid", replay_table);
	RUN("pktid", replay_vs_model);
	RUN("pktid", xmit_counter);
	RUN("pktid", sizes);
	CHECK_EXIT();
}
