// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvpn-dco: generic netlink family (the API is uapi/linux/mvpn_dco.h).
 *
 * One pre_doit resolves MVPN_A_IFINDEX to an mvpn-dco device in the caller's
 * namespace and holds it for the duration of the request; post_doit drops it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "compat.h"
#include "mvpn.h"

static struct genl_family mvpn_nl_family;

static const struct nla_policy mvpn_nl_policy[MVPN_A_MAX + 1] = {
	[MVPN_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[MVPN_A_PEER] = { .type = NLA_NESTED },
	[MVPN_A_KEYCONF] = { .type = NLA_NESTED },
};

static int mvpn_nl_pre_doit(mvpn_genl_ops_t *ops, struct sk_buff *skb,
			    struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct net_device *dev;

	if (GENL_REQ_ATTR_CHECK(info, MVPN_A_IFINDEX))
		return -EINVAL;

	dev = dev_get_by_index(net, nla_get_u32(info->attrs[MVPN_A_IFINDEX]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MVPN_A_IFINDEX],
				    "no device with this ifindex");
		return -ENODEV;
	}
	if (!mvpn_dev_is_valid(dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MVPN_A_IFINDEX],
				    "device is not an mvpn-dco device");
		dev_put(dev);
		return -EINVAL;
	}
	info->user_ptr[0] = netdev_priv(dev);
	return 0;
}

static void mvpn_nl_post_doit(mvpn_genl_ops_t *ops, struct sk_buff *skb,
			      struct genl_info *info)
{
	struct mvpn_priv *priv = info->user_ptr[0];

	if (priv)
		dev_put(priv->dev);
}

static int mvpn_nl_peer_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	/* The foundation has no peers yet, so every lookup misses. */
	NL_SET_ERR_MSG(info->extack, "no such peer");
	return -ENOENT;
}

static int mvpn_nl_peer_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct net_device *dev;
	u32 ifindex;

	if (!info->attrs[MVPN_A_IFINDEX]) {
		NL_SET_ERR_MSG(cb->extack, "missing IFINDEX");
		return -EINVAL;
	}
	ifindex = nla_get_u32(info->attrs[MVPN_A_IFINDEX]);
	dev = dev_get_by_index(sock_net(cb->skb->sk), ifindex);
	if (!dev) {
		NL_SET_ERR_MSG(cb->extack, "no device with this ifindex");
		return -ENODEV;
	}
	if (!mvpn_dev_is_valid(dev)) {
		dev_put(dev);
		NL_SET_ERR_MSG(cb->extack, "device is not an mvpn-dco device");
		return -EINVAL;
	}
	dev_put(dev);
	/* No peers exist yet: the dump is empty. */
	return 0;
}

static const struct genl_small_ops mvpn_nl_ops[] = {
	{
		.cmd = MVPN_CMD_PEER_GET,
		.flags = GENL_ADMIN_PERM,
		.doit = mvpn_nl_peer_get_doit,
		.dumpit = mvpn_nl_peer_get_dumpit,
	},
};

static const struct genl_multicast_group mvpn_nl_mcgrps[] = {
	{ .name = MVPN_MCGRP_PEERS },
};

static struct genl_family mvpn_nl_family __ro_after_init = {
	.name = MVPN_FAMILY_NAME,
	.version = MVPN_FAMILY_VERSION,
	.maxattr = MVPN_A_MAX,
	.policy = mvpn_nl_policy,
	.netnsok = true,
	.parallel_ops = true,
	.pre_doit = mvpn_nl_pre_doit,
	.post_doit = mvpn_nl_post_doit,
	.module = THIS_MODULE,
	.small_ops = mvpn_nl_ops,
	.n_small_ops = ARRAY_SIZE(mvpn_nl_ops),
	.resv_start_op = MVPN_CMD_MAX + 1,
	.mcgrps = mvpn_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(mvpn_nl_mcgrps),
};

int __init mvpn_nl_register(void)
{
	return genl_register_family(&mvpn_nl_family);
}

void mvpn_nl_unregister(void)
{
	genl_unregister_family(&mvpn_nl_family);
}
