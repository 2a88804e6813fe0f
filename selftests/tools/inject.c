// SPDX-License-Identifier: BSD-2-Clause
/*
 * inject: hostile datagrams at an mvpn-dco UDP socket, for the kernel abuse
 * selftests (selftests/kernel/5N-abuse-*.sh).  Runs in the sender's network
 * namespace, as root (raw and packet sockets).
 *
 *   inject --from ADDR:PORT --to ADDR:PORT --count N [--seed S]
 *          [--sniff IFACE] [--templates N] [--sniff-timeout S]
 *          [--key-file F --key-dir 0|1 --key-id K --cipher NAME --peer-id P]
 *          [--echo SRC,DST] [--mix CLASS=W,...] [--max-size N] [--big PERMILLE]
 *          [--rx-keys K,...]
 *
 * Every datagram is built by hand (IPv4 and UDP headers, IPv4 fragments when
 * it does not fit the 1500-byte link) and sent from --from over a raw
 * socket, so that the sender may use the port of the real peer's socket:
 * a replayed packet that happens to arrive before its original cannot make
 * the receiver's peer float.  The classes (weights in --mix):
 *
 *   random     random bytes, random length (mostly control-channel opcodes)
 *   opcode     random bytes behind a P_DATA_V2 opcode with a random key id
 *   mutate     a captured real data packet, changed: bits flipped, truncated,
 *              extended, key id / packet id / tag replaced, or spliced
 *   replay     a captured real data packet, unchanged
 *   authentic  a valid data packet sealed with --key-file (the receiver must
 *              hold that key, e.g. in its secondary slot): garbage, IPv4- or
 *              IPv6-looking junk, the keepalive ping, or (--echo) a real
 *              ICMP echo request inside
 *   badsum     any of the above with a wrong UDP checksum (dropped by UDP)
 *
 * mutate and replay need templates: --sniff IFACE captures real data
 * packets sent from --from to --to on IFACE first (traffic must flow).
 *
 * The last line on stdout accounts for everything that was sent, so that a
 * test can check the receiver's counters against it:
 *
 *   sent=N frags=N lost=N nondata=N data=N badsum=N auth_ip=N auth_ping=N auth_echo=N
 *   expect_drops=N expect_auth=N expect_replay=N expect_unknown_key=N
 *   expect_malformed=N templates=N
 *
 * nondata: reach the socket's receive queue (userspace); data: P_DATA_V2
 * packets the module takes, each counted exactly once, either as a drop
 * (auth, replay, unknown key, malformed, no key) or, for auth_ip and
 * auth_ping, delivered; expect_drops = data - auth_ip - auth_ping.  The
 * expect_* counts split expect_drops by the counter the module must use,
 * following its order of checks (io.c): too short (malformed), no slot
 * with the key id (unknown key; --rx-keys are the receiver's key ids),
 * authentication, replay, not IP inside (malformed).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "dataplane.h"
#include "p2pconf.h"

#define DATA_V2_OP	9	/* P_DATA_V2 opcode (openvpn-protocol.md §8) */
#define V2_HEAD		8	/* op|key_id, peer id, packet id */
#define V2_CT_OFF	24	/* header and tag */
#define LINK_MTU	1500
#define IP4_HDR		20
#define UDP_HDR		8
#define MAX_DGRAM	8192	/* largest UDP payload we build */
#define MAX_TEMPLATES	64
#define BATCH		64

enum cls { C_RANDOM, C_OPCODE, C_MUTATE, C_REPLAY, C_AUTHENTIC, C_BADSUM, C_N };
static const char *const cls_name[C_N] = {
	"random", "opcode", "mutate", "replay", "authentic", "badsum",
};

struct tmpl {
	uint8_t b[LINK_MTU];
	size_t len;
};

static struct {
	struct sockaddr_in from, to;
	unsigned long count;
	uint64_t seed;
	const char *sniff;
	unsigned int ntemplates, sniff_timeout;
	const char *key_file, *cipher;
	int key_dir, key_id;
	uint32_t peer_id;
	bool echo;
	struct in_addr echo_src, echo_dst;
	unsigned int weight[C_N];
	size_t max_size;
	unsigned int big;	/* per mille of datagrams up to MAX_DGRAM bytes */
	unsigned int rx_keys;	/* bit k: the receiver holds key id k */
} opt = {
	.seed = 1, .ntemplates = 32, .sniff_timeout = 30, .key_dir = -1, .key_id = -1,
	.weight = { 2, 2, 4, 1, 1, 0 }, .max_size = 1400, .big = 20,
};

static struct tmpl templates[MAX_TEMPLATES];
static unsigned int ntempl;
static struct mvpn_dp *dp;

static struct {
	unsigned long sent, frags, lost, nondata, data, badsum, auth_ip, auth_ping, auth_echo;
	unsigned long by_class[C_N];
	unsigned long exp_auth, exp_replay, exp_unknown_key, exp_malformed;
} tally;

/* What the receiver's module does with an authentic packet. */
enum fate { F_NONE, F_AUTH_IP, F_AUTH_ECHO, F_AUTH_PING };

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("inject: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* ---- deterministic randomness (xorshift64*) -------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [0, n). */
static size_t rnd_below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static void rnd_fill(uint8_t *p, size_t n)
{
	while (n) {
		uint64_t v = rnd();
		size_t k = n < 8 ? n : 8;

		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}

/* A length for a new datagram: mostly up to --max-size, sometimes big. */
static size_t rnd_len(void)
{
	if (rnd_below(1000) < opt.big)
		return opt.max_size + rnd_below(MAX_DGRAM - opt.max_size + 1);
	return rnd_below(opt.max_size + 1);
}

/* ---- checksums -------------------------------------------------------------- */

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (i < n)
		sum += (uint32_t)p[i] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* ---- options ----------------------------------------------------------------- */

static void parse_ep(const char *s, struct sockaddr_in *sin)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char err[200];

	if (mvpn_endpoint_parse(s, 1, &ss, &len, err, sizeof(err)))
		die("%s: %s", s, err);
	if (ss.ss_family != AF_INET)
		die("%s: only IPv4 endpoints (raw IPv4 datagrams are built here)", s);
	memcpy(sin, &ss, sizeof(*sin));
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

static void parse_mix(const char *s)
{
	char buf[256], *save = NULL, *tok;

	if (strlen(s) >= sizeof(buf))
		die("--mix: too long");
	strcpy(buf, s);
	memset(opt.weight, 0, sizeof(opt.weight));
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		int c;

		if (!eq)
			die("--mix: '%s' is not CLASS=WEIGHT", tok);
		*eq = '\0';
		for (c = 0; c < C_N && strcmp(cls_name[c], tok); c++)
			;
		if (c == C_N)
			die("--mix: unknown class '%s' (random, opcode, mutate, replay, authentic, badsum)",
			    tok);
		opt.weight[c] = (unsigned int)parse_num("--mix", eq + 1, 1000000);
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: inject --from ADDR:PORT --to ADDR:PORT --count N [--seed S]\n"
		"              [--sniff IFACE] [--templates N] [--sniff-timeout S]\n"
		"              [--key-file F --key-dir 0|1 --key-id K --cipher NAME --peer-id P]\n"
		"              [--echo SRC,DST] [--mix CLASS=W,...] [--max-size N] [--big PERMILLE]\n"
		"              [--rx-keys K,...]\n");
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	bool have_from = false, have_to = false, have_count = false;
	int i;

	for (i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			usage();
		i++;
		if (!strcmp(o, "--from")) {
			parse_ep(v, &opt.from);
			have_from = true;
		} else if (!strcmp(o, "--to")) {
			parse_ep(v, &opt.to);
			have_to = true;
		} else if (!strcmp(o, "--count")) {
			opt.count = parse_num(o, v, 1UL << 40);
			have_count = true;
		} else if (!strcmp(o, "--seed")) {
			opt.seed = parse_num(o, v, ~0UL);
		} else if (!strcmp(o, "--sniff")) {
			opt.sniff = v;
		} else if (!strcmp(o, "--templates")) {
			opt.ntemplates = (unsigned int)parse_num(o, v, MAX_TEMPLATES);
		} else if (!strcmp(o, "--sniff-timeout")) {
			opt.sniff_timeout = (unsigned int)parse_num(o, v, 3600);
		} else if (!strcmp(o, "--key-file")) {
			opt.key_file = v;
		} else if (!strcmp(o, "--key-dir")) {
			opt.key_dir = (int)parse_num(o, v, 1);
		} else if (!strcmp(o, "--key-id")) {
			opt.key_id = (int)parse_num(o, v, 7);
		} else if (!strcmp(o, "--cipher")) {
			opt.cipher = v;
		} else if (!strcmp(o, "--peer-id")) {
			opt.peer_id = (uint32_t)parse_num(o, v, 0xFFFFFF);
		} else if (!strcmp(o, "--echo")) {
			char a[64];
			const char *comma = strchr(v, ',');

			if (!comma || (size_t)(comma - v) >= sizeof(a))
				die("--echo SRC,DST (IPv4 addresses inside the tunnel)");
			memcpy(a, v, (size_t)(comma - v));
			a[comma - v] = '\0';
			if (inet_pton(AF_INET, a, &opt.echo_src) != 1 ||
			    inet_pton(AF_INET, comma + 1, &opt.echo_dst) != 1)
				die("--echo SRC,DST: '%s' are not two IPv4 addresses", v);
			opt.echo = true;
		} else if (!strcmp(o, "--mix")) {
			parse_mix(v);
		} else if (!strcmp(o, "--max-size")) {
			opt.max_size = parse_num(o, v, MAX_DGRAM);
		} else if (!strcmp(o, "--rx-keys")) {
			char buf[64], *save = NULL, *tok;

			if (strlen(v) >= sizeof(buf))
				die("--rx-keys: too long");
			strcpy(buf, v);
			opt.rx_keys = 0;
			for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
				opt.rx_keys |= 1u << parse_num("--rx-keys", tok, 7);
		} else if (!strcmp(o, "--big")) {
			opt.big = (unsigned int)parse_num(o, v, 1000);
		} else {
			fprintf(stderr, "inject: unknown option '%s'\n", o);
			usage();
		}
	}
	if (!have_from || !have_to || !have_count)
		usage();
	if (!opt.rx_keys)
		opt.rx_keys = 1u | (opt.key_id >= 0 ? 1u << opt.key_id : 0);
	if ((opt.weight[C_MUTATE] || opt.weight[C_REPLAY]) && !opt.sniff)
		die("the mutate and replay classes need templates: --sniff IFACE");
	if (opt.weight[C_AUTHENTIC] &&
	    (!opt.key_file || opt.key_dir < 0 || opt.key_id < 0 || !opt.cipher))
		die("the authentic class needs --key-file, --key-dir, --key-id and --cipher");
	rng_state = opt.seed * 0x9E3779B97F4A7C15ULL + 1;
}

/* ---- templates: real data packets captured on the wire ---------------------- */

static void sniff_templates(void)
{
	int fd, ifindex = (int)if_nametoindex(opt.sniff);
	/* ETH_P_ALL: only such taps see what the host sends (dev_queue_xmit_nit). */
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	time_t deadline = time(NULL) + opt.sniff_timeout;
	uint8_t buf[65536];

	if (!ifindex)
		die("--sniff %s: no such interface", opt.sniff);
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	if (fd < 0)
		die("packet socket: %s", strerror(errno));
	sll.sll_ifindex = ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind packet socket to %s: %s", opt.sniff, strerror(errno));
	while (ntempl < opt.ntemplates && time(NULL) < deadline) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t flen = sizeof(from);
		ssize_t n;
		size_t ihl, ulen;
		const uint8_t *ip = buf, *udp;

		if (poll(&pfd, 1, 500) <= 0)
			continue;
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		if (n < IP4_HDR + UDP_HDR || from.sll_protocol != htons(ETH_P_IP))
			continue;
		ihl = (size_t)(ip[0] & 0xf) * 4;
		if (ip[0] >> 4 != 4 || ihl < IP4_HDR || (size_t)n < ihl + UDP_HDR || ip[9] != 17)
			continue;
		if ((ip[6] & 0x3f) || ip[7])	/* a fragment */
			continue;
		if (memcmp(ip + 12, &opt.from.sin_addr, 4) || memcmp(ip + 16, &opt.to.sin_addr, 4))
			continue;
		udp = ip + ihl;
		if (memcmp(udp, &opt.from.sin_port, 2) || memcmp(udp + 2, &opt.to.sin_port, 2))
			continue;
		ulen = (size_t)(udp[4] << 8 | udp[5]);
		if (ulen < UDP_HDR + V2_CT_OFF + 1 || ihl + ulen > (size_t)n ||
		    ulen - UDP_HDR > sizeof(templates[0].b) || udp[UDP_HDR] >> 3 != DATA_V2_OP)
			continue;
		templates[ntempl].len = ulen - UDP_HDR;
		memcpy(templates[ntempl].b, udp + UDP_HDR, ulen - UDP_HDR);
		ntempl++;
	}
	close(fd);
	if (!ntempl) {
		char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &opt.from.sin_addr, a, sizeof(a));
		inet_ntop(AF_INET, &opt.to.sin_addr, b, sizeof(b));
		die("no data packet from %s:%u to %s:%u seen on %s within %us (is traffic flowing?)",
		    a, ntohs(opt.from.sin_port), b, ntohs(opt.to.sin_port), opt.sniff,
		    opt.sniff_timeout);
	}
}

/* ---- payload builders ---------------------------------------------------------- */

/* mutate: change a template so that it differs in at least one bit. */
static size_t build_mutated(uint8_t *p)
{
	const struct tmpl *t = &templates[rnd_below(ntempl)];
	size_t len = t->len, i, n;

	memcpy(p, t->b, len);
	for (;;) {
		switch (rnd_below(8)) {
		case 0:		/* flip 1..4 bits anywhere */
		case 1:
			n = 1 + rnd_below(4);
			for (i = 0; i < n; i++)
				p[rnd_below(len)] ^= (uint8_t)(1u << rnd_below(8));
			break;
		case 2:		/* truncate */
			len = rnd_below(len);
			break;
		case 3:		/* extend with junk */
			n = 1 + rnd_below(MAX_DGRAM - len);
			if (rnd_below(4))
				n = 1 + rnd_below(64);
			rnd_fill(p + len, n);
			len += n;
			break;
		case 4:		/* another key id */
			p[0] = (uint8_t)((p[0] & 0xf8) | rnd_below(8));
			break;
		case 5:		/* another packet id */
			rnd_fill(p + 4, 4);
			break;
		case 6:		/* another tag */
			if (len >= V2_CT_OFF)
				rnd_fill(p + V2_HEAD, V2_CT_OFF - V2_HEAD);
			break;
		default: {	/* header of this one, body of another */
			const struct tmpl *o = &templates[rnd_below(ntempl)];

			if (o->len > V2_HEAD) {
				memcpy(p + V2_HEAD, o->b + V2_HEAD, o->len - V2_HEAD);
				len = o->len;
			}
			break;
		}
		}
		if (len != t->len || memcmp(p, t->b, len))
			return len;
	}
}

static size_t build_echo(uint8_t *p, size_t payload)
{
	static uint16_t seq;
	uint8_t *icmp = p + IP4_HDR;
	size_t len = IP4_HDR + 8 + payload;
	uint16_t c;

	memset(p, 0, IP4_HDR + 8);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[8] = 64;
	p[9] = 1;		/* ICMP */
	memcpy(p + 12, &opt.echo_src, 4);
	memcpy(p + 16, &opt.echo_dst, 4);
	c = csum_fold(csum_add(0, p, IP4_HDR));
	p[10] = (uint8_t)(c >> 8);
	p[11] = (uint8_t)c;
	icmp[0] = 8;		/* echo request */
	icmp[4] = 0x4d;		/* identifier "MV" */
	icmp[5] = 0x56;
	seq++;
	icmp[6] = (uint8_t)(seq >> 8);
	icmp[7] = (uint8_t)seq;
	rnd_fill(icmp + 8, payload);
	c = csum_fold(csum_add(0, icmp, 8 + payload));
	icmp[2] = (uint8_t)(c >> 8);
	icmp[3] = (uint8_t)c;
	return len;
}

/* authentic: a valid data packet with something inside. */
static size_t build_authentic(uint8_t *p, enum fate *fate)
{
	static uint8_t inner[MAX_DGRAM];
	size_t len = 0;
	unsigned int kind = (unsigned int)rnd_below(opt.echo ? 16 : 15);
	long n;

	if (kind == 0) {
		n = mvpn_dp_ping(dp, p, MAX_DGRAM, NULL);
		if (n < 0)
			die("sealing a ping: %s", mvpn_dp_strerror((int)n));
		*fate = F_AUTH_PING;
		return (size_t)n;
	}
	if (kind == 15) {
		len = build_echo(inner, rnd_below(1400));
	} else {
		len = 1 + rnd_below(rnd_len() > V2_CT_OFF ? rnd_len() - V2_CT_OFF : 1);
		if (len > MAX_DGRAM - V2_CT_OFF)
			len = MAX_DGRAM - V2_CT_OFF;
		rnd_fill(inner, len);
		if (kind < 6)
			inner[0] = 0x45;	/* looks like IPv4, junk after */
		else if (kind < 10)
			inner[0] = (uint8_t)(0x60 | (inner[0] & 0x0f));
	}
	/* What the module delivers: an IPv4 or IPv6 header's worth (io.c). */
	if (kind == 15)
		*fate = F_AUTH_ECHO;
	else if ((inner[0] >> 4 == 4 && len >= IP4_HDR) || (inner[0] >> 4 == 6 && len >= 40))
		*fate = F_AUTH_IP;
	n = mvpn_dp_encrypt(dp, inner, len, p, MAX_DGRAM + V2_CT_OFF, NULL);
	if (n < 0)
		die("sealing a packet: %s", mvpn_dp_strerror((int)n));
	return (size_t)n;
}

static size_t build_payload(uint8_t *p, enum cls c, enum fate *fate)
{
	size_t len;

	*fate = F_NONE;
	switch (c) {
	case C_RANDOM:
		len = rnd_len();
		rnd_fill(p, len);
		return len;
	case C_OPCODE:
		len = 1 + rnd_len();
		if (len > MAX_DGRAM)
			len = MAX_DGRAM;
		rnd_fill(p, len);
		p[0] = (uint8_t)(DATA_V2_OP << 3 | rnd_below(8));
		return len;
	case C_MUTATE:
		return build_mutated(p);
	case C_REPLAY: {
		const struct tmpl *t = &templates[rnd_below(ntempl)];

		memcpy(p, t->b, t->len);
		return t->len;
	}
	case C_AUTHENTIC:
		return build_authentic(p, fate);
	default:
		return 0;
	}
}

static enum cls pick_class(void)
{
	unsigned long total = 0, r;
	int c;

	for (c = 0; c < C_N; c++)
		total += opt.weight[c];
	if (!total)
		die("--mix: every weight is 0");
	r = rnd_below(total);
	for (c = 0; c < C_N; c++) {
		if (r < opt.weight[c])
			return (enum cls)c;
		r -= opt.weight[c];
	}
	return C_RANDOM;
}

/* ---- sending: IPv4 + UDP by hand, fragmented to the link MTU ---------------------- */

static int raw_fd;
static uint8_t frames[BATCH][LINK_MTU];
static struct mmsghdr msgs[BATCH];
static struct iovec iovs[BATCH];
static unsigned int nframes;

static void flush_frames(void)
{
	unsigned int done = 0;

	while (done < nframes) {
		int n = sendmmsg(raw_fd, msgs + done, nframes - done, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS || errno == EAGAIN) {
				/* never left: accounted as lost */
				tally.lost++;
				done++;
				continue;
			}
			die("sendmmsg: %s", strerror(errno));
		}
		done += (unsigned int)n;
	}
	nframes = 0;
}

static void queue_frame(const uint8_t *ip, size_t len)
{
	if (nframes == BATCH)
		flush_frames();
	memcpy(frames[nframes], ip, len);
	iovs[nframes].iov_base = frames[nframes];
	iovs[nframes].iov_len = len;
	memset(&msgs[nframes], 0, sizeof(msgs[nframes]));
	msgs[nframes].msg_hdr.msg_name = &opt.to;
	msgs[nframes].msg_hdr.msg_namelen = sizeof(opt.to);
	msgs[nframes].msg_hdr.msg_iov = &iovs[nframes];
	msgs[nframes].msg_hdr.msg_iovlen = 1;
	nframes++;
	tally.frags++;
}

/* Send one UDP datagram (payload p, len bytes) from --from to --to. */
static void send_datagram(const uint8_t *p, size_t len, bool bad_checksum)
{
	static uint8_t dgram[UDP_HDR + MAX_DGRAM];
	static uint16_t ip_id;
	uint8_t ip[LINK_MTU];
	size_t ulen = UDP_HDR + len, off = 0;
	uint8_t pseudo[12];
	uint32_t sum;
	uint16_t c;

	memcpy(dgram, &opt.from.sin_port, 2);
	memcpy(dgram + 2, &opt.to.sin_port, 2);
	dgram[4] = (uint8_t)(ulen >> 8);
	dgram[5] = (uint8_t)ulen;
	dgram[6] = dgram[7] = 0;
	memcpy(dgram + UDP_HDR, p, len);
	memcpy(pseudo, &opt.from.sin_addr, 4);
	memcpy(pseudo + 4, &opt.to.sin_addr, 4);
	pseudo[8] = 0;
	pseudo[9] = 17;
	pseudo[10] = (uint8_t)(ulen >> 8);
	pseudo[11] = (uint8_t)ulen;
	sum = csum_add(csum_add(0, pseudo, sizeof(pseudo)), dgram, ulen);
	c = csum_fold(sum);
	if (!c)
		c = 0xffff;
	if (bad_checksum)
		c = (uint16_t)(c ^ 0x5a5a) ?: 0x1234;
	dgram[6] = (uint8_t)(c >> 8);
	dgram[7] = (uint8_t)c;

	ip_id++;
	while (off < ulen) {
		size_t room = LINK_MTU - IP4_HDR, n = ulen - off;
		bool more = false;

		if (n > room) {
			n = room & ~(size_t)7;
			more = true;
		}
		memset(ip, 0, IP4_HDR);
		ip[0] = 0x45;
		ip[2] = (uint8_t)((IP4_HDR + n) >> 8);
		ip[3] = (uint8_t)(IP4_HDR + n);
		ip[4] = (uint8_t)(ip_id >> 8);
		ip[5] = (uint8_t)ip_id;
		ip[6] = (uint8_t)((more ? 0x20 : 0) | ((off / 8) >> 8));
		ip[7] = (uint8_t)(off / 8);
		ip[8] = 64;
		ip[9] = 17;
		memcpy(ip + 12, &opt.from.sin_addr, 4);
		memcpy(ip + 16, &opt.to.sin_addr, 4);
		c = csum_fold(csum_add(0, ip, IP4_HDR));
		ip[10] = (uint8_t)(c >> 8);
		ip[11] = (uint8_t)c;
		memcpy(ip + IP4_HDR, dgram + off, n);
		queue_frame(ip, IP4_HDR + n);
		off += n;
	}
	tally.sent++;
}

static void setup_key(void)
{
	struct mvpn_dp_config cfg = { .data_v2 = true, .tx_peer_id = opt.peer_id };
	enum mvpn_dp_cipher cipher = mvpn_dp_cipher_from_name(opt.cipher);
	struct mvpn_p2p_keys keys;
	struct mvpn_dp_key key;
	char text[1024], err[200];
	size_t n;
	FILE *f;
	int rc;

	if (cipher == MVPN_DP_CIPHER_NONE)
		die("--cipher %s: unknown (aes-128-gcm, aes-256-gcm, chacha20-poly1305)",
		    opt.cipher);
	f = fopen(opt.key_file, "r");
	if (!f)
		die("--key-file %s: %s", opt.key_file, strerror(errno));
	n = fread(text, 1, sizeof(text), f);
	fclose(f);
	if (mvpn_p2p_keys_parse(text, n, &keys, err, sizeof(err)) ||
	    mvpn_p2p_key_for_dir(&keys, opt.key_dir, (uint8_t)opt.key_id, cipher, &key, err,
				 sizeof(err)))
		die("--key-file %s: %s", opt.key_file, err);
	rc = mvpn_dp_new(&dp, &cfg);
	if (rc)
		die("data plane: %s", mvpn_dp_strerror(rc));
	rc = mvpn_dp_key_set(dp, MVPN_DP_PRIMARY, &key, 0);
	if (rc)
		die("installing the key: %s", mvpn_dp_strerror(rc));
	memset(&keys, 0, sizeof(keys));
	memset(&key, 0, sizeof(key));
}

/*
 * Test traffic stays inside namespaces made for it: refuse to send from the
 * initial network namespace (the one init lives in), and from any namespace
 * with an IPv4 default route -- test namespaces have none, so nothing sent
 * here can leave them.
 */
static void refuse_outside_test_netns(void)
{
	struct stat self, init;
	char line[256];
	FILE *f;

	if (!stat("/proc/self/ns/net", &self) && !stat("/proc/1/ns/net", &init) &&
	    self.st_ino == init.st_ino && self.st_dev == init.st_dev)
		die("refusing to send from the initial network namespace: run it in a test "
		    "namespace (ip netns exec NS inject ...)");
	f = fopen("/proc/net/route", "r");
	if (!f)
		die("/proc/net/route: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char ifname[64];
		unsigned int dst, mask;

		if (sscanf(line, "%63s %x %*x %*x %*d %*d %*d %x", ifname, &dst, &mask) == 3 &&
		    dst == 0 && mask == 0) {
			fclose(f);
			die("refusing to send from a network namespace with a default route (via %s)",
			    ifname);
		}
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	static uint8_t payload[MAX_DGRAM + V2_CT_OFF];
	unsigned long i;
	int one = 1;

	parse_args(argc, argv);
	refuse_outside_test_netns();
	if (opt.weight[C_AUTHENTIC])
		setup_key();
	if (opt.sniff)
		sniff_templates();
	raw_fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (raw_fd < 0)
		die("raw socket: %s (run as root)", strerror(errno));
	if (setsockopt(raw_fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)))
		die("IP_HDRINCL: %s", strerror(errno));

	for (i = 0; i < opt.count; i++) {
		enum cls c = pick_class(), body = c;
		enum fate fate;
		size_t len;

		if (c == C_BADSUM)	/* the content of another class, a wrong checksum */
			while ((body = pick_class()) == C_BADSUM)
				;
		if ((body == C_MUTATE || body == C_REPLAY) && !ntempl)
			body = C_RANDOM;
		len = build_payload(payload, body, &fate);
		if (len > MAX_DGRAM)
			len = MAX_DGRAM;
		tally.by_class[c]++;
		send_datagram(payload, len, c == C_BADSUM);
		if (c == C_BADSUM) {
			tally.badsum++;	/* UDP drops it before the module sees it */
		} else if (len && payload[0] >> 3 == DATA_V2_OP) {
			tally.data++;
			tally.auth_ip += fate == F_AUTH_IP || fate == F_AUTH_ECHO;
			tally.auth_echo += fate == F_AUTH_ECHO;
			tally.auth_ping += fate == F_AUTH_PING;
			if (len <= V2_CT_OFF)
				tally.exp_malformed++;
			else if (!(opt.rx_keys & (1u << (payload[0] & 7))))
				tally.exp_unknown_key++;
			else if (body == C_AUTHENTIC)
				tally.exp_malformed += fate == F_NONE;
			else if (body == C_REPLAY)
				tally.exp_replay++;
			else
				tally.exp_auth++;
		} else {
			tally.nondata++;
		}
	}
	flush_frames();
	if (dp)
		mvpn_dp_free(dp);

	fprintf(stderr, "inject: classes:");
	for (int c = 0; c < C_N; c++)
		fprintf(stderr, " %s=%lu", cls_name[c], tally.by_class[c]);
	fprintf(stderr, "\n");
	printf("sent=%lu frags=%lu lost=%lu nondata=%lu data=%lu badsum=%lu auth_ip=%lu auth_ping=%lu "
	       "auth_echo=%lu expect_drops=%lu expect_auth=%lu expect_replay=%lu "
	       "expect_unknown_key=%lu expect_malformed=%lu templates=%u\n",
	       tally.sent, tally.frags, tally.lost, tally.nondata, tally.data, tally.badsum, tally.auth_ip,
	       tally.auth_ping, tally.auth_echo, tally.data - tally.auth_ip - tally.auth_ping,
	       tally.exp_auth, tally.exp_replay, tally.exp_unknown_key, tally.exp_malformed, ntempl);
	return 0;
}
