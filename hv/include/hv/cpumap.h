/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sets of CPU ids, as the hypervisor keeps them (one u64: KXEN_MAX_CPUS
 * is 64) and as Xen's tools pass them (struct xenctl_bitmap: a guest
 * byte array and a bit count).
 */
#ifndef HV_CPUMAP_H
#define HV_CPUMAP_H

#include <kxen/hv_abi.h>

typedef u64 cpumap_t;

_Static_assert(KXEN_MAX_CPUS <= 64, "a cpumap_t holds every CPU id");

struct hv_cpu;
struct xenctl_bitmap;

/* Every CPU id below nr_cpu_ids, and those of the CPUs online at load. */
cpumap_t cpumap_all(void);
cpumap_t cpumap_online(void);
/* How many CPUs MAP holds (the compiler's builtin would need libgcc). */
unsigned int cpumap_weight(cpumap_t map);

/*
 * MAP into the caller's bitmap as Xen's bitmap_to_xenctl_bitmap() does:
 * as many bytes as its nr_bits needs, zeros past the CPU ids. A bitmap
 * over a page (32768 bits) is -XEN_EINVAL, so that a huge count cannot
 * keep a CPU in the hypervisor for long.
 */
long cpumap_to_guest(struct hv_cpu *cpu, const struct xenctl_bitmap *bitmap,
		     cpumap_t map);

/*
 * The caller's bitmap as Xen's xenctl_bitmap_to_bitmap() reads it: bits
 * past its nr_bits or past the CPU ids are not set. 0 or -XEN_EFAULT.
 */
long cpumap_from_guest(struct hv_cpu *cpu, cpumap_t *map,
		       const struct xenctl_bitmap *bitmap);

#endif /* HV_CPUMAP_H */
