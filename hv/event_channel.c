// SPDX-License-Identifier: GPL-2.0
/*
 * Xen's event channels, with Xen 4.17's semantics and errno values, and
 * its 2-level ABI: a port's pending and mask bits live in the guest's
 * shared_info, a vCPU's selector word and upcall flag in its vcpu_info.
 * The FIFO ABI is not offered (EVTCHNOP_init_control is -ENOSYS), so a
 * guest such as Linux falls back to the 2-level one.
 *
 * A domain's ports are kept in buckets of a pool page each, made as
 * ports are first allocated: a port is "valid" (Xen's port_is_valid())
 * when its bucket exists. Port 0 is reserved, as in Xen.
 *
 * Everything here runs under domain_lock, which is also what makes an
 * interdomain channel's two ends change together (Xen has a lock per
 * domain and per channel). Dom0's own ports come with its
 * /dev/xen/evtchn; until then dom0 may allocate a guest's unbound ports
 * (what the toolstack does for a guest's xenstore and console) and ask
 * for a port's status, and its other calls are -ENOSYS.
 */
#include <hv/compat.h>
#include <hv/domain.h>
#include <hv/event_channel.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/page_pool.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/vcpu_run.h>
#include <xen/event_channel.h>

enum evtchn_state {
	ECS_FREE,
	ECS_RESERVED,		/* port 0 */
	ECS_UNBOUND,		/* waiting for a domain to bind to it */
	ECS_INTERDOMAIN,
	ECS_VIRQ,
	ECS_IPI,
};

struct evtchn {
	u8 state;			/* enum evtchn_state */
	u8 reserved;
	u16 remote_dom;			/* UNBOUND: who may bind; INTERDOMAIN */
	u32 notify_vcpu;
	u32 remote_port;		/* INTERDOMAIN */
	u32 virq;			/* VIRQ */
};

#define EVTCHNS_PER_BUCKET	(PAGE_SIZE / sizeof(struct evtchn))
_Static_assert(EVTCHN_BUCKETS * EVTCHNS_PER_BUCKET == 4096,
	       "the buckets hold the 2-level ABI's 64 x 64 ports");

/* The bits in a word of the 2-level ABI: a guest long. */
static u32 bits_per_word(const struct domain *d)
{
	return d->has_32bit_shinfo ? 32 : 64;
}

/* The 2-level ABI's limit: a selector word of words of ports. */
static u32 max_evtchns(const struct domain *d)
{
	return bits_per_word(d) * bits_per_word(d);
}

/*
 * Whether PORT has pending and mask bits in D's shared_info: not past a
 * 32-bit layout latched after it was bound.
 */
static bool port_has_bits(const struct domain *d, u32 port)
{
	return d->shared_info && port < max_evtchns(d);
}

static struct evtchn *evtchn_from_port(const struct domain *d, u32 port)
{
	struct evtchn *bucket;

	if (port >= EVTCHN_BUCKETS * EVTCHNS_PER_BUCKET)
		return NULL;
	bucket = d->evtchn_bucket[port / EVTCHNS_PER_BUCKET];
	return bucket ? &bucket[port % EVTCHNS_PER_BUCKET] : NULL;
}

/* The pending and mask bitmaps, alike in both layouts but for length. */
static u8 *evtchn_pending_map(const struct domain *d)
{
	return d->has_32bit_shinfo ?
	       (u8 *)((struct compat_shared_info *)d->shared_info)->evtchn_pending :
	       (u8 *)((struct shared_info *)d->shared_info)->evtchn_pending;
}

static u8 *evtchn_mask_map(const struct domain *d)
{
	return d->has_32bit_shinfo ?
	       (u8 *)((struct compat_shared_info *)d->shared_info)->evtchn_mask :
	       (u8 *)((struct shared_info *)d->shared_info)->evtchn_mask;
}

/* Atomic bit operations on guest-shared memory, which the guest changes. */
static bool guest_test_and_set_bit(u8 *map, u32 bit)
{
	u8 m = 1u << (bit % 8);

	return __atomic_fetch_or(&map[bit / 8], m, __ATOMIC_SEQ_CST) & m;
}

static bool guest_test_and_clear_bit(u8 *map, u32 bit)
{
	u8 m = 1u << (bit % 8);

	return __atomic_fetch_and(&map[bit / 8], (u8)~m, __ATOMIC_SEQ_CST) & m;
}

static bool guest_test_bit(const u8 *map, u32 bit)
{
	return __atomic_load_n(&map[bit / 8], __ATOMIC_SEQ_CST) &
	       (1u << (bit % 8));
}

/* V's selector word in its vcpu_info, or NULL when it has none. */
static u8 *pending_sel(const struct vcpu *v)
{
	u8 *info = vcpu_info_of(v);

	if (!info)
		return NULL;
	return v->domain->has_32bit_shinfo ?
	       info + __builtin_offsetof(struct compat_vcpu_info,
					 evtchn_pending_sel) :
	       info + __builtin_offsetof(struct vcpu_info, evtchn_pending_sel);
}

/* Xen's evtchn_check_pollers(): vCPUs polling for PORT (or any) wake. */
static void check_pollers(struct domain *d, u32 port)
{
	u32 i;

	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpu[i];

		if (v && v->polling && (!v->poll_port || v->poll_port == port))
			vcpu_kick(v);
	}
}

/* Xen's evtchn_2l_set_pending(), towards vCPU VCPU of D. */
static void evtchn_set_pending(struct domain *d, u32 vcpu, u32 port)
{
	struct vcpu *v = domain_vcpu(d, vcpu);
	u32 word = port / bits_per_word(d);
	u8 *sel;

	if (!v || !port_has_bits(d, port))
		return;
	if (guest_test_and_set_bit(evtchn_pending_map(d), port))
		return;
	sel = pending_sel(v);
	if (sel && !guest_test_bit(evtchn_mask_map(d), port) &&
	    !guest_test_and_set_bit(sel, word))
		vcpu_mark_events_pending(v);
	check_pollers(d, port);
}

/* Xen's evtchn_2l_unmask(). */
static void evtchn_unmask_port(struct domain *d, const struct evtchn *chn,
			       u32 port)
{
	struct vcpu *v = domain_vcpu(d, chn->notify_vcpu);
	u32 word = port / bits_per_word(d);
	u8 *sel = v ? pending_sel(v) : NULL;

	if (guest_test_and_clear_bit(evtchn_mask_map(d), port) &&
	    guest_test_bit(evtchn_pending_map(d), port) && sel &&
	    !guest_test_and_set_bit(sel, word))
		vcpu_mark_events_pending(v);
}

/* Xen's evtchn_allocate_port(): PORT becomes usable, its bucket made. */
static long allocate_port(struct domain *d, u32 port)
{
	struct evtchn *chn;
	void **bucket;

	if (port > d->max_evtchn_port || port >= max_evtchns(d))
		return -XEN_ENOSPC;
	bucket = (void **)&d->evtchn_bucket[port / EVTCHNS_PER_BUCKET];
	if (!*bucket) {
		*bucket = page_alloc(&hv_pool);
		if (!*bucket)
			return -XEN_ENOMEM;
		memset(*bucket, 0, PAGE_SIZE);
		if (port < EVTCHNS_PER_BUCKET)	/* Xen's reserved port 0 */
			d->evtchn_bucket[0][0].state = ECS_RESERVED;
	}
	chn = evtchn_from_port(d, port);
	return chn->state == ECS_FREE ? 0 : -XEN_EBUSY;
}

/* Xen's get_free_port(): the lowest free port, or a negative errno. */
static long get_free_port(struct domain *d)
{
	u32 port;
	long ret;

	if (d->dying)
		return -XEN_EINVAL;
	for (port = 0; port <= d->max_evtchn_port; port++) {
		ret = allocate_port(d, port);
		if (!ret)
			return port;
		if (ret != -XEN_EBUSY)
			return ret;
	}
	return -XEN_ENOSPC;
}

/* A free port bound as STATE for NOTIFY_VCPU: the channel, or NULL and *ERR. */
static struct evtchn *new_port(struct domain *d, u8 state, u32 notify_vcpu,
			       u32 *port, long *err)
{
	long ret = get_free_port(d);
	struct evtchn *chn;

	if (ret < 0) {
		*err = ret;
		return NULL;
	}
	chn = evtchn_from_port(d, ret);
	*chn = (struct evtchn){ .state = state, .notify_vcpu = notify_vcpu };
	*port = ret;
	return chn;
}

static bool virq_is_global(u32 virq)
{
	switch (virq) {
	case VIRQ_TIMER:
	case VIRQ_DEBUG:
	case VIRQ_XENOPROF:
	case VIRQ_XENPMU:
		return false;
	default:
		return true;	/* x86's VIRQ_ARCH_* (VIRQ_MCA) too */
	}
}

/* Xen's evtchn_free(): PORT of D, with its pending bit cleared. */
static void free_port(struct domain *d, struct evtchn *chn, u32 port)
{
	if (port_has_bits(d, port))
		guest_test_and_clear_bit(evtchn_pending_map(d), port);
	*chn = (struct evtchn){ .state = ECS_FREE };
}

/* Xen's evtchn_close(). */
static long close_port(struct domain *d, u32 port)
{
	struct evtchn *chn = evtchn_from_port(d, port), *remote;
	struct domain *rd;
	struct vcpu *v;

	if (!chn)
		return -XEN_EINVAL;
	switch (chn->state) {
	case ECS_FREE:
	case ECS_RESERVED:
		return -XEN_EINVAL;
	case ECS_VIRQ:
		v = domain_vcpu(d, virq_is_global(chn->virq) ? 0 :
				chn->notify_vcpu);
		if (v)
			v->virq_to_port[chn->virq] = 0;
		break;
	case ECS_INTERDOMAIN:
		rd = domain_find(chn->remote_dom);
		remote = rd ? evtchn_from_port(rd, chn->remote_port) : NULL;
		if (remote && remote->state == ECS_INTERDOMAIN) {
			remote->state = ECS_UNBOUND;
			remote->remote_dom = d->id;
		}
		break;
	default:
		break;
	}
	free_port(d, chn, port);
	return 0;
}

static void close_all_ports(struct domain *d)
{
	u32 port;

	for (port = 1; port < EVTCHN_BUCKETS * EVTCHNS_PER_BUCKET; port++) {
		struct evtchn *chn = evtchn_from_port(d, port);

		if (chn && chn->state > ECS_RESERVED)
			close_port(d, port);
	}
}

void domain_evtchn_destroy(struct domain *d)
{
	u32 i;

	close_all_ports(d);
	for (i = 0; i < EVTCHN_BUCKETS; i++) {
		if (d->evtchn_bucket[i])
			page_free(&hv_pool, d->evtchn_bucket[i]);
		d->evtchn_bucket[i] = NULL;
	}
}

void send_guest_vcpu_virq(struct vcpu *v, u32 virq)
{
	u32 port = v->virq_to_port[virq];

	if (port)
		evtchn_set_pending(v->domain, v->id, port);
}

long evtchn_port_poll(struct domain *d, u32 port)
{
	struct evtchn *chn = evtchn_from_port(d, port);

	if (!chn || chn->state <= ECS_RESERVED)
		return -XEN_EINVAL;
	return port_has_bits(d, port) &&
	       guest_test_bit(evtchn_pending_map(d), port);
}

/*
 * The guest DOMID (DOMID_SELF: the caller) whose ports the caller may
 * change, as Xen's XSM_TARGET rule: the guest, or NULL and *ERR.
 */
static struct domain *target_guest(struct hv_cpu *cpu, u16 domid, long *err)
{
	struct domain *d = domain_by_any_id(cpu, domid);

	if (!d)
		*err = -XEN_ESRCH;
	else if (!caller_may_target(cpu, d))
		*err = -XEN_EPERM;
	else if (!d->id)
		*err = -XEN_ENOSYS;	/* dom0's own ports: not yet */
	else
		return d;
	return NULL;
}

static long alloc_unbound(struct hv_cpu *cpu, struct evtchn_alloc_unbound *a)
{
	struct evtchn *chn;
	long err;
	struct domain *d = target_guest(cpu, a->dom, &err);

	if (!d)
		return err;
	chn = new_port(d, ECS_UNBOUND, 0, &a->port, &err);
	if (!chn)
		return err;
	chn->remote_dom = a->remote_dom == DOMID_SELF ?
			  caller_domain(cpu)->id : a->remote_dom;
	return 0;
}

static long bind_interdomain(struct hv_cpu *cpu, struct domain *ld,
			     struct evtchn_bind_interdomain *b)
{
	struct domain *rd = domain_by_any_id(cpu, b->remote_dom);
	struct evtchn *lchn, *rchn;
	long err;

	if (!rd)
		return -XEN_ESRCH;
	lchn = new_port(ld, ECS_INTERDOMAIN, 0, &b->local_port, &err);
	if (!lchn)
		return err;
	rchn = evtchn_from_port(rd, b->remote_port);
	if (!rchn || rchn->state != ECS_UNBOUND || rchn->remote_dom != ld->id) {
		free_port(ld, lchn, b->local_port);
		return -XEN_EINVAL;
	}
	lchn->remote_dom = rd->id;
	lchn->remote_port = b->remote_port;
	rchn->state = ECS_INTERDOMAIN;
	rchn->remote_dom = ld->id;
	rchn->remote_port = b->local_port;
	/* As Xen: what the unbound end may have missed, pending here. */
	evtchn_set_pending(ld, lchn->notify_vcpu, b->local_port);
	return 0;
}

static long bind_virq(struct domain *d, struct evtchn_bind_virq *b)
{
	struct evtchn *chn;
	struct vcpu *v;
	long err;

	if (b->virq >= NR_VIRQS)
		return -XEN_EINVAL;
	if (virq_is_global(b->virq) && b->vcpu)
		return -XEN_EINVAL;
	v = domain_vcpu(d, b->vcpu);
	if (!v)
		return -XEN_ENOENT;
	if (v->virq_to_port[b->virq])
		return -XEN_EEXIST;
	chn = new_port(d, ECS_VIRQ, b->vcpu, &b->port, &err);
	if (!chn)
		return err;
	chn->virq = b->virq;
	v->virq_to_port[b->virq] = b->port;
	return 0;
}

static long bind_ipi(struct domain *d, struct evtchn_bind_ipi *b)
{
	long err;

	if (!domain_vcpu(d, b->vcpu))
		return -XEN_ENOENT;
	return new_port(d, ECS_IPI, b->vcpu, &b->port, &err) ? 0 : err;
}

/* Xen's evtchn_send(): an event to the channel's other end. */
static long send(struct domain *d, u32 port)
{
	struct evtchn *chn = evtchn_from_port(d, port);
	struct domain *rd;

	if (!chn)
		return -XEN_EINVAL;
	switch (chn->state) {
	case ECS_INTERDOMAIN:
		rd = domain_find(chn->remote_dom);
		if (rd)
			evtchn_set_pending(rd, evtchn_from_port(rd,
					   chn->remote_port)->notify_vcpu,
					   chn->remote_port);
		return 0;
	case ECS_IPI:
		evtchn_set_pending(d, chn->notify_vcpu, port);
		return 0;
	case ECS_UNBOUND:
		return 0;		/* dropped, as in Xen */
	default:
		return -XEN_EINVAL;
	}
}

static long status(struct hv_cpu *cpu, struct evtchn_status *s)
{
	struct domain *d = domain_by_any_id(cpu, s->dom);
	struct evtchn *chn;

	if (!d)
		return -XEN_ESRCH;
	chn = evtchn_from_port(d, s->port);
	if (!chn)
		return -XEN_EINVAL;
	if (!caller_may_target(cpu, d))
		return -XEN_EPERM;
	memset(&s->u, 0, sizeof(s->u));
	switch (chn->state) {
	case ECS_UNBOUND:
		s->status = EVTCHNSTAT_unbound;
		s->u.unbound.dom = chn->remote_dom;
		break;
	case ECS_INTERDOMAIN:
		s->status = EVTCHNSTAT_interdomain;
		s->u.interdomain.dom = chn->remote_dom;
		s->u.interdomain.port = chn->remote_port;
		break;
	case ECS_VIRQ:
		s->status = EVTCHNSTAT_virq;
		s->u.virq = chn->virq;
		break;
	case ECS_IPI:
		s->status = EVTCHNSTAT_ipi;
		break;
	default:
		s->status = EVTCHNSTAT_closed;
		break;
	}
	s->vcpu = chn->notify_vcpu;
	return 0;
}

static long bind_vcpu(struct domain *d, const struct evtchn_bind_vcpu *b)
{
	struct evtchn *chn;

	if (!domain_vcpu(d, b->vcpu))
		return -XEN_ENOENT;
	chn = evtchn_from_port(d, b->port);
	if (!chn)
		return -XEN_EINVAL;
	switch (chn->state) {
	case ECS_VIRQ:
		if (!virq_is_global(chn->virq))
			return -XEN_EINVAL;
		chn->notify_vcpu = b->vcpu;
		return 0;
	case ECS_UNBOUND:
	case ECS_INTERDOMAIN:
		chn->notify_vcpu = b->vcpu;
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

static long unmask(struct domain *d, u32 port)
{
	struct evtchn *chn = evtchn_from_port(d, port);

	if (!chn)
		return -XEN_EINVAL;
	if (chn->state > ECS_RESERVED && port_has_bits(d, port))
		evtchn_unmask_port(d, chn, port);
	return 0;
}

/* Xen's evtchn_reset(): every port closed. */
static long reset(struct hv_cpu *cpu, const struct evtchn_reset *r)
{
	long err;
	struct domain *d = target_guest(cpu, r->dom, &err);

	if (!d)
		return err;
	/* Another domain's ports are reset only while it is paused. */
	if (d != caller_domain(cpu) && !d->controller_pauses)
		return -XEN_EINVAL;
	close_all_ports(d);
	return 0;
}

/* The argument of each operation; all are alike in the 32-bit layout. */
union evtchn_op_arg {
	struct evtchn_alloc_unbound alloc_unbound;
	struct evtchn_bind_interdomain bind_interdomain;
	struct evtchn_bind_virq bind_virq;
	struct evtchn_bind_ipi bind_ipi;
	struct evtchn_close close;
	struct evtchn_send send;
	struct evtchn_status status;
	struct evtchn_bind_vcpu bind_vcpu;
	struct evtchn_unmask unmask;
	struct evtchn_reset reset;
};

static const u8 evtchn_op_size[] = {
	[EVTCHNOP_alloc_unbound] = sizeof(struct evtchn_alloc_unbound),
	[EVTCHNOP_bind_interdomain] = sizeof(struct evtchn_bind_interdomain),
	[EVTCHNOP_bind_virq] = sizeof(struct evtchn_bind_virq),
	[EVTCHNOP_bind_ipi] = sizeof(struct evtchn_bind_ipi),
	[EVTCHNOP_close] = sizeof(struct evtchn_close),
	[EVTCHNOP_send] = sizeof(struct evtchn_send),
	[EVTCHNOP_status] = sizeof(struct evtchn_status),
	[EVTCHNOP_bind_vcpu] = sizeof(struct evtchn_bind_vcpu),
	[EVTCHNOP_unmask] = sizeof(struct evtchn_unmask),
	[EVTCHNOP_reset] = sizeof(struct evtchn_reset),
};

/* Operations on the caller's own ports; dom0 has none yet. */
static long local_op(struct hv_cpu *cpu, u64 cmd, union evtchn_op_arg *a)
{
	struct domain *d;

	if (!cpu->vcpu)
		return -XEN_ENOSYS;
	d = cpu->vcpu->domain;
	switch (cmd) {
	case EVTCHNOP_bind_interdomain:
		return bind_interdomain(cpu, d, &a->bind_interdomain);
	case EVTCHNOP_bind_virq:
		return bind_virq(d, &a->bind_virq);
	case EVTCHNOP_bind_ipi:
		return bind_ipi(d, &a->bind_ipi);
	case EVTCHNOP_close:
		return close_port(d, a->close.port);
	case EVTCHNOP_send:
		return send(d, a->send.port);
	case EVTCHNOP_bind_vcpu:
		return bind_vcpu(d, &a->bind_vcpu);
	case EVTCHNOP_unmask:
		return unmask(d, a->unmask.port);
	default:
		return -XEN_ENOSYS;
	}
}

long do_event_channel_op(struct hv_cpu *cpu, u64 cmd, u64 arg)
{
	union evtchn_op_arg a;
	long ret;

	/*
	 * No FIFO ABI (init_control, expand_array, set_priority), no
	 * physical IRQs to bind (bind_pirq): -ENOSYS, as unknown ops.
	 */
	if (cmd >= ARRAY_SIZE(evtchn_op_size) || !evtchn_op_size[cmd])
		return -XEN_ENOSYS;
	if (copy_from_guest(cpu, &a, arg, evtchn_op_size[cmd]))
		return -XEN_EFAULT;
	spin_lock(&domain_lock);
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		ret = alloc_unbound(cpu, &a.alloc_unbound);
		break;
	case EVTCHNOP_status:
		ret = status(cpu, &a.status);
		break;
	case EVTCHNOP_reset:
		ret = reset(cpu, &a.reset);
		break;
	default:
		ret = local_op(cpu, cmd, &a);
		break;
	}
	spin_unlock(&domain_lock);
	/* The ports the call made, or the status asked for. */
	if (!ret && (cmd == EVTCHNOP_alloc_unbound ||
		     cmd == EVTCHNOP_bind_interdomain ||
		     cmd == EVTCHNOP_bind_virq || cmd == EVTCHNOP_bind_ipi ||
		     cmd == EVTCHNOP_status) &&
	    copy_to_guest(cpu, arg, &a, evtchn_op_size[cmd]))
		ret = -XEN_EFAULT;
	return ret;
}
