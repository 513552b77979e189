// SPDX-License-Identifier: GPL-2.0
/*
 * The console ring. Positions are absolute byte counts; the ring keeps
 * the last SIZE bytes. The writer first announces how far it will write
 * (claim), then writes, then publishes head. A reader copies up to head,
 * then looks at claim: whatever the writer may have overwritten while the
 * reader copied is dropped, never returned.
 */
#include <kxen/console.h>
#include <hv/string.h>

void kxen_console_init(struct kxen_console *con, u32 size)
{
	con->head = 0;
	con->claim = 0;
	con->size = size;
	con->reserved = 0;
}

void kxen_console_write(struct kxen_console *con, const char *s, size_t len)
{
	u64 head = con->head;
	size_t i, skip = len > con->size ? len - con->size : 0;

	__atomic_store_n(&con->claim, head + len, __ATOMIC_RELAXED);
	/* The claim is visible before any byte it covers changes. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	for (i = skip; i < len; i++)
		__atomic_store_n(&con->buf[(head + i) & (con->size - 1)], s[i],
				 __ATOMIC_RELAXED);
	__atomic_store_n(&con->head, head + len, __ATOMIC_RELEASE);
}

size_t kxen_console_read(const struct kxen_console *con, u64 *pos, char *out,
			 size_t n, u64 *lost)
{
	u64 head = __atomic_load_n(&con->head, __ATOMIC_ACQUIRE);
	u64 start = *pos, oldest, valid;
	size_t count, i;

	oldest = head > con->size ? head - con->size : 0;
	if (start < oldest) {
		*lost += oldest - start;
		start = oldest;
	}
	count = head - start < n ? head - start : n;
	for (i = 0; i < count; i++)
		out[i] = __atomic_load_n(&con->buf[(start + i) & (con->size - 1)],
					 __ATOMIC_RELAXED);

	/* Whatever the writer has claimed since may be overwritten. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	head = __atomic_load_n(&con->claim, __ATOMIC_RELAXED);
	valid = head > con->size ? head - con->size : 0;
	if (valid > start) {
		u64 bad = valid - start < count ? valid - start : count;

		memmove(out, out + bad, count - bad);
		*lost += bad;
		count -= bad;
		start += bad;
	}
	*pos = start + count;
	return count;
}
