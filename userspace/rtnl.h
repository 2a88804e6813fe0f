/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rtnl.h: the rtnetlink the data plane needs, over libmnl: create and
 * delete an mvpn-dco link, up/down, MTU, IPv4/IPv6 addresses, ifindex.
 * These work on any link (tun too) except mvpn_rtnl_link_new().  Routes
 * live in route.[ch].
 *
 * Every function returns 0 (or a positive ifindex where stated) or -errno;
 * on error rt->err holds one line a person can act on, including the
 * kernel's extack text when it gave one.
 */
#ifndef MVPN_RTNL_H
#define MVPN_RTNL_H

#include <stdbool.h>
#include <stdint.h>

struct mnl_socket;

struct mvpn_rtnl {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	char err[256];
};

int mvpn_rtnl_open(struct mvpn_rtnl *rt);
void mvpn_rtnl_close(struct mvpn_rtnl *rt);

/* ifindex of a link in the socket's namespace, or -ENODEV. */
int mvpn_rtnl_ifindex(struct mvpn_rtnl *rt, const char *name);

/*
 * Create a link of kind mvpn-dco named name (mode: enum mvpn_mode of
 * <linux/mvpn_dco.h>, 0 = P2P).  Returns its ifindex.  -EEXIST when the name
 * is taken; -EOPNOTSUPP when the module is not available.
 */
int mvpn_rtnl_link_new(struct mvpn_rtnl *rt, const char *name, int mode);
int mvpn_rtnl_link_del(struct mvpn_rtnl *rt, int ifindex);
int mvpn_rtnl_link_set_up(struct mvpn_rtnl *rt, int ifindex, bool up);
int mvpn_rtnl_link_set_mtu(struct mvpn_rtnl *rt, int ifindex, unsigned int mtu);
/* The link's current MTU, or -errno. */
int mvpn_rtnl_link_get_mtu(struct mvpn_rtnl *rt, int ifindex);

/* What show needs to know about a link. */
struct mvpn_rtnl_link {
	int ifindex;
	char name[16];
	char kind[16];		/* IFLA_INFO_KIND, "" when none */
	unsigned int mtu;
	bool up;		/* IFF_UP */
	bool carrier;		/* IFF_LOWER_UP */
	int mode;		/* IFLA_MVPN_MODE of an mvpn-dco link, else -1 */
};

/* One link by name; -ENODEV when there is none. */
int mvpn_rtnl_link_info(struct mvpn_rtnl *rt, const char *name, struct mvpn_rtnl_link *out);
/* Every link of a kind (e.g. "mvpn-dco"): fills up to max, returns how many exist. */
int mvpn_rtnl_links(struct mvpn_rtnl *rt, const char *kind, struct mvpn_rtnl_link *out, int max);

/*
 * The pure parts (fuzz_netlink): decode one RTM_NEWLINK (0, or -EPROTO for
 * another type or a message too short for its header); and the callback
 * that collects links into a list (every link, or those of `kind`).
 */
struct nlmsghdr;
int mvpn_rtnl_link_decode(const struct nlmsghdr *nlh, struct mvpn_rtnl_link *l);
struct mvpn_rtnl_link_list {
	const char *name;	/* one link by name, or NULL (informational) */
	const char *kind;	/* only links of this kind, or NULL */
	struct mvpn_rtnl_link *out;
	int max, n;		/* out[] size; links seen (may exceed max) */
};
int mvpn_rtnl_link_list_cb(const struct nlmsghdr *nlh, void *data);

/* Add an address (family AF_INET or AF_INET6; addr 4 or 16 bytes). */
int mvpn_rtnl_addr_add(struct mvpn_rtnl *rt, int ifindex, int family,
		       const void *addr, unsigned int prefixlen);

#endif
