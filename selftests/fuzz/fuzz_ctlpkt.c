// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz_ctlpkt: the control packet decoder under every wrapper, the
 * reliability layer behind it, and the key-method-2 / control-message /
 * key-file parsers.
 *
 * Input byte 0 selects the target (see enum target), the rest is the input.
 * The keys are fixed, public test patterns (identical to the ones
 * gen-corpus-ctlpkt.sh hands to OpenVPN to capture the seed corpus), so
 * real packets from the corpus get through the authentication and the
 * fuzzer can mutate what lies behind it.
 *
 * Oracles besides the sanitizers: a packet that opens must re-seal under
 * the peer's context and re-open to the same fields; parsed strings must
 * lie inside the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctlpkt.h"
#include "keymethod2.h"
#include "reliable.h"
#include "wrap.h"

enum target {
	T_NONE,
	T_AUTH_SHA1_SERVER,	/* tls-auth ta.key 0, opens client packets */
	T_AUTH_SHA1_CLIENT,	/* tls-auth ta.key 1, opens server packets */
	T_AUTH_SHA256_SERVER,
	T_CRYPT_SERVER,
	T_CRYPT_CLIENT,
	T_V2_SERVER,		/* server key: unwraps the WKc of V3 / WKC_V1 */
	T_V2_CLIENT,
	T_DYN_SERVER,
	T_DYN_CLIENT,
	T_KM2_CLIENT,		/* a client's key-method-2 message */
	T_KM2_SERVER,
	T_CTLMSG,		/* TLS plaintext: NUL-separated control messages */
	T_KEYFILES,
	T_NTARGETS,
};

static uint8_t key[WRAP_STATIC_KEY_LEN], srv[WRAP_V2_SERVER_KEY_LEN], kc[WRAP_V2_KC_LEN];
static uint8_t ekm[WRAP_STATIC_KEY_LEN], wkc[WRAP_V2_WKC_MAX];
static size_t wkc_len;
static struct rel rel;

static void init_keys(void)
{
	static const uint8_t meta[] = { WRAP_V2_META_USER, 'f', 'u', 'z', 'z' };
	long n;

	for (int i = 0; i < WRAP_STATIC_KEY_LEN; i++) {
		key[i] = (uint8_t)(i * 7 + 3);
		kc[i] = (uint8_t)(i * 13 + 7);
		ekm[i] = (uint8_t)(i * 3 + 1);
	}
	for (int i = 0; i < WRAP_V2_SERVER_KEY_LEN; i++)
		srv[i] = (uint8_t)(i * 11 + 5);
	n = wrap_v2_wrap_wkc(srv, kc, meta, sizeof(meta), wkc, sizeof(wkc));
	if (n < 0)
		abort();
	wkc_len = (size_t)n;
}

/* Context for a target and, for the round-trip oracle, its peer. */
static int make_ctx(enum target t, struct wrap_ctx *w, struct wrap_ctx *peer)
{
	struct wrap_params s, c;

	wrap_params_default(&s, WRAP_SERVER);
	wrap_params_default(&c, WRAP_CLIENT);
	switch (t) {
	case T_NONE:
		return wrap_init_none(w, &s) || wrap_init_none(peer, &c);
	case T_AUTH_SHA1_SERVER:
		return wrap_init_tls_auth(w, &s, key, WRAP_KEYDIR_NORMAL, "SHA1") ||
		       wrap_init_tls_auth(peer, &c, key, WRAP_KEYDIR_INVERSE, "SHA1");
	case T_AUTH_SHA1_CLIENT:
		return wrap_init_tls_auth(w, &c, key, WRAP_KEYDIR_INVERSE, "SHA1") ||
		       wrap_init_tls_auth(peer, &s, key, WRAP_KEYDIR_NORMAL, "SHA1");
	case T_AUTH_SHA256_SERVER:
		return wrap_init_tls_auth(w, &s, key, WRAP_KEYDIR_NORMAL, "SHA256") ||
		       wrap_init_tls_auth(peer, &c, key, WRAP_KEYDIR_INVERSE, "SHA256");
	case T_CRYPT_SERVER:
		return wrap_init_tls_crypt(w, &s, key) || wrap_init_tls_crypt(peer, &c, key);
	case T_CRYPT_CLIENT:
		return wrap_init_tls_crypt(w, &c, key) || wrap_init_tls_crypt(peer, &s, key);
	case T_V2_SERVER:
		return wrap_init_tls_crypt_v2_server(w, &s, srv) ||
		       wrap_init_tls_crypt_v2_client(peer, &c, kc, wkc, wkc_len);
	case T_V2_CLIENT:
		/* the peer is a server that already knows Kc: plain tls-crypt */
		return wrap_init_tls_crypt_v2_client(w, &c, kc, wkc, wkc_len) ||
		       wrap_init_tls_crypt(peer, &s, kc);
	case T_DYN_SERVER:
		return wrap_init_dynamic(w, &s, ekm, key) || wrap_init_dynamic(peer, &c, ekm, key);
	case T_DYN_CLIENT:
		return wrap_init_dynamic(w, &c, ekm, key) || wrap_init_dynamic(peer, &s, ekm, key);
	default:
		return -1;
	}
}

static bool same(const struct ctl_pkt *a, const struct ctl_pkt *b)
{
	return a->opcode == b->opcode && a->key_id == b->key_id && !memcmp(a->sid, b->sid, 8) &&
	       a->n_acks == b->n_acks && !memcmp(a->acks, b->acks, 4u * a->n_acks) &&
	       (!a->n_acks || !memcmp(a->peer_sid, b->peer_sid, 8)) && a->msg_id == b->msg_id &&
	       a->payload_len == b->payload_len &&
	       (!a->payload_len || !memcmp(a->payload, b->payload, a->payload_len));
}

static void fuzz_packet(enum target t, const uint8_t *d, size_t n)
{
	static uint8_t scratch[CTL_PACKET_MAX + WRAP_V2_WKC_MAX], scratch2[sizeof(scratch)];
	static uint8_t out[CTL_PACKET_MAX + WRAP_V2_WKC_MAX + 64];
	struct wrap_ctx w, peer;
	struct ctl_pkt p, q;
	const uint32_t now = 0x60000000;
	long len;
	int r;

	if (make_ctx(t, &w, &peer))
		abort();
	r = wrap_open(&w, d, n, now, scratch, sizeof(scratch), &p);
	if (r == 0) {
		struct rel_msg m;

		/* the payload lies inside the input or the scratch buffer */
		if (p.payload_len &&
		    !((p.payload >= d && p.payload + p.payload_len <= d + n) ||
		      (p.payload >= scratch && p.payload + p.payload_len <= scratch + sizeof(scratch))))
			abort();
		/* behind the wrapper: the reliability layer */
		rel_process_acks(&rel, p.acks, p.n_acks);
		if (ctl_opcode_is_reliable(p.opcode) &&
		    rel_receive(&rel, p.opcode, p.msg_id, p.payload, p.payload_len) < REL_OK &&
		    p.payload_len <= REL_PAYLOAD_MAX)
			abort();
		while (rel_peek(&rel, &m))
			rel_pop(&rel);
		/* round trip: the peer seals the same packet, a fresh w opens it.
		 * The v2 server's peer is a v2 client, which only appends a WKc to
		 * V3/WKC_V1 -- exactly what the server expects there. */
		len = wrap_seal(&peer, &p, now, out, sizeof(out));
		if (len > 0) {
			struct wrap_ctx w2, unused;

			if (make_ctx(t, &w2, &unused))
				abort();
			wrap_free(&unused);
			r = wrap_open(&w2, out, (size_t)len, now, scratch2, sizeof(scratch2), &q);
			if (r != 0 || !same(&p, &q))
				abort();
			wrap_free(&w2);
		}
	}
	wrap_free(&w);
	wrap_free(&peer);
}

static void fuzz_text(enum target t, const uint8_t *d, size_t n)
{
	switch (t) {
	case T_KM2_CLIENT:
	case T_KM2_SERVER: {
		struct km2_msg m;
		const struct km2_str *s[4] = { &m.options, &m.username, &m.password, &m.peer_info };

		if (km2_parse(d, n, t == T_KM2_CLIENT, &m) == 0) {
			for (int i = 0; i < 4; i++)
				if (s[i]->p && ((const uint8_t *)s[i]->p < d ||
						(const uint8_t *)s[i]->p + s[i]->len > d + n))
					abort();
			if (m.peer_info.p) {
				struct km2_str v;

				km2_peer_info_get(m.peer_info.p, m.peer_info.len, "IV_PROTO", &v);
			}
		}
		break;
	}
	case T_CTLMSG: {
		const char *msg;
		size_t off = 0, ml;

		while (ctlmsg_next(d, n, &off, &msg, &ml) == 1) {
			struct ctlmsg c;

			if (ctlmsg_parse(msg, ml, &c) == 0 && c.push_options.p &&
			    (c.push_options.p < msg || c.push_options.p + c.push_options.len > msg + ml))
				abort();
		}
		break;
	}
	case T_KEYFILES: {
		uint8_t k[WRAP_STATIC_KEY_LEN], s[WRAP_V2_SERVER_KEY_LEN], c[WRAP_V2_KC_LEN];
		uint8_t wk[WRAP_V2_WKC_MAX];
		size_t wl;
		char err[160];

		wrap_parse_static_key((const char *)d, n, k, err, sizeof(err));
		wrap_parse_v2_server_key((const char *)d, n, s, err, sizeof(err));
		if (wrap_parse_v2_client_key((const char *)d, n, c, wk, &wl, err, sizeof(err)) == 0 &&
		    (wl < WRAP_V2_WKC_MIN || wl > WRAP_V2_WKC_MAX))
			abort();
		break;
	}
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	enum target t;

	if (!ready) {
		init_keys();
		ready = true;
	}
	if (size < 1)
		return 0;
	t = (enum target)(data[0] % T_NTARGETS);
	if (rel_init(&rel, NULL))
		abort();
	if (t <= T_DYN_CLIENT)
		fuzz_packet(t, data + 1, size - 1);
	else
		fuzz_text(t, data + 1, size - 1);
	return 0;
}
