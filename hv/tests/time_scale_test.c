// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hv/time_scale.c, the pvclock scale: for counters from
 * 1 MHz to 10 GHz its nanoseconds are within a part per billion (plus a
 * nanosecond) of the exact ones, and converting in two pieces never
 * gives more than converting at once, so a guest's pvclock cannot run
 * ahead of the hypervisor's clock across an update.
 */
#include <hv/time_scale.h>
#include "ktap.h"

static const u64 rates[] = {
	1000000ull, 999999999ull, 1000000000ull, 1000000001ull,
	2000000000ull, 2000000001ull, 2893456000ull, 3600000000ull,
	10000000000ull,
};

/* TICKS at RATE per second, exactly, in ns (rounded down). */
static u64 exact_ns(u64 ticks, u64 rate)
{
	return (u64)((__uint128_t)ticks * 1000000000ull / rate);
}

static bool accurate(const struct time_scale *s, u64 rate)
{
	/* Up to 100 days of ticks, in uneven steps. */
	u64 ticks, end = rate * 86400 * 100, step = rate / 7 + 13;

	for (ticks = 0; ticks < end; ticks += step, step = step * 3 + 1) {
		u64 want = exact_ns(ticks, rate), got = time_scale_apply(s, ticks);
		u64 diff = got > want ? got - want : want - got;

		if (diff > want / 1000000000 + 1) {
			ktap_diag("%llu ticks at %llu/s: %llu ns, not %llu",
				  (unsigned long long)ticks,
				  (unsigned long long)rate,
				  (unsigned long long)got,
				  (unsigned long long)want);
			return false;
		}
	}
	return true;
}

static bool pieces_never_ahead(const struct time_scale *s)
{
	u64 a, b;

	for (a = 1; a < (1ull << 50); a = a * 5 + 3)
		for (b = 7; b < (1ull << 40); b = b * 11 + 1)
			if (time_scale_apply(s, a) + time_scale_apply(s, b) >
			    time_scale_apply(s, a + b))
				return false;
	return true;
}

int main(void)
{
	unsigned int i;

	ktap_print_header(2 * ARRAY_SIZE(rates));
	for (i = 0; i < ARRAY_SIZE(rates); i++) {
		struct time_scale s;

		time_scale_set(&s, rates[i]);
		ktap_test_result(s.mul >= 1u << 31 && accurate(&s, rates[i]),
				 "%llu ticks/s: mul %#x shift %d, accurate",
				 (unsigned long long)rates[i], s.mul, s.shift);
		ktap_test_result(pieces_never_ahead(&s),
				 "%llu ticks/s: two pieces never exceed the whole",
				 (unsigned long long)rates[i]);
	}
	return ktap_finished();
}
