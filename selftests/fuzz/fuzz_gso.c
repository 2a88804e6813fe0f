// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target: userspace/gso.c, as tun and the peer could feed it.
 *
 * The input is a 10-byte virtio_net_hdr followed by a packet.  It is
 * segmented (mvpn_gso_init/seg); every TCP segment produced must carry
 * correct IP and TCP checksums (checked here byte by byte, independently)
 * and the payloads must add up to the packet's.  The segments are then
 * coalesced (mvpn_gro_add/finish) into a bounded buffer: whatever comes
 * out must fit it and, when one run took them all, carry the same payload.
 * The raw packet also goes through the coalescer on its own (hostile
 * decrypted packets from a peer).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gso.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t sum16(uint32_t s, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i += 2)
		s += (uint32_t)p[i] << 8 | (i + 1 < len ? p[i + 1] : 0);
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static void check_tcp(const uint8_t *p, size_t len, size_t l4, int v6)
{
	uint32_t s;

	if (v6) {
		s = sum16(0, p + 8, 32) + (uint32_t)(len - l4) + 6;
	} else {
		if (fold(sum16(0, p, l4)) != 0xffff)
			abort();
		s = sum16(0, p + 12, 8) + (uint32_t)(len - l4) + 6;
	}
	if (fold(sum16(s, p + l4, len - l4)) != 0xffff)
		abort();
}

static uint8_t seg[70000], gbuf[MVPN_VNET_HDR_LEN + 70000];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mvpn_vnet_hdr h;
	struct mvpn_gso g;
	struct mvpn_gro r;
	const uint8_t *pkt;
	size_t len, total = 0, coalesced = 0, out;
	unsigned int runs = 0;
	int n;

	if (size < MVPN_VNET_HDR_LEN)
		return 0;
	mvpn_vnet_hdr_get(data, &h);
	pkt = data + MVPN_VNET_HDR_LEN;
	len = size - MVPN_VNET_HDR_LEN;

	mvpn_gro_init(&r, gbuf, sizeof(gbuf));
	mvpn_gro_add(&r, pkt, len);
	if (mvpn_gro_finish(&r) > sizeof(gbuf))
		abort();

	n = mvpn_gso_init(&g, &h, pkt, len);
	if (n <= 0 || n > 4096)
		return 0;
	mvpn_gro_init(&r, gbuf, sizeof(gbuf));
	for (unsigned int i = 0; i < (unsigned int)n; i++) {
		const uint8_t *pl;
		size_t plen, hl = mvpn_gso_seg(&g, i, seg, &pl, &plen);

		if (hl > MVPN_GSO_HDR_MAX || pl < pkt || pl + plen > pkt + len)
			abort();
		memcpy(seg + hl, pl, plen);
		total += plen;
		if (g.tcp_gso) {
			check_tcp(seg, hl + plen, g.l4_off, g.v6);
			if (plen > g.gso_size)
				abort();
		}
		if (!mvpn_gro_add(&r, seg, hl + plen)) {
			out = mvpn_gro_finish(&r);
			if (out > sizeof(gbuf))
				abort();
			runs++;
			if (!mvpn_gro_add(&r, seg, hl + plen))
				abort();	/* an empty buffer takes any packet this size */
		}
	}
	if (g.tcp_gso && total != len - g.hdr_len)
		abort();
	coalesced = r.len;
	out = mvpn_gro_finish(&r);
	if (out != (coalesced ? MVPN_VNET_HDR_LEN + coalesced : 0) || out > sizeof(gbuf))
		abort();
	/* One run took every segment: the super-packet's payload came back. */
	if (g.tcp_gso && !runs && n > 1 &&
	    memcmp(gbuf + MVPN_VNET_HDR_LEN + g.hdr_len, pkt + g.hdr_len, len - g.hdr_len))
		abort();
	return 0;
}
