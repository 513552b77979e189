/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMRUN loop on AMD SVM, and the way back to bare Linux.
 *
 * svm_cpu_enter() has captured Linux's state into the VMCB; from the
 * first VMRUN on, Linux continues as dom0 where hv_cpu_enter() would
 * have returned, with RAX = 0.
 */
#include <hv/guest_regs.inc>
#include <hv/x86_arch.h>

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
	/*
	 * A guest vCPU's VMCB masks physical interrupts by the host's
	 * RFLAGS.IF (V_INTR_MASKING): set, they end its run. In host mode
	 * GIF stays clear, which keeps them off here all the same.
	 */
	sti
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
	SAVE_GUEST_GPRS
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
	cli
	movq %rbx, %rdi
	call svm_restore_linux
	LEAVE_TO_LINUX
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
