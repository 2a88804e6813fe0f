#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# `make demo`, shortened, so that it cannot rot: the summary must come out.
source "$(dirname "$0")/lib.sh"
out=$("$REPO/scripts/demo-run" --seconds 2 2>&1) || { echo "$out"; fail "demo-run failed"; }
echo "$out"
grep -q 'client        : mvpnd, data plane mvpn-dco' <<<"$out" || fail "summary does not show mvpn-dco"
grep -q 'iperf3        : [0-9.]* Mbit/s' <<<"$out" || fail "no throughput in the summary"
grep -q 'demo: ok' <<<"$out" || fail "demo did not finish"
