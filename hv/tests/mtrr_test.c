// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hv/mtrr.c: the type of an address under fixed and
 * variable ranges and their precedence (SDM vol. 3, "MTRR
 * Precedences"), runs of one type, which writes the CPU would refuse,
 * what a write changes, reads of every MTRR MSR, and the types landing
 * in an EPT dom0 map without changing what it maps.
 */
#include <stdlib.h>
#include <hv/errno.h>
#include <hv/mtrr.h>
#include <hv/x86_paging.h>
#include "ktap.h"

#define GiB (1ull << 30)
#define MiB (1ull << 20)
#define CAP_8_FIX_WC	(8 | 1 << 8 | 1 << 10)
#define DEF_E		(1 << 11)
#define DEF_FE		(1 << 10)
#define VALID		(1 << 11)
#define BYTES(t)	(0x0101010101010101ull * (t))
#define PHYS_BITS	40

static void set(struct mtrr_state *s, u32 msr, u64 val)
{
	u64 start, end;

	if (mtrr_write(s, msr, val, &start, &end))
		ktap_diag("write of %#llx to %#x refused",
			  (unsigned long long)val, msr);
}

/* Variable range N as [start, start + size), of TYPE. */
static void set_var(struct mtrr_state *s, unsigned int n, u64 start, u64 size,
		    enum mem_type type)
{
	set(s, MSR_MTRR_PHYS_BASE0 + 2 * n, start | type);
	set(s, MSR_MTRR_PHYS_BASE0 + 2 * n + 1,
	    (~(size - 1) & ((1ull << PHYS_BITS) - 1)) | VALID);
}

/*
 * What SeaBIOS sets up on a PC with 8 GiB: write-back by default, the
 * VGA window uncached, the option-ROM and BIOS area write-protected,
 * the 32-bit PCI hole uncached.
 */
static void pc_layout(struct mtrr_state *s)
{
	unsigned int i;

	mtrr_init(s, CAP_8_FIX_WC, PHYS_BITS);
	set(s, MSR_MTRR_FIX64K_00000, BYTES(MEM_WB));
	set(s, MSR_MTRR_FIX16K_80000, BYTES(MEM_WB));
	set(s, MSR_MTRR_FIX16K_A0000, BYTES(MEM_UC));
	for (i = 0; i < 8; i++)
		set(s, MSR_MTRR_FIX4K_C0000 + i, BYTES(MEM_WP));
	set_var(s, 0, 3 * GiB, GiB, MEM_UC);
	set(s, MSR_MTRR_DEF_TYPE, DEF_E | DEF_FE | MEM_WB);
}

struct probe {
	u64 addr;
	enum mem_type type;
	u64 run_end;
};

static bool probes_hold(const struct mtrr_state *s, const struct probe *p,
			unsigned int n, u64 limit)
{
	bool ok = true;
	unsigned int i;

	for (i = 0; i < n; i++) {
		enum mem_type type = mtrr_type(s, p[i].addr);
		u64 end = mtrr_run_end(s, p[i].addr, limit);

		if (type != p[i].type || end != p[i].run_end) {
			ktap_diag("%#llx: type %d run to %#llx, want %d to %#llx",
				  (unsigned long long)p[i].addr, type,
				  (unsigned long long)end, p[i].type,
				  (unsigned long long)p[i].run_end);
			ok = false;
		}
	}
	return ok;
}

#define TOP (1ull << PHYS_BITS)

static void test_pc_layout(void)
{
	static const struct probe probes[] = {
		{ 0, MEM_WB, 0xa0000 },
		{ 0x9f000, MEM_WB, 0xa0000 },
		{ 0xa0000, MEM_UC, 0xc0000 },
		{ 0xbf000, MEM_UC, 0xc0000 },
		{ 0xc0000, MEM_WP, 0x100000 },
		{ 0xff000, MEM_WP, 0x100000 },
		/* Above 1 MiB the default, across the fixed ranges' end. */
		{ 0x100000, MEM_WB, 3 * GiB },
		{ 3 * GiB, MEM_UC, 4 * GiB },
		{ 4 * GiB - 0x1000, MEM_UC, 4 * GiB },
		{ 4 * GiB, MEM_WB, TOP },
	};
	struct mtrr_state s;

	pc_layout(&s);
	ktap_test_result(probes_hold(&s, probes, 10, TOP),
			 "PC layout: fixed ranges, a hole, the default");
}

static void test_precedence(void)
{
	static const struct probe probes[] = {
		{ 0, MEM_WB, GiB },
		{ GiB, MEM_WT, 2 * GiB },		/* WT over WB */
		{ 2 * GiB, MEM_WB, 3 * GiB - 2 * MiB },
		/* UC over WB, the default, then WC over WB: one UC run. */
		{ 3 * GiB - 2 * MiB, MEM_UC, 5 * GiB + 2 * MiB },
		{ 4 * GiB, MEM_UC, 5 * GiB + 2 * MiB },
		{ 5 * GiB, MEM_UC, 5 * GiB + 2 * MiB },
		{ 5 * GiB + 2 * MiB, MEM_WB, 6 * GiB },
		{ 6 * GiB, MEM_UC, TOP },
		/* Fixed ranges off (FE clear): variable ones rule below 1M. */
		{ 0xa0000, MEM_WB, GiB },
	};
	struct mtrr_state s;

	mtrr_init(&s, CAP_8_FIX_WC, PHYS_BITS);
	set(&s, MSR_MTRR_FIX16K_A0000, BYTES(MEM_UC));
	set_var(&s, 0, 0, 4 * GiB, MEM_WB);
	set_var(&s, 1, 3 * GiB - 2 * MiB, 2 * MiB, MEM_UC);
	set_var(&s, 2, 3 * GiB, GiB, MEM_UC);
	set_var(&s, 3, GiB, GiB, MEM_WT);
	set_var(&s, 4, 5 * GiB, GiB, MEM_WB);
	set_var(&s, 5, 5 * GiB, 2 * MiB, MEM_WC);
	set(&s, MSR_MTRR_DEF_TYPE, DEF_E | MEM_UC);
	ktap_test_result(probes_hold(&s, probes, 9, TOP),
			 "overlaps: UC wins, WT beats WB, other mixes are UC; runs merge");

	set(&s, MSR_MTRR_DEF_TYPE, MEM_WB);
	ktap_test_result(mtrr_type(&s, 0) == MEM_UC &&
			 mtrr_type(&s, 7 * GiB) == MEM_UC &&
			 mtrr_run_end(&s, 0, TOP) == TOP,
			 "MTRRs disabled: everything uncached");
}

static void test_writes(void)
{
	struct mtrr_state s;
	u64 start = 1, end = 1;
	u32 last_var_mask = MSR_MTRR_PHYS_BASE0 + 15;
	unsigned int n = 0;

	pc_layout(&s);
	while (mtrr_msr(&s, n))
		n++;
	ktap_test_result(n == 1 + 16 + 11 && mtrr_msr(&s, 0) == MSR_MTRR_DEF_TYPE &&
			 mtrr_msr(&s, 16) == last_var_mask &&
			 mtrr_msr(&s, 27) == MSR_MTRR_FIX4K_C0000 + 7,
			 "the MSRs: default type, 8 variable pairs, 11 fixed");

	ktap_test_result(mtrr_write(&s, MSR_MTRR_DEF_TYPE, 1 << 9 | DEF_E | 6,
				    &start, &end) == -EINVAL &&
			 mtrr_write(&s, MSR_MTRR_DEF_TYPE, DEF_E | 2, &start,
				    &end) == -EINVAL &&
			 mtrr_write(&s, MSR_MTRR_FIX4K_C0000 + 3,
				    BYTES(MEM_WB) | 7ull << 56, &start,
				    &end) == -EINVAL &&
			 mtrr_write(&s, MSR_MTRR_PHYS_BASE0, 3 * GiB | 1 << 8,
				    &start, &end) == -EINVAL &&
			 mtrr_write(&s, MSR_MTRR_PHYS_BASE0 + 1, TOP | VALID,
				    &start, &end) == -EINVAL &&
			 mtrr_write(&s, MSR_MTRR_PHYS_BASE0 + 1, 1,
				    &start, &end) == -EINVAL,
			 "reserved bits and undefined types are refused (#GP)");
	ktap_test_result(mtrr_type(&s, 3 * GiB) == MEM_UC &&
			 mtrr_type(&s, 0xc3000) == MEM_WP,
			 "and change nothing");

	mtrr_init(&s, 8, PHYS_BITS);	/* no fixed ranges, no WC */
	ktap_test_result(mtrr_write(&s, MSR_MTRR_PHYS_BASE0 + 16, 0, &start,
				    &end) == -ENOENT &&
			 mtrr_write(&s, MSR_MTRR_FIX64K_00000, 0, &start,
				    &end) == -ENOENT &&
			 mtrr_write(&s, MSR_PAT, 0, &start, &end) == -ENOENT &&
			 mtrr_write(&s, MSR_MTRR_DEF_TYPE, DEF_E | DEF_FE | 6,
				    &start, &end) == -EINVAL &&
			 mtrr_write(&s, MSR_MTRR_PHYS_BASE0, MEM_WC, &start,
				    &end) == -EINVAL,
			 "MSRs the CPU lacks are not MTRRs; FE and WC need support");

	pc_layout(&s);
	mtrr_write(&s, MSR_MTRR_DEF_TYPE, DEF_E | MEM_WB, &start, &end);
	ktap_test_result(start == 0 && end == TOP,
			 "the default type changes every address");
	mtrr_write(&s, MSR_MTRR_FIX16K_A0000, BYTES(MEM_WC), &start, &end);
	ktap_test_result(start == 0 && end == MiB,
			 "a fixed range changes the first MiB");
	mtrr_write(&s, MSR_MTRR_PHYS_BASE0, 8 * GiB | MEM_UC, &start, &end);
	ktap_test_result(start == 3 * GiB && end == 9 * GiB &&
			 mtrr_type(&s, 3 * GiB) == MEM_WB &&
			 mtrr_type(&s, 8 * GiB) == MEM_UC,
			 "moving a variable range changes where it was and is");
	mtrr_write(&s, MSR_MTRR_PHYS_BASE0 + 1, 0, &start, &end);
	ktap_test_result(start == 8 * GiB && end == 9 * GiB &&
			 mtrr_type(&s, 8 * GiB) == MEM_WB,
			 "disabling one changes where it was");
	mtrr_write(&s, MSR_MTRR_PHYS_BASE0 + 1, 0, &start, &end);
	ktap_test_result(start == end, "writing the value there changes nothing");
}

static struct page_pool pool;
static struct page_pool_chunk chunk = { .pa = 0x7000000000ull };

#define SCRATCH 0x7000100000ull

/* A dom0 map as hv/setup.c builds it, in the EPT format, for pc_layout. */
static void dom0_map(struct p2m *p2m)
{
	p2m_init(p2m, &ept_format, 4, 3, &pool);
	p2m_set(p2m, 0, 0, TOP, P2M_MMIO);
	p2m_set(p2m, 0, 0, 0x9f000, P2M_RAM);
	p2m_set(p2m, MiB, MiB, 3 * GiB - MiB, P2M_RAM);
	p2m_set(p2m, 4 * GiB, 4 * GiB, 4 * GiB, P2M_RAM);
	p2m_set(p2m, 0x40000000, SCRATCH, PAGE_SIZE, P2M_RAM);
	p2m_set(p2m, 0x70000000, 0, 2 * MiB, P2M_INVALID);
}

static bool has(struct p2m *p2m, u64 gpa, enum p2m_type type, int mem_type,
		u64 hpa_want, unsigned int level_want)
{
	unsigned int level = 0;
	u64 hpa = 0;
	enum p2m_type got = p2m_lookup(p2m, gpa, &hpa, &level);
	int mt = p2m_mem_type(p2m, gpa);

	if (got != type || mt != mem_type ||
	    (got != P2M_INVALID && (hpa != hpa_want || level != level_want))) {
		ktap_diag("%#llx: type %d memory type %d hpa %#llx level %u",
			  (unsigned long long)gpa, got, mt,
			  (unsigned long long)hpa, level);
		return false;
	}
	return true;
}

static void test_apply_to_ept(void)
{
	struct mtrr_state s;
	struct p2m p2m, npt;
	u64 used;
	bool ok;

	chunk.nr_pages = 256;
	page_pool_init(&pool, aligned_alloc(PAGE_SIZE, 256 * PAGE_SIZE),
		       &chunk, 1, 1, 256);
	pc_layout(&s);
	set_var(&s, 1, 2 * GiB, 64 * MiB, MEM_UC);
	set_var(&s, 2, 12 * GiB, 16 * MiB, MEM_WC);
	dom0_map(&p2m);
	used = pool.nr_free;
	ktap_test_result(!mtrr_apply(&s, &p2m, 0, TOP), "types applied");
	used -= pool.nr_free;

	ok = has(&p2m, 0x5000, P2M_RAM, MEM_WB, 0x5000, 1) &&
	     has(&p2m, 0xa0000, P2M_MMIO, MEM_UC, 0xa0000, 1) &&
	     has(&p2m, 0xc8000, P2M_MMIO, MEM_WP, 0xc8000, 1) &&
	     has(&p2m, 0x200000, P2M_RAM, MEM_WB, 0x200000, 2) &&
	     has(&p2m, 2 * GiB + MiB, P2M_RAM, MEM_UC, 2 * GiB + MiB, 2) &&
	     has(&p2m, 2 * GiB + 64 * MiB, P2M_RAM, MEM_WB,
		 2 * GiB + 64 * MiB, 2) &&
	     has(&p2m, 0xfe000000, P2M_MMIO, MEM_UC, 0xfe000000, 3) &&
	     has(&p2m, 12 * GiB + MiB, P2M_MMIO, MEM_WC, 12 * GiB + MiB, 2) &&
	     has(&p2m, 12 * GiB + 16 * MiB, P2M_MMIO, MEM_WB,
		 12 * GiB + 16 * MiB, 2) &&
	     has(&p2m, 5 * GiB, P2M_RAM, MEM_WB, 5 * GiB, 3) &&
	     has(&p2m, 9 * GiB, P2M_MMIO, MEM_WB, 9 * GiB, 3);
	ktap_test_result(ok, "RAM and MMIO keep their kind, each gets its MTRR type");
	ktap_test_result(has(&p2m, 0x40000000, P2M_RAM, MEM_WB, SCRATCH, 1) &&
			 has(&p2m, 0x70000000, P2M_INVALID, -ENOENT, 0, 0),
			 "hidden pages still map the scratch page; holes stay holes");
	/* One 2M-leaf table each where 2G+64M and 12G+16M split 1G leaves. */
	ktap_test_result(used == 2, "large leaves split only at type changes (%llu tables)",
			 (unsigned long long)used);

	set(&s, MSR_MTRR_DEF_TYPE, DEF_FE | MEM_WB);
	mtrr_apply(&s, &p2m, 0, TOP);
	ktap_test_result(has(&p2m, 5 * GiB, P2M_RAM, MEM_UC, 5 * GiB, 3) &&
			 has(&p2m, 0x5000, P2M_RAM, MEM_UC, 0x5000, 1),
			 "MTRRs disabled: all of dom0 uncached");
	set(&s, MSR_MTRR_DEF_TYPE, DEF_E | DEF_FE | MEM_WB);
	mtrr_apply(&s, &p2m, 0, TOP);
	ktap_test_result(has(&p2m, 5 * GiB, P2M_RAM, MEM_WB, 5 * GiB, 3) &&
			 has(&p2m, 0xc8000, P2M_MMIO, MEM_WP, 0xc8000, 1),
			 "and back");

	p2m_init(&npt, &npt_format, 4, 3, &pool);
	ktap_test_result(mtrr_apply(&s, &npt, 0, TOP) == -EOPNOTSUPP &&
			 p2m_mem_type(&npt, 0) == -EOPNOTSUPP,
			 "NPT carries no memory types");
	ktap_test_result(p2m_set_mem_type(&p2m, 0x800, PAGE_SIZE, MEM_WB) ==
			 -EINVAL &&
			 p2m_set_mem_type(&p2m, 1ull << 48, PAGE_SIZE, MEM_WB) ==
			 -EINVAL,
			 "misaligned and out-of-reach ranges refused");
	p2m_destroy(&npt);
	p2m_destroy(&p2m);
	free(pool.va);
}

/* RDMSR of each MTRR MSR returns what was written; others are -ENOENT. */
static void test_reads(void)
{
	struct mtrr_state s, nofix;
	u64 cap = 0, def = 0, base = 0, mask = 0, fix = 0, v = 0;

	pc_layout(&s);
	ktap_test_result(!mtrr_read(&s, MSR_MTRRCAP, &cap) &&
			 cap == CAP_8_FIX_WC && mtrr_cap(&s) == cap,
			 "IA32_MTRRCAP reads back as given: %#llx",
			 (unsigned long long)cap);
	ktap_test_result(!mtrr_read(&s, MSR_MTRR_DEF_TYPE, &def) &&
			 def == (DEF_E | DEF_FE | MEM_WB) &&
			 !mtrr_read(&s, MSR_MTRR_PHYS_BASE0, &base) &&
			 base == (3 * GiB | MEM_UC) &&
			 !mtrr_read(&s, MSR_MTRR_PHYS_BASE0 + 1, &mask) &&
			 mask == (((~(GiB - 1)) & ((1ull << PHYS_BITS) - 1)) | VALID) &&
			 !mtrr_read(&s, MSR_MTRR_FIX4K_C0000 + 7, &fix) &&
			 fix == BYTES(MEM_WP),
			 "the default type, a variable pair and a fixed range read back");
	mtrr_init(&nofix, 2, PHYS_BITS);
	ktap_test_result(mtrr_read(&s, MSR_MTRR_PHYS_BASE0 + 16, &v) == -ENOENT &&
			 mtrr_read(&nofix, MSR_MTRR_FIX64K_00000, &v) == -ENOENT &&
			 mtrr_read(&s, 0x10, &v) == -ENOENT,
			 "past the variable pairs, fixed ranges without FIX, other MSRs: -ENOENT");
}

int main(void)
{
	ktap_print_header(23);
	test_pc_layout();
	test_precedence();
	test_writes();
	test_reads();
	test_apply_to_ept();
	return ktap_finished();
}
