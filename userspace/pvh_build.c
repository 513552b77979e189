// SPDX-License-Identifier: GPL-2.0
/*
 * Building a PVH domain the way libxl's libxl__build_hvm() does for a
 * PVH guest with no device model: createdomain, the CPU policy, max_mem,
 * then libxenguest's xc_dom_* sequence with libxl's ACPI tables
 * (userspace/pvh_acpi.c) and the memory map libxl makes. What libxl would then do through xenstore
 * (console and store rings, grant-table seeding) is left out: the
 * guest's console is the hypervisor log.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pvh_acpi.h"
#include "pvh_build.h"

/* libxl's LIBXL_MAXMEM_CONSTANT: room above the RAM, in KiB. */
#define MAXMEM_SLACK_KB		1024
/*
 * libxl's MMIO hole for a PVH guest: from the lowest of the special
 * pages, the LAPIC (0xfee00000) and libacpi's ACPI_INFO_PHYSICAL_ADDRESS
 * (0xfc000000), which is the last.
 */
#define PVH_MMIO_START		0xfc000000ull
#define GIB			(1ull << 30)

static int fail(char *err, size_t size, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	n = strlen(err);
	if (saved)
		snprintf(err + n, size - n, ": %s", strerror(saved));
	errno = saved;
	return -1;
}

/*
 * libxl's memory map for a PVH guest: RAM below the hole, the ACPI
 * tables (the modules, in address order), Xen's special pages reserved,
 * and the rest of the RAM above 4 GiB. Returns entries.
 */
#define MAX_E820	5
static unsigned int memory_map(struct xc_dom_image *dom,
			       struct e820entry e820[MAX_E820])
{
	unsigned int nr = 0;

	e820[nr++] = (struct e820entry){
		.addr = 0, .size = dom->lowmem_end, .type = E820_RAM,
	};
	/* The tables, then the RSDP after them. */
	e820[nr++] = (struct e820entry){
		.addr = dom->acpi_modules[1].guest_addr_out,
		.size = XC_PAGE_SIZE, .type = E820_ACPI,
	};
	e820[nr++] = (struct e820entry){
		.addr = dom->acpi_modules[0].guest_addr_out,
		.size = XC_PAGE_SIZE, .type = E820_ACPI,
	};
	e820[nr++] = (struct e820entry){
		.addr = (uint64_t)(X86_HVM_END_SPECIAL_REGION -
				   X86_HVM_NR_SPECIAL_PAGES) << XC_PAGE_SHIFT,
		.size = X86_HVM_NR_SPECIAL_PAGES << XC_PAGE_SHIFT,
		.type = E820_RESERVED,
	};
	if (dom->highmem_end)
		e820[nr++] = (struct e820entry){
			.addr = 4 * GIB,
			.size = dom->highmem_end - 4 * GIB,
			.type = E820_RAM,
		};
	return nr;
}

/* libxl__build_hvm()'s memory layout for MEM_MB of RAM. */
static void memory_layout(struct xc_dom_image *dom, unsigned int mem_mb)
{
	uint64_t mem = (uint64_t)mem_mb << 20;

	dom->target_pages = mem >> XC_PAGE_SHIFT;
	dom->mmio_start = PVH_MMIO_START;
	dom->mmio_size = 4 * GIB - PVH_MMIO_START;
	dom->lowmem_end = mem;
	dom->highmem_end = 0;
	if (mem > dom->mmio_start) {
		dom->lowmem_end = dom->mmio_start;
		dom->highmem_end = 4 * GIB + mem - dom->mmio_start;
	}
}

static int build_image(xc_interface *xch, const struct pvh_guest *g,
		       uint32_t domid, char *err, size_t size)
{
	struct xc_dom_image *dom = xc_dom_allocate(xch, g->cmdline, NULL);
	struct e820entry e820[MAX_E820];
	static struct pvh_acpi acpi;
	unsigned int nr;
	int ret = -1;

	if (!dom)
		return fail(err, size, "xc_dom_allocate");
	dom->container_type = XC_DOM_HVM_CONTAINER;
	dom->max_vcpus = g->vcpus;
	memory_layout(dom, g->memory_mb);
	if (xc_dom_kernel_file(dom, g->kernel)) {
		fail(err, size, "reading %s", g->kernel);
		goto out;
	}
	if (g->ramdisk && xc_dom_module_file(dom, g->ramdisk, NULL)) {
		fail(err, size, "reading %s", g->ramdisk);
		goto out;
	}
	if (xc_dom_boot_xen_init(dom, xch, domid) || xc_dom_parse_image(dom)) {
		fail(err, size, "%s is not a PVH kernel", g->kernel);
		goto out;
	}
	if (pvh_acpi_build(&acpi, g->vcpus)) {
		fail(err, size, "ACPI tables for %u vCPUs", g->vcpus);
		goto out;
	}
	pvh_acpi_modules(&acpi, dom);
	if (xc_dom_mem_init(dom, g->memory_mb) || xc_dom_boot_mem_init(dom)) {
		fail(err, size, "giving the guest %u MiB", g->memory_mb);
		goto out;
	}
	nr = memory_map(dom, e820);
	if (xc_domain_set_memory_map(xch, domid, e820, nr)) {
		fail(err, size, "setting the memory map");
		goto out;
	}
	dom->e820 = e820;
	dom->e820_entries = nr;
	if (xc_dom_build_image(dom) || xc_dom_boot_image(dom)) {
		fail(err, size, "loading the kernel");
		goto out;
	}
	/*
	 * libxenguest names the xenstore ring page, which libxl completes
	 * with an event channel and a xenstored behind it. Without them
	 * the guest is told there is no xenstore (PFN 0), as Linux reads
	 * it, rather than left waiting for one that never answers.
	 */
	if (xc_hvm_param_set(xch, domid, HVM_PARAM_STORE_PFN, 0)) {
		fail(err, size, "clearing HVM_PARAM_STORE_PFN");
		goto out;
	}
	ret = 0;
out:
	xc_dom_release(dom);
	return ret;
}

int pvh_build(xc_interface *xch, const struct pvh_guest *g, uint32_t *domid,
	      char *err, size_t err_size)
{
	struct xen_domctl_createdomain cfg = pvh_config(g->vcpus);

	*domid = 0;
	errno = 0;
	if (xc_domain_create(xch, domid, &cfg))
		return fail(err, err_size, "creating the domain");
	if (xc_domain_max_vcpus(xch, *domid, g->vcpus) ||
	    xc_cpuid_apply_policy(xch, *domid, false, NULL, 0, true, false,
				  false, NULL, NULL) ||
	    xc_domain_setmaxmem(xch, *domid,
				((uint64_t)g->memory_mb << 10) +
				MAXMEM_SLACK_KB)) {
		fail(err, err_size, "configuring d%u", *domid);
		goto destroy;
	}
	errno = 0;
	if (!build_image(xch, g, *domid, err, err_size))
		return 0;
destroy:
	xc_domain_destroy(xch, *domid);
	return -1;
}
