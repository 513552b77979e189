// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hv/console.c and hv_printk(): ordering, wrap-around, loss
 * accounting, and a reader racing a writer. Every byte written is a
 * function of its absolute position, so a reader can check each byte it
 * gets, and that bytes lost plus bytes read add up.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <hv/printk.h>
#include "ktap.h"

#define RING 64

static union {
	struct kxen_console con;
	char bytes[sizeof(struct kxen_console) + RING];
} ring;

static char pattern(u64 pos)
{
	return 'a' + pos % 23;
}

static void write_pattern(struct kxen_console *con, u64 *pos, size_t len)
{
	char buf[512];
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pattern(*pos + i);
	kxen_console_write(con, buf, len);
	*pos += len;
}

static void test_in_order(void)
{
	struct kxen_console *con = &ring.con;
	u64 pos = 0, lost = 0;
	char out[RING];
	size_t n;

	kxen_console_init(con, RING);
	kxen_console_write(con, "hello ", 6);
	kxen_console_write(con, "world\n", 6);
	n = kxen_console_read(con, &pos, out, 5, &lost);
	ktap_test_result(n == 5 && !memcmp(out, "hello", 5) && pos == 5,
			 "partial read");
	n = kxen_console_read(con, &pos, out, sizeof(out), &lost);
	ktap_test_result(n == 7 && !memcmp(out, " world\n", 7) && pos == 12 &&
			 !lost, "the rest, nothing lost");
	ktap_test_result(!kxen_console_read(con, &pos, out, sizeof(out), &lost),
			 "nothing more to read");
}

static void test_wrap_and_loss(void)
{
	struct kxen_console *con = &ring.con;
	u64 wpos = 0, pos = 0, lost = 0;
	char out[RING];
	bool ok = true;
	size_t n, i;

	kxen_console_init(con, RING);
	write_pattern(con, &wpos, 50);
	write_pattern(con, &wpos, 50);	/* wraps; 36 bytes overwritten */
	n = kxen_console_read(con, &pos, out, sizeof(out), &lost);
	for (i = 0; i < n; i++)
		ok &= out[i] == pattern(36 + i);
	ktap_test_result(ok && n == RING && lost == 36 && pos == 100,
			 "overwritten bytes are counted, the newest kept");

	write_pattern(con, &wpos, 200);	/* longer than the ring */
	n = kxen_console_read(con, &pos, out, sizeof(out), &lost);
	ok = n == RING && lost == 36 + 200 - RING && pos == 300;
	for (i = 0; i < n; i++)
		ok &= out[i] == pattern(300 - RING + i);
	ktap_test_result(ok, "a write longer than the ring keeps its tail");
}

static void test_printk(void)
{
	struct kxen_console *con = &ring.con;
	char out[RING + 1] = "";
	u64 pos = 0, lost = 0;
	char long_line[300];

	kxen_console_init(con, RING);
	hv_printk_init(con, NULL);
	hv_printk("cpu%u: %s %#x\n", 1, "svm", 0x10);
	kxen_console_read(con, &pos, out, RING, &lost);
	ktap_test_result(!strcmp(out, "cpu1: svm 0x10\n"),
			 "printk formats into the console");

	memset(long_line, 'x', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	ktap_test_result(hv_printk("%s", long_line) == 255 && con->head == 15 + 255,
			 "a line beyond 255 bytes is cut to 255");
}

/* A writer and a reader race; every byte read must be the right one. */
#define RACE_BYTES 4000000
static bool writer_done;	/* accessed with __atomic builtins */

static void *writer(void *arg)
{
	u64 pos = 0;

	while (pos < RACE_BYTES)
		write_pattern(arg, &pos, 1 + rand() % 40);
	__atomic_store_n(&writer_done, true, __ATOMIC_RELEASE);
	return NULL;
}

static void test_race(void)
{
	struct kxen_console *con = &ring.con;
	u64 pos = 0, lost = 0, got = 0, bad = 0;
	pthread_t thread;
	char out[48];
	size_t n, i;

	kxen_console_init(con, RING);
	pthread_create(&thread, NULL, writer, con);
	for (;;) {
		bool done = __atomic_load_n(&writer_done, __ATOMIC_ACQUIRE);
		u64 before = pos, lost_before = lost;

		n = kxen_console_read(con, &pos, out, 1 + rand() % 48, &lost);
		for (i = 0; i < n; i++)
			bad += out[i] != pattern(before + (lost - lost_before) + i);
		got += n;
		if (done && pos == con->head)
			break;
	}
	pthread_join(thread, NULL);
	if (bad)
		ktap_diag("%llu wrong bytes", (unsigned long long)bad);
	ktap_test_result(!bad, "no byte read is wrong while a writer races");
	ktap_test_result(got + lost == con->head && con->head >= RACE_BYTES &&
			 got > 0,
			 "read plus lost is all that was written (%llu read)",
			 (unsigned long long)got);
}

int main(void)
{
	ktap_print_header(9);
	test_in_order();
	test_wrap_and_loss();
	test_printk();
	test_race();
	return ktap_finished();
}
