// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hv/foreign.c over a real pool and dom0 p2m (NPT): what
 * dom0's p2m shows of a page as it is mapped and unmapped, the count's
 * limit, and the rule that a page goes back to the pool only when no
 * mapping holds it and every CPU that may cache it has been told to
 * flush (all of dom0's after an unmapping, a running guest's own), as
 * pages donated to the pool are free only once every CPU has flushed.
 */
#include <stdlib.h>
#include <hv/errno.h>
#include <hv/foreign.h>
#include <hv/x86_paging.h>
#include <hv/xen.h>
#include "ktap.h"

#define POOL_PAGES	64
#define DONATED_PAGES	16	/* what the pool may grow by */
#define CPUS		0x5ull		/* dom0 runs on CPUs 0 and 2 */

static struct page_pool pool;
static struct page_pool_chunk chunk = {
	.pa = 0x40000000ull, .nr_pages = POOL_PAGES,
};
static struct p2m dom0;
static u64 scratch;

/* What dom0's p2m maps HPA's page to. */
static u64 dom0_sees(u64 hpa)
{
	unsigned int level;
	u64 to = 0;

	return p2m_lookup(&dom0, hpa, &to, &level) == P2M_RAM ? to : 0;
}

/* Both dom0 CPUs exit; whether each was told to flush. */
static bool cpus_flush(void)
{
	bool first = foreign_flush_due(0), second = foreign_flush_due(2);

	return first && second;
}

static void test_map_unmap(void *guest)
{
	u64 hpa = page_pool_pa(&pool, guest);
	bool ok;

	ktap_test_result(dom0_sees(hpa) == scratch,
			 "an unmapped pool page is the scratch page to dom0");
	ok = !foreign_map(hpa) && !foreign_map(hpa + 0x123);
	ktap_test_result(ok && dom0_sees(hpa) == hpa,
			 "mapped (twice), dom0 sees the page itself");
	ok = !foreign_unmap(hpa) && dom0_sees(hpa) == hpa &&
	     !foreign_flush_due(0);
	ktap_test_result(ok, "one unmapping less: still seen, no flush due");
	ok = !foreign_unmap(hpa) && dom0_sees(hpa) == scratch;
	ktap_test_result(ok && cpus_flush() && !foreign_flush_due(0),
			 "the last unmapping hides it and each CPU flushes once");
	ktap_test_result(foreign_unmap(hpa) == -XEN_EINVAL,
			 "unmapping a page not mapped: EINVAL");
	ktap_test_result(foreign_map(chunk.pa - PAGE_SIZE) == -XEN_EINVAL &&
			 foreign_unmap(chunk.pa - PAGE_SIZE) == -XEN_EINVAL,
			 "a page outside the pool: EINVAL");
}

static void test_count_limit(void *guest)
{
	u64 hpa = page_pool_pa(&pool, guest);
	unsigned int n = 0;
	long err;

	while (!(err = foreign_map(hpa)))
		n++;
	ktap_test_result(err == -XEN_EBUSY && n == 0x3fff,
			 "mappings stop at %u with EBUSY", n);
	while (!foreign_unmap(hpa))
		n--;
	ktap_test_result(!n && dom0_sees(hpa) == scratch && cpus_flush(),
			 "and all unmap");
}

static void test_given_up_while_mapped(void)
{
	u64 free_before = pool.nr_free;
	void *guest = pages_alloc(&pool, 2);
	u64 hpa = page_pool_pa(&pool, guest);

	foreign_map(hpa);
	guest_pages_free(guest, 2, 0);
	ktap_test_result(pool.nr_free == free_before - 1,
			 "freeing two pages, one mapped: the other is free");
	ktap_test_result(foreign_map(hpa) == -XEN_EINVAL && dom0_sees(hpa) == hpa,
			 "the orphan cannot be mapped again, but stays mapped");
	foreign_unmap(hpa);
	ktap_test_result(pool.nr_free == free_before - 1 &&
			 dom0_sees(hpa) == scratch,
			 "its last unmapping hides it, still not free");
	ktap_test_result(foreign_flush_due(2) && pool.nr_free == free_before - 1,
			 "one CPU flushed: still not free");
	ktap_test_result(foreign_flush_due(0) && pool.nr_free == free_before,
			 "the last CPU flushed: free");
}

/* A page freed while a flush is due may be in a TLB: it waits too. */
static void test_free_while_flush_due(void)
{
	u64 free_before = pool.nr_free;
	void *mapped = page_alloc(&pool), *other = pages_alloc(&pool, 3);

	foreign_map(page_pool_pa(&pool, mapped));
	foreign_unmap(page_pool_pa(&pool, mapped));
	guest_pages_free(mapped, 1, 0);
	guest_pages_free(other, 3, 0);
	ktap_test_result(pool.nr_free == free_before - 4,
			 "pages freed while a flush is due wait");
	ktap_test_result(cpus_flush() && pool.nr_free == free_before,
			 "and go back to the pool when it is done");
	other = pages_alloc(&pool, 3);
	guest_pages_free(other, 3, 0);
	ktap_test_result(pool.nr_free == free_before && !foreign_flush_due(0),
			 "with no flush due, pages are freed at once");
}

/* A running guest's pages wait for the CPUs it runs on to flush. */
static void test_running_guest(void)
{
	u64 free_before = pool.nr_free;
	void *pages = pages_alloc(&pool, 2);

	guest_pages_free(pages, 2, 1ull << 2);
	ktap_test_result(pool.nr_free == free_before - 2 &&
			 !foreign_flush_due(0),
			 "a running guest's pages wait; other CPUs need not flush");
	ktap_test_result(foreign_flush_due(2) && pool.nr_free == free_before,
			 "its CPU flushes: they are free");
}

/* Donated pages join the pool used, and are freed by the last flush. */
static void test_pages_arrive(void)
{
	void *va = page_pool_add(&pool, 0x50000000ull, DONATED_PAGES, 1);
	u64 free_before = pool.nr_free;
	bool ok;

	foreign_pages_arrive(va, DONATED_PAGES);
	ok = va && foreign_flush_due(0) && pool.nr_free == free_before;
	ktap_test_result(ok && foreign_flush_due(2) &&
			 pool.nr_free == free_before + DONATED_PAGES &&
			 page_pool_pa(&pool, va) == 0x50000000ull,
			 "donated pages are free once both CPUs have flushed, not before");
}

int main(void)
{
	unsigned int i;
	void *guest;

	ktap_print_header(20);
	page_pool_init(&pool, aligned_alloc(PAGE_SIZE, (POOL_PAGES +
						       DONATED_PAGES) * PAGE_SIZE),
		       &chunk, 1, 2, POOL_PAGES + DONATED_PAGES);
	p2m_init(&dom0, &npt_format, 4, 2, &pool);
	scratch = page_pool_pa(&pool, page_alloc(&pool));
	/* As hv/setup.c builds it: each pool page is the scratch page. */
	for (i = 0; i < POOL_PAGES; i++)
		p2m_set(&dom0, chunk.pa + i * PAGE_SIZE, scratch, PAGE_SIZE,
			P2M_RAM);
	if (foreign_init(&pool, &dom0, scratch, CPUS)) {
		ktap_test_result(0, "foreign_init");
		return ktap_finished();
	}
	guest = page_alloc(&pool);
	test_map_unmap(guest);
	test_count_limit(guest);
	test_given_up_while_mapped();
	test_free_while_flush_due();
	test_running_guest();
	test_pages_arrive();
	ktap_test_result(!foreign_flush_due(0) && !foreign_flush_due(2),
			 "no flush is left due");
	return ktap_finished();
}
