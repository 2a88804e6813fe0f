#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""
Independent known answers for test_kdf.c: the TLS 1.0 PRF (RFC 2246 §5)
and OpenVPN's master secret / key expansion (openvpn-protocol.md §7.2),
written from the specification with hmac/hashlib only.
    python3 selftests/unit/vectors/kdf_kat.py
"""
import hashlib, hmac

def p_hash(h, secret, seed, n):
    out, a = b"", seed
    while len(out) < n:
        a = hmac.new(secret, a, h).digest()
        out += hmac.new(secret, a + seed, h).digest()
    return out[:n]

def prf(secret, seed, n):
    half = (len(secret) + 1) // 2
    return bytes(x ^ y for x, y in zip(p_hash(hashlib.md5, secret[:half], seed, n),
                                       p_hash(hashlib.sha1, secret[len(secret) - half:], seed, n)))

def carr(name, b):
    s = "static const uint8_t %s[%d] = {\n" % (name, len(b))
    for i in range(0, len(b), 12):
        s += "\t" + " ".join("0x%02x," % x for x in b[i:i + 12]) + "\n"
    return s + "};\n"

# PRF with an even secret, a 1-byte secret and an odd output length
print(carr("kat_prf_even", prf(bytes(range(1, 49)), b"seed-for-the-even-case", 100)))
print(carr("kat_prf_one", prf(b"\x42", b"x", 37)))

pre = bytes((i * 5 + 1) & 0xff for i in range(48))
cr1 = bytes((i + 0x10) & 0xff for i in range(32))
cr2 = bytes((i + 0x30) & 0xff for i in range(32))
sr1 = bytes((0x90 - i) & 0xff for i in range(32))
sr2 = bytes((0xf0 - i) & 0xff for i in range(32))
csid = bytes.fromhex("0102030405060708")
ssid = bytes.fromhex("f1f2f3f4f5f6f7f8")
master = prf(pre, b"OpenVPN master secret" + cr1 + sr1, 48)
key2 = prf(master, b"OpenVPN key expansion" + cr2 + sr2 + csid + ssid, 256)
print(carr("kat_master", master))
print(carr("kat_key2", key2))
