/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dom0's foreign mappings of guest pages (privcmd's MMAPBATCH_V2), and
 * the rule that keeps them safe: a pool page goes back to the pool only
 * when no mapping holds it and no dom0 CPU may still have it in its TLB.
 */
#ifndef HV_FOREIGN_H
#define HV_FOREIGN_H

#include <hv/p2m.h>
#include <hv/page_pool.h>

/*
 * Keeps a state for every page of POOL. DOM0 is dom0's p2m, where every
 * pool page maps SCRATCH_PA while no foreign mapping shows it; CPUS is
 * the mask of the CPUs dom0 runs on. 0, or -ENOMEM.
 */
int foreign_init(struct page_pool *pool, struct p2m *dom0, u64 scratch_pa,
		 u64 cpus);

/*
 * One more foreign mapping of pool page HPA, which a guest owns: the
 * first makes it visible in dom0's p2m. 0, -XEN_EINVAL for a page that
 * is not a guest's, -XEN_EBUSY at the count's limit, -XEN_ENOMEM.
 */
long foreign_map(u64 hpa);

/*
 * One foreign mapping of HPA less: the last hides it from dom0 again and
 * asks every CPU to flush. 0, or -XEN_EINVAL if HPA was not mapped.
 */
long foreign_unmap(u64 hpa);

/*
 * A guest gives up N pages at VA (decrease_reservation, destroy): they
 * return to the pool now if nothing can reach them; pages still mapped
 * wait for their last unmapping, others for the flushes under way,
 * which include one on each of CPUS, where the guest's vCPUs run now.
 */
void guest_pages_free(void *va, u64 n, u64 cpus);

/*
 * Dom0's p2m keeps spare table pages for foreign_hide(), set at load. A
 * freed table page stays a spare wherever it is, a donated chunk too,
 * which could then never go back: before the pool shrinks, the spares
 * are freed (the count they were kept to is returned), and after it
 * they are taken again, from what stays.
 */
u64 foreign_spares_drop(void);
void foreign_spares_restore(u64 target);

/*
 * N pages at VA join the pool, used for now (page_pool_add()): they are
 * freed for use once every CPU has flushed what its TLBs may hold of
 * their addresses, in dom0's p2m and in the hypervisor's own tables.
 */
void foreign_pages_arrive(void *va, u64 n);

/*
 * Dom0's RAM [PA, PA + SIZE), mapped as itself, is the scratch page to
 * dom0 from now on, page by page, as the pool's pages are: 0,
 * -XEN_EINVAL (not dom0's RAM as itself: nothing changed) or
 * -XEN_ENOMEM (no table page: nothing changed). The flush that
 * foreign_pages_arrive() asks for must follow.
 */
int foreign_hide(u64 pa, u64 size);

/*
 * The reverse, for RAM dom0 gets back: mapped as itself again, and
 * every CPU must flush the scratch page out before dom0 uses it.
 */
void foreign_unhide(u64 pa, u64 size);

/*
 * Whether CPU must flush dom0's translations, and the hypervisor's
 * own, before dom0 runs on it again (the vendor code does). The last
 * CPU to be told frees the pages waiting for the flush: this one is in
 * host mode until it has flushed.
 */
bool foreign_flush_due(u32 cpu);

#endif /* HV_FOREIGN_H */
