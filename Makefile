# SPDX-License-Identifier: GPL-2.0
#
# make            build kxen.ko, the freestanding hypervisor and the tools
# make check      unit tests, style, DKMS and the lab selftests (see README)
# make unit       host unit tests only
#
# KDIR is the kernel build tree. It defaults to the running kernel's; when
# that has none (a CI container, say) the lab's pinned Debian kernel is used.

include scripts/lab-kernel

KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    /lib/modules/$(LAB_KABI)-amd64/build)

CC ?= gcc
CFLAGS_USER := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude

.PHONY: all module hv tools selftests unit print-hv-cflags check checkpatch clean

all: module tools selftests

include hv/build.mk

hv: $(HV_OUT)/kxen-hv.bin

module: hv
	@test -d "$(KDIR)" || { echo "KDIR=$(KDIR) does not exist: run scripts/install-deps or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools: userspace/kxen

KXEN_TOOL_SRCS := userspace/kxen.c userspace/boot.c userspace/pvh_build.c \
	userspace/pvh_acpi.c
userspace/kxen: $(KXEN_TOOL_SRCS) userspace/kxen.h userspace/pvh_build.h \
	userspace/pvh_acpi.h
	$(CC) $(CFLAGS_USER) -o $@ $(KXEN_TOOL_SRCS) \
		-lxenguest -lxenctrl -lxentoollog

# Helpers the lab selftests run in dom0 (same Debian, so host-built).
SELFTEST_PROGS := build/selftests/hv/xen_cpuid build/selftests/xen/privcmd \
	build/selftests/xen/sysctl build/selftests/xen/domctl \
	build/selftests/xen/domains build/selftests/xen/memory \
	build/selftests/xen/hvmcontext build/selftests/xen/cpu_policy \
	build/selftests/xen/foreign build/selftests/xen/vcpu_run \
	build/selftests/xen/hvm_param build/selftests/xen/pool_growth \
	build/selftests/guests/hello.elf build/selftests/guests/hypercalls.elf \
	build/selftests/guests/events.elf build/selftests/guests/lapic.elf \
	build/selftests/guests/smp.elf

selftests: $(SELFTEST_PROGS)

# Debian's Xen libraries, as the toolstack links them.
$(filter build/selftests/xen/%,$(SELFTEST_PROGS)): \
	LDLIBS_XEN := -lxenctrl -lxencall
build/selftests/xen/cpu_policy: LDLIBS_XEN += -lxenguest
build/selftests/xen/foreign: LDLIBS_XEN += -lxenforeignmemory
build/selftests/xen/vcpu_run: LDLIBS_XEN += -lxenguest
# Helpers that build guests use kxen boot's builder.
build/selftests/xen/vcpu_run: userspace/pvh_build.c userspace/pvh_build.h \
	userspace/pvh_acpi.c userspace/pvh_acpi.h

# Freestanding PVH test guests: 32-bit ELF kernels with Xen's PVH note,
# built with Xen's public headers and nothing else of /usr/include.
GUEST_CFLAGS := -std=gnu11 -m32 -O2 -Wall -Werror -ffreestanding -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) -I$(HV_XEN_INCLUDE) \
	-Iinclude -Ihv/include -Iselftests/guests -fno-pic -fno-stack-protector \
	-fno-asynchronous-unwind-tables \
	-mgeneral-regs-only -fcf-protection=none
# The hypervisor's vsnprintf formats their output.
GUEST_LIB := selftests/guests/lib/entry.S selftests/guests/lib/lib.c \
	hv/vsnprintf.c

GUEST_DEPS := $(GUEST_LIB) selftests/guests/lib/guest.h \
	selftests/guests/lib/segments.h selftests/guests/lib/guest.lds
define build_guest
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -nostdlib -static -Wl,-m,elf_i386 \
		-Wl,-T,selftests/guests/lib/guest.lds -Wl,--build-id=none \
		-Wl,--no-warn-rwx-segments \
		-o $@ $(GUEST_LIB) $<
endef

build/selftests/guests/%.elf: selftests/guests/%.c $(GUEST_DEPS) \
		| $(HV_XEN_INCLUDE)/xen
	$(build_guest)

# scripts/bench's guest: a benchmark, kept apart from the tests.
build/bench/%.elf: scripts/bench.d/%.c $(GUEST_DEPS) | $(HV_XEN_INCLUDE)/xen
	$(build_guest)

build/selftests/%: selftests/%.c $(wildcard selftests/lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_USER) -Iselftests/lib -Iuserspace -o $@ \
		$(filter %.c,$^) $(LDLIBS_XEN)

include hv/tests/build.mk

unit: $(UNIT_PROGS)
	scripts/ktap-run $(UNIT_PROGS) $(UNIT_SCRIPTS)

print-hv-cflags:
	@echo $(HV_CFLAGS)

check:
	scripts/check

checkpatch:
	scripts/checkpatch

clean:
	@test ! -d "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf build userspace/kxen
