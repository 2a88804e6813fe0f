// SPDX-License-Identifier: BSD-2-Clause
/*
 * dco.c: mvpnd on the mvpn-dco kernel fast path.
 *
 * Sequence (architecture.md, "Key lifecycle"): create the device, and once
 * the control channel has a pushed peer-id, PEER_NEW with the transport
 * socket's fd (the module attaches to the socket; we keep the fd and keep
 * exchanging control packets on it), KEY_NEW primary, later KEY_NEW
 * secondary + KEY_SWAP on renegotiation, KEY_DEL when the lame duck expires.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <spawn.h>
#include <netinet/in.h>
#include <linux/genetlink.h>
#include <linux/mvpn_dco.h>
#include <openssl/crypto.h>

#include "dco.h"
#include "log.h"

extern char **environ;

static int try_modprobe(void)
{
	char *argv[] = { "modprobe", "-q", "mvpn_dco", NULL };
	pid_t pid;
	int st;

	if (posix_spawnp(&pid, "modprobe", NULL, NULL, argv, environ))
		return -1;
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int dco_open(struct dco *d, const char *dev, char *err, size_t errlen)
{
	int r;

	memset(d, 0, sizeof(*d));
	if (genl_open(&d->gs, MVPN_FAMILY_NAME)) {
		if (try_modprobe() || genl_open(&d->gs, MVPN_FAMILY_NAME)) {
			snprintf(err, errlen, "the mvpn-dco module is not loaded and cannot be loaded (modprobe mvpn_dco failed; insmod kmod/mvpn-dco.ko)");
			return -1;
		}
	}
	if (genl_open(&d->ntf, MVPN_FAMILY_NAME) || genl_join_peers(&d->ntf)) {
		snprintf(err, errlen, "mvpn-dco notifications: %s", d->ntf.err);
		genl_close(&d->gs);
		genl_close(&d->ntf);
		return -1;
	}
	mnl_socket_setsockopt(d->ntf.nl, NETLINK_NO_ENOBUFS, &(int){ 1 }, sizeof(int));
	if (mvpn_rtnl_open(&d->rt)) {
		snprintf(err, errlen, "rtnetlink: %s", d->rt.err);
		goto fail;
	}
	if (!dev || !*dev || !strcmp(dev, "tun")) {
		/* The first free tunN, as OpenVPN names its devices. */
		for (int i = 0; i < 256; i++) {
			snprintf(d->ifname, sizeof(d->ifname), "tun%d", i);
			r = mvpn_rtnl_link_new(&d->rt, d->ifname, MVPN_MODE_P2P);
			if (r != -EEXIST)
				break;
		}
	} else {
		snprintf(d->ifname, sizeof(d->ifname), "%s", dev);
		r = mvpn_rtnl_link_new(&d->rt, d->ifname, MVPN_MODE_P2P);
	}
	if (r < 0) {
		snprintf(err, errlen, "cannot create mvpn-dco device %s: %s", d->ifname, d->rt.err);
		goto fail;
	}
	d->ifindex = (unsigned int)r;
	/*
	 * Tie the device to our netlink socket: if mvpnd dies, however it
	 * dies, the kernel deletes the device when the socket closes.
	 */
	{
		char buf[GENL_BUF_SIZE];
		struct nlmsghdr *nlh = genl_req(&d->gs, buf, MVPN_CMD_DEV_OWN, NLM_F_REQUEST | NLM_F_ACK);

		mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, d->ifindex);
		if (genl_talk(&d->gs, nlh, NULL, NULL))
			mlog(LOG_ERR, "mvpn-dco: cannot take ownership of %s (%s): it will outlive a crash",
			     d->ifname, d->gs.err);
	}
	return 0;
fail:
	mvpn_rtnl_close(&d->rt);
	genl_close(&d->gs);
	genl_close(&d->ntf);
	return -1;
}

void dco_close(struct dco *d)
{
	dco_peer_down(d);
	if (d->ifindex && mvpn_rtnl_link_del(&d->rt, (int)d->ifindex))
		mlog(LOG_ERR, "mvpn-dco: cannot delete %s: %s", d->ifname, d->rt.err);
	d->ifindex = 0;
	mvpn_rtnl_close(&d->rt);
	genl_close(&d->gs);
	genl_close(&d->ntf);
}

static int talk(struct dco *d, struct nlmsghdr *nlh, const char *what, mnl_cb_t cb, void *data)
{
	int r = genl_talk(&d->gs, nlh, cb, data);

	if (r)
		snprintf(d->err, sizeof(d->err), "%s: %s", what, d->gs.err);
	return r;
}

int dco_peer_up(struct dco *d, int sock, const struct sockaddr *remote,
		const struct dco_peer_params *pp, char *err, size_t errlen)
{
	int peer_id = pp->peer_id, ping = pp->ping, restart = pp->ping_restart;
	char buf[GENL_BUF_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	if (peer_id < 0) {
		snprintf(err, errlen, "the server pushed no peer-id; mvpn-dco needs P_DATA_V2 (use --dco off)");
		return -1;
	}
	nlh = genl_req(&d->gs, buf, MVPN_CMD_PEER_NEW, NLM_F_REQUEST | NLM_F_ACK);
	mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, d->ifindex);
	nest = mnl_attr_nest_start(nlh, MVPN_A_PEER);
	mnl_attr_put_u32(nlh, MVPN_A_PEER_ID, (uint32_t)peer_id);
	mnl_attr_put_u32(nlh, MVPN_A_PEER_SOCKET, (uint32_t)sock);
	if (remote->sa_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)remote;

		mnl_attr_put(nlh, MVPN_A_PEER_REMOTE_IPV4, 4, &s->sin_addr);
		mnl_attr_put(nlh, MVPN_A_PEER_REMOTE_PORT, 2, &s->sin_port);
	} else {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)remote;

		mnl_attr_put(nlh, MVPN_A_PEER_REMOTE_IPV6, 16, &s->sin6_addr);
		mnl_attr_put(nlh, MVPN_A_PEER_REMOTE_PORT, 2, &s->sin6_port);
		if (s->sin6_scope_id)
			mnl_attr_put_u32(nlh, MVPN_A_PEER_REMOTE_IPV6_SCOPE_ID, s->sin6_scope_id);
	}
	if (ping > 0 || restart > 0) {
		mnl_attr_put_u32(nlh, MVPN_A_PEER_KEEPALIVE_INTERVAL, (uint32_t)(ping > 0 ? ping : 0));
		mnl_attr_put_u32(nlh, MVPN_A_PEER_KEEPALIVE_TIMEOUT, (uint32_t)(restart > 0 ? restart : 0));
	}
	mnl_attr_nest_end(nlh, nest);
	if (talk(d, nlh, "PEER_NEW", NULL, NULL)) {
		snprintf(err, errlen, "%s", d->err);
		return -1;
	}
	d->have_peer = true;
	d->peer_id = (uint32_t)peer_id;
	if (pp->mtu && mvpn_rtnl_link_set_mtu(&d->rt, (int)d->ifindex, pp->mtu))
		mlog(LOG_ERR, "mvpn-dco: cannot set MTU %u on %s: %s", pp->mtu, d->ifname, d->rt.err);
	if (mvpn_rtnl_link_set_up(&d->rt, (int)d->ifindex, true)) {
		snprintf(err, errlen, "cannot bring %s up: %s", d->ifname, d->rt.err);
		return -1;
	}
	mlog(LOG_INFO, "mvpn-dco: peer-id %d added on %s (keepalive %d/%d)", peer_id, d->ifname,
	     ping, restart);
	return 0;
}

void dco_peer_down(struct dco *d)
{
	char buf[GENL_BUF_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	if (!d->have_peer)
		return;
	nlh = genl_req(&d->gs, buf, MVPN_CMD_PEER_DEL, NLM_F_REQUEST | NLM_F_ACK);
	mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, d->ifindex);
	nest = mnl_attr_nest_start(nlh, MVPN_A_PEER);
	mnl_attr_put_u32(nlh, MVPN_A_PEER_ID, d->peer_id);
	mnl_attr_nest_end(nlh, nest);
	if (talk(d, nlh, "PEER_DEL", NULL, NULL) && d->gs.err[0] && !strstr(d->gs.err, "No such"))
		mlog(LOG_VERBOSE, "mvpn-dco: %s", d->err);
	d->have_peer = false;
}

static void put_keydir(struct nlmsghdr *nlh, uint16_t type, const struct mvpn_dp_keydir *kd, size_t klen)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put(nlh, MVPN_A_KEYDIR_CIPHER_KEY, klen, kd->key);
	mnl_attr_put(nlh, MVPN_A_KEYDIR_NONCE_TAIL, MVPN_DP_NONCE_TAIL, kd->nonce_tail);
	mnl_attr_nest_end(nlh, nest);
}

int dco_key_install(struct dco *d, enum mvpn_dp_slot slot, const struct mvpn_dp_key *key)
{
	char buf[GENL_BUF_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	size_t klen = mvpn_dp_cipher_key_len(key->cipher);
	int r;

	if (!d->have_peer) {
		snprintf(d->err, sizeof(d->err), "KEY_NEW: no peer yet");
		return -1;
	}
	nlh = genl_req(&d->gs, buf, MVPN_CMD_KEY_NEW, NLM_F_REQUEST | NLM_F_ACK);
	mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, d->ifindex);
	nest = mnl_attr_nest_start(nlh, MVPN_A_KEYCONF);
	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_PEER_ID, d->peer_id);
	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_SLOT, slot == MVPN_DP_PRIMARY ? MVPN_KEY_SLOT_PRIMARY
									 : MVPN_KEY_SLOT_SECONDARY);
	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_KEY_ID, key->key_id);
	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_CIPHER_ALG,
			 key->cipher == MVPN_DP_CHACHA20_POLY1305 ? MVPN_CIPHER_ALG_CHACHA20_POLY1305
								  : MVPN_CIPHER_ALG_AES_GCM);
	put_keydir(nlh, MVPN_A_KEYCONF_ENCRYPT_DIR, &key->encrypt, klen);
	put_keydir(nlh, MVPN_A_KEYCONF_DECRYPT_DIR, &key->decrypt, klen);
	mnl_attr_nest_end(nlh, nest);
	r = talk(d, nlh, "KEY_NEW", NULL, NULL);
	OPENSSL_cleanse(buf, sizeof(buf));
	if (!r)
		mlog(LOG_VERBOSE, "mvpn-dco: key_id %u installed in the %s slot", key->key_id,
		     slot == MVPN_DP_PRIMARY ? "primary" : "secondary");
	return r;
}

int dco_key_swap(struct dco *d)
{
	char buf[GENL_BUF_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	if (!d->have_peer)
		return 0;
	nlh = genl_req(&d->gs, buf, MVPN_CMD_KEY_SWAP, NLM_F_REQUEST | NLM_F_ACK);
	mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, d->ifindex);
	nest = mnl_attr_nest_start(nlh, MVPN_A_KEYCONF);
	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_PEER_ID, d->peer_id);
	mnl_attr_nest_end(nlh, nest);
	return talk(d, nlh, "KEY_SWAP", NULL, NULL);
}

int dco_key_del(struct dco *d, enum mvpn_dp_slot slot)
{
	char buf[GENL_BUF_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	if (!d->have_peer)
		return 0;
	nlh = genl_req(&d->gs, buf, MVPN_CMD_KEY_DEL, NLM_F_REQUEST | NLM_F_ACK);
	mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, d->ifindex);
	nest = mnl_attr_nest_start(nlh, MVPN_A_KEYCONF);
	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_PEER_ID, d->peer_id);
	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_SLOT, slot == MVPN_DP_PRIMARY ? MVPN_KEY_SLOT_PRIMARY
									 : MVPN_KEY_SLOT_SECONDARY);
	mnl_attr_nest_end(nlh, nest);
	/* Deleting an empty slot is not an error worth reporting. */
	if (talk(d, nlh, "KEY_DEL", NULL, NULL) && !strstr(d->gs.err, "No such"))
		return -1;
	return 0;
}

int dco_parse_stats(const struct nlmsghdr *nlh, struct dco_stats *st)
{
	const struct nlattr *a, *p;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -EPROTO;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != MVPN_A_PEER)
			continue;
		mnl_attr_for_each_nested(p, a) {
			uint64_t v;

			if (mnl_attr_get_payload_len(p) != 8)
				continue;
			v = mnl_attr_get_u64(p);
			switch (mnl_attr_get_type(p)) {
			case MVPN_A_PEER_VPN_RX_BYTES: st->vpn_rx_bytes = v; break;
			case MVPN_A_PEER_VPN_TX_BYTES: st->vpn_tx_bytes = v; break;
			case MVPN_A_PEER_VPN_RX_PACKETS: st->vpn_rx_packets = v; break;
			case MVPN_A_PEER_VPN_TX_PACKETS: st->vpn_tx_packets = v; break;
			case MVPN_A_PEER_LINK_RX_BYTES: st->link_rx_bytes = v; break;
			case MVPN_A_PEER_LINK_TX_BYTES: st->link_tx_bytes = v; break;
			default: break;
			}
		}
	}
	return 0;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	dco_parse_stats(nlh, data);
	return MNL_CB_OK;
}

int dco_get_stats(struct dco *d, struct dco_stats *st)
{
	char buf[GENL_BUF_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	memset(st, 0, sizeof(*st));
	if (!d->have_peer)
		return -1;
	nlh = genl_req(&d->gs, buf, MVPN_CMD_PEER_GET, NLM_F_REQUEST | NLM_F_ACK);
	mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, d->ifindex);
	nest = mnl_attr_nest_start(nlh, MVPN_A_PEER);
	mnl_attr_put_u32(nlh, MVPN_A_PEER_ID, d->peer_id);
	mnl_attr_nest_end(nlh, nest);
	return talk(d, nlh, "PEER_GET", stats_cb, st);
}

void dco_send_data(struct dco *d, const uint8_t *buf, size_t len)
{
	(void)d;
	(void)buf;
	mlog(LOG_VERBOSE, "mvpn-dco: %zu-byte data-channel message not sent (the module carries only tunnel packets)",
	     len);
}

int dco_ntf_fd(const struct dco *d)
{
	return mnl_socket_get_fd(d->ntf.nl);
}

static const char *reason_name(uint32_t r)
{
	switch (r) {
	case MVPN_DEL_REASON_TEARDOWN: return "teardown";
	case MVPN_DEL_REASON_USERSPACE: return "userspace";
	case MVPN_DEL_REASON_EXPIRED: return "expired";
	case MVPN_DEL_REASON_TRANSPORT_ERROR: return "transport-error";
	case MVPN_DEL_REASON_TRANSPORT_DISCONNECT: return "transport-disconnect";
	default: return "unknown";
	}
}

int dco_parse_ntf(const void *buf, size_t len, uint16_t family_id, unsigned int ifindex,
		  struct dco_ntf *n)
{
	const struct nlmsghdr *h;
	int rem = len > INT32_MAX ? INT32_MAX : (int)len;

	for (h = buf; genl_nlmsg_ok(h, rem); h = mnl_nlmsg_next(h, &rem)) {
		const struct genlmsghdr *g = mnl_nlmsg_get_payload(h);
		const struct nlattr *a, *p;
		uint32_t ifi = 0, reason = 0;

		if (h->nlmsg_type != family_id || mnl_nlmsg_get_payload_len(h) < sizeof(*g))
			continue;
		memset(n, 0, sizeof(*n));
		mnl_attr_for_each(a, h, sizeof(*g)) {
			if (mnl_attr_get_type(a) == MVPN_A_IFINDEX && mnl_attr_get_payload_len(a) == 4)
				ifi = mnl_attr_get_u32(a);
			if (mnl_attr_get_type(a) != MVPN_A_PEER)
				continue;
			mnl_attr_for_each_nested(p, a)
				if (mnl_attr_get_type(p) == MVPN_A_PEER_DEL_REASON &&
				    mnl_attr_get_payload_len(p) == 4)
					reason = mnl_attr_get_u32(p);
		}
		if (ifi != ifindex)
			continue;
		switch (g->cmd) {
		case MVPN_CMD_PEER_DEL_NTF:
			n->type = DCO_NTF_PEER_DEL;
			n->expired = reason == MVPN_DEL_REASON_EXPIRED;
			snprintf(n->reason, sizeof(n->reason), "%s", reason_name(reason));
			return 1;
		case MVPN_CMD_KEY_SWAP_NTF:
			n->type = DCO_NTF_KEY_SWAP;
			return 1;
		case MVPN_CMD_PEER_FLOAT_NTF:
			n->type = DCO_NTF_FLOAT;
			snprintf(n->reason, sizeof(n->reason), "a new address");
			return 1;
		default:
			break;
		}
	}
	return 0;
}

int dco_read_ntf(struct dco *d, struct dco_ntf *n)
{
	char buf[GENL_BUF_SIZE];
	struct sockaddr_nl from;
	socklen_t fl = sizeof(from);
	ssize_t len;
	int r;

	len = recvfrom(mnl_socket_get_fd(d->ntf.nl), buf, sizeof(buf), MSG_DONTWAIT,
		       (struct sockaddr *)&from, &fl);
	if (len <= 0)
		return 0;
	/* only the kernel speaks for the module */
	if (fl < sizeof(from) || from.nl_family != AF_NETLINK || from.nl_pid != 0)
		return 0;
	r = dco_parse_ntf(buf, genl_pad(buf, (size_t)len, sizeof(buf)), d->ntf.family_id,
			  d->ifindex, n);
	if (r == 1 && n->type == DCO_NTF_PEER_DEL)
		d->have_peer = false;
	return r;
}
