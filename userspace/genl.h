/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * genl.h: a small generic-netlink client on libmnl: resolve a family and
 * its multicast groups, send a request, collect replies, and turn kernel
 * errors into text that includes the extack message.
 */
#ifndef MVPN_GENL_H
#define MVPN_GENL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

/* Buffer for one request or one batch of replies (MNL_SOCKET_BUFFER_SIZE is a VLA). */
#define GENL_BUF_SIZE 32768

struct genl_sock {
	struct mnl_socket *nl;
	uint16_t family_id;
	uint32_t mcgrp_peers;	/* 0 when the family has no "peers" group */
	uint32_t portid;
	uint32_t seq;
	char err[256];		/* last error, human-readable */
};

/* Open a socket and resolve family (and its "peers" group). 0 or -errno. */
int genl_open(struct genl_sock *gs, const char *family);
void genl_close(struct genl_sock *gs);

/* Start a request in buf (GENL_BUF_SIZE bytes). */
struct nlmsghdr *genl_req(struct genl_sock *gs, void *buf, uint8_t cmd, uint16_t flags);

/*
 * Send nlh and run cb on every reply until the ACK or DONE.  Returns 0, or
 * -errno with gs->err holding "<strerror>: <extack text>" when the kernel
 * gave one.
 */
int genl_talk(struct genl_sock *gs, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/* Join the "peers" multicast group. 0 or -errno. */
int genl_join_peers(struct genl_sock *gs);

/* The socket's descriptor, for poll(). */
int genl_fd(const struct genl_sock *gs);

/*
 * Receive one batch of messages (blocking unless the socket is ready) and
 * run cb on each message of the family: for notifications.  0 or -errno
 * (-ENOBUFS: notifications were lost because the reader was too slow).
 */
int genl_recv(struct genl_sock *gs, mnl_cb_t cb, void *data);

#endif
