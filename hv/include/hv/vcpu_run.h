/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running guest vCPUs from dom0's threads (hv/vcpu_run.c), and what the
 * vendor code calls while one runs.
 */
#ifndef HV_VCPU_RUN_H
#define HV_VCPU_RUN_H

#include <hv/cpu.h>

struct hvm_hw_cpu;

/*
 * KXEN_OP_VCPU_RUN: vCPU ID of DOMID is to run on CPU from the end of
 * this exit on. 0, a KXEN_RUN_* saying why it may not, or a negative
 * Xen errno.
 */
long vcpu_run(struct hv_cpu *cpu, u64 domid, u64 id);

/*
 * The vendor code, at the end of an exit: from dom0 to cpu->run_next,
 * after dom0's results are written back, or from the guest back to
 * dom0, whose run call then returns cpu->run_result (in REG_RAX).
 */
void vcpu_switch_in(struct hv_cpu *cpu);
void vcpu_switch_out(struct hv_cpu *cpu);

/* Why V may not run now, as a KXEN_RUN_*, or 0. */
long vcpu_may_not_run(const struct vcpu *v);

/*
 * The rest are called under domain_lock, but for the exits' own calls.
 *
 * Xen's vcpu_unblock() and vcpu_kick(): V stops waiting (blocked or
 * polling), and its thread looks at it again (vcpu_notify_thread()).
 */
void vcpu_kick(struct vcpu *v);
/*
 * V's thread in dom0 is to look at V again, unless V is this CPU's: a
 * sync of the threads is asked for (the run generation moves), and a
 * run on this CPU ends for its thread to make it (KXEN_RUN_SYNC).
 */
void vcpu_notify_thread(struct vcpu *v);
/*
 * Xen's vcpu_block(): V waits for an event, unless one is to be
 * delivered already (its upcall, with INTERRUPTS_ON).
 */
void vcpu_block(struct vcpu *v, bool interrupts_on);
/*
 * Xen's _VPF_down set (DOWN) or cleared: V's runstate follows, and its
 * thread looks at it again (a running V stops at the end of its exit).
 */
void vcpu_set_down(struct vcpu *v, bool down);
/* Whether another vCPU of V's domain is up (not down). */
bool vcpu_others_up(const struct vcpu *v);

/* The timers (hv/vcpu_timer.c). V's earliest deadline, or NO_DEADLINE. */
u64 vcpu_next_deadline(const struct vcpu *v);
/* Fires what is due of V's timers. */
void vcpu_timers_expire(struct vcpu *v);
/*
 * One of V's deadlines moved: if it is now sooner than the one V's
 * thread has armed, the thread is to re-arm (V's run ends with
 * KXEN_RUN_TIMER, or its thread is notified).
 */
void vcpu_timer_changed(struct vcpu *v);
/* VCPUOP_set_singleshot_timer at DEADLINE (NO_DEADLINE: stop). */
void vcpu_set_singleshot(struct vcpu *v, u64 deadline);
/* VCPUOP_set_periodic_timer with PERIOD ns (0: stop). */
void vcpu_set_periodic(struct vcpu *v, u64 period);
/* SCHEDOP_poll's timeout at DEADLINE (NO_DEADLINE: none). */
void vcpu_set_poll_timeout(struct vcpu *v, u64 deadline);

/* The run ends at the end of this exit, returning RESULT (the first one). */
void vcpu_stop(struct hv_cpu *cpu, long result);
/* After each guest exit: ends the run if the vCPU may not go on. */
void vcpu_exit_done(struct hv_cpu *cpu);
/*
 * A triple fault at RIP: the domain shuts down with the reason its
 * HVM_PARAM_TRIPLE_FAULT_REASON says (Xen's default: reboot).
 */
void vcpu_triple_fault(struct hv_cpu *cpu, u64 rip);
/*
 * HLT: with interrupts on the vCPU blocks (until its upcall, if one is
 * not due already); with them off it goes down.
 */
void vcpu_halt(struct hv_cpu *cpu, bool interrupts_on);
/* The guest on CPU crashes, for WHY (with A and B, as domain_crash()). */
void vcpu_crash(struct hv_cpu *cpu, const char *why, u64 a, u64 b);
/*
 * The guest's IN or OUT of SIZE bytes at PORT (RIP: the instruction's).
 * A PVH guest has no ports, so as Xen answers an access no device
 * claims, reads are all ones and writes go nowhere. String I/O would
 * need the instruction emulator, which is not there yet: the guest
 * crashes. True when done, and the guest goes on past the instruction.
 */
bool vcpu_port_io(struct hv_cpu *cpu, u16 port, unsigned int size, bool in,
		  bool string, u64 rip);
/* XSETBV to XCR0 by the guest: 0, or -XEN_EINVAL (then #GP). */
long vcpu_set_xcr0(struct hv_cpu *cpu, u64 val);

/*
 * Into R, V's CPU record, what V's last run left that the hypervisor
 * keeps (its general registers but RSP, DR0-3, its FPU state); the
 * vendor's vcpu_save() has the rest.
 */
void vcpu_record_live(struct vcpu *v, struct hvm_hw_cpu *r);
/* CPUID by the guest, on REGS. */
void vcpu_cpuid(struct hv_cpu *cpu);
/*
 * A hypercall by the guest on CPU (64-bit or 32-bit ABI as it runs).
 * False when it is to be made again (Xen's continuation: the guest
 * re-executes the instruction), true when done and RAX holds the result.
 */
bool guest_hypercall(struct hv_cpu *cpu);

#endif /* HV_VCPU_RUN_H */
