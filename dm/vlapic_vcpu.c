// SPDX-License-Identifier: GPL-2.0
/*
 * The vLAPICs of a domain's vCPUs at work: the guest's accesses to its
 * xAPIC page and to the APIC MSRs, IPIs from one vCPU to others, and the
 * timer's deadline joining the vCPU's other timers (hv/vcpu_timer.c).
 *
 * Accesses come from the vCPU itself, on its CPU; only the IPIs reach
 * other vCPUs, whose IRR they set atomically and whose threads they
 * kick under domain_lock.
 */
#include <dm/vlapic.h>
#include <hv/cpu_policy.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/hv.h>
#include <hv/printk.h>
#include <hv/time.h>
#include <hv/vcpu_run.h>
#include <hv/x86.h>
#include <xen/arch-x86/cpufeatureset.h>

#define MSR_APIC_BASE		0x0000001b
#define MSR_TSC_DEADLINE	0x000006e0
#define MSR_X2APIC_FIRST	0x00000800
#define MSR_X2APIC_LAST		0x000008ff

/* An INIT or a startup IPI to T, as Xen's vlapic_init_sipi_one(). */
static void init_sipi(struct vcpu *t, u32 icr)
{
	if ((icr & APIC_DM_MASK) == APIC_DM_STARTUP)
		vcpu_startup_ipi(t, icr & APIC_VECTOR_MASK);
	else if ((icr & (APIC_INT_LEVELTRIG | APIC_INT_ASSERT)) !=
		 APIC_INT_LEVELTRIG)	/* not the INIT level de-assert */
		vcpu_init_signal(t);
}

/*
 * The IPI V's ICR now holds, to the domain's vCPUs it names: fixed and
 * lowest-priority ones to those whose LAPIC is enabled, INIT and SIPI
 * to any. An NMI needs injecting into a guest, which kxen does not do
 * yet: it is logged and dropped. SMI and remote read are ignored, as by
 * Xen.
 */
static void send_ipi(struct vcpu *v)
{
	struct vlapic *src = &v->vlapic;
	u32 icr = vlapic_icr(src), dest = vlapic_icr_dest(src);
	u32 mode = icr & APIC_DM_MASK;
	struct domain *d = v->domain;
	u32 i;

	if (!vlapic_ipi_legal(src, icr))
		return;
	if (mode == APIC_DM_NMI) {
		hv_printk("d%uv%u: NMI IPIs are not emulated (ICR %#x)\n",
			  d->id, v->id, icr);
		return;
	}
	if (mode != APIC_DM_FIXED && mode != APIC_DM_LOWEST &&
	    mode != APIC_DM_INIT && mode != APIC_DM_STARTUP)
		return;
	spin_lock(&domain_lock);
	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *t = d->vcpu[i];

		if (!t || !vlapic_match_dest(&t->vlapic, src, icr, dest))
			continue;
		if (mode == APIC_DM_INIT || mode == APIC_DM_STARTUP) {
			init_sipi(t, icr);
			continue;
		}
		if (!vlapic_enabled(&t->vlapic))
			continue;
		if (vlapic_set_irq(&t->vlapic, icr & APIC_VECTOR_MASK, false))
			vcpu_kick(t);
		/* Lowest priority: the first that matches takes it. */
		if (mode == APIC_DM_LOWEST)
			break;
	}
	spin_unlock(&domain_lock);
}

/*
 * What a guest write may have changed: an IPI to send, the timer. Only
 * a deadline sooner than the one V's thread has armed needs telling
 * (the rest of V's timers are as they were), so most writes, EOIs
 * among them, take no lock.
 */
static void after_write(struct vcpu *v, int ret)
{
	if (ret == VLAPIC_SEND_IPI)
		send_ipi(v);
	if (v->vlapic.timer_deadline >= v->timer_armed)
		return;
	spin_lock(&domain_lock);
	vcpu_timer_changed(v);
	spin_unlock(&domain_lock);
}

bool vlapic_mmio_claims(const struct vcpu *v, u64 gpa)
{
	const struct vlapic *l = &v->vlapic;

	return vlapic_xapic_mode(l) &&
	       (gpa & ~(u64)(PAGE_SIZE - 1)) == (l->apic_base & APIC_BASE_ADDR);
}

void vcpu_lapic_mmio(struct vcpu *v, u64 gpa, unsigned int len, bool write,
		     u64 *val)
{
	u32 offset = gpa & (PAGE_SIZE - 1);

	if (!write) {
		*val = vlapic_mmio_read(&v->vlapic, offset, len, system_time());
		return;
	}
	after_write(v, vlapic_mmio_write(&v->vlapic, offset, len, *val,
					 system_time()));
}

u64 vcpu_lapic_cr8(struct vcpu *v)
{
	return vlapic_mmio_read(&v->vlapic, APIC_TASKPRI, 4, system_time()) >> 4;
}

void vcpu_lapic_set_cr8(struct vcpu *v, u64 cr8)
{
	after_write(v, vlapic_mmio_write(&v->vlapic, APIC_TASKPRI, 4,
					 (cr8 & 0xf) << 4, system_time()));
}

/* The system time at which V's TSC reaches TSC (now, if it has). */
static u64 tsc_time(const struct vcpu *v, u64 tsc)
{
	u64 guest_tsc = rdtsc() + v->tsc_offset, now = system_time();

	return tsc > guest_tsc ? now + tsc_to_ns(tsc - guest_tsc) : now;
}

int vcpu_lapic_msr(struct vcpu *v, u32 msr, bool write, u64 *val)
{
	const struct cpu_policy *p = v->domain->cpu_policy;
	struct vlapic *l = &v->vlapic;
	int ret;

	switch (msr) {
	case MSR_APIC_BASE:
		if (!write) {
			*val = l->apic_base;
			return 0;
		}
		ret = vlapic_set_base(l, *val,
				      policy_has(p, XEN_X86_FEATURE_X2APIC));
		if (!ret)
			after_write(v, 0);
		return ret;
	case MSR_TSC_DEADLINE:
		if (!policy_has(p, XEN_X86_FEATURE_TSC_DEADLINE))
			return -EPERM;
		if (!write) {
			*val = vlapic_tsc_deadline(l);
			return 0;
		}
		vlapic_set_tsc_deadline(l, *val, tsc_time(v, *val));
		after_write(v, 0);
		return 0;
	}
	if (msr < MSR_X2APIC_FIRST || msr > MSR_X2APIC_LAST)
		return -ENOENT;
	if (!write)
		return vlapic_msr_read(l, msr, system_time(), val);
	ret = vlapic_msr_write(l, msr, *val, system_time());
	if (ret < 0)
		return ret;
	after_write(v, ret);
	return 0;
}
