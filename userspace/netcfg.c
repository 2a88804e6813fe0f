// SPDX-License-Identifier: BSD-2-Clause
/*
 * netcfg.c: addresses, MTU and routes of the tunnel, as OpenVPN's
 * do_ifconfig/add_routes would set them, but over rtnetlink and recorded in
 * a route set so that exit removes exactly what was added.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "netcfg.h"

int netcfg_init(struct netcfg *n, char *err, size_t errlen)
{
	memset(n, 0, sizeof(*n));
	if (route_nl_open(&n->nl)) {
		snprintf(err, errlen, "rtnetlink: %s", n->nl.err);
		return -1;
	}
	route_set_init(&n->set);
	n->open = true;
	return 0;
}

void netcfg_free(struct netcfg *n)
{
	if (!n->open)
		return;
	netcfg_down(n);
	route_set_free(&n->set);
	route_nl_close(&n->nl);
	n->open = false;
}

static enum route_topology topo(const struct mvpn_config *c)
{
	switch (c->topology) {
	case MVPN_TOPOLOGY_SUBNET:
		return ROUTE_TOPOLOGY_SUBNET;
	case MVPN_TOPOLOGY_P2P:
		return ROUTE_TOPOLOGY_P2P;
	default:
		return ROUTE_TOPOLOGY_NET30;
	}
}

/* The gateway inside the tunnel: route-gateway, else the ifconfig peer. */
static bool vpn_gateway4(const struct mvpn_config *c, struct in_addr *gw)
{
	if (c->has_route_gateway && !c->route_gateway_dhcp) {
		*gw = c->route_gateway;
		return true;
	}
	if (c->has_ifconfig && c->topology != MVPN_TOPOLOGY_SUBNET) {
		*gw = c->ifconfig_remote_netmask;
		return true;
	}
	return false;
}

static int add_route4(struct netcfg *n, const struct mvpn_config *c, const struct mvpn_route4 *r,
		      unsigned int ifindex, const struct sockaddr *remote, char *err, size_t errlen)
{
	struct route rt = { .family = AF_INET, .ifindex = ifindex };
	struct in_addr gw;
	int pfx = route_mask_to_prefix(r->mask);

	if (r->net_kind == MVPN_RADDR_REMOTE_HOST) {
		if (!remote || remote->sa_family != AF_INET)
			return 0;
		rt.dst.v4 = ((const struct sockaddr_in *)remote)->sin_addr;
	} else {
		rt.dst.v4 = r->net;
	}
	if (pfx < 0) {
		snprintf(err, errlen, "route %s: netmask %s is not contiguous", inet_ntoa(r->net),
			 inet_ntoa(r->mask));
		return -1;
	}
	rt.prefixlen = (unsigned int)pfx;
	if (r->gw_kind == MVPN_RADDR_IP) {
		rt.has_gw = true;
		rt.gw.v4 = r->gw;
	} else if (r->gw_kind == MVPN_RADDR_NET_GATEWAY) {
		struct route def;

		if (route_get_default(&n->nl, AF_INET, &def) == 0) {
			rt = def;
			rt.dst.v4 = r->net;
			rt.prefixlen = (unsigned int)pfx;
		}
	} else if (vpn_gateway4(c, &gw)) {
		rt.has_gw = true;
		rt.gw.v4 = gw;
	}
	rt.metric = r->metric != MVPN_UNSET ? r->metric : c->route_metric > 0 ? c->route_metric : 0;
	if (route_set_add_route(&n->set, &n->nl, &rt)) {
		snprintf(err, errlen, "%s", n->nl.err);
		return -1;
	}
	return 0;
}

int netcfg_up(struct netcfg *n, const char *ifname, unsigned int ifindex,
	      const struct mvpn_config *c, const struct sockaddr *remote, char *err, size_t errlen)
{
	char buf[160];
	int mtu = c->conn.tun_mtu > 0 ? c->conn.tun_mtu : 1500;

	if (c->n_remotes && c->remotes[0].tun_mtu > 0 && c->conn.tun_mtu <= 0)
		mtu = c->remotes[0].tun_mtu;
	n->applied = true;
	if (route_link_set_mtu(&n->nl, ifindex, (unsigned int)mtu))
		mlog(LOG_ERR, "cannot set MTU %d on %s: %s", mtu, ifname, n->nl.err);
	if (route_link_set_up(&n->nl, ifindex, true)) {
		snprintf(err, errlen, "cannot bring %s up: %s", ifname, n->nl.err);
		return -1;
	}
	if (c->has_ifconfig && !c->ifconfig_noexec) {
		struct route_ifaddr a;

		if (route_ifconfig4(topo(c), ifindex, c->ifconfig_local, c->ifconfig_remote_netmask, &a,
				    err, errlen))
			return -1;
		if (route_set_add_addr(&n->set, &n->nl, &a)) {
			snprintf(err, errlen, "%s", n->nl.err);
			return -1;
		}
		mlog(LOG_INFO, "net_addr_v4_add: %s/%u dev %s", inet_ntop(AF_INET, &a.local.v4, buf, sizeof(buf)),
		     a.prefixlen, ifname);
	}
	if (c->has_ifconfig6 && !c->ifconfig_noexec) {
		struct route_ifaddr a = { .family = AF_INET6, .ifindex = ifindex,
					  .prefixlen = c->ifconfig6_bits };

		a.local.v6 = c->ifconfig6_local;
		if (route_set_add_addr(&n->set, &n->nl, &a)) {
			snprintf(err, errlen, "%s", n->nl.err);
			return -1;
		}
		mlog(LOG_INFO, "net_addr_v6_add: %s/%u dev %s",
		     inet_ntop(AF_INET6, &a.local.v6, buf, sizeof(buf)), a.prefixlen, ifname);
	}
	if (c->route_noexec)
		return 0;

	if (c->redirect_gateway & MVPN_REDIR_ENABLED) {
		unsigned int f = c->redirect_gateway;
		struct in_addr gw = { 0 }, server = { 0 };
		bool have_server = remote && remote->sa_family == AF_INET;

		if (have_server)
			server = ((const struct sockaddr_in *)remote)->sin_addr;
		vpn_gateway4(c, &gw);
		if (!(f & MVPN_REDIR_NOT_IPV4) &&
		    route_redirect_gateway4(&n->set, &n->nl, server, have_server, gw, ifindex,
					    c->route_metric > 0 ? c->route_metric : 0,
					    (f & MVPN_REDIR_DEF1) != 0, (f & MVPN_REDIR_LOCAL) != 0)) {
			snprintf(err, errlen, "redirect-gateway: %s", n->nl.err);
			return -1;
		}
		if ((f & MVPN_REDIR_IPV6) && c->has_ifconfig6) {
			const struct in6_addr *srv6 = remote && remote->sa_family == AF_INET6
				? &((const struct sockaddr_in6 *)remote)->sin6_addr : NULL;

			if (route_redirect_gateway6(&n->set, &n->nl, srv6,
						    c->has_route_ipv6_gateway ? &c->route_ipv6_gateway : NULL,
						    ifindex, c->route_metric > 0 ? c->route_metric : 0)) {
				snprintf(err, errlen, "redirect-gateway ipv6: %s", n->nl.err);
				return -1;
			}
		}
	}
	for (size_t i = 0; i < c->n_routes; i++)
		if (add_route4(n, c, &c->routes[i], ifindex, remote, err, errlen))
			return -1;
	for (size_t i = 0; i < c->n_routes6; i++) {
		const struct mvpn_route6 *r = &c->routes6[i];
		struct route rt = { .family = AF_INET6, .ifindex = ifindex, .prefixlen = r->bits };

		rt.dst.v6 = r->net;
		if (r->has_gw) {
			rt.has_gw = true;
			rt.gw.v6 = r->gw;
		}
		rt.metric = r->metric != MVPN_UNSET ? r->metric : c->route_metric > 0 ? c->route_metric : 0;
		if (route_set_add_route(&n->set, &n->nl, &rt)) {
			snprintf(err, errlen, "%s", n->nl.err);
			return -1;
		}
	}
	return 0;
}

void netcfg_down(struct netcfg *n)
{
	if (!n->applied)
		return;
	if (route_set_undo(&n->set, &n->nl))
		mlog(LOG_VERBOSE, "removing routes: %s", n->nl.err);
	n->applied = false;
}
