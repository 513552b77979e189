// SPDX-License-Identifier: GPL-2.0
/*
 * A PVH test guest of the emulated local APIC, as Xen 4.17 presents it:
 * the xAPIC page after reset (ID, version, LVTs masked), byte and word
 * accesses, the task priority holding back a self-IPI, EOI, the error
 * status of an illegal vector; the timer in one-shot, periodic and
 * TSC-deadline modes measured against the pvclock, and waking a halted
 * vCPU; then x2APIC mode through IA32_APIC_BASE, its MSRs and the #GPs
 * the CPU raises. Prints KTAP; powers off when all passed, crashes
 * otherwise.
 */
#include "lib/guest.h"

#define MS			1000000ull
#define MSR_APIC_BASE		0x1b
#define MSR_TSC_DEADLINE	0x6e0
#define X2APIC_MSR(reg)		(0x800 + ((reg) >> 4))
#define IPI_VECTOR		0x40
#define TIMER_VECTOR		0x50

/* Registers, by their xAPIC offset. */
#define ID		0x20
#define LVR		0x30
#define TPR		0x80
#define PPR		0xa0
#define EOI		0xb0
#define LDR		0xd0
#define DFR		0xe0
#define SVR		0xf0
#define ISR		0x100
#define IRR		0x200
#define ESR		0x280
#define ICR		0x300
#define LVTT		0x320
#define TMICT		0x380
#define TMCCT		0x390
#define TDCR		0x3e0
#define SELF_IPI	0x3f0

#define LVT_MASKED	(1u << 16)
#define PERIODIC	(1u << 17)
#define TSC_DEADLINE	(2u << 17)
#define SELF		(1u << 18)
#define DIVIDE_BY_1	0xb
#define COUNT_NS	10		/* Xen's 100 MHz APIC bus */

static uint8_t shared_page[4096] __attribute__((aligned(4096)));
static struct shared_info *shared;
static bool x2apic;
static unsigned int ipis, timer_irqs;
static uint64_t timer_at;
static uint32_t apic_read(uint32_t reg)
{
	if (x2apic)
		return rdmsr(X2APIC_MSR(reg));
	return lapic_read(reg);
}

static void apic_write(uint32_t reg, uint32_t val)
{
	if (x2apic)
		wrmsr(X2APIC_MSR(reg), val);
	else
		lapic_write(reg, val);
}

static void ipi_handler(void)
{
	__atomic_add_fetch(&ipis, 1, __ATOMIC_SEQ_CST);
	apic_write(EOI, 0);
}

static void timer_handler(void)
{
	timer_at = pvclock_now(shared);
	__atomic_add_fetch(&timer_irqs, 1, __ATOMIC_SEQ_CST);
	apic_write(EOI, 0);
}

static unsigned int count(unsigned int *counter)
{
	return __atomic_load_n(counter, __ATOMIC_SEQ_CST);
}

/* Spins with interrupts on until *COUNTER reaches N or LIMIT_NS passes. */
static bool wait_for(unsigned int *counter, unsigned int n, uint64_t limit_ns)
{
	uint64_t end = pvclock_now(shared) + limit_ns;

	asm volatile("sti" : : : "memory");
	while (count(counter) < n && pvclock_now(shared) < end)
		;
	asm volatile("cli" : : : "memory");
	return count(counter) >= n;
}

static void test_reset_state(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	uint8_t *lvr_byte = (uint8_t *)(LAPIC_BASE + LVR);
	uint16_t *lvr_word = (uint16_t *)(LAPIC_BASE + LVR + 2);

	ktap_result(base == 0xfee00900ull,
		    "IA32_APIC_BASE %#llx: enabled, BSP, at 0xfee00000",
		    (unsigned long long)base);
	ktap_result(apic_read(ID) == 0 && apic_read(LVR) == 0x50014 &&
		    apic_read(SVR) == 0xff && apic_read(DFR) == 0xffffffff &&
		    apic_read(LVTT) == LVT_MASKED,
		    "xAPIC after reset: ID 0, version 0x50014, SVR 0xff, DFR flat, LVTs masked");
	ktap_result(__atomic_load_n(lvr_byte, __ATOMIC_SEQ_CST) == 0x14 &&
		    __atomic_load_n(lvr_word, __ATOMIC_SEQ_CST) == 0x5,
		    "byte and word reads within a register");
}

static void test_ipi_and_priority(void)
{
	unsigned int seen;

	irq_handler_set(0, IPI_VECTOR, ipi_handler);
	apic_write(SVR, 0x1ff);			/* software-enabled */
	apic_write(TPR, 0x50);			/* class 5 holds back 0x40 */
	ktap_result(apic_read(TPR) == 0x50 && apic_read(PPR) == 0x50,
		    "TPR reads back, PPR follows it");
	apic_write(ICR, SELF | IPI_VECTOR);
	seen = wait_for(&ipis, 1, 5 * MS);
	ktap_result(!seen && (apic_read(IRR + 0x20) & 1),
		    "a self-IPI below the task priority waits in the IRR");
	apic_write(TPR, 0);
	seen = wait_for(&ipis, 1, 100 * MS);
	ktap_result(seen && !(apic_read(IRR + 0x20) & 1) &&
		    !(apic_read(ISR + 0x20) & 1),
		    "TPR lowered: delivered, and its EOI leaves it out of service");

	apic_write(ESR, 0);
	apic_write(ICR, SELF | 8);		/* vectors below 16 are illegal */
	ktap_result((apic_read(ESR) & 0x20) && count(&ipis) == 1,
		    "an IPI of vector 8 is a send error in ESR (%#x)",
		    apic_read(ESR));
	apic_write(ESR, 0);
	ktap_result(apic_read(ESR) == 0, "a write of ESR clears it");
}

/* The one-shot timer of COUNTS at divide-by-1, measured. */
static void test_oneshot(void)
{
	uint64_t start, want = 5 * MS;
	uint32_t first, second;
	unsigned int seen = count(&timer_irqs);
	bool fired;

	irq_handler_set(1, TIMER_VECTOR, timer_handler);
	apic_write(TDCR, DIVIDE_BY_1);
	apic_write(LVTT, TIMER_VECTOR);
	start = pvclock_now(shared);
	apic_write(TMICT, want / COUNT_NS);
	first = apic_read(TMCCT);
	second = apic_read(TMCCT);
	ktap_result(first <= want / COUNT_NS && second < first && second,
		    "the current count runs down: %u then %u", first, second);
	fired = wait_for(&timer_irqs, seen + 1, 1000 * MS);
	ktap_result(fired && timer_at >= start + want,
		    "one-shot 5 ms: fired after %llu us",
		    (unsigned long long)(timer_at - start) / 1000);
	ktap_result(apic_read(TMCCT) == 0 &&
		    !wait_for(&timer_irqs, seen + 2, 20 * MS),
		    "once fired, the count is 0 and it does not fire again");
}

static void test_periodic_and_halt(void)
{
	unsigned int seen = count(&timer_irqs);
	uint64_t start = pvclock_now(shared);
	bool fired;

	apic_write(LVTT, PERIODIC | TIMER_VECTOR);
	apic_write(TMICT, MS / COUNT_NS);
	fired = wait_for(&timer_irqs, seen + 5, 1000 * MS);
	ktap_result(fired && timer_at >= start + 5 * MS,
		    "periodic 1 ms: 5 interrupts in %llu us",
		    (unsigned long long)(timer_at - start) / 1000);
	apic_write(TMICT, 0);			/* stops it */
	seen = count(&timer_irqs);
	/* One may have been raised already, while interrupts were off. */
	ktap_result(!wait_for(&timer_irqs, seen + 2, 20 * MS),
		    "an initial count of 0 stops it");

	seen = count(&timer_irqs);
	apic_write(LVTT, LVT_MASKED | TIMER_VECTOR);
	apic_write(TMICT, MS / COUNT_NS);
	ktap_result(!wait_for(&timer_irqs, seen + 1, 10 * MS),
		    "a masked timer raises nothing");

	apic_write(LVTT, TIMER_VECTOR);
	apic_write(TDCR, 0x3);			/* divide by 16 */
	start = pvclock_now(shared);
	apic_write(TMICT, 2 * MS / COUNT_NS / 16);
	asm volatile("sti; hlt; cli" : : : "memory");
	ktap_result(count(&timer_irqs) == seen + 1 &&
		    timer_at >= start + 2 * MS && apic_read(TDCR) == 0x3,
		    "HLT is woken by the timer (divide by 16, 2 ms)");
}

static void test_tsc_deadline(void)
{
	uint64_t start, tsc, ticks = (uint64_t)tsc_khz() * 3;	/* 3 ms */
	unsigned int seen = count(&timer_irqs);
	uint32_t r[4];

	cpuid(1, r);
	if (!(r[2] & (1u << 24))) {
		ktap_result(wrmsr_faults(MSR_TSC_DEADLINE, 1),
			    "no TSC-deadline timer in CPUID: its MSR is #GP");
		return;
	}
	apic_write(LVTT, TSC_DEADLINE | TIMER_VECTOR);
	start = pvclock_now(shared);
	tsc = rdtsc() + ticks;
	wrmsr(MSR_TSC_DEADLINE, tsc);
	ktap_result(wait_for(&timer_irqs, seen + 1, 1000 * MS) &&
		    timer_at >= start + 3 * MS - MS / 10 &&
		    rdmsr(MSR_TSC_DEADLINE) == 0,
		    "TSC deadline +3 ms: fired, and the MSR reads 0 after");
}

static void test_x2apic(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	unsigned int seen = count(&ipis);
	uint32_t r[4];

	cpuid(1, r);
	ktap_result(r[2] & (1u << 21), "CPUID has x2APIC");
	ktap_result(wrmsr_faults(X2APIC_MSR(ID), 0) && rdmsr_faults(0x802),
		    "x2APIC MSRs are #GP in xAPIC mode");
	ktap_result(wrmsr_faults(MSR_APIC_BASE, 0xfed00900ull),
		    "moving the xAPIC window is #GP, as on Xen");
	wrmsr(MSR_APIC_BASE, base | (1u << 10));
	x2apic = true;
	ktap_result(apic_read(ID) == 0 && apic_read(LVR) == 0x50014 &&
		    apic_read(LDR) == 1 && apic_read(SVR) == 0x1ff,
		    "x2APIC: ID 0, LDR 1 (cluster 0, bit 0), state kept");
	wrmsr(X2APIC_MSR(SELF_IPI), IPI_VECTOR);
	ktap_result(wait_for(&ipis, seen + 1, 100 * MS),
		    "SELF_IPI delivers, and a 0 to EOI ends it");
	ktap_result(wrmsr_faults(X2APIC_MSR(EOI), 1) &&
		    wrmsr_faults(X2APIC_MSR(ID), 2) &&
		    rdmsr_faults(X2APIC_MSR(DFR)) &&
		    wrmsr_faults(X2APIC_MSR(TPR), 0x100),
		    "x2APIC #GPs: EOI of non-0, ID written, DFR, TPR reserved bits");
	ktap_result(wrmsr_faults(MSR_APIC_BASE, base) &&
		    rdmsr(MSR_APIC_BASE) == (base | (1u << 10)),
		    "x2APIC back to xAPIC is #GP");
}

void guest_main(const struct hvm_start_info *si)
{
	(void)si;
	ktap_plan(23);
	if (shared_info_place((uintptr_t)shared_page >> 12, &shared))
		shutdown(SHUTDOWN_crash);
	test_reset_state();
	test_ipi_and_priority();
	test_oneshot();
	test_periodic_and_halt();
	test_tsc_deadline();
	test_x2apic();
	if (!ktap_all_ok())
		shutdown(SHUTDOWN_crash);
}
