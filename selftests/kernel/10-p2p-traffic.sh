#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Two namespaces, both on `mvpnctl p2p-up` (topology in p2plib.sh): for each
# cipher, over outer IPv4 and outer IPv6, ping through the tunnel to the
# peer's inner IPv4 and IPv6 addresses; iperf3 for 3 s; the counters and
# the carrier say what happened; everything is freed afterwards.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
mod_load
topo_two

for cipher in aes-128-gcm aes-256-gcm chacha20-poly1305; do
	for outer in 4 6; do
		note "$cipher over outer IPv$outer"
		pair_up "$cipher" "$outer"
		show_line a mvpn0 '^  carrier: on' >/dev/null || fail "carrier is not on with a peer and a key"
		ping_ok a 10.99.0.2
		ping_ok a fd99::2
		ping_ok b 10.99.0.1
		ping_ok b fd99::1
		if [ "$outer" = 4 ]; then
			ip netns exec b iperf3 -s -1 -B 10.99.0.2 >"$TMP/iperf-s.out" 2>&1 &
			PIDS+=($!)
			wait_until 10 listening b 5201 || fail "iperf3 server did not start"
			ip netns exec a iperf3 -c 10.99.0.2 -t 3 -f m >"$TMP/iperf.out" 2>&1 ||
				{ cat "$TMP/iperf.out" >&2; fail "iperf3 through $cipher failed"; }
			note "iperf3 $cipher: $(grep -E 'receiver' "$TMP/iperf.out" | awk '{print $7, $8}')"
		fi
		rx=$(counter b mvpn0 vpn-rx-packets)
		tx=$(counter a mvpn0 vpn-tx-packets)
		[ "$rx" -ge 10 ] || fail "b counted only $rx received tunnel packets"
		[ "$tx" -ge 10 ] || fail "a counted only $tx sent tunnel packets"
		for c in drop-auth drop-replay drop-unknown-key drop-no-key; do
			[ "$(counter b mvpn0 $c)" = 0 ] || fail "b: $c is $(counter b mvpn0 $c) on a clean link"
		done
		show_line a mvpn0 "key primary: id 0, ${cipher^^}" >/dev/null ||
			fail "show does not report the cipher: $(show_line a mvpn0 'key primary')"
		ip netns exec a "$MVPNCTL" show --json | python3 -c '
import json, sys
d = json.load(sys.stdin)["interfaces"][0]
p = d["peers"][0]
assert d["name"] == "mvpn0" and d["carrier"] and p["id"] == 1, d
assert p["keys"]["primary"]["cipher"] == sys.argv[1].upper() and p["keys"]["secondary"] is None, p
assert p["counters"]["vpn_tx_packets"] >= 10 and p["counters"]["drop_auth"] == 0, p
' "$cipher" || fail "show --json is wrong or not JSON"
		pair_down
		ip -n a link show mvpn0 >/dev/null 2>&1 && fail "p2p-up did not delete its device on SIGTERM"
		assert_freed
	done
done
