// SPDX-License-Identifier: GPL-2.0
/*
 * A counter's ticks as nanoseconds, in the form Xen's pvclock gives
 * guests (struct vcpu_time_info): shift the ticks by SHIFT, multiply by
 * MUL and keep the top 32 bits of the 96-bit product. The hypervisor
 * converts with the same scale it hands guests, so its own system time
 * and a guest's pvclock agree to the nanosecond.
 */
#include <hv/time_scale.h>

#define NSEC_PER_SEC	1000000000ull

void time_scale_set(struct time_scale *scale, u64 ticks_per_sec)
{
	int shift = 0;

	/* Bring the rate into (1e9, 2e9] so that MUL is a fraction >= 1/2. */
	while (ticks_per_sec > 2 * NSEC_PER_SEC) {
		ticks_per_sec >>= 1;
		shift--;
	}
	while (ticks_per_sec <= NSEC_PER_SEC) {
		ticks_per_sec <<= 1;
		shift++;
	}
	scale->mul = (NSEC_PER_SEC << 32) / ticks_per_sec;
	scale->shift = shift;
}

u64 time_scale_apply(const struct time_scale *scale, u64 ticks)
{
	if (scale->shift < 0)
		ticks >>= -scale->shift;
	else
		ticks <<= scale->shift;
	return (u64)(((__uint128_t)ticks * scale->mul) >> 32);
}
