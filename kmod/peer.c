// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvpn-dco: peers (lifetime rules in peer.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "netlink.h"
#include "peer.h"
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

/**
 * mvpn_peer_add - make a peer visible on its device
 * @priv: the device
 * @peer: the peer; the device takes a reference of its own
 *
 * In P2P mode an existing peer is replaced (and deleted: teardown).
 *
 * Return: 0, or -ENODEV when the device is being deleted.
 */
int mvpn_peer_add(struct mvpn_priv *priv, struct mvpn_peer *peer)
{
	struct mvpn_peer *old;

	spin_lock_bh(&priv->lock);
	if (priv->dying) {
		spin_unlock_bh(&priv->lock);
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

	spin_lock_bh(&priv->lock);
	if (rcu_access_pointer(priv->peer) != peer) {
		spin_unlock_bh(&priv->lock);
		return -ENOENT;
	}
	RCU_INIT_POINTER(priv->peer, NULL);
	spin_unlock_bh(&priv->lock);

	mvpn_nl_peer_del_notify(peer, reason);
	mvpn_carrier_update(priv);
	mvpn_peer_put(peer);	/* the device's reference */
	return 0;
}

/* The device is going away: no new peers, and delete the existing ones. */
void mvpn_peers_del_all(struct mvpn_priv *priv, enum mvpn_del_reason reason)
{
	struct mvpn_peer *peer;

	spin_lock_bh(&priv->lock);
	priv->dying = true;
	spin_unlock_bh(&priv->lock);

	peer = mvpn_peer_get_first(priv);
	if (peer) {
		mvpn_peer_del(peer, reason);
		mvpn_peer_put(peer);
	}
}

/* Userspace closed a socket: delete the device's peers that used it. */
void mvpn_peers_del_by_sock(struct mvpn_priv *priv, struct sock *sk,
			    enum mvpn_del_reason reason)
{
	struct mvpn_peer *peer;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	if (peer && (peer->sock->sk != sk || !mvpn_peer_hold(peer)))
		peer = NULL;
	rcu_read_unlock();
	if (peer) {
		mvpn_peer_del(peer, reason);
		mvpn_peer_put(peer);
	}
}

/* Any peer of the device, with a reference (P2P: the peer). */
struct mvpn_peer *mvpn_peer_get_first(struct mvpn_priv *priv)
{
	struct mvpn_peer *peer;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	if (!mvpn_peer_hold(peer))
		peer = NULL;
	rcu_read_unlock();
	return peer;
}

struct mvpn_peer *mvpn_peer_get_by_id(struct mvpn_priv *priv, u32 id)
{
	struct mvpn_peer *peer;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	if (!peer || peer->id != id || !mvpn_peer_hold(peer))
		peer = NULL;
	rcu_read_unlock();
	return peer;
}

/* P2P: everything goes to the one peer.  (MP: by the route's next hop.) */
struct mvpn_peer *mvpn_peer_get_for_xmit(struct mvpn_priv *priv, struct sk_buff *skb)
{
	return mvpn_peer_get_first(priv);
}

/*
 * P2P: the peer, if it uses this socket.  The id on received packets is not
 * checked, as OpenVPN clients do not check it either.  (MP: by peer_id.)
 */
struct mvpn_peer *mvpn_peer_get_for_recv(struct mvpn_priv *priv, struct sock *sk,
					 u32 peer_id)
{
	struct mvpn_peer *peer;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	if (!peer || peer->sock->sk != sk || !mvpn_peer_hold(peer))
		peer = NULL;
	rcu_read_unlock();
	return peer;
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
