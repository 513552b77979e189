// SPDX-License-Identifier: GPL-2.0
/*
 * The multicall hypercall: a list of hypercalls made in order, each
 * entry's result written back into it. libxenctrl sends every memory_op
 * as a one-entry multicall, since the entry's result holds a long where
 * privcmd's return value holds an int. kxen's own hypercall cannot be in
 * the list (privcmd keeps it from processes), nor can another multicall.
 *
 * A call in the list that asks to continue has its new arguments written
 * back into its entry, and the multicall continues from that entry; so
 * does a long list every MULTICALL_PER_GO entries, to let the CPU take
 * its interrupts.
 */
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/xen.h>

#define MULTICALL_PER_GO	64

long do_multicall(struct hv_cpu *cpu, u64 list, u64 nr_calls)
{
	struct multicall_entry call;
	u64 i, at;
	long result;

	for (i = 0; i < nr_calls; i++) {
		at = list + i * sizeof(call);
		if (i == MULTICALL_PER_GO)
			return hypercall_continue(cpu, at, nr_calls - i);
		if (copy_from_guest(cpu, &call, at, sizeof(call)))
			return -XEN_EFAULT;
		if (call.op == __HYPERVISOR_multicall || call.op == KXEN_HYPERCALL)
			result = -XEN_EINVAL;
		else
			result = hypercall_dispatch(cpu, call.op, call.args);
		if (cpu->hypercall_again) {
			cpu->hypercall_again = false;
			if (copy_to_guest(cpu, at + offsetof(typeof(call), args),
					  cpu->again_args,
					  cpu->again_nr * sizeof(u64)))
				return -XEN_EFAULT;
			return hypercall_continue(cpu, at, nr_calls - i);
		}
		if (copy_to_guest(cpu, at + offsetof(typeof(call), result),
				  &result, sizeof(result)))
			return -XEN_EFAULT;
	}
	return 0;
}
