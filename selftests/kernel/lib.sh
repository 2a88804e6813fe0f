#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# lib.sh: one-line helpers for the kernel selftests (sourced; runs in the VM).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MODULE=$REPO/kmod/mvpn-dco.ko
MVPNCTL=$REPO/userspace/mvpnctl
DEBUGFS=/sys/kernel/debug/mvpn_dco

# fail MSG: explain and stop this test.
fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "# $*"; }

mod_loaded() { grep -q '^mvpn_dco ' /proc/modules; }
# The module's dependencies (udp_tunnel, ip6_udp_tunnel) come from the
# installed kernel; insmod does not resolve them, so load them first.
# Also what udev loads at boot on a CPU with AES-NI and PCLMULQDQ (the VM
# has no udev): AES-GCM then runs as on a real machine, on aesni_intel's
# SIMD transform, which goes asynchronous (cryptd) when the FPU is busy.
mod_deps() {
	modprobe -q aesni_intel || true
	modprobe -q ghash_clmulni_intel || true
	modinfo -F depends "$MODULE" | tr ',' '\n' | while read -r m; do [ -z "$m" ] || modprobe "$m"; done
}
mod_load() { mod_loaded || { mod_deps && insmod "$MODULE"; } || fail "insmod $MODULE"; }
mod_unload() { ! mod_loaded || rmmod mvpn_dco || fail "rmmod mvpn_dco"; }

# live_devices: how many mvpn-dco devices exist in all namespaces.
live_devices() { cat "$DEBUGFS/devices"; }

# wait_until TIMEOUT_S CMD...: poll CMD (every 0.1 s) until it succeeds.
wait_until() {
	local deadline=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

# expect_fail CMD...: CMD must fail; its stderr is kept in $ERR.
expect_fail() {
	if ERR=$("$@" 2>&1); then
		fail "expected failure: $*"
	fi
}

# Namespaces made by a test are removed by the runner afterwards, but tests
# that can clean up themselves do so in a trap.
netns_new() { ip netns add "$1" && ip -n "$1" link set lo up; }

# devices_are N: exactly N mvpn-dco devices are alive (for wait_until).
devices_are() { [ "$(live_devices)" = "$1" ]; }
