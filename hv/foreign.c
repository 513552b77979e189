// SPDX-License-Identifier: GPL-2.0
/*
 * Foreign mappings: privcmd maps a guest's page into a dom0 process by
 * making it visible in dom0's p2m at its own machine address, as all of
 * dom0's memory is; while no mapping shows it, a pool page is dom0's
 * scratch page there. Each pool page has a 16-bit state: how many
 * foreign mappings hold it, and two flags.
 *
 * ORPHAN: its guest gave it up (decrease_reservation, destroy) while it
 * was mapped. As in Xen, where a mapping holds a page reference, the
 * page lives on until its last unmapping; it belongs to no guest then.
 *
 * FLUSHING: it is free, but waits for every dom0 CPU to flush its TLB.
 * Hiding a page in dom0's p2m does not take it out of the TLBs, where a
 * CPU may keep a translation until it flushes; a page dom0 might still
 * reach that way must not go to another guest or to the hypervisor. So
 * each unmapping marks every CPU as due a flush before dom0 runs on it
 * again, the module makes every CPU exit at once (KXEN_OP_P2M_SYNC),
 * and pages freed while flushes are due wait for the last of them. A
 * guest's own pages, taken while its vCPUs run, wait the same way for
 * the CPUs they run on, which a physical interrupt makes exit within a
 * tick.
 */
#include <hv/errno.h>
#include <hv/foreign.h>
#include <hv/spinlock.h>
#include <hv/string.h>
#include <hv/xen.h>

#define STATE_MAPPINGS	0x3fff
#define STATE_ORPHAN	0x4000
#define STATE_FLUSHING	0x8000
#define STATES_PER_PAGE	(PAGE_SIZE / sizeof(u16))

static struct hv_spinlock foreign_lock;
static struct page_pool *pool;
static struct p2m *dom0_p2m_of;
static u64 scratch;
static u64 all_cpus;
/* Pool page index / STATES_PER_PAGE: the page of states it is in. */
static u16 **state_pages;
/* The CPUs that must flush before dom0 runs on them again. */
static u64 flush_due;
/* Pool page indices that may be FLUSHING: [waiting_lo, waiting_hi). */
static u64 waiting_lo, waiting_hi;

int foreign_init(struct page_pool *p, struct p2m *dom0, u64 scratch_pa,
		 u64 cpus)
{
	/* For all the pool may grow to: pages added later have theirs. */
	u64 nr = (p->max_span + STATES_PER_PAGE - 1) / STATES_PER_PAGE, i;

	pool = p;
	dom0_p2m_of = dom0;
	scratch = scratch_pa;
	all_cpus = cpus;
	state_pages = pages_alloc(p, (nr * sizeof(u16 *) + PAGE_SIZE - 1) /
				     PAGE_SIZE);
	if (!state_pages)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		state_pages[i] = page_alloc(p);
		if (!state_pages[i])
			return -ENOMEM;
	}
	return 0;
}

static u64 pool_index(const void *va)
{
	return ((const u8 *)va - pool->va) >> PAGE_SHIFT;
}

static u16 *state_of(u64 index)
{
	return &state_pages[index / STATES_PER_PAGE][index % STATES_PER_PAGE];
}

/* The state of pool page HPA, or NULL for any other page. */
static u16 *page_state(u64 hpa)
{
	void *va = page_pool_va(pool, hpa & ~(PAGE_SIZE - 1));

	return va ? state_of(pool_index(va)) : NULL;
}

long foreign_map(u64 hpa)
{
	u16 *state = page_state(hpa);
	long ret = 0;

	hpa &= ~(PAGE_SIZE - 1);
	spin_lock(&foreign_lock);
	if (!state || *state & (STATE_ORPHAN | STATE_FLUSHING))
		ret = -XEN_EINVAL;
	else if ((*state & STATE_MAPPINGS) == STATE_MAPPINGS)
		ret = -XEN_EBUSY;
	/*
	 * No flush: dom0 has had no reason to touch this address, so its
	 * TLBs hold nothing of the scratch page here.
	 */
	else if (!*state && p2m_set(dom0_p2m_of, hpa, hpa, PAGE_SIZE, P2M_RAM))
		ret = -XEN_ENOMEM;
	else
		(*state)++;
	spin_unlock(&foreign_lock);
	return ret;
}

/* Frees the pool page at INDEX once every CPU has flushed. */
static void free_after_flush(u64 index)
{
	*state_of(index) = STATE_FLUSHING;
	if (waiting_lo == waiting_hi) {
		waiting_lo = index;
		waiting_hi = index + 1;
	} else if (index < waiting_lo) {
		waiting_lo = index;
	} else if (index >= waiting_hi) {
		waiting_hi = index + 1;
	}
}

long foreign_unmap(u64 hpa)
{
	u16 *state = page_state(hpa);
	long ret = 0;

	hpa &= ~(PAGE_SIZE - 1);
	spin_lock(&foreign_lock);
	if (!state || !(*state & STATE_MAPPINGS)) {
		ret = -XEN_EINVAL;
	} else if (!(--*state & STATE_MAPPINGS)) {
		/* The leaf is there, a 4K one: this cannot fail. */
		p2m_set(dom0_p2m_of, hpa, scratch, PAGE_SIZE, P2M_RAM);
		if (*state & STATE_ORPHAN)
			free_after_flush(pool_index(page_pool_va(pool, hpa)));
		__atomic_store_n(&flush_due, all_cpus, __ATOMIC_RELEASE);
	}
	spin_unlock(&foreign_lock);
	return ret;
}

void guest_pages_free(void *va, u64 n, u64 cpus)
{
	u64 first = pool_index(va), i;
	bool mapped = false;

	spin_lock(&foreign_lock);
	if (cpus)
		__atomic_store_n(&flush_due, flush_due | cpus, __ATOMIC_RELEASE);
	for (i = 0; i < n; i++)
		if (*state_of(first + i) & STATE_MAPPINGS)
			mapped = true;
	if (!mapped && !flush_due) {
		pages_free(pool, va, n);
		spin_unlock(&foreign_lock);
		return;
	}
	for (i = 0; i < n; i++) {
		u16 *state = state_of(first + i);

		if (*state & STATE_MAPPINGS)
			*state |= STATE_ORPHAN;
		else if (flush_due)
			free_after_flush(first + i);
		else
			page_free(pool, (u8 *)va + i * PAGE_SIZE);
	}
	spin_unlock(&foreign_lock);
}

/* Whether dom0 has [pa, end) as its own RAM, mapped as itself. */
static bool dom0_ram_as_itself(u64 pa, u64 end)
{
	unsigned int level;
	u64 hpa;

	for (; pa < end; pa = (pa | (P2M_LEVEL_SIZE(level) - 1)) + 1)
		if (p2m_lookup(dom0_p2m_of, pa, &hpa, &level) != P2M_RAM ||
		    hpa != pa)
			return false;
	return true;
}

int foreign_hide(u64 pa, u64 size)
{
	u64 gpa;
	int err = 0;

	spin_lock(&foreign_lock);
	if (!dom0_ram_as_itself(pa, pa + size))
		err = -XEN_EINVAL;
	for (gpa = pa; !err && gpa < pa + size; gpa += PAGE_SIZE)
		if (p2m_set(dom0_p2m_of, gpa, scratch, PAGE_SIZE, P2M_RAM))
			err = -XEN_ENOMEM;
	/* Back as it was: a large leaf again needs no table page. */
	if (err == -XEN_ENOMEM)
		p2m_set(dom0_p2m_of, pa, pa, size, P2M_RAM);
	spin_unlock(&foreign_lock);
	return err;
}

void foreign_unhide(u64 pa, u64 size)
{
	spin_lock(&foreign_lock);
	p2m_set(dom0_p2m_of, pa, pa, size, P2M_RAM);
	__atomic_store_n(&flush_due, all_cpus, __ATOMIC_RELEASE);
	spin_unlock(&foreign_lock);
}

u64 foreign_spares_drop(void)
{
	u64 target;

	spin_lock(&foreign_lock);
	target = dom0_p2m_of->pool_pages;
	p2m_resize_pool(dom0_p2m_of, 0, 0);
	spin_unlock(&foreign_lock);
	return target;
}

void foreign_spares_restore(u64 target)
{
	spin_lock(&foreign_lock);
	p2m_resize_pool(dom0_p2m_of, target, ~0ull);
	spin_unlock(&foreign_lock);
}

void foreign_pages_arrive(void *va, u64 n)
{
	u64 first = pool_index(va), i;

	spin_lock(&foreign_lock);
	for (i = 0; i < n; i++)
		free_after_flush(first + i);
	__atomic_store_n(&flush_due, all_cpus, __ATOMIC_RELEASE);
	spin_unlock(&foreign_lock);
}

bool foreign_flush_due(u32 cpu)
{
	u64 bit = 1ull << cpu, i;

	if (!(__atomic_load_n(&flush_due, __ATOMIC_ACQUIRE) & bit))
		return false;
	spin_lock(&foreign_lock);
	flush_due &= ~bit;
	if (!flush_due) {
		for (i = waiting_lo; i < waiting_hi; i++) {
			u16 *state = state_of(i);

			if (*state == STATE_FLUSHING) {
				*state = 0;
				page_free(pool, pool->va + i * PAGE_SIZE);
			}
		}
		waiting_lo = waiting_hi = 0;
	}
	spin_unlock(&foreign_lock);
	return true;
}
