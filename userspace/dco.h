/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dco.h: mvpnd's driver for the mvpn-dco kernel data plane: the device over
 * rtnetlink, the peer and its keys over generic netlink, and the module's
 * notifications (peer deleted with a reason, key ids running out, float).
 */
#ifndef MVPN_DCO_H
#define MVPN_DCO_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "dataplane.h"
#include "genl.h"
#include "rtnl.h"

struct dco {
	struct mvpn_rtnl rt;
	struct genl_sock gs;	/* requests */
	struct genl_sock ntf;	/* the "peers" multicast group */
	char ifname[IFNAMSIZ];
	unsigned int ifindex;
	bool have_peer;
	uint32_t peer_id;
	char err[512];
};

enum dco_ntf_type {
	DCO_NTF_PEER_DEL,
	DCO_NTF_KEY_SWAP,
	DCO_NTF_FLOAT,
};

struct dco_ntf {
	enum dco_ntf_type type;
	bool expired;		/* PEER_DEL with reason expired */
	char reason[96];	/* human-readable reason / new address */
};

struct dco_stats {
	uint64_t vpn_rx_bytes, vpn_tx_bytes, vpn_rx_packets, vpn_tx_packets;
	uint64_t link_rx_bytes, link_tx_bytes;
};

/*
 * Find the module (loading it with modprobe if needed) and create the
 * device: dev "tun" (or empty) picks the first free tunN, as OpenVPN does.
 * 0, or -1 with a reason in err.
 */
int dco_open(struct dco *d, const char *dev, char *err, size_t errlen);
void dco_close(struct dco *d);

/* Hand the connected UDP socket to the module and add the peer. */
struct dco_peer_params {
	int peer_id;		/* pushed peer-id; -1 when none */
	int ping, ping_restart;	/* seconds, 0 = off (the module keeps the peer alive) */
	unsigned int mtu;	/* tun-mtu */
};
int dco_peer_up(struct dco *d, int sock, const struct sockaddr *remote,
		const struct dco_peer_params *pp, char *err, size_t errlen);
void dco_peer_down(struct dco *d);

int dco_key_install(struct dco *d, enum mvpn_dp_slot slot, const struct mvpn_dp_key *key);
int dco_key_swap(struct dco *d);
int dco_key_del(struct dco *d, enum mvpn_dp_slot slot);
int dco_get_stats(struct dco *d, struct dco_stats *st);

/* The module sends no arbitrary payloads: logged and dropped. */
void dco_send_data(struct dco *d, const uint8_t *buf, size_t len);

int dco_ntf_fd(const struct dco *d);
/* Read one notification: 1 with *n filled, 0 when none is pending. */
int dco_read_ntf(struct dco *d, struct dco_ntf *n);

/*
 * The pure parts (fuzz_netlink): the counters of a PEER_GET reply (0, or
 * -EPROTO when too short); the first notification for device ifindex in a
 * batch of family_id messages (1 with *n filled, else 0).
 */
int dco_parse_stats(const struct nlmsghdr *nlh, struct dco_stats *st);
int dco_parse_ntf(const void *buf, size_t len, uint16_t family_id, unsigned int ifindex,
		  struct dco_ntf *n);

#endif
