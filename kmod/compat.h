/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mvpn-dco: the few kernel API differences between Debian's 6.1 (the build
 * target) and newer kernels.  Everything else is written against 6.1.
 */
#ifndef _MVPN_COMPAT_H_
#define _MVPN_COMPAT_H_

#include <linux/version.h>

/* 6.12 moved the unaligned accessors out of asm/. */
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* 6.5 moved skb_gso_segment() to its own header. */
#if KERNEL_VERSION(6, 5, 0) <= LINUX_VERSION_CODE
#include <net/gso.h>
#endif

/* 6.2 split genl ops: pre_doit/post_doit receive a genl_split_ops. */
#if KERNEL_VERSION(6, 2, 0) > LINUX_VERSION_CODE
#define mvpn_genl_ops_t const struct genl_ops
#else
#define mvpn_genl_ops_t const struct genl_split_ops
#endif

/* 6.15 passes rtnl_newlink_params to ->newlink instead of separate args. */
#if KERNEL_VERSION(6, 15, 0) <= LINUX_VERSION_CODE
#define MVPN_NEWLINK_PARAMS 1
#endif

/* 6.3 passes the request's data to crypto completions instead of the request. */
#if KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
#define mvpn_crypto_done_arg_t void *
#define mvpn_crypto_done_data(arg) (arg)
#else
#define mvpn_crypto_done_arg_t struct crypto_async_request *
#define mvpn_crypto_done_data(arg) ((arg)->data)
#endif

/* 6.12 turned the LLTX feature bit into a device flag. */
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
#define mvpn_set_lltx(dev) ((dev)->lltx = true)
#else
#define mvpn_set_lltx(dev) ((dev)->features |= NETIF_F_LLTX)
#endif

#endif /* _MVPN_COMPAT_H_ */
