#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The benchmark must not rot.  Two parts:
#  1. scripts/bench-report on a made-up run with known numbers: medians,
#     spreads, ratios to ovpn-dco (same cipher) and WireGuard, a failed row,
#     a broken iperf3 file, the table's lines; and clear errors on bad input.
#  2. scripts/bench-run for real, veth and WireGuard rows, 1 s each, then the
#     report: well-formed JSON, both rows ok, every test has a sample, the
#     table has its header and a line per row.  Nothing here asserts a speed.
source "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d /tmp/mvpn-bench-smoke.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
REPORT=$REPO/scripts/bench-report
command -v python3 >/dev/null || fail "python3 missing"

# jget FILE EXPR: a Python expression over the JSON document `d`.
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
# near A B: equal to 1e-6.
near() { python3 -c "import sys; sys.exit(abs(float(sys.argv[1]) - float(sys.argv[2])) > 1e-6)" "$1" "$2"; }
expect() { # expect FILE EXPR VALUE
	local got
	got=$(jget "$1" "$2") || fail "cannot evaluate $2"
	near "$got" "$3" || fail "$2 is $got, expected $3"
}

# -- 1. known answers ---------------------------------------------------------
K=$TMP/known
mkdir -p "$K/raw"
iperf_tcp() { printf '{"end":{"sum_received":{"bits_per_second":%s}}}\n' "$2" >"$K/raw/$1.json"; }
iperf_udp() { # NAME BLKSIZE BYTES_SENT BYTES_RECEIVED SECONDS BPS
	printf '{"start":{"test_start":{"blksize":%s}},"end":{"sum_sent":{"bytes":%s},"sum_received":{"bytes":%s,"seconds":%s,"bits_per_second":%s,"lost_percent":150}}}\n' \
		"$2" "$3" "$4" "$5" "$6" >"$K/raw/$1.json"
}
{
	echo '{"type":"meta","kernel":"k","cpus":2,"cpu_model":"m","mem_mib":1,"openvpn":"o","iperf3":"i","reps":3,"seconds":5,"omit":1,"udp_rate":"20M","mtu":1420,"tests":"hs tcp1 rtt udp pps rss","rows":"wg ovpn-dco-aes256 ovpn-dco-chacha p2p-chacha p2p-aes256 p2p-aes128 mvpnd-user-aes256"}'
	rep=0
	for v in "wg 100e6 90e6 110e6" "ovpn-dco-chacha 40e6 50e6 45e6" "ovpn-dco-aes256 10e6 8e6 12e6" "p2p-chacha 90e6 100e6 120e6" "p2p-aes256 30e6 10e6 20e6" "p2p-aes128 5e6 5e6 5e6"; do
		# shellcheck disable=SC2086 # split into row and values
		set -- $v
		row=$1
		shift
		rep=0
		for bps in "$@"; do
			rep=$((rep + 1))
			iperf_tcp "$row-$rep-tcp1" "$bps"
			echo "{\"type\":\"sample\",\"row\":\"$row\",\"rep\":$rep,\"test\":\"tcp1\",\"file\":\"raw/$row-$rep-tcp1.json\"}"
		done
	done
	# rtt: medians 10 (wg) and 12 (p2p-chacha) -> 1.2
	printf 'PING x\n64 bytes: time=9.0 ms\n64 bytes: time=10.0 ms\n64 bytes: time=30 ms\n' >"$K/raw/wg-1-rtt.txt"
	printf '64 bytes: time=12.0 ms\n' >"$K/raw/p2p-chacha-1-rtt.txt"
	printf 'no replies at all\n' >"$K/raw/p2p-aes256-1-rtt.txt"
	for r in wg p2p-chacha p2p-aes256; do
		echo "{\"type\":\"sample\",\"row\":\"$r\",\"rep\":1,\"test\":\"rtt\",\"file\":\"raw/$r-1-rtt.txt\"}"
	done
	# udp: 1000 datagrams of 1200 B sent, 900 received -> 10 % (not iperf3's
	# lost_percent); pps: 900 datagrams of 64 B received in 2 s -> 450
	iperf_udp wg-1-udp 1200 1200000 1080000 2 8e6
	iperf_udp wg-1-pps 64 64000 57600 2 1e6
	echo '{"type":"sample","row":"wg","rep":1,"test":"udp","file":"raw/wg-1-udp.json"}'
	echo '{"type":"sample","row":"wg","rep":1,"test":"pps","file":"raw/wg-1-pps.json"}'
	echo '{"iperf3 is unhappy": 1, "error": "unable to connect"}' >"$K/raw/p2p-aes128-1-pps.json"
	echo '{"type":"sample","row":"p2p-aes128","rep":1,"test":"pps","file":"raw/p2p-aes128-1-pps.json"}'
	# hs and rss are values: seconds, KiB
	for x in "mvpnd-user-aes256 hs 2.0" "mvpnd-user-aes256 hs 4.0" "ovpn-dco-aes256 hs 8.0" "mvpnd-user-aes256 rss 2048" "ovpn-dco-aes256 rss 10240"; do
		# shellcheck disable=SC2086 # split into row, test and value
		set -- $x
		echo "{\"type\":\"sample\",\"row\":\"$1\",\"rep\":1,\"test\":\"$2\",\"value\":$3}"
	done
	echo '{"type":"error","row":"mvpnd-user-aes256","rep":2,"test":"hs","reason":"the client end exited"}'
	for r in wg ovpn-dco-aes256 ovpn-dco-chacha p2p-chacha p2p-aes256 p2p-aes128; do
		echo "{\"type\":\"row\",\"row\":\"$r\",\"status\":\"ok\"}"
	done
	echo '{"type":"row","row":"mvpnd-user-aes256","status":"failed (hs: the client end exited)"}'
} >"$K/results.jsonl"

"$REPORT" --json "$K" >"$TMP/known.json" 2>"$TMP/known.err" || { cat "$TMP/known.err" >&2; fail "bench-report --json failed on the known run"; }
row() { echo "[r for r in d['rows'] if r['id'] == '$1'][0]"; }
expect "$TMP/known.json" "$(row p2p-aes256)['metrics']['tcp1']['median']" 20
expect "$TMP/known.json" "$(row p2p-aes256)['metrics']['tcp1']['spread_pct']" 100
expect "$TMP/known.json" "$(row p2p-aes256)['metrics']['tcp1']['ratio_dco']" 2.0
expect "$TMP/known.json" "$(row p2p-aes256)['metrics']['tcp1']['ratio_wg']" 0.2
expect "$TMP/known.json" "$(row p2p-chacha)['metrics']['tcp1']['ratio_dco']" 2.2222222222	# 100 / 45
expect "$TMP/known.json" "$(row p2p-chacha)['metrics']['tcp1']['ratio_wg']" 1.0
expect "$TMP/known.json" "$(row p2p-chacha)['metrics']['rtt']['ratio_wg']" 1.2
expect "$TMP/known.json" "$(row wg)['metrics']['rtt']['median']" 10
expect "$TMP/known.json" "$(row wg)['metrics']['udp']['median']" 10
expect "$TMP/known.json" "$(row wg)['metrics']['pps']['median']" 450
expect "$TMP/known.json" "$(row wg)['metrics']['tcp1']['ratio_dco']" 2.2222222222	# WireGuard vs ovpn-dco ChaCha20
expect "$TMP/known.json" "$(row p2p-aes128)['metrics']['tcp1']['ratio_dco']" 0.5	# no aes128 anchor: AES-256-GCM
expect "$TMP/known.json" "$(row mvpnd-user-aes256)['metrics']['hs']['median']" 3.0
expect "$TMP/known.json" "$(row mvpnd-user-aes256)['metrics']['rss']['median']" 2.0
expect "$TMP/known.json" "$(row ovpn-dco-aes256)['metrics']['rss']['median']" 10.0
[ "$(jget "$TMP/known.json" "$(row mvpnd-user-aes256)['status']")" = "failed (hs: the client end exited)" ] ||
	fail "the failed row's status is lost"
[ "$(jget "$TMP/known.json" "'rtt' in $(row p2p-aes256)['metrics']")" = False ] ||
	fail "a ping output without replies produced an rtt"
[ "$(jget "$TMP/known.json" "len(d['errors'])")" = 3 ] ||
	fail "expected 3 errors (no ping reply, iperf3 error, client exited): $(jget "$TMP/known.json" "d['errors']")"
# targets: p2p-aes256 2.0x (< 2.5: not met), p2p-chacha rtt 1.2x wg (met: <= 1.2)
[ "$(jget "$TMP/known.json" "[t['met'] for t in d['targets'] if t['row'] == 'p2p-aes256' and t['metric'] == 'tcp1'][0]")" = False ] ||
	fail "target 2.5x ovpn-dco reported met at 2.0x"
[ "$(jget "$TMP/known.json" "[t['met'] for t in d['targets'] if t['row'] == 'p2p-chacha' and t['metric'] == 'rtt'][0]")" = True ] ||
	fail "target rtt <= 1.2x wg reported not met at 1.2x"

"$REPORT" "$K" >"$TMP/known.txt" || fail "bench-report (table) failed on the known run"
grep -q '^median (spread) .*tcp1 Mbit/s' "$TMP/known.txt" || fail "the table has no header: $(head -n 8 "$TMP/known.txt")"
grep -Eq '^p2p-aes256 +20\.0 \(100%\)' "$TMP/known.txt" || fail "p2p-aes256's tcp1 cell is not '20.0 (100%)'"
grep -Eq '^p2p-aes256 +2\.00 / 0\.20' "$TMP/known.txt" || fail "p2p-aes256's ratio cell is not '2.00 / 0.20'"
grep -q 'not met  mvpn-dco >= 2.5x ovpn-dco' "$TMP/known.txt" || fail "the targets are missing from the table"

# Bad input: a clear one-line error and a non-zero exit, never a traceback.
mkdir -p "$TMP/bad"
echo '{"type":"sample",' >"$TMP/bad/results.jsonl"
expect_fail "$REPORT" "$TMP/bad"
[[ "$ERR" == *"results.jsonl:1: not JSON"* ]] || fail "unclear error for a broken results.jsonl: $ERR"
expect_fail "$REPORT" "$TMP/nonexistent"
[[ "$ERR" == "bench-report: cannot read"* ]] || fail "unclear error for a missing run: $ERR"
[[ "$ERR" != *Traceback* ]] || fail "bench-report crashed: $ERR"

# -- 2. a real run: veth and WireGuard, 1 s each --------------------------------
R=$TMP/run
"$REPO/scripts/bench-run" --rows veth,wg --reps 1 --time 1 --out "$R" >"$TMP/run.log" 2>&1 ||
	{ cat "$TMP/run.log" >&2; fail "bench-run failed"; }
"$REPORT" --json "$R" >"$TMP/run.json" || fail "bench-report --json failed on a real run"
"$REPORT" "$R" >"$TMP/run.txt" || fail "bench-report failed on a real run"
[ "$(jget "$TMP/run.json" "[r['id'] for r in d['rows']]")" = "['veth', 'wg']" ] || fail "rows: $(jget "$TMP/run.json" "d['rows']")"
for r in veth wg; do
	[ "$(jget "$TMP/run.json" "$(row $r)['status']")" = ok ] ||
		{ cat "$TMP/run.log" >&2; fail "$r: $(jget "$TMP/run.json" "$(row $r)['status']")"; }
	for m in tcp1 tcp4 udp udp_rx rtt pps; do
		n=$(jget "$TMP/run.json" "len($(row $r)['metrics'].get('$m', {}).get('samples', []))")
		[ "$n" = 1 ] || fail "$r: $n samples of $m, expected 1 ($(jget "$TMP/run.json" "d['errors']"))"
	done
	jget "$TMP/run.json" "$(row $r)['metrics']['tcp1']['median'] > 0" | grep -q True || fail "$r: no TCP traffic"
	grep -Eq "^$r +[0-9]" "$TMP/run.txt" || fail "no table line for $r: $(cat "$TMP/run.txt")"
done
# Only rows with a tunnel have a handshake; only daemons have an RSS.
jget "$TMP/run.json" "$(row wg)['metrics']['hs']['median'] > 0" | grep -q True || fail "wg: no handshake time"
[ "$(jget "$TMP/run.json" "'hs' in $(row veth)['metrics'] or 'rss' in $(row wg)['metrics']")" = False ] ||
	fail "veth has a handshake or wg an RSS"
[ "$(jget "$TMP/run.json" "len(d['errors'])")" = 0 ] || fail "errors: $(jget "$TMP/run.json" "d['errors']")"
ip netns list | grep -q '^mb-' && fail "bench-run left namespaces behind: $(ip netns list)"
note "veth $(jget "$TMP/run.json" "round($(row veth)['metrics']['tcp1']['median'])") Mbit/s, wg $(jget "$TMP/run.json" "round($(row wg)['metrics']['tcp1']['median'])") Mbit/s (not asserted)"
exit 0
