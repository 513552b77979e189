// SPDX-License-Identifier: GPL-2.0
/*
 * AMD NPT entries are ordinary long-mode page-table entries (AMD APM vol.
 * 2, "Nested Paging"). Every nested access counts as a user access, so
 * U/S is always set. Accessed and dirty are preset: the CPU would set
 * them anyway, at the cost of locked writes on first use.
 *
 * Memory type: the host PAT applies to nested entries, and kxen keeps
 * index 0 write-back and index 3 uncached (the power-on and Linux
 * values), so RAM uses neither PWT nor PCD and MMIO sets both.
 */
#include "npt.h"

#define NPT_P		BIT_ULL(0)
#define NPT_RW		BIT_ULL(1)
#define NPT_US		BIT_ULL(2)
#define NPT_PWT		BIT_ULL(3)
#define NPT_PCD		BIT_ULL(4)
#define NPT_A		BIT_ULL(5)
#define NPT_D		BIT_ULL(6)
#define NPT_PS		BIT_ULL(7)
#define NPT_ADDR	0x000ffffffffff000ull

static u64 npt_make_leaf(u64 hpa, unsigned int level, enum p2m_type type)
{
	u64 entry = hpa | NPT_P | NPT_RW | NPT_US | NPT_A | NPT_D;

	if (level > 1)
		entry |= NPT_PS;
	if (type == P2M_MMIO)
		entry |= NPT_PWT | NPT_PCD;
	return entry;
}

static u64 npt_make_table(u64 table_pa)
{
	return table_pa | NPT_P | NPT_RW | NPT_US | NPT_A;
}

static bool npt_present(u64 entry)
{
	return entry & NPT_P;
}

static bool npt_is_leaf(u64 entry, unsigned int level)
{
	return level == 1 || (entry & NPT_PS);
}

static enum p2m_type npt_leaf_type(u64 entry)
{
	return (entry & NPT_PCD) ? P2M_MMIO : P2M_RAM;
}

const struct p2m_format npt_format = {
	.make_leaf = npt_make_leaf,
	.make_table = npt_make_table,
	.present = npt_present,
	.is_leaf = npt_is_leaf,
	.leaf_type = npt_leaf_type,
	.addr_mask = NPT_ADDR,
};
