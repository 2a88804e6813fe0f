#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Without CAP_NET_ADMIN every generic netlink operation is refused (EPERM).
source "$(dirname "$0")/lib.sh"
mod_load
netns_new e
ip -n e link add mvpn0 type mvpn-dco

ip netns exec e "$MVPNCTL" show mvpn0 >/dev/null || fail "privileged show failed"
expect_fail ip netns exec e capsh --drop=cap_net_admin -- -c "$MVPNCTL show mvpn0"
note "unprivileged: $ERR"
grep -q 'Operation not permitted' <<<"$ERR" || fail "expected EPERM, got: $ERR"
