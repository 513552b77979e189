// SPDX-License-Identifier: GPL-2.0
/*
 * AMD SVM: turning the running Linux into dom0 and back, and handling its
 * exits. Dom0 runs with few intercepts: CPUID, VMMCALL, the MSRs that
 * would reveal or break SVM, the SVM instructions, SHUTDOWN, and #AC and
 * #DB (without those two a guest can hang the CPU: CVE-2015-5307 and
 * CVE-2015-8104). Interrupts and NMIs go straight to dom0's IDT.
 *
 * The lab's CPU (QEMU) has no NRIPS, so the length of every emulated
 * instruction is known here; with NRIPS the CPU's next RIP is used.
 */
#include <hv/errno.h>
#include <hv/foreign.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/printk.h>
#include <hv/vcpu_ops.h>
#include <hv/x86.h>
#include <hv/x86_paging.h>
#include <hv/xen.h>
#include "vmcb.h"

#define MSRPM_PAGES		2
#define DOM0_ASID		1

#define LEN_CPUID		2
#define LEN_VMMCALL		3
#define LEN_RDMSR_WRMSR		2

static u8 *msrpm;
static u64 msrpm_pa;

static void svm_vmload(u64 pa)
{
	asm volatile("vmload %%rax" : : "a"(pa) : "memory");
}

static void svm_vmsave(u64 pa)
{
	asm volatile("vmsave %%rax" : : "a"(pa) : "memory");
}

/* Both the read and the write of MSR exit. */
static void intercept_msr(u32 msr)
{
	static const struct { u32 first; u32 offset; } ranges[] = {
		{ 0x00000000, 0x0000 },
		{ 0xc0000000, 0x0800 },
		{ 0xc0010000, 0x1000 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		u32 index = msr - ranges[i].first;

		if (index < 0x2000) {
			msrpm[ranges[i].offset + index / 4] |= 3 << (index % 4 * 2);
			return;
		}
	}
}

static int svm_prepare(void)
{
	msrpm = pages_alloc(&hv_pool, MSRPM_PAGES);
	if (!msrpm)
		return -ENOMEM;
	msrpm_pa = page_pool_pa(&hv_pool, msrpm);
	intercept_msr(MSR_EFER);
	intercept_msr(MSR_VM_CR);
	intercept_msr(MSR_VM_HSAVE_PA);
	intercept_msr(MSR_HYPERCALL_PAGE);
	return 0;
}

static int svm_cpu_prepare(struct hv_cpu *cpu)
{
	void *vmcb = page_alloc(&hv_pool);
	void *host_vmcb = page_alloc(&hv_pool);
	void *hsave = page_alloc(&hv_pool);

	if (!vmcb || !host_vmcb || !hsave)
		return -ENOMEM;
	cpu->vmcb = vmcb;
	cpu->vmcb_pa = page_pool_pa(&hv_pool, vmcb);
	cpu->host_vmcb_pa = page_pool_pa(&hv_pool, host_vmcb);
	cpu->hsave_pa = page_pool_pa(&hv_pool, hsave);
	return 0;
}

/* A segment register as the VMCB holds it, from its GDT descriptor. */
static void capture_segment(struct vmcb_seg *seg, u16 selector,
			    const struct desc_ptr *gdt)
{
	const u64 *entry = gdt_entry(gdt, selector, 8);

	*seg = (struct vmcb_seg){ .selector = selector };
	if (!entry)
		return;				/* null: no attributes */
	seg->attrib = desc_access(*entry) | desc_flags(*entry) << 8;
	seg->limit = desc_limit(*entry);
	seg->base = desc_base(*entry);
}

/* Linux's state, as it is now, becomes the guest's. */
static void capture_linux(struct hv_cpu *cpu, u64 efer)
{
	struct vmcb *vmcb = cpu->vmcb;
	struct vmcb_save *s = &vmcb->save;
	struct desc_ptr gdt, idt;

	store_gdt(&gdt);
	store_idt(&idt);
	capture_segment(&s->cs, read_cs(), &gdt);
	capture_segment(&s->ss, read_ss(), &gdt);
	capture_segment(&s->ds, read_ds(), &gdt);
	capture_segment(&s->es, read_es(), &gdt);
	s->gdtr.base = gdt.base;
	s->gdtr.limit = gdt.limit;
	s->idtr.base = idt.base;
	s->idtr.limit = idt.limit;
	s->cpl = 0;
	s->efer = efer | EFER_SVME;	/* VMRUN requires it; dom0 never sees it */
	s->cr0 = read_cr0();
	s->cr2 = read_cr2();
	s->cr3 = read_cr3();
	s->cr4 = read_cr4();
	s->dr6 = read_dr6();
	s->dr7 = read_dr7();
	s->g_pat = rdmsr(MSR_PAT);
	s->rflags = cpu->entry_rflags;
	s->rip = cpu->entry_rip;
	s->rsp = cpu->entry_rsp;
	s->rax = 0;			/* hv_cpu_enter() returns 0 */
	/* FS, GS, TR, LDTR, KERNEL_GS_BASE and the syscall MSRs. */
	svm_vmsave(cpu->vmcb_pa);
}

static void setup_control(struct hv_cpu *cpu)
{
	struct vmcb_control *c = &((struct vmcb *)cpu->vmcb)->control;

	c->intercept_exceptions = BIT(X86_EXC_DB) | BIT(X86_EXC_AC);
	c->intercept_misc1 = INTERCEPT_CPUID | INTERCEPT_MSR_PROT |
			     INTERCEPT_SHUTDOWN;
	c->intercept_misc2 = INTERCEPT2_VMRUN | INTERCEPT2_VMMCALL |
			     INTERCEPT2_VMLOAD | INTERCEPT2_VMSAVE |
			     INTERCEPT2_STGI | INTERCEPT2_CLGI |
			     INTERCEPT2_SKINIT;
	c->msrpm_base_pa = msrpm_pa;
	c->asid = DOM0_ASID;
	/* Entries of an earlier kxen (or KVM) may still carry this ASID. */
	c->tlb_control = TLB_CONTROL_FLUSH_ALL;
	c->nested_control = NESTED_CONTROL_NP_ENABLE;
	c->nested_cr3 = dom0_p2m.root_pa;
}

/* The VMRUN loop (entry.S): runs dom0 until it leaves, then returns to it. */
void __attribute__((noreturn)) svm_run(struct hv_cpu *cpu);

static int svm_cpu_enter(struct hv_cpu *cpu)
{
	u64 efer = rdmsr(MSR_EFER);

	if (efer & EFER_SVME)
		return -EBUSY;		/* someone (KVM) uses SVM already */
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS)
		return -EPERM;
	wrmsr(MSR_EFER, efer | EFER_SVME);
	asm volatile("clgi");		/* NMIs wait until dom0 runs */
	wrmsr(MSR_VM_HSAVE_PA, cpu->hsave_pa);
	capture_linux(cpu, efer);
	setup_control(cpu);
	desc_load_host(cpu);
	write_cr3(host_page_table.root_pa);
	flush_tlb_everything();
	svm_vmsave(cpu->host_vmcb_pa);
	hv_printk("kxen: CPU%u: Linux is now dom0\n", cpu->id);
	svm_run(cpu);
}

static void inject(struct vmcb *vmcb, u64 event)
{
	if (!(vmcb->control.event_inject & EVENT_INJECT_VALID))
		vmcb->control.event_inject = event | EVENT_INJECT_VALID;
}

static void inject_exception(struct vmcb *vmcb, unsigned int vector)
{
	inject(vmcb, EVENT_INJECT_EXCEPTION | vector);
}

static void inject_exception_error(struct vmcb *vmcb, unsigned int vector,
				   u32 error)
{
	inject(vmcb, EVENT_INJECT_EXCEPTION | EVENT_INJECT_ERR_VALID |
		     (u64)error << 32 | vector);
}

/* Past an emulated instruction of LEN bytes; a single step traps after it. */
static void skip_instruction(struct vmcb *vmcb, unsigned int len)
{
	vmcb->save.rip = hv_nrips ? vmcb->control.next_rip : vmcb->save.rip + len;
	vmcb->control.interrupt_shadow = 0;
	if (vmcb->save.rflags & X86_RFLAGS_TF) {
		vmcb->save.dr6 |= BIT(14);	/* DR6.BS */
		inject_exception(vmcb, X86_EXC_DB);
	}
}

/* The MSRs that would reveal or break SVM; the rest pass through. */
static int svm_msr(struct hv_cpu *cpu, u32 msr, bool write, u64 *val)
{
	struct vmcb *vmcb = cpu->vmcb;

	switch (msr) {
	case MSR_EFER:
		if (!write) {
			*val = vmcb->save.efer & ~EFER_SVME;
			return 0;
		}
		if (*val & EFER_SVME)
			return -EPERM;
		vmcb->save.efer = *val | EFER_SVME;
		return 0;
	case MSR_VM_CR:
		/*
		 * Linux decided at boot that SVM exists; to KVM and Linux's
		 * emergency paths SVM now looks disabled by firmware, which
		 * also forbids setting EFER.SVME.
		 */
		if (write)
			return -EPERM;
		*val = VM_CR_SVMDIS | VM_CR_LOCK;
		return 0;
	case MSR_VM_HSAVE_PA:
		/* Kept but unused: Linux clears it on its way down. */
		if (write)
			cpu->guest_hsave_pa = *val;
		else
			*val = cpu->guest_hsave_pa;
		return 0;
	default:
		return -EPERM;
	}
}

static __attribute__((noreturn)) void fatal_exit(struct hv_cpu *cpu,
						 const char *what)
{
	struct vmcb *vmcb = cpu->vmcb;

	hv_printk("kxen: CPU%u: %s: exit %#llx info %#llx %#llx at rip %#llx; CPU stopped\n",
		  cpu->id, what, (unsigned long long)vmcb->control.exit_code,
		  (unsigned long long)vmcb->control.exit_info_1,
		  (unsigned long long)vmcb->control.exit_info_2,
		  (unsigned long long)vmcb->save.rip);
	cpu_halt_forever();
}

/* Dom0 triple-faulted: log it, then reset the machine as the fault would. */
static __attribute__((noreturn)) void dom0_shutdown(struct hv_cpu *cpu)
{
	struct vmcb *vmcb = cpu->vmcb;

	hv_printk("kxen: CPU%u: dom0 triple fault at rip %#llx rsp %#llx cr2 %#llx, exit interrupt info %#llx; resetting the machine\n",
		  cpu->id, (unsigned long long)vmcb->save.rip,
		  (unsigned long long)vmcb->save.rsp,
		  (unsigned long long)vmcb->save.cr2,
		  (unsigned long long)vmcb->control.exit_int_info);
	machine_reset();
}

static enum kxen_exit_reason handle_exit(struct hv_cpu *cpu,
					 struct vmcb *vmcb, u32 code)
{
	switch (code) {
	case SVM_EXIT_CPUID:
		cpuid_emulate(cpu);
		skip_instruction(vmcb, LEN_CPUID);
		return KXEN_EXIT_CPUID;
	case SVM_EXIT_VMMCALL:
		hypercall(cpu);
		skip_instruction(vmcb, LEN_VMMCALL);
		return KXEN_EXIT_HYPERCALL;
	case SVM_EXIT_MSR:
		if (msr_emulate(cpu, vmcb->control.exit_info_1 & 1, svm_msr))
			inject_exception_error(vmcb, X86_EXC_GP, 0);
		else
			skip_instruction(vmcb, LEN_RDMSR_WRMSR);
		return KXEN_EXIT_MSR;
	case SVM_EXIT_EXCEPTION(X86_EXC_DB):
		inject_exception(vmcb, X86_EXC_DB);
		return KXEN_EXIT_EXCEPTION;
	case SVM_EXIT_EXCEPTION(X86_EXC_AC):
		inject_exception_error(vmcb, X86_EXC_AC,
				       vmcb->control.exit_info_1);
		return KXEN_EXIT_EXCEPTION;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
		inject_exception(vmcb, X86_EXC_UD);
		return KXEN_EXIT_VIRT_INSN;
	case SVM_EXIT_NPF:
		/* Only beyond what the nested tables can address. */
		hv_printk("kxen: CPU%u: dom0 touched unmappable %#llx at rip %#llx\n",
			  cpu->id, (unsigned long long)vmcb->control.exit_info_2,
			  (unsigned long long)vmcb->save.rip);
		inject_exception_error(vmcb, X86_EXC_GP, 0);
		return KXEN_EXIT_NPF;
	case SVM_EXIT_SHUTDOWN:
		dom0_shutdown(cpu);
	case SVM_EXIT_INVALID:
		fatal_exit(cpu, "VMRUN refused dom0's state");
	default:
		fatal_exit(cpu, "unexpected exit");
	}
}

/* Called by the exit stub; returns nonzero when dom0 asked to leave. */
int svm_handle_exit(struct hv_cpu *cpu)
{
	struct vmcb *vmcb = cpu->vmcb;
	u32 code = vmcb->control.exit_code;

	vmcb->control.tlb_control = 0;
	vmcb->control.event_inject = 0;
	/* An event cut short by the exit is delivered again first. */
	if (vmcb->control.exit_int_info & EVENT_INJECT_VALID)
		vmcb->control.event_inject = vmcb->control.exit_int_info;

	cpu->regs[REG_RAX] = vmcb->save.rax;
	cpu->guest_cpl = vmcb->save.cpl;
	cpu->guest_cr3 = vmcb->save.cr3;
	cpu->guest_cr4 = vmcb->save.cr4;
	cpu->exits[handle_exit(cpu, vmcb, code)]++;
	vmcb->save.rax = cpu->regs[REG_RAX];

	if (cpu->pending_mc) {
		cpu->pending_mc = false;
		inject_exception(vmcb, X86_EXC_MC);
	} else if (cpu->pending_nmi) {
		cpu->pending_nmi = false;
		inject(vmcb, EVENT_INJECT_NMI | X86_EXC_NMI);
	}
	if (foreign_flush_due(cpu->id))
		vmcb->control.tlb_control = TLB_CONTROL_FLUSH_ALL;
	return cpu->leaving;
}

/*
 * Leaving: Linux's own state goes back onto the CPU, except what the exit
 * stub restores itself (data segments, GPRs, GIF, EFER.SVME). Linux's
 * TR comes back by VMLOAD, hidden state and all, so its busy TSS
 * descriptor in the read-only GDT is never touched.
 */
void svm_restore_linux(struct hv_cpu *cpu)
{
	struct vmcb_save *s = &((struct vmcb *)cpu->vmcb)->save;
	struct desc_ptr gdt = { s->gdtr.limit, s->gdtr.base };
	struct desc_ptr idt = { s->idtr.limit, s->idtr.base };

	hv_printk("kxen: CPU%u: back to bare Linux\n", cpu->id);
	svm_vmload(cpu->vmcb_pa);
	wrmsr(MSR_PAT, s->g_pat);
	write_cr2(s->cr2);
	write_dr6(s->dr6);
	write_dr7(s->dr7);
	load_gdt(&gdt);
	load_idt(&idt);
	write_cr0(s->cr0);
	write_cr4(s->cr4);
	write_cr3(s->cr3);
	flush_tlb_everything();
	wrmsr(MSR_EFER, s->efer);	/* SVME goes after STGI, in the stub */
	cpu->leave_frame[0] = s->rip;
	cpu->leave_frame[1] = s->cs.selector;
	cpu->leave_frame[2] = s->rflags;
	cpu->leave_frame[3] = s->rsp;
	cpu->leave_frame[4] = s->ss.selector;
	cpu->leave_ds = s->ds.selector;
	cpu->leave_es = s->es.selector;
	cpu->regs[REG_RAX] = s->rax;
	cpu->leaving = false;
}

static long svm_read_state(struct hv_cpu *cpu, u64 buf, u64 size)
{
	if (size < PAGE_SIZE)
		return -XEN_EINVAL;
	if (copy_to_guest(cpu, buf, cpu->vmcb, PAGE_SIZE))
		return -XEN_EFAULT;
	return PAGE_SIZE;
}

const struct vcpu_ops svm_ops = {
	.name = "AMD SVM",
	.p2m_format = &npt_format,
	.hypercall_insn = { 0x0f, 0x01, 0xd9 },	/* vmmcall */
	.prepare = svm_prepare,
	.cpu_prepare = svm_cpu_prepare,
	.cpu_enter = svm_cpu_enter,
	.read_state = svm_read_state,
};
