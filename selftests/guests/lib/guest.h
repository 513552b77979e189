/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The small runtime of kxen's freestanding PVH test guests: Xen's
 * hypercalls through the hypercall page, output with console_io (which
 * `kxen boot` shows), the command line, and KTAP results.
 *
 * A guest defines guest_main(); when it returns, the guest powers off.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Xen 4.17's interface, as a current guest asks for it. */
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#include <xen/xen.h>
#include <hv/printk.h>
#include <xen/event_channel.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>

/* Xen's errno values as hypercalls return them (xen/errno.h). */
#define XEN_EPERM	1
#define XEN_ENOENT	2
#define XEN_ESRCH	3
#define XEN_ENXIO	6
#define XEN_EACCES	13
#define XEN_EFAULT	14
#define XEN_EINVAL	22
#define XEN_ENOSYS	38
#define XEN_EEXIST	17

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

void guest_main(const struct hvm_start_info *si);

/* Hypercall NR with up to five arguments, in the 32-bit ABI. */
long hypercall(unsigned int nr, unsigned long a1, unsigned long a2,
	       unsigned long a3, unsigned long a4, unsigned long a5);

static inline long hypercall2(unsigned int nr, unsigned long a1,
			      unsigned long a2)
{
	return hypercall(nr, a1, a2, 0, 0, 0);
}

/* SCHEDOP_shutdown with REASON; does not return. */
void __attribute__((noreturn)) shutdown(unsigned int reason);

/* Formatted output to the console, as the hypervisor's hv_vsnprintf(). */
void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The value of "NAME=..." on the command line, up to a space; or NULL. */
const char *cmdline_option(const char *name);
/* Whether WORD appears on the command line on its own. */
bool cmdline_has(const char *word);
/* Decimal or 0x-hex number at S, or DEFAULT_VALUE when S is NULL. */
unsigned long parse_number(const char *s, unsigned long default_value);

/* The end of the RAM at 0 in the PVH memory map: nothing is there. */
uintptr_t low_ram_end(void);

/* XENMEM_add_to_physmap: its result. */
long add_to_physmap(domid_t domid, unsigned int space, unsigned long idx,
		    unsigned long gpfn);
/*
 * XENMEM_add_to_physmap of the shared_info page at guest page GFN: its
 * result, with SHARED the page (in the 32-bit layout these guests get).
 */
long shared_info_place(unsigned long gfn, struct shared_info **shared);
/*
 * The time now by the wallclock and vCPU 0's pvclock of SHARED, in
 * seconds since the epoch.
 */
uint64_t wallclock_seconds(const struct shared_info *shared);
/* A consistent copy of the pvclock T, taken between Xen's updates. */
void pvclock_snapshot(struct vcpu_time_info *copy,
		      const struct vcpu_time_info *t);
/* Xen's system time by a pvclock snapshot at guest TSC value TSC, in ns. */
uint64_t pvclock_ns(const struct vcpu_time_info *t, uint64_t tsc);
/* Xen's system time now by vCPU 0's pvclock in SHARED, in ns. */
uint64_t pvclock_now(const struct shared_info *shared);
/* The TSC's rate Xen's CPUID leaf 0x40000003 gives, in kHz. */
uint32_t tsc_khz(void);
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)val),
		     "d"((uint32_t)(val >> 32)) : "memory");
}

static inline void cpuid_count(uint32_t leaf, uint32_t subleaf,
			       uint32_t r[4])
{
	asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(subleaf));
}

static inline void cpuid(uint32_t leaf, uint32_t r[4])
{
	cpuid_count(leaf, 0, r);
}

/*
 * Event delivery, as a Linux guest sets it up: an IDT gate for VECTOR
 * and HVM_PARAM_CALLBACK_IRQ naming it; the upcall then scans SHARED's
 * 2-level bitmaps for vCPU 0 and counts each port it finds (below
 * EVENT_PORTS). Returns the set_param result.
 */
#define EVENT_PORTS	64
/* The vector to use: Linux's HYPERVISOR_CALLBACK_VECTOR. */
#define CALLBACK_VECTOR	0xf3
long events_init(struct shared_info *shared, uint8_t vector);
/* An interrupt gate for VECTOR to ENTRY, in the guest's IDT. */
void idt_set_gate(uint8_t vector, void (*entry)(void));
/* The local APIC's xAPIC registers, by offset, at 0xfee00000. */
#define LAPIC_BASE	0xfee00000u
static inline uint32_t lapic_read(uint32_t reg)
{
	return __atomic_load_n((uint32_t *)(LAPIC_BASE + reg),
			       __ATOMIC_SEQ_CST);
}

static inline void lapic_write(uint32_t reg, uint32_t val)
{
	__atomic_store_n((uint32_t *)(LAPIC_BASE + reg), val,
			 __ATOMIC_SEQ_CST);
}

/* The guest's IDT on this vCPU (each vCPU loads it). */
void idt_load(void);
/*
 * Another vCPU's start (entry.S), for VCPUOP_initialise: it runs
 * ap_main() with its vCPU ID (in EBX) on its stack (ESP), which a guest
 * starting vCPUs defines; it must not return.
 */
void ap_start(void);
void ap_main(unsigned int vcpu) __attribute__((noreturn));
/*
 * The real-mode start of a vCPU by INIT and SIPI (entry.S), to be copied
 * to the page the SIPI names; it goes on as ap_start() with SIPI_ESP
 * and SIPI_VCPU.
 */
extern const uint8_t sipi_trampoline[], sipi_trampoline_end[];
extern uint32_t sipi_esp, sipi_vcpu;
/* A test's interrupt handler for VECTOR, in slot 0 or 1 of two. */
void irq_handler_set(unsigned int slot, uint8_t vector, void (*handler)(void));
void irq_entry0(void);
void irq_entry1(void);
void irq_dispatch(unsigned int slot);
/*
 * RDMSR and WRMSR that report whether they raised #GP (the gate is set
 * at the first call), as Linux's rdmsr_safe().
 */
bool rdmsr_faults(uint32_t msr);
bool wrmsr_faults(uint32_t msr, uint64_t val);
/* XSETBV of VAL to XCR0, the same way. */
bool xsetbv_faults(uint64_t val);
void gp_entry(void);
extern unsigned int gp_faults;
/* The length of the instruction gp_entry skips. */
extern unsigned int gp_insn_len;
/* The callback vector's gate (entry.S), and the C it calls. */
void upcall_entry(void);
void upcall_handler(void);
/* Upcalls taken so far, and events seen on PORT. */
unsigned int upcall_count(void);
unsigned int event_count(unsigned int port);
static inline long event_channel_op(unsigned int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_event_channel_op, cmd,
			  (unsigned long)arg);
}

/* KTAP output: the plan, then one line per test. */
void ktap_plan(unsigned int tests);
void ktap_result(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Whether every result so far was ok. */
bool ktap_all_ok(void);

void *memset(void *s, int c, size_t n);
int strncmp(const char *a, const char *b, size_t n);
size_t strlen(const char *s);

#endif /* GUEST_H */
