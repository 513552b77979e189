/* SPDX-License-Identifier: GPL-2.0 */
/* The hypervisor's global state, set up once by hv_prepare(). */
#ifndef HV_HV_H
#define HV_HV_H

#include <kxen/console.h>
#include <kxen/hv_abi.h>
#include <hv/cpu.h>
#include <hv/p2m.h>
#include <hv/page_pool.h>

extern struct page_pool hv_pool;
extern struct p2m host_page_table;
extern struct p2m dom0_p2m;
extern u64 hv_direct_map;	/* where the host maps physical memory */
extern bool hv_nrips;
extern u32 hv_tsc_khz;
extern struct kxen_console *hv_console;

/* The machine as Linux described it at load, for Xen's physinfo. */
struct hv_machine {
	u64 ram_pages;		/* System RAM */
	u64 max_mfn;		/* its highest page frame */
	u32 nr_cpu_ids;		/* CPU ids are below this */
	u32 phys_addr_bits;
	u32 nr_online_cpus;
	u32 threads_per_core;
	u32 cores_per_socket;
	u16 cpu_core[KXEN_MAX_CPUS];	/* KXEN_NO_TOPOLOGY: offline */
	u16 cpu_socket[KXEN_MAX_CPUS];
};

extern struct hv_machine hv_machine;

/* Whether CPU id CPU was online at load (Linux gave its topology). */
static inline bool hv_cpu_online(u32 cpu)
{
	return cpu < hv_machine.nr_cpu_ids &&
	       hv_machine.cpu_core[cpu] != KXEN_NO_TOPOLOGY;
}

/* Pages in one chunk of the pool as dom0 donates it, 2 MiB aligned. */
#define CHUNK_PAGES	(KXEN_CHUNK_SIZE / PAGE_SIZE)

/* The image's bounds in memory (head.S and hv.lds). */
extern char __image_start[], __image_end[];

/* Whether physical page PA belongs to the hypervisor (image or pool). */
bool hv_owns_page(u64 pa);
/* Maps SIZE bytes at PA at host virtual address VA: 0 or -ENOMEM. */
int host_map(u64 va, u64 pa, u64 size);
/* The host's mapping of RAM at physical address PA. */
static inline void *hv_phys_to_virt(u64 pa)
{
	return (void *)(hv_direct_map + pa);
}

/* Host-mode exception entry stubs, 16 bytes a vector (exception.S). */
extern const char exception_stubs[];
#define EXCEPTION_STUB_SIZE 16

/* Host descriptor tables (arch/x86/desc.c) and their selectors. */
#define HOST_CS		0x08
#define HOST_DS		0x10
#define HOST_TSS	0x18
void desc_prepare(void);
void desc_cpu_prepare(struct hv_cpu *cpu);
void desc_load_host(struct hv_cpu *cpu);
u64 desc_host_idt_base(void);

/* What dom0 sees of CPUID; REGS are the guest's RAX..RDX in and out. */
void cpuid_emulate(struct hv_cpu *cpu);
/*
 * Xen's leaves at 0x40000000 for vCPU VCPU_ID of DOMID into R; false for
 * any other leaf.
 */
bool xen_cpuid_leaf(u32 leaf, u32 subleaf, u16 domid, u32 vcpu_id, u32 r[4]);
/*
 * A hypercall from dom0 on CPU; sets its RAX, and for a call to be made
 * again (hypercall_continue()) RDI and RSI (and RDX) as well, with RAX
 * KXEN_HYPERCALL_AGAIN. The vendor code steps over the instruction.
 */
void hypercall(struct hv_cpu *cpu);
long do_xen_version(struct hv_cpu *cpu, u64 cmd, u64 arg);
long do_sysctl(struct hv_cpu *cpu, u64 arg);
long do_domctl(struct hv_cpu *cpu, u64 arg);
long do_memory_op(struct hv_cpu *cpu, u64 cmd, u64 arg);
long do_multicall(struct hv_cpu *cpu, u64 list, u64 nr_calls);
long do_sched_op(struct hv_cpu *cpu, u64 cmd, u64 arg);
long do_console_io(struct hv_cpu *cpu, u64 cmd, u64 count, u64 buf);
long do_hvm_op(struct hv_cpu *cpu, u64 op, u64 arg);
long do_vcpu_op(struct hv_cpu *cpu, u64 cmd, u64 vcpuid, u64 arg);
long do_vm_assist(struct hv_cpu *cpu, u64 cmd, u64 type);
/* Xen hypercall OP with arguments A[0..4]; never kxen's own. */
long hypercall_dispatch(struct hv_cpu *cpu, u64 op, const u64 *a);
/*
 * Makes the guest issue the hypercall it is in again, with ARG0 and ARG1
 * as its first two arguments: RIP stays on the instruction, so the CPU
 * takes its interrupts before the call goes on (Xen's continuation for
 * HVM guests). Returns what the call returns now, which the guest never
 * sees.
 */
long hypercall_continue(struct hv_cpu *cpu, u64 arg0, u64 arg1);
/* The same with the first three arguments. */
long hypercall_continue3(struct hv_cpu *cpu, u64 arg0, u64 arg1, u64 arg2);
long do_kxen_op(struct hv_cpu *cpu, u64 op, u64 arg1, u64 arg2);
/*
 * Copies the hypervisor's log from *POS on to the guest's GVA, at most
 * SIZE bytes, advancing *POS and adding what was overwritten unread to
 * *LOST. Returns the bytes copied, or -XEN_EFAULT.
 */
long console_to_guest(struct hv_cpu *cpu, u64 *pos, u64 gva, u64 size,
		      u64 *lost);
/* The hypercall page the guest asked for with a write to MSR 0x40000000. */
#define MSR_HYPERCALL_PAGE	0x40000000
int hypercall_page_write(struct hv_cpu *cpu, u64 val);

/*
 * RDMSR or WRMSR of an intercepted MSR (number in RCX, value in EDX:EAX):
 * the hypercall-page MSR here, the rest by VENDOR_MSR, which returns
 * nonzero for #GP. Returns nonzero when the guest gets #GP.
 */
typedef int (*vendor_msr_fn)(struct hv_cpu *cpu, u32 msr, bool write,
			     u64 *val);
int msr_emulate(struct hv_cpu *cpu, bool write, vendor_msr_fn vendor_msr);
/*
 * Guest vCPU V's IA32_TSC_AUX (where it has RDTSCP or RDPID) replaces
 * dom0's on CPU while V runs: the vendor code calls these as it
 * switches V in and out.
 */
void tsc_aux_switch_in(struct hv_cpu *cpu, const struct vcpu *v);
void tsc_aux_switch_out(struct hv_cpu *cpu, const struct vcpu *v);
/*
 * Xen's vMCE MSRs of guest vCPU V (hv/vmce.c): 0, -EPERM for #GP, or
 * -ENOENT when MSR is not one.
 */
int vmce_msr(struct vcpu *v, u32 msr, bool write, u64 *val);

#endif /* HV_HV_H */
