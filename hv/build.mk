# SPDX-License-Identifier: GPL-2.0
# The freestanding hypervisor: hv/ and dm/, built with their own flags
# into one position-independent image that kxen.ko carries.
#
# Linux's CFLAGS would drag in Linux symbols (__fentry__, retpoline and
# return thunks) and a %gs-based stack protector, none of which exist in
# host mode. So these objects get flags of their own;
# scripts/check-freestanding fails the build if any of them needs a
# symbol that hv/ and dm/ do not define, and scripts/check-hv-image if
# the image needs any relocation but R_X86_64_RELATIVE.

HV_OUT := build/freestanding
HV_SRCS := $(wildcard hv/*.c hv/arch/*/*.c dm/*.c)
HV_ASM := $(wildcard hv/*.S hv/arch/*/*.S)
HV_OBJS := $(patsubst %.c,$(HV_OUT)/%.o,$(HV_SRCS)) \
	$(patsubst %.S,$(HV_OUT)/%.o,$(HV_ASM))
# Xen's public headers, from Debian's libxen-dev, and nothing else of /usr/include.
HV_XEN_INCLUDE := $(HV_OUT)/include

HV_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-Iinclude -Ihv/include -Idm/include -I$(HV_XEN_INCLUDE) -fno-common -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fpie -mno-red-zone \
	-mgeneral-regs-only -fcf-protection=branch -include hv/include/hv/hidden.h

$(HV_XEN_INCLUDE)/xen:
	@test -f /usr/include/xen/xen.h || { echo "Xen's headers are missing: run scripts/install-deps (libxen-dev)" >&2; exit 1; }
	@mkdir -p $(@D)
	ln -sfn /usr/include/xen $@

# Xen's guest feature masks, from the header Debian's libxen-dev ships.
HV_CPUID_MASKS := $(HV_XEN_INCLUDE)/kxen-gen/cpuid-masks.h
$(HV_CPUID_MASKS): /usr/include/xen/arch-x86/cpufeatureset.h scripts/gen-cpuid-masks
	@mkdir -p $(@D)
	scripts/gen-cpuid-masks $< >$@.tmp && mv $@.tmp $@

$(HV_OUT)/hv/cpu_policy.o: $(HV_CPUID_MASKS)

$(HV_OUT)/%.o: %.c | $(HV_XEN_INCLUDE)/xen
	@mkdir -p $(@D)
	$(CC) $(HV_CFLAGS) -MMD -MP -c -o $@ $<

$(HV_OUT)/%.o: %.S
	@mkdir -p $(@D)
	$(CC) $(HV_CFLAGS) -D__ASSEMBLER__ -MMD -MP -c -o $@ $<

$(HV_OUT)/kxen-hv.elf: $(HV_OBJS) hv/hv.lds scripts/check-freestanding
	scripts/check-freestanding --lds hv/hv.lds $(HV_OBJS)
	$(LD) -pie --no-dynamic-linker -z defs -z norelro -z noexecstack --no-warn-rwx-segments \
		--hash-style=sysv -T hv/hv.lds -o $@ $(HV_OBJS)

$(HV_OUT)/kxen-hv.bin: $(HV_OUT)/kxen-hv.elf scripts/check-hv-image
	scripts/check-hv-image $<
	objcopy -O binary $< $@

-include $(HV_OBJS:.o=.d)
