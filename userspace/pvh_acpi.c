// SPDX-License-Identifier: GPL-2.0
/*
 * The ACPI tables a PVH guest finds through its start info, as libxl's
 * libxl__dom_load_acpi() gives them: an RSDP, an XSDT, a hardware-reduced
 * FADT with an empty DSDT, and a MADT with a local APIC per vCPU (APIC
 * ID 2 * vCPU ID, as Xen numbers them) and no IOAPIC. Linux needs the
 * MADT: without one it sets up no timer of its own. They sit where
 * libxl puts them, from ACPI_INFO_PHYSICAL_ADDRESS on, and libxenguest
 * populates and loads them as its ACPI modules (the RSDP's address
 * becomes the start info's rsdp_paddr). Layouts are the ACPI 6.0
 * specification's, built byte by byte.
 */
#include <string.h>

#include "pvh_acpi.h"

/* libacpi's ACPI_INFO_PHYSICAL_ADDRESS: the first page of the tables. */
#define ACPI_INFO_ADDR		0xfc000000ull
#define TABLES_ADDR		(ACPI_INFO_ADDR + 0x1000)
#define RSDP_ADDR		(ACPI_INFO_ADDR + 0x2000)
#define LAPIC_ADDR		0xfee00000u

#define HEADER_LEN		36
#define FADT_LEN		276	/* revision 6 */
#define FADT_FLAGS		112
#define FADT_HW_REDUCED		(1u << 20)
#define FADT_BOOT_ARCH		109
#define FADT_NO_VGA		(1u << 2)
#define FADT_NO_CMOS_RTC	(1u << 5)
#define FADT_X_DSDT		140
#define MADT_ENTRIES		44
#define MADT_LAPIC_LEN		8
#define MADT_LAPIC_ENABLED	1u

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

/* The value that makes the LEN bytes at P sum to 0. */
static uint8_t checksum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return -sum;
}

/* A table's header, with its checksum once the table is filled in. */
static void header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, "KXEN  ", 6);		/* OEM ID */
	memcpy(t + 16, "KXENPVH ", 8);		/* OEM table ID */
	put32(t + 24, 1);			/* OEM revision */
	memcpy(t + 28, "KXEN", 4);		/* creator */
	put32(t + 32, 1);
}

static void seal(uint8_t *t)
{
	t[9] = 0;
	t[9] = checksum(t, t[4] | t[5] << 8 | t[6] << 16 | t[7] << 24);
}

int pvh_acpi_build(struct pvh_acpi *a, unsigned int vcpus)
{
	uint32_t dsdt = 0, fadt = 48, madt = fadt + FADT_LEN;
	uint32_t madt_len = MADT_ENTRIES + vcpus * MADT_LAPIC_LEN;
	uint32_t xsdt = (madt + madt_len + 7) & ~7u;
	uint8_t *t = a->tables, *r = a->rsdp;
	unsigned int i;

	if (xsdt + HEADER_LEN + 2 * 8 > sizeof(a->tables))
		return -1;
	memset(a, 0, sizeof(*a));

	/* An empty definition block: no AML, no devices. */
	header(t + dsdt, "DSDT", HEADER_LEN, 2);
	seal(t + dsdt);

	header(t + fadt, "FACP", FADT_LEN, 6);
	put16(t + fadt + FADT_BOOT_ARCH, FADT_NO_VGA | FADT_NO_CMOS_RTC);
	put32(t + fadt + FADT_FLAGS, FADT_HW_REDUCED);
	put64(t + fadt + FADT_X_DSDT, TABLES_ADDR + dsdt);
	seal(t + fadt);

	header(t + madt, "APIC", madt_len, 4);
	put32(t + madt + 36, LAPIC_ADDR);
	put32(t + madt + 40, 0);		/* no dual 8259s */
	for (i = 0; i < vcpus; i++) {
		uint8_t *e = t + madt + MADT_ENTRIES + i * MADT_LAPIC_LEN;

		e[0] = 0;			/* processor local APIC */
		e[1] = MADT_LAPIC_LEN;
		e[2] = i;			/* ACPI processor UID */
		e[3] = 2 * i;			/* APIC ID */
		put32(e + 4, MADT_LAPIC_ENABLED);
	}
	seal(t + madt);

	header(t + xsdt, "XSDT", HEADER_LEN + 2 * 8, 1);
	put64(t + xsdt + HEADER_LEN, TABLES_ADDR + fadt);
	put64(t + xsdt + HEADER_LEN + 8, TABLES_ADDR + madt);
	seal(t + xsdt);

	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "KXEN  ", 6);
	r[15] = 2;				/* revision: XSDT */
	put32(r + 20, 36);			/* length */
	put64(r + 24, TABLES_ADDR + xsdt);
	r[8] = checksum(r, 20);
	r[32] = checksum(r, 36);

	a->rsdp_addr = RSDP_ADDR;
	a->tables_addr = TABLES_ADDR;
	return 0;
}

void pvh_acpi_modules(struct pvh_acpi *a, struct xc_dom_image *dom)
{
	dom->acpi_modules[0] = (struct xc_hvm_firmware_module){
		.data = a->rsdp, .length = sizeof(a->rsdp),
		.guest_addr_out = a->rsdp_addr,
	};
	dom->acpi_modules[1] = (struct xc_hvm_firmware_module){
		.data = a->tables, .length = sizeof(a->tables),
		.guest_addr_out = a->tables_addr,
	};
}
