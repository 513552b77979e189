// SPDX-License-Identifier: GPL-2.0
/*
 * RDMSR and WRMSR of the MSRs a vendor intercepts. Xen's hypercall-page
 * MSR is common, and so are a guest's TSC_AUX, local APIC, machine-check
 * MSRs and MTRRs; the vendor says what its own MSRs read and accept.
 */
#include <hv/cpu_policy.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/hv.h>
#include <hv/mtrr.h>
#include <hv/vcpu_ops.h>
#include <hv/x86.h>
#include <hv/x86_arch.h>
#include <xen/arch-x86/cpufeatureset.h>

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

/*
 * IA32_TSC_AUX, which RDTSCP and RDPID return, where the guest's CPUID
 * has either: kept per vCPU as in Xen, and put on the CPU by the vendor
 * code while the vCPU runs.
 */
static bool vcpu_has_tsc_aux(const struct vcpu *v)
{
	const struct cpu_policy *p = v->domain->cpu_policy;

	return policy_has(p, XEN_X86_FEATURE_RDTSCP) ||
	       policy_has(p, XEN_X86_FEATURE_RDPID);
}

void tsc_aux_switch_in(struct hv_cpu *cpu, const struct vcpu *v)
{
	if (vcpu_has_tsc_aux(v)) {
		cpu->dom0_tsc_aux = rdmsr(MSR_TSC_AUX);
		wrmsr(MSR_TSC_AUX, v->tsc_aux);
	}
}

void tsc_aux_switch_out(struct hv_cpu *cpu, const struct vcpu *v)
{
	if (vcpu_has_tsc_aux(v))
		wrmsr(MSR_TSC_AUX, cpu->dom0_tsc_aux);
}

static int guest_tsc_aux(struct vcpu *v, bool write, u64 *val)
{
	if (!vcpu_has_tsc_aux(v))
		return -EPERM;
	if (!write) {
		*val = v->tsc_aux;
		return 0;
	}
	if (*val >> 32)
		return -EPERM;
	v->tsc_aux = *val;
	wrmsr(MSR_TSC_AUX, *val);
	return 0;
}

/* A guest's MSRs that are common to the vendors; -ENOENT for the rest. */
/* IA32_PAT: kept per vCPU, and in the vendor's control block. */
static int guest_pat(struct hv_cpu *cpu, bool write, u64 *val)
{
	if (!write) {
		*val = cpu->vcpu->pat;
		return 0;
	}
	if (!pat_valid(*val))
		return -EPERM;
	cpu->vcpu->pat = *val;
	vcpu_ops->set_guest_pat(cpu);
	return 0;
}

static int guest_msr(struct hv_cpu *cpu, u32 msr, bool write, u64 *val)
{
	struct vcpu *v = cpu->vcpu;
	int err;

	if (msr == MSR_TSC_AUX)
		return guest_tsc_aux(v, write, val);
	if (msr == MSR_PAT)
		return guest_pat(cpu, write, val);
	err = vcpu_lapic_msr(v, msr, write, val);
	if (err == -ENOENT)
		err = vmce_msr(v, msr, write, val);
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
