/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vCPU's emulated local APIC, as Xen 4.17's vlapic presents it to HVM
 * and PVH guests: xAPIC at 0xfee00000 after reset, x2APIC once the guest
 * switches, APIC ID 2 * vCPU ID, version 0x50014 with six LVT entries,
 * a 100 MHz bus clock for the timer (one-shot, periodic, TSC-deadline).
 *
 * dm/vlapic.c is the register model alone, with the time passed in, so
 * it also builds for unit tests; dm/vlapic_vcpu.c connects it to vCPUs:
 * the guest's accesses, IPIs between vCPUs, the timer's deadline.
 *
 * Concurrency: a vLAPIC is changed by its own vCPU only, but for the
 * IRR, TMR and ESR, which a sender sets with atomic operations (as Xen
 * does), and which the owner clears the same way.
 */
#ifndef DM_VLAPIC_H
#define DM_VLAPIC_H

#include <kxen/types.h>

struct vcpu;

#define APIC_DEFAULT_BASE	0xfee00000ull
#define APIC_BASE_BSP		BIT_ULL(8)
#define APIC_BASE_EXTD		BIT_ULL(10)	/* x2APIC mode */
#define APIC_BASE_ENABLE	BIT_ULL(11)
#define APIC_BASE_ADDR		0x000ffffffffff000ull

/* Register offsets in the xAPIC page; x2APIC MSR = 0x800 + offset / 16. */
#define APIC_ID			0x020
#define APIC_LVR		0x030
#define APIC_TASKPRI		0x080
#define APIC_PROCPRI		0x0a0
#define APIC_EOI		0x0b0
#define APIC_LDR		0x0d0
#define APIC_DFR		0x0e0
#define APIC_SPIV		0x0f0
#define APIC_ISR		0x100
#define APIC_TMR		0x180
#define APIC_IRR		0x200
#define APIC_ESR		0x280
#define APIC_CMCI		0x2f0
#define APIC_ICR		0x300
#define APIC_ICR2		0x310
#define APIC_LVTT		0x320
#define APIC_LVTTHMR		0x330
#define APIC_LVTPC		0x340
#define APIC_LVT0		0x350
#define APIC_LVT1		0x360
#define APIC_LVTERR		0x370
#define APIC_TMICT		0x380
#define APIC_TMCCT		0x390
#define APIC_TDCR		0x3e0
#define APIC_SELF_IPI		0x3f0	/* x2APIC only */
#define VLAPIC_NR_REGS		(0x400 / 16)

#define APIC_VERSION		0x00050014	/* Xen's: 6 LVT entries */
#define APIC_SPIV_ENABLED	BIT(8)
#define APIC_LVT_MASKED		BIT(16)
#define APIC_VECTOR_MASK	0xff
#define APIC_TIMER_MODE_MASK	(3u << 17)
#define APIC_TIMER_ONESHOT	(0u << 17)
#define APIC_TIMER_PERIODIC	(1u << 17)
#define APIC_TIMER_TSC_DEADLINE	(2u << 17)
/* ICR */
#define APIC_DM_MASK		(7u << 8)
#define APIC_DM_FIXED		(0u << 8)
#define APIC_DM_LOWEST		(1u << 8)
#define APIC_DM_SMI		(2u << 8)
#define APIC_DM_NMI		(4u << 8)
#define APIC_DM_INIT		(5u << 8)
#define APIC_DM_STARTUP		(6u << 8)
#define APIC_DEST_LOGICAL	BIT(11)
#define APIC_INT_ASSERT		BIT(14)
#define APIC_INT_LEVELTRIG	BIT(15)
#define APIC_SHORT_MASK		(3u << 18)
#define APIC_DEST_NOSHORT	(0u << 18)
#define APIC_DEST_SELF		(1u << 18)
#define APIC_DEST_ALLINC	(2u << 18)
#define APIC_DEST_ALLBUT	(3u << 18)
/* ESR */
#define APIC_ESR_SEND_ILLEGAL	BIT(5)
#define APIC_ESR_RECV_ILLEGAL	BIT(6)

/* The timer counts at Xen's APIC_BUS_CYCLE_NS: one tick per 10 ns. */
#define APIC_BUS_CYCLE_NS	10
/* No timer deadline (as hv/domain.h's NO_DEADLINE). */
#define VLAPIC_NO_DEADLINE	(~0ull)

struct vlapic {
	u32 reg[VLAPIC_NR_REGS];	/* the register page, by offset / 16 */
	u64 apic_base;			/* IA32_APIC_BASE */
	u32 vcpu_id;
	/* System time the count last started from TMICT; 0: not counting. */
	u64 timer_start;
	u64 timer_deadline;		/* the next expiry, or VLAPIC_NO_DEADLINE */
	u64 tsc_deadline;		/* IA32_TSC_DEADLINE as armed, 0: none */
};

/* What a write asks of the caller. */
#define VLAPIC_SEND_IPI		1	/* the ICR was written: route it */

/* Power-on state of vCPU VCPU_ID's vLAPIC (Xen's vlapic_reset()). */
void vlapic_reset(struct vlapic *l, u32 vcpu_id);
/* An INIT's (Xen's vlapic_do_init()): IA32_APIC_BASE and the ID stay. */
void vlapic_init(struct vlapic *l);
bool vlapic_x2apic_mode(const struct vlapic *l);
/* Hardware-enabled in xAPIC mode: its MMIO page is there. */
bool vlapic_xapic_mode(const struct vlapic *l);
/* Hardware- and software-enabled: it delivers interrupts. */
bool vlapic_enabled(const struct vlapic *l);
/* Its APIC ID as an IPI's destination names it: 8 bits, or x2APIC's 32. */
u32 vlapic_id(const struct vlapic *l);

/*
 * Guest access of LEN bytes at OFFSET in the xAPIC page, at system time
 * NOW. Anything not within one 32-bit register reads 0 and is dropped,
 * as on Xen. A write returns VLAPIC_SEND_IPI or 0.
 */
u32 vlapic_mmio_read(struct vlapic *l, u32 offset, unsigned int len, u64 now);
int vlapic_mmio_write(struct vlapic *l, u32 offset, unsigned int len, u32 val,
		      u64 now);
/*
 * An x2APIC MSR (0x800-0x8ff): 0, VLAPIC_SEND_IPI (writes), or -EPERM
 * for the #GP the CPU raises (not in x2APIC mode, reserved bits, a
 * read-only or missing register).
 */
int vlapic_msr_read(struct vlapic *l, u32 msr, u64 now, u64 *val);
int vlapic_msr_write(struct vlapic *l, u32 msr, u64 val, u64 now);
/*
 * A write of IA32_APIC_BASE: 0, or -EPERM (#GP) for reserved bits, a
 * moved xAPIC window or a mode change the CPU refuses. X2APIC says
 * whether the vCPU's CPUID has it.
 */
int vlapic_set_base(struct vlapic *l, u64 val, bool x2apic);

/*
 * IA32_TSC_DEADLINE: ignored outside TSC-deadline mode; VALUE 0 stops
 * the timer, else it fires at system time WHEN (the caller's conversion
 * of the guest TSC value; a past one fires at the next check).
 */
void vlapic_set_tsc_deadline(struct vlapic *l, u64 value, u64 when);
u64 vlapic_tsc_deadline(const struct vlapic *l);
/*
 * At system time NOW: raises the timer's interrupt if its deadline has
 * come, and sets the next one. True when an interrupt was raised.
 */
bool vlapic_timer_expire(struct vlapic *l, u64 now);

/*
 * Xen's vlapic_set_irq(): VECTOR (edge, or LEVEL) is requested. Vectors
 * below 16 are an error (ESR). True when the vCPU has something new to
 * take, so it is to be woken.
 */
bool vlapic_set_irq(struct vlapic *l, u8 vector, bool level);
/*
 * The highest requested vector whose priority class is above the
 * processor priority's, or -1 (also while disabled).
 */
int vlapic_pending(const struct vlapic *l);
/* VECTOR is being delivered: it moves from the IRR to the ISR. */
void vlapic_ack(struct vlapic *l, u8 vector);
/*
 * Whether L may send the IPI of ICR: not a fixed or lowest-priority
 * one of a vector below 16, which is a send error (ESR) instead.
 */
bool vlapic_ipi_legal(struct vlapic *l, u32 icr);
/* Whether the IPI of ICR to DEST, sent by SOURCE, is for TARGET. */
bool vlapic_match_dest(const struct vlapic *target,
		       const struct vlapic *source, u32 icr, u32 dest);
/* L's ICR: its low half, and its destination as vlapic_match_dest() takes it. */
u32 vlapic_icr(const struct vlapic *l);
u32 vlapic_icr_dest(const struct vlapic *l);

/*
 * The vCPU side (dm/vlapic_vcpu.c), called on V's own CPU as V runs.
 *
 * Whether guest-physical GPA is in V's xAPIC page (enabled, not x2APIC).
 */
bool vlapic_mmio_claims(const struct vcpu *v, u64 gpa);
/* V's access of LEN bytes at GPA in its xAPIC page. */
void vcpu_lapic_mmio(struct vcpu *v, u64 gpa, unsigned int len, bool write,
		     u64 *val);
/*
 * V's RDMSR or WRMSR of IA32_APIC_BASE, IA32_TSC_DEADLINE or an x2APIC
 * MSR: 0, -EPERM for a #GP, -ENOENT when MSR is none of them.
 */
int vcpu_lapic_msr(struct vcpu *v, u32 msr, bool write, u64 *val);

/* V's CR8 (MOV from and to it): its TPR's priority class. */
u64 vcpu_lapic_cr8(struct vcpu *v);
void vcpu_lapic_set_cr8(struct vcpu *v, u64 cr8);

#endif /* DM_VLAPIC_H */
