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
 * Five arguments, the fourth and fifth in R10 and R8. A long call comes
 * back in slices (KXEN_HYPERCALL_AGAIN); this makes the rest without
 * sleeping, so it may be used in any context.
 */
static inline long kxen_hypercall5(unsigned long nr, unsigned long a1,
				   unsigned long a2, unsigned long a3,
				   unsigned long a4, unsigned long a5)
{
	long ret;

	do
		ret = kxen_hypercall_once(nr, &a1, &a2, a3, a4, a5);
	while (ret == KXEN_HYPERCALL_AGAIN);
	return ret;
}

/* The same for process context: other tasks may run between slices. */
static inline long kxen_hypercall5_sleepable(unsigned long nr,
					     unsigned long a1,
					     unsigned long a2,
					     unsigned long a3,
					     unsigned long a4,
					     unsigned long a5)
{
	long ret;

	might_sleep();
	while ((ret = kxen_hypercall_once(nr, &a1, &a2, a3, a4, a5)) ==
	       KXEN_HYPERCALL_AGAIN)
		cond_resched();
	return ret;
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
