// SPDX-License-Identifier: GPL-2.0
/*
 * A PVH test guest of Xen's event channels and timers, as a Linux guest
 * uses them: ports bound to VIRQ_TIMER and IPIs, and an interdomain
 * channel to itself, delivered through the callback vector (the upcall);
 * the singleshot and periodic timers, measured against the pvclock; a
 * vCPU blocked (HLT, SCHEDOP_block) and woken by its timer, and
 * SCHEDOP_poll. Each operation's errors are checked against Xen 4.17's.
 * Prints KTAP; powers off when all passed, crashes otherwise.
 */
#include "lib/guest.h"

#define MS			1000000ull

static uint8_t shared_page[4096] __attribute__((aligned(4096)));
static struct shared_info *shared;

static uint64_t now_ns(void)
{
	return pvclock_now(shared);
}

/* Microseconds from DEADLINE to T, negative when T is before it. */
static long us_after(uint64_t t, uint64_t deadline)
{
	return t >= deadline ? (long)((t - deadline) / 1000) :
			       -(long)((deadline - t) / 1000);
}

static void irq_enable(void)
{
	asm volatile("sti" : : : "memory");
}

static void irq_disable(void)
{
	asm volatile("cli" : : : "memory");
}

static bool port_pending(unsigned int port)
{
	return __atomic_load_n(&shared->evtchn_pending[port / 32],
			       __ATOMIC_SEQ_CST) & (1ul << (port % 32));
}

static void port_mask(unsigned int port, bool masked)
{
	if (masked)
		__atomic_or_fetch(&shared->evtchn_mask[port / 32],
				  1ul << (port % 32), __ATOMIC_SEQ_CST);
	else
		__atomic_and_fetch(&shared->evtchn_mask[port / 32],
				   ~(1ul << (port % 32)), __ATOMIC_SEQ_CST);
}

static long singleshot(uint64_t deadline)
{
	struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = deadline };

	return hypercall(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0,
			 (unsigned long)&t, 0, 0);
}

static long vcpu_op(unsigned int cmd, unsigned int vcpu, void *arg)
{
	return hypercall(__HYPERVISOR_vcpu_op, cmd, vcpu, (unsigned long)arg,
			 0, 0);
}

static long sched_op(unsigned int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_sched_op, cmd, (unsigned long)arg);
}

static long poll(evtchn_port_t *ports, unsigned int nr, uint64_t timeout)
{
	struct sched_poll p = { .nr_ports = nr, .timeout = timeout };

	set_xen_guest_handle(p.ports, ports);
	return sched_op(SCHEDOP_poll, &p);
}

/* Waits with interrupts on, halted, until PORT has seen COUNT events. */
static bool wait_events(unsigned int port, unsigned int count,
			uint64_t limit)
{
	irq_disable();		/* so no event comes between check and HLT */
	while (event_count(port) < count && now_ns() < limit)
		asm volatile("sti; hlt; cli" : : : "memory");
	irq_enable();
	return event_count(port) >= count;
}

static evtchn_port_t bind_virq(unsigned int virq, unsigned int vcpu,
			       long *ret)
{
	struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };

	*ret = event_channel_op(EVTCHNOP_bind_virq, &b);
	return b.port;
}

static long status(evtchn_port_t port, struct evtchn_status *s)
{
	*s = (struct evtchn_status){ .dom = DOMID_SELF, .port = port };
	return event_channel_op(EVTCHNOP_status, s);
}

static long close_port(evtchn_port_t port)
{
	struct evtchn_close c = { .port = port };

	return event_channel_op(EVTCHNOP_close, &c);
}

static long send(evtchn_port_t port)
{
	struct evtchn_send s = { .port = port };

	return event_channel_op(EVTCHNOP_send, &s);
}

static evtchn_port_t timer_port;

static void test_setup(void)
{
	struct xen_feature_info fi = { .submap_idx = 0 };
	long ret;

	hypercall2(__HYPERVISOR_xen_version, XENVER_get_features,
		   (unsigned long)&fi);
	ktap_result((fi.submap & (1u << XENFEAT_hvm_callback_vector)) &&
		    (fi.submap & (1u << XENFEAT_hvm_safe_pvclock)) &&
		    !(fi.submap & (1u << XENFEAT_dom0)),
		    "features: callback vector and safe pvclock, not dom0 (%#x)",
		    fi.submap);
	ret = shared_info_place((uintptr_t)shared_page >> 12, &shared);
	ktap_result(ret == 0, "shared_info placed: %d", (int)ret);
	ret = events_init(shared, CALLBACK_VECTOR);
	ktap_result(ret == 0, "HVM_PARAM_CALLBACK_IRQ takes vector %#x: %d",
		    CALLBACK_VECTOR, (int)ret);
}

static void test_bind_virq(void)
{
	struct evtchn_status s;
	long ret, again;

	timer_port = bind_virq(VIRQ_TIMER, 0, &ret);
	bind_virq(VIRQ_TIMER, 0, &again);
	ktap_result(ret == 0 && timer_port > 0 && again == -XEN_EEXIST,
		    "bind_virq VIRQ_TIMER: port %u, then -EEXIST: %d, %d",
		    timer_port, (int)ret, (int)again);
	ret = status(timer_port, &s);
	ktap_result(ret == 0 && s.status == EVTCHNSTAT_virq &&
		    s.u.virq == VIRQ_TIMER && s.vcpu == 0,
		    "status: virq %u on vCPU %u (%d)", s.u.virq, s.vcpu,
		    (int)ret);
	ret = status(0, &s);
	ktap_result(ret == 0 && s.status == EVTCHNSTAT_closed,
		    "port 0 is reserved: closed (%d)", (int)ret);
	bind_virq(NR_VIRQS, 0, &ret);
	bind_virq(VIRQ_CONSOLE, 1, &again);
	ktap_result(ret == -XEN_EINVAL && again == -XEN_EINVAL,
		    "bad VIRQ, global VIRQ off vCPU 0: -EINVAL (%d, %d)",
		    (int)ret, (int)again);
	bind_virq(VIRQ_DEBUG, 7, &ret);
	ktap_result(ret == -XEN_ENOENT, "no such vCPU: -ENOENT (%d)",
		    (int)ret);
}

static void test_singleshot(void)
{
	uint64_t deadline, fired;
	unsigned int seen = event_count(timer_port);
	long ret;

	deadline = now_ns() + 5 * MS;
	ret = singleshot(deadline);
	wait_events(timer_port, seen + 1, deadline + 1000 * MS);
	fired = now_ns();
	ktap_result(ret == 0 && event_count(timer_port) == seen + 1 &&
		    fired >= deadline,
		    "singleshot +5 ms: VIRQ_TIMER %ld us after the deadline",
		    us_after(fired, deadline));
	irq_disable();
	ret = singleshot(now_ns() - MS);
	ktap_result(ret == 0 && port_pending(timer_port),
		    "a deadline past: pending at once (%d)", (int)ret);
	irq_enable();
	wait_events(timer_port, seen + 2, now_ns() + 1000 * MS);
	ktap_result(event_count(timer_port) == seen + 2 &&
		    !port_pending(timer_port),
		    "and delivered when interrupts are on");
	seen = event_count(timer_port);
	singleshot(now_ns() + 10 * MS);
	ret = vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
	deadline = now_ns() + 40 * MS;
	while (now_ns() < deadline)
		;
	ktap_result(ret == 0 && event_count(timer_port) == seen,
		    "stopped: no event (%d)", (int)ret);
	ret = vcpu_op(VCPUOP_stop_singleshot_timer, 1, NULL);
	ktap_result(ret == -XEN_ENOENT, "vCPU 1 does not exist: -ENOENT (%d)",
		    (int)ret);
}

/* A new IPI port on vCPU 0, masked: something to poll that stays quiet. */
static evtchn_port_t bind_ipi_masked(void)
{
	struct evtchn_bind_ipi b = { .vcpu = 0 };

	event_channel_op(EVTCHNOP_bind_ipi, &b);
	port_mask(b.port, true);
	return b.port;
}

/* Closes PORT, unmasked again for whoever binds it next. */
static void release_masked(evtchn_port_t port)
{
	close_port(port);
	port_mask(port, false);
}

static void test_periodic(void)
{
	struct vcpu_set_periodic_timer p = { .period_ns = MS - 1 };
	evtchn_port_t ports[1];
	unsigned int seen = event_count(timer_port), n;
	uint64_t start, end;
	long ret;

	ret = vcpu_op(VCPUOP_set_periodic_timer, 0, &p);
	ktap_result(ret == -XEN_EINVAL, "a period under 1 ms: -EINVAL (%d)",
		    (int)ret);
	p.period_ns = 5 * MS;
	start = now_ns();
	ret = vcpu_op(VCPUOP_set_periodic_timer, 0, &p);
	/* Running: the periodic timer runs only while the vCPU does. */
	while (event_count(timer_port) < seen + 4 && now_ns() < start + 2000 * MS)
		asm volatile("pause");
	end = now_ns();
	n = event_count(timer_port) - seen;
	ktap_result(ret == 0 && n >= 4 && end - start >= 4 * p.period_ns,
		    "periodic 5 ms: %u events in %llu us", n,
		    (unsigned long long)(end - start) / 1000);
	ports[0] = bind_ipi_masked();
	end = now_ns() + 30 * MS;
	poll(ports, 1, end);
	ktap_result(now_ns() >= end,
		    "blocked, the vCPU is not woken by its periodic timer (as Xen)");
	release_masked(ports[0]);
	ret = vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
	seen = event_count(timer_port);
	end = now_ns() + 30 * MS;
	while (now_ns() < end)
		;
	ktap_result(ret == 0 && event_count(timer_port) == seen,
		    "stopped: no more events (%d)", (int)ret);
}

/* A blocked vCPU wakes at its timer: by HLT, and by SCHEDOP_block. */
static void test_block(void)
{
	unsigned int seen = event_count(timer_port);
	uint64_t deadline = now_ns() + 10 * MS, woke;
	long ret;

	irq_disable();
	singleshot(deadline);
	asm volatile("sti; hlt" : : : "memory");
	woke = now_ns();
	ktap_result(woke >= deadline && event_count(timer_port) == seen + 1,
		    "HLT wakes at the timer: %ld us after the deadline",
		    us_after(woke, deadline));
	deadline = now_ns() + 10 * MS;
	singleshot(deadline);
	ret = sched_op(SCHEDOP_block, NULL);
	woke = now_ns();
	ktap_result(ret == 0 && woke >= deadline &&
		    event_count(timer_port) == seen + 2,
		    "SCHEDOP_block wakes at the timer: %ld us after it",
		    us_after(woke, deadline));
}

static void test_ipi_and_mask(void)
{
	struct evtchn_bind_ipi b = { .vcpu = 0 };
	struct evtchn_unmask u;
	unsigned int before;
	long ret;

	ret = event_channel_op(EVTCHNOP_bind_ipi, &b);
	before = upcall_count();
	send(b.port);
	ktap_result(ret == 0 && event_count(b.port) == 1 &&
		    upcall_count() == before + 1,
		    "bind_ipi and send: the upcall sees port %u (%d)", b.port,
		    (int)ret);
	port_mask(b.port, true);
	send(b.port);
	ktap_result(event_count(b.port) == 1 && port_pending(b.port),
		    "masked: pending, no upcall");
	u.port = b.port;
	ret = event_channel_op(EVTCHNOP_unmask, &u);
	ktap_result(ret == 0 && event_count(b.port) == 2,
		    "EVTCHNOP_unmask delivers it (%d)", (int)ret);
	b.vcpu = 3;
	ret = event_channel_op(EVTCHNOP_bind_ipi, &b);
	ktap_result(ret == -XEN_ENOENT, "bind_ipi to no vCPU: -ENOENT (%d)",
		    (int)ret);
}

/* SCHEDOP_poll, with interrupts off so that only the poll wakes. */
static void test_poll(void)
{
	evtchn_port_t ports[129], port = bind_ipi_masked();
	uint64_t deadline;
	long ret;

	irq_disable();
	ports[0] = port;
	deadline = now_ns() + 10 * MS;
	ret = poll(ports, 1, deadline);
	ktap_result(ret == 0 && now_ns() >= deadline,
		    "poll times out, not before its timeout (%d)", (int)ret);
	send(port);
	deadline = now_ns() + 1000 * MS;
	ret = poll(ports, 1, deadline);
	ktap_result(ret == 0 && now_ns() < deadline,
		    "a pending port returns at once (%d)", (int)ret);
	ports[1] = 4000;
	ret = poll(ports, 2, 0);
	ktap_result(ret == 0, "any of two, one pending: returns (%d)",
		    (int)ret);
	ports[0] = 4000;
	ret = poll(ports, 1, 0);
	ktap_result(ret == -XEN_EINVAL, "a port not bound: -EINVAL (%d)",
		    (int)ret);
	ret = poll(ports, 129, 0);
	ktap_result(ret == -XEN_EINVAL, "129 ports: -EINVAL (%d)", (int)ret);
	irq_enable();
	release_masked(port);
}

/* An interdomain channel from the guest to itself, as a loopback. */
static void test_interdomain(void)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF,
					  .remote_dom = DOMID_SELF };
	struct evtchn_bind_interdomain b = { .remote_dom = DOMID_SELF };
	struct evtchn_bind_vcpu bv;
	struct evtchn_status s;
	long ret;

	ret = event_channel_op(EVTCHNOP_alloc_unbound, &a);
	status(a.port, &s);
	ktap_result(ret == 0 && s.status == EVTCHNSTAT_unbound,
		    "alloc_unbound: port %u waits (%d)", a.port, (int)ret);
	b.remote_port = a.port;
	irq_disable();
	ret = event_channel_op(EVTCHNOP_bind_interdomain, &b);
	ktap_result(ret == 0 && port_pending(b.local_port),
		    "bind_interdomain: port %u, pending at once as in Xen (%d)",
		    b.local_port, (int)ret);
	irq_enable();
	send(b.local_port);
	ktap_result(event_count(a.port) == 1 && event_count(b.local_port) == 1,
		    "send reaches the other end");
	bv = (struct evtchn_bind_vcpu){ .port = a.port, .vcpu = 2 };
	ret = event_channel_op(EVTCHNOP_bind_vcpu, &bv);
	ktap_result(ret == -XEN_ENOENT, "bind_vcpu to no vCPU: -ENOENT (%d)",
		    (int)ret);
	bv.port = timer_port;
	bv.vcpu = 0;
	ret = event_channel_op(EVTCHNOP_bind_vcpu, &bv);
	ktap_result(ret == -XEN_EINVAL,
		    "bind_vcpu of a per-vCPU VIRQ: -EINVAL (%d)", (int)ret);
	ret = close_port(a.port);
	status(b.local_port, &s);
	ktap_result(ret == 0 && s.status == EVTCHNSTAT_unbound,
		    "closing one end leaves the other unbound (%d)", (int)ret);
	ret = close_port(a.port);
	ktap_result(ret == -XEN_EINVAL, "closed twice: -EINVAL (%d)",
		    (int)ret);
	a.dom = 0;
	ret = event_channel_op(EVTCHNOP_alloc_unbound, &a);
	ktap_result(ret == -XEN_EPERM,
		    "alloc_unbound in another domain: -EPERM (%d)", (int)ret);
	close_port(b.local_port);
}

static void test_other_ops(void)
{
	struct evtchn_init_control ic = { 0 };
	struct evtchn_reset r = { .dom = DOMID_SELF };
	struct evtchn_status s;
	long ret, pirq;

	ret = event_channel_op(EVTCHNOP_init_control, &ic);
	pirq = event_channel_op(EVTCHNOP_bind_pirq, &ic);
	ktap_result(ret == -XEN_ENOSYS && pirq == -XEN_ENOSYS,
		    "no FIFO ABI, no PIRQs: -ENOSYS (%d, %d)", (int)ret,
		    (int)pirq);
	ret = event_channel_op(EVTCHNOP_reset, &r);
	status(timer_port, &s);
	ktap_result(ret == 0 && s.status == EVTCHNSTAT_closed,
		    "reset closes every port (%d)", (int)ret);
}

void guest_main(const struct hvm_start_info *si)
{
	(void)si;
	ktap_plan(38);
	test_setup();
	if (!shared)
		shutdown(SHUTDOWN_crash);
	irq_enable();
	test_bind_virq();
	test_singleshot();
	test_periodic();
	test_block();
	test_ipi_and_mask();
	test_poll();
	test_interdomain();
	test_other_ops();
	shutdown(ktap_all_ok() ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}
