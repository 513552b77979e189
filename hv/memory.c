// SPDX-License-Identifier: GPL-2.0
/*
 * The memory_op hypercall: a guest's RAM, with Xen 4.17's semantics.
 * Guest pages come from the hypervisor pool, which dom0 cannot reach, and
 * are mapped in the domain's own p2m. Dom0's memory is its own RAM, fixed
 * at the handover: ops on it change nothing.
 *
 * A claim (claim_pages) sets pool pages aside for a domain that is about
 * to be built: other domains' populates may not take them, and the
 * domain's own populates use the claim up. Table pages of the p2m are not
 * counted against claims (Xen takes those from a separate paging pool).
 *
 * populate_physmap and decrease_reservation return how many extents
 * they did, and stop at the first one they cannot do, as in Xen. A call
 * that has done enough work for one go asks to be made again from where
 * it stopped (a continuation, with the extent index in the command's
 * high bits as Xen encodes it), so the CPU takes its interrupts between.
 */
#include <hv/compat.h>
#include <hv/domain.h>
#include <hv/foreign.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/pool.h>
#include <hv/printk.h>
#include <hv/xen.h>
#include <xen/memory.h>

/* Xen's encoding of a continuation's start extent in the command. */
#define MEMOP_EXTENT_SHIFT	6
#define MEMOP_CMD_MASK		((1u << MEMOP_EXTENT_SHIFT) - 1)
/* Xen's limit for the control domain: 1 GiB extents. */
#define MAX_EXTENT_ORDER	18
/* And for other domains (CONFIG_DOMU_MAX_ORDER): 2 MiB. */
#define DOMU_MAX_EXTENT_ORDER	9
/* Pages allocated or freed before a call lets the CPU go. */
#define PAGES_PER_GO		1024
/* Xen's own limit (asm/e820.h); the tools' E820MAX is 128. */
#define XEN_E820MAX		1024
/* A packed struct e820entry of xenctrl.h: addr, size and type. */
#define E820_ENTRY_SIZE		20

/* Pages claimed by all domains and not yet populated. */
static u64 outstanding_claims;

u64 memory_outstanding_claims(void)
{
	return outstanding_claims;
}

/*
 * Whether D may take N more pages from the pool: pages other domains
 * have claimed are not free to it, as in Xen's alloc_heap_pages().
 */
static bool claims_allow(const struct domain *d, u64 n)
{
	return outstanding_claims + n <= hv_pool.nr_free ||
	       d->outstanding_pages >= n;
}

/*
 * Whether D's populate of N pages should first have the pool grow: it
 * would take pages others claimed, or some of the reserve that pool
 * growth itself needs (hv/pool.c). D's own claim is no reason.
 */
static bool pool_short(const struct domain *d, u64 n)
{
	return d->outstanding_pages < n &&
	       hv_pool.nr_free < outstanding_claims + n + POOL_RESERVE;
}

/*
 * D's RAM grows by DELTA pages (shrinks if negative), and its claim
 * shrinks by as much (or grows: Xen 4.17's domain_adjust_tot_pages()
 * gives a claim back what the domain frees while it holds one).
 */
static void adjust_tot_pages(struct domain *d, s64 delta)
{
	s64 claim = (s64)d->outstanding_pages - delta;

	d->tot_pages += delta;
	if (!d->outstanding_pages)
		return;
	if (claim < 0)
		claim = 0;
	outstanding_claims += claim - d->outstanding_pages;
	d->outstanding_pages = claim;
}

/*
 * Xen's domain_set_outstanding_pages(): a claim for D to reach PAGES in
 * all, or none when PAGES is 0. One claim at a time; it must be more
 * than D has and no more than its max_mem, and fit in what is free and
 * not claimed.
 */
static long set_claim(struct domain *d, u64 pages)
{
	u64 claim;

	if (!pages) {
		outstanding_claims -= d->outstanding_pages;
		d->outstanding_pages = 0;
		return 0;
	}
	if (d->outstanding_pages || pages <= d->tot_pages ||
	    pages > d->max_pages)
		return -XEN_EINVAL;
	claim = pages - d->tot_pages;
	if (outstanding_claims + claim > hv_pool.nr_free)
		return -XEN_ENOMEM;
	d->outstanding_pages = claim;
	outstanding_claims += claim;
	return 0;
}

/* The end of the leaf or hole that holds GPA, capped at END. */
static u64 piece_end(u64 gpa, unsigned int level, u64 end)
{
	u64 next = (gpa | (P2M_LEVEL_SIZE(level) - 1)) + 1;

	return next < end && next ? next : end;
}

/* Whether nothing of [gpa, end) is mapped. */
static bool range_empty(const struct p2m *p2m, u64 gpa, u64 end)
{
	unsigned int level;
	u64 hpa;

	for (; gpa < end; gpa = piece_end(gpa, level, end))
		if (p2m_lookup(p2m, gpa, &hpa, &level) != P2M_INVALID)
			return false;
	return true;
}

/* The CPUs D's vCPUs run on now, whose TLBs may hold its p2m. */
static u64 cpus_running(const struct domain *d)
{
	u64 cpus = 0;
	u32 i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i] && d->vcpu[i]->running)
			cpus |= 1ull << d->vcpu[i]->processor;
	return cpus;
}

/*
 * Unmaps [gpa, end) of D and frees its RAM, leaf by leaf: each piece is
 * unmapped before its pages go back to the pool. Stops at the first page
 * that is not RAM when STOP_AT_HOLE, as Xen's decrease_reservation does.
 * Returns 0, -XEN_ENOENT for that hole, or -XEN_ENOMEM when splitting a
 * large leaf needs a table page the pool does not have. Pages dom0 maps
 * stay until it unmaps them, and pages of a running guest until the
 * CPUs it runs on have flushed their TLBs (hv/foreign.c).
 */
static long release(struct domain *d, u64 gpa, u64 end, bool stop_at_hole)
{
	unsigned int level;
	u64 hpa, next, n;

	for (; gpa < end; gpa = next) {
		enum p2m_type type = p2m_lookup(&d->p2m, gpa, &hpa, &level);

		next = piece_end(gpa, level, end);
		if (type != P2M_RAM) {
			if (stop_at_hole)
				return -XEN_ENOENT;
			continue;
		}
		if (p2m_set(&d->p2m, gpa, 0, next - gpa, P2M_INVALID))
			return -XEN_ENOMEM;
		/* Xen's special page: only taken out of the p2m. */
		if (is_shared_info(d, hpa)) {
			d->shared_info_gfn = INVALID_GFN;
			continue;
		}
		n = (next - gpa) >> PAGE_SHIFT;
		guest_pages_free(page_pool_va(&hv_pool, hpa), n,
				 cpus_running(d));
		adjust_tot_pages(d, -(s64)n);
	}
	return 0;
}

static void e820_free(struct domain *d)
{
	if (d->e820_pages)
		pages_free(&hv_pool, d->e820, d->e820_pages);
	d->e820 = NULL;
	d->nr_e820 = 0;
	d->e820_pages = 0;
}

void domain_memory_release(struct domain *d)
{
	set_claim(d, 0);
	release(d, 0, p2m_reach(&d->p2m), false);
	e820_free(d);
}

/*
 * Backs [gpa, gpa + (PAGE_SIZE << order)) of D with zeroed pool pages,
 * whole 2 MiB chunks where the range allows (the guest then gets large
 * pages), single pages elsewhere. For a translated guest an extent need
 * not be machine-contiguous, so a 1 GiB extent is 512 chunks. When no
 * whole chunk is free, single pages make up a 2 MiB piece, unless
 * WHOLE_CHUNKS: the caller may grow the pool instead (-XEN_ENOMEM).
 */
static long populate_extent(struct domain *d, u64 gpa, unsigned int order,
			    bool whole_chunks)
{
	u64 end = gpa + (PAGE_SIZE << order), at, n;
	void *pages;

	if (end > (1ull << hv_machine.phys_addr_bits) ||
	    end > p2m_reach(&d->p2m) || end <= gpa)
		return -XEN_EINVAL;
	if (d->tot_pages + (1ull << order) > d->max_pages)
		return -XEN_ENOMEM;
	/* Xen would drop the old pages; kxen refuses to overwrite RAM. */
	if (!range_empty(&d->p2m, gpa, end))
		return -XEN_EEXIST;
	for (at = gpa; at < end; at += n << PAGE_SHIFT) {
		n = 1;
		pages = NULL;
		if (!(at & (CHUNK_PAGES * PAGE_SIZE - 1)) &&
		    end - at >= CHUNK_PAGES * PAGE_SIZE &&
		    claims_allow(d, CHUNK_PAGES)) {
			n = CHUNK_PAGES;
			pages = pages_alloc(&hv_pool, n);
			if (!pages && !whole_chunks)
				n = 1;
		}
		if (!pages && n == 1 && claims_allow(d, 1))
			pages = page_alloc(&hv_pool);
		if (!pages ||
		    p2m_set(&d->p2m, at, page_pool_pa(&hv_pool, pages),
			    n << PAGE_SHIFT, P2M_RAM)) {
			if (pages)
				pages_free(&hv_pool, pages, n);
			release(d, gpa, at, false);
			return -XEN_ENOMEM;
		}
		adjust_tot_pages(d, n);
	}
	if ((end >> PAGE_SHIFT) - 1 > d->max_mapped_gfn)
		d->max_mapped_gfn = (end >> PAGE_SHIFT) - 1;
	return 0;
}

/* Whether the caller passes Xen's structures in the 32-bit layout. */
static bool caller_is_32bit(const struct hv_cpu *cpu)
{
	return cpu->vcpu && !cpu->guest_long_mode;
}

/* A struct xen_memory_reservation at ARG, in the caller's layout. */
static int reservation_arg(struct hv_cpu *cpu, u64 arg,
			   struct xen_memory_reservation *r)
{
	struct compat_memory_reservation c;

	if (!caller_is_32bit(cpu))
		return copy_from_guest(cpu, r, arg, sizeof(*r));
	if (copy_from_guest(cpu, &c, arg, sizeof(c)))
		return -1;
	*r = (struct xen_memory_reservation){
		.nr_extents = c.nr_extents, .extent_order = c.extent_order,
		.mem_flags = c.mem_flags, .domid = c.domid,
	};
	r->extent_start.p = (xen_pfn_t *)(u64)c.extent_start;
	return 0;
}

/* Extent I's first gfn as guest-physical address *GPA: 0 or -1. */
static int extent_gpa(struct hv_cpu *cpu,
		      const struct xen_memory_reservation *r, u64 i, u64 *gpa)
{
	u64 base = (u64)r->extent_start.p;
	u32 gfn32;

	if (caller_is_32bit(cpu)) {
		if (copy_from_guest(cpu, &gfn32, base + i * 4, 4))
			return -1;
		*gpa = (u64)gfn32 << PAGE_SHIFT;
		return 0;
	}
	if (copy_from_guest(cpu, gpa, base + i * sizeof(xen_pfn_t),
			    sizeof(xen_pfn_t)))
		return -1;
	*gpa <<= PAGE_SHIFT;
	return 0;
}

/*
 * Xen's populate_physmap and decrease_reservation: dom0 for any guest,
 * a guest for itself with extents up to 2 MiB (Xen's domU limit).
 */
static long reservation_op(struct hv_cpu *cpu, unsigned int op,
			   u64 start, u64 arg)
{
	u32 max_order = cpu->vcpu ? DOMU_MAX_EXTENT_ORDER : MAX_EXTENT_ORDER;
	bool populate = op == XENMEM_populate_physmap, grow, short_of_pool = false;
	struct xen_memory_reservation r;
	u64 i, budget = 0, gpa, extent_pages;
	struct domain *d;
	long err = 0;

	if (reservation_arg(cpu, arg, &r) ||
	    r.nr_extents > (~0u >> MEMOP_EXTENT_SHIFT) ||
	    start >= r.nr_extents || r.extent_order > max_order)
		return start;
	spin_lock(&domain_lock);
	d = domain_by_any_id(cpu, r.domid);
	/* Dom0's RAM is not the pool's: it cannot grow or shrink. */
	if (!d || d->id == 0 || !caller_may_target(cpu, d) ||
	    r.mem_flags & XENMEMF_populate_on_demand) {
		spin_unlock(&domain_lock);
		return start;
	}
	extent_pages = 1ull << r.extent_order;
	grow = populate && pool_may_grow(cpu);
	for (i = start; i < r.nr_extents && budget < PAGES_PER_GO; i++) {
		if (extent_gpa(cpu, &r, i, &gpa))
			break;
		if (grow && pool_short(d, extent_pages)) {
			short_of_pool = true;
			break;
		}
		if (populate)
			err = populate_extent(d, gpa, r.extent_order, grow);
		else
			err = release(d, gpa, gpa + (PAGE_SIZE << r.extent_order),
				      true);
		/* Short of table pages, or of a run of pages: grow too. */
		if (grow && err == -XEN_ENOMEM &&
		    d->tot_pages + extent_pages <= d->max_pages) {
			short_of_pool = true;
			err = 0;
		}
		if (err || short_of_pool)
			break;
		budget += extent_pages;
	}
	if (err)
		hv_printk("d%u: memory op %u stopped at extent %llu (%ld)\n",
			  d->id, op, (unsigned long long)i, err);
	spin_unlock(&domain_lock);
	if ((short_of_pool &&
	     pool_ask(cpu, (r.nr_extents - i) * extent_pages)) ||
	    (!err && i < r.nr_extents && budget >= PAGES_PER_GO))
		return hypercall_continue(cpu, op | i << MEMOP_EXTENT_SHIFT,
					  arg);
	return i;
}

/*
 * Xen's arch_set_paging_mempool_size() for HVM: the size in whole pages
 * that fit 32 bits. Growth takes PAGES_PER_GO pages at a time from what
 * no domain has claimed (Xen takes these pages unowned, and claims bind
 * unowned allocations too), and dom0's call leaves the pool's reserve.
 */
long domain_set_paging_pool(struct hv_cpu *cpu, struct domain *d, u64 bytes)
{
	u64 pages = bytes >> PAGE_SHIFT, avail = 0, step, keep;
	long missing;

	if (bytes & (PAGE_SIZE - 1) || pages != (u32)pages)
		return -XEN_EINVAL;
	keep = outstanding_claims + (pool_may_grow(cpu) ? POOL_RESERVE : 0);
	if (hv_pool.nr_free > keep)
		avail = hv_pool.nr_free - keep;
	step = avail < PAGES_PER_GO ? avail : PAGES_PER_GO;
	missing = p2m_resize_pool(&d->p2m, pages, step);
	if (missing < 0 || (missing && step < PAGES_PER_GO))
		/* Short of pool: when it may grow, the call goes on after. */
		return pool_ask(cpu, missing > 0 ? missing : PAGES_PER_GO) ?
		       1 : -XEN_ENOMEM;
	return missing ? 1 : 0;
}

/* claim_pages: Xen checks the arguments, then the domain, in this order. */
static long claim_pages(struct hv_cpu *cpu, u64 arg)
{
	struct xen_memory_reservation r;
	struct domain *d;
	u64 short_by = 0;
	long ret;

	if (copy_from_guest(cpu, &r, arg, sizeof(r)))
		return -XEN_EFAULT;
	if (r.extent_start.p || r.extent_order || r.mem_flags)
		return -XEN_EINVAL;
	spin_lock(&domain_lock);
	d = domain_find(r.domid);
	ret = d ? set_claim(d, r.nr_extents) : -XEN_EINVAL;
	/* Only the pool's size can make a valid claim -ENOMEM. */
	if (ret == -XEN_ENOMEM)
		short_by = r.nr_extents - d->tot_pages + outstanding_claims -
			   hv_pool.nr_free;
	spin_unlock(&domain_lock);
	if (short_by && pool_ask(cpu, short_by))
		return hypercall_continue(cpu, XENMEM_claim_pages, arg);
	return ret;
}

/* current_reservation, maximum_reservation, maximum_gpfn. */
static long domain_memory_query(struct hv_cpu *cpu, unsigned int op, u64 arg)
{
	struct xen_memory_domain md;
	struct domain *d;
	long ret;

	if (copy_from_guest(cpu, &md, arg, sizeof(md)))
		return -XEN_EFAULT;
	spin_lock(&domain_lock);
	d = domain_by_any_id(cpu, md.domid);
	if (!d)
		ret = -XEN_ESRCH;
	else if (!caller_may_target(cpu, d))
		ret = -XEN_EPERM;
	else if (op == XENMEM_current_reservation)
		ret = d->tot_pages;
	else if (op == XENMEM_maximum_reservation)
		ret = d->max_pages;
	else
		ret = d->id ? d->max_mapped_gfn : hv_machine.max_mfn;
	spin_unlock(&domain_lock);
	return ret;
}

/*
 * Reads the argument of set_memory_map (FOREIGN) or memory_map at ARG
 * into *FMAP (its domid unset for memory_map), in the caller's ABI.
 */
static int memory_map_arg(struct hv_cpu *cpu, u64 arg, bool foreign,
			  struct xen_foreign_memory_map *fmap)
{
	struct compat_foreign_memory_map f32 = { 0 };

	if (!caller_is_32bit(cpu))
		return foreign ? copy_from_guest(cpu, fmap, arg, sizeof(*fmap)) :
				 copy_from_guest(cpu, &fmap->map, arg,
						 sizeof(fmap->map));
	if (foreign ? copy_from_guest(cpu, &f32, arg, sizeof(f32)) :
		      copy_from_guest(cpu, &f32.map, arg, sizeof(f32.map)))
		return -1;
	fmap->domid = f32.domid;
	fmap->map.nr_entries = f32.map.nr_entries;
	fmap->map.buffer.p = (void *)(u64)f32.map.buffer;
	return 0;
}

/*
 * XENMEM_set_memory_map: the E820 map a domain's XENMEM_memory_map
 * returns (the toolstack's, for a PVH guest). As in Xen it is kept as
 * given, up to 1024 entries, and a domain may set its own.
 */
static long set_memory_map(struct hv_cpu *cpu, u64 arg)
{
	struct xen_foreign_memory_map fmap;
	u64 bytes, pages;
	struct domain *d;
	void *map;
	long ret = 0;

	if (memory_map_arg(cpu, arg, true, &fmap))
		return -XEN_EFAULT;
	if (fmap.map.nr_entries > XEN_E820MAX)
		return -XEN_EINVAL;
	bytes = (u64)fmap.map.nr_entries * E820_ENTRY_SIZE;
	pages = (bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;
	map = pages ? pages_alloc(&hv_pool, pages) : NULL;
	if (pages && !map)
		return -XEN_ENOMEM;
	if (map && copy_from_guest(cpu, map, (u64)fmap.map.buffer.p, bytes))
		ret = -XEN_EFAULT;
	spin_lock(&domain_lock);
	d = domain_by_any_id(cpu, fmap.domid);
	if (!ret && !d)
		ret = -XEN_ESRCH;
	if (!ret && !caller_may_target(cpu, d))
		ret = -XEN_EPERM;
	if (!ret) {
		e820_free(d);
		d->e820 = map;
		d->nr_e820 = fmap.map.nr_entries;
		d->e820_pages = pages;
	}
	spin_unlock(&domain_lock);
	if (ret && map)
		pages_free(&hv_pool, map, pages);
	return ret;
}

/*
 * XENMEM_memory_map: the caller's own map, as much of it as the caller
 * has room for. -ENOSYS when none was set (so dom0's), as in Xen.
 */
static long memory_map(struct hv_cpu *cpu, u64 arg)
{
	struct xen_foreign_memory_map fmap;
	struct xen_memory_map *map = &fmap.map;
	struct domain *d;
	long ret = 0;

	if (memory_map_arg(cpu, arg, false, &fmap))
		return -XEN_EFAULT;
	spin_lock(&domain_lock);
	d = caller_domain(cpu);
	if (!d->nr_e820) {
		ret = -XEN_ENOSYS;
	} else {
		if (map->nr_entries > d->nr_e820)
			map->nr_entries = d->nr_e820;
		if (copy_to_guest(cpu, (u64)map->buffer.p, d->e820,
				  map->nr_entries * E820_ENTRY_SIZE) ||
		    copy_to_guest(cpu, arg, &map->nr_entries,
				  sizeof(map->nr_entries)))
			ret = -XEN_EFAULT;
	}
	spin_unlock(&domain_lock);
	return ret;
}

bool guest_gfn_valid(const struct domain *d, u64 gfn)
{
	return gfn < (p2m_reach(&d->p2m) >> PAGE_SHIFT) &&
	       gfn < (1ull << (hv_machine.phys_addr_bits - PAGE_SHIFT));
}

/*
 * Places D's shared_info page at guest page GFN, as Xen's
 * xenmem_add_to_physmap_one(): RAM there is freed first, and the page
 * leaves the place it had.
 */
static long place_shared_info(struct domain *d, u64 gfn)
{
	u64 gpa = gfn << PAGE_SHIFT, hpa;
	unsigned int level;
	long ret;

	if (gfn == d->shared_info_gfn)
		return 0;
	if (!guest_gfn_valid(d, gfn))
		return -XEN_EINVAL;
	switch (p2m_lookup(&d->p2m, gpa, &hpa, &level)) {
	case P2M_MMIO:
		return -XEN_EPERM;
	case P2M_RAM:
		ret = release(d, gpa, gpa + PAGE_SIZE, false);
		if (ret)
			return ret;
		break;
	default:
		break;
	}
	if (p2m_set(&d->p2m, gpa, page_pool_pa(&hv_pool, d->shared_info),
		    PAGE_SIZE, P2M_RAM))
		return -XEN_ENOMEM;
	if (d->shared_info_gfn != INVALID_GFN)
		p2m_set(&d->p2m, d->shared_info_gfn << PAGE_SHIFT, 0, PAGE_SIZE,
			P2M_INVALID);
	d->shared_info_gfn = gfn;
	if (gfn > d->max_mapped_gfn)
		d->max_mapped_gfn = gfn;
	return 0;
}

/*
 * XENMEM_add_to_physmap, as Xen 4.17 checks it. Of the spaces, kxen has
 * the shared_info page; grant-table frames come with grant tables, and
 * moving RAM (gmfn, gmfn_range) is not offered.
 */
static long add_to_physmap(struct hv_cpu *cpu, u64 start, u64 arg)
{
	struct compat_add_to_physmap c;
	struct xen_add_to_physmap x;
	struct domain *d;
	long ret;

	if (start != (u16)start)
		return -XEN_EDOM;
	if (!caller_is_32bit(cpu)) {
		if (copy_from_guest(cpu, &x, arg, sizeof(x)))
			return -XEN_EFAULT;
	} else {
		if (copy_from_guest(cpu, &c, arg, sizeof(c)))
			return -XEN_EFAULT;
		x = (struct xen_add_to_physmap){
			.domid = c.domid, .size = c.size, .space = c.space,
			.idx = c.idx,
			/* The 32-bit INVALID_GFN is the native one. */
			.gpfn = c.gpfn == ~0u ? INVALID_GFN : c.gpfn,
		};
	}
	if (x.space == XENMAPSPACE_gmfn_foreign)
		return -XEN_ENOSYS;
	spin_lock(&domain_lock);
	d = domain_by_any_id(cpu, x.domid);
	if (!d)
		ret = -XEN_ESRCH;
	else if (x.space == XENMAPSPACE_dev_mmio)
		ret = -XEN_EACCES;	/* only the hardware domain's own */
	else if (!caller_may_target(cpu, d))
		ret = -XEN_EPERM;
	else if (!d->shared_info)
		ret = -XEN_EOPNOTSUPP;	/* dom0 keeps Linux's own map */
	else if (x.gpfn == INVALID_GFN)
		ret = -XEN_EINVAL;
	else if (x.space == XENMAPSPACE_shared_info)
		ret = x.idx ? -XEN_EINVAL : place_shared_info(d, x.gpfn);
	else if (x.space == XENMAPSPACE_grant_table ||
		 x.space == XENMAPSPACE_gmfn ||
		 x.space == XENMAPSPACE_gmfn_range)
		ret = -XEN_EOPNOTSUPP;
	else
		ret = -XEN_EINVAL;
	spin_unlock(&domain_lock);
	if (ret == -XEN_EOPNOTSUPP)
		hv_printk("d%u: XENMEM_add_to_physmap of space %u: not offered by kxen\n",
			  d->id, x.space);
	return ret;
}

/*
 * What a guest may ask of memory_op about itself: its RAM, its map, its
 * reservation and where its shared_info page goes.
 */
static bool guest_memory_op(unsigned int op)
{
	switch (op) {
	case XENMEM_populate_physmap:
	case XENMEM_decrease_reservation:
	case XENMEM_set_memory_map:
	case XENMEM_memory_map:
	case XENMEM_maximum_ram_page:
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
	case XENMEM_add_to_physmap:
		return true;
	default:
		return false;
	}
}

long do_memory_op(struct hv_cpu *cpu, u64 cmd, u64 arg)
{
	unsigned int op = cmd & MEMOP_CMD_MASK;
	u64 start = cmd >> MEMOP_EXTENT_SHIFT;

	if (cpu->vcpu && !guest_memory_op(op))
		return -XEN_ENOSYS;
	switch (op) {
	case XENMEM_populate_physmap:
	case XENMEM_decrease_reservation:
		return reservation_op(cpu, op, start, arg);
	case XENMEM_claim_pages:
		return start ? -XEN_EINVAL : claim_pages(cpu, arg);
	case XENMEM_maximum_ram_page:
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
		if (start)
			return -XEN_EINVAL;
		if (op == XENMEM_maximum_ram_page)
			return hv_machine.max_mfn + 1;
		return domain_memory_query(cpu, op, arg);
	case XENMEM_set_memory_map:
		return start ? -XEN_EINVAL : set_memory_map(cpu, arg);
	case XENMEM_memory_map:
		return start ? -XEN_EINVAL : memory_map(cpu, arg);
	case XENMEM_add_to_physmap:
		return add_to_physmap(cpu, start, arg);
	default:
		return -XEN_ENOSYS;
	}
}
