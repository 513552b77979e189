/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces of the kxen Linux module. */
#ifndef KXEN_MODULE_H
#define KXEN_MODULE_H

#include <linux/kobject.h>
#include <kxen/cpu_caps.h>
#include <kxen/hv_abi.h>

/* /sys/kernel/kxen, parent of every kxen sysfs directory. */
extern struct kobject *kxen_kobj;

/* What all online CPUs offer, gathered once at load. */
extern struct kxen_cpu_caps kxen_cpu_caps;
extern enum kxen_cpu_verdict kxen_cpu_verdict;

/* The hypervisor's pool and state, while loaded (hv.c). */
struct kxen_hv {
	struct page **chunks;		/* 2 MiB each, image in the first */
	unsigned int nr_chunks;
	unsigned int max_chunks;	/* with the donated ones (pool.c) */
	void *va;			/* all chunks, mapped in order */
	bool active;			/* every online CPU runs as dom0 */
	s64 load_ns;			/* how long the handover took */
};

extern struct kxen_hv kxen_hv;

/* A pool chunk as the page allocator gives it (<linux/mm.h>). */
#define CHUNK_ORDER	get_order(KXEN_CHUNK_SIZE)
#define CHUNK_PAGES	(KXEN_CHUNK_SIZE >> PAGE_SHIFT)

/*
 * Every CPU exits once (KXEN_OP_P2M_SYNC) and flushes what the
 * hypervisor asked it to: after foreign unmappings, and as the pool
 * grows or shrinks.
 */
void kxen_hv_sync_cpus(void);
/* The image, from build/freestanding/kxen-hv.bin (hv_image.S). */
extern const u8 kxen_hv_image[], kxen_hv_image_end[];

/*
 * The pool's donated chunks (pool.c): room for MAX_CHUNKS of them; a
 * donation of up to WANTED chunks, returning how many the hypervisor
 * took; taking back the free ones a moment after a call that may have
 * freed some; and freeing them all once the hypervisor has gone.
 */
int kxen_pool_init(unsigned int max_chunks);
long kxen_pool_donate(unsigned int wanted);
void kxen_pool_reclaim_soon(void);
unsigned int kxen_pool_donated(void);
void kxen_pool_exit(void);

int kxen_hv_enable(void);
void kxen_hv_disable(void);
/*
 * kxen_hv_hold() is true while the hypervisor runs, and then keeps it
 * from leaving until kxen_hv_release(): bracket a process's hypercall.
 */
bool kxen_hv_hold(void);
void kxen_hv_release(void);
int kxen_privcmd_init(void);
void kxen_privcmd_exit(void);
/* A VMA's may_split for mappings that go as a whole (privcmd.c). */
int kxen_vma_refuse_split(struct vm_area_struct *vma, unsigned long addr);
/* privcmd's foreign mappings: its mmap and IOCTL_PRIVCMD_MMAPBATCH_V2. */
int kxen_privcmd_mmap(struct file *file, struct vm_area_struct *vma);
long kxen_privcmd_mmapbatch(u16 restriction, void __user *udata);
/*
 * Guest vCPU threads (vcpu_thread.c): brought in line with what the
 * hypervisor says may run, after a hypercall that may have changed it
 * (call with the hypervisor held); all stopped before unloading.
 */
void kxen_vcpu_threads_sync(void);
void kxen_vcpu_threads_exit(void);
int kxen_hv_sysfs_init(void);
void kxen_hv_sysfs_exit(void);
int kxen_sys_hypervisor_init(void);
void kxen_sys_hypervisor_exit(void);

void kxen_cpu_probe(void);
int kxen_cpu_sysfs_init(void);
void kxen_cpu_sysfs_exit(void);

#endif /* KXEN_MODULE_H */
