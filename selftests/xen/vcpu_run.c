// SPDX-License-Identifier: GPL-2.0
/*
 * Guest vCPUs running, with kxen loaded: the freestanding test guest
 * build/selftests/guests/hello.elf is built by kxen boot's builder
 * (Debian's libxenguest) and unpaused; its vCPU runs in a dom0 thread.
 * Checked: console_io output in the hypervisor log, each way of ending
 * (SCHEDOP_shutdown with several reasons, cli;hlt, a triple fault with
 * the default and a chosen HVM_PARAM_TRIPLE_FAULT_REASON, touching
 * memory it has not got), and a guest spinning at 100%: dom0 stays
 * responsive, pause stops it, its context once paused is as it ran, a
 * context loaded at once after a pause
 * takes effect and the guest runs on from it, a page taken from it
 * while it runs is freed, destroy takes it down while it runs, and its
 * thread goes.
 * Then its shared_info page from dom0's side: getdomaininfo's frame, a
 * wallclock moved by settimeoffset, the pvclock through a foreign
 * mapping; and vCPU affinity as its thread's.
 */
#define _GNU_SOURCE
/* xc_map_foreign_range(), as xenctx and other Xen tools use it. */
#define XC_WANT_COMPAT_MAP_FOREIGN_API
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xenctrl.h>
#include <xen/sched.h>
#include "hvm_context.h"
#include "ktap.h"
#include "xen_guest.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define GUEST_MB	16
#define TESTS		28
#define SPIN_TESTS	11	/* test_spin()'s */
/* Put in R15 by a context load: the guest's 32-bit code cannot touch it. */
#define R15_MARK	0x6b78656e2d723135ull
/* Where the guest is told to put its shared_info page. */
#define SHINFO_GFN	0x800

static xc_interface *xch;
static char guest_path[4096];

/* The hello guest with CMDLINE, built and paused; 0 on failure. */
static uint32_t load_guest(const char *cmdline)
{
	struct pvh_guest g = {
		.kernel = guest_path,
		.cmdline = cmdline,
		.memory_mb = GUEST_MB,
		.vcpus = 1,
	};
	char err[512];
	uint32_t domid;

	if (pvh_build(xch, &g, &domid, err, sizeof(err))) {
		ktap_diag("building a guest: %s", err);
		return 0;
	}
	return domid;
}

static bool domain_info(uint32_t domid, xc_domaininfo_t *info)
{
	return xc_domain_getinfolist(xch, domid, 1, info) == 1 &&
	       info->domain == domid;
}

/* Its shutdown code once it has shut down, or -1 after 30 s. */
static int wait_shutdown(uint32_t domid)
{
	xc_domaininfo_t info;
	unsigned int i;

	for (i = 0; i < 300; i++) {
		if (!domain_info(domid, &info))
			return -1;
		if (info.flags & XEN_DOMINF_shutdown)
			return (info.flags >> XEN_DOMINF_shutdownshift) &
			       XEN_DOMINF_shutdownmask;
		usleep(100000);
	}
	return -1;
}

/* Where WHAT first is in the hypervisor's log (until the next read), or NULL. */
static const char *log_find(const char *what)
{
	static char buf[65536];
	unsigned int size = sizeof(buf) - 1;

	if (xc_readconsolering(xch, buf, &size, 0, 0, NULL))
		return NULL;
	buf[size] = '\0';
	return strstr(buf, what);
}

static bool log_has(const char *what)
{
	return log_find(what);
}

/*
 * Runs a guest with CMDLINE to its end, its triple-fault action set to
 * TRIPLE_FAULT unless negative; its shutdown code, or -1.
 */
static int run_to_end(const char *cmdline, int triple_fault, uint32_t *domid)
{
	*domid = load_guest(cmdline);
	if (!*domid ||
	    (triple_fault >= 0 &&
	     xc_hvm_param_set(xch, *domid, HVM_PARAM_TRIPLE_FAULT_REASON,
			      triple_fault)) ||
	    xc_domain_unpause(xch, *domid))
		return -1;
	return wait_shutdown(*domid);
}

static void test_hello(void)
{
	char line[64];
	uint32_t domid;
	int code = run_to_end("", -1, &domid);

	snprintf(line, sizeof(line), "(d%u) hello from a kxen guest", domid);
	ktap_test_result(code == SHUTDOWN_poweroff,
			 "the guest powers itself off (code %d)", code);
	ktap_test_result(log_has(line), "its console_io line is in the log");
	ktap_test_result(domid && !xc_domain_destroy(xch, domid),
			 "it is destroyed");
}

static void test_endings(void)
{
	static const struct {
		const char *cmdline;
		int triple_fault;
		int code;
		const char *what;
	} endings[] = {
		{ "shutdown=1", -1, SHUTDOWN_reboot,
		  "SCHEDOP_shutdown(reboot): reboot" },
		{ "shutdown=3", -1, SHUTDOWN_crash,
		  "SCHEDOP_shutdown(crash): crash" },
		{ "halt", -1, SHUTDOWN_poweroff,
		  "cli; hlt on its only vCPU: poweroff (Xen's hvm_hlt)" },
		{ "triple-fault", -1, SHUTDOWN_reboot,
		  "a triple fault: reboot (Xen's default action)" },
		{ "triple-fault", SHUTDOWN_poweroff, SHUTDOWN_poweroff,
		  "a triple fault with HVM_PARAM_TRIPLE_FAULT_REASON poweroff" },
		{ "unpopulated", -1, SHUTDOWN_crash,
		  "reading memory it has not got: crash" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(endings); i++) {
		uint32_t domid;
		int code = run_to_end(endings[i].cmdline,
				      endings[i].triple_fault, &domid);

		ktap_test_result(code == endings[i].code, "%s (code %d)",
				 endings[i].what, code);
		if (domid)
			xc_domain_destroy(xch, domid);
	}
}

/* The id of dom0's thread kxen-dDOMIDv0, or 0 if there is none. */
static pid_t vcpu_thread(uint32_t domid)
{
	char want[32], path[300], comm[32] = "";
	struct dirent *e;
	pid_t found = 0;
	DIR *dir = opendir("/proc");
	FILE *f;

	snprintf(want, sizeof(want), "kxen-d%uv0\n", domid);
	while (dir && !found && (e = readdir(dir))) {
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strcmp(comm, want))
			found = atoi(e->d_name);
		fclose(f);
	}
	if (dir)
		closedir(dir);
	return found;
}

static bool vcpu_thread_exists(uint32_t domid)
{
	return vcpu_thread(domid);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t cpu_time(uint32_t domid)
{
	xc_domaininfo_t info;

	return domain_info(domid, &info) ? info.cpu_time : 0;
}

/* DOMID's vCPU 0 record, from a context read into C; NULL if none. */
static struct hvm_hw_cpu *cpu_record(uint32_t domid, struct context *c)
{
	if (!get_context(xch, domid, c))
		return NULL;
	return (struct hvm_hw_cpu *)find_record(c, HVM_SAVE_CODE(CPU), 0);
}

/*
 * The running DOMID's context once paused: the guest has loaded its own
 * GDT and stack, where the boot context libxenguest loaded had neither.
 */
static bool live_context(uint32_t domid)
{
	static struct context c;
	struct hvm_hw_cpu *cpu;
	bool ok = !xc_domain_pause(xch, domid);

	cpu = ok ? cpu_record(domid, &c) : NULL;
	if (cpu)
		ktap_diag("vCPU 0: RIP %#llx, RSP %#llx, GDTR limit %#x, CS %#x",
			  (unsigned long long)cpu->rip,
			  (unsigned long long)cpu->rsp, cpu->gdtr_limit,
			  cpu->cs_sel);
	return cpu && cpu->gdtr_limit && cpu->rsp && cpu->cs_sel &&
	       !xc_domain_unpause(xch, domid);
}

/*
 * Pauses the running DOMID and at once loads its context with R15
 * marked, as a restore would, while its vCPU may still be inside a run
 * (the hypervisor waits until it has left). Then it runs a while (the
 * load holds it out of its runs no longer) and the mark is read back.
 */
static bool load_just_after_pause(uint32_t domid)
{
	static struct context c;
	struct hvm_hw_cpu *cpu;
	bool ok = !xc_domain_pause(xch, domid);
	uint64_t t0;

	cpu = ok ? cpu_record(domid, &c) : NULL;
	if (!cpu)
		return false;
	cpu->r15 = R15_MARK;
	t0 = cpu_time(domid);
	ok = !xc_domain_hvm_setcontext(xch, domid, c.data, c.len) &&
	     !xc_domain_unpause(xch, domid);
	usleep(200000);
	ok = ok && cpu_time(domid) > t0 && !xc_domain_pause(xch, domid);
	cpu = ok ? cpu_record(domid, &c) : NULL;
	if (cpu && cpu->r15 != R15_MARK)
		ktap_diag("R15 %#llx", (unsigned long long)cpu->r15);
	return cpu && cpu->r15 == R15_MARK && !xc_domain_unpause(xch, domid);
}

static void test_spin(void)
{
	unsigned long free_before = free_pages(xch), free_during;
	/*
	 * Its last 2 MiB of RAM, which the guest does not touch: a whole
	 * large page, so taking it needs no new p2m table page.
	 */
	xen_pfn_t unused = (GUEST_MB << 8) - 512;
	uint32_t domid = load_guest("spin");
	uint64_t t0, t1, t2;
	double start, slept;

	ktap_test_result(domid && !xc_domain_unpause(xch, domid) &&
			 vcpu_thread_exists(domid),
			 "a spinning guest runs in thread kxen-d%uv0", domid);
	t0 = cpu_time(domid);
	start = now();
	usleep(500000);
	slept = now() - start;
	t1 = cpu_time(domid);
	/* Generous: the lab's CPUs are emulated and shared. */
	ktap_test_result(t1 > t0 && slept < 5,
			 "it uses CPU time (%.3f s) while dom0 sleeps and wakes (%.3f s)",
			 (t1 - t0) / 1e9, slept);
	ktap_test_result(!xc_domain_pause(xch, domid),
			 "it is paused");
	usleep(200000);
	t1 = cpu_time(domid);
	usleep(300000);
	t2 = cpu_time(domid);
	ktap_test_result(t2 == t1, "paused, its CPU time stands still");
	ktap_test_result(!xc_domain_unpause(xch, domid) &&
			 (usleep(300000), cpu_time(domid) > t2),
			 "unpaused, it runs again");
	ktap_test_result(live_context(domid),
			 "paused, its context is as it ran, not as it was loaded: its own GDT and stack");
	ktap_test_result(load_just_after_pause(domid),
			 "a context loaded at once after a pause takes effect, and the guest runs on from it");
	free_during = free_pages(xch);
	ktap_test_result(!xc_domain_decrease_reservation_exact(xch, domid, 1, 9,
							      &unused) &&
			 (usleep(300000), free_pages(xch) == free_during + 512),
			 "2 MiB taken from it while it runs are free once its CPU has flushed");
	ktap_test_result(!xc_domain_destroy(xch, domid),
			 "destroyed while it runs");
	ktap_test_result(!vcpu_thread_exists(domid),
			 "its thread is gone");
	ktap_test_result(free_pages(xch) == free_before,
			 "free memory is back where it was");
}

/* The CPUs PID may run on, as /proc shows them ("0-1"), or "". */
static const char *cpus_allowed(pid_t pid)
{
	static char line[256];
	char path[64], *v = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f) &&
	       strncmp(line, "Cpus_allowed_list:", 18))
		;
	if (f && !strncmp(line, "Cpus_allowed_list:", 18)) {
		v = line + 18 + strspn(line + 18, " \t");
		v[strcspn(v, "\n")] = '\0';
	}
	if (f)
		fclose(f);
	return v ? v : "";
}

/* The number after "(dDOMID) PREFIX" in the hypervisor's log, or -1. */
static long long log_number(uint32_t domid, const char *prefix)
{
	const char *at;
	char want[64];

	snprintf(want, sizeof(want), "(d%u) %s", domid, prefix);
	at = log_find(want);
	return at ? strtoll(at + strlen(want), NULL, 10) : -1;
}

/* Sets vCPU 0's hard affinity to CPU alone, or to all CPUs if < 0. */
static bool set_affinity(uint32_t domid, int cpu)
{
	xc_cpumap_t map = xc_cpumap_alloc(xch);
	int i, ret;

	if (!map)
		return false;
	for (i = 0; i < xc_get_max_cpus(xch); i++)
		if (cpu < 0 || i == cpu)
			map[i / 8] |= 1 << (i % 8);
	ret = xc_vcpu_setaffinity(xch, domid, 0, map, NULL,
				  XEN_VCPUAFFINITY_HARD);
	free(map);
	return !ret;
}

static void test_shared_info(void)
{
	unsigned long free_before = free_pages(xch);
	const long long offset = 86400;
	uint32_t domid = load_guest("shinfo=0x800 wallclock spin");
	const struct vcpu_time_info *t;
	xc_domaininfo_t info;
	xc_vcpuinfo_t vinfo;
	long long wallclock;
	struct shared_info *shared;
	unsigned int i;
	pid_t thread;

	ktap_test_result(domid && domain_info(domid, &info) &&
			 info.shared_info_frame == ~0ull &&
			 !xc_domain_set_time_offset(xch, domid, offset),
			 "before the guest places shared_info, its frame is ~0");
	ktap_test_result(!xc_domain_unpause(xch, domid), "the guest runs");
	for (i = 0; i < 100 && domain_info(domid, &info) &&
	     info.shared_info_frame != SHINFO_GFN; i++)
		usleep(100000);
	ktap_test_result(info.shared_info_frame == SHINFO_GFN,
			 "getdomaininfo shows where it is: %#llx",
			 (unsigned long long)info.shared_info_frame);
	for (i = 0; i < 100 && log_number(domid, "wallclock: ") < 0; i++)
		usleep(100000);
	wallclock = log_number(domid, "wallclock: ");
	ktap_test_result(llabs(wallclock - (time(NULL) + offset)) < 60,
			 "its wallclock is dom0's moved by settimeoffset: %lld",
			 wallclock - time(NULL));
	shared = xc_map_foreign_range(xch, domid, XC_PAGE_SIZE, PROT_READ,
				      SHINFO_GFN);
	/* vCPU 0's pvclock is at the same place in the 32-bit layout. */
	t = shared ? &shared->vcpu_info[0].time : NULL;
	ktap_test_result(t && !(t->version & 1) && t->system_time &&
			 t->tsc_to_system_mul,
			 "dom0 maps it and reads the guest's pvclock");
	if (shared)
		munmap(shared, XC_PAGE_SIZE);
	thread = vcpu_thread(domid);
	ktap_test_result(set_affinity(domid, 1) &&
			 !strcmp(cpus_allowed(thread), "1") &&
			 (usleep(500000), !xc_vcpu_getinfo(xch, domid, 0, &vinfo)) &&
			 vinfo.cpu == 1,
			 "pinned to CPU 1, its thread may run there only, and does");
	ktap_test_result(set_affinity(domid, -1) &&
			 strcmp(cpus_allowed(thread), "1"),
			 "unpinned, its thread may run anywhere: %s",
			 cpus_allowed(thread));
	ktap_test_result(!xc_domain_destroy(xch, domid) &&
			 free_pages(xch) == free_before,
			 "destroyed, its shared_info page is free again");
}

int main(void)
{
	ssize_t n = readlink("/proc/self/exe", guest_path,
			     sizeof(guest_path) - 32);
	unsigned int i;

	/* The guest is built beside this helper: ../guests/hello.elf. */
	guest_path[n > 0 ? n : 0] = '\0';
	strcpy(strrchr(guest_path, '/') ? strrchr(guest_path, '/') : guest_path,
	       "/../guests/hello.elf");

	xch = xc_interface_open(NULL, NULL, 0);
	ktap_print_header(TESTS);
	if (!xch || access(guest_path, R_OK)) {
		ktap_test_result(0, "libxenctrl and %s", guest_path);
		return ktap_finished();
	}
	test_hello();
	test_endings();
	if (getenv("KXEN_GUEST_SPIN") && !strcmp(getenv("KXEN_GUEST_SPIN"), "0")) {
		for (i = 0; i < SPIN_TESTS; i++)
			ktap_test_skip("KXEN_GUEST_SPIN=0 (bochs: see Documentation/lab.rst)");
	} else {
		test_spin();
	}
	test_shared_info();
	xc_interface_close(xch);
	return ktap_finished();
}
