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
 * Whether CPU must flush dom0's translations before dom0 runs on it
 * again (the vendor code does). The last CPU to be told frees the pages
 * waiting for the flush: this one is in host mode until it has flushed.
 */
bool foreign_flush_due(u32 cpu);

#endif /* HV_FOREIGN_H */
