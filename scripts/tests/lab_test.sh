#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of scripts/lab itself under QEMU: the dom0 it boots, how it passes
# output and exit status back, shares, and what it does with hung and
# crashed runs.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/lib/ktap.sh"
. "$top/scripts/lab-kernel"
lab=$top/scripts/lab
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ktap_header 8

# One boot checks the dom0 itself and the shares.
echo "share-marker" >"$tmp/marker"
out=$("$lab" run --share "$tmp" -- bash -c '
	uname -r
	test -x /usr/lib/xen-4.17/bin/xl && echo xl-present
	cat /share/marker
	touch /kxen/x 2>/dev/null || echo tree-read-only
	touch /share/x 2>/dev/null || echo share-read-only
	command -v kxen
	printf no-newline' 2>"$tmp/err")
rc=$?
[ $rc = 0 ] || sed 's/^/# /' "$tmp/err"
has_lines()
{
	local line
	for line in "$@"; do
		grep -qxF -- "$line" <<<"$out" || { echo "no line '$line'"; return 1; }
	done
}
ktap_expect "dom0 runs Debian's $LAB_KABI-amd64" has_lines "$LAB_KABI-amd64"
ktap_expect "Xen 4.17 xl is installed" has_lines xl-present
ktap_expect "--share DIR is /share, read-only" \
	has_lines share-marker share-read-only
ktap_expect "work tree is /kxen, read-only, tools on PATH" \
	has_lines tree-read-only /kxen/userspace/kxen
ktap_expect "output without a final newline arrives whole" \
	test "${out##*$'\n'}" = no-newline

"$lab" run -- sh -c 'exit 7' >/dev/null 2>&1
rc=$?
ktap_expect "exit status 7 comes back (got $rc)" test $rc = 7

"$lab" --timeout 15 run -- sleep 600 >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 124 ] && grep -q "timed out after 15 s" "$tmp/err"; then
	ktap_ok "hung run killed after --timeout with a message"
else
	sed 's/^/# /' "$tmp/err"
	ktap_not_ok "hung run killed after --timeout with a message (exit $rc)"
fi

"$lab" run -- sh -c 'echo c >/proc/sysrq-trigger' >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 125 ] && grep -q "dom0 stopped before the command finished" "$tmp/err" &&
	grep -q "Kernel panic" "$tmp/err"; then
	ktap_ok "crashed dom0 reported with the end of the serial log"
else
	sed 's/^/# /' "$tmp/err"
	ktap_not_ok "crashed dom0 reported with the end of the serial log (exit $rc)"
fi
ktap_finished
