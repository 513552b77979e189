/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen's public ABI headers (Debian's libxen-dev, Xen 4.17), for the
 * freestanding build: they want <stdint.h> types and nothing else from
 * a C library.
 */
#ifndef HV_XEN_H
#define HV_XEN_H

#include <stdint.h>

/* The hypervisor implements the tools' interfaces (domctl, sysctl). */
#define __XEN_TOOLS__ 1
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/features.h>
#include <xen/version.h>
#include <xen/arch-x86/cpuid.h>

#define XEN_MAJOR	4
#define XEN_MINOR	17

#endif /* HV_XEN_H */
