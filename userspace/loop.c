// SPDX-License-Identifier: BSD-2-Clause
/*
 * loop.c: the only place in mvpnd that does I/O.
 *
 * One epoll set holds: a signalfd (TERM/INT stop, HUP/USR1 restart), a
 * timerfd armed at the earliest of the engine's deadline and the data
 * plane's keepalive deadlines, the transport socket, the tun queue (userspace
 * data plane) or the module's notification socket (mvpn-dco).
 *
 * Packets on the transport: data packets (P_DATA_V1/V2) go to the data plane,
 * everything else to the engine.  With mvpn-dco the module takes the data
 * packets before they reach the socket, so only control packets arrive here.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "comp.h"
#include "dataplane.h"
#include "dco.h"
#include "engine.h"
#include "gso.h"
#include "log.h"
#include "loop.h"
#include "netcfg.h"
#include "tun.h"

#define PKT_MAX 65536
#define BATCH 32
#define SLOT 4096
#define TCP_TXBUF (256 * 1024)

enum { TAG_SIGNAL = 1, TAG_TIMER, TAG_SOCK, TAG_TUN, TAG_DCO };

struct loop {
	const struct loop_opts *o;
	const struct mvpn_config *cfg;	/* local */
	struct engine *eng;
	int ep, sfd, tfd;
	bool done;
	int status;

	/* transport */
	int sock;
	bool tcp;
	bool connecting;
	struct sockaddr_storage remote;
	socklen_t remote_len;
	uint8_t tcp_rx[2 + PKT_MAX];
	size_t tcp_rx_len;
	uint8_t *tcp_tx;
	size_t tcp_tx_len;

	/* data plane */
	bool use_dco;
	const char *dp_reason;
	struct mvpn_dp *dp;		/* userspace */
	struct tun_dev tun;
	bool tun_open;
	struct comp_ctx comp;
	bool comp_on;
	struct dco dco;			/* kernel */
	bool dco_open;
	bool data_up;
	bool announce_up;		/* log "Initialization Sequence Completed" */
	char ifname[32];
	unsigned int ifindex;
	struct netcfg net;

	/* keepalive for the userspace data plane (the module does its own) */
	uint64_t ping_ms, ping_restart_ms;
	uint64_t last_tx, last_rx;
	uint64_t counters_at;

	uint8_t buf[PKT_MAX], buf2[PKT_MAX + 256], buf3[PKT_MAX + 256];
	uint8_t seg[PKT_MAX];	/* one TCP segment cut from a tun super-packet */

	/*
	 * Batches for the userspace data plane: up to BATCH encrypted packets
	 * leave in one sendmmsg(), up to BATCH datagrams arrive in one
	 * recvmmsg().  Slots are sized for a tun MTU up to 1500 + headroom;
	 * larger packets take the one-by-one path.
	 */
	struct mmsghdr tx_msg[BATCH], rx_msg[BATCH];
	struct iovec tx_iov[BATCH], rx_iov[BATCH];
	unsigned int tx_n;
	bool rx_batch;		/* tun MTU small enough for the rx slots */
	uint8_t tx_slot[BATCH][SLOT];
	uint8_t rx_slot[BATCH][SLOT];
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint32_t wall(void)
{
	return (uint32_t)time(NULL);
}

static void rand_cb(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	if (RAND_bytes(buf, (int)len) != 1) {
		mlog(LOG_ERR, "RAND_bytes failed: no randomness, exiting");
		abort();
	}
}

static void ep_add(struct loop *l, int fd, uint32_t events, int tag)
{
	struct epoll_event ev = { .events = events, .data.u64 = (uint64_t)tag << 32 | (uint32_t)fd };

	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		mlog(LOG_ERR, "epoll_ctl add: %s", strerror(errno));
}

static void ep_mod(struct loop *l, int fd, uint32_t events, int tag)
{
	struct epoll_event ev = { .events = events, .data.u64 = (uint64_t)tag << 32 | (uint32_t)fd };

	epoll_ctl(l->ep, EPOLL_CTL_MOD, fd, &ev);
}

static void ev_simple(struct loop *l, enum engine_ev_type type, const char *reason);
static void run_actions(struct loop *l);
static void link_up_event(struct loop *l);

/* ------------------------------------------------------------------------ */
/* transport */

static void link_close(struct loop *l)
{
	if (l->sock >= 0) {
		epoll_ctl(l->ep, EPOLL_CTL_DEL, l->sock, NULL);
		close(l->sock);
	}
	l->sock = -1;
	l->connecting = false;
	l->tcp_rx_len = l->tcp_tx_len = 0;
}

static int link_open(struct loop *l, const struct mvpn_remote *r)
{
	struct addrinfo hints = { 0 }, *res = NULL, *ai;
	char port[8];
	int err, fd = -1;

	l->tcp = r->proto != MVPN_TRANSPORT_UDP;
	hints.ai_family = r->af == MVPN_AF_INET ? AF_INET : r->af == MVPN_AF_INET6 ? AF_INET6 : AF_UNSPEC;
	hints.ai_socktype = l->tcp ? SOCK_STREAM : SOCK_DGRAM;
	snprintf(port, sizeof(port), "%u", r->port ? r->port : 1194);
	err = getaddrinfo(r->host, port, &hints, &res);
	if (err) {
		mlog(LOG_ERR, "RESOLVE: cannot resolve host address: %s:%s (%s)", r->host, port,
		     gai_strerror(err));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		if (r->bind && (r->local || r->lport)) {
			struct addrinfo lh = { .ai_family = ai->ai_family, .ai_socktype = ai->ai_socktype,
					       .ai_flags = AI_PASSIVE }, *lres = NULL;
			char lport[8];

			snprintf(lport, sizeof(lport), "%u", r->lport);
			if (getaddrinfo(r->local, lport, &lh, &lres) || !lres ||
			    bind(fd, lres->ai_addr, lres->ai_addrlen) < 0) {
				mlog(LOG_ERR, "TCP/UDP: cannot bind to %s:%s: %s", r->local ? r->local : "*",
				     lport, strerror(errno));
				if (lres)
					freeaddrinfo(lres);
				close(fd);
				fd = -1;
				continue;
			}
			freeaddrinfo(lres);
		}
		if (l->cfg->mark) {
			int mark = l->cfg->mark;

			setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark));
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS) {
			mlog(LOG_ERR, "TCP/UDP: connect to %s:%s failed: %s", r->host, port, strerror(errno));
			close(fd);
			fd = -1;
			continue;
		}
		memcpy(&l->remote, ai->ai_addr, ai->ai_addrlen);
		l->remote_len = ai->ai_addrlen;
		break;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return -1;
	l->sock = fd;
	{
		char host[INET6_ADDRSTRLEN] = "?";

		getnameinfo((struct sockaddr *)&l->remote, l->remote_len, host, sizeof(host), NULL, 0,
			    NI_NUMERICHOST);
		mlog(LOG_INFO, "%s link remote: [AF_INET%s]%s:%s", l->tcp ? "TCP" : "UDP",
		     l->remote.ss_family == AF_INET6 ? "6" : "", host, port);
	}
	if (l->tcp) {
		int one = 1;

		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		l->connecting = true;
		ep_add(l, fd, EPOLLIN | EPOLLOUT, TAG_SOCK);
		return 0;
	}
	ep_add(l, fd, EPOLLIN, TAG_SOCK);
	return 1;	/* UDP: ready now */
}

static void link_send(struct loop *l, const uint8_t *buf, size_t len)
{
	if (l->sock < 0)
		return;
	if (!l->tcp) {
		if (send(l->sock, buf, len, 0) < 0 && errno != EAGAIN && errno != ECONNREFUSED)
			mlog(LOG_VERBOSE, "UDP send: %s", strerror(errno));
		l->last_tx = now_ms();
		return;
	}
	if (l->tcp_tx_len + len + 2 > TCP_TXBUF) {
		mlog(LOG_VERBOSE, "TCP: send buffer full, dropping a packet");
		return;
	}
	l->tcp_tx[l->tcp_tx_len++] = (uint8_t)(len >> 8);
	l->tcp_tx[l->tcp_tx_len++] = (uint8_t)len;
	memcpy(l->tcp_tx + l->tcp_tx_len, buf, len);
	l->tcp_tx_len += len;
	if (!l->connecting) {
		ssize_t n = send(l->sock, l->tcp_tx, l->tcp_tx_len, MSG_NOSIGNAL);

		if (n > 0) {
			memmove(l->tcp_tx, l->tcp_tx + n, l->tcp_tx_len - (size_t)n);
			l->tcp_tx_len -= (size_t)n;
		}
		ep_mod(l, l->sock, EPOLLIN | (l->tcp_tx_len ? EPOLLOUT : 0), TAG_SOCK);
	}
	l->last_tx = now_ms();
}

/* ------------------------------------------------------------------------ */
/* data plane */

static void comp_setup(struct loop *l, const struct mvpn_config *c)
{
	struct comp_settings s;
	char err[256];

	if (l->comp_on) {
		comp_ctx_free(&l->comp);
		l->comp_on = false;
	}
	if (c->comp == MVPN_COMP_NONE)
		return;
	if (comp_from_config(c->comp, c->comp_noadapt, c->allow_compression, &s, err, sizeof(err))) {
		mlog(LOG_ERR, "compression: %s", err);
		return;
	}
	if (comp_ctx_init(&l->comp, &s)) {
		mlog(LOG_ERR, "compression: %s", l->comp.err);
		return;
	}
	l->comp_on = true;
	mlog(LOG_INFO, "Data channel compression framing: %s", comp_describe(&s));
}

/* Why the config cannot run on mvpn-dco, or NULL when it can. */
static const char *dco_blocker(const struct mvpn_config *c)
{
	if (c->comp != MVPN_COMP_NONE)
		return "compression is configured (mvpn-dco does not frame compression)";
	if (c->dev_type != MVPN_DEV_TUN)
		return "dev-type is not tun";
	if (c->conn.fragment || (c->n_remotes && c->remotes[0].fragment))
		return "fragment is configured";
	for (size_t i = 0; i < c->n_data_ciphers; i++)
		if (config_cipher_is_aead(c->data_ciphers[i]))
			return NULL;
	return "no AEAD cipher in data-ciphers";
}

static void dp_tun_up(struct loop *l, const struct engine_action *a)
{
	const struct mvpn_config *c = a->cfg;
	struct mvpn_dp_config dc = { 0 };
	char err[512];
	int r;

	if (l->use_dco) {
		struct dco_peer_params pp = {
			.peer_id = a->peer_id,
			.ping = c->ping > 0 ? c->ping : c->keepalive_interval,
			.ping_restart = c->ping_restart > 0 ? c->ping_restart : c->keepalive_timeout,
			.mtu = (unsigned int)(c->conn.tun_mtu > 0 ? c->conn.tun_mtu : 1500),
		};

		r = dco_peer_up(&l->dco, l->sock, (struct sockaddr *)&l->remote, &pp, err, sizeof(err));
		if (r) {
			mlog(LOG_ERR, "mvpn-dco: %s", err);
			ev_simple(l, EV_RESTART, "data channel offload failed");
			return;
		}
	} else {
		dc.data_v2 = a->peer_id >= 0;
		dc.tx_peer_id = a->peer_id >= 0 ? (uint32_t)a->peer_id : 0;
		dc.accept_any_payload = true;
		if (c->replay_window > 0)
			dc.replay_window = (uint32_t)c->replay_window;
		if (!l->dp && (r = mvpn_dp_new(&l->dp, &dc)) != 0) {
			mlog(LOG_ERR, "data plane: %s", mvpn_dp_strerror(r));
			return;
		}
		comp_setup(l, c);
		/* Batched receive needs every datagram to fit a slot. */
		l->rx_batch = !l->comp_on && (c->conn.tun_mtu > 0 ? c->conn.tun_mtu : 1500) + 256 <= SLOT;
		l->ping_ms = (uint64_t)(c->ping > 0 ? c->ping : c->keepalive_interval) * 1000;
		l->ping_restart_ms = (uint64_t)(c->ping_restart > 0 ? c->ping_restart : c->keepalive_timeout) * 1000;
		l->last_rx = l->last_tx = now_ms();
	}
	l->data_up = true;
	if (netcfg_up(&l->net, l->ifname, l->ifindex, c, (struct sockaddr *)&l->remote, err, sizeof(err))) {
		mlog(LOG_ERR, "network configuration: %s", err);
		ev_simple(l, EV_STOP, NULL);
		return;
	}
	l->announce_up = true;
}

static void dp_tun_down(struct loop *l)
{
	netcfg_down(&l->net);
	if (l->use_dco) {
		dco_peer_down(&l->dco);
	} else {
		mvpn_dp_free(l->dp);
		l->dp = NULL;
	}
	l->data_up = false;
	l->rx_batch = false;
	l->ping_ms = l->ping_restart_ms = 0;
}

static void dp_key(struct loop *l, const struct engine_action *a)
{
	int r = 0;

	switch (a->type) {
	case ACT_KEY_INSTALL:
		if (l->use_dco) {
			r = dco_key_install(&l->dco, a->slot, &a->key);
		} else {
			struct mvpn_dp_config dc = { .data_v2 = false };

			if (!l->dp && (r = mvpn_dp_new(&l->dp, &dc)) != 0)
				break;
			r = mvpn_dp_key_set(l->dp, a->slot, &a->key, now_ms() / 1000);
		}
		break;
	case ACT_KEY_SWAP:
		if (l->use_dco)
			r = dco_key_swap(&l->dco);
		else if (l->dp)
			mvpn_dp_key_swap(l->dp);
		break;
	case ACT_KEY_DEL:
		if (l->use_dco)
			r = dco_key_del(&l->dco, a->slot);
		else if (l->dp)
			mvpn_dp_key_del(l->dp, a->slot);
		break;
	default:
		break;
	}
	if (r)
		mlog(LOG_ERR, "data channel key %s failed: %s",
		     a->type == ACT_KEY_INSTALL ? "install" : a->type == ACT_KEY_SWAP ? "swap" : "delete",
		     l->use_dco ? l->dco.err : mvpn_dp_strerror(r));
}

/*
 * One packet to tun.  With a vnet header (tun opened with TSO) it says the
 * checksums need no check: the packet was authenticated by the AEAD.
 */
static ssize_t tun_write(struct loop *l, const uint8_t *pkt, size_t len)
{
	uint8_t vh[MVPN_VNET_HDR_LEN];
	struct mvpn_vnet_hdr h = { .flags = MVPN_VNET_F_DATA_VALID };
	struct iovec iov[2] = { { vh, sizeof(vh) }, { (void *)pkt, len } };

	if (!l->tun.vnet)
		return write(l->tun.fd[0], pkt, len);
	mvpn_vnet_hdr_put(vh, &h);
	return writev(l->tun.fd[0], iov, 2);
}

/* A data packet from the transport (userspace data plane only). */
static void dp_link_rx(struct loop *l, const uint8_t *pkt, size_t len)
{
	struct mvpn_dp_rx_meta meta;
	size_t outlen = 0;
	int r;

	if (!l->dp)
		return;
	r = mvpn_dp_decrypt(l->dp, pkt, len, now_ms() / 1000, l->buf2, sizeof(l->buf2), &outlen, &meta);
	if (r == MVPN_DP_RX_PING) {
		l->last_rx = now_ms();
		return;
	}
	if (r != MVPN_DP_RX_DATA) {
		mlog(LOG_DEBUG, "data packet dropped: %s", mvpn_dp_strerror(r));
		return;
	}
	l->last_rx = now_ms();
	if (l->comp_on) {
		long n = comp_decompress(&l->comp, l->buf2, outlen, l->buf3, sizeof(l->buf3));

		if (n < 0) {
			mlog(LOG_VERBOSE, "compression: %s", l->comp.err);
			return;
		}
		memcpy(l->buf2, l->buf3, (size_t)n);
		outlen = (size_t)n;
	}
	/* OCC messages ride the data channel (§11): EXIT means the peer left. */
	if (outlen >= 17 && memcmp(l->buf2, "\x28\x7f\x34\x6b\xd4\xef\x7a\x81\x2d\x56\xb8\xd3\xaf\xc5\x45\x9c", 16) == 0) {
		if (l->buf2[16] == 6)
			ev_simple(l, EV_DATA_EXIT, NULL);
		return;
	}
	if (outlen == 0 || ((l->buf2[0] >> 4) != 4 && (l->buf2[0] >> 4) != 6))
		return;
	if (l->tun_open && tun_write(l, l->buf2, outlen) < 0 && errno != EAGAIN)
		mlog(LOG_VERBOSE, "tun write: %s", strerror(errno));
}

/* Send what the batch holds (UDP: one sendmmsg for all of it). */
static void tx_flush(struct loop *l)
{
	unsigned int done = 0;

	while (done < l->tx_n && l->sock >= 0) {
		int n = sendmmsg(l->sock, l->tx_msg + done, l->tx_n - done, 0);

		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != ECONNREFUSED)
				mlog(LOG_VERBOSE, "UDP sendmmsg: %s", strerror(errno));
			break;
		}
		done += (unsigned int)n;
	}
	if (l->tx_n)
		l->last_tx = now_ms();
	l->tx_n = 0;
}

static void dp_send_payload(struct loop *l, const uint8_t *in, size_t len)
{
	unsigned int events = 0;
	bool batch = !l->tcp && l->sock >= 0 && len + MVPN_DP_OVERHEAD_MAX <= SLOT;
	uint8_t *out = batch ? l->tx_slot[l->tx_n] : l->buf2;
	size_t cap = batch ? SLOT : sizeof(l->buf2);
	long n;

	if (!l->dp)
		return;
	if (l->comp_on) {
		n = comp_compress(&l->comp, in, len, l->buf3, sizeof(l->buf3), (int64_t)(now_ms() / 1000));
		if (n < 0)
			return;
		in = l->buf3;
		len = (size_t)n;
		if (len + MVPN_DP_OVERHEAD_MAX > SLOT) {
			batch = false;
			out = l->buf2;
			cap = sizeof(l->buf2);
		}
	}
	n = mvpn_dp_encrypt(l->dp, in, len, out, cap, &events);
	if (events & MVPN_DP_EV_KEY_LOW)
		ev_simple(l, EV_KEY_LOW, NULL);
	if (n < 0)
		return;
	if (!batch) {
		tx_flush(l);
		link_send(l, out, (size_t)n);
		return;
	}
	l->tx_iov[l->tx_n].iov_base = out;
	l->tx_iov[l->tx_n].iov_len = (size_t)n;
	memset(&l->tx_msg[l->tx_n], 0, sizeof(l->tx_msg[0]));
	l->tx_msg[l->tx_n].msg_hdr.msg_iov = &l->tx_iov[l->tx_n];
	l->tx_msg[l->tx_n].msg_hdr.msg_iovlen = 1;
	if (++l->tx_n == BATCH)
		tx_flush(l);
}

/*
 * A read from a tun device with TSO is a TCP super-packet: cut it into
 * segments of the tun MTU (gso.c) and send each as its own data packet,
 * so that compression and framing stay per packet as the peer expects.
 */
static void tun_rx_super(struct loop *l, size_t n)
{
	struct mvpn_vnet_hdr vh;
	struct mvpn_gso g;
	int nseg;

	if (n <= MVPN_VNET_HDR_LEN)
		return;
	mvpn_vnet_hdr_get(l->buf, &vh);
	nseg = mvpn_gso_init(&g, &vh, l->buf + MVPN_VNET_HDR_LEN, n - MVPN_VNET_HDR_LEN);
	if (nseg < 0) {
		mlog(LOG_DEBUG, "tun: packet dropped: cannot segment it (%s)", strerror(-nseg));
		return;
	}
	for (unsigned int i = 0; i < (unsigned int)nseg; i++) {
		const uint8_t *pl;
		size_t plen, hl = mvpn_gso_seg(&g, i, l->seg, &pl, &plen);

		if (hl + plen > sizeof(l->seg))
			return;
		memmove(l->seg + hl, pl, plen);
		dp_send_payload(l, l->seg, hl + plen);
	}
}

static void tun_rx(struct loop *l)
{
	for (int i = 0; i < 4 * BATCH; i++) {
		ssize_t n = read(l->tun.fd[0], l->buf, sizeof(l->buf));

		if (n <= 0)
			break;
		if (!l->data_up)
			continue;
		if (l->tun.vnet)
			tun_rx_super(l, (size_t)n);
		else
			dp_send_payload(l, l->buf, (size_t)n);
	}
	tx_flush(l);
}

/* reneg-bytes / reneg-pkts: the totals come from the module with mvpn-dco. */
static void dco_counters(struct loop *l, uint64_t now)
{
	struct engine_event ev = { .type = EV_DATA_COUNTERS, .now_ms = now, .wall = wall() };
	struct dco_stats st;

	l->counters_at = now;
	if (dco_get_stats(&l->dco, &st))
		return;
	ev.bytes = st.vpn_rx_bytes + st.vpn_tx_bytes;
	ev.packets = st.vpn_rx_packets + st.vpn_tx_packets;
	engine_handle(l->eng, &ev);
	run_actions(l);
}

static bool want_counters(const struct loop *l)
{
	return l->cfg->reneg_bytes > 0 || l->cfg->reneg_pkts > 0;
}

static void keepalive_check(struct loop *l, uint64_t now)
{
	if (l->data_up && l->use_dco && want_counters(l) && now >= l->counters_at + 1000)
		dco_counters(l, now);
	if (!l->data_up || l->use_dco || !l->dp)
		return;
	if (l->ping_ms && now >= l->last_tx + l->ping_ms) {
		unsigned int events = 0;
		long n = mvpn_dp_ping(l->dp, l->buf2, sizeof(l->buf2), &events);

		if (n > 0)
			link_send(l, l->buf2, (size_t)n);
		l->last_tx = now;
	}
	if (l->ping_restart_ms && now >= l->last_rx + l->ping_restart_ms) {
		mlog(LOG_INFO, "Inactivity timeout (--ping-restart), restarting");
		l->last_rx = now;
		ev_simple(l, EV_PEER_EXPIRED, NULL);
	}
	/* reneg-bytes / reneg-pkts need the totals once in a while. */
	if (now >= l->counters_at + 1000) {
		struct mvpn_dp_stats st;
		struct engine_event ev = { .type = EV_DATA_COUNTERS, .now_ms = now, .wall = wall() };

		l->counters_at = now;
		mvpn_dp_get_stats(l->dp, &st);
		ev.bytes = st.vpn_rx_bytes + st.vpn_tx_bytes;
		ev.packets = st.vpn_rx_packets + st.vpn_tx_packets;
		engine_handle(l->eng, &ev);
		run_actions(l);
	}
}

/* ------------------------------------------------------------------------ */
/* engine glue */

static void run_actions(struct loop *l)
{
	struct engine_action a;

	while (engine_next_action(l->eng, &a)) {
		switch (a.type) {
		case ACT_CONNECT: {
			int r = link_open(l, a.remote);

			if (r < 0)
				ev_simple(l, EV_LINK_DOWN, "cannot open the transport");
			else if (r == 1)
				link_up_event(l);
			break;
		}
		case ACT_DISCONNECT:
			link_close(l);
			break;
		case ACT_SEND:
			link_send(l, a.data, a.len);
			break;
		case ACT_KEY_INSTALL:
		case ACT_KEY_SWAP:
		case ACT_KEY_DEL:
			dp_key(l, &a);
			OPENSSL_cleanse(&a.key, sizeof(a.key));
			break;
		case ACT_TUN_UP:
			dp_tun_up(l, &a);
			break;
		case ACT_TUN_DOWN:
			dp_tun_down(l);
			break;
		case ACT_DATA_SEND:
			if (l->use_dco)
				dco_send_data(&l->dco, a.data, a.len);
			else
				dp_send_payload(l, a.data, a.len);
			break;
		case ACT_EXIT:
			l->done = true;
			l->status = a.status;
			break;
		}
	}
	tx_flush(l);
	/* after the whole batch: addresses, routes and the key are in place */
	if (l->announce_up && l->data_up) {
		l->announce_up = false;
		mlog(LOG_INFO, "Initialization Sequence Completed");
	}
}

static void ev_simple(struct loop *l, enum engine_ev_type type, const char *reason)
{
	struct engine_event ev = { .type = type, .now_ms = now_ms(), .wall = wall(), .reason = reason };

	engine_handle(l->eng, &ev);
	run_actions(l);
}

static void link_up_event(struct loop *l)
{
	struct engine_event ev = { .type = EV_LINK_UP, .now_ms = now_ms(), .wall = wall(),
				   .ip_version = l->remote.ss_family == AF_INET6 ? 6 : 4 };

	engine_handle(l->eng, &ev);
	run_actions(l);
}

static void link_packet(struct loop *l, const uint8_t *pkt, size_t len)
{
	struct engine_event ev = { .type = EV_LINK_PACKET, .data = pkt, .len = len };

	if (len == 0)
		return;
	if (mvpn_dp_is_data(pkt, len)) {
		if (!l->use_dco)
			dp_link_rx(l, pkt, len);
		return;
	}
	ev.now_ms = now_ms();
	ev.wall = wall();
	engine_handle(l->eng, &ev);
	/* only an authentic packet counts for ping-restart, not any datagram
	 * with the server's (forgeable) source address */
	if (engine_packet_accepted(l->eng))
		l->last_rx = ev.now_ms;
	run_actions(l);
}

static void sock_event(struct loop *l, uint32_t events)
{
	if (l->tcp && l->connecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
		int err = 0;
		socklen_t el = sizeof(err);

		getsockopt(l->sock, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err) {
			mlog(LOG_ERR, "TCP: connect failed: %s", strerror(err));
			ev_simple(l, EV_LINK_DOWN, "TCP connect failed");
			return;
		}
		l->connecting = false;
		mlog(LOG_INFO, "TCP connection established");
		ep_mod(l, l->sock, EPOLLIN | (l->tcp_tx_len ? EPOLLOUT : 0), TAG_SOCK);
		link_up_event(l);
		return;
	}
	if (l->tcp && (events & EPOLLOUT) && l->tcp_tx_len) {
		ssize_t n = send(l->sock, l->tcp_tx, l->tcp_tx_len, MSG_NOSIGNAL);

		if (n > 0) {
			memmove(l->tcp_tx, l->tcp_tx + n, l->tcp_tx_len - (size_t)n);
			l->tcp_tx_len -= (size_t)n;
		}
		ep_mod(l, l->sock, EPOLLIN | (l->tcp_tx_len ? EPOLLOUT : 0), TAG_SOCK);
	}
	if (!(events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
		return;
	for (int i = 0; i < 64 && l->sock >= 0; i++) {
		ssize_t n;

		if (!l->tcp && !l->rx_batch) {
			n = recv(l->sock, l->buf, sizeof(l->buf), 0);
			if (n < 0) {
				if (errno == ECONNREFUSED)
					mlog(LOG_VERBOSE, "UDP: connection refused by the remote (no server yet?)");
				return;
			}
			link_packet(l, l->buf, (size_t)n);
			tx_flush(l);
			continue;
		}
		if (!l->tcp) {
			int m;

			for (int k = 0; k < BATCH; k++) {
				l->rx_iov[k].iov_base = l->rx_slot[k];
				l->rx_iov[k].iov_len = SLOT;
				memset(&l->rx_msg[k], 0, sizeof(l->rx_msg[k]));
				l->rx_msg[k].msg_hdr.msg_iov = &l->rx_iov[k];
				l->rx_msg[k].msg_hdr.msg_iovlen = 1;
			}
			m = recvmmsg(l->sock, l->rx_msg, BATCH, MSG_DONTWAIT, NULL);
			if (m < 0) {
				if (errno == ECONNREFUSED)
					mlog(LOG_VERBOSE, "UDP: connection refused by the remote (no server yet?)");
				return;
			}
			for (int k = 0; k < m && l->sock >= 0; k++) {
				/* A datagram larger than a slot is not an OpenVPN packet we accept. */
				if (l->rx_msg[k].msg_hdr.msg_flags & MSG_TRUNC)
					continue;
				link_packet(l, l->rx_slot[k], l->rx_msg[k].msg_len);
			}
			tx_flush(l);
			if (m < BATCH)
				return;
			continue;
		}
		n = recv(l->sock, l->tcp_rx + l->tcp_rx_len, sizeof(l->tcp_rx) - l->tcp_rx_len, 0);
		if (n == 0 || (n < 0 && errno != EAGAIN)) {
			ev_simple(l, EV_LINK_DOWN, n == 0 ? "connection reset by the server" : strerror(errno));
			return;
		}
		if (n < 0)
			return;
		l->tcp_rx_len += (size_t)n;
		/* Every packet is prefixed by its 16-bit length (protocol §1). */
		while (l->tcp_rx_len >= 2) {
			size_t plen = (size_t)l->tcp_rx[0] << 8 | l->tcp_rx[1];

			if (l->tcp_rx_len < 2 + plen)
				break;
			memcpy(l->buf, l->tcp_rx + 2, plen);
			memmove(l->tcp_rx, l->tcp_rx + 2 + plen, l->tcp_rx_len - 2 - plen);
			l->tcp_rx_len -= 2 + plen;
			link_packet(l, l->buf, plen);
			if (l->sock < 0)
				return;
		}
	}
}

static void signal_event(struct loop *l)
{
	struct signalfd_siginfo si;

	while (read(l->sfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			mlog(LOG_INFO, "%s received, process exiting", si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
			ev_simple(l, EV_STOP, NULL);
			break;
		case SIGHUP:
		case SIGUSR1:
			ev_simple(l, EV_RESTART, si.ssi_signo == SIGHUP ? "SIGHUP" : "SIGUSR1");
			break;
		default:
			break;
		}
	}
}

static void dco_event(struct loop *l)
{
	struct dco_ntf n;

	while (dco_read_ntf(&l->dco, &n) > 0) {
		switch (n.type) {
		case DCO_NTF_PEER_DEL:
			mlog(LOG_INFO, "mvpn-dco: peer deleted (%s)", n.reason);
			if (n.expired)
				ev_simple(l, EV_PEER_EXPIRED, NULL);
			else if (l->data_up)
				ev_simple(l, EV_RESTART, n.reason);
			break;
		case DCO_NTF_KEY_SWAP:
			ev_simple(l, EV_KEY_LOW, NULL);
			break;
		case DCO_NTF_FLOAT:
			mlog(LOG_INFO, "mvpn-dco: peer floated to %s", n.reason);
			break;
		}
	}
}

static void arm_timer(struct loop *l)
{
	uint64_t t = engine_next_timeout(l->eng), now = now_ms();
	struct itimerspec its = { 0 };

	if (l->data_up && l->use_dco && want_counters(l) && l->counters_at + 1000 < t)
		t = l->counters_at + 1000;
	if (l->data_up && !l->use_dco) {
		if (l->ping_ms && l->last_tx + l->ping_ms < t)
			t = l->last_tx + l->ping_ms;
		if (l->ping_restart_ms && l->last_rx + l->ping_restart_ms < t)
			t = l->last_rx + l->ping_restart_ms;
		if (l->counters_at + 1000 < t)
			t = l->counters_at + 1000;
	}
	if (t == UINT64_MAX) {
		timerfd_settime(l->tfd, 0, &its, NULL);
		return;
	}
	t = t > now ? t - now : 1;
	its.it_value.tv_sec = (time_t)(t / 1000);
	its.it_value.tv_nsec = (long)(t % 1000) * 1000000;
	timerfd_settime(l->tfd, 0, &its, NULL);
}

/* ------------------------------------------------------------------------ */

static int choose_data_plane(struct loop *l, char *err, size_t errlen)
{
	const char *blocker = dco_blocker(l->cfg);
	int r;

	if (l->o->dco == DCO_OFF) {
		l->dp_reason = "--dco off";
		return 0;
	}
	if (blocker) {
		if (l->o->dco == DCO_ON) {
			snprintf(err, errlen, "--dco on, but this config cannot be offloaded: %s", blocker);
			return -1;
		}
		l->dp_reason = blocker;
		return 0;
	}
	r = dco_open(&l->dco, l->cfg->dev, err, errlen);
	if (r) {
		if (l->o->dco == DCO_ON)
			return -1;
		mlog(LOG_VERBOSE, "mvpn-dco unavailable: %s", err);
		l->dp_reason = "the mvpn-dco module is not available";
		return 0;
	}
	l->dco_open = true;
	l->use_dco = true;
	snprintf(l->ifname, sizeof(l->ifname), "%s", l->dco.ifname);
	l->ifindex = l->dco.ifindex;
	return 0;
}

int loop_run(const struct loop_opts *o)
{
	struct loop *l = calloc(1, sizeof(*l));
	struct engine_params ep = { 0 };
	char err[512];
	sigset_t mask;
	int status = 1;

	if (!l) {
		mlog(LOG_ERR, "out of memory");
		return 1;
	}
	l->o = o;
	l->cfg = o->cfg;
	l->sock = l->sfd = l->tfd = l->ep = -1;
	l->tcp_tx = malloc(TCP_TXBUF);
	if (!l->tcp_tx)
		goto out;
	if (netcfg_init(&l->net, err, sizeof(err))) {
		mlog(LOG_ERR, "%s", err);
		goto out;
	}

	if (choose_data_plane(l, err, sizeof(err))) {
		mlog(LOG_ERR, "Cannot start: %s", err);
		goto out;
	}
	if (!l->use_dco) {
		if (tun_open_flags(&l->tun, l->cfg->dev, 1, TUN_OPEN_VNET, err, sizeof(err))) {
			mlog(LOG_ERR, "Cannot open the tun device: %s", err);
			goto out;
		}
		l->tun_open = true;
		snprintf(l->ifname, sizeof(l->ifname), "%s", l->tun.name);
		l->ifindex = l->tun.ifindex;
		mlog(LOG_INFO, "Data plane: userspace on %s (%s)%s", l->ifname, l->dp_reason,
		     l->tun.offload ? ", TSO from tun" : "");
	} else {
		mlog(LOG_INFO, "Data plane: mvpn-dco kernel offload on %s", l->ifname);
	}

	ep.cfg = l->cfg;
	ep.rand_bytes = rand_cb;
	ep.force_prf = o->force_prf;
	ep.data_plane = l->use_dco ? "mvpn-dco" : "userspace";
	l->eng = engine_new(&ep, err, sizeof(err));
	if (!l->eng) {
		mlog(LOG_ERR, "Cannot start: %s", err);
		goto out;
	}

	l->ep = epoll_create1(EPOLL_CLOEXEC);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	l->sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (l->ep < 0 || l->sfd < 0 || l->tfd < 0) {
		mlog(LOG_ERR, "event loop setup: %s", strerror(errno));
		goto out;
	}
	ep_add(l, l->sfd, EPOLLIN, TAG_SIGNAL);
	ep_add(l, l->tfd, EPOLLIN, TAG_TIMER);
	if (l->tun_open)
		ep_add(l, l->tun.fd[0], EPOLLIN, TAG_TUN);
	if (l->use_dco)
		ep_add(l, dco_ntf_fd(&l->dco), EPOLLIN, TAG_DCO);

	ev_simple(l, EV_START, NULL);
	while (!l->done) {
		struct epoll_event evs[16];
		int n;

		arm_timer(l);
		n = epoll_wait(l->ep, evs, 16, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			mlog(LOG_ERR, "epoll_wait: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < n && !l->done; i++) {
			int tag = (int)(evs[i].data.u64 >> 32);

			switch (tag) {
			case TAG_SIGNAL:
				signal_event(l);
				break;
			case TAG_TIMER: {
				uint64_t x;

				if (read(l->tfd, &x, sizeof(x)) < 0 && errno != EAGAIN)
					break;
				ev_simple(l, EV_TICK, NULL);
				break;
			}
			case TAG_SOCK:
				if (l->sock >= 0 && (int)(uint32_t)evs[i].data.u64 == l->sock)
					sock_event(l, evs[i].events);
				break;
			case TAG_TUN:
				tun_rx(l);
				break;
			case TAG_DCO:
				dco_event(l);
				break;
			}
		}
		if (!l->done)
			keepalive_check(l, now_ms());
	}
	status = l->status;
out:
	if (l->data_up)
		dp_tun_down(l);
	netcfg_free(&l->net);
	link_close(l);
	engine_free(l->eng);
	mvpn_dp_free(l->dp);
	if (l->comp_on)
		comp_ctx_free(&l->comp);
	if (l->tun_open)
		tun_close(&l->tun);
	if (l->dco_open)
		dco_close(&l->dco);
	if (l->sfd >= 0)
		close(l->sfd);
	if (l->tfd >= 0)
		close(l->tfd);
	if (l->ep >= 0)
		close(l->ep);
	free(l->tcp_tx);
	OPENSSL_cleanse(l, sizeof(*l));
	free(l);
	return status;
}
