// SPDX-License-Identifier: BSD-2-Clause
/*
 * genl.c: generic netlink plumbing shared by mvpnctl and mvpnd.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "genl.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

struct resolve {
	uint16_t id;
	uint32_t peers;
};

static void grp_parse(const struct nlattr *grp, uint32_t *peers_grp)
{
	const struct nlattr *a;
	const char *name = NULL;
	uint32_t id = 0;

	mnl_attr_for_each_nested(a, grp) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			name = mnl_attr_get_str(a);
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
			 mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			id = mnl_attr_get_u32(a);
	}
	if (name && strcmp(name, "peers") == 0)
		*peers_grp = id;
}

int genl_parse_family(const struct nlmsghdr *nlh, uint16_t *id, uint32_t *peers_grp)
{
	const struct nlattr *a;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -EPROTO;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U16) == 0) {
			*id = mnl_attr_get_u16(a);
		} else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS) {
			const struct nlattr *g;

			mnl_attr_for_each_nested(g, a)
				grp_parse(g, peers_grp);
		}
	}
	return 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct resolve *r = data;

	genl_parse_family(nlh, &r->id, &r->peers);
	return MNL_CB_OK;
}

/* A bound socket with extended ACKs: 0, or -errno with gs->err. */
static int sock_open(struct genl_sock *gs)
{
	int one = 1, err;

	memset(gs, 0, sizeof(*gs));
	gs->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!gs->nl) {
		err = -errno;
		snprintf(gs->err, sizeof(gs->err), "netlink socket: %s", strerror(errno));
		return err;
	}
	if (mnl_socket_bind(gs->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		snprintf(gs->err, sizeof(gs->err), "netlink bind: %s", strerror(errno));
		genl_close(gs);
		return err;
	}
	mnl_socket_setsockopt(gs->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	gs->portid = mnl_socket_get_portid(gs->nl);
	gs->seq = (uint32_t)time(NULL);
	return 0;
}

int genl_open(struct genl_sock *gs, const char *family)
{
	char buf[GENL_BUF_SIZE];
	struct resolve r = { 0 };
	struct nlmsghdr *nlh;
	int err;

	err = sock_open(gs);
	if (err)
		return err;
	gs->family_id = GENL_ID_CTRL;
	nlh = genl_req(gs, buf, CTRL_CMD_GETFAMILY, NLM_F_REQUEST | NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, family);
	err = genl_talk(gs, nlh, family_cb, &r);
	if (err || !r.id) {
		if (err == -ENOENT || !r.id)
			snprintf(gs->err, sizeof(gs->err),
				 "generic netlink family '%s' not found (is the module loaded?)", family);
		genl_close(gs);
		return err ? err : -ENOENT;
	}
	gs->family_id = r.id;
	gs->mcgrp_peers = r.peers;
	return 0;
}

int genl_open_same(struct genl_sock *gs, const struct genl_sock *like)
{
	int err = sock_open(gs);

	if (err)
		return err;
	gs->family_id = like->family_id;
	gs->mcgrp_peers = like->mcgrp_peers;
	return 0;
}

void genl_close(struct genl_sock *gs)
{
	if (gs->nl)
		mnl_socket_close(gs->nl);
	gs->nl = NULL;
}

struct nlmsghdr *genl_req(struct genl_sock *gs, void *buf, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = gs->family_id;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = ++gs->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

/*
 * Format a kernel error with its extack message, if any.  The TLVs start
 * at off: after the nlmsgerr (and the echoed request unless capped) for
 * NLMSG_ERROR, after the int error for NLMSG_DONE of a failed dump.
 */
static void set_error(char *err, size_t errlen, const struct nlmsghdr *nlh, int error, size_t off)
{
	const char *msg = NULL;

	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off <= mnl_nlmsg_get_payload_len(nlh)) {
		const struct nlattr *a;

		mnl_attr_for_each(a, nlh, off) {
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				msg = mnl_attr_get_str(a);
		}
	}
	if (msg)
		snprintf(err, errlen, "%s: %s", strerror(-error), msg);
	else
		snprintf(err, errlen, "%s", strerror(-error));
}

bool genl_nlmsg_ok(const struct nlmsghdr *h, int len)
{
	/*
	 * Unsigned: libmnl's mnl_nlmsg_ok() takes a length of 2 GiB or more
	 * for a negative one and walks off the buffer.  Aligned: libmnl's
	 * attribute walk ends at the aligned end of the message, so the
	 * padding must be in the buffer too (fuzz_netlink found both).
	 */
	return len >= (int)sizeof(*h) && h->nlmsg_len >= sizeof(*h) &&
	       h->nlmsg_len <= (unsigned int)len && MNL_ALIGN(h->nlmsg_len) <= (unsigned int)len;
}

size_t genl_pad(void *buf, size_t n, size_t cap)
{
	size_t a = MNL_ALIGN(n);

	if (a == n || a > cap)
		return n;
	memset((char *)buf + n, 0, a - n);
	return a;
}

int genl_parse_replies(const void *buf, size_t len, uint32_t seq, uint32_t portid, mnl_cb_t cb,
		       void *data, char *err, size_t errlen)
{
	const struct nlmsghdr *h;
	int left = len > INT32_MAX ? INT32_MAX : (int)len;

	for (h = buf; genl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
		if (h->nlmsg_seq != seq || h->nlmsg_pid != portid)
			continue;	/* a notification or a stale reply */
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
			size_t plen = mnl_nlmsg_get_payload_len(h), off = sizeof(*e);

			if (plen < sizeof(*e)) {
				snprintf(err, errlen, "truncated error message from the kernel");
				return -EPROTO;
			}
			if (e->error == 0)
				return 0;	/* the ACK */
			if (e->error > 0 || e->error < -4095) {
				snprintf(err, errlen, "malformed error code %d from the kernel", e->error);
				return -EPROTO;
			}
			/* the echoed request, unless capped: its own length, bounded */
			if (!(h->nlmsg_flags & NLM_F_CAPPED)) {
				if (e->msg.nlmsg_len < sizeof(e->msg) ||
				    e->msg.nlmsg_len > plen - sizeof(*e) + sizeof(e->msg))
					off = plen + 1;	/* no TLVs we can trust */
				else
					off += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
			}
			set_error(err, errlen, h, e->error, off);
			return e->error;
		}
		if (h->nlmsg_type == NLMSG_DONE) {
			int error = 0;

			if (mnl_nlmsg_get_payload_len(h) >= sizeof(int))
				memcpy(&error, mnl_nlmsg_get_payload(h), sizeof(int));
			if (error < 0 && error >= -4095) {
				set_error(err, errlen, h, error, sizeof(int));
				return error;
			}
			return 0;
		}
		if (cb && cb(h, data) < 0) {
			snprintf(err, errlen, "malformed reply from the kernel");
			return -EPROTO;
		}
	}
	return 1;
}

int genl_send(struct genl_sock *gs, const struct nlmsghdr *nlh)
{
	gs->err[0] = '\0';
	if (mnl_socket_sendto(gs->nl, nlh, nlh->nlmsg_len) < 0) {
		int err = -errno;

		snprintf(gs->err, sizeof(gs->err), "netlink send: %s", strerror(errno));
		return err;
	}
	return 0;
}

int genl_recv_buf(struct genl_sock *gs, void *buf, size_t cap)
{
	ssize_t n = mnl_socket_recvfrom(gs->nl, buf, cap);

	if (n < 0) {
		int err = -errno;

		snprintf(gs->err, sizeof(gs->err), "netlink receive: %s", strerror(errno));
		return err;
	}
	return (int)genl_pad(buf, (size_t)n, cap);
}

int genl_talk(struct genl_sock *gs, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[GENL_BUF_SIZE];
	uint32_t seq = nlh->nlmsg_seq;
	int n = genl_send(gs, nlh);

	if (n)
		return n;
	for (;;) {
		int r;

		n = genl_recv_buf(gs, buf, sizeof(buf));
		if (n < 0)
			return n;
		r = genl_parse_replies(buf, (size_t)n, seq, gs->portid, cb, data, gs->err,
				       sizeof(gs->err));
		if (r <= 0)
			return r;
	}
}

int genl_join_peers(struct genl_sock *gs)
{
	if (!gs->mcgrp_peers) {
		snprintf(gs->err, sizeof(gs->err), "the family has no 'peers' multicast group");
		return -ENOENT;
	}
	if (mnl_socket_setsockopt(gs->nl, NETLINK_ADD_MEMBERSHIP, &gs->mcgrp_peers,
				  sizeof(gs->mcgrp_peers)) < 0) {
		int err = -errno;

		snprintf(gs->err, sizeof(gs->err), "join multicast group: %s", strerror(errno));
		return err;
	}
	return 0;
}

int genl_fd(const struct genl_sock *gs)
{
	return mnl_socket_get_fd(gs->nl);
}

int genl_parse_ntf(const void *buf, size_t len, uint16_t family_id, mnl_cb_t cb, void *data,
		   char *err, size_t errlen)
{
	const struct nlmsghdr *h;
	int left = len > INT32_MAX ? INT32_MAX : (int)len;

	for (h = buf; genl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
		if (h->nlmsg_type != family_id ||
		    mnl_nlmsg_get_payload_len(h) < sizeof(struct genlmsghdr))
			continue;
		if (cb(h, data) < 0) {
			snprintf(err, errlen, "malformed notification");
			return -EPROTO;
		}
	}
	return 0;
}

int genl_recv(struct genl_sock *gs, mnl_cb_t cb, void *data)
{
	char buf[GENL_BUF_SIZE];
	int n = genl_recv_buf(gs, buf, sizeof(buf));

	if (n < 0)
		return n;
	return genl_parse_ntf(buf, (size_t)n, gs->family_id, cb, data, gs->err, sizeof(gs->err));
}
