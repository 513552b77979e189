// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hv/page_pool.c: accounting, zeroing, physical
 * contiguity across chunks, address translation, and random allocations
 * and frees against a model of first fit.
 */
#include <stdlib.h>
#include <string.h>
#include <hv/page_pool.h>
#include "ktap.h"

/* Two chunks, mapped in this order, far apart and out of order in memory. */
static const struct page_pool_chunk chunks[] = {
	{ .pa = 0x300000000ull, .nr_pages = 16 },
	{ .pa = 0x080000000ull, .nr_pages = 8 },
};

static struct page_pool pool;
static u8 *mem;

static void setup(void)
{
	mem = aligned_alloc(PAGE_SIZE, 24 * PAGE_SIZE);
	memset(mem, 0xa5, 24 * PAGE_SIZE);
	page_pool_init(&pool, mem, chunks, 2, 2, 24);
}

static void test_init(void)
{
	ktap_test_result(pool.nr_pages == 24 && pool.nr_free == 22,
			 "24 pages, one taken by the bitmap, one by the chunks");
}

static void test_translation(void)
{
	ktap_test_result(page_pool_pa(&pool, mem) == 0x300000000ull &&
			 page_pool_pa(&pool, mem + 15 * PAGE_SIZE + 8) ==
			 0x30000f008ull &&
			 page_pool_pa(&pool, mem + 16 * PAGE_SIZE) ==
			 0x080000000ull &&
			 page_pool_pa(&pool, mem + 23 * PAGE_SIZE + 4095) ==
			 0x080007fffull,
			 "va to pa follows the chunks");
	ktap_test_result(page_pool_va(&pool, 0x080001010ull) ==
			 mem + 17 * PAGE_SIZE + 0x10 &&
			 page_pool_va(&pool, 0x300000000ull) == mem,
			 "pa to va follows the chunks");
	ktap_test_result(page_pool_pa(&pool, mem + 24 * PAGE_SIZE) == ~0ull &&
			 page_pool_pa(&pool, mem - 1) == ~0ull &&
			 !page_pool_va(&pool, 0x080008000ull) &&
			 !page_pool_va(&pool, 0x2fffff000ull),
			 "addresses outside the pool are refused");
}

static void test_alloc_zeroed(void)
{
	u8 *p = page_alloc(&pool);
	bool zero = p;
	size_t i;

	for (i = 0; p && i < PAGE_SIZE; i++)
		zero &= !p[i];
	ktap_test_result(zero && pool.nr_free == 21,
			 "a page comes zeroed and is counted");
	page_free(&pool, p);
	ktap_test_result(pool.nr_free == 22, "freeing gives it back");
}

static void test_contiguity(void)
{
	void *a, *b, *c;

	/* 14 pages left in chunk 0, 8 in chunk 1. */
	a = pages_alloc(&pool, 12);
	b = pages_alloc(&pool, 6);	/* does not fit the 2 left in chunk 0 */
	ktap_test_result(a && b && page_pool_pa(&pool, b) == 0x080000000ull,
			 "a run that does not fit a chunk's end starts the next");
	c = pages_alloc(&pool, 4);
	ktap_test_result(!c, "no run of 4 is left inside one chunk");
	c = pages_alloc(&pool, 2);
	ktap_test_result(c && page_pool_pa(&pool, c) == 0x30000e000ull,
			 "smaller runs fill the gaps");
	pages_free(&pool, a, 12);
	pages_free(&pool, b, 6);
	pages_free(&pool, c, 2);
	ktap_test_result(pool.nr_free == 22, "all freed");
}

static void test_exhaustion(void)
{
	void *pages[24];
	int n = 0;

	while (n < 24 && (pages[n] = page_alloc(&pool)))
		n++;
	ktap_test_result(n == 22 && pool.nr_free == 0 && !page_alloc(&pool),
			 "exhaustion returns NULL after the last page");
	while (n--)
		page_free(&pool, pages[n]);
	ktap_test_result(!pages_alloc(&pool, 0) && pool.nr_free == 22,
			 "zero pages is refused");
}

/*
 * A pool of several bitmap words, mostly used: the allocator steps over
 * full words but still finds a single free page, and a run that starts
 * in one word and ends in the next.
 */
static void test_full_words(void)
{
	static const struct page_pool_chunk big[] = {
		{ .pa = 0x100000000ull, .nr_pages = 100 },
		{ .pa = 0x200000000ull, .nr_pages = 300 },
	};
	u8 *buf = aligned_alloc(PAGE_SIZE, 400 * PAGE_SIZE);
	struct page_pool p;
	u8 *taken[400];
	int n = 0;
	bool ok;

	page_pool_init(&p, buf, big, 2, 2, 400);
	while ((taken[n] = page_alloc(&p)))
		n++;
	page_free(&p, buf + 250 * PAGE_SIZE);
	ok = page_alloc(&p) == buf + 250 * PAGE_SIZE;
	pages_free(&p, buf + 190 * PAGE_SIZE, 3);	/* words 2 and 3 */
	ok = ok && pages_alloc(&p, 3) == buf + 190 * PAGE_SIZE;
	pages_free(&p, buf + 98 * PAGE_SIZE, 4);	/* across the chunks */
	ok = ok && !pages_alloc(&p, 4) && p.nr_free == 4;
	ktap_test_result(ok && n == 398,
			 "full bitmap words are stepped over, free pages and runs in them still found");
	free(buf);
}

/*
 * Random runs taken and given back in a pool of three chunks: every
 * allocation must be the lowest run that fits in one chunk (first fit,
 * which the allocator's hint of used pages below must not change), or
 * NULL when none does.
 */
#define MODEL_PAGES 700
static void test_random_first_fit(void)
{
	static const struct page_pool_chunk three[] = {
		{ .pa = 0x100000000ull, .nr_pages = 300 },
		{ .pa = 0x500000000ull, .nr_pages = 100 },
		{ .pa = 0x300000000ull, .nr_pages = 300 },
	};
	static u8 *runs[MODEL_PAGES];
	static u64 run_len[MODEL_PAGES];
	u8 *buf = aligned_alloc(PAGE_SIZE, MODEL_PAGES * PAGE_SIZE);
	bool used[MODEL_PAGES] = { false }, ok = true;
	unsigned int live = 0, i, step;
	struct page_pool p;

	srand(7);
	page_pool_init(&p, buf, three, 3, 3, MODEL_PAGES);
	used[0] = used[1] = true;	/* the bitmap, the chunks */
	for (step = 0; step < 20000 && ok; step++) {
		if (live && (rand() % 2 || live == MODEL_PAGES)) {
			i = rand() % live;
			pages_free(&p, runs[i], run_len[i]);
			memset(&used[(runs[i] - buf) / PAGE_SIZE], 0, run_len[i]);
			runs[i] = runs[--live];
			run_len[i] = run_len[live];
		} else {
			u64 n = rand() % 4 ? 1 + rand() % 4 : 1 + rand() % 120;
			u64 want = ~0ull, start = 0, page, run;
			u8 *got;
			unsigned int c;

			for (c = 0; c < 3 && want == ~0ull; c++) {
				for (page = start, run = 0;
				     page < start + three[c].nr_pages; page++) {
					run = used[page] ? 0 : run + 1;
					if (run == n) {
						want = page + 1 - n;
						break;
					}
				}
				start += three[c].nr_pages;
			}
			got = pages_alloc(&p, n);
			ok = want == ~0ull ? !got :
			     got == buf + want * PAGE_SIZE;
			if (got) {
				memset(&used[want], 1, n);
				runs[live] = got;
				run_len[live++] = n;
			}
		}
	}
	ktap_test_result(ok, "20000 random allocations and frees are first fit (step %u)",
			 step);
	free(buf);
}

/*
 * Growth and shrinking: a base chunk of 16 pages that may grow to four
 * places of 8 more. Added pages come in used; only a donated chunk with
 * nothing used can be taken out, and its place is reused.
 */
static void test_grow_shrink(void)
{
	static const struct page_pool_chunk base = {
		.pa = 0x100000000ull, .nr_pages = 16,
	};
	u8 *buf = aligned_alloc(PAGE_SIZE, 40 * PAGE_SIZE), *added, *fill, *one;
	struct page_pool p;
	u64 pa, free_before;
	unsigned int place = 0;
	void *va = NULL;
	bool ok;

	page_pool_init(&p, buf, &base, 1, 4, 40);
	added = page_pool_add(&p, 0x500000000ull, 8, 1);
	ok = added == buf + 16 * PAGE_SIZE && p.nr_pages == 24 &&
	     p.nr_free == 14 && page_pool_pa(&p, added) == 0x500000000ull &&
	     page_pool_va(&p, 0x500001000ull) == added + PAGE_SIZE;
	fill = pages_alloc(&p, 14);
	ktap_test_result(ok && fill && !page_alloc(&p),
			 "an added chunk is mapped after the others, its pages used");
	pages_free(&p, added, 8);
	one = page_alloc(&p);
	ok = one == added && p.nr_free == 7 &&
	     page_pool_remove(&p, added, false) == PAGE_POOL_VACANT &&
	     page_pool_remove_free(&p, 0, &place, &va) == PAGE_POOL_VACANT;
	page_free(&p, one);
	ok = ok && page_pool_remove_free(&p, 2, &place, &va) == PAGE_POOL_VACANT;
	pa = page_pool_remove_free(&p, 0, &place, &va);
	ktap_test_result(ok && pa == 0x500000000ull && place == 1 &&
			 va == added &&
			 page_pool_remove(&p, added, false) == PAGE_POOL_VACANT &&
			 p.nr_pages == 16 && p.nr_free == 0 &&
			 page_pool_pa(&p, added) == ~0ull &&
			 !page_pool_va(&p, 0x500000000ull) && !page_alloc(&p),
			 "a chunk goes out once nothing in it is used, the first such from a place on, and its place with it");
	pages_free(&p, fill, 14);
	ok = page_pool_remove(&p, added, false) == PAGE_POOL_VACANT &&
	     page_pool_remove(&p, buf + 8 * PAGE_SIZE, false) == PAGE_POOL_VACANT;
	ok = ok && page_pool_add(&p, 0x600000000ull, 8, 1) == added &&
	     page_pool_add(&p, 0x700000000ull, 8, 1) ==
	     buf + 24 * PAGE_SIZE &&
	     page_pool_add(&p, 0x800000000ull, 8, 1) ==
	     buf + 32 * PAGE_SIZE &&
	     page_pool_va(&p, 0x600000000ull) == added;
	ktap_test_result(ok && !page_pool_add(&p, 0x900000000ull, 8, 1) &&
			 p.nr_pages == 40 && p.span == 40,
			 "a vacant place stays so, none is made up; it is reused, then the pool grows to its limit");
	free_before = p.nr_free;
	pa = page_pool_remove(&p, buf + 32 * PAGE_SIZE, true);
	ktap_test_result(pa == 0x800000000ull && p.nr_free == free_before &&
			 p.nr_pages == 32 &&
			 page_pool_add(&p, 0x900000000ull, 8, 1) ==
			 buf + 32 * PAGE_SIZE,
			 "a chunk just added, its pages still held, can be taken out again");
	free(buf);
}

static void test_too_small(void)
{
	static const struct page_pool_chunk one = { .pa = 0, .nr_pages = 1 };
	struct page_pool tiny;

	ktap_test_result(page_pool_init(&tiny, mem, &one, 1, 1, 1) == -1,
			 "a pool too small for its bitmap is refused");
}

int main(void)
{
	ktap_print_header(19);
	setup();
	test_init();
	test_translation();
	test_alloc_zeroed();
	test_contiguity();
	test_exhaustion();
	test_full_words();
	test_random_first_fit();
	test_grow_shrink();
	test_too_small();
	free(mem);
	return ktap_finished();
}
