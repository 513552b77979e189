/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host-mode exception entry: one 16-byte stub per vector pushes a zero
 * where the CPU pushes no error code, then the vector, and joins the
 * common path that saves the registers and calls hv_exception().
 */
	.text

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
		      (v) == 21 || (v) == 29 || (v) == 30)

	.p2align 4
	.globl exception_stubs
	.hidden exception_stubs
exception_stubs:
	vector = 0
	.rept 32
	.p2align 4
	.if HAS_ERROR(vector) == 0
	pushq $0
	.endif
	pushq $vector
	jmp exception_common
	vector = vector + 1
	.endr

exception_common:
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rbx
	pushq %rbp
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	/* Align the stack for C: the frame may sit at any 8-byte offset. */
	movq %rsp, %rbx
	andq $-16, %rsp
	call hv_exception
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rbp
	popq %rbx
	popq %rdx
	popq %rcx
	popq %rax
	addq $16, %rsp		/* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits
