#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Netlink negatives: every malformed request is refused, and every refusal
# carries the kernel's extack message (mvpnctl prints "<errno text>: <extack>").
# The low-level mvpnctl commands send exactly the attributes given, so the
# kernel, not mvpnctl, does the checking.  Without CAP_NET_ADMIN every
# command gets EPERM.  Nothing is left behind.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/p2plib.sh"
mod_load
topo_two
ip -n a link add mvpn0 type mvpn-dco
keyfile "$TMP/key"
K16=000102030405060708090a0b0c0d0e0f
K32=${K16}${K16}
N8=a0a1a2a3a4a5a6a7
cases=0

# neg WANT ARGS...: `mvpnctl ARGS` in namespace a fails with WANT in its
# message, and the message carries extack text after the errno text.
neg() {
	local want=$1
	shift
	if ERR=$(ip netns exec a "$MVPNCTL" "$@" 2>&1 </dev/null); then
		fail "accepted: mvpnctl $*"
	fi
	grep -qF -- "$want" <<<"$ERR" || fail "mvpnctl $*: expected '$want', got: $ERR"
	grep -q ': [A-Za-z].*: ' <<<"$ERR" || fail "mvpnctl $*: no extack text in: $ERR"
	cases=$((cases + 1))
}

PEER="peer-new mvpn0 --socket udp --bind 10.9.0.1:0"
neg 'missing peer ID' peer-new mvpn0 --socket udp --bind 10.9.0.1:0 --remote 10.9.0.2:1194
neg 'missing SOCKET' peer-new mvpn0 --peer-id 1 --remote 10.9.0.2:1194
neg 'integer out of range' $PEER --peer-id 16777216 --remote 10.9.0.2:1194
neg 'integer out of range' $PEER --peer-id 1 --tx-id 16777216 --remote 10.9.0.2:1194
neg 'not an open file descriptor' peer-new mvpn0 --peer-id 1 --fd 99 --remote 10.9.0.2:1194
neg 'not a UDP socket' peer-new mvpn0 --peer-id 1 --socket tcp --bind 10.9.0.1:0 \
	--remote 10.9.0.2:1194
neg 'not bound' peer-new mvpn0 --peer-id 1 --socket udp --remote 10.9.0.2:1194
neg 'needs REMOTE_IPV4 or REMOTE_IPV6' $PEER --peer-id 1
neg 'integer out of range' $PEER --peer-id 1 --remote 10.9.0.2:0
neg 'must be a unicast address' $PEER --peer-id 1 --remote 224.0.0.1:1194
neg 'must be a unicast address' $PEER --peer-id 1 --remote '[ff02::1]:1194'
neg 'IPv4 socket cannot reach an IPv6 remote' $PEER --peer-id 1 --remote '[fd09::2]:1194'
neg 'does not match the remote' $PEER --peer-id 1 --remote 10.9.0.2:1194 --local-ip fd09::1
neg 'integer out of range' $PEER --peer-id 1 --remote 10.9.0.2:1194 --keepalive 1,90000
neg 'integer out of range' $PEER --peer-id 1 --remote 10.9.0.2:1194 --replay-window 0
neg 'integer out of range' $PEER --peer-id 1 --remote 10.9.0.2:1194 --replay-window 65537
neg 'not an mvpn-dco device' peer-new lo --peer-id 1 --socket udp --bind 10.9.0.1:0 \
	--remote 10.9.0.2:1194
# fd 0 is a file here, not a socket
if ERR=$(ip netns exec a "$MVPNCTL" peer-new mvpn0 --peer-id 1 --fd 0 --remote 10.9.0.2:1194 \
	2>&1 <"$TMP/key"); then fail "a file was accepted as SOCKET"; fi
grep -q 'SOCKET is not a socket' <<<"$ERR" || fail "fd of a file: $ERR"

neg 'no peer with this id' peer-set mvpn0 --peer-id 3 --keepalive 1,5
neg 'no peer with this id' peer-del mvpn0 --peer-id 3
neg 'missing peer ID' peer-del mvpn0

# A peer to hang keys on (its socket lives as long as this process).
ip netns exec a "$MVPNCTL" peer-new mvpn0 --peer-id 1 --socket udp --bind 10.9.0.1:1194 \
	--remote 10.9.0.2:1194 --hold >"$TMP/hold.out" 2>&1 &
PIDS+=($!)
wait_until 10 grep -q '^ready$' "$TMP/hold.out" || fail "peer-new --hold: $(cat "$TMP/hold.out")"
neg 'integer out of range' peer-set mvpn0 --peer-id 1 --tx-id 16777216

KEY="key-new mvpn0 --peer-id 1 --slot primary"
DIRS="--enc-key $K32 --enc-nonce $N8 --dec-key $K32 --dec-nonce $N8"
neg 'missing KEY_ID' $KEY --cipher aes-256-gcm $DIRS
neg 'missing SLOT' key-new mvpn0 --peer-id 1 --key-id 0 --cipher aes-256-gcm $DIRS
neg 'missing PEER_ID' key-new mvpn0 --slot primary --key-id 0 --cipher aes-256-gcm $DIRS
neg 'missing CIPHER_ALG' $KEY --key-id 0 $DIRS
neg 'missing ENCRYPT_DIR' $KEY --key-id 0 --cipher aes-256-gcm --dec-key $K32 --dec-nonce $N8
neg 'missing DECRYPT_DIR' $KEY --key-id 0 --cipher aes-256-gcm --enc-key $K32 --enc-nonce $N8
neg 'without NONCE_TAIL' $KEY --key-id 0 --cipher aes-256-gcm --enc-key $K32 --enc-nonce $N8 \
	--dec-key $K32
neg 'without CIPHER_KEY' $KEY --key-id 0 --cipher aes-256-gcm --enc-key $K32 --enc-nonce $N8 \
	--dec-nonce $N8
neg 'integer out of range' $KEY --key-id 8 --cipher aes-256-gcm $DIRS
neg 'integer out of range' key-new mvpn0 --peer-id 1 --slot 2 --key-id 0 --cipher aes-256-gcm $DIRS
neg 'integer out of range' key-new mvpn0 --peer-id 16777216 --slot 0 --key-id 0 \
	--cipher aes-256-gcm $DIRS
neg 'unknown CIPHER_ALG' $KEY --key-id 0 --cipher 3 $DIRS
neg 'unknown CIPHER_ALG' $KEY --key-id 0 --cipher 0 $DIRS
neg 'AES-GCM CIPHER_KEY is 16, 24 or 32 bytes' $KEY --key-id 0 --cipher aes-256-gcm \
	--enc-key ${K16}0001 --enc-nonce $N8 --dec-key ${K16}0001 --dec-nonce $N8
neg 'ChaCha20-Poly1305 CIPHER_KEY is 32 bytes' $KEY --key-id 0 --cipher chacha20-poly1305 \
	--enc-key $K16 --enc-nonce $N8 --dec-key $K16 --dec-nonce $N8
neg 'differ in length' $KEY --key-id 0 --cipher aes-256-gcm --enc-key $K32 --enc-nonce $N8 \
	--dec-key $K16 --dec-nonce $N8
neg 'policy' $KEY --key-id 0 --cipher aes-256-gcm --enc-key ${K32}00 --enc-nonce $N8 \
	--dec-key ${K32}00 --dec-nonce $N8
neg 'out of range' $KEY --key-id 0 --cipher aes-256-gcm --enc-key $K32 --enc-nonce a0a1a2 \
	--dec-key $K32 --dec-nonce $N8
neg 'out of range' $KEY --key-id 0 --cipher aes-256-gcm --enc-key $K32 --enc-nonce ${N8}00 \
	--dec-key $K32 --dec-nonce $N8
neg 'no peer with this id' key-new mvpn0 --peer-id 2 --slot 0 --key-id 0 --cipher aes-256-gcm $DIRS
neg 'the slot is empty' key-get mvpn0 --peer-id 1 --slot secondary
neg 'the slot is empty' key-del mvpn0 --peer-id 1 --slot secondary
neg 'missing SLOT' key-get mvpn0 --peer-id 1
neg 'no peer with this id' key-swap mvpn0 --peer-id 4

# What is accepted, once, and the duplicate key id that is not.
ip netns exec a "$MVPNCTL" $KEY --key-id 3 --cipher aes-128-gcm --key-file "$TMP/key" \
	--key-dir 0 || fail "a valid key was refused"
neg 'already in use in the other slot' key-new mvpn0 --peer-id 1 --slot secondary --key-id 3 \
	--cipher aes-128-gcm $DIRS
out=$(ip netns exec a "$MVPNCTL" key-get mvpn0 --peer-id 1 --slot primary) || fail "key-get"
[ "$out" = "key-id 3 cipher AES-128-GCM tx-pktid 0" ] || fail "key-get says: $out"
ip netns exec a "$MVPNCTL" show mvpn0 --json | grep -qi "$(head -c 8 "$TMP/key")" &&
	fail "show printed key material"

# Unprivileged: every command, EPERM.
for cmd in "show mvpn0" "peer-new mvpn0 --peer-id 9 --socket udp --bind 10.9.0.1:0 --remote 10.9.0.2:1" \
	"peer-set mvpn0 --peer-id 1 --keepalive 1,5" "peer-del mvpn0 --peer-id 1" \
	"$KEY --key-id 0 --cipher aes-256-gcm $DIRS" "key-get mvpn0 --peer-id 1 --slot 0" \
	"key-swap mvpn0 --peer-id 1" "key-del mvpn0 --peer-id 1 --slot 0"; do
	if ERR=$(ip netns exec a capsh --drop=cap_net_admin -- -c "$MVPNCTL $cmd" 2>&1); then
		fail "unprivileged '$cmd' was accepted"
	fi
	grep -q 'Operation not permitted' <<<"$ERR" || fail "unprivileged '$cmd': $ERR"
	cases=$((cases + 1))
done
show_line a mvpn0 'key primary: id 3' >/dev/null || fail "an unprivileged request changed state"
note "$cases refusals checked"
ip -n a link del mvpn0
assert_freed
