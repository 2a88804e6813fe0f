// SPDX-License-Identifier: BSD-2-Clause
/*
 * genl.c: generic netlink plumbing shared by mvpnctl and mvpnd.
 */
#include <errno.h>
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

static int grp_cb(const struct nlattr *grp, struct resolve *r)
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
		r->peers = id;
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct resolve *r = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U16) == 0) {
			r->id = mnl_attr_get_u16(a);
		} else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS) {
			const struct nlattr *g;

			mnl_attr_for_each_nested(g, a)
				grp_cb(g, r);
		}
	}
	return MNL_CB_OK;
}

int genl_open(struct genl_sock *gs, const char *family)
{
	char buf[GENL_BUF_SIZE];
	struct resolve r = { 0 };
	struct nlmsghdr *nlh;
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
static void set_error(struct genl_sock *gs, const struct nlmsghdr *nlh, int error, size_t off)
{
	const char *msg = NULL;

	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		const struct nlattr *a;

		mnl_attr_for_each(a, nlh, off) {
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				msg = mnl_attr_get_str(a);
		}
	}
	if (msg)
		snprintf(gs->err, sizeof(gs->err), "%s: %s", strerror(-error), msg);
	else
		snprintf(gs->err, sizeof(gs->err), "%s", strerror(-error));
}

int genl_talk(struct genl_sock *gs, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[GENL_BUF_SIZE];
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;

	gs->err[0] = '\0';
	if (mnl_socket_sendto(gs->nl, nlh, nlh->nlmsg_len) < 0) {
		int err = -errno;

		snprintf(gs->err, sizeof(gs->err), "netlink send: %s", strerror(errno));
		return err;
	}
	for (;;) {
		const struct nlmsghdr *h;
		int len;

		n = mnl_socket_recvfrom(gs->nl, buf, sizeof(buf));
		if (n < 0) {
			int err = -errno;

			snprintf(gs->err, sizeof(gs->err), "netlink receive: %s", strerror(errno));
			return err;
		}
		len = (int)n;
		for (h = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len)) {
			if (h->nlmsg_seq != seq || h->nlmsg_pid != gs->portid)
				continue;	/* a notification or a stale reply */
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);

				if (e->error) {
					size_t off = sizeof(*e);

					if (!(h->nlmsg_flags & NLM_F_CAPPED))
						off += mnl_nlmsg_get_payload_len(&e->msg);
					set_error(gs, h, e->error, off);
					return e->error;
				}
				return 0;	/* the ACK */
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				int error = 0;

				if (mnl_nlmsg_get_payload_len(h) >= sizeof(int))
					memcpy(&error, mnl_nlmsg_get_payload(h), sizeof(int));
				if (error < 0) {
					set_error(gs, h, error, sizeof(int));
					return error;
				}
				return 0;
			}
			if (cb && cb(h, data) < 0) {
				snprintf(gs->err, sizeof(gs->err), "malformed reply from the kernel");
				return -EPROTO;
			}
		}
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

int genl_recv(struct genl_sock *gs, mnl_cb_t cb, void *data)
{
	char buf[GENL_BUF_SIZE];
	const struct nlmsghdr *h;
	ssize_t n;
	int len;

	n = mnl_socket_recvfrom(gs->nl, buf, sizeof(buf));
	if (n < 0) {
		int err = -errno;

		snprintf(gs->err, sizeof(gs->err), "netlink receive: %s", strerror(errno));
		return err;
	}
	len = (int)n;
	for (h = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len)) {
		if (h->nlmsg_type != gs->family_id)
			continue;
		if (cb(h, data) < 0) {
			snprintf(gs->err, sizeof(gs->err), "malformed notification");
			return -EPROTO;
		}
	}
	return 0;
}
