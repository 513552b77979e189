/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces of the kxen Linux module. */
#ifndef KXEN_MODULE_H
#define KXEN_MODULE_H

#include <linux/kobject.h>
#include <kxen/cpu_caps.h>

/* /sys/kernel/kxen, parent of every kxen sysfs directory. */
extern struct kobject *kxen_kobj;

/* What all online CPUs offer, gathered once at load. */
extern struct kxen_cpu_caps kxen_cpu_caps;
extern enum kxen_cpu_verdict kxen_cpu_verdict;

void kxen_cpu_probe(void);
int kxen_cpu_sysfs_init(void);
void kxen_cpu_sysfs_exit(void);

#endif /* KXEN_MODULE_H */
