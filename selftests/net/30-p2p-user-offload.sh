#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The userspace data plane's offloads (userspace/dpio.c, gso.c) against a
# peer without them: `mvpnctl p2p-up --userspace` in the server namespace
# (TSO super-packets from tun segmented here, UDP_SEGMENT, UDP_GRO,
# coalesced writes to tun), `p2p-up --userspace --no-offload` in the client
# namespace (one plain packet per read and write, so the client's kernel
# checks every IP and TCP checksum the server's segmentation produced).
#
#   netns $NS_SRV                               netns $NS_CLI
#   +-------------------------------+           +-------------------------------+
#   | p2p-up --userspace  (offload) |  tunnel   | p2p-up --userspace --no-offload|
#   | tun0: 10.99.0.1/24 fd99::1/64 |<--------->| tun0: 10.99.0.2/24 fd99::2/64 |
#   | vs0: 10.200.0.1 fd00:200::1   |   veth    | vc0: 10.200.0.2 fd00:200::2   |
#   +-------------------------------+           +-------------------------------+
#
# Per case, 8 MB of random bytes go each way over TCP; the receiver's
# SHA-256 must equal the sender's, the client's kernel must count no TCP
# checksum error, and the server's counters must show that segmentation
# and coalescing really happened (gso-packets, gro-packets > 0).
# Then mvpnd's userspace data plane (TSO from tun) against OpenVPN 2.6.
. "$(dirname "$0")/lib.sh"

MVPNCTL=$REPO/userspace/mvpnctl
[ -x "$MVPNCTL" ] || die "build first: no $MVPNCTL"
net_setup
head -c 80 /dev/urandom | base64 >"$TMP/p2p.key"
head -c 8000000 /dev/urandom >"$TMP/data"
SUM=$(sha256sum "$TMP/data" | cut -d' ' -f1)

# A TCP sink and source: "sink ADDR PORT" prints "BYTES SHA256" of what
# one connection delivered; "send ADDR PORT FILE" connects (retrying up to
# 20 s while the sink is not listening yet) and sends the file.
cat >"$TMP/tcpx.py" <<'PY'
import hashlib, socket, sys, time
mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
fam = socket.AF_INET6 if ':' in addr else socket.AF_INET
if mode == 'sink':
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    s.settimeout(60)
    c, _ = s.accept()
    c.settimeout(60)
    h, n = hashlib.sha256(), 0
    while True:
        d = c.recv(1 << 16)
        if not d:
            break
        h.update(d)
        n += len(d)
    print(n, h.hexdigest())
else:
    deadline = time.monotonic() + 20
    while True:
        try:
            c = socket.create_connection((addr, port), timeout=5)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    c.settimeout(60)
    with open(sys.argv[4], 'rb') as f:
        c.sendall(f.read())
    c.close()
PY

# counter PID FIELD: FIELD of the newest report of p2p-up PID (SIGUSR1).
counter() {
	local log=$1 pid=$2 field=$3 n
	n=$(grep -c 'counters:' "$log")
	kill -USR1 "$pid"
	wait_until 10 reports_more "$log" "$n" || return 1
	grep 'counters:' "$log" | tail -n1 | sed -n "s/.* $field \([0-9]*\).*/\1/p"
}
reports_more() { [ "$(grep -c 'counters:' "$1")" -gt "$2" ]; }

csum_errors() {
	ip netns exec "$1" awk '$1 == "Tcp:" && !h { for (i = 1; i <= NF; i++) col[$i] = i; h = 1; next }
		$1 == "Tcp:" { print $col["InCsumErrors"] }' /proc/net/snmp
}

# transfer FROM_NS TO_NS TO_ADDR PORT: 8 MB over TCP; the sink's checksum must match.
transfer() {
	local from=$1 to=$2 addr=$3 port=$4 out spid
	out=$TMP/sink.$port
	ip netns exec "$to" python3 "$TMP/tcpx.py" sink "$addr" "$port" >"$out" 2>&1 &
	spid=$!
	if ! timeout 90 ip netns exec "$from" python3 "$TMP/tcpx.py" send "$addr" "$port" "$TMP/data" \
		>"$TMP/send.$port" 2>&1; then
		kill "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null
		NET_WHY="sending to $addr failed: $(tail -n1 "$TMP/send.$port")"
		return 1
	fi
	wait "$spid"
	[ "$(cat "$out")" = "8000000 $SUM" ] ||
		{ NET_WHY="$addr received '$(cat "$out")', want '8000000 $SUM'"; return 1; }
}

run_case() {
	local cipher=$1 outer=$2 inner=$3 name ls=10.200.0.1:1194 lc=10.200.0.2:1194
	local a_s=10.99.0.1 a_c=10.99.0.2
	local e0 e1 v
	name="p2p-up --userspace offloads vs none, $cipher, outer IPv$outer, inner IPv$inner"
	[ "$outer" = 6 ] && ls='[fd00:200::1]:1194' lc='[fd00:200::2]:1194'
	[ "$inner" = 6 ] && a_s=fd99::1 a_c=fd99::2
	ip netns exec "$NS_SRV" "$MVPNCTL" p2p-up --userspace --dev tun0 --local "$ls" --remote "$lc" \
		--peer-id 1 --cipher "$cipher" --key-file "$TMP/p2p.key" --key-dir 0 \
		--vpn-addr 10.99.0.1/24 --vpn-addr fd99::1/64 --mtu 1420 >"$SERVER_LOG" 2>&1 &
	SERVER_PID=$!
	ip netns exec "$NS_CLI" "$MVPNCTL" p2p-up --userspace --no-offload --dev tun0 --local "$lc" \
		--remote "$ls" --peer-id 2 --cipher "$cipher" --key-file "$TMP/p2p.key" --key-dir 1 \
		--vpn-addr 10.99.0.2/24 --vpn-addr fd99::2/64 --mtu 1420 >"$CLIENT_LOG" 2>&1 &
	CLIENT_PID=$!
	e0=$(csum_errors "$NS_CLI")
	if ! wait_for_log "$SERVER_LOG" ready 20 "$SERVER_PID" ||
		! wait_for_log "$CLIENT_LOG" ready 20 "$CLIENT_PID"; then
		not_ok "$name" "$SERVER_LOG" "$CLIENT_LOG"
	elif ! grep -q 'offloads: tun TSO, UDP_SEGMENT on, UDP_GRO on' "$SERVER_LOG"; then
		NET_WHY="the offloading end runs without them: $(grep offloads "$SERVER_LOG")"
		not_ok "$name" "$SERVER_LOG"
	elif ! grep -q 'offloads: tun none, UDP_SEGMENT off, UDP_GRO off' "$CLIENT_LOG"; then
		NET_WHY="--no-offload did not take: $(grep offloads "$CLIENT_LOG")"
		not_ok "$name" "$CLIENT_LOG"
	elif ! wait_until 20 ip netns exec "$NS_CLI" ping -c 1 -W 1 "$a_s"; then
		NET_WHY="no ping through the tunnel"
		not_ok "$name" "$SERVER_LOG" "$CLIENT_LOG"
	elif ! transfer "$NS_SRV" "$NS_CLI" "$a_c" 5001; then
		not_ok "$name: segmented by the server" "$SERVER_LOG" "$CLIENT_LOG"
	elif ! transfer "$NS_CLI" "$NS_SRV" "$a_s" 5002; then
		not_ok "$name: coalesced by the server" "$SERVER_LOG" "$CLIENT_LOG"
	else
		e1=$(csum_errors "$NS_CLI")
		if [ -z "$e0" ] || [ "$e1" != "$e0" ]; then
			NET_WHY="TCP checksum errors in the client namespace: '$e0' -> '$e1'"
			not_ok "$name" "$SERVER_LOG"
		elif ! v=$(counter "$SERVER_LOG" "$SERVER_PID" gso-packets) || [ "${v:-0}" -lt 1 ]; then
			NET_WHY="the server segmented no super-packet (gso-packets '${v:-}')"
			not_ok "$name" "$SERVER_LOG"
		elif ! v=$(counter "$SERVER_LOG" "$SERVER_PID" gro-packets) || [ "${v:-0}" -lt 1 ]; then
			NET_WHY="the server coalesced nothing (gro-packets '${v:-}')"
			not_ok "$name" "$SERVER_LOG"
		elif ! v=$(counter "$SERVER_LOG" "$SERVER_PID" drop-auth) || [ "$v" != 0 ] ||
			! v=$(counter "$CLIENT_LOG" "$CLIENT_PID" drop-auth) || [ "$v" != 0 ]; then
			NET_WHY="authentication failures"
			not_ok "$name" "$SERVER_LOG" "$CLIENT_LOG"
		else
			ok "$name"
		fi
	fi
	stop_client
	stop_server
	grep -q 'exit:' "$SERVER_LOG" || { NET_WHY="no clean exit"; not_ok "$name: server exits" "$SERVER_LOG"; }
}

# mvpnd --dco off (TSO super-packets from tun, cut into segments before
# compression and sealing) as the client of OpenVPN 2.6 --disable-dco, whose
# kernel checks every segment; with and without compression framing.
mvpnd_case() {
	local name=$1 e0 e1
	pki_make
	rm -f "$SERVER_CONF" "$CLIENT_CONF"
	e0=$(csum_errors "$NS_SRV")
	if ! start_server; then
		not_ok "$name" "$SERVER_LOG"
	elif start_client && ! wait_client_up 30; then
		not_ok "$name" "$CLIENT_LOG"
	elif ! ping_through; then
		not_ok "$name" "$CLIENT_LOG"
	elif ! grep -q 'TSO from tun' "$CLIENT_LOG"; then
		NET_WHY="mvpnd did not get TSO on its tun device"
		not_ok "$name" "$CLIENT_LOG"
	elif ! transfer "$NS_CLI" "$NS_SRV" "$SRV_TUN4" 5003; then
		not_ok "$name: to the server" "$SERVER_LOG" "$CLIENT_LOG"
	elif ! transfer "$NS_SRV" "$NS_CLI" 10.8.0.2 5004; then
		not_ok "$name: from the server" "$SERVER_LOG" "$CLIENT_LOG"
	else
		e1=$(csum_errors "$NS_SRV")
		if [ -z "$e0" ] || [ "$e1" != "$e0" ]; then
			NET_WHY="TCP checksum errors in the server namespace: '$e0' -> '$e1'"
			not_ok "$name" "$CLIENT_LOG"
		else
			ok "$name"
		fi
	fi
	stop_client
	stop_server
}

run_case aes-256-gcm 4 4
run_case chacha20-poly1305 4 4
run_case aes-128-gcm 6 6
CLIENT_CMD="$REPO/userspace/mvpnd --dco off --verb 4 --config"
WRAP=tls-crypt CIPHER=AES-256-GCM mvpnd_case "mvpnd --dco off (TSO) vs OpenVPN 2.6, 8 MB each way"
WRAP=tls-crypt CIPHER=CHACHA20-POLY1305 SERVER_EXTRA=$'comp-lzo yes\nallow-compression yes' \
	CLIENT_EXTRA=$'comp-lzo yes\nallow-compression yes' \
	mvpnd_case "mvpnd --dco off (TSO) vs OpenVPN 2.6, comp-lzo, 8 MB each way"
net_done
