# SPDX-License-Identifier: GPL-2.0
# The freestanding hypervisor: hv/ and dm/, built with their own flags.
#
# Linux's CFLAGS would drag in Linux symbols (__fentry__, retpoline and
# return thunks) and a %gs-based stack protector, none of which exist in
# host mode. So these objects get flags of their own, link into one
# relocatable object, and scripts/check-freestanding fails the build if
# any of them needs a symbol that hv/ and dm/ do not define.

HV_OUT := build/freestanding
HV_SRCS := $(wildcard hv/*.c hv/arch/*/*.c dm/*.c)
HV_OBJS := $(patsubst %.c,$(HV_OUT)/%.o,$(HV_SRCS))

HV_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-Iinclude -Ihv/include -fno-common -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fpie -fvisibility=hidden -mno-red-zone -mgeneral-regs-only \
	-fcf-protection=none

$(HV_OUT)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HV_CFLAGS) -MMD -MP -c -o $@ $<

# One relocatable object, after the check names any foreign symbol.
$(HV_OUT)/kxen-hv.o: $(HV_OBJS) scripts/check-freestanding
	scripts/check-freestanding $(HV_OBJS)
	$(LD) -r -o $@ $(HV_OBJS)

-include $(HV_OBJS:.o=.d)
