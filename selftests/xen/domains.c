// SPDX-License-Identifier: GPL-2.0
/*
 * Guest domains through Debian's libxenctrl, with kxen loaded: creating
 * a PVH domain as libxl does, what its record and vCPUs say, pausing,
 * Xen 4.17's id rules, the configurations kxen refuses and with which
 * errno, the CPU pool, vCPU affinity, TSC modes, the event channels the
 * toolstack makes for a guest, many lifecycles, a full domain table, and
 * that free memory comes back. With --leave-domain it only creates a domain
 * and exits, so that a script can unload kxen with a domain in place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xenctrl.h>
#include "fails_with.h"
#include "ktap.h"
#include "xen_guest.h"

/* Xen's getdomaininfo puts an unset shutdown code (~0) in the flags. */
#define NO_SHUTDOWN	(~0u << XEN_DOMINF_shutdownshift)
#define MAX_DOMAINS	64	/* kxen's table, dom0 included */
#define LIFECYCLES	100
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* Xen 4.17's TSC modes (xen/arch/x86/include/asm/time.h). */
#define TSC_MODE_DEFAULT	0
#define TSC_MODE_ALWAYS_EMULATE	1
#define TSC_MODE_NEVER_EMULATE	2

static int domain_count(xc_interface *xch)
{
	xc_domaininfo_t list[MAX_DOMAINS + 1];

	return xc_domain_getinfolist(xch, 0, MAX_DOMAINS + 1, list);
}

static bool record_is(xc_interface *xch, uint32_t domid, uint32_t flags,
		      uint32_t online, uint32_t max_vcpu_id)
{
	xc_domaininfo_t info;

	if (xc_domain_getinfolist(xch, domid, 1, &info) != 1 ||
	    info.domain != domid)
		return false;
	if (info.flags == flags && info.nr_online_vcpus == online &&
	    info.max_vcpu_id == max_vcpu_id && info.tot_pages == 0 &&
	    info.arch_config.emulation_flags == XEN_X86_EMU_LAPIC)
		return true;
	ktap_diag("d%u: flags %#x online %u max_vcpu_id %#x, want %#x %u %#x",
		  domid, info.flags, info.nr_online_vcpus, info.max_vcpu_id,
		  flags, online, max_vcpu_id);
	return false;
}

static void test_pvh_domain(xc_interface *xch)
{
	struct xen_domctl_createdomain cfg = pvh_config(2);
	unsigned long before = free_pages(xch);
	uint32_t domid = 0, first = 0, second = 0, taken, base = NO_SHUTDOWN | XEN_DOMINF_hvm_guest |
					 XEN_DOMINF_hap;
	xc_domaininfo_t info;
	xc_vcpuinfo_t vcpu;
	bool ok;

	memset(cfg.handle, 0x5a, sizeof(cfg.handle));
	ok = !xc_domain_create(xch, &domid, &cfg) && domid > 0 &&
	     domid < DOMID_FIRST_RESERVED;
	ktap_test_result(ok, "createdomain: a PVH domain gets a free id (%u)",
			 domid);
	if (!ok)
		return;
	ok = xc_domain_getinfolist(xch, domid, 1, &info) == 1 &&
	     info.handle[0] == 0x5a && info.handle[15] == 0x5a;
	ktap_test_result(record_is(xch, domid, base | XEN_DOMINF_paused, 0,
				   XEN_INVALID_MAX_VCPU_ID) && ok,
			 "the new domain is paused, with no vCPUs yet, its handle as given");
	ktap_test_result(free_pages(xch) < before,
			 "its structures come from the hypervisor pool");
	ktap_test_result(fails_with(xc_vcpu_getinfo(xch, domid, 0, &vcpu),
				    ESRCH) &&
			 fails_with(xc_vcpu_getinfo(xch, domid, 2, &vcpu),
				    EINVAL),
			 "getvcpuinfo: a vCPU not made yet is ESRCH, one past max_vcpus EINVAL");
	ktap_test_result(fails_with(xc_domain_max_vcpus(xch, domid, 3),
				    EINVAL) &&
			 fails_with(xc_domain_max_vcpus(xch, 0, 1), EINVAL),
			 "max_vcpus: another count than createdomain's, or on dom0, is EINVAL");
	ok = !xc_domain_max_vcpus(xch, domid, 2) &&
	     !xc_vcpu_getinfo(xch, domid, 1, &vcpu) && !vcpu.online &&
	     !vcpu.running && vcpu.cpu_time == 0;
	ktap_test_result(ok && record_is(xch, domid, base | XEN_DOMINF_paused,
					 0, 1),
			 "max_vcpus makes the vCPUs, down until brought up");
	ok = !xc_domain_unpause(xch, domid) &&
	     record_is(xch, domid, base, 0, 1) &&
	     fails_with(xc_domain_unpause(xch, domid), EINVAL) &&
	     !xc_domain_pause(xch, domid) &&
	     record_is(xch, domid, base | XEN_DOMINF_paused, 0, 1);
	ktap_test_result(ok, "unpause clears paused, a second unpause is EINVAL, pause sets it");

	taken = domid;
	ktap_test_result(fails_with(xc_domain_create(xch, &taken, &cfg),
				    EEXIST),
			 "createdomain: a taken id is EEXIST");
	taken = 4242;
	ok = !xc_domain_create(xch, &taken, &cfg) && taken == 4242;
	ktap_test_result(ok, "createdomain: a free id asked for is given");
	ok = !xc_domain_destroy(xch, taken) &&
	     fails_with(xc_domain_destroy(xch, taken), ESRCH) &&
	     !xc_domain_destroy(xch, domid) &&
	     fails_with(xc_domain_pause(xch, domid), ESRCH);
	ktap_test_result(ok, "destroydomain removes a domain; it is then ESRCH");
	ktap_test_result(fails_with(xc_domain_destroy(xch, 0), EINVAL),
			 "destroydomain: dom0 cannot destroy itself (EINVAL)");
	ktap_test_result(free_pages(xch) == before && domain_count(xch) == 1,
			 "free memory and the domain list are as before");

	ok = !xc_domain_create(xch, &first, &cfg) && first == domid + 1 &&
	     !xc_domain_destroy(xch, first) &&
	     !xc_domain_create(xch, &second, &cfg) && second == domid + 2 &&
	     !xc_domain_destroy(xch, second);
	ktap_test_result(ok, "ids are not reused at once: each one picked follows the last picked (%u, %u after %u)",
			 first, second, domid);
}

/* Each configuration kxen refuses, as Xen 4.17 does or (*) for kxen. */
static void test_refusals(xc_interface *xch)
{
	static const struct {
		const char *what;
		uint32_t flags, emulation, grant_opts, vcpus, cpupool;
		int32_t grant_frames;
		int err;
	} bad[] = {
		{ "a PV domain (*)", 0, 0, 1, 1, 0, -1, EINVAL },
		{ "HAP without HVM", XEN_DOMCTL_CDF_hap, 0, 1, 1, 0, -1, EINVAL },
		{ "HVM without HAP (*)", XEN_DOMCTL_CDF_hvm, XEN_X86_EMU_LAPIC,
		  1, 1, 0, -1, EINVAL },
		{ "an unknown flag", PVH_FLAGS | 1u << 8, XEN_X86_EMU_LAPIC,
		  1, 1, 0, -1, EINVAL },
		{ "an IOMMU", PVH_FLAGS | XEN_DOMCTL_CDF_iommu,
		  XEN_X86_EMU_LAPIC, 1, 1, 0, -1, EINVAL },
		{ "no vCPU", PVH_FLAGS, XEN_X86_EMU_LAPIC, 1, 0, 0, -1, EINVAL },
		{ "129 vCPUs", PVH_FLAGS, XEN_X86_EMU_LAPIC, 1, 129, 0, -1,
		  EINVAL },
		{ "an unknown emulator", PVH_FLAGS, XEN_X86_EMU_LAPIC | 1u << 11,
		  1, 1, 0, -1, EINVAL },
		{ "HVM's emulators (*, for now)", PVH_FLAGS,
		  XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI, 1, 1, 0, -1, EOPNOTSUPP },
		{ "no LAPIC", PVH_FLAGS, 0, 1, 1, 0, -1, EOPNOTSUPP },
		{ "grant table version 0", PVH_FLAGS, XEN_X86_EMU_LAPIC, 0, 1,
		  0, -1, EINVAL },
		{ "grant table version 3", PVH_FLAGS, XEN_X86_EMU_LAPIC, 3, 1,
		  0, -1, EINVAL },
		{ "65 grant frames", PVH_FLAGS, XEN_X86_EMU_LAPIC, 1, 1, 0, 65,
		  EINVAL },
		{ "CPU pool 1", PVH_FLAGS, XEN_X86_EMU_LAPIC, 1, 1, 1, -1,
		  ESRCH },
	};
	unsigned long before = free_pages(xch);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct xen_domctl_createdomain cfg = pvh_config(bad[i].vcpus);
		uint32_t domid = 0;

		cfg.flags = bad[i].flags;
		cfg.arch.emulation_flags = bad[i].emulation;
		cfg.grant_opts = bad[i].grant_opts;
		cfg.cpupool_id = bad[i].cpupool;
		cfg.max_grant_frames = bad[i].grant_frames;
		ktap_test_result(fails_with(xc_domain_create(xch, &domid, &cfg),
					    bad[i].err),
				 "createdomain refuses %s (%s)", bad[i].what,
				 strerror(bad[i].err));
	}
	ktap_test_result(domain_count(xch) == 1 && free_pages(xch) == before,
			 "refused domains leave nothing behind");
}

static void test_cpupool(xc_interface *xch)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct xen_domctl_createdomain cfg = pvh_config(1);
	xc_cpupoolinfo_t *pool;
	uint32_t domid = 0;
	int bits = 0, i, size = xc_get_cpumap_size(xch);
	bool ok;

	ok = !xc_domain_create(xch, &domid, &cfg);
	pool = xc_cpupool_getinfo(xch, 0);
	for (i = 0; pool && i < size * 8; i++)
		bits += !!(pool->cpumap[i / 8] & 1 << (i % 8));
	ktap_test_result(ok && pool && pool->cpupool_id == 0 &&
			 pool->sched_id == XEN_SCHEDULER_NULL &&
			 pool->n_dom == 2 && bits == cpus &&
			 (pool->cpumap[0] & 1),
			 "cpupool info: pool 0, NULL scheduler, dom0 and the guest, every online CPU (%d of %ld)",
			 bits, cpus);
	if (pool)
		xc_cpupool_infofree(xch, pool);
	pool = xc_cpupool_getinfo(xch, 1);
	ktap_test_result(!pool && errno == ENOENT,
			 "cpupool info: there is no pool after 0 (ENOENT)");
	if (pool)
		xc_cpupool_infofree(xch, pool);
	if (ok)
		xc_domain_destroy(xch, domid);
}

/* The first 64 CPU ids of a libxenctrl cpumap, and back. */
static unsigned long long map_get(const xc_cpumap_t map, int size)
{
	unsigned long long bits = 0;
	int i;

	for (i = 0; i < size && i < 8; i++)
		bits |= (unsigned long long)map[i] << (8 * i);
	return bits;
}

static void map_set(xc_cpumap_t map, int size, unsigned long long bits)
{
	int i;

	memset(map, 0, size);
	for (i = 0; i < size && i < 8; i++)
		map[i] = bits >> (8 * i);
}

static void test_affinity(xc_interface *xch)
{
	struct xen_domctl_createdomain cfg = pvh_config(2);
	int size = xc_get_cpumap_size(xch);
	xc_cpumap_t hard = xc_cpumap_alloc(xch), soft = xc_cpumap_alloc(xch);
	unsigned long long all, last, got_hard, got_soft;
	uint32_t domid = 0, bare = 0;
	xc_physinfo_t pi = { 0 };
	bool ok;

	ok = hard && soft && !xc_physinfo(xch, &pi) && pi.max_cpu_id < 64 &&
	     !xc_domain_create(xch, &domid, &cfg) &&
	     !xc_domain_max_vcpus(xch, domid, 2) &&
	     !xc_domain_create(xch, &bare, &cfg);
	if (!ok) {
		ktap_test_result(0, "two domains and cpumaps for the affinity tests");
		return;
	}
	all = (1ull << (pi.max_cpu_id + 1)) - 1;
	last = 1ull << pi.max_cpu_id;
	ok = !xc_vcpu_getaffinity(xch, domid, 1, hard, soft,
				  XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT);
	got_hard = map_get(hard, size);
	got_soft = map_get(soft, size);
	ktap_test_result(ok && got_hard == all && got_soft == all,
			 "affinity: a new vCPU may run on every CPU (hard %#llx, soft %#llx)",
			 got_hard, got_soft);

	map_set(hard, size, last);
	ok = !xc_vcpu_setaffinity(xch, domid, 1, hard, soft,
				  XEN_VCPUAFFINITY_HARD);
	got_hard = map_get(hard, size);
	ok = ok && got_hard == last;
	map_set(hard, size, 0);
	ok = ok && !xc_vcpu_getaffinity(xch, domid, 1, hard, soft,
					XEN_VCPUAFFINITY_HARD);
	ktap_test_result(ok && map_get(hard, size) == last,
			 "affinity: pinned to the last CPU, written back and read back (%#llx)",
			 map_get(hard, size));

	map_set(soft, size, 1);
	ok = !xc_vcpu_setaffinity(xch, domid, 1, hard, soft,
				  XEN_VCPUAFFINITY_SOFT);
	got_soft = map_get(soft, size);
	ok = ok && got_soft == (1 & last);
	map_set(soft, size, 0);
	ok = ok && !xc_vcpu_getaffinity(xch, domid, 1, hard, soft,
					XEN_VCPUAFFINITY_SOFT);
	ktap_test_result(ok && map_get(soft, size) == 1,
			 "affinity: a soft affinity is kept as set, and what is in effect is within the hard one (%#llx)",
			 got_soft);

	map_set(hard, size, 0);
	map_set(soft, size, all);
	ktap_test_result(fails_with(xc_vcpu_setaffinity(xch, domid, 0, hard,
							soft,
							XEN_VCPUAFFINITY_HARD),
				    EINVAL) &&
			 fails_with(xc_vcpu_setaffinity(xch, domid, 0, hard,
							soft, 0),
				    EINVAL) &&
			 fails_with(xc_vcpu_getaffinity(xch, domid, 2, hard, soft,
							XEN_VCPUAFFINITY_HARD),
				    EINVAL) &&
			 fails_with(xc_vcpu_getaffinity(xch, bare, 0, hard, soft,
							XEN_VCPUAFFINITY_HARD),
				    ESRCH) &&
			 fails_with(xc_vcpu_getaffinity(xch, 4000, 0, hard, soft,
							XEN_VCPUAFFINITY_HARD),
				    ESRCH),
			 "affinity: refused with no CPU or no flags, past max_vcpus (EINVAL), for a vCPU not made or a missing domain (ESRCH)");

	ok = !xc_vcpu_getaffinity(xch, 0, 0, hard, soft,
				  XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT);
	got_hard = map_get(hard, size);
	got_soft = map_get(soft, size);
	ktap_test_result(ok && got_hard == 1 && got_soft == all &&
			 fails_with(xc_vcpu_setaffinity(xch, 0, 0, hard, soft,
							XEN_VCPUAFFINITY_HARD),
				    EPERM),
			 "affinity: dom0's vCPU 0 is CPU 0 (hard %#llx) and cannot move (EPERM)",
			 got_hard);
	xc_domain_destroy(xch, bare);
	xc_domain_destroy(xch, domid);
	free(hard);
	free(soft);
}

struct tsc_info {
	uint32_t mode, khz, incarnation;
	uint64_t elapsed_ns;
};

static bool get_tsc(xc_interface *xch, uint32_t domid, struct tsc_info *t)
{
	return !xc_domain_get_tsc_info(xch, domid, &t->mode, &t->elapsed_ns,
				       &t->khz, &t->incarnation);
}

/*
 * kxen's guests read the host TSC, so the modes that need no RDTSC
 * emulation are kept as Xen keeps them and the others are refused.
 */
static void test_tsc_info(xc_interface *xch)
{
	struct xen_domctl_createdomain cfg = pvh_config(1);
	struct tsc_info t = { 0 }, later = { 0 };
	xc_physinfo_t pi = { 0 };
	uint32_t domid = 0;
	bool ok;

	if (xc_physinfo(xch, &pi) || xc_domain_create(xch, &domid, &cfg)) {
		ktap_test_result(0, "a domain for the TSC tests");
		return;
	}
	ok = get_tsc(xch, domid, &t) && get_tsc(xch, domid, &later);
	ktap_test_result(ok && t.mode == TSC_MODE_DEFAULT &&
			 t.incarnation == 1 && t.khz == pi.cpu_khz &&
			 t.elapsed_ns && later.elapsed_ns > t.elapsed_ns,
			 "tsc: a new domain has the default mode at the host's %u kHz, incarnation 1, the TSC in ns",
			 pi.cpu_khz);
	ok = !xc_domain_set_tsc_info(xch, domid, TSC_MODE_NEVER_EMULATE, 0,
				     0, 5) && get_tsc(xch, domid, &t);
	ktap_test_result(ok && t.mode == TSC_MODE_NEVER_EMULATE &&
			 t.incarnation == 6 && !t.elapsed_ns && !t.khz,
			 "tsc: never-emulate is kept, the incarnation counted on, no time or frequency reported");
	ok = !xc_domain_set_tsc_info(xch, domid, TSC_MODE_DEFAULT, 0,
				     pi.cpu_khz, 0) && get_tsc(xch, domid, &t);
	ktap_test_result(ok && t.mode == TSC_MODE_DEFAULT && t.incarnation == 1,
			 "tsc: the default mode at the host's frequency is accepted");
	ok = fails_with(xc_domain_set_tsc_info(xch, domid, TSC_MODE_DEFAULT,
					       0, pi.cpu_khz + 1000, 0),
			EOPNOTSUPP) &&
	     fails_with(xc_domain_set_tsc_info(xch, domid,
					       TSC_MODE_ALWAYS_EMULATE, 0, 0, 0),
			EOPNOTSUPP) &&
	     fails_with(xc_domain_set_tsc_info(xch, domid, 3, 0, 0, 0), EINVAL);
	ktap_test_result(ok && get_tsc(xch, domid, &t) &&
			 t.mode == TSC_MODE_DEFAULT && t.incarnation == 1,
			 "tsc: RDTSC emulation (another frequency, always) is EOPNOTSUPP, an unknown mode EINVAL, nothing changed");
	ok = fails_with(xc_domain_set_tsc_info(xch, 0, TSC_MODE_DEFAULT, 0, 0,
					       0), EINVAL) &&
	     fails_with(xc_domain_get_tsc_info(xch, 0, &t.mode, &t.elapsed_ns,
					       &t.khz, &t.incarnation),
			EINVAL) &&
	     fails_with(xc_domain_set_tsc_info(xch, 4000, TSC_MODE_DEFAULT, 0,
					       0, 0), ESRCH);
	ktap_test_result(ok && !xc_domain_destroy(xch, domid),
			 "tsc: dom0 (the caller) is EINVAL, a missing domain ESRCH");
}

/*
 * The toolstack's side of a guest's event channels: libxl allocates the
 * guest's xenstore and console ports, unbound to dom0, before the guest
 * runs. Dom0's own ports are not there yet (ENOSYS).
 */
static void test_evtchn(xc_interface *xch)
{
	struct xen_domctl_createdomain cfg = pvh_config(1);
	xc_evtchn_status_t st = { 0 };
	uint32_t domid = 0;
	int port, again;

	if (xc_domain_create(xch, &domid, &cfg)) {
		ktap_test_result(0, "a domain for the event channel tests");
		return;
	}
	port = xc_evtchn_alloc_unbound(xch, domid, 0);
	again = xc_evtchn_alloc_unbound(xch, domid, 0);
	st.dom = domid;
	st.port = port;
	ktap_test_result(port == 1 && again == 2 && !xc_evtchn_status(xch, &st) &&
			 st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 0,
			 "evtchn: alloc_unbound in a guest for dom0: ports %d and %d, unbound to d%u",
			 port, again, st.u.unbound.dom);
	st.port = 4096;
	ktap_test_result(fails_with(xc_evtchn_status(xch, &st), EINVAL) &&
			 fails_with(xc_evtchn_alloc_unbound(xch, 4000, 0),
				    ESRCH) &&
			 fails_with(xc_evtchn_alloc_unbound(xch, 0, domid),
				    ENOSYS),
			 "evtchn: a port past the ABI's is EINVAL, a missing domain ESRCH, dom0's own ports ENOSYS");
	st.port = port;
	ktap_test_result(!xc_evtchn_reset(xch, domid) &&
			 !xc_evtchn_status(xch, &st) &&
			 st.status == EVTCHNSTAT_closed &&
			 !xc_domain_destroy(xch, domid),
			 "evtchn: reset of the paused guest closes its ports; destroy frees them");
}

static void test_lifecycles(xc_interface *xch)
{
	struct xen_domctl_createdomain cfg = pvh_config(4);
	unsigned long before = free_pages(xch);
	uint32_t ids[MAX_DOMAINS];
	int i, made = 0, done = 0;

	for (i = 0; i < LIFECYCLES; i++) {
		uint32_t domid = 0;

		done += !xc_domain_create(xch, &domid, &cfg) &&
			!xc_domain_max_vcpus(xch, domid, 4) &&
			!xc_domain_unpause(xch, domid) &&
			!xc_domain_pause(xch, domid) &&
			!xc_domain_destroy(xch, domid);
	}
	ktap_test_result(done == LIFECYCLES,
			 "%d create/max_vcpus/unpause/pause/destroy cycles (%d passed)",
			 LIFECYCLES, done);
	ktap_test_result(free_pages(xch) == before && domain_count(xch) == 1,
			 "after them, free memory and the domain list are as before");

	for (made = 0; made < MAX_DOMAINS; made++) {
		ids[made] = 0;
		if (xc_domain_create(xch, &ids[made], &cfg))
			break;
	}
	ktap_test_result(made == MAX_DOMAINS - 1 && errno == ENOMEM &&
			 domain_count(xch) == MAX_DOMAINS,
			 "%d domains fit beside dom0, the next is ENOMEM (%d made)",
			 MAX_DOMAINS - 1, made);
	for (i = 0, done = 0; i < made; i++)
		done += !xc_domain_destroy(xch, ids[i]);
	ktap_test_result(done == made && free_pages(xch) == before &&
			 domain_count(xch) == 1,
			 "destroying them all gives back their memory");
}

int main(int argc, char **argv)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	struct xen_domctl_createdomain cfg = pvh_config(1);
	uint32_t domid = 0;

	if (argc == 2 && !strcmp(argv[1], "--leave-domain"))
		return !xch || xc_domain_create(xch, &domid, &cfg);
	ktap_print_header(47);
	if (!xch) {
		ktap_test_result(0, "libxenctrl opens");
		return ktap_finished();
	}
	test_pvh_domain(xch);
	test_refusals(xch);
	test_cpupool(xch);
	test_affinity(xch);
	test_tsc_info(xch);
	test_evtchn(xch);
	test_lifecycles(xch);
	xc_interface_close(xch);
	return ktap_finished();
}
