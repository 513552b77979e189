/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding the instruction that made a guest access memory that is not
 * RAM (dm/decode.c). The exit already gives the guest-physical address,
 * so only what the access does matters: its size and direction, and the
 * register or immediate on the other side. Only the moves a driver of a
 * memory-mapped register uses are decoded: MOV (88, 89, 8A, 8B, C6, C7,
 * A0-A3), XCHG (86, 87), MOVZX and MOVSX (0F B6, B7, BE, BF).
 */
#ifndef DM_DECODE_H
#define DM_DECODE_H

#include <kxen/types.h>

/* The longest x86 instruction. */
#define INSN_MAX_LEN	15

/* The code size the CPU runs at: CS.L, else CS.D. */
enum insn_mode {
	INSN_MODE_16,
	INSN_MODE_32,
	INSN_MODE_64,
};

enum mmio_op {
	MMIO_LOAD,	/* memory to REG */
	MMIO_STORE,	/* REG or IMM to memory */
	MMIO_XCHG,	/* both, REG takes the old value */
};

struct mmio_insn {
	u8 len;			/* bytes, prefixes included */
	u8 op;			/* enum mmio_op */
	u8 size;		/* of the memory access: 1, 2, 4 or 8 */
	u8 reg;			/* the register operand's number (REG_*) */
	bool high_byte;		/* AH, CH, DH or BH: bits 8-15 of REG */
	u8 reg_size;		/* what a load writes of REG: 1, 2, 4 or 8 */
	bool sign_extend;	/* MOVSX */
	bool has_imm;		/* a store of IMM, not of REG */
	u64 imm;
};

/*
 * Decodes the AVAIL bytes at B as code of MODE into *INSN: 0, or -EINVAL
 * when they are not one of the moves above with a memory operand (or
 * are cut short).
 */
int insn_decode(const u8 *b, unsigned int avail, enum insn_mode mode,
		struct mmio_insn *insn);

/*
 * Register value OLD with a load's VAL written as INSN says: the high
 * or low byte or word merged in, a 32-bit result zero-extended (as a
 * 64-bit CPU does), VAL sign-extended for MOVSX.
 */
u64 insn_load_result(const struct mmio_insn *insn, u64 old, u64 val);
/* What INSN stores: IMM, or the bytes of register value REG. */
u64 insn_store_value(const struct mmio_insn *insn, u64 reg);

#endif /* DM_DECODE_H */
