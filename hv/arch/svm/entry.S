/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entering and leaving hypervisor mode on AMD SVM, and the VMRUN loop.
 *
 * hv_cpu_enter() is called by the module on each CPU with interrupts off.
 * It records where Linux resumes (its return address and stack) and the
 * callee-saved registers, moves to the host stack and lets svm_cpu_init()
 * capture the rest. From the first VMRUN on, Linux continues as dom0 at
 * that return address with RAX = 0: to Linux the call simply returned 0.
 */
#include <hv/cpu.h>

#define MSR_EFER	0xc0000080
#define MSR_VM_HSAVE_PA	0xc0010117
#define EFER_SVME_BIT	12

	.text

/* int hv_cpu_enter(u32 cpu) */
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
	call svm_cpu_init
	testl %eax, %eax
	jz svm_run
	/* Refused before anything changed: back to Linux with the error. */
	movq CPU_LINUX_RSP(%rbx), %rsp
	movq CPU_REG(3)(%rbx), %rbx
	ret
.Lno_cpu:
	movl $-22, %eax		/* -EINVAL */
	ret

/*
 * The loop, on the host stack with RBX = struct hv_cpu. VMRUN restores
 * the host's RAX and RSP on exit; every other register holds the guest's
 * value, so the CPU pointer is kept on the stack across it.
 */
svm_run:
	movq CPU_VMCB_PA(%rbx), %rax
	pushq %rbx
	movq CPU_REG(1)(%rbx), %rcx
	movq CPU_REG(2)(%rbx), %rdx
	movq CPU_REG(5)(%rbx), %rbp
	movq CPU_REG(6)(%rbx), %rsi
	movq CPU_REG(7)(%rbx), %rdi
	movq CPU_REG(8)(%rbx), %r8
	movq CPU_REG(9)(%rbx), %r9
	movq CPU_REG(10)(%rbx), %r10
	movq CPU_REG(11)(%rbx), %r11
	movq CPU_REG(12)(%rbx), %r12
	movq CPU_REG(13)(%rbx), %r13
	movq CPU_REG(14)(%rbx), %r14
	movq CPU_REG(15)(%rbx), %r15
	movq CPU_REG(3)(%rbx), %rbx
	vmload %rax
	vmrun %rax
	vmsave %rax
	pushq %rbx
	movq 8(%rsp), %rbx
	popq CPU_REG(3)(%rbx)
	addq $8, %rsp
	movq %rcx, CPU_REG(1)(%rbx)
	movq %rdx, CPU_REG(2)(%rbx)
	movq %rbp, CPU_REG(5)(%rbx)
	movq %rsi, CPU_REG(6)(%rbx)
	movq %rdi, CPU_REG(7)(%rbx)
	movq %r8, CPU_REG(8)(%rbx)
	movq %r9, CPU_REG(9)(%rbx)
	movq %r10, CPU_REG(10)(%rbx)
	movq %r11, CPU_REG(11)(%rbx)
	movq %r12, CPU_REG(12)(%rbx)
	movq %r13, CPU_REG(13)(%rbx)
	movq %r14, CPU_REG(14)(%rbx)
	movq %r15, CPU_REG(15)(%rbx)
	movq CPU_HOST_VMCB_PA(%rbx), %rax
	vmload %rax
	movq %rbx, %rdi
	call svm_handle_exit
	testl %eax, %eax
	jz svm_run

	/*
	 * Dom0 asked to leave. svm_restore_linux() has put back Linux's
	 * descriptor tables, control registers and MSRs; what remains is
	 * the data segments, GIF, EFER.SVME and the return itself.
	 */
	movq %rbx, %rdi
	call svm_restore_linux
	movq CPU_LEAVE_DS(%rbx), %rax
	movw %ax, %ds
	movq CPU_LEAVE_ES(%rbx), %rax
	movw %ax, %es
	pushq CPU_LEAVE_FRAME+32(%rbx)	/* ss */
	pushq CPU_LEAVE_FRAME+24(%rbx)	/* rsp */
	pushq CPU_LEAVE_FRAME+16(%rbx)	/* rflags */
	pushq CPU_LEAVE_FRAME+8(%rbx)	/* cs */
	pushq CPU_LEAVE_FRAME(%rbx)	/* rip */
	stgi			/* interrupts stay off: RFLAGS.IF is clear */
	movl $MSR_EFER, %ecx
	rdmsr
	btrl $EFER_SVME_BIT, %eax
	wrmsr
	movl $MSR_VM_HSAVE_PA, %ecx
	xorl %eax, %eax
	xorl %edx, %edx
	wrmsr
	movq CPU_REG(0)(%rbx), %rax
	movq CPU_REG(1)(%rbx), %rcx
	movq CPU_REG(2)(%rbx), %rdx
	movq CPU_REG(5)(%rbx), %rbp
	movq CPU_REG(6)(%rbx), %rsi
	movq CPU_REG(7)(%rbx), %rdi
	movq CPU_REG(8)(%rbx), %r8
	movq CPU_REG(9)(%rbx), %r9
	movq CPU_REG(10)(%rbx), %r10
	movq CPU_REG(11)(%rbx), %r11
	movq CPU_REG(12)(%rbx), %r12
	movq CPU_REG(13)(%rbx), %r13
	movq CPU_REG(14)(%rbx), %r14
	movq CPU_REG(15)(%rbx), %r15
	movq CPU_REG(3)(%rbx), %rbx
	iretq

	.section .note.GNU-stack, "", @progbits
