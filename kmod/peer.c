// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvpn-dco: peers (lifetime rules in peer.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/netlink.h>
#include <net/route.h>

#include "netlink.h"
#include "peer.h"
#include "proto.h"
#include "udp.h"

/**
 * mvpn_peer_new - a peer, not yet visible to anyone
 * @priv: its device
 * @id: its id
 * @sock: its socket; on success the peer takes over the caller's reference
 *
 * Return: the peer with one reference (the caller's), or ERR_PTR(-ENOMEM).
 */
struct mvpn_peer *mvpn_peer_new(struct mvpn_priv *priv, u32 id, struct mvpn_socket *sock)
{
	struct mvpn_peer *peer;

	peer = kzalloc(sizeof(*peer), GFP_KERNEL);
	if (!peer)
		return ERR_PTR(-ENOMEM);
	peer->stats = netdev_alloc_pcpu_stats(struct mvpn_peer_stats);
	if (!peer->stats)
		goto err_free;
	if (dst_cache_init(&peer->dst_cache, GFP_KERNEL))
		goto err_stats;

	peer->priv = priv;
	netdev_hold(priv->dev, &peer->dev_tracker, GFP_KERNEL);
	peer->id = id;
	peer->tx_id = id;
	peer->sock = sock;
	mvpn_crypto_state_init(&peer->crypto);
	spin_lock_init(&peer->lock);
	peer->replay_window = MVPN_REPLAY_WINDOW_DEFAULT;
	peer->last_sent = jiffies;
	peer->last_recv = jiffies;
	kref_init(&peer->refcount);
	atomic_inc(&mvpn_counts.peers);
	return peer;

err_stats:
	free_percpu(peer->stats);
err_free:
	kfree(peer);
	return ERR_PTR(-ENOMEM);
}

static void mvpn_peer_release_work(struct work_struct *work)
{
	struct mvpn_peer *peer = container_of(to_rcu_work(work), struct mvpn_peer,
					      release_rwork);

	/*
	 * Nobody can reach the peer any more: it was unlinked before its
	 * last reference went, and a grace period has passed since, so
	 * no reader that found it under RCU is still looking at it.
	 */
	mvpn_crypto_state_release(&peer->crypto);
	dst_cache_destroy(&peer->dst_cache);
	kfree(rcu_dereference_protected(peer->bind, 1));
	mvpn_socket_put(peer->sock);
	free_percpu(peer->stats);
	netdev_put(peer->priv->dev, &peer->dev_tracker);
	kfree(peer);
	atomic_dec(&mvpn_counts.peers);
}

static void mvpn_peer_release(struct kref *kref)
{
	struct mvpn_peer *peer = container_of(kref, struct mvpn_peer, refcount);

	INIT_RCU_WORK(&peer->release_rwork, mvpn_peer_release_work);
	queue_rcu_work(mvpn_wq, &peer->release_rwork);
}

void mvpn_peer_put(struct mvpn_peer *peer)
{
	if (peer)
		kref_put(&peer->refcount, mvpn_peer_release);
}

/* Take a reference on a peer found under RCU; false if it is going away. */
bool mvpn_peer_hold(struct mvpn_peer *peer)
{
	return peer && kref_get_unless_zero(&peer->refcount);
}

/* ---- the peer table of an MP device ---------------------------------------- */

/* Test hook (debugfs mp_peers_max): a lower limit, to reach it quickly. */
u32 mvpn_mp_peers_max = MVPN_MP_PEERS_MAX;

#define MVPN_PEERS_HASH_BITS	12
#define MVPN_PEERS_HASH_SIZE	BIT(MVPN_PEERS_HASH_BITS)

/**
 * struct mvpn_peers - the peers of an MP device
 * @by_id: every peer, by id.  An xarray rather than a hash table: lookups
 *	   are as cheap, and it is ordered, so a dump that fills its buffer
 *	   resumes after the last id it sent, whatever was added or deleted
 *	   in between.
 * @by_vpn4: peers by VPN IPv4 address (TX), peers without one are not in it
 * @by_vpn6: peers by VPN IPv6 address (TX)
 * @count: peers in @by_id
 * @gen: changes with every add, delete and VPN address change; a dump
 *	 compares it between its parts (NLM_F_DUMP_INTR)
 *
 * Writers hold mvpn_priv.lock (the xarray's own lock nests inside it);
 * readers use RCU.  A peer is linked exactly while it is in @by_id.  The
 * address chains are nulls lists ending in their bucket number: a reader
 * walking a peer whose address just changed may be carried to another
 * chain, notices at the end and starts over.
 */
struct mvpn_peers {
	struct xarray by_id;
	struct hlist_nulls_head by_vpn4[MVPN_PEERS_HASH_SIZE];
	struct hlist_nulls_head by_vpn6[MVPN_PEERS_HASH_SIZE];
	unsigned int count;
	u32 gen;
};

/* Called from ndo_init: MP devices get their table (P2P: nothing to do). */
int mvpn_peers_init(struct mvpn_priv *priv)
{
	struct mvpn_peers *t;
	u32 i;

	if (priv->mode != MVPN_MODE_MP)
		return 0;
	t = kvzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	xa_init(&t->by_id);
	for (i = 0; i < MVPN_PEERS_HASH_SIZE; i++) {
		INIT_HLIST_NULLS_HEAD(&t->by_vpn4[i], i);
		INIT_HLIST_NULLS_HEAD(&t->by_vpn6[i], i);
	}
	t->gen = 1;
	priv->peers = t;
	return 0;
}

/*
 * Called from the device's destructor: every peer held the device, so
 * every peer was unlinked and released before; nobody can look any more.
 */
void mvpn_peers_free(struct mvpn_priv *priv)
{
	struct mvpn_peers *t = priv->peers;

	if (!t)
		return;
	WARN_ON(!xa_empty(&t->by_id));
	xa_destroy(&t->by_id);
	kvfree(t);
	priv->peers = NULL;
}

/* The table's generation (dumps: 0 for P2P, whose dump is one message). */
u32 mvpn_peers_gen(struct mvpn_priv *priv)
{
	return priv->peers ? READ_ONCE(priv->peers->gen) : 0;
}

static void mvpn_peers_changed(struct mvpn_peers *t)
{
	/* never 0: the netlink core reads a 0 sequence as "not tracked" */
	WRITE_ONCE(t->gen, t->gen + 1 ?: 1);
}

static u32 mvpn_vpn4_bucket(__be32 ip)
{
	return hash_32((__force u32)ip, MVPN_PEERS_HASH_BITS);
}

static u32 mvpn_vpn6_bucket(const struct in6_addr *ip)
{
	return hash_32(jhash2(ip->s6_addr32, 4, 0), MVPN_PEERS_HASH_BITS);
}

/* The peer with this VPN IPv4 address (RCU, or the device lock held). */
static struct mvpn_peer *mvpn_peer_by_vpn4(struct mvpn_peers *t, __be32 ip)
{
	u32 b = mvpn_vpn4_bucket(ip);
	struct hlist_nulls_node *pos;
	struct mvpn_peer *peer;

again:
	hlist_nulls_for_each_entry_rcu(peer, pos, &t->by_vpn4[b], hash_vpn4)
		if (READ_ONCE(peer->vpn_ip4) == ip)
			return peer;
	if (get_nulls_value(pos) != b)
		goto again;
	return NULL;
}

static struct mvpn_peer *mvpn_peer_by_vpn6(struct mvpn_peers *t, const struct in6_addr *ip)
{
	u32 b = mvpn_vpn6_bucket(ip);
	struct hlist_nulls_node *pos;
	struct mvpn_peer *peer;

again:
	hlist_nulls_for_each_entry_rcu(peer, pos, &t->by_vpn6[b], hash_vpn6)
		if (ipv6_addr_equal(&peer->vpn_ip6, ip))
			return peer;
	if (get_nulls_value(pos) != b)
		goto again;
	return NULL;
}

/* Link the peer's addresses into the chains (device lock held). */
static void mvpn_peer_hash_addrs(struct mvpn_peers *t, struct mvpn_peer *peer)
{
	if (peer->vpn_ip4)
		hlist_nulls_add_head_rcu(&peer->hash_vpn4,
					 &t->by_vpn4[mvpn_vpn4_bucket(peer->vpn_ip4)]);
	if (!ipv6_addr_any(&peer->vpn_ip6))
		hlist_nulls_add_head_rcu(&peer->hash_vpn6,
					 &t->by_vpn6[mvpn_vpn6_bucket(&peer->vpn_ip6)]);
}

static void mvpn_peer_unhash_addrs(struct mvpn_peer *peer)
{
	if (!hlist_nulls_unhashed(&peer->hash_vpn4))
		hlist_nulls_del_init_rcu(&peer->hash_vpn4);
	if (!hlist_nulls_unhashed(&peer->hash_vpn6))
		hlist_nulls_del_init_rcu(&peer->hash_vpn6);
}

/* Are these VPN addresses free for peer (NULL: a new one)?  Device lock held. */
static int mvpn_peers_addrs_free(struct mvpn_peers *t, struct mvpn_peer *peer, __be32 ip4,
				 const struct in6_addr *ip6, struct netlink_ext_ack *extack)
{
	struct mvpn_peer *other;

	if (!ip4 && ipv6_addr_any(ip6)) {
		NL_SET_ERR_MSG(extack,
			       "a peer of a multi-peer (MP) device needs VPN_IPV4 or VPN_IPV6");
		return -EINVAL;
	}
	other = ip4 ? mvpn_peer_by_vpn4(t, ip4) : NULL;
	if (other && other != peer) {
		NL_SET_ERR_MSG(extack, "VPN_IPV4 is the address of another peer of this device");
		return -EEXIST;
	}
	other = ipv6_addr_any(ip6) ? NULL : mvpn_peer_by_vpn6(t, ip6);
	if (other && other != peer) {
		NL_SET_ERR_MSG(extack, "VPN_IPV6 is the address of another peer of this device");
		return -EEXIST;
	}
	return 0;
}

static int mvpn_peer_add_mp(struct mvpn_priv *priv, struct mvpn_peer *peer,
			    struct netlink_ext_ack *extack)
{
	struct mvpn_peers *t = priv->peers;
	int err;

	/* The slot's memory now, so that the store under the lock needs none. */
	err = xa_reserve(&t->by_id, peer->id, GFP_KERNEL);
	if (err)
		return err;

	spin_lock_bh(&priv->lock);
	if (priv->dying) {
		NL_SET_ERR_MSG(extack, "the device is being deleted");
		err = -ENODEV;
		goto err_unlock;
	}
	if (xa_load(&t->by_id, peer->id)) {
		NL_SET_ERR_MSG(extack, "a peer with this ID exists on this device");
		err = -EEXIST;
		goto err_unlock;
	}
	if (t->count >= min_t(u32, READ_ONCE(mvpn_mp_peers_max), MVPN_MP_PEERS_MAX)) {
		NL_SET_ERR_MSG(extack, "the device has the most peers it takes");
		err = -ENOSPC;
		goto err_unlock;
	}
	err = mvpn_peers_addrs_free(t, NULL, peer->vpn_ip4, &peer->vpn_ip6, extack);
	if (err)
		goto err_unlock;
	err = xa_err(xa_store(&t->by_id, peer->id, peer, GFP_ATOMIC));
	if (err)
		goto err_unlock;
	kref_get(&peer->refcount);	/* the table's; the caller's keeps it alive */
	mvpn_peer_hash_addrs(t, peer);
	t->count++;
	mvpn_peers_changed(t);
	spin_unlock_bh(&priv->lock);
	return 0;

err_unlock:
	spin_unlock_bh(&priv->lock);
	xa_release(&t->by_id, peer->id);
	return err;
}

/* Unlink an MP peer (device lock held): false when it was not linked. */
static bool mvpn_peer_unlink_mp(struct mvpn_peers *t, struct mvpn_peer *peer)
{
	if (xa_load(&t->by_id, peer->id) != peer)
		return false;
	xa_erase(&t->by_id, peer->id);
	mvpn_peer_unhash_addrs(peer);
	t->count--;
	mvpn_peers_changed(t);
	return true;
}

/**
 * mvpn_peer_set_vpn_addrs - change a linked peer's VPN addresses (PEER_SET)
 * @peer: the peer
 * @ip4: the new IPv4 address (0: none), or NULL to keep it
 * @ip6: the new IPv6 address (::: none), or NULL to keep it
 * @extack: why it was refused
 *
 * In MP mode the addresses select the peer for TX: an address of another
 * peer is refused, and a peer keeps at least one.
 *
 * Return: 0, -EEXIST, -EINVAL, or -ENOENT when the peer was deleted.
 */
int mvpn_peer_set_vpn_addrs(struct mvpn_peer *peer, const __be32 *ip4,
			    const struct in6_addr *ip6, struct netlink_ext_ack *extack)
{
	struct mvpn_priv *priv = peer->priv;
	struct mvpn_peers *t = priv->peers;
	int err = 0;

	spin_lock_bh(&priv->lock);
	if (t) {
		if (xa_load(&t->by_id, peer->id) != peer) {
			NL_SET_ERR_MSG(extack, "the peer was deleted meanwhile");
			err = -ENOENT;
			goto out;
		}
		err = mvpn_peers_addrs_free(t, peer, ip4 ? *ip4 : peer->vpn_ip4,
					    ip6 ?: &peer->vpn_ip6, extack);
		if (err)
			goto out;
		mvpn_peer_unhash_addrs(peer);
	}
	spin_lock(&peer->lock);
	if (ip4)
		WRITE_ONCE(peer->vpn_ip4, *ip4);
	if (ip6)
		peer->vpn_ip6 = *ip6;
	spin_unlock(&peer->lock);
	if (t) {
		mvpn_peer_hash_addrs(t, peer);
		mvpn_peers_changed(t);
	}
out:
	spin_unlock_bh(&priv->lock);
	return err;
}

/* ---- adding, deleting, finding ---------------------------------------------- */

/**
 * mvpn_peer_add - make a peer visible on its device
 * @priv: the device
 * @peer: the peer; the device takes a reference of its own
 * @extack: why it was refused
 *
 * P2P: an existing peer is replaced (and deleted: teardown).  MP: the id and
 * the VPN addresses must be free, and the table must have room.
 *
 * Return: 0, -ENODEV when the device is being deleted, -EEXIST, -EINVAL,
 * -ENOSPC (MP), -ENOMEM.
 */
int mvpn_peer_add(struct mvpn_priv *priv, struct mvpn_peer *peer,
		  struct netlink_ext_ack *extack)
{
	struct mvpn_peer *old;
	int err;

	if (priv->peers) {
		err = mvpn_peer_add_mp(priv, peer, extack);
		if (err)
			return err;
		goto added;
	}

	spin_lock_bh(&priv->lock);
	if (priv->dying) {
		spin_unlock_bh(&priv->lock);
		NL_SET_ERR_MSG(extack, "the device is being deleted");
		return -ENODEV;
	}
	kref_get(&peer->refcount);
	old = rcu_replace_pointer(priv->peer, peer, lockdep_is_held(&priv->lock));
	spin_unlock_bh(&priv->lock);

	if (old) {
		mvpn_nl_peer_del_notify(old, MVPN_DEL_REASON_TEARDOWN);
		mvpn_peer_put(old);
	}
	mvpn_carrier_update(priv);
added:
	/* Its settings were applied before it was visible to the work. */
	if (READ_ONCE(peer->keepalive_interval) || READ_ONCE(peer->keepalive_timeout))
		mvpn_keepalive_kick(priv);
	return 0;
}

/**
 * mvpn_peer_del - unlink a peer and tell userspace why
 * @peer: the peer (the caller holds a reference)
 * @reason: enum mvpn_del_reason, sent in PEER_DEL_NTF
 *
 * Return: 0, or -ENOENT when it was already deleted (then nothing is sent:
 * every peer is deleted, and notified, exactly once).
 */
int mvpn_peer_del(struct mvpn_peer *peer, enum mvpn_del_reason reason)
{
	struct mvpn_priv *priv = peer->priv;
	bool unlinked;

	spin_lock_bh(&priv->lock);
	if (priv->peers) {
		unlinked = mvpn_peer_unlink_mp(priv->peers, peer);
	} else {
		unlinked = rcu_access_pointer(priv->peer) == peer;
		if (unlinked)
			RCU_INIT_POINTER(priv->peer, NULL);
	}
	spin_unlock_bh(&priv->lock);
	if (!unlinked)
		return -ENOENT;

	mvpn_nl_peer_del_notify(peer, reason);
	mvpn_carrier_update(priv);
	mvpn_peer_put(peer);	/* the device's reference */
	return 0;
}

/* The device is going away: no new peers, and delete the existing ones. */
void mvpn_peers_del_all(struct mvpn_priv *priv, enum mvpn_del_reason reason)
{
	unsigned long id = 0;
	struct mvpn_peer *peer;

	spin_lock_bh(&priv->lock);
	priv->dying = true;
	spin_unlock_bh(&priv->lock);

	while ((peer = mvpn_peer_get_next(priv, &id))) {
		mvpn_peer_del(peer, reason);
		mvpn_peer_put(peer);
		id++;
	}
}

/* Userspace closed a socket: delete the device's peers that used it. */
void mvpn_peers_del_by_sock(struct mvpn_priv *priv, struct sock *sk,
			    enum mvpn_del_reason reason)
{
	unsigned long id = 0;
	struct mvpn_peer *peer;

	while ((peer = mvpn_peer_get_next(priv, &id))) {
		if (peer->sock->sk == sk)
			mvpn_peer_del(peer, reason);
		mvpn_peer_put(peer);
		id++;
	}
}

/**
 * mvpn_peer_get_next - walk a device's peers in the order of their ids
 * @priv: the device
 * @id: in: the lowest id wanted; out: the id of the peer returned
 *
 * Peers added or deleted meanwhile may or may not be seen; no peer is seen
 * twice by a walk that asks for *id + 1 next.
 *
 * Return: the peer with the lowest id >= *id, with a reference, or NULL.
 */
struct mvpn_peer *mvpn_peer_get_next(struct mvpn_priv *priv, unsigned long *id)
{
	struct mvpn_peer *peer = NULL;

	if (*id > MVPN_PEER_ID_MAX)
		return NULL;
	rcu_read_lock();
	if (priv->peers) {
		/* a peer found here whose last reference went is skipped */
		while ((peer = xa_find(&priv->peers->by_id, id, MVPN_PEER_ID_MAX, XA_PRESENT)) &&
		       !mvpn_peer_hold(peer)) {
			if (*id == MVPN_PEER_ID_MAX) {
				peer = NULL;
				break;
			}
			(*id)++;
		}
	} else {
		peer = rcu_dereference(priv->peer);
		if (peer && (peer->id < *id || !mvpn_peer_hold(peer)))
			peer = NULL;
		if (peer)
			*id = peer->id;
	}
	rcu_read_unlock();
	return peer;
}

struct mvpn_peer *mvpn_peer_get_by_id(struct mvpn_priv *priv, u32 id)
{
	struct mvpn_peer *peer;

	rcu_read_lock();
	if (priv->peers)
		peer = xa_load(&priv->peers->by_id, id);
	else
		peer = rcu_dereference(priv->peer);
	if (!peer || peer->id != id || !mvpn_peer_hold(peer))
		peer = NULL;
	rcu_read_unlock();
	return peer;
}

/*
 * MP: the peer whose VPN address is the packet's destination, or else the
 * peer that the route's gateway names (a network behind a client: its
 * iroute is a route via the client's VPN address).  Under RCU.
 */
static struct mvpn_peer *mvpn_peer_for_xmit_mp(struct mvpn_peers *t, struct sk_buff *skb)
{
	const struct dst_entry *dst = skb_dst(skb);
	struct mvpn_peer *peer;

	if (skb->protocol == htons(ETH_P_IP)) {
		__be32 daddr = ((const struct iphdr *)skb->data)->daddr;
		const struct rtable *rt = (const struct rtable *)dst;

		peer = mvpn_peer_by_vpn4(t, daddr);
		if (!peer && dst && dst->ops->family == AF_INET && rt->rt_gw_family == AF_INET &&
		    rt->rt_gw4 != daddr)
			peer = mvpn_peer_by_vpn4(t, rt->rt_gw4);
		return peer;
	}
	if (skb->protocol == htons(ETH_P_IPV6)) {
		const struct in6_addr *daddr = &((const struct ipv6hdr *)skb->data)->daddr;
		const struct rt6_info *rt = (const struct rt6_info *)dst;

		peer = mvpn_peer_by_vpn6(t, daddr);
		if (!peer && dst && dst->ops->family == AF_INET6 &&
		    (rt->rt6i_flags & RTF_GATEWAY) && !ipv6_addr_equal(&rt->rt6i_gateway, daddr))
			peer = mvpn_peer_by_vpn6(t, &rt->rt6i_gateway);
		return peer;
	}
	return NULL;
}

/*
 * TX (the caller checked that skb->data holds an IPv4 or IPv6 header).
 * P2P: everything goes to the one peer.
 */
struct mvpn_peer *mvpn_peer_get_for_xmit(struct mvpn_priv *priv, struct sk_buff *skb)
{
	struct mvpn_peer *peer;

	if (!priv->peers) {
		unsigned long id = 0;

		return mvpn_peer_get_next(priv, &id);
	}
	rcu_read_lock();
	peer = mvpn_peer_for_xmit_mp(priv->peers, skb);
	if (!mvpn_peer_hold(peer))
		peer = NULL;
	rcu_read_unlock();
	return peer;
}

/*
 * RX: the peer a data packet that arrived on sk is from.  P2P: the peer, if
 * it uses this socket; the id on received packets is not checked, as
 * OpenVPN clients do not check it either.  MP: the peer with the packet's
 * id, if it uses this socket (an unknown id is dropped by the caller).
 */
struct mvpn_peer *mvpn_peer_get_for_recv(struct mvpn_priv *priv, struct sock *sk,
					 u32 peer_id)
{
	struct mvpn_peer *peer;

	rcu_read_lock();
	if (priv->peers)
		peer = peer_id == MVPN_PEER_ID_UNDEF ? NULL : xa_load(&priv->peers->by_id, peer_id);
	else
		peer = rcu_dereference(priv->peer);
	if (!peer || peer->sock->sk != sk || !mvpn_peer_hold(peer))
		peer = NULL;
	rcu_read_unlock();
	return peer;
}

/**
 * mvpn_peer_check_src - may the peer send from this inner source (RPF)?
 * @peer: the peer an authentic packet came from
 * @skb: the packet, skb->data at its inner IPv4/IPv6 header (pulled),
 *	 skb->protocol set
 *
 * P2P: anything goes (the one peer is the route to everywhere).  MP: the
 * peer's own VPN address, or an address whose route through this device
 * goes via the peer's VPN address (a network behind it, as TX uses it):
 * so that no client can speak with another one's address.
 *
 * Return: true when the packet may enter.
 */
bool mvpn_peer_check_src(struct mvpn_peer *peer, struct sk_buff *skb)
{
	struct net_device *dev = peer->priv->dev;
	bool ok = false;

	if (!peer->priv->peers)
		return true;
	if (skb->protocol == htons(ETH_P_IP)) {
		__be32 saddr = ((const struct iphdr *)skb->data)->saddr;
		__be32 own = READ_ONCE(peer->vpn_ip4);
		struct flowi4 fl = { .daddr = saddr };
		struct rtable *rt;

		if (own && saddr == own)
			return true;
		rt = ip_route_output_key(dev_net(dev), &fl);
		if (IS_ERR(rt))
			return false;
		ok = own && rt->dst.dev == dev && rt->rt_gw_family == AF_INET &&
		     rt->rt_gw4 == own;
		ip_rt_put(rt);
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		const struct in6_addr *saddr = &((const struct ipv6hdr *)skb->data)->saddr;
		struct flowi6 fl = { .daddr = *saddr };
		const struct rt6_info *rt;
		struct dst_entry *dst;

		if (!ipv6_addr_any(&peer->vpn_ip6) && ipv6_addr_equal(saddr, &peer->vpn_ip6))
			return true;
		dst = ip6_route_output(dev_net(dev), NULL, &fl);
		rt = (const struct rt6_info *)dst;
		ok = !dst->error && dst->dev == dev && (rt->rt6i_flags & RTF_GATEWAY) &&
		     !ipv6_addr_any(&peer->vpn_ip6) &&
		     ipv6_addr_equal(&rt->rt6i_gateway, &peer->vpn_ip6);
		dst_release(dst);
	}
	if (!ok)
		net_dbg_ratelimited("%s: peer %u sent from an address that is not its own\n",
				    netdev_name(dev), peer->id);
	return ok;
}

/**
 * mvpn_peer_set_bind - set the remote endpoint and/or the local address
 * @peer: the peer
 * @remote: the new remote, or NULL to keep the current one
 * @local: the new local address, or NULL to keep (zero: routing chooses)
 *
 * Return: 0, -EINVAL (only a local address and no remote to go with it),
 * -ENOMEM.
 */
int mvpn_peer_set_bind(struct mvpn_peer *peer, const struct mvpn_sockaddr *remote,
		       const union mvpn_local_ip *local)
{
	struct mvpn_bind *nb, *old;

	nb = kzalloc(sizeof(*nb), GFP_KERNEL);
	if (!nb)
		return -ENOMEM;
	spin_lock_bh(&peer->lock);
	old = rcu_dereference_protected(peer->bind, lockdep_is_held(&peer->lock));
	if (!remote && !old) {
		spin_unlock_bh(&peer->lock);
		kfree(nb);
		return -EINVAL;
	}
	nb->remote = remote ? *remote : old->remote;
	if (local)
		nb->local = *local;
	else if (old && old->remote.sa.sa_family == nb->remote.sa.sa_family)
		nb->local = old->local;
	rcu_assign_pointer(peer->bind, nb);
	spin_unlock_bh(&peer->lock);
	dst_cache_reset(&peer->dst_cache);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/**
 * mvpn_peer_endpoints_update - learn endpoints from an authentic packet
 * @peer: the peer
 * @src: where the packet came from
 * @dst: our address it was sent to
 *
 * Called only after the packet authenticated and passed the replay check,
 * so a forged or replayed packet can never move the peer.  A new remote is
 * a float: counted and announced (PEER_FLOAT_NTF).  A new local address is
 * learned silently: replies leave from where the peer reached us.
 */
void mvpn_peer_endpoints_update(struct mvpn_peer *peer, const struct mvpn_sockaddr *src,
				const union mvpn_local_ip *dst)
{
	struct mvpn_bind *bind, *nb;
	bool floated;

	rcu_read_lock();
	bind = rcu_dereference(peer->bind);
	floated = !bind || !mvpn_sockaddr_equal(&bind->remote, src);
	if (likely(!floated && mvpn_local_equal(src->sa.sa_family, &bind->local, dst))) {
		rcu_read_unlock();
		return;
	}
	rcu_read_unlock();

	nb = kzalloc(sizeof(*nb), GFP_ATOMIC);
	if (unlikely(!nb))
		return;
	nb->remote = *src;
	nb->local = *dst;

	spin_lock_bh(&peer->lock);
	bind = rcu_dereference_protected(peer->bind, lockdep_is_held(&peer->lock));
	/* Another CPU may have done it already. */
	if (bind && mvpn_sockaddr_equal(&bind->remote, src) &&
	    mvpn_local_equal(src->sa.sa_family, &bind->local, dst)) {
		spin_unlock_bh(&peer->lock);
		kfree(nb);
		return;
	}
	floated = !bind || !mvpn_sockaddr_equal(&bind->remote, src);
	rcu_assign_pointer(peer->bind, nb);
	spin_unlock_bh(&peer->lock);

	dst_cache_reset(&peer->dst_cache);
	if (bind)
		kfree_rcu(bind, rcu);
	if (floated) {
		mvpn_stat_add(peer, MVPN_STAT_FLOATS, 1);
		mvpn_nl_peer_float_notify(peer, src);
	}
}

void mvpn_peer_stats_read(struct mvpn_peer *peer, u64 *out)
{
	int cpu, i;

	memset(out, 0, sizeof(u64) * MVPN_STAT_N);
	for_each_possible_cpu(cpu) {
		const struct mvpn_peer_stats *st = per_cpu_ptr(peer->stats, cpu);
		u64 v[MVPN_STAT_N];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			for (i = 0; i < MVPN_STAT_N; i++)
				v[i] = u64_stats_read(&st->v[i]);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		for (i = 0; i < MVPN_STAT_N; i++)
			out[i] += v[i];
	}
}
