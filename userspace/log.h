/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * log.h: OpenVPN-like log lines ("2026-11-22 00:54:24 message") on stderr,
 * filtered by --verb (OpenVPN's levels: 1 errors/major events, 3 normal,
 * 4 more, 5+ debugging).  Secrets never go to the log at any level.
 */
#ifndef MVPN_LOG_H
#define MVPN_LOG_H

enum {
	LOG_ERR = 1,
	LOG_INFO = 3,
	LOG_VERBOSE = 4,
	LOG_DEBUG = 7,
};

extern int log_verbosity;

void mlog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
