// SPDX-License-Identifier: GPL-2.0
/*
 * HVM parameters and memory maps that dom0 sets for a guest, through
 * Debian's libxenctrl, with kxen loaded: Xen 4.17's rules for each
 * parameter (values it refuses, parameters set once, deprecated ones,
 * the VM86 TSS encoding), dom0's own parameters, and set_memory_map's
 * limits. What a guest sees of both is checked inside the hypercalls
 * test guest.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <xenctrl.h>
#include <xen/hvm/params.h>
#include <xen/sched.h>
#include "fails_with.h"
#include "ktap.h"
#include "xen_guest.h"

#define TESTS		16
/* A domain that cannot exist: below DOMID_FIRST_RESERVED, never made. */
#define NO_SUCH_DOMAIN	32000

static xc_interface *xch;

static bool param_is(uint32_t domid, int index, uint64_t want)
{
	uint64_t v = ~want;

	if (xc_hvm_param_get(xch, domid, index, &v)) {
		ktap_diag("param %d: %s", index, strerror(errno));
		return false;
	}
	if (v != want)
		ktap_diag("param %d is %#llx, want %#llx", index,
			  (unsigned long long)v, (unsigned long long)want);
	return v == want;
}

static bool set_fails(uint32_t domid, int index, uint64_t value, int err)
{
	return fails_with(xc_hvm_param_set(xch, domid, index, value), err);
}

static void test_params(uint32_t domid)
{
	ktap_test_result(!xc_hvm_param_set(xch, domid, HVM_PARAM_STORE_PFN,
					   0xfeffc) &&
			 param_is(domid, HVM_PARAM_STORE_PFN, 0xfeffc),
			 "a parameter set by dom0 reads back");
	ktap_test_result(param_is(domid, HVM_PARAM_TRIPLE_FAULT_REASON,
				  SHUTDOWN_reboot) &&
			 !xc_hvm_param_set(xch, domid,
					   HVM_PARAM_TRIPLE_FAULT_REASON,
					   SHUTDOWN_MAX) &&
			 set_fails(domid, HVM_PARAM_TRIPLE_FAULT_REASON,
				   SHUTDOWN_MAX + 1, EINVAL),
			 "the triple-fault action is reboot, up to SHUTDOWN_MAX");
	ktap_test_result(!xc_hvm_param_set(xch, domid, HVM_PARAM_IOREQ_PFN, 5) &&
			 set_fails(domid, HVM_PARAM_IOREQ_PFN, 6, EEXIST) &&
			 !xc_hvm_param_set(xch, domid, HVM_PARAM_IOREQ_PFN, 5),
			 "a set-once parameter refuses a new value with EEXIST");
	ktap_test_result(set_fails(domid, HVM_PARAM_TIMER_MODE, 4, EINVAL) &&
			 !xc_hvm_param_set(xch, domid, HVM_PARAM_TIMER_MODE,
					   HVMPTM_one_missed_tick_pending),
			 "the timer mode takes Xen's four modes");
	ktap_test_result(!xc_hvm_param_set(xch, domid, HVM_PARAM_VM86_TSS,
					   0x1000) &&
			 param_is(domid, HVM_PARAM_VM86_TSS, 0x1000) &&
			 param_is(domid, HVM_PARAM_VM86_TSS_SIZED,
				  0x1000 | 128ull << 32) &&
			 set_fails(domid, HVM_PARAM_VM86_TSS_SIZED,
				   0x1000 | 50ull << 32, EINVAL),
			 "the VM86 TSS: an old-style base gets 128 bytes, fewer than a TSS is EINVAL");
	ktap_test_result(set_fails(domid, HVM_PARAM_DM_DOMAIN, DOMID_SELF,
				   EINVAL) &&
			 set_fails(domid, HVM_PARAM_BUFIOREQ_EVTCHN, 1, EINVAL),
			 "deprecated parameters are EINVAL");
	ktap_test_result(set_fails(domid, HVM_NR_PARAMS, 0, EINVAL) &&
			 set_fails(NO_SUCH_DOMAIN, HVM_PARAM_STORE_PFN, 0,
				   ESRCH),
			 "an index past the last is EINVAL, no domain ESRCH");
	ktap_test_result(set_fails(domid, HVM_PARAM_NR_IOREQ_SERVER_PAGES, 0,
				   EINVAL) &&
			 set_fails(domid, HVM_PARAM_NR_IOREQ_SERVER_PAGES, 65,
				   EINVAL) &&
			 set_fails(domid, HVM_PARAM_X87_FIP_WIDTH, 2, EINVAL) &&
			 set_fails(domid, HVM_PARAM_ALTP2M, XEN_ALTP2M_limited + 1,
				   EINVAL) &&
			 set_fails(domid, HVM_PARAM_VIRIDIAN, 1u << 31, EINVAL),
			 "values out of each parameter's range are EINVAL");
	ktap_test_result(set_fails(domid, HVM_PARAM_ACPI_IOPORTS_LOCATION, 1,
				   ENODEV) &&
			 set_fails(domid, HVM_PARAM_ACPI_S_STATE, 3,
				   EOPNOTSUPP) &&
			 set_fails(domid, HVM_PARAM_VIRIDIAN, HVMPV_base_freq,
				   EOPNOTSUPP),
			 "what kxen lacks (PM timer, S3, Viridian) is refused");
}

static void test_dom0_params(void)
{
	uint64_t v;

	ktap_test_result(!xc_hvm_param_get(xch, DOMID_SELF,
					   HVM_PARAM_STORE_PFN, &v),
			 "dom0 reads its own parameters");
	ktap_test_result(set_fails(DOMID_SELF, HVM_PARAM_TIMER_MODE, 0, EPERM) &&
			 set_fails(0, HVM_PARAM_TRIPLE_FAULT_REASON, 0, EPERM),
			 "the toolstack's parameters of dom0 are not dom0's to set");
}

static void test_memory_map(uint32_t domid)
{
	static struct e820entry map[1025];
	unsigned long before;
	unsigned int i;

	for (i = 0; i < 1025; i++)
		map[i] = (struct e820entry){ (uint64_t)i << 20, 1 << 20,
					     E820_RAM };
	ktap_test_result(fails_with(xc_domain_set_memory_map(xch, domid, map,
							      1025), EINVAL),
			 "a memory map of 1025 entries is EINVAL");
	ktap_test_result(fails_with(xc_domain_set_memory_map(xch,
							      NO_SUCH_DOMAIN,
							      map, 2), ESRCH),
			 "a memory map for no domain is ESRCH");
	before = free_pages(xch);
	ktap_test_result(!xc_domain_set_memory_map(xch, domid, map, 1024) &&
			 free_pages(xch) == before - 5,
			 "1024 entries take five pages of the pool");
	ktap_test_result(!xc_domain_set_memory_map(xch, domid, map, 1) &&
			 free_pages(xch) == before - 1,
			 "a new map replaces the old one");
}

int main(void)
{
	struct xen_domctl_createdomain cfg = pvh_config(1);
	unsigned long free_before;
	uint32_t domid = 0;

	xch = xc_interface_open(NULL, NULL, 0);
	ktap_print_header(TESTS);
	if (!xch) {
		ktap_test_result(0, "libxenctrl opens");
		return ktap_finished();
	}
	free_before = free_pages(xch);
	if (xc_domain_create(xch, &domid, &cfg)) {
		ktap_test_result(0, "a guest is created: %s", strerror(errno));
		return ktap_finished();
	}
	test_params(domid);
	test_dom0_params();
	test_memory_map(domid);
	ktap_test_result(!xc_domain_destroy(xch, domid) &&
			 free_pages(xch) == free_before,
			 "destroyed, the guest's map goes back to the pool");
	xc_interface_close(xch);
	return ktap_finished();
}
