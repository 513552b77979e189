// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the VMCS builder and checker (hv/arch/vmx/vmcs*.c).
 *
 * The fixtures (vmcs_fixtures.h) were captured in the lab's bochs VMX
 * CPU: its capability MSRs, and dom0's live VMCS on each CPU as
 * /sys/kernel/debug/kxen/vcpu_state showed it. A VMCS that really ran
 * must pass the checker; rebuilding it from the Linux state it holds
 * must give the same segments and pass too; and each single violation
 * of an SDM rule kxen relies on must be caught with its reason.
 */
#include <string.h>
#include <hv/errno.h>
#include <hv/x86_arch.h>
#include <kxen/hv_abi.h>
#include <xen/xen.h>
#include <xen/hvm/save.h>
#include "../arch/vmx/vmcs.h"
#include "ktap.h"
#include "vmcs_fixtures.h"

/* Every violation of the last check, joined. */
static char reports[4096];

static void collect(void *ctx, const char *violation)
{
	size_t len = strlen(reports);

	(void)ctx;
	snprintf(reports + len, sizeof(reports) - len, "%s; ", violation);
	ktap_diag("violation: %s", violation);
}

static unsigned int check(const struct vmcs_image *img)
{
	reports[0] = 0;
	return vmcs_check(img, &bochs_caps, collect, NULL);
}

static void load_fixture(struct vmcs_image *img,
			 const struct kxen_vmcs_field *f, unsigned int n)
{
	unsigned int i;

	img->nr = 0;
	img->overflow = false;
	for (i = 0; i < n; i++)
		vmcs_image_set(img, f[i].encoding, f[i].value);
}

static void test_controls(void)
{
	struct vmx_controls ctl;
	struct vmx_caps caps = bochs_caps;

	ktap_test_result(!vmx_choose_controls(&caps, &ctl) &&
			 (ctl.proc2 & (PROC2_EPT | PROC2_VPID | PROC2_UNRESTRICTED |
				       PROC2_RDTSCP | PROC2_INVPCID | PROC2_XSAVES)) ==
			 (PROC2_EPT | PROC2_VPID | PROC2_UNRESTRICTED |
			  PROC2_RDTSCP | PROC2_INVPCID | PROC2_XSAVES) &&
			 !(ctl.proc2 & PROC2_UMWAIT) &&
			 (ctl.pin & (PIN_NMI_EXITING | PIN_VIRTUAL_NMIS)) ==
			 (PIN_NMI_EXITING | PIN_VIRTUAL_NMIS) &&
			 (ctl.proc & (u32)caps.proc) == (u32)caps.proc,
			 "bochs: controls with EPT, VPID, unrestricted guest, virtual NMIs, what dom0's instructions need, and the CPU's must-be-1 bits");

	caps.proc2 &= ~((u64)PROC2_UNRESTRICTED << 32);
	ktap_test_result(vmx_choose_controls(&caps, &ctl) == -ENODEV,
			 "no unrestricted guest: refused");
	caps = bochs_caps;
	caps.pin &= ~((u64)PIN_VIRTUAL_NMIS << 32);
	ktap_test_result(vmx_choose_controls(&caps, &ctl) == -ENODEV,
			 "no virtual NMIs: refused");
	caps = bochs_caps;
	caps.exit &= ~((u64)EXIT_LOAD_EFER << 32);
	ktap_test_result(vmx_choose_controls(&caps, &ctl) == -ENODEV,
			 "no EFER loading on exit: refused");
	caps = bochs_caps;
	caps.ept_vpid &= ~EPT_CAP_WB;
	ktap_test_result(vmx_choose_controls(&caps, &ctl) == -ENODEV,
			 "no write-back EPT: refused");
}

/* A descriptor that decodes to BASE, LIMIT and access rights AR. */
static u64 encode_descriptor(u64 base, u32 limit, u32 ar)
{
	if (ar & AR_G)
		limit >>= 12;
	return (limit & 0xffff) | (base & 0xffffff) << 16 |
	       (u64)(ar & 0xff) << 40 | (u64)(limit >> 16 & 0xf) << 48 |
	       (u64)(ar >> 12 & 0xf) << 52 | (base >> 24 & 0xff) << 56;
}

/* The Linux state a live VMCS holds, as capture_linux() would see it. */
static void linux_state_of(const struct vmcs_image *img,
			   struct vmx_linux_state *s)
{
	enum vmx_seg seg;

	memset(s, 0, sizeof(*s));
	for (seg = 0; seg < SEG_NR; seg++) {
		u32 ar = vmcs_image_get(img, VMCS_GUEST_AR(seg));
		u64 base = vmcs_image_get(img, VMCS_GUEST_BASE(seg));

		s->sel[seg] = vmcs_image_get(img, VMCS_GUEST_SEL(seg));
		if (ar & AR_UNUSABLE)
			continue;
		s->desc[seg][0] = encode_descriptor(base,
				vmcs_image_get(img, VMCS_GUEST_LIMIT(seg)), ar);
		s->desc[seg][1] = base >> 32;
	}
	s->fs_base = vmcs_image_get(img, VMCS_GUEST_BASE(SEG_FS));
	s->gs_base = vmcs_image_get(img, VMCS_GUEST_BASE(SEG_GS));
	s->gdt_base = vmcs_image_get(img, VMCS_GUEST_GDTR_BASE);
	s->gdt_limit = vmcs_image_get(img, VMCS_GUEST_GDTR_LIMIT);
	s->idt_base = vmcs_image_get(img, VMCS_GUEST_IDTR_BASE);
	s->idt_limit = vmcs_image_get(img, VMCS_GUEST_IDTR_LIMIT);
	s->cr0 = vmcs_image_get(img, VMCS_GUEST_CR0);
	s->cr3 = vmcs_image_get(img, VMCS_GUEST_CR3);
	s->cr4 = vmcs_image_get(img, VMCS_CR4_SHADOW);
	s->dr7 = vmcs_image_get(img, VMCS_GUEST_DR7);
	s->efer = vmcs_image_get(img, VMCS_GUEST_EFER);
	s->pat = vmcs_image_get(img, VMCS_GUEST_PAT);
	s->debugctl = vmcs_image_get(img, VMCS_GUEST_DEBUGCTL);
	s->sysenter_cs = vmcs_image_get(img, VMCS_GUEST_SYSENTER_CS);
	s->sysenter_esp = vmcs_image_get(img, VMCS_GUEST_SYSENTER_ESP);
	s->sysenter_eip = vmcs_image_get(img, VMCS_GUEST_SYSENTER_EIP);
	s->rip = vmcs_image_get(img, VMCS_GUEST_RIP);
	s->rsp = vmcs_image_get(img, VMCS_GUEST_RSP);
	s->rflags = vmcs_image_get(img, VMCS_GUEST_RFLAGS);
}

static void host_state_of(const struct vmcs_image *img,
			  struct vmx_host_state *h)
{
	h->cr0 = vmcs_image_get(img, VMCS_HOST_CR0);
	h->cr3 = vmcs_image_get(img, VMCS_HOST_CR3);
	h->cr4 = vmcs_image_get(img, VMCS_HOST_CR4);
	h->efer = vmcs_image_get(img, VMCS_HOST_EFER);
	h->pat = vmcs_image_get(img, VMCS_HOST_PAT);
	h->gdt_base = vmcs_image_get(img, VMCS_HOST_GDTR_BASE);
	h->idt_base = vmcs_image_get(img, VMCS_HOST_IDTR_BASE);
	h->tr_base = vmcs_image_get(img, VMCS_HOST_TR_BASE);
	h->rsp = vmcs_image_get(img, VMCS_HOST_RSP);
	h->rip = vmcs_image_get(img, VMCS_HOST_RIP);
	h->cs_sel = vmcs_image_get(img, VMCS_HOST_CS_SEL);
	h->ds_sel = vmcs_image_get(img, VMCS_HOST_DS_SEL);
	h->tr_sel = vmcs_image_get(img, VMCS_HOST_TR_SEL);
}

static bool same_segments(const struct vmcs_image *a,
			  const struct vmcs_image *b)
{
	enum vmx_seg seg;

	for (seg = 0; seg < SEG_NR; seg++) {
		u32 fields[] = { VMCS_GUEST_SEL(seg), VMCS_GUEST_BASE(seg),
				 VMCS_GUEST_AR(seg), VMCS_GUEST_LIMIT(seg) };
		/*
		 * Of an unusable segment only the selector, the unusable bit
		 * and FS's and GS's bases mean anything.
		 */
		bool unusable = vmcs_image_get(a, VMCS_GUEST_AR(seg)) &
				AR_UNUSABLE;
		u64 ar_mask = unusable ? AR_UNUSABLE : ~0ull;
		u64 base_mask = unusable && seg != SEG_FS && seg != SEG_GS ?
				0 : ~0ull;
		u64 masks[] = { ~0ull, base_mask, ar_mask, unusable ? 0 : ~0ull };
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(fields); i++) {
			if ((vmcs_image_get(a, fields[i]) & masks[i]) !=
			    (vmcs_image_get(b, fields[i]) & masks[i])) {
				ktap_diag("segment %d field %#x: %#llx vs %#llx",
					  seg, fields[i],
					  (unsigned long long)vmcs_image_get(a, fields[i]),
					  (unsigned long long)vmcs_image_get(b, fields[i]));
				return false;
			}
		}
	}
	return true;
}

static void test_captured(const char *name, const struct kxen_vmcs_field *f,
			  unsigned int n, struct vmcs_image *built)
{
	struct vmcs_image live;
	struct vmx_linux_state s;
	struct vmx_host_state h;
	struct vmx_controls ctl;

	load_fixture(&live, f, n);
	ktap_test_result(check(&live) == 0, "%s: the live VMCS passes", name);

	linux_state_of(&live, &s);
	host_state_of(&live, &h);
	vmx_choose_controls(&bochs_caps, &ctl);
	vmcs_build(built, &ctl, &s, &h,
		   vmcs_image_get(&live, VMCS_MSR_BITMAP),
		   vmcs_image_get(&live, VMCS_EPT_POINTER),
		   vmcs_image_get(&live, VMCS_VPID));
	ktap_test_result(check(built) == 0, "%s: rebuilt from its Linux state, it passes",
			 name);
	ktap_test_result(same_segments(&live, built),
			 "%s: rebuilt segments equal the live ones", name);
	ktap_test_result(vmcs_image_get(built, VMCS_PIN_CONTROLS) ==
			 vmcs_image_get(&live, VMCS_PIN_CONTROLS) &&
			 vmcs_image_get(built, VMCS_PROC_CONTROLS2) ==
			 vmcs_image_get(&live, VMCS_PROC_CONTROLS2) &&
			 vmcs_image_get(built, VMCS_EXIT_CONTROLS) ==
			 vmcs_image_get(&live, VMCS_EXIT_CONTROLS) &&
			 vmcs_image_get(built, VMCS_ENTRY_CONTROLS) ==
			 vmcs_image_get(&live, VMCS_ENTRY_CONTROLS),
			 "%s: rebuilt controls equal the live ones", name);
}

/* One broken rule: each field changed becomes (value & ~clear) | set. */
static const struct mutation {
	const char *what, *reason;
	struct change {
		u32 field;
		u64 clear, set;
	} change[2];		/* one that changes nothing is unused */
} mutations[] = {
	{ "guest CR0 without NE", "guest CR0: fixed bits",
	  { { VMCS_GUEST_CR0, BIT(5), 0 } } },
	{ "guest CR4 without VMXE", "guest CR4: fixed bits",
	  { { VMCS_GUEST_CR4, CR4_VMXE, 0 } } },
	{ "host CR4 without VMXE", "host CR4: fixed bits",
	  { { VMCS_HOST_CR4, CR4_VMXE, 0 } } },
	{ "a pin control the CPU lacks", "pin-based controls",
	  { { VMCS_PIN_CONTROLS, 0, BIT(7) } } },
	{ "a must-be-1 processor control cleared", "processor-based controls",
	  { { VMCS_PROC_CONTROLS, BIT(1), 0 } } },
	{ "virtual NMIs without NMI exiting", "virtual NMIs without NMI exiting",
	  { { VMCS_PIN_CONTROLS, PIN_NMI_EXITING, 0 } } },
	{ "unrestricted guest without EPT", "unrestricted guest without EPT",
	  { { VMCS_PROC_CONTROLS2, PROC2_EPT, 0 } } },
	{ "VPID 0", "VPID enabled with VPID 0",
	  { { VMCS_VPID, 0xffff, 0 } } },
	{ "3-level EPT walk", "walk length",
	  { { VMCS_EPT_POINTER, 7 << 3, 2 << 3 } } },
	{ "write-combining EPT pointer", "memory type",
	  { { VMCS_EPT_POINTER, 7, 1 } } },
	{ "MSR bitmap not aligned", "MSR bitmap",
	  { { VMCS_MSR_BITMAP, 0, 0x800 } } },
	{ "host CS with RPL 3", "host selector",
	  { { VMCS_HOST_CS_SEL, 0, 3 } } },
	{ "host TR null", "host CS or TR is null",
	  { { VMCS_HOST_TR_SEL, 0xffff, 0 } } },
	{ "host PAT with a reserved type", "host PAT",
	  { { VMCS_HOST_PAT, 0xff, 2 } } },
	{ "host RIP not canonical", "host RIP",
	  { { VMCS_HOST_RIP, 1ull << 50, 0 } } },
	{ "guest TR available, not busy", "busy 64-bit TSS",
	  { { VMCS_GUEST_AR(SEG_TR), 0xf, 9 } } },
	{ "guest CS with L and D/B", "both L and D/B",
	  { { VMCS_GUEST_AR(SEG_CS), 0, AR_DB } } },
	{ "guest CS at DPL 3 over SS at 0", "DPL differs",
	  { { VMCS_GUEST_AR(SEG_CS), 0, 3 << 5 } } },
	{ "guest CS limit of 4G without G", "guest CS: limit and granularity disagree",
	  { { VMCS_GUEST_AR(SEG_CS), AR_G, 0 } } },
	{ "guest EFER without LMA", "LMA",
	  { { VMCS_GUEST_EFER, BIT(10), 0 } } },
	{ "guest RFLAGS bit 1 clear", "RFLAGS",
	  { { VMCS_GUEST_RFLAGS, 2, 0 } } },
	{ "guest RIP not canonical", "RIP not canonical",
	  { { VMCS_GUEST_RIP, 1ull << 50, 0 } } },
	{ "STI blocking with IF clear", "STI blocking with IF clear",
	  { { VMCS_GUEST_INTERRUPTIBILITY, 0, BLOCKING_STI },
	    { VMCS_GUEST_RFLAGS, BIT(9), 0 } } },
	{ "#GP injected without its error code", "error code",
	  { { VMCS_ENTRY_INTR_INFO, 0, INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION << 8 | 13 } } },
	{ "NMI injected with MOV SS blocking", "NMI injected with MOV SS blocking",
	  { { VMCS_GUEST_INTERRUPTIBILITY, 0, BLOCKING_MOV_SS },
	    { VMCS_ENTRY_INTR_INFO, 0, INTR_INFO_VALID | INTR_TYPE_NMI << 8 | 2 } } },
	{ "VMCS link pointer 0", "link pointer",
	  { { VMCS_LINK_POINTER, ~0ull, 0 } } },
};

static void test_mutations(const struct vmcs_image *good)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mutations); i++) {
		const struct mutation *m = &mutations[i];
		struct vmcs_image img = *good;
		const struct change *c;

		for (c = m->change; c < m->change + 2 && (c->clear || c->set); c++)
			vmcs_image_set(&img, c->field,
				       (vmcs_image_get(&img, c->field) & ~c->clear) |
				       c->set);
		ktap_test_result(check(&img) >= 1 && strstr(reports, m->reason),
				 "caught: %s", m->what);
	}
}

/*
 * Guest vCPUs: the states a vCPU starts in (the PVH entry, a SIPI's real
 * mode, VCPUOP_initialise's 64-bit one), in a VMCS with the guest
 * controls and the host fields of dom0's live one, must pass entry.
 */
static const struct hvm_hw_cpu pvh_entry = {
	.cr0 = CR0_PE | CR0_ET, .rflags = 2, .rip = 0x100000, .rbx = 0x1000,
	.cs_limit = ~0u, .ds_limit = ~0u, .es_limit = ~0u, .ss_limit = ~0u,
	.tr_limit = 0x67,
	.cs_sel = 0x08, .ds_sel = 0x10, .es_sel = 0x10, .ss_sel = 0x10,
	.tr_sel = 0x18,
	.cs_arbytes = 0xc9b, .ds_arbytes = 0xc93, .es_arbytes = 0xc93,
	.ss_arbytes = 0xc93, .tr_arbytes = 0x8b,
};

static const struct hvm_hw_cpu sipi_real_mode = {
	.cr0 = CR0_ET, .rflags = 2, .cs_sel = 0x800, .cs_base = 0x8000,
	.cs_limit = 0xffff, .ds_limit = 0xffff, .es_limit = 0xffff,
	.fs_limit = 0xffff, .gs_limit = 0xffff, .ss_limit = 0xffff,
	.tr_limit = 0xffff, .ldtr_limit = 0xffff,
	.gdtr_limit = 0xffff, .idtr_limit = 0xffff,
	.cs_arbytes = 0x9b, .ds_arbytes = 0x93, .es_arbytes = 0x93,
	.fs_arbytes = 0x93, .gs_arbytes = 0x93, .ss_arbytes = 0x93,
	.tr_arbytes = 0x8b, .ldtr_arbytes = 0x82,
};

static const struct hvm_hw_cpu long_mode = {
	.cr0 = CR0_PE | CR0_ET | CR0_PG, .cr4 = CR4_PAE, .cr3 = 0x200000,
	.msr_efer = EFER_LME | EFER_LMA, .rflags = 2, .rip = 0x100000,
	.cs_limit = ~0u, .ds_limit = ~0u, .es_limit = ~0u, .ss_limit = ~0u,
	.tr_limit = 0x67,
	.cs_arbytes = 0xa9b, .ds_arbytes = 0xc93, .es_arbytes = 0xc93,
	.ss_arbytes = 0xc93, .tr_arbytes = 0x8b,
};

static void test_vcpu(const struct vmcs_image *dom0)
{
	const struct { const char *name; const struct hvm_hw_cpu *r; } states[] = {
		{ "PVH entry", &pvh_entry },
		{ "SIPI real mode", &sipi_real_mode },
		{ "64-bit", &long_mode },
	};
	struct vmx_controls dom0_ctl, ctl;
	struct vmx_caps caps = bochs_caps;
	struct vmcs_image img, again;
	struct hvm_hw_cpu back;
	unsigned int i, j;
	bool same;

	vmx_choose_controls(&caps, &dom0_ctl);
	ktap_test_result(!vmx_choose_vcpu_controls(&caps, &dom0_ctl, &ctl) &&
			 (ctl.pin & PIN_EXTERNAL_INTERRUPT) &&
			 (ctl.proc & (PROC_HLT | PROC_UNCOND_IO | PROC_CR8_LOAD |
				      PROC_CR8_STORE | PROC_TSC_OFFSET)) ==
			 (PROC_HLT | PROC_UNCOND_IO | PROC_CR8_LOAD |
			  PROC_CR8_STORE | PROC_TSC_OFFSET) &&
			 !(ctl.proc & (PROC_CR3_LOAD | PROC_CR3_STORE)) &&
			 !(ctl.entry & ENTRY_GUEST_64BIT),
			 "bochs: guest vCPU controls exit for interrupts, HLT, ports and CR8, not CR3");
	caps.proc &= ~((u64)PROC_UNCOND_IO << 32);
	ktap_test_result(vmx_choose_vcpu_controls(&caps, &dom0_ctl, &ctl) == -ENODEV,
			 "no port exits: refused");
	vmx_choose_vcpu_controls(&bochs_caps, &dom0_ctl, &ctl);

	for (i = 0; i < ARRAY_SIZE(states); i++) {
		vmcs_build_vcpu(&img, &ctl, 0x1000, 0x2000 | EPTP_WB | EPTP_WALK(4), 2);
		vmcs_vcpu_state(&img, &bochs_caps, &ctl, states[i].r, 0x0007040600070406ull);
		for (j = 0; j < dom0->nr; j++)
			if (VMCS_FIELD_TYPE(dom0->field[j].encoding) == VMCS_TYPE_HOST)
				vmcs_image_set(&img, dom0->field[j].encoding,
					       dom0->field[j].value);
		ktap_test_result(check(&img) == 0 &&
				 vmcs_image_get(&img, VMCS_CR0_SHADOW) == states[i].r->cr0 &&
				 (vmcs_image_get(&img, VMCS_GUEST_CR0) & CR0_NE) &&
				 (vmcs_image_get(&img, VMCS_GUEST_CR4) & CR4_VMXE) &&
				 !(vmcs_image_get(&img, VMCS_CR4_SHADOW) & CR4_VMXE) &&
				 !!(vmcs_image_get(&img, VMCS_ENTRY_CONTROLS) & ENTRY_GUEST_64BIT) ==
				 !!(states[i].r->msr_efer & EFER_LMA),
				 "guest vCPU in its %s state: entry checks pass, NE and VMXE set behind the shadows",
				 states[i].name);
		/* Read back into junk, it makes the same VMCS state again. */
		memset(&back, 0xa5, sizeof(back));
		vmcs_vcpu_regs(&img, &back);
		memset(&again, 0, sizeof(again));
		vmcs_vcpu_state(&again, &bochs_caps, &ctl, &back,
				0x0007040600070406ull);
		same = !again.overflow;
		for (j = 0; j < again.nr; j++)
			same = same && again.field[j].value ==
			       vmcs_image_get(&img, again.field[j].encoding);
		ktap_test_result(same && back.cr0 == states[i].r->cr0 &&
				 back.cr4 == states[i].r->cr4 &&
				 back.msr_efer == states[i].r->msr_efer,
				 "guest vCPU in its %s state: read back from the VMCS, CR0, CR4 and EFER as the guest has them",
				 states[i].name);
	}
	ktap_test_result((vmcs_image_get(&img, VMCS_GUEST_AR(SEG_FS)) & AR_UNUSABLE) &&
			 vmcs_image_get(&img, VMCS_GUEST_AR(SEG_CS)) == 0xa09b,
			 "absent segments are unusable; Xen's attributes move to VMX's places");
}

/* A field that does not fit makes the whole image unusable. */
static void test_overflow(const struct vmcs_image *good)
{
	struct vmcs_image img = *good;
	u32 encoding = 0x7000;	/* no such fields */

	while (img.nr < VMCS_IMAGE_MAX)
		vmcs_image_set(&img, encoding++, 0);
	ktap_test_result(!check(&img) || !strstr(reports, "more fields"),
			 "a full image is still usable");
	vmcs_image_set(&img, encoding, 0);
	ktap_test_result(check(&img) && strstr(reports, "more fields"),
			 "caught: a field beyond the image's room");
}

int main(void)
{
	struct vmcs_image built0, built1;

	ktap_print_header(5 + 2 * 4 + ARRAY_SIZE(mutations) + 2 + 6 + 3);
	test_controls();
	test_captured("bochs CPU0", bochs_vmcs_cpu0, ARRAY_SIZE(bochs_vmcs_cpu0),
		      &built0);
	test_captured("bochs CPU1", bochs_vmcs_cpu1, ARRAY_SIZE(bochs_vmcs_cpu1),
		      &built1);
	test_mutations(&built0);
	test_overflow(&built0);
	test_vcpu(&built0);
	return ktap_finished();
}
