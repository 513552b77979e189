// SPDX-License-Identifier: GPL-2.0
/*
 * A guest's HVM context through Debian's libxenctrl, with kxen loaded:
 * what gethvmcontext gives for a new domain (the header and each vCPU's
 * MTRRs as Xen resets them, no CPU record for a vCPU that is down), the
 * boot context libxenguest loads for a PVH guest (which brings vCPU 0
 * up), its registers and MTRRs read back, and each record Xen 4.17
 * refuses with its errno.
 */
#include <cpuid.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <xenctrl.h>
#include <xen/hvm/save.h>
#include "fails_with.h"
#include "hvm_context.h"
#include "ktap.h"
#include "xen_guest.h"

#define PAT_RESET	0x0007040600070406ull
#define MTRRCAP_RESET	0x508		/* WC, fixed ranges, 8 pairs */
#define CR0_PG		(1ull << 31)
#define CR4_LA57	(1ull << 12)
#define EFER_LMA	(1ull << 10)

static xc_interface *xch;

static unsigned int online(uint32_t domid)
{
	xc_domaininfo_t info = { 0 };

	if (xc_domain_getinfolist(xch, domid, 1, &info) != 1)
		return ~0u;
	return info.nr_online_vcpus;
}

static void test_new_domain(uint32_t domid)
{
	const struct hvm_save_header *hdr;
	const struct hvm_hw_mtrr *m0, *m1;
	unsigned int eax, ebx, ecx, edx;
	uint32_t want = DESC + HVM_SAVE_LENGTH(HEADER) +
			2 * (DESC + HVM_SAVE_LENGTH(CPU)) +
			2 * (DESC + HVM_SAVE_LENGTH(MTRR)) + DESC;
	xc_physinfo_t pi = { 0 };
	struct context c;
	int size;

	size = xc_domain_hvm_getcontext(xch, domid, NULL, 0);
	ktap_test_result(size == (int)want,
			 "size: with no buffer, room for every record of 2 vCPUs (%d bytes)",
			 size);
	__cpuid(1, eax, ebx, ecx, edx);
	xc_physinfo(xch, &pi);
	get_context(xch, domid, &c);
	hdr = find_record(&c, HVM_SAVE_CODE(HEADER), 0);
	ktap_test_result(hdr && (void *)hdr == c.data + DESC &&
			 hdr->magic == HVM_FILE_MAGIC &&
			 hdr->version == HVM_FILE_VERSION &&
			 hdr->cpuid == eax && hdr->gtsc_khz == pi.cpu_khz,
			 "header: first, Xen's magic and version, CPUID 1 EAX, the TSC kHz");
	m0 = find_record(&c, HVM_SAVE_CODE(MTRR), 0);
	m1 = find_record(&c, HVM_SAVE_CODE(MTRR), 1);
	ktap_test_result(c.len == want - 2 * (DESC + HVM_SAVE_LENGTH(CPU)) &&
			 !find_record(&c, HVM_SAVE_CODE(CPU), 0) && m0 && m1 &&
			 find_record(&c, 0, 0) == c.data + c.len,
			 "a new domain: header, MTRRs of vCPUs 0 and 1, end; no CPU record while down (%u bytes)",
			 c.len);
	ktap_test_result(m0 && m0->msr_mtrr_cap == MTRRCAP_RESET &&
			 !m0->msr_mtrr_def_type && m0->msr_pat_cr == PAT_RESET &&
			 !m0->msr_mtrr_var[0] && !m0->msr_mtrr_fixed[0],
			 "MTRRs as Xen resets them: 8 pairs, fixed ranges, WC; disabled; PAT at reset");
}

static void test_boot_context(uint32_t domid)
{
	struct hvm_hw_cpu cpu = boot_cpu(0x100000);
	const struct hvm_hw_cpu *got;
	struct context c;
	uint32_t mxcsr = 0;
	xc_vcpuinfo_t info = { 0 };

	ktap_test_result(!set_boot(xch, domid, &cpu, sizeof(cpu)) &&
			 online(domid) == 1 &&
			 !xc_vcpu_getinfo(xch, domid, 0, &info) && info.online,
			 "the boot context loads, and brings vCPU 0 up");
	get_context(xch, domid, &c);
	got = find_record(&c, HVM_SAVE_CODE(CPU), 0);
	if (got)
		memcpy(&mxcsr, &got->fpu_regs[24], sizeof(mxcsr));
	ktap_test_result(got && !find_record(&c, HVM_SAVE_CODE(CPU), 1) &&
			 got->rip == cpu.rip && got->rbx == cpu.rbx &&
			 got->cr0 == cpu.cr0 && got->cs_arbytes == 0xc9b &&
			 got->tr_limit == 0x67 && got->dr6 == cpu.dr6 &&
			 got->rflags == 2 &&
			 got->flags == XEN_X86_FPU_INITIALISED &&
			 got->fpu_regs[0] == 0x7f && got->fpu_regs[1] == 0x03 &&
			 mxcsr == 0x1f80,
			 "read back: its registers, RFLAGS bit 1, the FPU as reset");
	ktap_test_result(got && got->tsc >= TSC_LOADED &&
			 got->tsc - TSC_LOADED < 1ull << 40,
			 "read back: the TSC goes on from the loaded value");
}

static void test_mtrr(uint32_t domid)
{
	struct context full, c = { .len = 0 };
	struct hvm_hw_mtrr m;
	const struct hvm_hw_mtrr *got;

	get_context(xch, domid, &full);
	memcpy(&m, find_record(&full, HVM_SAVE_CODE(MTRR), 1), sizeof(m));
	m.msr_mtrr_def_type = 0xc06;		/* enabled, fixed, WB */
	m.msr_mtrr_var[0] = 0x6;		/* WB from 0 ... */
	m.msr_mtrr_var[1] = 0xfc0000800ull;	/* ... for 1 GiB, valid */
	m.msr_mtrr_fixed[0] = 0x0606060606060606ull;
	m.msr_mtrr_fixed[1] = 0x0202020202020202ull;	/* 2: no such type */
	m.msr_pat_cr = 0x0606060606060606ull;
	add(&c, HVM_SAVE_CODE(HEADER), 0, full.data + DESC,
	    HVM_SAVE_LENGTH(HEADER));
	add(&c, HVM_SAVE_CODE(MTRR), 1, &m, sizeof(m));
	add(&c, 0, 0, NULL, 0);
	ktap_test_result(!xc_domain_hvm_setcontext(xch, domid, c.data, c.len),
			 "an MTRR record loads");
	get_context(xch, domid, &full);
	got = find_record(&full, HVM_SAVE_CODE(MTRR), 1);
	ktap_test_result(got && got->msr_mtrr_def_type == 0xc06 &&
			 got->msr_mtrr_var[0] == 0x6 &&
			 got->msr_mtrr_var[1] == 0xfc0000800ull &&
			 got->msr_mtrr_fixed[0] == m.msr_mtrr_fixed[0] &&
			 !got->msr_mtrr_fixed[1] &&
			 got->msr_pat_cr == m.msr_pat_cr,
			 "MTRRs and PAT read back; a range of an invalid type is left as it was, as in Xen");
	ktap_test_result(online(domid) == 0,
			 "a context without a CPU record leaves every vCPU down");
}

/* One CPU record Xen refuses, with what is wrong in it. */
static bool cpu_refused(uint32_t domid, void (*spoil)(struct hvm_hw_cpu *))
{
	struct hvm_hw_cpu cpu = boot_cpu(0x100000);

	spoil(&cpu);
	return fails_with(set_boot(xch, domid, &cpu, sizeof(cpu)), EINVAL);
}

static void paging_without_pe(struct hvm_hw_cpu *c) { c->cr0 = CR0_PG | CR0_ET; }
static void no_et(struct hvm_hw_cpu *c) { c->cr0 = CR0_PE; }
static void la57(struct hvm_hw_cpu *c) { c->cr4 = CR4_LA57; }
static void lma_alone(struct hvm_hw_cpu *c) { c->msr_efer = EFER_LMA; }
static void pad(struct hvm_hw_cpu *c) { c->pad0 = 1; }
static void bad_flags(struct hvm_hw_cpu *c) { c->flags = 2; }
static void bad_tsc_aux(struct hvm_hw_cpu *c) { c->msr_tsc_aux = 1ull << 32; }

static void bad_event(struct hvm_hw_cpu *c)
{
	c->pending_valid = 1;
	c->pending_type = 1;	/* reserved */
}

static void test_refusals(uint32_t domid)
{
	struct hvm_hw_cpu cpu = boot_cpu(0);
	struct context full, c = { .len = 0 };
	struct hvm_save_header hdr;
	uint8_t small[16];

	ktap_test_result(cpu_refused(domid, paging_without_pe) &&
			 cpu_refused(domid, no_et) && cpu_refused(domid, la57) &&
			 cpu_refused(domid, lma_alone) && cpu_refused(domid, pad) &&
			 cpu_refused(domid, bad_flags) &&
			 cpu_refused(domid, bad_tsc_aux) &&
			 cpu_refused(domid, bad_event) &&
			 fails_with(set_boot(xch, domid, &cpu, sizeof(cpu) - 8),
				    EINVAL),
			 "CPU records: CR0.PG without PE, CR0 without ET, CR4.LA57, EFER.LMA alone, pad0, flags, MSR_TSC_AUX, a reserved event type, a short record: EINVAL");

	get_context(xch, domid, &full);
	memcpy(&hdr, find_record(&full, HVM_SAVE_CODE(HEADER), 0), sizeof(hdr));
	hdr.magic++;
	add(&c, HVM_SAVE_CODE(HEADER), 0, &hdr, sizeof(hdr));
	add(&c, 0, 0, NULL, 0);
	ktap_test_result(fails_with(xc_domain_hvm_setcontext(xch, domid, c.data,
							     c.len), EINVAL),
			 "a header with the wrong magic: EINVAL");
	hdr.magic--;
	c.len = 0;
	add(&c, HVM_SAVE_CODE(CPU), 0, &cpu, sizeof(cpu));
	ktap_test_result(fails_with(xc_domain_hvm_setcontext(xch, domid, c.data,
							     c.len), ENODATA),
			 "no header first: ENODATA");
	c.len = 0;
	add(&c, HVM_SAVE_CODE(HEADER), 0, &hdr, sizeof(hdr));
	ktap_test_result(fails_with(xc_domain_hvm_setcontext(xch, domid, c.data,
							     c.len), ENODATA),
			 "no end record: ENODATA");
	add(&c, HVM_SAVE_CODE(CPU), 5, &cpu, sizeof(cpu));
	add(&c, 0, 0, NULL, 0);
	ktap_test_result(fails_with(xc_domain_hvm_setcontext(xch, domid, c.data,
							     c.len), EINVAL),
			 "a CPU record for a vCPU the domain lacks: EINVAL");
	c.len = 0;
	add(&c, HVM_SAVE_CODE(HEADER), 0, &hdr, sizeof(hdr));
	add(&c, HVM_SAVE_CODE(PIC), 0, small, 0);
	add(&c, 0, 0, NULL, 0);
	ktap_test_result(fails_with(xc_domain_hvm_setcontext(xch, domid, c.data,
							     c.len), EINVAL),
			 "a record type kxen does not keep (PIC): EINVAL");
	ktap_test_result(fails_with(xc_domain_hvm_getcontext(xch, domid, small,
							     sizeof(small)),
				    ENOSPC) &&
			 fails_with(xc_domain_hvm_getcontext(xch, 0, full.data,
							     sizeof(full.data)),
				    EINVAL) &&
			 fails_with(xc_domain_hvm_setcontext(xch, 0, c.data,
							     c.len), EINVAL) &&
			 fails_with(xc_domain_hvm_getcontext(xch, 4000, NULL, 0),
				    ESRCH),
			 "a buffer too small: ENOSPC; dom0, the caller: EINVAL; a missing domain: ESRCH");
}

int main(void)
{
	struct xen_domctl_createdomain cfg = pvh_config(2);
	uint32_t domid = 0;

	xch = xc_interface_open(NULL, NULL, 0);
	ktap_print_header(17);
	if (!xch || xc_domain_create(xch, &domid, &cfg) ||
	    xc_domain_max_vcpus(xch, domid, 2)) {
		ktap_test_result(0, "libxenctrl opens and makes a 2-vCPU domain");
		return ktap_finished();
	}
	test_new_domain(domid);
	test_boot_context(domid);
	test_mtrr(domid);
	test_refusals(domid);
	xc_domain_destroy(xch, domid);
	xc_interface_close(xch);
	return ktap_finished();
}
