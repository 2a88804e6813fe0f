// SPDX-License-Identifier: BSD-2-Clause
/*
 * encoding.c: base64 and hex for key files.  Pure: no I/O, no allocation.
 */
#include <ctype.h>

#include "encoding.h"

static int b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

long b64_decode(const char *in, size_t inlen, uint8_t *out, size_t outlen)
{
	uint32_t acc = 0;
	size_t n = 0, pad = 0;
	int bits = 0;

	for (size_t i = 0; i < inlen; i++) {
		int c = (unsigned char)in[i];
		int v;

		if (isspace(c))
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad)	/* data after padding */
			return -1;
		v = b64_value(c);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= outlen)
				return -1;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	/* Leftover bits must be zero padding of a valid final quantum. */
	if (bits >= 6 || pad > 2 || (acc & ((1u << bits) - 1)))
		return -1;
	return (long)n;
}

long b64_encode(const uint8_t *in, size_t len, char *out, size_t outlen)
{
	static const char tbl[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t need = 4 * ((len + 2) / 3) + 1, o = 0;

	if (outlen < need)
		return -1;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		out[o++] = tbl[(v >> 18) & 63];
		out[o++] = tbl[(v >> 12) & 63];
		out[o++] = i + 1 < len ? tbl[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < len ? tbl[v & 63] : '=';
	}
	out[o] = '\0';
	return (long)o;
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

long hex_decode(const char *in, size_t inlen, uint8_t *out, size_t outlen)
{
	size_t n = 0;
	int hi = -1;

	for (size_t i = 0; i < inlen; i++) {
		int c = (unsigned char)in[i], v;

		if (isspace(c))
			continue;
		v = hex_value(c);
		if (v < 0)
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= outlen)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (long)n : -1;
}
