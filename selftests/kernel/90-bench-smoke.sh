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

# check REPORT_JSON CHECKS_FILE: one Python process evaluates every line
# "EXPRESSION | EXPECTED" of CHECKS_FILE over the report `d` (row(ID) gives
# one row; EXPECTED is a number, compared to 1e-6, or a Python literal) and
# prints each mismatch; it fails when there is any.  One process because every Python
# start costs seconds under TCG.
CHECKER='
import ast, json, sys
d = json.load(open(sys.argv[1]))
def row(i):
    return [r for r in d["rows"] if r["id"] == i][0]
bad = 0
for line in open(sys.argv[2]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    expr, want = [x.strip() for x in line.rsplit("|", 1)]
    try:
        got = eval(expr)
    except Exception as e:
        got = f"<{type(e).__name__}: {e}>"
    want = ast.literal_eval(want)
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        ok = isinstance(got, (int, float)) and abs(got - want) <= 1e-6
    else:
        ok = got == want
    if not ok:
        bad += 1
        print(f"FAIL: {expr} is {got!r}, expected {want!r}")
sys.exit(1 if bad else 0)
'
check() { python3 -c "$CHECKER" "$1" "$2" >&2; }

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
cat >"$TMP/known.checks" <<'CHECKS'
row("p2p-aes256")["metrics"]["tcp1"]["median"]            | 20
row("p2p-aes256")["metrics"]["tcp1"]["spread_pct"]        | 100	# (30 - 10) / 20
row("p2p-aes256")["metrics"]["tcp1"]["ratio_dco"]         | 2.0
row("p2p-aes256")["metrics"]["tcp1"]["ratio_wg"]          | 0.2
row("p2p-chacha")["metrics"]["tcp1"]["ratio_dco"]         | 2.2222222222	# 100 / 45: same cipher
row("p2p-chacha")["metrics"]["tcp1"]["ratio_wg"]          | 1.0
row("p2p-chacha")["metrics"]["rtt"]["ratio_wg"]           | 1.2
row("wg")["metrics"]["rtt"]["median"]                     | 10
row("wg")["metrics"]["udp"]["median"]                     | 10	# from bytes, not lost_percent
row("wg")["metrics"]["pps"]["median"]                     | 450
row("wg")["metrics"]["tcp1"]["ratio_dco"]                 | 2.2222222222	# WireGuard vs ovpn-dco ChaCha20
row("p2p-aes128")["metrics"]["tcp1"]["ratio_dco"]         | 0.5	# no aes128 anchor: AES-256-GCM
row("mvpnd-user-aes256")["metrics"]["hs"]["median"]       | 3.0
row("mvpnd-user-aes256")["metrics"]["rss"]["median"]      | 2.0	# KiB -> MiB
row("ovpn-dco-aes256")["metrics"]["rss"]["median"]        | 10.0
row("mvpnd-user-aes256")["status"]                        | "failed (hs: the client end exited)"
"rtt" in row("p2p-aes256")["metrics"]                     | False	# ping without replies
"pps" in row("p2p-aes128")["metrics"]                     | False	# iperf3 error
len(d["errors"])                                          | 3
[t["met"] for t in d["targets"] if t["row"] == "p2p-aes256" and t["metric"] == "tcp1"] | [False]	# 2.0 < 2.5
[t["met"] for t in d["targets"] if t["row"] == "p2p-chacha" and t["metric"] == "rtt"]  | [True]	# 1.2 <= 1.2
CHECKS
check "$TMP/known.json" "$TMP/known.checks" || fail "wrong report on known numbers (above)"

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
grep -q 'bench-run: done' "$TMP/run.log" || { cat "$TMP/run.log" >&2; fail "bench-run did not finish"; }
{
	echo '[r["id"] for r in d["rows"]]        | ["veth", "wg"]'
	echo 'len(d["errors"])                    | 0'
	for r in veth wg; do
		echo "row('$r')['status'] | 'ok'"
		for m in tcp1 tcp4 udp udp_rx rtt pps; do
			echo "len(row('$r')['metrics'].get('$m', {}).get('samples', [])) | 1"
		done
		echo "row('$r')['metrics']['tcp1']['median'] > 0 | True	# TCP went through"
	done
	# Only rows with a tunnel have a handshake; only daemons have an RSS.
	echo 'row("wg")["metrics"]["hs"]["median"] > 0   | True'
	echo '"hs" in row("veth")["metrics"]            | False'
	echo '"rss" in row("wg")["metrics"]             | False'
} >"$TMP/run.checks"
check "$TMP/run.json" "$TMP/run.checks" || { cat "$TMP/run.log" >&2; fail "the real run's report is wrong (above)"; }
for r in veth wg; do
	grep -Eq "^$r +[0-9]" "$TMP/run.txt" || fail "no table line for $r: $(cat "$TMP/run.txt")"
done
if ip netns list | grep -q '^mb-'; then fail "bench-run left namespaces behind: $(ip netns list)"; fi
exit 0
