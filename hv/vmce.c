// SPDX-License-Identifier: GPL-2.0
/*
 * A guest's machine-check MSRs, as Xen 4.17's vMCE presents them: the
 * vendor's IA32_MCG_CAP with two banks, MCG_STATUS as the guest last
 * wrote it, each bank's CTL reading all ones and its STATUS, ADDR and
 * MISC reading 0 and taking only 0, and on Intel each bank's CTL2.
 * Banks past the two read 0 and ignore writes, as on Xen. kxen never
 * injects a machine check, so no bank ever holds an error.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/hv.h>
#include <hv/vcpu_ops.h>

#define MSR_MCG_CAP		0x00000179
#define MSR_MCG_STATUS		0x0000017a
#define MSR_MCG_CTL		0x0000017b
#define MSR_MC0_CTL2		0x00000280	/* to MC31_CTL2 */
#define MSR_MC0_CTL		0x00000400	/* CTL, STATUS, ADDR, MISC */
#define MSR_MCG_EXT_CTL		0x000004d0
#define MC_BANK_MSRS		32

#define MCG_CTL_P		BIT_ULL(8)
#define MCG_CMCI_P		BIT_ULL(10)

/* A bank's MSR: CTL reads all ones; the rest hold no error. */
static int bank_msr(u32 msr, bool write, u64 *val)
{
	if (write)
		return (msr & 3) && *val ? -EPERM : 0;
	*val = (msr & 3) ? 0 : ~0ull;
	return 0;
}

int vmce_msr(struct vcpu *v, u32 msr, bool write, u64 *val)
{
	u64 cap = vcpu_ops->guest_mcg_cap;
	u32 bank;

	switch (msr) {
	case MSR_MCG_CAP:
		if (!write)	/* read-only: a write changes nothing, as Xen */
			*val = cap;
		return 0;
	case MSR_MCG_STATUS:
		if (write)
			v->mcg_status = *val;
		else
			*val = v->mcg_status;
		return 0;
	case MSR_MCG_CTL:
		if (!write)
			*val = (cap & MCG_CTL_P) ? ~0ull : 0;
		return 0;
	case MSR_MCG_EXT_CTL:
		return -EPERM;	/* no local machine checks (MCG_LMCE_P) */
	}
	if (msr - MSR_MC0_CTL < 4 * MC_BANK_MSRS) {
		bank = (msr - MSR_MC0_CTL) / 4;
		if (bank < GUEST_MC_BANKS)
			return bank_msr(msr, write, val);
	} else if (msr - MSR_MC0_CTL2 < MC_BANK_MSRS) {
		bank = msr - MSR_MC0_CTL2;
		if (bank < GUEST_MC_BANKS && (cap & MCG_CMCI_P)) {
			if (write)
				v->mci_ctl2[bank] = *val;
			else
				*val = v->mci_ctl2[bank];
			return 0;
		}
	} else {
		return -ENOENT;
	}
	if (!write)
		*val = 0;
	return 0;
}
