#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
#
# gen-corpus-engine.py: seed inputs for fuzz_engine (format in
# selftests/fuzz/fuzz_engine.c): scripted sessions that reach each state of
# the engine, for the fuzzer to mutate.
#   python3 selftests/fuzz/gen-corpus-engine.py selftests/fuzz/corpus/fuzz_engine
import os
import struct
import sys

NONE, AUTH, CRYPT, V2 = 0, 1, 2, 3
FORCE_PRF, KM2 = 4, 8
UP = 255
R_PACKET, R_SEALED, R_TIME, R_PLAIN, R_EVENT, R_SOFT_RESET, R_REPLAY, R_LINK = range(8)
EV = dict(start=0, link_up=1, link_down=2, tick=3, stop=4, restart=5, peer_expired=6,
          key_low=7, counters=8, data_exit=9)


def rec(op, data=b""):
    return bytes([op]) + struct.pack(">H", len(data)) + data


def time(ms):
    return rec(R_TIME, struct.pack(">H", ms // 16))


def msg(text):
    return rec(R_PLAIN, text.encode() + b"\0")


def sealed(opcode, key_id, acks=(), msg_id=0, payload=b"", flags=0):
    body = bytes([opcode - 3, key_id, flags, len(acks)])
    body += b"".join(struct.pack(">I", a) for a in acks) + struct.pack(">I", msg_id) + payload
    return rec(R_SEALED, body)


def km2_server(options=b"V4,dev-type tun,tls-server"):
    return (b"\0\0\0\0\2" + bytes(range(64)) + struct.pack(">H", len(options) + 1) + options
            + b"\0" + b"\0\0\0\0" + b"\0\0")


seeds = {
    "up-push-continuation": bytes([CRYPT, UP]) + msg("PUSH_REPLY,route 10.1.0.0 255.255.0.0,push-continuation 2")
    + msg("PUSH_REPLY,ifconfig 10.8.0.9 255.255.255.0,push-continuation 1") + time(2000),
    "up-restart-next": bytes([AUTH, UP]) + msg("RESTART,[N]going down") + time(5000),
    "up-auth-failed-temp": bytes([V2, UP]) + msg("AUTH_FAILED,TEMP[backoff 3]:busy") + time(3000),
    "up-halt": bytes([NONE, UP]) + msg("HALT,bye") + time(1000),
    "up-info": bytes([CRYPT, UP]) + msg("INFO,WEB_AUTH::https://example.invalid") + msg("AUTH_PENDING,timeout 30"),
    "up-reneg-both": bytes([V2, UP]) + rec(R_SOFT_RESET) + time(3000)
    + rec(R_EVENT, bytes([EV["key_low"]])) + time(3000),
    "up-stop": bytes([CRYPT, UP]) + rec(R_EVENT, bytes([EV["stop"]])) + time(3000),
    "up-counters": bytes([AUTH | FORCE_PRF, UP])
    + rec(R_EVENT, bytes([EV["counters"]]) + struct.pack(">II", 0x10000, 5000)) + time(1000),
    "up-sealed-soft-reset-kid2": bytes([CRYPT, UP]) + sealed(3, 2) + sealed(4, 0, acks=[3], msg_id=5, payload=b"\x16\x03\x03\0\1\0"),
    "up-lossy-reneg": bytes([NONE, UP]) + rec(R_LINK, bytes([25, 10, 50])) + rec(R_SOFT_RESET) + time(60000),
    "handshake-step3-garbage": bytes([CRYPT, 3]) + rec(R_PACKET, b"\x40" + bytes(40)) + rec(R_REPLAY, b"\0")
    + time(1000),
    "handshake-step1-sealed-reset": bytes([AUTH, 1]) + sealed(8, 0, acks=[0], msg_id=0, payload=b"\0\1\0\2\0\1")
    + time(3000),
    "handshake-v2-step2": bytes([V2, 2]) + time(500) + rec(R_REPLAY, b"\0") + time(20000),
    "handshake-link-down": bytes([CRYPT, 5]) + rec(R_EVENT, bytes([EV["link_down"]])) + time(5000),
    "km2-valid": bytes([CRYPT | KM2, UP]) + rec(R_PLAIN, km2_server()) + time(6000),
    "km2-short": bytes([AUTH | KM2, UP]) + rec(R_PLAIN, b"\0\0\0\0\2" + bytes(10)) + time(2000),
}

out = sys.argv[1] if len(sys.argv) > 1 else "selftests/fuzz/corpus/fuzz_engine"
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
