#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Netlink requests from where no privilege over the device exists.
#
#   netns a (p2p-up, a live peer with a key)      netns b (its other end)
#     root                     -> allowed (the control)
#     unshare -Ur (own user namespace, a's network namespace)
#                              -> every command, and joining the
#                                 notification group: EPERM
#     capsh --drop=cap_net_admin
#                              -> every command, and joining the
#                                 notification group: EPERM
#     unshare -Urn (own user and network namespace: "root" there)
#                              -> may create an mvpn-dco device in its own
#                                 namespace, but every generic netlink
#                                 command on it is refused (EPERM)
#
# nlstress eperm sends each command of the family once (PEER_NEW/SET/GET
# do and dump/DEL, KEY_NEW/GET/SWAP/DEL, DEV_OWN) with plausible attributes.
# The "peers" multicast group carries peer ids and remote addresses: an
# unprivileged process may not join it.  Also: an unprivileged user cannot
# delete or add the device over rtnetlink, and the link still carries
# traffic afterwards.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
source "$(dirname "$0")/abuselib.sh"
tools_built "$NLSTRESS"

link_up() {
	mod_load
	topo_two
	pair_up aes-256-gcm 4
	ping_ok a 10.99.0.2
}

case_userns() {
	local out
	link_up
	# The control: root gets past the permission check with the same
	# requests (on a spare device: they change it, and DEV_OWN ties it to
	# the tool's socket, so it goes away when the tool exits).
	ip -n a link add ctl0 type mvpn-dco
	out=$(ip netns exec a "$NLSTRESS" eperm --dev ctl0 2>&1) &&
		fail "root was refused every command with EPERM: $out"
	grep -q 'Operation not permitted' <<<"$out" && fail "root got EPERM: $out"
	grep -q '^DEV_OWN: accepted' <<<"$out" || fail "root could not DEV_OWN: $out"
	wait_until 20 sh -c "! ip -n a link show ctl0 >/dev/null 2>&1" ||
		fail "ctl0 outlived the socket that owned it (DEV_OWN)"

	out=$(ip netns exec a unshare -Ur "$NLSTRESS" eperm --dev mvpn0 --mcast 2>&1) ||
		fail "in a user namespace: $out"
	note "unshare -Ur: $(grep -c 'Operation not permitted' <<<"$out") requests refused"
	expect_fail ip netns exec a unshare -Ur "$MVPNCTL" show mvpn0
	grep -q 'Operation not permitted' <<<"$ERR" || fail "mvpnctl show in a user namespace: $ERR"
	expect_fail ip netns exec a unshare -Ur ip link del mvpn0
	expect_fail ip netns exec a unshare -Ur ip link add mvpn1 type mvpn-dco
	expect_fail ip netns exec a unshare -Ur ip link set mvpn0 down
	ip -n a link show mvpn0 >/dev/null || fail "the device is gone"
	ping_ok a 10.99.0.2
	pair_down
}

case_capsh() {
	local out
	link_up
	out=$(ip netns exec a capsh --drop=cap_net_admin -- -c "$NLSTRESS eperm --dev mvpn0 --mcast" 2>&1) ||
		fail "without CAP_NET_ADMIN: $out"
	note "capsh --drop=cap_net_admin: $(grep -c 'Operation not permitted' <<<"$out") requests refused"
	ping_ok a 10.99.0.2
	pair_down
}

case_own_netns() {
	local out
	mod_load
	# "root" of its own user and network namespace: rtnetlink there is its
	# own business, the module's generic netlink family is not.
	out=$(unshare -Urn bash -c '
		ip link set lo up
		if ip link add mvpn7 type mvpn-dco 2>&1; then
			echo "created mvpn7"
			"$1" eperm --dev mvpn7
		else
			echo "no device"
			"$1" eperm --ifindex 1
		fi' _ "$NLSTRESS" 2>&1) || fail "in its own namespaces: $out"
	note "unshare -Urn: $(head -n 1 <<<"$out"); $(grep -c ': Operation not permitted' <<<"$out") commands refused"
	# Its namespace died with it, and the device (if any) with the namespace.
	wait_until 30 devices_are 0 || fail "a device outlived the user's namespace ($(live_devices))"
}

run_case "unprivileged user namespace: EPERM" case_userns
run_case "CAP_NET_ADMIN dropped: EPERM for every command" case_capsh
run_case "own user and network namespace: EPERM" case_own_netns
cases_done
