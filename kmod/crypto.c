// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvpn-dco: key slots (see crypto.h for the model).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/aead.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "crypto.h"
#include "crypto_aead.h"
#include "mvpn.h"

void mvpn_crypto_state_init(struct mvpn_crypto_state *cs)
{
	RCU_INIT_POINTER(cs->slots[0], NULL);
	RCU_INIT_POINTER(cs->slots[1], NULL);
	cs->primary = 0;
	spin_lock_init(&cs->lock);
}

static void mvpn_key_free_work(struct work_struct *work)
{
	struct mvpn_key *key = container_of(to_rcu_work(work), struct mvpn_key, free_rwork);

	if (!IS_ERR_OR_NULL(key->encrypt))
		crypto_free_aead(key->encrypt);
	if (!IS_ERR_OR_NULL(key->decrypt))
		crypto_free_aead(key->decrypt);
	/* The transforms wiped their key schedules; wipe our nonce tails too. */
	kfree_sensitive(key);
	atomic_dec(&mvpn_counts.keys);
}

static void mvpn_key_release(struct kref *kref)
{
	struct mvpn_key *key = container_of(kref, struct mvpn_key, refcount);

	/*
	 * Readers may still have found this key under RCU and be about to
	 * take a reference (which fails from now on); free it only after a
	 * grace period, and in process context (freeing a transform may
	 * need it).
	 */
	INIT_RCU_WORK(&key->free_rwork, mvpn_key_free_work);
	queue_rcu_work(mvpn_wq, &key->free_rwork);
}

void mvpn_key_put(struct mvpn_key *key)
{
	if (key)
		kref_put(&key->refcount, mvpn_key_release);
}

/**
 * mvpn_key_new - build a key from a validated configuration
 * @kc: the configuration
 *
 * Return: the key with one reference, or ERR_PTR (-ENOMEM, or what the
 * crypto API said: -ENOENT when the algorithm is not available).
 */
struct mvpn_key *mvpn_key_new(const struct mvpn_key_config *kc)
{
	size_t size = offsetof(struct mvpn_key, pid_recv) +
		      mvpn_pktid_recv_size(kc->replay_window);
	struct mvpn_key *key;
	int err;

	key = kzalloc(size, GFP_KERNEL);
	if (!key)
		return ERR_PTR(-ENOMEM);
	atomic_inc(&mvpn_counts.keys);
	kref_init(&key->refcount);
	key->key_id = kc->key_id;
	key->alg = kc->alg;
	key->key_len = kc->key_len;
	memcpy(key->nonce_tail_xmit, kc->enc_tail, MVPN_NONCE_TAIL_SIZE);
	memcpy(key->nonce_tail_recv, kc->dec_tail, MVPN_NONCE_TAIL_SIZE);
	spin_lock_init(&key->replay_lock);
	mvpn_pktid_xmit_init(&key->pid_xmit, READ_ONCE(mvpn_tx_pktid_start));
	mvpn_pktid_recv_init(&key->pid_recv, kc->replay_window, MVPN_PKTID_RECV_TIME,
			     ktime_get_seconds());

	key->encrypt = mvpn_aead_tfm_new(kc->alg, kc->enc_key, kc->key_len);
	if (IS_ERR(key->encrypt)) {
		err = PTR_ERR(key->encrypt);
		goto err_free;
	}
	key->decrypt = mvpn_aead_tfm_new(kc->alg, kc->dec_key, kc->key_len);
	if (IS_ERR(key->decrypt)) {
		err = PTR_ERR(key->decrypt);
		goto err_free;
	}
	if (kc->alg == MVPN_CIPHER_ALG_CHACHA20_POLY1305) {
		mvpn_aead_lib_key(key->chacha_xmit, kc->enc_key);
		mvpn_aead_lib_key(key->chacha_recv, kc->dec_key);
	}
	return key;

err_free:
	/* Nobody else can see the key yet: free it right away. */
	if (!IS_ERR(key->encrypt))
		crypto_free_aead(key->encrypt);
	kfree_sensitive(key);
	atomic_dec(&mvpn_counts.keys);
	return ERR_PTR(err);
}

static u8 mvpn_slot_index(struct mvpn_crypto_state *cs, enum mvpn_key_slot slot)
{
	u8 primary = READ_ONCE(cs->primary);

	return slot == MVPN_KEY_SLOT_PRIMARY ? primary : !primary;
}

/**
 * mvpn_crypto_key_install - put a key into a slot, replacing what was there
 * @cs: the peer's key state
 * @slot: primary or secondary
 * @key: the key; the slot takes over the caller's reference on success
 *
 * Return: 0, or -EEXIST when the other slot holds the same key id (RX could
 * not tell them apart).
 */
int mvpn_crypto_key_install(struct mvpn_crypto_state *cs, enum mvpn_key_slot slot,
			    struct mvpn_key *key)
{
	struct mvpn_key *old, *other;
	u8 idx;

	spin_lock_bh(&cs->lock);
	idx = mvpn_slot_index(cs, slot);
	other = rcu_dereference_protected(cs->slots[!idx], lockdep_is_held(&cs->lock));
	if (other && other->key_id == key->key_id) {
		spin_unlock_bh(&cs->lock);
		return -EEXIST;
	}
	old = rcu_replace_pointer(cs->slots[idx], key, lockdep_is_held(&cs->lock));
	spin_unlock_bh(&cs->lock);
	mvpn_key_put(old);
	return 0;
}

/* Empty a slot.  Return: 0, or -ENOENT when it was empty. */
int mvpn_crypto_key_del(struct mvpn_crypto_state *cs, enum mvpn_key_slot slot)
{
	struct mvpn_key *old;

	spin_lock_bh(&cs->lock);
	old = rcu_replace_pointer(cs->slots[mvpn_slot_index(cs, slot)], NULL,
				  lockdep_is_held(&cs->lock));
	spin_unlock_bh(&cs->lock);
	if (!old)
		return -ENOENT;
	mvpn_key_put(old);
	return 0;
}

/* Primary and secondary change places: one store, atomic for readers. */
void mvpn_crypto_key_swap(struct mvpn_crypto_state *cs)
{
	spin_lock_bh(&cs->lock);
	WRITE_ONCE(cs->primary, !cs->primary);
	spin_unlock_bh(&cs->lock);
}

/* Drop both slots (the peer is going away). */
void mvpn_crypto_state_release(struct mvpn_crypto_state *cs)
{
	struct mvpn_key *k0, *k1;

	spin_lock_bh(&cs->lock);
	k0 = rcu_replace_pointer(cs->slots[0], NULL, lockdep_is_held(&cs->lock));
	k1 = rcu_replace_pointer(cs->slots[1], NULL, lockdep_is_held(&cs->lock));
	spin_unlock_bh(&cs->lock);
	mvpn_key_put(k0);
	mvpn_key_put(k1);
}

/* Non-secret facts about a slot.  Return: 0 or -ENOENT (empty slot). */
int mvpn_crypto_key_info(struct mvpn_crypto_state *cs, enum mvpn_key_slot slot,
			 struct mvpn_key_info *info)
{
	struct mvpn_key *key;
	int err = -ENOENT;

	rcu_read_lock();
	key = rcu_dereference(cs->slots[mvpn_slot_index(cs, slot)]);
	if (key) {
		info->key_id = key->key_id;
		info->alg = key->alg;
		info->key_len = key->key_len;
		info->tx_pktid = mvpn_pktid_xmit_last(&key->pid_xmit);
		err = 0;
	}
	rcu_read_unlock();
	return err;
}

bool mvpn_crypto_has_primary(struct mvpn_crypto_state *cs)
{
	bool ret;

	rcu_read_lock();
	ret = !!rcu_dereference(cs->slots[mvpn_slot_index(cs, MVPN_KEY_SLOT_PRIMARY)]);
	rcu_read_unlock();
	return ret;
}

static struct mvpn_key *mvpn_key_hold(struct mvpn_key *key)
{
	if (key && kref_get_unless_zero(&key->refcount))
		return key;
	return NULL;
}

/* The TX key, with a reference, or NULL. */
struct mvpn_key *mvpn_crypto_key_primary(struct mvpn_crypto_state *cs)
{
	u8 idx = mvpn_slot_index(cs, MVPN_KEY_SLOT_PRIMARY);
	struct mvpn_key *key;

	rcu_read_lock();
	key = mvpn_key_hold(rcu_dereference(cs->slots[idx]));
	rcu_read_unlock();
	return key;
}

/*
 * The key for a received packet's key id, with a reference, or NULL;
 * *any_key tells the two misses apart (no key at all / unknown key id).
 */
struct mvpn_key *mvpn_crypto_key_by_id(struct mvpn_crypto_state *cs, u8 key_id,
				       bool *any_key)
{
	struct mvpn_key *k0, *k1, *key = NULL;

	rcu_read_lock();
	k0 = rcu_dereference(cs->slots[0]);
	k1 = rcu_dereference(cs->slots[1]);
	*any_key = k0 || k1;
	if (k0 && k0->key_id == key_id)
		key = mvpn_key_hold(k0);
	else if (k1 && k1->key_id == key_id)
		key = mvpn_key_hold(k1);
	rcu_read_unlock();
	return key;
}
