#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# With kxen loaded, the ways a machine goes down must still work: a
# reboot hands the bare machine back first (reboot notifier), and a panic
# or a SysRq emergency restart, which run no notifiers, still reset the
# machine instead of hanging it. Driven from the host, as dom0 does not
# survive to report; the lab stops the emulator on reset (QEMU's
# -no-reboot; bochs when the firmware boots again).
#   hv_shutdown_test.sh          AMD SVM, under QEMU
#   hv_shutdown_test.sh --vmx    Intel VMX, under bochs: the two resets
#                                only, as the reboot notifier's hand-back
#                                is rmmod's, which the VMX run tests, and
#                                each bochs boot takes over 3 minutes
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/lib/ktap.sh"
lab=$top/scripts/lab
lab_opts=(--timeout 180)
[ "${1:-}" != --vmx ] || lab_opts=(--vmx --timeout 1200)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck disable=SC2016 # expanded by dom0's shell
load='insmod /kxen/kxen.ko serial_port=0x3f8 && test "$(cat /sys/kernel/kxen/hv/active)" = 1'

# down NAME CMD PATTERN...: CMD (after loading kxen) takes dom0 down by a
# reset, not a hang, and the serial log has every PATTERN in order.
down()
{
	local name=$1 cmd=$2 rc log
	shift 2
	"$lab" "${lab_opts[@]}" run -- sh -c "$load && $cmd" >/dev/null 2>"$tmp/err"
	rc=$?
	log=$(sed -n 's/.*serial log: //p' "$tmp/err" | head -n 1)
	if [ $rc != 125 ] || [ ! -f "$log" ]; then
		sed 's/^/# /' "$tmp/err"
		ktap_not_ok "$name (lab exit $rc, want 125: dom0 went down)"
		return
	fi
	local pattern missing=
	for pattern in "$@"; do
		grep -q -- "$pattern" "$log" || missing="$missing '$pattern'"
	done
	if [ -z "$missing" ]; then
		ktap_ok "$name"
	else
		ktap_diag "not in $log:$missing"
		ktap_not_ok "$name"
	fi
}

ktap_header 3
# reboot(2) with LINUX_REBOOT_CMD_RESTART, as "reboot -f" does.
if [ "${1:-}" = --vmx ]; then
	ktap_skip "reboot devirtualizes, then restarts" "the hand-back is rmmod's"
else
	down "reboot devirtualizes, then restarts" \
		"sync; python3 -c 'import ctypes; ctypes.CDLL(None).reboot(0x01234567)'" \
		"Linux is now dom0" "back to bare Linux" "hypervisor gone" \
		"reboot: Restarting system"
fi
down "a panic under kxen still resets the machine" \
	"echo c >/proc/sysrq-trigger" "Linux is now dom0" "Kernel panic"
down "a SysRq emergency restart under kxen resets the machine" \
	"echo b >/proc/sysrq-trigger" "Linux is now dom0" "sysrq: Resetting"
ktap_finished
