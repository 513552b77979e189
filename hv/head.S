/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The image header (struct kxen_hv_header), first in the image. Every
 * value is an offset from the image's start, computed at link time, so
 * the module can read it before relocating anything.
 */
#define KXEN_HV_MAGIC 0x3176682d6e65786b

	.section .hv_header, "a"
	.globl __image_start
	.hidden __image_start
__image_start:
	.quad KXEN_HV_MAGIC
	.quad __image_file_end - __image_start
	.quad __image_end - __image_start
	.quad __rela_start - __image_start
	.quad __rela_end - __image_start
	.quad hv_prepare - __image_start
	.quad hv_cpu_enter - __image_start
	.quad hv_console - __image_start

	.section .note.GNU-stack, "", @progbits
