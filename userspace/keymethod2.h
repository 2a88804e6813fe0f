/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keymethod2.h: the key-method-2 message (openvpn-protocol.md §6), the
 * peer-info string (§6.1) and the NUL-terminated control-channel text
 * messages (§9).  Pure: randomness comes from the caller, no I/O, no
 * allocation (parsed strings point into the caller's buffer).
 *
 * key-method-2 layout:
 *
 *   0x00000000 (4) | 0x02 (1) | pre_master (48, client only) | random1 (32)
 *   | random2 (32) | options | username | password | peer-info
 *
 * where each string is u16 BE length (including the NUL) then the bytes and
 * the NUL; length 0 encodes an absent/empty string.
 */
#ifndef MVPN_KEYMETHOD2_H
#define MVPN_KEYMETHOD2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KM2_PRE_MASTER_LEN	48
#define KM2_RANDOM_LEN		32
#define KM2_CLIENT_FIXED	(4 + 1 + 48 + 32 + 32)	/* 117 */
#define KM2_SERVER_FIXED	(4 + 1 + 32 + 32)	/* 69 */
#define KM2_OPTIONS_MAX		512	/* TLS_OPTIONS_LEN, incl. NUL */
#define KM2_USERPASS_MAX	4096	/* accepted on read (USER_PASS_LEN w/ PKCS#11) */
#define KM2_MSG_MAX		2048	/* must fit one TLS read (TLS_CHANNEL_BUF_SIZE) */
#define KM2_METHOD		2

/* IV_PROTO bits (§6.1). */
#define KM2_IV_PROTO_DATA_V2		(1u << 1)
#define KM2_IV_PROTO_REQUEST_PUSH	(1u << 2)
#define KM2_IV_PROTO_TLS_KEY_EXPORT	(1u << 3)
#define KM2_IV_PROTO_AUTH_PENDING_KW	(1u << 4)
#define KM2_IV_PROTO_NCP_P2P		(1u << 5)
#define KM2_IV_PROTO_DNS_OPTION		(1u << 6)
#define KM2_IV_PROTO_CC_EXIT_NOTIFY	(1u << 7)
#define KM2_IV_PROTO_AUTH_FAIL_TEMP	(1u << 8)
#define KM2_IV_PROTO_DYN_TLS_CRYPT	(1u << 9)

enum km2_err {
	KM2_OK = 0,
	KM2_E_SHORT = -1,	/* message ends inside a field */
	KM2_E_HEADER = -2,	/* leading zero word or key method not 2 */
	KM2_E_STRING = -3,	/* string above its limit, or the options string missing */
	KM2_E_SPACE = -4,	/* output buffer too small */
	KM2_E_INVAL = -5,	/* bad argument (string too long to encode, ...) */
	KM2_E_TEXT = -6,	/* control message: non-printable or no NUL */
	KM2_E_TRAILING = -7,	/* bytes after the last string */
};

const char *km2_strerror(int err);

/* A string inside a parsed message: not NUL-terminated in general. */
struct km2_str {
	const char *p;		/* NULL when absent (length field 0) */
	size_t len;		/* bytes before the first NUL */
};

/* What the client sends.  NULL strings are written as absent (length 0). */
struct km2_client_msg {
	const uint8_t *pre_master;	/* KM2_PRE_MASTER_LEN */
	const uint8_t *random1;		/* KM2_RANDOM_LEN */
	const uint8_t *random2;		/* KM2_RANDOM_LEN */
	const char *options;		/* OCC options string, < KM2_OPTIONS_MAX */
	const char *username;		/* auth-user-pass, or NULL */
	const char *password;		/* password or auth-token, or NULL */
	const char *peer_info;		/* from km2_build_peer_info(), or NULL */
};

/* Build the client's message; returns its length or KM2_E_SPACE/KM2_E_INVAL. */
long km2_build_client(const struct km2_client_msg *m, uint8_t *out, size_t cap);

/* Server's message (for tests and the future server): no pre_master. */
struct km2_server_msg_in {
	const uint8_t *random1, *random2;
	const char *options;
	const char *peer_info;		/* NULL: empty, as a multi-client server sends */
};
long km2_build_server(const struct km2_server_msg_in *m, uint8_t *out, size_t cap);

/* A parsed key-method-2 message (either direction). */
struct km2_msg {
	bool has_pre_master;		/* true when parsed as the client's message */
	uint8_t pre_master[KM2_PRE_MASTER_LEN];
	uint8_t random1[KM2_RANDOM_LEN];
	uint8_t random2[KM2_RANDOM_LEN];
	struct km2_str options, username, password, peer_info;
};

/*
 * Parse a key-method-2 message.  from_client selects the layout (with the
 * pre_master).  username/password/peer-info may be missing at the end of
 * the message (older peers); they are then absent.  Options above
 * KM2_OPTIONS_MAX, username/password above KM2_USERPASS_MAX and anything
 * after the peer-info are errors.  Strings point into buf.
 */
int km2_parse(const uint8_t *buf, size_t len, bool from_client, struct km2_msg *out);

/* Inputs of the client's peer-info (§6.1). */
struct km2_peer_info_in {
	const char *version;		/* IV_VER, e.g. "2.6.14"; required */
	const char *platform;		/* IV_PLAT; NULL = "linux" */
	unsigned int proto;		/* IV_PROTO bits (KM2_IV_PROTO_*); bit 0 refused */
	const char *ciphers;		/* IV_CIPHERS (colon-separated data-ciphers) */
	unsigned int mtu;		/* IV_MTU; 0 = omit */
	bool tcpnl;			/* IV_TCPNL=1 */
	bool comp_stub;			/* IV_LZO_STUB=1 IV_COMP_STUB=1 IV_COMP_STUBv2=1
					 * (the 2.6 default: no compression) */
	bool lzo;			/* IV_LZO=1 (comp-lzo configured) */
	const char *gui_ver;		/* IV_GUI_VER, NULL = omit */
	const char *sso;		/* IV_SSO, NULL = omit */
	const char *extra;		/* more "KEY=VALUE\n" lines (UV_*), or NULL */
};

/*
 * "KEY=VALUE\n" lines, in the order IV_VER, IV_PLAT, IV_TCPNL, IV_MTU,
 * IV_NCP=2 (only when ciphers contains both AES-128-GCM and AES-256-GCM),
 * IV_CIPHERS, IV_PROTO, compression flags, IV_GUI_VER, IV_SSO, extra.
 * Values containing '\n' are refused.  Returns the length (NUL written) or
 * KM2_E_SPACE / KM2_E_INVAL.
 */
long km2_build_peer_info(const struct km2_peer_info_in *in, char *out, size_t cap);

/* Look up KEY in a peer-info string; value to *val. Returns true if found. */
bool km2_peer_info_get(const char *pi, size_t pi_len, const char *key, struct km2_str *val);

/* ------------------------------------------------------------------------ */
/* Control-channel text messages (§9) */

enum ctlmsg_type {
	CTLMSG_UNKNOWN = 0,
	CTLMSG_PUSH_REQUEST,
	CTLMSG_PUSH_REPLY,
	CTLMSG_AUTH_FAILED,
	CTLMSG_AUTH_PENDING,
	CTLMSG_INFO_PRE,
	CTLMSG_INFO,
	CTLMSG_CR_RESPONSE,
	CTLMSG_RESTART,
	CTLMSG_HALT,
	CTLMSG_EXIT,
};

struct ctlmsg {
	enum ctlmsg_type type;
	struct km2_str text;	/* the whole message without NUL/trailing CR LF */
	struct km2_str arg;	/* text after "PREFIX," ; p NULL when no comma */
	/* PUSH_REPLY: options without the "PUSH_REPLY," prefix and without the
	 * push-continuation item; continuation 0 absent, 1 final, 2 more. */
	struct km2_str push_options;
	int push_continuation;
	/* AUTH_FAILED,TEMP...: temp true; arg still holds everything. */
	bool auth_failed_temp;
	/* AUTH_PENDING,timeout N: N, or 0 when absent. */
	unsigned int auth_pending_timeout;
	/* RESTART,[flags]msg: flags P (keep passwords) and N (next remote). */
	bool restart_keep_pw, restart_next_remote;
};

const char *ctlmsg_type_name(enum ctlmsg_type t);

/*
 * Split TLS plaintext into NUL-terminated messages: starting at *off, find
 * the next message; sets *msg and *msg_len (without the NUL) and advances *off
 * past the NUL.  Returns 1 for a message, 0 when buf is consumed, and
 * KM2_E_TEXT when the rest has no NUL (a command may not straddle records).
 */
int ctlmsg_next(const uint8_t *buf, size_t len, size_t *off, const char **msg,
		size_t *msg_len);

/*
 * Classify one message (as from ctlmsg_next): strips trailing CR/LF, refuses
 * non-printable bytes (KM2_E_TEXT), dispatches on the prefix (a prefix must
 * be followed by the end or ','; INFO_PRE before INFO).  Unknown messages
 * give CTLMSG_UNKNOWN and 0, so the caller can log them.
 */
int ctlmsg_parse(const char *msg, size_t len, struct ctlmsg *out);

#endif
