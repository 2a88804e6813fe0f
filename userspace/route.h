/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * route.h: interface addresses, link state, MTU and routes over rtnetlink
 * (libmnl; nothing shells out to ip(8)), and a route set that records what
 * was changed so that all of it is undone on exit, newest first.
 *
 * Every function returns 0 or -errno; on failure nl->err holds the
 * reason, with the kernel's extack text when it gave one, prefixed by what
 * was being done ("route add 10.0.0.0/8 via 192.0.2.1 dev tun0: ...").
 */
#ifndef MVPN_ROUTE_H
#define MVPN_ROUTE_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "genl.h"

struct route_nl {
	struct genl_sock gs;	/* a NETLINK_ROUTE socket; genl_talk() does the I/O */
	char err[512];		/* why the last call failed */
};

int route_nl_open(struct route_nl *nl);
void route_nl_close(struct route_nl *nl);

union route_addr {
	struct in_addr v4;
	struct in6_addr v6;
};

/* One route.  Zero-initialise, then fill what applies. */
struct route {
	int family;			/* AF_INET or AF_INET6 */
	union route_addr dst;
	unsigned int prefixlen;
	bool has_gw;
	union route_addr gw;
	unsigned int ifindex;		/* 0: let the kernel pick from the gateway */
	int metric;			/* <= 0: none (kernel default) */
	uint32_t table;			/* 0: main */
	uint8_t protocol;		/* RTPROT_*; 0: static (kept when restoring) */
	union route_addr prefsrc;	/* filled by route_get() */
	bool has_prefsrc;
};

/* Text form for logs and messages: "10.0.0.0/8 via 192.0.2.1 dev tun0 metric 5". */
const char *route_str(const struct route *r, char *buf, size_t len);

int route_add(struct route_nl *nl, const struct route *r);
int route_del(struct route_nl *nl, const struct route *r);

/*
 * The route the kernel would use now to reach addr (RTM_GETROUTE): out gets
 * the gateway (if any), the output interface, the preferred source and the
 * destination as a host route (/32 or /128).
 */
int route_get(struct route_nl *nl, int family, const union route_addr *addr,
	      struct route *out);

/* The route to 0.0.0.0/0 or ::/0 in the main table, lowest metric; -ENOENT if none. */
int route_get_default(struct route_nl *nl, int family, struct route *out);
/* Decode one RTM_NEWROUTE as the two above do (pure; fuzz_netlink): the
 * first nexthop of a multipath route; type and table may be NULL.  0, or
 * -EPROTO for another message type or one too short for its header. */
int route_parse_msg(const struct nlmsghdr *nlh, struct route *out, unsigned int *type,
		    uint32_t *table);

/* Link state and MTU. */
int route_link_set_up(struct route_nl *nl, unsigned int ifindex, bool up);
int route_link_set_mtu(struct route_nl *nl, unsigned int ifindex, unsigned int mtu);

/*
 * Addresses.  peer (v4 only, may be NULL) makes a point-to-point address
 * "local L peer P" with prefix 32, as OpenVPN does for net30 and p2p.
 */
struct route_ifaddr {
	int family;
	unsigned int ifindex;
	union route_addr local;
	unsigned int prefixlen;
	bool has_peer;
	union route_addr peer;
};

int route_addr_add(struct route_nl *nl, const struct route_ifaddr *a);
int route_addr_del(struct route_nl *nl, const struct route_ifaddr *a);

/* Topologies of `ifconfig L R` (openvpn --topology). */
enum route_topology {
	ROUTE_TOPOLOGY_NET30 = 0,	/* R is the peer; local L peer R */
	ROUTE_TOPOLOGY_P2P,		/* same on Linux */
	ROUTE_TOPOLOGY_SUBNET,		/* R is the netmask: L/prefix(R) */
};

/*
 * Build the v4 address for `ifconfig local remote_or_mask` under topo.
 * A netmask that is not contiguous is refused (-EINVAL, message in err).
 */
int route_ifconfig4(enum route_topology topo, unsigned int ifindex, struct in_addr local,
		    struct in_addr remote_or_mask, struct route_ifaddr *out, char *err,
		    size_t errlen);

/* Prefix length of a contiguous netmask, or -1. */
int route_mask_to_prefix(struct in_addr mask);

/* ------------------------------------------------------------------------
 * Route set: every change made through it is recorded and undone by
 * route_set_undo() in reverse order, including a deleted default route,
 * which is put back.  Removal keeps going past errors (the interface may
 * be gone already, taking its routes along); it returns the first error.
 */
enum route_change_kind {
	ROUTE_CHANGE_ROUTE_ADDED,
	ROUTE_CHANGE_ROUTE_DELETED,
	ROUTE_CHANGE_ADDR_ADDED,
};

struct route_change {
	enum route_change_kind kind;
	struct route route;		/* ROUTE_ADDED / ROUTE_DELETED */
	struct route_ifaddr addr;	/* ADDR_ADDED */
};

struct route_set {
	struct route_change *v;
	size_t n, cap;
};

void route_set_init(struct route_set *s);
int route_set_add_route(struct route_set *s, struct route_nl *nl, const struct route *r);
int route_set_del_route(struct route_set *s, struct route_nl *nl, const struct route *r);
int route_set_add_addr(struct route_set *s, struct route_nl *nl, const struct route_ifaddr *a);
int route_set_undo(struct route_set *s, struct route_nl *nl);
void route_set_free(struct route_set *s);

/*
 * redirect-gateway for IPv4.
 *   server:   the VPN server's address (the remote we are connected to)
 *   vpn_gw:   the gateway inside the tunnel (route-gateway, or the
 *             ifconfig remote with net30/p2p)
 *   tun_ifindex, metric: where the new routes go.
 *   def1:     add 0.0.0.0/1 and 128.0.0.0/1 (override without touching the
 *             default route); otherwise the default route is replaced and
 *             put back on undo.
 *   local:    the server is on the local network: no host route for it.
 * Before anything else, the host route to the server through the gateway
 * the kernel uses now is added (unless local, or the server is reached
 * without a gateway).  Every change is recorded in s.
 */
int route_redirect_gateway4(struct route_set *s, struct route_nl *nl, struct in_addr server,
			    bool have_server, struct in_addr vpn_gw, unsigned int tun_ifindex,
			    int metric, bool def1, bool local);

/*
 * redirect-gateway ipv6: ::/3, 2000::/4, 3000::/4 and fc00::/7 through the
 * tunnel (vpn_gw may be NULL: routes via the device), after a host route to
 * an IPv6 server through its current gateway (server may be NULL when the
 * server is reached over IPv4).
 */
int route_redirect_gateway6(struct route_set *s, struct route_nl *nl,
			    const struct in6_addr *server, const struct in6_addr *vpn_gw,
			    unsigned int tun_ifindex, int metric);

#endif
