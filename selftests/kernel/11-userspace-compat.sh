#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Byte compatibility with an independent implementation: namespace a runs
# the module (`mvpnctl p2p-up`), namespace b the userspace data plane on tun
# (`mvpnctl p2p-up --userspace`: OpenSSL EVP, no module).  For each cipher
# pings go both ways, to IPv4 and IPv6 inner addresses, and the keepalive
# pings of each side are recognised by the other.  One cipher also runs
# over outer IPv6.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
mod_load
modprobe tun
topo_two
keyfile "$TMP/key"

# user_counter NAME FIELD: from the userspace side's SIGUSR1 report.
user_counter() {
	local before
	local n
	n=$(grep -c 'counters:' "$TMP/b.out" || true)
	kill -USR1 "${P2P_PID[b]}"
	wait_until 10 reports_more "$n" || fail "the userspace peer did not report its counters"
	grep 'counters:' "$TMP/b.out" | tail -n1 | sed -n "s/.* $2 \([0-9]*\).*/\1/p"
}
reports_more() { [ "$(grep -c 'counters:' "$TMP/b.out")" -gt "$1" ]; }
user_counter_ge() { [ "$(user_counter b "$1")" -ge "$2" ]; }

run_case() {
	local cipher=$1 outer=$2 la=10.9.0.1:1194 lb=10.9.0.2:1194
	if [ "$outer" = 6 ]; then la='[fd09::1]:1194' lb='[fd09::2]:1194'; fi
	note "$cipher, module <-> userspace, outer IPv$outer"
	p2p_start a a --dev mvpn0 --local "$la" --remote "$lb" --peer-id 7 --cipher "$cipher" \
		--key-file "$TMP/key" --key-dir 0 --vpn-addr 10.99.0.1/24 --vpn-addr fd99::1/64 \
		--keepalive 1,30
	p2p_start b b --userspace --dev tun0 --local "$lb" --remote "$la" --peer-id 9 \
		--cipher "$cipher" --key-file "$TMP/key" --key-dir 1 --vpn-addr 10.99.0.2/24 \
		--vpn-addr fd99::2/64 --keepalive 1,30
	ip -n b link show tun0 >/dev/null || fail "the userspace peer has no tun0"
	ping_ok a 10.99.0.2
	ping_ok b 10.99.0.1
	ping_ok a fd99::2
	ping_ok b fd99::1
	# Keepalive pings, encrypted by one implementation, consumed by the other.
	wait_until 20 counter_ge a mvpn0 ping-rx 1 ||
		fail "the module never recognised a ping from the userspace peer"
	wait_until 20 user_counter_ge ping-rx 1 ||
		fail "the userspace peer never recognised a ping from the module"
	[ "$(counter a mvpn0 drop-auth)" = 0 ] || fail "module: authentication failures"
	[ "$(user_counter b drop-auth)" = 0 ] || fail "userspace: authentication failures"
	[ "$(user_counter b vpn-rx-packets)" -ge 10 ] || fail "userspace: too few packets"
	p2p_stop a
	p2p_stop b
	grep -q 'exit:' "$TMP/b.out" || fail "the userspace peer did not exit cleanly"
	assert_freed
}

for cipher in aes-128-gcm aes-256-gcm chacha20-poly1305; do
	run_case "$cipher" 4
done
run_case aes-256-gcm 6
