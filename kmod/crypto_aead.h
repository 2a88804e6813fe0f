/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvpn-dco: AEAD on skbs in place (the crypto API, or the ChaCha20 and
 * Poly1305 library calls).  A packet's state from "prepare" to "post"
 * (io.c) is in its skb->cb: struct mvpn_skb_cb.
 */
#ifndef _MVPN_CRYPTO_AEAD_H_
#define _MVPN_CRYPTO_AEAD_H_

#include <crypto/aead.h>
#include <linux/llist.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <linux/mvpn_dco.h>

#include "compat.h"
#include "proto.h"

struct mvpn_peer;
struct mvpn_key;

struct mvpn_req_slot;

/**
 * struct mvpn_crypto_req - what the crypto API needs for one packet while
 * its transform runs (the library path for CHACHA20-POLY1305 needs none)
 * @iv: the nonce (read by an asynchronous transform until it completes)
 * @req: the AEAD request (memory after @sg)
 * @slot: the CPU's slot this lives in, or NULL when it was allocated
 * @nsg: entries in @sg
 * @sg: AAD, payload pieces, tag
 */
struct mvpn_crypto_req {
	u8 iv[MVPN_NONCE_SIZE];
	struct aead_request *req;
	struct mvpn_req_slot *slot;
	unsigned int nsg;
	struct scatterlist sg[];
};

/**
 * struct mvpn_skb_cb - one packet between prepare and post, in skb->cb
 *
 * Everything the crypto stage and post need travels with the skb, so
 * that a transform completing asynchronously, or a crypto worker on
 * another CPU, finds it, and the library path allocates nothing per
 * packet.  What fits in the packet itself is read back from it: the
 * packet id from the header, the sender's transport address (RX) from
 * the outer IP and UDP headers, still in front of skb->data.
 *
 * @node: in a crypto worker's list (io.c)
 * @peer: the peer (a reference)
 * @key: the key (a reference)
 * @areq: the crypto API's request while its transform runs, else NULL
 * @err: the crypto's result
 * @done: 0 while the crypto is pending; set (release) once @err is final
 * @encrypt: TX (true) or RX
 * @ping: TX: this is a keepalive ping, not tunnel traffic
 * @nsg: scatterlist entries the crypto API needs for the packet; 0 on the
 *	  library path (decided once, at prepare)
 */
struct mvpn_skb_cb {
	struct llist_node node;
	struct mvpn_peer *peer;
	struct mvpn_key *key;
	struct mvpn_crypto_req *areq;
	int err;
	u8 done;
	bool encrypt;
	bool ping;
	u16 nsg;
};

static inline struct mvpn_skb_cb *mvpn_skb_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct mvpn_skb_cb) > sizeof(skb->cb));
	return (struct mvpn_skb_cb *)skb->cb;
}

/* The packet id in the header of a prepared packet (skb->data at the opcode). */
static inline u32 mvpn_skb_pktid(const struct sk_buff *skb)
{
	return get_unaligned_be32(skb->data + MVPN_V2_PKTID_OFF);
}

static inline struct sk_buff *mvpn_cb_skb(struct mvpn_skb_cb *cb)
{
	return container_of((void *)cb, struct sk_buff, cb);
}

struct crypto_aead *mvpn_aead_tfm_new(enum mvpn_cipher_alg alg, const u8 *key,
				      unsigned int len);

void mvpn_aead_lib_key(u32 *words, const u8 *key);

int mvpn_aead_init(void);
void mvpn_aead_exit(void);
void mvpn_aead_release(struct sk_buff *skb);

int mvpn_aead_prepare(struct mvpn_key *key, struct sk_buff *skb, bool encrypt);
int mvpn_aead_encrypt(struct sk_buff *skb, crypto_completion_t done);
int mvpn_aead_decrypt(struct sk_buff *skb, crypto_completion_t done);

#endif /* _MVPN_CRYPTO_AEAD_H_ */
