/* SPDX-License-Identifier: GPL-2.0 */
/* The pool's growth by dom0's donations, and its shrinking (hv/pool.c). */
#ifndef HV_POOL_H
#define HV_POOL_H

#include <hv/cpu.h>

/*
 * Pages a call that may grow the pool leaves free for the hypervisor's
 * own use, among them the table pages the next growth maps chunks with.
 */
#define POOL_RESERVE	64

/* The places of the first NR_BASE_CHUNKS chunks are never given back. */
void pool_init(unsigned int nr_base_chunks);

/* Whether a call of CPU's, short of pool memory, may ask dom0 for more. */
bool pool_may_grow(const struct hv_cpu *cpu);

/*
 * A call of CPU's is short of PAGES pool pages: when it may grow the
 * pool, asks dom0 for them and POOL_RESERVE more, and the call must then
 * end as a continuation (hypercall_continue()) that takes up where it
 * stopped. False, and nothing asked, when it may not: the call then
 * fails as it would without growth.
 */
bool pool_ask(struct hv_cpu *cpu, u64 pages);

/* How many more pages the pool may take in by donations. */
u64 pool_growable_pages(void);

/* KXEN_OP_POOL_GROW and KXEN_OP_POOL_SHRINK (kxen/hv_abi.h). */
long pool_grow(struct hv_cpu *cpu, u64 list, u64 nr);
long pool_shrink(struct hv_cpu *cpu, u64 list, u64 max);

#endif /* HV_POOL_H */
