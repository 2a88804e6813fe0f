#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""udpinject.py: hostile datagrams for the replay and robustness selftests.

  udpinject.py payload PCAP
      print (hex) the UDP payload of the first packet in a tcpdump capture
      (Ethernet link type, IPv4 or IPv6)
  udpinject.py send --to ADDR:PORT [--from ADDR:PORT] HEX [--flip BYTE:BIT]
                    [--truncate N] [--set BYTE:VALUE]
      send one datagram, optionally altered first
  udpinject.py flood --to ADDR:PORT [--from ADDR:PORT] --count N [--seed S]
      send N random datagrams: half start like a data packet (0x48..0x4f),
      half are random from the first byte; lengths 1..1400
"""
import argparse
import random
import socket
import struct
import sys


def endpoint(text):
    if text.startswith('['):
        host, _, port = text[1:].partition(']:')
        return socket.AF_INET6, (host, int(port))
    host, _, port = text.rpartition(':')
    return socket.AF_INET, (host, int(port))


def udp_payload(frame):
    if len(frame) < 14:
        raise ValueError('short frame')
    ethertype = struct.unpack('!H', frame[12:14])[0]
    ip = frame[14:]
    if ethertype == 0x0800:
        ihl = (ip[0] & 0x0f) * 4
        if ip[9] != 17:
            raise ValueError('not UDP')
        udp = ip[ihl:]
    elif ethertype == 0x86dd:
        if ip[6] != 17:
            raise ValueError('not UDP (or IPv6 extension headers)')
        udp = ip[40:]
    else:
        raise ValueError('not IP')
    length = struct.unpack('!H', udp[4:6])[0]
    return udp[8:length]


def cmd_payload(args):
    with open(args.pcap, 'rb') as f:
        data = f.read()
    if len(data) < 24 + 16:
        sys.exit('udpinject: %s: no packet in the capture' % args.pcap)
    magic = struct.unpack('<I', data[:4])[0]
    endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    linktype = struct.unpack(endian + 'I', data[20:24])[0]
    if linktype != 1:
        sys.exit('udpinject: link type %d, expected Ethernet (1)' % linktype)
    incl = struct.unpack(endian + 'I', data[32:36])[0]
    print(udp_payload(data[40:40 + incl]).hex())


def open_socket(args):
    family, dst = endpoint(args.to)
    s = socket.socket(family, socket.SOCK_DGRAM)
    if args.source:
        s.bind(endpoint(args.source)[1])
    return s, dst


def cmd_send(args):
    pkt = bytearray.fromhex(args.hex)
    for spec in args.flip or []:
        byte, bit = (int(x) for x in spec.split(':'))
        pkt[byte] ^= 1 << bit
    for spec in args.set or []:
        byte, value = (int(x, 0) for x in spec.split(':'))
        pkt[byte] = value
    if args.truncate is not None:
        pkt = pkt[:args.truncate]
    s, dst = open_socket(args)
    s.sendto(bytes(pkt), dst)


def cmd_flood(args):
    rnd = random.Random(args.seed)
    s, dst = open_socket(args)
    for i in range(args.count):
        pkt = bytearray(rnd.randbytes(rnd.randint(1, 1400)))
        if i % 2 == 0:
            pkt[0] = 0x48 | rnd.randint(0, 7)
        s.sendto(bytes(pkt), dst)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('payload')
    p.add_argument('pcap')
    p = sub.add_parser('send')
    p.add_argument('--to', required=True)
    p.add_argument('--from', dest='source')
    p.add_argument('--flip', action='append')
    p.add_argument('--set', action='append')
    p.add_argument('--truncate', type=int)
    p.add_argument('hex')
    p = sub.add_parser('flood')
    p.add_argument('--to', required=True)
    p.add_argument('--from', dest='source')
    p.add_argument('--count', type=int, required=True)
    p.add_argument('--seed', type=int, default=1)
    args = ap.parse_args()
    {'payload': cmd_payload, 'send': cmd_send, 'flood': cmd_flood}[args.cmd](args)


if __name__ == '__main__':
    main()
