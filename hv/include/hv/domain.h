/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Domains as Xen's toolstack sees them. For now only dom0 exists: the
 * Linux kxen took over, with one vCPU per CPU and all RAM but the pool.
 */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <hv/spinlock.h>
#include <kxen/types.h>

#define MAX_DOMAINS	64

struct domain {
	bool in_use;
	u16 id;
	u8 handle[16];			/* xen_domain_handle_t */
	u32 nr_vcpus;
	u32 controller_pauses;		/* XEN_DOMCTL_pausedomain's */
	u64 tot_pages;
	u64 max_pages;
	u64 start_tsc;			/* when its vCPUs began to run */
};

/* Held by every domctl and by the sysctls that list domains. */
extern struct hv_spinlock domain_lock;

void domain_init_dom0(u32 nr_vcpus, u64 tot_pages);
/* Under domain_lock: domain ID, or NULL. */
struct domain *domain_find(u16 id);
/* Under domain_lock: the domain with the lowest id >= ID, or NULL. */
struct domain *domain_next(u16 id);
/* Fills a struct xen_domctl_getdomaininfo (as void: Xen's tools header). */
void domain_info(const struct domain *d, void *info);

#endif /* HV_DOMAIN_H */
