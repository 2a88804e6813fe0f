// SPDX-License-Identifier: BSD-2-Clause
/*
 * log.c: timestamped log lines, as OpenVPN prints them when not under
 * systemd, so that scripts watching for "Initialization Sequence Completed"
 * keep working.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

int log_verbosity = 3;

void mlog(int level, const char *fmt, ...)
{
	char ts[32];
	struct tm tm;
	time_t now;
	va_list ap;

	if (level > log_verbosity)
		return;
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(stderr, "%s ", ts);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

bool mlog_limit_ok(struct mlog_limit *l, int level, uint64_t now_ms, const char *what)
{
	if (level > log_verbosity)
		return false;
	if (!l->n || now_ms < l->start || now_ms - l->start >= l->window_ms) {
		if (l->suppressed)
			mlog(level, "%lu more %s not logged in the last %llu s", l->suppressed, what,
			     (unsigned long long)(now_ms > l->start ? (now_ms - l->start) / 1000 : 0));
		l->start = now_ms;
		l->n = 0;
		l->suppressed = 0;
	}
	if (l->n < l->burst) {
		l->n++;
		return true;
	}
	l->suppressed++;
	return false;
}
