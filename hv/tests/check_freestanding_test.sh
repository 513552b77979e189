#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# scripts/check-freestanding must pass self-contained hypervisor objects
# and reject, by name, any object that needs a symbol from elsewhere.
# Objects are compiled with the real hypervisor flags from the Makefile.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/lib/ktap.sh"
cd "$top" || exit 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cflags=$(make -s --no-print-directory print-hv-cflags)

hv_cc()
{
	# shellcheck disable=SC2086
	${CC:-gcc} $cflags -c -o "$tmp/$1.o" -x c -
}

echo 'int helper(int x) { return x + 1; }' | hv_cc helper
echo 'int helper(int x); int caller(int x) { return helper(x); }' | hv_cc caller
echo 'int printk(const char *fmt, ...); void bad(void) { printk("x"); }' | hv_cc bad
echo 'static int helper(int x) { return x; } int use(int x) { return helper(x); }' |
	hv_cc static_helper

check()
{
	scripts/check-freestanding "$@" >"$tmp/out" 2>&1
}

ktap_header 5
ktap_expect "self-contained object passes" check "$tmp/helper.o"
ktap_expect "reference resolved by another hv object passes" \
	check "$tmp/caller.o" "$tmp/helper.o"

if check "$tmp/caller.o"; then
	ktap_not_ok "unresolved reference fails"
else
	ktap_ok "unresolved reference fails"
fi

if check "$tmp/helper.o" "$tmp/bad.o"; then
	ktap_not_ok "Linux symbol printk fails"
elif grep -q "bad.o needs 'printk'" "$tmp/out"; then
	ktap_ok "Linux symbol printk fails"
else
	sed 's/^/# /' "$tmp/out"
	ktap_not_ok "Linux symbol printk fails (message names object and symbol)"
fi

# A static function elsewhere cannot satisfy an external reference.
if check "$tmp/caller.o" "$tmp/static_helper.o"; then
	ktap_not_ok "static definition does not satisfy a reference"
else
	ktap_ok "static definition does not satisfy a reference"
fi
ktap_finished
