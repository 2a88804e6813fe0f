#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# TX packet ids never wrap: KEY_SWAP_NTF goes out when the primary key's
# ids reach 0xFF000000 (renegotiate now), once; when they run out after
# 0xFFFFFFFF the key stops sending and KEY_SWAP_NTF goes out again.  The
# debugfs knob tx_pktid_start lets new keys start near the end instead of
# sending four billion packets.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
mod_load
topo_two
monitor_start a a
echo $((0xFEFFFFF0)) >"$DEBUGFS/tx_pktid_start"
pair_up aes-256-gcm 4
ping_ok a 10.99.0.2 20
wait_until 10 grep -q 'key-swap dev=mvpn0 .* peer=1 key-id=0' "$TMP/mon-a.out" ||
	fail "no KEY_SWAP_NTF at 0xFF000000: $(cat "$TMP/mon-a.out")"
ping_ok a 10.99.0.2 5
[ "$(grep -c 'key-swap' "$TMP/mon-a.out")" = 1 ] || fail "KEY_SWAP_NTF sent more than once"

# A new key that starts 8 ids before the end.
echo $((0xFFFFFFF7)) >"$DEBUGFS/tx_pktid_start"
keyfile "$TMP/key1"
for side in "a 1 0" "b 2 1"; do
	set -- $side
	ip netns exec "$1" "$MVPNCTL" key-new mvpn0 --peer-id "$2" --slot secondary --key-id 1 \
		--cipher aes-256-gcm --key-file "$TMP/key1" --key-dir "$3" || fail "key-new $1"
	ip netns exec "$1" "$MVPNCTL" key-swap mvpn0 --peer-id "$2" || fail "key-swap $1"
done
echo 0 >"$DEBUGFS/tx_pktid_start"
ip netns exec a ping -c 12 -i 0.2 -W 1 10.99.0.2 >"$TMP/ping.out" 2>&1 || true
note "$(grep 'packets transmitted' "$TMP/ping.out")"
wait_until 10 grep -q 'key-swap dev=mvpn0 .* peer=1 key-id=1' "$TMP/mon-a.out" ||
	fail "no KEY_SWAP_NTF at exhaustion: $(cat "$TMP/mon-a.out")"
out=$(ip netns exec a "$MVPNCTL" key-get mvpn0 --peer-id 1 --slot primary)
[ "$out" = "key-id 1 cipher AES-256-GCM tx-pktid 4294967295" ] || fail "key-get: $out"
counter_ge a mvpn0 tx-drops 1 || fail "nothing refused after exhaustion"
before=$(counter b mvpn0 vpn-rx-packets)
ip netns exec a ping -c 3 -i 0.2 -W 1 10.99.0.2 >/dev/null 2>&1 && fail "the exhausted key still sends"
[ "$(counter b mvpn0 vpn-rx-packets)" = "$before" ] || fail "packets left with an exhausted key"
[ "$(grep -c 'key-swap' "$TMP/mon-a.out")" = 2 ] || fail "expected exactly two KEY_SWAP_NTF"
pair_down
assert_freed
