// SPDX-License-Identifier: BSD-2-Clause
/*
 * secmem.c: an allocator for OpenSSL that wipes blocks before freeing them
 * (why: secmem.h).
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "secmem.h"

static void *wipe_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return malloc(n);
}

static void wipe_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	if (!p)
		return;
	/* the whole usable block: OpenSSL's length is not known here */
	OPENSSL_cleanse(p, malloc_usable_size(p));
	free(p);
}

/* A move, never realloc(): it would free the old block unwiped. */
static void *wipe_realloc(void *p, size_t n, const char *file, int line)
{
	size_t old;
	void *q;

	if (!p)
		return wipe_malloc(n, file, line);
	if (!n) {
		wipe_free(p, file, line);
		return NULL;
	}
	old = malloc_usable_size(p);
	if (n <= old)
		return p;	/* shrinking or fits: the block stays where it is */
	q = malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, old);
	wipe_free(p, file, line);
	return q;
}

int secmem_openssl_wipe_on_free(void)
{
	return CRYPTO_set_mem_functions(wipe_malloc, wipe_realloc, wipe_free) ? 0 : -1;
}
