// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dm/decode.c: the moves Linux and the test guests use
 * on device registers, in 64-, 32- and 16-bit code, with their length,
 * direction, size, register and immediate; what a load does to the rest
 * of its register; and the instructions it must refuse (a register
 * operand, REP, a /r that is not MOV, bytes cut short).
 */
#include <hv/cpu.h>
#include <dm/decode.h>
#include "ktap.h"

struct decode_case {
	const char *what;
	enum insn_mode mode;
	u8 bytes[INSN_MAX_LEN];
	unsigned int nbytes;
	struct mmio_insn want;
};

#define LOAD	MMIO_LOAD
#define STORE	MMIO_STORE
#define XCHG	MMIO_XCHG

static const struct decode_case cases[] = {
	{ "mov eax, [rip+disp32]", INSN_MODE_64,
	  { 0x8b, 0x05, 0x10, 0x20, 0x30, 0x40 }, 6,
	  { .len = 6, .op = LOAD, .size = 4, .reg = REG_RAX, .reg_size = 4 } },
	{ "mov [abs32 by SIB, no base], eax", INSN_MODE_64,
	  { 0x89, 0x04, 0x25, 0xb0, 0x00, 0x5f, 0xff }, 7,
	  { .len = 7, .op = STORE, .size = 4, .reg = REG_RAX, .reg_size = 4 } },
	{ "mov [r15+disp32], eax (REX.B)", INSN_MODE_64,
	  { 0x41, 0x89, 0x87, 0xb0, 0x00, 0x00, 0x00 }, 7,
	  { .len = 7, .op = STORE, .size = 4, .reg = REG_RAX, .reg_size = 4 } },
	{ "mov r9d, [rax+disp8] (REX.R)", INSN_MODE_64,
	  { 0x44, 0x8b, 0x48, 0x20 }, 4,
	  { .len = 4, .op = LOAD, .size = 4, .reg = REG_R9, .reg_size = 4 } },
	{ "mov rax, [rbx] (REX.W)", INSN_MODE_64, { 0x48, 0x8b, 0x03 }, 3,
	  { .len = 3, .op = LOAD, .size = 8, .reg = REG_RAX, .reg_size = 8 } },
	{ "mov [rax], bx (0x66)", INSN_MODE_64, { 0x66, 0x89, 0x18 }, 3,
	  { .len = 3, .op = STORE, .size = 2, .reg = REG_RBX, .reg_size = 2 } },
	{ "mov [rax+1], ah", INSN_MODE_64, { 0x88, 0x60, 0x01 }, 3,
	  { .len = 3, .op = STORE, .size = 1, .reg = REG_RAX, .reg_size = 1,
	    .high_byte = true } },
	{ "mov [rax+1], spl (a REX)", INSN_MODE_64, { 0x40, 0x88, 0x60, 0x01 }, 4,
	  { .len = 4, .op = STORE, .size = 1, .reg = REG_RSP, .reg_size = 1 } },
	{ "a REX before a prefix is ignored", INSN_MODE_64,
	  { 0x48, 0x66, 0x8b, 0x00 }, 4,
	  { .len = 4, .op = LOAD, .size = 2, .reg = REG_RAX, .reg_size = 2 } },
	{ "mov dword [rax+0x300], imm32", INSN_MODE_64,
	  { 0xc7, 0x80, 0x00, 0x03, 0x00, 0x00, 0x00, 0x40, 0x04, 0x00 }, 10,
	  { .len = 10, .op = STORE, .size = 4, .reg_size = 4, .has_imm = true,
	    .imm = 0x44000 } },
	{ "mov qword [rax], -1 (imm32 sign-extended)", INSN_MODE_64,
	  { 0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff }, 7,
	  { .len = 7, .op = STORE, .size = 8, .reg_size = 8, .has_imm = true,
	    .imm = ~0ull } },
	{ "mov byte [rax+5], imm8", INSN_MODE_64, { 0xc6, 0x40, 0x05, 0x7f }, 4,
	  { .len = 4, .op = STORE, .size = 1, .reg_size = 1, .has_imm = true,
	    .imm = 0x7f } },
	{ "xchg [rax], ecx", INSN_MODE_64, { 0x87, 0x08 }, 2,
	  { .len = 2, .op = XCHG, .size = 4, .reg = REG_RCX, .reg_size = 4 } },
	{ "lock xchg [rax], ecx", INSN_MODE_64, { 0xf0, 0x87, 0x08 }, 3,
	  { .len = 3, .op = XCHG, .size = 4, .reg = REG_RCX, .reg_size = 4 } },
	{ "movzx eax, byte [rax+0x30]", INSN_MODE_64,
	  { 0x0f, 0xb6, 0x40, 0x30 }, 4,
	  { .len = 4, .op = LOAD, .size = 1, .reg = REG_RAX, .reg_size = 4 } },
	{ "movsx rax, word [rax]", INSN_MODE_64, { 0x48, 0x0f, 0xbf, 0x00 }, 4,
	  { .len = 4, .op = LOAD, .size = 2, .reg = REG_RAX, .reg_size = 8,
	    .sign_extend = true } },
	{ "mov eax, [moffs64]", INSN_MODE_64,
	  { 0xa1, 0x20, 0x00, 0xe0, 0xfe, 0, 0, 0, 0 }, 9,
	  { .len = 9, .op = LOAD, .size = 4, .reg = REG_RAX, .reg_size = 4 } },
	{ "mov [fs:moffs32], eax in 32-bit code", INSN_MODE_32,
	  { 0x64, 0xa3, 0x20, 0x00, 0xe0, 0xfe }, 6,
	  { .len = 6, .op = STORE, .size = 4, .reg = REG_RAX, .reg_size = 4 } },
	{ "mov edx, [disp32] in 32-bit code", INSN_MODE_32,
	  { 0x8b, 0x15, 0x20, 0x00, 0xe0, 0xfe }, 6,
	  { .len = 6, .op = LOAD, .size = 4, .reg = REG_RDX, .reg_size = 4 } },
	{ "mov [ebp+esi*4+disp8], edi in 32-bit code", INSN_MODE_32,
	  { 0x89, 0x7c, 0xb5, 0x10 }, 4,
	  { .len = 4, .op = STORE, .size = 4, .reg = REG_RDI, .reg_size = 4 } },
	{ "mov ax, [disp16] in 16-bit code", INSN_MODE_16,
	  { 0x8b, 0x06, 0x20, 0x00 }, 4,
	  { .len = 4, .op = LOAD, .size = 2, .reg = REG_RAX, .reg_size = 2 } },
	{ "mov eax, [disp32] in 16-bit code (0x66 0x67)", INSN_MODE_16,
	  { 0x66, 0x67, 0x8b, 0x05, 0x20, 0x00, 0xe0, 0xfe }, 8,
	  { .len = 8, .op = LOAD, .size = 4, .reg = REG_RAX, .reg_size = 4 } },
};

static const struct {
	const char *what;
	enum insn_mode mode;
	u8 bytes[INSN_MAX_LEN + 1];
	unsigned int nbytes;
} refused[] = {
	{ "mov eax, ecx (no memory)", INSN_MODE_64, { 0x8b, 0xc1 }, 2 },
	{ "rep movsd", INSN_MODE_64, { 0xf3, 0xa5 }, 2 },
	{ "C7 /1 is not MOV", INSN_MODE_64,
	  { 0xc7, 0x48, 0x00, 0x01, 0x00, 0x00, 0x00 }, 7 },
	{ "add [rax], eax", INSN_MODE_64, { 0x01, 0x00 }, 2 },
	{ "cut short in the displacement", INSN_MODE_64,
	  { 0x8b, 0x05, 0x00, 0x00 }, 4 },
	{ "cut short in the immediate", INSN_MODE_32,
	  { 0xc7, 0x00, 0x01, 0x00 }, 4 },
	{ "only prefixes", INSN_MODE_64, { 0x66, 0x66, 0x66 }, 3 },
	{ "longer than 15 bytes", INSN_MODE_32,
	  { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	    0x66, 0x66, 0x66, 0x66, 0x8b, 0x00 }, 16 },
};

static bool same(const struct mmio_insn *a, const struct mmio_insn *b)
{
	return a->len == b->len && a->op == b->op && a->size == b->size &&
	       a->reg == b->reg && a->high_byte == b->high_byte &&
	       a->reg_size == b->reg_size && a->sign_extend == b->sign_extend &&
	       a->has_imm == b->has_imm && a->imm == b->imm;
}

static void test_results(void)
{
	struct mmio_insn byte_high = { .size = 1, .reg_size = 1,
				       .high_byte = true };
	struct mmio_insn word = { .size = 2, .reg_size = 2 };
	struct mmio_insn dword = { .size = 4, .reg_size = 4 };
	struct mmio_insn movsx = { .size = 1, .reg_size = 8,
				   .sign_extend = true };
	u64 old = 0x1122334455667788ull;

	ktap_test_result(insn_load_result(&byte_high, old, 0xab) ==
			 0x112233445566ab88ull &&
			 insn_load_result(&word, old, 0xabcd) ==
			 0x112233445566abcdull,
			 "byte and word loads merge into the register");
	ktap_test_result(insn_load_result(&dword, old, 0xabcdef01) ==
			 0xabcdef01ull &&
			 insn_load_result(&movsx, old, 0x80) ==
			 0xffffffffffffff80ull,
			 "a 32-bit load zero-extends, MOVSX sign-extends");
	ktap_test_result(insn_store_value(&byte_high, old) == 0x77 &&
			 insn_store_value(&dword, old) == 0x55667788,
			 "stores take the register's bytes (AH is bits 8-15)");
}

int main(void)
{
	struct mmio_insn got;
	unsigned int i;

	ktap_print_header(ARRAY_SIZE(cases) + ARRAY_SIZE(refused) + 3);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int ret = insn_decode(cases[i].bytes, cases[i].nbytes,
				      cases[i].mode, &got);

		ktap_test_result(!ret && same(&got, &cases[i].want),
				 "%s: len %u op %u size %u reg %u", cases[i].what,
				 got.len, got.op, got.size, got.reg);
	}
	for (i = 0; i < ARRAY_SIZE(refused); i++)
		ktap_test_result(insn_decode(refused[i].bytes, refused[i].nbytes,
					     refused[i].mode, &got) != 0,
				 "refused: %s", refused[i].what);
	test_results();
	return ktap_finished();
}
