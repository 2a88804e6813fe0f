// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvpn-dco: generic netlink family (the API is uapi/linux/mvpn_dco.h).
 *
 * One pre_doit resolves MVPN_A_IFINDEX to an mvpn-dco device in the caller's
 * namespace and holds it for the duration of the request; post_doit drops it.
 * Each command has its own strict policy, down into the nests, so an
 * attribute a command does not take is refused by the core; what the
 * policies cannot express is checked here, each refusal with its own
 * extack message.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/inet.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "compat.h"
#include "crypto.h"
#include "mvpn.h"
#include "netlink.h"
#include "peer.h"
#include "udp.h"

static struct genl_family mvpn_nl_family;

/* ---- policies ------------------------------------------------------------ */

static const struct nla_policy mvpn_keydir_attrs[MVPN_A_KEYDIR_MAX + 1] = {
	[MVPN_A_KEYDIR_CIPHER_KEY] = { .type = NLA_BINARY, .len = MVPN_CIPHER_KEY_MAX },
	[MVPN_A_KEYDIR_NONCE_TAIL] = NLA_POLICY_EXACT_LEN(MVPN_NONCE_TAIL_LEN),
};

/* Ranges wider than s16 need a range structure (not const on 6.1). */
static struct netlink_range_validation mvpn_peer_id_range = {
	.max = MVPN_PEER_ID_MAX,
};

static struct netlink_range_validation mvpn_keepalive_range = {
	.max = MVPN_KEEPALIVE_MAX,
};

static struct netlink_range_validation mvpn_replay_window_range = {
	.min = MVPN_REPLAY_WINDOW_MIN,
	.max = MVPN_REPLAY_WINDOW_MAX,
};

#define MVPN_POLICY_PEER_ID	NLA_POLICY_FULL_RANGE(NLA_U32, &mvpn_peer_id_range)
#define MVPN_POLICY_IPV6	NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr))

/* Everything PEER_SET may change; PEER_NEW takes the socket as well. */
#define MVPN_PEER_SETTABLE_ATTRS						\
	[MVPN_A_PEER_ID] = MVPN_POLICY_PEER_ID,					\
	[MVPN_A_PEER_TX_ID] = MVPN_POLICY_PEER_ID,				\
	[MVPN_A_PEER_REMOTE_IPV4] = { .type = NLA_BE32 },			\
	[MVPN_A_PEER_REMOTE_IPV6] = MVPN_POLICY_IPV6,				\
	[MVPN_A_PEER_REMOTE_IPV6_SCOPE_ID] = { .type = NLA_U32 },		\
	[MVPN_A_PEER_REMOTE_PORT] = NLA_POLICY_MIN(NLA_BE16, 1),		\
	[MVPN_A_PEER_VPN_IPV4] = { .type = NLA_BE32 },				\
	[MVPN_A_PEER_VPN_IPV6] = MVPN_POLICY_IPV6,				\
	[MVPN_A_PEER_LOCAL_IPV4] = { .type = NLA_BE32 },			\
	[MVPN_A_PEER_LOCAL_IPV6] = MVPN_POLICY_IPV6,				\
	[MVPN_A_PEER_KEEPALIVE_INTERVAL] = NLA_POLICY_FULL_RANGE(NLA_U32,	\
							&mvpn_keepalive_range),	\
	[MVPN_A_PEER_KEEPALIVE_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32,	\
							&mvpn_keepalive_range),	\
	[MVPN_A_PEER_REPLAY_WINDOW] = NLA_POLICY_FULL_RANGE(NLA_U32,		\
						&mvpn_replay_window_range)

static const struct nla_policy mvpn_peer_new_attrs[MVPN_A_PEER_MAX + 1] = {
	MVPN_PEER_SETTABLE_ATTRS,
	[MVPN_A_PEER_SOCKET] = { .type = NLA_U32 },
};

static const struct nla_policy mvpn_peer_set_attrs[MVPN_A_PEER_MAX + 1] = {
	MVPN_PEER_SETTABLE_ATTRS,
};

static const struct nla_policy mvpn_peer_id_attrs[MVPN_A_PEER_MAX + 1] = {
	[MVPN_A_PEER_ID] = MVPN_POLICY_PEER_ID,
};

static const struct nla_policy mvpn_key_new_attrs[MVPN_A_KEYCONF_MAX + 1] = {
	[MVPN_A_KEYCONF_PEER_ID] = MVPN_POLICY_PEER_ID,
	[MVPN_A_KEYCONF_SLOT] = NLA_POLICY_MAX(NLA_U32, MVPN_KEY_SLOT_SECONDARY),
	[MVPN_A_KEYCONF_KEY_ID] = NLA_POLICY_MAX(NLA_U32, MVPN_KEY_ID_MAX),
	[MVPN_A_KEYCONF_CIPHER_ALG] = { .type = NLA_U32 },
	[MVPN_A_KEYCONF_ENCRYPT_DIR] = NLA_POLICY_NESTED(mvpn_keydir_attrs),
	[MVPN_A_KEYCONF_DECRYPT_DIR] = NLA_POLICY_NESTED(mvpn_keydir_attrs),
};

static const struct nla_policy mvpn_key_slot_attrs[MVPN_A_KEYCONF_MAX + 1] = {
	[MVPN_A_KEYCONF_PEER_ID] = MVPN_POLICY_PEER_ID,
	[MVPN_A_KEYCONF_SLOT] = NLA_POLICY_MAX(NLA_U32, MVPN_KEY_SLOT_SECONDARY),
};

static const struct nla_policy mvpn_key_peer_attrs[MVPN_A_KEYCONF_MAX + 1] = {
	[MVPN_A_KEYCONF_PEER_ID] = MVPN_POLICY_PEER_ID,
};

#define MVPN_NL_POLICY(name, nest, nested)				\
static const struct nla_policy name[MVPN_A_MAX + 1] = {		\
	[MVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),			\
	[nest] = NLA_POLICY_NESTED(nested),				\
}

MVPN_NL_POLICY(mvpn_nl_peer_new_policy, MVPN_A_PEER, mvpn_peer_new_attrs);
MVPN_NL_POLICY(mvpn_nl_peer_set_policy, MVPN_A_PEER, mvpn_peer_set_attrs);
MVPN_NL_POLICY(mvpn_nl_peer_id_policy, MVPN_A_PEER, mvpn_peer_id_attrs);
MVPN_NL_POLICY(mvpn_nl_key_new_policy, MVPN_A_KEYCONF, mvpn_key_new_attrs);
MVPN_NL_POLICY(mvpn_nl_key_slot_policy, MVPN_A_KEYCONF, mvpn_key_slot_attrs);
MVPN_NL_POLICY(mvpn_nl_key_peer_policy, MVPN_A_KEYCONF, mvpn_key_peer_attrs);

static const struct nla_policy mvpn_nl_dev_policy[MVPN_A_MAX + 1] = {
	[MVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* A required attribute: refuse with a message naming it. */
#define MVPN_NL_REQUIRE(extack, nest, tb, type, msg) ({			\
	struct netlink_ext_ack *__ea = (extack);			\
	struct nlattr *__nest = (nest);					\
	bool __missing = !(tb)[type];					\
	if (__missing) {						\
		NL_SET_ERR_MSG_ATTR(__ea, __nest, msg);			\
		NL_SET_ERR_ATTR_MISS(__ea, __nest, type);		\
	}								\
	__missing;							\
})

/* ---- device resolution ----------------------------------------------------- */

static int mvpn_nl_pre_doit(mvpn_genl_ops_t *ops, struct sk_buff *skb,
			    struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct net_device *dev;

	if (MVPN_NL_REQUIRE(info->extack, NULL, info->attrs, MVPN_A_IFINDEX,
			    "missing IFINDEX (the mvpn-dco device)"))
		return -EINVAL;

	dev = dev_get_by_index(net, nla_get_u32(info->attrs[MVPN_A_IFINDEX]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MVPN_A_IFINDEX],
				    "no device with this ifindex");
		return -ENODEV;
	}
	if (!mvpn_dev_is_valid(dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MVPN_A_IFINDEX],
				    "device is not an mvpn-dco device");
		dev_put(dev);
		return -EINVAL;
	}
	info->user_ptr[0] = netdev_priv(dev);
	return 0;
}

static void mvpn_nl_post_doit(mvpn_genl_ops_t *ops, struct sk_buff *skb,
			      struct genl_info *info)
{
	struct mvpn_priv *priv = info->user_ptr[0];

	if (priv)
		dev_put(priv->dev);
}

/* Parse a nest that pre_doit's policy already validated. */
static int mvpn_nl_nest(struct genl_info *info, int type, int max, const struct nla_policy *pol,
			struct nlattr **tb)
{
	if (type == MVPN_A_PEER &&
	    MVPN_NL_REQUIRE(info->extack, NULL, info->attrs, type, "missing PEER nest"))
		return -EINVAL;
	if (type == MVPN_A_KEYCONF &&
	    MVPN_NL_REQUIRE(info->extack, NULL, info->attrs, type, "missing KEYCONF nest"))
		return -EINVAL;
	return nla_parse_nested(tb, max, info->attrs[type], pol, info->extack);
}

static struct mvpn_peer *mvpn_nl_peer_find(struct genl_info *info, struct nlattr *attr)
{
	struct mvpn_priv *priv = info->user_ptr[0];
	struct mvpn_peer *peer = mvpn_peer_get_by_id(priv, nla_get_u32(attr));

	if (!peer)
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no peer with this id on this device");
	return peer;
}

/* ---- peers ----------------------------------------------------------------- */

/* A validated set of peer changes (PEER_NEW, PEER_SET). */
struct mvpn_peer_change {
	bool has_remote, has_local, has_vpn4, has_vpn6, has_keepalive, has_window, has_tx_id;
	struct mvpn_sockaddr remote;
	union mvpn_local_ip local;
	__be32 vpn4;
	struct in6_addr vpn6;
	u32 interval, timeout, window, tx_id;
};

static int mvpn_nl_parse_remote(struct nlattr **tb, struct nlattr *nest,
				struct mvpn_peer_change *pc, struct netlink_ext_ack *extack)
{
	struct mvpn_sockaddr *sa = &pc->remote;

	if (tb[MVPN_A_PEER_REMOTE_IPV4] && tb[MVPN_A_PEER_REMOTE_IPV6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[MVPN_A_PEER_REMOTE_IPV6],
				    "REMOTE_IPV4 and REMOTE_IPV6 exclude each other");
		return -EINVAL;
	}
	if (!tb[MVPN_A_PEER_REMOTE_IPV4] && !tb[MVPN_A_PEER_REMOTE_IPV6]) {
		if (tb[MVPN_A_PEER_REMOTE_PORT]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[MVPN_A_PEER_REMOTE_PORT],
					    "REMOTE_PORT without REMOTE_IPV4 or REMOTE_IPV6");
			return -EINVAL;
		}
		if (tb[MVPN_A_PEER_REMOTE_IPV6_SCOPE_ID]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[MVPN_A_PEER_REMOTE_IPV6_SCOPE_ID],
					    "REMOTE_IPV6_SCOPE_ID without REMOTE_IPV6");
			return -EINVAL;
		}
		return 0;
	}
	if (MVPN_NL_REQUIRE(extack, nest, tb, MVPN_A_PEER_REMOTE_PORT,
			    "REMOTE_PORT is required with a remote address"))
		return -EINVAL;

	memset(sa, 0, sizeof(*sa));
	if (tb[MVPN_A_PEER_REMOTE_IPV4]) {
		__be32 ip = nla_get_be32(tb[MVPN_A_PEER_REMOTE_IPV4]);

		if (tb[MVPN_A_PEER_REMOTE_IPV6_SCOPE_ID]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[MVPN_A_PEER_REMOTE_IPV6_SCOPE_ID],
					    "REMOTE_IPV6_SCOPE_ID with an IPv4 remote");
			return -EINVAL;
		}
		if (ipv4_is_zeronet(ip) || ipv4_is_multicast(ip) || ipv4_is_lbcast(ip)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[MVPN_A_PEER_REMOTE_IPV4],
					    "REMOTE_IPV4 must be a unicast address");
			return -EINVAL;
		}
		sa->in4.sin_family = AF_INET;
		sa->in4.sin_addr.s_addr = ip;
		sa->in4.sin_port = nla_get_be16(tb[MVPN_A_PEER_REMOTE_PORT]);
	} else {
		struct in6_addr ip6;

		nla_memcpy(&ip6, tb[MVPN_A_PEER_REMOTE_IPV6], sizeof(ip6));
		if (ipv6_addr_any(&ip6) || ipv6_addr_is_multicast(&ip6)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[MVPN_A_PEER_REMOTE_IPV6],
					    "REMOTE_IPV6 must be a unicast address");
			return -EINVAL;
		}
		if (ipv6_addr_v4mapped(&ip6)) {
			/* ::ffff:a.b.c.d is an IPv4 peer (dual-stack sockets) */
			sa->in4.sin_family = AF_INET;
			sa->in4.sin_addr.s_addr = ip6.s6_addr32[3];
			sa->in4.sin_port = nla_get_be16(tb[MVPN_A_PEER_REMOTE_PORT]);
		} else {
			sa->in6.sin6_family = AF_INET6;
			sa->in6.sin6_addr = ip6;
			sa->in6.sin6_port = nla_get_be16(tb[MVPN_A_PEER_REMOTE_PORT]);
			if (tb[MVPN_A_PEER_REMOTE_IPV6_SCOPE_ID])
				sa->in6.sin6_scope_id =
					nla_get_u32(tb[MVPN_A_PEER_REMOTE_IPV6_SCOPE_ID]);
		}
	}
	pc->has_remote = true;
	return 0;
}

static int mvpn_nl_parse_local(struct nlattr **tb, int family, struct mvpn_peer_change *pc,
			       struct netlink_ext_ack *extack)
{
	if (tb[MVPN_A_PEER_LOCAL_IPV4] && tb[MVPN_A_PEER_LOCAL_IPV6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[MVPN_A_PEER_LOCAL_IPV6],
				    "LOCAL_IPV4 and LOCAL_IPV6 exclude each other");
		return -EINVAL;
	}
	if (tb[MVPN_A_PEER_LOCAL_IPV4]) {
		if (family != AF_INET) {
			NL_SET_ERR_MSG_ATTR(extack, tb[MVPN_A_PEER_LOCAL_IPV4],
					    "LOCAL_IPV4 does not match the remote's address family");
			return -EINVAL;
		}
		pc->local.ip4 = nla_get_be32(tb[MVPN_A_PEER_LOCAL_IPV4]);
		pc->has_local = true;
	} else if (tb[MVPN_A_PEER_LOCAL_IPV6]) {
		if (family != AF_INET6) {
			NL_SET_ERR_MSG_ATTR(extack, tb[MVPN_A_PEER_LOCAL_IPV6],
					    "LOCAL_IPV6 does not match the remote's address family");
			return -EINVAL;
		}
		nla_memcpy(&pc->local.ip6, tb[MVPN_A_PEER_LOCAL_IPV6], sizeof(pc->local.ip6));
		pc->has_local = true;
	}
	return 0;
}

/* Validate every change first, so that a refused request changes nothing. */
static int mvpn_nl_peer_change_parse(struct nlattr **tb, struct nlattr *nest, int cur_family,
				     struct mvpn_peer_change *pc, struct netlink_ext_ack *extack)
{
	int err;

	memset(pc, 0, sizeof(*pc));
	err = mvpn_nl_parse_remote(tb, nest, pc, extack);
	if (err)
		return err;
	err = mvpn_nl_parse_local(tb, pc->has_remote ? pc->remote.sa.sa_family : cur_family,
				  pc, extack);
	if (err)
		return err;
	if (!!tb[MVPN_A_PEER_KEEPALIVE_INTERVAL] != !!tb[MVPN_A_PEER_KEEPALIVE_TIMEOUT]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "KEEPALIVE_INTERVAL and KEEPALIVE_TIMEOUT go together");
		return -EINVAL;
	}
	if (tb[MVPN_A_PEER_KEEPALIVE_INTERVAL]) {
		pc->has_keepalive = true;
		pc->interval = nla_get_u32(tb[MVPN_A_PEER_KEEPALIVE_INTERVAL]);
		pc->timeout = nla_get_u32(tb[MVPN_A_PEER_KEEPALIVE_TIMEOUT]);
	}
	if (tb[MVPN_A_PEER_VPN_IPV4]) {
		pc->has_vpn4 = true;
		pc->vpn4 = nla_get_be32(tb[MVPN_A_PEER_VPN_IPV4]);
	}
	if (tb[MVPN_A_PEER_VPN_IPV6]) {
		pc->has_vpn6 = true;
		nla_memcpy(&pc->vpn6, tb[MVPN_A_PEER_VPN_IPV6], sizeof(pc->vpn6));
	}
	if (tb[MVPN_A_PEER_REPLAY_WINDOW]) {
		pc->has_window = true;
		pc->window = nla_get_u32(tb[MVPN_A_PEER_REPLAY_WINDOW]);
	}
	if (tb[MVPN_A_PEER_TX_ID]) {
		pc->has_tx_id = true;
		pc->tx_id = nla_get_u32(tb[MVPN_A_PEER_TX_ID]);
	}
	return 0;
}

/* Can this socket reach this remote? */
static int mvpn_nl_check_family(struct sock *sk, const struct mvpn_sockaddr *remote,
				struct nlattr *attr, struct netlink_ext_ack *extack)
{
	if (sk->sk_family == AF_INET && remote->sa.sa_family == AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "an IPv4 socket cannot reach an IPv6 remote");
		return -EAFNOSUPPORT;
	}
	if (sk->sk_family == AF_INET6 && remote->sa.sa_family == AF_INET && sk->sk_ipv6only) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "an IPV6_V6ONLY socket cannot reach an IPv4 remote");
		return -EAFNOSUPPORT;
	}
	return 0;
}

/*
 * Apply validated changes.  A new peer (not visible yet) takes its VPN
 * addresses directly: mvpn_peer_add checks them.  A linked one goes through
 * mvpn_peer_set_vpn_addrs first, the only change that can be refused
 * (an MP device's address of another peer), so a refusal changes nothing.
 */
static int mvpn_nl_peer_apply(struct mvpn_peer *peer, const struct mvpn_peer_change *pc,
			      bool linked, struct netlink_ext_ack *extack)
{
	int err;

	if (linked && (pc->has_vpn4 || pc->has_vpn6)) {
		err = mvpn_peer_set_vpn_addrs(peer, pc->has_vpn4 ? &pc->vpn4 : NULL,
					      pc->has_vpn6 ? &pc->vpn6 : NULL, extack);
		if (err)
			return err;
	}
	if (pc->has_remote || pc->has_local) {
		err = mvpn_peer_set_bind(peer, pc->has_remote ? &pc->remote : NULL,
					 pc->has_local ? &pc->local : NULL);
		if (err)
			return err;
	}
	spin_lock_bh(&peer->lock);
	if (!linked && pc->has_vpn4)
		peer->vpn_ip4 = pc->vpn4;
	if (!linked && pc->has_vpn6)
		peer->vpn_ip6 = pc->vpn6;
	if (pc->has_window)
		WRITE_ONCE(peer->replay_window, pc->window);
	if (pc->has_tx_id)
		WRITE_ONCE(peer->tx_id, pc->tx_id);
	spin_unlock_bh(&peer->lock);
	if (pc->has_keepalive)
		mvpn_peer_keepalive_set(peer, pc->interval, pc->timeout);
	return 0;
}

/*
 * What an MP device needs beyond P2P: an id that received packets can
 * carry, and a VPN address to send to it by (the rest -- both free, room
 * left -- is checked when it is added, under the device lock).
 */
static int mvpn_nl_peer_new_mp_check(struct nlattr **tb, struct nlattr *nest,
				     const struct mvpn_peer_change *pc,
				     struct netlink_ext_ack *extack)
{
	if (nla_get_u32(tb[MVPN_A_PEER_ID]) == MVPN_PEER_ID_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, tb[MVPN_A_PEER_ID],
				    "ID 0xFFFFFF means 'no peer id' on the wire: not for an MP peer");
		return -EINVAL;
	}
	if (!pc->has_vpn4 && !pc->has_vpn6) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a peer of a multi-peer (MP) device needs VPN_IPV4 or VPN_IPV6");
		NL_SET_ERR_ATTR_MISS(extack, nest, MVPN_A_PEER_VPN_IPV4);
		return -EINVAL;
	}
	return 0;
}

static int mvpn_nl_peer_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mvpn_priv *priv = info->user_ptr[0];
	struct nlattr *tb[MVPN_A_PEER_MAX + 1];
	struct nlattr *nest = info->attrs[MVPN_A_PEER];
	struct mvpn_peer_change pc;
	struct mvpn_socket *osock;
	struct mvpn_peer *peer;
	struct socket *sock;
	int err;

	err = mvpn_nl_nest(info, MVPN_A_PEER, MVPN_A_PEER_MAX, mvpn_peer_new_attrs, tb);
	if (err)
		return err;
	nest = info->attrs[MVPN_A_PEER];
	if (MVPN_NL_REQUIRE(info->extack, nest, tb, MVPN_A_PEER_ID, "missing peer ID") ||
	    MVPN_NL_REQUIRE(info->extack, nest, tb, MVPN_A_PEER_SOCKET,
			    "missing SOCKET (fd of a bound UDP socket)"))
		return -EINVAL;
	err = mvpn_nl_peer_change_parse(tb, nest, AF_UNSPEC, &pc, info->extack);
	if (err)
		return err;
	if (!pc.has_remote) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "a UDP peer needs REMOTE_IPV4 or REMOTE_IPV6, and REMOTE_PORT");
		NL_SET_ERR_ATTR_MISS(info->extack, nest, MVPN_A_PEER_REMOTE_IPV4);
		return -EINVAL;
	}
	if (priv->mode == MVPN_MODE_MP) {
		err = mvpn_nl_peer_new_mp_check(tb, nest, &pc, info->extack);
		if (err)
			return err;
	}

	sock = sockfd_lookup(nla_get_u32(tb[MVPN_A_PEER_SOCKET]), &err);
	if (!sock) {
		if (err == -ENOTSOCK)
			NL_SET_ERR_MSG_ATTR(info->extack, tb[MVPN_A_PEER_SOCKET],
					    "SOCKET is not a socket");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, tb[MVPN_A_PEER_SOCKET],
					    "SOCKET is not an open file descriptor of the caller");
		return err;
	}
	/* The file stays held until the peer is visible: see mvpn_socket_attach. */
	err = mvpn_nl_check_family(sock->sk, &pc.remote, nest, info->extack);
	if (err)
		goto out_sock;
	osock = mvpn_socket_attach(priv, sock, info->extack);
	if (IS_ERR(osock)) {
		err = PTR_ERR(osock);
		goto out_sock;
	}
	peer = mvpn_peer_new(priv, nla_get_u32(tb[MVPN_A_PEER_ID]), osock);
	if (IS_ERR(peer)) {
		mvpn_socket_put(osock);
		err = PTR_ERR(peer);
		goto out_sock;
	}
	err = mvpn_nl_peer_apply(peer, &pc, false, info->extack);
	if (!err)
		err = mvpn_peer_add(priv, peer, info->extack);
	mvpn_peer_put(peer);
out_sock:
	sockfd_put(sock);
	return err;
}

static int mvpn_nl_peer_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MVPN_A_PEER_MAX + 1];
	struct mvpn_peer_change pc;
	struct mvpn_peer *peer;
	struct mvpn_bind *bind;
	struct nlattr *nest;
	int err, family;

	err = mvpn_nl_nest(info, MVPN_A_PEER, MVPN_A_PEER_MAX, mvpn_peer_set_attrs, tb);
	if (err)
		return err;
	nest = info->attrs[MVPN_A_PEER];
	if (MVPN_NL_REQUIRE(info->extack, nest, tb, MVPN_A_PEER_ID, "missing peer ID"))
		return -EINVAL;
	peer = mvpn_nl_peer_find(info, tb[MVPN_A_PEER_ID]);
	if (!peer)
		return -ENOENT;
	rcu_read_lock();
	bind = rcu_dereference(peer->bind);
	family = bind ? bind->remote.sa.sa_family : AF_UNSPEC;
	rcu_read_unlock();
	err = mvpn_nl_peer_change_parse(tb, nest, family, &pc, info->extack);
	if (!err && pc.has_remote)
		err = mvpn_nl_check_family(peer->sock->sk, &pc.remote, nest, info->extack);
	if (!err)
		err = mvpn_nl_peer_apply(peer, &pc, true, info->extack);
	mvpn_peer_put(peer);
	return err;
}

static const u16 mvpn_stat_attr[MVPN_STAT_N] = {
	[MVPN_STAT_VPN_RX_BYTES] = MVPN_A_PEER_VPN_RX_BYTES,
	[MVPN_STAT_VPN_RX_PACKETS] = MVPN_A_PEER_VPN_RX_PACKETS,
	[MVPN_STAT_VPN_TX_BYTES] = MVPN_A_PEER_VPN_TX_BYTES,
	[MVPN_STAT_VPN_TX_PACKETS] = MVPN_A_PEER_VPN_TX_PACKETS,
	[MVPN_STAT_LINK_RX_BYTES] = MVPN_A_PEER_LINK_RX_BYTES,
	[MVPN_STAT_LINK_RX_PACKETS] = MVPN_A_PEER_LINK_RX_PACKETS,
	[MVPN_STAT_LINK_TX_BYTES] = MVPN_A_PEER_LINK_TX_BYTES,
	[MVPN_STAT_LINK_TX_PACKETS] = MVPN_A_PEER_LINK_TX_PACKETS,
	[MVPN_STAT_DROP_AUTH] = MVPN_A_PEER_DROP_AUTH,
	[MVPN_STAT_DROP_REPLAY] = MVPN_A_PEER_DROP_REPLAY,
	[MVPN_STAT_DROP_UNKNOWN_KEY] = MVPN_A_PEER_DROP_UNKNOWN_KEY,
	[MVPN_STAT_DROP_MALFORMED] = MVPN_A_PEER_DROP_MALFORMED,
	[MVPN_STAT_DROP_NO_KEY] = MVPN_A_PEER_DROP_NO_KEY,
	[MVPN_STAT_TX_DROPS] = MVPN_A_PEER_TX_DROPS,
	[MVPN_STAT_PING_RX] = MVPN_A_PEER_PING_RX,
	[MVPN_STAT_PING_TX] = MVPN_A_PEER_PING_TX,
	[MVPN_STAT_FLOATS] = MVPN_A_PEER_FLOATS,
	[MVPN_STAT_DROP_SOURCE] = MVPN_A_PEER_DROP_SOURCE,
	[MVPN_STAT_DROP_BUSY] = MVPN_A_PEER_DROP_BUSY,
};

static int mvpn_nl_put_remote(struct sk_buff *msg, const struct mvpn_sockaddr *sa)
{
	if (sa->sa.sa_family == AF_INET)
		return nla_put_in_addr(msg, MVPN_A_PEER_REMOTE_IPV4, sa->in4.sin_addr.s_addr) ||
		       nla_put_be16(msg, MVPN_A_PEER_REMOTE_PORT, sa->in4.sin_port);
	if (sa->sa.sa_family == AF_INET6)
		return nla_put_in6_addr(msg, MVPN_A_PEER_REMOTE_IPV6, &sa->in6.sin6_addr) ||
		       nla_put_be16(msg, MVPN_A_PEER_REMOTE_PORT, sa->in6.sin6_port) ||
		       (sa->in6.sin6_scope_id &&
			nla_put_u32(msg, MVPN_A_PEER_REMOTE_IPV6_SCOPE_ID,
				    sa->in6.sin6_scope_id));
	return 0;
}

static int mvpn_nl_put_peer(struct sk_buff *msg, struct mvpn_peer *peer)
{
	struct sock *sk = peer->sock->sk;
	const struct mvpn_bind *bind;
	u64 stats[MVPN_STAT_N];
	int i, err = -EMSGSIZE;

	if (nla_put_u32(msg, MVPN_A_PEER_ID, peer->id) ||
	    nla_put_u32(msg, MVPN_A_PEER_TX_ID, READ_ONCE(peer->tx_id)) ||
	    nla_put_be16(msg, MVPN_A_PEER_LOCAL_PORT, inet_sk(sk)->inet_sport) ||
	    nla_put_u32(msg, MVPN_A_PEER_KEEPALIVE_INTERVAL, READ_ONCE(peer->keepalive_interval)) ||
	    nla_put_u32(msg, MVPN_A_PEER_KEEPALIVE_TIMEOUT, READ_ONCE(peer->keepalive_timeout)) ||
	    nla_put_u32(msg, MVPN_A_PEER_REPLAY_WINDOW, READ_ONCE(peer->replay_window)))
		return -EMSGSIZE;

	rcu_read_lock();
	bind = rcu_dereference(peer->bind);
	if (bind) {
		if (mvpn_nl_put_remote(msg, &bind->remote))
			goto out_unlock;
		if (bind->remote.sa.sa_family == AF_INET && bind->local.ip4 &&
		    nla_put_in_addr(msg, MVPN_A_PEER_LOCAL_IPV4, bind->local.ip4))
			goto out_unlock;
		if (bind->remote.sa.sa_family == AF_INET6 && !ipv6_addr_any(&bind->local.ip6) &&
		    nla_put_in6_addr(msg, MVPN_A_PEER_LOCAL_IPV6, &bind->local.ip6))
			goto out_unlock;
	}
	err = 0;
out_unlock:
	rcu_read_unlock();
	if (err)
		return err;

	spin_lock_bh(&peer->lock);
	if (peer->vpn_ip4 && nla_put_in_addr(msg, MVPN_A_PEER_VPN_IPV4, peer->vpn_ip4))
		err = -EMSGSIZE;
	if (!ipv6_addr_any(&peer->vpn_ip6) &&
	    nla_put_in6_addr(msg, MVPN_A_PEER_VPN_IPV6, &peer->vpn_ip6))
		err = -EMSGSIZE;
	spin_unlock_bh(&peer->lock);
	if (err)
		return err;

	mvpn_peer_stats_read(peer, stats);
	for (i = 0; i < MVPN_STAT_N; i++)
		if (nla_put_u64_64bit(msg, mvpn_stat_attr[i], stats[i], MVPN_A_PEER_PAD))
			return -EMSGSIZE;
	return 0;
}

/* One PEER_GET message; cb: a dump's part (marks it when interrupted). */
static int mvpn_nl_peer_fill(struct sk_buff *msg, struct mvpn_peer *peer, u32 portid,
			     u32 seq, int flags, struct netlink_callback *cb)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &mvpn_nl_family, flags, MVPN_CMD_PEER_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(msg, MVPN_A_IFINDEX, peer->priv->dev->ifindex))
		goto err_cancel;
	nest = nla_nest_start(msg, MVPN_A_PEER);
	if (!nest || mvpn_nl_put_peer(msg, peer))
		goto err_cancel;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	/* only on a message that stays: it moves cb->prev_seq on */
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

static int mvpn_nl_peer_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MVPN_A_PEER_MAX + 1];
	struct mvpn_peer *peer;
	struct sk_buff *msg;
	int err;

	err = mvpn_nl_nest(info, MVPN_A_PEER, MVPN_A_PEER_MAX, mvpn_peer_id_attrs, tb);
	if (err)
		return err;
	if (MVPN_NL_REQUIRE(info->extack, info->attrs[MVPN_A_PEER], tb, MVPN_A_PEER_ID,
			    "missing peer ID"))
		return -EINVAL;
	peer = mvpn_nl_peer_find(info, tb[MVPN_A_PEER_ID]);
	if (!peer)
		return -ENOENT;
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out;
	}
	err = mvpn_nl_peer_fill(msg, peer, info->snd_portid, info->snd_seq, 0, NULL);
	if (err) {
		nlmsg_free(msg);
		goto out;
	}
	err = genlmsg_reply(msg, info);
out:
	mvpn_peer_put(peer);
	return err;
}

/*
 * PEER_GET dump: every peer in the order of their ids, as many per part as
 * fit.  The cursor (cb->args[0]) is the next id to send, so a part resumes
 * after the last peer sent whatever was added or deleted meanwhile: no
 * peer is sent twice, and every peer that lived through the whole dump is
 * sent.  Each part records the table's generation; when it differs from
 * the previous part's, the messages say NLM_F_DUMP_INTR.
 */
static int mvpn_nl_peer_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	unsigned long id = cb->args[0];
	struct mvpn_priv *priv;
	struct mvpn_peer *peer;
	struct net_device *dev;
	int err = 0, sent = 0;

	if (!info->attrs[MVPN_A_IFINDEX]) {
		NL_SET_ERR_MSG(cb->extack, "missing IFINDEX (the mvpn-dco device)");
		return -EINVAL;
	}
	dev = dev_get_by_index(sock_net(cb->skb->sk), nla_get_u32(info->attrs[MVPN_A_IFINDEX]));
	if (!dev) {
		NL_SET_ERR_MSG(cb->extack, "no device with this ifindex");
		return -ENODEV;
	}
	if (!mvpn_dev_is_valid(dev)) {
		dev_put(dev);
		NL_SET_ERR_MSG(cb->extack, "device is not an mvpn-dco device");
		return -EINVAL;
	}
	priv = netdev_priv(dev);
	cb->seq = mvpn_peers_gen(priv);
	while ((peer = mvpn_peer_get_next(priv, &id))) {
		err = mvpn_nl_peer_fill(skb, peer, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		mvpn_peer_put(peer);
		if (err)
			break;
		sent++;
		id++;
	}
	dev_put(dev);
	cb->args[0] = id;
	/* A full buffer ends the part; a peer that fits no buffer is an error. */
	if (err && !sent)
		return err;
	return skb->len;
}

static int mvpn_nl_peer_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MVPN_A_PEER_MAX + 1];
	struct mvpn_peer *peer;
	int err;

	err = mvpn_nl_nest(info, MVPN_A_PEER, MVPN_A_PEER_MAX, mvpn_peer_id_attrs, tb);
	if (err)
		return err;
	if (MVPN_NL_REQUIRE(info->extack, info->attrs[MVPN_A_PEER], tb, MVPN_A_PEER_ID,
			    "missing peer ID"))
		return -EINVAL;
	peer = mvpn_nl_peer_find(info, tb[MVPN_A_PEER_ID]);
	if (!peer)
		return -ENOENT;
	err = mvpn_peer_del(peer, MVPN_DEL_REASON_USERSPACE);
	if (err)
		NL_SET_ERR_MSG(info->extack, "the peer was deleted meanwhile");
	mvpn_peer_put(peer);
	return err;
}

/* ---- keys ------------------------------------------------------------------ */

static int mvpn_nl_parse_keydir(struct genl_info *info, struct nlattr *attr, u8 *key,
				u8 *key_len, u8 *tail)
{
	struct nlattr *tb[MVPN_A_KEYDIR_MAX + 1];
	int err;

	err = nla_parse_nested(tb, MVPN_A_KEYDIR_MAX, attr, mvpn_keydir_attrs, info->extack);
	if (err)
		return err;
	if (MVPN_NL_REQUIRE(info->extack, attr, tb, MVPN_A_KEYDIR_CIPHER_KEY,
			    "key direction without CIPHER_KEY") ||
	    MVPN_NL_REQUIRE(info->extack, attr, tb, MVPN_A_KEYDIR_NONCE_TAIL,
			    "key direction without NONCE_TAIL (8 bytes)"))
		return -EINVAL;
	*key_len = nla_len(tb[MVPN_A_KEYDIR_CIPHER_KEY]);
	memcpy(key, nla_data(tb[MVPN_A_KEYDIR_CIPHER_KEY]), *key_len);
	memcpy(tail, nla_data(tb[MVPN_A_KEYDIR_NONCE_TAIL]), MVPN_NONCE_TAIL_LEN);
	return 0;
}

static int mvpn_nl_key_config(struct genl_info *info, struct nlattr **tb, struct nlattr *nest,
			      struct mvpn_key_config *kc)
{
	struct netlink_ext_ack *extack = info->extack;
	u8 enc_len, dec_len;
	u32 alg;
	int err;

	alg = nla_get_u32(tb[MVPN_A_KEYCONF_CIPHER_ALG]);
	if (alg != MVPN_CIPHER_ALG_AES_GCM && alg != MVPN_CIPHER_ALG_CHACHA20_POLY1305) {
		NL_SET_ERR_MSG_ATTR(extack, tb[MVPN_A_KEYCONF_CIPHER_ALG],
				    "unknown CIPHER_ALG (1 = AES-GCM, 2 = ChaCha20-Poly1305)");
		return -EINVAL;
	}
	kc->alg = alg;
	kc->key_id = nla_get_u32(tb[MVPN_A_KEYCONF_KEY_ID]);
	err = mvpn_nl_parse_keydir(info, tb[MVPN_A_KEYCONF_ENCRYPT_DIR], kc->enc_key, &enc_len,
				   kc->enc_tail);
	if (err)
		return err;
	err = mvpn_nl_parse_keydir(info, tb[MVPN_A_KEYCONF_DECRYPT_DIR], kc->dec_key, &dec_len,
				   kc->dec_tail);
	if (err)
		return err;
	if (enc_len != dec_len) {
		NL_SET_ERR_MSG_ATTR(extack, tb[MVPN_A_KEYCONF_DECRYPT_DIR],
				    "the two directions' CIPHER_KEYs differ in length");
		return -EINVAL;
	}
	if (alg == MVPN_CIPHER_ALG_AES_GCM && enc_len != 16 && enc_len != 24 && enc_len != 32) {
		NL_SET_ERR_MSG_ATTR(extack, tb[MVPN_A_KEYCONF_ENCRYPT_DIR],
				    "an AES-GCM CIPHER_KEY is 16, 24 or 32 bytes");
		return -EINVAL;
	}
	if (alg == MVPN_CIPHER_ALG_CHACHA20_POLY1305 && enc_len != 32) {
		NL_SET_ERR_MSG_ATTR(extack, tb[MVPN_A_KEYCONF_ENCRYPT_DIR],
				    "a ChaCha20-Poly1305 CIPHER_KEY is 32 bytes");
		return -EINVAL;
	}
	kc->key_len = enc_len;
	return 0;
}

static int mvpn_nl_key_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mvpn_priv *priv = info->user_ptr[0];
	struct nlattr *tb[MVPN_A_KEYCONF_MAX + 1];
	struct mvpn_key_config kc = {};
	struct mvpn_peer *peer;
	struct mvpn_key *key;
	struct nlattr *nest;
	int err;

	err = mvpn_nl_nest(info, MVPN_A_KEYCONF, MVPN_A_KEYCONF_MAX, mvpn_key_new_attrs, tb);
	if (err)
		return err;
	nest = info->attrs[MVPN_A_KEYCONF];
	if (MVPN_NL_REQUIRE(info->extack, nest, tb, MVPN_A_KEYCONF_PEER_ID, "missing PEER_ID") ||
	    MVPN_NL_REQUIRE(info->extack, nest, tb, MVPN_A_KEYCONF_SLOT, "missing SLOT") ||
	    MVPN_NL_REQUIRE(info->extack, nest, tb, MVPN_A_KEYCONF_KEY_ID, "missing KEY_ID") ||
	    MVPN_NL_REQUIRE(info->extack, nest, tb, MVPN_A_KEYCONF_CIPHER_ALG,
			    "missing CIPHER_ALG") ||
	    MVPN_NL_REQUIRE(info->extack, nest, tb, MVPN_A_KEYCONF_ENCRYPT_DIR,
			    "missing ENCRYPT_DIR") ||
	    MVPN_NL_REQUIRE(info->extack, nest, tb, MVPN_A_KEYCONF_DECRYPT_DIR,
			    "missing DECRYPT_DIR"))
		return -EINVAL;
	err = mvpn_nl_key_config(info, tb, nest, &kc);
	if (err)
		goto out_wipe;
	peer = mvpn_nl_peer_find(info, tb[MVPN_A_KEYCONF_PEER_ID]);
	if (!peer) {
		err = -ENOENT;
		goto out_wipe;
	}
	kc.replay_window = READ_ONCE(peer->replay_window);
	key = mvpn_key_new(&kc);
	if (IS_ERR(key)) {
		err = PTR_ERR(key);
		if (err == -ENOENT)
			NL_SET_ERR_MSG(info->extack, "this kernel has no such cipher");
		else
			NL_SET_ERR_MSG(info->extack, "the crypto API refused the key");
		goto out_peer;
	}
	err = mvpn_crypto_key_install(&peer->crypto, nla_get_u32(tb[MVPN_A_KEYCONF_SLOT]), key);
	if (err) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MVPN_A_KEYCONF_KEY_ID],
				    "KEY_ID is already in use in the other slot");
		mvpn_key_put(key);
		goto out_peer;
	}
	mvpn_carrier_update(priv);
out_peer:
	mvpn_peer_put(peer);
out_wipe:
	memzero_explicit(&kc, sizeof(kc));
	return err;
}

static int mvpn_nl_key_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MVPN_A_KEYCONF_MAX + 1];
	struct mvpn_key_info ki;
	struct mvpn_peer *peer;
	struct nlattr *nest;
	struct sk_buff *msg;
	u32 slot;
	void *hdr;
	int err;

	err = mvpn_nl_nest(info, MVPN_A_KEYCONF, MVPN_A_KEYCONF_MAX, mvpn_key_slot_attrs, tb);
	if (err)
		return err;
	nest = info->attrs[MVPN_A_KEYCONF];
	if (MVPN_NL_REQUIRE(info->extack, nest, tb, MVPN_A_KEYCONF_PEER_ID, "missing PEER_ID") ||
	    MVPN_NL_REQUIRE(info->extack, nest, tb, MVPN_A_KEYCONF_SLOT, "missing SLOT"))
		return -EINVAL;
	peer = mvpn_nl_peer_find(info, tb[MVPN_A_KEYCONF_PEER_ID]);
	if (!peer)
		return -ENOENT;
	slot = nla_get_u32(tb[MVPN_A_KEYCONF_SLOT]);
	err = mvpn_crypto_key_info(&peer->crypto, slot, &ki);
	if (err) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MVPN_A_KEYCONF_SLOT], "the slot is empty");
		goto out;
	}
	err = -ENOMEM;
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &mvpn_nl_family, 0, MVPN_CMD_KEY_GET);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(msg, MVPN_A_KEYCONF);
	if (nla_put_u32(msg, MVPN_A_IFINDEX, peer->priv->dev->ifindex) || !nest ||
	    nla_put_u32(msg, MVPN_A_KEYCONF_PEER_ID, peer->id) ||
	    nla_put_u32(msg, MVPN_A_KEYCONF_SLOT, slot) ||
	    nla_put_u32(msg, MVPN_A_KEYCONF_KEY_ID, ki.key_id) ||
	    nla_put_u32(msg, MVPN_A_KEYCONF_CIPHER_ALG, ki.alg) ||
	    nla_put_u32(msg, MVPN_A_KEYCONF_KEY_LEN, ki.key_len) ||
	    nla_put_u32(msg, MVPN_A_KEYCONF_TX_PKTID, ki.tx_pktid))
		goto err_free;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
	goto out;
err_free:
	err = -EMSGSIZE;
	nlmsg_free(msg);
out:
	mvpn_peer_put(peer);
	return err;
}

static int mvpn_nl_key_swap_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MVPN_A_KEYCONF_MAX + 1];
	struct mvpn_peer *peer;
	int err;

	err = mvpn_nl_nest(info, MVPN_A_KEYCONF, MVPN_A_KEYCONF_MAX, mvpn_key_peer_attrs, tb);
	if (err)
		return err;
	if (MVPN_NL_REQUIRE(info->extack, info->attrs[MVPN_A_KEYCONF], tb,
			    MVPN_A_KEYCONF_PEER_ID, "missing PEER_ID"))
		return -EINVAL;
	peer = mvpn_nl_peer_find(info, tb[MVPN_A_KEYCONF_PEER_ID]);
	if (!peer)
		return -ENOENT;
	mvpn_crypto_key_swap(&peer->crypto);
	mvpn_carrier_update(peer->priv);
	mvpn_peer_put(peer);
	return 0;
}

static int mvpn_nl_key_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[MVPN_A_KEYCONF_MAX + 1];
	struct mvpn_peer *peer;
	struct nlattr *nest;
	int err;

	err = mvpn_nl_nest(info, MVPN_A_KEYCONF, MVPN_A_KEYCONF_MAX, mvpn_key_slot_attrs, tb);
	if (err)
		return err;
	nest = info->attrs[MVPN_A_KEYCONF];
	if (MVPN_NL_REQUIRE(info->extack, nest, tb, MVPN_A_KEYCONF_PEER_ID, "missing PEER_ID") ||
	    MVPN_NL_REQUIRE(info->extack, nest, tb, MVPN_A_KEYCONF_SLOT, "missing SLOT"))
		return -EINVAL;
	peer = mvpn_nl_peer_find(info, tb[MVPN_A_KEYCONF_PEER_ID]);
	if (!peer)
		return -ENOENT;
	err = mvpn_crypto_key_del(&peer->crypto, nla_get_u32(tb[MVPN_A_KEYCONF_SLOT]));
	if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, tb[MVPN_A_KEYCONF_SLOT], "the slot is empty");
	mvpn_carrier_update(peer->priv);
	mvpn_peer_put(peer);
	return err;
}

/* ---- notifications --------------------------------------------------------- */

static struct sk_buff *mvpn_nl_ntf_start(struct mvpn_peer *peer, u8 cmd, int nest_type,
					 void **hdr, struct nlattr **nest)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &mvpn_nl_family, 0, cmd);
	if (!*hdr)
		goto err;
	if (nla_put_u32(msg, MVPN_A_IFINDEX, peer->priv->dev->ifindex))
		goto err;
	*nest = nla_nest_start(msg, nest_type);
	if (!*nest)
		goto err;
	return msg;
err:
	nlmsg_free(msg);
	return NULL;
}

static void mvpn_nl_ntf_send(struct mvpn_peer *peer, struct sk_buff *msg, void *hdr,
			     struct nlattr *nest)
{
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&mvpn_nl_family, dev_net(peer->priv->dev), msg, 0, 0,
				GFP_ATOMIC);
}

void mvpn_nl_peer_del_notify(struct mvpn_peer *peer, enum mvpn_del_reason reason)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = mvpn_nl_ntf_start(peer, MVPN_CMD_PEER_DEL_NTF, MVPN_A_PEER, &hdr, &nest);
	if (!msg)
		return;
	if (nla_put_u32(msg, MVPN_A_PEER_ID, peer->id) ||
	    nla_put_u32(msg, MVPN_A_PEER_DEL_REASON, reason)) {
		nlmsg_free(msg);
		return;
	}
	mvpn_nl_ntf_send(peer, msg, hdr, nest);
}

void mvpn_nl_key_swap_notify(struct mvpn_peer *peer, struct mvpn_key *key)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = mvpn_nl_ntf_start(peer, MVPN_CMD_KEY_SWAP_NTF, MVPN_A_KEYCONF, &hdr, &nest);
	if (!msg)
		return;
	if (nla_put_u32(msg, MVPN_A_KEYCONF_PEER_ID, peer->id) ||
	    nla_put_u32(msg, MVPN_A_KEYCONF_SLOT, MVPN_KEY_SLOT_PRIMARY) ||
	    nla_put_u32(msg, MVPN_A_KEYCONF_KEY_ID, key->key_id)) {
		nlmsg_free(msg);
		return;
	}
	mvpn_nl_ntf_send(peer, msg, hdr, nest);
}

void mvpn_nl_peer_float_notify(struct mvpn_peer *peer, const struct mvpn_sockaddr *remote)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = mvpn_nl_ntf_start(peer, MVPN_CMD_PEER_FLOAT_NTF, MVPN_A_PEER, &hdr, &nest);
	if (!msg)
		return;
	if (nla_put_u32(msg, MVPN_A_PEER_ID, peer->id) || mvpn_nl_put_remote(msg, remote)) {
		nlmsg_free(msg);
		return;
	}
	mvpn_nl_ntf_send(peer, msg, hdr, nest);
}

/* ---- family ---------------------------------------------------------------- */

#define MVPN_NL_OP(_cmd, _doit, _policy) {		\
	.cmd = _cmd,					\
	.flags = GENL_ADMIN_PERM,			\
	.doit = _doit,					\
	.policy = _policy,				\
	.maxattr = MVPN_A_MAX,				\
}

static const struct genl_ops mvpn_nl_ops[] = {
	MVPN_NL_OP(MVPN_CMD_PEER_NEW, mvpn_nl_peer_new_doit, mvpn_nl_peer_new_policy),
	MVPN_NL_OP(MVPN_CMD_PEER_SET, mvpn_nl_peer_set_doit, mvpn_nl_peer_set_policy),
	{
		.cmd = MVPN_CMD_PEER_GET,
		.flags = GENL_ADMIN_PERM,
		.doit = mvpn_nl_peer_get_doit,
		.dumpit = mvpn_nl_peer_get_dumpit,
		.policy = mvpn_nl_peer_id_policy,
		.maxattr = MVPN_A_MAX,
	},
	MVPN_NL_OP(MVPN_CMD_PEER_DEL, mvpn_nl_peer_del_doit, mvpn_nl_peer_id_policy),
	MVPN_NL_OP(MVPN_CMD_KEY_NEW, mvpn_nl_key_new_doit, mvpn_nl_key_new_policy),
	MVPN_NL_OP(MVPN_CMD_KEY_GET, mvpn_nl_key_get_doit, mvpn_nl_key_slot_policy),
	MVPN_NL_OP(MVPN_CMD_KEY_SWAP, mvpn_nl_key_swap_doit, mvpn_nl_key_peer_policy),
	MVPN_NL_OP(MVPN_CMD_KEY_DEL, mvpn_nl_key_del_doit, mvpn_nl_key_slot_policy),
	MVPN_NL_OP(MVPN_CMD_DEV_OWN, mvpn_nl_dev_own_doit, mvpn_nl_dev_policy),
};

static const struct genl_multicast_group mvpn_nl_mcgrps[] = {
	{ .name = MVPN_MCGRP_PEERS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family mvpn_nl_family __ro_after_init = {
	.name = MVPN_FAMILY_NAME,
	.version = MVPN_FAMILY_VERSION,
	.maxattr = MVPN_A_MAX,
	.netnsok = true,
	.parallel_ops = true,
	.pre_doit = mvpn_nl_pre_doit,
	.post_doit = mvpn_nl_post_doit,
	.module = THIS_MODULE,
	.ops = mvpn_nl_ops,
	.n_ops = ARRAY_SIZE(mvpn_nl_ops),
	.resv_start_op = MVPN_CMD_MAX + 1,
	.mcgrps = mvpn_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(mvpn_nl_mcgrps),
};

int __init mvpn_nl_register(void)
{
	return genl_register_family(&mvpn_nl_family);
}

void mvpn_nl_unregister(void)
{
	genl_unregister_family(&mvpn_nl_family);
}
