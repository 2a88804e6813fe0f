/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tun.h: open and close a Linux tun device (IFF_TUN | IFF_NO_PI: each read
 * or write is exactly one IPv4 or IPv6 packet), non-blocking, optionally
 * multi-queue (one fd per queue).
 */
#ifndef MVPN_TUN_H
#define MVPN_TUN_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>

#define TUN_MAX_QUEUES 16

struct tun_dev {
	int fd[TUN_MAX_QUEUES];
	int nqueues;
	bool vnet;		/* every read and write starts with a virtio_net_hdr */
	bool offload;		/* ... and the kernel hands over TSO super-packets */
	char name[IFNAMSIZ];	/* the name the kernel gave */
	unsigned int ifindex;
};

/*
 * Open a tun device.  name: NULL, "" or "tun" lets the kernel pick tunN;
 * a name with "%d" is a pattern; anything else is used as is (an existing
 * tun device of that name is attached to, as OpenVPN does).  queues: 1, or
 * up to TUN_MAX_QUEUES for a multi-queue device.  Returns 0, or -errno with
 * a message naming the device in err.  On failure t holds no open fd.
 */
int tun_open(struct tun_dev *t, const char *name, int queues, char *err, size_t errlen);

/*
 * The same with TUN_OPEN_VNET: IFF_VNET_HDR (a 10-byte struct
 * virtio_net_hdr in front of every packet read or written, see gso.h) and,
 * when the kernel agrees, checksum and TCP segmentation offload
 * (TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN): reads then
 * return TCP super-packets up to 64 KB.  t->offload says whether that
 * took; refusing the offloads is not an error.
 */
#define TUN_OPEN_VNET	0x1
int tun_open_flags(struct tun_dev *t, const char *name, int queues, unsigned int flags,
		   char *err, size_t errlen);

/* Close every queue; the kernel removes a non-persistent device then. */
void tun_close(struct tun_dev *t);

#endif
