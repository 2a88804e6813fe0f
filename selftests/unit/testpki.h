/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * testpki.h: the files of the unit tests.  Header-only, like check.h and
 * engine_sim.h (which includes it): a unit test is one test_*.c linked with
 * libmvpn.a, nothing else to list in a Makefile.
 *
 *   slurp()        a whole file, NUL-terminated
 *   struct sim_pki the test PKI as text (what engine_sim.h's server and the
 *                  client configs are made from)
 *   testpki_make() a temporary directory from a mkdtemp() template, the PKI
 *                  of scripts/lib/pki.sh in its pki/ (the tests run from the
 *                  repository root), read into a struct sim_pki
 *   testpki_done() free the PKI, remove the directory (MVPN_TEST_KEEP=1
 *                  keeps it, and says where it is)
 *
 * slurp() reads with read(2), not stdio: test_secrets looks for key bytes
 * left in freed heap memory, and a stdio buffer would be such a leftover.
 */
#ifndef MVPN_TESTPKI_H
#define MVPN_TESTPKI_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#define TESTPKI_FN static __attribute__((unused))

/* Key material as PEM / key-file text (each NUL-terminated, malloc'd). */
struct sim_pki {
	char *ca, *server_crt, *server_key, *client_crt, *client_key, *other_ca;
	char *ta;			/* OpenVPN Static key V1 text */
	char *v2_server, *v2_client;	/* tls-crypt-v2 key files */
	size_t ca_len, server_crt_len, server_key_len;
	/* paths when the PKI lives in a directory (file references in configs) */
	char dir[256];
};

TESTPKI_FN void sim_pki_free(struct sim_pki *k)
{
	char **f[] = { &k->ca, &k->server_crt, &k->server_key, &k->client_crt, &k->client_key,
		       &k->other_ca, &k->ta, &k->v2_server, &k->v2_client };

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (*f[i])
			OPENSSL_cleanse(*f[i], strlen(*f[i]));
		free(*f[i]);
		*f[i] = NULL;
	}
}

/* The whole file at path, NUL-terminated; its length in *lenp (may be
 * NULL).  NULL when it cannot be read. */
TESTPKI_FN char *slurp(const char *path, size_t *lenp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t len, got = 0;
	char *b;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size < 0 || !(b = malloc((size_t)st.st_size + 1))) {
		close(fd);
		return NULL;
	}
	len = (size_t)st.st_size;
	while (got < len) {
		ssize_t n = read(fd, b + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {	/* an error, or shorter than fstat said */
			free(b);
			close(fd);
			return NULL;
		}
		got += (size_t)n;
	}
	b[len] = '\0';
	close(fd);
	if (lenp)
		*lenp = len;
	return b;
}

/* rm -rf dir */
TESTPKI_FN void testpki_rmdir(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
}

/*
 * mkdtemp(tmpl) (tmpl ends in "XXXXXX" and is rewritten in place), the PKI
 * made in TMPL/pki, and its files read into *k (k->dir = TMPL/pki).
 * 0, or -1 after saying why on a "# " line and removing what it made.
 */
TESTPKI_FN int testpki_make(struct sim_pki *k, char *tmpl)
{
	static const struct {
		const char *file;
		size_t off;
	} files[] = {
		{ "ca.crt", offsetof(struct sim_pki, ca) },
		{ "server.crt", offsetof(struct sim_pki, server_crt) },
		{ "server.key", offsetof(struct sim_pki, server_key) },
		{ "client.crt", offsetof(struct sim_pki, client_crt) },
		{ "client.key", offsetof(struct sim_pki, client_key) },
		{ "other-ca.crt", offsetof(struct sim_pki, other_ca) },
		{ "ta.key", offsetof(struct sim_pki, ta) },
		{ "v2-server.key", offsetof(struct sim_pki, v2_server) },
		{ "v2-client.key", offsetof(struct sim_pki, v2_client) },
	};
	char cmd[512], path[512];

	memset(k, 0, sizeof(*k));
	if (!mkdtemp(tmpl)) {
		printf("# mkdtemp %s: %s\n", tmpl, strerror(errno));
		return -1;
	}
	snprintf(k->dir, sizeof(k->dir), "%s/pki", tmpl);
	snprintf(cmd, sizeof(cmd), "bash -c 'source scripts/lib/pki.sh && pki_make %s' >&2",
		 k->dir);
	if (system(cmd) != 0) {
		printf("# %s failed\n", cmd);
		goto fail;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char **dst = (char **)((char *)k + files[i].off);

		snprintf(path, sizeof(path), "%s/%s", k->dir, files[i].file);
		*dst = slurp(path, NULL);
		if (!*dst) {
			printf("# cannot read %s\n", path);
			goto fail;
		}
	}
	return 0;
fail:
	sim_pki_free(k);
	k->dir[0] = '\0';
	testpki_rmdir(tmpl);
	return -1;
}

/* After testpki_make() succeeded: the PKI freed, tmpdir removed (or kept
 * with MVPN_TEST_KEEP set). */
TESTPKI_FN void testpki_done(struct sim_pki *k, const char *tmpdir)
{
	bool made = k->dir[0] != '\0';

	sim_pki_free(k);
	k->dir[0] = '\0';
	if (!made)
		return;
	if (getenv("MVPN_TEST_KEEP"))
		printf("# kept %s (MVPN_TEST_KEEP)\n", tmpdir);
	else
		testpki_rmdir(tmpdir);
}

#endif
