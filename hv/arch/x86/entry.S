/* SPDX-License-Identifier: GPL-2.0 */
/*
 * int hv_cpu_enter(u32 cpu): the module calls this on each CPU, with
 * interrupts off, to turn its Linux into dom0.
 *
 * It records where Linux resumes (its return address and stack), RFLAGS
 * and the callee-saved registers, moves to the host stack and hands the
 * CPU to the vendor (hv_cpu_take_over()). On success this call never
 * returns as such: Linux resumes as dom0 at the return address with RAX =
 * 0, so to Linux it simply returned 0. On failure, nothing has changed
 * and the error comes back here.
 */
#include <hv/cpu.h>

	.text
	.globl hv_cpu_enter
	.hidden hv_cpu_enter
hv_cpu_enter:
	endbr64
	pushq %rdi		/* also aligns the stack for the call */
	call hv_cpu_area
	popq %rdi
	testq %rax, %rax
	jz .Lno_cpu
	movq %rbx, CPU_REG(3)(%rax)
	movq %rbp, CPU_REG(5)(%rax)
	movq %r12, CPU_REG(12)(%rax)
	movq %r13, CPU_REG(13)(%rax)
	movq %r14, CPU_REG(14)(%rax)
	movq %r15, CPU_REG(15)(%rax)
	movq (%rsp), %rcx
	movq %rcx, CPU_ENTRY_RIP(%rax)
	leaq 8(%rsp), %rcx
	movq %rcx, CPU_ENTRY_RSP(%rax)
	pushfq
	popq CPU_ENTRY_RFLAGS(%rax)
	movq %rsp, CPU_LINUX_RSP(%rax)
	movq %rax, %rbx
	movq CPU_HOST_STACK(%rbx), %rsp
	movq %rbx, %rdi
	call hv_cpu_take_over
	/* Refused before anything changed: back to Linux with the error. */
	movq CPU_LINUX_RSP(%rbx), %rsp
	movq CPU_REG(3)(%rbx), %rbx
	ret
.Lno_cpu:
	movl $-22, %eax		/* -EINVAL */
	ret

	.section .note.GNU-stack, "", @progbits
