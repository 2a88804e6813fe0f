// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvpn-dco: AEAD encryption and decryption of data packets, in place.
 *
 * The packet is laid out as OpenVPN puts it on the wire (proto.h):
 *
 *   [op32 | packet id] [tag] [payload ...]
 *    \___ AAD (8) ___/ (16)
 *
 * while an AEAD transform wants AAD ‖ text ‖ tag.  The scatterlist simply
 * lists the three regions in the transform's order, so no byte moves:
 *
 *   sg: [skb 0..8) [skb 24..len) [skb 8..24)
 *
 * CHACHA20-POLY1305 skips the crypto API: the construction of RFC 8439
 * (section 2.8) runs on the ChaCha20 and Poly1305 library calls, over the
 * packet made linear, which saves the template's scatterlist walks and
 * request set-up on every packet.  The transforms are still allocated, so
 * that a key is refused exactly when the crypto API lacks the algorithm.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/algapi.h>
#include <crypto/chacha.h>
#include <crypto/poly1305.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <net/esp.h>

#include "crypto.h"
#include "crypto_aead.h"
#include "io.h"

/**
 * mvpn_aead_tfm_new - a keyed transform
 * @alg: MVPN_CIPHER_ALG_AES_GCM or MVPN_CIPHER_ALG_CHACHA20_POLY1305
 * @key: the key
 * @len: its length (checked by the caller against the algorithm)
 *
 * Return: the transform or ERR_PTR.
 */
struct crypto_aead *mvpn_aead_tfm_new(enum mvpn_cipher_alg alg, const u8 *key,
				      unsigned int len)
{
	const char *name;
	struct crypto_aead *tfm;
	int err;

	switch (alg) {
	case MVPN_CIPHER_ALG_AES_GCM:
		name = "gcm(aes)";
		break;
	case MVPN_CIPHER_ALG_CHACHA20_POLY1305:
		name = "rfc7539(chacha20,poly1305)";
		break;
	default:
		return ERR_PTR(-EINVAL);
	}
	tfm = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(tfm))
		return tfm;
	if (crypto_aead_ivsize(tfm) != MVPN_NONCE_SIZE) {
		err = -EINVAL;
		goto err_free;
	}
	err = crypto_aead_setkey(tfm, key, len);
	if (err)
		goto err_free;
	err = crypto_aead_setauthsize(tfm, MVPN_TAG_SIZE);
	if (err)
		goto err_free;
	return tfm;

err_free:
	crypto_free_aead(tfm);
	return ERR_PTR(err);
}

/**
 * mvpn_aead_lib_key - a CHACHA20-POLY1305 key as the library wants it
 * @words: MVPN_CHACHA_KEY_WORDS words out
 * @key: the 32-byte key
 */
void mvpn_aead_lib_key(u32 *words, const u8 *key)
{
	int i;

	for (i = 0; i < MVPN_CHACHA_KEY_WORDS; i++)
		words[i] = get_unaligned_le32(key + 4 * i);
}

static bool mvpn_aead_is_lib(const struct mvpn_key *key)
{
	return key->alg == MVPN_CIPHER_ALG_CHACHA20_POLY1305 &&
	       !(READ_ONCE(mvpn_crypt_mode) & MVPN_CRYPT_API_CHACHA);
}

/*
 * RFC 8439 AEAD on a linear packet laid out as in the header comment: the
 * 8-byte AAD at @pkt, the tag at MVPN_V2_TAG_OFF, @len bytes of text at
 * MVPN_V2_CT_OFF.  Encrypt: text and tag are written.  Decrypt: the tag
 * is checked first; the text is decrypted only when it matched.
 */
static int mvpn_chachapoly(const u32 *key, const u8 *nonce, u8 *pkt, unsigned int len,
			   bool encrypt)
{
	static const u8 zeros[POLY1305_BLOCK_SIZE];
	u8 *text = pkt + MVPN_V2_CT_OFF, *tag = pkt + MVPN_V2_TAG_OFF;
	u32 state[CHACHA_STATE_WORDS] __aligned(16);
	u8 block0[CHACHA_BLOCK_SIZE] = {};
	u8 iv[CHACHA_IV_SIZE], mac[POLY1305_DIGEST_SIZE];
	struct poly1305_desc_ctx poly;
	__le64 lens[2];
	int err = 0;

	/* Block 0 keys Poly1305; the text starts at block 1. */
	put_unaligned_le32(0, iv);
	memcpy(iv + 4, nonce, MVPN_NONCE_SIZE);
	chacha_init(state, key, iv);
	chacha20_crypt(state, block0, block0, sizeof(block0));
	poly1305_init(&poly, block0);

	poly1305_update(&poly, pkt, MVPN_V2_AAD_SIZE);
	poly1305_update(&poly, zeros, POLY1305_BLOCK_SIZE - MVPN_V2_AAD_SIZE);
	if (encrypt)
		chacha20_crypt(state, text, text, len);
	poly1305_update(&poly, text, len);
	if (len % POLY1305_BLOCK_SIZE)
		poly1305_update(&poly, zeros, POLY1305_BLOCK_SIZE - len % POLY1305_BLOCK_SIZE);
	lens[0] = cpu_to_le64(MVPN_V2_AAD_SIZE);
	lens[1] = cpu_to_le64(len);
	poly1305_update(&poly, (const u8 *)lens, sizeof(lens));
	poly1305_final(&poly, mac);

	if (encrypt)
		memcpy(tag, mac, MVPN_TAG_SIZE);
	else if (crypto_memneq(mac, tag, MVPN_TAG_SIZE))
		err = -EBADMSG;
	else
		chacha20_crypt(state, text, text, len);
	memzero_explicit(state, sizeof(state));
	memzero_explicit(block0, sizeof(block0));
	return err;
}

/*
 * The crypto API's request for a packet lives only while its transform
 * runs.  A synchronous transform (the usual case, AES-NI included) is done
 * when the call returns, so each CPU keeps one request's memory (a slot)
 * and reuses it packet after packet: no allocation.  A transform that goes
 * asynchronous (cryptd, when the FPU is busy) keeps the slot until it
 * completes, maybe on another CPU; meanwhile, and for a request too large
 * for a slot (a packet in very many pieces), the request is allocated.
 */
#define MVPN_REQ_SLOT_SIZE	2048

/**
 * struct mvpn_req_slot - one CPU's request memory
 * @buf: MVPN_REQ_SLOT_SIZE bytes
 * @busy: an asynchronous transform still uses @buf: only this CPU sets
 *	  it (BH disabled), the completion clears it (release)
 */
struct mvpn_req_slot {
	void *buf;
	u8 busy;
};

static struct mvpn_req_slot __percpu *mvpn_req_slots;

/**
 * mvpn_aead_init - the per-CPU request slots (module init)
 *
 * Return: 0 or -ENOMEM.
 */
int mvpn_aead_init(void)
{
	int cpu;

	mvpn_req_slots = alloc_percpu(struct mvpn_req_slot);
	if (!mvpn_req_slots)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct mvpn_req_slot *slot = per_cpu_ptr(mvpn_req_slots, cpu);

		slot->buf = kmalloc_node(MVPN_REQ_SLOT_SIZE, GFP_KERNEL, cpu_to_node(cpu));
		if (!slot->buf) {
			mvpn_aead_exit();
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * mvpn_aead_exit - free the slots (module exit: no packet is in flight)
 */
void mvpn_aead_exit(void)
{
	int cpu;

	if (!mvpn_req_slots)
		return;
	for_each_possible_cpu(cpu) {
		struct mvpn_req_slot *slot = per_cpu_ptr(mvpn_req_slots, cpu);

		WARN_ON(slot->busy);
		kfree(slot->buf);
	}
	free_percpu(mvpn_req_slots);
	mvpn_req_slots = NULL;
}

/* A request for @tfm with @nsg scatterlist entries (BH disabled), or NULL. */
static struct mvpn_crypto_req *mvpn_req_get(struct crypto_aead *tfm, unsigned int nsg)
{
	struct mvpn_req_slot *slot = this_cpu_ptr(mvpn_req_slots);
	struct mvpn_crypto_req *areq;
	size_t req_off, size;

	req_off = ALIGN(struct_size(areq, sg, nsg), CRYPTO_MINALIGN);
	size = req_off + sizeof(struct aead_request) + crypto_aead_reqsize(tfm);
	/* Acquire: the completion that cleared busy is done with the memory. */
	if (likely(size <= MVPN_REQ_SLOT_SIZE && !smp_load_acquire(&slot->busy))) {
		WRITE_ONCE(slot->busy, 1);
		areq = slot->buf;
		areq->slot = slot;
	} else {
		areq = kmalloc(size, GFP_ATOMIC);
		if (unlikely(!areq))
			return NULL;
		areq->slot = NULL;
	}
	areq->nsg = nsg;
	areq->req = (struct aead_request *)((u8 *)areq + req_off);
	return areq;
}

/**
 * mvpn_aead_release - the packet's transform is over: give back its request
 * @skb: the packet (nothing to do on the library path)
 *
 * Called when the transform returned, or from its asynchronous completion.
 */
void mvpn_aead_release(struct sk_buff *skb)
{
	struct mvpn_skb_cb *cb = mvpn_skb_cb(skb);
	struct mvpn_crypto_req *areq = cb->areq;

	if (!areq)
		return;
	cb->areq = NULL;
	if (!areq->slot) {
		kfree(areq);
		return;
	}
	/* Release: pairs with the acquire in mvpn_req_get(). */
	smp_store_release(&areq->slot->busy, 0);
}

/**
 * mvpn_aead_prepare - make the skb's data writable for its crypto
 * @key: the key whose transform will run
 * @skb: the packet, header in place (linear at least up to the payload)
 * @encrypt: which transform
 *
 * Notes in the skb's mvpn_skb_cb() how many scatterlist entries the crypto
 * API will need; the library path is made linear instead.  Allocates
 * nothing.
 *
 * Return: 0, or -ENOMEM / -EMSGSIZE / what skb_cow_data() said.
 */
int mvpn_aead_prepare(struct mvpn_key *key, struct sk_buff *skb, bool encrypt)
{
	struct mvpn_skb_cb *cb = mvpn_skb_cb(skb);
	struct sk_buff *trailer;
	int nfrags;

	cb->areq = NULL;
	cb->nsg = 0;	/* the library path */
	/* Private, writable data: a clone (TCP's retransmit queue!) is copied. */
	nfrags = skb_cow_data(skb, 0, &trailer);
	if (unlikely(nfrags < 0))
		return nfrags;
	if (mvpn_aead_is_lib(key)) {
		/* Linear but for a frag_list (IP reassembly): pull it in. */
		if (unlikely(skb_is_nonlinear(skb) && skb_linearize(skb)))
			return -ENOMEM;
		return 0;
	}
	if (unlikely(nfrags + 2 > U16_MAX))
		return -EMSGSIZE;
	cb->nsg = nfrags + 2;
	return 0;
}

/* Map AAD, payload and tag of the packet into areq->sg in AEAD order. */
static int mvpn_aead_map(struct mvpn_crypto_req *areq, struct sk_buff *skb,
			 unsigned int payload_len)
{
	int n, m, t;

	sg_init_table(areq->sg, areq->nsg);
	n = skb_to_sgvec_nomark(skb, areq->sg, 0, MVPN_V2_AAD_SIZE);
	if (unlikely(n < 1))
		return -EINVAL;
	m = skb_to_sgvec_nomark(skb, areq->sg + n, MVPN_V2_CT_OFF, payload_len);
	if (unlikely(m < 1 || n + m >= areq->nsg))
		return -EINVAL;
	t = skb_to_sgvec_nomark(skb, areq->sg + n + m, MVPN_V2_TAG_OFF, MVPN_TAG_SIZE);
	if (unlikely(t < 1 || n + m + t > areq->nsg))
		return -EINVAL;
	sg_mark_end(&areq->sg[n + m + t - 1]);
	return 0;
}

/**
 * mvpn_aead_encrypt - encrypt a packet in place
 * @skb: the prepared packet: 8-byte header (written), 16 bytes for the
 *	 tag, payload; its mvpn_skb_cb() has the key
 * @done: completion for an asynchronous transform; its data is @skb
 *
 * Return: 0 (done), -EINPROGRESS (@done will run), or an error.
 */
int mvpn_aead_encrypt(struct sk_buff *skb, crypto_completion_t done)
{
	unsigned int payload_len = skb->len - MVPN_V2_CT_OFF;
	struct mvpn_skb_cb *cb = mvpn_skb_cb(skb);
	struct mvpn_key *key = cb->key;
	struct mvpn_crypto_req *areq;
	u8 iv[MVPN_NONCE_SIZE];
	int err;

	if (!cb->nsg) {
		mvpn_nonce(iv, mvpn_skb_pktid(skb), key->nonce_tail_xmit);
		return mvpn_chachapoly(key->chacha_xmit, iv, skb->data, payload_len, true);
	}
	areq = mvpn_req_get(key->encrypt, cb->nsg);
	if (unlikely(!areq))
		return -ENOMEM;
	cb->areq = areq;
	mvpn_nonce(areq->iv, mvpn_skb_pktid(skb), key->nonce_tail_xmit);
	err = mvpn_aead_map(areq, skb, payload_len);
	if (likely(!err)) {
		aead_request_set_tfm(areq->req, key->encrypt);
		aead_request_set_callback(areq->req, 0, done, skb);
		aead_request_set_crypt(areq->req, areq->sg, areq->sg, payload_len, areq->iv);
		aead_request_set_ad(areq->req, MVPN_V2_AAD_SIZE);
		err = crypto_aead_encrypt(areq->req);
	}
	if (err != -EINPROGRESS)
		mvpn_aead_release(skb);
	return err;
}

/**
 * mvpn_aead_decrypt - authenticate and decrypt a packet in place
 * @skb: the prepared packet, header and tag linear; its mvpn_skb_cb()
 *	 has the key
 * @done: completion for an asynchronous transform; its data is @skb
 *
 * Return: 0, -EINPROGRESS, -EBADMSG (authentication failed), or an error.
 */
int mvpn_aead_decrypt(struct sk_buff *skb, crypto_completion_t done)
{
	unsigned int payload_len = skb->len - MVPN_V2_CT_OFF;
	struct mvpn_skb_cb *cb = mvpn_skb_cb(skb);
	struct mvpn_key *key = cb->key;
	struct mvpn_crypto_req *areq;
	u8 iv[MVPN_NONCE_SIZE];
	int err;

	if (!cb->nsg) {
		mvpn_nonce(iv, mvpn_skb_pktid(skb), key->nonce_tail_recv);
		return mvpn_chachapoly(key->chacha_recv, iv, skb->data, payload_len, false);
	}
	areq = mvpn_req_get(key->decrypt, cb->nsg);
	if (unlikely(!areq))
		return -ENOMEM;
	cb->areq = areq;
	mvpn_nonce(areq->iv, mvpn_skb_pktid(skb), key->nonce_tail_recv);
	err = mvpn_aead_map(areq, skb, payload_len);
	if (likely(!err)) {
		aead_request_set_tfm(areq->req, key->decrypt);
		aead_request_set_callback(areq->req, 0, done, skb);
		aead_request_set_crypt(areq->req, areq->sg, areq->sg,
				       payload_len + MVPN_TAG_SIZE, areq->iv);
		aead_request_set_ad(areq->req, MVPN_V2_AAD_SIZE);
		err = crypto_aead_decrypt(areq->req);
	}
	if (err != -EINPROGRESS)
		mvpn_aead_release(skb);
	return err;
}
