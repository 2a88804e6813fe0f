// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvpn-dco: devices owned by a netlink socket (DEV_OWN).
 *
 * A daemon that dies without cleaning up would leave its device behind:
 * closing its UDP socket removes the peer, but a device created over
 * rtnetlink outlives any process.  With DEV_OWN the device remembers the
 * generic netlink socket (portid) that asked, and the netlink notifier
 * deletes it when that socket is released -- which the kernel does for
 * every socket of a process that exits, however it exits.
 *
 * The notifier runs in atomic context (netlink_release), so it only queues
 * a work item holding a reference to the namespace; the work deletes the
 * matching devices under RTNL.  Teardown order: the notifier is removed
 * first at module exit, then devices, then mvpn_wq is drained, so no work
 * item can outlive the module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>

#include "mvpn.h"

struct mvpn_owner_gone {
	struct work_struct work;
	struct net *net;
	u32 portid;
};

static void mvpn_owner_gone_work(struct work_struct *work)
{
	struct mvpn_owner_gone *g = container_of(work, struct mvpn_owner_gone, work);
	struct net_device *dev, *tmp;
	LIST_HEAD(list);

	rtnl_lock();
	for_each_netdev_safe(g->net, dev, tmp) {
		struct mvpn_priv *priv;

		if (!mvpn_dev_is_valid(dev))
			continue;
		priv = netdev_priv(dev);
		if (priv->owner_portid != g->portid)
			continue;
		netdev_info(dev, "owner socket closed, deleting the device\n");
		if (dev->rtnl_link_ops->dellink)
			dev->rtnl_link_ops->dellink(dev, &list);
		else
			unregister_netdevice_queue(dev, &list);
	}
	unregister_netdevice_many(&list);
	rtnl_unlock();
	put_net(g->net);
	kfree(g);
}

static int mvpn_owner_notify(struct notifier_block *nb, unsigned long state, void *data)
{
	struct netlink_notify *n = data;
	struct mvpn_owner_gone *g;
	struct net *net;

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC || !n->portid)
		return NOTIFY_DONE;
	/* A dying namespace deletes its devices by itself. */
	net = maybe_get_net(n->net);
	if (!net)
		return NOTIFY_DONE;
	g = kzalloc(sizeof(*g), GFP_ATOMIC);
	if (!g) {
		put_net(net);
		return NOTIFY_DONE;
	}
	INIT_WORK(&g->work, mvpn_owner_gone_work);
	g->net = net;
	g->portid = n->portid;
	queue_work(mvpn_wq, &g->work);
	return NOTIFY_DONE;
}

static struct notifier_block mvpn_owner_nb = {
	.notifier_call = mvpn_owner_notify,
};

int mvpn_nl_dev_own_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mvpn_priv *priv = info->user_ptr[0];

	if (!info->snd_portid) {
		NL_SET_ERR_MSG(info->extack, "a kernel socket cannot own a device");
		return -EINVAL;
	}
	rtnl_lock();
	priv->owner_portid = info->snd_portid;
	rtnl_unlock();
	return 0;
}

int __init mvpn_owner_register(void)
{
	return netlink_register_notifier(&mvpn_owner_nb);
}

void mvpn_owner_unregister(void)
{
	netlink_unregister_notifier(&mvpn_owner_nb);
	/* Queued deletions finish before the devices are unregistered. */
	flush_workqueue(mvpn_wq);
}
