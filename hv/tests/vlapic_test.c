// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for dm/vlapic.c, with time passed in by hand: the reset
 * state, priorities (TPR, ISR, PPR) deciding what is pending, EOI, the
 * errors of illegal vectors, software disable, the timer's one-shot,
 * periodic and TSC-deadline modes with the current count and a divisor
 * changed mid-count, IPI destinations, x2APIC's IDs and #GP cases, and
 * IA32_APIC_BASE's mode changes.
 */
#include <hv/errno.h>
#include <dm/vlapic.h>
#include "ktap.h"

#define X2APIC_MSR(reg)	(0x800 + ((reg) >> 4))
#define SELF		APIC_DEST_SELF

static void w(struct vlapic *l, u32 reg, u32 val, u64 now)
{
	vlapic_mmio_write(l, reg, 4, val, now);
}

static u32 r(struct vlapic *l, u32 reg, u64 now)
{
	return vlapic_mmio_read(l, reg, 4, now);
}

static void test_reset(void)
{
	struct vlapic l, l3;

	vlapic_reset(&l, 0);
	vlapic_reset(&l3, 3);
	ktap_test_result(l.apic_base == 0xfee00900ull &&
			 l3.apic_base == 0xfee00800ull &&
			 r(&l3, APIC_ID, 1) == 6u << 24 &&
			 r(&l, APIC_LVR, 1) == 0x50014 &&
			 r(&l, APIC_SPIV, 1) == 0xff &&
			 r(&l, APIC_LVTERR, 1) == APIC_LVT_MASKED,
			 "reset: BSP on vCPU 0 only, ID 2 * vCPU, version, LVTs masked");
	ktap_test_result(vlapic_xapic_mode(&l) && !vlapic_enabled(&l) &&
			 vlapic_pending(&l) == -1,
			 "software-disabled after reset: nothing is delivered");
	w(&l3, APIC_SPIV, 0x1ff, 1);
	w(&l3, APIC_TASKPRI, 0x20, 1);
	vlapic_set_irq(&l3, 0x40, false);
	vlapic_init(&l3);
	ktap_test_result(r(&l3, APIC_ID, 1) == 6u << 24 &&
			 l3.apic_base == 0xfee00800ull &&
			 r(&l3, APIC_SPIV, 1) == 0xff &&
			 r(&l3, APIC_TASKPRI, 1) == 0 &&
			 r(&l3, APIC_IRR + 0x20, 1) == 0,
			 "INIT: the ID and IA32_APIC_BASE stay, the rest is reset");
}

static void test_priorities(void)
{
	struct vlapic l;

	vlapic_reset(&l, 0);
	w(&l, APIC_SPIV, 0x1ff, 1);
	ktap_test_result(vlapic_set_irq(&l, 0x40, false) &&
			 !vlapic_set_irq(&l, 0x40, false) &&
			 vlapic_pending(&l) == 0x40,
			 "a vector is requested once, and pending");
	w(&l, APIC_TASKPRI, 0x40, 1);
	ktap_test_result(vlapic_pending(&l) == -1 &&
			 r(&l, APIC_PROCPRI, 1) == 0x40,
			 "a TPR of the same class holds it back");
	w(&l, APIC_TASKPRI, 0x3f, 1);
	ktap_test_result(vlapic_pending(&l) == 0x40, "a lower class lets it through");
	w(&l, APIC_TASKPRI, 0, 1);
	vlapic_ack(&l, 0x40);
	vlapic_set_irq(&l, 0x41, false);
	ktap_test_result(r(&l, APIC_PROCPRI, 1) == 0x40 &&
			 vlapic_pending(&l) == -1 &&
			 (r(&l, APIC_ISR + 0x20, 1) & 1),
			 "in service: PPR is its class, the same class waits");
	vlapic_set_irq(&l, 0x51, false);
	ktap_test_result(vlapic_pending(&l) == 0x51, "a higher class preempts");
	vlapic_ack(&l, 0x51);
	w(&l, APIC_EOI, 0, 1);
	ktap_test_result(r(&l, APIC_PROCPRI, 1) == 0x40 &&
			 vlapic_pending(&l) == -1,
			 "EOI ends the highest in service only");
	w(&l, APIC_EOI, 0, 1);
	ktap_test_result(vlapic_pending(&l) == 0x41, "then the waiting one is pending");
	w(&l, APIC_SPIV, 0xff, 1);
	w(&l, APIC_LVT0, 0x30, 1);
	ktap_test_result(vlapic_pending(&l) == -1 &&
			 r(&l, APIC_LVT0, 1) == (APIC_LVT_MASKED | 0x30),
			 "software disable: nothing delivered, LVT writes stay masked");
}

static void test_errors(void)
{
	struct vlapic l;

	vlapic_reset(&l, 0);
	w(&l, APIC_SPIV, 0x1ff, 1);
	w(&l, APIC_LVTERR, 0xfe, 1);
	ktap_test_result(!vlapic_set_irq(&l, 5, false) &&
			 r(&l, APIC_ESR, 1) == APIC_ESR_RECV_ILLEGAL &&
			 vlapic_pending(&l) == 0xfe,
			 "a vector below 16 is a receive error, raising the error LVT");
	w(&l, APIC_ESR, 0, 1);
	ktap_test_result(!vlapic_ipi_legal(&l, APIC_DM_FIXED | 3) &&
			 vlapic_ipi_legal(&l, APIC_DM_NMI | 3) &&
			 r(&l, APIC_ESR, 1) == APIC_ESR_SEND_ILLEGAL,
			 "a fixed IPI below 16 is a send error; an NMI is not");
}

static void test_timer(void)
{
	struct vlapic l;

	vlapic_reset(&l, 0);
	w(&l, APIC_SPIV, 0x1ff, 1);
	w(&l, APIC_TDCR, 0xb, 1);		/* divide by 1: 10 ns a count */
	w(&l, APIC_LVTT, 0x30, 1);
	w(&l, APIC_TMICT, 100, 1000);
	ktap_test_result(l.timer_deadline == 2000 &&
			 r(&l, APIC_TMCCT, 1500) == 50 &&
			 !vlapic_timer_expire(&l, 1999),
			 "one-shot: deadline at the count's end, the count runs down");
	ktap_test_result(vlapic_timer_expire(&l, 2000) &&
			 vlapic_pending(&l) == 0x30 &&
			 r(&l, APIC_TMCCT, 2000) == 0 &&
			 l.timer_deadline == VLAPIC_NO_DEADLINE,
			 "one-shot fires once, then reads 0");
	vlapic_ack(&l, 0x30);
	w(&l, APIC_EOI, 0, 2000);

	w(&l, APIC_LVTT, APIC_TIMER_PERIODIC | 0x30, 3000);
	w(&l, APIC_TMICT, 100, 3000);
	ktap_test_result(vlapic_timer_expire(&l, 4500) &&
			 l.timer_deadline == 5000 &&
			 r(&l, APIC_TMCCT, 4500) == 50,
			 "periodic: a late expiry keeps the period's grid");
	w(&l, APIC_TDCR, 0x0, 4500);		/* divide by 2 */
	ktap_test_result(r(&l, APIC_TMCCT, 4500) == 50 &&
			 l.timer_deadline == 5500,
			 "a new divisor keeps the count, and slows it");
	w(&l, APIC_TMICT, 0, 4600);
	ktap_test_result(l.timer_deadline == VLAPIC_NO_DEADLINE &&
			 r(&l, APIC_TMCCT, 4600) == 0,
			 "an initial count of 0 stops it");

	w(&l, APIC_TMICT, 100, 5000);
	w(&l, APIC_LVTT, APIC_TIMER_TSC_DEADLINE | 0x31, 5000);
	w(&l, APIC_TMICT, 100, 5000);
	ktap_test_result(r(&l, APIC_TMICT, 5000) == 0 &&
			 l.timer_deadline == VLAPIC_NO_DEADLINE,
			 "into TSC-deadline mode: the count stops, TMICT is ignored");
	vlapic_set_tsc_deadline(&l, 12345, 7000);
	ktap_test_result(vlapic_tsc_deadline(&l) == 12345 &&
			 l.timer_deadline == 7000 &&
			 vlapic_timer_expire(&l, 7000) &&
			 vlapic_tsc_deadline(&l) == 0 &&
			 vlapic_pending(&l) == 0x31,
			 "TSC deadline: armed, fired, the MSR back to 0");
}

static void test_destinations(void)
{
	struct vlapic a, b;

	vlapic_reset(&a, 0);
	vlapic_reset(&b, 1);
	ktap_test_result(vlapic_match_dest(&b, &a, 0, 2) &&
			 !vlapic_match_dest(&a, &a, 0, 2) &&
			 vlapic_match_dest(&a, &b, 0, 0xff),
			 "physical: by APIC ID, and 0xff broadcasts");
	ktap_test_result(vlapic_match_dest(&a, &a, SELF, 9) &&
			 !vlapic_match_dest(&b, &a, SELF, 9) &&
			 vlapic_match_dest(&b, &a, APIC_DEST_ALLBUT, 0) &&
			 !vlapic_match_dest(&a, &a, APIC_DEST_ALLBUT, 0) &&
			 vlapic_match_dest(&a, &a, APIC_DEST_ALLINC, 0),
			 "shorthands: self, all but self, all");
	w(&b, APIC_LDR, 0x02000000, 1);
	ktap_test_result(vlapic_match_dest(&b, &a, APIC_DEST_LOGICAL, 0x03) &&
			 !vlapic_match_dest(&b, &a, APIC_DEST_LOGICAL, 0x01),
			 "logical flat: any common bit");
	w(&b, APIC_DFR, 0x0fffffff, 1);
	w(&b, APIC_LDR, 0x12000000, 1);
	ktap_test_result(vlapic_match_dest(&b, &a, APIC_DEST_LOGICAL, 0x13) &&
			 !vlapic_match_dest(&b, &a, APIC_DEST_LOGICAL, 0x23),
			 "logical cluster: the cluster, then a common bit");
}

static void test_x2apic(void)
{
	struct vlapic l;
	u64 val;

	vlapic_reset(&l, 17);
	ktap_test_result(vlapic_msr_read(&l, X2APIC_MSR(APIC_ID), 1, &val) == -EPERM &&
			 vlapic_set_base(&l, 0xfee00c00ull, false) == -EPERM,
			 "x2APIC: its MSRs and EXTD are #GP until then");
	ktap_test_result(vlapic_set_base(&l, 0xfee00c00ull, true) == 0 &&
			 vlapic_x2apic_mode(&l) &&
			 vlapic_msr_read(&l, X2APIC_MSR(APIC_ID), 1, &val) == 0 &&
			 val == 34 &&
			 vlapic_msr_read(&l, X2APIC_MSR(APIC_LDR), 1, &val) == 0 &&
			 val == 0x20004,
			 "x2APIC: ID 2 * vCPU, LDR cluster and bit from it");
	ktap_test_result(vlapic_msr_write(&l, X2APIC_MSR(APIC_ICR),
					  0x0000002200000040ull, 1) == VLAPIC_SEND_IPI &&
			 vlapic_icr(&l) == 0x40 && vlapic_icr_dest(&l) == 0x22 &&
			 vlapic_msr_read(&l, X2APIC_MSR(APIC_ICR), 1, &val) == 0 &&
			 val == 0x0000002200000040ull,
			 "x2APIC ICR: one 64-bit MSR, 32-bit destination");
	ktap_test_result(vlapic_msr_write(&l, X2APIC_MSR(APIC_EOI), 1, 1) == -EPERM &&
			 vlapic_msr_write(&l, X2APIC_MSR(APIC_LDR), 0, 1) == -EPERM &&
			 vlapic_msr_write(&l, X2APIC_MSR(APIC_TDCR), 4, 1) == -EPERM &&
			 vlapic_msr_read(&l, X2APIC_MSR(APIC_DFR), 1, &val) == -EPERM &&
			 vlapic_msr_read(&l, 0x900, 1, &val) == -EPERM,
			 "x2APIC #GPs: EOI non-0, LDR written, reserved bits, DFR, past the range");
	ktap_test_result(vlapic_set_base(&l, 0xfee00800ull, true) == -EPERM &&
			 vlapic_set_base(&l, 0xfee00000ull, true) == 0 &&
			 vlapic_set_base(&l, 0xfee00c00ull, true) == -EPERM &&
			 vlapic_set_base(&l, 0xfed00800ull, true) == -EPERM &&
			 vlapic_set_base(&l, 0xfee00800ull, true) == 0 &&
			 vlapic_xapic_mode(&l) && r(&l, APIC_ID, 1) == 34u << 24,
			 "IA32_APIC_BASE: no x2APIC to xAPIC or disabled to x2APIC, no moved window; re-enabled means reset");
}

int main(void)
{
	ktap_print_header(29);
	test_reset();
	test_priorities();
	test_errors();
	test_timer();
	test_destinations();
	test_x2apic();
	return ktap_finished();
}
