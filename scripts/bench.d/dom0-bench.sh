#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The dom0 side of scripts/bench: runs in the lab's dom0.
set -euo pipefail
module=/kxen/kxen.ko
kxen=/kxen/userspace/kxen
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

# The guest's side, with kxen loaded: guests run on AMD SVM only so far.
guest=""
guest_bench()
{
	local start first

	grep -q AuthenticAMD /proc/cpuinfo || return 0
	guest=$("$kxen" boot --timeout 600 /kxen/build/bench/guest_bench.elf)
	start=$(date +%s%N)
	first=$("$kxen" boot --timeout 60 /kxen/build/selftests/guests/hello.elf |
		{ read -r _; date +%s%N; cat >/dev/null; })
	boot_ms=$(((first - start) / 1000000))
}

# field NAME: the nanoseconds the guest printed for NAME.
field() { sed -n "s/^guest $1: \([0-9]*\) ns$/\1/p" <<<"$guest"; }

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
		guest_bench
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
[ -n "$guest" ] || exit 0
inside=$(field xen_version)
thread=$(field yield)
event=$(field "event to itself")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "guest hypercall round trip (xen_version): $inside ns," \
	"$(ratio "$inside" "$hypercall_ns") x dom0's"
echo "guest exit out to its vCPU thread (SCHEDOP_yield): $thread ns," \
	"$(ratio "$thread" "$inside") x one finished inside"
echo "guest event to itself (EVTCHNOP_send and its upcall): $event ns"
echo "kxen boot to the guest's first output: $boot_ms ms"
