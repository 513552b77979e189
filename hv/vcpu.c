// SPDX-License-Identifier: GPL-2.0
/*
 * The vcpu_op and vm_assist hypercalls, with Xen 4.17's semantics, for
 * guests (dom0's vCPUs are its Linux's CPUs, which need neither). A
 * guest names one of its own vCPUs; the argument is read in the layout
 * of the caller's mode, as Xen's compat_vcpu_op() reads it.
 *
 * Offered: bringing vCPUs up and down (the state VCPUOP_initialise
 * gives is hv/hvm_vcpu.c's), where the vCPU's vcpu_info and runstate
 * live and what they say, and its timers; the rest is -ENOSYS.
 */
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/time.h>
#include <hv/vcpu_run.h>
#include <hv/xen.h>
#include <xen/sched.h>

/* Xen's limits on a periodic timer: 1 ms, and STIME_DELTA_MAX. */
#define PERIOD_MIN_NS		1000000ull
#define PERIOD_MAX_NS		(~0ull >> 2)

/* What Xen 4.17 lets an HVM guest assist with (HVM_VM_ASSIST_MASK). */
#define HVM_VM_ASSIST_MASK	(1ull << VMASST_TYPE_runstate_update_flag)

static long get_runstate_info(struct hv_cpu *cpu, struct vcpu *v, u64 arg)
{
	struct vcpu_runstate_info r;

	spin_lock(&domain_lock);
	vcpu_runstate_get(v, &r);
	spin_unlock(&domain_lock);
	return runstate_to_guest(cpu, arg, &r, !cpu->guest_long_mode);
}

/*
 * As in Xen, any address is taken (0 stops the copies) and a copy that
 * fails is not reported: the area is written as the vCPU starts and
 * stops running, and once now.
 */
static long register_runstate(struct hv_cpu *cpu, struct vcpu *v, u64 arg)
{
	u64 addr = 0;

	if (copy_from_guest(cpu, &addr, arg, cpu->guest_long_mode ? 8 : 4))
		return -XEN_EFAULT;
	spin_lock(&domain_lock);
	v->runstate_guest = addr;
	vcpu_runstate_publish(cpu, v);
	spin_unlock(&domain_lock);
	return 0;
}

static long register_vcpu_info(struct hv_cpu *cpu, struct vcpu *v, u64 arg)
{
	struct vcpu_register_vcpu_info info;
	long ret;

	/* mfn, offset, rsvd: the same 16 bytes in both layouts. */
	if (copy_from_guest(cpu, &info, arg, sizeof(info)))
		return -XEN_EFAULT;
	spin_lock(&domain_lock);
	ret = vcpu_info_register(v, v == cpu->vcpu, info.mfn, info.offset);
	spin_unlock(&domain_lock);
	return ret;
}

/*
 * VCPUOP_initialise: once per vCPU (-EEXIST after), and only for one
 * with a vcpu_info (past the 32 in shared_info, a registered one).
 */
static long initialise(struct hv_cpu *cpu, struct vcpu *v, u64 arg)
{
	struct vcpu_hvm_context ctx;
	long ret;

	if (v->id >= XEN_LEGACY_MAX_VCPUS && v->vcpu_info_gfn == INVALID_GFN)
		return -XEN_EINVAL;
	/* Fixed-size fields: the same layout for 32- and 64-bit callers. */
	if (copy_from_guest(cpu, &ctx, arg, sizeof(ctx)))
		return -XEN_EFAULT;
	spin_lock(&domain_lock);
	ret = v->initialised ? -XEN_EEXIST : vcpu_initialise_hvm(v, &ctx);
	spin_unlock(&domain_lock);
	return ret;
}

/* VCPUOP_up: an initialised vCPU starts running. */
static long up(struct vcpu *v)
{
	long ret = 0;

	spin_lock(&domain_lock);
	if (v->initialised)
		vcpu_set_down(v, false);
	else
		ret = -XEN_EINVAL;
	spin_unlock(&domain_lock);
	return ret;
}

/*
 * VCPUOP_down: V stops until VCPUOP_up (a running one at its next exit:
 * its thread is kicked). As in Xen, the domain's last vCPU going down
 * powers the domain off instead.
 */
static long down(struct vcpu *v)
{
	spin_lock(&domain_lock);
	if (vcpu_others_up(v))
		vcpu_set_down(v, true);
	else
		domain_shutdown(v->domain, SHUTDOWN_poweroff);
	spin_unlock(&domain_lock);
	return 0;
}

/* The singleshot timer is the calling vCPU's own only, as in Xen. */
static long singleshot(struct hv_cpu *cpu, struct vcpu *v, u64 cmd, u64 arg)
{
	u64 deadline = NO_DEADLINE;

	if (v != cpu->vcpu)
		return -XEN_EINVAL;
	/* timeout_abs_ns leads; the flags (VCPU_SSHOTTMR_future) are ignored. */
	if (cmd == VCPUOP_set_singleshot_timer &&
	    copy_from_guest(cpu, &deadline, arg, sizeof(deadline)))
		return -XEN_EFAULT;
	spin_lock(&domain_lock);
	vcpu_set_singleshot(v, deadline);
	spin_unlock(&domain_lock);
	return 0;
}

static long periodic(struct hv_cpu *cpu, struct vcpu *v, u64 cmd, u64 arg)
{
	u64 period = 0;

	if (cmd == VCPUOP_set_periodic_timer) {
		if (copy_from_guest(cpu, &period, arg, sizeof(period)))
			return -XEN_EFAULT;
		if (period < PERIOD_MIN_NS || period > PERIOD_MAX_NS)
			return -XEN_EINVAL;
	}
	spin_lock(&domain_lock);
	vcpu_set_periodic(v, period);
	spin_unlock(&domain_lock);
	return 0;
}

long do_vcpu_op(struct hv_cpu *cpu, u64 cmd, u64 vcpuid, u64 arg)
{
	struct vcpu *v;

	if (!cpu->vcpu)
		return -XEN_ENOSYS;
	/* Xen's vcpuid is an unsigned int. */
	v = domain_vcpu(cpu->vcpu->domain, (u32)vcpuid);
	if (!v)
		return -XEN_ENOENT;
	switch ((int)cmd) {
	case VCPUOP_initialise:
		return initialise(cpu, v, arg);
	case VCPUOP_up:
		return up(v);
	case VCPUOP_down:
		return down(v);
	case VCPUOP_is_up:
		return !__atomic_load_n(&v->down, __ATOMIC_RELAXED);
	case VCPUOP_get_runstate_info:
		return get_runstate_info(cpu, v, arg);
	case VCPUOP_register_runstate_memory_area:
		return register_runstate(cpu, v, arg);
	case VCPUOP_register_vcpu_info:
		return register_vcpu_info(cpu, v, arg);
	case VCPUOP_set_singleshot_timer:
	case VCPUOP_stop_singleshot_timer:
		return singleshot(cpu, v, cmd, arg);
	case VCPUOP_set_periodic_timer:
	case VCPUOP_stop_periodic_timer:
		return periodic(cpu, v, cmd, arg);
	case VCPUOP_get_physid:
		return -XEN_EINVAL;	/* only a pinned hardware domain's */
	default:
		return -XEN_ENOSYS;
	}
}

/* Xen's do_vm_assist(): the caller's own domain. */
long do_vm_assist(struct hv_cpu *cpu, u64 cmd, u64 type)
{
	struct domain *d;

	if (!cpu->vcpu)
		return -XEN_ENOSYS;
	d = cpu->vcpu->domain;
	if ((u32)type >= 64 || !(HVM_VM_ASSIST_MASK & (1ull << (u32)type)))
		return -XEN_EINVAL;
	switch ((u32)cmd) {
	case VMASST_CMD_enable:
		__atomic_or_fetch(&d->vm_assist, 1ull << (u32)type,
				  __ATOMIC_RELAXED);
		return 0;
	case VMASST_CMD_disable:
		__atomic_and_fetch(&d->vm_assist, ~(1ull << (u32)type),
				   __ATOMIC_RELAXED);
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}
