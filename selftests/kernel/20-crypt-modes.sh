#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The crypto scheduling modes (debugfs crypt_mode, README "How a packet
# moves") and the bound on the order queues (debugfs ordq_max):
# - for each mode and cipher, TCP through the tunnel both ways with no
#   authentication or replay drop: packets still leave in order when their
#   crypto ran on another CPU;
# - with ordq_max 1 under a UDP flood on the per-CPU workers, packets over
#   the bound are dropped and counted (tx-drops on the sender, drop-busy on
#   the receiver), and the link works again once the bound is back.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"

mod_load
topo_two
[ "$(cat "$DEBUGFS/ordq_max")" = 2048 ] || fail "ordq_max is $(cat "$DEBUGFS/ordq_max"), not 2048"
# The default: the workers when there is more than one CPU to run them on.
default_mode=$(cat "$DEBUGFS/crypt_mode")
want=$([ "$(nproc)" -gt 1 ] && echo 1 || echo 0)
[ "$default_mode" = "$want" ] || fail "crypt_mode is $default_mode by default on $(nproc) CPUs, not $want"

# Every test runs in the same boot: leave the defaults behind, whatever happens.
mode_defaults() {
	[ -w "$DEBUGFS/crypt_mode" ] || return 0
	echo "$default_mode" >"$DEBUGFS/crypt_mode"
	echo 2048 >"$DEBUGFS/ordq_max"
}
trap 'mode_defaults; p2p_cleanup' EXIT

# iperf_through FROM TO_ADDR SECONDS [iperf3 args]: one iperf3 run.
iperf_through() {
	local from=$1 to=$2 secs=$3 srv
	shift 3
	srv=$([ "$from" = a ] && echo b || echo a)
	ip netns exec "$srv" iperf3 -s -1 -B "$to" >"$TMP/iperf-s.out" 2>&1 &
	PIDS+=($!)
	wait_until 10 listening "$srv" 5201 || fail "iperf3 server did not start"
	ip netns exec "$from" iperf3 -c "$to" -t "$secs" -f m "$@" >"$TMP/iperf.out" 2>&1 ||
		{ cat "$TMP/iperf.out" >&2; fail "iperf3 $from -> $to $* failed"; }
	grep -E 'receiver' "$TMP/iperf.out" | tail -n1 | awk '{print $7, $8}'
}

# Each mode other than the default with the cipher(s) it changes something
# for (0: inline; 2: the crypto API's ChaCha20-Poly1305 instead of the
# library calls; 4: inline, posted on one CPU; 8: only RX on the workers;
# 16: decrypted packets CHECKSUM_UNNECESSARY; 32: RX posted through the
# GRO cells, pinned like TX, instead of the device's NAPI).
for run in 0:aes-256-gcm 0:chacha20-poly1305 3:chacha20-poly1305 4:aes-256-gcm \
	8:chacha20-poly1305 17:aes-256-gcm 32:chacha20-poly1305 33:aes-256-gcm; do
	mode=${run%%:*} cipher=${run#*:}
	echo "$mode" >"$DEBUGFS/crypt_mode"
	pair_up "$cipher" 4
	ping_ok a 10.99.0.2
	note "crypt_mode $mode $cipher: a->b $(iperf_through a 10.99.0.2 2)," \
		"b->a $(iperf_through b 10.99.0.1 2)"
	for ns in a b; do
		for c in drop-auth drop-replay drop-malformed drop-busy tx-drops; do
			[ "$(counter $ns mvpn0 $c)" = 0 ] ||
				fail "crypt_mode $mode $cipher: $ns: $c is $(counter $ns mvpn0 $c)"
		done
	done
	[ "$(counter b mvpn0 vpn-rx-packets)" -ge 1000 ] ||
		fail "crypt_mode $mode $cipher: b received only $(counter b mvpn0 vpn-rx-packets) packets"
	pair_down
	assert_freed
done

# The bound: one packet per order queue, crypto on the workers.
echo 1 >"$DEBUGFS/crypt_mode"
pair_up chacha20-poly1305 4
ping_ok a 10.99.0.2
echo 1 >"$DEBUGFS/ordq_max"
note "ordq_max 1, UDP flood: $(iperf_through a 10.99.0.2 3 -u -b 0 -l 1200)"
txd=$(counter a mvpn0 tx-drops)
busy=$(counter b mvpn0 drop-busy)
note "sender tx-drops $txd, receiver drop-busy $busy"
[ "$txd" -gt 0 ] || fail "no TX drop counted with ordq_max 1 under a flood"
[ "$busy" -gt 0 ] || fail "no drop-busy counted with ordq_max 1 under a flood"
for c in drop-auth drop-replay drop-malformed; do
	[ "$(counter b mvpn0 $c)" = 0 ] || fail "b: $c is $(counter b mvpn0 $c) (queue drops must not show there)"
done
ip netns exec a "$MVPNCTL" show --json | python3 -c '
import json, sys
p = json.load(sys.stdin)["interfaces"][0]["peers"][0]
assert p["counters"]["tx_drops"] > 0, p["counters"]
' || fail "show --json lacks the drops"
echo 2048 >"$DEBUGFS/ordq_max"
ping_ok a 10.99.0.2 5
note "bound restored: $(iperf_through a 10.99.0.2 2)"
pair_down
assert_freed
