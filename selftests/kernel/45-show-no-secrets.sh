#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# `mvpnctl show`, `show --json`, `key-get` and `monitor` never print key
# material: with a p2p link up on a key file whose bytes are known, no 8-byte
# window of the key (hex, either case) and no piece of the key file's base64
# appears in anything mvpnctl prints, while what show must show is there.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
mod_load
topo_two
monitor_start m a
pair_up aes-256-gcm 4
ping_ok a 10.99.0.2

out=$TMP/out
: >"$out"
for ns in a b; do
	ip netns exec $ns "$MVPNCTL" show >>"$out"
	ip netns exec $ns "$MVPNCTL" show mvpn0 --json >>"$out"
	for slot in 0 1; do
		ip netns exec $ns "$MVPNCTL" key-get mvpn0 --peer-id $([ $ns = a ] && echo 1 || echo 2) \
			--slot $slot >>"$out" 2>&1 || true
	done
done
grep -q '^    key primary: id 0, AES-256-GCM' "$out" || fail "show lacks the primary key line"
grep -q '"primary":{"key_id":0,"cipher":"AES-256-GCM"' "$out" || fail "show --json lacks the key"
pair_down
wait_until 10 grep -q '^peer-del' "$TMP/mon-m.out" || fail "monitor saw no peer-del"
cat "$TMP/mon-m.out" >>"$out"

# The secret, in every form that could leak: 8-byte windows in hex, and
# 16-character pieces of its base64.
leaks=0
base64 -d "$TMP/key" | od -An -tx1 -v -w8 | tr -d ' ' >"$TMP/key.hex"
while read -r h; do
	[ ${#h} = 16 ] || continue
	if grep -qi "$h" "$out"; then
		note "key bytes $h appear in mvpnctl's output"
		leaks=$((leaks + 1))
	fi
done <"$TMP/key.hex"
[ "$(wc -l <"$TMP/key.hex")" -ge 10 ] || fail "cannot read the key file back"
b64=$(tr -d '\n' <"$TMP/key")
for ((i = 0; i + 16 <= ${#b64}; i += 16)); do
	if grep -qF "${b64:i:16}" "$out"; then
		note "key file text ${b64:i:16} appears in mvpnctl's output"
		leaks=$((leaks + 1))
	fi
done
[ "$leaks" = 0 ] || fail "$leaks pieces of key material in mvpnctl's output"
note "checked $(wc -l <"$out") lines of show/show --json/key-get/monitor output"
assert_freed
