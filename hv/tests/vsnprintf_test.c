// SPDX-License-Identifier: GPL-2.0
/*
 * hv_snprintf() must format exactly as C's snprintf() for the conversions
 * it supports, including its return value and truncation.
 */
#pragma GCC diagnostic ignored "-Wformat-truncation"	/* on purpose here */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <hv/printk.h>
#include "ktap.h"

static int mismatches;

#define SAME_AS_LIBC(size, ...) do {					\
	char want[128], got[128];					\
	int want_len, got_len;						\
									\
	memset(want, 'W', sizeof(want));				\
	memset(got, 'W', sizeof(got));					\
	want_len = snprintf(want, size, __VA_ARGS__);			\
	got_len = hv_snprintf(got, size, __VA_ARGS__);			\
	if (want_len != got_len || memcmp(want, got, sizeof(want))) {	\
		ktap_diag("%s: libc %d '%.*s', hv %d '%.*s'", #__VA_ARGS__, \
			  want_len, (int)(size), want, got_len,		\
			  (int)(size), got);				\
		mismatches++;						\
	}								\
} while (0)

static void test_integers(void)
{
	mismatches = 0;
	SAME_AS_LIBC(128, "%d %i %u", 0, -1, 4000000000u);
	SAME_AS_LIBC(128, "%d %d", INT_MIN, INT_MAX);
	SAME_AS_LIBC(128, "%ld %lu", LONG_MIN, ULONG_MAX);
	SAME_AS_LIBC(128, "%lld %llu", LLONG_MIN, ULLONG_MAX);
	SAME_AS_LIBC(128, "%hd %hu %hhd %hhu", -2, 65535, -3, 255);
	SAME_AS_LIBC(128, "%zu %zx", (size_t)123456789, (size_t)0xabcdef);
	ktap_test_result(!mismatches, "signed and unsigned decimals, all sizes");
}

static void test_bases(void)
{
	mismatches = 0;
	SAME_AS_LIBC(128, "%x %X %o", 0xdeadbeefu, 0xdeadbeefu, 0755u);
	SAME_AS_LIBC(128, "%lx %llX", 0xffffffffffffffffUL, 0x1ULL);
	SAME_AS_LIBC(128, "%p %p", (void *)0xffff888000001000ul, (void *)16);
	SAME_AS_LIBC(128, "%#x %#X %#x %#o %#o %#llx", 0x10u, 0xabu, 0u, 8u, 0u,
		     0xfee00000ULL);
	SAME_AS_LIBC(128, "[%#08x] [%#-8x] [%#8x]", 0x10u, 0x10u, 0x10u);
	ktap_test_result(!mismatches, "hexadecimal, octal and pointers");
}

static void test_widths(void)
{
	mismatches = 0;
	SAME_AS_LIBC(128, "[%5d] [%-5d] [%05d]", 42, 42, 42);
	SAME_AS_LIBC(128, "[%5d] [%-5d] [%05d]", -42, -42, -42);
	SAME_AS_LIBC(128, "[%016llx] [%08x] [%2x]", 0xabcULL, 0u, 0x12345u);
	SAME_AS_LIBC(128, "[%8s] [%-8s] [%2s] [%c] [%3c] [%-3c]", "ab", "ab",
		     "abcdef", 'x', 'y', 'z');
	ktap_test_result(!mismatches, "widths, zero padding, left justification");
}

static void test_strings(void)
{
	mismatches = 0;
	SAME_AS_LIBC(128, "%s|%s|%%|100%%", "", "kxen");
	SAME_AS_LIBC(128, "plain text without conversions");
	ktap_test_result(!mismatches, "strings and percent signs");
}

static void test_truncation(void)
{
	mismatches = 0;
	SAME_AS_LIBC(1, "%s", "hello");
	SAME_AS_LIBC(4, "%d", 123456);
	SAME_AS_LIBC(6, "%s", "hello");
	SAME_AS_LIBC(7, "%s=%08x", "reg", 0xbeefu);
	ktap_test_result(!mismatches, "truncation keeps the terminator, returns full length");
}

/* A string the compiler cannot see, for inputs it would rightly refuse. */
static const char *opaque(const char *s)
{
	asm("" : "+r"(s));
	return s;
}

static void test_odd_input(void)
{
	char buf[16] = "untouched";
	char nul[16];

	ktap_test_result(hv_snprintf(buf, 0, "%d", 12345) == 5 &&
			 !strcmp(buf, "untouched"),
			 "size 0 writes nothing and returns the length");
	hv_snprintf(nul, sizeof(nul), "%s", opaque(NULL));
	ktap_test_result(!strcmp(nul, "(null)"), "a NULL string prints (null)");
	hv_snprintf(buf, sizeof(buf), opaque("a%qb%"));
	ktap_test_result(!strcmp(buf, "a%qb%"),
			 "unknown and trailing conversions print as written");
}

int main(void)
{
	ktap_print_header(8);
	test_integers();
	test_bases();
	test_widths();
	test_strings();
	test_truncation();
	test_odd_input();
	return ktap_finished();
}
