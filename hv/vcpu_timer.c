// SPDX-License-Identifier: GPL-2.0
/*
 * A guest vCPU's timers, as Xen 4.17 keeps them: VCPUOP's singleshot and
 * periodic timers, which raise VIRQ_TIMER, SCHEDOP_poll's timeout, and
 * the local APIC's timer (dm/vlapic.c), which raises its LVT vector.
 * As in Xen, the periodic timer runs only while its vCPU may run: it
 * does not wake a blocked vCPU, and fires once on its way back in if a
 * period passed meanwhile.
 *
 * The hypervisor has no timer interrupt of its own. A deadline is
 * checked as its vCPU is about to run and at each of its exits; to make
 * that happen in time, the vCPU's thread in dom0 keeps a Linux hrtimer
 * at the earliest deadline, which the run call returns. The hrtimer's
 * interrupt makes a running vCPU exit, and wakes a sleeping thread. A
 * deadline set earlier than the one the thread has ends the run, so the
 * thread can arm it.
 *
 * All of it under domain_lock.
 */
#include <hv/domain.h>
#include <hv/event_channel.h>
#include <hv/hv.h>
#include <hv/time.h>
#include <hv/vcpu_run.h>
#include <hv/xen.h>

/* Xen stops the periodic timer while the vCPU is off its CPU. */
static bool periodic_runs(const struct vcpu *v)
{
	return v->periodic_period && !vcpu_may_not_run(v);
}

u64 vcpu_next_deadline(const struct vcpu *v)
{
	u64 next = v->singleshot_deadline;

	if (periodic_runs(v) && v->periodic_deadline < next)
		next = v->periodic_deadline;
	if (v->polling && v->poll_deadline < next)
		next = v->poll_deadline;
	if (v->vlapic.timer_deadline < next)
		next = v->vlapic.timer_deadline;
	return next;
}

void vcpu_timers_expire(struct vcpu *v)
{
	u64 now = system_time();

	if (v->singleshot_deadline <= now) {
		v->singleshot_deadline = NO_DEADLINE;
		send_guest_vcpu_virq(v, VIRQ_TIMER);
	}
	/* As Xen's periodic timer: the next period starts now. */
	if (periodic_runs(v) && v->periodic_deadline <= now) {
		send_guest_vcpu_virq(v, VIRQ_TIMER);
		v->periodic_deadline = now + v->periodic_period;
	}
	if (v->polling && v->poll_deadline <= now) {
		v->poll_deadline = NO_DEADLINE;
		vcpu_kick(v);
	}
	/* Unlike the periodic timer, it wakes a vCPU blocked in HLT. */
	if (vlapic_timer_expire(&v->vlapic, now))
		vcpu_kick(v);
}

void vcpu_timer_changed(struct vcpu *v)
{
	struct hv_cpu *cpu = this_cpu();

	if (vcpu_next_deadline(v) >= v->timer_armed)
		return;
	if (cpu->vcpu == v)
		vcpu_stop(cpu, KXEN_RUN_TIMER);
	else
		vcpu_notify_thread(v);
}

void vcpu_set_singleshot(struct vcpu *v, u64 deadline)
{
	/* Xen 4.17: a deadline already past raises the event at once. */
	if (deadline < system_time()) {
		v->singleshot_deadline = NO_DEADLINE;
		send_guest_vcpu_virq(v, VIRQ_TIMER);
		return;
	}
	v->singleshot_deadline = deadline;
	vcpu_timer_changed(v);
}

void vcpu_set_periodic(struct vcpu *v, u64 period)
{
	v->periodic_period = period;
	if (!period)
		return;
	v->periodic_deadline = system_time() + period;
	vcpu_timer_changed(v);
}

void vcpu_set_poll_timeout(struct vcpu *v, u64 deadline)
{
	v->poll_deadline = deadline;
	vcpu_timer_changed(v);
}
