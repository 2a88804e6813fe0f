/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * config_int.h: internals shared by config_lex.c, config.c, config_push.c,
 * config_print.c and config_mem.c.  Not part of the public API.
 */
#ifndef MVPN_CONFIG_INT_H
#define MVPN_CONFIG_INT_H

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>

#include "config.h"

/* OpenVPN allows 16 tokens on a line (MAX_PARMS); so do we, but say so
 * instead of silently dropping the rest. */
#define CFG_MAX_ARGS 16
/* Longest line we accept (OpenVPN's limit is 256; inline blocks are not
 * lines and have their own limit). */
#define CFG_MAX_LINE 4096
/* Largest inline block or referenced file. */
#define CFG_MAX_BLOB (1u << 20)
/* Nesting bound for `config` includes. */
#define CFG_MAX_INCLUDE 10

/*
 * Split one line into tokens the way OpenVPN's parse_line() does.
 * line need not be NUL-terminated; a trailing "\n" or "\r\n" is ignored.
 * Tokens are written NUL-terminated into store (at least len + CFG_MAX_ARGS
 * + 1 bytes) and pointed to by argv.  Returns the token count (0 for a
 * blank or comment line) or -1 with a message in err.
 */
int cfg_tokenize(const char *line, size_t len, char *store, size_t storelen,
		 char *argv[CFG_MAX_ARGS], char *err, size_t errlen);

/* Connection-level settings while parsing: the public values plus what was
 * given explicitly, which decides the defaults at the end. */
enum cfg_proto {
	CFG_PROTO_UDP = 0,
	CFG_PROTO_TCP_CLIENT,
	CFG_PROTO_TCP_SERVER,
	CFG_PROTO_TCP,		/* plain "tcp": client or server decided by mode */
};

struct cfg_ce {
	char *local;
	uint16_t lport, rport;
	enum cfg_proto proto;
	enum mvpn_af af;
	bool lport_set, rport_set, bind_set, nobind;
	unsigned int connect_retry, connect_retry_wait_max, connect_timeout;
	int explicit_exit_notify;
	int tun_mtu, link_mtu;
	bool tun_mtu_set, link_mtu_set;
	int mssfix;
	bool mssfix_default, mssfix_mtu, mssfix_fixed;
	int fragment;
	bool fragment_mtu;
	/* last values of port/lport/rport, for the override warning */
	unsigned int port_line, lport_line, rport_line;
};

/* A `remote` line outside <connection>: resolved at the end against the
 * final global settings, as OpenVPN does. */
struct cfg_pending_remote {
	char *host;
	int port;		/* -1: use rport */
	int proto;		/* -1: use proto, else enum cfg_proto */
	enum mvpn_af af;
	unsigned int line;
};

/* An `[inline]` file argument waiting for its <tag> block. */
struct cfg_pending_inline {
	char tag[32];
	unsigned int line;
};

/* Parser bookkeeping that lives as long as the config (push needs some). */
struct mvpn_config_priv {
	/* which directives were given, for conflicts and defaults */
	bool keepalive_set;
	bool ping_set, ping_restart_set, ping_exit_set;
	bool mode_server_set;
	bool tls_client_set, tls_server_set;
	bool secret_set;
	bool cipher_unknown;		/* `cipher` named something we lack */
	char cipher_name[64];		/* as given, for messages */
	bool data_ciphers_set;
	bool allow_pull_fqdn;
	bool connection_blocks;
	bool key_direction_set;
	bool bind_nobind_conflict;
	bool ifconfig_pool_set;
	bool push_continuation_pending;
	bool ncp_disable;
	bool dev_type_set;
	bool proto_force_any_tcp;	/* proto-force tcp: either TCP role */
	bool dh_none;
	bool allow_compression_set;
	unsigned int ignore_unknown_n;
	char **ignore_unknown;		/* ignore-unknown-option names */
};

/* ---- directive dispatch (config.c tables, config_parser.c driver) ---------- */

enum cfg_where {
	CTX_FILE = 0,	/* top level of a config file */
	CTX_CONN,	/* inside <connection> */
	CTX_PUSH,	/* one option of PUSH_REPLY */
};

struct cfg_conn_entry;

/* Everything a directive handler sees. */
struct dctx {
	struct mvpn_config_parser *p;	/* NULL for a push */
	struct mvpn_config *cfg;
	struct cfg_ce *ce;		/* connection-level settings being set */
	struct cfg_conn_entry *conn;	/* the <connection> block being read, or NULL */
	const char *file;
	unsigned int line;
	int argc;
	char **argv;			/* argv[0] is the directive */
	bool is_inline;			/* argv[1] is an inline block's text */
	const char *inl;		/* that text and its length */
	size_t inl_len;
	enum cfg_where where;
	struct mvpn_config_error *err;
};

enum {
	DF_CONN = 1u << 0,	/* allowed inside <connection> */
	DF_PUSH = 1u << 1,	/* may be pushed */
	DF_PUSH_ONLY = 1u << 2,	/* only from a push */
	DF_INLINE = 1u << 3,	/* may be an inline block */
	DF_ROUTE = 1u << 4,	/* filtered from pushes by route-nopull */
	DF_GLOBAL = 1u << 5,	/* allowed in <connection> but sets a global value */
};

struct directive {
	const char *name;
	const char *usage;	/* argument synopsis for messages */
	int min, max;		/* argument count, not counting the name */
	unsigned int flags;	/* DF_* */
	int (*fn)(struct dctx *d, const struct directive *de);
	size_t off;		/* field for the generic handlers */
	long lo, hi;		/* range for h_int */
};

enum {
	IG_PUSH = 1u << 0,	/* also ignored (with a warning) when pushed */
	IG_ROUTE = 1u << 1,	/* a DNS/route class option (route-nopull) */
};

struct ignored_directive {
	const char *name;
	unsigned int flags;
	const char *reason;
};

extern const struct directive cfg_directives_net[];	/* config.c */
extern const struct directive cfg_directives_crypto[];	/* config_tls.c */
extern const struct directive cfg_directives_route[];	/* config_route.c */

/* All implemented directives, as one list (config_tables.c). */
size_t cfg_directive_count(void);
const struct directive *cfg_directive_at(size_t i);
const struct directive *cfg_directive_find(const char *name, size_t *index);
extern const struct ignored_directive cfg_ignored[];
extern const struct ignored_directive cfg_unsupported[];

/* config.c */
int cfg_err(struct dctx *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cfg_warn(struct dctx *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool cfg_parse_long(const char *s, long lo, long hi, long *out);
int cfg_arg_long(struct dctx *d, int i, long lo, long hi, long *out);
int cfg_arg_int(struct dctx *d, int i, long lo, long hi, int *out);
int cfg_set_str(struct dctx *d, char **field, const char *v);
void *cfg_grow(void *arr, size_t n, size_t size);
bool cfg_parse_in4(const char *s, struct in_addr *a);
/* ADDR or ADDR/BITS (need_bits: the /BITS is required); bits may be NULL */
bool cfg_parse_in6_bits(const char *s, struct in6_addr *a, unsigned int *bits, bool need_bits);
bool cfg_mask_ok(struct in_addr m);	/* a contiguous netmask */
int cfg_h_flag(struct dctx *d, const struct directive *de);
int cfg_h_int(struct dctx *d, const struct directive *de);
int cfg_h_str(struct dctx *d, const struct directive *de);

/* Table helpers: the field a generic handler sets, its offset, "any count". */
#define FIELD(d, de, type) ((type *)((char *)(d)->cfg + (de)->off))
#define OFF(f) offsetof(struct mvpn_config, f)
#define N INT_MAX

/* Append a zeroed element to a growable array; NULL on OOM. */
#define APPEND(d, arr, n) ({							\
	__typeof__(arr) _a = cfg_grow((arr), (n), sizeof(*(arr)));			\
	if (_a) {								\
		(arr) = _a;							\
		memset(&(arr)[(n)], 0, sizeof(*(arr)));				\
	}									\
	_a ? &(arr)[(n)++] : NULL;						\
})

void config_print_unsupported(FILE *f);
void config_print_directives(FILE *f);

/* config_parser.c: services for handlers */
int cfg_dispatch(struct dctx *d);
int cfg_load_ref(struct dctx *d, struct mvpn_blob *b, bool binary);
int cfg_add_remote(struct dctx *d, struct cfg_pending_remote *r);
int cfg_connection_block(struct dctx *d);
int cfg_change_dir(struct dctx *d, const char *dir);
int cfg_include(struct dctx *d, const char *path);
void cfg_ce_init(struct cfg_ce *ce);
void cfg_ce_clear(struct cfg_ce *ce);

/* config_parser.c: what config_finish.c needs from the parser */
struct mvpn_config *cfg_parser_cfg(struct mvpn_config_parser *p);
const char *cfg_parser_name(struct mvpn_config_parser *p);
struct cfg_ce *cfg_parser_gce(struct mvpn_config_parser *p);
size_t cfg_parser_remotes(struct mvpn_config_parser *p, struct cfg_pending_remote **r);
size_t cfg_parser_conns(struct mvpn_config_parser *p, size_t i, struct cfg_ce **ce,
			struct cfg_pending_remote **r, unsigned int *line);
unsigned int cfg_parser_where(struct mvpn_config_parser *p, const char *name, const char **file);

/* config_finish.c */
struct mvpn_config *cfg_finish(struct mvpn_config_parser *p, struct mvpn_config_error *err);

/* Duplicate n bytes as a NUL-terminated string; NULL on OOM. */
char *cfg_strndup(const char *s, size_t n);
/* Zero and free a string (secrets). */
void cfg_free_secret(char *s);
/* Zero and free a blob's bytes and its path. */
void cfg_blob_clear(struct mvpn_blob *b);

/* Names of enum values, shared by the printer. */
const char *cfg_transport_name(enum mvpn_transport t, enum mvpn_af af);
const char *cfg_comp_name(enum mvpn_comp c);
const char *cfg_dhcp_name(enum mvpn_dhcp_opt t);
const char *cfg_tls_version_name(enum mvpn_tls_version v);

/* Parse a config-style line inside PUSH_REPLY (config_push.c uses the
 * directive table of config.c through this). */
int cfg_apply_pushed_option(struct mvpn_config *cfg, const char *opt, size_t len,
			    unsigned int index, struct mvpn_config_error *err);

/* Append a formatted warning to cfg->warnings (best effort). */
void cfg_add_warning(struct mvpn_config *cfg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Fill err with "FILE:LINE: msg". */
void cfg_set_error(struct mvpn_config_error *err, const char *file, unsigned int line,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
