// SPDX-License-Identifier: BSD-2-Clause
/*
 * gso.c: TCP segmentation (tun TX) and coalescing (tun RX) for the
 * userspace data plane; API and rules in gso.h.
 *
 * Segmentation follows what the kernel's tcp_gso_segment() produces: each
 * segment carries the super-packet's headers with its own IP length, the
 * IPv4 id incremented per segment (RFC 6864 allows either; Linux
 * increments), the sequence number advanced by gso_size per segment, FIN
 * and PSH only on the last segment, CWR only on the first, and a full TCP
 * checksum over the pseudo-header (RFC 9293 3.1, RFC 8200 8.1).
 */
#include <errno.h>
#include <string.h>

#include "gso.h"

#define TCP_F_FIN	0x01
#define TCP_F_PSH	0x08
#define TCP_F_ACK	0x10
#define TCP_F_CWR	0x80
#define IPPROTO_TCP_NUM	6

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t getle16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void putle16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void mvpn_vnet_hdr_get(const uint8_t *p, struct mvpn_vnet_hdr *h)
{
	h->flags = p[0];
	h->gso_type = p[1];
	h->hdr_len = getle16(p + 2);
	h->gso_size = getle16(p + 4);
	h->csum_start = getle16(p + 6);
	h->csum_offset = getle16(p + 8);
}

void mvpn_vnet_hdr_put(uint8_t *p, const struct mvpn_vnet_hdr *h)
{
	p[0] = h->flags;
	p[1] = h->gso_type;
	putle16(p + 2, h->hdr_len);
	putle16(p + 4, h->gso_size);
	putle16(p + 6, h->csum_start);
	putle16(p + 8, h->csum_offset);
}

uint16_t mvpn_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * The one's complement sum is independent of byte order (RFC 1071 2(B)):
 * add native words, fold, and swap once at the end on a little-endian host.
 */
uint32_t mvpn_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t acc = 0;
	size_t i = 0;
	uint16_t v16;

	for (; i + 8 <= len; i += 8) {
		uint64_t v;

		memcpy(&v, p + i, 8);
		acc += (v & 0xffffffffu) + (v >> 32);
	}
	for (; i + 2 <= len; i += 2) {
		uint16_t v;

		memcpy(&v, p + i, 2);
		acc += v;
	}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (i < len)
		acc += p[i];
#else
	if (i < len)
		acc += (uint32_t)p[i] << 8;
#endif
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	v16 = (uint16_t)acc;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v16 = (uint16_t)(v16 >> 8 | v16 << 8);
#endif
	return mvpn_csum_fold(sum + v16);
}

/* Pseudo-header sum for TCP over IPv4 or IPv6 (ip is the IP header). */
static uint32_t pseudo_sum(const uint8_t *ip, bool v6, size_t l4_len)
{
	uint32_t s;

	if (v6)
		s = mvpn_csum_add(0, ip + 8, 32) + (uint32_t)(l4_len >> 16) +
		    (uint32_t)(l4_len & 0xffff);
	else
		s = mvpn_csum_add(0, ip + 12, 8) + (uint32_t)l4_len;
	return mvpn_csum_fold(s + IPPROTO_TCP_NUM);
}

static void ipv4_csum(uint8_t *ip, size_t ihl)
{
	put16(ip + 10, 0);
	put16(ip + 10, (uint16_t)~mvpn_csum_fold(mvpn_csum_add(0, ip, ihl)));
}

int mvpn_gso_init(struct mvpn_gso *g, const struct mvpn_vnet_hdr *h, const uint8_t *pkt,
		  size_t len)
{
	unsigned int type = h->gso_type & (unsigned int)~MVPN_VNET_GSO_ECN;
	size_t l4, thl, payload;

	memset(g, 0, sizeof(*g));
	g->pkt = pkt;
	g->len = len;
	g->nseg = 1;
	if (!len)
		return -EINVAL;
	if (type == MVPN_VNET_GSO_NONE) {
		size_t at = (size_t)h->csum_start + h->csum_offset;

		if (!(h->flags & MVPN_VNET_F_NEEDS_CSUM))
			return 1;
		if (at + 2 > len || h->csum_offset & 1)
			return -EINVAL;
		if (at + 2 > MVPN_GSO_HDR_MAX)
			return -EPROTONOSUPPORT;
		g->l4_off = h->csum_start;
		g->csum_at = at;
		g->hdr_len = at + 2;
		return 1;
	}
	if (type != MVPN_VNET_GSO_TCPV4 && type != MVPN_VNET_GSO_TCPV6)
		return -EPROTONOSUPPORT;
	if (!h->gso_size)
		return -EINVAL;
	if (type == MVPN_VNET_GSO_TCPV4) {
		if (len < 20 || pkt[0] >> 4 != 4)
			return -EINVAL;
		l4 = (size_t)(pkt[0] & 15) * 4;
		if (l4 < 20 || pkt[9] != IPPROTO_TCP_NUM || get16(pkt + 6) & 0x3fff)
			return -EINVAL;
	} else {
		if (len < 40 || pkt[0] >> 4 != 6)
			return -EINVAL;
		if (pkt[6] != IPPROTO_TCP_NUM)
			return -EPROTONOSUPPORT;	/* extension headers */
		l4 = 40;
		g->v6 = true;
	}
	if (len < l4 + 20)
		return -EINVAL;
	thl = (size_t)(pkt[l4 + 12] >> 4) * 4;
	if (thl < 20 || len < l4 + thl)
		return -EINVAL;
	payload = len - l4 - thl;
	/* Both IP length fields are 16 bits: a segment must fit them. */
	if (l4 + thl + (payload < h->gso_size ? payload : h->gso_size) > 0xffff)
		return -EINVAL;
	g->l4_off = l4;
	g->hdr_len = l4 + thl;
	g->gso_size = h->gso_size;
	g->tcp_gso = true;
	g->nseg = payload ? (unsigned int)((payload + h->gso_size - 1) / h->gso_size) : 1;
	return (int)g->nseg;
}

size_t mvpn_gso_seg(const struct mvpn_gso *g, unsigned int i, uint8_t *hdr,
		    const uint8_t **payload, size_t *plen)
{
	size_t hl = g->hdr_len, l4 = g->l4_off, off, pl, rest;
	uint8_t *th, fl;
	uint16_t c;
	uint32_t sum;

	if (!g->tcp_gso) {
		if (!hl) {
			*payload = g->pkt;
			*plen = g->len;
			return 0;
		}
		memcpy(hdr, g->pkt, hl);
		/* The field holds the pseudo-header sum already (CHECKSUM_PARTIAL). */
		c = (uint16_t)~mvpn_csum_fold(mvpn_csum_add(0, g->pkt + l4, g->len - l4));
		put16(hdr + g->csum_at, c ? c : 0xffff);	/* 0 means "none" for UDP */
		*payload = g->pkt + hl;
		*plen = g->len - hl;
		return hl;
	}
	off = (size_t)i * g->gso_size;
	rest = g->len - hl;
	pl = off >= rest ? 0 : rest - off < g->gso_size ? rest - off : g->gso_size;
	memcpy(hdr, g->pkt, hl);
	if (g->v6) {
		put16(hdr + 4, (uint16_t)(hl - 40 + pl));
	} else {
		put16(hdr + 2, (uint16_t)(hl + pl));
		put16(hdr + 4, (uint16_t)(get16(g->pkt + 4) + i));
		ipv4_csum(hdr, l4);
	}
	th = hdr + l4;
	put32(th + 4, get32(g->pkt + l4 + 4) + (uint32_t)off);
	fl = th[13];
	if (i + 1 < g->nseg)
		fl &= (uint8_t)~(TCP_F_FIN | TCP_F_PSH);
	if (i > 0)
		fl &= (uint8_t)~TCP_F_CWR;
	th[13] = fl;
	put16(th + 16, 0);
	sum = pseudo_sum(hdr, g->v6, hl - l4 + pl);
	sum = mvpn_csum_add(sum, th, hl - l4);
	sum = mvpn_csum_add(sum, g->pkt + hl + off, pl);
	put16(th + 16, (uint16_t)~mvpn_csum_fold(sum));
	*payload = g->pkt + hl + off;
	*plen = pl;
	return hl;
}

void mvpn_gro_init(struct mvpn_gro *r, uint8_t *buf, size_t cap)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->cap = cap;
}

/*
 * A TCP segment that may be part of a run: plain IPv4 (no options, not a
 * fragment) or IPv6 without extension headers, lengths exact, flags ACK or
 * ACK|PSH, some payload.
 */
static bool gro_tcp(const uint8_t *p, size_t len, size_t *l4, size_t *hl)
{
	size_t thl;
	uint8_t fl;

	if (len >= 40 && p[0] == 0x45) {
		if (get16(p + 2) != len || p[9] != IPPROTO_TCP_NUM || get16(p + 6) & 0x3fff)
			return false;
		*l4 = 20;
	} else if (len >= 60 && p[0] >> 4 == 6) {
		if ((size_t)get16(p + 4) + 40 != len || p[6] != IPPROTO_TCP_NUM)
			return false;
		*l4 = 40;
	} else {
		return false;
	}
	thl = (size_t)(p[*l4 + 12] >> 4) * 4;
	if (thl < 20 || *l4 + thl >= len)
		return false;
	fl = p[*l4 + 13];
	if (fl != TCP_F_ACK && fl != (TCP_F_ACK | TCP_F_PSH))
		return false;
	*hl = *l4 + thl;
	return true;
}

/* Same flow, same headers but for what segmentation changes. */
static bool gro_same(const uint8_t *q, const uint8_t *p, size_t l4, size_t hl)
{
	const uint8_t *qt = q + l4, *pt = p + l4;

	if (l4 == 20) {
		if (q[1] != p[1] || get16(q + 6) != get16(p + 6) || q[8] != p[8] ||
		    memcmp(q + 12, p + 12, 8))
			return false;
	} else {
		if (memcmp(q, p, 4) || q[7] != p[7] || memcmp(q + 8, p + 8, 32))
			return false;
	}
	return memcmp(qt, pt, 4) == 0 &&		/* ports */
	       memcmp(qt + 8, pt + 8, 5) == 0 &&	/* ack, data offset */
	       memcmp(qt + 14, pt + 14, 2) == 0 &&	/* window */
	       memcmp(qt + 18, pt + 18, hl - l4 - 18) == 0;	/* urgent, options */
}

bool mvpn_gro_add(struct mvpn_gro *r, const uint8_t *p, size_t len)
{
	uint8_t *q = r->buf + MVPN_VNET_HDR_LEN;
	size_t l4, hl, pl;

	if (!r->len) {
		if (!len || r->cap < MVPN_VNET_HDR_LEN || len > r->cap - MVPN_VNET_HDR_LEN)
			return false;
		memcpy(q, p, len);
		r->len = len;
		r->nseg = 1;
		r->tcp = gro_tcp(p, len, &r->l4_off, &r->hdr_len);
		if (r->tcp) {
			r->gso_size = (uint32_t)(len - r->hdr_len);
			r->next_seq = get32(p + r->l4_off + 4) + r->gso_size;
			r->closed = p[r->l4_off + 13] & TCP_F_PSH;
		}
		return true;
	}
	if (!r->tcp || r->closed || !gro_tcp(p, len, &l4, &hl) || l4 != r->l4_off ||
	    hl != r->hdr_len || !gro_same(q, p, l4, hl) || get32(p + l4 + 4) != r->next_seq)
		return false;
	pl = len - hl;
	if (pl > r->gso_size || r->len + pl > 0xffff + (l4 == 40 ? 40 : 0) ||
	    MVPN_VNET_HDR_LEN + r->len + pl > r->cap)
		return false;
	memcpy(q + r->len, p + hl, pl);
	r->len += pl;
	r->nseg++;
	r->next_seq += (uint32_t)pl;
	if (pl < r->gso_size || p[l4 + 13] & TCP_F_PSH) {
		q[l4 + 13] |= p[l4 + 13] & TCP_F_PSH;
		r->closed = true;
	}
	return true;
}

size_t mvpn_gro_finish(struct mvpn_gro *r)
{
	struct mvpn_vnet_hdr h = { .flags = MVPN_VNET_F_DATA_VALID };
	uint8_t *q = r->buf + MVPN_VNET_HDR_LEN;
	size_t n = r->len;

	if (!n)
		return 0;
	if (r->nseg > 1) {
		bool v6 = r->l4_off == 40;

		if (v6) {
			put16(q + 4, (uint16_t)(n - 40));
		} else {
			put16(q + 2, (uint16_t)n);
			ipv4_csum(q, 20);
		}
		/* CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum. */
		put16(q + r->l4_off + 16, mvpn_csum_fold(pseudo_sum(q, v6, n - r->l4_off)));
		h.flags = MVPN_VNET_F_NEEDS_CSUM;
		h.gso_type = v6 ? MVPN_VNET_GSO_TCPV6 : MVPN_VNET_GSO_TCPV4;
		h.hdr_len = (uint16_t)r->hdr_len;
		h.gso_size = (uint16_t)r->gso_size;
		h.csum_start = (uint16_t)r->l4_off;
		h.csum_offset = 16;
	}
	mvpn_vnet_hdr_put(r->buf, &h);
	r->len = 0;
	r->nseg = 0;
	r->tcp = false;
	r->closed = false;
	return MVPN_VNET_HDR_LEN + n;
}
