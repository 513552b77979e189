/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_X86_PAGING_H
#define HV_X86_PAGING_H

#include <hv/p2m.h>

/* The hypervisor's own long-mode page tables (no user pages). */
extern const struct p2m_format host_pt_format;
/* AMD nested page tables: long-mode entries, all user. */
extern const struct p2m_format npt_format;
/* Intel extended page tables. */
extern const struct p2m_format ept_format;

#endif /* HV_X86_PAGING_H */
