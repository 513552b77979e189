// SPDX-License-Identifier: GPL-2.0
/*
 * The domain table. Dom0 is made at preparation; guests will be made by
 * XEN_DOMCTL_createdomain.
 */
#include <hv/domain.h>
#include <hv/hv.h>
#include <hv/string.h>
#include <hv/x86.h>
#include <hv/xen.h>
#include <xen/domctl.h>

struct hv_spinlock domain_lock;
static struct domain domains[MAX_DOMAINS];

void domain_init_dom0(u32 nr_vcpus, u64 tot_pages)
{
	domains[0] = (struct domain){
		.in_use = true,
		.id = 0,
		.nr_vcpus = nr_vcpus,
		.tot_pages = tot_pages,
		/* As Xen's PVH dom0 without dom0_mem=max: what it has. */
		.max_pages = tot_pages,
		.start_tsc = rdtsc(),
	};
}

struct domain *domain_find(u16 id)
{
	unsigned int i;

	for (i = 0; i < MAX_DOMAINS; i++)
		if (domains[i].in_use && domains[i].id == id)
			return &domains[i];
	return NULL;
}

struct domain *domain_next(u16 id)
{
	struct domain *best = NULL;
	unsigned int i;

	for (i = 0; i < MAX_DOMAINS; i++)
		if (domains[i].in_use && domains[i].id >= id &&
		    (!best || domains[i].id < best->id))
			best = &domains[i];
	return best;
}

/* TSC ticks as nanoseconds, without overflowing for years of ticks. */
static u64 tsc_to_ns(u64 ticks)
{
	return ticks / hv_tsc_khz * 1000000 +
	       ticks % hv_tsc_khz * 1000000 / hv_tsc_khz;
}

/*
 * Dom0's vCPUs never block in the hypervisor (HLT does not exit), so as
 * Xen counts it they run all the time since the handover.
 */
void domain_info(const struct domain *d, void *out)
{
	struct xen_domctl_getdomaininfo *info = out;

	*info = (struct xen_domctl_getdomaininfo){
		.domain = d->id,
		.flags = XEN_DOMINF_hvm_guest | XEN_DOMINF_hap |
			 (d->nr_vcpus ? XEN_DOMINF_running : 0) |
			 (d->controller_pauses ? XEN_DOMINF_paused : 0),
		.tot_pages = d->tot_pages,
		.max_pages = d->max_pages,
		.shared_info_frame = ~0ull,	/* not mapped */
		.cpu_time = d->nr_vcpus * tsc_to_ns(rdtsc() - d->start_tsc),
		.nr_online_vcpus = d->nr_vcpus,
		.max_vcpu_id = d->nr_vcpus ? d->nr_vcpus - 1 :
					    XEN_INVALID_MAX_VCPU_ID,
		.cpupool = 0,
		.gpaddr_bits = hv_machine.phys_addr_bits,
	};
	memcpy(info->handle, d->handle, sizeof(info->handle));
}
