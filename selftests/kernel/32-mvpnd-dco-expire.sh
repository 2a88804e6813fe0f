#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The server is killed with SIGKILL: the module expires the peer after
# ping-restart (PEER_DEL_NTF expired), mvpnd restarts, and reconnects when
# the server returns.
source "$(dirname "$0")/mvpndlib.sh"
net_setup
pki_make
name="mvpnd on mvpn-dco: server killed, peer expires, client reconnects"
good=1
count_at_least() { [ "$(grep -c "$2" "$3")" -ge "$1" ]; }
SERVER_DCO=1 WRAP=tls-crypt CIPHER=AES-256-GCM SERVER_EXTRA="keepalive 2 8" fresh_confs
if start_server && { start_client; wait_client_up 60; } && on_dco && ping_through; then
	kill -9 "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=""
	ns_kill_all "$NS_SRV"
	if ! wait_until 40 grep -q 'mvpn-dco: peer deleted (expired)' "$CLIENT_LOG"; then
		NET_WHY="no 'expired' notification from the module"
		good=0
	else
		start_server "$SERVER_CONF" || good=0
		if ! wait_until 90 count_at_least 2 'Initialization Sequence Completed' "$CLIENT_LOG"; then
			NET_WHY="no reconnect after the server came back"
			good=0
		elif ! on_dco || ! ping_through "$SRV_TUN4" 30; then
			good=0
		fi
	fi
else
	good=0
fi
stop_client
stop_server
if [ $good = 1 ]; then ok "$name"; else not_ok "$name" "$SERVER_LOG" "$CLIENT_LOG"; fi
net_done
