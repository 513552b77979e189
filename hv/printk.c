// SPDX-License-Identifier: GPL-2.0
/* hv_printk(): formatted lines into the console ring dom0 reads. */
#include <hv/printk.h>
#include <hv/spinlock.h>

static struct kxen_console *console;
static void (*echo)(const char *s, size_t len);
static struct hv_spinlock console_lock;

void hv_printk_init(struct kxen_console *con,
		    void (*echo_to)(const char *s, size_t len))
{
	console = con;
	echo = echo_to;
}

int hv_printk(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = hv_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (len >= (int)sizeof(line))
		len = sizeof(line) - 1;	/* cut, but keep what fits */
	if (console) {
		spin_lock(&console_lock);
		kxen_console_write(console, line, len);
		if (echo)
			echo(line, len);
		spin_unlock(&console_lock);
	}
	return len;
}
