#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Float: b's address changes (its socket is bound to the wildcard); its next
# authentic packet comes from the new address and a moves the peer there,
# announces it (PEER_FLOAT_NTF) and counts it; traffic continues both ways.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
mod_load
topo_two
monitor_start a a
keyfile "$TMP/key"
p2p_start a a --dev mvpn0 --local 10.9.0.1:1194 --remote 10.9.0.2:1194 --peer-id 1 \
	--cipher aes-256-gcm --key-file "$TMP/key" --key-dir 0 --vpn-addr 10.99.0.1/24
p2p_start b b --dev mvpn0 --local 0.0.0.0:1194 --remote 10.9.0.1:1194 --peer-id 2 \
	--cipher aes-256-gcm --key-file "$TMP/key" --key-dir 1 --vpn-addr 10.99.0.2/24
ping_ok a 10.99.0.2
[ "$(counter a mvpn0 floats)" = 0 ] || fail "floated before anything moved"

# (delete first: deleting a primary address would take its secondaries along)
ip -n b addr del 10.9.0.2/24 dev vb
ip -n b addr add 10.9.0.3/24 dev vb
ping_ok b 10.99.0.1
wait_until 10 grep -q 'peer-float dev=mvpn0 .* id=1 remote=10.9.0.3:1194' "$TMP/mon-a.out" ||
	fail "no float notification: $(cat "$TMP/mon-a.out")"
show_line a mvpn0 'remote: 10.9.0.3:1194' >/dev/null ||
	fail "the remote did not move: $(show_line a mvpn0 remote:)"
[ "$(counter a mvpn0 floats)" = 1 ] || fail "floats is $(counter a mvpn0 floats), not 1"
ping_ok a 10.99.0.2
[ "$(grep -c 'peer-float' "$TMP/mon-a.out")" = 1 ] || fail "floated more than once"
pair_down
assert_freed
