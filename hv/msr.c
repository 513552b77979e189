// SPDX-License-Identifier: GPL-2.0
/*
 * RDMSR and WRMSR of the MSRs a vendor intercepts. Xen's hypercall-page
 * MSR is common; the vendor says what its own MSRs read and accept.
 */
#include <hv/hv.h>
#include <hv/vcpu_ops.h>

int msr_emulate(struct hv_cpu *cpu, bool write, vendor_msr_fn vendor_msr)
{
	u32 msr = cpu->regs[REG_RCX];
	u64 val = guest_edx_eax(cpu);
	int err;

	if (msr != MSR_HYPERCALL_PAGE) {
		err = vendor_msr(cpu, msr, write, &val);
	} else if (write) {
		err = hypercall_page_write(cpu, val);
	} else {
		val = 0;	/* write-only, as on Xen */
		err = 0;
	}
	if (err)
		return err;
	if (!write) {
		cpu->regs[REG_RAX] = val & 0xffffffff;
		cpu->regs[REG_RDX] = val >> 32;
	}
	return 0;
}
