// SPDX-License-Identifier: GPL-2.0
/*
 * The domain table: dom0, made at preparation, and the guests
 * XEN_DOMCTL_createdomain makes, with their vCPUs.
 */
#include <hv/cpu_policy.h>
#include <hv/domain.h>
#include <hv/event_channel.h>
#include <hv/hv.h>
#include <hv/printk.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hv/vcpu_ops.h>
#include <hv/x86.h>
#include <hv/xen.h>
#include <xen/domctl.h>

/* Xen's defaults for the grant-table limits a toolstack may lower. */
#define GNTTAB_MAX_VERSION		2
#define GNTTAB_MAX_FRAMES		64
#define GNTTAB_MAX_MAPTRACK_FRAMES	1024

/* Xen's SHUTDOWN_CODE_INVALID: the domain has not shut down. */
#define SHUTDOWN_CODE_INVALID		(~0u)

struct hv_spinlock domain_lock;
u64 run_generation;
static struct domain domains[MAX_DOMAINS];

/* A vCPU is one pool page. */
_Static_assert(sizeof(struct vcpu) <= PAGE_SIZE, "struct vcpu");
/* So is a guest's CPU policy. */
_Static_assert(sizeof(struct cpu_policy) <= PAGE_SIZE, "struct cpu_policy");

static void vcpu_free(struct vcpu *v)
{
	if (v->ctl)
		page_free(&hv_pool, v->ctl);
	if (v->fpu)
		page_free(&hv_pool, v->fpu);
	page_free(&hv_pool, v);
}

/*
 * A guest vCPU has a control block and an FPU area where the vendor can
 * run guests; dom0's vCPUs are its CPUs and need neither.
 */
static struct vcpu *vcpu_alloc(struct domain *d, u32 id)
{
	struct vcpu *v = page_alloc(&hv_pool);

	if (!v)
		return NULL;
	*v = (struct vcpu){
		.domain = d,
		.id = id,
		.down = true,
		.hard_affinity = cpumap_all(),
		.soft_affinity = cpumap_all(),
		.state_stale = true,
		.vcpu_info_gfn = INVALID_GFN,
		.runstate.state = RUNSTATE_offline,
		.runstate.state_entry_time = system_time(),
		.singleshot_deadline = NO_DEADLINE,
		.poll_deadline = NO_DEADLINE,
		.timer_armed = NO_DEADLINE,
	};
	vcpu_reset_cache_attrs(v);
	if (d->id)
		vlapic_reset(&v->vlapic, id);
	if (d->id && vcpu_ops->vcpu_create) {
		v->fpu = page_alloc(&hv_pool);
		if (!v->fpu || vcpu_ops->vcpu_create(v)) {
			vcpu_free(v);
			return NULL;
		}
	}
	d->vcpu[id] = v;
	return v;
}

/* Frees D's vCPUs and their array, and gives up its slot. */
static void slot_free(struct domain *d)
{
	u32 i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i])
			vcpu_free(d->vcpu[i]);
	domain_evtchn_destroy(d);
	page_free(&hv_pool, d->vcpu);
	d->vcpu = NULL;
	domain_shared_info_free(d);
	if (d->cpu_policy && d->cpu_policy != system_cpu_policy(POLICY_DOM0))
		page_free(&hv_pool, d->cpu_policy);
	d->cpu_policy = NULL;
	d->in_use = false;
}

static struct domain *slot_alloc(u32 max_vcpus)
{
	unsigned int i;

	for (i = 0; i < MAX_DOMAINS; i++) {
		if (domains[i].in_use)
			continue;
		/* One page of vCPU pointers covers DOMAIN_MAX_VCPUS. */
		domains[i] = (struct domain){
			.vcpu = page_alloc(&hv_pool),
			.max_vcpus = max_vcpus,
			.shutdown_code = SHUTDOWN_CODE_INVALID,
			.shared_info_gfn = INVALID_GFN,
		};
		if (!domains[i].vcpu)
			return NULL;
		domains[i].in_use = true;
		return &domains[i];
	}
	return NULL;
}

int domain_init_dom0(u64 tot_pages)
{
	struct domain *d;
	struct vcpu *v;
	u32 cpu, n;

	/* Counted from the map itself, which the loop below walks. */
	d = slot_alloc(cpumap_weight(cpumap_online()));
	if (!d)
		return -XEN_ENOMEM;
	d->cdf = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
	domain_params_init(d);
	d->cpu_policy = (struct cpu_policy *)system_cpu_policy(POLICY_DOM0);
	d->creation_finished = true;
	d->tot_pages = tot_pages;
	/* As Xen's PVH dom0 without dom0_mem=max: what it has. */
	d->max_pages = tot_pages;
	for (cpu = 0, n = 0; cpu < hv_machine.nr_cpu_ids; cpu++) {
		if (!hv_cpu_online(cpu))
			continue;
		v = vcpu_alloc(d, n++);
		if (!v)
			return -XEN_ENOMEM;
		/* HLT does not exit: as Xen counts it, dom0 always runs. */
		v->down = false;
		v->running = true;
		vcpu_runstate_sync(v);
		v->processor = cpu;
		/* Dom0's vCPU is its CPU: it cannot run anywhere else. */
		v->hard_affinity = 1ull << cpu;
	}
	return 0;
}

static long refuse(const char *why, u32 value)
{
	hv_printk("createdomain: %s (%#x)\n", why, value);
	return -XEN_EINVAL;
}

/*
 * What Xen 4.17's sanitise_domain_config() and arch_sanitise_domain_config()
 * refuse, on a host with HVM and HAP but no PV, shadow paging, IOMMU,
 * vmtrace, vPMU or nested virtualisation to offer.
 */
static long config_check(const struct xen_domctl_createdomain *c)
{
	u32 known = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap |
		    XEN_DOMCTL_CDF_s3_integrity | XEN_DOMCTL_CDF_oos_off |
		    XEN_DOMCTL_CDF_xs_domain | XEN_DOMCTL_CDF_iommu |
		    XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu;
	u32 unavailable = XEN_DOMCTL_CDF_s3_integrity | XEN_DOMCTL_CDF_iommu |
			  XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu;
	bool hvm = c->flags & XEN_DOMCTL_CDF_hvm;

	if (c->flags & ~known)
		return refuse("unknown flags", c->flags);
	if (c->grant_opts & ~XEN_DOMCTL_GRANT_version_mask)
		return refuse("unknown grant options", c->grant_opts);
	if (c->max_vcpus < 1 || c->max_vcpus > DOMAIN_MAX_VCPUS)
		return refuse("vCPU count not in 1-128", c->max_vcpus);
	if (!hvm)
		return refuse("PV guests are not supported", c->flags);
	if (c->flags & unavailable)
		return refuse("kxen has no TBOOT, IOMMU, nested virtualisation or vPMU",
			      c->flags & unavailable);
	/* Xen would fall back on shadow paging, which kxen does not have. */
	if (!(c->flags & XEN_DOMCTL_CDF_hap))
		return refuse("HVM without HAP is not supported", c->flags);
	if (c->iommu_opts)
		return refuse("IOMMU options without an IOMMU", c->iommu_opts);
	if (c->vmtrace_size)
		return refuse("vmtrace is not available", c->vmtrace_size);
	if (c->arch.misc_flags & ~XEN_X86_MSR_RELAXED)
		return refuse("unknown misc flags", c->arch.misc_flags);
	return 0;
}

/*
 * Xen 4.17's arch_domain_create(): an HVM domU has every emulator but
 * vPCI (HVM) or only the LAPIC (PVH). kxen runs PVH guests; an HVM one is
 * refused as Xen refuses combinations it cannot build.
 */
static long emulation_check(u32 emflags)
{
	if (emflags & ~XEN_X86_EMU_ALL) {
		hv_printk("createdomain: invalid emulation bitmap %#x\n",
			  emflags);
		return -XEN_EINVAL;
	}
	if (emflags == (XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI)) {
		hv_printk("createdomain: HVM guests with emulated devices are not supported yet\n");
		return -XEN_EOPNOTSUPP;
	}
	if (emflags != XEN_X86_EMU_LAPIC) {
		hv_printk("createdomain: emulators %#x make no HVM or PVH guest\n",
			  emflags);
		return -XEN_EOPNOTSUPP;
	}
	return 0;
}

/* Xen 4.17's grant_table_init() limits. */
static long grant_check(u32 version, s32 frames, s32 maptrack)
{
	if (!version || version > GNTTAB_MAX_VERSION)
		return refuse("grant table version not 1 or 2", version);
	if (frames < 1 || frames > GNTTAB_MAX_FRAMES ||
	    maptrack > GNTTAB_MAX_MAPTRACK_FRAMES)
		return refuse("grant or maptrack frames over Xen's 64/1024",
			      frames);
	return 0;
}

/* Checks in Xen's order, so that a config with several faults gets its errno. */
long domain_create(u16 id, void *config, struct domain **out)
{
	struct xen_domctl_createdomain *c = config;
	u32 version = c->grant_opts & XEN_DOMCTL_GRANT_version_mask;
	/* Negative limits mean Xen's default, the maximum. */
	s32 frames = c->max_grant_frames < 0 ? GNTTAB_MAX_FRAMES :
					       c->max_grant_frames;
	s32 maptrack = c->max_maptrack_frames < 0 ?
		       GNTTAB_MAX_MAPTRACK_FRAMES : c->max_maptrack_frames;
	struct domain *d;
	long ret;

	ret = config_check(c);
	if (!ret)
		ret = emulation_check(c->arch.emulation_flags);
	if (!ret)
		ret = grant_check(version, frames, maptrack);
	if (!ret && c->cpupool_id != 0)
		ret = -XEN_ESRCH;	/* kxen has only pool 0 */
	if (ret)
		return ret;
	d = slot_alloc(c->max_vcpus);
	if (!d)
		return -XEN_ENOMEM;
	/* As Xen, a guest starts with the HVM default policy. */
	d->cpu_policy = page_alloc(&hv_pool);
	if (!d->cpu_policy || domain_shared_info_init(d) ||
	    p2m_init(&d->p2m, dom0_p2m.fmt, dom0_p2m.levels,
		     dom0_p2m.max_leaf_level, &hv_pool)) {
		slot_free(d);
		return -XEN_ENOMEM;
	}
	*d->cpu_policy = *system_cpu_policy(POLICY_HVM_DEFAULT);
	d->id = id;
	d->cdf = c->flags;
	d->emulation_flags = c->arch.emulation_flags;
	d->max_evtchn_port = c->max_evtchn_port;
	d->max_grant_frames = frames;
	d->max_maptrack_frames = maptrack;
	d->max_grant_version = version;
	d->controller_pauses = 1;	/* until the toolstack has built it */
	d->tsc_mode = TSC_MODE_DEFAULT;
	d->tsc_incarnation = 1;		/* Xen sets the default mode once */
	domain_params_init(d);
	memcpy(d->handle, c->handle, sizeof(d->handle));
	*out = d;
	return 0;
}

void domain_destroy(struct domain *d)
{
	domain_memory_release(d);
	p2m_destroy(&d->p2m);
	slot_free(d);
}

long domain_make_vcpus(struct domain *d, u32 max)
{
	u32 i;

	for (i = 0; i < max; i++)
		if (!d->vcpu[i] && !vcpu_alloc(d, i))
			return -XEN_ENOMEM;
	return 0;
}

struct domain *domain_find(u16 id)
{
	unsigned int i;

	for (i = 0; i < MAX_DOMAINS; i++)
		if (domains[i].in_use && domains[i].id == id)
			return &domains[i];
	return NULL;
}

struct vcpu *domain_vcpu(const struct domain *d, u32 id)
{
	return id < d->max_vcpus ? d->vcpu[id] : NULL;
}

struct vcpu *guest_vcpu_find(u64 domid, u64 id)
{
	struct domain *d;

	if (!domid || domid >= DOMID_FIRST_RESERVED || id >= DOMAIN_MAX_VCPUS)
		return NULL;
	d = domain_find(domid);
	return d ? domain_vcpu(d, id) : NULL;
}

struct domain *caller_domain(const struct hv_cpu *cpu)
{
	return cpu->vcpu ? cpu->vcpu->domain : domain_find(0);
}

struct domain *domain_by_any_id(const struct hv_cpu *cpu, u16 domid)
{
	return domid == DOMID_SELF ? caller_domain(cpu) : domain_find(domid);
}

bool caller_may_target(const struct hv_cpu *cpu, const struct domain *d)
{
	return !cpu->vcpu || cpu->vcpu->domain == d;
}

struct domain *domain_next(u16 id)
{
	struct domain *best = NULL;
	unsigned int i;

	for (i = 0; i < MAX_DOMAINS; i++)
		if (domains[i].in_use && domains[i].id >= id &&
		    (!best || domains[i].id < best->id))
			best = &domains[i];
	return best;
}

unsigned int domain_count(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < MAX_DOMAINS; i++)
		n += domains[i].in_use;
	return n;
}

/*
 * As Xen 4.17's getdomaininfo(): blocked only if every online vCPU is,
 * running if any is, and the shutdown code in the flags even when the
 * domain has not shut down (all ones then, as in Xen).
 */
void domain_info(const struct domain *d, void *out)
{
	struct xen_domctl_getdomaininfo *info = out;
	u32 flags = XEN_DOMINF_blocked, i;
	const struct vcpu *v;

	*info = (struct xen_domctl_getdomaininfo){
		.domain = d->id,
		.tot_pages = d->tot_pages,
		.max_pages = d->max_pages,
		.outstanding_pages = d->outstanding_pages,
		.shared_info_frame = d->shared_info_gfn,
		.max_vcpu_id = XEN_INVALID_MAX_VCPU_ID,
		.cpupool = 0,
		.gpaddr_bits = hv_machine.phys_addr_bits,
		.arch_config.emulation_flags = d->emulation_flags,
	};
	for (i = 0; i < d->max_vcpus; i++) {
		v = d->vcpu[i];
		if (!v)
			continue;
		info->cpu_time += vcpu_run_ns(v);
		info->max_vcpu_id = i;
		if (v->down)
			continue;
		if (!v->blocked)
			flags &= ~XEN_DOMINF_blocked;
		if (v->running)
			flags |= XEN_DOMINF_running;
		info->nr_online_vcpus++;
	}
	info->flags = (info->nr_online_vcpus ? flags : 0) |
		      (d->controller_pauses ? XEN_DOMINF_paused : 0) |
		      (d->shut_down ? XEN_DOMINF_shutdown : 0) |
		      (d->dying ? XEN_DOMINF_dying : 0) |
		      (d->cdf & XEN_DOMCTL_CDF_xs_domain ?
		       XEN_DOMINF_xs_domain : 0) |
		      (d->cdf & XEN_DOMCTL_CDF_hvm ? XEN_DOMINF_hvm_guest : 0) |
		      (d->cdf & XEN_DOMCTL_CDF_hap ? XEN_DOMINF_hap : 0) |
		      d->shutdown_code << XEN_DOMINF_shutdownshift;
	memcpy(info->handle, d->handle, sizeof(info->handle));
}
