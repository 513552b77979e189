// SPDX-License-Identifier: GPL-2.0
/*
 * The checks a CPU makes on VM entry (Intel SDM vol. 3, "VM Entries":
 * controls, host state, guest state), for the settings kxen uses: a
 * 64-bit host, a 64-bit or unrestricted guest, no MSR load lists, no
 * shadow VMCS. A VMCS that fails here would fail VMLAUNCH, or worse,
 * enter with state the SDM leaves undefined; kxen checks before entry
 * and refuses with the reason, and the unit tests check what it builds.
 */
#include <hv/x86_arch.h>
#include "vmcs.h"

#define EFER_RESERVED		(~0xd01ull)	/* but SCE, LME, LMA, NXE */
#define RFLAGS_FIXED1		BIT_ULL(1)
#define RFLAGS_RESERVED		(0xffffffffffc08028ull)
#define RFLAGS_TF		BIT_ULL(8)
#define RFLAGS_IF		BIT_ULL(9)
#define RFLAGS_VM		BIT_ULL(17)
#define DEBUGCTL_BTF		BIT_ULL(1)
#define PENDING_DEBUG_BS	BIT_ULL(14)
#define PENDING_DEBUG_RESERVED	(~0x1500full)

struct checker {
	const struct vmcs_image *img;
	const struct vmx_caps *caps;
	vmcs_report_fn report;
	void *ctx;
	unsigned int violations;
};

static u64 field(const struct checker *c, u32 encoding)
{
	return vmcs_image_get(c->img, encoding);
}

static void require(struct checker *c, bool ok, const char *what)
{
	if (!ok) {
		c->violations++;
		c->report(c->ctx, what);
	}
}

static bool canonical(const struct checker *c, u64 addr)
{
	unsigned int bits = c->caps->virt_addr_bits;

	return (u64)((s64)(addr << (64 - bits)) >> (64 - bits)) == addr;
}

static bool phys_ok(const struct checker *c, u64 addr)
{
	return !(addr >> c->caps->phys_addr_bits);
}

/* Every bit the CPU needs set is set, and none it cannot set is. */
static bool allowed(u64 cap, u64 value)
{
	return (value & (u32)cap) == (u32)cap &&
	       !(value & ~(cap >> 32) & 0xffffffffull);
}

static bool fixed_ok(u64 value, u64 fixed0, u64 fixed1)
{
	return (value & fixed0) == fixed0 && !(value & ~fixed1);
}

static bool pat_ok(u64 pat)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		u8 type = pat >> (8 * i);

		if (type == 2 || type == 3 || type > 7)
			return false;
	}
	return true;
}

static void check_controls(struct checker *c)
{
	const struct vmx_caps *caps = c->caps;
	u64 pin = field(c, VMCS_PIN_CONTROLS);
	u64 proc = field(c, VMCS_PROC_CONTROLS);
	u64 proc2 = (proc & PROC_SECONDARY) ? field(c, VMCS_PROC_CONTROLS2) : 0;
	u64 exit = field(c, VMCS_EXIT_CONTROLS);
	u64 entry = field(c, VMCS_ENTRY_CONTROLS);
	u64 eptp = field(c, VMCS_EPT_POINTER);
	u64 bitmap = field(c, VMCS_MSR_BITMAP);
	u64 info = field(c, VMCS_ENTRY_INTR_INFO);

	require(c, allowed(caps->pin, pin), "pin-based controls: reserved bits");
	require(c, allowed(caps->proc, proc),
		"processor-based controls: reserved bits");
	require(c, allowed(caps->proc2, proc2),
		"secondary controls: reserved bits");
	require(c, allowed(caps->exit, exit), "VM-exit controls: reserved bits");
	require(c, allowed(caps->entry, entry),
		"VM-entry controls: reserved bits");
	require(c, field(c, VMCS_CR3_TARGET_COUNT) <= (caps->misc >> 16 & 0x1ff),
		"CR3-target count above the CPU's");
	if (proc & PROC_MSR_BITMAP)
		require(c, !(bitmap & 0xfff) && phys_ok(c, bitmap),
			"MSR bitmap: not 4K aligned or beyond MAXPHYADDR");
	require(c, (pin & PIN_NMI_EXITING) || !(pin & PIN_VIRTUAL_NMIS),
		"virtual NMIs without NMI exiting");
	require(c, (pin & PIN_VIRTUAL_NMIS) || !(proc & PROC_NMI_WINDOW),
		"NMI-window exiting without virtual NMIs");
	if (proc2 & PROC2_EPT) {
		u64 walk = (eptp >> 3 & 7) + 1;

		require(c, ((eptp & 7) == 0 && (caps->ept_vpid & EPT_CAP_UC)) ||
			   ((eptp & 7) == 6 && (caps->ept_vpid & EPT_CAP_WB)),
			"EPT pointer: unsupported memory type");
		require(c, (walk == 4 && (caps->ept_vpid & EPT_CAP_WALK4)) ||
			   (walk == 5 && (caps->ept_vpid & EPT_CAP_WALK5)),
			"EPT pointer: unsupported walk length");
		require(c, !(eptp & BIT(6)) || (caps->ept_vpid & EPT_CAP_AD),
			"EPT pointer: accessed/dirty flags unsupported");
		require(c, !(eptp & 0xf80) && phys_ok(c, eptp),
			"EPT pointer: reserved bits");
	}
	require(c, !(proc2 & PROC2_UNRESTRICTED) || (proc2 & PROC2_EPT),
		"unrestricted guest without EPT");
	require(c, !(proc2 & PROC2_VPID) || field(c, VMCS_VPID),
		"VPID enabled with VPID 0");
	require(c, !(proc2 & PROC2_SHADOW_VMCS),
		"shadow VMCS (not checked here)");
	require(c, !field(c, VMCS_EXIT_MSR_STORE_COUNT) &&
		   !field(c, VMCS_EXIT_MSR_LOAD_COUNT) &&
		   !field(c, VMCS_ENTRY_MSR_LOAD_COUNT),
		"MSR load/store lists (not checked here)");

	if (info & INTR_INFO_VALID) {
		u32 type = INTR_INFO_TYPE(info), vector = INTR_INFO_VECTOR(info);
		bool real_mode = !(field(c, VMCS_GUEST_CR0) & CR0_PE);
		bool has_error = type == INTR_TYPE_HW_EXCEPTION && !real_mode &&
				 (vector == 8 || (vector >= 10 && vector <= 14) ||
				  vector == 17 || vector == 21);
		u64 len = field(c, VMCS_ENTRY_INSTRUCTION_LEN);

		require(c, type != 1 && type != INTR_TYPE_OTHER,
			"event injection: reserved type");
		require(c, type != INTR_TYPE_NMI || vector == 2,
			"event injection: NMI with a vector other than 2");
		require(c, type != INTR_TYPE_HW_EXCEPTION || vector < 32,
			"event injection: exception vector above 31");
		require(c, !(info & INTR_INFO_ERROR_VALID) == !has_error,
			"event injection: error code does not fit the event");
		require(c, !(info & 0x7ffff000),
			"event injection: reserved bits");
		if (type >= INTR_TYPE_SW_INTERRUPT && type <= INTR_TYPE_SW_EXCEPTION)
			require(c, len >= 1 && len <= 15,
				"event injection: instruction length not 1-15");
	}
}

static void check_host(struct checker *c)
{
	const struct vmx_caps *caps = c->caps;
	u64 exit = field(c, VMCS_EXIT_CONTROLS);
	u64 cr4 = field(c, VMCS_HOST_CR4);
	u64 efer = field(c, VMCS_HOST_EFER);
	static const u32 sels[] = {
		VMCS_HOST_ES_SEL, VMCS_HOST_CS_SEL, VMCS_HOST_SS_SEL,
		VMCS_HOST_DS_SEL, VMCS_HOST_FS_SEL, VMCS_HOST_GS_SEL,
		VMCS_HOST_TR_SEL,
	};
	static const u32 bases[] = {
		VMCS_HOST_FS_BASE, VMCS_HOST_GS_BASE, VMCS_HOST_TR_BASE,
		VMCS_HOST_GDTR_BASE, VMCS_HOST_IDTR_BASE,
		VMCS_HOST_SYSENTER_ESP, VMCS_HOST_SYSENTER_EIP,
	};
	unsigned int i;

	require(c, fixed_ok(field(c, VMCS_HOST_CR0), caps->cr0_fixed0,
			    caps->cr0_fixed1), "host CR0: fixed bits");
	require(c, fixed_ok(cr4, caps->cr4_fixed0, caps->cr4_fixed1),
		"host CR4: fixed bits");
	require(c, phys_ok(c, field(c, VMCS_HOST_CR3)),
		"host CR3 beyond MAXPHYADDR");
	for (i = 0; i < ARRAY_SIZE(bases); i++)
		require(c, canonical(c, field(c, bases[i])),
			"host base or SYSENTER address not canonical");
	for (i = 0; i < ARRAY_SIZE(sels); i++)
		require(c, !(field(c, sels[i]) & 7),
			"host selector with RPL or TI set");
	require(c, field(c, VMCS_HOST_CS_SEL) && field(c, VMCS_HOST_TR_SEL),
		"host CS or TR is null");
	/* kxen's host is always 64-bit. */
	require(c, exit & EXIT_HOST_64BIT, "host address-space size is not 64-bit");
	require(c, cr4 & CR4_PAE, "64-bit host without CR4.PAE");
	require(c, canonical(c, field(c, VMCS_HOST_RIP)),
		"host RIP not canonical");
	if (exit & EXIT_LOAD_PAT)
		require(c, pat_ok(field(c, VMCS_HOST_PAT)), "host PAT: bad type");
	if (exit & EXIT_LOAD_EFER)
		require(c, !(efer & EFER_RESERVED) &&
			   !!(efer & EFER_LMA) == !!(exit & EXIT_HOST_64BIT) &&
			   !!(efer & EFER_LME) == !!(exit & EXIT_HOST_64BIT),
			"host EFER: reserved bits or LMA/LME against the host size");
}

/* The limit and granularity agree: G for limits above 1M, not below 4K. */
static bool limit_fits(u64 limit, u32 ar)
{
	if ((limit & 0xfff) != 0xfff && (ar & AR_G))
		return false;
	if ((limit >> 20) && !(ar & AR_G))
		return false;
	return true;
}

static void check_data_segment(struct checker *c, enum vmx_seg seg,
			       bool unrestricted)
{
	u32 ar = field(c, VMCS_GUEST_AR(seg));
	u32 type = AR_TYPE(ar);

	if (ar & AR_UNUSABLE)
		return;
	require(c, type & SEG_TYPE_ACCESSED, "guest segment: not accessed");
	require(c, !(type & SEG_TYPE_CODE) || (type & SEG_TYPE_READ_WRITE),
		"guest data segment: unreadable code");
	require(c, (ar & AR_S) && (ar & AR_P) && !(ar & AR_RESERVED),
		"guest data segment: S, P or reserved bits");
	require(c, limit_fits(field(c, VMCS_GUEST_LIMIT(seg)), ar),
		"guest data segment: limit and granularity disagree");
	if (!unrestricted && type <= 11)
		require(c, AR_DPL(ar) >= (field(c, VMCS_GUEST_SEL(seg)) & 3),
			"guest data segment: DPL below RPL");
	if (seg == SEG_SS) {
		require(c, type == 3 || type == 7, "guest SS: not writable data");
		require(c, unrestricted ||
			   AR_DPL(ar) == (field(c, VMCS_GUEST_SEL(SEG_SS)) & 3),
			"guest SS: DPL differs from RPL");
	}
	if (seg != SEG_FS && seg != SEG_GS)
		require(c, !(field(c, VMCS_GUEST_BASE(seg)) >> 32),
			"guest segment base above 4G");
}

static void check_segments(struct checker *c, bool unrestricted,
			   bool guest_64bit)
{
	u32 cs = field(c, VMCS_GUEST_AR(SEG_CS));
	u32 ss = field(c, VMCS_GUEST_AR(SEG_SS));
	u32 tr = field(c, VMCS_GUEST_AR(SEG_TR));
	u32 ldtr = field(c, VMCS_GUEST_AR(SEG_LDTR));
	u32 cs_type = AR_TYPE(cs);
	enum vmx_seg seg;

	require(c, !(field(c, VMCS_GUEST_SEL(SEG_TR)) & 4), "guest TR: TI set");
	require(c, !(ldtr & AR_UNUSABLE) ||
		   !(field(c, VMCS_GUEST_SEL(SEG_LDTR)) & 4),
		"guest LDTR: TI set");
	for (seg = 0; seg < SEG_NR; seg++)
		if (seg == SEG_FS || seg == SEG_GS || seg == SEG_LDTR ||
		    seg == SEG_TR)
			require(c, canonical(c, field(c, VMCS_GUEST_BASE(seg))),
				"guest FS, GS, LDTR or TR base not canonical");

	/* CS */
	require(c, !(cs & AR_UNUSABLE), "guest CS unusable");
	require(c, cs_type == 9 || cs_type == 11 || cs_type == 13 ||
		   cs_type == 15 || (unrestricted && cs_type == 3),
		"guest CS: type");
	require(c, (cs & AR_S) && (cs & AR_P) && !(cs & AR_RESERVED),
		"guest CS: S, P or reserved bits");
	if (cs_type == 3)
		require(c, AR_DPL(cs) == 0, "guest CS: data type with DPL > 0");
	else if (cs_type == 9 || cs_type == 11)
		require(c, AR_DPL(cs) == AR_DPL(ss),
			"guest CS: DPL differs from SS's");
	else
		require(c, AR_DPL(cs) <= AR_DPL(ss),
			"guest CS: conforming DPL above SS's");
	require(c, !(guest_64bit && (cs & AR_L) && (cs & AR_DB)),
		"guest CS: both L and D/B in IA-32e mode");
	require(c, limit_fits(field(c, VMCS_GUEST_LIMIT(SEG_CS)), cs),
		"guest CS: limit and granularity disagree");
	require(c, !(field(c, VMCS_GUEST_BASE(SEG_CS)) >> 32),
		"guest CS base above 4G");
	if (!unrestricted)
		require(c, AR_DPL(ss) == (field(c, VMCS_GUEST_SEL(SEG_CS)) & 3),
			"guest SS DPL differs from CS RPL");
	if (!(field(c, VMCS_GUEST_CR0) & CR0_PE))
		require(c, AR_DPL(ss) == 0, "guest SS: DPL > 0 in real mode");

	for (seg = SEG_ES; seg <= SEG_GS; seg++)
		if (seg != SEG_CS)
			check_data_segment(c, seg, unrestricted);

	/* TR: a busy 64-bit TSS in IA-32e mode. */
	require(c, !(tr & AR_UNUSABLE) && !(tr & AR_S) && (tr & AR_P) &&
		   !(tr & AR_RESERVED), "guest TR: unusable, S, P or reserved bits");
	require(c, !guest_64bit || AR_TYPE(tr) == SEG_TYPE_TSS64_BUSY,
		"guest TR: not a busy 64-bit TSS");
	require(c, limit_fits(field(c, VMCS_GUEST_LIMIT(SEG_TR)), tr),
		"guest TR: limit and granularity disagree");
	if (!(ldtr & AR_UNUSABLE)) {
		require(c, AR_TYPE(ldtr) == SEG_TYPE_LDT && !(ldtr & AR_S) &&
			   (ldtr & AR_P) && !(ldtr & AR_RESERVED),
			"guest LDTR: type, S, P or reserved bits");
		require(c, limit_fits(field(c, VMCS_GUEST_LIMIT(SEG_LDTR)), ldtr),
			"guest LDTR: limit and granularity disagree");
	}
}

static void check_guest_events(struct checker *c)
{
	u64 rflags = field(c, VMCS_GUEST_RFLAGS);
	u64 intr = field(c, VMCS_GUEST_INTERRUPTIBILITY);
	u64 info = field(c, VMCS_ENTRY_INTR_INFO);
	u64 pending = field(c, VMCS_GUEST_PENDING_DEBUG);
	u64 activity = field(c, VMCS_GUEST_ACTIVITY);
	bool valid = info & INTR_INFO_VALID;
	u32 type = INTR_INFO_TYPE(info);

	require(c, activity <= 3, "guest activity state: reserved");
	require(c, !(intr & ~0x1full), "guest interruptibility: reserved bits");
	require(c, (intr & (BLOCKING_STI | BLOCKING_MOV_SS)) !=
		   (BLOCKING_STI | BLOCKING_MOV_SS),
		"guest interruptibility: blocked by both STI and MOV SS");
	require(c, (rflags & RFLAGS_IF) || !(intr & BLOCKING_STI),
		"guest interruptibility: STI blocking with IF clear");
	if (valid && type == INTR_TYPE_EXTERNAL) {
		require(c, rflags & RFLAGS_IF,
			"external interrupt injected with IF clear");
		require(c, !(intr & (BLOCKING_STI | BLOCKING_MOV_SS)),
			"external interrupt injected in an interrupt shadow");
	}
	if (valid && type == INTR_TYPE_NMI) {
		require(c, !(intr & BLOCKING_MOV_SS),
			"NMI injected with MOV SS blocking");
		require(c, !(field(c, VMCS_PIN_CONTROLS) & PIN_VIRTUAL_NMIS) ||
			   !(intr & BLOCKING_NMI),
			"NMI injected while virtual NMIs are blocked");
	}
	require(c, !(pending & PENDING_DEBUG_RESERVED),
		"guest pending debug exceptions: reserved bits");
	if ((intr & (BLOCKING_STI | BLOCKING_MOV_SS)) || activity == 1) {
		bool step = (rflags & RFLAGS_TF) &&
			    !(field(c, VMCS_GUEST_DEBUGCTL) & DEBUGCTL_BTF);

		require(c, !!(pending & PENDING_DEBUG_BS) == step,
			"guest pending debug BS disagrees with single-stepping");
	}
}

static void check_guest(struct checker *c)
{
	const struct vmx_caps *caps = c->caps;
	u64 entry = field(c, VMCS_ENTRY_CONTROLS);
	u64 proc = field(c, VMCS_PROC_CONTROLS);
	bool unrestricted = (proc & PROC_SECONDARY) &&
			    (field(c, VMCS_PROC_CONTROLS2) & PROC2_UNRESTRICTED);
	bool guest_64bit = entry & ENTRY_GUEST_64BIT;
	u64 cr0 = field(c, VMCS_GUEST_CR0);
	u64 cr4 = field(c, VMCS_GUEST_CR4);
	u64 efer = field(c, VMCS_GUEST_EFER);
	u64 cr0_fixed0 = caps->cr0_fixed0;
	u64 rflags = field(c, VMCS_GUEST_RFLAGS);
	u64 rip = field(c, VMCS_GUEST_RIP);
	u32 cs = field(c, VMCS_GUEST_AR(SEG_CS));

	if (unrestricted)
		cr0_fixed0 &= ~(CR0_PE | CR0_PG);
	require(c, fixed_ok(cr0, cr0_fixed0, caps->cr0_fixed1),
		"guest CR0: fixed bits");
	require(c, !(cr0 & CR0_PG) || (cr0 & CR0_PE), "guest CR0: PG without PE");
	require(c, fixed_ok(cr4, caps->cr4_fixed0, caps->cr4_fixed1),
		"guest CR4: fixed bits");
	if (entry & ENTRY_LOAD_DEBUG)
		require(c, !(field(c, VMCS_GUEST_DR7) >> 32) &&
			   !(field(c, VMCS_GUEST_DEBUGCTL) & ~0xffc3ull),
			"guest DR7 or DEBUGCTL: reserved bits");
	if (guest_64bit)
		require(c, (cr0 & CR0_PG) && (cr4 & CR4_PAE),
			"64-bit guest without paging or PAE");
	else
		require(c, !(cr4 & CR4_PCIDE), "guest CR4.PCIDE outside IA-32e mode");
	require(c, phys_ok(c, field(c, VMCS_GUEST_CR3)),
		"guest CR3 beyond MAXPHYADDR");
	require(c, canonical(c, field(c, VMCS_GUEST_SYSENTER_ESP)) &&
		   canonical(c, field(c, VMCS_GUEST_SYSENTER_EIP)),
		"guest SYSENTER address not canonical");
	if (entry & ENTRY_LOAD_PAT)
		require(c, pat_ok(field(c, VMCS_GUEST_PAT)), "guest PAT: bad type");
	if (entry & ENTRY_LOAD_EFER) {
		require(c, !(efer & EFER_RESERVED), "guest EFER: reserved bits");
		require(c, !!(efer & EFER_LMA) == guest_64bit,
			"guest EFER.LMA differs from IA-32e mode guest");
		require(c, !(cr0 & CR0_PG) ||
			   !!(efer & EFER_LME) == !!(efer & EFER_LMA),
			"guest EFER: LME differs from LMA with paging on");
	}

	check_segments(c, unrestricted, guest_64bit);

	require(c, canonical(c, field(c, VMCS_GUEST_GDTR_BASE)) &&
		   canonical(c, field(c, VMCS_GUEST_IDTR_BASE)),
		"guest GDTR or IDTR base not canonical");
	require(c, !(field(c, VMCS_GUEST_GDTR_LIMIT) >> 16) &&
		   !(field(c, VMCS_GUEST_IDTR_LIMIT) >> 16),
		"guest GDTR or IDTR limit above 64K");
	if (guest_64bit && (cs & AR_L))
		require(c, canonical(c, rip), "guest RIP not canonical");
	else
		require(c, !(rip >> 32), "guest RIP above 4G outside 64-bit mode");
	require(c, !(rflags & RFLAGS_RESERVED) && (rflags & RFLAGS_FIXED1),
		"guest RFLAGS: reserved bits");
	if (guest_64bit || !(cr0 & CR0_PE))
		require(c, !(rflags & RFLAGS_VM),
			"guest RFLAGS.VM in IA-32e or real mode");
	check_guest_events(c);
	require(c, field(c, VMCS_LINK_POINTER) == ~0ull,
		"VMCS link pointer is not ~0");
}

unsigned int vmcs_check(const struct vmcs_image *img,
			const struct vmx_caps *caps, vmcs_report_fn report,
			void *ctx)
{
	struct checker c = { img, caps, report, ctx, 0 };

	require(&c, !img->overflow, "more fields than the image holds");
	check_controls(&c);
	check_host(&c);
	check_guest(&c);
	return c.violations;
}
