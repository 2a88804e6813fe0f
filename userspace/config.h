/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * config.h: the OpenVPN configuration parser for mvpnd.
 *
 * The parser is a pure core: it is fed lines (or a whole buffer) and produces
 * a typed, validated struct mvpn_config.  It performs no I/O of its own: the
 * files a config refers to (ca, cert, key, tls-auth, ...) are read through
 * the read_file callback of struct mvpn_config_io, so the unit tests and the
 * fuzzer drive it entirely from memory.  config_load_file() (config_file.c)
 * is the thin shell that reads a real config file from disk.
 *
 * Syntax follows OpenVPN 2.6: one directive per line; `#` or `;` starting a
 * token begins a comment; "double" and 'single' quotes; backslash escapes
 * (\\, \", \<space>) outside single quotes; CRLF; a UTF-8 BOM; a leading
 * `--` on the directive; inline blocks `<tag> ... </tag>`; the file name
 * `[inline]` meaning "the content is in a <tag> block of this file".
 *
 * Ownership: everything hanging off a struct mvpn_config is owned by it and
 * released by config_free(), which zeroes key material and passwords first.
 *
 * Errors: every error is one line "FILE:LINE: message" where the message
 * names the directive and says what is wrong (struct mvpn_config_error).
 */
#ifndef MVPN_CONFIG_H
#define MVPN_CONFIG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct mvpn_config_priv;

/* ---- small shared types ---------------------------------------------- */

/* Bytes read from a file or an inline block.  data is NUL-terminated (the
 * NUL is not counted in len) so PEM text can be used as a C string. */
struct mvpn_blob {
	uint8_t *data;		/* NULL when the directive was not given */
	size_t len;
	char *path;		/* resolved file path, or NULL when inline */
};

/* Unset numeric values are -1 where 0 is meaningful ("not given"). */
#define MVPN_UNSET (-1)

enum mvpn_transport {
	MVPN_TRANSPORT_UDP = 0,		/* proto udp, udp4, udp6 (default) */
	MVPN_TRANSPORT_TCP_CLIENT,	/* proto tcp, tcp-client (and tcp in client mode) */
	MVPN_TRANSPORT_TCP_SERVER,	/* proto tcp-server (and tcp in server mode) */
};

enum mvpn_af {
	MVPN_AF_ANY = 0,	/* udp, tcp: resolve either family */
	MVPN_AF_INET,		/* udp4, tcp4, ... */
	MVPN_AF_INET6,		/* udp6, tcp6, ... */
};

/* One entry of the connection list: a `remote` line, or a <connection>
 * block.  Fields that OpenVPN keeps per connection are resolved here: a value
 * inside a <connection> block wins, else the global value as it stood when
 * the block was read (OpenVPN's rule), else the default. */
struct mvpn_remote {
	char *host;			/* host name or address literal */
	uint16_t port;			/* remote port (default 1194) */
	enum mvpn_transport proto;
	enum mvpn_af af;
	char *local;			/* `local` address, NULL = any */
	uint16_t lport;			/* local port to bind (default 1194); 0 when
					 * not binding: the kernel picks one */
	bool bind;			/* bind the socket to local:lport.  OpenVPN's
					 * rule: not with `nobind`; otherwise yes
					 * unless a tcp-client or a pull client gave
					 * none of local/lport/bind */
	bool from_connection_block;	/* came from <connection> */
	unsigned int connect_retry;	/* `connect-retry N`: first wait in seconds, default 1;
					 * doubled after 5 failed tries per entry */
	unsigned int connect_retry_wait_max; /* `connect-retry N MAX`: cap in seconds, default 300 */
	unsigned int connect_timeout;	/* seconds, default 120 (server-poll-timeout) */
	int explicit_exit_notify;	/* count, 0 = off (UDP only) */
	int tun_mtu;			/* default 1500 */
	int link_mtu;			/* MVPN_UNSET unless given */
	int mssfix;			/* default 1492; 0 = off */
	bool mssfix_mtu;		/* `mssfix N mtu` */
	bool mssfix_fixed;		/* `mssfix N fixed` */
	int fragment;			/* 0 = off; otherwise unsupported-for-offload */
	bool fragment_mtu;		/* `fragment N mtu` */
};

/* ---- modes --------------------------------------------------------------- */

enum mvpn_mode {
	MVPN_MODE_P2P = 0,	/* default */
	MVPN_MODE_SERVER,	/* `mode server` or the `server` helper */
};

enum mvpn_tls_role {
	MVPN_TLS_NONE = 0,	/* neither tls-client nor tls-server: static key or plain */
	MVPN_TLS_CLIENT,	/* tls-client (implied by `client`) */
	MVPN_TLS_SERVER,	/* tls-server (implied by `server`) */
};

enum mvpn_dev_type {
	MVPN_DEV_TUN = 0,
	MVPN_DEV_TAP,
	MVPN_DEV_NULL,
};

enum mvpn_topology {
	MVPN_TOPOLOGY_NET30 = 0,	/* OpenVPN default */
	MVPN_TOPOLOGY_P2P,
	MVPN_TOPOLOGY_SUBNET,
};

/* ---- TLS ------------------------------------------------------------------ */

/* TLS protocol versions, same values as OpenSSL's TLS1_x_VERSION. */
enum mvpn_tls_version {
	MVPN_TLS_VERSION_UNSET = 0,
	MVPN_TLS_1_0 = 0x0301,
	MVPN_TLS_1_1 = 0x0302,
	MVPN_TLS_1_2 = 0x0303,
	MVPN_TLS_1_3 = 0x0304,
};

enum mvpn_x509_name_type {
	MVPN_X509_NAME_NONE = 0,	/* no verify-x509-name */
	MVPN_X509_NAME_SUBJECT,		/* whole subject DN, OpenVPN's "subject" (default type) */
	MVPN_X509_NAME_CN,		/* type "name": the CN equals the value */
	MVPN_X509_NAME_CN_PREFIX,	/* type "name-prefix": the CN starts with the value */
};

enum mvpn_remote_cert_tls {
	MVPN_REMOTE_CERT_NONE = 0,
	MVPN_REMOTE_CERT_SERVER,	/* peer must carry EKU serverAuth (+ KU check) */
	MVPN_REMOTE_CERT_CLIENT,	/* peer must carry EKU clientAuth */
};

/* Control-channel wrapper.  At most one of them. */
enum mvpn_tls_wrap {
	MVPN_WRAP_NONE = 0,
	MVPN_WRAP_TLS_AUTH,
	MVPN_WRAP_TLS_CRYPT,
	MVPN_WRAP_TLS_CRYPT_V2,
};

/* key-direction (openvpn-protocol.md §3.6). */
enum mvpn_key_direction {
	MVPN_KEYDIR_BIDI = -1,		/* not given: bidirectional */
	MVPN_KEYDIR_NORMAL = 0,
	MVPN_KEYDIR_INVERSE = 1,
};

enum mvpn_tls_crypt_v2_cookie {
	MVPN_TLS_CRYPT_V2_DEFAULT = 0,
	MVPN_TLS_CRYPT_V2_FORCE_COOKIE,		/* server: force-cookie */
	MVPN_TLS_CRYPT_V2_ALLOW_NONCOOKIE,	/* server: allow-noncookie */
};

#define MVPN_SHA256_LEN 32

/* ---- data channel --------------------------------------------------------- */

/* Data-channel ciphers we know by name (canonical OpenVPN spelling in
 * config_cipher_name()).  Only the AEAD ones are implemented by the data
 * planes; the others are accepted in lists so real configs parse, and the
 * engine skips them. */
enum mvpn_cipher {
	MVPN_CIPHER_UNSET = 0,
	MVPN_CIPHER_AES_128_GCM,
	MVPN_CIPHER_AES_192_GCM,
	MVPN_CIPHER_AES_256_GCM,
	MVPN_CIPHER_CHACHA20_POLY1305,
	MVPN_CIPHER_AES_128_CBC,
	MVPN_CIPHER_AES_192_CBC,
	MVPN_CIPHER_AES_256_CBC,
	MVPN_CIPHER_BF_CBC,
	MVPN_CIPHER_NONE,		/* "none": no encryption */
	MVPN_CIPHER_COUNT,
};

enum mvpn_digest {
	MVPN_DIGEST_UNSET = 0,
	MVPN_DIGEST_MD5,
	MVPN_DIGEST_SHA1,		/* default */
	MVPN_DIGEST_SHA224,
	MVPN_DIGEST_SHA256,
	MVPN_DIGEST_SHA384,
	MVPN_DIGEST_SHA512,
	MVPN_DIGEST_NONE,
	MVPN_DIGEST_COUNT,
};

#define MVPN_MAX_DATA_CIPHERS 16

/* Compression (openvpn-protocol.md §12). */
enum mvpn_comp {
	MVPN_COMP_NONE = 0,		/* no compression option at all */
	MVPN_COMP_LZO_NO,		/* comp-lzo no: 0xFA framing */
	MVPN_COMP_LZO_YES,		/* comp-lzo / comp-lzo yes */
	MVPN_COMP_LZO_ADAPTIVE,		/* comp-lzo adaptive */
	MVPN_COMP_LZO,			/* compress lzo */
	MVPN_COMP_STUB,			/* compress / compress stub */
	MVPN_COMP_STUB_V2,		/* compress stub-v2 */
	MVPN_COMP_LZ4,			/* compress lz4 */
	MVPN_COMP_LZ4_V2,		/* compress lz4-v2 */
	MVPN_COMP_MIGRATE,		/* compress migrate (server) */
};

enum mvpn_allow_comp {
	MVPN_ALLOW_COMP_NO = 0,		/* default: stub framing only, never compress */
	MVPN_ALLOW_COMP_ASYM,		/* decompress incoming, never compress outgoing */
	MVPN_ALLOW_COMP_YES,
};

/* ---- routing --------------------------------------------------------------- */

/* Special values OpenVPN accepts in place of an address in `route`. */
enum mvpn_route_addr {
	MVPN_RADDR_IP = 0,		/* the in_addr field holds it */
	MVPN_RADDR_DEFAULT,		/* not given / "default": decided at apply time */
	MVPN_RADDR_VPN_GATEWAY,		/* "vpn_gateway" */
	MVPN_RADDR_NET_GATEWAY,		/* "net_gateway" */
	MVPN_RADDR_REMOTE_HOST,		/* "remote_host" */
};

struct mvpn_route4 {
	enum mvpn_route_addr net_kind;	/* IP, VPN_GATEWAY, NET_GATEWAY or REMOTE_HOST */
	struct in_addr net;
	struct in_addr mask;		/* default 255.255.255.255 */
	enum mvpn_route_addr gw_kind;	/* DEFAULT when not given */
	struct in_addr gw;
	int metric;			/* MVPN_UNSET: use route-metric */
	bool pushed;			/* came from PUSH_REPLY */
};

struct mvpn_route6 {
	struct in6_addr net;
	unsigned int bits;
	bool has_gw;			/* gateway given */
	struct in6_addr gw;
	int metric;			/* MVPN_UNSET: use route-metric */
	bool pushed;
};

/* redirect-gateway / redirect-private flags. */
enum {
	MVPN_REDIR_ENABLED	= 1u << 0,	/* the directive was given */
	MVPN_REDIR_LOCAL	= 1u << 1,
	MVPN_REDIR_AUTOLOCAL	= 1u << 2,
	MVPN_REDIR_DEF1		= 1u << 3,
	MVPN_REDIR_BYPASS_DHCP	= 1u << 4,
	MVPN_REDIR_BYPASS_DNS	= 1u << 5,
	MVPN_REDIR_BLOCK_LOCAL	= 1u << 6,
	MVPN_REDIR_IPV6		= 1u << 7,
	MVPN_REDIR_NOT_IPV4	= 1u << 8,	/* "!ipv4" */
};

enum mvpn_dhcp_opt {
	MVPN_DHCP_DOMAIN = 0,
	MVPN_DHCP_DOMAIN_SEARCH,
	MVPN_DHCP_ADAPTER_DOMAIN_SUFFIX,
	MVPN_DHCP_DNS,			/* IPv4 or IPv6 address (2.6 accepts both) */
	MVPN_DHCP_DNS6,
	MVPN_DHCP_WINS,
	MVPN_DHCP_NBDD,
	MVPN_DHCP_NTP,
	MVPN_DHCP_NBT,
	MVPN_DHCP_NBS,
	MVPN_DHCP_DISABLE_NBT,
	MVPN_DHCP_PROXY_HTTP,
	MVPN_DHCP_PROXY_AUTO_CONFIG_URL,
};

struct mvpn_dhcp_option {
	enum mvpn_dhcp_opt type;
	char *value;			/* as given; NULL for DISABLE-NBT */
	int family;			/* AF_INET/AF_INET6 for address options, else 0 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	bool pushed;
};

/* `dns server N address A [A...]` and friends (2.6 --dns). */
#define MVPN_DNS_MAX_ADDR 8
struct mvpn_dns_server {
	int priority;			/* N, may be negative */
	unsigned int n_addr;
	struct {
		int family;		/* AF_INET or AF_INET6 */
		union {
			struct in_addr v4;
			struct in6_addr v6;
		} a;
		uint16_t port;		/* 0 = default */
	} addr[MVPN_DNS_MAX_ADDR];
	char *resolve_domains;		/* space-separated list or NULL */
	char *dnssec;			/* "yes", "no", "optional" or NULL */
	char *transport;		/* "plain", "DoH", "DoT" or NULL */
	char *sni;
};

/* pull-filter accept|ignore|reject "prefix". */
enum mvpn_pull_filter_action {
	MVPN_PULL_ACCEPT = 0,
	MVPN_PULL_IGNORE,
	MVPN_PULL_REJECT,
};

struct mvpn_pull_filter {
	enum mvpn_pull_filter_action action;
	char *prefix;			/* matched against the start of the pushed option text */
};

/* ---- the resolved configuration ------------------------------------------- */

struct mvpn_config {
	/* --- mode --- */
	enum mvpn_mode mode;		/* p2p unless `mode server`/`server` */
	enum mvpn_tls_role tls_role;	/* tls-client / tls-server / none */
	bool client;			/* `client` helper given (= pull + tls-client) */
	bool pull;			/* accept pushed options (PUSH_REQUEST) */

	/* --- device --- */
	char *dev;			/* "tun", "tun0", "tap", "null", ...; default "tun" */
	enum mvpn_dev_type dev_type;	/* from dev-type, else from the dev name prefix */
	char *dev_node;			/* dev-node or NULL */
	enum mvpn_topology topology;	/* default net30 */
	bool topology_set;		/* given explicitly (or pushed) */

	/* ifconfig L R: with topology subnet R is the netmask, else the peer */
	bool has_ifconfig;
	struct in_addr ifconfig_local;
	struct in_addr ifconfig_remote_netmask;
	/* ifconfig-ipv6 ADDR/BITS REMOTE */
	bool has_ifconfig6;
	struct in6_addr ifconfig6_local;
	unsigned int ifconfig6_bits;
	struct in6_addr ifconfig6_remote;
	bool ifconfig_noexec;		/* do not configure addresses */
	bool route_noexec;		/* do not install routes */

	/* --- routes --- */
	struct mvpn_route4 *routes;
	size_t n_routes;
	struct mvpn_route6 *routes6;
	size_t n_routes6;
	bool has_route_gateway;		/* route-gateway given */
	bool route_gateway_dhcp;	/* `route-gateway dhcp` */
	struct in_addr route_gateway;
	bool has_route_ipv6_gateway;
	struct in6_addr route_ipv6_gateway;
	int route_metric;		/* default metric, MVPN_UNSET = 0/kernel default */
	bool route_nopull;		/* ignore pushed routes and dhcp-options */
	unsigned int redirect_gateway;	/* MVPN_REDIR_* flags, 0 = not given */
	unsigned int redirect_private;	/* MVPN_REDIR_* flags, 0 = not given */
	bool block_ipv6;
	int route_delay;		/* seconds; MVPN_UNSET */
	struct mvpn_dhcp_option *dhcp_options;
	size_t n_dhcp_options;
	struct mvpn_dns_server *dns_servers;
	size_t n_dns_servers;
	char **dns_search_domains;
	size_t n_dns_search_domains;
	struct mvpn_pull_filter *pull_filters;
	size_t n_pull_filters;

	/* --- transport and connection list --- */
	struct mvpn_remote *remotes;	/* in file order (shuffled later if remote_random) */
	size_t n_remotes;
	bool remote_random;
	unsigned int connect_retry_max;	/* `connect-retry-max N`: tries per entry, 0 = unlimited */
	bool remote_random_hostname;
	bool float_;			/* `float` */
	int resolv_retry;		/* seconds; -1 = infinite (default in OpenVPN: infinite) */
	bool persist_key;
	bool persist_tun;
	bool persist_local_ip;
	bool persist_remote_ip;
	/* proto-force: restrict the connection list to one transport */
	bool has_proto_force;
	enum mvpn_transport proto_force;
	/* The global connection-level settings resolved as one entry (host is
	 * NULL): what applies when there is no remote at all (a p2p listener or
	 * a server), and the target of pushed tun-mtu, mssfix and
	 * explicit-exit-notify (which also update every remotes[i]). */
	struct mvpn_remote conn;

	/* --- TLS and PKI --- */
	struct mvpn_blob ca;		/* PEM text */
	struct mvpn_blob cert;		/* PEM text */
	struct mvpn_blob key;		/* PEM text (secret) */
	struct mvpn_blob extra_certs;	/* PEM text */
	struct mvpn_blob pkcs12;	/* DER bytes (inline base64 is decoded) */
	struct mvpn_blob crl;		/* crl-verify FILE: PEM text */
	struct mvpn_blob dh;		/* dh FILE (server); "none" leaves it empty */
	char *askpass;			/* private key password (secret), or NULL */
	bool askpass_prompt;		/* `askpass` without a file: prompt */
	enum mvpn_tls_version tls_version_min;	/* default TLS 1.2 */
	bool tls_version_min_or_highest;
	enum mvpn_tls_version tls_version_max;	/* UNSET = no maximum */
	char *tls_cipher;		/* OpenSSL cipher list (TLS <= 1.2), or NULL */
	char *tls_ciphersuites;		/* TLS 1.3 suites, or NULL */
	char *tls_groups;		/* colon-separated groups, or NULL */
	char *ecdh_curve;		/* ecdh-curve (deprecated), or NULL */
	char *tls_cert_profile;		/* legacy|preferred|suiteb|insecure, or NULL */
	enum mvpn_remote_cert_tls remote_cert_tls;
	/* remote-cert-ku: hex key usage values, any of which must match */
	uint16_t remote_cert_ku[16];
	size_t n_remote_cert_ku;
	bool remote_cert_ku_set;	/* given (possibly without values: "any KU") */
	char *remote_cert_eku;		/* OID or name, or NULL */
	enum mvpn_x509_name_type verify_x509_type;
	char *verify_x509_name;		/* the value to compare, or NULL */
	uint8_t (*peer_fingerprints)[MVPN_SHA256_LEN];	/* SHA-256 of peer certs */
	size_t n_peer_fingerprints;
	enum mvpn_tls_wrap tls_wrap;	/* the wrapper a client uses; a server may
					 * also hold tls-auth or tls-crypt next to
					 * tls-crypt-v2 (then tls_wrap = TLS_CRYPT_V2) */
	struct mvpn_blob tls_auth;	/* static key file text (secret) */
	struct mvpn_blob tls_crypt;	/* static key file text (secret) */
	struct mvpn_blob tls_crypt_v2;	/* client (or server) key PEM (secret) */
	enum mvpn_tls_crypt_v2_cookie tls_crypt_v2_cookie;
	enum mvpn_key_direction key_direction;	/* tls-auth direction / secret direction */
	int tls_timeout;		/* seconds, default 2 */
	int hand_window;		/* seconds, default 60 */
	int tran_window;		/* seconds, default 3600 */
	int reneg_sec;			/* seconds, default 3600; 0 = off */
	int reneg_sec_min;		/* `reneg-sec max min`; MVPN_UNSET */
	int64_t reneg_bytes;		/* MVPN_UNSET = off */
	int64_t reneg_pkts;		/* MVPN_UNSET = off */
	int verify_client_cert;		/* server: 0 none, 1 optional, 2 require (default) */

	/* --- static key mode --- */
	struct mvpn_blob secret;	/* `secret FILE [dir]` (secret) */

	/* --- data channel --- */
	enum mvpn_cipher cipher;	/* `cipher`; UNSET when not given */
	enum mvpn_cipher data_ciphers[MVPN_MAX_DATA_CIPHERS];	/* NCP list, in order */
	size_t n_data_ciphers;		/* default AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305 */
	enum mvpn_cipher data_ciphers_fallback;	/* UNSET when not given */
	enum mvpn_digest auth;		/* data (CBC) and tls-auth HMAC digest, default SHA1 */
	int replay_window;		/* packets, default 64 */
	int replay_window_time;		/* seconds, default 15 */
	bool no_replay;
	bool mute_replay_warnings;
	enum mvpn_comp comp;
	bool comp_noadapt;
	enum mvpn_allow_comp allow_compression;

	/* --- MTU (tun-mtu, link-mtu, mssfix, fragment are per connection) --- */
	int tun_mtu_extra;		/* MVPN_UNSET; tap default 32 */
	int mtu_disc;			/* MVPN_UNSET, or 0 no / 1 maybe / 2 yes */

	/* --- timers --- */
	int ping;			/* seconds, 0 = off (default) */
	int ping_restart;		/* seconds, 0 = off */
	int ping_exit;			/* seconds, 0 = off */
	bool ping_timer_rem;
	int keepalive_interval;		/* `keepalive A B`: A, or 0 when not given */
	int keepalive_timeout;		/* B */
	int inactive;			/* seconds, 0 = off */
	int64_t inactive_bytes;		/* 0 = any traffic */
	int session_timeout;		/* seconds, 0 = off */

	/* --- authentication --- */
	bool auth_user_pass;		/* send username/password */
	bool auth_user_pass_prompt;	/* no file: ask on the terminal/management */
	char *username;			/* from the file or inline block (secret) */
	char *password;			/* (secret); NULL when only a username was given */
	enum mvpn_auth_retry {
		MVPN_AUTH_RETRY_NONE = 0,	/* AUTH_FAILED is fatal (default) */
		MVPN_AUTH_RETRY_NOINTERACT,	/* retry with the same credentials */
		MVPN_AUTH_RETRY_INTERACT,	/* ask again, then retry */
	} auth_retry;
	bool auth_nocache;
	char *static_challenge;		/* text or NULL */
	bool static_challenge_echo;

	/* --- pushed-only state (filled by config_apply_push) --- */
	int peer_id;			/* MVPN_UNSET, else 0..0xFFFFFF */
	bool key_derivation_tls_ekm;	/* `key-derivation tls-ekm` or protocol-flags tls-ekm */
	bool protocol_cc_exit;		/* protocol-flags cc-exit */
	bool protocol_dyn_tls_crypt;	/* protocol-flags dyn-tls-crypt */
	char *auth_token;		/* (secret) or NULL */
	char *auth_token_user;		/* base64 user name, or NULL */
	bool pushed_cipher;		/* cipher came from the push */
	bool push_received;		/* at least one PUSH_REPLY applied */

	/* --- server side (parsed; server mode comes later) --- */
	bool has_server;		/* `server NET MASK [nopool]` */
	struct in_addr server_net;
	struct in_addr server_mask;
	bool server_nopool;
	bool has_server6;		/* `server-ipv6 NET/BITS` */
	struct in6_addr server6_net;
	unsigned int server6_bits;
	char **push;			/* `push "..."` option texts, in order */
	size_t n_push;
	bool client_to_client;
	bool duplicate_cn;
	int max_clients;		/* default 1024 */

	/* --- misc --- */
	int verb;			/* default 1 */
	int mute;			/* default 0 */
	char *user;			/* drop privileges to this user, or NULL */
	char *group;
	int mark;			/* SO_MARK for the socket, 0 = none */
	int sndbuf, rcvbuf;		/* 0 = default */
	int txqueuelen;			/* 0 = default */
	bool passtos;
	bool tcp_nodelay;

	/* Warnings gathered while parsing ("FILE:LINE: ..."), for the log. */
	char **warnings;
	size_t n_warnings;

	/* internal: parser bookkeeping needed by config_dup/config_apply_push */
	struct mvpn_config_priv *priv;
};

/* ---- API ------------------------------------------------------------------ */

/* One error: where and what.  text is "FILE:LINE: message" (or
 * "FILE: message" when line is 0). */
struct mvpn_config_error {
	char file[256];
	unsigned int line;
	char text[768];
};

/*
 * File reads go through this callback.  On success it stores a malloc()ed
 * buffer in *buf (the parser owns it afterwards, zeroes and frees it) and its
 * length in *len and returns 0.  On failure it returns -1 and writes a short
 * reason ("No such file or directory") into err.
 * path is already resolved against the config's directory.
 */
typedef int (*mvpn_read_file_fn)(void *ctx, const char *path, uint8_t **buf, size_t *len,
				 char *err, size_t errlen);

/*
 * Called right after read_file returned a file that holds a secret (the
 * argument of key, pkcs12, secret, tls-auth, tls-crypt, tls-crypt-v2,
 * auth-user-pass, askpass).  Returns 0 to accept it, or -1 with a reason in
 * err (one sentence saying how to fix it) to refuse it; the parser reports
 * the reason at the directive's line.
 */
typedef int (*mvpn_check_secret_fn)(void *ctx, const char *path, char *err, size_t errlen);

struct mvpn_config_io {
	mvpn_read_file_fn read_file;	/* NULL: every file reference is an error */
	void *ctx;
	/* Directory that relative paths are resolved against (the config
	 * file's directory); NULL or "" = leave relative paths unchanged. */
	const char *base_dir;
	mvpn_check_secret_fn check_secret;	/* NULL: secret files are not checked */
};

/* Line-fed parser.  name is used in messages ("client.conf"). */
struct mvpn_config_parser;

struct mvpn_config_parser *config_parser_new(const char *name, const struct mvpn_config_io *io);

/* Feed one line (without or with its "\n"/"\r\n"; len bytes, need not be
 * NUL-terminated; embedded NULs are an error).  Returns 0, or -1 with err
 * filled; after an error the parser only accepts config_parser_free(). */
int config_parser_line(struct mvpn_config_parser *p, const char *line, size_t len,
		       struct mvpn_config_error *err);

/* End of input: validate, resolve defaults and conflicts.  Returns the new
 * config (caller frees with config_free) or NULL with err filled.  The
 * parser must still be freed. */
struct mvpn_config *config_parser_finish(struct mvpn_config_parser *p,
					 struct mvpn_config_error *err);

void config_parser_free(struct mvpn_config_parser *p);

/* Convenience: parse a whole buffer (lines split on "\n"). */
struct mvpn_config *config_parse_buffer(const char *name, const char *buf, size_t len,
					const struct mvpn_config_io *io,
					struct mvpn_config_error *err);

/* Read FILE from disk and parse it; relative paths in it are resolved
 * against FILE's directory (config_file.c, the only part doing I/O).
 * A referenced file holding a secret (private key, pkcs12, static key,
 * tls-auth/tls-crypt/tls-crypt-v2 key, auth-user-pass or askpass file) is
 * refused when its group or others have any access to it (mode & 077), as
 * ssh does with private keys; a config file that other users can read and
 * that holds a secret inline gets a warning. */
struct mvpn_config *config_load_file(const char *path, struct mvpn_config_error *err);

/* config_load_file() with flags. */
enum {
	/* accept secret files that other users can read (mvpnd
	 * --allow-insecure-key-files): a warning instead of an error */
	CONFIG_LOAD_ALLOW_INSECURE_KEY_FILES = 1u << 0,
};
struct mvpn_config *config_load_file_flags(const char *path, unsigned int flags,
					   struct mvpn_config_error *err);

/* Deep copy (e.g. to apply a push to a copy and keep the pre-pull config
 * for the next reconnect).  NULL on allocation failure. */
struct mvpn_config *config_dup(const struct mvpn_config *cfg);

/* Free everything, zeroing secrets (keys, passwords, tokens) first. */
void config_free(struct mvpn_config *cfg);

/*
 * Apply one PUSH_REPLY control message ("PUSH_REPLY,opt,opt,..."; the
 * "PUSH_REPLY" prefix is optional; len bytes, trailing NULs are allowed).
 * Options are separated by commas and each is parsed like a config line.
 * pull-filter is applied first (first match wins; reject fails the push),
 * then route-nopull (drops routes and DNS options).  An option a server may
 * not push (ca, remote, up, ...) is an error; an option unknown to mvpn is
 * skipped with a warning, as OpenVPN does.  Warnings are appended to
 * cfg->warnings ("PUSH_REPLY:N: ..."): log those past the count you saw.
 * Returns 1 when more parts follow (`push-continuation 2`), 0 when the push
 * is complete, -1 on error (err->file is "PUSH_REPLY", err->line the index
 * of the option, counting from 1, or 0 for a check of the whole reply).
 * When complete: a pushed cipher must be in data-ciphers or be
 * data-ciphers-fallback; pushed real compression needs allow-compression
 * yes or asym.  Apply pushes to a config_dup() of the local config and keep
 * the original for the next connection, as OpenVPN restores its pre-pull
 * options.
 */
int config_apply_push(struct mvpn_config *cfg, const char *msg, size_t len,
		      struct mvpn_config_error *err);

/* Print the resolved config in a human-readable form, without secrets
 * (key material is shown as "<inline, N bytes>" or "FILE (N bytes)"). */
void config_print(FILE *f, const struct mvpn_config *cfg);

/* Canonical OpenVPN names ("AES-256-GCM", "SHA256"); "?" for out-of-range. */
const char *config_cipher_name(enum mvpn_cipher c);
const char *config_digest_name(enum mvpn_digest d);
/* true for AES-GCM and CHACHA20-POLY1305. */
bool config_cipher_is_aead(enum mvpn_cipher c);

/*
 * Decode an OpenVPN static key file (tls-auth, tls-crypt, secret): hex
 * between the "-----BEGIN OpenVPN Static key V1-----" armour lines, exactly
 * 256 bytes.  Returns 0, or -1 with a reason in err.
 */
int config_static_key_decode(const struct mvpn_blob *b, uint8_t out[256], char *err,
			     size_t errlen);

/* Print the table of accepted-and-ignored directives with the reason each
 * is harmless (the documentation is generated from the parser's table). */
void config_print_ignored(FILE *f);

#endif
