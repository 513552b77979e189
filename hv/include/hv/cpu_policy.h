/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU policies as Xen's toolstack exchanges them: the CPUID leaves and
 * MSRs a domain sees, serialised as xen_cpuid_leaf_t and xen_msr_entry_t
 * arrays (XEN_SYSCTL_get_cpu_policy, XEN_DOMCTL_get/set_cpu_policy) and
 * summarised as featuresets (XEN_SYSCTL_get_cpu_featureset).
 */
#ifndef HV_CPU_POLICY_H
#define HV_CPU_POLICY_H

#include <kxen/types.h>

/*
 * What a policy holds, as Xen 4.17 bounds it (xen/lib/x86/cpu-policy.h):
 * libxenguest refuses a leaf outside these, so they are Xen's.
 */
#define POLICY_NR_BASIC		(0xd + 1)
#define POLICY_NR_CACHE		(5 + 1)		/* leaf 4 */
#define POLICY_NR_FEAT		(2 + 1)		/* leaf 7 */
#define POLICY_NR_TOPO		(1 + 1)		/* leaf 0xb */
#define POLICY_NR_XSTATE	(62 + 1)	/* leaf 0xd */
#define POLICY_NR_EXTD		(0x21 + 1)
#define POLICY_MAX_LEAVES	(POLICY_NR_BASIC + POLICY_NR_CACHE - 1 + \
				 POLICY_NR_FEAT - 1 + POLICY_NR_TOPO - 1 + \
				 POLICY_NR_XSTATE - 1 + POLICY_NR_EXTD + 2)
#define POLICY_MAX_MSRS		2

/* A leaf as EAX, EBX, ECX, EDX. */
struct cpuid_regs {
	u32 r[4];
};

struct cpu_policy {
	struct cpuid_regs basic[POLICY_NR_BASIC];	/* leaf 0 EAX: max */
	struct cpuid_regs cache[POLICY_NR_CACHE];
	struct cpuid_regs feat[POLICY_NR_FEAT];		/* 7:0 EAX: max */
	struct cpuid_regs topo[POLICY_NR_TOPO];
	struct cpuid_regs xstate[POLICY_NR_XSTATE];
	struct cpuid_regs extd[POLICY_NR_EXTD];		/* 0x80000000 EAX */
	u32 hv_limit, hv2_limit;	/* Xen's and Viridian's leaves */
	u32 platform_info;		/* MSR_INTEL_PLATFORM_INFO */
	u64 arch_caps;			/* MSR_ARCH_CAPABILITIES */
};

/* The system's policies, XEN_SYSCTL_cpu_policy_* indexed. */
enum system_policy {
	POLICY_RAW,
	POLICY_HOST,
	POLICY_PV_MAX,
	POLICY_HVM_MAX,
	POLICY_PV_DEFAULT,
	POLICY_HVM_DEFAULT,
	POLICY_DOM0,		/* kxen's own: what dom0 sees */
	NR_SYSTEM_POLICIES
};

struct hv_cpu;
struct xen_sysctl;
struct xen_domctl_cpu_policy;

/* Reads the CPU and works out the system's policies. */
void cpu_policy_init(void);
/* System policy I, or NULL where kxen has none (PV). */
const struct cpu_policy *system_cpu_policy(unsigned int i);

/* P's Xen featureset word N (0 past the last), and its FEATURE bit. */
u32 policy_featureset_word(const struct cpu_policy *p, unsigned int word);
bool policy_has(const struct cpu_policy *p, unsigned int feature);
/* The XCR0 components P offers (CPUID 0xd:0 EDX:EAX). */
u64 policy_xcr0(const struct cpu_policy *p);
/*
 * What CPUID LEAF/SUBLEAF returns under P: zeros outside its leaves,
 * as in Xen. The values that depend on the vCPU are the caller's.
 */
void policy_cpuid(const struct cpu_policy *p, u32 leaf, u32 subleaf,
		  u32 r[4]);

/* XEN_SYSCTL_get_cpu_featureset and XEN_SYSCTL_get_cpu_policy. */
long sysctl_cpu_featureset(struct hv_cpu *cpu, struct xen_sysctl *op);
long sysctl_cpu_policy(struct hv_cpu *cpu, struct xen_sysctl *op);

/* Serialise P into the caller's arrays, as Xen's x86_*_copy_to_buffer(). */
long cpu_policy_to_guest(struct hv_cpu *cpu, const struct cpu_policy *p,
			 struct xen_domctl_cpu_policy *out);
/*
 * XEN_DOMCTL_set_cpu_policy: read the caller's leaves and MSRs over a
 * copy of *P, check them against the HVM maximum and, if they pass,
 * keep them in *P with features beyond the maximum cleared (as Xen's
 * recalculate_cpuid_policy()). Errors name the leaf or MSR in *IN.
 */
long cpu_policy_from_guest(struct hv_cpu *cpu, struct cpu_policy *p,
			   struct xen_domctl_cpu_policy *in);

#endif /* HV_CPU_POLICY_H */
