// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvpn-dco: OpenVPN data channel offload -- module and device lifetime.
 *
 * The device is created over rtnetlink (link kind "mvpn-dco"); peers and
 * keys are driven over generic netlink (netlink.c).  Unloading the module
 * deletes every device of the kind, and deleting a namespace deletes the
 * devices in it, both through the rtnl_link_ops below.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/if_arp.h>
#include <net/genetlink.h>
#include <net/ip.h>
#include <net/rtnetlink.h>

#include "compat.h"
#include "mvpn.h"

/*
 * Live object counts, readable in debugfs (mvpn_dco/devices) so that the
 * selftests can prove every object is freed on every path.
 */
static atomic_t mvpn_dev_count = ATOMIC_INIT(0);
static struct dentry *mvpn_debugfs;

static netdev_tx_t mvpn_net_xmit(struct sk_buff *skb, struct net_device *dev)
{
	/* No peer can exist yet: nothing to send to. */
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops mvpn_netdev_ops = {
	.ndo_start_xmit		= mvpn_net_xmit,
};

bool mvpn_dev_is_valid(const struct net_device *dev)
{
	return dev->netdev_ops == &mvpn_netdev_ops;
}

static void mvpn_dev_destruct(struct net_device *dev)
{
	atomic_dec(&mvpn_dev_count);
}

static void mvpn_setup(struct net_device *dev)
{
	dev->netdev_ops = &mvpn_netdev_ops;
	dev->needs_free_netdev = true;

	/* A layer-3 tunnel: no link-layer header, no ARP, point to point. */
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->mtu = ETH_DATA_LEN;
	dev->min_mtu = IPV4_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU;
	netif_keep_dst(dev);
}

static const struct nla_policy mvpn_link_policy[IFLA_MVPN_MAX + 1] = {
	[IFLA_MVPN_MODE] = NLA_POLICY_RANGE(NLA_U8, MVPN_MODE_P2P, MVPN_MODE_MP),
};

static int mvpn_link_configure(struct net_device *dev, struct nlattr *data[])
{
	struct mvpn_priv *priv = netdev_priv(dev);
	int err;

	priv->dev = dev;
	priv->mode = MVPN_MODE_P2P;
	if (data && data[IFLA_MVPN_MODE])
		priv->mode = nla_get_u8(data[IFLA_MVPN_MODE]);

	/* Carrier comes up only once a peer with a key exists. */
	netif_carrier_off(dev);
	err = register_netdevice(dev);
	if (err)
		return err;
	/* From here on the destructor runs when the device is freed. */
	atomic_inc(&mvpn_dev_count);
	dev->priv_destructor = mvpn_dev_destruct;
	return 0;
}

#ifdef MVPN_NEWLINK_PARAMS
static int mvpn_newlink(struct net_device *dev,
			struct rtnl_newlink_params *params,
			struct netlink_ext_ack *extack)
{
	return mvpn_link_configure(dev, params->data);
}
#else
static int mvpn_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	return mvpn_link_configure(dev, data);
}
#endif

static size_t mvpn_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u8));	/* IFLA_MVPN_MODE */
}

static int mvpn_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct mvpn_priv *priv = netdev_priv(dev);

	if (nla_put_u8(skb, IFLA_MVPN_MODE, priv->mode))
		return -EMSGSIZE;
	return 0;
}

static struct rtnl_link_ops mvpn_link_ops __read_mostly = {
	.kind		= MVPN_LINK_KIND,
	.priv_size	= sizeof(struct mvpn_priv),
	.setup		= mvpn_setup,
	.maxtype	= IFLA_MVPN_MAX,
	.policy		= mvpn_link_policy,
	.newlink	= mvpn_newlink,
	.get_size	= mvpn_get_size,
	.fill_info	= mvpn_fill_info,
};

static int __init mvpn_init(void)
{
	int err;

	mvpn_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_atomic_t("devices", 0444, mvpn_debugfs, &mvpn_dev_count);

	err = rtnl_link_register(&mvpn_link_ops);
	if (err) {
		pr_err("cannot register link kind %s: %d\n", MVPN_LINK_KIND, err);
		goto err_debugfs;
	}

	err = mvpn_nl_register();
	if (err) {
		pr_err("cannot register generic netlink family: %d\n", err);
		goto err_link;
	}
	return 0;

err_link:
	rtnl_link_unregister(&mvpn_link_ops);
err_debugfs:
	debugfs_remove_recursive(mvpn_debugfs);
	return err;
}

static void __exit mvpn_exit(void)
{
	/* Netlink first, so no new request can find a device being torn down. */
	mvpn_nl_unregister();
	rtnl_link_unregister(&mvpn_link_ops);
	debugfs_remove_recursive(mvpn_debugfs);
}

module_init(mvpn_init);
module_exit(mvpn_exit);

MODULE_DESCRIPTION("mvpn: OpenVPN data channel offload");
MODULE_LICENSE("GPL");
MODULE_ALIAS_RTNL_LINK(MVPN_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(MVPN_FAMILY_NAME);
