/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * redact.h: keep secrets out of log lines and error messages.
 *
 * Control messages and pushed options are logged for debugging (OpenVPN
 * prints "PUSH: Received control message: '...'" the same way), but some
 * options carry a secret: `auth-token` is a session password the server
 * hands out (and `auth-token-user` the name that goes with it).  Before such text reaches a log line or an error message it
 * goes through redact_control_message().
 */
#ifndef MVPN_REDACT_H
#define MVPN_REDACT_H

#include <stdbool.h>
#include <stddef.h>

#define REDACTED "[REDACTED]"

/* Does this one option ("auth-token XYZ", leading blanks allowed) carry a
 * secret argument (auth-token, auth-token-user)? */
bool redact_is_secret_option(const char *opt, size_t len);

/*
 * Copy msg (len bytes: a control message such as "PUSH_REPLY,opt,opt", or a
 * single option) into out as a NUL-terminated string, with the arguments
 * of every secret option replaced by [REDACTED] and control characters
 * (CR, LF, ESC, ...) by '?'.  Embedded NULs end the copy; a message longer
 * than outlen - 1 is cut.  msg may be NULL when len is 0.  Returns strlen(out).
 */
size_t redact_control_message(const char *msg, size_t len, char *out, size_t outlen);

#endif
