/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dpio.h: the userspace data plane's I/O pump between a tun device and a
 * UDP socket, around the pure cores dataplane.c (seal/open) and gso.c
 * (segment/coalesce).  It owns no descriptor; the caller polls and calls
 * dpio_tun_rx() / dpio_sock_rx() when they are readable.
 *
 * What makes it fast, each used only when the kernel agrees:
 *   - tun with IFF_VNET_HDR + TSO: one read() is a TCP super-packet of up
 *     to 64 KB, segmented here and each segment sealed straight from the
 *     super-packet (no copy of the payload before encryption);
 *   - UDP_SEGMENT: the sealed segments of one super-packet leave in one
 *     sendmsg() (the kernel, or the NIC, cuts them into datagrams);
 *   - UDP_GRO: one recvmsg() returns many datagrams of a peer;
 *   - the decrypted segments of one TCP flow are coalesced again and
 *     written to tun as one super-packet (GRO), other packets with a vnet
 *     header that says their checksum needs no check (the AEAD
 *     authenticated them).
 * Without offloads it degrades to one packet per read and per send.
 */
#ifndef MVPN_DPIO_H
#define MVPN_DPIO_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "dataplane.h"
#include "gso.h"

#define DPIO_RX_BATCH	8	/* recvmmsg() buffers of 64 KB */

struct dpio_stats {
	uint64_t tun_reads, tun_writes, gso_packets, gro_packets;
	uint64_t udp_sends, udp_recvs;
	uint64_t tun_errors, send_errors, gso_errors;
};

struct dpio {
	struct mvpn_dp *dp;
	int tun, sock;
	bool vnet;		/* tun reads/writes carry a virtio_net_hdr */
	bool udp_gso;		/* UDP_SEGMENT works on sock */
	bool udp_gro;		/* UDP_GRO enabled on sock */
	struct sockaddr_storage remote;
	socklen_t remote_len;
	bool floated;		/* set when an authentic packet came from a new address */

	unsigned int events;	/* MVPN_DP_EV_* seen since the caller last cleared it */
	uint64_t now;		/* seconds, for the replay window (set by the caller) */
	unsigned int tx_count;	/* data packets sent (the caller's keepalive timer) */
	unsigned int rx_count;	/* authentic packets received, pings included */
	struct dpio_stats st;

	/* TX: the datagrams of one UDP_SEGMENT send */
	uint8_t *tx_buf;
	size_t tx_len, tx_seg;
	unsigned int tx_n;
	bool tx_short;
	uint8_t *tun_buf;	/* one read from tun */

	/* RX */
	uint8_t *rx_buf[DPIO_RX_BATCH];
	uint8_t *plain;		/* one decrypted packet, behind a vnet header */
	struct mvpn_gro gro;
	uint8_t *gro_buf;
};

/*
 * Set up around an open tun fd (vnet: opened with TUN_OPEN_VNET) and a
 * bound UDP socket; with udp_offload, tries UDP_SEGMENT and UDP_GRO.
 * Returns 0, -EINVAL (remote_len too large) or -ENOMEM.
 */
int dpio_init(struct dpio *io, struct mvpn_dp *dp, int tun, bool vnet, int sock,
	      bool udp_offload, const struct sockaddr *remote, socklen_t remote_len);
void dpio_free(struct dpio *io);

/* Drain tun (up to a bound), seal and send.  Returns packets read. */
unsigned int dpio_tun_rx(struct dpio *io);
/* Drain the socket (up to a bound), open and write to tun.  Returns datagrams read. */
unsigned int dpio_sock_rx(struct dpio *io);
/* Seal and send one keepalive ping. */
void dpio_ping(struct dpio *io);

#endif
