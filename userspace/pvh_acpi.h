/* SPDX-License-Identifier: GPL-2.0 */
/* A PVH guest's ACPI tables, as libxl gives them (userspace/pvh_acpi.c). */
#ifndef KXEN_PVH_ACPI_H
#define KXEN_PVH_ACPI_H

#include <stdint.h>
#include <xenctrl.h>		/* before xenguest.h, which needs it */
#include <xenguest.h>

struct pvh_acpi {
	uint8_t rsdp[64];
	uint8_t tables[4096];		/* DSDT, FADT, MADT, XSDT */
	uint64_t rsdp_addr;		/* guest-physical */
	uint64_t tables_addr;
};

/* The tables of a guest with VCPUS vCPUs into *A: 0, or -1 if too many. */
int pvh_acpi_build(struct pvh_acpi *a, unsigned int vcpus);
/* *A as DOM's ACPI modules, which xc_dom_build_image() loads; A stays. */
void pvh_acpi_modules(struct pvh_acpi *a, struct xc_dom_image *dom);

#endif /* KXEN_PVH_ACPI_H */
