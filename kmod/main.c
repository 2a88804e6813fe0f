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
#include "io.h"
#include "mvpn.h"
#include "peer.h"

/*
 * Live object counts, readable in debugfs (mvpn_dco/{devices,peers,keys,
 * sockets}) so that the selftests can prove every object is freed on every
 * path.
 */
struct mvpn_counts mvpn_counts;
static struct dentry *mvpn_debugfs;

/* Test hook: TX packet ids of new keys start after this (debugfs, root). */
u32 mvpn_tx_pktid_start;

/* Releases after RCU grace periods run here; drained at module exit. */
struct workqueue_struct *mvpn_wq;

/*
 * ndo_init allocates what the data path uses; the destructor frees it, not
 * ndo_uninit: packets still in flight (they hold the device) may count
 * after unregistration.  register_netdevice() runs the destructor itself
 * when it fails after ndo_init, so the two always pair up.
 */
static int mvpn_net_init(struct net_device *dev)
{
	struct mvpn_priv *priv = netdev_priv(dev);
	int err;

	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	err = gro_cells_init(&priv->gro_cells, dev);
	if (err)
		goto err_stats;
	err = mvpn_peers_init(priv);
	if (err)
		goto err_gro;
	/*
	 * Enabled for the device's whole life, like the GRO cells' NAPI: a
	 * packet decrypted after unregistration still needs it to be posted
	 * (and dropped, the device being down).  The destructor disables it.
	 */
	netif_napi_add(dev, &priv->rx_napi, mvpn_rx_poll);
	napi_enable(&priv->rx_napi);
	atomic_inc(&mvpn_counts.devices);
	return 0;

err_gro:
	gro_cells_destroy(&priv->gro_cells);
err_stats:
	free_percpu(dev->tstats);
	dev->tstats = NULL;
	return err;
}

/* Down and unlisted: late packets are dropped by gro_cells_receive(). */
static void mvpn_net_uninit(struct net_device *dev)
{
	struct mvpn_priv *priv = netdev_priv(dev);

	gro_cells_destroy(&priv->gro_cells);
}

static const struct net_device_ops mvpn_netdev_ops = {
	.ndo_init		= mvpn_net_init,
	.ndo_uninit		= mvpn_net_uninit,
	.ndo_start_xmit		= mvpn_net_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
};

/*
 * P2P: the carrier is on exactly while a peer with a primary key exists.
 * MP: always on (peers come and go; a packet to none is dropped).  Every
 * change of peers or keys calls this afterwards; it reads the current state
 * under the device lock, so the last caller always leaves it right.
 */
void mvpn_carrier_update(struct mvpn_priv *priv)
{
	struct mvpn_peer *peer;
	bool on;

	if (priv->mode == MVPN_MODE_MP)
		return;
	spin_lock_bh(&priv->lock);
	peer = rcu_dereference_protected(priv->peer, lockdep_is_held(&priv->lock));
	on = peer && mvpn_crypto_has_primary(&peer->crypto);
	if (on)
		netif_carrier_on(priv->dev);
	else
		netif_carrier_off(priv->dev);
	spin_unlock_bh(&priv->lock);
}

bool mvpn_dev_is_valid(const struct net_device *dev)
{
	return dev->netdev_ops == &mvpn_netdev_ops;
}

/* The last reference is gone (or registration failed after ndo_init). */
static void mvpn_dev_destruct(struct net_device *dev)
{
	struct mvpn_priv *priv = netdev_priv(dev);

	mvpn_ordq_destroy(&priv->tx_order);
	mvpn_ordq_destroy(&priv->rx_order);
	napi_disable(&priv->rx_napi);
	netif_napi_del(&priv->rx_napi);
	mvpn_peers_free(priv);
	free_percpu(dev->tstats);
	atomic_dec(&mvpn_counts.devices);
}

static void mvpn_setup(struct net_device *dev)
{
	struct mvpn_priv *priv = netdev_priv(dev);
	netdev_features_t feat = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM |
				 NETIF_F_HIGHDMA | NETIF_F_GSO_SOFTWARE;

	dev->netdev_ops = &mvpn_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = mvpn_dev_destruct;

	/* A layer-3 tunnel: no link-layer header, no ARP, point to point. */
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->needed_headroom = MVPN_TX_HEADROOM;
	/* What fits into a 1500-byte outer packet in the worst case (IPv6). */
	dev->mtu = ETH_DATA_LEN - MVPN_LINK_OVERHEAD_MAX;
	dev->min_mtu = IPV4_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU - MVPN_LINK_OVERHEAD_MAX;
	/* Checksums and segmentation are done in software, just before encryption. */
	dev->features |= feat;
	dev->hw_features |= feat;
	mvpn_set_lltx(dev);
	netif_keep_dst(dev);

	priv->dev = dev;
	spin_lock_init(&priv->lock);
	RCU_INIT_POINTER(priv->peer, NULL);
	INIT_DELAYED_WORK(&priv->keepalive_work, mvpn_keepalive_work);
	mvpn_ordq_init(&priv->tx_order, true);
	mvpn_ordq_init(&priv->rx_order, false);
}

static const struct nla_policy mvpn_link_policy[IFLA_MVPN_MAX + 1] = {
	[IFLA_MVPN_MODE] = NLA_POLICY_RANGE(NLA_U8, MVPN_MODE_P2P, MVPN_MODE_MP),
};

static int mvpn_link_configure(struct net_device *dev, struct nlattr *data[])
{
	struct mvpn_priv *priv = netdev_priv(dev);

	priv->mode = MVPN_MODE_P2P;
	if (data && data[IFLA_MVPN_MODE])
		priv->mode = nla_get_u8(data[IFLA_MVPN_MODE]);

	/* P2P: carrier comes up only once a peer with a key exists. */
	if (priv->mode == MVPN_MODE_MP)
		netif_carrier_on(dev);
	else
		netif_carrier_off(dev);
	return register_netdevice(dev);
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

/*
 * Every path that removes a device comes here under RTNL: ip link del,
 * deleting the namespace, unloading the module.  Peers go first (each
 * with PEER_DEL_NTF teardown), and no new one can be added; their
 * references on the device drain as their releases run on mvpn_wq, which
 * unregister_netdevice waits for.  The keepalive work is cancelled after
 * the peers are gone, so it cannot re-arm.
 */
static void mvpn_dellink(struct net_device *dev, struct list_head *head)
{
	struct mvpn_priv *priv = netdev_priv(dev);

	mvpn_peers_del_all(priv, MVPN_DEL_REASON_TEARDOWN);
	cancel_delayed_work_sync(&priv->keepalive_work);
	unregister_netdevice_queue(dev, head);
}

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
	.dellink	= mvpn_dellink,
	.get_size	= mvpn_get_size,
	.fill_info	= mvpn_fill_info,
};

static int __init mvpn_init(void)
{
	int err;

	mvpn_wq = alloc_workqueue("mvpn", 0, 0);
	if (!mvpn_wq)
		return -ENOMEM;
	err = mvpn_io_init();
	if (err)
		goto err_wq;

	mvpn_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_atomic_t("devices", 0444, mvpn_debugfs, &mvpn_counts.devices);
	debugfs_create_atomic_t("peers", 0444, mvpn_debugfs, &mvpn_counts.peers);
	debugfs_create_atomic_t("keys", 0444, mvpn_debugfs, &mvpn_counts.keys);
	debugfs_create_atomic_t("sockets", 0444, mvpn_debugfs, &mvpn_counts.sockets);
	debugfs_create_u32("tx_pktid_start", 0600, mvpn_debugfs, &mvpn_tx_pktid_start);
	debugfs_create_u32("mp_peers_max", 0600, mvpn_debugfs, &mvpn_mp_peers_max);
	debugfs_create_u32("crypt_mode", 0600, mvpn_debugfs, &mvpn_crypt_mode);
	debugfs_create_u32("ordq_max", 0600, mvpn_debugfs, &mvpn_ordq_max);
	debugfs_create_atomic_t("crypto_async", 0444, mvpn_debugfs, &mvpn_crypto_async);

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

	err = mvpn_owner_register();
	if (err) {
		pr_err("cannot register the netlink notifier: %d\n", err);
		goto err_nl;
	}
	return 0;

err_nl:
	mvpn_nl_unregister();
err_link:
	rtnl_link_unregister(&mvpn_link_ops);
err_debugfs:
	debugfs_remove_recursive(mvpn_debugfs);
	mvpn_io_exit();
err_wq:
	destroy_workqueue(mvpn_wq);
	return err;
}

static void __exit mvpn_exit(void)
{
	/*
	 * Devices first: their peers are deleted with PEER_DEL_NTF teardown,
	 * which needs the family.  A request racing with this finds the
	 * device dying (no new peer) or gone.  rtnl_link_unregister returns
	 * once every device was freed, so every peer was released; what is
	 * left are key and socket frees queued behind grace periods: wait
	 * for those callbacks, then drain the queue.
	 */
	mvpn_owner_unregister();
	rtnl_link_unregister(&mvpn_link_ops);
	mvpn_nl_unregister();
	mvpn_io_exit();
	rcu_barrier();
	destroy_workqueue(mvpn_wq);
	debugfs_remove_recursive(mvpn_debugfs);
}

module_init(mvpn_init);
module_exit(mvpn_exit);

MODULE_DESCRIPTION("mvpn: OpenVPN data channel offload");
MODULE_LICENSE("GPL");
MODULE_ALIAS_RTNL_LINK(MVPN_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(MVPN_FAMILY_NAME);
