#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Keepalive: on an idle link each side pings the other every interval and
# the peers outlive the timeout; when one side dies, the other deletes its
# peer with reason "expired" within the timeout (PEER_DEL_NTF), and the
# carrier goes off.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
mod_load
topo_two
monitor_start a a
INTERVAL=1 TIMEOUT=5
# Keepalive is set once both ends are up (PEER_SET restarts the timeout):
# starting an end can take longer than the timeout on a slow kernel (the
# first crypto transform loads its modules), and a would expire b meanwhile.
pair_up aes-128-gcm 4
ip netns exec a "$MVPNCTL" peer-set mvpn0 --peer-id 1 --keepalive "$INTERVAL,$TIMEOUT" ||
	fail "peer-set --keepalive on a"
ip netns exec b "$MVPNCTL" peer-set mvpn0 --peer-id 2 --keepalive "$INTERVAL,$TIMEOUT" ||
	fail "peer-set --keepalive on b"
show_line a mvpn0 "keepalive: interval ${INTERVAL}s, timeout ${TIMEOUT}s" >/dev/null ||
	fail "keepalive not reported: $(show_line a mvpn0 keepalive) $(cat "$TMP/mon-a.out")"

# Idle, yet alive for longer than the timeout: pings keep it so.
wait_until 60 counter_ge b mvpn0 ping-rx $((TIMEOUT + 3)) ||
	fail "b received only $(counter b mvpn0 ping-rx) keepalive pings"
counter_ge a mvpn0 ping-rx 2 || fail "a received no keepalive pings"
grep -q 'peer-del' "$TMP/mon-a.out" && fail "a peer expired although pings flowed"
show_line a mvpn0 '^  peers: 1' >/dev/null || fail "a lost its peer"

# b goes away; a must notice within the timeout.
p2p_stop b
start=$(date +%s%N)
wait_until $((TIMEOUT + 20)) grep -q 'peer-del dev=mvpn0 .* id=1 reason=expired' "$TMP/mon-a.out" ||
	fail "no expiry notification: $(cat "$TMP/mon-a.out")"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
note "expired ${ms} ms after the peer died (timeout ${TIMEOUT}s)"
[ "$ms" -le $(( (TIMEOUT + 3) * 1000 )) ] || fail "expiry took ${ms} ms, timeout is ${TIMEOUT}s"
show_line a mvpn0 '^  peers: 0' >/dev/null || fail "the expired peer is still listed"
show_line a mvpn0 '^  carrier: off' >/dev/null || fail "carrier still on without a peer"
[ "$(grep -c 'peer-del' "$TMP/mon-a.out")" = 1 ] || fail "more than one deletion notified"
p2p_stop a
assert_freed
