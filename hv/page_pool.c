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

static void mark_used(struct page_pool *pool, u64 first, u64 n, bool used)
{
	u64 page;

	for (page = first; page < first + n; page++) {
		u64 bit = 1ull << (page % BITS_PER_WORD);

		if (used)
			pool->used[page / BITS_PER_WORD] |= bit;
		else
			pool->used[page / BITS_PER_WORD] &= ~bit;
	}
}

static void set_used(struct page_pool *pool, u64 first, u64 n, bool used)
{
	mark_used(pool, first, n, used);
	if (used)
		pool->nr_free -= n;
	else
		pool->nr_free += n;
}

static u64 pages_to_hold(u64 bytes)
{
	return (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
}

int page_pool_init(struct page_pool *pool, void *va,
		   const struct page_pool_chunk *chunks,
		   unsigned int nr_chunks, unsigned int max_chunks,
		   u64 max_span)
{
	u64 nr_pages = 0, bitmap_bytes, meta_pages;
	unsigned int i;

	for (i = 0; i < nr_chunks; i++)
		nr_pages += chunks[i].nr_pages;
	if (max_chunks < nr_chunks || max_span < nr_pages)
		return -1;
	bitmap_bytes = (max_span + BITS_PER_WORD - 1) / BITS_PER_WORD * 8;
	meta_pages = pages_to_hold(bitmap_bytes) +
		     pages_to_hold(max_chunks * sizeof(*chunks));
	/* The first chunk holds them, and one page more. */
	if (!nr_chunks || meta_pages >= chunks[0].nr_pages)
		return -1;

	*pool = (struct page_pool){
		.va = va,
		.nr_pages = nr_pages,
		.span = nr_pages,
		.max_span = max_span,
		.chunks = (struct page_pool_chunk *)
			  ((u8 *)va + pages_to_hold(bitmap_bytes) * PAGE_SIZE),
		.nr_chunks = nr_chunks,
		.max_chunks = max_chunks,
		.used = va,
		.nr_free = nr_pages,
	};
	memset(pool->used, 0, bitmap_bytes);
	memcpy(pool->chunks, chunks, nr_chunks * sizeof(*chunks));
	set_used(pool, 0, meta_pages, true);
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
		pool->hint = pool->span;
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

void *page_pool_add(struct page_pool *pool, u64 pa, u64 nr_pages,
		    unsigned int first)
{
	u64 start = 0;
	unsigned int c;
	void *va = NULL;

	spin_lock(&pool->lock);
	for (c = 0; c < pool->nr_chunks; start += pool->chunks[c++].nr_pages)
		if (c >= first && pool->chunks[c].pa == PAGE_POOL_VACANT &&
		    pool->chunks[c].nr_pages == nr_pages)
			break;
	if (c == pool->nr_chunks &&
	    (c == pool->max_chunks || pool->span + nr_pages > pool->max_span))
		goto out;
	/*
	 * Translations read the places without the lock: each is whole
	 * before its address or the count of places shows it.
	 */
	pool->chunks[c].nr_pages = nr_pages;
	__atomic_store_n(&pool->chunks[c].pa, pa, __ATOMIC_RELEASE);
	if (c == pool->nr_chunks) {
		/* A new place: its pages come in used, as a vacant one's are. */
		mark_used(pool, pool->span, nr_pages, true);
		pool->span += nr_pages;
		__atomic_store_n(&pool->nr_chunks, c + 1, __ATOMIC_RELEASE);
	}
	pool->nr_pages += nr_pages;
	va = pool->va + start * PAGE_SIZE;
out:
	spin_unlock(&pool->lock);
	return va;
}

static bool all_free(const struct page_pool *pool, u64 first, u64 n)
{
	u64 page;

	for (page = first; page < first + n; page++)
		if (test_used(pool, page))
			return false;
	return true;
}

/* The place mapped at VA, and its first page in *START. */
static struct page_pool_chunk *place_of(struct page_pool *pool, void *va,
					u64 *start)
{
	unsigned int c;

	*start = 0;
	for (c = 0; c < pool->nr_chunks; *start += pool->chunks[c++].nr_pages)
		if (pool->va + *start * PAGE_SIZE == va)
			return &pool->chunks[c];
	return NULL;
}

/*
 * Takes CHUNK, whose pages begin at START, out if it holds a chunk and
 * HELD or none of its pages is used: its physical address, else
 * PAGE_POOL_VACANT. With the pool's lock.
 */
static u64 take_out(struct page_pool *pool, struct page_pool_chunk *chunk,
		    u64 start, bool held)
{
	u64 pa = chunk->pa;

	if (pa == PAGE_POOL_VACANT ||
	    (!held && !all_free(pool, start, chunk->nr_pages)))
		return PAGE_POOL_VACANT;
	/* A vacant place's pages stay used: nothing allocates them. */
	if (!held)
		set_used(pool, start, chunk->nr_pages, true);
	pool->nr_pages -= chunk->nr_pages;
	chunk->pa = PAGE_POOL_VACANT;
	return pa;
}

u64 page_pool_remove(struct page_pool *pool, void *va, bool held)
{
	struct page_pool_chunk *chunk;
	u64 start, pa = PAGE_POOL_VACANT;

	spin_lock(&pool->lock);
	chunk = place_of(pool, va, &start);
	if (chunk)
		pa = take_out(pool, chunk, start, held);
	spin_unlock(&pool->lock);
	return pa;
}

u64 page_pool_remove_free(struct page_pool *pool, unsigned int first,
			  unsigned int *index, void **va)
{
	u64 start = 0, pa = PAGE_POOL_VACANT;
	unsigned int c;

	spin_lock(&pool->lock);
	for (c = 0; c < pool->nr_chunks; start += pool->chunks[c++].nr_pages) {
		if (c < first)
			continue;
		pa = take_out(pool, &pool->chunks[c], start, false);
		if (pa != PAGE_POOL_VACANT) {
			*index = c;
			*va = pool->va + start * PAGE_SIZE;
			break;
		}
	}
	spin_unlock(&pool->lock);
	return pa;
}

u64 page_pool_pa(const struct page_pool *pool, const void *va)
{
	u64 offset = (const u8 *)va - pool->va, index, start = 0;
	unsigned int i;

	if ((const u8 *)va < pool->va || offset >= pool->span * PAGE_SIZE)
		return ~0ull;
	index = offset / PAGE_SIZE;
	for (i = 0; i < pool->nr_chunks; i++) {
		const struct page_pool_chunk *c = &pool->chunks[i];

		if (index < start + c->nr_pages)
			return c->pa == PAGE_POOL_VACANT ? ~0ull :
			       c->pa + (index - start) * PAGE_SIZE +
			       offset % PAGE_SIZE;
		start += c->nr_pages;
	}
	return ~0ull;
}

void *page_pool_va(const struct page_pool *pool, u64 pa)
{
	u64 start = 0;
	unsigned int i;

	for (i = 0; i < pool->nr_chunks; i++) {
		const struct page_pool_chunk *c = &pool->chunks[i];

		if (c->pa != PAGE_POOL_VACANT && pa >= c->pa &&
		    pa - c->pa < c->nr_pages * PAGE_SIZE)
			return pool->va + start * PAGE_SIZE + (pa - c->pa);
		start += c->nr_pages;
	}
	return NULL;
}
