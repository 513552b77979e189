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
 *
 * The pool grows by chunks added at its end, or into the place of one
 * taken out, and shrinks by chunks that are wholly free. A place keeps
 * its address range when its chunk goes, so the others do not move.
 */
#ifndef HV_PAGE_POOL_H
#define HV_PAGE_POOL_H

#include <kxen/types.h>
#include <hv/spinlock.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1ul << PAGE_SHIFT)

/* The physical address of a place whose chunk was taken out. */
#define PAGE_POOL_VACANT	(~0ull)

/* A physically contiguous piece of the pool, in the order mapped. */
struct page_pool_chunk {
	u64 pa;				/* or PAGE_POOL_VACANT */
	u64 nr_pages;
};

struct page_pool {
	u8 *va;				/* first byte of the pool */
	u64 nr_pages;			/* in its chunks, vacant places not */
	u64 span;			/* pages its places cover */
	u64 max_span;			/* pages the bitmap can cover */
	struct page_pool_chunk *chunks;	/* kept in the pool */
	unsigned int nr_chunks;		/* places, vacant ones too */
	unsigned int max_chunks;
	u64 *used;			/* bitmap, one bit a page, in the pool */
	u64 nr_free;
	u64 hint;			/* every page below it is used */
	struct hv_spinlock lock;
};

/*
 * Take over the pool at VA, made of CHUNKS in order; it may grow to
 * MAX_CHUNKS places covering MAX_SPAN pages. The bitmap and a copy of
 * the chunks are kept in the pool's first pages. Returns 0, or -1 if the
 * pool cannot even hold them.
 */
int page_pool_init(struct page_pool *pool, void *va,
		   const struct page_pool_chunk *chunks,
		   unsigned int nr_chunks, unsigned int max_chunks,
		   u64 max_span);

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

/*
 * Adds the chunk at PA of NR_PAGES pages: in the first vacant place of
 * that size at or after place FIRST, else at the end. Its pages come
 * in used; the caller maps them at the address returned and frees them
 * when they may be handed out. NULL when the pool cannot grow so.
 */
void *page_pool_add(struct page_pool *pool, u64 pa, u64 nr_pages,
		    unsigned int first);

/*
 * Takes out the chunk mapped at VA, if none of its pages is used, and
 * returns its physical address; PAGE_POOL_VACANT when it cannot. HELD:
 * the caller still has all its pages, as page_pool_add() gave them.
 */
u64 page_pool_remove(struct page_pool *pool, void *va, bool held);

/*
 * Takes out the first chunk at or after place FIRST none of whose pages
 * is used: returns its physical address, its place in *INDEX and where
 * it was mapped in *VA; PAGE_POOL_VACANT when there is none.
 */
u64 page_pool_remove_free(struct page_pool *pool, unsigned int first,
			  unsigned int *index, void **va);

/* Translations for memory inside the pool; ~0 or NULL outside it. */
u64 page_pool_pa(const struct page_pool *pool, const void *va);
void *page_pool_va(const struct page_pool *pool, u64 pa);

#endif /* HV_PAGE_POOL_H */
