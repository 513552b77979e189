#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Dom0 does real work under the hypervisor: the mixed workload (CPU,
# syscalls, fork, disk and network, results checked) runs for a while
# with kxen loaded, and the exits it causes are counted.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/lib/ktap.sh"
. "$top/selftests/lib/kxen.sh"
. "$top/selftests/lib/workload.sh"

seconds=${KXEN_WORK_SECONDS:-30}

ktap_header 5
kxen_skip_all_unless_virt
[ "$seconds" != 0 ] ||
	ktap_skip_rest "dom0 work" "KXEN_WORK_SECONDS=0 (bochs: cycles_test runs the workload)"
kxen_unload_if_loaded
kxen_dmesg_mark
kxen_load_or_bail
workload_start /var/tmp/kxen-workload
sleep "$seconds"
workload_stop
report=$(workload_report)
status=$?
printf '%s\n' "$report" | sed 's/^/# /'
if [ $status = 0 ]; then
	ktap_ok "dom0 workload right for $seconds s"
else
	ktap_not_ok "dom0 workload right for $seconds s"
fi
exits=$(cat $KXEN_HV/exits)
printf '%s\n' "$exits" | sed 's/^/# /'
# glibc asks CPUID at every exec, so real work shows CPUID exits.
if [[ $exits == *" cpuid="[1-9]* ]]; then
	ktap_ok "the exits of dom0's work are counted"
else
	ktap_not_ok "the exits of dom0's work are counted"
fi
ktap_expect "rmmod kxen" rmmod kxen
kxen_no_kernel_trouble
ktap_finished
