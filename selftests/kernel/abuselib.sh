#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# abuselib.sh: helpers for the abuse selftests 5N-abuse-*.sh (sourced after
# lib.sh and p2plib.sh; runs in the VM).
#
# Every abuse test has a fast form, run by `make test`, and a full form with
# the numbers of issue 7, selected by MVPN_ABUSE_FULL=1:
#
#   MVPN_ABUSE_FULL=1 make test T=50-abuse-inject
#
# A test is a list of cases; each case runs in its own subshell and prints
# one "ok - kernel: abuse: ..." line.  After every case, whatever happened:
# what it started is killed, its namespaces are deleted, every object of the
# module (debugfs counts) must be freed, and the kernel log must have stayed
# clean since the case began.

TOOLS=$REPO/build/tools
INJECT=$TOOLS/inject
NLSTRESS=$TOOLS/nlstress
FULL=${MVPN_ABUSE_FULL:-0}
[ "$FULL" = 1 ] || FULL=0

# The AEAD implementations the module asks the crypto API for are loaded
# on first use, from the 9p root: slow on a busy host.  Load them now,
# without a deadline, so that p2p-up's first key does not wait for them.
for m in gcm ghash_clmulni_intel ghash_generic aesni_intel chacha20poly1305 \
	chacha_x86_64 poly1305_x86_64; do
	modprobe -q "$m" 2>/dev/null || true
done

# pick FAST FULL: the number for the current form.
pick() { if [ "$FULL" = 1 ]; then echo "$2"; else echo "$1"; fi; }

# What the kernel must never say (the same list as scripts/vm-run).
KLOG_BAD='\bBUG\b|WARNING:|Oops|general protection fault|refcount_t|list_(add|del) corruption|Poison overwritten|Object already free|Redzone|Padding overwritten|UBSAN:|KASAN:|kmemleak|unregister_netdevice: waiting|INFO: task .* blocked|INFO: rcu_sched|stack-protector|Call Trace'

# klog_mark: remember where the kernel log is now.
klog_mark() { KLOG_MARK=$(dmesg | wc -l); }

# klog_new: the kernel log lines since klog_mark.
klog_new() { dmesg | tail -n +"$((KLOG_MARK + 1))"; }

# klog_clean: nothing bad was logged since klog_mark (prints what was).
klog_clean() {
	local bad
	bad=$(klog_new | grep -E -A 20 "$KLOG_BAD" | head -n 60) || true
	[ -z "$bad" ] && return 0
	echo "$bad"
	return 1
}

# tools_built TOOL...: the helpers exist (`make` builds selftests/tools/).
tools_built() {
	local t
	for t in "$@"; do
		[ -x "$t" ] || fail "$t is missing: run make (it builds selftests/tools/)"
	done
}

# jcounter NS DEV NAME: one counter of the device's (first) peer, from
# `mvpnctl show --json` (names with '_': drop_auth, vpn_rx_packets...).
jcounter() {
	local v
	v=$(ip netns exec "$1" "$MVPNCTL" show "$2" --json | grep -o "\"$3\":[0-9]*" | head -n1)
	[ -n "$v" ] || { echo "jcounter: no counter $3 on $1/$2" >&2; return 1; }
	echo "${v#*:}"
}

# drops NS DEV: the sum of every receive drop counter of the peer.
drops() {
	local json sum=0 c v
	json=$(ip netns exec "$1" "$MVPNCTL" show "$2" --json)
	for c in drop_auth drop_replay drop_unknown_key drop_malformed drop_no_key; do
		v=$(grep -o "\"$c\":[0-9]*" <<<"$json" | head -n1)
		[ -n "$v" ] || { echo "drops: no counter $c on $1/$2" >&2; return 1; }
		sum=$((sum + ${v#*:}))
	done
	echo "$sum"
}

# drops_ge NS DEV MIN (for wait_until).
drops_ge() { [ "$(drops "$1" "$2")" -ge "$3" ]; }

# jcounter_ge NS DEV NAME MIN (for wait_until).
jcounter_ge() { [ "$(jcounter "$1" "$2" "$3")" -ge "$4" ]; }

# netstat_of NS IF FIELD: /sys/class/net/IF/statistics/FIELD in NS.
netstat_of() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"; }

# snmp NS PROTO FIELD: one counter of /proc/net/snmp in NS (Udp InCsumErrors).
snmp() {
	ip netns exec "$1" awk -v p="$2:" -v f="$3" '
		$1 == p && !hdr { for (i = 2; i <= NF; i++) col[$i] = i; hdr = 1; next }
		$1 == p && hdr { print $col[f]; exit }' /proc/net/snmp
}

# kv NAME LINE: the value of NAME=... in a "a=1 b=2" line.
kv() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }

# iperf_start NAME NS_SERVER ADDR NS_CLIENT [iperf3 client args...]: an
# iperf3 server on ADDR in NS_SERVER and a client running until stopped
# (its output in $TMP/iperf-NAME.out, its pid in IPERF_PID[NAME]).
declare -A IPERF_PID
iperf_start() {
	local name=$1 sns=$2 addr=$3 cns=$4
	shift 4
	ip netns exec "$sns" iperf3 -s -1 -B "$addr" >"$TMP/iperf-s-$name.out" 2>&1 &
	PIDS+=($!)
	wait_until 20 listening "$sns" 5201 || fail "iperf3 server did not start in $sns"
	ip netns exec "$cns" iperf3 -c "$addr" -t 86400 -i 1 --forceflush -f m "$@" \
		>"$TMP/iperf-$name.out" 2>&1 &
	IPERF_PID[$name]=$!
	PIDS+=($!)
	wait_until 30 grep -q 'sec' "$TMP/iperf-$name.out" ||
		{ cat "$TMP/iperf-$name.out" >&2; fail "iperf3 $name did not start"; }
}

# iperf_alive NAME: the client is still running (its connection survived).
iperf_alive() {
	kill -0 "${IPERF_PID[$1]}" 2>/dev/null && ! grep -q 'iperf3: error' "$TMP/iperf-$1.out"
}

# iperf_stop NAME: stop the client; its server exits with it.
iperf_stop() {
	kill -INT "${IPERF_PID[$1]}" 2>/dev/null || true
	wait "${IPERF_PID[$1]}" 2>/dev/null || true
}

# case_cleanup: what a case leaves behind is removed (EXIT trap of a case).
case_cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	ip -all netns delete 2>/dev/null || true
}

# objects_now: the module's live object counts (debugfs), one line.
objects_now() {
	local f out=""
	for f in devices peers keys sockets; do out="$out $f=$(cat "$DEBUGFS/$f")"; done
	echo "${out# }"
}

# objects_are DEVICES PEERS KEYS SOCKETS (for wait_until).
objects_are() { [ "$(objects_now)" = "devices=$1 peers=$2 keys=$3 sockets=$4" ]; }

# module_clean: every object of the module freed (when it is loaded).
module_clean() { ! mod_loaded || objects_freed; }

# run_case NAME FUNCTION [ARGS...]: one case in its own subshell, its own
# "ok"/"not ok" line; afterwards objects freed and the kernel log clean.
CASES_FAILED=0
run_case() {
	local name=$1 log rc
	shift
	log=$TMP/case-${name// /_}.log
	klog_mark
	local t0=$SECONDS
	set +e
	(
		set -e
		PIDS=()
		trap case_cleanup EXIT
		"$@"
	) >"$log" 2>&1
	rc=$?
	set -e
	if [ "$rc" = 0 ] && ! wait_until 30 module_clean; then
		echo "FAIL: objects leaked after the case: $(objects_now)" >>"$log"
		rc=1
	fi
	if ! klog_clean >>"$log"; then
		echo "FAIL: the kernel log reports a problem (above)" >>"$log"
		rc=1
	fi
	if [ "$rc" = 0 ]; then
		echo "ok - kernel: abuse: $name ($((SECONDS - t0))s)"
		grep '^# ' "$log" | sed 's/^/  /' || true
	else
		echo "not ok - kernel: abuse: $name ($((SECONDS - t0))s)"
		tail -n 40 "$log" | sed 's/^/  # /'
		CASES_FAILED=$((CASES_FAILED + 1))
	fi
	# Whatever the case did, the next one starts from scratch.
	ip -all netns delete 2>/dev/null || true
}

# cases_done: the test's exit status.
cases_done() { [ "$CASES_FAILED" = 0 ]; }
