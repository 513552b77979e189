// SPDX-License-Identifier: GPL-2.0
/*
 * Loading the hypervisor and handing the CPUs to it.
 *
 * The image embedded in this module is copied to the start of a pool of
 * 2 MiB chunks (module parameter pool_mb), relocated, and prepared
 * while Linux still runs bare. Then stop_machine() has every online CPU
 * call the image's entry at once; each returns as dom0, or with an
 * error, and if any failed, the others leave again before anyone goes
 * on: all CPUs become dom0 or none does. Unloading has each CPU ask the
 * hypervisor to leave, then frees the pool.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/elf.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/stop_machine.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>
#include <asm/tsc.h>
#include <kxen/console.h>
#include "hypercall.h"
#include "kxen.h"

static unsigned int pool_mb = 32;
module_param(pool_mb, uint, 0444);
MODULE_PARM_DESC(pool_mb, "Memory given to the hypervisor at load, in MiB (default 32)");

static unsigned int pool_max_mb;
module_param(pool_max_mb, uint, 0444);
MODULE_PARM_DESC(pool_max_mb, "Most memory the hypervisor may have when guests need more, in MiB (default 0: half of RAM; pool_mb or less: no more than pool_mb)");

static ushort serial_port;
module_param(serial_port, ushort, 0444);
MODULE_PARM_DESC(serial_port, "I/O port of a 16550 UART that also gets the hypervisor's log (default 0: none)");

/*
 * Held for reading by a dom0 process's hypercall, for writing while the
 * CPUs leave: a hypercall never reaches a CPU that has gone bare (VMCALL
 * or VMMCALL would be #UD there).
 */
static DECLARE_RWSEM(hv_users);

struct kxen_hv kxen_hv;

static int (*hv_prepare)(struct kxen_boot_info *info);
static int (*hv_cpu_enter)(u32 cpu);
static struct kxen_console **hv_console_ptr;

static void free_pool(void)
{
	unsigned int i;

	kxen_pool_exit();
	if (kxen_hv.va)
		vunmap(kxen_hv.va);
	for (i = 0; i < kxen_hv.nr_chunks; i++)
		__free_pages(kxen_hv.chunks[i], CHUNK_ORDER);
	kfree(kxen_hv.chunks);
	kxen_hv.va = NULL;
	kxen_hv.chunks = NULL;
	kxen_hv.nr_chunks = 0;
}

/*
 * vmap() maps non-executable, and rightly so for data; the image's code
 * must run from here while Linux prepares and enters it, so its PTEs
 * lose NX before anything touches the range. Dom0 cannot reach these
 * pages at all once the hypervisor runs.
 */
static int make_executable(void *va, size_t size)
{
	unsigned long addr;
	unsigned int level;

	for (addr = (unsigned long)va; addr < (unsigned long)va + size;
	     addr += PAGE_SIZE) {
		pte_t *pte = lookup_address(addr, &level);

		if (!pte || level != PG_LEVEL_4K)
			return -EFAULT;
		set_pte(pte, pte_mkexec(*pte));
	}
	return 0;
}

static int alloc_pool(void)
{
	unsigned int n = DIV_ROUND_UP(pool_mb, KXEN_CHUNK_SIZE >> 20);
	unsigned long avail_mb, max;
	struct page **pages;
	unsigned int i, j;
	int err = -ENOMEM;

	if (!n || n > KXEN_MAX_CHUNKS) {
		pr_err("pool_mb=%u: must be between 2 and %llu\n", pool_mb,
		       KXEN_MAX_CHUNKS * (KXEN_CHUNK_SIZE >> 20));
		return -EINVAL;
	}
	/* Ask only for what Linux can spare, rather than reclaim for ever. */
	avail_mb = si_mem_available() >> (20 - PAGE_SHIFT);
	if ((u64)n * (KXEN_CHUNK_SIZE >> 20) > avail_mb / 2) {
		pr_err("not enough memory: pool_mb=%u, but only %lu MiB are available and kxen takes at most half\n",
		       pool_mb, avail_mb);
		return -ENOMEM;
	}
	/* What later donations may take it to. */
	max = pool_max_mb ? DIV_ROUND_UP(pool_max_mb, KXEN_CHUNK_SIZE >> 20) :
			    totalram_pages() / 2 / CHUNK_PAGES;
	kxen_hv.max_chunks = clamp_t(u64, max, n, KXEN_MAX_CHUNKS);
	kxen_hv.chunks = kcalloc(n, sizeof(*kxen_hv.chunks), GFP_KERNEL);
	pages = kvmalloc_array(n * CHUNK_PAGES, sizeof(*pages), GFP_KERNEL);
	if (!kxen_hv.chunks || !pages ||
	    kxen_pool_init(kxen_hv.max_chunks - n))
		goto out;
	for (i = 0; i < n; i++) {
		kxen_hv.chunks[i] = alloc_pages(GFP_KERNEL | __GFP_ZERO |
						__GFP_NOWARN | __GFP_RETRY_MAYFAIL,
						CHUNK_ORDER);
		if (!kxen_hv.chunks[i]) {
			pr_err("not enough memory: could get only %u of the %u MiB asked for (pool_mb)\n",
			       i * (unsigned int)(KXEN_CHUNK_SIZE >> 20), pool_mb);
			goto out;
		}
		kxen_hv.nr_chunks++;
		for (j = 0; j < CHUNK_PAGES; j++)
			pages[i * CHUNK_PAGES + j] = kxen_hv.chunks[i] + j;
	}
	kxen_hv.va = vmap(pages, n * CHUNK_PAGES, VM_MAP, PAGE_KERNEL);
	if (kxen_hv.va)
		err = make_executable(kxen_hv.va, n * KXEN_CHUNK_SIZE);
out:
	kvfree(pages);
	if (err)
		free_pool();
	return err;
}

/* Copies the image to the pool's start and applies its relocations. */
static int load_image(void)
{
	const struct kxen_hv_header *hdr = (const void *)kxen_hv_image;
	size_t size = kxen_hv_image_end - kxen_hv_image;
	u8 *va = kxen_hv.va;
	const Elf64_Rela *rela;

	if (size < sizeof(*hdr) || hdr->magic != KXEN_HV_MAGIC ||
	    hdr->file_size != size || hdr->mem_size < size ||
	    hdr->mem_size >= KXEN_CHUNK_SIZE || hdr->rela_end > size ||
	    hdr->rela_start > hdr->rela_end || hdr->prepare >= size ||
	    hdr->cpu_enter >= size || hdr->console > hdr->mem_size - sizeof(u64))
		return -ENOEXEC;
	memcpy(va, kxen_hv_image, size);
	for (rela = (void *)(va + hdr->rela_start);
	     rela < (const Elf64_Rela *)(va + hdr->rela_end); rela++) {
		if (ELF64_R_TYPE(rela->r_info) != R_X86_64_RELATIVE ||
		    rela->r_offset > hdr->mem_size - sizeof(u64))
			return -ENOEXEC;
		*(u64 *)(va + rela->r_offset) = (u64)va + rela->r_addend;
	}
	hv_prepare = (void *)(va + hdr->prepare);
	hv_cpu_enter = (void *)(va + hdr->cpu_enter);
	hv_console_ptr = (void *)(va + hdr->console);
	return 0;
}

static int add_ram_range(struct resource *res, void *arg)
{
	struct kxen_boot_info *info = arg;
	u64 start = PAGE_ALIGN(res->start);
	u64 end = (res->end + 1) & PAGE_MASK;

	if (start >= end)
		return 0;
	if (info->nr_ram == KXEN_MAX_RAM_RANGES)
		return -E2BIG;
	info->ram[info->nr_ram].start = start;
	info->ram[info->nr_ram].end = end;
	info->nr_ram++;
	return 0;
}

static int fill_boot_info(struct kxen_boot_info *info)
{
	unsigned int i, first;
	unsigned long flags;
	int err;

	info->pool_va = (u64)kxen_hv.va;
	info->nr_chunks = kxen_hv.nr_chunks;
	info->max_chunks = kxen_hv.max_chunks;
	for (i = 0; i < kxen_hv.nr_chunks; i++)
		info->chunk_pa[i] = page_to_phys(kxen_hv.chunks[i]);
	err = walk_iomem_res_desc(IORES_DESC_NONE,
				  IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0, -1,
				  info, add_ram_range);
	if (err) {
		pr_err("more than %d ranges of RAM\n", KXEN_MAX_RAM_RANGES);
		return err;
	}
	if (nr_cpu_ids > KXEN_MAX_CPUS) {
		pr_err("%u possible CPUs; kxen handles %d\n", nr_cpu_ids,
		       KXEN_MAX_CPUS);
		return -EINVAL;
	}
	info->direct_map_va = PAGE_OFFSET;
	info->nr_cpus = nr_cpu_ids;
	info->phys_addr_bits = kxen_cpu_caps.phys_addr_bits;
	info->paging_levels = kxen_cpu_caps.paging_levels;
	info->serial_port = serial_port;
	info->tsc_khz = tsc_khz;
	local_irq_save(flags);
	info->wallclock_tsc = rdtsc();
	info->wallclock_ns = ktime_get_real_ns();
	local_irq_restore(flags);
	info->vendor = kxen_cpu_caps.vendor;
	info->nrips = KXEN_CPU_HAS(&kxen_cpu_caps, NRIPS);
	info->page_1g = KXEN_CPU_HAS(&kxen_cpu_caps, PAGE_1G);
	info->nr_online_cpus = num_online_cpus();
	/* As Xen counts them: the first CPU's online siblings and cores. */
	first = cpumask_first(cpu_online_mask);
	info->threads_per_core = cpumask_weight(topology_sibling_cpumask(first));
	info->cores_per_socket = cpumask_weight(topology_core_cpumask(first)) /
				 info->threads_per_core;
	for (i = 0; i < nr_cpu_ids; i++) {
		bool online = cpu_online(i);

		info->cpu_core[i] = online ? topology_core_id(i) :
					     KXEN_NO_TOPOLOGY;
		info->cpu_socket[i] = online ? topology_physical_package_id(i) :
					       KXEN_NO_TOPOLOGY;
	}
	return 0;
}

/* Copies the hypervisor's log into Linux's, while the pool is readable. */
static void dump_hv_log(void)
{
	const struct kxen_console *con = *hv_console_ptr;
	u64 pos = 0, lost = 0;
	char line[128];
	size_t n;

	if (!con)
		return;
	while ((n = kxen_console_read(con, &pos, line, sizeof(line) - 1, &lost))) {
		line[n] = 0;
		pr_info("hv: %s", line);
	}
}

struct handover {
	atomic_t entered;
	atomic_t failed;
	int err;
};

static int enter_cpu(void *arg)
{
	struct handover *h = arg;
	unsigned int cpu = smp_processor_id();
	int err = hv_cpu_enter(cpu);

	if (err) {
		atomic_inc(&h->failed);
		h->err = err;
	}
	/* Everyone decides together: all dom0, or all bare again. */
	atomic_inc(&h->entered);
	while (atomic_read(&h->entered) < num_online_cpus())
		cpu_relax();
	if (atomic_read(&h->failed) && !err)
		kxen_op(KXEN_OP_DISABLE, 0, 0);
	return err;
}

static int leave_cpu(void *arg)
{
	return kxen_op(KXEN_OP_DISABLE, 0, 0);
}

int kxen_hv_enable(void)
{
	struct kxen_boot_info *info;
	struct handover h = { .entered = ATOMIC_INIT(0), .failed = ATOMIC_INIT(0) };
	ktime_t start = ktime_get();
	int err;

	err = alloc_pool();
	if (err)
		return err;
	err = load_image();
	if (err) {
		pr_err("the embedded hypervisor image is damaged\n");
		goto free;
	}
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	err = info ? fill_boot_info(info) : -ENOMEM;
	if (!err)
		err = hv_prepare(info);
	kfree(info);
	if (err) {
		dump_hv_log();
		pr_err("hypervisor preparation failed (%d)%s\n", err,
		       err == -ENOMEM ? ": pool_mb too small" : "");
		goto free;
	}
	/* An onlined CPU would run bare beside dom0: forbid it. */
	cpu_hotplug_disable();
	err = stop_machine(enter_cpu, &h, cpu_online_mask);
	if (err) {
		cpu_hotplug_enable();
		dump_hv_log();
		pr_err("a CPU refused the handover (%d); Linux keeps running bare\n",
		       err);
		goto free;
	}
	kxen_hv.active = true;
	kxen_hv.load_ns = ktime_to_ns(ktime_sub(ktime_get(), start));
	pr_info("hypervisor active on %u CPUs in %lld us; Linux is dom0, CPU hotplug is off until unload\n",
		num_online_cpus(), kxen_hv.load_ns / 1000);
	return 0;
free:
	free_pool();
	return err;
}

static void sync_cpu(void *unused)
{
	kxen_op(KXEN_OP_P2M_SYNC, 0, 0);
}

void kxen_hv_sync_cpus(void)
{
	on_each_cpu(sync_cpu, NULL, true);
}

bool kxen_hv_hold(void)
{
	down_read(&hv_users);
	if (kxen_hv.active)
		return true;
	up_read(&hv_users);
	return false;
}

void kxen_hv_release(void)
{
	up_read(&hv_users);
}

void kxen_hv_disable(void)
{
	down_write(&hv_users);
	if (!kxen_hv.active) {
		up_write(&hv_users);
		return;
	}
	stop_machine(leave_cpu, NULL, cpu_online_mask);
	kxen_hv.active = false;
	up_write(&hv_users);
	cpu_hotplug_enable();
	free_pool();
	pr_info("hypervisor gone; Linux runs bare again\n");
}
