// SPDX-License-Identifier: GPL-2.0
/*
 * A guest's memory through Debian's libxenctrl, with kxen loaded:
 * populate_physmap in 4 KiB, 2 MiB and 1 GiB extents, decrease_reservation,
 * the reservation queries, the limits that stop a call part way (max_mem,
 * a populated page, a hole, a bad list, the pool running out), calls long
 * enough to need continuations, claims (claim_pages, as xl makes them
 * before it builds a guest), and free memory back on destroy.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xencall.h>
#include <xenctrl.h>
#include "fails_with.h"
#include "file_scan.h"
#include "ktap.h"
#include "xen_guest.h"

#define PAGES_2M	512
#define ORDER_2M	9
#define ORDER_1G	18
#define MANY		3000	/* 4 KiB extents: several continuations */

static xc_interface *xch;
static xencall_handle *xcall;

static long tot_pages(uint32_t domid)
{
	return xc_get_tot_pages(xch, domid);
}

/* memory_op OP with a copy of ARG (SIZE bytes) in a hypercall buffer. */
static long raw_memory_op(unsigned int op, const void *arg, size_t size)
{
	void *buf = xencall_alloc_buffer(xcall, size);
	long ret;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, arg, size);
	ret = xencall2(xcall, __HYPERVISOR_memory_op, op, (unsigned long)buf);
	xencall_free_buffer(xcall, buf);
	return ret < 0 ? -errno : ret;
}

/* A reservation query (current, maximum, maximum_gpfn) made raw. */
static long query(unsigned int op, uint32_t domid)
{
	domid_t arg = domid;

	return raw_memory_op(op, &arg, sizeof(arg));
}

/* populate_physmap with an extent list at LIST, which may be bad. */
static long raw_populate(uint32_t domid, unsigned long list)
{
	struct xen_memory_reservation r = { .nr_extents = 1, .domid = domid };

	r.extent_start.p = (xen_pfn_t *)list;
	return raw_memory_op(XENMEM_populate_physmap, &r, sizeof(r));
}

/* claim_pages with the fields libxenctrl always leaves zero set. */
static long raw_claim(uint32_t domid, unsigned long list, unsigned int order,
		      unsigned int flags)
{
	struct xen_memory_reservation r = {
		.nr_extents = 1024,
		.extent_order = order,
		.mem_flags = flags,
		.domid = domid,
	};

	r.extent_start.p = (xen_pfn_t *)list;
	return raw_memory_op(XENMEM_claim_pages, &r, sizeof(r));
}

/* Outstanding claims: of one domain, or (DOMID_INVALID) of all. */
static unsigned long outstanding(uint32_t domid)
{
	xc_domaininfo_t info = { 0 };
	xc_physinfo_t pi = { 0 };

	if (domid == DOMID_INVALID)
		return xc_physinfo(xch, &pi) ? ~0ul : pi.outstanding_pages;
	if (xc_domain_getinfolist(xch, domid, 1, &info) != 1 ||
	    info.domain != domid)
		return ~0ul;
	return info.outstanding_pages;
}

/* N frame numbers from FIRST_GFN on, every STRIDE frames. */
static xen_pfn_t *gfn_list(xen_pfn_t first_gfn, unsigned long n,
			   unsigned long stride)
{
	static xen_pfn_t list[MANY];
	unsigned long i;

	for (i = 0; i < n; i++)
		list[i] = first_gfn + i * stride;
	return list;
}

/* N extents of ORDER from FIRST_GFN on, every STRIDE frames. */
static int populate(uint32_t domid, xen_pfn_t first_gfn, unsigned long n,
		    unsigned int order, unsigned long stride)
{
	return xc_domain_populate_physmap(xch, domid, n, order, 0,
					  gfn_list(first_gfn, n, stride));
}

static int decrease(uint32_t domid, xen_pfn_t first_gfn, unsigned long n,
		    unsigned int order, unsigned long stride)
{
	return xc_domain_decrease_reservation(xch, domid, n, order,
					      gfn_list(first_gfn, n, stride));
}

static void test_populate(void)
{
	unsigned long before = free_pages(xch), after;
	uint32_t domid = new_pvh_domain(xch, 64 << 10);
	xen_pfn_t gpfns = 0;
	unsigned long max_mfn = 0;
	bool ok;
	int done;

	if (!domid) {
		ktap_test_result(0, "a domain with 64 MiB of max_mem");
		return;
	}
	done = populate(domid, 0, 8, ORDER_2M, PAGES_2M);
	after = free_pages(xch);
	ktap_test_result(done == 8 && tot_pages(domid) == 8 * PAGES_2M &&
			 before - after >= 8 * PAGES_2M &&
			 before - after <= 8 * PAGES_2M + 16,
			 "populate: 8 extents of 2 MiB come from the pool (%d done, %lu pages gone)",
			 done, before - after);
	done = populate(domid, 0x10000, 16, 0, 3);
	ktap_test_result(done == 16 &&
			 query(XENMEM_current_reservation, domid) ==
			 8 * PAGES_2M + 16 &&
			 query(XENMEM_maximum_reservation, domid) == 16384,
			 "populate: 16 scattered 4 KiB extents; current and maximum reservation agree (%d done)",
			 done);
	ok = !xc_domain_maximum_gpfn(xch, domid, &gpfns);
	ktap_test_result(ok && gpfns == 0x10000 + 15 * 3,
			 "maximum_gpfn: the highest populated frame (%#lx)",
			 (unsigned long)gpfns);
	ktap_test_result(populate(domid, 0x10000 + 3, 2, 0, 1) == 0 &&
			 populate(domid, 0x200, 1, ORDER_2M, 0) == 0 &&
			 tot_pages(domid) == 8 * PAGES_2M + 16,
			 "populate: a frame already populated stops the call (none done)");
	ktap_test_result(populate(domid, 1ul << 40, 1, 0, 0) == 0 &&
			 populate(domid, 0x20000, 1, 19, 0) == 0 &&
			 raw_populate(domid, 8) == 0,
			 "populate: a frame beyond the address width, order 19, a bad list: none done");
	ktap_test_result(populate(domid, 0x20000, 16, 0, 1) == 16 &&
			 decrease(domid, 0x20000, 2, 0, 5) == 2 &&
			 tot_pages(domid) == 8 * PAGES_2M + 30,
			 "decrease_reservation gives back single pages");
	ktap_test_result(decrease(domid, 0x100, 1, 0, 0) == 1 &&
			 decrease(domid, 0x100, 1, 0, 0) == 0 &&
			 populate(domid, 0x100, 1, 0, 0) == 1,
			 "decrease: a page inside a 2 MiB leaf; again it is a hole (none done); it can be repopulated");
	ktap_test_result(decrease(domid, 0, 8, ORDER_2M, PAGES_2M) == 8 &&
			 tot_pages(domid) == 30,
			 "decrease: 2 MiB extents, one of them split before");
	ok = !xc_maximum_ram_page(xch, &max_mfn);
	ktap_test_result(ok && max_mfn > 0 &&
			 query(XENMEM_current_reservation, 4000) == -ESRCH,
			 "maximum_ram_page answers (%#lx); a query on a missing domain is ESRCH",
			 max_mfn);
	ktap_test_result(!xc_domain_destroy(xch, domid) &&
			 free_pages(xch) == before,
			 "destroying the domain gives back its memory and tables");
}

static void test_limits(void)
{
	unsigned long before = free_pages(xch);
	uint32_t domid = new_pvh_domain(xch, 8 << 10);
	xc_physinfo_t pi = { 0 };
	int done;

	done = populate(domid, 0, 5, ORDER_2M, PAGES_2M);
	ktap_test_result(domid && done == 4 && tot_pages(domid) == 4 * PAGES_2M,
			 "populate stops at max_mem (%d of 5 extents of 2 MiB)",
			 done);
	xc_domain_setmaxmem(xch, domid, 4ull << 30);
	xc_physinfo(xch, &pi);
	if (pi.free_pages < (1ul << 18)) {
		done = populate(domid, 1ul << 18, 1, ORDER_1G, 0);
		ktap_test_result(domid && done == 0 &&
				 tot_pages(domid) == 4 * PAGES_2M,
				 "a 1 GiB extent larger than the pool's %lu free pages fails whole",
				 (unsigned long)pi.free_pages);
	} else {
		ktap_test_skip("a 1 GiB extent larger than the pool: the pool is larger");
	}
	done = populate(domid, 0x80000, MANY, 0, 1);
	ktap_test_result(done == MANY && tot_pages(domid) == 4 * PAGES_2M + MANY,
			 "%d extents of 4 KiB in one call, continued as needed (%d done)",
			 MANY, done);
	done = decrease(domid, 0x80000, MANY, 0, 1);
	ktap_test_result(done == MANY && tot_pages(domid) == 4 * PAGES_2M,
			 "and given back in one call (%d done)", done);
	ktap_test_result(populate(0, 0, 1, 0, 0) == 0 &&
			 decrease(0, 0, 1, 0, 0) == 0 &&
			 populate(4000, 0, 1, 0, 0) == 0,
			 "dom0's memory does not change; a missing domain gets nothing");
	xc_domain_destroy(xch, domid);
	ktap_test_result(free_pages(xch) == before, "free memory is back");
}

/*
 * A claim sets pages aside: populates of its domain use it up, other
 * domains cannot take it, and it goes with the domain.
 */
static void test_claims(void)
{
	unsigned long free = free_pages(xch), made, out;
	uint32_t a = new_pvh_domain(xch, free * 4), b = new_pvh_domain(xch, 64 << 10);
	bool ok;
	int done;

	made = free_pages(xch);
	if (!a || !b || made < 2048) {
		ktap_test_result(0, "two domains and a pool of 8 MiB for claims");
		return;
	}
	ok = !xc_domain_claim_pages(xch, a, 4096);
	ktap_test_result(ok && outstanding(a) == 4096 &&
			 outstanding(DOMID_INVALID) == 4096 &&
			 free_pages(xch) == made,
			 "claim: 4096 pages show in getdomaininfo and physinfo, not in free memory");
	ok = fails_with(xc_domain_claim_pages(xch, a, 8192), EINVAL);
	ktap_test_result(ok && outstanding(a) == 4096,
			 "claim: a second claim while one stands is EINVAL");
	done = populate(a, 0, 2, ORDER_2M, PAGES_2M);
	out = outstanding(a);
	ktap_test_result(done == 2 && out == 4096 - 2 * PAGES_2M &&
			 outstanding(DOMID_INVALID) == out,
			 "claim: populating 2 x 2 MiB uses it up (%lu left)", out);
	done = decrease(a, 0, 1, ORDER_2M, 0);
	out = outstanding(a);
	ktap_test_result(done == 1 && out == 4096 - PAGES_2M,
			 "claim: what the domain gives back returns to its claim, as in Xen 4.17 (%lu)",
			 out);

	/* All but 256 of the free pages claimed: b gets only those. */
	out = tot_pages(a) + free_pages(xch) - 256;
	ok = !xc_domain_claim_pages(xch, a, 0) &&
	     !xc_domain_claim_pages(xch, a, out);
	done = populate(b, 0, 1, ORDER_2M, 0);
	ktap_test_result(ok && done == 0 && tot_pages(b) == 0,
			 "claim: another domain cannot take claimed pages (%d of 1 extent of 2 MiB)",
			 done);
	done = populate(b, 0x1000, 16, 0, 1);
	ktap_test_result(done == 16,
			 "claim: it gets what is not claimed (%d of 16 pages)",
			 done);
	done = populate(a, 0, 1, ORDER_2M, 0);
	ktap_test_result(done == 1, "claim: the claiming domain still can");
	ok = !xc_domain_claim_pages(xch, a, 0);
	done = populate(b, 0, 1, ORDER_2M, 0);
	ktap_test_result(ok && outstanding(a) == 0 &&
			 outstanding(DOMID_INVALID) == 0 && done == 1,
			 "claim: cancelled with 0, the pages are free to all");

	ktap_test_result(fails_with(xc_domain_claim_pages(xch, a, tot_pages(a)),
				    EINVAL) &&
			 fails_with(xc_domain_claim_pages(xch, a, free + 1),
				    EINVAL) &&
			 fails_with(xc_domain_claim_pages(xch, 0, 1ul << 40), EINVAL) &&
			 fails_with(xc_domain_claim_pages(xch, 4000, 1024), EINVAL) &&
			 raw_claim(a, 0x1000, 0, 0) == -EINVAL &&
			 raw_claim(a, 0, 1, 0) == -EINVAL &&
			 raw_claim(a, 0, 0, 1) == -EINVAL,
			 "claim: not above what the domain has, above max_mem, for dom0, a missing domain, with a list, an order or flags: EINVAL");
	xc_domain_setmaxmem(xch, b, (free_pages(xch) + 1024) * 4);
	ktap_test_result(fails_with(xc_domain_claim_pages(xch, b, tot_pages(b) +
							   free_pages(xch) + 1),
				    ENOMEM) && outstanding(b) == 0,
			 "claim: more than is free is ENOMEM");
	ok = !xc_domain_claim_pages(xch, b, tot_pages(b) + 1024);
	ok = ok && !xc_domain_destroy(xch, b) && !xc_domain_destroy(xch, a);
	ktap_test_result(ok && outstanding(DOMID_INVALID) == 0 &&
			 free_pages(xch) == free,
			 "claim: destroying the domains drops their claims and frees their memory");
}

static uint64_t pool_bytes(uint32_t domid)
{
	uint64_t size = 0;

	return xc_get_paging_mempool_size(xch, domid, &size) ? ~0ull : size;
}

/*
 * The paging mempool: pages kept for a domain's nested page tables, out
 * of free memory, used by its tables first and given back on destroy.
 */
static void test_paging_pool(void)
{
	unsigned long before = free_pages(xch), made, spare;
	uint32_t domid = new_pvh_domain(xch, 64 << 10);
	uint64_t in_use;
	bool ok;

	made = free_pages(xch);
	ktap_test_result(domid && pool_bytes(domid) == 4096,
			 "pool: a new domain's is its root table, 4 KiB");
	ok = !xc_set_paging_mempool_size(xch, domid, 1 << 20);
	ktap_test_result(ok && pool_bytes(domid) == 1 << 20 &&
			 made - free_pages(xch) == 255,
			 "pool: set to 1 MiB, it takes 255 more pages from free memory");
	made = free_pages(xch);
	ok = populate(domid, 0, 2, ORDER_2M, 1ul << 18) == 2;
	ktap_test_result(ok && made - free_pages(xch) == 2 * PAGES_2M &&
			 pool_bytes(domid) == 1 << 20,
			 "pool: populating 2 x 2 MiB a GiB apart takes its tables from the pool");
	ok = !xc_set_paging_mempool_size(xch, domid, 0);
	in_use = pool_bytes(domid);
	spare = (1 << 20) / 4096 - in_use / 4096;
	ktap_test_result(ok && in_use > 4096 && in_use < 1 << 20 &&
			 free_pages(xch) - made + 2 * PAGES_2M == spare,
			 "pool: set to 0, it frees its %lu spare pages and keeps the %llu KiB of tables in use",
			 spare, (unsigned long long)in_use >> 10);
	ok = !xc_set_paging_mempool_size(xch, domid, 8 << 20);
	ktap_test_result(ok && pool_bytes(domid) == 8 << 20,
			 "pool: 8 MiB (more than one go: a continuation)");
	ok = fails_with(xc_set_paging_mempool_size(xch, domid, 4097), EINVAL) &&
	     fails_with(xc_set_paging_mempool_size(xch, domid, 1ull << 44),
			EINVAL) &&
	     fails_with(xc_set_paging_mempool_size(xch, 0, 1 << 20),
			EOPNOTSUPP) &&
	     xc_get_paging_mempool_size(xch, 0, &in_use) &&
	     errno == EOPNOTSUPP &&
	     fails_with(xc_set_paging_mempool_size(xch, 4000, 1 << 20), ESRCH);
	ktap_test_result(ok && pool_bytes(domid) == 8 << 20,
			 "pool: part of a page or 2^32 pages EINVAL, dom0 EOPNOTSUPP, a missing domain ESRCH");
	ok = fails_with(xc_set_paging_mempool_size(xch, domid,
						   (free_pages(xch) + 4096) *
						   4096ull), ENOMEM);
	ktap_test_result(ok && free_pages(xch) < 1024,
			 "pool: more than is free is ENOMEM, after taking what there was");
	ok = !xc_domain_destroy(xch, domid);
	ktap_test_result(ok && free_pages(xch) == before,
			 "pool: destroy gives it all back");
}

/* This thread's involuntary context switches so far. */
static long long preempted(void)
{
	return file_field("/proc/thread-self/status",
			  "nonvoluntary_ctxt_switches:");
}

/* CLOCK_MONOTONIC in milliseconds. */
static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/*
 * A call that takes many slices (growing a paging pool by 6144 pages
 * goes 1024 at a time) with a busy process on the same CPU: the caller
 * is rescheduled between slices, so the other process runs during the
 * call: about once a slice. Were the slices made back to back in the
 * kernel, the caller could only be preempted in the library's other
 * syscalls and on its way back to user space (1 or 2 times). Only
 * a call lasting many scheduler ticks can show it: bochs makes this one
 * in less than a tick of its virtual time, and the check is skipped.
 */
#define LONG_CALL_MS	40
static void test_long_call_yields(void)
{
	unsigned long before = free_pages(xch);
	uint32_t domid = new_pvh_domain(xch, 64 << 10);
	long long switches;
	double took;
	cpu_set_t cpu0;
	pid_t hog;
	int ret;

	if (before < 6144 + 1024) {
		ktap_test_skip("a long call yields: %lu free pages", before);
		xc_domain_destroy(xch, domid);
		return;
	}
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	sched_setaffinity(0, sizeof(cpu0), &cpu0);
	hog = fork();
	if (hog == 0)
		for (;;)
			;
	switches = preempted();
	took = now_ms();
	ret = xc_set_paging_mempool_size(xch, domid, 6144 * 4096ull);
	took = now_ms() - took;
	switches = preempted() - switches;
	kill(hog, SIGKILL);
	waitpid(hog, NULL, 0);
	if (!ret && took < LONG_CALL_MS)
		ktap_test_skip("a long call yields: it took %.1f ms, too short to tell",
			       took);
	else
		ktap_test_result(!ret && switches >= 4,
				 "a long call (%.0f ms) lets another process on its CPU run between slices (preempted %lld times)",
				 took, switches);
	xc_domain_destroy(xch, domid);
}

/* A 1 GiB extent when the pool can hold one, as dom0 may ask (order 18). */
static void test_1g_extent(void)
{
	unsigned long before = free_pages(xch);
	uint32_t domid;
	int done;

	if (before < (1ul << 18) + 1024) {
		ktap_test_skip("a 1 GiB extent: the pool has %lu free pages",
			       before);
		return;
	}
	domid = new_pvh_domain(xch, 1 << 20);
	done = populate(domid, 1ul << 18, 1, ORDER_1G, 0);
	ktap_test_result(done == 1 && tot_pages(domid) == 1l << 18 &&
			 decrease(domid, 1ul << 18, 1, ORDER_1G, 0) == 1 &&
			 tot_pages(domid) == 0 && !xc_domain_destroy(xch, domid) &&
			 free_pages(xch) == before,
			 "a 1 GiB extent is populated and given back");
}

int main(void)
{
	xch = xc_interface_open(NULL, NULL, 0);
	xcall = xencall_open(NULL, 0);
	ktap_print_header(37);
	if (!xch || !xcall) {
		ktap_test_result(0, "libxenctrl and libxencall open");
		return ktap_finished();
	}
	test_populate();
	test_limits();
	test_claims();
	test_paging_pool();
	test_long_call_yields();
	test_1g_extent();
	xencall_close(xcall);
	xc_interface_close(xch);
	return ktap_finished();
}
