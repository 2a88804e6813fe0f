#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# lib.sh: interop harness for the native namespace tests (sourced).  Debian's
# OpenVPN 2.6 (--disable-dco) is the server; the client is pluggable.
#
#   netns $NS_SRV                               netns $NS_CLI
#   ┌───────────────────────────────┐           ┌───────────────────────────────┐
#   │ openvpn --disable-dco (server)│           │ $CLIENT_CMD client.conf       │
#   │ tun: 10.8.0.1/24 fd00:8::1/64 │  tunnel   │ tun: 10.8.0.2/24 fd00:8::1000 │
#   │ vs0: 10.200.0.1/24            │◄─────────►│ vc0: 10.200.0.2/24            │
#   │      fd00:200::1/64           │   veth    │      fd00:200::2/64           │
#   └───────────────────────────────┘           └───────────────────────────────┘
#
# Nothing leaves the two namespaces: they have no other device and no route
# out.  Everything made here (namespaces, processes, the temp dir with the
# PKI) is removed by a trap on EXIT, INT and TERM.
#
# Typical test:
#     . "$(dirname "$0")/lib.sh"
#     net_setup; pki_make
#     WRAP=tls-crypt CIPHER=AES-256-GCM tunnel_case "tls-crypt AES-256-GCM"
#
# Result lines are counted in this shell: call tunnel_case / refused_case
# directly, not in a pipeline or $(...), or net_done will not see failures.
#
# tunnel_case = server_conf + start_server + client_conf + start_client +
# wait_for_log CLIENT "Initialization Sequence Completed" + ping_through +
# stop_client + stop_server, printing one "ok - net: ..." line.
#
# A case that does more once the tunnel is up writes its configs, then runs
# its checks through up_case:
#     WRAP=tls-crypt SERVER_EXTRA="keepalive 2 6" fresh_confs
#     up_case "server restart" 30 restart_check
#
# Knobs (environment variables, read when the configs are written):
#   CLIENT_CMD  client command; the config file path is appended.
#               Default: "openvpn --disable-dco --config".  The daemon's tests
#               set CLIENT_CMD="$REPO/userspace/mvpnd --config".
#   WRAP        none | tls-auth-sha1 | tls-auth-sha256 | tls-crypt | tls-crypt-v2
#   CIPHER      the server's only data cipher (AES-128-GCM, AES-256-GCM,
#               CHACHA20-POLY1305); the client offers the 2.6 default list
#   CLIENT_CIPHERS  data-ciphers line of the client (default: none, i.e. 2.6 default)
#   EKM         require | any: "require" adds force-tls-key-material-export to
#               the server, so a client that cannot do TLS-EKM is refused.  PRF
#               (EKM not used) happens when the CLIENT does not announce
#               IV_PROTO bit 3; OpenVPN 2.6 always announces it, so PRF can be
#               tested only with a client that can leave it out.  kdf_used
#               reports what the server derived its keys with.
#   IPV6        1: IPv6 inside the tunnel (server-ipv6 fd00:8::/64)
#   RENEG_SEC   reneg-sec on the server (default: OpenVPN's 3600)
#   SERVER_CERT server | server-noeku | other-server (cert/key name in $PKI)
#   CLIENT_CA   ca | other-ca (what the client trusts)
#   CLIENT_TC_KEY  path of the tls-crypt key the client uses (wrong-key tests)
#   VERIFY_NAME verify-x509-name line for the client, e.g. "mvpn-server name"
#   INLINE      1 (default): certificates and keys inline (<ca>...</ca>), as in
#               a provider's .ovpn; 0: file references relative to the config
#   SERVER_EXTRA / CLIENT_EXTRA  extra config lines (newline separated)
#   OUTER6      1: the client reaches the server over IPv6 (proto udp6)
#   SERVER_DCO  1: the server uses ovpn-dco (kernel tests in the VM; the
#               module must be loaded)
set -uo pipefail

NETLIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$NETLIB_DIR/../.." && pwd)
NS_SRV=mvpn-srv-$$
NS_CLI=mvpn-cli-$$
SRV_VETH=vs0
CLI_VETH=vc0
SRV_LINK4=10.200.0.1
CLI_LINK4=10.200.0.2
SRV_LINK6=fd00:200::1
CLI_LINK6=fd00:200::2
SRV_TUN4=10.8.0.1
SRV_TUN6=fd00:8::1
PORT=1194
CLIENT_CMD=${CLIENT_CMD:-openvpn --disable-dco --config}
OPENVPN=${OPENVPN:-openvpn}

TMP=$(mktemp -d /tmp/mvpn-net.XXXXXX)
PKI=$TMP/pki
SERVER_LOG=$TMP/server.log
CLIENT_LOG=$TMP/client.log
SERVER_CONF=$TMP/server.conf
CLIENT_CONF=$TMP/client/client.conf	# its own directory: file references are relative
SERVER_PID=""
CLIENT_PID=""
NET_FAILED=0
NET_CASES=0

# -- reporting ---------------------------------------------------------------

note() { echo "  # $*"; }

# ok NAME / not_ok NAME [LOG...]: one result line; the tail of each log is
# shown under a failure so that it can be diagnosed from the test output.
ok() { echo "ok - net: $1"; NET_CASES=$((NET_CASES + 1)); }
not_ok() {
	local name=$1 f
	shift
	echo "not ok - net: $name"
	NET_CASES=$((NET_CASES + 1))
	NET_FAILED=$((NET_FAILED + 1))
	for f in "$@"; do
		[ -s "$f" ] || continue
		echo "  # --- $(basename "$f") (last 25 lines)"
		tail -n 25 "$f" | sed 's/^/  # /'
	done
	[ -z "${NET_WHY:-}" ] || echo "  # why: $NET_WHY"
	NET_WHY=""
}

# net_done: exit status for the test file (non-zero if any case failed).
net_done() { [ "$NET_FAILED" -eq 0 ]; }

die() { echo "lib.sh: $*" >&2; exit 1; }

# -- cleanup -----------------------------------------------------------------

# kill_pid PID: TERM, wait up to 5 s for it to go, then KILL.
kill_pid() {
	local pid=$1 i
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# ns_kill_all NS: every process still inside one of our namespaces.
ns_kill_all() {
	local ns=$1 pid
	ip netns list 2>/dev/null | grep -qw "^$ns" || return 0
	for pid in $(ip netns pids "$ns" 2>/dev/null); do
		kill_pid "$pid"
	done
}

net_cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	kill_pid "$CLIENT_PID"
	kill_pid "$SERVER_PID"
	ns_kill_all "$NS_CLI"
	ns_kill_all "$NS_SRV"
	ip netns del "$NS_CLI" 2>/dev/null
	ip netns del "$NS_SRV" 2>/dev/null
	if [ "${KEEP:-0}" = 1 ]; then
		echo "lib.sh: kept $TMP" >&2
	else
		rm -rf "$TMP"
	fi
	exit "$rc"
}
trap net_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# -- polling -----------------------------------------------------------------

# wait_until TIMEOUT_S CMD...: poll CMD every 0.1 s until it succeeds.
wait_until() {
	local deadline=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

# wait_for_log FILE TEXT [TIMEOUT_S=30] [PID]: poll FILE for a line containing
# TEXT (fixed string).  Gives up early when PID (if given) has exited.
wait_for_log() {
	local file=$1 text=$2 timeout=${3:-30} pid=${4:-}
	local deadline=$(($(date +%s) + timeout))
	while :; do
		grep -qF -- "$text" "$file" 2>/dev/null && return 0
		if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			grep -qF -- "$text" "$file" 2>/dev/null && return 0
			NET_WHY="process $pid exited before '$text' appeared in $(basename "$file")"
			return 1
		fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			NET_WHY="'$text' not in $(basename "$file") after ${timeout}s"
			return 1
		fi
		sleep 0.1
	done
}

# -- topology ----------------------------------------------------------------

in_srv() { ip netns exec "$NS_SRV" "$@"; }
in_cli() { ip netns exec "$NS_CLI" "$@"; }

net_setup() {
	[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
	command -v "$OPENVPN" >/dev/null || die "no $OPENVPN (apt-get install openvpn)"
	[ -c /dev/net/tun ] || die "no /dev/net/tun"
	ip netns add "$NS_SRV" || die "ip netns add $NS_SRV"
	ip netns add "$NS_CLI" || die "ip netns add $NS_CLI"
	ip -n "$NS_SRV" link set lo up
	ip -n "$NS_CLI" link set lo up
	ip -n "$NS_SRV" link add "$SRV_VETH" type veth peer name "$CLI_VETH" netns "$NS_CLI" ||
		die "veth pair"
	ip -n "$NS_SRV" addr add "$SRV_LINK4/24" dev "$SRV_VETH"
	ip -n "$NS_CLI" addr add "$CLI_LINK4/24" dev "$CLI_VETH"
	ip -n "$NS_SRV" addr add "$SRV_LINK6/64" dev "$SRV_VETH" nodad
	ip -n "$NS_CLI" addr add "$CLI_LINK6/64" dev "$CLI_VETH" nodad
	ip -n "$NS_SRV" link set "$SRV_VETH" up
	ip -n "$NS_CLI" link set "$CLI_VETH" up
	wait_until 10 in_cli ping -c 1 -W 1 "$SRV_LINK4" || die "veth link does not pass IPv4"
	wait_until 10 in_cli ping -6 -c 1 -W 1 "$SRV_LINK6" || die "veth link does not pass IPv6"
}

# -- PKI and static keys ------------------------------------------------------

# pki_leaf NAME CN CA EXT: key + certificate NAME signed by CA with extensions EXT.
pki_leaf() {
	local name=$1 cn=$2 ca=$3 ext=$4
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$PKI/$name.key" -out "$PKI/$name.csr" -subj "/CN=$cn" 2>/dev/null &&
	printf '%b\n' "$ext" >"$PKI/$name.ext" &&
	openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" \
		-CAcreateserial -days 30 -sha256 -extfile "$PKI/$name.ext" \
		-out "$PKI/$name.crt" 2>/dev/null
}

pki_ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$PKI/$1.key" -out "$PKI/$1.crt" -days 30 -sha256 -subj "/CN=$2" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

# pki_make: in $PKI
#   ca.crt/key            test CA "mvpn-test-ca"
#   server.crt/key        CN mvpn-server, EKU serverAuth (what remote-cert-tls wants)
#   server-noeku.crt/key  CN mvpn-server, same CA, NO extendedKeyUsage
#   client.crt/key        CN mvpn-client, EKU clientAuth
#   other-ca.crt/key      an unrelated CA "mvpn-other-ca"
#   other-server.crt/key  CN mvpn-server, EKU serverAuth, signed by other-ca
#   ta.key                tls-auth (2048-bit static key)
#   tc.key, tc-wrong.key  tls-crypt keys (the second is unrelated)
#   tc2-server.key        tls-crypt-v2 server key
#   tc2-client.key        tls-crypt-v2 client key wrapped by tc2-server.key
#   tc2-other-server.key, tc2-client-other.key   an unrelated v2 pair
pki_make() {
	local srv="basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement"
	mkdir -p "$PKI"
	pki_ca ca mvpn-test-ca || die "openssl: CA"
	pki_ca other-ca mvpn-other-ca || die "openssl: other CA"
	pki_leaf server mvpn-server ca "$srv\nextendedKeyUsage=serverAuth" || die "openssl: server"
	pki_leaf server-noeku mvpn-server ca "$srv" || die "openssl: server-noeku"
	pki_leaf client mvpn-client ca "$srv\nextendedKeyUsage=clientAuth" || die "openssl: client"
	pki_leaf other-server mvpn-server other-ca "$srv\nextendedKeyUsage=serverAuth" ||
		die "openssl: other-server"
	"$OPENVPN" --genkey tls-auth "$PKI/ta.key" >/dev/null || die "genkey tls-auth"
	"$OPENVPN" --genkey tls-crypt "$PKI/tc.key" >/dev/null || die "genkey tls-crypt"
	"$OPENVPN" --genkey tls-crypt "$PKI/tc-wrong.key" >/dev/null || die "genkey tls-crypt"
	"$OPENVPN" --genkey tls-crypt-v2-server "$PKI/tc2-server.key" >/dev/null ||
		die "genkey tls-crypt-v2-server"
	"$OPENVPN" --tls-crypt-v2 "$PKI/tc2-server.key" \
		--genkey tls-crypt-v2-client "$PKI/tc2-client.key" >/dev/null ||
		die "genkey tls-crypt-v2-client"
	"$OPENVPN" --genkey tls-crypt-v2-server "$PKI/tc2-other-server.key" >/dev/null ||
		die "genkey tls-crypt-v2-server (other)"
	"$OPENVPN" --tls-crypt-v2 "$PKI/tc2-other-server.key" \
		--genkey tls-crypt-v2-client "$PKI/tc2-client-other.key" >/dev/null ||
		die "genkey tls-crypt-v2-client (other)"
	chmod 600 "$PKI"/*.key
}

# -- configurations -------------------------------------------------------------

# server_conf FILE: OpenVPN 2.6 server config from the knobs above.
server_conf() {
	local f=$1 wrap=${WRAP:-none} cert=${SERVER_CERT:-server}
	{
		echo "# mvpn test server: wrap=$wrap cipher=${CIPHER:-default} ekm=${EKM:-any}"
		if [ "${OUTER6:-0}" = 1 ]; then
			echo "proto udp6"
			echo "local $SRV_LINK6"
		else
			echo "proto udp4"
			echo "local $SRV_LINK4"
		fi
		echo "port $PORT"
		echo "dev tun"
		echo "topology subnet"
		echo "server 10.8.0.0 255.255.255.0"
		[ "${IPV6:-0}" = 1 ] && echo "server-ipv6 fd00:8::/64"
		echo "keepalive 10 60"
		echo "ca $PKI/ca.crt"
		echo "cert $PKI/$cert.crt"
		echo "key $PKI/$cert.key"
		echo "dh none"
		[ -n "${CIPHER:-}" ] && echo "data-ciphers $CIPHER"
		case $wrap in
		none) ;;
		tls-auth-sha1) echo "tls-auth $PKI/ta.key 0"; echo "auth SHA1" ;;
		tls-auth-sha256) echo "tls-auth $PKI/ta.key 0"; echo "auth SHA256" ;;
		tls-crypt) echo "tls-crypt $PKI/tc.key" ;;
		tls-crypt-v2) echo "tls-crypt-v2 $PKI/tc2-server.key" ;;
		*) die "unknown WRAP '$wrap'" ;;
		esac
		[ "${EKM:-any}" = require ] && echo "force-tls-key-material-export"
		[ -n "${RENEG_SEC:-}" ] && echo "reneg-sec $RENEG_SEC"
		echo "persist-key"
		echo "verb ${SERVER_VERB:-4}"
		[ -n "${SERVER_EXTRA:-}" ] && printf '%s\n' "$SERVER_EXTRA"
	} >"$f"
}

# inline_or_file DIRECTIVE PATH: "<ca>...</ca>" when INLINE=1, else a copy of
# the file next to the config, referenced by a relative name.
inline_or_file() {
	local d=$1 p=$2 dir=$3 extra=${4:-}
	if [ "${INLINE:-1}" = 1 ]; then
		echo "<$d>"
		cat "$p"
		echo "</$d>"
		[ -n "$extra" ] && echo "$extra"
	else
		cp "$p" "$dir/$(basename "$p")"
		echo "$d $(basename "$p")"
	fi
}

# client_conf FILE: the config a user of such a server would be given.
client_conf() {
	local f=$1 dir wrap=${WRAP:-none} ca=${CLIENT_CA:-ca}
	dir=$(dirname "$f")
	mkdir -p "$dir"
	{
		echo "# mvpn test client: wrap=$wrap"
		echo "client"
		echo "dev tun"
		if [ "${OUTER6:-0}" = 1 ]; then
			echo "proto udp6"
			echo "remote $SRV_LINK6 $PORT"
		else
			echo "proto udp"
			echo "remote $SRV_LINK4 $PORT"
		fi
		echo "nobind"
		echo "remote-cert-tls server"
		[ -n "${VERIFY_NAME:-}" ] && echo "verify-x509-name $VERIFY_NAME"
		[ -n "${CLIENT_CIPHERS:-}" ] && echo "data-ciphers $CLIENT_CIPHERS"
		echo "verb ${CLIENT_VERB:-4}"
		inline_or_file ca "$PKI/$ca.crt" "$dir"
		inline_or_file cert "$PKI/client.crt" "$dir"
		inline_or_file key "$PKI/client.key" "$dir"
		case $wrap in
		none) ;;
		tls-auth-sha1 | tls-auth-sha256)
			if [ "${INLINE:-1}" = 1 ]; then
				inline_or_file tls-auth "$PKI/ta.key" "$dir" "key-direction 1"
			else
				cp "$PKI/ta.key" "$dir/ta.key"
				echo "tls-auth ta.key 1"
			fi
			[ "$wrap" = tls-auth-sha1 ] && echo "auth SHA1" || echo "auth SHA256"
			;;
		tls-crypt) inline_or_file tls-crypt "${CLIENT_TC_KEY:-$PKI/tc.key}" "$dir" ;;
		tls-crypt-v2) inline_or_file tls-crypt-v2 "${CLIENT_TC_KEY:-$PKI/tc2-client.key}" "$dir" ;;
		esac
		[ -n "${CLIENT_EXTRA:-}" ] && printf '%s\n' "$CLIENT_EXTRA"
	} >"$f"
}

# -- processes -------------------------------------------------------------------

# start_server [CONF]: OpenVPN server in $NS_SRV; waits until it listens.
start_server() {
	local conf=${1:-$SERVER_CONF}
	[ -f "$conf" ] || server_conf "$conf"
	: >"$SERVER_LOG"
	# not through in_srv: $! must be the process itself, not a subshell
	# SERVER_DCO=1 (kernel tests, in the VM): the server uses ovpn-dco.
	if [ "${SERVER_DCO:-0}" = 1 ]; then
		ip netns exec "$NS_SRV" "$OPENVPN" --config "$conf" >>"$SERVER_LOG" 2>&1 &
	else
		ip netns exec "$NS_SRV" "$OPENVPN" --disable-dco --config "$conf" >>"$SERVER_LOG" 2>&1 &
	fi
	SERVER_PID=$!
	wait_for_log "$SERVER_LOG" "Initialization Sequence Completed" 30 "$SERVER_PID"
}

# start_client [CONF]: $CLIENT_CMD CONF in $NS_CLI (does not wait), run from
# the config's directory as a user would (OpenVPN resolves relative paths
# against its working directory).
start_client() {
	local conf=${1:-$CLIENT_CONF}
	[ -f "$conf" ] || client_conf "$conf"
	: >"$CLIENT_LOG"
	# word splitting of CLIENT_CMD is intended: "prog --opt"; exec keeps $!
	# the pid of the client itself
	# shellcheck disable=SC2086
	(cd "$(dirname "$conf")" && exec ip netns exec "$NS_CLI" $CLIENT_CMD "$conf") \
		>>"$CLIENT_LOG" 2>&1 &
	CLIENT_PID=$!
}

# stop_client / stop_server: the process, then anything else left in its
# namespace (helpers it started, a daemonised child): all of it is ours.
stop_client() { kill_pid "$CLIENT_PID"; CLIENT_PID=""; ns_kill_all "$NS_CLI"; }
stop_server() { kill_pid "$SERVER_PID"; SERVER_PID=""; ns_kill_all "$NS_SRV"; }

# restart_server: stop the server and start it again with the same config
# (the client's reconnect test).  The old log is kept as server.log.1.
# A client notices a silently restarted server only by ping-restart (60 s
# with keepalive 10 60); with SERVER_EXTRA="explicit-exit-notify 1" the
# server sends RESTART on SIGTERM and a 2.6 client reconnects after 1 s.
restart_server() {
	stop_server
	cp "$SERVER_LOG" "$SERVER_LOG.1" 2>/dev/null
	start_server "$SERVER_CONF"
}

# wait_client_up [TIMEOUT_S=30]: the client logged that the tunnel is up.
wait_client_up() {
	wait_for_log "$CLIENT_LOG" "Initialization Sequence Completed" "${1:-30}" "$CLIENT_PID"
}

# ping_through [ADDR=$SRV_TUN4] [TIMEOUT_S=20]: from the client namespace,
# through the tunnel: succeeds once a ping is answered.  The address must
# route via the tunnel (10.8.0.0/24, fd00:8::/64), never via the veth.
ping_through() {
	local addr=${1:-$SRV_TUN4} timeout=${2:-20} v=""
	case $addr in *:*) v=-6 ;; esac
	if ! in_cli ip $v route get "$addr" 2>/dev/null | grep -q ' dev tun'; then
		NET_WHY="no route to $addr through a tun device in $NS_CLI"
		return 1
	fi
	if ! wait_until "$timeout" in_cli ping $v -c 1 -W 1 "$addr"; then
		NET_WHY="no ping reply from $addr through the tunnel within ${timeout}s"
		return 1
	fi
}

# flood_loss ADDR SECONDS: flood-ping ADDR from the client namespace for
# SECONDS and print the packet loss in percent (e.g. "0", "0.25"); empty
# when ping printed no summary.
flood_loss() {
	in_cli ping -f -q -w "$2" "$1" 2>&1 | sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p'
}

# no_tunnel: the client namespace has no tun device with an address.
no_tunnel() { ! in_cli ip -o addr show | grep -q ' tun'; }

# kdf_used: how the server derived the data keys of the last session:
# "ekm", "prf" or "" (unknown).  Needs SERVER_VERB >= 4.
kdf_used() {
	if grep -q 'protocol-flags.*tls-ekm\|key-derivation tls-ekm' "$SERVER_LOG"; then
		echo ekm
	elif grep -q 'SENT CONTROL.*PUSH_REPLY' "$SERVER_LOG"; then
		echo prf
	fi
}

# -- one complete case ------------------------------------------------------------

# fresh_confs: write $SERVER_CONF and $CLIENT_CONF anew from the knobs.
fresh_confs() {
	rm -rf "$SERVER_CONF" "$(dirname "$CLIENT_CONF")"
	server_conf "$SERVER_CONF"
	client_conf "$CLIENT_CONF"
}

# save_logs: keep this case's logs as server-N.log / client-N.log in $TMP.
save_logs() {
	cp "$SERVER_LOG" "$TMP/server-$NET_CASES.log" 2>/dev/null
	cp "$CLIENT_LOG" "$TMP/client-$NET_CASES.log" 2>/dev/null
	return 0
}

# refused_case NAME LOG TEXT: with the current knobs the client must not get a
# tunnel, and LOG ($SERVER_LOG or $CLIENT_LOG) must show TEXT (fixed string)
# within 30 s.  Prints ok/not ok NAME.
refused_case() {
	local name=$1 log=$2 text=$3 good=1
	fresh_confs
	if start_server; then
		start_client
		wait_for_log "$log" "$text" 30 || good=0
		if grep -q "Initialization Sequence Completed" "$CLIENT_LOG"; then
			NET_WHY="the client says its tunnel is up"
			good=0
		elif ! no_tunnel; then
			NET_WHY="a tun device in $NS_CLI has an address"
			good=0
		fi
	else
		good=0
	fi
	stop_client
	stop_server
	if [ $good = 1 ]; then ok "$name"; else not_ok "$name" "$SERVER_LOG" "$CLIENT_LOG"; fi
	save_logs
	[ $good = 1 ]
}

# up_case NAME UP_S CHECK [ARG...]: one case on the configs already written
# (fresh_confs, then any edits): the server starts, the client comes up
# within UP_S seconds, $UP_CHECK passes (a command, if set: the kernel tests
# use on_dco), a ping crosses the tunnel (within ${UP_PING_S:-20} s); then
# CHECK ARG... runs, which sets NET_WHY and returns non-zero when what it
# checks is wrong.  Both ends stop, one ok/not ok NAME line is printed, the
# logs are kept (save_logs).  Returns 0 when the case passed.
up_case() {
	local name=$1 up_s=$2 good=1
	shift 2
	if start_server && { start_client; wait_client_up "$up_s"; } && ${UP_CHECK:-true} &&
		ping_through "$SRV_TUN4" "${UP_PING_S:-20}"; then
		"$@" || good=0
	else
		good=0
	fi
	stop_client
	stop_server
	if [ $good = 1 ]; then
		ok "$name"
	else
		not_ok "$name" "$SERVER_LOG" "$CLIENT_LOG"
	fi
	save_logs
	[ $good = 1 ]
}

# tunnel_checks: what tunnel_case asks of an up tunnel beyond the IPv4 ping.
tunnel_checks() {
	if [ "${IPV6:-0}" = 1 ] && ! ping_through "$SRV_TUN6"; then
		return 1
	elif [ "${EKM:-any}" = require ] && [ "$(kdf_used)" != ekm ]; then
		NET_WHY="server did not use TLS-EKM"
		return 1
	fi
}

# tunnel_case NAME: server + client with the current knobs; tunnel comes up
# and passes IPv4 (and IPv6 when IPV6=1) pings.  Prints ok/not ok NAME.
tunnel_case() {
	fresh_confs
	up_case "$1" 30 tunnel_checks
}
