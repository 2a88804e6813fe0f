// SPDX-License-Identifier: BSD-2-Clause
/*
 * config_tls.c: the cryptographic directives: certificates and keys (files
 * or inline blocks), TLS settings and peer verification, control-channel
 * wrappers, static keys, data-channel ciphers and digests, compression,
 * user/password authentication, and the options only a server pushes.
 * Helpers and the other directives are in config.c.
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"
#include "encoding.h"

/* ---- names ---------------------------------------------------------------- */

static const struct { const char *name; enum mvpn_cipher c; } cipher_names[] = {
	{ "AES-128-GCM", MVPN_CIPHER_AES_128_GCM },
	{ "AES-192-GCM", MVPN_CIPHER_AES_192_GCM },
	{ "AES-256-GCM", MVPN_CIPHER_AES_256_GCM },
	{ "CHACHA20-POLY1305", MVPN_CIPHER_CHACHA20_POLY1305 },
	{ "AES-128-CBC", MVPN_CIPHER_AES_128_CBC },
	{ "AES-192-CBC", MVPN_CIPHER_AES_192_CBC },
	{ "AES-256-CBC", MVPN_CIPHER_AES_256_CBC },
	{ "BF-CBC", MVPN_CIPHER_BF_CBC },
	{ "none", MVPN_CIPHER_NONE },
};

const char *config_cipher_name(enum mvpn_cipher c)
{
	for (size_t i = 0; i < sizeof(cipher_names) / sizeof(cipher_names[0]); i++)
		if (cipher_names[i].c == c)
			return cipher_names[i].name;
	return "?";
}

bool config_cipher_is_aead(enum mvpn_cipher c)
{
	return c == MVPN_CIPHER_AES_128_GCM || c == MVPN_CIPHER_AES_192_GCM ||
	       c == MVPN_CIPHER_AES_256_GCM || c == MVPN_CIPHER_CHACHA20_POLY1305;
}

/* Case-insensitive, as OpenSSL's lookup is (OpenVPN normalises the case). */
static enum mvpn_cipher cipher_lookup(const char *s)
{
	for (size_t i = 0; i < sizeof(cipher_names) / sizeof(cipher_names[0]); i++)
		if (strcasecmp(cipher_names[i].name, s) == 0)
			return cipher_names[i].c;
	return MVPN_CIPHER_UNSET;
}

static const struct { const char *name; enum mvpn_digest d; } digest_names[] = {
	{ "MD5", MVPN_DIGEST_MD5 },	{ "SHA1", MVPN_DIGEST_SHA1 },
	{ "SHA224", MVPN_DIGEST_SHA224 }, { "SHA256", MVPN_DIGEST_SHA256 },
	{ "SHA384", MVPN_DIGEST_SHA384 }, { "SHA512", MVPN_DIGEST_SHA512 },
	{ "none", MVPN_DIGEST_NONE },
	/* OpenSSL aliases seen in the wild */
	{ "SHA-1", MVPN_DIGEST_SHA1 },	{ "SHA-224", MVPN_DIGEST_SHA224 },
	{ "SHA-256", MVPN_DIGEST_SHA256 }, { "SHA-384", MVPN_DIGEST_SHA384 },
	{ "SHA-512", MVPN_DIGEST_SHA512 }, { "SHA2-224", MVPN_DIGEST_SHA224 },
	{ "SHA2-256", MVPN_DIGEST_SHA256 }, { "SHA2-384", MVPN_DIGEST_SHA384 },
	{ "SHA2-512", MVPN_DIGEST_SHA512 },
};

const char *config_digest_name(enum mvpn_digest dg)
{
	for (size_t i = 0; i < sizeof(digest_names) / sizeof(digest_names[0]); i++)
		if (digest_names[i].d == dg)
			return digest_names[i].name;
	return "?";
}

/* ---- TLS and PKI ----------------------------------------------------------- */

static bool blob_has(const struct mvpn_blob *b, const char *needle)
{
	return b->data && memmem(b->data, b->len, needle, strlen(needle));
}

static int pem_check(struct dctx *d, const struct mvpn_blob *b, const char *kind)
{
	if (!blob_has(b, "-----BEGIN ") || !blob_has(b, kind))
		return cfg_err(d, "%s holds no PEM %s (-----BEGIN ...%s-----)",
			       b->path ? b->path : "the inline block", kind, kind);
	return 0;
}

static int h_ca(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (cfg_load_ref(d, &d->cfg->ca, false))
		return -1;
	return d->cfg->ca.data ? pem_check(d, &d->cfg->ca, "CERTIFICATE") : 0;
}

static int h_cert(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (cfg_load_ref(d, &d->cfg->cert, false))
		return -1;
	return d->cfg->cert.data ? pem_check(d, &d->cfg->cert, "CERTIFICATE") : 0;
}

static int h_extra_certs(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (cfg_load_ref(d, &d->cfg->extra_certs, false))
		return -1;
	return d->cfg->extra_certs.data ? pem_check(d, &d->cfg->extra_certs, "CERTIFICATE") : 0;
}

static int h_key(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (cfg_load_ref(d, &d->cfg->key, false))
		return -1;
	return d->cfg->key.data ? pem_check(d, &d->cfg->key, "PRIVATE KEY") : 0;
}

static int h_pkcs12(struct dctx *d, const struct directive *de)
{
	struct mvpn_blob *b = &d->cfg->pkcs12;

	(void)de;
	if (cfg_load_ref(d, b, true))
		return -1;
	if (b->data && d->is_inline) {
		/* inline PKCS#12 is base64 text: decode it to DER in place */
		long n = b64_decode((const char *)b->data, b->len, b->data, b->len);

		if (n <= 0) {
			cfg_blob_clear(b);
			return cfg_err(d, "the inline <pkcs12> block is not base64");
		}
		explicit_bzero(b->data + n, b->len - (size_t)n);
		b->len = (size_t)n;
	}
	if (b->data && (b->len < 2 || b->data[0] != 0x30))
		return cfg_err(d, "%s is not a DER PKCS#12 file", b->path ? b->path : "the inline block");
	return 0;
}

static int h_crl_verify(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (d->argc > 2) {
		if (strcmp(d->argv[2], "dir") == 0)
			return cfg_err(d, "a CRL directory ('dir') is not supported; give one CRL file");
		return cfg_err(d, "unknown flag '%s'", d->argv[2]);
	}
	if (cfg_load_ref(d, &d->cfg->crl, false))
		return -1;
	return d->cfg->crl.data ? pem_check(d, &d->cfg->crl, "X509 CRL") : 0;
}

static int h_dh(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (!d->is_inline && strcmp(d->argv[1], "none") == 0) {
		cfg_blob_clear(&d->cfg->dh);
		d->cfg->priv->dh_none = true;
		return 0;
	}
	if (cfg_load_ref(d, &d->cfg->dh, false))
		return -1;
	return d->cfg->dh.data ? pem_check(d, &d->cfg->dh, "PARAMETERS") : 0;
}

/* First line of a text blob, without its line ending; NULL on OOM. */
static char *first_line(const char *s, size_t len, size_t *used)
{
	size_t n = 0;

	while (n < len && s[n] != '\n')
		n++;
	*used = n < len ? n + 1 : n;
	while (n > 0 && s[n - 1] == '\r')
		n--;
	return cfg_strndup(s, n);
}

static int h_askpass(struct dctx *d, const struct directive *de)
{
	struct mvpn_blob b = { 0 };
	size_t used;
	int rc = 0;

	(void)de;
	if (d->argc == 1) {
		d->cfg->askpass_prompt = true;
		return 0;
	}
	if (cfg_load_ref(d, &b, false))
		return -1;
	if (!b.data)
		return 0;
	cfg_free_secret(d->cfg->askpass);
	d->cfg->askpass = first_line((const char *)b.data, b.len, &used);
	if (!d->cfg->askpass)
		rc = cfg_err(d, "out of memory");
	cfg_blob_clear(&b);
	d->cfg->askpass_prompt = false;
	return rc;
}

static int h_tls_version(struct dctx *d, const struct directive *de)
{
	bool is_min = strcmp(de->name, "tls-version-min") == 0;
	enum mvpn_tls_version v = MVPN_TLS_VERSION_UNSET;

	if (strcmp(d->argv[1], "1.0") == 0)
		v = MVPN_TLS_1_0;
	else if (strcmp(d->argv[1], "1.1") == 0)
		v = MVPN_TLS_1_1;
	else if (strcmp(d->argv[1], "1.2") == 0)
		v = MVPN_TLS_1_2;
	else if (strcmp(d->argv[1], "1.3") == 0)
		v = MVPN_TLS_1_3;
	if (d->argc > 2) {
		if (!is_min || strcmp(d->argv[2], "or-highest") != 0)
			return cfg_err(d, "unknown flag '%s'%s", d->argv[2],
				       is_min ? " (only 'or-highest')" : "");
		d->cfg->tls_version_min_or_highest = true;
		if (v == MVPN_TLS_VERSION_UNSET)
			v = MVPN_TLS_1_3;	/* unknown version: the highest we have */
	}
	if (v == MVPN_TLS_VERSION_UNSET)
		return cfg_err(d, "unknown TLS version '%s' (1.0, 1.1, 1.2 or 1.3)", d->argv[1]);
	if (is_min)
		d->cfg->tls_version_min = v;
	else
		d->cfg->tls_version_max = v;
	return 0;
}

static int h_tls_cert_profile(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (strcmp(d->argv[1], "legacy") && strcmp(d->argv[1], "preferred") &&
	    strcmp(d->argv[1], "suiteb") && strcmp(d->argv[1], "insecure"))
		return cfg_err(d, "unknown profile '%s' (legacy, preferred, suiteb or insecure)",
			       d->argv[1]);
	return cfg_set_str(d, &d->cfg->tls_cert_profile, d->argv[1]);
}

static int h_remote_cert_tls(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (strcmp(d->argv[1], "server") == 0)
		d->cfg->remote_cert_tls = MVPN_REMOTE_CERT_SERVER;
	else if (strcmp(d->argv[1], "client") == 0)
		d->cfg->remote_cert_tls = MVPN_REMOTE_CERT_CLIENT;
	else
		return cfg_err(d, "'%s' must be 'server' or 'client'", d->argv[1]);
	return 0;
}

static int h_remote_cert_ku(struct dctx *d, const struct directive *de)
{
	struct mvpn_config *c = d->cfg;

	(void)de;
	c->n_remote_cert_ku = 0;
	for (int i = 1; i < d->argc; i++) {
		char *end;
		unsigned long v = strtoul(d->argv[i], &end, 16);

		if (!*d->argv[i] || *end || v > 0xffff)
			return cfg_err(d, "'%s' is not a hex key usage value (e.g. a0, 88)",
				       d->argv[i]);
		c->remote_cert_ku[c->n_remote_cert_ku++] = (uint16_t)v;
	}
	c->remote_cert_ku_set = true;
	return 0;
}

static int h_verify_x509_name(struct dctx *d, const struct directive *de)
{
	enum mvpn_x509_name_type t = MVPN_X509_NAME_SUBJECT;

	(void)de;
	if (!d->argv[1][0])
		return cfg_err(d, "empty name");
	if (d->argc > 2) {
		if (strcmp(d->argv[2], "subject") == 0)
			t = MVPN_X509_NAME_SUBJECT;
		else if (strcmp(d->argv[2], "name") == 0)
			t = MVPN_X509_NAME_CN;
		else if (strcmp(d->argv[2], "name-prefix") == 0)
			t = MVPN_X509_NAME_CN_PREFIX;
		else
			return cfg_err(d, "unknown name type '%s' (subject, name or name-prefix)",
				       d->argv[2]);
	}
	d->cfg->verify_x509_type = t;
	return cfg_set_str(d, &d->cfg->verify_x509_name, d->argv[1]);
}

/* One "AB:CD:..." SHA-256 fingerprint. */
static int fingerprint(struct dctx *d, const char *s, size_t len, uint8_t out[MVPN_SHA256_LEN])
{
	size_t i = 0, n = 0;

	while (n < MVPN_SHA256_LEN) {
		if (i + 2 > len || !isxdigit((unsigned char)s[i]) || !isxdigit((unsigned char)s[i + 1]))
			break;
		out[n++] = (uint8_t)strtoul((char[3]){ s[i], s[i + 1], 0 }, NULL, 16);
		i += 2;
		if (i == len)
			break;
		if (s[i] != ':')
			return cfg_err(d, "format error in fingerprint '%.*s': expected "
				       "hex pairs separated by ':'", (int)len, s);
		i++;
	}
	if (n < MVPN_SHA256_LEN)
		return cfg_err(d, "fingerprint '%.*s' is too short: a SHA-256 fingerprint "
			       "has %d bytes, got %zu", (int)len, s, MVPN_SHA256_LEN, n);
	if (i != len)
		return cfg_err(d, "fingerprint '%.*s' is too long: expected %d bytes",
			       (int)len, s, MVPN_SHA256_LEN);
	return 0;
}

static int h_peer_fingerprint(struct dctx *d, const struct directive *de)
{
	struct mvpn_config *c = d->cfg;
	const char *s = d->is_inline ? d->inl : d->argv[1];
	size_t len = d->is_inline ? d->inl_len : strlen(s);
	size_t pos = 0;
	size_t before = c->n_peer_fingerprints;

	(void)de;
	if (!d->is_inline && strcmp(d->argv[1], "[inline]") == 0) {
		struct mvpn_blob none = { 0 };

		return cfg_load_ref(d, &none, false);	/* the block follows */
	}
	while (pos < len) {
		size_t e = pos, b, t;
		uint8_t (*arr)[MVPN_SHA256_LEN];

		while (e < len && s[e] != '\n')
			e++;
		b = pos;
		t = e;
		pos = e + 1;
		while (b < t && isspace((unsigned char)s[b]))
			b++;
		while (t > b && isspace((unsigned char)s[t - 1]))
			t--;
		if (b == t || s[b] == '#' || s[b] == ';')
			continue;
		arr = cfg_grow(c->peer_fingerprints, c->n_peer_fingerprints, MVPN_SHA256_LEN);
		if (!arr)
			return cfg_err(d, "out of memory");
		c->peer_fingerprints = arr;
		if (fingerprint(d, s + b, t - b, c->peer_fingerprints[c->n_peer_fingerprints]))
			return -1;
		c->n_peer_fingerprints++;
	}
	if (c->n_peer_fingerprints == before)
		return cfg_err(d, "no fingerprint given");
	return 0;
}

static int keydir(struct dctx *d, const char *s, enum mvpn_key_direction *out)
{
	if (strcmp(s, "0") == 0)
		*out = MVPN_KEYDIR_NORMAL;
	else if (strcmp(s, "1") == 0)
		*out = MVPN_KEYDIR_INVERSE;
	else if (strcmp(s, "bidirectional") == 0 || strcmp(s, "2") == 0)
		*out = MVPN_KEYDIR_BIDI;
	else
		return cfg_err(d, "bad key direction '%s' (0, 1 or bidirectional)", s);
	return 0;
}

static int h_key_direction(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (keydir(d, d->argv[1], &d->cfg->key_direction))
		return -1;
	d->cfg->priv->key_direction_set = true;
	return 0;
}

static int static_key_check(struct dctx *d, const struct mvpn_blob *b)
{
	uint8_t key[256];
	char why[160];
	int rc = 0;

	if (!b->data)
		return 0;
	if (config_static_key_decode(b, key, why, sizeof(why)))
		rc = cfg_err(d, "%s: %s", b->path ? b->path : "inline block", why);
	explicit_bzero(key, sizeof(key));
	return rc;
}

static int h_tls_auth(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (cfg_load_ref(d, &d->cfg->tls_auth, false))
		return -1;
	if (d->argc > 2 && !d->is_inline) {
		if (keydir(d, d->argv[2], &d->cfg->key_direction))
			return -1;
		d->cfg->priv->key_direction_set = true;
	}
	return static_key_check(d, &d->cfg->tls_auth);
}

static int h_tls_crypt(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (d->argc > 2)
		return cfg_err(d, "tls-crypt takes no key direction (it is implied by the TLS role)");
	if (cfg_load_ref(d, &d->cfg->tls_crypt, false))
		return -1;
	return static_key_check(d, &d->cfg->tls_crypt);
}

static int h_tls_crypt_v2(struct dctx *d, const struct directive *de)
{
	struct mvpn_blob *b = &d->cfg->tls_crypt_v2;

	(void)de;
	if (d->argc > 2) {
		if (strcmp(d->argv[2], "force-cookie") == 0)
			d->cfg->tls_crypt_v2_cookie = MVPN_TLS_CRYPT_V2_FORCE_COOKIE;
		else if (strcmp(d->argv[2], "allow-noncookie") == 0)
			d->cfg->tls_crypt_v2_cookie = MVPN_TLS_CRYPT_V2_ALLOW_NONCOOKIE;
		else
			return cfg_err(d, "unknown flag '%s' (force-cookie or allow-noncookie)",
				       d->argv[2]);
	}
	if (cfg_load_ref(d, b, false))
		return -1;
	if (b->data && !blob_has(b, "-----BEGIN OpenVPN tls-crypt-v2 client key-----") &&
	    !blob_has(b, "-----BEGIN OpenVPN tls-crypt-v2 server key-----"))
		return cfg_err(d, "%s is not a tls-crypt-v2 key (-----BEGIN OpenVPN tls-crypt-v2 "
			       "client key-----)", b->path ? b->path : "the inline block");
	return 0;
}

static int h_secret(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (cfg_load_ref(d, &d->cfg->secret, false))
		return -1;
	if (d->argc > 2 && !d->is_inline) {
		if (keydir(d, d->argv[2], &d->cfg->key_direction))
			return -1;
		d->cfg->priv->key_direction_set = true;
	}
	d->cfg->priv->secret_set = true;
	return static_key_check(d, &d->cfg->secret);
}

static int h_reneg_sec(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (cfg_arg_int(d, 1, 0, INT_MAX, &d->cfg->reneg_sec))
		return -1;
	d->cfg->reneg_sec_min = MVPN_UNSET;
	if (d->argc > 2 && cfg_arg_int(d, 2, 0, INT_MAX, &d->cfg->reneg_sec_min))
		return -1;
	return 0;
}

static int h_int64(struct dctx *d, const struct directive *de)
{
	long v = 0;

	if (cfg_arg_long(d, 1, 0, LONG_MAX, &v))
		return -1;
	*FIELD(d, de, int64_t) = v;
	return 0;
}

static int h_verify_client_cert(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (d->argc == 1 || strcmp(d->argv[1], "require") == 0)
		d->cfg->verify_client_cert = 2;
	else if (strcmp(d->argv[1], "optional") == 0)
		d->cfg->verify_client_cert = 1;
	else if (strcmp(d->argv[1], "none") == 0)
		d->cfg->verify_client_cert = 0;
	else
		return cfg_err(d, "'%s' must be none, optional or require", d->argv[1]);
	return 0;
}

/* ---- data channel ---------------------------------------------------------- */

static int h_cipher(struct dctx *d, const struct directive *de)
{
	enum mvpn_cipher c = cipher_lookup(d->argv[1]);

	(void)de;
	if (d->where == CTX_PUSH) {
		if (c == MVPN_CIPHER_UNSET)
			return cfg_err(d, "the server pushed cipher '%s', which mvpn does not "
				       "implement", d->argv[1]);
		d->cfg->cipher = c;
		d->cfg->pushed_cipher = true;
		return 0;
	}
	d->cfg->cipher = c;
	d->cfg->priv->cipher_unknown = c == MVPN_CIPHER_UNSET;
	snprintf(d->cfg->priv->cipher_name, sizeof(d->cfg->priv->cipher_name), "%s", d->argv[1]);
	return 0;
}

static int h_data_ciphers_fallback(struct dctx *d, const struct directive *de)
{
	enum mvpn_cipher c = cipher_lookup(d->argv[1]);

	(void)de;
	if (c == MVPN_CIPHER_UNSET)
		return cfg_err(d, "unsupported cipher '%s'", d->argv[1]);
	d->cfg->data_ciphers_fallback = c;
	return 0;
}

static int h_data_ciphers(struct dctx *d, const struct directive *de)
{
	struct mvpn_config *c = d->cfg;
	const char *s = d->argv[1];

	(void)de;
	if (strlen(s) > 127)
		return cfg_err(d, "the list is longer than 127 characters (OpenVPN's limit)");
	c->n_data_ciphers = 0;
	while (*s) {
		const char *e = strchr(s, ':');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		bool optional = n > 0 && *s == '?';
		char name[64];
		enum mvpn_cipher ci;

		if (optional) {
			s++;
			n--;
		}
		if (n == 0 || n >= sizeof(name))
			return cfg_err(d, "empty or overlong entry in '%s'", d->argv[1]);
		memcpy(name, s, n);
		name[n] = '\0';
		ci = cipher_lookup(name);
		if (ci == MVPN_CIPHER_UNSET || ci == MVPN_CIPHER_NONE) {
			if (!optional)
				return cfg_err(d, "unsupported cipher '%s' (prefix it with '?' to "
					       "make it optional)", name);
			cfg_warn(d, "optional cipher '%s' is not available and is skipped", name);
		} else {
			bool dup = false;

			for (size_t i = 0; i < c->n_data_ciphers; i++)
				dup |= c->data_ciphers[i] == ci;
			if (!dup) {
				if (c->n_data_ciphers == MVPN_MAX_DATA_CIPHERS)
					return cfg_err(d, "too many ciphers (at most %d)",
						       MVPN_MAX_DATA_CIPHERS);
				c->data_ciphers[c->n_data_ciphers++] = ci;
			}
		}
		s += n;
		if (*s == ':')
			s++;
	}
	if (!c->n_data_ciphers)
		return cfg_err(d, "no usable cipher in '%s'", d->argv[1]);
	c->priv->data_ciphers_set = true;
	if (strcmp(d->argv[0], "ncp-ciphers") == 0)
		cfg_warn(d, "treated as data-ciphers (renamed in OpenVPN 2.5)");
	return 0;
}

static int h_auth(struct dctx *d, const struct directive *de)
{
	(void)de;
	for (size_t i = 0; i < sizeof(digest_names) / sizeof(digest_names[0]); i++) {
		if (strcasecmp(digest_names[i].name, d->argv[1]) == 0) {
			d->cfg->auth = digest_names[i].d;
			return 0;
		}
	}
	return cfg_err(d, "unsupported digest '%s' (MD5, SHA1, SHA224, SHA256, SHA384, SHA512 "
		       "or none)", d->argv[1]);
}

static int h_replay_window(struct dctx *d, const struct directive *de)
{
	(void)de;
	/* OpenVPN's MIN/MAX_SEQ_BACKTRACK and MIN/MAX_TIME_BACKTRACK */
	if (cfg_arg_int(d, 1, 0, 65536, &d->cfg->replay_window))
		return -1;
	if (d->argc > 2 && cfg_arg_int(d, 2, 0, 600, &d->cfg->replay_window_time))
		return -1;
	return 0;
}

static int h_comp_lzo(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (d->argc == 1 || strcmp(d->argv[1], "adaptive") == 0)
		d->cfg->comp = MVPN_COMP_LZO_ADAPTIVE;
	else if (strcmp(d->argv[1], "yes") == 0)
		d->cfg->comp = MVPN_COMP_LZO_YES;
	else if (strcmp(d->argv[1], "no") == 0)
		d->cfg->comp = MVPN_COMP_LZO_NO;
	else
		return cfg_err(d, "'%s' must be yes, no or adaptive", d->argv[1]);
	return 0;
}

static int h_compress(struct dctx *d, const struct directive *de)
{
	static const struct { const char *n; enum mvpn_comp c; } algs[] = {
		{ "stub", MVPN_COMP_STUB }, { "stub-v2", MVPN_COMP_STUB_V2 },
		{ "lzo", MVPN_COMP_LZO }, { "lz4", MVPN_COMP_LZ4 },
		{ "lz4-v2", MVPN_COMP_LZ4_V2 }, { "migrate", MVPN_COMP_MIGRATE },
	};
	const char *a = d->argc > 1 ? d->argv[1] : "stub";

	(void)de;
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		if (strcmp(algs[i].n, a) == 0) {
			if (algs[i].c == MVPN_COMP_MIGRATE && d->where == CTX_PUSH)
				break;
			d->cfg->comp = algs[i].c;
			return 0;
		}
	}
	return cfg_err(d, "unknown algorithm '%s' (stub, stub-v2, lzo, lz4, lz4-v2%s)", a,
		       d->where == CTX_PUSH ? "" : ", migrate");
}

static int h_allow_compression(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (strcmp(d->argv[1], "no") == 0)
		d->cfg->allow_compression = MVPN_ALLOW_COMP_NO;
	else if (strcmp(d->argv[1], "asym") == 0)
		d->cfg->allow_compression = MVPN_ALLOW_COMP_ASYM;
	else if (strcmp(d->argv[1], "yes") == 0)
		d->cfg->allow_compression = MVPN_ALLOW_COMP_YES;
	else
		return cfg_err(d, "'%s' must be yes, no or asym", d->argv[1]);
	d->cfg->priv->allow_compression_set = true;
	return 0;
}

/* ---- authentication ---------------------------------------------------------- */

static int h_auth_user_pass(struct dctx *d, const struct directive *de)
{
	struct mvpn_config *c = d->cfg;
	struct mvpn_blob b = { 0 };
	size_t used, used2;
	int rc = 0;

	(void)de;
	c->auth_user_pass = true;
	if (d->argc == 1) {
		c->auth_user_pass_prompt = true;
		return 0;
	}
	if (cfg_load_ref(d, &b, false))
		return -1;
	if (!b.data)
		return 0;	/* [inline]: the block comes later */
	cfg_free_secret(c->username);
	cfg_free_secret(c->password);
	c->username = first_line((const char *)b.data, b.len, &used);
	c->password = NULL;
	if (!c->username) {
		rc = cfg_err(d, "out of memory");
	} else if (!c->username[0]) {
		rc = cfg_err(d, "%s: the first line (the user name) is empty",
			     b.path ? b.path : "inline block");
	} else if (used < b.len) {
		c->password = first_line((const char *)b.data + used, b.len - used, &used2);
		if (!c->password)
			rc = cfg_err(d, "out of memory");
	}
	/* only a user name: the password is asked for, as in OpenVPN */
	c->auth_user_pass_prompt = !rc && (!c->password || !c->password[0]);
	if (c->password && !c->password[0]) {
		cfg_free_secret(c->password);
		c->password = NULL;
	}
	cfg_blob_clear(&b);
	return rc;
}

static int h_auth_retry(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (strcmp(d->argv[1], "none") == 0)
		d->cfg->auth_retry = MVPN_AUTH_RETRY_NONE;
	else if (strcmp(d->argv[1], "nointeract") == 0)
		d->cfg->auth_retry = MVPN_AUTH_RETRY_NOINTERACT;
	else if (strcmp(d->argv[1], "interact") == 0)
		d->cfg->auth_retry = MVPN_AUTH_RETRY_INTERACT;
	else
		return cfg_err(d, "'%s' must be none, nointeract or interact", d->argv[1]);
	return 0;
}

static int h_static_challenge(struct dctx *d, const struct directive *de)
{
	long echo = 0;

	(void)de;
	if (cfg_arg_long(d, 2, 0, 1, &echo))
		return -1;
	d->cfg->static_challenge_echo = echo;
	return cfg_set_str(d, &d->cfg->static_challenge, d->argv[1]);
}

/* ---- pushed-only ------------------------------------------------------------- */

static int h_peer_id(struct dctx *d, const struct directive *de)
{
	(void)de;
	return cfg_arg_int(d, 1, 0, 0xFFFFFF, &d->cfg->peer_id);
}

static int h_key_derivation(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (strcmp(d->argv[1], "tls-ekm") != 0)
		return cfg_err(d, "unknown method '%s' (only tls-ekm)", d->argv[1]);
	d->cfg->key_derivation_tls_ekm = true;
	return 0;
}

static int h_protocol_flags(struct dctx *d, const struct directive *de)
{
	(void)de;
	for (int i = 1; i < d->argc; i++) {
		if (strcmp(d->argv[i], "cc-exit") == 0)
			d->cfg->protocol_cc_exit = true;
		else if (strcmp(d->argv[i], "tls-ekm") == 0)
			d->cfg->key_derivation_tls_ekm = true;
		else if (strcmp(d->argv[i], "dyn-tls-crypt") == 0)
			d->cfg->protocol_dyn_tls_crypt = true;
		else
			/* OpenVPN logs and goes on; a newer server may know more */
			cfg_warn(d, "unknown flag '%s' ignored", d->argv[i]);
	}
	return 0;
}

static int h_auth_token(struct dctx *d, const struct directive *de)
{
	(void)de;
	cfg_free_secret(d->cfg->auth_token);
	d->cfg->auth_token = strdup(d->argv[1]);
	return d->cfg->auth_token ? 0 : cfg_err(d, "out of memory");
}

static int h_push_continuation(struct dctx *d, const struct directive *de)
{
	long v = 0;

	(void)de;
	if (!cfg_parse_long(d->argv[1], 1, 2, &v))
		return cfg_err(d, "'%s' must be 1 or 2", d->argv[1]);
	d->cfg->priv->push_continuation_pending = v == 2;
	return 0;
}

/* ---- the table ----------------------------------------------------------------- */

const struct directive cfg_directives_crypto[] = {
	/* TLS and PKI */
	{ "verify-client-cert", "[none|optional|require]", 0, 1, 0, h_verify_client_cert, 0, 0, 0 },
	{ "ca", "FILE", 1, 1, DF_INLINE, h_ca, 0, 0, 0 },
	{ "cert", "FILE", 1, 1, DF_INLINE, h_cert, 0, 0, 0 },
	{ "key", "FILE", 1, 1, DF_INLINE, h_key, 0, 0, 0 },
	{ "extra-certs", "FILE", 1, 1, DF_INLINE, h_extra_certs, 0, 0, 0 },
	{ "pkcs12", "FILE", 1, 1, DF_INLINE, h_pkcs12, 0, 0, 0 },
	{ "crl-verify", "FILE", 1, 2, DF_INLINE, h_crl_verify, 0, 0, 0 },
	{ "dh", "FILE|none", 1, 1, DF_INLINE, h_dh, 0, 0, 0 },
	{ "askpass", "[FILE]", 0, 1, 0, h_askpass, 0, 0, 0 },
	{ "tls-version-min", "1.0|1.1|1.2|1.3 ['or-highest']", 1, 2, 0, h_tls_version, 0, 0, 0 },
	{ "tls-version-max", "1.0|1.1|1.2|1.3", 1, 1, 0, h_tls_version, 0, 0, 0 },
	{ "tls-cipher", "LIST", 1, 1, 0, cfg_h_str, OFF(tls_cipher), 0, 0 },
	{ "tls-ciphersuites", "LIST", 1, 1, 0, cfg_h_str, OFF(tls_ciphersuites), 0, 0 },
	{ "tls-groups", "LIST", 1, 1, 0, cfg_h_str, OFF(tls_groups), 0, 0 },
	{ "ecdh-curve", "NAME", 1, 1, 0, cfg_h_str, OFF(ecdh_curve), 0, 0 },
	{ "tls-cert-profile", "legacy|preferred|suiteb|insecure", 1, 1, 0, h_tls_cert_profile, 0, 0, 0 },
	{ "remote-cert-tls", "server|client", 1, 1, 0, h_remote_cert_tls, 0, 0, 0 },
	{ "remote-cert-ku", "[HEX...]", 0, N, 0, h_remote_cert_ku, 0, 0, 0 },
	{ "remote-cert-eku", "OID|NAME", 1, 1, 0, cfg_h_str, OFF(remote_cert_eku), 0, 0 },
	{ "verify-x509-name", "NAME [subject|name|name-prefix]", 1, 2, 0, h_verify_x509_name, 0, 0, 0 },
	{ "peer-fingerprint", "AB:CD:...|<peer-fingerprint> block", 1, 1, DF_INLINE, h_peer_fingerprint, 0, 0, 0 },
	{ "tls-auth", "FILE [DIRECTION]", 1, 2, DF_INLINE, h_tls_auth, 0, 0, 0 },
	{ "tls-crypt", "FILE", 1, 2, DF_INLINE, h_tls_crypt, 0, 0, 0 },
	{ "tls-crypt-v2", "FILE [force-cookie|allow-noncookie]", 1, 2, DF_INLINE, h_tls_crypt_v2, 0, 0, 0 },
	{ "key-direction", "0|1|bidirectional", 1, 1, 0, h_key_direction, 0, 0, 0 },
	{ "secret", "FILE [DIRECTION]", 1, 2, DF_INLINE, h_secret, 0, 0, 0 },
	{ "tls-timeout", "SECONDS", 1, 1, 0, cfg_h_int, OFF(tls_timeout), 1, INT_MAX },
	{ "hand-window", "SECONDS", 1, 1, 0, cfg_h_int, OFF(hand_window), 1, INT_MAX },
	{ "tran-window", "SECONDS", 1, 1, 0, cfg_h_int, OFF(tran_window), 0, INT_MAX },
	{ "reneg-sec", "MAX [MIN]", 1, 2, DF_PUSH, h_reneg_sec, 0, 0, 0 },
	{ "reneg-bytes", "BYTES", 1, 1, 0, h_int64, OFF(reneg_bytes), 0, 0 },
	{ "reneg-pkts", "PACKETS", 1, 1, 0, h_int64, OFF(reneg_pkts), 0, 0 },

	/* data channel */
	{ "cipher", "NAME", 1, 1, DF_PUSH, h_cipher, 0, 0, 0 },
	{ "data-ciphers", "NAME[:NAME...]", 1, 1, 0, h_data_ciphers, 0, 0, 0 },
	{ "ncp-ciphers", "NAME[:NAME...]", 1, 1, 0, h_data_ciphers, 0, 0, 0 },
	{ "data-ciphers-fallback", "NAME", 1, 1, 0, h_data_ciphers_fallback, 0, 0, 0 },
	{ "auth", "DIGEST", 1, 1, 0, h_auth, 0, 0, 0 },
	{ "replay-window", "N [SECONDS]", 1, 2, 0, h_replay_window, 0, 0, 0 },
	{ "no-replay", "", 0, 0, 0, cfg_h_flag, OFF(no_replay), 0, 0 },
	{ "mute-replay-warnings", "", 0, 0, 0, cfg_h_flag, OFF(mute_replay_warnings), 0, 0 },
	{ "comp-lzo", "[yes|no|adaptive]", 0, 1, DF_PUSH, h_comp_lzo, 0, 0, 0 },
	{ "comp-noadapt", "", 0, 0, DF_PUSH, cfg_h_flag, OFF(comp_noadapt), 0, 0 },
	{ "compress", "[stub|stub-v2|lzo|lz4|lz4-v2|migrate]", 0, 1, DF_PUSH, h_compress, 0, 0, 0 },
	{ "allow-compression", "yes|no|asym", 1, 1, 0, h_allow_compression, 0, 0, 0 },

	/* authentication */
	{ "auth-user-pass", "[FILE]", 0, 1, DF_INLINE, h_auth_user_pass, 0, 0, 0 },
	{ "auth-retry", "none|nointeract|interact", 1, 1, 0, h_auth_retry, 0, 0, 0 },
	{ "auth-nocache", "", 0, 0, 0, cfg_h_flag, OFF(auth_nocache), 0, 0 },
	{ "static-challenge", "TEXT 0|1", 2, 2, 0, h_static_challenge, 0, 0, 0 },

	/* pushed by the server only */
	{ "peer-id", "ID", 1, 1, DF_PUSH | DF_PUSH_ONLY, h_peer_id, 0, 0, 0 },
	{ "key-derivation", "tls-ekm", 1, 1, DF_PUSH | DF_PUSH_ONLY, h_key_derivation, 0, 0, 0 },
	{ "protocol-flags", "FLAG...", 1, N, DF_PUSH | DF_PUSH_ONLY, h_protocol_flags, 0, 0, 0 },
	{ "auth-token", "TOKEN", 1, 1, DF_PUSH | DF_PUSH_ONLY, h_auth_token, 0, 0, 0 },
	{ "auth-token-user", "BASE64-USER", 1, 1, DF_PUSH | DF_PUSH_ONLY, cfg_h_str, OFF(auth_token_user), 0, 0 },
	{ "push-continuation", "1|2", 1, 1, DF_PUSH | DF_PUSH_ONLY, h_push_continuation, 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0, 0, 0 },
};
