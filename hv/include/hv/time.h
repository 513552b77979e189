/* SPDX-License-Identifier: GPL-2.0 */
/* Time as domains see it: system time, the wallclock, the TSC (hv/time.c). */
#ifndef HV_TIME_H
#define HV_TIME_H

#include <kxen/types.h>
#include <hv/time_scale.h>

struct domain;
struct xen_domctl_tsc_info;

/* Xen 4.17's TSC modes (xen/arch/x86/include/asm/time.h). */
#define TSC_MODE_DEFAULT	0
#define TSC_MODE_ALWAYS_EMULATE	1
#define TSC_MODE_NEVER_EMULATE	2

/* How the host's TSC becomes nanoseconds: what pvclock tells guests. */
extern struct time_scale tsc_scale;

/*
 * Once, at preparation: the TSC's rate, and Linux's real time (ns since
 * the epoch) with the TSC read at the same moment.
 */
void time_init(u32 tsc_khz, u64 wallclock_ns, u64 wallclock_tsc);
/* TSC ticks as nanoseconds. */
u64 tsc_to_ns(u64 ticks);
/* Xen's NOW(): nanoseconds of the host's TSC. */
u64 system_time(void);
/*
 * Real time at D's system time 0, as Xen's shared_info wc_sec and
 * wc_nsec give it: the host's, moved by D's XEN_DOMCTL_settimeoffset.
 */
void domain_wallclock(const struct domain *d, u64 *sec, u32 *nsec);

/* XEN_DOMCTL_settscinfo and gettscinfo for a guest (not dom0). */
long domain_set_tsc_info(struct domain *d,
			 const struct xen_domctl_tsc_info *info);
void domain_get_tsc_info(const struct domain *d,
			 struct xen_domctl_tsc_info *info);

#endif /* HV_TIME_H */
