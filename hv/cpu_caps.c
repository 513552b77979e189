// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding of CPUID and the virtualization MSRs into kxen's capability
 * set, and the rules that decide whether kxen can take over the machine.
 * Pure logic: no instructions with side effects, no globals written.
 */
#include <kxen/cpu_caps.h>
#include <hv/x86_arch.h>

/* CPUID vendor strings as EBX, EDX, ECX. */
static const u32 vendor_amd[3] = { 0x68747541, 0x69746e65, 0x444d4163 };
static const u32 vendor_hygon[3] = { 0x6f677948, 0x6e65476e, 0x656e6975 };
static const u32 vendor_intel[3] = { 0x756e6547, 0x49656e69, 0x6c65746e };

/* CPUID 0x8000000a EDX */
#define SVM_EDX_NPT		BIT(0)
#define SVM_EDX_LBRV		BIT(1)
#define SVM_EDX_NRIPS		BIT(3)
#define SVM_EDX_TSC_SCALE	BIT(4)
#define SVM_EDX_VMCB_CLEAN	BIT(5)
#define SVM_EDX_FLUSH_BY_ASID	BIT(6)
#define SVM_EDX_DECODE_ASSISTS	BIT(7)
#define SVM_EDX_PAUSE_FILTER	BIT(10)
#define SVM_EDX_AVIC		BIT(13)
#define SVM_EDX_VGIF		BIT(16)


/* VMX capability MSRs: the high half holds the allowed-1 settings. */
#define ALLOWED1(msr, bit)		(((msr) >> 32) & BIT_ULL(bit))
#define PINBASED_PREEMPTION_TIMER	6
#define PROCBASED_MSR_BITMAP		28
#define PROCBASED_SECONDARY		31
#define PROCBASED2_EPT			1
#define PROCBASED2_VPID			5
#define PROCBASED2_UNRESTRICTED		7

/* IA32_VMX_EPT_VPID_CAP */
#define EPT_CAP_WALK4		BIT_ULL(6)
#define EPT_CAP_WALK5		BIT_ULL(7)
#define EPT_CAP_WB		BIT_ULL(14)
#define EPT_CAP_2M		BIT_ULL(16)
#define EPT_CAP_1G		BIT_ULL(17)
#define EPT_CAP_INVEPT		BIT_ULL(20)
#define EPT_CAP_INVVPID		BIT_ULL(32)

#define CPUID_EXT_SVM		0x8000000au
#define CPUID_EXT_ADDR_SIZES	0x80000008u

static bool vendor_is(const struct kxen_cpu_raw *raw, const u32 *v)
{
	return raw->vendor[0] == v[0] && raw->vendor[1] == v[1] &&
	       raw->vendor[2] == v[2];
}

static void set_if(struct kxen_cpu_caps *caps, enum kxen_cpu_feature f,
		   bool present)
{
	if (present)
		caps->features |= BIT_ULL(f);
}

static bool msr_valid(const struct kxen_cpu_raw *raw, u32 which)
{
	return (raw->msrs_valid & which) == which;
}

static void decode_svm(const struct kxen_cpu_raw *raw,
		       struct kxen_cpu_caps *caps)
{
	u32 edx = raw->svm_edx;

	if (!(raw->ext1_ecx & CPUIDX1_ECX_SVM))
		return;
	set_if(caps, KXEN_CPU_SVM, true);
	if (raw->max_ext_leaf >= CPUID_EXT_SVM) {
		set_if(caps, KXEN_CPU_NPT, edx & SVM_EDX_NPT);
		set_if(caps, KXEN_CPU_LBRV, edx & SVM_EDX_LBRV);
		set_if(caps, KXEN_CPU_NRIPS, edx & SVM_EDX_NRIPS);
		set_if(caps, KXEN_CPU_TSC_SCALE, edx & SVM_EDX_TSC_SCALE);
		set_if(caps, KXEN_CPU_VMCB_CLEAN, edx & SVM_EDX_VMCB_CLEAN);
		set_if(caps, KXEN_CPU_FLUSH_BY_ASID,
		       edx & SVM_EDX_FLUSH_BY_ASID);
		set_if(caps, KXEN_CPU_DECODE_ASSISTS,
		       edx & SVM_EDX_DECODE_ASSISTS);
		set_if(caps, KXEN_CPU_PAUSE_FILTER, edx & SVM_EDX_PAUSE_FILTER);
		set_if(caps, KXEN_CPU_AVIC, edx & SVM_EDX_AVIC);
		set_if(caps, KXEN_CPU_VGIF, edx & SVM_EDX_VGIF);
	}
	caps->svm_disabled = msr_valid(raw, KXEN_RAW_MSR_VM_CR) &&
			     (raw->vm_cr & VM_CR_SVMDIS);
	caps->svm_in_use = raw->efer & EFER_SVME;
}

static void decode_vmx(const struct kxen_cpu_raw *raw,
		       struct kxen_cpu_caps *caps)
{
	u64 fc = raw->feature_control;
	bool secondary;

	if (!(raw->leaf1_ecx & CPUID1_ECX_VMX))
		return;
	set_if(caps, KXEN_CPU_VMX, true);
	/* Unlocked is fine: kxen may enable and lock it itself. */
	caps->vmx_disabled = msr_valid(raw, KXEN_RAW_MSR_FEATURE_CONTROL) &&
			     (fc & FEATURE_CONTROL_LOCKED) &&
			     !(fc & FEATURE_CONTROL_VMX);
	caps->vmx_in_use = raw->cr4 & CR4_VMXE;

	if (msr_valid(raw, KXEN_RAW_MSR_VMX_PINBASED))
		set_if(caps, KXEN_CPU_PREEMPTION_TIMER,
		       ALLOWED1(raw->vmx_pinbased, PINBASED_PREEMPTION_TIMER));
	if (!msr_valid(raw, KXEN_RAW_MSR_VMX_PROCBASED))
		return;
	set_if(caps, KXEN_CPU_MSR_BITMAP,
	       ALLOWED1(raw->vmx_procbased, PROCBASED_MSR_BITMAP));
	secondary = ALLOWED1(raw->vmx_procbased, PROCBASED_SECONDARY);
	if (!secondary || !msr_valid(raw, KXEN_RAW_MSR_VMX_PROCBASED2))
		return;
	set_if(caps, KXEN_CPU_EPT,
	       ALLOWED1(raw->vmx_procbased2, PROCBASED2_EPT));
	set_if(caps, KXEN_CPU_VPID,
	       ALLOWED1(raw->vmx_procbased2, PROCBASED2_VPID));
	set_if(caps, KXEN_CPU_UNRESTRICTED_GUEST,
	       ALLOWED1(raw->vmx_procbased2, PROCBASED2_UNRESTRICTED));
	if (!msr_valid(raw, KXEN_RAW_MSR_VMX_EPT_VPID_CAP))
		return;
	set_if(caps, KXEN_CPU_EPT_4LEVEL, raw->vmx_ept_vpid_cap & EPT_CAP_WALK4);
	set_if(caps, KXEN_CPU_EPT_5LEVEL, raw->vmx_ept_vpid_cap & EPT_CAP_WALK5);
	set_if(caps, KXEN_CPU_EPT_WB, raw->vmx_ept_vpid_cap & EPT_CAP_WB);
	set_if(caps, KXEN_CPU_EPT_2M, raw->vmx_ept_vpid_cap & EPT_CAP_2M);
	set_if(caps, KXEN_CPU_EPT_1G, raw->vmx_ept_vpid_cap & EPT_CAP_1G);
	set_if(caps, KXEN_CPU_INVEPT, raw->vmx_ept_vpid_cap & EPT_CAP_INVEPT);
	set_if(caps, KXEN_CPU_INVVPID,
	       raw->vmx_ept_vpid_cap & EPT_CAP_INVVPID);
}

void kxen_cpu_decode(const struct kxen_cpu_raw *raw,
		     struct kxen_cpu_caps *caps)
{
	*caps = (struct kxen_cpu_caps){ 0 };

	if (vendor_is(raw, vendor_amd) || vendor_is(raw, vendor_hygon))
		caps->vendor = KXEN_VENDOR_AMD;
	else if (vendor_is(raw, vendor_intel))
		caps->vendor = KXEN_VENDOR_INTEL;

	set_if(caps, KXEN_CPU_PCID, raw->leaf1_ecx & CPUID1_ECX_PCID);
	set_if(caps, KXEN_CPU_X2APIC, raw->leaf1_ecx & CPUID1_ECX_X2APIC);
	set_if(caps, KXEN_CPU_XSAVE, raw->leaf1_ecx & CPUID1_ECX_XSAVE);
	set_if(caps, KXEN_CPU_HYPERVISOR,
	       raw->leaf1_ecx & CPUID1_ECX_HYPERVISOR);
	if (raw->max_leaf >= 7) {
		set_if(caps, KXEN_CPU_INVPCID,
		       raw->leaf7_ebx & CPUID7_EBX_INVPCID);
		set_if(caps, KXEN_CPU_LA57, raw->leaf7_ecx & CPUID7_ECX_LA57);
	}
	set_if(caps, KXEN_CPU_NX, raw->ext1_edx & CPUIDX1_EDX_NX);
	set_if(caps, KXEN_CPU_PAGE_1G, raw->ext1_edx & CPUIDX1_EDX_PAGE_1G);

	/* Without leaf 0x80000008 the SDM's defaults apply. */
	if (raw->max_ext_leaf >= CPUID_EXT_ADDR_SIZES) {
		caps->phys_addr_bits = raw->ext8_eax & 0xff;
		caps->virt_addr_bits = (raw->ext8_eax >> 8) & 0xff;
	} else {
		caps->phys_addr_bits = 36;
		caps->virt_addr_bits = 48;
	}
	caps->paging_levels = (raw->cr4 & CR4_LA57) ? 5 : 4;

	/* Only a vendor's own extension counts: Intel has no SVM and so on. */
	if (caps->vendor == KXEN_VENDOR_AMD)
		decode_svm(raw, caps);
	else
		decode_vmx(raw, caps);
}

/*
 * Fold one CPU into what all CPUs share: kxen must run the same way
 * everywhere, so a feature counts only when every CPU has it, and a
 * blocking state on any CPU blocks the whole machine.
 */
void kxen_cpu_caps_merge(struct kxen_cpu_caps *all,
			 const struct kxen_cpu_caps *one)
{
	if (all->vendor != one->vendor)
		all->vendor = KXEN_VENDOR_OTHER;
	all->features &= one->features;
	if (one->phys_addr_bits < all->phys_addr_bits)
		all->phys_addr_bits = one->phys_addr_bits;
	if (one->virt_addr_bits < all->virt_addr_bits)
		all->virt_addr_bits = one->virt_addr_bits;
	if (one->paging_levels != all->paging_levels)
		all->paging_levels = 0;
	all->svm_disabled |= one->svm_disabled;
	all->svm_in_use |= one->svm_in_use;
	all->vmx_disabled |= one->vmx_disabled;
	all->vmx_in_use |= one->vmx_in_use;
}

static enum kxen_cpu_verdict assess_svm(const struct kxen_cpu_caps *caps)
{
	if (caps->svm_disabled)
		return KXEN_CPU_SVM_DISABLED;
	if (caps->svm_in_use)
		return KXEN_CPU_SVM_IN_USE;
	/* NPT walks follow the host's paging mode, so both depths work. */
	if (!KXEN_CPU_HAS(caps, NPT))
		return KXEN_CPU_NO_NPT;
	return KXEN_CPU_READY_SVM;
}

static enum kxen_cpu_verdict assess_vmx(const struct kxen_cpu_caps *caps)
{
	if (caps->vmx_disabled)
		return KXEN_CPU_VMX_DISABLED;
	if (caps->vmx_in_use)
		return KXEN_CPU_VMX_IN_USE;
	if (!KXEN_CPU_HAS(caps, EPT))
		return KXEN_CPU_NO_EPT;
	if (!KXEN_CPU_HAS(caps, UNRESTRICTED_GUEST))
		return KXEN_CPU_NO_UNRESTRICTED_GUEST;
	/*
	 * Dom0's EPT must reach every guest-physical address and kxen
	 * builds it with 4-level walks, or 5-level ones when the kernel
	 * itself uses 5-level paging (MAXPHYADDR may then exceed 48 bits).
	 * Write-back EPT structures are required by kxen's page walker.
	 */
	if (!KXEN_CPU_HAS(caps, EPT_WB) || !KXEN_CPU_HAS(caps, EPT_4LEVEL))
		return KXEN_CPU_NO_EPT_WALK;
	if (caps->paging_levels == 5 && caps->phys_addr_bits > 48 &&
	    !KXEN_CPU_HAS(caps, EPT_5LEVEL))
		return KXEN_CPU_NO_EPT_WALK;
	return KXEN_CPU_READY_VMX;
}

enum kxen_cpu_verdict kxen_cpu_assess(const struct kxen_cpu_caps *caps)
{
	if (caps->vendor == KXEN_VENDOR_OTHER || !caps->paging_levels)
		return KXEN_CPU_MIXED;
	if (KXEN_CPU_HAS(caps, SVM))
		return assess_svm(caps);
	if (KXEN_CPU_HAS(caps, VMX))
		return assess_vmx(caps);
	return KXEN_CPU_NO_VIRT;
}

/* Names follow /proc/cpuinfo where Linux has one. */
static const char *const feature_names[KXEN_CPU_NR_FEATURES] = {
	[KXEN_CPU_SVM] = "svm",
	[KXEN_CPU_NPT] = "npt",
	[KXEN_CPU_NRIPS] = "nrips",
	[KXEN_CPU_DECODE_ASSISTS] = "decodeassists",
	[KXEN_CPU_VMCB_CLEAN] = "vmcb_clean",
	[KXEN_CPU_FLUSH_BY_ASID] = "flushbyasid",
	[KXEN_CPU_VGIF] = "vgif",
	[KXEN_CPU_AVIC] = "avic",
	[KXEN_CPU_PAUSE_FILTER] = "pausefilter",
	[KXEN_CPU_LBRV] = "lbrv",
	[KXEN_CPU_TSC_SCALE] = "tsc_scale",
	[KXEN_CPU_VMX] = "vmx",
	[KXEN_CPU_EPT] = "ept",
	[KXEN_CPU_VPID] = "vpid",
	[KXEN_CPU_UNRESTRICTED_GUEST] = "unrestricted_guest",
	[KXEN_CPU_EPT_4LEVEL] = "ept_4level",
	[KXEN_CPU_EPT_5LEVEL] = "ept_5level",
	[KXEN_CPU_EPT_WB] = "ept_wb",
	[KXEN_CPU_EPT_2M] = "ept_2m",
	[KXEN_CPU_EPT_1G] = "ept_1g",
	[KXEN_CPU_INVEPT] = "invept",
	[KXEN_CPU_INVVPID] = "invvpid",
	[KXEN_CPU_PREEMPTION_TIMER] = "preemption_timer",
	[KXEN_CPU_MSR_BITMAP] = "msr_bitmap",
	[KXEN_CPU_LA57] = "la57",
	[KXEN_CPU_NX] = "nx",
	[KXEN_CPU_PAGE_1G] = "pdpe1gb",
	[KXEN_CPU_PCID] = "pcid",
	[KXEN_CPU_INVPCID] = "invpcid",
	[KXEN_CPU_X2APIC] = "x2apic",
	[KXEN_CPU_XSAVE] = "xsave",
	[KXEN_CPU_HYPERVISOR] = "hypervisor",
};

const char *kxen_cpu_feature_name(enum kxen_cpu_feature feature)
{
	return feature < KXEN_CPU_NR_FEATURES ? feature_names[feature] : "?";
}

const char *kxen_cpu_vendor_name(enum kxen_cpu_vendor vendor)
{
	switch (vendor) {
	case KXEN_VENDOR_AMD:
		return "amd";
	case KXEN_VENDOR_INTEL:
		return "intel";
	default:
		return "other";
	}
}

static const char *const verdict_texts[KXEN_CPU_NR_VERDICTS] = {
	[KXEN_CPU_READY_SVM] = "ready: AMD SVM with nested paging",
	[KXEN_CPU_READY_VMX] =
		"ready: Intel VMX with EPT and unrestricted guest",
	[KXEN_CPU_NO_VIRT] =
		"unsupported: this CPU offers neither AMD SVM nor Intel VMX (in a VM, enable nested virtualization)",
	[KXEN_CPU_MIXED] =
		"unsupported: the CPUs differ in vendor or paging mode",
	[KXEN_CPU_SVM_DISABLED] =
		"disabled: firmware turned SVM off (VM_CR.SVMDIS); enable SVM in the firmware setup",
	[KXEN_CPU_SVM_IN_USE] =
		"busy: SVM is already in use (EFER.SVME set), most likely by KVM; unload it with 'modprobe -r kvm_amd'",
	[KXEN_CPU_NO_NPT] =
		"unsupported: SVM without nested paging (NPT)",
	[KXEN_CPU_VMX_DISABLED] =
		"disabled: firmware locked VMX off (IA32_FEATURE_CONTROL); enable VT-x in the firmware setup",
	[KXEN_CPU_VMX_IN_USE] =
		"busy: VMX is already in use (CR4.VMXE set), most likely by KVM; unload it with 'modprobe -r kvm_intel'",
	[KXEN_CPU_NO_EPT] = "unsupported: VMX without EPT",
	[KXEN_CPU_NO_UNRESTRICTED_GUEST] =
		"unsupported: VMX without unrestricted guest",
	[KXEN_CPU_NO_EPT_WALK] =
		"unsupported: EPT lacks write-back tables or the page-walk depth this kernel's paging needs",
};

const char *kxen_cpu_verdict_text(enum kxen_cpu_verdict verdict)
{
	return verdict < KXEN_CPU_NR_VERDICTS ? verdict_texts[verdict] : "?";
}
