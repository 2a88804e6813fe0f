// SPDX-License-Identifier: BSD-2-Clause
/*
 * config_tables.c: the directives we accept and ignore (each with the reason
 * it is harmless), those we refuse (with the reason), the list of
 * implemented-directive tables, and the documentation generated from them.
 */
#include <string.h>

#include "config_int.h"

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
	{ "socket-flags", IG_PUSH, "only sets TCP_NODELAY on the socket: a latency tweak" },
	{ "tcp-queue-limit", 0, "server: a TCP output queue bound" },
	{ "hash-size", 0, "server: sizes of internal hash tables" },
	{ "bcast-buffers", 0, "server: an internal buffer count" },
	{ NULL, 0, NULL },
};

static const struct directive *const tables[] = {
	cfg_directives_net,
	cfg_directives_route,
	cfg_directives_crypto,
};

size_t cfg_directive_count(void)
{
	static size_t count;

	if (!count) {
		for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
			for (const struct directive *de = tables[t]; de->name; de++)
				count++;
	}
	return count;
}

const struct directive *cfg_directive_at(size_t i)
{
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		for (const struct directive *de = tables[t]; de->name; de++)
			if (i-- == 0)
				return de;
	}
	return NULL;
}

const struct directive *cfg_directive_find(const char *name, size_t *index)
{
	size_t i = 0;

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		for (const struct directive *de = tables[t]; de->name; de++, i++) {
			if (strcmp(de->name, name) == 0) {
				if (index)
					*index = i;
				return de;
			}
		}
	}
	return NULL;
}

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
	for (size_t i = 0; i < cfg_directive_count(); i++) {
		const struct directive *de = cfg_directive_at(i);

		fprintf(f, "%s%s%s%s%s\n", de->name, de->usage[0] ? " " : "", de->usage,
			de->flags & DF_PUSH_ONLY ? "   (pushed by the server only)" :
			de->flags & DF_PUSH ? "   (may be pushed)" : "",
			de->flags & DF_CONN ? "   (allowed in <connection>)" : "");
	}
}
