/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor console: a ring of text in hypervisor memory that dom0
 * reads (it will back "xl dmesg"). The hypervisor appends under its own
 * lock; readers copy without any lock and learn what the writer
 * overwrote before they got to it.
 */
#ifndef KXEN_CONSOLE_H
#define KXEN_CONSOLE_H

#include <kxen/types.h>

struct kxen_console {
	u64 head;		/* bytes ever written, complete */
	u64 claim;		/* end of the write under way (head when idle) */
	u32 size;		/* bytes in buf, a power of two */
	u32 reserved;
	char buf[];
};

void kxen_console_init(struct kxen_console *con, u32 size);
/* Appends LEN bytes; of a LEN beyond the size only the tail remains. */
void kxen_console_write(struct kxen_console *con, const char *s, size_t len);
/*
 * Copies up to N bytes from position *POS on into OUT and advances *POS.
 * Bytes already overwritten are skipped and added to *LOST. Returns the
 * number of bytes copied.
 */
size_t kxen_console_read(const struct kxen_console *con, u64 *pos, char *out,
			 size_t n, u64 *lost);

#endif /* KXEN_CONSOLE_H */
