#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Dom0 cannot read or write the hypervisor's memory. Through kxen's
# debugfs window onto the first page of the hypervisor image, dom0 reads
# zeros (its nested page tables put a scratch page there) and its writes
# land in that scratch page; the hypervisor's own hash of the real page
# does not change, and dom0 carries on.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/lib/ktap.sh"
. "$top/selftests/lib/kxen.sh"

page=$KXEN_DEBUG/hv_page
hash=$KXEN_DEBUG/hv_page_hash
magic=6b78656e2d687631	# "kxen-hv1", the image's first bytes

hexdump_page()
{
	od -An -v -tx1 "$1" | tr -d ' \n'
}

ktap_header 8
kxen_skip_all_unless_virt
kxen_unload_if_loaded
kxen_dmesg_mark
kxen_load_or_bail

before=$(cat $hash)
seen=$(hexdump_page $page)
zeros=$(printf '%08192d' 0)
if [ "$seen" = "$zeros" ]; then
	ktap_ok "dom0 reads zeros, not the hypervisor page"
else
	[[ $seen == $magic* ]] && ktap_diag "dom0 read the image header"
	ktap_diag "read: ${seen:0:64}..."
	ktap_not_ok "dom0 reads zeros, not the hypervisor page"
fi

head -c 4096 /dev/zero | tr '\0' '\132' >$page
ktap_expect "dom0's write goes to the scratch page" \
	test "$(hexdump_page $page)" = "$(printf '5a%.0s' $(seq 4096))"
after=$(cat $hash)
ktap_expect "the hypervisor page is unchanged" test "$after" = "$before" ||
	ktap_diag "hash before $before, after $after"
ktap_expect "dom0 carries on" sh -c 'seq 1000 | sort -n | tail -1 | grep -qx 1000'
ktap_expect "the hypervisor still answers" test "$(cat /sys/hypervisor/version/minor)" = 17
ktap_expect "rmmod kxen" rmmod kxen
kxen_no_kernel_trouble
ktap_finished
