#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The generic netlink family resolves (with its "peers" multicast group),
# mvpnctl reaches it, and a request naming a non-mvpn device is refused with
# an extack message.
source "$(dirname "$0")/lib.sh"
mod_load
netns_new d

fam=$(genl ctrl get name mvpn-dco) || fail "genl ctrl get name mvpn-dco"
note "$fam"
grep -q 'peers' <<<"$fam" || fail "multicast group 'peers' missing"

ip -n d link add mvpn0 type mvpn-dco
out=$(ip netns exec d "$MVPNCTL" show mvpn0) || fail "mvpnctl show mvpn0: $out"
note "$out"
grep -q 'peers: 0' <<<"$out" || fail "mvpnctl show did not report zero peers"

expect_fail ip netns exec d "$MVPNCTL" show lo
note "on lo: $ERR"
grep -q 'not an mvpn-dco device' <<<"$ERR" || fail "no extack message for a non-mvpn device: $ERR"
