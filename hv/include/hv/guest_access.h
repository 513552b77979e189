/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copying to and from the memory of the guest running on a CPU, by its
 * virtual addresses (hypercall arguments) or guest-physical ones. Every
 * step goes through the guest's own page tables and its p2m, so a guest
 * reaches only what it could reach itself. Returns 0 or -EFAULT.
 */
#ifndef HV_GUEST_ACCESS_H
#define HV_GUEST_ACCESS_H

#include <hv/cpu.h>

int copy_to_guest(struct hv_cpu *cpu, u64 gva, const void *src, size_t len);
int copy_from_guest(struct hv_cpu *cpu, void *dst, u64 gva, size_t len);
int copy_to_guest_phys(struct p2m *p2m, u64 gpa, const void *src, size_t len);

#endif /* HV_GUEST_ACCESS_H */
