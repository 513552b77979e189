/* SPDX-License-Identifier: GPL-2.0 */
/* The x86 instructions the hypervisor uses, and its exception vectors. */
#ifndef HV_X86_H
#define HV_X86_H

#include <kxen/types.h>
#include <hv/x86_arch.h>

#define X86_RFLAGS_FIXED	BIT_ULL(1)
#define X86_RFLAGS_TF		BIT_ULL(8)
#define X86_RFLAGS_IF		BIT_ULL(9)

#define X86_EXC_DB		1
#define X86_EXC_NMI		2
#define X86_EXC_UD		6
#define X86_EXC_DF		8
#define X86_EXC_GP		13
#define X86_EXC_PF		14
#define X86_EXC_AC		17
#define X86_EXC_MC		18

struct desc_ptr {
	u16 limit;
	u64 base;
} __attribute__((packed));

/*
 * A GDT descriptor's fields: its limit in bytes (granularity applied),
 * the low 32 bits of its base (all of it for code and data; system
 * descriptors add the next quadword's low half), its access byte (type,
 * S, DPL, P) and its flags nibble (AVL, L, D/B, G).
 */
static inline u32 desc_limit(u64 desc)
{
	u32 limit = (desc & 0xffff) | (desc >> 32 & 0xf0000);

	return (desc & BIT_ULL(55)) ? limit << 12 | 0xfff : limit;
}

static inline u32 desc_base(u64 desc)
{
	return (desc >> 16 & 0xffffff) | (desc >> 56 & 0xff) << 24;
}

static inline u32 desc_access(u64 desc)
{
	return desc >> 40 & 0xff;
}

static inline u32 desc_flags(u64 desc)
{
	return desc >> 52 & 0xf;
}

/*
 * The GDT entry of SELECTOR, BYTES long (16 for system descriptors), or
 * NULL for a null selector or one beyond the GDT's limit.
 */
static inline const u64 *gdt_entry(const struct desc_ptr *gdt, u16 selector,
				   unsigned int bytes)
{
	if (!(selector & ~3u) || (selector & ~7u) + bytes - 1 > gdt->limit)
		return NULL;
	return (const u64 *)(gdt->base + (selector & ~7u));
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return lo | (u64)hi << 32;
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

static inline void wrmsr(u32 msr, u64 val)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32))
		     : "memory");
}

static inline void cpuid_count(u32 leaf, u32 subleaf, u32 regs[4])
{
	asm volatile("cpuid"
		     : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]), "=d"(regs[3])
		     : "a"(leaf), "c"(subleaf));
}

static inline u32 cpuid_ebx(u32 leaf, u32 subleaf)
{
	u32 regs[4];

	cpuid_count(leaf, subleaf, regs);
	return regs[1];
}

static inline u32 cpuid_edx(u32 leaf)
{
	u32 regs[4];

	cpuid_count(leaf, 0, regs);
	return regs[3];
}

#define DEFINE_CR_ACCESS(n)						\
static inline u64 read_cr##n(void)					\
{									\
	u64 val;							\
									\
	asm volatile("mov %%cr" #n ", %0" : "=r"(val));			\
	return val;							\
}									\
static inline void write_cr##n(u64 val)					\
{									\
	asm volatile("mov %0, %%cr" #n : : "r"(val) : "memory");	\
}
DEFINE_CR_ACCESS(0)
DEFINE_CR_ACCESS(2)
DEFINE_CR_ACCESS(3)
DEFINE_CR_ACCESS(4)

#define DEFINE_DR_ACCESS(n)						\
static inline u64 read_dr##n(void)					\
{									\
	u64 val;							\
									\
	asm volatile("mov %%db" #n ", %0" : "=r"(val));			\
	return val;							\
}									\
static inline void write_dr##n(u64 val)					\
{									\
	asm volatile("mov %0, %%db" #n : : "r"(val));			\
}
DEFINE_DR_ACCESS(0)
DEFINE_DR_ACCESS(1)
DEFINE_DR_ACCESS(2)
DEFINE_DR_ACCESS(3)
DEFINE_DR_ACCESS(6)
DEFINE_DR_ACCESS(7)

/* DR0-3 of one context (dom0 or a guest vCPU) replace the other's. */
static inline void swap_debug_registers(u64 *save, const u64 *load)
{
	save[0] = read_dr0();
	save[1] = read_dr1();
	save[2] = read_dr2();
	save[3] = read_dr3();
	write_dr0(load[0]);
	write_dr1(load[1]);
	write_dr2(load[2]);
	write_dr3(load[3]);
}

/*
 * Flushes every TLB entry of the current address space tag, global ones
 * and all PCIDs included: any change of CR4.PGE does. The host and bare
 * Linux share a tag (VPID 0, ASID 0) that Linux used before kxen came,
 * and dom0's own flushes never reached it.
 */
static inline void flush_tlb_everything(void)
{
	u64 cr4 = read_cr4();

	write_cr4(cr4 ^ CR4_PGE);
	write_cr4(cr4);
}

static inline void store_gdt(struct desc_ptr *dt)
{
	asm volatile("sgdt %0" : "=m"(*dt));
}

static inline void store_idt(struct desc_ptr *dt)
{
	asm volatile("sidt %0" : "=m"(*dt));
}

static inline void load_gdt(const struct desc_ptr *dt)
{
	asm volatile("lgdt %0" : : "m"(*dt));
}

static inline void load_idt(const struct desc_ptr *dt)
{
	asm volatile("lidt %0" : : "m"(*dt));
}

static inline u64 read_rflags(void)
{
	u64 flags;

	asm volatile("pushfq; popq %0" : "=r"(flags));
	return flags;
}

#define DEFINE_SEG_READ(seg)						\
static inline u16 read_##seg(void)					\
{									\
	u16 sel;							\
									\
	asm volatile("mov %%" #seg ", %0" : "=rm"(sel));		\
	return sel;							\
}
DEFINE_SEG_READ(cs)
DEFINE_SEG_READ(ss)
DEFINE_SEG_READ(ds)
DEFINE_SEG_READ(es)
DEFINE_SEG_READ(fs)
DEFINE_SEG_READ(gs)

static inline u16 store_tr(void)
{
	u16 sel;

	asm volatile("str %0" : "=rm"(sel));
	return sel;
}

static inline u16 store_ldt(void)
{
	u16 sel;

	asm volatile("sldt %0" : "=rm"(sel));
	return sel;
}

static inline void load_tr(u16 sel)
{
	asm volatile("ltr %0" : : "rm"(sel) : "memory");
}

static inline void load_fs_gs(u16 fs, u16 gs)
{
	asm volatile("mov %0, %%fs; mov %1, %%gs" : : "rm"(fs), "rm"(gs));
}

static inline u64 xgetbv(u32 index)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(index));
	return (u64)hi << 32 | lo;
}

/*
 * Whether XSETBV takes VAL into XCR0 on a CPU with the SUPPORTED
 * components: x87 always; AVX needs SSE; AVX-512's three parts go
 * together and need AVX; MPX's two go together.
 */
static inline bool xcr0_valid(u64 val, u64 supported)
{
	return (val & XCR0_X87) && !(val & ~supported) &&
	       (!(val & XCR0_AVX) || (val & XCR0_SSE)) &&
	       (!(val & XCR0_AVX512) ||
		(val & (XCR0_AVX512 | XCR0_AVX)) == (XCR0_AVX512 | XCR0_AVX)) &&
	       (!(val & XCR0_MPX) || (val & XCR0_MPX) == XCR0_MPX);
}

static inline void xsetbv(u32 index, u64 val)
{
	asm volatile("xsetbv" : : "c"(index), "a"((u32)val),
		     "d"((u32)(val >> 32)));
}

static inline void wbinvd(void)
{
	asm volatile("wbinvd" : : : "memory");
}

static inline void port_write8(u16 port, u8 val)
{
	asm volatile("outb %0, %1" : : "a"(val), "Nd"(port));
}

static inline u8 port_read8(u16 port)
{
	u8 val;

	asm volatile("inb %1, %0" : "=a"(val) : "Nd"(port));
	return val;
}

static inline void cpu_relax(void)
{
	__builtin_ia32_pause();
}

/* Stops this CPU for good: a hypervisor bug leaves nothing to return to. */
static inline __attribute__((noreturn)) void cpu_halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

/* Resets the machine as a triple fault on bare metal would. */
static inline __attribute__((noreturn)) void machine_reset(void)
{
	port_write8(0xcf9, 0x02);
	port_write8(0xcf9, 0x06);	/* PCI reset control: hard reset */
	cpu_halt_forever();
}

#endif /* HV_X86_H */
