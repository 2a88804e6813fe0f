// SPDX-License-Identifier: BSD-2-Clause
/*
 * tun.c and route.c against the real kernel, inside a private network
 * namespace this test creates for itself (unshare(CLONE_NEWNET), so needs
 * root): nothing it does is visible outside, and the namespace disappears
 * with the process.  What the kernel ended up with is read back with ip(8),
 * independently of the code under test.
 *
 *   [ this process's netns ]
 *     up0 (veth to up0p) 192.0.2.10/24, 2001:db8:1::10/64, default via 192.0.2.1 / 2001:db8:1::1
 *     tunN        addresses, routes and redirect-gateway under test
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "check.h"
#include "route.h"
#include "tun.h"

static struct route_nl nl;
static struct tun_dev tun;

/* Run a shell command, return its output (trailing newline removed). */
static const char *sh(const char *fmt, ...)
{
	static char out[8192];
	char cmd[512];
	va_list ap;
	size_t n;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	out[0] = '\0';
	p = popen(cmd, "r");
	if (!p)
		return out;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	pclose(p);
	while (n && out[n - 1] == '\n')
		out[--n] = '\0';
	return out;
}

static struct in_addr a4(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	return a;
}

static void tun_devices(void)
{
	struct tun_dev t2, mq;
	char err[200];
	int fl;

	CHECK(tun_open(&tun, NULL, 1, err, sizeof(err)) == 0, "%s", err);
	CHECK(strncmp(tun.name, "tun", 3) == 0 && tun.ifindex > 0, "auto name %s index %u",
	      tun.name, tun.ifindex);
	fl = fcntl(tun.fd[0], F_GETFL);
	CHECK(fl >= 0 && (fl & O_NONBLOCK), "fd is non-blocking");
	CHECK(strstr(sh("ip -d link show %s", tun.name), "tun type tun pi off") != NULL,
	      "kernel says: %s", sh("ip -d link show %s", tun.name));

	CHECK(tun_open(&t2, "mvpn-t%d", 1, err, sizeof(err)) == 0, "%s", err);
	CHECK(strcmp(t2.name, "mvpn-t0") == 0, "pattern gave %s", t2.name);
	tun_close(&t2);
	CHECK(tun_open(&mq, "mvpnmq", 3, err, sizeof(err)) == 0, "%s", err);
	CHECK(mq.nqueues == 3 && strcmp(mq.name, "mvpnmq") == 0, "%d queues on %s", mq.nqueues,
	      mq.name);
	CHECK(strstr(sh("ip -d link show mvpnmq"), "multi_queue") != NULL, "multi-queue flag");
	tun_close(&mq);
	CHECK(strstr(sh("ip link show mvpnmq 2>&1"), "does not exist") != NULL,
	      "closing every queue removes the device");

	CHECK(tun_open(&t2, "a-name-longer-than-15", 1, err, sizeof(err)) == -EINVAL, "long name");
	CHECK(strcmp(err, "tun device name 'a-name-longer-than-15' is longer than 15 characters") ==
		      0, "%s", err);
	CHECK(tun_open(&t2, "up0", 1, err, sizeof(err)) < 0, "a veth device is not a tun");
	CHECK(strstr(err, "cannot create tun device 'up0'") != NULL, "%s", err);
	CHECK(tun_open(&t2, NULL, 0, err, sizeof(err)) == -EINVAL, "zero queues");
}

static void addresses_link_mtu(void)
{
	struct route_ifaddr a;
	char err[200];

	CHECK(route_link_set_mtu(&nl, tun.ifindex, 1400) == 0, "%s", nl.err);
	CHECK(route_link_set_up(&nl, tun.ifindex, true) == 0, "%s", nl.err);
	CHECK(strstr(sh("ip link show %s", tun.name), "mtu 1400") != NULL, "mtu: %s",
	      sh("ip link show %s", tun.name));
	CHECK(strstr(sh("ip link show %s", tun.name), ",UP") != NULL, "up");

	/* net30: local peer */
	CHECK(route_ifconfig4(ROUTE_TOPOLOGY_NET30, tun.ifindex, a4("10.8.0.6"), a4("10.8.0.5"),
			      &a, err, sizeof(err)) == 0, "%s", err);
	CHECK(route_addr_add(&nl, &a) == 0, "%s", nl.err);
	CHECK(strstr(sh("ip -4 addr show dev %s", tun.name), "inet 10.8.0.6 peer 10.8.0.5/32") !=
		      NULL, "net30: %s", sh("ip -4 addr show dev %s", tun.name));
	CHECK(route_addr_add(&nl, &a) == -EEXIST, "adding twice");
	CHECK(strstr(nl.err, "address add 10.8.0.6 peer 10.8.0.5/32 dev tun") == nl.err,
	      "%s", nl.err);
	CHECK(route_addr_del(&nl, &a) == 0, "%s", nl.err);

	/* subnet: local/prefix */
	CHECK(route_ifconfig4(ROUTE_TOPOLOGY_SUBNET, tun.ifindex, a4("10.9.0.2"),
			      a4("255.255.255.0"), &a, err, sizeof(err)) == 0, "%s", err);
	CHECK(route_addr_add(&nl, &a) == 0, "%s", nl.err);
	CHECK(strstr(sh("ip -4 addr show dev %s", tun.name), "inet 10.9.0.2/24") != NULL,
	      "subnet: %s", sh("ip -4 addr show dev %s", tun.name));
	CHECK(strstr(sh("ip -4 route show dev %s", tun.name), "10.9.0.0/24 proto kernel") != NULL,
	      "connected route: %s", sh("ip -4 route show dev %s", tun.name));

	/* v6 */
	a = (struct route_ifaddr){ .family = AF_INET6, .ifindex = tun.ifindex, .prefixlen = 64,
				   .local.v6 = a6("fd00:8::1000") };
	CHECK(route_addr_add(&nl, &a) == 0, "%s", nl.err);
	CHECK(strstr(sh("ip -6 addr show dev %s", tun.name), "inet6 fd00:8::1000/64 scope global") !=
		      NULL, "v6: %s", sh("ip -6 addr show dev %s", tun.name));

	/* errors say what was refused */
	CHECK(route_ifconfig4(ROUTE_TOPOLOGY_SUBNET, 1, a4("10.9.0.2"), a4("255.0.255.0"), &a,
			      err, sizeof(err)) == -EINVAL, "holey netmask");
	CHECK(strcmp(err, "ifconfig: '255.0.255.0' is not a valid netmask (topology subnet takes "
			  "'ifconfig ADDRESS NETMASK')") == 0, "%s", err);
	CHECK(route_ifconfig4(ROUTE_TOPOLOGY_NET30, 1, a4("10.9.0.2"), a4("255.255.255.0"), &a,
			      err, sizeof(err)) == -EINVAL, "netmask given to net30");
	CHECK(strstr(err, "use 'topology subnet'") != NULL, "%s", err);
	a = (struct route_ifaddr){ .family = AF_INET6, .ifindex = tun.ifindex, .prefixlen = 129 };
	CHECK(route_addr_add(&nl, &a) == -EINVAL, "prefix 129");
	CHECK(route_link_set_mtu(&nl, 999999, 1400) == -ENODEV, "no such device");
	CHECK(strstr(nl.err, "link set #999999 mtu 1400: ") == nl.err, "%s", nl.err);
}

static void routes(void)
{
	struct route r = { .family = AF_INET, .dst.v4 = a4("10.99.0.0"), .prefixlen = 16,
			   .ifindex = tun.ifindex, .metric = 7 };
	struct route g;
	char rs[128];

	CHECK(route_add(&nl, &r) == 0, "%s", nl.err);
	CHECK(strstr(sh("ip -4 route show 10.99.0.0/16"), "dev tun") != NULL &&
		      strstr(sh("ip -4 route show 10.99.0.0/16"), "metric 7") != NULL,
	      "%s", sh("ip -4 route show 10.99.0.0/16"));
	CHECK(route_get(&nl, AF_INET, &(union route_addr){ .v4 = a4("10.99.3.4") }, &g) == 0,
	      "%s", nl.err);
	CHECK(g.ifindex == tun.ifindex && !g.has_gw, "lookup: %s", route_str(&g, rs, sizeof(rs)));
	CHECK(route_add(&nl, &r) == -EEXIST, "twice");
	CHECK(strstr(nl.err, "route add 10.99.0.0/16 dev tun") == nl.err &&
		      strstr(nl.err, "metric 7: File exists"), "%s", nl.err);
	CHECK(route_del(&nl, &r) == 0, "%s", nl.err);
	CHECK(sh("ip -4 route show 10.99.0.0/16")[0] == '\0', "deleted");
	CHECK(route_del(&nl, &r) == -ESRCH, "deleting a missing route");

	/* via a gateway inside the tunnel's subnet; v6 via device and via gateway */
	r = (struct route){ .family = AF_INET, .dst.v4 = a4("172.16.0.0"), .prefixlen = 12,
			    .has_gw = true, .gw.v4 = a4("10.9.0.1") };
	CHECK(route_add(&nl, &r) == 0, "%s", nl.err);
	CHECK(strstr(sh("ip -4 route show 172.16.0.0/12"), "via 10.9.0.1 dev tun") != NULL, "%s",
	      sh("ip -4 route show 172.16.0.0/12"));
	CHECK(route_del(&nl, &r) == 0, "%s", nl.err);
	r = (struct route){ .family = AF_INET6, .dst.v6 = a6("fd99::"), .prefixlen = 48,
			    .ifindex = tun.ifindex };
	CHECK(route_add(&nl, &r) == 0, "%s", nl.err);
	CHECK(strstr(sh("ip -6 route show fd99::/48"), "dev tun") != NULL, "%s",
	      sh("ip -6 route show fd99::/48"));
	r = (struct route){ .family = AF_INET6, .dst.v6 = a6("fd98::"), .prefixlen = 48,
			    .has_gw = true, .gw.v6 = a6("fd00:8::1"), .metric = 3 };
	CHECK(route_add(&nl, &r) == 0, "%s", nl.err);
	CHECK(strstr(sh("ip -6 route show fd98::/48"), "via fd00:8::1 dev tun") != NULL, "%s",
	      sh("ip -6 route show fd98::/48"));

	/* an unreachable gateway is refused with the kernel's words */
	r = (struct route){ .family = AF_INET, .dst.v4 = a4("172.31.0.0"), .prefixlen = 16,
			    .has_gw = true, .gw.v4 = a4("203.0.113.9") };
	CHECK(route_add(&nl, &r) < 0, "unreachable gateway accepted");
	CHECK(strstr(nl.err, "route add 172.31.0.0/16 via 203.0.113.9: ") == nl.err &&
		      strlen(nl.err) > 45, "%s", nl.err);
	CHECK(route_get_default(&nl, AF_INET, &g) == 0 && g.has_gw &&
		      g.gw.v4.s_addr == a4("192.0.2.1").s_addr, "default: %s", nl.err);
}

static void redirect_def1_and_undo(void)
{
	const char *before4 = NULL, *before6;
	char b4[4096], b6[4096];
	struct route_set set;
	struct in6_addr srv6 = a6("2001:db8:77::5");

	snprintf(b4, sizeof(b4), "%s", sh("ip -4 route show table main"));
	snprintf(b6, sizeof(b6), "%s", sh("ip -6 route show table main"));
	before4 = b4;
	before6 = b6;
	route_set_init(&set);
	CHECK(route_set_add_route(&set, &nl, &(struct route){ .family = AF_INET,
			.dst.v4 = a4("10.123.0.0"), .prefixlen = 16, .ifindex = tun.ifindex }) == 0,
	      "%s", nl.err);
	CHECK(route_redirect_gateway4(&set, &nl, a4("198.51.100.7"), true, a4("10.9.0.1"),
				      tun.ifindex, 0, true, false) == 0, "%s", nl.err);
	CHECK(route_redirect_gateway6(&set, &nl, &srv6, NULL, tun.ifindex, 0) == 0, "%s",
	      nl.err);
	CHECK(strstr(sh("ip -4 route show 198.51.100.7/32"), "via 192.0.2.1 dev up0") != NULL,
	      "server kept on the old gateway: %s", sh("ip -4 route show 198.51.100.7/32"));
	CHECK(strstr(sh("ip -4 route show 0.0.0.0/1"), "via 10.9.0.1 dev tun") != NULL &&
		      strstr(sh("ip -4 route show 128.0.0.0/1"), "via 10.9.0.1 dev tun") != NULL,
	      "def1 halves: %s", sh("ip -4 route"));
	CHECK(strstr(sh("ip -4 route get 8.8.8.8"), "dev tun") != NULL, "traffic goes to tun");
	CHECK(strstr(sh("ip -4 route get 198.51.100.7"), "via 192.0.2.1 dev up0") != NULL,
	      "server does not");
	CHECK(strstr(sh("ip -6 route show 2001:db8:77::5/128"), "via 2001:db8:1::1 dev up0") != NULL,
	      "v6 server kept: %s", sh("ip -6 route"));
	{
		const char *r6 = sh("ip -6 route show dev %s", tun.name);

		CHECK(strstr(r6, "::/3 ") && strstr(r6, "2000::/4 ") && strstr(r6, "3000::/4 ") &&
			      strstr(r6, "fc00::/7 "), "v6 redirect: %s", r6);
	}
	CHECK(set.n == 1 + 3 + 5, "%zu changes recorded", set.n);
	CHECK(route_set_undo(&set, &nl) == 0, "%s", nl.err);
	CHECK(strcmp(sh("ip -4 route show table main"), before4) == 0, "v4 table restored: %s",
	      sh("ip -4 route show table main"));
	CHECK(strcmp(sh("ip -6 route show table main"), before6) == 0, "v6 table restored: %s",
	      sh("ip -6 route show table main"));

	/* without def1 the default route is replaced, and put back on undo */
	CHECK(route_redirect_gateway4(&set, &nl, a4("198.51.100.7"), true, a4("10.9.0.1"),
				      tun.ifindex, 0, false, false) == 0, "%s", nl.err);
	CHECK(strstr(sh("ip -4 route show default"), "via 10.9.0.1 dev tun") != NULL &&
		      strstr(sh("ip -4 route show default"), "192.0.2.1") == NULL,
	      "default replaced: %s", sh("ip -4 route show default"));
	CHECK(route_set_undo(&set, &nl) == 0, "%s", nl.err);
	CHECK(strcmp(sh("ip -4 route show table main"), before4) == 0, "default restored: %s",
	      sh("ip -4 route show table main"));
	route_set_free(&set);
}

/* Undo after the tun device is gone: its routes vanished with it; fine. */
static void undo_after_device_gone(void)
{
	struct route_set set;
	struct tun_dev t;
	char err[200];
	char b4[4096];

	snprintf(b4, sizeof(b4), "%s", sh("ip -4 route show table main"));
	CHECK(tun_open(&t, "mvpn-gone", 1, err, sizeof(err)) == 0, "%s", err);
	route_link_set_up(&nl, t.ifindex, true);
	route_set_init(&set);
	CHECK(route_set_add_addr(&set, &nl, &(struct route_ifaddr){ .family = AF_INET,
			.ifindex = t.ifindex, .local.v4 = a4("10.77.0.2"), .prefixlen = 24 }) == 0,
	      "%s", nl.err);
	CHECK(route_redirect_gateway4(&set, &nl, a4("198.51.100.8"), true, a4("10.77.0.1"),
				      t.ifindex, 0, true, false) == 0, "%s", nl.err);
	tun_close(&t);
	CHECK(route_set_undo(&set, &nl) == 0, "%s", nl.err);
	CHECK(strcmp(sh("ip -4 route show table main"), b4) == 0, "host route removed too: %s",
	      sh("ip -4 route show table main"));
	route_set_free(&set);
}

int main(void)
{
	if (unshare(CLONE_NEWNET) != 0) {
		printf("not ok - route: private network namespace (unshare: %s; needs root)\n",
		       strerror(errno));
		return 1;
	}
	if (system("ip link set lo up && ip link add up0 type veth peer name up0p && ip link set up0p up && ip link set up0 up && "
		   "ip addr add 192.0.2.10/24 dev up0 && ip route add default via 192.0.2.1 && "
		   "ip -6 addr add 2001:db8:1::10/64 dev up0 nodad && "
		   "ip -6 route add default via 2001:db8:1::1") != 0) {
		printf("not ok - route: namespace setup with ip(8) failed\n");
		return 1;
	}
	if (route_nl_open(&nl) != 0) {
		printf("not ok - route: %s\n", nl.err);
		return 1;
	}
	RUN("route", tun_devices);
	if (tun.nqueues) {
		RUN("route", addresses_link_mtu);
		RUN("route", routes);
		RUN("route", redirect_def1_and_undo);
		RUN("route", undo_after_device_gone);
	}
	tun_close(&tun);
	route_nl_close(&nl);
	CHECK_EXIT();
}
