#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""
Independent known-answer vectors for test_wrap.c, computed from the
protocol facts (openvpn-protocol.md §3.3-§3.8) with hashlib/hmac and the
`openssl enc -aes-256-ctr` command line, not with mvpn code.  Prints C
arrays; the output is pasted into test_wrap.c.  Re-run to check:
    python3 selftests/unit/vectors/wrap_kat.py
"""
import hashlib, hmac, subprocess, struct

def ctr(key, iv, data):
    if not data:
        return b""
    return subprocess.run(["openssl", "enc", "-aes-256-ctr", "-K", key.hex(),
                           "-iv", iv.hex(), "-nosalt", "-nopad"],
                          input=data, capture_output=True, check=True).stdout

def record(acks, peer_sid, msg_id, payload):
    r = bytes([len(acks)]) + b"".join(struct.pack(">I", a) for a in acks)
    if acks:
        r += peer_sid
    if msg_id is not None:
        r += struct.pack(">I", msg_id) + payload
    return r

def kslice(key, k, part):           # part 0 cipher, 1 hmac
    off = 128 * k + 64 * part
    return key[off:off + 64]

def tls_auth(key, tx_k, digest, op, kid, sid, pid, t, rec):
    md = getattr(hashlib, digest.lower())
    hkey = kslice(key, tx_k, 1)[:md().digest_size]
    first = bytes([(op << 3) | kid])
    mac = hmac.new(hkey, struct.pack(">II", pid, t) + first + sid + rec, md).digest()
    return first + sid + mac + struct.pack(">II", pid, t) + rec

def tls_crypt(key, tx_k, op, kid, sid, pid, t, rec):
    ke, ka = kslice(key, tx_k, 0)[:32], kslice(key, tx_k, 1)[:32]
    hdr = bytes([(op << 3) | kid]) + sid + struct.pack(">II", pid, t)
    tag = hmac.new(ka, hdr + rec, hashlib.sha256).digest()
    return hdr + tag + ctr(ke, tag[:16], rec)

def wkc(srv, kc, meta):
    ke, ka = srv[:32], srv[64:96]
    n = 32 + len(kc) + len(meta) + 2
    tag = hmac.new(ka, struct.pack(">H", n) + kc + meta, hashlib.sha256).digest()
    return tag + ctr(ke, tag[:16], kc + meta) + struct.pack(">H", n)

def carr(name, b):
    s = "static const uint8_t %s[%d] = {\n" % (name, len(b))
    for i in range(0, len(b), 12):
        s += "\t" + " ".join("0x%02x," % x for x in b[i:i + 12]) + "\n"
    return s + "};\n"

KEY = bytes((i * 7 + 3) & 0xff for i in range(256))
EKM = bytes((i * 3 + 1) & 0xff for i in range(256))
SID = bytes(range(0x11, 0x19))
PSID = bytes(range(0xa1, 0xa9))
PAY = b"hello tls, this is a control payload"

out = []
# A: tls-auth SHA256, key-direction none (send keys[0]), P_CONTROL_V1
out.append(carr("kat_auth_sha256_bidir", tls_auth(KEY, 0, "SHA256", 4, 2, SID, 3, 0x5f000000,
                                                  record([5, 7], PSID, 9, PAY))))
# B: tls-auth SHA512, key-direction 1 (send keys[1]), P_ACK_V1 with 3 ACKs
out.append(carr("kat_auth_sha512_inv", tls_auth(KEY, 1, "SHA512", 5, 0, SID, 0x0fffffff, 0x61000000,
                                                record([1, 2, 3], PSID, None, b""))))
# C: tls-auth MD5, key-direction 0 (send keys[0]), P_CONTROL_SOFT_RESET_V1
out.append(carr("kat_auth_md5_norm", tls_auth(KEY, 0, "MD5", 3, 1, SID, 1, 1, record([], b"", 0, b""))))
# D: tls-crypt client -> server (client sends keys[1]), P_CONTROL_V1
out.append(carr("kat_crypt_client", tls_crypt(KEY, 1, 4, 0, SID, 2, 0x64000000,
                                              record([0], PSID, 1, PAY * 3))))
# E: tls-crypt server -> client (server sends keys[0]), HARD_RESET_SERVER_V2 + TLV
out.append(carr("kat_crypt_server", tls_crypt(KEY, 0, 8, 0, PSID, 1, 0x64000001,
                                              record([0], SID, 0, bytes([0, 1, 0, 2, 0, 1])))))
# F: dynamic tls-crypt, client, key = EKM xor KEY
DYN = bytes(a ^ b for a, b in zip(EKM, KEY))
out.append(carr("kat_dyn_client", tls_crypt(DYN, 1, 4, 1, SID, 1, 0x65000000,
                                            record([], b"", 0, PAY))))
# G: tls-crypt-v2 WKc with a fixed server key, Kc and user metadata
SRV = bytes((i * 11 + 5) & 0xff for i in range(128))
KC = bytes((i * 13 + 7) & 0xff for i in range(256))
META = b"\x00user-meta"
out.append(carr("kat_wkc", wkc(SRV, KC, META)))
# H: v2 client first packet: HARD_RESET_CLIENT_V3, replay-id 0x0F000001, WKc appended
out.append(carr("kat_v3_reset", tls_crypt(KC, 1, 10, 0, SID, 0x0F000001, 0x66000000,
                                          record([], b"", 0, b"")) + wkc(SRV, KC, META)))
print("".join(out))
