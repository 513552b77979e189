/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A PVH domain built as libxl builds one, with Debian's libxenctrl and
 * libxenguest, but without xenstore: `kxen boot` and the lab selftests
 * use it.
 */
#ifndef KXEN_PVH_BUILD_H
#define KXEN_PVH_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <xenctrl.h>

#define PVH_FLAGS	(XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap)

/* What libxl asks of createdomain for a PVH guest with NVCPUS. */
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

struct pvh_guest {
	const char *kernel;		/* a PVH ELF, or a bzImage holding one */
	const char *ramdisk;		/* NULL for none */
	const char *cmdline;		/* NULL for none */
	unsigned int memory_mb;
	unsigned int vcpus;
};

/*
 * Creates the domain and builds G in it, leaving it paused. Returns 0
 * with *DOMID, or -1 with the reason in ERR (the domain is gone then).
 */
int pvh_build(xc_interface *xch, const struct pvh_guest *g, uint32_t *domid,
	      char *err, size_t err_size);

#endif /* KXEN_PVH_BUILD_H */
