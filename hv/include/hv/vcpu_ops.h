/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each virtualization vendor provides to the common hypervisor, in
 * the manner of KVM's kvm_x86_ops: one table, chosen once at preparation
 * by the CPU vendor, so common code never tests the vendor.
 */
#ifndef HV_VCPU_OPS_H
#define HV_VCPU_OPS_H

#include <hv/cpu.h>
#include <hv/p2m.h>

struct hvm_hw_cpu;
struct vcpu;

struct vcpu_ops {
	const char *name;
	/* The nested page-table format (NPT, EPT). */
	const struct p2m_format *p2m_format;
	/*
	 * A guest's IA32_MCG_CAP, as Xen's vMCE gives it on this vendor's
	 * CPUs: two banks, and Intel's SER, TES and CMCI.
	 */
	u64 guest_mcg_cap;
	/* The guest's hypercall instruction, for the hypercall page. */
	u8 hypercall_insn[3];
	/* Linux context, once: state shared by all CPUs. */
	int (*prepare)(void);
	/* Linux context, per CPU: its control blocks. */
	int (*cpu_prepare)(struct hv_cpu *cpu);
	/*
	 * On the host stack, interrupts off, Linux's tables still loaded:
	 * turn this CPU's Linux into dom0, which resumes at cpu->entry_rip.
	 * Returns only on failure, and then before changing anything.
	 */
	int (*cpu_enter)(struct hv_cpu *cpu);
	/* KXEN_OP_VCPU_STATE: copies CPU's state to dom0's BUF (SIZE bytes). */
	long (*read_state)(struct hv_cpu *cpu, u64 buf, u64 size);
	/*
	 * Makes guest vCPU V's control block (v->ctl): 0 or -ENOMEM. NULL
	 * where the vendor cannot run guests yet; the run op then fails.
	 */
	int (*vcpu_create)(struct vcpu *v);
	/*
	 * Guest vCPU V has run and is on no CPU: the state its control
	 * block kept (RIP, RSP, RFLAGS, control, debug and segment
	 * registers, EFER, the SYSENTER and SYSCALL MSRs) into R, a CPU
	 * save record. CPU is the caller's.
	 */
	void (*vcpu_save)(struct hv_cpu *cpu, struct vcpu *v,
			  struct hvm_hw_cpu *r);
	/* The guest on CPU wrote a valid IA32_PAT, now in cpu->vcpu->pat. */
	void (*set_guest_pat)(struct hv_cpu *cpu);
};

extern const struct vcpu_ops svm_ops;
extern const struct vcpu_ops vmx_ops;
/* The vendor's table, once hv_prepare() has chosen it. */
extern const struct vcpu_ops *vcpu_ops;

#endif /* HV_VCPU_OPS_H */
