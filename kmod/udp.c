// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvpn-dco: UDP transport (see udp.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/ip6_route.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "io.h"
#include "peer.h"
#include "proto.h"
#include "udp.h"

static int mvpn_udp_encap_recv(struct sock *sk, struct sk_buff *skb);
static void mvpn_udp_encap_destroy(struct sock *sk);

/**
 * mvpn_udp_endpoints - where a received datagram came from, and which of
 * our addresses it hit
 * @skb: the datagram, its outer IP and UDP headers still in the skb
 *	 (skb->cb may have been reused: the interface is skb->skb_iif)
 * @src: the sender's address and port
 * @dst: our address
 */
void mvpn_udp_endpoints(const struct sk_buff *skb, struct mvpn_sockaddr *src,
			union mvpn_local_ip *dst)
{
	const struct udphdr *uh = udp_hdr(skb);

	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	if (ip_hdr(skb)->version == 4) {
		src->in4.sin_family = AF_INET;
		src->in4.sin_addr.s_addr = ip_hdr(skb)->saddr;
		src->in4.sin_port = uh->source;
		dst->ip4 = ip_hdr(skb)->daddr;
	} else {
		const struct ipv6hdr *ip6 = ipv6_hdr(skb);

		src->in6.sin6_family = AF_INET6;
		src->in6.sin6_addr = ip6->saddr;
		src->in6.sin6_port = uh->source;
		src->in6.sin6_scope_id = ipv6_iface_scope_id(&ip6->saddr, skb->skb_iif);
		dst->ip6 = ip6->daddr;
	}
}

/*
 * encap_rcv: called for every datagram on the socket, in softirq, under
 * rcu_read_lock, with skb->data at the UDP header and the UDP checksum
 * already verified.  Return 1 to leave the datagram to the socket
 * (userspace), 0 when it was consumed.
 */
static int mvpn_udp_encap_recv(struct sock *sk, struct sk_buff *skb)
{
	struct mvpn_socket *osock;
	struct mvpn_peer *peer;
	u32 peer_id = MVPN_PEER_ID_UNDEF;

	if (unlikely(!pskb_may_pull(skb, sizeof(struct udphdr) + MVPN_OPCODE_SIZE)))
		return 1;	/* empty datagram: not ours to judge */
	if (!mvpn_is_data_v2(skb->data[sizeof(struct udphdr)]))
		return 1;	/* control packets, P_DATA_V1: userspace */

	/* A data packet: consumed from here on, whatever happens to it. */
	osock = rcu_dereference_sk_user_data(sk);
	if (unlikely(!osock))
		goto drop;
	if (pskb_may_pull(skb, sizeof(struct udphdr) + MVPN_OP32_SIZE))
		peer_id = mvpn_peer_id_of(skb->data + sizeof(struct udphdr));
	peer = mvpn_peer_get_for_recv(osock->priv, sk, peer_id);
	if (unlikely(!peer)) {
		dev_core_stats_rx_dropped_inc(osock->priv->dev);
		net_dbg_ratelimited("%s: data packet for unknown peer %u\n",
				    netdev_name(osock->priv->dev), peer_id);
		goto drop;
	}
	__skb_pull(skb, sizeof(struct udphdr));
	mvpn_recv(peer, skb);	/* takes the skb and the peer reference */
	return 0;

drop:
	kfree_skb(skb);
	return 0;
}

/* Userspace closed the socket (process context, from udp_destroy_sock). */
static void mvpn_udp_encap_destroy(struct sock *sk)
{
	struct mvpn_socket *osock;

	rcu_read_lock();
	osock = rcu_dereference_sk_user_data(sk);
	if (osock && !kref_get_unless_zero(&osock->refcount))
		osock = NULL;
	rcu_read_unlock();
	if (!osock)
		return;
	mvpn_peers_del_by_sock(osock->priv, sk, MVPN_DEL_REASON_TRANSPORT_DISCONNECT);
	mvpn_socket_put(osock);
}

/**
 * mvpn_socket_attach - take data packets off a UDP socket for a device
 * @priv: the device
 * @sock: the socket; the caller holds the file until the peer is visible,
 *	  so that a concurrent close() cannot slip in between
 * @extack: for the reason of a refusal
 *
 * A socket already attached to this device is shared (one more reference).
 *
 * Return: the attachment with a reference for the caller, or ERR_PTR.
 */
struct mvpn_socket *mvpn_socket_attach(struct mvpn_priv *priv, struct socket *sock,
				       struct netlink_ext_ack *extack)
{
	struct udp_tunnel_sock_cfg cfg = {
		.encap_type = MVPN_UDP_ENCAP_TYPE,
		.encap_rcv = mvpn_udp_encap_recv,
		.encap_destroy = mvpn_udp_encap_destroy,
	};
	struct sock *sk = sock->sk;
	struct mvpn_socket *osock;

	if (sk->sk_protocol != IPPROTO_UDP || sk->sk_type != SOCK_DGRAM) {
		NL_SET_ERR_MSG(extack, "SOCKET is not a UDP socket (only UDP is supported)");
		return ERR_PTR(-EPROTONOSUPPORT);
	}
	if (sk->sk_family != AF_INET && sk->sk_family != AF_INET6) {
		NL_SET_ERR_MSG(extack, "SOCKET is neither an IPv4 nor an IPv6 socket");
		return ERR_PTR(-EAFNOSUPPORT);
	}

	lock_sock(sk);
	if (!inet_sk(sk)->inet_num) {
		release_sock(sk);
		NL_SET_ERR_MSG(extack, "SOCKET is not bound: bind it to the local address first");
		return ERR_PTR(-EINVAL);
	}
	rcu_read_lock();
	osock = rcu_dereference_sk_user_data(sk);
	if (osock) {
		if (READ_ONCE(udp_sk(sk)->encap_rcv) != mvpn_udp_encap_recv ||
		    osock->priv != priv) {
			NL_SET_ERR_MSG(extack, "SOCKET is used by another device or tunnel");
			osock = ERR_PTR(-EBUSY);
		} else if (!kref_get_unless_zero(&osock->refcount)) {
			NL_SET_ERR_MSG(extack, "SOCKET is being released; try again");
			osock = ERR_PTR(-EBUSY);
		}
		rcu_read_unlock();
		release_sock(sk);
		return osock;
	}
	rcu_read_unlock();
	if (udp_sk(sk)->encap_type) {
		release_sock(sk);
		NL_SET_ERR_MSG(extack, "SOCKET is already used by another tunnel");
		return ERR_PTR(-EBUSY);
	}

	osock = kzalloc(sizeof(*osock), GFP_KERNEL);
	if (!osock) {
		release_sock(sk);
		return ERR_PTR(-ENOMEM);
	}
	sock_hold(sk);
	osock->sk = sk;
	osock->priv = priv;
	netdev_hold(priv->dev, &osock->dev_tracker, GFP_KERNEL);
	kref_init(&osock->refcount);
	cfg.sk_user_data = osock;
	setup_udp_tunnel_sock(sock_net(sk), sock, &cfg);
	release_sock(sk);
	atomic_inc(&mvpn_counts.sockets);
	return osock;
}

static void mvpn_socket_free_rcu(struct rcu_head *head)
{
	struct mvpn_socket *osock = container_of(head, struct mvpn_socket, rcu);

	sock_put(osock->sk);
	netdev_put(osock->priv->dev, &osock->dev_tracker);
	kfree(osock);
	atomic_dec(&mvpn_counts.sockets);
}

/*
 * The last peer let go of the socket.  Always in process context: the
 * last reference is dropped by a peer's release work, by netlink, or by
 * encap_destroy.  Detach, so that every datagram goes to userspace again;
 * encap_rcv may still be running on another CPU with the old pointer, so
 * the memory (and the device it points to) outlives a grace period.
 */
static void mvpn_socket_release(struct kref *kref)
{
	struct mvpn_socket *osock = container_of(kref, struct mvpn_socket, refcount);
	struct sock *sk = osock->sk;

	might_sleep();
	lock_sock(sk);
	WRITE_ONCE(udp_sk(sk)->encap_type, 0);
	WRITE_ONCE(udp_sk(sk)->encap_rcv, NULL);
	WRITE_ONCE(udp_sk(sk)->encap_destroy, NULL);
	rcu_assign_sk_user_data(sk, NULL);
	release_sock(sk);
	call_rcu(&osock->rcu, mvpn_socket_free_rcu);
}

void mvpn_socket_put(struct mvpn_socket *osock)
{
	if (osock)
		kref_put(&osock->refcount, mvpn_socket_release);
}

static int mvpn_udp4_send(struct mvpn_peer *peer, const struct mvpn_bind *bind,
			  struct sock *sk, struct sk_buff *skb)
{
	struct net_device *dev = peer->priv->dev;
	struct flowi4 fl = {
		.saddr = bind->local.ip4,
		.daddr = bind->remote.in4.sin_addr.s_addr,
		.fl4_sport = inet_sk(sk)->inet_sport,
		.fl4_dport = bind->remote.in4.sin_port,
		.flowi4_proto = IPPROTO_UDP,
		.flowi4_mark = skb->mark,
		.flowi4_oif = sk->sk_bound_dev_if,
	};
	struct rtable *rt;

	rt = dst_cache_get_ip4(&peer->dst_cache, &fl.saddr);
	if (!rt) {
		rt = ip_route_output_flow(sock_net(sk), &fl, sk);
		if (IS_ERR(rt) && fl.saddr) {
			/* Our address went away: let routing pick another. */
			fl.saddr = 0;
			rt = ip_route_output_flow(sock_net(sk), &fl, sk);
		}
		if (IS_ERR(rt)) {
			net_dbg_ratelimited("%s: no route to %pI4:%u\n", netdev_name(dev),
					    &fl.daddr, ntohs(fl.fl4_dport));
			kfree_skb(skb);
			return PTR_ERR(rt);
		}
		if (unlikely(rt->dst.dev == dev)) {
			net_dbg_ratelimited("%s: route to %pI4 loops through the tunnel\n",
					    netdev_name(dev), &fl.daddr);
			ip_rt_put(rt);
			kfree_skb(skb);
			return -ELOOP;
		}
		dst_cache_set_ip4(&peer->dst_cache, &rt->dst, fl.saddr);
	}
	/* skb->dev NULL: the tunnel device's counters are ours to keep. */
	skb->dev = NULL;
	udp_tunnel_xmit_skb(rt, sk, skb, fl.saddr, fl.daddr, 0, ip4_dst_hoplimit(&rt->dst), 0,
			    fl.fl4_sport, fl.fl4_dport, !net_eq(sock_net(sk), dev_net(dev)),
			    sk->sk_no_check_tx);
	return 0;
}

static int mvpn_udp6_send(struct mvpn_peer *peer, const struct mvpn_bind *bind,
			  struct sock *sk, struct sk_buff *skb)
{
	struct net_device *dev = peer->priv->dev;
	struct flowi6 fl = {
		.saddr = bind->local.ip6,
		.daddr = bind->remote.in6.sin6_addr,
		.fl6_sport = inet_sk(sk)->inet_sport,
		.fl6_dport = bind->remote.in6.sin6_port,
		.flowi6_proto = IPPROTO_UDP,
		.flowi6_mark = skb->mark,
		.flowi6_oif = bind->remote.in6.sin6_scope_id ?: sk->sk_bound_dev_if,
	};
	struct dst_entry *dst;

	dst = dst_cache_get_ip6(&peer->dst_cache, &fl.saddr);
	if (!dst) {
		dst = ipv6_stub->ipv6_dst_lookup_flow(sock_net(sk), sk, &fl, NULL);
		if (IS_ERR(dst) && !ipv6_addr_any(&fl.saddr)) {
			fl.saddr = in6addr_any;
			dst = ipv6_stub->ipv6_dst_lookup_flow(sock_net(sk), sk, &fl, NULL);
		}
		if (IS_ERR(dst)) {
			net_dbg_ratelimited("%s: no route to [%pI6c]:%u\n", netdev_name(dev),
					    &fl.daddr, ntohs(fl.fl6_dport));
			kfree_skb(skb);
			return PTR_ERR(dst);
		}
		if (unlikely(dst->dev == dev)) {
			net_dbg_ratelimited("%s: route to %pI6c loops through the tunnel\n",
					    netdev_name(dev), &fl.daddr);
			dst_release(dst);
			kfree_skb(skb);
			return -ELOOP;
		}
		dst_cache_set_ip6(&peer->dst_cache, dst, &fl.saddr);
	}
	/* Let the outer IPv6 layer fragment what does not fit. */
	skb->ignore_df = 1;
	skb->dev = NULL;
	udp_tunnel6_xmit_skb(dst, sk, skb, NULL, &fl.saddr, &fl.daddr, 0, ip6_dst_hoplimit(dst),
			     0, fl.fl6_sport, fl.fl6_dport, udp_get_no_check6_tx(sk));
	return 0;
}

/**
 * mvpn_udp_send_skb - send an encrypted data packet to the peer
 * @peer: the peer
 * @skb: the packet (consumed in every case)
 *
 * Called with BH disabled (the dst cache is per CPU).
 *
 * Return: 0 when the packet was handed to IP, or why it was dropped.
 */
int mvpn_udp_send_skb(struct mvpn_peer *peer, struct sk_buff *skb)
{
	struct sock *sk = peer->sock->sk;
	const struct mvpn_bind *bind;
	int err;

	rcu_read_lock();
	bind = rcu_dereference(peer->bind);
	if (unlikely(!bind)) {
		rcu_read_unlock();
		kfree_skb(skb);
		return -ENOTCONN;
	}
	skb->mark = READ_ONCE(sk->sk_mark);
	if (bind->remote.sa.sa_family == AF_INET)
		err = mvpn_udp4_send(peer, bind, sk, skb);
	else
		err = mvpn_udp6_send(peer, bind, sk, skb);
	rcu_read_unlock();
	return err;
}
