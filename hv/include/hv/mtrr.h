/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MTRRs (SDM vol. 3, "Memory Type Range Registers"), kept for EPT.
 * Under EPT the CPU no longer applies the MTRRs to dom0's accesses: it
 * combines dom0's PAT type with the type in the EPT leaf instead, by
 * the same rules it uses for PAT and MTRRs on bare metal. So kxen puts
 * the MTRRs' type for every address into dom0's EPT at load, and again
 * for the addresses each later write of dom0 to an MTRR changes.
 * (NPT leaves the host's MTRRs in force; SVM needs none of this.)
 */
#ifndef HV_MTRR_H
#define HV_MTRR_H

#include <hv/p2m.h>

#define MTRR_FIXED_MSRS	11
/* IA32_MTRRCAP: the variable ranges, and the fixed ones and WC if there. */
#define MTRRCAP_VCNT		0xffull
#define MTRRCAP_FIX		BIT_ULL(8)
#define MTRRCAP_WC		BIT_ULL(10)
/* PHYS_BASE0 .. PHYS_MASK39 fill the MSRs up to the fixed-range ones. */
#define MTRR_MAX_VAR	40

struct mtrr_state {
	u64 def_type;			/* IA32_MTRR_DEF_TYPE */
	u64 fixed[MTRR_FIXED_MSRS];	/* one byte per range, low first */
	u64 var_base[MTRR_MAX_VAR];
	u64 var_mask[MTRR_MAX_VAR];
	unsigned int nr_var;
	bool has_fixed;
	bool has_wc;
	u64 addr_mask;			/* the bits MAXPHYADDR allows */
};

/* Empty MTRRs (all disabled) of a CPU with IA32_MTRRCAP MTRRCAP. */
void mtrr_init(struct mtrr_state *s, u64 mtrrcap, unsigned int phys_addr_bits);

/* The IA32_MTRRCAP of S. */
u64 mtrr_cap(const struct mtrr_state *s);

/*
 * RDMSR of MSR (IA32_MTRRCAP or one of S's MTRRs) into *VAL: 0, or
 * -ENOENT when it is none of those.
 */
int mtrr_read(const struct mtrr_state *s, u32 msr, u64 *val);

/* The Nth of S's MSRs, counting from 0; 0 past the last. */
u32 mtrr_msr(const struct mtrr_state *s, unsigned int n);

/*
 * Records the write of VAL to MSR. Returns -ENOENT if MSR is none of
 * S's MTRRs, -EINVAL if the CPU would refuse VAL with #GP, else 0 and
 * [*start, *end) the addresses whose memory type may have changed
 * (empty when VAL is the value already there).
 */
int mtrr_write(struct mtrr_state *s, u32 msr, u64 val, u64 *start, u64 *end);

/* Every entry of PAT is a type the PAT takes (all but 2, 3 and > 7). */
bool pat_valid(u64 pat);

/* The type S gives ADDR. */
enum mem_type mtrr_type(const struct mtrr_state *s, u64 addr);

/* The end of the run of addresses of ADDR's type from ADDR, at most LIMIT. */
u64 mtrr_run_end(const struct mtrr_state *s, u64 addr, u64 limit);

/*
 * Gives the mapped addresses of P2M in [start, end) the types S gives
 * them, splitting large leaves only where a type changes. Returns 0, or
 * -ENOMEM when splitting ran out of table pages (types then partly set).
 */
int mtrr_apply(const struct mtrr_state *s, struct p2m *p2m, u64 start,
	       u64 end);

#endif /* HV_MTRR_H */
