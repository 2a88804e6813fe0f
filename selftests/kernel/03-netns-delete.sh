#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A device lives as long as its namespace, with no process holding it, and
# is freed when the namespace is deleted.
source "$(dirname "$0")/lib.sh"
mod_load
netns_new b

ip -n b link add vpn7 type mvpn-dco || fail "ip link add"
ip -n b link set vpn7 up
sleep 1
ip -n b link show vpn7 >/dev/null || fail "device vanished while its namespace exists"
[ "$(live_devices)" = 1 ] || fail "expected 1 live device"

# A device moved to another namespace moves with it.
netns_new c
ip -n b link set vpn7 netns c || fail "move to namespace c"
ip -n c link show vpn7 >/dev/null || fail "device not in namespace c after the move"

ip netns del b
ip netns del c
wait_until 30 devices_are 0 || fail "device not freed after its namespace was deleted ($(live_devices) left)"
