// SPDX-License-Identifier: GPL-2.0
/*
 * Gather each CPU's raw virtualization facts with Linux's safe accessors,
 * decode them with the hypervisor's own logic, and publish what all CPUs
 * share in /sys/kernel/kxen/cpu/.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/sysfs.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include "kxen.h"

struct kxen_cpu_caps kxen_cpu_caps;
enum kxen_cpu_verdict kxen_cpu_verdict;

static DEFINE_PER_CPU(struct kxen_cpu_caps, cpu_caps);

static void read_msr(struct kxen_cpu_raw *raw, u32 msr, u64 *val, u32 bit)
{
	if (!rdmsrl_safe(msr, val))
		raw->msrs_valid |= bit;
}

static void read_vmx_msrs(struct kxen_cpu_raw *raw)
{
	/* The TRUE_ variants report the real allowed-0 settings. */
	bool true_ctls;

	read_msr(raw, MSR_IA32_FEAT_CTL, &raw->feature_control,
		 KXEN_RAW_MSR_FEATURE_CONTROL);
	read_msr(raw, MSR_IA32_VMX_BASIC, &raw->vmx_basic,
		 KXEN_RAW_MSR_VMX_BASIC);
	true_ctls = raw->vmx_basic & VMX_BASIC_TRUE_CTLS;
	read_msr(raw, true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
				  MSR_IA32_VMX_PINBASED_CTLS,
		 &raw->vmx_pinbased, KXEN_RAW_MSR_VMX_PINBASED);
	read_msr(raw, true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
				  MSR_IA32_VMX_PROCBASED_CTLS,
		 &raw->vmx_procbased, KXEN_RAW_MSR_VMX_PROCBASED);
	read_msr(raw, MSR_IA32_VMX_PROCBASED_CTLS2, &raw->vmx_procbased2,
		 KXEN_RAW_MSR_VMX_PROCBASED2);
	read_msr(raw, MSR_IA32_VMX_EPT_VPID_CAP, &raw->vmx_ept_vpid_cap,
		 KXEN_RAW_MSR_VMX_EPT_VPID_CAP);
}

static void gather_raw(struct kxen_cpu_raw *raw)
{
	u32 unused;

	*raw = (struct kxen_cpu_raw){ 0 };
	cpuid(0, &raw->max_leaf, &raw->vendor[0], &raw->vendor[2],
	      &raw->vendor[1]);
	cpuid(1, &unused, &unused, &raw->leaf1_ecx, &raw->leaf1_edx);
	if (raw->max_leaf >= 7)
		cpuid_count(7, 0, &unused, &raw->leaf7_ebx, &raw->leaf7_ecx,
			    &unused);
	raw->max_ext_leaf = cpuid_eax(0x80000000);
	if (raw->max_ext_leaf >= 0x80000001)
		cpuid(0x80000001, &unused, &unused, &raw->ext1_ecx,
		      &raw->ext1_edx);
	if (raw->max_ext_leaf >= 0x80000008)
		raw->ext8_eax = cpuid_eax(0x80000008);
	if (raw->max_ext_leaf >= 0x8000000a)
		cpuid(0x8000000a, &raw->svm_eax, &raw->svm_ebx, &unused,
		      &raw->svm_edx);
	rdmsrl(MSR_EFER, raw->efer);
	raw->cr4 = __read_cr4();

	if (this_cpu_has(X86_FEATURE_SVM))
		read_msr(raw, MSR_VM_CR, &raw->vm_cr, KXEN_RAW_MSR_VM_CR);
	if (this_cpu_has(X86_FEATURE_VMX))
		read_vmx_msrs(raw);
}

static void probe_this_cpu(void *unused)
{
	struct kxen_cpu_raw raw;

	gather_raw(&raw);
	kxen_cpu_decode(&raw, this_cpu_ptr(&cpu_caps));
}

void kxen_cpu_probe(void)
{
	bool first = true;
	int cpu;

	cpus_read_lock();
	on_each_cpu(probe_this_cpu, NULL, 1);
	for_each_online_cpu(cpu) {
		if (first)
			kxen_cpu_caps = per_cpu(cpu_caps, cpu);
		else
			kxen_cpu_caps_merge(&kxen_cpu_caps,
					    per_cpu_ptr(&cpu_caps, cpu));
		first = false;
	}
	cpus_read_unlock();

	kxen_cpu_verdict = kxen_cpu_assess(&kxen_cpu_caps);
}

static ssize_t vendor_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  kxen_cpu_vendor_name(kxen_cpu_caps.vendor));
}

static ssize_t features_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	int len = 0;
	int f;

	for (f = 0; f < KXEN_CPU_NR_FEATURES; f++)
		if (kxen_cpu_caps.features & BIT_ULL(f))
			len += sysfs_emit_at(buf, len, "%s%s", len ? " " : "",
					     kxen_cpu_feature_name(f));
	return len + sysfs_emit_at(buf, len, "\n");
}

static ssize_t phys_addr_bits_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", kxen_cpu_caps.phys_addr_bits);
}

static ssize_t virt_addr_bits_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", kxen_cpu_caps.virt_addr_bits);
}

static ssize_t paging_levels_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", kxen_cpu_caps.paging_levels);
}

static ssize_t verdict_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", kxen_cpu_verdict_text(kxen_cpu_verdict));
}

static struct kobj_attribute vendor_attr = __ATTR_RO(vendor);
static struct kobj_attribute features_attr = __ATTR_RO(features);
static struct kobj_attribute phys_addr_bits_attr = __ATTR_RO(phys_addr_bits);
static struct kobj_attribute virt_addr_bits_attr = __ATTR_RO(virt_addr_bits);
static struct kobj_attribute paging_levels_attr = __ATTR_RO(paging_levels);
static struct kobj_attribute verdict_attr = __ATTR_RO(verdict);

static struct attribute *cpu_attrs[] = {
	&vendor_attr.attr,
	&features_attr.attr,
	&phys_addr_bits_attr.attr,
	&virt_addr_bits_attr.attr,
	&paging_levels_attr.attr,
	&verdict_attr.attr,
	NULL
};

static const struct attribute_group cpu_group = {
	.name = "cpu",
	.attrs = cpu_attrs,
};

int kxen_cpu_sysfs_init(void)
{
	return sysfs_create_group(kxen_kobj, &cpu_group);
}

void kxen_cpu_sysfs_exit(void)
{
	sysfs_remove_group(kxen_kobj, &cpu_group);
}
