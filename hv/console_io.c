// SPDX-License-Identifier: GPL-2.0
/*
 * The console_io hypercall for guests: what a guest writes goes to the
 * hypervisor log a line at a time, tagged "(dN)" as Xen tags it, with
 * unprintable bytes shown as '?'. Reading Xen's console is for dom0
 * (which uses sysctl readconsole): -EPERM for guests, as in Xen.
 */
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hv.h>
#include <hv/printk.h>
#include <hv/xen.h>

/* Bytes copied before the call lets the CPU go (Xen's continuation). */
#define BYTES_PER_GO	4096

static void line_flush(struct domain *d)
{
	d->console_line[d->console_len] = '\0';
	hv_printk("(d%u) %s\n", d->id, d->console_line);
	d->console_len = 0;
}

static void line_add(struct domain *d, char c)
{
	if (c == '\n') {
		line_flush(d);
		return;
	}
	if (c != '\t' && (c < ' ' || c > '~'))
		c = '?';
	d->console_line[d->console_len++] = c;
	if (d->console_len == sizeof(d->console_line) - 1)
		line_flush(d);
}

long do_console_io(struct hv_cpu *cpu, u64 cmd, u64 count, u64 buf)
{
	struct domain *d = cpu->vcpu ? cpu->vcpu->domain : NULL;
	char chunk[256];
	u32 left = count, done = 0, n, i;

	if (!d)
		return -XEN_ENOSYS;	/* dom0 reads and writes through Linux */
	if (cmd == CONSOLEIO_read)
		return -XEN_EPERM;
	if (cmd != CONSOLEIO_write)
		return -XEN_ENOSYS;
	while (left) {
		if (done == BYTES_PER_GO)
			return hypercall_continue3(cpu, cmd, left, buf);
		n = left < sizeof(chunk) ? left : sizeof(chunk);
		if (copy_from_guest(cpu, chunk, buf, n))
			return -XEN_EFAULT;
		spin_lock(&domain_lock);	/* its vCPUs share the line */
		for (i = 0; i < n; i++)
			line_add(d, chunk[i]);
		spin_unlock(&domain_lock);
		buf += n;
		left -= n;
		done += n;
	}
	return 0;
}
