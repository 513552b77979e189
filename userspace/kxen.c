// SPDX-License-Identifier: GPL-2.0
/*
 * kxen: the small command-line companion of kxen.ko.
 *
 *   kxen status    whether kxen is loaded, what the CPUs offer, and
 *                  whether the hypervisor runs (and its pool)
 *   kxen boot      runs a PVH kernel in a new domain, showing its console
 *                  (boot.c), the way a developer runs a test kernel
 *
 * The Xen toolstack (xl) remains the way to manage domains.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <kxen/types.h>

#include "kxen.h"

#define SYSFS_CPU "/sys/kernel/kxen/cpu/"
#define SYSFS_HV "/sys/kernel/kxen/hv/"
#define SYS_HYPERVISOR "/sys/hypervisor/"

static const char usage_text[] =
	"usage: kxen status\n"
	"       kxen boot [--memory MB] [--vcpus N] [--ramdisk FILE]\n"
	"                 [--cmdline STR] [--timeout SECONDS] [--verbose] KERNEL\n";

static const char *const cpu_fields[] = {
	"vendor", "features", "phys_addr_bits", "virt_addr_bits",
	"paging_levels", "verdict",
};

static int print_file(const char *label, const char *path)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	printf("%-16s %s\n", label, line);
	return 0;
}

/* The first line of PATH, without its newline; "" if unreadable. */
static void read_line(const char *path, char *line, size_t size)
{
	FILE *f = fopen(path, "r");

	line[0] = '\0';
	if (f) {
		if (!fgets(line, size, f))
			line[0] = '\0';
		fclose(f);
	}
	line[strcspn(line, "\n")] = '\0';
}

static void hypervisor_status(void)
{
	char active[8], major[16], minor[16], extra[64], line[128];
	unsigned long long pages = 0, free_pages = 0, donated = 0, max = 0;
	FILE *f;

	read_line(SYSFS_HV "active", active, sizeof(active));
	if (strcmp(active, "1")) {
		printf("%-16s %s\n", "hypervisor", "not running (loaded with probe_only=1)");
		return;
	}
	read_line(SYS_HYPERVISOR "version/major", major, sizeof(major));
	read_line(SYS_HYPERVISOR "version/minor", minor, sizeof(minor));
	read_line(SYS_HYPERVISOR "version/extra", extra, sizeof(extra));
	printf("%-16s active: Xen %s.%s%s, this Linux is dom0\n", "hypervisor",
	       major, minor, extra);
	f = fopen(SYSFS_HV "pool", "r");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "pages %llu", &pages) != 1 &&
			    sscanf(line, "free %llu", &free_pages) != 1 &&
			    sscanf(line, "donated %llu", &donated) != 1 &&
			    sscanf(line, "max %llu", &max) != 1)
				break;
		fclose(f);
		printf("%-16s %llu KiB, %llu KiB free, %llu chunks donated, grows to %llu KiB\n",
		       "pool", pages * 4, free_pages * 4, donated, max * 4);
	}
}

static int status(void)
{
	char path[128];
	size_t i;

	if (access("/sys/module/kxen", F_OK)) {
		printf("kxen: not loaded (insmod kxen.ko)\n");
		return 1;
	}
	printf("kxen: loaded\n");
	for (i = 0; i < ARRAY_SIZE(cpu_fields); i++) {
		snprintf(path, sizeof(path), SYSFS_CPU "%s", cpu_fields[i]);
		if (print_file(cpu_fields[i], path)) {
			fprintf(stderr, "kxen: cannot read %s\n", path);
			return 1;
		}
	}
	hypervisor_status();
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "status"))
		return status();
	if (argc >= 2 && !strcmp(argv[1], "boot"))
		return boot_main(argc - 1, argv + 1);
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(usage_text, stdout);
		return 0;
	}
	fputs(usage_text, stderr);
	return 2;
}
