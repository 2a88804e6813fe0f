// SPDX-License-Identifier: BSD-2-Clause
/*
 * mvpnctl: inspect and drive the mvpn-dco module.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/mvpn_dco.h>

#include "genl.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
	const char *help;
};

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(*(int *)data)++;
	return MNL_CB_OK;
}

static int cmd_show(int argc, char **argv)
{
	char buf[GENL_BUF_SIZE];
	struct genl_sock gs;
	struct nlmsghdr *nlh;
	unsigned int ifindex;
	int peers = 0, err;

	if (argc != 2) {
		fprintf(stderr, "usage: mvpnctl show DEV\n");
		return 2;
	}
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex) {
		fprintf(stderr, "mvpnctl: no device '%s'\n", argv[1]);
		return 1;
	}
	if (genl_open(&gs, MVPN_FAMILY_NAME)) {
		fprintf(stderr, "mvpnctl: %s\n", gs.err);
		return 1;
	}
	nlh = genl_req(&gs, buf, MVPN_CMD_PEER_GET, NLM_F_REQUEST | NLM_F_DUMP);
	mnl_attr_put_u32(nlh, MVPN_A_IFINDEX, ifindex);
	err = genl_talk(&gs, nlh, count_cb, &peers);
	if (err) {
		fprintf(stderr, "mvpnctl: show %s: %s\n", argv[1], gs.err);
		genl_close(&gs);
		return 1;
	}
	printf("interface: %s\n  peers: %d\n", argv[1], peers);
	genl_close(&gs);
	return 0;
}

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ "show", cmd_show, "DEV", "show a device and its peers" },
	{ "help", cmd_help, "", "this text" },
};

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("usage: mvpnctl COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-8s %-40s %s\n", commands[i].name, commands[i].args, commands[i].help);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return cmd_help(0, NULL), 2;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "mvpnctl: unknown command '%s' (try 'mvpnctl help')\n", argv[1]);
	return 2;
}
