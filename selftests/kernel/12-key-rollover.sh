#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Key rollover under a flood ping: key id 1 goes into both secondary slots,
# both sides swap, the old key is deleted; the flood loses no more than a
# handful of pings, and afterwards key 1 is primary with nothing else.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
mod_load
topo_two
pair_up aes-256-gcm 4
ping_ok a 10.99.0.2
keyfile "$TMP/key1"

key() { ip netns exec "$1" "$MVPNCTL" "${@:2}" || fail "mvpnctl ${*:2} in $1"; }

# The flood runs until the rollover is over (SIGINT makes ping print its
# summary): a fixed deadline ran out on slow (debug) kernels before the
# swap was done.
ip netns exec a ping -f -w 600 10.99.0.2 >"$TMP/flood.out" 2>&1 &
flood=$!
PIDS+=($flood)
wait_until 20 counter_ge a mvpn0 vpn-tx-packets 200 || fail "the flood did not start"

key a key-new mvpn0 --peer-id 1 --slot secondary --key-id 1 --cipher aes-256-gcm \
	--key-file "$TMP/key1" --key-dir 0
key b key-new mvpn0 --peer-id 2 --slot secondary --key-id 1 --cipher aes-256-gcm \
	--key-file "$TMP/key1" --key-dir 1
key a key-swap mvpn0 --peer-id 1
key b key-swap mvpn0 --peer-id 2
before=$(counter b mvpn0 vpn-rx-packets)
wait_until 20 counter_ge b mvpn0 vpn-rx-packets $((before + 200)) ||
	fail "traffic stopped after the swap"
key a key-del mvpn0 --peer-id 1 --slot secondary
key b key-del mvpn0 --peer-id 2 --slot secondary
before=$(counter b mvpn0 vpn-rx-packets)
wait_until 20 counter_ge b mvpn0 vpn-rx-packets $((before + 200)) ||
	fail "traffic stopped after the old key was deleted"
kill -INT "$flood" 2>/dev/null
wait "$flood" || true
note "$(grep 'packets transmitted' "$TMP/flood.out")"

sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$TMP/flood.out")
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$TMP/flood.out")
[ -n "$sent" ] && [ -n "$got" ] || fail "no ping summary: $(cat "$TMP/flood.out")"
[ "$sent" -ge 500 ] || fail "the flood sent only $sent pings"
[ $((sent - got)) -le 5 ] || fail "$((sent - got)) of $sent pings lost during the rollover"

for ns in a b; do
	show_line $ns mvpn0 'key primary: id 1, AES-256-GCM' >/dev/null ||
		fail "$ns: key 1 is not primary: $(show_line $ns mvpn0 'key primary')"
	show_line $ns mvpn0 'key secondary: none' >/dev/null || fail "$ns: the old key survived"
done
[ "$(cat "$DEBUGFS/keys")" = 2 ] || fail "expected 2 live keys, debugfs says $(cat "$DEBUGFS/keys")"
out=$(ip netns exec a "$MVPNCTL" key-get mvpn0 --peer-id 1 --slot primary)
[ "$(awk '{print $6}' <<<"$out")" -gt 100 ] || fail "key 1 barely used: $out"
pair_down
assert_freed
