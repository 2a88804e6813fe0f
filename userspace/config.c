// SPDX-License-Identifier: BSD-2-Clause
/*
 * config.c: OpenVPN 2.6 directives -> struct mvpn_config.
 *
 * Three tables drive everything here and also generate the documentation:
 *   directives[]   what we implement: argument counts, where each may appear
 *                  (file, <connection>, push), and its handler;
 *   ignored[]      directives accepted with a warning, each with the reason
 *                  it is harmless to ignore (config_print_ignored());
 *   unsupported[]  directives we recognise and refuse, with the reason, so
 *                  the error says more than "unknown".
 * Anything else is "FILE:LINE: unknown directive 'x'".
 *
 * The line-feeding driver (inline blocks, includes, [inline] references)
 * lives in config_parser.c; validation and defaults at the end in
 * config_finish.c.  Nothing here does I/O: files are read through the
 * injected callback (cfg_read_ref()).
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

static int arg_long(struct dctx *d, int i, long lo, long hi, long *out)
{
	if (!cfg_parse_long(d->argv[i], lo, hi, out))
		return cfg_err(d, "'%s' is not a number between %ld and %ld", d->argv[i], lo, hi);
	return 0;
}

static int arg_int(struct dctx *d, int i, long lo, long hi, int *out)
{
	long v = 0;

	if (arg_long(d, i, lo, hi, &v))
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

static int set_str(struct dctx *d, char **field, const char *v)
{
	char *s = strdup(v);

	if (!s)
		return cfg_err(d, "out of memory");
	free(*field);
	*field = s;
	return 0;
}

static void *grow(void *arr, size_t n, size_t size)
{
	/* arrays grow one element at a time; configs are small */
	if (n >= SIZE_MAX / size - 1)
		return NULL;
	return realloc(arr, (n + 1) * size);
}

#define APPEND(d, arr, n) ({							\
	__typeof__(arr) _a = grow((arr), (n), sizeof(*(arr)));			\
	if (_a) {								\
		(arr) = _a;							\
		memset(&(arr)[(n)], 0, sizeof(*(arr)));				\
	}									\
	_a ? &(arr)[(n)++] : NULL;						\
})

static bool parse_in4(const char *s, struct in_addr *a)
{
	return inet_pton(AF_INET, s, a) == 1;
}

static bool parse_in6_bits(const char *s, struct in6_addr *a, unsigned int *bits, bool need_bits)
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
static bool mask_ok(struct in_addr m)
{
	uint32_t v = ntohl(m.s_addr);

	return (v & (~v >> 1)) == 0;
}

static bool is_default(const char *s)
{
	return !*s || strcmp(s, "default") == 0;
}

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

#define FIELD(d, de, type) ((type *)((char *)(d)->cfg + (de)->off))

static int h_flag(struct dctx *d, const struct directive *de)
{
	*FIELD(d, de, bool) = true;
	return 0;
}

static int h_int(struct dctx *d, const struct directive *de)
{
	return arg_int(d, 1, de->lo, de->hi, FIELD(d, de, int));
}

static int h_str(struct dctx *d, const struct directive *de)
{
	return set_str(d, FIELD(d, de, char *), d->argv[1]);
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
	if (!parse_in4(d->argv[1], &c->server_net))
		return cfg_err(d, "network '%s' is not an IPv4 address", d->argv[1]);
	if (!parse_in4(d->argv[2], &c->server_mask) || !mask_ok(c->server_mask) ||
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
	if (!parse_in6_bits(d->argv[1], &c->server6_net, &c->server6_bits, true))
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
	return set_str(d, &d->cfg->dev, d->argv[1]);
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
	if (!parse_in4(d->argv[1], &c->ifconfig_local))
		return cfg_err(d, "local address '%s' is not an IPv4 address", d->argv[1]);
	if (!parse_in4(d->argv[2], &c->ifconfig_remote_netmask))
		return cfg_err(d, "'%s' is not an IPv4 address or netmask", d->argv[2]);
	c->has_ifconfig = true;
	return 0;
}

static int h_ifconfig_ipv6(struct dctx *d, const struct directive *de)
{
	struct mvpn_config *c = d->cfg;

	(void)de;
	if (!parse_in6_bits(d->argv[1], &c->ifconfig6_local, &c->ifconfig6_bits, false))
		return cfg_err(d, "'%s' is not an IPv6 address[/bits]", d->argv[1]);
	if (!strchr(d->argv[1], '/'))
		c->ifconfig6_bits = 64;
	if (c->ifconfig6_bits < 64 || c->ifconfig6_bits > 124)
		return cfg_err(d, "/%u: the prefix length must be between 64 and 124", c->ifconfig6_bits);
	if (!parse_in6_bits(d->argv[2], &c->ifconfig6_remote, NULL, false) ||
	    strchr(d->argv[2], '/'))
		return cfg_err(d, "remote '%s' is not an IPv6 address", d->argv[2]);
	c->has_ifconfig6 = true;
	return 0;
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
	else if (parse_in4(s, a))
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
		if (!cfg_parse_long(slash + 1, 0, 32, &bits) || !parse_in4(net, &r.net))
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
		if (!parse_in4(d->argv[2], &r.mask) || !mask_ok(r.mask))
			return cfg_err(d, "netmask '%s' is not a valid netmask", d->argv[2]);
	}
	r.gw_kind = MVPN_RADDR_DEFAULT;
	if (d->argc > 3 && !is_default(d->argv[3]) &&
	    route_addr(d, d->argv[3], &r.gw_kind, &r.gw, "gateway"))
		return -1;
	if (d->argc > 4 && !is_default(d->argv[4]) && arg_int(d, 4, 0, INT_MAX, &r.metric))
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
	if (!parse_in6_bits(d->argv[1], &r.net, &r.bits, false))
		return cfg_err(d, "'%s' is not an IPv6 network/bits", d->argv[1]);
	if (d->argc > 2 && !is_default(d->argv[2])) {
		if (!parse_in6_bits(d->argv[2], &r.gw, NULL, false) || strchr(d->argv[2], '/'))
			return cfg_err(d, "gateway '%s' is not an IPv6 address", d->argv[2]);
		r.has_gw = true;
	}
	if (d->argc > 3 && !is_default(d->argv[3]) && arg_int(d, 3, 0, INT_MAX, &r.metric))
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
	if (!parse_in4(d->argv[1], &c->route_gateway))
		return cfg_err(d, "'%s' is not an IPv4 address or 'dhcp'", d->argv[1]);
	c->route_gateway_dhcp = false;
	c->has_route_gateway = true;
	return 0;
}

static int h_route_ipv6_gateway(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (!parse_in6_bits(d->argv[1], &d->cfg->route_ipv6_gateway, NULL, false) ||
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
	if (d->argc > 1 && arg_int(d, 1, 0, 65535, &d->cfg->route_delay))
		return -1;
	if (d->argc > 2 && arg_int(d, 2, 0, 65535, &w))	/* Windows-only wait */
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
			if (parse_in4(d->argv[2], &o.addr.v4))
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
	if (!cfg_parse_long(d->argv[2], d->where == CTX_PUSH ? -128 : -128, 127, &prio))
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
		return set_str(d, &s->dnssec, d->argv[4]);
	} else if (strcmp(d->argv[3], "transport") == 0 && d->argc == 5) {
		if (strcmp(d->argv[4], "plain") && strcmp(d->argv[4], "DoH") &&
		    strcmp(d->argv[4], "DoT"))
			return cfg_err(d, "transport '%s' must be plain, DoH or DoT", d->argv[4]);
		return set_str(d, &s->transport, d->argv[4]);
	} else if (strcmp(d->argv[3], "sni") == 0 && d->argc == 5) {
		return set_str(d, &s->sni, d->argv[4]);
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
	uint16_t port;

	(void)de;
	if (!cfg_parse_long(d->argv[1], 0, 65535, &(long){ 0 }))
		return cfg_err(d, "port '%s' is not a number between 0 and 65535", d->argv[1]);
	port = (uint16_t)strtol(d->argv[1], NULL, 10);
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
	return set_str(d, &d->ce->local, d->argv[1]);
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
	if (arg_long(d, 1, 0, INT_MAX, &v))
		return -1;
	if (v > 0xffff) {
		cfg_warn(d, "wait of %ld s truncated to 65535 s (as OpenVPN does)", v);
		v = 0xffff;
	}
	d->ce->connect_retry = (unsigned int)v;
	if (d->argc > 2) {
		long m;

		if (arg_long(d, 2, 0, INT_MAX, &m))
			return -1;
		d->ce->connect_retry_wait_max = (unsigned int)(m > v ? m : v);
	}
	return 0;
}

static int h_connect_retry_max(struct dctx *d, const struct directive *de)
{
	long v = 0;

	(void)de;
	if (arg_long(d, 1, 0, INT_MAX, &v))
		return -1;
	d->cfg->connect_retry_max = (unsigned int)v;
	return 0;
}

static int h_connect_timeout(struct dctx *d, const struct directive *de)
{
	long v = 0;

	(void)de;
	if (arg_long(d, 1, 0, INT_MAX, &v))
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
	return arg_int(d, 1, 0, INT_MAX, &d->cfg->resolv_retry);
}

static int h_explicit_exit_notify(struct dctx *d, const struct directive *de)
{
	(void)de;
	d->ce->explicit_exit_notify = 1;
	if (d->argc > 1)
		return arg_int(d, 1, 0, 3600, &d->ce->explicit_exit_notify);
	return 0;
}

/* ---- MTU ------------------------------------------------------------------- */

static int h_tun_mtu(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (arg_int(d, 1, 68, 65535, &d->ce->tun_mtu))
		return -1;
	if (d->argc > 2) {
		int occ;	/* the MTU to report to the peer in OCC; we report tun_mtu */

		if (arg_int(d, 2, 68, 65535, &occ))
			return -1;
	}
	d->ce->tun_mtu_set = true;
	return 0;
}

static int h_link_mtu(struct dctx *d, const struct directive *de)
{
	(void)de;
	if (arg_int(d, 1, 100, 65535, &d->ce->link_mtu))
		return -1;
	d->ce->link_mtu_set = true;
	return 0;
}

static int h_tun_mtu_extra(struct dctx *d, const struct directive *de)
{
	(void)de;
	return arg_int(d, 1, 0, 65535, &d->cfg->tun_mtu_extra);
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
	if (arg_int(d, 1, 0, 65535, &ce->mssfix))
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
	if (arg_int(d, 1, 0, 65535, &d->ce->fragment))
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
		memset(b->data + n, 0, b->len - (size_t)n);
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
	return set_str(d, &d->cfg->tls_cert_profile, d->argv[1]);
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
	return set_str(d, &d->cfg->verify_x509_name, d->argv[1]);
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
		arr = grow(c->peer_fingerprints, c->n_peer_fingerprints, MVPN_SHA256_LEN);
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
	memset(key, 0, sizeof(key));
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
	if (arg_int(d, 1, 0, INT_MAX, &d->cfg->reneg_sec))
		return -1;
	d->cfg->reneg_sec_min = MVPN_UNSET;
	if (d->argc > 2 && arg_int(d, 2, 0, INT_MAX, &d->cfg->reneg_sec_min))
		return -1;
	return 0;
}

static int h_int64(struct dctx *d, const struct directive *de)
{
	long v = 0;

	if (arg_long(d, 1, 0, LONG_MAX, &v))
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
	if (arg_int(d, 1, 0, 65536, &d->cfg->replay_window))
		return -1;
	if (d->argc > 2 && arg_int(d, 2, 0, 600, &d->cfg->replay_window_time))
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

/* ---- timers ------------------------------------------------------------------ */

static int h_ping_like(struct dctx *d, const struct directive *de)
{
	bool *set = strcmp(de->name, "ping") == 0 ? &d->cfg->priv->ping_set :
		    strcmp(de->name, "ping-restart") == 0 ? &d->cfg->priv->ping_restart_set :
		    &d->cfg->priv->ping_exit_set;

	if (arg_int(d, 1, 0, INT_MAX, FIELD(d, de, int)))
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
	if (arg_int(d, 1, 1, INT_MAX / 2, &d->cfg->keepalive_interval) ||
	    arg_int(d, 2, 1, INT_MAX / 2, &d->cfg->keepalive_timeout))
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
	if (arg_int(d, 1, 0, INT_MAX, &d->cfg->inactive))
		return -1;
	if (d->argc > 2 && arg_long(d, 2, 0, LONG_MAX, &b))
		return -1;
	d->cfg->inactive_bytes = b;
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
	if (arg_long(d, 2, 0, 1, &echo))
		return -1;
	d->cfg->static_challenge_echo = echo;
	return set_str(d, &d->cfg->static_challenge, d->argv[1]);
}

/* ---- pushed-only ------------------------------------------------------------- */

static int h_peer_id(struct dctx *d, const struct directive *de)
{
	(void)de;
	return arg_int(d, 1, 0, 0xFFFFFF, &d->cfg->peer_id);
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
	return arg_int(d, 1, 0, 11, &d->cfg->verb);
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

/* ---- the tables -------------------------------------------------------------- */

#define OFF(f) offsetof(struct mvpn_config, f)
#define N INT_MAX

/*
 * DF_CONN: allowed inside <connection>; DF_PUSH: accepted in PUSH_REPLY;
 * DF_PUSH_ONLY: only from a push; DF_INLINE: may be an inline block;
 * DF_ROUTE: a route/DNS option that route-nopull filters out of a push.
 */
const struct directive cfg_directives[] = {
	/* mode */
	{ "client", "", 0, 0, 0, h_client, 0, 0, 0 },
	{ "pull", "", 0, 0, 0, h_flag, OFF(pull), 0, 0 },
	{ "tls-client", "", 0, 0, 0, h_tls_client, 0, 0, 0 },
	{ "tls-server", "", 0, 0, 0, h_tls_server, 0, 0, 0 },
	{ "mode", "p2p|server", 1, 1, 0, h_mode, 0, 0, 0 },
	{ "server", "NETWORK NETMASK ['nopool']", 2, 3, 0, h_server, 0, 0, 0 },
	{ "server-ipv6", "NETWORK/BITS", 1, 1, 0, h_server_ipv6, 0, 0, 0 },
	{ "key-method", "2", 1, 1, 0, h_key_method, 0, 0, 0 },
	{ "client-to-client", "", 0, 0, 0, h_flag, OFF(client_to_client), 0, 0 },
	{ "duplicate-cn", "", 0, 0, 0, h_flag, OFF(duplicate_cn), 0, 0 },
	{ "max-clients", "N", 1, 1, 0, h_int, OFF(max_clients), 1, 0xFFFFFF },
	{ "push", "\"OPTION\"", 1, 1, 0, h_push, 0, 0, 0 },
	{ "push-reset", "", 0, 0, 0, h_push_reset, 0, 0, 0 },
	{ "verify-client-cert", "[none|optional|require]", 0, 1, 0, h_verify_client_cert, 0, 0, 0 },
	/* device */
	{ "dev", "tun|tunN|tap|null", 1, 1, 0, h_dev, 0, 0, 0 },
	{ "dev-type", "tun|tap", 1, 1, 0, h_dev_type, 0, 0, 0 },
	{ "dev-node", "PATH", 1, 1, 0, h_str, OFF(dev_node), 0, 0 },
	{ "topology", "net30|p2p|subnet", 1, 1, DF_PUSH, h_topology, 0, 0, 0 },
	{ "ifconfig", "LOCAL REMOTE|NETMASK", 2, 2, DF_PUSH, h_ifconfig, 0, 0, 0 },
	{ "ifconfig-ipv6", "ADDRESS/BITS REMOTE", 2, 2, DF_PUSH, h_ifconfig_ipv6, 0, 0, 0 },
	{ "ifconfig-noexec", "", 0, 0, DF_PUSH, h_flag, OFF(ifconfig_noexec), 0, 0 },
	{ "txqueuelen", "N", 1, 1, 0, h_int, OFF(txqueuelen), 0, 0xFFFFFF },
	/* routes */
	{ "route", "NETWORK [NETMASK [GATEWAY [METRIC]]]", 1, 4, DF_PUSH | DF_ROUTE, h_route, 0, 0, 0 },
	{ "route-ipv6", "NETWORK/BITS [GATEWAY [METRIC]]", 1, 3, DF_PUSH | DF_ROUTE, h_route_ipv6, 0, 0, 0 },
	{ "route-gateway", "GATEWAY|dhcp", 1, 1, DF_PUSH, h_route_gateway, 0, 0, 0 },
	{ "route-ipv6-gateway", "GATEWAY", 1, 1, DF_PUSH, h_route_ipv6_gateway, 0, 0, 0 },
	{ "route-metric", "METRIC", 1, 1, DF_PUSH | DF_ROUTE, h_int, OFF(route_metric), 0, INT_MAX },
	{ "route-delay", "[N [W]]", 0, 2, DF_PUSH, h_route_delay, 0, 0, 0 },
	{ "route-nopull", "", 0, 0, 0, h_flag, OFF(route_nopull), 0, 0 },
	{ "route-noexec", "", 0, 0, 0, h_flag, OFF(route_noexec), 0, 0 },
	{ "redirect-gateway", "[FLAGS...]", 0, N, DF_PUSH | DF_ROUTE, h_redirect, OFF(redirect_gateway), 0, 0 },
	{ "redirect-private", "[FLAGS...]", 0, N, DF_PUSH | DF_ROUTE, h_redirect, OFF(redirect_private), 0, 0 },
	{ "block-ipv6", "", 0, 0, DF_PUSH | DF_ROUTE, h_flag, OFF(block_ipv6), 0, 0 },
	{ "dhcp-option", "TYPE [VALUE]", 1, 3, DF_PUSH | DF_ROUTE, h_dhcp_option, 0, 0, 0 },
	{ "dns", "search-domains DOMAIN... | server N SETTING VALUE...", 2, N, DF_PUSH | DF_ROUTE, h_dns, 0, 0, 0 },
	{ "pull-filter", "accept|ignore|reject TEXT", 2, 2, 0, h_pull_filter, 0, 0, 0 },
	{ "allow-pull-fqdn", "", 0, 0, 0, h_allow_pull_fqdn, 0, 0, 0 },
	/* transport and connection list */
	{ "remote", "HOST [PORT [PROTO]]", 1, 3, DF_CONN, h_remote, 0, 0, 0 },
	{ "remote-random", "", 0, 0, 0, h_flag, OFF(remote_random), 0, 0 },
	{ "remote-random-hostname", "", 0, 0, 0, h_flag, OFF(remote_random_hostname), 0, 0 },
	{ "connection", "<connection> block", 1, 1, DF_INLINE, h_connection, 0, 0, 0 },
	{ "proto", "udp|tcp|udp4|tcp4-client|...", 1, 1, DF_CONN, h_proto, 0, 0, 0 },
	{ "proto-force", "udp|tcp", 1, 1, 0, h_proto_force, 0, 0, 0 },
	{ "port", "PORT", 1, 1, DF_CONN, h_port, 0, 0, 0 },
	{ "lport", "PORT", 1, 1, DF_CONN, h_lport, 0, 0, 0 },
	{ "rport", "PORT", 1, 1, DF_CONN, h_rport, 0, 0, 0 },
	{ "local", "HOST", 1, 1, DF_CONN, h_local, 0, 0, 0 },
	{ "bind", "['ipv6only']", 0, 1, DF_CONN, h_bind, 0, 0, 0 },
	{ "nobind", "", 0, 0, DF_CONN, h_nobind, 0, 0, 0 },
	{ "float", "", 0, 0, DF_CONN, h_flag, OFF(float_), 0, 0 },
	{ "connect-retry", "SECONDS [MAX]", 1, 2, DF_CONN, h_connect_retry, 0, 0, 0 },
	{ "connect-retry-max", "N", 1, 1, DF_CONN, h_connect_retry_max, 0, 0, 0 },
	{ "connect-timeout", "SECONDS", 1, 1, DF_CONN, h_connect_timeout, 0, 0, 0 },
	{ "server-poll-timeout", "SECONDS", 1, 1, DF_CONN, h_connect_timeout, 0, 0, 0 },
	{ "resolv-retry", "SECONDS|infinite", 1, 1, 0, h_resolv_retry, 0, 0, 0 },
	{ "explicit-exit-notify", "[N]", 0, 1, DF_CONN | DF_PUSH, h_explicit_exit_notify, 0, 0, 0 },
	{ "persist-key", "", 0, 0, DF_PUSH, h_flag, OFF(persist_key), 0, 0 },
	{ "persist-tun", "", 0, 0, DF_PUSH, h_flag, OFF(persist_tun), 0, 0 },
	{ "persist-local-ip", "", 0, 0, 0, h_flag, OFF(persist_local_ip), 0, 0 },
	{ "persist-remote-ip", "", 0, 0, 0, h_flag, OFF(persist_remote_ip), 0, 0 },
	{ "mark", "VALUE", 1, 1, 0, h_int, OFF(mark), 0, INT_MAX },
	{ "sndbuf", "BYTES", 1, 1, DF_PUSH, h_int, OFF(sndbuf), 0, INT_MAX },
	{ "rcvbuf", "BYTES", 1, 1, DF_PUSH, h_int, OFF(rcvbuf), 0, INT_MAX },
	{ "passtos", "", 0, 0, 0, h_flag, OFF(passtos), 0, 0 },
	{ "tcp-nodelay", "", 0, 0, 0, h_flag, OFF(tcp_nodelay), 0, 0 },
	/* MTU */
	{ "tun-mtu", "MTU [OCC-MTU]", 1, 2, DF_CONN | DF_PUSH, h_tun_mtu, 0, 0, 0 },
	{ "link-mtu", "MTU", 1, 1, DF_CONN, h_link_mtu, 0, 0, 0 },
	{ "tun-mtu-extra", "N", 1, 1, DF_CONN, h_tun_mtu_extra, 0, 0, 0 },
	{ "mssfix", "[MAX ['mtu'|'fixed']]", 0, 2, DF_CONN | DF_PUSH, h_mssfix, 0, 0, 0 },
	{ "fragment", "MAX ['mtu']", 1, 2, DF_CONN, h_fragment, 0, 0, 0 },
	{ "mtu-disc", "no|maybe|yes", 1, 1, DF_CONN, h_mtu_disc, 0, 0, 0 },
	/* TLS and PKI */
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
	{ "tls-cipher", "LIST", 1, 1, 0, h_str, OFF(tls_cipher), 0, 0 },
	{ "tls-ciphersuites", "LIST", 1, 1, 0, h_str, OFF(tls_ciphersuites), 0, 0 },
	{ "tls-groups", "LIST", 1, 1, 0, h_str, OFF(tls_groups), 0, 0 },
	{ "ecdh-curve", "NAME", 1, 1, 0, h_str, OFF(ecdh_curve), 0, 0 },
	{ "tls-cert-profile", "legacy|preferred|suiteb|insecure", 1, 1, 0, h_tls_cert_profile, 0, 0, 0 },
	{ "remote-cert-tls", "server|client", 1, 1, 0, h_remote_cert_tls, 0, 0, 0 },
	{ "remote-cert-ku", "[HEX...]", 0, N, 0, h_remote_cert_ku, 0, 0, 0 },
	{ "remote-cert-eku", "OID|NAME", 1, 1, 0, h_str, OFF(remote_cert_eku), 0, 0 },
	{ "verify-x509-name", "NAME [subject|name|name-prefix]", 1, 2, 0, h_verify_x509_name, 0, 0, 0 },
	{ "peer-fingerprint", "AB:CD:...|<peer-fingerprint> block", 1, 1, DF_INLINE, h_peer_fingerprint, 0, 0, 0 },
	{ "tls-auth", "FILE [DIRECTION]", 1, 2, DF_INLINE, h_tls_auth, 0, 0, 0 },
	{ "tls-crypt", "FILE", 1, 2, DF_INLINE, h_tls_crypt, 0, 0, 0 },
	{ "tls-crypt-v2", "FILE [force-cookie|allow-noncookie]", 1, 2, DF_INLINE, h_tls_crypt_v2, 0, 0, 0 },
	{ "key-direction", "0|1|bidirectional", 1, 1, 0, h_key_direction, 0, 0, 0 },
	{ "secret", "FILE [DIRECTION]", 1, 2, DF_INLINE, h_secret, 0, 0, 0 },
	{ "tls-timeout", "SECONDS", 1, 1, 0, h_int, OFF(tls_timeout), 1, INT_MAX },
	{ "hand-window", "SECONDS", 1, 1, 0, h_int, OFF(hand_window), 1, INT_MAX },
	{ "tran-window", "SECONDS", 1, 1, 0, h_int, OFF(tran_window), 0, INT_MAX },
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
	{ "no-replay", "", 0, 0, 0, h_flag, OFF(no_replay), 0, 0 },
	{ "mute-replay-warnings", "", 0, 0, 0, h_flag, OFF(mute_replay_warnings), 0, 0 },
	{ "comp-lzo", "[yes|no|adaptive]", 0, 1, DF_PUSH, h_comp_lzo, 0, 0, 0 },
	{ "comp-noadapt", "", 0, 0, DF_PUSH, h_flag, OFF(comp_noadapt), 0, 0 },
	{ "compress", "[stub|stub-v2|lzo|lz4|lz4-v2|migrate]", 0, 1, DF_PUSH, h_compress, 0, 0, 0 },
	{ "allow-compression", "yes|no|asym", 1, 1, 0, h_allow_compression, 0, 0, 0 },
	/* timers */
	{ "ping", "SECONDS", 1, 1, DF_PUSH, h_ping_like, OFF(ping), 0, 0 },
	{ "ping-restart", "SECONDS", 1, 1, DF_PUSH, h_ping_like, OFF(ping_restart), 0, 0 },
	{ "ping-exit", "SECONDS", 1, 1, DF_PUSH, h_ping_like, OFF(ping_exit), 0, 0 },
	{ "ping-timer-rem", "", 0, 0, DF_PUSH, h_flag, OFF(ping_timer_rem), 0, 0 },
	{ "keepalive", "INTERVAL TIMEOUT", 2, 2, 0, h_keepalive, 0, 0, 0 },
	{ "inactive", "SECONDS [BYTES]", 1, 2, DF_PUSH, h_inactive, 0, 0, 0 },
	{ "session-timeout", "SECONDS", 1, 1, DF_PUSH, h_int, OFF(session_timeout), 0, INT_MAX },
	/* authentication */
	{ "auth-user-pass", "[FILE]", 0, 1, DF_INLINE, h_auth_user_pass, 0, 0, 0 },
	{ "auth-retry", "none|nointeract|interact", 1, 1, 0, h_auth_retry, 0, 0, 0 },
	{ "auth-nocache", "", 0, 0, 0, h_flag, OFF(auth_nocache), 0, 0 },
	{ "static-challenge", "TEXT 0|1", 2, 2, 0, h_static_challenge, 0, 0, 0 },
	/* pushed by the server only */
	{ "peer-id", "ID", 1, 1, DF_PUSH | DF_PUSH_ONLY, h_peer_id, 0, 0, 0 },
	{ "key-derivation", "tls-ekm", 1, 1, DF_PUSH | DF_PUSH_ONLY, h_key_derivation, 0, 0, 0 },
	{ "protocol-flags", "FLAG...", 1, N, DF_PUSH | DF_PUSH_ONLY, h_protocol_flags, 0, 0, 0 },
	{ "auth-token", "TOKEN", 1, 1, DF_PUSH | DF_PUSH_ONLY, h_auth_token, 0, 0, 0 },
	{ "auth-token-user", "BASE64-USER", 1, 1, DF_PUSH | DF_PUSH_ONLY, h_str, OFF(auth_token_user), 0, 0 },
	{ "push-continuation", "1|2", 1, 1, DF_PUSH | DF_PUSH_ONLY, h_push_continuation, 0, 0, 0 },
	/* misc */
	{ "verb", "LEVEL", 1, 1, DF_PUSH, h_verb, 0, 0, 0 },
	{ "mute", "N", 1, 1, DF_PUSH, h_int, OFF(mute), 0, INT_MAX },
	{ "user", "USER", 1, 1, 0, h_str, OFF(user), 0, 0 },
	{ "group", "GROUP", 1, 1, 0, h_str, OFF(group), 0, 0 },
	{ "cd", "DIR", 1, 1, 0, h_cd, 0, 0, 0 },
	{ "config", "FILE", 1, 1, 0, h_config, 0, 0, 0 },
	{ "ignore-unknown-option", "NAME...", 1, N, 0, h_ignore_unknown, 0, 0, 0 },
	{ "setenv", "NAME VALUE | opt DIRECTIVE...", 1, N, DF_PUSH, h_setenv, 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0, 0, 0 },
};

/*
 * Accepted with a warning.  IG_PUSH: may also arrive in a push (ignored
 * there with the same warning).  The reason is printed in the warning and
 * in the README (config_print_ignored()).
 */
const struct ignored_directive cfg_ignored[] = {
	{ "script-security", 0, "mvpn never runs scripts, so the script policy has nothing to govern" },
	{ "up", 0, "mvpn runs no scripts; the tunnel works without it, but what the script did (often DNS setup with update-resolv-conf) has to be done another way" },
	{ "down", 0, "mvpn runs no scripts (see 'up')" },
	{ "down-pre", 0, "only orders the 'down' script, which mvpn does not run" },
	{ "route-up", 0, "mvpn runs no scripts; routes are installed by mvpn itself" },
	{ "route-pre-down", 0, "mvpn runs no scripts" },
	{ "ipchange", 0, "mvpn runs no scripts; this one only reports the peer's address" },
	{ "up-delay", 0, "only delays the 'up' script and tun open, which mvpn does in its own order" },
	{ "up-restart", 0, "only controls when the 'up' script runs" },
	{ "setenv-safe", IG_PUSH, "only sets environment variables for scripts" },
	{ "echo", IG_PUSH, "only writes a message to the log" },
	{ "status", 0, "mvpn has no status file; state is logged and shown by mvpnctl" },
	{ "status-version", 0, "see 'status'" },
	{ "log", 0, "mvpn logs to stderr (redirect it, or use the journal)" },
	{ "log-append", 0, "mvpn logs to stderr (redirect it, or use the journal)" },
	{ "syslog", 0, "mvpn logs to stderr (the journal collects it)" },
	{ "daemon", 0, "mvpn stays in the foreground; run it under a service manager" },
	{ "writepid", 0, "a service manager tracks mvpnd's pid" },
	{ "suppress-timestamps", 0, "only changes the log format" },
	{ "machine-readable-output", 0, "only changes the log format" },
	{ "errors-to-stderr", 0, "mvpn already writes everything to stderr" },
	{ "management", 0, "mvpn has no management interface; the tunnel itself is unaffected" },
	{ "management-client-user", 0, "see 'management'" },
	{ "management-client-group", 0, "see 'management'" },
	{ "management-query-passwords", 0, "see 'management'" },
	{ "management-hold", 0, "see 'management'" },
	{ "management-signal", 0, "see 'management'" },
	{ "management-forget-disconnect", 0, "see 'management'" },
	{ "management-up-down", 0, "see 'management'" },
	{ "management-client", 0, "see 'management'" },
	{ "management-log-cache", 0, "see 'management'" },
	{ "management-client-auth", 0, "see 'management'" },
	{ "management-query-remote", 0, "see 'management'" },
	{ "management-query-proxy", 0, "see 'management'" },
	{ "tun-ipv6", IG_PUSH, "a no-op since OpenVPN 2.3: tun always carries IPv6" },
	{ "ifconfig-nowarn", 0, "only silences an OpenVPN warning about ifconfig mismatches" },
	{ "fast-io", 0, "a scheduling hint for OpenVPN's own event loop" },
	{ "nice", 0, "process priority; set it with the service manager" },
	{ "mlock", 0, "mvpn's key material is small and zeroed after use; use the service manager's memory locking if wanted" },
	{ "chroot", 0, "mvpn does not chroot; confine it with the service manager" },
	{ "iproute", 0, "mvpn talks netlink directly and runs no 'ip' binary" },
	{ "engine", 0, "a crypto acceleration hint; mvpn uses OpenSSL's default implementations" },
	{ "providers", 0, "mvpn's ciphers are all in OpenSSL's default provider" },
	{ "prng", 0, "OpenVPN itself ignores it (the TLS library's PRNG is used)" },
	{ "keysize", 0, "only applied to variable-key-size ciphers such as BF-CBC; removed in OpenVPN 2.6" },
	{ "push-peer-info", 0, "only sends more informational peer-info to the server" },
	{ "mtu-test", 0, "only measures the path MTU once at startup and logs it" },
	{ "disable-occ", 0, "only stops OpenVPN's option-consistency warnings" },
	{ "opt-verify", 0, "deprecated consistency check of option strings; harmless to skip" },
	{ "ifconfig-pool-persist", 0, "server: only makes address assignments sticky across restarts" },
	{ "replay-persist", 0, "static-key mode only: keeps the replay window across restarts" },
	{ "x509-track", 0, "only exports certificate fields to scripts" },
	{ "tls-export-cert", 0, "only writes peer certificates for scripts" },
	{ "ip-win32", IG_PUSH, "Windows only" },
	{ "route-method", IG_PUSH, "Windows only" },
	{ "block-outside-dns", IG_PUSH | IG_ROUTE, "Windows only" },
	{ "register-dns", IG_PUSH | IG_ROUTE, "Windows only" },
	{ "dhcp-renew", IG_PUSH | IG_ROUTE, "Windows only" },
	{ "dhcp-release", IG_PUSH | IG_ROUTE, "Windows only" },
	{ "dhcp-pre-release", IG_PUSH | IG_ROUTE, "Windows only" },
	{ "tap-sleep", IG_PUSH | IG_ROUTE, "Windows only" },
	{ "windows-driver", 0, "Windows only" },
	{ "show-net-up", IG_PUSH, "Windows only" },
	{ "allow-nonadmin", 0, "Windows only" },
	{ "win-sys", 0, "Windows only" },
	{ "service", 0, "Windows only" },
	{ "pause-exit", 0, "Windows only" },
	{ "disable-dco", 0, "mvpn picks its data plane itself and logs which one and why" },
	{ "tcp-queue-limit", 0, "server: a TCP output queue bound" },
	{ "hash-size", 0, "server: sizes of internal hash tables" },
	{ "bcast-buffers", 0, "server: an internal buffer count" },
	{ NULL, 0, NULL },
};

/* Recognised, refused, with the reason. */
const struct ignored_directive cfg_unsupported[] = {
	{ "http-proxy", 0, "proxies are not supported (connecting directly instead would bypass the proxy)" },
	{ "http-proxy-option", 0, "proxies are not supported" },
	{ "http-proxy-retry", 0, "proxies are not supported" },
	{ "http-proxy-timeout", 0, "proxies are not supported" },
	{ "http-proxy-user-pass", 0, "proxies are not supported" },
	{ "http-proxy-override", 0, "proxies are not supported" },
	{ "socks-proxy", 0, "proxies are not supported (connecting directly instead would bypass the proxy)" },
	{ "socks-proxy-retry", 0, "proxies are not supported" },
	{ "plugin", 0, "plugins are not supported" },
	{ "tls-verify", 0, "verification scripts are not run; ignoring one would accept peers it rejects" },
	{ "auth-user-pass-verify", 0, "server scripts are not supported" },
	{ "client-connect", 0, "server scripts are not supported" },
	{ "client-disconnect", 0, "server scripts are not supported" },
	{ "client-crresponse", 0, "server scripts are not supported" },
	{ "learn-address", 0, "server scripts are not supported" },
	{ "tls-crypt-v2-verify", 0, "server scripts are not supported" },
	{ "pkcs11-providers", 0, "PKCS#11 tokens are not supported; use cert/key or pkcs12" },
	{ "pkcs11-id", 0, "PKCS#11 tokens are not supported; use cert/key or pkcs12" },
	{ "pkcs11-id-management", 0, "PKCS#11 tokens are not supported" },
	{ "pkcs11-protected-authentication", 0, "PKCS#11 tokens are not supported" },
	{ "pkcs11-private-mode", 0, "PKCS#11 tokens are not supported" },
	{ "pkcs11-cert-private", 0, "PKCS#11 tokens are not supported" },
	{ "pkcs11-pin-cache", 0, "PKCS#11 tokens are not supported" },
	{ "cryptoapicert", 0, "Windows certificate store; use cert/key or pkcs12" },
	{ "management-external-key", 0, "external keys need the management interface, which mvpn lacks" },
	{ "management-external-cert", 0, "external certificates need the management interface, which mvpn lacks" },
	{ "capath", 0, "CA directories are not supported; concatenate the CAs into one file for 'ca'" },
	{ "ns-cert-type", 0, "the Netscape certificate type check is obsolete; use 'remote-cert-tls server'" },
	{ "verify-hash", 0, "deprecated; use 'peer-fingerprint' or put the CA in 'ca'" },
	{ "ncp-disable", 0, "removed in OpenVPN 2.6; use 'data-ciphers' with the one cipher you want" },
	{ "compat-names", 0, "removed in OpenVPN 2.5" },
	{ "no-name-remapping", 0, "removed in OpenVPN 2.5" },
	{ "client-cert-not-required", 0, "removed in OpenVPN 2.5; use 'verify-client-cert none'" },
	{ "mtu-dynamic", 0, "removed from OpenVPN long ago" },
	{ "compat-mode", 0, "emulating older OpenVPN defaults is not supported" },
	{ "shaper", 0, "traffic shaping is not supported" },
	{ "client-nat", 0, "client-side NAT is not supported" },
	{ "lladdr", 0, "tap devices are not supported" },
	{ "server-bridge", 0, "bridging (tap) is not supported" },
	{ "vlan-tagging", 0, "tap devices are not supported" },
	{ "vlan-accept", 0, "tap devices are not supported" },
	{ "vlan-pvid", 0, "tap devices are not supported" },
	{ "port-share", 0, "not supported" },
	{ "client-config-dir", 0, "per-client server configuration is not supported yet" },
	{ "ccd-exclusive", 0, "per-client server configuration is not supported yet" },
	{ "ifconfig-pool", 0, "server address pools beyond 'server' are not supported yet" },
	{ "ifconfig-ipv6-pool", 0, "server address pools beyond 'server-ipv6' are not supported yet" },
	{ "ifconfig-push", 0, "per-client server configuration is not supported yet" },
	{ "ifconfig-ipv6-push", 0, "per-client server configuration is not supported yet" },
	{ "iroute", 0, "per-client server configuration is not supported yet" },
	{ "iroute-ipv6", 0, "per-client server configuration is not supported yet" },
	{ "auth-gen-token", 0, "server auth tokens are not supported yet" },
	{ "auth-gen-token-secret", 0, "server auth tokens are not supported yet" },
	{ "username-as-common-name", 0, "server user/password authentication is not supported yet" },
	{ "auth-user-pass-optional", 0, "server user/password authentication is not supported yet" },
	{ "x509-username-field", 0, "server-side only, not supported yet" },
	{ "stale-routes-check", 0, "server-side only, not supported yet" },
	{ "connect-freq", 0, "server-side only, not supported yet" },
	{ "remap-usr1", 0, "signal remapping is not supported" },
	{ "gremlin", 0, "a test-only fault injector" },
	{ "single-session", 0, "not supported" },
	{ "tls-exit", 0, "not supported" },
	{ "keying-material-exporter", 0, "exporting keying material to scripts is not supported" },
	{ "force-tls-key-material-export", 0, "server-side only, not supported yet" },
	{ "memstats", 0, "not supported" },
	{ "multihome", 0, "server-side only, not supported yet" },
	{ "bind-dev", 0, "binding to a VRF device is not supported yet" },
	{ "socket-flags", 0, "not supported" },
	{ "dhcp-internal", 0, "Windows internal" },
	{ "rdns-internal", 0, "Windows internal" },
	{ "genkey", 0, "use 'openvpn --genkey' to make keys" },
	{ "show-ciphers", 0, "a command, not a configuration directive" },
	{ "show-digests", 0, "a command, not a configuration directive" },
	{ "show-tls", 0, "a command, not a configuration directive" },
	{ "show-engines", 0, "a command, not a configuration directive" },
	{ "show-groups", 0, "a command, not a configuration directive" },
	{ "show-curves", 0, "a command, not a configuration directive" },
	{ "test-crypto", 0, "a command, not a configuration directive" },
	{ "mktun", 0, "a command, not a configuration directive" },
	{ "rmtun", 0, "a command, not a configuration directive" },
	{ "show-gateway", 0, "a command, not a configuration directive" },
	{ "tmp-dir", 0, "only used for script files" },
	{ "use-prediction-resistance", 0, "not supported" },
	{ NULL, 0, NULL },
};

void config_print_ignored(FILE *f)
{
	fprintf(f, "| directive | why it is harmless to ignore |\n|---|---|\n");
	for (const struct ignored_directive *ig = cfg_ignored; ig->name; ig++)
		fprintf(f, "| `%s` | %s%s |\n", ig->name, ig->reason,
			ig->flags & IG_PUSH ? " (also ignored when pushed)" : "");
}

void config_print_unsupported(FILE *f)
{
	fprintf(f, "| directive | why it is refused |\n|---|---|\n");
	for (const struct ignored_directive *ig = cfg_unsupported; ig->name; ig++)
		fprintf(f, "| `%s` | %s |\n", ig->name, ig->reason);
}

void config_print_directives(FILE *f)
{
	for (const struct directive *de = cfg_directives; de->name; de++)
		fprintf(f, "%s%s%s%s%s\n", de->name, de->usage[0] ? " " : "", de->usage,
			de->flags & DF_PUSH_ONLY ? "   (pushed by the server only)" :
			de->flags & DF_PUSH ? "   (may be pushed)" : "",
			de->flags & DF_CONN ? "   (allowed in <connection>)" : "");
}
