#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# mvpnd killed with SIGKILL: its socket closes, the module removes the peer
# and the device, nothing is leaked and the module unloads.
source "$(dirname "$0")/mvpndlib.sh"
net_setup
pki_make
kill_check() {
	local dev
	dev=$(dco_dev)
	kill -9 "$CLIENT_PID"
	wait "$CLIENT_PID" 2>/dev/null
	CLIENT_PID=""
	if ! wait_until 20 sh -c "! ip -n $NS_CLI link show $dev"; then
		NET_WHY="device $dev still exists after the daemon died"
		return 1
	elif ! wait_until 20 devices_are 0; then
		NET_WHY="$(live_devices) mvpn-dco devices still allocated"
		return 1
	fi
}
SERVER_DCO=1
WRAP=tls-crypt CIPHER=AES-256-GCM fresh_confs
dco_up_case "mvpnd on mvpn-dco: daemon killed, peer and device disappear" 60 kill_check
net_done
