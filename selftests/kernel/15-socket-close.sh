#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The socket belongs to userspace: when it is closed -- p2p-up killed with
# SIGKILL under a flood ping, or a peer-new whose socket dies with the
# process -- the peer is removed (PEER_DEL_NTF transport-disconnect), the
# device stays and can be deleted, and every object is freed.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
mod_load
topo_two
monitor_start a a
pair_up chacha20-poly1305 4
ping_ok a 10.99.0.2

ip netns exec a ping -f -w 30 10.99.0.2 >/dev/null 2>&1 &
flood=$!
PIDS+=($flood)
wait_until 20 counter_ge a mvpn0 vpn-tx-packets 300 || fail "the flood did not start"
p2p_stop a KILL
wait_until 10 grep -q 'peer-del dev=mvpn0 .* id=1 reason=transport-disconnect' "$TMP/mon-a.out" ||
	fail "no transport-disconnect notification: $(cat "$TMP/mon-a.out")"
kill "$flood" 2>/dev/null || true
show_line a mvpn0 '^  peers: 0' >/dev/null || fail "the peer survived its socket"
show_line a mvpn0 '^  carrier: off' >/dev/null || fail "carrier on without a peer"
wait_until 10 test "$(cat "$DEBUGFS/sockets")" = 1 || fail "a's socket attachment was not released"
ip -n a link del mvpn0 || fail "cannot delete the orphaned device"
[ "$(grep -c 'peer-del' "$TMP/mon-a.out")" = 1 ] || fail "the peer was notified twice"

# A peer whose socket was made by the requesting process: gone with it.
ip -n a link add mvpn1 type mvpn-dco
ip netns exec a "$MVPNCTL" peer-new mvpn1 --peer-id 5 --socket udp --bind 10.9.0.1:5555 \
	--remote 10.9.0.2:5555 || fail "peer-new with its own socket: $?"
wait_until 10 grep -q 'peer-del dev=mvpn1 .* id=5 reason=transport-disconnect' "$TMP/mon-a.out" ||
	fail "peer of a closed socket not removed: $(cat "$TMP/mon-a.out")"

# Deleting the device under a running p2p-up: teardown, then p2p-up's own
# cleanup finds no device and says so.
ip -n a link del mvpn1
p2p_stop b
assert_freed
