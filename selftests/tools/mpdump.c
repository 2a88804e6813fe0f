// SPDX-License-Identifier: BSD-2-Clause
/*
 * mpdump: many peers on one multi-peer (MP) mvpn-dco device, and PEER_GET
 * dumps over them that take many parts (selftests/kernel/57-abuse-dump.sh).
 *
 *   mpdump --dev DEV --bind ADDR:PORT --count N [--cipher NAME]
 *          [--real ID,REMOTE,VPN4,KEYFILE,KEYDIR]...
 *
 * 1. One UDP socket bound to ADDR:PORT; peers 1..N on it (PEER_NEW with the
 *    same fd each time), each with a VPN IPv4 and IPv6 address, a remote
 *    and a primary key.  Peers named by --real get that remote, VPN IPv4
 *    address and the key of KEYFILE for KEYDIR (as `mvpnctl p2p-up` reads
 *    it), so that real clients can talk to them; the others get made-up
 *    values derived from the id and random keys.
 * 2. Dump 1, read with an 8 KiB buffer (the kernel fills no more per part):
 *    more than one part, every peer exactly once with the attributes it was
 *    given and zero counters, no NLM_F_DUMP_INTR; KEY_GET of every peer.
 * 3. Dump 2, and between its parts peers are deleted (ahead of the dump and
 *    behind it) and added (above every id) on another netlink socket: no
 *    peer twice, every peer left alone seen, every peer added early enough
 *    seen, no peer seen two parts after its deletion, NLM_F_DUMP_INTR seen.
 * 4. Prints one summary line and "ready", then waits for SIGTERM (the
 *    traffic checks run meanwhile), then deletes the lower half of the
 *    peers with PEER_DEL and closes the socket, which deletes the rest; a
 *    listener on the "peers" group counts PEER_DEL_NTF by reason: exactly
 *    one per peer, USERSPACE for the first half, TRANSPORT_DISCONNECT for
 *    the rest; a last dump must be empty.
 *
 * Any deviation: the reason on stderr, exit status 1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/mvpn_dco.h>

#include "ctlview.h"
#include "dcoreq.h"
#include "genl.h"
#include "p2pconf.h"

#define MAX_REAL	8
#define DUMP_BUF	8192	/* the user buffer: parts are at most this big */
#define MAX_IDS		(MVPN_PEER_ID_MAX + 1)

static const char *prog = "mpdump";

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

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- what each peer was given ----------------------------------------------- */

struct real_peer {
	uint32_t id;
	struct sockaddr_in remote;
	struct in_addr vpn4;
	struct mvpn_dp_key key;
};

static struct real_peer reals[MAX_REAL];
static int n_real;
static enum mvpn_dp_cipher cipher = MVPN_DP_AES_256_GCM;

static const struct real_peer *real_of(uint32_t id)
{
	for (int i = 0; i < n_real; i++)
		if (reals[i].id == id)
			return &reals[i];
	return NULL;
}

/* The attributes a peer with this id was given. */
struct want {
	struct in_addr vpn4;
	struct in6_addr vpn6;
	struct sockaddr_in remote;
};

static void want_of(uint32_t id, struct want *w)
{
	const struct real_peer *r = real_of(id);

	memset(w, 0, sizeof(*w));
	/* fd57::ID for everyone: the real clients only use IPv4 */
	inet_pton(AF_INET6, "fd57::", &w->vpn6);
	w->vpn6.s6_addr[13] = (uint8_t)(id >> 16);
	w->vpn6.s6_addr[14] = (uint8_t)(id >> 8);
	w->vpn6.s6_addr[15] = (uint8_t)id;
	if (r) {
		w->vpn4 = r->vpn4;
		w->remote = r->remote;
		return;
	}
	/* 10.128.0.0/9 + id for the VPN, 198.18.0.0/15 + id as the remote */
	w->vpn4.s_addr = htonl(0x0A800000u + id);
	w->remote.sin_family = AF_INET;
	w->remote.sin_addr.s_addr = htonl(0xC6120000u + (id & 0x1FFFF));
	w->remote.sin_port = htons((uint16_t)(1024 + id % 60000));
}

/* ---- requests ----------------------------------------------------------------- */

static int peer_new(struct genl_sock *gs, uint32_t ifindex, uint32_t id, int fd)
{
	char buf[GENL_BUF_SIZE];
	struct want w;
	struct dcoreq_peer p = { .id = id, .sock = fd, .remote = (struct sockaddr *)&w.remote,
				 .vpn4 = &w.vpn4, .vpn6 = &w.vpn6 };

	want_of(id, &w);
	return genl_talk(gs, dcoreq_peer(gs, buf, MVPN_CMD_PEER_NEW, ifindex, &p), NULL, NULL);
}

static int key_new(struct genl_sock *gs, uint32_t ifindex, uint32_t id)
{
	const struct real_peer *r = real_of(id);
	char buf[GENL_BUF_SIZE];
	struct mvpn_dp_key k;
	int err;

	if (r) {
		k = r->key;
	} else if (getrandom(&k, sizeof(k), 0) != (ssize_t)sizeof(k)) {
		die("getrandom: %s", strerror(errno));
	}
	k.key_id = 0;
	k.cipher = cipher;
	err = genl_talk(gs, dcoreq_key_new(gs, buf, ifindex, id, MVPN_KEY_SLOT_PRIMARY, &k), NULL,
			NULL);
	explicit_bzero(&k, sizeof(k));
	explicit_bzero(buf, sizeof(buf));
	return err;
}

static int key_get(struct genl_sock *gs, uint32_t ifindex, uint32_t id, struct ctlview_key *ks)
{
	char buf[GENL_BUF_SIZE];

	memset(ks, 0, sizeof(*ks));
	return genl_talk(gs, dcoreq_key(gs, buf, MVPN_CMD_KEY_GET, ifindex, id,
					MVPN_KEY_SLOT_PRIMARY), ctlview_key_cb, ks);
}

static int peer_del(struct genl_sock *gs, uint32_t ifindex, uint32_t id)
{
	char buf[GENL_BUF_SIZE];
	struct dcoreq_peer p = { .id = id };

	return genl_talk(gs, dcoreq_peer(gs, buf, MVPN_CMD_PEER_DEL, ifindex, &p), NULL, NULL);
}

/* ---- one dumped peer ------------------------------------------------------------ */

struct seen_peer {
	bool has_id, has_vpn4, has_vpn6, has_remote4, has_port, has_local_port;
	uint32_t id, ifindex;
	struct in_addr vpn4, remote4;
	struct in6_addr vpn6;
	uint16_t port, local_port;
	uint64_t counters_sum;
	int n_counters;
};

static int peer_attr_cb(const struct nlattr *a, void *data)
{
	struct seen_peer *p = data;
	uint16_t type = mnl_attr_get_type(a);
	uint16_t len = mnl_attr_get_payload_len(a);

	switch (type) {
	case MVPN_A_PEER_ID:
		if (len == 4) {
			p->id = mnl_attr_get_u32(a);
			p->has_id = true;
		}
		break;
	case MVPN_A_PEER_VPN_IPV4:
		if (len == 4) {
			memcpy(&p->vpn4, mnl_attr_get_payload(a), 4);
			p->has_vpn4 = true;
		}
		break;
	case MVPN_A_PEER_VPN_IPV6:
		if (len == 16) {
			memcpy(&p->vpn6, mnl_attr_get_payload(a), 16);
			p->has_vpn6 = true;
		}
		break;
	case MVPN_A_PEER_REMOTE_IPV4:
		if (len == 4) {
			memcpy(&p->remote4, mnl_attr_get_payload(a), 4);
			p->has_remote4 = true;
		}
		break;
	case MVPN_A_PEER_REMOTE_PORT:
		if (len == 2) {
			memcpy(&p->port, mnl_attr_get_payload(a), 2);
			p->has_port = true;
		}
		break;
	case MVPN_A_PEER_LOCAL_PORT:
		if (len == 2) {
			memcpy(&p->local_port, mnl_attr_get_payload(a), 2);
			p->has_local_port = true;
		}
		break;
	default:
		if (type >= MVPN_A_PEER_VPN_RX_BYTES && type <= MVPN_A_PEER_MAX && len == 8) {
			p->counters_sum += mnl_attr_get_u64(a);
			p->n_counters++;
		}
	}
	return MNL_CB_OK;
}

/* Decode one PEER_GET message; false when it is not one. */
static bool peer_decode(const struct nlmsghdr *nlh, struct seen_peer *p)
{
	const struct nlattr *a;
	bool nest = false;

	memset(p, 0, sizeof(*p));
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(struct genlmsghdr))
		return false;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == MVPN_A_IFINDEX && mnl_attr_get_payload_len(a) == 4)
			p->ifindex = mnl_attr_get_u32(a);
		if (mnl_attr_get_type(a) == MVPN_A_PEER) {
			nest = true;
			mnl_attr_parse_nested(a, peer_attr_cb, p);
		}
	}
	return nest && p->has_id;
}

/* Is this what peer p->id was given (real ones: traffic moves counters)? */
static const char *peer_wrong(const struct seen_peer *p, uint32_t ifindex, uint16_t lport)
{
	struct want w;

	want_of(p->id, &w);
	if (p->ifindex != ifindex)
		return "IFINDEX";
	if (!p->has_vpn4 || p->vpn4.s_addr != w.vpn4.s_addr)
		return "VPN_IPV4";
	if (!p->has_vpn6 || memcmp(&p->vpn6, &w.vpn6, 16))
		return "VPN_IPV6";
	if (!p->has_remote4 || p->remote4.s_addr != w.remote.sin_addr.s_addr)
		return "REMOTE_IPV4";
	if (!p->has_port || p->port != w.remote.sin_port)
		return "REMOTE_PORT";
	if (!p->has_local_port || p->local_port != lport)
		return "LOCAL_PORT";
	if (p->n_counters != MVPN_A_PEER_MAX - MVPN_A_PEER_VPN_RX_BYTES + 1)
		return "the counters (some missing)";
	if (!real_of(p->id) && p->counters_sum)
		return "the counters (not zero on a peer without traffic)";
	return NULL;
}

/* ---- dumps -------------------------------------------------------------------------- */

/*
 * Between two parts of a dump: called with the number of parts received
 * so far; may change the peer set through another socket.
 */
typedef void (*between_fn)(int parts, void *arg);

struct dump_result {
	int parts, intr, peers;
	uint16_t *count;	/* times seen, by id */
	int *part_of;		/* the part an id was (last) seen in */
	const char *wrong;	/* the first attribute found wrong */
	uint32_t wrong_id;
};

/*
 * The dumps have a socket of their own (genl_open_same) that only ever
 * receives into DUMP_BUF bytes: the kernel sizes a dump's parts by the
 * largest buffer a socket has received into (genl_talk's are 32 KiB).
 */
static struct genl_sock dump_gs;

static void dump(uint32_t ifindex, uint16_t lport, struct dump_result *r, between_fn between,
		 void *arg)
{
	char req[GENL_BUF_SIZE], *buf = malloc(DUMP_BUF);
	struct nlmsghdr *nlh = dcoreq_peer_dump(&dump_gs, req, ifindex);
	uint32_t seq = nlh->nlmsg_seq;
	bool done = false;

	if (!buf)
		die("out of memory");
	r->parts = r->intr = r->peers = 0;
	r->wrong = NULL;
	memset(r->count, 0, sizeof(uint16_t) * MAX_IDS);
	if (genl_send(&dump_gs, nlh))
		die("PEER_GET dump: %s", dump_gs.err);
	while (!done) {
		int len = genl_recv_buf(&dump_gs, buf, DUMP_BUF);

		if (len == -ENOSPC)
			die("PEER_GET dump: a part did not fit into %d bytes", DUMP_BUF);
		if (len < 0)
			die("PEER_GET dump: %s", dump_gs.err);
		for (nlh = (struct nlmsghdr *)buf; genl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			struct seen_peer p;
			const char *wrong;

			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				r->intr++;
			if (nlh->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				die("PEER_GET dump: error %s in part %d",
				    strerror(-e->error), r->parts + 1);
			}
			if (!peer_decode(nlh, &p))
				die("PEER_GET dump: part %d holds a message that is no peer",
				    r->parts + 1);
			if (p.id > MVPN_PEER_ID_MAX)
				die("PEER_GET dump: peer id %u out of range", p.id);
			r->count[p.id]++;
			r->part_of[p.id] = r->parts + 1;
			r->peers++;
			wrong = peer_wrong(&p, ifindex, lport);
			if (wrong && !r->wrong) {
				r->wrong = wrong;
				r->wrong_id = p.id;
			}
		}
		r->parts++;
		if (!done && between)
			between(r->parts, arg);
	}
	free(buf);
}

/* ---- notifications --------------------------------------------------------------------- */

struct ntf_count {
	unsigned long reason[5], other;
};

static int ntf_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == MVPN_A_PEER_DEL_REASON && mnl_attr_get_payload_len(a) == 4)
		*(uint32_t *)data = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int ntf_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ntf_count *c = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	uint32_t reason = UINT32_MAX;

	if (g->cmd != MVPN_CMD_PEER_DEL_NTF) {
		c->other++;
		return MNL_CB_OK;
	}
	mnl_attr_for_each(a, nlh, sizeof(*g))
		if (mnl_attr_get_type(a) == MVPN_A_PEER)
			mnl_attr_parse_nested(a, ntf_attr_cb, &reason);
	if (reason < 5)
		c->reason[reason]++;
	else
		c->other++;
	return MNL_CB_OK;
}

/* Read what is queued; wait up to wait_s for the total to reach want. */
static void ntf_drain(struct genl_sock *ntf, struct ntf_count *c, unsigned long want,
		      double wait_s)
{
	double deadline = now_s() + wait_s;

	for (;;) {
		struct pollfd pfd = { .fd = genl_fd(ntf), .events = POLLIN };
		unsigned long total = c->other;
		int err;

		for (int i = 0; i < 5; i++)
			total += c->reason[i];
		if (want && total >= want)
			return;
		if (poll(&pfd, 1, want ? 100 : 0) <= 0) {
			if (!want || now_s() > deadline)
				return;
			continue;
		}
		err = genl_recv(ntf, ntf_cb, c);
		if (err == -ENOBUFS)
			die("notifications were lost (ENOBUFS): the listener's buffer is too small");
		if (err)
			die("notifications: %s", ntf->err);
	}
}

/* ---- the churn between the parts of dump 2 ----------------------------------------- */

struct churn {
	struct genl_sock *gs;
	uint32_t ifindex, count;
	int fd;
	int *deleted_in;	/* by id: the part after which it was deleted (0: never) */
	int *added_in;		/* by id: the part after which it was added (0: never) */
	int deletions, additions, stop_adding;
};

/*
 * After part k: delete one peer far ahead of the dump (an even id from the
 * top) and one behind it (an even id from the bottom), add one above every
 * id.  Odd ids and the real peers are never touched.
 */
static void churn_between(int k, void *arg)
{
	struct churn *c = arg;
	uint32_t ahead = c->count - 2 * (uint32_t)k, behind = 2 * (uint32_t)k;

	for (int i = 0; i < 2; i++) {
		uint32_t id = i ? behind : ahead;
		int err;

		if (id < 2 || id > c->count || (id & 1) || real_of(id) || c->deleted_in[id])
			continue;
		err = peer_del(c->gs, c->ifindex, id);
		if (err)
			die("churn: PEER_DEL %u: %s", id, c->gs->err);
		c->deleted_in[id] = k;
		c->deletions++;
	}
	if (k < c->stop_adding) {
		uint32_t id = c->count + (uint32_t)k;
		int err;

		if (id > MVPN_PEER_ID_MAX - 1)
			return;
		err = peer_new(c->gs, c->ifindex, id, c->fd);
		if (!err)
			err = key_new(c->gs, c->ifindex, id);
		if (err)
			die("churn: PEER_NEW/KEY_NEW %u: %s", id, c->gs->err);
		c->added_in[id] = k;
		c->additions++;
	}
}

/* ---- main -------------------------------------------------------------------------------- */

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void parse_real(const char *spec)
{
	char buf[512], *f[5], *save = NULL, text[4096], err[200];
	struct mvpn_p2p_keys keys;
	struct sockaddr_storage ss;
	struct real_peer *r;
	socklen_t sslen;
	uint32_t v;
	ssize_t len;
	int n = 0, fd;

	if (n_real == MAX_REAL)
		die("at most %d --real", MAX_REAL);
	if (strlen(spec) >= sizeof(buf))
		die("--real %s: too long", spec);
	strcpy(buf, spec);
	for (char *t = strtok_r(buf, ",", &save); t && n < 5; t = strtok_r(NULL, ",", &save))
		f[n++] = t;
	if (n != 5)
		die("--real ID,REMOTE,VPN4,KEYFILE,KEYDIR (got '%s')", spec);
	r = &reals[n_real];
	if (mvpn_u32_parse(f[0], 1, MVPN_PEER_ID_MAX - 1, &r->id))
		die("--real: ID '%s' is not in 1..%u", f[0], MVPN_PEER_ID_MAX - 1);
	if (mvpn_endpoint_parse(f[1], 1, &ss, &sslen, err, sizeof(err)) || ss.ss_family != AF_INET)
		die("--real: REMOTE '%s': an IPv4 ADDR:PORT", f[1]);
	memcpy(&r->remote, &ss, sizeof(r->remote));
	if (inet_pton(AF_INET, f[2], &r->vpn4) != 1)
		die("--real: VPN4 '%s' is not an IPv4 address", f[2]);
	fd = open(f[3], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("--real: key file %s: %s", f[3], strerror(errno));
	len = read(fd, text, sizeof(text));
	close(fd);
	if (len < 0)
		die("--real: key file %s: %s", f[3], strerror(errno));
	if (mvpn_p2p_keys_parse(text, (size_t)len, &keys, err, sizeof(err)))
		die("--real: key file %s %s", f[3], err);
	if (mvpn_u32_parse(f[4], 0, 1, &v) ||
	    mvpn_p2p_key_for_dir(&keys, (int)v, 0, cipher, &r->key, err, sizeof(err)))
		die("--real: KEYDIR '%s' (0 or 1): %s", f[4], err);
	explicit_bzero(&keys, sizeof(keys));
	explicit_bzero(text, sizeof(text));
	n_real++;
}

static void usage(void)
{
	die("usage: %s --dev DEV --bind ADDR:PORT --count N [--cipher NAME] "
	    "[--real ID,REMOTE,VPN4,KEYFILE,KEYDIR]...", prog);
}

int main(int argc, char **argv)
{
	const char *dev = NULL, *bind_ep = NULL, *real_specs[MAX_REAL];
	struct sigaction sa = { .sa_handler = on_stop };
	struct genl_sock gs, gs2, ntf;
	struct sockaddr_storage ss;
	struct dump_result r1, r2, r3;
	struct ntf_count nc;
	struct churn ch;
	uint32_t count = 0, ifindex, v, half;
	int fd, n_specs = 0, rcvbuf = 32 << 20;
	uint16_t lport;
	socklen_t sslen;
	char err[200];
	double t0;

	for (int i = 1; i < argc; i += 2) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!val)
			usage();
		if (!strcmp(argv[i], "--dev")) {
			dev = val;
		} else if (!strcmp(argv[i], "--bind")) {
			bind_ep = val;
		} else if (!strcmp(argv[i], "--count")) {
			if (mvpn_u32_parse(val, 4, MVPN_MP_PEERS_MAX, &count))
				die("--count: 4..%u", MVPN_MP_PEERS_MAX);
		} else if (!strcmp(argv[i], "--cipher")) {
			if (!strcmp(val, "aes-128-gcm"))
				cipher = MVPN_DP_AES_128_GCM;
			else if (!strcmp(val, "aes-256-gcm"))
				cipher = MVPN_DP_AES_256_GCM;
			else if (!strcmp(val, "chacha20-poly1305"))
				cipher = MVPN_DP_CHACHA20_POLY1305;
			else
				die("--cipher aes-128-gcm|aes-256-gcm|chacha20-poly1305");
		} else if (!strcmp(argv[i], "--real")) {
			if (n_specs == MAX_REAL)
				die("at most %d --real", MAX_REAL);
			real_specs[n_specs++] = val;
		} else {
			usage();
		}
	}
	if (!dev || !bind_ep || !count)
		usage();
	for (int i = 0; i < n_specs; i++)	/* after --cipher, wherever it was */
		parse_real(real_specs[i]);
	for (int i = 0; i < n_real; i++)
		if (reals[i].id > count)
			die("--real id %u is above --count %u", reals[i].id, count);
	ifindex = if_nametoindex(dev);
	if (!ifindex)
		die("device %s: %s", dev, strerror(errno));
	if (mvpn_endpoint_parse(bind_ep, 1, &ss, &sslen, err, sizeof(err)))
		die("--bind %s", err);
	lport = ((struct sockaddr_in *)&ss)->sin_port;	/* same offset for IPv6 */
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sslen))
		die("UDP socket on %s: %s", bind_ep, strerror(errno));
	if (genl_open(&gs, MVPN_FAMILY_NAME) || genl_open(&gs2, MVPN_FAMILY_NAME) ||
	    genl_open(&ntf, MVPN_FAMILY_NAME))
		die("%s", gs.err[0] ? gs.err : ntf.err);
	if (genl_open_same(&dump_gs, &gs))
		die("netlink socket for the dumps: %s", dump_gs.err);
	if (setsockopt(genl_fd(&ntf), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		die("SO_RCVBUFFORCE: %s", strerror(errno));
	if (genl_join_peers(&ntf))
		die("join the peers group: %s", ntf.err);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	r1.count = calloc(MAX_IDS, sizeof(uint16_t));
	r1.part_of = calloc(MAX_IDS, sizeof(int));
	ch.deleted_in = calloc(MAX_IDS, sizeof(int));
	ch.added_in = calloc(MAX_IDS, sizeof(int));
	if (!r1.count || !r1.part_of || !ch.deleted_in || !ch.added_in)
		die("out of memory");
	r2 = r1;
	r3 = r1;

	/* 1. the peers */
	t0 = now_s();
	for (v = 1; v <= count; v++) {
		if (peer_new(&gs, ifindex, v, fd))
			die("PEER_NEW %u: %s", v, gs.err);
		if (key_new(&gs, ifindex, v))
			die("KEY_NEW %u: %s", v, gs.err);
	}
	printf("# %u peers with keys added in %.1fs\n", count, now_s() - t0);

	/* 2. a quiet dump in many parts */
	t0 = now_s();
	dump(ifindex, lport, &r1, NULL, NULL);
	if (r1.parts < 2)
		die("dump 1: %u peers came in %d part(s): the dump never restarted", count,
		    r1.parts);
	if (r1.intr)
		die("dump 1: NLM_F_DUMP_INTR on %d message(s), nothing changed", r1.intr);
	for (v = 0; v < MAX_IDS; v++) {
		bool want = v >= 1 && v <= count;

		if (r1.count[v] != (want ? 1 : 0))
			die("dump 1: peer %u seen %u times (want %d)", v, r1.count[v], want);
	}
	if (r1.wrong)
		die("dump 1: peer %u: wrong %s", r1.wrong_id, r1.wrong);
	for (v = 1; v <= count; v++) {
		struct ctlview_key ks;

		if (key_get(&gs, ifindex, v, &ks))
			die("KEY_GET %u: %s", v, gs.err);
		if (!ks.present || ks.key_id != 0 || ks.alg != dcoreq_cipher_alg(cipher) ||
		    ks.key_len != mvpn_dp_cipher_key_len(cipher))
			die("KEY_GET %u: wrong key (id %u alg %u len %u)", v, ks.key_id, ks.alg,
			    ks.key_len);
	}
	printf("# dump 1: %d peers in %d parts, each once, attributes and keys right (%.1fs)\n",
	       r1.peers, r1.parts, now_s() - t0);

	/* 3. a dump with peers deleted and added between its parts */
	ntf_drain(&ntf, &nc, 0, 0);
	memset(&ch, 0, offsetof(struct churn, deleted_in));
	ch.gs = &gs2;
	ch.ifindex = ifindex;
	ch.count = count;
	ch.fd = fd;
	ch.stop_adding = r1.parts / 2;
	dump(ifindex, lport, &r2, churn_between, &ch);
	for (v = 0; v < MAX_IDS; v++) {
		bool touched = ch.deleted_in[v] || ch.added_in[v];
		bool stable = v >= 1 && v <= count && !touched;

		if (r2.count[v] > 1)
			die("dump 2: peer %u seen %u times", v, r2.count[v]);
		if (stable && !r2.count[v])
			die("dump 2: peer %u, never touched, was not seen", v);
		if (!stable && !touched && r2.count[v])
			die("dump 2: peer %u seen, it never existed", v);
		if (ch.added_in[v] && !r2.count[v])
			die("dump 2: peer %u, added after part %d above every id, was not seen", v,
			    ch.added_in[v]);
		if (ch.deleted_in[v] && r2.count[v] && r2.part_of[v] > ch.deleted_in[v] + 1)
			die("dump 2: peer %u seen in part %d, deleted after part %d", v,
			    r2.part_of[v], ch.deleted_in[v]);
	}
	if (r2.wrong)
		die("dump 2: peer %u: wrong %s", r2.wrong_id, r2.wrong);
	if (!r2.intr)
		die("dump 2: %d deletions and %d additions during the dump, no NLM_F_DUMP_INTR",
		    ch.deletions, ch.additions);
	printf("# dump 2: %d peers in %d parts, %d deleted and %d added between parts, "
	       "none twice, NLM_F_DUMP_INTR on %d message(s)\n", r2.peers, r2.parts,
	       ch.deletions, ch.additions, r2.intr);
	memset(&nc, 0, sizeof(nc));
	ntf_drain(&ntf, &nc, (unsigned long)ch.deletions, 20);
	if (nc.reason[MVPN_DEL_REASON_USERSPACE] != (unsigned long)ch.deletions || nc.other)
		die("dump 2: %d PEER_DEL, but %lu PEER_DEL_NTF userspace and %lu others",
		    ch.deletions, nc.reason[MVPN_DEL_REASON_USERSPACE], nc.other);

	printf("peers=%u parts=%d churn_parts=%d intr=%d deleted=%d added=%d\nready\n",
	       count, r1.parts, r2.parts, r2.intr, ch.deletions, ch.additions);
	fflush(stdout);
	while (!stop)
		pause();

	/* 4. teardown: PEER_DEL the lower half, close the socket for the rest */
	ntf_drain(&ntf, &nc, 0, 0);
	memset(&nc, 0, sizeof(nc));
	dump(ifindex, lport, &r3, NULL, NULL);
	if (r3.wrong)
		die("before the teardown: peer %u: wrong %s", r3.wrong_id, r3.wrong);
	half = count / 2;
	{
		unsigned long by_del = 0, by_close = 0;

		for (v = 0; v < MAX_IDS; v++) {
			if (!r3.count[v])
				continue;
			if (v <= half) {
				if (peer_del(&gs, ifindex, v))
					die("PEER_DEL %u: %s", v, gs.err);
				by_del++;
			} else {
				by_close++;
			}
		}
		close(fd);
		ntf_drain(&ntf, &nc, by_del + by_close, 60);
		if (nc.reason[MVPN_DEL_REASON_USERSPACE] != by_del ||
		    nc.reason[MVPN_DEL_REASON_TRANSPORT_DISCONNECT] != by_close || nc.other)
			die("teardown: %lu PEER_DEL and %lu peers on the closed socket, but "
			    "PEER_DEL_NTF userspace %lu, transport-disconnect %lu, other %lu",
			    by_del, by_close, nc.reason[MVPN_DEL_REASON_USERSPACE],
			    nc.reason[MVPN_DEL_REASON_TRANSPORT_DISCONNECT], nc.other);
		dump(ifindex, lport, &r3, NULL, NULL);
		if (r3.peers)
			die("teardown: the dump still shows %d peers", r3.peers);
		printf("# teardown: %lu PEER_DEL (ntf userspace), %lu by closing the socket "
		       "(ntf transport-disconnect), the dump is empty\n", by_del, by_close);
	}
	genl_close(&ntf);
	genl_close(&gs2);
	genl_close(&gs);
	genl_close(&dump_gs);
	return 0;
}
