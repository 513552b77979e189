/* SPDX-License-Identifier: GPL-2.0 */
/* Error numbers: Xen's hypercall ABI uses Linux's values. */
#ifndef HV_ERRNO_H
#define HV_ERRNO_H

#define ENOMEM		12
#define EINVAL		22

#endif /* HV_ERRNO_H */
