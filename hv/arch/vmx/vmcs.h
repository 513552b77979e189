/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMCS as kxen builds it: field encodings and control bits (Intel
 * SDM vol. 3, appendix B and chapter 25), the capability MSRs, and the
 * pure code that turns captured Linux state into field values and checks
 * them against the SDM's VM-entry rules (vmcs.c, vmcs_check.c). Both are
 * free of instructions with side effects, so the unit tests run them on
 * state captured from real CPUs.
 */
#ifndef HV_VMX_VMCS_H
#define HV_VMX_VMCS_H

#include <kxen/types.h>
#include <hv/x86_arch.h>

/* 16-bit fields */
#define VMCS_VPID			0x0000
#define VMCS_GUEST_SEL(seg)		(0x0800 + 2 * (seg))
#define VMCS_HOST_ES_SEL		0x0c00
#define VMCS_HOST_CS_SEL		0x0c02
#define VMCS_HOST_SS_SEL		0x0c04
#define VMCS_HOST_DS_SEL		0x0c06
#define VMCS_HOST_FS_SEL		0x0c08
#define VMCS_HOST_GS_SEL		0x0c0a
#define VMCS_HOST_TR_SEL		0x0c0c
/* 64-bit fields */
#define VMCS_MSR_BITMAP			0x2004
#define VMCS_TSC_OFFSET			0x2010
#define VMCS_EPT_POINTER		0x201a
#define VMCS_XSS_EXIT_BITMAP		0x202c
#define VMCS_GUEST_PHYS_ADDR		0x2400
#define VMCS_LINK_POINTER		0x2800
#define VMCS_GUEST_DEBUGCTL		0x2802
#define VMCS_GUEST_PAT			0x2804
#define VMCS_GUEST_EFER			0x2806
#define VMCS_HOST_PAT			0x2c00
#define VMCS_HOST_EFER			0x2c02
/* 32-bit fields */
#define VMCS_PIN_CONTROLS		0x4000
#define VMCS_PROC_CONTROLS		0x4002
#define VMCS_EXCEPTION_BITMAP		0x4004
#define VMCS_CR3_TARGET_COUNT		0x400a
#define VMCS_EXIT_CONTROLS		0x400c
#define VMCS_EXIT_MSR_STORE_COUNT	0x400e
#define VMCS_EXIT_MSR_LOAD_COUNT	0x4010
#define VMCS_ENTRY_CONTROLS		0x4012
#define VMCS_ENTRY_MSR_LOAD_COUNT	0x4014
#define VMCS_ENTRY_INTR_INFO		0x4016
#define VMCS_ENTRY_EXCEPTION_ERROR	0x4018
#define VMCS_ENTRY_INSTRUCTION_LEN	0x401a
#define VMCS_PROC_CONTROLS2		0x401e
#define VMCS_INSTRUCTION_ERROR		0x4400
#define VMCS_EXIT_REASON		0x4402
#define VMCS_EXIT_INTR_INFO		0x4404
#define VMCS_EXIT_INTR_ERROR		0x4406
#define VMCS_IDT_VECTORING_INFO		0x4408
#define VMCS_IDT_VECTORING_ERROR	0x440a
#define VMCS_EXIT_INSTRUCTION_LEN	0x440c
#define VMCS_GUEST_LIMIT(seg)		(0x4800 + 2 * (seg))
#define VMCS_GUEST_GDTR_LIMIT		0x4810
#define VMCS_GUEST_IDTR_LIMIT		0x4812
#define VMCS_GUEST_AR(seg)		(0x4814 + 2 * (seg))
#define VMCS_GUEST_INTERRUPTIBILITY	0x4824
#define VMCS_GUEST_ACTIVITY		0x4826
#define VMCS_GUEST_SYSENTER_CS		0x482a
#define VMCS_PREEMPTION_TIMER		0x482e
#define VMCS_HOST_SYSENTER_CS		0x4c00
/* natural-width fields */
#define VMCS_CR0_MASK			0x6000
#define VMCS_CR4_MASK			0x6002
#define VMCS_CR0_SHADOW			0x6004
#define VMCS_CR4_SHADOW			0x6006
#define VMCS_EXIT_QUALIFICATION		0x6400
#define VMCS_GUEST_CR0			0x6800
#define VMCS_GUEST_CR3			0x6802
#define VMCS_GUEST_CR4			0x6804
#define VMCS_GUEST_BASE(seg)		(0x6806 + 2 * (seg))
#define VMCS_GUEST_GDTR_BASE		0x6816
#define VMCS_GUEST_IDTR_BASE		0x6818
#define VMCS_GUEST_DR7			0x681a
#define VMCS_GUEST_RSP			0x681c
#define VMCS_GUEST_RIP			0x681e
#define VMCS_GUEST_RFLAGS		0x6820
#define VMCS_GUEST_PENDING_DEBUG	0x6822
#define VMCS_GUEST_SYSENTER_ESP		0x6824
#define VMCS_GUEST_SYSENTER_EIP		0x6826
#define VMCS_HOST_CR0			0x6c00
#define VMCS_HOST_CR3			0x6c02
#define VMCS_HOST_CR4			0x6c04
#define VMCS_HOST_FS_BASE		0x6c06
#define VMCS_HOST_GS_BASE		0x6c08
#define VMCS_HOST_TR_BASE		0x6c0a
#define VMCS_HOST_GDTR_BASE		0x6c0c
#define VMCS_HOST_IDTR_BASE		0x6c0e
#define VMCS_HOST_SYSENTER_ESP		0x6c10
#define VMCS_HOST_SYSENTER_EIP		0x6c12
#define VMCS_HOST_RSP			0x6c14
#define VMCS_HOST_RIP			0x6c16

/* Segment registers in VMCS order. */
enum vmx_seg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR,
	       SEG_TR, SEG_NR };

/* Access rights: the descriptor's byte 5 and flags nibble, and more. */
#define AR_TYPE(ar)		((ar) & 0xf)
#define AR_S			BIT(4)
#define AR_DPL(ar)		(((ar) >> 5) & 3)
#define AR_P			BIT(7)
#define AR_L			BIT(13)
#define AR_DB			BIT(14)
#define AR_G			BIT(15)
#define AR_UNUSABLE		BIT(16)
#define AR_RESERVED		0xfffe0f00u
#define SEG_TYPE_ACCESSED	BIT(0)
#define SEG_TYPE_READ_WRITE	BIT(1)
#define SEG_TYPE_CODE		BIT(3)
#define SEG_TYPE_LDT		2
#define SEG_TYPE_TSS64_BUSY	11

/* Pin-based controls */
#define PIN_EXTERNAL_INTERRUPT	BIT(0)
#define PIN_NMI_EXITING		BIT(3)
#define PIN_VIRTUAL_NMIS	BIT(5)
#define PIN_PREEMPTION_TIMER	BIT(6)
/* Primary processor-based controls */
#define PROC_INTERRUPT_WINDOW	BIT(2)
#define PROC_TSC_OFFSET		BIT(3)
#define PROC_HLT		BIT(7)
#define PROC_CR3_LOAD		BIT(15)
#define PROC_CR3_STORE		BIT(16)
#define PROC_CR8_LOAD		BIT(19)
#define PROC_CR8_STORE		BIT(20)
#define PROC_NMI_WINDOW		BIT(22)
#define PROC_UNCOND_IO		BIT(24)
#define PROC_MSR_BITMAP		BIT(28)
#define PROC_SECONDARY		BIT(31)
/* Secondary processor-based controls */
#define PROC2_EPT		BIT(1)
#define PROC2_RDTSCP		BIT(3)
#define PROC2_VPID		BIT(5)
#define PROC2_UNRESTRICTED	BIT(7)
#define PROC2_INVPCID		BIT(12)
#define PROC2_VMFUNC		BIT(13)
#define PROC2_SHADOW_VMCS	BIT(14)
#define PROC2_XSAVES		BIT(20)
#define PROC2_UMWAIT		BIT(26)
/* VM-exit controls */
#define EXIT_SAVE_DEBUG		BIT(2)
#define EXIT_HOST_64BIT		BIT(9)
#define EXIT_SAVE_PAT		BIT(18)
#define EXIT_LOAD_PAT		BIT(19)
#define EXIT_SAVE_EFER		BIT(20)
#define EXIT_LOAD_EFER		BIT(21)
/* VM-entry controls */
#define ENTRY_LOAD_DEBUG	BIT(2)
#define ENTRY_GUEST_64BIT	BIT(9)
#define ENTRY_LOAD_PAT		BIT(14)
#define ENTRY_LOAD_EFER		BIT(15)

/* Interruption information (VM entry, VM exit, IDT vectoring). */
#define INTR_INFO_VECTOR(info)	((info) & 0xff)
#define INTR_INFO_TYPE(info)	(((info) >> 8) & 7)
#define INTR_INFO_ERROR_VALID	BIT(11)
#define INTR_INFO_NMI_UNBLOCKED	BIT(12)
#define INTR_INFO_VALID		BIT(31)
#define INTR_TYPE_EXTERNAL	0
#define INTR_TYPE_NMI		2
#define INTR_TYPE_HW_EXCEPTION	3
#define INTR_TYPE_SW_INTERRUPT	4
#define INTR_TYPE_PRIV_SW_EXC	5
#define INTR_TYPE_SW_EXCEPTION	6
#define INTR_TYPE_OTHER		7

/* Guest interruptibility state */
#define BLOCKING_STI		BIT(0)
#define BLOCKING_MOV_SS		BIT(1)
#define BLOCKING_NMI		BIT(3)

/* IA32_VMX_MISC: the preemption timer counts every 2^N TSC ticks. */
#define VMX_MISC_PREEMPTION_RATE(m)	((m) & 0x1f)

/* IA32_VMX_BASIC */
#define VMX_BASIC_REVISION(b)	((u32)(b) & 0x7fffffff)
#define VMX_BASIC_TRUE_CTLS	BIT_ULL(55)
/* IA32_VMX_EPT_VPID_CAP */
#define EPT_CAP_WALK4		BIT_ULL(6)
#define EPT_CAP_WALK5		BIT_ULL(7)
#define EPT_CAP_UC		BIT_ULL(8)
#define EPT_CAP_WB		BIT_ULL(14)
#define EPT_CAP_AD		BIT_ULL(21)
/* The EPT pointer: memory type WB and the walk length. */
#define EPTP_WB			6ull
#define EPTP_WALK(levels)	(((u64)(levels) - 1) << 3)

/*
 * The capability MSRs, as read: the controls are the TRUE_ variants when
 * IA32_VMX_BASIC says they exist. Each control MSR holds the settings
 * allowed to be 0 (a 0 bit in the low half) and to be 1 (a 1 bit in
 * the high half).
 */
struct vmx_caps {
	u64 basic, misc;
	u64 pin, proc, proc2, exit, entry;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 ept_vpid;
	u8 phys_addr_bits, virt_addr_bits;
};

/* What the CPU runs with, from struct vmx_caps and kxen's needs. */
struct vmx_controls {
	u32 pin, proc, proc2, exit, entry;
};

/*
 * Linux's state at the moment it becomes dom0: control registers, MSRs,
 * and each segment's selector with its descriptor (16 bytes for the
 * system descriptors LDTR and TR; zero for null selectors).
 */
struct vmx_linux_state {
	u64 cr0, cr3, cr4, dr7, efer, pat, debugctl;
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
	u64 fs_base, gs_base;
	u64 rip, rsp, rflags;
	u64 gdt_base, idt_base;
	u16 gdt_limit, idt_limit;
	u16 sel[SEG_NR];
	u64 desc[SEG_NR][2];
};

/* The host side: its tables, stack and exit entry. */
struct vmx_host_state {
	u64 cr0, cr3, cr4, efer, pat;
	u64 gdt_base, idt_base, tr_base;
	u64 rsp, rip;
	u16 cs_sel, ds_sel, tr_sel;
};

/* The field types, by bits 11:10 of the encoding. */
#define VMCS_FIELD_TYPE(enc)	(((enc) >> 10) & 3)
#define VMCS_TYPE_HOST		3

/* Field values to write, in the order they were set. */
#define VMCS_IMAGE_MAX	128
struct vmcs_image {
	unsigned int nr;
	bool overflow;		/* a field did not fit: the image is unusable */
	struct vmcs_field {
		u32 encoding;
		u64 value;
	} field[VMCS_IMAGE_MAX];
};

void vmcs_image_set(struct vmcs_image *img, u32 encoding, u64 value);
/* The value of ENCODING, or 0 when the image does not set it. */
u64 vmcs_image_get(const struct vmcs_image *img, u32 encoding);

/*
 * The controls kxen needs (EPT, VPID, unrestricted guest, NMI exiting
 * with virtual NMIs, MSR bitmap, the state save and load controls) plus
 * those without which dom0's instructions would fault (RDTSCP, INVPCID,
 * XSAVES, UMWAIT) where the CPU has them. -ENODEV if a need is missing.
 */
int vmx_choose_controls(const struct vmx_caps *caps,
			struct vmx_controls *ctl);

/* Dom0's VMCS: Linux's state as the guest, the host's, and the controls. */
void vmcs_build(struct vmcs_image *img, const struct vmx_controls *ctl,
		const struct vmx_linux_state *linux_state,
		const struct vmx_host_state *host, u64 msr_bitmap_pa, u64 eptp,
		u16 vpid);

/*
 * A guest vCPU's controls, from dom0's: physical interrupts, HLT, every
 * port and CR8 exit as well (CR8 is the emulated LAPIC's TPR), the TSC
 * is offset, CR3 never exits (EPT), and the entry into IA-32e mode is
 * set per vCPU. -ENODEV if the CPU cannot.
 */
int vmx_choose_vcpu_controls(const struct vmx_caps *caps,
			     const struct vmx_controls *dom0,
			     struct vmx_controls *ctl);

/*
 * The CR0 bits a guest vCPU's MOV to CR0 exits for: PG, whose change
 * into or out of IA-32e mode kxen makes, and NE, which VMX fixes to 1
 * while the guest may have it 0.
 */
#define VCPU_CR0_OWNED		(CR0_PG | CR0_NE)
/* The CR4 bit it exits for: VMXE, which VMX fixes to 1 and kxen hides. */
#define VCPU_CR4_OWNED		CR4_VMXE

/* The fields of a guest vCPU's VMCS that stay as they are made. */
void vmcs_build_vcpu(struct vmcs_image *img, const struct vmx_controls *ctl,
		     u64 msr_bitmap_pa, u64 eptp, u16 vpid);

/*
 * A guest vCPU's state from Xen's save record R and its PAT: segments
 * in VMX's access-rights form (an absent one unusable), the bits VMX
 * fixes in CR0 and CR4 set behind the guest's read shadows, EFER.LMA
 * from LME and PG, and the entry into IA-32e mode with it.
 */
struct hvm_hw_cpu;
void vmcs_vcpu_state(struct vmcs_image *img, const struct vmx_caps *caps,
		     const struct vmx_controls *ctl,
		     const struct hvm_hw_cpu *r, u64 pat);

/*
 * The other way: the guest state IMG holds (fields as vmcs_vcpu_state()
 * sets them, read back from a VMCS) into the fields of R it sets, with
 * CR0's and CR4's bits the guest does not own from the read shadows.
 */
void vmcs_vcpu_regs(const struct vmcs_image *img, struct hvm_hw_cpu *r);

/*
 * The SDM's checks on VM entry (vol. 3, "Checks on VMX Controls and
 * Host-State Area", "Checks on the Guest State Area") applied to IMG.
 * REPORT gets one line per violation; the count is returned.
 */
typedef void (*vmcs_report_fn)(void *ctx, const char *violation);
unsigned int vmcs_check(const struct vmcs_image *img,
			const struct vmx_caps *caps, vmcs_report_fn report,
			void *ctx);

#endif /* HV_VMX_VMCS_H */
