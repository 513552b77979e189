/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest domains in the C selftests that drive kxen through Debian's
 * libxenctrl: the configuration libxl gives a PVH guest (kxen boot's
 * pvh_build.h), and the free memory physinfo reports, which every
 * lifecycle must give back.
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

#endif /* KXEN_XEN_GUEST_H */
