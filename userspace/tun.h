/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tun.h: open and close a Linux tun device (IFF_TUN | IFF_NO_PI: each read
 * or write is exactly one IPv4 or IPv6 packet), non-blocking, optionally
 * multi-queue (one fd per queue).
 */
#ifndef MVPN_TUN_H
#define MVPN_TUN_H

#include <stddef.h>
#include <net/if.h>

#define TUN_MAX_QUEUES 16

struct tun_dev {
	int fd[TUN_MAX_QUEUES];
	int nqueues;
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

/* Close every queue; the kernel removes a non-persistent device then. */
void tun_close(struct tun_dev *t);

#endif
