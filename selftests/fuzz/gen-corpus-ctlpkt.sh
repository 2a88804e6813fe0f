#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# gen-corpus-ctlpkt.sh: (re)build the seed corpus of fuzz_ctlpkt from real
# traffic.  Debian's OpenVPN 2.6 runs as server and client in two network
# namespaces, with the same fixed public test keys the harness uses, once
# per wrapper; tcpdump captures the handshake and the first control packets
# of each direction go into selftests/fuzz/corpus/fuzz_ctlpkt/, prefixed
# with the harness's target byte.  Text targets (key-method 2, control
# messages, key files) get hand-made seeds.  Needs root; run by hand:
#
#     selftests/fuzz/gen-corpus-ctlpkt.sh
#
#   ns wlc-s (192.0.2.1, openvpn --server) <-veth-> ns wlc-c (192.0.2.2, openvpn --client)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=$repo/selftests/fuzz/corpus/fuzz_ctlpkt
work=$(mktemp -d /tmp/mvpn-corpus.XXXXXX)
S=wlc-s$$ C=wlc-c$$
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	ip netns del $S 2>/dev/null || true
	ip netns del $C 2>/dev/null || true
	[ -n "${MVPN_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

# --- the harness's fixed keys as files (see init_keys() in fuzz_ctlpkt.c) ---
python3 - <<'EOF'
import base64, hashlib, hmac, struct, subprocess
key = bytes((i * 7 + 3) & 0xff for i in range(256))
kc = bytes((i * 13 + 7) & 0xff for i in range(256))
srv = bytes((i * 11 + 5) & 0xff for i in range(128))
def ctr(k, iv, d):
    return subprocess.run(["openssl", "enc", "-aes-256-ctr", "-K", k.hex(), "-iv", iv.hex(),
                           "-nosalt", "-nopad"], input=d, capture_output=True, check=True).stdout
meta = b"\x00fuzz"
n = 32 + 256 + len(meta) + 2
tag = hmac.new(srv[64:96], struct.pack(">H", n) + kc + meta, hashlib.sha256).digest()
wkc = tag + ctr(srv[:32], tag[:16], kc + meta) + struct.pack(">H", n)
def pem(name, b):
    t = base64.b64encode(b).decode()
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (
        name, "\n".join(t[i:i + 64] for i in range(0, len(t), 64)), name)
hexkey = "\n".join(key[i:i + 16].hex() for i in range(0, 256, 16))
open("static.key", "w").write("-----BEGIN OpenVPN Static key V1-----\n%s\n"
                              "-----END OpenVPN Static key V1-----\n" % hexkey)
open("v2srv.key", "w").write(pem("OpenVPN tls-crypt-v2 server key", srv))
open("v2cli.key", "w").write(pem("OpenVPN tls-crypt-v2 client key", kc + wkc))
EOF
chmod 600 ./*.key

# --- throwaway PKI ---------------------------------------------------------
mkcert() { # name eku
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$1.key" \
		-out "$1.csr" -subj "/CN=$1" 2>/dev/null
	printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyAgreement\nextendedKeyUsage=%s\n' "$2" >"$1.ext"
	openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "$1.pem" \
		-days 1 -extfile "$1.ext" 2>/dev/null
}
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
	-out ca.pem -days 1 -subj /CN=corpus-ca 2>/dev/null
mkcert srv serverAuth
mkcert cli clientAuth

ip netns add $S
ip netns add $C
ip link add wlcs$$ type veth peer name wlcc$$
ip link set wlcs$$ netns $S
ip link set wlcc$$ netns $C
ip -n $S addr add 192.0.2.1/24 dev wlcs$$
ip -n $C addr add 192.0.2.2/24 dev wlcc$$
ip -n $S link set wlcs$$ up
ip -n $C link set wlcc$$ up

wait_for() { # file pattern seconds
	local end=$((SECONDS + $3))
	while [ $SECONDS -lt $end ]; do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done
	return 1
}

# capture TAG "server options" "client options": one handshake, pcap in TAG.pcap
capture() {
	ip netns exec $S tcpdump -i wlcs$$ --immediate-mode -U -w "$1.pcap" udp port 1194 2>"$1.tcpdump" &
	local tp=$!
	wait_for "$1.tcpdump" "listening on" 10
	ip netns exec $S openvpn --dev tun --server 10.8.0.0 255.255.255.0 --topology subnet \
		--ca ca.pem --cert srv.pem --key srv.key --dh none --disable-dco --verb 3 $2 \
		>"$1-srv.log" 2>&1 &
	local sp=$!
	wait_for "$1-srv.log" "Initialization Sequence Completed" 20
	ip netns exec $C openvpn --client --dev tun --remote 192.0.2.1 --ca ca.pem \
		--cert cli.pem --key cli.key --remote-cert-tls server --disable-dco --verb 3 $3 \
		>"$1-cli.log" 2>&1 &
	local cp=$!
	wait_for "$1-cli.log" "Initialization Sequence Completed" 30 ||
		{ echo "$1: no tunnel"; cat "$1-cli.log"; exit 1; }
	kill $cp $sp
	wait $cp $sp 2>/dev/null || true
	kill $tp
	wait $tp 2>/dev/null || true
}

capture none "" ""
capture auth1 "--tls-auth static.key 0" "--tls-auth static.key 1"
capture auth256 "--tls-auth static.key 0 --auth SHA256" "--tls-auth static.key 1 --auth SHA256"
capture crypt "--tls-crypt static.key" "--tls-crypt static.key"
capture v2 "--tls-crypt-v2 v2srv.key" "--tls-crypt-v2 v2cli.key"

mkdir -p "$out"
rm -f "$out"/*
python3 - "$out" <<'EOF'
import struct, sys
out = sys.argv[1]
# target bytes of fuzz_ctlpkt.c (enum target)
T = {"none": (0, 0), "auth1": (1, 2), "auth256": (3, None), "crypt": (4, 5), "v2": (6, 7)}
def udp_payloads(path):
    d = open(path, "rb").read()
    off = 24
    while off + 16 <= len(d):
        incl = struct.unpack("<I", d[off + 8:off + 12])[0]
        pkt = d[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(pkt) < 42 or pkt[12:14] != b"\x08\x00":
            continue
        ihl = (pkt[14] & 15) * 4
        udp = pkt[14 + ihl:]
        yield struct.unpack(">H", udp[0:2])[0], udp[8:]
for tag, (to_srv, to_cli) in T.items():
    n = {0: 0, 1: 0}
    for sport, payload in udp_payloads(tag + ".pcap"):
        op = payload[0] >> 3
        if op in (6, 9):		# data packets belong to fuzz_datapkt
            continue
        toward_server = sport != 1194
        sel = to_srv if toward_server else to_cli
        if sel is None or n[toward_server] >= 6:
            continue
        n[toward_server] += 1
        name = "%s-%s-%d-op%d" % (tag, "c2s" if toward_server else "s2c", n[toward_server], op)
        open("%s/%s" % (out, name), "wb").write(bytes([sel]) + payload)
# text targets: 10 km2 client, 11 km2 server, 12 control messages, 13 key files
def s(x):
    b = x + b"\0"
    return struct.pack(">H", len(b)) + b
pi = (b"IV_VER=2.6.14\nIV_PLAT=linux\nIV_TCPNL=1\nIV_MTU=1600\nIV_NCP=2\n"
      b"IV_CIPHERS=AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305\nIV_PROTO=990\n"
      b"IV_LZO_STUB=1\nIV_COMP_STUB=1\nIV_COMP_STUBv2=1\n")
opts = b"V4,dev-type tun,link-mtu 1541,tun-mtu 1500,proto UDPv4,auth SHA1,keysize 128,key-method 2,tls-client"
open(out + "/km2-client", "wb").write(bytes([10]) + b"\0\0\0\0\2" + bytes(112) + s(opts)
                                      + s(b"user") + s(b"pass") + s(pi))
open(out + "/km2-server", "wb").write(bytes([11]) + b"\0\0\0\0\2" + bytes(64) +
                                      s(opts.replace(b"tls-client", b"tls-server")) + b"\0\0\0\0\0\0")
open(out + "/ctlmsg", "wb").write(bytes([12]) + b"PUSH_REPLY,route-gateway 10.8.0.1,topology subnet,"
    b"ping 10,ping-restart 120,ifconfig 10.8.0.2 255.255.255.0,peer-id 0,cipher AES-256-GCM,"
    b"protocol-flags cc-exit tls-ekm dyn-tls-crypt,tun-mtu 1500,push-continuation 1\0"
    b"AUTH_FAILED,TEMP[backoff 5]:x\0AUTH_PENDING,timeout 30\0RESTART,[PN]bye\0INFO_PRE,x\0HALT\0EXIT\0")
# dynamic tls-crypt (key_id > 0) cannot be captured with a fixed key: build
# SOFT_RESET packets from the facts (key = EKM pattern xor static key)
import hashlib, hmac, subprocess
key = bytes((i * 7 + 3) & 0xff for i in range(256))
ekm = bytes((i * 3 + 1) & 0xff for i in range(256))
dyn = bytes(a ^ b for a, b in zip(ekm, key))
def tls_crypt(k, tx, first, sid, pid, rec):
    ke, ka = k[128 * tx:128 * tx + 32], k[128 * tx + 64:128 * tx + 96]
    hdr = bytes([first]) + sid + struct.pack(">II", pid, 0x60000000)
    tag = hmac.new(ka, hdr + rec, hashlib.sha256).digest()
    ct = subprocess.run(["openssl", "enc", "-aes-256-ctr", "-K", ke.hex(), "-iv", tag[:16].hex(),
                         "-nosalt", "-nopad"], input=rec, capture_output=True, check=True).stdout
    return hdr + tag + ct
open(out + "/dyn-c2s-softreset", "wb").write(bytes([8]) + tls_crypt(dyn, 1, (3 << 3) | 1,
    bytes(range(1, 9)), 1, b"\0\0\0\0\0"))
open(out + "/dyn-s2c-ack", "wb").write(bytes([9]) + tls_crypt(dyn, 0, (5 << 3) | 1,
    bytes(range(9, 17)), 2, b"\x01\0\0\0\0" + bytes(range(1, 9))))
open(out + "/keyfile-static", "wb").write(bytes([13]) + open("static.key", "rb").read())
open(out + "/keyfile-v2cli", "wb").write(bytes([13]) + open("v2cli.key", "rb").read())
open(out + "/keyfile-v2srv", "wb").write(bytes([13]) + open("v2srv.key", "rb").read())
EOF
ls -l "$out" | tail -n +2 | wc -l | xargs echo "fuzz_ctlpkt corpus files:"
