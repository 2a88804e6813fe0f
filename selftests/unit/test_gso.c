// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests for userspace/gso.c: the Internet checksum, TCP segmentation
 * of tun super-packets and coalescing of received segments.  Every packet
 * produced is checked with an independent byte-by-byte checksum written
 * here (RFC 1071 as literally as possible), never with gso.c's own.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "gso.h"

#define F_FIN 0x01
#define F_PSH 0x08
#define F_ACK 0x10
#define F_CWR 0x80

/* RFC 1071, byte by byte: big-endian 16-bit words, odd byte padded. */
static uint32_t naive_sum(uint32_t s, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i += 2)
		s += (uint32_t)p[i] << 8 | (i + 1 < len ? p[i + 1] : 0);
	return s;
}

static uint16_t naive_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static unsigned int be16(const uint8_t *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Does the whole TCP/IP packet verify (IP header and TCP checksum)? */
static int tcp_valid(const uint8_t *p, size_t len)
{
	size_t l4 = p[0] >> 4 == 4 ? (size_t)(p[0] & 15) * 4 : 40;
	uint8_t ph[40];
	size_t phl;
	uint32_t s;

	if (p[0] >> 4 == 4) {
		if (naive_fold(naive_sum(0, p, l4)) != 0xffff || be16(p + 2) != len)
			return 0;
		memcpy(ph, p + 12, 8);
		ph[8] = 0;
		ph[9] = 6;
		ph[10] = (uint8_t)((len - l4) >> 8);
		ph[11] = (uint8_t)(len - l4);
		phl = 12;
	} else {
		if (be16(p + 4) + 40 != len)
			return 0;
		memcpy(ph, p + 8, 32);
		memset(ph + 32, 0, 8);
		ph[34] = (uint8_t)((len - 40) >> 8);
		ph[35] = (uint8_t)(len - 40);
		ph[39] = 6;
		phl = 40;
	}
	s = naive_sum(naive_sum(0, ph, phl), p + l4, len - l4);
	return naive_fold(s) == 0xffff;
}

static uint8_t payload_byte(size_t i)
{
	return (uint8_t)(i * 7 + 3 + (i >> 8));
}

/*
 * A TCP super-packet as tun hands it over: IPv4 (id 0x1234, DF) or IPv6,
 * TCP with the timestamp option (32-byte header), seq 0xfffffc00 (wraps
 * inside the packet), ack 0x01020304, window 0x1000, flags as given, the
 * checksum field holding garbage (the kernel leaves the pseudo-header sum).
 */
static size_t build(uint8_t *b, int v6, size_t plen, uint8_t flags)
{
	size_t l4 = v6 ? 40 : 20, len = l4 + 32 + plen;
	uint8_t *t = b + l4;

	memset(b, 0, l4 + 32);
	if (v6) {
		b[0] = 0x60;
		b[4] = (uint8_t)((len - 40) >> 8);
		b[5] = (uint8_t)(len - 40);
		b[6] = 6;
		b[7] = 64;
		b[8] = 0xfd;
		b[23] = 1;
		b[24] = 0xfd;
		b[39] = 2;
	} else {
		b[0] = 0x45;
		b[2] = (uint8_t)(len >> 8);
		b[3] = (uint8_t)len;
		b[4] = 0x12;
		b[5] = 0x34;
		b[6] = 0x40;
		b[8] = 64;
		b[9] = 6;
		memcpy(b + 12, "\x0a\x08\x00\x02\x0a\x08\x00\x01", 8);
		b[10] = (uint8_t)(~naive_fold(naive_sum(0, b, 20)) >> 8);
		b[11] = (uint8_t)~naive_fold(naive_sum(0, b, 20));
	}
	memcpy(t, "\x9c\x40\x14\x51\xff\xff\xfc\x00\x01\x02\x03\x04\x80", 13);
	t[13] = flags;
	t[14] = 0x10;
	t[16] = 0xde;
	t[17] = 0xad;
	memcpy(t + 20, "\x01\x01\x08\x0a\x00\x00\x00\x2a\x00\x00\x00\x07", 12);
	for (size_t i = 0; i < plen; i++)
		b[l4 + 32 + i] = payload_byte(i);
	return len;
}

static struct mvpn_vnet_hdr tso_hdr(int v6, uint16_t gso_size)
{
	struct mvpn_vnet_hdr h = {
		.flags = MVPN_VNET_F_NEEDS_CSUM,
		.gso_type = (uint8_t)(v6 ? MVPN_VNET_GSO_TCPV6 : MVPN_VNET_GSO_TCPV4),
		.hdr_len = (uint16_t)(v6 ? 72 : 52),
		.gso_size = gso_size,
		.csum_start = (uint16_t)(v6 ? 40 : 20),
		.csum_offset = 16,
	};
	return h;
}

static uint8_t super[70000], segs[64][2048], gbuf[MVPN_VNET_HDR_LEN + 70000];
static size_t seglen[64];

/* Segment super[] into segs[]; returns the count or -errno. */
static int split(const struct mvpn_vnet_hdr *h, size_t len)
{
	struct mvpn_gso g;
	int n = mvpn_gso_init(&g, h, super, len);

	for (int i = 0; i < n && i < 64; i++) {
		const uint8_t *pl;
		size_t plen, hl = mvpn_gso_seg(&g, (unsigned int)i, segs[i], &pl, &plen);

		memcpy(segs[i] + hl, pl, plen);
		seglen[i] = hl + plen;
	}
	return n;
}

static void test_csum_known_answers(void)
{
	/* The IPv4 header example with its well-known checksum 0xb861. */
	static const uint8_t ip[20] = { 0x45, 0, 0, 0x73, 0, 0, 0x40, 0, 0x40, 0x11, 0, 0,
					0xc0, 0xa8, 0, 1, 0xc0, 0xa8, 0, 0xc7 };
	static uint8_t buf[600];

	CHECK(mvpn_csum_fold(mvpn_csum_add(0, ip, 20)) == (uint16_t)~0xb861u, "header checksum");
	CHECK(mvpn_csum_fold(mvpn_csum_add(0, (const uint8_t *)"\x01\x02\x03", 3)) == 0x0402,
	      "odd length pads with a zero byte");
	CHECK(mvpn_csum_fold(mvpn_csum_add(0, buf, 0)) == 0, "empty");
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(0xff - i * 13);
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; len + off <= 520; len += 1 + len / 16) {
			uint16_t a = mvpn_csum_fold(mvpn_csum_add(0x1234, buf + off, len));
			uint16_t b = naive_fold(naive_sum(0x1234, buf + off, len));

			CHECK(a == b || (a == 0xffff && b == 0) || (a == 0 && b == 0xffff),
			      "offset %zu length %zu: %#x, independently %#x", off, len, a, b);
		}
}

/* Segmentation against what tcp_gso_segment() makes, IPv4 and IPv6. */
static void test_gso_segments(void)
{
	static const struct {
		int v6;
		size_t plen;
		uint16_t gso;
		uint8_t flags;
		int nseg;
	} cases[] = {
		{ 0, 3500, 1000, F_ACK | F_PSH | F_FIN | F_CWR, 4 },
		{ 1, 3500, 1000, F_ACK | F_PSH | F_FIN | F_CWR, 4 },
		{ 0, 4000, 1000, F_ACK | F_PSH, 4 },	/* exact multiple */
		{ 0, 1001, 1000, F_ACK, 2 },		/* one byte left */
		{ 1, 999, 1000, F_ACK | F_PSH, 1 },	/* fits in one */
		{ 0, 63 * 1001, 1001, F_ACK, 63 },	/* odd size: odd offsets in the payload */
		{ 1, 1387 * 40 + 5, 1387, F_ACK | F_PSH, 41 },
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct mvpn_vnet_hdr h = tso_hdr(cases[c].v6, cases[c].gso);
		size_t len = build(super, cases[c].v6, cases[c].plen, cases[c].flags);
		size_t l4 = cases[c].v6 ? 40 : 20, hl = l4 + 32, got = 0;
		int n = split(&h, len);

		CHECK(n == cases[c].nseg, "case %zu: %d segments, want %d", c, n, cases[c].nseg);
		for (int i = 0; i < n && i < 64; i++) {
			const uint8_t *t = segs[i] + l4;
			size_t pl = seglen[i] - hl;
			uint8_t want = cases[c].flags;

			if (i + 1 < n)
				want &= (uint8_t)~(F_FIN | F_PSH);
			if (i > 0)
				want &= (uint8_t)~F_CWR;
			CHECK(tcp_valid(segs[i], seglen[i]), "case %zu segment %d: checksums", c, i);
			CHECK(pl == (i + 1 < n ? cases[c].gso : cases[c].plen - got),
			      "case %zu segment %d: %zu payload bytes", c, i, pl);
			CHECK(be32(t + 4) == 0xfffffc00u + (uint32_t)got, "case %zu segment %d: seq %#x",
			      c, i, be32(t + 4));
			CHECK(t[13] == want, "case %zu segment %d: flags %#x want %#x", c, i, t[13], want);
			if (!cases[c].v6)
				CHECK(be16(segs[i] + 4) == 0x1234u + (unsigned int)i,
				      "case %zu segment %d: IPv4 id %#x", c, i, be16(segs[i] + 4));
			CHECK_MEM(t + 20, super + l4 + 20, 12, "TCP options");
			CHECK(memcmp(segs[i] + hl, super + hl + got, pl) == 0,
			      "case %zu segment %d: payload", c, i);
			got += pl;
		}
		CHECK(got == cases[c].plen, "case %zu: %zu payload bytes in all", c, got);
	}
}

/* Without GSO: a pending checksum is completed, anything else passes as is. */
static void test_gso_single(void)
{
	struct mvpn_vnet_hdr none = { 0 }, part = tso_hdr(0, 0);
	size_t len = build(super, 0, 300, F_ACK | F_PSH);
	struct mvpn_gso g;
	const uint8_t *pl;
	size_t plen, hl;
	uint8_t hdr[MVPN_GSO_HDR_MAX], pkt[400];
	uint32_t ps;

	CHECK(mvpn_gso_init(&g, &none, super, len) == 1, "plain packet");
	CHECK(mvpn_gso_seg(&g, 0, hdr, &pl, &plen) == 0 && pl == super && plen == len,
	      "passes whole");

	/* CHECKSUM_PARTIAL as the kernel leaves it: the pseudo-header sum. */
	part.gso_type = MVPN_VNET_GSO_NONE;
	ps = naive_sum(naive_sum(0, super + 12, 8), (const uint8_t *)"\x00\x06", 2) +
	     (uint32_t)(len - 20);
	super[36] = (uint8_t)(naive_fold(ps) >> 8);
	super[37] = (uint8_t)naive_fold(ps);
	CHECK(mvpn_gso_init(&g, &part, super, len) == 1, "partial checksum");
	hl = mvpn_gso_seg(&g, 0, hdr, &pl, &plen);
	CHECK(hl == 38 && hl + plen == len, "header %zu + %zu", hl, plen);
	memcpy(pkt, hdr, hl);
	memcpy(pkt + hl, pl, plen);
	CHECK(tcp_valid(pkt, len), "completed checksum verifies");
}

static void test_gso_rejects(void)
{
	static const struct {
		const char *what;
		int v6;
		uint8_t gso_type;
		uint16_t gso_size;
		int mutate;	/* byte to change, then value */
		uint8_t val;
		size_t cut;	/* bytes removed from the end */
		int err;
	} cases[] = {
		{ "gso_size 0", 0, MVPN_VNET_GSO_TCPV4, 0, -1, 0, 0, -EINVAL },
		{ "IPv6 packet as TCPV4", 1, MVPN_VNET_GSO_TCPV4, 1000, -1, 0, 0, -EINVAL },
		{ "IPv4 packet as TCPV6", 0, MVPN_VNET_GSO_TCPV6, 1000, -1, 0, 0, -EINVAL },
		{ "UDP GSO", 0, MVPN_VNET_GSO_UDP, 1000, -1, 0, 0, -EPROTONOSUPPORT },
		{ "unknown GSO type", 0, 9, 1000, -1, 0, 0, -EPROTONOSUPPORT },
		{ "IPv4 not TCP", 0, MVPN_VNET_GSO_TCPV4, 1000, 9, 17, 0, -EINVAL },
		{ "IPv4 fragment", 0, MVPN_VNET_GSO_TCPV4, 1000, 6, 0x20, 0, -EINVAL },
		{ "IPv4 header length 16", 0, MVPN_VNET_GSO_TCPV4, 1000, 0, 0x44, 0, -EINVAL },
		{ "IPv6 extension header", 1, MVPN_VNET_GSO_TCPV6, 1000, 6, 0, 0, -EPROTONOSUPPORT },
		{ "TCP data offset 4", 0, MVPN_VNET_GSO_TCPV4, 1000, 32, 0x40, 0, -EINVAL },
		{ "TCP header past the end", 0, MVPN_VNET_GSO_TCPV4, 1000, 32, 0xf0, 3001, -EINVAL },
		{ "truncated", 0, MVPN_VNET_GSO_TCPV4, 1000, -1, 0, 3000 + 30, -EINVAL },
	};
	struct mvpn_gso g;
	struct mvpn_vnet_hdr csum = { .flags = MVPN_VNET_F_NEEDS_CSUM, .csum_start = 20,
				      .csum_offset = 16 };

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct mvpn_vnet_hdr h = tso_hdr(cases[c].v6, cases[c].gso_size);
		size_t len = build(super, cases[c].v6, 3000, F_ACK);
		int r;

		h.gso_type = cases[c].gso_type;
		if (cases[c].mutate >= 0)
			super[cases[c].mutate] = cases[c].val;
		r = mvpn_gso_init(&g, &h, super, len - cases[c].cut);
		CHECK(r == cases[c].err, "%s: %d, want %d", cases[c].what, r, cases[c].err);
	}
	CHECK(mvpn_gso_init(&g, &csum, super, 37) == -EINVAL, "checksum field past the end");
	csum.csum_offset = 17;
	CHECK(mvpn_gso_init(&g, &csum, super, 100) == -EINVAL, "odd checksum offset");
	csum.csum_offset = 16;
	csum.csum_start = 500;
	CHECK(mvpn_gso_init(&g, &csum, super, 1000) == -EPROTONOSUPPORT, "checksum field too deep");
	CHECK(mvpn_gso_init(&g, &csum, super, 0) == -EINVAL, "empty packet");
}

/* Segments coalesce back into the super-packet, and that splits again the same. */
static void test_gro_roundtrip(void)
{
	for (int v6 = 0; v6 <= 1; v6++) {
		struct mvpn_vnet_hdr h = tso_hdr(v6, 1000), gh;
		size_t len = build(super, v6, 9500, F_ACK | F_PSH), l4 = v6 ? 40 : 20, n;
		static uint8_t first[64][2048];
		size_t firstlen[64];
		struct mvpn_gro r;
		int nseg = split(&h, len);
		uint8_t *q = gbuf + MVPN_VNET_HDR_LEN;
		uint16_t c;

		CHECK(nseg == 10, "v6=%d: %d segments", v6, nseg);
		memcpy(first, segs, sizeof(first));
		memcpy(firstlen, seglen, sizeof(firstlen));
		mvpn_gro_init(&r, gbuf, sizeof(gbuf));
		for (int i = 0; i < nseg; i++)
			CHECK(mvpn_gro_add(&r, first[i], seglen[i]), "v6=%d: segment %d taken", v6, i);
		n = mvpn_gro_finish(&r);
		CHECK(n == MVPN_VNET_HDR_LEN + len, "v6=%d: %zu bytes", v6, n);
		mvpn_vnet_hdr_get(gbuf, &gh);
		CHECK(gh.flags == MVPN_VNET_F_NEEDS_CSUM && gh.gso_size == 1000 &&
		      gh.gso_type == (v6 ? MVPN_VNET_GSO_TCPV6 : MVPN_VNET_GSO_TCPV4) &&
		      gh.hdr_len == l4 + 32 && gh.csum_start == l4 && gh.csum_offset == 16,
		      "v6=%d: vnet header", v6);
		CHECK(memcmp(q + l4 + 32, super + l4 + 32, 9500) == 0, "v6=%d: payload", v6);
		CHECK((q[l4 + 13] & F_PSH) != 0, "v6=%d: PSH of the last segment kept", v6);
		CHECK(be32(q + l4 + 4) == 0xfffffc00u, "v6=%d: first seq", v6);
		/* Complete the partial checksum as the kernel would, then verify. */
		c = (uint16_t)~naive_fold(naive_sum(0, q + l4, len - l4));
		{
			static uint8_t done[70000];

			memcpy(done, q, len);
			done[l4 + 16] = (uint8_t)(c >> 8);
			done[l4 + 17] = (uint8_t)c;
			CHECK(tcp_valid(done, len), "v6=%d: coalesced packet verifies", v6);
		}
		/* Split the coalesced packet again: the same segments. */
		memcpy(super, q, len);
		CHECK(split(&gh, len) == nseg, "v6=%d: resplit", v6);
		for (int i = 0; i < nseg; i++)
			CHECK(seglen[i] == firstlen[i] && memcmp(segs[i], first[i], seglen[i]) == 0,
			      "v6=%d: segment %d differs after the round trip", v6, i);
	}
}

static void test_gro_refuses(void)
{
	static const struct {
		const char *what;
		int off;	/* byte of the second segment to change (IPv4 offsets) */
		uint8_t xor;
	} cases[] = {
		{ "other source port", 21, 1 },
		{ "other destination address", 19, 1 },
		{ "sequence gap", 27, 1 },
		{ "other ack", 31, 1 },
		{ "other window", 35, 1 },
		{ "other TCP option", 50, 1 },
		{ "other TTL", 8, 1 },
		{ "other TOS", 1, 4 },
		{ "SYN", 33, 0x02 },
		{ "FIN", 33, 0x01 },
		{ "ECE", 33, 0x40 },
	};
	struct mvpn_vnet_hdr h = tso_hdr(0, 1000), gh;
	size_t len = build(super, 0, 3000, F_ACK);
	static uint8_t a[2048], b[2048];
	struct mvpn_gro r;
	size_t n;

	CHECK(split(&h, len) == 3, "3 segments");
	memcpy(a, segs[0], seglen[0]);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		memcpy(b, segs[1], seglen[1]);
		b[cases[c].off] ^= cases[c].xor;
		mvpn_gro_init(&r, gbuf, sizeof(gbuf));
		CHECK(mvpn_gro_add(&r, a, seglen[0]), "%s: first taken", cases[c].what);
		CHECK(!mvpn_gro_add(&r, b, seglen[1]), "%s: appended", cases[c].what);
		n = mvpn_gro_finish(&r);
		mvpn_vnet_hdr_get(gbuf, &gh);
		CHECK(n == MVPN_VNET_HDR_LEN + seglen[0] && gh.flags == MVPN_VNET_F_DATA_VALID &&
		      gh.gso_type == MVPN_VNET_GSO_NONE, "%s: the first alone", cases[c].what);
		CHECK(memcmp(gbuf + MVPN_VNET_HDR_LEN, a, seglen[0]) == 0,
		      "%s: the first unchanged", cases[c].what);
	}

	/* A short segment ends the run; so does PSH. */
	h = tso_hdr(0, 1000);
	len = build(super, 0, 2500, F_ACK);
	CHECK(split(&h, len) == 3, "3 segments");
	memcpy(a, segs[2], seglen[2]);
	mvpn_gro_init(&r, gbuf, sizeof(gbuf));
	CHECK(mvpn_gro_add(&r, segs[0], seglen[0]) && mvpn_gro_add(&r, segs[1], seglen[1]) &&
	      mvpn_gro_add(&r, a, seglen[2]), "1000 + 1000 + 500");
	build(super, 0, 1000, F_ACK);
	CHECK(!mvpn_gro_add(&r, segs[0], seglen[0]), "nothing after a short segment");
	CHECK(mvpn_gro_finish(&r) == MVPN_VNET_HDR_LEN + 52 + 2500, "2500 bytes coalesced");
	CHECK(mvpn_gro_finish(&r) == 0, "empty after finish");

	/* Not TCP: taken alone, nothing joins it. */
	memcpy(a, segs[0], seglen[0]);
	a[9] = 17;
	mvpn_gro_init(&r, gbuf, sizeof(gbuf));
	CHECK(mvpn_gro_add(&r, a, seglen[0]), "UDP taken alone");
	CHECK(!mvpn_gro_add(&r, a, seglen[0]), "nothing joins UDP");
	mvpn_gro_finish(&r);
	CHECK(!mvpn_gro_add(&r, a, 0), "an empty packet is refused");
	mvpn_gro_init(&r, gbuf, 100);
	CHECK(!mvpn_gro_add(&r, a, 91), "larger than the buffer");
	CHECK(mvpn_gro_add(&r, a, 90), "exactly the buffer");
}

int main(void)
{
	RUN("gso", test_csum_known_answers);
	RUN("gso", test_gso_segments);
	RUN("gso", test_gso_single);
	RUN("gso", test_gso_rejects);
	RUN("gso", test_gro_roundtrip);
	RUN("gso", test_gro_refuses);
	CHECK_EXIT();
}
