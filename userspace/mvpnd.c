// SPDX-License-Identifier: BSD-2-Clause
/*
 * mvpnd: the mvpn control-plane daemon.
 */
#include <stdio.h>
#include <string.h>

#define MVPN_VERSION "0.1.0"

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("mvpnd %s\n", MVPN_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: mvpnd --version\n");
	return 2;
}
