// SPDX-License-Identifier: GPL-2.0
/*
 * A PVH test guest of a domain's other vCPUs, booted with --vcpus 4:
 * the ACPI tables (MADT) describing them, VCPUOP_initialise's checks (Xen 4.17's), then vCPUs 1-3 started with
 * VCPUOP_initialise and VCPUOP_up, each seeing its own vCPU ID and
 * local APIC; fixed IPIs between them by APIC ID and by shorthand;
 * a spinning vCPU stopped with VCPUOP_down and started again; vCPUs
 * halting with interrupts off go down; the same vCPUs started again
 * by INIT and SIPI in real mode, as Linux starts them; and the last
 * vCPU's VCPUOP_down powers the domain off. Prints KTAP; crashes when a check failed.
 */
#include "lib/guest.h"
#include <xen/arch-x86/cpuid.h>
#include <xen/hvm/hvm_vcpu.h>

#define MS		1000000ull
#define NR_VCPUS	4
#define IPI_VECTOR	0x40
#define APIC_ID		0x20
#define APIC_SVR	0xf0
#define APIC_EOI	0xb0
#define APIC_ICR	0x300
#define APIC_ICR2	0x310
#define ALL_BUT_SELF	(3u << 18)
#define DM_INIT		(5u << 8)
#define DM_STARTUP	(6u << 8)
#define LEVEL_ASSERT	(3u << 14)	/* level-triggered, asserted */
#define LEVEL_DEASSERT	(2u << 14)
#define SIPI_PAGE	0x8000u		/* free RAM below 1 MiB */
#define STACK_SIZE	4096

/* Segment attributes in Xen's 12-bit form: flat code, data, a busy TSS. */
#define AR_CODE32	0xc9b
#define AR_DATA32	0xc93
#define AR_TSS32	0x08b

static uint8_t shared_page[4096] __attribute__((aligned(4096)));
static struct shared_info *shared;
static uint8_t stacks[NR_VCPUS][STACK_SIZE] __attribute__((aligned(16)));

/* What each vCPU reports, by vCPU ID. */
static unsigned int arrived[NR_VCPUS], cpuid_vcpu[NR_VCPUS];
static unsigned int apic_id[NR_VCPUS], ipis[NR_VCPUS], spins[NR_VCPUS];
static bool release;

static unsigned int get(unsigned int *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static long vcpu_op(unsigned int cmd, unsigned int vcpu, void *arg)
{
	return hypercall(__HYPERVISOR_vcpu_op, cmd, vcpu, (unsigned long)arg,
			 0, 0);
}

/* Spins until *P reaches N or LIMIT_NS passes; whether it did. */
static bool wait_for(unsigned int *p, unsigned int n, uint64_t limit_ns)
{
	uint64_t end = pvclock_now(shared) + limit_ns;

	while (get(p) < n && pvclock_now(shared) < end)
		;
	return get(p) >= n;
}

static void delay(uint64_t ns)
{
	uint64_t end = pvclock_now(shared) + ns;

	while (pvclock_now(shared) < end)
		;
}

/* Whether vCPU's runstate says it is off its CPU, within LIMIT_NS. */
static bool comes_off_cpu(unsigned int vcpu, uint64_t limit_ns)
{
	uint64_t end = pvclock_now(shared) + limit_ns;
	struct vcpu_runstate_info r;

	do {
		if (vcpu_op(VCPUOP_get_runstate_info, vcpu, &r) == 0 &&
		    r.state == RUNSTATE_offline)
			return true;
	} while (pvclock_now(shared) < end);
	return false;
}

static unsigned int my_vcpu(void)
{
	return lapic_read(APIC_ID) >> 25;	/* APIC ID = 2 * vCPU ID */
}

static void ipi_handler(void)
{
	__atomic_add_fetch(&ipis[my_vcpu()], 1, __ATOMIC_SEQ_CST);
	lapic_write(APIC_EOI, 0);
}

void ap_main(unsigned int vcpu)
{
	uint32_t r[4];

	idt_load();
	cpuid(0x40000004, r);
	cpuid_vcpu[vcpu] = (r[0] & XEN_HVM_CPUID_VCPU_ID_PRESENT) ? r[1] : ~0u;
	apic_id[vcpu] = lapic_read(APIC_ID) >> 24;
	lapic_write(APIC_SVR, 0x1ff);
	__atomic_add_fetch(&arrived[vcpu], 1, __ATOMIC_SEQ_CST);
	asm volatile("sti" : : : "memory");
	while (!__atomic_load_n(&release, __ATOMIC_SEQ_CST))
		__atomic_add_fetch(&spins[vcpu], 1, __ATOMIC_SEQ_CST);
	/* Halting with interrupts off takes a vCPU down, as on Xen. */
	for (;;)
		asm volatile("cli; hlt" : : : "memory");
}

/* A flat 32-bit start at ap_start() on vCPU's stack. */
static void context(struct vcpu_hvm_context *c, unsigned int vcpu)
{
	struct vcpu_hvm_x86_32 *r = &c->cpu_regs.x86_32;

	memset(c, 0, sizeof(*c));
	c->mode = VCPU_HVM_MODE_32B;
	r->eip = (uint32_t)(uintptr_t)ap_start;
	r->esp = (uint32_t)(uintptr_t)stacks[vcpu] + STACK_SIZE;
	r->ebx = vcpu;
	r->eflags = 0x2;
	r->cr0 = 0x11;			/* PE, ET */
	r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = ~0u;
	r->cs_ar = AR_CODE32;
	r->ds_ar = r->ss_ar = r->es_ar = AR_DATA32;
	r->tr_limit = 0x67;
	r->tr_ar = AR_TSS32;
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Whether the table at ADDR has signature SIG and sums to 0. */
static const uint8_t *table(uint64_t addr, const char *sig)
{
	const uint8_t *t = (const uint8_t *)(uintptr_t)addr;
	uint8_t sum = 0;
	uint32_t i;

	if (addr >> 32 || strncmp((const char *)t, sig, 4))
		return NULL;
	for (i = 0; i < get32(t + 4); i++)
		sum += t[i];
	return sum ? NULL : t;
}

/* Whether the PVH memory map has [ADDR, ADDR + LEN) as ACPI tables. */
static bool in_acpi_range(const struct hvm_start_info *si, uint64_t addr,
			  uint32_t len)
{
	const struct hvm_memmap_table_entry *map =
		(const void *)(uintptr_t)si->memmap_paddr;
	uint32_t i;

	for (i = 0; i < si->memmap_entries; i++)
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_ACPI &&
		    map[i].addr <= addr && addr + len <= map[i].addr + map[i].size)
			return true;
	return false;
}

/*
 * The ACPI tables libxl gives a PVH guest: the RSDP at the start info's
 * rsdp_paddr, its XSDT, a hardware-reduced FADT with its DSDT, and a
 * MADT with a local APIC per vCPU, APIC ID 2 * vCPU, enabled.
 */
static void test_acpi(const struct hvm_start_info *si)
{
	const uint8_t *rsdp = (const uint8_t *)(uintptr_t)si->rsdp_paddr;
	const uint8_t *xsdt = NULL, *fadt = NULL, *madt = NULL, *dsdt = NULL;
	bool rsdp_ok = false, lapics = true;
	uint8_t sum = 0;
	unsigned int i;

	if (si->rsdp_paddr && !strncmp((const char *)rsdp, "RSD PTR ", 8)) {
		for (i = 0; i < 36; i++)
			sum += rsdp[i];
		rsdp_ok = !sum && rsdp[15] == 2 &&
			  in_acpi_range(si, si->rsdp_paddr, 36);
		xsdt = table(get32(rsdp + 24), "XSDT");
	}
	for (i = 0; xsdt && 36 + 8 * i < get32(xsdt + 4); i++) {
		uint32_t addr = get32(xsdt + 36 + 8 * i);

		if (!fadt)
			fadt = table(addr, "FACP");
		if (!madt)
			madt = table(addr, "APIC");
	}
	if (fadt)
		dsdt = table(get32(fadt + 140), "DSDT");
	ktap_result(rsdp_ok && xsdt && fadt && dsdt &&
		    (get32(fadt + 112) & (1u << 20)) &&
		    in_acpi_range(si, (uintptr_t)xsdt, get32(xsdt + 4)),
		    "ACPI: RSDP at rsdp_paddr, XSDT, hardware-reduced FADT, DSDT, in ACPI memory");
	for (i = 0; madt && i < NR_VCPUS; i++) {
		const uint8_t *e = madt + 44 + 8 * i;

		lapics &= 44 + 8 * i < get32(madt + 4) && e[0] == 0 &&
			  e[3] == 2 * i && (get32(e + 4) & 1);
	}
	ktap_result(madt && get32(madt + 36) == LAPIC_BASE && lapics &&
		    get32(madt + 4) == 44 + 8 * NR_VCPUS,
		    "ACPI MADT: the LAPIC at 0xfee00000, one enabled per vCPU, APIC ID 2 * ID");
}

static void test_initialise_checks(void)
{
	struct vcpu_hvm_context c;
	long bad_mode, bad_pad, bad_eip, bad_cs, bad_64, bad_cr4;

	context(&c, 1);
	c.mode = 2;
	bad_mode = vcpu_op(VCPUOP_initialise, 1, &c);
	context(&c, 1);
	c.pad = 1;
	bad_pad = vcpu_op(VCPUOP_initialise, 1, &c);
	context(&c, 1);
	c.cpu_regs.x86_32.cs_limit = 0xff;	/* byte-granular: 255 bytes */
	c.cpu_regs.x86_32.cs_ar = AR_CODE32 & ~0x800;
	bad_eip = vcpu_op(VCPUOP_initialise, 1, &c);
	context(&c, 1);
	c.cpu_regs.x86_32.cs_ar = AR_DATA32;
	bad_cs = vcpu_op(VCPUOP_initialise, 1, &c);
	memset(&c, 0, sizeof(c));
	c.mode = VCPU_HVM_MODE_64B;
	c.cpu_regs.x86_64.cr4 = 0x20;		/* PAE, but no paging */
	c.cpu_regs.x86_64.efer = 0x100;
	bad_64 = vcpu_op(VCPUOP_initialise, 1, &c);
	context(&c, 1);
	c.cpu_regs.x86_32.cr4 = 1u << 31;	/* reserved */
	bad_cr4 = vcpu_op(VCPUOP_initialise, 1, &c);
	ktap_result(bad_mode == -XEN_EINVAL && bad_pad == -XEN_EINVAL &&
		    bad_eip == -XEN_EINVAL && bad_cs == -XEN_EINVAL &&
		    bad_64 == -XEN_EINVAL && bad_cr4 == -XEN_EINVAL,
		    "initialise: bad mode, pad, EIP past CS's limit, data CS, 64-bit without paging, reserved CR4: -EINVAL (%ld %ld %ld %ld %ld %ld)",
		    bad_mode, bad_pad, bad_eip, bad_cs, bad_64, bad_cr4);
	ktap_result(vcpu_op(VCPUOP_initialise, NR_VCPUS, &c) == -XEN_ENOENT &&
		    vcpu_op(VCPUOP_up, 1, NULL) == -XEN_EINVAL &&
		    vcpu_op(VCPUOP_is_up, 0, NULL) == 1 &&
		    vcpu_op(VCPUOP_is_up, 1, NULL) == 0,
		    "no vCPU 4: -ENOENT; up before initialise: -EINVAL; only vCPU 0 is up");
}

static void test_start(void)
{
	struct vcpu_hvm_context c;
	bool all = true, own = true;
	unsigned int i;
	long ret = 0;

	for (i = 1; i < NR_VCPUS; i++) {
		context(&c, i);
		ret |= vcpu_op(VCPUOP_initialise, i, &c);
	}
	ktap_result(!ret && vcpu_op(VCPUOP_initialise, 1, &c) == -XEN_EEXIST &&
		    vcpu_op(VCPUOP_is_up, 1, NULL) == 0,
		    "initialise vCPUs 1-3; again: -EEXIST; still down");
	for (i = 1; i < NR_VCPUS; i++)
		ret |= vcpu_op(VCPUOP_up, i, NULL);
	for (i = 1; i < NR_VCPUS; i++) {
		all &= wait_for(&arrived[i], 1, 2000 * MS);
		own &= get(&cpuid_vcpu[i]) == i && get(&apic_id[i]) == 2 * i;
	}
	ktap_result(!ret && all, "VCPUOP_up: vCPUs 1-3 run");
	ktap_result(own, "each sees its own vCPU ID (CPUID) and APIC ID (2 * ID)");
	ktap_result(vcpu_op(VCPUOP_is_up, 3, NULL) == 1 &&
		    vcpu_op(VCPUOP_up, 3, NULL) == 0,
		    "is_up says so; up of a running vCPU: 0");
}

static void test_ipis(void)
{
	unsigned int before[NR_VCPUS], i;
	bool others = true;

	for (i = 0; i < NR_VCPUS; i++)
		before[i] = get(&ipis[i]);
	lapic_write(APIC_ICR2, 4u << 24);	/* APIC ID 4: vCPU 2 */
	lapic_write(APIC_ICR, IPI_VECTOR);
	wait_for(&ipis[2], before[2] + 1, 1000 * MS);
	ktap_result(get(&ipis[2]) == before[2] + 1 &&
		    get(&ipis[1]) == before[1] && get(&ipis[3]) == before[3],
		    "a fixed IPI to APIC ID 4 reaches vCPU 2 only");
	lapic_write(APIC_ICR, ALL_BUT_SELF | IPI_VECTOR);
	for (i = 1; i < NR_VCPUS; i++)
		others &= wait_for(&ipis[i], before[i] + (i == 2) + 1,
				   1000 * MS);
	ktap_result(others && get(&ipis[0]) == before[0],
		    "all-but-self reaches vCPUs 1-3, not the sender");
}

static void test_down_up(void)
{
	unsigned int stopped_at;
	bool down, off, back;

	down = vcpu_op(VCPUOP_down, 3, NULL) == 0 &&
	       vcpu_op(VCPUOP_is_up, 3, NULL) == 0;
	off = comes_off_cpu(3, 2000 * MS);
	stopped_at = get(&spins[3]);
	delay(50 * MS);
	ktap_result(down && off && get(&spins[3]) == stopped_at,
		    "VCPUOP_down takes a spinning vCPU off its CPU: offline, no more spins");
	back = vcpu_op(VCPUOP_up, 3, NULL) == 0;
	ktap_result(back && wait_for(&spins[3], stopped_at + 1000, 2000 * MS),
		    "VCPUOP_up: it spins on from where it was");
}

static void ipi_to(unsigned int vcpu, uint32_t icr)
{
	lapic_write(APIC_ICR2, (2 * vcpu) << 24);
	lapic_write(APIC_ICR, icr);
}

/* Linux's sequence: INIT asserted and de-asserted, then two SIPIs. */
static void start_by_sipi(unsigned int vcpu)
{
	sipi_esp = (uint32_t)(uintptr_t)stacks[vcpu] + STACK_SIZE;
	sipi_vcpu = vcpu;
	ipi_to(vcpu, DM_INIT | LEVEL_ASSERT);
	ipi_to(vcpu, DM_INIT | LEVEL_DEASSERT);
	ipi_to(vcpu, DM_STARTUP | SIPI_PAGE >> 12);
	ipi_to(vcpu, DM_STARTUP | SIPI_PAGE >> 12);
}

static void test_init_sipi(void)
{
	unsigned int i, before[NR_VCPUS], spun;
	uint8_t *page = (uint8_t *)SIPI_PAGE;
	bool all = true, own = true, stopped, ignored;

	for (i = 0; i < sipi_trampoline_end - sipi_trampoline; i++)
		page[i] = sipi_trampoline[i];
	__atomic_store_n(&release, false, __ATOMIC_SEQ_CST);
	for (i = 1; i < NR_VCPUS; i++) {
		before[i] = get(&arrived[i]);
		start_by_sipi(i);
		all &= wait_for(&arrived[i], before[i] + 1, 2000 * MS);
		own &= get(&cpuid_vcpu[i]) == i && get(&apic_id[i]) == 2 * i;
	}
	ktap_result(all && own,
		    "INIT and SIPI start vCPUs 1-3 in real mode, each as itself");

	ipi_to(3, DM_INIT | LEVEL_ASSERT);
	stopped = vcpu_op(VCPUOP_is_up, 3, NULL) == 0 &&
		  comes_off_cpu(3, 2000 * MS);
	spun = get(&spins[1]);
	ipi_to(1, DM_STARTUP | SIPI_PAGE >> 12);
	delay(50 * MS);
	ignored = get(&arrived[1]) == before[1] + 1 && get(&spins[1]) > spun;
	ktap_result(stopped && ignored,
		    "INIT takes a running vCPU down; a SIPI to one not reset is ignored");
	sipi_esp = (uint32_t)(uintptr_t)stacks[3] + STACK_SIZE;
	sipi_vcpu = 3;
	ipi_to(3, DM_STARTUP | SIPI_PAGE >> 12);
	ktap_result(wait_for(&arrived[3], before[3] + 2, 2000 * MS),
		    "a SIPI starts the vCPU INIT reset");
}

/* vCPUs 1-3, started by HOW, are released: they halt and go down. */
static void test_halt_down(const char *how)
{
	bool all_down = false;
	uint64_t end;
	unsigned int i;

	__atomic_store_n(&release, true, __ATOMIC_SEQ_CST);
	end = pvclock_now(shared) + 2000 * MS;
	while (!all_down && pvclock_now(shared) < end) {
		all_down = true;
		for (i = 1; i < NR_VCPUS; i++)
			all_down &= vcpu_op(VCPUOP_is_up, i, NULL) == 0;
	}
	ktap_result(all_down,
		    "vCPUs 1-3 (%s) halting with interrupts off go down", how);
}

void guest_main(const struct hvm_start_info *si)
{
	ktap_plan(17);
	if (shared_info_place((uintptr_t)shared_page >> 12, &shared))
		shutdown(SHUTDOWN_crash);
	irq_handler_set(0, IPI_VECTOR, ipi_handler);
	lapic_write(APIC_SVR, 0x1ff);
	test_acpi(si);
	test_initialise_checks();
	test_start();
	test_ipis();
	test_down_up();
	test_halt_down("by VCPUOP_up");
	test_init_sipi();
	test_halt_down("by SIPI");
	if (!ktap_all_ok())
		shutdown(SHUTDOWN_crash);
	/* The last vCPU up going down powers the domain off. */
	vcpu_op(VCPUOP_down, 0, NULL);
	shutdown(SHUTDOWN_crash);
}
