/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Formatted output for the hypervisor: a vsnprintf of its own, and
 * hv_printk() into the log ring dom0 reads.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, with the flags '-', '0' and
 * '#', a field width, and the length modifiers h, hh, l, ll and z. No floating
 * point: the hypervisor never touches the FPU.
 */
#ifndef HV_PRINTK_H
#define HV_PRINTK_H

#include <stdarg.h>
#include <kxen/console.h>
#include <kxen/types.h>

/* As C's vsnprintf: returns the length the whole output would have. */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__printf(3, 4) int hv_snprintf(char *buf, size_t size, const char *fmt, ...);

/*
 * Where hv_printk() writes, and a function that also gets every line (a
 * serial port), or NULL. Before this, output is dropped.
 */
void hv_printk_init(struct kxen_console *con,
		    void (*echo_to)(const char *s, size_t len));
/* Appends to the console; a line longer than 255 bytes is cut. */
__printf(1, 2) int hv_printk(const char *fmt, ...);

#endif /* HV_PRINTK_H */
