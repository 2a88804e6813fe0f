/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvpn-dco: per-device state shared by the module's files.
 */
#ifndef _MVPN_H_
#define _MVPN_H_

#include <linux/netdevice.h>
#include <linux/mvpn_dco.h>

/**
 * struct mvpn_priv - private data of one mvpn-dco net_device
 * @dev: the device itself
 * @mode: P2P or MP, fixed at creation
 */
struct mvpn_priv {
	struct net_device *dev;
	enum mvpn_mode mode;
};

bool mvpn_dev_is_valid(const struct net_device *dev);

int mvpn_nl_register(void);
void mvpn_nl_unregister(void);

#endif /* _MVPN_H_ */
