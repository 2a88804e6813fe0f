/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvpn-dco: AEAD through the kernel crypto API, on skbs in place.
 *
 * One packet's crypto is described by a struct mvpn_crypto_ctx that lives
 * from "prepare" to "post" (io.c), reachable from skb->cb, so that a
 * transform completing asynchronously, or a crypto worker on another CPU,
 * finds everything it needs.
 */
#ifndef _MVPN_CRYPTO_AEAD_H_
#define _MVPN_CRYPTO_AEAD_H_

#include <crypto/aead.h>
#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <linux/mvpn_dco.h>

#include "bind.h"
#include "compat.h"
#include "proto.h"

struct mvpn_peer;
struct mvpn_key;

/**
 * struct mvpn_crypto_ctx - one packet between prepare and post
 * @node: in a crypto worker's queue (io.c)
 * @skb: the packet
 * @done: 0 while the crypto is pending; set (release) once @err is final
 * @err: the crypto's result
 * @encrypt: TX (true) or RX
 * @lib: the crypto runs on library calls, not the crypto API (no @req)
 * @peer: the peer (a reference)
 * @key: the key (a reference)
 * @pktid: the packet id (TX: assigned; RX: as read, unauthenticated)
 * @inner_len: TX: length of the inner packet
 * @ping: TX: this is a keepalive ping, not tunnel traffic
 * @src: RX: the sender's transport address (a float candidate)
 * @dst: RX: our address the packet was sent to
 * @iv: the nonce
 * @req: the AEAD request (memory after @sg)
 * @nsg: entries in @sg
 * @sg: AAD, payload pieces, tag
 */
struct mvpn_crypto_ctx {
	struct list_head node;
	struct sk_buff *skb;
	int done;
	int err;
	bool encrypt;
	bool lib;
	struct mvpn_peer *peer;
	struct mvpn_key *key;
	u32 pktid;
	u32 inner_len;
	bool ping;
	struct mvpn_sockaddr src;
	union mvpn_local_ip dst;
	u8 iv[MVPN_NONCE_SIZE];
	struct aead_request *req;
	unsigned int nsg;
	struct scatterlist sg[];
};

/* skb->cb while a packet is in the crypto stage. */
struct mvpn_skb_cb {
	struct mvpn_crypto_ctx *ctx;
};

static inline struct mvpn_skb_cb *mvpn_skb_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct mvpn_skb_cb) > sizeof(skb->cb));
	return (struct mvpn_skb_cb *)skb->cb;
}

struct crypto_aead *mvpn_aead_tfm_new(enum mvpn_cipher_alg alg, const u8 *key,
				      unsigned int len);

void mvpn_aead_lib_key(u32 *words, const u8 *key);

struct mvpn_crypto_ctx *mvpn_aead_ctx_new(struct mvpn_key *key, struct sk_buff *skb,
					  bool encrypt);
int mvpn_aead_encrypt(struct mvpn_crypto_ctx *ctx, struct sk_buff *skb,
		      crypto_completion_t done);
int mvpn_aead_decrypt(struct mvpn_crypto_ctx *ctx, struct sk_buff *skb,
		      crypto_completion_t done);

#endif /* _MVPN_CRYPTO_AEAD_H_ */
