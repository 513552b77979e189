// SPDX-License-Identifier: GPL-2.0
/* kxen's private hypercall: the module's control of the hypervisor. */
#include <hv/domain.h>
#include <hv/foreign.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/pool.h>
#include <hv/printk.h>
#include <hv/vcpu_ops.h>
#include <hv/vcpu_run.h>
#include <hv/xen.h>

#define FNV1A_OFFSET	0xcbf29ce484222325ull
#define FNV1A_PRIME	0x100000001b3ull

long console_to_guest(struct hv_cpu *cpu, u64 *pos, u64 gva, u64 size,
		      u64 *lost)
{
	char chunk[256];
	u64 copied = 0;

	while (copied < size) {
		u64 want = size - copied;
		size_t n = kxen_console_read(hv_console, pos, chunk,
					     want < sizeof(chunk) ? want : sizeof(chunk),
					     lost);

		if (!n)
			break;
		if (copy_to_guest(cpu, gva + copied, chunk, n))
			return -XEN_EFAULT;
		copied += n;
	}
	return copied;
}

static long console_read(struct hv_cpu *cpu, u64 arg)
{
	struct kxen_console_read req;
	long copied;

	if (copy_from_guest(cpu, &req, arg, sizeof(req)))
		return -XEN_EFAULT;
	req.lost = 0;
	copied = console_to_guest(cpu, &req.pos, req.buf, req.size, &req.lost);
	if (copied < 0)
		return copied;
	req.copied = copied;
	return copy_to_guest(cpu, arg, &req, sizeof(req)) ? -XEN_EFAULT : 0;
}

static long status(struct hv_cpu *cpu, u64 arg, u64 id)
{
	struct hv_cpu *which = hv_cpu_area(id);
	struct kxen_hv_status st = {
		.pool_pages = hv_pool.nr_pages,
		.pool_free = hv_pool.nr_free,
		.pool_max_pages = hv_pool.max_span,
	};
	unsigned int i;

	if (!which)
		return -XEN_EINVAL;
	for (i = 0; i < KXEN_EXIT_NR; i++)
		st.exits[i] = which->exits[i];
	return copy_to_guest(cpu, arg, &st, sizeof(st)) ? -XEN_EFAULT : 0;
}

/*
 * A hash of one hypervisor page, so that a test can show that dom0's
 * attempts to write it changed nothing. Only the hypervisor's own pages
 * are hashed: this is no window onto anything else. The result is the
 * hash's low 63 bits, as a hypercall returns a non-negative long.
 */
static long page_hash(u64 pa)
{
	const u8 *p;
	u64 hash = FNV1A_OFFSET;
	size_t i;

	if ((pa & (PAGE_SIZE - 1)) || !hv_owns_page(pa))
		return -XEN_EINVAL;
	p = hv_phys_to_virt(pa);
	for (i = 0; i < PAGE_SIZE; i++)
		hash = (hash ^ p[i]) * FNV1A_PRIME;
	return hash >> 1;
}

/*
 * Guest frames for privcmd's foreign mappings, as Xen's mmu_update maps
 * them for a PV dom0: -ESRCH for dom0 itself or no such domain, and
 * -EINVAL for a frame that is not the guest's RAM.
 */
static long foreign_map_batch(struct hv_cpu *cpu, u64 arg)
{
	struct kxen_foreign_map req;
	struct domain *d;
	long ret = 0;
	u32 i;

	if (copy_from_guest(cpu, &req, arg, sizeof(req)))
		return -XEN_EFAULT;
	if (req.nr > KXEN_FOREIGN_BATCH)
		return -XEN_E2BIG;
	spin_lock(&domain_lock);
	d = domain_find(req.domid);
	if (!d || !d->id)
		ret = -XEN_ESRCH;
	for (i = 0; !ret && i < req.nr; i++) {
		u64 frame, gpa, hpa;
		unsigned int level;
		s32 err;

		if (copy_from_guest(cpu, &frame, req.frames + i * 8, 8)) {
			ret = -XEN_EFAULT;
			break;
		}
		gpa = frame << PAGE_SHIFT;
		if (frame >= p2m_reach(&d->p2m) >> PAGE_SHIFT ||
		    p2m_lookup(&d->p2m, gpa, &hpa, &level) != P2M_RAM)
			err = -XEN_EINVAL;
		else
			err = foreign_map(hpa);
		frame = hpa >> PAGE_SHIFT;
		if ((!err && copy_to_guest(cpu, req.frames + i * 8, &frame, 8)) ||
		    copy_to_guest(cpu, req.errs + i * 4, &err, 4)) {
			if (!err)
				foreign_unmap(hpa);
			ret = -XEN_EFAULT;
		}
	}
	spin_unlock(&domain_lock);
	return ret;
}

static long foreign_unmap_batch(struct hv_cpu *cpu, u64 frames, u64 nr)
{
	u64 i, frame;

	if (nr > KXEN_FOREIGN_BATCH)
		return -XEN_E2BIG;
	for (i = 0; i < nr; i++) {
		if (copy_from_guest(cpu, &frame, frames + i * 8, 8))
			return -XEN_EFAULT;
		if (frame > ~0ull >> PAGE_SHIFT || foreign_unmap(frame << PAGE_SHIFT))
			return -XEN_EINVAL;
	}
	return 0;
}

static long next_guest(u64 domid)
{
	struct domain *d;
	long ret;

	spin_lock(&domain_lock);
	d = domain_next(domid ? domid : 1);
	ret = d && domid < DOMID_FIRST_RESERVED ?
	      (long)d->id << 32 | d->max_vcpus : -XEN_ESRCH;
	spin_unlock(&domain_lock);
	return ret;
}

static long vcpu_affinity(struct hv_cpu *cpu, u64 arg)
{
	struct kxen_vcpu_affinity req;
	struct vcpu *v;
	long ret = -XEN_ESRCH;

	if (copy_from_guest(cpu, &req, arg, sizeof(req)))
		return -XEN_EFAULT;
	spin_lock(&domain_lock);
	v = guest_vcpu_find(req.domid, req.vcpu);
	if (v) {
		req.cpus = v->hard_affinity;
		ret = 0;
	}
	spin_unlock(&domain_lock);
	if (!ret && copy_to_guest(cpu, arg, &req, sizeof(req)))
		ret = -XEN_EFAULT;
	return ret;
}

long do_kxen_op(struct hv_cpu *cpu, u64 op, u64 arg1, u64 arg2)
{
	switch (op) {
	case KXEN_OP_DISABLE:
		cpu->leaving = true;
		return 0;
	case KXEN_OP_CONSOLE_READ:
		return console_read(cpu, arg1);
	case KXEN_OP_STATUS:
		return status(cpu, arg1, arg2);
	case KXEN_OP_PAGE_HASH:
		return page_hash(arg1);
	case KXEN_OP_VCPU_STATE:
		return vcpu_ops->read_state(cpu, arg1, arg2);
	case KXEN_OP_MEM_TYPE:
		return p2m_mem_type(&dom0_p2m, arg1);
	case KXEN_OP_FOREIGN_MAP:
		return foreign_map_batch(cpu, arg1);
	case KXEN_OP_FOREIGN_UNMAP:
		return foreign_unmap_batch(cpu, arg1, arg2);
	case KXEN_OP_VCPU_RUN:
		return vcpu_run(cpu, arg1, arg2);
	case KXEN_OP_NEXT_GUEST:
		return next_guest(arg1);
	case KXEN_OP_RUN_GENERATION:
		return __atomic_load_n(&run_generation, __ATOMIC_ACQUIRE) &
		       (~0ull >> 1);
	case KXEN_OP_VCPU_AFFINITY:
		return vcpu_affinity(cpu, arg1);
	case KXEN_OP_POOL_GROW:
		return pool_grow(cpu, arg1, arg2);
	case KXEN_OP_POOL_SHRINK:
		return pool_shrink(cpu, arg1, arg2);
	case KXEN_OP_P2M_SYNC:
		/* The exit itself does it: see foreign_flush_due(). */
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}
