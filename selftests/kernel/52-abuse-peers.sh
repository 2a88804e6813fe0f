#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Peers deleted and added in a loop while iperf3 runs.
#
#   netns a                                  netns b
#   +---------------------------+            +---------------------------+
#   | mvpn0 10.99.0.1/24        |  UDP 1194  | mvpn0 10.99.0.2/24        |
#   | va 10.9.0.1 --------------+--- veth ---+ vb 10.9.0.2               |
#   | iperf3 -c, ping ----------------------------> iperf3 -s           |
#   | reader                    |            | reader                    |
#   +---------------------------+            +---------------------------+
#          \_______ nlstress churn: the control plane of both ends _______/
#
# nlstress churn plays both ends: their UDP sockets, peers and keys.  In
# each round each side (in a different order from the other) either deletes
# and re-adds its peer, replaces it with a new one (P2P), closes its socket
# (the module deletes the peer) and starts over on a new socket, or rekeys
# (secondary, swap, delete the old key) -- always with a new key id and new
# key material -- and then waits until traffic crossed the new state in
# both directions.  Meanwhile iperf3 and a ping run through the tunnel and
# a reader on each side dumps the peer and its keys in a loop.
#
# Checks: every request is accepted; traffic resumes after every round;
# every peer deletion is notified exactly once with the right reason
# (counted by nlstress per side and reason); the iperf3 connection
# survives; the readers never see an error; once the devices are deleted
# every object is freed.
#
# Fast form: 40 rounds.  Full (MVPN_ABUSE_FULL=1): 1000 rounds, each cipher.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
source "$(dirname "$0")/abuselib.sh"
tools_built "$NLSTRESS"

ROUNDS=$(pick 40 1000)
CIPHERS=$(pick "chacha20-poly1305" "aes-128-gcm aes-256-gcm chacha20-poly1305")

churn_case() {
	local cipher=$1 ns
	mod_load
	topo_two
	ip -n a link add mvpn0 type mvpn-dco
	ip -n b link add mvpn0 type mvpn-dco
	ip -n a addr add 10.99.0.1/24 dev mvpn0
	ip -n b addr add 10.99.0.2/24 dev mvpn0
	ip -n a link set mvpn0 up
	ip -n b link set mvpn0 up

	"$NLSTRESS" churn --count "$ROUNDS" --cipher "$cipher" --min-rx 3 --timeout 60 --wait-go \
		--a a,mvpn0,10.9.0.1:1194,10.9.0.2:1194 \
		--b b,mvpn0,10.9.0.2:1194,10.9.0.1:1194 >"$TMP/churn.out" 2>&1 &
	local churn=$!
	PIDS+=($churn)
	wait_until 30 grep -q '^ready$' "$TMP/churn.out" ||
		{ cat "$TMP/churn.out" >&2; fail "nlstress churn did not bring the link up"; }
	ping_ok a 10.99.0.2

	ip netns exec a ping -q -i 0.05 10.99.0.2 >"$TMP/ping.out" 2>&1 &
	PIDS+=($!)
	iperf_start churn b 10.99.0.2 a
	declare -A READER
	for ns in a b; do
		ip netns exec "$ns" "$NLSTRESS" reader --dev mvpn0 >"$TMP/reader-$ns.out" 2>&1 &
		READER[$ns]=$!
		PIDS+=($!)
	done

	local t0=$SECONDS
	kill -USR1 "$churn"
	wait "$churn" || fail "churn: $(tail -n 3 "$TMP/churn.out")"
	note "$cipher: $(tail -n 1 "$TMP/churn.out") ($((SECONDS - t0))s)"
	iperf_alive churn || { tail -n 5 "$TMP/iperf-churn.out" >&2; fail "iperf3 died during the churn"; }
	for ns in a b; do
		kill -TERM "${READER[$ns]}"
		wait "${READER[$ns]}" || fail "reader in $ns: $(cat "$TMP/reader-$ns.out")"
	done
	note "$cipher: readers: a $(cat "$TMP/reader-a.out"); b $(cat "$TMP/reader-b.out")"
	iperf_stop churn

	# nlstress deleted its peers and closed its sockets; the devices remain.
	wait_until 20 objects_are 2 0 0 0 ||
		fail "after the churn: $(objects_now) (want devices=2 peers=0 keys=0 sockets=0)"
	ip -n a link del mvpn0
	ip -n b link del mvpn0
}

for c in $CIPHERS; do
	run_case "$ROUNDS rounds of peer churn under iperf3, $c" churn_case "$c"
done
cases_done
