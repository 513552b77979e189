#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Memory types under kxen. On VMX the CPU takes them from dom0's EPT, not
# the MTRRs, so kxen copies the MTRRs into it: every variable range in
# /proc/mtrr has its type there (kxen/mem_type reads it), and RAM is
# write-back. An MTRR dom0 adds and removes through /proc/mtrr (Linux
# writes it on every CPU) shows up in the EPT and goes again; an MTRR
# value the CPU would refuse fails with #GP (EIO from the msr driver),
# as on bare metal. On SVM nested paging leaves the MTRRs in force:
# only the /proc/mtrr checks run.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/lib/ktap.sh"
. "$top/selftests/lib/kxen.sh"

# Far above the lab's RAM and below 40 physical address bits.
probe_base=0x1000000000
probe_size=0x100000

ktap_header 9
kxen_skip_all_unless_virt
[ -w /proc/mtrr ] || ktap_skip_rest "memory types" "no /proc/mtrr"
kxen_unload_if_loaded
kxen_dmesg_mark
kxen_load_or_bail

# mem_type ADDR: the type dom0's nested tables give ADDR, as a number.
mem_type()
{
	echo "$1" >$KXEN_DEBUG/mem_type && cat $KXEN_DEBUG/mem_type
}

# The type each /proc/mtrr range should have at its base: its own, or
# the SDM's rule where ranges overlap (UC wins, WT beats WB, other mixes
# are undefined, which kxen makes UC). Lines: "base type".
expected_types()
{
	local -A code=([uncachable]=0 [write-combining]=1 [write-through]=4
		[write-protect]=5 [write-back]=6)
	local -a base size type
	local line n=0 i j want re='base=(0x[0-9a-f]+).*size= *([0-9]+)([KMG])B.*: ([a-z-]+)$'

	while read -r line; do
		[[ $line =~ $re ]] || continue
		base[n]=$((BASH_REMATCH[1]))
		case ${BASH_REMATCH[3]} in
		K) size[n]=$((BASH_REMATCH[2] << 10)) ;;
		M) size[n]=$((BASH_REMATCH[2] << 20)) ;;
		G) size[n]=$((BASH_REMATCH[2] << 30)) ;;
		esac
		type[n]=${code[${BASH_REMATCH[4]}]}
		n=$((n + 1))
	done </proc/mtrr
	for ((i = 0; i < n; i++)); do
		# Below 1 MiB the fixed ranges decide.
		((base[i] >= 1 << 20)) || continue
		want=-1
		for ((j = 0; j < n; j++)); do
			((base[i] >= base[j] && base[i] < base[j] + size[j])) || continue
			if ((want < 0 || want == type[j])); then
				want=${type[j]}
			elif ((want + type[j] == 10 && want * type[j] == 24)); then
				want=4
			else
				want=0
			fi
		done
		printf '%#x %d\n' "${base[i]}" "$want"
	done
}

if ! mem_type 0 >/dev/null 2>&1; then
	why="nested paging on $KXEN_VIRT leaves the MTRRs in force"
	ktap_skip "dom0's EPT gives each MTRR range its type" "$why"
	ktap_skip "RAM at 1 MiB is write-back" "$why"
	ept=false
else
	bad=
	while read -r base want; do
		got=$(mem_type "$base")
		[ "$got" = "$want" ] || bad="$bad $base:$got(want $want)"
	done < <(expected_types)
	[ -z "$bad" ] || ktap_diag "wrong types:$bad"
	sed 's/^/# /' /proc/mtrr
	ktap_expect "dom0's EPT gives each MTRR range its type" test -z "$bad"
	got=$(mem_type 0x100000)
	ktap_expect "RAM at 1 MiB is write-back" test "$got" = 6
	ept=true
fi

before=$(mem_type $probe_base 2>/dev/null)
if ! echo "base=$probe_base size=$probe_size type=write-combining" \
	>/proc/mtrr 2>/dev/null; then
	ktap_skip_rest "adding an MTRR" "Linux refused (no free range or WC)"
fi
line=$(grep "base=$probe_base" /proc/mtrr)
ktap_expect "an MTRR dom0 adds is in /proc/mtrr" test -n "$line"
reg=$(sed -n 's/^reg0*\([0-9][0-9]*\):.*/\1/p' <<<"$line")
if $ept; then
	wc=$(mem_type $probe_base) end=$(mem_type $((probe_base + probe_size)))
	ktap_expect "and in dom0's EPT: write-combining, no further" \
		test "$wc,$end" = "1,$before"
else
	ktap_skip "and in dom0's EPT" "$why"
fi
[ -n "$reg" ] && echo "disable=$reg" >/proc/mtrr
if $ept; then
	ktap_expect "removing it gives the range its old type back" \
		test "$(mem_type $probe_base)" = "$before"
else
	ktap_skip "removing it gives the range its old type back" "$why"
fi

# The last variable range's mask, with reserved bit 0 set: kxen checks
# the write for the CPU, which would refuse it. (On SVM the write goes
# to the CPU itself, and QEMU's does not check.)
if ! $ept; then
	ktap_skip "an MTRR value the CPU refuses fails (#GP)" "$why"
elif modprobe msr 2>/dev/null && [ -e /dev/cpu/0/msr ]; then
	cap=$(dd if=/dev/cpu/0/msr bs=8 count=1 skip=$((0xfe)) iflag=skip_bytes \
		2>/dev/null | od -An -tu8 | tr -d ' ')
	mask=$((0x200 + 2 * ((cap & 0xff) - 1) + 1))
	if printf '\001\0\0\0\0\0\0\0' | dd of=/dev/cpu/0/msr bs=8 count=1 \
		seek=$mask oflag=seek_bytes 2>/dev/null; then
		ktap_not_ok "an MTRR value the CPU refuses fails (#GP)"
		printf '\0\0\0\0\0\0\0\0' | dd of=/dev/cpu/0/msr bs=8 count=1 \
			seek=$mask oflag=seek_bytes 2>/dev/null
	else
		ktap_ok "an MTRR value the CPU refuses fails (#GP)"
	fi
else
	ktap_skip "an MTRR value the CPU refuses fails (#GP)" "no msr driver"
fi

ktap_expect "rmmod kxen" rmmod kxen
kxen_no_kernel_trouble
ktap_finished
