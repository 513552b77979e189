/* SPDX-License-Identifier: GPL-2.0 */
/* Error numbers: Xen's hypercall ABI uses Linux's values. */
#ifndef HV_ERRNO_H
#define HV_ERRNO_H

#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EAGAIN		11
#define ENOMEM		12
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define EINVAL		22
#define ENOSPC		28
#define ENOSYS		38

#endif /* HV_ERRNO_H */
