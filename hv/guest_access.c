// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory access: a software walk of the guest's page tables (4- or
 * 5-level long mode, as its CR4 says), then its p2m, then the host's
 * direct map. Only RAM is ever touched; MMIO and holes fail with -EFAULT.
 */
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/string.h>
#include <hv/x86.h>

/* The host address of guest-physical GPA, if it is RAM. */
static void *gpa_to_host(const struct p2m *p2m, u64 gpa)
{
	unsigned int level;
	u64 hpa;

	if (p2m_lookup(p2m, gpa, &hpa, &level) != P2M_RAM)
		return NULL;
	return hv_phys_to_virt(hpa);
}

/*
 * Guest-physical address of GVA, or ~0 when the guest has no such page.
 * Paging off (a PVH guest's start) or long-mode paging; 32-bit paging
 * is not walked (~0). With paging off a GVA is the GPA, not cut to 32
 * bits: an address registered in 64-bit code (a runstate area, used
 * after an INIT took the vCPU back to real mode) must miss there, as on
 * Xen, not land on whatever RAM its low half names.
 */
static u64 gva_to_gpa(const struct hv_cpu *cpu, u64 gva, bool write)
{
	unsigned int level = (cpu->guest_cr4 & CR4_LA57) ? 5 : 4;
	u64 table = cpu->guest_cr3 & PTE_ADDR;

	if (!(cpu->guest_cr0 & CR0_PG))
		return gva;
	if (!(cpu->guest_efer & EFER_LMA))
		return ~0ull;

	for (; level >= 1; level--) {
		unsigned int shift = PAGE_SHIFT + 9 * (level - 1);
		u64 *entry = gpa_to_host(cpu->guest_p2m,
					 table + ((gva >> shift) & 511) * 8);
		u64 pte;

		if (!entry)
			return ~0ull;
		pte = __atomic_load_n(entry, __ATOMIC_RELAXED);
		if (!(pte & PTE_P) || (write && !(pte & PTE_RW)))
			return ~0ull;
		if (level == 1 || ((level == 2 || level == 3) && (pte & PTE_PS))) {
			u64 size = 1ull << shift;

			return ((pte & PTE_ADDR) & ~(size - 1)) | (gva & (size - 1));
		}
		table = pte & PTE_ADDR;
	}
	return ~0ull;
}

/* Copies LEN bytes between HOST and the guest, page by page. */
static int copy_guest(struct hv_cpu *cpu, u64 gva, void *host, size_t len,
		      bool to_guest)
{
	while (len) {
		size_t part = PAGE_SIZE - (gva & (PAGE_SIZE - 1));
		u64 gpa = gva_to_gpa(cpu, gva, to_guest);
		u8 *mem;

		if (part > len)
			part = len;
		mem = gpa == ~0ull ? NULL : gpa_to_host(cpu->guest_p2m, gpa);
		if (!mem)
			return -EFAULT;
		if (to_guest)
			memcpy(mem, host, part);
		else
			memcpy(host, mem, part);
		gva += part;
		host = (u8 *)host + part;
		len -= part;
	}
	return 0;
}

int copy_to_guest(struct hv_cpu *cpu, u64 gva, const void *src, size_t len)
{
	return copy_guest(cpu, gva, (void *)src, len, true);
}

int copy_from_guest(struct hv_cpu *cpu, void *dst, u64 gva, size_t len)
{
	return copy_guest(cpu, gva, dst, len, false);
}

int copy_to_guest_phys(struct p2m *p2m, u64 gpa, const void *src, size_t len)
{
	while (len) {
		size_t part = PAGE_SIZE - (gpa & (PAGE_SIZE - 1));
		u8 *mem = gpa_to_host(p2m, gpa);

		if (part > len)
			part = len;
		if (!mem)
			return -EFAULT;
		memcpy(mem, src, part);
		gpa += part;
		src = (const u8 *)src + part;
		len -= part;
	}
	return 0;
}
