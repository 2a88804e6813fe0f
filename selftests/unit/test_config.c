// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: the OpenVPN config parser (config.h).
 *
 * Most cases are rows of a table: a config text, and either the exact error
 * it must produce or lines that config_print() must show for it (plus,
 * optionally, a warning that must be emitted).  Files referenced by the
 * configs come from an in-memory file system rooted at /etc/vpn, the
 * config's directory, so relative-path resolution is visible in paths.
 * Key material here is made up: fake PEM bodies and a counting static key.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "check.h"
#include "config.h"
#include "testpki.h"	/* slurp() */

/* ---- in-memory file system ------------------------------------------------ */

#define PEM_CERT "-----BEGIN CERTIFICATE-----\nMIIBfakefakefake\n-----END CERTIFICATE-----\n"
#define PEM_KEY "-----BEGIN PRIVATE KEY-----\nMIIEfakefakefake\n-----END PRIVATE KEY-----\n"
#define TC2_CLIENT "-----BEGIN OpenVPN tls-crypt-v2 client key-----\nAAAA\n" \
		   "-----END OpenVPN tls-crypt-v2 client key-----\n"
#define TC2_SERVER "-----BEGIN OpenVPN tls-crypt-v2 server key-----\nAAAA\n" \
		   "-----END OpenVPN tls-crypt-v2 server key-----\n"

static char static_key[1024];	/* "-----BEGIN OpenVPN Static key V1-----" + 00 01 02 ... ff */
static char p12_der[4] = { 0x30, 0x03, 0x02, 0x01 };

struct vfile {
	const char *path;
	const char *data;
	size_t len;	/* 0: strlen(data) */
};

static const struct vfile vfs[] = {
	{ "/etc/vpn/ca.crt", PEM_CERT, 0 },
	{ "/etc/vpn/client.crt", PEM_CERT, 0 },
	{ "/etc/vpn/client.key", PEM_KEY, 0 },
	{ "/etc/vpn/sub/ca.crt", PEM_CERT "# from sub\n", 0 },
	{ "/opt/pki/ca.crt", PEM_CERT "# absolute\n", 0 },
	{ "/etc/vpn/ta.key", static_key, 0 },
	{ "/etc/vpn/bad.key", "-----BEGIN OpenVPN Static key V1-----\n00ff\n"
			      "-----END OpenVPN Static key V1-----\n", 0 },
	{ "/etc/vpn/tc2.key", TC2_CLIENT, 0 },
	{ "/etc/vpn/tc2s.key", TC2_SERVER, 0 },
	{ "/etc/vpn/up.txt", "alice\r\ns3cret\n", 0 },
	{ "/etc/vpn/user-only.txt", "bob\n", 0 },
	{ "/etc/vpn/empty.txt", "", 0 },
	{ "/etc/vpn/pass.txt", "keypass\n", 0 },
	{ "/etc/vpn/client.p12", p12_der, sizeof(p12_der) },
	{ "/etc/vpn/crl.pem", "-----BEGIN X509 CRL-----\nMIIfake\n-----END X509 CRL-----\n", 0 },
	{ "/etc/vpn/dh.pem", "-----BEGIN DH PARAMETERS-----\nMIIfake\n-----END DH PARAMETERS-----\n", 0 },
	{ "/etc/vpn/not-pem.crt", "hello\n", 0 },
	{ "/etc/vpn/inc.conf", "verb 5\nroute 10.9.0.0 255.255.0.0\n", 0 },
	{ "/etc/vpn/bad-inc.conf", "verb 5\nfrobnicate\n", 0 },
	{ "/etc/vpn/self.conf", "config self.conf\n", 0 },
};

static int vfs_read(void *ctx, const char *path, uint8_t **buf, size_t *len, char *err,
		    size_t errlen)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof(vfs) / sizeof(vfs[0]); i++) {
		if (strcmp(vfs[i].path, path) == 0) {
			size_t n = vfs[i].len ? vfs[i].len : strlen(vfs[i].data);

			*buf = malloc(n ? n : 1);
			if (!*buf)
				return -1;
			memcpy(*buf, vfs[i].data, n);
			*len = n;
			return 0;
		}
	}
	snprintf(err, errlen, "No such file or directory");
	return -1;
}

static const struct mvpn_config_io io = { .read_file = vfs_read, .base_dir = "/etc/vpn" };

static void init_keys(void)
{
	char *p = static_key;

	p += sprintf(p, "#\n# 2048 bit OpenVPN static key\n#\n-----BEGIN OpenVPN Static key V1-----\n");
	for (int i = 0; i < 256; i++)
		p += sprintf(p, "%02x%s", i, i % 16 == 15 ? "\n" : "");
	sprintf(p, "-----END OpenVPN Static key V1-----\n");
}

static struct mvpn_config *parse(const char *text, struct mvpn_config_error *err)
{
	return config_parse_buffer("client.conf", text, strlen(text), &io, err);
}

static char *print(const struct mvpn_config *c)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	if (!f)
		return NULL;
	config_print(f, c);
	fclose(f);
	return out;
}

static bool has_warning(const struct mvpn_config *c, const char *needle)
{
	for (size_t i = 0; i < c->n_warnings; i++)
		if (strstr(c->warnings[i], needle))
			return true;
	return false;
}

/* ---- the table --------------------------------------------------------------- */

/* A complete client; the line under test follows, so it is line 8. */
#define CL "client\ndev tun\nremote vpn.example.com\nca ca.crt\ncert client.crt\nkey client.key\n" \
	   "remote-cert-tls server\n"
/* The same without cert/key and remote, for tests that set those. */
#define CL_NOAUTH "client\ndev tun\nca ca.crt\nremote-cert-tls server\n"
#define P2P "dev tun\nsecret ta.key\nifconfig 10.8.0.1 10.8.0.2\nremote peer.example.com\n"

struct ccase {
	const char *name;
	const char *text;
	const char *error;		/* exact error text, or NULL: must parse */
	const char *expect[8];		/* substrings of config_print() output */
	const char *warn;		/* substring of some warning */
};

static const struct ccase cases[] = {
	/* ---- syntax ---- */
	{ "comments and blank lines", "# comment\n; comment\n\n   \n" CL "verb 4 # trailing\n", NULL,
	  { "verb                   4" }, NULL },
	{ "hash inside a token is not a comment", CL "verify-x509-name a#b name\n", NULL,
	  { "verify-x509-name       a#b (name)" }, NULL },
	{ "CRLF line endings", "client\r\ndev tun\r\nremote vpn.example.com 1194 udp\r\nca ca.crt\r\n"
	  "cert client.crt\r\nkey client.key\r\nremote-cert-tls server\r\n", NULL,
	  { "[0] vpn.example.com port 1194 udp" }, NULL },
	{ "leading -- tolerated", "--client\n--dev tun\n--remote vpn.example.com\n--ca ca.crt\n"
	  "--cert client.crt\n--key client.key\n--remote-cert-tls server\n", NULL,
	  { "(client)", "tls-client" }, NULL },
	{ "UTF-8 BOM", "\xEF\xBB\xBF" CL, NULL, { "tls-client" }, NULL },
	{ "double quotes", CL "verify-x509-name \"C=DE, O=Example, CN=vpn server\" subject\n", NULL,
	  { "verify-x509-name       C=DE, O=Example, CN=vpn server (subject)" }, NULL },
	{ "single quotes are literal", CL "verify-x509-name 'a\\b \"c\"' name\n", NULL,
	  { "verify-x509-name       a\\b \"c\" (name)" }, NULL },
	{ "backslash escapes", CL "verify-x509-name a\\ b\\\\c\\\"d name\n", NULL,
	  { "verify-x509-name       a b\\c\"d (name)" }, NULL },
	{ "escaped quote inside double quotes", CL "verify-x509-name \"x\\\"y\" name\n", NULL,
	  { "verify-x509-name       x\"y (name)" }, NULL },
	{ "bad backslash escape", CL "verify-x509-name a\\nb\n",
	  "client.conf:8: bad backslash escape '\\n': only \\\\, \\\" and \\<space> are allowed "
	  "(write Windows paths with double backslashes)", { NULL }, NULL },
	{ "unterminated double quote", CL "verify-x509-name \"abc\n",
	  "client.conf:8: no closing quotation mark (\")", { NULL }, NULL },
	{ "unterminated single quote", CL "verify-x509-name 'abc\n",
	  "client.conf:8: no closing single quotation mark (')", { NULL }, NULL },
	{ "too many arguments on a line", CL "redirect-gateway a b c d e f g h i j k l m n o p\n",
	  "client.conf:8: too many arguments (at most 15)", { NULL }, NULL },
	{ "unknown directive", CL "frobnicate 1\n", "client.conf:8: unknown directive 'frobnicate'",
	  { NULL }, NULL },
	{ "setenv opt makes unknown harmless", CL "setenv opt frobnicate 1\n", NULL, { "tls-client" },
	  "client.conf:8: frobnicate: ignored" },
	{ "ignore-unknown-option", "ignore-unknown-option frobnicate --zap\n" CL "frobnicate 1\nzap\n",
	  NULL, { "tls-client" }, "client.conf:9: frobnicate: ignored" },
	{ "wrong argument count", CL "remote a 1 udp extra\n",
	  "client.conf:8: remote: expects HOST [PORT [PROTO]] (1 to 3 arguments), got 4", { NULL },
	  NULL },
	{ "flag with an argument", CL "nobind yes\n", "client.conf:8: nobind: takes no arguments, got 1",
	  { NULL }, NULL },
	{ "harmless directive warns", CL "script-security 2\nup /etc/openvpn/update-resolv-conf\n",
	  NULL, { "tls-client" }, "client.conf:9: up: ignored: mvpn runs no scripts" },
	{ "unsupported directive says why", CL "http-proxy proxy.example.com 3128\n",
	  "client.conf:8: http-proxy: not supported: proxies are not supported (connecting "
	  "directly instead would bypass the proxy)", { NULL }, NULL },
	{ "push-only directive in a file", CL "peer-id 3\n",
	  "client.conf:8: peer-id: only a server can push this; it cannot be set in a config file",
	  { NULL }, NULL },
	{ "protocol-flags in a file", CL "protocol-flags cc-exit\n",
	  "client.conf:8: protocol-flags: only a server can push this; it cannot be set in a config file",
	  { NULL }, NULL },

	/* ---- mode ---- */
	{ "client implies pull and tls-client", CL, NULL,
	  { "mode                   p2p (client), pull", "tls                    tls-client" }, NULL },
	{ "pull + tls-client", "pull\ntls-client\ndev tun\nremote a\nca ca.crt\ncert client.crt\n"
	  "key client.key\n", NULL, { "p2p, pull", "tls-client" }, "no 'remote-cert-tls server'" },
	{ "tls-client and tls-server", CL "tls-server\n",
	  "client.conf:8: tls-server: specify only one of tls-client (or client) and tls-server "
	  "(or server)", { NULL }, NULL },
	{ "client and server", CL "server 10.8.0.0 255.255.255.0\n",
	  "client.conf:1: client: 'client' and 'server'/'server-ipv6' cannot be used together",
	  { NULL }, NULL },
	{ "no encryption at all", "dev tun\nremote a\n",
	  "client.conf: no encryption configured: use 'client' (or tls-client / tls-server) with "
	  "certificates, or 'secret'; mvpn does not run unencrypted tunnels", { NULL }, NULL },
	{ "secret and tls", CL "secret ta.key\n",
	  "client.conf:8: secret: a static key cannot be combined with TLS (client)", { NULL }, NULL },
	{ "mode bad value", CL "mode bridge\n", "client.conf:8: mode: unknown mode 'bridge' (p2p or server)",
	  { NULL }, NULL },
	{ "key-method 2 accepted", CL "key-method 2\n", NULL, { "tls-client" },
	  "key-method: ignored" },
	{ "key-method 1 refused", CL "key-method 1\n",
	  "client.conf:8: key-method: only key-method 2 exists (1 was removed in OpenVPN 2.5)",
	  { NULL }, NULL },
	{ "server-only directive on a client", CL "client-to-client\n",
	  "client.conf:8: client-to-client: requires mode server (or 'server')", { NULL }, NULL },

	/* ---- static key (p2p) ---- */
	{ "static key p2p", P2P "secret ta.key 1\ncipher AES-256-CBC\n", NULL,
	  { "none (static key)", "secret                 /etc/vpn/ta.key (", "key-direction          1",
	    "ifconfig               10.8.0.1 10.8.0.2", "cipher                 AES-256-CBC" }, NULL },
	{ "static key default cipher is BF-CBC", P2P, NULL, { "cipher                 BF-CBC" }, NULL },
	{ "inline secret + key-direction", "dev tun\nremote a\nkey-direction 0\n<secret>\n"
	  "-----BEGIN OpenVPN Static key V1-----\n"
	  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	  "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	  "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
	  "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	  "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	  "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	  "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
	  "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff\n"
	  "-----END OpenVPN Static key V1-----\n</secret>\n", NULL,
	  { "secret                 <inline, 587 bytes>", "key-direction          0" }, NULL },
	{ "short static key", "dev tun\nremote a\nsecret bad.key\n",
	  "client.conf:3: secret: /etc/vpn/bad.key: static key must be 256 bytes of hex (2048 bits)",
	  { NULL }, NULL },
	{ "TLS option in static mode", P2P "ca ca.crt\n",
	  "client.conf:5: ca: can only be used in TLS mode (client, tls-client or tls-server), not "
	  "with a static key", { NULL }, NULL },

	/* ---- device ---- */
	{ "dev tun0", CL "dev tun0\n", NULL, { "dev                    tun0 (tun)" }, NULL },
	{ "dev with dev-type", CL "dev vpn0\ndev-type tun\n", NULL, { "dev                    vpn0 (tun)" },
	  NULL },
	{ "dev without type", CL "dev vpn0\n",
	  "client.conf:8: dev: cannot tell the type of device 'vpn0': add 'dev-type tun'", { NULL },
	  NULL },
	{ "dev tap refused", CL "dev tap\n",
	  "client.conf:8: dev: tap devices are not supported: mvpn carries IP packets only (dev tun)",
	  { NULL }, NULL },
	{ "missing dev", "client\nremote a\nca ca.crt\ncert client.crt\nkey client.key\n",
	  "client.conf: no 'dev' given (add 'dev tun')", { NULL }, NULL },
	{ "dev-node", CL "dev-node /dev/net/tun\n", NULL, { "dev-node               /dev/net/tun" }, NULL },
	{ "topology subnet", CL "topology subnet\n", NULL, { "topology               subnet\n" }, NULL },
	{ "topology default", CL, NULL, { "topology               net30 (default)" }, NULL },
	{ "topology bad", CL "topology star\n",
	  "client.conf:8: topology: unknown topology 'star' (net30, p2p or subnet)", { NULL }, NULL },
	{ "ifconfig", CL "ifconfig 10.8.0.2 255.255.255.0\n", NULL,
	  { "ifconfig               10.8.0.2 255.255.255.0" }, NULL },
	{ "ifconfig bad address", CL "ifconfig 10.8.0.300 255.255.255.0\n",
	  "client.conf:8: ifconfig: local address '10.8.0.300' is not an IPv4 address", { NULL }, NULL },
	{ "ifconfig-ipv6", CL "ifconfig-ipv6 fd00::2/64 fd00::1\n", NULL,
	  { "ifconfig-ipv6          fd00::2/64 fd00::1" }, NULL },
	{ "ifconfig-ipv6 prefix range", CL "ifconfig-ipv6 fd00::2/48 fd00::1\n",
	  "client.conf:8: ifconfig-ipv6: /48: the prefix length must be between 64 and 124", { NULL },
	  NULL },
	{ "ifconfig-noexec", CL "ifconfig-noexec\n", NULL, { "ifconfig-noexec        yes" }, NULL },

	/* ---- routes ---- */
	{ "route with defaults", CL "route 192.168.10.0 255.255.255.0\n", NULL,
	  { "route                  192.168.10.0 255.255.255.0 gw default" }, NULL },
	{ "route host", CL "route 192.168.10.7\n", NULL,
	  { "route                  192.168.10.7 255.255.255.255 gw default" }, NULL },
	{ "route full", CL "route 10.0.0.0 255.0.0.0 10.8.0.1 50\n", NULL,
	  { "route                  10.0.0.0 255.0.0.0 gw 10.8.0.1 metric 50" }, NULL },
	{ "route keywords", CL "route remote_host 255.255.255.255 net_gateway\n"
	  "route 10.1.0.0 255.255.0.0 vpn_gateway default\n", NULL,
	  { "route                  remote_host 255.255.255.255 gw net_gateway",
	    "route                  10.1.0.0 255.255.0.0 gw vpn_gateway" }, NULL },
	{ "route CIDR accepted", CL "route 172.16.0.0/12\n", NULL,
	  { "route                  172.16.0.0 255.240.0.0 gw default" }, NULL },
	{ "route host bits", CL "route 10.1.2.3 255.255.0.0\n", NULL,
	  { "route                  10.1.0.0 255.255.0.0" }, "has host bits set for its netmask" },
	{ "route bad mask", CL "route 10.0.0.0 255.0.255.0\n",
	  "client.conf:8: route: netmask '255.0.255.0' is not a valid netmask", { NULL }, NULL },
	{ "route host name", CL "route intranet.example.com\n",
	  "client.conf:8: route: network 'intranet.example.com' is not an IPv4 address or one of "
	  "vpn_gateway, net_gateway, remote_host (host names are not supported)", { NULL }, NULL },
	{ "route-ipv6", CL "route-ipv6 2001:db8::/32\nroute-ipv6 fd00:1::/48 fd00::1 7\n", NULL,
	  { "route-ipv6             2001:db8::/32 gw default",
	    "route-ipv6             fd00:1::/48 gw fd00::1 metric 7" }, NULL },
	{ "route-ipv6 bad", CL "route-ipv6 2001:db8::zz/32\n",
	  "client.conf:8: route-ipv6: '2001:db8::zz/32' is not an IPv6 network/bits", { NULL }, NULL },
	{ "route-gateway", CL "route-gateway 10.8.0.1\nroute-ipv6-gateway fd00::1\n", NULL,
	  { "route-gateway          10.8.0.1", "route-ipv6-gateway     fd00::1" }, NULL },
	{ "route-gateway dhcp", CL "route-gateway dhcp\n", NULL, { "route-gateway          dhcp" },
	  NULL },
	{ "route-metric and delay", CL "route-metric 20\nroute-delay 5 30\n", NULL,
	  { "route-metric           20", "route-delay            5 s" }, NULL },
	{ "route-nopull and noexec", CL "route-nopull\nroute-noexec\n", NULL,
	  { "route-nopull           yes", "route-noexec           yes" }, NULL },
	{ "redirect-gateway flags", CL "redirect-gateway def1 bypass-dhcp ipv6 !ipv4\n", NULL,
	  { "redirect-gateway       def1 bypass-dhcp ipv6 !ipv4" }, NULL },
	{ "redirect-gateway bare", CL "redirect-gateway\n", NULL, { "redirect-gateway      \n" }, NULL },
	{ "redirect-private", CL "redirect-private local autolocal block-local bypass-dns\n", NULL,
	  { "redirect-private       local autolocal bypass-dns block-local" }, NULL },
	{ "redirect-gateway bad flag", CL "redirect-gateway def2\n",
	  "client.conf:8: redirect-gateway: unknown flag 'def2' (local, autolocal, def1, bypass-dhcp, "
	  "bypass-dns, block-local, ipv6, !ipv4)", { NULL }, NULL },
	{ "block-ipv6", CL "block-ipv6\n", NULL, { "block-ipv6             yes" }, NULL },
	{ "dhcp-option", CL "dhcp-option DNS 10.8.0.1\ndhcp-option DNS fd00::53\ndhcp-option DNS6 "
	  "fd00::54\ndhcp-option DOMAIN example.com\ndhcp-option DOMAIN-SEARCH corp.example.com\n"
	  "dhcp-option disable-nbt\ndhcp-option NBT 2\n", NULL,
	  { "dhcp-option            DNS 10.8.0.1", "dhcp-option            DNS fd00::53",
	    "dhcp-option            DNS6 fd00::54", "dhcp-option            DOMAIN example.com",
	    "dhcp-option            DOMAIN-SEARCH corp.example.com",
	    "dhcp-option            DISABLE-NBT", "dhcp-option            NBT 2" }, NULL },
	{ "dhcp-option bad DNS", CL "dhcp-option DNS dns.example.com\n",
	  "client.conf:8: dhcp-option: DNS: 'dns.example.com' is not an IP address", { NULL }, NULL },
	{ "dhcp-option unknown", CL "dhcp-option FOO bar\n",
	  "client.conf:8: dhcp-option: unknown option type 'FOO' (DNS, DNS6, DOMAIN, DOMAIN-SEARCH, "
	  "WINS, NTP, NBDD, NBT, NBS, DISABLE-NBT, ...)", { NULL }, NULL },
	{ "dns", CL "dns server 1 address 10.8.0.53 [fd00::53]:5353\ndns server 1 resolve-domains "
	  "corp.example.com lab.example.com\ndns server 1 dnssec optional\ndns server 1 transport "
	  "DoT\ndns server 1 sni dns.example.com\ndns search-domains example.com\n", NULL,
	  { "dns server             1: 10.8.0.53 fd00::53 port 5353, resolve-domains corp.example.com "
	    "lab.example.com, dnssec optional, transport DoT, sni dns.example.com",
	    "dns search-domain      example.com" }, NULL },
	{ "dns bad", CL "dns server 1 dnssec maybe\n",
	  "client.conf:8: dns: dnssec 'maybe' must be yes, no or optional", { NULL }, NULL },
	{ "pull-filter", CL "pull-filter ignore \"route \"\npull-filter reject redirect-gateway\n", NULL,
	  { "pull-filter            ignore \"route \"", "pull-filter            reject \"redirect-gateway\"" },
	  NULL },
	{ "pull-filter bad action", CL "pull-filter drop route\n",
	  "client.conf:8: pull-filter: unknown action 'drop' (accept, ignore or reject)", { NULL }, NULL },

	/* ---- remotes and transport ---- */
	{ "remote list in order", CL_NOAUTH "remote a.example.com\nremote b.example.com 443 tcp\n"
	  "remote 2001:db8::1 1195 udp6\nauth-user-pass up.txt\n", NULL,
	  { "[0] a.example.com port 1194 udp", "[1] b.example.com port 443 tcp-client",
	    "[2] 2001:db8::1 port 1195 udp6" }, NULL },
	{ "remote uses port/proto given later", CL_NOAUTH "remote a.example.com\nport 1300\nproto tcp\n"
	  "auth-user-pass up.txt\n", NULL, { "[0] a.example.com port 1300 tcp-client" }, NULL },
	{ "rport overrides port", CL_NOAUTH "remote a\nport 1300\nrport 1400\nauth-user-pass up.txt\n",
	  NULL, { "[0] a port 1400 udp" }, NULL },
	{ "port overrides earlier rport, with a warning", CL_NOAUTH "remote a\nrport 1400\nport 1300\n"
	  "auth-user-pass up.txt\n", NULL, { "[0] a port 1300 udp" },
	  "client.conf:7: port: overrides rport 1400 given on line 6" },
	{ "UPPERCASE proto alias", CL "proto TCPv4_CLIENT\n", NULL,
	  { "[0] vpn.example.com port 1194 tcp4-client" }, NULL },
	{ "bad proto", CL "proto sctp\n",
	  "client.conf:8: proto: unknown protocol 'sctp' (udp, udp4, udp6, tcp, tcp4, tcp6, "
	  "tcp-client, tcp4-client, tcp6-client, tcp-server, ...)", { NULL }, NULL },
	{ "bad port", CL "remote b.example.com 99999\n",
	  "client.conf:8: remote: port '99999' is not a number between 1 and 65535", { NULL }, NULL },
	{ "tcp is ambiguous in p2p", P2P "proto tcp\n",
	  "client.conf:5: proto: 'tcp' is ambiguous here: use tcp-client or tcp-server", { NULL }, NULL },
	{ "client does not bind", CL, NULL, { "local *:0 not bound" }, NULL },
	{ "p2p binds to 1194", P2P, NULL, { "local *:1194 bound" }, NULL },
	{ "lport forces bind", CL "lport 5000\n", NULL, { "local *:5000 bound" }, NULL },
	{ "local forces bind", CL "local 192.0.2.1\n", NULL, { "local 192.0.2.1:1194 bound" }, NULL },
	{ "nobind on p2p", P2P "nobind\n", NULL, { "local *:0 not bound" }, NULL },
	{ "bind and nobind", CL "bind\nnobind\n",
	  "client.conf:9: nobind: bind and nobind cannot be used together", { NULL }, NULL },
	{ "remote-random, float, persist", CL "remote-random\nfloat\npersist-key\npersist-tun\n", NULL,
	  { "remote-random          yes", "float                  yes", "key yes, tun yes" }, NULL },
	{ "connect-retry and timeouts", CL "connect-retry 5 60\nconnect-retry-max 3\n"
	  "server-poll-timeout 10\nresolv-retry 30\n", NULL,
	  { "connect-retry 5 s (max 60 s), connect-timeout 10 s", "connect-retry-max      3",
	    "resolv-retry           30 s" }, NULL },
	{ "connect-timeout", CL "connect-timeout 15\nresolv-retry infinite\n", NULL,
	  { "connect-timeout 15 s", "resolv-retry           infinite" }, NULL },
	{ "connect-retry huge is truncated", CL "connect-retry 100000\n", NULL,
	  { "connect-retry 65535 s (max 300 s)" }, "truncated to 65535" },
	{ "proto-force", CL_NOAUTH "remote a 1194 udp\nremote b 443 tcp-client\nproto-force tcp\n"
	  "auth-user-pass up.txt\n", NULL, { "[0] b port 443 tcp-client", "proto-force" }, NULL },
	{ "proto-force leaves nothing", CL "proto-force tcp-client\n",
	  "client.conf:8: proto-force: no 'remote' uses the forced protocol", { NULL }, NULL },
	{ "explicit-exit-notify", CL "explicit-exit-notify\n", NULL, { "explicit-exit-notify 1" }, NULL },
	{ "explicit-exit-notify 3", CL "explicit-exit-notify 3\n", NULL, { "explicit-exit-notify 3" },
	  NULL },
	{ "client without remote", "client\ndev tun\nca ca.crt\ncert client.crt\nkey client.key\n",
	  "client.conf:1: client: a client needs a 'remote'", { NULL }, NULL },
	{ "sockets", CL "mark 7\nsndbuf 393216\nrcvbuf 393216\npasstos\ntcp-nodelay\n", NULL,
	  { "mark                   7" }, NULL },
	{ "flags without visible output", CL "txqueuelen 1000\nremote-random-hostname\n"
	  "persist-local-ip\npersist-remote-ip\nallow-pull-fqdn\ncomp-lzo\ncomp-noadapt\n", NULL,
	  { "compression            comp-lzo adaptive" }, NULL },
	{ "txqueuelen range", CL "txqueuelen -1\n",
	  "client.conf:8: txqueuelen: '-1' is not a number between 0 and 16777215", { NULL }, NULL },

	/* ---- <connection> ---- */
	{ "connection blocks", CL_NOAUTH "auth-user-pass up.txt\nproto tcp\n<connection>\nremote a.example.com "
	  "1194 udp\nexplicit-exit-notify 2\n</connection>\n<connection>\nremote b.example.com 443\n"
	  "connect-timeout 5\n</connection>\n", NULL,
	  { "[0] a.example.com port 1194 udp (<connection>)", "explicit-exit-notify 2",
	    "[1] b.example.com port 443 tcp-client (<connection>)", "connect-timeout 5 s" }, NULL },
	{ "connection inherits globals at its position", CL_NOAUTH "auth-user-pass up.txt\n<connection>\n"
	  "remote a\n</connection>\nport 1300\n<connection>\nremote b\n</connection>\n", NULL,
	  { "[0] a port 1194 udp", "[1] b port 1300 udp" },
	  "client.conf:9: port: applies only to <connection> blocks that follow it" },
	{ "connection without remote", CL "<connection>\nproto udp\n</connection>\n",
	  "client.conf:8: connection: each <connection> block must contain exactly one 'remote'",
	  { NULL }, NULL },
	{ "connection with two remotes", CL "<connection>\nremote a\nremote b\n</connection>\n",
	  "client.conf:10: remote: a <connection> block holds exactly one 'remote' (the first is "
	  "on line 9)", { NULL }, NULL },
	{ "directive not allowed in connection", CL "<connection>\nremote a\nca ca.crt\n</connection>\n",
	  "client.conf:10: ca: not allowed inside <connection> (only remote, proto, port, lport, "
	  "rport, local, bind, nobind, float, connect-retry, connect-retry-max, connect-timeout, "
	  "explicit-exit-notify, tun-mtu, link-mtu, tun-mtu-extra, mssfix, fragment, mtu-disc)",
	  { NULL }, NULL },
	{ "remote outside connection blocks is ignored", CL "<connection>\nremote c\n</connection>\n",
	  NULL, { "[0] c port 1194 udp (<connection>)" }, "'remote' line(s) outside <connection>" },
	{ "connection not closed", CL "<connection>\nremote a\n",
	  "client.conf:8: <connection> block is not closed (no </connection>)", { NULL }, NULL },

	/* ---- MTU ---- */
	{ "tun-mtu changes mssfix default", CL "tun-mtu 1400\n", NULL,
	  { "tun-mtu 1400, mssfix 1400 fixed" }, NULL },
	{ "default mtu", CL, NULL, { "tun-mtu 1500, mssfix 1492 mtu" }, NULL },
	{ "mssfix value", CL "mssfix 1360\n", NULL, { "mssfix 1360\n" }, NULL },
	{ "mssfix mtu", CL "mssfix 1450 mtu\n", NULL, { "mssfix 1450 mtu" }, NULL },
	{ "mssfix 0 is off", CL "mssfix 0\n", NULL, { "mssfix off" }, NULL },
	{ "link-mtu", CL "link-mtu 1542\n", NULL, { "link-mtu 1542" }, NULL },
	{ "tun-mtu and link-mtu", CL "tun-mtu 1400\nlink-mtu 1500\n",
	  "client.conf:9: link-mtu: only one of tun-mtu and link-mtu may be given", { NULL }, NULL },
	{ "fragment is unsupported for offload", CL "fragment 1300\n", NULL,
	  { "fragment 1300 (not supported by the kernel data plane)" },
	  "fragmentation is not supported by the kernel data plane" },
	{ "fragment needs udp", CL "proto tcp-client\nfragment 1300\n",
	  "client.conf:9: fragment: works only with UDP", { NULL }, NULL },
	{ "fragment over TCP in a <connection>", CL "<connection>\nremote b 443 tcp-client\n"
	  "fragment 1300\n</connection>\n", "client.conf:10: fragment: works only with UDP", { NULL },
	  NULL },
	{ "mtu-disc and tun-mtu-extra", CL "mtu-disc yes\ntun-mtu-extra 32\n", NULL, { "tls-client" },
	  NULL },

	/* ---- TLS and PKI ---- */
	{ "files resolve against the config directory", CL, NULL,
	  { "ca                     /etc/vpn/ca.crt (", "cert                   /etc/vpn/client.crt (",
	    "key                    /etc/vpn/client.key (" }, NULL },
	{ "absolute path", CL "ca /opt/pki/ca.crt\n", NULL, { "ca                     /opt/pki/ca.crt (" },
	  NULL },
	{ "cd changes the base directory", CL "cd sub\nca ca.crt\n", NULL,
	  { "ca                     /etc/vpn/sub/ca.crt (" }, NULL },
	{ "missing file", CL "ca nope.crt\n",
	  "client.conf:8: ca: cannot read '/etc/vpn/nope.crt': No such file or directory", { NULL },
	  NULL },
	{ "not PEM", CL "ca not-pem.crt\n",
	  "client.conf:8: ca: /etc/vpn/not-pem.crt holds no PEM CERTIFICATE (-----BEGIN "
	  "...CERTIFICATE-----)", { NULL }, NULL },
	{ "inline ca cert key extra-certs", "client\ndev tun\nremote a\nremote-cert-tls server\n<ca>\n"
	  PEM_CERT "</ca>\n<cert>\nSubject: text before the PEM is fine\n" PEM_CERT "</cert>\n<key>\n"
	  PEM_KEY "</key>\n<extra-certs>\n" PEM_CERT PEM_CERT "</extra-certs>\n", NULL,
	  { "ca                     <inline, 71 bytes>", "cert                   <inline, 108 bytes>",
	    "key                    <inline, 71 bytes>", "extra-certs            <inline, 142 bytes>" },
	  NULL },
	{ "inline end tag may be indented", "client\ndev tun\nremote a\nremote-cert-tls server\n"
	  "cert client.crt\nkey client.key\n<ca>\n" PEM_CERT "   </ca>\n", NULL,
	  { "ca                     <inline, 71 bytes>" }, NULL },
	{ "[inline] file argument", CL_NOAUTH "remote a\nauth-user-pass up.txt\nca [inline]\n"
	  "tls-auth [inline] 1\n<ca>\n" PEM_CERT "</ca>\n<tls-auth>\n-----BEGIN OpenVPN Static key V1-----\n"
	  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	  "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	  "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
	  "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	  "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	  "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	  "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
	  "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff\n"
	  "-----END OpenVPN Static key V1-----\n</tls-auth>\n", NULL,
	  { "ca                     <inline, 71 bytes>", "tls-auth               <inline, 587 bytes>",
	    "key-direction          1" }, NULL },
	{ "[inline] without a block", CL "tls-crypt [inline]\n",
	  "client.conf:8: tls-crypt: '[inline]' given but the file has no <tls-crypt> block",
	  { NULL }, NULL },
	{ "inline block for a non-file directive", CL "<remote>\na\n</remote>\n",
	  "client.conf:8: remote: cannot be given as an inline <remote> block", { NULL }, NULL },
	{ "unknown inline block", CL "<frob>\nx\n</frob>\n", "client.conf:8: unknown directive 'frob'",
	  { NULL }, NULL },
	{ "unclosed inline block", CL "<ca>\n" PEM_CERT,
	  "client.conf:8: <ca> block is not closed (no </ca>)", { NULL }, NULL },
	{ "closing tag without opening", CL "</ca>\n", "client.conf:8: </ca> without an opening tag",
	  { NULL }, NULL },
	{ "pkcs12 file", "client\ndev tun\nremote a\nremote-cert-tls server\npkcs12 client.p12\n", NULL,
	  { "pkcs12                 /etc/vpn/client.p12 (4 bytes)" }, NULL },
	{ "inline pkcs12 is base64", "client\ndev tun\nremote a\nremote-cert-tls server\n<pkcs12>\n"
	  "MAMCAQ==\n</pkcs12>\n", NULL, { "pkcs12                 <inline, 4 bytes>" }, NULL },
	{ "inline pkcs12 not base64", "client\ndev tun\nremote a\n<pkcs12>\n!!!\n</pkcs12>\n",
	  "client.conf:4: pkcs12: the inline <pkcs12> block is not base64", { NULL }, NULL },
	{ "pkcs12 with cert", "client\ndev tun\nremote a\npkcs12 client.p12\ncert client.crt\n"
	  "key client.key\n", "client.conf:5: cert: cannot be used together with pkcs12", { NULL }, NULL },
	{ "crl-verify", CL "crl-verify crl.pem\n", NULL, { "crl-verify             /etc/vpn/crl.pem (" },
	  NULL },
	{ "crl-verify dir", CL "crl-verify /etc/crls dir\n",
	  "client.conf:8: crl-verify: a CRL directory ('dir') is not supported; give one CRL file",
	  { NULL }, NULL },
	{ "dh on a client is ignored", CL "dh dh.pem\n", NULL, { "tls-client" },
	  "dh: ignored in client mode" },
	{ "askpass", CL "askpass pass.txt\n", NULL, { "askpass                <from file>" }, NULL },
	{ "askpass prompt", CL "askpass\n", NULL, { "askpass                prompt" }, NULL },
	{ "tls versions", CL "tls-version-min 1.3\ntls-version-max 1.3\n", NULL,
	  { "tls-version-min        1.3, max 1.3" }, NULL },
	{ "tls-version-min or-highest", CL "tls-version-min 1.4 or-highest\n", NULL,
	  { "tls-version-min        1.3 or-highest" }, NULL },
	{ "tls-version-min bad", CL "tls-version-min 1.4\n",
	  "client.conf:8: tls-version-min: unknown TLS version '1.4' (1.0, 1.1, 1.2 or 1.3)", { NULL },
	  NULL },
	{ "tls max below min", CL "tls-version-min 1.3\ntls-version-max 1.2\n",
	  "client.conf:9: tls-version-max: 1.2 is below tls-version-min 1.3", { NULL }, NULL },
	{ "tls strings", CL "tls-cipher TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384\ntls-ciphersuites "
	  "TLS_AES_256_GCM_SHA384\ntls-groups X25519:P-256\ntls-cert-profile preferred\n"
	  "ecdh-curve secp384r1\n", NULL,
	  { "tls-cipher             TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384",
	    "tls-ciphersuites       TLS_AES_256_GCM_SHA384", "tls-groups             X25519:P-256",
	    "tls-cert-profile       preferred", "ecdh-curve             secp384r1" }, NULL },
	{ "tls-cert-profile bad", CL "tls-cert-profile strong\n",
	  "client.conf:8: tls-cert-profile: unknown profile 'strong' (legacy, preferred, suiteb or "
	  "insecure)", { NULL }, NULL },
	{ "remote-cert-tls bad", CL "remote-cert-tls peer\n",
	  "client.conf:8: remote-cert-tls: 'peer' must be 'server' or 'client'", { NULL }, NULL },
	{ "remote-cert-ku and eku", CL "remote-cert-ku a0 88\nremote-cert-eku \"TLS Web Server "
	  "Authentication\"\n", NULL,
	  { "remote-cert-ku         00a0 0088", "remote-cert-eku        TLS Web Server Authentication" },
	  NULL },
	{ "remote-cert-ku bad", CL "remote-cert-ku xyz\n",
	  "client.conf:8: remote-cert-ku: 'xyz' is not a hex key usage value (e.g. a0, 88)", { NULL },
	  NULL },
	{ "verify-x509-name default type", CL "verify-x509-name \"CN=server\"\n", NULL,
	  { "verify-x509-name       CN=server (subject)" }, NULL },
	{ "verify-x509-name name-prefix", CL "verify-x509-name vpn- name-prefix\n", NULL,
	  { "verify-x509-name       vpn- (name-prefix)" }, NULL },
	{ "verify-x509-name bad type", CL "verify-x509-name x cn\n",
	  "client.conf:8: verify-x509-name: unknown name type 'cn' (subject, name or name-prefix)",
	  { NULL }, NULL },
	{ "peer-fingerprint without ca", "client\ndev tun\nremote a\ncert client.crt\nkey client.key\n"
	  "peer-fingerprint 00:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:11:12:13:14:15:16:17:18:"
	  "19:1a:1b:1c:1d:1e:1f\n", NULL,
	  { "peer-fingerprint       00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:"
	    "16:17:18:19:1A:1B:1C:1D:1E:1F" }, NULL },
	{ "peer-fingerprint block, with ca", CL "<peer-fingerprint>\n# servers\n"
	  "AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:"
	  "AA:AA\r\n\n  bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:bb:"
	  "bb:bb:bb:bb:bb:bb\n</peer-fingerprint>\n", NULL,
	  { "peer-fingerprint       AA:AA:AA", "peer-fingerprint       BB:BB:BB" }, NULL },
	{ "peer-fingerprint [inline]", "client\ndev tun\nremote a\ncert client.crt\nkey client.key\n"
	  "peer-fingerprint [inline]\n<peer-fingerprint>\n"
	  "0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f:0f\n"
	  "</peer-fingerprint>\n", NULL, { "peer-fingerprint       0F:0F:0F" }, NULL },
	{ "peer-fingerprint short", CL "peer-fingerprint 00:01:02\n",
	  "client.conf:8: peer-fingerprint: fingerprint '00:01:02' is too short: a SHA-256 fingerprint "
	  "has 32 bytes, got 3", { NULL }, NULL },
	{ "peer-fingerprint malformed", CL "peer-fingerprint 00-01\n",
	  "client.conf:8: peer-fingerprint: format error in fingerprint '00-01': expected hex pairs "
	  "separated by ':'", { NULL }, NULL },
	{ "no ca and no fingerprint", "client\ndev tun\nremote a\ncert client.crt\nkey client.key\n",
	  "client.conf:1: client: no way to verify the peer's certificate: give 'ca' (or 'pkcs12') "
	  "and/or 'peer-fingerprint'", { NULL }, NULL },
	{ "no client authentication", "client\ndev tun\nremote a\nca ca.crt\n",
	  "client.conf:1: client: no client authentication: give cert and key, pkcs12 or "
	  "auth-user-pass", { NULL }, NULL },
	{ "cert without key", "client\ndev tun\nremote a\nca ca.crt\ncert client.crt\n",
	  "client.conf:5: cert: cert and key must be given together", { NULL }, NULL },
	{ "p2p tls needs a certificate", "tls-client\ndev tun\nremote a\nca ca.crt\n",
	  "client.conf:1: tls-client: a certificate is needed: give cert and key, or pkcs12",
	  { NULL }, NULL },
	{ "missing remote-cert-tls warns", "client\ndev tun\nremote a\nca ca.crt\ncert client.crt\n"
	  "key client.key\n", NULL, { "remote-cert-tls        none" },
	  "client.conf:1: client: no 'remote-cert-tls server'" },
	{ "tls-auth with direction", CL "tls-auth ta.key 1\nauth SHA256\n", NULL,
	  { "control wrapper        tls-auth", "tls-auth               /etc/vpn/ta.key (",
	    "key-direction          1", "auth                   SHA256" }, NULL },
	{ "tls-auth bidirectional", CL "tls-auth ta.key\n", NULL, { "key-direction          bidirectional" },
	  NULL },
	{ "key-direction bad", CL "key-direction 3\n",
	  "client.conf:8: key-direction: bad key direction '3' (0, 1 or bidirectional)", { NULL }, NULL },
	{ "tls-crypt", CL "tls-crypt ta.key\n", NULL,
	  { "control wrapper        tls-crypt", "tls-crypt              /etc/vpn/ta.key (" }, NULL },
	{ "inline tls-crypt and crl-verify", CL "<tls-crypt>\n-----BEGIN OpenVPN Static key V1-----\n"
	  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	  "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	  "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
	  "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	  "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	  "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	  "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
	  "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff\n"
	  "-----END OpenVPN Static key V1-----\n</tls-crypt>\n<crl-verify>\n-----BEGIN X509 CRL-----\n"
	  "MIIfake\n-----END X509 CRL-----\n</crl-verify>\n", NULL,
	  { "tls-crypt              <inline, 587 bytes>", "crl-verify             <inline, 56 bytes>" },
	  NULL },
	{ "inline dh on a server", "server 10.8.0.0 255.255.255.0\ndev tun\nca ca.crt\ncert client.crt\n"
	  "key client.key\n<dh>\n-----BEGIN DH PARAMETERS-----\nMIIfake\n-----END DH PARAMETERS-----\n"
	  "</dh>\n", NULL, { "dh                     <inline, 66 bytes>" }, NULL },
	{ "tls-crypt with direction", CL "tls-crypt ta.key 1\n",
	  "client.conf:8: tls-crypt: tls-crypt takes no key direction (it is implied by the TLS role)",
	  { NULL }, NULL },
	{ "tls-crypt bad key", CL "tls-crypt client.crt\n",
	  "client.conf:8: tls-crypt: /etc/vpn/client.crt: not an OpenVPN static key (no "
	  "'-----BEGIN OpenVPN Static key V1-----' line)", { NULL }, NULL },
	{ "tls-auth and tls-crypt", CL "tls-auth ta.key 1\ntls-crypt ta.key\n",
	  "client.conf:9: tls-crypt: tls-auth and tls-crypt are mutually exclusive", { NULL }, NULL },
	{ "tls-crypt-v2", CL "tls-crypt-v2 tc2.key\n", NULL,
	  { "control wrapper        tls-crypt-v2", "tls-crypt-v2           /etc/vpn/tc2.key (" }, NULL },
	{ "inline tls-crypt-v2", CL "<tls-crypt-v2>\n" TC2_CLIENT "</tls-crypt-v2>\n", NULL,
	  { "tls-crypt-v2           <inline, 99 bytes>" }, NULL },
	{ "tls-crypt-v2 server key on a client", CL "tls-crypt-v2 tc2s.key\n",
	  "client.conf:8: tls-crypt-v2: this is a server key; a client needs its client key "
	  "(openvpn --genkey tls-crypt-v2-client)", { NULL }, NULL },
	{ "tls-crypt-v2 with tls-crypt on a client", CL "tls-crypt ta.key\ntls-crypt-v2 tc2.key\n",
	  "client.conf:9: tls-crypt-v2: cannot be combined with tls-auth or tls-crypt on a client",
	  { NULL }, NULL },
	{ "tls-crypt-v2 not a key", CL "tls-crypt-v2 ta.key\n",
	  "client.conf:8: tls-crypt-v2: /etc/vpn/ta.key is not a tls-crypt-v2 key (-----BEGIN OpenVPN "
	  "tls-crypt-v2 client key-----)", { NULL }, NULL },
	{ "reneg and windows", CL "reneg-sec 600 300\nreneg-bytes 1000000\nreneg-pkts 5000\n"
	  "hand-window 30\ntran-window 60\ntls-timeout 4\n", NULL,
	  { "reneg-sec              600 s", "reneg-bytes            1000000", "reneg-pkts             5000",
	    "hand-window            30 s", "tran-window            60 s", "tls-timeout            4 s" },
	  NULL },
	{ "reneg-sec 0 is off", CL "reneg-sec 0\n", NULL, { "reneg-sec              off" }, NULL },
	{ "reneg-sec negative", CL "reneg-sec -5\n",
	  "client.conf:8: reneg-sec: '-5' is not a number between 0 and 2147483647", { NULL }, NULL },

	/* ---- data channel ---- */
	{ "default data-ciphers", CL, NULL,
	  { "data-ciphers           AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305" }, NULL },
	{ "data-ciphers normalised", CL "data-ciphers chacha20-poly1305:aes-128-gcm:?AES-999-GCM\n", NULL,
	  { "data-ciphers           CHACHA20-POLY1305:AES-128-GCM" },
	  "optional cipher 'AES-999-GCM' is not available" },
	{ "ncp-ciphers alias", CL "ncp-ciphers AES-128-GCM\n", NULL,
	  { "data-ciphers           AES-128-GCM\n" }, "renamed in OpenVPN 2.5" },
	{ "data-ciphers unknown", CL "data-ciphers AES-256-GCM:SERPENT-CBC\n",
	  "client.conf:8: data-ciphers: unsupported cipher 'SERPENT-CBC' (prefix it with '?' to make "
	  "it optional)", { NULL }, NULL },
	{ "data-ciphers-fallback", CL "data-ciphers-fallback AES-256-CBC\ncipher AES-256-CBC\n", NULL,
	  { "data-ciphers-fallback  AES-256-CBC", "cipher                 AES-256-CBC" }, NULL },
	{ "cipher not in data-ciphers warns", CL "cipher AES-256-CBC\n", NULL,
	  { "cipher                 AES-256-CBC" }, "AES-256-CBC is not in data-ciphers" },
	{ "unknown cipher on a client is ignored", CL "cipher CAMELLIA-256-CBC\n", NULL,
	  { "data-ciphers" }, "'CAMELLIA-256-CBC' is not supported by mvpn" },
	{ "unknown cipher in p2p", P2P "cipher CAMELLIA-256-CBC\n",
	  "client.conf:5: cipher: unsupported cipher 'CAMELLIA-256-CBC'", { NULL }, NULL },
	{ "auth digest", CL "auth sha512\n", NULL, { "auth                   SHA512" }, NULL },
	{ "auth bad", CL "auth WHIRLPOOL\n",
	  "client.conf:8: auth: unsupported digest 'WHIRLPOOL' (MD5, SHA1, SHA224, SHA256, SHA384, "
	  "SHA512 or none)", { NULL }, NULL },
	{ "replay-window", CL "replay-window 128 30\nmute-replay-warnings\n", NULL,
	  { "replay-window          128 packets, 30 s" }, NULL },
	{ "no-replay with replay-window", CL "replay-window 128\nno-replay\n",
	  "client.conf:8: replay-window: makes no sense with no-replay", { NULL }, NULL },
	{ "comp-lzo means receive-only lzo", CL "comp-lzo\n", NULL,
	  { "compression            comp-lzo adaptive", "allow-compression      asym (receive only)" }, NULL },
	{ "comp-lzo no is stub framing", CL "comp-lzo no\n", NULL,
	  { "compression            comp-lzo no", "allow-compression      no (stub framing only)" }, NULL },
	{ "compress stub-v2", CL "compress stub-v2\n", NULL, { "compression            compress stub-v2" },
	  NULL },
	{ "compress bare is stub", CL "compress\n", NULL, { "compression            compress stub\n" },
	  NULL },
	{ "compress lz4-v2 allowed", CL "compress lz4-v2\nallow-compression yes\n", NULL,
	  { "compression            compress lz4-v2", "allow-compression      yes" }, NULL },
	{ "allow-compression no conflicts", CL "allow-compression no\ncomp-lzo yes\n",
	  "client.conf:8: allow-compression: 'no' conflicts with the compression configured by comp-lzo",
	  { NULL }, NULL },
	{ "compress migrate on a client", CL "compress migrate\n",
	  "client.conf:8: compress: 'migrate' is for servers only", { NULL }, NULL },
	{ "compress bad", CL "compress zstd\n",
	  "client.conf:8: compress: unknown algorithm 'zstd' (stub, stub-v2, lzo, lz4, lz4-v2, migrate)",
	  { NULL }, NULL },

	/* ---- timers ---- */
	{ "keepalive on a client", CL "keepalive 10 60\n", NULL,
	  { "ping                   10 s", "ping-restart           60 s", "keepalive              10 60" },
	  NULL },
	{ "keepalive ratio", CL "keepalive 10 15\n",
	  "client.conf:8: keepalive: the timeout (15) must be at least twice the interval (10); 10 60 "
	  "is the usual setting", { NULL }, NULL },
	{ "keepalive and ping", CL "ping 5\nkeepalive 10 60\n",
	  "client.conf:9: keepalive: conflicts with ping, ping-restart and ping-exit: use keepalive alone",
	  { NULL }, NULL },
	{ "ping-exit replaces ping-restart", CL "ping 10\nping-restart 60\nping-exit 120\n", NULL,
	  { "ping-restart           off", "ping-exit              120 s" }, NULL },
	{ "inactive and session-timeout", CL "inactive 600\nsession-timeout 3600\nping-timer-rem\n", NULL,
	  { "inactive               600 s (0 bytes)", "session-timeout        3600 s" }, NULL },

	/* ---- authentication ---- */
	{ "auth-user-pass file", CL_NOAUTH "remote a\nauth-user-pass up.txt\nauth-retry nointeract\n"
	  "auth-nocache\n", NULL,
	  { "auth-user-pass         user name from the config, password from the config",
	    "auth-retry             nointeract", "auth-nocache           yes" }, NULL },
	{ "auth-user-pass user only", CL_NOAUTH "remote a\nauth-user-pass user-only.txt\n", NULL,
	  { "user name from the config, password prompted" }, NULL },
	{ "auth-user-pass prompt", CL_NOAUTH "remote a\nauth-user-pass\nstatic-challenge \"Token?\" 1\n",
	  NULL, { "auth-user-pass         prompt", "static-challenge       \"Token?\" (echo yes)" }, NULL },
	{ "auth-user-pass inline", CL_NOAUTH "remote a\n<auth-user-pass>\ncarol\npw\n</auth-user-pass>\n",
	  NULL, { "password from the config" }, NULL },
	{ "auth-user-pass empty file", CL_NOAUTH "remote a\nauth-user-pass empty.txt\n",
	  "client.conf:6: auth-user-pass: /etc/vpn/empty.txt: the first line (the user name) is empty",
	  { NULL }, NULL },
	{ "auth-user-pass without pull", P2P "tls-client\nca ca.crt\ncert client.crt\nkey client.key\n"
	  "auth-user-pass up.txt\n", "client.conf:2: secret: a static key cannot be combined with TLS "
	  "(tls-client)", { NULL }, NULL },
	{ "auth-retry bad", CL "auth-retry always\n",
	  "client.conf:8: auth-retry: 'always' must be none, nointeract or interact", { NULL }, NULL },

	/* ---- includes and misc ---- */
	{ "config include", CL "config inc.conf\n", NULL,
	  { "verb                   5", "route                  10.9.0.0 255.255.0.0" }, NULL },
	{ "error inside an include names that file", CL "config bad-inc.conf\n",
	  "/etc/vpn/bad-inc.conf:2: unknown directive 'frobnicate'", { NULL }, NULL },
	{ "include loop", CL "config self.conf\n",
	  "/etc/vpn/self.conf:1: config: includes nested more than 10 deep (does a file include "
	  "itself?)", { NULL }, NULL },
	{ "user group verb mute", CL "user nobody\ngroup nogroup\nverb 11\nmute 20\n", NULL,
	  { "user                   nobody", "group                  nogroup", "verb                   11",
	    "mute                   20" }, NULL },
	{ "verb out of range", CL "verb 12\n", "client.conf:8: verb: '12' is not a number between 0 and 11",
	  { NULL }, NULL },
	{ "number with junk", CL "ping 10s\n", "client.conf:8: ping: '10s' is not a number between 0 "
	  "and 2147483647", { NULL }, NULL },

	/* ---- server side (parsed) ---- */
	{ "server", "server 10.8.0.0 255.255.255.0\nserver-ipv6 fd00:8::/64\ndev tun\nca ca.crt\n"
	  "cert client.crt\nkey client.key\ndh dh.pem\ntopology subnet\nkeepalive 10 120\n"
	  "push \"route 192.168.1.0 255.255.255.0\"\nclient-to-client\nmax-clients 50\n"
	  "duplicate-cn\nverify-client-cert require\n", NULL,
	  { "mode                   server", "tls-server", "server                 10.8.0.0 255.255.255.0",
	    "server-ipv6            fd00:8::/64", "push                   \"route 192.168.1.0 255.255.255.0\"",
	    "push                   \"ping 10\"", "push                   \"ping-restart 120\"",
	    "ping-restart           240 s" }, NULL },
	{ "server needs dh", "server 10.8.0.0 255.255.255.0\ndev tun\nca ca.crt\ncert client.crt\n"
	  "key client.key\n", "client.conf:1: server: a TLS server needs 'dh FILE' or 'dh none' (ECDH only)",
	  { NULL }, NULL },
	{ "server netmask too small", "server 10.8.0.0 255.255.255.252\n",
	  "client.conf:1: server: netmask 255.255.255.252 leaves no room for clients (at most /29)",
	  { NULL }, NULL },
	{ "server with remote", "server 10.8.0.0 255.255.255.0\ndev tun\nca ca.crt\ncert client.crt\n"
	  "key client.key\ndh none\nremote a\n", "client.conf:7: remote: cannot be used with mode server",
	  { NULL }, NULL },
	{ "push-reset drops earlier pushes", "server 10.8.0.0 255.255.255.0\ndev tun\nca ca.crt\n"
	  "cert client.crt\nkey client.key\ndh none\npush \"route 10.1.0.0 255.255.0.0\"\npush-reset\n"
	  "push \"ping 3\"\n", NULL, { "push                   \"ping 3\"\n  client-to-client" }, NULL },
	{ "push with a comma", CL "push \"route 10.0.0.0,ping 5\"\n",
	  "client.conf:8: push: 'route 10.0.0.0,ping 5' contains a comma, which separates options in "
	  "PUSH_REPLY", { NULL }, NULL },
	{ "tls-crypt-v2 client key on a server", "server 10.8.0.0 255.255.255.0\ndev tun\nca ca.crt\n"
	  "cert client.crt\nkey client.key\ndh none\ntls-crypt-v2 tc2.key force-cookie\n",
	  "client.conf:7: tls-crypt-v2: this is a client key; a server needs the server key (openvpn "
	  "--genkey tls-crypt-v2-server)", { NULL }, NULL },
};

static void table_cases(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ccase *tc = &cases[i];
		struct mvpn_config_error err = { 0 };
		struct mvpn_config *c = parse(tc->text, &err);
		char *out;

		if (tc->error) {
			CHECK(!c, "%s: parsed, expected error \"%s\"", tc->name, tc->error);
			CHECK(!c ? strcmp(err.text, tc->error) == 0 : 1,
			      "%s:\n  #   got      \"%s\"\n  #   expected \"%s\"", tc->name, err.text,
			      tc->error);
			config_free(c);
			continue;
		}
		CHECK(c, "%s: unexpected error \"%s\"", tc->name, err.text);
		if (!c)
			continue;
		out = print(c);
		for (int j = 0; j < 8 && tc->expect[j]; j++)
			CHECK(out && strstr(out, tc->expect[j]), "%s: output lacks \"%s\"", tc->name,
			      tc->expect[j]);
		if (tc->warn)
			CHECK(has_warning(c, tc->warn), "%s: no warning \"%s\" (%zu warnings%s%s)",
			      tc->name, tc->warn, c->n_warnings, c->n_warnings ? ", first: " : "",
			      c->n_warnings ? c->warnings[0] : "");
		free(out);
		config_free(c);
	}
}

/* ---- lexer ---------------------------------------------------------------------- */

static void lexer_tokens(void)
{
	/* tls-groups takes exactly one argument and stores it unchanged, so it
	 * shows how a line was split; NULL: the line must not parse */
	static const struct { const char *line, *arg, *error; } v[] = {
		{ "tls-groups  a\t", "a", NULL },
		{ "tls-groups \"\"", "", NULL },
		{ "tls-groups \"a b\"", "a b", NULL },
		{ "tls-groups \"a b\"c", NULL, "tls-groups: expects LIST (1 argument), got 2" },
		{ "tls-groups a\\ b", "a b", NULL },
		{ "tls-groups 'a\\\\b'", "a\\\\b", NULL },
		{ "tls-groups 'a\"b'", "a\"b", NULL },
		{ "tls-groups \"a'b\"", "a'b", NULL },
		{ "tls-groups \"a\\\\b\"", "a\\b", NULL },
		{ "tls-groups \\\"a", "\"a", NULL },
		{ "tls-groups a;b", "a;b", NULL },
		{ "tls-groups a ;b", "a", NULL },
		{ "tls-groups a #b c", "a", NULL },
		{ "tls-groups a\\", "a", NULL },
		{ "\ttls-groups\t\ta  ", "a", NULL },
		{ "tls-groups a\\#b", NULL, "bad backslash escape '\\#'" },
		{ "tls-groups \"a\\tb\"", NULL, "bad backslash escape '\\t'" },
		{ "tls-groups 'a", NULL, "no closing single quotation mark" },
		{ "\"tls-groups\" a", "a", NULL },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char text[512];
		struct mvpn_config_error err;
		struct mvpn_config *c;

		snprintf(text, sizeof(text), CL "%s\n", v[i].line);
		c = parse(text, &err);
		if (v[i].arg)
			CHECK(c && c->tls_groups && strcmp(c->tls_groups, v[i].arg) == 0,
			      "[%s]: got [%s] (%s)", v[i].line, c && c->tls_groups ? c->tls_groups : "-",
			      c ? "" : err.text);
		else
			CHECK(!c && strstr(err.text, v[i].error), "[%s]: expected error \"%s\", got \"%s\"",
			      v[i].line, v[i].error, c ? "success" : err.text);
		config_free(c);
	}
}

/* ---- values not shown by config_print ------------------------------------------ */

static void secrets_loaded_not_printed(void)
{
	struct mvpn_config_error err;
	struct mvpn_config *c = parse(CL_NOAUTH "remote a\nauth-user-pass up.txt\ntls-auth ta.key 0\n"
				      "askpass pass.txt\ncert client.crt\nkey client.key\n", &err);
	uint8_t key[256];
	char why[128];
	char *out;

	CHECK(c, "%s", err.text);
	if (!c)
		return;
	CHECK(c->username && strcmp(c->username, "alice") == 0, "user name (CRLF stripped)");
	CHECK(c->password && strcmp(c->password, "s3cret") == 0, "password");
	CHECK(c->askpass && strcmp(c->askpass, "keypass") == 0, "askpass");
	CHECK(c->key.data && c->key.len == strlen(PEM_KEY) &&
	      memcmp(c->key.data, PEM_KEY, c->key.len) == 0 && c->key.data[c->key.len] == 0,
	      "key bytes, NUL-terminated");
	CHECK(config_static_key_decode(&c->tls_auth, key, why, sizeof(why)) == 0, "%s", why);
	for (int i = 0; i < 256; i++)
		CHECK(key[i] == i, "static key byte %d = %u", i, key[i]);
	CHECK(c->key_direction == MVPN_KEYDIR_NORMAL, "direction 0");
	CHECK(c->tls_wrap == MVPN_WRAP_TLS_AUTH, "wrap");
	out = print(c);
	CHECK(out && !strstr(out, "s3cret") && !strstr(out, "keypass") && !strstr(out, "MIIE") &&
	      !strstr(out, "0001020304"), "config_print shows no secrets");
	free(out);
	config_free(c);
}

static void typed_values(void)
{
	struct mvpn_config_error err;
	struct mvpn_config *c = parse(CL "route 10.0.0.0 255.0.0.0 10.8.0.1 50\nroute-ipv6 fd00::/8\n"
				      "dhcp-option DNS 10.8.0.53\nremote b.example.com 443 tcp6\n"
				      "peer-fingerprint 00:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:"
				      "10:11:12:13:14:15:16:17:18:19:1a:1b:1c:1d:1e:1f\n"
				      "tls-version-min 1.3\nreneg-bytes 3000000000\n", &err);

	CHECK(c, "%s", err.text);
	if (!c)
		return;
	CHECK(c->n_routes == 1 && c->routes[0].net.s_addr == htonl(0x0a000000) &&
	      c->routes[0].mask.s_addr == htonl(0xff000000) &&
	      c->routes[0].gw_kind == MVPN_RADDR_IP && c->routes[0].gw.s_addr == htonl(0x0a080001) &&
	      c->routes[0].metric == 50 && !c->routes[0].pushed, "route");
	CHECK(c->n_routes6 == 1 && c->routes6[0].bits == 8 && c->routes6[0].net.s6_addr[0] == 0xfd,
	      "route-ipv6");
	CHECK(c->n_dhcp_options == 1 && c->dhcp_options[0].type == MVPN_DHCP_DNS &&
	      c->dhcp_options[0].family == AF_INET &&
	      c->dhcp_options[0].addr.v4.s_addr == htonl(0x0a080035), "dhcp-option DNS");
	CHECK(c->n_remotes == 2 && c->remotes[1].port == 443 &&
	      c->remotes[1].proto == MVPN_TRANSPORT_TCP_CLIENT && c->remotes[1].af == MVPN_AF_INET6 &&
	      !c->remotes[1].bind, "second remote");
	CHECK(c->n_peer_fingerprints == 1 && c->peer_fingerprints[0][31] == 0x1f, "fingerprint");
	CHECK(c->tls_version_min == MVPN_TLS_1_3 && c->tls_version_max == MVPN_TLS_VERSION_UNSET,
	      "tls versions");
	CHECK(c->reneg_bytes == 3000000000LL && c->reneg_pkts == MVPN_UNSET, "64-bit reneg-bytes");
	CHECK(c->peer_id == MVPN_UNSET && !c->push_received, "nothing pushed yet");
	CHECK(c->pull && c->client && c->tls_role == MVPN_TLS_CLIENT, "mode");
	config_free(c);
}

/* ---- the line-fed API ----------------------------------------------------------- */

static void line_api(void)
{
	static const char *const lines[] = {
		"client\n", "dev tun", "remote vpn.example.com 1194\r\n", "<ca>", PEM_CERT,
		"</ca>", "cert client.crt", "key client.key",
	};
	struct mvpn_config_error err = { 0 };
	struct mvpn_config_parser *p = config_parser_new("lines.conf", &io);
	struct mvpn_config *c;

	CHECK(p, "parser");
	if (!p)
		return;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		/* the PEM block is three lines: feed them one by one */
		if (strchr(lines[i], '\n') && strchr(lines[i], '\n')[1]) {
			const char *s = lines[i];

			while (*s) {
				const char *nl = strchr(s, '\n');
				size_t n = nl ? (size_t)(nl - s + 1) : strlen(s);

				CHECK(config_parser_line(p, s, n, &err) == 0, "%s", err.text);
				s += n;
			}
			continue;
		}
		CHECK(config_parser_line(p, lines[i], strlen(lines[i]), &err) == 0, "%s", err.text);
	}
	c = config_parser_finish(p, &err);
	CHECK(c && c->ca.data && !c->ca.path && c->n_remotes == 1, "%s", c ? "" : err.text);
	config_free(c);
	config_parser_free(p);

	p = config_parser_new("lines.conf", &io);
	CHECK(config_parser_line(p, "verb 1\nverb 2", 13, &err) == -1 &&
	      strcmp(err.text, "lines.conf:1: line contains a newline") == 0, "%s", err.text);
	CHECK(config_parser_line(p, "verb 1", 6, &err) == -1 &&
	      strstr(err.text, "parser already failed"), "stays failed: %s", err.text);
	CHECK(config_parser_finish(p, &err) == NULL, "finish after failure");
	config_parser_free(p);

	/* an embedded NUL byte */
	p = config_parser_new("nul.conf", &io);
	CHECK(config_parser_line(p, "dev tun\0x", 9, &err) == -1 &&
	      strcmp(err.text, "nul.conf:1: line contains a NUL byte") == 0, "%s", err.text);
	config_parser_free(p);
	c = config_parse_buffer("nul.conf", "client\ndev\0 tun\n", 17, &io, &err);
	CHECK(!c && strcmp(err.text, "nul.conf:2: line contains a NUL byte") == 0, "%s", err.text);

	/* no file access at all */
	c = config_parse_buffer("x.conf", CL, strlen(CL), NULL, &err);
	CHECK(!c && strcmp(err.text, "x.conf:4: ca: cannot read 'ca.crt': no file access here (use "
			   "an inline block)") == 0, "%s", err.text);
}

/* ---- push ------------------------------------------------------------------------ */

struct pcase {
	const char *name;
	const char *base;		/* appended to CL */
	const char *msgs[3];		/* applied in order */
	int rc;				/* of the last message */
	const char *error;
	const char *expect[8];
	const char *warn;
};

static const struct pcase pcases[] = {
	{ "OpenVPN 2.6 server reply", "",
	  { "PUSH_REPLY,route-gateway 10.8.0.1,topology subnet,ping 10,ping-restart 120,ifconfig "
	    "10.8.0.2 255.255.255.0,peer-id 0,cipher AES-256-GCM,protocol-flags cc-exit tls-ekm "
	    "dyn-tls-crypt,tun-mtu 1500" }, 0, NULL,
	  { "route-gateway          10.8.0.1", "topology               subnet\n",
	    "ping                   10 s", "ping-restart           120 s",
	    "ifconfig               10.8.0.2 255.255.255.0", "peer-id                0",
	    "cipher                 AES-256-GCM (pushed)",
	    "protocol-flags         cc-exit yes, dyn-tls-crypt yes" }, NULL },
	{ "key-derivation tls-ekm", "", { "PUSH_REPLY,key-derivation tls-ekm" }, 0, NULL,
	  { "tls-ekm                yes", "protocol-flags         cc-exit no" }, NULL },
	{ "continuation", "",
	  { "PUSH_REPLY,route 10.1.0.0 255.255.0.0,push-continuation 2",
	    "PUSH_REPLY,route 10.2.0.0 255.255.0.0,push-continuation 1" }, 0, NULL,
	  { "route                  10.1.0.0 255.255.0.0 gw default (pushed)",
	    "route                  10.2.0.0 255.255.0.0 gw default (pushed)" }, NULL },
	{ "continuation pending", "", { "PUSH_REPLY,route 10.1.0.0 255.255.0.0,push-continuation 2" },
	  1, NULL, { "(pushed)" }, NULL },
	{ "routes, dns, redirect", "",
	  { "PUSH_REPLY,redirect-gateway def1 ipv6,dhcp-option DNS 10.8.0.1,route-ipv6 2000::/3,"
	    "ifconfig-ipv6 fd00::1000/64 fd00::1,dns server 0 address 10.8.0.53,block-ipv6,"
	    "route-metric 5" }, 0, NULL,
	  { "redirect-gateway       def1 ipv6", "dhcp-option            DNS 10.8.0.1 (pushed)",
	    "route-ipv6             2000::/3 gw default (pushed)",
	    "ifconfig-ipv6          fd00::1000/64 fd00::1", "dns server             0: 10.8.0.53",
	    "block-ipv6             yes", "route-metric           5" }, NULL },
	{ "not allowed in a push", "", { "PUSH_REPLY,ping 10,ca evil.crt" }, -1,
	  "PUSH_REPLY:2: ca: not allowed in a push (a server may not change this)", { NULL }, NULL },
	{ "script not allowed in a push", "", { "PUSH_REPLY,up /tmp/evil" }, -1,
	  "PUSH_REPLY:1: up: not allowed in a push", { NULL }, NULL },
	{ "unknown pushed option is a warning", "", { "PUSH_REPLY,frobnicate 1,ping 5" }, 0, NULL,
	  { "ping                   5 s" }, "PUSH_REPLY:1: frobnicate: unknown option pushed" },
	{ "windows-only pushed option", "", { "PUSH_REPLY,block-outside-dns,register-dns" }, 0, NULL,
	  { NULL }, "block-outside-dns: ignored: Windows only" },
	{ "route-nopull", "route-nopull\n",
	  { "PUSH_REPLY,route 10.1.0.0 255.255.0.0,dhcp-option DNS 1.1.1.1,ping 7" }, 0, NULL,
	  { "ping                   7 s" }, "route: ignored because of route-nopull" },
	{ "pull-filter ignore", "pull-filter ignore \"route \"\n",
	  { "PUSH_REPLY,route 10.1.0.0 255.255.0.0,route-gateway 10.8.0.1" }, 0, NULL,
	  { "route-gateway          10.8.0.1" },
	  "'route 10.1.0.0 255.255.0.0' ignored by pull-filter ignore \"route \"" },
	{ "pull-filter accept first wins", "pull-filter accept \"route 10.1.\"\npull-filter ignore \"route \"\n",
	  { "PUSH_REPLY,route 10.1.0.0 255.255.0.0,route 10.2.0.0 255.255.0.0" }, 0, NULL,
	  { "route                  10.1.0.0 255.255.0.0" }, "'route 10.2.0.0 255.255.0.0' ignored" },
	{ "pull-filter reject", "pull-filter reject redirect-gateway\n",
	  { "PUSH_REPLY,ping 5,redirect-gateway def1" }, -1,
	  "PUSH_REPLY:2: 'redirect-gateway def1' rejected by pull-filter reject \"redirect-gateway\"",
	  { NULL }, NULL },
	{ "pushed cipher outside data-ciphers", "data-ciphers AES-128-GCM:CHACHA20-POLY1305\n",
	  { "PUSH_REPLY,cipher AES-256-GCM" }, -1,
	  "PUSH_REPLY: cipher: the server pushed AES-256-GCM, which is not in data-ciphers "
	  "(AES-128-GCM:CHACHA20-POLY1305)", { NULL }, NULL },
	{ "pushed cipher = data-ciphers-fallback", "data-ciphers AES-128-GCM\n"
	  "data-ciphers-fallback AES-256-CBC\n", { "PUSH_REPLY,cipher AES-256-CBC" }, 0, NULL,
	  { "cipher                 AES-256-CBC (pushed)" }, NULL },
	{ "pushed unknown cipher", "", { "PUSH_REPLY,cipher SERPENT-CBC" }, -1,
	  "PUSH_REPLY:1: cipher: the server pushed cipher 'SERPENT-CBC', which mvpn does not implement",
	  { NULL }, NULL },
	{ "pushed compression refused by default", "", { "PUSH_REPLY,compress lz4-v2" }, -1,
	  "PUSH_REPLY: the server pushed compress lz4-v2, but compression is not allowed "
	  "(allow-compression no is the default; only stub framing is accepted)", { NULL }, NULL },
	{ "pushed stub compression accepted", "", { "PUSH_REPLY,compress stub-v2" }, 0, NULL,
	  { "compression            compress stub-v2" }, NULL },
	{ "pushed comp-lzo with allow-compression asym", "comp-lzo no\nallow-compression asym\n",
	  { "PUSH_REPLY,comp-lzo yes" }, 0, NULL, { "compression            comp-lzo yes" }, NULL },
	{ "pushed compress migrate", "", { "PUSH_REPLY,compress migrate" }, -1,
	  "PUSH_REPLY:1: compress: unknown algorithm 'migrate' (stub, stub-v2, lzo, lz4, lz4-v2)",
	  { NULL }, NULL },
	{ "auth-token is kept, not printed", "",
	  { "PUSH_REPLY,auth-token SESS_ID_abcdef,auth-token-user Ym9i" }, 0, NULL,
	  { "auth-token             <14 bytes>" }, NULL },
	{ "bad pushed value", "", { "PUSH_REPLY,ping abc" }, -1,
	  "PUSH_REPLY:1: ping: 'abc' is not a number between 0 and 2147483647", { NULL }, NULL },
	{ "peer-id out of range", "", { "PUSH_REPLY,peer-id 16777216" }, -1,
	  "PUSH_REPLY:1: peer-id: '16777216' is not a number between 0 and 16777215", { NULL }, NULL },
	{ "empty reply", "", { "PUSH_REPLY" }, 0, NULL, { NULL }, NULL },
	{ "empty options and trailing NUL", "", { "PUSH_REPLY,,ping 3," }, 0, NULL,
	  { "ping                   3 s" }, NULL },
	{ "no prefix", "", { "ping 4,ping-restart 20" }, 0, NULL,
	  { "ping                   4 s", "ping-restart           20 s" }, NULL },
	{ "bad prefix", "", { "PUSH_REPLYX,ping 4" }, -1,
	  "PUSH_REPLY: expected ',' after PUSH_REPLY", { NULL }, NULL },
	{ "quoting inside push", "", { "PUSH_REPLY,dhcp-option DOMAIN \"corp example\"" }, 0, NULL,
	  { "dhcp-option            DOMAIN corp example (pushed)" }, NULL },
	{ "unterminated quote in push", "", { "PUSH_REPLY,dhcp-option DOMAIN \"x" }, -1,
	  "PUSH_REPLY:1: 'dhcp-option DOMAIN \"x': no closing quotation mark (\")", { NULL }, NULL },
	{ "connection settings from a push", "",
	  { "PUSH_REPLY,tun-mtu 1400,mssfix 1360,explicit-exit-notify 2" }, 0, NULL,
	  { "tun-mtu 1400, mssfix 1360, explicit-exit-notify 2" }, NULL },
	{ "push-only options", "", { "PUSH_REPLY,protocol-flags cc-exit future-flag" }, 0, NULL,
	  { "cc-exit yes" }, "unknown flag 'future-flag' ignored" },
	{ "inline push option", "", { "PUSH_REPLY,<ca>" }, 0, NULL, { NULL },
	  "<ca>: unknown option pushed" },
};

static void push_cases(void)
{
	for (size_t i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		const struct pcase *tc = &pcases[i];
		char text[2048];
		struct mvpn_config_error err = { 0 };
		struct mvpn_config *base, *c;
		int rc = 0;
		char *out;

		snprintf(text, sizeof(text), CL "%s", tc->base);
		base = parse(text, &err);
		CHECK(base, "%s: base config: %s", tc->name, err.text);
		if (!base)
			continue;
		c = config_dup(base);
		CHECK(c, "%s: dup", tc->name);
		for (int j = 0; c && j < 3 && tc->msgs[j]; j++)
			rc = config_apply_push(c, tc->msgs[j], strlen(tc->msgs[j]) + (j == 0), &err);
		CHECK(rc == tc->rc, "%s: rc %d, expected %d (%s)", tc->name, rc, tc->rc,
		      rc < 0 ? err.text : "");
		if (tc->error)
			CHECK(rc < 0 && strcmp(err.text, tc->error) == 0,
			      "%s:\n  #   got      \"%s\"\n  #   expected \"%s\"", tc->name, err.text,
			      tc->error);
		out = c ? print(c) : NULL;
		for (int j = 0; j < 8 && tc->expect[j] && rc >= 0; j++)
			CHECK(out && strstr(out, tc->expect[j]), "%s: output lacks \"%s\"", tc->name,
			      tc->expect[j]);
		if (tc->warn)
			CHECK(c && has_warning(c, tc->warn), "%s: no warning \"%s\"", tc->name, tc->warn);
		free(out);
		/* the base config is untouched by the push */
		CHECK(base->n_routes == 0 && base->peer_id == MVPN_UNSET && !base->push_received,
		      "%s: base changed", tc->name);
		config_free(c);
		config_free(base);
	}
}

static void dup_is_deep(void)
{
	struct mvpn_config_error err;
	struct mvpn_config *a = parse(CL "route 10.0.0.0 255.0.0.0\ndhcp-option DNS 1.1.1.1\n"
				      "dns server 1 address 10.0.0.53\ndns search-domains x.example\n"
				      "pull-filter ignore route\ntls-auth ta.key 1\nfrobnicate-warn-me 1\n",
				      &err);
	struct mvpn_config *b;
	char *pa, *pb;

	CHECK(!a && strstr(err.text, "frobnicate-warn-me"), "unknown directive rejected");
	a = parse(CL "route 10.0.0.0 255.0.0.0\ndhcp-option DNS 1.1.1.1\n"
		  "dns server 1 address 10.0.0.53\ndns search-domains x.example\n"
		  "pull-filter ignore dhcp-option\ntls-auth ta.key 1\nup /bin/true\n", &err);
	CHECK(a, "%s", err.text);
	if (!a)
		return;
	b = config_dup(a);
	CHECK(b, "dup");
	pa = print(a);
	pb = b ? print(b) : NULL;
	CHECK(pa && pb && strcmp(pa, pb) == 0, "printouts equal");
	CHECK(b && b->tls_auth.data != a->tls_auth.data && b->tls_auth.len == a->tls_auth.len &&
	      memcmp(b->tls_auth.data, a->tls_auth.data, a->tls_auth.len) == 0, "blob copied");
	CHECK(b && b->n_warnings == a->n_warnings && b->warnings != a->warnings, "warnings copied");
	free(pa);
	free(pb);
	config_free(a);	/* b must survive its source */
	if (b) {
		CHECK(b->routes[0].net.s_addr == htonl(0x0a000000) &&
		      strcmp(b->dns_search_domains[0], "x.example") == 0 &&
		      strcmp(b->pull_filters[0].prefix, "dhcp-option") == 0, "values after freeing a");
		static const char msg[] = "PUSH_REPLY,route 10.5.0.0 255.255.0.0";

		CHECK(config_apply_push(b, msg, strlen(msg), &err) == 0 && b->n_routes == 2,
		      "push applies to the copy: %s", err.text);
	}
	config_free(b);
}

/* ---- documentation tables ---------------------------------------------------------- */

static void ignored_table_documents_reasons(void)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	struct mvpn_config_error err;

	config_print_ignored(f);
	fclose(f);
	CHECK(out && strstr(out, "| `script-security` |") && strstr(out, "| `tun-ipv6` |") &&
	      strstr(out, "(also ignored when pushed)"), "table rendered");
	/* every ignored directive really is accepted with a warning */
	for (char *line = out; line && (line = strstr(line, "| `")); line++) {
		char name[64], text[256];
		char *e = strchr(line + 3, '`');
		struct mvpn_config *c;

		if (!e || (size_t)(e - line - 3) >= sizeof(name))
			break;
		memcpy(name, line + 3, (size_t)(e - line - 3));
		name[e - line - 3] = '\0';
		snprintf(text, sizeof(text), CL "%s x\n", name);
		c = parse(text, &err);
		CHECK(c && has_warning(c, "ignored"), "'%s x' not accepted with a warning: %s", name,
		      c ? "no warning" : err.text);
		config_free(c);
	}
	free(out);
}

/* ---- real configs ------------------------------------------------------------------- */

/* Debian's shipped examples reference ca.crt etc. next to them: serve fake
 * PEM for any such file so that the configs themselves are what is tested. */
static int any_pem(void *ctx, const char *path, uint8_t **buf, size_t *len, char *err, size_t errlen)
{
	const char *data = strstr(path, ".key") ? PEM_KEY :
			   strstr(path, "dh") ? "-----BEGIN DH PARAMETERS-----\nx\n-----END DH PARAMETERS-----\n" :
			   PEM_CERT;

	(void)ctx;
	(void)err;
	(void)errlen;
	if (strstr(path, "ta.key"))
		data = static_key;
	*len = strlen(data);
	*buf = malloc(*len);
	if (!*buf)
		return -1;
	memcpy(*buf, data, *len);
	return 0;
}

static void debian_examples(void)
{
	static const struct { const char *file, *expect; } ex[] = {
		{ "client.conf", "[0] my-server-1 port 1194 udp" },
		{ "server.conf", "server                 10.8.0.0 255.255.255.0" },
		{ "loopback-client", "control wrapper        tls-auth" },
		{ "loopback-server", "tls-server" },
	};
	const char *dir = "/usr/share/doc/openvpn/examples/sample-config-files";
	struct mvpn_config_io eio = { .read_file = any_pem, .base_dir = dir };

	for (size_t i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
		char path[256];
		size_t len;
		char *text, *out;
		struct mvpn_config_error err;
		struct mvpn_config *c;

		snprintf(path, sizeof(path), "%s/%s", dir, ex[i].file);
		text = slurp(path, &len);
		CHECK(text, "%s is missing (is Debian's openvpn package installed?)", path);
		if (!text)
			continue;
		c = config_parse_buffer(ex[i].file, text, len, &eio, &err);
		CHECK(c, "%s", err.text);
		out = c ? print(c) : NULL;
		CHECK(out && strstr(out, ex[i].expect), "%s: output lacks \"%s\"", ex[i].file,
		      ex[i].expect);
		free(out);
		free(text);
		config_free(c);
	}
}

/* The provider-style configs in selftests/unit/configs/: each must parse, and
 * each names what it must show in a "# expect: ..." line. */
static void sample_configs(void)
{
	static const char *const files[] = {
		"provider-inline.ovpn", "provider-files.conf", "provider-tls-crypt-v2.ovpn",
		"provider-connections.ovpn", "static-p2p.conf", "windows-crlf.ovpn",
		"server-subnet.conf",
	};
	/* run from the repository root (scripts/run-tests) or from build/unit */
	const char *dir = access("selftests/unit/configs/ca.crt", R_OK) == 0 ? "selftests/unit/configs" :
			  "../../selftests/unit/configs";

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[700];
		size_t len;
		char *text, *out, *exp;
		struct mvpn_config_error err;
		struct mvpn_config *c;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		/* git keeps no file modes: the fixture keys are 0644 here */
		c = config_load_file_flags(path, CONFIG_LOAD_ALLOW_INSECURE_KEY_FILES, &err);
		CHECK(c, "%s: %s", files[i], err.text);
		if (!c)
			continue;
		out = print(c);
		text = slurp(path, &len);
		for (exp = text; exp && (exp = strstr(exp, "# expect: ")); exp++) {
			char want[256];
			size_t n = strcspn(exp + 10, "\r\n");

			snprintf(want, sizeof(want), "%.*s", (int)n, exp + 10);
			CHECK(out && strstr(out, want), "%s: output lacks \"%s\"", files[i], want);
		}
		free(text);
		free(out);
		config_free(c);
	}
}

int main(void)
{
	init_keys();
	RUN("config", table_cases);
	RUN("config", lexer_tokens);
	RUN("config", secrets_loaded_not_printed);
	RUN("config", typed_values);
	RUN("config", line_api);
	RUN("config", push_cases);
	RUN("config", dup_is_deep);
	RUN("config", ignored_table_documents_reasons);
	RUN("config", debian_examples);
	RUN("config", sample_configs);
	CHECK_EXIT();
}
