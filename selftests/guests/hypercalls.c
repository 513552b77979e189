// SPDX-License-Identifier: GPL-2.0
/*
 * The hypercalls test guest: what a PVH guest may ask of Xen about
 * itself, with good and bad arguments, in KTAP. It powers off when all
 * passed and crashes otherwise, so `kxen boot` fails too.
 *
 * With now=SECONDS on its command line (dom0's clock) it also checks
 * that its wallclock is within a minute of that.
 */
#include <hv/compat.h>
#include "lib/guest.h"

/* A domain that cannot exist: below DOMID_FIRST_RESERVED, never made. */
#define NO_SUCH_DOMAIN	32000
/* Xen's special pages (xenguest.h): the 8 pages below pfn 0xff000. */
#define SPECIAL_PFN_END	0xff000
#define SPECIAL_PAGES	8
/* PARAM_PAE_ENABLED, deprecated: params.h shows it to the tools only. */
#define PARAM_PAE_ENABLED	4

static const struct hvm_start_info *start_info;
/* An address with nothing behind it, for -EFAULT. */
static unsigned long bad_address;

static long param(unsigned int op, domid_t domid, uint32_t index,
		  uint64_t *value)
{
	struct xen_hvm_param p = { .domid = domid, .index = index };
	long ret;

	if (value)
		p.value = *value;
	ret = hypercall2(__HYPERVISOR_hvm_op, op, (unsigned long)&p);
	if (value)
		*value = p.value;
	return ret;
}

static void test_params(void)
{
	uint64_t v = 0, pfn = 0, store = ~0ull;
	long ret;

	/* kxen boot has no xenstore, so it takes the store's page away. */
	ret = param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_CONSOLE_PFN, &pfn) |
	      param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_STORE_PFN, &store);
	ktap_result(ret == 0 && pfn >= SPECIAL_PFN_END - SPECIAL_PAGES &&
		    pfn < SPECIAL_PFN_END && store == 0,
		    "the builder's console page is readable (%d, pfn %llx), no xenstore page",
		    (int)ret, pfn);
	ktap_result(param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_IDENT_PT,
			  &v) == -XEN_EPERM,
		    "a toolstack parameter is not the guest's to read");
	v = 0x0100000000000005ull;
	ret = param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &v);
	v = 0;
	ktap_result(ret == 0 &&
		    param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ,
			  &v) == 0 && v == 0x0100000000000005ull,
		    "the guest sets and reads back its callback");
	v = 0;
	ktap_result(param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_TIMER_MODE,
			  &v) == -XEN_EPERM &&
		    param(HVMOP_set_param, DOMID_SELF,
			  HVM_PARAM_TRIPLE_FAULT_REASON, &v) == -XEN_EPERM,
		    "toolstack parameters are not the guest's to set");
	ktap_result(param(HVMOP_get_param, DOMID_SELF, HVM_NR_PARAMS, &v) ==
		    -XEN_EINVAL &&
		    param(HVMOP_set_param, DOMID_SELF, ~0u, &v) == -XEN_EINVAL,
		    "an index past the last parameter is -EINVAL");
	ktap_result(param(HVMOP_get_param, DOMID_SELF, PARAM_PAE_ENABLED,
			  &v) == -XEN_EINVAL,
		    "a deprecated parameter is -EINVAL");
	ktap_result(param(HVMOP_get_param, 0, HVM_PARAM_STORE_PFN, &v) ==
		    -XEN_EPERM &&
		    param(HVMOP_get_param, NO_SUCH_DOMAIN, HVM_PARAM_STORE_PFN,
			  &v) == -XEN_ESRCH,
		    "another domain's parameters are -EPERM, none -ESRCH");
	v = 5;
	ret = param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_X87_FIP_WIDTH, &v);
	v = 4;
	ktap_result(ret == -XEN_EINVAL &&
		    param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_X87_FIP_WIDTH,
			  &v) == 0,
		    "the FIP width takes 0, 4 or 8 only");
	ktap_result(hypercall2(__HYPERVISOR_hvm_op, HVMOP_get_param,
			       bad_address) == -XEN_EFAULT,
		    "a bad argument pointer is -EFAULT");
	ktap_result(hypercall2(__HYPERVISOR_hvm_op, 0x1000, 0) == -XEN_ENOSYS,
		    "an unknown hvm_op is -ENOSYS");
}

/* The 32-bit layouts of hv/compat.h are those of Xen's i386 headers. */
#define SAME_SIZE(a, b)	_Static_assert(sizeof(a) == sizeof(b), #a)
#define SAME_PLACE(a, b, f) \
	_Static_assert(offsetof(a, f) == offsetof(b, f), #a "." #f)
SAME_SIZE(struct xen_memory_map, struct compat_memory_map);
SAME_PLACE(struct xen_memory_map, struct compat_memory_map, buffer);
SAME_SIZE(struct xen_foreign_memory_map, struct compat_foreign_memory_map);
SAME_PLACE(struct xen_foreign_memory_map, struct compat_foreign_memory_map,
	   map);
SAME_SIZE(struct xen_memory_reservation, struct compat_memory_reservation);
SAME_PLACE(struct xen_memory_reservation, struct compat_memory_reservation,
	   nr_extents);
SAME_PLACE(struct xen_memory_reservation, struct compat_memory_reservation,
	   extent_order);
SAME_PLACE(struct xen_memory_reservation, struct compat_memory_reservation,
	   mem_flags);
SAME_PLACE(struct xen_memory_reservation, struct compat_memory_reservation,
	   domid);
SAME_SIZE(struct xen_add_to_physmap, struct compat_add_to_physmap);
SAME_PLACE(struct xen_add_to_physmap, struct compat_add_to_physmap, space);
SAME_PLACE(struct xen_add_to_physmap, struct compat_add_to_physmap, idx);
SAME_PLACE(struct xen_add_to_physmap, struct compat_add_to_physmap, gpfn);
SAME_SIZE(struct sched_poll, struct compat_sched_poll);
SAME_PLACE(struct sched_poll, struct compat_sched_poll, nr_ports);
SAME_PLACE(struct sched_poll, struct compat_sched_poll, timeout);
SAME_SIZE(struct vcpu_runstate_info, struct compat_vcpu_runstate_info);
SAME_PLACE(struct vcpu_runstate_info, struct compat_vcpu_runstate_info,
	   state_entry_time);
SAME_PLACE(struct vcpu_runstate_info, struct compat_vcpu_runstate_info, time);
SAME_SIZE(struct vcpu_info, struct compat_vcpu_info);
SAME_PLACE(struct vcpu_info, struct compat_vcpu_info, evtchn_pending_sel);
SAME_PLACE(struct vcpu_info, struct compat_vcpu_info, time);
SAME_PLACE(struct shared_info, struct compat_shared_info, evtchn_pending);
SAME_PLACE(struct shared_info, struct compat_shared_info, evtchn_mask);
SAME_PLACE(struct shared_info, struct compat_shared_info, wc_version);
SAME_PLACE(struct shared_info, struct compat_shared_info, wc_sec);
SAME_PLACE(struct shared_info, struct compat_shared_info, wc_nsec);
_Static_assert(offsetof(struct shared_info, arch.wc_sec_hi) ==
	       offsetof(struct compat_shared_info, wc_sec_hi), "wc_sec_hi");

/* struct e820entry as xenctrl.h packs it: what memory_map returns. */
struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

static long memory_map(struct e820_entry *map, unsigned int *nr)
{
	struct xen_memory_map m = { .nr_entries = *nr };
	long ret;

	set_xen_guest_handle(m.buffer, map);
	ret = hypercall2(__HYPERVISOR_memory_op, XENMEM_memory_map,
			 (unsigned long)&m);
	*nr = m.nr_entries;
	return ret;
}

static void test_memory_map(void)
{
	const struct hvm_memmap_table_entry *pvh =
		(const void *)(uintptr_t)start_info->memmap_paddr;
	struct e820_entry map[8], one = { .addr = 0, .size = 4096, .type = 1 };
	struct xen_foreign_memory_map fmap = { .domid = DOMID_SELF };
	unsigned int nr = 8, i;
	bool same;
	long ret;

	ret = memory_map(map, &nr);
	same = ret == 0 && nr == start_info->memmap_entries;
	for (i = 0; same && i < nr; i++)
		same = map[i].addr == pvh[i].addr &&
		       map[i].size == pvh[i].size &&
		       map[i].type == pvh[i].type;
	ktap_result(same, "memory_map is the map the builder set: %d, %u",
		    (int)ret, nr);
	nr = 1;
	ktap_result(memory_map(map, &nr) == 0 && nr == 1 && map[0].addr == 0,
		    "memory_map returns as much as there is room for");
	fmap.map.nr_entries = 1;
	set_xen_guest_handle(fmap.map.buffer, &one);
	ret = hypercall2(__HYPERVISOR_memory_op, XENMEM_set_memory_map,
			 (unsigned long)&fmap);
	nr = 8;
	ktap_result(ret == 0 && memory_map(map, &nr) == 0 && nr == 1 &&
		    map[0].size == 4096,
		    "a guest may set its own map");
	fmap.map.nr_entries = 1025;
	ktap_result(hypercall2(__HYPERVISOR_memory_op, XENMEM_set_memory_map,
			       (unsigned long)&fmap) == -XEN_EINVAL,
		    "more than 1024 entries is -EINVAL");
	fmap.map.nr_entries = 1;
	fmap.domid = 0;
	ktap_result(hypercall2(__HYPERVISOR_memory_op, XENMEM_set_memory_map,
			       (unsigned long)&fmap) == -XEN_EPERM,
		    "another domain's map is -EPERM");
	nr = 8;
	set_xen_guest_handle(fmap.map.buffer, (void *)bad_address);
	fmap.domid = DOMID_SELF;
	ktap_result(hypercall2(__HYPERVISOR_memory_op, XENMEM_set_memory_map,
			       (unsigned long)&fmap) == -XEN_EFAULT &&
		    memory_map((void *)bad_address, &nr) == -XEN_EFAULT,
		    "bad buffers are -EFAULT");
}

static void test_reservation(void)
{
	domid_t self = DOMID_SELF, dom0 = 0;
	long cur, max;

	cur = hypercall2(__HYPERVISOR_memory_op, XENMEM_current_reservation,
			 (unsigned long)&self);
	max = hypercall2(__HYPERVISOR_memory_op, XENMEM_maximum_reservation,
			 (unsigned long)&self);
	ktap_result(cur > 0 && max >= cur,
		    "the guest reads its reservation: %d of %d pages",
		    (int)cur, (int)max);
	ktap_result(hypercall2(__HYPERVISOR_memory_op,
			       XENMEM_current_reservation,
			       (unsigned long)&dom0) == -XEN_EPERM,
		    "dom0's reservation is -EPERM");
}

/* Pages of the guest's RAM that the tests give to Xen's pages, or back. */
static uint8_t spare[3][4096] __attribute__((aligned(4096)));
static struct shared_info *shared;

static unsigned long gfn_of(const void *p)
{
	return (uintptr_t)p >> 12;
}

static long current_reservation(void)
{
	domid_t self = DOMID_SELF;

	return hypercall2(__HYPERVISOR_memory_op, XENMEM_current_reservation,
			  (unsigned long)&self);
}

/* populate_physmap or decrease_reservation of one extent at GFN. */
static long reservation_op(unsigned int op, domid_t domid, unsigned long gfn,
			   unsigned int order)
{
	xen_pfn_t pfn = gfn;
	struct xen_memory_reservation r = {
		.nr_extents = 1, .extent_order = order, .domid = domid,
	};

	set_xen_guest_handle(r.extent_start, &pfn);
	return hypercall2(__HYPERVISOR_memory_op, op, (unsigned long)&r);
}

/* SCHEDOP_yield: the vCPU leaves its CPU and Xen switches it in again. */
static void sched_yield(void)
{
	hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
}

static void test_shared_info(void)
{
	uint64_t now = parse_number(cmdline_option("now"), 0), wc;
	long before = current_reservation(), ret;
	struct vcpu_time_info *t, old, cur;
	uint64_t tsc, a, b, expected;
	uint32_t version;

	ret = shared_info_place(gfn_of(spare[0]), &shared);
	ktap_result(ret == 0 && current_reservation() == before - 1,
		    "shared_info goes over a page of RAM, which is freed: %d",
		    (int)ret);
	if (ret)
		return;
	wc = wallclock_seconds(shared);
	ktap_result(shared->wc_version && !(shared->wc_version & 1) &&
		    wc > 1000000000ull && (!now || (wc < now + 60 && now < wc + 60)),
		    "the wallclock is set: %llu s (dom0: %llu s)",
		    (unsigned long long)wc, (unsigned long long)now);
	t = &shared->vcpu_info[0].time;
	ktap_result(t->tsc_to_system_mul && !(t->version & 1) &&
		    t->system_time, "vCPU 0's pvclock is in it");

	pvclock_snapshot(&old, t);
	sched_yield();
	pvclock_snapshot(&cur, t);
	tsc = rdtsc();
	a = pvclock_ns(&old, tsc);
	b = pvclock_ns(&cur, tsc);
	ktap_result(cur.version != old.version && b + 2 >= a && a + 2 >= b,
		    "the pvclock does not step when Xen updates it: %lld ns",
		    (long long)(b - a));
	tsc = rdtsc();
	a = pvclock_ns(&cur, tsc);
	b = pvclock_ns(&cur, tsc + 10000000);
	expected = 10000000ull * 1000000 / tsc_khz();
	ktap_result(b - a + 2 + expected / 1000000 >= expected &&
		    b - a <= expected + 2 + expected / 1000000,
		    "it runs at the TSC's rate: %llu ns for %llu",
		    (unsigned long long)(b - a), (unsigned long long)expected);

	version = shared->wc_version;
	ret = shared_info_place(gfn_of(spare[1]), &shared);
	ktap_result(ret == 0 && current_reservation() == before - 2 &&
		    shared->wc_version == version,
		    "shared_info moves to another page: %d", (int)ret);
	ret = reservation_op(XENMEM_populate_physmap, DOMID_SELF,
			     gfn_of(spare[0]), 0);
	__atomic_store_n(&spare[0][8], 0x5a, __ATOMIC_RELAXED);
	ktap_result(ret == 1 && current_reservation() == before - 1 &&
		    __atomic_load_n(&spare[0][8], __ATOMIC_RELAXED) == 0x5a,
		    "the page it left takes RAM again");
	ktap_result(add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 1,
				   gfn_of(spare[1])) == -XEN_EINVAL &&
		    add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0,
				   ~0ul) == -XEN_EINVAL &&
		    add_to_physmap(DOMID_SELF, 99, 0, gfn_of(spare[1])) ==
		    -XEN_EINVAL,
		    "add_to_physmap: a bad index, gfn or space is -EINVAL");
	ktap_result(add_to_physmap(0, XENMAPSPACE_shared_info, 0,
				   gfn_of(spare[1])) == -XEN_EPERM &&
		    add_to_physmap(NO_SUCH_DOMAIN, XENMAPSPACE_shared_info, 0,
				   gfn_of(spare[1])) == -XEN_ESRCH &&
		    add_to_physmap(DOMID_SELF, XENMAPSPACE_dev_mmio, 0,
				   gfn_of(spare[1])) == -XEN_EACCES &&
		    add_to_physmap(DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0,
				   gfn_of(spare[1])) == -XEN_ENOSYS,
		    "add_to_physmap: -EPERM, -ESRCH, -EACCES, -ENOSYS as Xen's");
	ktap_result(hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
			       bad_address) == -XEN_EFAULT,
		    "add_to_physmap: a bad argument is -EFAULT");
}

static long vcpu_op(int cmd, unsigned int vcpu, const void *arg)
{
	return hypercall(__HYPERVISOR_vcpu_op, cmd, vcpu, (unsigned long)arg,
			 0, 0);
}

static void test_runstate(void)
{
	static struct vcpu_runstate_info area;
	struct vcpu_register_runstate_memory_area reg = {
		.addr.p = (uintptr_t)&area,
	};
	struct vcpu_runstate_info r;
	uint64_t entry, running;
	long ret;

	ktap_result(vcpu_op(VCPUOP_is_up, 0, NULL) == 1 &&
		    vcpu_op(VCPUOP_is_up, 1, NULL) == -XEN_ENOENT &&
		    vcpu_op(VCPUOP_is_up, ~0u, NULL) == -XEN_ENOENT,
		    "is_up: vCPU 0 is, others are -ENOENT");
	ret = vcpu_op(VCPUOP_get_runstate_info, 0, &r);
	ktap_result(ret == 0 && r.state == RUNSTATE_running &&
		    r.time[RUNSTATE_running] > 0 &&
		    vcpu_op(VCPUOP_get_runstate_info, 0, (void *)bad_address) ==
		    -XEN_EFAULT,
		    "get_runstate_info: running, for %llu ns",
		    (unsigned long long)r.time[RUNSTATE_running]);
	ret = vcpu_op(VCPUOP_register_runstate_memory_area, 0, &reg);
	entry = area.state_entry_time;
	running = area.time[RUNSTATE_running];
	ktap_result(ret == 0 && area.state == RUNSTATE_running && entry,
		    "a registered runstate area is written at once");
	sched_yield();
	ktap_result(area.state == RUNSTATE_running &&
		    area.state_entry_time > entry &&
		    area.time[RUNSTATE_running] > running,
		    "it follows the vCPU out and in again");
	ktap_result(hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable,
			       VMASST_TYPE_runstate_update_flag) == 0 &&
		    hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable,
			       VMASST_TYPE_writable_pagetables) == -XEN_EINVAL &&
		    hypercall2(__HYPERVISOR_vm_assist, 7,
			       VMASST_TYPE_runstate_update_flag) == -XEN_ENOSYS,
		    "vm_assist: HVM's runstate update flag only");
	entry = area.state_entry_time;
	sched_yield();
	ktap_result(area.state_entry_time > entry &&
		    !(area.state_entry_time & XEN_RUNSTATE_UPDATE),
		    "with it, a finished update leaves the flag clear");
}

static void test_vcpu_info(void)
{
	struct vcpu_register_vcpu_info reg = { .mfn = gfn_of(spare[2]) };
	struct vcpu_info *info = (struct vcpu_info *)(spare[2] + 64);
	uint64_t in_shared, registered;

	reg.offset = 2;
	ktap_result(vcpu_op(VCPUOP_register_vcpu_info, 0, &reg) == -XEN_ENXIO,
		    "register_vcpu_info: a misaligned offset is -ENXIO");
	reg.offset = 4096 - 32;
	ktap_result(vcpu_op(VCPUOP_register_vcpu_info, 0, &reg) == -XEN_ENXIO,
		    "register_vcpu_info: past the page's end is -ENXIO");
	reg.offset = 64;
	reg.mfn = low_ram_end() >> 12;
	ktap_result(vcpu_op(VCPUOP_register_vcpu_info, 0, &reg) == -XEN_EINVAL &&
		    vcpu_op(VCPUOP_register_vcpu_info, 1, &reg) == -XEN_ENOENT,
		    "register_vcpu_info: no RAM is -EINVAL, no vCPU -ENOENT");
	reg.mfn = gfn_of(spare[2]);
	ktap_result(vcpu_op(VCPUOP_register_vcpu_info, 0, &reg) == 0 &&
		    info->evtchn_upcall_pending == 1 &&
		    info->evtchn_pending_sel == ~0ul &&
		    info->time.tsc_to_system_mul ==
		    shared->vcpu_info[0].time.tsc_to_system_mul,
		    "register_vcpu_info: moved, with every event pending");
	ktap_result(vcpu_op(VCPUOP_register_vcpu_info, 0, &reg) == -XEN_EINVAL,
		    "register_vcpu_info: only once");
	in_shared = shared->vcpu_info[0].time.system_time;
	registered = info->time.system_time;
	sched_yield();
	ktap_result(info->time.system_time > registered &&
		    shared->vcpu_info[0].time.system_time == in_shared,
		    "the pvclock is updated in the new place only");
	ktap_result(vcpu_op(VCPUOP_get_physid, 0, NULL) == -XEN_EINVAL &&
		    vcpu_op(99, 0, NULL) == -XEN_ENOSYS,
		    "vcpu_op: get_physid is -EINVAL, an unknown op -ENOSYS");
}

/* The guest's own RAM: the last page below its low RAM's end. */
static void test_own_memory(void)
{
	unsigned long last = (low_ram_end() >> 12) - 1;
	uint32_t *page = (uint32_t *)(last << 12);
	long before = current_reservation();

	ktap_result(reservation_op(XENMEM_decrease_reservation, DOMID_SELF,
				   last, 0) == 1 &&
		    current_reservation() == before - 1,
		    "the guest gives a page back");
	ktap_result(reservation_op(XENMEM_populate_physmap, DOMID_SELF,
				   last, 0) == 1 &&
		    current_reservation() == before &&
		    !__atomic_load_n(page, __ATOMIC_RELAXED) &&
		    (__atomic_store_n(page, 0xfeed, __ATOMIC_RELAXED),
		     __atomic_load_n(page, __ATOMIC_RELAXED) == 0xfeed),
		    "and takes it again, zeroed");
	ktap_result(reservation_op(XENMEM_populate_physmap, DOMID_SELF,
				   last + 1, 10) == 0 &&
		    current_reservation() == before,
		    "an extent over 2 MiB is not done (Xen's domU limit)");
	ktap_result(reservation_op(XENMEM_populate_physmap, 0, last + 1, 0) ==
		    0 &&
		    reservation_op(XENMEM_decrease_reservation, DOMID_SELF,
				   last + 1, 0) == 0,
		    "dom0's memory and a hole are not the guest's to change");
}

static void test_others(void)
{
	struct sched_remote_shutdown rs = { .domain_id = 0 };
	char buf[8];

	ktap_result(hypercall2(__HYPERVISOR_xen_version, XENVER_version, 0) ==
		    (4 << 16 | 17), "xen_version is 4.17");
	ktap_result(hypercall(__HYPERVISOR_console_io, CONSOLEIO_write, 4,
			      bad_address, 0, 0) == -XEN_EFAULT &&
		    hypercall(__HYPERVISOR_console_io, CONSOLEIO_read,
			      sizeof(buf), (unsigned long)buf, 0, 0) ==
		    -XEN_EPERM,
		    "console_io: a bad buffer is -EFAULT, reading -EPERM");
	ktap_result(hypercall2(__HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
			       (unsigned long)&rs) == -XEN_EPERM &&
		    hypercall2(__HYPERVISOR_sched_op, 1000, 0) == -XEN_ENOSYS,
		    "sched_op: remote_shutdown is -EPERM, unknown -ENOSYS");
	ktap_result(hypercall2(60, 0, 0) == -XEN_ENOSYS,
		    "an unknown hypercall is -ENOSYS");
}

/* The MTRRs Xen emulates for HVM: 8 variable pairs, fixed ranges, WC. */
static void test_mtrrs(void)
{
	uint64_t cap = rdmsr(0xfe);

	wrmsr(0x2ff, 0xc06);		/* enabled, fixed enabled, WB */
	wrmsr(0x200, 0x80000000ull | 0);	/* base 2 GiB, UC */
	wrmsr(0x259, 0x0606060606060606ull);	/* 16K at A0000: WB */
	ktap_result(cap == 0x508 && rdmsr(0x2ff) == 0xc06 &&
		    rdmsr(0x200) == 0x80000000ull &&
		    rdmsr(0x259) == 0x0606060606060606ull,
		    "MTRRs: IA32_MTRRCAP %#llx; the default type, a base and a fixed range read back",
		    (unsigned long long)cap);
}

/*
 * AMD's system configuration MSRs, which Linux reads unchecked at boot:
 * 0 on Xen's SVM (SYSCFG, TOP_MEM1 and 2, VM_CR, EX_CFG); on Intel they
 * do not exist, and Xen's VMX raises #GP.
 */
static void test_amd_config_msrs(void)
{
	static const uint32_t msrs[] = {
		0xc0010010, 0xc001001a, 0xc001001d, 0xc0010114, 0xc001102c,
	};
	uint64_t any = 0;
	unsigned int i, faults = 0;
	uint32_t r[4];
	bool amd;

	cpuid(0, r);
	amd = r[1] == 0x68747541;	/* "Auth"enticAMD */
	for (i = 0; i < ARRAY_SIZE(msrs); i++) {
		if (amd)
			any |= rdmsr(msrs[i]);
		else
			faults += rdmsr_faults(msrs[i]);
	}
	ktap_result(amd ? any == 0 : faults == ARRAY_SIZE(msrs),
		    "AMD's SYSCFG, TOP_MEM1/2, VM_CR and EX_CFG: 0 on AMD, #GP on Intel");
}

/*
 * Xen's vMCE: two banks, MCG_STATUS kept, each bank's CTL all ones and
 * STATUS 0, banks past the two reading 0. And IA32_TSC_AUX, which
 * RDTSCP returns, per vCPU where CPUID has RDTSCP.
 */
static void test_machine_check_and_tsc_aux(void)
{
	uint32_t r[4], aux;
	bool rdtscp;

	wrmsr(0x17a, 0);
	ktap_result((rdmsr(0x179) & 0xff) == 2 && rdmsr(0x17a) == 0 &&
		    rdmsr(0x404) == ~0ull && rdmsr(0x405) == 0 &&
		    rdmsr(0x408) == 0,
		    "vMCE: MCG_CAP %#llx, MC1_CTL all ones, no errors, no bank 2",
		    (unsigned long long)rdmsr(0x179));
	ktap_result(wrmsr_faults(0x405, 1) && !wrmsr_faults(0x405, 0) &&
		    wrmsr_faults(0x4d0, 0),
		    "vMCE #GPs: an error written to MC1_STATUS, MCG_EXT_CTL");
	cpuid(0x80000001, r);
	rdtscp = r[3] & (1u << 27);
	cpuid(7, r);
	if (!rdtscp && !(r[2] & (1u << 22))) {	/* nor RDPID */
		ktap_result(rdmsr_faults(0xc0000103),
			    "no RDTSCP or RDPID in CPUID: TSC_AUX is #GP");
		return;
	}
	wrmsr(0xc0000103, 0x1234);
	aux = 0x1234;
	if (rdtscp)
		asm volatile("rdtscp" : "=c"(aux) : : "eax", "edx");
	ktap_result(aux == 0x1234 && rdmsr(0xc0000103) == 0x1234,
		    "TSC_AUX: kept per vCPU, and RDTSCP returns it (%#x)", aux);
}

/* XSAVE's area for XCR0 of x87 and SSE: the legacy region and header. */
#define XSAVE_LEGACY_BYTES	576
#define CR4_OSXSAVE		(1u << 18)

/* Leaf 0xd's largest area: for every component it offers. */
static uint32_t xsave_bytes_for(uint64_t components)
{
	uint32_t r[4], bytes = XSAVE_LEGACY_BYTES;
	unsigned int i;

	for (i = 2; i < 63; i++) {
		if (!(components >> i & 1))
			continue;
		cpuid_count(0xd, i, r);
		if (r[0] + r[1] > bytes)
			bytes = r[0] + r[1];
	}
	return bytes;
}

/*
 * XSAVE as Xen offers it: leaf 0xd offers what the host switches, XCR0
 * takes all of it and #GPs on anything else, and the area's size in
 * leaf 0xd's EBX follows the XCR0 the vCPU enabled (Linux checks it).
 */
static void test_xsave(void)
{
	uint64_t offered;
	uint32_t r[4], cr4, all, i;
	bool took_all, took_legacy;

	cpuid(1, r);
	if (!(r[2] & (1u << 26))) {
		for (i = 0; i < 3; i++)
			ktap_result(true, "XSAVE # SKIP not offered");
		return;
	}
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_OSXSAVE));
	cpuid_count(0xd, 0, r);
	offered = (uint64_t)r[3] << 32 | r[0];
	all = r[2];
	took_all = !xsetbv_faults(offered);
	cpuid_count(0xd, 0, r);
	ktap_result(took_all && r[1] == all && all == xsave_bytes_for(offered),
		    "XSAVE: XCR0 takes all leaf 0xd offers (%#llx), its area %u bytes, the most (%u)",
		    (unsigned long long)offered, r[1], all);
	took_legacy = !xsetbv_faults(3);
	cpuid_count(0xd, 0, r);
	ktap_result(took_legacy && r[1] == XSAVE_LEGACY_BYTES,
		    "XSAVE: XCR0 back to x87 and SSE, its area %u bytes", r[1]);
	ktap_result(xsetbv_faults(3 | 1ull << 63) && xsetbv_faults(2) &&
		    xsetbv_faults(5),
		    "XSAVE: XSETBV #GPs on a component not offered, without x87, on AVX without SSE");
}

void guest_main(const struct hvm_start_info *si)
{
	start_info = si;
	bad_address = low_ram_end();
	ktap_plan(57);
	test_params();
	test_memory_map();
	test_reservation();
	test_shared_info();
	test_runstate();
	test_vcpu_info();
	test_own_memory();
	test_others();
	test_mtrrs();
	test_amd_config_msrs();
	test_machine_check_and_tsc_aux();
	test_xsave();
	if (!ktap_all_ok())
		shutdown(SHUTDOWN_crash);
}
