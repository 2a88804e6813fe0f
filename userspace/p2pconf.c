// SPDX-License-Identifier: BSD-2-Clause
/*
 * p2pconf.c: parsing and checking of `mvpnctl p2p-up` inputs (see p2pconf.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encoding.h"
#include "p2pconf.h"

int mvpn_u32_parse(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int mvpn_p2p_keys_parse(const char *text, size_t len, struct mvpn_p2p_keys *keys,
			char *err, size_t errlen)
{
	uint8_t buf[MVPN_P2P_KEYFILE_LEN + 3];
	long n = b64_decode(text, len, buf, sizeof(buf));

	if (n < 0) {
		explicit_bzero(buf, sizeof(buf));	/* what was decoded before the error */
		snprintf(err, errlen, "not base64, or longer than %d bytes; expected base64 of "
			 "exactly %d bytes (K0[32] T0[8] K1[32] T1[8])",
			 MVPN_P2P_KEYFILE_LEN, MVPN_P2P_KEYFILE_LEN);
		return -1;
	}
	if (n != MVPN_P2P_KEYFILE_LEN) {
		snprintf(err, errlen, "holds %ld bytes; expected exactly %d "
			 "(K0[32] T0[8] K1[32] T1[8], base64)", n, MVPN_P2P_KEYFILE_LEN);
		explicit_bzero(buf, sizeof(buf));
		return -1;
	}
	memcpy(keys->k0, buf, 32);
	memcpy(keys->t0, buf + 32, 8);
	memcpy(keys->k1, buf + 40, 32);
	memcpy(keys->t1, buf + 72, 8);
	explicit_bzero(buf, sizeof(buf));
	return 0;
}

int mvpn_p2p_key_for_dir(const struct mvpn_p2p_keys *keys, int key_dir, uint8_t key_id,
			 enum mvpn_dp_cipher cipher, struct mvpn_dp_key *out,
			 char *err, size_t errlen)
{
	size_t klen = mvpn_dp_cipher_key_len(cipher);
	const uint8_t *ek, *et, *dk, *dt;

	if (!klen) {
		snprintf(err, errlen, "unknown cipher");
		return -1;
	}
	if (key_dir != 0 && key_dir != 1) {
		snprintf(err, errlen, "key direction must be 0 or 1");
		return -1;
	}
	ek = key_dir ? keys->k1 : keys->k0;
	et = key_dir ? keys->t1 : keys->t0;
	dk = key_dir ? keys->k0 : keys->k1;
	dt = key_dir ? keys->t0 : keys->t1;
	memset(out, 0, sizeof(*out));
	out->key_id = key_id;
	out->cipher = cipher;
	memcpy(out->encrypt.key, ek, klen);
	memcpy(out->encrypt.nonce_tail, et, 8);
	memcpy(out->decrypt.key, dk, klen);
	memcpy(out->decrypt.nonce_tail, dt, 8);
	return 0;
}

int mvpn_endpoint_parse(const char *s, int want_port, struct sockaddr_storage *ss,
			socklen_t *sslen, char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *port;
	uint32_t p;
	size_t hlen;

	memset(ss, 0, sizeof(*ss));
	if (!s || !*s)
		goto bad;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			goto bad;
		hlen = (size_t)(close - s - 1);
		port = close + 2;
		if (hlen == 0 || hlen >= sizeof(host))
			goto bad;
		memcpy(host, s + 1, hlen);
		host[hlen] = '\0';
	} else {
		const char *colon = strrchr(s, ':');

		if (!colon || strchr(s, ':') != colon)
			goto bad;
		hlen = (size_t)(colon - s);
		port = colon + 1;
		if (hlen == 0 || hlen >= sizeof(host))
			goto bad;
		memcpy(host, s, hlen);
		host[hlen] = '\0';
	}
	if (mvpn_u32_parse(port, want_port ? 1 : 0, 65535, &p)) {
		snprintf(err, errlen, "'%s': port must be a number %d..65535", s, want_port ? 1 : 0);
		return -1;
	}
	if (s[0] == '[') {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1) {
			snprintf(err, errlen, "'%s': '%s' is not an IPv6 address", s, host);
			return -1;
		}
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)p);
		*sslen = sizeof(*in6);
	} else {
		struct sockaddr_in *in4 = (struct sockaddr_in *)ss;

		if (inet_pton(AF_INET, host, &in4->sin_addr) != 1) {
			snprintf(err, errlen, "'%s': '%s' is not an IPv4 address "
				 "(write IPv6 as [addr]:port)", s, host);
			return -1;
		}
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)p);
		*sslen = sizeof(*in4);
	}
	return 0;
bad:
	snprintf(err, errlen, "'%s': expected ADDR:PORT or [IPV6]:PORT", s ? s : "");
	return -1;
}

int mvpn_cidr_parse(const char *s, struct mvpn_cidr *out, char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *slash = s ? strchr(s, '/') : NULL;
	size_t hlen = slash ? (size_t)(slash - s) : (s ? strlen(s) : 0);
	uint32_t prefix;

	memset(out, 0, sizeof(*out));
	if (!s || hlen == 0 || hlen >= sizeof(host)) {
		snprintf(err, errlen, "'%s': expected ADDR/PREFIX", s ? s : "");
		return -1;
	}
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	if (inet_pton(AF_INET, host, out->addr) == 1) {
		out->family = AF_INET;
		prefix = 32;
	} else if (inet_pton(AF_INET6, host, out->addr) == 1) {
		out->family = AF_INET6;
		prefix = 128;
	} else {
		snprintf(err, errlen, "'%s': '%s' is neither an IPv4 nor an IPv6 address", s, host);
		return -1;
	}
	if (slash && mvpn_u32_parse(slash + 1, 0, prefix, &prefix)) {
		snprintf(err, errlen, "'%s': prefix length must be 0..%u", s,
			 out->family == AF_INET ? 32 : 128);
		return -1;
	}
	out->prefix = prefix;
	return 0;
}

int mvpn_keepalive_parse(const char *s, uint32_t *interval, uint32_t *timeout,
			 char *err, size_t errlen)
{
	char buf[32];
	char *comma;

	if (!s || strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	comma = strchr(buf, ',');
	if (!comma)
		goto bad;
	*comma = '\0';
	if (mvpn_u32_parse(buf, 0, 86400, interval) || mvpn_u32_parse(comma + 1, 0, 86400, timeout))
		goto bad;
	if (*interval && *timeout && *interval >= *timeout) {
		snprintf(err, errlen, "'%s': the interval must be shorter than the timeout", s);
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "'%s': expected INTERVAL,TIMEOUT in seconds (each 0..86400)",
		 s ? s : "");
	return -1;
}
