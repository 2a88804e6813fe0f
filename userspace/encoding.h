/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * encoding.h: text encodings of key material (base64 and hex), pure.
 */
#ifndef MVPN_ENCODING_H
#define MVPN_ENCODING_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode base64 text into out.  Whitespace anywhere is ignored; padding is
 * optional at the very end only.  Returns the number of bytes written, or -1
 * when the text is not base64 or does not fit in outlen bytes.
 */
long b64_decode(const char *in, size_t inlen, uint8_t *out, size_t outlen);

/* Encode len bytes as base64 (with padding) into out, NUL-terminated.
 * Needs 4 * ((len + 2) / 3) + 1 bytes; returns the length or -1. */
long b64_encode(const uint8_t *in, size_t len, char *out, size_t outlen);

/* Decode hex text (whitespace ignored, either case). Same returns. */
long hex_decode(const char *in, size_t inlen, uint8_t *out, size_t outlen);

#endif
