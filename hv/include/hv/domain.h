/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Domains and their vCPUs as Xen's toolstack sees them. Dom0 is the
 * Linux kxen took over, with one vCPU per online CPU, always running;
 * guests are made by XEN_DOMCTL_createdomain and start paused with no
 * vCPUs until XEN_DOMCTL_max_vcpus. A domain's own structures come from
 * the hypervisor pool, so its creation shows in physinfo's free memory.
 */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <dm/vlapic.h>
#include <hv/cpumap.h>
#include <hv/mtrr.h>
#include <hv/p2m.h>
#include <hv/spinlock.h>
#include <hv/xen.h>
#include <kxen/types.h>
#include <xen/hvm/params.h>
#include <xen/hvm/hvm_vcpu.h>
#include <xen/hvm/save.h>
#include <xen/vcpu.h>

#define MAX_DOMAINS	64
/* No page frame: the p2m has no such gfn, or nothing is placed. */
#define INVALID_GFN	(~0ull)
/* Xen's HVM_MAX_VCPUS: what a PVH or HVM guest may ask for. */
#define DOMAIN_MAX_VCPUS	128
/* Pages of event channels a domain may have: the 2-level ABI's 4096. */
#define EVTCHN_BUCKETS		16
/* The machine-check banks a guest has (Xen's GUEST_MC_BANK_NUM). */
#define GUEST_MC_BANKS		2
/* No timer deadline (system time). */
#define NO_DEADLINE		(~0ull)

struct cpu_policy;
struct domain;
struct evtchn;
struct hv_cpu;
struct xen_domctl_hvmcontext;

struct vcpu {
	struct domain *domain;
	u32 id;
	u32 processor;		/* the CPU it runs or last ran on */
	bool down;		/* Xen's _VPF_down: not brought up */
	bool initialised;	/* has a state: sethvmcontext, VCPUOP_initialise */
	bool blocked;		/* waiting for an event */
	bool running;		/* on a CPU now */
	/* SCHEDOP_poll: blocked until POLL_PORT (0: any polled) is pending. */
	bool polling;
	u32 poll_port;
	/* Ports bound to its per-vCPU VIRQs (EVTCHNOP_bind_virq); 0: none. */
	u32 virq_to_port[NR_VIRQS];
	/*
	 * Timers (hv/vcpu_timer.c), in system time, NO_DEADLINE when off:
	 * VCPUOP's singleshot and periodic ones, and SCHEDOP_poll's timeout.
	 * TIMER_ARMED is the deadline its dom0 thread was last given.
	 */
	u64 singleshot_deadline;
	u64 periodic_period;		/* 0: off */
	u64 periodic_deadline;
	u64 poll_deadline;
	u64 timer_armed;
	/* Its emulated local APIC (dm/vlapic.c); guests' only. */
	struct vlapic vlapic;
	/*
	 * Xen's runstate (hv/vcpu_run.c), in system time, and the guest address
	 * it is copied to as the vCPU starts and stops running (0: none).
	 */
	struct vcpu_runstate_info runstate;
	u64 runstate_guest;
	/* VCPUOP_register_vcpu_info's place; INVALID_GFN: in shared_info. */
	u64 vcpu_info_gfn;
	u32 vcpu_info_offset;
	/* Where it may run, and where it would rather (as Xen keeps them). */
	cpumap_t hard_affinity;
	cpumap_t soft_affinity;
	/*
	 * Architectural state of a guest vCPU in Xen's save-record form,
	 * as XEN_DOMCTL_sethvmcontext loads it (hv/hvm_save.c); a vCPU
	 * enters with it. The TSC is kept as an offset from the host's.
	 */
	struct hvm_hw_cpu regs;
	s64 tsc_offset;
	struct mtrr_state mtrr;
	u64 pat;
	u64 tsc_aux;			/* IA32_TSC_AUX (RDTSCP, RDPID) */
	/* Xen's vMCE (hv/vmce.c): what the guest wrote. */
	u64 mcg_status;
	u64 mci_ctl2[GUEST_MC_BANKS];
	/*
	 * Execution (hv/vcpu_run.c): the vendor's control block (the VMCB),
	 * made from REGS when STATE_STALE, and kept while the vCPU is off
	 * a CPU with its GPRs and FPU state (an XSAVE area of a page).
	 */
	void *ctl;
	u64 ctl_pa;
	bool state_stale;
	u64 gprs[16];
	u8 *fpu;
	u64 xcr0;
	u64 dr[4];		/* DR0-3 */
};

struct domain {
	bool in_use;
	u16 id;
	u32 cdf;			/* XEN_DOMCTL_CDF_* it was made with */
	u32 emulation_flags;		/* XEN_X86_EMU_* */
	u8 handle[16];			/* xen_domain_handle_t */
	u32 max_vcpus;
	struct vcpu **vcpu;		/* max_vcpus slots, NULL until made */
	u32 controller_pauses;		/* XEN_DOMCTL_pausedomain's */
	u32 shutdown_code;
	/* Limits for event channels and grant tables, checked as Xen's. */
	u32 max_evtchn_port;
	u32 max_grant_frames;
	u32 max_maptrack_frames;
	u32 max_grant_version;
	u64 tot_pages;			/* RAM pages it has from the pool */
	u64 max_pages;
	u64 outstanding_pages;		/* claimed, not yet populated */
	/* Guest-physical memory; dom0 has dom0_p2m instead. */
	struct p2m p2m;
	u64 max_mapped_gfn;		/* the highest ever populated */
	u32 tsc_mode;			/* TSC_MODE_*, hv/time.c */
	u32 tsc_incarnation;
	/* The CPUID and MSRs it sees (hv/cpu_policy.c); dom0's is shared. */
	struct cpu_policy *cpu_policy;
	bool creation_finished;		/* first unpaused: policy fixed */
	bool shut_down;			/* shutdown_code says why */
	bool dying;			/* destroy waits for its vCPUs to stop */
	bool context_hold;		/* a context save or load waits */
	u32 vcpus_on_cpus;		/* vCPUs inside a run now */
	/*
	 * Xen's shared_info page (hv/shared_info.c), a pool page of its own;
	 * SHARED_INFO_GFN is where the guest placed it, or INVALID_GFN.
	 * Dom0 has none.
	 */
	void *shared_info;
	u64 shared_info_gfn;
	bool has_32bit_shinfo;		/* its layout is the 32-bit one */
	/* Its event channels (hv/event_channel.c), a pool page per bucket. */
	struct evtchn *evtchn_bucket[EVTCHN_BUCKETS];
	/* HVM_PARAM_CALLBACK_IRQ of the vector type: its upcall's vector. */
	bool has_callback_vector;
	u8 callback_vector;
	s64 time_offset_seconds;	/* XEN_DOMCTL_settimeoffset */
	u64 vm_assist;			/* VMASST_TYPE_* it enabled */
	/* Xen's HVM parameters (hv/hvm.c). */
	u64 hvm_params[HVM_NR_PARAMS];
	/*
	 * The memory map XENMEM_set_memory_map gave it, struct e820entry
	 * records in E820_PAGES pool pages; none when NR_E820 is 0.
	 */
	void *e820;
	u32 nr_e820;
	u32 e820_pages;
	/* A console_io line being written: one hypervisor log line each. */
	char console_line[128];
	u32 console_len;
};

/* Held by every domctl and by the sysctls that list domains. */
extern struct hv_spinlock domain_lock;
/* KXEN_OP_RUN_GENERATION: bumped by domain_run_changed(). */
extern u64 run_generation;

/* What may run has changed: dom0's module is to look again. */
static inline void domain_run_changed(void)
{
	__atomic_add_fetch(&run_generation, 1, __ATOMIC_RELEASE);
}

/*
 * Dom0, with a running vCPU on each CPU online at load (hv_machine) and
 * TOT_PAGES of RAM. Returns 0 or -XEN_ENOMEM.
 */
int domain_init_dom0(u64 tot_pages);

/*
 * The rest are called under domain_lock.
 *
 * Create domain ID from a struct xen_domctl_createdomain (as void: Xen's
 * tools header), checked as Xen 4.17 checks it; the new domain is paused
 * and has no vCPUs. 0 and *OUT, or a negative Xen errno.
 */
long domain_create(u16 id, void *config, struct domain **out);
/* Frees the domain, its memory and its vCPUs. Never dom0. */
void domain_destroy(struct domain *d);
/*
 * Whether a guest page frame GFN of D is one its p2m can map: within
 * the tables' reach and the host's address width (hv/memory.c).
 */
bool guest_gfn_valid(const struct domain *d, u64 gfn);
/* Cancels a guest's claim, unmaps and frees its RAM (hv/memory.c). */
void domain_memory_release(struct domain *d);
/* Pages all domains have claimed, not populated yet; under domain_lock. */
u64 memory_outstanding_claims(void);
/* Makes vCPUs 0..MAX-1 that do not exist yet, down. 0 or -XEN_ENOMEM. */
long domain_make_vcpus(struct domain *d, u32 max);
/* Domain ID, or NULL. */
struct domain *domain_find(u16 id);
/* Xen's domain_vcpu(): D's vCPU ID, or NULL if it has no such vCPU. */
struct vcpu *domain_vcpu(const struct domain *d, u32 id);
/* vCPU ID of guest DOMID (never dom0), or NULL. */
struct vcpu *guest_vcpu_find(u64 domid, u64 id);
/* The domain making the hypercall on CPU: the guest running, or dom0. */
struct domain *caller_domain(const struct hv_cpu *cpu);
/* Xen's rcu_lock_domain_by_any_id(): DOMID_SELF is the caller. */
struct domain *domain_by_any_id(const struct hv_cpu *cpu, u16 domid);
/* Xen's XSM_TARGET rule: a guest may act on itself, dom0 on any domain. */
bool caller_may_target(const struct hv_cpu *cpu, const struct domain *d);
/* A new domain's HVM parameters, as Xen sets them (hv/hvm.c). */
void domain_params_init(struct domain *d);
/* The domain with the lowest id >= ID, or NULL. */
struct domain *domain_next(u16 id);
unsigned int domain_count(void);
/* Fills a struct xen_domctl_getdomaininfo (as void: Xen's tools header). */
void domain_info(const struct domain *d, void *info);
/*
 * XEN_DOMCTL_set_paging_mempool_size for a guest (hv/memory.c): 0, a
 * negative Xen errno, or 1 when the caller should continue the call.
 */
long domain_set_paging_pool(struct hv_cpu *cpu, struct domain *d, u64 bytes);
/* A new guest vCPU's MTRRs and PAT, as Xen resets them (hv/hvm_save.c). */
void vcpu_reset_cache_attrs(struct vcpu *v);
/* XEN_DOMCTL_gethvmcontext and sethvmcontext for a guest (hv/hvm_save.c). */
long domain_get_hvm_context(struct hv_cpu *cpu, struct domain *d,
			    struct xen_domctl_hvmcontext *ctx);
long domain_set_hvm_context(struct hv_cpu *cpu, struct domain *d,
			    const struct xen_domctl_hvmcontext *ctx);
/*
 * CPU state *C, checked as Xen checks a CPU record (else -XEN_EINVAL,
 * logged with WHAT) and completed as Xen completes one (segment
 * attributes, RFLAGS, a reset FPU), becomes V's next state; V is then
 * initialised. Its TSC offset and whether it is down are the caller's.
 */
long vcpu_set_state(struct vcpu *v, struct hvm_hw_cpu *c, const char *what);
/* VCPUOP_initialise of V with the guest's struct vcpu_hvm_context CTX. */
long vcpu_initialise_hvm(struct vcpu *v, const struct vcpu_hvm_context *ctx);
/*
 * The local APIC's INIT of V (Xen's vcpu_reset() and vlapic_do_init()):
 * down and uninitialised, its LAPIC reset but for its ID.
 */
void vcpu_init_signal(struct vcpu *v);
/* A startup IPI of VECTOR: a reset V runs in real mode at VECTOR:0000. */
void vcpu_startup_ipi(struct vcpu *v, u8 vector);
/* Nanoseconds V has been running, its current run included. */
u64 vcpu_run_ns(const struct vcpu *v);
/*
 * V's runstate follows what it is doing now: running, blocked, offline
 * (down, paused or shut down) or runnable. Under domain_lock, after any
 * change to those.
 */
void vcpu_runstate_sync(struct vcpu *v);
/* The same for each of D's vCPUs. */
void domain_runstates_sync(struct domain *d);
/* Xen's vcpu_runstate_get(): V's runstate, the current state's time counted. */
void vcpu_runstate_get(const struct vcpu *v, struct vcpu_runstate_info *r);
/*
 * Copies runstate R to guest address ADDR through the page tables of the
 * vCPU on CPU, in the 32-bit layout if COMPAT: 0 or -XEN_EFAULT.
 */
long runstate_to_guest(struct hv_cpu *cpu, u64 addr,
		       const struct vcpu_runstate_info *r, bool compat);
/*
 * Copies V's runstate to the guest area it registered, if any, through
 * the page tables of the vCPU on CPU (V itself, as Xen does).
 */
void vcpu_runstate_publish(struct hv_cpu *cpu, struct vcpu *v);

/* A guest's shared_info page, zeroed, not placed. 0 or -XEN_ENOMEM. */
int domain_shared_info_init(struct domain *d);
void domain_shared_info_free(struct domain *d);
/* Whether HPA is D's shared_info page. */
bool is_shared_info(const struct domain *d, u64 hpa);
/* Writes D's wallclock into its shared_info, if any (Xen's wc_* fields). */
void domain_wallclock_update(struct domain *d);
/* D's shared_info layout follows its own mode now (32-bit or not). */
void domain_latch_shinfo_size(struct domain *d, bool guest_32bit);
/*
 * V's vcpu_info: the one it registered while that page is RAM, its slot
 * in shared_info for the first 32 vCPUs, or NULL (Xen's dummy).
 */
void *vcpu_info_of(const struct vcpu *v);
/* Writes V's pvclock into its vcpu_info; on the CPU about to run V. */
void vcpu_time_update(struct vcpu *v);
/*
 * VCPUOP_register_vcpu_info for V (SELF: V is the caller) at byte OFFSET
 * of guest page GFN: 0 or a negative Xen errno.
 */
long vcpu_info_register(struct vcpu *v, bool self, u64 gfn, u32 offset);
/*
 * Shuts D down with Xen's SHUTDOWN_* REASON (the first reason stands);
 * its vCPUs stop at their next exit.
 */
void domain_shutdown(struct domain *d, u32 reason);
/* Logs WHY (with two numbers) and shuts D down as crashed. */
void domain_crash(struct domain *d, const char *why, u64 a, u64 b);

#endif /* HV_DOMAIN_H */
