// SPDX-License-Identifier: GPL-2.0
/*
 * The four functions GCC may call even in freestanding code (for struct
 * copies and zeroing). String instructions, not C loops: GCC could turn a
 * loop back into a call to the very function it implements.
 */
#include <kxen/types.h>

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	void *d;

	if (dst <= src || (const u8 *)src + n <= (u8 *)dst)
		return memcpy(dst, src, n);
	/* Overlap with dst above src: copy backwards, last byte first. */
	d = (u8 *)dst + n - 1;
	src = (const u8 *)src + n - 1;
	asm volatile("std; rep movsb; cld"
		     : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}
