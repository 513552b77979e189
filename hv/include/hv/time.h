/* SPDX-License-Identifier: GPL-2.0 */
/* Time as domains see it: the TSC, and Xen's TSC modes. */
#ifndef HV_TIME_H
#define HV_TIME_H

#include <kxen/types.h>

struct domain;
struct xen_domctl_tsc_info;

/* Xen 4.17's TSC modes (xen/arch/x86/include/asm/time.h). */
#define TSC_MODE_DEFAULT	0
#define TSC_MODE_ALWAYS_EMULATE	1
#define TSC_MODE_NEVER_EMULATE	2

/* TSC ticks as nanoseconds, without overflowing for years of ticks. */
u64 tsc_to_ns(u64 ticks);

/* XEN_DOMCTL_settscinfo and gettscinfo for a guest (not dom0). */
long domain_set_tsc_info(struct domain *d,
			 const struct xen_domctl_tsc_info *info);
void domain_get_tsc_info(const struct domain *d,
			 struct xen_domctl_tsc_info *info);

#endif /* HV_TIME_H */
