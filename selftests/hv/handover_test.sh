#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load kxen: Linux goes on as dom0 on every CPU. Userspace pinned to each
# CPU sees Xen 4.17 in CPUID and neither SVM nor VMX; /sys/hypervisor
# reads as on Xen
# (its values come from dom0 hypercalls); CPU hotplug and suspend are
# refused; unloading makes CPUID bare again and hotplug possible.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/lib/ktap.sh"
. "$top/selftests/lib/kxen.sh"

cpus=$(kxen_online_cpus)
ncpus=$(echo "$cpus" | wc -w)
xen="signature=XenVMMXenVMM version=4.17 hypervisor_bit=1 svm=0 vmx=0"
hyp=/sys/hypervisor

ktap_header $((2 * ncpus + 17))
kxen_skip_all_unless_virt
kxen_unload_if_loaded
kxen_dmesg_mark
declare -A bare
for cpu in $cpus; do bare[$cpu]=$(taskset -c "$cpu" "$XEN_CPUID"); done

kxen_load_or_bail
ktap_expect "hypervisor active" test "$(cat $KXEN_HV/active)" = 1

for cpu in $cpus; do
	seen=$(taskset -c "$cpu" "$XEN_CPUID")
	ktap_expect "CPU$cpu: CPUID shows Xen 4.17, no SVM, no VMX" test "$seen" = "$xen" ||
		ktap_diag "CPU$cpu: $seen"
done

# expect_file NAME FILE VALUE
expect_file()
{
	local got
	got=$(cat "$2" 2>&1)
	if [ "$got" = "$3" ]; then
		ktap_ok "$1"
	else
		ktap_diag "$2: '$got', want '$3'"
		ktap_not_ok "$1"
	fi
}

expect_file "/sys/hypervisor/type is xen" $hyp/type xen
expect_file "hypercall: version is 4.17" <(cat $hyp/version/major $hyp/version/minor | paste -sd.) 4.17
expect_file "hypercall: extraversion" $hyp/version/extra .0-kxen
expect_file "hypercall: capabilities" $hyp/properties/capabilities \
	"hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64"
expect_file "hypercall: page size" $hyp/properties/pagesize 1000
# writable_page_tables (0), auto_translated_physmap (2),
# hvm_callback_vector (8), hvm_safe_pvclock (9), dom0 (11): Xen's for PVH dom0
expect_file "hypercall: features" $hyp/properties/features 00000b05
expect_file "hypercall: dom0's handle" $hyp/uuid 00000000-0000-0000-0000-000000000000

exits=$(cat $KXEN_HV/exits)
if [[ $exits == *" hypercall="[1-9]* && $exits == *" cpuid="[1-9]* ]]; then
	ktap_ok "exit counters count hypercalls and CPUID"
else
	printf '%s\n' "$exits" | sed 's/^/# /'
	ktap_not_ok "exit counters count hypercalls and CPUID"
fi

log=$(cat $KXEN_DEBUG/log)
entered=$(grep -c 'Linux is now dom0' <<<"$log")
ktap_expect "hypervisor log: every CPU entered" test "$entered" = "$ncpus" ||
	kxen_show_hv_log

# A CPU onlined now would run bare beside dom0; suspend would power the
# CPUs down under the hypervisor. Both are refused while kxen runs.
last=$(echo "$cpus" | tail -n 1)
if [ "$last" = 0 ]; then
	ktap_skip "CPU hotplug refused" "one CPU only"
elif echo 0 2>/dev/null >/sys/devices/system/cpu/cpu"$last"/online; then
	echo 1 >/sys/devices/system/cpu/cpu"$last"/online
	ktap_not_ok "CPU hotplug refused while kxen runs"
else
	ktap_ok "CPU hotplug refused while kxen runs"
fi
if echo freeze 2>/dev/null >/sys/power/state; then
	ktap_not_ok "suspend refused while kxen runs"
else
	ktap_ok "suspend refused while kxen runs"
fi

ktap_expect "rmmod kxen" rmmod kxen
ktap_expect "/sys/hypervisor empty again" test ! -e $hyp/type
if [ "$last" = 0 ]; then
	ktap_skip "CPU hotplug works again" "one CPU only"
else
	ktap_expect "CPU hotplug works again after unload" sh -c \
		"echo 0 >/sys/devices/system/cpu/cpu$last/online && echo 1 >/sys/devices/system/cpu/cpu$last/online"
fi

for cpu in $cpus; do
	seen=$(taskset -c "$cpu" "$XEN_CPUID")
	ktap_expect "CPU$cpu: CPUID bare again" test "$seen" = "${bare[$cpu]}" ||
		ktap_diag "CPU$cpu: '$seen', before: '${bare[$cpu]}'"
done
kxen_no_kernel_trouble
ktap_finished
