// SPDX-License-Identifier: GPL-2.0
/*
 * kxen: load and unload. Loading probes the CPUs, refuses with a reason
 * when they cannot host kxen, and otherwise slides the hypervisor under
 * the running Linux, which goes on as dom0; unloading gives the machine
 * back. With probe_only=1 the module only reports what the CPUs offer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/suspend.h>
#include "kxen.h"

static bool probe_only;
module_param(probe_only, bool, 0444);
MODULE_PARM_DESC(probe_only, "Only report the CPUs' virtualization support in /sys/kernel/kxen/cpu; start no hypervisor");

struct kobject *kxen_kobj;

/* Reboot, power-off, halt and kexec: hand the bare machine over. */
static int kxen_reboot(struct notifier_block *nb, unsigned long action,
		       void *data)
{
	kxen_hv_disable();
	return NOTIFY_DONE;
}

static struct notifier_block reboot_nb = { .notifier_call = kxen_reboot };

/* Suspend would power CPUs down under the hypervisor: refuse it. */
static int kxen_pm(struct notifier_block *nb, unsigned long action,
		   void *data)
{
	if (action != PM_SUSPEND_PREPARE && action != PM_HIBERNATION_PREPARE)
		return NOTIFY_DONE;
	pr_err("suspend and hibernation are refused while kxen is loaded: 'rmmod kxen' first\n");
	return NOTIFY_BAD;
}

static struct notifier_block pm_nb = { .notifier_call = kxen_pm };

static int refusal_errno(enum kxen_cpu_verdict verdict)
{
	switch (verdict) {
	case KXEN_CPU_SVM_IN_USE:
	case KXEN_CPU_VMX_IN_USE:
		return -EBUSY;
	case KXEN_CPU_SVM_DISABLED:
	case KXEN_CPU_VMX_DISABLED:
		return -EPERM;
	default:
		return -ENODEV;
	}
}

/*
 * KVM sets EFER.SVME or CR4.VMXE only while it runs a VM, so a loaded
 * but idle kvm_amd or kvm_intel passes the CPU checks; under kxen, where
 * SVM and VMX are hidden, its next VM would fail. Refuse while either is
 * loaded at all.
 */
static bool module_loaded(const char *name)
{
	struct kobject *kobj = kset_find_obj(THIS_MODULE->mkobj.kobj.kset, name);

	kobject_put(kobj);
	return kobj;
}

static int kxen_start(void)
{
	static const struct {
		const char *module, *extension;
	} kvm[] = { { "kvm_amd", "SVM" }, { "kvm_intel", "VMX" } };
	int i, err;

	for (i = 0; i < ARRAY_SIZE(kvm); i++) {
		if (module_loaded(kvm[i].module)) {
			pr_err("%s is loaded and would use %s beside kxen: unload it first with 'modprobe -r %s'\n",
			       kvm[i].module, kvm[i].extension, kvm[i].module);
			return -EBUSY;
		}
	}
	if (kxen_cpu_verdict != KXEN_CPU_READY_SVM &&
	    kxen_cpu_verdict != KXEN_CPU_READY_VMX) {
		pr_err("cpu: %s\n", kxen_cpu_verdict_text(kxen_cpu_verdict));
		return refusal_errno(kxen_cpu_verdict);
	}
	err = kxen_hv_enable();
	if (err)
		return err;
	err = kxen_hv_sysfs_init();
	if (err)
		goto disable;
	err = kxen_sys_hypervisor_init();
	if (err)
		goto hv_sysfs;
	err = kxen_privcmd_init();
	if (err)
		goto sys_hypervisor;
	register_reboot_notifier(&reboot_nb);
	register_pm_notifier(&pm_nb);
	return 0;
sys_hypervisor:
	kxen_sys_hypervisor_exit();
hv_sysfs:
	kxen_hv_sysfs_exit();
disable:
	kxen_hv_disable();
	return err;
}

static void kxen_stop(void)
{
	unregister_pm_notifier(&pm_nb);
	unregister_reboot_notifier(&reboot_nb);
	kxen_privcmd_exit();
	kxen_vcpu_threads_exit();
	kxen_sys_hypervisor_exit();
	kxen_hv_sysfs_exit();
	kxen_hv_disable();
}

static int __init kxen_init(void)
{
	int err;

	kxen_cpu_probe();

	kxen_kobj = kobject_create_and_add("kxen", kernel_kobj);
	if (!kxen_kobj)
		return -ENOMEM;
	err = kxen_cpu_sysfs_init();
	if (err)
		goto put;
	pr_info("cpu: %s\n", kxen_cpu_verdict_text(kxen_cpu_verdict));
	if (probe_only)
		return 0;
	err = kxen_start();
	if (!err)
		return 0;
	kxen_cpu_sysfs_exit();
put:
	kobject_put(kxen_kobj);
	return err;
}

static void __exit kxen_exit(void)
{
	if (!probe_only)
		kxen_stop();
	kxen_cpu_sysfs_exit();
	kobject_put(kxen_kobj);
}

module_init(kxen_init);
module_exit(kxen_exit);

MODULE_DESCRIPTION("kxen: Xen as a loadable hypervisor under a running Linux");
MODULE_LICENSE("GPL");
