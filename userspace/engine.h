/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * engine.h: the control channel of an OpenVPN 2.6 client as a state machine.
 *
 * The engine never touches a descriptor, a clock or the RNG: the event loop
 * (loop.c) turns readiness, timers, signals and kernel notifications into
 * events, calls engine_handle(), and then carries out the actions the engine
 * queued (send this packet, install this key, bring the tunnel up, ...).
 * TLS runs inside the engine over memory BIOs (tls.c).
 *
 *   event loop                     engine
 *   ----------                     ------
 *   EV_START                  ->   ACT_CONNECT(remote)
 *   EV_LINK_UP                ->   ACT_SEND(HARD_RESET_CLIENT_V2)
 *   EV_LINK_PACKET x N        ->   ACT_SEND(TLS records, ACKs) ...
 *                                  ACT_KEY_INSTALL(primary, key 0)
 *                                  ACT_TUN_UP(pushed options)
 *   EV_TICK                   ->   retransmissions, PUSH_REQUEST, reneg-sec
 *   EV_KEY_LOW / reneg        ->   ACT_SEND(SOFT_RESET) ... ACT_KEY_INSTALL(secondary),
 *                                  ACT_KEY_SWAP, later ACT_KEY_DEL(secondary)
 *   EV_STOP                   ->   EXIT notification, then ACT_EXIT
 *
 * Every (state, event) pair is handled explicitly: an event that makes no
 * sense in the current state is logged and ignored, never half-applied.
 */
#ifndef MVPN_ENGINE_H
#define MVPN_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "dataplane.h"

enum engine_ev_type {
	EV_START,		/* begin: connect to the first remote */
	EV_LINK_UP,		/* the transport asked for by ACT_CONNECT is ready */
	EV_LINK_DOWN,		/* connect failed / TCP closed / socket error */
	EV_LINK_PACKET,		/* a control-channel packet (not P_DATA_*) arrived */
	EV_TICK,		/* time passed (engine_next_timeout() was reached) */
	EV_STOP,		/* SIGTERM/SIGINT: notify the server and exit */
	EV_RESTART,		/* SIGHUP/SIGUSR1: reconnect */
	EV_PEER_EXPIRED,	/* nothing authenticated for ping-restart seconds */
	EV_KEY_LOW,		/* TX packet ids about to run out: renegotiate now */
	EV_DATA_COUNTERS,	/* data-channel totals, for reneg-bytes/reneg-pkts */
	EV_DATA_EXIT,		/* an OCC EXIT arrived on the data channel */
};

struct engine_event {
	enum engine_ev_type type;
	uint64_t now_ms;	/* monotonic milliseconds */
	uint32_t wall;		/* Unix seconds (the control channel's replay clock) */
	const uint8_t *data;	/* EV_LINK_PACKET */
	size_t len;
	uint64_t bytes, packets;	/* EV_DATA_COUNTERS: totals since the tunnel came up */
	const char *reason;	/* EV_LINK_DOWN, EV_RESTART: for the log */
	int ip_version;		/* EV_LINK_UP: 4 or 6, sizes control packets */
};

enum engine_act_type {
	ACT_CONNECT,		/* open the transport to `remote` (then EV_LINK_UP/DOWN) */
	ACT_DISCONNECT,		/* close the transport */
	ACT_SEND,		/* send data/len on the transport */
	ACT_KEY_INSTALL,	/* put `key` into `slot` */
	ACT_KEY_SWAP,		/* primary <-> secondary */
	ACT_KEY_DEL,		/* empty `slot` */
	ACT_TUN_UP,		/* configure the tunnel from `cfg` (local + pushed) */
	ACT_TUN_DOWN,		/* remove addresses, routes and the device */
	ACT_DATA_SEND,		/* send data/len through the data channel (OCC EXIT) */
	ACT_EXIT,		/* stop the daemon with `status` */
};

struct engine_action {
	enum engine_act_type type;
	const uint8_t *data;			/* ACT_SEND, ACT_DATA_SEND */
	size_t len;
	const struct mvpn_remote *remote;	/* ACT_CONNECT */
	enum mvpn_dp_slot slot;			/* ACT_KEY_INSTALL, ACT_KEY_DEL */
	struct mvpn_dp_key key;			/* ACT_KEY_INSTALL (secret: wiped after use) */
	const struct mvpn_config *cfg;		/* ACT_TUN_UP: local + pushed options */
	int peer_id;				/* ACT_TUN_UP: -1 when none was pushed */
	int status;				/* ACT_EXIT: 0 or 1 */
};

struct engine_params {
	const struct mvpn_config *cfg;	/* borrowed; outlives the engine */
	/* Randomness (session ids, key-method-2 randoms). */
	void (*rand_bytes)(void *ctx, uint8_t *buf, size_t len);
	void *rand_ctx;
	bool force_prf;		/* do not offer TLS-EKM (interop testing) */
	const char *data_plane;	/* for the log and IV_PLAT-independent notes */
};

struct engine;

/* NULL with a reason in err (bad key files, TLS setup). */
struct engine *engine_new(const struct engine_params *p, char *err, size_t errlen);
void engine_free(struct engine *e);

/* Feed one event.  Actions are queued; read them with engine_next_action(). */
void engine_handle(struct engine *e, const struct engine_event *ev);

/*
 * Take the next queued action; false when none is left.  Pointers in *a
 * stay valid until the next engine_handle() call.
 */
bool engine_next_action(struct engine *e, struct engine_action *a);

/* When the engine next needs EV_TICK (monotonic ms); UINT64_MAX: never. */
uint64_t engine_next_timeout(const struct engine *e);

/* Introspection for logs and tests. */
const char *engine_state_name(const struct engine *e);
bool engine_tunnel_up(const struct engine *e);
/*
 * Did the last EV_LINK_PACKET pass the wrapper and the session checks?
 * Only such a packet shows that the server is alive (ping-restart): junk
 * with the server's forged source address must not keep a dead tunnel up.
 */
bool engine_packet_accepted(const struct engine *e);

#endif
