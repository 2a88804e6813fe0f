// SPDX-License-Identifier: BSD-2-Clause
/*
 * mvpnctl: inspect and drive the mvpn-dco module.
 *
 *   show [DEV] [--json]     devices, peers, keys, keepalive, every counter
 *   monitor [DEV]           one line per notification
 *   p2p-up ...              a static-key point-to-point link on the module,
 *                           or (--userspace) on a tun device with the
 *                           userspace data plane, as an independent peer
 *   peer-* / key-*          one netlink request each, sending exactly the
 *                           attributes given: the kernel does the checking
 *
 * Errors are one line on stderr, with the kernel's extack text when it gave
 * one; the exit status is 1 (2 for usage errors).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/if_tun.h>
#include <linux/mvpn_dco.h>

#include "ctlview.h"
#include "dataplane.h"
#include "dpio.h"
#include "encoding.h"
#include "genl.h"
#include "p2pconf.h"
#include "rtnl.h"
#include "secmem.h"
#include "tun.h"

#define MAX_VPN_ADDRS 8

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
	const char *help;
};

static const char *prog = "mvpnctl";

#define errorf(...) fprintf(stderr, __VA_ARGS__)

/* ---- small helpers ------------------------------------------------------- */

/* Read a small text file (key files): 0, or -1 with a message. */
static int read_small_file(const char *path, char *buf, size_t cap, size_t *len)
{
	ssize_t n;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		errorf("%s: cannot open key file %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	while ((n = read(fd, buf + got, cap - got)) > 0) {
		got += (size_t)n;
		if (got == cap) {
			errorf("%s: key file %s is too large (a key file is ~110 bytes of base64)\n",
			       prog, path);
			close(fd);
			return -1;
		}
	}
	close(fd);
	if (n < 0) {
		errorf("%s: cannot read key file %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	*len = got;
	return 0;
}

static int load_keys(const char *path, struct mvpn_p2p_keys *keys)
{
	char text[4096], err[200];
	size_t len;
	int ret;

	if (read_small_file(path, text, sizeof(text), &len))
		return -1;
	ret = mvpn_p2p_keys_parse(text, len, keys, err, sizeof(err));
	explicit_bzero(text, sizeof(text));
	if (ret)
		errorf("%s: key file %s %s\n", prog, path, err);
	return ret;
}

static int open_family(struct genl_sock *gs)
{
	if (genl_open(gs, MVPN_FAMILY_NAME)) {
		errorf("%s: %s\n", prog, gs->err);
		return -1;
	}
	return 0;
}

static int dev_index(const char *dev)
{
	unsigned int ifindex = if_nametoindex(dev);

	if (!ifindex)
		errorf("%s: no device '%s'\n", prog, dev);
	return (int)ifindex;
}

/* KEY_GET one slot: 0 (kv->present says whether it holds a key) or -errno. */
static int key_get(struct genl_sock *gs, uint32_t ifindex, uint32_t peer_id, uint32_t slot,
		   struct ctlview_key *kv)
{
	char buf[GENL_BUF_SIZE];
	struct nlmsghdr *nlh = genl_req(gs, buf, MVPN_CMD_KEY_GET, NLM_F_REQUEST | NLM_F_ACK);
	struct nlattr *nest;
	int err;

	memset(kv, 0, sizeof(*kv));
	mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, ifindex);
	nest = mnl_attr_nest_start(nlh, MVPN_A_KEYCONF);
	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_PEER_ID, peer_id);
	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_SLOT, slot);
	mnl_attr_nest_end(nlh, nest);
	err = genl_talk(gs, nlh, ctlview_key_cb, kv);
	return err == -ENOENT ? 0 : err;
}

static int show_one(struct genl_sock *gs, const struct mvpn_rtnl_link *l, bool json)
{
	struct ctlview_peers pl = { 0 };
	char buf[GENL_BUF_SIZE];
	struct nlmsghdr *nlh;
	int err;

	nlh = genl_req(gs, buf, MVPN_CMD_PEER_GET, NLM_F_REQUEST | NLM_F_DUMP);
	mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, (uint32_t)l->ifindex);
	err = genl_talk(gs, nlh, ctlview_peer_list_cb, &pl);
	if (err) {
		errorf("%s: show %s: %s\n", prog, l->name, gs->err);
		ctlview_peers_free(&pl);
		return -1;
	}
	for (int i = 0; i < pl.n; i++) {
		for (uint32_t s = 0; s < 2; s++) {
			err = key_get(gs, (uint32_t)l->ifindex, pl.peers[i].id, s,
				      &pl.peers[i].keys[s]);
			if (err) {
				errorf("%s: show %s: key %u of peer %u: %s\n", prog, l->name, s,
				       pl.peers[i].id, gs->err);
				ctlview_peers_free(&pl);
				return -1;
			}
		}
	}
	if (json)
		ctlview_show_json(stdout, l, &pl);
	else
		ctlview_show_text(stdout, l, &pl);
	ctlview_peers_free(&pl);
	return 0;
}

static int cmd_show(int argc, char **argv)
{
	static struct mvpn_rtnl_link links[64];
	const char *dev = NULL;
	struct mvpn_rtnl rt;
	struct genl_sock gs;
	bool json = false;
	int n, rc = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (!dev && argv[i][0] != '-')
			dev = argv[i];
		else {
			errorf("usage: %s show [DEV] [--json]\n", prog);
			return 2;
		}
	}
	if (mvpn_rtnl_open(&rt)) {
		errorf("%s: %s\n", prog, rt.err);
		return 1;
	}
	if (dev) {
		n = mvpn_rtnl_link_info(&rt, dev, links);
		if (n == 0)
			n = 1;
	} else {
		n = mvpn_rtnl_links(&rt, MVPN_LINK_KIND, links, 64);
		if (n > 64)
			n = 64;
	}
	if (n < 0) {
		errorf("%s: %s\n", prog, rt.err);
		mvpn_rtnl_close(&rt);
		return 1;
	}
	mvpn_rtnl_close(&rt);
	if (open_family(&gs))
		return 1;
	if (json)
		printf("{\"interfaces\":[");
	for (int i = 0; i < n; i++) {
		if (json && i)
			printf(",");
		if (show_one(&gs, &links[i], json))
			rc = 1;
	}
	if (json)
		printf("]}\n");
	genl_close(&gs);
	return rc;
}

/* ---- monitor ------------------------------------------------------------- */

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

struct ntf_ctx {
	uint32_t ifindex;
	FILE *out;
	const char *prefix;
};

static int ntf_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ntf_ctx *nc = data;
	char line[256];

	if (ctlview_format_ntf(nlh, nc->ifindex, line, sizeof(line))) {
		fprintf(nc->out, "%s%s\n", nc->prefix, line);
		fflush(nc->out);
	}
	return MNL_CB_OK;
}

static int cmd_monitor(int argc, char **argv)
{
	struct ntf_ctx nc = { .out = stdout, .prefix = "" };
	struct sigaction sa = { .sa_handler = on_stop };
	struct genl_sock gs;
	int rc = 0;

	if (argc > 2) {
		errorf("usage: %s monitor [DEV]\n", prog);
		return 2;
	}
	if (argc == 2) {
		int ifindex = dev_index(argv[1]);

		if (!ifindex)
			return 1;
		nc.ifindex = (uint32_t)ifindex;
	}
	if (open_family(&gs))
		return 1;
	if (genl_join_peers(&gs)) {
		errorf("%s: monitor: %s\n", prog, gs.err);
		genl_close(&gs);
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	printf("listening\n");
	fflush(stdout);
	while (!stop_signal) {
		int err = genl_recv(&gs, ntf_cb, &nc);

		if (err == -EINTR)
			continue;
		if (err == -ENOBUFS) {
			printf("lost-notifications\n");
			fflush(stdout);
			continue;
		}
		if (err) {
			errorf("%s: monitor: %s\n", prog, gs.err);
			rc = 1;
			break;
		}
	}
	genl_close(&gs);
	return rc;
}

/* ---- p2p-up -------------------------------------------------------------- */

struct p2p_opts {
	const char *dev;
	struct sockaddr_storage local, remote;
	socklen_t local_len, remote_len;
	uint32_t peer_id;
	enum mvpn_dp_cipher cipher;
	struct mvpn_p2p_keys keys;
	int key_dir;
	struct mvpn_cidr vpn[MAX_VPN_ADDRS];
	int nvpn;
	uint32_t ka_interval, ka_timeout;
	uint32_t mtu;
	bool userspace;
	bool no_offload;	/* --userspace without tun/UDP offloads */
};

static int p2p_parse(int argc, char **argv, struct p2p_opts *o)
{
	static const struct option lopts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "local", required_argument, NULL, 'l' },
		{ "remote", required_argument, NULL, 'r' },
		{ "peer-id", required_argument, NULL, 'p' },
		{ "cipher", required_argument, NULL, 'c' },
		{ "key-file", required_argument, NULL, 'k' },
		{ "key-dir", required_argument, NULL, 'K' },
		{ "vpn-addr", required_argument, NULL, 'a' },
		{ "keepalive", required_argument, NULL, 'e' },
		{ "mtu", required_argument, NULL, 'm' },
		{ "userspace", no_argument, NULL, 'u' },
		{ "no-offload", no_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_local = false, have_remote = false, have_peer = false, have_keys = false;
	char err[200];
	uint32_t v;
	int c;

	memset(o, 0, sizeof(*o));
	o->key_dir = -1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!*optarg || strlen(optarg) >= IF_NAMESIZE) {
				errorf("%s p2p-up: --dev '%s': 1..%d characters\n", prog, optarg,
				       IF_NAMESIZE - 1);
				return -1;
			}
			o->dev = optarg;
			break;
		case 'l':
			if (mvpn_endpoint_parse(optarg, 0, &o->local, &o->local_len, err, sizeof(err)))
				goto bad_value;
			have_local = true;
			break;
		case 'r':
			if (mvpn_endpoint_parse(optarg, 1, &o->remote, &o->remote_len, err,
						sizeof(err)))
				goto bad_value;
			have_remote = true;
			break;
		case 'p':
			if (mvpn_u32_parse(optarg, 0, MVPN_PEER_ID_MAX, &o->peer_id)) {
				errorf("%s p2p-up: --peer-id '%s': a number 0..%u\n", prog, optarg,
				       MVPN_PEER_ID_MAX);
				return -1;
			}
			have_peer = true;
			break;
		case 'c':
			o->cipher = mvpn_dp_cipher_from_name(optarg);
			if (o->cipher == MVPN_DP_CIPHER_NONE) {
				errorf("%s p2p-up: --cipher '%s': one of aes-128-gcm, aes-256-gcm, "
				       "chacha20-poly1305\n", prog, optarg);
				return -1;
			}
			break;
		case 'k':
			if (load_keys(optarg, &o->keys))
				return -1;
			have_keys = true;
			break;
		case 'K':
			if (mvpn_u32_parse(optarg, 0, 1, &v)) {
				errorf("%s p2p-up: --key-dir '%s': 0 or 1\n", prog, optarg);
				return -1;
			}
			o->key_dir = (int)v;
			break;
		case 'a':
			if (o->nvpn == MAX_VPN_ADDRS) {
				errorf("%s p2p-up: at most %d --vpn-addr\n", prog, MAX_VPN_ADDRS);
				return -1;
			}
			if (mvpn_cidr_parse(optarg, &o->vpn[o->nvpn], err, sizeof(err)))
				goto bad_value;
			o->nvpn++;
			break;
		case 'e':
			if (mvpn_keepalive_parse(optarg, &o->ka_interval, &o->ka_timeout, err,
						 sizeof(err)))
				goto bad_value;
			break;
		case 'm':
			if (mvpn_u32_parse(optarg, 68, 65535, &o->mtu)) {
				errorf("%s p2p-up: --mtu '%s': a number 68..65535\n", prog, optarg);
				return -1;
			}
			break;
		case 'u':
			o->userspace = true;
			break;
		case 'O':
			o->no_offload = true;
			break;
		default:
			errorf("%s p2p-up: unknown or incomplete option '%s' (try '%s help')\n", prog,
			       argv[optind - 1], prog);
			return -1;
		}
	}
	if (optind < argc) {
		errorf("%s p2p-up: unexpected argument '%s'\n", prog, argv[optind]);
		return -1;
	}
	if (!o->dev || !have_local || !have_remote || !have_peer || !o->cipher || !have_keys ||
	    o->key_dir < 0) {
		errorf("%s p2p-up: missing %s\n", prog,
		       !o->dev ? "--dev" : !have_local ? "--local" : !have_remote ? "--remote" :
		       !have_peer ? "--peer-id" : !o->cipher ? "--cipher" :
		       !have_keys ? "--key-file" : "--key-dir");
		return -1;
	}
	if (o->no_offload && !o->userspace) {
		errorf("%s p2p-up: --no-offload is an option of --userspace\n", prog);
		return -1;
	}
	if (o->local.ss_family != o->remote.ss_family) {
		errorf("%s p2p-up: --local and --remote must be of the same address family\n",
		       prog);
		return -1;
	}
	return 0;

bad_value:
	errorf("%s p2p-up: %s\n", prog, err);
	return -1;
}

static int p2p_socket(const struct p2p_opts *o)
{
	char ep[80];
	int fd = socket(o->local.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ctlview_format_sa(&o->local, ep, sizeof(ep));
	if (fd < 0) {
		errorf("%s p2p-up: UDP socket: %s\n", prog, strerror(errno));
		return -1;
	}
	if (o->local.ss_family == AF_INET6) {
		int one = 1;

		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	}
	if (bind(fd, (const struct sockaddr *)&o->local, o->local_len)) {
		errorf("%s p2p-up: cannot bind %s: %s\n", prog, ep, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int p2p_addresses(struct mvpn_rtnl *rt, int ifindex, const struct p2p_opts *o)
{
	if (o->mtu && mvpn_rtnl_link_set_mtu(rt, ifindex, o->mtu))
		return -1;
	for (int i = 0; i < o->nvpn; i++)
		if (mvpn_rtnl_addr_add(rt, ifindex, o->vpn[i].family, o->vpn[i].addr,
				       o->vpn[i].prefix))
			return -1;
	return mvpn_rtnl_link_set_up(rt, ifindex, true);
}

static void put_keydir(struct nlmsghdr *nlh, uint16_t type, const uint8_t *key, size_t klen,
		       const uint8_t *tail)
{
	struct nlattr *d = mnl_attr_nest_start(nlh, type);

	mnl_attr_put(nlh, MVPN_A_KEYDIR_CIPHER_KEY, klen, key);
	mnl_attr_put(nlh, MVPN_A_KEYDIR_NONCE_TAIL, 8, tail);
	mnl_attr_nest_end(nlh, d);
}

static void put_remote(struct nlmsghdr *nlh, const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;

		mnl_attr_put(nlh, MVPN_A_PEER_REMOTE_IPV4, 4, &in->sin_addr);
		mnl_attr_put(nlh, MVPN_A_PEER_REMOTE_PORT, 2, &in->sin_port);
	} else {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

		mnl_attr_put(nlh, MVPN_A_PEER_REMOTE_IPV6, 16, &in6->sin6_addr);
		mnl_attr_put(nlh, MVPN_A_PEER_REMOTE_PORT, 2, &in6->sin6_port);
	}
}

/* LOCAL_IPV4/6 when the socket is bound to a specific address. */
static void put_local(struct nlmsghdr *nlh, const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;

		if (in->sin_addr.s_addr != htonl(INADDR_ANY))
			mnl_attr_put(nlh, MVPN_A_PEER_LOCAL_IPV4, 4, &in->sin_addr);
	} else {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

		if (!IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr))
			mnl_attr_put(nlh, MVPN_A_PEER_LOCAL_IPV6, 16, &in6->sin6_addr);
	}
}

static int p2p_kernel_peer(struct genl_sock *gs, int ifindex, int fd, const struct p2p_opts *o)
{
	char buf[GENL_BUF_SIZE];
	struct mvpn_dp_key k;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	size_t klen = mvpn_dp_cipher_key_len(o->cipher);
	char err[200];
	int ret;

	nlh = genl_req(gs, buf, MVPN_CMD_PEER_NEW, NLM_F_REQUEST | NLM_F_ACK);
	mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, (uint32_t)ifindex);
	nest = mnl_attr_nest_start(nlh, MVPN_A_PEER);
	mnl_attr_put_u32(nlh, MVPN_A_PEER_ID, o->peer_id);
	mnl_attr_put_u32(nlh, MVPN_A_PEER_SOCKET, (uint32_t)fd);
	put_remote(nlh, &o->remote);
	put_local(nlh, &o->local);
	if (o->ka_interval || o->ka_timeout) {
		mnl_attr_put_u32(nlh, MVPN_A_PEER_KEEPALIVE_INTERVAL, o->ka_interval);
		mnl_attr_put_u32(nlh, MVPN_A_PEER_KEEPALIVE_TIMEOUT, o->ka_timeout);
	}
	mnl_attr_nest_end(nlh, nest);
	if (genl_talk(gs, nlh, NULL, NULL)) {
		errorf("%s p2p-up: add peer: %s\n", prog, gs->err);
		return -1;
	}

	if (mvpn_p2p_key_for_dir(&o->keys, o->key_dir, 0, o->cipher, &k, err, sizeof(err))) {
		errorf("%s p2p-up: %s\n", prog, err);
		return -1;
	}
	nlh = genl_req(gs, buf, MVPN_CMD_KEY_NEW, NLM_F_REQUEST | NLM_F_ACK);
	mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, (uint32_t)ifindex);
	nest = mnl_attr_nest_start(nlh, MVPN_A_KEYCONF);
	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_PEER_ID, o->peer_id);
	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_SLOT, MVPN_KEY_SLOT_PRIMARY);
	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_KEY_ID, 0);
	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_CIPHER_ALG,
			 o->cipher == MVPN_DP_CHACHA20_POLY1305 ?
			 MVPN_CIPHER_ALG_CHACHA20_POLY1305 : MVPN_CIPHER_ALG_AES_GCM);
	put_keydir(nlh, MVPN_A_KEYCONF_ENCRYPT_DIR, k.encrypt.key, klen, k.encrypt.nonce_tail);
	put_keydir(nlh, MVPN_A_KEYCONF_DECRYPT_DIR, k.decrypt.key, klen, k.decrypt.nonce_tail);
	mnl_attr_nest_end(nlh, nest);
	ret = genl_talk(gs, nlh, NULL, NULL);
	explicit_bzero(&k, sizeof(k));
	explicit_bzero(buf, sizeof(buf));
	if (ret) {
		errorf("%s p2p-up: install key: %s\n", prog, gs->err);
		return -1;
	}
	return 0;
}

static int stop_fd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	return signalfd(-1, &set, SFD_CLOEXEC);
}

/* The module carries the traffic; stay in the foreground holding the socket. */
static int p2p_up_kernel(const struct p2p_opts *o)
{
	struct ntf_ctx nc = { .out = stderr, .prefix = "mvpnctl p2p-up: " };
	struct genl_sock gs, ns;
	struct mvpn_rtnl rt;
	int ifindex, fd = -1, sfd, rc = 1;
	bool have_ns;

	if (open_family(&gs))
		return 1;
	have_ns = genl_open(&ns, MVPN_FAMILY_NAME) == 0 && genl_join_peers(&ns) == 0;
	if (mvpn_rtnl_open(&rt)) {
		errorf("%s p2p-up: %s\n", prog, rt.err);
		goto out_genl;
	}
	ifindex = mvpn_rtnl_link_new(&rt, o->dev, MVPN_MODE_P2P);
	if (ifindex < 0) {
		errorf("%s p2p-up: %s\n", prog, rt.err);
		goto out_rtnl;
	}
	nc.ifindex = (uint32_t)ifindex;
	if (p2p_addresses(&rt, ifindex, o)) {
		errorf("%s p2p-up: %s\n", prog, rt.err);
		goto out_link;
	}
	fd = p2p_socket(o);
	if (fd < 0 || p2p_kernel_peer(&gs, ifindex, fd, o))
		goto out_link;
	sfd = stop_fd();
	if (sfd < 0) {
		errorf("%s p2p-up: signalfd: %s\n", prog, strerror(errno));
		goto out_link;
	}
	printf("ready\n");
	fflush(stdout);

	for (;;) {
		struct pollfd pfd[3] = {
			{ .fd = sfd, .events = POLLIN },
			{ .fd = fd, .events = POLLIN },
			{ .fd = have_ns ? genl_fd(&ns) : -1, .events = POLLIN },
		};
		struct signalfd_siginfo si;
		char junk[2048];

		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			errorf("%s p2p-up: poll: %s\n", prog, strerror(errno));
			break;
		}
		if (pfd[0].revents & POLLIN) {
			if (read(sfd, &si, sizeof(si)) == sizeof(si) && si.ssi_signo != SIGUSR1) {
				rc = 0;
				break;
			}
		}
		/* Whatever the module leaves on the socket: control packets (none here). */
		if (pfd[1].revents & POLLIN)
			while (recv(fd, junk, sizeof(junk), MSG_DONTWAIT) >= 0)
				;
		if (pfd[2].revents & POLLIN && genl_recv(&ns, ntf_cb, &nc) == -ENOBUFS)
			errorf("%s p2p-up: notifications lost\n", prog);
	}
	close(sfd);
out_link:
	if (mvpn_rtnl_link_del(&rt, ifindex)) {
		errorf("%s p2p-up: %s\n", prog, rt.err);
		rc = 1;
	}
	if (fd >= 0)
		close(fd);
out_rtnl:
	mvpn_rtnl_close(&rt);
out_genl:
	if (have_ns)
		genl_close(&ns);
	genl_close(&gs);
	return rc;
}

static uint64_t mono_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

/* One line per report (tests read a report as one line). */
static void user_stats(struct mvpn_dp *dp, const struct dpio *io, const char *when)
{
	struct mvpn_dp_stats st;

	mvpn_dp_get_stats(dp, &st);
	errorf("%s p2p-up: %s: vpn-rx-packets %llu vpn-tx-packets %llu link-rx-packets %llu "
	       "link-tx-packets %llu drop-auth %llu drop-replay %llu drop-unknown-key %llu "
	       "drop-malformed %llu drop-no-key %llu tx-drops %llu ping-rx %llu ping-tx %llu "
	       "tun-reads %llu tun-writes %llu gso-packets %llu gro-packets %llu "
	       "udp-sends %llu udp-recvs %llu tun-errors %llu send-errors %llu gso-errors %llu\n",
	       prog, when, (unsigned long long)st.vpn_rx_packets,
	       (unsigned long long)st.vpn_tx_packets, (unsigned long long)st.link_rx_packets,
	       (unsigned long long)st.link_tx_packets, (unsigned long long)st.drop_auth,
	       (unsigned long long)st.drop_replay, (unsigned long long)st.drop_unknown_key,
	       (unsigned long long)st.drop_malformed, (unsigned long long)st.drop_no_key,
	       (unsigned long long)st.tx_drops, (unsigned long long)st.ping_rx,
	       (unsigned long long)st.ping_tx, (unsigned long long)io->st.tun_reads,
	       (unsigned long long)io->st.tun_writes, (unsigned long long)io->st.gso_packets,
	       (unsigned long long)io->st.gro_packets, (unsigned long long)io->st.udp_sends,
	       (unsigned long long)io->st.udp_recvs, (unsigned long long)io->st.tun_errors,
	       (unsigned long long)io->st.send_errors, (unsigned long long)io->st.gso_errors);
}

/* Key events the data plane reported since the last call. */
static void user_events(struct dpio *io)
{
	if (io->events & MVPN_DP_EV_KEY_LOW)
		errorf("%s p2p-up: TX packet ids are running out: renegotiate\n", prog);
	if (io->events & MVPN_DP_EV_KEY_EXHAUSTED)
		errorf("%s p2p-up: TX packet ids exhausted: the key stopped sending\n", prog);
	io->events = 0;
}

/*
 * The independent peer: tun + the userspace data plane, no module at all.
 * Floats like the module does (only after authentication and the replay
 * check), pings when idle, reports expiry on stderr.  The packet work is
 * dpio.c's: TSO super-packets from tun, UDP_SEGMENT/UDP_GRO on the socket,
 * coalesced writes to tun, whatever of that the kernel offers.
 */
static int p2p_up_user(const struct p2p_opts *o)
{
	struct mvpn_dp_config cfg = { .data_v2 = true, .tx_peer_id = o->peer_id };
	struct itimerspec tick = { .it_interval = { 1, 0 }, .it_value = { 1, 0 } };
	struct tun_dev tun = { .nqueues = 0 };
	struct dpio io = { .dp = NULL };
	struct mvpn_dp *dp = NULL;
	struct mvpn_rtnl rt;
	struct mvpn_dp_key k;
	uint64_t last_tx, last_rx;
	bool expired = false, have_tun = false, have_io = false;
	int fd = -1, sfd = -1, tfd = -1, ifindex, rc = 1;
	char err[200];

	if (mvpn_rtnl_open(&rt)) {
		errorf("%s p2p-up: %s\n", prog, rt.err);
		return 1;
	}
	if (tun_open_flags(&tun, o->dev, 1, o->no_offload ? 0 : TUN_OPEN_VNET, err, sizeof(err))) {
		errorf("%s p2p-up: %s\n", prog, err);
		goto out;
	}
	have_tun = true;
	ifindex = mvpn_rtnl_ifindex(&rt, o->dev);
	if (ifindex < 0 || mvpn_rtnl_link_set_mtu(&rt, ifindex, o->mtu ? o->mtu : 1428) ||
	    p2p_addresses(&rt, ifindex, o)) {
		errorf("%s p2p-up: %s\n", prog, rt.err);
		goto out;
	}
	fd = p2p_socket(o);
	if (fd < 0)
		goto out;
	if (mvpn_dp_new(&dp, &cfg) ||
	    mvpn_p2p_key_for_dir(&o->keys, o->key_dir, 0, o->cipher, &k, err, sizeof(err)) ||
	    mvpn_dp_key_set(dp, MVPN_DP_PRIMARY, &k, mono_seconds())) {
		errorf("%s p2p-up: cannot set up the userspace data plane\n", prog);
		explicit_bzero(&k, sizeof(k));
		goto out;
	}
	explicit_bzero(&k, sizeof(k));
	if (dpio_init(&io, dp, tun.fd[0], tun.vnet, fd, !o->no_offload,
		      (const struct sockaddr *)&o->remote, o->remote_len)) {
		errorf("%s p2p-up: out of memory\n", prog);
		goto out;
	}
	have_io = true;
	sfd = stop_fd();
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (sfd < 0 || tfd < 0 || timerfd_settime(tfd, 0, &tick, NULL)) {
		errorf("%s p2p-up: signalfd/timerfd: %s\n", prog, strerror(errno));
		goto out;
	}
	last_tx = last_rx = mono_seconds();
	errorf("%s p2p-up: offloads: tun %s, UDP_SEGMENT %s, UDP_GRO %s\n", prog,
	       tun.offload ? "TSO" : tun.vnet ? "vnet header only" : "none",
	       io.udp_gso ? "on" : "off", io.udp_gro ? "on" : "off");
	printf("ready\n");
	fflush(stdout);

	for (;;) {
		struct pollfd pfd[4] = {
			{ .fd = sfd, .events = POLLIN }, { .fd = tun.fd[0], .events = POLLIN },
			{ .fd = fd, .events = POLLIN }, { .fd = tfd, .events = POLLIN },
		};
		struct signalfd_siginfo si;
		uint64_t now;

		if (poll(pfd, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			errorf("%s p2p-up: poll: %s\n", prog, strerror(errno));
			break;
		}
		now = mono_seconds();
		io.now = now;
		if (pfd[0].revents & POLLIN && read(sfd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo == SIGUSR1) {
				user_stats(dp, &io, "counters");
			} else {
				rc = 0;
				break;
			}
		}
		if (pfd[1].revents & POLLIN) {
			io.tx_count = 0;
			dpio_tun_rx(&io);
			if (io.tx_count)
				last_tx = now;
		}
		if (pfd[2].revents & POLLIN) {
			io.rx_count = 0;
			dpio_sock_rx(&io);
			if (io.rx_count) {
				last_rx = now;
				expired = false;
			}
			if (io.floated) {
				char ep[80];

				io.floated = false;
				ctlview_format_sa(&io.remote, ep, sizeof(ep));
				errorf("%s p2p-up: peer floated to %s\n", prog, ep);
			}
		}
		if (pfd[3].revents & POLLIN) {
			uint64_t ticks;

			if (read(tfd, &ticks, sizeof(ticks)) < 0)
				continue;
			if (o->ka_interval && now - last_tx >= o->ka_interval) {
				dpio_ping(&io);
				last_tx = now;
			}
			if (o->ka_timeout && !expired && now - last_rx >= o->ka_timeout) {
				errorf("%s p2p-up: peer expired: nothing received for %us\n", prog,
				       o->ka_timeout);
				expired = true;
			}
		}
		user_events(&io);
	}
	user_stats(dp, &io, "exit");
out:
	if (have_io)
		dpio_free(&io);
	mvpn_dp_free(dp);
	if (tfd >= 0)
		close(tfd);
	if (sfd >= 0)
		close(sfd);
	if (fd >= 0)
		close(fd);
	if (have_tun)
		tun_close(&tun);
	mvpn_rtnl_close(&rt);
	return rc;
}

static int cmd_p2p_up(int argc, char **argv)
{
	struct p2p_opts o;
	int rc;

	if (p2p_parse(argc, argv, &o))
		return 1;
	rc = o.userspace ? p2p_up_user(&o) : p2p_up_kernel(&o);
	explicit_bzero(&o.keys, sizeof(o.keys));
	return rc;
}

/* ---- one request each ------------------------------------------------------ */

/*
 * Options of the low-level commands: "--name value" pairs after DEV.  Only
 * what is given is sent, and numbers are sent as given (0..2^32-1), so
 * every check the kernel makes can be exercised from the shell.
 */
struct raw_opts {
	const char *dev;
	const char *v[24];	/* by index of raw_names */
};

static const char *const raw_names[] = {
	"--peer-id", "--tx-id", "--remote", "--local-ip", "--keepalive", "--replay-window",
	"--vpn-ip", "--fd", "--socket", "--bind", "--slot", "--key-id", "--cipher",
	"--key-file", "--key-dir", "--enc-key", "--enc-nonce", "--dec-key", "--dec-nonce",
	"--hold",
};

enum { R_PEER, R_TXID, R_REMOTE, R_LOCAL, R_KA, R_WINDOW, R_VPN, R_FD, R_SOCKET, R_BIND,
       R_SLOT, R_KEYID, R_CIPHER, R_KEYFILE, R_KEYDIR, R_ENCKEY, R_ENCNONCE, R_DECKEY,
       R_DECNONCE, R_HOLD, R_N };

static int raw_parse(const char *cmd, int argc, char **argv, struct raw_opts *r)
{
	memset(r, 0, sizeof(*r));
	if (argc < 2 || argv[1][0] == '-') {
		errorf("usage: %s %s DEV [OPTIONS] (see '%s help')\n", prog, cmd, prog);
		return -1;
	}
	r->dev = argv[1];
	for (int i = 2; i < argc; i++) {
		int k;

		for (k = 0; k < R_N; k++)
			if (strcmp(argv[i], raw_names[k]) == 0)
				break;
		if (k == R_N) {
			errorf("%s %s: unknown option '%s'\n", prog, cmd, argv[i]);
			return -1;
		}
		if (k == R_HOLD) {
			r->v[k] = "1";
			continue;
		}
		if (i + 1 >= argc) {
			errorf("%s %s: %s needs a value\n", prog, cmd, argv[i]);
			return -1;
		}
		r->v[k] = argv[++i];
	}
	return 0;
}

static int raw_u32(const char *cmd, const struct raw_opts *r, int k, uint32_t *out)
{
	if (mvpn_u32_parse(r->v[k], 0, UINT32_MAX, out)) {
		errorf("%s %s: %s '%s': not a number\n", prog, cmd, raw_names[k], r->v[k]);
		return -1;
	}
	return 0;
}

static int raw_slot(const char *cmd, const struct raw_opts *r, uint32_t *out)
{
	if (strcmp(r->v[R_SLOT], "primary") == 0)
		*out = MVPN_KEY_SLOT_PRIMARY;
	else if (strcmp(r->v[R_SLOT], "secondary") == 0)
		*out = MVPN_KEY_SLOT_SECONDARY;
	else
		return raw_u32(cmd, r, R_SLOT, out);
	return 0;
}

static int raw_hex(const char *cmd, const char *name, const char *s, uint8_t *out, size_t *len)
{
	long n = hex_decode(s, strlen(s), out, 64);

	if (n < 0) {
		errorf("%s %s: %s: not hex (at most 64 bytes)\n", prog, cmd, name);
		return -1;
	}
	*len = (size_t)n;
	return 0;
}

/* Put the PEER attributes given on the command line. */
static int raw_peer_attrs(const char *cmd, const struct raw_opts *r, struct nlmsghdr *nlh)
{
	char err[200];
	uint32_t v, iv, to;

	if (r->v[R_PEER]) {
		if (raw_u32(cmd, r, R_PEER, &v))
			return -1;
		mnl_attr_put_u32(nlh, MVPN_A_PEER_ID, v);
	}
	if (r->v[R_TXID]) {
		if (raw_u32(cmd, r, R_TXID, &v))
			return -1;
		mnl_attr_put_u32(nlh, MVPN_A_PEER_TX_ID, v);
	}
	if (r->v[R_REMOTE]) {
		struct sockaddr_storage ss;
		socklen_t len;

		if (mvpn_endpoint_parse(r->v[R_REMOTE], 0, &ss, &len, err, sizeof(err))) {
			errorf("%s %s: --remote %s\n", prog, cmd, err);
			return -1;
		}
		put_remote(nlh, &ss);
	}
	if (r->v[R_LOCAL]) {
		struct mvpn_cidr c;

		if (mvpn_cidr_parse(r->v[R_LOCAL], &c, err, sizeof(err))) {
			errorf("%s %s: --local-ip %s\n", prog, cmd, err);
			return -1;
		}
		mnl_attr_put(nlh, c.family == AF_INET ? MVPN_A_PEER_LOCAL_IPV4 :
			     MVPN_A_PEER_LOCAL_IPV6, c.family == AF_INET ? 4 : 16, c.addr);
	}
	if (r->v[R_VPN]) {
		/* IP or IP4,IP6: the peer's addresses inside the tunnel */
		char list[2 * INET6_ADDRSTRLEN + 2], *save = NULL;
		int n = 0;

		if (strlen(r->v[R_VPN]) >= sizeof(list)) {
			errorf("%s %s: --vpn-ip IP[,IP]: too long\n", prog, cmd);
			return -1;
		}
		strcpy(list, r->v[R_VPN]);
		for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			struct mvpn_cidr c;

			if (++n > 2 || mvpn_cidr_parse(t, &c, err, sizeof(err))) {
				errorf("%s %s: --vpn-ip IP[,IP]: %s\n", prog, cmd,
				       n > 2 ? "at most two addresses" : err);
				return -1;
			}
			mnl_attr_put(nlh, c.family == AF_INET ? MVPN_A_PEER_VPN_IPV4 :
				     MVPN_A_PEER_VPN_IPV6, c.family == AF_INET ? 4 : 16, c.addr);
		}
	}
	if (r->v[R_KA]) {
		const char *comma = strchr(r->v[R_KA], ',');
		char a[16];

		if (!comma || (size_t)(comma - r->v[R_KA]) >= sizeof(a)) {
			errorf("%s %s: --keepalive INTERVAL,TIMEOUT\n", prog, cmd);
			return -1;
		}
		memcpy(a, r->v[R_KA], (size_t)(comma - r->v[R_KA]));
		a[comma - r->v[R_KA]] = '\0';
		if (mvpn_u32_parse(a, 0, UINT32_MAX, &iv) ||
		    mvpn_u32_parse(comma + 1, 0, UINT32_MAX, &to)) {
			errorf("%s %s: --keepalive INTERVAL,TIMEOUT (numbers)\n", prog, cmd);
			return -1;
		}
		mnl_attr_put_u32(nlh, MVPN_A_PEER_KEEPALIVE_INTERVAL, iv);
		mnl_attr_put_u32(nlh, MVPN_A_PEER_KEEPALIVE_TIMEOUT, to);
	}
	if (r->v[R_WINDOW]) {
		if (raw_u32(cmd, r, R_WINDOW, &v))
			return -1;
		mnl_attr_put_u32(nlh, MVPN_A_PEER_REPLAY_WINDOW, v);
	}
	return 0;
}

/* --socket udp|udp6|tcp [--bind EP]: a socket made here (closed at exit). */
static int raw_socket(const char *cmd, const struct raw_opts *r)
{
	const char *kind = r->v[R_SOCKET];
	struct sockaddr_storage ss;
	socklen_t len;
	char err[200];
	int fd, family, type;

	if (strcmp(kind, "udp") == 0 || strcmp(kind, "udp6") == 0) {
		type = SOCK_DGRAM;
	} else if (strcmp(kind, "tcp") == 0) {
		type = SOCK_STREAM;
	} else {
		errorf("%s %s: --socket udp|udp6|tcp\n", prog, cmd);
		return -1;
	}
	family = strcmp(kind, "udp6") == 0 ? AF_INET6 : AF_INET;
	if (r->v[R_BIND]) {
		if (mvpn_endpoint_parse(r->v[R_BIND], 0, &ss, &len, err, sizeof(err))) {
			errorf("%s %s: --bind %s\n", prog, cmd, err);
			return -1;
		}
		family = ss.ss_family;
	}
	fd = socket(family, type | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		errorf("%s %s: socket: %s\n", prog, cmd, strerror(errno));
		return -1;
	}
	if (r->v[R_BIND] && bind(fd, (struct sockaddr *)&ss, len)) {
		errorf("%s %s: bind %s: %s\n", prog, cmd, r->v[R_BIND], strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int raw_send(struct genl_sock *gs, const char *cmd, const char *dev,
		    struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	if (genl_talk(gs, nlh, cb, data)) {
		errorf("%s: %s %s: %s\n", prog, cmd, dev, gs->err);
		return -1;
	}
	return 0;
}

/* Wait for SIGTERM/SIGINT (--hold: keep the socket and the peer alive). */
static void hold(void)
{
	int sfd = stop_fd();
	struct signalfd_siginfo si;

	printf("ready\n");
	fflush(stdout);
	while (sfd >= 0 && read(sfd, &si, sizeof(si)) == sizeof(si) && si.ssi_signo == SIGUSR1)
		;
	if (sfd >= 0)
		close(sfd);
}

static int cmd_peer_req(int argc, char **argv, uint8_t nlcmd)
{
	const char *cmd = argv[0];
	char buf[GENL_BUF_SIZE];
	struct raw_opts r;
	struct genl_sock gs;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int ifindex, fd = -1, rc = 1;
	uint32_t v;

	if (raw_parse(cmd, argc, argv, &r))
		return 2;
	ifindex = dev_index(r.dev);
	if (!ifindex || open_family(&gs))
		return 1;
	nlh = genl_req(&gs, buf, nlcmd, NLM_F_REQUEST | NLM_F_ACK);
	mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, (uint32_t)ifindex);
	nest = mnl_attr_nest_start(nlh, MVPN_A_PEER);
	if (raw_peer_attrs(cmd, &r, nlh))
		goto out;
	if (r.v[R_FD]) {
		if (raw_u32(cmd, &r, R_FD, &v))
			goto out;
		mnl_attr_put_u32(nlh, MVPN_A_PEER_SOCKET, v);
	} else if (r.v[R_SOCKET]) {
		fd = raw_socket(cmd, &r);
		if (fd < 0)
			goto out;
		mnl_attr_put_u32(nlh, MVPN_A_PEER_SOCKET, (uint32_t)fd);
	}
	mnl_attr_nest_end(nlh, nest);
	if (raw_send(&gs, cmd, r.dev, nlh, NULL, NULL))
		goto out;
	if (r.v[R_HOLD])
		hold();
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	genl_close(&gs);
	return rc;
}

/* ---- devices ------------------------------------------------------------------ */

/* dev-new DEV [--mode p2p|mp]: an mvpn-dco device (iproute2 cannot set the mode). */
static int cmd_dev_new(int argc, char **argv)
{
	const char *dev = NULL, *mode = "p2p";
	struct mvpn_rtnl rt;
	int ifindex;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc)
			mode = argv[++i];
		else if (!dev && argv[i][0] != '-')
			dev = argv[i];
		else
			dev = NULL, argc = 0;
	}
	if (!dev || (strcmp(mode, "p2p") && strcmp(mode, "mp"))) {
		errorf("usage: %s dev-new DEV [--mode p2p|mp]\n", prog);
		return 2;
	}
	if (mvpn_rtnl_open(&rt)) {
		errorf("%s: %s\n", prog, rt.err);
		return 1;
	}
	ifindex = mvpn_rtnl_link_new(&rt, dev, strcmp(mode, "mp") ? MVPN_MODE_P2P : MVPN_MODE_MP);
	if (ifindex < 0)
		errorf("%s dev-new: %s\n", prog, rt.err);
	mvpn_rtnl_close(&rt);
	return ifindex < 0;
}

static int cmd_peer_new(int argc, char **argv)
{
	return cmd_peer_req(argc, argv, MVPN_CMD_PEER_NEW);
}

static int cmd_peer_set(int argc, char **argv)
{
	return cmd_peer_req(argc, argv, MVPN_CMD_PEER_SET);
}

static int cmd_peer_del(int argc, char **argv)
{
	return cmd_peer_req(argc, argv, MVPN_CMD_PEER_DEL);
}

/* Put one ENCRYPT_DIR/DECRYPT_DIR from hex options, or from the key file. */
static int raw_keydir(const char *cmd, struct nlmsghdr *nlh, uint16_t type, const char *key_hex,
		      const char *nonce_hex, const uint8_t *file_key, const uint8_t *file_tail,
		      size_t file_klen)
{
	uint8_t key[64], tail[64];
	size_t klen = file_klen, tlen = 8;
	struct nlattr *d;

	if (!key_hex && !nonce_hex && !file_key)
		return 0;	/* absent: the kernel decides what that means */
	if (file_key) {
		memcpy(key, file_key, file_klen);
		memcpy(tail, file_tail, 8);
	}
	if (key_hex && raw_hex(cmd, "key", key_hex, key, &klen))
		return -1;
	if (nonce_hex && raw_hex(cmd, "nonce", nonce_hex, tail, &tlen))
		return -1;
	d = mnl_attr_nest_start(nlh, type);
	if (file_key || key_hex)
		mnl_attr_put(nlh, MVPN_A_KEYDIR_CIPHER_KEY, klen, key);
	if (file_key || nonce_hex)
		mnl_attr_put(nlh, MVPN_A_KEYDIR_NONCE_TAIL, tlen, tail);
	mnl_attr_nest_end(nlh, d);
	explicit_bzero(key, sizeof(key));
	return 0;
}

static int cmd_key_new(int argc, char **argv)
{
	const char *cmd = argv[0];
	char buf[GENL_BUF_SIZE];
	struct mvpn_p2p_keys keys;
	struct mvpn_dp_key k = { 0 };
	struct raw_opts r;
	struct genl_sock gs;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	enum mvpn_dp_cipher dpc = MVPN_DP_AES_256_GCM;
	uint32_t v, alg = 0;
	bool file = false;
	char err[200];
	int ifindex, rc = 1;

	if (raw_parse(cmd, argc, argv, &r))
		return 2;
	if (r.v[R_CIPHER]) {
		dpc = mvpn_dp_cipher_from_name(r.v[R_CIPHER]);
		if (dpc != MVPN_DP_CIPHER_NONE)
			alg = dpc == MVPN_DP_CHACHA20_POLY1305 ? MVPN_CIPHER_ALG_CHACHA20_POLY1305 :
			      MVPN_CIPHER_ALG_AES_GCM;
		else if (raw_u32(cmd, &r, R_CIPHER, &alg))	/* a raw value, for tests */
			return 2;
		if (dpc == MVPN_DP_CIPHER_NONE)
			dpc = MVPN_DP_AES_256_GCM;
	}
	if (r.v[R_KEYFILE]) {
		uint32_t dir = 0;

		if (r.v[R_KEYDIR] && mvpn_u32_parse(r.v[R_KEYDIR], 0, 1, &dir)) {
			errorf("%s %s: --key-dir 0 or 1\n", prog, cmd);
			return 2;
		}
		if (load_keys(r.v[R_KEYFILE], &keys) ||
		    mvpn_p2p_key_for_dir(&keys, (int)dir, 0, dpc, &k, err, sizeof(err)))
			return 1;
		explicit_bzero(&keys, sizeof(keys));
		file = true;
	}
	ifindex = dev_index(r.dev);
	if (!ifindex || open_family(&gs))
		return 1;
	nlh = genl_req(&gs, buf, MVPN_CMD_KEY_NEW, NLM_F_REQUEST | NLM_F_ACK);
	mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, (uint32_t)ifindex);
	nest = mnl_attr_nest_start(nlh, MVPN_A_KEYCONF);
	if (r.v[R_PEER]) {
		if (raw_u32(cmd, &r, R_PEER, &v))
			goto out;
		mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_PEER_ID, v);
	}
	if (r.v[R_SLOT]) {
		if (raw_slot(cmd, &r, &v))
			goto out;
		mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_SLOT, v);
	}
	if (r.v[R_KEYID]) {
		if (raw_u32(cmd, &r, R_KEYID, &v))
			goto out;
		mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_KEY_ID, v);
	}
	if (r.v[R_CIPHER])
		mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_CIPHER_ALG, alg);
	if (raw_keydir(cmd, nlh, MVPN_A_KEYCONF_ENCRYPT_DIR, r.v[R_ENCKEY], r.v[R_ENCNONCE],
		       file ? k.encrypt.key : NULL, k.encrypt.nonce_tail,
		       mvpn_dp_cipher_key_len(dpc)) ||
	    raw_keydir(cmd, nlh, MVPN_A_KEYCONF_DECRYPT_DIR, r.v[R_DECKEY], r.v[R_DECNONCE],
		       file ? k.decrypt.key : NULL, k.decrypt.nonce_tail,
		       mvpn_dp_cipher_key_len(dpc)))
		goto out;
	mnl_attr_nest_end(nlh, nest);
	if (!raw_send(&gs, cmd, r.dev, nlh, NULL, NULL))
		rc = 0;
out:
	explicit_bzero(&k, sizeof(k));
	explicit_bzero(buf, sizeof(buf));
	genl_close(&gs);
	return rc;
}

static int cmd_key_req(int argc, char **argv, uint8_t nlcmd)
{
	const char *cmd = argv[0];
	char buf[GENL_BUF_SIZE];
	struct ctlview_key kv = { 0 };
	struct raw_opts r;
	struct genl_sock gs;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int ifindex, rc = 1;
	uint32_t v;

	if (raw_parse(cmd, argc, argv, &r))
		return 2;
	ifindex = dev_index(r.dev);
	if (!ifindex || open_family(&gs))
		return 1;
	nlh = genl_req(&gs, buf, nlcmd, NLM_F_REQUEST | NLM_F_ACK);
	mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, (uint32_t)ifindex);
	nest = mnl_attr_nest_start(nlh, MVPN_A_KEYCONF);
	if (r.v[R_PEER]) {
		if (raw_u32(cmd, &r, R_PEER, &v))
			goto out;
		mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_PEER_ID, v);
	}
	if (r.v[R_SLOT]) {
		if (raw_slot(cmd, &r, &v))
			goto out;
		mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_SLOT, v);
	}
	mnl_attr_nest_end(nlh, nest);
	if (raw_send(&gs, cmd, r.dev, nlh, nlcmd == MVPN_CMD_KEY_GET ? ctlview_key_cb : NULL, &kv))
		goto out;
	if (nlcmd == MVPN_CMD_KEY_GET)
		printf("key-id %u cipher %s tx-pktid %u\n", kv.key_id,
		       ctlview_cipher_label(kv.alg, kv.key_len), kv.tx_pktid);
	rc = 0;
out:
	genl_close(&gs);
	return rc;
}

static int cmd_key_get(int argc, char **argv)
{
	return cmd_key_req(argc, argv, MVPN_CMD_KEY_GET);
}

static int cmd_key_swap(int argc, char **argv)
{
	return cmd_key_req(argc, argv, MVPN_CMD_KEY_SWAP);
}

static int cmd_key_del(int argc, char **argv)
{
	return cmd_key_req(argc, argv, MVPN_CMD_KEY_DEL);
}

/* ---- dispatch ------------------------------------------------------------ */

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ "show", cmd_show, "[DEV] [--json]",
	  "devices, peers, keys, keepalive and every counter (never key material)" },
	{ "monitor", cmd_monitor, "[DEV]", "print one line per notification until killed" },
	{ "p2p-up", cmd_p2p_up,
	  "--dev NAME --local ADDR:PORT --remote ADDR:PORT --peer-id N\n"
	  "           --cipher aes-128-gcm|aes-256-gcm|chacha20-poly1305\n"
	  "           --key-file FILE --key-dir 0|1 [--vpn-addr CIDR]...\n"
	  "           [--keepalive INTERVAL,TIMEOUT] [--mtu N] [--userspace [--no-offload]]",
	  "static-key point-to-point link; prints 'ready', runs until SIGTERM/SIGINT.\n"
	  "           --userspace: tun + the userspace data plane instead of the module\n"
	  "           --no-offload: no TSO/GRO on tun, no UDP_SEGMENT/UDP_GRO (one packet\n"
	  "           per read and per send)" },
	{ "dev-new", cmd_dev_new, "DEV [--mode p2p|mp]",
	  "create an mvpn-dco device; mp: many peers (a server), p2p the default" },
	{ "peer-new", cmd_peer_new,
	  "DEV --peer-id N [--tx-id N] [--remote EP] [--local-ip IP] [--vpn-ip IP[,IP]]\n"
	  "           [--keepalive I,T] [--replay-window N]\n"
	  "           [--fd N | --socket udp|udp6|tcp [--bind EP]] [--hold]",
	  "PEER_NEW with exactly these attributes" },
	{ "peer-set", cmd_peer_set,
	  "DEV --peer-id N [--tx-id N] [--remote EP] [--local-ip IP] [--vpn-ip IP[,IP]]\n"
	  "           [--keepalive I,T] [--replay-window N]", "PEER_SET" },
	{ "peer-del", cmd_peer_del, "DEV --peer-id N", "PEER_DEL" },
	{ "key-new", cmd_key_new,
	  "DEV --peer-id N --slot primary|secondary --key-id N --cipher NAME|NUM\n"
	  "           (--key-file F --key-dir 0|1 | --enc-key HEX --enc-nonce HEX\n"
	  "            --dec-key HEX --dec-nonce HEX)", "KEY_NEW with exactly these attributes" },
	{ "key-get", cmd_key_get, "DEV --peer-id N --slot S", "KEY_GET (no secrets)" },
	{ "key-swap", cmd_key_swap, "DEV --peer-id N", "KEY_SWAP" },
	{ "key-del", cmd_key_del, "DEV --peer-id N --slot S", "KEY_DEL" },
	{ "help", cmd_help, "", "this text" },
};

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("usage: %s COMMAND [ARGS]\n\ncommands:\n", prog);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-8s %s\n           %s\n", commands[i].name, commands[i].args,
		       commands[i].help);
	return 0;
}

int main(int argc, char **argv)
{
	/* before any OpenSSL call: its freed blocks get wiped (secmem.h) */
	if (secmem_openssl_wipe_on_free())
		errorf("%s: warning: OpenSSL will not wipe the memory it frees\n", prog);
	if (argc < 2)
		return cmd_help(0, NULL), 2;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	errorf("%s: unknown command '%s' (try '%s help')\n", prog, argv[1], prog);
	return 2;
}
