/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The p2m: a domain's guest-physical to machine map, kept in the nested
 * page-table format the CPU walks (NPT on AMD, EPT on Intel). The walker
 * here is common; a struct p2m_format says how entries are encoded.
 *
 * Levels count from the leaves: 1 maps 4K pages, 2 maps 2M, 3 maps 1G;
 * the root is level 4, or 5 when the host uses 5-level paging. Changes
 * are not flushed from any TLB here: that is the caller's job. Setting a
 * whole aligned 2M or 1G range frees the tables below it; otherwise
 * tables stay, and are never merged back into larger leaves.
 */
#ifndef HV_P2M_H
#define HV_P2M_H

#include <kxen/types.h>
#include <hv/page_pool.h>
#include <hv/x86_arch.h>

enum p2m_type {
	P2M_INVALID,		/* not mapped: an access exits to the hypervisor */
	P2M_RAM,		/* read, write and execute; made write-back */
	P2M_MMIO,		/* read, write and execute; made uncached */
};

struct p2m_format {
	u64 (*make_leaf)(u64 hpa, unsigned int level, enum p2m_type type);
	u64 (*make_table)(u64 table_pa);
	bool (*present)(u64 entry);
	/* A present entry at LEVEL maps memory rather than a table. */
	bool (*is_leaf)(u64 entry, unsigned int level);
	enum p2m_type (*leaf_type)(u64 entry);
	/*
	 * A leaf's memory type, for formats whose entries carry one of
	 * their own (EPT); NULL where the host's MTRRs decide (NPT).
	 */
	enum mem_type (*leaf_mem_type)(u64 entry);
	u64 (*set_mem_type)(u64 entry, enum mem_type type);
	u64 addr_mask;		/* physical-address bits of an entry */
};

struct p2m {
	const struct p2m_format *fmt;
	struct page_pool *pool;
	unsigned int levels;		/* 4 or 5 */
	unsigned int max_leaf_level;	/* 3 with 1G pages, else 2 */
	u64 *root;
	u64 root_pa;
	u64 table_pages;		/* in the tables, the root included */
	/*
	 * Xen's paging pool: pool_pages are kept for the tables, those in
	 * use included, with the rest as spares (linked through their
	 * first word). Tables come from the spares first and go back to
	 * them while the pool is short; past its size they come from and
	 * go to the page pool, where Xen would fail instead.
	 */
	u64 pool_pages;
	u64 *spare;
	u64 nr_spare;
};

/* The addresses the tables can map: [0, reach). */
static inline u64 p2m_reach(const struct p2m *p2m)
{
	return 1ull << (PAGE_SHIFT + 9 * p2m->levels);
}

int p2m_init(struct p2m *p2m, const struct p2m_format *fmt,
	     unsigned int levels, unsigned int max_leaf_level,
	     struct page_pool *pool);
/* Frees every table page and every spare one. */
void p2m_destroy(struct p2m *p2m);

/*
 * Make the paging pool PAGES pages, taking at most MAX_NEW from the page
 * pool (spares are freed at once down to what the tables use). Returns
 * the pages still missing, 0 when done, or -ENOMEM when the page pool
 * ran dry; what was added stays.
 */
long p2m_resize_pool(struct p2m *p2m, u64 pages, u64 max_new);

/* Bytes in the paging pool: tables in use and spares. */
static inline u64 p2m_pool_bytes(const struct p2m *p2m)
{
	return (p2m->table_pages + p2m->nr_spare) << PAGE_SHIFT;
}

/*
 * Map [gpa, gpa + size) to [hpa, ...) as TYPE, or unmap it with
 * P2M_INVALID (hpa is then ignored), using the largest pages alignment
 * allows and splitting or freeing tables as needed. Addresses and size
 * are page aligned. Returns 0, -EINVAL for a bad range, or -ENOMEM when
 * the pool ran out; the range may then be partly changed.
 */
int p2m_set(struct p2m *p2m, u64 gpa, u64 hpa, u64 size, enum p2m_type type);

/*
 * Give the mapped pages of [gpa, gpa + size) memory type MT, splitting
 * a large leaf only where it is partly in the range and of another type;
 * holes stay holes, and what each page maps does not change. The same
 * errors as p2m_set(), and -EOPNOTSUPP for formats without memory types.
 * Tables are added, never freed, so a concurrent walk stays safe.
 */
int p2m_set_mem_type(struct p2m *p2m, u64 gpa, u64 size, enum mem_type mt);

/* GPA's memory type: -ENOENT if unmapped, -EOPNOTSUPP as above. */
int p2m_mem_type(const struct p2m *p2m, u64 gpa);

/* Bytes one entry at LEVEL covers. */
#define P2M_LEVEL_SIZE(level)	(1ull << (PAGE_SHIFT + 9 * ((level) - 1)))

/*
 * Where GPA goes: its type, and if mapped the machine address; LEVEL is
 * the mapping leaf's level or, unmapped, that of the empty entry, so
 * that the whole aligned P2M_LEVEL_SIZE(*LEVEL) range around GPA is
 * mapped by the one leaf, or is all a hole.
 */
enum p2m_type p2m_lookup(const struct p2m *p2m, u64 gpa, u64 *hpa,
			 unsigned int *level);

#endif /* HV_P2M_H */
