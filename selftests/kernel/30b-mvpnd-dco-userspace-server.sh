#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# mvpnd client on mvpn-dco against OpenVPN 2.6 --disable-dco: each AEAD
# cipher, tls-crypt and tls-crypt-v2; ping, iperf3 3 s, module counters.
source "$(dirname "$0")/mvpndlib.sh"
net_setup
pki_make
for wrap in tls-crypt tls-crypt-v2; do
	for cipher in AES-128-GCM AES-256-GCM CHACHA20-POLY1305; do
		SERVER_DCO=0 WRAP=$wrap CIPHER=$cipher dco_case "mvpnd on mvpn-dco vs OpenVPN userspace: $wrap $cipher"
	done
done
net_done
