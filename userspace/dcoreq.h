/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dcoreq.h: the requests of the mvpn-dco generic netlink family
 * (uapi/linux/mvpn_dco.h), written into a caller's buffer of GENL_BUF_SIZE
 * bytes with genl_req().  Pure: a builder touches the buffer and the
 * socket's sequence number, nothing else; send the result with
 * genl_talk().  Used by the selftest tools (selftests/tools/); the same
 * shapes are what mvpnctl and mvpnd's dco.c send.
 *
 * Every request is NLM_F_REQUEST | NLM_F_ACK (dcoreq_peer_dump: | NLM_F_DUMP,
 * no ACK; dcoreq_dev: the caller's flags) with MVPN_A_IFINDEX first.  A KEY_NEW buffer holds key material:
 * wipe it (explicit_bzero) once the request is sent.
 */
#ifndef MVPN_DCOREQ_H
#define MVPN_DCOREQ_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "dataplane.h"
#include "genl.h"

/* Any command: the header and MVPN_A_IFINDEX, nothing else (DEV_OWN). */
struct nlmsghdr *dcoreq_dev(struct genl_sock *gs, void *buf, uint8_t cmd, uint16_t flags,
			    uint32_t ifindex);

/*
 * What a PEER_NEW / PEER_SET / PEER_GET / PEER_DEL says about the peer, in
 * the MVPN_A_PEER nest: PEER_ID always; PEER_SOCKET (sock) for PEER_NEW
 * only; the rest when set.
 */
struct dcoreq_peer {
	uint32_t id;
	int sock;			/* PEER_NEW: the bound UDP socket */
	const struct sockaddr *remote;	/* AF_INET: REMOTE_IPV4 + REMOTE_PORT;
					 * AF_INET6: REMOTE_IPV6 + REMOTE_PORT
					 * (+ REMOTE_IPV6_SCOPE_ID when not 0) */
	const struct in_addr *vpn4;	/* VPN_IPV4 */
	const struct in6_addr *vpn6;	/* VPN_IPV6 */
	bool keepalive;			/* KEEPALIVE_INTERVAL and KEEPALIVE_TIMEOUT */
	uint32_t ka_interval, ka_timeout;
};

/* cmd is MVPN_CMD_PEER_NEW, _SET, _GET or _DEL. */
struct nlmsghdr *dcoreq_peer(struct genl_sock *gs, void *buf, uint8_t cmd, uint32_t ifindex,
			     const struct dcoreq_peer *p);

/* PEER_GET of every peer of the device (a dump). */
struct nlmsghdr *dcoreq_peer_dump(struct genl_sock *gs, void *buf, uint32_t ifindex);

/*
 * KEY_NEW: key (its key_id, its cipher, its encrypt and decrypt directions
 * with the cipher's key length) into slot (enum mvpn_key_slot) of peer_id.
 */
struct nlmsghdr *dcoreq_key_new(struct genl_sock *gs, void *buf, uint32_t ifindex,
				uint32_t peer_id, uint32_t slot, const struct mvpn_dp_key *key);

/* KEY_GET, KEY_SWAP or KEY_DEL (cmd): KEYCONF_PEER_ID, and KEYCONF_SLOT
 * when slot >= 0 (KEY_SWAP takes none). */
struct nlmsghdr *dcoreq_key(struct genl_sock *gs, void *buf, uint8_t cmd, uint32_t ifindex,
			    uint32_t peer_id, int slot);

/* MVPN_A_KEYCONF_CIPHER_ALG for a data-plane cipher (MVPN_CIPHER_ALG_NONE
 * for MVPN_DP_CIPHER_NONE). */
uint32_t dcoreq_cipher_alg(enum mvpn_dp_cipher cipher);

#endif
