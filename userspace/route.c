// SPDX-License-Identifier: BSD-2-Clause
/*
 * route.c: addresses, link, MTU and routes over rtnetlink with libmnl, and
 * the route set that undoes them.  The request/ACK exchange is genl.c's
 * genl_talk(), which works for any netlink protocol and keeps extack text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "route.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

int route_nl_open(struct route_nl *nl)
{
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->gs.nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl->gs.nl) {
		err = -errno;
		snprintf(nl->err, sizeof(nl->err), "rtnetlink socket: %s", strerror(errno));
		return err;
	}
	if (mnl_socket_bind(nl->gs.nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		snprintf(nl->err, sizeof(nl->err), "rtnetlink bind: %s", strerror(errno));
		route_nl_close(nl);
		return err;
	}
	mnl_socket_setsockopt(nl->gs.nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->gs.nl, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->gs.portid = mnl_socket_get_portid(nl->gs.nl);
	nl->gs.seq = (uint32_t)time(NULL);
	return 0;
}

void route_nl_close(struct route_nl *nl)
{
	if (nl->gs.nl)
		mnl_socket_close(nl->gs.nl);
	nl->gs.nl = NULL;
}

static struct nlmsghdr *req(struct route_nl *nl, void *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->gs.seq;
	return nlh;
}

/* Send, wait for the answer, and put "what: " in front of any error. */
static int talk(struct route_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
		const char *what)
{
	int r;

	if (!nl->gs.nl) {
		snprintf(nl->err, sizeof(nl->err), "%s: rtnetlink socket not open", what);
		return -EBADF;
	}
	r = genl_talk(&nl->gs, nlh, cb, data);
	if (r < 0)
		snprintf(nl->err, sizeof(nl->err), "%s: %s", what, nl->gs.err);
	return r;
}

static size_t alen(int family)
{
	return family == AF_INET ? sizeof(struct in_addr) : sizeof(struct in6_addr);
}

static unsigned int maxlen(int family)
{
	return family == AF_INET ? 32 : 128;
}

static int check_family(struct route_nl *nl, int family, unsigned int plen, const char *what)
{
	if (family != AF_INET && family != AF_INET6) {
		snprintf(nl->err, sizeof(nl->err), "%s: address family %d is not IPv4 or IPv6",
			 what, family);
		return -EAFNOSUPPORT;
	}
	if (plen > maxlen(family)) {
		snprintf(nl->err, sizeof(nl->err), "%s: prefix length %u is longer than %u",
			 what, plen, maxlen(family));
		return -EINVAL;
	}
	return 0;
}

const char *route_str(const struct route *r, char *buf, size_t len)
{
	char dst[INET6_ADDRSTRLEN] = "?", gw[INET6_ADDRSTRLEN] = "", ifn[IF_NAMESIZE] = "";
	char dev[IF_NAMESIZE + 16] = "", met[24] = "";

	if (r->family == AF_INET || r->family == AF_INET6) {
		inet_ntop(r->family, &r->dst, dst, sizeof(dst));
		if (r->has_gw)
			inet_ntop(r->family, &r->gw, gw, sizeof(gw));
	}
	if (r->ifindex) {
		if (!if_indextoname(r->ifindex, ifn))
			snprintf(ifn, sizeof(ifn), "#%u", r->ifindex);
		snprintf(dev, sizeof(dev), " dev %s", ifn);
	}
	if (r->metric > 0)
		snprintf(met, sizeof(met), " metric %d", r->metric);
	snprintf(buf, len, "%s/%u%s%s%s%s", dst, r->prefixlen, r->has_gw ? " via " : "", gw, dev,
		 met);
	return buf;
}

static struct nlmsghdr *route_msg(struct route_nl *nl, void *buf, uint16_t type,
				  uint16_t flags, const struct route *r)
{
	struct nlmsghdr *nlh = req(nl, buf, type, flags);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = (unsigned char)r->family;
	rtm->rtm_dst_len = (unsigned char)r->prefixlen;
	rtm->rtm_type = RTN_UNICAST;
	if (type == RTM_DELROUTE) {
		/* match any scope and origin (boot, dhcp, static) */
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
		rtm->rtm_protocol = RTPROT_UNSPEC;
	} else {
		rtm->rtm_protocol = r->protocol ? r->protocol : RTPROT_STATIC;
		rtm->rtm_scope = (r->has_gw || r->family == AF_INET6) ? RT_SCOPE_UNIVERSE :
									RT_SCOPE_LINK;
	}
	if (r->table && r->table < 256) {
		rtm->rtm_table = (unsigned char)r->table;
	} else if (r->table) {
		rtm->rtm_table = RT_TABLE_UNSPEC;
		mnl_attr_put_u32(nlh, RTA_TABLE, r->table);
	} else {
		rtm->rtm_table = RT_TABLE_MAIN;
	}
	mnl_attr_put(nlh, RTA_DST, alen(r->family), &r->dst);
	if (r->has_gw)
		mnl_attr_put(nlh, RTA_GATEWAY, alen(r->family), &r->gw);
	if (r->ifindex)
		mnl_attr_put_u32(nlh, RTA_OIF, r->ifindex);
	if (r->metric > 0)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, (uint32_t)r->metric);
	return nlh;
}

static int route_change(struct route_nl *nl, const struct route *r, bool add)
{
	char buf[GENL_BUF_SIZE], what[160], rs[128];
	struct nlmsghdr *nlh;
	int e;

	snprintf(what, sizeof(what), "route %s %s", add ? "add" : "del",
		 route_str(r, rs, sizeof(rs)));
	e = check_family(nl, r->family, r->prefixlen, what);
	if (e)
		return e;
	nlh = route_msg(nl, buf, add ? RTM_NEWROUTE : RTM_DELROUTE,
			NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0), r);
	return talk(nl, nlh, NULL, NULL, what);
}

int route_add(struct route_nl *nl, const struct route *r)
{
	return route_change(nl, r, true);
}

int route_del(struct route_nl *nl, const struct route *r)
{
	return route_change(nl, r, false);
}

struct parsed_route {
	struct route r;
	unsigned char type, table, dst_len;
	uint32_t table32;
	bool found;
};

/* Parse one RTM_NEWROUTE into p (first nexthop of a multipath route). */
static void parse_route(const struct nlmsghdr *nlh, struct parsed_route *p)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	size_t al;

	memset(p, 0, sizeof(*p));
	p->r.family = rtm->rtm_family;
	p->r.prefixlen = rtm->rtm_dst_len;
	p->r.protocol = rtm->rtm_protocol;
	p->type = rtm->rtm_type;
	p->table32 = rtm->rtm_table;
	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return;
	al = alen(rtm->rtm_family);
	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		uint16_t t = mnl_attr_get_type(a);

		if ((t == RTA_DST || t == RTA_GATEWAY || t == RTA_PREFSRC) &&
		    mnl_attr_get_payload_len(a) != al)
			continue;
		switch (t) {
		case RTA_DST:
			memcpy(&p->r.dst, mnl_attr_get_payload(a), al);
			break;
		case RTA_GATEWAY:
			memcpy(&p->r.gw, mnl_attr_get_payload(a), al);
			p->r.has_gw = true;
			break;
		case RTA_PREFSRC:
			memcpy(&p->r.prefsrc, mnl_attr_get_payload(a), al);
			p->r.has_prefsrc = true;
			break;
		case RTA_OIF:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				p->r.ifindex = mnl_attr_get_u32(a);
			break;
		case RTA_PRIORITY:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				p->r.metric = (int)mnl_attr_get_u32(a);
			break;
		case RTA_TABLE:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				p->table32 = mnl_attr_get_u32(a);
			break;
		case RTA_MULTIPATH: {
			const struct rtnexthop *nh = mnl_attr_get_payload(a);
			size_t left = mnl_attr_get_payload_len(a);

			if (left < sizeof(*nh) || nh->rtnh_len < sizeof(*nh) || nh->rtnh_len > left)
				break;
			if (!p->r.ifindex)
				p->r.ifindex = (unsigned int)nh->rtnh_ifindex;
			if (!p->r.has_gw) {
				const struct nlattr *na = (const void *)((const char *)nh +
									 RTNH_ALIGN(sizeof(*nh)));
				size_t nleft = nh->rtnh_len - RTNH_ALIGN(sizeof(*nh));

				while (nleft >= sizeof(*na) && na->nla_len >= sizeof(*na) &&
				       na->nla_len <= nleft) {
					size_t step = MNL_ALIGN(na->nla_len);

					if (mnl_attr_get_type(na) == RTA_GATEWAY &&
					    mnl_attr_get_payload_len(na) == al) {
						memcpy(&p->r.gw, mnl_attr_get_payload(na), al);
						p->r.has_gw = true;
					}
					if (step >= nleft)
						break;
					nleft -= step;
					na = (const void *)((const char *)na + step);
				}
			}
			break;
		}
		default:
			break;
		}
	}
	p->r.table = p->table32 == RT_TABLE_MAIN ? 0 : p->table32;
	p->found = true;
}

int route_parse_msg(const struct nlmsghdr *nlh, struct route *out, unsigned int *type,
		    uint32_t *table)
{
	struct parsed_route p;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct rtmsg))
		return -EPROTO;
	parse_route(nlh, &p);
	*out = p.r;
	if (type)
		*type = p.type;
	if (table)
		*table = p.table32;
	return 0;
}

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct parsed_route *p = data;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct rtmsg))
		return MNL_CB_ERROR;
	parse_route(nlh, p);
	return MNL_CB_OK;
}

int route_get(struct route_nl *nl, int family, const union route_addr *addr, struct route *out)
{
	char buf[GENL_BUF_SIZE], what[80], as[INET6_ADDRSTRLEN] = "?";
	struct parsed_route p = { 0 };
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int e;

	if (family == AF_INET || family == AF_INET6)
		inet_ntop(family, addr, as, sizeof(as));
	snprintf(what, sizeof(what), "route get %s", as);
	e = check_family(nl, family, 0, what);
	if (e)
		return e;
	nlh = req(nl, buf, RTM_GETROUTE, NLM_F_ACK);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)family;
	rtm->rtm_dst_len = (unsigned char)maxlen(family);
	mnl_attr_put(nlh, RTA_DST, alen(family), addr);
	e = talk(nl, nlh, get_cb, &p, what);
	if (e)
		return e;
	if (!p.found) {
		snprintf(nl->err, sizeof(nl->err), "%s: no answer from the kernel", what);
		return -EIO;
	}
	*out = p.r;
	out->family = family;
	memcpy(&out->dst, addr, alen(family));
	out->prefixlen = maxlen(family);
	out->table = 0;
	out->protocol = 0;
	return 0;
}

struct default_search {
	int family;
	struct route best;
	bool found;
};

static int default_cb(const struct nlmsghdr *nlh, void *data)
{
	struct default_search *d = data;
	struct parsed_route p;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct rtmsg))
		return MNL_CB_OK;
	parse_route(nlh, &p);
	if (!p.found || p.r.family != d->family || p.r.prefixlen != 0 ||
	    p.type != RTN_UNICAST || p.table32 != RT_TABLE_MAIN)
		return MNL_CB_OK;
	if (!d->found || p.r.metric < d->best.metric) {
		d->best = p.r;
		d->found = true;
	}
	return MNL_CB_OK;
}

int route_get_default(struct route_nl *nl, int family, struct route *out)
{
	char buf[GENL_BUF_SIZE];
	struct default_search d = { .family = family };
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int e;

	e = check_family(nl, family, 0, "default route lookup");
	if (e)
		return e;
	nlh = req(nl, buf, RTM_GETROUTE, NLM_F_DUMP);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)family;
	e = talk(nl, nlh, default_cb, &d, "default route lookup");
	if (e)
		return e;
	if (!d.found) {
		snprintf(nl->err, sizeof(nl->err), "no IPv%d default route",
			 family == AF_INET ? 4 : 6);
		return -ENOENT;
	}
	*out = d.best;
	return 0;
}

static int link_change(struct route_nl *nl, unsigned int ifindex, int up, unsigned int mtu)
{
	char buf[GENL_BUF_SIZE], what[64], ifn[IF_NAMESIZE];
	struct nlmsghdr *nlh = req(nl, buf, RTM_NEWLINK, NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	if (!if_indextoname(ifindex, ifn))
		snprintf(ifn, sizeof(ifn), "#%u", ifindex);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	if (up >= 0) {
		ifi->ifi_change = IFF_UP;
		ifi->ifi_flags = up ? IFF_UP : 0;
		snprintf(what, sizeof(what), "link set %s %s", ifn, up ? "up" : "down");
	} else {
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
		snprintf(what, sizeof(what), "link set %s mtu %u", ifn, mtu);
	}
	return talk(nl, nlh, NULL, NULL, what);
}

int route_link_set_up(struct route_nl *nl, unsigned int ifindex, bool up)
{
	return link_change(nl, ifindex, up, 0);
}

int route_link_set_mtu(struct route_nl *nl, unsigned int ifindex, unsigned int mtu)
{
	return link_change(nl, ifindex, -1, mtu);
}

static const char *ifaddr_str(const struct route_ifaddr *a, char *buf, size_t len)
{
	char l[INET6_ADDRSTRLEN] = "?", p[INET6_ADDRSTRLEN] = "", ifn[IF_NAMESIZE];

	if (a->family == AF_INET || a->family == AF_INET6) {
		inet_ntop(a->family, &a->local, l, sizeof(l));
		if (a->has_peer)
			inet_ntop(a->family, &a->peer, p, sizeof(p));
	}
	if (!if_indextoname(a->ifindex, ifn))
		snprintf(ifn, sizeof(ifn), "#%u", a->ifindex);
	snprintf(buf, len, "%s%s%s/%u dev %s", l, a->has_peer ? " peer " : "", p, a->prefixlen,
		 ifn);
	return buf;
}

static int addr_change(struct route_nl *nl, const struct route_ifaddr *a, bool add)
{
	char buf[GENL_BUF_SIZE], what[160], as[128];
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	int e;

	snprintf(what, sizeof(what), "address %s %s", add ? "add" : "del",
		 ifaddr_str(a, as, sizeof(as)));
	e = check_family(nl, a->family, a->prefixlen, what);
	if (e)
		return e;
	if (a->has_peer && a->family != AF_INET) {
		snprintf(nl->err, sizeof(nl->err), "%s: a peer address is IPv4 only", what);
		return -EINVAL;
	}
	nlh = req(nl, buf, add ? RTM_NEWADDR : RTM_DELADDR,
		  NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0));
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (unsigned char)a->family;
	ifa->ifa_prefixlen = (unsigned char)a->prefixlen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = a->ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen(a->family), &a->local);
	mnl_attr_put(nlh, IFA_ADDRESS, alen(a->family), a->has_peer ? &a->peer : &a->local);
	return talk(nl, nlh, NULL, NULL, what);
}

int route_addr_add(struct route_nl *nl, const struct route_ifaddr *a)
{
	return addr_change(nl, a, true);
}

int route_addr_del(struct route_nl *nl, const struct route_ifaddr *a)
{
	return addr_change(nl, a, false);
}

int route_mask_to_prefix(struct in_addr mask)
{
	uint32_t m = ntohl(mask.s_addr);
	int n = 0;

	while (n < 32 && (m & (0x80000000u >> n)))
		n++;
	if (n < 32 && (m << n) != 0)
		return -1;	/* a one after a zero */
	return n;
}

int route_ifconfig4(enum route_topology topo, unsigned int ifindex, struct in_addr local,
		    struct in_addr remote_or_mask, struct route_ifaddr *out, char *err,
		    size_t errlen)
{
	char ms[INET_ADDRSTRLEN];
	int plen;

	memset(out, 0, sizeof(*out));
	out->family = AF_INET;
	out->ifindex = ifindex;
	out->local.v4 = local;
	switch (topo) {
	case ROUTE_TOPOLOGY_SUBNET:
		plen = route_mask_to_prefix(remote_or_mask);
		if (plen < 0) {
			inet_ntop(AF_INET, &remote_or_mask, ms, sizeof(ms));
			snprintf(err, errlen, "ifconfig: '%s' is not a valid netmask "
				 "(topology subnet takes 'ifconfig ADDRESS NETMASK')", ms);
			return -EINVAL;
		}
		out->prefixlen = (unsigned int)plen;
		return 0;
	case ROUTE_TOPOLOGY_NET30:
	case ROUTE_TOPOLOGY_P2P:
		if (route_mask_to_prefix(remote_or_mask) >= 8 &&
		    (ntohl(remote_or_mask.s_addr) & 0xff000000u) == 0xff000000u) {
			inet_ntop(AF_INET, &remote_or_mask, ms, sizeof(ms));
			snprintf(err, errlen, "ifconfig: '%s' looks like a netmask, but topology "
				 "%s takes 'ifconfig LOCAL REMOTE' (use 'topology subnet')", ms,
				 topo == ROUTE_TOPOLOGY_NET30 ? "net30" : "p2p");
			return -EINVAL;
		}
		out->prefixlen = 32;
		out->has_peer = true;
		out->peer.v4 = remote_or_mask;
		return 0;
	}
	snprintf(err, errlen, "ifconfig: unknown topology %d", (int)topo);
	return -EINVAL;
}

/* ---------------------------------------------------------------- route set */

void route_set_init(struct route_set *s)
{
	memset(s, 0, sizeof(*s));
}

static int record(struct route_set *s, const struct route_change *c)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 16;
		struct route_change *v = realloc(s->v, ncap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = ncap;
	}
	s->v[s->n++] = *c;
	return 0;
}

/*
 * Record before acting, so that a change the kernel made is never
 * forgotten for lack of memory; drop the record again if the kernel said no.
 */
static int record_then(struct route_set *s, struct route_nl *nl, const struct route_change *c,
		       int (*act)(struct route_nl *, const struct route_change *))
{
	int e = record(s, c);

	if (e) {
		snprintf(nl->err, sizeof(nl->err), "route set: out of memory");
		return e;
	}
	e = act(nl, c);
	if (e)
		s->n--;
	return e;
}

static int act_route_add(struct route_nl *nl, const struct route_change *c)
{
	return route_add(nl, &c->route);
}

static int act_route_del(struct route_nl *nl, const struct route_change *c)
{
	return route_del(nl, &c->route);
}

static int act_addr_add(struct route_nl *nl, const struct route_change *c)
{
	return route_addr_add(nl, &c->addr);
}

int route_set_add_route(struct route_set *s, struct route_nl *nl, const struct route *r)
{
	struct route_change c = { .kind = ROUTE_CHANGE_ROUTE_ADDED, .route = *r };

	return record_then(s, nl, &c, act_route_add);
}

int route_set_del_route(struct route_set *s, struct route_nl *nl, const struct route *r)
{
	struct route_change c = { .kind = ROUTE_CHANGE_ROUTE_DELETED, .route = *r };

	return record_then(s, nl, &c, act_route_del);
}

int route_set_add_addr(struct route_set *s, struct route_nl *nl, const struct route_ifaddr *a)
{
	struct route_change c = { .kind = ROUTE_CHANGE_ADDR_ADDED, .addr = *a };

	return record_then(s, nl, &c, act_addr_add);
}

int route_set_undo(struct route_set *s, struct route_nl *nl)
{
	char first[sizeof(nl->err)] = "";
	int ret = 0;

	while (s->n > 0) {
		const struct route_change *c = &s->v[--s->n];
		int e = 0;

		switch (c->kind) {
		case ROUTE_CHANGE_ROUTE_ADDED:
			e = route_del(nl, &c->route);
			break;
		case ROUTE_CHANGE_ROUTE_DELETED:
			e = route_add(nl, &c->route);
			break;
		case ROUTE_CHANGE_ADDR_ADDED:
			e = route_addr_del(nl, &c->addr);
			break;
		}
		/*
		 * Gone already (the tun device took its addresses and routes
		 * with it) or back already: that is the state we want.
		 */
		if (e == -ESRCH || e == -ENODEV || e == -EADDRNOTAVAIL ||
		    (e == -EEXIST && c->kind == ROUTE_CHANGE_ROUTE_DELETED))
			e = 0;
		if (e && !ret) {
			ret = e;
			snprintf(first, sizeof(first), "%s", nl->err);
		}
	}
	if (ret)
		snprintf(nl->err, sizeof(nl->err), "%s", first);
	return ret;
}

void route_set_free(struct route_set *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* -------------------------------------------------------- redirect-gateway */

/* Keep the way to the server: a host route through the gateway used now. */
static int keep_server_route(struct route_set *s, struct route_nl *nl, int family,
			     const union route_addr *server)
{
	struct route cur, host;
	int e = route_get(nl, family, server, &cur);

	if (e)
		return e;
	if (!cur.has_gw)
		return 0;	/* on-link: the connected route stays */
	memset(&host, 0, sizeof(host));
	host.family = family;
	host.dst = *server;
	host.prefixlen = maxlen(family);
	host.has_gw = true;
	host.gw = cur.gw;
	host.ifindex = cur.ifindex;
	e = route_set_add_route(s, nl, &host);
	return e == -EEXIST ? 0 : e;	/* someone keeps it already */
}

static int add_via_tun(struct route_set *s, struct route_nl *nl, int family, const void *dst,
		       unsigned int plen, const void *gw, unsigned int ifindex, int metric)
{
	struct route r = { .family = family, .prefixlen = plen, .ifindex = ifindex,
			   .metric = metric };

	memcpy(&r.dst, dst, alen(family));
	if (gw) {
		r.has_gw = true;
		memcpy(&r.gw, gw, alen(family));
	}
	return route_set_add_route(s, nl, &r);
}

int route_redirect_gateway4(struct route_set *s, struct route_nl *nl, struct in_addr server,
			    bool have_server, struct in_addr vpn_gw, unsigned int tun_ifindex,
			    int metric, bool def1, bool local)
{
	union route_addr sv = { .v4 = server };
	struct in_addr zero = { 0 }, half = { htonl(0x80000000u) };
	struct route old;
	int e;

	if (have_server && !local) {
		e = keep_server_route(s, nl, AF_INET, &sv);
		if (e)
			return e;
	}
	if (def1) {
		e = add_via_tun(s, nl, AF_INET, &zero, 1, &vpn_gw, tun_ifindex, metric);
		if (!e)
			e = add_via_tun(s, nl, AF_INET, &half, 1, &vpn_gw, tun_ifindex, metric);
		return e;
	}
	/* Replace the default route; undo puts the old one back. */
	e = route_get_default(nl, AF_INET, &old);
	if (e && e != -ENOENT)
		return e;
	if (!e) {
		e = route_set_del_route(s, nl, &old);
		if (e)
			return e;
	}
	return add_via_tun(s, nl, AF_INET, &zero, 0, &vpn_gw, tun_ifindex, metric);
}

int route_redirect_gateway6(struct route_set *s, struct route_nl *nl,
			    const struct in6_addr *server, const struct in6_addr *vpn_gw,
			    unsigned int tun_ifindex, int metric)
{
	static const struct {
		uint8_t first;
		unsigned int plen;
	} nets[] = { { 0x00, 3 }, { 0x20, 4 }, { 0x30, 4 }, { 0xfc, 7 } };
	int e;

	if (server) {
		union route_addr sv = { .v6 = *server };

		e = keep_server_route(s, nl, AF_INET6, &sv);
		if (e)
			return e;
	}
	for (size_t i = 0; i < sizeof(nets) / sizeof(nets[0]); i++) {
		struct in6_addr dst = { 0 };

		dst.s6_addr[0] = nets[i].first;
		e = add_via_tun(s, nl, AF_INET6, &dst, nets[i].plen, vpn_gw, tun_ifindex, metric);
		if (e)
			return e;
	}
	return 0;
}
