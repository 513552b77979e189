// SPDX-License-Identifier: GPL-2.0
/*
 * The sysctl hypercall through Debian's libxenctrl, with kxen loaded:
 * physinfo, cputopoinfo and numainfo against what dom0's Linux knows
 * of the machine, the NULL scheduler, the hypervisor's console ring as
 * "xl dmesg" reads it (whole, incremental, cleared), and Xen's errors
 * for a wrong interface version, an unknown command and a bad pointer.
 */
#include <cpuid.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xencall.h>
#include <xenctrl.h>
#include "file_scan.h"
#include "ktap.h"

#define RING_BYTES	(64 << 10)

/* Linux's tsc_khz, from the last "tsc:" line that gives it in MHz. */
static unsigned long tsc_khz(void)
{
	FILE *p = popen("dmesg | grep -oE 'tsc: (Detected|Refined TSC clocksource calibration:) [0-9.]+ MHz' | tail -n 1 | grep -oE '[0-9]+\\.[0-9]+'", "r");
	unsigned long mhz = 0, frac = 0;

	if (p && fscanf(p, "%lu.%lu", &mhz, &frac) < 1)
		mhz = 0;
	if (p)
		pclose(p);
	return mhz * 1000 + frac;
}

/* How many CPUs the first online CPU's topology mask NAME holds. */
static unsigned int siblings(const char *name)
{
	char path[96], mask[256] = "";
	unsigned int n = 0, first = 0;
	FILE *f;
	char *c;

	file_scan("/sys/devices/system/cpu/online", "%u", &first);
	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%u/topology/%s", first, name);
	f = fopen(path, "r");
	if (f && !fgets(mask, sizeof(mask), f))
		mask[0] = 0;
	if (f)
		fclose(f);
	for (c = mask; *c; c++)
		if (*c >= '0' && *c <= '9')
			n += __builtin_popcount(*c - '0');
		else if (*c >= 'a' && *c <= 'f')
			n += __builtin_popcount(*c - 'a' + 10);
	return n;
}

static void test_physinfo(xc_interface *xch)
{
	xc_physinfo_t pi = { 0 };
	unsigned int eax, ebx, ecx, edx, ebx7 = 0;
	/* -1 (unreadable) becomes huge and fails the RAM check. */
	unsigned long long total_kb = file_field("/proc/meminfo", "MemTotal:");
	unsigned int max_id = last_possible_cpu();
	unsigned long long pool_free = 0;

	ktap_test_result(!xc_physinfo(xch, &pi), "physinfo succeeds");
	ktap_test_result(pi.nr_cpus == sysconf(_SC_NPROCESSORS_ONLN) &&
			 pi.max_cpu_id == max_id && pi.nr_nodes == 1 &&
			 pi.threads_per_core == siblings("thread_siblings") &&
			 pi.threads_per_core &&
			 pi.cores_per_socket == siblings("core_siblings") /
						pi.threads_per_core,
			 "physinfo: %u CPUs online, ids to %u, %u per core, %u cores a socket, one node",
			 pi.nr_cpus, pi.max_cpu_id, pi.threads_per_core,
			 pi.cores_per_socket);
	ktap_test_result(pi.cpu_khz == tsc_khz(),
			 "physinfo: %u kHz, Linux's TSC frequency", pi.cpu_khz);
	ktap_test_result(pi.total_pages * 4 >= total_kb &&
			 pi.total_pages * 4 < total_kb + total_kb / 10 &&
			 pi.max_mfn >= pi.total_pages - 1,
			 "physinfo: %llu pages of RAM (MemTotal %llu kB), top frame %#llx",
			 (unsigned long long)pi.total_pages, total_kb,
			 (unsigned long long)pi.max_mfn);
	file_scan("/sys/kernel/kxen/hv/pool", "pages %*u free %llu", &pool_free);
	ktap_test_result(pi.free_pages == pool_free,
			 "physinfo: free memory is the pool's (%llu pages)",
			 (unsigned long long)pi.free_pages);
	ktap_test_result(pi.capabilities == (XEN_SYSCTL_PHYSCAP_hvm |
					     XEN_SYSCTL_PHYSCAP_hap),
			 "physinfo: capabilities hvm and hap (%#x)",
			 pi.capabilities);
	__cpuid(1, eax, ebx, ecx, edx);
	if (__get_cpuid_max(0, NULL) >= 7)
		__cpuid_count(7, 0, eax, ebx7, ecx, eax);
	ktap_test_result(pi.hw_cap[0] == edx && pi.hw_cap[5] == ebx7,
			 "physinfo: hardware features in Xen's featureset order");
}

/* CPU I's topology file NAME, as Linux reads it. */
static unsigned int cpu_topology(unsigned int i, const char *name)
{
	char path[96];
	unsigned int n = ~0u;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%u/topology/%s", i, name);
	file_scan(path, "%u", &n);
	return n;
}

static void test_topology(xc_interface *xch)
{
	unsigned int i, n = 0, nodes = 0, bad = 0;
	unsigned int possible = last_possible_cpu() + 1;
	xc_cputopo_t topo[64];
	xc_meminfo_t mem = { 0 };
	unsigned long long pool_free = 0;
	uint32_t distance = 0;
	xc_physinfo_t pi = { 0 };
	bool ok;

	ok = !xc_cputopoinfo(xch, &n, NULL) && n == possible;
	ktap_test_result(ok, "cputopoinfo: %u CPU ids", n);
	n = n < 64 ? n : 64;
	if (xc_cputopoinfo(xch, &n, topo))
		bad++;
	for (i = 0; !bad && i < n; i++) {
		if (topo[i].core == cpu_topology(i, "core_id") &&
		    topo[i].socket == cpu_topology(i, "physical_package_id") &&
		    topo[i].node == 0)
			continue;
		ktap_diag("CPU%u: core %u socket %u node %u", i, topo[i].core,
			  topo[i].socket, topo[i].node);
		bad++;
	}
	ktap_test_result(!bad && n == possible,
			 "cputopoinfo: every CPU's core and socket as Linux has them");
	file_scan("/sys/kernel/kxen/hv/pool", "pages %*u free %llu", &pool_free);
	xc_physinfo(xch, &pi);
	ok = !xc_numainfo(xch, &nodes, NULL, NULL) && nodes == 1 &&
	     !xc_numainfo(xch, &nodes, &mem, &distance) && nodes == 1 &&
	     distance == 10 && mem.memsize >= pi.total_pages << 12 &&
	     mem.memfree == pool_free << 12;
	ktap_test_result(ok, "numainfo: one node with all RAM (%llu MiB), the pool free",
			 (unsigned long long)mem.memsize >> 20);
}

static void test_console(xc_interface *xch)
{
	static char whole[RING_BYTES + 1], first[16], rest[RING_BYTES];
	unsigned int size = RING_BYTES, index = 0, whole_size;
	unsigned int first_size = sizeof(first), rest_size = RING_BYTES;
	int ok;

	ok = !xc_readconsolering(xch, whole, &size, 0, 0, &index);
	whole_size = ok ? size : 0;
	whole[whole_size] = 0;
	ktap_test_result(ok && strstr(whole, "Linux is now dom0"),
			 "readconsole: the hypervisor's log (%u bytes)", size);
	size = RING_BYTES;
	ok = !xc_readconsolering(xch, rest, &size, 0, 1, &index);
	ktap_test_result(ok && size == 0,
			 "readconsole: incremental, nothing new since index %u",
			 index);
	/* "xl dmesg -c" of 16 bytes: the next read starts after them. */
	ok = !xc_readconsolering(xch, first, &first_size, 1, 0, &index) &&
	     !xc_readconsolering(xch, rest, &rest_size, 0, 0, &index);
	ktap_test_result(ok && first_size == 16 && whole_size > 16 &&
			 !memcmp(first, whole, 16) &&
			 rest_size == whole_size - 16 &&
			 !memcmp(rest, whole + 16, rest_size),
			 "readconsole: what a clearing read returned is gone (%u bytes left)",
			 rest_size);
}

static void test_errors(void)
{
	xencall_handle *xcall = xencall_open(NULL, 0);
	struct xen_sysctl *op = xcall ? xencall_alloc_buffer(xcall, sizeof(*op)) : NULL;
	int ret;

	if (!op) {
		ktap_test_skip("sysctl errors: no hypercall buffer");
		return;
	}
	op->cmd = XEN_SYSCTL_physinfo;
	op->interface_version = XEN_SYSCTL_INTERFACE_VERSION - 1;
	ret = xencall1(xcall, __HYPERVISOR_sysctl, (unsigned long)op);
	ktap_test_result(ret == -1 && errno == EACCES,
			 "another interface version is EACCES");
	op->cmd = 1000;
	op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	ret = xencall1(xcall, __HYPERVISOR_sysctl, (unsigned long)op);
	ktap_test_result(ret == -1 && errno == ENOSYS,
			 "an unknown command is ENOSYS");
	ret = xencall1(xcall, __HYPERVISOR_sysctl, 8);
	ktap_test_result(ret == -1 && errno == EFAULT,
			 "an unmapped argument is EFAULT");
	xencall_free_buffer(xcall, op);
	xencall_close(xcall);
}

int main(void)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	int sched_id = 0;

	ktap_print_header(17);
	if (!xch) {
		ktap_test_result(0, "libxenctrl opens");
		return ktap_finished();
	}
	test_physinfo(xch);
	ktap_test_result(!xc_sched_id(xch, &sched_id) &&
			 sched_id == XEN_SCHEDULER_NULL,
			 "sched_id: the NULL scheduler (Linux schedules vCPUs)");
	test_topology(xch);
	test_console(xch);
	test_errors();
	xc_interface_close(xch);
	return ktap_finished();
}
