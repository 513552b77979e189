// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime of the PVH test guests (guest.h). It finds Xen by CPUID
 * and installs the hypercall page through Xen's MSR, as a real guest
 * does, before guest_main() runs.
 */
#include "guest.h"

#define HYPERCALL_STUB_SIZE	32

static uint8_t hypercall_page[4096] __attribute__((aligned(4096)));
static const char *cmdline = "";
static const struct hvm_start_info *start_info;
static unsigned int ktap_next = 1;
static bool ktap_failed;

long hypercall(unsigned int nr, unsigned long a1, unsigned long a2,
	       unsigned long a3, unsigned long a4, unsigned long a5)
{
	long ret = (long)(hypercall_page + nr * HYPERCALL_STUB_SIZE);

	/* Xen may change the argument registers: they are outputs too. */
	asm volatile("call *%%eax"
		     : "+a"(ret), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4),
		       "+D"(a5)
		     : : "memory");
	return ret;
}

void shutdown(unsigned int reason)
{
	struct sched_shutdown ss = { .reason = reason };

	hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
		   (unsigned long)&ss);
	for (;;)
		asm volatile("ud2");	/* a triple fault if Xen returns */
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	asm volatile("cpuid"
		     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(0));
}

/* Xen's leaves start at 0x40000000 with "XenVMMXenVMM". */
static bool hypercall_page_init(void)
{
	uint32_t r[4];

	cpuid(0x40000000, r);
	if (r[1] != 0x566e6558 || r[2] != 0x65584d4d || r[3] != 0x4d4d566e)
		return false;
	cpuid(0x40000002, r);
	asm volatile("wrmsr"
		     : : "c"(r[1]), "a"((uint32_t)(uintptr_t)hypercall_page),
		       "d"(0) : "memory");
	return true;
}

void __attribute__((noreturn)) guest_start(const struct hvm_start_info *si)
{
	if (!hypercall_page_init())
		shutdown(SHUTDOWN_crash);	/* faults: no hypercall page */
	start_info = si;
	if (si->magic == XEN_HVM_START_MAGIC_VALUE && si->cmdline_paddr)
		cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
	guest_main(si);
	shutdown(SHUTDOWN_poweroff);
}

uintptr_t low_ram_end(void)
{
	const struct hvm_memmap_table_entry *map =
		(const void *)(uintptr_t)start_info->memmap_paddr;
	uint32_t i;

	for (i = 0; i < start_info->memmap_entries; i++)
		if (map[i].addr == 0 && map[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
			return map[i].size;
	return 0;
}

void *memset(void *s, int c, size_t n)
{
	uint8_t *p = s;

	while (n--)
		*p++ = c;
	return s;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	return 0;
}

/* Output is gathered into lines, so each reaches the log whole. */
static char line[256];
static size_t line_len;

static void console_flush(void)
{
	hypercall(__HYPERVISOR_console_io, CONSOLEIO_write, line_len,
		  (unsigned long)line, 0, 0);
	line_len = 0;
}

static void put_char(char c)
{
	line[line_len++] = c;
	if (c == '\n' || line_len == sizeof(line))
		console_flush();
}

static void put_string(const char *s)
{
	while (*s)
		put_char(*s++);
}

static void put_number(unsigned long long n, unsigned int base)
{
	char digits[24];
	int i = 0;

	/* Base 10 only for 32-bit values: no 64-bit division here. */
	do {
		unsigned int d = base == 16 ? n & 15 : (uint32_t)n % 10;

		digits[i++] = "0123456789abcdef"[d];
		n = base == 16 ? n >> 4 : (uint32_t)n / 10;
	} while (n);
	while (i)
		put_char(digits[--i]);
}

static void vprint(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int d;

		if (*fmt != '%') {
			put_char(*fmt);
			continue;
		}
		switch (*++fmt) {
		case 's':
			put_string(va_arg(ap, const char *));
			break;
		case 'c':
			put_char(va_arg(ap, int));
			break;
		case 'd':
			d = va_arg(ap, int);
			if (d < 0)
				put_char('-');
			put_number(d < 0 ? -(unsigned int)d : (unsigned int)d,
				   10);
			break;
		case 'u':
			put_number(va_arg(ap, unsigned int), 10);
			break;
		case 'x':
			put_number(va_arg(ap, unsigned int), 16);
			break;
		case 'l':			/* %llx */
			fmt += 2;
			put_number(va_arg(ap, unsigned long long), 16);
			break;
		default:
			put_char('%');
			if (*fmt)
				put_char(*fmt);
			else
				fmt--;
		}
	}
}

void printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

/* The word of the command line starting at S ends at a space or NUL. */
static bool word_is(const char *s, const char *word, size_t n)
{
	return !strncmp(s, word, n) && (s[n] == ' ' || s[n] == '\0' ||
					 word[n - 1] == '=');
}

static const char *cmdline_find(const char *word)
{
	size_t n = strlen(word);
	const char *s = cmdline;

	while (*s) {
		while (*s == ' ')
			s++;
		if (*s && word_is(s, word, n))
			return s + n;
		while (*s && *s != ' ')
			s++;
	}
	return NULL;
}

const char *cmdline_option(const char *name)
{
	char key[32];
	size_t n = strlen(name);

	if (n + 2 > sizeof(key))
		return NULL;
	for (size_t i = 0; i < n; i++)
		key[i] = name[i];
	key[n] = '=';
	key[n + 1] = '\0';
	return cmdline_find(key);
}

bool cmdline_has(const char *word)
{
	return cmdline_find(word) != NULL;
}

unsigned long parse_number(const char *s, unsigned long default_value)
{
	unsigned long n = 0, base = 10;

	if (!s)
		return default_value;
	if (s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
	}
	for (;; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else
			return n;
		n = n * base + d;
	}
}

void ktap_plan(unsigned int tests)
{
	printf("KTAP version 1\n1..%u\n", tests);
}

void ktap_result(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (!ok)
		ktap_failed = true;
	printf("%s %u ", ok ? "ok" : "not ok", ktap_next++);
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	put_char('\n');
}

bool ktap_all_ok(void)
{
	return !ktap_failed;
}
