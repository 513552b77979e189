// SPDX-License-Identifier: GPL-2.0
/*
 * The sched_op hypercall, with Xen 4.17's semantics. kxen has no
 * scheduler of its own (dom0's Linux schedules the vCPU threads), so a
 * guest's yield ends its run and lets Linux choose, and block and poll
 * end it until the vCPU is woken: by its upcall, a polled port or a
 * timer.
 */
#include <hv/compat.h>
#include <hv/domain.h>
#include <hv/event_channel.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/printk.h>
#include <hv/vcpu_run.h>
#include <hv/x86.h>
#include <hv/xen.h>
#include <xen/sched.h>

/* Xen's "fairly arbitrary limit" on the ports one poll names. */
#define POLL_MAX_PORTS	128

static const char *const shutdown_names[] = {
	[SHUTDOWN_poweroff] = "poweroff",
	[SHUTDOWN_reboot] = "reboot",
	[SHUTDOWN_suspend] = "suspend",
	[SHUTDOWN_crash] = "crash",
	[SHUTDOWN_watchdog] = "watchdog",
	[SHUTDOWN_soft_reset] = "soft reset",
};

/* As Xen's domain_shutdown(): the first reason stands. Under domain_lock. */
void domain_shutdown(struct domain *d, u32 reason)
{
	reason &= 0xff;			/* Xen keeps the reason as a u8 */
	if (d->shut_down)
		return;
	d->shut_down = true;
	d->shutdown_code = reason;
	domain_runstates_sync(d);
	domain_run_changed();
	hv_printk("d%u: shut down: %s (%u)\n", d->id,
		  reason < ARRAY_SIZE(shutdown_names) && shutdown_names[reason] ?
		  shutdown_names[reason] : "unknown reason", reason);
}

/* Dom0's SCHEDOP_remote_shutdown of a guest (xl shutdown, xl reboot). */
static long remote_shutdown(struct hv_cpu *cpu, u64 arg)
{
	struct sched_remote_shutdown rs;
	struct domain *d;
	long ret = 0;

	if (cpu->vcpu)
		return -XEN_EPERM;	/* only the control domain may */
	if (copy_from_guest(cpu, &rs, arg, sizeof(rs)))
		return -XEN_EFAULT;
	spin_lock(&domain_lock);
	d = rs.domain_id < DOMID_FIRST_RESERVED ?
	    domain_find(rs.domain_id) : NULL;
	if (!d)
		ret = -XEN_ESRCH;
	else if (!d->id)
		ret = -XEN_EPERM;	/* Xen would shut the host down */
	else
		domain_shutdown(d, rs.reason);
	spin_unlock(&domain_lock);
	return ret;
}

/*
 * Xen's do_poll(): V blocks until one of the ports is pending (masked or
 * not), its upcall is due, or the timeout (system time; 0: none) passes.
 * A port pending already, or an event due, returns at once.
 */
static long poll(struct hv_cpu *cpu, struct vcpu *v, u64 arg)
{
	struct compat_sched_poll compat;
	struct sched_poll native;
	u32 ports[POLL_MAX_PORTS], nr, i;
	u64 list, timeout;
	long ret = 0;

	if (cpu->guest_long_mode) {
		if (copy_from_guest(cpu, &native, arg, sizeof(native)))
			return -XEN_EFAULT;
		list = (u64)native.ports.p;
		nr = native.nr_ports;
		timeout = native.timeout;
	} else {
		if (copy_from_guest(cpu, &compat, arg, sizeof(compat)))
			return -XEN_EFAULT;
		list = compat.ports;
		nr = compat.nr_ports;
		timeout = compat.timeout;
	}
	if (nr > POLL_MAX_PORTS)
		return -XEN_EINVAL;
	if (copy_from_guest(cpu, ports, list, nr * sizeof(ports[0])))
		return -XEN_EFAULT;
	spin_lock(&domain_lock);
	vcpu_block(v, cpu->guest_rflags & X86_RFLAGS_IF);
	if (!v->blocked)
		goto unlock;
	for (i = 0; i < nr; i++) {
		ret = evtchn_port_poll(v->domain, ports[i]);
		if (ret)
			goto out;
	}
	v->polling = true;
	v->poll_port = nr == 1 ? ports[0] : 0;
	vcpu_set_poll_timeout(v, timeout ? timeout : NO_DEADLINE);
	spin_unlock(&domain_lock);
	return 0;
out:
	v->blocked = false;
unlock:
	spin_unlock(&domain_lock);
	return ret > 0 ? 0 : ret;
}

long do_sched_op(struct hv_cpu *cpu, u64 cmd, u64 arg)
{
	struct vcpu *v = cpu->vcpu;
	struct sched_shutdown ss;

	if (cmd == SCHEDOP_remote_shutdown)
		return remote_shutdown(cpu, arg);
	/* Dom0's vCPUs are its CPUs: Linux schedules them itself. */
	if (!v)
		return -XEN_ENOSYS;
	switch (cmd) {
	case SCHEDOP_yield:
		vcpu_stop(cpu, KXEN_RUN_PREEMPTED);
		return 0;
	case SCHEDOP_block:
		spin_lock(&domain_lock);
		vcpu_block(v, cpu->guest_rflags & X86_RFLAGS_IF);
		spin_unlock(&domain_lock);
		return 0;
	case SCHEDOP_poll:
		return poll(cpu, v, arg);
	case SCHEDOP_shutdown:
		if (copy_from_guest(cpu, &ss, arg, sizeof(ss)))
			return -XEN_EFAULT;
		spin_lock(&domain_lock);
		domain_shutdown(v->domain, ss.reason);
		spin_unlock(&domain_lock);
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}
