/* SPDX-License-Identifier: GPL-2.0 */
/* A 16550 serial port for the hypervisor's log: output only, polled. */
#ifndef HV_UART_H
#define HV_UART_H

#include <kxen/types.h>

void uart_init(u16 port);
void uart_write(const char *s, size_t len);

#endif /* HV_UART_H */
