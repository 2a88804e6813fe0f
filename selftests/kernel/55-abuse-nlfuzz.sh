#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Random generic netlink requests at a live link.
#
#   netns a: p2p-up mvpn0 (peer 1, key 0) + nlstress fuzz   netns b: p2p-up
#
# nlstress fuzz builds requests from the family's attribute tree: random
# commands (valid ones and beyond the last), the device's ifindex or
# random ones, random top-level and nested attributes of random types and
# lengths (u16/u32/u64/binary, numbers that are peer ids, key ids and
# slots, descriptors of every kind for SOCKET: UDP bound and not, UDPv6,
# UDP-Lite, TCP, raw, unix, /dev/null, epoll, stdin, not open), nests two
# deep.  Each request must be answered (ACK or an error); the socket must
# never be left without an answer.  It may well delete the peer or replace
# its keys: what is checked is that the module survives, answers `show`,
# still sets up a link afterwards, and frees everything.
#
# Fast form: 3000 requests.  Full (MVPN_ABUSE_FULL=1): 100 000.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
source "$(dirname "$0")/abuselib.sh"
tools_built "$NLSTRESS"

COUNT=$(pick 3000 100000)

fuzz_case() {
	local seed=$1 out
	mod_load
	topo_two
	pair_up aes-256-gcm 4
	ping_ok a 10.99.0.2
	ip netns exec b ping -q -i 0.01 10.99.0.1 >"$TMP/ping.out" 2>&1 &
	PIDS+=($!)
	out=$(ip netns exec a "$NLSTRESS" fuzz --dev mvpn0 --count "$COUNT" --seed "$seed" 2>&1) ||
		fail "fuzz: $out"
	note "seed $seed: $out"
	ip netns exec a "$MVPNCTL" show mvpn0 >/dev/null || fail "show after the fuzz"
	pair_down
	wait_until 30 objects_freed || fail "after the fuzz: $(objects_now)"
	# A new link still comes up and carries traffic.
	pair_up aes-256-gcm 4
	ping_ok a 10.99.0.2
	pair_down
}

run_case "$COUNT random netlink requests at a live link" fuzz_case 1
[ "$FULL" = 1 ] && run_case "$COUNT random netlink requests at a live link" fuzz_case 2
cases_done
