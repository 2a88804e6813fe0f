// SPDX-License-Identifier: BSD-2-Clause
/*
 * config_finish.c: end of input.  Expand the helpers (client, server,
 * keepalive), settle defaults that depend on other options, build the
 * connection list, and reject conflicting or incomplete configurations.
 * Every rule below is OpenVPN 2.6's (options.c options_postprocess_*,
 * helper.c) unless the comment says otherwise; each error points at the
 * line of the directive concerned.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

struct fin {
	struct mvpn_config_parser *p;
	struct mvpn_config *c;
	struct mvpn_config_error *err;
};

/* "FILE:LINE: NAME: msg" at the directive's last occurrence, or "FILE: msg". */
static __attribute__((format(printf, 3, 4))) int fail(struct fin *f, const char *name,
						      const char *fmt, ...)
{
	char msg[600];
	const char *file;
	unsigned int line = name ? cfg_parser_where(f->p, name, &file) : 0;
	va_list ap;

	if (!name)
		file = cfg_parser_name(f->p);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		cfg_set_error(f->err, file, line, "%s: %s", name, msg);
	else
		cfg_set_error(f->err, file, 0, "%s", msg);
	return -1;
}

static __attribute__((format(printf, 3, 4))) void warn(struct fin *f, const char *name,
						       const char *fmt, ...)
{
	char msg[600];
	const char *file;
	unsigned int line = cfg_parser_where(f->p, name, &file);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		cfg_add_warning(f->c, "%s:%u: %s: %s", file, line, name, msg);
	else
		cfg_add_warning(f->c, "%s: %s", file, msg);
}

static bool given(struct fin *f, const char *name)
{
	const char *file;

	return cfg_parser_where(f->p, name, &file) != 0;
}

/* The directive that made us a TLS client/server, for messages. */
static const char *role_name(struct fin *f)
{
	static const char *const names[] = { "client", "tls-client", "server", "mode",
					     "tls-server" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (given(f, names[i]))
			return names[i];
	return NULL;
}

/* ---- mode ------------------------------------------------------------------- */

static int fin_mode(struct fin *f)
{
	struct mvpn_config *c = f->c;
	struct mvpn_config_priv *pv = c->priv;

	if (c->client && (c->has_server || c->has_server6))
		return fail(f, "client", "'client' and 'server'/'server-ipv6' cannot be used together");
	if (c->has_server || c->has_server6) {
		c->mode = MVPN_MODE_SERVER;
		pv->tls_server_set = true;
	}
	if (c->client) {
		c->pull = true;
		pv->tls_client_set = true;
	}
	if (pv->tls_client_set && pv->tls_server_set)
		return fail(f, "tls-server", "specify only one of tls-client (or client) and "
			    "tls-server (or server)");
	if (pv->secret_set && (pv->tls_client_set || pv->tls_server_set))
		return fail(f, "secret", "a static key cannot be combined with TLS (%s)",
			    role_name(f) ? role_name(f) : "tls");
	c->tls_role = pv->tls_client_set ? MVPN_TLS_CLIENT :
		      pv->tls_server_set ? MVPN_TLS_SERVER : MVPN_TLS_NONE;
	if (c->mode == MVPN_MODE_SERVER) {
		if (c->tls_role != MVPN_TLS_SERVER)
			return fail(f, "mode", "mode server requires tls-server");
		if (c->pull)
			return fail(f, "pull", "cannot be used with mode server");
		if (c->auth_user_pass)
			return fail(f, "auth-user-pass", "is for clients; it cannot be used with "
				    "mode server");
		if (c->redirect_gateway)
			return fail(f, "redirect-gateway", "cannot be used with mode server "
				    "(push \"redirect-gateway ...\" to clients instead)");
		if (c->route_delay != MVPN_UNSET)
			return fail(f, "route-delay", "cannot be used with mode server");
	} else {
		static const char *const server_only[] = {
			"client-to-client", "duplicate-cn", "max-clients", "verify-client-cert",
		};

		for (size_t i = 0; i < sizeof(server_only) / sizeof(server_only[0]); i++)
			if (given(f, server_only[i]))
				return fail(f, server_only[i], "requires mode server (or 'server')");
	}
	if (c->tls_role == MVPN_TLS_NONE && !pv->secret_set)
		return fail(f, NULL, "no encryption configured: use 'client' (or tls-client / "
			    "tls-server) with certificates, or 'secret'; mvpn does not run "
			    "unencrypted tunnels");
	return 0;
}

/* ---- device ----------------------------------------------------------------- */

static int fin_dev(struct fin *f)
{
	struct mvpn_config *c = f->c;

	if (!c->dev)
		return fail(f, NULL, "no 'dev' given (add 'dev tun')");
	if (!c->priv->dev_type_set) {
		if (strncmp(c->dev, "tun", 3) == 0)
			c->dev_type = MVPN_DEV_TUN;
		else if (strncmp(c->dev, "tap", 3) == 0)
			c->dev_type = MVPN_DEV_TAP;
		else if (strcmp(c->dev, "null") == 0)
			c->dev_type = MVPN_DEV_NULL;
		else
			return fail(f, "dev", "cannot tell the type of device '%s': add 'dev-type tun'",
				    c->dev);
	}
	if (c->dev_type == MVPN_DEV_TAP)
		return fail(f, given(f, "dev-type") ? "dev-type" : "dev",
			    "tap devices are not supported: mvpn carries IP packets only (dev tun)");
	return 0;
}

/* ---- TLS --------------------------------------------------------------------- */

static bool tls_crypt_v2_is_server_key(const struct mvpn_blob *b)
{
	return b->data && memmem(b->data, b->len, "tls-crypt-v2 server key", 23);
}

static int fin_tls(struct fin *f)
{
	struct mvpn_config *c = f->c;
	const char *role = role_name(f);

	if (c->tls_role == MVPN_TLS_NONE) {
		static const char *const tls_only[] = {
			"ca", "cert", "key", "pkcs12", "extra-certs", "tls-auth", "tls-crypt",
			"tls-crypt-v2", "verify-x509-name", "remote-cert-tls", "remote-cert-ku",
			"remote-cert-eku", "peer-fingerprint", "crl-verify", "tls-cipher",
			"tls-ciphersuites", "tls-groups", "tls-cert-profile", "tls-version-min",
			"tls-version-max", "tls-timeout", "reneg-bytes", "reneg-pkts", "reneg-sec",
			"hand-window", "tran-window", "dh", "askpass",
		};

		for (size_t i = 0; i < sizeof(tls_only) / sizeof(tls_only[0]); i++)
			if (given(f, tls_only[i]))
				return fail(f, tls_only[i], "can only be used in TLS mode (client, "
					    "tls-client or tls-server), not with a static key");
		if (c->pull)
			return fail(f, "pull", "needs TLS mode (client or tls-client)");
		if (c->auth_user_pass)
			return fail(f, "auth-user-pass", "needs 'client' (or pull with tls-client)");
		return 0;
	}
	if (c->pkcs12.data || given(f, "pkcs12")) {
		if (given(f, "cert"))
			return fail(f, "cert", "cannot be used together with pkcs12");
		if (given(f, "key"))
			return fail(f, "key", "cannot be used together with pkcs12");
	}
	if (!given(f, "ca") && !given(f, "pkcs12") && !c->n_peer_fingerprints)
		return fail(f, role, "no way to verify the peer's certificate: give 'ca' (or "
			    "'pkcs12') and/or 'peer-fingerprint'");
	if (!given(f, "pkcs12")) {
		bool cert = given(f, "cert"), key = given(f, "key");

		if (cert != key)
			return fail(f, cert ? "cert" : "key", "cert and key must be given together");
		if (!cert && c->pull && !c->auth_user_pass)
			return fail(f, role, "no client authentication: give cert and key, pkcs12 "
				    "or auth-user-pass");
		if (!cert && !c->pull)
			return fail(f, role, "a certificate is needed: give cert and key, or pkcs12");
	}
	if (given(f, "tls-auth") && given(f, "tls-crypt"))
		return fail(f, "tls-crypt", "tls-auth and tls-crypt are mutually exclusive");
	if (c->tls_role == MVPN_TLS_CLIENT && given(f, "tls-crypt-v2") &&
	    (given(f, "tls-auth") || given(f, "tls-crypt")))
		return fail(f, "tls-crypt-v2", "cannot be combined with tls-auth or tls-crypt on "
			    "a client");
	c->tls_wrap = given(f, "tls-crypt-v2") ? MVPN_WRAP_TLS_CRYPT_V2 :
		      given(f, "tls-crypt") ? MVPN_WRAP_TLS_CRYPT :
		      given(f, "tls-auth") ? MVPN_WRAP_TLS_AUTH : MVPN_WRAP_NONE;
	if (c->tls_crypt_v2.data) {
		bool server_key = tls_crypt_v2_is_server_key(&c->tls_crypt_v2);

		if (c->tls_role == MVPN_TLS_CLIENT && server_key)
			return fail(f, "tls-crypt-v2", "this is a server key; a client needs its "
				    "client key (openvpn --genkey tls-crypt-v2-client)");
		if (c->tls_role == MVPN_TLS_SERVER && !server_key)
			return fail(f, "tls-crypt-v2", "this is a client key; a server needs the "
				    "server key (openvpn --genkey tls-crypt-v2-server)");
	}
	if (c->tls_role == MVPN_TLS_CLIENT && c->tls_crypt_v2_cookie != MVPN_TLS_CRYPT_V2_DEFAULT)
		warn(f, "tls-crypt-v2", "force-cookie/allow-noncookie only matter on a server");
	if (c->tls_version_max != MVPN_TLS_VERSION_UNSET &&
	    c->tls_version_max < c->tls_version_min) {
		if (c->tls_version_min_or_highest)
			c->tls_version_min = c->tls_version_max;
		else
			return fail(f, "tls-version-max", "%s is below tls-version-min %s",
				    cfg_tls_version_name(c->tls_version_max),
				    cfg_tls_version_name(c->tls_version_min));
	}
	if (c->tls_role == MVPN_TLS_SERVER && !c->dh.data && !c->priv->dh_none)
		return fail(f, role, "a TLS server needs 'dh FILE' or 'dh none' (ECDH only)");
	if (c->tls_role == MVPN_TLS_CLIENT && given(f, "dh")) {
		warn(f, "dh", "ignored in client mode (only a TLS server uses it)");
		cfg_blob_clear(&c->dh);
	}
	if (c->auth_user_pass && !c->pull)
		return fail(f, "auth-user-pass", "needs pull (use 'client')");
	if (c->tls_role == MVPN_TLS_CLIENT && c->remote_cert_tls == MVPN_REMOTE_CERT_NONE &&
	    !c->n_peer_fingerprints && !c->verify_x509_name && !given(f, "remote-cert-eku"))
		warn(f, role, "no 'remote-cert-tls server': any certificate signed by the CA is "
		     "accepted as the server (add 'remote-cert-tls server')");
	return 0;
}

/* ---- timers ------------------------------------------------------------------ */

static int push_add(struct fin *f, const char *name, int v)
{
	char buf[64];
	char **arr;

	snprintf(buf, sizeof(buf), "%s %d", name, v);
	arr = realloc(f->c->push, (f->c->n_push + 1) * sizeof(*arr));
	if (!arr)
		return fail(f, NULL, "out of memory");
	f->c->push = arr;
	if (!(arr[f->c->n_push] = strdup(buf)))
		return fail(f, NULL, "out of memory");
	f->c->n_push++;
	return 0;
}

static int fin_timers(struct fin *f)
{
	struct mvpn_config *c = f->c;
	struct mvpn_config_priv *pv = c->priv;

	if (!pv->keepalive_set)
		return 0;
	if (pv->ping_set || pv->ping_restart_set || pv->ping_exit_set)
		return fail(f, "keepalive", "conflicts with ping, ping-restart and ping-exit: "
			    "use keepalive alone");
	c->ping = c->keepalive_interval;
	c->ping_exit = 0;
	if (c->mode == MVPN_MODE_SERVER) {
		/* the server waits twice as long as it tells its clients to */
		c->ping_restart = c->keepalive_timeout * 2;
		if (push_add(f, "ping", c->keepalive_interval) ||
		    push_add(f, "ping-restart", c->keepalive_timeout))
			return -1;
	} else {
		c->ping_restart = c->keepalive_timeout;
	}
	return 0;
}

/* ---- connection list ---------------------------------------------------------- */

static enum mvpn_transport transport_of(enum cfg_proto p)
{
	return p == CFG_PROTO_UDP ? MVPN_TRANSPORT_UDP :
	       p == CFG_PROTO_TCP_SERVER ? MVPN_TRANSPORT_TCP_SERVER : MVPN_TRANSPORT_TCP_CLIENT;
}

static int resolve_entry(struct fin *f, const struct cfg_ce *ce, const struct cfg_pending_remote *r,
			 bool from_block, struct mvpn_remote *out)
{
	struct mvpn_config *c = f->c;
	enum cfg_proto proto = r && r->proto >= 0 ? (enum cfg_proto)r->proto : ce->proto;
	bool need_bind, bind;

	memset(out, 0, sizeof(*out));
	if (proto == CFG_PROTO_TCP) {
		if (c->has_server)
			proto = CFG_PROTO_TCP_SERVER;
		else if (c->client)
			proto = CFG_PROTO_TCP_CLIENT;
		else
			return fail(f, "proto", "'tcp' is ambiguous here: use tcp-client or tcp-server");
	}
	out->proto = transport_of(proto);
	out->af = r && r->proto >= 0 ? r->af : ce->af;
	out->port = r && r->port >= 0 ? (uint16_t)r->port : ce->rport;
	out->from_connection_block = from_block;
	if (r && !(out->host = strdup(r->host)))
		return fail(f, NULL, "out of memory");
	if (ce->local && !(out->local = strdup(ce->local)))
		return fail(f, NULL, "out of memory");
	if (ce->bind_set && ce->nobind)
		return fail(f, "nobind", "bind and nobind cannot be used together");
	/* bind unless told not to, or unless a client that needs no fixed
	 * local port (tcp-client or pull) */
	need_bind = ce->local || ce->lport_set || ce->bind_set;
	bind = !ce->nobind && (need_bind || !(proto == CFG_PROTO_TCP_CLIENT || c->pull));
	out->bind = bind;
	out->lport = bind ? ce->lport : 0;
	out->connect_retry = ce->connect_retry;
	out->connect_retry_wait_max = ce->connect_retry_wait_max;
	out->connect_timeout = ce->connect_timeout;
	out->explicit_exit_notify = ce->explicit_exit_notify;
	if (ce->tun_mtu_set && ce->link_mtu_set)
		return fail(f, "link-mtu", "only one of tun-mtu and link-mtu may be given");
	out->tun_mtu = ce->tun_mtu;
	out->link_mtu = ce->link_mtu_set ? ce->link_mtu : MVPN_UNSET;
	out->fragment = ce->fragment;
	out->fragment_mtu = ce->fragment_mtu;
	if (ce->fragment && proto != CFG_PROTO_UDP)
		return fail(f, "fragment", "works only with UDP");
	if (ce->mssfix_default) {
		/* no mssfix or mssfix without a value: OpenVPN's defaults */
		if (ce->fragment) {
			out->mssfix = ce->fragment;
		} else if (ce->tun_mtu == 1500) {
			out->mssfix = 1492;
			out->mssfix_mtu = true;
		} else {
			out->mssfix = ce->tun_mtu;
			out->mssfix_fixed = true;
		}
	} else {
		out->mssfix = ce->mssfix;
		out->mssfix_mtu = ce->mssfix_mtu;
		out->mssfix_fixed = ce->mssfix_fixed;
	}
	return 0;
}

static void remote_clear(struct mvpn_remote *r)
{
	free(r->host);
	free(r->local);
	r->host = r->local = NULL;
}

static bool forced_out(const struct mvpn_config *c, const struct mvpn_remote *r)
{
	if (!c->has_proto_force)
		return false;
	if (c->priv->proto_force_any_tcp)
		return r->proto == MVPN_TRANSPORT_UDP;
	return r->proto != c->proto_force;
}

static int fin_connections(struct fin *f)
{
	struct mvpn_config *c = f->c;
	struct cfg_pending_remote *rem;
	size_t n_rem = cfg_parser_remotes(f->p, &rem);
	struct cfg_ce *ce = NULL;
	struct cfg_pending_remote *cr = NULL;
	unsigned int cline = 0;
	size_t n_conn = cfg_parser_conns(f->p, 0, &ce, &cr, &cline);
	size_t total = n_conn ? n_conn : n_rem;

	if (resolve_entry(f, cfg_parser_gce(f->p), NULL, false, &c->conn))
		return -1;
	if (c->mode == MVPN_MODE_SERVER) {
		if (n_conn)
			return fail(f, "connection", "<connection> cannot be used with mode server");
		if (n_rem)
			return fail(f, "remote", "cannot be used with mode server");
		if (cfg_parser_gce(f->p)->nobind)
			return fail(f, "nobind", "cannot be used with mode server");
	}
	if (!total) {
		if (cfg_parser_gce(f->p)->nobind)
			return fail(f, "nobind", "makes sense only with 'remote'");
		if (c->conn.proto == MVPN_TRANSPORT_TCP_CLIENT)
			return fail(f, "proto", "tcp-client needs a 'remote'");
		if (c->pull)
			return fail(f, c->client ? "client" : "pull", "a client needs a 'remote'");
		return 0;
	}
	c->remotes = calloc(total, sizeof(*c->remotes));
	if (!c->remotes)
		return fail(f, NULL, "out of memory");
	for (size_t i = 0; i < total; i++) {
		struct mvpn_remote *r = &c->remotes[c->n_remotes];

		int rc;

		if (n_conn) {
			cfg_parser_conns(f->p, i, &ce, &cr, &cline);
			rc = resolve_entry(f, ce, cr, true, r);
		} else {
			rc = resolve_entry(f, cfg_parser_gce(f->p), &rem[i], false, r);
		}
		if (rc || forced_out(c, r)) {
			/* not counted in n_remotes, so config_free() would miss it */
			remote_clear(r);
			if (rc)
				return -1;
			continue;
		}
		c->n_remotes++;
		if (r->proto == MVPN_TRANSPORT_TCP_SERVER && total > 1)
			return fail(f, "remote", "a TCP server accepts at most one 'remote'");
	}
	if (!c->n_remotes)
		return fail(f, "proto-force", "no 'remote' uses the forced protocol");
	return 0;
}

/* ---- data channel ------------------------------------------------------------- */

static bool in_data_ciphers(const struct mvpn_config *c, enum mvpn_cipher ci)
{
	for (size_t i = 0; i < c->n_data_ciphers; i++)
		if (c->data_ciphers[i] == ci)
			return true;
	return false;
}

static int fin_data(struct fin *f)
{
	struct mvpn_config *c = f->c;
	bool ncp = c->pull || c->mode == MVPN_MODE_SERVER;

	if (!c->priv->data_ciphers_set) {
		c->data_ciphers[0] = MVPN_CIPHER_AES_256_GCM;
		c->data_ciphers[1] = MVPN_CIPHER_AES_128_GCM;
		c->data_ciphers[2] = MVPN_CIPHER_CHACHA20_POLY1305;
		c->n_data_ciphers = 3;
	}
	if (ncp) {
		if (c->priv->cipher_unknown)
			warn(f, "cipher", "'%s' is not supported by mvpn; ignored, since OpenVPN "
			     "2.6 negotiates the cipher from data-ciphers", c->priv->cipher_name);
		else if (c->cipher != MVPN_CIPHER_UNSET && !in_data_ciphers(c, c->cipher) &&
			 c->data_ciphers_fallback == MVPN_CIPHER_UNSET)
			warn(f, "cipher", "%s is not in data-ciphers, so it is not used for "
			     "negotiation (add it to data-ciphers, or use data-ciphers-fallback)",
			     config_cipher_name(c->cipher));
	} else {
		if (c->priv->cipher_unknown)
			return fail(f, "cipher", "unsupported cipher '%s'", c->priv->cipher_name);
		/* p2p and static key: 'cipher' is used as is; BF-CBC is OpenVPN's
		 * historical default (mvpn's data planes implement AEAD only) */
		if (c->cipher == MVPN_CIPHER_UNSET)
			c->cipher = MVPN_CIPHER_BF_CBC;
	}
	if (c->no_replay && given(f, "replay-window"))
		return fail(f, "replay-window", "makes no sense with no-replay");
	/* compression: 2.6 allows only stub framing unless told otherwise, but
	 * a locally configured algorithm implies receiving it (asym) */
	{
		bool real = c->comp == MVPN_COMP_LZO_YES || c->comp == MVPN_COMP_LZO_ADAPTIVE ||
			    c->comp == MVPN_COMP_LZO || c->comp == MVPN_COMP_LZ4 ||
			    c->comp == MVPN_COMP_LZ4_V2;

		if (c->priv->allow_compression_set) {
			if (real && c->allow_compression == MVPN_ALLOW_COMP_NO)
				return fail(f, "allow-compression", "'no' conflicts with the "
					    "compression configured by %s", given(f, "compress") ?
					    "compress" : "comp-lzo");
		} else {
			c->allow_compression = real ? MVPN_ALLOW_COMP_ASYM : MVPN_ALLOW_COMP_NO;
		}
		if (c->comp == MVPN_COMP_MIGRATE && c->mode != MVPN_MODE_SERVER)
			return fail(f, "compress", "'migrate' is for servers only");
	}
	return 0;
}

struct mvpn_config *cfg_finish(struct mvpn_config_parser *p, struct mvpn_config_error *err)
{
	struct fin f = { .p = p, .c = cfg_parser_cfg(p), .err = err };

	if (fin_mode(&f) || fin_dev(&f) || fin_tls(&f) || fin_timers(&f) ||
	    fin_connections(&f) || fin_data(&f))
		return NULL;
	return f.c;
}
