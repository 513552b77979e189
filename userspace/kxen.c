// SPDX-License-Identifier: GPL-2.0
/*
 * kxen: the small command-line companion of kxen.ko.
 *
 *   kxen status    whether kxen is loaded, and what the CPUs offer
 *
 * It only reads what the module publishes in /sys/kernel/kxen; the Xen
 * toolstack (xl) remains the way to manage domains.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SYSFS_CPU "/sys/kernel/kxen/cpu/"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char usage_text[] = "usage: kxen status\n";

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
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "status"))
		return status();
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(usage_text, stdout);
		return 0;
	}
	fputs(usage_text, stderr);
	return 2;
}
