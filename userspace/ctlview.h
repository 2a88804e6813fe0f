/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ctlview.h: what mvpnctl shows, decoded from the module's netlink replies
 * and notifications; pure (no socket), so that fuzz_netlink and the unit
 * tests drive it with any bytes.
 *
 * Key material never reaches a view: the module's KEY_GET reply carries
 * none (uapi/linux/mvpn_dco.h), and ctlview_key_cb() keeps only the key
 * id, cipher, key length and TX packet id even from a reply that held a key
 * (selftests/unit/test_ctlview checks both show formats for it).
 */
#ifndef MVPN_CTLVIEW_H
#define MVPN_CTLVIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>

#include "rtnl.h"

#define CTLVIEW_MAX_PEERS 65536	/* MVPN_MP_PEERS_MAX: an MP device's most */
#define CTLVIEW_N_COUNTERS 19	/* the peer counters shown, in ctlview.c */

/* One key slot as KEY_GET describes it. */
struct ctlview_key {
	int present;
	uint32_t key_id, alg, key_len, tx_pktid;
};

/* One peer as PEER_GET describes it (keys filled by KEY_GET). */
struct ctlview_peer {
	uint32_t ifindex;
	uint32_t id, tx_id, ka_interval, ka_timeout, replay_window, del_reason;
	struct sockaddr_storage remote;
	char local_ip[INET6_ADDRSTRLEN];
	uint16_t local_port;
	char vpn4[INET_ADDRSTRLEN], vpn6[INET6_ADDRSTRLEN];
	uint64_t ctr[CTLVIEW_N_COUNTERS];
	struct ctlview_key keys[2];
};

/* Every peer of a dump, grown as replies come (start zeroed, then
 * ctlview_peers_free()). */
struct ctlview_peers {
	struct ctlview_peer *peers;
	int n, cap;
};

void ctlview_peers_free(struct ctlview_peers *pl);

/* "AES-256-GCM" from MVPN_A_KEYCONF_CIPHER_ALG and the key length. */
const char *ctlview_cipher_label(uint32_t alg, uint32_t key_len);
/* "1.2.3.4:5", "[::1]:5" or "-". */
void ctlview_format_sa(const struct sockaddr_storage *ss, char *out, size_t len);

/* genl callbacks: a PEER_GET reply (data: struct ctlview_peers; peers past
 * CTLVIEW_MAX_PEERS, or when memory runs out, are skipped) and a KEY_GET reply (data: struct
 * ctlview_key).  Both always return MNL_CB_OK. */
int ctlview_peer_list_cb(const struct nlmsghdr *nlh, void *data);
int ctlview_key_cb(const struct nlmsghdr *nlh, void *data);

/* One line for a notification (mvpnctl monitor); false for one of another
 * device than only_ifindex (0: any) or one too short to read. */
bool ctlview_format_ntf(const struct nlmsghdr *nlh, uint32_t only_ifindex, char *out, size_t len);

/* mvpnctl show: one device and its peers, as text or as one JSON object. */
void ctlview_show_text(FILE *f, const struct mvpn_rtnl_link *l, const struct ctlview_peers *pl);
void ctlview_show_json(FILE *f, const struct mvpn_rtnl_link *l, const struct ctlview_peers *pl);

#endif
