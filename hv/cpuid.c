// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID as a Xen guest sees it: the hardware's answer with the
 * virtualization extensions hidden and the hypervisor bit set, plus Xen's
 * leaves at 0x40000000 (Xen's xen/arch/x86/cpuid.c is the reference).
 */
#include <hv/hv.h>
#include <hv/x86.h>
#include <hv/xen.h>

#define HYPERVISOR_LEAVES	0x40000000
#define HYPERVISOR_LEAVES_MASK	0xf0000000

bool xen_cpuid_leaf(u32 leaf, u32 subleaf, u16 domid, u32 vcpu_id, u32 r[4])
{
	if ((leaf & HYPERVISOR_LEAVES_MASK) != HYPERVISOR_LEAVES)
		return false;
	r[0] = r[1] = r[2] = r[3] = 0;
	switch (leaf - XEN_CPUID_FIRST_LEAF) {
	case 0:
		r[0] = XEN_CPUID_LEAF(XEN_CPUID_MAX_NUM_LEAVES);
		r[1] = XEN_CPUID_SIGNATURE_EBX;
		r[2] = XEN_CPUID_SIGNATURE_ECX;
		r[3] = XEN_CPUID_SIGNATURE_EDX;
		break;
	case 1:
		r[0] = XEN_MAJOR << 16 | XEN_MINOR;
		break;
	case 2:
		r[0] = 1;			/* hypercall pages */
		r[1] = XEN_CPUID_FIRST_LEAF;	/* the MSR that places them */
		break;
	case 3:
		/* TSC: native mode, no scaling; subleaf 2 is the host's rate. */
		if (subleaf == 0)
			r[2] = hv_tsc_khz;
		else if (subleaf == 2)
			r[0] = hv_tsc_khz;
		break;
	case 4:
		r[0] = XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_DOMID_PRESENT;
		r[1] = vcpu_id;
		r[2] = domid;
		break;
	}
	return true;
}

void cpuid_emulate(struct hv_cpu *cpu)
{
	u32 leaf = cpu->regs[REG_RAX], subleaf = cpu->regs[REG_RCX];
	u32 r[4];

	/* Dom0's vCPU n is CPU n. */
	if (!xen_cpuid_leaf(leaf, subleaf, 0, cpu->id, r)) {
		cpuid_count(leaf, subleaf, r);
		if (leaf == 1) {
			r[2] &= ~CPUID1_ECX_VMX;
			r[2] |= CPUID1_ECX_HYPERVISOR;
		} else if (leaf == 0x80000001) {
			r[2] &= ~CPUIDX1_ECX_SVM;
		} else if (leaf == CPUID_LEAF_SVM) {
			r[0] = r[1] = r[2] = r[3] = 0;
		}
	}
	cpu->regs[REG_RAX] = r[0];
	cpu->regs[REG_RBX] = r[1];
	cpu->regs[REG_RCX] = r[2];
	cpu->regs[REG_RDX] = r[3];
}
