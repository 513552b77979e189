/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen's structures as a 32-bit guest lays them out (Xen's compat ABI):
 * where the 64-bit hypervisor reads or writes guest memory for a guest
 * in 32-bit mode, or with a 32-bit shared_info, it uses these. Handles
 * and longs are 32 bits, and 64-bit fields are only 4-byte aligned.
 *
 * The 32-bit PVH test guests check each of these against Xen's own
 * header built for i386 (selftests/guests/hypercalls.c).
 */
#ifndef HV_COMPAT_H
#define HV_COMPAT_H

#include <kxen/types.h>

struct compat_memory_map {
	u32 nr_entries;
	u32 buffer;
};

struct compat_foreign_memory_map {
	u16 domid;
	u16 pad;
	struct compat_memory_map map;
};

struct compat_memory_reservation {
	u32 extent_start;
	u32 nr_extents;
	u32 extent_order;
	u32 mem_flags;
	u16 domid;
};

struct compat_add_to_physmap {
	u16 domid;
	u16 size;
	u32 space;
	u32 idx;
	u32 gpfn;
};

struct compat_sched_poll {
	u32 ports;
	u32 nr_ports;
	u64 timeout;
} __attribute__((packed));

struct compat_vcpu_runstate_info {
	s32 state;
	u64 state_entry_time;
	u64 time[4];
} __attribute__((packed));

struct compat_vcpu_info {
	u8 evtchn_upcall_pending;
	u8 evtchn_upcall_mask;
	u32 evtchn_pending_sel;
	u32 cr2;
	u32 pad[5];
	u8 time[32];	/* struct vcpu_time_info, alike in both layouts */
};

struct compat_shared_info {
	struct compat_vcpu_info vcpu_info[32];	/* XEN_LEGACY_MAX_VCPUS */
	u32 evtchn_pending[32];
	u32 evtchn_mask[32];
	u32 wc_version;
	u32 wc_sec;
	u32 wc_nsec;
	/* struct arch_shared_info: the PV guest's p2m, then wc_sec_hi. */
	u32 max_pfn;
	u32 pfn_to_mfn_frame_list_list;
	u32 nmi_reason;
	u32 p2m_cr3;
	u32 p2m_vaddr;
	u32 p2m_generation;
	u32 wc_sec_hi;
};

#endif /* HV_COMPAT_H */
