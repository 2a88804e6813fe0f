# SPDX-License-Identifier: BSD-2-Clause
#
# bench-rows.sh: the rows of the benchmark, sourced by scripts/bench-run.
#
# Every row gets its own pair of namespaces, alive for the whole run, so the
# driver can alternate rows test by test (A B A B ...):
#
#   netns mb-ROW-s                               netns mb-ROW-c
#   +------------------------------+              +------------------------------+
#   | server end, iperf3 -s        |              | client end, iperf3 -c, ping  |
#   | tunnel 10.8.0.1/24           |   tunnel     | tunnel 10.8.0.2/24 (or pool) |
#   | bs0    10.77.0.1/24 ---------+---- veth ----+ bc0    10.77.0.2/24          |
#   +------------------------------+              +------------------------------+
#
# Nothing leaves a pair: the namespaces have no other device and no route out.
#
# A row id is KIND or KIND-CIPHER (CIPHER: aes128 | aes256 | chacha), and
# p2p and mvpnd-dco rows may end in @MODE: the module's debugfs crypt_mode
# during that row's tests (so two modes alternate in one boot):
#   veth          no tunnel: iperf3 straight over the veth (the ceiling)
#   wg            WireGuard (kernel), ChaCha20-Poly1305 by design
#   ovpn-dco-C    OpenVPN 2.6 at both ends, on ovpn-dco
#   ovpn-user-C   OpenVPN 2.6 at both ends, --disable-dco
#   p2p-C         `mvpnctl p2p-up` at both ends: the mvpn-dco data plane alone
#   p2p-user-C    `mvpnctl p2p-up --userspace` at both ends (tun + dataplane.c)
#   mvpnd-dco-C   mvpnd --dco on (client) against OpenVPN 2.6 + ovpn-dco (server)
#   mvpnd-user-C  mvpnd --dco off (client) against OpenVPN 2.6 --disable-dco
#
# Per kind, six functions (row_KIND_avail, _server, _ready, _client, _check,
# _down):
#   _avail ROW    print why the row cannot run here ("" when it can)
#   _server ROW   start the server end (may return before it is ready, so
#                 that all the rows' servers start together)
#   _ready ROW    wait until the server end is ready
#   _client ROW   start the client end (does not wait for the tunnel); for
#                 p2p rows both ends, see below
#   _check ROW    after the first ping: the row runs the data plane it claims
#                 (prints why not)
#   _down ROW     stop the client end (p2p rows: both ends)
# _server, _ready and _client keep state (pids) in this shell, so they are never
# called in $(...): on failure they return 1 with the reason in $WHY.
# Settings come from the driver: $WORK, $PKI, $MTU, $MVPNCTL, $MVPND, $MVPN_KO.

# shellcheck disable=SC2034 # WHY is read by scripts/bench-run
SRV_OUTER=10.77.0.1
CLI_OUTER=10.77.0.2
SRV_INNER=10.8.0.1
CLI_INNER=10.8.0.2
OVPN_PORT=1194

declare -A ROW_KIND ROW_CIPHER ROW_MODE CLI_PID SRV_PID IPERF_PID

ns_s() { echo "mb-$1-s"; }
ns_c() { echo "mb-$1-c"; }
rowdir() { echo "$WORK/$1"; }

# row_parse ROW: fill ROW_KIND and ROW_CIPHER (OpenVPN's name, or "");
# fails for an unknown id.
row_parse() {
	local id=$1 kind cipher="" mode=""
	if [[ "$id" == *@* ]]; then
		mode=${id#*@} id=${id%@*}
		[[ "$mode" =~ ^[0-9]+$ ]] || return 1
	fi
	case $id in
	veth | wg) kind=$id ;;
	ovpn-dco-* | ovpn-user-* | p2p-user-* | mvpnd-dco-* | mvpnd-user-*)
		kind=${id%-*} cipher=${id##*-} ;;
	p2p-*) kind=p2p cipher=${id#p2p-} ;;
	*) return 1 ;;
	esac
	case $cipher in
	"") ;;
	aes128) cipher=AES-128-GCM ;;
	aes256) cipher=AES-256-GCM ;;
	chacha) cipher=CHACHA20-POLY1305 ;;
	*) return 1 ;;
	esac
	[ "$kind" = wg ] && cipher=CHACHA20-POLY1305
	[ -z "$mode" ] || [ "$kind" = p2p ] || [ "$kind" = mvpnd-dco ] || return 1
	id=$1
	ROW_KIND[$id]=$kind
	ROW_CIPHER[$id]=$cipher
	ROW_MODE[$id]=$mode
}

# row_crypt_mode ROW: before a row's test, set the module's debugfs
# crypt_mode to the row's @MODE (the module's own default without one),
# when the module is loaded.
CRYPT_MODE_DEFAULT=""
row_crypt_mode() {
	local f=/sys/kernel/debug/mvpn_dco/crypt_mode
	[ -w "$f" ] || return 0
	[ -n "$CRYPT_MODE_DEFAULT" ] || CRYPT_MODE_DEFAULT=$(cat "$f")
	echo "${ROW_MODE[$1]:-$CRYPT_MODE_DEFAULT}" >"$f"
}

# row_target ROW: the address iperf3 and ping aim at from the client end.
row_target() { [ "${ROW_KIND[$1]}" = veth ] && echo "$SRV_OUTER" || echo "$SRV_INNER"; }

# row_has_daemon ROW: the client end is a process (RSS means something).
row_has_daemon() { case ${ROW_KIND[$1]} in veth | wg) return 1 ;; esac; }

# row_has_handshake ROW: there is a tunnel to bring up.
row_has_handshake() { [ "${ROW_KIND[$1]}" != veth ]; }

# -- shared pieces ---------------------------------------------------------

# topo_up ROW: the two namespaces and the veth between them.
topo_up() {
	local s c
	s=$(ns_s "$1") c=$(ns_c "$1")
	ip netns add "$s" && ip netns add "$c" || return 1
	ip -n "$s" link set lo up
	ip -n "$c" link set lo up
	ip link add bs0 netns "$s" type veth peer name bc0 netns "$c" || return 1
	ip -n "$s" addr add "$SRV_OUTER/24" dev bs0
	ip -n "$c" addr add "$CLI_OUTER/24" dev bc0
	ip -n "$s" link set bs0 up
	ip -n "$c" link set bc0 up
	mkdir -p "$(rowdir "$1")"
	wait_until 10 ip netns exec "$c" ping -c 1 -W 1 "$SRV_OUTER"
}

topo_down() {
	ns_kill_all "$(ns_c "$1")"
	ns_kill_all "$(ns_s "$1")"
	ip netns del "$(ns_c "$1")" 2>/dev/null
	ip netns del "$(ns_s "$1")" 2>/dev/null
	return 0
}

# iperf_server ROW: (re)start the row's iperf3 server; wait until it listens.
iperf_server() {
	local s
	s=$(ns_s "$1")
	kill_pid "${IPERF_PID[$1]:-}"
	ip netns exec "$s" iperf3 -s >>"$(rowdir "$1")/iperf3-server.log" 2>&1 &
	IPERF_PID[$1]=$!
	wait_until 20 iperf_listening "$s"
}
iperf_listening() { ip netns exec "$1" ss -Hltn 'sport = :5201' | grep -q .; }

# bg NS LOG CMD...: run CMD in NS in the background; its pid in $BG_PID
# (ip netns exec execs CMD, so the pid is the daemon's own).
bg() {
	local ns=$1 log=$2
	shift 2
	ip netns exec "$ns" "$@" >>"$log" 2>&1 &
	BG_PID=$!
}

# wait_log FILE TEXT TIMEOUT PID [-x]: until FILE has TEXT (-x: as a whole
# line); fails early when PID exits.
wait_log() {
	local deadline=$(($(date +%s) + $3)) x=${5:-}
	until grep -q ${x:+"$x"} -F -- "$2" "$1" 2>/dev/null; do
		kill -0 "$4" 2>/dev/null || { grep -q ${x:+"$x"} -F -- "$2" "$1" 2>/dev/null; return; }
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

mvpn_module_avail() {
	[ -e "$MVPN_KO" ] || { echo "n/a (kmod/mvpn-dco.ko not built)"; return; }
	grep -q '^mvpn_dco ' /proc/modules || echo "n/a (mvpn-dco does not load)"
}
ovpn_dco_avail() { grep -q '^ovpn_dco_v2 ' /proc/modules || echo "n/a (ovpn-dco-v2 does not load)"; }
mvpnctl_p2p_avail() {
	[ -x "$MVPNCTL" ] && "$MVPNCTL" help 2>&1 | grep -q 'p2p-up' ||
		echo "n/a (not built: mvpnctl has no p2p-up)"
}
mvpnd_avail() { [ -x "$MVPND" ] || echo "n/a (not built: userspace/mvpnd)"; }

# -- veth --------------------------------------------------------------------

row_veth_avail() { :; }
row_veth_server() { :; }
row_veth_ready() { :; }
row_veth_client() { :; }
row_veth_check() { :; }
row_veth_down() { :; }

# -- WireGuard ---------------------------------------------------------------

row_wg_avail() {
	command -v wg >/dev/null || { echo "n/a (wireguard-tools missing)"; return; }
	# A module, or built in (the debug kernel): a device of the kind can be made.
	grep -q '^wireguard ' /proc/modules && return
	ip link add mbwgprobe0 type wireguard 2>/dev/null && ip link del mbwgprobe0 && return
	echo "n/a (wireguard does not load)"
}

row_wg_server() {
	local d s
	d=$(rowdir "$1") s=$(ns_s "$1")
	wg genkey >"$d/s.key" && wg pubkey <"$d/s.key" >"$d/s.pub" &&
	wg genkey >"$d/c.key" && wg pubkey <"$d/c.key" >"$d/c.pub" || return 1
	ip -n "$s" link add wg0 type wireguard &&
	ip netns exec "$s" wg set wg0 private-key "$d/s.key" listen-port 51820 \
		peer "$(cat "$d/c.pub")" allowed-ips "$CLI_INNER/32" &&
	ip -n "$s" addr add "$SRV_INNER/24" dev wg0 &&
	ip -n "$s" link set wg0 mtu "$MTU" up
}
row_wg_ready() { :; }

row_wg_client() {
	local d c
	d=$(rowdir "$1") c=$(ns_c "$1")
	ip -n "$c" link add wg0 type wireguard &&
	ip netns exec "$c" wg set wg0 private-key "$d/c.key" \
		peer "$(cat "$d/s.pub")" endpoint "$SRV_OUTER:51820" allowed-ips 10.8.0.0/24 &&
	ip -n "$c" addr add "$CLI_INNER/24" dev wg0 &&
	ip -n "$c" link set wg0 mtu "$MTU" up
}

row_wg_check() {
	ip netns exec "$(ns_c "$1")" wg show wg0 latest-handshakes | awk '$2 > 0 { ok = 1 } END { exit !ok }' ||
		{ echo "no WireGuard handshake recorded"; return 1; }
}

row_wg_down() { ip -n "$(ns_c "$1")" link del wg0 2>/dev/null; return 0; }

# -- OpenVPN 2.6 servers and clients ----------------------------------------

# ovpn_server_conf ROW: the server every OpenVPN-protocol row talks to.
ovpn_server_conf() {
	cat <<CONF
# mvpn bench server ($1)
proto udp4
local $SRV_OUTER
port $OVPN_PORT
dev tun
topology subnet
server 10.8.0.0 255.255.255.0
tun-mtu $MTU
keepalive 10 60
ca $PKI/ca.crt
cert $PKI/server.crt
key $PKI/server.key
dh none
tls-crypt $PKI/ta.key
data-ciphers ${ROW_CIPHER[$1]}
verb 3
CONF
}

# ovpn_client_conf ROW: what a user of that server has; mvpnd reads the same.
ovpn_client_conf() {
	cat <<CONF
# mvpn bench client ($1)
client
dev tun
proto udp
remote $SRV_OUTER $OVPN_PORT
nobind
tun-mtu $MTU
ca $PKI/ca.crt
cert $PKI/client.crt
key $PKI/client.key
tls-crypt $PKI/ta.key
remote-cert-tls server
data-ciphers ${ROW_CIPHER[$1]}
verb 3
CONF
}

# ovpn_server ROW dco|user: start an OpenVPN 2.6 server.
ovpn_server() {
	local d extra=()
	d=$(rowdir "$1")
	[ "$2" = user ] && extra=(--disable-dco)
	ovpn_server_conf "$1" >"$d/server.conf"
	bg "$(ns_s "$1")" "$d/server.log" openvpn --config "$d/server.conf" "${extra[@]}"
	SRV_PID[$1]=$BG_PID
}

# ovpn_server_ready ROW dco|user: wait until it is up, on the data plane asked for.
ovpn_server_ready() {
	local d
	d=$(rowdir "$1")
	wait_log "$d/server.log" "Initialization Sequence Completed" 90 "${SRV_PID[$1]}" ||
		{ WHY="the OpenVPN server did not start"; return 1; }
	if [ "$2" = dco ] && ! grep -q 'DCO device tun[0-9]* opened' "$d/server.log"; then
		WHY="the OpenVPN server is not on ovpn-dco"
		return 1
	fi
	if [ "$2" = user ] && grep -q 'DCO device' "$d/server.log"; then
		WHY="the OpenVPN server uses DCO despite --disable-dco"
		return 1
	fi
}

# client_start ROW CMD...: the client end's daemon, from its own directory.
client_start() {
	local row=$1 d
	shift
	d=$(rowdir "$row")
	ovpn_client_conf "$row" >"$d/client.conf"
	echo "--- client start $(date +%T.%N)" >>"$d/client.log"
	bg "$(ns_c "$row")" "$d/client.log" "$@" "$d/client.conf"
	CLI_PID[$row]=$BG_PID
}

client_stop() {
	kill_pid "${CLI_PID[$1]:-}"
	CLI_PID[$1]=""
}

# The last session in a client log (after the last "--- client start").
last_session() { awk '/^--- client start/ { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$1"; }

row_ovpn-dco_avail() { ovpn_dco_avail; }
row_ovpn-dco_server() { ovpn_server "$1" dco; }
row_ovpn-dco_ready() { ovpn_server_ready "$1" dco; }
row_ovpn-dco_client() { client_start "$1" openvpn --config; }
row_ovpn-dco_check() {
	last_session "$(rowdir "$1")/client.log" | grep -q 'DCO device tun[0-9]* opened' ||
		{ echo "the OpenVPN client is not on ovpn-dco"; return 1; }
}
row_ovpn-dco_down() { client_stop "$1"; }

row_ovpn-user_avail() { :; }
row_ovpn-user_server() { ovpn_server "$1" user; }
row_ovpn-user_ready() { ovpn_server_ready "$1" user; }
row_ovpn-user_client() { client_start "$1" openvpn --disable-dco --config; }
row_ovpn-user_check() {
	! last_session "$(rowdir "$1")/client.log" | grep -q 'DCO device' ||
		{ echo "the OpenVPN client uses DCO despite --disable-dco"; return 1; }
}
row_ovpn-user_down() { client_stop "$1"; }

row_mvpnd-dco_avail() {
	local r
	for r in "$(mvpnd_avail)" "$(mvpn_module_avail)" "$(ovpn_dco_avail)"; do
		[ -z "$r" ] || { echo "$r"; return; }
	done
}
row_mvpnd-dco_server() { ovpn_server "$1" dco; }
row_mvpnd-dco_ready() { ovpn_server_ready "$1" dco; }
row_mvpnd-dco_client() { client_start "$1" "$MVPND" --dco on --config; }
row_mvpnd-dco_check() {
	last_session "$(rowdir "$1")/client.log" | grep -q 'Data plane: mvpn-dco' ||
		{ echo "mvpnd is not on mvpn-dco"; return 1; }
}
row_mvpnd-dco_down() { client_stop "$1"; }

row_mvpnd-user_avail() { mvpnd_avail; }
row_mvpnd-user_server() { ovpn_server "$1" user; }
row_mvpnd-user_ready() { ovpn_server_ready "$1" user; }
row_mvpnd-user_client() { client_start "$1" "$MVPND" --dco off --config; }
row_mvpnd-user_check() {
	last_session "$(rowdir "$1")/client.log" | grep -q 'Data plane: userspace' ||
		{ echo "mvpnd is not on its userspace data plane"; return 1; }
}
row_mvpnd-user_down() { client_stop "$1"; }

# -- mvpnctl p2p-up at both ends ---------------------------------------------
#
# A static-key link has no handshake to redo: a restarted end would start its
# packet ids at 1 again under the same key, and the other end's replay window
# would rightly drop them.  So "the client end" of a p2p row is the whole
# link: both ends start together with a fresh key, and the handshake time is
# from there to the first ping (device, socket, peer and key set up).

# p2p_end ROW s|c [--userspace]: start one end of the link (does not wait).
p2p_end() {
	local row=$1 side=$2 d ns here there dir addr log
	shift 2
	d=$(rowdir "$row")
	if [ "$side" = s ]; then
		ns=$(ns_s "$row") here=$SRV_OUTER there=$CLI_OUTER dir=0 addr=$SRV_INNER log=$d/server.log
	else
		ns=$(ns_c "$row") here=$CLI_OUTER there=$SRV_OUTER dir=1 addr=$CLI_INNER log=$d/client.log
	fi
	echo "--- client start $(date +%T.%N)" >>"$log"
	bg "$ns" "$log" "$MVPNCTL" p2p-up --dev mvpn0 --local "$here:$OVPN_PORT" \
		--remote "$there:$OVPN_PORT" --peer-id 1 --cipher "${ROW_CIPHER[$row],,}" \
		--key-file "$d/p2p.key" --key-dir "$dir" --vpn-addr "$addr/24" --mtu "$MTU" "$@"
	if [ "$side" = s ]; then SRV_PID[$row]=$BG_PID; else CLI_PID[$row]=$BG_PID; fi
}

# p2p_link ROW [--userspace]: a fresh key, then both ends at once.
p2p_link() {
	head -c 80 /dev/urandom | base64 >"$(rowdir "$1")/p2p.key" || return 1
	p2p_end "$1" s "${@:2}"
	p2p_end "$1" c "${@:2}"
}

p2p_unlink() {
	kill_pid "${CLI_PID[$1]:-}"
	kill_pid "${SRV_PID[$1]:-}"
	CLI_PID[$1]="" SRV_PID[$1]=""
}

row_p2p_avail() {
	local r
	for r in "$(mvpnctl_p2p_avail)" "$(mvpn_module_avail)"; do
		[ -z "$r" ] || { echo "$r"; return; }
	done
}
row_p2p_server() { :; }
row_p2p_ready() { :; }
row_p2p_client() { p2p_link "$1"; }
row_p2p_check() {
	ip -n "$(ns_c "$1")" -d link show mvpn0 2>/dev/null | grep -q 'mvpn-dco' ||
		{ echo "mvpn0 is not an mvpn-dco device"; return 1; }
}
row_p2p_down() { p2p_unlink "$1"; }

row_p2p-user_avail() { mvpnctl_p2p_avail; }
row_p2p-user_server() { :; }
row_p2p-user_ready() { :; }
row_p2p-user_client() { p2p_link "$1" --userspace; }
row_p2p-user_check() {
	ip -n "$(ns_c "$1")" -d link show mvpn0 2>/dev/null | grep -q 'tun' ||
		{ echo "mvpn0 is not a tun device"; return 1; }
}
row_p2p-user_down() { p2p_unlink "$1"; }

# -- dispatch ----------------------------------------------------------------

# row_do ROW FUNC: row_KIND_FUNC ROW.
row_do() { "row_${ROW_KIND[$1]}_$2" "$1"; }
