# SPDX-License-Identifier: GPL-2.0
# Shared by the hypervisor selftests: where things are, and checks that
# every test ends with.

KXEN_MODULE=${KXEN_MODULE:-$top/kxen.ko}
KXEN_HV=/sys/kernel/kxen/hv
KXEN_DEBUG=/sys/kernel/debug/kxen
XEN_CPUID=$top/build/selftests/hv/xen_cpuid

# kxen_load [PARAM...]: insmod with KXEN_ARGS (say serial_port=0x3f8,
# to have the hypervisor's log on the lab's console) and PARAMs.
kxen_load()
{
	# shellcheck disable=SC2086 # KXEN_ARGS is a list of parameters
	insmod "$KXEN_MODULE" ${KXEN_ARGS:-} "$@"
}

# kxen_load_or_bail: the KTAP result of loading kxen; if it fails, the
# rest of the plan fails with it, the kernel log says why, and the test
# ends.
kxen_load_or_bail()
{
	# shellcheck disable=SC2119 # no extra parameters here
	ktap_expect "insmod kxen.ko" kxen_load && return 0
	kxen_dmesg_since | sed 's/^/# /'
	ktap_fail_rest "needs the hypervisor"
}

# kxen_unload_if_loaded: tests start from bare Linux.
kxen_unload_if_loaded()
{
	if lsmod | grep -qw kxen; then rmmod kxen; fi
}

kxen_dmesg_mark()
{
	KXEN_DMESG_MARK=$(dmesg | wc -l)
}

# kxen_dmesg_since: the kernel log since kxen_dmesg_mark.
kxen_dmesg_since()
{
	dmesg | tail -n +$((KXEN_DMESG_MARK + 1))
}

# kxen_no_kernel_trouble: a KTAP result for the log since the mark.
kxen_no_kernel_trouble()
{
	local trouble
	trouble=$(kxen_dmesg_since |
		grep -E 'BUG|WARNING|Oops|general protection|Call Trace|unchecked MSR|soft lockup|hung task' || true)
	if [ -z "$trouble" ]; then
		ktap_ok "no kernel warnings"
	else
		printf '%s\n' "$trouble" | sed 's/^/# /'
		ktap_not_ok "no kernel warnings"
	fi
}

# kxen_show_hv_log: the hypervisor's log as diagnostics.
kxen_show_hv_log()
{
	[ -r $KXEN_DEBUG/log ] && sed 's/^/# hv: /' $KXEN_DEBUG/log
}

kxen_online_cpus()
{
	local range first last
	for range in $(tr ',' ' ' </sys/devices/system/cpu/online); do
		first=${range%-*} last=${range#*-}
		seq "$first" "$last"
	done
}

# The extension kxen runs on here, and the KVM module that would use it.
if grep -qw svm /proc/cpuinfo; then
	KXEN_VIRT=SVM KXEN_KVM=kvm_amd
elif grep -qw vmx /proc/cpuinfo; then
	KXEN_VIRT=VMX KXEN_KVM=kvm_intel
else
	KXEN_VIRT='' KXEN_KVM=''
fi

# kxen_skip_all_unless_virt: after ktap_header, skips the whole plan when
# the CPU has neither AMD SVM nor Intel VMX.
kxen_skip_all_unless_virt()
{
	[ -n "$KXEN_VIRT" ] ||
		ktap_skip_rest "hypervisor test" "the CPU has neither SVM nor VMX"
}
