// SPDX-License-Identifier: GPL-2.0
/*
 * Prints what CPUID says about a hypervisor on the CPU it runs on, as
 * "signature=S version=M.N hypervisor_bit=B svm=B vmx=B": the selftests pin it
 * to each CPU in turn.
 */
#include <cpuid.h>
#include <stdio.h>
#include <string.h>

#define XEN_LEAVES	0x40000000u

int main(void)
{
	unsigned int a, b, c, d, vmx;
	char sig[13];

	__cpuid(XEN_LEAVES, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	sig[12] = 0;
	for (int i = 0; i < 12; i++)
		if (sig[i] < 0x20 || sig[i] > 0x7e)
			sig[i] = '.';
	printf("signature=%s", sig);
	__cpuid(XEN_LEAVES + 1, a, b, c, d);
	printf(" version=%u.%u", a >> 16, a & 0xffff);
	__cpuid(1, a, b, c, d);
	printf(" hypervisor_bit=%u", c >> 31);
	vmx = (c >> 5) & 1;
	__cpuid(0x80000001, a, b, c, d);
	printf(" svm=%u vmx=%u\n", (c >> 2) & 1, vmx);
	return 0;
}
