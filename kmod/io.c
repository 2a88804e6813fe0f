// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvpn-dco: TX and RX pipelines (stages described in io.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/timekeeping.h>
#include <net/sock.h>

#include "crypto.h"
#include "crypto_aead.h"
#include "io.h"
#include "netlink.h"
#include "peer.h"
#include "udp.h"

/* ---- crypto workers and the order queues ------------------------------- */

/*
 * Crypto runs on every CPU while packets leave in order (WireGuard's shape):
 * "prepare" appends a packet to its device's order queue (TX or RX) and
 * hands its context to the crypto worker of the next online CPU.  A worker
 * runs the AEAD and marks the context done; then whoever gets the order
 * queue's send_lock posts packets off the head for as long as the head is
 * done.  The replay window, the float check and the UDP send thus see the
 * packets in the order they arrived, whatever CPU did their crypto.
 */
struct mvpn_crypt_worker {
	struct llist_head list;
	struct work_struct work;
};

static struct mvpn_crypt_worker __percpu *mvpn_workers;
u32 mvpn_crypt_mode;
u32 mvpn_ordq_max = MVPN_ORDQ_MAX;
atomic_t mvpn_crypto_async;
static struct workqueue_struct *mvpn_crypt_wq;

static void mvpn_encrypt_post(struct sk_buff *skb, int err);
static void mvpn_decrypt_post(struct sk_buff *skb, int err, struct napi_struct *napi);

static void mvpn_ordq_post_work(struct work_struct *work);

/**
 * mvpn_ordq_init - an empty order queue
 * @oq: the queue
 * @tx: for TX or RX
 */
void mvpn_ordq_init(struct mvpn_ordq *oq, bool tx)
{
	static atomic_t next_post_cpu = ATOMIC_INIT(0);
	unsigned int n;
	int cpu;

	/*
	 * Spread the TX posting of the devices over the CPUs.  RX posts
	 * through NAPI, wherever decryption ended; its post CPU (crypt_mode
	 * RX_GRO_CELLS only) is the next one, without taking a turn, so that
	 * device after device, TX lands on a different CPU.
	 */
	if (tx)
		n = atomic_inc_return(&next_post_cpu);
	else
		n = atomic_read(&next_post_cpu) + 1;
	n %= max(num_online_cpus(), 1U);
	skb_queue_head_init(&oq->q);
	spin_lock_init(&oq->send_lock);
	oq->last_cpu = -1;
	oq->post_cpu = cpumask_first(cpu_online_mask);
	for_each_online_cpu(cpu) {
		if (!n--) {
			oq->post_cpu = cpu;
			break;
		}
	}
	INIT_WORK(&oq->post_work, mvpn_ordq_post_work);
	oq->tx = tx;
}

/**
 * mvpn_ordq_destroy - wait for the queue's posting work (device destructor)
 * @oq: the queue, empty: every packet held the device
 */
void mvpn_ordq_destroy(struct mvpn_ordq *oq)
{
	cancel_work_sync(&oq->post_work);
	WARN_ON(!skb_queue_empty(&oq->q));
}

/* Is the head of @oq done?  Called with @oq->q.lock held. */
static struct sk_buff *mvpn_ordq_ready(struct mvpn_ordq *oq)
{
	struct sk_buff *skb = skb_peek(&oq->q);

	/* Acquire: pairs with the release of @err in mvpn_crypt_finish(). */
	if (skb && smp_load_acquire(&mvpn_skb_cb(skb)->done))
		return skb;
	return NULL;
}

/*
 * Post done packets off the head of @oq, in order, at most @budget of them
 * (BH disabled, under rcu_read_lock: the device outlives the call).  A CPU
 * that finds another one posting leaves its packet to it; the poster looks
 * at the head once more after letting go, so that no done packet is left
 * behind.  RX packets go to GRO through @napi, or the GRO cells when NULL.
 *
 * Return: how many packets were posted.
 */
static int mvpn_ordq_drain(struct mvpn_ordq *oq, struct napi_struct *napi, int budget)
{
	struct sk_buff *skb;
	int n = 0;
	bool more;

again:
	if (!spin_trylock(&oq->send_lock))
		return n;
	while (n < budget) {
		spin_lock(&oq->q.lock);
		skb = mvpn_ordq_ready(oq);
		if (skb)
			__skb_unlink(skb, &oq->q);
		spin_unlock(&oq->q.lock);
		if (!skb)
			break;
		if (oq->tx)
			mvpn_encrypt_post(skb, mvpn_skb_cb(skb)->err);
		else
			mvpn_decrypt_post(skb, mvpn_skb_cb(skb)->err, napi);
		n++;
	}
	spin_unlock(&oq->send_lock);
	if (n >= budget)
		return n;
	/* Pairs with the barrier in mvpn_crypt_finish(). */
	smp_mb();
	spin_lock(&oq->q.lock);
	more = mvpn_ordq_ready(oq);
	spin_unlock(&oq->q.lock);
	if (more)
		goto again;
	return n;
}

/**
 * mvpn_rx_poll - the device's RX NAPI poll: post decrypted packets in order
 * @napi: &mvpn_priv.rx_napi
 * @budget: at most this many packets
 *
 * Scheduled by whichever CPU finished a packet's decryption.  NAPI runs one
 * poll at a time and hands its GRO batch to the stack before it lets go, so
 * packets reach the stack in the order of the RX order queue, wherever the
 * poll runs.
 *
 * Return: the packets posted.
 */
int mvpn_rx_poll(struct napi_struct *napi, int budget)
{
	struct mvpn_priv *priv = container_of(napi, struct mvpn_priv, rx_napi);
	int n;

	rcu_read_lock();
	n = mvpn_ordq_drain(&priv->rx_order, napi, budget);
	rcu_read_unlock();
	if (n < budget)
		napi_complete_done(napi, n);
	return n;
}

/* Does the crypto of this direction run on the workers (crypt_mode)? */
static bool mvpn_crypt_on_workers(bool tx)
{
	u32 mode = READ_ONCE(mvpn_crypt_mode);

	return mode & MVPN_CRYPT_WORKERS || (!tx && mode & MVPN_CRYPT_RX_WORKERS);
}

static void mvpn_ordq_post_work(struct work_struct *work)
{
	struct mvpn_ordq *oq = container_of(work, struct mvpn_ordq, post_work);

	rcu_read_lock();
	local_bh_disable();
	mvpn_ordq_drain(oq, NULL, INT_MAX);
	local_bh_enable();
	rcu_read_unlock();
}

/* Does RX post through the device's NAPI (else like TX, on the GRO cells)? */
static bool mvpn_rx_napi(void)
{
	return !(READ_ONCE(mvpn_crypt_mode) & MVPN_CRYPT_RX_GRO_CELLS);
}

/*
 * The crypto of @skb ended with @err: mark it and post what is ready.
 * RX: the device's NAPI posts, on this CPU.  TX, with crypto on the
 * workers: posting happens on the queue's post CPU only, or packets posted
 * on several CPUs would overtake each other in the link's per-CPU queues
 * below (veth, RPS, XPS).  The device outlives a post_work queued here or
 * its NAPI scheduled: its destructor waits for both.
 */
static void mvpn_crypt_finish(struct sk_buff *skb, int err)
{
	struct mvpn_skb_cb *cb = mvpn_skb_cb(skb);
	struct mvpn_priv *priv = cb->peer->priv;
	struct mvpn_ordq *oq = cb->encrypt ? &priv->tx_order : &priv->rx_order;
	bool pinned;

	/*
	 * Once done is set, another CPU may post and free the packet and
	 * drop its peer reference; the peer (and with it the device) is
	 * released after a grace period, which this read-side section holds
	 * off.
	 */
	rcu_read_lock();
	cb->err = err;
	/* Release @err with it: pairs with the acquire in mvpn_ordq_ready(). */
	smp_store_release(&cb->done, 1);
	/* Pairs with the barrier in mvpn_ordq_drain(). */
	smp_mb();
	local_bh_disable();
	pinned = mvpn_crypt_on_workers(oq->tx) ||
		 READ_ONCE(mvpn_crypt_mode) & MVPN_CRYPT_POST_PINNED;
	if (!oq->tx && mvpn_rx_napi())
		napi_schedule(&priv->rx_napi);
	else if (!pinned || raw_smp_processor_id() == oq->post_cpu)
		mvpn_ordq_drain(oq, NULL, INT_MAX);
	else
		queue_work_on(oq->post_cpu, mvpn_crypt_wq, &oq->post_work);
	local_bh_enable();
	rcu_read_unlock();
}

static void mvpn_crypt_done(mvpn_crypto_done_arg_t arg, int err)
{
	struct sk_buff *skb = mvpn_crypto_done_data(arg);

	if (err == -EINPROGRESS)
		return;		/* left the backlog; the real completion follows */
	mvpn_aead_release(skb);
	mvpn_crypt_finish(skb, err);
}

/* Run the crypto of a queued packet; its completion posts what is ready. */
static void mvpn_crypt_run(struct sk_buff *skb)
{
	int err;

	if (mvpn_skb_cb(skb)->encrypt)
		err = mvpn_aead_encrypt(skb, mvpn_crypt_done);
	else
		err = mvpn_aead_decrypt(skb, mvpn_crypt_done);
	if (err == -EINPROGRESS)
		atomic_inc(&mvpn_crypto_async);
	else
		mvpn_crypt_finish(skb, err);
}

/* Packets a worker runs with BH disabled before it lets softirqs run. */
#define MVPN_CRYPT_BH_BATCH	32

/*
 * A worker runs its packets in runs of MVPN_CRYPT_BH_BATCH with BH
 * disabled: what they post (UDP sends, packets for GRO) only reaches the
 * next softirq once the run is over, so GRO sees the run's packets
 * together and can merge them, as it does with inline crypto.
 */
static void mvpn_crypt_work(struct work_struct *work)
{
	struct mvpn_crypt_worker *w = container_of(work, struct mvpn_crypt_worker, work);
	struct mvpn_skb_cb *cb, *tmp;
	struct llist_node *batch;
	unsigned int n = 0;

	for (;;) {
		/* Oldest first: the list is a stack. */
		batch = llist_reverse_order(llist_del_all(&w->list));
		if (!batch)
			return;
		local_bh_disable();
		llist_for_each_entry_safe(cb, tmp, batch, node) {
			mvpn_crypt_run(mvpn_cb_skb(cb));
			if (++n % MVPN_CRYPT_BH_BATCH == 0) {
				local_bh_enable();
				cond_resched();
				local_bh_disable();
			}
		}
		local_bh_enable();
		cond_resched();
	}
}

/*
 * Queue a prepared packet (mvpn_aead_prepare()) with its peer and key
 * references: at the tail of its order queue (which says the direction),
 * and to the crypto worker of the next online CPU.  BH disabled.
 *
 * Return: false when the order queue already holds mvpn_ordq_max packets
 * (crypto slower than the traffic): nothing was queued and the crypto
 * request is freed; the caller keeps its references, drops the packet and
 * counts it.
 */
static bool mvpn_crypt_queue(struct mvpn_ordq *oq, struct sk_buff *skb, struct mvpn_peer *peer,
			     struct mvpn_key *key, bool ping)
{
	struct mvpn_skb_cb *cb = mvpn_skb_cb(skb);
	struct mvpn_crypt_worker *w;
	int cpu;

	cb->peer = peer;
	cb->key = key;
	cb->ping = ping;
	cb->encrypt = oq->tx;
	cb->done = 0;
	spin_lock(&oq->q.lock);
	if (unlikely(skb_queue_len(&oq->q) >= READ_ONCE(mvpn_ordq_max))) {
		spin_unlock(&oq->q.lock);
		net_dbg_ratelimited("%s: %s crypto queue full\n", netdev_name(peer->priv->dev),
				    oq->tx ? "TX" : "RX");
		return false;
	}
	__skb_queue_tail(&oq->q, skb);
	spin_unlock(&oq->q.lock);

	if (!mvpn_crypt_on_workers(cb->encrypt)) {
		mvpn_crypt_run(skb);
		return true;
	}

	cpu = cpumask_next(READ_ONCE(oq->last_cpu), cpu_online_mask);
	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_online_mask);
	WRITE_ONCE(oq->last_cpu, cpu);
	w = per_cpu_ptr(mvpn_workers, cpu);
	/* The worker is due anyway when the list was not empty. */
	if (llist_add(&cb->node, &w->list))
		queue_work_on(cpu, mvpn_crypt_wq, &w->work);
	return true;
}

/**
 * mvpn_io_init - start the crypto workers (module init)
 *
 * Return: 0 or -ENOMEM.
 */
int mvpn_io_init(void)
{
	int cpu, err;

	/* One CPU has nothing to spread the crypto over. */
	mvpn_crypt_mode = num_online_cpus() > 1 ? MVPN_CRYPT_WORKERS : 0;
	mvpn_crypt_wq = alloc_workqueue("mvpn-crypt",
					WQ_CPU_INTENSIVE | WQ_MEM_RECLAIM | WQ_HIGHPRI, 0);
	if (!mvpn_crypt_wq)
		return -ENOMEM;
	mvpn_workers = alloc_percpu(struct mvpn_crypt_worker);
	if (!mvpn_workers) {
		destroy_workqueue(mvpn_crypt_wq);
		return -ENOMEM;
	}
	err = mvpn_aead_init();
	if (err) {
		free_percpu(mvpn_workers);
		destroy_workqueue(mvpn_crypt_wq);
		return err;
	}
	for_each_possible_cpu(cpu) {
		struct mvpn_crypt_worker *w = per_cpu_ptr(mvpn_workers, cpu);

		init_llist_head(&w->list);
		INIT_WORK(&w->work, mvpn_crypt_work);
	}
	return 0;
}

/**
 * mvpn_io_exit - stop the crypto workers (module exit, every device gone:
 * each packet held its device, so no packet is left in any queue)
 */
void mvpn_io_exit(void)
{
	int cpu;

	destroy_workqueue(mvpn_crypt_wq);
	for_each_possible_cpu(cpu)
		WARN_ON(!llist_empty(&per_cpu_ptr(mvpn_workers, cpu)->list));
	free_percpu(mvpn_workers);
	mvpn_aead_exit();
}

/* ---- TX ---------------------------------------------------------------- */

static void mvpn_encrypt_post(struct sk_buff *skb, int err)
{
	struct mvpn_skb_cb *cb = mvpn_skb_cb(skb);
	struct mvpn_peer *peer = cb->peer;
	struct net_device *dev = peer->priv->dev;
	unsigned int inner_len = skb->len - MVPN_V2_CT_OFF, len;
	bool ping = cb->ping;

	mvpn_key_put(cb->key);
	/* The IP layer below has its own use for skb->cb. */
	memset(skb->cb, 0, sizeof(skb->cb));
	if (unlikely(err)) {
		net_dbg_ratelimited("%s: encryption failed: %d\n", netdev_name(dev), err);
		kfree_skb(skb);
		goto drop;
	}
	len = skb->len;
	err = mvpn_udp_send_skb(peer, skb);
	skb = NULL;	/* owned by the UDP stack now */
	if (unlikely(err))
		goto drop;

	WRITE_ONCE(peer->last_sent, jiffies);
	mvpn_stat_pkt(peer, MVPN_STAT_LINK_TX_BYTES, len);
	if (ping) {
		mvpn_stat_add(peer, MVPN_STAT_PING_TX, 1);
	} else {
		mvpn_stat_pkt(peer, MVPN_STAT_VPN_TX_BYTES, inner_len);
		dev_sw_netstats_tx_add(dev, 1, inner_len);
	}
	mvpn_peer_put(peer);
	return;

drop:
	mvpn_stat_add(peer, MVPN_STAT_TX_DROPS, 1);
	dev_core_stats_tx_dropped_inc(dev);
	mvpn_peer_put(peer);
}

/*
 * Prepare one packet (an inner IP packet, or the ping) and start its
 * encryption.  Takes the skb; the caller keeps its peer reference, each
 * packet in flight holds one of its own.
 */
static void mvpn_xmit_one(struct mvpn_peer *peer, struct sk_buff *skb, bool ping)
{
	struct mvpn_key *key;
	bool notify;
	u32 pktid;
	int err;

	key = mvpn_crypto_key_primary(&peer->crypto);
	if (unlikely(!key)) {
		net_dbg_ratelimited("%s: no key to send to peer %u\n",
				    netdev_name(peer->priv->dev), peer->id);
		goto drop;
	}
	err = mvpn_pktid_xmit_next(&key->pid_xmit, &pktid, &notify);
	if (unlikely(notify))
		mvpn_nl_key_swap_notify(peer, key);
	if (unlikely(err)) {
		net_dbg_ratelimited("%s: packet ids of key %u exhausted\n",
				    netdev_name(peer->priv->dev), key->key_id);
		goto drop_key;
	}
	if (unlikely(skb_cow_head(skb, MVPN_TX_HEADROOM)))
		goto drop_key;
	skb_push(skb, MVPN_V2_CT_OFF);
	mvpn_data_v2_head(skb->data, key->key_id, READ_ONCE(peer->tx_id), pktid);

	if (unlikely(mvpn_aead_prepare(key, skb, true)))
		goto drop_key;
	kref_get(&peer->refcount);
	if (likely(mvpn_crypt_queue(&peer->priv->tx_order, skb, peer, key, ping)))
		return;
	mvpn_peer_put(peer);	/* the packet's own reference */

drop_key:
	mvpn_key_put(key);
drop:
	mvpn_stat_add(peer, MVPN_STAT_TX_DROPS, 1);
	dev_core_stats_tx_dropped_inc(peer->priv->dev);
	kfree_skb(skb);
}

/* Is this an IPv4 or IPv6 packet, as skb->protocol claims? */
static bool mvpn_xmit_proto_ok(struct sk_buff *skb)
{
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		return pskb_may_pull(skb, sizeof(struct iphdr)) && skb->data[0] >> 4 == 4;
	case htons(ETH_P_IPV6):
		return pskb_may_pull(skb, sizeof(struct ipv6hdr)) && skb->data[0] >> 4 == 6;
	default:
		return false;
	}
}

/* ndo_start_xmit (LLTX: may run on several CPUs at once). */
netdev_tx_t mvpn_net_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct mvpn_priv *priv = netdev_priv(dev);
	struct sk_buff *segs, *next;
	struct mvpn_peer *peer;

	if (unlikely(!mvpn_xmit_proto_ok(skb)))
		goto drop;
	peer = mvpn_peer_get_for_xmit(priv, skb);
	if (unlikely(!peer)) {
		net_dbg_ratelimited("%s: no peer to send to\n", netdev_name(dev));
		goto drop;
	}
	/*
	 * The inner route did its job (it chose this device, and the peer in
	 * MP mode); the packet leaves by the outer one.  Let go of it now
	 * rather than hold it through the crypto queues.
	 */
	skb_dst_drop(skb);
	if (skb_is_gso(skb)) {
		/* No checksum features: the segments get full checksums. */
		segs = skb_gso_segment(skb, 0);
		if (IS_ERR_OR_NULL(segs))
			goto drop_peer;
		consume_skb(skb);
		skb = segs;
	} else if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		goto drop_peer;
	}
	skb_list_walk_safe(skb, skb, next) {
		skb_mark_not_on_list(skb);
		mvpn_xmit_one(peer, skb, false);
	}
	mvpn_peer_put(peer);
	return NETDEV_TX_OK;

drop_peer:
	mvpn_stat_add(peer, MVPN_STAT_TX_DROPS, 1);
	mvpn_peer_put(peer);
drop:
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

/* The keepalive ping (process context: the keepalive work). */
void mvpn_xmit_ping(struct mvpn_peer *peer)
{
	static const u8 magic[MVPN_PING_SIZE] = MVPN_PING_MAGIC;
	struct sk_buff *skb;

	skb = alloc_skb(MVPN_TX_HEADROOM + MVPN_PING_SIZE, GFP_KERNEL);
	if (!skb) {
		mvpn_stat_add(peer, MVPN_STAT_TX_DROPS, 1);
		return;
	}
	skb_reserve(skb, MVPN_TX_HEADROOM);
	skb_put_data(skb, magic, MVPN_PING_SIZE);
	skb->dev = peer->priv->dev;
	local_bh_disable();
	mvpn_xmit_one(peer, skb, true);
	local_bh_enable();
}

/* ---- RX ---------------------------------------------------------------- */

/* The inner packet's protocol, or 0 when it is no IP packet. */
static __be16 mvpn_inner_proto(struct sk_buff *skb)
{
	if (unlikely(!pskb_may_pull(skb, 1)))
		return 0;
	switch (skb->data[0] >> 4) {
	case 4:
		return pskb_may_pull(skb, sizeof(struct iphdr)) ? htons(ETH_P_IP) : 0;
	case 6:
		return pskb_may_pull(skb, sizeof(struct ipv6hdr)) ? htons(ETH_P_IPV6) : 0;
	default:
		return 0;
	}
}

static void mvpn_decrypt_post(struct sk_buff *skb, int err, struct napi_struct *napi)
{
	struct mvpn_skb_cb *cb = mvpn_skb_cb(skb);
	struct mvpn_peer *peer = cb->peer;
	struct mvpn_key *key = cb->key;
	struct net_device *dev = peer->priv->dev;
	enum mvpn_stat why = MVPN_STAT_DROP_MALFORMED;
	u32 pktid = mvpn_skb_pktid(skb);
	union mvpn_local_ip dst;
	struct mvpn_sockaddr src;
	__be16 proto;

	if (unlikely(err)) {
		if (err == -EBADMSG)
			why = MVPN_STAT_DROP_AUTH;
		net_dbg_ratelimited("%s: packet %u from peer %u: decryption failed: %d\n",
				    netdev_name(dev), pktid, peer->id, err);
		goto drop;
	}

	/* Authentic.  Only now may its packet id touch the replay window. */
	spin_lock(&key->replay_lock);
	err = mvpn_pktid_recv(&key->pid_recv, pktid, ktime_get_seconds());
	spin_unlock(&key->replay_lock);
	if (unlikely(err)) {
		why = MVPN_STAT_DROP_REPLAY;
		net_dbg_ratelimited("%s: packet %u from peer %u: replay check: %d\n",
				    netdev_name(dev), pktid, peer->id, err);
		goto drop;
	}
	/*
	 * Authentic and fresh: it may move the peer and keeps it alive.  The
	 * outer headers are still in front of the packet.
	 */
	mvpn_udp_endpoints(skb, &src, &dst);
	mvpn_peer_endpoints_update(peer, &src, &dst);
	WRITE_ONCE(peer->last_recv, jiffies);

	__skb_pull(skb, MVPN_V2_CT_OFF);
	if (skb->len == MVPN_PING_SIZE && pskb_may_pull(skb, MVPN_PING_SIZE) &&
	    mvpn_is_ping(skb->data, MVPN_PING_SIZE)) {
		mvpn_stat_add(peer, MVPN_STAT_PING_RX, 1);
		consume_skb(skb);
		goto out;
	}
	proto = mvpn_inner_proto(skb);
	if (unlikely(!proto)) {
		net_dbg_ratelimited("%s: peer %u sent something that is not IP\n",
				    netdev_name(dev), peer->id);
		goto drop;
	}
	skb->protocol = proto;
	if (unlikely(!mvpn_peer_check_src(peer, skb))) {
		why = MVPN_STAT_DROP_SOURCE;
		goto drop;
	}

	skb_scrub_packet(skb, !net_eq(dev_net(dev), sock_net(peer->sock->sk)));
	memset(skb->cb, 0, sizeof(skb->cb));
	skb->protocol = proto;
	skb->dev = dev;
	skb->pkt_type = PACKET_HOST;
	if (READ_ONCE(mvpn_crypt_mode) & MVPN_CRYPT_RX_CSUM_TRUSTED) {
		/* The AEAD proved it unchanged since the peer sealed it. */
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		skb->csum_level = ~0;
	} else {
		/* Authenticated, but nobody checked it before it entered the tunnel. */
		skb->ip_summed = CHECKSUM_NONE;
	}
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb_reset_transport_header(skb);
	mvpn_stat_pkt(peer, MVPN_STAT_VPN_RX_BYTES, skb->len);
	if (!napi) {
		dev_sw_netstats_rx_add(dev, skb->len);
		gro_cells_receive(&peer->priv->gro_cells, skb);
		goto out;
	}
	/* As gro_cells_receive(): a device that is down takes nothing. */
	if (unlikely(!netif_running(dev))) {
		dev_core_stats_rx_dropped_inc(dev);
		kfree_skb(skb);
		goto out;
	}
	dev_sw_netstats_rx_add(dev, skb->len);
	napi_gro_receive(napi, skb);
	goto out;

drop:
	mvpn_stat_add(peer, why, 1);
	dev_core_stats_rx_dropped_inc(dev);
	kfree_skb(skb);
out:
	mvpn_key_put(key);
	mvpn_peer_put(peer);
}

/**
 * mvpn_recv - a data packet from a peer (softirq)
 * @peer: the peer; the packet takes over the caller's reference
 * @skb: the UDP payload, starting at the opcode; the outer IP and UDP
 *	 headers in front of it (mvpn_udp_endpoints() reads them at post)
 */
void mvpn_recv(struct mvpn_peer *peer, struct sk_buff *skb)
{
	struct mvpn_key *key;
	bool any_key;

	mvpn_stat_pkt(peer, MVPN_STAT_LINK_RX_BYTES, skb->len);
	if (unlikely(skb->len <= MVPN_V2_CT_OFF || !pskb_may_pull(skb, MVPN_V2_CT_OFF))) {
		mvpn_stat_add(peer, MVPN_STAT_DROP_MALFORMED, 1);
		goto drop;
	}
	key = mvpn_crypto_key_by_id(&peer->crypto, mvpn_key_id(skb->data[0]), &any_key);
	if (unlikely(!key)) {
		mvpn_stat_add(peer, any_key ? MVPN_STAT_DROP_UNKNOWN_KEY : MVPN_STAT_DROP_NO_KEY,
			      1);
		goto drop;
	}
	/* The UDP layer's use of skb->cb is over (IP6CB's iif: skb_iif). */
	if (unlikely(mvpn_aead_prepare(key, skb, false))) {
		mvpn_key_put(key);
		mvpn_stat_add(peer, MVPN_STAT_DROP_MALFORMED, 1);
		goto drop;
	}
	if (likely(mvpn_crypt_queue(&peer->priv->rx_order, skb, peer, key, false)))
		return;
	mvpn_key_put(key);
	mvpn_stat_add(peer, MVPN_STAT_DROP_BUSY, 1);

drop:
	dev_core_stats_rx_dropped_inc(peer->priv->dev);
	kfree_skb(skb);
	mvpn_peer_put(peer);
}
