// SPDX-License-Identifier: BSD-2-Clause
/*
 * dpio.c: tun <-> UDP for the userspace data plane (what and why in dpio.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include "dpio.h"

#define TUN_BUF		(MVPN_VNET_HDR_LEN + 65536)
#define TX_CAP		(65536 + 2 * MVPN_DP_OVERHEAD_MAX)
/* One UDP_SEGMENT send: under the 16-bit UDP length, at most 64 segments
 * (UDP_MAX_SEGMENTS before Linux 6.5). */
#define TX_GSO_BYTES	65000
#define TX_GSO_SEGS	64
#define RX_BUF		65536
#define TUN_READS	64	/* per call, so that the socket gets its turn */
#define SOCK_ROUNDS	8

int dpio_init(struct dpio *io, struct mvpn_dp *dp, int tun, bool vnet, int sock,
	      bool udp_offload, const struct sockaddr *remote, socklen_t remote_len)
{
	int one = 1, i;

	memset(io, 0, sizeof(*io));
	io->dp = dp;
	io->tun = tun;
	io->vnet = vnet;
	io->sock = sock;
	if (remote_len > sizeof(io->remote))
		return -EINVAL;
	memcpy(&io->remote, remote, remote_len);
	io->remote_len = remote_len;
	io->tx_buf = malloc(TX_CAP);
	io->tun_buf = malloc(TUN_BUF);
	io->plain = malloc(MVPN_VNET_HDR_LEN + RX_BUF);
	io->gro_buf = malloc(MVPN_VNET_HDR_LEN + RX_BUF);
	for (i = 0; i < DPIO_RX_BATCH; i++)
		io->rx_buf[i] = malloc(RX_BUF);
	if (!io->tx_buf || !io->tun_buf || !io->plain || !io->gro_buf) {
		dpio_free(io);
		return -ENOMEM;
	}
	for (i = 0; i < DPIO_RX_BATCH; i++)
		if (!io->rx_buf[i]) {
			dpio_free(io);
			return -ENOMEM;
		}
	mvpn_gro_init(&io->gro, io->gro_buf, MVPN_VNET_HDR_LEN + RX_BUF);
	/* UDP_SEGMENT needs no option: it is tried on the first send. */
	io->udp_gso = udp_offload;
	io->udp_gro = udp_offload && setsockopt(sock, SOL_UDP, UDP_GRO, &one, sizeof(one)) == 0;
	return 0;
}

void dpio_free(struct dpio *io)
{
	free(io->tx_buf);
	free(io->tun_buf);
	free(io->plain);
	free(io->gro_buf);
	for (int i = 0; i < DPIO_RX_BATCH; i++)
		free(io->rx_buf[i]);
	memset(io, 0, sizeof(*io));
}

static void send_one(struct dpio *io, const uint8_t *p, size_t len, uint16_t seg)
{
	union {
		char buf[CMSG_SPACE(sizeof(uint16_t))];
		struct cmsghdr align;
	} c;
	struct iovec iov = { .iov_base = (void *)p, .iov_len = len };
	struct msghdr m = {
		.msg_name = &io->remote, .msg_namelen = io->remote_len,
		.msg_iov = &iov, .msg_iovlen = 1,
	};

	if (seg) {
		struct cmsghdr *cm;

		memset(&c, 0, sizeof(c));
		m.msg_control = c.buf;
		m.msg_controllen = sizeof(c.buf);
		cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_UDP;
		cm->cmsg_type = UDP_SEGMENT;
		cm->cmsg_len = CMSG_LEN(sizeof(uint16_t));
		memcpy(CMSG_DATA(cm), &seg, sizeof(seg));
	}
	if (sendmsg(io->sock, &m, 0) >= 0) {
		io->st.udp_sends++;
		return;
	}
	if (seg && (errno == EIO || errno == EINVAL || errno == EOPNOTSUPP ||
		    errno == ENOPROTOOPT)) {
		/* No UDP segmentation here: from now on one datagram per send. */
		io->udp_gso = false;
		for (size_t off = 0; off < len; off += seg)
			send_one(io, p + off, len - off < seg ? len - off : seg, 0);
		return;
	}
	io->st.send_errors++;
}

static void tx_flush(struct dpio *io)
{
	if (!io->tx_n)
		return;
	send_one(io, io->tx_buf, io->tx_len, io->tx_n > 1 ? (uint16_t)io->tx_seg : 0);
	io->tx_count += io->tx_n;
	io->tx_n = 0;
	io->tx_len = 0;
	io->tx_short = false;
}

/*
 * Seal a || b behind what the batch holds.  Datagrams of one UDP_SEGMENT
 * send must all have the first one's size, but for a shorter last one.
 */
static void tx_add(struct dpio *io, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t elen = alen + blen + mvpn_dp_overhead(io->dp);
	unsigned int ev = 0;
	long n;

	if (io->tx_n && (!io->udp_gso || io->tx_short || elen > io->tx_seg ||
			 io->tx_n >= TX_GSO_SEGS || io->tx_len + elen > TX_GSO_BYTES))
		tx_flush(io);
	if (elen > TX_CAP - io->tx_len)
		return;
	n = mvpn_dp_encrypt2(io->dp, a, alen, b, blen, io->tx_buf + io->tx_len,
			     TX_CAP - io->tx_len, &ev);
	io->events |= ev;
	if (n <= 0)
		return;
	if (!io->tx_n)
		io->tx_seg = (size_t)n;
	else if ((size_t)n < io->tx_seg)
		io->tx_short = true;
	io->tx_len += (size_t)n;
	io->tx_n++;
}

unsigned int dpio_tun_rx(struct dpio *io)
{
	uint8_t hdr[MVPN_GSO_HDR_MAX];
	unsigned int i;

	for (i = 0; i < TUN_READS; i++) {
		ssize_t n = read(io->tun, io->tun_buf, TUN_BUF);
		struct mvpn_vnet_hdr vh;
		struct mvpn_gso g;
		int nseg;

		if (n <= 0)
			break;
		io->st.tun_reads++;
		if (!io->vnet) {
			tx_add(io, io->tun_buf, (size_t)n, NULL, 0);
			continue;
		}
		if (n <= MVPN_VNET_HDR_LEN)
			continue;
		mvpn_vnet_hdr_get(io->tun_buf, &vh);
		nseg = mvpn_gso_init(&g, &vh, io->tun_buf + MVPN_VNET_HDR_LEN,
				     (size_t)n - MVPN_VNET_HDR_LEN);
		if (nseg < 0) {
			io->st.gso_errors++;
			continue;
		}
		if (nseg > 1)
			io->st.gso_packets++;
		for (unsigned int s = 0; s < (unsigned int)nseg; s++) {
			const uint8_t *pl;
			size_t plen, hl = mvpn_gso_seg(&g, s, hdr, &pl, &plen);

			tx_add(io, hdr, hl, pl, plen);
		}
	}
	tx_flush(io);
	return i;
}

void dpio_ping(struct dpio *io)
{
	unsigned int ev = 0;
	long n;

	tx_flush(io);
	n = mvpn_dp_ping(io->dp, io->tx_buf, TX_CAP, &ev);
	io->events |= ev;
	if (n > 0) {
		send_one(io, io->tx_buf, (size_t)n, 0);
		io->tx_count++;
	}
}

static void tun_write(struct dpio *io, const uint8_t *p, size_t len)
{
	if (write(io->tun, p, len) < 0)
		io->st.tun_errors++;
	else
		io->st.tun_writes++;
}

static void gro_flush(struct dpio *io)
{
	unsigned int nseg = io->gro.nseg;
	size_t n = mvpn_gro_finish(&io->gro);

	if (!n)
		return;
	if (nseg > 1)
		io->st.gro_packets++;
	tun_write(io, io->gro_buf, n);
}

static void deliver(struct dpio *io, const uint8_t *p, size_t len)
{
	if (!io->vnet) {
		tun_write(io, p, len);
		return;
	}
	if (mvpn_gro_add(&io->gro, p, len))
		return;
	gro_flush(io);
	if (!mvpn_gro_add(&io->gro, p, len))
		io->st.tun_errors++;	/* larger than any tun packet */
}

static void rx_one(struct dpio *io, const uint8_t *d, size_t len,
		   const struct sockaddr_storage *from, socklen_t flen)
{
	uint8_t *out = io->plain + MVPN_VNET_HDR_LEN;
	size_t outlen;
	int r;

	if (!mvpn_dp_is_data(d, len))
		return;
	r = mvpn_dp_decrypt(io->dp, d, len, io->now, out, RX_BUF, &outlen, NULL);
	if (r != MVPN_DP_RX_DATA && r != MVPN_DP_RX_PING)
		return;
	io->rx_count++;
	/* Float only after authentication and the replay check. */
	if (flen != io->remote_len || memcmp(from, &io->remote, flen)) {
		memcpy(&io->remote, from, flen);
		io->remote_len = flen;
		io->floated = true;
	}
	if (r == MVPN_DP_RX_DATA)
		deliver(io, out, outlen);
}

unsigned int dpio_sock_rx(struct dpio *io)
{
	struct mmsghdr msg[DPIO_RX_BATCH];
	struct iovec iov[DPIO_RX_BATCH];
	struct sockaddr_storage from[DPIO_RX_BATCH];
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl[DPIO_RX_BATCH];
	unsigned int total = 0;

	for (int round = 0; round < SOCK_ROUNDS; round++) {
		int m;

		memset(msg, 0, sizeof(msg));
		for (int k = 0; k < DPIO_RX_BATCH; k++) {
			iov[k].iov_base = io->rx_buf[k];
			iov[k].iov_len = RX_BUF;
			msg[k].msg_hdr.msg_iov = &iov[k];
			msg[k].msg_hdr.msg_iovlen = 1;
			msg[k].msg_hdr.msg_name = &from[k];
			msg[k].msg_hdr.msg_namelen = sizeof(from[k]);
			msg[k].msg_hdr.msg_control = ctl[k].buf;
			msg[k].msg_hdr.msg_controllen = sizeof(ctl[k].buf);
		}
		m = recvmmsg(io->sock, msg, DPIO_RX_BATCH, MSG_DONTWAIT, NULL);
		if (m <= 0)
			break;
		for (int k = 0; k < m; k++) {
			struct msghdr *h = &msg[k].msg_hdr;
			size_t len = msg[k].msg_len, seg = len;
			struct cmsghdr *cm;

			io->st.udp_recvs++;
			if (h->msg_flags & MSG_TRUNC)
				continue;
			for (cm = CMSG_FIRSTHDR(h); cm; cm = CMSG_NXTHDR(h, cm)) {
				int gs;

				if (cm->cmsg_level != SOL_UDP || cm->cmsg_type != UDP_GRO)
					continue;
				memcpy(&gs, CMSG_DATA(cm), sizeof(gs));
				if (gs > 0)
					seg = (size_t)gs;
			}
			for (size_t off = 0; off < len; off += seg)
				rx_one(io, io->rx_buf[k] + off, len - off < seg ? len - off : seg,
				       &from[k], h->msg_namelen);
			total++;
		}
		if (m < DPIO_RX_BATCH)
			break;
	}
	gro_flush(io);
	return total;
}
