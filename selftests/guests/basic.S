/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A freestanding PVH test guest: entered in 32-bit protected mode with
 * paging off at 0x100000, as a PVH kernel is, with EDI saying what to do
 * and ESI a shutdown reason. It finds Xen by CPUID, installs the
 * hypercall page through Xen's MSR and calls through it, as a real
 * guest does. Its memory: 0x100000-0x103fff (code, hypercall page,
 * stack), the hypercall page at 0x102000.
 *
 * EDI 0  write a line with console_io, then SCHEDOP_shutdown(ESI)
 *     1  cli; hlt (Xen powers the guest off)
 *     2  ud2 with no IDT: a triple fault
 *     3  spin forever
 *     4  read unpopulated memory at 512 MiB
 */
#define HYPERCALL_PAGE		0x102000
#define STACK_TOP		0x104000
#define __HYPERVISOR_console_io	18
#define __HYPERVISOR_sched_op	29
#define CONSOLEIO_write		0
#define SCHEDOP_shutdown	2
#define SHUTDOWN_crash		3

	.code32
	.text
	.globl start
start:
	movl $STACK_TOP, %esp
	movl %esi, shutdown_reason
	cmpl $1, %edi
	je halt
	cmpl $2, %edi
	je triple_fault
	cmpl $3, %edi
	je spin
	cmpl $4, %edi
	je unpopulated

	/* Xen's signature in leaf 0x40000000, its MSR in 0x40000002. */
	movl $0x40000000, %eax
	cpuid
	cmpl $0x566e6558, %ebx		/* "XenV" */
	jne triple_fault
	movl $0x40000002, %eax
	cpuid
	movl %ebx, %ecx
	movl $HYPERCALL_PAGE, %eax
	xorl %edx, %edx
	wrmsr

	movl $CONSOLEIO_write, %ebx
	movl $(message_end - message), %ecx
	movl $message, %edx
	call HYPERCALL_PAGE + __HYPERVISOR_console_io * 32
	testl %eax, %eax
	jz 1f
	movl $SHUTDOWN_crash, shutdown_reason
1:	movl $SCHEDOP_shutdown, %ebx
	movl $shutdown_reason, %ecx
	call HYPERCALL_PAGE + __HYPERVISOR_sched_op * 32
	jmp triple_fault		/* shutdown does not return */

halt:
	cli
	hlt
	jmp triple_fault

triple_fault:
	ud2

spin:
	jmp spin

unpopulated:
	movl 0x20000000, %eax
	jmp triple_fault

	.balign 4
shutdown_reason:
	.long 0
message:
	.ascii "hello from a kxen guest\n"
message_end:
