/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor's page allocator, over the memory dom0 donated.
 *
 * The pool is one range of the hypervisor's address space, backed by
 * physically separate chunks (as dom0 could give them). Multi-page
 * allocations are physically contiguous, as VMCBs' permission maps need,
 * so they never straddle two chunks. Dom0 donates 2 MiB chunks, 2 MiB
 * aligned: an allocation of 512 pages is a whole chunk, so a guest gets
 * it as one large page.
 */
#ifndef HV_PAGE_POOL_H
#define HV_PAGE_POOL_H

#include <kxen/types.h>
#include <hv/spinlock.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1ul << PAGE_SHIFT)

/* A physically contiguous piece of the pool, in the order mapped. */
struct page_pool_chunk {
	u64 pa;
	u64 nr_pages;
};

struct page_pool {
	u8 *va;				/* first byte of the pool */
	u64 nr_pages;
	const struct page_pool_chunk *chunks;
	unsigned int nr_chunks;
	u64 *used;			/* bitmap, one bit a page, in the pool */
	u64 nr_free;
	u64 hint;			/* every page below it is used */
	struct hv_spinlock lock;
};

/*
 * Take over the pool at VA, made of CHUNKS in order. The bitmap is kept in
 * the pool's first pages. Returns 0, or -1 if the pool cannot even hold
 * its bitmap. CHUNKS must outlive the pool.
 */
int page_pool_init(struct page_pool *pool, void *va,
		   const struct page_pool_chunk *chunks,
		   unsigned int nr_chunks);

/* N zeroed, physically contiguous pages; NULL when none are free. */
void *pages_alloc(struct page_pool *pool, u64 n);
void pages_free(struct page_pool *pool, void *va, u64 n);

static inline void *page_alloc(struct page_pool *pool)
{
	return pages_alloc(pool, 1);
}

static inline void page_free(struct page_pool *pool, void *va)
{
	pages_free(pool, va, 1);
}

/* Translations for memory inside the pool; ~0 or NULL outside it. */
u64 page_pool_pa(const struct page_pool *pool, const void *va);
void *page_pool_va(const struct page_pool *pool, u64 pa);

#endif /* HV_PAGE_POOL_H */
