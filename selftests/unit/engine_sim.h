/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * engine_sim.h: an in-memory world for the client engine (engine.h): a
 * simulated clock, a lossy datagram link, and an OpenVPN 2.6-style UDP
 * server built from mvpn's own pieces (wrap.h in the server role, ctlpkt.h,
 * reliable.h, keymethod2.h, tls.h with tls_params.server, kdf.h).  No
 * socket, no sleep: time only moves when sim_run() advances it to the next
 * thing that is due.  Shared by selftests/unit/test_engine.c and
 * selftests/fuzz/fuzz_engine.c.
 *
 *   engine ──ACT_SEND──► c2s link (loss, dup, jitter) ──► sim server
 *   engine ◄─EV_LINK_PACKET── s2c link ◄──────────────── sim server
 *   ACT_CONNECT ─► EV_LINK_UP 5 ms later; ACT_DISCONNECT drops what is on its
 *   way to the client (packets already sent still reach the server).
 *
 * The server follows the 2.6 UDP rules of openvpn-protocol.md:
 *  - §3.7 stateless reset: every HARD_RESET_CLIENT_V2/V3 is answered with a
 *    HARD_RESET_SERVER_V2 (ack [0], msg-id 0, replay-id 1, own sid = a
 *    cookie computed from the client sid) from a throw-away wrapper; the
 *    session is created by the client's third packet (ACK block for the
 *    cookie, acks <= 1, msg-id <= 1) with both msg-id counters and the
 *    wrapper's TX replay-id at 1 (upstream session_skip_to_pre_start);
 *  - tls-crypt-v2: a client whose first replay-id is 0x0F000001 gets the
 *    EARLY_NEG_FLAGS TLV with RESEND_WKC, and the session wrapper starts
 *    without Kc, so only the client's P_CONTROL_WKC_V1 (msg-id 1) can
 *    create the session;
 *  - key-method 2 after TLS (§6), PUSH_REPLY on PUSH_REQUEST with
 *    peer-id / cipher / protocol-flags picked from the client's IV_PROTO
 *    (§10.1), optional push-continuation parts (§9);
 *  - data keys derived on the server side (EKM from its own TLS session, or
 *    the PRF from its view of both key-method-2 messages), recorded per
 *    generation in srv.hist[] for the tests to compare with ACT_KEY_INSTALL;
 *  - dynamic tls-crypt for key_id > 0 (§3.8), soft resets either way (§13);
 *  - and it checks the client: no TLS data before its reset was ACKed (§4).
 *
 * The engine's actions are recorded in sim.acts[] (with copies of what was
 * sent) and applied to a model of the data plane's two key slots (sim.dp[]),
 * so tests assert on what an event loop would have done.  Everything here is
 * `static` (SIM_FN), one copy per including test.
 */
#ifndef MVPN_ENGINE_SIM_H
#define MVPN_ENGINE_SIM_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "config.h"
#include "ctlpkt.h"
#include "dataplane.h"
#include "engine.h"
#include "kdf.h"
#include "keymethod2.h"
#include "reliable.h"
#include "testpki.h"
#include "tls.h"
#include "wrap.h"

#define SIM_FN static __attribute__((unused))
#define SIM_WALL0 1700000000u
#define SIM_MAX_PKT (CTL_PACKET_MAX + WRAP_V2_WKC_MAX + 64)
#define SIM_PUSH_MAX 4
#define SIM_HIST_MAX 64

/* ------------------------------------------------------------------------ */
/* deterministic PRNG (xorshift64*) */

struct sim_rng {
	uint64_t s;
};

SIM_FN void sim_rng_seed(struct sim_rng *r, uint64_t seed)
{
	r->s = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
	if (!r->s)
		r->s = 1;
}

SIM_FN uint64_t sim_rng_next(struct sim_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1Dull;
}

/* Uniform in [0, 1). */
SIM_FN double sim_rng_unit(struct sim_rng *r)
{
	return (double)(sim_rng_next(r) >> 11) / (double)(1ull << 53);
}

SIM_FN void sim_rng_bytes(void *ctx, uint8_t *buf, size_t len)
{
	struct sim_rng *r = ctx;

	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(sim_rng_next(r) >> 56);
}

/* ------------------------------------------------------------------------ */
/* the link */

struct sim_pkt {
	uint64_t at;		/* delivery time */
	uint64_t seq;		/* tie-break: FIFO among equal times */
	size_t len;
	uint8_t *data;
};

struct sim_link {
	struct sim_pkt *q;
	size_t n, cap;
	uint64_t sent, dropped, duplicated;
};

struct sim_net {
	double loss;		/* probability a datagram is lost */
	double dup;		/* probability it is delivered twice */
	uint32_t latency_ms;	/* one way */
	uint32_t jitter_ms;	/* extra random delay 0..jitter: reorders */
	double noise;		/* probability that a delivered server packet is
				 * followed by junk: an old server packet replayed
				 * (needs capture) or random bytes */
};

/* ------------------------------------------------------------------------ */
/* the server */

struct srv_opts {
	const char *cipher;	/* pushed cipher, NULL: AES-256-GCM */
	int peer_id;		/* pushed when >= 0 and the client has IV_PROTO DATA_V2 */
	bool no_ekm;		/* do not push tls-ekm even if the client offers it */
	bool no_cc_exit;
	bool no_dyn;		/* do not push dyn-tls-crypt */
	bool no_cipher;		/* push no cipher (the server still uses `cipher`) */
	bool force_ekm;		/* push tls-ekm even if the client did not offer it */
	const char *extra_push;	/* appended to the pushed options */
	int push_parts;		/* > 1: split with push-continuation */
	uint32_t push_gap_ms;	/* between the parts */
	bool push_early;	/* push after key-method 2 without waiting for PUSH_REQUEST */
	const char *reply;	/* sent instead of PUSH_REPLY (AUTH_FAILED..., HALT...) */
	int reply_sessions;	/* sessions that get `reply`; 0: all */
	bool mute;		/* drop everything */
	const char *pending;	/* sent on the first PUSH_REQUEST (AUTH_PENDING...) */
	uint32_t push_delay_ms;	/* push this long after the first PUSH_REQUEST */
	const char *client_cn;	/* the server requires this client CN (verify-x509-name) */
	const char *extra_certs;	/* PEM certificates sent along with the server's */
	const uint8_t *km2;	/* sent instead of the server's key-method 2 (fuzzing) */
	size_t km2_len;
	const char *tls_auth_digest;	/* NULL: SHA1 */
};

enum srv_ks_state {
	SKS_UNUSED,
	SKS_TLS,		/* handshake running */
	SKS_KM2,		/* TLS up, waiting for the client's key-method 2 */
	SKS_ACTIVE,		/* both key-method-2 messages exchanged */
};

struct srv_ks {
	enum srv_ks_state st;
	uint8_t key_id;
	struct rel rel;
	struct tls_conn *tls;
	/* the client's key-method 2 */
	uint8_t c_pre_master[KM2_PRE_MASTER_LEN], c_r1[KM2_RANDOM_LEN], c_r2[KM2_RANDOM_LEN];
	char c_options[KM2_OPTIONS_MAX];
	char c_peer_info[2048];
	char c_user[256], c_pass[256];
	uint8_t s_r1[KM2_RANDOM_LEN], s_r2[KM2_RANDOM_LEN];
	bool keys;
	bool acked_reset;	/* we ACKed the client's reset (msg-id 0) */
};

struct srv_hist {
	uint8_t key_id;
	enum mvpn_dp_cipher cipher;
	bool ekm;
	struct kdf_data_keys dk;	/* server role: tx = server->client */
};

struct sim_srv {
	struct srv_opts o;
	enum mvpn_tls_wrap wrap_type;
	struct tls_ctx *tls;
	uint8_t ta[WRAP_STATIC_KEY_LEN];
	uint8_t v2_srv[WRAP_V2_SERVER_KEY_LEN];
	uint8_t cookie_key[32];
	struct sim_rng rng;

	/* the session */
	bool have_session;
	uint8_t sid[CTL_SID_LEN];	/* ours: the cookie */
	uint8_t csid[CTL_SID_LEN];	/* the client's */
	struct wrap_ctx wrap;
	struct wrap_ctx dyn;
	bool dyn_ready;
	struct srv_ks ks[8];		/* by key_id */
	uint8_t last_key_id;
	unsigned int sessions;		/* sessions created so far */
	/* negotiated at the push */
	enum mvpn_dp_cipher cipher;
	bool ekm, cc_exit, dyn_on;
	bool pushed;
	int push_next;			/* next part to send, -1 none pending */
	uint64_t push_at;
	char push_part[SIM_PUSH_MAX][1024];
	int n_push_parts;
	uint64_t push_sent_at[SIM_PUSH_MAX];

	/* observations for the tests */
	unsigned int n_client_resets, n_stateless_replies, n_auth_fail, n_dropped;
	unsigned int n_push_requests, n_exit, n_soft_resets_rx, n_soft_resets_tx;
	uint8_t session_opcode;		/* opcode of the packet that created the session */
	uint32_t session_msg_id;
	uint32_t first_replay_id;	/* of the client's first reset (tls-auth/crypt family) */
	bool sent_tlv;
	char tls_error[512];
	char last_msg[1024];
	struct srv_hist hist[SIM_HIST_MAX];
	unsigned int n_hist;
};

/* ------------------------------------------------------------------------ */
/* the world */

struct sim_act {
	enum engine_act_type type;
	uint64_t at;
	enum mvpn_dp_slot slot;
	struct mvpn_dp_key key;
	int peer_id;
	int status;
	long remote_idx;	/* ACT_CONNECT: index in cfg->remotes, -1: conn */
	uint8_t *data;		/* ACT_SEND, ACT_DATA_SEND: a copy */
	size_t len;
	/* ACT_TUN_UP: a snapshot of the pushed config */
	size_t n_routes;
	bool has_ifconfig;
	struct in_addr ifconfig_local;
	enum mvpn_cipher cipher;
	bool ekm;
};

struct sim {
	struct mvpn_config *cfg;
	struct engine *e;
	struct sim_rng erng;		/* the engine's randomness */
	struct sim_rng nrng;		/* the link's */
	struct sim_net net;
	struct sim_link c2s, s2c;
	struct sim_srv srv;
	uint64_t now;
	uint64_t seq;
	bool connected;
	bool link_up_pending;
	uint64_t link_up_at;
	bool capture;			/* keep copies of every s2c packet */
	struct sim_pkt *cap;
	size_t n_cap, cap_cap;
	struct sim_act *acts;
	size_t n_acts, acts_cap;
	bool exited;
	int exit_status;
	/* the data plane as the actions leave it */
	struct mvpn_dp_key dp[2];
	bool dp_has[2];
	unsigned int n_spin;
	unsigned int n_junk;
	bool violation;			/* the engine broke its API contract (see err) */
	bool spun;			/* the loop stopped making progress */
	char err[512];
};

/* ------------------------------------------------------------------------ */
/* link */

/* A copy of d[len] appended to the growing array *q of *n (room for *cap). */
SIM_FN struct sim_pkt *pkt_append(struct sim_pkt **q, size_t *n, size_t *cap, uint64_t at,
				  uint64_t seq, const uint8_t *d, size_t len)
{
	struct sim_pkt *p;

	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct sim_pkt *nq = realloc(*q, nc * sizeof(*nq));

		if (!nq)
			abort();
		*q = nq;
		*cap = nc;
	}
	p = &(*q)[(*n)++];
	p->at = at;
	p->seq = seq;
	p->len = len;
	p->data = malloc(len ? len : 1);
	if (!p->data)
		abort();
	memcpy(p->data, d, len);
	return p;
}

SIM_FN void link_push(struct sim_link *l, uint64_t at, uint64_t seq, const uint8_t *d, size_t len)
{
	pkt_append(&l->q, &l->n, &l->cap, at, seq, d, len);
}

SIM_FN void link_clear(struct sim_link *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->q[i].data);
	l->n = 0;
}

SIM_FN void link_free(struct sim_link *l)
{
	link_clear(l);
	free(l->q);
	memset(l, 0, sizeof(*l));
}

/* Index of the packet due first, or -1. */
SIM_FN long link_first(const struct sim_link *l)
{
	long best = -1;

	for (size_t i = 0; i < l->n; i++)
		if (best < 0 || l->q[i].at < l->q[best].at ||
		    (l->q[i].at == l->q[best].at && l->q[i].seq < l->q[best].seq))
			best = (long)i;
	return best;
}

SIM_FN void link_take(struct sim_link *l, long i, struct sim_pkt *out)
{
	*out = l->q[i];
	l->q[i] = l->q[--l->n];
}

SIM_FN void sim_send(struct sim *s, struct sim_link *l, const uint8_t *d, size_t len)
{
	int copies = 1;

	l->sent++;
	if (s->net.loss > 0 && sim_rng_unit(&s->nrng) < s->net.loss) {
		l->dropped++;
		return;
	}
	if (s->net.dup > 0 && sim_rng_unit(&s->nrng) < s->net.dup) {
		l->duplicated++;
		copies = 2;
	}
	for (int i = 0; i < copies; i++) {
		uint64_t d_ms = s->net.latency_ms;

		if (s->net.jitter_ms)
			d_ms += sim_rng_next(&s->nrng) % (s->net.jitter_ms + 1);
		link_push(l, s->now + d_ms, s->seq++, d, len);
	}
}

/* ------------------------------------------------------------------------ */
/* server */

SIM_FN uint32_t sim_wall(const struct sim *s)
{
	return SIM_WALL0 + (uint32_t)(s->now / 1000);
}

SIM_FN uint8_t sim_next_key_id(uint8_t id)
{
	return id >= 7 ? 1 : id + 1;
}

SIM_FN void srv_cookie(const struct sim_srv *v, const uint8_t csid[CTL_SID_LEN],
		       uint8_t out[CTL_SID_LEN])
{
	uint8_t in[32 + CTL_SID_LEN], md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	memcpy(in, v->cookie_key, 32);
	memcpy(in + 32, csid, CTL_SID_LEN);
	EVP_Digest(in, sizeof(in), md, &n, EVP_sha256(), NULL);
	memcpy(out, md, CTL_SID_LEN);
	if (kdf_is_zero(out, CTL_SID_LEN))
		out[0] = 1;
}

SIM_FN int srv_wrap_init(const struct sim_srv *v, struct wrap_ctx *w)
{
	struct wrap_params wp;

	wrap_params_default(&wp, WRAP_SERVER);
	switch (v->wrap_type) {
	case MVPN_WRAP_NONE:
		return wrap_init_none(w, &wp);
	case MVPN_WRAP_TLS_AUTH:
		return wrap_init_tls_auth(w, &wp, v->ta, WRAP_KEYDIR_NORMAL,
					  v->o.tls_auth_digest ? v->o.tls_auth_digest : "SHA1");
	case MVPN_WRAP_TLS_CRYPT:
		return wrap_init_tls_crypt(w, &wp, v->ta);
	case MVPN_WRAP_TLS_CRYPT_V2:
		return wrap_init_tls_crypt_v2_server(w, &wp, v->v2_srv);
	}
	return -1;
}

SIM_FN struct wrap_ctx *srv_wrap_for(struct sim_srv *v, uint8_t key_id)
{
	return key_id > 0 && v->dyn_ready ? &v->dyn : &v->wrap;
}

SIM_FN void srv_ks_clear(struct srv_ks *ks)
{
	tls_conn_free(ks->tls);
	OPENSSL_cleanse(ks, sizeof(*ks));
	ks->st = SKS_UNUSED;
}

SIM_FN void srv_session_free(struct sim_srv *v)
{
	for (int i = 0; i < 8; i++)
		srv_ks_clear(&v->ks[i]);
	wrap_free(&v->wrap);
	wrap_free(&v->dyn);
	v->dyn_ready = false;
	v->have_session = false;
	v->pushed = false;
	v->push_next = -1;
}

SIM_FN int srv_ks_start(struct sim *s, uint8_t key_id)
{
	struct sim_srv *v = &s->srv;
	struct srv_ks *ks = &v->ks[key_id];
	char err[256];

	srv_ks_clear(ks);
	ks->key_id = key_id;
	if (rel_init(&ks->rel, NULL) != REL_OK)
		return -1;
	ks->tls = tls_conn_new(v->tls, err, sizeof(err));
	if (!ks->tls) {
		snprintf(v->tls_error, sizeof(v->tls_error), "%s", err);
		return -1;
	}
	sim_rng_bytes(&v->rng, ks->s_r1, sizeof(ks->s_r1));
	sim_rng_bytes(&v->rng, ks->s_r2, sizeof(ks->s_r2));
	ks->st = SKS_TLS;
	return 0;
}

/* A server packet onto the link to the client; with s->capture also kept
 * in s->cap[] (for the replay tests). */
SIM_FN void srv_send(struct sim *s, const uint8_t *out, size_t n)
{
	if (s->capture)
		pkt_append(&s->cap, &s->n_cap, &s->cap_cap, s->now, 0, out, n);
	sim_send(s, &s->s2c, out, n);
}

/* Seal and send what the key state's reliability layer has due. */
SIM_FN void srv_flush(struct sim *s, struct srv_ks *ks)
{
	struct sim_srv *v = &s->srv;
	uint8_t out[SIM_MAX_PKT];
	struct ctl_pkt p;

	while (rel_next_packet(&ks->rel, s->now, &p) == 1) {
		long n;

		p.key_id = ks->key_id;
		memcpy(p.sid, v->sid, CTL_SID_LEN);
		memcpy(p.peer_sid, v->csid, CTL_SID_LEN);
		for (unsigned int i = 0; i < p.n_acks; i++)
			ks->acked_reset |= p.acks[i] == 0;
		n = wrap_seal(srv_wrap_for(v, ks->key_id), &p, sim_wall(s), out, sizeof(out));
		if (n < 0) {
			snprintf(s->err, sizeof(s->err), "server: wrap_seal: %s",
				 wire_strerror((int)n));
			continue;
		}
		srv_send(s, out, (size_t)n);
	}
}

/* TLS ciphertext into reliable packets, as far as the send window allows. */
SIM_FN void srv_pump(struct sim *s, struct srv_ks *ks)
{
	uint8_t buf[1000];

	while (ks->tls && tls_conn_pending_ciphertext(ks->tls) > 0 && rel_send_room(&ks->rel) > 0) {
		size_t n = tls_conn_get_ciphertext(ks->tls, buf, sizeof(buf));

		if (!n || rel_queue(&ks->rel, CTL_OP_CONTROL_V1, buf, n, NULL) != REL_OK)
			break;
	}
	srv_flush(s, ks);
}

SIM_FN void srv_write(struct sim *s, struct srv_ks *ks, const void *buf, size_t len)
{
	if (tls_conn_write(ks->tls, buf, len))
		snprintf(s->srv.tls_error, sizeof(s->srv.tls_error), "server write: %s",
			 tls_conn_error(ks->tls));
	srv_pump(s, ks);
}

SIM_FN void srv_send_msg(struct sim *s, const char *msg)
{
	struct sim_srv *v = &s->srv;
	struct srv_ks *ks = &v->ks[v->last_key_id];

	if (!v->have_session || ks->st != SKS_ACTIVE)
		ks = &v->ks[0];
	if (ks->st < SKS_KM2)
		return;
	srv_write(s, ks, msg, strlen(msg) + 1);
}

SIM_FN enum mvpn_dp_cipher sim_dp_cipher_by_name(const char *n)
{
	if (!strcmp(n, "AES-128-GCM"))
		return MVPN_DP_AES_128_GCM;
	if (!strcmp(n, "AES-256-GCM"))
		return MVPN_DP_AES_256_GCM;
	if (!strcmp(n, "CHACHA20-POLY1305"))
		return MVPN_DP_CHACHA20_POLY1305;
	return MVPN_DP_CIPHER_NONE;
}

/* The server's own derivation of this key state's data keys (§7). */
SIM_FN void srv_derive(struct sim *s, struct srv_ks *ks)
{
	struct sim_srv *v = &s->srv;
	uint8_t key2[KDF_KEY2_LEN];
	struct srv_hist *h;
	int r;

	if (v->n_hist >= SIM_HIST_MAX)
		return;
	h = &v->hist[v->n_hist];
	memset(h, 0, sizeof(*h));
	if (v->ekm) {
		uint8_t ekm[KDF_KEY2_LEN];

		r = tls_conn_export(ks->tls, KDF_EKM_LABEL, ekm, sizeof(ekm)) ? KDF_E_CRYPTO
			: kdf_from_ekm(ekm, sizeof(ekm), key2);
		OPENSSL_cleanse(ekm, sizeof(ekm));
	} else {
		struct kdf_prf_input in = {
			.pre_master = ks->c_pre_master,
			.client_random1 = ks->c_r1,
			.client_random2 = ks->c_r2,
			.server_random1 = ks->s_r1,
			.server_random2 = ks->s_r2,
			.client_sid = v->csid,
			.server_sid = v->sid,
		};

		r = kdf_openvpn_prf(&in, key2);
	}
	if (r == KDF_OK)
		r = kdf_data_keys(key2, true, mvpn_dp_cipher_key_len(v->cipher), &h->dk);
	OPENSSL_cleanse(key2, sizeof(key2));
	if (r != KDF_OK) {
		snprintf(s->err, sizeof(s->err), "server: key derivation: %s", kdf_strerror(r));
		return;
	}
	h->key_id = ks->key_id;
	h->cipher = v->cipher;
	h->ekm = v->ekm;
	ks->keys = true;
	v->n_hist++;
}

SIM_FN unsigned int srv_client_proto(const struct srv_ks *ks)
{
	struct km2_str val;
	char tmp[16];

	if (!km2_peer_info_get(ks->c_peer_info, strlen(ks->c_peer_info), "IV_PROTO", &val) ||
	    val.len >= sizeof(tmp))
		return 0;
	memcpy(tmp, val.p, val.len);
	tmp[val.len] = '\0';
	return (unsigned int)strtoul(tmp, NULL, 10);
}

/* Build the PUSH_REPLY parts as a 2.6 server would for this client (§10.1). */
SIM_FN void srv_prepare_push(struct sim *s)
{
	struct sim_srv *v = &s->srv;
	const struct srv_ks *ks = &v->ks[0];
	unsigned int proto = srv_client_proto(ks);
	const char *cipher = v->o.cipher ? v->o.cipher : "AES-256-GCM";
	char flags[64] = "";
	const char *items[32];
	char idbuf[32], cbuf[64], fbuf[96];
	int n = 0, parts;

	v->ekm = (!v->o.no_ekm && (proto & KM2_IV_PROTO_TLS_KEY_EXPORT)) || v->o.force_ekm;
	v->cc_exit = !v->o.no_cc_exit && (proto & KM2_IV_PROTO_CC_EXIT_NOTIFY);
	v->dyn_on = !v->o.no_dyn && (proto & KM2_IV_PROTO_DYN_TLS_CRYPT);
	v->cipher = sim_dp_cipher_by_name(cipher);

	items[n++] = "route-gateway 10.8.0.1";
	items[n++] = "topology subnet";
	items[n++] = "ping 10";
	items[n++] = "ping-restart 60";
	items[n++] = "route 10.9.0.0 255.255.255.0";
	items[n++] = "route 10.10.0.0 255.255.0.0";
	items[n++] = "ifconfig 10.8.0.2 255.255.255.0";
	if (v->o.peer_id >= 0 && (proto & KM2_IV_PROTO_DATA_V2)) {
		snprintf(idbuf, sizeof(idbuf), "peer-id %d", v->o.peer_id);
		items[n++] = idbuf;
	}
	if (!v->o.no_cipher) {
		snprintf(cbuf, sizeof(cbuf), "cipher %s", cipher);
		items[n++] = cbuf;
	}
	if (v->cc_exit)
		strcat(flags, " cc-exit");
	if (v->ekm)
		strcat(flags, " tls-ekm");
	if (v->dyn_on)
		strcat(flags, " dyn-tls-crypt");
	if (flags[0]) {
		snprintf(fbuf, sizeof(fbuf), "protocol-flags%s", flags);
		items[n++] = fbuf;
	}
	if (v->o.extra_push)
		items[n++] = v->o.extra_push;

	parts = v->o.push_parts > 1 ? v->o.push_parts : 1;
	if (parts > SIM_PUSH_MAX)
		parts = SIM_PUSH_MAX;
	v->n_push_parts = parts;
	for (int pi = 0; pi < parts; pi++) {
		int from = pi * n / parts, to = (pi + 1) * n / parts;

		snprintf(v->push_part[pi], sizeof(v->push_part[pi]), "PUSH_REPLY");
		for (int i = from; i < to; i++) {
			strncat(v->push_part[pi], ",",
				sizeof(v->push_part[pi]) - strlen(v->push_part[pi]) - 1);
			strncat(v->push_part[pi], items[i],
				sizeof(v->push_part[pi]) - strlen(v->push_part[pi]) - 1);
		}
		if (parts > 1)
			strncat(v->push_part[pi],
				pi + 1 < parts ? ",push-continuation 2" : ",push-continuation 1",
				sizeof(v->push_part[pi]) - strlen(v->push_part[pi]) - 1);
	}
	v->push_next = 0;
	v->push_at = s->now;
}

/* Send the due push parts; after the last one the server derives key 0. */
SIM_FN void srv_push_step(struct sim *s)
{
	struct sim_srv *v = &s->srv;

	while (v->push_next >= 0 && v->push_next < v->n_push_parts && s->now >= v->push_at) {
		v->push_sent_at[v->push_next] = s->now;
		srv_send_msg(s, v->push_part[v->push_next]);
		v->push_next++;
		v->push_at = s->now + v->o.push_gap_ms;
		if (v->push_next == v->n_push_parts) {
			v->push_next = -1;
			if (v->cipher != MVPN_DP_CIPHER_NONE)
				srv_derive(s, &v->ks[0]);
			if (v->dyn_on && !v->dyn_ready) {
				uint8_t ekm[WRAP_STATIC_KEY_LEN];
				struct wrap_params wp;

				wrap_params_default(&wp, WRAP_SERVER);
				if (!tls_conn_export(v->ks[0].tls, WRAP_DYN_TLS_CRYPT_LABEL, ekm,
						     sizeof(ekm)) &&
				    !wrap_init_dynamic(&v->dyn, &wp, ekm,
						       wrap_original_key(&v->wrap)))
					v->dyn_ready = true;
				OPENSSL_cleanse(ekm, sizeof(ekm));
			}
			break;
		}
	}
}

SIM_FN void srv_start_push(struct sim *s)
{
	struct sim_srv *v = &s->srv;

	if (v->pushed)
		return;
	v->pushed = true;
	if (v->o.pending)
		srv_send_msg(s, v->o.pending);
	if (v->o.reply && (v->o.reply_sessions == 0 || (int)v->sessions <= v->o.reply_sessions)) {
		snprintf(v->push_part[0], sizeof(v->push_part[0]), "%s", v->o.reply);
		v->n_push_parts = 1;
		v->cipher = MVPN_DP_CIPHER_NONE;	/* no keys */
		v->push_next = 0;
		v->push_at = s->now;
		srv_push_step(s);
		return;
	}
	srv_prepare_push(s);
	v->push_at = s->now + v->o.push_delay_ms;
	srv_push_step(s);
}

SIM_FN void srv_got_km2(struct sim *s, struct srv_ks *ks, const uint8_t *buf, size_t len)
{
	struct sim_srv *v = &s->srv;
	struct km2_server_msg_in m = { 0 };
	uint8_t out[KM2_MSG_MAX];
	struct km2_msg km;
	long n;

	if (km2_parse(buf, len, true, &km) < 0 || !km.has_pre_master) {
		snprintf(s->err, sizeof(s->err), "server: malformed key-method 2 from the client");
		return;
	}
	memcpy(ks->c_pre_master, km.pre_master, sizeof(ks->c_pre_master));
	memcpy(ks->c_r1, km.random1, sizeof(ks->c_r1));
	memcpy(ks->c_r2, km.random2, sizeof(ks->c_r2));
#define SIM_COPY_STR(dst, str)                                                            \
	snprintf(dst, sizeof(dst), "%.*s", (str).p ? (int)((str).len < sizeof(dst) ? (str).len \
							   : sizeof(dst) - 1) : 0,         \
		 (str).p ? (str).p : "")
	SIM_COPY_STR(ks->c_options, km.options);
	SIM_COPY_STR(ks->c_peer_info, km.peer_info);
	SIM_COPY_STR(ks->c_user, km.username);
	SIM_COPY_STR(ks->c_pass, km.password);
#undef SIM_COPY_STR
	OPENSSL_cleanse(&km, sizeof(km));
	m.random1 = ks->s_r1;
	m.random2 = ks->s_r2;
	m.options = "V4,dev-type tun,link-mtu 1549,tun-mtu 1500,proto UDPv4,cipher "
		    "AES-256-GCM,auth SHA1,keysize 256,key-method 2,tls-server";
	n = km2_build_server(&m, out, sizeof(out));
	if (n < 0) {
		snprintf(s->err, sizeof(s->err), "server: km2_build_server: %s",
			 km2_strerror((int)n));
		return;
	}
	ks->st = SKS_ACTIVE;
	if (v->o.km2) {
		srv_write(s, ks, v->o.km2, v->o.km2_len);
		return;
	}
	srv_write(s, ks, out, (size_t)n);
	if (ks->key_id == 0) {
		if (v->o.push_early)
			srv_start_push(s);
	} else if (v->cipher != MVPN_DP_CIPHER_NONE) {
		/* renegotiated key: same cipher and method, no new push (§13) */
		srv_derive(s, ks);
	}
}

SIM_FN void srv_got_msg(struct sim *s, struct srv_ks *ks, const char *msg, size_t len)
{
	struct sim_srv *v = &s->srv;

	(void)ks;
	snprintf(v->last_msg, sizeof(v->last_msg), "%.*s", (int)len, msg);
	if (len == 12 && !memcmp(msg, "PUSH_REQUEST", 12)) {
		v->n_push_requests++;
		srv_start_push(s);
	} else if (len == 4 && !memcmp(msg, "EXIT", 4)) {
		v->n_exit++;
	}
}

SIM_FN void srv_drive(struct sim *s, struct srv_ks *ks)
{
	uint8_t buf[4096];

	if (ks->st == SKS_TLS) {
		enum tls_status st = tls_conn_handshake(ks->tls);

		if (st == TLS_ERROR) {
			snprintf(s->srv.tls_error, sizeof(s->srv.tls_error), "%s",
				 tls_conn_error(ks->tls));
			srv_pump(s, ks);
			return;
		}
		if (st == TLS_HANDSHAKING) {
			srv_pump(s, ks);
			return;
		}
		ks->st = SKS_KM2;
	}
	for (;;) {
		int n = tls_conn_read(ks->tls, buf, sizeof(buf));

		if (n <= 0) {
			if (n < 0)
				snprintf(s->srv.tls_error, sizeof(s->srv.tls_error), "%s",
					 tls_conn_error(ks->tls));
			break;
		}
		if (ks->st == SKS_KM2) {
			srv_got_km2(s, ks, buf, (size_t)n);
		} else {
			size_t off = 0, mlen;
			const char *msg;

			while (ctlmsg_next(buf, (size_t)n, &off, &msg, &mlen) == 1)
				srv_got_msg(s, ks, msg, mlen);
		}
	}
	srv_pump(s, ks);
}

/* An opened packet of the session. */
SIM_FN void srv_process(struct sim *s, const struct ctl_pkt *p)
{
	struct sim_srv *v = &s->srv;
	struct srv_ks *ks = &v->ks[p->key_id];
	struct rel_msg m;

	if (p->opcode == CTL_OP_SOFT_RESET_V1 && p->key_id == sim_next_key_id(v->last_key_id)) {
		/*
		 * A new generation; its key_id may have been used before (7 -> 1).
		 * Accepted once the session has had data keys, also after a
		 * renegotiation that failed (both ends moved on to the next key_id).
		 */
		if (!v->n_hist) {
			v->n_dropped++;
			return;
		}
		/* the client renegotiates: answer with our own soft reset (§13) */
		if (srv_ks_start(s, p->key_id))
			return;
		v->last_key_id = p->key_id;
		rel_queue(&ks->rel, CTL_OP_SOFT_RESET_V1, NULL, 0, NULL);
	} else if (ks->st == SKS_UNUSED) {
		v->n_dropped++;
		return;
	}
	/* §4: no TLS from the client before its reset was ACKed (S_START) */
	if ((p->opcode == CTL_OP_CONTROL_V1 || p->opcode == CTL_OP_CONTROL_WKC_V1) &&
	    !ks->acked_reset)
		snprintf(s->err, sizeof(s->err),
			 "server: client sent TLS data on key_id %u before its reset was ACKed",
			 p->key_id);
	rel_process_acks(&ks->rel, p->acks, p->n_acks);
	if (ctl_opcode_is_reliable(p->opcode))
		rel_receive(&ks->rel, p->opcode, p->msg_id, p->payload, p->payload_len);
	while (rel_peek(&ks->rel, &m)) {
		if (m.opcode == CTL_OP_SOFT_RESET_V1)
			v->n_soft_resets_rx++;	/* delivered once per generation */
		if (!ctl_opcode_is_reset(m.opcode) && m.len)
			tls_conn_put_ciphertext(ks->tls, m.payload, m.len);
		rel_pop(&ks->rel);
	}
	srv_drive(s, ks);
	srv_flush(s, ks);
}

/* §3.7 (a)/(b): answer a client reset without keeping state. */
SIM_FN void srv_stateless_reply(struct sim *s, const uint8_t *pkt, size_t len)
{
	struct sim_srv *v = &s->srv;
	uint8_t scratch[SIM_MAX_PKT], out[SIM_MAX_PKT], tlv[8];
	struct wrap_ctx tmp;
	struct ctl_pkt p, r;
	uint32_t rid = 0;
	long n;

	if (srv_wrap_init(v, &tmp))
		return;
	if (wrap_open(&tmp, pkt, len, sim_wall(s), scratch, sizeof(scratch), &p) < 0 ||
	    p.msg_id != 0) {
		v->n_auth_fail++;
		wrap_free(&tmp);
		return;
	}
	v->n_client_resets++;
	/* the long-form replay-id follows op|sid (tls-crypt) or the HMAC (tls-auth) */
	if (v->wrap_type == MVPN_WRAP_TLS_CRYPT || v->wrap_type == MVPN_WRAP_TLS_CRYPT_V2)
		rid = (uint32_t)pkt[9] << 24 | (uint32_t)pkt[10] << 16 | (uint32_t)pkt[11] << 8 |
		      pkt[12];
	else if (v->wrap_type == MVPN_WRAP_TLS_AUTH)
		rid = (uint32_t)pkt[9 + tmp.md_len] << 24 | (uint32_t)pkt[10 + tmp.md_len] << 16 |
		      (uint32_t)pkt[11 + tmp.md_len] << 8 | pkt[12 + tmp.md_len];
	v->first_replay_id = rid;
	memset(&r, 0, sizeof(r));
	r.opcode = CTL_OP_HARD_RESET_SERVER_V2;
	srv_cookie(v, p.sid, r.sid);
	r.n_acks = 1;
	r.acks[0] = 0;
	memcpy(r.peer_sid, p.sid, CTL_SID_LEN);
	r.msg_id = 0;
	if (v->wrap_type == MVPN_WRAP_TLS_CRYPT_V2 &&
	    (rid & CTL_EARLY_NEG_START) == CTL_EARLY_NEG_START) {
		n = ctlpkt_build_early_neg(CTL_EARLY_NEG_RESEND_WKC, tlv, sizeof(tlv));
		if (n > 0) {
			r.payload = tlv;
			r.payload_len = (size_t)n;
			v->sent_tlv = true;
		}
	}
	n = wrap_seal(&tmp, &r, sim_wall(s), out, sizeof(out));
	wrap_free(&tmp);
	if (n < 0) {
		snprintf(s->err, sizeof(s->err), "server: stateless reset: %s",
			 wire_strerror((int)n));
		return;
	}
	v->n_stateless_replies++;
	srv_send(s, out, (size_t)n);	/* captured like every other server packet */
}

/* §3.7 (c): the client's third packet creates the session. */
SIM_FN void srv_try_session(struct sim *s, const uint8_t *pkt, size_t len, uint8_t opcode)
{
	struct sim_srv *v = &s->srv;
	uint8_t scratch[SIM_MAX_PKT], cookie[CTL_SID_LEN];
	struct ctl_pkt p;
	bool ok;

	if (srv_wrap_init(v, &v->wrap))
		return;
	if (wrap_open(&v->wrap, pkt, len, sim_wall(s), scratch, sizeof(scratch), &p) < 0) {
		v->n_auth_fail++;
		wrap_free(&v->wrap);
		return;
	}
	srv_cookie(v, p.sid, cookie);
	ok = p.key_id == 0 && p.n_acks > 0 && !memcmp(p.peer_sid, cookie, CTL_SID_LEN) &&
	     (!ctl_opcode_is_reliable(opcode) || p.msg_id <= 1);
	for (unsigned int i = 0; i < p.n_acks; i++)
		ok = ok && p.acks[i] <= 1;
	if (!ok) {
		v->n_dropped++;
		wrap_free(&v->wrap);
		return;
	}
	v->have_session = true;
	v->sessions++;
	v->session_opcode = opcode;
	v->session_msg_id = ctl_opcode_is_reliable(opcode) ? p.msg_id : UINT32_MAX;
	memcpy(v->csid, p.sid, CTL_SID_LEN);
	memcpy(v->sid, cookie, CTL_SID_LEN);
	v->last_key_id = 0;
	v->pushed = false;
	v->push_next = -1;
	/* one reset skipped each way: ids at 1 (session_skip_to_pre_start) */
	v->wrap.tx_id = 1;
	if (srv_ks_start(s, 0)) {
		srv_session_free(v);
		return;
	}
	v->ks[0].rel.next_send_id = 1;
	v->ks[0].rel.next_recv_id = 1;
	v->ks[0].acked_reset = true;	/* by the stateless reply */
	srv_process(s, &p);
}

SIM_FN void srv_recv(struct sim *s, const uint8_t *pkt, size_t len)
{
	struct sim_srv *v = &s->srv;
	uint8_t opcode, key_id, sid[CTL_SID_LEN], scratch[SIM_MAX_PKT];
	struct ctl_pkt p;

	if (v->o.mute)
		return;
	if (ctlpkt_peek(pkt, len, &opcode, &key_id, sid) < 0 || !ctl_opcode_is_control(opcode)) {
		v->n_dropped++;
		return;
	}
	if (opcode == CTL_OP_HARD_RESET_CLIENT_V2 || opcode == CTL_OP_HARD_RESET_CLIENT_V3) {
		if (!v->have_session || memcmp(sid, v->csid, CTL_SID_LEN) != 0) {
			/* a new client session: the old one is gone (new socket, new sid) */
			if (v->have_session)
				srv_session_free(v);
			srv_stateless_reply(s, pkt, len);
			return;
		}
	}
	if (!v->have_session) {
		if (opcode == CTL_OP_ACK_V1 || opcode == CTL_OP_CONTROL_V1 ||
		    opcode == CTL_OP_CONTROL_WKC_V1)
			srv_try_session(s, pkt, len, opcode);
		else
			v->n_dropped++;
		return;
	}
	if (wrap_open(srv_wrap_for(v, key_id), pkt, len, sim_wall(s), scratch, sizeof(scratch),
		      &p) < 0) {
		v->n_auth_fail++;
		return;
	}
	if (memcmp(p.sid, v->csid, CTL_SID_LEN) != 0 ||
	    (p.n_acks && memcmp(p.peer_sid, v->sid, CTL_SID_LEN) != 0)) {
		v->n_dropped++;
		return;
	}
	srv_process(s, &p);
}

/* The server starts a renegotiation (soft reset on the next key_id). */
SIM_FN bool srv_soft_reset(struct sim *s)
{
	struct sim_srv *v = &s->srv;
	uint8_t k = sim_next_key_id(v->last_key_id);

	if (!v->have_session || srv_ks_start(s, k))
		return false;
	v->last_key_id = k;
	v->n_soft_resets_tx++;
	rel_queue(&v->ks[k].rel, CTL_OP_SOFT_RESET_V1, NULL, 0, NULL);
	srv_flush(s, &v->ks[k]);
	return true;
}

/*
 * Seal an arbitrary packet with the server's wrapper (for forged-packet
 * tests): sid NULL = the session's own, peer_sid NULL = the client's.
 */
SIM_FN long srv_forge_as(struct sim *s, const struct ctl_pkt *in, const uint8_t *sid,
			 const uint8_t *peer_sid, uint8_t *out, size_t cap)
{
	struct sim_srv *v = &s->srv;
	struct ctl_pkt p = *in;

	memcpy(p.sid, sid ? sid : v->sid, CTL_SID_LEN);
	if (p.n_acks)
		memcpy(p.peer_sid, peer_sid ? peer_sid : v->csid, CTL_SID_LEN);
	return wrap_seal(srv_wrap_for(v, p.key_id), &p, sim_wall(s), out, cap);
}

SIM_FN long srv_forge(struct sim *s, const struct ctl_pkt *in, uint8_t *out, size_t cap)
{
	return srv_forge_as(s, in, NULL, NULL, out, cap);
}

SIM_FN void srv_tick(struct sim *s)
{
	struct sim_srv *v = &s->srv;

	if (!v->have_session)
		return;
	srv_push_step(s);
	for (int i = 0; i < 8; i++)
		if (v->ks[i].st != SKS_UNUSED) {
			srv_pump(s, &v->ks[i]);
			srv_flush(s, &v->ks[i]);
		}
}

SIM_FN uint64_t srv_next_timeout(const struct sim *s)
{
	const struct sim_srv *v = &s->srv;
	uint64_t t = UINT64_MAX;

	if (!v->have_session)
		return t;
	if (v->push_next >= 0 && v->push_at < t)
		t = v->push_at;
	for (int i = 0; i < 8; i++)
		if (v->ks[i].st != SKS_UNUSED) {
			uint64_t w = rel_next_wakeup(&v->ks[i].rel, s->now);

			if (w < t)
				t = w;
		}
	return t;
}

/* ------------------------------------------------------------------------ */
/* client config */

enum sim_cfg_style { SIM_CFG_FILES, SIM_CFG_INLINE };

SIM_FN int sim_read_file(void *ctx, const char *path, uint8_t **buf, size_t *len, char *err,
			 size_t errlen)
{
	FILE *f = fopen(path, "rb");
	long n;

	(void)ctx;
	if (!f) {
		snprintf(err, errlen, "cannot open");
		return -1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	*buf = malloc((size_t)n + 1);
	if (!*buf || fread(*buf, 1, (size_t)n, f) != (size_t)n) {
		free(*buf);
		*buf = NULL;
		fclose(f);
		snprintf(err, errlen, "cannot read");
		return -1;
	}
	(*buf)[n] = 0;
	*len = (size_t)n;
	fclose(f);
	return 0;
}

SIM_FN const char *sim_wrap_name(enum mvpn_tls_wrap w)
{
	switch (w) {
	case MVPN_WRAP_NONE:
		return "none";
	case MVPN_WRAP_TLS_AUTH:
		return "tls-auth";
	case MVPN_WRAP_TLS_CRYPT:
		return "tls-crypt";
	case MVPN_WRAP_TLS_CRYPT_V2:
		return "tls-crypt-v2";
	}
	return "?";
}

/*
 * The client config a user would write: two remotes (never contacted: no
 * socket exists), the PKI by file reference (SIM_CFG_FILES, pki->dir) or in
 * inline blocks (SIM_CFG_INLINE), the wrapper, and `extra` lines.
 */
SIM_FN struct mvpn_config *sim_client_config(const struct sim_pki *k, enum sim_cfg_style style,
					     enum mvpn_tls_wrap wrap, const char *extra,
					     char *err, size_t errlen)
{
	static const struct mvpn_config_io io = { .read_file = sim_read_file };
	struct mvpn_config_error ce;
	struct mvpn_config *c;
	size_t cap = 65536;
	char *t = malloc(cap);
	int n;

	if (!t)
		return NULL;
	n = snprintf(t, cap,
		     "client\ndev tun\nproto udp\nnobind\n"
		     "remote 192.0.2.1 1194\nremote 192.0.2.2 1195\n"
		     "remote-cert-tls server\nverify-x509-name server name\n");
	if (style == SIM_CFG_FILES) {
		n += snprintf(t + n, cap - (size_t)n,
			      "ca %s/ca.crt\ncert %s/client.crt\nkey %s/client.key\n", k->dir,
			      k->dir, k->dir);
		if (wrap == MVPN_WRAP_TLS_AUTH)
			n += snprintf(t + n, cap - (size_t)n, "tls-auth %s/ta.key 1\n", k->dir);
		else if (wrap == MVPN_WRAP_TLS_CRYPT)
			n += snprintf(t + n, cap - (size_t)n, "tls-crypt %s/ta.key\n", k->dir);
		else if (wrap == MVPN_WRAP_TLS_CRYPT_V2)
			n += snprintf(t + n, cap - (size_t)n, "tls-crypt-v2 %s/v2-client.key\n",
				      k->dir);
	} else {
		n += snprintf(t + n, cap - (size_t)n,
			      "<ca>\n%s</ca>\n<cert>\n%s</cert>\n<key>\n%s</key>\n", k->ca,
			      k->client_crt, k->client_key);
		if (wrap == MVPN_WRAP_TLS_AUTH)
			n += snprintf(t + n, cap - (size_t)n,
				      "key-direction 1\n<tls-auth>\n%s</tls-auth>\n", k->ta);
		else if (wrap == MVPN_WRAP_TLS_CRYPT)
			n += snprintf(t + n, cap - (size_t)n, "<tls-crypt>\n%s</tls-crypt>\n",
				      k->ta);
		else if (wrap == MVPN_WRAP_TLS_CRYPT_V2)
			n += snprintf(t + n, cap - (size_t)n, "<tls-crypt-v2>\n%s</tls-crypt-v2>\n",
				      k->v2_client);
	}
	if (extra)
		n += snprintf(t + n, cap - (size_t)n, "%s\n", extra);
	c = config_parse_buffer("client.conf", t, strlen(t), &io, &ce);
	OPENSSL_cleanse(t, cap);
	free(t);
	if (!c)
		snprintf(err, errlen, "client config: %.400s", ce.text);
	return c;
}

/* ------------------------------------------------------------------------ */
/* world setup */

struct sim_opts {
	enum mvpn_tls_wrap wrap;
	const char *client_extra;
	enum sim_cfg_style style;
	bool force_prf;
	uint64_t seed;
	struct sim_net net;
	struct srv_opts srv;
	bool capture;
};

SIM_FN void sim_free(struct sim *s)
{
	if (!s)
		return;
	engine_free(s->e);
	config_free(s->cfg);
	srv_session_free(&s->srv);
	tls_ctx_free(s->srv.tls);
	link_free(&s->c2s);
	link_free(&s->s2c);
	for (size_t i = 0; i < s->n_acts; i++)
		free(s->acts[i].data);
	OPENSSL_cleanse(s->acts, s->acts_cap * sizeof(*s->acts));
	free(s->acts);
	for (size_t i = 0; i < s->n_cap; i++)
		free(s->cap[i].data);
	free(s->cap);
	OPENSSL_cleanse(s, sizeof(*s));
	free(s);
}

SIM_FN struct sim *sim_new(const struct sim_pki *k, const struct sim_opts *o, char *err,
			   size_t errlen)
{
	struct sim *s = calloc(1, sizeof(*s));
	struct engine_params ep = { 0 };
	struct tls_params tp = { 0 };
	char why[512];

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->net = o->net;
	s->capture = o->capture;
	sim_rng_seed(&s->erng, o->seed * 3 + 1);
	sim_rng_seed(&s->nrng, o->seed * 3 + 2);
	sim_rng_seed(&s->srv.rng, o->seed * 3 + 3);
	sim_rng_bytes(&s->srv.rng, s->srv.cookie_key, sizeof(s->srv.cookie_key));
	s->srv.o = o->srv;
	s->srv.wrap_type = o->wrap;
	s->srv.push_next = -1;

	s->cfg = sim_client_config(k, o->style, o->wrap, o->client_extra, err, errlen);
	if (!s->cfg)
		goto fail;
	if (o->wrap == MVPN_WRAP_TLS_AUTH || o->wrap == MVPN_WRAP_TLS_CRYPT) {
		if (wrap_parse_static_key(k->ta, strlen(k->ta), s->srv.ta, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "server ta.key: %.400s", why);
			goto fail;
		}
	} else if (o->wrap == MVPN_WRAP_TLS_CRYPT_V2) {
		if (wrap_parse_v2_server_key(k->v2_server, strlen(k->v2_server), s->srv.v2_srv, why,
					     sizeof(why)) < 0) {
			snprintf(err, errlen, "server v2 key: %.400s", why);
			goto fail;
		}
	}
	tp.server = true;
	tp.ca = (const uint8_t *)k->ca;
	tp.ca_len = strlen(k->ca);
	tp.cert = (const uint8_t *)k->server_crt;
	tp.cert_len = strlen(k->server_crt);
	tp.key = (const uint8_t *)k->server_key;
	tp.key_len = strlen(k->server_key);
	if (o->srv.extra_certs) {
		tp.extra_certs = (const uint8_t *)o->srv.extra_certs;
		tp.extra_certs_len = strlen(o->srv.extra_certs);
	}
	tp.security_level = -1;
	tp.remote_cert = TLS_REMOTE_CERT_CLIENT;
	if (o->srv.client_cn) {
		tp.x509_type = TLS_X509_NAME;
		tp.x509_name = o->srv.client_cn;
	}
	s->srv.tls = tls_ctx_new(&tp, why, sizeof(why));
	if (!s->srv.tls) {
		snprintf(err, errlen, "server TLS: %.400s", why);
		goto fail;
	}
	ep.cfg = s->cfg;
	ep.rand_bytes = sim_rng_bytes;
	ep.rand_ctx = &s->erng;
	ep.force_prf = o->force_prf;
	ep.data_plane = "sim";
	s->e = engine_new(&ep, why, sizeof(why));
	if (!s->e) {
		snprintf(err, errlen, "engine_new: %.400s", why);
		goto fail;
	}
	return s;
fail:
	sim_free(s);
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* driving the engine */

SIM_FN struct sim_act *sim_act_new(struct sim *s)
{
	if (s->n_acts == s->acts_cap) {
		size_t nc = s->acts_cap ? s->acts_cap * 2 : 128;
		struct sim_act *a = realloc(s->acts, nc * sizeof(*a));

		if (!a)
			abort();
		s->acts = a;
		s->acts_cap = nc;
	}
	memset(&s->acts[s->n_acts], 0, sizeof(s->acts[0]));
	return &s->acts[s->n_acts++];
}

SIM_FN void sim_drain(struct sim *s)
{
	struct engine_action a;

	while (engine_next_action(s->e, &a)) {
		struct sim_act *r;

		if (s->exited) {
			s->violation = true;
			snprintf(s->err, sizeof(s->err), "action %d after ACT_EXIT", a.type);
		}
		r = sim_act_new(s);

		r->type = a.type;
		r->at = s->now;
		switch (a.type) {
		case ACT_CONNECT:
			r->remote_idx = a.remote >= s->cfg->remotes &&
						a.remote < s->cfg->remotes + s->cfg->n_remotes
					? (long)(a.remote - s->cfg->remotes) : -1;
			s->link_up_pending = true;
			s->link_up_at = s->now + 5;
			break;
		case ACT_DISCONNECT:
			/* what was sent is on the wire; what comes back finds no socket */
			s->connected = false;
			s->link_up_pending = false;
			link_clear(&s->s2c);
			break;
		case ACT_SEND:
		case ACT_DATA_SEND:
			r->data = malloc(a.len ? a.len : 1);
			if (!r->data)
				abort();
			memcpy(r->data, a.data, a.len);
			r->len = a.len;
			if (a.type == ACT_SEND) {
				if (!s->connected) {
					s->violation = true;
					snprintf(s->err, sizeof(s->err),
						 "ACT_SEND while not connected");
				}
				else
					sim_send(s, &s->c2s, a.data, a.len);
			}
			break;
		case ACT_KEY_INSTALL:
			r->slot = a.slot;
			r->key = a.key;
			if (a.slot <= MVPN_DP_SECONDARY) {
				s->dp[a.slot] = a.key;
				s->dp_has[a.slot] = true;
			}
			OPENSSL_cleanse(&a.key, sizeof(a.key));
			break;
		case ACT_KEY_SWAP: {
			struct mvpn_dp_key t = s->dp[0];
			bool h = s->dp_has[0];

			s->dp[0] = s->dp[1];
			s->dp_has[0] = s->dp_has[1];
			s->dp[1] = t;
			s->dp_has[1] = h;
			break;
		}
		case ACT_KEY_DEL:
			r->slot = a.slot;
			if (a.slot <= MVPN_DP_SECONDARY) {
				memset(&s->dp[a.slot], 0, sizeof(s->dp[a.slot]));
				s->dp_has[a.slot] = false;
			}
			break;
		case ACT_TUN_UP:
			r->peer_id = a.peer_id;
			if (a.cfg) {
				r->n_routes = a.cfg->n_routes;
				r->has_ifconfig = a.cfg->has_ifconfig;
				r->ifconfig_local = a.cfg->ifconfig_local;
				r->cipher = a.cfg->cipher;
				r->ekm = a.cfg->key_derivation_tls_ekm;
			}
			break;
		case ACT_TUN_DOWN:
			break;
		case ACT_EXIT:
			r->status = a.status;
			s->exited = true;
			s->exit_status = a.status;
			break;
		}
	}
}

SIM_FN void sim_event(struct sim *s, enum engine_ev_type type)
{
	struct engine_event ev = { .type = type, .now_ms = s->now, .wall = sim_wall(s) };

	engine_handle(s->e, &ev);
	sim_drain(s);
}

SIM_FN void sim_packet(struct sim *s, const uint8_t *pkt, size_t len)
{
	struct engine_event ev = {
	    .type = EV_LINK_PACKET,
	    .now_ms = s->now,
	    .wall = sim_wall(s),
	    .data = pkt,
	    .len = len,
	};

	engine_handle(s->e, &ev);
	sim_drain(s);
}

SIM_FN void sim_counters(struct sim *s, uint64_t bytes, uint64_t packets)
{
	struct engine_event ev = {
		.type = EV_DATA_COUNTERS, .now_ms = s->now, .wall = sim_wall(s),
		.bytes = bytes, .packets = packets,
	};

	engine_handle(s->e, &ev);
	sim_drain(s);
}

/* Deliver one junk packet to the engine: a replayed server packet or noise. */
SIM_FN void sim_junk(struct sim *s)
{
	uint8_t buf[1600];
	size_t len;

	s->n_junk++;
	if (s->n_cap && (sim_rng_next(&s->nrng) & 1)) {
		const struct sim_pkt *p = &s->cap[sim_rng_next(&s->nrng) % s->n_cap];

		sim_packet(s, p->data, p->len);
		return;
	}
	len = (size_t)(sim_rng_next(&s->nrng) % sizeof(buf));
	sim_rng_bytes(&s->nrng, buf, len);
	if (len && (sim_rng_next(&s->nrng) & 1))	/* a plausible control opcode */
		buf[0] = (uint8_t)((3 + sim_rng_next(&s->nrng) % 9) << 3 | (buf[0] & 7));
	sim_packet(s, buf, len);
}

/*
 * One step: move the clock to the next due thing (not past `until`) and do
 * everything due then.  Returns false when nothing was due before `until`.
 */
SIM_FN bool sim_step(struct sim *s, uint64_t until)
{
	uint64_t t = UINT64_MAX, et, prev = s->now;
	long i;

	if (s->exited)
		return false;
	if (s->link_up_pending)
		t = s->link_up_at;
	if ((i = link_first(&s->s2c)) >= 0 && s->s2c.q[i].at < t)
		t = s->s2c.q[i].at;
	if ((i = link_first(&s->c2s)) >= 0 && s->c2s.q[i].at < t)
		t = s->c2s.q[i].at;
	et = engine_next_timeout(s->e);
	if (et < t)
		t = et;
	if (srv_next_timeout(s) < t)
		t = srv_next_timeout(s);
	if (t > until) {
		if (until > s->now)
			s->now = until;
		return false;
	}
	if (t > s->now)
		s->now = t;
	if (s->now == prev) {
		/* a due timer must be consumed, not reported again forever */
		if (++s->n_spin > 10000) {
			s->spun = true;
			s->violation = true;
			snprintf(s->err, sizeof(s->err),
				 "no progress at t=%" PRIu64 " ms (engine timeout %" PRIu64 ")",
				 s->now, et);
			return false;
		}
	} else {
		s->n_spin = 0;
	}
	if (s->link_up_pending && s->now >= s->link_up_at) {
		s->link_up_pending = false;
		s->connected = true;
		sim_event(s, EV_LINK_UP);
	}
	while ((i = link_first(&s->s2c)) >= 0 && s->s2c.q[i].at <= s->now && !s->exited) {
		struct sim_pkt p;

		link_take(&s->s2c, i, &p);
		sim_packet(s, p.data, p.len);
		free(p.data);
		if (s->net.noise > 0 && !s->exited && sim_rng_unit(&s->nrng) < s->net.noise)
			sim_junk(s);
	}
	while ((i = link_first(&s->c2s)) >= 0 && s->c2s.q[i].at <= s->now) {
		struct sim_pkt p;

		link_take(&s->c2s, i, &p);
		srv_recv(s, p.data, p.len);
		free(p.data);
	}
	srv_tick(s);
	if (!s->exited && engine_next_timeout(s->e) <= s->now)
		sim_event(s, EV_TICK);
	return true;
}

/* Run until cond(s) holds (true) or `ms` simulated milliseconds passed. */
SIM_FN bool sim_run(struct sim *s, uint64_t ms, bool (*cond)(const struct sim *s))
{
	uint64_t until = s->now + ms;

	for (;;) {
		if (cond && cond(s))
			return true;
		if (!sim_step(s, until))
			return cond ? cond(s) : true;
	}
}

/* ------------------------------------------------------------------------ */
/* queries */

SIM_FN size_t sim_count(const struct sim *s, enum engine_act_type t, size_t from)
{
	size_t n = 0;

	for (size_t i = from; i < s->n_acts; i++)
		n += s->acts[i].type == t;
	return n;
}

/* Index of the first action of type t at or after from, or -1. */
SIM_FN long sim_find(const struct sim *s, enum engine_act_type t, size_t from)
{
	for (size_t i = from; i < s->n_acts; i++)
		if (s->acts[i].type == t)
			return (long)i;
	return -1;
}

SIM_FN bool sim_is_up(const struct sim *s)
{
	return engine_tunnel_up(s->e);
}

/* Up, and the server derived key 0 too. */
SIM_FN bool sim_up_both(const struct sim *s)
{
	return engine_tunnel_up(s->e) && s->srv.n_hist > 0;
}

SIM_FN bool sim_exited(const struct sim *s)
{
	return s->exited;
}

/* The engine's key equals the server's derivation, seen from the other side. */
SIM_FN bool sim_key_matches(const struct mvpn_dp_key *k, const struct srv_hist *h)
{
	size_t kl = mvpn_dp_cipher_key_len(h->cipher);

	return kl && k->key_id == h->key_id && k->cipher == h->cipher &&
	       !memcmp(k->encrypt.key, h->dk.rx_key, kl) &&
	       !memcmp(k->encrypt.nonce_tail, h->dk.rx_iv, MVPN_DP_NONCE_TAIL) &&
	       !memcmp(k->decrypt.key, h->dk.tx_key, kl) &&
	       !memcmp(k->decrypt.nonce_tail, h->dk.tx_iv, MVPN_DP_NONCE_TAIL);
}

#endif
