// SPDX-License-Identifier: GPL-2.0
/*
 * The memory type of an address under the MTRRs (SDM vol. 3, "MTRR
 * Precedences"), and checks of MTRR writes as the CPU makes them.
 *
 * A variable range covers [base & mask, + the lowest set bit of mask).
 * That is exact for the contiguous masks firmware and Linux write; a
 * non-contiguous mask, which the SDM discourages, is read the same way
 * rather than as the scattered blocks the CPU would match.
 */
#include <hv/errno.h>
#include <hv/mtrr.h>
#include <hv/x86_arch.h>

#define MTRR_TYPE		0xffull
#define MTRR_DEF_FE		BIT_ULL(10)
#define MTRR_DEF_E		BIT_ULL(11)
#define MTRR_MASK_VALID		BIT_ULL(11)
#define MTRR_ADDR_LOW		0xfffull
#define FIXED_END		0x100000ull

static const u32 fixed_msrs[MTRR_FIXED_MSRS] = {
	MSR_MTRR_FIX64K_00000, MSR_MTRR_FIX16K_80000, MSR_MTRR_FIX16K_A0000,
	MSR_MTRR_FIX4K_C0000, MSR_MTRR_FIX4K_C0000 + 1,
	MSR_MTRR_FIX4K_C0000 + 2, MSR_MTRR_FIX4K_C0000 + 3,
	MSR_MTRR_FIX4K_C0000 + 4, MSR_MTRR_FIX4K_C0000 + 5,
	MSR_MTRR_FIX4K_C0000 + 6, MSR_MTRR_FIX4K_C0000 + 7,
};

void mtrr_init(struct mtrr_state *s, u64 mtrrcap, unsigned int phys_addr_bits)
{
	unsigned int vcnt = mtrrcap & MTRRCAP_VCNT;

	*s = (struct mtrr_state){
		.nr_var = vcnt < MTRR_MAX_VAR ? vcnt : MTRR_MAX_VAR,
		.has_fixed = mtrrcap & MTRRCAP_FIX,
		.has_wc = mtrrcap & MTRRCAP_WC,
		.addr_mask = phys_addr_bits < 64 ?
			     (1ull << phys_addr_bits) - 1 : ~0ull,
	};
}

u64 mtrr_cap(const struct mtrr_state *s)
{
	return s->nr_var | (s->has_fixed ? MTRRCAP_FIX : 0) |
	       (s->has_wc ? MTRRCAP_WC : 0);
}

int mtrr_read(const struct mtrr_state *s, u32 msr, u64 *val)
{
	unsigned int i;

	if (msr == MSR_MTRRCAP) {
		*val = mtrr_cap(s);
		return 0;
	}
	if (msr == MSR_MTRR_DEF_TYPE) {
		*val = s->def_type;
		return 0;
	}
	i = msr - MSR_MTRR_PHYS_BASE0;
	if (i < 2 * s->nr_var) {
		*val = i % 2 ? s->var_mask[i / 2] : s->var_base[i / 2];
		return 0;
	}
	for (i = 0; s->has_fixed && i < MTRR_FIXED_MSRS; i++) {
		if (msr == fixed_msrs[i]) {
			*val = s->fixed[i];
			return 0;
		}
	}
	return -ENOENT;
}

u32 mtrr_msr(const struct mtrr_state *s, unsigned int n)
{
	if (n == 0)
		return MSR_MTRR_DEF_TYPE;
	n--;
	if (n < 2 * s->nr_var)
		return MSR_MTRR_PHYS_BASE0 + n;
	n -= 2 * s->nr_var;
	if (s->has_fixed && n < MTRR_FIXED_MSRS)
		return fixed_msrs[n];
	return 0;
}

static bool type_valid(const struct mtrr_state *s, u64 type)
{
	return type == MEM_UC || type == MEM_WT || type == MEM_WP ||
	       type == MEM_WB || (type == MEM_WC && s->has_wc);
}

bool pat_valid(u64 pat)
{
	unsigned int i;

	for (i = 0; i < 64; i += 8) {
		u64 type = pat >> i & MTRR_TYPE;

		if (type == 2 || type == 3 || type > 7)
			return false;
	}
	return true;
}

/* Variable range N as [*start, *end); false if it is disabled. */
static bool var_range(const struct mtrr_state *s, unsigned int n, u64 *start,
		      u64 *end)
{
	u64 mask = s->var_mask[n] & s->addr_mask & ~MTRR_ADDR_LOW;

	if (!(s->var_mask[n] & MTRR_MASK_VALID))
		return false;
	*start = s->var_base[n] & mask;
	*end = *start + (mask ? mask & -mask : s->addr_mask + 1);
	return true;
}

static int write_var(struct mtrr_state *s, unsigned int n, u64 val,
		     u64 *start, u64 *end)
{
	bool is_mask = n & 1;
	u64 *reg = is_mask ? &s->var_mask[n / 2] : &s->var_base[n / 2];
	u64 allowed = (s->addr_mask & ~MTRR_ADDR_LOW) |
		      (is_mask ? MTRR_MASK_VALID : MTRR_TYPE);
	u64 old_start = ~0ull, old_end = 0, new_start = ~0ull, new_end = 0;

	if ((val & ~allowed) || (!is_mask && !type_valid(s, val & MTRR_TYPE)))
		return -EINVAL;
	*start = *end = 0;
	if (*reg == val)
		return 0;
	var_range(s, n / 2, &old_start, &old_end);
	*reg = val;
	var_range(s, n / 2, &new_start, &new_end);
	if (old_start < old_end || new_start < new_end) {
		*start = old_start < new_start ? old_start : new_start;
		*end = old_end > new_end ? old_end : new_end;
	}
	return 0;
}

int mtrr_write(struct mtrr_state *s, u32 msr, u64 val, u64 *start, u64 *end)
{
	u64 *reg = NULL;
	unsigned int i, byte;

	if (msr - MSR_MTRR_PHYS_BASE0 < 2 * s->nr_var)
		return write_var(s, msr - MSR_MTRR_PHYS_BASE0, val, start, end);
	*start = 0;
	if (msr == MSR_MTRR_DEF_TYPE) {
		u64 allowed = MTRR_TYPE | MTRR_DEF_E |
			      (s->has_fixed ? MTRR_DEF_FE : 0);

		if ((val & ~allowed) || !type_valid(s, val & MTRR_TYPE))
			return -EINVAL;
		reg = &s->def_type;
		*end = s->addr_mask + 1;
	}
	for (i = 0; !reg && s->has_fixed && i < MTRR_FIXED_MSRS; i++) {
		if (msr != fixed_msrs[i])
			continue;
		for (byte = 0; byte < 8; byte++)
			if (!type_valid(s, val >> (8 * byte) & MTRR_TYPE))
				return -EINVAL;
		reg = &s->fixed[i];
		*end = FIXED_END;
	}
	if (!reg)
		return -ENOENT;
	if (*reg == val)
		*end = 0;
	*reg = val;
	return 0;
}

/*
 * Which fixed range holds ADDR (below 1 MiB): eight of 64K from 0, sixteen
 * of 16K from 512K, sixty-four of 4K from 768K; and where that range ends.
 */
static unsigned int fixed_index(u64 addr, u64 *range_end)
{
	unsigned int index;
	u64 size;

	if (addr < 0x80000) {
		index = addr >> 16;
		size = 0x10000;
	} else if (addr < 0xc0000) {
		index = 8 + ((addr - 0x80000) >> 14);
		size = 0x4000;
	} else {
		index = 24 + ((addr - 0xc0000) >> 12);
		size = 0x1000;
	}
	*range_end = (addr | (size - 1)) + 1;
	return index;
}

static bool fixed_in_force(const struct mtrr_state *s, u64 addr)
{
	return addr < FIXED_END && s->has_fixed && (s->def_type & MTRR_DEF_FE);
}

/* Two variable ranges' types where both cover an address. */
static enum mem_type overlap(enum mem_type a, enum mem_type b)
{
	if (a == b)
		return a;
	if ((a == MEM_WT && b == MEM_WB) || (a == MEM_WB && b == MEM_WT))
		return MEM_WT;
	return MEM_UC;	/* UC wins; the other mixes are undefined: uncached */
}

enum mem_type mtrr_type(const struct mtrr_state *s, u64 addr)
{
	enum mem_type type = MEM_UC;
	bool matched = false;
	unsigned int n;
	u64 start, end;

	if (!(s->def_type & MTRR_DEF_E))
		return MEM_UC;
	if (fixed_in_force(s, addr)) {
		n = fixed_index(addr, &end);
		return s->fixed[n / 8] >> (8 * (n % 8)) & MTRR_TYPE;
	}
	for (n = 0; n < s->nr_var; n++) {
		if (!var_range(s, n, &start, &end) || addr < start ||
		    addr >= end)
			continue;
		type = matched ? overlap(type, s->var_base[n] & MTRR_TYPE) :
				 (enum mem_type)(s->var_base[n] & MTRR_TYPE);
		matched = true;
	}
	return matched ? type : (enum mem_type)(s->def_type & MTRR_TYPE);
}

/* The first address after ADDR, below LIMIT, where a range starts or ends. */
static u64 next_boundary(const struct mtrr_state *s, u64 addr, u64 limit)
{
	u64 next = limit, start, end;
	unsigned int n;

	if (!(s->def_type & MTRR_DEF_E))
		return limit;
	if (fixed_in_force(s, addr)) {
		fixed_index(addr, &end);
		next = end < next ? end : next;
	}
	for (n = 0; n < s->nr_var; n++) {
		if (!var_range(s, n, &start, &end))
			continue;
		if (start > addr && start < next)
			next = start;
		else if (start <= addr && end > addr && end < next)
			next = end;
	}
	return next;
}

u64 mtrr_run_end(const struct mtrr_state *s, u64 addr, u64 limit)
{
	enum mem_type type = mtrr_type(s, addr);
	u64 end = addr;

	do
		end = next_boundary(s, end, limit);
	while (end < limit && mtrr_type(s, end) == type);
	return end;
}

int mtrr_apply(const struct mtrr_state *s, struct p2m *p2m, u64 start,
	       u64 end)
{
	if (end > p2m_reach(p2m))
		end = p2m_reach(p2m);
	while (start < end) {
		u64 run_end = mtrr_run_end(s, start, end);
		int err = p2m_set_mem_type(p2m, start, run_end - start,
					   mtrr_type(s, start));

		if (err)
			return err;
		start = run_end;
	}
	return 0;
}
