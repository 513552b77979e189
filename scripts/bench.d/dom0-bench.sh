#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The dom0 side of scripts/bench: runs in the lab's dom0.
set -euo pipefail
module=/kxen/kxen.ko
rounds=${BENCH_ROUNDS:-3}
src=/var/tmp/bench-src

# Every workload does a fixed amount of work.
cpu_loop() { awk 'BEGIN { for (i = 0; i < 3000000; i++) s += i * i }'; }
syscall_loop() { dd if=/dev/zero of=/dev/null bs=1 count=300000 2>/dev/null; }
fork_loop() { local _; for _ in $(seq 200); do /bin/true; done; }
small_build() { python3 -m compileall -q -f "$src" >/dev/null; }
workloads="cpu_loop syscall_loop fork_loop small_build"

mkdir -p $src
for d in json email http logging; do cp -r /usr/lib/python3.11/$d $src/; done

# ms WORKLOAD: wall-clock milliseconds of one run.
ms()
{
	local start end
	start=$(date +%s%N)
	"$1"
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A bare kxen
lsmod | grep -qw kxen && rmmod kxen
for w in $workloads; do "$w"; done	# warm caches once
for r in $(seq "$rounds"); do
	for w in $workloads; do bare[$w]+="$(ms "$w") "; done
	insmod $module
	for w in $workloads; do kxen[$w]+="$(ms "$w") "; done
	if [ "$r" = 1 ]; then
		load_us=$(cat /sys/kernel/kxen/hv/load_us)
		hypercall_ns=$(cat /sys/kernel/debug/kxen/hypercall_ns)
	fi
	start=$(date +%s%N)
	rmmod kxen
	unload_us=$((($(date +%s%N) - start) / 1000))
done

printf '%-14s %10s %10s %8s\n' workload "bare ms" "kxen ms" ratio
for w in $workloads; do
	b=$(tr ' ' '\n' <<<"${bare[$w]}" | grep . | median)
	k=$(tr ' ' '\n' <<<"${kxen[$w]}" | grep . | median)
	printf '%-14s %10d %10d %8s\n' "$w" "$b" "$k" \
		"$(awk -v b="$b" -v k="$k" 'BEGIN { printf "%.3f", k / b }')"
done
echo "medians of $rounds rounds, bare and kxen alternating"
echo "load (handover of $(nproc) CPUs): $load_us us, unload: $unload_us us"
echo "dom0 hypercall round trip (xen_version): $hypercall_ns ns"
