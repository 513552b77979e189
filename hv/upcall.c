// SPDX-License-Identifier: GPL-2.0
/*
 * How an event reaches a PVH guest: Xen's callback vector. The guest
 * names a vector with HVM_PARAM_CALLBACK_IRQ, and while the upcall flag
 * in a vCPU's vcpu_info is set, that vector is injected as the vCPU
 * enters with interrupts on (Xen's hvm_vcpu_has_pending_irq()). The
 * vector goes past the local APIC, so it needs no EOI; it comes before
 * the local APIC's own interrupts. The per-vCPU vector of
 * HVMOP_set_evtchn_upcall_vector, which goes through the local APIC in
 * Xen, is not offered (no XEN_HVM_CPUID_UPCALL_VECTOR).
 */
#include <hv/domain.h>
#include <hv/event_channel.h>
#include <hv/hv.h>
#include <hv/vcpu_run.h>
#include <hv/xen.h>
#include <xen/hvm/params.h>

void domain_set_callback_via(struct domain *d, u64 via)
{
	u32 i;

	if (via >> 56 != HVM_PARAM_CALLBACK_TYPE_VECTOR)
		return;		/* GSI and PCI INTx need an IOAPIC and PIC */
	d->has_callback_vector = true;
	d->callback_vector = (u8)via;
	/* As Xen: an upcall already flagged now has its way in. */
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i] && !d->vcpu[i]->down &&
		    vcpu_pending_vector(d->vcpu[i]) >= 0)
			vcpu_kick(d->vcpu[i]);
}

int vcpu_pending_vector(const struct vcpu *v)
{
	int lapic;

	if (v->domain->has_callback_vector) {
		u8 *pending = vcpu_info_of(v);	/* evtchn_upcall_pending */

		if (pending && __atomic_load_n(pending, __ATOMIC_ACQUIRE))
			return v->domain->callback_vector;
	}
	lapic = vlapic_pending(&v->vlapic);
	return lapic < 0 ? -1 : lapic | VECTOR_FROM_LAPIC;
}

void vcpu_ack_vector(struct vcpu *v, int pending)
{
	if (pending & VECTOR_FROM_LAPIC)
		vlapic_ack(&v->vlapic, (u8)pending);
}

void vcpu_mark_events_pending(struct vcpu *v)
{
	u8 *pending = vcpu_info_of(v);	/* evtchn_upcall_pending */

	if (!pending || __atomic_exchange_n(pending, 1, __ATOMIC_SEQ_CST))
		return;
	/* Xen's hvm_assert_evtchn_irq(): with no callback, nothing wakes. */
	if (v->domain->has_callback_vector)
		vcpu_kick(v);
}
