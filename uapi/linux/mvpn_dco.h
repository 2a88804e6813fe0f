/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mvpn-dco: OpenVPN data channel offload -- the userspace <-> kernel contract.
 *
 * Two interfaces cross the boundary, and nothing else:
 *
 *  1. rtnetlink link kind "mvpn-dco" creates and deletes the virtual device:
 *
 *       ip link add mvpn0 type mvpn-dco            (P2P mode, the default)
 *
 *     IFLA_INFO_DATA may carry IFLA_MVPN_MODE (u8, enum mvpn_mode).
 *
 *  2. The generic netlink family MVPN_FAMILY_NAME drives peers and keys.  Every
 *     operation requires CAP_NET_ADMIN in the device's network namespace
 *     (GENL_ADMIN_PERM).  Notifications go to the multicast group
 *     MVPN_MCGRP_PEERS.
 *
 * The full attribute tree is documented with the commands that use it.
 */
#ifndef _UAPI_LINUX_MVPN_DCO_H
#define _UAPI_LINUX_MVPN_DCO_H

#define MVPN_FAMILY_NAME	"mvpn-dco"
#define MVPN_FAMILY_VERSION	1
#define MVPN_MCGRP_PEERS	"peers"
#define MVPN_LINK_KIND		"mvpn-dco"

/* Device mode, IFLA_MVPN_MODE. */
enum mvpn_mode {
	MVPN_MODE_P2P = 0,	/* exactly one peer: a client or a p2p link */
	MVPN_MODE_MP = 1,	/* many peers behind one device: a server */
};

/* IFLA_INFO_DATA attributes of the "mvpn-dco" link kind. */
enum {
	IFLA_MVPN_UNSPEC,
	IFLA_MVPN_MODE,		/* u8, enum mvpn_mode; default MVPN_MODE_P2P */
	__IFLA_MVPN_MAX,
};

#define IFLA_MVPN_MAX (__IFLA_MVPN_MAX - 1)

/* Generic netlink commands. */
enum mvpn_cmd {
	MVPN_CMD_UNSPEC,
	MVPN_CMD_PEER_NEW,
	MVPN_CMD_PEER_SET,
	MVPN_CMD_PEER_GET,
	MVPN_CMD_PEER_DEL,
	MVPN_CMD_PEER_DEL_NTF,
	MVPN_CMD_KEY_NEW,
	MVPN_CMD_KEY_GET,
	MVPN_CMD_KEY_SWAP,
	MVPN_CMD_KEY_SWAP_NTF,
	MVPN_CMD_KEY_DEL,
	MVPN_CMD_PEER_FLOAT_NTF,
	__MVPN_CMD_MAX,
};

#define MVPN_CMD_MAX (__MVPN_CMD_MAX - 1)

/* Top-level attributes. */
enum mvpn_a {
	MVPN_A_UNSPEC,
	MVPN_A_IFINDEX,		/* u32: the mvpn-dco device; required by every command */
	MVPN_A_PEER,		/* nest: enum mvpn_a_peer */
	MVPN_A_KEYCONF,		/* nest: enum mvpn_a_keyconf */
	__MVPN_A_MAX,
};

#define MVPN_A_MAX (__MVPN_A_MAX - 1)

#endif /* _UAPI_LINUX_MVPN_DCO_H */
