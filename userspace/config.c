// SPDX-License-Identifier: BSD-2-Clause
/*
 * config.c: OpenVPN 2.6 directives -> struct mvpn_config: the shared
 * helpers, and the directives for mode, device, transport and connection
 * list, MTU, timers and miscellany.
 *
 * Each directive is a row of a table: name, argument synopsis and count,
 * where it may appear (file, <connection>, push) and its handler.  The rows
 * live next to their handlers: here, in config_route.c (routes and DNS) and
 * in config_tls.c (certificates, keys, ciphers, authentication, pushed-only
 * options).  config_tables.c joins them and holds the two other tables:
 * directives accepted with a warning (each with the reason it is harmless)
 * and directives refused with a reason; the documentation is generated from
 * them.  Anything else is "FILE:LINE: unknown directive 'x'".
 *
 * The line-feeding driver (inline blocks, includes, [inline] references)
 * is config_parser.c; validation and defaults at the end, config_finish.c.
 * Nothing here does I/O: files are read through the injected callback.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"
#include "encoding.h"

/* ---- small helpers --------------------------------------------------------- */

int cfg_err(struct dctx *d, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_set_error(d->err, d->file, d->line, "%s: %s", d->argv[0], msg);
	return -1;
}

void cfg_warn(struct dctx *d, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (d->line)
		cfg_add_warning(d->cfg, "%s:%u: %s: %s", d->file, d->line, d->argv[0], msg);
	else
		cfg_add_warning(d->cfg, "%s: %s: %s", d->file, d->argv[0], msg);
}

/* Strict decimal integer in [lo, hi]. */
bool cfg_parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = 0;

	if (!*s || isspace((unsigned char)*s))
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

int cfg_arg_long(struct dctx *d, int i, long lo, long hi, long *out)
{
	if (!cfg_parse_long(d->argv[i], lo, hi, out))
		return cfg_err(d, "'%s' is not a number between %ld and %ld", d->argv[i], lo, hi);
	return 0;
}

int cfg_arg_int(struct dctx *d, int i, long lo, long hi, int *out)
{
	long v = 0;

	if (cfg_arg_long(d, i, lo, hi, &v))
		return -1;
	*out = (int)v;
	return 0;
}

static int arg_port(struct dctx *d, int i, uint16_t *out)
{
	long v = 0;

	if (!cfg_parse_long(d->argv[i], 1, 65535, &v))
		return cfg_err(d, "port '%s' is not a number between 1 and 65535", d->argv[i]);
	*out = (uint16_t)v;
	return 0;
}

int cfg_set_str(struct dctx *d, char **field, const char *v)
{
	char *s = strdup(v);

	if (!s)
		return cfg_err(d, "out of memory");
	free(*field);
	*field = s;
	return 0;
}

void *cfg_grow(void *arr, size_t n, size_t size)
{
	/* arrays grow one element at a time; configs are small */
	if (n >= SIZE_MAX / size - 1)
		return NULL;
	return realloc(arr, (n + 1) * size);
}


bool cfg_parse_in4(const char *s, struct in_addr *a)
{
	return inet_pton(AF_INET, s, a) == 1;
}

bool cfg_parse_in6_bits(const char *s, struct in6_addr *a, unsigned int *bits, bool need_bits)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	long b = 128;

	if (n >= INET6_ADDRSTRLEN)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET6, buf, a) != 1)
		return false;
	if (slash) {
		if (!cfg_parse_long(slash + 1, 0, 128, &b))
			return false;
	} else if (need_bits) {
		return false;
	}
	if (bits)
		*bits = (unsigned int)b;
	return true;
}

/* Contiguous netmask? */
bool cfg_mask_ok(struct in_addr m)
{
	uint32_t v = ntohl(m.s_addr);

	return (v & (~v >> 1)) == 0;
}

/* ---- names ---------------------------------------------------------------- */

static const struct { const char *name; enum cfg_proto p; enum mvpn_af af; } proto_names[] = {
	{ "udp", CFG_PROTO_UDP, MVPN_AF_ANY },
	{ "tcp-server", CFG_PROTO_TCP_SERVER, MVPN_AF_ANY },
	{ "tcp-client", CFG_PROTO_TCP_CLIENT, MVPN_AF_ANY },
	{ "tcp", CFG_PROTO_TCP, MVPN_AF_ANY },
	{ "udp4", CFG_PROTO_UDP, MVPN_AF_INET },
	{ "tcp4-server", CFG_PROTO_TCP_SERVER, MVPN_AF_INET },
	{ "tcp4-client", CFG_PROTO_TCP_CLIENT, MVPN_AF_INET },
	{ "tcp4", CFG_PROTO_TCP, MVPN_AF_INET },
	{ "udp6", CFG_PROTO_UDP, MVPN_AF_INET6 },
	{ "tcp6-server", CFG_PROTO_TCP_SERVER, MVPN_AF_INET6 },
	{ "tcp6-client", CFG_PROTO_TCP_CLIENT, MVPN_AF_INET6 },
	{ "tcp6", CFG_PROTO_TCP, MVPN_AF_INET6 },
	/* OpenVPN's display names, used by some generators (MirageVPN takes them too) */
	{ "UDP", CFG_PROTO_UDP, MVPN_AF_ANY },
	{ "TCP", CFG_PROTO_TCP, MVPN_AF_ANY },
	{ "UDPv4", CFG_PROTO_UDP, MVPN_AF_INET },
	{ "UDPv6", CFG_PROTO_UDP, MVPN_AF_INET6 },
	{ "TCPv4", CFG_PROTO_TCP, MVPN_AF_INET },
	{ "TCPv6", CFG_PROTO_TCP, MVPN_AF_INET6 },
	{ "TCPv4_CLIENT", CFG_PROTO_TCP_CLIENT, MVPN_AF_INET },
	{ "TCPv6_CLIENT", CFG_PROTO_TCP_CLIENT, MVPN_AF_INET6 },
	{ "TCPv4_SERVER", CFG_PROTO_TCP_SERVER, MVPN_AF_INET },
	{ "TCPv6_SERVER", CFG_PROTO_TCP_SERVER, MVPN_AF_INET6 },
};

static int parse_proto(struct dctx *d, const char *s, enum cfg_proto *p, enum mvpn_af *af)
{
	for (size_t i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++) {
		if (strcmp(proto_names[i].name, s) == 0) {
			*p = proto_names[i].p;
			*af = proto_names[i].af;
			return 0;
		}
	}
	return cfg_err(d, "unknown protocol '%s' (udp, udp4, udp6, tcp, tcp4, tcp6, "
		       "tcp-client, tcp4-client, tcp6-client, tcp-server, ...)", s);
}
/* ---- generic handlers -------------------------------------------------------- */

int cfg_h_flag(struct dctx *d, const struct directive *de)
{
	*FIELD(d, de, bool) = true;
	return 0;
}

int cfg_h_int(struct dctx *d, const struct directive *de)
{
	return cfg_arg_int(d, 1, de->lo, de->hi, FIELD(d, de, int));
}

int cfg_h_str(struct dctx *d, const struct directive *de)
{
	return cfg_set_str(d, FIELD(d, de, char *), d->argv[1]);
}

/* ---- mode ------------------------------------------------------------------ */

static int h_client(struct dctx *d, const struct directive *de)
{
	(void)de;
	d->cfg->client = true;
	return 0;
}

static int h_tls_client(struct dctx *d, const struct directive *de)
{
	(void)de;
	d->cfg->priv->tls_client_set = true;
	return 0;
}

static int h_tls_server(struct dctx *d, const struct directive *de)
{
	(void)de;
	d->cfg->priv->tls_server_set = true;
	return 0;
}

static int h_mode(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (strcmp(d->argv[1], "p2p") == 0)
		d->cfg->mode = MVPN_MODE_P2P;
	else if (strcmp(d->argv[1], "server") == 0)
		d->cfg->mode = MVPN_MODE_SERVER;
	else
		return cfg_err(d, "unknown mode '%s' (p2p or server)", d->argv[1]);
	d->cfg->priv->mode_server_set = d->cfg->mode == MVPN_MODE_SERVER;
	return 0;
}

static int h_server(struct dctx *d, const struct directive *de)
{
	struct mvpn_config *c = d->cfg;

	(void)de;
	if (!cfg_parse_in4(d->argv[1], &c->server_net))
		return cfg_err(d, "network '%s' is not an IPv4 address", d->argv[1]);
	if (!cfg_parse_in4(d->argv[2], &c->server_mask) || !cfg_mask_ok(c->server_mask) ||
	    !c->server_mask.s_addr)
		return cfg_err(d, "netmask '%s' is not a valid netmask", d->argv[2]);
	if (c->server_net.s_addr & ~c->server_mask.s_addr)
		return cfg_err(d, "network %s has host bits set for netmask %s", d->argv[1], d->argv[2]);
	if (ntohl(c->server_mask.s_addr) > 0xfffffff8u)
		return cfg_err(d, "netmask %s leaves no room for clients (at most /29)", d->argv[2]);
	if (ntohl(c->server_mask.s_addr) < 0xffff0000u)
		return cfg_err(d, "netmask %s is too large (at least /16, as in OpenVPN)", d->argv[2]);
	c->server_nopool = false;
	if (d->argc == 4) {
		if (strcmp(d->argv[3], "nopool") != 0)
			return cfg_err(d, "unknown flag '%s' (only 'nopool')", d->argv[3]);
		c->server_nopool = true;
	}
	c->has_server = true;
	return 0;
}

static int h_server_ipv6(struct dctx *d, const struct directive *de)
{
	struct mvpn_config *c = d->cfg;

	(void)de;
	if (!cfg_parse_in6_bits(d->argv[1], &c->server6_net, &c->server6_bits, true))
		return cfg_err(d, "'%s' is not an IPv6 network/bits", d->argv[1]);
	if (c->server6_bits < 64 || c->server6_bits > 124)
		return cfg_err(d, "/%u: the prefix length must be between 64 and 124", c->server6_bits);
	c->has_server6 = true;
	return 0;
}

static int h_key_method(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (strcmp(d->argv[1], "2") != 0)
		return cfg_err(d, "only key-method 2 exists (1 was removed in OpenVPN 2.5)");
	cfg_warn(d, "ignored: key-method 2 is the only method (OpenVPN 2.6 removed the option)");
	return 0;
}

/* ---- device ---------------------------------------------------------------- */

static int h_dev(struct dctx *d, const struct directive *de)
{
	(void)de;
	return cfg_set_str(d, &d->cfg->dev, d->argv[1]);
}

static int h_dev_type(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (strcmp(d->argv[1], "tun") == 0)
		d->cfg->dev_type = MVPN_DEV_TUN;
	else if (strcmp(d->argv[1], "tap") == 0)
		d->cfg->dev_type = MVPN_DEV_TAP;
	else if (strcmp(d->argv[1], "null") == 0)
		d->cfg->dev_type = MVPN_DEV_NULL;
	else
		return cfg_err(d, "unknown device type '%s' (tun, tap or null)", d->argv[1]);
	d->cfg->priv->dev_type_set = true;
	return 0;
}

static int h_topology(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (strcmp(d->argv[1], "net30") == 0)
		d->cfg->topology = MVPN_TOPOLOGY_NET30;
	else if (strcmp(d->argv[1], "p2p") == 0)
		d->cfg->topology = MVPN_TOPOLOGY_P2P;
	else if (strcmp(d->argv[1], "subnet") == 0)
		d->cfg->topology = MVPN_TOPOLOGY_SUBNET;
	else
		return cfg_err(d, "unknown topology '%s' (net30, p2p or subnet)", d->argv[1]);
	d->cfg->topology_set = true;
	return 0;
}

static int h_ifconfig(struct dctx *d, const struct directive *de)
{
	struct mvpn_config *c = d->cfg;

	(void)de;
	if (!cfg_parse_in4(d->argv[1], &c->ifconfig_local))
		return cfg_err(d, "local address '%s' is not an IPv4 address", d->argv[1]);
	if (!cfg_parse_in4(d->argv[2], &c->ifconfig_remote_netmask))
		return cfg_err(d, "'%s' is not an IPv4 address or netmask", d->argv[2]);
	c->has_ifconfig = true;
	return 0;
}

static int h_ifconfig_ipv6(struct dctx *d, const struct directive *de)
{
	struct mvpn_config *c = d->cfg;

	(void)de;
	if (!cfg_parse_in6_bits(d->argv[1], &c->ifconfig6_local, &c->ifconfig6_bits, false))
		return cfg_err(d, "'%s' is not an IPv6 address[/bits]", d->argv[1]);
	if (!strchr(d->argv[1], '/'))
		c->ifconfig6_bits = 64;
	if (c->ifconfig6_bits < 64 || c->ifconfig6_bits > 124)
		return cfg_err(d, "/%u: the prefix length must be between 64 and 124", c->ifconfig6_bits);
	if (!cfg_parse_in6_bits(d->argv[2], &c->ifconfig6_remote, NULL, false) ||
	    strchr(d->argv[2], '/'))
		return cfg_err(d, "remote '%s' is not an IPv6 address", d->argv[2]);
	c->has_ifconfig6 = true;
	return 0;
}

/* ---- transport and connection ------------------------------------------------ */

static int h_remote(struct dctx *d, const struct directive *de)
{
	struct cfg_pending_remote r = { .port = -1, .proto = -1, .line = d->line };

	(void)de;
	if (!d->argv[1][0])
		return cfg_err(d, "empty host name");
	if (d->argc > 2) {
		uint16_t port;

		if (arg_port(d, 2, &port))
			return -1;
		r.port = port;
	}
	if (d->argc > 3) {
		enum cfg_proto p;

		if (parse_proto(d, d->argv[3], &p, &r.af))
			return -1;
		r.proto = (int)p;
	}
	r.host = strdup(d->argv[1]);
	if (!r.host)
		return cfg_err(d, "out of memory");
	return cfg_add_remote(d, &r);
}

static int h_proto(struct dctx *d, const struct directive *de)
{
	(void)de;
	return parse_proto(d, d->argv[1], &d->ce->proto, &d->ce->af);
}

static int h_proto_force(struct dctx *d, const struct directive *de)
{
	enum cfg_proto p;
	enum mvpn_af af;

	(void)de;
	if (parse_proto(d, d->argv[1], &p, &af))
		return -1;
	d->cfg->has_proto_force = true;
	/* tcp means either tcp role here */
	d->cfg->proto_force = p == CFG_PROTO_UDP ? MVPN_TRANSPORT_UDP :
			      p == CFG_PROTO_TCP_SERVER ? MVPN_TRANSPORT_TCP_SERVER :
			      MVPN_TRANSPORT_TCP_CLIENT;
	d->cfg->priv->proto_force_any_tcp = p == CFG_PROTO_TCP;
	return 0;
}

static void port_override_warning(struct dctx *d, const char *other, unsigned int other_line,
				  uint16_t old, uint16_t new)
{
	if (other_line && old != new)
		cfg_warn(d, "overrides %s %u given on line %u (the last one wins, as in OpenVPN)",
			 other, old, other_line);
}

static int h_port(struct dctx *d, const struct directive *de)
{
	uint16_t port;

	(void)de;
	if (arg_port(d, 1, &port))
		return -1;
	port_override_warning(d, "lport", d->ce->lport_line, d->ce->lport, port);
	port_override_warning(d, "rport", d->ce->rport_line, d->ce->rport, port);
	d->ce->lport = d->ce->rport = port;
	d->ce->port_line = d->line ? d->line : 1;
	d->ce->lport_line = d->ce->rport_line = 0;
	return 0;
}

static int h_lport(struct dctx *d, const struct directive *de)
{
	long v = 0;
	uint16_t port;

	(void)de;
	/* 0 is allowed here: an ephemeral local port */
	if (!cfg_parse_long(d->argv[1], 0, 65535, &v))
		return cfg_err(d, "port '%s' is not a number between 0 and 65535", d->argv[1]);
	port = (uint16_t)v;
	port_override_warning(d, "port", d->ce->port_line, d->ce->lport, port);
	d->ce->lport = port;
	d->ce->lport_set = true;
	d->ce->lport_line = d->line ? d->line : 1;
	return 0;
}

static int h_rport(struct dctx *d, const struct directive *de)
{
	uint16_t port;

	(void)de;
	if (arg_port(d, 1, &port))
		return -1;
	port_override_warning(d, "port", d->ce->port_line, d->ce->rport, port);
	d->ce->rport = port;
	d->ce->rport_set = true;
	d->ce->rport_line = d->line ? d->line : 1;
	return 0;
}

static int h_local(struct dctx *d, const struct directive *de)
{
	(void)de;
	return cfg_set_str(d, &d->ce->local, d->argv[1]);
}

static int h_bind(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (d->argc > 1 && strcmp(d->argv[1], "ipv6only") != 0)
		return cfg_err(d, "unknown flag '%s' (only 'ipv6only')", d->argv[1]);
	d->ce->bind_set = true;
	return 0;
}

static int h_nobind(struct dctx *d, const struct directive *de)
{
	(void)de;
	d->ce->nobind = true;
	return 0;
}

static int h_connect_retry(struct dctx *d, const struct directive *de)
{
	long v = 0;

	(void)de;
	if (cfg_arg_long(d, 1, 0, INT_MAX, &v))
		return -1;
	if (v > 0xffff) {
		cfg_warn(d, "wait of %ld s truncated to 65535 s (as OpenVPN does)", v);
		v = 0xffff;
	}
	d->ce->connect_retry = (unsigned int)v;
	if (d->argc > 2) {
		long m;

		if (cfg_arg_long(d, 2, 0, INT_MAX, &m))
			return -1;
		d->ce->connect_retry_wait_max = (unsigned int)(m > v ? m : v);
	}
	return 0;
}

static int h_connect_retry_max(struct dctx *d, const struct directive *de)
{
	long v = 0;

	(void)de;
	if (cfg_arg_long(d, 1, 0, INT_MAX, &v))
		return -1;
	d->cfg->connect_retry_max = (unsigned int)v;
	return 0;
}

static int h_connect_timeout(struct dctx *d, const struct directive *de)
{
	long v = 0;

	(void)de;
	if (cfg_arg_long(d, 1, 0, INT_MAX, &v))
		return -1;
	d->ce->connect_timeout = (unsigned int)v;
	return 0;
}

static int h_resolv_retry(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (strcmp(d->argv[1], "infinite") == 0) {
		d->cfg->resolv_retry = -1;
		return 0;
	}
	return cfg_arg_int(d, 1, 0, INT_MAX, &d->cfg->resolv_retry);
}

static int h_explicit_exit_notify(struct dctx *d, const struct directive *de)
{
	(void)de;
	d->ce->explicit_exit_notify = 1;
	if (d->argc > 1)
		return cfg_arg_int(d, 1, 0, 3600, &d->ce->explicit_exit_notify);
	return 0;
}

/* ---- MTU ------------------------------------------------------------------- */

static int h_tun_mtu(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (cfg_arg_int(d, 1, 68, 65535, &d->ce->tun_mtu))
		return -1;
	if (d->argc > 2) {
		int occ;	/* the MTU to report to the peer in OCC; we report tun_mtu */

		if (cfg_arg_int(d, 2, 68, 65535, &occ))
			return -1;
	}
	d->ce->tun_mtu_set = true;
	return 0;
}

static int h_link_mtu(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (cfg_arg_int(d, 1, 100, 65535, &d->ce->link_mtu))
		return -1;
	d->ce->link_mtu_set = true;
	return 0;
}

static int h_tun_mtu_extra(struct dctx *d, const struct directive *de)
{
	(void)de;
	return cfg_arg_int(d, 1, 0, 65535, &d->cfg->tun_mtu_extra);
}

static int h_mssfix(struct dctx *d, const struct directive *de)
{
	struct cfg_ce *ce = d->ce;

	(void)de;
	ce->mssfix_mtu = ce->mssfix_fixed = false;
	if (d->argc == 1) {
		ce->mssfix_default = true;
		ce->mssfix_mtu = true;
		return 0;
	}
	if (cfg_arg_int(d, 1, 0, 65535, &ce->mssfix))
		return -1;
	ce->mssfix_default = false;
	if (d->argc > 2) {
		if (strcmp(d->argv[2], "mtu") == 0)
			ce->mssfix_mtu = true;
		else if (strcmp(d->argv[2], "fixed") == 0)
			ce->mssfix_fixed = true;
		else
			return cfg_err(d, "unknown flag '%s' (mtu or fixed)", d->argv[2]);
	}
	return 0;
}

static int h_fragment(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (cfg_arg_int(d, 1, 0, 65535, &d->ce->fragment))
		return -1;
	d->ce->fragment_mtu = false;
	if (d->argc > 2) {
		if (strcmp(d->argv[2], "mtu") != 0)
			return cfg_err(d, "unknown flag '%s' (only 'mtu')", d->argv[2]);
		d->ce->fragment_mtu = true;
	}
	if (d->ce->fragment)
		cfg_warn(d, "fragmentation is not supported by the kernel data plane; "
			 "the tunnel will use the userspace data plane");
	return 0;
}

static int h_mtu_disc(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (strcmp(d->argv[1], "no") == 0)
		d->cfg->mtu_disc = 0;
	else if (strcmp(d->argv[1], "maybe") == 0)
		d->cfg->mtu_disc = 1;
	else if (strcmp(d->argv[1], "yes") == 0)
		d->cfg->mtu_disc = 2;
	else
		return cfg_err(d, "'%s' must be no, maybe or yes", d->argv[1]);
	return 0;
}

/* ---- timers ------------------------------------------------------------------ */

static int h_ping_like(struct dctx *d, const struct directive *de)
{
	bool *set = strcmp(de->name, "ping") == 0 ? &d->cfg->priv->ping_set :
		    strcmp(de->name, "ping-restart") == 0 ? &d->cfg->priv->ping_restart_set :
		    &d->cfg->priv->ping_exit_set;

	if (cfg_arg_int(d, 1, 0, INT_MAX, FIELD(d, de, int)))
		return -1;
	/* ping-restart and ping-exit share one timer in OpenVPN: the last wins */
	if (strcmp(de->name, "ping-restart") == 0)
		d->cfg->ping_exit = 0;
	else if (strcmp(de->name, "ping-exit") == 0)
		d->cfg->ping_restart = 0;
	if (d->where != CTX_PUSH)
		*set = true;
	return 0;
}

static int h_keepalive(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (cfg_arg_int(d, 1, 1, INT_MAX / 2, &d->cfg->keepalive_interval) ||
	    cfg_arg_int(d, 2, 1, INT_MAX / 2, &d->cfg->keepalive_timeout))
		return -1;
	if (d->cfg->keepalive_interval * 2 > d->cfg->keepalive_timeout)
		return cfg_err(d, "the timeout (%d) must be at least twice the interval (%d); "
			       "10 60 is the usual setting", d->cfg->keepalive_timeout,
			       d->cfg->keepalive_interval);
	d->cfg->priv->keepalive_set = true;
	return 0;
}

static int h_inactive(struct dctx *d, const struct directive *de)
{
	long b = 0;

	(void)de;
	if (cfg_arg_int(d, 1, 0, INT_MAX, &d->cfg->inactive))
		return -1;
	if (d->argc > 2 && cfg_arg_long(d, 2, 0, LONG_MAX, &b))
		return -1;
	d->cfg->inactive_bytes = b;
	return 0;
}

/* ---- server ------------------------------------------------------------------ */

static int h_push(struct dctx *d, const struct directive *de)
{
	char **slot;

	(void)de;
	if (strchr(d->argv[1], ','))
		return cfg_err(d, "'%s' contains a comma, which separates options in PUSH_REPLY",
			       d->argv[1]);
	slot = APPEND(d, d->cfg->push, d->cfg->n_push);
	if (!slot || !(*slot = strdup(d->argv[1])))
		return cfg_err(d, "out of memory");
	return 0;
}

static int h_push_reset(struct dctx *d, const struct directive *de)
{
	(void)de;
	for (size_t i = 0; i < d->cfg->n_push; i++)
		free(d->cfg->push[i]);
	d->cfg->n_push = 0;
	return 0;
}

/* ---- misc -------------------------------------------------------------------- */

static int h_verb(struct dctx *d, const struct directive *de)
{
	(void)de;
	return cfg_arg_int(d, 1, 0, 11, &d->cfg->verb);
}

static int h_cd(struct dctx *d, const struct directive *de)
{
	(void)de;
	return cfg_change_dir(d, d->argv[1]);
}

static int h_config(struct dctx *d, const struct directive *de)
{
	(void)de;
	return cfg_include(d, d->argv[1]);
}

static int h_ignore_unknown(struct dctx *d, const struct directive *de)
{
	struct mvpn_config_priv *pv = d->cfg->priv;

	(void)de;
	for (int i = 1; i < d->argc; i++) {
		const char *n = d->argv[i];
		char **slot;

		if (n[0] == '-' && n[1] == '-')
			n += 2;
		slot = APPEND(d, pv->ignore_unknown, pv->ignore_unknown_n);
		if (!slot || !(*slot = strdup(n)))
			return cfg_err(d, "out of memory");
	}
	return 0;
}

static int h_setenv(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (d->argc == 2 && strcmp(d->argv[1], "opt") == 0)
		return cfg_err(d, "'setenv opt' needs a directive after it");
	cfg_warn(d, "ignored: only sets environment variables for scripts, which mvpn "
		 "does not run");
	return 0;
}

static int h_connection(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (!d->is_inline)
		return cfg_err(d, "expected an inline <connection> ... </connection> block");
	return cfg_connection_block(d);
}

/* ---- the table -------------------------------------------------------------- */


/*
 * DF_CONN: allowed inside <connection>; DF_PUSH: accepted in PUSH_REPLY;
 * DF_PUSH_ONLY: only from a push; DF_INLINE: may be an inline block;
 * DF_ROUTE: a route/DNS option that route-nopull filters out of a push.
 */
const struct directive cfg_directives_net[] = {
	/* mode */
	{ "client", "", 0, 0, 0, h_client, 0, 0, 0 },
	{ "pull", "", 0, 0, 0, cfg_h_flag, OFF(pull), 0, 0 },
	{ "tls-client", "", 0, 0, 0, h_tls_client, 0, 0, 0 },
	{ "tls-server", "", 0, 0, 0, h_tls_server, 0, 0, 0 },
	{ "mode", "p2p|server", 1, 1, 0, h_mode, 0, 0, 0 },
	{ "server", "NETWORK NETMASK ['nopool']", 2, 3, 0, h_server, 0, 0, 0 },
	{ "server-ipv6", "NETWORK/BITS", 1, 1, 0, h_server_ipv6, 0, 0, 0 },
	{ "key-method", "2", 1, 1, 0, h_key_method, 0, 0, 0 },
	{ "client-to-client", "", 0, 0, 0, cfg_h_flag, OFF(client_to_client), 0, 0 },
	{ "duplicate-cn", "", 0, 0, 0, cfg_h_flag, OFF(duplicate_cn), 0, 0 },
	{ "max-clients", "N", 1, 1, 0, cfg_h_int, OFF(max_clients), 1, 0xFFFFFF },
	{ "push", "\"OPTION\"", 1, 1, 0, h_push, 0, 0, 0 },
	{ "push-reset", "", 0, 0, 0, h_push_reset, 0, 0, 0 },

	/* device */
	{ "dev", "tun|tunN|tap|null", 1, 1, 0, h_dev, 0, 0, 0 },
	{ "dev-type", "tun|tap", 1, 1, 0, h_dev_type, 0, 0, 0 },
	{ "dev-node", "PATH", 1, 1, 0, cfg_h_str, OFF(dev_node), 0, 0 },
	{ "topology", "net30|p2p|subnet", 1, 1, DF_PUSH, h_topology, 0, 0, 0 },
	{ "ifconfig", "LOCAL REMOTE|NETMASK", 2, 2, DF_PUSH, h_ifconfig, 0, 0, 0 },
	{ "ifconfig-ipv6", "ADDRESS/BITS REMOTE", 2, 2, DF_PUSH, h_ifconfig_ipv6, 0, 0, 0 },
	{ "ifconfig-noexec", "", 0, 0, DF_PUSH, cfg_h_flag, OFF(ifconfig_noexec), 0, 0 },
	{ "txqueuelen", "N", 1, 1, 0, cfg_h_int, OFF(txqueuelen), 0, 0xFFFFFF },

	/* transport and connection list */
	{ "remote", "HOST [PORT [PROTO]]", 1, 3, DF_CONN | DF_GLOBAL, h_remote, 0, 0, 0 },
	{ "remote-random", "", 0, 0, 0, cfg_h_flag, OFF(remote_random), 0, 0 },
	{ "remote-random-hostname", "", 0, 0, 0, cfg_h_flag, OFF(remote_random_hostname), 0, 0 },
	{ "connection", "<connection> block", 1, 1, DF_INLINE, h_connection, 0, 0, 0 },
	{ "proto", "udp|tcp|udp4|tcp4-client|...", 1, 1, DF_CONN, h_proto, 0, 0, 0 },
	{ "proto-force", "udp|tcp", 1, 1, 0, h_proto_force, 0, 0, 0 },
	{ "port", "PORT", 1, 1, DF_CONN, h_port, 0, 0, 0 },
	{ "lport", "PORT", 1, 1, DF_CONN, h_lport, 0, 0, 0 },
	{ "rport", "PORT", 1, 1, DF_CONN, h_rport, 0, 0, 0 },
	{ "local", "HOST", 1, 1, DF_CONN, h_local, 0, 0, 0 },
	{ "bind", "['ipv6only']", 0, 1, DF_CONN, h_bind, 0, 0, 0 },
	{ "nobind", "", 0, 0, DF_CONN, h_nobind, 0, 0, 0 },
	{ "float", "", 0, 0, DF_CONN | DF_GLOBAL, cfg_h_flag, OFF(float_), 0, 0 },
	{ "connect-retry", "SECONDS [MAX]", 1, 2, DF_CONN, h_connect_retry, 0, 0, 0 },
	{ "connect-retry-max", "N", 1, 1, DF_CONN | DF_GLOBAL, h_connect_retry_max, 0, 0, 0 },
	{ "connect-timeout", "SECONDS", 1, 1, DF_CONN, h_connect_timeout, 0, 0, 0 },
	{ "server-poll-timeout", "SECONDS", 1, 1, DF_CONN, h_connect_timeout, 0, 0, 0 },
	{ "resolv-retry", "SECONDS|infinite", 1, 1, 0, h_resolv_retry, 0, 0, 0 },
	{ "explicit-exit-notify", "[N]", 0, 1, DF_CONN | DF_PUSH, h_explicit_exit_notify, 0, 0, 0 },
	{ "persist-key", "", 0, 0, DF_PUSH, cfg_h_flag, OFF(persist_key), 0, 0 },
	{ "persist-tun", "", 0, 0, DF_PUSH, cfg_h_flag, OFF(persist_tun), 0, 0 },
	{ "persist-local-ip", "", 0, 0, 0, cfg_h_flag, OFF(persist_local_ip), 0, 0 },
	{ "persist-remote-ip", "", 0, 0, 0, cfg_h_flag, OFF(persist_remote_ip), 0, 0 },
	{ "mark", "VALUE", 1, 1, 0, cfg_h_int, OFF(mark), 0, INT_MAX },
	{ "sndbuf", "BYTES", 1, 1, DF_PUSH, cfg_h_int, OFF(sndbuf), 0, INT_MAX },
	{ "rcvbuf", "BYTES", 1, 1, DF_PUSH, cfg_h_int, OFF(rcvbuf), 0, INT_MAX },
	{ "passtos", "", 0, 0, 0, cfg_h_flag, OFF(passtos), 0, 0 },
	{ "tcp-nodelay", "", 0, 0, 0, cfg_h_flag, OFF(tcp_nodelay), 0, 0 },

	/* MTU */
	{ "tun-mtu", "MTU [OCC-MTU]", 1, 2, DF_CONN | DF_PUSH, h_tun_mtu, 0, 0, 0 },
	{ "link-mtu", "MTU", 1, 1, DF_CONN, h_link_mtu, 0, 0, 0 },
	{ "tun-mtu-extra", "N", 1, 1, DF_CONN | DF_GLOBAL, h_tun_mtu_extra, 0, 0, 0 },
	{ "mssfix", "[MAX ['mtu'|'fixed']]", 0, 2, DF_CONN | DF_PUSH, h_mssfix, 0, 0, 0 },
	{ "fragment", "MAX ['mtu']", 1, 2, DF_CONN, h_fragment, 0, 0, 0 },
	{ "mtu-disc", "no|maybe|yes", 1, 1, DF_CONN | DF_GLOBAL, h_mtu_disc, 0, 0, 0 },

	/* timers */
	{ "ping", "SECONDS", 1, 1, DF_PUSH, h_ping_like, OFF(ping), 0, 0 },
	{ "ping-restart", "SECONDS", 1, 1, DF_PUSH, h_ping_like, OFF(ping_restart), 0, 0 },
	{ "ping-exit", "SECONDS", 1, 1, DF_PUSH, h_ping_like, OFF(ping_exit), 0, 0 },
	{ "ping-timer-rem", "", 0, 0, DF_PUSH, cfg_h_flag, OFF(ping_timer_rem), 0, 0 },
	{ "keepalive", "INTERVAL TIMEOUT", 2, 2, 0, h_keepalive, 0, 0, 0 },
	{ "inactive", "SECONDS [BYTES]", 1, 2, DF_PUSH, h_inactive, 0, 0, 0 },
	{ "session-timeout", "SECONDS", 1, 1, DF_PUSH, cfg_h_int, OFF(session_timeout), 0, INT_MAX },

	/* misc */
	{ "verb", "LEVEL", 1, 1, DF_PUSH, h_verb, 0, 0, 0 },
	{ "mute", "N", 1, 1, DF_PUSH, cfg_h_int, OFF(mute), 0, INT_MAX },
	{ "user", "USER", 1, 1, 0, cfg_h_str, OFF(user), 0, 0 },
	{ "group", "GROUP", 1, 1, 0, cfg_h_str, OFF(group), 0, 0 },
	{ "cd", "DIR", 1, 1, 0, h_cd, 0, 0, 0 },
	{ "config", "FILE", 1, 1, 0, h_config, 0, 0, 0 },
	{ "ignore-unknown-option", "NAME...", 1, N, 0, h_ignore_unknown, 0, 0, 0 },
	{ "setenv", "NAME VALUE | opt DIRECTIVE...", 1, N, DF_PUSH, h_setenv, 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0, 0, 0 },
};
