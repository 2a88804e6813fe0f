// SPDX-License-Identifier: BSD-2-Clause
/*
 * config_lex.c: split a config line into tokens with OpenVPN's rules.
 *
 * The rules (OpenVPN 2.6 options.c parse_line, read as facts):
 *   - tokens are separated by whitespace;
 *   - a `#` or `;` where a token would start begins a comment ("a#b" is one
 *     token, "a #b" is a token and a comment);
 *   - "double quotes" group, and inside them a backslash escapes;
 *   - 'single quotes' group literally: no escapes at all;
 *   - outside single quotes a backslash may only escape a backslash, a
 *     double quote or whitespace; anything else is an error;
 *   - a closing quote ends the token even if a non-space follows;
 *   - an unterminated quote is an error.
 * We differ in two ways, both stricter and both reported: more than 16
 * tokens is an error (OpenVPN drops the rest), and a NUL byte is an error
 * (OpenVPN's fgets() would cut the line there).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "config_int.h"

enum lex_state { LX_INITIAL, LX_UNQUOTED, LX_DQUOTED, LX_SQUOTED };

static bool lex_space(unsigned char c)
{
	return c == '\0' || isspace(c);
}

int cfg_tokenize(const char *line, size_t len, char *store, size_t storelen,
		 char *argv[CFG_MAX_ARGS], char *err, size_t errlen)
{
	enum lex_state st = LX_INITIAL;
	bool backslash = false;
	size_t pos = 0;		/* write position in store */
	size_t start = 0;	/* start of the current token in store */
	int argc = 0;

	if (storelen < len + CFG_MAX_ARGS + 1) {
		snprintf(err, errlen, "internal error: token buffer too small");
		return -1;
	}
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (memchr(line, '\0', len)) {
		snprintf(err, errlen, "line contains a NUL byte");
		return -1;
	}

	/* One extra round with c = '\0' terminates the last token. */
	for (size_t i = 0; i <= len; i++) {
		unsigned char c = i < len ? (unsigned char)line[i] : '\0';
		int out = -1;
		bool done = false;

		if (!backslash && c == '\\' && st != LX_SQUOTED) {
			backslash = true;
			continue;
		}
		switch (st) {
		case LX_INITIAL:
			if (lex_space(c))
				break;
			if (c == '#' || c == ';')
				goto end;	/* comment */
			if (!backslash && c == '"') {
				st = LX_DQUOTED;
			} else if (!backslash && c == '\'') {
				st = LX_SQUOTED;
			} else {
				out = c;
				st = LX_UNQUOTED;
			}
			start = pos;
			if (argc == CFG_MAX_ARGS) {
				snprintf(err, errlen, "too many arguments (at most %d)",
					 CFG_MAX_ARGS - 1);
				return -1;
			}
			break;
		case LX_UNQUOTED:
			if (!backslash && lex_space(c))
				done = true;
			else
				out = c;
			break;
		case LX_DQUOTED:
			if (!backslash && c == '"')
				done = true;
			else if (c != '\0')
				out = c;
			break;
		case LX_SQUOTED:
			if (c == '\'')
				done = true;
			else if (c != '\0')
				out = c;
			break;
		}
		if (backslash && out >= 0 && !(out == '\\' || out == '"' || lex_space((unsigned char)out))) {
			snprintf(err, errlen,
				 "bad backslash escape '\\%c': only \\\\, \\\" and \\<space> are "
				 "allowed (write Windows paths with double backslashes)", out);
			return -1;
		}
		backslash = false;
		if (out > 0)
			store[pos++] = (char)out;
		if (done) {
			store[pos++] = '\0';
			argv[argc++] = store + start;
			st = LX_INITIAL;
		}
	}
end:
	if (st == LX_DQUOTED) {
		snprintf(err, errlen, "no closing quotation mark (\")");
		return -1;
	}
	if (st == LX_SQUOTED) {
		snprintf(err, errlen, "no closing single quotation mark (')");
		return -1;
	}
	if (st == LX_UNQUOTED) {
		/* a comment right after a token ("a#" is one token, so this
		 * cannot happen) or the end: close the token */
		store[pos++] = '\0';
		argv[argc++] = store + start;
	}
	return argc;
}
