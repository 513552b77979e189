/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the CPU offers for hardware virtualization, and whether kxen can
 * run on it.
 *
 * The logic is pure: the caller gathers the raw CPUID leaves and MSRs with
 * whatever safe accessors its context has (rdmsr_safe() in the module,
 * fixtures in the unit tests) and kxen_cpu_decode() turns them into
 * capabilities. The module uses it to refuse early with a clear reason;
 * the hypervisor uses the same decoding to pick its code paths.
 */
#ifndef KXEN_CPU_CAPS_H
#define KXEN_CPU_CAPS_H

#include <kxen/types.h>

/* Which of the optional MSRs in struct kxen_cpu_raw could be read. */
#define KXEN_RAW_MSR_VM_CR		(1u << 0)
#define KXEN_RAW_MSR_FEATURE_CONTROL	(1u << 1)
#define KXEN_RAW_MSR_VMX_BASIC		(1u << 2)
#define KXEN_RAW_MSR_VMX_PINBASED	(1u << 3)
#define KXEN_RAW_MSR_VMX_PROCBASED	(1u << 4)
#define KXEN_RAW_MSR_VMX_PROCBASED2	(1u << 5)
#define KXEN_RAW_MSR_VMX_EPT_VPID_CAP	(1u << 6)

/* Raw facts about one CPU; leaves beyond the CPU's maximum read as zero. */
struct kxen_cpu_raw {
	u32 max_leaf;			/* CPUID 0: EAX */
	u32 vendor[3];			/* CPUID 0: EBX, EDX, ECX */
	u32 leaf1_ecx, leaf1_edx;	/* CPUID 1 */
	u32 leaf7_ebx, leaf7_ecx;	/* CPUID 7, subleaf 0 */
	u32 max_ext_leaf;		/* CPUID 0x80000000: EAX */
	u32 ext1_ecx, ext1_edx;		/* CPUID 0x80000001 */
	u32 ext8_eax;			/* CPUID 0x80000008: address sizes */
	u32 svm_eax, svm_ebx, svm_edx;	/* CPUID 0x8000000a */
	u64 efer, cr4;
	u32 msrs_valid;			/* KXEN_RAW_MSR_* */
	u64 vm_cr;			/* AMD VM_CR, 0xc0010114 */
	u64 feature_control;		/* IA32_FEATURE_CONTROL, 0x3a */
	u64 vmx_basic;			/* IA32_VMX_BASIC, 0x480 */
	u64 vmx_pinbased;		/* IA32_VMX_(TRUE_)PINBASED_CTLS */
	u64 vmx_procbased;		/* IA32_VMX_(TRUE_)PROCBASED_CTLS */
	u64 vmx_procbased2;		/* IA32_VMX_PROCBASED_CTLS2, 0x48b */
	u64 vmx_ept_vpid_cap;		/* IA32_VMX_EPT_VPID_CAP, 0x48c */
};

/* Feature bits of struct kxen_cpu_caps; kxen_cpu_feature_name() names them. */
enum kxen_cpu_feature {
	KXEN_CPU_SVM,
	KXEN_CPU_NPT,
	KXEN_CPU_NRIPS,
	KXEN_CPU_DECODE_ASSISTS,
	KXEN_CPU_VMCB_CLEAN,
	KXEN_CPU_FLUSH_BY_ASID,
	KXEN_CPU_VGIF,
	KXEN_CPU_AVIC,
	KXEN_CPU_PAUSE_FILTER,
	KXEN_CPU_LBRV,
	KXEN_CPU_TSC_SCALE,
	KXEN_CPU_VMX,
	KXEN_CPU_EPT,
	KXEN_CPU_VPID,
	KXEN_CPU_UNRESTRICTED_GUEST,
	KXEN_CPU_EPT_4LEVEL,
	KXEN_CPU_EPT_5LEVEL,
	KXEN_CPU_EPT_WB,
	KXEN_CPU_EPT_2M,
	KXEN_CPU_EPT_1G,
	KXEN_CPU_INVEPT,
	KXEN_CPU_INVVPID,
	KXEN_CPU_PREEMPTION_TIMER,
	KXEN_CPU_MSR_BITMAP,
	KXEN_CPU_LA57,
	KXEN_CPU_NX,
	KXEN_CPU_PAGE_1G,
	KXEN_CPU_PCID,
	KXEN_CPU_INVPCID,
	KXEN_CPU_X2APIC,
	KXEN_CPU_XSAVE,
	KXEN_CPU_HYPERVISOR,
	KXEN_CPU_NR_FEATURES
};

#define KXEN_CPU_HAS(caps, id) (((caps)->features >> KXEN_CPU_##id) & 1)

enum kxen_cpu_vendor {
	KXEN_VENDOR_OTHER,
	KXEN_VENDOR_AMD,		/* AMD and Hygon */
	KXEN_VENDOR_INTEL,
};

/* Capabilities of one CPU, or what every CPU of a machine has in common. */
struct kxen_cpu_caps {
	enum kxen_cpu_vendor vendor;
	u64 features;			/* bit KXEN_CPU_x set when present */
	u8 phys_addr_bits;		/* MAXPHYADDR */
	u8 virt_addr_bits;
	u8 paging_levels;		/* of the running kernel: 4 or 5 */
	/* States that forbid kxen even though the feature exists. */
	bool svm_disabled;		/* VM_CR.SVMDIS: firmware turned SVM off */
	bool svm_in_use;		/* EFER.SVME already set */
	bool vmx_disabled;		/* FEATURE_CONTROL locked without VMX */
	bool vmx_in_use;		/* CR4.VMXE already set */
};

enum kxen_cpu_verdict {
	KXEN_CPU_READY_SVM,
	KXEN_CPU_READY_VMX,
	KXEN_CPU_NO_VIRT,
	KXEN_CPU_MIXED,
	KXEN_CPU_SVM_DISABLED,
	KXEN_CPU_SVM_IN_USE,
	KXEN_CPU_NO_NPT,
	KXEN_CPU_VMX_DISABLED,
	KXEN_CPU_VMX_IN_USE,
	KXEN_CPU_NO_EPT,
	KXEN_CPU_NO_UNRESTRICTED_GUEST,
	KXEN_CPU_NO_EPT_WALK,
	KXEN_CPU_NR_VERDICTS
};

void kxen_cpu_decode(const struct kxen_cpu_raw *raw,
		     struct kxen_cpu_caps *caps);
void kxen_cpu_caps_merge(struct kxen_cpu_caps *all,
			 const struct kxen_cpu_caps *one);
enum kxen_cpu_verdict kxen_cpu_assess(const struct kxen_cpu_caps *caps);

const char *kxen_cpu_feature_name(enum kxen_cpu_feature feature);
const char *kxen_cpu_vendor_name(enum kxen_cpu_vendor vendor);
/* One line for users: what kxen will use, or why it refuses and what to do. */
const char *kxen_cpu_verdict_text(enum kxen_cpu_verdict verdict);

static inline bool kxen_cpu_ready(enum kxen_cpu_verdict verdict)
{
	return verdict == KXEN_CPU_READY_SVM || verdict == KXEN_CPU_READY_VMX;
}

#endif /* KXEN_CPU_CAPS_H */
