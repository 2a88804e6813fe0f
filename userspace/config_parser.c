// SPDX-License-Identifier: BSD-2-Clause
/*
 * config_parser.c: the line-fed driver of the config parser.
 *
 * Lines come in one at a time.  A line holding a single token "<tag>"
 * opens an inline block: the following lines are collected verbatim until
 * one whose first non-blank text is "</tag>", and the whole text is then
 * handed to the directive "tag" as its argument (OpenVPN's rule).  An
 * argument "[inline]" in place of a file name defers to such a block
 * anywhere in the same file.  <connection> blocks are parsed here as a
 * nested config limited to connection-level directives.  `config FILE`
 * includes and `cd DIR` go through the same injected read_file callback:
 * this file performs no I/O.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

/* A <connection> block: its connection-level settings and its remote. */
struct cfg_conn_entry {
	struct cfg_ce ce;
	struct cfg_pending_remote r;
	bool has_remote;
	unsigned int line;
};

/* One input stream: the top-level config or an included file. */
struct cfg_source {
	const char *file;
	unsigned int line;
	bool in_block;
	char tag[64];
	unsigned int block_line;
	char *block;
	size_t block_len, block_cap;
};

struct mvpn_config_parser {
	char *name;
	struct mvpn_config_io io;
	char *base_dir;			/* relative paths resolve here (cd changes it) */
	struct mvpn_config *cfg;
	struct cfg_ce gce;		/* global connection-level settings */
	struct cfg_pending_remote *remotes;	/* `remote` lines at top level */
	size_t n_remotes;
	struct cfg_conn_entry *conns;	/* <connection> blocks */
	size_t n_conns;
	struct cfg_pending_inline *pending;	/* [inline] waiting for a block */
	size_t n_pending;
	char (*seen_blocks)[32];	/* tags of inline blocks already read */
	size_t n_seen_blocks;
	char **names;			/* file names of includes, for messages */
	size_t n_names;
	struct cfg_source top;
	int depth;			/* include nesting */
	bool failed;
	/* line of the last occurrence of each directive (cfg_directive_at() index) */
	struct cfg_loc { const char *file; unsigned int line; } *loc;
	size_t n_directives;
};

/* Release a source's block buffer, which may hold key material. */
static void source_free(struct cfg_source *src)
{
	if (src->block) {
		explicit_bzero(src->block, src->block_cap);
		free(src->block);
	}
	src->block = NULL;
	src->block_len = src->block_cap = 0;
}

/* ---- helpers shared with config_finish.c ---------------------------------- */

void cfg_ce_init(struct cfg_ce *ce)
{
	memset(ce, 0, sizeof(*ce));
	ce->lport = ce->rport = 1194;
	ce->proto = CFG_PROTO_UDP;
	ce->af = MVPN_AF_ANY;
	ce->connect_retry = 1;
	ce->connect_retry_wait_max = 300;
	ce->connect_timeout = 120;
	ce->tun_mtu = 1500;
	ce->link_mtu = MVPN_UNSET;
	ce->mssfix_default = true;
	ce->mssfix_mtu = true;
}

void cfg_ce_clear(struct cfg_ce *ce)
{
	free(ce->local);
	ce->local = NULL;
}

static int ce_copy(struct cfg_ce *dst, const struct cfg_ce *src)
{
	*dst = *src;
	dst->local = NULL;
	if (src->local && !(dst->local = strdup(src->local)))
		return -1;
	return 0;
}

/* ---- creation ------------------------------------------------------------- */

static struct mvpn_config *config_new(void)
{
	struct mvpn_config *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->priv = calloc(1, sizeof(*c->priv));
	if (!c->priv) {
		free(c);
		return NULL;
	}
	c->topology = MVPN_TOPOLOGY_NET30;
	c->route_metric = MVPN_UNSET;
	c->route_delay = MVPN_UNSET;
	c->resolv_retry = -1;
	c->tls_version_min = MVPN_TLS_1_2;
	c->key_direction = MVPN_KEYDIR_BIDI;
	c->tls_timeout = 2;
	c->hand_window = 60;
	c->tran_window = 3600;
	c->reneg_sec = 3600;
	c->reneg_sec_min = MVPN_UNSET;
	c->reneg_bytes = MVPN_UNSET;
	c->reneg_pkts = MVPN_UNSET;
	c->verify_client_cert = 2;
	c->auth = MVPN_DIGEST_SHA1;
	c->replay_window = 64;
	c->replay_window_time = 15;
	c->tun_mtu_extra = MVPN_UNSET;
	c->mtu_disc = MVPN_UNSET;
	c->peer_id = MVPN_UNSET;
	c->max_clients = 1024;
	c->verb = 1;
	return c;
}

struct mvpn_config_parser *config_parser_new(const char *name, const struct mvpn_config_io *io)
{
	struct mvpn_config_parser *p = calloc(1, sizeof(*p));
	size_t n = 0;

	if (!p)
		return NULL;
	n = cfg_directive_count();
	p->n_directives = n;
	p->name = strdup(name ? name : "config");
	p->cfg = config_new();
	p->loc = calloc(n, sizeof(*p->loc));
	if (io)
		p->io = *io;
	p->base_dir = strdup(io && io->base_dir ? io->base_dir : "");
	if (!p->name || !p->cfg || !p->loc || !p->base_dir) {
		config_parser_free(p);
		return NULL;
	}
	p->io.base_dir = NULL;	/* we own base_dir */
	cfg_ce_init(&p->gce);
	p->top.file = p->name;
	return p;
}

void config_parser_free(struct mvpn_config_parser *p)
{
	if (!p)
		return;
	config_free(p->cfg);
	cfg_ce_clear(&p->gce);
	for (size_t i = 0; i < p->n_remotes; i++)
		free(p->remotes[i].host);
	free(p->remotes);
	for (size_t i = 0; i < p->n_conns; i++) {
		cfg_ce_clear(&p->conns[i].ce);
		free(p->conns[i].r.host);
	}
	free(p->conns);
	free(p->pending);
	free(p->seen_blocks);
	for (size_t i = 0; i < p->n_names; i++)
		free(p->names[i]);
	free(p->names);
	source_free(&p->top);
	free(p->loc);
	free(p->base_dir);
	free(p->name);
	free(p);
}

/* ---- files ---------------------------------------------------------------- */

/* path resolved against the current base directory; malloc()ed */
static char *resolve_path(struct mvpn_config_parser *p, const char *path)
{
	size_t bl = strlen(p->base_dir), pl = strlen(path);
	char *out;

	if (path[0] == '/' || bl == 0)
		return strdup(path);
	out = malloc(bl + pl + 2);
	if (!out)
		return NULL;
	memcpy(out, p->base_dir, bl);
	if (p->base_dir[bl - 1] != '/')
		out[bl++] = '/';
	memcpy(out + bl, path, pl + 1);
	return out;
}

/*
 * A token no directive looks like: a long run of base64 or hex, such as a
 * line of a key whose inline block's opening tag is missing or misspelt.
 * Error messages must not quote it.
 */
static bool looks_like_key_material(const char *t)
{
	size_t n = strlen(t);

	if (n < 24)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = t[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '/' || c == '='))
			return false;
	}
	return true;
}

/* Directives whose file argument holds a secret (io.check_secret). */
static bool holds_secret(const char *directive)
{
	static const char *const names[] = {
		"key", "pkcs12", "secret", "tls-auth", "tls-crypt", "tls-crypt-v2",
		"auth-user-pass", "askpass",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(directive, names[i]) == 0)
			return true;
	return false;
}

/* Read a file through the callback into a NUL-terminated blob. */
static int read_ref(struct dctx *d, const char *path, struct mvpn_blob *out)
{
	struct mvpn_config_parser *p = d->p;
	char why[512] = "";
	uint8_t *buf = NULL;
	size_t len = 0;
	char *full;
	uint8_t *data;

	if (!p)
		return cfg_err(d, "cannot read files from a push");
	if (!path[0])
		return cfg_err(d, "empty file name");
	if (!p->io.read_file)
		return cfg_err(d, "cannot read '%s': no file access here (use an inline block)", path);
	full = resolve_path(p, path);
	if (!full)
		return cfg_err(d, "out of memory");
	if (p->io.read_file(p->io.ctx, full, &buf, &len, why, sizeof(why))) {
		cfg_err(d, "cannot read '%s': %s", full, why[0] ? why : "error");
		free(full);
		return -1;
	}
	if (len > CFG_MAX_BLOB) {
		explicit_bzero(buf, len);
		free(buf);
		cfg_err(d, "'%s' is larger than %u bytes", full, CFG_MAX_BLOB);
		free(full);
		return -1;
	}
	if (p->io.check_secret && holds_secret(d->argv[0]) &&
	    p->io.check_secret(p->io.ctx, full, why, sizeof(why))) {
		if (buf) {
			explicit_bzero(buf, len);
			free(buf);
		}
		cfg_err(d, "%s", why[0] ? why : "refused");
		free(full);
		return -1;
	}
	/* copy to add the NUL; the callback's buffer is zeroed (it may be a key) */
	data = malloc(len + 1);
	if (data) {
		if (len)
			memcpy(data, buf, len);
		data[len] = 0;
	}
	if (buf) {
		explicit_bzero(buf, len);
		free(buf);
	}
	if (!data) {
		free(full);
		return cfg_err(d, "out of memory");
	}
	cfg_blob_clear(out);
	out->data = data;
	out->len = len;
	out->path = full;
	return 0;
}

static bool block_seen(struct mvpn_config_parser *p, const char *tag)
{
	for (size_t i = 0; i < p->n_seen_blocks; i++)
		if (strcmp(p->seen_blocks[i], tag) == 0)
			return true;
	return false;
}

int cfg_load_ref(struct dctx *d, struct mvpn_blob *b, bool binary)
{
	(void)binary;	/* files are bytes either way; inline text is decoded by the caller */
	if (d->is_inline) {
		uint8_t *data = malloc(d->inl_len + 1);

		if (!data)
			return cfg_err(d, "out of memory");
		memcpy(data, d->inl, d->inl_len);
		data[d->inl_len] = 0;
		cfg_blob_clear(b);
		b->data = data;
		b->len = d->inl_len;
		return 0;
	}
	if (strcmp(d->argv[1], "[inline]") == 0) {
		struct mvpn_config_parser *p = d->p;
		struct cfg_pending_inline *pi;

		if (!p)
			return cfg_err(d, "[inline] cannot be used in a push");
		if (block_seen(p, d->argv[0]))
			return 0;	/* the block came first and is already loaded */
		pi = realloc(p->pending, (p->n_pending + 1) * sizeof(*pi));
		if (!pi)
			return cfg_err(d, "out of memory");
		p->pending = pi;
		pi = &p->pending[p->n_pending++];
		memset(pi, 0, sizeof(*pi));
		snprintf(pi->tag, sizeof(pi->tag), "%s", d->argv[0]);
		pi->line = d->line;
		return 0;
	}
	return read_ref(d, d->argv[1], b);
}

int cfg_change_dir(struct dctx *d, const char *dir)
{
	char *full = resolve_path(d->p, dir);

	if (!full)
		return cfg_err(d, "out of memory");
	free(d->p->base_dir);
	d->p->base_dir = full;
	return 0;
}

/* ---- remotes and <connection> ----------------------------------------------- */

int cfg_add_remote(struct dctx *d, struct cfg_pending_remote *r)
{
	struct mvpn_config_parser *p = d->p;
	struct cfg_pending_remote *arr;

	if (d->conn) {
		if (d->conn->has_remote) {
			free(r->host);
			return cfg_err(d, "a <connection> block holds exactly one 'remote' "
				       "(the first is on line %u)", d->conn->r.line);
		}
		d->conn->r = *r;
		d->conn->has_remote = true;
		return 0;
	}
	if (p->n_conns) {
		free(r->host);
		cfg_warn(d, "ignored: when <connection> blocks exist, OpenVPN ignores 'remote' "
			 "lines outside them");
		return 0;
	}
	arr = realloc(p->remotes, (p->n_remotes + 1) * sizeof(*arr));
	if (!arr) {
		free(r->host);
		return cfg_err(d, "out of memory");
	}
	p->remotes = arr;
	p->remotes[p->n_remotes++] = *r;
	return 0;
}

static int feed_line(struct mvpn_config_parser *p, struct cfg_source *src, const char *line,
		     size_t len, enum cfg_where where, struct cfg_ce *ce,
		     struct cfg_conn_entry *conn, struct mvpn_config_error *err);

int cfg_connection_block(struct dctx *d)
{
	struct mvpn_config_parser *p = d->p;
	struct cfg_conn_entry e = { .line = d->line };
	struct cfg_source src = { .file = d->file, .line = d->line };
	struct cfg_conn_entry *arr;
	const char *s = d->inl, *end = d->inl + d->inl_len;

	if (!p || d->where != CTX_FILE)
		return cfg_err(d, "<connection> blocks cannot be nested");
	/* a block starts from the global settings as they are at this point
	 * (OpenVPN copies them when it reads the block) */
	if (ce_copy(&e.ce, &p->gce))
		return cfg_err(d, "out of memory");
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (feed_line(p, &src, s, n, CTX_CONN, &e.ce, &e, d->err)) {
			source_free(&src);
			cfg_ce_clear(&e.ce);
			free(e.r.host);
			return -1;
		}
		s += n + (nl ? 1 : 0);
	}
	if (src.in_block) {
		source_free(&src);
		cfg_ce_clear(&e.ce);
		free(e.r.host);
		cfg_set_error(d->err, d->file, src.block_line,
			      "<%s>: inline blocks are not allowed inside <connection>", src.tag);
		return -1;
	}
	if (!e.has_remote) {
		cfg_ce_clear(&e.ce);
		return cfg_err(d, "each <connection> block must contain exactly one 'remote'");
	}
	arr = realloc(p->conns, (p->n_conns + 1) * sizeof(*arr));
	if (!arr) {
		cfg_ce_clear(&e.ce);
		free(e.r.host);
		return cfg_err(d, "out of memory");
	}
	p->conns = arr;
	p->conns[p->n_conns++] = e;
	p->cfg->priv->connection_blocks = true;
	if (p->n_remotes) {
		cfg_warn(d, "the %zu 'remote' line(s) outside <connection> blocks are ignored, "
			 "as OpenVPN does when <connection> blocks exist", p->n_remotes);
		for (size_t i = 0; i < p->n_remotes; i++)
			free(p->remotes[i].host);
		p->n_remotes = 0;
	}
	return 0;
}

/* ---- dispatch ------------------------------------------------------------- */

static const struct ignored_directive *find_ig(const struct ignored_directive *t, const char *n)
{
	for (; t->name; t++)
		if (strcmp(t->name, n) == 0)
			return t;
	return NULL;
}

static bool ignore_listed(const struct mvpn_config *cfg, const char *n)
{
	for (unsigned int i = 0; i < cfg->priv->ignore_unknown_n; i++)
		if (strcmp(cfg->priv->ignore_unknown[i], n) == 0)
			return true;
	return false;
}

int cfg_dispatch(struct dctx *d)
{
	const struct directive *de;
	const struct ignored_directive *ig;
	size_t idx = 0;
	bool soft = false;	/* unknown is only a warning ("setenv opt") */
	int nargs;

	if (strlen(d->argv[0]) >= 3 && d->argv[0][0] == '-' && d->argv[0][1] == '-')
		d->argv[0] += 2;
	if (d->where != CTX_PUSH && d->argc >= 3 && strcmp(d->argv[0], "setenv") == 0 &&
	    strcmp(d->argv[1], "opt") == 0) {
		d->argv += 2;
		d->argc -= 2;
		soft = true;
	}
	de = cfg_directive_find(d->argv[0], &idx);
	if (!de) {
		ig = find_ig(cfg_ignored, d->argv[0]);
		if (ig) {
			if (d->where == CTX_PUSH && !(ig->flags & IG_PUSH))
				return cfg_err(d, "not allowed in a push");
			if (d->where == CTX_PUSH && (ig->flags & IG_ROUTE) && d->cfg->route_nopull)
				return 0;
			cfg_warn(d, "ignored: %s", ig->reason);
			return 0;
		}
		if (d->where == CTX_PUSH) {
			/* OpenVPN logs unknown pushed options and goes on; a newer
			 * server may push options this version does not know */
			cfg_warn(d, "unknown option pushed by the server, ignored");
			return 0;
		}
		ig = find_ig(cfg_unsupported, d->argv[0]);
		if (soft || ignore_listed(d->cfg, d->argv[0])) {
			cfg_warn(d, "ignored: %s", ig ? ig->reason :
				 "unknown directive, listed in ignore-unknown-option or 'setenv opt'");
			return 0;
		}
		if (ig)
			return cfg_err(d, "not supported: %s", ig->reason);
		if (looks_like_key_material(d->argv[0]))
			cfg_set_error(d->err, d->file, d->line,
				      "a %zu-character line of base64 or hex where a directive "
				      "should be: key material outside its <tag> block? (the line "
				      "is not shown: it may be a secret)", strlen(d->argv[0]));
		else
			cfg_set_error(d->err, d->file, d->line, "unknown directive '%s'", d->argv[0]);
		return -1;
	}
	if (d->where == CTX_PUSH && !(de->flags & DF_PUSH))
		return cfg_err(d, "not allowed in a push (a server may not change this)");
	if (d->where == CTX_PUSH && (de->flags & DF_ROUTE) && d->cfg->route_nopull) {
		cfg_warn(d, "ignored because of route-nopull");
		return 0;
	}
	if (d->where != CTX_PUSH && (de->flags & DF_PUSH_ONLY))
		return cfg_err(d, "only a server can push this; it cannot be set in a config file");
	if (d->where == CTX_CONN && !(de->flags & DF_CONN))
		return cfg_err(d, "not allowed inside <connection> (only remote, proto, port, "
			       "lport, rport, local, bind, nobind, float, connect-retry, "
			       "connect-retry-max, connect-timeout, explicit-exit-notify, "
			       "tun-mtu, link-mtu, tun-mtu-extra, mssfix, fragment, mtu-disc)");
	if (d->is_inline && !(de->flags & DF_INLINE))
		return cfg_err(d, "cannot be given as an inline <%s> block", de->name);
	nargs = d->argc - 1;
	if (nargs < de->min || nargs > de->max) {
		if (de->max == 0)
			return cfg_err(d, "takes no arguments, got %d", nargs);
		if (de->min == de->max)
			return cfg_err(d, "expects %s (%d argument%s), got %d", de->usage, de->min,
				       de->min == 1 ? "" : "s", nargs);
		if (de->max == INT_MAX)
			return cfg_err(d, "expects %s (at least %d argument%s), got %d", de->usage,
				       de->min, de->min == 1 ? "" : "s", nargs);
		return cfg_err(d, "expects %s (%d to %d arguments), got %d", de->usage, de->min,
			       de->max, nargs);
	}
	if (d->where == CTX_FILE && d->p && (de->flags & DF_CONN) && d->p->n_conns &&
	    !(de->flags & DF_GLOBAL))
		cfg_warn(d, "applies only to <connection> blocks that follow it (OpenVPN's rule)");
	if (d->p) {
		d->p->loc[idx].file = d->file;
		d->p->loc[idx].line = d->line;
	}
	return de->fn(d, de);
}

/* ---- lines ---------------------------------------------------------------- */

static int block_append(struct cfg_source *src, const char *s, size_t n, struct mvpn_config_error *err)
{
	size_t need = src->block_len + n + 2;

	if (need > CFG_MAX_BLOB + 2) {
		cfg_set_error(err, src->file, src->block_line, "<%s> block is larger than %u bytes",
			      src->tag, CFG_MAX_BLOB);
		return -1;
	}
	if (need > src->block_cap) {
		size_t cap = src->block_cap ? src->block_cap * 2 : 4096;
		char *nb;

		while (cap < need)
			cap *= 2;
		nb = malloc(cap);
		if (!nb) {
			cfg_set_error(err, src->file, src->block_line, "out of memory");
			return -1;
		}
		if (src->block) {
			memcpy(nb, src->block, src->block_len);
			explicit_bzero(src->block, src->block_cap);	/* may be a key */
			free(src->block);
		}
		src->block = nb;
		src->block_cap = cap;
	}
	memcpy(src->block + src->block_len, s, n);
	src->block_len += n;
	src->block[src->block_len++] = '\n';
	src->block[src->block_len] = '\0';
	return 0;
}

static int block_end(struct mvpn_config_parser *p, struct cfg_source *src, enum cfg_where where,
		     struct cfg_ce *ce, struct cfg_conn_entry *conn, struct mvpn_config_error *err)
{
	char *argv[3] = { src->tag, src->block ? src->block : (char *)"", NULL };
	struct dctx d = {
		.p = p, .cfg = p->cfg, .ce = ce, .conn = conn, .file = src->file,
		.line = src->block_line, .argc = 2, .argv = argv, .is_inline = true,
		.inl = argv[1], .inl_len = src->block_len, .where = where, .err = err,
	};
	int rc;

	src->in_block = false;
	rc = cfg_dispatch(&d);
	if (rc == 0 && where == CTX_FILE) {
		/* resolve [inline] references to this block */
		size_t j = 0;

		for (size_t i = 0; i < p->n_pending; i++)
			if (strcmp(p->pending[i].tag, d.argv[0]) != 0)
				p->pending[j++] = p->pending[i];
		p->n_pending = j;
		if (!block_seen(p, d.argv[0])) {
			char (*sb)[32] = realloc(p->seen_blocks, (p->n_seen_blocks + 1) * 32);

			if (!sb) {
				cfg_set_error(err, src->file, src->block_line, "out of memory");
				rc = -1;
			} else {
				p->seen_blocks = sb;
				snprintf(sb[p->n_seen_blocks++], 32, "%s", d.argv[0]);
			}
		}
	}
	source_free(src);
	return rc;
}

static int feed_line(struct mvpn_config_parser *p, struct cfg_source *src, const char *line,
		     size_t len, enum cfg_where where, struct cfg_ce *ce,
		     struct cfg_conn_entry *conn, struct mvpn_config_error *err)
{
	char why[200];
	char *argv[CFG_MAX_ARGS];
	char *store;
	int argc, rc;

	src->line++;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (src->in_block) {
		size_t i = 0, tl = strlen(src->tag);

		while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' ||
				   line[i] == '\f' || line[i] == '\v'))
			i++;
		if (len - i >= tl + 3 && line[i] == '<' && line[i + 1] == '/' &&
		    memcmp(line + i + 2, src->tag, tl) == 0 && line[i + 2 + tl] == '>')
			return block_end(p, src, where, ce, conn, err);
		return block_append(src, line, len, err);
	}
	if (src->line == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
		line += 3;
		len -= 3;
	}
	if (len > CFG_MAX_LINE) {
		cfg_set_error(err, src->file, src->line, "line is longer than %d characters",
			      CFG_MAX_LINE);
		return -1;
	}
	store = malloc(len + CFG_MAX_ARGS + 1);
	if (!store) {
		cfg_set_error(err, src->file, src->line, "out of memory");
		return -1;
	}
	argc = cfg_tokenize(line, len, store, len + CFG_MAX_ARGS + 1, argv, why, sizeof(why));
	if (argc < 0) {
		cfg_set_error(err, src->file, src->line, "%s", why);
		free(store);
		return -1;
	}
	if (argc == 0) {
		free(store);
		return 0;
	}
	if (argc == 1 && argv[0][0] == '<' && strlen(argv[0]) > 2 &&
	    argv[0][strlen(argv[0]) - 1] == '>') {
		size_t tl = strlen(argv[0]) - 2;

		if (argv[0][1] == '/') {
			cfg_set_error(err, src->file, src->line, "%s without an opening tag", argv[0]);
			free(store);
			return -1;
		}
		if (tl >= sizeof(src->tag)) {
			cfg_set_error(err, src->file, src->line, "inline tag %s is too long", argv[0]);
			free(store);
			return -1;
		}
		memcpy(src->tag, argv[0] + 1, tl);
		src->tag[tl] = '\0';
		src->in_block = true;
		src->block_line = src->line;
		src->block_len = 0;
		free(store);
		return 0;
	}
	{
		struct dctx d = {
			.p = p, .cfg = p->cfg, .ce = ce, .conn = conn, .file = src->file,
			.line = src->line, .argc = argc, .argv = argv, .where = where, .err = err,
		};

		rc = cfg_dispatch(&d);
	}
	explicit_bzero(store, len + CFG_MAX_ARGS + 1);	/* a line may hold a password */
	free(store);
	return rc;
}

static int source_end(struct cfg_source *src, struct mvpn_config_error *err)
{
	if (src->in_block) {
		cfg_set_error(err, src->file, src->block_line, "<%s> block is not closed (no </%s>)",
			      src->tag, src->tag);
		return -1;
	}
	return 0;
}

int cfg_include(struct dctx *d, const char *path)
{
	struct mvpn_config_parser *p = d->p;
	struct mvpn_blob b = { 0 };
	struct cfg_source src = { 0 };
	char **names;
	const char *s, *end;
	int rc = 0;

	if (p->depth >= CFG_MAX_INCLUDE)
		return cfg_err(d, "includes nested more than %d deep (does a file include itself?)",
			       CFG_MAX_INCLUDE);
	if (read_ref(d, path, &b))
		return -1;
	names = realloc(p->names, (p->n_names + 1) * sizeof(*names));
	if (!names) {
		cfg_blob_clear(&b);
		return cfg_err(d, "out of memory");
	}
	p->names = names;
	p->names[p->n_names++] = b.path;	/* lives as long as the parser */
	src.file = b.path;
	b.path = NULL;
	p->depth++;
	s = (const char *)b.data;
	end = s + b.len;
	while (s < end && rc == 0) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		rc = feed_line(p, &src, s, n, CTX_FILE, &p->gce, NULL, d->err);
		s += n + (nl ? 1 : 0);
	}
	if (rc == 0)
		rc = source_end(&src, d->err);
	source_free(&src);
	p->depth--;
	cfg_blob_clear(&b);
	return rc;
}

/* ---- public driver ---------------------------------------------------------- */

int config_parser_line(struct mvpn_config_parser *p, const char *line, size_t len,
		       struct mvpn_config_error *err)
{
	struct mvpn_config_error dummy;

	if (!err)
		err = &dummy;
	if (p->failed) {
		cfg_set_error(err, p->name, p->top.line, "parser already failed");
		return -1;
	}
	if (memchr(line, '\n', len) && (const char *)memchr(line, '\n', len) != line + len - 1) {
		cfg_set_error(err, p->name, p->top.line + 1, "line contains a newline");
		p->failed = true;
		return -1;
	}
	if (feed_line(p, &p->top, line, len, CTX_FILE, &p->gce, NULL, err)) {
		p->failed = true;
		return -1;
	}
	return 0;
}

struct mvpn_config *config_parser_finish(struct mvpn_config_parser *p,
					 struct mvpn_config_error *err)
{
	struct mvpn_config_error dummy;
	struct mvpn_config *cfg;

	if (!err)
		err = &dummy;
	if (p->failed) {
		cfg_set_error(err, p->name, p->top.line, "parser already failed");
		return NULL;
	}
	if (source_end(&p->top, err)) {
		p->failed = true;
		return NULL;
	}
	if (p->n_pending) {
		cfg_set_error(err, p->name, p->pending[0].line,
			      "%s: '[inline]' given but the file has no <%s> block",
			      p->pending[0].tag, p->pending[0].tag);
		p->failed = true;
		return NULL;
	}
	cfg = cfg_finish(p, err);
	if (!cfg) {
		p->failed = true;
		return NULL;
	}
	p->cfg = NULL;	/* handed over */
	p->failed = true;
	return cfg;
}

struct mvpn_config *config_parse_buffer(const char *name, const char *buf, size_t len,
					const struct mvpn_config_io *io,
					struct mvpn_config_error *err)
{
	struct mvpn_config_parser *p = config_parser_new(name, io);
	struct mvpn_config *cfg = NULL;
	const char *s = buf, *end = buf + len;

	if (!p) {
		if (err)
			cfg_set_error(err, name ? name : "config", 0, "out of memory");
		return NULL;
	}
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (config_parser_line(p, s, n, err))
			goto out;
		s += n + (nl ? 1 : 0);
	}
	cfg = config_parser_finish(p, err);
out:
	config_parser_free(p);
	return cfg;
}

/* ---- for config_finish.c -------------------------------------------------- */

struct mvpn_config *cfg_parser_cfg(struct mvpn_config_parser *p)
{
	return p->cfg;
}

const char *cfg_parser_name(struct mvpn_config_parser *p)
{
	return p->name;
}

struct cfg_ce *cfg_parser_gce(struct mvpn_config_parser *p)
{
	return &p->gce;
}

size_t cfg_parser_remotes(struct mvpn_config_parser *p, struct cfg_pending_remote **r)
{
	*r = p->remotes;
	return p->n_remotes;
}

size_t cfg_parser_conns(struct mvpn_config_parser *p, size_t i, struct cfg_ce **ce,
			struct cfg_pending_remote **r, unsigned int *line)
{
	if (i < p->n_conns) {
		*ce = &p->conns[i].ce;
		*r = &p->conns[i].r;
		*line = p->conns[i].line;
	}
	return p->n_conns;
}

/* Where a directive was last given (line 0 when it was not). */
unsigned int cfg_parser_where(struct mvpn_config_parser *p, const char *name, const char **file)
{
	size_t i;

	*file = p->name;
	if (!cfg_directive_find(name, &i))
		return 0;
	if (p->loc[i].file)
		*file = p->loc[i].file;
	return p->loc[i].line;
}
