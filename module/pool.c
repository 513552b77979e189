// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's pool beyond what it got at load: chunks donated when a
 * call runs short (KXEN_HYPERCALL_NEED_CHUNKS), and taken back when they
 * are wholly free again, a moment after the toolstack's last call that
 * could have freed guest memory (destroying a domain, shrinking one).
 *
 * Donations stop where Linux would feel them: a chunk is taken only
 * without reclaim or retries, and only while Linux keeps an eighth of
 * its RAM available besides. Then the call that asked fails as it
 * would on Xen with no free memory, with -ENOMEM.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "hypercall.h"
#include "kxen.h"

/* After the toolstack's last call, this long until chunks go back. */
#define RECLAIM_DELAY	(HZ / 2)

/* Serialises donating and taking back, and guards the list. */
static DEFINE_MUTEX(pool_mutex);
static struct page **donated;
static unsigned int nr_donated, max_donated;

static void reclaim_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(reclaim_work, reclaim_work_fn);

int kxen_pool_init(unsigned int max_chunks)
{
	donated = kvcalloc(max_chunks, sizeof(*donated), GFP_KERNEL);
	if (!donated)
		return -ENOMEM;
	max_donated = max_chunks;
	nr_donated = 0;
	return 0;
}

/* Whether Linux can spare one more chunk. */
static bool may_donate(void)
{
	return si_mem_available() > totalram_pages() / 8 + CHUNK_PAGES;
}

long kxen_pool_donate(unsigned int wanted)
{
	u64 pa[KXEN_POOL_BATCH];
	struct page *chunk[KXEN_POOL_BATCH];
	unsigned int n = 0, i;
	long taken;

	might_sleep();
	wanted = min_t(unsigned int, wanted, KXEN_POOL_BATCH);
	mutex_lock(&pool_mutex);
	while (n < wanted && nr_donated + n < max_donated && may_donate()) {
		chunk[n] = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN,
				       CHUNK_ORDER);
		if (!chunk[n])
			break;
		pa[n] = page_to_phys(chunk[n]);
		n++;
	}
	taken = n ? kxen_op(KXEN_OP_POOL_GROW, (unsigned long)pa, n) : 0;
	if (taken < 0) {
		pr_warn_ratelimited("the hypervisor refused a donated chunk (%ld)\n",
				    taken);
		taken = 0;
	}
	for (i = 0; i < n; i++) {
		if (i < taken)
			donated[nr_donated++] = chunk[i];
		else
			__free_pages(chunk[i], CHUNK_ORDER);
	}
	mutex_unlock(&pool_mutex);
	if (taken)
		kxen_hv_sync_cpus();
	return taken;
}

/* Drops the donated chunk at PA from the list and gives it to Linux. */
static void release_chunk(u64 pa)
{
	unsigned int i;

	for (i = 0; i < nr_donated; i++) {
		if (page_to_phys(donated[i]) != pa)
			continue;
		__free_pages(donated[i], CHUNK_ORDER);
		donated[i] = donated[--nr_donated];
		return;
	}
	WARN_ONCE(1, "kxen: the hypervisor gave back %#llx, never donated\n", pa);
}

static void reclaim_work_fn(struct work_struct *work)
{
	u64 pa[KXEN_POOL_BATCH];
	long n, i;

	if (!kxen_hv_hold())
		return;
	mutex_lock(&pool_mutex);
	/* Guest pages freed lately wait for every CPU to flush. */
	kxen_hv_sync_cpus();
	do {
		n = kxen_op(KXEN_OP_POOL_SHRINK, (unsigned long)pa,
			    KXEN_POOL_BATCH);
		if (n <= 0)
			break;
		/* Not Linux's until no CPU has the scratch page there. */
		kxen_hv_sync_cpus();
		for (i = 0; i < n; i++)
			release_chunk(pa[i]);
	} while (n == KXEN_POOL_BATCH);
	mutex_unlock(&pool_mutex);
	kxen_hv_release();
}

void kxen_pool_reclaim_soon(void)
{
	if (READ_ONCE(nr_donated))
		mod_delayed_work(system_wq, &reclaim_work, RECLAIM_DELAY);
}

unsigned int kxen_pool_donated(void)
{
	return READ_ONCE(nr_donated);
}

void kxen_pool_exit(void)
{
	unsigned int i;

	cancel_delayed_work_sync(&reclaim_work);
	for (i = 0; i < nr_donated; i++)
		__free_pages(donated[i], CHUNK_ORDER);
	kvfree(donated);
	donated = NULL;
	nr_donated = 0;
	max_donated = 0;
}
