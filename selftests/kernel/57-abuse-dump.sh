#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# A multi-peer (MP) device with 4096 peers on one UDP socket: PEER_GET
# dumps that restart many times, peers changing under a dump, MP netlink
# negatives, and real traffic to two of the peers.
#
#   netns b (client 1)              netns s (MP server)            netns c (client 2)
#   +----------------------+        +--------------------------+        +----------------------+
#   | p2p-up mvpn0 p2p     |        | mvpn0 mp 10.99.0.1/24    |        | p2p-up mvpn0 p2p     |
#   | 10.99.0.2/24, id 1   |        | mpdump: UDP *:1194,      |        | 10.99.0.3/24, id 2   |
#   |                      |        |   peers 1..4096 + keys   |        | lo 10.77.0.1         |
#   | vb 10.9.1.2 ---------+- veth -+ vs1 10.9.1.1  vs2 10.9.2.1 +- veth -+ vc 10.9.2.2          |
#   +----------------------+        | 10.77.0.0/24 via 10.99.0.3 |      +----------------------+
#                                   +--------------------------+
#
# mpdump (selftests/tools/mpdump.c) adds the peers (1 and 2 with the keys
# and addresses of the real clients), checks a dump read in many parts
# (every peer once, right attributes, keys), and a dump during which peers
# are deleted and added between its parts (none twice, every untouched one
# seen, NLM_F_DUMP_INTR), then holds the peers while this script checks:
#  - MP netlink negatives: duplicate id, duplicate VPN IPv4 / IPv6 (on
#    PEER_NEW and PEER_SET, which then changes nothing), no VPN address,
#    the undefined id 0xFFFFFF, the peer limit (debugfs mp_peers_max);
#    a peer on a second socket is fine and goes when its socket closes;
#  - traffic: each client pings the server (RX by peer id, TX by VPN
#    address), b pings c through the server, the server pings a network
#    behind c (TX by the route's gateway), a VPN address without a peer is
#    dropped (tx_dropped), a client with an unknown peer id is dropped
#    (rx_dropped), a client sending from another one's VPN address is
#    dropped after decryption (RPF, drop_source);
#  - mvpnctl show lists every peer.
# Then mpdump deletes half of the peers (PEER_DEL) and closes its socket
# (the rest): one PEER_DEL_NTF each with the right reason, an empty dump;
# every object freed, the kernel log clean, rmmod clean.
#
# Fast form: 4096 peers.  Full (MVPN_ABUSE_FULL=1): 16384.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
source "$(dirname "$0")/abuselib.sh"
MPDUMP=$TOOLS/mpdump
tools_built "$MPDUMP"

COUNT=$(pick 4096 16384)
# Peer ids no peer of the dump has, whatever COUNT: mpdump uses 1..COUNT and
# adds a few above during dump 2.
FREE_ID=$((0xFFFF00))
UNKNOWN_ID=$((0xFFFF01))
CIPHER=aes-256-gcm

# nsx NS CMD...: run in a namespace.
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# mpneg WANT ARGS...: `mvpnctl ARGS` in namespace s fails with WANT in its message.
mpneg() {
	local want=$1
	shift
	if ERR=$(nsx s "$MVPNCTL" "$@" 2>&1 </dev/null); then
		fail "accepted: mvpnctl $*"
	fi
	grep -qF -- "$want" <<<"$ERR" || fail "mvpnctl $*: expected '$want', got: $ERR"
}

# devstat NS FIELD: a statistics counter of mvpn0 in NS.
devstat() { netstat_of "$1" mvpn0 "$2"; }
devstat_gt() { [ "$(devstat "$1" "$2")" -gt "$3" ]; }

topo_three() {
	netns_new s
	netns_new b
	netns_new c
	ip link add vs1 netns s type veth peer name vb netns b
	ip link add vs2 netns s type veth peer name vc netns c
	ip -n s addr add 10.9.1.1/24 dev vs1
	ip -n s addr add 10.9.2.1/24 dev vs2
	ip -n b addr add 10.9.1.2/24 dev vb
	ip -n c addr add 10.9.2.2/24 dev vc
	ip -n s link set vs1 up
	ip -n s link set vs2 up
	ip -n b link set vb up
	ip -n c link set vc up
	nsx s sysctl -qw net.ipv4.ip_forward=1
}

mp_case() {
	mod_load
	topo_three
	nsx s "$MVPNCTL" dev-new mvpn0 --mode mp || fail "dev-new --mode mp"
	ip -n s addr add 10.99.0.1/24 dev mvpn0
	ip -n s link set mvpn0 up
	nsx s "$MVPNCTL" show mvpn0 | grep -q '^  mode: mp' || fail "show does not say mode mp"
	nsx s "$MVPNCTL" show mvpn0 | grep -q '^  carrier: on' || fail "an MP device's carrier is off"
	keyfile "$TMP/key1"
	keyfile "$TMP/key2"

	# not through nsx: $! must be mpdump itself (ip netns exec execs it) for the kill below
	ip netns exec s "$MPDUMP" --dev mvpn0 --bind 0.0.0.0:1194 --count "$COUNT" --cipher "$CIPHER" \
		--real "1,10.9.1.2:1194,10.99.0.2,$TMP/key1,0" \
		--real "2,10.9.2.2:1194,10.99.0.3,$TMP/key2,0" >"$TMP/mpdump.out" 2>&1 &
	local mpdump=$!
	PIDS+=($mpdump)
	# ready, or dead (then its reason is in its output)
	mpdump_up() { grep -q '^ready$' "$TMP/mpdump.out" || ! kill -0 "$mpdump" 2>/dev/null; }
	wait_until 600 mpdump_up
	grep -q '^ready$' "$TMP/mpdump.out" ||
		{ cat "$TMP/mpdump.out" >&2; fail "mpdump did not get ready"; }
	grep '^# ' "$TMP/mpdump.out" || true
	local summary
	summary=$(grep '^peers=' "$TMP/mpdump.out")
	note "mpdump: $summary"
	[ "$(kv parts "$summary")" -gt 1 ] || fail "the dump came in one part"
	local peers=$((COUNT - $(kv deleted "$summary") + $(kv added "$summary")))
	[ "$(cat "$DEBUGFS/peers")" = "$peers" ] ||
		fail "debugfs counts $(cat "$DEBUGFS/peers") peers, want $peers"

	# -- negatives (each its own socket, closed when mvpnctl exits) --
	local new="peer-new mvpn0 --socket udp --bind 10.9.1.1:0 --remote 10.9.1.2:5000"
	mpneg 'a peer with this ID exists' $new --peer-id 5 --vpn-ip 10.200.0.1
	mpneg 'VPN_IPV4 is the address of another peer' $new --peer-id $FREE_ID --vpn-ip 10.99.0.2
	mpneg 'VPN_IPV6 is the address of another peer' $new --peer-id $FREE_ID --vpn-ip fd57::3
	mpneg 'needs VPN_IPV4 or VPN_IPV6' $new --peer-id $FREE_ID
	mpneg "means 'no peer id'" $new --peer-id 16777215 --vpn-ip 10.200.0.1
	echo 1 >"$DEBUGFS/mp_peers_max"
	mpneg 'the most peers it takes' $new --peer-id $FREE_ID --vpn-ip 10.200.0.1
	echo 65536 >"$DEBUGFS/mp_peers_max"
	mpneg 'VPN_IPV4 is the address of another peer' peer-set mvpn0 --peer-id 3 \
		--vpn-ip 10.99.0.2
	mpneg 'VPN_IPV6 is the address of another peer' peer-set mvpn0 --peer-id 3 \
		--vpn-ip 10.200.0.3,fd57::1
	# moved away and back: the table follows (mpdump checks every address at the end)
	nsx s "$MVPNCTL" peer-set mvpn0 --peer-id 3 --vpn-ip 10.200.0.3,fd57:1::3 ||
		fail "peer-set to free addresses"
	nsx s "$MVPNCTL" peer-set mvpn0 --peer-id 5 --vpn-ip 10.200.0.3 >/dev/null 2>&1 &&
		fail "peer 5 took the address peer 3 moved to"
	nsx s "$MVPNCTL" peer-set mvpn0 --peer-id 3 --vpn-ip 10.128.0.3,fd57::3 ||
		fail "peer-set back to its own addresses"
	# the address peer 3 left is free again: a peer on another socket takes it
	nsx s "$MVPNCTL" $new --peer-id $FREE_ID --vpn-ip 10.200.0.3 ||
		fail "a peer on a second socket of the MP device"
	wait_until 10 objects_are 1 "$peers" "$peers" 1 ||
		fail "after the negatives: $(objects_now) (want devices=1 peers=$peers keys=$peers sockets=1)"

	# -- traffic --
	p2p_start b b --dev mvpn0 --local 10.9.1.2:1194 --remote 10.9.1.1:1194 --peer-id 1 \
		--cipher "$CIPHER" --key-file "$TMP/key1" --key-dir 1 --vpn-addr 10.99.0.2/24
	p2p_start c c --dev mvpn0 --local 10.9.2.2:1194 --remote 10.9.2.1:1194 --peer-id 2 \
		--cipher "$CIPHER" --key-file "$TMP/key2" --key-dir 1 --vpn-addr 10.99.0.3/24
	ping_ok b 10.99.0.1
	ping_ok c 10.99.0.1
	ping_ok b 10.99.0.3
	ip -n c addr add 10.77.0.1/32 dev lo
	ip -n s route add 10.77.0.0/24 via 10.99.0.3 dev mvpn0
	ping_ok s 10.77.0.1
	note "traffic: b and c reach the server and each other, the server reaches 10.77.0.1 behind c"

	local txd rxd
	txd=$(devstat s tx_dropped)
	nsx s ping -c 2 -i 0.2 -W 1 10.99.0.200 >/dev/null 2>&1 && fail "a ping to no peer was answered"
	wait_until 10 devstat_gt s tx_dropped "$txd" || fail "a packet to no peer was not counted as dropped"

	# b speaks with c's VPN address: the server's RPF check drops it (peer 1's drop_source)
	ip -n b addr add 10.99.0.3/32 dev lo
	ip netns exec b ping -c 2 -i 0.2 -W 1 -I 10.99.0.3 10.99.0.1 >/dev/null 2>&1 &&
		fail "a ping from another peer's address was answered"
	ip -n b addr del 10.99.0.3/32 dev lo

	nsx s "$MVPNCTL" show mvpn0 --json >"$TMP/show.json" || fail "show --json of $peers peers failed"
	python3 - "$TMP/show.json" "$peers" <<'PY' || fail "show --json of the MP device is wrong"
import json, sys
d = json.load(open(sys.argv[1]))["interfaces"][0]
want = int(sys.argv[2])
ps = {p["id"]: p for p in d["peers"]}
assert len(d["peers"]) == want == len(ps), (len(d["peers"]), want)
for i in (1, 2):
    c = ps[i]["counters"]
    assert c["vpn_rx_packets"] >= 3 and c["vpn_tx_packets"] >= 3, (i, c)
    assert c["drop_auth"] == 0 and c["drop_replay"] == 0, (i, c)
    assert ps[i]["keys"]["primary"]["cipher"] == "AES-256-GCM", ps[i]
assert ps[1]["counters"]["drop_source"] >= 2, ps[1]["counters"]
assert ps[3]["counters"]["link_rx_packets"] == 0, ps[3]
PY
	note "show: all $peers peers, peers 1 and 2 carried traffic, b's packets from c's address dropped"

	# client c under an id the server does not have: dropped at the door
	p2p_stop c
	p2p_start c2 c --dev mvpn0 --local 10.9.2.2:1194 --remote 10.9.2.1:1194 --peer-id $UNKNOWN_ID \
		--cipher "$CIPHER" --key-file "$TMP/key2" --key-dir 1 --vpn-addr 10.99.0.3/24
	rxd=$(devstat s rx_dropped)
	nsx c ping -c 2 -i 0.2 -W 1 10.99.0.1 >/dev/null 2>&1 && fail "a client with an unknown id got answers"
	wait_until 10 devstat_gt s rx_dropped "$rxd" || fail "packets of an unknown peer id were not dropped"
	p2p_stop c2
	p2p_stop b
	note "a VPN address without a peer: tx_dropped; an unknown peer id: rx_dropped"

	# -- teardown by mpdump: PEER_DEL half, close the socket --
	kill -TERM "$mpdump"
	wait "$mpdump" || { tail -n 5 "$TMP/mpdump.out" >&2; fail "mpdump teardown failed"; }
	grep '^# teardown' "$TMP/mpdump.out" || true
	wait_until 30 objects_are 1 0 0 0 || fail "after the teardown: $(objects_now)"
	ip -n s link del mvpn0
}

run_case "MP device, $COUNT peers: dumps in parts, churn, negatives, traffic" mp_case
mod_unload
cases_done
