// SPDX-License-Identifier: GPL-2.0
/*
 * Xen's shared_info page and vcpu_info: what a guest reads of its time
 * without a hypercall. Each guest has one shared_info page from the pool
 * (Xen's xenheap page), which XENMEM_add_to_physmap puts in its p2m.
 * The first 32 vCPUs have their vcpu_info in it, until a vCPU registers
 * one of its own in a page of its RAM (VCPUOP_register_vcpu_info).
 *
 * The layout is the 64-bit or the 32-bit one (Xen's has_32bit_shinfo),
 * latched as Xen latches it: from the guest's mode when it installs its
 * hypercall page or sets its callback.
 *
 * A registered vcpu_info is found through the p2m each time it is
 * written, so a guest that gives its page back loses its updates rather
 * than having the hypervisor write to a page that has gone to someone
 * else (Xen keeps a reference to the page instead).
 */
#include <hv/compat.h>
#include <hv/domain.h>
#include <hv/foreign.h>
#include <hv/hv.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hv/x86.h>
#include <hv/xen.h>

_Static_assert(sizeof(struct compat_vcpu_info) == sizeof(struct vcpu_info),
	       "vcpu_info");
_Static_assert(__builtin_offsetof(struct compat_vcpu_info, time) ==
	       __builtin_offsetof(struct vcpu_info, time) &&
	       sizeof(((struct compat_vcpu_info *)0)->time) ==
	       sizeof(struct vcpu_time_info), "vcpu_info time");

/* Xen's version_update_begin() and _end(): odd while a write is under way. */
static void version_begin(u32 *version)
{
	__atomic_store_n(version, (*version + 1) | 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void version_end(u32 *version)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(version, *version + 1, __ATOMIC_RELAXED);
}

int domain_shared_info_init(struct domain *d)
{
	d->shared_info = page_alloc(&hv_pool);
	if (!d->shared_info)
		return -XEN_ENOMEM;
	memset(d->shared_info, 0, PAGE_SIZE);
	domain_wallclock_update(d);
	return 0;
}

void domain_shared_info_free(struct domain *d)
{
	/* Dom0 may still map it: it then waits for the last unmapping. */
	if (d->shared_info)
		guest_pages_free(d->shared_info, 1, 0);
	d->shared_info = NULL;
}

bool is_shared_info(const struct domain *d, u64 hpa)
{
	return d->shared_info && hpa == page_pool_pa(&hv_pool, d->shared_info);
}

void domain_wallclock_update(struct domain *d)
{
	struct shared_info *native = d->shared_info;
	struct compat_shared_info *compat = d->shared_info;
	u64 sec;
	u32 nsec;

	if (!d->shared_info)
		return;			/* dom0 */
	domain_wallclock(d, &sec, &nsec);
	if (d->has_32bit_shinfo) {
		version_begin(&compat->wc_version);
		compat->wc_sec = sec;
		compat->wc_nsec = nsec;
		compat->wc_sec_hi = sec >> 32;
		version_end(&compat->wc_version);
	} else {
		version_begin(&native->wc_version);
		native->wc_sec = sec;
		native->wc_nsec = nsec;
		native->wc_sec_hi = sec >> 32;
		version_end(&native->wc_version);
	}
}

void domain_latch_shinfo_size(struct domain *d, bool guest_32bit)
{
	d->has_32bit_shinfo = guest_32bit;
	domain_wallclock_update(d);
}

void *vcpu_info_of(const struct vcpu *v)
{
	const struct domain *d = v->domain;
	unsigned int level;
	u64 hpa;

	if (v->vcpu_info_gfn != INVALID_GFN) {
		if (p2m_lookup(&d->p2m, v->vcpu_info_gfn << PAGE_SHIFT, &hpa,
			       &level) != P2M_RAM)
			return NULL;
		return (u8 *)hv_phys_to_virt(hpa) + v->vcpu_info_offset;
	}
	if (v->id >= XEN_LEGACY_MAX_VCPUS)
		return NULL;
	return d->has_32bit_shinfo ?
	       (void *)&((struct compat_shared_info *)d->shared_info)->vcpu_info[v->id] :
	       (void *)&((struct shared_info *)d->shared_info)->vcpu_info[v->id];
}

/*
 * Xen's update_vcpu_system_time(): the pvclock at this moment, with the
 * TSC as the guest reads it. Called on the CPU that is to run V.
 */
void vcpu_time_update(struct vcpu *v)
{
	struct vcpu_info *info = vcpu_info_of(v);
	struct vcpu_time_info *t;
	u64 tsc = rdtsc();

	if (!info)
		return;
	t = &info->time;	/* the same place in both layouts */
	version_begin(&t->version);
	t->tsc_timestamp = tsc + v->tsc_offset;
	t->system_time = tsc_to_ns(tsc);
	t->tsc_to_system_mul = tsc_scale.mul;
	t->tsc_shift = tsc_scale.shift;
	/* No XEN_PVCLOCK_TSC_STABLE_BIT: Xen sets it only with clocksource=tsc. */
	t->flags = 0;
	version_end(&t->version);
}

/*
 * Xen 4.17's map_vcpu_info(): once per vCPU, by the vCPU itself or for
 * one that is down, in a RAM page, aligned for the layout. The contents
 * move from the old place (or start with events masked), and every event
 * is then marked pending so that none is lost in the move.
 */
long vcpu_info_register(struct vcpu *v, bool self, u64 gfn, u32 offset)
{
	struct domain *d = v->domain;
	u32 align = d->has_32bit_shinfo ? 4 : 8;
	void *old = vcpu_info_of(v);
	struct compat_vcpu_info *compat;
	struct vcpu_info *native;
	unsigned int level;
	u64 hpa;

	if (offset > PAGE_SIZE - sizeof(struct vcpu_info) || offset & (align - 1))
		return -XEN_ENXIO;
	if (v->vcpu_info_gfn != INVALID_GFN)
		return -XEN_EINVAL;
	if (!self && !v->down)
		return -XEN_EINVAL;
	if (!guest_gfn_valid(d, gfn) ||
	    p2m_lookup(&d->p2m, gfn << PAGE_SHIFT, &hpa, &level) != P2M_RAM)
		return -XEN_EINVAL;
	native = (void *)((u8 *)hv_phys_to_virt(hpa) + offset);
	compat = (void *)native;
	if (old) {
		memmove(native, old, sizeof(*native));
	} else {
		memset(native, 0, sizeof(*native));
		native->evtchn_upcall_mask = 1;
	}
	v->vcpu_info_gfn = gfn;
	v->vcpu_info_offset = offset;
	if (d->has_32bit_shinfo)
		__atomic_store_n(&compat->evtchn_pending_sel, ~0u,
				 __ATOMIC_RELEASE);
	else
		__atomic_store_n(&native->evtchn_pending_sel, ~0ul,
				 __ATOMIC_RELEASE);
	__atomic_store_n(&native->evtchn_upcall_pending, 1, __ATOMIC_RELEASE);
	vcpu_time_update(v);
	return 0;
}
