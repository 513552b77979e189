/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMRUN loop on AMD SVM, and the way back to bare Linux.
 *
 * svm_cpu_enter() has captured Linux's state into the VMCB; from the
 * first VMRUN on, Linux continues as dom0 where hv_cpu_enter() would
 * have returned, with RAX = 0.
 */
#include <hv/cpu.h>
#include <hv/x86_arch.h>

/* Dom0's registers but RAX and RSP from struct hv_cpu at RBX, RBX last. */
.macro LOAD_GUEST_GPRS
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
.endm

	.text

/*
 * void svm_run(struct hv_cpu *cpu), never returning: the loop, on a fresh
 * host stack with RBX = cpu. VMRUN restores the host's RAX and RSP on
 * exit; every other register holds the guest's value, so the CPU pointer
 * is kept on the stack across it.
 */
	.globl svm_run
	.hidden svm_run
svm_run:
	movq %rdi, %rbx
	movq CPU_HOST_STACK(%rbx), %rsp
.Lrun:
	movq CPU_VMCB_PA(%rbx), %rax
	pushq %rbx
	LOAD_GUEST_GPRS
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
	jz .Lrun

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
	LOAD_GUEST_GPRS
	iretq

	.section .note.GNU-stack, "", @progbits
