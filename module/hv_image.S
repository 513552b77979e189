/* SPDX-License-Identifier: GPL-2.0 */
/* The hypervisor image (build/freestanding/kxen-hv.bin), as data. */
	.section .rodata, "a"
	.balign 64
	.globl kxen_hv_image
kxen_hv_image:
	.incbin "kxen-hv.bin"
	.globl kxen_hv_image_end
kxen_hv_image_end:
