// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's pool growing by dom0's donations, through Debian's
 * libxenctrl, with kxen loaded with its default pool (32 MiB, growing
 * to half of RAM): physinfo's free memory counts what the pool may
 * still grow by; a populate, a claim and a paging pool bigger than the
 * pool's free memory succeed; the donated chunks go back once the
 * domain is destroyed; a 2 MiB extent grows the pool when no whole
 * chunk is free; and a populate beyond what dom0 may give stops part
 * way with dom0 unharmed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <xenctrl.h>
#include "file_scan.h"
#include "ktap.h"
#include "xen_guest.h"

#define POOL_FILE	"/sys/kernel/kxen/hv/pool"
#define PAGES_2M	512
#define ORDER_2M	9

static xc_interface *xch;

static unsigned long long chunks_donated(void)
{
	unsigned long long n = ~0ull;

	file_scan(POOL_FILE, "pages %*u free %*u donated %llu", &n);
	return n;
}

static unsigned long long pool_pages(void)
{
	unsigned long long n = 0;

	file_scan(POOL_FILE, "pages %llu", &n);
	return n;
}

/* The pool's own free pages, not counting what dom0 may donate. */
static unsigned long long pool_free(void)
{
	unsigned long long n = 0;

	file_scan(POOL_FILE, "pages %*u free %llu", &n);
	return n;
}

/*
 * Physinfo's free memory is the pool's free pages and what the pool may
 * still grow by: WHEN names the moment.
 */
static void check_physinfo_free(const char *when)
{
	unsigned long long pages = 0, free = 0, donated = 0, max = 0;
	unsigned long phys = free_pages(xch);

	file_scan(POOL_FILE, "pages %llu free %llu donated %llu max %llu",
		  &pages, &free, &donated, &max);
	ktap_test_result(max > pages && phys == free + max - pages,
			 "physinfo %s: free %lu pages, the pool's %llu free and %llu more it may take in",
			 when, phys, free, max - pages);
}

/* N extents of 2 MiB from guest frame 0 on: how many were made. */
static long populate_2m(uint32_t domid, unsigned long n)
{
	xen_pfn_t *gfns = calloc(n, sizeof(*gfns));
	unsigned long i;
	long done;

	if (!gfns)
		return -1;
	for (i = 0; i < n; i++)
		gfns[i] = i * PAGES_2M;
	done = xc_domain_populate_physmap(xch, domid, n, ORDER_2M, 0, gfns);
	free(gfns);
	return done;
}

/* Within 5 s, no donated chunk is left and the pool is as at load. */
static bool given_back(unsigned long long load_pages)
{
	int tries;

	for (tries = 0; tries < 50; tries++) {
		if (!chunks_donated() && pool_pages() == load_pages)
			return true;
		usleep(100000);
	}
	ktap_diag("donated %llu, %llu pages, %llu at load", chunks_donated(),
		  pool_pages(), load_pages);
	return false;
}

static void test_grow_and_give_back(void)
{
	unsigned long long load_pages = pool_pages();
	unsigned long was_free = pool_free(), n = was_free / PAGES_2M + 8;
	uint32_t domid = new_pvh_domain(xch, n * 2048 + (256 << 10));
	long done;

	ktap_test_result(domid && chunks_donated() == 0,
			 "a domain, and the pool as at load (%llu pages, %lu free)",
			 load_pages, was_free);
	check_physinfo_free("at load");
	done = populate_2m(domid, n);
	ktap_test_result(done == (long)n && chunks_donated() > 0 &&
			 xc_get_tot_pages(xch, domid) == (long)(n * PAGES_2M),
			 "populate: %lu MiB, %lu MiB more than the pool had free, all done (%ld extents, %llu chunks donated)",
			 n * 2, n * 2 - was_free / 256, done, chunks_donated());
	check_physinfo_free("grown");
	was_free = pool_free();
	ktap_test_result(!xc_domain_claim_pages(xch, domid,
						n * PAGES_2M + was_free + 4096),
			 "claim: 16 MiB more than the pool has free is granted");
	ktap_test_result(!xc_set_paging_mempool_size(xch, domid,
						     (was_free + 4096) * 4096ull),
			 "paging pool: 16 MiB more than the pool has free is granted");
	ktap_test_result(!xc_domain_destroy(xch, domid) &&
			 given_back(load_pages),
			 "destroyed: the donated chunks go back, the pool is as at load");
}

/*
 * With the pool's free pages scattered, none in a whole chunk, a 2 MiB
 * extent grows the pool rather than being made of single pages: the
 * guest keeps its large pages.
 */
static void test_large_extent_grows(void)
{
	unsigned long long load_pages = pool_pages(), was_free = pool_free();
	unsigned long n = was_free - 200, half = n / 2, i;
	uint32_t domid = new_pvh_domain(xch, (n + 2048) * 4);
	xen_pfn_t *gfns = calloc(n, sizeof(*gfns)), big = (n + 1023) & ~511ul;
	bool ok = domid && gfns;

	for (i = 0; ok && i < n; i++)
		gfns[i] = i;
	ok = ok && !xc_domain_populate_physmap_exact(xch, domid, n, 0, 0, gfns);
	for (i = 0; ok && i < half; i++)
		gfns[i] = 2 * i + 1;
	ok = ok && !xc_domain_decrease_reservation_exact(xch, domid, half, 0,
							 gfns);
	ktap_test_result(ok && chunks_donated() == 0 && pool_free() > half,
			 "%lu single pages taken, every other one given back: %llu pages free, scattered",
			 n, pool_free());
	ok = ok && xc_domain_populate_physmap(xch, domid, 1, ORDER_2M, 0,
					      &big) == 1;
	ktap_test_result(ok && chunks_donated() > 0,
			 "a 2 MiB extent then grows the pool (%llu chunks donated) rather than take single pages",
			 chunks_donated());
	ktap_test_result(domid && !xc_domain_destroy(xch, domid) &&
			 given_back(load_pages),
			 "destroyed: all goes back");
	free(gfns);
}

/*
 * Beyond half of RAM dom0 gives nothing: the populate stops part way,
 * as on Xen with no more free memory, and the memory comes back.
 */
static void test_limit(void)
{
	unsigned long long load_pages = pool_pages();
	long ram_mb = sysconf(_SC_PHYS_PAGES) / 256;
	unsigned long n = ram_mb / 2 / 2 + 16;
	uint32_t domid = new_pvh_domain(xch, n * 2048);
	long done = domid ? populate_2m(domid, n) : -1;

	ktap_test_result(done > 0 && done < (long)n,
			 "populate: %lu MiB, more than half of RAM, stops part way (%ld of %lu extents)",
			 n * 2, done, n);
	ktap_test_result(domid && !xc_domain_destroy(xch, domid) &&
			 given_back(load_pages),
			 "destroyed: all goes back");
}

int main(void)
{
	ktap_print_header(12);
	xch = xc_interface_open(NULL, NULL, 0);
	if (!xch) {
		ktap_test_result(0, "xc_interface_open");
		return ktap_finished();
	}
	test_grow_and_give_back();
	test_large_extent_grows();
	test_limit();
	xc_interface_close(xch);
	return ktap_finished();
}
