/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vmx.c (dom0) and vmx_vcpu.c (guest vCPUs) share: the VMX
 * instructions, exit reasons, the CPU's capabilities and dom0's
 * controls, and the exit handling both do alike.
 */
#ifndef HV_VMX_VMX_H
#define HV_VMX_VMX_H

#include <hv/cpu.h>
#include <hv/x86.h>
#include "vmcs.h"

/* Basic exit reasons */
#define EXIT_EXCEPTION_NMI	0
#define EXIT_EXTERNAL_INTERRUPT	1
#define EXIT_TRIPLE_FAULT	2
#define EXIT_INIT		3
#define EXIT_INTERRUPT_WINDOW	7
#define EXIT_NMI_WINDOW		8
#define EXIT_CPUID		10
#define EXIT_GETSEC		11
#define EXIT_HLT		12
#define EXIT_INVD		13
#define EXIT_VMCALL		18
#define EXIT_VMCLEAR		19
#define EXIT_VMXON		27
#define EXIT_CR_ACCESS		28
#define EXIT_RDMSR		31
#define EXIT_IO			30
#define EXIT_WRMSR		32
#define EXIT_INVALID_STATE	33
#define EXIT_EPT_VIOLATION	48
#define EXIT_EPT_MISCONFIG	49
#define EXIT_INVEPT		50
#define EXIT_INVVPID		53
#define EXIT_PREEMPTION_TIMER	52
#define EXIT_XSETBV		55
#define EXIT_VMFUNC		59
#define EXIT_REASON_FAILED	BIT(31)

#define INVEPT_SINGLE_CONTEXT	1
#define INVEPT_ALL_CONTEXT	2
#define INVVPID_SINGLE_CONTEXT	1
#define INVVPID_ALL_CONTEXT	2
#define EPT_CAP_INVEPT_SINGLE	BIT_ULL(25)
#define EPT_CAP_INVEPT_ALL	BIT_ULL(26)
#define VPID_CAP_INVVPID_SINGLE	BIT_ULL(41)
#define VPID_CAP_INVVPID_ALL	BIT_ULL(42)

#define DR6_FROM_QUALIFICATION	0x1600full	/* B0-B3, BD, BS, RTM */
#define DR6_BS			BIT_ULL(14)

/* What the CPU can do, and what dom0 runs with (vmx.c). */
extern struct vmx_caps vmx_caps;
extern struct vmx_controls dom0_controls;

/* The VMX instructions; those that can fail return -EIO when they do. */
#define VMX_FAILED(insn, operand)					\
({									\
	bool failed;							\
									\
	asm volatile(insn " %1; setna %0"				\
		     : "=qm"(failed) : "m"(operand) : "cc", "memory");	\
	failed ? -EIO : 0;						\
})

static inline int vmxon(u64 pa)
{
	return VMX_FAILED("vmxon", pa);
}

static inline int vmclear(u64 pa)
{
	return VMX_FAILED("vmclear", pa);
}

static inline int vmptrld(u64 pa)
{
	return VMX_FAILED("vmptrld", pa);
}

static inline int vmcs_write(u32 field, u64 val)
{
	bool failed;

	asm volatile("vmwrite %1, %2; setna %0"
		     : "=qm"(failed) : "rm"(val), "r"((u64)field) : "cc");
	return failed ? -EIO : 0;
}

static inline u64 vmcs_read(u32 field)
{
	u64 val;

	asm volatile("vmread %1, %0" : "=rm"(val) : "r"((u64)field) : "cc");
	return val;
}

/* INVEPT of TYPE for EPTP (single context) or all. */
static inline void vmx_invept(u64 type, u64 eptp)
{
	struct { u64 eptp, reserved; } desc = { eptp, 0 };

	asm volatile("invept %0, %1" : : "m"(desc), "r"(type) : "cc", "memory");
}

static inline void vmx_invvpid(u64 type, u16 vpid)
{
	struct { u64 vpid, addr; } desc = { vpid, 0 };

	asm volatile("invvpid %0, %1" : : "m"(desc), "r"(type) : "cc", "memory");
}

static inline void invept_all(void)
{
	if (vmx_caps.ept_vpid & EPT_CAP_INVEPT_ALL)
		vmx_invept(INVEPT_ALL_CONTEXT, 0);
}

static inline void invvpid_all(void)
{
	if (vmx_caps.ept_vpid & VPID_CAP_INVVPID_ALL)
		vmx_invvpid(INVVPID_ALL_CONTEXT, 0);
}

/*
 * In an MSR bitmap (SDM: "MSR-Bitmap Address"), MSR's write, and its
 * read if READS, exit (EXITS) or not.
 */
void msr_bitmap_set(u8 *bitmap, u32 msr, bool reads, bool exits);
/* IMG's fields into the current VMCS: 0, or -EIO (logged). */
int vmcs_write_image(const struct vmcs_image *img);
/* Reads each field IMG lists from the current VMCS into it. */
void vmcs_read_image(struct vmcs_image *img);
/* Event injection at the next entry, unless one is on its way already. */
void inject(u32 info, u32 error);
void inject_exception(unsigned int vector);
void inject_gp(void);
/* Past the instruction that exited; a single step traps after it. */
void skip_instruction(void);
/* An exception or NMI exit: NMIs are dom0's (cpu->pending_nmi). */
enum kxen_exit_reason handle_exception(struct hv_cpu *cpu);
/* The mode and paging of the VMCS's guest, for reaching its memory. */
void latch_guest_mode(struct hv_cpu *cpu);

/* What vmx_handle_exit() asks of the exit stub (entry.S). */
#define VMX_RESUME	0
#define VMX_LEAVE	1
#define VMX_LAUNCH	2

/* Guest vCPUs (vmx_vcpu.c). */
int vmx_vcpu_prepare(void);
int vmx_vcpu_create(struct vcpu *v);
void vmx_set_guest_pat(struct hv_cpu *cpu);
void vmx_vcpu_save(struct hv_cpu *cpu, struct vcpu *v, struct hvm_hw_cpu *r);
void vmx_vcpu_exit(struct hv_cpu *cpu, u32 reason);
/* The switches at the end of an exit; to a guest, it is launched next. */
void vmx_switch_to_vcpu(struct hv_cpu *cpu);
void vmx_switch_to_dom0(struct hv_cpu *cpu);
void vmx_vcpu_before_entry(struct hv_cpu *cpu);

#endif /* HV_VMX_VMX_H */
