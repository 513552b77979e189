// SPDX-License-Identifier: GPL-2.0
/*
 * hv_prepare(): everything the hypervisor needs before the first CPU is
 * handed over, done in Linux's context so that any failure can still be
 * reported and undone by simply freeing the pool.
 *
 * Memory layout (see Documentation/design.rst): the pool is a run of 2
 * MiB chunks that Linux maps contiguously at pool_va; the image sits at
 * its start and the page allocator manages the rest. The host's page
 * tables map the pool at the same address, so code keeps running when
 * CR3 changes, and all RAM at Linux's direct-map address.
 */
#include <hv/cpu_policy.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/foreign.h>
#include <hv/hv.h>
#include <hv/pool.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hv/uart.h>
#include <hv/vcpu_ops.h>
#include <hv/x86_paging.h>
#include <kxen/cpu_caps.h>

#define CONSOLE_BYTES	(64u << 10)

struct page_pool hv_pool;
struct p2m host_page_table;
struct p2m dom0_p2m;
u64 hv_direct_map;
bool hv_nrips;
u32 hv_tsc_khz;
struct kxen_console *hv_console;
struct hv_machine hv_machine;
const struct vcpu_ops *vcpu_ops;

static struct page_pool_chunk pool_chunks[KXEN_MAX_CHUNKS];
static u64 chunk_pa[KXEN_MAX_CHUNKS];
static unsigned int nr_chunks;
static struct hv_cpu *cpus[KXEN_MAX_CPUS];
static unsigned int nr_cpus;

bool hv_owns_page(u64 pa)
{
	/* The image's chunk, its rest the pool's first chunk, or the pool. */
	return pa - chunk_pa[0] < KXEN_CHUNK_SIZE ||
	       page_pool_va(&hv_pool, pa & ~(PAGE_SIZE - 1));
}

struct hv_cpu *hv_cpu_area(u32 id)
{
	return id < nr_cpus ? cpus[id] : NULL;
}

/* Called by hv_cpu_enter() on the host stack; returns only on failure. */
int hv_cpu_take_over(struct hv_cpu *cpu)
{
	return vcpu_ops->cpu_enter(cpu);
}

/* Host virtual addresses drop their sign extension in the page tables. */
static u64 host_table_address(u64 va)
{
	return va & ((1ull << (PAGE_SHIFT + 9 * host_page_table.levels)) - 1);
}

int host_map(u64 va, u64 pa, u64 size)
{
	return p2m_set(&host_page_table, host_table_address(va), pa, size,
		       P2M_RAM);
}

static int host_unmap(u64 va, u64 size)
{
	return p2m_set(&host_page_table, host_table_address(va), 0, size,
		       P2M_INVALID);
}

static int build_host_page_table(const struct kxen_boot_info *info,
				 unsigned int max_leaf)
{
	unsigned int i;
	int err;

	err = p2m_init(&host_page_table, &host_pt_format, info->paging_levels,
		       max_leaf, &hv_pool);
	for (i = 0; !err && i < nr_chunks; i++)
		err = host_map(info->pool_va + i * KXEN_CHUNK_SIZE, chunk_pa[i],
			       KXEN_CHUNK_SIZE);
	for (i = 0; !err && i < info->nr_ram; i++)
		err = host_map(hv_direct_map + info->ram[i].start,
			       info->ram[i].start,
			       info->ram[i].end - info->ram[i].start);
	/*
	 * The places donated chunks may take get their tables now, empty:
	 * made later, a table would live in a donated chunk, which could
	 * then never go back (hv/pool.c).
	 */
	for (i = nr_chunks; !err && i < info->max_chunks; i++)
		err = host_unmap(info->pool_va + i * KXEN_CHUNK_SIZE,
				 KXEN_CHUNK_SIZE);
	return err;
}

/*
 * Dom0 sees every physical address as itself: RAM write-back, the rest
 * (MMIO and holes) uncached, up to MAXPHYADDR or what the nested tables
 * can address. The hypervisor's pages are replaced by one scratch page,
 * so dom0 reads zeros (or what it wrote there) and never reaches them.
 */
static int build_dom0_p2m(const struct kxen_boot_info *info,
			  unsigned int max_leaf, u64 *scratch_pa)
{
	unsigned int levels = info->paging_levels;
	u64 top = 1ull << (PAGE_SHIFT + 9 * levels);
	u64 scratch, pa;
	unsigned int i;
	int err;

	if (info->phys_addr_bits < 64 && (1ull << info->phys_addr_bits) < top)
		top = 1ull << info->phys_addr_bits;
	err = p2m_init(&dom0_p2m, vcpu_ops->p2m_format, levels, max_leaf,
		       &hv_pool);
	if (!err)
		err = p2m_set(&dom0_p2m, 0, 0, top, P2M_MMIO);
	for (i = 0; !err && i < info->nr_ram; i++)
		err = p2m_set(&dom0_p2m, info->ram[i].start, info->ram[i].start,
			      info->ram[i].end - info->ram[i].start, P2M_RAM);
	scratch = page_pool_pa(&hv_pool, page_alloc(&hv_pool));
	if (scratch == ~0ull)
		err = -ENOMEM;
	for (i = 0; !err && i < nr_chunks; i++)
		for (pa = chunk_pa[i]; !err && pa < chunk_pa[i] + KXEN_CHUNK_SIZE;
		     pa += PAGE_SIZE)
			err = p2m_set(&dom0_p2m, pa, scratch, PAGE_SIZE, P2M_RAM);
	*scratch_pa = scratch;
	/*
	 * Spare table pages for hiding donated chunks: one for each GiB of
	 * RAM, whose 1 GiB leaf a hidden chunk splits for good, and a few
	 * more. Taken from the pool later, they could land in a donated
	 * chunk and keep it from ever going back (hv/pool.c).
	 */
	if (!err && p2m_resize_pool(&dom0_p2m, dom0_p2m.table_pages +
				    (hv_machine.max_mfn >> 18) + 1 + 8, ~0ull))
		err = -ENOMEM;
	return err;
}

static int prepare_cpus(u32 count)
{
	u32 id;
	int err;

	desc_prepare();
	err = vcpu_ops->prepare();
	for (id = 0; !err && id < count; id++) {
		struct hv_cpu *cpu = pages_alloc(&hv_pool, 1);
		/* The main stack, then one page per interrupt stack. */
		u8 *stack = pages_alloc(&hv_pool, HOST_STACK_PAGES + IST_PAGES);

		if (!cpu || !stack)
			return -ENOMEM;
		cpu->id = id;
		cpu->host_stack_top = (u64)stack + HOST_STACK_PAGES * PAGE_SIZE;
		cpu->guest_p2m = &dom0_p2m;
		desc_cpu_prepare(cpu);
		err = vcpu_ops->cpu_prepare(cpu);
		cpus[id] = cpu;
	}
	nr_cpus = count;
	return err;
}

int hv_prepare(const struct kxen_boot_info *info)
{
	u64 image_bytes = __image_end - __image_start;
	unsigned int i, max_leaf = info->page_1g ? 3 : 2;
	u64 scratch_pa = 0, dom0_cpus = 0;
	int err;

	if (!info->nr_chunks || info->nr_chunks > info->max_chunks ||
	    info->max_chunks > KXEN_MAX_CHUNKS ||
	    !info->nr_ram || info->nr_ram > KXEN_MAX_RAM_RANGES ||
	    info->nr_cpus > KXEN_MAX_CPUS ||
	    image_bytes >= KXEN_CHUNK_SIZE ||
	    (info->paging_levels != 4 && info->paging_levels != 5))
		return -EINVAL;

	if (info->vendor == KXEN_VENDOR_AMD)
		vcpu_ops = &svm_ops;
	else if (info->vendor == KXEN_VENDOR_INTEL)
		vcpu_ops = &vmx_ops;
	else
		return -ENODEV;

	nr_chunks = info->nr_chunks;
	for (i = 0; i < nr_chunks; i++) {
		chunk_pa[i] = info->chunk_pa[i];
		pool_chunks[i].pa = chunk_pa[i];
		pool_chunks[i].nr_pages = CHUNK_PAGES;
	}
	pool_chunks[0].pa += image_bytes;
	pool_chunks[0].nr_pages -= image_bytes / PAGE_SIZE;
	if (page_pool_init(&hv_pool, (u8 *)info->pool_va + image_bytes,
			   pool_chunks, nr_chunks, info->max_chunks,
			   info->max_chunks * CHUNK_PAGES - image_bytes / PAGE_SIZE))
		return -ENOMEM;

	hv_console = pages_alloc(&hv_pool, CONSOLE_BYTES / PAGE_SIZE + 1);
	if (!hv_console)
		return -ENOMEM;
	kxen_console_init(hv_console, CONSOLE_BYTES);
	if (info->serial_port)
		uart_init(info->serial_port);
	hv_printk_init(hv_console, info->serial_port ? uart_write : NULL);

	hv_machine = (struct hv_machine){
		.max_mfn = (info->ram[info->nr_ram - 1].end >> PAGE_SHIFT) - 1,
		.nr_cpu_ids = info->nr_cpus,
		.phys_addr_bits = info->phys_addr_bits,
		.nr_online_cpus = info->nr_online_cpus,
		.threads_per_core = info->threads_per_core,
		.cores_per_socket = info->cores_per_socket,
	};
	memcpy(hv_machine.cpu_core, info->cpu_core, sizeof(info->cpu_core));
	memcpy(hv_machine.cpu_socket, info->cpu_socket,
	       sizeof(info->cpu_socket));
	for (i = 0; i < info->nr_ram; i++)
		hv_machine.ram_pages += (info->ram[i].end - info->ram[i].start) >>
					PAGE_SHIFT;
	hv_direct_map = info->direct_map_va;
	hv_nrips = info->nrips;
	hv_tsc_khz = info->tsc_khz;
	time_init(info->tsc_khz, info->wallclock_ns, info->wallclock_tsc);
	/* Dom0 has all RAM but the pool, which its p2m hides. */
	cpu_policy_init();
	err = domain_init_dom0(hv_machine.ram_pages - nr_chunks * CHUNK_PAGES);
	if (!err)
		err = build_host_page_table(info, max_leaf);
	if (!err)
		err = build_dom0_p2m(info, max_leaf, &scratch_pa);
	for (i = 0; i < hv_machine.nr_cpu_ids; i++)
		if (hv_cpu_online(i))
			dom0_cpus |= 1ull << i;
	if (!err)
		err = foreign_init(&hv_pool, &dom0_p2m, scratch_pa, dom0_cpus);
	pool_init(nr_chunks);
	if (!err)
		err = prepare_cpus(info->nr_cpus);
	if (err) {
		hv_printk("kxen: preparation failed (%d)\n", err);
		return err;
	}
	hv_printk("kxen: hypervisor ready (%s): %u CPUs, pool %llu pages, %llu free, %u-level paging\n",
		  vcpu_ops->name, nr_cpus, (unsigned long long)hv_pool.nr_pages,
		  (unsigned long long)hv_pool.nr_free, info->paging_levels);
	return 0;
}
