// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvpn-dco: keepalive -- OpenVPN's ping and ping-restart, per peer.
 *
 * When nothing was sent to a peer for its interval, the module sends the
 * 16-byte ping as a data packet; when nothing authentic arrived from it for
 * its timeout, the peer is deleted (PEER_DEL_NTF expired).  The data path
 * only stamps jiffies (last_sent, last_recv); one delayed work per device
 * looks at the stamps and sleeps until the earliest next deadline.  It
 * runs in process context, so it can delete peers directly.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>

#include "io.h"
#include "peer.h"

/*
 * Run the device's keepalive work after delay, unless the device is dying:
 * dellink sets dying under the same lock before it cancels the work, so
 * nothing can queue it again once cancelled (the device may be freed next).
 */
static void mvpn_keepalive_schedule(struct mvpn_priv *priv, unsigned long delay)
{
	spin_lock_bh(&priv->lock);
	if (!priv->dying)
		mod_delayed_work(system_wq, &priv->keepalive_work, delay);
	spin_unlock_bh(&priv->lock);
}

/* Re-evaluate the device's deadlines now (settings changed). */
void mvpn_keepalive_kick(struct mvpn_priv *priv)
{
	mvpn_keepalive_schedule(priv, 0);
}

/* Set interval and timeout (seconds, 0 = off); the timeout restarts now. */
void mvpn_peer_keepalive_set(struct mvpn_peer *peer, u32 interval, u32 timeout)
{
	spin_lock_bh(&peer->lock);
	WRITE_ONCE(peer->keepalive_interval, interval);
	WRITE_ONCE(peer->keepalive_timeout, timeout);
	WRITE_ONCE(peer->last_recv, jiffies);
	spin_unlock_bh(&peer->lock);
	mvpn_keepalive_kick(peer->priv);
}

/**
 * mvpn_peer_keepalive - ping or expire a peer if it is time
 * @peer: the peer (the caller holds a reference)
 * @now: jiffies
 *
 * Return: the next deadline in jiffies, or 0 when there is none (keepalive
 * off, or the peer was just deleted).
 */
unsigned long mvpn_peer_keepalive(struct mvpn_peer *peer, unsigned long now)
{
	unsigned long interval = READ_ONCE(peer->keepalive_interval) * HZ;
	unsigned long timeout = READ_ONCE(peer->keepalive_timeout) * HZ;
	unsigned long next = 0, at;

	if (timeout) {
		at = READ_ONCE(peer->last_recv) + timeout;
		if (time_after_eq(now, at)) {
			net_info_ratelimited("%s: peer %u expired: nothing received for %lus\n",
					     netdev_name(peer->priv->dev), peer->id,
					     timeout / HZ);
			mvpn_peer_del(peer, MVPN_DEL_REASON_EXPIRED);
			return 0;
		}
		next = at;
	}
	if (interval) {
		at = READ_ONCE(peer->last_sent) + interval;
		if (time_after_eq(now, at)) {
			mvpn_xmit_ping(peer);
			at = now + interval;
		}
		if (!next || time_before(at, next))
			next = at;
	}
	return next;
}

void mvpn_keepalive_work(struct work_struct *work)
{
	struct mvpn_priv *priv = container_of(to_delayed_work(work), struct mvpn_priv,
					      keepalive_work);
	unsigned long now = jiffies, next = 0, at, id = 0;
	struct mvpn_peer *peer;

	/* every peer of the device, in id order (MP: without holding a lock) */
	while ((peer = mvpn_peer_get_next(priv, &id))) {
		at = mvpn_peer_keepalive(peer, now);
		mvpn_peer_put(peer);
		if (at && (!next || time_before(at, next)))
			next = at;
		id++;
		cond_resched();
	}
	if (next)
		mvpn_keepalive_schedule(priv, time_after(next, now) ? next - now : 0);
}
