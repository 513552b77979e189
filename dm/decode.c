// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 decoding an emulated memory access needs (SDM vol. 2, chapter
 * 2): prefixes, REX, the opcode, ModRM with its SIB and displacement,
 * the immediate. The exit gives the guest-physical address, so the
 * addressing is only skipped over, never computed.
 */
#include <dm/decode.h>
#include <hv/cpu.h>
#include <hv/errno.h>
#include <hv/string.h>

#define REX_W	0x8
#define REX_R	0x4

/* Reads an N-byte little-endian value at B[*I], moving *I past it. */
static int fetch(const u8 *b, unsigned int avail, unsigned int *i,
		 unsigned int n, u64 *val)
{
	unsigned int k;

	if (*i + n > avail)
		return -EINVAL;
	*val = 0;
	for (k = 0; k < n; k++)
		*val |= (u64)b[*i + k] << (8 * k);
	*i += n;
	return 0;
}

/*
 * Skips the ModRM byte at B[*I] and the SIB and displacement it asks for,
 * with ADDR_SIZE-byte addressing; gives its reg field. -EINVAL when it
 * names a register, not memory.
 */
static int skip_modrm(const u8 *b, unsigned int avail, unsigned int *i,
		      unsigned int addr_size, u8 *reg_field)
{
	unsigned int mod, rm, disp;
	u64 byte;

	if (fetch(b, avail, i, 1, &byte))
		return -EINVAL;
	mod = byte >> 6;
	rm = byte & 7;
	*reg_field = (byte >> 3) & 7;
	if (mod == 3)
		return -EINVAL;
	if (addr_size == 2) {
		/* No SIB; mod 0 with rm 6 is a bare 16-bit displacement. */
		disp = mod == 1 ? 1 : (mod == 2 || (mod == 0 && rm == 6)) ? 2 : 0;
	} else {
		disp = mod == 1 ? 1 : mod == 2 ? 4 : 0;
		if (rm == 4) {
			if (fetch(b, avail, i, 1, &byte))
				return -EINVAL;
			if (mod == 0 && (byte & 7) == 5)
				disp = 4;	/* no base: a 32-bit displacement */
		} else if (mod == 0 && rm == 5) {
			disp = 4;	/* absolute, or RIP-relative in 64-bit code */
		}
	}
	return fetch(b, avail, i, disp, &byte);
}

int insn_decode(const u8 *b, unsigned int avail, enum insn_mode mode,
		struct mmio_insn *insn)
{
	bool opsize_prefix = false, addr_prefix = false;
	unsigned int i, opsize, addr_size, imm_size = 0;
	u8 rex = 0, op, reg_field = 0;
	u64 val;

	memset(insn, 0, sizeof(*insn));
	if (avail > INSN_MAX_LEN)
		avail = INSN_MAX_LEN;
	for (i = 0; i < avail; i++) {
		switch (b[i]) {
		case 0x66:
			opsize_prefix = true;
			break;
		case 0x67:
			addr_prefix = true;
			break;
		case 0x26: case 0x2e: case 0x36: case 0x3e:	/* segments */
		case 0x64: case 0x65:
		case 0xf0:	/* LOCK: XCHG with memory is locked anyway */
			break;
		default:
			if (mode == INSN_MODE_64 && (b[i] & 0xf0) == 0x40) {
				rex = b[i];
				continue;
			}
			goto opcode;
		}
		rex = 0;	/* a REX is ignored unless last before the opcode */
	}
	return -EINVAL;

opcode:
	switch (mode) {
	case INSN_MODE_16:
		opsize = opsize_prefix ? 4 : 2;
		addr_size = addr_prefix ? 4 : 2;
		break;
	case INSN_MODE_32:
		opsize = opsize_prefix ? 2 : 4;
		addr_size = addr_prefix ? 2 : 4;
		break;
	default:
		opsize = (rex & REX_W) ? 8 : opsize_prefix ? 2 : 4;
		addr_size = addr_prefix ? 4 : 8;
		break;
	}
	op = b[i++];
	insn->op = MMIO_LOAD;
	insn->size = opsize;
	switch (op) {
	case 0x0f:
		if (fetch(b, avail, &i, 1, &val))
			return -EINVAL;
		if (val != 0xb6 && val != 0xb7 && val != 0xbe && val != 0xbf)
			return -EINVAL;
		insn->size = (val & 1) ? 2 : 1;
		insn->sign_extend = val >= 0xbe;
		break;
	case 0x88: case 0x89:
		insn->op = MMIO_STORE;
		break;
	case 0x86: case 0x87:
		insn->op = MMIO_XCHG;
		break;
	case 0x8a: case 0x8b:
		break;
	case 0xc6: case 0xc7:
		insn->op = MMIO_STORE;
		insn->has_imm = true;
		imm_size = op == 0xc6 ? 1 : opsize == 2 ? 2 : 4;
		break;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		/* AL or eAX to or from a bare offset of the address size. */
		insn->op = op >= 0xa2 ? MMIO_STORE : MMIO_LOAD;
		if (!(op & 1))
			insn->size = 1;
		insn->reg = REG_RAX;
		insn->reg_size = insn->size;
		if (fetch(b, avail, &i, addr_size, &val))
			return -EINVAL;
		insn->len = i;
		return 0;
	default:
		return -EINVAL;
	}
	if (op != 0x0f && !(op & 1))
		insn->size = 1;		/* the byte forms: 86, 88, 8A, C6 */
	if (skip_modrm(b, avail, &i, addr_size, &reg_field))
		return -EINVAL;
	if (insn->has_imm) {
		if (reg_field)		/* C6 and C7 are MOV only as /0 */
			return -EINVAL;
		if (fetch(b, avail, &i, imm_size, &insn->imm))
			return -EINVAL;
		if (imm_size == 4 && insn->size == 8)
			insn->imm = (u64)(s64)(s32)insn->imm;
	}
	insn->reg = reg_field | ((rex & REX_R) ? 8 : 0);
	insn->reg_size = op == 0x0f ? opsize : insn->size;
	/* Without a REX, byte registers 4-7 are AH, CH, DH and BH. */
	if (insn->reg_size == 1 && !rex && !insn->has_imm && insn->reg >= 4) {
		insn->reg -= 4;
		insn->high_byte = true;
	}
	insn->len = i;
	return 0;
}

static u64 size_mask(unsigned int size)
{
	return size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

u64 insn_load_result(const struct mmio_insn *insn, u64 old, u64 val)
{
	unsigned int shift = insn->high_byte ? 8 : 0;

	val &= size_mask(insn->size);
	if (insn->sign_extend && (val >> (insn->size * 8 - 1)))
		val |= ~size_mask(insn->size);
	switch (insn->reg_size) {
	case 1:
	case 2:
		return (old & ~(size_mask(insn->reg_size) << shift)) |
		       ((val & size_mask(insn->reg_size)) << shift);
	case 4:
		return (u32)val;
	default:
		return val;
	}
}

u64 insn_store_value(const struct mmio_insn *insn, u64 reg)
{
	if (insn->has_imm)
		return insn->imm;
	return (reg >> (insn->high_byte ? 8 : 0)) & size_mask(insn->size);
}
