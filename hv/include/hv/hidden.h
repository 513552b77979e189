/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Included first in every hypervisor file (by the build): all symbols,
 * declared or defined, are local to the image, so the compiler addresses
 * them relative to RIP and the image needs neither a GOT nor symbol
 * relocations.
 */
#pragma GCC visibility push(hidden)
