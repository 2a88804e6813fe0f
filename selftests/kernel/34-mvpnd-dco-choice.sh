#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# --dco on without the module fails with a clear message; --dco auto with a
# config that needs the userspace data plane (compression) says why and works.
source "$(dirname "$0")/mvpndlib.sh"
net_setup
pki_make

WRAP=tls-crypt CIPHER=AES-256-GCM SERVER_EXTRA=$'comp-lzo yes\nallow-compression yes' \
	CLIENT_EXTRA=$'comp-lzo yes\nallow-compression yes' CLIENT_CMD="$MVPND --dco auto --config" \
	tunnel_case "mvpnd --dco auto with comp-lzo: userspace data plane"
if grep -q 'Data plane: userspace on .* (compression is configured' "$TMP/client-$NET_CASES.log"; then
	ok "mvpnd --dco auto logs why it used userspace"
else
	not_ok "mvpnd --dco auto logs why it used userspace" "$TMP/client-$NET_CASES.log"
fi

# Without the module, --dco on refuses to start.
rmmod mvpn_dco || fail "rmmod mvpn_dco"
WRAP=tls-crypt fresh_confs
out=$(in_cli $MVPND --dco on --config "$CLIENT_CONF" 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q 'mvpn-dco module is not loaded' <<<"$out"; then
	ok "mvpnd --dco on without the module: clear error"
else
	NET_WHY="exit $rc: $(tail -n 3 <<<"$out")"
	not_ok "mvpnd --dco on without the module: clear error"
fi
net_done
