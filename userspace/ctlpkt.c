// SPDX-License-Identifier: BSD-2-Clause
/*
 * ctlpkt.c: control packet model and control-record codec
 * (openvpn-protocol.md §2, §3.1, §3.7).  See ctlpkt.h for the layout.
 */
#include "ctlpkt.h"

#include <string.h>

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

const char *wire_strerror(int err)
{
	switch (err) {
	case WIRE_OK: return "ok";
	case WIRE_E_SHORT: return "packet too short";
	case WIRE_E_OPCODE: return "unexpected or unsupported opcode";
	case WIRE_E_ACKCNT: return "too many ACKs in one packet";
	case WIRE_E_TRAILING: return "trailing bytes after the ACK block";
	case WIRE_E_SPACE: return "output buffer too small";
	case WIRE_E_TOOBIG: return "packet above the size limit";
	case WIRE_E_TLV: return "malformed early-negotiation TLV";
	case WIRE_E_HMAC: return "bad HMAC (wrong tls-auth/tls-crypt key or corrupted packet)";
	case WIRE_E_REPLAY: return "replayed or too old packet-id";
	case WIRE_E_WKC: return "invalid tls-crypt-v2 wrapped client key";
	case WIRE_E_NOKEY: return "no tls-crypt-v2 client key for this session";
	case WIRE_E_CRYPTO: return "crypto library failure";
	case WIRE_E_PID_WRAP: return "packet-id would wrap";
	case WIRE_E_KEY: return "malformed key material";
	case WIRE_E_INVAL: return "invalid argument";
	case WIRE_E_UNWRAPPED: return "packet without the required tls-crypt-v2 wrapping";
	}
	return "unknown error";
}

const char *ctl_opcode_name(unsigned int opcode)
{
	static const char *const names[] = {
		[CTL_OP_HARD_RESET_CLIENT_V1] = "P_CONTROL_HARD_RESET_CLIENT_V1",
		[CTL_OP_HARD_RESET_SERVER_V1] = "P_CONTROL_HARD_RESET_SERVER_V1",
		[CTL_OP_SOFT_RESET_V1] = "P_CONTROL_SOFT_RESET_V1",
		[CTL_OP_CONTROL_V1] = "P_CONTROL_V1",
		[CTL_OP_ACK_V1] = "P_ACK_V1",
		[CTL_OP_DATA_V1] = "P_DATA_V1",
		[CTL_OP_HARD_RESET_CLIENT_V2] = "P_CONTROL_HARD_RESET_CLIENT_V2",
		[CTL_OP_HARD_RESET_SERVER_V2] = "P_CONTROL_HARD_RESET_SERVER_V2",
		[CTL_OP_DATA_V2] = "P_DATA_V2",
		[CTL_OP_HARD_RESET_CLIENT_V3] = "P_CONTROL_HARD_RESET_CLIENT_V3",
		[CTL_OP_CONTROL_WKC_V1] = "P_CONTROL_WKC_V1",
	};

	if (opcode < sizeof(names) / sizeof(names[0]) && names[opcode])
		return names[opcode];
	return "P_UNKNOWN";
}

bool ctl_opcode_is_control(unsigned int opcode)
{
	/* P_FIRST_OPCODE..P_LAST_OPCODE minus the data opcodes; the V1 hard
	 * resets (key-method 1) are not control packets 2.6 accepts. */
	return opcode >= CTL_OP_SOFT_RESET_V1 && opcode <= CTL_OP_MAX &&
	       opcode != CTL_OP_DATA_V1 && opcode != CTL_OP_DATA_V2;
}

bool ctl_opcode_is_reliable(unsigned int opcode)
{
	return ctl_opcode_is_control(opcode) && opcode != CTL_OP_ACK_V1;
}

bool ctl_opcode_is_reset(unsigned int opcode)
{
	return opcode == CTL_OP_SOFT_RESET_V1 || opcode == CTL_OP_HARD_RESET_CLIENT_V2 ||
	       opcode == CTL_OP_HARD_RESET_SERVER_V2 || opcode == CTL_OP_HARD_RESET_CLIENT_V3;
}

int ctlpkt_peek(const uint8_t *pkt, size_t len, uint8_t *opcode, uint8_t *key_id,
		uint8_t sid[CTL_SID_LEN])
{
	unsigned int op;

	if (len < 1)
		return WIRE_E_SHORT;
	op = pkt[0] >> CTL_OP_SHIFT;
	if (op == 0 || op > CTL_OP_MAX)
		return WIRE_E_OPCODE;
	if (op != CTL_OP_DATA_V1 && op != CTL_OP_DATA_V2) {
		if (len < 1 + CTL_SID_LEN)
			return WIRE_E_SHORT;
		if (sid)
			memcpy(sid, pkt + 1, CTL_SID_LEN);
	}
	if (opcode)
		*opcode = (uint8_t)op;
	if (key_id)
		*key_id = pkt[0] & CTL_KEY_ID_MASK;
	return WIRE_OK;
}

size_t ctlpkt_record_len(const struct ctl_pkt *p)
{
	size_t n = CTL_ACK_SIZE((size_t)p->n_acks);

	if (ctl_opcode_is_reliable(p->opcode))
		n += CTL_MSGID_LEN + p->payload_len;
	return n;
}

long ctlpkt_encode_record(const struct ctl_pkt *p, uint8_t *out, size_t cap)
{
	size_t need, off = 0;

	if (!ctl_opcode_is_control(p->opcode))
		return WIRE_E_OPCODE;
	if (p->n_acks > CTL_ACK_MAX)
		return WIRE_E_ACKCNT;
	if (p->opcode == CTL_OP_ACK_V1 && (p->n_acks == 0 || p->payload_len))
		return WIRE_E_INVAL;
	if (p->payload_len && !p->payload)
		return WIRE_E_INVAL;
	need = ctlpkt_record_len(p);
	if (need > CTL_RECORD_MAX)
		return WIRE_E_TOOBIG;
	if (need > cap)
		return WIRE_E_SPACE;

	out[off++] = p->n_acks;
	for (unsigned int i = 0; i < p->n_acks; i++, off += 4)
		put_be32(out + off, p->acks[i]);
	if (p->n_acks) {
		memcpy(out + off, p->peer_sid, CTL_SID_LEN);
		off += CTL_SID_LEN;
	}
	if (ctl_opcode_is_reliable(p->opcode)) {
		put_be32(out + off, p->msg_id);
		off += CTL_MSGID_LEN;
		if (p->payload_len)
			memcpy(out + off, p->payload, p->payload_len);
		off += p->payload_len;
	}
	return (long)off;
}

int ctlpkt_decode_record(unsigned int opcode, const uint8_t *rec, size_t len,
			 struct ctl_pkt *p)
{
	size_t off = 0;
	unsigned int n;

	if (!ctl_opcode_is_control(opcode))
		return WIRE_E_OPCODE;
	if (len < 1)
		return WIRE_E_SHORT;
	n = rec[off++];
	if (n > CTL_ACK_MAX)
		return WIRE_E_ACKCNT;
	if (len - off < 4u * n + (n ? CTL_SID_LEN : 0u))
		return WIRE_E_SHORT;
	p->n_acks = (uint8_t)n;
	for (unsigned int i = 0; i < n; i++, off += 4)
		p->acks[i] = get_be32(rec + off);
	if (n) {
		memcpy(p->peer_sid, rec + off, CTL_SID_LEN);
		off += CTL_SID_LEN;
	} else {
		memset(p->peer_sid, 0, CTL_SID_LEN);
	}
	p->msg_id = 0;
	p->payload = NULL;
	p->payload_len = 0;
	if (opcode == CTL_OP_ACK_V1) {
		/* An ACK packet that acknowledges nothing is meaningless. */
		if (n == 0)
			return WIRE_E_SHORT;
		if (off != len)
			return WIRE_E_TRAILING;
		return WIRE_OK;
	}
	if (len - off < CTL_MSGID_LEN)
		return WIRE_E_SHORT;
	p->msg_id = get_be32(rec + off);
	off += CTL_MSGID_LEN;
	if (off < len) {
		p->payload = rec + off;
		p->payload_len = len - off;
	}
	return WIRE_OK;
}

long ctlpkt_encode_plain(const struct ctl_pkt *p, uint8_t *out, size_t cap)
{
	long n;

	if (p->key_id > CTL_KEY_ID_MASK)
		return WIRE_E_INVAL;
	if (cap < 1 + CTL_SID_LEN)
		return WIRE_E_SPACE;
	n = ctlpkt_encode_record(p, out + 1 + CTL_SID_LEN, cap - 1 - CTL_SID_LEN);
	if (n < 0)
		return n;
	out[0] = ctl_first_byte(p->opcode, p->key_id);
	memcpy(out + 1, p->sid, CTL_SID_LEN);
	return n + 1 + CTL_SID_LEN;
}

int ctlpkt_decode_plain(const uint8_t *pkt, size_t len, struct ctl_pkt *p)
{
	uint8_t op, kid, sid[CTL_SID_LEN];
	int ret;

	if (len > CTL_PACKET_MAX)
		return WIRE_E_TOOBIG;
	ret = ctlpkt_peek(pkt, len, &op, &kid, sid);
	if (ret)
		return ret;
	if (!ctl_opcode_is_control(op))
		return WIRE_E_OPCODE;
	ret = ctlpkt_decode_record(op, pkt + 1 + CTL_SID_LEN, len - 1 - CTL_SID_LEN, p);
	if (ret)
		return ret;
	p->opcode = op;
	p->key_id = kid;
	memcpy(p->sid, sid, CTL_SID_LEN);
	return WIRE_OK;
}

int ctlpkt_parse_early_neg(const uint8_t *payload, size_t len, uint16_t *flags)
{
	size_t off = 0;
	uint16_t f = 0;

	while (off < len) {
		unsigned int type, vlen;

		if (len - off < 4)
			return WIRE_E_TLV;
		type = (unsigned int)payload[off] << 8 | payload[off + 1];
		vlen = (unsigned int)payload[off + 2] << 8 | payload[off + 3];
		off += 4;
		if (len - off < vlen)
			return WIRE_E_TLV;
		if (type == CTL_TLV_EARLY_NEG_FLAGS) {
			if (vlen != 2)
				return WIRE_E_TLV;
			f |= (uint16_t)(payload[off] << 8 | payload[off + 1]);
		}
		/* unknown types are skipped (forward compatibility) */
		off += vlen;
	}
	*flags = f;
	return WIRE_OK;
}

long ctlpkt_build_early_neg(uint16_t flags, uint8_t *out, size_t cap)
{
	if (cap < 6)
		return WIRE_E_SPACE;
	out[0] = 0;
	out[1] = CTL_TLV_EARLY_NEG_FLAGS;
	out[2] = 0;
	out[3] = 2;
	out[4] = (uint8_t)(flags >> 8);
	out[5] = (uint8_t)flags;
	return 6;
}
