/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * secmem.h: OpenSSL wipes what it frees.
 *
 * mvpn zeroes its own copies of keys, passwords and tokens, but OpenSSL 3
 * leaves copies of its own in memory it frees: the base64 decoder context
 * and the DER buffers of PEM_read_bio_PrivateKey() hold the private key,
 * ASN1 octet strings hold its scalar, record buffers hold TLS plaintext
 * (key-method 2 with the password, PUSH_REPLY with the auth-token) unless
 * SSL_OP_CLEANSE_PLAINTEXT is set.  selftests/unit/test_secrets finds these
 * by scanning freed memory.  Rather than chase each one, the daemon gives
 * OpenSSL an allocator whose free() and realloc() wipe the whole block
 * first: the control plane allocates little, so the cost is noise.
 */
#ifndef MVPN_SECMEM_H
#define MVPN_SECMEM_H

/*
 * Install the wiping allocator.  Must run before any other OpenSSL call
 * (OpenSSL refuses a new allocator once it has allocated).  0, or -1 when
 * it is too late.
 */
int secmem_openssl_wipe_on_free(void);

#endif
