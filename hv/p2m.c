// SPDX-License-Identifier: GPL-2.0
/*
 * Building and walking a domain's nested page tables, whatever their
 * entry format. The only allocations are table pages: from the p2m's
 * spare pages (its paging pool) while it has any, else from the pool.
 */
#include <hv/errno.h>
#include <hv/p2m.h>
#include <hv/string.h>

#define ENTRIES		512
#define LEVEL_SHIFT(l)	(PAGE_SHIFT + 9 * ((l) - 1))
#define INDEX(gpa, l)	(((gpa) >> LEVEL_SHIFT(l)) & (ENTRIES - 1))

static u64 *table_of(const struct p2m *p2m, u64 entry)
{
	return page_pool_va(p2m->pool, entry & p2m->fmt->addr_mask);
}

static bool is_table(const struct p2m *p2m, u64 entry, unsigned int level)
{
	return level > 1 && p2m->fmt->present(entry) &&
	       !p2m->fmt->is_leaf(entry, level);
}

/* Spare pages are linked through their first word. */
static void spare_push(struct p2m *p2m, u64 *page)
{
	page[0] = (u64)p2m->spare;
	p2m->spare = page;
	p2m->nr_spare++;
}

static u64 *spare_pop(struct p2m *p2m)
{
	u64 *page = p2m->spare;

	if (page) {
		p2m->spare = (u64 *)page[0];
		p2m->nr_spare--;
	}
	return page;
}

/* A zeroed table page. */
static u64 *table_alloc(struct p2m *p2m)
{
	u64 *table = spare_pop(p2m);

	if (table)
		memset(table, 0, PAGE_SIZE);	/* it held old entries */
	else
		table = page_alloc(p2m->pool);
	if (table)
		p2m->table_pages++;
	return table;
}

/* Back to the paging pool while it is short of its size, else freed. */
static void table_free(struct p2m *p2m, u64 *table)
{
	p2m->table_pages--;
	if (p2m->table_pages + p2m->nr_spare < p2m->pool_pages)
		spare_push(p2m, table);
	else
		page_free(p2m->pool, table);
}

/* Frees the table ENTRY points to at LEVEL, and every table below it. */
static void free_tables(struct p2m *p2m, u64 entry, unsigned int level)
{
	u64 *table;
	int i;

	if (!is_table(p2m, entry, level))
		return;
	table = table_of(p2m, entry);
	for (i = 0; i < ENTRIES; i++)
		free_tables(p2m, table[i], level - 1);
	table_free(p2m, table);
}

int p2m_init(struct p2m *p2m, const struct p2m_format *fmt,
	     unsigned int levels, unsigned int max_leaf_level,
	     struct page_pool *pool)
{
	if ((levels != 4 && levels != 5) || max_leaf_level < 1 ||
	    max_leaf_level > 3)
		return -EINVAL;
	*p2m = (struct p2m){
		.fmt = fmt,
		.pool = pool,
		.levels = levels,
		.max_leaf_level = max_leaf_level,
	};
	p2m->root = table_alloc(p2m);
	if (!p2m->root)
		return -ENOMEM;
	p2m->root_pa = page_pool_pa(pool, p2m->root);
	return 0;
}

void p2m_destroy(struct p2m *p2m)
{
	int i;

	p2m->pool_pages = 0;
	for (i = 0; i < ENTRIES; i++)
		free_tables(p2m, p2m->root[i], p2m->levels);
	table_free(p2m, p2m->root);
	p2m->root = NULL;
	p2m_resize_pool(p2m, 0, 0);
}

long p2m_resize_pool(struct p2m *p2m, u64 pages, u64 max_new)
{
	u64 *page;

	p2m->pool_pages = pages;
	while (p2m->table_pages + p2m->nr_spare > pages && p2m->spare)
		page_free(p2m->pool, spare_pop(p2m));
	for (; p2m->table_pages + p2m->nr_spare < pages; max_new--) {
		if (!max_new)
			return pages - p2m->table_pages - p2m->nr_spare;
		page = page_alloc(p2m->pool);
		if (!page)
			return -ENOMEM;
		spare_push(p2m, page);
	}
	return 0;
}

/*
 * The table below *ENTRY at LEVEL, made if needed: an empty one for a hole,
 * or, for a large leaf, one whose smaller leaves map the same memory.
 */
static u64 *subtable(struct p2m *p2m, u64 *entry, unsigned int level)
{
	const struct p2m_format *fmt = p2m->fmt;
	u64 *table;
	int i;

	if (is_table(p2m, *entry, level))
		return table_of(p2m, *entry);
	table = table_alloc(p2m);
	if (!table)
		return NULL;
	if (fmt->present(*entry)) {
		u64 hpa = *entry & fmt->addr_mask & ~(P2M_LEVEL_SIZE(level) - 1);
		enum p2m_type type = fmt->leaf_type(*entry);

		for (i = 0; i < ENTRIES; i++) {
			table[i] = fmt->make_leaf(hpa + i * P2M_LEVEL_SIZE(level - 1),
						  level - 1, type);
			if (fmt->set_mem_type)
				table[i] = fmt->set_mem_type(table[i],
						fmt->leaf_mem_type(*entry));
		}
	}
	*entry = fmt->make_table(page_pool_pa(p2m->pool, table));
	return table;
}

static int set_range(struct p2m *p2m, u64 *table, unsigned int level,
		     u64 gpa, u64 hpa, u64 size, enum p2m_type type)
{
	u64 entry_size = P2M_LEVEL_SIZE(level);

	while (size) {
		u64 *entry = &table[INDEX(gpa, level)];
		u64 end = (gpa | (entry_size - 1)) + 1;
		u64 part = end - gpa < size ? end - gpa : size;
		bool whole = part == entry_size;
		int err;

		if (whole && level <= p2m->max_leaf_level &&
		    (type == P2M_INVALID || !(hpa & (entry_size - 1)))) {
			free_tables(p2m, *entry, level);
			*entry = type == P2M_INVALID ? 0 :
				 p2m->fmt->make_leaf(hpa, level, type);
		} else {
			u64 *sub = subtable(p2m, entry, level);

			if (!sub)
				return -ENOMEM;
			err = set_range(p2m, sub, level - 1, gpa, hpa, part,
					type);
			if (err)
				return err;
		}
		gpa += part;
		hpa += part;
		size -= part;
	}
	return 0;
}

static bool range_valid(const struct p2m *p2m, u64 gpa, u64 size)
{
	u64 reach = p2m_reach(p2m);

	return !((gpa | size) & (PAGE_SIZE - 1)) && gpa < reach &&
	       size <= reach - gpa;
}

int p2m_set(struct p2m *p2m, u64 gpa, u64 hpa, u64 size, enum p2m_type type)
{
	if (!range_valid(p2m, gpa, size) || (hpa & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (type != P2M_INVALID && (hpa & ~p2m->fmt->addr_mask) & ~(PAGE_SIZE - 1))
		return -EINVAL;
	return set_range(p2m, p2m->root, p2m->levels, gpa, hpa, size, type);
}

static int set_mem_type_range(struct p2m *p2m, u64 *table, unsigned int level,
			      u64 gpa, u64 size, enum mem_type mt)
{
	const struct p2m_format *fmt = p2m->fmt;
	u64 entry_size = P2M_LEVEL_SIZE(level);

	while (size) {
		u64 *entry = &table[INDEX(gpa, level)];
		u64 end = (gpa | (entry_size - 1)) + 1;
		u64 part = end - gpa < size ? end - gpa : size;
		bool table = is_table(p2m, *entry, level);
		bool retype = !table && fmt->present(*entry) &&
			      fmt->leaf_mem_type(*entry) != mt;
		u64 *sub = NULL;
		int err;

		if (table) {
			sub = table_of(p2m, *entry);
		} else if (retype && part == entry_size) {
			*entry = fmt->set_mem_type(*entry, mt);
		} else if (retype) {
			sub = subtable(p2m, entry, level);
			if (!sub)
				return -ENOMEM;
		}
		if (sub) {
			err = set_mem_type_range(p2m, sub, level - 1, gpa, part,
						 mt);
			if (err)
				return err;
		}
		gpa += part;
		size -= part;
	}
	return 0;
}

int p2m_set_mem_type(struct p2m *p2m, u64 gpa, u64 size, enum mem_type mt)
{
	if (!p2m->fmt->set_mem_type)
		return -EOPNOTSUPP;
	if (!range_valid(p2m, gpa, size))
		return -EINVAL;
	return set_mem_type_range(p2m, p2m->root, p2m->levels, gpa, size, mt);
}

/*
 * The leaf that maps GPA, and its level; NULL where nothing does, with
 * the level of the empty entry (the root's beyond the reach).
 */
static const u64 *find_leaf(const struct p2m *p2m, u64 gpa,
			    unsigned int *level)
{
	const struct p2m_format *fmt = p2m->fmt;
	const u64 *table = p2m->root;
	unsigned int l;

	*level = p2m->levels;
	if (gpa >= p2m_reach(p2m))
		return NULL;
	for (l = p2m->levels; l >= 1; l--) {
		const u64 *entry = &table[INDEX(gpa, l)];

		*level = l;
		if (!fmt->present(*entry))
			return NULL;
		if (l == 1 || fmt->is_leaf(*entry, l)) {
			*level = l;
			return entry;
		}
		table = table_of(p2m, *entry);
	}
	return NULL;
}

enum p2m_type p2m_lookup(const struct p2m *p2m, u64 gpa, u64 *hpa,
			 unsigned int *level)
{
	const u64 *leaf = find_leaf(p2m, gpa, level);

	if (!leaf)
		return P2M_INVALID;
	*hpa = (*leaf & p2m->fmt->addr_mask & ~(P2M_LEVEL_SIZE(*level) - 1)) +
	       (gpa & (P2M_LEVEL_SIZE(*level) - 1));
	return p2m->fmt->leaf_type(*leaf);
}

int p2m_mem_type(const struct p2m *p2m, u64 gpa)
{
	unsigned int level;
	const u64 *leaf;

	if (!p2m->fmt->leaf_mem_type)
		return -EOPNOTSUPP;
	leaf = find_leaf(p2m, gpa, &level);
	return leaf ? (int)p2m->fmt->leaf_mem_type(*leaf) : -ENOENT;
}
