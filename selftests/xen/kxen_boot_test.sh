#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `kxen boot` running the freestanding PVH test guests of
# selftests/guests, with kxen loaded: the guest's console on stdout, its
# exit status for each way a guest ends (with the hypervisor's reason on
# stderr), the options reaching the guest through Xen's PVH start info
# (--memory, --cmdline, --ramdisk), a timeout and an interrupt taking the
# domain down, usage errors, and the KTAP reports of the guests that
# check Xen's interfaces themselves: hypercalls (what a guest may ask of
# Xen), events (event channels, the upcall, timers, block and poll) and
# lapic (the emulated local APIC: xAPIC, x2APIC, its timer and IPIs)
# and smp (other vCPUs started, stopped, and sent IPIs). Guests bigger
# than the pool at load make it grow by donation, and it shrinks back.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/lib/ktap.sh"
. "$top/selftests/lib/kxen.sh"

kxen=$top/userspace/kxen
guests=$top/build/selftests/guests
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# boot ARGS...: runs kxen boot, stdout and stderr into $out; sets $status.
boot()
{
	"$kxen" boot "$@" >"$out/stdout" 2>"$out/stderr"
	status=$?
}

# expect NAME WANT_STATUS STREAM PATTERN: the last boot ended with
# WANT_STATUS and STREAM (stdout or stderr) has a line matching PATTERN.
expect()
{
	if [ "$status" = "$2" ] && grep -q -- "$4" "$out/$3"; then
		ktap_ok "$1"
	else
		ktap_diag "status $status, want $2; $3 should match: $4"
		sed 's/^/# stdout: /' "$out/stdout"
		sed 's/^/# stderr: /' "$out/stderr"
		ktap_not_ok "$1"
	fi
}

# guest_report NAME DESCRIPTION ARGS...: boots a guest that reports in
# KTAP itself; its report nests inside this one.
guest_report()
{
	local name=$1 what=$2

	shift 2
	"$kxen" boot --timeout 120 "$@" "$guests/$name.elf" \
		2>"$out/stderr" | sed 's/^/    /'
	if [ "${PIPESTATUS[0]}" = 0 ]; then
		ktap_ok "$name: $what"
	else
		sed 's/^/# /' "$out/stderr"
		ktap_not_ok "$name: $what"
	fi
}

# No vCPU thread is left: every domain kxen boot made is gone.
no_vcpu_threads()
{
	! grep -qs '^kxen-d' /proc/[0-9]*/comm
}

# pool_field NAME: a line of /sys/kernel/kxen/hv/pool (pages, free, donated).
pool_field()
{
	awk -v name="$1" '$1 == name { print $2 }' /sys/kernel/kxen/hv/pool
}

# Within 10 s, no donated chunk is left and the pool is as at load.
pool_given_back()
{
	local tries=50

	while [ "$tries" -gt 0 ]; do
		[ "$(pool_field donated)" = 0 ] &&
			[ "$(pool_field pages)" = "$pool_at_load" ] && return 0
		sleep 0.2
		tries=$((tries - 1))
	done
	ktap_diag "pool now: $(tr '\n' ' ' </sys/kernel/kxen/hv/pool), $pool_at_load pages at load"
	return 1
}

# Dom0's IA32_TSC_AUX on each CPU (its CPU and node, which RDTSCP and
# RDPID return), through the msr driver; empty without it.
dom0_tsc_aux()
{
	local msr

	for msr in /dev/cpu/[0-9]*/msr; do
		dd if="$msr" bs=8 count=1 skip=$((0xc0000103)) \
			iflag=skip_bytes 2>/dev/null | od -An -tu8
	done
}

ktap_header 22
kxen_skip_all_unless_virt
kxen_unload_if_loaded
kxen_dmesg_mark
# The pool at load (32 MiB) is less than some guests here need.
kxen_load_or_bail
modprobe -q msr 2>/dev/null
tsc_aux_before=$(dom0_tsc_aux)
pool_at_load=$(pool_field pages)

boot --timeout 60 "$guests/hello.elf"
expect "hello: its console on stdout, exit 0 on poweroff" 0 stdout \
	'^hello from a kxen guest$'
boot --timeout 60 --memory 96 "$guests/hello.elf"
expect "a guest of 96 MiB: the pool grows by dom0's donations" 0 stdout \
	'^RAM below 4 GiB: 98304 KiB$'
ktap_expect "the donated chunks go back once the guest is gone" \
	pool_given_back
boot --timeout 60 --memory 8 --cmdline "shutdown=0 two words" \
	--ramdisk "$guests/hello.elf" "$guests/hello.elf"
size=$(stat -c %s "$guests/hello.elf")
if [ "$status" = 0 ] && grep -qx 'RAM below 4 GiB: 8192 KiB' "$out/stdout" &&
	grep -qx 'command line: shutdown=0 two words' "$out/stdout" &&
	grep -qx "module 0: $size bytes" "$out/stdout"; then
	ktap_ok "--memory, --cmdline and --ramdisk reach the guest"
else
	sed 's/^/# /' "$out/stdout" "$out/stderr"
	ktap_not_ok "--memory, --cmdline and --ramdisk reach the guest"
fi
boot --timeout 60 --cmdline shutdown=3 "$guests/hello.elf"
expect "SCHEDOP_shutdown(crash): exit 1, crashed" 1 stderr ' crashed$'
boot --timeout 60 --cmdline shutdown=1 "$guests/hello.elf"
expect "SCHEDOP_shutdown(reboot): exit 1, rebooted" 1 stderr ' rebooted$'
boot --timeout 60 --cmdline triple-fault "$guests/hello.elf"
expect "a triple fault: exit 1 with the hypervisor's reason" 1 stderr \
	'v0: triple fault at rip'
boot --timeout 60 --cmdline unpopulated "$guests/hello.elf"
expect "memory it has not got: exit 1 with the hypervisor's reason" 1 \
	stderr 'crashed: access to a guest-physical address with no RAM'
boot --timeout 60 --cmdline halt "$guests/hello.elf"
expect "cli; hlt: exit 0 (Xen powers it off)" 0 stdout '^command line: halt$'
if [ "${KXEN_GUEST_SPIN:-1}" = 0 ]; then
	for what in "a spinning guest times out: exit 1" \
		"interrupted: exit 1, and the domain is destroyed" \
		"no domain is left: no vCPU thread remains"; do
		ktap_skip "$what" "KXEN_GUEST_SPIN=0 (bochs: see Documentation/lab.rst)"
	done
else
	boot --timeout 3 --cmdline spin "$guests/hello.elf"
	expect "a spinning guest times out: exit 1" 1 stderr ' timed out$'
	"$kxen" boot --cmdline spin "$guests/hello.elf" >"$out/stdout" \
		2>"$out/stderr" &
	pid=$!
	sleep 3
	kill -INT "$pid"
	wait "$pid"
	status=$?
	expect "interrupted: exit 1, and the domain is destroyed" 1 stderr \
		' interrupted$'
	ktap_expect "no domain is left: no vCPU thread remains" no_vcpu_threads
fi
boot --timeout 60 "$top/README.md"
expect "a file that is not a PVH kernel: exit 1" 1 stderr \
	'is not a PVH kernel'
boot --memory 0 "$guests/hello.elf"
expect "a usage error: exit 2" 2 stderr '^usage: kxen boot'

# Dom0's clock is the hypercalls guest's check of the wallclock.
guest_report hypercalls "the guest's own checks of Xen's hypercalls" \
	--cmdline "now=$(date +%s)"
# That guest set its own TSC_AUX: each CPU it ran on has dom0's back.
if [ -n "$tsc_aux_before" ]; then
	ktap_expect "dom0's TSC_AUX is its own again on every CPU" \
		[ "$(dom0_tsc_aux)" = "$tsc_aux_before" ]
else
	ktap_skip "dom0's TSC_AUX is its own again on every CPU" "no msr driver"
fi
guest_report events "event channels, the upcall and timers, as a guest sees them"
guest_report lapic "the local APIC: registers, IPIs, timer modes, x2APIC"
guest_report smp "vCPUs 1-3 by VCPUOP_initialise and up, and by INIT and SIPI" \
	--vcpus 4

# Dom0's own kernel as a PVH guest with no disk: it finds its CPU in
# the ACPI MADT, runs on its LAPIC and Xen's clock and timer, and gets as
# far as mounting its root, where it panics (panic=-1: a crash, as Linux
# tells Xen). With two vCPUs it triple-faulted once in a CI run (see the
# design document), so this boots one.
linux=/boot/vmlinuz-$(uname -r)
if [ -r "$linux" ]; then
	boot --timeout 300 --memory 128 --cmdline \
		"console=hvc0 earlyprintk=xen keep_bootcon panic=-1" "$linux"
	grep -q 'clocksource: Switched to clocksource xen' "$out/stdout" ||
		status=no-xen-clock
	expect "dom0's kernel boots to its root mount" 1 stdout \
		'VFS: Unable to mount root fs'
else
	ktap_skip "dom0's kernel boots to its root mount" "no $linux"
fi
rmmod kxen
kxen_no_kernel_trouble
ktap_finished
