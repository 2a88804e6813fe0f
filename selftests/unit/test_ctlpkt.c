// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: control packet model and control-record codec (ctlpkt.c).
 * Known answers: the unwrapped packets of OpenVPN's own unit tests
 * (test_pkt.c: client_reset_v2_none, client_control_with_ack,
 * client_ack_none_random_id) and hand-assembled records.
 */
#include "check.h"
#include "ctlpkt.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* 14-byte HARD_RESET_CLIENT_V2, no wrapping (upstream test_pkt.c). */
static const uint8_t reset_v2_none[] = {
	0x38, 0x68, 0x91, 0x92, 0x3f, 0xa3, 0x10, 0x34, 0x37, 0x00, 0x00, 0x00, 0x00, 0x00,
};
/* P_CONTROL_V1, 1 ACK (id 0) for sid eafebfa4418ae31b, msg-id 1, TLS bytes. */
static const uint8_t control_with_ack[] = {
	0x20, 0x78, 0x19, 0xbf, 0x2e, 0xbc, 0xd1, 0x9a, 0x45, 0x01, 0x00, 0x00, 0x00, 0x00,
	0xea, 0xfe, 0xbf, 0xa4, 0x41, 0x8a, 0xe3, 0x1b, 0x00, 0x00, 0x00, 0x01, 0x16, 0x03,
	0x01,
};
/* P_ACK_V1 acking id 0 for sid dd85db535623b02e. */
static const uint8_t ack_none[] = {
	0x28, 0xae, 0xb9, 0xaf, 0xe1, 0xf0, 0x1d, 0x79, 0xc8, 0x01, 0x00, 0x00, 0x00, 0x00,
	0xdd, 0x85, 0xdb, 0x53, 0x56, 0x23, 0xb0, 0x2e,
};

static void known_packets_decode(void)
{
	struct ctl_pkt p;
	static const uint8_t sid1[8] = { 0x68, 0x91, 0x92, 0x3f, 0xa3, 0x10, 0x34, 0x37 };
	static const uint8_t psid2[8] = { 0xea, 0xfe, 0xbf, 0xa4, 0x41, 0x8a, 0xe3, 0x1b };
	static const uint8_t psid3[8] = { 0xdd, 0x85, 0xdb, 0x53, 0x56, 0x23, 0xb0, 0x2e };

	CHECK(ctlpkt_decode_plain(reset_v2_none, sizeof(reset_v2_none), &p) == 0, "reset");
	CHECK(p.opcode == CTL_OP_HARD_RESET_CLIENT_V2 && p.key_id == 0 && p.n_acks == 0 &&
		      p.msg_id == 0 && p.payload_len == 0 && p.payload == NULL,
	      "reset fields op=%u n_acks=%u msg_id=%u len=%zu", p.opcode, p.n_acks, p.msg_id,
	      p.payload_len);
	CHECK_MEM(p.sid, sid1, 8, "reset sid");

	CHECK(ctlpkt_decode_plain(control_with_ack, sizeof(control_with_ack), &p) == 0, "ctl");
	CHECK(p.opcode == CTL_OP_CONTROL_V1 && p.n_acks == 1 && p.acks[0] == 0 && p.msg_id == 1 &&
		      p.payload_len == 3 && p.payload[0] == 0x16,
	      "control fields");
	CHECK_MEM(p.peer_sid, psid2, 8, "control peer sid");

	CHECK(ctlpkt_decode_plain(ack_none, sizeof(ack_none), &p) == 0, "ack");
	CHECK(p.opcode == CTL_OP_ACK_V1 && p.n_acks == 1 && p.acks[0] == 0 && p.payload_len == 0,
	      "ack fields");
	CHECK_MEM(p.peer_sid, psid3, 8, "ack peer sid");
}

static void known_packets_reencode(void)
{
	static const struct { const uint8_t *pkt; size_t len; } v[] = {
		{ reset_v2_none, sizeof(reset_v2_none) },
		{ control_with_ack, sizeof(control_with_ack) },
		{ ack_none, sizeof(ack_none) },
	};
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		struct ctl_pkt p;
		uint8_t out[64];
		long n;

		CHECK(ctlpkt_decode_plain(v[i].pkt, v[i].len, &p) == 0, "vector %zu decodes", i);
		n = ctlpkt_encode_plain(&p, out, sizeof(out));
		CHECK(n == (long)v[i].len, "vector %zu: encoded %ld bytes", i, n);
		if (n == (long)v[i].len)
			CHECK_MEM(out, v[i].pkt, v[i].len, "re-encoded packet");
		CHECK(ctlpkt_record_len(&p) == v[i].len - 9, "vector %zu record_len", i);
		/* every shorter buffer is refused, nothing written past cap */
		for (size_t cap = 0; cap < v[i].len; cap++) {
			uint8_t small[64];

			memset(small, 0xcc, sizeof(small));
			CHECK(ctlpkt_encode_plain(&p, small, cap) == WIRE_E_SPACE,
			      "vector %zu cap %zu", i, cap);
			CHECK(small[cap] == 0xcc, "vector %zu: wrote past cap %zu", i, cap);
		}
	}
}

/* Table of records that must be refused, with the expected reason. */
static void decode_errors(void)
{
	static const struct {
		const char *what;
		unsigned int opcode;
		uint8_t rec[48];
		size_t len;
		int err;
	} v[] = {
		{ "empty record", CTL_OP_CONTROL_V1, { 0 }, 0, WIRE_E_SHORT },
		{ "no msg-id", CTL_OP_CONTROL_V1, { 0, 0, 0, 0 }, 4, WIRE_E_SHORT },
		{ "9 acks", CTL_OP_CONTROL_V1, { 9 }, 48, WIRE_E_ACKCNT },
		{ "255 acks", CTL_OP_ACK_V1, { 255 }, 48, WIRE_E_ACKCNT },
		{ "ack ids cut", CTL_OP_ACK_V1, { 2, 0, 0, 0, 1, 0, 0 }, 7, WIRE_E_SHORT },
		{ "peer sid cut", CTL_OP_ACK_V1, { 1, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7 }, 12,
		  WIRE_E_SHORT },
		{ "ack without acks", CTL_OP_ACK_V1, { 0 }, 1, WIRE_E_SHORT },
		{ "ack with trailing", CTL_OP_ACK_V1,
		  { 1, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 0 }, 14, WIRE_E_TRAILING },
		{ "data opcode", CTL_OP_DATA_V2, { 0, 0, 0, 0, 0 }, 5, WIRE_E_OPCODE },
		{ "key-method 1 reset", CTL_OP_HARD_RESET_CLIENT_V1, { 0, 0, 0, 0, 0 }, 5,
		  WIRE_E_OPCODE },
		{ "opcode 0", 0, { 0, 0, 0, 0, 0 }, 5, WIRE_E_OPCODE },
		{ "opcode 12", 12, { 0, 0, 0, 0, 0 }, 5, WIRE_E_OPCODE },
		{ "msg-id cut after acks", CTL_OP_CONTROL_V1,
		  { 1, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0 }, 16, WIRE_E_SHORT },
	};
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		struct ctl_pkt p;
		int r = ctlpkt_decode_record(v[i].opcode, v[i].rec, v[i].len, &p);

		CHECK(r == v[i].err, "%s: got %d (%s), want %d", v[i].what, r, wire_strerror(r),
		      v[i].err);
	}
}

/* Every control opcode with 0..8 ACKs and payloads round-trips. */
static void roundtrip_all_opcodes(void)
{
	static const uint8_t ops[] = {
		CTL_OP_SOFT_RESET_V1, CTL_OP_CONTROL_V1, CTL_OP_ACK_V1,
		CTL_OP_HARD_RESET_CLIENT_V2, CTL_OP_HARD_RESET_SERVER_V2,
		CTL_OP_HARD_RESET_CLIENT_V3, CTL_OP_CONTROL_WKC_V1,
	};
	uint8_t payload[100];

	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + 1);
	for (size_t o = 0; o < ARRAY_SIZE(ops); o++) {
		for (unsigned int na = 0; na <= CTL_ACK_MAX; na++) {
			struct ctl_pkt p = { .opcode = ops[o], .key_id = (uint8_t)(na % 8),
					     .n_acks = (uint8_t)na, .msg_id = 0x01020304u + na };
			struct ctl_pkt q;
			uint8_t buf[256];
			long n;

			if (ops[o] == CTL_OP_ACK_V1 && na == 0)
				continue;
			for (unsigned int k = 0; k < 8; k++) {
				p.sid[k] = (uint8_t)(0xa0 + k);
				p.peer_sid[k] = na ? (uint8_t)(0x50 + k) : 0;
			}
			for (unsigned int a = 0; a < na; a++)
				p.acks[a] = 0xfffffff0u + a * 3;
			if (ops[o] != CTL_OP_ACK_V1) {
				p.payload = payload;
				p.payload_len = na * 11;
				if (!p.payload_len)
					p.payload = NULL;
			}
			n = ctlpkt_encode_plain(&p, buf, sizeof(buf));
			CHECK(n == (long)(9 + ctlpkt_record_len(&p)), "%s/%u acks: n=%ld",
			      ctl_opcode_name(ops[o]), na, n);
			if (n < 0)
				continue;
			CHECK(buf[0] == ((ops[o] << 3) | (na % 8)), "first byte %02x", buf[0]);
			CHECK(ctlpkt_decode_plain(buf, (size_t)n, &q) == 0, "%s decodes",
			      ctl_opcode_name(ops[o]));
			CHECK(q.opcode == p.opcode && q.key_id == p.key_id && q.n_acks == p.n_acks &&
				      memcmp(q.acks, p.acks, na * 4) == 0 &&
				      memcmp(q.sid, p.sid, 8) == 0 &&
				      memcmp(q.peer_sid, p.peer_sid, 8) == 0 &&
				      q.payload_len == p.payload_len,
			      "%s/%u acks: fields differ", ctl_opcode_name(ops[o]), na);
			if (ops[o] != CTL_OP_ACK_V1)
				CHECK(q.msg_id == p.msg_id, "msg-id");
			if (q.payload_len == p.payload_len && p.payload_len)
				CHECK_MEM(q.payload, p.payload, p.payload_len, "payload");
		}
	}
}

static void encode_refusals(void)
{
	struct ctl_pkt p = { .opcode = CTL_OP_ACK_V1 };
	uint8_t buf[CTL_PACKET_MAX + 64];
	static uint8_t big[CTL_PACKET_MAX];

	CHECK(ctlpkt_encode_record(&p, buf, sizeof(buf)) == WIRE_E_INVAL, "ACK without ids");
	p.n_acks = 9;
	CHECK(ctlpkt_encode_record(&p, buf, sizeof(buf)) == WIRE_E_ACKCNT, "9 ACKs");
	p.opcode = CTL_OP_DATA_V1;
	p.n_acks = 1;
	CHECK(ctlpkt_encode_record(&p, buf, sizeof(buf)) == WIRE_E_OPCODE, "data opcode");
	p.opcode = CTL_OP_CONTROL_V1;
	p.payload = big;
	p.payload_len = sizeof(big);
	CHECK(ctlpkt_encode_record(&p, buf, sizeof(buf)) == WIRE_E_TOOBIG, "oversized");
	p.payload = NULL;
	p.payload_len = 3;
	CHECK(ctlpkt_encode_record(&p, buf, sizeof(buf)) == WIRE_E_INVAL, "NULL payload");
	p.payload_len = 0;
	p.key_id = 8;
	CHECK(ctlpkt_encode_plain(&p, buf, sizeof(buf)) == WIRE_E_INVAL, "key_id 8");
}

static void peek_cases(void)
{
	static const struct {
		uint8_t pkt[10];
		size_t len;
		int ret;
		uint8_t op, kid;
	} v[] = {
		{ { 0 }, 0, WIRE_E_SHORT, 0, 0 },
		{ { 0x00 }, 1, WIRE_E_OPCODE, 0, 0 },
		{ { 0x67 }, 1, WIRE_E_OPCODE, 0, 0 },		/* opcode 12 */
		{ { 0x4a, 0, 0, 1 }, 4, 0, CTL_OP_DATA_V2, 2 },	/* data: no sid needed */
		{ { 0x31 }, 1, 0, CTL_OP_DATA_V1, 1 },
		{ { 0x38, 1, 2, 3 }, 4, WIRE_E_SHORT, 0, 0 },	/* control, sid cut */
		{ { 0x5f, 1, 2, 3, 4, 5, 6, 7, 8 }, 9, 0, CTL_OP_CONTROL_WKC_V1, 7 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		uint8_t op = 0xff, kid = 0xff, sid[8];
		int r = ctlpkt_peek(v[i].pkt, v[i].len, &op, &kid, sid);

		CHECK(r == v[i].ret, "case %zu: ret %d", i, r);
		if (r == 0)
			CHECK(op == v[i].op && kid == v[i].kid, "case %zu: op %u kid %u", i, op, kid);
	}
}

static void opcode_classes(void)
{
	for (unsigned int op = 0; op <= 13; op++) {
		bool ctl = op == 3 || op == 4 || op == 5 || op == 7 || op == 8 || op == 10 ||
			   op == 11;
		bool rel = ctl && op != 5;
		bool reset = op == 3 || op == 7 || op == 8 || op == 10;

		CHECK(ctl_opcode_is_control(op) == ctl, "control %u", op);
		CHECK(ctl_opcode_is_reliable(op) == rel, "reliable %u", op);
		CHECK(ctl_opcode_is_reset(op) == reset, "reset %u", op);
	}
	CHECK(strcmp(ctl_opcode_name(11), "P_CONTROL_WKC_V1") == 0, "name 11");
	CHECK(strcmp(ctl_opcode_name(12), "P_UNKNOWN") == 0, "name 12");
	for (int e = 0; e >= -16; e--)
		CHECK(strcmp(wire_strerror(e), "unknown error") != 0, "strerror %d", e);
}

static void early_neg_tlvs(void)
{
	static const struct {
		const char *what;
		uint8_t tlv[16];
		size_t len;
		int ret;
		uint16_t flags;
	} v[] = {
		{ "empty", { 0 }, 0, 0, 0 },
		{ "resend wkc (as sent by 2.6)", { 0, 1, 0, 2, 0, 1 }, 6, 0, 1 },
		{ "unknown type skipped", { 0, 9, 0, 3, 1, 2, 3, 0, 1, 0, 2, 0, 1 }, 13, 0, 1 },
		{ "flags wrong length", { 0, 1, 0, 3, 0, 1, 0 }, 7, WIRE_E_TLV, 0 },
		{ "value overruns", { 0, 1, 0, 2, 0 }, 5, WIRE_E_TLV, 0 },
		{ "header cut", { 0, 1, 0 }, 3, WIRE_E_TLV, 0 },
		{ "unknown overruns", { 0, 7, 0xff, 0xff, 1 }, 5, WIRE_E_TLV, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		uint16_t f = 0xbeef;
		int r = ctlpkt_parse_early_neg(v[i].tlv, v[i].len, &f);

		CHECK(r == v[i].ret, "%s: ret %d", v[i].what, r);
		if (r == 0)
			CHECK(f == v[i].flags, "%s: flags %04x", v[i].what, f);
	}
	uint8_t out[6];

	CHECK(ctlpkt_build_early_neg(CTL_EARLY_NEG_RESEND_WKC, out, sizeof(out)) == 6 &&
		      memcmp(out, "\x00\x01\x00\x02\x00\x01", 6) == 0,
	      "build TLV");
	CHECK(ctlpkt_build_early_neg(1, out, 5) == WIRE_E_SPACE, "build TLV short");
}

/* Every truncation of a valid packet is refused (no partial success). */
static void truncations(void)
{
	for (size_t n = 0; n < sizeof(control_with_ack); n++) {
		struct ctl_pkt p;
		int r = ctlpkt_decode_plain(control_with_ack, n, &p);

		/* up to the msg-id every cut is short; after it the payload shrinks */
		if (n < 26)
			CHECK(r == WIRE_E_SHORT, "cut at %zu: %d", n, r);
		else
			CHECK(r == 0 && p.payload_len == n - 26, "cut at %zu: %d", n, r);
	}
	for (size_t n = 0; n < sizeof(ack_none); n++) {
		struct ctl_pkt p;

		CHECK(ctlpkt_decode_plain(ack_none, n, &p) == WIRE_E_SHORT, "ack cut at %zu", n);
	}
}

int main(void)
{
	RUN("ctlpkt", known_packets_decode);
	RUN("ctlpkt", known_packets_reencode);
	RUN("ctlpkt", decode_errors);
	RUN("ctlpkt", roundtrip_all_opcodes);
	RUN("ctlpkt", encode_refusals);
	RUN("ctlpkt", peek_cases);
	RUN("ctlpkt", opcode_classes);
	RUN("ctlpkt", early_neg_tlvs);
	RUN("ctlpkt", truncations);
	CHECK_EXIT();
}
