/* SPDX-License-Identifier: GPL-2.0 */
/* The test guests' own GDT (entry.S): flat 32-bit code and data. */
#ifndef GUEST_SEGMENTS_H
#define GUEST_SEGMENTS_H

#define GUEST_CS	0x08
#define GUEST_DS	0x10

#endif /* GUEST_SEGMENTS_H */
