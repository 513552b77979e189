/* SPDX-License-Identifier: GPL-2.0 */
/* The commands of the kxen tool. */
#ifndef KXEN_TOOL_H
#define KXEN_TOOL_H

/* kxen boot (boot.c), with ARGV[0] "boot"; returns the exit status. */
int boot_main(int argc, char **argv);

#endif /* KXEN_TOOL_H */
