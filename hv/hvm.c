// SPDX-License-Identifier: GPL-2.0
/*
 * The hvm_op hypercall: HVM parameters, as Xen 4.17 keeps them per domain
 * (xen/arch/x86/hvm/hvm.c is the reference). The toolstack sets where a
 * guest's special pages are and how it behaves; a guest may read and set
 * the few that are its business. Most are data that other parts use when
 * they come: the triple-fault action is used now.
 */
#include <hv/domain.h>
#include <hv/event_channel.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/x86.h>
#include <hv/xen.h>
#include <xen/domctl.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/sched.h>

/* Xen's struct tss32, the least a VM86 TSS may hold. */
#define TSS32_SIZE		104
/* The most a VM86 TSS can use: the TSS and both bitmaps, plus a byte. */
#define VM86_TSS_MAX		(TSS32_SIZE + 0x100 / 8 + 0x10000 / 8 + 1)
/* Xen's mark that the TSS has been set (asm/hvm/support.h). */
#define VM86_TSS_UPDATED	(1ull << 63)
/* CPUID.7.0:EBX: the FPU does not keep FCS and FDS. */
#define CPUID7_EBX_NO_FPU_SEL	(1u << 13)

void domain_params_init(struct domain *d)
{
	u32 r[4];

	d->hvm_params[HVM_PARAM_TRIPLE_FAULT_REASON] = SHUTDOWN_reboot;
	/*
	 * As Xen: when the FPU keeps no selectors, FXSAVE's 64-bit
	 * instruction pointer is whole, so the guest is told 8 bytes.
	 */
	cpuid_count(7, 0, r);
	d->hvm_params[HVM_PARAM_X87_FIP_WIDTH] =
		r[1] & CPUID7_EBX_NO_FPU_SEL ? 8 : 0;
}

/* Parameters Xen no longer has: -EINVAL to get and set. */
static bool deprecated(u32 index)
{
	switch (index) {
	case HVM_PARAM_PAE_ENABLED:
	case HVM_PARAM_DM_DOMAIN:
	case HVM_PARAM_MEMORY_EVENT_CR0:
	case HVM_PARAM_MEMORY_EVENT_CR3:
	case HVM_PARAM_MEMORY_EVENT_CR4:
	case HVM_PARAM_MEMORY_EVENT_INT3:
	case HVM_PARAM_NESTEDHVM:
	case HVM_PARAM_MEMORY_EVENT_SINGLE_STEP:
	case HVM_PARAM_BUFIOREQ_EVTCHN:
	case HVM_PARAM_MEMORY_EVENT_MSR:
		return true;
	default:
		return false;
	}
}

/* What a guest may set of its own (the rest are the toolstack's). */
static bool guest_may_set(u32 index)
{
	switch (index) {
	case HVM_PARAM_CALLBACK_IRQ:
	case HVM_PARAM_VM86_TSS:
	case HVM_PARAM_VM86_TSS_SIZED:
	case HVM_PARAM_ACPI_IOPORTS_LOCATION:
	case HVM_PARAM_VM_GENERATION_ID_ADDR:
	case HVM_PARAM_STORE_EVTCHN:
	case HVM_PARAM_CONSOLE_EVTCHN:
	case HVM_PARAM_X87_FIP_WIDTH:
		return true;
	default:
		return false;
	}
}

/* What a guest may read of its own: those, and where its rings are. */
static bool guest_may_get(u32 index)
{
	return guest_may_set(index) || index == HVM_PARAM_STORE_PFN ||
	       index == HVM_PARAM_CONSOLE_PFN || index == HVM_PARAM_ALTP2M;
}

/* Who may set INDEX of D to VALUE: Xen's hvm_allow_set_param(). */
static long allow_set(const struct domain *d, bool self, u32 index,
		      u64 value)
{
	if (deprecated(index))
		return -XEN_EINVAL;
	if (self && !guest_may_set(index))
		return -XEN_EPERM;
	switch (index) {
	/* These may be set once. */
	case HVM_PARAM_VIRIDIAN:
	case HVM_PARAM_IOREQ_PFN:
	case HVM_PARAM_BUFIOREQ_PFN:
	case HVM_PARAM_IOREQ_SERVER_PFN:
	case HVM_PARAM_NR_IOREQ_SERVER_PAGES:
	case HVM_PARAM_ALTP2M:
	case HVM_PARAM_MCA_CAP:
		if (d->hvm_params[index] && value != d->hvm_params[index])
			return -XEN_EEXIST;
	}
	return 0;
}

/*
 * Xen's hvm_set_param(). *INDEX and *VALUE are what is stored, which for
 * the VM86 TSS differs from what was asked. A VM86 TSS that cannot be
 * right crashes a guest that sets it, as in Xen.
 */
static long check_set(struct domain *d, bool self, u32 *index, u64 *value)
{
	u64 v = *value;

	switch (*index) {
	case HVM_PARAM_TIMER_MODE:
		return v > HVMPTM_one_missed_tick_pending ? -XEN_EINVAL : 0;
	case HVM_PARAM_VIRIDIAN:
		if ((v & ~(u64)HVMPV_feature_mask) ||
		    (v && !(v & HVMPV_base_freq)))
			return -XEN_EINVAL;
		/* kxen has no Hyper-V enlightenments to turn on. */
		return v ? -XEN_EOPNOTSUPP : 0;
	case HVM_PARAM_ACPI_S_STATE:
		if (v != 0 && v != 3)
			return -XEN_EINVAL;
		/* Nothing is suspended, so resuming is nothing to do. */
		return v ? -XEN_EOPNOTSUPP : 0;
	case HVM_PARAM_ACPI_IOPORTS_LOCATION:
		/* Xen's answer for a domain without a PM timer: all have none. */
		return -XEN_ENODEV;
	case HVM_PARAM_ALTP2M:
		if (v > XEN_ALTP2M_limited)
			return -XEN_EINVAL;
		/* kxen has one p2m per domain. */
		return v ? -XEN_EOPNOTSUPP : 0;
	case HVM_PARAM_TRIPLE_FAULT_REASON:
		return v > SHUTDOWN_MAX ? -XEN_EINVAL : 0;
	case HVM_PARAM_NR_IOREQ_SERVER_PAGES:
		/* Xen keeps them as bits of an unsigned long. */
		return v == 0 || v > 64 ? -XEN_EINVAL : 0;
	case HVM_PARAM_X87_FIP_WIDTH:
		return v != 0 && v != 4 && v != 8 ? -XEN_EINVAL : 0;
	case HVM_PARAM_VM86_TSS:
		if (v != (u32)v)
			goto bad_tss;
		/* Old hvmloaders assume 128 bytes. */
		if (v)
			*value = v | 128ull << 32 | VM86_TSS_UPDATED;
		*index = HVM_PARAM_VM86_TSS_SIZED;
		return 0;
	case HVM_PARAM_VM86_TSS_SIZED:
		if ((v >> 32) < TSS32_SIZE)
			goto bad_tss;
		if ((v >> 32) > VM86_TSS_MAX)
			v = (u32)v | (u64)VM86_TSS_MAX << 32;
		*value = v | VM86_TSS_UPDATED;
		return 0;
	case HVM_PARAM_MCA_CAP:
		/* No local machine checks (LMCE) to offer, as Xen without. */
		return v ? -XEN_EINVAL : 0;
	default:
		return 0;
	}
bad_tss:
	if (self)
		domain_crash(d, "bad VM86 TSS (value, size)", v, v >> 32);
	return -XEN_EINVAL;
}

/* Who may read INDEX of D: Xen's hvm_allow_get_param(). */
static long allow_get(bool self, u32 index)
{
	if (deprecated(index))
		return -XEN_EINVAL;
	return self && !guest_may_get(index) ? -XEN_EPERM : 0;
}

static u64 param_value(const struct domain *d, u32 index)
{
	switch (index) {
	case HVM_PARAM_ACPI_S_STATE:
		return 0;		/* never suspended */
	case HVM_PARAM_VM86_TSS:
		return (u32)d->hvm_params[HVM_PARAM_VM86_TSS_SIZED];
	case HVM_PARAM_VM86_TSS_SIZED:
		return d->hvm_params[index] & ~VM86_TSS_UPDATED;
	default:
		return d->hvm_params[index];
	}
}

static long param_op(struct hv_cpu *cpu, unsigned int op, u64 arg)
{
	struct xen_hvm_param a;
	struct domain *d;
	u32 index;
	bool self;
	long ret;

	if (copy_from_guest(cpu, &a, arg, sizeof(a)))
		return -XEN_EFAULT;
	if (a.index >= HVM_NR_PARAMS)
		return -XEN_EINVAL;
	spin_lock(&domain_lock);
	d = domain_by_any_id(cpu, a.domid);
	if (!d) {
		spin_unlock(&domain_lock);
		return -XEN_ESRCH;
	}
	self = d == caller_domain(cpu);
	index = a.index;
	if (!caller_may_target(cpu, d))
		ret = -XEN_EPERM;
	else if (!(d->cdf & XEN_DOMCTL_CDF_hvm))
		ret = -XEN_EINVAL;
	else if (op == HVMOP_get_param)
		ret = allow_get(self, index);
	else
		ret = allow_set(d, self, index, a.value);
	if (!ret && op == HVMOP_set_param) {
		ret = check_set(d, self, &index, &a.value);
		if (!ret && index == HVM_PARAM_CALLBACK_IRQ)
			domain_set_callback_via(d, a.value);
		if (!ret)
			d->hvm_params[index] = a.value;
		/* Xen's hvm_latch_shinfo_size(): the guest's own callback. */
		if (!ret && self && index == HVM_PARAM_CALLBACK_IRQ)
			domain_latch_shinfo_size(d, !cpu->guest_long_mode);
	} else if (!ret) {
		a.value = param_value(d, index);
	}
	spin_unlock(&domain_lock);
	if (!ret && op == HVMOP_get_param &&
	    copy_to_guest(cpu, arg, &a, sizeof(a)))
		ret = -XEN_EFAULT;
	return ret;
}

long do_hvm_op(struct hv_cpu *cpu, u64 op, u64 arg)
{
	switch (op) {
	case HVMOP_set_param:
	case HVMOP_get_param:
		return param_op(cpu, op, arg);
	default:
		return -XEN_ENOSYS;
	}
}
