// SPDX-License-Identifier: GPL-2.0
/*
 * kxen: load and unload. For now the module only reports what the CPUs
 * offer for virtualization; the hypervisor handover comes on top.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include "kxen.h"

struct kobject *kxen_kobj;

static int __init kxen_init(void)
{
	int err;

	kxen_cpu_probe();

	kxen_kobj = kobject_create_and_add("kxen", kernel_kobj);
	if (!kxen_kobj)
		return -ENOMEM;
	err = kxen_cpu_sysfs_init();
	if (err) {
		kobject_put(kxen_kobj);
		return err;
	}
	pr_info("cpu: %s\n", kxen_cpu_verdict_text(kxen_cpu_verdict));
	return 0;
}

static void __exit kxen_exit(void)
{
	kxen_cpu_sysfs_exit();
	kobject_put(kxen_kobj);
}

module_init(kxen_init);
module_exit(kxen_exit);

MODULE_DESCRIPTION("kxen: Xen as a loadable hypervisor under a running Linux");
MODULE_LICENSE("GPL");
