/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tls.h: TLS for the control channel, through OpenSSL over memory BIOs.
 *
 * TLS never sees a socket: the engine feeds it the ciphertext that the
 * reliability layer delivered in order, and takes out the ciphertext to
 * send.  One tls_ctx per configuration, one tls_conn per key_id (OpenVPN
 * runs a full new handshake for every renegotiation).
 */
#ifndef MVPN_TLS_H
#define MVPN_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tls_x509_name_type {
	TLS_X509_NONE,
	TLS_X509_SUBJECT,	/* the whole subject DN, OpenVPN's formatting */
	TLS_X509_NAME,		/* the CN equals the name */
	TLS_X509_NAME_PREFIX,	/* the CN starts with the name */
};

enum tls_remote_cert {
	TLS_REMOTE_CERT_ANY,
	TLS_REMOTE_CERT_SERVER,	/* remote-cert-tls server: EKU serverAuth */
	TLS_REMOTE_CERT_CLIENT,	/* remote-cert-tls client: EKU clientAuth */
};

/* Everything needed to set up a TLS context.  Buffers are PEM (DER for
 * pkcs12) and only borrowed for the duration of tls_ctx_new(). */
struct tls_params {
	bool server;
	const uint8_t *ca;
	size_t ca_len;
	const uint8_t *cert;
	size_t cert_len;
	const uint8_t *extra_certs;
	size_t extra_certs_len;
	const uint8_t *key;
	size_t key_len;
	const uint8_t *pkcs12;
	size_t pkcs12_len;
	const char *pkcs12_pass;	/* NULL: no password */
	int version_min;		/* TLS1_2_VERSION etc., 0: TLS 1.2 */
	int version_max;		/* 0: no maximum */
	const char *cipher_list;	/* tls-cipher (TLS <= 1.2), NULL: default */
	const char *ciphersuites;	/* tls-ciphersuites (TLS 1.3) */
	const char *groups;		/* tls-groups */
	int security_level;		/* -1: default (tls-cert-profile legacy = 1) */
	enum tls_remote_cert remote_cert;
	enum tls_x509_name_type x509_type;
	const char *x509_name;
	const uint8_t (*fingerprints)[32];	/* SHA-256 of the peer's leaf certificate */
	size_t n_fingerprints;
};

struct tls_ctx;
struct tls_conn;

enum tls_status {
	TLS_ERROR = -1,
	TLS_HANDSHAKING = 0,
	TLS_ESTABLISHED = 1,
};

/* NULL on failure with a reason in err. */
struct tls_ctx *tls_ctx_new(const struct tls_params *p, char *err, size_t errlen);
void tls_ctx_free(struct tls_ctx *ctx);

struct tls_conn *tls_conn_new(struct tls_ctx *ctx, char *err, size_t errlen);
void tls_conn_free(struct tls_conn *c);

/* Ciphertext in (from the peer, in order) and out (to the peer). */
int tls_conn_put_ciphertext(struct tls_conn *c, const uint8_t *buf, size_t len);
size_t tls_conn_pending_ciphertext(struct tls_conn *c);
size_t tls_conn_get_ciphertext(struct tls_conn *c, uint8_t *buf, size_t max);

/* Drive the handshake as far as the input allows. */
enum tls_status tls_conn_handshake(struct tls_conn *c);

/* Plaintext after the handshake.  write: 0 or -1.  read: bytes read
 * (at most one record), 0 when nothing is available, -1 on error. */
int tls_conn_write(struct tls_conn *c, const uint8_t *buf, size_t len);
int tls_conn_read(struct tls_conn *c, uint8_t *buf, size_t max);

/* RFC 5705 keying material exporter, no context.  0 or -1. */
int tls_conn_export(struct tls_conn *c, const char *label, uint8_t *out, size_t len);

/* Why the last operation failed: which check, with OpenSSL's reason. */
const char *tls_conn_error(const struct tls_conn *c);

/* "TLSv1.3, cipher TLS_AES_256_GCM_SHA384, peer CN=server" for the log. */
void tls_conn_describe(const struct tls_conn *c, char *buf, size_t len);

/* SHA-256 fingerprint of a PEM certificate ("AB:CD:..." text form parsing
 * lives in the config parser). 0 or -1. */
int tls_cert_fingerprint(const uint8_t *pem, size_t len, uint8_t out[32]);

#endif
