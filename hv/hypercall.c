// SPDX-License-Identifier: GPL-2.0
/*
 * The Xen 64-bit hypercall ABI: number in RAX, arguments in RDI, RSI,
 * RDX, R10 and R8, result in RAX. Guests reach it by VMMCALL (AMD) or
 * VMCALL (Intel), directly or through the hypercall page.
 */
#include <hv/domain.h>
#include <hv/event_channel.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/string.h>
#include <hv/vcpu_ops.h>
#include <hv/vcpu_run.h>
#include <hv/xen.h>

#define HYPERCALL_STUB_SIZE	32

long hypercall_continue3(struct hv_cpu *cpu, u64 arg0, u64 arg1, u64 arg2)
{
	cpu->again_args[0] = arg0;
	cpu->again_args[1] = arg1;
	cpu->again_args[2] = arg2;
	cpu->again_nr = 3;
	cpu->hypercall_again = true;
	return 0;
}

long hypercall_continue(struct hv_cpu *cpu, u64 arg0, u64 arg1)
{
	hypercall_continue3(cpu, arg0, arg1, 0);
	cpu->again_nr = 2;
	return 0;
}

long hypercall_dispatch(struct hv_cpu *cpu, u64 op, const u64 *a)
{
	switch (op) {
	case __HYPERVISOR_xen_version:
		return do_xen_version(cpu, a[0], a[1]);
	case __HYPERVISOR_memory_op:
		return do_memory_op(cpu, a[0], a[1]);
	case __HYPERVISOR_multicall:
		return do_multicall(cpu, a[0], a[1]);
	case __HYPERVISOR_sysctl:
		return do_sysctl(cpu, a[0]);
	case __HYPERVISOR_domctl:
		return do_domctl(cpu, a[0]);
	case __HYPERVISOR_sched_op:
		return do_sched_op(cpu, a[0], a[1]);
	case __HYPERVISOR_hvm_op:
		return do_hvm_op(cpu, a[0], a[1]);
	case __HYPERVISOR_console_io:
		/* Dom0's is -ENOSYS there: it writes through Linux. */
		return do_console_io(cpu, a[0], a[1], a[2]);
	case __HYPERVISOR_vcpu_op:
		return do_vcpu_op(cpu, a[0], a[1], a[2]);
	case __HYPERVISOR_vm_assist:
		return do_vm_assist(cpu, a[0], a[1]);
	case __HYPERVISOR_event_channel_op:
		return do_event_channel_op(cpu, a[0], a[1]);
	default:
		return -XEN_ENOSYS;
	}
}

/* The hypercalls a guest may make; the rest are -ENOSYS to it. */
static long guest_dispatch(struct hv_cpu *cpu, u64 op, const u64 *a)
{
	switch (op) {
	case __HYPERVISOR_xen_version:
	case __HYPERVISOR_console_io:
	case __HYPERVISOR_sched_op:
	case __HYPERVISOR_memory_op:
	case __HYPERVISOR_hvm_op:
	case __HYPERVISOR_vcpu_op:
	case __HYPERVISOR_vm_assist:
	case __HYPERVISOR_event_channel_op:
		return hypercall_dispatch(cpu, op, a);
	default:
		return -XEN_ENOSYS;
	}
}

/* Xen's HVM hypercall ABI: 64-bit code passes RDI, RSI, RDX, R10, R8. */
static const u8 args64[5] = { REG_RDI, REG_RSI, REG_RDX, REG_R10, REG_R8 };
/* 32-bit code passes EBX, ECX, EDX, ESI, EDI. */
static const u8 args32[5] = { REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI };

bool guest_hypercall(struct hv_cpu *cpu)
{
	const u8 *reg = cpu->guest_long_mode ? args64 : args32;
	u64 *r = cpu->regs, args[5];
	unsigned int i;
	long ret;

	for (i = 0; i < 5; i++)
		args[i] = cpu->guest_long_mode ? r[reg[i]] : (u32)r[reg[i]];
	/* As in Xen: a guest's user space makes no hypercalls. */
	ret = cpu->guest_cpl ? -XEN_EPERM : guest_dispatch(cpu, r[REG_RAX], args);
	if (cpu->hypercall_again) {
		/* Xen's HVM continuation: the guest makes the call again. */
		cpu->hypercall_again = false;
		for (i = 0; i < cpu->again_nr; i++)
			r[reg[i]] = cpu->again_args[i];
		return false;
	}
	r[REG_RAX] = cpu->guest_long_mode ? (u64)ret : (u32)ret;
	return true;
}

void hypercall(struct hv_cpu *cpu)
{
	u64 *r = cpu->regs;
	u64 args[5] = { r[REG_RDI], r[REG_RSI], r[REG_RDX], r[REG_R10],
			r[REG_R8] };
	long ret;

	/* As in Xen: a guest's user space makes no hypercalls. */
	if (cpu->guest_cpl) {
		r[REG_RAX] = -XEN_EPERM;
		return;
	}
	/* Outside hypercall_dispatch(): no multicall can reach it. */
	if (r[REG_RAX] == KXEN_HYPERCALL)
		ret = do_kxen_op(cpu, args[0], args[1], args[2]);
	else
		ret = hypercall_dispatch(cpu, r[REG_RAX], args);
	if (cpu->hypercall_again) {
		/* Dom0's convention (kxen/hv_abi.h): it calls again. */
		cpu->hypercall_again = false;
		r[REG_RDI] = cpu->again_args[0];
		r[REG_RSI] = cpu->again_args[1];
		if (cpu->again_nr == 3)
			r[REG_RDX] = cpu->again_args[2];
		ret = cpu->pool_chunks_wanted ?
		      KXEN_HYPERCALL_NEED_CHUNKS(cpu->pool_chunks_wanted) :
		      KXEN_HYPERCALL_AGAIN;
		cpu->pool_chunks_wanted = 0;
	}
	/* Dom0's "none to give" holds for the one call after it. */
	if (r[REG_RAX] != KXEN_HYPERCALL || args[0] != KXEN_OP_POOL_GROW)
		cpu->pool_growth_refused = false;
	r[REG_RAX] = ret;
}

/*
 * VAL is the page's guest-physical address with a page index in the low
 * bits; Xen has one page, so only index 0 is valid. Each 32-byte stub is
 * "mov $nr, %eax; vmmcall (or vmcall); ret", except iret's, which traps:
 * HVM guests never use it.
 */
int hypercall_page_write(struct hv_cpu *cpu, u64 val)
{
	u8 page[PAGE_SIZE];
	unsigned int nr;

	if (val & (PAGE_SIZE - 1))
		return -XEN_EINVAL;
	/* Xen's hvm_latch_shinfo_size(): the guest's mode now. */
	if (cpu->vcpu) {
		spin_lock(&domain_lock);
		domain_latch_shinfo_size(cpu->vcpu->domain,
					 !cpu->guest_long_mode);
		spin_unlock(&domain_lock);
	}
	memset(page, 0xcc, sizeof(page));	/* int3 between stubs */
	for (nr = 0; nr < PAGE_SIZE / HYPERCALL_STUB_SIZE; nr++) {
		u8 *stub = page + nr * HYPERCALL_STUB_SIZE;

		if (nr == __HYPERVISOR_iret) {
			stub[0] = 0x0f;		/* ud2 */
			stub[1] = 0x0b;
			continue;
		}
		stub[0] = 0xb8;			/* mov $nr, %eax */
		memcpy(stub + 1, &nr, 4);
		memcpy(stub + 5, vcpu_ops->hypercall_insn, 3);
		stub[8] = 0xc3;			/* ret */
	}
	return copy_to_guest_phys(cpu->guest_p2m, val, page, sizeof(page));
}
