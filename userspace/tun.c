// SPDX-License-Identifier: BSD-2-Clause
/*
 * tun.c: tun device setup through /dev/net/tun (TUNSETIFF).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/if_tun.h>

#include "tun.h"

#define TUN_CLONE_DEV "/dev/net/tun"

static int tun_open_queue(struct tun_dev *t, const char *want, int multi, unsigned int flags,
			  char *err, size_t errlen)
{
	struct ifreq ifr;
	int fd, e;

	fd = open(TUN_CLONE_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "cannot open %s: %s%s", TUN_CLONE_DEV, strerror(e),
			 e == ENOENT ? " (is the tun module loaded?)" :
			 e == EACCES || e == EPERM ? " (needs CAP_NET_ADMIN)" : "");
		return -e;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | (multi ? IFF_MULTI_QUEUE : 0) |
			(flags & TUN_OPEN_VNET ? IFF_VNET_HDR : 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", want);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		e = errno;
		snprintf(err, errlen, "cannot create tun device '%s': %s%s", want, strerror(e),
			 e == EBUSY ? " (in use, or a tap device of that name exists)" :
			 e == EINVAL && multi ? " (multi-queue not supported by this device)" :
			 e == EPERM ? " (needs CAP_NET_ADMIN)" : "");
		close(fd);
		return -e;
	}
	if (flags & TUN_OPEN_VNET) {
		unsigned long off = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN;

		t->vnet = true;
		t->offload = ioctl(fd, TUNSETOFFLOAD, off) == 0;
	}
	if (t->nqueues == 0) {
		snprintf(t->name, sizeof(t->name), "%s", ifr.ifr_name);
		t->ifindex = if_nametoindex(t->name);
	}
	t->fd[t->nqueues++] = fd;
	return 0;
}

int tun_open(struct tun_dev *t, const char *name, int queues, char *err, size_t errlen)
{
	return tun_open_flags(t, name, queues, 0, err, errlen);
}

int tun_open_flags(struct tun_dev *t, const char *name, int queues, unsigned int flags,
		   char *err, size_t errlen)
{
	const char *want = name;
	int r;

	memset(t, 0, sizeof(*t));
	for (int i = 0; i < TUN_MAX_QUEUES; i++)
		t->fd[i] = -1;
	if (queues < 1 || queues > TUN_MAX_QUEUES) {
		snprintf(err, errlen, "tun: %d queues requested (1..%d)", queues, TUN_MAX_QUEUES);
		return -EINVAL;
	}
	if (!want || !*want || strcmp(want, "tun") == 0)
		want = "tun%d";
	if (strlen(want) >= IFNAMSIZ) {
		snprintf(err, errlen, "tun device name '%s' is longer than %d characters", want,
			 IFNAMSIZ - 1);
		return -EINVAL;
	}
	for (int q = 0; q < queues; q++) {
		/* every further queue attaches to the name the first one got */
		r = tun_open_queue(t, q ? t->name : want, queues > 1, flags, err, errlen);
		if (r < 0) {
			tun_close(t);
			return r;
		}
	}
	if (!t->ifindex) {
		r = -errno;
		snprintf(err, errlen, "tun device '%s' has no interface index: %s", t->name,
			 strerror(errno));
		tun_close(t);
		return r;
	}
	return 0;
}

void tun_close(struct tun_dev *t)
{
	for (int i = 0; i < TUN_MAX_QUEUES; i++) {
		if (t->fd[i] >= 0)
			close(t->fd[i]);
		t->fd[i] = -1;
	}
	t->nqueues = 0;
}
