// SPDX-License-Identifier: GPL-2.0
/* The xen_version hypercall, answering as Xen 4.17 does. */
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/string.h>
#include <hv/xen.h>

#define KXEN_EXTRAVERSION	".0-kxen"
/* What kxen can run: HVM guests (PVH included); PV only through a shim. */
#define KXEN_CAPABILITIES	"hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64"

/* Copies a string into a fixed-size, zero-padded Xen buffer. */
static long copy_string(struct hv_cpu *cpu, u64 arg, const char *s,
			size_t size)
{
	char buf[XEN_CAPABILITIES_INFO_LEN];
	size_t len = strlen(s);

	memset(buf, 0, size);
	memcpy(buf, s, len < size ? len : size - 1);
	return copy_to_guest(cpu, arg, buf, size) ? -XEN_EFAULT : 0;
}

static u32 feature_submap(const struct hv_cpu *cpu, unsigned int index)
{
	if (index != 0)
		return 0;
	/*
	 * An HVM domain's set, without PIRQs; dom0 adds XENFEAT_dom0. (Xen's
	 * XENFEAT_memory_op_vnode_supported is left out: no vNUMA.)
	 */
	return BIT(XENFEAT_writable_page_tables) |
	       BIT(XENFEAT_auto_translated_physmap) |
	       BIT(XENFEAT_hvm_safe_pvclock) |
	       BIT(XENFEAT_hvm_callback_vector) |
	       (cpu->vcpu ? 0 : BIT(XENFEAT_dom0));
}

long do_xen_version(struct hv_cpu *cpu, u64 cmd, u64 arg)
{
	switch (cmd) {
	case XENVER_version:
		return XEN_MAJOR << 16 | XEN_MINOR;
	case XENVER_extraversion:
		return copy_string(cpu, arg, KXEN_EXTRAVERSION,
				   sizeof(xen_extraversion_t));
	case XENVER_compile_info: {
		xen_compile_info_t info = {
			.compiler = "gcc " __VERSION__,
			.compile_by = "kxen",
		};

		return copy_to_guest(cpu, arg, &info, sizeof(info)) ?
		       -XEN_EFAULT : 0;
	}
	case XENVER_capabilities:
		return copy_string(cpu, arg, KXEN_CAPABILITIES,
				   sizeof(xen_capabilities_info_t));
	case XENVER_changeset:
		/* What Xen reports when built outside its git tree. */
		return copy_string(cpu, arg, "unavailable",
				   sizeof(xen_changeset_info_t));
	case XENVER_platform_parameters: {
		xen_platform_parameters_t params = {
			.virt_start = HYPERVISOR_VIRT_START,
		};

		return copy_to_guest(cpu, arg, &params, sizeof(params)) ?
		       -XEN_EFAULT : 0;
	}
	case XENVER_get_features: {
		xen_feature_info_t fi;

		if (copy_from_guest(cpu, &fi, arg, sizeof(fi)))
			return -XEN_EFAULT;
		fi.submap = feature_submap(cpu, fi.submap_idx);
		return copy_to_guest(cpu, arg, &fi, sizeof(fi)) ?
		       -XEN_EFAULT : 0;
	}
	case XENVER_pagesize:
		return PAGE_SIZE;
	case XENVER_guest_handle: {
		xen_domain_handle_t handle = { 0 };	/* dom0's is all zero */

		return copy_to_guest(cpu, arg, handle, sizeof(handle)) ?
		       -XEN_EFAULT : 0;
	}
	case XENVER_commandline:
		/* No Xen command line: kxen takes module parameters. */
		return copy_string(cpu, arg, "", sizeof(xen_commandline_t));
	case XENVER_build_id:
		return -XEN_ENODATA;		/* as a Xen built without one */
	default:
		return -XEN_ENOSYS;
	}
}
