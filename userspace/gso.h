/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gso.h: TCP segmentation and coalescing for a tun device opened with
 * IFF_VNET_HDR and TSO offloads -- the userspace twin of the kernel's GSO
 * and GRO, so that one read() from tun yields a TCP super-packet of up to
 * 64 KB and one write() can hand the stack many received segments at once.
 *
 * Pure: no I/O, no allocation.  Every packet is validated before use; bad
 * input gets a negative errno, never an out-of-bounds access.
 *
 * TX (tun -> wire):
 *	struct mvpn_gso g;
 *	n = mvpn_gso_init(&g, &vh, pkt, len);		segments, or -errno
 *	for (i = 0; i < n; i++) {
 *		hl = mvpn_gso_seg(&g, i, hdr, &payload, &plen);
 *		the segment is hdr[0..hl) followed by payload[0..plen)
 *	}
 *   A packet without GSO is one segment; a pending checksum
 *   (VIRTIO_NET_HDR_F_NEEDS_CSUM) is completed in either case.
 *
 * RX (wire -> tun):
 *	mvpn_gro_init(&r, buf, cap);		buf receives vnet header + packet
 *	for each packet p: if (!mvpn_gro_add(&r, p, len)) { flush; add again }
 *	n = mvpn_gro_finish(&r);		bytes of buf to write, 0 if empty
 *   Consecutive in-order segments of one TCP flow with identical headers
 *   (but for lengths, ids, sequence numbers and checksums) become one
 *   super-packet with a GSO vnet header; anything else passes alone, with
 *   a vnet header saying its checksum was already checked (the packet was
 *   authenticated by the AEAD).
 */
#ifndef MVPN_GSO_H
#define MVPN_GSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* struct virtio_net_hdr (10 bytes, little-endian on the wire to tun). */
#define MVPN_VNET_HDR_LEN	10
#define MVPN_VNET_F_NEEDS_CSUM	1
#define MVPN_VNET_F_DATA_VALID	2
#define MVPN_VNET_GSO_NONE	0
#define MVPN_VNET_GSO_TCPV4	1
#define MVPN_VNET_GSO_UDP	3
#define MVPN_VNET_GSO_TCPV6	4
#define MVPN_VNET_GSO_ECN	0x80

struct mvpn_vnet_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
};

void mvpn_vnet_hdr_get(const uint8_t *p, struct mvpn_vnet_hdr *h);
void mvpn_vnet_hdr_put(uint8_t *p, const struct mvpn_vnet_hdr *h);

/* Internet checksum helpers: sum (not folded, not complemented) and fold. */
uint32_t mvpn_csum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t mvpn_csum_fold(uint32_t sum);

#define MVPN_GSO_HDR_MAX	(60 + 60 + 40)	/* IPv4 options + TCP options; IPv6 + TCP */

struct mvpn_gso {
	const uint8_t *pkt;
	size_t len;
	size_t hdr_len;		/* bytes copied in front of each segment */
	size_t l4_off;		/* TCP header (or checksum start) */
	size_t csum_at;		/* offset of the checksum field to complete, or 0 */
	uint32_t gso_size;
	unsigned int nseg;
	bool tcp_gso;
	bool v6;
};

/*
 * Validate a packet read from tun with its vnet header.  Returns the
 * number of segments (>= 1), or -EINVAL (malformed, lengths inconsistent),
 * -EPROTONOSUPPORT (GSO of a kind not asked for: UDP, IPv6 extension
 * headers).
 */
int mvpn_gso_init(struct mvpn_gso *g, const struct mvpn_vnet_hdr *h, const uint8_t *pkt,
		  size_t len);

/*
 * Segment i (< the count mvpn_gso_init returned): its headers are written
 * to hdr (MVPN_GSO_HDR_MAX bytes), returns their length; *payload and
 * *plen point into the packet given to mvpn_gso_init.
 */
size_t mvpn_gso_seg(const struct mvpn_gso *g, unsigned int i, uint8_t *hdr,
		    const uint8_t **payload, size_t *plen);

struct mvpn_gro {
	uint8_t *buf;		/* vnet header, then the packet */
	size_t cap;
	size_t len;		/* packet bytes in buf after the vnet header */
	size_t l4_off, hdr_len;
	uint32_t gso_size;
	uint32_t next_seq;
	unsigned int nseg;
	bool closed;		/* a short or PSH segment ended the run */
	bool tcp;		/* the packet in buf may take more segments */
};

void mvpn_gro_init(struct mvpn_gro *r, uint8_t *buf, size_t cap);
/*
 * Add a packet: true when taken (appended, or started a new run in an
 * empty buffer); false when it does not fit: finish and write what is in
 * the buffer, then add it again (an empty buffer takes any packet up to
 * cap - MVPN_VNET_HDR_LEN bytes; a larger one is refused for good).
 */
bool mvpn_gro_add(struct mvpn_gro *r, const uint8_t *pkt, size_t len);
/* Complete headers and vnet header; returns the bytes to write, 0 if empty.
 * The buffer is empty again afterwards. */
size_t mvpn_gro_finish(struct mvpn_gro *r);

#endif
