// SPDX-License-Identifier: BSD-2-Clause
/*
 * mvpnd: the mvpn control-plane daemon.  Reads an OpenVPN 2.6 config file,
 * runs the control channel, and carries the data channel in the mvpn-dco
 * kernel module when it can, else in userspace on tun.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "loop.h"
#include "secmem.h"

#define MVPN_VERSION "0.1.0"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mvpnd --config FILE [options]\n"
		"       mvpnd --check-config FILE\n"
		"\n"
		"  --config FILE        run with this OpenVPN config file\n"
		"  --check-config FILE  print the resolved config and exit (1 on error)\n"
		"  --dco auto|on|off    data channel in the mvpn-dco module: when possible\n"
		"                       (default), required, or never\n"
		"  --verb N             log verbosity, overrides the config (OpenVPN levels)\n"
		"  --force-prf          do not offer TLS-EKM: derive keys with the TLS 1.0 PRF\n"
		"                       (interoperability testing)\n"
		"  --allow-insecure-key-files\n"
		"                       accept key, tls-auth/tls-crypt, pkcs12, secret and\n"
		"                       auth-user-pass files that other users can read\n"
		"                       (refused by default: chmod 600 them instead)\n"
		"  --show-ignored       list the directives accepted but ignored, and why\n"
		"  --version            print the version\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", required_argument, NULL, 'C' },
		{ "dco", required_argument, NULL, 'd' },
		{ "verb", required_argument, NULL, 'v' },
		{ "force-prf", no_argument, NULL, 'P' },
		{ "show-ignored", no_argument, NULL, 'I' },
		{ "allow-insecure-key-files", no_argument, NULL, 'K' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct loop_opts lo = { .dco = DCO_AUTO };
	const char *config = NULL, *check = NULL;
	struct mvpn_config_error err;
	struct mvpn_config *cfg;
	int verb = -1, c, status;
	unsigned int load_flags = 0;

	/* before any OpenSSL call: its freed blocks get wiped (secmem.h) */
	if (secmem_openssl_wipe_on_free())
		fprintf(stderr, "mvpnd: warning: OpenSSL will not wipe the memory it frees\n");
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'C':
			check = optarg;
			break;
		case 'd':
			if (!strcmp(optarg, "auto"))
				lo.dco = DCO_AUTO;
			else if (!strcmp(optarg, "on"))
				lo.dco = DCO_ON;
			else if (!strcmp(optarg, "off"))
				lo.dco = DCO_OFF;
			else {
				fprintf(stderr, "mvpnd: --dco takes auto, on or off, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'v': {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*end || v < 0 || v > 11) {
				fprintf(stderr, "mvpnd: --verb takes a number 0..11, not '%s'\n", optarg);
				return 2;
			}
			verb = (int)v;
			break;
		}
		case 'P':
			lo.force_prf = true;
			break;
		case 'K':
			load_flags |= CONFIG_LOAD_ALLOW_INSECURE_KEY_FILES;
			break;
		case 'I':
			config_print_ignored(stdout);
			return 0;
		case 'V':
			printf("mvpnd %s\n", MVPN_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "mvpnd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (check) {
		cfg = config_load_file_flags(check, load_flags, &err);
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
	if (!config) {
		usage(stderr);
		return 2;
	}
	cfg = config_load_file_flags(config, load_flags, &err);
	if (!cfg) {
		fprintf(stderr, "%s\n", err.text);
		return 1;
	}
	log_verbosity = verb >= 0 ? verb : cfg->verb > 0 ? cfg->verb : 1;
	/* At verb 1 OpenVPN still prints its major events; so do we. */
	if (log_verbosity < LOG_INFO)
		log_verbosity = LOG_INFO;
	mlog(LOG_INFO, "mvpnd %s starting with %s", MVPN_VERSION, config);
	for (size_t i = 0; i < cfg->n_warnings; i++)
		mlog(LOG_INFO, "WARNING: %s", cfg->warnings[i]);
	lo.cfg = cfg;
	status = loop_run(&lo);
	config_free(cfg);
	return status;
}
