#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The module loads, registers its link kind and family, and unloads; twice.
source "$(dirname "$0")/lib.sh"

for round in 1 2; do
	mod_load
	[ -d /sys/module/mvpn_dco ] || fail "round $round: /sys/module/mvpn_dco missing after insmod"
	[ "$(live_devices)" = 0 ] || fail "round $round: devices exist right after load"
	mod_unload
	[ ! -d /sys/module/mvpn_dco ] || fail "round $round: module still present after rmmod"
done
