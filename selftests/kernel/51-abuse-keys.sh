#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Keys swapped thousands of times under traffic.
#
#   netns a                                  netns b
#   +---------------------------+            +---------------------------+
#   | p2p-up mvpn0 10.99.0.1    |  UDP 1194  | p2p-up mvpn0 10.99.0.2    |
#   |  key 0 primary, key 1 sec.+--- veth ---+  key 0 primary, key 1 sec.|
#   |  iperf3 --bidir ---------------------------> iperf3 -s             |
#   |  nlstress swap, reader    |            |  nlstress swap, reader    |
#   +---------------------------+            +---------------------------+
#
# Both ends hold the same two keys (ids 0 and 1), so whichever is primary
# on either side, the other side can decrypt it.  nlstress swaps primary and
# secondary on both sides at once, as fast as netlink goes, while iperf3
# runs in both directions and a reader on each side dumps the peer and reads
# both key slots in a loop.
#
# Checks: every KEY_SWAP is accepted; iperf3 keeps running and data crosses
# the tunnel both ways during the swaps; no packet is dropped for
# authentication, replay, unknown key, missing key or malformation (a
# swap is atomic for readers); both keys carried traffic; after an even
# number of swaps key 0 is primary again; the readers never saw an error;
# ping works afterwards; everything is freed.
#
# Fast form: 2000 swaps per side, AES-128-GCM.  Full (MVPN_ABUSE_FULL=1):
# 10 000 swaps per side, each cipher.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
source "$(dirname "$0")/abuselib.sh"
tools_built "$NLSTRESS"

SWAPS=$(pick 2000 10000)
CIPHERS=$(pick "aes-128-gcm" "aes-128-gcm aes-256-gcm chacha20-poly1305")

# key_tx_pktid NS DEV SLOT: the slot's last TX packet id (KEY_GET).
key_tx_pktid() {
	ip netns exec "$1" "$MVPNCTL" key-get "$2" --peer-id "$4" --slot "$3" |
		sed -n 's/.* tx-pktid \([0-9]*\)$/\1/p'
}

swap_case() {
	local cipher=$1 ns id
	mod_load
	topo_two
	pair_up "$cipher" 4
	keyfile "$TMP/key2"
	ip netns exec a "$MVPNCTL" key-new mvpn0 --peer-id 1 --slot secondary --key-id 1 \
		--cipher "$cipher" --key-file "$TMP/key2" --key-dir 0 || fail "key-new secondary on a"
	ip netns exec b "$MVPNCTL" key-new mvpn0 --peer-id 2 --slot secondary --key-id 1 \
		--cipher "$cipher" --key-file "$TMP/key2" --key-dir 1 || fail "key-new secondary on b"
	ping_ok a 10.99.0.2
	iperf_start keys b 10.99.0.2 a --bidir

	declare -A READER
	for ns in a b; do
		ip netns exec "$ns" "$NLSTRESS" reader --dev mvpn0 >"$TMP/reader-$ns.out" 2>&1 &
		READER[$ns]=$!
		PIDS+=($!)
	done
	local rxa0 rxb0
	rxa0=$(jcounter a mvpn0 vpn_rx_packets)
	rxb0=$(jcounter b mvpn0 vpn_rx_packets)

	local pa pb t0=$SECONDS
	ip netns exec a "$NLSTRESS" swap --dev mvpn0 --peer-id 1 --count "$SWAPS" >"$TMP/swap-a.out" 2>&1 &
	pa=$!
	ip netns exec b "$NLSTRESS" swap --dev mvpn0 --peer-id 2 --count "$SWAPS" >"$TMP/swap-b.out" 2>&1 &
	pb=$!
	PIDS+=($pa $pb)
	wait "$pa" || fail "swaps on a: $(cat "$TMP/swap-a.out")"
	wait "$pb" || fail "swaps on b: $(cat "$TMP/swap-b.out")"
	note "$cipher: a $(cat "$TMP/swap-a.out"); b $(cat "$TMP/swap-b.out") ($((SECONDS - t0))s)"

	for ns in a b; do
		kill -TERM "${READER[$ns]}"
		wait "${READER[$ns]}" || fail "reader in $ns: $(cat "$TMP/reader-$ns.out")"
	done
	note "$cipher: readers: a $(cat "$TMP/reader-a.out"); b $(cat "$TMP/reader-b.out")"
	iperf_alive keys || { tail -n 5 "$TMP/iperf-keys.out" >&2; fail "iperf3 died during the swaps"; }
	local rxa rxb
	rxa=$(( $(jcounter a mvpn0 vpn_rx_packets) - rxa0 ))
	rxb=$(( $(jcounter b mvpn0 vpn_rx_packets) - rxb0 ))
	note "$cipher: packets received during the swaps: a $rxa, b $rxb"
	[ "$rxa" -ge 50 ] && [ "$rxb" -ge 50 ] || fail "traffic stalled during the swaps (a $rxa, b $rxb)"
	iperf_stop keys

	for ns in a b; do
		for c in drop_auth drop_replay drop_unknown_key drop_no_key drop_malformed; do
			[ "$(jcounter "$ns" mvpn0 "$c")" = 0 ] ||
				fail "$ns: $c is $(jcounter "$ns" mvpn0 "$c") after swapping keys"
		done
		id=1
		[ "$ns" = b ] && id=2
		show_line "$ns" mvpn0 '^    key primary: id 0,' >/dev/null ||
			fail "$ns: after an even number of swaps key 0 is not primary: $(show_line "$ns" mvpn0 'key primary')"
		[ "$(key_tx_pktid "$ns" mvpn0 primary $id)" -gt 0 ] &&
			[ "$(key_tx_pktid "$ns" mvpn0 secondary $id)" -gt 0 ] ||
			fail "$ns: not both keys carried traffic: $(show_line "$ns" mvpn0 'key primary'), $(show_line "$ns" mvpn0 'key secondary')"
	done
	ping_ok a 10.99.0.2
	ping_ok b 10.99.0.1
	pair_down
}

for c in $CIPHERS; do
	run_case "$SWAPS key swaps per side under iperf3, $c" swap_case "$c"
done
cases_done
