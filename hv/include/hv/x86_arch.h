/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Architectural numbers: MSRs, register bits, CPUID bits, page-table
 * entry bits. Numbers only, so the hypervisor, its assembly and the
 * module's copy of hv/cpu_caps.c can all include this one header.
 */
#ifndef HV_X86_ARCH_H
#define HV_X86_ARCH_H

#define MSR_FEATURE_CONTROL	0x0000003a
#define MSR_MTRRCAP		0x000000fe
#define MSR_SYSENTER_CS		0x00000174
#define MSR_SYSENTER_ESP	0x00000175
#define MSR_SYSENTER_EIP	0x00000176
#define MSR_MISC_ENABLE		0x000001a0
#define MSR_DEBUGCTL		0x000001d9
#define MSR_MTRR_PHYS_BASE0	0x00000200	/* then PHYS_MASK0, BASE1, ... */
#define MSR_MTRR_FIX64K_00000	0x00000250
#define MSR_MTRR_FIX16K_80000	0x00000258
#define MSR_MTRR_FIX16K_A0000	0x00000259
#define MSR_MTRR_FIX4K_C0000	0x00000268	/* eight, to FIX4K_F8000 */
#define MSR_PAT			0x00000277
#define MSR_MTRR_DEF_TYPE	0x000002ff
#define MSR_VMX_BASIC		0x00000480
#define MSR_VMX_PINBASED	0x00000481
#define MSR_VMX_PROCBASED	0x00000482
#define MSR_VMX_EXIT		0x00000483
#define MSR_VMX_ENTRY		0x00000484
#define MSR_VMX_MISC		0x00000485
#define MSR_VMX_CR0_FIXED0	0x00000486
#define MSR_VMX_CR0_FIXED1	0x00000487
#define MSR_VMX_CR4_FIXED0	0x00000488
#define MSR_VMX_CR4_FIXED1	0x00000489
#define MSR_VMX_PROCBASED2	0x0000048b
#define MSR_VMX_EPT_VPID_CAP	0x0000048c
#define MSR_VMX_TRUE_OFFSET	0xc	/* IA32_VMX_TRUE_PINBASED_CTLS - _PINBASED_CTLS */
#define MSR_VMX_LAST		0x00000491	/* IA32_VMX_VMFUNC */
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define MSR_EFER		0xc0000080
#define MSR_TSC_AUX		0xc0000103
#define MSR_AMD_SYSCFG		0xc0010010
#define MSR_AMD_TOP_MEM1	0xc001001a
#define MSR_AMD_TOP_MEM2	0xc001001d
#define MSR_VM_CR		0xc0010114
#define MSR_AMD_EX_CFG		0xc001102c
#define MSR_VM_HSAVE_PA		0xc0010117

#define EFER_SVME_BIT		12

#ifndef __ASSEMBLER__
#include <kxen/types.h>

#define EFER_SVME		BIT_ULL(EFER_SVME_BIT)
#define VM_CR_LOCK		BIT_ULL(3)
#define VM_CR_SVMDIS		BIT_ULL(4)
#define FEATURE_CONTROL_LOCKED	BIT_ULL(0)
#define MISC_ENABLE_BTS_UNAVAIL		BIT_ULL(11)
#define MISC_ENABLE_PEBS_UNAVAIL	BIT_ULL(12)
#define FEATURE_CONTROL_VMX	BIT_ULL(2)	/* VMXON outside SMX */
#define EFER_SCE		BIT_ULL(0)
#define EFER_LME		BIT_ULL(8)
#define EFER_LMA		BIT_ULL(10)
#define EFER_NXE		BIT_ULL(11)
#define EFER_FFXSE		BIT_ULL(14)
/* Where MXCSR sits in an FXSAVE image (and an XSAVE area's legacy part). */
#define FXSAVE_MXCSR		24

#define CR0_PE			BIT_ULL(0)
#define CR0_MP			BIT_ULL(1)
#define CR0_EM			BIT_ULL(2)
#define CR0_TS			BIT_ULL(3)
#define CR0_ET			BIT_ULL(4)
#define CR0_NE			BIT_ULL(5)
#define CR0_WP			BIT_ULL(16)
#define CR0_AM			BIT_ULL(18)
#define CR0_NW			BIT_ULL(29)
#define CR0_CD			BIT_ULL(30)
#define CR0_PG			BIT_ULL(31)
#define CR4_VME			BIT_ULL(0)
#define CR4_PVI			BIT_ULL(1)
#define CR4_TSD			BIT_ULL(2)
#define CR4_DE			BIT_ULL(3)
#define CR4_PSE			BIT_ULL(4)
#define CR4_PAE			BIT_ULL(5)
#define CR4_MCE			BIT_ULL(6)
#define CR4_PGE			BIT_ULL(7)
#define CR4_PCE			BIT_ULL(8)
#define CR4_OSFXSR		BIT_ULL(9)
#define CR4_OSXMMEXCPT		BIT_ULL(10)
#define CR4_UMIP		BIT_ULL(11)
#define CR4_LA57		BIT_ULL(12)
#define CR4_VMXE		BIT_ULL(13)
#define CR4_FSGSBASE		BIT_ULL(16)
#define CR4_PCIDE		BIT_ULL(17)
#define CR4_OSXSAVE		BIT_ULL(18)
#define CR4_SMEP		BIT_ULL(20)
#define CR4_SMAP		BIT_ULL(21)
#define CR4_PKE			BIT_ULL(22)
#define CR4_CET			BIT_ULL(23)

/* XCR0's state components. */
#define XCR0_X87		BIT_ULL(0)
#define XCR0_SSE		BIT_ULL(1)
#define XCR0_AVX		BIT_ULL(2)
#define XCR0_MPX		(BIT_ULL(3) | BIT_ULL(4))
#define XCR0_AVX512		(BIT_ULL(5) | BIT_ULL(6) | BIT_ULL(7))
#define XCR0_PKRU		BIT_ULL(9)

#define CPUID1_EDX_MTRR		BIT(12)
#define CPUID1_ECX_VMX		BIT(5)
#define CPUID1_ECX_PCID		BIT(17)
#define CPUID1_ECX_X2APIC	BIT(21)
#define CPUID1_ECX_XSAVE	BIT(26)
#define CPUID1_ECX_OSXSAVE	BIT(27)
#define CPUID1_ECX_HYPERVISOR	BIT(31)
#define CPUID7_EBX_INVPCID	BIT(10)
#define CPUID7_ECX_LA57		BIT(16)
#define CPUIDD1_EAX_XSAVEC	BIT(1)
#define CPUIDX1_ECX_SVM		BIT(2)
#define CPUIDX1_EDX_NX		BIT(20)
#define CPUIDX1_EDX_PAGE_1G	BIT(26)
#define CPUID_LEAF_SVM		0x8000000a
#define CPUID_SVM_FLUSH_BY_ASID	BIT(6)

/* Memory types, encoded alike in MTRRs, PAT entries and EPT entries. */
enum mem_type {
	MEM_UC = 0,
	MEM_WC = 1,
	MEM_WT = 4,
	MEM_WP = 5,
	MEM_WB = 6,
};

/* Long-mode page-table entries. */
#define PTE_P			BIT_ULL(0)
#define PTE_RW			BIT_ULL(1)
#define PTE_US			BIT_ULL(2)
#define PTE_PWT			BIT_ULL(3)
#define PTE_PCD			BIT_ULL(4)
#define PTE_A			BIT_ULL(5)
#define PTE_D			BIT_ULL(6)
#define PTE_PS			BIT_ULL(7)
#define PTE_ADDR		0x000ffffffffff000ull
#endif /* __ASSEMBLER__ */

#endif /* HV_X86_ARCH_H */
