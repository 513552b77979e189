/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal KTAP (version 1) producer for kxen's C tests: host unit tests
 * and the programs the lab runs in dom0. Each test program prints one
 * flat list of results; runners nest programs as subtests.
 */
#ifndef KXEN_KTAP_H
#define KXEN_KTAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef __printf
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif

static int ktap_number, ktap_failed, ktap_planned;

static inline void ktap_print_header(int plan)
{
	printf("KTAP version 1\n1..%d\n", plan);
	ktap_planned = plan;
}

static inline void ktap_vresult(int pass, const char *directive,
				const char *fmt, va_list ap)
{
	printf("%s %d ", pass ? "ok" : "not ok", ++ktap_number);
	vprintf(fmt, ap);
	printf("%s\n", directive);
	if (!pass)
		ktap_failed++;
	fflush(stdout);
}

/* One result; true when it passed, so callers can stop a dependent chain. */
static inline int __printf(2, 3) ktap_test_result(int pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktap_vresult(pass, "", fmt, ap);
	va_end(ap);
	return pass;
}

static inline void __printf(1, 2) ktap_test_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktap_vresult(1, " # SKIP", fmt, ap);
	va_end(ap);
}

static inline void __printf(1, 2) ktap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Exit status for the program: failure on any failed or missing result. */
static inline int ktap_finished(void)
{
	if (ktap_number != ktap_planned) {
		ktap_diag("planned %d tests, ran %d", ktap_planned,
			  ktap_number);
		return EXIT_FAILURE;
	}
	return ktap_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* KXEN_KTAP_H */
