// SPDX-License-Identifier: GPL-2.0
/*
 * The domctl hypercall: the toolstack's control of one domain, with Xen
 * 4.17's interface version, lookup rules and errors. Only dom0 calls it,
 * so "the caller's own domain", which Xen protects from some commands,
 * is dom0.
 */
#include <hv/cpu_policy.h>
#include <hv/cpumap.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hv/xen.h>
#include <xen/domctl.h>

/*
 * XEN_DOMCTL_getdomaininfo: the domain asked for or, as in Xen 4.17, the
 * first one after it, so that a toolstack can walk the list.
 */
static long getdomaininfo(struct xen_domctl *op)
{
	struct domain *d;

	if (op->domain >= DOMID_FIRST_RESERVED)
		return -XEN_EINVAL;
	d = domain_next(op->domain);
	if (!d)
		return -XEN_ESRCH;
	domain_info(d, &op->u.getdomaininfo);
	op->domain = d->id;
	return 0;
}

/*
 * The domain id asked for, or as Xen 4.17 picks one: the first free id
 * after the last one picked, wrapping round below DOMID_FIRST_RESERVED.
 */
static long createdomain(struct xen_domctl *op)
{
	static u16 rover;
	u16 id = op->domain;
	struct domain *d;
	long ret;

	if (id > 0 && id < DOMID_FIRST_RESERVED) {
		if (domain_find(id))
			return -XEN_EEXIST;
	} else {
		/* Free slots are fewer than free ids: the search ends. */
		if (domain_count() == MAX_DOMAINS)
			return -XEN_ENOMEM;
		id = rover;
		do
			id = id + 1u < DOMID_FIRST_RESERVED ? id + 1 : 1;
		while (domain_find(id));
		rover = id;
	}
	ret = domain_create(id, &op->u.createdomain, &d);
	if (!ret)
		hv_printk("d%u: created, %u vCPUs\n", id, d->max_vcpus);
	op->domain = id;
	return ret;
}

/* max_vcpus only confirms createdomain's count, as in Xen 4.17. */
static long max_vcpus(struct domain *d, u32 max)
{
	if (d->id == 0 || max != d->max_vcpus)
		return -XEN_EINVAL;
	return domain_make_vcpus(d, max);
}

/* vCPU ID of D, as Xen's vCPU domctls find it: past the count or not made. */
static long find_vcpu(struct domain *d, u32 id, struct vcpu **v)
{
	if (id >= d->max_vcpus)
		return -XEN_EINVAL;
	*v = domain_vcpu(d, id);
	return *v ? 0 : -XEN_ESRCH;
}

static long getvcpuinfo(struct domain *d,
			struct xen_domctl_getvcpuinfo *info)
{
	struct vcpu *v;
	long ret = find_vcpu(d, info->vcpu, &v);

	if (ret)
		return ret;
	info->online = !v->down;
	info->blocked = v->blocked;
	info->running = v->running;
	info->cpu_time = vcpu_run_ns(v);
	info->cpu = v->processor;
	return 0;
}

/*
 * As Xen 4.17's vcpu_affinity_domctl(): set hard, soft or both, and
 * write back what is in effect (hard: within the online CPUs; soft:
 * within those and the hard affinity); get writes back what was set.
 * Dom0's vCPUs are its CPUs, so their affinity cannot change.
 */
static long vcpu_affinity(struct hv_cpu *cpu, struct domain *d, u32 cmd,
			  struct xen_domctl_vcpuaffinity *aff)
{
	bool hard = aff->flags & XEN_VCPUAFFINITY_HARD;
	bool soft = aff->flags & XEN_VCPUAFFINITY_SOFT;
	cpumap_t online = cpumap_online(), map, old_hard;
	struct vcpu *v;
	long ret = find_vcpu(d, aff->vcpu, &v);

	if (ret)
		return ret;
	if ((!hard && !soft) || (hard && !aff->cpumap_hard.bitmap.p) ||
	    (soft && !aff->cpumap_soft.bitmap.p))
		return -XEN_EINVAL;
	if (cmd == XEN_DOMCTL_getvcpuaffinity) {
		if (hard)
			ret = cpumap_to_guest(cpu, &aff->cpumap_hard,
					      v->hard_affinity);
		if (soft && !ret)
			ret = cpumap_to_guest(cpu, &aff->cpumap_soft,
					      v->soft_affinity);
		return ret;
	}
	if (d->id == 0) {
		hv_printk("d0v%u: affinity not changed: dom0's vCPUs are its CPUs\n",
			  v->id);
		return -XEN_EPERM;
	}
	old_hard = v->hard_affinity;
	if (hard) {
		ret = cpumap_from_guest(cpu, &map, &aff->cpumap_hard);
		if (!ret && !(map & online))
			ret = -XEN_EINVAL;
		if (ret)
			return ret;
		v->hard_affinity = map;
		ret = cpumap_to_guest(cpu, &aff->cpumap_hard, map & online);
	}
	if (soft) {
		ret = cpumap_from_guest(cpu, &map, &aff->cpumap_soft);
		if (ret) {
			/* The caller is told nothing changed. */
			v->hard_affinity = old_hard;
			return ret;
		}
		v->soft_affinity = map;
		ret = cpumap_to_guest(cpu, &aff->cpumap_soft,
				      map & online & v->hard_affinity);
	}
	return ret;
}

/*
 * Running vCPUs stop at their next exit, which a physical interrupt
 * brings within a tick: until then the call continues (Xen's destroy
 * continues while it relinquishes the domain's resources too).
 */
static long destroydomain(struct domain *d)
{
	if (d->id == 0)
		return -XEN_EINVAL;
	d->dying = true;
	if (d->vcpus_on_cpus)
		return 1;
	hv_printk("d%u: destroyed\n", d->id);
	domain_destroy(d);
	return 0;
}

/*
 * Xen pauses a domain around the save and the load of its context, so
 * that no vCPU is inside a run: one entering its run as a load lands
 * could start from the old state and mark the new one taken. Until the
 * last has left, its vCPUs are held out and the call continues; this
 * changes nothing else, so the continuation may repeat it.
 */
static bool context_busy(struct domain *d)
{
	d->context_hold = d->vcpus_on_cpus != 0;
	return d->context_hold;
}

/* The caller, dom0, cannot pause itself: nothing would unpause it. */
static long pausedomain(struct domain *d)
{
	if (d->id == 0)
		return -XEN_EINVAL;
	d->controller_pauses++;
	domain_runstates_sync(d);
	return 0;
}

static long unpausedomain(struct domain *d)
{
	if (!d->controller_pauses)
		return -XEN_EINVAL;
	d->controller_pauses--;
	d->creation_finished = true;	/* Xen's first unpause: built */
	domain_runstates_sync(d);
	return 0;
}

/*
 * Xen's domain_set_time_offset(): the guest's wallclock moves by the
 * offset (its emulated RTC, once kxen has one, would follow).
 */
static long settimeoffset(struct domain *d, s64 seconds)
{
	d->time_offset_seconds = seconds;
	domain_wallclock_update(d);
	return 0;
}

/* Not once the domain has run (Xen's rule). */
static long set_cpu_policy(struct hv_cpu *cpu, struct domain *d,
			   struct xen_domctl_cpu_policy *in)
{
	if (d->creation_finished)
		return -XEN_EEXIST;
	return cpu_policy_from_guest(cpu, d->cpu_policy, in);
}

/*
 * What Xen refuses on the caller's own domain, dom0 here: the commands
 * that pause the domain first (EINVAL), and the paging mempool, which a
 * PV dom0 has not (EOPNOTSUPP; kxen's dom0 tables are made at load).
 */
static long refused_on_dom0(u32 cmd)
{
	switch (cmd) {
	case XEN_DOMCTL_settscinfo:
	case XEN_DOMCTL_gettscinfo:
	case XEN_DOMCTL_gethvmcontext:
	case XEN_DOMCTL_sethvmcontext:
	case XEN_DOMCTL_set_cpu_policy:
		return -XEN_EINVAL;
	case XEN_DOMCTL_get_paging_mempool_size:
	case XEN_DOMCTL_set_paging_mempool_size:
		return -XEN_EOPNOTSUPP;
	default:
		return 0;
	}
}

static long domctl_locked(struct hv_cpu *cpu, struct xen_domctl *op,
			  bool *copyback)
{
	struct domain *d;
	long refused;

	switch (op->cmd) {
	case XEN_DOMCTL_getdomaininfo:
		*copyback = true;
		return getdomaininfo(op);
	case XEN_DOMCTL_createdomain:
		*copyback = true;
		return createdomain(op);
	}
	d = domain_find(op->domain);
	if (!d)
		return -XEN_ESRCH;
	refused = d->id == 0 ? refused_on_dom0(op->cmd) : 0;
	if (refused)
		return refused;
	switch (op->cmd) {
	case XEN_DOMCTL_destroydomain:
		return destroydomain(d);
	case XEN_DOMCTL_max_vcpus:
		return max_vcpus(d, op->u.max_vcpus.max);
	case XEN_DOMCTL_getvcpuinfo:
		*copyback = true;
		return getvcpuinfo(d, &op->u.getvcpuinfo);
	case XEN_DOMCTL_pausedomain:
		return pausedomain(d);
	case XEN_DOMCTL_unpausedomain:
		return unpausedomain(d);
	case XEN_DOMCTL_setvcpuaffinity:
	case XEN_DOMCTL_getvcpuaffinity:
		return vcpu_affinity(cpu, d, op->cmd, &op->u.vcpuaffinity);
	case XEN_DOMCTL_setdomainhandle:
		memcpy(d->handle, op->u.setdomainhandle.handle,
		       sizeof(d->handle));
		return 0;
	case XEN_DOMCTL_settscinfo:
		return domain_set_tsc_info(d, &op->u.tsc_info);
	case XEN_DOMCTL_gettscinfo:
		domain_get_tsc_info(d, &op->u.tsc_info);
		*copyback = true;
		return 0;
	case XEN_DOMCTL_get_paging_mempool_size:
		op->u.paging_mempool.size = p2m_pool_bytes(&d->p2m);
		*copyback = true;
		return 0;
	case XEN_DOMCTL_set_paging_mempool_size:
		return domain_set_paging_pool(cpu, d,
					      op->u.paging_mempool.size);
	case XEN_DOMCTL_gethvmcontext:
		if (context_busy(d))
			return 1;
		*copyback = true;
		return domain_get_hvm_context(cpu, d, &op->u.hvmcontext);
	case XEN_DOMCTL_sethvmcontext:
		if (context_busy(d))
			return 1;
		return domain_set_hvm_context(cpu, d, &op->u.hvmcontext);
	case XEN_DOMCTL_get_cpu_policy:
		*copyback = true;
		return cpu_policy_to_guest(cpu, d->cpu_policy, &op->u.cpu_policy);
	case XEN_DOMCTL_set_cpu_policy:
		*copyback = true;
		return set_cpu_policy(cpu, d, &op->u.cpu_policy);
	case XEN_DOMCTL_settimeoffset:
		return settimeoffset(d, op->u.settimeoffset.time_offset_seconds);
	case XEN_DOMCTL_max_mem:
		/* Lowering it below what the domain has only stops growth. */
		d->max_pages = op->u.max_mem.max_memkb >> (PAGE_SHIFT - 10);
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}

static bool changes_what_runs(u32 cmd)
{
	switch (cmd) {
	case XEN_DOMCTL_createdomain:
	case XEN_DOMCTL_destroydomain:
	case XEN_DOMCTL_max_vcpus:
	case XEN_DOMCTL_pausedomain:
	case XEN_DOMCTL_unpausedomain:
	case XEN_DOMCTL_gethvmcontext:	/* the vCPUs it held go on */
	case XEN_DOMCTL_sethvmcontext:
	case XEN_DOMCTL_setvcpuaffinity:
		return true;
	default:
		return false;
	}
}

long do_domctl(struct hv_cpu *cpu, u64 arg)
{
	struct xen_domctl op;
	bool copyback = false;
	long ret;

	if (copy_from_guest(cpu, &op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	spin_lock(&domain_lock);
	ret = domctl_locked(cpu, &op, &copyback);
	spin_unlock(&domain_lock);
	/* A context call that failed has ended its hold too. */
	if (ret <= 0 && changes_what_runs(op.cmd))
		domain_run_changed();
	if (ret > 0)	/* the same domctl again, as Xen's continuation */
		return hypercall_continue(cpu, arg, 0);
	/* set_cpu_policy's err_* fields say what it refused. */
	if (copyback && (!ret || op.cmd == XEN_DOMCTL_set_cpu_policy) &&
	    copy_to_guest(cpu, arg, &op, sizeof(op)))
		ret = -XEN_EFAULT;
	return ret;
}
