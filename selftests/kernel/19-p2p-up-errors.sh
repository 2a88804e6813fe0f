#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# `mvpnctl p2p-up` refuses bad input with exactly one clear line on stderr
# and a non-zero exit, and leaves nothing behind: module missing, key file
# missing / not base64 / wrong length, address in use, device name taken,
# missing or bad options.  SIGINT ends a good one with status 0 and no device.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
topo_two
keyfile "$TMP/key"
GOOD=(--dev mvpn0 --local 10.9.0.1:1194 --remote 10.9.0.2:1194 --peer-id 1 --cipher aes-256-gcm
      --key-file "$TMP/key" --key-dir 0)

# refuse WANT ARGS...: p2p-up ARGS fails, with one stderr line containing WANT.
refuse() {
	local want=$1 rc=0
	shift
	ip netns exec a "$MVPNCTL" p2p-up "$@" >"$TMP/out" 2>"$TMP/err" </dev/null || rc=$?
	[ "$rc" != 0 ] || fail "p2p-up $* succeeded"
	grep -qF -- "$want" "$TMP/err" || fail "p2p-up $*: expected '$want', got: $(cat "$TMP/err")"
	[ "$(wc -l <"$TMP/err")" = 1 ] || fail "p2p-up $*: more than one line: $(cat "$TMP/err")"
	grep -q ready "$TMP/out" && fail "p2p-up $* said ready"
	ip -n a link show "${CHECK_DEV:-mvpn0}" >/dev/null 2>&1 &&
		fail "p2p-up $* left ${CHECK_DEV:-mvpn0} behind"
	true
}

mod_loaded && fail "the module is loaded before the test"
refuse 'is the module loaded?' "${GOOD[@]}"
mod_load

refuse 'cannot open key file' "${GOOD[@]}" --key-file "$TMP/nonexistent"
head -c 79 /dev/urandom | base64 >"$TMP/short"
refuse 'holds 79 bytes; expected exactly 80' "${GOOD[@]}" --key-file "$TMP/short"
echo 'this is not base64 at all!' >"$TMP/junk"
refuse 'not base64' "${GOOD[@]}" --key-file "$TMP/junk"
refuse 'missing --remote' --dev mvpn0 --local 10.9.0.1:1194 --peer-id 1 --cipher aes-256-gcm \
	--key-file "$TMP/key" --key-dir 0
refuse "--cipher 'aes-256-cbc'" "${GOOD[@]}" --cipher aes-256-cbc
refuse "--key-dir '2'" "${GOOD[@]}" --key-dir 2
refuse "--peer-id '16777216'" "${GOOD[@]}" --peer-id 16777216
refuse 'same address family' "${GOOD[@]}" --remote '[fd09::2]:1194'
refuse 'expected ADDR:PORT' "${GOOD[@]}" --remote 10.9.0.2
refuse 'port must be a number 1..65535' "${GOOD[@]}" --remote 10.9.0.2:0
refuse 'prefix length' "${GOOD[@]}" --vpn-addr 10.99.0.1/40
refuse 'interval must be shorter' "${GOOD[@]}" --keepalive 60,10
refuse "unknown or incomplete option '--bogus'" "${GOOD[@]}" --bogus
refuse "--mtu '40'" "${GOOD[@]}" --mtu 40

# Somebody else's device of that name must survive the refusal.
# (a veth: the debug kernel has no dummy driver)
ip -n a link add taken0 type veth peer name taken1
refuse 'a device with this name exists' "${GOOD[@]/mvpn0/taken0}"
ip -n a -d link show taken0 | grep -q veth || fail "p2p-up touched an existing device"
ip -n a link del taken0

# Address in use: the second one fails and removes the device it made.
p2p_start one a "${GOOD[@]}"
CHECK_DEV=mvpn1 refuse 'Address already in use' "${GOOD[@]/mvpn0/mvpn1}"

# A good one ends cleanly on SIGINT.
kill -INT "${P2P_PID[one]}"
rc=0
wait "${P2P_PID[one]}" || rc=$?
[ "$rc" = 0 ] || fail "p2p-up exited $rc on SIGINT"
ip -n a link show mvpn0 >/dev/null 2>&1 && fail "p2p-up left its device behind on SIGINT"
assert_freed
