// SPDX-License-Identifier: BSD-2-Clause
/*
 * dcoreq.c: mvpn-dco requests built into a buffer (dcoreq.h).
 */
#include <linux/mvpn_dco.h>

#include "dcoreq.h"

struct nlmsghdr *dcoreq_dev(struct genl_sock *gs, void *buf, uint8_t cmd, uint16_t flags,
			    uint32_t ifindex)
{
	struct nlmsghdr *nlh = genl_req(gs, buf, cmd, flags);

	mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, ifindex);
	return nlh;
}

static void put_remote(struct nlmsghdr *nlh, const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		mnl_attr_put(nlh, MVPN_A_PEER_REMOTE_IPV4, 4, &sin->sin_addr);
		mnl_attr_put(nlh, MVPN_A_PEER_REMOTE_PORT, 2, &sin->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

		mnl_attr_put(nlh, MVPN_A_PEER_REMOTE_IPV6, 16, &sin6->sin6_addr);
		mnl_attr_put(nlh, MVPN_A_PEER_REMOTE_PORT, 2, &sin6->sin6_port);
		if (sin6->sin6_scope_id)
			mnl_attr_put_u32(nlh, MVPN_A_PEER_REMOTE_IPV6_SCOPE_ID, sin6->sin6_scope_id);
	}
}

struct nlmsghdr *dcoreq_peer(struct genl_sock *gs, void *buf, uint8_t cmd, uint32_t ifindex,
			     const struct dcoreq_peer *p)
{
	struct nlmsghdr *nlh = dcoreq_dev(gs, buf, cmd, NLM_F_REQUEST | NLM_F_ACK, ifindex);
	struct nlattr *nest = mnl_attr_nest_start(nlh, MVPN_A_PEER);

	mnl_attr_put_u32(nlh, MVPN_A_PEER_ID, p->id);
	if (cmd == MVPN_CMD_PEER_NEW)
		mnl_attr_put_u32(nlh, MVPN_A_PEER_SOCKET, (uint32_t)p->sock);
	if (p->remote)
		put_remote(nlh, p->remote);
	if (p->vpn4)
		mnl_attr_put(nlh, MVPN_A_PEER_VPN_IPV4, 4, p->vpn4);
	if (p->vpn6)
		mnl_attr_put(nlh, MVPN_A_PEER_VPN_IPV6, 16, p->vpn6);
	if (p->keepalive) {
		mnl_attr_put_u32(nlh, MVPN_A_PEER_KEEPALIVE_INTERVAL, p->ka_interval);
		mnl_attr_put_u32(nlh, MVPN_A_PEER_KEEPALIVE_TIMEOUT, p->ka_timeout);
	}
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

struct nlmsghdr *dcoreq_peer_dump(struct genl_sock *gs, void *buf, uint32_t ifindex)
{
	return dcoreq_dev(gs, buf, MVPN_CMD_PEER_GET, NLM_F_REQUEST | NLM_F_DUMP, ifindex);
}

uint32_t dcoreq_cipher_alg(enum mvpn_dp_cipher cipher)
{
	switch (cipher) {
	case MVPN_DP_AES_128_GCM:
	case MVPN_DP_AES_256_GCM:
		return MVPN_CIPHER_ALG_AES_GCM;
	case MVPN_DP_CHACHA20_POLY1305:
		return MVPN_CIPHER_ALG_CHACHA20_POLY1305;
	default:
		return MVPN_CIPHER_ALG_NONE;
	}
}

static void put_keydir(struct nlmsghdr *nlh, uint16_t type, const struct mvpn_dp_keydir *kd,
		       size_t klen)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put(nlh, MVPN_A_KEYDIR_CIPHER_KEY, klen, kd->key);
	mnl_attr_put(nlh, MVPN_A_KEYDIR_NONCE_TAIL, MVPN_NONCE_TAIL_LEN, kd->nonce_tail);
	mnl_attr_nest_end(nlh, nest);
}

struct nlmsghdr *dcoreq_key_new(struct genl_sock *gs, void *buf, uint32_t ifindex,
				uint32_t peer_id, uint32_t slot, const struct mvpn_dp_key *key)
{
	struct nlmsghdr *nlh = dcoreq_dev(gs, buf, MVPN_CMD_KEY_NEW, NLM_F_REQUEST | NLM_F_ACK,
				       ifindex);
	struct nlattr *nest = mnl_attr_nest_start(nlh, MVPN_A_KEYCONF);
	size_t klen = mvpn_dp_cipher_key_len(key->cipher);

	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_PEER_ID, peer_id);
	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_SLOT, slot);
	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_KEY_ID, key->key_id);
	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_CIPHER_ALG, dcoreq_cipher_alg(key->cipher));
	put_keydir(nlh, MVPN_A_KEYCONF_ENCRYPT_DIR, &key->encrypt, klen);
	put_keydir(nlh, MVPN_A_KEYCONF_DECRYPT_DIR, &key->decrypt, klen);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

struct nlmsghdr *dcoreq_key(struct genl_sock *gs, void *buf, uint8_t cmd, uint32_t ifindex,
			    uint32_t peer_id, int slot)
{
	struct nlmsghdr *nlh = dcoreq_dev(gs, buf, cmd, NLM_F_REQUEST | NLM_F_ACK, ifindex);
	struct nlattr *nest = mnl_attr_nest_start(nlh, MVPN_A_KEYCONF);

	mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_PEER_ID, peer_id);
	if (slot >= 0)
		mnl_attr_put_u32(nlh, MVPN_A_KEYCONF_SLOT, (uint32_t)slot);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}
