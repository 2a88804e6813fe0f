// SPDX-License-Identifier: BSD-2-Clause
/*
 * config_route.c: routing and DNS directives (route, route-ipv6,
 * route-gateway, redirect-gateway, dhcp-option, dns, pull-filter, ...).
 * Most may also be pushed, and route-nopull filters them out of a push
 * (DF_ROUTE).  Host names are refused where OpenVPN would resolve them:
 * the parser does no I/O and resolving belongs to the daemon.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

static bool is_default(const char *s)
{
	return !*s || strcmp(s, "default") == 0;
}

/* ---- routes ---------------------------------------------------------------- */

static int route_addr(struct dctx *d, const char *s, enum mvpn_route_addr *kind,
		      struct in_addr *a, const char *what)
{
	if (strcmp(s, "vpn_gateway") == 0)
		*kind = MVPN_RADDR_VPN_GATEWAY;
	else if (strcmp(s, "net_gateway") == 0)
		*kind = MVPN_RADDR_NET_GATEWAY;
	else if (strcmp(s, "remote_host") == 0)
		*kind = MVPN_RADDR_REMOTE_HOST;
	else if (cfg_parse_in4(s, a))
		*kind = MVPN_RADDR_IP;
	else
		return cfg_err(d, "%s '%s' is not an IPv4 address or one of vpn_gateway, "
			       "net_gateway, remote_host (host names are not supported)", what, s);
	return 0;
}

static int h_route(struct dctx *d, const struct directive *de)
{
	struct mvpn_route4 r = { .metric = MVPN_UNSET, .pushed = d->where == CTX_PUSH };
	struct mvpn_route4 *slot;
	char net[INET_ADDRSTRLEN + 4];
	const char *slash = strchr(d->argv[1], '/');
	bool cidr = false;

	(void)de;
	r.mask.s_addr = htonl(0xffffffffu);
	if (slash && (size_t)(slash - d->argv[1]) < INET_ADDRSTRLEN) {
		long bits;

		/* not OpenVPN syntax, but unambiguous: accept 10.0.0.0/8 */
		memcpy(net, d->argv[1], (size_t)(slash - d->argv[1]));
		net[slash - d->argv[1]] = '\0';
		if (!cfg_parse_long(slash + 1, 0, 32, &bits) || !cfg_parse_in4(net, &r.net))
			return cfg_err(d, "'%s' is not an IPv4 network", d->argv[1]);
		r.mask.s_addr = bits ? htonl(0xffffffffu << (32 - bits)) : 0;
		r.net_kind = MVPN_RADDR_IP;
		cidr = true;
	} else if (route_addr(d, d->argv[1], &r.net_kind, &r.net, "network")) {
		return -1;
	}
	if (d->argc > 2 && !is_default(d->argv[2])) {
		if (cidr)
			return cfg_err(d, "netmask '%s' given after a /prefix", d->argv[2]);
		if (!cfg_parse_in4(d->argv[2], &r.mask) || !cfg_mask_ok(r.mask))
			return cfg_err(d, "netmask '%s' is not a valid netmask", d->argv[2]);
	}
	r.gw_kind = MVPN_RADDR_DEFAULT;
	if (d->argc > 3 && !is_default(d->argv[3]) &&
	    route_addr(d, d->argv[3], &r.gw_kind, &r.gw, "gateway"))
		return -1;
	if (d->argc > 4 && !is_default(d->argv[4]) && cfg_arg_int(d, 4, 0, INT_MAX, &r.metric))
		return -1;
	if (r.net_kind == MVPN_RADDR_IP && (r.net.s_addr & ~r.mask.s_addr)) {
		char a[INET_ADDRSTRLEN];

		r.net.s_addr &= r.mask.s_addr;
		inet_ntop(AF_INET, &r.net, a, sizeof(a));
		cfg_warn(d, "%s has host bits set for its netmask; using %s", d->argv[1], a);
	}
	slot = APPEND(d, d->cfg->routes, d->cfg->n_routes);
	if (!slot)
		return cfg_err(d, "out of memory");
	*slot = r;
	return 0;
}

static int h_route_ipv6(struct dctx *d, const struct directive *de)
{
	struct mvpn_route6 r = { .metric = MVPN_UNSET, .pushed = d->where == CTX_PUSH };
	struct mvpn_route6 *slot;

	(void)de;
	if (!cfg_parse_in6_bits(d->argv[1], &r.net, &r.bits, false))
		return cfg_err(d, "'%s' is not an IPv6 network/bits", d->argv[1]);
	if (d->argc > 2 && !is_default(d->argv[2])) {
		if (!cfg_parse_in6_bits(d->argv[2], &r.gw, NULL, false) || strchr(d->argv[2], '/'))
			return cfg_err(d, "gateway '%s' is not an IPv6 address", d->argv[2]);
		r.has_gw = true;
	}
	if (d->argc > 3 && !is_default(d->argv[3]) && cfg_arg_int(d, 3, 0, INT_MAX, &r.metric))
		return -1;
	{
		bool host_bits = false;

		for (unsigned int i = r.bits; i < 128; i++) {
			uint8_t bit = (uint8_t)(0x80 >> (i % 8));

			host_bits |= (r.net.s6_addr[i / 8] & bit) != 0;
			r.net.s6_addr[i / 8] &= (uint8_t)~bit;
		}
		if (host_bits) {
			char a[INET6_ADDRSTRLEN];

			inet_ntop(AF_INET6, &r.net, a, sizeof(a));
			cfg_warn(d, "%s has host bits set for its prefix; using %s/%u", d->argv[1], a,
				 r.bits);
		}
	}
	slot = APPEND(d, d->cfg->routes6, d->cfg->n_routes6);
	if (!slot)
		return cfg_err(d, "out of memory");
	*slot = r;
	return 0;
}

static int h_route_gateway(struct dctx *d, const struct directive *de)
{
	struct mvpn_config *c = d->cfg;

	(void)de;
	if (strcmp(d->argv[1], "dhcp") == 0) {
		c->route_gateway_dhcp = true;
		c->has_route_gateway = true;
		return 0;
	}
	if (!cfg_parse_in4(d->argv[1], &c->route_gateway))
		return cfg_err(d, "'%s' is not an IPv4 address or 'dhcp'", d->argv[1]);
	c->route_gateway_dhcp = false;
	c->has_route_gateway = true;
	return 0;
}

static int h_route_ipv6_gateway(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (!cfg_parse_in6_bits(d->argv[1], &d->cfg->route_ipv6_gateway, NULL, false) ||
	    strchr(d->argv[1], '/'))
		return cfg_err(d, "'%s' is not an IPv6 address", d->argv[1]);
	d->cfg->has_route_ipv6_gateway = true;
	return 0;
}

static int h_route_delay(struct dctx *d, const struct directive *de)
{
	int w;

	(void)de;
	d->cfg->route_delay = 0;
	if (d->argc > 1 && cfg_arg_int(d, 1, 0, 65535, &d->cfg->route_delay))
		return -1;
	if (d->argc > 2 && cfg_arg_int(d, 2, 0, 65535, &w))	/* Windows-only wait */
		return -1;
	return 0;
}

static int h_redirect(struct dctx *d, const struct directive *de)
{
	unsigned int fl = MVPN_REDIR_ENABLED;
	unsigned int *field = FIELD(d, de, unsigned int);

	for (int i = 1; i < d->argc; i++) {
		static const struct { const char *n; unsigned int f; } flags[] = {
			{ "local", MVPN_REDIR_LOCAL }, { "autolocal", MVPN_REDIR_AUTOLOCAL },
			{ "def1", MVPN_REDIR_DEF1 }, { "bypass-dhcp", MVPN_REDIR_BYPASS_DHCP },
			{ "bypass-dns", MVPN_REDIR_BYPASS_DNS },
			{ "block-local", MVPN_REDIR_BLOCK_LOCAL }, { "ipv6", MVPN_REDIR_IPV6 },
			{ "!ipv4", MVPN_REDIR_NOT_IPV4 },
		};
		size_t j;

		for (j = 0; j < sizeof(flags) / sizeof(flags[0]); j++)
			if (strcmp(flags[j].n, d->argv[i]) == 0)
				break;
		if (j == sizeof(flags) / sizeof(flags[0]))
			return cfg_err(d, "unknown flag '%s' (local, autolocal, def1, bypass-dhcp, "
				       "bypass-dns, block-local, ipv6, !ipv4)", d->argv[i]);
		fl |= flags[j].f;
	}
	if (d->cfg->redirect_gateway || d->cfg->redirect_private)
		cfg_warn(d, "redirect-gateway/redirect-private given more than once: flags are merged");
	*field |= fl;
	return 0;
}

static const struct { const char *name; enum mvpn_dhcp_opt t; int kind; } dhcp_names[] = {
	/* kind: 0 text, 1 IPv4 address, 2 IPv4 or IPv6 address, 3 IPv6, 4 no argument, 5 number */
	{ "DOMAIN", MVPN_DHCP_DOMAIN, 0 },
	{ "DOMAIN-SEARCH", MVPN_DHCP_DOMAIN_SEARCH, 0 },
	{ "ADAPTER_DOMAIN_SUFFIX", MVPN_DHCP_ADAPTER_DOMAIN_SUFFIX, 0 },
	{ "DNS", MVPN_DHCP_DNS, 2 },
	{ "DNS6", MVPN_DHCP_DNS6, 3 },
	{ "WINS", MVPN_DHCP_WINS, 1 },
	{ "NBDD", MVPN_DHCP_NBDD, 1 },
	{ "NTP", MVPN_DHCP_NTP, 1 },
	{ "NBT", MVPN_DHCP_NBT, 5 },
	{ "NBS", MVPN_DHCP_NBS, 0 },
	{ "DISABLE-NBT", MVPN_DHCP_DISABLE_NBT, 4 },
	{ "PROXY_HTTP", MVPN_DHCP_PROXY_HTTP, 0 },
	{ "PROXY_AUTO_CONFIG_URL", MVPN_DHCP_PROXY_AUTO_CONFIG_URL, 0 },
};

const char *cfg_dhcp_name(enum mvpn_dhcp_opt t)
{
	for (size_t i = 0; i < sizeof(dhcp_names) / sizeof(dhcp_names[0]); i++)
		if (dhcp_names[i].t == t)
			return dhcp_names[i].name;
	return "?";
}

static int h_dhcp_option(struct dctx *d, const struct directive *de)
{
	struct mvpn_dhcp_option o = { .pushed = d->where == CTX_PUSH };
	struct mvpn_dhcp_option *slot;
	size_t i;
	int kind;

	(void)de;
	for (i = 0; i < sizeof(dhcp_names) / sizeof(dhcp_names[0]); i++)
		if (strcasecmp(dhcp_names[i].name, d->argv[1]) == 0)
			break;
	if (i == sizeof(dhcp_names) / sizeof(dhcp_names[0]))
		return cfg_err(d, "unknown option type '%s' (DNS, DNS6, DOMAIN, DOMAIN-SEARCH, "
			       "WINS, NTP, NBDD, NBT, NBS, DISABLE-NBT, ...)", d->argv[1]);
	o.type = dhcp_names[i].t;
	kind = dhcp_names[i].kind;
	if (kind == 4) {
		if (d->argc != 2)
			return cfg_err(d, "%s takes no value", d->argv[1]);
	} else {
		if (d->argc < 3)
			return cfg_err(d, "%s needs a value", d->argv[1]);
		if (d->argc > 3 && o.type != MVPN_DHCP_PROXY_HTTP)
			return cfg_err(d, "%s takes one value", d->argv[1]);
		if (kind == 1 || kind == 2) {
			if (cfg_parse_in4(d->argv[2], &o.addr.v4))
				o.family = AF_INET;
			else if (kind == 2 && inet_pton(AF_INET6, d->argv[2], &o.addr.v6) == 1)
				o.family = AF_INET6;
			else
				return cfg_err(d, "%s: '%s' is not an IP%s address", d->argv[1],
					       d->argv[2], kind == 1 ? "v4" : "");
		} else if (kind == 3) {
			if (inet_pton(AF_INET6, d->argv[2], &o.addr.v6) != 1)
				return cfg_err(d, "%s: '%s' is not an IPv6 address", d->argv[1],
					       d->argv[2]);
			o.family = AF_INET6;
		} else if (kind == 5) {
			long t;

			if (!cfg_parse_long(d->argv[2], 1, 8, &t) || (t & (t - 1)))
				return cfg_err(d, "NBT: '%s' must be 1, 2, 4 or 8", d->argv[2]);
		}
		o.value = strdup(d->argv[2]);
		if (!o.value)
			return cfg_err(d, "out of memory");
	}
	slot = APPEND(d, d->cfg->dhcp_options, d->cfg->n_dhcp_options);
	if (!slot) {
		free(o.value);
		return cfg_err(d, "out of memory");
	}
	*slot = o;
	return 0;
}

static int dns_addr(struct dctx *d, struct mvpn_dns_server *s, const char *a)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *port = NULL;
	size_t n;
	long pv = 0;

	if (s->n_addr >= MVPN_DNS_MAX_ADDR)
		return cfg_err(d, "at most %d addresses per server", MVPN_DNS_MAX_ADDR);
	/* forms: 1.2.3.4, 1.2.3.4:53, ::1, [::1]:53 */
	if (a[0] == '[') {
		const char *e = strchr(a, ']');

		if (!e || (e[1] && e[1] != ':'))
			return cfg_err(d, "malformed address '%s'", a);
		n = (size_t)(e - a - 1);
		if (n >= sizeof(host))
			return cfg_err(d, "malformed address '%s'", a);
		memcpy(host, a + 1, n);
		host[n] = '\0';
		port = e[1] ? e + 2 : NULL;
	} else {
		const char *colon = strchr(a, ':');

		n = strlen(a);
		if (colon && !strchr(colon + 1, ':')) {	/* v4 with port */
			n = (size_t)(colon - a);
			port = colon + 1;
		}
		if (n >= sizeof(host))
			return cfg_err(d, "malformed address '%s'", a);
		memcpy(host, a, n);
		host[n] = '\0';
	}
	if (port && !cfg_parse_long(port, 1, 65535, &pv))
		return cfg_err(d, "bad port in '%s'", a);
	if (inet_pton(AF_INET, host, &s->addr[s->n_addr].a.v4) == 1)
		s->addr[s->n_addr].family = AF_INET;
	else if (inet_pton(AF_INET6, host, &s->addr[s->n_addr].a.v6) == 1)
		s->addr[s->n_addr].family = AF_INET6;
	else
		return cfg_err(d, "'%s' is not an IP address", a);
	s->addr[s->n_addr].port = (uint16_t)pv;
	s->n_addr++;
	return 0;
}

static char *join_args(struct dctx *d, int from)
{
	size_t len = 1;
	char *s;

	for (int i = from; i < d->argc; i++)
		len += strlen(d->argv[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (int i = from; i < d->argc; i++) {
		if (i > from)
			strcat(s, " ");
		strcat(s, d->argv[i]);
	}
	return s;
}

static int h_dns(struct dctx *d, const struct directive *de)
{
	struct mvpn_config *c = d->cfg;
	struct mvpn_dns_server *s = NULL;
	long prio = 0;

	(void)de;
	if (strcmp(d->argv[1], "search-domains") == 0 && d->argc > 2) {
		for (int i = 2; i < d->argc; i++) {
			char **slot = APPEND(d, c->dns_search_domains, c->n_dns_search_domains);

			if (!slot || !(*slot = strdup(d->argv[i])))
				return cfg_err(d, "out of memory");
		}
		return 0;
	}
	if (strcmp(d->argv[1], "server") != 0 || d->argc < 5)
		return cfg_err(d, "expected 'dns search-domains DOMAIN...' or "
			       "'dns server N address|resolve-domains|dnssec|transport|sni ...'");
	if (!cfg_parse_long(d->argv[2], -128, 127, &prio))
		return cfg_err(d, "invalid priority '%s' (-128..127)", d->argv[2]);
	for (size_t i = 0; i < c->n_dns_servers; i++)
		if (c->dns_servers[i].priority == prio)
			s = &c->dns_servers[i];
	if (!s) {
		s = APPEND(d, c->dns_servers, c->n_dns_servers);
		if (!s)
			return cfg_err(d, "out of memory");
		s->priority = (int)prio;
	}
	if (strcmp(d->argv[3], "address") == 0) {
		for (int i = 4; i < d->argc; i++)
			if (dns_addr(d, s, d->argv[i]))
				return -1;
	} else if (strcmp(d->argv[3], "resolve-domains") == 0) {
		char *j = join_args(d, 4);

		if (!j)
			return cfg_err(d, "out of memory");
		free(s->resolve_domains);
		s->resolve_domains = j;
	} else if (strcmp(d->argv[3], "dnssec") == 0 && d->argc == 5) {
		if (strcmp(d->argv[4], "yes") && strcmp(d->argv[4], "no") &&
		    strcmp(d->argv[4], "optional"))
			return cfg_err(d, "dnssec '%s' must be yes, no or optional", d->argv[4]);
		return cfg_set_str(d, &s->dnssec, d->argv[4]);
	} else if (strcmp(d->argv[3], "transport") == 0 && d->argc == 5) {
		if (strcmp(d->argv[4], "plain") && strcmp(d->argv[4], "DoH") &&
		    strcmp(d->argv[4], "DoT"))
			return cfg_err(d, "transport '%s' must be plain, DoH or DoT", d->argv[4]);
		return cfg_set_str(d, &s->transport, d->argv[4]);
	} else if (strcmp(d->argv[3], "sni") == 0 && d->argc == 5) {
		return cfg_set_str(d, &s->sni, d->argv[4]);
	} else {
		return cfg_err(d, "server %ld: unknown setting '%s' or wrong number of values",
			       prio, d->argv[3]);
	}
	return 0;
}

static int h_pull_filter(struct dctx *d, const struct directive *de)
{
	struct mvpn_pull_filter f = { 0 };
	struct mvpn_pull_filter *slot;

	(void)de;
	if (strcmp(d->argv[1], "accept") == 0)
		f.action = MVPN_PULL_ACCEPT;
	else if (strcmp(d->argv[1], "ignore") == 0)
		f.action = MVPN_PULL_IGNORE;
	else if (strcmp(d->argv[1], "reject") == 0)
		f.action = MVPN_PULL_REJECT;
	else
		return cfg_err(d, "unknown action '%s' (accept, ignore or reject)", d->argv[1]);
	f.prefix = strdup(d->argv[2]);
	if (!f.prefix)
		return cfg_err(d, "out of memory");
	slot = APPEND(d, d->cfg->pull_filters, d->cfg->n_pull_filters);
	if (!slot) {
		free(f.prefix);
		return cfg_err(d, "out of memory");
	}
	*slot = f;
	return 0;
}

static int h_allow_pull_fqdn(struct dctx *d, const struct directive *de)
{
	(void)de;
	d->cfg->priv->allow_pull_fqdn = true;
	return 0;
}

/* ---- the table ----------------------------------------------------------------- */

const struct directive cfg_directives_route[] = {
	/* routes */
	{ "route", "NETWORK [NETMASK [GATEWAY [METRIC]]]", 1, 4, DF_PUSH | DF_ROUTE, h_route, 0, 0, 0 },
	{ "route-ipv6", "NETWORK/BITS [GATEWAY [METRIC]]", 1, 3, DF_PUSH | DF_ROUTE, h_route_ipv6, 0, 0, 0 },
	{ "route-gateway", "GATEWAY|dhcp", 1, 1, DF_PUSH, h_route_gateway, 0, 0, 0 },
	{ "route-ipv6-gateway", "GATEWAY", 1, 1, DF_PUSH, h_route_ipv6_gateway, 0, 0, 0 },
	{ "route-metric", "METRIC", 1, 1, DF_PUSH | DF_ROUTE, cfg_h_int, OFF(route_metric), 0, INT_MAX },
	{ "route-delay", "[N [W]]", 0, 2, DF_PUSH, h_route_delay, 0, 0, 0 },
	{ "route-nopull", "", 0, 0, 0, cfg_h_flag, OFF(route_nopull), 0, 0 },
	{ "route-noexec", "", 0, 0, 0, cfg_h_flag, OFF(route_noexec), 0, 0 },
	{ "redirect-gateway", "[FLAGS...]", 0, N, DF_PUSH | DF_ROUTE, h_redirect, OFF(redirect_gateway), 0, 0 },
	{ "redirect-private", "[FLAGS...]", 0, N, DF_PUSH | DF_ROUTE, h_redirect, OFF(redirect_private), 0, 0 },
	{ "block-ipv6", "", 0, 0, DF_PUSH | DF_ROUTE, cfg_h_flag, OFF(block_ipv6), 0, 0 },
	{ "dhcp-option", "TYPE [VALUE]", 1, 3, DF_PUSH | DF_ROUTE, h_dhcp_option, 0, 0, 0 },
	{ "dns", "search-domains DOMAIN... | server N SETTING VALUE...", 2, N, DF_PUSH | DF_ROUTE, h_dns, 0, 0, 0 },
	{ "pull-filter", "accept|ignore|reject TEXT", 2, 2, 0, h_pull_filter, 0, 0, 0 },
	{ "allow-pull-fqdn", "", 0, 0, 0, h_allow_pull_fqdn, 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0, 0, 0 },
};
