// SPDX-License-Identifier: GPL-2.0
/*
 * The pool's growth and shrinking. Dom0 gives the pool what it asked for
 * at load, and more when a call of its own runs short: such a call stops
 * as a continuation that names the chunks wanted
 * (KXEN_HYPERCALL_NEED_CHUNKS), the module donates them
 * (KXEN_OP_POOL_GROW), and the call goes on where it stopped. Donated
 * chunks that are wholly free again go back to dom0 on its request
 * (KXEN_OP_POOL_SHRINK); the chunks given at load never do.
 *
 * A donated chunk leaves dom0's p2m for the scratch page, as the pool's
 * pages are hidden at load, and is mapped at its place in the
 * hypervisor's address space. Its pages are free for use only once
 * every CPU has flushed its TLBs (hv/foreign.c), which then hold
 * nothing of the chunk from dom0, nor an old chunk's translation of a
 * reused place. A chunk given back is dom0's RAM again in its p2m; dom0
 * may use it once every CPU has flushed the scratch page out.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/foreign.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/pool.h>
#include <hv/printk.h>
#include <hv/xen.h>

#define CHUNK_BYTES	KXEN_CHUNK_SIZE

/* Serialises growing and shrinking, each several steps. */
static struct hv_spinlock pool_lock;
/* The places of the chunks given at load: never taken out. */
static unsigned int base_chunks;

void pool_init(unsigned int nr_base_chunks)
{
	base_chunks = nr_base_chunks;
}

static void dom0_pages_changed(s64 delta)
{
	struct domain *dom0;

	spin_lock(&domain_lock);
	dom0 = domain_find(0);
	dom0->tot_pages += delta;
	dom0->max_pages += delta;
	spin_unlock(&domain_lock);
}

/* Takes the chunk at PA into the pool: 0 or a negative Xen errno. */
static long grow_by(u64 pa)
{
	void *va;
	long err;

	if (pa & (CHUNK_BYTES - 1) || hv_owns_page(pa))
		return -XEN_EINVAL;
	err = foreign_hide(pa, CHUNK_BYTES);
	if (err)
		return err;
	va = page_pool_add(&hv_pool, pa, CHUNK_PAGES, base_chunks);
	err = va ? host_map((u64)va, pa, CHUNK_BYTES) : -XEN_ENOSPC;
	if (err) {
		if (va)
			page_pool_remove(&hv_pool, va, true);
		foreign_unhide(pa, CHUNK_BYTES);
		return err == -XEN_ENOSPC ? err : -XEN_ENOMEM;
	}
	foreign_pages_arrive(va, CHUNK_PAGES);
	dom0_pages_changed(-(s64)CHUNK_PAGES);
	return 0;
}

long pool_grow(struct hv_cpu *cpu, u64 list, u64 nr)
{
	u64 pa, i;
	long err = 0;

	if (!nr) {
		cpu->pool_growth_refused = true;
		return 0;
	}
	if (nr > KXEN_POOL_BATCH)
		return -XEN_E2BIG;
	spin_lock(&pool_lock);
	for (i = 0; i < nr; i++) {
		err = copy_from_guest(cpu, &pa, list + i * sizeof(pa),
				      sizeof(pa)) ? -XEN_EFAULT : grow_by(pa);
		if (err)
			break;
	}
	if (i)
		hv_printk("kxen: dom0 gave the pool %llu chunks: %llu pages\n",
			  (unsigned long long)i,
			  (unsigned long long)hv_pool.nr_pages);
	spin_unlock(&pool_lock);
	return i ? (long)i : err;
}

long pool_shrink(struct hv_cpu *cpu, u64 list, u64 max)
{
	unsigned int place;
	u64 done = 0, pa, spares;
	bool fault = false;
	void *va;

	if (max > KXEN_POOL_BATCH)
		return -XEN_E2BIG;
	spin_lock(&pool_lock);
	spares = foreign_spares_drop();
	/*
	 * From the first donated place again after a chunk has gone: a
	 * table page of its hiding may have been in one passed over, which
	 * is free now.
	 */
	while (done < max) {
		pa = page_pool_remove_free(&hv_pool, base_chunks, &place, &va);
		if (pa == PAGE_POOL_VACANT)
			break;
		if (copy_to_guest(cpu, list + done * sizeof(pa), &pa,
				  sizeof(pa))) {
			/* Back into the pool: dom0 cannot be told of it. */
			page_pool_add(&hv_pool, pa, CHUNK_PAGES, place);
			pages_free(&hv_pool, va, CHUNK_PAGES);
			fault = true;
			break;
		}
		foreign_unhide(pa, CHUNK_BYTES);
		dom0_pages_changed(CHUNK_PAGES);
		done++;
	}
	foreign_spares_restore(spares);
	if (done)
		hv_printk("kxen: the pool gave dom0 back %llu chunks: %llu pages\n",
			  (unsigned long long)done,
			  (unsigned long long)hv_pool.nr_pages);
	spin_unlock(&pool_lock);
	return fault && !done ? -XEN_EFAULT : (long)done;
}

u64 pool_growable_pages(void)
{
	return hv_pool.max_span - hv_pool.nr_pages;
}

bool pool_may_grow(const struct hv_cpu *cpu)
{
	return !cpu->vcpu && !cpu->pool_growth_refused;
}

bool pool_ask(struct hv_cpu *cpu, u64 pages)
{
	u64 chunks = (pages + POOL_RESERVE + CHUNK_PAGES - 1) / CHUNK_PAGES;

	if (!pool_may_grow(cpu))
		return false;
	cpu->pool_chunks_wanted = chunks < KXEN_POOL_BATCH ? chunks :
				  KXEN_POOL_BATCH;
	return true;
}
