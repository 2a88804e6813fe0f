#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# 20-mvpnd-interop: mvpnd as the client of Debian's OpenVPN 2.6 server
# (--disable-dco), userspace data plane on tun, natively in namespaces.
#
#   netns mvpn-srv-PID: openvpn 2.6 server   netns mvpn-cli-PID: mvpnd --dco off
#   vs0 10.200.0.1 ◄──────── veth ────────► vc0 10.200.0.2
#   tun 10.8.0.1, fd00:8::1     tunnel      tun 10.8.0.2, fd00:8::1000
#
# Each case writes the configs a user of OpenVPN would have (lib.sh) and
# checks that the tunnel passes pings; the negative cases check the reason
# and that no tunnel came up.
. "$(dirname "$0")/lib.sh"

# MVPND_BIN: the daemon under test (scripts/run-asan passes build/asan/mvpnd).
MVPND="${MVPND_BIN:-$REPO/userspace/mvpnd} --dco off --verb 4"
CLIENT_CMD="$MVPND --config"
net_setup
pki_make

# Wrapper x cipher matrix.
for wrap in none tls-auth-sha1 tls-auth-sha256 tls-crypt tls-crypt-v2; do
	for cipher in AES-128-GCM AES-256-GCM CHACHA20-POLY1305; do
		WRAP=$wrap CIPHER=$cipher tunnel_case "mvpnd: $wrap $cipher"
	done
done

# Key derivation: TLS-EKM (required by the server) and the TLS 1.0 PRF.
WRAP=tls-crypt CIPHER=AES-256-GCM EKM=require tunnel_case "mvpnd: key derivation TLS-EKM"
if CLIENT_CMD="$MVPND --force-prf --config" WRAP=tls-crypt CIPHER=AES-256-GCM \
	tunnel_case "mvpnd: key derivation TLS 1.0 PRF (tunnel)"; then
	if [ "$(kdf_used)" = prf ] && grep -q 'key derivation TLS 1.0 PRF' "$TMP/client-$NET_CASES.log"; then
		ok "mvpnd: key derivation TLS 1.0 PRF (both ends used the PRF)"
	else
		NET_WHY="server used '$(kdf_used)'"
		not_ok "mvpnd: key derivation TLS 1.0 PRF (both ends used the PRF)" "$SERVER_LOG" "$CLIENT_LOG"
	fi
fi

# IPv6 inside the tunnel, and IPv6 outside.
WRAP=tls-crypt CIPHER=AES-256-GCM IPV6=1 tunnel_case "mvpnd: IPv6 inside the tunnel"
WRAP=tls-auth-sha256 CIPHER=AES-128-GCM OUTER6=1 tunnel_case "mvpnd: IPv6 transport (udp6)"
# File references relative to the config instead of inline blocks.
WRAP=tls-crypt-v2 CIPHER=CHACHA20-POLY1305 INLINE=0 tunnel_case "mvpnd: file references"

# TCP transport (2-byte length framing).
WRAP=tls-crypt CIPHER=AES-256-GCM SERVER_EXTRA="proto tcp4-server" CLIENT_EXTRA="proto tcp" \
	tunnel_case "mvpnd: TCP transport"

# Username/password checked by a server script, given inline as providers do.
cat >"$TMP/checkpw.sh" <<'SH'
#!/bin/sh
[ "$(sed -n 1p "$1")" = alice ] && [ "$(sed -n 2p "$1")" = 's3cret pw' ]
SH
chmod +x "$TMP/checkpw.sh"
AUTH_SRV=$'script-security 2\nauth-user-pass-verify '"$TMP"$'/checkpw.sh via-file'
CLIENT_CMD="$REPO/userspace/mvpnd --dco off --verb 11 --config" \
	WRAP=tls-crypt CIPHER=AES-256-GCM SERVER_EXTRA=$AUTH_SRV$'\nauth-gen-token' \
	CLIENT_EXTRA=$'auth-user-pass\n<auth-user-pass>\nalice\ns3cret pw\n</auth-user-pass>' \
	tunnel_case "mvpnd: auth-user-pass accepted"
# The pushed auth-token is a secret: never in the log, at any verbosity.
if grep -q 'auth-token \[REDACTED\]' "$TMP/client-$NET_CASES.log" &&
	! grep -q 'SESS_ID' "$TMP/client-$NET_CASES.log" && ! grep -q 's3cret' "$TMP/client-$NET_CASES.log"; then
	ok "mvpnd: the pushed auth-token and the password stay out of the log"
else
	not_ok "mvpnd: the pushed auth-token and the password stay out of the log" "$TMP/client-$NET_CASES.log"
fi
WRAP=tls-crypt CIPHER=AES-256-GCM SERVER_EXTRA=$AUTH_SRV \
	CLIENT_EXTRA=$'auth-user-pass\n<auth-user-pass>\nalice\nwrong\n</auth-user-pass>' \
	refused_case "mvpnd refused: wrong password (AUTH_FAILED)" "$CLIENT_LOG" "AUTH_FAILED"

# Compression framing, which only the userspace data plane does.
WRAP=tls-crypt CIPHER=AES-256-GCM SERVER_EXTRA=$'comp-lzo yes\nallow-compression yes' \
	CLIENT_EXTRA=$'comp-lzo yes\nallow-compression yes' tunnel_case "mvpnd: comp-lzo yes (LZO both ways)"
WRAP=tls-auth-sha1 CIPHER=AES-128-GCM SERVER_EXTRA=$'compress stub-v2\npush "compress stub-v2"' \
	tunnel_case "mvpnd: compress stub-v2 pushed by the server"

# Renegotiation every 10 s during a 30 s flood ping: loss under 1 %.
reneg_check() {
	local out loss n rc=0
	out=$(in_cli ping -f -w 30 "$SRV_TUN4" 2>&1 | tail -n 3)
	loss=$(sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' <<<"$out")
	note "$out"
	if [ -z "$loss" ] || [ "$(echo "$loss >= 1" | bc)" = 1 ]; then
		NET_WHY="packet loss ${loss:-?}% during renegotiation"
		rc=1
	fi
	n=$(grep -c 'Renegotiation complete' "$CLIENT_LOG")
	if [ "$n" -lt 2 ]; then
		NET_WHY="only $n renegotiations in 30 s with reneg-sec 10"
		rc=1
	fi
	return $rc
}
WRAP=tls-crypt CIPHER=AES-256-GCM RENEG_SEC=10 fresh_confs
up_case "mvpnd: reneg-sec 10 on the server during a 30 s flood ping" 30 reneg_check

log_count_at_least() { [ "$(grep -c "$2" "$3")" -ge "$1" ]; }

# The server restarts: the client notices (ping-restart) and reconnects.
restart_check() {
	local rc=0
	stop_server
	start_server "$SERVER_CONF" || rc=1
	if ! wait_until 60 grep -q 'Restart (ping-restart' "$CLIENT_LOG"; then
		NET_WHY="the client did not notice the server went away"
		rc=1
	elif ! wait_until 60 log_count_at_least 2 'Initialization Sequence Completed' "$CLIENT_LOG"; then
		NET_WHY="the client did not reconnect"
		rc=1
	elif ! ping_through "$SRV_TUN4" 30; then
		rc=1
	fi
	return $rc
}
WRAP=tls-crypt CIPHER=AES-256-GCM SERVER_EXTRA=$'keepalive 2 6' fresh_confs
up_case "mvpnd: server restart, client reconnects by itself" 30 restart_check

# Several remotes: the first does not answer; after server-poll-timeout the
# client moves on to the next and connects.
failover_check() {
	grep -q "link remote: .*:1195" "$CLIENT_LOG" || { NET_WHY="the dead remote was never tried"; return 1; }
}
WRAP=tls-crypt CIPHER=AES-256-GCM CLIENT_EXTRA="server-poll-timeout 3" fresh_confs
# The dead remote (nothing listens on that port) goes before the real one.
sed -i "s/^remote \(.*\)$/remote $SRV_LINK4 1195\nremote \1/" "$CLIENT_CONF"
up_case "mvpnd: first remote dead, fails over to the second" 60 failover_check

# redirect-gateway def1 pushed by the server: the two /1 routes go through
# the tunnel while it is up, and everything is removed on exit.  SIGUSR1
# reconnects.
redirect_check() {
	local routes rc=0
	routes=$(in_cli ip route show)
	note "$routes"
	if ! grep -q '^0.0.0.0/1 .*dev tun' <<<"$routes" || ! grep -q '^128.0.0.0/1 .*dev tun' <<<"$routes"; then
		NET_WHY="def1 routes missing"
		rc=1
	fi
	kill -USR1 "$CLIENT_PID"
	if ! wait_until 30 log_count_at_least 2 'Initialization Sequence Completed' "$CLIENT_LOG" ||
		! ping_through "$SRV_TUN4" 20; then
		NET_WHY="no reconnect after SIGUSR1"
		rc=1
	fi
	stop_client
	routes=$(in_cli ip route show)
	if grep -q '0.0.0.0/1\|128.0.0.0/1\|dev tun' <<<"$routes"; then
		NET_WHY="routes left after exit: $routes"
		rc=1
	fi
	return $rc
}
WRAP=tls-crypt CIPHER=AES-256-GCM SERVER_EXTRA='push "redirect-gateway def1"' fresh_confs
up_case "mvpnd: pushed redirect-gateway def1, removed on exit; SIGUSR1 reconnects" 30 redirect_check

# Refusals: each with a clear message and no tunnel.
WRAP=tls-crypt CLIENT_CA=other-ca refused_case "mvpnd refuses: server certificate from an unknown CA" \
	"$CLIENT_LOG" "certificate verification failed"
WRAP=tls-crypt VERIFY_NAME="not-the-server name" refused_case "mvpnd refuses: wrong verify-x509-name" \
	"$CLIENT_LOG" "verify-x509-name: peer common name"
WRAP=tls-crypt SERVER_CERT=server-noeku refused_case "mvpnd refuses: server certificate without the server EKU" \
	"$CLIENT_LOG" "remote-cert-tls server"
WRAP=tls-crypt CLIENT_TC_KEY=$PKI/tc-wrong.key refused_case "mvpnd refused: wrong tls-crypt key (server drops every packet)" \
	"$SERVER_LOG" "tls-crypt unwrap error: packet authentication failed"
WRAP=tls-crypt CIPHER=AES-128-GCM CLIENT_CIPHERS=CHACHA20-POLY1305 refused_case "mvpnd refuses: no common cipher" \
	"$CLIENT_LOG" "cipher negotiation failed"

net_done
