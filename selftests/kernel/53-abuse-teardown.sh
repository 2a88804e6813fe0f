#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Everything that can end a link, pulled while traffic flows, each in its
# own case.
#
#   netns a                                  netns b
#   +---------------------------+            +---------------------------+
#   | p2p-up mvpn0 10.99.0.1    |  UDP 1194  | p2p-up mvpn0 10.99.0.2    |
#   | iperf3 -c --bidir (full) --------------------> iperf3 -s           |
#   |                           +--- veth ---+ ping -i 0.002 10.99.0.1   |
#   +---------------------------+            +---------------------------+
#
# Cases:
#  - the socket closed: p2p-up in a killed with SIGKILL.  The peer is deleted
#    (one PEER_DEL_NTF, transport-disconnect), the device stays with its
#    carrier off and can be deleted.
#  - the device deleted (ip link del) under p2p-up: one PEER_DEL_NTF
#    (teardown), the socket is released by the module (data packets reach
#    it as plain datagrams), p2p-up still exits on SIGTERM.
#  - the device's namespace deleted: a's device is moved to a namespace c
#    that no process holds, b floods it, c is deleted: the device, its peer
#    and its hold on a's socket are gone while p2p-up in a still has the
#    socket open.
#  - the whole namespace deleted: every process in a killed, then a deleted
#    while b floods it.
#  - rmmod: must either fail (EBUSY) and change nothing, or succeed and
#    remove every device, leaving the still-open sockets as plain UDP
#    sockets (a flood of data packets at them is then harmless); the
#    module loads again and carries traffic.
# After each case: objects freed, kernel log clean.
#
# Fast form: a ping every 2 ms from b is the traffic.  Full
# (MVPN_ABUSE_FULL=1): iperf3 in both directions as well.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
source "$(dirname "$0")/abuselib.sh"
tools_built "$INJECT"

CIPHER=chacha20-poly1305

# traffic_up: the pair, a fast ping from b to a (and in the full form
# iperf3 both ways).
traffic_up() {
	mod_load
	topo_two
	pair_up "$CIPHER" 4
	ping_ok a 10.99.0.2
	[ "$FULL" = 0 ] || iperf_start td b 10.99.0.2 a --bidir
	ip netns exec b ping -q -i 0.002 10.99.0.1 >"$TMP/ping-b.out" 2>&1 &
	PING_B=$!
	PIDS+=($PING_B)
	wait_until 20 jcounter_ge a mvpn0 vpn_rx_packets 300 || fail "traffic did not start"
}

# traffic_down: stop iperf3 (if any) and the ping.
traffic_down() {
	[ "$FULL" = 0 ] || iperf_stop td
	kill "$PING_B" 2>/dev/null || true
}

# ntf_count NAME REGEX: notification lines of monitor NAME matching REGEX.
ntf_count() { grep -c -E "$2" "$TMP/mon-$1.out" || true; }

case_socket_closed() {
	traffic_up
	monitor_start a a
	p2p_stop a KILL
	wait_until 20 grep -q 'peer-del dev=mvpn0 .* id=1 reason=transport-disconnect' "$TMP/mon-a.out" ||
		fail "no transport-disconnect notification: $(cat "$TMP/mon-a.out")"
	show_line a mvpn0 '^  peers: 0' >/dev/null || fail "the peer survived its socket"
	show_line a mvpn0 '^  carrier: off' >/dev/null || fail "the carrier is on without a peer"
	# b keeps sending to the closed port for a while: nothing may come of it.
	local rx
	rx=$(jcounter b mvpn0 link_tx_packets)
	wait_until 20 jcounter_ge b mvpn0 link_tx_packets $((rx + 200)) || fail "b stopped sending"
	ip -n a link del mvpn0 || fail "cannot delete the orphaned device"
	[ "$(ntf_count a 'peer-del')" = 1 ] || fail "peer deletions notified: $(cat "$TMP/mon-a.out")"
	traffic_down
	p2p_stop b
}

case_device_deleted() {
	traffic_up
	monitor_start a a
	ip -n a link del mvpn0 || fail "ip link del under traffic"
	wait_until 20 grep -q 'peer-del dev=mvpn0 .* id=1 reason=teardown' "$TMP/mon-a.out" ||
		fail "no teardown notification: $(cat "$TMP/mon-a.out")"
	# Only b's socket is still attached to the module.
	wait_until 20 test "$(cat "$DEBUGFS/sockets")" = 1 ||
		fail "a's socket is still held by the module ($(cat "$DEBUGFS/sockets") attached)"
	kill -0 "${P2P_PID[a]}" || fail "p2p-up a died with its device"
	# b's data packets now reach a's socket, which p2p-up reads as junk.
	local rx
	rx=$(jcounter b mvpn0 link_tx_packets)
	wait_until 20 jcounter_ge b mvpn0 link_tx_packets $((rx + 200)) || fail "b stopped sending"
	[ "$(ntf_count a 'peer-del')" = 1 ] || fail "peer deletions notified: $(cat "$TMP/mon-a.out")"
	kill -TERM "${P2P_PID[a]}"
	wait_until 20 sh -c "! kill -0 ${P2P_PID[a]} 2>/dev/null" || fail "p2p-up a ignores SIGTERM"
	traffic_down
	p2p_stop b
}

case_device_netns_deleted() {
	traffic_up
	[ "$FULL" = 0 ] || iperf_stop td	# b's ping flood goes on
	# The device moves to c (its addresses do not move with it); the
	# socket stays in a, held by p2p-up.
	netns_new c
	ip -n a link set mvpn0 netns c || fail "move mvpn0 to c"
	ip -n c addr add 10.99.0.1/24 dev mvpn0
	ip -n c link set mvpn0 up
	ping_ok b 10.99.0.1
	local rx
	rx=$(jcounter c mvpn0 vpn_rx_packets)
	wait_until 20 jcounter_ge c mvpn0 vpn_rx_packets $((rx + 200)) || fail "b's flood does not reach c"
	[ -z "$(ip netns pids c)" ] || fail "a process lives in c: $(ip netns pids c)"
	ip netns del c
	wait_until 30 devices_are 1 || fail "the device in c outlived its namespace ($(live_devices) devices)"
	wait_until 20 test "$(cat "$DEBUGFS/sockets")" = 1 ||
		fail "a's socket is still held by the module ($(cat "$DEBUGFS/sockets") attached)"
	kill -0 "${P2P_PID[a]}" || fail "p2p-up a died with its device"
	rx=$(jcounter b mvpn0 link_tx_packets)
	wait_until 20 jcounter_ge b mvpn0 link_tx_packets $((rx + 200)) || fail "b stopped sending"
	p2p_stop a
	p2p_stop b
}

case_netns_deleted() {
	traffic_up
	[ "$FULL" = 0 ] || iperf_stop td	# b's ping flood goes on
	local p
	for p in $(ip netns pids a); do kill -9 "$p" 2>/dev/null || true; done
	wait_until 20 sh -c '[ -z "$(ip netns pids a)" ]' || fail "processes survive in a: $(ip netns pids a)"
	ip netns del a
	wait_until 30 devices_are 1 || fail "a's device outlived its namespace ($(live_devices) devices)"
	wait_until 20 test "$(cat "$DEBUGFS/sockets")" = 1 ||
		fail "a's socket outlived its namespace ($(cat "$DEBUGFS/sockets") attached)"
	# b's peer is still there and sends into the void.
	show_line b mvpn0 '^  peers: 1' >/dev/null || fail "b lost its peer"
	p2p_stop b
}

case_rmmod() {
	traffic_up
	local out rc=0
	out=$(rmmod mvpn_dco 2>&1) || rc=$?
	if [ "$rc" != 0 ]; then
		note "rmmod under traffic refused: $out"
		grep -qiE 'in use|busy' <<<"$out" || fail "rmmod failed, but not with EBUSY: $out"
		mod_loaded || fail "rmmod failed, yet the module is gone"
		show_line a mvpn0 '^  carrier: on' >/dev/null || fail "a failed rmmod changed a's device"
		traffic_down
		pair_down
		return 0
	fi
	note "rmmod under traffic succeeded"
	mod_loaded && fail "rmmod succeeded, yet the module is loaded"
	ip -n a link show mvpn0 >/dev/null 2>&1 && fail "a's device survived rmmod"
	ip -n b link show mvpn0 >/dev/null 2>&1 && fail "b's device survived rmmod"
	# p2p-up still holds both sockets: data packets at them must be plain
	# datagrams for userspace now (nothing of the module may be attached).
	kill -0 "${P2P_PID[a]}" && kill -0 "${P2P_PID[b]}" || fail "p2p-up died with the module"
	out=$(ip netns exec b "$INJECT" --from 10.9.0.2:1194 --to 10.9.0.1:1194 --count 3000 \
		--mix opcode=1,random=1) || fail "inject after rmmod: $out"
	note "after rmmod: $out"
	traffic_down
	pair_down
	# The module comes back and works.
	mod_load
	objects_freed || fail "a fresh module counts objects: $(objects_now)"
	pair_up "$CIPHER" 4
	ping_ok a 10.99.0.2
	pair_down
}

run_case "socket closed (kill -9 p2p-up) under traffic" case_socket_closed
run_case "device deleted under traffic" case_device_deleted
run_case "device's namespace deleted under traffic" case_device_netns_deleted
run_case "namespace of device and socket deleted under traffic" case_netns_deleted
run_case "rmmod under traffic" case_rmmod
cases_done
