#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The server is killed with SIGKILL: the module expires the peer after
# ping-restart (PEER_DEL_NTF expired), mvpnd restarts, and reconnects when
# the server returns.
source "$(dirname "$0")/mvpndlib.sh"
net_setup
pki_make
count_at_least() { [ "$(grep -c "$2" "$3")" -ge "$1" ]; }
expire_check() {
	local rc=0 dev
	kill -9 "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=""
	ns_kill_all "$NS_SRV"
	# A killed OpenVPN leaves its ovpn-dco device behind, and that keeps
	# answering keepalives in the kernel; a dead server machine does not.
	for dev in $(srv_dco_devs); do
		ip -n "$NS_SRV" link del "$dev"
	done
	if ! wait_until 40 grep -q 'mvpn-dco: peer deleted (expired)' "$CLIENT_LOG"; then
		NET_WHY="no 'expired' notification from the module"
		return 1
	fi
	start_server "$SERVER_CONF" || rc=1
	if ! wait_until 90 count_at_least 2 'Initialization Sequence Completed' "$CLIENT_LOG"; then
		NET_WHY="no reconnect after the server came back"
		rc=1
	elif ! on_dco || ! ping_through "$SRV_TUN4" 30; then
		rc=1
	fi
	return $rc
}
SERVER_DCO=1
WRAP=tls-crypt CIPHER=AES-256-GCM SERVER_EXTRA="keepalive 2 8" fresh_confs
dco_up_case "mvpnd on mvpn-dco: server killed, peer expires, client reconnects" 60 expire_check
net_done
