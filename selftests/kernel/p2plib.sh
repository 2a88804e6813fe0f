#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# p2plib.sh: helpers for the data-plane selftests (sourced after lib.sh).
#
# The topology every test starts from (topo_two):
#
#   netns a                                  netns b
#   +-------------------------+              +-------------------------+
#   | mvpn0 10.99.0.1/24      |              | mvpn0 10.99.0.2/24      |
#   |       fd99::1/64        |   UDP 1194   |       fd99::2/64        |
#   | va    10.9.0.1/24  -----+--- veth -----+ vb    10.9.0.2/24       |
#   |       fd09::1/64        |              |       fd09::2/64        |
#   +-------------------------+              +-------------------------+
#
# Each side runs `mvpnctl p2p-up` (or its --userspace twin) in the
# background; nothing leaves the two namespaces.

TMP=$(mktemp -d /tmp/mvpn-kt.XXXXXX)
PIDS=()

# cleanup: kill what the test started, delete the namespaces.
p2p_cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	ip -all netns delete 2>/dev/null || true
	rm -rf "$TMP"
}
trap p2p_cleanup EXIT

# topo_two: namespaces a and b joined by a veth, IPv4 and IPv6 on it.
topo_two() {
	netns_new a
	netns_new b
	ip link add va netns a type veth peer name vb netns b
	ip -n a addr add 10.9.0.1/24 dev va
	ip -n b addr add 10.9.0.2/24 dev vb
	ip -n a addr add fd09::1/64 dev va nodad
	ip -n b addr add fd09::2/64 dev vb nodad
	ip -n a link set va up
	ip -n b link set vb up
}

# keyfile PATH: 80 random bytes, base64, as p2p-up wants them.
keyfile() { head -c 80 /dev/urandom | base64 >"$1"; }

# p2p_start NAME NS ARGS...: run `mvpnctl p2p-up ARGS` in NS in the
# background, wait for "ready"; its pid is in P2P_PID[NAME], its output in
# $TMP/NAME.out.
declare -A P2P_PID
p2p_start() {
	local name=$1 ns=$2
	shift 2
	ip netns exec "$ns" "$MVPNCTL" p2p-up "$@" >"$TMP/$name.out" 2>&1 &
	P2P_PID[$name]=$!
	PIDS+=($!)
	if ! wait_until 30 grep -q '^ready$' "$TMP/$name.out"; then
		cat "$TMP/$name.out" >&2
		fail "p2p-up $name did not become ready"
	fi
}

# p2p_stop NAME [SIGNAL]: stop it and wait for it.
p2p_stop() {
	kill -"${2:-TERM}" "${P2P_PID[$1]}" 2>/dev/null || true
	wait "${P2P_PID[$1]}" 2>/dev/null || true
}

# pair NS_A_ARGS -- NS_B_ARGS...: the usual pair over outer IPv4 or IPv6.
#   pair CIPHER OUTER(4|6) [extra args for both]
pair_up() {
	local cipher=$1 outer=$2
	shift 2
	local la=10.9.0.1:1194 lb=10.9.0.2:1194
	if [ "$outer" = 6 ]; then la='[fd09::1]:1194' lb='[fd09::2]:1194'; fi
	keyfile "$TMP/key"
	p2p_start a a --dev mvpn0 --local "$la" --remote "$lb" --peer-id 1 --cipher "$cipher" \
		--key-file "$TMP/key" --key-dir 0 --vpn-addr 10.99.0.1/24 --vpn-addr fd99::1/64 "$@"
	p2p_start b b --dev mvpn0 --local "$lb" --remote "$la" --peer-id 2 --cipher "$cipher" \
		--key-file "$TMP/key" --key-dir 1 --vpn-addr 10.99.0.2/24 --vpn-addr fd99::2/64 "$@"
}

pair_down() {
	p2p_stop a
	p2p_stop b
}

# ping_ok NS ADDR [COUNT]: pings through the tunnel get answers (the
# first may be lost to neighbour discovery on a fresh link).
ping_ok() {
	local ns=$1 addr=$2 count=${3:-3}
	wait_until 20 ip netns exec "$ns" ping -c 1 -W 1 "$addr" ||
		fail "no answer from $addr in $ns"
	ip netns exec "$ns" ping -c "$count" -i 0.2 -W 2 "$addr" >/dev/null ||
		fail "pings from $ns to $addr were lost"
}

# listening NS PORT: a TCP server listens on PORT in NS.
listening() { ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q .; }

# counter NS DEV NAME: one counter from `mvpnctl show`.
counter() {
	ip netns exec "$1" "$MVPNCTL" show "$2" | awk -v n="$3:" '$1 == n { print $2; exit }'
}

# counter_ge NS DEV NAME MIN: the counter is at least MIN (for wait_until:
# a $(counter ...) argument would be evaluated once, not at every poll).
counter_ge() { [ "$(counter "$1" "$2" "$3")" -ge "$4" ]; }

# show_line NS DEV REGEX: the first line of `mvpnctl show` matching REGEX.
show_line() { ip netns exec "$1" "$MVPNCTL" show "$2" | grep -E -m1 "$3"; }

# monitor_start NAME NS: a notification listener, ready when it says so.
declare -A MON_PID
monitor_start() {
	ip netns exec "$2" "$MVPNCTL" monitor >"$TMP/mon-$1.out" 2>&1 &
	MON_PID[$1]=$!
	PIDS+=($!)
	wait_until 10 grep -q '^listening$' "$TMP/mon-$1.out" || fail "monitor $1 did not start"
}

# objects_freed: every device, peer, key and socket of the module is gone.
objects_freed() {
	local f
	for f in devices peers keys sockets; do
		[ "$(cat "$DEBUGFS/$f")" = 0 ] || return 1
	done
}

# assert_freed: after cleanup, wait for the RCU-deferred frees, then check.
assert_freed() {
	wait_until 20 objects_freed ||
		fail "objects leaked: $(for f in devices peers keys sockets; do echo -n "$f=$(cat "$DEBUGFS/$f") "; done)"
}
