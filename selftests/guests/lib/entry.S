/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of a freestanding PVH test guest. Xen's PVH boot protocol (the
 * XEN_ELFNOTE_PHYS32_ENTRY note below) enters here in 32-bit protected
 * mode with paging off, flat segments and EBX pointing at the
 * struct hvm_start_info. The protocol leaves the GDT undefined, so the
 * guest loads its own (interrupts load CS from it) before it runs
 * guest_main() on its own stack, and powers off if that returns.
 */
#include <xen/elfnote.h>
#include "segments.h"

#define STACK_SIZE	16384

	.section .note.Xen, "a", @note
	.balign 4
	.long 4				/* name size: "Xen" and its NUL */
	.long 4				/* descriptor size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.long pvh_start

	.text
	.code32
	.globl pvh_start
pvh_start:
	lgdt gdt_desc
	ljmp $GUEST_CS, $1f
1:	movl $GUEST_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl $stack_top, %esp
	pushl %ebx
	call guest_start
	ud2				/* guest_start() does not return */

/* Two interrupt gates of a test's own: its C handlers, all registers kept. */
	.globl irq_entry0, irq_entry1
irq_entry0:
	pushal
	cld
	pushl $0
	call irq_dispatch
	addl $4, %esp
	popal
	iret
irq_entry1:
	pushal
	cld
	pushl $1
	call irq_dispatch
	addl $4, %esp
	popal
	iret

/* #GP from RDMSR or WRMSR: counted, and the 2-byte instruction skipped. */
	.globl gp_entry
gp_entry:
	addl $4, %esp			/* the error code */
	addl $2, (%esp)
	incl gp_faults
	iret

/* Xen's callback vector: the C handler, with every register kept. */
	.globl upcall_entry
upcall_entry:
	pushal
	cld
	call upcall_handler
	popal
	iret

	.section .rodata
	.balign 8
gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* GUEST_CS: flat 32-bit code */
	.quad 0x00cf93000000ffff	/* GUEST_DS: flat data */
gdt_desc:
	.word gdt_desc - gdt - 1
	.long gdt

	.bss
	.balign 16
	.skip STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
