// SPDX-License-Identifier: GPL-2.0
/*
 * The guest side of scripts/bench (a benchmark, not a test): a PVH guest
 * that times, with its TSC, the hypercall round trips it can make.
 * xen_version is an exit the hypervisor finishes itself; SCHEDOP_yield
 * ends the run, so each goes out to the vCPU's thread in dom0 and back;
 * an IPI event channel sent to itself adds the upcall's injection. It
 * prints one "name: N ns" line each, which the dom0 side reads.
 */
#include "lib/guest.h"

static uint8_t shared_page[4096] __attribute__((aligned(4096)));

/* Nanoseconds per call of FN over N calls, by the TSC. */
static uint32_t ns_per_call(void (*fn)(void), uint32_t n)
{
	uint64_t start, ticks;
	uint32_t i;

	fn();				/* warm */
	start = rdtsc();
	for (i = 0; i < n; i++)
		fn();
	ticks = rdtsc() - start;
	return (uint32_t)(ticks * 1000000 / tsc_khz() / n);
}

static void xen_version(void)
{
	hypercall2(__HYPERVISOR_xen_version, XENVER_version, 0);
}

static void yield(void)
{
	hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
}

static evtchn_port_t ipi_port;

static void send_ipi(void)
{
	struct evtchn_send s = { .port = ipi_port };

	event_channel_op(EVTCHNOP_send, &s);
}

void guest_main(const struct hvm_start_info *si)
{
	struct evtchn_bind_ipi b = { .vcpu = 0 };
	struct shared_info *shared;
	uint32_t n = parse_number(cmdline_option("calls"), 20000);

	(void)si;
	printf("guest xen_version: %u ns\n", ns_per_call(xen_version, n));
	printf("guest yield: %u ns\n", ns_per_call(yield, n / 10));
	if (shared_info_place((uintptr_t)shared_page >> 12, &shared) ||
	    events_init(shared, CALLBACK_VECTOR) ||
	    event_channel_op(EVTCHNOP_bind_ipi, &b))
		shutdown(SHUTDOWN_crash);
	ipi_port = b.port;
	asm volatile("sti" : : : "memory");
	printf("guest event to itself: %u ns\n", ns_per_call(send_ipi, n));
	if (event_count(ipi_port) < n)
		shutdown(SHUTDOWN_crash);
}
