// SPDX-License-Identifier: BSD-2-Clause
/*
 * config_mem.c: lifetime of struct mvpn_config (free, deep copy), errors and
 * warnings, enum names, and the static key file decoder.
 *
 * Secrets (private key, static keys, tls-crypt-v2 key, passwords, tokens)
 * are zeroed before their memory is released.  Certificates are zeroed too:
 * it costs nothing and keeps the rule simple.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"
#include "encoding.h"

/* Not optimised away: the compiler cannot see that p is dead afterwards. */
static void wipe(void *p, size_t n)
{
	if (p && n)
		explicit_bzero(p, n);
}

char *cfg_strndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void cfg_free_secret(char *s)
{
	if (s) {
		wipe(s, strlen(s));
		free(s);
	}
}

void cfg_blob_clear(struct mvpn_blob *b)
{
	if (b->data) {
		wipe(b->data, b->len);
		free(b->data);
	}
	free(b->path);
	b->data = NULL;
	b->path = NULL;
	b->len = 0;
}

void cfg_set_error(struct mvpn_config_error *err, const char *file, unsigned int line,
		   const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err)
		return;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "config");
	err->line = line;
	if (line)
		n = snprintf(err->text, sizeof(err->text), "%s:%u: ", err->file, line);
	else
		n = snprintf(err->text, sizeof(err->text), "%s: ", err->file);
	if (n < 0 || (size_t)n >= sizeof(err->text))
		return;
	va_start(ap, fmt);
	vsnprintf(err->text + n, sizeof(err->text) - (size_t)n, fmt, ap);
	va_end(ap);
	/* one printable line, whatever a hostile config or server put in it */
	for (char *t = err->text; *t; t++)
		if ((unsigned char)*t < 0x20 || *t == 0x7f)
			*t = '?';
}

void cfg_add_warning(struct mvpn_config *cfg, const char *fmt, ...)
{
	char buf[800];
	char **arr;
	va_list ap;

	if (!cfg || cfg->n_warnings >= 1000)	/* a bound for hostile input */
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (char *t = buf; *t; t++)
		if ((unsigned char)*t < 0x20 || *t == 0x7f)
			*t = '?';
	arr = realloc(cfg->warnings, (cfg->n_warnings + 1) * sizeof(*arr));
	if (!arr)
		return;
	cfg->warnings = arr;
	arr[cfg->n_warnings] = strdup(buf);
	if (arr[cfg->n_warnings])
		cfg->n_warnings++;
}

/* ---- free ------------------------------------------------------------------ */

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void remote_free(struct mvpn_remote *r)
{
	free(r->host);
	free(r->local);
}

void config_free(struct mvpn_config *c)
{
	if (!c)
		return;
	free(c->dev);
	free(c->dev_node);
	free(c->routes);
	free(c->routes6);
	for (size_t i = 0; i < c->n_dhcp_options; i++)
		free(c->dhcp_options[i].value);
	free(c->dhcp_options);
	for (size_t i = 0; i < c->n_dns_servers; i++) {
		free(c->dns_servers[i].resolve_domains);
		free(c->dns_servers[i].dnssec);
		free(c->dns_servers[i].transport);
		free(c->dns_servers[i].sni);
	}
	free(c->dns_servers);
	strv_free(c->dns_search_domains, c->n_dns_search_domains);
	for (size_t i = 0; i < c->n_pull_filters; i++)
		free(c->pull_filters[i].prefix);
	free(c->pull_filters);
	for (size_t i = 0; i < c->n_remotes; i++)
		remote_free(&c->remotes[i]);
	free(c->remotes);
	remote_free(&c->conn);
	cfg_blob_clear(&c->ca);
	cfg_blob_clear(&c->cert);
	cfg_blob_clear(&c->key);
	cfg_blob_clear(&c->extra_certs);
	cfg_blob_clear(&c->pkcs12);
	cfg_blob_clear(&c->crl);
	cfg_blob_clear(&c->dh);
	cfg_blob_clear(&c->tls_auth);
	cfg_blob_clear(&c->tls_crypt);
	cfg_blob_clear(&c->tls_crypt_v2);
	cfg_blob_clear(&c->secret);
	cfg_free_secret(c->askpass);
	free(c->tls_cipher);
	free(c->tls_ciphersuites);
	free(c->tls_groups);
	free(c->ecdh_curve);
	free(c->tls_cert_profile);
	free(c->remote_cert_eku);
	free(c->verify_x509_name);
	free(c->peer_fingerprints);
	cfg_free_secret(c->username);
	cfg_free_secret(c->password);
	free(c->static_challenge);
	cfg_free_secret(c->auth_token);
	free(c->auth_token_user);
	strv_free(c->push, c->n_push);
	free(c->user);
	free(c->group);
	strv_free(c->warnings, c->n_warnings);
	if (c->priv) {
		strv_free(c->priv->ignore_unknown, c->priv->ignore_unknown_n);
		free(c->priv);
	}
	wipe(c, sizeof(*c));
	free(c);
}

/* ---- deep copy ------------------------------------------------------------- */

static bool dup_str(char **dst, const char *src)
{
	*dst = NULL;
	return !src || (*dst = strdup(src)) != NULL;
}

static bool dup_mem(void **dst, const void *src, size_t n)
{
	*dst = NULL;
	if (!src || !n)
		return true;
	*dst = malloc(n);
	if (*dst)
		memcpy(*dst, src, n);
	return *dst != NULL;
}

static bool dup_blob(struct mvpn_blob *dst, const struct mvpn_blob *src)
{
	void *d;

	dst->data = NULL;
	dst->path = NULL;
	dst->len = src->len;
	if (src->data) {
		if (!dup_mem(&d, src->data, src->len + 1))
			return false;
		dst->data = d;
	}
	return dup_str(&dst->path, src->path);
}

static bool dup_strv(char ***dst, char *const *src, size_t n)
{
	*dst = NULL;
	if (!n)
		return true;
	*dst = calloc(n, sizeof(char *));
	if (!*dst)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!dup_str(&(*dst)[i], src[i]))
			return false;
	return true;
}

static bool dup_remote(struct mvpn_remote *dst, const struct mvpn_remote *src)
{
	*dst = *src;
	dst->host = dst->local = NULL;
	return dup_str(&dst->host, src->host) && dup_str(&dst->local, src->local);
}

struct mvpn_config *config_dup(const struct mvpn_config *s)
{
	struct mvpn_config *c = malloc(sizeof(*c));
	bool ok = true;
	void *v;

	if (!c)
		return NULL;
	*c = *s;
	/* every pointer starts NULL so that config_free() works at any point */
	c->dev = c->dev_node = NULL;
	c->routes = NULL;
	c->routes6 = NULL;
	c->dhcp_options = NULL;
	c->dns_servers = NULL;
	c->dns_search_domains = NULL;
	c->pull_filters = NULL;
	c->remotes = NULL;
	c->conn.host = c->conn.local = NULL;
	memset(&c->ca, 0, sizeof(c->ca));
	memset(&c->cert, 0, sizeof(c->cert));
	memset(&c->key, 0, sizeof(c->key));
	memset(&c->extra_certs, 0, sizeof(c->extra_certs));
	memset(&c->pkcs12, 0, sizeof(c->pkcs12));
	memset(&c->crl, 0, sizeof(c->crl));
	memset(&c->dh, 0, sizeof(c->dh));
	memset(&c->tls_auth, 0, sizeof(c->tls_auth));
	memset(&c->tls_crypt, 0, sizeof(c->tls_crypt));
	memset(&c->tls_crypt_v2, 0, sizeof(c->tls_crypt_v2));
	memset(&c->secret, 0, sizeof(c->secret));
	c->askpass = NULL;
	c->tls_cipher = c->tls_ciphersuites = c->tls_groups = c->ecdh_curve = NULL;
	c->tls_cert_profile = c->remote_cert_eku = c->verify_x509_name = NULL;
	c->peer_fingerprints = NULL;
	c->username = c->password = c->static_challenge = NULL;
	c->auth_token = c->auth_token_user = NULL;
	c->push = NULL;
	c->user = c->group = NULL;
	c->warnings = NULL;
	c->priv = NULL;
	c->n_dhcp_options = c->n_dns_servers = c->n_dns_search_domains = 0;
	c->n_pull_filters = c->n_remotes = c->n_push = c->n_warnings = 0;

	ok = dup_str(&c->dev, s->dev) && dup_str(&c->dev_node, s->dev_node);
	if (ok && dup_mem(&v, s->routes, s->n_routes * sizeof(*s->routes)))
		c->routes = v;
	else
		ok = false;
	if (ok && dup_mem(&v, s->routes6, s->n_routes6 * sizeof(*s->routes6)))
		c->routes6 = v;
	else
		ok = false;
	if (ok && s->n_dhcp_options) {
		c->dhcp_options = calloc(s->n_dhcp_options, sizeof(*c->dhcp_options));
		ok = c->dhcp_options != NULL;
		for (size_t i = 0; ok && i < s->n_dhcp_options; i++) {
			c->dhcp_options[i] = s->dhcp_options[i];
			ok = dup_str(&c->dhcp_options[i].value, s->dhcp_options[i].value);
			c->n_dhcp_options = i + 1;
		}
	}
	if (ok && s->n_dns_servers) {
		c->dns_servers = calloc(s->n_dns_servers, sizeof(*c->dns_servers));
		ok = c->dns_servers != NULL;
		for (size_t i = 0; ok && i < s->n_dns_servers; i++) {
			const struct mvpn_dns_server *a = &s->dns_servers[i];
			struct mvpn_dns_server *b = &c->dns_servers[i];

			*b = *a;
			b->resolve_domains = b->dnssec = b->transport = b->sni = NULL;
			ok = dup_str(&b->resolve_domains, a->resolve_domains) &&
			     dup_str(&b->dnssec, a->dnssec) && dup_str(&b->transport, a->transport) &&
			     dup_str(&b->sni, a->sni);
			c->n_dns_servers = i + 1;
		}
	}
	if (ok) {
		ok = dup_strv(&c->dns_search_domains, s->dns_search_domains, s->n_dns_search_domains);
		c->n_dns_search_domains = c->dns_search_domains ? s->n_dns_search_domains : 0;
	}
	if (ok && s->n_pull_filters) {
		c->pull_filters = calloc(s->n_pull_filters, sizeof(*c->pull_filters));
		ok = c->pull_filters != NULL;
		for (size_t i = 0; ok && i < s->n_pull_filters; i++) {
			c->pull_filters[i] = s->pull_filters[i];
			ok = dup_str(&c->pull_filters[i].prefix, s->pull_filters[i].prefix);
			c->n_pull_filters = i + 1;
		}
	}
	if (ok && s->n_remotes) {
		c->remotes = calloc(s->n_remotes, sizeof(*c->remotes));
		ok = c->remotes != NULL;
		for (size_t i = 0; ok && i < s->n_remotes; i++) {
			ok = dup_remote(&c->remotes[i], &s->remotes[i]);
			c->n_remotes = i + 1;
		}
	}
	ok = ok && dup_remote(&c->conn, &s->conn);
	ok = ok && dup_blob(&c->ca, &s->ca) && dup_blob(&c->cert, &s->cert) &&
	     dup_blob(&c->key, &s->key) && dup_blob(&c->extra_certs, &s->extra_certs) &&
	     dup_blob(&c->pkcs12, &s->pkcs12) && dup_blob(&c->crl, &s->crl) &&
	     dup_blob(&c->dh, &s->dh) && dup_blob(&c->tls_auth, &s->tls_auth) &&
	     dup_blob(&c->tls_crypt, &s->tls_crypt) &&
	     dup_blob(&c->tls_crypt_v2, &s->tls_crypt_v2) && dup_blob(&c->secret, &s->secret);
	ok = ok && dup_str(&c->askpass, s->askpass) && dup_str(&c->tls_cipher, s->tls_cipher) &&
	     dup_str(&c->tls_ciphersuites, s->tls_ciphersuites) &&
	     dup_str(&c->tls_groups, s->tls_groups) && dup_str(&c->ecdh_curve, s->ecdh_curve) &&
	     dup_str(&c->tls_cert_profile, s->tls_cert_profile) &&
	     dup_str(&c->remote_cert_eku, s->remote_cert_eku) &&
	     dup_str(&c->verify_x509_name, s->verify_x509_name) &&
	     dup_str(&c->username, s->username) && dup_str(&c->password, s->password) &&
	     dup_str(&c->static_challenge, s->static_challenge) &&
	     dup_str(&c->auth_token, s->auth_token) &&
	     dup_str(&c->auth_token_user, s->auth_token_user) && dup_str(&c->user, s->user) &&
	     dup_str(&c->group, s->group);
	if (ok) {
		ok = dup_mem(&v, s->peer_fingerprints,
			     s->n_peer_fingerprints * sizeof(*s->peer_fingerprints));
		c->peer_fingerprints = v;
	}
	if (ok) {
		ok = dup_strv(&c->push, s->push, s->n_push);
		c->n_push = c->push ? s->n_push : 0;
	}
	if (ok) {
		ok = dup_strv(&c->warnings, s->warnings, s->n_warnings);
		c->n_warnings = c->warnings ? s->n_warnings : 0;
	}
	if (ok && s->priv) {
		c->priv = malloc(sizeof(*c->priv));
		ok = c->priv != NULL;
		if (ok) {
			*c->priv = *s->priv;
			c->priv->ignore_unknown = NULL;
			c->priv->ignore_unknown_n = 0;
			ok = dup_strv(&c->priv->ignore_unknown, s->priv->ignore_unknown,
				      s->priv->ignore_unknown_n);
			if (c->priv->ignore_unknown)
				c->priv->ignore_unknown_n = s->priv->ignore_unknown_n;
		}
	}
	if (!ok) {
		config_free(c);
		return NULL;
	}
	return c;
}

/* ---- static key files --------------------------------------------------------- */

int config_static_key_decode(const struct mvpn_blob *b, uint8_t out[256], char *err, size_t errlen)
{
	static const char begin[] = "-----BEGIN OpenVPN Static key V1-----";
	static const char end[] = "-----END OpenVPN Static key V1-----";
	const char *s, *e, *data = (const char *)b->data;
	long n;

	if (!data) {
		snprintf(err, errlen, "no key");
		return -1;
	}
	s = memmem(data, b->len, begin, sizeof(begin) - 1);
	if (!s) {
		snprintf(err, errlen, "not an OpenVPN static key (no '%s' line)", begin);
		return -1;
	}
	s += sizeof(begin) - 1;
	e = memmem(s, b->len - (size_t)(s - data), end, sizeof(end) - 1);
	if (!e) {
		snprintf(err, errlen, "static key has no '%s' line", end);
		return -1;
	}
	n = hex_decode(s, (size_t)(e - s), out, 256);
	if (n != 256) {
		wipe(out, 256);
		snprintf(err, errlen, "static key must be 256 bytes of hex (2048 bits)%s",
			 n < 0 ? "; found non-hex text or too much data" : "");
		return -1;
	}
	return 0;
}

/* ---- names -------------------------------------------------------------------- */

const char *cfg_transport_name(enum mvpn_transport t, enum mvpn_af af)
{
	static const char *const names[3][3] = {
		{ "udp", "udp4", "udp6" },
		{ "tcp-client", "tcp4-client", "tcp6-client" },
		{ "tcp-server", "tcp4-server", "tcp6-server" },
	};

	if ((unsigned int)t > 2 || (unsigned int)af > 2)
		return "?";
	return names[t][af];
}

const char *cfg_comp_name(enum mvpn_comp c)
{
	static const char *const names[] = {
		"none", "comp-lzo no", "comp-lzo yes", "comp-lzo adaptive", "compress lzo",
		"compress stub", "compress stub-v2", "compress lz4", "compress lz4-v2",
		"compress migrate",
	};

	return (unsigned int)c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}

const char *cfg_tls_version_name(enum mvpn_tls_version v)
{
	switch (v) {
	case MVPN_TLS_1_0: return "1.0";
	case MVPN_TLS_1_1: return "1.1";
	case MVPN_TLS_1_2: return "1.2";
	case MVPN_TLS_1_3: return "1.3";
	default: return "unset";
	}
}
