/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * loop.h: mvpnd's one event loop.  It owns every descriptor (the transport
 * socket, tun, netlink, timerfd, signalfd), turns readiness into engine
 * events, and carries out the engine's actions through the data plane in
 * use (userspace on tun, or the mvpn-dco module).
 */
#ifndef MVPN_LOOP_H
#define MVPN_LOOP_H

#include <stdbool.h>

#include "config.h"

enum dco_mode {
	DCO_AUTO,	/* use the module when it is there and the config allows */
	DCO_ON,		/* refuse to start without the module */
	DCO_OFF,	/* always the userspace data plane */
};

struct loop_opts {
	const struct mvpn_config *cfg;
	enum dco_mode dco;
	bool force_prf;
};

/* Run until the engine exits.  Returns the exit status (0 or 1). */
int loop_run(const struct loop_opts *o);

#endif
