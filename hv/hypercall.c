// SPDX-License-Identifier: GPL-2.0
/*
 * The Xen 64-bit hypercall ABI: number in RAX, arguments in RDI, RSI,
 * RDX, R10 and R8, result in RAX. Guests reach it by VMMCALL (AMD) or
 * VMCALL (Intel), directly or through the hypercall page.
 */
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/string.h>
#include <hv/vcpu_ops.h>
#include <hv/xen.h>

#define HYPERCALL_STUB_SIZE	32

void hypercall(struct hv_cpu *cpu)
{
	u64 *r = cpu->regs;
	long ret;

	/* As in Xen: a guest's user space makes no hypercalls. */
	if (cpu->guest_cpl) {
		r[REG_RAX] = -XEN_EPERM;
		return;
	}
	switch (r[REG_RAX]) {
	case __HYPERVISOR_xen_version:
		ret = do_xen_version(cpu, r[REG_RDI], r[REG_RSI]);
		break;
	case __HYPERVISOR_sysctl:
		ret = do_sysctl(cpu, r[REG_RDI]);
		break;
	case __HYPERVISOR_domctl:
		ret = do_domctl(cpu, r[REG_RDI]);
		break;
	case KXEN_HYPERCALL:
		ret = do_kxen_op(cpu, r[REG_RDI], r[REG_RSI], r[REG_RDX]);
		break;
	default:
		ret = -XEN_ENOSYS;
		break;
	}
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
