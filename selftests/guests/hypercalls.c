// SPDX-License-Identifier: GPL-2.0
/*
 * The hypercalls test guest: what a PVH guest may ask of Xen about
 * itself, with good and bad arguments, in KTAP. It powers off when all
 * passed and crashes otherwise, so `kxen boot` fails too.
 */
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
	uint64_t v = 0, pfn = 0;
	long ret;

	ret = param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_STORE_PFN, &pfn);
	ktap_result(ret == 0 && pfn >= SPECIAL_PFN_END - SPECIAL_PAGES &&
		    pfn < SPECIAL_PFN_END,
		    "the builder's xenstore page is readable: %d, pfn %llx",
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

/* The 32-bit layouts hv/memory.c reads (Xen's compat ABI). */
_Static_assert(sizeof(struct xen_memory_map) == 8 &&
	       offsetof(struct xen_memory_map, buffer) == 4, "memory_map");
_Static_assert(sizeof(struct xen_foreign_memory_map) == 12 &&
	       offsetof(struct xen_foreign_memory_map, map) == 4,
	       "foreign_memory_map");

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

void guest_main(const struct hvm_start_info *si)
{
	start_info = si;
	bad_address = low_ram_end();
	ktap_plan(22);
	test_params();
	test_memory_map();
	test_reservation();
	test_others();
	if (!ktap_all_ok())
		shutdown(SHUTDOWN_crash);
}
