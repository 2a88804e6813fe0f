#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# mvpnd client on mvpn-dco against OpenVPN 2.6 with ovpn-dco on the server:
# each AEAD cipher, tls-crypt and tls-crypt-v2; ping, iperf3 3 s, and the
# module's counters carry the traffic.  (30b: the server on --disable-dco.)
source "$(dirname "$0")/mvpndlib.sh"
net_setup
pki_make
for wrap in tls-crypt tls-crypt-v2; do
	for cipher in AES-128-GCM AES-256-GCM CHACHA20-POLY1305; do
		SERVER_DCO=1 WRAP=$wrap CIPHER=$cipher dco_case "mvpnd on mvpn-dco vs OpenVPN+ovpn-dco: $wrap $cipher"
	done
done
net_done
