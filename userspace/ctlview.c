// SPDX-License-Identifier: BSD-2-Clause
/*
 * ctlview.c: mvpnctl's view of the module (API in ctlview.h), moved out of
 * mvpnctl.c unchanged but for the FILE * argument and the length checks on
 * the generic netlink header.
 */
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/mvpn_dco.h>

#include "ctlview.h"

/* ---- small helpers ------------------------------------------------------- */

const char *ctlview_cipher_label(uint32_t alg, uint32_t key_len)
{
	if (alg == MVPN_CIPHER_ALG_AES_GCM)
		return key_len == 16 ? "AES-128-GCM" : key_len == 24 ? "AES-192-GCM" :
		       key_len == 32 ? "AES-256-GCM" : "AES-GCM";
	if (alg == MVPN_CIPHER_ALG_CHACHA20_POLY1305)
		return "CHACHA20-POLY1305";
	return "unknown";
}

static const char *reason_name(uint32_t r)
{
	static const char *const names[] = {
		[MVPN_DEL_REASON_TEARDOWN] = "teardown",
		[MVPN_DEL_REASON_USERSPACE] = "userspace",
		[MVPN_DEL_REASON_EXPIRED] = "expired",
		[MVPN_DEL_REASON_TRANSPORT_ERROR] = "transport-error",
		[MVPN_DEL_REASON_TRANSPORT_DISCONNECT] = "transport-disconnect",
	};

	return r < sizeof(names) / sizeof(names[0]) ? names[r] : "unknown";
}

void ctlview_format_sa(const struct sockaddr_storage *ss, char *out, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &in->sin_addr, a, sizeof(a));
		snprintf(out, len, "%s:%u", a, ntohs(in->sin_port));
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &in6->sin6_addr, a, sizeof(a));
		snprintf(out, len, "[%s]:%u", a, ntohs(in6->sin6_port));
	} else {
		snprintf(out, len, "-");
	}
}


static const struct {
	uint16_t attr;
	const char *name;
} counters[] = {
	{ MVPN_A_PEER_VPN_RX_PACKETS, "vpn-rx-packets" },
	{ MVPN_A_PEER_VPN_RX_BYTES, "vpn-rx-bytes" },
	{ MVPN_A_PEER_VPN_TX_PACKETS, "vpn-tx-packets" },
	{ MVPN_A_PEER_VPN_TX_BYTES, "vpn-tx-bytes" },
	{ MVPN_A_PEER_LINK_RX_PACKETS, "link-rx-packets" },
	{ MVPN_A_PEER_LINK_RX_BYTES, "link-rx-bytes" },
	{ MVPN_A_PEER_LINK_TX_PACKETS, "link-tx-packets" },
	{ MVPN_A_PEER_LINK_TX_BYTES, "link-tx-bytes" },
	{ MVPN_A_PEER_DROP_AUTH, "drop-auth" },
	{ MVPN_A_PEER_DROP_REPLAY, "drop-replay" },
	{ MVPN_A_PEER_DROP_UNKNOWN_KEY, "drop-unknown-key" },
	{ MVPN_A_PEER_DROP_MALFORMED, "drop-malformed" },
	{ MVPN_A_PEER_DROP_NO_KEY, "drop-no-key" },
	{ MVPN_A_PEER_TX_DROPS, "tx-drops" },
	{ MVPN_A_PEER_PING_RX, "ping-rx" },
	{ MVPN_A_PEER_PING_TX, "ping-tx" },
	{ MVPN_A_PEER_FLOATS, "floats" },
	{ MVPN_A_PEER_DROP_SOURCE, "drop-source" },
	{ MVPN_A_PEER_DROP_BUSY, "drop-busy" },
};

_Static_assert(sizeof(counters) / sizeof(counters[0]) == CTLVIEW_N_COUNTERS,
	       "CTLVIEW_N_COUNTERS is the length of counters[]");

static void peer_decode(const struct nlattr *nest, struct ctlview_peer *pv)
{
	const struct nlattr *a;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&pv->remote;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&pv->remote;
	uint16_t port = 0;

	mnl_attr_for_each_nested(a, nest) {
		uint16_t t = mnl_attr_get_type(a);
		size_t len = mnl_attr_get_payload_len(a);
		const void *p = mnl_attr_get_payload(a);

		switch (t) {
		case MVPN_A_PEER_ID:
		case MVPN_A_PEER_TX_ID:
		case MVPN_A_PEER_KEEPALIVE_INTERVAL:
		case MVPN_A_PEER_KEEPALIVE_TIMEOUT:
		case MVPN_A_PEER_REPLAY_WINDOW:
		case MVPN_A_PEER_DEL_REASON:
			if (len != 4)
				break;
			*(t == MVPN_A_PEER_ID ? &pv->id : t == MVPN_A_PEER_TX_ID ? &pv->tx_id :
			  t == MVPN_A_PEER_KEEPALIVE_INTERVAL ? &pv->ka_interval :
			  t == MVPN_A_PEER_KEEPALIVE_TIMEOUT ? &pv->ka_timeout :
			  t == MVPN_A_PEER_REPLAY_WINDOW ? &pv->replay_window : &pv->del_reason) =
				mnl_attr_get_u32(a);
			break;
		case MVPN_A_PEER_REMOTE_IPV4:
			if (len == 4) {
				in4->sin_family = AF_INET;
				memcpy(&in4->sin_addr, p, 4);
			}
			break;
		case MVPN_A_PEER_REMOTE_IPV6:
			if (len == 16) {
				in6->sin6_family = AF_INET6;
				memcpy(&in6->sin6_addr, p, 16);
			}
			break;
		case MVPN_A_PEER_REMOTE_PORT:
			if (len == 2)
				memcpy(&port, p, 2);
			break;
		case MVPN_A_PEER_LOCAL_IPV4:
			if (len == 4)
				inet_ntop(AF_INET, p, pv->local_ip, sizeof(pv->local_ip));
			break;
		case MVPN_A_PEER_LOCAL_IPV6:
			if (len == 16)
				inet_ntop(AF_INET6, p, pv->local_ip, sizeof(pv->local_ip));
			break;
		case MVPN_A_PEER_LOCAL_PORT:
			if (len == 2) {
				memcpy(&pv->local_port, p, 2);
				pv->local_port = ntohs(pv->local_port);
			}
			break;
		case MVPN_A_PEER_VPN_IPV4:
			if (len == 4)
				inet_ntop(AF_INET, p, pv->vpn4, sizeof(pv->vpn4));
			break;
		case MVPN_A_PEER_VPN_IPV6:
			if (len == 16)
				inet_ntop(AF_INET6, p, pv->vpn6, sizeof(pv->vpn6));
			break;
		default:
			for (size_t i = 0; i < CTLVIEW_N_COUNTERS; i++)
				if (counters[i].attr == t && len == 8)
					pv->ctr[i] = mnl_attr_get_u64(a);
			break;
		}
	}
	if (pv->remote.ss_family == AF_INET)
		in4->sin_port = port;
	else if (pv->remote.ss_family == AF_INET6)
		in6->sin6_port = port;
}

/* The top-level attributes of a message: IFINDEX and the PEER/KEYCONF nest. */
static const struct nlattr *msg_nest(const struct nlmsghdr *nlh, uint16_t type,
				     uint32_t *ifindex)
{
	const struct nlattr *a, *nest = NULL;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return NULL;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == MVPN_A_IFINDEX && mnl_attr_get_payload_len(a) == 4)
			*ifindex = mnl_attr_get_u32(a);
		else if (mnl_attr_get_type(a) == type)
			nest = a;
	}
	return nest;
}

void ctlview_peers_free(struct ctlview_peers *pl)
{
	free(pl->peers);
	memset(pl, 0, sizeof(*pl));
}

int ctlview_peer_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ctlview_peers *pl = data;
	uint32_t ifindex = 0;
	const struct nlattr *nest = msg_nest(nlh, MVPN_A_PEER, &ifindex);

	if (!nest || pl->n >= CTLVIEW_MAX_PEERS)
		return MNL_CB_OK;
	if (pl->n == pl->cap) {
		int cap = pl->cap ? pl->cap * 2 : 16;
		struct ctlview_peer *p = realloc(pl->peers, sizeof(*p) * (size_t)cap);

		if (!p)
			return MNL_CB_OK;
		pl->peers = p;
		pl->cap = cap;
	}
	memset(&pl->peers[pl->n], 0, sizeof(pl->peers[0]));
	pl->peers[pl->n].ifindex = ifindex;
	peer_decode(nest, &pl->peers[pl->n]);
	pl->n++;
	return MNL_CB_OK;
}

int ctlview_key_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ctlview_key *kv = data;
	uint32_t ifindex = 0;
	const struct nlattr *nest = msg_nest(nlh, MVPN_A_KEYCONF, &ifindex), *a;

	if (!nest)
		return MNL_CB_OK;
	kv->present = 1;
	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_payload_len(a) != 4)
			continue;
		switch (mnl_attr_get_type(a)) {
		case MVPN_A_KEYCONF_KEY_ID:
			kv->key_id = mnl_attr_get_u32(a);
			break;
		case MVPN_A_KEYCONF_CIPHER_ALG:
			kv->alg = mnl_attr_get_u32(a);
			break;
		case MVPN_A_KEYCONF_KEY_LEN:
			kv->key_len = mnl_attr_get_u32(a);
			break;
		case MVPN_A_KEYCONF_TX_PKTID:
			kv->tx_pktid = mnl_attr_get_u32(a);
			break;
		default:
			break;
		}
	}
	return MNL_CB_OK;
}

/* One line describing a notification; false for messages of other devices. */
bool ctlview_format_ntf(const struct nlmsghdr *nlh, uint32_t only_ifindex, char *out, size_t len)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	char dev[IF_NAMESIZE] = "?", remote[80];
	struct ctlview_peer pv = { 0 };
	struct ctlview_key kv = { 0 };
	uint32_t ifindex = 0;
	const struct nlattr *nest;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*g))
		return false;
	if (g->cmd == MVPN_CMD_KEY_SWAP_NTF) {
		uint32_t peer = 0;
		const struct nlattr *a;

		nest = msg_nest(nlh, MVPN_A_KEYCONF, &ifindex);
		if (!nest || (only_ifindex && ifindex != only_ifindex))
			return false;
		ctlview_key_cb(nlh, &kv);
		mnl_attr_for_each_nested(a, nest)
			if (mnl_attr_get_type(a) == MVPN_A_KEYCONF_PEER_ID &&
			    mnl_attr_get_payload_len(a) == 4)
				peer = mnl_attr_get_u32(a);
		if_indextoname(ifindex, dev);
		snprintf(out, len, "key-swap dev=%s ifindex=%u peer=%u key-id=%u", dev, ifindex,
			 peer, kv.key_id);
		return true;
	}
	nest = msg_nest(nlh, MVPN_A_PEER, &ifindex);
	if (!nest || (only_ifindex && ifindex != only_ifindex))
		return false;
	peer_decode(nest, &pv);
	if_indextoname(ifindex, dev);
	if (g->cmd == MVPN_CMD_PEER_DEL_NTF) {
		snprintf(out, len, "peer-del dev=%s ifindex=%u id=%u reason=%s", dev, ifindex, pv.id,
			 reason_name(pv.del_reason));
		return true;
	}
	if (g->cmd == MVPN_CMD_PEER_FLOAT_NTF) {
		ctlview_format_sa(&pv.remote, remote, sizeof(remote));
		snprintf(out, len, "peer-float dev=%s ifindex=%u id=%u remote=%s", dev, ifindex,
			 pv.id, remote);
		return true;
	}
	snprintf(out, len, "unknown-notification cmd=%u ifindex=%u", g->cmd, ifindex);
	return true;
}

/* ---- show ---------------------------------------------------------------- */

void ctlview_show_text(FILE *f, const struct mvpn_rtnl_link *l, const struct ctlview_peers *pl)
{
	fprintf(f, "interface: %s\n", l->name);
	fprintf(f, "  ifindex: %d\n  mode: %s\n  mtu: %u\n  up: %s\n  carrier: %s\n", l->ifindex,
	       l->mode == MVPN_MODE_MP ? "mp" : "p2p", l->mtu, l->up ? "yes" : "no",
	       l->carrier ? "on" : "off");
	fprintf(f, "  peers: %d\n", pl->n);
	for (int i = 0; i < pl->n; i++) {
		const struct ctlview_peer *p = &pl->peers[i];
		char remote[80];

		ctlview_format_sa(&p->remote, remote, sizeof(remote));
		fprintf(f, "  peer: %u\n    tx-id: %u\n    remote: %s\n", p->id, p->tx_id, remote);
		fprintf(f, "    local: %s port %u\n", p->local_ip[0] ? p->local_ip : "(routing)",
		       p->local_port);
		fprintf(f, "    vpn-ipv4: %s\n    vpn-ipv6: %s\n", p->vpn4[0] ? p->vpn4 : "-",
		       p->vpn6[0] ? p->vpn6 : "-");
		if (p->ka_interval || p->ka_timeout)
			fprintf(f, "    keepalive: interval %us, timeout %us\n", p->ka_interval,
			       p->ka_timeout);
		else
			fprintf(f, "    keepalive: off\n");
		fprintf(f, "    replay-window: %u\n", p->replay_window);
		for (int s = 0; s < 2; s++) {
			const struct ctlview_key *k = &p->keys[s];

			if (k->present)
				fprintf(f, "    key %s: id %u, %s, tx-pktid %u\n",
				       s ? "secondary" : "primary", k->key_id,
				       ctlview_cipher_label(k->alg, k->key_len), k->tx_pktid);
			else
				fprintf(f, "    key %s: none\n", s ? "secondary" : "primary");
		}
		for (size_t c = 0; c < CTLVIEW_N_COUNTERS; c++)
			fprintf(f, "    %s: %llu\n", counters[c].name, (unsigned long long)p->ctr[c]);
	}
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void json_str_or_null(FILE *f, const char *s)
{
	if (s && *s)
		json_str(f, s);
	else
		fprintf(f, "null");
}

void ctlview_show_json(FILE *f, const struct mvpn_rtnl_link *l, const struct ctlview_peers *pl)
{
	fprintf(f, "{\"name\":");
	json_str(f, l->name);
	fprintf(f, ",\"ifindex\":%d,\"mode\":\"%s\",\"mtu\":%u,\"up\":%s,\"carrier\":%s,\"peers\":[",
	       l->ifindex, l->mode == MVPN_MODE_MP ? "mp" : "p2p", l->mtu,
	       l->up ? "true" : "false", l->carrier ? "true" : "false");
	for (int i = 0; i < pl->n; i++) {
		const struct ctlview_peer *p = &pl->peers[i];
		char remote[80];

		ctlview_format_sa(&p->remote, remote, sizeof(remote));
		fprintf(f, "%s{\"id\":%u,\"tx_id\":%u,\"remote\":", i ? "," : "", p->id, p->tx_id);
		json_str_or_null(f, p->remote.ss_family ? remote : NULL);
		fprintf(f, ",\"local_ip\":");
		json_str_or_null(f, p->local_ip);
		fprintf(f, ",\"local_port\":%u,\"vpn_ipv4\":", p->local_port);
		json_str_or_null(f, p->vpn4);
		fprintf(f, ",\"vpn_ipv6\":");
		json_str_or_null(f, p->vpn6);
		fprintf(f, ",\"keepalive_interval\":%u,\"keepalive_timeout\":%u,\"replay_window\":%u",
		       p->ka_interval, p->ka_timeout, p->replay_window);
		fprintf(f, ",\"keys\":{");
		for (int s = 0; s < 2; s++) {
			const struct ctlview_key *k = &p->keys[s];

			fprintf(f, "%s\"%s\":", s ? "," : "", s ? "secondary" : "primary");
			if (k->present)
				fprintf(f, "{\"key_id\":%u,\"cipher\":\"%s\",\"tx_pktid\":%u}", k->key_id,
				       ctlview_cipher_label(k->alg, k->key_len), k->tx_pktid);
			else
				fprintf(f, "null");
		}
		fprintf(f, "},\"counters\":{");
		for (size_t c = 0; c < CTLVIEW_N_COUNTERS; c++) {
			fprintf(f, "%s\"", c ? "," : "");
			for (const char *n = counters[c].name; *n; n++)
				fputc(*n == '-' ? '_' : *n, f);
			fprintf(f, "\":%llu", (unsigned long long)p->ctr[c]);
		}
		fprintf(f, "}}");
	}
	fprintf(f, "]}");
}

