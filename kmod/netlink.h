/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvpn-dco: notifications to the "peers" multicast group.  Callable from
 * any context (they allocate with GFP_ATOMIC); a notification that cannot
 * be allocated is lost, never the state change it describes.
 */
#ifndef _MVPN_NETLINK_H_
#define _MVPN_NETLINK_H_

#include <linux/mvpn_dco.h>

#include "bind.h"

struct mvpn_peer;
struct mvpn_key;

void mvpn_nl_peer_del_notify(struct mvpn_peer *peer, enum mvpn_del_reason reason);
void mvpn_nl_key_swap_notify(struct mvpn_peer *peer, struct mvpn_key *key);
void mvpn_nl_peer_float_notify(struct mvpn_peer *peer, const struct mvpn_sockaddr *remote);

#endif /* _MVPN_NETLINK_H_ */
