// SPDX-License-Identifier: GPL-2.0
/*
 * The hello test guest: it says hello, then what Xen's PVH start info
 * told it (its RAM below 4 GiB, its modules and command line), and then
 * does what its command line chooses:
 *
 * First, with shinfo=GFN, it places its shared_info page at GFN, and
 * with wallclock also prints the wallclock's seconds from there. Then:
 *
 *   (nothing)       power off
 *   shutdown=N      shut down with reason N
 *   halt            cli; hlt (Xen powers the guest off)
 *   triple-fault    ud2 with no IDT
 *   spin            loop forever
 *   unpopulated     read the first address after its low RAM
 */
#include "lib/guest.h"

void guest_main(const struct hvm_start_info *si)
{
	const struct hvm_modlist_entry *mods =
		(const void *)(uintptr_t)si->modlist_paddr;
	struct shared_info *shared;
	const char *gfn = cmdline_option("shinfo");
	uint32_t i;

	printf("hello from a kxen guest\n");
	printf("RAM below 4 GiB: %u KiB\n", (unsigned int)(low_ram_end() >> 10));
	for (i = 0; i < si->nr_modules; i++)
		printf("module %u: %u bytes\n", i, (unsigned int)mods[i].size);
	printf("command line: %s\n",
	       si->cmdline_paddr ? (const char *)(uintptr_t)si->cmdline_paddr :
				   "");
	if (gfn && shared_info_place(parse_number(gfn, 0), &shared))
		printf("shared_info not placed\n");
	else if (gfn && cmdline_has("wallclock"))
		printf("wallclock: %llu s\n",
		       (unsigned long long)wallclock_seconds(shared));
	if (cmdline_has("halt"))
		asm volatile("cli; hlt");
	if (cmdline_has("triple-fault"))
		asm volatile("ud2");
	while (cmdline_has("spin"))
		;
	if (cmdline_has("unpopulated"))
		__atomic_load_n((uint32_t *)low_ram_end(), __ATOMIC_RELAXED);
	shutdown(parse_number(cmdline_option("shutdown"), SHUTDOWN_poweroff));
}
