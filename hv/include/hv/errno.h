/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor's internal error numbers, returned to the module too.
 * They are Linux's values, as are Xen's hypercall errors (which come
 * from Xen's <xen/errno.h> as XEN_E*).
 */
#ifndef HV_ERRNO_H
#define HV_ERRNO_H

#define EPERM		1
#define ENOENT		2
#define EIO		5
#define ENOMEM		12
#define EFAULT		14
#define EBUSY		16
#define ENODEV		19
#define EINVAL		22
#define EOPNOTSUPP	95

#endif /* HV_ERRNO_H */
