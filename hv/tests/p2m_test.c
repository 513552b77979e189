// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hv/p2m.c with the NPT format: dom0-style identity maps
 * with large pages, holes punched for the hypervisor, 5-level reach,
 * pool exhaustion, the paging pool's spare pages, and random changes checked page by page against a
 * plain array, the last for the host and EPT formats too (and EPT's
 * memory types); and the bits each format puts in its entries, from the
 * AMD and Intel manuals.
 */
#include <stdlib.h>
#include <string.h>
#include <hv/errno.h>
#include <hv/p2m.h>
#include <hv/x86_paging.h>
#include "ktap.h"

#define GiB (1ull << 30)
#define MiB (1ull << 20)

static struct page_pool pool;
static struct page_pool_chunk chunk = { .pa = 0x7000000000ull };

static void make_pool(u64 pages)
{
	chunk.nr_pages = pages;
	page_pool_init(&pool, aligned_alloc(PAGE_SIZE, pages * PAGE_SIZE),
		       &chunk, 1, 1, pages);
}

static void drop_pool(void)
{
	free(pool.va);
}

static bool maps(struct p2m *p2m, u64 gpa, u64 want_hpa,
		 enum p2m_type want_type, unsigned int want_level)
{
	unsigned int level = 0;
	u64 hpa = 0;
	enum p2m_type type = p2m_lookup(p2m, gpa, &hpa, &level);

	if (type != want_type ||
	    (type != P2M_INVALID && (hpa != want_hpa || level != want_level))) {
		ktap_diag("gpa %#llx: type %d hpa %#llx level %u, want %d %#llx %u",
			  (unsigned long long)gpa, type,
			  (unsigned long long)hpa, level, want_type,
			  (unsigned long long)want_hpa, want_level);
		return false;
	}
	return true;
}

/* Dom0 of the lab: 40 physical bits, QEMU's RAM layout with 4 GiB. */
static void test_dom0_identity(void)
{
	u64 before;
	struct p2m p2m;
	bool ok;

	make_pool(64);
	before = pool.nr_free;
	p2m_init(&p2m, &npt_format, 4, 3, &pool);
	ok = !p2m_set(&p2m, 0, 0, 1ull << 40, P2M_MMIO);
	ktap_test_result(ok && before - pool.nr_free == 3,
			 "1 TiB of MMIO takes a root and two 1G tables");
	ok = !p2m_set(&p2m, 0, 0, 0x9f000, P2M_RAM) &&
	     !p2m_set(&p2m, 0x100000, 0x100000, 0xc0000000 - 0x100000,
		      P2M_RAM) &&
	     !p2m_set(&p2m, 4 * GiB, 4 * GiB, GiB, P2M_RAM);
	ktap_test_result(ok, "RAM ranges mapped");
	ktap_test_result(maps(&p2m, 0x1234, 0x1234, P2M_RAM, 1) &&
			 maps(&p2m, 0xa0000, 0xa0000, P2M_MMIO, 1) &&
			 maps(&p2m, 0x200000, 0x200000, P2M_RAM, 2) &&
			 maps(&p2m, 2 * GiB + 5, 2 * GiB + 5, P2M_RAM, 3) &&
			 maps(&p2m, 0xfee00000, 0xfee00000, P2M_MMIO, 3) &&
			 maps(&p2m, 4 * GiB, 4 * GiB, P2M_RAM, 3) &&
			 maps(&p2m, (1ull << 40) - 1, (1ull << 40) - 1,
			      P2M_MMIO, 3),
			 "types and the largest page sizes where aligned");

	/* The hypervisor's pool and an odd page range vanish from dom0. */
	ok = !p2m_set(&p2m, 0x70000000, 0, 2 * MiB, P2M_INVALID) &&
	     !p2m_set(&p2m, 0x30005000, 0, 0x2000, P2M_INVALID);
	ktap_test_result(ok && maps(&p2m, 0x70000000, 0, P2M_INVALID, 0) &&
			 maps(&p2m, 0x701fffff, 0, P2M_INVALID, 0) &&
			 maps(&p2m, 0x6fffffff, 0x6fffffff, P2M_RAM, 2) &&
			 maps(&p2m, 0x70200000, 0x70200000, P2M_RAM, 2) &&
			 maps(&p2m, 0x30005800, 0, P2M_INVALID, 0) &&
			 maps(&p2m, 0x30004fff, 0x30004fff, P2M_RAM, 1) &&
			 maps(&p2m, 0x30007000, 0x30007000, P2M_RAM, 1) &&
			 maps(&p2m, 0x30200000, 0x30200000, P2M_RAM, 2),
			 "holes punched, neighbours keep their mapping");

	p2m_destroy(&p2m);
	ktap_test_result(pool.nr_free == before, "destroy frees every table");
	drop_pool();
}

static void test_replace_frees(void)
{
	struct p2m p2m;
	u64 after_init;

	make_pool(16);
	p2m_init(&p2m, &npt_format, 4, 3, &pool);
	after_init = pool.nr_free;
	p2m_set(&p2m, 0x1000, 0x5000, 0x3000, P2M_RAM);
	ktap_test_result(after_init - pool.nr_free == 3 &&
			 maps(&p2m, 0x2004, 0x6004, P2M_RAM, 1),
			 "a 4K mapping needs three tables below the root");
	/* Only the 1G table holding the new leaf stays. */
	p2m_set(&p2m, 0, 0, GiB, P2M_MMIO);
	ktap_test_result(after_init - pool.nr_free == 1 &&
			 maps(&p2m, 0x2004, 0x2004, P2M_MMIO, 3),
			 "a 1G leaf over them frees the tables below it");
	p2m_set(&p2m, 0, 0, GiB, P2M_INVALID);
	ktap_test_result(maps(&p2m, 0, 0, P2M_INVALID, 0) &&
			 after_init - pool.nr_free == 1, "unmapped again");
	p2m_destroy(&p2m);
	drop_pool();
}

static void test_no_1g(void)
{
	struct p2m p2m;

	make_pool(16);
	p2m_init(&p2m, &npt_format, 4, 2, &pool);
	p2m_set(&p2m, 0, 0, GiB, P2M_RAM);
	ktap_test_result(maps(&p2m, GiB - 1, GiB - 1, P2M_RAM, 2),
			 "without 1G pages, 2M leaves are used");
	p2m_set(&p2m, 2 * MiB, 3 * MiB, 2 * MiB, P2M_RAM);
	ktap_test_result(maps(&p2m, 2 * MiB, 3 * MiB, P2M_RAM, 1) &&
			 maps(&p2m, 4 * MiB - 1, 5 * MiB - 1, P2M_RAM, 1),
			 "a misaligned machine address falls back to 4K");
	p2m_destroy(&p2m);
	drop_pool();
}

static void test_levels(void)
{
	struct p2m p4, p5;
	u64 high = 1ull << 48;	/* beyond 4-level reach */

	make_pool(32);
	p2m_init(&p4, &npt_format, 4, 3, &pool);
	p2m_init(&p5, &npt_format, 5, 3, &pool);
	ktap_test_result(p2m_set(&p4, high, high, GiB, P2M_MMIO) == -EINVAL &&
			 p2m_set(&p4, high - GiB, 0, 2 * GiB, P2M_MMIO) ==
			 -EINVAL && maps(&p4, high, 0, P2M_INVALID, 0),
			 "4-level refuses addresses from 2^48");
	ktap_test_result(!p2m_set(&p5, high, high, GiB, P2M_MMIO) &&
			 maps(&p5, high + 7, high + 7, P2M_MMIO, 3) &&
			 maps(&p5, 0, 0, P2M_INVALID, 0),
			 "5-level maps beyond 2^48");
	ktap_test_result(p2m_set(&p5, 0x1001, 0, PAGE_SIZE, P2M_RAM) ==
			 -EINVAL &&
			 p2m_set(&p5, 0, 0, 100, P2M_RAM) == -EINVAL &&
			 p2m_set(&p5, 0, 1ull << 52, PAGE_SIZE, P2M_RAM) ==
			 -EINVAL &&
			 p2m_init(&(struct p2m){ 0 }, &npt_format, 3, 3,
				  &pool) == -EINVAL,
			 "misaligned, oversized and bad-level requests refused");
	p2m_destroy(&p4);
	p2m_destroy(&p5);
	drop_pool();
}

static void test_out_of_memory(void)
{
	struct p2m p2m;
	int err;

	make_pool(5);	/* bitmap, chunk table, root and two more pages */
	p2m_init(&p2m, &npt_format, 4, 3, &pool);
	err = p2m_set(&p2m, 0x1000, 0x1000, PAGE_SIZE, P2M_RAM);
	ktap_test_result(err == -ENOMEM && pool.nr_free == 0,
			 "running out of table pages says -ENOMEM");
	p2m_destroy(&p2m);
	ktap_test_result(pool.nr_free == 3, "and nothing leaks");
	drop_pool();
}

/* Xen's paging pool: tables come from the spares, go back, shrink. */
static void test_paging_pool(void)
{
	u64 start, after_init;
	struct p2m p2m;

	make_pool(64);
	start = pool.nr_free;
	p2m_init(&p2m, &npt_format, 4, 3, &pool);
	after_init = pool.nr_free;
	ktap_test_result(!p2m_resize_pool(&p2m, 10, 100) &&
			 after_init - pool.nr_free == 9 &&
			 p2m_pool_bytes(&p2m) == 10 * PAGE_SIZE,
			 "pool: growing takes pages beyond the root in use");
	p2m_set(&p2m, 0x1000, 0x5000, PAGE_SIZE, P2M_RAM);
	ktap_test_result(after_init - pool.nr_free == 9 &&
			 p2m.table_pages == 4 && p2m.nr_spare == 6 &&
			 p2m_pool_bytes(&p2m) == 10 * PAGE_SIZE,
			 "pool: new tables are spares, not page-pool pages");
	p2m_set(&p2m, 0, 0, GiB, P2M_INVALID);
	p2m_set(&p2m, 0x3000, 0x9000, PAGE_SIZE, P2M_RAM);
	ktap_test_result(p2m.table_pages == 4 && p2m.nr_spare == 6 &&
			 maps(&p2m, 0x3000, 0x9000, P2M_RAM, 1) &&
			 maps(&p2m, 0x1000, 0, P2M_INVALID, 0),
			 "pool: freed tables return and come back zeroed");
	ktap_test_result(p2m_resize_pool(&p2m, 20, 5) == 5 &&
			 p2m_pool_bytes(&p2m) == 15 * PAGE_SIZE &&
			 p2m_resize_pool(&p2m, 100, 100) == -ENOMEM &&
			 pool.nr_free == 0,
			 "pool: growth stops at its allowance or -ENOMEM");
	ktap_test_result(!p2m_resize_pool(&p2m, 3, 0) &&
			 p2m.nr_spare == 0 && p2m.table_pages == 4 &&
			 after_init - pool.nr_free == 3,
			 "pool: shrinking frees spares, never tables in use");
	/* The 1G table stays: two tables go, one of them to the spares. */
	p2m_set(&p2m, 0, 0, GiB, P2M_INVALID);
	ktap_test_result(p2m.table_pages == 2 && p2m.nr_spare == 1,
			 "pool: freed tables refill it only up to its size");
	p2m_resize_pool(&p2m, 30, 30);
	p2m_destroy(&p2m);
	ktap_test_result(pool.nr_free == start,
			 "pool: destroy frees tables and spares");
	drop_pool();
}

/*
 * Random operations on the first 64 MiB, with 2M-aligned ranges half the
 * time so leaves are made, split and merged over; the p2m must agree
 * with a plain array of every page's type and target afterwards. For a
 * format with memory types (EPT), a third of the operations retype a
 * range instead, and every mapped page's type must agree too.
 */
#define MODEL_PAGES (64 * MiB / PAGE_SIZE)
static struct {
	enum p2m_type type;
	u64 hpa;
	enum mem_type mem;
} model[MODEL_PAGES];

static const enum mem_type mem_types[] = {
	MEM_UC, MEM_WC, MEM_WT, MEM_WP, MEM_WB
};

static bool page_agrees(struct p2m *p2m, u64 i)
{
	unsigned int level;
	u64 hpa;
	enum p2m_type type = p2m_lookup(p2m, i * PAGE_SIZE + 12, &hpa, &level);

	if (type != model[i].type)
		return false;
	if (type == P2M_INVALID)
		return true;
	return hpa == model[i].hpa + 12 &&
	       (!p2m->fmt->leaf_mem_type ||
		p2m_mem_type(p2m, i * PAGE_SIZE) == (int)model[i].mem);
}

static void test_random_against_model(const struct p2m_format *fmt,
				      const char *name)
{
	struct p2m p2m;
	u64 before, i, bad = 0;
	int op;

	srand(12345);
	make_pool(2048);
	before = pool.nr_free;
	p2m_init(&p2m, fmt, 4, 3, &pool);
	for (op = 0; op < 3000; op++) {
		u64 align = rand() % 2 ? 512 : 1;
		u64 first = rand() % (MODEL_PAGES / align) * align;
		u64 count = (rand() % 1024 / align + 1) * align;
		u64 hpa = (u64)(rand() % 4096) * 2 * MiB +
			  (align == 1 ? (u64)(rand() % 512) * PAGE_SIZE : 0);
		enum p2m_type type = rand() % 3;
		enum mem_type mem = mem_types[rand() % 5];
		bool retype = fmt->set_mem_type && rand() % 3 == 0;

		if (first + count > MODEL_PAGES)
			count = MODEL_PAGES - first;
		if (retype ? p2m_set_mem_type(&p2m, first * PAGE_SIZE,
					      count * PAGE_SIZE, mem) :
			     p2m_set(&p2m, first * PAGE_SIZE, hpa,
				     count * PAGE_SIZE, type))
			bad++;
		for (i = 0; i < count; i++) {
			if (retype) {
				model[first + i].mem = mem;
				continue;
			}
			model[first + i].type = type;
			model[first + i].hpa = hpa + i * PAGE_SIZE;
			model[first + i].mem = type == P2M_MMIO ? MEM_UC :
								  MEM_WB;
		}
	}
	ktap_test_result(!bad, "%s: 3000 random changes succeed", name);

	for (i = 0; i < MODEL_PAGES; i++)
		if (!page_agrees(&p2m, i))
			bad++;
	ktap_test_result(!bad, "%s: every page agrees with the model", name);
	p2m_destroy(&p2m);
	ktap_test_result(pool.nr_free == before,
			 "%s: no table leaks after random changes", name);
	drop_pool();
}

/* The entries' bits, as the manuals define them. */
static void test_entry_bits(void)
{
	u64 ram2m = npt_format.make_leaf(0x200000, 2, P2M_RAM);
	u64 mmio4k = npt_format.make_leaf(0xfee00000, 1, P2M_MMIO);
	u64 host = host_pt_format.make_leaf(0x1000, 1, P2M_RAM);
	u64 ept_ram1g = ept_format.make_leaf(0x40000000, 3, P2M_RAM);
	u64 ept_mmio = ept_format.make_leaf(0xfee00000, 1, P2M_MMIO);

	/* P, RW, US, A, D, PS; no PWT/PCD: PAT index 0, write-back. */
	ktap_test_result(ram2m == (0x200000 | 0x1 | 0x2 | 0x4 | 0x20 | 0x40 | 0x80),
			 "npt: 2M RAM leaf %#llx", (unsigned long long)ram2m);
	/* PWT and PCD: PAT index 3, uncached. */
	ktap_test_result((mmio4k & 0x18) == 0x18 && !(mmio4k & 0x80),
			 "npt: 4K MMIO leaf is uncached");
	ktap_test_result(!(host & 0x4) && (host & 0x3) == 0x3,
			 "host: supervisor-only, present, writable");
	/* Read, write, execute; memory type 6 (WB) in bits 5:3; bit 7. */
	ktap_test_result(ept_ram1g == (0x40000000 | 0x7 | 6 << 3 | 0x80),
			 "ept: 1G RAM leaf %#llx", (unsigned long long)ept_ram1g);
	ktap_test_result((ept_mmio & 0x38) == 0 && (ept_mmio & 0x7) == 0x7,
			 "ept: MMIO leaf has memory type 0 (UC)");
	ktap_test_result(ept_format.make_table(0x5000) == (0x5000 | 0x7),
			 "ept: table entry is RWX with no memory type");
	ktap_test_result(!ept_format.present(0) && ept_format.present(0x1),
			 "ept: present means any of R, W, X");
}

int main(void)
{
	ktap_print_header(38);
	test_dom0_identity();
	test_replace_frees();
	test_no_1g();
	test_levels();
	test_out_of_memory();
	test_paging_pool();
	test_random_against_model(&npt_format, "npt");
	test_random_against_model(&host_pt_format, "host");
	test_random_against_model(&ept_format, "ept");
	test_entry_bits();
	return ktap_finished();
}
