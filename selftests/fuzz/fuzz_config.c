// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target: the config parser (config.h) and PUSH_REPLY application.
 *
 * Input layout, split at NUL bytes:
 *     CONFIG-TEXT \0 FILE-CONTENT \0 PUSH-1 \0 PUSH-2
 * Every file the config references (ca, tls-auth, auth-user-pass, config
 * includes, ...) reads as FILE-CONTENT, except paths containing "missing",
 * which fail.  A config that parses is printed, copied, and both pushes are
 * applied to the copy (the second only when the first asked for more), then
 * the result is printed again.  Everything must be freed (LeakSanitizer) and
 * nothing may crash or trip UBSan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct slice {
	const char *p;
	size_t n;
};

static int fuzz_read(void *ctx, const char *path, uint8_t **buf, size_t *len, char *err,
		     size_t errlen)
{
	const struct slice *file = ctx;

	if (strstr(path, "missing")) {
		snprintf(err, errlen, "No such file or directory");
		return -1;
	}
	*buf = malloc(file->n ? file->n : 1);
	if (!*buf)
		return -1;
	if (file->n)
		memcpy(*buf, file->p, file->n);
	*len = file->n;
	return 0;
}

static void print_to_null(const struct mvpn_config *c)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	if (!f)
		return;
	config_print(f, c);
	fclose(f);
	free(out);
}

static struct slice next(const char **p, const char *end)
{
	struct slice s = { *p, 0 };
	const char *z = *p < end ? memchr(*p, '\0', (size_t)(end - *p)) : NULL;

	s.n = z ? (size_t)(z - *p) : (size_t)(end - *p);
	*p = z ? z + 1 : end;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct slice text = next(&p, end);
	struct slice file = next(&p, end);
	struct slice push1 = next(&p, end);
	struct slice push2 = next(&p, end);
	struct mvpn_config_io io = { .read_file = fuzz_read, .ctx = &file, .base_dir = "/cfg" };
	struct mvpn_config_error err;
	struct mvpn_config *cfg, *copy;
	int rc;

	cfg = config_parse_buffer("fuzz.conf", text.p, text.n, &io, &err);
	if (!cfg) {
		/* every error is one "FILE:LINE: message" line */
		if (!memchr(err.text, '\0', sizeof(err.text)) || strchr(err.text, '\n'))
			abort();
		return 0;
	}
	print_to_null(cfg);
	copy = config_dup(cfg);
	if (copy) {
		rc = config_apply_push(copy, push1.p, push1.n, &err);
		if (rc == 1)
			rc = config_apply_push(copy, push2.p, push2.n, &err);
		if (rc < -1 || rc > 1)
			abort();
		print_to_null(copy);
		config_free(copy);
	}
	config_free(cfg);
	return 0;
}
