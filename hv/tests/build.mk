# SPDX-License-Identifier: GPL-2.0
# Host unit tests: hv/ logic compiled for userspace with sanitizers, plus
# shell tests of the build's own checks. Each C test names the hypervisor
# sources it exercises.

UNIT_OUT := build/unit
UNIT_CFLAGS := $(CFLAGS_USER) -Iselftests/lib -fsanitize=address,undefined \
	-fno-sanitize-recover=all

UNIT_PROGS := $(UNIT_OUT)/cpu_caps_test
UNIT_SCRIPTS := hv/tests/check_freestanding_test.sh

$(UNIT_OUT)/cpu_caps_test: hv/tests/cpu_caps_test.c hv/cpu_caps.c

$(UNIT_PROGS): selftests/lib/ktap.h
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -o $@ $(filter %.c,$^)
