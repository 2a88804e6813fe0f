#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# 00-openvpn-selfcheck: proves the interop harness (lib.sh) with Debian's
# OpenVPN 2.6 on BOTH ends: the generated PKI, keys and configs give a
# working tunnel, and the negative material (unrelated CA, certificate
# without the server EKU, wrong tls-crypt key) is refused by a real client.
# The daemon's tests run the same cases with CLIENT_CMD set to mvpnd.
#
#   netns mvpn-srv-PID: openvpn server     netns mvpn-cli-PID: openvpn client
#   vs0 10.200.0.1 ◄──────── veth ────────► vc0 10.200.0.2
#   tun 10.8.0.1, fd00:8::1     tunnel      tun 10.8.0.2, fd00:8::1000
. "$(dirname "$0")/lib.sh"

net_setup
pki_make

# Two wrapper/cipher combinations, one with IPv6 inside the tunnel and
# TLS-EKM required by the server, one with file references instead of inline.
WRAP=tls-crypt CIPHER=AES-256-GCM IPV6=1 EKM=require \
	tunnel_case "openvpn selfcheck: tls-crypt AES-256-GCM, IPv6 inside, EKM"
WRAP=tls-auth-sha256 CIPHER=CHACHA20-POLY1305 INLINE=0 \
	tunnel_case "openvpn selfcheck: tls-auth SHA256 CHACHA20-POLY1305, file references"

# The negative material does what the daemon's negative tests rely on.
CLIENT_CA=other-ca refused_case "openvpn selfcheck: unrelated CA refused" \
	"$CLIENT_LOG" "VERIFY ERROR: depth=1"
SERVER_CERT=server-noeku refused_case "openvpn selfcheck: server cert without serverAuth EKU refused" \
	"$CLIENT_LOG" "VERIFY EKU ERROR"
WRAP=tls-crypt CLIENT_TC_KEY=$PKI/tc-wrong.key \
	refused_case "openvpn selfcheck: wrong tls-crypt key, server drops every packet" \
	"$SERVER_LOG" "tls-crypt unwrap error: packet authentication failed"

net_done
