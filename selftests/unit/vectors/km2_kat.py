#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""
Independent known answer for test_keymethod2.c: a client key-method-2
message assembled from openvpn-protocol.md §6 with struct.pack.  The
options and peer-info strings are the ones Debian's OpenVPN 2.6.14 client
logged/sent in a namespace test (tls-crypt, default options).
    python3 selftests/unit/vectors/km2_kat.py
"""
import struct

def s(x):
    if x is None:
        return b"\0\0"
    b = x.encode() + b"\0"
    return struct.pack(">H", len(b)) + b

pre = bytes((i * 3 + 9) & 0xff for i in range(48))
r1 = bytes((0x20 + i) & 0xff for i in range(32))
r2 = bytes((0x60 + i) & 0xff for i in range(32))
opts = "V4,dev-type tun,link-mtu 1541,tun-mtu 1500,proto UDPv4,auth SHA1,keysize 128,key-method 2,tls-client"
pi = ("IV_VER=2.6.14\nIV_PLAT=linux\nIV_TCPNL=1\nIV_MTU=1600\nIV_NCP=2\n"
      "IV_CIPHERS=AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305\nIV_PROTO=990\n"
      "IV_LZO_STUB=1\nIV_COMP_STUB=1\nIV_COMP_STUBv2=1\n")
msg = b"\0\0\0\0\x02" + pre + r1 + r2 + s(opts) + s("alice") + s("s3cret") + s(pi)
print("static const uint8_t kat_km2_client[%d] = {" % len(msg))
for i in range(0, len(msg), 12):
    print("\t" + " ".join("0x%02x," % x for x in msg[i:i + 12]))
print("};")
