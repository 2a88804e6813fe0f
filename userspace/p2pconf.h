/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * p2pconf.h: the inputs of `mvpnctl p2p-up`, parsed and checked (pure: the
 * caller reads files and passes their text).  Each parser returns 0, or -1
 * with one line in err that says what is wrong and what was expected.
 *
 * Key file: text, base64 (whitespace ignored) of exactly 80 bytes
 *     K0[32] ‖ T0[8] ‖ K1[32] ‖ T1[8]
 * key-dir 0 encrypts with K0/T0 and decrypts with K1/T1; key-dir 1 the
 * reverse.  AES-128-GCM uses the first 16 bytes of each key field.
 */
#ifndef MVPN_P2PCONF_H
#define MVPN_P2PCONF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "dataplane.h"

#define MVPN_P2P_KEYFILE_LEN 80

struct mvpn_p2p_keys {
	uint8_t k0[32], t0[8], k1[32], t1[8];
};

int mvpn_p2p_keys_parse(const char *text, size_t len, struct mvpn_p2p_keys *keys,
			char *err, size_t errlen);

/* The key for one side: key_id, cipher, and the directions by key_dir (0/1). */
int mvpn_p2p_key_for_dir(const struct mvpn_p2p_keys *keys, int key_dir, uint8_t key_id,
			 enum mvpn_dp_cipher cipher, struct mvpn_dp_key *out,
			 char *err, size_t errlen);

/* "a.b.c.d:port" or "[v6addr]:port" (port 0..65535; want_port: 1..65535). */
int mvpn_endpoint_parse(const char *s, int want_port, struct sockaddr_storage *ss,
			socklen_t *sslen, char *err, size_t errlen);

/* "addr/prefix" or "addr" (a host prefix), IPv4 or IPv6. */
struct mvpn_cidr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* 4 or 16 bytes used */
	unsigned int prefix;
};

int mvpn_cidr_parse(const char *s, struct mvpn_cidr *out, char *err, size_t errlen);

/* "INTERVAL,TIMEOUT" in seconds, each 0..86400, interval < timeout unless 0. */
int mvpn_keepalive_parse(const char *s, uint32_t *interval, uint32_t *timeout,
			 char *err, size_t errlen);

/* A decimal number in [min, max] (no sign, no junk). */
int mvpn_u32_parse(const char *s, uint32_t min, uint32_t max, uint32_t *out);

#endif
