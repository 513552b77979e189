// SPDX-License-Identifier: GPL-2.0
/*
 * Building dom0's VMCS from captured Linux state, and a guest vCPU's from
 * Xen's save record: which controls to run with, and every field's value. Pure logic, so that the unit tests can
 * feed it state captured on real CPUs and check the result with
 * vmcs_check() before any CPU is asked to enter it.
 */
#include <hv/errno.h>
#include <hv/x86.h>
#include <xen/xen.h>
#include <xen/hvm/save.h>
#include "vmcs.h"

void vmcs_image_set(struct vmcs_image *img, u32 encoding, u64 value)
{
	unsigned int i;

	for (i = 0; i < img->nr; i++) {
		if (img->field[i].encoding == encoding) {
			img->field[i].value = value;
			return;
		}
	}
	if (img->nr < VMCS_IMAGE_MAX)
		img->field[img->nr++] = (struct vmcs_field){ encoding, value };
	else
		img->overflow = true;
}

u64 vmcs_image_get(const struct vmcs_image *img, u32 encoding)
{
	unsigned int i;

	for (i = 0; i < img->nr; i++)
		if (img->field[i].encoding == encoding)
			return img->field[i].value;
	return 0;
}

/*
 * WANT adjusted to what CAP allows: bits the CPU insists on are added,
 * bits it cannot set are dropped. NEED are the bits that must survive.
 */
static int adjust(u64 cap, u32 want, u32 need, u32 *out)
{
	u32 value = (want | (u32)cap) & (u32)(cap >> 32);

	*out = value;
	return (value & need) == need ? 0 : -ENODEV;
}

int vmx_choose_controls(const struct vmx_caps *caps,
			struct vmx_controls *ctl)
{
	u32 pin = PIN_NMI_EXITING | PIN_VIRTUAL_NMIS;
	u32 proc = PROC_MSR_BITMAP | PROC_SECONDARY;
	u32 proc2_need = PROC2_EPT | PROC2_VPID | PROC2_UNRESTRICTED;
	u32 proc2 = proc2_need | PROC2_RDTSCP | PROC2_INVPCID | PROC2_XSAVES |
		    PROC2_UMWAIT;
	u32 exit = EXIT_SAVE_DEBUG | EXIT_HOST_64BIT | EXIT_SAVE_PAT |
		   EXIT_LOAD_PAT | EXIT_SAVE_EFER | EXIT_LOAD_EFER;
	u32 entry = ENTRY_LOAD_DEBUG | ENTRY_GUEST_64BIT | ENTRY_LOAD_PAT |
		    ENTRY_LOAD_EFER;

	if (adjust(caps->pin, pin, pin, &ctl->pin) ||
	    adjust(caps->proc, proc, proc, &ctl->proc) ||
	    adjust(caps->proc2, proc2, proc2_need, &ctl->proc2) ||
	    adjust(caps->exit, exit, exit, &ctl->exit) ||
	    adjust(caps->entry, entry, entry, &ctl->entry))
		return -ENODEV;
	if (!(caps->ept_vpid & EPT_CAP_WB))
		return -ENODEV;
	return 0;
}

static void build_segment(struct vmcs_image *img, enum vmx_seg seg,
			  const struct vmx_linux_state *s)
{
	const u64 *desc = s->desc[seg];
	bool system = seg == SEG_LDTR || seg == SEG_TR;
	u64 base = desc_base(desc[0]) | (system ? desc[1] << 32 : 0);
	u32 ar;

	if (!(s->sel[seg] & ~3u)) {
		/*
		 * A null selector: unusable. In 64-bit mode the CPU still
		 * uses FS and GS bases, and SS's DPL is the CPL.
		 */
		ar = AR_UNUSABLE;
		base = 0;
		if (seg == SEG_FS)
			base = s->fs_base;
		else if (seg == SEG_GS)
			base = s->gs_base;
		else if (seg == SEG_SS)
			ar |= (s->sel[SEG_CS] & 3) << 5;
	} else {
		/* Type, S, DPL, P, then AVL, L, D/B, G. */
		ar = desc_access(desc[0]) | desc_flags(desc[0]) << 12;
		/* Loading a segment sets its accessed bit. */
		if (!system)
			ar |= SEG_TYPE_ACCESSED;
		if (seg == SEG_FS)
			base = s->fs_base;
		else if (seg == SEG_GS)
			base = s->gs_base;
	}
	vmcs_image_set(img, VMCS_GUEST_SEL(seg), s->sel[seg]);
	vmcs_image_set(img, VMCS_GUEST_BASE(seg), base);
	vmcs_image_set(img, VMCS_GUEST_LIMIT(seg),
		       (ar & AR_UNUSABLE) ? 0 : desc_limit(desc[0]));
	vmcs_image_set(img, VMCS_GUEST_AR(seg), ar);
}

static void build_guest(struct vmcs_image *img,
			const struct vmx_linux_state *s)
{
	enum vmx_seg seg;

	for (seg = 0; seg < SEG_NR; seg++)
		build_segment(img, seg, s);
	vmcs_image_set(img, VMCS_GUEST_GDTR_BASE, s->gdt_base);
	vmcs_image_set(img, VMCS_GUEST_GDTR_LIMIT, s->gdt_limit);
	vmcs_image_set(img, VMCS_GUEST_IDTR_BASE, s->idt_base);
	vmcs_image_set(img, VMCS_GUEST_IDTR_LIMIT, s->idt_limit);
	vmcs_image_set(img, VMCS_GUEST_CR0, s->cr0);
	vmcs_image_set(img, VMCS_GUEST_CR3, s->cr3);
	/* VMXE must stay set in VMX operation; dom0 reads the shadow. */
	vmcs_image_set(img, VMCS_GUEST_CR4, s->cr4 | CR4_VMXE);
	vmcs_image_set(img, VMCS_CR4_MASK, VCPU_CR4_OWNED);
	vmcs_image_set(img, VMCS_CR4_SHADOW, s->cr4);
	vmcs_image_set(img, VMCS_CR0_MASK, 0);
	vmcs_image_set(img, VMCS_CR0_SHADOW, s->cr0);
	vmcs_image_set(img, VMCS_GUEST_DR7, s->dr7);
	vmcs_image_set(img, VMCS_GUEST_DEBUGCTL, s->debugctl);
	vmcs_image_set(img, VMCS_GUEST_PAT, s->pat);
	vmcs_image_set(img, VMCS_GUEST_EFER, s->efer);
	vmcs_image_set(img, VMCS_GUEST_SYSENTER_CS, s->sysenter_cs);
	vmcs_image_set(img, VMCS_GUEST_SYSENTER_ESP, s->sysenter_esp);
	vmcs_image_set(img, VMCS_GUEST_SYSENTER_EIP, s->sysenter_eip);
	vmcs_image_set(img, VMCS_GUEST_RIP, s->rip);
	vmcs_image_set(img, VMCS_GUEST_RSP, s->rsp);
	vmcs_image_set(img, VMCS_GUEST_RFLAGS, s->rflags);
	vmcs_image_set(img, VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmcs_image_set(img, VMCS_GUEST_ACTIVITY, 0);
	vmcs_image_set(img, VMCS_GUEST_PENDING_DEBUG, 0);
	vmcs_image_set(img, VMCS_LINK_POINTER, ~0ull);
}

static void build_host(struct vmcs_image *img, const struct vmx_host_state *h)
{
	vmcs_image_set(img, VMCS_HOST_CR0, h->cr0);
	vmcs_image_set(img, VMCS_HOST_CR3, h->cr3);
	vmcs_image_set(img, VMCS_HOST_CR4, h->cr4);
	vmcs_image_set(img, VMCS_HOST_EFER, h->efer);
	vmcs_image_set(img, VMCS_HOST_PAT, h->pat);
	vmcs_image_set(img, VMCS_HOST_CS_SEL, h->cs_sel);
	vmcs_image_set(img, VMCS_HOST_SS_SEL, h->ds_sel);
	vmcs_image_set(img, VMCS_HOST_DS_SEL, h->ds_sel);
	vmcs_image_set(img, VMCS_HOST_ES_SEL, h->ds_sel);
	vmcs_image_set(img, VMCS_HOST_FS_SEL, 0);
	vmcs_image_set(img, VMCS_HOST_GS_SEL, 0);
	vmcs_image_set(img, VMCS_HOST_TR_SEL, h->tr_sel);
	vmcs_image_set(img, VMCS_HOST_FS_BASE, 0);
	vmcs_image_set(img, VMCS_HOST_GS_BASE, 0);
	vmcs_image_set(img, VMCS_HOST_TR_BASE, h->tr_base);
	vmcs_image_set(img, VMCS_HOST_GDTR_BASE, h->gdt_base);
	vmcs_image_set(img, VMCS_HOST_IDTR_BASE, h->idt_base);
	vmcs_image_set(img, VMCS_HOST_SYSENTER_CS, 0);
	vmcs_image_set(img, VMCS_HOST_SYSENTER_ESP, 0);
	vmcs_image_set(img, VMCS_HOST_SYSENTER_EIP, 0);
	vmcs_image_set(img, VMCS_HOST_RSP, h->rsp);
	vmcs_image_set(img, VMCS_HOST_RIP, h->rip);
}

/* The controls, bitmaps and exception exits dom0 and guests share. */
static void build_controls(struct vmcs_image *img,
			   const struct vmx_controls *ctl, u64 msr_bitmap_pa,
			   u64 eptp, u16 vpid)
{
	img->nr = 0;
	img->overflow = false;
	vmcs_image_set(img, VMCS_PIN_CONTROLS, ctl->pin);
	vmcs_image_set(img, VMCS_PROC_CONTROLS, ctl->proc);
	vmcs_image_set(img, VMCS_PROC_CONTROLS2, ctl->proc2);
	vmcs_image_set(img, VMCS_EXIT_CONTROLS, ctl->exit);
	vmcs_image_set(img, VMCS_ENTRY_CONTROLS, ctl->entry);
	/* #DB and #AC: without them a guest can hang the CPU (see svm.c). */
	vmcs_image_set(img, VMCS_EXCEPTION_BITMAP,
		       BIT(X86_EXC_DB) | BIT(X86_EXC_AC));
	vmcs_image_set(img, VMCS_CR3_TARGET_COUNT, 0);
	vmcs_image_set(img, VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmcs_image_set(img, VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_image_set(img, VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_image_set(img, VMCS_ENTRY_INTR_INFO, 0);
	vmcs_image_set(img, VMCS_MSR_BITMAP, msr_bitmap_pa);
	vmcs_image_set(img, VMCS_EPT_POINTER, eptp);
	vmcs_image_set(img, VMCS_VPID, vpid);
	if (ctl->proc2 & PROC2_XSAVES)
		vmcs_image_set(img, VMCS_XSS_EXIT_BITMAP, 0);
}

void vmcs_build(struct vmcs_image *img, const struct vmx_controls *ctl,
		const struct vmx_linux_state *linux_state,
		const struct vmx_host_state *host, u64 msr_bitmap_pa, u64 eptp,
		u16 vpid)
{
	build_controls(img, ctl, msr_bitmap_pa, eptp, vpid);
	build_guest(img, linux_state);
	build_host(img, host);
}

int vmx_choose_vcpu_controls(const struct vmx_caps *caps,
			     const struct vmx_controls *dom0,
			     struct vmx_controls *ctl)
{
	u32 exits = PROC_HLT | PROC_UNCOND_IO | PROC_CR8_LOAD | PROC_CR8_STORE |
		    PROC_TSC_OFFSET;
	u32 proc = (dom0->proc | exits) & ~(PROC_CR3_LOAD | PROC_CR3_STORE);

	*ctl = *dom0;
	ctl->entry &= ~ENTRY_GUEST_64BIT;
	if (adjust(caps->pin, dom0->pin | PIN_EXTERNAL_INTERRUPT,
		   PIN_EXTERNAL_INTERRUPT, &ctl->pin) ||
	    adjust(caps->proc, proc, exits, &ctl->proc) ||
	    (ctl->proc & (PROC_CR3_LOAD | PROC_CR3_STORE)))
		return -ENODEV;
	return 0;
}

void vmcs_build_vcpu(struct vmcs_image *img, const struct vmx_controls *ctl,
		     u64 msr_bitmap_pa, u64 eptp, u16 vpid)
{
	build_controls(img, ctl, msr_bitmap_pa, eptp, vpid);
	vmcs_image_set(img, VMCS_TSC_OFFSET, 0);
	vmcs_image_set(img, VMCS_CR0_MASK, VCPU_CR0_OWNED);
	vmcs_image_set(img, VMCS_CR4_MASK, CR4_VMXE);
	vmcs_image_set(img, VMCS_LINK_POINTER, ~0ull);
}

/* Xen's save record names the segments in this order (its ABI). */
static const enum vmx_seg save_order[SEG_NR] = {
	SEG_CS, SEG_DS, SEG_ES, SEG_FS, SEG_GS, SEG_SS, SEG_TR, SEG_LDTR,
};

/*
 * Xen's attributes are SVM's: the descriptor's byte 5, then its flags
 * nibble at bit 8, where VMX has it at bit 12.
 */
static u32 access_rights(u32 attr)
{
	if (!(attr & AR_P))
		return AR_UNUSABLE;
	return (attr & 0xff) | (attr & 0xf00) << 4;
}

static u32 xen_attributes(u32 ar)
{
	if (ar & AR_UNUSABLE)
		return 0;
	return (ar & 0xff) | (ar >> 4 & 0xf00);
}

void vmcs_vcpu_state(struct vmcs_image *img, const struct vmx_caps *caps,
		     const struct vmx_controls *ctl,
		     const struct hvm_hw_cpu *r, u64 pat)
{
	/* Unrestricted guests may run with paging or protection off. */
	u64 cr0_fixed = caps->cr0_fixed0 & ~(CR0_PE | CR0_PG);
	bool lma = (r->msr_efer & EFER_LME) && (r->cr0 & CR0_PG);
	unsigned int i;

	for (i = 0; i < SEG_NR; i++) {
		enum vmx_seg seg = save_order[i];

		vmcs_image_set(img, VMCS_GUEST_SEL(seg), (&r->cs_sel)[i]);
		vmcs_image_set(img, VMCS_GUEST_BASE(seg), (&r->cs_base)[i]);
		vmcs_image_set(img, VMCS_GUEST_LIMIT(seg), (&r->cs_limit)[i]);
		vmcs_image_set(img, VMCS_GUEST_AR(seg),
			       access_rights((&r->cs_arbytes)[i]));
	}
	vmcs_image_set(img, VMCS_GUEST_GDTR_BASE, r->gdtr_base);
	vmcs_image_set(img, VMCS_GUEST_GDTR_LIMIT, r->gdtr_limit);
	vmcs_image_set(img, VMCS_GUEST_IDTR_BASE, r->idtr_base);
	vmcs_image_set(img, VMCS_GUEST_IDTR_LIMIT, r->idtr_limit);
	vmcs_image_set(img, VMCS_GUEST_CR0, r->cr0 | cr0_fixed);
	vmcs_image_set(img, VMCS_CR0_SHADOW, r->cr0);
	vmcs_image_set(img, VMCS_GUEST_CR3, r->cr3);
	vmcs_image_set(img, VMCS_GUEST_CR4, r->cr4 | caps->cr4_fixed0);
	vmcs_image_set(img, VMCS_CR4_SHADOW, r->cr4);
	vmcs_image_set(img, VMCS_GUEST_DR7, r->dr7);
	vmcs_image_set(img, VMCS_GUEST_DEBUGCTL, 0);
	vmcs_image_set(img, VMCS_GUEST_PAT, pat);
	vmcs_image_set(img, VMCS_GUEST_EFER,
		       (r->msr_efer & ~EFER_LMA) | (lma ? EFER_LMA : 0));
	vmcs_image_set(img, VMCS_ENTRY_CONTROLS,
		       ctl->entry | (lma ? ENTRY_GUEST_64BIT : 0));
	vmcs_image_set(img, VMCS_GUEST_SYSENTER_CS, r->sysenter_cs);
	vmcs_image_set(img, VMCS_GUEST_SYSENTER_ESP, r->sysenter_esp);
	vmcs_image_set(img, VMCS_GUEST_SYSENTER_EIP, r->sysenter_eip);
	vmcs_image_set(img, VMCS_GUEST_RIP, r->rip);
	vmcs_image_set(img, VMCS_GUEST_RSP, r->rsp);
	vmcs_image_set(img, VMCS_GUEST_RFLAGS, r->rflags | X86_RFLAGS_FIXED);
	vmcs_image_set(img, VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmcs_image_set(img, VMCS_GUEST_ACTIVITY, 0);
	vmcs_image_set(img, VMCS_GUEST_PENDING_DEBUG, 0);
}

void vmcs_vcpu_regs(const struct vmcs_image *img, struct hvm_hw_cpu *r)
{
	unsigned int i;

	for (i = 0; i < SEG_NR; i++) {
		enum vmx_seg seg = save_order[i];

		(&r->cs_sel)[i] = vmcs_image_get(img, VMCS_GUEST_SEL(seg));
		(&r->cs_base)[i] = vmcs_image_get(img, VMCS_GUEST_BASE(seg));
		(&r->cs_limit)[i] = vmcs_image_get(img, VMCS_GUEST_LIMIT(seg));
		(&r->cs_arbytes)[i] = xen_attributes(vmcs_image_get(img,
						VMCS_GUEST_AR(seg)));
	}
	r->gdtr_base = vmcs_image_get(img, VMCS_GUEST_GDTR_BASE);
	r->gdtr_limit = vmcs_image_get(img, VMCS_GUEST_GDTR_LIMIT);
	r->idtr_base = vmcs_image_get(img, VMCS_GUEST_IDTR_BASE);
	r->idtr_limit = vmcs_image_get(img, VMCS_GUEST_IDTR_LIMIT);
	r->cr0 = (vmcs_image_get(img, VMCS_GUEST_CR0) & ~VCPU_CR0_OWNED) |
		 (vmcs_image_get(img, VMCS_CR0_SHADOW) & VCPU_CR0_OWNED);
	r->cr3 = vmcs_image_get(img, VMCS_GUEST_CR3);
	r->cr4 = (vmcs_image_get(img, VMCS_GUEST_CR4) & ~VCPU_CR4_OWNED) |
		 (vmcs_image_get(img, VMCS_CR4_SHADOW) & VCPU_CR4_OWNED);
	r->dr7 = vmcs_image_get(img, VMCS_GUEST_DR7);
	r->msr_efer = vmcs_image_get(img, VMCS_GUEST_EFER);
	r->sysenter_cs = vmcs_image_get(img, VMCS_GUEST_SYSENTER_CS);
	r->sysenter_esp = vmcs_image_get(img, VMCS_GUEST_SYSENTER_ESP);
	r->sysenter_eip = vmcs_image_get(img, VMCS_GUEST_SYSENTER_EIP);
	r->rip = vmcs_image_get(img, VMCS_GUEST_RIP);
	r->rsp = vmcs_image_get(img, VMCS_GUEST_RSP);
	r->rflags = vmcs_image_get(img, VMCS_GUEST_RFLAGS);
}
