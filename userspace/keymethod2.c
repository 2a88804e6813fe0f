// SPDX-License-Identifier: BSD-2-Clause
/*
 * keymethod2.c: key-method-2 messages, peer-info and control-channel text
 * messages (openvpn-protocol.md §6, §6.1, §9).  Layouts in keymethod2.h.
 */
#include "keymethod2.h"

#include <stdio.h>
#include <string.h>

const char *km2_strerror(int err)
{
	switch (err) {
	case KM2_OK: return "ok";
	case KM2_E_SHORT: return "key-method 2 message truncated";
	case KM2_E_HEADER: return "not a key-method 2 message";
	case KM2_E_STRING: return "string field missing or above its size limit";
	case KM2_E_SPACE: return "output buffer too small";
	case KM2_E_INVAL: return "invalid argument";
	case KM2_E_TEXT: return "control message not NUL-terminated or not printable";
	case KM2_E_TRAILING: return "bytes after the last field";
	}
	return "unknown error";
}

/* ---- writing ------------------------------------------------------------ */

struct wbuf {
	uint8_t *p;
	size_t cap, len;
	bool overflow;
};

static void put(struct wbuf *b, const void *d, size_t n)
{
	if (b->overflow || b->cap - b->len < n) {
		b->overflow = true;
		return;
	}
	if (n)
		memcpy(b->p + b->len, d, n);
	b->len += n;
}

/* u16 length including the NUL, then the bytes and the NUL; NULL -> 0x0000. */
static int put_string(struct wbuf *b, const char *s, size_t max)
{
	uint8_t l[2];
	size_t n;

	if (!s) {
		put(b, "\0\0", 2);
		return 0;
	}
	n = strlen(s) + 1;
	if (n > max || n > UINT16_MAX)
		return KM2_E_INVAL;
	l[0] = (uint8_t)(n >> 8);
	l[1] = (uint8_t)n;
	put(b, l, 2);
	put(b, s, n);
	return 0;
}

static long finish(struct wbuf *b, int ret)
{
	if (ret)
		return ret;
	if (b->overflow)
		return KM2_E_SPACE;
	return (long)b->len;
}

long km2_build_client(const struct km2_client_msg *m, uint8_t *out, size_t cap)
{
	struct wbuf b = { out, cap, 0, false };
	static const uint8_t head[5] = { 0, 0, 0, 0, KM2_METHOD };
	int ret;

	if (!m || !out || !m->pre_master || !m->random1 || !m->random2 || !m->options)
		return KM2_E_INVAL;
	put(&b, head, sizeof(head));
	put(&b, m->pre_master, KM2_PRE_MASTER_LEN);
	put(&b, m->random1, KM2_RANDOM_LEN);
	put(&b, m->random2, KM2_RANDOM_LEN);
	ret = put_string(&b, m->options, KM2_OPTIONS_MAX);
	if (!ret)
		ret = put_string(&b, m->username, KM2_USERPASS_MAX);
	if (!ret)
		ret = put_string(&b, m->password, KM2_USERPASS_MAX);
	if (!ret)
		ret = put_string(&b, m->peer_info, KM2_MSG_MAX);
	if (!ret && b.len > KM2_MSG_MAX)
		ret = KM2_E_INVAL;	/* must fit in one TLS read on the other side */
	return finish(&b, ret);
}

long km2_build_server(const struct km2_server_msg_in *m, uint8_t *out, size_t cap)
{
	struct wbuf b = { out, cap, 0, false };
	static const uint8_t head[5] = { 0, 0, 0, 0, KM2_METHOD };
	int ret;

	if (!m || !out || !m->random1 || !m->random2 || !m->options)
		return KM2_E_INVAL;
	put(&b, head, sizeof(head));
	put(&b, m->random1, KM2_RANDOM_LEN);
	put(&b, m->random2, KM2_RANDOM_LEN);
	ret = put_string(&b, m->options, KM2_OPTIONS_MAX);
	/* a server always writes two empty strings for username/password */
	if (!ret)
		ret = put_string(&b, NULL, 0);
	if (!ret)
		ret = put_string(&b, NULL, 0);
	if (!ret)
		ret = put_string(&b, m->peer_info, KM2_MSG_MAX);
	if (!ret && b.len > KM2_MSG_MAX)
		ret = KM2_E_INVAL;
	return finish(&b, ret);
}

/* ---- reading ------------------------------------------------------------- */

/*
 * One string field: u16 length (including the NUL); 0 = absent.  Like
 * OpenVPN the last byte of the field is taken as the terminator, so the
 * value is what precedes the first NUL.
 */
static int get_string(const uint8_t *buf, size_t len, size_t *off, size_t max,
		      struct km2_str *s)
{
	size_t n;

	s->p = NULL;
	s->len = 0;
	if (len - *off < 2)
		return KM2_E_SHORT;
	n = (size_t)buf[*off] << 8 | buf[*off + 1];
	*off += 2;
	if (n == 0)
		return 0;
	if (n > max)
		return KM2_E_STRING;
	if (len - *off < n)
		return KM2_E_SHORT;
	s->p = (const char *)buf + *off;
	s->len = strnlen(s->p, n - 1);
	*off += n;
	return 0;
}

int km2_parse(const uint8_t *buf, size_t len, bool from_client, struct km2_msg *out)
{
	size_t off = 0, fixed = from_client ? KM2_CLIENT_FIXED : KM2_SERVER_FIXED;
	int ret;

	if (!buf || !out)
		return KM2_E_INVAL;
	memset(out, 0, sizeof(*out));
	if (len < 5)
		return KM2_E_SHORT;
	/* leading zero word, then the key method (low 4 bits; high bits are flags) */
	if (buf[0] || buf[1] || buf[2] || buf[3] || (buf[4] & 0x0f) != KM2_METHOD)
		return KM2_E_HEADER;
	if (len < fixed)
		return KM2_E_SHORT;
	off = 5;
	if (from_client) {
		memcpy(out->pre_master, buf + off, KM2_PRE_MASTER_LEN);
		out->has_pre_master = true;
		off += KM2_PRE_MASTER_LEN;
	}
	memcpy(out->random1, buf + off, KM2_RANDOM_LEN);
	memcpy(out->random2, buf + off + KM2_RANDOM_LEN, KM2_RANDOM_LEN);
	off += 2 * KM2_RANDOM_LEN;

	/* the options string is required (OpenVPN refuses the message without) */
	ret = get_string(buf, len, &off, KM2_OPTIONS_MAX, &out->options);
	if (ret)
		return ret;
	if (!out->options.p)
		return KM2_E_STRING;
	/* the remaining fields may be missing at the very end (older peers) */
	if (off < len && (ret = get_string(buf, len, &off, KM2_USERPASS_MAX, &out->username)))
		return ret;
	if (off < len && (ret = get_string(buf, len, &off, KM2_USERPASS_MAX, &out->password)))
		return ret;
	if (off < len && (ret = get_string(buf, len, &off, KM2_MSG_MAX, &out->peer_info)))
		return ret;
	if (off != len)
		return KM2_E_TRAILING;
	return 0;
}

/* ---- peer-info ------------------------------------------------------------ */

static bool cipher_listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ':');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == n && strncmp(p, name, n) == 0)
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

static int put_kv(struct wbuf *b, const char *key, const char *val)
{
	if (strchr(val, '\n'))
		return KM2_E_INVAL;
	put(b, key, strlen(key));
	put(b, "=", 1);
	put(b, val, strlen(val));
	put(b, "\n", 1);
	return 0;
}

long km2_build_peer_info(const struct km2_peer_info_in *in, char *out, size_t cap)
{
	struct wbuf b = { (uint8_t *)out, cap, 0, false };
	char num[16];
	int ret = 0;

	if (!in || !out || !in->version || (in->proto & 1u))
		return KM2_E_INVAL;
	/* order as a 2.6 client sends it (checked on the wire against 2.6.14) */
	ret |= put_kv(&b, "IV_VER", in->version);
	ret |= put_kv(&b, "IV_PLAT", in->platform ? in->platform : "linux");
	if (in->tcpnl)
		ret |= put_kv(&b, "IV_TCPNL", "1");
	if (in->mtu) {
		snprintf(num, sizeof(num), "%u", in->mtu);
		ret |= put_kv(&b, "IV_MTU", num);
	}
	/* IV_NCP=2 only when both GCM ciphers are allowed (legacy NCP list) */
	if (in->ciphers && cipher_listed(in->ciphers, "AES-128-GCM") &&
	    cipher_listed(in->ciphers, "AES-256-GCM"))
		ret |= put_kv(&b, "IV_NCP", "2");
	if (in->ciphers)
		ret |= put_kv(&b, "IV_CIPHERS", in->ciphers);
	snprintf(num, sizeof(num), "%u", in->proto);
	ret |= put_kv(&b, "IV_PROTO", num);
	if (in->comp_stub || in->lzo) {
		ret |= put_kv(&b, in->lzo ? "IV_LZO" : "IV_LZO_STUB", "1");
		ret |= put_kv(&b, "IV_COMP_STUB", "1");
		ret |= put_kv(&b, "IV_COMP_STUBv2", "1");
	}
	if (in->gui_ver)
		ret |= put_kv(&b, "IV_GUI_VER", in->gui_ver);
	if (in->sso)
		ret |= put_kv(&b, "IV_SSO", in->sso);
	if (in->extra) {
		size_t n = strlen(in->extra);

		put(&b, in->extra, n);
		if (n && in->extra[n - 1] != '\n')
			put(&b, "\n", 1);
	}
	put(&b, "", 1);
	if (ret)
		return KM2_E_INVAL;
	if (b.overflow)
		return KM2_E_SPACE;
	return (long)b.len - 1;
}

bool km2_peer_info_get(const char *pi, size_t pi_len, const char *key, struct km2_str *val)
{
	size_t kl = strlen(key), off = 0;

	while (off < pi_len) {
		const char *line = pi + off;
		const char *nl = memchr(line, '\n', pi_len - off);
		size_t ll = nl ? (size_t)(nl - line) : pi_len - off;

		if (ll > kl && line[kl] == '=' && memcmp(line, key, kl) == 0) {
			val->p = line + kl + 1;
			val->len = ll - kl - 1;
			return true;
		}
		off += ll + 1;
	}
	return false;
}

/* ---- control-channel text messages (§9) ----------------------------------- */

const char *ctlmsg_type_name(enum ctlmsg_type t)
{
	switch (t) {
	case CTLMSG_UNKNOWN: return "unknown";
	case CTLMSG_PUSH_REQUEST: return "PUSH_REQUEST";
	case CTLMSG_PUSH_REPLY: return "PUSH_REPLY";
	case CTLMSG_AUTH_FAILED: return "AUTH_FAILED";
	case CTLMSG_AUTH_PENDING: return "AUTH_PENDING";
	case CTLMSG_INFO_PRE: return "INFO_PRE";
	case CTLMSG_INFO: return "INFO";
	case CTLMSG_CR_RESPONSE: return "CR_RESPONSE";
	case CTLMSG_RESTART: return "RESTART";
	case CTLMSG_HALT: return "HALT";
	case CTLMSG_EXIT: return "EXIT";
	}
	return "unknown";
}

int ctlmsg_next(const uint8_t *buf, size_t len, size_t *off, const char **msg, size_t *msg_len)
{
	const uint8_t *nul;

	if (!buf || !off || *off >= len)
		return 0;
	nul = memchr(buf + *off, '\0', len - *off);
	if (!nul)
		return KM2_E_TEXT;
	*msg = (const char *)buf + *off;
	*msg_len = (size_t)(nul - (buf + *off));
	*off = (size_t)(nul - buf) + 1;
	return 1;
}

static bool has_prefix(const char *m, size_t len, const char *pfx, struct km2_str *arg)
{
	size_t n = strlen(pfx);

	if (len < n || memcmp(m, pfx, n) != 0)
		return false;
	if (len == n) {
		arg->p = NULL;
		arg->len = 0;
		return true;
	}
	if (m[n] != ',')
		return false;
	arg->p = m + n + 1;
	arg->len = len - n - 1;
	return true;
}

static unsigned int parse_uint(const char *p, size_t len, bool *ok)
{
	unsigned long v = 0;

	*ok = len > 0 && len <= 9;
	for (size_t i = 0; *ok && i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			*ok = false;
		else
			v = v * 10 + (unsigned long)(p[i] - '0');
	}
	return *ok ? (unsigned int)v : 0;
}

/* PUSH_REPLY: the server puts ",push-continuation N" last (§9). */
static int parse_push_reply(struct ctlmsg *m)
{
	static const char key[] = "push-continuation ";
	const char *p = m->arg.p;
	size_t len = m->arg.len, start;
	bool ok;

	m->push_options = m->arg;
	m->push_continuation = 0;
	if (!p)
		return 0;
	/* last comma-separated item */
	start = len;
	while (start > 0 && p[start - 1] != ',')
		start--;
	if (len - start > sizeof(key) - 1 && memcmp(p + start, key, sizeof(key) - 1) == 0) {
		unsigned int v = parse_uint(p + start + sizeof(key) - 1,
					    len - start - (sizeof(key) - 1), &ok);

		if (!ok || (v != 1 && v != 2))
			return KM2_E_TEXT;
		m->push_continuation = (int)v;
		m->push_options.len = start ? start - 1 : 0;
		if (!m->push_options.len)
			m->push_options.p = NULL;
	}
	return 0;
}

/* AUTH_PENDING[,timeout N][,other keywords] */
static void parse_auth_pending(struct ctlmsg *m)
{
	static const char key[] = "timeout ";
	const char *p = m->arg.p;
	size_t len = m->arg.len, off = 0;
	bool ok;

	while (p && off < len) {
		const char *c = memchr(p + off, ',', len - off);
		size_t il = c ? (size_t)(c - (p + off)) : len - off;

		if (il > sizeof(key) - 1 && memcmp(p + off, key, sizeof(key) - 1) == 0) {
			unsigned int v = parse_uint(p + off + sizeof(key) - 1, il - (sizeof(key) - 1),
						    &ok);

			if (ok)
				m->auth_pending_timeout = v;
		}
		off += il + 1;
	}
}

/* RESTART,[flags]text: P keeps cached passwords, N advances to the next remote. */
static void parse_restart(struct ctlmsg *m)
{
	const char *p = m->arg.p;

	if (!p || !m->arg.len || p[0] != '[')
		return;
	for (size_t i = 1; i < m->arg.len && p[i] != ']'; i++) {
		if (p[i] == 'P')
			m->restart_keep_pw = true;
		else if (p[i] == 'N')
			m->restart_next_remote = true;
	}
}

int ctlmsg_parse(const char *msg, size_t len, struct ctlmsg *out)
{
	static const struct { const char *pfx; enum ctlmsg_type t; } tbl[] = {
		/* the order matters where one prefix extends another */
		{ "AUTH_FAILED", CTLMSG_AUTH_FAILED },
		{ "PUSH_REPLY", CTLMSG_PUSH_REPLY },
		{ "PUSH_REQUEST", CTLMSG_PUSH_REQUEST },
		{ "RESTART", CTLMSG_RESTART },
		{ "HALT", CTLMSG_HALT },
		{ "INFO_PRE", CTLMSG_INFO_PRE },
		{ "INFO", CTLMSG_INFO },
		{ "CR_RESPONSE", CTLMSG_CR_RESPONSE },
		{ "AUTH_PENDING", CTLMSG_AUTH_PENDING },
		{ "EXIT", CTLMSG_EXIT },
	};

	if (!msg || !out)
		return KM2_E_INVAL;
	memset(out, 0, sizeof(*out));
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		len--;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)msg[i];

		if (c < 0x20 || c > 0x7e)
			return KM2_E_TEXT;
	}
	out->text.p = len ? msg : NULL;
	out->text.len = len;
	for (size_t i = 0; i < sizeof(tbl) / sizeof(tbl[0]); i++) {
		if (!has_prefix(msg, len, tbl[i].pfx, &out->arg))
			continue;
		out->type = tbl[i].t;
		switch (out->type) {
		case CTLMSG_PUSH_REPLY:
			return parse_push_reply(out);
		case CTLMSG_AUTH_FAILED:
			out->auth_failed_temp = out->arg.p && out->arg.len >= 4 &&
						memcmp(out->arg.p, "TEMP", 4) == 0;
			break;
		case CTLMSG_AUTH_PENDING:
			parse_auth_pending(out);
			break;
		case CTLMSG_RESTART:
			parse_restart(out);
			break;
		default:
			break;
		}
		return 0;
	}
	out->arg.p = NULL;
	out->arg.len = 0;
	return 0;
}
