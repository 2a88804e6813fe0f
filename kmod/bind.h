/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvpn-dco: transport endpoints -- where a peer is and where we send from.
 */
#ifndef _MVPN_BIND_H_
#define _MVPN_BIND_H_

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/ipv6.h>

/* An IPv4 or IPv6 transport address with its port (and IPv6 scope). */
struct mvpn_sockaddr {
	union {
		struct sockaddr sa;
		struct sockaddr_in in4;
		struct sockaddr_in6 in6;
	};
};

/* One of our own addresses (same family as the remote it goes with). */
union mvpn_local_ip {
	__be32 ip4;
	struct in6_addr ip6;
};

/**
 * struct mvpn_bind - a peer's endpoints, replaced as a whole under RCU
 * @remote: the peer's transport address
 * @local: the source address to send from; all zero = let routing choose
 * @rcu: freed after a grace period
 */
struct mvpn_bind {
	struct mvpn_sockaddr remote;
	union mvpn_local_ip local;
	struct rcu_head rcu;
};

static inline bool mvpn_sockaddr_equal(const struct mvpn_sockaddr *a,
				       const struct mvpn_sockaddr *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET)
		return a->in4.sin_addr.s_addr == b->in4.sin_addr.s_addr &&
		       a->in4.sin_port == b->in4.sin_port;
	if (a->sa.sa_family == AF_INET6)
		return ipv6_addr_equal(&a->in6.sin6_addr, &b->in6.sin6_addr) &&
		       a->in6.sin6_port == b->in6.sin6_port &&
		       a->in6.sin6_scope_id == b->in6.sin6_scope_id;
	return false;
}

static inline bool mvpn_local_equal(int family, const union mvpn_local_ip *a,
				    const union mvpn_local_ip *b)
{
	if (family == AF_INET)
		return a->ip4 == b->ip4;
	return ipv6_addr_equal(&a->ip6, &b->ip6);
}

#endif /* _MVPN_BIND_H_ */
