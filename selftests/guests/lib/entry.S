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

/* The guest's GDT, and CS and the data segments from it. */
	.macro load_gdt
	lgdt gdt_desc
	ljmp $GUEST_CS, $1f
1:	movl $GUEST_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	.endm

	.text
	.code32
	.globl pvh_start
pvh_start:
	load_gdt
	movl $stack_top, %esp
	pushl %ebx
	call guest_start
	ud2				/* guest_start() does not return */

/*
 * Where VCPUOP_initialise starts a test's other vCPUs: flat 32-bit
 * segments with null selectors, ESP on the vCPU's own stack, EBX its
 * vCPU ID. The GDT goes in first, so that interrupts find GUEST_CS.
 */
	.globl ap_start
ap_start:
	load_gdt
	pushl %ebx
	call ap_main
	ud2				/* ap_main() does not return */

/*
 * A startup IPI's way in, copied by the starter to the page below 1 MiB
 * whose number the SIPI's vector is: real mode, CS that page. Into
 * protected mode with the guest's GDT, then as ap_start() with the
 * stack and vCPU ID the starter left in sipi_esp and sipi_vcpu.
 */
	.globl sipi_trampoline, sipi_trampoline_end
	.code16
sipi_trampoline:
	cli
	movw %cs, %ax
	movw %ax, %ds
	lgdtl sipi_gdt_desc - sipi_trampoline
	movl %cr0, %eax
	orl $1, %eax			/* PE */
	movl %eax, %cr0
	ljmpl $GUEST_CS, $sipi_protected
	.balign 4
sipi_gdt_desc:
	.word gdt_desc - gdt - 1
	.long gdt
sipi_trampoline_end:

	.code32
sipi_protected:
	movl $GUEST_DS, %eax		/* DS still has real mode's base */
	movl %eax, %ds
	movl sipi_esp, %esp
	movl sipi_vcpu, %ebx
	jmp ap_start

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
	pushl %eax
	movl gp_insn_len, %eax
	addl %eax, 4(%esp)
	popl %eax
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
