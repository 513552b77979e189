// SPDX-License-Identifier: GPL-2.0
/*
 * Polled 16550 output: the hypervisor's log on a serial port, where it
 * survives a hung or reset machine. Line-at-a-time from hv_printk(),
 * which holds the console lock, so lines never interleave.
 *
 * The port is used as firmware or Linux set it up (typically it is
 * Linux's serial console too): reprogramming it would take its
 * interrupts away from Linux's driver.
 */
#include <hv/uart.h>
#include <hv/x86.h>

#define UART_THR	0	/* transmit holding register */
#define UART_LSR	5
#define LSR_THRE	0x20
/* Give up on a byte rather than hang on a port nobody drains. */
#define UART_SPINS	100000

static u16 uart_port;

void uart_init(u16 port)
{
	uart_port = port;
}

static void uart_putc(char c)
{
	int spins = UART_SPINS;

	while (!(port_read8(uart_port + UART_LSR) & LSR_THRE) && --spins)
		cpu_relax();
	port_write8(uart_port + UART_THR, c);
}

void uart_write(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}
