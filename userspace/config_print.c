// SPDX-License-Identifier: BSD-2-Clause
/*
 * config_print.c: the resolved configuration, for `mvpnd --check-config`.
 * Key material and passwords are never printed: only where they come from
 * and their size.
 */
#include <arpa/inet.h>
#include <string.h>

#include "config_int.h"

static const char *a4(const struct in_addr *a, char *buf)
{
	return inet_ntop(AF_INET, a, buf, INET_ADDRSTRLEN);
}

static const char *a6(const struct in6_addr *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

static void blob(FILE *f, const char *name, const struct mvpn_blob *b)
{
	if (!b->data)
		return;
	if (b->path)
		fprintf(f, "  %-22s %s (%zu bytes)\n", name, b->path, b->len);
	else
		fprintf(f, "  %-22s <inline, %zu bytes>\n", name, b->len);
}

static const char *onoff(bool b)
{
	return b ? "yes" : "no";
}

static void secs(FILE *f, const char *name, int v)
{
	if (v > 0)
		fprintf(f, "  %-22s %d s\n", name, v);
	else
		fprintf(f, "  %-22s off\n", name);
}

static void raddr(char *buf, enum mvpn_route_addr k, const struct in_addr *a)
{
	switch (k) {
	case MVPN_RADDR_IP: a4(a, buf); break;
	case MVPN_RADDR_DEFAULT: strcpy(buf, "default"); break;
	case MVPN_RADDR_VPN_GATEWAY: strcpy(buf, "vpn_gateway"); break;
	case MVPN_RADDR_NET_GATEWAY: strcpy(buf, "net_gateway"); break;
	case MVPN_RADDR_REMOTE_HOST: strcpy(buf, "remote_host"); break;
	}
}

static void redir(FILE *f, const char *name, unsigned int fl)
{
	static const struct { unsigned int f; const char *n; } names[] = {
		{ MVPN_REDIR_LOCAL, "local" }, { MVPN_REDIR_AUTOLOCAL, "autolocal" },
		{ MVPN_REDIR_DEF1, "def1" }, { MVPN_REDIR_BYPASS_DHCP, "bypass-dhcp" },
		{ MVPN_REDIR_BYPASS_DNS, "bypass-dns" }, { MVPN_REDIR_BLOCK_LOCAL, "block-local" },
		{ MVPN_REDIR_IPV6, "ipv6" }, { MVPN_REDIR_NOT_IPV4, "!ipv4" },
	};

	if (!fl)
		return;
	fprintf(f, "  %-22s", name);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (fl & names[i].f)
			fprintf(f, " %s", names[i].n);
	fprintf(f, "\n");
}

static void remote(FILE *f, const struct mvpn_remote *r, size_t i)
{
	fprintf(f, "  [%zu] %s port %u %s%s\n", i, r->host ? r->host : "(none)", r->port,
		cfg_transport_name(r->proto, r->af), r->from_connection_block ? " (<connection>)" : "");
	fprintf(f, "      local %s:%u %s, connect-retry %u s (max %u s), connect-timeout %u s\n",
		r->local ? r->local : "*", r->lport, r->bind ? "bound" : "not bound",
		r->connect_retry, r->connect_retry_wait_max, r->connect_timeout);
	fprintf(f, "      tun-mtu %d", r->tun_mtu);
	if (r->link_mtu != MVPN_UNSET)
		fprintf(f, ", link-mtu %d", r->link_mtu);
	if (r->mssfix)
		fprintf(f, ", mssfix %d%s", r->mssfix,
			r->mssfix_fixed ? " fixed" : r->mssfix_mtu ? " mtu" : "");
	else
		fprintf(f, ", mssfix off");
	if (r->fragment)
		fprintf(f, ", fragment %d (not supported by the kernel data plane)", r->fragment);
	if (r->explicit_exit_notify)
		fprintf(f, ", explicit-exit-notify %d", r->explicit_exit_notify);
	fprintf(f, "\n");
}

void config_print(FILE *f, const struct mvpn_config *c)
{
	static const char *const topo[] = { "net30", "p2p", "subnet" };
	static const char *const devt[] = { "tun", "tap", "null" };
	static const char *const x509[] = { "none", "subject", "name", "name-prefix" };
	static const char *const wrap[] = { "none", "tls-auth", "tls-crypt", "tls-crypt-v2" };
	static const char *const allow[] = { "no (stub framing only)", "asym (receive only)", "yes" };
	static const char *const retry[] = { "none", "nointeract", "interact" };
	char b1[INET6_ADDRSTRLEN], b2[INET6_ADDRSTRLEN], b3[INET6_ADDRSTRLEN];

	fprintf(f, "mode:\n");
	fprintf(f, "  %-22s %s%s%s\n", "mode", c->mode == MVPN_MODE_SERVER ? "server" : "p2p",
		c->client ? " (client)" : "", c->pull ? ", pull" : "");
	fprintf(f, "  %-22s %s\n", "tls", c->tls_role == MVPN_TLS_CLIENT ? "tls-client" :
		c->tls_role == MVPN_TLS_SERVER ? "tls-server" : "none (static key)");

	fprintf(f, "device:\n");
	fprintf(f, "  %-22s %s (%s)\n", "dev", c->dev ? c->dev : "-", devt[c->dev_type % 3]);
	if (c->dev_node)
		fprintf(f, "  %-22s %s\n", "dev-node", c->dev_node);
	fprintf(f, "  %-22s %s%s\n", "topology", topo[c->topology % 3],
		c->topology_set ? "" : " (default)");
	if (c->has_ifconfig)
		fprintf(f, "  %-22s %s %s\n", "ifconfig", a4(&c->ifconfig_local, b1),
			a4(&c->ifconfig_remote_netmask, b2));
	if (c->has_ifconfig6)
		fprintf(f, "  %-22s %s/%u %s\n", "ifconfig-ipv6", a6(&c->ifconfig6_local, b1),
			c->ifconfig6_bits, a6(&c->ifconfig6_remote, b2));
	if (c->ifconfig_noexec)
		fprintf(f, "  %-22s yes\n", "ifconfig-noexec");

	fprintf(f, "routes:\n");
	for (size_t i = 0; i < c->n_routes; i++) {
		const struct mvpn_route4 *r = &c->routes[i];

		raddr(b1, r->net_kind, &r->net);
		raddr(b3, r->gw_kind, &r->gw);
		fprintf(f, "  %-22s %s %s gw %s", "route", b1, a4(&r->mask, b2), b3);
		if (r->metric != MVPN_UNSET)
			fprintf(f, " metric %d", r->metric);
		fprintf(f, "%s\n", r->pushed ? " (pushed)" : "");
	}
	for (size_t i = 0; i < c->n_routes6; i++) {
		const struct mvpn_route6 *r = &c->routes6[i];

		fprintf(f, "  %-22s %s/%u gw %s", "route-ipv6", a6(&r->net, b1), r->bits,
			r->has_gw ? a6(&r->gw, b2) : "default");
		if (r->metric != MVPN_UNSET)
			fprintf(f, " metric %d", r->metric);
		fprintf(f, "%s\n", r->pushed ? " (pushed)" : "");
	}
	if (c->has_route_gateway)
		fprintf(f, "  %-22s %s\n", "route-gateway",
			c->route_gateway_dhcp ? "dhcp" : a4(&c->route_gateway, b1));
	if (c->has_route_ipv6_gateway)
		fprintf(f, "  %-22s %s\n", "route-ipv6-gateway", a6(&c->route_ipv6_gateway, b1));
	if (c->route_metric != MVPN_UNSET)
		fprintf(f, "  %-22s %d\n", "route-metric", c->route_metric);
	if (c->route_delay != MVPN_UNSET)
		fprintf(f, "  %-22s %d s\n", "route-delay", c->route_delay);
	redir(f, "redirect-gateway", c->redirect_gateway);
	redir(f, "redirect-private", c->redirect_private);
	if (c->block_ipv6)
		fprintf(f, "  %-22s yes\n", "block-ipv6");
	if (c->route_nopull)
		fprintf(f, "  %-22s yes\n", "route-nopull");
	if (c->route_noexec)
		fprintf(f, "  %-22s yes\n", "route-noexec");
	for (size_t i = 0; i < c->n_dhcp_options; i++)
		fprintf(f, "  %-22s %s %s%s\n", "dhcp-option", cfg_dhcp_name(c->dhcp_options[i].type),
			c->dhcp_options[i].value ? c->dhcp_options[i].value : "",
			c->dhcp_options[i].pushed ? " (pushed)" : "");
	for (size_t i = 0; i < c->n_dns_servers; i++) {
		const struct mvpn_dns_server *s = &c->dns_servers[i];

		fprintf(f, "  %-22s %d:", "dns server", s->priority);
		for (unsigned int j = 0; j < s->n_addr; j++) {
			if (s->addr[j].family == AF_INET)
				fprintf(f, " %s", a4(&s->addr[j].a.v4, b1));
			else
				fprintf(f, " %s", a6(&s->addr[j].a.v6, b1));
			if (s->addr[j].port)
				fprintf(f, " port %u", s->addr[j].port);
		}
		if (s->resolve_domains)
			fprintf(f, ", resolve-domains %s", s->resolve_domains);
		if (s->dnssec)
			fprintf(f, ", dnssec %s", s->dnssec);
		if (s->transport)
			fprintf(f, ", transport %s", s->transport);
		if (s->sni)
			fprintf(f, ", sni %s", s->sni);
		fprintf(f, "\n");
	}
	for (size_t i = 0; i < c->n_dns_search_domains; i++)
		fprintf(f, "  %-22s %s\n", "dns search-domain", c->dns_search_domains[i]);
	for (size_t i = 0; i < c->n_pull_filters; i++)
		fprintf(f, "  %-22s %s \"%s\"\n", "pull-filter",
			c->pull_filters[i].action == MVPN_PULL_ACCEPT ? "accept" :
			c->pull_filters[i].action == MVPN_PULL_IGNORE ? "ignore" : "reject",
			c->pull_filters[i].prefix);

	fprintf(f, "connection:\n");
	for (size_t i = 0; i < c->n_remotes; i++)
		remote(f, &c->remotes[i], i);
	if (!c->n_remotes)
		remote(f, &c->conn, 0);
	fprintf(f, "  %-22s %s\n", "remote-random", onoff(c->remote_random));
	if (c->connect_retry_max)
		fprintf(f, "  %-22s %u\n", "connect-retry-max", c->connect_retry_max);
	if (c->has_proto_force)
		fprintf(f, "  %-22s %s\n", "proto-force", cfg_transport_name(c->proto_force, 0));
	if (c->resolv_retry < 0)
		fprintf(f, "  %-22s infinite\n", "resolv-retry");
	else
		fprintf(f, "  %-22s %d s\n", "resolv-retry", c->resolv_retry);
	fprintf(f, "  %-22s %s\n", "float", onoff(c->float_));
	fprintf(f, "  %-22s key %s, tun %s\n", "persist", onoff(c->persist_key),
		onoff(c->persist_tun));

	if (c->tls_role != MVPN_TLS_NONE) {
		fprintf(f, "tls:\n");
		blob(f, "ca", &c->ca);
		blob(f, "cert", &c->cert);
		blob(f, "key", &c->key);
		blob(f, "extra-certs", &c->extra_certs);
		blob(f, "pkcs12", &c->pkcs12);
		blob(f, "crl-verify", &c->crl);
		blob(f, "dh", &c->dh);
		if (c->askpass || c->askpass_prompt)
			fprintf(f, "  %-22s %s\n", "askpass", c->askpass ? "<from file>" : "prompt");
		fprintf(f, "  %-22s %s%s", "tls-version-min", cfg_tls_version_name(c->tls_version_min),
			c->tls_version_min_or_highest ? " or-highest" : "");
		fprintf(f, ", max %s\n", c->tls_version_max ? cfg_tls_version_name(c->tls_version_max)
							    : "none");
		if (c->tls_cipher)
			fprintf(f, "  %-22s %s\n", "tls-cipher", c->tls_cipher);
		if (c->tls_ciphersuites)
			fprintf(f, "  %-22s %s\n", "tls-ciphersuites", c->tls_ciphersuites);
		if (c->tls_groups)
			fprintf(f, "  %-22s %s\n", "tls-groups", c->tls_groups);
		if (c->ecdh_curve)
			fprintf(f, "  %-22s %s\n", "ecdh-curve", c->ecdh_curve);
		if (c->tls_cert_profile)
			fprintf(f, "  %-22s %s\n", "tls-cert-profile", c->tls_cert_profile);
		fprintf(f, "  %-22s %s\n", "remote-cert-tls",
			c->remote_cert_tls == MVPN_REMOTE_CERT_SERVER ? "server" :
			c->remote_cert_tls == MVPN_REMOTE_CERT_CLIENT ? "client" : "none");
		if (c->remote_cert_ku_set) {
			fprintf(f, "  %-22s", "remote-cert-ku");
			for (size_t i = 0; i < c->n_remote_cert_ku; i++)
				fprintf(f, " %04x", c->remote_cert_ku[i]);
			fprintf(f, "%s\n", c->n_remote_cert_ku ? "" : " (any, must be present)");
		}
		if (c->remote_cert_eku)
			fprintf(f, "  %-22s %s\n", "remote-cert-eku", c->remote_cert_eku);
		if (c->verify_x509_name)
			fprintf(f, "  %-22s %s (%s)\n", "verify-x509-name", c->verify_x509_name,
				x509[c->verify_x509_type % 4]);
		for (size_t i = 0; i < c->n_peer_fingerprints; i++) {
			fprintf(f, "  %-22s ", "peer-fingerprint");
			for (int j = 0; j < MVPN_SHA256_LEN; j++)
				fprintf(f, "%02X%s", c->peer_fingerprints[i][j],
					j + 1 < MVPN_SHA256_LEN ? ":" : "\n");
		}
		fprintf(f, "  %-22s %s\n", "control wrapper", wrap[c->tls_wrap % 4]);
		blob(f, "tls-auth", &c->tls_auth);
		blob(f, "tls-crypt", &c->tls_crypt);
		blob(f, "tls-crypt-v2", &c->tls_crypt_v2);
		if (c->tls_wrap == MVPN_WRAP_TLS_AUTH)
			fprintf(f, "  %-22s %s\n", "key-direction",
				c->key_direction == MVPN_KEYDIR_BIDI ? "bidirectional" :
				c->key_direction == MVPN_KEYDIR_NORMAL ? "0" : "1");
		fprintf(f, "  %-22s %d s\n", "tls-timeout", c->tls_timeout);
		fprintf(f, "  %-22s %d s\n", "hand-window", c->hand_window);
		fprintf(f, "  %-22s %d s\n", "tran-window", c->tran_window);
		secs(f, "reneg-sec", c->reneg_sec);
		if (c->reneg_bytes != MVPN_UNSET)
			fprintf(f, "  %-22s %lld\n", "reneg-bytes", (long long)c->reneg_bytes);
		if (c->reneg_pkts != MVPN_UNSET)
			fprintf(f, "  %-22s %lld\n", "reneg-pkts", (long long)c->reneg_pkts);
	} else {
		fprintf(f, "static key:\n");
		blob(f, "secret", &c->secret);
		fprintf(f, "  %-22s %s\n", "key-direction",
			c->key_direction == MVPN_KEYDIR_BIDI ? "bidirectional" :
			c->key_direction == MVPN_KEYDIR_NORMAL ? "0" : "1");
	}

	fprintf(f, "data channel:\n");
	fprintf(f, "  %-22s", "data-ciphers");
	for (size_t i = 0; i < c->n_data_ciphers; i++)
		fprintf(f, "%s%s", i ? ":" : " ", config_cipher_name(c->data_ciphers[i]));
	fprintf(f, "\n");
	if (c->cipher != MVPN_CIPHER_UNSET)
		fprintf(f, "  %-22s %s%s\n", "cipher", config_cipher_name(c->cipher),
			c->pushed_cipher ? " (pushed)" : "");
	if (c->data_ciphers_fallback != MVPN_CIPHER_UNSET)
		fprintf(f, "  %-22s %s\n", "data-ciphers-fallback",
			config_cipher_name(c->data_ciphers_fallback));
	fprintf(f, "  %-22s %s\n", "auth", config_digest_name(c->auth));
	if (c->no_replay)
		fprintf(f, "  %-22s off (no-replay)\n", "replay protection");
	else
		fprintf(f, "  %-22s %d packets, %d s\n", "replay-window", c->replay_window,
			c->replay_window_time);
	fprintf(f, "  %-22s %s\n", "compression", cfg_comp_name(c->comp));
	fprintf(f, "  %-22s %s\n", "allow-compression", allow[c->allow_compression % 3]);

	fprintf(f, "timers:\n");
	secs(f, "ping", c->ping);
	secs(f, "ping-restart", c->ping_restart);
	secs(f, "ping-exit", c->ping_exit);
	if (c->keepalive_interval)
		fprintf(f, "  %-22s %d %d\n", "keepalive", c->keepalive_interval,
			c->keepalive_timeout);
	if (c->inactive)
		fprintf(f, "  %-22s %d s (%lld bytes)\n", "inactive", c->inactive,
			(long long)c->inactive_bytes);
	if (c->session_timeout)
		fprintf(f, "  %-22s %d s\n", "session-timeout", c->session_timeout);

	if (c->auth_user_pass) {
		fprintf(f, "authentication:\n");
		fprintf(f, "  %-22s %s%s\n", "auth-user-pass",
			c->username ? "user name from the config" : "prompt",
			c->username && !c->password ? ", password prompted" :
			c->password ? ", password from the config" : "");
		fprintf(f, "  %-22s %s\n", "auth-retry", retry[c->auth_retry % 3]);
		fprintf(f, "  %-22s %s\n", "auth-nocache", onoff(c->auth_nocache));
		if (c->static_challenge)
			fprintf(f, "  %-22s \"%s\" (echo %s)\n", "static-challenge",
				c->static_challenge, onoff(c->static_challenge_echo));
	}

	if (c->push_received) {
		fprintf(f, "pushed:\n");
		if (c->peer_id != MVPN_UNSET)
			fprintf(f, "  %-22s %d\n", "peer-id", c->peer_id);
		fprintf(f, "  %-22s %s\n", "tls-ekm", onoff(c->key_derivation_tls_ekm));
		fprintf(f, "  %-22s cc-exit %s, dyn-tls-crypt %s\n", "protocol-flags",
			onoff(c->protocol_cc_exit), onoff(c->protocol_dyn_tls_crypt));
		if (c->auth_token)
			fprintf(f, "  %-22s <%zu bytes>\n", "auth-token", strlen(c->auth_token));
	}

	if (c->mode == MVPN_MODE_SERVER) {
		fprintf(f, "server:\n");
		if (c->has_server)
			fprintf(f, "  %-22s %s %s%s\n", "server", a4(&c->server_net, b1),
				a4(&c->server_mask, b2), c->server_nopool ? " nopool" : "");
		if (c->has_server6)
			fprintf(f, "  %-22s %s/%u\n", "server-ipv6", a6(&c->server6_net, b1),
				c->server6_bits);
		for (size_t i = 0; i < c->n_push; i++)
			fprintf(f, "  %-22s \"%s\"\n", "push", c->push[i]);
		fprintf(f, "  %-22s %s\n", "client-to-client", onoff(c->client_to_client));
		fprintf(f, "  %-22s %d\n", "max-clients", c->max_clients);
	}

	fprintf(f, "misc:\n");
	fprintf(f, "  %-22s %d\n", "verb", c->verb);
	if (c->mute)
		fprintf(f, "  %-22s %d\n", "mute", c->mute);
	if (c->user)
		fprintf(f, "  %-22s %s\n", "user", c->user);
	if (c->group)
		fprintf(f, "  %-22s %s\n", "group", c->group);
	if (c->mark)
		fprintf(f, "  %-22s %d\n", "mark", c->mark);
}
