// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VMX: turning the running Linux into dom0 and back, and handling
 * its exits, as svm.c does on AMD. Dom0 runs with unrestricted guest,
 * EPT and VPID, and few exits: CPUID, VMCALL, the MSRs that would reveal
 * VMX, setting CR4.VMXE (masked, so dom0 reads VMXE clear as Linux cached
 * it), the VMX instructions (#UD), #DB and #AC (the hangs svm.c names),
 * and NMIs, which are delivered back to dom0 as virtual NMIs so that one
 * arriving in host mode is never lost. XSETBV, INVD, GETSEC and INIT
 * always exit on VMX. Writes to the MTRRs exit too: dom0's EPT carries
 * their types (hv/mtrr.h).
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/foreign.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/mtrr.h>
#include <hv/printk.h>
#include <hv/spinlock.h>
#include <hv/vcpu_ops.h>
#include <hv/x86.h>
#include <hv/x86_paging.h>
#include <hv/xen.h>
#include <hv/vcpu_run.h>
#include "vmx.h"

#define DOM0_VPID		1

struct vmx_caps vmx_caps;
struct vmx_controls dom0_controls;
static u8 *msr_bitmap;
static u64 msr_bitmap_pa;
static u64 eptp;
/* The MTRRs dom0 set, and the lock for changing them and dom0's EPT. */
static struct mtrr_state mtrrs;
static struct hv_spinlock mtrr_lock;

void msr_bitmap_set(u8 *bitmap, u32 msr, bool reads, bool exits)
{
	u32 high = msr >= 0xc0000000 ? 1024 : 0, index = msr & 0x1fff;
	u8 *read = &bitmap[high + index / 8];
	u8 *write = &bitmap[2048 + high + index / 8];
	u8 bit = BIT(index % 8);

	if (reads)
		*read = exits ? *read | bit : *read & ~bit;
	*write = exits ? *write | bit : *write & ~bit;
}

static void read_caps(void)
{
	u32 r[4], ctls;

	vmx_caps.basic = rdmsr(MSR_VMX_BASIC);
	/* The TRUE_ controls, where they exist, allow more bits to be 0. */
	ctls = (vmx_caps.basic & VMX_BASIC_TRUE_CTLS) ? MSR_VMX_TRUE_OFFSET : 0;
	vmx_caps.pin = rdmsr(MSR_VMX_PINBASED + ctls);
	vmx_caps.proc = rdmsr(MSR_VMX_PROCBASED + ctls);
	vmx_caps.exit = rdmsr(MSR_VMX_EXIT + ctls);
	vmx_caps.entry = rdmsr(MSR_VMX_ENTRY + ctls);
	vmx_caps.misc = rdmsr(MSR_VMX_MISC);
	vmx_caps.cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
	vmx_caps.cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
	vmx_caps.cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
	vmx_caps.cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
	/* The module admits only CPUs with secondary controls and EPT. */
	vmx_caps.proc2 = rdmsr(MSR_VMX_PROCBASED2);
	vmx_caps.ept_vpid = rdmsr(MSR_VMX_EPT_VPID_CAP);
	cpuid_count(0x80000008, 0, r);
	vmx_caps.phys_addr_bits = r[0] & 0xff;
	vmx_caps.virt_addr_bits = r[0] >> 8 & 0xff;
}

/*
 * Dom0's EPT gets the MTRRs' memory types, and writes to the MTRRs exit
 * so that it keeps them. Without MTRRs, RAM stays write-back and the
 * rest uncached.
 */
static int mirror_mtrrs(void)
{
	u64 val, start, end;
	unsigned int n;
	u32 r[4], msr;
	int err;

	cpuid_count(1, 0, r);
	if (!(r[3] & CPUID1_EDX_MTRR))
		return 0;
	mtrr_init(&mtrrs, rdmsr(MSR_MTRRCAP), vmx_caps.phys_addr_bits);
	for (n = 0; (msr = mtrr_msr(&mtrrs, n)); n++) {
		val = rdmsr(msr);
		if (mtrr_write(&mtrrs, msr, val, &start, &end)) {
			hv_printk("kxen: MTRR %#x holds %#llx, which the SDM does not allow\n",
				  msr, (unsigned long long)val);
			return -EINVAL;
		}
		msr_bitmap_set(msr_bitmap, msr, false, true);
	}
	err = mtrr_apply(&mtrrs, &dom0_p2m, 0, mtrrs.addr_mask + 1);
	if (!err)
		hv_printk("kxen: dom0's EPT has the MTRRs' memory types (default %llu, %u variable ranges)\n",
			  (unsigned long long)(mtrrs.def_type & 0xff),
			  mtrrs.nr_var);
	return err;
}

static int vmx_prepare(void)
{
	u64 walk = dom0_p2m.levels == 5 ? EPT_CAP_WALK5 : EPT_CAP_WALK4;
	u32 msr;

	read_caps();
	if (vmx_choose_controls(&vmx_caps, &dom0_controls) || !(vmx_caps.ept_vpid & walk)) {
		hv_printk("kxen: VMX lacks a control kxen needs (EPT, VPID, unrestricted guest, virtual NMIs, EFER/PAT switching or %u-level EPT)\n",
			  dom0_p2m.levels);
		return -ENODEV;
	}
	msr_bitmap = page_alloc(&hv_pool);
	if (!msr_bitmap)
		return -ENOMEM;
	msr_bitmap_pa = page_pool_pa(&hv_pool, msr_bitmap);
	msr_bitmap_set(msr_bitmap, MSR_FEATURE_CONTROL, true, true);
	for (msr = MSR_VMX_BASIC; msr <= MSR_VMX_LAST; msr++)
		msr_bitmap_set(msr_bitmap, msr, true, true);
	eptp = dom0_p2m.root_pa | EPTP_WB | EPTP_WALK(dom0_p2m.levels);
	return mirror_mtrrs() ?: vmx_vcpu_prepare();
}

_Static_assert(sizeof(struct vmcs_image) <= PAGE_SIZE, "one page a CPU");

static int vmx_cpu_prepare(struct hv_cpu *cpu)
{
	u32 *vmxon_region = page_alloc(&hv_pool);
	u32 *vmcs = page_alloc(&hv_pool);

	cpu->gdt_copy = page_alloc(&hv_pool);
	cpu->vmcs_image = page_alloc(&hv_pool);
	if (!vmxon_region || !vmcs || !cpu->gdt_copy || !cpu->vmcs_image)
		return -ENOMEM;
	*vmxon_region = VMX_BASIC_REVISION(vmx_caps.basic);
	*vmcs = VMX_BASIC_REVISION(vmx_caps.basic);
	cpu->vmxon_pa = page_pool_pa(&hv_pool, vmxon_region);
	cpu->vmcs_pa = page_pool_pa(&hv_pool, vmcs);
	return 0;
}

/* The descriptor of SELECTOR in the GDT (16 bytes for system ones). */
static void read_descriptor(u64 out[2], u16 selector,
			    const struct desc_ptr *gdt, bool system)
{
	const u64 *desc = gdt_entry(gdt, selector, system ? 16 : 8);

	out[0] = out[1] = 0;
	if (!desc || (selector & 4))	/* an LDT selector is no GDT entry */
		return;
	out[0] = desc[0];
	if (system)
		out[1] = desc[1];
}

/* Linux's state, as it is now, becomes the guest's. */
static void capture_linux(struct hv_cpu *cpu, struct vmx_linux_state *s)
{
	struct desc_ptr gdt, idt;
	enum vmx_seg seg;

	store_gdt(&gdt);
	store_idt(&idt);
	s->sel[SEG_ES] = read_es();
	s->sel[SEG_CS] = read_cs();
	s->sel[SEG_SS] = read_ss();
	s->sel[SEG_DS] = read_ds();
	s->sel[SEG_FS] = read_fs();
	s->sel[SEG_GS] = read_gs();
	s->sel[SEG_LDTR] = store_ldt();
	s->sel[SEG_TR] = store_tr();
	for (seg = 0; seg < SEG_NR; seg++)
		read_descriptor(s->desc[seg], s->sel[seg], &gdt,
				seg == SEG_LDTR || seg == SEG_TR);
	s->gdt_base = gdt.base;
	s->gdt_limit = gdt.limit;
	s->idt_base = idt.base;
	s->idt_limit = idt.limit;
	s->cr0 = read_cr0();
	s->cr3 = read_cr3();
	s->cr4 = read_cr4();
	s->dr7 = read_dr7();
	s->efer = rdmsr(MSR_EFER);
	s->pat = rdmsr(MSR_PAT);
	s->debugctl = rdmsr(MSR_DEBUGCTL);
	s->sysenter_cs = rdmsr(MSR_SYSENTER_CS);
	s->sysenter_esp = rdmsr(MSR_SYSENTER_ESP);
	s->sysenter_eip = rdmsr(MSR_SYSENTER_EIP);
	s->fs_base = rdmsr(MSR_FS_BASE);
	s->gs_base = rdmsr(MSR_GS_BASE);
	s->rip = cpu->entry_rip;
	s->rsp = cpu->entry_rsp;
	s->rflags = cpu->entry_rflags;
	cpu->regs[REG_RAX] = 0;		/* hv_cpu_enter() returns 0 */
}

/* The exit entry point and the VMLAUNCH/VMRESUME loop (entry.S). */
extern const char vmx_exit_entry[];
void __attribute__((noreturn)) vmx_run(struct hv_cpu *cpu);

static void host_state(struct hv_cpu *cpu, struct vmx_host_state *h,
		       u64 cr4)
{
	h->cr0 = read_cr0();
	h->cr3 = host_page_table.root_pa;
	h->cr4 = cr4 | CR4_VMXE;
	h->efer = rdmsr(MSR_EFER);
	h->pat = rdmsr(MSR_PAT);
	h->gdt_base = (u64)cpu->gdt;
	h->idt_base = desc_host_idt_base();
	h->tr_base = (u64)&cpu->tss;
	/* vmx_run() keeps the CPU pointer at the top of the stack. */
	h->rsp = cpu->host_stack_top - 16;
	h->rip = (u64)vmx_exit_entry;
	h->cs_sel = HOST_CS;
	h->ds_sel = HOST_DS;
	h->tr_sel = HOST_TSS;
}

static void report_violation(void *ctx, const char *violation)
{
	struct hv_cpu *cpu = ctx;

	hv_printk("kxen: CPU%u: VMCS check: %s\n", cpu->id, violation);
}

int vmcs_write_image(const struct vmcs_image *img)
{
	unsigned int i;

	for (i = 0; i < img->nr; i++) {
		if (vmcs_write(img->field[i].encoding, img->field[i].value)) {
			hv_printk("kxen: VMWRITE of field %#x failed (error %llu)\n",
				  img->field[i].encoding,
				  (unsigned long long)vmcs_read(VMCS_INSTRUCTION_ERROR));
			return -EIO;
		}
	}
	return 0;
}

void vmcs_read_image(struct vmcs_image *img)
{
	unsigned int i;

	for (i = 0; i < img->nr; i++)
		img->field[i].value = vmcs_read(img->field[i].encoding);
}

static int load_vmcs(struct hv_cpu *cpu, const struct vmcs_image *img)
{
	if (vmclear(cpu->vmcs_pa) || vmptrld(cpu->vmcs_pa))
		return -EIO;
	return vmcs_write_image(img);
}

static int vmx_cpu_enter(struct hv_cpu *cpu)
{
	u64 cr4 = read_cr4(), fc = rdmsr(MSR_FEATURE_CONTROL);
	struct vmx_linux_state linux_state;
	struct vmx_host_state host;
	struct vmcs_image *img = cpu->vmcs_image;
	int err;

	if (cr4 & CR4_VMXE)
		return -EBUSY;		/* someone (KVM) uses VMX already */
	if ((fc & FEATURE_CONTROL_LOCKED) && !(fc & FEATURE_CONTROL_VMX))
		return -EPERM;
	capture_linux(cpu, &linux_state);
	if (linux_state.gdt_limit >= PAGE_SIZE)
		return -EINVAL;		/* larger than the copy for leaving */
	host_state(cpu, &host, cr4);
	vmcs_build(img, &dom0_controls, &linux_state, &host, msr_bitmap_pa, eptp,
		   DOM0_VPID);
	if (vmcs_check(img, &vmx_caps, report_violation, cpu))
		return -EINVAL;

	if (!(fc & FEATURE_CONTROL_LOCKED))
		wrmsr(MSR_FEATURE_CONTROL, fc | FEATURE_CONTROL_LOCKED |
					   FEATURE_CONTROL_VMX);
	write_cr4(cr4 | CR4_VMXE);
	if (vmxon(cpu->vmxon_pa)) {
		write_cr4(cr4);
		return -EIO;
	}
	err = load_vmcs(cpu, img);
	if (err) {
		vmclear(cpu->vmcs_pa);
		asm volatile("vmxoff" : : : "cc");
		write_cr4(cr4);
		return err;
	}
	/* Entries of an earlier kxen (or KVM) may still be cached. */
	invept_all();
	invvpid_all();
	desc_load_host(cpu);
	write_cr3(host_page_table.root_pa);
	flush_tlb_everything();
	hv_printk("kxen: CPU%u: Linux is now dom0\n", cpu->id);
	vmx_run(cpu);
}

void inject(u32 info, u32 error)
{
	if (vmcs_read(VMCS_ENTRY_INTR_INFO) & INTR_INFO_VALID)
		return;
	vmcs_write(VMCS_ENTRY_INTR_INFO, info | INTR_INFO_VALID);
	if (info & INTR_INFO_ERROR_VALID)
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR, error);
}

void inject_exception(unsigned int vector)
{
	inject(INTR_TYPE_HW_EXCEPTION << 8 | vector, 0);
}

void inject_gp(void)
{
	inject(INTR_TYPE_HW_EXCEPTION << 8 | INTR_INFO_ERROR_VALID |
	       X86_EXC_GP, 0);
}

void skip_instruction(void)
{
	vmcs_write(VMCS_GUEST_RIP, vmcs_read(VMCS_GUEST_RIP) +
				vmcs_read(VMCS_EXIT_INSTRUCTION_LEN));
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
		vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) &
		~(u64)(BLOCKING_STI | BLOCKING_MOV_SS));
	if (vmcs_read(VMCS_GUEST_RFLAGS) & X86_RFLAGS_TF) {
		write_dr6(read_dr6() | DR6_BS);
		inject_exception(X86_EXC_DB);
	}
}

/*
 * Dom0 writes an MTRR: the CPU gets the value, and dom0's EPT the types
 * it gives. Linux writes the MTRRs of every CPU in turn, so each CPU
 * flushes its own EPT translations here, whether or not its write was
 * the one that changed the types. A value the CPU would refuse is #GP.
 */
static int write_mtrr(struct hv_cpu *cpu, u32 msr, u64 val)
{
	u64 start, end;
	int err;

	spin_lock(&mtrr_lock);
	err = mtrr_write(&mtrrs, msr, val, &start, &end);
	if (!err) {
		wrmsr(msr, val);
		if (mtrr_apply(&mtrrs, &dom0_p2m, start, end))
			hv_printk("kxen: CPU%u: no memory to give [%#llx, %#llx) its new MTRR type in dom0's EPT\n",
				  cpu->id, (unsigned long long)start,
				  (unsigned long long)end);
	}
	spin_unlock(&mtrr_lock);
	if (!err)
		invept_all();
	return err;
}

/*
 * What dom0 sees of VMX's MSRs: VMX locked off, like CPUID says. Of the
 * MTRRs only writes exit; writes to the rest are #GP (-ENOENT).
 */
static int vmx_msr(struct hv_cpu *cpu, u32 msr, bool write, u64 *val)
{
	if (write)
		return write_mtrr(cpu, msr, *val);
	if (msr != MSR_FEATURE_CONTROL)
		return -EPERM;
	*val = FEATURE_CONTROL_LOCKED;
	return 0;
}

/*
 * XSETBV always exits. XCR0 is dom0's (the host uses no extended
 * state), so a valid value is set as asked; the rest is #GP, as the
 * CPU would raise it.
 */
static void handle_xsetbv(struct hv_cpu *cpu)
{
	u64 val = guest_edx_eax(cpu);
	u32 r[4];

	cpuid_count(0xd, 0, r);
	if ((u32)cpu->regs[REG_RCX] ||
	    !xcr0_valid(val, (u64)r[3] << 32 | r[0])) {
		inject_gp();
		return;
	}
	xsetbv(0, val);
	skip_instruction();
}

/* After an NMI exit the CPU blocks NMIs until an IRET: do one. */
static void unblock_nmis(void)
{
	asm volatile("movq %%rsp, %%rax\n\t"
		     "pushq %[ss]\n\t"
		     "pushq %%rax\n\t"
		     "pushfq\n\t"
		     "pushq %[cs]\n\t"
		     "leaq 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "iretq\n"
		     "1:"
		     : : [ss] "i"(HOST_DS), [cs] "i"(HOST_CS) : "rax", "memory");
}

enum kxen_exit_reason handle_exception(struct hv_cpu *cpu)
{
	u32 info = vmcs_read(VMCS_EXIT_INTR_INFO);

	/* An IRET that unblocked NMIs was cut short: block them again. */
	if ((info & INTR_INFO_NMI_UNBLOCKED) &&
	    INTR_INFO_VECTOR(info) != X86_EXC_DF)
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
			vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) | BLOCKING_NMI);
	if (INTR_INFO_TYPE(info) == INTR_TYPE_NMI) {
		unblock_nmis();
		cpu->pending_nmi = true;
		return KXEN_EXIT_EXCEPTION;
	}
	switch (INTR_INFO_VECTOR(info)) {
	case X86_EXC_DB:
		/* The CPU left DR6 to the hypervisor: update it as #DB would. */
		write_dr6((read_dr6() & ~0xfull) |
			  (vmcs_read(VMCS_EXIT_QUALIFICATION) & DR6_FROM_QUALIFICATION));
		inject_exception(X86_EXC_DB);
		break;
	case X86_EXC_AC:
		inject(INTR_TYPE_HW_EXCEPTION << 8 | INTR_INFO_ERROR_VALID |
		       X86_EXC_AC, vmcs_read(VMCS_EXIT_INTR_ERROR));
		break;
	default:
		inject(info & (INTR_INFO_ERROR_VALID | 0x7ff),
		       vmcs_read(VMCS_EXIT_INTR_ERROR));
		break;
	}
	return KXEN_EXIT_EXCEPTION;
}

static __attribute__((noreturn)) void fatal_exit(struct hv_cpu *cpu,
						 const char *what, u32 reason)
{
	hv_printk("kxen: CPU%u: %s: exit reason %#x qualification %#llx at rip %#llx (instruction error %llu); CPU stopped\n",
		  cpu->id, what, reason,
		  (unsigned long long)vmcs_read(VMCS_EXIT_QUALIFICATION),
		  (unsigned long long)vmcs_read(VMCS_GUEST_RIP),
		  (unsigned long long)vmcs_read(VMCS_INSTRUCTION_ERROR));
	cpu_halt_forever();
}

/* Dom0 triple-faulted: log it, then reset the machine as the fault would. */
static __attribute__((noreturn)) void dom0_triple_fault(struct hv_cpu *cpu)
{
	hv_printk("kxen: CPU%u: dom0 triple fault at rip %#llx rsp %#llx cr2 %#llx, IDT vectoring info %#llx; resetting the machine\n",
		  cpu->id, (unsigned long long)vmcs_read(VMCS_GUEST_RIP),
		  (unsigned long long)vmcs_read(VMCS_GUEST_RSP),
		  (unsigned long long)read_cr2(),
		  (unsigned long long)vmcs_read(VMCS_IDT_VECTORING_INFO));
	machine_reset();
}

void latch_guest_mode(struct hv_cpu *cpu)
{
	u64 efer = vmcs_read(VMCS_GUEST_EFER);

	cpu->guest_cpl = AR_DPL(vmcs_read(VMCS_GUEST_AR(SEG_SS)));
	cpu->guest_cr0 = vmcs_read(VMCS_GUEST_CR0);
	cpu->guest_cr3 = vmcs_read(VMCS_GUEST_CR3);
	cpu->guest_cr4 = vmcs_read(VMCS_GUEST_CR4);
	cpu->guest_efer = efer;
	cpu->guest_rflags = vmcs_read(VMCS_GUEST_RFLAGS);
	cpu->guest_long_mode = (efer & EFER_LMA) &&
			       (vmcs_read(VMCS_GUEST_AR(SEG_CS)) & AR_L);
}

static enum kxen_exit_reason handle_exit(struct hv_cpu *cpu, u32 reason)
{
	switch (reason) {
	case EXIT_EXCEPTION_NMI:
		return handle_exception(cpu);
	case EXIT_NMI_WINDOW:
		vmcs_write(VMCS_PROC_CONTROLS, dom0_controls.proc);
		return KXEN_EXIT_EXCEPTION;
	case EXIT_CPUID:
		cpuid_emulate(cpu);
		skip_instruction();
		return KXEN_EXIT_CPUID;
	case EXIT_VMCALL:
		/*
		 * Only hypercalls check the CPL and reach dom0's memory by
		 * its virtual addresses (the exit to leave included), so
		 * only they pay for reading its mode.
		 */
		latch_guest_mode(cpu);
		hypercall(cpu);
		skip_instruction();
		return KXEN_EXIT_HYPERCALL;
	case EXIT_RDMSR:
	case EXIT_WRMSR:
		if (msr_emulate(cpu, reason == EXIT_WRMSR, vmx_msr))
			inject_gp();
		else
			skip_instruction();
		return KXEN_EXIT_MSR;
	case EXIT_CR_ACCESS:
		/* Only a MOV to CR4 that sets VMXE exits: VMX is hidden. */
		inject_gp();
		return KXEN_EXIT_VIRT_INSN;
	case EXIT_XSETBV:
		handle_xsetbv(cpu);
		return KXEN_EXIT_VIRT_INSN;
	case EXIT_INVD:
		wbinvd();	/* never drop dom0's writes */
		skip_instruction();
		return KXEN_EXIT_VIRT_INSN;
	case EXIT_VMCLEAR ... EXIT_VMXON:
	case EXIT_INVEPT:
	case EXIT_INVVPID:
	case EXIT_GETSEC:
		inject_exception(X86_EXC_UD);
		return KXEN_EXIT_VIRT_INSN;
	case EXIT_EPT_VIOLATION:
		/* Only beyond what the EPT can address. */
		hv_printk("kxen: CPU%u: dom0 touched unmappable %#llx at rip %#llx\n",
			  cpu->id,
			  (unsigned long long)vmcs_read(VMCS_GUEST_PHYS_ADDR),
			  (unsigned long long)vmcs_read(VMCS_GUEST_RIP));
		inject_gp();
		return KXEN_EXIT_NPF;
	case EXIT_TRIPLE_FAULT:
		dom0_triple_fault(cpu);
	case EXIT_INIT:
		fatal_exit(cpu, "dom0 got INIT, which kxen does not emulate",
			   reason);
	case EXIT_EPT_MISCONFIG:
		fatal_exit(cpu, "EPT misconfiguration", reason);
	default:
		fatal_exit(cpu, "unexpected exit", reason);
	}
}

/* An NMI for dom0 goes in when nothing blocks it; else at the window. */
static void deliver_pending_nmi(struct hv_cpu *cpu)
{
	u32 blocking = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) &
		       (BLOCKING_MOV_SS | BLOCKING_NMI);

	if (!blocking && !(vmcs_read(VMCS_ENTRY_INTR_INFO) & INTR_INFO_VALID)) {
		inject(INTR_TYPE_NMI << 8 | X86_EXC_NMI, 0);
		cpu->pending_nmi = false;
	} else {
		vmcs_write(VMCS_PROC_CONTROLS, dom0_controls.proc | PROC_NMI_WINDOW);
	}
}

/*
 * Called by the exit stub: VMX_RESUME, VMX_LAUNCH for a guest vCPU
 * just switched in (its VMCS is clear), or VMX_LEAVE when dom0 asked
 * to leave.
 */
int vmx_handle_exit(struct hv_cpu *cpu)
{
	u32 reason = vmcs_read(VMCS_EXIT_REASON);
	u32 vectoring = vmcs_read(VMCS_IDT_VECTORING_INFO);
	bool launch = false;

	if ((reason & EXIT_REASON_FAILED) && !cpu->vcpu)
		fatal_exit(cpu, "VM entry refused dom0's state", reason);
	vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
	/* An event cut short by the exit is delivered again first. */
	if (vectoring & INTR_INFO_VALID) {
		u32 type = INTR_INFO_TYPE(vectoring);

		inject(vectoring & ~INTR_INFO_NMI_UNBLOCKED,
		       vmcs_read(VMCS_IDT_VECTORING_ERROR));
		if (type >= INTR_TYPE_SW_INTERRUPT &&
		    type <= INTR_TYPE_SW_EXCEPTION)
			vmcs_write(VMCS_ENTRY_INSTRUCTION_LEN,
				vmcs_read(VMCS_EXIT_INSTRUCTION_LEN));
	}

	if (cpu->vcpu) {
		vmx_vcpu_exit(cpu, reason);
		vcpu_exit_done(cpu);
	} else {
		cpu->exits[handle_exit(cpu, reason & 0xffff)]++;
	}
	if (cpu->run_next) {
		vmx_switch_to_vcpu(cpu);
		launch = true;
	} else if (cpu->run_result) {
		vmx_switch_to_dom0(cpu);
	}

	if (cpu->vcpu) {
		vmx_vcpu_before_entry(cpu);
	} else if (cpu->pending_mc) {
		cpu->pending_mc = false;
		inject_exception(X86_EXC_MC);
	} else if (cpu->pending_nmi) {
		deliver_pending_nmi(cpu);
	}
	/* Dom0's old EPT entries, and the host's for pool chunks mapped anew. */
	if (foreign_flush_due(cpu->id)) {
		invept_all();
		flush_tlb_everything();
	}
	if (cpu->leaving)
		return VMX_LEAVE;
	return launch ? VMX_LAUNCH : VMX_RESUME;
}

/* VMLAUNCH or VMRESUME failed (entry.S): the VMCS is at fault. */
void __attribute__((noreturn)) vmx_entry_failed(struct hv_cpu *cpu)
{
	hv_printk("kxen: CPU%u: VM entry failed, instruction error %llu; CPU stopped\n",
		  cpu->id, (unsigned long long)vmcs_read(VMCS_INSTRUCTION_ERROR));
	cpu_halt_forever();
}

/*
 * Leaving: Linux's own state goes back onto the CPU, except what the exit
 * stub restores itself (data segments, GPRs). TR is loaded from a
 * writable copy of Linux's GDT with the TSS marked available, since
 * Linux's own GDT is read-only and says busy; then Linux's GDT goes back.
 * CR3 changes before the IDT, so that from the moment Linux's IDT is
 * loaded an NMI finds all of Linux in place; one taken earlier, in host
 * mode, is handed to Linux's handler before returning.
 */
void vmx_restore_linux(struct hv_cpu *cpu)
{
	struct desc_ptr gdt = { vmcs_read(VMCS_GUEST_GDTR_LIMIT),
				vmcs_read(VMCS_GUEST_GDTR_BASE) };
	struct desc_ptr idt = { vmcs_read(VMCS_GUEST_IDTR_LIMIT),
				vmcs_read(VMCS_GUEST_IDTR_BASE) };
	struct desc_ptr gdt_copy = { gdt.limit, (u64)cpu->gdt_copy };
	u16 tr = vmcs_read(VMCS_GUEST_SEL(SEG_TR));
	u16 fs = vmcs_read(VMCS_GUEST_SEL(SEG_FS));
	u16 gs = vmcs_read(VMCS_GUEST_SEL(SEG_GS));
	u64 fs_base = vmcs_read(VMCS_GUEST_BASE(SEG_FS));
	u64 gs_base = vmcs_read(VMCS_GUEST_BASE(SEG_GS));
	u64 cr0 = vmcs_read(VMCS_GUEST_CR0), cr3 = vmcs_read(VMCS_GUEST_CR3);
	/* Dom0 owns every CR4 bit but VMXE, which it never set. */
	u64 cr4 = vmcs_read(VMCS_GUEST_CR4) & ~CR4_VMXE;
	u64 *tss_desc = (u64 *)((u8 *)cpu->gdt_copy + (tr & ~7u));

	hv_printk("kxen: CPU%u: back to bare Linux\n", cpu->id);
	copy_from_guest(cpu, cpu->gdt_copy, gdt.base, gdt.limit + 1u);
	*tss_desc &= ~(2ull << 40);	/* busy TSS -> available */
	wrmsr(MSR_PAT, vmcs_read(VMCS_GUEST_PAT));
	wrmsr(MSR_EFER, vmcs_read(VMCS_GUEST_EFER));
	wrmsr(MSR_DEBUGCTL, vmcs_read(VMCS_GUEST_DEBUGCTL));
	wrmsr(MSR_SYSENTER_CS, vmcs_read(VMCS_GUEST_SYSENTER_CS));
	wrmsr(MSR_SYSENTER_ESP, vmcs_read(VMCS_GUEST_SYSENTER_ESP));
	wrmsr(MSR_SYSENTER_EIP, vmcs_read(VMCS_GUEST_SYSENTER_EIP));
	write_dr7(vmcs_read(VMCS_GUEST_DR7));
	cpu->leave_frame[0] = vmcs_read(VMCS_GUEST_RIP);
	cpu->leave_frame[1] = vmcs_read(VMCS_GUEST_SEL(SEG_CS));
	cpu->leave_frame[2] = vmcs_read(VMCS_GUEST_RFLAGS);
	cpu->leave_frame[3] = vmcs_read(VMCS_GUEST_RSP);
	cpu->leave_frame[4] = vmcs_read(VMCS_GUEST_SEL(SEG_SS));
	cpu->leave_ds = vmcs_read(VMCS_GUEST_SEL(SEG_DS));
	cpu->leave_es = vmcs_read(VMCS_GUEST_SEL(SEG_ES));

	/* The VMCS goes back to memory before the pool returns to Linux. */
	vmclear(cpu->vmcs_pa);
	asm volatile("vmxoff" : : : "cc");
	write_cr0(cr0);
	write_cr4(cr4);
	load_gdt(&gdt_copy);
	load_tr(tr);
	load_gdt(&gdt);
	write_cr3(cr3);
	flush_tlb_everything();
	load_fs_gs(fs, gs);
	wrmsr(MSR_FS_BASE, fs_base);
	wrmsr(MSR_GS_BASE, gs_base);
	load_idt(&idt);
	cpu->leaving = false;
	if (cpu->pending_nmi) {
		cpu->pending_nmi = false;
		asm volatile("int $2");
	}
}

/* The fields kxen set, as the VMCS holds them now. */
static long vmx_read_state(struct hv_cpu *cpu, u64 buf, u64 size)
{
	const struct vmcs_image *img = cpu->vmcs_image;
	unsigned int i;

	if (size < img->nr * sizeof(struct kxen_vmcs_field))
		return -XEN_EINVAL;
	for (i = 0; i < img->nr; i++) {
		struct kxen_vmcs_field f = {
			.encoding = img->field[i].encoding,
			.value = vmcs_read(img->field[i].encoding),
		};

		if (copy_to_guest(cpu, buf + i * sizeof(f), &f, sizeof(f)))
			return -XEN_EFAULT;
	}
	return img->nr * sizeof(struct kxen_vmcs_field);
}

const struct vcpu_ops vmx_ops = {
	.name = "Intel VMX",
	.p2m_format = &ept_format,
	/* MCG_SER_P, MCG_TES_P, MCG_CMCI_P */
	.guest_mcg_cap = BIT_ULL(24) | BIT_ULL(11) | BIT_ULL(10) | GUEST_MC_BANKS,
	.hypercall_insn = { 0x0f, 0x01, 0xc1 },	/* vmcall */
	.prepare = vmx_prepare,
	.cpu_prepare = vmx_cpu_prepare,
	.cpu_enter = vmx_cpu_enter,
	.read_state = vmx_read_state,
	.vcpu_create = vmx_vcpu_create,
	.vcpu_save = vmx_vcpu_save,
	.set_guest_pat = vmx_set_guest_pat,
};
