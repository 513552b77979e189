/* SPDX-License-Identifier: GPL-2.0 */
/* The C library subset the hypervisor has (hv/lib.c). */
#ifndef HV_STRING_H
#define HV_STRING_H

#include <kxen/types.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif /* HV_STRING_H */
