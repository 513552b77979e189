/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-width types for code shared by the Linux module, the freestanding
 * hypervisor and the host unit tests. Only the kernel build has
 * <linux/types.h>; the other two get the compiler's own <stdint.h>, which
 * a freestanding build still provides, and the kernel's BIT and __printf
 * macros.
 */
#ifndef KXEN_TYPES_H
#define KXEN_TYPES_H

#ifdef __KERNEL__
#include <linux/bits.h>
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define BIT(n)		(1UL << (n))
#define BIT_ULL(n)	(1ULL << (n))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

#endif /* KXEN_TYPES_H */
