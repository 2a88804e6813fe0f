#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""
gen-corpus-netlink.py: seeds for fuzz_netlink, as the kernel sends them.

Each seed is one receive buffer, exactly what recv() returned for a request
(a whole batch: data messages, then NLMSG_DONE or the ACK or an error with
extack), or one notification.  Run as root:

    selftests/fuzz/gen-corpus-netlink.py OUTDIR            # rtnetlink, nlctrl: run it in
                                                           # a throw-away netns (below)
    selftests/fuzz/gen-corpus-netlink.py --dco OUTDIR DEV  # in the VM, with an mvpn-dco
                                                           # device DEV that has a peer
                                                           # (mvpnctl p2p-up), in its netns

For the first form, a namespace with a veth pair and a tun device keeps the
host's own interfaces out of the seeds:

    ip netns add nlc; ip -n nlc link add v0 type veth peer name v1
    ip -n nlc tuntap add tun0 mode tun; ip -n nlc link set v0 up
    ip netns exec nlc selftests/fuzz/gen-corpus-netlink.py OUTDIR; ip netns del nlc

The mvpn-dco numbers are read from uapi/linux/mvpn_dco.h.  Replies carry no
secret (KEY_GET returns none).  Notifications that cannot be provoked
cheaply (KEY_SWAP_NTF, PEER_FLOAT_NTF) are written by hand from the uapi
layout and named synth-*.
"""
import os
import re
import select
import socket
import struct
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NETLINK_ROUTE, NETLINK_GENERIC = 0, 16
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
RTM_NEWLINK, RTM_GETLINK, RTM_GETROUTE = 16, 18, 26
IFLA_IFNAME, IFLA_MTU = 3, 4
RTA_DST = 1
GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_NAME = 16, 3, 2
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_MCAST_GROUPS = 1, 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
NETLINK_ADD_MEMBERSHIP, NETLINK_EXT_ACK, SOL_NETLINK = 1, 11, 270


def uapi_enums():
    """name -> value for every enum constant of the mvpn-dco uapi header."""
    text = open(os.path.join(REPO, "uapi/linux/mvpn_dco.h")).read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    values = {}
    for body in re.findall(r"enum\s*\w*\s*\{(.*?)\}", text, flags=re.S):
        n = 0
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            m = re.match(r"(\w+)\s*(?:=\s*(\w+))?", item)
            if not m:
                continue
            if m.group(2):
                v = m.group(2)
                n = values[v] if v in values else int(v, 0)
            values[m.group(1)] = n
            n += 1
    return values


def attr(t, payload):
    ln = 4 + len(payload)
    return struct.pack("=HH", ln, t) + payload + b"\0" * ((4 - ln % 4) % 4)


def nested(t, payload):
    return attr(t | 0x8000, payload)  # NLA_F_NESTED: the module's policy wants it


def attrs(b, off, end):
    """(type without flags, payload) of each attribute in b[off:end]."""
    while off + 4 <= end:
        ln, t = struct.unpack_from("=HH", b, off)
        if ln < 4 or off + ln > end:
            return
        yield t & 0x3FFF, b[off + 4:off + ln]
        off += (ln + 3) & ~3


def msg(mtype, flags, seq, payload, pid=0):
    return struct.pack("=IHHII", 16 + len(payload), mtype, flags, seq, pid) + payload


class Sock:
    def __init__(self, proto):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
        self.s.bind((0, 0))
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.pid = self.s.getsockname()[0]
        self.seq = int(time.time()) & 0xFFFFFF

    def talk(self, mtype, flags, payload):
        """Send one request; return every receive buffer up to DONE/ACK/error."""
        self.seq += 1
        self.s.send(msg(mtype, flags | NLM_F_REQUEST, self.seq, payload))
        bufs = []
        while True:
            b = self.s.recv(65536)
            bufs.append(b)
            off = 0
            while off + 16 <= len(b):
                ln, t = struct.unpack_from("=IH", b, off)
                if ln < 16:
                    return bufs
                if t in (NLMSG_DONE, NLMSG_ERROR):
                    return bufs
                off += (ln + 3) & ~3


def save(outdir, name, bufs):
    for i, b in enumerate(bufs):
        fn = os.path.join(outdir, name if len(bufs) == 1 else "%s-%d" % (name, i + 1))
        with open(fn, "wb") as f:
            f.write(b)
        print("  %s (%d bytes)" % (os.path.basename(fn), len(b)))


def genl_family(g, name):
    bufs = g.talk(GENL_ID_CTRL, NLM_F_ACK,
                  struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0) + attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
    b = bufs[0]
    fam, grps = None, {}
    ln = struct.unpack_from("=I", b, 0)[0]
    off = 20
    while off + 4 <= ln:
        alen, atype = struct.unpack_from("=HH", b, off)
        if alen < 4:
            break
        if atype == CTRL_ATTR_FAMILY_ID:
            fam = struct.unpack_from("=H", b, off + 4)[0]
        elif atype & 0x7FFF == CTRL_ATTR_MCAST_GROUPS:
            o2 = off + 4
            while o2 + 4 <= off + alen:
                glen = struct.unpack_from("=H", b, o2)[0]
                o3, gname, gid = o2 + 4, None, None
                while o3 + 4 <= o2 + glen:
                    l3, t3 = struct.unpack_from("=HH", b, o3)
                    if t3 == CTRL_ATTR_MCAST_GRP_NAME:
                        gname = b[o3 + 4:o3 + l3 - 1].decode()
                    elif t3 == CTRL_ATTR_MCAST_GRP_ID:
                        gid = struct.unpack_from("=I", b, o3 + 4)[0]
                    o3 += (l3 + 3) & ~3
                if gname:
                    grps[gname] = gid
                o2 += (glen + 3) & ~3
        off += (alen + 3) & ~3
    return bufs, fam, grps


def native(outdir):
    r = Sock(NETLINK_ROUTE)
    ifi = struct.pack("=BxHiII", 0, 0, 0, 0, 0)
    print("rtnetlink:")
    save(outdir, "rtnl-getlink-dump", r.talk(RTM_GETLINK, NLM_F_DUMP, ifi))
    save(outdir, "rtnl-getlink-lo", r.talk(RTM_GETLINK, NLM_F_ACK, ifi + attr(IFLA_IFNAME, b"lo\0")))
    save(outdir, "rtnl-getlink-missing", r.talk(RTM_GETLINK, NLM_F_ACK,
                                               ifi + attr(IFLA_IFNAME, b"no-such-dev0\0")))
    bad = struct.pack("=BxHiII", 0, 0, 0x7FFFFFF0, 0, 0) + attr(IFLA_MTU, struct.pack("=I", 1400))
    save(outdir, "rtnl-setlink-error", r.talk(RTM_NEWLINK, NLM_F_ACK, bad))
    rtm = struct.pack("=BBBBBBBBI", socket.AF_INET, 0, 0, 0, 0, 0, 0, 0, 0)
    save(outdir, "rtnl-getroute-dump", r.talk(RTM_GETROUTE, NLM_F_DUMP, rtm))
    rtm32 = struct.pack("=BBBBBBBBI", socket.AF_INET, 32, 0, 0, 0, 0, 0, 0, 0)
    save(outdir, "rtnl-getroute-lo", r.talk(RTM_GETROUTE, NLM_F_ACK,
                                           rtm32 + attr(RTA_DST, socket.inet_aton("127.0.0.1"))))
    g = Sock(NETLINK_GENERIC)
    print("generic netlink:")
    bufs, _, _ = genl_family(g, "nlctrl")
    save(outdir, "genl-family-nlctrl", bufs)
    bufs, _, _ = genl_family(g, "no-such-family")
    save(outdir, "genl-family-missing", bufs)


def dco(outdir, dev):
    e = uapi_enums()
    g = Sock(NETLINK_GENERIC)
    bufs, fam, grps = genl_family(g, "mvpn-dco")
    if fam is None:
        sys.exit("gen-corpus-netlink: no mvpn-dco family (load the module)")
    print("mvpn-dco (family %d, groups %s):" % (fam, grps))
    save(outdir, "dco-family", bufs)
    ifindex = socket.if_nametoindex(dev)
    hdr = lambda cmd: struct.pack("=BBH", e[cmd], 1, 0)
    ifa = attr(e["MVPN_A_IFINDEX"], struct.pack("=I", ifindex))
    save(outdir, "dco-peer-get-dump", g.talk(fam, NLM_F_DUMP, hdr("MVPN_CMD_PEER_GET") + ifa))
    peer_id = None
    b = open(os.path.join(outdir, "dco-peer-get-dump-1"), "rb").read()
    for t, p in attrs(b, 20, struct.unpack_from("=I", b, 0)[0]):
        if t == e["MVPN_A_PEER"]:
            for t2, p2 in attrs(p, 0, len(p)):
                if t2 == e["MVPN_A_PEER_ID"]:
                    peer_id = struct.unpack("=I", p2)[0]
    if peer_id is None:
        sys.exit("gen-corpus-netlink: no peer on %s" % dev)
    pa = nested(e["MVPN_A_PEER"], attr(e["MVPN_A_PEER_ID"], struct.pack("=I", peer_id)))
    save(outdir, "dco-peer-get-one", g.talk(fam, NLM_F_ACK, hdr("MVPN_CMD_PEER_GET") + ifa + pa))
    pa_bad = nested(e["MVPN_A_PEER"], attr(e["MVPN_A_PEER_ID"], struct.pack("=I", 0xABCDE)))
    save(outdir, "dco-peer-get-missing", g.talk(fam, NLM_F_ACK, hdr("MVPN_CMD_PEER_GET") + ifa + pa_bad))
    for slot in (0, 1):
        kc = nested(e["MVPN_A_KEYCONF"], attr(e["MVPN_A_KEYCONF_PEER_ID"], struct.pack("=I", peer_id)) +
                  attr(e["MVPN_A_KEYCONF_SLOT"], struct.pack("=I", slot)))
        save(outdir, "dco-key-get-slot%d" % slot, g.talk(fam, NLM_F_ACK, hdr("MVPN_CMD_KEY_GET") + ifa + kc))
    kc = nested(e["MVPN_A_KEYCONF"], attr(e["MVPN_A_KEYCONF_PEER_ID"], struct.pack("=I", peer_id)) +
              attr(e["MVPN_A_KEYCONF_SLOT"], struct.pack("=I", 7)))
    save(outdir, "dco-key-get-bad-slot", g.talk(fam, NLM_F_ACK, hdr("MVPN_CMD_KEY_GET") + ifa + kc))
    # A notification: delete the peer while listening on the "peers" group.
    n = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    n.bind((0, 0))
    n.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, grps["peers"])
    save(outdir, "dco-peer-del", g.talk(fam, NLM_F_ACK, hdr("MVPN_CMD_PEER_DEL") + ifa + pa))
    if select.select([n], [], [], 5)[0]:
        save(outdir, "dco-ntf-peer-del", [n.recv(65536)])
    # The other two, from the uapi layout (the kernel sends them rarely).
    kc = nested(e["MVPN_A_KEYCONF"], attr(e["MVPN_A_KEYCONF_PEER_ID"], struct.pack("=I", peer_id)) +
              attr(e["MVPN_A_KEYCONF_KEY_ID"], struct.pack("=I", 0)))
    save(outdir, "synth-ntf-key-swap", [msg(fam, 0, 0, hdr("MVPN_CMD_KEY_SWAP_NTF") + ifa + kc)])
    pf = nested(e["MVPN_A_PEER"], attr(e["MVPN_A_PEER_ID"], struct.pack("=I", peer_id)) +
              attr(e["MVPN_A_PEER_REMOTE_IPV6"], socket.inet_pton(socket.AF_INET6, "fd09::2")) +
              attr(e["MVPN_A_PEER_REMOTE_PORT"], struct.pack("!H", 1194)))
    save(outdir, "synth-ntf-peer-float", [msg(fam, 0, 0, hdr("MVPN_CMD_PEER_FLOAT_NTF") + ifa + pf)])


def main():
    args = sys.argv[1:]
    if args[:1] == ["--dco"] and len(args) == 3:
        os.makedirs(args[1], exist_ok=True)
        dco(args[1], args[2])
    elif len(args) == 1:
        os.makedirs(args[0], exist_ok=True)
        native(args[0])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
