// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hv/guest_access.c over a real pool and an NPT p2m: a
 * guest's addresses with paging off are its guest-physical ones, whole;
 * long-mode paging is walked through the guest's tables; and nothing
 * outside its RAM is touched.
 */
#include <stdlib.h>
#include <string.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/x86_paging.h>
#include "ktap.h"

#define POOL_PAGES	32

u64 hv_direct_map;

static struct page_pool pool;
static struct page_pool_chunk chunk = {
	.pa = 0x40000000ull, .nr_pages = POOL_PAGES,
};
static struct p2m p2m;

/* A new pool page as the guest's RAM at GPA. */
static u8 *guest_page(u64 gpa)
{
	u8 *page = page_alloc(&pool);

	memset(page, 0, PAGE_SIZE);
	p2m_set(&p2m, gpa, page_pool_pa(&pool, page), PAGE_SIZE, P2M_RAM);
	return page;
}

static bool all_zero(const u8 *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

int main(void)
{
	void *mem = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	u64 val = 0x1122334455667788ull, back = 0;
	struct hv_cpu cpu = { .guest_cr0 = CR0_PE };
	u8 *ram, *data;
	u64 *pml4, *pdpt, *pd, *pt;

	ktap_print_header(5);
	hv_direct_map = (u64)mem - chunk.pa;
	page_pool_init(&pool, mem, &chunk, 1, 1, POOL_PAGES);
	p2m_init(&p2m, &npt_format, 4, 2, &pool);
	cpu.guest_p2m = &p2m;
	ram = guest_page(0x3000);

	ktap_test_result(!copy_to_guest(&cpu, 0x3008, &val, 8) &&
			 !memcmp(ram + 8, &val, 8) &&
			 !copy_from_guest(&cpu, &back, 0x3008, 8) && back == val,
			 "paging off: a guest address is its guest-physical one");
	ktap_test_result(copy_to_guest(&cpu, 0xffff888000003010ull, &val, 8) == -EFAULT &&
			 all_zero(ram + 16, PAGE_SIZE - 16),
			 "paging off: a 64-bit address misses, and the page of its low half is untouched");
	ktap_test_result(copy_to_guest(&cpu, 0x5000, &val, 8) == -EFAULT,
			 "paging off: no RAM there, -EFAULT");

	/* Long mode: 0xffff800000001000 -> GPA 0x3000 through 4 levels. */
	pml4 = (u64 *)guest_page(0x10000);
	pdpt = (u64 *)guest_page(0x11000);
	pd = (u64 *)guest_page(0x12000);
	pt = (u64 *)guest_page(0x13000);
	pml4[256] = 0x11000 | PTE_P | PTE_RW;
	pdpt[0] = 0x12000 | PTE_P | PTE_RW;
	pd[0] = 0x13000 | PTE_P | PTE_RW;
	pt[1] = 0x3000 | PTE_P;
	cpu.guest_cr0 = CR0_PE | CR0_PG;
	cpu.guest_cr4 = CR4_PAE;
	cpu.guest_efer = EFER_LME | EFER_LMA;
	cpu.guest_cr3 = 0x10000;
	back = 0;
	ktap_test_result(!copy_from_guest(&cpu, &back, 0xffff800000001008ull, 8) &&
			 back == val,
			 "long mode: the guest's page tables are walked");
	data = ram;
	ktap_test_result(copy_to_guest(&cpu, 0xffff800000001000ull, &val, 8) == -EFAULT &&
			 all_zero(data, 8),
			 "long mode: a read-only page is not written");
	return ktap_finished();
}
