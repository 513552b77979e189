#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The dom0 ABI the toolstack uses first, through Debian's own libxencall
# and libxenctrl, with kxen loaded: each helper in build/selftests/xen/
# reports its checks as a nested KTAP test (privcmd: the devices and
# their ioctls; sysctl: physinfo, topology, sched_id, readconsole and
# errors; domctl: dom0's record in the domain list, and domctl's rules;
# domains: guest domains' lifecycle and the configurations refused;
# memory: populating and giving back a guest's RAM; hvmcontext: a
# guest's HVM save records; cpu_policy: CPUID policies; foreign:
# privcmd's foreign mappings of a guest's pages; vcpu_run: a test guest
# running in a dom0 thread, and each way it can end). They run over a
# pool that does not grow, as Xen's memory does not; then pool_growth
# runs over one that does.
# Unloading with a guest domain in place tears it down: after a reload
# dom0 is alone again. With memory for it (the lab's --memory 3072), the
# memory helper runs again over a pool that can hold a 1 GiB extent.
# After unloading, the devices and /proc/xen are gone.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/lib/ktap.sh"
. "$top/selftests/lib/kxen.sh"

helpers="privcmd sysctl domctl domains memory hvmcontext cpu_policy foreign vcpu_run hvm_param"

ktap_header $((10 + $(wc -w <<<"$helpers")))
kxen_skip_all_unless_virt
kxen_unload_if_loaded
kxen_dmesg_mark
fixed_pool="pool_mb=32 pool_max_mb=32"
KXEN_ARGS="${KXEN_ARGS:-} $fixed_pool" kxen_load_or_bail

for helper in $helpers; do
	# libxenctrl logs the failures some checks expect: as diagnostics.
	"$top/build/selftests/xen/$helper" 2> >(sed 's/^/    # /') |
		sed 's/^/    /'
	if [ "${PIPESTATUS[0]}" = 0 ]; then
		ktap_ok "$helper"
	else
		ktap_not_ok "$helper"
	fi
done
ktap_expect "a guest domain is left in place" \
	"$top/build/selftests/xen/domains" --leave-domain
ktap_expect "rmmod kxen with a guest domain" rmmod kxen
KXEN_ARGS="${KXEN_ARGS:-} $fixed_pool" kxen_load_or_bail
ktap_expect "after a reload dom0 is alone (domctl passes again)" \
	"$top/build/selftests/xen/domctl"
ktap_expect "rmmod kxen" rmmod kxen
mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
if [ "$mem_mb" -ge 2800 ]; then
	# A pool that does not grow: the test runs it out.
	kxen_load pool_mb=1100 pool_max_mb=1100 &&
		"$top/build/selftests/xen/memory" | sed 's/^/    /'
	if [ "${PIPESTATUS[0]}" = 0 ]; then
		ktap_ok "memory, with a 1100 MiB pool"
	else
		ktap_not_ok "memory, with a 1100 MiB pool"
	fi
	rmmod kxen
else
	ktap_skip "memory, with a 1100 MiB pool" "dom0 has $mem_mb MiB"
fi
kxen_load && "$top/build/selftests/xen/pool_growth" 2> >(sed 's/^/    # /') |
	sed 's/^/    /'
if [ "${PIPESTATUS[0]}" = 0 ]; then
	ktap_ok "pool_growth, over the default pool"
else
	ktap_not_ok "pool_growth, over the default pool"
fi
rmmod kxen
ktap_expect "the devices and /proc/xen go with it" \
	test ! -e /dev/xen/privcmd -a ! -e /dev/xen/hypercall -a ! -e /proc/xen
kxen_no_kernel_trouble
ktap_finished
