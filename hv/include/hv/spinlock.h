/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ticket spinlocks for host mode, where interrupts are off and Linux's
 * locks do not exist. Fair, so a CPU cannot starve on a busy pool.
 */
#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#include <kxen/types.h>

struct hv_spinlock {
	u16 next;	/* ticket handed to the next arrival */
	u16 owner;	/* ticket now holding the lock */
};

static inline void spin_lock(struct hv_spinlock *lock)
{
	u16 ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		__builtin_ia32_pause();
}

static inline void spin_unlock(struct hv_spinlock *lock)
{
	__atomic_store_n(&lock->owner, lock->owner + 1, __ATOMIC_RELEASE);
}

#endif /* HV_SPINLOCK_H */
