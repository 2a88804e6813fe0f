#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# mvpndlib.sh: mvpnd on mvpn-dco against OpenVPN 2.6 in the VM (sourced by
# the 3N-mvpnd-*.sh selftests).  The topology, PKI, configs and the case
# helpers are the native interop harness (selftests/net/lib.sh); this adds
# the modules and the checks that the data really went through mvpn-dco.
#
#   netns mvpn-srv-PID: openvpn 2.6            netns mvpn-cli-PID: mvpnd --dco on
#   (ovpn-dco with SERVER_DCO=1)               device tunN of kind mvpn-dco
#   vs0 10.200.0.1 ◄──────── veth ────────► vc0 10.200.0.2
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mod_load
modprobe tun 2>/dev/null || true
modprobe ovpn-dco-v2 2>/dev/null || insmod "/lib/modules/$(uname -r)/updates/dkms/ovpn-dco-v2.ko" ||
	fail "cannot load ovpn-dco-v2 (openvpn-dco-dkms)"
source "$REPO/selftests/net/lib.sh"
set +e

MVPND="$REPO/userspace/mvpnd --verb 4"
CLIENT_CMD="$MVPND --dco on --config"

# dco_dev: the device mvpnd put its data plane on (from its log).
dco_dev() { sed -n 's/.*Data plane: mvpn-dco kernel offload on \([^ ]*\).*/\1/p' "$CLIENT_LOG" | tail -n1; }

# counter NAME: a counter of the client's peer, from mvpnctl show --json.
counter() {
	in_cli "$MVPNCTL" show "$(dco_dev)" --json 2>/dev/null |
		python3 -c 'import json,sys
p=json.load(sys.stdin)["interfaces"][0]["peers"]
print(p[0]["counters"][sys.argv[1]] if p else -1)' "$1" 2>/dev/null || echo -1
}

# key_ids: "PRIMARY SECONDARY" key ids of the client's peer ("-" for none).
key_ids() {
	in_cli "$MVPNCTL" show "$(dco_dev)" --json 2>/dev/null |
		python3 -c 'import json,sys
p=json.load(sys.stdin)["interfaces"][0]["peers"][0]["keys"]
print(" ".join(str(p[s]["key_id"]) if p[s] else "-" for s in ("primary","secondary")))' 2>/dev/null
}

# on_dco: the client's tunnel device is of kind mvpn-dco.
on_dco() {
	local dev
	dev=$(dco_dev)
	[ -n "$dev" ] || { NET_WHY="mvpnd did not log an mvpn-dco data plane"; return 1; }
	in_cli ip -d link show "$dev" | grep -q 'mvpn-dco' ||
		{ NET_WHY="$dev is not of kind mvpn-dco"; return 1; }
	# and the server is what the test says it is
	if [ "${SERVER_DCO:-0}" = 1 ] && ! srv_dco_devs | grep -q .; then
		NET_WHY="SERVER_DCO=1 but the server has no ovpn-dco device"
		return 1
	fi
}

# srv_dco_devs: the server's ovpn-dco devices, one per line.
srv_dco_devs() {
	ip -n "$NS_SRV" -d -o link show 2>/dev/null |
		awk -F': ' '/ovpn-dco/ { sub(/@.*/, "", $2); print $2 }'
}

# iperf_through SECONDS: iperf3 client->server through the tunnel; prints
# "MBIT RECEIVED_BYTES" (what reached the server).  Fails when iperf3 fails.
iperf_through() {
	local out
	in_srv iperf3 -s -1 -D
	sleep 0.3
	out=$(in_cli iperf3 -c "$SRV_TUN4" -t "$1" -J 2>/dev/null) || { NET_WHY="iperf3 failed"; return 1; }
	python3 -c 'import json,sys; e=json.load(sys.stdin)["end"]; print("%.1f %d" % (e["sum_received"]["bits_per_second"]/1e6, e["sum_received"]["bytes"]))' <<<"$out"
}

# dco_up_case NAME UP_S CHECK [ARG...]: up_case (selftests/net/lib.sh) with
# the client's data plane on mvpn-dco checked before the ping.
dco_up_case() { UP_CHECK=on_dco up_case "$@"; }

# dco_traffic NAME: iperf3 3 s through the tunnel, and the module's counters
# account for the traffic (not a tun fallback).
dco_traffic() {
	local name=$1 before after res mbps rcvd
	before=$(counter vpn_tx_bytes)
	res=$(iperf_through 3) || return 1
	read -r mbps rcvd <<<"$res"
	after=$(counter vpn_tx_bytes)
	note "$name: $mbps Mbit/s; server received $rcvd bytes; module vpn_tx_bytes $before -> $after"
	# Every byte the server received went out through the module
	# (plus TCP/IP headers), whatever the speed: not a tun fallback.
	if [ "$before" -lt 0 ] || [ "$rcvd" -le 0 ] || [ $((after - before)) -lt "$rcvd" ]; then
		NET_WHY="mvpn-dco counters did not see the iperf3 traffic ($before -> $after, server received $rcvd)"
		return 1
	fi
}

# dco_case NAME: tunnel up on mvpn-dco, ping, iperf3 3 s, and the module's
# counters account for the traffic (not a tun fallback).
dco_case() {
	fresh_confs
	UP_PING_S=30 dco_up_case "$1" 60 dco_traffic "$1"
}
