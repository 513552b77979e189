// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated memory-mapped I/O, as Xen's hvm_emulate for the devices it
 * keeps in the hypervisor: the instruction is fetched through the
 * guest's page tables, decoded, and its access handed to the device
 * whose range holds the address.
 */
#include <dm/mmio.h>
#include <dm/vlapic.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/vcpu_run.h>
#include <hv/x86.h>

/*
 * Up to INSN_MAX_LEN bytes at the instruction: fewer when the page after
 * the instruction's own is not there (it may end before). 0 or -EFAULT.
 */
static int fetch_insn(struct hv_cpu *cpu, const struct insn_site *site,
		      u8 *buf, unsigned int *len)
{
	u64 linear = site->cs_base + site->rip;
	unsigned int to_page_end;

	if (site->mode != INSN_MODE_64)
		linear &= 0xffffffff;
	*len = INSN_MAX_LEN;
	if (!copy_from_guest(cpu, buf, linear, *len))
		return 0;
	to_page_end = PAGE_SIZE - (linear & (PAGE_SIZE - 1));
	if (to_page_end >= INSN_MAX_LEN)
		return -EFAULT;
	*len = to_page_end;
	return copy_from_guest(cpu, buf, linear, *len) ? -EFAULT : 0;
}

/* SIZE bytes at GPA on the device there (device_at() found one). */
static void device_access(struct vcpu *v, u64 gpa, unsigned int size,
			  bool write, u64 *val)
{
	vcpu_lapic_mmio(v, gpa, size, write, val);
}

static bool device_at(const struct vcpu *v, u64 gpa)
{
	return vlapic_mmio_claims(v, gpa);
}

int mmio_emulate(struct hv_cpu *cpu, u64 gpa, const struct insn_site *site,
		 u64 *next_rip)
{
	u8 bytes[INSN_MAX_LEN];
	struct mmio_insn insn;
	unsigned int len;
	u64 *reg, val, store;
	int ret;

	if (!device_at(cpu->vcpu, gpa))
		return -ENOENT;
	ret = fetch_insn(cpu, site, bytes, &len);
	if (ret)
		return ret;
	if (insn_decode(bytes, len, site->mode, &insn))
		return -EINVAL;
	reg = &cpu->regs[insn.reg];
	store = insn_store_value(&insn, *reg);
	if (insn.op != MMIO_STORE)	/* XCHG reads first, then writes */
		device_access(cpu->vcpu, gpa, insn.size, false, &val);
	if (insn.op != MMIO_LOAD)
		device_access(cpu->vcpu, gpa, insn.size, true, &store);
	if (insn.op != MMIO_STORE)
		*reg = insn_load_result(&insn, *reg, val);
	*next_rip = site->rip + insn.len;
	if (site->mode != INSN_MODE_64)
		*next_rip &= 0xffffffff;
	return 0;
}

bool guest_mmio(struct hv_cpu *cpu, u64 gpa, const struct insn_site *site,
		u64 *next_rip)
{
	int ret = mmio_emulate(cpu, gpa, site, next_rip);

	if (ret == -ENOENT)
		vcpu_crash(cpu, "access to a guest-physical address with no RAM (address, rip)",
			   gpa, site->rip);
	else if (ret)
		vcpu_crash(cpu, "a device access by an instruction kxen does not emulate (address, rip)",
			   gpa, site->rip);
	return !ret;
}
