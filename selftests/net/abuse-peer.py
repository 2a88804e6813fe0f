#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""
abuse-peer.py: a fake OpenVPN peer for selftests/net/40-daemon-abuse.sh.

It reads what the real server sent the client (a pcap taken on the server's
veth while the tunnel came up) and sends the client COUNT malformed
datagrams built from it, with forged IPv4/UDP headers (raw socket), from
the server's own address and port, from another port of the server, and
from another address.  Python's standard library only; deterministic for
a given --seed.

Kinds of datagram (each from a random source of the three above):
  garbage     a valid opcode byte (any of the 11, any key id), random bytes
  sid         a valid control opcode, the server's real session id, random bytes
  replay      a captured server packet, verbatim (valid wrapper, replayed)
  flip        a captured server packet with one bit flipped (invalid wrapper)
  truncated   the first 0..24 bytes of a captured packet
  oversized   1500..65000 bytes behind a valid opcode (sent as IP fragments)
  badop       opcode 0 or 12..31, random bytes
  data        P_DATA_V2 with the real peer-id, random bytes (and data replays)

  abuse-peer.py --pcap FILE --server IP:PORT --client IP --other-ip IP
                --count N [--rate PPS] [--seed S] [--no-sid] [--no-flip]
                [--server-only]

--no-sid and --no-flip leave out the 'sid' and 'flip' kinds: without a
wrapper nothing authenticates a control packet before TLS sees it, so a
packet forged into the real session (a captured one with its msg-id bit
flipped into the receive window, or random msg-ids that land there) is fed
to TLS and ends the session, in OpenVPN as in mvpnd; that is what tls-auth
and tls-crypt are for.
Prints one line per kind with how many were sent, then "sent N".
"""
import argparse
import random
import socket
import struct
import sys
import time

P_DATA_V2 = 9
CONTROL_OPS = [1, 2, 3, 4, 5, 7, 8, 10, 11]
ALL_OPS = CONTROL_OPS + [6, 9]


def read_pcap(path, server, sport):
    """UDP payloads sent by server:sport, and the client's port."""
    data = open(path, "rb").read()
    magic = struct.unpack_from("<I", data, 0)[0]
    end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype = struct.unpack_from(end + "I", data, 20)[0]
    off, out, cport = 24, [], None
    while off + 16 <= len(data):
        incl = struct.unpack_from(end + "I", data, off + 8)[0]
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if linktype == 1:		# Ethernet
            if len(pkt) < 14 or struct.unpack_from("!H", pkt, 12)[0] != 0x0800:
                continue
            ip = pkt[14:]
        elif linktype == 113:		# Linux cooked
            if len(pkt) < 16 or struct.unpack_from("!H", pkt, 14)[0] != 0x0800:
                continue
            ip = pkt[16:]
        else:
            sys.exit("abuse-peer: pcap link type %d not supported" % linktype)
        if len(ip) < 20 or ip[9] != 17:
            continue
        ihl = (ip[0] & 15) * 4
        src = socket.inet_ntoa(ip[12:16])
        s, d, ulen = struct.unpack_from("!HHH", ip, ihl)
        if src != server or s != sport:
            continue
        cport = d
        out.append(bytes(ip[ihl + 8:ihl + ulen]))
    return out, cport


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def ip_packets(src, sport, dst, dport, payload, ident):
    """The datagram as IPv4 packets (fragments when above 1500 bytes)."""
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    frags, off, mtu = [], 0, 1480
    while True:
        chunk = udp[off:off + mtu]
        more = off + len(chunk) < len(udp)
        flags = (0x2000 if more else 0) | (off // 8)
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(chunk), ident, flags, 64, 17, 0,
                          socket.inet_aton(src), socket.inet_aton(dst))
        hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
        frags.append(hdr + chunk)
        off += len(chunk)
        if not more:
            return frags


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pcap", required=True)
    ap.add_argument("--server", required=True)
    ap.add_argument("--client", required=True)
    ap.add_argument("--other-ip", required=True)
    ap.add_argument("--count", type=int, default=100000)
    ap.add_argument("--rate", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-sid", action="store_true")
    ap.add_argument("--no-flip", action="store_true")
    ap.add_argument("--server-only", action="store_true",
                    help="every packet from the server's own address and port")
    a = ap.parse_args()
    srv_ip, srv_port = a.server.rsplit(":", 1)
    srv_port = int(srv_port)
    caught, cport = read_pcap(a.pcap, srv_ip, srv_port)
    if not caught or cport is None:
        sys.exit("abuse-peer: no packet from %s in %s" % (a.server, a.pcap))
    ctl = [p for p in caught if p and p[0] >> 3 in CONTROL_OPS and len(p) >= 9]
    data = [p for p in caught if p and p[0] >> 3 == P_DATA_V2 and len(p) >= 8]
    if not ctl:
        sys.exit("abuse-peer: no control packet from the server in the capture")
    sid = ctl[0][1:9]
    peer_id = data[0][1:4] if data else b"\0\0\1"
    rnd = random.Random(a.seed)
    kinds = ["garbage", "replay", "truncated", "oversized", "badop", "data"]
    if not a.no_flip:
        kinds.append("flip")
    if not a.no_sid:
        kinds.append("sid")
    sent = {k: 0 for k in kinds}
    srcs = {"server": 0, "server-other-port": 0, "other-address": 0}
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    raw.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    start = time.monotonic()
    for i in range(a.count):
        kind = kinds[i % len(kinds)] if i < len(kinds) else rnd.choice(kinds)
        op = rnd.choice(CONTROL_OPS)
        if kind == "garbage":
            body = bytes([rnd.choice(ALL_OPS) << 3 | rnd.randrange(8)]) + rnd.randbytes(rnd.randrange(0, 1400))
        elif kind == "sid":
            body = bytes([op << 3 | rnd.randrange(8)]) + sid + rnd.randbytes(rnd.randrange(0, 1200))
        elif kind == "replay":
            body = rnd.choice(caught)
        elif kind == "flip":
            p = bytearray(rnd.choice(caught))
            bit = rnd.randrange(len(p) * 8)
            p[bit // 8] ^= 1 << (bit % 8)
            body = bytes(p)
        elif kind == "truncated":
            body = rnd.choice(caught)[:rnd.randrange(0, 25)]
        elif kind == "oversized":
            body = bytes([op << 3]) + sid + rnd.randbytes(rnd.randrange(1500, 65000))
        elif kind == "badop":
            body = bytes([rnd.choice([0] + list(range(12, 32))) << 3 | rnd.randrange(8)]) + \
                rnd.randbytes(rnd.randrange(0, 1400))
        else:
            if data and rnd.random() < 0.3:
                body = rnd.choice(data)
            else:
                body = bytes([P_DATA_V2 << 3]) + peer_id + rnd.randbytes(rnd.randrange(0, 1400))
        r = 0.0 if a.server_only else rnd.random()
        if r < 0.7:
            src, sport, which = srv_ip, srv_port, "server"
        elif r < 0.8:
            src, sport, which = srv_ip, rnd.randrange(1024, 65536), "server-other-port"
            if sport == srv_port:
                sport += 1
        else:
            src, sport, which = a.other_ip, rnd.choice([srv_port, rnd.randrange(1024, 65536)]), \
                "other-address"
        for frag in ip_packets(src, sport, a.client, cport, body, i & 0xFFFF):
            try:
                raw.sendto(frag, (a.client, 0))
            except OSError as e:
                sys.exit("abuse-peer: send: %s" % e)
        sent[kind] += 1
        srcs[which] += 1
        # pace the flood: the same socket carries the real tunnel
        if a.rate and i % 100 == 99:
            ahead = (i + 1) / a.rate - (time.monotonic() - start)
            if ahead > 0:
                time.sleep(ahead)
    for k in kinds:
        print("  %-10s %d" % (k, sent[k]))
    for k, v in srcs.items():
        print("  from %-18s %d" % (k, v))
    print("client port %d, %d captured packets, %.1f s" % (cport, len(caught), time.monotonic() - start))
    print("sent %d" % a.count)


if __name__ == "__main__":
    main()
