// SPDX-License-Identifier: GPL-2.0
/*
 * The host's own descriptor tables. Each CPU has a GDT (code, data and
 * its TSS) and a TSS whose interrupt stacks take NMI, #DF and #MC; the
 * IDT is shared. The host runs with GIF clear, so NMIs normally wait
 * for dom0; the handlers are there for the cases that get through.
 */
#include <hv/cpu.h>
#include <hv/hv.h>
#include <hv/printk.h>
#include <hv/x86.h>

#define GDT_CODE64	0x00209b0000000000ull	/* present, DPL 0, L */
#define GDT_DATA	0x0000930000000000ull	/* present, writable */
#define TSS_AVAILABLE	0x89ull
#define IDT_VECTORS	32
#define GATE_INTERRUPT	0x8e

struct idt_gate {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
};

/* The frame hv_exception() gets from the stub in exception.S. */
struct exception_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rdi, rsi, rbp, rbx, rdx, rcx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;
};


static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));

void desc_prepare(void)
{
	unsigned int v;

	for (v = 0; v < IDT_VECTORS; v++) {
		u64 handler = (u64)exception_stubs + v * EXCEPTION_STUB_SIZE;

		idt[v] = (struct idt_gate){
			.offset_low = handler,
			.selector = HOST_CS,
			.ist = v == X86_EXC_NMI ? IST_NMI :
			       v == X86_EXC_DF ? IST_DF :
			       v == X86_EXC_MC ? IST_MC : 0,
			.type = GATE_INTERRUPT,
			.offset_mid = handler >> 16,
			.offset_high = handler >> 32,
		};
	}
}

void desc_cpu_prepare(struct hv_cpu *cpu)
{
	u64 tss = (u64)&cpu->tss, limit = sizeof(cpu->tss) - 1;
	unsigned int i;

	cpu->gdt[1] = GDT_CODE64;
	cpu->gdt[2] = GDT_DATA;
	cpu->gdt[3] = (limit & 0xffff) | (tss & 0xffffff) << 16 |
		      TSS_AVAILABLE << 40 | (tss >> 24 & 0xff) << 56;
	cpu->gdt[4] = tss >> 32;
	cpu->tss.iomap_base = sizeof(cpu->tss);
	/* A page each, above the main stack (see prepare_cpus()). */
	for (i = 0; i < IST_PAGES; i++)
		cpu->tss.ist[i] = cpu->host_stack_top + (i + 1) * PAGE_SIZE;
}

void desc_load_host(struct hv_cpu *cpu)
{
	struct desc_ptr gdt = { sizeof(cpu->gdt) - 1, (u64)cpu->gdt };
	struct desc_ptr idtr = { sizeof(idt) - 1, (u64)idt };

	load_gdt(&gdt);
	asm volatile("pushq %[cs]\n\t"
		     "leaq 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "lretq\n"
		     "1:\n\t"
		     "mov %[ds], %%ss\n\t"
		     "mov %[ds], %%ds\n\t"
		     "mov %[ds], %%es\n\t"
		     "ltr %[tr]"
		     : : [cs] "i"(HOST_CS), [ds] "r"(HOST_DS), [tr] "r"((u16)HOST_TSS)
		     : "rax", "memory");
	load_idt(&idtr);
}

u64 desc_host_idt_base(void)
{
	return (u64)idt;
}

struct hv_cpu *this_cpu(void)
{
	struct desc_ptr gdt;

	store_gdt(&gdt);
	return (struct hv_cpu *)(gdt.base - __builtin_offsetof(struct hv_cpu, gdt));
}

/*
 * An NMI or machine check in host mode is dom0's to handle: note it and
 * inject it at the next entry. Anything else is a hypervisor bug, and
 * the CPU stops with the evidence in the log.
 */
void hv_exception(struct exception_frame *f)
{
	struct hv_cpu *cpu = this_cpu();

	if (f->vector == X86_EXC_NMI) {
		cpu->pending_nmi = true;
		return;
	}
	if (f->vector == X86_EXC_MC) {
		cpu->pending_mc = true;
		hv_printk("kxen: CPU%u: machine check in host mode at %#llx, passed to dom0\n",
			  cpu->id, (unsigned long long)f->rip);
		return;
	}
	hv_printk("kxen: CPU%u: exception %llu (error %#llx) in the hypervisor at %#llx, cr2 %#llx, rsp %#llx; CPU stopped\n",
		  cpu->id, (unsigned long long)f->vector,
		  (unsigned long long)f->error, (unsigned long long)f->rip,
		  (unsigned long long)read_cr2(), (unsigned long long)f->rsp);
	cpu_halt_forever();
}
