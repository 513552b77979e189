/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMLAUNCH/VMRESUME loop on Intel VMX, and the way back to bare
 * Linux.
 *
 * vmx_cpu_enter() has loaded the VMCS with Linux's state; from the first
 * VM entry on, Linux continues as dom0 where hv_cpu_enter() would have
 * returned, with RAX = 0. A VM exit lands at vmx_exit_entry with the
 * host stack two slots below its top, where vmx_run() left the CPU
 * pointer; every general-purpose register but RSP is the guest's.
 */
#include <hv/guest_regs.inc>

	.text

/* void vmx_run(struct hv_cpu *cpu), never returning. */
	.globl vmx_run
	.hidden vmx_run
vmx_run:
	movq %rdi, %rbx
	movq CPU_HOST_STACK(%rbx), %rsp
	pushq %rbx
	pushq %rbx
	movq CPU_REG(0)(%rbx), %rax
	LOAD_GUEST_GPRS
	vmlaunch
	jmp .Lentry_failed

	.globl vmx_exit_entry
	.hidden vmx_exit_entry
vmx_exit_entry:
	pushq %rbx
	movq 8(%rsp), %rbx
	popq CPU_REG(3)(%rbx)
	movq %rax, CPU_REG(0)(%rbx)
	SAVE_GUEST_GPRS
	movq %rbx, %rdi
	call vmx_handle_exit
	cmpl $1, %eax		/* VMX_LEAVE */
	je .Lleave
	movl %eax, %ecx
	movq CPU_REG(0)(%rbx), %rax
	cmpl $2, %ecx		/* VMX_LAUNCH: a guest vCPU's clear VMCS */
	je .Llaunch
	LOAD_GUEST_GPRS
	vmresume
	jmp .Lentry_failed
.Llaunch:
	LOAD_GUEST_GPRS
	vmlaunch
.Lentry_failed:
	movq (%rsp), %rdi
	call vmx_entry_failed

	/*
	 * Dom0 asked to leave. vmx_restore_linux() has left VMX operation
	 * and put back Linux's descriptor tables, control registers and
	 * MSRs; what remains is the data segments and the return itself.
	 */
.Lleave:
	movq %rbx, %rdi
	call vmx_restore_linux
	LEAVE_TO_LINUX
	movq CPU_REG(0)(%rbx), %rax
	LOAD_GUEST_GPRS
	iretq

	.section .note.GNU-stack, "", @progbits
