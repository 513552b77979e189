/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest's access to guest-physical memory that is not RAM: decoded
 * (dm/decode.c) and carried out on the emulated device there
 * (dm/mmio.c). For PVH that is the local APIC's xAPIC page.
 */
#ifndef DM_MMIO_H
#define DM_MMIO_H

#include <dm/decode.h>
#include <hv/cpu.h>

/* Where the faulting instruction is, as the vendor's state says. */
struct insn_site {
	u64 rip;
	u64 cs_base;
	enum insn_mode mode;
};

/*
 * The guest on CPU accessed GPA with the instruction at SITE: the access
 * is done and *NEXT_RIP is past the instruction (0), or nothing changed:
 * -ENOENT when no device is at GPA, -EINVAL when the instruction is not
 * one kxen decodes, -EFAULT when it cannot be fetched. cpu->regs holds
 * every GPR, RSP too.
 */
int mmio_emulate(struct hv_cpu *cpu, u64 gpa, const struct insn_site *site,
		 u64 *next_rip);

/*
 * A guest's nested page fault at GPA: mmio_emulate(), true when done.
 * Otherwise the guest crashes with the reason (no device, or an
 * instruction kxen does not emulate).
 */
bool guest_mmio(struct hv_cpu *cpu, u64 gpa, const struct insn_site *site,
		u64 *next_rip);

#endif /* DM_MMIO_H */
