#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# rmmod with devices still present in several namespaces removes them all.
source "$(dirname "$0")/lib.sh"
mod_load
netns_new f
netns_new g
ip link add mvpn9 type mvpn-dco
ip -n f link add mvpn0 type mvpn-dco
ip -n f link add mvpn1 type mvpn-dco
ip -n g link add mvpn0 type mvpn-dco
ip -n g link set mvpn0 up
[ "$(live_devices)" = 4 ] || fail "expected 4 live devices, got $(live_devices)"

rmmod mvpn_dco || fail "rmmod with devices present"
ip link show mvpn9 >/dev/null 2>&1 && fail "mvpn9 survived rmmod"
ip -n f link show mvpn0 >/dev/null 2>&1 && fail "f/mvpn0 survived rmmod"
ip -n g link show mvpn0 >/dev/null 2>&1 && fail "g/mvpn0 survived rmmod"
true
