// SPDX-License-Identifier: BSD-2-Clause
/*
 * test_abuse: what a flood of forged packets may and may not do to the
 * client engine (issue 7, item 4; the live form is selftests/net/
 * 40-daemon-abuse.sh).  With each wrapper, on an established tunnel:
 *
 *  - junk (random bytes behind every opcode), the server's own packets
 *    replayed, bit-flipped and truncated are all refused, none counts as a
 *    sign of life (engine_packet_accepted: the event loop's ping-restart
 *    timer only trusts accepted packets), and none changes the session;
 *  - a fresh packet from the server is accepted;
 *  - the tunnel is still up and renegotiates afterwards.
 */
#include "check.h"
#include "engine_sim.h"
#include "log.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct sim_pki pki;
static char tmpdir[] = "/tmp/mvpn-test-abuse.XXXXXX";

static bool cond_reneg(const struct sim *s)
{
	return sim_count(s, ACT_KEY_INSTALL, 0) >= 2 && sim_count(s, ACT_KEY_SWAP, 0) >= 1;
}

/* Feed one forged packet; it must be refused and change nothing visible. */
static bool refused(struct sim *s, const uint8_t *p, size_t len)
{
	size_t acts = s->n_acts;

	sim_packet(s, p, len);
	/* a refused packet may at most be answered by nothing at all */
	return !engine_packet_accepted(s->e) && s->n_acts == acts && engine_tunnel_up(s->e);
}

struct abuse_case {
	const char *name;
	enum mvpn_tls_wrap wrap;
	bool authenticated;	/* false (no wrapper): a replayed or shortened packet of
				 * the session still decodes, and nothing can tell */
};

static void forged_packets_refused(void)
{
	static const struct abuse_case cases[] = {
		{ "tls-auth", MVPN_WRAP_TLS_AUTH, true },
		{ "tls-crypt", MVPN_WRAP_TLS_CRYPT, true },
		{ "tls-crypt-v2", MVPN_WRAP_TLS_CRYPT_V2, true },
		{ "no wrapper", MVPN_WRAP_NONE, false },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct abuse_case *c = &cases[i];
		struct sim_opts o = { .wrap = c->wrap, .seed = 70 + i, .net = { .latency_ms = 10 },
				      .srv = { .peer_id = 3 }, .capture = true,
				      .client_extra = "reneg-sec 0" };
		struct sim_rng rng;
		uint8_t buf[2048];
		unsigned int junk = 0, bad = 0;
		char err[512];
		struct sim *s = sim_new(&pki, &o, err, sizeof(err));

		CHECK(s != NULL, "%s: sim_new: %s", c->name, err);
		if (!s)
			continue;
		sim_rng_seed(&rng, 1000 + i);
		sim_event(s, EV_START);
		CHECK(sim_run(s, 30000, sim_up_both), "%s: no tunnel", c->name);
		sim_run(s, 2000, NULL);	/* ACKs settle */
		/* junk behind every opcode, every key id */
		for (int k = 0; k < 3000; k++) {
			size_t len = (size_t)(sim_rng_next(&rng) % 1400);

			sim_rng_bytes(&rng, buf, len);
			if (len)
				buf[0] = (uint8_t)((1 + k % 11) << 3 | (buf[0] & 7));
			junk++;
			bad += !refused(s, buf, len);
		}
		/* the server's own packets: replayed, bit-flipped, truncated */
		for (size_t k = 0; k < s->n_cap; k++) {
			const struct sim_pkt *p = &s->cap[k];
			size_t n = p->len < sizeof(buf) ? p->len : sizeof(buf);

			if (c->authenticated) {
				junk++;
				bad += !refused(s, p->data, n);
			}
			for (int f = 0; f < 8 && n; f++) {
				size_t bit = (size_t)(sim_rng_next(&rng) % (n * 8));

				memcpy(buf, p->data, n);
				buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
				/* without a wrapper only the header is checked: flip there */
				if (c->wrap == MVPN_WRAP_NONE)
					buf[1 + bit % 8] ^= 0x80;
				junk++;
				bad += !refused(s, buf, n);
			}
			for (size_t t = 0; t < n && t < (c->authenticated ? 40 : 1 + CTL_SID_LEN); t += 3) {
				junk++;
				bad += !refused(s, p->data, t);
			}
		}
		CHECK(bad == 0, "%s: %u of %u forged packets were accepted or had an effect", c->name,
		      bad, junk);
		CHECK(s->n_cap > 5, "%s: only %zu server packets captured", c->name, s->n_cap);
		/* a fresh packet from the server is accepted */
		CHECK(srv_soft_reset(s), "%s: server soft reset", c->name);
		{
			long k = link_first(&s->s2c);
			struct sim_pkt p;

			CHECK(k >= 0, "%s: the server sent nothing", c->name);
			if (k >= 0) {
				link_take(&s->s2c, k, &p);
				sim_packet(s, p.data, p.len);
				CHECK(engine_packet_accepted(s->e), "%s: the server's soft reset was not "
				      "accepted", c->name);
				free(p.data);
			}
		}
		CHECK(sim_run(s, 91000, cond_reneg), "%s: no renegotiation after the flood", c->name);
		sim_free(s);
	}
}

int main(void)
{
	if (testpki_make(&pki, tmpdir)) {
		printf("not ok - abuse: PKI setup (scripts/lib/pki.sh, run from the repository root)\n");
		return 1;
	}
	log_verbosity = 0;	/* thousands of refused packets: no log */
	RUN("abuse", forged_packets_refused);
	testpki_done(&pki, tmpdir);
	CHECK_EXIT();
}
