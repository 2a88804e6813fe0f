#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Create and delete an mvpn-dco device in a namespace: kind, default mode,
# carrier down without a peer, flags of a layer-3 point-to-point device.
source "$(dirname "$0")/lib.sh"
mod_load
netns_new a

ip -n a link add mvpn0 type mvpn-dco || fail "ip link add type mvpn-dco"
info=$(ip -n a -d link show mvpn0)
note "$info"
grep -q 'mvpn-dco' <<<"$info" || fail "link kind is not shown as mvpn-dco"
grep -q 'POINTOPOINT' <<<"$info" || fail "device is not POINTOPOINT"
grep -q 'NOARP' <<<"$info" || fail "device is not NOARP"
[ "$(live_devices)" = 1 ] || fail "expected 1 live device, debugfs says $(live_devices)"

ip -n a link set mvpn0 up
# No peer, no key: carrier must stay down, so the link is not LOWER_UP.
if ip -n a link show mvpn0 | grep -q LOWER_UP; then fail "carrier is up without a peer"; fi
ip -n a link set mvpn0 mtu 1400 || fail "cannot set MTU"
expect_fail ip -n a link set mvpn0 mtu 40
note "MTU 40 refused: $ERR"

# The mode is reported back in IFLA_INFO_DATA (iproute2 does not decode it,
# but a second device with a different name must coexist).
ip -n a link add mvpn1 type mvpn-dco || fail "second device"
[ "$(live_devices)" = 2 ] || fail "expected 2 live devices"

ip -n a link del mvpn0 || fail "ip link del mvpn0"
ip -n a link del mvpn1 || fail "ip link del mvpn1"
wait_until 10 devices_are 0 || fail "devices not freed after delete: $(live_devices)"
