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
 *     IFLA_INFO_DATA may carry IFLA_MVPN_MODE (u8, enum mvpn_mode).  The
 *     default MTU is 1500 minus the real worst-case overhead (outer IPv6 40,
 *     UDP 8, P_DATA_V2 header 8, AEAD tag 16: 1428).  P2P: the carrier is on
 *     only while the peer exists and has a primary key.  MP: always on.
 *
 *  2. The generic netlink family MVPN_FAMILY_NAME drives peers and keys.  Every
 *     operation requires CAP_NET_ADMIN in the device's network namespace
 *     (GENL_ADMIN_PERM).  Notifications go to the multicast group
 *     MVPN_MCGRP_PEERS.  Policies are strict: an attribute a command does not
 *     take, an unknown attribute, a value out of range or of the wrong length
 *     is rejected, and every rejection carries an extack message.
 *
 * Attribute tree (the only nesting there is):
 *
 *   MVPN_A_IFINDEX            u32     the mvpn-dco device (every command)
 *   MVPN_A_PEER               nest    enum mvpn_a_peer
 *   |  ID                     u32     0..0xFFFFFF
 *   |  TX_ID                  u32     0..0xFFFFFF
 *   |  REMOTE_IPV4            be32 | REMOTE_IPV6  16 bytes
 *   |  REMOTE_IPV6_SCOPE_ID   u32
 *   |  REMOTE_PORT            be16    1..65535
 *   |  SOCKET                 u32     file descriptor of a UDP socket
 *   |  VPN_IPV4               be32 | VPN_IPV6  16 bytes
 *   |  LOCAL_IPV4             be32 | LOCAL_IPV6  16 bytes
 *   |  LOCAL_PORT             be16    (output only)
 *   |  KEEPALIVE_INTERVAL     u32     seconds, 0..86400 (0 = off)
 *   |  KEEPALIVE_TIMEOUT      u32     seconds, 0..86400 (0 = off)
 *   |  REPLAY_WINDOW          u32     packets, 1..65536 (default 2048)
 *   |  DEL_REASON             u32     enum mvpn_del_reason (notification)
 *   |  counters               u64     (output only, see below)
 *   MVPN_A_KEYCONF            nest    enum mvpn_a_keyconf
 *      PEER_ID                u32     0..0xFFFFFF
 *      SLOT                   u32     enum mvpn_key_slot
 *      KEY_ID                 u32     0..7
 *      CIPHER_ALG             u32     enum mvpn_cipher_alg
 *      ENCRYPT_DIR            nest    enum mvpn_a_keydir (what we send with)
 *      |  CIPHER_KEY          binary  16, 24 or 32 bytes (AES-GCM), 32 (ChaCha20)
 *      |  NONCE_TAIL          binary  exactly 8 bytes
 *      DECRYPT_DIR            nest    enum mvpn_a_keydir (what the peer sends with)
 *      KEY_LEN                u32     bytes of cipher key (output only)
 *      TX_PKTID               u32     last packet id sent (output only)
 *
 * Commands, what they take (R = required, O = optional) and what they do:
 *
 *   PEER_NEW   IFINDEX R, PEER{ID R, SOCKET R, REMOTE_IPV4|REMOTE_IPV6 R
 *              (+ REMOTE_PORT R, REMOTE_IPV6_SCOPE_ID O), TX_ID O, LOCAL_IPV4|
 *              LOCAL_IPV6 O, VPN_IPV4 O, VPN_IPV6 O, KEEPALIVE_INTERVAL O,
 *              KEEPALIVE_TIMEOUT O (both or neither), REPLAY_WINDOW O}
 *              Creates a peer on a UDP socket that userspace opened and
 *              bound.  The module attaches to the socket (it holds the sock,
 *              not the file: userspace keeps the fd and keeps reading and
 *              writing control packets on it); only P_DATA_V2 packets are
 *              taken off the socket.  When userspace closes the socket, the
 *              socket's peers are deleted (PEER_DEL_NTF transport-disconnect).
 *              In P2P mode a new peer replaces the existing one (teardown);
 *              the ID of received packets is not checked (as OpenVPN
 *              clients do not), TX_ID (default ID) is the id written into
 *              transmitted packets.  A socket already used by another
 *              device or another encapsulation is refused (EBUSY).
 *              In MP mode (a server) the device keeps up to
 *              MVPN_MP_PEERS_MAX peers, usually all on one socket (pass
 *              the same fd each time).  Received packets go to the peer
 *              whose ID they carry (unknown: dropped); sent packets to the
 *              peer whose VPN_IPV4/VPN_IPV6 is the inner destination, else
 *              the one that is the gateway of the route taken (networks
 *              behind a client are routes via its VPN address); a received
 *              packet's inner source must be the peer's VPN address or be
 *              routed via it (else DROP_SOURCE).  An MP peer needs VPN_IPV4
 *              or VPN_IPV6 and an ID below 0xFFFFFF; an ID or a VPN address
 *              already used on the device is refused (EEXIST), as is a peer
 *              beyond the limit (ENOSPC).
 *   PEER_SET   IFINDEX R, PEER{ID R, TX_ID O, REMOTE_* O, LOCAL_* O, VPN_* O,
 *              KEEPALIVE_* O, REPLAY_WINDOW O}.  Changes what is given
 *              (MP: VPN addresses under PEER_NEW's rules; a refused
 *              request changes nothing).
 *              A new REPLAY_WINDOW applies to keys installed afterwards.
 *   PEER_GET   IFINDEX R, PEER{ID R}: one peer; with NLM_F_DUMP and only
 *              IFINDEX: every peer.  Replies carry PEER with every attribute
 *              that is set, including the counters.  A dump lists peers in
 *              the order of their IDs and resumes after the last ID sent,
 *              so no peer appears twice; when peers were added or deleted
 *              during the dump, its messages carry NLM_F_DUMP_INTR.
 *   PEER_DEL   IFINDEX R, PEER{ID R}.  Notifies PEER_DEL_NTF (userspace).
 *   KEY_NEW    IFINDEX R, KEYCONF{PEER_ID R, SLOT R, KEY_ID R, CIPHER_ALG R,
 *              ENCRYPT_DIR R, DECRYPT_DIR R}.  Installs a key in a slot,
 *              replacing what was there.  A KEY_ID already held by the other
 *              slot is refused.  TX packet ids of a new key start at 1.
 *   KEY_GET    IFINDEX R, KEYCONF{PEER_ID R, SLOT R}.  Replies KEYCONF{PEER_ID,
 *              SLOT, KEY_ID, CIPHER_ALG, KEY_LEN, TX_PKTID}: never secrets.
 *   KEY_SWAP   IFINDEX R, KEYCONF{PEER_ID R}.  Primary and secondary change
 *              places atomically for the data path.
 *   KEY_DEL    IFINDEX R, KEYCONF{PEER_ID R, SLOT R}.
 *
 *   DEV_OWN    IFINDEX R.  Ties the device's life to the netlink socket the
 *              request came from: when that socket is closed (the daemon
 *              exited or crashed), the device and its peers are deleted.
 *              A later DEV_OWN from another socket moves the ownership.
 *
 * Notifications (multicast group "peers", kernel to userspace):
 *
 *   PEER_DEL_NTF    IFINDEX, PEER{ID, DEL_REASON}
 *   KEY_SWAP_NTF    IFINDEX, KEYCONF{PEER_ID, SLOT, KEY_ID}: the primary key's
 *                   TX packet ids are about to run out (sent once at
 *                   MVPN_PKTID_XMIT_WARN, and once more when they are
 *                   exhausted and the key stopped transmitting): renegotiate.
 *   PEER_FLOAT_NTF  IFINDEX, PEER{ID, REMOTE_IPV4|REMOTE_IPV6, REMOTE_PORT,
 *                   [REMOTE_IPV6_SCOPE_ID]}: the peer's address changed after
 *                   a packet from the new address authenticated and passed
 *                   the replay check.
 *
 * Wire format of the data channel (OpenVPN 2.6, P_DATA_V2, AEAD):
 *
 *   op|key_id (1) ‖ peer_id (3) ‖ packet_id (4) ‖ tag (16) ‖ ciphertext
 *   AAD = the first 8 bytes; nonce = packet_id ‖ NONCE_TAIL (8).
 */
#ifndef _UAPI_LINUX_MVPN_DCO_H
#define _UAPI_LINUX_MVPN_DCO_H

#define MVPN_FAMILY_NAME	"mvpn-dco"
#define MVPN_FAMILY_VERSION	1
#define MVPN_MCGRP_PEERS	"peers"
#define MVPN_LINK_KIND		"mvpn-dco"

/* Limits that the policies enforce. */
#define MVPN_PEER_ID_MAX	0xFFFFFF	/* 24 bits on the wire */
#define MVPN_MP_PEERS_MAX	65536		/* peers of one MP device */
#define MVPN_KEY_ID_MAX		7		/* 3 bits on the wire */
#define MVPN_KEEPALIVE_MAX	86400		/* seconds */
#define MVPN_REPLAY_WINDOW_MIN	1
#define MVPN_REPLAY_WINDOW_MAX	65536
#define MVPN_REPLAY_WINDOW_DEFAULT 2048
#define MVPN_NONCE_TAIL_LEN	8
#define MVPN_CIPHER_KEY_MAX	32

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
	MVPN_CMD_DEV_OWN,
	__MVPN_CMD_MAX,
};

#define MVPN_CMD_MAX (__MVPN_CMD_MAX - 1)

/* Why a peer was deleted: MVPN_A_PEER_DEL_REASON in PEER_DEL_NTF. */
enum mvpn_del_reason {
	MVPN_DEL_REASON_TEARDOWN = 0,	/* device deleted, or replaced by a new P2P peer */
	MVPN_DEL_REASON_USERSPACE = 1,	/* PEER_DEL */
	MVPN_DEL_REASON_EXPIRED = 2,	/* no authenticated packet for KEEPALIVE_TIMEOUT */
	MVPN_DEL_REASON_TRANSPORT_ERROR = 3,	/* the transport failed (TCP) */
	MVPN_DEL_REASON_TRANSPORT_DISCONNECT = 4, /* userspace closed the socket */
};

/* Key slots: TX uses the primary; RX picks the slot by the packet's key id. */
enum mvpn_key_slot {
	MVPN_KEY_SLOT_PRIMARY = 0,
	MVPN_KEY_SLOT_SECONDARY = 1,
};

/*
 * AEAD algorithms.  The AES key size (16, 24 or 32 bytes) comes from the length
 * of CIPHER_KEY.  NONE exists so that 0 is never a valid algorithm.
 */
enum mvpn_cipher_alg {
	MVPN_CIPHER_ALG_NONE = 0,
	MVPN_CIPHER_ALG_AES_GCM = 1,
	MVPN_CIPHER_ALG_CHACHA20_POLY1305 = 2,
};

/* Top-level attributes. */
enum mvpn_a {
	MVPN_A_UNSPEC,
	MVPN_A_IFINDEX,		/* u32: the mvpn-dco device; required by every command */
	MVPN_A_PEER,		/* nest: enum mvpn_a_peer */
	MVPN_A_KEYCONF,		/* nest: enum mvpn_a_keyconf */
	__MVPN_A_MAX,
};

#define MVPN_A_MAX (__MVPN_A_MAX - 1)

/*
 * Attributes inside MVPN_A_PEER.  Addresses and ports are in network byte
 * order.  Counters are u64 (padded with MVPN_A_PEER_PAD), output only:
 * VPN_* count inner (tunnel) packets and bytes, LINK_* count the outer UDP
 * payloads, DROP_* count received packets dropped for one reason each, and
 * TX_DROPS counts inner packets that could not be sent (no key, ids
 * exhausted, no route, no memory).
 */
enum mvpn_a_peer {
	MVPN_A_PEER_UNSPEC,
	MVPN_A_PEER_ID,			/* u32, 0..0xFFFFFF: the peer's id */
	MVPN_A_PEER_TX_ID,		/* u32, 0..0xFFFFFF: id put on sent packets (default ID) */
	MVPN_A_PEER_REMOTE_IPV4,	/* be32: remote transport address */
	MVPN_A_PEER_REMOTE_IPV6,	/* 16 bytes: remote transport address */
	MVPN_A_PEER_REMOTE_IPV6_SCOPE_ID, /* u32: scope of a link-local REMOTE_IPV6 */
	MVPN_A_PEER_REMOTE_PORT,	/* be16, >= 1: remote transport port */
	MVPN_A_PEER_SOCKET,		/* u32: fd of a bound UDP socket (PEER_NEW only) */
	MVPN_A_PEER_VPN_IPV4,		/* be32: the peer's address inside the tunnel */
	MVPN_A_PEER_VPN_IPV6,		/* 16 bytes: the peer's address inside the tunnel */
	MVPN_A_PEER_LOCAL_IPV4,		/* be32: source address to send from */
	MVPN_A_PEER_LOCAL_IPV6,		/* 16 bytes: source address to send from */
	MVPN_A_PEER_LOCAL_PORT,		/* be16: the socket's port (output only) */
	MVPN_A_PEER_KEEPALIVE_INTERVAL,	/* u32 s: ping when nothing was sent for this long */
	MVPN_A_PEER_KEEPALIVE_TIMEOUT,	/* u32 s: expire when nothing authentic arrived */
	MVPN_A_PEER_REPLAY_WINDOW,	/* u32, 1..65536: RX replay window in packets */
	MVPN_A_PEER_DEL_REASON,		/* u32, enum mvpn_del_reason (PEER_DEL_NTF) */
	MVPN_A_PEER_PAD,		/* padding for the u64 counters */
	MVPN_A_PEER_VPN_RX_BYTES,	/* u64 */
	MVPN_A_PEER_VPN_RX_PACKETS,	/* u64 */
	MVPN_A_PEER_VPN_TX_BYTES,	/* u64 */
	MVPN_A_PEER_VPN_TX_PACKETS,	/* u64 */
	MVPN_A_PEER_LINK_RX_BYTES,	/* u64 */
	MVPN_A_PEER_LINK_RX_PACKETS,	/* u64 */
	MVPN_A_PEER_LINK_TX_BYTES,	/* u64 */
	MVPN_A_PEER_LINK_TX_PACKETS,	/* u64 */
	MVPN_A_PEER_DROP_AUTH,		/* u64: authentication (tag) failed */
	MVPN_A_PEER_DROP_REPLAY,	/* u64: replayed, too old, or id 0 */
	MVPN_A_PEER_DROP_UNKNOWN_KEY,	/* u64: no slot holds the packet's key id */
	MVPN_A_PEER_DROP_MALFORMED,	/* u64: too short, or not an IP packet inside */
	MVPN_A_PEER_DROP_NO_KEY,	/* u64: no key installed at all */
	MVPN_A_PEER_TX_DROPS,		/* u64: inner packets not sent */
	MVPN_A_PEER_PING_RX,		/* u64: keepalive pings received */
	MVPN_A_PEER_PING_TX,		/* u64: keepalive pings sent */
	MVPN_A_PEER_FLOATS,		/* u64: remote address changes */
	MVPN_A_PEER_DROP_SOURCE,	/* u64: MP: inner source not the peer's (RPF) */
	MVPN_A_PEER_DROP_BUSY,		/* u64: the device's RX crypto queue was full */
	__MVPN_A_PEER_MAX,
};

#define MVPN_A_PEER_MAX (__MVPN_A_PEER_MAX - 1)

/* Attributes inside MVPN_A_KEYCONF. */
enum mvpn_a_keyconf {
	MVPN_A_KEYCONF_UNSPEC,
	MVPN_A_KEYCONF_PEER_ID,		/* u32, 0..0xFFFFFF */
	MVPN_A_KEYCONF_SLOT,		/* u32, enum mvpn_key_slot */
	MVPN_A_KEYCONF_KEY_ID,		/* u32, 0..7 */
	MVPN_A_KEYCONF_CIPHER_ALG,	/* u32, enum mvpn_cipher_alg */
	MVPN_A_KEYCONF_ENCRYPT_DIR,	/* nest, enum mvpn_a_keydir */
	MVPN_A_KEYCONF_DECRYPT_DIR,	/* nest, enum mvpn_a_keydir */
	MVPN_A_KEYCONF_KEY_LEN,		/* u32: cipher key bytes (output only) */
	MVPN_A_KEYCONF_TX_PKTID,	/* u32: last packet id sent (output only) */
	__MVPN_A_KEYCONF_MAX,
};

#define MVPN_A_KEYCONF_MAX (__MVPN_A_KEYCONF_MAX - 1)

/* Attributes inside MVPN_A_KEYCONF_ENCRYPT_DIR / _DECRYPT_DIR. */
enum mvpn_a_keydir {
	MVPN_A_KEYDIR_UNSPEC,
	MVPN_A_KEYDIR_CIPHER_KEY,	/* binary: 16, 24 or 32 (AES-GCM), 32 (ChaCha20) */
	MVPN_A_KEYDIR_NONCE_TAIL,	/* binary: exactly 8 bytes */
	__MVPN_A_KEYDIR_MAX,
};

#define MVPN_A_KEYDIR_MAX (__MVPN_A_KEYDIR_MAX - 1)

#endif /* _UAPI_LINUX_MVPN_DCO_H */
