/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvpn-dco: peers -- lifetime, lookup, endpoints, counters.
 *
 * Lifetime: a peer starts with one reference (its creator's).  Adding it
 * to the device gives the device one more; deleting it (mvpn_peer_del:
 * PEER_DEL, keepalive expiry, socket closed, device gone, replaced in P2P)
 * unlinks it and drops the device's reference, exactly once, with exactly
 * one PEER_DEL_NTF.  Every packet in flight holds its own reference.  The
 * last put queues the release after an RCU grace period, in process
 * context: keys, socket, device reference, memory.
 *
 * Lookups, each returning the peer with a reference (or NULL):
 *   mvpn_peer_get_by_id()     netlink
 *   mvpn_peer_get_next()      walks (dump, keepalive, teardown) in id order
 *   mvpn_peer_get_for_xmit()  TX: the peer a packet to the tunnel goes to
 *   mvpn_peer_get_for_recv()  RX: the peer a data packet on a socket is from
 *
 * P2P devices have one RCU pointer.  MP devices have a peer table (struct
 * mvpn_peers, peer.c): an xarray by id -- which is also the stable order
 * that dumps resume in -- and hash tables by VPN IPv4 and IPv6 address.
 * Readers use RCU; every writer holds the device's lock (mvpn_priv.lock).
 */
#ifndef _MVPN_PEER_H_
#define _MVPN_PEER_H_

#include <linux/kref.h>
#include <linux/list_nulls.h>
#include <linux/u64_stats_sync.h>
#include <net/dst_cache.h>

#include "bind.h"
#include "crypto.h"
#include "mvpn.h"

struct mvpn_socket;
struct netlink_ext_ack;

/* Per-peer counters; the netlink attribute of each is in netlink.c. */
enum mvpn_stat {
	MVPN_STAT_VPN_RX_BYTES,
	MVPN_STAT_VPN_RX_PACKETS,
	MVPN_STAT_VPN_TX_BYTES,
	MVPN_STAT_VPN_TX_PACKETS,
	MVPN_STAT_LINK_RX_BYTES,
	MVPN_STAT_LINK_RX_PACKETS,
	MVPN_STAT_LINK_TX_BYTES,
	MVPN_STAT_LINK_TX_PACKETS,
	MVPN_STAT_DROP_AUTH,
	MVPN_STAT_DROP_REPLAY,
	MVPN_STAT_DROP_UNKNOWN_KEY,
	MVPN_STAT_DROP_MALFORMED,
	MVPN_STAT_DROP_NO_KEY,
	MVPN_STAT_TX_DROPS,
	MVPN_STAT_PING_RX,
	MVPN_STAT_PING_TX,
	MVPN_STAT_FLOATS,
	MVPN_STAT_DROP_SOURCE,
	MVPN_STAT_DROP_BUSY,
	MVPN_STAT_N,
};

struct mvpn_peer_stats {
	u64_stats_t v[MVPN_STAT_N];
	struct u64_stats_sync syncp;
};

/**
 * struct mvpn_peer - one remote OpenVPN endpoint
 * @priv: the device (a reference, @dev_tracker)
 * @dev_tracker: tracks that reference
 * @id: the peer id (netlink handle; MP: the id on received packets)
 * @tx_id: the peer id written into packets we send (READ_ONCE)
 * @sock: the UDP socket (a reference)
 * @crypto: the two key slots
 * @bind: remote and local endpoint (RCU; writers hold @lock)
 * @dst_cache: route to the remote, reset whenever @bind changes
 * @lock: protects writers of @bind, the VPN addresses and keepalive settings
 * @vpn_ip4: the peer's IPv4 address inside the tunnel, 0 = none
 * @vpn_ip6: the peer's IPv6 address inside the tunnel, :: = none
 * @hash_vpn4: MP: in the device's table by @vpn_ip4 (device lock)
 * @hash_vpn6: MP: in the device's table by @vpn_ip6 (device lock)
 * @keepalive_interval: seconds; ping when nothing was sent for so long
 * @keepalive_timeout: seconds; expire when nothing authentic arrived for so long
 * @replay_window: RX window of keys installed from now on
 * @last_sent: jiffies of the last packet sent (WRITE_ONCE on the data path)
 * @last_recv: jiffies of the last authenticated packet received
 * @stats: per-CPU counters
 * @refcount: see the lifetime rules above
 * @release_rwork: the release, after a grace period, in process context
 */
struct mvpn_peer {
	struct mvpn_priv *priv;
	netdevice_tracker dev_tracker;
	u32 id;
	u32 tx_id;
	struct mvpn_socket *sock;
	struct mvpn_crypto_state crypto;
	struct mvpn_bind __rcu *bind;
	struct dst_cache dst_cache;
	spinlock_t lock;	/* writers of @bind, VPN addresses, keepalive */
	__be32 vpn_ip4;
	struct in6_addr vpn_ip6;
	struct hlist_nulls_node hash_vpn4;
	struct hlist_nulls_node hash_vpn6;
	u32 keepalive_interval;
	u32 keepalive_timeout;
	u32 replay_window;
	unsigned long last_sent;
	unsigned long last_recv;
	struct mvpn_peer_stats __percpu *stats;
	struct kref refcount;
	struct rcu_work release_rwork;
};

struct mvpn_peer *mvpn_peer_new(struct mvpn_priv *priv, u32 id, struct mvpn_socket *sock);
void mvpn_peer_put(struct mvpn_peer *peer);
bool mvpn_peer_hold(struct mvpn_peer *peer);

/* Most peers an MP device takes (uapi: MVPN_MP_PEERS_MAX). */
int mvpn_peers_init(struct mvpn_priv *priv);
void mvpn_peers_free(struct mvpn_priv *priv);
u32 mvpn_peers_gen(struct mvpn_priv *priv);

int mvpn_peer_add(struct mvpn_priv *priv, struct mvpn_peer *peer,
		  struct netlink_ext_ack *extack);
int mvpn_peer_set_vpn_addrs(struct mvpn_peer *peer, const __be32 *ip4,
			    const struct in6_addr *ip6, struct netlink_ext_ack *extack);
int mvpn_peer_del(struct mvpn_peer *peer, enum mvpn_del_reason reason);
void mvpn_peers_del_all(struct mvpn_priv *priv, enum mvpn_del_reason reason);
void mvpn_peers_del_by_sock(struct mvpn_priv *priv, struct sock *sk,
			    enum mvpn_del_reason reason);

struct mvpn_peer *mvpn_peer_get_by_id(struct mvpn_priv *priv, u32 id);
struct mvpn_peer *mvpn_peer_get_for_xmit(struct mvpn_priv *priv, struct sk_buff *skb);
struct mvpn_peer *mvpn_peer_get_for_recv(struct mvpn_priv *priv, struct sock *sk,
					 u32 peer_id);
bool mvpn_peer_check_src(struct mvpn_peer *peer, struct sk_buff *skb);
struct mvpn_peer *mvpn_peer_get_next(struct mvpn_priv *priv, unsigned long *id);

int mvpn_peer_set_bind(struct mvpn_peer *peer, const struct mvpn_sockaddr *remote,
		       const union mvpn_local_ip *local);
void mvpn_peer_endpoints_update(struct mvpn_peer *peer, const struct mvpn_sockaddr *src,
				const union mvpn_local_ip *dst);
void mvpn_peer_keepalive_set(struct mvpn_peer *peer, u32 interval, u32 timeout);
unsigned long mvpn_peer_keepalive(struct mvpn_peer *peer, unsigned long now);

void mvpn_peer_stats_read(struct mvpn_peer *peer, u64 *out);

static inline void mvpn_stat_add(struct mvpn_peer *peer, enum mvpn_stat s, u64 v)
{
	struct mvpn_peer_stats *st = get_cpu_ptr(peer->stats);

	u64_stats_update_begin(&st->syncp);
	u64_stats_add(&st->v[s], v);
	u64_stats_update_end(&st->syncp);
	put_cpu_ptr(peer->stats);
}

/* A packets counter and its bytes counter (the bytes one comes first). */
static inline void mvpn_stat_pkt(struct mvpn_peer *peer, enum mvpn_stat bytes, u64 len)
{
	struct mvpn_peer_stats *st = get_cpu_ptr(peer->stats);

	u64_stats_update_begin(&st->syncp);
	u64_stats_add(&st->v[bytes], len);
	u64_stats_inc(&st->v[bytes + 1]);
	u64_stats_update_end(&st->syncp);
	put_cpu_ptr(peer->stats);
}

/* The keepalive work of a device (keepalive.c). */
void mvpn_keepalive_work(struct work_struct *work);
void mvpn_keepalive_kick(struct mvpn_priv *priv);

#endif /* _MVPN_PEER_H_ */
