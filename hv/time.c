// SPDX-License-Identifier: GPL-2.0
/*
 * A domain's TSC, as Xen 4.17's tsc_set_info() and tsc_get_info() keep
 * it (xen/arch/x86/time.c).
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
#include <hv/x86.h>
#include <hv/xen.h>
#include <xen/domctl.h>

u64 tsc_to_ns(u64 ticks)
{
	return ticks / hv_tsc_khz * 1000000 +
	       ticks % hv_tsc_khz * 1000000 / hv_tsc_khz;
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
