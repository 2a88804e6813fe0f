// SPDX-License-Identifier: BSD-2-Clause
/*
 * nlstress: generic netlink abuse of mvpn-dco for the kernel abuse selftests
 * (selftests/kernel/5N-abuse-*.sh).  Each subcommand hammers one thing and
 * prints one summary line; it exits non-zero, with the reason on stderr,
 * when the module answered something it must not.
 *
 *   nlstress swap --dev DEV --peer-id N --count N
 *       KEY_SWAP N times (a KEY_GET of both slots and a PEER_GET every 16).
 *
 *   nlstress reader --dev DEV
 *       PEER_GET (dump and do) and KEY_GET of both slots in a loop until
 *       SIGTERM; only ENOENT (no peer / empty slot) is an acceptable error.
 *
 *   nlstress churn --count N --cipher NAME --a NS,DEV,LOCAL,REMOTE
 *                  --b NS,DEV,LOCAL,REMOTE [--min-rx N] [--timeout S] [--wait-go]
 *       Plays the control plane of both ends of a link (network namespaces
 *       by name, /run/netns/NS): a UDP socket bound to LOCAL on each side,
 *       a peer, a fresh key.  Then N rounds; in each, each side does one of
 *         0 PEER_DEL, PEER_NEW on the same socket, KEY_NEW
 *         1 PEER_NEW replacing the peer (P2P), KEY_NEW
 *         2 close the socket (the module deletes the peer), a new socket on
 *           the same address, PEER_NEW, KEY_NEW
 *         3 rekey: KEY_NEW secondary, KEY_SWAP, KEY_DEL of the old key
 *       (a and b in different orders) with a new key id and new key
 *       material, then waits until traffic crossed the new state both ways
 *       (VPN_RX_PACKETS grew by --min-rx on both).  Every PEER_DEL_NTF is
 *       counted by reason and must match what the rounds did, exactly.
 *       --wait-go: once the link is up, print "ready" and wait for SIGUSR1
 *       before the first round (so that traffic can be started first).
 *
 *   nlstress eperm --dev DEV|--ifindex N [--mcast]
 *       Every command of the family once, with plausible attributes: each
 *       must be refused with EPERM (run it without CAP_NET_ADMIN).
 *       --mcast: joining the "peers" multicast group (peer ids, addresses)
 *       must be refused with EPERM as well.
 *
 *   nlstress hammer --dev DEV --remote ADDR:PORT [--cpu N --fifo --linger-ms MS]
 *       PEER_NEW (a new socket each time: the peer is replaced), KEY_NEW,
 *       PEER_SET with keepalive, KEY_SWAP, PEER_GET in a loop, as fast as
 *       possible, until the device is deleted under it (ENODEV; ENOENT
 *       when the peer went with it).  Prints "started" after the first
 *       round.  Any other error fails.  --cpu pins it to a CPU, --fifo makes
 *       it a real-time task there, --linger-ms keeps that CPU busy so long
 *       after the end: work the requests queued on that CPU's workqueues
 *       then runs only after the device had time to be freed.
 *
 *   nlstress fuzz --dev DEV --count N [--seed S]
 *       Random requests built from the family's attribute tree (valid
 *       and invalid types, lengths, nesting; fds of every kind): each must
 *       be answered (ACK or error), none may hang the socket.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/mvpn_dco.h>

#include "dcoreq.h"
#include "genl.h"
#include "p2pconf.h"

static const char *prog = "nlstress";

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static unsigned long parse_num(const char *name, const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max)
		die("%s: '%s' is not a number in 0..%lu", name, s, max);
	return v;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void open_family(struct genl_sock *gs)
{
	int err = genl_open(gs, MVPN_FAMILY_NAME);

	if (err)
		die("%s", gs->err);
}

static uint32_t dev_ifindex(const char *dev)
{
	unsigned int i = if_nametoindex(dev);

	if (!i)
		die("device %s: %s", dev, strerror(errno));
	return i;
}

/* ---- requests ------------------------------------------------------------------ */

struct peer_stats {
	bool found;
	uint32_t id;
	uint64_t vpn_rx_packets;
};

static int peer_attr_cb(const struct nlattr *a, void *data)
{
	struct peer_stats *ps = data;

	if (mnl_attr_get_type(a) == MVPN_A_PEER_VPN_RX_PACKETS &&
	    mnl_attr_validate(a, MNL_TYPE_U64) == 0)
		ps->vpn_rx_packets = mnl_attr_get_u64(a);
	if (mnl_attr_get_type(a) == MVPN_A_PEER_ID && mnl_attr_validate(a, MNL_TYPE_U32) == 0)
		ps->id = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int peer_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct peer_stats *ps = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == MVPN_A_PEER) {
			ps->found = true;
			mnl_attr_parse_nested(a, peer_attr_cb, ps);
		}
	}
	return MNL_CB_OK;
}

/* PEER_GET (do): 0 or -errno. */
static int peer_get(struct genl_sock *gs, uint32_t ifindex, uint32_t id, struct peer_stats *ps)
{
	char buf[GENL_BUF_SIZE];
	struct dcoreq_peer p = { .id = id };

	memset(ps, 0, sizeof(*ps));
	return genl_talk(gs, dcoreq_peer(gs, buf, MVPN_CMD_PEER_GET, ifindex, &p), peer_msg_cb, ps);
}

static int peer_dump(struct genl_sock *gs, uint32_t ifindex, struct peer_stats *ps)
{
	char buf[GENL_BUF_SIZE];

	memset(ps, 0, sizeof(*ps));
	return genl_talk(gs, dcoreq_peer_dump(gs, buf, ifindex), peer_msg_cb, ps);
}

/* KEY_GET, KEY_SWAP, KEY_DEL: a KEYCONF with PEER_ID and (slot >= 0) SLOT. */
static int key_req(struct genl_sock *gs, uint8_t cmd, uint32_t ifindex, uint32_t peer, int slot)
{
	char buf[GENL_BUF_SIZE];

	return genl_talk(gs, dcoreq_key(gs, buf, cmd, ifindex, peer, slot), NULL, NULL);
}

/* KEY_NEW of k (its key id and cipher) into slot. */
static int key_new(struct genl_sock *gs, uint32_t ifindex, uint32_t peer, uint32_t slot,
		   const struct mvpn_dp_key *k)
{
	char buf[GENL_BUF_SIZE];
	int err = genl_talk(gs, dcoreq_key_new(gs, buf, ifindex, peer, slot, k), NULL, NULL);

	memset(buf, 0, sizeof(buf));
	return err;
}

static int peer_new(struct genl_sock *gs, uint32_t ifindex, uint32_t id, int fd,
		    const struct sockaddr_in *remote)
{
	char buf[GENL_BUF_SIZE];
	struct dcoreq_peer p = { .id = id, .sock = fd, .remote = (const struct sockaddr *)remote };

	return genl_talk(gs, dcoreq_peer(gs, buf, MVPN_CMD_PEER_NEW, ifindex, &p), NULL, NULL);
}

static int peer_del(struct genl_sock *gs, uint32_t ifindex, uint32_t id)
{
	char buf[GENL_BUF_SIZE];
	struct dcoreq_peer p = { .id = id };

	return genl_talk(gs, dcoreq_peer(gs, buf, MVPN_CMD_PEER_DEL, ifindex, &p), NULL, NULL);
}

/* ---- swap ------------------------------------------------------------------------ */

struct devopt {
	const char *dev;
	uint32_t ifindex, peer_id;
	unsigned long count;
};

static void parse_devopts(int argc, char **argv, struct devopt *o, bool need_peer, bool need_count)
{
	bool have_peer = false, have_count = false;

	memset(o, 0, sizeof(*o));
	for (int i = 2; i < argc; i += 2) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			die("%s: option %s needs a value", argv[1], argv[i]);
		if (!strcmp(argv[i], "--dev")) {
			o->dev = v;
		} else if (!strcmp(argv[i], "--ifindex")) {
			o->ifindex = (uint32_t)parse_num("--ifindex", v, UINT32_MAX);
		} else if (!strcmp(argv[i], "--peer-id")) {
			o->peer_id = (uint32_t)parse_num("--peer-id", v, MVPN_PEER_ID_MAX);
			have_peer = true;
		} else if (!strcmp(argv[i], "--count")) {
			o->count = parse_num("--count", v, 1UL << 40);
			have_count = true;
		} else {
			die("%s: unknown option %s", argv[1], argv[i]);
		}
	}
	if (!o->dev && !o->ifindex)
		die("%s: --dev DEV is required", argv[1]);
	if ((need_peer && !have_peer) || (need_count && !have_count))
		die("%s: --peer-id and --count are required", argv[1]);
	if (!o->ifindex)
		o->ifindex = dev_ifindex(o->dev);
}

static int cmd_swap(int argc, char **argv)
{
	struct genl_sock gs;
	struct peer_stats ps;
	struct devopt o;
	unsigned long i, gets = 0;
	double t0 = now_s();
	int err;

	parse_devopts(argc, argv, &o, true, true);
	open_family(&gs);
	for (i = 0; i < o.count; i++) {
		err = key_req(&gs, MVPN_CMD_KEY_SWAP, o.ifindex, o.peer_id, -1);
		if (err)
			die("swap %lu of %lu: KEY_SWAP: %s", i + 1, o.count, gs.err);
		if (i % 16 == 15) {
			for (int s = 0; s < 2; s++)
				if ((err = key_req(&gs, MVPN_CMD_KEY_GET, o.ifindex, o.peer_id, s)))
					die("swap %lu: KEY_GET slot %d: %s", i + 1, s, gs.err);
			if ((err = peer_get(&gs, o.ifindex, o.peer_id, &ps)) || !ps.found)
				die("swap %lu: PEER_GET: %s", i + 1, err ? gs.err : "no peer in the reply");
			gets += 3;
		}
	}
	genl_close(&gs);
	printf("swaps=%lu gets=%lu seconds=%.1f\n", o.count, gets, now_s() - t0);
	return 0;
}

/* ---- reader ------------------------------------------------------------------------ */

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static int cmd_reader(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_stop };
	unsigned long reads = 0, absent = 0;
	struct peer_stats ps;
	struct genl_sock gs;
	struct devopt o;
	int err;

	parse_devopts(argc, argv, &o, false, false);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	open_family(&gs);
	while (!stop) {
		err = peer_dump(&gs, o.ifindex, &ps);
		if (err)
			die("PEER_GET dump: %s", gs.err);
		reads++;
		if (!ps.found) {
			absent++;
			continue;
		}
		/* The peer may go away at any moment: ENOENT is all that may happen. */
		for (int s = 0; s < 2; s++) {
			err = key_req(&gs, MVPN_CMD_KEY_GET, o.ifindex, ps.id, s);
			if (err && err != -ENOENT)
				die("KEY_GET slot %d: %s", s, gs.err);
			reads++;
		}
	}
	genl_close(&gs);
	printf("reads=%lu no_peer=%lu\n", reads, absent);
	return 0;
}

/* ---- churn ------------------------------------------------------------------------- */

struct side {
	const char *name;
	int netns;
	uint32_t ifindex, peer_id;
	struct sockaddr_in local, remote;
	struct genl_sock gs, ntf;
	int fd;
	unsigned long ntf_reason[5];	/* PEER_DEL_NTF by enum mvpn_del_reason */
	unsigned long want_reason[5];
	unsigned long other_ntf;
};

static void enter_netns(int fd, const char *name)
{
	if (setns(fd, CLONE_NEWNET))
		die("setns %s: %s", name, strerror(errno));
}

static void parse_side(const char *spec, struct side *s)
{
	char buf[256], *f[4], *save = NULL, path[300];
	struct sockaddr_storage ss;
	socklen_t len;
	char err[200];
	int n = 0;

	if (strlen(spec) >= sizeof(buf))
		die("%s: too long", spec);
	strcpy(buf, spec);
	for (char *t = strtok_r(buf, ",", &save); t && n < 4; t = strtok_r(NULL, ",", &save))
		f[n++] = t;
	if (n != 4)
		die("'%s': expected NS,DEV,LOCAL,REMOTE", spec);
	snprintf(path, sizeof(path), "/run/netns/%s", f[0]);
	s->netns = open(path, O_RDONLY | O_CLOEXEC);
	if (s->netns < 0)
		die("%s: %s", path, strerror(errno));
	enter_netns(s->netns, f[0]);
	s->ifindex = dev_ifindex(f[1]);
	open_family(&s->gs);
	open_family(&s->ntf);
	if (genl_join_peers(&s->ntf))
		die("%s: %s", f[0], s->ntf.err);
	{
		int big = 1 << 20;

		setsockopt(genl_fd(&s->ntf), SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	}
	if (mvpn_endpoint_parse(f[2], 1, &ss, &len, err, sizeof(err)) || ss.ss_family != AF_INET)
		die("%s: local %s: %s", f[0], f[2], ss.ss_family != AF_INET ? "IPv4 only" : err);
	memcpy(&s->local, &ss, sizeof(s->local));
	if (mvpn_endpoint_parse(f[3], 1, &ss, &len, err, sizeof(err)) || ss.ss_family != AF_INET)
		die("%s: remote %s: %s", f[0], f[3], ss.ss_family != AF_INET ? "IPv4 only" : err);
	memcpy(&s->remote, &ss, sizeof(s->remote));
	s->name = strdup(f[0]);
	s->fd = -1;
}

/* A UDP socket bound to the side's local address, made in its namespace. */
static void side_socket(struct side *s)
{
	enter_netns(s->netns, s->name);
	s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		die("%s: socket: %s", s->name, strerror(errno));
	if (bind(s->fd, (struct sockaddr *)&s->local, sizeof(s->local)))
		die("%s: bind %s:%u: %s", s->name, inet_ntoa(s->local.sin_addr),
		    ntohs(s->local.sin_port), strerror(errno));
}

static int ntf_cb(const struct nlmsghdr *nlh, void *data)
{
	struct side *s = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *b;

	if (g->cmd != MVPN_CMD_PEER_DEL_NTF) {
		s->other_ntf++;
		return MNL_CB_OK;
	}
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		if (mnl_attr_get_type(a) != MVPN_A_PEER)
			continue;
		mnl_attr_for_each_nested(b, a) {
			if (mnl_attr_get_type(b) == MVPN_A_PEER_DEL_REASON &&
			    mnl_attr_validate(b, MNL_TYPE_U32) == 0) {
				uint32_t r = mnl_attr_get_u32(b);

				if (r < 5)
					s->ntf_reason[r]++;
				else
					s->other_ntf++;
			}
		}
	}
	return MNL_CB_OK;
}

/* Read every pending notification of a side (wait up to ms for the first). */
static void side_drain(struct side *s, int ms)
{
	struct pollfd pfd = { .fd = genl_fd(&s->ntf), .events = POLLIN };

	while (poll(&pfd, 1, ms) > 0) {
		int err = genl_recv(&s->ntf, ntf_cb, s);

		if (err == -ENOBUFS)
			die("%s: notifications were lost (ENOBUFS)", s->name);
		if (err)
			die("%s: %s", s->name, s->ntf.err);
		ms = 0;
	}
}

static const char *const mode_name[] = { "del+new", "replace", "reconnect", "rekey" };

/* Key material of a round, key id key_id: side a encrypts with what b
 * decrypts with and the other way round. */
static void round_keys(struct mvpn_dp_key *a, struct mvpn_dp_key *b, enum mvpn_dp_cipher cipher,
		       int key_id)
{
	uint8_t k[80];

	if (getrandom(k, sizeof(k), 0) != (ssize_t)sizeof(k))
		die("getrandom: %s", strerror(errno));
	memset(a, 0, sizeof(*a));
	a->key_id = (uint8_t)key_id;
	a->cipher = cipher;
	memcpy(a->encrypt.key, k, 32);
	memcpy(a->encrypt.nonce_tail, k + 32, 8);
	memcpy(a->decrypt.key, k + 40, 32);
	memcpy(a->decrypt.nonce_tail, k + 72, 8);
	*b = *a;
	b->encrypt = a->decrypt;
	b->decrypt = a->encrypt;
	memset(k, 0, sizeof(k));
}

static void must(struct side *s, int err, const char *what, unsigned long round)
{
	if (err)
		die("%s round %lu: %s: %s", s->name, round, what, s->gs.err);
}

/* One side's part of a round. */
static void side_round(struct side *s, int mode, unsigned long round, const struct mvpn_dp_key *km)
{
	switch (mode) {
	case 0:
		must(s, peer_del(&s->gs, s->ifindex, s->peer_id), "PEER_DEL", round);
		s->want_reason[MVPN_DEL_REASON_USERSPACE]++;
		must(s, peer_new(&s->gs, s->ifindex, s->peer_id, s->fd, &s->remote), "PEER_NEW",
		     round);
		break;
	case 1:
		must(s, peer_new(&s->gs, s->ifindex, s->peer_id, s->fd, &s->remote),
		     "PEER_NEW (replace)", round);
		s->want_reason[MVPN_DEL_REASON_TEARDOWN]++;
		break;
	case 2:
		close(s->fd);
		s->want_reason[MVPN_DEL_REASON_TRANSPORT_DISCONNECT]++;
		side_socket(s);
		must(s, peer_new(&s->gs, s->ifindex, s->peer_id, s->fd, &s->remote),
		     "PEER_NEW (new socket)", round);
		break;
	default:
		must(s, key_new(&s->gs, s->ifindex, s->peer_id, MVPN_KEY_SLOT_SECONDARY, km),
		     "KEY_NEW secondary", round);
		must(s, key_req(&s->gs, MVPN_CMD_KEY_SWAP, s->ifindex, s->peer_id, -1), "KEY_SWAP",
		     round);
		must(s, key_req(&s->gs, MVPN_CMD_KEY_DEL, s->ifindex, s->peer_id,
				MVPN_KEY_SLOT_SECONDARY), "KEY_DEL (old key)", round);
		return;
	}
	must(s, key_new(&s->gs, s->ifindex, s->peer_id, MVPN_KEY_SLOT_PRIMARY, km),
	     "KEY_NEW primary", round);
}

static uint64_t side_rx(struct side *s, unsigned long round)
{
	struct peer_stats ps;
	int err = peer_get(&s->gs, s->ifindex, s->peer_id, &ps);

	if (err || !ps.found)
		die("%s round %lu: PEER_GET: %s", s->name, round, err ? s->gs.err : "no peer");
	return ps.vpn_rx_packets;
}

static int cmd_churn(int argc, char **argv)
{
	struct side sides[2] = { { 0 } };
	enum mvpn_dp_cipher c;
	unsigned long count = 0, min_rx = 5, timeout = 30, r;
	const char *cipher = NULL, *spec[2] = { NULL, NULL };
	unsigned long modes[2][4] = { { 0 } };
	double t0 = now_s(), slowest = 0;
	struct mvpn_dp_key km[2];
	bool wait_go = false;
	int key_id = 0;

	for (int i = 2; i < argc; i += 2) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--wait-go")) {
			wait_go = true;
			i--;
			continue;
		}
		if (!v)
			die("churn: option %s needs a value", argv[i]);
		if (!strcmp(argv[i], "--count"))
			count = parse_num("--count", v, 1UL << 32);
		else if (!strcmp(argv[i], "--cipher"))
			cipher = v;
		else if (!strcmp(argv[i], "--a"))
			spec[0] = v;
		else if (!strcmp(argv[i], "--b"))
			spec[1] = v;
		else if (!strcmp(argv[i], "--min-rx"))
			min_rx = parse_num("--min-rx", v, 1000000);
		else if (!strcmp(argv[i], "--timeout"))
			timeout = parse_num("--timeout", v, 3600);
		else
			die("churn: unknown option %s", argv[i]);
	}
	if (!count || !cipher || !spec[0] || !spec[1])
		die("churn: --count, --cipher, --a and --b are required");
	c = mvpn_dp_cipher_from_name(cipher);
	if (c == MVPN_DP_CIPHER_NONE)
		die("churn: --cipher %s: aes-128-gcm, aes-256-gcm or chacha20-poly1305", cipher);
	if (wait_go) {
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
	}
	for (int i = 0; i < 2; i++) {
		parse_side(spec[i], &sides[i]);
		sides[i].peer_id = (uint32_t)i + 1;
		side_socket(&sides[i]);
	}

	/* The link comes up. */
	round_keys(&km[0], &km[1], c, key_id);
	for (int i = 0; i < 2; i++) {
		struct side *s = &sides[i];

		must(s, peer_new(&s->gs, s->ifindex, s->peer_id, s->fd, &s->remote), "PEER_NEW", 0);
		must(s, key_new(&s->gs, s->ifindex, s->peer_id, MVPN_KEY_SLOT_PRIMARY, &km[i]),
		     "KEY_NEW", 0);
	}
	if (wait_go) {
		sigset_t set;
		int sig;

		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		printf("ready\n");
		if (sigwait(&set, &sig))
			die("sigwait failed");
		t0 = now_s();
	}

	for (r = 1; r <= count; r++) {
		int mode[2] = { (int)(r % 4), (int)((r * 3 + 1) % 4) };
		uint64_t base[2];
		double ts;

		key_id = (key_id + 1) % 8;
		round_keys(&km[0], &km[1], c, key_id);
		for (int i = 0; i < 2; i++) {
			side_round(&sides[i], mode[i], r, &km[i]);
			modes[i][mode[i]]++;
		}
		/* New peers count from 0; a rekeyed one from where it was. */
		for (int i = 0; i < 2; i++)
			base[i] = mode[i] == 3 ? side_rx(&sides[i], r) : 0;
		ts = now_s();
		for (;;) {
			bool ok = true;

			for (int i = 0; i < 2; i++)
				if (side_rx(&sides[i], r) < base[i] + min_rx)
					ok = false;
			if (ok)
				break;
			if (now_s() - ts > (double)timeout)
				die("round %lu (a: %s, b: %s): no traffic through the new state within %lus "
				    "(a rx %llu, b rx %llu)", r, mode_name[mode[0]], mode_name[mode[1]],
				    timeout, (unsigned long long)side_rx(&sides[0], r),
				    (unsigned long long)side_rx(&sides[1], r));
			usleep(2000);
		}
		if (now_s() - ts > slowest)
			slowest = now_s() - ts;
		for (int i = 0; i < 2; i++)
			side_drain(&sides[i], 0);
	}

	/* The link goes down; every deletion was announced exactly once. */
	for (int i = 0; i < 2; i++) {
		struct side *s = &sides[i];

		must(s, peer_del(&s->gs, s->ifindex, s->peer_id), "PEER_DEL (end)", count);
		s->want_reason[MVPN_DEL_REASON_USERSPACE]++;
	}
	for (int i = 0; i < 2; i++) {
		struct side *s = &sides[i];
		double ts = now_s();

		while (memcmp(s->ntf_reason, s->want_reason, sizeof(s->want_reason)) &&
		       now_s() - ts < 10)
			side_drain(s, 100);
		side_drain(s, 200);	/* and nothing more arrives */
		if (memcmp(s->ntf_reason, s->want_reason, sizeof(s->want_reason)) || s->other_ntf)
			die("%s: PEER_DEL_NTF by reason teardown/userspace/expired/transport-error/"
			    "transport-disconnect: got %lu/%lu/%lu/%lu/%lu, want %lu/%lu/%lu/%lu/%lu "
			    "(other notifications: %lu)", s->name,
			    s->ntf_reason[0], s->ntf_reason[1], s->ntf_reason[2], s->ntf_reason[3],
			    s->ntf_reason[4], s->want_reason[0], s->want_reason[1], s->want_reason[2],
			    s->want_reason[3], s->want_reason[4], s->other_ntf);
		close(s->fd);
		genl_close(&s->gs);
		genl_close(&s->ntf);
	}
	printf("rounds=%lu a=%lu/%lu/%lu/%lu b=%lu/%lu/%lu/%lu slowest=%.2fs seconds=%.1f\n",
	       count, modes[0][0], modes[0][1], modes[0][2], modes[0][3], modes[1][0],
	       modes[1][1], modes[1][2], modes[1][3], slowest, now_s() - t0);
	memset(km, 0, sizeof(km));
	return 0;
}

/* ---- eperm ---------------------------------------------------------------------------- */

static int cmd_eperm(int argc, char **argv)
{
	static const struct { uint8_t cmd; const char *name; bool dump; } cmds[] = {
		{ MVPN_CMD_PEER_NEW, "PEER_NEW", false },
		{ MVPN_CMD_PEER_SET, "PEER_SET", false },
		{ MVPN_CMD_PEER_GET, "PEER_GET", false },
		{ MVPN_CMD_PEER_GET, "PEER_GET dump", true },
		{ MVPN_CMD_PEER_DEL, "PEER_DEL", false },
		{ MVPN_CMD_KEY_NEW, "KEY_NEW", false },
		{ MVPN_CMD_KEY_GET, "KEY_GET", false },
		{ MVPN_CMD_KEY_SWAP, "KEY_SWAP", false },
		{ MVPN_CMD_KEY_DEL, "KEY_DEL", false },
		{ MVPN_CMD_DEV_OWN, "DEV_OWN", false },
	};
	bool mcast = false;
	struct genl_sock gs;
	struct mvpn_dp_key km;
	int fd, bad = 0;
	char *args[8];
	int n = 0;
	struct devopt o;
	struct sockaddr_in remote = { .sin_family = AF_INET, .sin_port = htons(1194) };

	for (int i = 0; i < argc && n < 8; i++) {
		if (!strcmp(argv[i], "--mcast"))
			mcast = true;
		else
			args[n++] = argv[i];
	}
	parse_devopts(n, args, &o, false, false);
	open_family(&gs);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&km, 0x5a, sizeof(km));	/* an AES-256-GCM key, id 0, of 0x5a bytes */
	km.key_id = 0;
	km.cipher = MVPN_DP_AES_256_GCM;
	inet_pton(AF_INET, "10.9.0.2", &remote.sin_addr);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		uint8_t cmd = cmds[i].cmd;
		struct dcoreq_peer p = { .id = 1, .sock = fd };
		char buf[GENL_BUF_SIZE];
		struct nlmsghdr *nlh;
		int err;

		if (cmd == MVPN_CMD_PEER_NEW || cmd == MVPN_CMD_PEER_SET)
			p.remote = (const struct sockaddr *)&remote;
		switch (cmd) {
		case MVPN_CMD_PEER_NEW:
		case MVPN_CMD_PEER_SET:
		case MVPN_CMD_PEER_GET:
		case MVPN_CMD_PEER_DEL:
			nlh = cmds[i].dump ? dcoreq_peer_dump(&gs, buf, o.ifindex) :
			      dcoreq_peer(&gs, buf, cmd, o.ifindex, &p);
			break;
		case MVPN_CMD_KEY_NEW:
			nlh = dcoreq_key_new(&gs, buf, o.ifindex, 1, MVPN_KEY_SLOT_PRIMARY, &km);
			break;
		case MVPN_CMD_KEY_GET:
		case MVPN_CMD_KEY_SWAP:
		case MVPN_CMD_KEY_DEL:
			nlh = dcoreq_key(&gs, buf, cmd, o.ifindex, 1,
					 cmd == MVPN_CMD_KEY_SWAP ? -1 : MVPN_KEY_SLOT_PRIMARY);
			break;
		default:
			nlh = dcoreq_dev(&gs, buf, cmd, NLM_F_REQUEST | NLM_F_ACK, o.ifindex);
			break;
		}
		err = genl_talk(&gs, nlh, NULL, NULL);
		printf("%s: %s\n", cmds[i].name, err ? gs.err : "accepted");
		if (err != -EPERM)
			bad++;
	}
	if (mcast) {
		int err = genl_join_peers(&gs);

		printf("join 'peers' multicast group: %s\n", err ? strerror(-err) : "accepted");
		if (err != -EPERM)
			bad++;
	}
	genl_close(&gs);
	if (fd >= 0)
		close(fd);
	if (bad)
		die("%d of %zu requests were not refused with EPERM", bad,
		    sizeof(cmds) / sizeof(cmds[0]) + mcast);
	printf("eperm=%zu\n", sizeof(cmds) / sizeof(cmds[0]) + mcast);
	return 0;
}

/* ---- hammer ------------------------------------------------------------------------- */

static int cmd_hammer(int argc, char **argv)
{
	struct sockaddr_in remote, local = { .sin_family = AF_INET };
	struct sockaddr_storage ss;
	const char *dev = NULL, *rspec = NULL;
	unsigned long rounds = 0, ops = 0, linger_ms = 0;
	long cpu = -1;
	bool fifo = false;
	struct genl_sock gs;
	struct mvpn_dp_key km;
	struct peer_stats ps;
	char errbuf[200];
	socklen_t len;
	uint32_t ifindex;
	int fd = -1, err = 0;
	const char *what = "";

	for (int i = 2; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--fifo")) {
			fifo = true;
			continue;
		}
		if (!v)
			die("hammer: option %s needs a value", argv[i]);
		i++;
		if (!strcmp(argv[i - 1], "--dev"))
			dev = v;
		else if (!strcmp(argv[i - 1], "--remote"))
			rspec = v;
		else if (!strcmp(argv[i - 1], "--cpu"))
			cpu = (long)parse_num("--cpu", v, CPU_SETSIZE - 1);
		else if (!strcmp(argv[i - 1], "--linger-ms"))
			linger_ms = parse_num("--linger-ms", v, 60000);
		else
			die("hammer: unknown option %s", argv[i - 1]);
	}
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			die("hammer: CPU %ld: %s", cpu, strerror(errno));
	}
	if (fifo) {
		struct sched_param sp = { .sched_priority = 50 };

		if (sched_setscheduler(0, SCHED_FIFO, &sp))
			die("hammer: SCHED_FIFO: %s", strerror(errno));
	}
	if (!dev || !rspec)
		die("hammer: --dev and --remote are required");
	if (mvpn_endpoint_parse(rspec, 1, &ss, &len, errbuf, sizeof(errbuf)) ||
	    ss.ss_family != AF_INET)
		die("hammer: --remote %s: %s", rspec, ss.ss_family != AF_INET ? "IPv4 only" : errbuf);
	memcpy(&remote, &ss, sizeof(remote));
	ifindex = dev_ifindex(dev);
	open_family(&gs);
	memset(&km, 0x3c, sizeof(km));	/* AES-128-GCM keys of 0x3c bytes */
	km.cipher = MVPN_DP_AES_128_GCM;
	for (;;) {
		struct dcoreq_peer ka = { .id = 1, .keepalive = true, .ka_interval = 1,
					  .ka_timeout = 5 };
		char buf[GENL_BUF_SIZE];
		int nfd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

		if (nfd < 0 || bind(nfd, (struct sockaddr *)&local, sizeof(local)))
			die("hammer: socket: %s", strerror(errno));
		what = "PEER_NEW";
		err = peer_new(&gs, ifindex, 1, nfd, &remote);
		/* The module holds the socket now (or refused it): ours can go. */
		if (fd >= 0)
			close(fd);
		fd = nfd;
		if (err)
			break;
		ops++;
		what = "KEY_NEW";
		km.key_id = (uint8_t)(rounds % 8);
		err = key_new(&gs, ifindex, 1, MVPN_KEY_SLOT_PRIMARY, &km);
		if (err)
			break;
		ops++;
		what = "PEER_SET";
		err = genl_talk(&gs, dcoreq_peer(&gs, buf, MVPN_CMD_PEER_SET, ifindex, &ka), NULL,
				NULL);
		if (err)
			break;
		ops++;
		what = "KEY_SWAP";
		err = key_req(&gs, MVPN_CMD_KEY_SWAP, ifindex, 1, -1);
		if (err)
			break;
		ops++;
		what = "PEER_GET";
		err = peer_get(&gs, ifindex, 1, &ps);
		if (err)
			break;
		ops++;
		if (!rounds++)
			printf("started\n");
	}
	if (err != -ENODEV && err != -ENOENT)
		die("hammer: round %lu: %s: %s", rounds, what, gs.err);
	if (fd >= 0)
		close(fd);
	genl_close(&gs);
	if (linger_ms) {
		double until = now_s() + (double)linger_ms / 1000;

		while (now_s() < until)
			;
	}
	printf("rounds=%lu ops=%lu end=%s:%s\n", rounds, ops, what, err == -ENODEV ? "ENODEV" : "ENOENT");
	return 0;
}

/* ---- fuzz ------------------------------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

/* Descriptors of every kind, for SOCKET attributes. */
static int fuzz_fds[16];
static int n_fuzz_fds;

static void fuzz_fds_open(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd;

	fuzz_fds[n_fuzz_fds++] = socket(AF_INET, SOCK_DGRAM, 0);	/* unbound UDP */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&sin, sizeof(sin));			/* bound UDP */
	fuzz_fds[n_fuzz_fds++] = fd;
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	{
		struct sockaddr_in6 s6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };

		bind(fd, (struct sockaddr *)&s6, sizeof(s6));		/* bound UDPv6 */
	}
	fuzz_fds[n_fuzz_fds++] = fd;
	fuzz_fds[n_fuzz_fds++] = socket(AF_INET, SOCK_STREAM, 0);	/* TCP */
	fuzz_fds[n_fuzz_fds++] = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);	/* raw "UDP" */
	fuzz_fds[n_fuzz_fds++] = socket(AF_UNIX, SOCK_DGRAM, 0);
	fuzz_fds[n_fuzz_fds++] = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
	fuzz_fds[n_fuzz_fds++] = open("/dev/null", O_RDONLY);
	fuzz_fds[n_fuzz_fds++] = epoll_create1(0);
	fuzz_fds[n_fuzz_fds++] = 0;
	fuzz_fds[n_fuzz_fds++] = 9999;					/* not open */
}

/* A random attribute value: mostly sizes that make sense, sometimes not. */
static void put_random(struct nlmsghdr *nlh, uint16_t type)
{
	uint8_t junk[64];
	uint32_t len;

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)rnd();
	switch (rnd_below(8)) {
	case 0:
		mnl_attr_put_u32(nlh, type, (uint32_t)rnd());
		break;
	case 1:
		mnl_attr_put_u32(nlh, type, rnd_below(10));
		break;
	case 2:
		mnl_attr_put_u16(nlh, type, (uint16_t)rnd());
		break;
	case 3:
		mnl_attr_put_u64(nlh, type, rnd());
		break;
	case 4:
		mnl_attr_put(nlh, type, 16, junk);
		break;
	case 5:
		mnl_attr_put_u32(nlh, type, (uint32_t)fuzz_fds[rnd_below((uint32_t)n_fuzz_fds)]);
		break;
	default:
		len = rnd_below(sizeof(junk) + 1);
		mnl_attr_put(nlh, type, len, junk);
		break;
	}
}

static void put_random_nest(struct nlmsghdr *nlh, uint16_t type, int max, int depth)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	uint32_t n = rnd_below(8);

	for (uint32_t i = 0; i < n; i++) {
		uint16_t t = (uint16_t)rnd_below((uint32_t)max + 3);

		if (depth < 2 && rnd_below(6) == 0)
			put_random_nest(nlh, t, max, depth + 1);
		else
			put_random(nlh, t);
	}
	mnl_attr_nest_end(nlh, nest);
}

static int cmd_fuzz(int argc, char **argv)
{
	unsigned long answered[2] = { 0, 0 }, seed = 1;
	struct genl_sock gs;
	struct devopt o;
	char *args[8];
	int n = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = parse_num("--seed", argv[++i], ~0UL);
		else if (n < 8)
			args[n++] = argv[i];
	}
	parse_devopts(n, args, &o, false, true);
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
	fuzz_fds_open();
	open_family(&gs);
	for (unsigned long i = 0; i < o.count; i++) {
		char buf[GENL_BUF_SIZE];
		uint8_t cmd = (uint8_t)rnd_below(MVPN_CMD_MAX + 3);
		bool dump = rnd_below(8) == 0;
		struct nlmsghdr *nlh = genl_req(&gs, buf, cmd,
						NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK));
		uint32_t nattr = rnd_below(5);
		int err;

		if (rnd_below(8))
			mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, rnd_below(4) ? o.ifindex : (uint32_t)rnd());
		for (uint32_t k = 0; k < nattr; k++) {
			uint16_t t = (uint16_t)rnd_below(MVPN_A_MAX + 3);

			if (t == MVPN_A_PEER || (rnd_below(4) == 0))
				put_random_nest(nlh, t, MVPN_A_PEER_MAX, 0);
			else if (t == MVPN_A_KEYCONF)
				put_random_nest(nlh, t, MVPN_A_KEYCONF_MAX, 0);
			else
				put_random(nlh, t);
		}
		/* Never DEV_OWN: it would tie the device's life to this socket. */
		if (cmd == MVPN_CMD_DEV_OWN)
			continue;
		err = genl_talk(&gs, nlh, NULL, NULL);
		answered[err ? 1 : 0]++;
		if (err == -EPROTO || err == -ENOBUFS)
			die("request %lu (cmd %u): %s", i, cmd, gs.err);
	}
	genl_close(&gs);
	printf("requests=%lu accepted=%lu refused=%lu\n", answered[0] + answered[1], answered[0],
	       answered[1]);
	return 0;
}

/* ---- dispatch --------------------------------------------------------------------------- */

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "swap", cmd_swap, "--dev DEV --peer-id N --count N" },
	{ "reader", cmd_reader, "--dev DEV   (until SIGTERM)" },
	{ "churn", cmd_churn, "--count N --cipher NAME --a NS,DEV,LOCAL,REMOTE "
			      "--b NS,DEV,LOCAL,REMOTE [--min-rx N] [--timeout S]" },
	{ "eperm", cmd_eperm, "--dev DEV|--ifindex N [--mcast]" },
	{ "hammer", cmd_hammer, "--dev DEV --remote ADDR:PORT   (until the device is deleted)" },
	{ "fuzz", cmd_fuzz, "--dev DEV --count N [--seed S]" },
};

int main(int argc, char **argv)
{
	if (argc >= 2) {
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
			if (!strcmp(argv[1], commands[i].name)) {
				setvbuf(stdout, NULL, _IOLBF, 0);
				return commands[i].fn(argc, argv);
			}
		}
	}
	fprintf(stderr, "usage: %s COMMAND ARGS\n", prog);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(stderr, "  %-7s %s\n", commands[i].name, commands[i].help);
	return 2;
}
