// SPDX-License-Identifier: GPL-2.0
/*
 * The dom0 device ABI as Debian's Xen libraries use it, with kxen
 * loaded: libxencall's hypercalls (buffers from /dev/xen/hypercall),
 * libxenctrl opening unmodified, and privcmd's ioctls with good and bad
 * arguments, each with the errno Linux's privcmd gives on Xen.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xencall.h>
#include <xenctrl.h>
#include <xen/sys/privcmd.h>
#include "fails_with.h"
#include "ktap.h"

#define KXEN_HYPERCALL		0x6b78	/* kxen's own: include/kxen/hv_abi.h */
#define UNUSED_HYPERCALL	63
#define PAGE			4096

static long raw_hypercall(int fd, unsigned long op, unsigned long a0,
			  unsigned long a1)
{
	privcmd_hypercall_t call = { .op = op, .arg = { a0, a1 } };

	return ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &call);
}

static bool self_maps(const char *what)
{
	char line[512];
	bool found = false;
	FILE *maps = fopen("/proc/self/maps", "r");

	while (maps && fgets(line, sizeof(line), maps))
		found |= strstr(line, what) != NULL;
	if (maps)
		fclose(maps);
	return found;
}

static void test_libxencall(void)
{
	xencall_handle *xcall = xencall_open(NULL, 0);
	char *buf;

	ktap_test_result(xcall != NULL, "libxencall opens");
	if (!xcall) {
		ktap_test_skip("libxencall hypercalls: no handle");
		ktap_test_skip("libxencall hypercalls: no handle");
		return;
	}
	ktap_test_result(xencall2(xcall, __HYPERVISOR_xen_version,
				  XENVER_version, 0) == (4 << 16 | 17),
			 "libxencall: xen_version is 4.17");
	buf = xencall_alloc_buffer(xcall, sizeof(xen_extraversion_t));
	ktap_test_result(buf && self_maps("/dev/xen/hypercall") &&
			 xencall2(xcall, __HYPERVISOR_xen_version,
				  XENVER_extraversion, (unsigned long)buf) == 0 &&
			 !strcmp(buf, ".0-kxen"),
			 "libxencall: a buffer from /dev/xen/hypercall carries the result");
	xencall_free_buffer(xcall, buf);
	xencall_close(xcall);
}

static void test_libxenctrl(void)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	xen_capabilities_info_t caps = "";

	ktap_test_result(xch && !xc_version(xch, XENVER_capabilities, caps) &&
			 strstr(caps, "hvm-3.0-x86_64"),
			 "libxenctrl opens and reads the capabilities (%s)", caps);
	if (xch)
		xc_interface_close(xch);
}

static void test_hypercall_ioctl(int fd)
{
	ktap_test_result(raw_hypercall(fd, __HYPERVISOR_xen_version,
				       XENVER_version, 0) == (4 << 16 | 17),
			 "HYPERCALL: xen_version");
	ktap_test_result(fails_with(raw_hypercall(fd, __HYPERVISOR_xen_version,
						  XENVER_extraversion, 8),
				    EFAULT),
			 "HYPERCALL: an unmapped buffer is EFAULT");
	ktap_test_result(fails_with(raw_hypercall(fd, UNUSED_HYPERCALL, 0, 0),
				    ENOSYS),
			 "HYPERCALL: an unknown hypercall is ENOSYS");
	ktap_test_result(fails_with(raw_hypercall(fd, KXEN_HYPERCALL, 1, 0),
				    ENOSYS),
			 "HYPERCALL: kxen's control hypercall is not for processes");
	ktap_test_result(fails_with(ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, 8),
				    EFAULT),
			 "HYPERCALL: a bad argument pointer is EFAULT");
}

static long dm_op(int fd, domid_t dom, unsigned int num, size_t size)
{
	static char data[2 * PAGE];
	privcmd_dm_op_buf_t bufs[17];
	privcmd_dm_op_t op = { .dom = dom, .num = num, .ubufs = bufs };
	unsigned int i;

	for (i = 0; i < num && i < 17; i++)
		bufs[i] = (privcmd_dm_op_buf_t){ .uptr = data, .size = size };
	return ioctl(fd, IOCTL_PRIVCMD_DM_OP, &op);
}

static void test_dm_op_and_restrict(int fd)
{
	domid_t dom = 1, other = 2;

	ktap_test_result(dm_op(fd, 0x7ff4, 0, 0) == 0,
			 "DM_OP: libxendevicemodel's probe (no buffers) succeeds");
	ktap_test_result(fails_with(dm_op(fd, 1, 17, 8), E2BIG) &&
			 fails_with(dm_op(fd, 1, 1, PAGE + 1), E2BIG),
			 "DM_OP: more than 16 buffers, or one over a page, is E2BIG");
	/* No dm_op exists in the hypervisor yet: the call reaches it. */
	ktap_test_result(fails_with(dm_op(fd, 1, 2, PAGE), ENOSYS),
			 "DM_OP: pinned buffers reach the hypervisor");

	ktap_test_result(ioctl(fd, IOCTL_PRIVCMD_RESTRICT, &dom) == 0 &&
			 ioctl(fd, IOCTL_PRIVCMD_RESTRICT, &dom) == 0 &&
			 fails_with(ioctl(fd, IOCTL_PRIVCMD_RESTRICT, &other),
				    EINVAL),
			 "RESTRICT: a file keeps the domain it was restricted to");
	ktap_test_result(fails_with(raw_hypercall(fd, __HYPERVISOR_xen_version,
						  XENVER_version, 0), EPERM) &&
			 fails_with(dm_op(fd, other, 1, 8), EPERM),
			 "RESTRICT: then no HYPERCALL, and DM_OP for that domain only");
}

static void test_hypercall_buffers(void)
{
	int fd = open("/dev/xen/hypercall", O_RDWR | O_CLOEXEC);
	unsigned char *p;
	size_t i;
	bool zero = true;

	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ktap_test_result(fd >= 0 && p == MAP_FAILED && errno == EINVAL,
			 "/dev/xen/hypercall: private mappings refused");
	p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	for (i = 0; p != MAP_FAILED && i < 3 * PAGE; i++)
		zero &= !p[i];
	ktap_test_result(p != MAP_FAILED && zero,
			 "/dev/xen/hypercall: shared mappings are zeroed pages");
	if (p == MAP_FAILED) {
		ktap_test_skip("/dev/xen/hypercall: unmapping: nothing mapped");
		close(fd);
		return;
	}
	memset(p, 0xa5, 3 * PAGE);
	ktap_test_result(fails_with(munmap(p + PAGE, PAGE), EINVAL) &&
			 munmap(p, 3 * PAGE) == 0,
			 "/dev/xen/hypercall: a buffer is unmapped whole, not in part");
	close(fd);
}

int main(void)
{
	char caps[64] = "";
	FILE *f = fopen("/proc/xen/capabilities", "r");
	int fd, proc_fd;

	ktap_print_header(20);
	ktap_test_result(f && fgets(caps, sizeof(caps), f) &&
			 !strcmp(caps, "control_d\n"),
			 "/proc/xen/capabilities says control_d");
	if (f)
		fclose(f);
	fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	proc_fd = open("/proc/xen/privcmd", O_RDWR | O_CLOEXEC);
	ktap_test_result(fd >= 0 && proc_fd >= 0 &&
			 raw_hypercall(proc_fd, __HYPERVISOR_xen_version,
				       XENVER_version, 0) == (4 << 16 | 17),
			 "/dev/xen/privcmd opens; /proc/xen/privcmd works alike");
	if (fd < 0)
		return ktap_finished();
	test_libxencall();
	test_libxenctrl();
	test_hypercall_ioctl(fd);
	ktap_test_result(fails_with(ioctl(fd, IOCTL_PRIVCMD_UNIMPLEMENTED, 0),
				    ENOTTY),
			 "unknown ioctls (libxenforeignmemory's probe) are ENOTTY");
	test_dm_op_and_restrict(fd);
	test_hypercall_buffers();
	close(proc_fd);
	close(fd);
	return ktap_finished();
}
