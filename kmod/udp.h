/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvpn-dco: the UDP transport -- a socket userspace created, bound and
 * handed over by fd.
 *
 * The module attaches to the socket as a UDP tunnel (encap_rcv): it takes
 * P_DATA_V2 datagrams and leaves every other datagram on the socket's
 * normal receive queue, so userspace keeps reading control packets with
 * recvfrom() and writing them with sendto().  It holds the struct sock,
 * never the file: when userspace closes the socket, encap_destroy deletes
 * the peers using it (PEER_DEL_NTF transport-disconnect); the last peer's
 * release detaches from the socket.
 */
#ifndef _MVPN_UDP_H_
#define _MVPN_UDP_H_

#include <linux/kref.h>
#include <linux/netdevice.h>
#include <linux/net.h>
#include <net/netlink.h>

#include "bind.h"

struct mvpn_peer;
struct mvpn_priv;

/* The encapsulation type we register (upstream ovpn uses the same value). */
#define MVPN_UDP_ENCAP_TYPE	8

/**
 * struct mvpn_socket - the module's attachment to one UDP socket
 * @sk: the socket (a reference: sock_hold)
 * @priv: the device whose peers use it (a reference, @dev_tracker)
 * @dev_tracker: tracks that reference
 * @refcount: one per peer using the socket
 * @rcu: freed after a grace period (encap_rcv may still be looking)
 */
struct mvpn_socket {
	struct sock *sk;
	struct mvpn_priv *priv;
	netdevice_tracker dev_tracker;
	struct kref refcount;
	struct rcu_head rcu;
};

struct mvpn_socket *mvpn_socket_attach(struct mvpn_priv *priv, struct socket *sock,
				       struct netlink_ext_ack *extack);
void mvpn_socket_put(struct mvpn_socket *osock);

int mvpn_udp_send_skb(struct mvpn_peer *peer, struct sk_buff *skb);
void mvpn_udp_endpoints(const struct sk_buff *skb, struct mvpn_sockaddr *src,
			union mvpn_local_ip *dst);

#endif /* _MVPN_UDP_H_ */
