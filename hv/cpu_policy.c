// SPDX-License-Identifier: GPL-2.0
/*
 * CPU policies, as Xen 4.17 keeps them (xen/arch/x86/cpu-policy.c and
 * xen/lib/x86/): read from the CPU at load, narrowed for HVM guests,
 * serialised for the toolstack in Xen's order and audited when it sets
 * a domain's.
 *
 * Raw is the CPU's answer and host the same (kxen takes nothing from the
 * guests' view for itself). The HVM maximum is the host's narrowed to the
 * features Xen marks for HAP guests in <xen/arch-x86/cpufeatureset.h>
 * (scripts/gen-cpuid-masks), with Xen's emulated APIC and x2APIC and the
 * hypervisor bit added, and without nested virtualisation, the
 * ARCH_CAPABILITIES MSR, thermal/power, DCA and PMU leaves, which kxen
 * does not offer, and with only the XSAVE state components dom0's XCR0
 * holds. The HVM default is the maximum narrowed to the
 * features Xen enables by default. Dom0's is what hv/cpuid.c shows it.
 * Xen's dependency pruning (a feature going with the one it needs) is
 * not repeated.
 */
#include <hv/cpu_policy.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/page_pool.h>
#include <hv/string.h>
#include <hv/x86.h>
#include <hv/xen.h>
#include <kxen-gen/cpuid-masks.h>
#include <xen/arch-x86/cpufeatureset.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>

#define MSR_INTEL_PLATFORM_INFO	0x000000ce
#define MSR_ARCH_CAPABILITIES	0x0000010a
#define NO_SUBLEAF		XEN_CPUID_NO_SUBLEAF
#define EXTD_BASE		0x80000000

enum { EAX, EBX, ECX, EDX };

/* feature_word() knows Xen 4.17's 19 words. */
_Static_assert(FEATURESET_NR_ENTRIES == 19, "featureset words");

/* An XSAVE area's legacy region and header: its size with x87 and SSE. */
#define XSAVE_LEGACY_BYTES	576

static struct cpu_policy policies[NR_SYSTEM_POLICIES];
/* Dom0's XCR0 at load, the most of it a guest may enable. */
static u64 host_xcr0;
static const u32 hvm_max_featureset[] = HVM_MAX_FEATURESET;
static const u32 hvm_default_featureset[] = HVM_DEFAULT_FEATURESET;

/* Where featureset word WORD lives (cpufeatureset.h's word comments). */
static u32 *feature_word(struct cpu_policy *p, unsigned int word)
{
	switch (word) {
	case 0: return &p->basic[1].r[EDX];
	case 1: return &p->basic[1].r[ECX];
	case 2: return &p->extd[1].r[EDX];
	case 3: return &p->extd[1].r[ECX];
	case 4: return &p->xstate[1].r[EAX];
	case 5: return &p->feat[0].r[EBX];
	case 6: return &p->feat[0].r[ECX];
	case 7: return &p->extd[7].r[EDX];
	case 8: return &p->extd[8].r[EBX];
	case 9: return &p->feat[0].r[EDX];
	case 10: return &p->feat[1].r[EAX];
	case 11: return &p->extd[0x21].r[EAX];
	case 12: return &p->feat[1].r[EBX];
	case 13: return &p->feat[2].r[EDX];
	case 14: return &p->feat[1].r[ECX];
	case 15: return &p->feat[1].r[EDX];
	case 16: return (u32 *)&p->arch_caps;		/* x86: low half */
	case 17: return (u32 *)&p->arch_caps + 1;
	default: return &p->extd[0x21].r[ECX];		/* 18 */
	}
}

u32 policy_featureset_word(const struct cpu_policy *p, unsigned int word)
{
	if (word >= FEATURESET_NR_ENTRIES)
		return 0;
	return *feature_word((struct cpu_policy *)p, word);
}

bool policy_has(const struct cpu_policy *p, unsigned int feature)
{
	return policy_featureset_word(p, feature / 32) >> (feature % 32) & 1;
}

static void set_feature(struct cpu_policy *p, unsigned int feature, bool on)
{
	u32 *word = feature_word(p, feature / 32), bit = 1u << (feature % 32);

	*word = on ? *word | bit : *word & ~bit;
}

u64 policy_xcr0(const struct cpu_policy *p)
{
	return (u64)p->xstate[0].r[EDX] << 32 | p->xstate[0].r[EAX];
}

/* The XCR0 and XSS components together. */
static u64 policy_xstates(const struct cpu_policy *p)
{
	return policy_xcr0(p) |
	       ((u64)p->xstate[1].r[EDX] << 32 | p->xstate[1].r[ECX]);
}

static u32 min_u32(u32 a, u32 b)
{
	return a < b ? a : b;
}

/*
 * Calls VISIT on each leaf of P that Xen serialises, in its order
 * (x86_cpuid_copy_to_buffer()): the basic leaves here, the extended ones
 * in walk_extd_leaves(). VISIT may fill the slot first: which leaves and
 * subleaves follow is read from what it then holds. Stops at an error.
 */
typedef long (*leaf_visitor)(void *ctx, u32 leaf, u32 subleaf,
			     struct cpuid_regs *slot);

static long walk_basic_leaves(struct cpu_policy *p, leaf_visitor visit,
			      void *ctx)
{
	long ret = visit(ctx, 0, NO_SUBLEAF, &p->basic[0]);
	u32 leaf, sub;
	u64 xstates;

	for (leaf = 1; !ret && leaf <= min_u32(p->basic[0].r[EAX],
					       POLICY_NR_BASIC - 1); leaf++) {
		switch (leaf) {
		case 0x4:
			for (sub = 0; !ret && sub < POLICY_NR_CACHE; sub++) {
				ret = visit(ctx, leaf, sub, &p->cache[sub]);
				if (!(p->cache[sub].r[EAX] & 0x1f))
					break;
			}
			break;
		case 0x7:
			for (sub = 0; !ret && sub <= min_u32(p->feat[0].r[EAX],
							     POLICY_NR_FEAT - 1);
			     sub++)
				ret = visit(ctx, leaf, sub, &p->feat[sub]);
			break;
		case 0xb:
			for (sub = 0; !ret && sub < POLICY_NR_TOPO; sub++) {
				ret = visit(ctx, leaf, sub, &p->topo[sub]);
				if (!(p->topo[sub].r[ECX] >> 8 & 0xff))
					break;
			}
			break;
		case 0xd:
			ret = visit(ctx, leaf, 0, &p->xstate[0]);
			if (!ret)
				ret = visit(ctx, leaf, 1, &p->xstate[1]);
			xstates = policy_xstates(p) >> 2;
			for (sub = 2; !ret && xstates && sub < POLICY_NR_XSTATE;
			     xstates >>= 1, sub++)
				ret = visit(ctx, leaf, sub, &p->xstate[sub]);
			break;
		default:
			ret = visit(ctx, leaf, NO_SUBLEAF, &p->basic[leaf]);
			break;
		}
	}
	return ret;
}

static long walk_extd_leaves(struct cpu_policy *p, leaf_visitor visit,
			     void *ctx)
{
	long ret = visit(ctx, EXTD_BASE, NO_SUBLEAF, &p->extd[0]);
	u32 leaf;

	for (leaf = 1; !ret && leaf <= min_u32(p->extd[0].r[EAX] & 0xffff,
					       POLICY_NR_EXTD - 1); leaf++)
		ret = visit(ctx, EXTD_BASE | leaf, NO_SUBLEAF, &p->extd[leaf]);
	return ret;
}

/* Fills SLOT from the CPU. */
static long read_native(void *ctx, u32 leaf, u32 subleaf,
			struct cpuid_regs *slot)
{
	(void)ctx;
	cpuid_count(leaf, subleaf == NO_SUBLEAF ? 0 : subleaf, slot->r);
	/* A CPU without extended leaves answers leaf 0x80000000 otherwise. */
	if (leaf == EXTD_BASE && slot->r[EAX] >> 16 != EXTD_BASE >> 16)
		slot->r[EAX] = 0;
	return 0;
}

/* Xen's x86_cpu_policy_fill_native(), within the bounds above. */
static void fill_native(struct cpu_policy *p)
{
	walk_basic_leaves(p, read_native, NULL);
	walk_extd_leaves(p, read_native, NULL);
	if (policy_has(p, XEN_X86_FEATURE_ARCH_CAPS))
		p->arch_caps = rdmsr(MSR_ARCH_CAPABILITIES);
}

/* Leaf 0's, leaf 7's and leaf 0x80000000's maxima, within the bounds. */
static void clamp_max_leaves(struct cpu_policy *p)
{
	p->basic[0].r[EAX] = min_u32(p->basic[0].r[EAX], POLICY_NR_BASIC - 1);
	p->feat[0].r[EAX] = min_u32(p->feat[0].r[EAX], POLICY_NR_FEAT - 1);
	if (p->extd[0].r[EAX])
		p->extd[0].r[EAX] = min_u32(p->extd[0].r[EAX],
					    EXTD_BASE + POLICY_NR_EXTD - 1);
}

static void mask_features(struct cpu_policy *p, const u32 *featureset)
{
	unsigned int i;

	for (i = 0; i < FEATURESET_NR_ENTRIES; i++)
		*feature_word(p, i) &= featureset[i];
}

/* The features whose registers live in XSAVE state components. */
static const struct xstate_user {
	u64 components;		/* all of them are needed */
	unsigned int feature;
} xstate_users[] = {
	{ XCR0_X87 | XCR0_SSE, XEN_X86_FEATURE_XSAVE },
	{ XCR0_AVX, XEN_X86_FEATURE_AVX },
	{ XCR0_AVX, XEN_X86_FEATURE_FMA },
	{ XCR0_AVX, XEN_X86_FEATURE_F16C },
	{ XCR0_AVX, XEN_X86_FEATURE_AVX2 },
	{ XCR0_AVX, XEN_X86_FEATURE_FMA4 },
	{ XCR0_AVX, XEN_X86_FEATURE_XOP },
	{ XCR0_AVX, XEN_X86_FEATURE_VAES },
	{ XCR0_AVX, XEN_X86_FEATURE_VPCLMULQDQ },
	{ XCR0_AVX, XEN_X86_FEATURE_AVX_VNNI },
	{ XCR0_MPX, XEN_X86_FEATURE_MPX },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512F },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512DQ },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512_IFMA },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512PF },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512ER },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512CD },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512BW },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512VL },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512_VBMI },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512_VBMI2 },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512_VNNI },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512_BITALG },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512_VPOPCNTDQ },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512_4VNNIW },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512_4FMAPS },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512_VP2INTERSECT },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512_FP16 },
	{ XCR0_AVX512, XEN_X86_FEATURE_AVX512_BF16 },
	{ XCR0_PKRU, XEN_X86_FEATURE_PKU },
};

/*
 * Xen's recalculate_xstate(), bounded by what kxen switches: a guest may
 * have only the components in dom0's XCR0, which Linux chose at boot
 * (it leaves out those whose CPUID sizes it finds inconsistent), so the
 * features using others go. Leaf 0xd is then made anew from the
 * features left and the CPU's sizes, and none of the supervisor
 * components (XSS), as on Xen. What varies with the vCPU's XCR0 (the
 * sizes in subleaves 0 and 1, EBX) is read when the guest asks.
 */
static void cut_xstates(struct cpu_policy *p)
{
	const struct cpu_policy *raw = &policies[POLICY_RAW];
	u32 size = XSAVE_LEGACY_BYTES, da1 = p->xstate[1].r[EAX];
	u64 xcr0 = 0, comps;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xstate_users); i++) {
		comps = xstate_users[i].components;
		if ((host_xcr0 & comps) != comps)
			set_feature(p, xstate_users[i].feature, false);
		else if (policy_has(p, xstate_users[i].feature))
			xcr0 |= comps;
	}
	memset(p->xstate, 0, sizeof(p->xstate));
	if (!policy_has(p, XEN_X86_FEATURE_XSAVE))
		return;
	for (i = 2; i < POLICY_NR_XSTATE; i++) {
		if (!(xcr0 >> i & 1))
			continue;
		p->xstate[i] = raw->xstate[i];
		if (raw->xstate[i].r[EAX] + raw->xstate[i].r[EBX] > size)
			size = raw->xstate[i].r[EAX] + raw->xstate[i].r[EBX];
	}
	p->xstate[0].r[EAX] = xcr0;
	p->xstate[0].r[EDX] = xcr0 >> 32;
	p->xstate[0].r[ECX] = size;
	p->xstate[1].r[EAX] = da1;
}

static void hvm_max(struct cpu_policy *p)
{
	clamp_max_leaves(p);
	mask_features(p, hvm_max_featureset);
	cut_xstates(p);
	set_feature(p, XEN_X86_FEATURE_APIC, true);
	set_feature(p, XEN_X86_FEATURE_X2APIC, true);
	set_feature(p, XEN_X86_FEATURE_HYPERVISOR, true);
	set_feature(p, XEN_X86_FEATURE_VMX, false);
	set_feature(p, XEN_X86_FEATURE_SVM, false);
	set_feature(p, XEN_X86_FEATURE_ARCH_CAPS, false);
	p->arch_caps = 0;
	p->platform_info = 0;		/* no CPUID faulting */
	p->basic[1].r[EBX] &= 0x00ffffff;	/* the APIC ID is per vCPU */
	if (!policy_has(p, XEN_X86_FEATURE_MONITOR))
		p->basic[5] = (struct cpuid_regs){ 0 };
	p->basic[6] = p->basic[9] = p->basic[0xa] = (struct cpuid_regs){ 0 };
	p->extd[0xa] = (struct cpuid_regs){ 0 };	/* SVM */
}

void cpu_policy_init(void)
{
	struct cpu_policy *raw = &policies[POLICY_RAW];
	struct cpu_policy *dom0 = &policies[POLICY_DOM0];

	fill_native(raw);
	host_xcr0 = read_cr4() & CR4_OSXSAVE ? xgetbv(0) : 0;
	policies[POLICY_HOST] = *raw;
	policies[POLICY_HVM_MAX] = *raw;
	hvm_max(&policies[POLICY_HVM_MAX]);
	policies[POLICY_HVM_DEFAULT] = policies[POLICY_HVM_MAX];
	mask_features(&policies[POLICY_HVM_DEFAULT], hvm_default_featureset);
	cut_xstates(&policies[POLICY_HVM_DEFAULT]);
	/* As hv/cpuid.c answers dom0. */
	*dom0 = *raw;
	set_feature(dom0, XEN_X86_FEATURE_VMX, false);
	set_feature(dom0, XEN_X86_FEATURE_SVM, false);
	set_feature(dom0, XEN_X86_FEATURE_HYPERVISOR, true);
	dom0->extd[0xa] = (struct cpuid_regs){ 0 };
}

const struct cpu_policy *system_cpu_policy(unsigned int i)
{
	if (i >= NR_SYSTEM_POLICIES || i == POLICY_PV_MAX ||
	    i == POLICY_PV_DEFAULT)
		return NULL;
	return &policies[i];
}

/* Writes leaves or MSRs to the caller's array, as Xen's copy_*_to_buffer. */
struct array_writer {
	struct hv_cpu *cpu;
	u64 at;
	u32 nr, max;
};

static long put_entry(struct array_writer *w, const void *entry, u32 size)
{
	if (w->nr == w->max)
		return -XEN_ENOBUFS;
	if (copy_to_guest(w->cpu, w->at + (u64)w->nr * size, entry, size))
		return -XEN_EFAULT;
	w->nr++;
	return 0;
}

static long put_leaf(void *writer, u32 leaf, u32 subleaf,
		     struct cpuid_regs *l)
{
	xen_cpuid_leaf_t e = {
		.leaf = leaf, .subleaf = subleaf,
		.a = l->r[EAX], .b = l->r[EBX], .c = l->r[ECX], .d = l->r[EDX],
	};

	return put_entry(writer, &e, sizeof(e));
}

/* Xen's x86_cpuid_copy_to_buffer(): the same leaves in the same order. */
static long leaves_to_guest(struct array_writer *w, const struct cpu_policy *p)
{
	/* The walk only reads P: put_leaf() does not write the slots. */
	struct cpu_policy *walked = (struct cpu_policy *)p;
	long ret = walk_basic_leaves(walked, put_leaf, w);

	if (!ret)
		ret = put_leaf(w, 0x40000000, NO_SUBLEAF,
			       &(struct cpuid_regs){ { p->hv_limit } });
	if (!ret)
		ret = put_leaf(w, 0x40000100, NO_SUBLEAF,
			       &(struct cpuid_regs){ { p->hv2_limit } });
	return ret ? ret : walk_extd_leaves(walked, put_leaf, w);
}

static long msrs_to_guest(struct array_writer *w, const struct cpu_policy *p)
{
	xen_msr_entry_t info = {
		.idx = MSR_INTEL_PLATFORM_INFO, .val = p->platform_info,
	};
	xen_msr_entry_t caps = {
		.idx = MSR_ARCH_CAPABILITIES, .val = p->arch_caps,
	};
	long ret = put_entry(w, &info, sizeof(info));

	return ret ? ret : put_entry(w, &caps, sizeof(caps));
}

/*
 * The leaves, then the MSRs: a NULL array asks how many there can be,
 * else *NR_LEAVES and *NR_MSRS say the room and come back as the count.
 */
static long policy_to_guest(struct hv_cpu *cpu, const struct cpu_policy *p,
			    u64 leaves, u32 *nr_leaves, u64 msrs, u32 *nr_msrs)
{
	struct array_writer w = { .cpu = cpu, .at = leaves, .max = *nr_leaves };
	long ret = 0;

	if (!leaves) {
		*nr_leaves = POLICY_MAX_LEAVES;
	} else {
		ret = leaves_to_guest(&w, p);
		if (ret)
			return ret;
		*nr_leaves = w.nr;
	}
	if (!msrs) {
		*nr_msrs = POLICY_MAX_MSRS;
		return 0;
	}
	w = (struct array_writer){ .cpu = cpu, .at = msrs, .max = *nr_msrs };
	ret = msrs_to_guest(&w, p);
	if (!ret)
		*nr_msrs = w.nr;
	return ret;
}

long cpu_policy_to_guest(struct hv_cpu *cpu, const struct cpu_policy *p,
			 struct xen_domctl_cpu_policy *out)
{
	return policy_to_guest(cpu, p, (u64)out->leaves.p, &out->nr_leaves,
			       (u64)out->msrs.p, &out->nr_msrs);
}

long sysctl_cpu_policy(struct hv_cpu *cpu, struct xen_sysctl *op)
{
	struct xen_sysctl_cpu_policy *cp = &op->u.cpu_policy;
	const struct cpu_policy *p;

	if (cp->_rsvd || cp->index > XEN_SYSCTL_cpu_policy_hvm_default)
		return -XEN_EINVAL;
	p = system_cpu_policy(cp->index);
	if (!p)
		return -XEN_EOPNOTSUPP;		/* PV, as Xen without it */
	return policy_to_guest(cpu, p, (u64)cp->leaves.p, &cp->nr_leaves,
			       (u64)cp->msrs.p, &cp->nr_msrs);
}

long sysctl_cpu_featureset(struct hv_cpu *cpu, struct xen_sysctl *op)
{
	struct xen_sysctl_cpu_featureset *fs = &op->u.cpu_featureset;
	static const u8 policy_of[] = {
		[XEN_SYSCTL_cpu_featureset_raw] = POLICY_RAW,
		[XEN_SYSCTL_cpu_featureset_host] = POLICY_HOST,
		[XEN_SYSCTL_cpu_featureset_pv] = POLICY_PV_DEFAULT,
		[XEN_SYSCTL_cpu_featureset_hvm] = POLICY_HVM_DEFAULT,
		[XEN_SYSCTL_cpu_featureset_pv_max] = POLICY_PV_MAX,
		[XEN_SYSCTL_cpu_featureset_hvm_max] = POLICY_HVM_MAX,
	};
	u32 words[FEATURESET_NR_ENTRIES], nr, i;
	const struct cpu_policy *p = NULL;

	if (!fs->features.p) {
		fs->nr_features = FEATURESET_NR_ENTRIES;
		return 0;
	}
	if (fs->index < ARRAY_SIZE(policy_of))
		p = system_cpu_policy(policy_of[fs->index]);
	if (!p)
		return -XEN_EINVAL;
	nr = min_u32(fs->nr_features, FEATURESET_NR_ENTRIES);
	for (i = 0; i < nr; i++)
		words[i] = policy_featureset_word(p, i);
	if (copy_to_guest(cpu, (u64)fs->features.p, words, nr * sizeof(u32)))
		return -XEN_EFAULT;
	fs->nr_features = nr;
	/* Xen says how many it wrote even when there were more. */
	return nr < FEATURESET_NR_ENTRIES ? -XEN_ENOBUFS : 0;
}

/* Entry SUB of an array of N subleaves, or NULL past it. */
static struct cpuid_regs *subleaf_of(struct cpuid_regs *leaves, u32 n,
				     u32 sub)
{
	return sub < n ? &leaves[sub] : NULL;
}

/* Where leaf E goes in P, or NULL outside it (Xen's ranges). */
static struct cpuid_regs *slot_of(struct cpu_policy *p,
				  const xen_cpuid_leaf_t *e)
{
	switch (e->leaf) {
	case 0x4:
		return subleaf_of(p->cache, POLICY_NR_CACHE, e->subleaf);
	case 0x7:
		return subleaf_of(p->feat, POLICY_NR_FEAT, e->subleaf);
	case 0xb:
		return subleaf_of(p->topo, POLICY_NR_TOPO, e->subleaf);
	case 0xd:
		return subleaf_of(p->xstate, POLICY_NR_XSTATE, e->subleaf);
	}
	if (e->subleaf != NO_SUBLEAF)
		return NULL;
	if (e->leaf < POLICY_NR_BASIC)
		return &p->basic[e->leaf];
	return subleaf_of(p->extd, POLICY_NR_EXTD, e->leaf - EXTD_BASE);
}

void policy_cpuid(const struct cpu_policy *p, u32 leaf, u32 subleaf,
		  u32 r[4])
{
	xen_cpuid_leaf_t e = { .leaf = leaf, .subleaf = NO_SUBLEAF };
	const struct cpuid_regs *slot;
	bool in_range = leaf < EXTD_BASE ? leaf <= p->basic[0].r[0] :
			leaf <= p->extd[0].r[0];

	if (leaf == 0x4 || leaf == 0x7 || leaf == 0xb || leaf == 0xd)
		e.subleaf = subleaf;
	/* slot_of() only finds the slot; the policy is not changed. */
	slot = in_range ? slot_of((struct cpu_policy *)p, &e) : NULL;
	memset(r, 0, 4 * sizeof(u32));
	if (slot)
		memcpy(r, slot->r, sizeof(slot->r));
}

/* Xen's x86_cpuid_copy_from_buffer() for one leaf: 0 or -XEN_ERANGE. */
static long take_leaf(struct cpu_policy *p, const xen_cpuid_leaf_t *e)
{
	struct cpuid_regs *to;

	if (e->subleaf == NO_SUBLEAF && e->leaf == 0x40000000) {
		p->hv_limit = e->a;
		return 0;
	}
	if (e->subleaf == NO_SUBLEAF && e->leaf == 0x40000100) {
		p->hv2_limit = e->a;
		return 0;
	}
	to = slot_of(p, e);
	if (!to)
		return -XEN_ERANGE;
	*to = (struct cpuid_regs){ { e->a, e->b, e->c, e->d } };
	return 0;
}

/* Xen's x86_msr_copy_from_buffer() for one MSR. */
static long take_msr(struct cpu_policy *p, const xen_msr_entry_t *e)
{
	if (e->flags)
		return -XEN_EINVAL;
	switch (e->idx) {
	case MSR_INTEL_PLATFORM_INFO:
		if (e->val != (u32)e->val)
			return -XEN_EOVERFLOW;
		p->platform_info = e->val;
		return 0;
	case MSR_ARCH_CAPABILITIES:
		p->arch_caps = e->val;
		return 0;
	default:
		return -XEN_ERANGE;
	}
}

static long read_policy(struct hv_cpu *cpu, struct cpu_policy *p,
			struct xen_domctl_cpu_policy *in)
{
	xen_cpuid_leaf_t leaf;
	xen_msr_entry_t msr;
	long ret;
	u32 i;

	if (in->nr_leaves > POLICY_MAX_LEAVES || in->nr_msrs > POLICY_MAX_MSRS)
		return -XEN_E2BIG;
	for (i = 0; i < in->nr_leaves; i++) {
		if (copy_from_guest(cpu, &leaf, (u64)in->leaves.p +
				    i * sizeof(leaf), sizeof(leaf)))
			return -XEN_EFAULT;
		ret = take_leaf(p, &leaf);
		if (ret) {
			in->err_leaf = leaf.leaf;
			in->err_subleaf = leaf.subleaf;
			return ret;
		}
	}
	for (i = 0; i < in->nr_msrs; i++) {
		if (copy_from_guest(cpu, &msr, (u64)in->msrs.p + i * sizeof(msr),
				    sizeof(msr)))
			return -XEN_EFAULT;
		ret = take_msr(p, &msr);
		if (ret) {
			in->err_msr = msr.idx;
			return ret;
		}
	}
	return 0;
}

/* Xen's x86_cpu_policies_are_compatible() against the HVM maximum. */
static long compatible(const struct cpu_policy *p,
		       struct xen_domctl_cpu_policy *in)
{
	const struct cpu_policy *max = &policies[POLICY_HVM_MAX];

	if (p->basic[0].r[EAX] > max->basic[0].r[EAX]) {
		in->err_leaf = 0;
		in->err_subleaf = NO_SUBLEAF;
	} else if (p->feat[0].r[EAX] > max->feat[0].r[EAX]) {
		in->err_leaf = 7;
		in->err_subleaf = 0;
	} else if (p->extd[0].r[EAX] > max->extd[0].r[EAX]) {
		in->err_leaf = EXTD_BASE;
		in->err_subleaf = NO_SUBLEAF;
	} else if (p->platform_info & ~max->platform_info) {
		in->err_msr = MSR_INTEL_PLATFORM_INFO;
	} else {
		return 0;
	}
	return -XEN_EINVAL;
}

long cpu_policy_from_guest(struct hv_cpu *cpu, struct cpu_policy *p,
			   struct xen_domctl_cpu_policy *in)
{
	struct cpu_policy *new = page_alloc(&hv_pool);
	u32 max_words[FEATURESET_NR_ENTRIES], i;
	long ret;

	in->err_leaf = in->err_subleaf = in->err_msr = ~0u;
	if (!new)
		return -XEN_ENOMEM;
	*new = *p;
	ret = read_policy(cpu, new, in);
	if (!ret)
		ret = compatible(new, in);
	if (!ret) {
		/* Xen's recalculate_cpuid_policy(): nothing beyond the max. */
		for (i = 0; i < FEATURESET_NR_ENTRIES; i++)
			max_words[i] = policy_featureset_word(
				&policies[POLICY_HVM_MAX], i);
		mask_features(new, max_words);
		cut_xstates(new);
		*p = *new;
	}
	page_free(&hv_pool, new);
	return ret;
}
