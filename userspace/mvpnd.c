// SPDX-License-Identifier: BSD-2-Clause
/*
 * mvpnd: the mvpn control-plane daemon.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"

#define MVPN_VERSION "0.1.0"

/* --check-config FILE: print the resolved config (warnings on stderr) and
 * exit 0, or print "FILE:LINE: message" and exit 1. */
static int check_config(const char *path)
{
	struct mvpn_config_error err;
	struct mvpn_config *cfg = config_load_file(path, &err);

	if (!cfg) {
		fprintf(stderr, "%s\n", err.text);
		return 1;
	}
	for (size_t i = 0; i < cfg->n_warnings; i++)
		fprintf(stderr, "warning: %s\n", cfg->warnings[i]);
	config_print(stdout, cfg);
	config_free(cfg);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("mvpnd %s\n", MVPN_VERSION);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--check-config") == 0)
		return check_config(argv[2]);
	fprintf(stderr, "usage: mvpnd --version\n       mvpnd --check-config FILE\n");
	return 2;
}
