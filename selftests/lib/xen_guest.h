/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest domains in the C selftests that drive kxen through Debian's
 * libxenctrl: the configuration libxl gives a PVH guest, and the free
 * memory physinfo reports, which every lifecycle must give back.
 */
#ifndef KXEN_XEN_GUEST_H
#define KXEN_XEN_GUEST_H

#include <xenctrl.h>

#define PVH_FLAGS	(XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap)

/* What libxl asks for a PVH guest with NVCPUS. */
static inline struct xen_domctl_createdomain pvh_config(unsigned int nvcpus)
{
	return (struct xen_domctl_createdomain){
		.flags = PVH_FLAGS,
		.max_vcpus = nvcpus,
		.max_evtchn_port = 1023,
		.max_grant_frames = -1,
		.max_maptrack_frames = -1,
		.grant_opts = XEN_DOMCTL_GRANT_version(1),
		.arch.emulation_flags = XEN_X86_EMU_LAPIC,
	};
}

/* physinfo's free pages: what kxen's pool can still give guests. */
static inline unsigned long free_pages(xc_interface *xch)
{
	xc_physinfo_t pi = { 0 };

	return xc_physinfo(xch, &pi) ? 0 : pi.free_pages;
}

#endif /* KXEN_XEN_GUEST_H */
