/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_SVM_NPT_H
#define HV_SVM_NPT_H

#include <hv/p2m.h>

/* AMD nested page tables: long-mode page-table entries. */
extern const struct p2m_format npt_format;

#endif /* HV_SVM_NPT_H */
