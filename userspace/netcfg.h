/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * netcfg.h: configure the tunnel interface from the resolved configuration
 * (local options plus what the server pushed): addresses, MTU, routes,
 * redirect-gateway; and remove every change again, newest first.
 */
#ifndef MVPN_NETCFG_H
#define MVPN_NETCFG_H

#include <stdbool.h>
#include <sys/socket.h>

#include "config.h"
#include "route.h"

struct netcfg {
	struct route_nl nl;
	struct route_set set;
	bool open;
	bool applied;
};

int netcfg_init(struct netcfg *n, char *err, size_t errlen);
void netcfg_free(struct netcfg *n);

/* Apply cfg to the interface.  remote: the server's transport address
 * (kept reachable outside the tunnel for redirect-gateway). */
int netcfg_up(struct netcfg *n, const char *ifname, unsigned int ifindex,
	      const struct mvpn_config *cfg, const struct sockaddr *remote, char *err,
	      size_t errlen);
/* Undo everything netcfg_up() changed. */
void netcfg_down(struct netcfg *n);

#endif
