/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * log.h: OpenVPN-like log lines ("2026-11-22 00:54:24 message") on stderr,
 * filtered by --verb (OpenVPN's levels: 1 errors/major events, 3 normal,
 * 4 more, 5+ debugging).  Secrets never go to the log at any level.
 */
#ifndef MVPN_LOG_H
#define MVPN_LOG_H

#include <stdbool.h>
#include <stdint.h>

enum {
	LOG_ERR = 1,
	LOG_INFO = 3,
	LOG_VERBOSE = 4,
	LOG_DEBUG = 7,
};

extern int log_verbosity;

void mlog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * A rate limit for one class of log lines that a remote party can trigger
 * at will (dropped packets): at most `burst` lines per `window_ms`, then
 * one line saying how many were suppressed when the next window opens.
 * Pure: the time comes in.  Zero-initialise, then set window_ms and burst.
 */
struct mlog_limit {
	uint64_t window_ms;
	unsigned int burst;
	uint64_t start;		/* of the current window */
	unsigned int n;		/* lines in it */
	unsigned long suppressed;
};

/* May a line of this class be logged at `level` now?  false: count it as
 * suppressed.  Lines below the verbosity are neither logged nor counted. */
bool mlog_limit_ok(struct mlog_limit *l, int level, uint64_t now_ms, const char *what);

#endif
