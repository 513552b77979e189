// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hv/cpu_caps.c: CPUID/MSR fixtures of the CPUs kxen meets
 * (the lab's QEMU and bochs models, real AMD and Intel parts, firmware and
 * KVM states) must decode to the right features and verdicts.
 */
#include <string.h>
#include <kxen/cpu_caps.h>
#include <hv/x86_arch.h>
#include "ktap.h"

/*
 * The fixtures are the lab's CPUs, read in dom0 through /dev/cpu/0/cpuid
 * and /dev/cpu/0/msr (November 2026). CR4 cannot be read from userspace;
 * only its LA57 and VMXE bits matter here, and both are clear.
 */

/* QEMU 7.2 TCG "-cpu max,-la57", the lab's default: SVM, NPT, VGIF. */
static struct kxen_cpu_raw amd_qemu_max(void)
{
	return (struct kxen_cpu_raw){
		.max_leaf = 0xd,
		.vendor = { 0x68747541, 0x69746e65, 0x444d4163 },
		.leaf1_ecx = 0xfed8320b, .leaf1_edx = 0x1fcbfbfd,
		.leaf7_ebx = 0x01d843a9, .leaf7_ecx = 0x8000021c,
		.max_ext_leaf = 0x8000000a,
		.ext1_ecx = 0x00000077, .ext1_edx = 0xedd3fbfd,
		.ext8_eax = 0x3028,
		.svm_eax = 0x1, .svm_ebx = 0x10, .svm_edx = 0x10010001,
		.efer = 0xd01,
		.msrs_valid = KXEN_RAW_MSR_VM_CR,
		.vm_cr = 0,
	};
}

/* Bochs 2.7 "corei7_skylake_x", the lab's --vmx CPU. */
static struct kxen_cpu_raw intel_skylake(void)
{
	return (struct kxen_cpu_raw){
		.max_leaf = 0x16,
		.vendor = { 0x756e6547, 0x49656e69, 0x6c65746e },
		.leaf1_ecx = 0x77faf3bf, .leaf1_edx = 0xbfebfbff,
		.leaf7_ebx = 0xd19f27eb, .leaf7_ecx = 0,
		.max_ext_leaf = 0x80000008,
		.ext1_ecx = 0x00000121, .ext1_edx = 0x2c100800,
		.ext8_eax = 0x3028,
		/* Leaf 0x8000000a is beyond the maximum: Intel repeats leaf 0x16. */
		.svm_eax = 0xdac, .svm_ebx = 0xfa0, .svm_edx = 0,
		.efer = 0xd01,
		.msrs_valid = KXEN_RAW_MSR_FEATURE_CONTROL |
			      KXEN_RAW_MSR_VMX_BASIC |
			      KXEN_RAW_MSR_VMX_PINBASED |
			      KXEN_RAW_MSR_VMX_PROCBASED |
			      KXEN_RAW_MSR_VMX_PROCBASED2 |
			      KXEN_RAW_MSR_VMX_EPT_VPID_CAP,
		.feature_control = 0x5,	/* locked, VMX outside SMX */
		.vmx_basic = 0x00d810000000002bull,
		.vmx_pinbased = 0x0000007f00000016ull,	/* TRUE_PINBASED */
		.vmx_procbased = 0xf7f9fffe04006172ull,	/* TRUE_PROCBASED */
		.vmx_procbased2 = 0x02177fff00000000ull,
		.vmx_ept_vpid_cap = 0x00000f0106334141ull,
	};
}

static enum kxen_cpu_verdict verdict_of(const struct kxen_cpu_raw *raw)
{
	struct kxen_cpu_caps caps;

	kxen_cpu_decode(raw, &caps);
	return kxen_cpu_assess(&caps);
}

static int expect_verdict(const struct kxen_cpu_raw *raw,
			  enum kxen_cpu_verdict want, const char *name)
{
	enum kxen_cpu_verdict got = verdict_of(raw);

	if (got != want)
		ktap_diag("got '%s', want '%s'", kxen_cpu_verdict_text(got),
			  kxen_cpu_verdict_text(want));
	return ktap_test_result(got == want, "%s", name);
}

static void test_qemu_svm(void)
{
	struct kxen_cpu_raw raw = amd_qemu_max();
	struct kxen_cpu_caps caps;

	kxen_cpu_decode(&raw, &caps);
	ktap_test_result(caps.vendor == KXEN_VENDOR_AMD &&
			 KXEN_CPU_HAS(&caps, SVM) && KXEN_CPU_HAS(&caps, NPT) &&
			 KXEN_CPU_HAS(&caps, VGIF) &&
			 !KXEN_CPU_HAS(&caps, NRIPS) &&
			 !KXEN_CPU_HAS(&caps, DECODE_ASSISTS) &&
			 !KXEN_CPU_HAS(&caps, VMX),
			 "qemu max: svm npt vgif, no nrips or decode assists");
	ktap_test_result(caps.phys_addr_bits == 40 &&
			 caps.virt_addr_bits == 48 && caps.paging_levels == 4 &&
			 !KXEN_CPU_HAS(&caps, LA57) && !KXEN_CPU_HAS(&caps, PCID) &&
			 !KXEN_CPU_HAS(&caps, X2APIC) &&
			 KXEN_CPU_HAS(&caps, HYPERVISOR),
			 "qemu max: 40/48-bit addresses, no la57 pcid x2apic");
	expect_verdict(&raw, KXEN_CPU_READY_SVM, "qemu max: ready for svm");
}

static void test_svm_refusals(void)
{
	struct kxen_cpu_raw raw;

	raw = amd_qemu_max();
	raw.efer |= EFER_SVME;
	expect_verdict(&raw, KXEN_CPU_SVM_IN_USE, "amd: EFER.SVME set is busy");

	raw = amd_qemu_max();
	raw.vm_cr = 1u << 4;
	expect_verdict(&raw, KXEN_CPU_SVM_DISABLED,
		       "amd: VM_CR.SVMDIS is disabled by firmware");

	/* VM_CR unreadable: nothing is known to forbid SVM. */
	raw.msrs_valid = 0;
	expect_verdict(&raw, KXEN_CPU_READY_SVM,
		       "amd: unreadable VM_CR is not taken as disabled");

	raw = amd_qemu_max();
	raw.svm_edx &= ~1u;
	expect_verdict(&raw, KXEN_CPU_NO_NPT, "amd: svm without npt refused");

	raw = amd_qemu_max();
	raw.max_ext_leaf = 0x80000008;
	expect_verdict(&raw, KXEN_CPU_NO_NPT,
		       "amd: svm leaf beyond max leaf means no npt");

	raw = amd_qemu_max();
	raw.ext1_ecx = 0;
	expect_verdict(&raw, KXEN_CPU_NO_VIRT, "amd: no svm at all");

	raw = amd_qemu_max();
	raw.leaf7_ecx |= BIT(16);
	raw.cr4 |= CR4_LA57;
	expect_verdict(&raw, KXEN_CPU_READY_SVM,
		       "amd: 5-level paging kernel is fine for npt");
}

static void test_hygon(void)
{
	struct kxen_cpu_raw raw = amd_qemu_max();
	struct kxen_cpu_caps caps;

	raw.vendor[0] = 0x6f677948;
	raw.vendor[1] = 0x6e65476e;
	raw.vendor[2] = 0x656e6975;
	kxen_cpu_decode(&raw, &caps);
	ktap_test_result(caps.vendor == KXEN_VENDOR_AMD &&
			 kxen_cpu_assess(&caps) == KXEN_CPU_READY_SVM,
			 "hygon decodes as amd svm");
}

static void test_skylake_vmx(void)
{
	struct kxen_cpu_raw raw = intel_skylake();
	struct kxen_cpu_caps caps;

	kxen_cpu_decode(&raw, &caps);
	ktap_test_result(caps.vendor == KXEN_VENDOR_INTEL &&
			 KXEN_CPU_HAS(&caps, VMX) && KXEN_CPU_HAS(&caps, EPT) &&
			 KXEN_CPU_HAS(&caps, VPID) &&
			 KXEN_CPU_HAS(&caps, UNRESTRICTED_GUEST) &&
			 KXEN_CPU_HAS(&caps, MSR_BITMAP) &&
			 KXEN_CPU_HAS(&caps, PREEMPTION_TIMER) &&
			 KXEN_CPU_HAS(&caps, PCID) && KXEN_CPU_HAS(&caps, X2APIC) &&
			 KXEN_CPU_HAS(&caps, INVPCID) &&
			 !KXEN_CPU_HAS(&caps, HYPERVISOR),
			 "skylake: vmx ept vpid unrestricted msr_bitmap timer");
	ktap_test_result(KXEN_CPU_HAS(&caps, EPT_4LEVEL) &&
			 !KXEN_CPU_HAS(&caps, EPT_5LEVEL) &&
			 KXEN_CPU_HAS(&caps, EPT_WB) &&
			 KXEN_CPU_HAS(&caps, EPT_2M) &&
			 KXEN_CPU_HAS(&caps, EPT_1G) &&
			 KXEN_CPU_HAS(&caps, INVEPT) &&
			 KXEN_CPU_HAS(&caps, INVVPID) &&
			 !KXEN_CPU_HAS(&caps, SVM) && !KXEN_CPU_HAS(&caps, NPT),
			 "skylake: ept capabilities decoded");
	expect_verdict(&raw, KXEN_CPU_READY_VMX, "skylake: ready for vmx");
}

static void test_vmx_refusals(void)
{
	struct kxen_cpu_raw raw;

	raw = intel_skylake();
	raw.feature_control = 0x1;
	expect_verdict(&raw, KXEN_CPU_VMX_DISABLED,
		       "intel: FEATURE_CONTROL locked without vmx");

	raw.feature_control = 0x0;
	expect_verdict(&raw, KXEN_CPU_READY_VMX,
		       "intel: unlocked FEATURE_CONTROL is usable");

	raw = intel_skylake();
	raw.cr4 |= CR4_VMXE;
	expect_verdict(&raw, KXEN_CPU_VMX_IN_USE, "intel: CR4.VMXE is busy");

	raw = intel_skylake();
	raw.vmx_procbased &= ~(1ull << (32 + 31));
	expect_verdict(&raw, KXEN_CPU_NO_EPT,
		       "intel: no secondary controls means no ept");

	raw = intel_skylake();
	raw.msrs_valid &= ~KXEN_RAW_MSR_VMX_PROCBASED2;
	expect_verdict(&raw, KXEN_CPU_NO_EPT,
		       "intel: unreadable secondary controls means no ept");

	raw = intel_skylake();
	raw.vmx_procbased2 &= ~(1ull << (32 + 7));
	expect_verdict(&raw, KXEN_CPU_NO_UNRESTRICTED_GUEST,
		       "intel: ept without unrestricted guest refused");

	raw = intel_skylake();
	raw.vmx_ept_vpid_cap &= ~(1ull << 14);
	expect_verdict(&raw, KXEN_CPU_NO_EPT_WALK,
		       "intel: ept without write-back tables refused");

	raw = intel_skylake();
	raw.leaf1_ecx &= ~(1u << 5);
	expect_verdict(&raw, KXEN_CPU_NO_VIRT, "intel: no vmx at all");

	/* An Intel CPU reporting AMD's SVM bit still has no SVM. */
	raw.ext1_ecx = 1u << 2;
	expect_verdict(&raw, KXEN_CPU_NO_VIRT,
		       "intel: svm bit on intel is ignored");
}

static void test_vmx_five_level(void)
{
	struct kxen_cpu_raw raw = intel_skylake();

	raw.cr4 |= CR4_LA57;
	expect_verdict(&raw, KXEN_CPU_READY_VMX,
		       "intel la57: 40-bit MAXPHYADDR fits 4-level ept");

	raw.ext8_eax = 0x3934;	/* 52 physical, 57 virtual bits */
	expect_verdict(&raw, KXEN_CPU_NO_EPT_WALK,
		       "intel la57: 52-bit MAXPHYADDR needs 5-level ept");

	raw.vmx_ept_vpid_cap |= 1ull << 7;
	expect_verdict(&raw, KXEN_CPU_READY_VMX,
		       "intel la57: 5-level ept accepted");
}

static void test_address_size_default(void)
{
	struct kxen_cpu_raw raw = intel_skylake();
	struct kxen_cpu_caps caps;

	raw.max_ext_leaf = 0x80000004;
	kxen_cpu_decode(&raw, &caps);
	ktap_test_result(caps.phys_addr_bits == 36 &&
			 caps.virt_addr_bits == 48,
			 "no leaf 0x80000008: 36/48-bit defaults");
}

static void decode_both(const struct kxen_cpu_raw *a,
			const struct kxen_cpu_raw *b,
			struct kxen_cpu_caps *all)
{
	struct kxen_cpu_caps one;

	kxen_cpu_decode(a, all);
	kxen_cpu_decode(b, &one);
	kxen_cpu_caps_merge(all, &one);
}

static void test_merge(void)
{
	struct kxen_cpu_raw a = amd_qemu_max(), b = amd_qemu_max();
	struct kxen_cpu_caps all;

	b.svm_edx |= 1u << 3;	/* only the second CPU has NRIPS */
	b.ext8_eax = 0x3024;
	decode_both(&a, &b, &all);
	ktap_test_result(!KXEN_CPU_HAS(&all, NRIPS) &&
			 KXEN_CPU_HAS(&all, NPT) && all.phys_addr_bits == 36 &&
			 kxen_cpu_assess(&all) == KXEN_CPU_READY_SVM,
			 "merge: features intersect, address bits take minimum");

	b = amd_qemu_max();
	b.efer |= EFER_SVME;
	decode_both(&a, &b, &all);
	ktap_test_result(kxen_cpu_assess(&all) == KXEN_CPU_SVM_IN_USE,
			 "merge: svm busy on one cpu blocks all");

	b = amd_qemu_max();
	b.svm_edx = 0;
	decode_both(&a, &b, &all);
	ktap_test_result(kxen_cpu_assess(&all) == KXEN_CPU_NO_NPT,
			 "merge: npt missing on one cpu refuses");

	b = intel_skylake();
	decode_both(&a, &b, &all);
	ktap_test_result(kxen_cpu_assess(&all) == KXEN_CPU_MIXED,
			 "merge: mixed vendors refused");

	b = amd_qemu_max();
	b.cr4 |= CR4_LA57;
	decode_both(&a, &b, &all);
	ktap_test_result(kxen_cpu_assess(&all) == KXEN_CPU_MIXED,
			 "merge: mixed paging modes refused");
}

static void test_names(void)
{
	bool names_ok = true, texts_ok = true;
	int i, j;

	for (i = 0; i < KXEN_CPU_NR_FEATURES; i++) {
		const char *name = kxen_cpu_feature_name(i);

		names_ok &= name && *name && !strchr(name, ' ');
		for (j = 0; j < i; j++)
			names_ok &= strcmp(name, kxen_cpu_feature_name(j)) != 0;
	}
	ktap_test_result(names_ok, "feature names are unique single words");

	for (i = 0; i < KXEN_CPU_NR_VERDICTS; i++) {
		const char *text = kxen_cpu_verdict_text(i);
		bool ready = !strncmp(text, "ready:", 6);

		texts_ok &= text && strlen(text) > 10 &&
			    ready == kxen_cpu_ready(i);
	}
	ktap_test_result(texts_ok,
			 "every verdict has a text; only ready ones say ready");
	ktap_test_result(!strcmp(kxen_cpu_feature_name(KXEN_CPU_NR_FEATURES),
				 "?") &&
			 !strcmp(kxen_cpu_verdict_text(KXEN_CPU_NR_VERDICTS),
				 "?"),
			 "out-of-range names are '?'");
}

int main(void)
{
	ktap_print_header(35);
	test_qemu_svm();
	test_svm_refusals();
	test_hygon();
	test_skylake_vmx();
	test_vmx_refusals();
	test_vmx_five_level();
	test_address_size_default();
	test_merge();
	test_names();
	return ktap_finished();
}
