/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading numbers from sysfs and procfs files in C selftests.
 */
#ifndef KXEN_FILE_SCAN_H
#define KXEN_FILE_SCAN_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* fscanf(FMT) on the file at PATH: the conversions made, or -1. */
static inline int file_scan(const char *path, const char *fmt, ...)
{
	FILE *f = fopen(path, "r");
	va_list ap;
	int n;

	if (!f)
		return -1;
	va_start(ap, fmt);
	n = vfscanf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	return n;
}

/* The number after FIELD (as "MemTotal:") in the file at PATH, or -1. */
static inline long long file_field(const char *path, const char *field)
{
	size_t len = strlen(field);
	FILE *f = fopen(path, "r");
	long long n = -1;
	char line[256];

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) &&
		    sscanf(line + len, "%lld", &n) == 1)
			break;
	if (f)
		fclose(f);
	return n;
}

/* The last CPU id Linux could ever use ("possible" reads "0" or "0-N"). */
static inline unsigned int last_possible_cpu(void)
{
	unsigned int first = 0, last = 0;

	return file_scan("/sys/devices/system/cpu/possible", "%u-%u",
			 &first, &last) == 2 ? last : first;
}

#endif /* KXEN_FILE_SCAN_H */
