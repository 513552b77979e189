# SPDX-License-Identifier: GPL-2.0
# A mixed dom0 workload for the hypervisor tests: CPU, syscalls, fork and
# page faults, disk and loopback-network I/O, each in a loop that checks
# its own results. Source this file; workload_start DIR, then
# workload_stop, then workload_report prints one line per job and fails
# if any job never completed a round or ever got a wrong result.

_workload_round()
{
	local name=$1 dir=$2
	shift 2
	if "$@" >/dev/null 2>&1; then
		echo >>"$dir/$name.ok"
	else
		echo >>"$dir/$name.bad"
	fi
}

_cpu_job()
{
	# A sum whose answer is known: catches lost or corrupted registers.
	[ "$(seq 1 20000 | awk '{ s = (s + $1 * $1) % 1000003 } END { print s }')" = 669426 ]
}

_syscall_job()
{
	[ "$(dd if=/dev/zero bs=512 count=4000 2>/dev/null | wc -c)" = 2048000 ]
}

_fork_job()
{
	local i
	for i in $(seq 1 10); do /bin/true || return 1; done
}

_disk_job()
{
	local dir=$1
	dd if=/dev/urandom of="$dir/disk.a" bs=64k count=16 2>/dev/null &&
		cp "$dir/disk.a" "$dir/disk.b" && sync &&
		echo 3 >/proc/sys/vm/drop_caches &&
		cmp "$dir/disk.a" "$dir/disk.b"
}

_net_job()
{
	python3 - <<'PY'
import hashlib, os, socket, threading
data = os.urandom(1 << 20)
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
got = []
def serve():
    conn, _ = srv.accept()
    buf = b""
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        buf += chunk
    got.append(buf)
t = threading.Thread(target=serve)
t.start()
cli = socket.create_connection(srv.getsockname())
cli.sendall(data)
cli.close()
t.join()
assert hashlib.sha256(got[0]).digest() == hashlib.sha256(data).digest()
PY
}

# workload_start DIR: DIR must be on a real disk (not tmpfs).
workload_start()
{
	WORKLOAD_DIR=$1
	WORKLOAD_PIDS=
	local job
	mkdir -p "$WORKLOAD_DIR"
	rm -f "$WORKLOAD_DIR"/*.ok "$WORKLOAD_DIR"/*.bad
	for job in cpu syscall fork disk net; do
		(
			trap 'exit 0' TERM
			while :; do
				_workload_round $job "$WORKLOAD_DIR" _${job}_job "$WORKLOAD_DIR"
			done
		) &
		WORKLOAD_PIDS="$WORKLOAD_PIDS $!"
	done
}

workload_stop()
{
	# shellcheck disable=SC2086 # a list of PIDs
	kill $WORKLOAD_PIDS 2>/dev/null
	wait
}

workload_report()
{
	local job ok bad status=0
	for job in cpu syscall fork disk net; do
		ok=$(cat "$WORKLOAD_DIR/$job.ok" 2>/dev/null | wc -l)
		bad=$(cat "$WORKLOAD_DIR/$job.bad" 2>/dev/null | wc -l)
		echo "$job: $ok rounds right, $bad wrong"
		[ "$ok" -gt 0 ] && [ "$bad" = 0 ] || status=1
	done
	return $status
}
