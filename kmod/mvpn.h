/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvpn-dco: per-device state shared by the module's files.
 *
 * Objects and who holds whom (arrows are counted references):
 *
 *   net_device (mvpn_priv) <-- peer --> key slots (crypto.c, RCU)
 *        ^                      |
 *        +------ mvpn_socket <--+        mvpn_socket --> struct sock
 *
 * A device lists its peers (P2P: one RCU pointer; MP: the peer table of
 * peer.c, by id and by VPN address); the list holds one
 * reference on each peer.  A peer holds the device, its keys and its
 * socket; the socket object holds the device and the struct sock (never the
 * file: userspace keeps the fd).  Every object is freed after an RCU grace
 * period in process context (mvpn_wq), so the data path may use whatever
 * it found under rcu_read_lock() and took a reference on.
 */
#ifndef _MVPN_H_
#define _MVPN_H_

#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/gro_cells.h>
#include <linux/mvpn_dco.h>

struct mvpn_peer;
struct mvpn_peers;

/**
 * struct mvpn_ordq - packets of one direction in the order they must leave
 * @q: packets between "prepare" and "post" (io.c), in arrival order; their
 *     crypto runs on any CPU, the head leaves first once its crypto is done
 * @send_lock: held by the one CPU that posts packets off the head
 * @last_cpu: the CPU whose crypto worker got the last packet (round robin)
 * @post_cpu: packets are posted on this CPU only, so that they also reach
 *	      the next layer (UDP and the link's queues, or GRO) in order
 * @post_work: posts on @post_cpu for crypto that finished elsewhere
 * @tx: TX (post = send) or RX (post = checks, then up the stack)
 */
struct mvpn_ordq {
	struct sk_buff_head q;
	spinlock_t send_lock;	/* one poster at a time: packets leave in order */
	int last_cpu;
	int post_cpu;
	struct work_struct post_work;
	bool tx;
};

/**
 * struct mvpn_priv - private data of one mvpn-dco net_device
 * @dev: the device itself
 * @mode: P2P or MP, fixed at creation
 * @lock: protects writers of the peer set (@peer, @peers) and @dying;
 *	  also serializes carrier updates so the carrier always matches the state
 * @peer: P2P mode: the one peer, or NULL (readers: RCU)
 * @peers: MP mode: the peer table (peer.c), allocated with the device
 * @dying: set by dellink: no peer may be added any more
 * @keepalive_work: pings and expiry for every peer of the device
 * @gro_cells: hands decrypted packets to the stack (crypt_mode RX_GRO_CELLS)
 * @rx_napi: posts decrypted packets, in order, from whichever CPU finished
 *	     the head of @rx_order, into GRO and the stack
 * @tx_order: encrypted packets leave in this order (all peers of the device)
 * @rx_order: decrypted packets reach the stack in this order
 */
struct mvpn_priv {
	struct net_device *dev;
	enum mvpn_mode mode;
	spinlock_t lock;	/* writers of @peer and @dying; carrier updates */
	struct mvpn_peer __rcu *peer;
	struct mvpn_peers *peers;
	bool dying;
	struct delayed_work keepalive_work;
	struct gro_cells gro_cells;
	struct napi_struct rx_napi;
	struct mvpn_ordq tx_order;
	struct mvpn_ordq rx_order;
	/* DEV_OWN: the genl socket whose close deletes the device (0: none);
	 * written under RTNL by owner.c, read under RTNL.
	 */
	u32 owner_portid;
};

/* Live object counts (debugfs), so tests can prove everything was freed. */
struct mvpn_counts {
	atomic_t devices;
	atomic_t peers;
	atomic_t keys;
	atomic_t sockets;
};

extern struct mvpn_counts mvpn_counts;
extern struct workqueue_struct *mvpn_wq;
/* Test hook (debugfs tx_pktid_start): TX ids of new keys start after this. */
extern u32 mvpn_tx_pktid_start;
/* Test hook (debugfs mp_peers_max): MP devices take at most this many peers. */
extern u32 mvpn_mp_peers_max;

bool mvpn_dev_is_valid(const struct net_device *dev);
void mvpn_carrier_update(struct mvpn_priv *priv);

int mvpn_nl_register(void);
void mvpn_nl_unregister(void);

struct genl_info;

int mvpn_owner_register(void);
void mvpn_owner_unregister(void);
int mvpn_nl_dev_own_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _MVPN_H_ */
