/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dom0 kernel's hypercall entry: Xen's 64-bit convention (number in
 * RAX, arguments in RDI, RSI, RDX, R10, R8), issued with VMMCALL on AMD and
 * VMCALL on Intel (patched in at load, as Linux's own Xen support does).
 * Only valid while kxen is active on this CPU: on bare hardware it
 * raises #UD.
 */
#ifndef KXEN_MODULE_HYPERCALL_H
#define KXEN_MODULE_HYPERCALL_H

#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <asm/alternative.h>
#include <asm/cpufeatures.h>
#include <kxen/hv_abi.h>
#include <xen/interface/xen.h>
#include "kxen.h"

/* One VMMCALL/VMCALL; the hypervisor may rewrite A1 and A2. */
static inline long kxen_hypercall_once(unsigned long nr, unsigned long *a1,
				       unsigned long *a2, unsigned long a3,
				       unsigned long a4, unsigned long a5)
{
	register unsigned long r10 asm("r10") = a4;
	register unsigned long r8 asm("r8") = a5;
	long ret;

	asm volatile(ALTERNATIVE("vmcall", "vmmcall", X86_FEATURE_VMMCALL)
		     : "=a"(ret), "+D"(*a1), "+S"(*a2), "+d"(a3), "+r"(r10),
		       "+r"(r8)
		     : "a"(nr)
		     : "memory");
	return ret;
}

/*
 * One call to its end: a long call comes back in slices
 * (KXEN_HYPERCALL_AGAIN), and one short of pool memory asks for chunks
 * (KXEN_HYPERCALL_NEED_CHUNKS). Where it may sleep, other tasks run
 * between slices and the chunks are donated; where it may not, or when
 * Linux has none to give, the hypervisor is told so on the CPU that
 * makes the call again, which then fails as it would without growth.
 */
static inline long kxen_hypercall_run(unsigned long nr, unsigned long a1,
				      unsigned long a2, unsigned long a3,
				      unsigned long a4, unsigned long a5,
				      bool may_sleep)
{
	bool refuse = false;
	u64 wanted;
	long ret;

	for (;;) {
		if (refuse) {
			unsigned long op = KXEN_OP_POOL_GROW, none = 0;

			preempt_disable();
			kxen_hypercall_once(KXEN_HYPERCALL, &op, &none, 0, 0, 0);
		}
		ret = kxen_hypercall_once(nr, &a1, &a2, a3, a4, a5);
		if (refuse)
			preempt_enable();
		refuse = false;
		wanted = kxen_hypercall_chunks_wanted(ret);
		if (ret == KXEN_HYPERCALL_AGAIN) {
			if (may_sleep)
				cond_resched();
		} else if (wanted) {
			refuse = !may_sleep || kxen_pool_donate(wanted) <= 0;
		} else {
			return ret;
		}
	}
}

/* Five arguments, the fourth and fifth in R10 and R8, in any context. */
static inline long kxen_hypercall5(unsigned long nr, unsigned long a1,
				   unsigned long a2, unsigned long a3,
				   unsigned long a4, unsigned long a5)
{
	return kxen_hypercall_run(nr, a1, a2, a3, a4, a5, false);
}

/* The same for process context. */
static inline long kxen_hypercall5_sleepable(unsigned long nr,
					     unsigned long a1,
					     unsigned long a2,
					     unsigned long a3,
					     unsigned long a4,
					     unsigned long a5)
{
	might_sleep();
	return kxen_hypercall_run(nr, a1, a2, a3, a4, a5, true);
}

static inline long kxen_hypercall3(unsigned long nr, unsigned long a1,
				   unsigned long a2, unsigned long a3)
{
	return kxen_hypercall5(nr, a1, a2, a3, 0, 0);
}

static inline long kxen_hypercall2(unsigned long nr, unsigned long a1,
				   unsigned long a2)
{
	return kxen_hypercall3(nr, a1, a2, 0);
}

/* Xen's xen_version(CMD, ARG). */
static inline long kxen_xen_version(unsigned int cmd, void *arg)
{
	return kxen_hypercall2(__HYPERVISOR_xen_version, cmd,
			       (unsigned long)arg);
}

/* kxen's private hypercall: OP (enum kxen_op) with its arguments. */
static inline long kxen_op(enum kxen_op op, unsigned long a1,
			   unsigned long a2)
{
	return kxen_hypercall3(KXEN_HYPERCALL, op, a1, a2);
}

#endif /* KXEN_MODULE_HYPERCALL_H */
