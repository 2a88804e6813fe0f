// SPDX-License-Identifier: BSD-2-Clause
/*
 * config_push.c: apply a server's PUSH_REPLY to a config.
 *
 * PUSH_REPLY,opt1,opt2,... : commas separate options and each option is
 * tokenised like a config line (openvpn-protocol.md §9).  Before an option
 * is parsed, the pull-filter list is consulted in order: the first filter
 * whose text is a prefix of the option decides (accept / ignore / reject;
 * reject fails the whole push, as in OpenVPN).  Options a server may push
 * are flagged DF_PUSH in the directive table; a known option that may not be
 * pushed is an error, an unknown one a warning (OpenVPN logs it and goes on,
 * and newer servers push options older clients do not know).
 *
 * A reply may be split over several messages with `push-continuation 2`
 * on every part but the last, which carries `push-continuation 1` (or
 * nothing).  The caller applies each part to the same copy of its config.
 */
#include <string.h>

#include "config_int.h"
#include "redact.h"

int cfg_apply_pushed_option(struct mvpn_config *cfg, const char *opt, size_t len,
			    unsigned int index, struct mvpn_config_error *err)
{
	char why[200], shown[256];	/* shown: the option as messages may quote it */
	char *argv[CFG_MAX_ARGS];
	char store[CFG_MAX_LINE + CFG_MAX_ARGS + 1];
	size_t skip = 0;
	int argc, rc;

	while (skip < len && (opt[skip] == ' ' || opt[skip] == '\t'))
		skip++;
	opt += skip;
	len -= skip;
	if (len == 0)
		return 0;
	if (len > CFG_MAX_LINE) {
		cfg_set_error(err, "PUSH_REPLY", index, "option is longer than %d characters",
			      CFG_MAX_LINE);
		return -1;
	}
	for (size_t i = 0; i < cfg->n_pull_filters; i++) {
		const struct mvpn_pull_filter *f = &cfg->pull_filters[i];
		size_t fl = strlen(f->prefix);

		if (fl > len || memcmp(opt, f->prefix, fl) != 0)
			continue;
		if (f->action == MVPN_PULL_ACCEPT)
			break;
		redact_control_message(opt, len, shown, sizeof(shown));
		if (f->action == MVPN_PULL_IGNORE) {
			cfg_add_warning(cfg, "PUSH_REPLY:%u: '%s' ignored by pull-filter ignore \"%s\"",
					index, shown, f->prefix);
			return 0;
		}
		cfg_set_error(err, "PUSH_REPLY", index, "'%s' rejected by pull-filter reject \"%s\"",
			      shown, f->prefix);
		return -1;
	}
	argc = cfg_tokenize(opt, len, store, sizeof(store), argv, why, sizeof(why));
	if (argc < 0) {
		redact_control_message(opt, len, shown, sizeof(shown));
		cfg_set_error(err, "PUSH_REPLY", index, "'%s': %s", shown, why);
		return -1;
	}
	if (argc == 0)
		return 0;
	{
		struct dctx d = {
			.p = NULL, .cfg = cfg, .ce = NULL, .file = "PUSH_REPLY", .line = index,
			.argc = argc, .argv = argv, .where = CTX_PUSH, .err = err,
		};
		/* connection-level pushable options (tun-mtu, mssfix,
		 * explicit-exit-notify) land in the resolved settings */
		struct cfg_ce ce = { 0 };

		ce.tun_mtu = cfg->conn.tun_mtu;
		ce.mssfix = cfg->conn.mssfix;
		ce.explicit_exit_notify = cfg->conn.explicit_exit_notify;
		d.ce = &ce;
		rc = cfg_dispatch(&d);
		if (rc == 0 && strcmp(d.argv[0], "tun-mtu") == 0) {
			cfg->conn.tun_mtu = ce.tun_mtu;
			for (size_t i = 0; i < cfg->n_remotes; i++)
				cfg->remotes[i].tun_mtu = ce.tun_mtu;
		} else if (rc == 0 && strcmp(d.argv[0], "mssfix") == 0) {
			struct mvpn_remote *rs[1] = { &cfg->conn };

			for (size_t i = 0; i <= cfg->n_remotes; i++) {
				struct mvpn_remote *r = i == 0 ? rs[0] : &cfg->remotes[i - 1];

				r->mssfix = ce.mssfix_default ? (r->tun_mtu == 1500 ? 1492 : r->tun_mtu)
							      : ce.mssfix;
				r->mssfix_mtu = ce.mssfix_mtu;
				r->mssfix_fixed = ce.mssfix_fixed;
			}
		} else if (rc == 0 && strcmp(d.argv[0], "explicit-exit-notify") == 0) {
			cfg->conn.explicit_exit_notify = ce.explicit_exit_notify;
			for (size_t i = 0; i < cfg->n_remotes; i++)
				cfg->remotes[i].explicit_exit_notify = ce.explicit_exit_notify;
		}
	}
	explicit_bzero(store, sizeof(store));	/* auth-token */
	return rc;
}

static bool cipher_allowed(const struct mvpn_config *c, enum mvpn_cipher ci)
{
	for (size_t i = 0; i < c->n_data_ciphers; i++)
		if (c->data_ciphers[i] == ci)
			return true;
	return ci == c->data_ciphers_fallback;
}

int config_apply_push(struct mvpn_config *cfg, const char *msg, size_t len,
		      struct mvpn_config_error *err)
{
	static const char prefix[] = "PUSH_REPLY";
	struct mvpn_config_error dummy;
	unsigned int index = 0;
	const char *s, *end;

	if (!err)
		err = &dummy;
	while (len > 0 && msg[len - 1] == '\0')
		len--;
	if (memchr(msg, '\0', len)) {
		cfg_set_error(err, "PUSH_REPLY", 0, "message contains a NUL byte");
		return -1;
	}
	if (len >= sizeof(prefix) - 1 && memcmp(msg, prefix, sizeof(prefix) - 1) == 0) {
		msg += sizeof(prefix) - 1;
		len -= sizeof(prefix) - 1;
		if (len > 0 && msg[0] != ',') {
			cfg_set_error(err, "PUSH_REPLY", 0, "expected ',' after PUSH_REPLY");
			return -1;
		}
	}
	if (len > 0 && msg[0] == ',') {
		msg++;
		len--;
	}
	cfg->priv->push_continuation_pending = false;
	s = msg;
	end = msg + len;
	while (s < end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		size_t n = comma ? (size_t)(comma - s) : (size_t)(end - s);

		index++;
		if (n > 0 && cfg_apply_pushed_option(cfg, s, n, index, err))
			return -1;
		s += n + (comma ? 1 : 0);
	}
	cfg->push_received = true;
	if (cfg->priv->push_continuation_pending)
		return 1;
	/* the complete reply: a pushed cipher must be one we offered */
	if (cfg->pushed_cipher && !cipher_allowed(cfg, cfg->cipher)) {
		char list[256] = "";

		for (size_t i = 0; i < cfg->n_data_ciphers; i++) {
			strncat(list, config_cipher_name(cfg->data_ciphers[i]),
				sizeof(list) - strlen(list) - 2);
			if (i + 1 < cfg->n_data_ciphers)
				strncat(list, ":", sizeof(list) - strlen(list) - 1);
		}
		cfg_set_error(err, "PUSH_REPLY", 0, "cipher: the server pushed %s, which is not in "
			      "data-ciphers (%s)", config_cipher_name(cfg->cipher), list);
		return -1;
	}
	if (cfg->comp != MVPN_COMP_NONE && cfg->comp != MVPN_COMP_LZO_NO &&
	    cfg->comp != MVPN_COMP_STUB && cfg->comp != MVPN_COMP_STUB_V2 &&
	    cfg->allow_compression == MVPN_ALLOW_COMP_NO) {
		cfg_set_error(err, "PUSH_REPLY", 0, "the server pushed %s, but compression is not "
			      "allowed (allow-compression no is the default; only stub framing is "
			      "accepted)", cfg_comp_name(cfg->comp));
		return -1;
	}
	return 0;
}
