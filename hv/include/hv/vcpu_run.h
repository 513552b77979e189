/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running guest vCPUs from dom0's threads (hv/vcpu_run.c), and what the
 * vendor code calls while one runs.
 */
#ifndef HV_VCPU_RUN_H
#define HV_VCPU_RUN_H

#include <hv/cpu.h>

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

/* The run ends at the end of this exit, returning RESULT (the first one). */
void vcpu_stop(struct hv_cpu *cpu, long result);
/* After each guest exit: ends the run if the vCPU may not go on. */
void vcpu_exit_done(struct hv_cpu *cpu);
/*
 * A triple fault at RIP: the domain shuts down with the reason its
 * HVM_PARAM_TRIPLE_FAULT_REASON says (Xen's default: reboot).
 */
void vcpu_triple_fault(struct hv_cpu *cpu, u64 rip);
/* HLT: with interrupts on the vCPU blocks; with them off it goes down. */
void vcpu_halt(struct hv_cpu *cpu, bool interrupts_on);
/* XSETBV to XCR0 by the guest: 0, or -XEN_EINVAL (then #GP). */
long vcpu_set_xcr0(struct hv_cpu *cpu, u64 val);
/* CPUID by the guest, on REGS. */
void vcpu_cpuid(struct hv_cpu *cpu);
/*
 * A hypercall by the guest on CPU (64-bit or 32-bit ABI as it runs).
 * False when it is to be made again (Xen's continuation: the guest
 * re-executes the instruction), true when done and RAX holds the result.
 */
bool guest_hypercall(struct hv_cpu *cpu);

#endif /* HV_VCPU_RUN_H */
