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
#include <dm/mmio.h>
#include <hv/errno.h>
#include <hv/domain.h>
#include <hv/event_channel.h>
#include <hv/foreign.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/vcpu_ops.h>
#include <hv/vcpu_run.h>
#include <hv/x86.h>
#include <hv/x86_paging.h>
#include <hv/xen.h>
#include <xen/sched.h>
#include "vmcb.h"

#define MSRPM_PAGES		2
#define IOPM_PAGES		3
#define DOM0_ASID		1
/* One ASID for every guest vCPU: each run starts with a flush of it. */
#define GUEST_ASID		2

#define LEN_CPUID		2
#define LEN_VMMCALL		3
#define LEN_RDMSR_WRMSR		2
#define LEN_HLT			1
#define LEN_INVD		2
#define LEN_XSETBV		3

static u8 *msrpm;
static u64 msrpm_pa;
/* Guests': every MSR exits but those VMLOAD switches; every port exits. */
static u8 *guest_msrpm;
static u64 guest_msrpm_pa, guest_iopm_pa;
static bool flush_by_asid;

static void svm_vmload(u64 pa)
{
	asm volatile("vmload %%rax" : : "a"(pa) : "memory");
}

static void svm_vmsave(u64 pa)
{
	asm volatile("vmsave %%rax" : : "a"(pa) : "memory");
}

/* Whether the read and the write of MSR exit, in permission map MAP. */
static void intercept_msr(u8 *map, u32 msr, bool on)
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
			u8 bits = 3 << (index % 4 * 2);

			if (on)
				map[ranges[i].offset + index / 4] |= bits;
			else
				map[ranges[i].offset + index / 4] &= ~bits;
			return;
		}
	}
}

/* The MSRs a guest's VMCB holds, which VMLOAD and VMRUN switch. */
static const u32 guest_vmcb_msrs[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR,
	MSR_CSTAR, MSR_SFMASK, MSR_SYSENTER_CS, MSR_SYSENTER_ESP,
	MSR_SYSENTER_EIP,
};

static int svm_prepare(void)
{
	u8 *iopm = pages_alloc(&hv_pool, IOPM_PAGES);
	unsigned int i;

	msrpm = pages_alloc(&hv_pool, MSRPM_PAGES);
	guest_msrpm = pages_alloc(&hv_pool, MSRPM_PAGES);
	if (!msrpm || !guest_msrpm || !iopm)
		return -ENOMEM;
	msrpm_pa = page_pool_pa(&hv_pool, msrpm);
	intercept_msr(msrpm, MSR_EFER, true);
	intercept_msr(msrpm, MSR_VM_CR, true);
	intercept_msr(msrpm, MSR_VM_HSAVE_PA, true);
	intercept_msr(msrpm, MSR_HYPERCALL_PAGE, true);
	memset(guest_msrpm, 0xff, MSRPM_PAGES * PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(guest_vmcb_msrs); i++)
		intercept_msr(guest_msrpm, guest_vmcb_msrs[i], false);
	guest_msrpm_pa = page_pool_pa(&hv_pool, guest_msrpm);
	memset(iopm, 0xff, IOPM_PAGES * PAGE_SIZE);
	guest_iopm_pa = page_pool_pa(&hv_pool, iopm);
	flush_by_asid = cpuid_edx(CPUID_LEAF_SVM) & CPUID_SVM_FLUSH_BY_ASID;
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
	cpu->dom0_vmcb = vmcb;
	cpu->dom0_vmcb_pa = cpu->vmcb_pa;
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

/*
 * A guest vCPU's VMCB: it runs on its own p2m and ASID, and exits for
 * what would reach the host or needs the hypervisor: physical interrupts
 * and NMIs (for dom0), CPUID, hypercalls, HLT, XSETBV, INVD, every port
 * and every MSR but those the VMCB holds, the SVM instructions, #DB and
 * #AC (as for dom0), and a triple fault.
 */
static int svm_vcpu_create(struct vcpu *v)
{
	struct vmcb *vmcb = page_alloc(&hv_pool);
	struct vmcb_control *c;

	if (!vmcb)
		return -ENOMEM;
	c = &vmcb->control;
	c->intercept_exceptions = BIT(X86_EXC_DB) | BIT(X86_EXC_AC);
	c->intercept_misc1 = INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_CPUID |
			     INTERCEPT_INVD | INTERCEPT_HLT |
			     INTERCEPT_IOIO_PROT | INTERCEPT_MSR_PROT |
			     INTERCEPT_SHUTDOWN;
	c->intercept_misc2 = INTERCEPT2_VMRUN | INTERCEPT2_VMMCALL |
			     INTERCEPT2_VMLOAD | INTERCEPT2_VMSAVE |
			     INTERCEPT2_STGI | INTERCEPT2_CLGI |
			     INTERCEPT2_SKINIT | INTERCEPT2_XSETBV;
	c->iopm_base_pa = guest_iopm_pa;
	c->msrpm_base_pa = guest_msrpm_pa;
	c->asid = GUEST_ASID;
	c->vintr = VINTR_MASKING;
	c->nested_control = NESTED_CONTROL_NP_ENABLE;
	c->nested_cr3 = v->domain->p2m.root_pa;
	v->ctl = vmcb;
	v->ctl_pa = page_pool_pa(&hv_pool, vmcb);
	return 0;
}

/*
 * Xen's CPU save record keeps the eight segments' selectors, limits,
 * bases and attributes as four arrays in this order (its ABI).
 */
#define SAVE_SEGMENTS	8
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, ldtr_sel) ==
	       __builtin_offsetof(struct hvm_hw_cpu, cs_sel) + 7 * 4, "sel");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, ldtr_limit) ==
	       __builtin_offsetof(struct hvm_hw_cpu, cs_limit) + 7 * 4, "limit");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, ldtr_base) ==
	       __builtin_offsetof(struct hvm_hw_cpu, cs_base) + 7 * 8, "base");
_Static_assert(__builtin_offsetof(struct hvm_hw_cpu, ldtr_arbytes) ==
	       __builtin_offsetof(struct hvm_hw_cpu, cs_arbytes) + 7 * 4, "ar");

/* The VMCB's segment at index I of Xen's save record. */
static struct vmcb_seg *save_segment(struct vmcb_save *s, unsigned int i)
{
	struct vmcb_seg *segs[SAVE_SEGMENTS] = {
		&s->cs, &s->ds, &s->es, &s->fs, &s->gs, &s->ss, &s->tr, &s->ldtr,
	};

	return segs[i];
}

/* The state sethvmcontext gave V, as its VMCB's guest state. */
static void load_from_regs(struct vcpu *v)
{
	const struct hvm_hw_cpu *r = &v->regs;
	struct vmcb_save *s = &((struct vmcb *)v->ctl)->save;
	unsigned int i;

	/* Xen's save records keep SVM's attribute format. */
	for (i = 0; i < SAVE_SEGMENTS; i++)
		*save_segment(s, i) = (struct vmcb_seg){
			.selector = (&r->cs_sel)[i],
			.attrib = (&r->cs_arbytes)[i],
			.limit = (&r->cs_limit)[i],
			.base = (&r->cs_base)[i],
		};
	s->gdtr = (struct vmcb_seg){ .limit = r->gdtr_limit,
				     .base = r->gdtr_base };
	s->idtr = (struct vmcb_seg){ .limit = r->idtr_limit,
				     .base = r->idtr_base };
	s->cpl = (r->ss_arbytes >> 5) & 3;	/* SS.DPL */
	s->efer = r->msr_efer | EFER_SVME;
	s->cr0 = r->cr0;
	s->cr2 = r->cr2;
	s->cr3 = r->cr3;
	s->cr4 = r->cr4;
	s->dr6 = r->dr6;
	s->dr7 = r->dr7;
	s->rflags = r->rflags | X86_RFLAGS_FIXED;
	s->rip = r->rip;
	s->rsp = r->rsp;
	s->star = r->msr_star;
	s->lstar = r->msr_lstar;
	s->cstar = r->msr_cstar;
	s->sfmask = r->msr_syscall_mask;
	s->kernel_gs_base = r->shadow_gs;
	s->sysenter_cs = r->sysenter_cs;
	s->sysenter_esp = r->sysenter_esp;
	s->sysenter_eip = r->sysenter_eip;
	s->g_pat = v->pat;
	v->dr[0] = r->dr0;
	v->dr[1] = r->dr1;
	v->dr[2] = r->dr2;
	v->dr[3] = r->dr3;
}

/*
 * The state V's VMCB holds after its last run, into R: load_from_regs()
 * the other way. (RAX is the vCPU's copy: the last exit may have
 * changed it after the VMCB's.)
 */
static void svm_vcpu_save(struct hv_cpu *cpu, struct vcpu *v,
			  struct hvm_hw_cpu *r)
{
	struct vmcb_save *s = &((struct vmcb *)v->ctl)->save;
	const struct vmcb_seg *seg;
	unsigned int i;

	(void)cpu;
	for (i = 0; i < SAVE_SEGMENTS; i++) {
		seg = save_segment(s, i);
		(&r->cs_sel)[i] = seg->selector;
		(&r->cs_arbytes)[i] = seg->attrib;
		(&r->cs_limit)[i] = seg->limit;
		(&r->cs_base)[i] = seg->base;
	}
	r->gdtr_limit = s->gdtr.limit;
	r->gdtr_base = s->gdtr.base;
	r->idtr_limit = s->idtr.limit;
	r->idtr_base = s->idtr.base;
	r->msr_efer = s->efer & ~EFER_SVME;
	r->cr0 = s->cr0;
	r->cr2 = s->cr2;
	r->cr3 = s->cr3;
	r->cr4 = s->cr4;
	r->dr6 = s->dr6;
	r->dr7 = s->dr7;
	r->rflags = s->rflags;
	r->rip = s->rip;
	r->rsp = s->rsp;
	r->msr_star = s->star;
	r->msr_lstar = s->lstar;
	r->msr_cstar = s->cstar;
	r->msr_syscall_mask = s->sfmask;
	r->shadow_gs = s->kernel_gs_base;
	r->sysenter_cs = s->sysenter_cs;
	r->sysenter_esp = s->sysenter_esp;
	r->sysenter_eip = s->sysenter_eip;
}

static void svm_set_guest_pat(struct hv_cpu *cpu)
{
	((struct vmcb *)cpu->vmcb)->save.g_pat = cpu->vcpu->pat;
}

/*
 * The MSRs a guest's VMCB does not hold that it may use: EFER
 * (msr_emulate() does Xen's hypercall page and PAT), and AMD's memory
 * and SVM configuration, which read as 0 as on Xen (Linux reads SYSCFG
 * without a fixup); the rest are #GP.
 */
static int svm_guest_msr(struct hv_cpu *cpu, u32 msr, bool write, u64 *val)
{
	struct vmcb *vmcb = cpu->vmcb;
	u64 efer_bits = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | EFER_FFXSE;

	switch (msr) {
	case MSR_EFER:
		if (!write) {
			*val = vmcb->save.efer & ~EFER_SVME;
			return 0;
		}
		if (*val & ~efer_bits)
			return -EPERM;
		/* LMA is the CPU's to set. */
		vmcb->save.efer = (*val & ~EFER_LMA) |
				  (vmcb->save.efer & EFER_LMA) | EFER_SVME;
		return 0;
	case MSR_AMD_SYSCFG:
	case MSR_AMD_TOP_MEM1:
	case MSR_AMD_TOP_MEM2:
	case MSR_VM_CR:
	case MSR_AMD_EX_CFG:
		if (write)
			return -EPERM;
		*val = 0;
		return 0;
	default:
		return -EPERM;
	}
}

/*
 * A nested page fault: the guest touched guest-physical memory with no
 * RAM, which guest_mmio() hands to the device there.
 */
static void svm_guest_mmio(struct hv_cpu *cpu, struct vmcb *vmcb)
{
	struct insn_site site = {
		.rip = vmcb->save.rip,
		.cs_base = vmcb->save.cs.base,
		.mode = cpu->guest_long_mode ? INSN_MODE_64 :
			(vmcb->save.cs.attrib & SEG_ATTRIB_DB) ? INSN_MODE_32 :
								 INSN_MODE_16,
	};
	u64 next_rip;

	cpu->regs[REG_RSP] = vmcb->save.rsp;
	if (guest_mmio(cpu, vmcb->control.exit_info_2, &site, &next_rip)) {
		vmcb->save.rsp = cpu->regs[REG_RSP];
		vmcb->save.rip = next_rip;
	}
}

static void svm_guest_port_io(struct hv_cpu *cpu, struct vmcb *vmcb)
{
	u64 info = vmcb->control.exit_info_1;

	if (vcpu_port_io(cpu, info >> 16, (info >> IOIO_SIZE_SHIFT) & 7,
			 info & IOIO_IN, info & IOIO_STRING, vmcb->save.rip))
		vmcb->save.rip = vmcb->control.exit_info_2;	/* the next RIP */
}

static void guest_exit(struct hv_cpu *cpu, struct vmcb *vmcb, u32 code)
{
	u64 val;

	switch (code) {
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
	case SVM_EXIT_SMI:
		/* Dom0's: it takes them once it runs again. */
		vcpu_stop(cpu, KXEN_RUN_PREEMPTED);
		return;
	case SVM_EXIT_VINTR:
		return;		/* the guest can take its upcall: at entry */
	case SVM_EXIT_VMMCALL:
		if (guest_hypercall(cpu))
			skip_instruction(vmcb, LEN_VMMCALL);
		return;
	case SVM_EXIT_CPUID:
		vcpu_cpuid(cpu);
		skip_instruction(vmcb, LEN_CPUID);
		return;
	case SVM_EXIT_HLT:
		skip_instruction(vmcb, LEN_HLT);
		vcpu_halt(cpu, vmcb->save.rflags & X86_RFLAGS_IF);
		return;
	case SVM_EXIT_INVD:
		/* Dropping the host's caches is not the guest's to do. */
		skip_instruction(vmcb, LEN_INVD);
		return;
	case SVM_EXIT_XSETBV:
		val = guest_edx_eax(cpu);
		if (cpu->guest_cpl || (u32)cpu->regs[REG_RCX] ||
		    vcpu_set_xcr0(cpu, val))
			inject_exception_error(vmcb, X86_EXC_GP, 0);
		else
			skip_instruction(vmcb, LEN_XSETBV);
		return;
	case SVM_EXIT_MSR:
		if (msr_emulate(cpu, vmcb->control.exit_info_1 & 1,
				svm_guest_msr))
			inject_exception_error(vmcb, X86_EXC_GP, 0);
		else
			skip_instruction(vmcb, LEN_RDMSR_WRMSR);
		return;
	case SVM_EXIT_IOIO:
		svm_guest_port_io(cpu, vmcb);
		return;
	case SVM_EXIT_EXCEPTION(X86_EXC_DB):
		inject_exception(vmcb, X86_EXC_DB);
		return;
	case SVM_EXIT_EXCEPTION(X86_EXC_AC):
		inject_exception_error(vmcb, X86_EXC_AC,
				       vmcb->control.exit_info_1);
		return;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
		inject_exception(vmcb, X86_EXC_UD);
		return;
	case SVM_EXIT_SHUTDOWN:
		vcpu_triple_fault(cpu, vmcb->save.rip);
		return;
	case SVM_EXIT_NPF:
		svm_guest_mmio(cpu, vmcb);
		return;
	default:
		/* SVM_EXIT_INVALID too: VMRUN refused the guest's state. */
		vcpu_crash(cpu, "unexpected exit (code, rip)", code,
			   vmcb->save.rip);
		return;
	}
}

/*
 * The mode and paging of whoever VMCB runs, for the hypervisor's reads
 * and writes of its memory: at each exit, and as a guest is switched in.
 */
static void latch_guest_mode(struct hv_cpu *cpu, const struct vmcb *vmcb)
{
	cpu->guest_cpl = vmcb->save.cpl;
	cpu->guest_cr0 = vmcb->save.cr0;
	cpu->guest_cr3 = vmcb->save.cr3;
	cpu->guest_cr4 = vmcb->save.cr4;
	cpu->guest_efer = vmcb->save.efer;
	cpu->guest_rflags = vmcb->save.rflags;
	cpu->guest_long_mode = (vmcb->save.efer & EFER_LMA) &&
			       (vmcb->save.cs.attrib & SEG_ATTRIB_L);
}

/* From dom0 to the vCPU its run call named, at the end of this exit. */
static void switch_to_guest(struct hv_cpu *cpu)
{
	struct vcpu *v = cpu->run_next;
	struct vmcb *vmcb = v->ctl;

	if (v->state_stale) {
		load_from_regs(v);
		vmcb->save.rax = v->regs.rax;
	}
	latch_guest_mode(cpu, vmcb);
	vcpu_switch_in(cpu);
	v->state_stale = false;
	swap_debug_registers(cpu->dom0_dr, v->dr);
	tsc_aux_switch_in(cpu, v);
	vmcb->control.tsc_offset = v->tsc_offset;
	/* Another vCPU, or a p2m changed since, may have used the ASID. */
	vmcb->control.tlb_control = flush_by_asid ? TLB_CONTROL_FLUSH_ASID :
						    TLB_CONTROL_FLUSH_ALL;
	cpu->vmcb = vmcb;
	cpu->vmcb_pa = v->ctl_pa;
}

/* Back to dom0, whose run call returns cpu->run_result. */
static void switch_to_dom0(struct hv_cpu *cpu)
{
	struct vmcb *vmcb = cpu->dom0_vmcb;

	swap_debug_registers(cpu->vcpu->dr, cpu->dom0_dr);
	tsc_aux_switch_out(cpu, cpu->vcpu);
	vcpu_switch_out(cpu);
	vmcb->save.rax = cpu->regs[REG_RAX];
	cpu->vmcb = vmcb;
	cpu->vmcb_pa = cpu->dom0_vmcb_pa;
}

/*
 * The guest's next interrupt (its upcall, or its local APIC's), if one
 * is due: injected if the guest can take it now (interrupts on, no
 * interrupt shadow, no other event on its way), or else asked for as a
 * virtual interrupt whose delivery exits (VINTR), so that it is
 * injected once the guest can take it. The LAPIC's priorities are
 * applied already, so the virtual interrupt ignores V_TPR.
 */
static void guest_deliver_interrupt(struct hv_cpu *cpu, struct vmcb *vmcb)
{
	struct vmcb_control *c = &vmcb->control;
	int pending = vcpu_pending_vector(cpu->vcpu);

	c->intercept_misc1 &= ~INTERCEPT_VINTR;
	c->vintr &= ~(VINTR_IRQ | VINTR_IGN_TPR);
	if (pending < 0)
		return;
	if (!(c->event_inject & EVENT_INJECT_VALID) &&
	    (vmcb->save.rflags & X86_RFLAGS_IF) &&
	    !(c->interrupt_shadow & INTERRUPT_SHADOW)) {
		c->event_inject = EVENT_INJECT_VALID | EVENT_INJECT_INTR |
				  (u8)pending;
		vcpu_ack_vector(cpu->vcpu, pending);
		return;
	}
	c->vintr |= VINTR_IRQ | VINTR_IGN_TPR;
	c->intercept_misc1 |= INTERCEPT_VINTR;
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
	latch_guest_mode(cpu, vmcb);
	if (cpu->vcpu) {
		guest_exit(cpu, vmcb, code);
		vcpu_exit_done(cpu);
	} else {
		cpu->exits[handle_exit(cpu, vmcb, code)]++;
	}
	vmcb->save.rax = cpu->regs[REG_RAX];

	if (cpu->run_next)
		switch_to_guest(cpu);
	else if (cpu->run_result)
		switch_to_dom0(cpu);
	vmcb = cpu->vmcb;
	if (cpu->vcpu)
		guest_deliver_interrupt(cpu, vmcb);
	if (!cpu->vcpu && cpu->pending_mc) {
		cpu->pending_mc = false;
		inject_exception(vmcb, X86_EXC_MC);
	} else if (!cpu->vcpu && cpu->pending_nmi) {
		cpu->pending_nmi = false;
		inject(vmcb, EVENT_INJECT_NMI | X86_EXC_NMI);
	}
	/*
	 * The whole TLB, whoever runs next: dom0's old p2m entries or a
	 * guest's, and the host's own for pool chunks mapped anew.
	 */
	if (foreign_flush_due(cpu->id)) {
		vmcb->control.tlb_control = TLB_CONTROL_FLUSH_ALL;
		flush_tlb_everything();
	}
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
	.guest_mcg_cap = GUEST_MC_BANKS,
	.hypercall_insn = { 0x0f, 0x01, 0xd9 },	/* vmmcall */
	.prepare = svm_prepare,
	.cpu_prepare = svm_cpu_prepare,
	.cpu_enter = svm_cpu_enter,
	.read_state = svm_read_state,
	.vcpu_create = svm_vcpu_create,
	.vcpu_save = svm_vcpu_save,
	.set_guest_pat = svm_set_guest_pat,
};
