/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvpn-dco: a peer's keys -- two slots, primary and secondary.
 *
 * TX always uses the primary; RX picks whichever slot holds the packet's
 * key id.  Readers (the data path) find keys under rcu_read_lock() and take
 * a reference.  Writers (netlink) serialize on mvpn_crypto_state.lock.
 *
 * The swap is atomic for readers by construction: the two slot pointers
 * never move, only the index of the primary flips (one WRITE_ONCE).  A TX
 * reader sees the old or the new primary, both valid keys; RX does not
 * care which slot is called primary.
 */
#ifndef _MVPN_CRYPTO_H_
#define _MVPN_CRYPTO_H_

#include <linux/kref.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/mvpn_dco.h>

#include "pktid.h"
#include "proto.h"

/* 32-bit words of a ChaCha20 key. */
#define MVPN_CHACHA_KEY_WORDS	8

/**
 * struct mvpn_key_config - a validated KEY_NEW request
 * @alg: MVPN_CIPHER_ALG_AES_GCM or MVPN_CIPHER_ALG_CHACHA20_POLY1305
 * @key_id: 0..7
 * @key_len: bytes of each cipher key (16, 24 or 32)
 * @enc_key: key we encrypt with
 * @dec_key: key the peer encrypts with
 * @enc_tail: nonce tail of what we send
 * @dec_tail: nonce tail of what the peer sends
 * @replay_window: RX window size for this key
 */
struct mvpn_key_config {
	enum mvpn_cipher_alg alg;
	u8 key_id;
	u8 key_len;
	u8 enc_key[MVPN_CIPHER_KEY_MAX];
	u8 dec_key[MVPN_CIPHER_KEY_MAX];
	u8 enc_tail[MVPN_NONCE_TAIL_SIZE];
	u8 dec_tail[MVPN_NONCE_TAIL_SIZE];
	u32 replay_window;
};

/**
 * struct mvpn_key - one installed key (the contents of a slot)
 * @key_id: the key id on the wire
 * @alg: enum mvpn_cipher_alg
 * @key_len: cipher key bytes
 * @nonce_tail_xmit: nonce tail of packets we send
 * @nonce_tail_recv: nonce tail of packets we receive
 * @encrypt: AEAD transform for TX
 * @decrypt: AEAD transform for RX
 * @chacha_xmit: CHACHA20-POLY1305: the TX key as the library wants it
 * @chacha_recv: CHACHA20-POLY1305: the RX key as the library wants it
 * @refcount: slot's reference plus one per packet in flight
 * @free_rwork: frees the key after a grace period, in process context
 * @pid_xmit: TX packet ids (touched by every sender)
 * @replay_lock: serializes @pid_recv updates (RX on several CPUs)
 * @pid_recv: RX replay window; a flexible structure, so it stays last
 */
struct mvpn_key {
	u8 key_id;
	u8 alg;
	u8 key_len;
	u8 nonce_tail_xmit[MVPN_NONCE_TAIL_SIZE];
	u8 nonce_tail_recv[MVPN_NONCE_TAIL_SIZE];
	struct crypto_aead *encrypt;
	struct crypto_aead *decrypt;
	u32 chacha_xmit[MVPN_CHACHA_KEY_WORDS];
	u32 chacha_recv[MVPN_CHACHA_KEY_WORDS];
	struct kref refcount;
	struct rcu_work free_rwork;

	struct mvpn_pktid_xmit pid_xmit ____cacheline_aligned_in_smp;

	spinlock_t replay_lock ____cacheline_aligned_in_smp;
	struct mvpn_pktid_recv pid_recv;
};

/**
 * struct mvpn_crypto_state - a peer's two key slots
 * @slots: the keys, indexed physically (not by primary/secondary)
 * @primary: index of the primary slot in @slots
 * @lock: serializes writers (install, delete, swap)
 */
struct mvpn_crypto_state {
	struct mvpn_key __rcu *slots[2];
	u8 primary;
	spinlock_t lock;	/* serializes writers of @slots and @primary */
};

/* What KEY_GET may say about a slot: no secrets. */
struct mvpn_key_info {
	u8 key_id;
	u8 alg;
	u8 key_len;
	u32 tx_pktid;
};

void mvpn_crypto_state_init(struct mvpn_crypto_state *cs);
void mvpn_crypto_state_release(struct mvpn_crypto_state *cs);

struct mvpn_key *mvpn_key_new(const struct mvpn_key_config *kc);
void mvpn_key_put(struct mvpn_key *key);

int mvpn_crypto_key_install(struct mvpn_crypto_state *cs, enum mvpn_key_slot slot,
			    struct mvpn_key *key);
int mvpn_crypto_key_del(struct mvpn_crypto_state *cs, enum mvpn_key_slot slot);
void mvpn_crypto_key_swap(struct mvpn_crypto_state *cs);
int mvpn_crypto_key_info(struct mvpn_crypto_state *cs, enum mvpn_key_slot slot,
			 struct mvpn_key_info *info);
bool mvpn_crypto_has_primary(struct mvpn_crypto_state *cs);

struct mvpn_key *mvpn_crypto_key_primary(struct mvpn_crypto_state *cs);
struct mvpn_key *mvpn_crypto_key_by_id(struct mvpn_crypto_state *cs, u8 key_id,
				       bool *any_key);

#endif /* _MVPN_CRYPTO_H_ */
