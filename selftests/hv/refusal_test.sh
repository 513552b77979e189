#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Refusals leave the machine as it was. kxen and KVM both want SVM (or
# VMX): with kvm_amd (kvm_intel) loaded, insmod kxen fails with a message
# saying so; without it, kxen loads; and while kxen runs, KVM finds no
# SVM (VMX) and refuses to load. A pool larger than memory, or of no
# size, is refused too.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/lib/ktap.sh"
. "$top/selftests/lib/kxen.sh"

ktap_header 11
kxen_skip_all_unless_virt
kxen_unload_if_loaded
kxen_dmesg_mark

# refused NAME PATTERN ARGS...: insmod with ARGS fails, saying PATTERN.
refused()
{
	local name=$1 pattern=$2
	shift 2
	kxen_dmesg_mark
	if kxen_load "$@" 2>/dev/null; then
		rmmod kxen
		ktap_not_ok "$name"
	elif kxen_dmesg_since | grep -q "$pattern"; then
		ktap_ok "$name"
	else
		kxen_dmesg_since | sed 's/^/# /'
		ktap_not_ok "$name (no message matching '$pattern')"
	fi
}

mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
refused "a pool larger than memory is refused" "not enough memory" \
	pool_mb=$((mem_mb + 512))
refused "an empty pool is refused" "pool_mb=0: must be" pool_mb=0
ktap_expect "nothing left loaded by the refusals" sh -c '! lsmod | grep -qw kxen'
kxen_dmesg_mark

kvm=$KXEN_KVM
modprobe $kvm 2>/dev/null ||
	ktap_skip_rest "refusal" "$kvm does not load on this CPU"

if kxen_load 2>/dev/null; then
	ktap_not_ok "insmod refused while $kvm is loaded"
	rmmod kxen
else
	ktap_ok "insmod refused while $kvm is loaded"
fi
ktap_expect "the refusal says why and how to fix it" \
	grep -q "$kvm is loaded and would use $KXEN_VIRT.*modprobe -r $kvm" <(kxen_dmesg_since)
ktap_expect "dom0 still works after the refusal" \
	sh -c 'echo fine | grep -q fine && test ! -e /sys/kernel/kxen'

ktap_expect "modprobe -r $kvm" modprobe -r $kvm kvm
ktap_expect "insmod works without $kvm" kxen_load
if modprobe $kvm 2>/dev/null; then
	ktap_not_ok "$kvm refuses to load while kxen runs"
	modprobe -r $kvm kvm
else
	ktap_ok "$kvm refuses to load while kxen runs"
	modprobe -r kvm 2>/dev/null
fi
ktap_expect "rmmod kxen" rmmod kxen
kxen_no_kernel_trouble
ktap_finished
