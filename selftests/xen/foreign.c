// SPDX-License-Identifier: GPL-2.0
/*
 * Foreign mappings of a guest's memory through Debian's
 * libxenforeignmemory (privcmd's mmap and MMAPBATCH_V2), with kxen
 * loaded: what a mapping shows and shares, partial success with an error
 * per frame, SIGBUS in the holes, read-only mappings, the refusals (dom0,
 * no such domain, a restricted file, a range mapped already, a private
 * mapping, splitting), no inheritance by a child, MAP_FIXED remapping as
 * QEMU's map cache does, and pages a guest gives up (or a destroyed
 * guest leaves) staying mapped until unmapped, then freed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xenctrl.h>
#include <xenforeignmemory.h>
#include <xen/sys/privcmd.h>
#include "fails_with.h"
#include "ktap.h"
#include "xen_guest.h"

#define PAGE		4096ul
#define FIRST_GFN	0x100
#define NR_RAM		4
#define HOLE_GFN	0x200

static xc_interface *xch;
static xenforeignmemory_handle *fmem;

static uint32_t new_guest(void)
{
	uint32_t domid = new_pvh_domain(xch, 1024);
	xen_pfn_t gfns[NR_RAM];
	unsigned int i;

	for (i = 0; i < NR_RAM; i++)
		gfns[i] = FIRST_GFN + i;
	if (!domid ||
	    xc_domain_populate_physmap_exact(xch, domid, NR_RAM, 0, 0, gfns)) {
		ktap_diag("cannot make a guest with %u pages: %s", NR_RAM,
			  strerror(errno));
		return 0;
	}
	return domid;
}

static sigjmp_buf fault_jmp;

static void on_fault(int sig)
{
	siglongjmp(fault_jmp, sig);
}

/*
 * The signal touching P raises (0 if none); WRITE stores a byte. The
 * accesses are atomic so that the compiler keeps them.
 */
static int touch(char *p, bool write)
{
	struct sigaction sa = { .sa_handler = on_fault }, old_bus, old_segv;
	int sig;

	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	sig = sigsetjmp(fault_jmp, 1);
	if (!sig) {
		if (write)
			__atomic_store_n(p, 1, __ATOMIC_RELAXED);
		else
			__atomic_load_n(p, __ATOMIC_RELAXED);
	}
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	return sig;
}

static void fill(char *p, unsigned int n, char seed)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		memset(p + i * PAGE, seed + i, PAGE);
}

static bool filled(const char *p, unsigned int n, char seed)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < PAGE; j++)
			if (p[i * PAGE + j] != (char)(seed + i)) {
				ktap_diag("page %u byte %u is %#x, want %#x", i, j,
					  p[i * PAGE + j] & 0xff,
					  (seed + i) & 0xff);
				return false;
			}
	return true;
}

static bool all_zero(const int *errs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (errs[i]) {
			ktap_diag("frame %u: error %d", i, errs[i]);
			return false;
		}
	return true;
}

static void test_map_and_share(uint32_t domid)
{
	xen_pfn_t gfns[NR_RAM + 1];
	int errs[NR_RAM + 1];
	char *a, *b;
	unsigned int i;
	bool ok;

	for (i = 0; i < NR_RAM; i++)
		gfns[i] = FIRST_GFN + i;
	a = xenforeignmemory_map(fmem, domid, PROT_READ | PROT_WRITE, NR_RAM,
				 gfns, errs);
	ktap_test_result(a && all_zero(errs, NR_RAM),
			 "a guest's %u pages map read-write", NR_RAM);
	if (!a) {
		ktap_test_result(0, "populated pages read as zeros");
		ktap_test_result(0, "a second mapping shows what the first wrote");
		ktap_test_result(0, "the same frame twice in one batch is one page");
		return;
	}
	ok = true;
	for (i = 0; i < NR_RAM * PAGE; i++)
		ok &= !a[i];
	ktap_test_result(ok, "populated pages read as zeros");
	fill(a, NR_RAM, 'a');
	b = xenforeignmemory_map(fmem, domid, PROT_READ, NR_RAM, gfns, NULL);
	ktap_test_result(b && filled(b, NR_RAM, 'a'),
			 "a second mapping shows what the first wrote");
	if (b)
		xenforeignmemory_unmap(fmem, b, NR_RAM);

	gfns[1] = gfns[0];
	b = xenforeignmemory_map(fmem, domid, PROT_READ | PROT_WRITE, 2, gfns,
				 NULL);
	ok = b && b[0] == 'a' && b[PAGE] == 'a';
	if (b) {
		/* Atomic: the compiler would think b[PAGE] unchanged. */
		__atomic_store_n(b, 'z', __ATOMIC_RELAXED);
		ok = ok && __atomic_load_n(b + PAGE, __ATOMIC_RELAXED) == 'z' &&
		     __atomic_load_n(a, __ATOMIC_RELAXED) == 'z';
		b[0] = 'a';
		xenforeignmemory_unmap(fmem, b, 2);
	}
	ktap_test_result(ok, "the same frame twice in one batch is one page");
	xenforeignmemory_unmap(fmem, a, NR_RAM);
}

static void test_partial(uint32_t domid)
{
	xen_pfn_t gfns[3] = { FIRST_GFN, HOLE_GFN, FIRST_GFN + 1 };
	int errs[3] = { -1, -1, -1 };
	char *p;

	p = xenforeignmemory_map(fmem, domid, PROT_READ, 3, gfns, errs);
	ktap_test_result(p && !errs[0] && errs[1] == -EINVAL && !errs[2],
			 "a hole fails alone (EINVAL), the frames around it map (errors %d %d %d)",
			 errs[0], errs[1], errs[2]);
	ktap_test_result(p && p[0] == 'a' && p[2 * PAGE] == 'b' &&
			 touch(p + PAGE, false) == SIGBUS,
			 "the mapped frames read, the hole raises SIGBUS");
	if (p)
		xenforeignmemory_unmap(fmem, p, 3);
	p = xenforeignmemory_map(fmem, domid, PROT_READ, 3, gfns, NULL);
	ktap_test_result(!p && errno == EINVAL,
			 "without an error array the whole mapping fails (EINVAL)");
}

static void test_refusals(uint32_t domid)
{
	xen_pfn_t gfn = FIRST_GFN;
	int err = 0;
	void *p;

	p = xenforeignmemory_map(fmem, 0, PROT_READ, 1, &gfn, &err);
	ktap_test_result(p && err == -ESRCH, "dom0's own frames: ESRCH");
	if (p)
		xenforeignmemory_unmap(fmem, p, 1);
	p = xenforeignmemory_map(fmem, 0x7fee, PROT_READ, 1, &gfn, &err);
	ktap_test_result(p && err == -ESRCH, "no such domain: ESRCH");
	if (p)
		xenforeignmemory_unmap(fmem, p, 1);
	gfn = ~0ul >> 12;
	p = xenforeignmemory_map(fmem, domid, PROT_READ, 1, &gfn, &err);
	ktap_test_result(p && err == -EINVAL, "a frame beyond the guest's reach: EINVAL");
	if (p)
		xenforeignmemory_unmap(fmem, p, 1);
}

/* MMAPBATCH_V2 made directly on FD over [addr, addr + num pages). */
static int mmapbatch(int fd, uint32_t domid, void *addr, unsigned int num,
		     xen_pfn_t *gfns, int *errs)
{
	struct privcmd_mmapbatch_v2 m = {
		.num = num, .dom = domid, .addr = (unsigned long)addr,
		.arr = gfns, .err = errs,
	};

	return ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m);
}

static void test_raw_ioctl(uint32_t domid)
{
	xen_pfn_t gfns[2] = { FIRST_GFN, FIRST_GFN + 1 };
	int errs[2], fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	domid_t other = domid + 1;
	char *p, *q;

	p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	ktap_test_result(fd >= 0 && p != MAP_FAILED &&
			 touch(p, false) == SIGBUS,
			 "a fresh privcmd mapping is empty: SIGBUS");
	ktap_test_result(!mmapbatch(fd, domid, p + PAGE, 1, gfns, errs) &&
			 !errs[0] && p[PAGE] == 'a',
			 "the second page alone maps");
	ktap_test_result(fails_with(mmapbatch(fd, domid, p, 2, gfns, errs),
				    EINVAL),
			 "a range with a mapped page: EINVAL");
	ktap_test_result(!mmapbatch(fd, domid, p, 1, gfns + 1, errs) &&
			 !errs[0] && p[0] == 'b',
			 "the hole left fills");
	ktap_test_result(fails_with(mmapbatch(fd, domid, p + PAGE, 2, gfns, errs),
				    EINVAL),
			 "a range past the mapping's end: EINVAL");
	ktap_test_result(fails_with(munmap(p + PAGE, PAGE), EINVAL),
			 "unmapping part of it: EINVAL");
	ktap_test_result(fails_with(mmapbatch(fd, domid, errs, 1, gfns, errs),
				    EINVAL),
			 "an address that is no privcmd mapping: EINVAL");
	q = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ktap_test_result(q == MAP_FAILED && errno == EINVAL,
			 "a private mapping of privcmd: EINVAL");
	munmap(p, 2 * PAGE);
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	ktap_test_result(!ioctl(fd, IOCTL_PRIVCMD_RESTRICT, &other) &&
			 fails_with(mmapbatch(fd, domid, p, 1, gfns, errs), EPERM),
			 "a file restricted to another domain: EPERM");
	munmap(p, PAGE);
	close(fd);
}

static void test_read_only_and_fork(uint32_t domid)
{
	xen_pfn_t gfn = FIRST_GFN;
	int status = 0;
	char *p;
	pid_t pid;

	p = xenforeignmemory_map(fmem, domid, PROT_READ, 1, &gfn, NULL);
	ktap_test_result(p && touch(p, true) == SIGSEGV && p[0] == 'a',
			 "a read-only mapping cannot be written");
	pid = p ? fork() : -1;
	if (pid == 0)
		_exit(touch(p, false));
	ktap_test_result(pid > 0 && waitpid(pid, &status, 0) == pid &&
			 WIFEXITED(status) && WEXITSTATUS(status) == SIGSEGV,
			 "a child does not inherit it");
	if (p)
		xenforeignmemory_unmap(fmem, p, 1);
}

/* QEMU's map cache: a new batch mapped over an old one with MAP_FIXED. */
static void test_map_fixed(uint32_t domid)
{
	unsigned long before = free_pages(xch);
	xen_pfn_t gfns[2] = { FIRST_GFN, FIRST_GFN + 1 };
	char *p, *q = NULL;

	p = xenforeignmemory_map(fmem, domid, PROT_READ, 2, gfns, NULL);
	gfns[0] = FIRST_GFN + 3;
	gfns[1] = FIRST_GFN + 2;
	if (p)
		q = xenforeignmemory_map2(fmem, domid, p, PROT_READ, MAP_FIXED,
					  2, gfns, NULL);
	ktap_test_result(p && q == p && p[0] == 'd' && p[PAGE] == 'c',
			 "MAP_FIXED over a mapping shows the new frames");
	if (q)
		xenforeignmemory_unmap(fmem, q, 2);
	ktap_test_result(free_pages(xch) == before,
			 "free memory is unchanged by mapping and unmapping");
}

/* Pages given up while mapped are freed at their unmapping, not before. */
static void test_given_up(uint32_t domid)
{
	xen_pfn_t gfns[NR_RAM], gfn = FIRST_GFN;
	unsigned long before, during;
	unsigned int i;
	char *p, *q;

	for (i = 0; i < NR_RAM; i++)
		gfns[i] = FIRST_GFN + i;
	p = xenforeignmemory_map(fmem, domid, PROT_READ, 1, &gfn, NULL);
	before = free_pages(xch);
	ktap_test_result(p && !xc_domain_decrease_reservation_exact(xch, domid,
								   1, 0, &gfn),
			 "the guest gives up a mapped page");
	ktap_test_result(p && free_pages(xch) == before && p[0] == 'a',
			 "the page stays mapped, and is not free");
	if (p)
		xenforeignmemory_unmap(fmem, p, 1);
	ktap_test_result(free_pages(xch) == before + 1,
			 "unmapped, it is free");

	q = xenforeignmemory_map(fmem, domid, PROT_READ, NR_RAM - 1,
				 gfns + 1, NULL);
	before = free_pages(xch);
	ktap_test_result(q && !xc_domain_destroy(xch, domid),
			 "the guest is destroyed with pages mapped");
	during = free_pages(xch);
	ktap_test_result(q && filled(q, NR_RAM - 1, 'b'),
			 "its pages stay mapped with their contents");
	if (q)
		xenforeignmemory_unmap(fmem, q, NR_RAM - 1);
	ktap_test_result(free_pages(xch) == during + NR_RAM - 1 &&
			 during > before,
			 "unmapped, they are free (%lu, %lu during, %lu after)",
			 before, during, free_pages(xch));
}

int main(void)
{
	unsigned long start;
	uint32_t domid;

	xch = xc_interface_open(NULL, NULL, 0);
	fmem = xenforeignmemory_open(NULL, 0);
	ktap_print_header(30);
	if (!xch || !fmem) {
		ktap_test_result(0, "libxenctrl and libxenforeignmemory open");
		return ktap_finished();
	}
	start = free_pages(xch);
	domid = new_guest();
	if (!domid) {
		ktap_test_result(0, "a guest to map");
		return ktap_finished();
	}
	test_map_and_share(domid);
	test_partial(domid);
	test_refusals(domid);
	test_raw_ioctl(domid);
	test_read_only_and_fork(domid);
	test_map_fixed(domid);
	test_given_up(domid);
	ktap_test_result(free_pages(xch) == start,
			 "free memory is back where it started");
	xenforeignmemory_close(fmem);
	xc_interface_close(xch);
	return ktap_finished();
}
