// SPDX-License-Identifier: GPL-2.0
/*
 * RDMSR and WRMSR of the MSRs a vendor intercepts. Xen's hypercall-page
 * MSR is common, and so are a guest's local APIC MSRs and MTRRs; the
 * vendor says what its own MSRs read and accept.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/hv.h>
#include <hv/mtrr.h>
#include <hv/vcpu_ops.h>
#include <hv/x86_arch.h>

/*
 * A guest vCPU's MTRRs, as Xen emulates them for HVM: kept per vCPU
 * (in Xen's save record too), with the CPU's checks on writes
 * (IA32_MTRRCAP is read-only). Nested paging keeps the host's memory
 * types, so they change nothing else. -ENOENT when MSR is not one.
 */
static int guest_mtrr(struct hv_cpu *cpu, u32 msr, bool write, u64 *val)
{
	struct mtrr_state *s = &cpu->vcpu->mtrr;
	u64 start, end;

	if (!write)
		return mtrr_read(s, msr, val);
	if (msr == MSR_MTRRCAP)
		return -EPERM;
	return mtrr_write(s, msr, *val, &start, &end);
}

/* A guest's MSRs that are common to the vendors; -ENOENT for the rest. */
static int guest_msr(struct hv_cpu *cpu, u32 msr, bool write, u64 *val)
{
	int err = vcpu_lapic_msr(cpu->vcpu, msr, write, val);

	if (err == -ENOENT)
		err = guest_mtrr(cpu, msr, write, val);
	return err;
}

int msr_emulate(struct hv_cpu *cpu, bool write, vendor_msr_fn vendor_msr)
{
	u32 msr = cpu->regs[REG_RCX];
	u64 val = guest_edx_eax(cpu);
	int err;

	if (msr != MSR_HYPERCALL_PAGE) {
		err = cpu->vcpu ? guest_msr(cpu, msr, write, &val) : -ENOENT;
		if (err == -ENOENT)
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
