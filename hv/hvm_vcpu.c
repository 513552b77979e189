// SPDX-License-Identifier: GPL-2.0
/*
 * VCPUOP_initialise for HVM and PVH guests, as Xen 4.17's
 * arch_set_info_hvm_guest(): a struct vcpu_hvm_context, in its 32-bit
 * form (segments given) or its 64-bit form (long mode, flat segments),
 * checked as Xen checks it, becomes the vCPU's state; the vCPU stays
 * down until VCPUOP_up. Xen's own tools start a PVH guest's other vCPUs
 * this way. And the other way, Linux's for HVM: the local APIC's INIT,
 * which resets a vCPU (down, its state gone), and the startup IPI,
 * which starts a reset vCPU in real mode at the vector's page.
 */
#include <hv/domain.h>
#include <hv/vcpu_run.h>
#include <hv/hv.h>
#include <hv/x86.h>
#include <hv/xen.h>

/* Segment attributes, in Xen's 12-bit form (struct segment_register). */
#define AR_TYPE_CODE	0x8
#define AR_TYPE_RW	0x2	/* readable code, writable data */
#define AR_S		0x010	/* code or data, not a system segment */
#define AR_P		0x080
#define AR_G		0x800
#define AR_DPL(ar)	(((ar) >> 5) & 3)
#define AR_TSS_BUSY	0xb
#define AR_PAD		0xf000

/* Real mode's, as Xen's hvm_vcpu_reset_state() sets them for a SIPI. */
#define AR_REAL_CODE	0x09b
#define AR_REAL_DATA	0x093
#define AR_LDT		0x082

/* Long mode's segments, as Xen sets them for VCPU_HVM_MODE_64B. */
#define AR_CODE64	0xa9b
#define AR_DATA		0xc93
#define AR_TSS64	0x08b

/* The debug registers' power-on values. */
#define DR6_RESET	0xffff0ff0
#define DR7_RESET	0x00000400

enum seg { SEG_CS, SEG_DS, SEG_SS, SEG_ES, SEG_TR };

/*
 * Xen's check_segment(), after it sets the accessed (busy for TR) bit of
 * a present segment in *AR: 0 or -XEN_EINVAL.
 */
static long check_segment(u16 *ar, enum seg seg)
{
	u16 type;

	if (*ar & AR_PAD)
		return -XEN_EINVAL;
	if (!*ar)	/* null: DS and ES only */
		return seg == SEG_DS || seg == SEG_ES ? 0 : -XEN_EINVAL;
	if (*ar & AR_P)
		*ar |= seg == SEG_TR ? 2 : 1;
	type = *ar & 0xf;
	if (!(*ar & AR_P) || !(*ar & AR_S) != (seg == SEG_TR))
		return -XEN_EINVAL;
	switch (seg) {
	case SEG_TR:
		return type == AR_TSS_BUSY ? 0 : -XEN_EINVAL;
	case SEG_CS:
		return type & AR_TYPE_CODE ? 0 : -XEN_EINVAL;
	case SEG_SS:
		return !(type & AR_TYPE_CODE) && (type & AR_TYPE_RW) ?
		       0 : -XEN_EINVAL;
	default:	/* DS, ES: not execute-only code */
		return (type & AR_TYPE_CODE) && !(type & AR_TYPE_RW) ?
		       -XEN_EINVAL : 0;
	}
}

/*
 * The registers both forms give, in their order: RAX, RCX, RDX, RBX,
 * RSP, RBP, RSI, RDI, RIP, RFLAGS, CR0, CR3, CR4, EFER.
 */
static void set_registers(struct hvm_hw_cpu *c, const u64 v[14])
{
	c->rax = v[0];
	c->rcx = v[1];
	c->rdx = v[2];
	c->rbx = v[3];
	c->rsp = v[4];
	c->rbp = v[5];
	c->rsi = v[6];
	c->rdi = v[7];
	c->rip = v[8];
	c->rflags = v[9];
	c->cr0 = v[10];
	c->cr3 = v[11];
	c->cr4 = v[12];
	c->msr_efer = v[13];
}

static long from_32bit(const struct vcpu_hvm_x86_32 *r, struct hvm_hw_cpu *c)
{
	u16 cs = r->cs_ar, ds = r->ds_ar, ss = r->ss_ar, es = r->es_ar;
	u16 tr = r->tr_ar;
	u64 limit = r->cs_limit;

	if (r->pad1 || r->pad2[0] || r->pad2[1] || r->pad2[2])
		return -XEN_EINVAL;
	if (check_segment(&cs, SEG_CS) | check_segment(&ds, SEG_DS) |
	    check_segment(&ss, SEG_SS) | check_segment(&es, SEG_ES) |
	    check_segment(&tr, SEG_TR))
		return -XEN_EINVAL;
	if (cs & AR_G)
		limit = limit << 12 | 0xfff;
	if (r->eip > limit || AR_DPL(ss) != AR_DPL(cs) ||
	    ((ds & AR_P) && AR_DPL(ds) > AR_DPL(cs)) ||
	    ((es & AR_P) && AR_DPL(es) > AR_DPL(cs)) ||
	    ((r->efer & EFER_LMA) && !(r->efer & EFER_LME)))
		return -XEN_EINVAL;
	set_registers(c, (const u64 []){
		r->eax, r->ecx, r->edx, r->ebx, r->esp, r->ebp, r->esi, r->edi,
		r->eip, r->eflags, r->cr0, r->cr3, r->cr4, r->efer });
	c->cs_base = r->cs_base;
	c->ds_base = r->ds_base;
	c->ss_base = r->ss_base;
	c->es_base = r->es_base;
	c->tr_base = r->tr_base;
	c->cs_limit = r->cs_limit;
	c->ds_limit = r->ds_limit;
	c->ss_limit = r->ss_limit;
	c->es_limit = r->es_limit;
	c->tr_limit = r->tr_limit;
	c->cs_arbytes = cs;
	c->ds_arbytes = ds;
	c->ss_arbytes = ss;
	c->es_arbytes = es;
	c->tr_arbytes = tr;
	return 0;
}

static long from_64bit(const struct vcpu_hvm_x86_64 *r, struct hvm_hw_cpu *c)
{
	/* Canonical with 48-bit addresses: bits 63-47 all equal. */
	u64 top = r->rip >> 47;

	if ((top && top != 0x1ffff) || !(r->cr0 & CR0_PG) ||
	    !(r->cr4 & CR4_PAE) || !(r->efer & EFER_LME))
		return -XEN_EINVAL;
	set_registers(c, (const u64 []){
		r->rax, r->rcx, r->rdx, r->rbx, r->rsp, r->rbp, r->rsi, r->rdi,
		r->rip, r->rflags, r->cr0, r->cr3, r->cr4, r->efer });
	c->cs_limit = c->ds_limit = c->ss_limit = c->es_limit = ~0u;
	c->cs_arbytes = AR_CODE64;
	c->ds_arbytes = c->ss_arbytes = c->es_arbytes = AR_DATA;
	c->tr_limit = 0x67;
	c->tr_arbytes = AR_TSS64;
	return 0;
}

void vcpu_init_signal(struct vcpu *v)
{
	if (!v->initialised)
		return;		/* reset already */
	v->initialised = false;
	vlapic_init(&v->vlapic);
	vcpu_set_down(v, true);
}

void vcpu_startup_ipi(struct vcpu *v, u8 vector)
{
	struct hvm_hw_cpu c = {
		.cr0 = CR0_ET,
		.dr6 = DR6_RESET,
		.dr7 = DR7_RESET,
		.cs_sel = vector << 8,
		.cs_base = vector << 12,
		.cs_arbytes = AR_REAL_CODE,
		.ds_arbytes = AR_REAL_DATA,
		.es_arbytes = AR_REAL_DATA,
		.fs_arbytes = AR_REAL_DATA,
		.gs_arbytes = AR_REAL_DATA,
		.ss_arbytes = AR_REAL_DATA,
		.tr_arbytes = AR_TSS_BUSY | AR_P,
		.ldtr_arbytes = AR_LDT,
		.cs_limit = 0xffff, .ds_limit = 0xffff, .es_limit = 0xffff,
		.fs_limit = 0xffff, .gs_limit = 0xffff, .ss_limit = 0xffff,
		.tr_limit = 0xffff, .ldtr_limit = 0xffff,
		.gdtr_limit = 0xffff, .idtr_limit = 0xffff,
	};

	/* As Xen: a vCPU INIT has not reset ignores the SIPI. */
	if (v->initialised || vcpu_set_state(v, &c, "SIPI"))
		return;
	v->tsc_offset = v->domain->vcpu[0]->tsc_offset;
	vcpu_set_down(v, false);
}

long vcpu_initialise_hvm(struct vcpu *v, const struct vcpu_hvm_context *ctx)
{
	struct vcpu *bsp = v->domain->vcpu[0];
	struct hvm_hw_cpu c = { 0 };
	long ret;

	if (ctx->pad)
		return -XEN_EINVAL;
	switch (ctx->mode) {
	case VCPU_HVM_MODE_32B:
		ret = from_32bit(&ctx->cpu_regs.x86_32, &c);
		break;
	case VCPU_HVM_MODE_64B:
		ret = from_64bit(&ctx->cpu_regs.x86_64, &c);
		break;
	default:
		ret = -XEN_EINVAL;
		break;
	}
	if (ret)
		return ret;
	if (c.msr_efer & EFER_LME)
		c.msr_efer |= EFER_LMA;
	c.dr6 = DR6_RESET;
	c.dr7 = DR7_RESET;
	ret = vcpu_set_state(v, &c, "VCPUOP_initialise");
	if (ret)
		return ret;
	v->tsc_offset = bsp->tsc_offset;	/* as Xen syncs an AP's TSC */
	v->down = true;
	return 0;
}
