/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * check.h: the unit-test harness.  Each test function is one result line:
 *
 *     ok - <suite>: <test>
 *     not ok - <suite>: <test>
 *       # file.c:123: CHECK(x == y) failed: <message>
 *
 * scripts/run-tests counts these lines.  A binary exits non-zero when any
 * test failed.
 */
#ifndef MVPN_CHECK_H
#define MVPN_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failed_tests;
static int check_cur_failed;
static char check_msgs[8192];
static size_t check_msgs_len;

#define CHECK_NOTE(...)                                                         \
	do {                                                                    \
		if (check_msgs_len < sizeof(check_msgs))                        \
			check_msgs_len += (size_t)snprintf(                     \
				check_msgs + check_msgs_len,                    \
				sizeof(check_msgs) - check_msgs_len, __VA_ARGS__); \
	} while (0)

/* CHECK(cond, fmt, ...): record a failure with context, keep going. */
#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		if (!(cond)) {                                                  \
			check_cur_failed = 1;                                   \
			CHECK_NOTE("  # %s:%d: CHECK(%s) failed: ", __FILE__,    \
				   __LINE__, #cond);                            \
			CHECK_NOTE(__VA_ARGS__);                                \
			CHECK_NOTE("\n");                                       \
		}                                                               \
	} while (0)

#define CHECK_MEM(a, b, len, what)                                              \
	CHECK(memcmp((a), (b), (len)) == 0, "%s differs", (what))

static inline void check_run(const char *suite, const char *name, void (*fn)(void))
{
	check_cur_failed = 0;
	check_msgs_len = 0;
	check_msgs[0] = '\0';
	fn();
	printf("%s - %s: %s\n", check_cur_failed ? "not ok" : "ok", suite, name);
	if (check_cur_failed) {
		fputs(check_msgs, stdout);
		/* a full buffer was cut mid-line: keep the next result on its own line */
		if (check_msgs_len >= sizeof(check_msgs))
			fputs("\n", stdout);
		check_failed_tests++;
	}
	fflush(stdout);
}

#define RUN(suite, fn) check_run(suite, #fn, fn)
#define CHECK_EXIT() return check_failed_tests ? 1 : 0

#endif
