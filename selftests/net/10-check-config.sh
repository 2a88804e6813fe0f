#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# mvpnd --check-config: prints the resolved config and exits 0, or prints
# "FILE:LINE: message" and exits 1.  No network: runs on the host as is.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
mvpnd=$repo/userspace/mvpnd
tmp=$(mktemp -d /tmp/mvpn-check-config.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0

ok() { echo "ok - net: check-config: $1"; }
not_ok() { echo "not ok - net: check-config: $1"; shift; for l in "$@"; do echo "  # $l"; done; fail=1; }

# a valid config with relative file references.  A checkout leaves files
# readable by everyone, which mvpnd refuses for secrets: the copy is private,
# as a user's would be.
cp -r "$repo/selftests/unit/configs" "$tmp/configs"
chmod 600 "$tmp"/configs/*
out=$("$mvpnd" --check-config "$tmp/configs/provider-files.conf" 2>"$tmp/err"); rc=$?
if [ $rc -eq 0 ] && grep -q '^  \[0\] vpn.example.org port 443 tcp-client$' <<<"$out" &&
   grep -q "ca  *$tmp/configs/ca.crt (" <<<"$out" &&
   grep -q 'up: ignored: mvpn runs no scripts' "$tmp/err"; then
	ok "valid config prints the resolved config, warnings on stderr"
else
	not_ok "valid config prints the resolved config, warnings on stderr" "rc=$rc" \
		"$(head -c 400 "$tmp/err")"
fi

# the same file readable by every user is refused, naming file, mode and fix
chmod 644 "$tmp/configs/credentials.txt"
msg=$("$mvpnd" --check-config "$tmp/configs/provider-files.conf" 2>&1 >/dev/null); rc=$?
if [ $rc -eq 1 ] && grep -q "credentials.txt' holds a secret but its mode 0644.*chmod 600" <<<"$msg"; then
	ok "a world-readable secret file is refused with the fix in the message"
else
	not_ok "a world-readable secret file is refused with the fix in the message" "rc=$rc" "$msg"
fi
chmod 600 "$tmp/configs/credentials.txt"

# no secrets in the output
if [ -n "$out" ] && ! grep -q 'vpnpass\|PRIVATE KEY\|BEGIN OpenVPN' <<<"$out"; then
	ok "no key material or password printed"
else
	not_ok "no key material or password printed"
fi

# an error names file, line and directive; exit status 1
printf 'client\ndev tun\nremote vpn.example.com 99999\n' >"$tmp/bad.conf"
msg=$("$mvpnd" --check-config "$tmp/bad.conf" 2>&1 >/dev/null); rc=$?
want="$tmp/bad.conf:3: remote: port '99999' is not a number between 1 and 65535"
if [ $rc -eq 1 ] && [ "$msg" = "$want" ]; then
	ok "invalid config: FILE:LINE: message, exit 1"
else
	not_ok "invalid config: FILE:LINE: message, exit 1" "rc=$rc" "got:  $msg" "want: $want"
fi

# unknown directive
printf 'client\nfrobnicate\n' >"$tmp/unknown.conf"
msg=$("$mvpnd" --check-config "$tmp/unknown.conf" 2>&1 >/dev/null); rc=$?
if [ $rc -eq 1 ] && [ "$msg" = "$tmp/unknown.conf:2: unknown directive 'frobnicate'" ]; then
	ok "unknown directive"
else
	not_ok "unknown directive" "rc=$rc" "got: $msg"
fi

# missing file
msg=$("$mvpnd" --check-config "$tmp/none.conf" 2>&1 >/dev/null); rc=$?
if [ $rc -eq 1 ] && [ "$msg" = "$tmp/none.conf: cannot read the config file: No such file or directory" ]; then
	ok "missing config file"
else
	not_ok "missing config file" "rc=$rc" "got: $msg"
fi
exit $fail
