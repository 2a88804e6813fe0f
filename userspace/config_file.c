// SPDX-License-Identifier: BSD-2-Clause
/*
 * config_file.c: the only part of the config parser that touches the file
 * system.  It reads the config file and gives the parser a read_file
 * callback for the files it references; relative paths resolve against the
 * config file's directory (the parser does the joining).
 *
 * Secret files: the mode checked is the one of the descriptor the bytes were
 * read from (fstat), so a file swapped between check and read cannot slip
 * through.  Only regular files are checked: a pipe or /dev/fd/N carries no
 * mode worth fixing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_int.h"

/* Read a whole regular file (at most CFG_MAX_BLOB bytes); *st (may be
 * NULL) gets the descriptor's fstat. */
static int read_whole(const char *path, uint8_t **buf, size_t *len, struct stat *stp, char *err,
		      size_t errlen)
{
	struct stat st;
	uint8_t *b = NULL;
	size_t n = 0, cap = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		snprintf(err, errlen, "is a directory");
		return -1;
	}
	if (stp)
		*stp = st;
	for (;;) {
		ssize_t r;

		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 8192;
			uint8_t *nb;

			if (cap > CFG_MAX_BLOB) {
				snprintf(err, errlen, "larger than %u bytes", CFG_MAX_BLOB);
				goto fail;
			}
			nb = malloc(ncap);
			if (!nb) {
				snprintf(err, errlen, "out of memory");
				goto fail;
			}
			if (b) {
				memcpy(nb, b, n);
				explicit_bzero(b, cap);
				free(b);
			}
			b = nb;
			cap = ncap;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "%s", strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*buf = b;
	*len = n;
	return 0;
fail:
	close(fd);
	if (b) {
		explicit_bzero(b, cap);
		free(b);
	}
	return -1;
}

/* What the parser's callbacks share: the flags, and the last file read. */
struct fs_ctx {
	unsigned int flags;
	char path[4096];
	struct stat st;
	struct mvpn_config *cfg;	/* NULL while parsing (no warnings yet) */
	char warn[4][640];		/* insecure files accepted with the flag */
	unsigned int n_warn;
};

static int fs_read_file(void *ctx, const char *path, uint8_t **buf, size_t *len, char *err,
			size_t errlen)
{
	struct fs_ctx *fc = ctx;
	int r = read_whole(path, buf, len, &fc->st, err, errlen);

	snprintf(fc->path, sizeof(fc->path), "%s", r ? "" : path);
	return r;
}

/* Group or others have some access to a regular file: "its group" /
 * "every user"; NULL when the file is private (or not a regular file). */
static const char *too_open(const struct stat *st)
{
	if (!S_ISREG(st->st_mode) || !(st->st_mode & (S_IRWXG | S_IRWXO)))
		return NULL;
	return (st->st_mode & S_IRWXO) ? "every user" : "its group";
}

static int fs_check_secret(void *ctx, const char *path, char *err, size_t errlen)
{
	struct fs_ctx *fc = ctx;
	unsigned int mode = (unsigned int)(fc->st.st_mode & 07777);
	const char *who;

	/* the parser calls this right after reading path */
	if (strcmp(fc->path, path) != 0) {
		snprintf(err, errlen, "'%s': internal error: not the file just read", path);
		return -1;
	}
	who = too_open(&fc->st);
	if (!who)
		return 0;
	if (fc->flags & CONFIG_LOAD_ALLOW_INSECURE_KEY_FILES) {
		if (fc->n_warn < sizeof(fc->warn) / sizeof(fc->warn[0]))
			snprintf(fc->warn[fc->n_warn++], sizeof(fc->warn[0]),
				 "'%.400s' holds a secret and its mode %04o lets %s access it; "
				 "accepted because of --allow-insecure-key-files", path, mode, who);
		return 0;
	}
	snprintf(err, errlen, "'%s' holds a secret but its mode %04o lets %s access it: "
		 "run chmod 600 '%s' (or start mvpnd with --allow-insecure-key-files)",
		 path, mode, who, path);
	return -1;
}

/* An inline secret in a config file other users can read: warn (providers
 * hand out .ovpn files with keys inside, often saved 0644). */
static bool inline_secret(const struct mvpn_config *c)
{
	const struct mvpn_blob *b[] = { &c->key, &c->pkcs12, &c->secret, &c->tls_auth,
					&c->tls_crypt, &c->tls_crypt_v2 };

	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		if (b[i]->data && !b[i]->path)
			return true;
	return false;
}

struct mvpn_config *config_load_file(const char *path, struct mvpn_config_error *err)
{
	return config_load_file_flags(path, 0, err);
}

struct mvpn_config *config_load_file_flags(const char *path, unsigned int flags,
					   struct mvpn_config_error *err)
{
	struct fs_ctx *fc = calloc(1, sizeof(*fc));
	struct mvpn_config_io io = { .read_file = fs_read_file, .check_secret = fs_check_secret,
				     .ctx = fc };
	struct mvpn_config *cfg;
	struct stat cst;
	char why[200];
	uint8_t *buf = NULL;
	size_t len = 0;
	char *dir;
	const char *slash = strrchr(path, '/');
	bool inline_pw;

	if (!fc) {
		cfg_set_error(err, path, 0, "out of memory");
		return NULL;
	}
	fc->flags = flags;
	if (read_whole(path, &buf, &len, &cst, why, sizeof(why))) {
		cfg_set_error(err, path, 0, "cannot read the config file: %s", why);
		free(fc);
		return NULL;
	}
	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = cfg_strndup(path, (size_t)(slash - path));
	if (!dir) {
		explicit_bzero(buf, len);
		free(buf);
		free(fc);
		cfg_set_error(err, path, 0, "out of memory");
		return NULL;
	}
	io.base_dir = dir;
	cfg = config_parse_buffer(path, (const char *)buf, len, &io, err);
	inline_pw = cfg && cfg->password && buf && memmem(buf, len, "<auth-user-pass>", 16);
	if (buf) {
		explicit_bzero(buf, len);
		free(buf);
	}
	free(dir);
	if (cfg) {
		const char *who = too_open(&cst);

		for (unsigned int i = 0; i < fc->n_warn; i++)
			cfg_add_warning(cfg, "%s", fc->warn[i]);
		if (who && (inline_pw || inline_secret(cfg)))
			cfg_add_warning(cfg, "%s: the config file holds a secret inline (a key or a "
					"password) and its mode %04o lets %s access it: run chmod 600 '%s'",
					path, (unsigned int)(cst.st_mode & 07777), who, path);
	}
	explicit_bzero(fc, sizeof(*fc));
	free(fc);
	return cfg;
}
