// SPDX-License-Identifier: GPL-2.0
/*
 * A first-fit bitmap allocator. Simplicity wins: the pool is at most a
 * few gigabytes, and guest memory, its biggest user, is mostly taken in
 * whole chunks.
 */
#include <hv/page_pool.h>
#include <hv/string.h>

#define BITS_PER_WORD 64

static bool test_used(const struct page_pool *pool, u64 page)
{
	return pool->used[page / BITS_PER_WORD] & (1ull << (page % BITS_PER_WORD));
}

static void set_used(struct page_pool *pool, u64 first, u64 n, bool used)
{
	u64 page;

	for (page = first; page < first + n; page++) {
		u64 bit = 1ull << (page % BITS_PER_WORD);

		if (used)
			pool->used[page / BITS_PER_WORD] |= bit;
		else
			pool->used[page / BITS_PER_WORD] &= ~bit;
	}
	if (used)
		pool->nr_free -= n;
	else
		pool->nr_free += n;
}

int page_pool_init(struct page_pool *pool, void *va,
		   const struct page_pool_chunk *chunks,
		   unsigned int nr_chunks)
{
	u64 nr_pages = 0, bitmap_bytes, bitmap_pages;
	unsigned int i;

	for (i = 0; i < nr_chunks; i++)
		nr_pages += chunks[i].nr_pages;
	bitmap_bytes = (nr_pages + BITS_PER_WORD - 1) / BITS_PER_WORD * 8;
	bitmap_pages = (bitmap_bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	if (bitmap_pages >= nr_pages)
		return -1;

	*pool = (struct page_pool){
		.va = va,
		.nr_pages = nr_pages,
		.chunks = chunks,
		.nr_chunks = nr_chunks,
		.used = va,
		.nr_free = nr_pages,
	};
	memset(pool->used, 0, bitmap_bytes);
	set_used(pool, 0, bitmap_pages, true);
	return 0;
}

void *pages_alloc(struct page_pool *pool, u64 n)
{
	u64 first = 0, run = 0, page, start = 0, end, lowest_free = ~0ull;
	unsigned int c;
	void *va = NULL;

	if (!n)
		return NULL;
	spin_lock(&pool->lock);
	/* Runs never cross chunks; every page below the hint is used. */
	for (c = 0; c < pool->nr_chunks && run < n; c++, start = end) {
		end = start + pool->chunks[c].nr_pages;
		run = 0;
		page = start > pool->hint ? start : pool->hint;
		for (; page < end && run < n; page++) {
			/* Step over a word of used pages at once. */
			if (!(page % BITS_PER_WORD) && page + BITS_PER_WORD <= end &&
			    pool->used[page / BITS_PER_WORD] == ~0ull) {
				page += BITS_PER_WORD - 1;
				run = 0;
				continue;
			}
			if (test_used(pool, page)) {
				run = 0;
				continue;
			}
			if (lowest_free == ~0ull)
				lowest_free = page;
			if (!run++)
				first = page;
		}
	}
	if (run == n) {
		set_used(pool, first, n, true);
		va = pool->va + first * PAGE_SIZE;
		if (lowest_free == first)
			lowest_free = first + n;
	}
	if (lowest_free != ~0ull)
		pool->hint = lowest_free;
	else if (!va)
		pool->hint = pool->nr_pages;
	spin_unlock(&pool->lock);

	if (va)
		memset(va, 0, n * PAGE_SIZE);
	return va;
}

void pages_free(struct page_pool *pool, void *va, u64 n)
{
	u64 first = ((u8 *)va - pool->va) / PAGE_SIZE;

	spin_lock(&pool->lock);
	set_used(pool, first, n, false);
	if (first < pool->hint)
		pool->hint = first;
	spin_unlock(&pool->lock);
}

u64 page_pool_pa(const struct page_pool *pool, const void *va)
{
	u64 offset = (const u8 *)va - pool->va, index, start = 0;
	unsigned int i;

	if ((const u8 *)va < pool->va || offset >= pool->nr_pages * PAGE_SIZE)
		return ~0ull;
	index = offset / PAGE_SIZE;
	for (i = 0; i < pool->nr_chunks; i++) {
		if (index < start + pool->chunks[i].nr_pages)
			return pool->chunks[i].pa +
			       (index - start) * PAGE_SIZE + offset % PAGE_SIZE;
		start += pool->chunks[i].nr_pages;
	}
	return ~0ull;
}

void *page_pool_va(const struct page_pool *pool, u64 pa)
{
	u64 start = 0;
	unsigned int i;

	for (i = 0; i < pool->nr_chunks; i++) {
		const struct page_pool_chunk *c = &pool->chunks[i];

		if (pa >= c->pa && pa - c->pa < c->nr_pages * PAGE_SIZE)
			return pool->va + start * PAGE_SIZE + (pa - c->pa);
		start += c->nr_pages;
	}
	return NULL;
}
