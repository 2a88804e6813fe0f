// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: the client control-channel engine (engine.c) against an
 * in-memory OpenVPN 2.6-style server (engine_sim.h), on a simulated clock
 * and a simulated link.  Every case asserts on the actions the engine
 * emits; data keys are compared with what the server derived on its own
 * side (TLS-EKM from its TLS session, or the PRF from its view of the
 * key-method-2 randoms).
 *
 * The PKI is made at run time by scripts/lib/pki.sh (the tests run from the
 * repository root) in a temporary directory that is removed at the end
 * (testpki.h; MVPN_TEST_KEEP=1 keeps it).
 * The engine's log goes to a temporary file; a failing case shows its tail.
 * MVPN_TEST_VERB=N raises the log level (default 4).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "encoding.h"
#include "engine_sim.h"
#include "log.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct sim_pki pki;
static char tmpdir[] = "/tmp/mvpn-test-engine.XXXXXX";
static int log_fd = -1, saved_stderr = -1;
static off_t log_mark;

/* ------------------------------------------------------------------------ */
/* harness */

static void log_setup(void)
{
	char path[512];
	const char *v = getenv("MVPN_TEST_VERB");

	snprintf(path, sizeof(path), "%s/engine.log", tmpdir);
	log_fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (log_fd >= 0) {
		fflush(stderr);
		saved_stderr = dup(2);
		dup2(log_fd, 2);
	}
	log_verbosity = v ? atoi(v) : 4;
}

static void log_begin(void)
{
	fflush(stderr);
	log_mark = lseek(log_fd, 0, SEEK_END);
}

/* The log written since log_begin(), NUL-terminated (caller frees). */
static char *log_since(void)
{
	off_t end;
	char *b;

	fflush(stderr);
	end = lseek(log_fd, 0, SEEK_END);
	b = malloc((size_t)(end - log_mark) + 1);
	if (!b)
		return NULL;
	if (pread(log_fd, b, (size_t)(end - log_mark), log_mark) != end - log_mark) {
		free(b);
		return NULL;
	}
	b[end - log_mark] = '\0';
	return b;
}

static bool log_has(const char *needle)
{
	char *b = log_since();
	bool r = b && strstr(b, needle);

	free(b);
	return r;
}

static const char *act_name(enum engine_act_type t)
{
	static const char *const n[] = {
		[ACT_CONNECT] = "CONNECT",
		[ACT_DISCONNECT] = "DISCONNECT",
		[ACT_SEND] = "SEND",
		[ACT_KEY_INSTALL] = "KEY_INSTALL",
		[ACT_KEY_SWAP] = "KEY_SWAP",
		[ACT_KEY_DEL] = "KEY_DEL",
		[ACT_TUN_UP] = "TUN_UP",
		[ACT_TUN_DOWN] = "TUN_DOWN",
		[ACT_DATA_SEND] = "DATA_SEND",
		[ACT_EXIT] = "EXIT",
	};

	return t < ARRAY_SIZE(n) && n[t] ? n[t] : "?";
}

/* On failure: the non-SEND actions and the tail of the case's log. */
static void sim_done(struct sim *s)
{
	if (s) {
		CHECK(!s->spun, "the engine stopped making progress: %s", s->err);
		CHECK(!s->err[0], "simulation: %s", s->err);
	}
	/* the details of the first failures only: check.h keeps 8 KiB of notes */
	if (check_cur_failed && s && check_msgs_len + 2500 < sizeof(check_msgs)) {
		char *b = log_since();
		size_t n = 0;

		CHECK_NOTE("  # state %s, t=%" PRIu64 " ms, sim error '%s', server TLS '%s'\n",
			   engine_state_name(s->e), s->now, s->err, s->srv.tls_error);
		CHECK_NOTE(
		    "  # server: sessions %u, resets %u, stateless replies %u, auth failures %u, "
		    "dropped %u, last key_id %u, dyn %d; link c2s %" PRIu64 "/%" PRIu64
		    " lost, s2c %" PRIu64 "/%" PRIu64 " lost, junk %u\n",
		    s->srv.sessions, s->srv.n_client_resets, s->srv.n_stateless_replies,
		    s->srv.n_auth_fail, s->srv.n_dropped, s->srv.last_key_id, s->srv.dyn_ready,
		    s->c2s.dropped, s->c2s.sent, s->s2c.dropped, s->s2c.sent, s->n_junk);
		CHECK_NOTE("  # actions:");
		for (size_t i = 0; i < s->n_acts && n < 40; i++) {
			if (s->acts[i].type == ACT_SEND)
				continue;
			CHECK_NOTE(" %s@%" PRIu64, act_name(s->acts[i].type), s->acts[i].at);
			n++;
		}
		CHECK_NOTE("\n");
		if (b) {
			/* the last lines that fit, each as a "  # " comment line */
			size_t room = check_msgs_len < sizeof(check_msgs)
					  ? sizeof(check_msgs) - check_msgs_len
					  : 0;
			size_t l = strlen(b), want = room > 800 ? (room - 800) * 3 / 4 : 0;
			const char *p = l > want ? b + l - want : b;

			if (p != b && (p = strchr(p, '\n')) != NULL)
				p++;
			CHECK_NOTE("  # log tail:\n");
			while (p && *p) {
				const char *nl = strchr(p, '\n');
				int ln = nl ? (int)(nl - p) : (int)strlen(p);

				/* without the "YYYY-MM-DD HH:MM:SS " stamp */
				if (ln > 20 && p[4] == '-' && p[19] == ' ')
					CHECK_NOTE("  #   %.*s\n", ln - 20, p + 20);
				else
					CHECK_NOTE("  #   %.*s\n", ln, p);
				p = nl ? nl + 1 : NULL;
			}
			free(b);
		}
	}
	sim_free(s);
}

static struct sim *start(const struct sim_opts *o)
{
	char err[512];
	struct sim *s;

	log_begin();
	s = sim_new(&pki, o, err, sizeof(err));
	CHECK(s != NULL, "sim_new: %s", err);
	if (s)
		sim_event(s, EV_START);
	return s;
}

/* First byte of a sent packet: opcode and key_id. */
static uint8_t op_of(const struct sim_act *a)
{
	return a->len ? a->data[0] >> CTL_OP_SHIFT : 0;
}

static uint8_t kid_of(const struct sim_act *a)
{
	return a->len ? a->data[0] & CTL_KEY_ID_MASK : 0xff;
}

static size_t count_sent_op(const struct sim *s, uint8_t opcode, size_t from)
{
	size_t n = 0;

	for (size_t i = from; i < s->n_acts; i++)
		n += s->acts[i].type == ACT_SEND && op_of(&s->acts[i]) == opcode;
	return n;
}

/*
 * Every KEY_INSTALL equals the server's derivation of the same generation.
 * Generations are matched in order by key_id; a server generation the
 * client never installed (a renegotiation that timed out on the client
 * just after the server finished) is skipped.  Returns the number compared.
 */
static size_t check_installs(const struct sim *s, size_t hist_from)
{
	size_t h = hist_from, n = 0;

	for (size_t i = 0; i < s->n_acts; i++) {
		const struct sim_act *a = &s->acts[i];
		size_t j = h;

		if (a->type != ACT_KEY_INSTALL)
			continue;
		while (j < s->srv.n_hist && s->srv.hist[j].key_id != a->key.key_id)
			j++;
		CHECK(j < s->srv.n_hist, "install #%zu (key_id %u) has no server derivation", n,
		      a->key.key_id);
		if (j < s->srv.n_hist)
			CHECK(sim_key_matches(&a->key, &s->srv.hist[j]),
			      "install #%zu: key_id %u cipher %d differs from the server's key_id "
			      "%u cipher %d (%s)",
			      n, a->key.key_id, a->key.cipher, s->srv.hist[j].key_id,
			      s->srv.hist[j].cipher, s->srv.hist[j].ekm ? "EKM" : "PRF");
		h = j + 1;
		n++;
	}
	return n;
}

static size_t n_installs(const struct sim *s)
{
	return sim_count(s, ACT_KEY_INSTALL, 0);
}

static size_t want_installs;
static bool cond_installs(const struct sim *s)
{
	return n_installs(s) >= want_installs && s->srv.n_hist >= want_installs;
}

static bool cond_installs_swapped(const struct sim *s)
{
	return cond_installs(s) && sim_count(s, ACT_KEY_SWAP, 0) + 1 >= want_installs;
}

static size_t want_connects;
static bool cond_connects(const struct sim *s)
{
	return sim_count(s, ACT_CONNECT, 0) >= want_connects;
}

static bool cond_srv_exit_msg(const struct sim *s)
{
	return s->srv.n_exit > 0;
}

/*
 * Renegotiate once more (server- or client-initiated) and wait for it: the
 * new key installed within ms, and sending at the latest hand-window (60 s
 * by default) after the soft reset.
 */
static bool reneg(struct sim *s, bool by_server, uint64_t ms)
{
	want_installs = n_installs(s) + 1;
	if (by_server)
		CHECK(srv_soft_reset(s), "server soft reset");
	else
		sim_event(s, EV_KEY_LOW);
	return sim_run(s, ms, cond_installs) && sim_run(s, 61000, cond_installs_swapped);
}

/*
 * On a bad link a renegotiation may fail within hand-window (the engine
 * keeps the current key); try again as the next reneg-sec would.
 */
static bool reneg_retry(struct sim *s, bool by_server)
{
	for (int i = 0; i < 4; i++)
		if (reneg(s, by_server, 90000))
			return true;
	return false;
}

/* ------------------------------------------------------------------------ */
/* full handshake per wrapper and key derivation */

struct hs_case {
	const char *name;
	enum mvpn_tls_wrap wrap;
	const char *client_extra;
	bool force_prf;
	struct srv_opts srv;
	bool want_ekm;
	enum mvpn_dp_cipher want_cipher;
};

static const struct hs_case hs_cases[] = {
	{ "none, EKM", MVPN_WRAP_NONE, NULL, false, { .peer_id = 5 }, true, MVPN_DP_AES_256_GCM },
	{ "tls-auth SHA1, EKM", MVPN_WRAP_TLS_AUTH, NULL, false, { .peer_id = 1 }, true,
	  MVPN_DP_AES_256_GCM },
	{ "tls-auth SHA256, AES-128-GCM", MVPN_WRAP_TLS_AUTH, "auth SHA256", false,
	  { .peer_id = 2, .tls_auth_digest = "SHA256", .cipher = "AES-128-GCM" }, true,
	  MVPN_DP_AES_128_GCM },
	{ "tls-crypt, EKM", MVPN_WRAP_TLS_CRYPT, NULL, false, { .peer_id = 3 }, true,
	  MVPN_DP_AES_256_GCM },
	{ "tls-crypt-v2, EKM", MVPN_WRAP_TLS_CRYPT_V2, NULL, false, { .peer_id = 4 }, true,
	  MVPN_DP_AES_256_GCM },
	{ "none, PRF (server pushes no tls-ekm)", MVPN_WRAP_NONE, NULL, false,
	  { .peer_id = 6, .no_ekm = true, .cipher = "CHACHA20-POLY1305" }, false,
	  MVPN_DP_CHACHA20_POLY1305 },
	{ "tls-auth, PRF (--force-prf)", MVPN_WRAP_TLS_AUTH, NULL, true, { .peer_id = 7 }, false,
	  MVPN_DP_AES_256_GCM },
	{ "tls-crypt, PRF (--force-prf)", MVPN_WRAP_TLS_CRYPT, NULL, true, { .peer_id = 8 }, false,
	  MVPN_DP_AES_256_GCM },
	{ "tls-crypt-v2, PRF", MVPN_WRAP_TLS_CRYPT_V2, NULL, false,
	  { .peer_id = 9, .no_ekm = true, .cipher = "AES-128-GCM" }, false, MVPN_DP_AES_128_GCM },
	{ "tls-crypt, server pushes before PUSH_REQUEST", MVPN_WRAP_TLS_CRYPT, NULL, false,
	  { .peer_id = 10, .push_early = true }, true, MVPN_DP_AES_256_GCM },
};

static void handshake_case(const struct hs_case *c)
{
	struct sim_opts o = { .wrap = c->wrap, .client_extra = c->client_extra,
			      .force_prf = c->force_prf, .srv = c->srv, .seed = 1,
			      .net = { .latency_ms = 10 } };
	struct sim *s = start(&o);
	long i_conn, i_send, i_tun, i_key;
	struct km2_str v;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "%s: no tunnel within 30 s", c->name);
	i_conn = sim_find(s, ACT_CONNECT, 0);
	i_send = sim_find(s, ACT_SEND, 0);
	i_tun = sim_find(s, ACT_TUN_UP, 0);
	i_key = sim_find(s, ACT_KEY_INSTALL, 0);
	CHECK(i_conn == 0 && s->acts[0].remote_idx == 0,
	      "%s: first action is not CONNECT(remote 0)", c->name);
	CHECK(i_send > 0, "%s: nothing sent", c->name);
	if (i_send > 0) {
		uint8_t want = c->wrap == MVPN_WRAP_TLS_CRYPT_V2 ? CTL_OP_HARD_RESET_CLIENT_V3
								 : CTL_OP_HARD_RESET_CLIENT_V2;

		CHECK(op_of(&s->acts[i_send]) == want && kid_of(&s->acts[i_send]) == 0,
		      "%s: first packet opcode %u key_id %u, want %u/0", c->name,
		      op_of(&s->acts[i_send]), kid_of(&s->acts[i_send]), want);
	}
	if (c->wrap == MVPN_WRAP_TLS_CRYPT_V2) {
		/* §3.7 d-f: marker id, TLV answered, the session created by WKC_V1 msg-id 1 */
		CHECK(s->srv.first_replay_id == CTL_EARLY_NEG_START + 1,
		      "first replay-id 0x%08x, want 0x0F000001", s->srv.first_replay_id);
		CHECK(s->srv.sent_tlv, "server did not send the early-negotiation TLV");
		CHECK(s->srv.session_opcode == CTL_OP_CONTROL_WKC_V1 && s->srv.session_msg_id == 1,
		      "session created by opcode %u msg-id %u, want P_CONTROL_WKC_V1 msg-id 1",
		      s->srv.session_opcode, s->srv.session_msg_id);
		CHECK(count_sent_op(s, CTL_OP_CONTROL_WKC_V1, 0) >= 1, "no P_CONTROL_WKC_V1 sent");
	} else {
		CHECK(s->srv.session_opcode == CTL_OP_CONTROL_V1 && s->srv.session_msg_id == 1,
		      "%s: session created by opcode %u msg-id %u, want P_CONTROL_V1 msg-id 1",
		      c->name, s->srv.session_opcode, s->srv.session_msg_id);
		CHECK(count_sent_op(s, CTL_OP_CONTROL_WKC_V1, 0) == 0, "%s: WKC_V1 without v2",
		      c->name);
	}
	CHECK(s->srv.sessions == 1 && s->srv.n_stateless_replies == 1,
	      "%s: %u sessions, %u stateless replies on a clean link", c->name, s->srv.sessions,
	      s->srv.n_stateless_replies);
	CHECK(sim_count(s, ACT_TUN_UP, 0) == 1 && sim_count(s, ACT_KEY_INSTALL, 0) == 1,
	      "%s: %zu TUN_UP, %zu KEY_INSTALL", c->name, sim_count(s, ACT_TUN_UP, 0),
	      sim_count(s, ACT_KEY_INSTALL, 0));
	CHECK(i_tun >= 0 && i_key > i_tun, "%s: TUN_UP (%ld) must come before KEY_INSTALL (%ld)",
	      c->name, i_tun, i_key);
	if (i_tun >= 0) {
		const struct sim_act *t = &s->acts[i_tun];

		CHECK(t->peer_id == c->srv.peer_id, "%s: peer-id %d, pushed %d", c->name,
		      t->peer_id, c->srv.peer_id);
		CHECK(t->n_routes == 2 && t->has_ifconfig &&
			      t->ifconfig_local.s_addr == htonl(0x0a080002),
		      "%s: pushed routes/ifconfig not in the TUN_UP config", c->name);
		CHECK(t->ekm == c->want_ekm, "%s: tls-ekm %d, want %d", c->name, t->ekm,
		      c->want_ekm);
	}
	if (i_key >= 0) {
		const struct sim_act *k = &s->acts[i_key];

		CHECK(k->slot == MVPN_DP_PRIMARY && k->key.key_id == 0 &&
			  k->key.cipher == c->want_cipher,
		      "%s: install slot %d key_id %u cipher %d", c->name, k->slot, k->key.key_id,
		      k->key.cipher);
	}
	CHECK(s->srv.n_hist == 1 && s->srv.hist[0].ekm == c->want_ekm,
	      "%s: server derived %u keys (ekm %d)", c->name, s->srv.n_hist,
	      s->srv.n_hist ? s->srv.hist[0].ekm : -1);
	check_installs(s, 0);
	CHECK(s->dp_has[0] && !s->dp_has[1], "%s: data plane slots %d/%d", c->name, s->dp_has[0],
	      s->dp_has[1]);
	CHECK(!strcmp(engine_state_name(s->e), "up"), "%s: state %s", c->name,
	      engine_state_name(s->e));
	CHECK(c->srv.push_early || s->srv.n_push_requests >= 1, "%s: no PUSH_REQUEST", c->name);
	/* control packets fit OpenVPN's default tls-mtu 1250 over IPv4/UDP (§4) */
	for (size_t i = 0; i < s->n_acts; i++)
		CHECK(s->acts[i].type != ACT_SEND || s->acts[i].len <= 1250 - 28,
		      "%s: a %zu-byte control packet", c->name, s->acts[i].len);
	/* what the client offered in key-method 2 (§6.1) */
	CHECK(km2_peer_info_get(s->srv.ks[0].c_peer_info, strlen(s->srv.ks[0].c_peer_info),
				"IV_CIPHERS", &v),
	      "%s: no IV_CIPHERS", c->name);
	CHECK((srv_client_proto(&s->srv.ks[0]) & KM2_IV_PROTO_TLS_KEY_EXPORT) ==
		  (c->force_prf ? 0 : KM2_IV_PROTO_TLS_KEY_EXPORT),
	      "%s: IV_PROTO %u", c->name, srv_client_proto(&s->srv.ks[0]));
	CHECK(!s->err[0] && !s->srv.tls_error[0], "%s: %s %s", c->name, s->err, s->srv.tls_error);
	sim_done(s);
}

static void handshake_matrix(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(hs_cases); i++)
		handshake_case(&hs_cases[i]);
}

/*
 * tls-crypt-v2 with the largest WKc (1024 bytes, 734 bytes of metadata):
 * the WKc rides on the reset and on P_CONTROL_WKC_V1, whose TLS bytes
 * shrink to make room (§3.7 f, §4).
 */
static void v2_largest_wkc(void)
{
	uint8_t srv[WRAP_V2_SERVER_KEY_LEN], body[WRAP_V2_KC_LEN + WRAP_V2_WKC_MAX],
		meta[WRAP_V2_META_MAX];
	char why[256], b64[2 * sizeof(body)], *text;
	struct sim_pki k = pki;
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT_V2, .seed = 26, .style = SIM_CFG_INLINE,
			      .net = { .latency_ms = 10 }, .srv = { .peer_id = 1 } };
	struct sim_rng r;
	struct sim *s;
	size_t n = 0, max_len = 0;
	long w;

	CHECK(wrap_parse_v2_server_key(pki.v2_server, strlen(pki.v2_server), srv, why,
				       sizeof(why)) == 0,
	      "%s", why);
	sim_rng_seed(&r, 26);
	sim_rng_bytes(&r, body, WRAP_V2_KC_LEN);
	meta[0] = WRAP_V2_META_USER;
	memset(meta + 1, 'm', sizeof(meta) - 1);
	w = wrap_v2_wrap_wkc(srv, body, meta, sizeof(meta), body + WRAP_V2_KC_LEN, WRAP_V2_WKC_MAX);
	CHECK(w == WRAP_V2_WKC_MAX, "WKc of %ld bytes", w);
	if (w != WRAP_V2_WKC_MAX)
		return;
	CHECK(b64_encode(body, sizeof(body), b64, sizeof(b64)) > 0, "base64");
	text = malloc(sizeof(b64) + 256);
	if (!text)
		return;
	n = (size_t)sprintf(text, "-----BEGIN OpenVPN tls-crypt-v2 client key-----\n");
	for (size_t i = 0; i < strlen(b64); i += 64)
		n += (size_t)sprintf(text + n, "%.64s\n", b64 + i);
	sprintf(text + n, "-----END OpenVPN tls-crypt-v2 client key-----\n");
	k.v2_client = text;
	log_begin();
	s = sim_new(&k, &o, why, sizeof(why));
	free(text);
	CHECK(s != NULL, "sim_new: %s", why);
	if (!s)
		return;
	sim_event(s, EV_START);
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	CHECK(s->srv.session_opcode == CTL_OP_CONTROL_WKC_V1, "session from opcode %u",
	      s->srv.session_opcode);
	for (size_t i = 0; i < s->n_acts; i++)
		if (s->acts[i].type == ACT_SEND && s->acts[i].len > max_len)
			max_len = s->acts[i].len;
	/* the WKc counts against OpenVPN's tls-mtu 1250 like everything else */
	CHECK(max_len <= 1250 - 28, "largest packet %zu bytes, tls-mtu 1250 allows 1222", max_len);
	check_installs(s, 0);
	sim_done(s);
}

/*
 * Certificate flights larger than the send window (6 packets): both ends
 * send ~10 KiB of extra certificates, so TLS output waits for ACKs to free
 * the window (§4), on a clean and on a lossy link.
 */
static void big_certificate_chains(void)
{
	static const char *const parts[] = { "ca.crt", "other-ca.crt", "server.crt", "noeku.crt" };
	char path[512], extra[600];
	size_t len = 0, cap = 65536;
	char *chain = malloc(cap);

	if (!chain)
		return;
	chain[0] = '\0';
	for (int r = 0; r < 5; r++)
		for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
			char *c;

			snprintf(path, sizeof(path), "%s/%s", pki.dir, parts[i]);
			c = slurp(path, NULL);
			if (c && len + strlen(c) < cap) {
				strcpy(chain + len, c);
				len += strlen(c);
			}
			free(c);
		}
	snprintf(path, sizeof(path), "%s/extra.pem", pki.dir);
	{
		FILE *f = fopen(path, "w");

		CHECK(f && fputs(chain, f) >= 0, "cannot write %s", path);
		if (f)
			fclose(f);
	}
	snprintf(extra, sizeof(extra), "extra-certs %s", path);
	CHECK(len > 6 * 1100, "only %zu bytes of certificates", len);
	for (int lossy = 0; lossy <= 1; lossy++) {
		struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 29 + (uint64_t)lossy,
				      .client_extra = extra,
				      .net = { .latency_ms = 10, .loss = lossy ? 0.2 : 0,
					       .jitter_ms = lossy ? 100 : 0 },
				      .srv = { .peer_id = 1, .extra_certs = chain } };
		struct sim *s = start(&o);
		size_t big = 0;

		if (!s)
			break;
		CHECK(sim_run(s, 300000, sim_up_both), "lossy %d: no tunnel", lossy);
		for (size_t i = 0; i < s->n_acts; i++)
			big += s->acts[i].type == ACT_SEND &&
			       op_of(&s->acts[i]) == CTL_OP_CONTROL_V1 && s->acts[i].len > 1000;
		CHECK(big >= 6, "lossy %d: the client's flight took only %zu full packets", lossy,
		      big);
		CHECK(reneg(s, true, 120000), "lossy %d: renegotiation", lossy);
		check_installs(s, 0);
		sim_done(s);
	}
	free(chain);
}

/* ------------------------------------------------------------------------ */
/* loss, duplication, reordering, junk */

static void lossy_link(void)
{
	static const struct {
		double loss, dup, noise;
		uint32_t jitter;
	} links[] = {
		{ 0.25, 0.0, 0.0, 0 },		/* loss only */
		{ 0.0, 0.3, 0.0, 0 },		/* duplicates only */
		{ 0.0, 0.0, 0.0, 400 },		/* reordering only */
		{ 0.2, 0.15, 0.0, 300 },	/* all three */
		{ 0.15, 0.1, 0.3, 200 },	/* and junk between the real packets */
	};
	static const enum mvpn_tls_wrap wraps[] = { MVPN_WRAP_NONE, MVPN_WRAP_TLS_AUTH,
						    MVPN_WRAP_TLS_CRYPT, MVPN_WRAP_TLS_CRYPT_V2 };
	uint64_t lost = 0, dups = 0, junk = 0;

	for (size_t w = 0; w < ARRAY_SIZE(wraps); w++) {
		for (size_t l = 0; l < ARRAY_SIZE(links); l++) {
			for (uint64_t seed = 1; seed <= 2; seed++) {
				struct sim_opts o = {
				    .wrap = wraps[w],
				    .seed = seed * 100 + l,
				    .capture = true,
				    .net = {.latency_ms = 20,
					    .loss = links[l].loss,
					    .dup = links[l].dup,
					    .jitter_ms = links[l].jitter,
					    .noise = links[l].noise},
				};
				struct sim *s = start(&o);

				if (!s)
					return;
				CHECK(sim_run(s, 600000, sim_up_both),
				      "%s link %zu seed %" PRIu64 ": not up after 600 s",
				      sim_wrap_name(wraps[w]), l, seed);
				CHECK(reneg_retry(s, true),
				      "%s link %zu seed %" PRIu64 ": server reneg",
				      sim_wrap_name(wraps[w]), l, seed);
				CHECK(reneg_retry(s, false),
				      "%s link %zu seed %" PRIu64 ": client reneg",
				      sim_wrap_name(wraps[w]), l, seed);
				check_installs(s, 0);
				CHECK(sim_is_up(s) && s->dp_has[0] && s->srv.n_hist &&
					  s->dp[0].key_id == s->srv.hist[s->srv.n_hist - 1].key_id,
				      "%s link %zu seed %" PRIu64 ": primary key_id %u",
				      sim_wrap_name(wraps[w]), l, seed, s->dp[0].key_id);
				lost += s->c2s.dropped + s->s2c.dropped;
				dups += s->c2s.duplicated + s->s2c.duplicated;
				junk += s->n_junk;
				if (check_cur_failed) {
					sim_done(s);
					return;
				}
				sim_done(s);
			}
		}
	}
	/* the link really was bad */
	CHECK(lost > 100 && dups > 100 && junk > 20,
	      "lost %" PRIu64 " dup %" PRIu64 " junk %" PRIu64, lost, dups, junk);
}

/* ------------------------------------------------------------------------ */
/* pushes and server messages */

static void push_continuation(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 3, .net = { .latency_ms = 10 },
			      .srv = { .peer_id = 12, .push_parts = 3, .push_gap_ms = 1000 } };
	struct sim *s = start(&o);
	long t;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	t = sim_find(s, ACT_TUN_UP, 0);
	CHECK(s->srv.n_push_parts == 3 && strstr(s->srv.push_part[0], "push-continuation 2") &&
		      strstr(s->srv.push_part[2], "push-continuation 1"),
	      "server did not split the push");
	CHECK(t >= 0 && s->acts[t].at >= s->srv.push_sent_at[2],
	      "TUN_UP at %" PRIu64 " ms, before the last part was sent at %" PRIu64 " ms",
	      t >= 0 ? s->acts[t].at : 0, s->srv.push_sent_at[2]);
	CHECK(sim_count(s, ACT_TUN_UP, 0) == 1, "TUN_UP %zu times", sim_count(s, ACT_TUN_UP, 0));
	if (t >= 0)
		CHECK(s->acts[t].n_routes == 2 && s->acts[t].has_ifconfig &&
			  s->acts[t].peer_id == 12,
		      "options of every part applied: routes %zu ifconfig %d peer-id %d",
		      s->acts[t].n_routes, s->acts[t].has_ifconfig, s->acts[t].peer_id);
	check_installs(s, 0);
	sim_done(s);
}

struct refuse_case {
	const char *name;
	const char *reply;
	const char *client_extra;
	const char *push_cipher;
	const char *log;	/* must appear in the log */
};

static const struct refuse_case refuse_cases[] = {
	{ "AUTH_FAILED", "AUTH_FAILED", NULL, NULL, "AUTH_FAILED" },
	{ "AUTH_FAILED with a reason", "AUTH_FAILED,user is locked", NULL, NULL, "user is locked" },
	{ "HALT", "HALT,maintenance", NULL, NULL, "HALT" },
	{ "pushed cipher not in data-ciphers", NULL, "data-ciphers AES-256-GCM:CHACHA20-POLY1305",
	  "AES-128-GCM", "the server pushed AES-128-GCM, which is not in data-ciphers" },
};

/* The connection ends for good: EXIT(1), no tunnel, no key, a clear log. */
static void refusals(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(refuse_cases); i++) {
		const struct refuse_case *c = &refuse_cases[i];
		struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 4 + i,
				      .client_extra = c->client_extra, .net = { .latency_ms = 10 },
				      .srv = { .reply = c->reply, .cipher = c->push_cipher } };
		struct sim *s = start(&o);

		if (!s)
			return;
		CHECK(sim_run(s, 30000, sim_exited), "%s: no EXIT", c->name);
		CHECK(s->exit_status == 1, "%s: exit status %d", c->name, s->exit_status);
		CHECK(sim_count(s, ACT_TUN_UP, 0) == 0 && sim_count(s, ACT_KEY_INSTALL, 0) == 0,
		      "%s: tunnel or key despite the refusal", c->name);
		CHECK(sim_find(s, ACT_DISCONNECT, 0) >= 0 &&
			      sim_find(s, ACT_DISCONNECT, 0) < sim_find(s, ACT_EXIT, 0),
		      "%s: no DISCONNECT before EXIT", c->name);
		CHECK(sim_count(s, ACT_CONNECT, 0) == 1, "%s: reconnected", c->name);
		CHECK(!strcmp(engine_state_name(s->e), "done"), "%s: state %s", c->name,
		      engine_state_name(s->e));
		CHECK(log_has(c->log), "%s: log lacks '%s'", c->name, c->log);
		/* nothing more happens afterwards */
		{
			size_t n = s->n_acts;

			s->exited = false;
			sim_run(s, 120000, NULL);
			CHECK(s->n_acts == n, "%s: %zu actions after EXIT", c->name, s->n_acts - n);
		}
		sim_done(s);
	}
}

/* AUTH_FAILED,TEMP: reconnect to the same remote, and the next try works. */
static void auth_failed_temp(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_AUTH, .seed = 9, .net = { .latency_ms = 10 },
			      .srv = { .reply = "AUTH_FAILED,TEMP[backoff 5]:try again later",
				       .reply_sessions = 1, .peer_id = 1 } };
	struct sim *s = start(&o);
	long d, c2;

	if (!s)
		return;
	CHECK(sim_run(s, 60000, sim_up_both), "no tunnel after the temporary failure");
	d = sim_find(s, ACT_DISCONNECT, 0);
	c2 = sim_find(s, ACT_CONNECT, 1);
	CHECK(d > 0 && c2 > d && s->acts[c2].remote_idx == 0,
	      "want DISCONNECT then CONNECT(remote 0), got %ld/%ld", d, c2);
	CHECK(c2 > 0 && s->acts[c2].at >= s->acts[d].at + 1000,
	      "reconnected without connect-retry wait");
	CHECK(!s->exited && s->srv.sessions == 2, "exited %d, sessions %u", s->exited,
	      s->srv.sessions);
	CHECK(sim_count(s, ACT_TUN_UP, 0) == 1, "TUN_UP %zu", sim_count(s, ACT_TUN_UP, 0));
	CHECK(log_has("AUTH_FAILED,TEMP"), "no AUTH_FAILED,TEMP in the log");
	check_installs(s, 0);
	sim_done(s);
}

/* RESTART from the server once up: tear down, reconnect (next remote with [N]). */
static void server_restart(void)
{
	static const struct {
		const char *msg;
		long remote;
	} cases[] = {
		{ "RESTART,server going down", 0 },
		{ "RESTART,[N]use the other one", 1 },
		{ "EXIT", 0 },	/* the server's exit notification (cc-exit, §11) */
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT_V2, .seed = 10 + i,
				      .net = { .latency_ms = 10 }, .srv = { .peer_id = 3 } };
		struct sim *s = start(&o);
		uint8_t old_csid[CTL_SID_LEN];
		size_t mark;
		long d, c;

		if (!s)
			return;
		CHECK(sim_run(s, 30000, sim_up_both), "%s: no tunnel", cases[i].msg);
		memcpy(old_csid, s->srv.csid, CTL_SID_LEN);
		mark = s->n_acts;
		srv_send_msg(s, cases[i].msg);
		want_installs = 2;
		CHECK(sim_run(s, 60000, cond_installs), "%s: not up again", cases[i].msg);
		d = sim_find(s, ACT_DISCONNECT, mark);
		c = sim_find(s, ACT_CONNECT, mark);
		CHECK(d >= 0 && c > d, "%s: no DISCONNECT/CONNECT", cases[i].msg);
		CHECK(c < 0 || s->acts[c].remote_idx == cases[i].remote,
		      "%s: reconnected to remote %ld", cases[i].msg,
		      c < 0 ? -2 : s->acts[c].remote_idx);
		CHECK(sim_count(s, ACT_KEY_DEL, mark) == 2 && sim_count(s, ACT_TUN_DOWN, mark) == 1,
		      "%s: %zu KEY_DEL %zu TUN_DOWN", cases[i].msg, sim_count(s, ACT_KEY_DEL, mark),
		      sim_count(s, ACT_TUN_DOWN, mark));
		CHECK(sim_find(s, ACT_TUN_DOWN, mark) < d, "%s: tunnel down after disconnect",
		      cases[i].msg);
		CHECK(memcmp(old_csid, s->srv.csid, CTL_SID_LEN) != 0, "%s: same client sid",
		      cases[i].msg);
		CHECK(sim_count(s, ACT_TUN_UP, mark) == 1 && s->dp_has[0] && s->dp[0].key_id == 0,
		      "%s: new tunnel/key", cases[i].msg);
		CHECK(!s->exited, "%s: exited", cases[i].msg);
		check_installs(s, 0);
		sim_done(s);
	}
}

/* No peer-id pushed: TUN_UP says -1 (P_DATA_V1). */
static void no_peer_id(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 12, .net = { .latency_ms = 10 },
			      .srv = { .peer_id = -1 } };
	struct sim *s = start(&o);
	long t;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	t = sim_find(s, ACT_TUN_UP, 0);
	CHECK(t >= 0 && s->acts[t].peer_id == -1, "peer_id %d, want -1",
	      t >= 0 ? s->acts[t].peer_id : 0);
	CHECK(!strstr(s->srv.push_part[0], "peer-id"), "server pushed a peer-id");
	check_installs(s, 0);
	sim_done(s);
}

/* No cipher pushed: data-ciphers-fallback, else `cipher`, else refuse (§10.2). */
static void cipher_not_pushed(void)
{
	static const struct {
		const char *extra;
		enum mvpn_dp_cipher want;	/* NONE: refused */
	} cases[] = {
		{ "data-ciphers-fallback AES-128-GCM", MVPN_DP_AES_128_GCM },
		{ "cipher AES-128-GCM", MVPN_DP_AES_128_GCM },
		{ NULL, MVPN_DP_CIPHER_NONE },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sim_opts o = { .wrap = MVPN_WRAP_TLS_AUTH, .seed = 13 + i,
				      .client_extra = cases[i].extra, .net = { .latency_ms = 10 },
				      .srv = { .peer_id = 1, .no_cipher = true,
					       .cipher = "AES-128-GCM" } };
		struct sim *s = start(&o);
		const char *what = cases[i].extra ? cases[i].extra : "nothing configured";

		if (!s)
			return;
		if (cases[i].want != MVPN_DP_CIPHER_NONE) {
			CHECK(sim_run(s, 30000, sim_up_both), "%s: no tunnel", what);
			CHECK(s->dp_has[0] && s->dp[0].cipher == cases[i].want, "%s: cipher %d",
			      what, s->dp[0].cipher);
			check_installs(s, 0);
		} else {
			CHECK(sim_run(s, 30000, sim_exited) && s->exit_status == 1,
			      "%s: no EXIT(1)", what);
			CHECK(sim_count(s, ACT_KEY_INSTALL, 0) == 0, "%s: a key was installed",
			      what);
			CHECK(log_has("no cipher was pushed and none is configured"),
			      "%s: no clear cipher error", what);
		}
		sim_done(s);
	}
}

/* --force-prf against a server that insists on TLS-EKM: refused, clearly. */
static void force_prf_vs_ekm(void)
{
	struct sim_opts o = {.wrap = MVPN_WRAP_TLS_CRYPT,
			     .seed = 16,
			     .force_prf = true,
			     .net = {.latency_ms = 10},
			     .srv = {.peer_id = 1, .force_ekm = true}};
	struct sim *s = start(&o);

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_exited) && s->exit_status == 1, "no EXIT(1)");
	CHECK(sim_count(s, ACT_KEY_INSTALL, 0) == 0 && sim_count(s, ACT_TUN_UP, 0) == 0,
	      "tunnel or key despite the conflict");
	CHECK(log_has("server insists on TLS-EKM but --force-prf is set"), "no clear error");
	sim_done(s);
}

/* Control messages that are unknown, unexpected or malformed change nothing. */
static void odd_control_messages(void)
{
	static const struct {
		const char *msg;
		size_t len;	/* 0: strlen + 1 (with its NUL) */
	} msgs[] = {
		{ "INFO,hello there", 0 },
		{ "INFO_PRE,WEB_AUTH::https://example.invalid/x", 0 },
		{ "PUSH_REQUEST", 0 },
		{ "CR_RESPONSE,aGVsbG8=", 0 },
		{ "SOMETHING_NEW,with,args", 0 },
		{ "PUSH_REPLY,route 10.99.0.0 255.255.0.0", 0 },	/* a repeated push */
		{ "no terminating NUL", 18 },
		{ "bad\x01" "byte", 0 },
		{ "", 0 },
	};
	struct sim_opts o = {.wrap = MVPN_WRAP_TLS_CRYPT_V2,
			     .seed = 17,
			     .net = {.latency_ms = 10},
			     .srv = {.peer_id = 1}};
	struct sim *s = start(&o);
	uint64_t tmo;
	size_t mark;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	sim_run(s, 1000, NULL);
	mark = s->n_acts;
	tmo = engine_next_timeout(s->e);
	for (size_t i = 0; i < ARRAY_SIZE(msgs); i++) {
		struct srv_ks *ks = &s->srv.ks[0];
		size_t len = msgs[i].len ? msgs[i].len : strlen(msgs[i].msg) + 1;

		CHECK(tls_conn_write(ks->tls, (const uint8_t *)msgs[i].msg, len) == 0, "write");
		srv_pump(s, ks);
		sim_run(s, 500, NULL);
	}
	CHECK(sim_is_up(s), "state %s", engine_state_name(s->e));
	CHECK(sim_count(s, ACT_SEND, mark) == s->n_acts - mark, "actions other than ACKs");
	CHECK(engine_next_timeout(s->e) == tmo, "timers changed");
	CHECK(log_has("INFO: INFO,hello there") && log_has("unexpected message 'SOMETHING_NEW"),
	      "messages not logged");
	CHECK(log_has("ignoring a repeated PUSH_REPLY"), "repeated PUSH_REPLY not reported");
	CHECK(reneg(s, true, 30000), "renegotiation afterwards");
	check_installs(s, 0);
	sim_done(s);
}

/* connect-retry: 1 s between tries of one entry, doubled after 5 (options.c). */
static void connect_retry_backoff(void)
{
	static const uint64_t want[] = { 1000, 1000, 1000, 1000, 1000, 2000, 4000, 8000 };
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 18, .net = { .latency_ms = 10 },
			      .srv = { .reply = "AUTH_FAILED,TEMP:not yet", .peer_id = 1 } };
	struct sim *s = start(&o);
	size_t n = 0;

	if (!s)
		return;
	want_connects = ARRAY_SIZE(want) + 1;
	CHECK(sim_run(s, 120000, cond_connects), "only %zu tries", sim_count(s, ACT_CONNECT, 0));
	for (size_t i = 0; i < s->n_acts && n < ARRAY_SIZE(want); i++) {
		long c;

		if (s->acts[i].type != ACT_DISCONNECT)
			continue;
		c = sim_find(s, ACT_CONNECT, i);
		CHECK(c > 0 && s->acts[c].at - s->acts[i].at == want[n] &&
			  s->acts[c].remote_idx == 0,
		      "retry %zu after %" PRIu64 " ms to remote %ld, want %" PRIu64 " ms to 0",
		      n + 1, c > 0 ? s->acts[c].at - s->acts[i].at : 0,
		      c > 0 ? s->acts[c].remote_idx : -2, want[n]);
		n++;
	}
	sim_done(s);
}

/* ------------------------------------------------------------------------ */
/* renegotiation */

/* Checks the actions of one finished renegotiation starting at mark. */
static void check_reneg_actions(const struct sim *s, size_t mark, uint8_t key_id, const char *what)
{
	long i = sim_find(s, ACT_KEY_INSTALL, mark), w = sim_find(s, ACT_KEY_SWAP, mark);
	long prev = -1;

	CHECK(i >= 0 && s->acts[i].slot == MVPN_DP_SECONDARY && s->acts[i].key.key_id == key_id,
	      "%s: install slot %d key_id %u, want secondary/%u", what,
	      i >= 0 ? (int)s->acts[i].slot : -1, i >= 0 ? s->acts[i].key.key_id : 0, key_id);
	CHECK(w > i, "%s: no KEY_SWAP after the install", what);
	/* the key installed before this renegotiation stays as the lame duck */
	for (size_t j = 0; j < mark; j++)
		if (s->acts[j].type == ACT_KEY_INSTALL)
			prev = s->acts[j].key.key_id;
	CHECK(s->dp_has[0] && s->dp[0].key_id == key_id && s->dp_has[1] && s->dp[1].key_id == prev,
	      "%s: data plane primary %u (has %d), secondary %u (has %d), want %u and %ld", what,
	      s->dp[0].key_id, s->dp_has[0], s->dp[1].key_id, s->dp_has[1], key_id, prev);
	CHECK(sim_count(s, ACT_TUN_UP, mark) == 0 && sim_count(s, ACT_DISCONNECT, mark) == 0,
	      "%s: renegotiation touched the tunnel", what);
}

/*
 * Server-initiated: the new key decrypts at once (secondary slot) but the old
 * one keeps sending until hand-window after the soft reset, as OpenVPN 2.6's
 * tls_select_encryption_key does (a server on ovpn-dco drops packets under a
 * key_id it has not installed yet); then the swap, and the lame duck goes
 * tran-window after the install.
 */
static void reneg_by_server(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 20, .net = { .latency_ms = 10 },
			      .client_extra = "tran-window 30\nhand-window 20",
			      .srv = { .peer_id = 1 } };
	struct sim *s = start(&o);
	uint64_t t_reset, t_install, t_swap;
	size_t mark;
	long i, w;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	mark = s->n_acts;
	t_reset = s->now;
	want_installs = n_installs(s) + 1;
	CHECK(srv_soft_reset(s), "server soft reset");
	CHECK(sim_run(s, 10000, cond_installs), "renegotiation did not finish");
	i = sim_find(s, ACT_KEY_INSTALL, mark);
	t_install = i >= 0 ? s->acts[i].at : s->now;
	CHECK(i >= 0 && s->acts[i].slot == MVPN_DP_SECONDARY && s->acts[i].key.key_id == 1,
	      "install slot %d key_id %u, want secondary/1", i >= 0 ? (int)s->acts[i].slot : -1,
	      i >= 0 ? s->acts[i].key.key_id : 0);
	/* until hand-window: both keys decrypt, the old one still sends */
	sim_run(s, t_reset + 19800 - s->now, NULL);
	CHECK(sim_count(s, ACT_KEY_SWAP, mark) == 0, "the new key sends before hand-window");
	CHECK(s->dp_has[0] && s->dp[0].key_id == 0 && s->dp_has[1] && s->dp[1].key_id == 1,
	      "data plane before the swap: primary %u (has %d), secondary %u (has %d)",
	      s->dp[0].key_id, s->dp_has[0], s->dp[1].key_id, s->dp_has[1]);
	sim_run(s, 1000, NULL);
	w = sim_find(s, ACT_KEY_SWAP, mark);
	t_swap = w >= 0 ? s->acts[w].at : 0;
	CHECK(w >= 0 && t_swap >= t_reset + 19900 && t_swap <= t_reset + 20200,
	      "KEY_SWAP at %" PRIu64 " ms after the soft reset, want hand-window (20 s)",
	      t_swap - t_reset);
	check_reneg_actions(s, mark, 1, "server-initiated");
	CHECK(s->srv.n_soft_resets_rx == 1, "client answered %u soft resets",
	      s->srv.n_soft_resets_rx);
	CHECK(s->srv.dyn_ready, "dynamic tls-crypt not in use for key_id 1");
	CHECK(count_sent_op(s, CTL_OP_SOFT_RESET_V1, mark) >= 1, "client sent no SOFT_RESET");
	check_installs(s, 0);
	/* lame duck: kept for tran-window (30 s) after the install, then deleted */
	sim_run(s, t_install + 29800 - s->now, NULL);
	CHECK(sim_count(s, ACT_KEY_DEL, mark) == 0 && s->dp_has[1],
	      "lame duck deleted before tran-window");
	sim_run(s, 1000, NULL);
	w = sim_find(s, ACT_KEY_DEL, mark);
	CHECK(w >= 0 && s->acts[w].slot == MVPN_DP_SECONDARY,
	      "no KEY_DEL(secondary) after tran-window");
	CHECK(s->dp_has[0] && s->dp[0].key_id == 1 && !s->dp_has[1],
	      "data plane after lame duck expiry");
	CHECK(sim_is_up(s), "state %s", engine_state_name(s->e));
	sim_done(s);
}

/*
 * tran-window shorter than hand-window: the old key sends until it expires,
 * then the new one takes over in the same step (OpenVPN: the lame duck is
 * freed, the new key is all that is left).  A renegotiation that starts
 * while a key still waits makes that key send at once: the soft reset
 * retires the key before it on the server.
 */
static void reneg_swap_bounds(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 23, .net = { .latency_ms = 10 },
			      .client_extra = "tran-window 7", .srv = { .peer_id = 1 } };
	struct sim *s = start(&o);
	size_t mark;
	long i, w, d;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	mark = s->n_acts;
	want_installs = n_installs(s) + 1;
	CHECK(srv_soft_reset(s), "server soft reset");
	CHECK(sim_run(s, 10000, cond_installs_swapped), "no swap within tran-window");
	i = sim_find(s, ACT_KEY_INSTALL, mark);
	w = sim_find(s, ACT_KEY_SWAP, mark);
	d = sim_find(s, ACT_KEY_DEL, mark);
	CHECK(i >= 0 && w > i && d > w && s->acts[w].at == s->acts[i].at + 7000 &&
	      s->acts[d].at == s->acts[w].at,
	      "tran-window 7: install@%" PRIu64 " swap@%" PRIu64 " del@%" PRIu64
	      ", want swap then delete 7 s after the install",
	      i >= 0 ? s->acts[i].at : 0, w >= 0 ? s->acts[w].at : 0, d >= 0 ? s->acts[d].at : 0);
	CHECK(s->dp_has[0] && s->dp[0].key_id == 1 && !s->dp_has[1], "data plane after tran-window");

	/* two renegotiations 3 s apart: key_id 2 waits for its turn; the soft
	 * reset of key_id 3 makes 2 send, then 3 waits in the secondary slot */
	mark = s->n_acts;
	want_installs = n_installs(s) + 1;
	CHECK(srv_soft_reset(s), "second soft reset");
	CHECK(sim_run(s, 3000, cond_installs), "second renegotiation");
	CHECK(sim_count(s, ACT_KEY_SWAP, mark) == 0, "key_id 2 sends at once");
	want_installs = n_installs(s) + 1;
	CHECK(srv_soft_reset(s), "third soft reset");
	CHECK(sim_run(s, 30, NULL) && sim_count(s, ACT_KEY_SWAP, mark) == 1 &&
	      sim_count(s, ACT_KEY_INSTALL, mark) == 1,
	      "soft reset of key_id 3: want key_id 2 sending at once");
	CHECK(sim_run(s, 3000, cond_installs), "third renegotiation");
	w = sim_find(s, ACT_KEY_SWAP, mark);
	i = sim_find(s, ACT_KEY_INSTALL, (size_t)(w >= 0 ? w : 0));
	CHECK(w >= 0 && i > w && sim_count(s, ACT_KEY_SWAP, mark) == 1,
	      "key_id 3: want one KEY_SWAP (key_id 2 sends) before its install");
	CHECK(s->dp_has[0] && s->dp[0].key_id == 2 && s->dp_has[1] && s->dp[1].key_id == 3,
	      "data plane: primary %u (has %d), secondary %u (has %d), want 2 and 3",
	      s->dp[0].key_id, s->dp_has[0], s->dp[1].key_id, s->dp_has[1]);
	CHECK(sim_run(s, 8000, cond_installs_swapped) && s->dp[0].key_id == 3,
	      "key_id 3 never sends");
	CHECK(sim_is_up(s), "state %s", engine_state_name(s->e));
	sim_done(s);
}

/* Client-initiated by reneg-sec: nothing before reneg-sec, then the soft reset. */
static void reneg_by_reneg_sec(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_AUTH, .seed = 21, .net = { .latency_ms = 10 },
			      .client_extra = "reneg-sec 20", .srv = { .peer_id = 1 } };
	struct sim *s = start(&o);
	uint64_t t_up;
	size_t mark;
	long k;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	k = sim_find(s, ACT_KEY_INSTALL, 0);
	t_up = k >= 0 ? s->acts[k].at : s->now;
	mark = s->n_acts;
	sim_run(s, t_up + 19900 - s->now, NULL);
	CHECK(count_sent_op(s, CTL_OP_SOFT_RESET_V1, mark) == 0, "soft reset before reneg-sec");
	want_installs = 2;
	/* installed at reneg-sec, sending reneg-sec / 2 after the soft reset */
	CHECK(sim_run(s, 20500, cond_installs_swapped), "no renegotiation after reneg-sec");
	CHECK(s->srv.n_soft_resets_rx == 1 && s->srv.n_soft_resets_tx == 0,
	      "server saw %u soft resets from the client, sent %u", s->srv.n_soft_resets_rx,
	      s->srv.n_soft_resets_tx);
	check_reneg_actions(s, mark, 1, "reneg-sec");
	check_installs(s, 0);
	/* and again reneg-sec after that */
	want_installs = 3;
	CHECK(sim_run(s, 25000, cond_installs_swapped), "no second renegotiation");
	check_installs(s, 0);
	sim_done(s);
}

/* EV_KEY_LOW renegotiates at once; EV_DATA_COUNTERS past reneg-bytes too. */
static void reneg_by_events(void)
{
	struct sim_opts o = {.wrap = MVPN_WRAP_NONE,
			     .seed = 22,
			     .net = {.latency_ms = 10},
			     .client_extra = "reneg-bytes 1000000\nreneg-sec 0",
			     .srv = {.peer_id = 1}};
	struct sim *s = start(&o);
	size_t mark;
	long i;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	mark = s->n_acts;
	sim_event(s, EV_KEY_LOW);
	i = sim_find(s, ACT_SEND, mark);
	CHECK(i >= 0 && op_of(&s->acts[i]) == CTL_OP_SOFT_RESET_V1 && kid_of(&s->acts[i]) == 1,
	      "EV_KEY_LOW: no immediate SOFT_RESET on key_id 1");
	want_installs = 2;
	CHECK(sim_run(s, 30000, cond_installs), "EV_KEY_LOW: renegotiation did not finish");
	/* the new key waits for its turn to send (hand-window, 60 s) ... */
	sim_run(s, 1000, NULL);
	CHECK(sim_count(s, ACT_KEY_SWAP, mark) == 0, "EV_KEY_LOW: new key sends at once");
	/* ... unless the old key's packet ids run out: then it sends now */
	sim_event(s, EV_KEY_LOW);
	CHECK(sim_count(s, ACT_KEY_SWAP, mark) == 1,
	      "EV_KEY_LOW with a new key waiting: no immediate KEY_SWAP");
	CHECK(count_sent_op(s, CTL_OP_SOFT_RESET_V1, mark) == 1,
	      "EV_KEY_LOW with a new key waiting: renegotiated again");
	check_reneg_actions(s, mark, 1, "EV_KEY_LOW");

	mark = s->n_acts;
	sim_counters(s, 999999, 5000);
	CHECK(count_sent_op(s, CTL_OP_SOFT_RESET_V1, mark) == 0, "renegotiation below reneg-bytes");
	sim_counters(s, 1000000, 5001);
	CHECK(count_sent_op(s, CTL_OP_SOFT_RESET_V1, mark) == 1, "no renegotiation at reneg-bytes");
	want_installs = 3;
	CHECK(sim_run(s, 91000, cond_installs_swapped),
	      "reneg-bytes: renegotiation did not finish");
	check_reneg_actions(s, mark, 2, "reneg-bytes");
	check_installs(s, 0);
	sim_done(s);
}

/* key_id goes 0, 1..7, then 1 (never 0 again), whoever starts. */
static void key_id_sequence(void)
{
	static const uint8_t want[] = { 0, 1, 2, 3, 4, 5, 6, 7, 1, 2 };
	struct sim_opts o = {.wrap = MVPN_WRAP_TLS_CRYPT_V2,
			     .seed = 23,
			     .net = {.latency_ms = 10},
			     .srv = {.peer_id = 1}};
	struct sim *s = start(&o);
	size_t n = 0;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	for (size_t r = 1; r < ARRAY_SIZE(want) && !check_cur_failed; r++)
		CHECK(reneg(s, r % 2 == 1, 30000), "renegotiation %zu did not finish", r);
	for (size_t i = 0; i < s->n_acts; i++) {
		if (s->acts[i].type != ACT_KEY_INSTALL)
			continue;
		CHECK(n < ARRAY_SIZE(want) && s->acts[i].key.key_id == want[n],
		      "install %zu has key_id %u, want %u", n, s->acts[i].key.key_id,
		      n < ARRAY_SIZE(want) ? want[n] : 0);
		n++;
	}
	CHECK(n == ARRAY_SIZE(want), "%zu installs", n);
	CHECK(check_installs(s, 0) == ARRAY_SIZE(want), "installs compared");
	CHECK(sim_count(s, ACT_DISCONNECT, 0) == 0, "reconnected during the sequence");
	sim_done(s);
}

/* Credentials in key-method 2; a pushed auth-token replaces the password
 * on renegotiation (client-options.rst --auth-token). */
static void auth_token_on_reneg(void)
{
	struct sim_opts o = {
	    .wrap = MVPN_WRAP_TLS_CRYPT,
	    .seed = 25,
	    .net = {.latency_ms = 10},
	    .client_extra = "auth-user-pass\n<auth-user-pass>\nalice\ns3cret pw\n</auth-user-pass>",
	    .srv = {.peer_id = 1, .extra_push = "auth-token SESS-TOKEN-1"}};
	struct sim *s = start(&o);

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	CHECK(!strcmp(s->srv.ks[0].c_user, "alice") && !strcmp(s->srv.ks[0].c_pass, "s3cret pw"),
	      "first key-method 2 carried '%s'/'%s'", s->srv.ks[0].c_user, s->srv.ks[0].c_pass);
	CHECK(reneg(s, true, 30000), "renegotiation");
	CHECK(!strcmp(s->srv.ks[1].c_user, "alice") && !strcmp(s->srv.ks[1].c_pass, "SESS-TOKEN-1"),
	      "renegotiation carried '%s'/'%s', want the auth-token", s->srv.ks[1].c_user,
	      s->srv.ks[1].c_pass);
	check_installs(s, 0);
	sim_done(s);
}

/* A renegotiation that fails within hand-window keeps the current key. */
static void reneg_failure_keeps_key(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_AUTH, .seed = 27, .net = { .latency_ms = 10 },
			      .client_extra = "reneg-sec 300", .srv = { .peer_id = 1 } };
	struct sim *s = start(&o);
	uint64_t t0;
	size_t mark;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	s->srv.o.mute = true;
	mark = s->n_acts;
	t0 = s->now;
	sim_event(s, EV_KEY_LOW);
	sim_run(s, 59000, NULL);
	CHECK(!log_has("renegotiation of key_id 1 failed"), "gave up before hand-window");
	sim_run(s, 2000, NULL);
	CHECK(log_has("renegotiation of key_id 1 failed within hand-window"),
	      "no hand-window error");
	CHECK(sim_count(s, ACT_DISCONNECT, mark) == 0 && sim_count(s, ACT_KEY_INSTALL, mark) == 0 &&
		      sim_count(s, ACT_KEY_DEL, mark) == 0 && sim_is_up(s),
	      "a failed renegotiation touched the tunnel or the keys");
	CHECK(s->dp_has[0] && s->dp[0].key_id == 0, "primary key changed");
	CHECK(count_sent_op(s, CTL_OP_SOFT_RESET_V1, mark) >= 4, "soft reset not retransmitted");
	/* reneg-sec starts again from the failure */
	CHECK(engine_next_timeout(s->e) == t0 + 60000 + 300000,
	      "next timeout %" PRIu64 ", want %" PRIu64, engine_next_timeout(s->e),
	      t0 + 60000 + 300000);
	sim_done(s);
}

/* A soft reset on the wrong key_id is refused and changes nothing. */
static void reneg_out_of_sync(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 24, .net = { .latency_ms = 10 },
			      .srv = { .peer_id = 1 } };
	struct sim *s = start(&o);
	uint8_t pkt[SIM_MAX_PKT];
	struct ctl_pkt p = { .opcode = CTL_OP_SOFT_RESET_V1, .msg_id = 0 };
	uint64_t tmo;
	size_t mark;
	long n;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	tmo = engine_next_timeout(s->e);
	for (uint8_t kid = 2; kid <= 7; kid++) {
		p.key_id = kid;
		n = srv_forge(s, &p, pkt, sizeof(pkt));
		CHECK(n > 0, "forge: %s", wire_strerror((int)n));
		mark = s->n_acts;
		if (n > 0)
			sim_packet(s, pkt, (size_t)n);
		CHECK(s->n_acts == mark, "soft reset on key_id %u: %zu actions", kid,
		      s->n_acts - mark);
	}
	CHECK(log_has("key IDs out of sync (got 2, expected 1)"),
	      "no 'out of sync' error in the log");
	CHECK(sim_is_up(s) && engine_next_timeout(s->e) == tmo, "state or timers changed");
	/* the right key_id still works afterwards */
	mark = s->n_acts;
	CHECK(reneg(s, true, 30000), "renegotiation after the refused one");
	check_reneg_actions(s, mark, 1, "after out-of-sync");
	check_installs(s, 0);
	sim_done(s);
}

/* ------------------------------------------------------------------------ */
/* timeouts, restarts, stop */

/* A silent server: hand-window expires, restart on the next remote. */
static void hand_window_expiry(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 30, .net = { .latency_ms = 10 },
			      .client_extra = "hand-window 10", .srv = { .mute = true } };
	struct sim *s = start(&o);
	long c1, c2, c3, d;

	if (!s)
		return;
	want_connects = 3;
	CHECK(sim_run(s, 60000, cond_connects), "no third CONNECT");
	c1 = sim_find(s, ACT_CONNECT, 0);
	d = sim_find(s, ACT_DISCONNECT, 0);
	c2 = sim_find(s, ACT_CONNECT, (size_t)c1 + 1);
	c3 = c2 >= 0 ? sim_find(s, ACT_CONNECT, (size_t)c2 + 1) : -1;
	CHECK(d > c1 && s->acts[d].at >= s->acts[c1].at + 10000 &&
		  s->acts[d].at <= s->acts[c1].at + 10100,
	      "gave up at %" PRIu64 " ms, want hand-window 10 s after %" PRIu64,
	      d >= 0 ? s->acts[d].at : 0, s->acts[c1].at);
	CHECK(c2 > d && s->acts[c2].remote_idx == 1, "second try on remote %ld",
	      c2 >= 0 ? s->acts[c2].remote_idx : -2);
	CHECK(c3 > c2 && s->acts[c3].remote_idx == 0, "third try on remote %ld (want wrap to 0)",
	      c3 >= 0 ? s->acts[c3].remote_idx : -2);
	CHECK(count_sent_op(s, CTL_OP_HARD_RESET_CLIENT_V2, 0) >= 6,
	      "resets were not retransmitted (%zu)",
	      count_sent_op(s, CTL_OP_HARD_RESET_CLIENT_V2, 0));
	CHECK(log_has("TLS key negotiation failed to occur within 10 seconds"),
	      "no hand-window error");
	CHECK(sim_count(s, ACT_TUN_UP, 0) == 0 && !s->exited, "tunnel or exit");
	sim_done(s);
}

/* A server certificate from an unknown CA: clear error, next remote. */
static void tls_failure(void)
{
	char extra[512];
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 31, .net = { .latency_ms = 10 },
			      .client_extra = extra };
	struct sim *s;
	long d, c2;

	snprintf(extra, sizeof(extra), "ca %s/other-ca.crt", pki.dir);
	s = start(&o);
	if (!s)
		return;
	want_connects = 2;
	CHECK(sim_run(s, 30000, cond_connects), "no reconnect after the TLS failure");
	d = sim_find(s, ACT_DISCONNECT, 0);
	c2 = sim_find(s, ACT_CONNECT, 1);
	CHECK(d > 0 && c2 > d && s->acts[c2].remote_idx == 1,
	      "want DISCONNECT then CONNECT(remote 1)");
	CHECK(d > 0 && s->acts[d].at < 5000, "TLS failure noticed only at %" PRIu64 " ms",
	      d > 0 ? s->acts[d].at : 0);
	CHECK(log_has("certificate verification failed"), "no certificate error in the log");
	CHECK(s->srv.tls_error[0], "the server did not learn about the failure (no alert)");
	CHECK(sim_count(s, ACT_TUN_UP, 0) == 0 && sim_count(s, ACT_KEY_INSTALL, 0) == 0,
	      "tunnel up");
	sim_done(s);
}

/* ping-restart (EV_PEER_EXPIRED) and a dead link (EV_LINK_DOWN): same remote. */
static void peer_expired(void)
{
	static const enum engine_ev_type evs[] = { EV_PEER_EXPIRED, EV_LINK_DOWN, EV_RESTART,
						   EV_DATA_EXIT };

	for (size_t i = 0; i < ARRAY_SIZE(evs); i++) {
		struct sim_opts o = { .wrap = MVPN_WRAP_TLS_AUTH, .seed = 32 + i,
				      .net = { .latency_ms = 10 }, .srv = { .peer_id = 1 } };
		struct sim *s = start(&o);
		size_t mark;
		long c;

		if (!s)
			return;
		CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
		mark = s->n_acts;
		sim_event(s, evs[i]);
		CHECK(sim_count(s, ACT_TUN_DOWN, mark) == 1 &&
			  sim_count(s, ACT_KEY_DEL, mark) == 2 &&
			  sim_count(s, ACT_DISCONNECT, mark) == 1,
		      "event %d: teardown actions", evs[i]);
		want_installs = 2;
		CHECK(sim_run(s, 30000, cond_installs), "event %d: not up again", evs[i]);
		c = sim_find(s, ACT_CONNECT, mark);
		CHECK(c >= 0 && s->acts[c].remote_idx == 0, "event %d: reconnected to remote %ld",
		      evs[i], c >= 0 ? s->acts[c].remote_idx : -2);
		check_installs(s, 0);
		sim_done(s);
	}
}

/* The transport cannot be opened (TCP refused, no route): next remote. */
static void link_down_while_connecting(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 35, .net = { .latency_ms = 10 },
			      .srv = { .peer_id = 1 } };
	struct sim *s = start(&o);
	long d, c2;

	if (!s)
		return;
	CHECK(!strcmp(engine_state_name(s->e), "connecting"), "state %s", engine_state_name(s->e));
	sim_event(s, EV_LINK_DOWN);
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel through the second remote");
	d = sim_find(s, ACT_DISCONNECT, 0);
	c2 = sim_find(s, ACT_CONNECT, 1);
	CHECK(d > 0 && c2 > d && s->acts[c2].remote_idx == 1,
	      "want DISCONNECT then CONNECT(remote 1)");
	check_installs(s, 0);
	sim_done(s);
}

/* EV_STOP: cc-exit sends EXIT on the control channel, else OCC_EXIT, else nothing. */
static void stop_exit_notify(void)
{
	static const uint8_t occ_exit[17] = { 0x28, 0x7f, 0x34, 0x6b, 0xd4, 0xef, 0x7a, 0x81, 0x2d,
					      0x56, 0xb8, 0xd3, 0xaf, 0xc5, 0x45, 0x9c, 0x06 };
	static const struct {
		const char *name;
		const char *extra;
		bool cc_exit;
		size_t occ;		/* OCC_EXIT data packets expected */
		uint64_t exit_after;	/* ms after EV_STOP */
	} cases[] = {
		{ "cc-exit, explicit-exit-notify 2", "explicit-exit-notify 2", true, 0, 2000 },
		{ "no cc-exit, explicit-exit-notify 3", "explicit-exit-notify 3", false, 3, 1000 },
		{ "no notification configured", NULL, false, 0, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 40 + i,
				      .net = { .latency_ms = 10 }, .client_extra = cases[i].extra,
				      .srv = { .peer_id = 1, .no_cc_exit = !cases[i].cc_exit } };
		struct sim *s = start(&o);
		uint64_t t_stop;
		size_t mark;
		long x, kd, td;

		if (!s)
			return;
		CHECK(sim_run(s, 30000, sim_up_both), "%s: no tunnel", cases[i].name);
		mark = s->n_acts;
		t_stop = s->now;
		sim_event(s, EV_STOP);
		if (cases[i].cc_exit)
			CHECK(sim_run(s, cases[i].exit_after - 1, cond_srv_exit_msg) && !s->exited,
			      "%s: the server got no EXIT before the exit", cases[i].name);
		sim_run(s, 10000, sim_exited);
		x = sim_find(s, ACT_EXIT, mark);
		kd = sim_find(s, ACT_KEY_DEL, mark);
		td = sim_find(s, ACT_TUN_DOWN, mark);
		CHECK(x >= 0 && s->acts[x].status == 0, "%s: no EXIT(0)", cases[i].name);
		CHECK(x >= 0 && s->acts[x].at == t_stop + cases[i].exit_after,
		      "%s: exit at +%" PRIu64 " ms, want +%" PRIu64, cases[i].name,
		      x >= 0 ? s->acts[x].at - t_stop : 0, cases[i].exit_after);
		CHECK(kd >= 0 && td >= 0 && kd < x && td < x,
		      "%s: keys/tunnel not removed before EXIT", cases[i].name);
		CHECK(s->srv.n_exit == (cases[i].cc_exit ? 1u : 0u),
		      "%s: server got %u EXIT messages", cases[i].name, s->srv.n_exit);
		CHECK(sim_count(s, ACT_DATA_SEND, mark) == cases[i].occ, "%s: %zu OCC_EXIT packets",
		      cases[i].name, sim_count(s, ACT_DATA_SEND, mark));
		for (size_t j = mark; j < s->n_acts; j++)
			if (s->acts[j].type == ACT_DATA_SEND)
				CHECK(s->acts[j].len == sizeof(occ_exit) &&
					      !memcmp(s->acts[j].data, occ_exit, sizeof(occ_exit)),
				      "%s: DATA_SEND is not OCC_EXIT", cases[i].name);
		sim_done(s);
	}
}

/* AUTH_PENDING,timeout N extends the wait for the push past hand-window. */
static void auth_pending(void)
{
	static const struct {
		const char *pending;
		bool up;
	} cases[] = { { "AUTH_PENDING,timeout 120", true }, { NULL, false } };

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 70 + i,
				      .net = { .latency_ms = 10 },
				      .srv = { .peer_id = 1, .pending = cases[i].pending,
					       .push_delay_ms = 80000 } };
		struct sim *s = start(&o);
		long d;

		if (!s)
			return;
		CHECK(sim_run(s, 100000, sim_up_both) == cases[i].up, "pending '%s': up %d",
		      cases[i].pending ? cases[i].pending : "-", sim_is_up(s));
		d = sim_find(s, ACT_DISCONNECT, 0);
		if (cases[i].up) {
			CHECK(d < 0, "restarted while authentication was pending");
			/* PUSH_REQUEST every 5 s meanwhile (§9) */
			CHECK(s->srv.n_push_requests >= 15 && s->srv.n_push_requests <= 18,
			      "%u PUSH_REQUESTs in 80 s", s->srv.n_push_requests);
			check_installs(s, 0);
		} else {
			CHECK(d > 0 && s->acts[d].at == 60005,
			      "no push: gave up at %" PRIu64 " ms, want 60005",
			      d > 0 ? s->acts[d].at : 0);
			CHECK(log_has("TLS key negotiation failed to occur within 60 seconds"),
			      "no hand-window error");
		}
		sim_done(s);
	}
}

/*
 * AUTH_PENDING once the tunnel is up (a server re-authenticating on a
 * renegotiation) changes no timer: found by fuzz_engine, the engine used to
 * keep a hand-window deadline that no state consumed, so its next timeout
 * stayed in the past and the event loop would spin.
 */
static void auth_pending_when_up(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 71, .net = { .latency_ms = 10 },
			      .srv = { .peer_id = 1 } };
	struct sim *s = start(&o);
	size_t mark;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	mark = s->n_acts;
	srv_send_msg(s, "AUTH_PENDING,timeout 3");
	sim_run(s, 10000, NULL);
	CHECK(!s->spun, "the engine's next timeout stays due: %s", s->err);
	CHECK(sim_is_up(s) && s->n_acts - mark == sim_count(s, ACT_SEND, mark),
	      "AUTH_PENDING while up did more than ACK");
	CHECK(engine_next_timeout(s->e) > s->now, "a timer in the past while up");
	sim_done(s);
}

/* The server refuses our certificate: TLS error, reconnect, no tunnel. */
static void server_refuses_cert(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 72, .net = { .latency_ms = 10 },
			      .srv = { .peer_id = 1, .client_cn = "somebody-else" } };
	struct sim *s = start(&o);
	long d, c2;

	if (!s)
		return;
	want_connects = 2;
	CHECK(sim_run(s, 30000, cond_connects), "no reconnect after the refusal");
	d = sim_find(s, ACT_DISCONNECT, 0);
	c2 = sim_find(s, ACT_CONNECT, 1);
	CHECK(d > 0 && s->acts[d].at < 5000 && c2 > d, "refusal noticed at %" PRIu64 " ms",
	      d > 0 ? s->acts[d].at : 0);
	CHECK(strstr(s->srv.tls_error, "verify-x509-name"), "server error '%s'", s->srv.tls_error);
	CHECK(log_has("alert"), "the TLS alert is not in the log");
	CHECK(sim_count(s, ACT_TUN_UP, 0) == 0 && sim_count(s, ACT_KEY_INSTALL, 0) == 0,
	      "tunnel up");
	sim_done(s);
}

/* Both ends start the same renegotiation at once: one new key, no loop. */
static void reneg_simultaneous(void)
{
	struct sim_opts o = {.wrap = MVPN_WRAP_TLS_CRYPT_V2,
			     .seed = 73,
			     .net = {.latency_ms = 10},
			     .srv = {.peer_id = 1}};
	struct sim *s = start(&o);
	size_t mark;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	mark = s->n_acts;
	want_installs = 2;
	sim_event(s, EV_KEY_LOW);
	CHECK(srv_soft_reset(s), "server soft reset");
	CHECK(sim_run(s, 91000, cond_installs_swapped), "renegotiation did not finish");
	check_reneg_actions(s, mark, 1, "simultaneous");
	sim_run(s, 20000, NULL);
	CHECK(n_installs(s) == 2 && s->srv.n_hist == 2, "%zu installs, %u server keys",
	      n_installs(s), s->srv.n_hist);
	check_installs(s, 0);
	sim_done(s);
}

/* connect-retry-max: give up after that many tries of every remote. */
static void connect_retry_max(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_AUTH, .seed = 74, .net = { .latency_ms = 10 },
			      .client_extra = "connect-retry-max 2\nhand-window 5",
			      .srv = { .mute = true } };
	struct sim *s = start(&o);

	if (!s)
		return;
	CHECK(sim_run(s, 120000, sim_exited), "no exit");
	CHECK(s->exit_status == 1, "exit status %d", s->exit_status);
	CHECK(sim_count(s, ACT_CONNECT, 0) == 4, "%zu tries, want 2 per remote",
	      sim_count(s, ACT_CONNECT, 0));
	CHECK(log_has("connect-retry-max"), "no connect-retry-max message");
	sim_done(s);
}

/* EV_STOP before the tunnel is up: exit at once, nothing to notify. */
static void stop_during_handshake(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 75, .net = { .latency_ms = 10 },
			      .client_extra = "explicit-exit-notify 2", .srv = { .mute = true } };
	struct sim *s = start(&o);
	size_t mark;
	long d, x;

	if (!s)
		return;
	sim_run(s, 3000, NULL);
	mark = s->n_acts;
	sim_event(s, EV_STOP);
	d = sim_find(s, ACT_DISCONNECT, mark);
	x = sim_find(s, ACT_EXIT, mark);
	CHECK(d >= 0 && x > d && s->acts[x].status == 0, "want DISCONNECT then EXIT(0) at once");
	CHECK(sim_count(s, ACT_SEND, mark) == 0 && sim_count(s, ACT_DATA_SEND, mark) == 0,
	      "sent something while stopping a handshake");
	CHECK(engine_next_timeout(s->e) == UINT64_MAX, "a timer after EXIT");
	sim_done(s);
}

/* EV_STOP while waiting to reconnect: exit at once, and no timer is left. */
static void stop_while_reconnecting(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 77, .net = { .latency_ms = 10 },
			      .srv = { .peer_id = 1 } };
	struct sim *s = start(&o);
	size_t mark;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	sim_event(s, EV_PEER_EXPIRED);
	CHECK(!strcmp(engine_state_name(s->e), "reconnect-wait"), "state %s",
	      engine_state_name(s->e));
	mark = s->n_acts;
	sim_event(s, EV_STOP);
	CHECK(s->exited && s->exit_status == 0 && sim_count(s, ACT_CONNECT, mark) == 0,
	      "EV_STOP while reconnecting did not exit");
	/* engine.h: UINT64_MAX when no EV_TICK is needed any more */
	CHECK(engine_next_timeout(s->e) == UINT64_MAX,
	      "timer at %" PRIu64 " ms after EXIT (now %" PRIu64 ")", engine_next_timeout(s->e),
	      s->now);
	sim_done(s);
}

/*
 * reneg-bytes counts the bytes of the current key (OpenVPN: ks->n_bytes,
 * ssl.c tls_process), so a renegotiation for another reason restarts it.
 */
static void reneg_bytes_per_key(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 76, .net = { .latency_ms = 10 },
			      .client_extra = "reneg-bytes 1000000", .srv = { .peer_id = 1 } };
	struct sim *s = start(&o);
	size_t mark;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	sim_counters(s, 600000, 600);
	CHECK(reneg(s, true, 30000), "server renegotiation");
	mark = s->n_acts;
	sim_counters(s, 700000, 700);
	sim_counters(s, 1000000, 1000);		/* 400000 on key 1 */
	CHECK(count_sent_op(s, CTL_OP_SOFT_RESET_V1, mark) == 0,
	      "renegotiated after 400000 bytes on the new key (reneg-bytes 1000000)");
	sim_counters(s, 1700000, 1700);		/* 1100000 on key 1 */
	CHECK(count_sent_op(s, CTL_OP_SOFT_RESET_V1, mark) == 1,
	      "no renegotiation after reneg-bytes");
	want_installs = 3;
	CHECK(sim_run(s, 91000, cond_installs_swapped), "renegotiation did not finish");
	check_installs(s, 0);
	sim_done(s);
}

/* The transport dies while the exit notification is pending: exit now. */
static void stop_then_link_down(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_CRYPT, .seed = 43, .net = { .latency_ms = 10 },
			      .client_extra = "explicit-exit-notify 5", .srv = { .peer_id = 1 } };
	struct sim *s = start(&o);
	size_t mark;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	sim_event(s, EV_STOP);
	CHECK(!s->exited && !strcmp(engine_state_name(s->e), "exiting"), "state %s",
	      engine_state_name(s->e));
	mark = s->n_acts;
	sim_event(s, EV_LINK_DOWN);
	CHECK(s->exited && s->exit_status == 0 && sim_find(s, ACT_EXIT, mark) >= 0,
	      "EV_LINK_DOWN while exiting did not exit");
	sim_done(s);
}

/* reneg-pkts, like reneg-bytes, per key. */
static void reneg_by_packets(void)
{
	struct sim_opts o = { .wrap = MVPN_WRAP_TLS_AUTH, .seed = 28, .net = { .latency_ms = 10 },
			      .client_extra = "reneg-pkts 1000", .srv = { .peer_id = 1 } };
	struct sim *s = start(&o);
	size_t mark;

	if (!s)
		return;
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	mark = s->n_acts;
	sim_counters(s, 50000000, 999);
	CHECK(count_sent_op(s, CTL_OP_SOFT_RESET_V1, mark) == 0, "renegotiation below reneg-pkts");
	sim_counters(s, 50000001, 1000);
	CHECK(count_sent_op(s, CTL_OP_SOFT_RESET_V1, mark) == 1, "no renegotiation at reneg-pkts");
	want_installs = 2;
	CHECK(sim_run(s, 91000, cond_installs_swapped), "renegotiation did not finish");
	mark = s->n_acts;
	sim_counters(s, 60000000, 1999);
	CHECK(count_sent_op(s, CTL_OP_SOFT_RESET_V1, mark) == 0, "999 packets on the new key");
	sim_counters(s, 60000000, 2000);
	CHECK(count_sent_op(s, CTL_OP_SOFT_RESET_V1, mark) == 1, "1000 packets on the new key");
	check_installs(s, 0);
	sim_done(s);
}

/* remote-random: the order depends on the randomness, each entry is tried. */
static void remote_random(void)
{
	unsigned int first[2] = { 0, 0 };

	for (uint64_t seed = 1; seed <= 12; seed++) {
		struct sim_opts o = {.wrap = MVPN_WRAP_NONE,
				     .seed = seed,
				     .net = {.latency_ms = 10},
				     .client_extra = "remote-random\nhand-window 5",
				     .srv = {.mute = true}};
		struct sim *s = start(&o);
		long c1, c2;

		if (!s)
			return;
		want_connects = 2;
		CHECK(sim_run(s, 20000, cond_connects), "seed %" PRIu64 ": no second try", seed);
		c1 = sim_find(s, ACT_CONNECT, 0);
		c2 = c1 >= 0 ? sim_find(s, ACT_CONNECT, (size_t)c1 + 1) : -1;
		CHECK(c1 >= 0 && c2 > c1 && s->acts[c1].remote_idx >= 0 &&
			  s->acts[c1].remote_idx < 2 &&
			  s->acts[c2].remote_idx == 1 - s->acts[c1].remote_idx,
		      "seed %" PRIu64 ": tries on remotes %ld, %ld", seed,
		      c1 >= 0 ? s->acts[c1].remote_idx : -2, c2 >= 0 ? s->acts[c2].remote_idx : -2);
		if (c1 >= 0 && s->acts[c1].remote_idx >= 0 && s->acts[c1].remote_idx < 2)
			first[s->acts[c1].remote_idx]++;
		sim_done(s);
		if (check_cur_failed)
			return;
	}
	CHECK(first[0] && first[1], "12 seeds always started with remote %d", first[0] ? 0 : 1);
}

/* ------------------------------------------------------------------------ */
/* garbage and replays */

static void garbage_and_replays(void)
{
	static const enum mvpn_tls_wrap wraps[] = { MVPN_WRAP_NONE, MVPN_WRAP_TLS_AUTH,
						    MVPN_WRAP_TLS_CRYPT, MVPN_WRAP_TLS_CRYPT_V2 };

	for (size_t w = 0; w < ARRAY_SIZE(wraps); w++) {
		struct sim_opts o = { .wrap = wraps[w], .seed = 50 + w, .capture = true,
				      .net = { .latency_ms = 10 }, .srv = { .peer_id = 1 } };
		struct sim *s = start(&o);
		bool authed = wraps[w] != MVPN_WRAP_NONE;
		struct sim_rng r;
		uint8_t buf[SIM_MAX_PKT];
		size_t mark, bad = 0, ncap;
		uint64_t tmo;

		if (!s)
			return;
		sim_rng_seed(&r, 77 + w);
		CHECK(sim_run(s, 30000, sim_up_both), "%s: no tunnel", sim_wrap_name(wraps[w]));
		/* a renegotiation first, so key_id 1 (dynamic tls-crypt) packets are in the capture
		 */
		CHECK(reneg(s, true, 30000), "%s: renegotiation", sim_wrap_name(wraps[w]));
		sim_run(s, 3000, NULL);
		mark = s->n_acts;
		tmo = engine_next_timeout(s->e);
		ncap = s->n_cap;
		/* every server packet again, twice */
		for (int round = 0; round < 2; round++)
			for (size_t i = 0; i < ncap; i++)
				sim_packet(s, s->cap[i].data, s->cap[i].len);
		/* random bytes, some with a plausible first byte, and truncations */
		for (int i = 0; i < 400; i++) {
			size_t len = (size_t)(sim_rng_next(&r) % 1500);

			sim_rng_bytes(&r, buf, len);
			if (len && i % 2)
				buf[0] = (uint8_t)((3 + sim_rng_next(&r) % 9) << 3 | (buf[0] & 7));
			if (i % 4 == 3 && ncap) {
				const struct sim_pkt *p = &s->cap[sim_rng_next(&r) % ncap];

				len = (size_t)(sim_rng_next(&r) % p->len);
				memcpy(buf, p->data, len);
			}
			sim_packet(s, buf, len);
		}
		/* authenticated wrappers: single bit flips of real packets */
		for (int i = 0; authed && i < 300 && ncap; i++) {
			const struct sim_pkt *p = &s->cap[sim_rng_next(&r) % ncap];
			size_t bit = (size_t)(sim_rng_next(&r) % (p->len * 8));

			memcpy(buf, p->data, p->len);
			buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			sim_packet(s, buf, p->len);
		}
		/*
		 * Well-formed, authenticated packets that are not this session's:
		 * another sender's sid, or an ACK block for another recipient.  Each
		 * carries the next msg-id the engine waits for and bytes that would
		 * break its TLS session if they got through.
		 */
		for (int i = 0; i < 40; i++) {
			struct srv_ks *ks = &s->srv.ks[s->srv.last_key_id];
			uint8_t other[CTL_SID_LEN], junk[200];
			struct ctl_pkt p = {.opcode =
						i % 3 == 2 ? CTL_OP_ACK_V1 : CTL_OP_CONTROL_V1,
					    .key_id = ks->key_id,
					    .msg_id = ks->rel.next_send_id,
					    .payload = junk,
					    .payload_len = sizeof(junk)};
			bool other_sender = i % 2 == 0;
			long n;

			sim_rng_bytes(&r, other, sizeof(other));
			sim_rng_bytes(&r, junk, sizeof(junk));
			if (p.opcode == CTL_OP_ACK_V1 || !other_sender) {
				p.n_acks = 1;
				p.acks[0] = (uint32_t)i / 3;
			}
			if (p.opcode == CTL_OP_ACK_V1)
				p.payload_len = 0;
			n = srv_forge_as(s, &p, other_sender ? other : NULL,
					 other_sender ? NULL : other, buf, sizeof(buf));
			CHECK(n > 0, "forge: %s", wire_strerror((int)n));
			if (n > 0)
				sim_packet(s, buf, (size_t)n);
		}
		/* a reset from another server session, a client's reset, an unknown key_id */
		for (int i = 0; i < 3; i++) {
			static const uint8_t ops[] = {CTL_OP_HARD_RESET_SERVER_V2,
						      CTL_OP_HARD_RESET_CLIENT_V2,
						      CTL_OP_CONTROL_V1};
			static const uint8_t zeros[50];
			uint8_t other[CTL_SID_LEN] = { 9, 9, 9, 9, 9, 9, 9, 9 };
			struct ctl_pkt p = {.opcode = ops[i],
					    .key_id = i == 2 ? 5 : 0,
					    .n_acks = 1,
					    .payload = zeros,
					    .payload_len = i == 2 ? sizeof(zeros) : 0};
			long n = srv_forge_as(s, &p, i == 0 ? other : NULL, NULL, buf, sizeof(buf));

			CHECK(n > 0, "forge: %s", wire_strerror((int)n));
			if (n > 0)
				sim_packet(s, buf, (size_t)n);
		}
		for (size_t i = mark; i < s->n_acts; i++)
			if (s->acts[i].type != ACT_SEND || op_of(&s->acts[i]) != CTL_OP_ACK_V1 ||
			    authed)
				bad++;
		CHECK(bad == 0, "%s: %zu actions other than re-ACKs after junk",
		      sim_wrap_name(wraps[w]), bad);
		CHECK(authed || engine_next_timeout(s->e) <= tmo, "timers");
		CHECK(!authed || engine_next_timeout(s->e) == tmo, "%s: timers changed",
		      sim_wrap_name(wraps[w]));
		CHECK(sim_is_up(s), "%s: state %s", sim_wrap_name(wraps[w]),
		      engine_state_name(s->e));
		/* still fully working: two more renegotiations, keys still equal */
		CHECK(reneg(s, false, 30000) && reneg(s, true, 30000),
		      "%s: renegotiation after junk", sim_wrap_name(wraps[w]));
		check_installs(s, 0);
		CHECK(sim_count(s, ACT_DISCONNECT, 0) == 0, "%s: reconnected",
		      sim_wrap_name(wraps[w]));
		sim_done(s);
	}
}

/* Events that make no sense in a state are ignored without side effects. */
static void stray_events(void)
{
	struct sim_opts o = {.wrap = MVPN_WRAP_TLS_CRYPT, .seed = 60, .net = {.latency_ms = 10}};
	struct sim *s;
	char err[512];
	size_t mark;

	log_begin();
	s = sim_new(&pki, &o, err, sizeof(err));
	CHECK(s != NULL, "sim_new: %s", err);
	if (!s)
		return;
	/* before EV_START: nothing may happen */
	sim_event(s, EV_LINK_UP);
	sim_event(s, EV_TICK);
	sim_event(s, EV_KEY_LOW);
	sim_event(s, EV_PEER_EXPIRED);
	sim_event(s, EV_DATA_EXIT);
	sim_event(s, EV_RESTART);
	sim_packet(s, (const uint8_t *)"\x40xxxxxxxxxxxxxxxxxx", 20);
	CHECK(s->n_acts == 0, "%zu actions in state idle", s->n_acts);
	CHECK(engine_next_timeout(s->e) == UINT64_MAX, "a timer in state idle");
	sim_event(s, EV_START);
	mark = s->n_acts;
	sim_event(s, EV_START);
	CHECK(s->n_acts == mark, "a second EV_START did something");
	CHECK(sim_run(s, 30000, sim_up_both), "no tunnel");
	mark = s->n_acts;
	sim_event(s, EV_LINK_UP);
	sim_event(s, EV_START);
	CHECK(s->n_acts == mark, "EV_LINK_UP/EV_START while up did something");
	sim_done(s);
}

/* MVPN_TEST_ONLY=name runs one case (debugging). */
#define T(fn)                                                        \
	do {                                                         \
		const char *only = getenv("MVPN_TEST_ONLY");         \
		if (!only || !strcmp(only, #fn))                     \
			RUN("engine", fn);                           \
	} while (0)

int main(void)
{
	if (testpki_make(&pki, tmpdir)) {
		printf("not ok - engine: PKI setup (scripts/lib/pki.sh, run from the repository "
		       "root)\n");
		return 1;
	}
	log_setup();
	T(handshake_matrix);
	T(v2_largest_wkc);
	T(lossy_link);
	T(big_certificate_chains);
	T(push_continuation);
	T(refusals);
	T(auth_failed_temp);
	T(server_restart);
	T(no_peer_id);
	T(cipher_not_pushed);
	T(force_prf_vs_ekm);
	T(odd_control_messages);
	T(connect_retry_backoff);
	T(reneg_by_server);
	T(reneg_swap_bounds);
	T(reneg_by_reneg_sec);
	T(reneg_by_events);
	T(key_id_sequence);
	T(auth_token_on_reneg);
	T(reneg_failure_keeps_key);
	T(reneg_out_of_sync);
	T(hand_window_expiry);
	T(tls_failure);
	T(peer_expired);
	T(link_down_while_connecting);
	T(stop_exit_notify);
	T(auth_pending);
	T(auth_pending_when_up);
	T(server_refuses_cert);
	T(reneg_simultaneous);
	T(connect_retry_max);
	T(stop_during_handshake);
	T(stop_while_reconnecting);
	T(reneg_bytes_per_key);
	T(stop_then_link_down);
	T(reneg_by_packets);
	T(remote_random);
	T(garbage_and_replays);
	T(stray_events);
	/* stderr back, for sanitizer reports at exit */
	if (saved_stderr >= 0) {
		fflush(stderr);
		dup2(saved_stderr, 2);
		close(saved_stderr);
	}
	if (log_fd >= 0)
		close(log_fd);
	testpki_done(&pki, tmpdir);	/* MVPN_TEST_KEEP=1 keeps engine.log there */
	CHECK_EXIT();
}
