// SPDX-License-Identifier: GPL-2.0
/*
 * The sysctl hypercall: the toolstack's questions about the host, with
 * Xen 4.17's interface version and errors. Only dom0 calls it. kxen
 * keeps no NUMA topology: the host is one node, as Xen with numa=off.
 */
#include <hv/cpu_policy.h>
#include <hv/cpumap.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/pool.h>
#include <hv/xen.h>
#include <xen/sysctl.h>
#include <xen/domctl.h>

/* The console read position "xl dmesg -c" moved: older text is cleared. */
static u64 console_cleared;

/*
 * Xen's console indices are 32-bit positions in an endless stream; ours
 * are 64-bit. An index within the ring's reach of HEAD names the
 * position it truncates; any other starts at the oldest text kept.
 */
static u64 console_position(u32 index, u64 head, u64 oldest)
{
	u64 pos = head - (u32)((u32)head - index);

	return pos >= oldest && pos <= head ? pos : oldest;
}

static long readconsole(struct hv_cpu *cpu, struct xen_sysctl_readconsole *rc)
{
	u64 head = __atomic_load_n(&hv_console->head, __ATOMIC_ACQUIRE);
	u64 oldest = head > hv_console->size ? head - hv_console->size : 0;
	u64 pos, lost = 0;
	long copied;

	if (oldest < console_cleared)
		oldest = console_cleared;
	pos = rc->incremental ? console_position(rc->index, head, oldest) :
				oldest;
	copied = console_to_guest(cpu, &pos, (u64)rc->buffer.p, rc->count,
				  &lost);
	if (copied < 0)
		return copied;
	if (rc->clear)
		console_cleared = pos;
	rc->count = copied;
	rc->index = pos;
	return 0;
}

static void physinfo(struct xen_sysctl_physinfo *pi)
{
	unsigned int i;

	*pi = (struct xen_sysctl_physinfo){
		.threads_per_core = hv_machine.threads_per_core,
		.cores_per_socket = hv_machine.cores_per_socket,
		.nr_cpus = hv_machine.nr_online_cpus,
		.max_cpu_id = hv_machine.nr_cpu_ids - 1,
		.nr_nodes = 1,
		.max_node_id = 0,
		.cpu_khz = hv_tsc_khz,
		.capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap,
		.total_pages = hv_machine.ram_pages,
		/*
		 * What kxen can give guests: the pool's free pages and what
		 * dom0 may still donate, as xl plans with it. Dom0 gives
		 * only while it keeps an eighth of its RAM available, so a
		 * populate may still stop short when dom0 is low.
		 */
		.free_pages = hv_pool.nr_free + pool_growable_pages(),
		.outstanding_pages = memory_outstanding_claims(),
		.max_mfn = hv_machine.max_mfn,
	};
	/* Xen's featureset words 0-7. */
	for (i = 0; i < ARRAY_SIZE(pi->hw_cap); i++)
		pi->hw_cap[i] = policy_featureset_word(
			system_cpu_policy(POLICY_HOST), i);
}

/*
 * cputopoinfo and numainfo: with no array, how many entries there are;
 * with one, up to as many as the caller has room for, and how many.
 */
static long cputopoinfo(struct hv_cpu *cpu, struct xen_sysctl_cputopoinfo *ti)
{
	u32 i, n = hv_machine.nr_cpu_ids;

	if (!ti->cputopo.p) {
		ti->num_cpus = n;
		return 0;
	}
	if (n > ti->num_cpus)
		n = ti->num_cpus;
	for (i = 0; i < n; i++) {
		bool known = hv_cpu_online(i);
		struct xen_sysctl_cputopo topo = {
			.core = known ? hv_machine.cpu_core[i] :
					XEN_INVALID_CORE_ID,
			.socket = known ? hv_machine.cpu_socket[i] :
					  XEN_INVALID_SOCKET_ID,
			.node = known ? 0 : XEN_INVALID_NODE_ID,
		};

		if (copy_to_guest(cpu, (u64)ti->cputopo.p + i * sizeof(topo),
				  &topo, sizeof(topo)))
			return -XEN_EFAULT;
	}
	ti->num_cpus = n;
	return 0;
}

/* One node: all RAM, the pool's free memory, distance 10 to itself. */
static long numainfo(struct hv_cpu *cpu, struct xen_sysctl_numainfo *ni)
{
	struct xen_sysctl_meminfo mem = {
		.memsize = (hv_machine.max_mfn + 1) << PAGE_SHIFT,
		.memfree = hv_pool.nr_free << PAGE_SHIFT,
	};
	u32 local = 10;

	if ((ni->meminfo.p || ni->distance.p) && ni->num_nodes < 1) {
		ni->num_nodes = 0;
		return 0;
	}
	if ((ni->meminfo.p &&
	     copy_to_guest(cpu, (u64)ni->meminfo.p, &mem, sizeof(mem))) ||
	    (ni->distance.p &&
	     copy_to_guest(cpu, (u64)ni->distance.p, &local, sizeof(local))))
		return -XEN_EFAULT;
	ni->num_nodes = 1;
	return 0;
}

/* The domains from first_domain on, in id order, as many as fit. */
static long getdomaininfolist(struct hv_cpu *cpu,
			      struct xen_sysctl_getdomaininfolist *list)
{
	struct xen_domctl_getdomaininfo info;
	u32 n = 0;
	u32 next = list->first_domain;
	struct domain *d;
	long ret = 0;

	spin_lock(&domain_lock);
	while (n < list->max_domains && next < DOMID_FIRST_RESERVED) {
		d = domain_next(next);
		if (!d)
			break;
		domain_info(d, &info);
		if (copy_to_guest(cpu, (u64)list->buffer.p + n * sizeof(info),
				  &info, sizeof(info))) {
			ret = -XEN_EFAULT;
			break;
		}
		n++;
		next = d->id + 1;
	}
	spin_unlock(&domain_lock);
	list->num_domains = n;
	return ret;
}

/*
 * One pool, 0, of every online CPU, with the NULL scheduler, as Linux
 * schedules guest vCPUs; it cannot be split, so the ops that make,
 * change or remove pools are not supported.
 */
static long cpupool_op(struct hv_cpu *cpu, struct xen_sysctl_cpupool_op *op)
{
	switch (op->op) {
	case XEN_SYSCTL_CPUPOOL_OP_INFO:
		if (op->cpupool_id > 0)
			return -XEN_ENOENT;
		op->cpupool_id = 0;
		op->sched_id = XEN_SCHEDULER_NULL;
		spin_lock(&domain_lock);
		op->n_dom = domain_count();
		spin_unlock(&domain_lock);
		return cpumap_to_guest(cpu, &op->cpumap, cpumap_online());
	case XEN_SYSCTL_CPUPOOL_OP_FREEINFO:
		return cpumap_to_guest(cpu, &op->cpumap, 0);
	case XEN_SYSCTL_CPUPOOL_OP_CREATE:
	case XEN_SYSCTL_CPUPOOL_OP_DESTROY:
	case XEN_SYSCTL_CPUPOOL_OP_ADDCPU:
	case XEN_SYSCTL_CPUPOOL_OP_RMCPU:
	case XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN:
		return -XEN_EOPNOTSUPP;
	default:
		return -XEN_ENOSYS;
	}
}

long do_sysctl(struct hv_cpu *cpu, u64 arg)
{
	struct xen_sysctl op;
	long ret;

	if (copy_from_guest(cpu, &op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	switch (op.cmd) {
	case XEN_SYSCTL_readconsole:
		ret = readconsole(cpu, &op.u.readconsole);
		break;
	case XEN_SYSCTL_physinfo:
		spin_lock(&domain_lock);	/* for the claims */
		physinfo(&op.u.physinfo);
		spin_unlock(&domain_lock);
		ret = 0;
		break;
	case XEN_SYSCTL_cputopoinfo:
		ret = cputopoinfo(cpu, &op.u.cputopoinfo);
		break;
	case XEN_SYSCTL_numainfo:
		ret = numainfo(cpu, &op.u.numainfo);
		break;
	case XEN_SYSCTL_getdomaininfolist:
		ret = getdomaininfolist(cpu, &op.u.getdomaininfolist);
		break;
	case XEN_SYSCTL_cpupool_op:
		ret = cpupool_op(cpu, &op.u.cpupool_op);
		break;
	case XEN_SYSCTL_get_cpu_featureset:
		ret = sysctl_cpu_featureset(cpu, &op);
		break;
	case XEN_SYSCTL_get_cpu_policy:
		ret = sysctl_cpu_policy(cpu, &op);
		break;
	case XEN_SYSCTL_sched_id:
		/* Linux schedules guest vCPUs: Xen's own scheduler is NULL. */
		op.u.sched_id.sched_id = XEN_SCHEDULER_NULL;
		ret = 0;
		break;
	default:
		return -XEN_ENOSYS;
	}
	/* As Xen, a short featureset buffer still learns what it got. */
	if ((!ret || ret == -XEN_ENOBUFS) &&
	    copy_to_guest(cpu, arg, &op, sizeof(op)))
		ret = -XEN_EFAULT;
	return ret;
}
