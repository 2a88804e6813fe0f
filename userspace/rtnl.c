// SPDX-License-Identifier: BSD-2-Clause
/*
 * rtnl.c: rtnetlink helpers over libmnl (API in rtnl.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/mvpn_dco.h>

#include "genl.h"
#include "rtnl.h"

/* One request or one batch of replies (MNL_SOCKET_BUFFER_SIZE is not constant). */
#define RTNL_BUF_SIZE 16384

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000	/* <linux/if.h>, which clashes with <net/if.h> */
#endif

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

int mvpn_rtnl_open(struct mvpn_rtnl *rt)
{
	int one = 1, err;

	memset(rt, 0, sizeof(*rt));
	rt->nl = mnl_socket_open(NETLINK_ROUTE);
	if (!rt->nl) {
		err = -errno;
		snprintf(rt->err, sizeof(rt->err), "rtnetlink socket: %s", strerror(errno));
		return err;
	}
	if (mnl_socket_bind(rt->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		snprintf(rt->err, sizeof(rt->err), "rtnetlink bind: %s", strerror(errno));
		mvpn_rtnl_close(rt);
		return err;
	}
	mnl_socket_setsockopt(rt->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	rt->portid = mnl_socket_get_portid(rt->nl);
	rt->seq = (uint32_t)time(NULL);
	return 0;
}

void mvpn_rtnl_close(struct mvpn_rtnl *rt)
{
	if (rt->nl)
		mnl_socket_close(rt->nl);
	rt->nl = NULL;
}

static struct nlmsghdr *rt_req(struct mvpn_rtnl *rt, char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++rt->seq;
	return nlh;
}

/* Send, collect replies (cb may be NULL) until the ACK; errors with extack
 * text.  The replies are parsed by genl_parse_replies(), which serves
 * rtnetlink as well. */
static int rt_talk(struct mvpn_rtnl *rt, struct nlmsghdr *nlh, const char *what,
		   mnl_cb_t cb, void *data)
{
	char buf[RTNL_BUF_SIZE], why[200];
	uint32_t seq = nlh->nlmsg_seq;

	rt->err[0] = '\0';
	if (mnl_socket_sendto(rt->nl, nlh, nlh->nlmsg_len) < 0) {
		int err = -errno;

		snprintf(rt->err, sizeof(rt->err), "%s: netlink send: %s", what, strerror(errno));
		return err;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(rt->nl, buf, sizeof(buf));
		int r;

		if (n < 0) {
			int err = -errno;

			snprintf(rt->err, sizeof(rt->err), "%s: netlink receive: %s", what,
				 strerror(errno));
			return err;
		}
		r = genl_parse_replies(buf, genl_pad(buf, (size_t)n, sizeof(buf)), seq, rt->portid,
				       cb, data, why, sizeof(why));
		if (r < 0)
			snprintf(rt->err, sizeof(rt->err), "%s: %s", what, why);
		if (r <= 0)
			return r;
	}
}

struct link_info {
	int ifindex;
	int mtu;
};

int mvpn_rtnl_link_decode(const struct nlmsghdr *nlh, struct mvpn_rtnl_link *l)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	memset(l, 0, sizeof(*l));
	l->mode = -1;
	if (nlh->nlmsg_type != RTM_NEWLINK || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifm))
		return -EPROTO;
	l->ifindex = ifm->ifi_index;
	l->up = ifm->ifi_flags & IFF_UP;
	l->carrier = ifm->ifi_flags & IFF_LOWER_UP;
	l->mode = -1;
	mnl_attr_for_each(a, nlh, sizeof(*ifm)) {
		switch (mnl_attr_get_type(a)) {
		case IFLA_MTU:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				l->mtu = mnl_attr_get_u32(a);
			break;
		case IFLA_IFNAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(a));
			break;
		case IFLA_LINKINFO: {
			const struct nlattr *i;

			mnl_attr_for_each_nested(i, a) {
				if (mnl_attr_get_type(i) == IFLA_INFO_KIND &&
				    mnl_attr_validate(i, MNL_TYPE_NUL_STRING) == 0) {
					snprintf(l->kind, sizeof(l->kind), "%s", mnl_attr_get_str(i));
				} else if (mnl_attr_get_type(i) == IFLA_INFO_DATA) {
					const struct nlattr *d;

					mnl_attr_for_each_nested(d, i)
						if (mnl_attr_get_type(d) == IFLA_MVPN_MODE &&
						    mnl_attr_validate(d, MNL_TYPE_U8) == 0)
							l->mode = mnl_attr_get_u8(d);
				}
			}
			break;
		}
		default:
			break;
		}
	}
	if (strcmp(l->kind, MVPN_LINK_KIND) != 0)
		l->mode = -1;
	return 0;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_info *li = data;
	struct mvpn_rtnl_link l;

	if (mvpn_rtnl_link_decode(nlh, &l))
		return MNL_CB_OK;
	li->ifindex = l.ifindex;
	li->mtu = (int)l.mtu;
	return MNL_CB_OK;
}

int mvpn_rtnl_link_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct mvpn_rtnl_link_list *ll = data;
	struct mvpn_rtnl_link l;

	if (mvpn_rtnl_link_decode(nlh, &l))
		return MNL_CB_OK;
	if (ll->kind && strcmp(l.kind, ll->kind) != 0)
		return MNL_CB_OK;
	if (ll->n < ll->max)
		ll->out[ll->n] = l;
	ll->n++;
	return MNL_CB_OK;
}

int mvpn_rtnl_link_info(struct mvpn_rtnl *rt, const char *name, struct mvpn_rtnl_link *out)
{
	char buf[RTNL_BUF_SIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	struct mvpn_rtnl_link_list ll = { .name = name, .out = out, .max = 1 };
	int err;

	if (!name || !*name || strlen(name) >= IFNAMSIZ) {
		snprintf(rt->err, sizeof(rt->err), "'%s': not a valid interface name",
			 name ? name : "");
		return -EINVAL;
	}
	nlh = rt_req(rt, buf, RTM_GETLINK, 0);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	err = rt_talk(rt, nlh, name, mvpn_rtnl_link_list_cb, &ll);
	if (err == -ENODEV || (!err && !ll.n)) {
		snprintf(rt->err, sizeof(rt->err), "no device '%s'", name);
		return -ENODEV;
	}
	return err;
}

int mvpn_rtnl_links(struct mvpn_rtnl *rt, const char *kind, struct mvpn_rtnl_link *out, int max)
{
	char buf[RTNL_BUF_SIZE];
	struct nlmsghdr *nlh = rt_req(rt, buf, RTM_GETLINK, NLM_F_DUMP);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	struct mvpn_rtnl_link_list ll = { .kind = kind, .out = out, .max = max };
	int err;

	ifm->ifi_family = AF_UNSPEC;
	err = rt_talk(rt, nlh, "list links", mvpn_rtnl_link_list_cb, &ll);
	return err ? err : ll.n;
}

static int rt_getlink(struct mvpn_rtnl *rt, const char *name, int ifindex, struct link_info *li)
{
	char buf[RTNL_BUF_SIZE];
	struct nlmsghdr *nlh = rt_req(rt, buf, RTM_GETLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	int err;

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	memset(li, 0, sizeof(*li));
	err = rt_talk(rt, nlh, name ? name : "get link", link_cb, li);
	if (!err && !li->ifindex) {
		snprintf(rt->err, sizeof(rt->err), "%s: no such device", name ? name : "link");
		return -ENODEV;
	}
	return err;
}

int mvpn_rtnl_ifindex(struct mvpn_rtnl *rt, const char *name)
{
	struct link_info li;
	int err;

	if (!name || !*name || strlen(name) >= IFNAMSIZ) {
		snprintf(rt->err, sizeof(rt->err), "'%s': not a valid interface name",
			 name ? name : "");
		return -EINVAL;
	}
	err = rt_getlink(rt, name, 0, &li);
	return err ? err : li.ifindex;
}

int mvpn_rtnl_link_new(struct mvpn_rtnl *rt, const char *name, int mode)
{
	char buf[RTNL_BUF_SIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	struct nlattr *linkinfo, *data;
	char what[64];
	int err;

	if (!name || !*name || strlen(name) >= IFNAMSIZ) {
		snprintf(rt->err, sizeof(rt->err), "'%s': not a valid interface name (1..%d chars)",
			 name ? name : "", IFNAMSIZ - 1);
		return -EINVAL;
	}
	nlh = rt_req(rt, buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, MVPN_LINK_KIND);
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u8(nlh, IFLA_MVPN_MODE, (uint8_t)mode);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	snprintf(what, sizeof(what), "create %s (type %s)", name, MVPN_LINK_KIND);
	err = rt_talk(rt, nlh, what, NULL, NULL);
	if (err == -EOPNOTSUPP)
		snprintf(rt->err, sizeof(rt->err),
			 "create %s: link type %s unknown (is the mvpn_dco module loaded?)", name,
			 MVPN_LINK_KIND);
	else if (err == -EEXIST)
		snprintf(rt->err, sizeof(rt->err), "create %s: a device with this name exists",
			 name);
	if (err)
		return err;
	return mvpn_rtnl_ifindex(rt, name);
}

int mvpn_rtnl_link_del(struct mvpn_rtnl *rt, int ifindex)
{
	char buf[RTNL_BUF_SIZE];
	struct nlmsghdr *nlh = rt_req(rt, buf, RTM_DELLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	return rt_talk(rt, nlh, "delete link", NULL, NULL);
}

int mvpn_rtnl_link_set_up(struct mvpn_rtnl *rt, int ifindex, bool up)
{
	char buf[RTNL_BUF_SIZE];
	struct nlmsghdr *nlh = rt_req(rt, buf, RTM_NEWLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = up ? IFF_UP : 0;
	return rt_talk(rt, nlh, up ? "set link up" : "set link down", NULL, NULL);
}

int mvpn_rtnl_link_set_mtu(struct mvpn_rtnl *rt, int ifindex, unsigned int mtu)
{
	char buf[RTNL_BUF_SIZE];
	struct nlmsghdr *nlh = rt_req(rt, buf, RTM_NEWLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	char what[48];

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	snprintf(what, sizeof(what), "set MTU %u", mtu);
	return rt_talk(rt, nlh, what, NULL, NULL);
}

int mvpn_rtnl_link_get_mtu(struct mvpn_rtnl *rt, int ifindex)
{
	struct link_info li;
	int err = rt_getlink(rt, NULL, ifindex, &li);

	return err ? err : li.mtu;
}

int mvpn_rtnl_addr_add(struct mvpn_rtnl *rt, int ifindex, int family,
		       const void *addr, unsigned int prefixlen)
{
	char buf[RTNL_BUF_SIZE];
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	size_t alen = family == AF_INET ? 4 : 16;
	char txt[INET6_ADDRSTRLEN], what[INET6_ADDRSTRLEN + 32];

	if ((family != AF_INET && family != AF_INET6) || prefixlen > alen * 8) {
		snprintf(rt->err, sizeof(rt->err), "add address: bad family or prefix length /%u",
			 prefixlen);
		return -EINVAL;
	}
	nlh = rt_req(rt, buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = (uint8_t)prefixlen;
	ifa->ifa_index = (uint32_t)ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, addr);
	if (family == AF_INET6)
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	inet_ntop(family, addr, txt, sizeof(txt));
	snprintf(what, sizeof(what), "add address %s/%u", txt, prefixlen);
	return rt_talk(rt, nlh, what, NULL, NULL);
}
