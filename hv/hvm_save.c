// SPDX-License-Identifier: GPL-2.0
/*
 * Xen's HVM save records (public/arch-x86/hvm/save.h) for guest domains:
 * XEN_DOMCTL_gethvmcontext and sethvmcontext, as Xen 4.17's hvm_save()
 * and hvm_load() (xen/arch/x86/hvm/save.c) read and write them. The
 * toolstack builds a PVH guest through them: it reads the whole context
 * for the header and the MTRRs, then loads the boot vCPU's registers.
 *
 * kxen keeps the CPU and MTRR records (the per-vCPU state it has) with
 * the header and end marker; the emulated devices' records come with the
 * devices. A record of another type is refused, as Xen refuses types it
 * has no handler for. Records are read from and written to dom0's buffer
 * one at a time, so no buffer of the whole context is allocated.
 */
#include <hv/cpu_policy.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/vcpu_ops.h>
#include <hv/vcpu_run.h>
#include <hv/x86.h>
#include <hv/x86_arch.h>
#include <xen/arch-x86/cpufeatureset.h>
#include <xen/domctl.h>

/* Xen's reset values: IA32_MTRRCAP with WC, fixed ranges and 8 pairs. */
#define MTRRCAP_RESET		(MTRRCAP_WC | MTRRCAP_FIX | MTRR_VCNT)
#define PAT_RESET		0x0007040600070406ull
#define FCW_RESET		0x037f
#define MXCSR_RESET		0x1f80
#define RFLAGS_MBS		BIT(1)
/* The CR0 bits a guest can set (Xen's HVM_CR0_GUEST_RESERVED_BITS). */
#define CR0_GUEST_BITS		(CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | \
				 CR0_NE | CR0_WP | CR0_AM | CR0_NW | CR0_CD | \
				 CR0_PG)
#define EFER_KNOWN		(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | \
				 EFER_SVME | EFER_FFXSE)

/* The record header and one vCPU's records, as the largest can be. */
#define HEADER_BYTES	(sizeof(struct hvm_save_descriptor) + \
			 HVM_SAVE_LENGTH(HEADER))
#define CPU_BYTES	(sizeof(struct hvm_save_descriptor) + \
			 HVM_SAVE_LENGTH(CPU))
#define MTRR_BYTES	(sizeof(struct hvm_save_descriptor) + \
			 HVM_SAVE_LENGTH(MTRR))
#define END_BYTES	sizeof(struct hvm_save_descriptor)

void vcpu_reset_cache_attrs(struct vcpu *v)
{
	mtrr_init(&v->mtrr, MTRRCAP_RESET, hv_machine.phys_addr_bits);
	v->pat = PAT_RESET;
}

/*
 * Xen's hvm_cr4_guest_valid_bits() from the domain's CPU policy: never
 * VMXE (no nested virtualisation) and never LA57 (Xen 4.17 gives HVM
 * guests no 5-level paging).
 */
static u64 cr4_guest_valid_bits(const struct cpu_policy *p)
{
	static const struct {
		unsigned int feature;
		u64 bits;
	} by_feature[] = {
		{ XEN_X86_FEATURE_VME, CR4_VME | CR4_PVI },
		{ XEN_X86_FEATURE_TSC, CR4_TSD },
		{ XEN_X86_FEATURE_DE, CR4_DE },
		{ XEN_X86_FEATURE_PSE, CR4_PSE },
		{ XEN_X86_FEATURE_PAE, CR4_PAE },
		{ XEN_X86_FEATURE_MCE, CR4_MCE },
		{ XEN_X86_FEATURE_MCA, CR4_MCE },
		{ XEN_X86_FEATURE_PGE, CR4_PGE },
		{ XEN_X86_FEATURE_FXSR, CR4_OSFXSR },
		{ XEN_X86_FEATURE_SSE, CR4_OSXMMEXCPT },
		{ XEN_X86_FEATURE_UMIP, CR4_UMIP },
		{ XEN_X86_FEATURE_FSGSBASE, CR4_FSGSBASE },
		{ XEN_X86_FEATURE_PCID, CR4_PCIDE },
		{ XEN_X86_FEATURE_XSAVE, CR4_OSXSAVE },
		{ XEN_X86_FEATURE_SMEP, CR4_SMEP },
		{ XEN_X86_FEATURE_SMAP, CR4_SMAP },
		{ XEN_X86_FEATURE_PKU, CR4_PKE },
		{ XEN_X86_FEATURE_CET_SS, CR4_CET },
		{ XEN_X86_FEATURE_CET_IBT, CR4_CET },
	};
	u64 bits = CR4_PCE;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(by_feature); i++)
		if (policy_has(p, by_feature[i].feature))
			bits |= by_feature[i].bits;
	return bits;
}

/* Xen's hvm_efer_valid(): NULL, or why EFER is refused. */
static const char *efer_invalid(const struct cpu_policy *p, u64 efer,
				bool paging)
{
	if (efer & ~EFER_KNOWN)
		return "unknown bits set";
	if ((efer & EFER_SCE) && !policy_has(p, XEN_X86_FEATURE_SYSCALL))
		return "SCE without feature";
	if ((efer & (EFER_LME | EFER_LMA)) &&
	    !policy_has(p, XEN_X86_FEATURE_LM))
		return "LME/LMA without feature";
	if ((efer & EFER_LMA) && (!(efer & EFER_LME) || !paging))
		return "LMA/LME/CR0.PG inconsistency";
	if ((efer & EFER_NXE) && !policy_has(p, XEN_X86_FEATURE_NX))
		return "NXE without feature";
	if (efer & EFER_SVME)
		return "SVME without nested virt";
	if ((efer & EFER_FFXSE) && !policy_has(p, XEN_X86_FEATURE_FFXSR))
		return "FFXSE without feature";
	return NULL;
}

/* Writes records into dom0's buffer, counting what they need. */
struct writer {
	struct hv_cpu *cpu;
	u64 buf;
	u32 size, cur;
};

static long put_record(struct writer *w, u16 type, u16 instance,
		       const void *body, u32 length)
{
	struct hvm_save_descriptor desc = {
		.typecode = type,
		.instance = instance,
		.length = length,
	};

	if (w->size - w->cur < sizeof(desc) + length)
		return -XEN_ENOSPC;
	if (copy_to_guest(w->cpu, w->buf + w->cur, &desc, sizeof(desc)) ||
	    (length && copy_to_guest(w->cpu, w->buf + w->cur + sizeof(desc),
				     body, length)))
		return -XEN_EFAULT;
	w->cur += sizeof(desc) + length;
	return 0;
}

static void save_mtrr(const struct vcpu *v, struct hvm_hw_mtrr *m)
{
	unsigned int i;

	*m = (struct hvm_hw_mtrr){
		.msr_pat_cr = v->pat,
		.msr_mtrr_cap = mtrr_cap(&v->mtrr),
		.msr_mtrr_def_type = v->mtrr.def_type,
	};
	for (i = 0; i < MTRR_VCNT; i++) {
		m->msr_mtrr_var[2 * i] = v->mtrr.var_base[i];
		m->msr_mtrr_var[2 * i + 1] = v->mtrr.var_mask[i];
	}
	memcpy(m->msr_mtrr_fixed, v->mtrr.fixed, sizeof(m->msr_mtrr_fixed));
}

/* Xen's order: the header, each type in turn for every vCPU, the end. */
static long save_records(struct writer *w, struct domain *d)
{
	struct hvm_save_header hdr = {
		.magic = HVM_FILE_MAGIC,
		.version = HVM_FILE_VERSION,
		.changeset = ~0ull,	/* unknown, as a Xen without one says */
		.gtsc_khz = hv_tsc_khz,
	};
	struct hvm_hw_mtrr mtrr;
	struct hvm_hw_cpu regs;
	u32 r[4], i;
	long ret;

	cpuid_count(1, 0, r);
	hdr.cpuid = r[0];
	ret = put_record(w, HVM_SAVE_CODE(HEADER), 0, &hdr, sizeof(hdr));
	/* A vCPU that is down has no CPU record; loading leaves it down. */
	for (i = 0; !ret && i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpu[i];

		if (!v || v->down)
			continue;
		regs = v->regs;
		/* Once it has run, as its last run left it: Xen's too. */
		if (!v->state_stale) {
			vcpu_ops->vcpu_save(w->cpu, v, &regs);
			vcpu_record_live(v, &regs);
		}
		regs.tsc = rdtsc() + v->tsc_offset;
		regs.msr_tsc_aux = v->tsc_aux;
		ret = put_record(w, HVM_SAVE_CODE(CPU), i, &regs, sizeof(regs));
	}
	for (i = 0; !ret && i < d->max_vcpus; i++) {
		if (!d->vcpu[i])
			continue;
		save_mtrr(d->vcpu[i], &mtrr);
		ret = put_record(w, HVM_SAVE_CODE(MTRR), i, &mtrr, sizeof(mtrr));
	}
	if (!ret)
		ret = put_record(w, HVM_SAVE_CODE(END), 0, NULL, 0);
	return ret;
}

long domain_get_hvm_context(struct hv_cpu *cpu, struct domain *d,
			    struct xen_domctl_hvmcontext *ctx)
{
	struct writer w = {
		.cpu = cpu,
		.buf = (u64)ctx->buffer.p,
		.size = ctx->size,
	};
	u32 made = 0, i;
	long ret;

	for (i = 0; i < d->max_vcpus; i++)
		made += !!d->vcpu[i];
	/* With no buffer, the most it can take, as Xen's hvm_save_size(). */
	if (!w.buf) {
		ctx->size = HEADER_BYTES + made * (CPU_BYTES + MTRR_BYTES) +
			    END_BYTES;
		return 0;
	}
	ret = save_records(&w, d);
	if (!ret)
		ctx->size = w.cur;
	return ret;
}

/* Reads records from dom0's buffer, as Xen's hvm_load_entry(). */
struct reader {
	struct hv_cpu *cpu;
	u64 buf;
	u32 size, cur;
	struct hvm_save_descriptor desc;	/* the record at cur */
};

/* Reads the next record's descriptor: 0, or -XEN_ENODATA at the end. */
static long next_record(struct reader *r)
{
	if (r->size - r->cur < sizeof(r->desc))
		return -XEN_ENODATA;
	if (copy_from_guest(r->cpu, &r->desc, r->buf + r->cur, sizeof(r->desc)))
		return -XEN_EFAULT;
	return 0;
}

/* The record's body, of exactly LENGTH bytes; moves past it. */
static long take_record(struct reader *r, void *body, u32 length)
{
	u32 left = r->size - r->cur - sizeof(r->desc);

	if (r->desc.length != length || length > left) {
		hv_printk("hvm restore: record %u/%u is %u bytes (%u left), want %u\n",
			  r->desc.typecode, r->desc.instance, r->desc.length,
			  left, length);
		return -XEN_EINVAL;
	}
	if (copy_from_guest(r->cpu, body, r->buf + r->cur + sizeof(r->desc),
			    length))
		return -XEN_EFAULT;
	r->cur += sizeof(r->desc) + length;
	return 0;
}

/* A per-vCPU record: its vCPU in *V and its body in BODY. */
static long take_vcpu_record(struct reader *r, struct domain *d, void *body,
			     u32 length, struct vcpu **v)
{
	u16 id = r->desc.instance;

	*v = domain_vcpu(d, id);
	if (!*v) {
		hv_printk("d%u: hvm restore: no vCPU %u\n", d->id, id);
		return -XEN_EINVAL;
	}
	return take_record(r, body, length);
}

/* Xen's hvm_load_cpu_ctxt() and svm_vmcb_restore() checks. */
static const char *cpu_record_invalid(const struct domain *d,
				      const struct hvm_hw_cpu *c)
{
	const char *efer = efer_invalid(d->cpu_policy, c->msr_efer,
					c->cr0 & CR0_PG);

	if (c->pad0)
		return "pad0 set";
	if ((c->cr0 & ~CR0_GUEST_BITS) || !(c->cr0 & CR0_ET) ||
	    (c->cr0 & (CR0_PE | CR0_PG)) == CR0_PG)
		return "bad CR0";
	if (c->cr4 & ~cr4_guest_valid_bits(d->cpu_policy))
		return "bad CR4";
	if (efer)
		return efer;
	if (c->cr3 >> hv_machine.phys_addr_bits)
		return "bad CR3";
	if (c->flags & ~XEN_X86_FPU_INITIALISED)
		return "bad flags";
	if (c->msr_tsc_aux != (u32)c->msr_tsc_aux)
		return "bad MSR_TSC_AUX";
	if (c->pending_valid &&
	    (c->pending_type == 1 || c->pending_type > 4 ||
	     c->pending_reserved ||
	     (c->pending_error_valid && c->error_code != (u16)c->error_code)))
		return "bad pending event";
	return NULL;
}

/* Older Xens saved Intel's VMCS access rights; Xen unfolds them. */
static u32 unfold_arbytes(u32 ar)
{
	if ((ar & 0xf000) && !(ar & 0x0f00))
		return (ar & 0xff) | ((ar >> 4) & 0xf00);
	return ar;
}

long vcpu_set_state(struct vcpu *v, struct hvm_hw_cpu *c, const char *what)
{
	const char *why = cpu_record_invalid(v->domain, c);

	if (why) {
		hv_printk("d%uv%u: %s: %s\n", v->domain->id, v->id, what, why);
		return -XEN_EINVAL;
	}
	c->cs_arbytes = unfold_arbytes(c->cs_arbytes);
	c->ds_arbytes = unfold_arbytes(c->ds_arbytes);
	c->es_arbytes = unfold_arbytes(c->es_arbytes);
	c->fs_arbytes = unfold_arbytes(c->fs_arbytes);
	c->gs_arbytes = unfold_arbytes(c->gs_arbytes);
	c->ss_arbytes = unfold_arbytes(c->ss_arbytes);
	c->tr_arbytes = unfold_arbytes(c->tr_arbytes);
	c->ldtr_arbytes = unfold_arbytes(c->ldtr_arbytes);
	c->rflags |= RFLAGS_MBS;
	/* Without saved FPU state, the FPU as reset. */
	if (!(c->flags & XEN_X86_FPU_INITIALISED)) {
		u32 mxcsr = MXCSR_RESET;

		memset(c->fpu_regs, 0, sizeof(c->fpu_regs));
		c->fpu_regs[0] = FCW_RESET & 0xff;
		c->fpu_regs[1] = FCW_RESET >> 8;
		memcpy(&c->fpu_regs[FXSAVE_MXCSR], &mxcsr, sizeof(mxcsr));
	}
	c->flags = XEN_X86_FPU_INITIALISED;
	v->regs = *c;
	v->tsc_aux = c->msr_tsc_aux;
	v->state_stale = true;	/* its next run starts from these */
	v->initialised = true;
	return 0;
}

static long load_cpu(struct reader *r, struct domain *d)
{
	struct hvm_hw_cpu c;
	struct vcpu *v;
	long ret;

	ret = take_vcpu_record(r, d, &c, sizeof(c), &v);
	if (!ret)
		ret = vcpu_set_state(v, &c, "hvm restore");
	if (ret)
		return ret;
	v->tsc_offset = c.tsc - rdtsc();
	v->down = false;	/* as Xen, a loaded vCPU is up */
	return 0;
}

/*
 * As Xen's hvm_load_mtrr_msr(): each MSR as a write would set it, a
 * value the CPU would refuse left as it was (Xen ignores those too).
 */
static long load_mtrr(struct reader *r, struct domain *d)
{
	struct hvm_hw_mtrr m;
	struct vcpu *v;
	u64 start, end;
	unsigned int i;
	long ret;

	ret = take_vcpu_record(r, d, &m, sizeof(m), &v);
	if (ret)
		return ret;
	if ((m.msr_mtrr_cap & MTRRCAP_VCNT) > MTRR_VCNT) {
		hv_printk("d%uv%u: hvm restore: %llu variable MTRRs\n", d->id,
			  v->id, (unsigned long long)(m.msr_mtrr_cap &
						      MTRRCAP_VCNT));
		return -XEN_EINVAL;
	}
	if (pat_valid(m.msr_pat_cr))
		v->pat = m.msr_pat_cr;
	for (i = 0; i < NUM_FIXED_MSR; i++)
		mtrr_write(&v->mtrr, mtrr_msr(&v->mtrr, 1 + 2 * v->mtrr.nr_var + i),
			   m.msr_mtrr_fixed[i], &start, &end);
	for (i = 0; i < 2 * (m.msr_mtrr_cap & MTRRCAP_VCNT); i++)
		mtrr_write(&v->mtrr, MSR_MTRR_PHYS_BASE0 + i,
			   m.msr_mtrr_var[i], &start, &end);
	mtrr_write(&v->mtrr, MSR_MTRR_DEF_TYPE, m.msr_mtrr_def_type, &start,
		   &end);
	return 0;
}

static long load_header(struct reader *r, struct domain *d)
{
	struct hvm_save_header hdr;
	u32 id[4];

	if (next_record(r) || r->desc.typecode != HVM_SAVE_CODE(HEADER) ||
	    take_record(r, &hdr, sizeof(hdr)))
		return -XEN_ENODATA;
	if (hdr.magic != HVM_FILE_MAGIC || hdr.version != HVM_FILE_VERSION) {
		hv_printk("d%u: hvm restore: magic %#x version %u\n", d->id,
			  hdr.magic, hdr.version);
		return -XEN_EINVAL;
	}
	cpuid_count(1, 0, id);
	if ((hdr.cpuid & ~0xfu) != (id[0] & ~0xfu))
		hv_printk("d%u: hvm restore: saved on CPU %#x, restored on %#x\n",
			  d->id, hdr.cpuid, id[0]);
	if (hdr.gtsc_khz && hdr.gtsc_khz != hv_tsc_khz)
		hv_printk("d%u: hvm restore: saved at %u kHz, runs at the host's %u kHz\n",
			  d->id, hdr.gtsc_khz, hv_tsc_khz);
	return 0;
}

long domain_set_hvm_context(struct hv_cpu *cpu, struct domain *d,
			    const struct xen_domctl_hvmcontext *ctx)
{
	struct reader r = {
		.cpu = cpu,
		.buf = (u64)ctx->buffer.p,
		.size = ctx->size,
	};
	long ret = load_header(&r, d);
	u32 i;

	if (ret)
		return ret;
	/* Xen downs every vCPU; those with a CPU record come up again. */
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i])
			d->vcpu[i]->down = true;
	for (;;) {
		ret = next_record(&r);
		if (ret || r.desc.typecode == HVM_SAVE_CODE(END))
			return ret;
		if (r.desc.typecode == HVM_SAVE_CODE(CPU))
			ret = load_cpu(&r, d);
		else if (r.desc.typecode == HVM_SAVE_CODE(MTRR))
			ret = load_mtrr(&r, d);
		else {
			hv_printk("d%u: hvm restore: record type %u is not kept by kxen\n",
				  d->id, r.desc.typecode);
			ret = -XEN_EINVAL;
		}
		if (ret)
			return ret;
	}
}
