/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dom0 kernel's hypercall entry: Xen's 64-bit convention (number in
 * RAX, arguments in RDI, RSI, RDX), issued with VMMCALL. Only valid
 * while kxen is active on this CPU: on bare hardware it raises #UD.
 */
#ifndef KXEN_MODULE_HYPERCALL_H
#define KXEN_MODULE_HYPERCALL_H

#include <linux/types.h>

static inline long kxen_hypercall3(unsigned long nr, unsigned long a1,
				   unsigned long a2, unsigned long a3)
{
	long ret;

	asm volatile("vmmcall"
		     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3)
		     : "a"(nr)
		     : "memory");
	return ret;
}

static inline long kxen_hypercall2(unsigned long nr, unsigned long a1,
				   unsigned long a2)
{
	return kxen_hypercall3(nr, a1, a2, 0);
}

#endif /* KXEN_MODULE_HYPERCALL_H */
