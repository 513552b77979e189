// SPDX-License-Identifier: GPL-2.0
/*
 * The domain list and domctl through Debian's libxenctrl, with kxen
 * loaded and dom0 the only domain: what dom0's record says against
 * what Linux knows, Xen 4.17's lookup rules (getdomaininfo answers with
 * the next domain), the operations dom0 allows on itself, and Xen's
 * errors for everything else.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xencall.h>
#include <xenctrl.h>
#include "file_scan.h"
#include "ktap.h"

/* A raw domctl CMD on DOMID with interface VERSION; -errno or 0. */
static int raw_domctl(xencall_handle *xcall, struct xen_domctl *op,
		      uint32_t cmd, uint32_t domid, uint32_t version)
{
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->domain = domid;
	op->interface_version = version;
	return xencall1(xcall, __HYPERVISOR_domctl, (unsigned long)op) ? -errno : 0;
}

static void test_dom0_record(xc_interface *xch)
{
	xc_domaininfo_t list[4], again;
	xc_physinfo_t pi = { 0 };
	unsigned long long pool_mb = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	int n = xc_domain_getinfolist(xch, 0, 4, list);
	/* As in Xen, an unset shutdown code (~0) shows in the flags. */
	uint32_t want = XEN_DOMINF_hvm_guest | XEN_DOMINF_hap |
			XEN_DOMINF_running | ~0u << XEN_DOMINF_shutdownshift;

	xc_physinfo(xch, &pi);
	file_scan("/sys/module/kxen/parameters/pool_mb", "%llu", &pool_mb);
	ktap_test_result(n == 1 && list[0].domain == 0,
			 "getdomaininfolist: dom0 alone (%d domains)", n);
	ktap_test_result(list[0].flags == want &&
			 list[0].nr_online_vcpus == cpus &&
			 list[0].max_vcpu_id == cpus - 1 &&
			 list[0].cpupool == 0,
			 "dom0: HVM with HAP, running, one vCPU per CPU (flags %#x, %u vCPUs, last %u, pool %u)",
			 list[0].flags, list[0].nr_online_vcpus,
			 list[0].max_vcpu_id, list[0].cpupool);
	ktap_test_result(list[0].tot_pages == pi.total_pages - pool_mb * 256 &&
			 list[0].max_pages == list[0].tot_pages,
			 "dom0: all RAM but the pool (%llu pages)",
			 (unsigned long long)list[0].tot_pages);
	nanosleep(&pause, NULL);
	ktap_test_result(xc_domain_getinfolist(xch, 0, 1, &again) == 1 &&
			 again.cpu_time > list[0].cpu_time,
			 "dom0: its CPU time grows");
	ktap_test_result(xc_domain_getinfolist(xch, 1, 4, list) == 0 &&
			 xc_domain_getinfolist(xch, 0, 0, list) == 0,
			 "getdomaininfolist: none from domain 1 on, none when asked for none");
}

static void test_libxenctrl_ops(xc_interface *xch)
{
	xen_domain_handle_t handle = { 0xde, 0xad, 0xbe, 0xef }, zero = { 0 };
	xc_dominfo_t info[2];
	xc_domaininfo_t rec;
	uint64_t max_kb;
	bool ok;

	ok = xc_domain_getinfo(xch, 0, 2, info) == 1 && info[0].domid == 0 &&
	     info[0].hvm && info[0].running && !info[0].paused &&
	     xc_domain_getinfo(xch, 1, 1, info) == -1 && errno == ESRCH;
	ktap_test_result(ok, "getdomaininfo walks to the next domain; after dom0 there is none (ESRCH)");
	ok = !xc_domain_sethandle(xch, 0, handle) &&
	     xc_domain_getinfolist(xch, 0, 1, &rec) == 1 &&
	     !memcmp(rec.handle, handle, sizeof(handle)) &&
	     !xc_domain_sethandle(xch, 0, zero);
	ktap_test_result(ok, "setdomainhandle: dom0's handle reads back");
	ok = xc_domain_getinfolist(xch, 0, 1, &rec) == 1;
	max_kb = rec.max_pages * 4;
	ok = ok && !xc_domain_setmaxmem(xch, 0, 1 << 20) &&
	     xc_domain_getinfolist(xch, 0, 1, &rec) == 1 &&
	     rec.max_pages == 1 << 18 && !xc_domain_setmaxmem(xch, 0, max_kb);
	ktap_test_result(ok, "max_mem: dom0's limit reads back in pages");
	ok = xc_domain_pause(xch, 0) == -1 && errno == EINVAL &&
	     xc_domain_unpause(xch, 0) == -1 && errno == EINVAL &&
	     xc_domain_pause(xch, 7) == -1 && errno == ESRCH;
	ktap_test_result(ok, "pause: not dom0 itself (EINVAL), not a missing domain (ESRCH)");
}

static void test_errors(void)
{
	xencall_handle *xcall = xencall_open(NULL, 0);
	struct xen_domctl *op = xcall ? xencall_alloc_buffer(xcall, sizeof(*op)) : NULL;
	uint32_t v = XEN_DOMCTL_INTERFACE_VERSION;

	if (!op) {
		ktap_test_skip("domctl errors: no hypercall buffer");
		return;
	}
	ktap_test_result(raw_domctl(xcall, op, XEN_DOMCTL_getdomaininfo, 0,
				    v - 1) == -EACCES,
			 "another interface version is EACCES");
	ktap_test_result(raw_domctl(xcall, op, XEN_DOMCTL_getdomaininfo,
				    DOMID_FIRST_RESERVED, v) == -EINVAL &&
			 raw_domctl(xcall, op, XEN_DOMCTL_getdomaininfo, 5, v) ==
			 -ESRCH,
			 "getdomaininfo: a reserved id is EINVAL, none at or after it ESRCH");
	ktap_test_result(raw_domctl(xcall, op, 1000, 0, v) == -ENOSYS &&
			 raw_domctl(xcall, op, 1000, 9, v) == -ESRCH,
			 "an unknown command is ENOSYS, on a missing domain ESRCH");
	ktap_test_result(xencall1(xcall, __HYPERVISOR_domctl, 8) == -1 &&
			 errno == EFAULT,
			 "an unmapped argument is EFAULT");
	xencall_free_buffer(xcall, op);
	xencall_close(xcall);
}

int main(void)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);

	ktap_print_header(13);
	if (!xch) {
		ktap_test_result(0, "libxenctrl opens");
		return ktap_finished();
	}
	test_dom0_record(xch);
	test_libxenctrl_ops(xch);
	test_errors();
	xc_interface_close(xch);
	return ktap_finished();
}
