#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs kxen's selftests in dom0 as one KTAP report (kselftest layout: one
# directory per area, executables named *_test or *_test.sh).
#   run_tests.sh            every area
#   run_tests.sh module     only selftests/module
set -u
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.." || exit 1

if [ $# -eq 0 ]; then
	for dir in "$here"/*/; do
		dir=${dir%/}
		[ "${dir##*/}" = lib ] || set -- "$@" "${dir##*/}"
	done
fi
tests=()
for area in "$@"; do
	for t in selftests/"$area"/*_test selftests/"$area"/*_test.sh; do
		[ -x "$t" ] && tests+=("$t")
	done
done
[ ${#tests[@]} -gt 0 ] || { echo "run_tests.sh: no tests in: $*" >&2; exit 2; }
exec scripts/ktap-run "${tests[@]}"
