// SPDX-License-Identifier: GPL-2.0
/*
 * Guest vCPUs run in dom0 kernel threads, one per vCPU, named
 * kxen-dDvN, as KVM runs vCPUs: the thread makes the run hypercall
 * (KXEN_OP_VCPU_RUN), which returns when something needs dom0. After a
 * physical interrupt the thread goes round again, rescheduling first if
 * Linux wants the CPU, so a guest spinning at 100% leaves dom0 free to
 * run; when the vCPU may not run (blocked, paused, down, shut down) the
 * thread sleeps until it is kicked.
 *
 * The vCPU's timers are the hypervisor's, which has no timer interrupt:
 * each run call says when the vCPU's next one is due, and the thread
 * keeps an hrtimer there. Its expiry kicks the thread, which makes a
 * running vCPU exit or a sleeping thread wake, and the next run call
 * fires the timer.
 *
 * The toolstack knows nothing of these threads. After each of its
 * hypercalls that can change what may run (domctl, sched_op, multicall),
 * privcmd asks the hypervisor whether anything did (a generation count);
 * if so, every guest vCPU gets its thread, threads of guests that are
 * gone stop, each thread takes its vCPU's hard affinity as the CPUs it
 * may run on, and all are kicked to look at their vCPU again. Xen's soft
 * affinity, a preference, has no counterpart in Linux's scheduler.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <asm/fpu/api.h>
#include "hypercall.h"
#include "kxen.h"

struct vcpu_thread {
	struct list_head node;
	u16 domid;
	u32 vcpu;
	struct task_struct *task;
	wait_queue_head_t wait;
	bool kicked;
	struct hrtimer timer;	/* at the vCPU's next timer */
};

static LIST_HEAD(vcpu_threads);
static DEFINE_MUTEX(vcpu_threads_lock);

/* Makes T run its vCPU again: from its sleep, or out of the guest now. */
static void vcpu_thread_kick(struct vcpu_thread *t)
{
	WRITE_ONCE(t->kicked, true);
	wake_up(&t->wait);
	kick_process(t->task);
}

static enum hrtimer_restart vcpu_thread_timer_fn(struct hrtimer *timer)
{
	vcpu_thread_kick(container_of(timer, struct vcpu_thread, timer));
	return HRTIMER_NORESTART;
}

/*
 * One run of T's vCPU: a KXEN_RUN_* or negative errno, and the hrtimer
 * moved to when the vCPU's next timer is due.
 */
static long vcpu_thread_run(struct vcpu_thread *t)
{
	unsigned long op = KXEN_OP_VCPU_RUN, domid = t->domid;
	long ret;

	/* The hypervisor switches the FPU to the guest's. */
	kernel_fpu_begin();
	ret = kxen_hypercall_once(KXEN_HYPERCALL, &op, &domid, t->vcpu, 0, 0);
	kernel_fpu_end();
	/* RSI: nanoseconds until the next timer, once the call was made. */
	if (ret < 0 || domid == KXEN_NO_TIMER)
		hrtimer_try_to_cancel(&t->timer);
	else
		hrtimer_start(&t->timer, ns_to_ktime(domid), HRTIMER_MODE_REL);
	return ret;
}

static int vcpu_thread_fn(void *data)
{
	struct vcpu_thread *t = data;
	long ret;

	while (!kthread_should_stop()) {
		if (!kxen_hv_hold())
			break;
		ret = vcpu_thread_run(t);
		kxen_hv_release();
		if (ret == KXEN_RUN_PREEMPTED) {
			cond_resched();
			continue;
		}
		if (ret == KXEN_RUN_TIMER)
			continue;
		if (ret == KXEN_RUN_SYNC) {
			kxen_vcpu_threads_sync();
			continue;
		}
		/* -ESRCH: its vCPU is not made yet, or its guest is gone. */
		if (ret < 0 && ret != -ESRCH && ret != -EBUSY)
			pr_warn_once("d%uv%u: run failed (%ld)\n", t->domid,
				     t->vcpu, ret);
		wait_event_interruptible(t->wait, READ_ONCE(t->kicked) ||
					 kthread_should_stop());
		WRITE_ONCE(t->kicked, false);
	}
	hrtimer_cancel(&t->timer);
	/* kthread_stop() collects the thread. */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static void vcpu_thread_stop(struct vcpu_thread *t)
{
	kick_process(t->task);
	kthread_stop(t->task);
	list_del(&t->node);
	kfree(t);
}

static struct vcpu_thread *vcpu_thread_find(u16 domid, u32 vcpu)
{
	struct vcpu_thread *t;

	list_for_each_entry(t, &vcpu_threads, node)
		if (t->domid == domid && t->vcpu == vcpu)
			return t;
	return NULL;
}

static void vcpu_thread_make(u16 domid, u32 vcpu)
{
	struct vcpu_thread *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return;
	t->domid = domid;
	t->vcpu = vcpu;
	init_waitqueue_head(&t->wait);
	hrtimer_init(&t->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	t->timer.function = vcpu_thread_timer_fn;
	t->task = kthread_run(vcpu_thread_fn, t, "kxen-d%uv%u", domid, vcpu);
	if (IS_ERR(t->task)) {
		pr_warn("d%uv%u: no thread (%ld)\n", domid, vcpu,
			PTR_ERR(t->task));
		kfree(t);
		return;
	}
	list_add_tail(&t->node, &vcpu_threads);
}

/* Whether vCPU VCPU of DOMID exists, from the hypervisor's guest list. */
static bool guest_vcpu_exists(u16 domid, u32 vcpu)
{
	long next = kxen_op(KXEN_OP_NEXT_GUEST, domid, 0);

	return next >= 0 && next >> 32 == domid && vcpu < (u32)next;
}

/* T's thread runs only where its vCPU may (and CPUs are online). */
static void vcpu_thread_follow_affinity(struct vcpu_thread *t)
{
	struct kxen_vcpu_affinity aff = { .domid = t->domid, .vcpu = t->vcpu };
	cpumask_var_t mask;
	unsigned int cpu;

	if (kxen_op(KXEN_OP_VCPU_AFFINITY, (u64)&aff, 0) ||
	    !zalloc_cpumask_var(&mask, GFP_KERNEL))
		return;
	for_each_online_cpu(cpu)
		if (cpu < 64 && aff.cpus & BIT_ULL(cpu))
			cpumask_set_cpu(cpu, mask);
	if (!cpumask_empty(mask) && set_cpus_allowed_ptr(t->task, mask))
		pr_warn_once("d%uv%u: affinity not set\n", t->domid, t->vcpu);
	free_cpumask_var(mask);
}

static u64 synced_generation;

void kxen_vcpu_threads_sync(void)
{
	struct vcpu_thread *t, *next;
	long gen, guest;
	u32 i;

	mutex_lock(&vcpu_threads_lock);
	gen = kxen_op(KXEN_OP_RUN_GENERATION, 0, 0);
	if (gen < 0 || gen == synced_generation)
		goto out;
	synced_generation = gen;
	list_for_each_entry_safe(t, next, &vcpu_threads, node) {
		if (guest_vcpu_exists(t->domid, t->vcpu))
			continue;
		/* A vCPU thread syncing cannot stop itself: the next sync does. */
		if (t->task == current)
			synced_generation = 0;
		else
			vcpu_thread_stop(t);
	}
	for (guest = kxen_op(KXEN_OP_NEXT_GUEST, 1, 0); guest >= 0;
	     guest = kxen_op(KXEN_OP_NEXT_GUEST, (guest >> 32) + 1, 0))
		for (i = 0; i < (u32)guest; i++)
			if (!vcpu_thread_find(guest >> 32, i))
				vcpu_thread_make(guest >> 32, i);
	list_for_each_entry(t, &vcpu_threads, node) {
		vcpu_thread_follow_affinity(t);
		vcpu_thread_kick(t);
	}
out:
	mutex_unlock(&vcpu_threads_lock);
}

void kxen_vcpu_threads_exit(void)
{
	struct vcpu_thread *t, *next;

	mutex_lock(&vcpu_threads_lock);
	list_for_each_entry_safe(t, next, &vcpu_threads, node)
		vcpu_thread_stop(t);
	synced_generation = 0;
	mutex_unlock(&vcpu_threads_lock);
}
