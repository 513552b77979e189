// SPDX-License-Identifier: GPL-2.0
/*
 * kxen's own view of the hypervisor:
 *
 * /sys/kernel/kxen/hv/     active, load_us, pool (pages it has, free
 *                          ones, chunks donated and not yet taken back,
 *                          the most pages it may grow to), exits (per
 *                          CPU, by reason)
 * /sys/kernel/debug/kxen/  log (the hypervisor's log ring), and for the
 *                          isolation test hv_page and hv_page_hash: what
 *                          dom0 sees at the hypervisor image's first
 *                          physical page, and the hypervisor's own hash
 *                          of that page; hypercall_ns, the mean time of a
 *                          xen_version hypercall (for scripts/bench);
 *                          vcpu_state, the VMCS or VMCB of the CPU that
 *                          reads it (the unit tests' VMCS fixtures);
 *                          mem_type: write a physical address, read the
 *                          memory type dom0's EPT gives it.
 */
#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/kobject.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/ktime.h>
#include <linux/uaccess.h>
#include <xen/interface/xen.h>
#include <xen/interface/version.h>
#include "hypercall.h"
#include "kxen.h"

static struct kobject *hv_kobj;
static struct dentry *debug_dir;

static const char *const exit_names[KXEN_EXIT_NR] = {
	[KXEN_EXIT_CPUID] = "cpuid",
	[KXEN_EXIT_HYPERCALL] = "hypercall",
	[KXEN_EXIT_MSR] = "msr",
	[KXEN_EXIT_EXCEPTION] = "exception",
	[KXEN_EXIT_VIRT_INSN] = "virt_insn",
	[KXEN_EXIT_NPF] = "npf",
};

static long hv_status(struct kxen_hv_status *st, unsigned int cpu)
{
	return kxen_op(KXEN_OP_STATUS, (unsigned long)st, cpu);
}

static ssize_t active_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", kxen_hv.active);
}

static ssize_t load_us_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%lld\n", kxen_hv.load_ns / 1000);
}

static ssize_t pool_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct kxen_hv_status st;
	long ret = hv_status(&st, smp_processor_id());

	if (ret)
		return ret;
	return sysfs_emit(buf, "pages %llu\nfree %llu\ndonated %u\nmax %llu\n",
			  st.pool_pages, st.pool_free, kxen_pool_donated(),
			  st.pool_max_pages);
}

static ssize_t exits_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct kxen_hv_status st;
	unsigned int cpu, i;
	ssize_t len = 0;

	for_each_online_cpu(cpu) {
		long ret = hv_status(&st, cpu);

		if (ret)
			return ret;
		len += sysfs_emit_at(buf, len, "cpu%u", cpu);
		for (i = 0; i < KXEN_EXIT_NR; i++)
			len += sysfs_emit_at(buf, len, " %s=%llu", exit_names[i],
					     st.exits[i]);
		len += sysfs_emit_at(buf, len, "\n");
	}
	return len;
}

static struct kobj_attribute active_attr = __ATTR_RO(active);
static struct kobj_attribute load_us_attr = __ATTR_RO(load_us);
static struct kobj_attribute pool_attr = __ATTR_RO(pool);
static struct kobj_attribute exits_attr = __ATTR_RO(exits);

static struct attribute *hv_attrs[] = {
	&active_attr.attr, &load_us_attr.attr, &pool_attr.attr,
	&exits_attr.attr, NULL
};

static const struct attribute_group hv_group = { .attrs = hv_attrs };

/* The file position is the position in the ring: lost text is skipped. */
static ssize_t log_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *ppos)
{
	struct kxen_console_read req = { .pos = *ppos };
	char *buf;
	long ret;

	count = min_t(size_t, count, PAGE_SIZE);
	buf = kmalloc(count, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	req.buf = (unsigned long)buf;
	req.size = count;
	ret = kxen_op(KXEN_OP_CONSOLE_READ, (unsigned long)&req, 0);
	if (!ret && copy_to_user(ubuf, buf, req.copied))
		ret = -EFAULT;
	kfree(buf);
	if (ret)
		return ret;
	*ppos = req.pos;
	return req.copied;
}

static const struct file_operations log_fops = {
	.owner = THIS_MODULE,
	.read = log_read,
	.llseek = default_llseek,
};

static phys_addr_t hv_page_pa(void)
{
	return page_to_phys(kxen_hv.chunks[0]);
}

/* Dom0's own view of the page, through its direct map. */
static ssize_t hv_page_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	return simple_read_from_buffer(ubuf, count, ppos,
				       phys_to_virt(hv_page_pa()), PAGE_SIZE);
}

static ssize_t hv_page_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	return simple_write_to_buffer(phys_to_virt(hv_page_pa()), PAGE_SIZE,
				      ppos, ubuf, count);
}

static const struct file_operations hv_page_fops = {
	.owner = THIS_MODULE,
	.read = hv_page_read,
	.write = hv_page_write,
	.llseek = default_llseek,
};

static int hv_page_hash_get(void *data, u64 *val)
{
	long ret = kxen_op(KXEN_OP_PAGE_HASH, hv_page_pa(), 0);

	if (ret < 0)
		return ret;
	*val = ret;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(hv_page_hash_fops, hv_page_hash_get, NULL, "%llx\n");

/*
 * The vendor state of the CPU that reads (pin with taskset): on VMX the
 * VMCS fields kxen sets, "encoding value" in hex, read back live; on SVM
 * the VMCB's nonzero quadwords, "offset value".
 */
static int vcpu_state_show(struct seq_file *m, void *unused)
{
	void *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	long len, i;

	if (!buf)
		return -ENOMEM;
	preempt_disable();
	len = kxen_op(KXEN_OP_VCPU_STATE, (unsigned long)buf, PAGE_SIZE);
	preempt_enable();
	if (kxen_cpu_caps.vendor == KXEN_VENDOR_INTEL) {
		const struct kxen_vmcs_field *f = buf;

		for (i = 0; i < len / (long)sizeof(*f); i++)
			seq_printf(m, "%04x %016llx\n", f[i].encoding, f[i].value);
	} else {
		const u64 *q = buf;

		for (i = 0; i < len / 8; i++)
			if (q[i])
				seq_printf(m, "%03lx %016llx\n", i * 8, q[i]);
	}
	kfree(buf);
	return len < 0 ? len : 0;
}
DEFINE_SHOW_ATTRIBUTE(vcpu_state);

/*
 * The address whose type mem_type reads. One per system: it is a test's
 * probe, not an interface for concurrent users.
 */
static u64 mem_type_addr;

static int mem_type_get(void *data, u64 *val)
{
	long ret = kxen_op(KXEN_OP_MEM_TYPE, READ_ONCE(mem_type_addr), 0);

	if (ret < 0)
		return ret;
	*val = ret;
	return 0;
}

static int mem_type_set(void *data, u64 val)
{
	WRITE_ONCE(mem_type_addr, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(mem_type_fops, mem_type_get, mem_type_set, "%llu\n");

#define HYPERCALL_BENCH_CALLS 10000

static int hypercall_ns_get(void *data, u64 *val)
{
	ktime_t start = ktime_get();
	int i;

	for (i = 0; i < HYPERCALL_BENCH_CALLS; i++)
		kxen_xen_version(XENVER_version, NULL);
	*val = ktime_to_ns(ktime_sub(ktime_get(), start)) / HYPERCALL_BENCH_CALLS;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(hypercall_ns_fops, hypercall_ns_get, NULL, "%llu\n");

int kxen_hv_sysfs_init(void)
{
	int err;

	hv_kobj = kobject_create_and_add("hv", kxen_kobj);
	if (!hv_kobj)
		return -ENOMEM;
	err = sysfs_create_group(hv_kobj, &hv_group);
	if (err) {
		kobject_put(hv_kobj);
		return err;
	}
	debug_dir = debugfs_create_dir("kxen", NULL);
	debugfs_create_file("log", 0400, debug_dir, NULL, &log_fops);
	debugfs_create_file("hv_page", 0600, debug_dir, NULL, &hv_page_fops);
	debugfs_create_file_unsafe("hv_page_hash", 0400, debug_dir, NULL,
				   &hv_page_hash_fops);
	debugfs_create_file_unsafe("hypercall_ns", 0400, debug_dir, NULL,
				   &hypercall_ns_fops);
	debugfs_create_file("vcpu_state", 0400, debug_dir, NULL,
			    &vcpu_state_fops);
	debugfs_create_file_unsafe("mem_type", 0600, debug_dir, NULL,
				   &mem_type_fops);
	return 0;
}

void kxen_hv_sysfs_exit(void)
{
	debugfs_remove_recursive(debug_dir);
	sysfs_remove_group(hv_kobj, &hv_group);
	kobject_put(hv_kobj);
}
