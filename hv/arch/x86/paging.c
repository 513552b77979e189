// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table entry formats: the hypervisor's own long-mode page tables;
 * AMD's nested page tables, which use the same entries
 * (AMD APM vol. 2, "Nested Paging") except that every nested access
 * counts as a user access, so U/S is always set there; and Intel's EPT
 * (SDM vol. 3, "EPT Translation Mechanism"), at the end. The host's own
 * entries leave U/S clear: the host keeps Linux's CR4 with SMEP and SMAP,
 * which forbid the supervisor to run or touch user pages.
 *
 * Accessed and dirty are preset: the CPU would set them anyway, at the
 * cost of locked writes on first use.
 *
 * Memory type: the host PAT applies to nested entries, and kxen keeps
 * index 0 write-back and index 3 uncached (the power-on and Linux
 * values), so RAM uses neither PWT nor PCD and MMIO sets both. The
 * host's MTRRs still apply on top, so these formats carry no type of
 * their own.
 */
#include <hv/x86_arch.h>
#include <hv/x86_paging.h>


static u64 make_leaf(u64 hpa, unsigned int level, enum p2m_type type)
{
	u64 entry = hpa | PTE_P | PTE_RW | PTE_A | PTE_D;

	if (level > 1)
		entry |= PTE_PS;
	if (type == P2M_MMIO)
		entry |= PTE_PWT | PTE_PCD;
	return entry;
}

static u64 make_table(u64 table_pa)
{
	return table_pa | PTE_P | PTE_RW | PTE_A;
}

static u64 npt_make_leaf(u64 hpa, unsigned int level, enum p2m_type type)
{
	return make_leaf(hpa, level, type) | PTE_US;
}

static u64 npt_make_table(u64 table_pa)
{
	return make_table(table_pa) | PTE_US;
}

static bool present(u64 entry)
{
	return entry & PTE_P;
}

static bool is_leaf(u64 entry, unsigned int level)
{
	return level == 1 || (entry & PTE_PS);
}

static enum p2m_type leaf_type(u64 entry)
{
	return (entry & PTE_PCD) ? P2M_MMIO : P2M_RAM;
}

const struct p2m_format host_pt_format = {
	.make_leaf = make_leaf,
	.make_table = make_table,
	.present = present,
	.is_leaf = is_leaf,
	.leaf_type = leaf_type,
	.addr_mask = PTE_ADDR,
};

const struct p2m_format npt_format = {
	.make_leaf = npt_make_leaf,
	.make_table = npt_make_table,
	.present = present,
	.is_leaf = is_leaf,
	.leaf_type = leaf_type,
	.addr_mask = PTE_ADDR,
};

/*
 * EPT: read, write and execute bits instead of present; the leaf carries
 * its memory type, which the CPU combines with the guest's PAT as it
 * would combine an MTRR type (IPAT clear). It starts write-back for RAM
 * and uncached for MMIO, and dom0's leaves then get the MTRRs' types
 * (hv/mtrr.c), so whether a leaf maps RAM is kept in an ignored bit of
 * its own. Accessed and dirty flags are left to the CPU, which sets
 * them only if enabled.
 */
#define EPT_RWX		0x7ull
#define EPT_MT_SHIFT	3
#define EPT_MT_MASK	(0x7ull << EPT_MT_SHIFT)
#define EPT_LARGE	BIT_ULL(7)
#define EPT_MMIO	BIT_ULL(52)	/* ignored by the CPU: kxen's */

static u64 ept_set_mem_type(u64 entry, enum mem_type mt)
{
	return (entry & ~EPT_MT_MASK) | (u64)mt << EPT_MT_SHIFT;
}

static enum mem_type ept_leaf_mem_type(u64 entry)
{
	return (entry & EPT_MT_MASK) >> EPT_MT_SHIFT;
}

static u64 ept_make_leaf(u64 hpa, unsigned int level, enum p2m_type type)
{
	u64 entry = hpa | EPT_RWX;

	if (level > 1)
		entry |= EPT_LARGE;
	if (type == P2M_MMIO)
		return ept_set_mem_type(entry | EPT_MMIO, MEM_UC);
	return ept_set_mem_type(entry, MEM_WB);
}

static u64 ept_make_table(u64 table_pa)
{
	return table_pa | EPT_RWX;
}

static bool ept_present(u64 entry)
{
	return entry & EPT_RWX;
}

static bool ept_is_leaf(u64 entry, unsigned int level)
{
	return level == 1 || (entry & EPT_LARGE);
}

static enum p2m_type ept_leaf_type(u64 entry)
{
	return (entry & EPT_MMIO) ? P2M_MMIO : P2M_RAM;
}

const struct p2m_format ept_format = {
	.make_leaf = ept_make_leaf,
	.make_table = ept_make_table,
	.present = ept_present,
	.is_leaf = ept_is_leaf,
	.leaf_type = ept_leaf_type,
	.leaf_mem_type = ept_leaf_mem_type,
	.set_mem_type = ept_set_mem_type,
	.addr_mask = PTE_ADDR,
};
