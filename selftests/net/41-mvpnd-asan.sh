#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# 41-mvpnd-asan: the fast form of `make test-asan` for `make test`: mvpnd
# built with AddressSanitizer + UBSan (build/asan/mvpnd, `make asan`) runs
# a few tunnels against Debian's OpenVPN 2.6 and a short abuse flood, and
# exits; no sanitizer report (memory error, leak at exit, undefined
# behaviour) may appear.  The full interop and abuse runs on the ASan build
# are `make test-asan` (scripts/run-asan).
#
#   netns mvpn-srv-PID: openvpn 2.6 server   netns mvpn-cli-PID: build/asan/mvpnd
#   vs0 10.200.0.1 ◄──────── veth ────────► vc0 10.200.0.2
. "$(dirname "$0")/lib.sh"

ASAN_MVPND=$REPO/build/asan/mvpnd
REPORTS=$TMP/sanitizer
mkdir -p "$REPORTS"
export ASAN_OPTIONS="log_path=$REPORTS/asan:detect_leaks=1:quarantine_size_mb=32"
export UBSAN_OPTIONS="log_path=$REPORTS/ubsan:print_stacktrace=1"
export LSAN_OPTIONS="log_path=$REPORTS/lsan"

# no_reports NAME: a result line for the reports written so far.
no_reports() {
	local n
	n=$(find "$REPORTS" -type f | wc -l)
	if [ "$n" = 0 ]; then
		ok "$1"
	else
		NET_WHY="$n sanitizer report(s)"
		not_ok "$1" $(find "$REPORTS" -type f | head -n 3)
	fi
}

# The build is make's business: quick when nothing changed.
if ! make -s -C "$REPO/userspace" "$ASAN_MVPND" B="$REPO/build/asan" \
	CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" >"$TMP/build.log" 2>&1; then
	NET_WHY="the ASan build of mvpnd failed"
	not_ok "mvpnd (ASan): build" "$TMP/build.log"
	net_done
	exit
fi

net_setup
pki_make
CLIENT_CMD="$ASAN_MVPND --dco off --verb 4 --config"
WRAP=tls-crypt-v2 CIPHER=CHACHA20-POLY1305 IPV6=1 tunnel_case "mvpnd (ASan): tls-crypt-v2 CHACHA20-POLY1305 IPv6"
WRAP=tls-auth-sha256 CIPHER=AES-128-GCM SERVER_EXTRA="proto tcp4-server" CLIENT_EXTRA="proto tcp" \
	tunnel_case "mvpnd (ASan): tls-auth over TCP"
WRAP=tls-crypt CIPHER=AES-256-GCM SERVER_EXTRA=$'comp-lzo yes\nallow-compression yes' \
	CLIENT_EXTRA=$'comp-lzo yes\nallow-compression yes\nauth-user-pass\n<auth-user-pass>\nalice\npw\n</auth-user-pass>' \
	tunnel_case "mvpnd (ASan): auth-user-pass, comp-lzo"
WRAP=tls-crypt CIPHER=AES-256-GCM CLIENT_CA=other-ca refused_case \
	"mvpnd (ASan): refuses a server certificate from an unknown CA" "$CLIENT_LOG" \
	"certificate verification failed"
no_reports "mvpnd (ASan): no sanitizer report from the tunnels"

# A short flood, in its own namespaces, with the same sanitizer options.
if MVPND_BIN=$ASAN_MVPND ABUSE_COUNT=10000 ABUSE_WRAPS="tls-crypt none" RSS_BOUND_KB=65536 \
	bash "$NETLIB_DIR/40-daemon-abuse.sh" >"$TMP/abuse.log" 2>&1; then
	ok "mvpnd (ASan): 10 000 forged packets per wrapper"
else
	NET_WHY="40-daemon-abuse.sh failed on the ASan build"
	not_ok "mvpnd (ASan): 10 000 forged packets per wrapper" "$TMP/abuse.log"
fi
no_reports "mvpnd (ASan): no sanitizer report from the flood"
net_done
