#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# pki.sh: throw-away test key material, made at run time (never committed).
#   source scripts/lib/pki.sh; pki_make DIR
# DIR gets: ca.crt/ca.key, server.crt/.key (EKU serverAuth, CN=server),
# client.crt/.key (EKU clientAuth, CN=client), noeku.crt/.key (a server
# certificate without the server EKU), other-ca.crt (an unrelated CA),
# ta.key (tls-auth / tls-crypt static key), v2-server.key, v2-client.key.

pki_make() {
	local d=$1
	mkdir -p "$d"
	(
		set -e
		cd "$d"
		local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
		openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.crt -days 30 -subj /CN=mvpn-test-ca 2>/dev/null
		openssl req -x509 "${ec[@]}" -keyout other-ca.key -out other-ca.crt -days 30 -subj /CN=other-ca 2>/dev/null
		printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyAgreement\nextendedKeyUsage=serverAuth\n' >server.ext
		printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyAgreement\nextendedKeyUsage=clientAuth\n' >client.ext
		printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyAgreement\n' >noeku.ext
		for n in server client noeku; do
			openssl req "${ec[@]}" -keyout $n.key -out $n.csr -subj /CN=$n 2>/dev/null
			openssl x509 -req -in $n.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
				-out $n.crt -days 30 -extfile $n.ext 2>/dev/null
		done
		chmod 600 ./*.key
		openvpn --genkey secret ta.key >/dev/null
		openvpn --genkey tls-crypt-v2-server v2-server.key >/dev/null
		openvpn --genkey tls-crypt-v2-client v2-client.key --tls-crypt-v2 v2-server.key >/dev/null
	)
}
