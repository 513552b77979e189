/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface between the Linux module and the hypervisor image: how the
 * module finds the image's entry points, what it tells the hypervisor at
 * preparation, and kxen's private hypercall. Xen's own ABI comes from
 * Xen's headers, never from here.
 */
#ifndef KXEN_HV_ABI_H
#define KXEN_HV_ABI_H

#include <kxen/types.h>

/* "kxen-hv1": the first eight bytes of the image. */
#define KXEN_HV_MAGIC		0x3176682d6e65786bull

/*
 * The image starts with this header. The image is linked at 0 and
 * position independent; offsets are from the image's first byte.
 */
struct kxen_hv_header {
	u64 magic;
	u64 file_size;		/* bytes of the image file */
	u64 mem_size;		/* bytes it occupies once loaded, bss included */
	u64 rela_start;		/* R_X86_64_RELATIVE entries to apply */
	u64 rela_end;
	u64 prepare;		/* int prepare(struct kxen_boot_info *) */
	u64 cpu_enter;		/* int cpu_enter(u32 cpu) */
	u64 console;		/* a struct kxen_console *, set by prepare() */
};

#define KXEN_MAX_CHUNKS		4096	/* 2 MiB each: 8 GiB of pool */
#define KXEN_MAX_RAM_RANGES	128
#define KXEN_MAX_CPUS		64
#define KXEN_CHUNK_SIZE		(2ull << 20)

struct kxen_phys_range {
	u64 start;
	u64 end;		/* exclusive */
};

/*
 * What the module hands prepare(), which runs in Linux's context before
 * any CPU is handed over, on Linux's page tables, with interrupts on.
 * The hypervisor copies what it keeps: this struct is Linux's memory.
 */
struct kxen_boot_info {
	u64 pool_va;		/* the chunks, mapped in this order, image first */
	u32 nr_chunks;
	u32 max_chunks;		/* what donations may grow the pool to */
	u32 nr_ram;
	u32 reserved;
	u64 chunk_pa[KXEN_MAX_CHUNKS];
	/* System RAM, page aligned, sorted; all else is mapped uncached. */
	struct kxen_phys_range ram[KXEN_MAX_RAM_RANGES];
	u64 direct_map_va;	/* Linux's page_offset_base */
	u32 nr_cpus;		/* CPU ids are below this */
	u8 phys_addr_bits;
	u8 paging_levels;	/* 4 or 5 */
	u16 serial_port;	/* a 16550 for the hypervisor's log, or 0 */
	u32 tsc_khz;
	/* Linux's real time (ns since the epoch) and the TSC at that moment. */
	u64 wallclock_ns;
	u64 wallclock_tsc;
	u8 vendor;		/* enum kxen_cpu_vendor */
	bool nrips;		/* the CPU reports next RIP on exits */
	bool page_1g;
	/* Linux's topology, for Xen's physinfo and cputopoinfo. */
	u32 nr_online_cpus;
	u16 threads_per_core;
	u16 cores_per_socket;
	u16 cpu_core[KXEN_MAX_CPUS];	/* KXEN_NO_TOPOLOGY if offline */
	u16 cpu_socket[KXEN_MAX_CPUS];
};

#define KXEN_NO_TOPOLOGY	0xffff

/*
 * kxen's private hypercall: RAX = KXEN_HYPERCALL, RDI = a KXEN_OP_*,
 * further arguments in RSI, RDX. Only dom0's kernel (CPL 0) may use it.
 * The number is far above Xen's, so no Xen guest reaches it by accident.
 */
#define KXEN_HYPERCALL		0x6b78

/*
 * Dom0's continuations. A hypercall that has done a slice of a long job
 * (Xen's continuation) returns KXEN_HYPERCALL_AGAIN in RAX, with RDI and
 * RSI set for the rest, and dom0's kernel makes the same call again with
 * them, rescheduling between slices where it may sleep. A Xen guest's
 * continuation re-executes its VMMCALL instead, which a dom0 kernel
 * without preemption could not reschedule in: a long call would starve
 * the CPU. No hypercall returns this value otherwise.
 */
#define KXEN_HYPERCALL_AGAIN	(-0x7fffffffffffffffll - 1)

/*
 * The same continuation, from a call that ran short of pool memory: dom0
 * donates N chunks (at most KXEN_POOL_BATCH) by KXEN_OP_POOL_GROW, or
 * says it has none, before it calls again. These values too are returned
 * for nothing else.
 */
#define KXEN_HYPERCALL_NEED_CHUNKS(n)	(KXEN_HYPERCALL_AGAIN + 1 + (n))
#define KXEN_POOL_BATCH		64

/* The chunks a call returning RET asks for; 0 when it asks for none. */
static inline u64 kxen_hypercall_chunks_wanted(long long ret)
{
	if (ret <= KXEN_HYPERCALL_AGAIN + 1 ||
	    ret > KXEN_HYPERCALL_NEED_CHUNKS(KXEN_POOL_BATCH))
		return 0;
	return ret - (KXEN_HYPERCALL_AGAIN + 1);
}

enum kxen_op {
	/* Leave hypervisor mode on this CPU and return to bare Linux. */
	KXEN_OP_DISABLE = 1,
	/* RSI = struct kxen_console_read *: copy out the hypervisor's log. */
	KXEN_OP_CONSOLE_READ = 2,
	/* RSI = struct kxen_hv_status *, RDX = CPU: counters of one CPU. */
	KXEN_OP_STATUS = 3,
	/* RSI = physical address: FNV-1a hash of that hypervisor page. */
	KXEN_OP_PAGE_HASH = 4,
	/*
	 * RSI = buffer, RDX = its size: the calling CPU's vendor state,
	 * for debugging and test fixtures. On VMX, struct kxen_vmcs_field
	 * for each field kxen sets, read back from the live VMCS; on SVM,
	 * the VMCB. Returns the bytes written.
	 */
	KXEN_OP_VCPU_STATE = 5,
	/*
	 * RSI = physical address: the memory type (0 UC, 1 WC, 4 WT, 5 WP,
	 * 6 WB) dom0's nested tables give it; -ENOENT if unmapped,
	 * -EOPNOTSUPP where the tables carry none (NPT: the MTRRs apply).
	 */
	KXEN_OP_MEM_TYPE = 6,
	/*
	 * RSI = struct kxen_foreign_map *: makes guest frames visible to
	 * dom0 for privcmd's foreign mappings. Each frame is then reachable
	 * at its own machine address, as all of dom0's memory is, until as
	 * many KXEN_OP_FOREIGN_UNMAPs of it. Returns 0 with per-frame
	 * errors, or a negative Xen errno for the whole batch (-ESRCH: no
	 * such guest; -E2BIG: more than KXEN_FOREIGN_BATCH frames).
	 */
	KXEN_OP_FOREIGN_MAP = 7,
	/*
	 * RSI = array of machine frames, RDX = how many (at most
	 * KXEN_FOREIGN_BATCH): ends one foreign mapping of each. Every dom0
	 * CPU must then make a KXEN_OP_P2M_SYNC, as its TLB may still hold
	 * the frames. 0, or -EINVAL at the first frame that was not mapped.
	 */
	KXEN_OP_FOREIGN_UNMAP = 8,
	/*
	 * The calling CPU drops what its TLB may hold of dom0's old p2m
	 * entries, if an unmapping asked for it. Pages freed while mapped
	 * go back to the pool once every CPU has done so.
	 */
	KXEN_OP_P2M_SYNC = 9,
	/*
	 * RSI = domain, RDX = vCPU: runs that guest vCPU on the calling
	 * CPU until something needs dom0 (KVM's KVM_RUN). Made by the
	 * vCPU's thread in dom0 with preemption off and the FPU free
	 * (kernel_fpu_begin()); returns a KXEN_RUN_* or a negative Xen
	 * errno (-ESRCH: no such guest vCPU; -EBUSY: it runs elsewhere;
	 * -EOPNOTSUPP: this vendor cannot run guests yet). RSI then holds
	 * the nanoseconds until the vCPU's next timer is due, or
	 * KXEN_NO_TIMER: the thread keeps an hrtimer there, whose interrupt
	 * ends the run or wakes the thread so that the timer fires.
	 */
	KXEN_OP_VCPU_RUN = 10,
	/*
	 * RSI = domain id: the first guest with that id or above, as
	 * id << 32 | its vCPU count, or -ESRCH when there is none.
	 */
	KXEN_OP_NEXT_GUEST = 11,
	/*
	 * A count that changes whenever what may run does (a guest made,
	 * its vCPUs made or loaded, paused, unpaused, shut down, destroyed):
	 * the module then brings its vCPU threads in line.
	 */
	KXEN_OP_RUN_GENERATION = 12,
	/*
	 * RSI = struct kxen_vcpu_affinity *: the CPUs a guest vCPU may run
	 * on (its hard affinity, XEN_DOMCTL_setvcpuaffinity's), which its
	 * thread keeps to. -ESRCH: no such guest vCPU.
	 */
	KXEN_OP_VCPU_AFFINITY = 13,
	/*
	 * RSI = u64 array of physical addresses, RDX = how many (at most
	 * KXEN_POOL_BATCH): dom0 donates those 2 MiB chunks of its RAM,
	 * 2 MiB aligned, to the pool; their pages are the pool's once every
	 * CPU has made a KXEN_OP_P2M_SYNC. Returns how many chunks it took
	 * (stopping at the first it could not), or a negative Xen errno for
	 * the first (-EINVAL: not dom0's RAM or already the pool's;
	 * -ENOSPC: the pool is at max_chunks). RDX = 0 says dom0 has
	 * nothing to give: the next call this CPU makes fails as it would
	 * without growth rather than ask again.
	 */
	KXEN_OP_POOL_GROW = 14,
	/*
	 * RSI = u64 array, RDX = its length (at most KXEN_POOL_BATCH): takes
	 * donated chunks none of whose pages is used out of the pool, and
	 * writes their physical addresses there. Returns how many. Dom0 may
	 * use them once every CPU has made a KXEN_OP_P2M_SYNC.
	 */
	KXEN_OP_POOL_SHRINK = 15,
};

enum kxen_run_result {
	/* A physical interrupt or NMI came, for dom0: run again after it. */
	KXEN_RUN_PREEMPTED = 1,
	/* The vCPU waits (HLT, SCHEDOP_block): sleep until kicked. */
	KXEN_RUN_BLOCKED = 2,
	/* It may not run: domain paused, vCPU down, or being destroyed. */
	KXEN_RUN_PAUSED = 3,
	/* The domain has shut down (or crashed): nothing runs until destroy. */
	KXEN_RUN_SHUTDOWN = 4,
	/* Its next timer is sooner than the one armed: re-arm, run again. */
	KXEN_RUN_TIMER = 5,
	/*
	 * Another vCPU has something new (an event): bring the threads in
	 * line as after a run generation change, then run again.
	 */
	KXEN_RUN_SYNC = 6,
};

/* KXEN_OP_VCPU_RUN's RSI when the vCPU has no timer set. */
#define KXEN_NO_TIMER		(~0ull)

#define KXEN_FOREIGN_BATCH	512

struct kxen_foreign_map {
	u64 frames;	/* u64[nr]: guest frame in, machine frame out */
	u64 errs;	/* s32[nr] out: 0, or the frame's negative Xen errno */
	u32 nr;
	u16 domid;
	u16 reserved;
};

struct kxen_vcpu_affinity {
	u16 domid;
	u16 reserved;
	u32 vcpu;
	u64 cpus;	/* out: bit N for CPU N */
};

struct kxen_vmcs_field {
	u32 encoding;
	u32 reserved;
	u64 value;
};

struct kxen_console_read {
	u64 buf;		/* dom0 virtual address */
	u64 size;
	u64 pos;		/* in: first byte wanted; out: next one */
	u64 lost;		/* out: bytes overwritten before they were read */
	u64 copied;		/* out */
};

/* Exit reasons kxen counts, whatever the vendor calls them. */
enum kxen_exit_reason {
	KXEN_EXIT_CPUID,
	KXEN_EXIT_HYPERCALL,
	KXEN_EXIT_MSR,
	KXEN_EXIT_EXCEPTION,
	KXEN_EXIT_VIRT_INSN,
	KXEN_EXIT_NPF,
	KXEN_EXIT_NR
};

struct kxen_hv_status {
	u64 pool_pages;
	u64 pool_free;
	u64 pool_max_pages;	/* the most it may grow to by donations */
	u64 exits[KXEN_EXIT_NR];
};

#endif /* KXEN_HV_ABI_H */
