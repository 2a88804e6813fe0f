/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dataplane.h: the userspace data plane core -- what mvpn-dco does in the
 * kernel, for a tun device: OpenVPN 2.6 data packets with AEAD
 * (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305 through OpenSSL EVP), two key
 * slots, packet ids and the replay window (the module's own kmod/pktid.c
 * and kmod/proto.h), the keepalive ping, counters.
 *
 * Pure: it owns no descriptor, reads no clock and no RNG.  The caller's
 * event loop reads a packet from tun or the socket, calls
 * mvpn_dp_encrypt() or mvpn_dp_decrypt() with the current time, and writes
 * the result wherever it belongs.  Keepalive timing, float and reacting to
 * key exhaustion are the caller's decisions; this core only reports what
 * it saw (events, return codes, mvpn_dp_rx_meta).
 *
 * Typical use:
 *
 *	struct mvpn_dp_config cfg = { .data_v2 = true, .tx_peer_id = id };
 *	struct mvpn_dp *dp;
 *	if (mvpn_dp_new(&dp, &cfg)) ...
 *	mvpn_dp_key_set(dp, MVPN_DP_PRIMARY, &key, now);
 *	n = mvpn_dp_encrypt(dp, ip, iplen, pkt, sizeof(pkt), &ev);  -> sendto
 *	r = mvpn_dp_decrypt(dp, pkt, n, now, ip, sizeof(ip), &iplen, &meta);
 *	    r == MVPN_DP_RX_DATA -> write ip to tun; r == MVPN_DP_RX_PING -> nothing
 *	    r == -EPROTONOSUPPORT -> a control packet: the control channel's
 *	mvpn_dp_free(dp);
 *
 * Not thread-safe: one struct mvpn_dp is used by one thread at a time.
 * Key material is wiped when a key is replaced, deleted, or freed.
 */
#ifndef MVPN_DATAPLANE_H
#define MVPN_DATAPLANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mvpn_dp_cipher {
	MVPN_DP_CIPHER_NONE = 0,	/* never valid for a key */
	MVPN_DP_AES_128_GCM,
	MVPN_DP_AES_256_GCM,
	MVPN_DP_CHACHA20_POLY1305,
};

enum mvpn_dp_slot {
	MVPN_DP_PRIMARY = 0,	/* TX uses it; RX too when the key id matches */
	MVPN_DP_SECONDARY = 1,	/* RX only (the new key before a swap, or the lame duck) */
};

#define MVPN_DP_KEY_MAX		32	/* bytes of one cipher key field */
#define MVPN_DP_NONCE_TAIL	8	/* bytes of one implicit IV */
#define MVPN_DP_OVERHEAD_MAX	24	/* P_DATA_V2: 4 + 4 + 16 */

/* One direction of a key: the cipher key (first 16 or 32 bytes used) and
 * the 8-byte nonce tail ("implicit IV"). */
struct mvpn_dp_keydir {
	uint8_t key[MVPN_DP_KEY_MAX];
	uint8_t nonce_tail[MVPN_DP_NONCE_TAIL];
};

/* A data-channel key as the control channel derived it (§7 of the docs). */
struct mvpn_dp_key {
	uint8_t key_id;			/* 0..7 */
	enum mvpn_dp_cipher cipher;
	struct mvpn_dp_keydir encrypt;	/* what we send with */
	struct mvpn_dp_keydir decrypt;	/* what the peer sends with */
};

#define MVPN_DP_REPLAY_WINDOW_DEFAULT	2048
#define MVPN_DP_REPLAY_TIME_DEFAULT	15
#define MVPN_DP_REPLAY_TIME_NONE	UINT32_MAX

struct mvpn_dp_config {
	bool data_v2;		/* send P_DATA_V2 with tx_peer_id (else P_DATA_V1) */
	uint32_t tx_peer_id;	/* 0..0xFFFFFF, the id written into P_DATA_V2 */
	uint32_t replay_window;	/* packets, 1..65536; 0 = default 2048 */
	uint32_t replay_time;	/* seconds; 0 = default 15; MVPN_DP_REPLAY_TIME_NONE = off */
	/*
	 * false (the default): a decrypted payload that is neither the ping
	 * nor an IPv4/IPv6 packet is dropped and counted as malformed.
	 * true: it is returned as MVPN_DP_RX_DATA for the caller to unframe
	 * (compression framing, OCC messages).
	 */
	bool accept_any_payload;
};

/* Counters, all monotonic.  Bytes are inner (vpn) or UDP payload (link). */
struct mvpn_dp_stats {
	uint64_t vpn_rx_packets, vpn_rx_bytes;
	uint64_t vpn_tx_packets, vpn_tx_bytes;
	uint64_t link_rx_packets, link_rx_bytes;	/* data packets received */
	uint64_t link_tx_packets, link_tx_bytes;	/* data packets produced */
	uint64_t drop_auth;		/* tag did not verify */
	uint64_t drop_replay;		/* replayed, too old, below the time floor, id 0 */
	uint64_t drop_unknown_key;	/* no slot holds the packet's key id */
	uint64_t drop_malformed;	/* too short, or not IP inside */
	uint64_t drop_no_key;		/* no key installed at all */
	uint64_t tx_drops;		/* packets not encrypted (no key, ids exhausted) */
	uint64_t ping_rx, ping_tx;
};

/* What an authenticated received packet said (optional output). */
struct mvpn_dp_rx_meta {
	uint8_t opcode;			/* 6 (P_DATA_V1) or 9 (P_DATA_V2) */
	uint8_t key_id;
	enum mvpn_dp_slot slot;		/* the slot that decrypted it */
	uint32_t peer_id;		/* 0xFFFFFF for P_DATA_V1 */
	uint32_t pktid;
};

/* Events reported by the encrypt functions (bit mask). */
#define MVPN_DP_EV_KEY_LOW	0x1	/* TX ids reached 0xFF000000: renegotiate now */
#define MVPN_DP_EV_KEY_EXHAUSTED 0x2	/* TX ids ran out: the primary key stopped sending */

/* Results of mvpn_dp_decrypt() (errors are negative errno values). */
#define MVPN_DP_RX_DATA		1	/* out holds the inner packet */
#define MVPN_DP_RX_PING		2	/* a keepalive ping: consumed, nothing to deliver */

struct mvpn_dp;

/* Cipher names in OpenVPN's spelling, case-insensitive ("AES-256-GCM"). */
enum mvpn_dp_cipher mvpn_dp_cipher_from_name(const char *name);
const char *mvpn_dp_cipher_name(enum mvpn_dp_cipher cipher);	/* "AES-256-GCM" or NULL */
size_t mvpn_dp_cipher_key_len(enum mvpn_dp_cipher cipher);	/* 16, 32, or 0 */

/*
 * Create a data plane.  Returns 0, -EINVAL (bad config: tx_peer_id >
 * 0xFFFFFF, replay_window > 65536) or -ENOMEM.
 */
int mvpn_dp_new(struct mvpn_dp **dp, const struct mvpn_dp_config *cfg);
void mvpn_dp_free(struct mvpn_dp *dp);

/*
 * Install a key in a slot, replacing (and wiping) what was there.  The
 * OpenSSL contexts are created here, once, and reused for every packet.
 * TX ids of the new key start at 1, its replay window is empty (its time
 * floor starts at now, seconds).  Returns 0; -EINVAL for a bad cipher or
 * key_id > 7; -EEXIST when the other slot already holds key_id; -EIO when
 * OpenSSL refuses (the slot is then empty).
 */
int mvpn_dp_key_set(struct mvpn_dp *dp, enum mvpn_dp_slot slot,
		    const struct mvpn_dp_key *key, uint64_t now);
/* Primary and secondary change places (either may be empty). */
void mvpn_dp_key_swap(struct mvpn_dp *dp);
/* Empty a slot (wiping the key). */
void mvpn_dp_key_del(struct mvpn_dp *dp, enum mvpn_dp_slot slot);
/* Is the slot in use?  If so, its key id, cipher and last TX packet id. */
bool mvpn_dp_key_info(const struct mvpn_dp *dp, enum mvpn_dp_slot slot,
		      uint8_t *key_id, enum mvpn_dp_cipher *cipher, uint32_t *tx_pktid);

/*
 * Test hook: make the slot's next TX packet id last_sent + 1, so that
 * exhaustion can be tested without 2^32 packets.  Returns -ENOKEY when the
 * slot is empty.
 */
int mvpn_dp_key_set_tx_pktid(struct mvpn_dp *dp, enum mvpn_dp_slot slot, uint32_t last_sent);

/* Bytes a data packet adds to the inner packet (24 for V2, 21 for V1). */
size_t mvpn_dp_overhead(const struct mvpn_dp *dp);

/* Is this UDP payload a data packet (P_DATA_V1/V2)?  Else: control. */
bool mvpn_dp_is_data(const uint8_t *pkt, size_t len);

/*
 * Encrypt an inner packet with the primary key into out (outcap >= len +
 * mvpn_dp_overhead()).  *events (may be NULL) gets MVPN_DP_EV_* bits.
 * Returns the data packet's length, or: -EINVAL (len 0), -ENOBUFS (out too
 * small), -ENOKEY (no primary key), -ERANGE (the primary key's ids are
 * exhausted: nothing was produced), -EIO (OpenSSL failure).
 */
long mvpn_dp_encrypt(struct mvpn_dp *dp, const uint8_t *in, size_t len,
		     uint8_t *out, size_t outcap, unsigned int *events);

/*
 * The same for an inner packet in two parts, in || in2 (either may be
 * empty, not both): a segment's own headers and its payload in place.
 */
long mvpn_dp_encrypt2(struct mvpn_dp *dp, const uint8_t *in, size_t len,
		      const uint8_t *in2, size_t len2, uint8_t *out, size_t outcap,
		      unsigned int *events);

/* The keepalive ping as a data packet; same returns as mvpn_dp_encrypt(). */
long mvpn_dp_ping(struct mvpn_dp *dp, uint8_t *out, size_t outcap,
		  unsigned int *events);

/*
 * Decrypt and check a received UDP payload.  now: monotonic seconds (for
 * the replay time floor).  On MVPN_DP_RX_DATA the inner packet is in out
 * (*outlen bytes; outcap >= len is always enough); meta (may be NULL) is
 * filled for every authenticated packet.  Errors, each counted once:
 *   -EPROTONOSUPPORT  not a data packet (control channel's; not counted)
 *   -EINVAL           malformed: too short, or not IP inside  (drop_malformed)
 *   -ENOKEY           no key installed                        (drop_no_key)
 *   -ENOENT           no slot holds the packet's key id       (drop_unknown_key)
 *   -EBADMSG          authentication failed                   (drop_auth)
 *   -EALREADY, -ERANGE, -ETIME, -EPERM (id 0)
 *                     replayed / behind the window / below the
 *                     time floor / invalid id                 (drop_replay)
 *   -ENOBUFS          out too small (not counted)
 * A refused packet changes no state but its counter.
 */
int mvpn_dp_decrypt(struct mvpn_dp *dp, const uint8_t *pkt, size_t len,
		    uint64_t now, uint8_t *out, size_t outcap, size_t *outlen,
		    struct mvpn_dp_rx_meta *meta);

void mvpn_dp_get_stats(const struct mvpn_dp *dp, struct mvpn_dp_stats *st);

/* A short human-readable reason for a return code of this API. */
const char *mvpn_dp_strerror(int err);

#endif
