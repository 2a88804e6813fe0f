// SPDX-License-Identifier: BSD-2-Clause
/*
 * config_file.c: the only part of the config parser that touches the file
 * system.  It reads the config file and gives the parser a read_file
 * callback for the files it references; relative paths resolve against the
 * config file's directory (the parser does the joining).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_int.h"

/* Read a whole regular file (at most CFG_MAX_BLOB bytes). */
static int read_whole(const char *path, uint8_t **buf, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	uint8_t *b = NULL;
	size_t n = 0, cap = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		snprintf(err, errlen, "is a directory");
		return -1;
	}
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

static int fs_read_file(void *ctx, const char *path, uint8_t **buf, size_t *len, char *err,
			size_t errlen)
{
	(void)ctx;
	return read_whole(path, buf, len, err, errlen);
}

struct mvpn_config *config_load_file(const char *path, struct mvpn_config_error *err)
{
	struct mvpn_config_io io = { .read_file = fs_read_file };
	struct mvpn_config *cfg;
	char why[200];
	uint8_t *buf = NULL;
	size_t len = 0;
	char *dir;
	const char *slash = strrchr(path, '/');

	if (read_whole(path, &buf, &len, why, sizeof(why))) {
		cfg_set_error(err, path, 0, "cannot read the config file: %s", why);
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
		cfg_set_error(err, path, 0, "out of memory");
		return NULL;
	}
	io.base_dir = dir;
	cfg = config_parse_buffer(path, (const char *)buf, len, &io, err);
	if (buf) {
		explicit_bzero(buf, len);
		free(buf);
	}
	free(dir);
	return cfg;
}
