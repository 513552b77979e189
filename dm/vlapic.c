// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC's registers (SDM vol. 3, chapter 11), with the choices
 * Xen 4.17's vlapic makes where the architecture leaves room: which
 * registers read back, which bits stick, the x2APIC MSRs' #GP cases,
 * IA32_APIC_BASE's mode changes, and the timer's behaviour as its
 * mode, count and divisor change.
 */
#include <dm/vlapic.h>
#include <hv/errno.h>
#include <hv/string.h>

#define REG(offset)		((offset) >> 4)
#define MSR_X2APIC_FIRST	0x800
#define X2APIC_REGS		0x40	/* MSRs 0x800-0x83f */

/* What each LVT entry keeps of a write (Xen's vlapic_lvt_mask). */
#define LVT_BITS	(APIC_LVT_MASKED | BIT(12) | APIC_VECTOR_MASK)
#define LVT_MODE	(7u << 8)
#define LINT_BITS	(LVT_BITS | LVT_MODE | BIT(13) | BIT(14) | BIT(15))
#define NR_LVT		6

static const u32 lvt_bits[NR_LVT] = {
	LVT_BITS | APIC_TIMER_MODE_MASK,	/* timer */
	LVT_BITS | LVT_MODE,			/* thermal */
	LVT_BITS | LVT_MODE,			/* performance counters */
	LINT_BITS, LINT_BITS,			/* LINT0, LINT1 */
	LVT_BITS,				/* error */
};

static u32 get(const struct vlapic *l, u32 offset)
{
	return __atomic_load_n(&l->reg[REG(offset)], __ATOMIC_ACQUIRE);
}

static void set(struct vlapic *l, u32 offset, u32 val)
{
	__atomic_store_n(&l->reg[REG(offset)], val, __ATOMIC_RELEASE);
}

/* Bit VECTOR of the 256-bit register at BASE (ISR, TMR or IRR). */
static u32 *vector_word(struct vlapic *l, u32 base, u8 vector)
{
	return &l->reg[REG(base) + vector / 32];
}

static bool test_and_set_vector(struct vlapic *l, u32 base, u8 vector)
{
	u32 bit = BIT(vector % 32);

	return __atomic_fetch_or(vector_word(l, base, vector), bit,
				 __ATOMIC_SEQ_CST) & bit;
}

static void clear_vector(struct vlapic *l, u32 base, u8 vector)
{
	__atomic_fetch_and(vector_word(l, base, vector), ~BIT(vector % 32),
			   __ATOMIC_SEQ_CST);
}

static int highest_vector(const struct vlapic *l, u32 base)
{
	int word;

	for (word = 7; word >= 0; word--) {
		u32 bits = get(l, base + word * 16);

		if (bits)
			return word * 32 + 31 - __builtin_clz(bits);
	}
	return -1;
}

bool vlapic_x2apic_mode(const struct vlapic *l)
{
	return (l->apic_base & (APIC_BASE_ENABLE | APIC_BASE_EXTD)) ==
	       (APIC_BASE_ENABLE | APIC_BASE_EXTD);
}

bool vlapic_xapic_mode(const struct vlapic *l)
{
	return (l->apic_base & (APIC_BASE_ENABLE | APIC_BASE_EXTD)) ==
	       APIC_BASE_ENABLE;
}

static bool sw_enabled(const struct vlapic *l)
{
	return get(l, APIC_SPIV) & APIC_SPIV_ENABLED;
}

bool vlapic_enabled(const struct vlapic *l)
{
	return (l->apic_base & APIC_BASE_ENABLE) && sw_enabled(l);
}

u32 vlapic_id(const struct vlapic *l)
{
	return vlapic_x2apic_mode(l) ? get(l, APIC_ID) : get(l, APIC_ID) >> 24;
}

static u32 ppr(const struct vlapic *l)
{
	u32 tpr = get(l, APIC_TASKPRI);
	int isr = highest_vector(l, APIC_ISR);
	u32 isrv = isr < 0 ? 0 : isr;

	return (tpr & 0xf0) >= (isrv & 0xf0) ? tpr & 0xff : isrv & 0xf0;
}

/* Xen's vlapic_error(): ESR bits, and the error LVT's interrupt once. */
static void error(struct vlapic *l, u32 bits)
{
	u32 lvterr = get(l, APIC_LVTERR);
	u32 old;

	/* An illegal error vector is an error too, not a second interrupt. */
	if (!(lvterr & APIC_LVT_MASKED) && (lvterr & APIC_VECTOR_MASK) < 16)
		bits |= APIC_ESR_RECV_ILLEGAL;
	old = __atomic_fetch_or(&l->reg[REG(APIC_ESR)], bits, __ATOMIC_SEQ_CST);
	if ((old & bits) != bits && !(lvterr & APIC_LVT_MASKED) &&
	    (lvterr & APIC_VECTOR_MASK) >= 16)
		vlapic_set_irq(l, lvterr & APIC_VECTOR_MASK, false);
}

bool vlapic_set_irq(struct vlapic *l, u8 vector, bool level)
{
	if (vector < 16) {
		error(l, APIC_ESR_RECV_ILLEGAL);
		return false;
	}
	if (level)
		test_and_set_vector(l, APIC_TMR, vector);
	else
		clear_vector(l, APIC_TMR, vector);
	return !test_and_set_vector(l, APIC_IRR, vector);
}

int vlapic_pending(const struct vlapic *l)
{
	int irr;

	if (!vlapic_enabled(l))
		return -1;
	irr = highest_vector(l, APIC_IRR);
	if (irr < 0 || (u32)(irr & 0xf0) <= (ppr(l) & 0xf0))
		return -1;
	return irr;
}

void vlapic_ack(struct vlapic *l, u8 vector)
{
	test_and_set_vector(l, APIC_ISR, vector);
	clear_vector(l, APIC_IRR, vector);
}

static void eoi(struct vlapic *l)
{
	int isr = highest_vector(l, APIC_ISR);

	/* A level-triggered vector would tell the IOAPIC; PVH has none. */
	if (isr >= 0)
		clear_vector(l, APIC_ISR, isr);
}

/* Xen's vlapic_match_logical_addr(): flat and cluster, or x2APIC's. */
static bool match_logical(const struct vlapic *l, u32 dest)
{
	u32 ldr = get(l, APIC_LDR);

	if (vlapic_x2apic_mode(l))
		return ldr >> 16 == dest >> 16 && (ldr & dest & 0xffff);
	ldr >>= 24;
	dest &= 0xff;
	if (get(l, APIC_DFR) >> 28 == 0xf)		/* flat */
		return ldr & dest;
	return ldr >> 4 == dest >> 4 && (ldr & dest & 0xf);	/* cluster */
}

bool vlapic_ipi_legal(struct vlapic *l, u32 icr)
{
	u32 mode = icr & APIC_DM_MASK;

	if ((mode == APIC_DM_FIXED || mode == APIC_DM_LOWEST) &&
	    (icr & APIC_VECTOR_MASK) < 16) {
		error(l, APIC_ESR_SEND_ILLEGAL);
		return false;
	}
	return true;
}

bool vlapic_match_dest(const struct vlapic *target,
		       const struct vlapic *source, u32 icr, u32 dest)
{
	u32 broadcast = vlapic_x2apic_mode(target) ? 0xffffffff : 0xff;

	switch (icr & APIC_SHORT_MASK) {
	case APIC_DEST_SELF:
		return target == source;
	case APIC_DEST_ALLINC:
		return true;
	case APIC_DEST_ALLBUT:
		return target != source;
	default:
		if (icr & APIC_DEST_LOGICAL)
			return match_logical(target, dest);
		return dest == broadcast || dest == vlapic_id(target);
	}
}

u32 vlapic_icr(const struct vlapic *l)
{
	return get(l, APIC_ICR);
}

u32 vlapic_icr_dest(const struct vlapic *l)
{
	u32 icr2 = get(l, APIC_ICR2);

	return vlapic_x2apic_mode(l) ? icr2 : icr2 >> 24;
}

/* ns per count at the divisor TDCR says (its code 7 divides by 1). */
static u64 tick_ns(const struct vlapic *l)
{
	u32 tdcr = get(l, APIC_TDCR);
	u32 code = (tdcr & 3) | ((tdcr & 8) >> 1);

	return (u64)APIC_BUS_CYCLE_NS << ((code + 1) & 7);
}

static u32 timer_mode(const struct vlapic *l)
{
	return get(l, APIC_LVTT) & APIC_TIMER_MODE_MASK;
}

static bool counting_mode(u32 mode)
{
	return mode == APIC_TIMER_ONESHOT || mode == APIC_TIMER_PERIODIC;
}

/* The current count, in MODE, as Xen's vlapic_get_tmcct(). */
static u32 current_count(const struct vlapic *l, u32 mode, u64 now)
{
	u32 tmict = get(l, APIC_TMICT);
	u64 passed;

	if (!tmict || !l->timer_start || !counting_mode(mode))
		return 0;
	passed = (now - l->timer_start) / tick_ns(l);
	if (mode == APIC_TIMER_PERIODIC)
		passed %= tmict;
	return passed < tmict ? tmict - passed : 0;
}

/*
 * The next deadline from the count's start: the one-shot's end, or the
 * first period boundary after NOW.
 */
static void timer_arm(struct vlapic *l, u64 now)
{
	u64 period = (u64)get(l, APIC_TMICT) * tick_ns(l);
	u32 mode = timer_mode(l);

	l->timer_deadline = VLAPIC_NO_DEADLINE;
	if (!period || !l->timer_start || !counting_mode(mode))
		return;
	if (mode == APIC_TIMER_ONESHOT) {
		if (l->timer_start + period > now)
			l->timer_deadline = l->timer_start + period;
		else
			l->timer_start = 0;	/* done: the count reads 0 */
		return;
	}
	l->timer_deadline = now - (now - l->timer_start) % period + period;
}

/*
 * The count goes on at COUNT in the (new) mode and divisor: its start
 * moves so that it reads COUNT now, as Xen keeps the time left when
 * the divisor or the mode changes.
 */
static void timer_continue(struct vlapic *l, u32 count, u64 now)
{
	u32 tmict = get(l, APIC_TMICT);

	if (!count || !counting_mode(timer_mode(l))) {
		l->timer_start = 0;
		l->timer_deadline = VLAPIC_NO_DEADLINE;
		return;
	}
	l->timer_start = now - (u64)(tmict - count) * tick_ns(l);
	timer_arm(l, now);
}

bool vlapic_timer_expire(struct vlapic *l, u64 now)
{
	u32 lvtt = get(l, APIC_LVTT);

	if (l->timer_deadline > now)
		return false;
	if (timer_mode(l) == APIC_TIMER_TSC_DEADLINE) {
		l->tsc_deadline = 0;
		l->timer_deadline = VLAPIC_NO_DEADLINE;
	} else {
		timer_arm(l, now);
	}
	if ((lvtt & APIC_LVT_MASKED) || !vlapic_enabled(l))
		return false;
	return vlapic_set_irq(l, lvtt & APIC_VECTOR_MASK, false);
}

void vlapic_init(struct vlapic *l)
{
	unsigned int i;
	u32 ldr = get(l, APIC_LDR);

	/* Xen's vlapic_do_init(): INIT keeps the ID and x2APIC's LDR. */
	for (i = REG(APIC_TASKPRI); i < VLAPIC_NR_REGS; i++)
		l->reg[i] = 0;
	set(l, APIC_LVR, APIC_VERSION);
	if (vlapic_x2apic_mode(l))
		set(l, APIC_LDR, ldr);
	set(l, APIC_DFR, 0xffffffff);
	for (i = 0; i < NR_LVT; i++)
		set(l, APIC_LVTT + i * 16, APIC_LVT_MASKED);
	set(l, APIC_SPIV, 0xff);
	l->timer_start = 0;
	l->timer_deadline = VLAPIC_NO_DEADLINE;
	l->tsc_deadline = 0;
}

void vlapic_reset(struct vlapic *l, u32 vcpu_id)
{
	memset(l, 0, sizeof(*l));
	l->vcpu_id = vcpu_id;
	l->apic_base = APIC_DEFAULT_BASE | APIC_BASE_ENABLE |
		       (vcpu_id ? 0 : APIC_BASE_BSP);
	set(l, APIC_ID, (vcpu_id * 2) << 24);
	vlapic_init(l);
}

/* Xen's vlapic_read_aligned(). */
static u32 read_register(struct vlapic *l, u32 offset, u64 now)
{
	switch (offset) {
	case APIC_PROCPRI:
		return ppr(l);
	case APIC_TMCCT:
		return current_count(l, timer_mode(l), now);
	case APIC_TMICT:
		return counting_mode(timer_mode(l)) ? get(l, APIC_TMICT) : 0;
	default:
		return offset < 0x400 ? get(l, offset) : 0;
	}
}

static void write_lvt(struct vlapic *l, u32 offset, u32 val, u64 now)
{
	u32 old_mode = timer_mode(l);
	u32 count = current_count(l, old_mode, now);

	if (!sw_enabled(l))
		val |= APIC_LVT_MASKED;
	val &= lvt_bits[(offset - APIC_LVTT) >> 4];
	if (offset != APIC_LVTT) {
		set(l, offset, val);
		return;
	}
	if ((old_mode == APIC_TIMER_TSC_DEADLINE) !=
	    ((val & APIC_TIMER_MODE_MASK) == APIC_TIMER_TSC_DEADLINE)) {
		/* In or out of TSC-deadline mode, the timer stops. */
		set(l, APIC_TMICT, 0);
		set(l, APIC_LVTT, val);
		l->tsc_deadline = 0;
		timer_continue(l, 0, now);
		return;
	}
	set(l, APIC_LVTT, val);
	/* A counting timer goes on from where it was, in its new mode. */
	if (old_mode != APIC_TIMER_TSC_DEADLINE)
		timer_continue(l, count, now);
}

/* Xen's vlapic_reg_write(), for both modes' checked values. */
static int write_register(struct vlapic *l, u32 offset, u32 val, u64 now)
{
	unsigned int i;
	u32 count;

	switch (offset) {
	case APIC_ID:
		set(l, APIC_ID, val);
		break;
	case APIC_TASKPRI:
		set(l, APIC_TASKPRI, val & 0xff);
		break;
	case APIC_EOI:
		eoi(l);
		break;
	case APIC_LDR:
		set(l, APIC_LDR, val & 0xff000000);
		break;
	case APIC_DFR:
		set(l, APIC_DFR, val | 0x0fffffff);
		break;
	case APIC_SPIV:
		set(l, APIC_SPIV, val & 0x3ff);
		if (!(val & APIC_SPIV_ENABLED))
			for (i = 0; i < NR_LVT; i++)
				set(l, APIC_LVTT + i * 16,
				    get(l, APIC_LVTT + i * 16) | APIC_LVT_MASKED);
		break;
	case APIC_ESR:
		/* Hardware latches the errors seen since the last write. */
		__atomic_store_n(&l->reg[REG(APIC_ESR)], 0, __ATOMIC_SEQ_CST);
		break;
	case APIC_ICR:
		set(l, APIC_ICR, val & ~BIT(12));	/* never busy */
		return VLAPIC_SEND_IPI;
	case APIC_ICR2:
		set(l, APIC_ICR2, val & 0xff000000);
		break;
	case APIC_LVTT:
	case APIC_LVTTHMR:
	case APIC_LVTPC:
	case APIC_LVT0:
	case APIC_LVT1:
	case APIC_LVTERR:
		write_lvt(l, offset, val, now);
		break;
	case APIC_TMICT:
		if (!counting_mode(timer_mode(l)))
			break;
		set(l, APIC_TMICT, val);
		l->timer_start = val ? now : 0;
		timer_arm(l, now);
		break;
	case APIC_TDCR:
		count = current_count(l, timer_mode(l), now);
		set(l, APIC_TDCR, val & 0xb);
		timer_continue(l, count, now);
		break;
	}
	return 0;
}

u32 vlapic_mmio_read(struct vlapic *l, u32 offset, unsigned int len, u64 now)
{
	unsigned int shift = (offset & 3) * 8;
	u32 reg;

	if ((offset & 0xf) + len > 4)
		return 0;
	reg = read_register(l, offset & ~0xfu, now) >> shift;
	return len == 4 ? reg : reg & ((1u << (len * 8)) - 1);
}

int vlapic_mmio_write(struct vlapic *l, u32 offset, unsigned int len, u32 val,
		      u64 now)
{
	unsigned int shift = (offset & 3) * 8;

	if ((offset & 0xf) + len > 4 || offset > APIC_TDCR + 3)
		return 0;
	offset &= ~0xfu;
	if (len < 4) {
		u32 mask = ((1u << (len * 8)) - 1) << shift;

		val = (read_register(l, offset, now) & ~mask) |
		      ((val << shift) & mask);
	}
	return write_register(l, offset, val, now);
}

/* The x2APIC registers a read may name (Xen's guest_rdmsr_x2apic()). */
static bool x2apic_readable(u32 offset)
{
	switch (offset) {
	case APIC_ID: case APIC_LVR: case APIC_TASKPRI: case APIC_PROCPRI:
	case APIC_LDR: case APIC_SPIV: case APIC_ESR: case APIC_ICR:
	case APIC_CMCI: case APIC_LVTT: case APIC_LVTTHMR: case APIC_LVTPC:
	case APIC_LVT0: case APIC_LVT1: case APIC_LVTERR: case APIC_TMICT:
	case APIC_TMCCT: case APIC_TDCR:
		return true;
	default:
		return offset >= APIC_ISR && offset < APIC_ESR;	/* ISR TMR IRR */
	}
}

int vlapic_msr_read(struct vlapic *l, u32 msr, u64 now, u64 *val)
{
	u32 offset = (msr - MSR_X2APIC_FIRST) << 4;

	if (!vlapic_x2apic_mode(l) || msr - MSR_X2APIC_FIRST >= X2APIC_REGS ||
	    !x2apic_readable(offset))
		return -EPERM;
	*val = read_register(l, offset, now);
	if (offset == APIC_ICR)
		*val |= (u64)get(l, APIC_ICR2) << 32;
	return 0;
}

/* The bits an x2APIC write may set; other bits are a #GP. */
static int x2apic_write_bits(u32 offset, u64 *allowed)
{
	switch (offset) {
	case APIC_TASKPRI:
		*allowed = 0xff;
		return 0;
	case APIC_SPIV:
		*allowed = APIC_VECTOR_MASK | APIC_SPIV_ENABLED | BIT(9);
		return 0;
	case APIC_LVTT:
		*allowed = LVT_BITS | APIC_TIMER_MODE_MASK;
		return 0;
	case APIC_LVTTHMR:
	case APIC_LVTPC:
	case APIC_CMCI:
		*allowed = LVT_BITS | LVT_MODE;
		return 0;
	case APIC_LVT0:
	case APIC_LVT1:
		*allowed = LINT_BITS;
		return 0;
	case APIC_LVTERR:
		*allowed = LVT_BITS;
		return 0;
	case APIC_TMICT:
		*allowed = 0xffffffff;
		return 0;
	case APIC_TDCR:
		*allowed = 0xb;
		return 0;
	case APIC_ICR:
		*allowed = 0xffffffff00000000ull | APIC_VECTOR_MASK |
			   APIC_DM_MASK | APIC_DEST_LOGICAL | APIC_INT_ASSERT |
			   APIC_INT_LEVELTRIG | APIC_SHORT_MASK;
		return 0;
	case APIC_SELF_IPI:
		*allowed = APIC_VECTOR_MASK;
		return 0;
	case APIC_EOI:
	case APIC_ESR:
		*allowed = 0;	/* writes of 0 only */
		return 0;
	default:
		return -EPERM;	/* read-only or no register */
	}
}

int vlapic_msr_write(struct vlapic *l, u32 msr, u64 val, u64 now)
{
	u32 offset = (msr - MSR_X2APIC_FIRST) << 4;
	u64 allowed;

	if (!vlapic_x2apic_mode(l) || msr - MSR_X2APIC_FIRST >= X2APIC_REGS ||
	    x2apic_write_bits(offset, &allowed) || (val & ~allowed))
		return -EPERM;
	if (offset == APIC_SELF_IPI) {
		set(l, APIC_ICR2, 0);
		return write_register(l, APIC_ICR, APIC_DEST_SELF | (u32)val,
				      now);
	}
	if (offset == APIC_ICR)
		set(l, APIC_ICR2, val >> 32);
	return write_register(l, offset, val, now);
}

/* x2APIC's ID and its logical ID, both fixed by the vCPU. */
static void set_x2apic_id(struct vlapic *l)
{
	u32 id = l->vcpu_id * 2;

	set(l, APIC_ID, id);
	set(l, APIC_LDR, ((id & ~0xfu) << 12) | BIT(id & 0xf));
}

int vlapic_set_base(struct vlapic *l, u64 val, bool x2apic)
{
	u64 changed = l->apic_base ^ val;

	if (val & ~(APIC_BASE_ADDR | APIC_BASE_ENABLE | APIC_BASE_BSP |
		    (x2apic ? APIC_BASE_EXTD : 0)))
		return -EPERM;
	/* As Xen: the xAPIC window stays where reset put it. */
	if ((val & (APIC_BASE_EXTD | APIC_BASE_ENABLE)) == APIC_BASE_ENABLE &&
	    (val & APIC_BASE_ADDR) != APIC_DEFAULT_BASE)
		return -EPERM;
	if (changed & APIC_BASE_ENABLE) {
		if (val & APIC_BASE_EXTD)
			return -EPERM;	/* disabled to x2APIC, or back */
		if (val & APIC_BASE_ENABLE)
			vlapic_reset(l, l->vcpu_id);
	} else if ((changed & APIC_BASE_EXTD) && !vlapic_xapic_mode(l)) {
		return -EPERM;	/* x2APIC back to xAPIC, or while disabled */
	}
	l->apic_base = val;
	if (vlapic_x2apic_mode(l))
		set_x2apic_id(l);
	return 0;
}

void vlapic_set_tsc_deadline(struct vlapic *l, u64 value, u64 when)
{
	if (!(l->apic_base & APIC_BASE_ENABLE) ||
	    timer_mode(l) != APIC_TIMER_TSC_DEADLINE)
		return;
	l->tsc_deadline = value;
	l->timer_deadline = value ? when : VLAPIC_NO_DEADLINE;
}

u64 vlapic_tsc_deadline(const struct vlapic *l)
{
	return timer_mode(l) == APIC_TIMER_TSC_DEADLINE ? l->tsc_deadline : 0;
}
