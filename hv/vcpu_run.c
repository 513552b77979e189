// SPDX-License-Identifier: GPL-2.0
/*
 * Guest vCPUs run as KVM runs them: a dom0 kernel thread per vCPU makes
 * the run hypercall (KXEN_OP_VCPU_RUN), and its CPU switches from dom0 to
 * the vCPU until an exit needs dom0: a physical interrupt or NMI (Linux
 * then takes it, and may schedule something else), the vCPU blocking,
 * or its domain pausing, shutting down or being destroyed. Exits the
 * hypervisor can finish itself (hypercalls, CPUID) re-enter the guest at
 * once. Linux's scheduler thus decides who runs; the hypervisor has none.
 *
 * The switch happens at the end of an exit, after the exit's own results
 * are written back (the vendor code calls vcpu_switch_in() and
 * vcpu_switch_out()). The FPU state is switched here too: dom0's thread
 * has freed the FPU (kernel_fpu_begin()), so dom0's registers need not be
 * kept, but the guest's are, and XCR0 is put back to dom0's.
 */
#include <hv/compat.h>
#include <hv/cpu_policy.h>
#include <hv/domain.h>
#include <hv/event_channel.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hv/vcpu_ops.h>
#include <hv/vcpu_run.h>
#include <hv/x86.h>
#include <hv/xen.h>
#include <xen/sched.h>

#define XSTATE_FP_SSE		(XCR0_X87 | XCR0_SSE)
/* x87, SSE, AVX, MPX, AVX-512 and PKRU: all fit an XSAVE area of a page. */
#define XSTATE_GUEST_MAX	(XSTATE_FP_SSE | XCR0_AVX | XCR0_MPX | \
				 XCR0_AVX512 | XCR0_PKRU)
#define XSAVE_HDR_BV		512
/* MXCSR bits every CPU with SSE2 accepts (DAZ, bit 6, is left out). */
#define MXCSR_SAFE		0xffbfu

static void fpu_restore(const u8 *area, u64 mask)
{
	asm volatile("xrstor64 %0" : : "m"(*(const u8 (*)[PAGE_SIZE])area),
		     "a"((u32)mask), "d"((u32)(mask >> 32)) : "memory");
}

static void fpu_save(u8 *area, u64 mask)
{
	asm volatile("xsave64 %0" : "=m"(*(u8 (*)[PAGE_SIZE])area)
		     : "a"((u32)mask), "d"((u32)(mask >> 32)) : "memory");
}

static bool host_xsave(void)
{
	return read_cr4() & CR4_OSXSAVE;
}

/* The FPU state sethvmcontext gave V (an FXSAVE image) as its XSAVE area. */
static void fpu_load_from_regs(struct vcpu *v)
{
	u32 mxcsr;

	memset(v->fpu, 0, PAGE_SIZE);
	memcpy(v->fpu, v->regs.fpu_regs, sizeof(v->regs.fpu_regs));
	memcpy(&mxcsr, v->fpu + FXSAVE_MXCSR, sizeof(mxcsr));
	mxcsr &= MXCSR_SAFE;
	memcpy(v->fpu + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
	*(u64 *)(v->fpu + XSAVE_HDR_BV) = XSTATE_FP_SSE;
	v->xcr0 = XSTATE_FP_SSE;
}

static void fpu_switch_in(struct hv_cpu *cpu, struct vcpu *v)
{
	if (host_xsave()) {
		cpu->dom0_xcr0 = xgetbv(0);
		if (v->xcr0 != cpu->dom0_xcr0)
			xsetbv(0, v->xcr0);
		fpu_restore(v->fpu, v->xcr0);
	} else {
		asm volatile("fxrstor64 %0" : :
			     "m"(*(const u8 (*)[512])v->fpu) : "memory");
	}
}

static void fpu_switch_out(struct hv_cpu *cpu, struct vcpu *v)
{
	if (host_xsave()) {
		fpu_save(v->fpu, v->xcr0);
		if (v->xcr0 != cpu->dom0_xcr0)
			xsetbv(0, cpu->dom0_xcr0);
	} else {
		asm volatile("fxsave64 %0" : "=m"(*(u8 (*)[512])v->fpu) : :
			     "memory");
	}
}

long vcpu_set_xcr0(struct hv_cpu *cpu, u64 val)
{
	u64 allowed = cpu->dom0_xcr0 & XSTATE_GUEST_MAX &
		      policy_xcr0(cpu->vcpu->domain->cpu_policy);

	if (!xcr0_valid(val, allowed))
		return -XEN_EINVAL;
	cpu->vcpu->xcr0 = val;
	xsetbv(0, val);
	return 0;
}

long vcpu_may_not_run(const struct vcpu *v)
{
	const struct domain *d = v->domain;

	if (d->shut_down)
		return KXEN_RUN_SHUTDOWN;
	if (d->controller_pauses || d->context_hold || d->dying || v->down)
		return KXEN_RUN_PAUSED;
	if (v->blocked)
		return KXEN_RUN_BLOCKED;
	return 0;
}

/* RSI of the run call: when V's next timer is due, which its thread arms. */
static u64 deadline_for_thread(struct vcpu *v)
{
	u64 next = vcpu_next_deadline(v), now = system_time();

	v->timer_armed = next;
	if (next == NO_DEADLINE)
		return KXEN_NO_TIMER;
	return next > now ? next - now : 0;
}

long vcpu_run(struct hv_cpu *cpu, u64 domid, u64 id)
{
	struct vcpu *v;
	long ret;

	cpu->regs[REG_RSI] = KXEN_NO_TIMER;
	if (!vcpu_ops->vcpu_create)
		return -XEN_EOPNOTSUPP;
	if (cpu->vcpu || cpu->run_next)
		return -XEN_EBUSY;
	spin_lock(&domain_lock);
	v = guest_vcpu_find(domid, id);
	if (!v) {
		ret = -XEN_ESRCH;
	} else if (v->running) {
		ret = -XEN_EBUSY;
	} else {
		/* Its timers are due here, and may wake it. */
		cpu->run_next = v;
		vcpu_timers_expire(v);
		ret = vcpu_may_not_run(v);
		if (ret) {
			cpu->run_next = NULL;
			cpu->regs[REG_RSI] = deadline_for_thread(v);
		}
	}
	if (!ret) {
		v->running = true;
		v->processor = cpu->id;
		vcpu_runstate_sync(v);
		v->domain->vcpus_on_cpus++;
	}
	spin_unlock(&domain_lock);
	return ret;
}

/* Register REG (REG_RAX...) of Xen's CPU record R. */
static u64 *record_gpr(struct hvm_hw_cpu *r, unsigned int reg)
{
	u64 *gprs[ARRAY_SIZE(((struct vcpu *)0)->gprs)] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi,
		&r->rdi, &r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13,
		&r->r14, &r->r15,
	};

	return gprs[reg];
}

void vcpu_record_live(struct vcpu *v, struct hvm_hw_cpu *r)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v->gprs); i++)
		if (i != REG_RSP)
			*record_gpr(r, i) = v->gprs[i];
	r->dr0 = v->dr[0];
	r->dr1 = v->dr[1];
	r->dr2 = v->dr[2];
	r->dr3 = v->dr[3];
	/* An XSAVE area starts with the FXSAVE image. */
	memcpy(r->fpu_regs, v->fpu, sizeof(r->fpu_regs));
}

void vcpu_switch_in(struct hv_cpu *cpu)
{
	struct vcpu *v = cpu->run_next;
	unsigned int i;

	cpu->run_next = NULL;
	if (v->state_stale) {
		for (i = 0; i < ARRAY_SIZE(v->gprs); i++)
			v->gprs[i] = *record_gpr(&v->regs, i);
		fpu_load_from_regs(v);
	}
	memcpy(cpu->dom0_regs, cpu->regs, sizeof(cpu->regs));
	memcpy(cpu->regs, v->gprs, sizeof(cpu->regs));
	cpu->vcpu = v;
	cpu->guest_p2m = &v->domain->p2m;
	fpu_switch_in(cpu, v);
	vcpu_time_update(v);
	vcpu_runstate_publish(cpu, v);
}

void vcpu_switch_out(struct hv_cpu *cpu)
{
	struct vcpu *v = cpu->vcpu;
	u64 due;

	fpu_switch_out(cpu, v);
	spin_lock(&domain_lock);
	/* While it counts as on a CPU: a destroy frees V only after. */
	memcpy(v->gprs, cpu->regs, sizeof(cpu->regs));
	v->running = false;
	vcpu_runstate_sync(v);
	/* Through the guest's page tables and p2m, before V may be freed. */
	vcpu_runstate_publish(cpu, v);
	due = deadline_for_thread(v);
	v->domain->vcpus_on_cpus--;
	spin_unlock(&domain_lock);
	memcpy(cpu->regs, cpu->dom0_regs, sizeof(cpu->regs));
	cpu->regs[REG_RAX] = cpu->run_result;
	cpu->regs[REG_RSI] = due;
	cpu->run_result = 0;
	cpu->kicked_others = false;
	cpu->vcpu = NULL;
	cpu->guest_p2m = &dom0_p2m;
}

void vcpu_runstate_sync(struct vcpu *v)
{
	u64 now = system_time();
	int state;

	if (v->running)
		state = RUNSTATE_running;
	else if (v->blocked && !v->down)
		state = RUNSTATE_blocked;	/* as Xen, even when paused */
	else if (vcpu_may_not_run(v))
		state = RUNSTATE_offline;
	else
		state = RUNSTATE_runnable;
	if (state == v->runstate.state)
		return;
	if (now > v->runstate.state_entry_time)
		v->runstate.time[v->runstate.state] +=
			now - v->runstate.state_entry_time;
	v->runstate.state = state;
	v->runstate.state_entry_time = now;
}

void domain_runstates_sync(struct domain *d)
{
	u32 i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i])
			vcpu_runstate_sync(d->vcpu[i]);
}

void vcpu_runstate_get(const struct vcpu *v, struct vcpu_runstate_info *r)
{
	u64 now = system_time();

	*r = v->runstate;
	if (now > r->state_entry_time)
		r->time[r->state] += now - r->state_entry_time;
}

u64 vcpu_run_ns(const struct vcpu *v)
{
	struct vcpu_runstate_info r;

	vcpu_runstate_get(v, &r);
	return r.time[RUNSTATE_running];
}

long runstate_to_guest(struct hv_cpu *cpu, u64 addr,
		       const struct vcpu_runstate_info *r, bool compat)
{
	struct compat_vcpu_runstate_info c;

	if (!compat)
		return copy_to_guest(cpu, addr, r, sizeof(*r)) ? -XEN_EFAULT : 0;
	c.state = r->state;
	c.state_entry_time = r->state_entry_time;
	memcpy(c.time, r->time, sizeof(c.time));
	return copy_to_guest(cpu, addr, &c, sizeof(c)) ? -XEN_EFAULT : 0;
}

/*
 * Xen's update_runstate_area(): with VMASST_TYPE_runstate_update_flag,
 * XEN_RUNSTATE_UPDATE is set in the entry time's top byte while the rest
 * is written, so the guest can tell a torn read.
 */
void vcpu_runstate_publish(struct hv_cpu *cpu, struct vcpu *v)
{
	struct vcpu_runstate_info r = v->runstate;
	bool compat = v->domain->has_32bit_shinfo;
	bool flag = v->domain->vm_assist &
		    (1ull << VMASST_TYPE_runstate_update_flag);
	/* The top byte of state_entry_time. */
	u64 top = v->runstate_guest + (compat ? 4 : 8) + 7;
	u8 byte;

	if (!v->runstate_guest)
		return;
	if (flag) {
		r.state_entry_time |= XEN_RUNSTATE_UPDATE;
		byte = r.state_entry_time >> 56;
		copy_to_guest(cpu, top, &byte, 1);
		__atomic_thread_fence(__ATOMIC_RELEASE);
	}
	runstate_to_guest(cpu, v->runstate_guest, &r, compat);
	if (flag) {
		byte = (r.state_entry_time & ~XEN_RUNSTATE_UPDATE) >> 56;
		__atomic_thread_fence(__ATOMIC_RELEASE);
		copy_to_guest(cpu, top, &byte, 1);
	}
}

void vcpu_stop(struct hv_cpu *cpu, long result)
{
	if (!cpu->run_result)
		cpu->run_result = result;
}

void vcpu_exit_done(struct hv_cpu *cpu)
{
	struct vcpu *v = cpu->vcpu;
	long why;

	if (vcpu_next_deadline(v) <= system_time()) {
		spin_lock(&domain_lock);
		vcpu_timers_expire(v);
		spin_unlock(&domain_lock);
	}
	/*
	 * Before any other result: the thread is to sync now, and the next
	 * run call finds out again whatever else this exit decided.
	 */
	if (cpu->kicked_others) {
		cpu->kicked_others = false;
		cpu->run_result = KXEN_RUN_SYNC;
		return;
	}
	why = vcpu_may_not_run(v);
	if (why)
		vcpu_stop(cpu, why);
	else if (cpu->pending_nmi || cpu->pending_mc)
		vcpu_stop(cpu, KXEN_RUN_PREEMPTED);	/* dom0's, taken here */
}

void vcpu_triple_fault(struct hv_cpu *cpu, u64 rip)
{
	struct domain *d = cpu->vcpu->domain;

	hv_printk("d%uv%u: triple fault at rip %#llx\n", d->id, cpu->vcpu->id,
		  (unsigned long long)rip);
	spin_lock(&domain_lock);
	domain_shutdown(d, d->hvm_params[HVM_PARAM_TRIPLE_FAULT_REASON]);
	spin_unlock(&domain_lock);
}

void vcpu_crash(struct hv_cpu *cpu, const char *why, u64 a, u64 b)
{
	spin_lock(&domain_lock);
	domain_crash(cpu->vcpu->domain, why, a, b);
	spin_unlock(&domain_lock);
}

bool vcpu_port_io(struct hv_cpu *cpu, u16 port, unsigned int size, bool in,
		  bool string, u64 rip)
{
	if (string) {
		vcpu_crash(cpu, "string port I/O (port, rip)", port, rip);
		return false;
	}
	if (in)
		cpu->regs[REG_RAX] |= size >= 4 ? 0xffffffffull :
						  (1ull << (size * 8)) - 1;
	return true;
}

void vcpu_halt(struct hv_cpu *cpu, bool interrupts_on)
{
	struct vcpu *v = cpu->vcpu;

	if (interrupts_on) {
		spin_lock(&domain_lock);
		vcpu_block(v, true);
		spin_unlock(&domain_lock);
		return;
	}
	/*
	 * As Xen's hvm_hlt(): halting with interrupts off is how a guest
	 * stops a vCPU for good, and with the last one it powers off.
	 */
	spin_lock(&domain_lock);
	vcpu_set_down(v, true);
	if (!vcpu_others_up(v))
		domain_shutdown(v->domain, SHUTDOWN_poweroff);
	spin_unlock(&domain_lock);
}

bool vcpu_others_up(const struct vcpu *v)
{
	const struct domain *d = v->domain;
	u32 i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i] && d->vcpu[i] != v && !d->vcpu[i]->down)
			return true;
	return false;
}

void vcpu_set_down(struct vcpu *v, bool down)
{
	if (v->down == down)
		return;
	v->down = down;
	vcpu_runstate_sync(v);
	vcpu_notify_thread(v);
}

void vcpu_notify_thread(struct vcpu *v)
{
	struct hv_cpu *cpu = this_cpu();

	if (cpu->vcpu == v || cpu->run_next == v)
		return;
	domain_run_changed();
	if (cpu->vcpu)
		cpu->kicked_others = true;
}

void vcpu_kick(struct vcpu *v)
{
	if (v->blocked || v->polling) {
		v->blocked = false;
		v->polling = false;
		vcpu_runstate_sync(v);
	}
	vcpu_notify_thread(v);
}

void vcpu_block(struct vcpu *v, bool interrupts_on)
{
	if (interrupts_on && vcpu_pending_vector(v) >= 0)
		return;
	v->blocked = true;
}

void domain_crash(struct domain *d, const char *why, u64 a, u64 b)
{
	hv_printk("d%u: crashed: %s (%#llx, %#llx)\n", d->id, why,
		  (unsigned long long)a, (unsigned long long)b);
	domain_shutdown(d, SHUTDOWN_crash);
}

/*
 * Xen's guest CPUID: the domain's policy, the vCPU's own APIC ID and
 * OSXSAVE, and Xen's leaves with the domain and vCPU ids.
 */
void vcpu_cpuid(struct hv_cpu *cpu)
{
	struct vcpu *v = cpu->vcpu;
	u32 leaf = cpu->regs[REG_RAX], subleaf = cpu->regs[REG_RCX];
	u32 r[4];

	if (!xen_cpuid_leaf(leaf, subleaf, v->domain->id, v->id, r)) {
		policy_cpuid(v->domain->cpu_policy, leaf, subleaf, r);
		if (leaf == 1) {
			r[1] = (r[1] & 0x00ffffff) | (v->id * 2) << 24;
			r[2] &= ~CPUID1_ECX_OSXSAVE;
			if (cpu->guest_cr4 & CR4_OSXSAVE)
				r[2] |= CPUID1_ECX_OSXSAVE;
		}
		/*
		 * The XSAVE area's size for the XCR0 enabled, and XSAVEC's:
		 * the CPU's answer, as the vCPU's XCR0 is loaded (and no
		 * XSS component is ever offered).
		 */
		if (leaf == 0xd && ((subleaf == 0 && r[0]) ||
				    (subleaf == 1 && r[0] & CPUIDD1_EAX_XSAVEC)))
			r[1] = cpuid_ebx(0xd, subleaf);
	}
	cpu->regs[REG_RAX] = r[0];
	cpu->regs[REG_RBX] = r[1];
	cpu->regs[REG_RCX] = r[2];
	cpu->regs[REG_RDX] = r[3];
}
