// SPDX-License-Identifier: GPL-2.0
/*
 * CPU policies through Debian's libxenctrl and libxenguest, with kxen
 * loaded: the featuresets and their size as libxenguest knows it, the
 * system policies deserialised by libxenguest's own code, a domain's
 * policy, xc_cpuid_apply_policy() as libxl calls it for a PVH guest,
 * features beyond the maximum dropped, and each refusal with its errno
 * and the leaf or MSR it names.
 */
#include <cpuid.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>
#include <xenguest.h>
#include <xen/arch-x86/cpufeatureset.h>
#include "fails_with.h"
#include "ktap.h"
#include "xen_guest.h"

#define MAX_LEAVES	120	/* Xen 4.17's CPUID_MAX_SERIALISED_LEAVES */
#define NO_SUBLEAF	XEN_CPUID_NO_SUBLEAF
#define HTT		(1u << 28)	/* leaf 1 EDX */
#define VMX		(1u << 5)	/* leaf 1 ECX */

static xc_interface *xch;
static xen_cpuid_leaf_t leaves[MAX_LEAVES + 1];
static uint32_t nr_leaves;

static bool has(const uint32_t *fs, unsigned int feature)
{
	return fs[feature / 32] >> (feature % 32) & 1;
}

static void test_featuresets(void)
{
	uint32_t host[32] = { 0 }, max[32] = { 0 }, def[32] = { 0 };
	uint32_t nr = 32, n_max = 32, n_def = 32, two = 2, i;
	unsigned int eax, ebx, ecx, edx;
	bool subset = true;
	int ret;

	ret = xc_get_cpu_featureset(xch, XEN_SYSCTL_cpu_featureset_host, &nr,
				    host);
	__cpuid(1, eax, ebx, ecx, edx);
	ktap_test_result(!ret && nr == xc_get_cpu_featureset_size() &&
			 host[0] == edx,
			 "host featureset: %u words, as many as libxenguest knows; leaf 1 EDX as read",
			 nr);
	ret = xc_get_cpu_featureset(xch, XEN_SYSCTL_cpu_featureset_host, &two,
				    host);
	ktap_test_result(ret == -1 && errno == ENOBUFS && two == 2 &&
			 host[0] == edx,
			 "a 2-word buffer gets 2 words and ENOBUFS");
	ret = xc_get_cpu_featureset(xch, XEN_SYSCTL_cpu_featureset_hvm_max,
				    &n_max, max) ||
	      xc_get_cpu_featureset(xch, XEN_SYSCTL_cpu_featureset_hvm, &n_def,
				    def);
	for (i = 0; i < n_def; i++)
		subset = subset && !(def[i] & ~max[i]);
	ktap_test_result(!ret && subset &&
			 has(max, XEN_X86_FEATURE_X2APIC) &&
			 has(max, XEN_X86_FEATURE_HYPERVISOR) &&
			 !has(max, XEN_X86_FEATURE_VMX) &&
			 !has(max, XEN_X86_FEATURE_SVM) &&
			 has(def, XEN_X86_FEATURE_LM),
			 "HVM: default within max; x2APIC and the hypervisor bit, no nested virtualisation");
	ktap_test_result(fails_with(xc_get_cpu_featureset(xch,
				XEN_SYSCTL_cpu_featureset_pv, &nr, host),
				    EINVAL) &&
			 fails_with(xc_get_cpu_featureset(xch, 6, &nr, host),
				    EINVAL),
			 "PV featuresets (kxen has no PV) and index 6: EINVAL");
}

static bool leaf_of(uint32_t leaf, uint32_t subleaf, xen_cpuid_leaf_t *out)
{
	uint32_t i;

	for (i = 0; i < nr_leaves; i++)
		if (leaves[i].leaf == leaf && leaves[i].subleaf == subleaf) {
			*out = leaves[i];
			return true;
		}
	return false;
}

/* A policy serialised the way libxenguest reads it back. */
static bool serialised(xc_cpu_policy_t *p)
{
	uint32_t nr_msrs = 0;

	nr_leaves = MAX_LEAVES;
	return !xc_cpu_policy_serialise(xch, p, leaves, &nr_leaves, NULL,
					&nr_msrs);
}

static void test_system_policies(void)
{
	xc_cpu_policy_t *p = xc_cpu_policy_init();
	uint32_t nl = 0, nm = 0;
	xen_cpuid_leaf_t l0 = { 0 }, hv;
	bool ok;

	ok = !xc_cpu_policy_get_size(xch, &nl, &nm);
	ktap_test_result(ok && nl == MAX_LEAVES && nm == 2,
			 "policy size: %u leaves and %u MSRs, Xen 4.17's", nl, nm);
	ok = !xc_cpu_policy_get_system(xch, XEN_SYSCTL_cpu_policy_hvm_max, p) &&
	     serialised(p) && leaf_of(0, NO_SUBLEAF, &l0) &&
	     leaf_of(0x40000000, NO_SUBLEAF, &hv);
	ktap_test_result(ok && l0.a <= 0xd && nr_leaves > 10,
			 "HVM max: libxenguest deserialises its %u leaves; max basic leaf %#x",
			 nr_leaves, l0.a);
	ok = !xc_cpu_policy_get_system(xch, XEN_SYSCTL_cpu_policy_raw, p) &&
	     !xc_cpu_policy_get_system(xch, XEN_SYSCTL_cpu_policy_host, p) &&
	     !xc_cpu_policy_get_system(xch, XEN_SYSCTL_cpu_policy_hvm_default,
				       p);
	ktap_test_result(ok && fails_with(xc_cpu_policy_get_system(xch,
				XEN_SYSCTL_cpu_policy_pv_max, p), EOPNOTSUPP) &&
			 fails_with(xc_cpu_policy_get_system(xch, 6, p), EINVAL),
			 "raw, host, HVM default read; PV: EOPNOTSUPP; index 6: EINVAL");
	xc_cpu_policy_destroy(p);
}

static uint64_t dom0_xcr0(void)
{
	uint32_t lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

/*
 * The HVM policies' XSAVE leaf offers only components dom0's XCR0 has,
 * which kxen switches, and a feature keeping registers in one only
 * with it: what lets a guest enable all that CPUID offers.
 */
static void test_xsave_policies(void)
{
	static const unsigned int policies[] = {
		XEN_SYSCTL_cpu_policy_hvm_max,
		XEN_SYSCTL_cpu_policy_hvm_default,
	};
	xc_cpu_policy_t *p = xc_cpu_policy_init();
	unsigned int eax, ebx, ecx, edx, i;
	uint32_t fs[32] = { 0 }, nr = 32;
	uint64_t xcr0 = 0, offered = 0;
	xen_cpuid_leaf_t x = { 0 };
	bool ok = true;

	__cpuid(1, eax, ebx, ecx, edx);
	if (!(ecx & bit_OSXSAVE)) {
		ktap_test_skip("HVM policies' leaf 0xd: dom0 has no XSAVE");
		xc_cpu_policy_destroy(p);
		return;
	}
	xcr0 = dom0_xcr0();
	for (i = 0; i < 2; i++) {
		ok = ok && !xc_cpu_policy_get_system(xch, policies[i], p) &&
		     serialised(p) && leaf_of(0xd, 0, &x) &&
		     !xc_get_cpu_featureset(xch, i ? XEN_SYSCTL_cpu_featureset_hvm :
					    XEN_SYSCTL_cpu_featureset_hvm_max,
					    &nr, fs);
		offered = (uint64_t)x.d << 32 | x.a;
		ok = ok && !(offered & ~xcr0) && (offered & 3) == 3 &&
		     has(fs, XEN_X86_FEATURE_AVX) == !!(offered & 4) &&
		     (!has(fs, XEN_X86_FEATURE_AVX512F) ||
		      (offered & 0xe0) == 0xe0) &&
		     (!has(fs, XEN_X86_FEATURE_PKU) || offered & 0x200);
	}
	ktap_test_result(ok,
			 "HVM max and default: leaf 0xd offers %#llx of dom0's XCR0 %#llx, with the features using it",
			 (unsigned long long)offered, (unsigned long long)xcr0);
	xc_cpu_policy_destroy(p);
}

/* The domain's policy, serialised: its leaf LEAF/SUBLEAF in *OUT. */
static bool domain_leaf(uint32_t domid, uint32_t leaf, uint32_t subleaf,
			xen_cpuid_leaf_t *out)
{
	xc_cpu_policy_t *p = xc_cpu_policy_init();
	bool ok = p && !xc_cpu_policy_get_domain(xch, domid, p) &&
		  serialised(p) && leaf_of(leaf, subleaf, out);

	xc_cpu_policy_destroy(p);
	return ok;
}

static bool same_as_default(uint32_t domid)
{
	static xen_cpuid_leaf_t def[MAX_LEAVES + 1];
	xc_cpu_policy_t *p = xc_cpu_policy_init();
	uint32_t nr_def;
	bool ok;

	ok = p && !xc_cpu_policy_get_system(xch,
					    XEN_SYSCTL_cpu_policy_hvm_default,
					    p) && serialised(p);
	memcpy(def, leaves, sizeof(def));
	nr_def = nr_leaves;
	ok = ok && !xc_cpu_policy_get_domain(xch, domid, p) && serialised(p) &&
	     nr_leaves == nr_def && !memcmp(def, leaves, nr_def * sizeof(*def));
	xc_cpu_policy_destroy(p);
	return ok;
}

/* Sets the domain's policy to the leaves read last, with CHANGE made. */
static int set_changed(uint32_t domid, xen_cpuid_leaf_t change,
		       xen_msr_entry_t *msr, uint32_t *err_leaf,
		       uint32_t *err_subleaf, uint32_t *err_msr)
{
	xen_cpuid_leaf_t l;
	uint32_t i;

	domain_leaf(domid, 0, NO_SUBLEAF, &l);
	for (i = 0; i < nr_leaves; i++)
		if (leaves[i].leaf == change.leaf &&
		    leaves[i].subleaf == change.subleaf)
			break;
	leaves[i] = change;
	return xc_set_domain_cpu_policy(xch, domid, i == nr_leaves ?
					nr_leaves + 1 : nr_leaves, leaves,
					msr ? 1 : 0, msr, err_leaf, err_subleaf,
					err_msr);
}

static void test_domain_policy(uint32_t domid)
{
	uint32_t el = 0, es = 0, em = 0;
	xen_cpuid_leaf_t l1 = { 0 }, before = { 0 };
	unsigned int lppp;
	xen_msr_entry_t bad_msr = { .idx = 0x123 };
	bool ok;

	ok = same_as_default(domid) &&
	     domain_leaf(domid, 1, NO_SUBLEAF, &before);
	ktap_test_result(ok, "a new domain has the HVM default policy, leaf for leaf");
	lppp = before.b >> 16 & 0xff;
	lppp = !lppp ? 2 : lppp & 0x80 ? lppp : 2 * lppp;
	ok = !xc_cpuid_apply_policy(xch, domid, false, NULL, 0, true, false,
				    false, NULL, NULL) &&
	     domain_leaf(domid, 1, NO_SUBLEAF, &l1);
	ktap_test_result(ok && (l1.d & HTT) && (l1.b >> 16 & 0xff) == lppp,
			 "xc_cpuid_apply_policy() as libxl calls it: HTT on, %u logical CPUs a package",
			 lppp);
	l1.c |= VMX;
	ok = !set_changed(domid, l1, NULL, &el, &es, &em) &&
	     domain_leaf(domid, 1, NO_SUBLEAF, &l1);
	ktap_test_result(ok && !(l1.c & VMX),
			 "a feature beyond the maximum (VMX) is dropped, as Xen does");

	ok = fails_with(set_changed(domid, (xen_cpuid_leaf_t){ .leaf = 0x20, .subleaf = NO_SUBLEAF },
				    NULL, &el, &es, &em), ERANGE) &&
	     el == 0x20 && es == NO_SUBLEAF;
	ok = ok && fails_with(set_changed(domid, (xen_cpuid_leaf_t){ .leaf = 7, .subleaf = 5 },
					  NULL, &el, &es, &em), ERANGE) &&
	     el == 7 && es == 5;
	ktap_test_result(ok, "a leaf outside the policy: ERANGE, naming it");
	ok = fails_with(set_changed(domid,
				    (xen_cpuid_leaf_t){ .subleaf = NO_SUBLEAF, .a = 0xd + 1 },
				    NULL, &el, &es, &em), EINVAL) &&
	     el == 0 && es == NO_SUBLEAF;
	ktap_test_result(ok, "more basic leaves than the maximum: EINVAL, naming leaf 0");
	ok = fails_with(set_changed(domid, before, &bad_msr, &el, &es, &em),
			ERANGE) && em == 0x123;
	bad_msr = (xen_msr_entry_t){ .idx = 0xce, .flags = 1 };
	ok = ok && fails_with(set_changed(domid, before, &bad_msr, &el, &es,
					  &em), EINVAL) && em == 0xce;
	bad_msr = (xen_msr_entry_t){ .idx = 0xce, .val = 1ull << 32 };
	ok = ok && fails_with(set_changed(domid, before, &bad_msr, &el, &es,
					  &em), EOVERFLOW);
	ktap_test_result(ok, "MSRs: unknown ERANGE, flags EINVAL, too wide EOVERFLOW");
	ok = fails_with(xc_set_domain_cpu_policy(xch, domid, MAX_LEAVES + 1,
						 leaves, 0, NULL, &el, &es,
						 &em), E2BIG);
	ktap_test_result(ok, "more leaves than a policy holds: E2BIG");
	ok = !xc_domain_unpause(xch, domid) &&
	     fails_with(set_changed(domid, before, NULL, &el, &es, &em),
			EEXIST) &&
	     fails_with(set_changed(0, before, NULL, &el, &es, &em), EINVAL);
	ktap_test_result(ok, "once unpaused: EEXIST; dom0, the caller: EINVAL");
}

int main(void)
{
	struct xen_domctl_createdomain cfg = pvh_config(1);
	uint32_t domid = 0;

	xch = xc_interface_open(NULL, NULL, 0);
	ktap_print_header(16);
	if (!xch || xc_domain_create(xch, &domid, &cfg) ||
	    xc_domain_max_vcpus(xch, domid, 1)) {
		ktap_test_result(0, "libxenctrl opens and makes a domain");
		return ktap_finished();
	}
	test_featuresets();
	test_system_policies();
	test_xsave_policies();
	test_domain_policy(domid);
	xc_domain_destroy(xch, domid);
	xc_interface_close(xch);
	return ktap_finished();
}
