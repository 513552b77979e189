# SPDX-License-Identifier: GPL-2.0
# Host unit tests: hv/ logic compiled for userspace with sanitizers, plus
# shell tests of the build's own checks. Each C test names the hypervisor
# sources it exercises; hv/lib.c is never among them (libc has its own).

UNIT_OUT := build/unit
UNIT_CFLAGS := $(CFLAGS_USER) -Ihv/include -Idm/include -Iselftests/lib -fsanitize=address,undefined \
	-fno-sanitize-recover=all

UNIT_PROGS := $(UNIT_OUT)/cpu_caps_test $(UNIT_OUT)/page_pool_test \
	$(UNIT_OUT)/p2m_test $(UNIT_OUT)/vsnprintf_test $(UNIT_OUT)/console_test \
	$(UNIT_OUT)/vmcs_test $(UNIT_OUT)/mtrr_test $(UNIT_OUT)/foreign_test \
	$(UNIT_OUT)/time_scale_test $(UNIT_OUT)/decode_test $(UNIT_OUT)/vlapic_test \
	$(UNIT_OUT)/guest_access_test
UNIT_SCRIPTS := hv/tests/check_freestanding_test.sh

$(UNIT_OUT)/cpu_caps_test: hv/tests/cpu_caps_test.c hv/cpu_caps.c
$(UNIT_OUT)/page_pool_test: hv/tests/page_pool_test.c hv/page_pool.c
$(UNIT_OUT)/vsnprintf_test: hv/tests/vsnprintf_test.c hv/vsnprintf.c
$(UNIT_OUT)/time_scale_test: hv/tests/time_scale_test.c hv/time_scale.c
$(UNIT_OUT)/decode_test: hv/tests/decode_test.c dm/decode.c
$(UNIT_OUT)/vlapic_test: hv/tests/vlapic_test.c dm/vlapic.c
$(UNIT_OUT)/console_test: hv/tests/console_test.c hv/console.c hv/printk.c \
	hv/vsnprintf.c
$(UNIT_OUT)/vmcs_test: hv/tests/vmcs_test.c hv/arch/vmx/vmcs.c \
	hv/arch/vmx/vmcs_check.c hv/tests/vmcs_fixtures.h
$(UNIT_OUT)/p2m_test: hv/tests/p2m_test.c hv/p2m.c hv/page_pool.c \
	hv/arch/x86/paging.c
$(UNIT_OUT)/mtrr_test: hv/tests/mtrr_test.c hv/mtrr.c hv/p2m.c \
	hv/page_pool.c hv/arch/x86/paging.c
$(UNIT_OUT)/guest_access_test: hv/tests/guest_access_test.c hv/guest_access.c \
	hv/p2m.c hv/page_pool.c hv/arch/x86/paging.c
$(UNIT_OUT)/foreign_test: hv/tests/foreign_test.c hv/foreign.c hv/p2m.c \
	hv/page_pool.c hv/arch/x86/paging.c

$(UNIT_PROGS): selftests/lib/ktap.h
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -o $@ $(filter %.c,$^) -lpthread
