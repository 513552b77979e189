// SPDX-License-Identifier: GPL-2.0
/*
 * The domctl hypercall: the toolstack's control of one domain, with Xen
 * 4.17's interface version, lookup rules and errors. Only dom0 calls it.
 * What exists so far is what a domain table with dom0 alone supports.
 */
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/string.h>
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

/* The caller, dom0, cannot pause itself: nothing would unpause it. */
static long pausedomain(struct domain *d)
{
	if (d->id == 0)
		return -XEN_EINVAL;
	d->controller_pauses++;
	return 0;
}

static long unpausedomain(struct domain *d)
{
	if (!d->controller_pauses)
		return -XEN_EINVAL;
	d->controller_pauses--;
	return 0;
}

static long domctl_locked(struct xen_domctl *op, bool *copyback)
{
	struct domain *d;

	if (op->cmd == XEN_DOMCTL_getdomaininfo) {
		*copyback = true;
		return getdomaininfo(op);
	}
	d = domain_find(op->domain);
	if (!d)
		return -XEN_ESRCH;
	switch (op->cmd) {
	case XEN_DOMCTL_pausedomain:
		return pausedomain(d);
	case XEN_DOMCTL_unpausedomain:
		return unpausedomain(d);
	case XEN_DOMCTL_setdomainhandle:
		memcpy(d->handle, op->u.setdomainhandle.handle,
		       sizeof(d->handle));
		return 0;
	case XEN_DOMCTL_max_mem:
		/* Lowering it below what the domain has only stops growth. */
		d->max_pages = op->u.max_mem.max_memkb >> (PAGE_SHIFT - 10);
		return 0;
	default:
		return -XEN_ENOSYS;
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
	ret = domctl_locked(&op, &copyback);
	spin_unlock(&domain_lock);
	if (!ret && copyback && copy_to_guest(cpu, arg, &op, sizeof(op)))
		ret = -XEN_EFAULT;
	return ret;
}
