/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest domains in the C selftests that drive kxen through Debian's
 * libxenctrl: the configuration libxl gives a PVH guest (kxen boot's
 * pvh_build.h), one made with it, and the free memory physinfo
 * reports, which every lifecycle must give back.
 */
#ifndef KXEN_XEN_GUEST_H
#define KXEN_XEN_GUEST_H

#include <xenctrl.h>
#include "pvh_build.h"

/* physinfo's free pages: what kxen's pool can still give guests. */
static inline unsigned long free_pages(xc_interface *xch)
{
	xc_physinfo_t pi = { 0 };

	return xc_physinfo(xch, &pi) ? 0 : pi.free_pages;
}

/* A new PVH domain with one vCPU and MAX_KB of max_mem; 0 on failure. */
static inline uint32_t new_pvh_domain(xc_interface *xch, uint64_t max_kb)
{
	struct xen_domctl_createdomain cfg = pvh_config(1);
	uint32_t domid = 0;

	if (xc_domain_create(xch, &domid, &cfg) ||
	    xc_domain_setmaxmem(xch, domid, max_kb))
		return 0;
	return domid;
}

#endif /* KXEN_XEN_GUEST_H */
