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

/**
 * mvpn_aead_ctx_new - make the skb's data writable and allocate its context
 * @key: the key whose transform will run
 * @skb: the packet, header in place (linear at least up to the payload)
 * @encrypt: which transform
 *
 * Return: a zeroed context with @req and @sg set up for the memory, or
 * ERR_PTR(-ENOMEM / what skb_cow_data() said).
 */
struct mvpn_crypto_ctx *mvpn_aead_ctx_new(struct mvpn_key *key, struct sk_buff *skb,
					  bool encrypt)
{
	struct crypto_aead *tfm = encrypt ? key->encrypt : key->decrypt;
	struct mvpn_crypto_ctx *ctx;
	struct sk_buff *trailer;
	size_t req_off, size;
	int nfrags;

	/* Private, writable data: a clone (TCP's retransmit queue!) is copied. */
	nfrags = skb_cow_data(skb, 0, &trailer);
	if (unlikely(nfrags < 0))
		return ERR_PTR(nfrags);
	if (mvpn_aead_is_lib(key)) {
		/* Linear but for a frag_list (IP reassembly): pull it in. */
		if (unlikely(skb_is_nonlinear(skb) && skb_linearize(skb)))
			return ERR_PTR(-ENOMEM);
		ctx = kmalloc(sizeof(*ctx), GFP_ATOMIC);
		if (unlikely(!ctx))
			return ERR_PTR(-ENOMEM);
		memset(ctx, 0, sizeof(*ctx));
		ctx->lib = true;
		return ctx;
	}

	req_off = ALIGN(struct_size(ctx, sg, nfrags + 2), CRYPTO_MINALIGN);
	size = req_off + sizeof(struct aead_request) + crypto_aead_reqsize(tfm);
	ctx = kmalloc(size, GFP_ATOMIC);
	if (unlikely(!ctx))
		return ERR_PTR(-ENOMEM);
	memset(ctx, 0, offsetof(struct mvpn_crypto_ctx, sg));
	ctx->nsg = nfrags + 2;
	ctx->req = (struct aead_request *)((u8 *)ctx + req_off);
	return ctx;
}

/* Map AAD, payload and tag of the packet into ctx->sg in AEAD order. */
static int mvpn_aead_map(struct mvpn_crypto_ctx *ctx, struct sk_buff *skb,
			 unsigned int payload_len)
{
	int n, m, t;

	sg_init_table(ctx->sg, ctx->nsg);
	n = skb_to_sgvec_nomark(skb, ctx->sg, 0, MVPN_V2_AAD_SIZE);
	if (unlikely(n < 1))
		return -EINVAL;
	m = skb_to_sgvec_nomark(skb, ctx->sg + n, MVPN_V2_CT_OFF, payload_len);
	if (unlikely(m < 1 || n + m >= ctx->nsg))
		return -EINVAL;
	t = skb_to_sgvec_nomark(skb, ctx->sg + n + m, MVPN_V2_TAG_OFF, MVPN_TAG_SIZE);
	if (unlikely(t < 1 || n + m + t > ctx->nsg))
		return -EINVAL;
	sg_mark_end(&ctx->sg[n + m + t - 1]);
	return 0;
}

/**
 * mvpn_aead_encrypt - encrypt a packet in place
 * @ctx: the context (ctx->key and ctx->pktid set; header written)
 * @skb: the packet: 8-byte header, 16 bytes for the tag, payload
 * @done: completion for an asynchronous transform; its data is @skb
 *
 * Return: 0 (done), -EINPROGRESS (@done will run), or an error.
 */
int mvpn_aead_encrypt(struct mvpn_crypto_ctx *ctx, struct sk_buff *skb,
		      crypto_completion_t done)
{
	unsigned int payload_len = skb->len - MVPN_V2_CT_OFF;
	struct mvpn_key *key = ctx->key;
	int err;

	mvpn_nonce(ctx->iv, ctx->pktid, key->nonce_tail_xmit);
	if (ctx->lib)
		return mvpn_chachapoly(key->chacha_xmit, ctx->iv, skb->data, payload_len, true);
	err = mvpn_aead_map(ctx, skb, payload_len);
	if (unlikely(err))
		return err;
	aead_request_set_tfm(ctx->req, key->encrypt);
	aead_request_set_callback(ctx->req, 0, done, skb);
	aead_request_set_crypt(ctx->req, ctx->sg, ctx->sg, payload_len, ctx->iv);
	aead_request_set_ad(ctx->req, MVPN_V2_AAD_SIZE);
	return crypto_aead_encrypt(ctx->req);
}

/**
 * mvpn_aead_decrypt - authenticate and decrypt a packet in place
 * @ctx: the context (ctx->key and ctx->pktid set)
 * @skb: the received packet, header and tag linear
 * @done: completion for an asynchronous transform; its data is @skb
 *
 * Return: 0, -EINPROGRESS, -EBADMSG (authentication failed), or an error.
 */
int mvpn_aead_decrypt(struct mvpn_crypto_ctx *ctx, struct sk_buff *skb,
		      crypto_completion_t done)
{
	unsigned int payload_len = skb->len - MVPN_V2_CT_OFF;
	struct mvpn_key *key = ctx->key;
	int err;

	mvpn_nonce(ctx->iv, ctx->pktid, key->nonce_tail_recv);
	if (ctx->lib)
		return mvpn_chachapoly(key->chacha_recv, ctx->iv, skb->data, payload_len, false);
	err = mvpn_aead_map(ctx, skb, payload_len);
	if (unlikely(err))
		return err;
	aead_request_set_tfm(ctx->req, key->decrypt);
	aead_request_set_callback(ctx->req, 0, done, skb);
	aead_request_set_crypt(ctx->req, ctx->sg, ctx->sg, payload_len + MVPN_TAG_SIZE,
			       ctx->iv);
	aead_request_set_ad(ctx->req, MVPN_V2_AAD_SIZE);
	return crypto_aead_decrypt(ctx->req);
}
