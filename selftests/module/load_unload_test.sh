#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load kxen.ko with probe_only=1 (no hypervisor), check its CPU report against what Linux itself sees in
# /proc/cpuinfo, check the userspace tool, unload, and repeat.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/lib/ktap.sh"
. "$top/selftests/lib/kxen.sh"

module=$KXEN_MODULE
cpu=/sys/kernel/kxen/cpu
# Names that kxen and /proc/cpuinfo share, with the same meaning. LA57 is
# left out: Linux hides it unless it uses 5-level paging.
shared="svm npt nrips vgif flushbyasid decodeassists pausefilter avic lbrv
	tsc_scale vmcb_clean vmx ept vpid unrestricted_guest preemption_timer
	invvpid nx pdpe1gb hypervisor"

# Linux's feature words: "flags" plus, on Intel, "vmx flags".
linux_flags=" $(awk -F: '/^(flags|vmx flags)/ { print $2 } /^$/ { exit }' \
	/proc/cpuinfo | tr -s ' \n' '  ') "

ktap_header 12

lsmod | grep -qw kxen && rmmod kxen
kxen_dmesg_mark

if ! ktap_expect "insmod kxen.ko probe_only=1" insmod "$module" probe_only=1; then
	ktap_diag "cannot continue without the module"
	ktap_fail_rest "needs the module"
fi

kxen_features=" $(cat $cpu/features) "
mismatch=
for f in $shared; do
	in_kxen=0 in_linux=0
	[[ $kxen_features == *" $f "* ]] && in_kxen=1
	[[ $linux_flags == *" $f "* ]] && in_linux=1
	[ $in_kxen = $in_linux ] || mismatch="$mismatch $f(kxen=$in_kxen,linux=$in_linux)"
done
if [ -z "$mismatch" ]; then
	ktap_ok "features agree with /proc/cpuinfo"
else
	ktap_diag "disagree:$mismatch"
	ktap_not_ok "features agree with /proc/cpuinfo"
fi

vendor=$(awk -F': ' '/^vendor_id/ { print $2; exit }' /proc/cpuinfo)
case $vendor in
AuthenticAMD|HygonGenuine) want_vendor=amd ;;
GenuineIntel) want_vendor=intel ;;
*) want_vendor=other ;;
esac
ktap_expect "vendor is $want_vendor" test "$(cat $cpu/vendor)" = "$want_vendor"

sizes=$(awk -F': ' '/^address sizes/ { print $2; exit }' /proc/cpuinfo)
ktap_expect "address sizes match ($sizes)" test \
	"$(cat $cpu/phys_addr_bits) bits physical, $(cat $cpu/virt_addr_bits) bits virtual" = "$sizes"

want_levels=4
[[ $linux_flags == *" la57 "* ]] && want_levels=5
ktap_expect "paging levels are $want_levels" test "$(cat $cpu/paging_levels)" = "$want_levels"

# The lab's CPU models offer what kxen needs; say which way.
verdict=$(cat $cpu/verdict)
if [[ $linux_flags == *" svm "* && $linux_flags == *" npt "* ]]; then
	want="ready: AMD SVM with nested paging"
elif [[ $linux_flags == *" vmx "* && $linux_flags == *" ept "* ]]; then
	want="ready: Intel VMX with EPT and unrestricted guest"
else
	want="unsupported: this CPU offers neither*"
fi
# shellcheck disable=SC2053
if [[ $verdict == $want ]]; then
	ktap_ok "verdict: $verdict"
else
	ktap_diag "verdict '$verdict', want '$want'"
	ktap_not_ok "verdict matches the CPU"
fi

ktap_expect "verdict logged at load" grep -qF "kxen: cpu: $verdict" \
	<(kxen_dmesg_since)

status=$(kxen status 2>&1)
if [[ $status == *"kxen: loaded"* && $status == *"$verdict"* ]]; then
	ktap_ok "kxen status reports the module and verdict"
else
	printf '%s\n' "$status" | sed 's/^/# /'
	ktap_not_ok "kxen status reports the module and verdict"
fi

ktap_expect "rmmod kxen" rmmod kxen
ktap_expect "sysfs directory gone after unload" test ! -e /sys/kernel/kxen

cycles_ok=1
for _ in 1 2 3; do
	insmod "$module" probe_only=1 && [ -r $cpu/verdict ] && rmmod kxen || cycles_ok=0
done
if [ $cycles_ok = 1 ]; then
	ktap_ok "three more load/unload cycles"
else
	ktap_not_ok "three more load/unload cycles"
fi

kxen_no_kernel_trouble
ktap_finished
