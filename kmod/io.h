/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvpn-dco: the packet pipeline.
 *
 * TX  ndo_start_xmit -> peer -> GSO segments -> for each:
 *       prepare  (key, packet id, headroom, header)      mvpn_xmit_one()
 *       crypto   (encrypt in place, maybe async)         crypto_aead.c
 *       post     (counters, UDP send)                    mvpn_encrypt_post()
 *
 * RX  UDP encap_rcv -> peer (udp.c) ->
 *       prepare  (length, key by key id)                 mvpn_recv()
 *       crypto   (authenticate and decrypt in place)     crypto_aead.c
 *       post     (replay check, float, keepalive stamp,  mvpn_decrypt_post()
 *                 ping, inner IP check, GRO cells)
 *
 * The three stages only share what is in the packet: its skb->cb (struct
 * mvpn_skb_cb) and its headers.
 * Between prepare and crypto, a packet joins its device's order queue
 * (struct mvpn_ordq, TX or RX) and goes to the crypto worker of the next
 * online CPU; post takes packets off the head of the order queue, in
 * arrival order, once their crypto is done (io.c).
 */
#ifndef _MVPN_IO_H_
#define _MVPN_IO_H_

#include <linux/netdevice.h>

#include "bind.h"
#include "proto.h"

struct mvpn_ordq;
struct mvpn_peer;

/* Headroom a packet needs in front of the inner packet to leave the host. */
#define MVPN_TX_HEADROOM	(LL_MAX_HEADER + MVPN_LINK_OVERHEAD_MAX)

/*
 * debugfs crypt_mode: how the crypto stage runs (bits).  Default: the
 * workers with more than one CPU online at load time, else 0 (inline).
 */
#define MVPN_CRYPT_WORKERS	1	/* on per-CPU workers, not in the caller */
#define MVPN_CRYPT_API_CHACHA	2	/* CHACHA20-POLY1305 through the crypto API */
#define MVPN_CRYPT_POST_PINNED	4	/* post on post_cpu only (always with workers) */
#define MVPN_CRYPT_RX_WORKERS	8	/* RX only on the workers, TX inline */
#define MVPN_CRYPT_RX_CSUM_TRUSTED 16	/* decrypted packets CHECKSUM_UNNECESSARY */
#define MVPN_CRYPT_RX_GRO_CELLS	32	/* RX post as TX (pinned, GRO cells), not NAPI */
extern u32 mvpn_crypt_mode;
/* Packets one order queue holds at most (debugfs ordq_max lowers it). */
#define MVPN_ORDQ_MAX		2048
extern u32 mvpn_ordq_max;
/* Packets whose transform completed asynchronously (debugfs crypto_async). */
extern atomic_t mvpn_crypto_async;
int mvpn_io_init(void);
void mvpn_io_exit(void);
void mvpn_ordq_init(struct mvpn_ordq *oq, bool tx);
void mvpn_ordq_destroy(struct mvpn_ordq *oq);
int mvpn_rx_poll(struct napi_struct *napi, int budget);

netdev_tx_t mvpn_net_xmit(struct sk_buff *skb, struct net_device *dev);
void mvpn_xmit_ping(struct mvpn_peer *peer);
void mvpn_recv(struct mvpn_peer *peer, struct sk_buff *skb);

#endif /* _MVPN_IO_H_ */
