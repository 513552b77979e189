/* SPDX-License-Identifier: GPL-2.0 */
/* Ticks to nanoseconds as Xen's pvclock scales them (hv/time_scale.c). */
#ifndef HV_TIME_SCALE_H
#define HV_TIME_SCALE_H

#include <kxen/types.h>

/* struct vcpu_time_info's tsc_to_system_mul and tsc_shift. */
struct time_scale {
	u32 mul;
	s8 shift;
};

/* The scale for a counter of TICKS_PER_SEC (at least 1). */
void time_scale_set(struct time_scale *scale, u64 ticks_per_sec);
/*
 * TICKS as nanoseconds. With a positive shift (a counter under 1 GHz)
 * the ticks must fit 64 bits after it: centuries of ticks.
 */
u64 time_scale_apply(const struct time_scale *scale, u64 ticks);

#endif /* HV_TIME_SCALE_H */
