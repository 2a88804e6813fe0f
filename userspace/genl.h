/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * genl.h: a small generic-netlink client on libmnl: resolve a family and
 * its multicast groups, send a request, collect replies, and turn kernel
 * errors into text that includes the extack message.
 */
#ifndef MVPN_GENL_H
#define MVPN_GENL_H

#include <stdbool.h>
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

/*
 * Another socket for the family gs resolved, without a request of its own
 * (genl_open receives the family's description into GENL_BUF_SIZE bytes,
 * and the kernel sizes a socket's dump parts by the largest buffer it ever
 * received into: a socket for dumps in small parts must start here).
 * 0 or -errno.
 */
int genl_open_same(struct genl_sock *gs, const struct genl_sock *like);

/* Start a request in buf (GENL_BUF_SIZE bytes). */
struct nlmsghdr *genl_req(struct genl_sock *gs, void *buf, uint8_t cmd, uint16_t flags);

/*
 * Send nlh and run cb on every reply until the ACK or DONE.  Returns 0, or
 * -errno with gs->err holding "<strerror>: <extack text>" when the kernel
 * gave one.
 */
int genl_talk(struct genl_sock *gs, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/*
 * The two halves of genl_talk, for a caller that reads the replies itself
 * (a dump part by part): send nlh; receive one batch into buf (cap bytes).
 * genl_recv_buf returns the length to parse (genl_pad applied), or -errno
 * (-ENOSPC: a message did not fit into cap bytes).  gs->err says why.
 */
int genl_send(struct genl_sock *gs, const struct nlmsghdr *nlh);
int genl_recv_buf(struct genl_sock *gs, void *buf, size_t cap);

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

/*
 * The pure parts, for the functions above and for fuzz_netlink.  None of
 * them trusts a length it has not checked against the buffer.
 *
 * genl_parse_replies: one batch of replies (len bytes as received) to the
 * request seq of socket portid; cb (may be NULL) runs on each data message.
 * Returns 1 when the batch ended without an ACK or DONE (receive more), 0
 * for the ACK or DONE, or -errno with err holding "<strerror>: <extack
 * text>" for a kernel error, or what was malformed (-EPROTO).  Messages of
 * another seq or portid (notifications, stale replies) are skipped.  Works
 * for rtnetlink replies as well.
 */
/* Is there a whole message at h, with its alignment padding, within len
 * bytes?  Use this, not mnl_nlmsg_ok(): that one accepts nlmsg_len >= 2^31
 * (a negative int) and no padding. */
bool genl_nlmsg_ok(const struct nlmsghdr *h, int len);
/* After receiving n bytes into buf (cap bytes): zero the alignment padding
 * of a last message whose length is not a multiple of 4, and return the
 * length to parse. */
size_t genl_pad(void *buf, size_t n, size_t cap);

int genl_parse_replies(const void *buf, size_t len, uint32_t seq, uint32_t portid, mnl_cb_t cb,
		       void *data, char *err, size_t errlen);

/* A CTRL_CMD_GETFAMILY reply: the family id and the "peers" multicast
 * group (left untouched when absent).  0, or -EPROTO when too short. */
int genl_parse_family(const struct nlmsghdr *nlh, uint16_t *id, uint32_t *peers_grp);

/* One batch of notifications: cb on each message of family_id that holds a
 * genlmsghdr.  0, or -EPROTO (with err) when cb refused one. */
int genl_parse_ntf(const void *buf, size_t len, uint16_t family_id, mnl_cb_t cb, void *data,
		   char *err, size_t errlen);

#endif
