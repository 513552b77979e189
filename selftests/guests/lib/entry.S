/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of a freestanding PVH test guest. Xen's PVH boot protocol (the
 * XEN_ELFNOTE_PHYS32_ENTRY note below) enters here in 32-bit protected
 * mode with paging off, flat segments and EBX pointing at the
 * struct hvm_start_info. The guest runs guest_main() on its own stack and
 * powers off if it returns.
 */
#include <xen/elfnote.h>

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
	movl $stack_top, %esp
	pushl %ebx
	call guest_start
	ud2				/* guest_start() does not return */

	.bss
	.balign 16
	.skip STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
