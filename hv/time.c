// SPDX-License-Identifier: GPL-2.0
/*
 * Time as domains see it: the hypervisor's system time, the wallclock,
 * and a domain's TSC as Xen 4.17's tsc_set_info() and tsc_get_info()
 * keep it (xen/arch/x86/time.c).
 *
 * System time is Xen's NOW(): nanoseconds of the host's TSC, scaled as
 * the pvclock in each vcpu_info scales them (hv/time_scale.c), so what a
 * guest reads there is the hypervisor's own clock. The wallclock is
 * Linux's real time when kxen was loaded, carried back to system time 0;
 * dom0's later clock changes (NTP, settimeofday) do not reach it.
 *
 *
 * kxen's guests read the host's TSC: VMRUN and VMLAUNCH run them without
 * RDTSC exits, as KVM does. That is Xen's "native" case, so kxen offers
 * the modes that need no emulation: the default mode at the host's
 * frequency (Xen would also emulate there when the host TSC is not
 * reliable; kxen leaves that to the guest's clock source) and
 * never-emulate. Emulating RDTSC, always or at another frequency, is
 * refused with EOPNOTSUPP rather than accepted and not done.
 */
#include <hv/domain.h>
#include <hv/hv.h>
#include <hv/printk.h>
#include <hv/time.h>
#include <hv/time_scale.h>
#include <hv/x86.h>
#include <hv/xen.h>
#include <xen/domctl.h>

#define NSEC_PER_SEC	1000000000ull

struct time_scale tsc_scale;
/* Real time at system time 0, in ns since the epoch. */
static u64 wallclock_base_ns;

void time_init(u32 tsc_khz, u64 wallclock_ns, u64 wallclock_tsc)
{
	time_scale_set(&tsc_scale, tsc_khz * 1000ull);
	wallclock_base_ns = wallclock_ns - tsc_to_ns(wallclock_tsc);
}

u64 tsc_to_ns(u64 ticks)
{
	return time_scale_apply(&tsc_scale, ticks);
}

u64 system_time(void)
{
	return tsc_to_ns(rdtsc());
}

void domain_wallclock(const struct domain *d, u64 *sec, u32 *nsec)
{
	*sec = wallclock_base_ns / NSEC_PER_SEC + d->time_offset_seconds;
	*nsec = wallclock_base_ns % NSEC_PER_SEC;
}

long domain_set_tsc_info(struct domain *d,
			 const struct xen_domctl_tsc_info *info)
{
	bool emulate;

	switch (info->tsc_mode) {
	case TSC_MODE_DEFAULT:
		/* 0 kHz: the host's frequency, as at creation. */
		emulate = info->gtsc_khz && info->gtsc_khz != hv_tsc_khz;
		break;
	case TSC_MODE_ALWAYS_EMULATE:
		emulate = true;
		break;
	case TSC_MODE_NEVER_EMULATE:
		emulate = false;
		break;
	default:
		return -XEN_EINVAL;
	}
	if (emulate) {
		hv_printk("d%u: TSC mode %u at %u kHz needs RDTSC emulation, which kxen does not do\n",
			  d->id, info->tsc_mode, info->gtsc_khz);
		return -XEN_EOPNOTSUPP;
	}
	d->tsc_mode = info->tsc_mode;
	/* Xen counts the domain's incarnations (save/restore, migration). */
	d->tsc_incarnation = info->incarnation + 1;
	return 0;
}

void domain_get_tsc_info(const struct domain *d,
			 struct xen_domctl_tsc_info *info)
{
	info->tsc_mode = d->tsc_mode;
	info->incarnation = d->tsc_incarnation;
	if (d->tsc_mode == TSC_MODE_NEVER_EMULATE) {
		info->elapsed_nsec = 0;
		info->gtsc_khz = 0;
	} else {
		/* Xen's native case: the TSC the guest reads, in ns. */
		info->elapsed_nsec = tsc_to_ns(rdtsc());
		info->gtsc_khz = hv_tsc_khz;
	}
}
