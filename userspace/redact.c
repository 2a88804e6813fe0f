// SPDX-License-Identifier: BSD-2-Clause
/*
 * redact.c: secrets out of log lines (API in redact.h).
 */
#include <string.h>

#include "redact.h"

/* Directives whose arguments are secret: the token is a password; the
 * token's user name is kept out too, as OpenVPN does. */
static const char *const secret_options[] = {
	"auth-token",
	"auth-token-user",
};

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

bool redact_is_secret_option(const char *opt, size_t len)
{
	size_t i = 0;

	while (i < len && blank(opt[i]))
		i++;
	for (size_t k = 0; k < sizeof(secret_options) / sizeof(secret_options[0]); k++) {
		size_t n = strlen(secret_options[k]);

		if (len - i >= n && memcmp(opt + i, secret_options[k], n) == 0 &&
		    (len - i == n || blank(opt[i + n])))
			return true;
	}
	return false;
}

/* Append n bytes to out (cap bytes, *used so far), keeping room for the
 * NUL; control characters become '?' so that no text forges a log line. */
static void put(char *out, size_t cap, size_t *used, const char *s, size_t n)
{
	if (*used + 1 >= cap)
		return;
	if (n > cap - 1 - *used)
		n = cap - 1 - *used;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		out[*used + i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	*used += n;
}

size_t redact_control_message(const char *msg, size_t len, char *out, size_t outlen)
{
	const char *nul = msg && len ? memchr(msg, '\0', len) : NULL;
	size_t used = 0, pos = 0;

	if (!outlen)
		return 0;
	if (!msg)
		len = 0;
	if (nul)
		len = (size_t)(nul - msg);
	while (pos < len) {
		const char *comma = memchr(msg + pos, ',', len - pos);
		size_t seg = comma ? (size_t)(comma - (msg + pos)) : len - pos;

		if (redact_is_secret_option(msg + pos, seg)) {
			size_t name = 0, end;

			while (name < seg && blank(msg[pos + name]))
				name++;
			while (name < seg && !blank(msg[pos + name]))
				name++;
			end = name;
			while (end < seg && blank(msg[pos + end]))
				end++;
			put(out, outlen, &used, msg + pos, name);
			if (end < seg) {
				static const char tag[] = " " REDACTED;

				put(out, outlen, &used, tag, sizeof(tag) - 1);
			}
		} else {
			put(out, outlen, &used, msg + pos, seg);
		}
		pos += seg;
		if (comma) {
			put(out, outlen, &used, ",", 1);
			pos++;
		}
	}
	out[used] = '\0';
	return used;
}
