// SPDX-License-Identifier: GPL-2.0
/*
 * kxen boot: runs a PVH kernel in a new domain and shows its console.
 *
 * The domain is built with Debian's libxenguest (pvh_build.c), without
 * xenstore. What the guest writes with console_io reaches the hypervisor
 * log as "(dN) ..." lines; they are read back with sysctl readconsole
 * (xc_readconsolering, as `xl dmesg` does) and printed without the tag.
 * The hypervisor's own lines about the domain ("dN: ...") go to stderr
 * when the guest does not power off, as the reason.
 *
 * Exit status: 0 when the guest powers off; 1 when it crashes, reboots,
 * suspends, times out, or cannot be built; 2 for a usage error. The
 * domain is destroyed in every case.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xenctrl.h>
#include <xentoollog.h>
#include <xen/sched.h>

#include "kxen.h"
#include "pvh_build.h"

#define POLL_NS		20000000
/* The hypervisor's lines about the domain kept for a failure report. */
#define REASON_LINES	4
#define LINE_MAX_LEN	512

static const char boot_usage[] =
	"usage: kxen boot [--memory MB] [--vcpus N] [--ramdisk FILE]\n"
	"                 [--cmdline STR] [--timeout SECONDS] [--verbose] KERNEL\n";

struct console {
	xc_interface *xch;
	uint32_t index;			/* readconsole's position */
	char partial[LINE_MAX_LEN];	/* a line not ended yet */
	size_t partial_len;
	char tag[16], hv_tag[16], hv_vcpu_tag[16];
	char reason[REASON_LINES][LINE_MAX_LEN];
	unsigned int nr_reasons;
};

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void console_line(struct console *c, const char *line)
{
	if (starts_with(line, c->tag)) {
		printf("%s\n", line + strlen(c->tag));
		fflush(stdout);
		return;
	}
	if (!starts_with(line, c->hv_tag) && !starts_with(line, c->hv_vcpu_tag))
		return;
	if (c->nr_reasons == REASON_LINES) {
		memmove(c->reason[0], c->reason[1],
			sizeof(c->reason[0]) * (REASON_LINES - 1));
		c->nr_reasons--;
	}
	snprintf(c->reason[c->nr_reasons++], LINE_MAX_LEN, "%s", line);
}

/* Reads what the log gained since the last call; PRINT its lines. */
static int console_read(struct console *c, bool print)
{
	char buf[16384];
	unsigned int size, i;

	do {
		size = sizeof(buf);
		if (xc_readconsolering(c->xch, buf, &size, 0, 1, &c->index))
			return -1;
		for (i = 0; i < size; i++) {
			if (buf[i] != '\n' &&
			    c->partial_len < sizeof(c->partial) - 1) {
				c->partial[c->partial_len++] = buf[i];
				continue;
			}
			if (buf[i] != '\n')
				continue;	/* too long: the rest is cut */
			c->partial[c->partial_len] = '\0';
			c->partial_len = 0;
			if (print)
				console_line(c, c->partial);
		}
	} while (size == sizeof(buf));
	return 0;
}

static void console_init(struct console *c, xc_interface *xch, uint32_t domid)
{
	memset(c, 0, sizeof(*c));
	c->xch = xch;
	snprintf(c->tag, sizeof(c->tag), "(d%u) ", domid);
	snprintf(c->hv_tag, sizeof(c->hv_tag), "d%u: ", domid);
	snprintf(c->hv_vcpu_tag, sizeof(c->hv_vcpu_tag), "d%uv", domid);
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *shutdown_name(unsigned int code)
{
	switch (code) {
	case SHUTDOWN_poweroff:
		return "powered off";
	case SHUTDOWN_reboot:
		return "rebooted";
	case SHUTDOWN_suspend:
		return "suspended";
	case SHUTDOWN_crash:
		return "crashed";
	case SHUTDOWN_watchdog:
		return "stopped by its watchdog";
	case SHUTDOWN_soft_reset:
		return "asked for a soft reset";
	default:
		return "shut down for an unknown reason";
	}
}

/*
 * Runs domain DOMID until it shuts down, the timeout (0: none) passes or
 * a signal comes. Returns the exit status.
 */
static int run(struct console *c, uint32_t domid, unsigned int timeout,
	       const sigset_t *stop)
{
	const struct timespec poll = { 0, POLL_NS };
	double deadline = timeout ? seconds() + timeout : 0;
	const char *why = NULL;
	bool powered_off = false;
	xc_domaininfo_t info;
	unsigned int code, i;

	/* Why it fails is in what the hypervisor says once it runs. */
	console_read(c, true);
	c->nr_reasons = 0;
	if (xc_domain_unpause(c->xch, domid)) {
		fprintf(stderr, "kxen boot: unpausing d%u: %s\n", domid,
			strerror(errno));
		return 1;
	}
	for (;;) {
		if (console_read(c, true)) {
			why = "the hypervisor log cannot be read";
			break;
		}
		if (xc_domain_getinfolist(c->xch, domid, 1, &info) != 1 ||
		    info.domain != domid) {
			why = "the domain has gone";
			break;
		}
		if (info.flags & XEN_DOMINF_shutdown) {
			code = (info.flags >> XEN_DOMINF_shutdownshift) &
			       XEN_DOMINF_shutdownmask;
			why = shutdown_name(code);
			powered_off = code == SHUTDOWN_poweroff;
			break;
		}
		if (deadline && seconds() > deadline) {
			why = "timed out";
			break;
		}
		if (sigtimedwait(stop, NULL, &poll) > 0) {
			why = "interrupted";
			break;
		}
	}
	console_read(c, true);		/* what it wrote last */
	if (powered_off)
		return 0;
	for (i = 0; i < c->nr_reasons; i++)
		fprintf(stderr, "kxen boot: %s\n", c->reason[i]);
	fprintf(stderr, "kxen boot: d%u %s\n", domid, why);
	return 1;
}

static bool parse_uint(const char *s, unsigned int min, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v < min || v > 1u << 20)
		return false;
	*out = v;
	return true;
}

int boot_main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "memory", required_argument, NULL, 'm' },
		{ "vcpus", required_argument, NULL, 'n' },
		{ "ramdisk", required_argument, NULL, 'r' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pvh_guest g = { .memory_mb = 16, .vcpus = 1 };
	xentoollog_level level = XTL_ERROR;
	unsigned int timeout = 0;
	xentoollog_logger *log;
	struct console console;
	xc_interface *xch;
	sigset_t stop;
	char err[512];
	uint32_t domid, start;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+", options, NULL)) != -1) {
		switch (opt) {
		case 'm':
			if (!parse_uint(optarg, 1, &g.memory_mb))
				goto usage;
			break;
		case 'n':
			if (!parse_uint(optarg, 1, &g.vcpus))
				goto usage;
			break;
		case 'r':
			g.ramdisk = optarg;
			break;
		case 'c':
			g.cmdline = optarg;
			break;
		case 't':
			if (!parse_uint(optarg, 1, &timeout))
				goto usage;
			break;
		case 'v':
			level = XTL_DEBUG;
			break;
		case 'h':
			fputs(boot_usage, stdout);
			return 0;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	g.kernel = argv[optind];

	log = (xentoollog_logger *)xtl_createlogger_stdiostream(stderr, level,
								  0);
	xch = xc_interface_open(log, log, 0);
	if (!xch) {
		fprintf(stderr, "kxen boot: no hypervisor to talk to (is kxen loaded?): %s\n",
			strerror(errno));
		return 1;
	}
	console_init(&console, xch, 0);
	if (console_read(&console, false)) {
		fprintf(stderr, "kxen boot: reading the hypervisor log: %s\n",
			strerror(errno));
		xc_interface_close(xch);
		return 1;
	}
	if (pvh_build(xch, &g, &domid, err, sizeof(err))) {
		fprintf(stderr, "kxen boot: %s\n", err);
		xc_interface_close(xch);
		return 1;
	}
	/* Its lines since the build began, then as they come. */
	start = console.index;
	console_init(&console, xch, domid);
	console.index = start;
	/* Taken as they come by run(), so the domain is always destroyed. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	if (level == XTL_DEBUG)
		fprintf(stderr, "kxen boot: d%u: %s, %u MiB, %u vCPUs\n", domid,
			g.kernel, g.memory_mb, g.vcpus);
	ret = run(&console, domid, timeout, &stop);
	xc_domain_destroy(xch, domid);
	xc_interface_close(xch);
	xtl_logger_destroy(log);
	return ret;
usage:
	fputs(boot_usage, stderr);
	return 2;
}
