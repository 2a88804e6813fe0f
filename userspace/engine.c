// SPDX-License-Identifier: BSD-2-Clause
/*
 * engine.c: the OpenVPN 2.6 client control channel as a state machine.
 *
 * Connection states (enum est):
 *
 *   IDLE --EV_START--> CONNECTING --EV_LINK_UP--> HANDSHAKE --push applied--> UP
 *     ^                   |  ^                        |                       |
 *     |                   |  +------ RECONNECT_WAIT <-+-----------------------+
 *     |                   |          (restart: ping-restart, RESTART, errors)
 *     +-- EV_STOP in any state -> EXITING (exit notification) -> DONE
 *
 * Within a connection each key_id has a key state (struct keystate) with its
 * own reliability layer and TLS session (protocol §4/§13):
 *
 *   PRE_START (our reset queued) -> START (reset ACKed, TLS runs)
 *     -> SENT_KEY (our key-method-2 written) -> GOT_KEY (theirs read)
 *     -> GENERATED (data keys installed)
 *
 * The keystate slots: ks[KS_CUR] is the key in use, ks[KS_NEXT] the one
 * being negotiated, ks[KS_LAME] the previous key kept for tran-window so
 * that packets in flight still decrypt.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "engine.h"
#include "keymethod2.h"
#include "kdf.h"
#include "log.h"
#include "redact.h"
#include "reliable.h"
#include "tls.h"
#include "wrap.h"

#define MVPN_PEER_VERSION "2.6.0-mvpn"
#define PUSH_REQUEST_INTERVAL_MS 5000
#define ACT_MAX 256
#define ACT_BUF (ACT_MAX * (CTL_PACKET_MAX + WRAP_V2_WKC_MAX))
#define TLS_PLAIN_MAX 4096

enum est {
	EST_IDLE,
	EST_CONNECTING,
	EST_HANDSHAKE,
	EST_UP,
	EST_RECONNECT_WAIT,
	EST_EXITING,
	EST_DONE,
};

static const char *const est_names[] = {
	[EST_IDLE] = "idle",
	[EST_CONNECTING] = "connecting",
	[EST_HANDSHAKE] = "handshake",
	[EST_UP] = "up",
	[EST_RECONNECT_WAIT] = "reconnect-wait",
	[EST_EXITING] = "exiting",
	[EST_DONE] = "done",
};

enum ks_state {
	KS_UNUSED,
	KS_PRE_START,
	KS_START,
	KS_SENT_KEY,
	KS_GOT_KEY,
	KS_GENERATED,
};

enum { KS_CUR, KS_NEXT, KS_LAME, KS_N };

struct keystate {
	enum ks_state st;
	uint8_t key_id;
	struct rel rel;
	struct tls_conn *tls;
	bool tls_up;
	bool resend_wkc;	/* server asked for the WKc again on msg-id 1 */
	uint64_t started_ms;	/* hand-window runs from here */
	uint64_t created_ms;	/* the soft reset that began this key */
	uint64_t lame_expire_ms;
	uint8_t pre_master[KM2_PRE_MASTER_LEN];
	uint8_t random1[KM2_RANDOM_LEN], random2[KM2_RANDOM_LEN];
	uint8_t peer_random1[KM2_RANDOM_LEN], peer_random2[KM2_RANDOM_LEN];
	bool in_dp;		/* installed in a data-plane slot */
};

struct engine {
	struct engine_params p;
	const struct mvpn_config *lcfg;	/* the local configuration */
	struct mvpn_config *cfg;	/* local + pushed, per connection */
	enum est st;
	struct tls_ctx *tls;

	/* connection */
	size_t remote_idx;		/* position in order[] */
	size_t *order;			/* remote-random: a shuffled index list */
	unsigned int tries;		/* failed tries of the current remote */
	unsigned int total_tries;
	struct wrap_ctx wrap;
	struct wrap_ctx dyn;		/* dynamic tls-crypt, key_id > 0 */
	bool dyn_ready;
	int remote_family;		/* 4 or 6: the transport's IP version */
	uint8_t sid[CTL_SID_LEN];
	uint8_t peer_sid[CTL_SID_LEN];
	bool have_peer_sid;
	struct keystate ks[KS_N];
	uint8_t last_key_id;

	/* negotiated */
	bool push_done;
	enum mvpn_dp_cipher cipher;
	bool ekm, cc_exit, dyn_tls_crypt;

	/* timers, monotonic ms; 0 = off */
	uint64_t now;
	uint32_t wall;
	uint64_t t_push;		/* next PUSH_REQUEST */
	uint64_t t_handshake;		/* hand-window / connect timeout for the first key */
	uint64_t t_reconnect;
	uint64_t t_reneg;		/* reneg-sec for the current key */
	uint64_t t_exit;
	uint64_t t_swap;		/* ks[KS_CUR] becomes the TX key; 0 = not pending */
	uint64_t reneg_bytes_base, reneg_pkts_base;
	uint64_t last_bytes, last_pkts;	/* totals of the last EV_DATA_COUNTERS */
	int exit_status;

	/* static key material */
	uint8_t wrap_key[WRAP_STATIC_KEY_LEN];
	uint8_t v2_kc[WRAP_V2_KC_LEN];
	uint8_t v2_wkc[WRAP_V2_WKC_MAX];
	size_t v2_wkc_len;

	/* lines about dropped packets: anyone who can reach the socket can
	 * cause one per packet, so they are rate-limited */
	struct mlog_limit drop_log;
	bool pkt_accepted;		/* the last EV_LINK_PACKET came from the server */

	/* action queue */
	struct engine_action act[ACT_MAX];
	unsigned int n_act, act_head;
	uint8_t *abuf;
	size_t abuf_used;
	uint8_t pkt[CTL_PACKET_MAX + WRAP_V2_WKC_MAX + 64];
	uint8_t plain[TLS_PLAIN_MAX];
};

/* ------------------------------------------------------------------------ */
/* action queue */

static struct engine_action *act_push(struct engine *e, enum engine_act_type type)
{
	struct engine_action *a;

	if (e->n_act >= ACT_MAX) {
		mlog(LOG_ERR, "engine: action queue overflow, dropping an action");
		return NULL;
	}
	a = &e->act[e->n_act++];
	memset(a, 0, sizeof(*a));
	a->type = type;
	return a;
}

static void act_send(struct engine *e, enum engine_act_type type, const uint8_t *buf, size_t len)
{
	struct engine_action *a;

	if (e->abuf_used + len > ACT_BUF) {
		mlog(LOG_ERR, "engine: output buffer full, dropping a packet");
		return;
	}
	a = act_push(e, type);
	if (!a)
		return;
	memcpy(e->abuf + e->abuf_used, buf, len);
	a->data = e->abuf + e->abuf_used;
	a->len = len;
	e->abuf_used += len;
}

bool engine_next_action(struct engine *e, struct engine_action *a)
{
	if (e->act_head >= e->n_act) {
		e->act_head = e->n_act = 0;
		e->abuf_used = 0;
		return false;
	}
	*a = e->act[e->act_head];
	OPENSSL_cleanse(&e->act[e->act_head].key, sizeof(e->act[e->act_head].key));
	e->act_head++;
	return true;
}

/* ------------------------------------------------------------------------ */
/* helpers */

/* The connection entry in use: the current remote, or the global settings
 * when the config has no remote (a p2p listener). */
static const struct mvpn_remote *cur_remote(const struct engine *e)
{
	if (!e->lcfg->n_remotes)
		return &e->lcfg->conn;
	return &e->lcfg->remotes[e->order ? e->order[e->remote_idx] : e->remote_idx];
}

static uint64_t ms(int seconds)
{
	return seconds > 0 ? (uint64_t)seconds * 1000 : 0;
}

static void rnd(struct engine *e, void *buf, size_t len)
{
	e->p.rand_bytes(e->p.rand_ctx, buf, len);
}

static enum mvpn_dp_cipher dp_cipher(enum mvpn_cipher c)
{
	switch (c) {
	case MVPN_CIPHER_AES_128_GCM:
		return MVPN_DP_AES_128_GCM;
	case MVPN_CIPHER_AES_256_GCM:
		return MVPN_DP_AES_256_GCM;
	case MVPN_CIPHER_CHACHA20_POLY1305:
		return MVPN_DP_CHACHA20_POLY1305;
	default:
		return MVPN_DP_CIPHER_NONE;
	}
}

/* hand-window in seconds, OpenVPN's 60 when unset */
static int hand_window_s(const struct engine *e)
{
	return e->lcfg->hand_window > 0 ? e->lcfg->hand_window : 60;
}

static void ks_clear(struct keystate *ks)
{
	tls_conn_free(ks->tls);
	OPENSSL_cleanse(ks, sizeof(*ks));
	ks->st = KS_UNUSED;
}

static struct keystate *ks_by_id(struct engine *e, uint8_t key_id)
{
	for (int i = 0; i < KS_N; i++)
		if (e->ks[i].st != KS_UNUSED && e->ks[i].key_id == key_id)
			return &e->ks[i];
	return NULL;
}

static uint8_t next_key_id(uint8_t id)
{
	/* 0, then 1..7 wrapping to 1: 0 is never reused (protocol §2). */
	return id >= 7 ? 1 : id + 1;
}

static int ks_start(struct engine *e, struct keystate *ks, uint8_t key_id, char *err, size_t errlen)
{
	struct rel_cfg rc;

	ks_clear(ks);
	ks->key_id = key_id;
	rel_cfg_default(&rc);
	rc.initial_timeout_ms = (uint32_t)ms(e->lcfg->tls_timeout > 0 ? e->lcfg->tls_timeout : 2);
	if (rel_init(&ks->rel, &rc) != REL_OK) {
		snprintf(err, errlen, "reliability layer setup failed");
		return -1;
	}
	ks->tls = tls_conn_new(e->tls, err, errlen);
	if (!ks->tls)
		return -1;
	ks->st = KS_PRE_START;
	ks->started_ms = e->now;
	ks->created_ms = e->now;
	rnd(e, ks->pre_master, sizeof(ks->pre_master));
	rnd(e, ks->random1, sizeof(ks->random1));
	rnd(e, ks->random2, sizeof(ks->random2));
	return 0;
}

static struct wrap_ctx *wrap_for(struct engine *e, uint8_t key_id)
{
	/* Dynamic tls-crypt wraps every packet of key_id > 0 (§3.8). */
	if (key_id > 0 && e->dyn_ready)
		return &e->dyn;
	return &e->wrap;
}

/* Seal and queue everything the key state's reliability layer has due. */
static void ks_flush(struct engine *e, struct keystate *ks)
{
	struct ctl_pkt p;

	while (rel_next_packet(&ks->rel, e->now, &p) == 1) {
		long n;

		p.key_id = ks->key_id;
		memcpy(p.sid, e->sid, CTL_SID_LEN);
		if (p.n_acks)
			memcpy(p.peer_sid, e->peer_sid, CTL_SID_LEN);
		n = wrap_seal(wrap_for(e, ks->key_id), &p, e->wall, e->pkt, sizeof(e->pkt));
		if (n < 0) {
			mlog(LOG_ERR, "control channel: cannot build %s: %s", ctl_opcode_name(p.opcode),
			     wire_strerror((int)n));
			continue;
		}
		mlog(LOG_DEBUG, "control: send %s kid=%u msg-id=%" PRIu32 " acks=%u len=%ld",
		     ctl_opcode_name(p.opcode), ks->key_id, p.msg_id, p.n_acks, n);
		act_send(e, ACT_SEND, e->pkt, (size_t)n);
	}
}

/* Move TLS ciphertext into reliable packets, as much as the window allows. */
static void ks_pump_tls(struct engine *e, struct keystate *ks)
{
	uint8_t buf[REL_PAYLOAD_MAX];
	bool v6 = e->remote_family == 6;

	if (!ks->tls || ks->st < KS_START)
		return;
	while (tls_conn_pending_ciphertext(ks->tls) > 0 && rel_send_room(&ks->rel) > 0) {
		uint8_t op = CTL_OP_CONTROL_V1;
		size_t cap;
		size_t n;

		if (ks->resend_wkc && ks->rel.next_send_id == 1)
			op = CTL_OP_CONTROL_WKC_V1;
		/* Packets sized as OpenVPN 2.6 sizes them (tls-mtu 1250, §4). */
		cap = wrap_payload_budget(wrap_for(e, ks->key_id), op, 1250,
					  rel_acks_outstanding(&ks->rel), v6);
		if (!cap)
			break;
		n = tls_conn_get_ciphertext(ks->tls, buf, cap);
		if (!n)
			break;
		if (rel_queue(&ks->rel, op, buf, n, NULL) != REL_OK) {
			mlog(LOG_ERR, "control channel: cannot queue TLS data");
			break;
		}
	}
	ks_flush(e, ks);
}

/* ------------------------------------------------------------------------ */
/* connection lifecycle */

static void tun_down_and_keys(struct engine *e)
{
	for (int i = 0; i < KS_N; i++)
		ks_clear(&e->ks[i]);
	if (e->st == EST_UP || e->push_done) {
		act_push(e, ACT_KEY_DEL)->slot = MVPN_DP_SECONDARY;
		act_push(e, ACT_KEY_DEL)->slot = MVPN_DP_PRIMARY;
		act_push(e, ACT_TUN_DOWN);
	}
	e->push_done = false;
}

static void conn_reset(struct engine *e)
{
	tun_down_and_keys(e);
	wrap_free(&e->wrap);
	wrap_free(&e->dyn);
	e->dyn_ready = false;
	e->have_peer_sid = false;
	e->t_push = e->t_handshake = e->t_reneg = e->t_swap = 0;
	config_free(e->cfg);
	e->cfg = NULL;
}

/* Schedule a reconnect: same remote unless next_remote, after connect-retry. */
static void restart(struct engine *e, const char *why, bool next_remote)
{
	const struct mvpn_remote *r;
	unsigned int wait;

	if (e->st == EST_EXITING || e->st == EST_DONE)
		return;
	mlog(LOG_INFO, "Restart (%s)%s", why, next_remote ? ", trying the next remote" : "");
	conn_reset(e);
	act_push(e, ACT_DISCONNECT);
	e->tries++;
	e->total_tries++;
	if (next_remote && e->lcfg->n_remotes > 1) {
		e->remote_idx = (e->remote_idx + 1) % e->lcfg->n_remotes;
		e->tries = 0;
	}
	if (e->lcfg->connect_retry_max && e->total_tries >= e->lcfg->connect_retry_max * (e->lcfg->n_remotes ? e->lcfg->n_remotes : 1)) {
		mlog(LOG_ERR, "Exiting: connect-retry-max (%u) reached", e->lcfg->connect_retry_max);
		e->exit_status = 1;
		e->st = EST_DONE;
		act_push(e, ACT_EXIT)->status = 1;
		return;
	}
	r = cur_remote(e);
	wait = r->connect_retry ? r->connect_retry : 1;
	/* OpenVPN doubles the wait after 5 tries of one entry, up to the cap. */
	for (unsigned int i = 5; i < e->tries && wait < r->connect_retry_wait_max; i++)
		wait *= 2;
	if (r->connect_retry_wait_max && wait > r->connect_retry_wait_max)
		wait = r->connect_retry_wait_max;
	e->st = EST_RECONNECT_WAIT;
	e->t_reconnect = e->now + ms((int)wait);
	mlog(LOG_INFO, "Waiting %us before reconnecting", wait);
}

static void fatal(struct engine *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fatal(struct engine *e, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	mlog(LOG_ERR, "%s", buf);
	conn_reset(e);
	act_push(e, ACT_DISCONNECT);
	e->exit_status = 1;
	e->st = EST_DONE;
	act_push(e, ACT_EXIT)->status = 1;
}

static int wrap_setup(struct engine *e, char *err, size_t errlen)
{
	const struct mvpn_config *c = e->lcfg;
	struct wrap_params wp;
	int r = 0;

	wrap_params_default(&wp, WRAP_CLIENT);
	if (c->replay_window >= 0)
		wp.replay_window = (uint32_t)c->replay_window;
	if (c->replay_window_time >= 0)
		wp.replay_time = (uint32_t)c->replay_window_time;
	switch (c->tls_wrap) {
	case MVPN_WRAP_NONE:
		r = wrap_init_none(&e->wrap, &wp);
		break;
	case MVPN_WRAP_TLS_AUTH:
		r = wrap_init_tls_auth(&e->wrap, &wp, e->wrap_key, (enum wrap_keydir)c->key_direction,
				       config_digest_name(c->auth));
		break;
	case MVPN_WRAP_TLS_CRYPT:
		r = wrap_init_tls_crypt(&e->wrap, &wp, e->wrap_key);
		break;
	case MVPN_WRAP_TLS_CRYPT_V2:
		r = wrap_init_tls_crypt_v2_client(&e->wrap, &wp, e->v2_kc, e->v2_wkc, e->v2_wkc_len);
		break;
	}
	if (r < 0)
		snprintf(err, errlen, "control channel wrapper setup failed: %s", wire_strerror(r));
	return r < 0 ? -1 : 0;
}

static void connect_remote(struct engine *e)
{
	const struct mvpn_remote *r;

	r = cur_remote(e);
	e->st = EST_CONNECTING;
	e->t_handshake = e->now + ms((int)(r->connect_timeout ? r->connect_timeout : 120));
	act_push(e, ACT_CONNECT)->remote = r;
}

static void link_up(struct engine *e)
{
	char err[512];
	struct keystate *ks = &e->ks[KS_CUR];
	uint8_t op;

	e->cfg = config_dup(e->lcfg);
	if (!e->cfg) {
		fatal(e, "out of memory");
		return;
	}
	if (wrap_setup(e, err, sizeof(err))) {
		fatal(e, "%s", err);
		return;
	}
	do
		rnd(e, e->sid, sizeof(e->sid));
	while (kdf_is_zero(e->sid, sizeof(e->sid)));	/* all-zero means "undefined" */
	e->have_peer_sid = false;
	e->last_key_id = 0;
	if (ks_start(e, ks, 0, err, sizeof(err))) {
		fatal(e, "%s", err);
		return;
	}
	op = e->lcfg->tls_wrap == MVPN_WRAP_TLS_CRYPT_V2 ? CTL_OP_HARD_RESET_CLIENT_V3
							  : CTL_OP_HARD_RESET_CLIENT_V2;
	rel_queue(&ks->rel, op, NULL, 0, NULL);
	e->st = EST_HANDSHAKE;
	{
		int hw = hand_window_s(e);
		uint64_t t = e->now + ms(hw);

		if (!e->t_handshake || t < e->t_handshake)
			e->t_handshake = t;
	}
	mlog(LOG_INFO, "TLS: Initial packet from the client, sid=%02x%02x%02x%02x%02x%02x%02x%02x",
	     e->sid[0], e->sid[1], e->sid[2], e->sid[3], e->sid[4], e->sid[5], e->sid[6], e->sid[7]);
	ks_flush(e, ks);
}

/* ------------------------------------------------------------------------ */
/* key-method 2, push, key derivation */

static void build_options_string(struct engine *e, char *buf, size_t len)
{
	const struct mvpn_remote *r = cur_remote(e);

	/* Only logged by the server (OCC consistency check, protocol §6). */
	snprintf(buf, len, "V4,dev-type tun,link-mtu %d,tun-mtu %d,proto %s,%skeydir 1,auth %s,key-method 2,tls-client",
		 (r->tun_mtu > 0 ? r->tun_mtu : 1500) + 49, r->tun_mtu > 0 ? r->tun_mtu : 1500,
		 r->proto == MVPN_TRANSPORT_UDP ? "UDPv4" : "TCPv4_CLIENT",
		 e->lcfg->comp != MVPN_COMP_NONE ? "comp-lzo," : "",
		 config_digest_name(e->lcfg->auth));
}

static int send_key_method_2(struct engine *e, struct keystate *ks)
{
	char options[KM2_OPTIONS_MAX], ciphers[256] = "", pi[1024];
	const struct mvpn_config *c = e->lcfg;
	struct km2_peer_info_in pin = { 0 };
	struct km2_client_msg m = { 0 };
	uint8_t buf[KM2_MSG_MAX];
	long n;

	for (size_t i = 0; i < c->n_data_ciphers; i++) {
		if (dp_cipher(c->data_ciphers[i]) == MVPN_DP_CIPHER_NONE)
			continue;	/* we offer only what our data planes do */
		if (ciphers[0])
			strncat(ciphers, ":", sizeof(ciphers) - strlen(ciphers) - 1);
		strncat(ciphers, config_cipher_name(c->data_ciphers[i]),
			sizeof(ciphers) - strlen(ciphers) - 1);
	}
	pin.version = MVPN_PEER_VERSION;
	pin.platform = "linux";
	pin.proto = KM2_IV_PROTO_DATA_V2 | KM2_IV_PROTO_REQUEST_PUSH | KM2_IV_PROTO_AUTH_PENDING_KW |
		    KM2_IV_PROTO_CC_EXIT_NOTIFY | KM2_IV_PROTO_AUTH_FAIL_TEMP;
	if (!e->p.force_prf)
		pin.proto |= KM2_IV_PROTO_TLS_KEY_EXPORT | KM2_IV_PROTO_DYN_TLS_CRYPT;
	pin.ciphers = ciphers;
	pin.mtu = 1600;
	pin.tcpnl = true;
	pin.comp_stub = c->comp == MVPN_COMP_NONE;
	pin.lzo = c->comp == MVPN_COMP_LZO_YES || c->comp == MVPN_COMP_LZO_ADAPTIVE ||
		  c->comp == MVPN_COMP_LZO_NO || c->comp == MVPN_COMP_LZO;
	n = km2_build_peer_info(&pin, pi, sizeof(pi));
	if (n < 0) {
		mlog(LOG_ERR, "key-method 2: peer-info: %s", km2_strerror((int)n));
		return -1;
	}
	build_options_string(e, options, sizeof(options));
	m.pre_master = ks->pre_master;
	m.random1 = ks->random1;
	m.random2 = ks->random2;
	m.options = options;
	m.peer_info = pi;
	if (c->auth_user_pass) {
		m.username = c->auth_token_user ? c->auth_token_user : c->username;
		m.password = e->cfg && e->cfg->auth_token ? e->cfg->auth_token : c->password;
		if (!m.username)
			m.username = "";
		if (!m.password)
			m.password = "";
	}
	n = km2_build_client(&m, buf, sizeof(buf));
	if (n < 0) {
		mlog(LOG_ERR, "key-method 2: %s", km2_strerror((int)n));
		return -1;
	}
	if (tls_conn_write(ks->tls, buf, (size_t)n)) {
		OPENSSL_cleanse(buf, sizeof(buf));
		mlog(LOG_ERR, "key-method 2: %s", tls_conn_error(ks->tls));
		return -1;
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	ks->st = KS_SENT_KEY;
	mlog(LOG_VERBOSE, "key-method 2 sent (key_id %u, IV_PROTO=%u)", ks->key_id, pin.proto);
	return 0;
}

static void send_control_message(struct engine *e, const char *msg)
{
	struct keystate *ks = &e->ks[KS_CUR];

	if (ks->st < KS_GOT_KEY || !ks->tls)
		return;
	if (tls_conn_write(ks->tls, (const uint8_t *)msg, strlen(msg) + 1)) {
		mlog(LOG_ERR, "control channel: cannot send %s: %s", msg, tls_conn_error(ks->tls));
		return;
	}
	mlog(LOG_VERBOSE, "SENT CONTROL: '%s'", msg);
	ks_pump_tls(e, ks);
}

/* Derive this key state's data keys and hand them to the data plane. */
static int install_keys(struct engine *e, struct keystate *ks, enum mvpn_dp_slot slot)
{
	uint8_t key2[KDF_KEY2_LEN];
	struct kdf_data_keys dk;
	struct engine_action *a;
	int r;

	if (e->ekm) {
		uint8_t ekm[KDF_KEY2_LEN];

		if (tls_conn_export(ks->tls, KDF_EKM_LABEL, ekm, sizeof(ekm))) {
			mlog(LOG_ERR, "TLS-EKM: %s", tls_conn_error(ks->tls));
			return -1;
		}
		r = kdf_from_ekm(ekm, sizeof(ekm), key2);
		OPENSSL_cleanse(ekm, sizeof(ekm));
	} else {
		struct kdf_prf_input in = {
			.pre_master = ks->pre_master,
			.client_random1 = ks->random1,
			.client_random2 = ks->random2,
			.server_random1 = ks->peer_random1,
			.server_random2 = ks->peer_random2,
			.client_sid = e->sid,
			.server_sid = e->peer_sid,
		};

		r = kdf_openvpn_prf(&in, key2);
	}
	if (r == KDF_OK)
		r = kdf_data_keys(key2, false, mvpn_dp_cipher_key_len(e->cipher), &dk);
	OPENSSL_cleanse(key2, sizeof(key2));
	if (r != KDF_OK) {
		mlog(LOG_ERR, "data channel key derivation failed: %s", kdf_strerror(r));
		return -1;
	}
	a = act_push(e, ACT_KEY_INSTALL);
	if (!a) {
		kdf_data_keys_clear(&dk);
		return -1;
	}
	a->slot = slot;
	a->key.key_id = ks->key_id;
	a->key.cipher = e->cipher;
	memcpy(a->key.encrypt.key, dk.tx_key, dk.key_len);
	memcpy(a->key.encrypt.nonce_tail, dk.tx_iv, sizeof(dk.tx_iv));
	memcpy(a->key.decrypt.key, dk.rx_key, dk.key_len);
	memcpy(a->key.decrypt.nonce_tail, dk.rx_iv, sizeof(dk.rx_iv));
	kdf_data_keys_clear(&dk);
	ks->st = KS_GENERATED;
	ks->in_dp = true;
	mlog(LOG_INFO, "Data Channel: cipher '%s', key_id %u, key derivation %s",
	     mvpn_dp_cipher_name(e->cipher), ks->key_id, e->ekm ? "TLS-EKM" : "TLS 1.0 PRF");
	return 0;
}

static void setup_dyn_tls_crypt(struct engine *e, struct keystate *ks)
{
	uint8_t ekm[WRAP_STATIC_KEY_LEN];
	struct wrap_params wp;

	if (!e->dyn_tls_crypt || e->dyn_ready)
		return;
	if (tls_conn_export(ks->tls, WRAP_DYN_TLS_CRYPT_LABEL, ekm, sizeof(ekm))) {
		mlog(LOG_ERR, "dynamic tls-crypt: %s", tls_conn_error(ks->tls));
		return;
	}
	wrap_params_default(&wp, WRAP_CLIENT);
	if (wrap_init_dynamic(&e->dyn, &wp, ekm, wrap_original_key(&e->wrap)) == 0)
		e->dyn_ready = true;
	OPENSSL_cleanse(ekm, sizeof(ekm));
}

/* NCP on the client (protocol §10.2): the pushed cipher must be ours. */
static bool negotiate_cipher(struct engine *e)
{
	const struct mvpn_config *c = e->cfg;
	enum mvpn_cipher pick = MVPN_CIPHER_UNSET;

	if (c->pushed_cipher && c->cipher != MVPN_CIPHER_UNSET) {
		pick = c->cipher;
	} else {
		/* No NCP from the server: our cipher, or data-ciphers-fallback. */
		if (c->data_ciphers_fallback != MVPN_CIPHER_UNSET)
			pick = c->data_ciphers_fallback;
		else if (c->cipher != MVPN_CIPHER_UNSET)
			pick = c->cipher;
	}
	e->cipher = dp_cipher(pick);
	if (e->cipher == MVPN_DP_CIPHER_NONE) {
		fatal(e, "Data channel cipher negotiation failed: %s%s is not supported (supported: AES-128-GCM, AES-256-GCM, CHACHA20-POLY1305)",
		      pick == MVPN_CIPHER_UNSET ? "no cipher was pushed and none is configured" : "cipher ",
		      pick == MVPN_CIPHER_UNSET ? "" : config_cipher_name(pick));
		return false;
	}
	return true;
}

static void push_complete(struct engine *e)
{
	struct keystate *ks = &e->ks[KS_CUR];
	struct engine_action *a;

	if (!negotiate_cipher(e))
		return;
	e->ekm = e->cfg->key_derivation_tls_ekm && !e->p.force_prf;
	e->cc_exit = e->cfg->protocol_cc_exit;
	e->dyn_tls_crypt = e->cfg->protocol_dyn_tls_crypt && !e->p.force_prf;
	if (e->cfg->key_derivation_tls_ekm && e->p.force_prf) {
		fatal(e, "server insists on TLS-EKM but --force-prf is set");
		return;
	}
	e->push_done = true;
	e->t_push = 0;
	/* The tunnel (and with mvpn-dco the peer) first, then its key. */
	a = act_push(e, ACT_TUN_UP);
	if (a) {
		a->cfg = e->cfg;
		a->peer_id = e->cfg->peer_id;
	}
	if (install_keys(e, ks, MVPN_DP_PRIMARY)) {
		restart(e, "key derivation failed", false);
		return;
	}
	setup_dyn_tls_crypt(e, ks);
	e->st = EST_UP;
	e->t_handshake = 0;
	e->tries = 0;
	e->total_tries = 0;
	if (e->lcfg->reneg_sec > 0)
		e->t_reneg = e->now + ms(e->lcfg->reneg_sec);
	e->reneg_bytes_base = e->reneg_pkts_base = 0;
	e->last_bytes = e->last_pkts = 0;
	/* "Initialization Sequence Completed" is logged by the event loop
	 * once ACT_TUN_UP and the key are carried out: scripts that wait for
	 * the line expect a configured tunnel, as with OpenVPN. */
}

static void handle_push_reply(struct engine *e, const char *msg, size_t len)
{
	struct mvpn_config_error err;
	int r;

	if (e->push_done) {
		mlog(LOG_VERBOSE, "ignoring a repeated PUSH_REPLY");
		return;
	}
	size_t nw = e->cfg->n_warnings;

	r = config_apply_push(e->cfg, msg, len, &err);
	for (size_t i = nw; i < e->cfg->n_warnings; i++)
		mlog(LOG_INFO, "WARNING: %s", e->cfg->warnings[i]);
	if (r < 0) {
		fatal(e, "Options error in PUSH_REPLY: %s", err.text);
		return;
	}
	if (r == 1) {
		mlog(LOG_VERBOSE, "PUSH_REPLY continues in another message");
		return;
	}
	push_complete(e);
}

static void handle_ctlmsg(struct engine *e, const char *m, size_t len)
{
	struct ctlmsg cm;
	/* what the logs may show: auth-token values redacted, control
	 * characters replaced (a message must not forge log lines) */
	char shown[4096], arg[512];

	if (ctlmsg_parse(m, len, &cm) < 0) {
		mlog(LOG_ERR, "control channel: malformed message dropped");
		return;
	}
	redact_control_message(cm.text.p, cm.text.len, shown, sizeof(shown));
	mlog(LOG_VERBOSE, "PUSH: Received control message: '%s'", shown);
	switch (cm.type) {
	case CTLMSG_PUSH_REPLY:
		handle_push_reply(e, cm.text.p, cm.text.len);
		break;
	case CTLMSG_AUTH_FAILED:
		if (cm.auth_failed_temp) {
			mlog(LOG_ERR, "AUTH: Received AUTH_FAILED,TEMP: %s", shown);
			restart(e, "temporary authentication failure", false);
		} else {
			redact_control_message(cm.arg.p ? cm.arg.p : "", cm.arg.p ? cm.arg.len : 0, arg,
					       sizeof(arg));
			fatal(e, "AUTH: Received control message: AUTH_FAILED%s%s", cm.arg.p ? ", " : "",
			      arg);
		}
		break;
	case CTLMSG_AUTH_PENDING:
		mlog(LOG_INFO, "AUTH_PENDING: waiting for the server to finish authentication%s",
		     cm.auth_pending_timeout ? "" : "");
		/* Only the initial handshake has a deadline to extend: once up,
		 * t_handshake is consumed by no state and would stay due forever. */
		if (cm.auth_pending_timeout && e->st == EST_HANDSHAKE)
			e->t_handshake = e->now + ms((int)cm.auth_pending_timeout);
		break;
	case CTLMSG_INFO:
	case CTLMSG_INFO_PRE:
		mlog(LOG_INFO, "INFO: %s", shown);
		break;
	case CTLMSG_RESTART:
		restart(e, "server pushed RESTART", cm.restart_next_remote);
		break;
	case CTLMSG_HALT:
		fatal(e, "Server requested HALT: %s", shown);
		break;
	case CTLMSG_EXIT:
		restart(e, "server sent EXIT", false);
		break;
	case CTLMSG_PUSH_REQUEST:
	case CTLMSG_CR_RESPONSE:
	case CTLMSG_UNKNOWN:
		mlog(LOG_INFO, "control channel: unexpected message '%s' ignored", shown);
		break;
	}
}

/*
 * When a renegotiated key may start sending.  The server generates its new
 * keys only once our ACK of its key-method 2 reached it, and later still if
 * it authenticates the renegotiation in the background; a packet sent under
 * the new key_id before then is dropped (an OpenVPN server on ovpn-dco drops
 * them all until its event loop has installed the key).  OpenVPN 2.6 sends
 * on the old key until min(hand-window, reneg-sec / 2) after the soft reset
 * (ssl.c, auth_deferred_expire_window and tls_select_encryption_key); so do
 * we.  At the latest it moves when the old key stops being the lame duck
 * (tran-window), as OpenVPN's does when the lame duck is freed.
 */
static uint64_t tx_swap_deadline(const struct engine *e)
{
	int wnd = hand_window_s(e);
	uint64_t t;

	if (e->lcfg->reneg_sec > 0 && e->lcfg->reneg_sec / 2 < wnd)
		wnd = e->lcfg->reneg_sec / 2;
	t = e->ks[KS_CUR].created_ms + ms(wnd);
	return t < e->ks[KS_LAME].lame_expire_ms ? t : e->ks[KS_LAME].lame_expire_ms;
}

/* The current key (installed in the secondary slot) becomes the TX key. */
static void tx_swap(struct engine *e, const char *why)
{
	e->t_swap = 0;
	act_push(e, ACT_KEY_SWAP);
	mlog(LOG_VERBOSE, "key_id %u now sends (%s); key_id %u receives until it expires",
	     e->ks[KS_CUR].key_id, why, e->ks[KS_LAME].key_id);
}

static void ks_got_server_key(struct engine *e, struct keystate *ks, const uint8_t *buf, size_t len)
{
	struct km2_msg m;
	int r = km2_parse(buf, len, false, &m);

	if (r < 0) {
		restart(e, "malformed key-method 2 message from the server", false);
		return;
	}
	memcpy(ks->peer_random1, m.random1, sizeof(m.random1));
	memcpy(ks->peer_random2, m.random2, sizeof(m.random2));
	ks->st = KS_GOT_KEY;
	mlog(LOG_VERBOSE, "key-method 2 received from the server (key_id %u)", ks->key_id);

	if (ks == &e->ks[KS_CUR] && !e->push_done) {
		/* First key: the data keys come after the push (§10.2). */
		send_control_message(e, "PUSH_REQUEST");
		e->t_push = e->now + PUSH_REQUEST_INTERVAL_MS;
		return;
	}
	if (ks == &e->ks[KS_NEXT]) {
		uint64_t t_swap;

		/* (no key waits to send here: start_renegotiation made it send)
		 * Renegotiated key: install in the secondary slot, where it
		 * decrypts at once.  The old key stays the TX key for a while
		 * (tx_swap_deadline) and then for RX only as the lame duck. */
		if (install_keys(e, ks, MVPN_DP_SECONDARY)) {
			restart(e, "key derivation failed on renegotiation", false);
			return;
		}
		ks_clear(&e->ks[KS_LAME]);
		e->ks[KS_LAME] = e->ks[KS_CUR];
		e->ks[KS_LAME].lame_expire_ms = e->now + ms(e->lcfg->tran_window > 0 ? e->lcfg->tran_window : 3600);
		e->ks[KS_CUR] = e->ks[KS_NEXT];
		memset(&e->ks[KS_NEXT], 0, sizeof(e->ks[KS_NEXT]));
		e->ks[KS_NEXT].st = KS_UNUSED;
		t_swap = tx_swap_deadline(e);
		if (e->lcfg->reneg_sec > 0)
			e->t_reneg = e->now + ms(e->lcfg->reneg_sec);
		/* reneg-bytes/-pkts count the traffic of the current key
		 * (OpenVPN: ks->n_bytes), whatever started this renegotiation */
		e->reneg_bytes_base = e->last_bytes;
		e->reneg_pkts_base = e->last_pkts;
		mlog(LOG_INFO, "Renegotiation complete: key_id %u installed, key_id %u sends until %" PRIu64
		     " ms from now, then stays as lame duck",
		     e->ks[KS_CUR].key_id, e->ks[KS_LAME].key_id,
		     t_swap > e->now ? t_swap - e->now : 0);
		if (t_swap > e->now)
			e->t_swap = t_swap;
		else
			tx_swap(e, "deadline reached");
	}
}

/* Read everything TLS has for us and act on it. */
static void ks_read_plaintext(struct engine *e, struct keystate *ks)
{
	for (;;) {
		int n = tls_conn_read(ks->tls, e->plain, sizeof(e->plain));

		if (n < 0) {
			restart(e, tls_conn_error(ks->tls), false);
			return;
		}
		if (n == 0)
			return;
		if (ks->st == KS_SENT_KEY) {
			ks_got_server_key(e, ks, e->plain, (size_t)n);
		} else if (ks->st >= KS_GOT_KEY) {
			size_t off = 0;
			const char *msg;
			size_t mlen;
			int r;

			while ((r = ctlmsg_next(e->plain, (size_t)n, &off, &msg, &mlen)) == 1) {
				handle_ctlmsg(e, msg, mlen);
				if (e->st == EST_DONE || e->st == EST_RECONNECT_WAIT || ks->st == KS_UNUSED)
					return;
			}
			if (r < 0)
				mlog(LOG_ERR, "control channel: message without terminating NUL dropped");
		}
		if (e->st == EST_DONE || e->st == EST_RECONNECT_WAIT || ks->st == KS_UNUSED)
			return;
	}
}

/* Drive TLS after new ciphertext arrived. */
static void ks_drive_tls(struct engine *e, struct keystate *ks)
{
	if (ks->st < KS_START)
		return;
	if (!ks->tls_up) {
		enum tls_status s = tls_conn_handshake(ks->tls);

		if (s == TLS_ERROR) {
			const char *why = tls_conn_error(ks->tls);

			/* Flush the alert so the server learns why. */
			ks_pump_tls(e, ks);
			mlog(LOG_ERR, "TLS Error: TLS handshake failed: %s", why);
			restart(e, "TLS handshake failed", true);
			return;
		}
		if (s == TLS_HANDSHAKING) {
			ks_pump_tls(e, ks);
			return;
		}
		ks->tls_up = true;
		{
			char d[512];

			tls_conn_describe(ks->tls, d, sizeof(d));
			mlog(LOG_INFO, "Control Channel: %s", d);
		}
		if (send_key_method_2(e, ks)) {
			restart(e, "cannot send key-method 2", false);
			return;
		}
	}
	ks_pump_tls(e, ks);
	ks_read_plaintext(e, ks);
	if (ks->st != KS_UNUSED && e->st != EST_DONE && e->st != EST_RECONNECT_WAIT)
		ks_pump_tls(e, ks);
}

/* ------------------------------------------------------------------------ */
/* packets in */

static void start_renegotiation(struct engine *e, uint8_t key_id, bool we_start)
{
	struct keystate *ks = &e->ks[KS_NEXT];
	char err[512];

	if (ks_start(e, ks, key_id, err, sizeof(err))) {
		mlog(LOG_ERR, "renegotiation: %s", err);
		return;
	}
	e->last_key_id = key_id;
	/* A key still waiting for its turn sends from now on: the peer's
	 * soft reset retires the key before it (OpenVPN keeps two keys per
	 * session, and so does the data plane). */
	if (e->t_swap)
		tx_swap(e, "a new renegotiation begins");
	rel_queue(&ks->rel, CTL_OP_SOFT_RESET_V1, NULL, 0, NULL);
	mlog(LOG_INFO, "TLS: soft reset, renegotiating key_id %u (%s)", key_id,
	     we_start ? "initiated here" : "initiated by the server");
	ks_flush(e, ks);
}

#define DROP_LOG(e, ...)                                                              \
	do {                                                                          \
		if (mlog_limit_ok(&(e)->drop_log, LOG_VERBOSE, (e)->now,              \
				  "messages about dropped control packets"))          \
			mlog(LOG_VERBOSE, __VA_ARGS__);                                \
	} while (0)

static void handle_packet(struct engine *e, const uint8_t *pkt, size_t len)
{
	uint8_t opcode, key_id, scratch[CTL_RECORD_MAX + WRAP_V2_WKC_MAX];
	struct keystate *ks;
	struct ctl_pkt p;
	int r;

	e->pkt_accepted = false;
	if (e->st != EST_HANDSHAKE && e->st != EST_UP && e->st != EST_EXITING) {
		mlog(LOG_DEBUG, "control packet ignored in state %s", est_names[e->st]);
		return;
	}
	r = ctlpkt_peek(pkt, len, &opcode, &key_id, NULL);
	if (r < 0 || !ctl_opcode_is_control(opcode)) {
		DROP_LOG(e, "dropping a packet that is not a control packet (%s)",
		     r < 0 ? wire_strerror(r) : ctl_opcode_name(opcode));
		return;
	}
	r = wrap_open(wrap_for(e, key_id), pkt, len, e->wall, scratch, sizeof(scratch), &p);
	if (r < 0) {
		DROP_LOG(e, "TLS Error: incoming packet authentication failed (%s, %s)",
		     ctl_opcode_name(opcode), wire_strerror(r));
		return;
	}
	/* Session checks: the server's sid is learnt from its hard reset. */
	if (opcode == CTL_OP_HARD_RESET_SERVER_V2) {
		if (e->have_peer_sid && memcmp(p.sid, e->peer_sid, CTL_SID_LEN) != 0) {
			DROP_LOG(e, "hard reset from another server session ignored");
			return;
		}
		memcpy(e->peer_sid, p.sid, CTL_SID_LEN);
		e->have_peer_sid = true;
	} else if (opcode == CTL_OP_HARD_RESET_CLIENT_V2 || opcode == CTL_OP_HARD_RESET_CLIENT_V3) {
		DROP_LOG(e, "client->client packet ignored (are both ends clients?)");
		return;
	} else if (!e->have_peer_sid || memcmp(p.sid, e->peer_sid, CTL_SID_LEN) != 0) {
		DROP_LOG(e, "%s from an unknown session ignored", ctl_opcode_name(opcode));
		return;
	}
	if (p.n_acks && memcmp(p.peer_sid, e->sid, CTL_SID_LEN) != 0) {
		DROP_LOG(e, "ACK for another session ignored");
		return;
	}
	/* through the wrapper and in our session: the server is alive */
	e->pkt_accepted = true;

	ks = ks_by_id(e, key_id);
	if (!ks && opcode == CTL_OP_SOFT_RESET_V1 && e->st == EST_UP &&
	    e->ks[KS_CUR].st == KS_GENERATED) {
		if (key_id != next_key_id(e->last_key_id)) {
			mlog(LOG_ERR, "TLS Error: key IDs out of sync (got %u, expected %u)", key_id,
			     next_key_id(e->last_key_id));
			return;
		}
		start_renegotiation(e, key_id, false);
		ks = &e->ks[KS_NEXT];
	}
	if (!ks) {
		DROP_LOG(e, "%s for unknown key_id %u ignored", ctl_opcode_name(opcode), key_id);
		return;
	}
	rel_process_acks(&ks->rel, p.acks, p.n_acks);
	if (ctl_opcode_is_reliable(opcode)) {
		r = rel_receive(&ks->rel, opcode, p.msg_id, p.payload, p.payload_len);
		if (r < 0)
			DROP_LOG(e, "control packet too big, dropped");
	}
	/* Our reset is ACKed: TLS may start (§4: no TLS before S_START). */
	if (ks->st == KS_PRE_START && rel_send_idle(&ks->rel) && (e->have_peer_sid || key_id > 0)) {
		ks->st = KS_START;
		ks->started_ms = e->now;
	}
	{
		struct rel_msg m;

		while (rel_peek(&ks->rel, &m)) {
			if (ctl_opcode_is_reset(m.opcode)) {
				uint16_t flags = 0;

				if (m.opcode == CTL_OP_HARD_RESET_SERVER_V2 &&
				    ctlpkt_parse_early_neg(m.payload, m.len, &flags) == 0 &&
				    (flags & CTL_EARLY_NEG_RESEND_WKC) &&
				    e->lcfg->tls_wrap == MVPN_WRAP_TLS_CRYPT_V2)
					ks->resend_wkc = true;
			} else if (ks->tls && tls_conn_put_ciphertext(ks->tls, m.payload, m.len)) {
				mlog(LOG_ERR, "TLS: cannot buffer incoming data");
			}
			rel_pop(&ks->rel);
		}
	}
	if (ks->st == KS_PRE_START && rel_send_idle(&ks->rel) && e->have_peer_sid) {
		ks->st = KS_START;
		ks->started_ms = e->now;
	}
	ks_drive_tls(e, ks);
	if (ks->st != KS_UNUSED)
		ks_flush(e, ks);
}

/* ------------------------------------------------------------------------ */
/* timers */

static void exit_now(struct engine *e)
{
	conn_reset(e);
	act_push(e, ACT_DISCONNECT);
	e->st = EST_DONE;
	act_push(e, ACT_EXIT)->status = e->exit_status;
}

static void stop(struct engine *e)
{
	const struct mvpn_remote *r;
	int een;

	if (e->st == EST_DONE)
		return;
	if (e->st != EST_UP || e->st == EST_EXITING) {
		mlog(LOG_INFO, "SIGTERM received, exiting");
		exit_now(e);
		return;
	}
	r = cur_remote(e);
	een = r->explicit_exit_notify;
	if (e->cc_exit) {
		/* The reliable EXIT message; the server tears down at once. */
		send_control_message(e, "EXIT");
		e->st = EST_EXITING;
		e->t_exit = e->now + ms(een > 0 ? een : 1);
		mlog(LOG_INFO, "SIGTERM received, sending exit notification to peer");
		return;
	}
	if (een > 0 && r->proto == MVPN_TRANSPORT_UDP) {
		/* OCC_EXIT on the data channel (§11). */
		static const uint8_t occ_exit[17] = { 0x28, 0x7f, 0x34, 0x6b, 0xd4, 0xef, 0x7a, 0x81,
						      0x2d, 0x56, 0xb8, 0xd3, 0xaf, 0xc5, 0x45, 0x9c,
						      0x06 };

		for (int i = 0; i < een && i < 4; i++)
			act_send(e, ACT_DATA_SEND, occ_exit, sizeof(occ_exit));
		e->st = EST_EXITING;
		e->t_exit = e->now + 1000;
		mlog(LOG_INFO, "SIGTERM received, sending exit notification to peer");
		return;
	}
	mlog(LOG_INFO, "SIGTERM received, exiting");
	exit_now(e);
}

static void tick(struct engine *e)
{
	if (e->st == EST_RECONNECT_WAIT && e->t_reconnect && e->now >= e->t_reconnect) {
		e->t_reconnect = 0;
		connect_remote(e);
		return;
	}
	if (e->st == EST_EXITING && e->t_exit && e->now >= e->t_exit) {
		exit_now(e);
		return;
	}
	if ((e->st == EST_HANDSHAKE || e->st == EST_CONNECTING) && e->t_handshake &&
	    e->now >= e->t_handshake) {
		mlog(LOG_ERR, "TLS Error: TLS key negotiation failed to occur within %d seconds (check your network connectivity)",
		     hand_window_s(e));
		restart(e, "tls-error", true);
		return;
	}
	if (e->st == EST_HANDSHAKE && e->t_push && e->now >= e->t_push && !e->push_done) {
		send_control_message(e, "PUSH_REQUEST");
		e->t_push = e->now + PUSH_REQUEST_INTERVAL_MS;
	}
	if (e->st == EST_UP) {
		struct keystate *nx = &e->ks[KS_NEXT];

		if (e->t_reneg && e->now >= e->t_reneg && nx->st == KS_UNUSED) {
			e->t_reneg = 0;
			start_renegotiation(e, next_key_id(e->last_key_id), true);
		}
		if (nx->st != KS_UNUSED && nx->st != KS_GENERATED &&
		    e->now >= nx->started_ms + ms(hand_window_s(e))) {
			mlog(LOG_ERR, "TLS Error: renegotiation of key_id %u failed within hand-window; keeping the current key",
			     nx->key_id);
			ks_clear(nx);
			if (e->lcfg->reneg_sec > 0)
				e->t_reneg = e->now + ms(e->lcfg->reneg_sec);
		}
		/* before the lame duck check: at tran-window both fall due,
		 * and the swap must move the old key out of the primary slot
		 * before the secondary slot is deleted */
		if (e->t_swap && e->now >= e->t_swap)
			tx_swap(e, "deadline reached");
		if (e->ks[KS_LAME].st != KS_UNUSED && e->now >= e->ks[KS_LAME].lame_expire_ms) {
			mlog(LOG_VERBOSE, "lame duck key_id %u expired", e->ks[KS_LAME].key_id);
			ks_clear(&e->ks[KS_LAME]);
			act_push(e, ACT_KEY_DEL)->slot = MVPN_DP_SECONDARY;
		}
	}
	for (int i = 0; i < KS_N; i++)
		if (e->ks[i].st != KS_UNUSED)
			ks_flush(e, &e->ks[i]);
}

/* ------------------------------------------------------------------------ */

void engine_handle(struct engine *e, const struct engine_event *ev)
{
	e->now = ev->now_ms;
	e->wall = ev->wall;

	switch (ev->type) {
	case EV_START:
		if (e->st != EST_IDLE) {
			mlog(LOG_ERR, "engine: EV_START in state %s ignored", est_names[e->st]);
			break;
		}
		if (e->lcfg->remote_random && e->lcfg->n_remotes > 1) {
			/* remote-random: shuffle once at start (Fisher-Yates). */
			e->order = calloc(e->lcfg->n_remotes, sizeof(*e->order));
			for (size_t i = 0; e->order && i < e->lcfg->n_remotes; i++)
				e->order[i] = i;
			for (size_t i = e->lcfg->n_remotes - 1; e->order && i > 0; i--) {
				uint32_t r;
				size_t j, t;

				rnd(e, &r, sizeof(r));
				j = r % (i + 1);
				t = e->order[i];
				e->order[i] = e->order[j];
				e->order[j] = t;
			}
		}
		connect_remote(e);
		break;
	case EV_LINK_UP:
		if (e->st != EST_CONNECTING) {
			mlog(LOG_VERBOSE, "engine: link up in state %s ignored", est_names[e->st]);
			break;
		}
		e->remote_family = ev->ip_version == 6 ? 6 : 4;
		link_up(e);
		break;
	case EV_LINK_DOWN:
		if (e->st == EST_CONNECTING || e->st == EST_HANDSHAKE || e->st == EST_UP)
			restart(e, ev->reason ? ev->reason : "connection lost", e->st == EST_CONNECTING);
		else if (e->st == EST_EXITING)
			exit_now(e);
		break;
	case EV_LINK_PACKET:
		handle_packet(e, ev->data, ev->len);
		break;
	case EV_TICK:
		tick(e);
		break;
	case EV_STOP:
		stop(e);
		break;
	case EV_RESTART:
		if (e->st == EST_IDLE || e->st == EST_DONE || e->st == EST_EXITING)
			break;
		restart(e, ev->reason ? ev->reason : "signal", false);
		break;
	case EV_PEER_EXPIRED:
		if (e->st == EST_UP || e->st == EST_HANDSHAKE)
			restart(e, "ping-restart: nothing received from the server", false);
		break;
	case EV_KEY_LOW:
		/* the TX key's packet ids run out: a new key that waits for
		 * its turn sends now rather than after its deadline */
		if (e->st == EST_UP && e->t_swap)
			tx_swap(e, "the old key's packet ids are running out");
		else if (e->st == EST_UP && e->ks[KS_NEXT].st == KS_UNUSED) {
			mlog(LOG_INFO, "data channel packet ids running out: renegotiating now");
			start_renegotiation(e, next_key_id(e->last_key_id), true);
		}
		break;
	case EV_DATA_COUNTERS:
		if (e->st == EST_UP) {
			e->last_bytes = ev->bytes;
			e->last_pkts = ev->packets;
		}
		if (e->st == EST_UP && e->ks[KS_NEXT].st == KS_UNUSED &&
		    ((e->lcfg->reneg_bytes > 0 &&
		      ev->bytes - e->reneg_bytes_base >= (uint64_t)e->lcfg->reneg_bytes) ||
		     (e->lcfg->reneg_pkts > 0 &&
		      ev->packets - e->reneg_pkts_base >= (uint64_t)e->lcfg->reneg_pkts))) {
			e->reneg_bytes_base = ev->bytes;
			e->reneg_pkts_base = ev->packets;
			start_renegotiation(e, next_key_id(e->last_key_id), true);
		}
		break;
	case EV_DATA_EXIT:
		if (e->st == EST_UP)
			restart(e, "server sent an exit notification", false);
		break;
	}
}

uint64_t engine_next_timeout(const struct engine *e)
{
	uint64_t t = UINT64_MAX;
	const uint64_t timers[] = { e->t_push, e->t_handshake, e->t_reconnect, e->t_reneg, e->t_exit,
				    e->t_swap };

	/* Done for good: a reconnect or exit timer left from before is moot. */
	if (e->st == EST_DONE)
		return UINT64_MAX;
	for (size_t i = 0; i < sizeof(timers) / sizeof(timers[0]); i++)
		if (timers[i] && timers[i] < t)
			t = timers[i];
	for (int i = 0; i < KS_N; i++) {
		const struct keystate *ks = &e->ks[i];

		if (ks->st == KS_UNUSED)
			continue;
		if (i == KS_LAME && ks->lame_expire_ms < t)
			t = ks->lame_expire_ms;
		{
			uint64_t w = rel_next_wakeup(&ks->rel, e->now);

			if (w < t)
				t = w;
		}
		if (i == KS_NEXT) {
			uint64_t hw = ks->started_ms + ms(hand_window_s(e));

			if (hw < t)
				t = hw;
		}
	}
	return t;
}

const char *engine_state_name(const struct engine *e)
{
	return est_names[e->st];
}

bool engine_tunnel_up(const struct engine *e)
{
	return e->st == EST_UP;
}

bool engine_packet_accepted(const struct engine *e)
{
	return e->pkt_accepted;
}

/* ------------------------------------------------------------------------ */

static int load_wrap_keys(struct engine *e, char *err, size_t errlen)
{
	const struct mvpn_config *c = e->lcfg;
	const struct mvpn_blob *b = NULL;
	int r;

	switch (c->tls_wrap) {
	case MVPN_WRAP_NONE:
		return 0;
	case MVPN_WRAP_TLS_AUTH:
		b = &c->tls_auth;
		break;
	case MVPN_WRAP_TLS_CRYPT:
		b = &c->tls_crypt;
		break;
	case MVPN_WRAP_TLS_CRYPT_V2:
		r = wrap_parse_v2_client_key((const char *)c->tls_crypt_v2.data, c->tls_crypt_v2.len,
					     e->v2_kc, e->v2_wkc, &e->v2_wkc_len, err, errlen);
		return r < 0 ? -1 : 0;
	}
	r = wrap_parse_static_key((const char *)b->data, b->len, e->wrap_key, err, errlen);
	return r < 0 ? -1 : 0;
}

static int tls_setup(struct engine *e, char *err, size_t errlen)
{
	const struct mvpn_config *c = e->lcfg;
	struct tls_params tp = { 0 };

	tp.server = false;
	tp.ca = c->ca.data;
	tp.ca_len = c->ca.len;
	tp.cert = c->cert.data;
	tp.cert_len = c->cert.len;
	tp.key = c->key.data;
	tp.key_len = c->key.len;
	tp.extra_certs = c->extra_certs.data;
	tp.extra_certs_len = c->extra_certs.len;
	tp.pkcs12 = c->pkcs12.data;
	tp.pkcs12_len = c->pkcs12.len;
	tp.pkcs12_pass = c->askpass;
	tp.version_min = c->tls_version_min;
	tp.version_max = c->tls_version_max;
	tp.cipher_list = c->tls_cipher;
	tp.ciphersuites = c->tls_ciphersuites;
	tp.groups = c->tls_groups;
	tp.security_level = -1;
	if (c->tls_cert_profile) {
		if (!strcmp(c->tls_cert_profile, "preferred"))
			tp.security_level = 2;
		else if (!strcmp(c->tls_cert_profile, "suiteb"))
			tp.security_level = 3;
		else if (!strcmp(c->tls_cert_profile, "insecure"))
			tp.security_level = 0;
	}
	tp.remote_cert = c->remote_cert_tls == MVPN_REMOTE_CERT_SERVER   ? TLS_REMOTE_CERT_SERVER
			 : c->remote_cert_tls == MVPN_REMOTE_CERT_CLIENT ? TLS_REMOTE_CERT_CLIENT
									 : TLS_REMOTE_CERT_ANY;
	switch (c->verify_x509_type) {
	case MVPN_X509_NAME_NONE:
		tp.x509_type = TLS_X509_NONE;
		break;
	case MVPN_X509_NAME_SUBJECT:
		tp.x509_type = TLS_X509_SUBJECT;
		break;
	case MVPN_X509_NAME_CN:
		tp.x509_type = TLS_X509_NAME;
		break;
	case MVPN_X509_NAME_CN_PREFIX:
		tp.x509_type = TLS_X509_NAME_PREFIX;
		break;
	}
	tp.x509_name = c->verify_x509_name;
	tp.fingerprints = (const uint8_t(*)[32])c->peer_fingerprints;
	tp.n_fingerprints = c->n_peer_fingerprints;
	e->tls = tls_ctx_new(&tp, err, errlen);
	return e->tls ? 0 : -1;
}

struct engine *engine_new(const struct engine_params *p, char *err, size_t errlen)
{
	struct engine *e = calloc(1, sizeof(*e));

	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->drop_log.window_ms = 5000;
	e->drop_log.burst = 10;
	e->abuf = malloc(ACT_BUF);
	if (!e->abuf) {
		free(e);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->p = *p;
	e->lcfg = p->cfg;
	e->st = EST_IDLE;
	if (e->lcfg->tls_role != MVPN_TLS_CLIENT) {
		snprintf(err, errlen, "only TLS client mode is supported (use `client` or `tls-client`)");
		goto fail;
	}
	if (load_wrap_keys(e, err, errlen))
		goto fail;
	if (tls_setup(e, err, errlen))
		goto fail;
	return e;
fail:
	engine_free(e);
	return NULL;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	for (int i = 0; i < KS_N; i++)
		ks_clear(&e->ks[i]);
	wrap_free(&e->wrap);
	wrap_free(&e->dyn);
	config_free(e->cfg);
	tls_ctx_free(e->tls);
	free(e->order);
	if (e->abuf) {
		OPENSSL_cleanse(e->abuf, ACT_BUF);
		free(e->abuf);
	}
	OPENSSL_cleanse(e, sizeof(*e));
	free(e);
}
