/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One physical CPU under the hypervisor: dom0's registers while the host
 * runs, the host's own stacks and descriptor tables, and counters.
 *
 * The entry and exit stubs (assembly) use the fields up to cpu_stubs_end
 * by the CPU_* offsets below, checked at build time.
 */
#ifndef HV_CPU_H
#define HV_CPU_H

#define CPU_REG(n)		((n) * 8)	/* x86 register number n */
#define CPU_HOST_STACK		128
#define CPU_LINUX_RSP		136
#define CPU_ENTRY_RIP		144
#define CPU_ENTRY_RSP		152
#define CPU_ENTRY_RFLAGS	160
#define CPU_VMCB_PA		168
#define CPU_HOST_VMCB_PA	176
#define CPU_LEAVE_FRAME		184	/* rip, cs, rflags, rsp, ss */
#define CPU_LEAVE_DS		224
#define CPU_LEAVE_ES		232

#ifndef __ASSEMBLER__
#include <kxen/hv_abi.h>
#include <hv/p2m.h>

struct vcpu;
struct vmcs_image;

enum {
	REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
	REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15
};

/* The 64-bit TSS: only the interrupt stacks matter to the host. */
struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __attribute__((packed));

#define IST_NMI		1
#define IST_DF		2
#define IST_MC		3
#define IST_PAGES	3
#define HOST_STACK_PAGES	4

struct hv_cpu {
	/* Guest GPRs by number; RSP (and RAX on SVM) live in the VMCB. */
	u64 regs[16];
	u64 host_stack_top;
	u64 linux_rsp;		/* to return to Linux if entry fails */
	u64 entry_rip, entry_rsp, entry_rflags;	/* where Linux resumes */
	u64 vmcb_pa;		/* vendor control block of the guest */
	u64 host_vmcb_pa;	/* host state the exit stub reloads */
	u64 leave_frame[5];	/* IRETQ frame back into bare Linux */
	u64 leave_ds, leave_es;
	/* end of what the stubs use */

	u32 id;
	bool leaving;		/* dom0 asked to leave hypervisor mode */
	bool pending_nmi;	/* taken in host mode: dom0 gets it next */
	bool pending_mc;
	bool hypercall_again;	/* hypercall_continue() was called */
	u8 again_nr;		/* with this many first arguments: */
	u64 again_args[3];
	/*
	 * Dom0's call stopped for want of pool memory: as many chunks for
	 * it to donate before it calls again (hv/pool.c); and whether dom0
	 * said it has none, for the next call it makes here.
	 */
	u32 pool_chunks_wanted;
	bool pool_growth_refused;
	u8 guest_cpl;
	bool guest_long_mode;	/* 64-bit code: EFER.LMA and CS.L */
	u64 guest_cr0, guest_cr3, guest_cr4, guest_efer, guest_rflags;
	struct p2m *guest_p2m;
	/*
	 * A guest vCPU's run (hv/vcpu_run.c): VCPU is the guest on this
	 * CPU, or NULL while dom0 is. The run hypercall sets RUN_NEXT and an
	 * exit that ends the run sets RUN_RESULT; the vendor code switches
	 * at the end of that exit. Dom0's GPRs wait in DOM0_REGS.
	 */
	struct vcpu *vcpu;
	struct vcpu *run_next;
	long run_result;
	bool kicked_others;	/* vcpu_notify_thread() of another vCPU */
	u64 dom0_regs[16];
	u64 dom0_xcr0;
	u64 dom0_dr[4];		/* DR0-3 */
	u64 dom0_tsc_aux;	/* while a guest has its own */
	/* SVM */
	void *vmcb;		/* the current guest's: dom0's or a vCPU's */
	void *dom0_vmcb;
	u64 dom0_vmcb_pa;
	u64 hsave_pa;
	u64 guest_hsave_pa;	/* dom0's idea of VM_HSAVE_PA */
	/* VMX */
	u64 vmcs_pa, vmxon_pa;
	/* Dom0's, while a guest vCPU has its own on the CPU. */
	u64 dom0_dr6;
	u64 dom0_syscall_msrs[5];	/* KERNEL_GS_BASE, STAR, LSTAR, CSTAR, SFMASK */
	void *gdt_copy;		/* a writable copy of Linux's GDT, to load TR */
	struct vmcs_image *vmcs_image;	/* the fields kxen writes */
	u64 exits[KXEN_EXIT_NR];

	u64 gdt[5] __attribute__((aligned(16)));	/* null, code, data, TSS */
	struct tss64 tss;
};

#define CPU_CHECK_OFFSET(field, off) \
	_Static_assert(__builtin_offsetof(struct hv_cpu, field) == (off), #field)
CPU_CHECK_OFFSET(host_stack_top, CPU_HOST_STACK);
CPU_CHECK_OFFSET(linux_rsp, CPU_LINUX_RSP);
CPU_CHECK_OFFSET(entry_rip, CPU_ENTRY_RIP);
CPU_CHECK_OFFSET(entry_rsp, CPU_ENTRY_RSP);
CPU_CHECK_OFFSET(entry_rflags, CPU_ENTRY_RFLAGS);
CPU_CHECK_OFFSET(vmcb_pa, CPU_VMCB_PA);
CPU_CHECK_OFFSET(host_vmcb_pa, CPU_HOST_VMCB_PA);
CPU_CHECK_OFFSET(leave_frame, CPU_LEAVE_FRAME);
CPU_CHECK_OFFSET(leave_ds, CPU_LEAVE_DS);
CPU_CHECK_OFFSET(leave_es, CPU_LEAVE_ES);

/* The 64-bit operand of RDMSR/WRMSR and XSETBV: the guest's EDX:EAX. */
static inline u64 guest_edx_eax(const struct hv_cpu *cpu)
{
	return (cpu->regs[REG_RDX] & 0xffffffff) << 32 |
	       (cpu->regs[REG_RAX] & 0xffffffff);
}

/* The CPU running this code: found from the host GDT, which is per CPU. */
struct hv_cpu *this_cpu(void);
/* CPU ID's area, or NULL when there is none. */
struct hv_cpu *hv_cpu_area(u32 id);
int hv_cpu_take_over(struct hv_cpu *cpu);

#endif /* __ASSEMBLER__ */
#endif /* HV_CPU_H */
