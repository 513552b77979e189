/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen's event channels with the 2-level ABI (hv/event_channel.c), and how
 * an event reaches a guest vCPU: the upcall (hv/upcall.c).
 */
#ifndef HV_EVENT_CHANNEL_H
#define HV_EVENT_CHANNEL_H

#include <kxen/types.h>

struct domain;
struct hv_cpu;
struct vcpu;

long do_event_channel_op(struct hv_cpu *cpu, u64 cmd, u64 arg);

/*
 * The rest are called under domain_lock.
 *
 * A per-vCPU VIRQ (VIRQ_TIMER) for V: its port becomes pending if bound.
 */
void send_guest_vcpu_virq(struct vcpu *v, u32 virq);
/* SCHEDOP_poll's test of PORT of D: 1 pending, 0 not, or -XEN_EINVAL. */
long evtchn_port_poll(struct domain *d, u32 port);
/* Closes every port of D and frees its tables: at destroy. */
void domain_evtchn_destroy(struct domain *d);

/*
 * Xen's vcpu_mark_events_pending(): V's vcpu_info says an upcall is
 * due; if it was not already, V is woken (vcpu_kick()).
 */
void vcpu_mark_events_pending(struct vcpu *v);
/*
 * HVM_PARAM_CALLBACK_IRQ as Xen's hvm_set_callback_via() takes it: only
 * the vector type means anything to a PVH guest, which has no IOAPIC or
 * PIC; the others leave the callback as it was.
 */
void domain_set_callback_via(struct domain *d, u64 via);
/*
 * The interrupt V is to take next, in Xen's hvm_vcpu_has_pending_irq()
 * order: the callback vector while its vcpu_info has an upcall pending,
 * else its local APIC's highest deliverable vector (with
 * VECTOR_FROM_LAPIC set), else -1. Read at every entry, so the guest's
 * clearing of the upcall flag is what ends the upcall.
 */
#define VECTOR_FROM_LAPIC	0x100
int vcpu_pending_vector(const struct vcpu *v);
/* V takes PENDING (a vcpu_pending_vector()): the LAPIC's goes in service. */
void vcpu_ack_vector(struct vcpu *v, int pending);

#endif /* HV_EVENT_CHANNEL_H */
