// SPDX-License-Identifier: GPL-2.0
/*
 * Guest vCPUs on Intel VMX, as svm.c runs them on AMD. Each has a VMCS
 * of its own, made once with the controls (vmcs_build_vcpu()) and given
 * its state from Xen's save record when that changes. It is current on
 * a CPU only for a run: switched in by VMPTRLD, with this CPU's host
 * state, and launched; switched out by VMCLEAR, so that its next run
 * may be on any CPU. Dom0's VMCS stays active and launched meanwhile.
 *
 * A guest exits for physical interrupts and NMIs (dom0's), CPUID,
 * VMCALL, HLT, INVD, XSETBV, every port, the MSRs the VMCS does not
 * hold, MOV to CR0 that changes PG or NE (kxen switches IA-32e mode
 * itself; VMX fixes NE to 1), MOV to CR4 that sets VMXE, CR8 (the
 * emulated LAPIC's TPR), EPT violations (emulated devices), a triple
 * fault, the VMX instructions, #DB and #AC. The MSRs of SYSCALL and
 * SWAPGS, which the VMCS does not switch, are the guest's own while it
 * runs, as are DR0-3 and DR6.
 */
#include <dm/mmio.h>
#include <dm/vlapic.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/event_channel.h>
#include <hv/hv.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/vcpu_run.h>
#include <xen/xen.h>
#include <xen/hvm/save.h>
#include "vmx.h"

/* One VPID for every guest vCPU: each run starts with a flush of it. */
#define GUEST_VPID		2

/* Exit qualification of a control-register access */
#define CR_ACCESS_CR(q)		((q) & 0xf)
#define CR_ACCESS_TYPE(q)	(((q) >> 4) & 3)
#define CR_ACCESS_GPR(q)	(((q) >> 8) & 0xf)
#define CR_ACCESS_LMSW_DATA(q)	(((q) >> 16) & 0xffff)
#define CR_MOV_TO		0
#define CR_MOV_FROM		1
#define CR_LMSW			3
/* Exit qualification of a port access */
#define IO_SIZE(q)		(((q) & 7) + 1)
#define IO_IN			BIT(3)
#define IO_STRING		BIT(4)
#define IO_PORT(q)		((q) >> 16)

static struct vmx_controls vcpu_controls;
/* A millisecond of the VMX preemption timer, or 0 without one. */
static u32 preemption_ticks;
static u8 *vcpu_msr_bitmap;
static u64 vcpu_msr_bitmap_pa;

/*
 * The MSRs a guest uses without exits: those the VMCS holds, and those
 * of SYSCALL and SWAPGS, switched with dom0's at each run.
 */
static const u32 vcpu_own_msrs[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_SYSENTER_CS, MSR_SYSENTER_ESP,
	MSR_SYSENTER_EIP, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR,
	MSR_SFMASK,
};

int vmx_vcpu_prepare(void)
{
	unsigned int i;

	if (vmx_choose_vcpu_controls(&vmx_caps, &dom0_controls,
				     &vcpu_controls)) {
		hv_printk("kxen: VMX cannot exit for what guests need (interrupts, HLT, ports, CR8)\n");
		return -ENODEV;
	}
	vcpu_msr_bitmap = page_alloc(&hv_pool);
	if (!vcpu_msr_bitmap)
		return -ENOMEM;
	memset(vcpu_msr_bitmap, 0xff, PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(vcpu_own_msrs); i++)
		msr_bitmap_set(vcpu_msr_bitmap, vcpu_own_msrs[i], true, false);
	vcpu_msr_bitmap_pa = page_pool_pa(&hv_pool, vcpu_msr_bitmap);
	if ((vmx_caps.pin >> 32) & PIN_PREEMPTION_TIMER)
		preemption_ticks = hv_tsc_khz >>
			VMX_MISC_PREEMPTION_RATE(vmx_caps.misc);
	return 0;
}

static u64 domain_eptp(const struct domain *d)
{
	return d->p2m.root_pa | EPTP_WB | EPTP_WALK(d->p2m.levels);
}

/*
 * Made in dom0's exit (the vCPU's creation): the new VMCS is current
 * only while its fields are written, then clear for its first run.
 */
int vmx_vcpu_create(struct vcpu *v)
{
	struct hv_cpu *cpu = this_cpu();
	u32 *vmcs = page_alloc(&hv_pool);
	struct vmcs_image img;
	u64 pa;
	int err;

	if (!vmcs)
		return -ENOMEM;
	*vmcs = VMX_BASIC_REVISION(vmx_caps.basic);
	pa = page_pool_pa(&hv_pool, vmcs);
	vmcs_build_vcpu(&img, &vcpu_controls, vcpu_msr_bitmap_pa,
			domain_eptp(v->domain), GUEST_VPID);
	err = vmclear(pa) || vmptrld(pa) ? -EIO : vmcs_write_image(&img);
	vmclear(pa);
	vmptrld(cpu->vmcs_pa);
	if (err) {
		page_free(&hv_pool, vmcs);
		return err;
	}
	v->ctl = vmcs;
	v->ctl_pa = pa;
	return 0;
}

/* The state sethvmcontext, VCPUOP_initialise or a SIPI gave V. */
static void load_state(struct vcpu *v)
{
	struct vmcs_image img = { 0 };

	vmcs_vcpu_state(&img, &vmx_caps, &vcpu_controls, &v->regs, v->pat);
	if (vmcs_write_image(&img))
		vcpu_crash(this_cpu(), "its state does not go into a VMCS (vcpu, 0)",
			   v->id, 0);
	v->dr[0] = v->regs.dr0;
	v->dr[1] = v->regs.dr1;
	v->dr[2] = v->regs.dr2;
	v->dr[3] = v->regs.dr3;
}

/*
 * The state V's VMCS kept after its last run, into R: load_state() the
 * other way, read through the VMCS made current here for the while.
 * DR6, CR2 and the SYSCALL MSRs, which the VMCS does not hold, are in
 * v->regs since the run's end.
 */
void vmx_vcpu_save(struct hv_cpu *cpu, struct vcpu *v, struct hvm_hw_cpu *r)
{
	struct vmcs_image img = { 0 };

	/* The fields load_state() writes, to read back. */
	vmcs_vcpu_state(&img, &vmx_caps, &vcpu_controls, &v->regs, v->pat);
	/* On failure dom0's VMCS stays current, and R the state loaded. */
	if (vmptrld(v->ctl_pa)) {
		hv_printk("d%uv%u: its VMCS cannot be read: saved as loaded\n",
			  v->domain->id, v->id);
		return;
	}
	vmcs_read_image(&img);
	vmclear(v->ctl_pa);
	vmptrld(cpu->vmcs_pa);
	vmcs_vcpu_regs(&img, r);
}

/* The SYSCALL and SWAPGS MSRs: v->regs keeps a guest's between runs. */
static const u32 syscall_msrs[] = {
	MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
};

static u64 *vcpu_syscall_msrs(struct vcpu *v, unsigned int i)
{
	u64 *fields[] = { &v->regs.shadow_gs, &v->regs.msr_star,
			  &v->regs.msr_lstar, &v->regs.msr_cstar,
			  &v->regs.msr_syscall_mask };

	return fields[i];
}

/* The guest vCPUs' linear translations, not dom0's. */
static void flush_guest_vpid(void)
{
	if (vmx_caps.ept_vpid & VPID_CAP_INVVPID_SINGLE)
		vmx_invvpid(INVVPID_SINGLE_CONTEXT, GUEST_VPID);
	else
		invvpid_all();
}

void vmx_switch_to_vcpu(struct hv_cpu *cpu)
{
	struct vcpu *v = cpu->run_next;
	const struct vmcs_image *dom0 = cpu->vmcs_image;
	unsigned int i;

	vmptrld(v->ctl_pa);
	/* This CPU's stack, GDT and TSS for the exits. */
	for (i = 0; i < dom0->nr; i++)
		if (VMCS_FIELD_TYPE(dom0->field[i].encoding) == VMCS_TYPE_HOST)
			vmcs_write(dom0->field[i].encoding,
				   dom0->field[i].value);
	if (v->state_stale)
		load_state(v);
	vmcs_write(VMCS_TSC_OFFSET, v->tsc_offset);
	latch_guest_mode(cpu);
	vcpu_switch_in(cpu);
	v->state_stale = false;
	swap_debug_registers(cpu->dom0_dr, v->dr);
	cpu->dom0_dr6 = read_dr6();
	write_dr6(v->regs.dr6);
	/*
	 * The VMCS does not hold CR2: a guest's page fault may exit before
	 * its handler reads it, and dom0's own faults in between set it.
	 */
	write_cr2(v->regs.cr2);
	for (i = 0; i < ARRAY_SIZE(syscall_msrs); i++) {
		cpu->dom0_syscall_msrs[i] = rdmsr(syscall_msrs[i]);
		wrmsr(syscall_msrs[i], *vcpu_syscall_msrs(v, i));
	}
	tsc_aux_switch_in(cpu, v);
	/* Another vCPU, or a p2m changed since, may have used these. */
	flush_guest_vpid();
	if (vmx_caps.ept_vpid & EPT_CAP_INVEPT_SINGLE)
		vmx_invept(INVEPT_SINGLE_CONTEXT, domain_eptp(v->domain));
	else
		invept_all();
}

void vmx_switch_to_dom0(struct hv_cpu *cpu)
{
	struct vcpu *v = cpu->vcpu;
	unsigned int i;

	swap_debug_registers(v->dr, cpu->dom0_dr);
	v->regs.dr6 = read_dr6();
	write_dr6(cpu->dom0_dr6);
	v->regs.cr2 = read_cr2();
	for (i = 0; i < ARRAY_SIZE(syscall_msrs); i++) {
		*vcpu_syscall_msrs(v, i) = rdmsr(syscall_msrs[i]);
		wrmsr(syscall_msrs[i], cpu->dom0_syscall_msrs[i]);
	}
	tsc_aux_switch_out(cpu, v);
	/* Before V may be freed, which vcpu_switch_out() allows. */
	vmclear(v->ctl_pa);
	vmptrld(cpu->vmcs_pa);
	vcpu_switch_out(cpu);
}

/*
 * Before each entry: the guest's next interrupt (its upcall, or its
 * local APIC's), if one is due, injected if the guest can take it now
 * (interrupts on, no STI or MOV SS shadow, no other event on its way),
 * or else asked for by an interrupt-window exit.
 *
 * A guest entered with interrupts off also gets a millisecond of the
 * preemption timer, whose exit ends the run: bochs 2.7 works out which
 * events it delivers before it is in guest mode, so that a physical
 * interrupt never exits such a guest until it changes RFLAGS.IF, and a
 * guest spinning with interrupts off would keep its CPU from dom0.
 */
void vmx_vcpu_before_entry(struct hv_cpu *cpu)
{
	int pending = vcpu_pending_vector(cpu->vcpu);
	u64 rflags = vmcs_read(VMCS_GUEST_RFLAGS);
	u32 proc = vcpu_controls.proc, pin = vcpu_controls.pin;

	if (pending >= 0) {
		if (!(vmcs_read(VMCS_ENTRY_INTR_INFO) & INTR_INFO_VALID) &&
		    (rflags & X86_RFLAGS_IF) &&
		    !(vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) &
		      (BLOCKING_STI | BLOCKING_MOV_SS))) {
			inject(INTR_TYPE_EXTERNAL << 8 | (u8)pending, 0);
			vcpu_ack_vector(cpu->vcpu, pending);
		} else {
			proc |= PROC_INTERRUPT_WINDOW;
		}
	}
	if (preemption_ticks && !(rflags & X86_RFLAGS_IF)) {
		pin |= PIN_PREEMPTION_TIMER;
		vmcs_write(VMCS_PREEMPTION_TIMER, preemption_ticks);
	}
	vmcs_write(VMCS_PROC_CONTROLS, proc);
	vmcs_write(VMCS_PIN_CONTROLS, pin);
}

static u64 read_gpr(struct hv_cpu *cpu, unsigned int reg)
{
	return reg == REG_RSP ? vmcs_read(VMCS_GUEST_RSP) : cpu->regs[reg];
}

static void write_gpr(struct hv_cpu *cpu, unsigned int reg, u64 val)
{
	if (reg == REG_RSP)
		vmcs_write(VMCS_GUEST_RSP, val);
	else
		cpu->regs[reg] = val;
}

/*
 * MOV to CR0 (or LMSW) changing a bit kxen owns: the CPU's checks, then
 * IA-32e mode on or off as paging goes on or off with EFER.LME, as
 * Xen's hvm_set_cr0() does. False for a #GP.
 */
static bool set_guest_cr0(struct hv_cpu *cpu, u64 val)
{
	u64 old = vmcs_read(VMCS_CR0_SHADOW), efer = vmcs_read(VMCS_GUEST_EFER);
	u64 entry = vmcs_read(VMCS_ENTRY_CONTROLS);
	u64 fixed = vmx_caps.cr0_fixed0 & ~(CR0_PE | CR0_PG);

	if ((val >> 32) || ((val & CR0_PG) && !(val & CR0_PE)) ||
	    ((val & CR0_NW) && !(val & CR0_CD)))
		return false;
	if ((val & CR0_PG) && !(old & CR0_PG) && (efer & EFER_LME)) {
		if (!(vmcs_read(VMCS_GUEST_CR4) & CR4_PAE))
			return false;
		efer |= EFER_LMA;
		entry |= ENTRY_GUEST_64BIT;
	} else if (!(val & CR0_PG) && (old & CR0_PG) && (efer & EFER_LMA)) {
		if (cpu->guest_long_mode)
			return false;	/* 64-bit code cannot turn paging off */
		efer &= ~EFER_LMA;
		entry &= ~ENTRY_GUEST_64BIT;
	}
	vmcs_write(VMCS_GUEST_EFER, efer);
	vmcs_write(VMCS_ENTRY_CONTROLS, entry);
	vmcs_write(VMCS_GUEST_CR0, val | fixed);
	vmcs_write(VMCS_CR0_SHADOW, val);
	if ((old ^ val) & CR0_PG)
		flush_guest_vpid();
	return true;
}

static void cr_access(struct hv_cpu *cpu)
{
	u64 q = vmcs_read(VMCS_EXIT_QUALIFICATION);
	unsigned int cr = CR_ACCESS_CR(q), reg = CR_ACCESS_GPR(q);
	u64 old, val;
	bool done;

	switch (CR_ACCESS_TYPE(q)) {
	case CR_MOV_TO:
		val = read_gpr(cpu, reg);
		if (cr == 0) {
			done = set_guest_cr0(cpu, val);
		} else if (cr == 8 && !(val >> 4)) {
			vcpu_lapic_set_cr8(cpu->vcpu, val);
			done = true;
		} else {
			done = false;	/* CR4.VMXE, or CR8's reserved bits */
		}
		break;
	case CR_MOV_FROM:	/* only CR8 exits */
		write_gpr(cpu, reg, vcpu_lapic_cr8(cpu->vcpu));
		done = true;
		break;
	case CR_LMSW:
		/* The low four bits, of which PE can be set but not cleared. */
		old = vmcs_read(VMCS_CR0_SHADOW);
		val = (old & ~0xfull) | (CR_ACCESS_LMSW_DATA(q) & 0xf) |
		      (old & CR0_PE);
		done = set_guest_cr0(cpu, val);
		break;
	default:		/* CLTS: TS is the guest's, so it never exits */
		done = false;
		break;
	}
	if (done)
		skip_instruction();
	else
		inject_gp();
}

/*
 * The MSRs a guest's VMCS holds that need kxen: EFER, whose LMA only
 * paging changes (msr_emulate() does Xen's hypercall page and PAT).
 * As Xen's VMX has them: IA32_FEATURE_CONTROL reads locked with VMX
 * off; IA32_MISC_ENABLE reads the CPU's with BTS and PEBS unavailable,
 * and takes only writes of that same value (Linux clears XD_DISABLE
 * in it at boot, where set). The rest are #GP.
 */
static int vmx_vcpu_msr(struct hv_cpu *cpu, u32 msr, bool write, u64 *val)
{
	u64 efer_bits = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
	u64 efer = vmcs_read(VMCS_GUEST_EFER), misc;

	switch (msr) {
	case MSR_MISC_ENABLE:
		misc = rdmsr(MSR_MISC_ENABLE) | MISC_ENABLE_BTS_UNAVAIL |
		       MISC_ENABLE_PEBS_UNAVAIL;
		if (!write)
			*val = misc;
		return !write || *val == misc ? 0 : -EPERM;
	case MSR_EFER:
		if (!write) {
			*val = efer;
			return 0;
		}
		if ((*val & ~efer_bits) ||
		    ((cpu->guest_cr0 & CR0_PG) &&
		     ((*val ^ efer) & EFER_LME)))
			return -EPERM;
		vmcs_write(VMCS_GUEST_EFER, (*val & ~EFER_LMA) |
					    (efer & EFER_LMA));
		return 0;
	case MSR_FEATURE_CONTROL:
		if (write)
			return -EPERM;
		*val = FEATURE_CONTROL_LOCKED;
		return 0;
	default:
		return -EPERM;
	}
}

void vmx_set_guest_pat(struct hv_cpu *cpu)
{
	vmcs_write(VMCS_GUEST_PAT, cpu->vcpu->pat);
}

/* An EPT violation: guest-physical memory with no RAM, maybe a device. */
static void vmx_guest_mmio(struct hv_cpu *cpu)
{
	u32 cs_ar = vmcs_read(VMCS_GUEST_AR(SEG_CS));
	struct insn_site site = {
		.rip = vmcs_read(VMCS_GUEST_RIP),
		.cs_base = vmcs_read(VMCS_GUEST_BASE(SEG_CS)),
		.mode = cpu->guest_long_mode ? INSN_MODE_64 :
			(cs_ar & AR_DB) ? INSN_MODE_32 : INSN_MODE_16,
	};
	u64 next_rip;

	cpu->regs[REG_RSP] = vmcs_read(VMCS_GUEST_RSP);
	if (guest_mmio(cpu, vmcs_read(VMCS_GUEST_PHYS_ADDR), &site,
		       &next_rip)) {
		vmcs_write(VMCS_GUEST_RSP, cpu->regs[REG_RSP]);
		vmcs_write(VMCS_GUEST_RIP, next_rip);
	}
}

void vmx_vcpu_exit(struct hv_cpu *cpu, u32 reason)
{
	u64 rip = vmcs_read(VMCS_GUEST_RIP), q;

	if (reason & EXIT_REASON_FAILED) {
		vcpu_crash(cpu, "VM entry refused its state (exit reason, rip)",
			   reason, rip);
		return;
	}
	latch_guest_mode(cpu);
	switch (reason & 0xffff) {
	case EXIT_EXCEPTION_NMI:
		handle_exception(cpu);
		if (cpu->pending_nmi)
			vcpu_stop(cpu, KXEN_RUN_PREEMPTED);	/* dom0's */
		return;
	case EXIT_EXTERNAL_INTERRUPT:
		/* Dom0's: still pending, it takes it once it runs again. */
		vcpu_stop(cpu, KXEN_RUN_PREEMPTED);
		return;
	case EXIT_INTERRUPT_WINDOW:
		return;		/* the guest can take its interrupt: at entry */
	case EXIT_PREEMPTION_TIMER:
		vcpu_stop(cpu, KXEN_RUN_PREEMPTED);
		return;
	case EXIT_TRIPLE_FAULT:
		vcpu_triple_fault(cpu, rip);
		return;
	case EXIT_CPUID:
		vcpu_cpuid(cpu);
		skip_instruction();
		return;
	case EXIT_HLT:
		skip_instruction();
		vcpu_halt(cpu, cpu->guest_rflags & X86_RFLAGS_IF);
		return;
	case EXIT_INVD:
		/* Dropping the host's caches is not the guest's to do. */
		skip_instruction();
		return;
	case EXIT_VMCALL:
		if (guest_hypercall(cpu))
			skip_instruction();
		return;
	case EXIT_CR_ACCESS:
		cr_access(cpu);
		return;
	case EXIT_IO:
		q = vmcs_read(VMCS_EXIT_QUALIFICATION);
		if (vcpu_port_io(cpu, IO_PORT(q), IO_SIZE(q), q & IO_IN,
				 q & IO_STRING, rip))
			skip_instruction();
		return;
	case EXIT_RDMSR:
	case EXIT_WRMSR:
		if (msr_emulate(cpu, (reason & 0xffff) == EXIT_WRMSR,
				vmx_vcpu_msr))
			inject_gp();
		else
			skip_instruction();
		return;
	case EXIT_XSETBV:
		if (cpu->guest_cpl || (u32)cpu->regs[REG_RCX] ||
		    vcpu_set_xcr0(cpu, guest_edx_eax(cpu)))
			inject_gp();
		else
			skip_instruction();
		return;
	case EXIT_EPT_VIOLATION:
		vmx_guest_mmio(cpu);
		return;
	case EXIT_VMCLEAR ... EXIT_VMXON:
	case EXIT_INVEPT:
	case EXIT_INVVPID:
	case EXIT_GETSEC:
	case EXIT_VMFUNC:
		inject_exception(X86_EXC_UD);
		return;
	default:
		vcpu_crash(cpu, "unexpected exit (reason, rip)", reason, rip);
		return;
	}
}
