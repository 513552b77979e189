# SPDX-License-Identifier: GPL-2.0
# KTAP (version 1) helpers for kxen's shell tests. Source this file, call
# ktap_header with the plan, one result helper per test, then
# end with "ktap_finished", whose status is the test's.

ktap_header()
{
	KTAP_PLAN=$1
	KTAP_N=0
	KTAP_FAILED=0
	echo "KTAP version 1"
	echo "1..$KTAP_PLAN"
}

ktap_diag()
{
	echo "# $*"
}

ktap_ok()
{
	KTAP_N=$((KTAP_N + 1))
	echo "ok $KTAP_N $*"
}

ktap_not_ok()
{
	KTAP_N=$((KTAP_N + 1))
	KTAP_FAILED=$((KTAP_FAILED + 1))
	echo "not ok $KTAP_N $*"
}

# ktap_skip NAME REASON
ktap_skip()
{
	KTAP_N=$((KTAP_N + 1))
	echo "ok $KTAP_N $1 # SKIP $2"
}

# ktap_expect NAME CMD...: ok when CMD succeeds; its output becomes
# diagnostics either way so a failure explains itself.
ktap_expect()
{
	_name=$1
	shift
	if _out=$("$@" 2>&1); then
		[ -z "$_out" ] || printf '%s\n' "$_out" | sed 's/^/# /'
		ktap_ok "$_name"
	else
		printf '%s\n' "$_out" | sed 's/^/# /'
		ktap_not_ok "$_name"
	fi
}

# ktap_finished: returns non-zero on any failure or a plan not kept.
ktap_finished()
{
	if [ "$KTAP_N" -ne "$KTAP_PLAN" ]; then
		ktap_diag "planned $KTAP_PLAN tests, ran $KTAP_N"
		return 1
	fi
	[ "$KTAP_FAILED" -eq 0 ]
}

# ktap_fail_rest REASON: every test left in the plan fails for REASON;
# then the report ends, and so does the test, with ktap_finished's status.
ktap_fail_rest()
{
	while [ "$KTAP_N" -lt "$KTAP_PLAN" ]; do ktap_not_ok "$1"; done
	ktap_finished
	exit
}

# ktap_skip_rest NAME REASON: as ktap_fail_rest, but the rest is skipped.
ktap_skip_rest()
{
	while [ "$KTAP_N" -lt "$KTAP_PLAN" ]; do ktap_skip "$1" "$2"; done
	ktap_finished
	exit
}
