#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Renegotiation every 10 s (server reneg-sec 10) during a 40 s flood ping on
# mvpn-dco against OpenVPN 2.6 + ovpn-dco: loss under 1 %, key ids rotate in
# the module, and old keys are deleted (the lame duck goes after the client's
# tran-window).
#
# The server sends on its old key until it next looks at its keys after
# min(hand-window, reneg-sec/2) = 5 s, which on ovpn-dco can be as late as its
# next soft reset, 10 s on: a tran-window of 7 s cost 2-5 % of the replies
# (the module counted them as drop_unknown_key), as it would an OpenVPN
# client.  So tran-window is 15 s: the lame duck is replaced by each
# renegotiation during the flood and expires once the server is stopped.
# mvpnd itself, like an OpenVPN client, sends on the old key until
# min(hand-window, its reneg-sec/2) after a soft reset (here: until the next
# soft reset), since the server installs its new key only once our ACK of
# its key-method 2 arrived.
source "$(dirname "$0")/mvpndlib.sh"
net_setup
pki_make
no_secondary() { [ "$(key_ids | cut -d" " -f2)" = - ]; }
reneg_check() {
	local loss n prim sec rc=0
	note "keys at start: $(key_ids)"
	loss=$(flood_loss "$SRV_TUN4" 40)
	note "flood ping loss: ${loss:-?}%; keys now: $(key_ids)"
	n=$(grep -c 'Renegotiation complete' "$CLIENT_LOG")
	if [ -z "$loss" ] || [ "$(echo "$loss >= 1" | bc)" = 1 ]; then
		NET_WHY="loss ${loss:-?}% during renegotiation"
		rc=1
	elif [ "$n" -lt 3 ]; then
		NET_WHY="only $n renegotiations in 40 s"
		rc=1
	else
		read -r prim sec <<<"$(key_ids)"
		if [ "$prim" = 0 ] || [ "$prim" = - ]; then
			NET_WHY="primary key id did not rotate (keys: $prim $sec)"
			rc=1
		fi
		# Freeze the server (no more renegotiations, no exit message): after
		# tran-window the lame duck is deleted from the module and only the
		# current key is left.
		kill -STOP "$SERVER_PID"
		if ! wait_until 20 no_secondary; then
			NET_WHY="the lame-duck key was never deleted (keys: $(key_ids))"
			rc=1
		fi
		note "keys after tran-window: $(key_ids)"
		kill -CONT "$SERVER_PID"
	fi
	return $rc
}
SERVER_DCO=1
WRAP=tls-crypt CIPHER=AES-256-GCM RENEG_SEC=10 CLIENT_EXTRA="tran-window 15" fresh_confs
dco_up_case "mvpnd on mvpn-dco: reneg-sec 10 during a 40 s flood ping" 60 reneg_check
net_done
