// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime of the PVH test guests (guest.h). It finds Xen by CPUID
 * and installs the hypercall page through Xen's MSR, as a real guest
 * does, before guest_main() runs.
 */
#include "guest.h"
#include "segments.h"

#define IDT_INTERRUPT_GATE	0x8e00ull	/* present, DPL 0, 32-bit */

#define HYPERCALL_STUB_SIZE	32

static uint8_t hypercall_page[4096] __attribute__((aligned(4096)));
static const char *cmdline = "";
static const struct hvm_start_info *start_info;
static unsigned int ktap_next = 1;
static uint64_t idt[256] __attribute__((aligned(8)));
static struct shared_info *events_shared;
static unsigned int upcalls;
static unsigned int events[EVENT_PORTS];
static bool ktap_failed;

long hypercall(unsigned int nr, unsigned long a1, unsigned long a2,
	       unsigned long a3, unsigned long a4, unsigned long a5)
{
	long ret = (long)(hypercall_page + nr * HYPERCALL_STUB_SIZE);

	/* Xen may change the argument registers: they are outputs too. */
	asm volatile("call *%%eax"
		     : "+a"(ret), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4),
		       "+D"(a5)
		     : : "memory");
	return ret;
}

void shutdown(unsigned int reason)
{
	struct sched_shutdown ss = { .reason = reason };

	hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
		   (unsigned long)&ss);
	for (;;)
		asm volatile("ud2");	/* a triple fault if Xen returns */
}

/* Xen's leaves start at 0x40000000 with "XenVMMXenVMM". */
static bool hypercall_page_init(void)
{
	uint32_t r[4];

	cpuid(0x40000000, r);
	if (r[1] != 0x566e6558 || r[2] != 0x65584d4d || r[3] != 0x4d4d566e)
		return false;
	cpuid(0x40000002, r);
	asm volatile("wrmsr"
		     : : "c"(r[1]), "a"((uint32_t)(uintptr_t)hypercall_page),
		       "d"(0) : "memory");
	return true;
}

void __attribute__((noreturn)) guest_start(const struct hvm_start_info *si)
{
	if (!hypercall_page_init())
		shutdown(SHUTDOWN_crash);	/* faults: no hypercall page */
	start_info = si;
	if (si->magic == XEN_HVM_START_MAGIC_VALUE && si->cmdline_paddr)
		cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
	guest_main(si);
	shutdown(SHUTDOWN_poweroff);
}

uintptr_t low_ram_end(void)
{
	const struct hvm_memmap_table_entry *map =
		(const void *)(uintptr_t)start_info->memmap_paddr;
	uint32_t i;

	for (i = 0; i < start_info->memmap_entries; i++)
		if (map[i].addr == 0 && map[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
			return map[i].size;
	return 0;
}

void *memset(void *s, int c, size_t n)
{
	uint8_t *p = s;

	while (n--)
		*p++ = c;
	return s;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	return 0;
}

/*
 * libgcc's 64-bit division for 32-bit code, which gcc calls for
 * hv_vsnprintf()'s u64 arithmetic and the guests' own: this machine has
 * no 32-bit libgcc.
 * Shift and subtract.
 */
uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0;
	int shift = 0;

	while (d <= n >> 1 && !(d >> 63)) {
		d <<= 1;
		shift++;
	}
	for (; shift >= 0; shift--, d >>= 1) {
		q <<= 1;
		if (n >= d) {
			n -= d;
			q |= 1;
		}
	}
	if (rem)
		*rem = n;
	return q;
}

/* And its plain quotient, for the guests' own u64 division. */
uint64_t __udivdi3(uint64_t n, uint64_t d)
{
	return __udivmoddi4(n, d, NULL);
}

/* One console_io write a call: Xen joins writes into log lines. */
static void vprint(const char *fmt, va_list ap)
{
	char buf[256];
	int len = hv_vsnprintf(buf, sizeof(buf), fmt, ap);

	if (len > (int)sizeof(buf) - 1)
		len = sizeof(buf) - 1;
	hypercall(__HYPERVISOR_console_io, CONSOLEIO_write, len,
		  (unsigned long)buf, 0, 0);
}

void printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

/* The word of the command line starting at S ends at a space or NUL. */
static bool word_is(const char *s, const char *word, size_t n)
{
	return !strncmp(s, word, n) && (s[n] == ' ' || s[n] == '\0' ||
					 word[n - 1] == '=');
}

static const char *cmdline_find(const char *word)
{
	size_t n = strlen(word);
	const char *s = cmdline;

	while (*s) {
		while (*s == ' ')
			s++;
		if (*s && word_is(s, word, n))
			return s + n;
		while (*s && *s != ' ')
			s++;
	}
	return NULL;
}

const char *cmdline_option(const char *name)
{
	char key[32];
	size_t n = strlen(name);

	if (n + 2 > sizeof(key))
		return NULL;
	for (size_t i = 0; i < n; i++)
		key[i] = name[i];
	key[n] = '=';
	key[n + 1] = '\0';
	return cmdline_find(key);
}

bool cmdline_has(const char *word)
{
	return cmdline_find(word) != NULL;
}

unsigned long parse_number(const char *s, unsigned long default_value)
{
	unsigned long n = 0, base = 10;

	if (!s)
		return default_value;
	if (s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
	}
	for (;; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else
			return n;
		n = n * base + d;
	}
}

void ktap_plan(unsigned int tests)
{
	printf("KTAP version 1\n1..%u\n", tests);
}

void ktap_result(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (!ok)
		ktap_failed = true;
	printf("%s %u ", ok ? "ok" : "not ok", ktap_next++);
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	printf("\n");
}

bool ktap_all_ok(void)
{
	return !ktap_failed;
}

long add_to_physmap(domid_t domid, unsigned int space, unsigned long idx,
		    unsigned long gpfn)
{
	struct xen_add_to_physmap xatp = {
		.domid = domid, .space = space, .idx = idx, .gpfn = gpfn,
	};

	return hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
			  (unsigned long)&xatp);
}

long shared_info_place(unsigned long gfn, struct shared_info **shared)
{
	*shared = (struct shared_info *)(gfn << 12);
	return add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, gfn);
}

/* A field of memory Xen updates, read once. */
#define READ_SHARED(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)

uint64_t wallclock_seconds(const struct shared_info *shared)
{
	uint32_t version, sec, nsec, hi;
	struct vcpu_time_info t;

	do {
		version = __atomic_load_n(&shared->wc_version, __ATOMIC_ACQUIRE);
		sec = READ_SHARED(shared->wc_sec);
		nsec = READ_SHARED(shared->wc_nsec);
		hi = READ_SHARED(shared->arch.wc_sec_hi);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((version & 1) || version != READ_SHARED(shared->wc_version));
	/* The wallclock is the time at system time 0. */
	pvclock_snapshot(&t, &shared->vcpu_info[0].time);
	return ((uint64_t)hi << 32 | sec) +
	       (nsec + pvclock_ns(&t, rdtsc())) / 1000000000;
}

void pvclock_snapshot(struct vcpu_time_info *copy,
		      const struct vcpu_time_info *t)
{
	do {
		copy->version = __atomic_load_n(&t->version, __ATOMIC_ACQUIRE);
		/* 32-bit code has no atomic 64-bit load: the version guards. */
		copy->tsc_timestamp = t->tsc_timestamp;
		copy->system_time = t->system_time;
		copy->tsc_to_system_mul = READ_SHARED(t->tsc_to_system_mul);
		copy->tsc_shift = READ_SHARED(t->tsc_shift);
		copy->flags = READ_SHARED(t->flags);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((copy->version & 1) || copy->version != READ_SHARED(t->version));
}

uint64_t pvclock_now(const struct shared_info *shared)
{
	struct vcpu_time_info t;

	pvclock_snapshot(&t, &shared->vcpu_info[0].time);
	return pvclock_ns(&t, rdtsc());
}

uint64_t pvclock_ns(const struct vcpu_time_info *t, uint64_t tsc)
{
	uint64_t delta = tsc - t->tsc_timestamp;

	if (t->tsc_shift < 0)
		delta >>= -t->tsc_shift;
	else
		delta <<= t->tsc_shift;
	/* The top 64 of the 96-bit product, in 32-bit halves. */
	return t->system_time +
	       (((delta & 0xffffffff) * t->tsc_to_system_mul) >> 32) +
	       (delta >> 32) * t->tsc_to_system_mul;
}

uint32_t tsc_khz(void)
{
	uint32_t r[4];

	cpuid(0x40000003, r);
	return r[2];
}

void idt_load(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1,
					   (uint32_t)(uintptr_t)idt };

	asm volatile("lidt %0" : : "m"(idtr));
}

void idt_set_gate(uint8_t vector, void (*entry)(void))
{
	uint32_t handler = (uint32_t)(uintptr_t)entry;

	idt[vector] = (handler & 0xffff) | (uint64_t)GUEST_CS << 16 |
		      IDT_INTERRUPT_GATE << 32 | (uint64_t)(handler >> 16) << 48;
	idt_load();
}

/* A guest that starts no other vCPU has none to run. */
void __attribute__((weak, noreturn)) ap_main(unsigned int vcpu)
{
	(void)vcpu;
	shutdown(SHUTDOWN_crash);
}

uint32_t sipi_esp, sipi_vcpu;
static void (*irq_handlers[2])(void);
unsigned int gp_faults;

void irq_handler_set(unsigned int slot, uint8_t vector, void (*handler)(void))
{
	irq_handlers[slot] = handler;
	idt_set_gate(vector, slot ? irq_entry1 : irq_entry0);
}

void irq_dispatch(unsigned int slot)
{
	irq_handlers[slot]();
}

unsigned int gp_insn_len;

/*
 * Runs the instruction in FN, of INSN_LEN bytes, with the #GP gate in
 * place: whether it raised #GP.
 */
static bool faults(void (*fn)(uint32_t index, uint64_t *val), uint32_t index,
		   uint64_t *val, unsigned int insn_len)
{
	unsigned int before;

	idt_set_gate(13, gp_entry);
	gp_insn_len = insn_len;
	before = __atomic_load_n(&gp_faults, __ATOMIC_SEQ_CST);
	fn(index, val);
	return __atomic_load_n(&gp_faults, __ATOMIC_SEQ_CST) != before;
}

static void do_rdmsr(uint32_t msr, uint64_t *val)
{
	*val = rdmsr(msr);
}

static void do_wrmsr(uint32_t msr, uint64_t *val)
{
	wrmsr(msr, *val);
}

static void do_xsetbv(uint32_t xcr, uint64_t *val)
{
	asm volatile("xsetbv" : : "c"(xcr), "a"((uint32_t)*val),
		     "d"((uint32_t)(*val >> 32)) : "memory");
}

bool rdmsr_faults(uint32_t msr)
{
	uint64_t val;

	return faults(do_rdmsr, msr, &val, 2);
}

bool wrmsr_faults(uint32_t msr, uint64_t val)
{
	return faults(do_wrmsr, msr, &val, 2);
}

bool xsetbv_faults(uint64_t val)
{
	return faults(do_xsetbv, 0, &val, 3);
}

long events_init(struct shared_info *shared, uint8_t vector)
{
	struct xen_hvm_param p = {
		.domid = DOMID_SELF,
		.index = HVM_PARAM_CALLBACK_IRQ,
		.value = (uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56 | vector,
	};

	idt_set_gate(vector, upcall_entry);
	events_shared = shared;
	return hypercall2(__HYPERVISOR_hvm_op, HVMOP_set_param,
			  (unsigned long)&p);
}

/* As Linux's 2-level upcall: flag, selector, then each word's bits. */
void upcall_handler(void)
{
	struct shared_info *s = events_shared;
	struct vcpu_info *vi = &s->vcpu_info[0];
	unsigned long sel, pending;
	unsigned int word, bit;

	__atomic_add_fetch(&upcalls, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	while (sel) {
		word = __builtin_ctzl(sel);
		sel &= sel - 1;
		pending = __atomic_load_n(&s->evtchn_pending[word],
					  __ATOMIC_SEQ_CST) &
			  ~__atomic_load_n(&s->evtchn_mask[word],
					   __ATOMIC_SEQ_CST);
		while (pending) {
			bit = __builtin_ctzl(pending);
			pending &= pending - 1;
			__atomic_and_fetch(&s->evtchn_pending[word], ~(1ul << bit),
					   __ATOMIC_SEQ_CST);
			if (word * 32 + bit < EVENT_PORTS)
				__atomic_add_fetch(&events[word * 32 + bit], 1,
						   __ATOMIC_RELAXED);
		}
	}
}

unsigned int upcall_count(void)
{
	return __atomic_load_n(&upcalls, __ATOMIC_RELAXED);
}

unsigned int event_count(unsigned int port)
{
	return port < EVENT_PORTS ?
	       __atomic_load_n(&events[port], __ATOMIC_RELAXED) : 0;
}
