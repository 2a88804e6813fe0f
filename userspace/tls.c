// SPDX-License-Identifier: BSD-2-Clause
/*
 * tls.c: the control channel's TLS, OpenSSL over memory BIOs.
 *
 * OpenSSL options follow OpenVPN 2.6 where they matter on the wire: no
 * renegotiation inside TLS (OpenVPN renegotiates with a new key_id), no
 * tickets, no compression, no session cache, no SNI.  Peer checks that
 * OpenVPN does after OpenSSL's chain verification (remote-cert-tls,
 * verify-x509-name, peer-fingerprint) are done in the verify callback so a
 * failure aborts the handshake with a reason we can report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "tls.h"

#define MAX_FINGERPRINTS 16

struct tls_ctx {
	SSL_CTX *ssl_ctx;
	enum tls_remote_cert remote_cert;
	enum tls_x509_name_type x509_type;
	char x509_name[256];
	uint8_t fps[MAX_FINGERPRINTS][32];
	size_t n_fps;
	bool have_ca;
};

struct tls_conn {
	struct tls_ctx *ctx;
	SSL *ssl;
	BIO *rbio;	/* ciphertext from the peer */
	BIO *wbio;	/* ciphertext to the peer */
	char error[1024];
};

static int conn_index = -1;

static void set_err(char *err, size_t len, const char *what)
{
	unsigned long e = ERR_get_error();
	char ebuf[160] = "";

	if (e)
		ERR_error_string_n(e, ebuf, sizeof(ebuf));
	snprintf(err, len, "%s%s%s", what, e ? ": " : "", ebuf);
	ERR_clear_error();
}

/* Load every PEM certificate in buf; add each to the store. Returns count. */
static int load_ca(X509_STORE *store, const uint8_t *buf, size_t len)
{
	BIO *bio = BIO_new_mem_buf(buf, (int)len);
	X509 *x;
	int n = 0;

	if (!bio)
		return -1;
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
		if (X509_STORE_add_cert(store, x) == 1)
			n++;
		X509_free(x);
	}
	ERR_clear_error();	/* the end of the buffer reads as an error */
	BIO_free(bio);
	return n;
}

static void name_to_text(X509_NAME *name, char *buf, size_t len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	long n;
	char *p;

	buf[0] = '\0';
	if (!bio)
		return;
	/* OpenVPN's format: "C=KG, ST=NA, O=OpenVPN-TEST, CN=Test-Server". */
	X509_NAME_print_ex(bio, name, 0,
			   XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_FN_SN | ASN1_STRFLGS_UTF8_CONVERT |
				   ASN1_STRFLGS_ESC_CTRL);
	n = BIO_get_mem_data(bio, &p);
	if (n > 0) {
		size_t m = (size_t)n < len - 1 ? (size_t)n : len - 1;

		memcpy(buf, p, m);
		buf[m] = '\0';
	}
	BIO_free(bio);
}

static void common_name(X509 *x, char *buf, size_t len)
{
	buf[0] = '\0';
	X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, buf, (int)len);
}

/* The checks OpenVPN does on the peer's own (depth 0) certificate. */
static int check_leaf(struct tls_conn *c, X509 *x, int chain_ok)
{
	struct tls_ctx *ctx = c->ctx;
	char text[256];

	if (ctx->n_fps) {
		uint8_t md[32];
		unsigned int mdlen = 0;
		bool match = false;

		X509_digest(x, EVP_sha256(), md, &mdlen);
		for (size_t i = 0; i < ctx->n_fps && mdlen == 32; i++)
			if (CRYPTO_memcmp(md, ctx->fps[i], 32) == 0)
				match = true;
		if (!match) {
			snprintf(c->error, sizeof(c->error),
				 "peer certificate does not match any peer-fingerprint");
			return 0;
		}
	}
	if (!chain_ok)
		return 0;

	if (ctx->remote_cert != TLS_REMOTE_CERT_ANY) {
		uint32_t want = ctx->remote_cert == TLS_REMOTE_CERT_SERVER ? XKU_SSL_SERVER
									  : XKU_SSL_CLIENT;
		uint32_t xku = X509_get_extended_key_usage(x);

		/* As OpenVPN 2.6: remote-cert-tls also requires a keyUsage extension. */
		if (!(X509_get_extension_flags(x) & EXFLAG_KUSAGE)) {
			snprintf(c->error, sizeof(c->error),
				 "remote-cert-tls %s: peer certificate has no keyUsage extension",
				 want == XKU_SSL_SERVER ? "server" : "client");
			return 0;
		}

		if (!(X509_get_extension_flags(x) & EXFLAG_XKUSAGE) || !(xku & want)) {
			snprintf(c->error, sizeof(c->error),
				 "remote-cert-tls %s: peer certificate lacks the TLS Web %s Authentication extended key usage",
				 want == XKU_SSL_SERVER ? "server" : "client",
				 want == XKU_SSL_SERVER ? "Server" : "Client");
			return 0;
		}
	}

	switch (ctx->x509_type) {
	case TLS_X509_NONE:
		break;
	case TLS_X509_SUBJECT:
		name_to_text(X509_get_subject_name(x), text, sizeof(text));
		if (strcmp(text, ctx->x509_name) != 0) {
			snprintf(c->error, sizeof(c->error),
				 "verify-x509-name: peer subject '%s' is not '%s'", text, ctx->x509_name);
			return 0;
		}
		break;
	case TLS_X509_NAME:
	case TLS_X509_NAME_PREFIX:
		common_name(x, text, sizeof(text));
		if (ctx->x509_type == TLS_X509_NAME ? strcmp(text, ctx->x509_name) != 0
						    : strncmp(text, ctx->x509_name, strlen(ctx->x509_name)) != 0) {
			snprintf(c->error, sizeof(c->error),
				 "verify-x509-name: peer common name '%s' does not match '%s'%s", text,
				 ctx->x509_name, ctx->x509_type == TLS_X509_NAME_PREFIX ? " (prefix)" : "");
			return 0;
		}
		break;
	}
	return 1;
}

static int verify_cb(int ok, X509_STORE_CTX *store)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct tls_conn *c = ssl ? SSL_get_ex_data(ssl, conn_index) : NULL;
	int depth = X509_STORE_CTX_get_error_depth(store);
	X509 *x = X509_STORE_CTX_get_current_cert(store);

	if (!c)
		return ok;
	/* With peer-fingerprint and no CA, the fingerprint is the trust anchor. */
	if (!c->ctx->have_ca && c->ctx->n_fps) {
		if (depth > 0)
			return 1;
		return check_leaf(c, x, 1);
	}
	if (!ok) {
		char subj[256];

		name_to_text(X509_get_subject_name(x), subj, sizeof(subj));
		snprintf(c->error, sizeof(c->error), "certificate verification failed at depth %d (%s): %s",
			 depth, subj, X509_verify_cert_error_string(X509_STORE_CTX_get_error(store)));
		return 0;
	}
	if (depth == 0)
		return check_leaf(c, x, ok);
	return ok;
}

static int load_pkcs12(SSL_CTX *sc, X509_STORE *store, const struct tls_params *p, bool *have_ca,
		       char *err, size_t errlen)
{
	const unsigned char *q = p->pkcs12;
	PKCS12 *p12 = d2i_PKCS12(NULL, &q, (long)p->pkcs12_len);
	STACK_OF(X509) *ca = NULL;
	EVP_PKEY *pkey = NULL;
	X509 *cert = NULL;
	int ret = -1;

	if (!p12) {
		set_err(err, errlen, "pkcs12: not a PKCS#12 file");
		return -1;
	}
	if (!PKCS12_parse(p12, p->pkcs12_pass ? p->pkcs12_pass : "", &pkey, &cert, &ca)) {
		set_err(err, errlen, "pkcs12: cannot decrypt or parse (wrong password?)");
		goto out;
	}
	if (!cert || !pkey || SSL_CTX_use_certificate(sc, cert) != 1 ||
	    SSL_CTX_use_PrivateKey(sc, pkey) != 1) {
		set_err(err, errlen, "pkcs12: certificate or key unusable");
		goto out;
	}
	/* As OpenVPN: without --ca, the CA certificates inside the file are trusted. */
	for (int i = 0; ca && i < sk_X509_num(ca); i++) {
		X509 *x = sk_X509_value(ca, i);

		if (!p->ca)
			*have_ca = X509_STORE_add_cert(store, x) == 1 || *have_ca;
		else
			SSL_CTX_add1_chain_cert(sc, x);
	}
	ret = 0;
out:
	X509_free(cert);
	EVP_PKEY_free(pkey);
	sk_X509_pop_free(ca, X509_free);
	PKCS12_free(p12);
	return ret;
}

static int load_cert_key(SSL_CTX *sc, const struct tls_params *p, char *err, size_t errlen)
{
	BIO *bio = BIO_new_mem_buf(p->cert, (int)p->cert_len);
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	EVP_PKEY *pkey;
	int ret = -1;

	if (!x || SSL_CTX_use_certificate(sc, x) != 1) {
		set_err(err, errlen, "cert: no usable PEM certificate");
		goto out;
	}
	/* Further certificates in the same file, and extra-certs, form the chain. */
	for (X509 *y; (y = PEM_read_bio_X509(bio, NULL, NULL, NULL));)
		SSL_CTX_add0_chain_cert(sc, y);
	ERR_clear_error();
	if (p->extra_certs) {
		BIO *eb = BIO_new_mem_buf(p->extra_certs, (int)p->extra_certs_len);

		for (X509 *y; eb && (y = PEM_read_bio_X509(eb, NULL, NULL, NULL));)
			SSL_CTX_add0_chain_cert(sc, y);
		ERR_clear_error();
		BIO_free(eb);
	}
	BIO_free(bio);
	bio = BIO_new_mem_buf(p->key, (int)p->key_len);
	pkey = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"") : NULL;
	if (!pkey) {
		set_err(err, errlen, "key: no usable PEM private key (encrypted keys need askpass)");
		goto out;
	}
	if (SSL_CTX_use_PrivateKey(sc, pkey) != 1 || SSL_CTX_check_private_key(sc) != 1) {
		EVP_PKEY_free(pkey);
		set_err(err, errlen, "key: does not match the certificate");
		goto out;
	}
	EVP_PKEY_free(pkey);
	ret = 0;
out:
	X509_free(x);
	BIO_free(bio);
	return ret;
}

struct tls_ctx *tls_ctx_new(const struct tls_params *p, char *err, size_t errlen)
{
	struct tls_ctx *ctx = calloc(1, sizeof(*ctx));
	X509_STORE *store;
	SSL_CTX *sc;

	if (!ctx) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (conn_index < 0)
		conn_index = SSL_get_ex_new_index(0, (void *)"mvpn", NULL, NULL, NULL);
	sc = SSL_CTX_new(p->server ? TLS_server_method() : TLS_client_method());
	if (!sc) {
		set_err(err, errlen, "SSL_CTX_new");
		free(ctx);
		return NULL;
	}
	ctx->ssl_ctx = sc;
	SSL_CTX_set_options(sc, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET | SSL_OP_NO_COMPRESSION |
					SSL_OP_CIPHER_SERVER_PREFERENCE);
#ifdef SSL_OP_CLEANSE_PLAINTEXT
	/* The record buffers hold key-method 2 (the password) and PUSH_REPLY
	 * (the auth-token) in clear: wiped before they are freed. */
	SSL_CTX_set_options(sc, SSL_OP_CLEANSE_PLAINTEXT);
#endif
	SSL_CTX_set_session_cache_mode(sc, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_min_proto_version(sc, p->version_min ? p->version_min : TLS1_2_VERSION);
	if (p->version_max)
		SSL_CTX_set_max_proto_version(sc, p->version_max);
	SSL_CTX_set_security_level(sc, p->security_level >= 0 ? p->security_level : 1);
	if (SSL_CTX_set_cipher_list(sc, p->cipher_list ? p->cipher_list
				    : "DEFAULT:!EXP:!LOW:!MEDIUM:!kDH:!kECDH:!DSS:!PSK:!SRP:!kRSA") != 1) {
		set_err(err, errlen, "tls-cipher: no usable cipher in the list");
		goto fail;
	}
	if (p->ciphersuites && SSL_CTX_set_ciphersuites(sc, p->ciphersuites) != 1) {
		set_err(err, errlen, "tls-ciphersuites: no usable suite in the list");
		goto fail;
	}
	if (p->groups && SSL_CTX_set1_groups_list(sc, p->groups) != 1) {
		set_err(err, errlen, "tls-groups: unknown group in the list");
		goto fail;
	}

	store = SSL_CTX_get_cert_store(sc);
	if (p->ca) {
		if (load_ca(store, p->ca, p->ca_len) <= 0) {
			snprintf(err, errlen, "ca: no PEM certificate found");
			goto fail;
		}
		ctx->have_ca = true;
	}
	if (p->pkcs12) {
		if (load_pkcs12(sc, store, p, &ctx->have_ca, err, errlen))
			goto fail;
	} else if (p->cert || p->key) {
		if (!p->cert || !p->key) {
			snprintf(err, errlen, "cert and key must be given together");
			goto fail;
		}
		if (load_cert_key(sc, p, err, errlen))
			goto fail;
	}
	if (p->n_fingerprints > MAX_FINGERPRINTS) {
		snprintf(err, errlen, "peer-fingerprint: at most %d fingerprints", MAX_FINGERPRINTS);
		goto fail;
	}
	if (p->n_fingerprints)	/* fingerprints may be NULL: memcpy(dst, NULL, 0) is UB */
		memcpy(ctx->fps, p->fingerprints, p->n_fingerprints * 32);
	ctx->n_fps = p->n_fingerprints;
	if (!ctx->have_ca && !ctx->n_fps) {
		snprintf(err, errlen, "no way to verify the peer: need ca (or pkcs12 with CA) or peer-fingerprint");
		goto fail;
	}
	ctx->remote_cert = p->remote_cert;
	ctx->x509_type = p->x509_type;
	if (p->x509_name)
		snprintf(ctx->x509_name, sizeof(ctx->x509_name), "%s", p->x509_name);
	SSL_CTX_set_verify(sc, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_cb);
	return ctx;
fail:
	tls_ctx_free(ctx);
	return NULL;
}

void tls_ctx_free(struct tls_ctx *ctx)
{
	if (!ctx)
		return;
	SSL_CTX_free(ctx->ssl_ctx);
	OPENSSL_cleanse(ctx, sizeof(*ctx));
	free(ctx);
}

struct tls_conn *tls_conn_new(struct tls_ctx *ctx, char *err, size_t errlen)
{
	struct tls_conn *c = calloc(1, sizeof(*c));

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->ctx = ctx;
	c->ssl = SSL_new(ctx->ssl_ctx);
	c->rbio = BIO_new(BIO_s_mem());
	c->wbio = BIO_new(BIO_s_mem());
	if (!c->ssl || !c->rbio || !c->wbio) {
		set_err(err, errlen, "SSL_new");
		BIO_free(c->rbio);
		BIO_free(c->wbio);
		SSL_free(c->ssl);
		free(c);
		return NULL;
	}
	BIO_set_mem_eof_return(c->rbio, -1);
	SSL_set_bio(c->ssl, c->rbio, c->wbio);	/* the SSL owns both now */
	SSL_set_ex_data(c->ssl, conn_index, c);
	if (SSL_CTX_get_ssl_method(ctx->ssl_ctx) == TLS_client_method())
		SSL_set_connect_state(c->ssl);
	else
		SSL_set_accept_state(c->ssl);
	return c;
}

void tls_conn_free(struct tls_conn *c)
{
	if (!c)
		return;
	SSL_free(c->ssl);
	free(c);
}

int tls_conn_put_ciphertext(struct tls_conn *c, const uint8_t *buf, size_t len)
{
	return BIO_write(c->rbio, buf, (int)len) == (int)len ? 0 : -1;
}

size_t tls_conn_pending_ciphertext(struct tls_conn *c)
{
	return BIO_ctrl_pending(c->wbio);
}

size_t tls_conn_get_ciphertext(struct tls_conn *c, uint8_t *buf, size_t max)
{
	int n = BIO_read(c->wbio, buf, (int)max);

	return n > 0 ? (size_t)n : 0;
}

static enum tls_status ssl_result(struct tls_conn *c, int ret, const char *what)
{
	int e = SSL_get_error(c->ssl, ret);

	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return TLS_HANDSHAKING;
	if (!c->error[0]) {
		long vr = SSL_get_verify_result(c->ssl);

		if (vr != X509_V_OK)
			snprintf(c->error, sizeof(c->error), "%s: certificate verification failed: %s", what,
				 X509_verify_cert_error_string(vr));
		else
			set_err(c->error, sizeof(c->error), what);
	}
	ERR_clear_error();
	return TLS_ERROR;
}

enum tls_status tls_conn_handshake(struct tls_conn *c)
{
	int ret;

	if (SSL_is_init_finished(c->ssl))
		return TLS_ESTABLISHED;
	ret = SSL_do_handshake(c->ssl);
	if (ret == 1)
		return TLS_ESTABLISHED;
	return ssl_result(c, ret, "TLS handshake");
}

int tls_conn_write(struct tls_conn *c, const uint8_t *buf, size_t len)
{
	int ret = SSL_write(c->ssl, buf, (int)len);

	if (ret == (int)len)
		return 0;
	ssl_result(c, ret, "TLS write");
	return -1;
}

int tls_conn_read(struct tls_conn *c, uint8_t *buf, size_t max)
{
	int ret = SSL_read(c->ssl, buf, (int)max);

	if (ret > 0)
		return ret;
	return ssl_result(c, ret, "TLS read") == TLS_HANDSHAKING ? 0 : -1;
}

int tls_conn_export(struct tls_conn *c, const char *label, uint8_t *out, size_t len)
{
	if (SSL_export_keying_material(c->ssl, out, len, label, strlen(label), NULL, 0, 0) != 1) {
		set_err(c->error, sizeof(c->error), "TLS keying material export");
		return -1;
	}
	return 0;
}

const char *tls_conn_error(const struct tls_conn *c)
{
	return c->error[0] ? c->error : "unknown TLS error";
}

void tls_conn_describe(const struct tls_conn *c, char *buf, size_t len)
{
	X509 *peer = SSL_get1_peer_certificate(c->ssl);
	char subj[256] = "?";

	if (peer) {
		name_to_text(X509_get_subject_name(peer), subj, sizeof(subj));
		X509_free(peer);
	}
	snprintf(buf, len, "%s, cipher %s, peer %s", SSL_get_version(c->ssl),
		 SSL_get_cipher_name(c->ssl), subj);
}

int tls_cert_fingerprint(const uint8_t *pem, size_t len, uint8_t out[32])
{
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	unsigned int n = 0;

	BIO_free(bio);
	if (!x)
		return -1;
	X509_digest(x, EVP_sha256(), out, &n);
	X509_free(x);
	return n == 32 ? 0 : -1;
}
