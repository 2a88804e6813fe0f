#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Hostile datagrams at a running link: a captured data packet sent again
# (from another port) is dropped as a replay and does not move the peer; a
# packet with one bit flipped (ciphertext, tag, packet id, peer id) fails
# authentication; an unknown key id, a truncated packet and "no key" are
# each counted; 100000 random datagrams move the counters and break
# nothing: pings still work and the peer did not float.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
mod_load
topo_two
pair_up aes-256-gcm 4
ping_ok a 10.99.0.2
INJECT="python3 $(dirname "$0")/udpinject.py"

# Capture one P_DATA_V2 packet a -> b of at least 60 bytes (a ping).
ip netns exec b tcpdump -i vb -Q in -U -c 1 -w "$TMP/cap.pcap" \
	'src host 10.9.0.1 and udp dst port 1194 and udp[8] & 0xf8 = 0x48 and udp[4:2] > 60' >"$TMP/tcpdump.out" 2>&1 &
cap=$!
PIDS+=($cap)
wait_until 10 grep -q 'listening on' "$TMP/tcpdump.out" || fail "tcpdump did not start"
ip netns exec a ping -c 1 -W 2 10.99.0.2 >/dev/null || fail "ping a -> b"
wait_until 10 sh -c "! kill -0 $cap 2>/dev/null" || fail "nothing captured"
pkt=$($INJECT payload "$TMP/cap.pcap") || fail "cannot read the capture"
note "captured ${#pkt} hex digits: ${pkt:0:24}..."
[ "${pkt:0:8}" = 48000001 ] || fail "the capture is not a key-0 P_DATA_V2 packet from peer 1: ${pkt:0:8}"

# expect_delta NAME DELTA CMD...: CMD makes counter NAME on b grow by
# exactly DELTA (each injected packet is counted once: a drop counted is a
# packet not delivered).  DELTA "+1": at least one (others may count too).
expect_delta() {
	local name=$1 want=$2 delta=${2#+} before
	shift 2
	before=$(counter b mvpn0 "$name")
	"$@" || fail "$*"
	wait_until 10 counter_ge b mvpn0 "$name" $((before + delta)) ||
		fail "$name did not grow by $delta after: $*"
	[ "$want" != "$delta" ] || [ "$(counter b mvpn0 "$name")" = $((before + delta)) ] ||
		fail "$name grew by $(( $(counter b mvpn0 "$name") - before )), not $delta"
}

send() { ip netns exec a $INJECT send --to 10.9.0.2:1194 --from 10.9.0.1:40000 "$@"; }

expect_delta drop-replay 1 send "$pkt"
expect_delta drop-replay 1 send "$pkt"
expect_delta drop-auth 1 send --flip $((${#pkt} / 2 - 1)):0 "$pkt"	# last ciphertext byte
expect_delta drop-auth 1 send --flip 10:7 "$pkt"			# inside the tag
expect_delta drop-auth 1 send --flip 7:0 "$pkt"				# packet id (AAD)
expect_delta drop-auth 1 send --flip 3:0 "$pkt"				# peer id (AAD)
expect_delta drop-unknown-key 1 send --flip 0:0 "$pkt"			# key id 1
expect_delta drop-malformed 1 send --truncate 20 "$pkt"
expect_delta drop-malformed 1 send --truncate 24 "$pkt"			# header and tag only
[ "$(counter b mvpn0 floats)" = 0 ] || fail "a replayed or forged packet moved the peer"
show_line b mvpn0 'remote: 10.9.0.1:1194' >/dev/null ||
	fail "the remote changed: $(show_line b mvpn0 remote:)"

# 100 000 random datagrams.
before=$(( $(counter b mvpn0 drop-auth) + $(counter b mvpn0 drop-unknown-key) +
	   $(counter b mvpn0 drop-malformed) ))
start=$(date +%s)
ip netns exec a $INJECT flood --to 10.9.0.2:1194 --count 100000 --seed 3 || fail "flood"
note "100000 random datagrams sent in $(( $(date +%s) - start ))s"
# The flood is sent; let the receive side finish with what is queued.
settled() {
	local n
	n=$(counter b mvpn0 link-rx-packets)
	sleep 1
	[ "$(counter b mvpn0 link-rx-packets)" = "$n" ]
}
wait_until 60 settled || fail "the receive side never settled"
after=$(( $(counter b mvpn0 drop-auth) + $(counter b mvpn0 drop-unknown-key) +
	  $(counter b mvpn0 drop-malformed) ))
note "drops counted for them: $((after - before)); $(show_line b mvpn0 drop-auth:)," \
	"$(show_line b mvpn0 drop-unknown-key:), $(show_line b mvpn0 drop-malformed:)"
[ $((after - before)) -ge 1000 ] || fail "only $((after - before)) of the random datagrams were counted"
[ "$(counter b mvpn0 floats)" = 0 ] || fail "random datagrams moved the peer"
ping_ok a 10.99.0.2
ping_ok b 10.99.0.1

# No key at all.
ip netns exec b "$MVPNCTL" key-del mvpn0 --peer-id 2 --slot primary || fail "key-del"
wait_until 10 show_line b mvpn0 '^  carrier: off' || fail "carrier still on without a key"
# (a keeps sending, so its own packets count as well)
expect_delta drop-no-key +1 send "$pkt"
pair_down
assert_freed
