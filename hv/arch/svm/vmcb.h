/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMCB, as AMD's APM vol. 2 appendix B lays it out: a control area
 * (intercepts, exit information, event injection) and, at 0x400, the
 * guest's saved state. Only the fields kxen uses are named; the offsets
 * are checked at build time.
 */
#ifndef HV_SVM_VMCB_H
#define HV_SVM_VMCB_H

#include <kxen/types.h>

struct vmcb_seg {
	u16 selector;
	u16 attrib;		/* descriptor bits 40-47 and 52-55 */
	u32 limit;
	u64 base;
};

struct vmcb_control {
	u32 intercept_cr;		/* 0x000: reads 0-15, writes 16-31 */
	u32 intercept_dr;		/* 0x004 */
	u32 intercept_exceptions;	/* 0x008: bit per vector */
	u32 intercept_misc1;		/* 0x00c: INTERCEPT_* below */
	u32 intercept_misc2;		/* 0x010: INTERCEPT2_* below */
	u8 reserved_014[0x040 - 0x014];
	u64 iopm_base_pa;		/* 0x040 */
	u64 msrpm_base_pa;		/* 0x048 */
	u64 tsc_offset;			/* 0x050 */
	u32 asid;			/* 0x058 */
	u8 tlb_control;			/* 0x05c */
	u8 reserved_05d[3];
	u64 vintr;			/* 0x060 */
	u64 interrupt_shadow;		/* 0x068 */
	u64 exit_code;			/* 0x070 */
	u64 exit_info_1;		/* 0x078 */
	u64 exit_info_2;		/* 0x080 */
	u64 exit_int_info;		/* 0x088 */
	u64 nested_control;		/* 0x090: bit 0 enables NPT */
	u8 reserved_098[0x0a8 - 0x098];
	u64 event_inject;		/* 0x0a8 */
	u64 nested_cr3;			/* 0x0b0 */
	u64 virt_ext;			/* 0x0b8 */
	u32 clean_bits;			/* 0x0c0 */
	u32 reserved_0c4;
	u64 next_rip;			/* 0x0c8 */
	u8 reserved_0d0[0x400 - 0x0d0];
};

struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs;	/* 0x400 */
	struct vmcb_seg gdtr, ldtr, idtr, tr;	/* 0x460 */
	u8 reserved_4a0[0x4cb - 0x4a0];
	u8 cpl;				/* 0x4cb */
	u32 reserved_4cc;
	u64 efer;			/* 0x4d0 */
	u8 reserved_4d8[0x548 - 0x4d8];
	u64 cr4;			/* 0x548 */
	u64 cr3;
	u64 cr0;
	u64 dr7;
	u64 dr6;
	u64 rflags;
	u64 rip;			/* 0x578 */
	u8 reserved_580[0x5d8 - 0x580];
	u64 rsp;			/* 0x5d8 */
	u8 reserved_5e0[0x5f8 - 0x5e0];
	u64 rax;			/* 0x5f8 */
	u64 star, lstar, cstar, sfmask, kernel_gs_base;
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
	u64 cr2;			/* 0x640 */
	u8 reserved_648[0x668 - 0x648];
	u64 g_pat;			/* 0x668 */
	u8 reserved_670[0x1000 - 0x670];
};

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
};

_Static_assert(__builtin_offsetof(struct vmcb, control.next_rip) == 0x0c8, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, save.tr) == 0x490, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, save.cpl) == 0x4cb, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, save.efer) == 0x4d0, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, save.rip) == 0x578, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, save.rax) == 0x5f8, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, save.cr2) == 0x640, "vmcb");
_Static_assert(__builtin_offsetof(struct vmcb, save.g_pat) == 0x668, "vmcb");
_Static_assert(sizeof(struct vmcb) == 0x1000, "vmcb");

/* intercept_misc1 */
#define INTERCEPT_INTR		BIT(0)
#define INTERCEPT_NMI		BIT(1)
#define INTERCEPT_VINTR		BIT(4)
#define INTERCEPT_CPUID		BIT(18)
#define INTERCEPT_INVD		BIT(22)
#define INTERCEPT_HLT		BIT(24)
#define INTERCEPT_IOIO_PROT	BIT(27)
#define INTERCEPT_MSR_PROT	BIT(28)
#define INTERCEPT_SHUTDOWN	BIT(31)
/* intercept_misc2 */
#define INTERCEPT2_VMRUN	BIT(0)
#define INTERCEPT2_VMMCALL	BIT(1)
#define INTERCEPT2_VMLOAD	BIT(2)
#define INTERCEPT2_VMSAVE	BIT(3)
#define INTERCEPT2_STGI		BIT(4)
#define INTERCEPT2_CLGI		BIT(5)
#define INTERCEPT2_SKINIT	BIT(6)
#define INTERCEPT2_XSETBV	BIT(13)

/* vintr: the host's RFLAGS.IF, not the guest's, masks physical interrupts. */
#define VINTR_MASKING		BIT_ULL(24)
/* A virtual interrupt is requested (V_IRQ), whatever the guest's TPR. */
#define VINTR_IRQ		BIT_ULL(8)
#define VINTR_IGN_TPR		BIT_ULL(20)
/* interrupt_shadow: the guest is after STI or MOV SS. */
#define INTERRUPT_SHADOW	BIT_ULL(0)
/* Segment attributes: the L bit (64-bit code). */
#define SEG_ATTRIB_L		BIT(9)
#define SEG_ATTRIB_DB		BIT(10)

#define NESTED_CONTROL_NP_ENABLE	BIT_ULL(0)
#define TLB_CONTROL_FLUSH_ALL		1
#define TLB_CONTROL_FLUSH_ASID		3

/* event_inject */
#define EVENT_INJECT_VALID	BIT_ULL(31)
#define EVENT_INJECT_ERR_VALID	BIT_ULL(11)
#define EVENT_INJECT_INTR	(0ull << 8)
#define EVENT_INJECT_NMI	(2ull << 8)
#define EVENT_INJECT_EXCEPTION	(3ull << 8)

/* exit_info_1 of an IOIO exit */
#define IOIO_IN			BIT_ULL(0)
#define IOIO_STRING		BIT_ULL(2)
#define IOIO_SIZE_SHIFT		4	/* one bit each for 1, 2 and 4 bytes */

/* exit_code */
#define SVM_EXIT_EXCEPTION(v)	(0x40 + (v))
#define SVM_EXIT_INTR		0x60
#define SVM_EXIT_NMI		0x61
#define SVM_EXIT_SMI		0x62
#define SVM_EXIT_VINTR		0x64
#define SVM_EXIT_CPUID		0x72
#define SVM_EXIT_INVD		0x76
#define SVM_EXIT_HLT		0x78
#define SVM_EXIT_IOIO		0x7b
#define SVM_EXIT_MSR		0x7c
#define SVM_EXIT_SHUTDOWN	0x7f
#define SVM_EXIT_VMRUN		0x80
#define SVM_EXIT_VMMCALL	0x81
#define SVM_EXIT_VMLOAD		0x82
#define SVM_EXIT_VMSAVE		0x83
#define SVM_EXIT_STGI		0x84
#define SVM_EXIT_CLGI		0x85
#define SVM_EXIT_SKINIT		0x86
#define SVM_EXIT_XSETBV		0x8d
#define SVM_EXIT_NPF		0x400
/* Stored zero-extended by some CPUs (QEMU): compare the low 32 bits. */
#define SVM_EXIT_INVALID	0xffffffffu

#endif /* HV_SVM_VMCB_H */
