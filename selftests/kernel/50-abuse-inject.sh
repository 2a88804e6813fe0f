#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Hostile datagrams at the module's port while real traffic flows.
#
#   netns a                                  netns b
#   +---------------------------+            +---------------------------+
#   | p2p-up mvpn0 10.99.0.1    |            | p2p-up mvpn0 10.99.0.2    |
#   |   key 0 (primary)         |  UDP 1194  |   key 0 (primary)         |
#   | iperf3 -c ---------------------------------> iperf3 -s              |
#   | inject ---- raw IPv4 -----+--- veth ---+-> key 1 (secondary) is   |
#   |  (sniffs va for templates)|            |   the injector's key      |
#   +---------------------------+            +---------------------------+
#
# build/tools/inject sends, from a's own address and port, a mix of random
# datagrams, random bytes behind a P_DATA_V2 opcode, mutations of real data
# packets it captured on va (bits flipped, truncated, extended, key id,
# packet id or tag replaced, spliced), exact replays of them, datagrams with
# a wrong UDP checksum, and authentic packets sealed with b's secondary key
# that carry junk, IPv4/IPv6-looking junk, the keepalive ping or a real
# ICMP echo request; some of them are large enough to arrive as IPv4
# fragments.  It prints how many of each it sent.
#
# Checks: iperf3 keeps running and moves data during the flood; each of
# the module's drop counters on b moves exactly as predicted for what was
# injected (minus what the veth itself dropped); real traffic adds no drop
# but a few replay-window ones (packets overtaken by more than the window
# while they waited for the crypto worker: at most 1%); the
# authentic ones were delivered (ping-rx, ICMP echo requests answered); the
# datagrams with a bad checksum never reached the module; the peer never
# floated; ping and a new iperf3 work afterwards; everything is freed.
#
# Fast form: 10 000 datagrams, AES-256-GCM.  Full (MVPN_ABUSE_FULL=1):
# 1 000 000 datagrams, spread over the three ciphers.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
source "$(dirname "$0")/abuselib.sh"
tools_built "$INJECT"
mod_load

# MVPN_INJECT_TOTAL: another size by hand (the fast and full forms: pick).
TOTAL=${MVPN_INJECT_TOTAL:-$(pick 10000 1000000)}
CIPHERS=$(pick "aes-256-gcm" "aes-128-gcm aes-256-gcm chacha20-poly1305")

DROP_COUNTERS="auth replay unknown_key malformed no_key"

inject_case() {
	local cipher=$1 count=$2 seed=$3 out
	topo_two
	pair_up "$cipher" 4
	keyfile "$TMP/key2"
	ip netns exec b "$MVPNCTL" key-new mvpn0 --peer-id 2 --slot secondary --key-id 1 \
		--cipher "$cipher" --key-file "$TMP/key2" --key-dir 1 || fail "key-new secondary on b"
	ping_ok a 10.99.0.2
	iperf_start flood b 10.99.0.2 a

	local d0 rx0 ping0 echo0 csum0 vdrop0 busy0 float0 reasm0 devdrop0 c
	declare -A c0
	for c in $DROP_COUNTERS; do c0[$c]=$(jcounter b mvpn0 "drop_$c"); done
	d0=$(drops b mvpn0)
	rx0=$(jcounter b mvpn0 vpn_rx_packets)
	ping0=$(jcounter b mvpn0 ping_rx)
	float0=$(jcounter b mvpn0 floats)
	echo0=$(snmp b Icmp InEchos)
	csum0=$(snmp b Udp InCsumErrors)
	vdrop0=$(( $(netstat_of a va tx_dropped) + $(netstat_of b vb rx_dropped) ))
	busy0=$(jcounter b mvpn0 drop_busy)
	reasm0=$(snmp b Ip ReasmFails)
	devdrop0=$(netstat_of b mvpn0 rx_dropped)
	[ "$d0" = 0 ] || fail "b counted $d0 drops before anything was injected"

	local t0=$SECONDS
	out=$(ip netns exec a "$INJECT" --from 10.9.0.1:1194 --to 10.9.0.2:1194 \
		--count "$count" --seed "$seed" --sniff va --templates 48 \
		--key-file "$TMP/key2" --key-dir 0 --key-id 1 --cipher "$cipher" --peer-id 1 \
		--echo 10.99.0.1,10.99.0.2 \
		--mix random=3,opcode=3,mutate=6,replay=1,authentic=2,badsum=1) ||
		fail "inject failed: $out"
	note "$cipher: $out ($((SECONDS - t0))s)"
	local sent data expect auth_ip auth_ping auth_echo badsum lost templates
	sent=$(kv sent "$out") data=$(kv data "$out") expect=$(kv expect_drops "$out")
	auth_ip=$(kv auth_ip "$out") auth_ping=$(kv auth_ping "$out")
	auth_echo=$(kv auth_echo "$out") badsum=$(kv badsum "$out") lost=$(kv lost "$out")
	templates=$(kv templates "$out")
	[ "$sent" = "$count" ] || fail "inject sent $sent datagrams, not $count"
	[ "$templates" -ge 1 ] || fail "no template was captured"
	[ "$data" -gt 0 ] && [ "$expect" -gt 0 ] || fail "nothing for the module to judge: $out"

	# The flood is over; what the veth dropped on the way cannot be counted
	# by reason, nor what b's IP layer failed to reassemble (fragments
	# evicted under the flood: ReasmFails, which counts per fragment, so
	# at least once per datagram lost), nor what the module dropped
	# because its RX crypto queue was full (drop_busy: it never judged
	# those packets, injected or real).
	local vdrop lo busy reasm
	busy=$(( $(jcounter b mvpn0 drop_busy) - busy0 ))
	reasm=$(( $(snmp b Ip ReasmFails) - reasm0 ))
	vdrop=$(( $(netstat_of a va tx_dropped) + $(netstat_of b vb rx_dropped) - vdrop0 + lost + busy + reasm ))
	lo=$((expect - vdrop))
	if ! wait_until 120 drops_ge b mvpn0 "$lo"; then
		local why="" w
		for c in $DROP_COUNTERS; do
			w=$(kv "expect_$c" "$out")
			why="$why $c $(( $(jcounter b mvpn0 "drop_$c") - c0[$c] ))/${w:-0}"
		done
		fail "b counted $(( $(drops b mvpn0) - d0 )) drops for $expect injected data packets" \
			"the module had to drop ($vdrop lost on the veth, in reassembly or to a full queue;" \
			"drop_busy $busy, ReasmFails $reasm);" \
			"by reason (counted/predicted):$why"
	fi
	iperf_alive flood || { tail -n 5 "$TMP/iperf-flood.out" >&2; fail "iperf3 died during the flood"; }

	local rx ping echo csum float gro
	rx=$(( $(jcounter b mvpn0 vpn_rx_packets) - rx0 ))
	# What the stack dropped after the module delivered it (the GRO cell's
	# backlog full): mvpn0's rx_dropped counts those and the module's own.
	gro=$(( $(netstat_of b mvpn0 rx_dropped) - devdrop0 - ($(drops b mvpn0) - d0) - busy ))
	ping=$(( $(jcounter b mvpn0 ping_rx) - ping0 ))
	echo=$(( $(snmp b Icmp InEchos) - echo0 ))
	csum=$(( $(snmp b Udp InCsumErrors) - csum0 ))
	float=$(( $(jcounter b mvpn0 floats) - float0 ))
	iperf_stop flood
	# Real traffic may lose a few packets to the replay window when a
	# packet waited in cryptd behind the flood while more than a window's
	# worth overtook it (the window works as designed); it may lose none to
	# anything else.
	local d=$(( $(drops b mvpn0) - d0 )) by="" want BAD="" real slack extra=0
	real=$((rx - auth_ip))
	slack=$((real / 100 > 10 ? real / 100 : 10))
	for c in $DROP_COUNTERS; do
		local n=$(( $(jcounter b mvpn0 "drop_$c") - c0[$c] )) hi
		want=$(kv "expect_$c" "$out")
		want=${want:-0}
		by="$by $c $n/$want"
		hi=$want
		if [ "$c" = replay ]; then
			hi=$((want + slack))
			[ "$n" -le "$want" ] || extra=$((n - want))
		fi
		[ "$n" -le "$hi" ] && [ "$n" -ge $((want - vdrop)) ] || BAD="$BAD drop_$c=$n (want $want)"
	done
	note "$cipher: drops $d (expected $expect, lost before the module $vdrop: busy $busy," \
		"ReasmFails $reasm):$by; dropped after it $gro;" \
		"real packets delivered $real (replay-dropped $extra); authentic delivered $auth_ip," \
		"pings $ping/$auth_ping, echo requests $echo/$auth_echo, bad checksums $csum/$badsum"
	[ -z "${BAD:-}" ] || fail "drop counters do not match what was injected:$BAD"
	[ "$d" -le $((expect + slack)) ] ||
		fail "b counted $d drops for $expect injected: real traffic was dropped"
	[ "$d" -ge "$lo" ] || fail "b counted $d drops for $expect injected"
	[ "$ping" -le "$auth_ping" ] && [ "$ping" -ge $((auth_ping - vdrop)) ] ||
		fail "ping-rx moved by $ping for $auth_ping authentic pings"
	[ "$echo" -ge $((auth_echo - vdrop - gro)) ] ||
		fail "only $echo of $auth_echo authentic ICMP echo requests reached b's stack"
	[ "$csum" -ge $((badsum - vdrop)) ] && [ "$csum" -le "$badsum" ] ||
		fail "UDP counted $csum checksum errors for $badsum injected"
	[ "$real" -ge 100 ] || fail "only $real real packets crossed the tunnel during the flood"
	[ "$float" = 0 ] || fail "the peer floated $float times"
	show_line b mvpn0 'remote: 10.9.0.1:1194' >/dev/null ||
		fail "b's remote moved: $(show_line b mvpn0 remote:)"

	# Real traffic still works, both ways.
	ping_ok a 10.99.0.2
	ping_ok b 10.99.0.1
	ip netns exec b iperf3 -s -1 -B 10.99.0.2 >"$TMP/iperf-s2.out" 2>&1 &
	PIDS+=($!)
	wait_until 20 listening b 5201 || fail "iperf3 server did not restart"
	ip netns exec a iperf3 -c 10.99.0.2 -t 2 -f m >"$TMP/iperf2.out" 2>&1 ||
		{ cat "$TMP/iperf2.out" >&2; fail "iperf3 after the flood failed"; }
	pair_down
	ip -n a link show mvpn0 >/dev/null 2>&1 && fail "p2p-up a did not delete its device"
	ip -n b link show mvpn0 >/dev/null 2>&1 && fail "p2p-up b did not delete its device"
	true
}

n=0
set -- $CIPHERS
for c in "$@"; do
	n=$((n + 1))
	run_case "inject $((TOTAL / $#)) datagrams, $c" inject_case "$c" $((TOTAL / $#)) "$n"
done
cases_done
