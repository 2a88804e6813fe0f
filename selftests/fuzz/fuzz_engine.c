// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz_engine: the client engine (engine.c) driven by a script of events,
 * next to the in-memory OpenVPN 2.6-style server of the unit tests
 * (selftests/unit/engine_sim.h).
 *
 * Input:
 *   byte 0   wrapper (bits 0-1: none, tls-auth, tls-crypt, tls-crypt-v2),
 *            bit 2: --force-prf, bit 3: the server's key-method 2 is the
 *            first record's data (fuzzes its parser and what follows)
 *   byte 1   how far the honest handshake runs first: that many simulation
 *            steps, 255 = until the tunnel is up
 *   then records [op][len:2 BE][data], see enum rec.
 *
 * So the fuzzer reaches the engine in every state with authentic traffic
 * behind it: raw packets hit the parsers, server-sealed packets with
 * chosen fields pass the wrapper and reach the reliability layer and the
 * key states, and server plaintext (key-method 2, PUSH_REPLY, AUTH_FAILED,
 * RESTART, ...) arrives over the real TLS session.
 *
 * Oracles besides ASan/UBSan/LeakSanitizer: the engine keeps its contract
 * (no ACT_SEND without a transport, nothing after ACT_EXIT and no timer
 * either, no timer that stays due after EV_TICK).  The PKI is made in
 * memory at start-up (P-256 CA, server and client certificates with the
 * serverAuth / clientAuth EKU, a static key, a tls-crypt-v2 server and
 * client key).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "../unit/engine_sim.h"
#include "encoding.h"
#include "log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum rec {
	R_PACKET,	/* raw bytes to the engine */
	R_SEALED,	/* a packet with chosen fields, sealed by the server */
	R_TIME,		/* let the world run: u16 x 16 ms */
	R_PLAIN,	/* the server writes these bytes into its TLS session */
	R_EVENT,	/* an engine event: type, then bytes/packets */
	R_SOFT_RESET,	/* the server renegotiates */
	R_REPLAY,	/* a server packet seen earlier, again */
	R_LINK,		/* loss / duplication / jitter of the link */
	R_COUNT,
};

static struct sim_pki pki;

/* ------------------------------------------------------------------------ */
/* in-memory PKI */

static char *pem_of(int (*wr)(BIO *, void *), void *obj)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL, *out;
	long n;

	if (!b || !wr(b, obj))
		abort();
	n = BIO_get_mem_data(b, &p);
	out = malloc((size_t)n + 1);
	if (!out)
		abort();
	memcpy(out, p, (size_t)n);
	out[n] = '\0';
	BIO_free(b);
	return out;
}

static int wr_x509(BIO *b, void *x)
{
	return PEM_write_bio_X509(b, x);
}

static int wr_key(BIO *b, void *k)
{
	return PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL);
}

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!e || !X509_add_ext(x, e, -1))
		abort();
	X509_EXTENSION_free(e);
}

/* eku NULL: a CA certificate (self-signed when issuer is NULL). */
static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *ikey, const char *eku)
{
	static long serial = 1;
	X509 *x = X509_new();
	X509_NAME *n;

	if (!x)
		abort();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 3650L * 86400);
	X509_set_pubkey(x, key);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
	if (eku) {
		add_ext(x, issuer, NID_basic_constraints, "CA:FALSE");
		add_ext(x, issuer, NID_key_usage, "digitalSignature,keyAgreement");
		add_ext(x, issuer, NID_ext_key_usage, eku);
	} else {
		add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, x, NID_key_usage, "keyCertSign,cRLSign");
	}
	if (!X509_sign(x, ikey ? ikey : key, EVP_sha256()))
		abort();
	return x;
}

static char *armour(const char *name, const uint8_t *b, size_t len, bool hex)
{
	size_t cap = 256 + len * 3;
	char *t = malloc(cap), *enc = malloc(len * 2 + 8);
	size_t n, el;

	if (!t || !enc)
		abort();
	if (hex) {
		for (size_t i = 0; i < len; i++)
			sprintf(enc + 2 * i, "%02x", b[i]);
		el = len * 2;
	} else {
		if (b64_encode(b, len, enc, len * 2 + 8) < 0)
			abort();
		el = strlen(enc);
	}
	n = (size_t)snprintf(t, cap, "-----BEGIN %s-----\n", name);
	for (size_t i = 0; i < el; i += 64)
		n += (size_t)snprintf(t + n, cap - n, "%.*s\n", (int)(el - i < 64 ? el - i : 64),
				      enc + i);
	snprintf(t + n, cap - n, "-----END %s-----\n", name);
	free(enc);
	return t;
}

static void make_pki(void)
{
	EVP_PKEY *ck = EVP_EC_gen("P-256"), *sk = EVP_EC_gen("P-256"), *uk = EVP_EC_gen("P-256");
	uint8_t ta[256], v2s[128], kc[256], v2c[256 + WRAP_V2_WKC_MAX];
	static const uint8_t meta[] = { WRAP_V2_META_USER, 'f', 'u', 'z', 'z' };
	X509 *ca, *srv, *cli;
	long w;

	if (!ck || !sk || !uk)
		abort();
	ca = make_cert("mvpn-fuzz-ca", ck, NULL, NULL, NULL);
	srv = make_cert("server", sk, ca, ck, "serverAuth");
	cli = make_cert("client", uk, ca, ck, "clientAuth");
	pki.ca = pem_of(wr_x509, ca);
	pki.server_crt = pem_of(wr_x509, srv);
	pki.client_crt = pem_of(wr_x509, cli);
	pki.server_key = pem_of(wr_key, sk);
	pki.client_key = pem_of(wr_key, uk);
	if (RAND_bytes(ta, sizeof(ta)) != 1 || RAND_bytes(v2s, sizeof(v2s)) != 1 ||
	    RAND_bytes(kc, sizeof(kc)) != 1)
		abort();
	pki.ta = armour("OpenVPN Static key V1", ta, sizeof(ta), true);
	pki.v2_server = armour("OpenVPN tls-crypt-v2 server key", v2s, sizeof(v2s), false);
	memcpy(v2c, kc, sizeof(kc));
	w = wrap_v2_wrap_wkc(v2s, kc, meta, sizeof(meta), v2c + sizeof(kc), WRAP_V2_WKC_MAX);
	if (w < 0)
		abort();
	pki.v2_client =
	    armour("OpenVPN tls-crypt-v2 client key", v2c, sizeof(kc) + (size_t)w, false);
	X509_free(ca);
	X509_free(srv);
	X509_free(cli);
	EVP_PKEY_free(ck);
	EVP_PKEY_free(sk);
	EVP_PKEY_free(uk);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_verbosity = getenv("MVPN_FUZZ_VERB") ? atoi(getenv("MVPN_FUZZ_VERB")) : 0;
	make_pki();
	return 0;
}

/* ------------------------------------------------------------------------ */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* [opcode][key_id][flags][n_acks][acks 4 x n][msg_id 4] payload... */
static void sealed(struct sim *s, const uint8_t *d, size_t n)
{
	uint8_t out[SIM_MAX_PKT], other[CTL_SID_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct ctl_pkt p = { 0 };
	struct wrap_ctx tmp;
	bool use_tmp;
	size_t off = 4;
	uint8_t flags;
	long len;

	if (n < 8)
		return;
	p.opcode = (uint8_t)(3 + d[0] % 9);	/* control opcodes 3..11 */
	p.key_id = d[1] & CTL_KEY_ID_MASK;
	flags = d[2];
	p.n_acks = d[3] % (CTL_ACK_MAX + 1);
	if (p.opcode == CTL_OP_ACK_V1 && !p.n_acks)
		p.n_acks = 1;
	for (unsigned int i = 0; i < p.n_acks; i++, off += 4)
		p.acks[i] = off + 4 <= n ? be32(d + off) : i;
	if (off + 4 <= n) {
		p.msg_id = be32(d + off);
		off += 4;
	}
	if (flags & 4)		/* steer towards ids the engine is waiting for */
		p.msg_id %= 16;
	if (p.opcode != CTL_OP_ACK_V1 && off < n) {
		p.payload = d + off;
		p.payload_len = n - off;
	}
	/* before the session exists the server seals with a fresh wrapper */
	use_tmp = !s->srv.have_session;
	if (use_tmp && srv_wrap_init(&s->srv, &tmp))
		return;
	if (use_tmp) {
		memcpy(p.sid, s->srv.sid, CTL_SID_LEN);
		if (p.n_acks)
			memcpy(p.peer_sid, s->srv.csid, CTL_SID_LEN);
		len = wrap_seal(&tmp, &p, sim_wall(s), out, sizeof(out));
		wrap_free(&tmp);
	} else {
		len = srv_forge_as(s, &p, (flags & 1) ? other : NULL, (flags & 2) ? other : NULL,
				   out, sizeof(out));
	}
	if (len > 0)
		sim_packet(s, out, (size_t)len);
}

static void plain(struct sim *s, const uint8_t *d, size_t n)
{
	struct sim_srv *v = &s->srv;
	struct srv_ks *ks;

	if (!v->have_session)
		return;
	ks = &v->ks[v->last_key_id];
	if (ks->st < SKS_KM2)
		ks = &v->ks[0];
	if (ks->st < SKS_KM2 || !ks->tls)
		return;
	if (tls_conn_write(ks->tls, d, n) == 0) {
		srv_pump(s, ks);
		sim_run(s, 200, NULL);
	}
}

static void event(struct sim *s, const uint8_t *d, size_t n)
{
	static const enum engine_ev_type evs[] = {
		EV_START, EV_LINK_UP, EV_LINK_DOWN, EV_TICK, EV_STOP, EV_RESTART,
		EV_PEER_EXPIRED, EV_KEY_LOW, EV_DATA_COUNTERS, EV_DATA_EXIT,
	};
	enum engine_ev_type t;

	if (!n)
		return;
	t = evs[d[0] % (sizeof(evs) / sizeof(evs[0]))];
	if (t == EV_DATA_COUNTERS) {
		uint64_t bytes = n >= 5 ? (uint64_t)be32(d + 1) << 8 : 0;
		uint64_t pkts = n >= 9 ? be32(d + 5) : 0;

		sim_counters(s, bytes, pkts);
		return;
	}
	if (t == EV_LINK_UP)
		s->connected = true;	/* what a loop would do when its socket is ready */
	sim_event(s, t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_opts o = { .seed = 1, .capture = true, .style = SIM_CFG_INLINE,
			      .net = { .latency_ms = 10 } };
	size_t off = 2;
	char err[512];
	struct sim *s;
	int records = 0;

	if (size < 2 || size > 16384)
		return 0;
	o.wrap = (enum mvpn_tls_wrap)(data[0] & 3);
	o.force_prf = data[0] & 4;
	o.srv.peer_id = 1;
	if (data[0] & 8) {
		/* the first record's data replaces the server's key-method 2 */
		if (size >= 5 && 5 + ((size_t)data[3] << 8 | data[4]) <= size) {
			o.srv.km2 = data + 5;
			o.srv.km2_len = (size_t)data[3] << 8 | data[4];
			off = 5 + o.srv.km2_len;
		}
	}
	s = sim_new(&pki, &o, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "fuzz_engine: %s\n", err);
		abort();
	}
	sim_event(s, EV_START);
	if (data[1] == 255) {
		sim_run(s, 60000, sim_is_up);
	} else {
		for (int i = 0; i < data[1] && sim_step(s, s->now + 60000); i++)
			;
	}

	while (off + 3 <= size && records++ < 200 && !s->violation) {
		enum rec op = (enum rec)(data[off] % R_COUNT);
		size_t n = (size_t)data[off + 1] << 8 | data[off + 2];
		const uint8_t *d = data + off + 3;

		off += 3;
		if (n > size - off)
			n = size - off;
		off += n;
		switch (op) {
		case R_PACKET:
			sim_packet(s, d, n);
			break;
		case R_SEALED:
			sealed(s, d, n);
			break;
		case R_TIME:
			sim_run(s, n >= 2 ? (uint64_t)(d[0] << 8 | d[1]) * 16 : 1000, NULL);
			break;
		case R_PLAIN:
			plain(s, d, n);
			break;
		case R_EVENT:
			event(s, d, n);
			break;
		case R_SOFT_RESET:
			srv_soft_reset(s);
			sim_run(s, 500, NULL);
			break;
		case R_REPLAY:
			if (s->n_cap && n >= 1) {
				const struct sim_pkt *p = &s->cap[d[0] % s->n_cap];

				sim_packet(s, p->data, p->len);
			}
			break;
		case R_LINK:
			if (n >= 3) {
				s->net.loss = (d[0] % 64) / 100.0;
				s->net.dup = (d[1] % 64) / 100.0;
				s->net.jitter_ms = d[2] * 4u;
			}
			break;
		case R_COUNT:
			break;
		}
	}
	if (!s->violation)
		sim_run(s, 5000, NULL);
	if (s->exited && engine_next_timeout(s->e) != UINT64_MAX) {
		s->violation = true;
		snprintf(s->err, sizeof(s->err), "a timer after ACT_EXIT");
	}
	if (s->violation) {
		fprintf(stderr, "fuzz_engine: engine contract broken: %s (state %s)\n", s->err,
			engine_state_name(s->e));
		abort();
	}
	sim_free(s);
	return 0;
}
