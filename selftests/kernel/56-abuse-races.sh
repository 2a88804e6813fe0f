#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The device pulled away under a control plane working as fast as it can.
#
#   netns a: mvpn0, nlstress hammer  --- veth ---  netns b (nobody answers)
#
# nlstress hammer replaces the peer (a new UDP socket each time, the old
# one closed right after), installs a key, sets keepalive (which schedules
# the device's keepalive work), swaps keys and reads the peer, in a loop;
# meanwhile the device is deleted (ip link del), or the module unloaded
# (rmmod: must succeed, or fail with EBUSY and change nothing).  Every
# request either succeeds or finds the device (ENODEV) or the peer (ENOENT)
# gone; the hammer then stops by itself.  Each round starts from a new
# device; after each round every object is freed; the kernel log stays
# clean.
#
# Fast form: 5 rounds of each.  Full (MVPN_ABUSE_FULL=1): 300.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
source "$(dirname "$0")/abuselib.sh"
tools_built "$NLSTRESS"

RACES=$(pick 5 300)

# race_delete HOW: HOW (link-del or rmmod) lands while nlstress hammer runs.
race_delete() {
	local how=$1 i pid out ends=""
	mod_load
	topo_two
	for i in $(seq "$RACES"); do
		mod_load
		ip -n a link add mvpn0 type mvpn-dco
		ip netns exec a "$NLSTRESS" hammer --dev mvpn0 --remote 10.9.0.2:1194 \
			>"$TMP/hammer.out" 2>&1 &
		pid=$!
		PIDS+=($pid)
		wait_until 30 grep -q '^started$' "$TMP/hammer.out" ||
			fail "round $i: hammer did not start: $(cat "$TMP/hammer.out")"
		if [ "$how" = rmmod ]; then
			out=$(rmmod mvpn_dco 2>&1) || {
				grep -qiE 'in use|busy' <<<"$out" || fail "round $i: rmmod: $out"
				ip -n a link del mvpn0
			}
		else
			ip -n a link del mvpn0 || fail "round $i: ip link del"
		fi
		wait_until 60 sh -c "! kill -0 $pid 2>/dev/null" ||
			fail "round $i: hammer still runs after its device was deleted"
		wait "$pid" || fail "round $i: $(cat "$TMP/hammer.out")"
		ends="$ends $(sed -n 's/.* end=//p' "$TMP/hammer.out")"
		wait_until 30 module_clean || fail "round $i: $(objects_now)"
	done
	note "$how: where the hammer found the device gone:" \
		"$(tr ' ' '\n' <<<"$ends" | grep . | sort | uniq -c | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}')"
}

run_case "ip link del racing netlink requests, $RACES times" race_delete link-del
run_case "rmmod racing netlink requests, $RACES times" race_delete rmmod
cases_done
