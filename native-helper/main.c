/*
 * landlock-exec: enforce an already-compiled landrun plan and exec the command, without Node;
 * or, with --supervise, run it below a single-threaded supervisor that stays out of its reach.
 *
 *   landlock-exec [--supervise [supervisor options]] --plan FILE | --plan-fd N [--] [command...]
 *   landlock-exec --dump-seccomp tcp|none|any all|socketpair [keyring-allow] [exec-restricted]
 *   landlock-exec --dump-runtime-seccomp SPID PPID SPGID PPGID [signal-scope] [connect-ruled]
 *                 [loopback] [shared-pgrp]
 *
 * The plan is the wire format written by src/launch/wire.ts (`landrun --save-plan`). This
 * program holds no policy: every decision (which rights, which ABI, which seccomp profile) was
 * taken by the process that compiled the plan. See README.md for the protocol and exit statuses.
 */
#include "command.h"
#include "common.h"
#include "plan.h"
#include "sandbox.h"
#include "seccomp.h"
#include "supervise.h"
#include "workflow-commands.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

#ifndef LANDRUN_VERSION
#define LANDRUN_VERSION "0.1.0"
#endif
/* Which workflow-command filter was linked in (the Makefile says; see its WC_PASSTHROUGH). */
#ifndef LANDRUN_WC_IMPL
#define LANDRUN_WC_IMPL "workflow-commands.c"
#endif

static const char USAGE[] =
	"usage: landlock-exec [--supervise [SUPERVISOR OPTIONS]] --plan FILE|--plan-fd N [--] [command args...]\n"
	"       landlock-exec --dump-seccomp tcp|none|any all|socketpair [keyring-allow] [exec-restricted]\n"
	"       landlock-exec --dump-runtime-seccomp SPID PPID SPGID PPGID [signal-scope] [connect-ruled]\n"
	"                     [loopback] [shared-pgrp]\n"
	"Enforces a plan written by `landrun --save-plan FILE` and executes the command\n"
	"(the plan's own exec/arg/env records when it has them; otherwise the command given\n"
	"here, looked up in PATH, with this process's environment).\n"
	"--supervise: run the command as a child in a Landlock domain nested below this process's,\n"
	"forward signals, and when it ends kill everything it left behind. Supervisor options:\n"
	"  --report-fd N          write the report lines (child, defused, connect-denied, leftovers,\n"
	"                         exit, error) to file descriptor N\n"
	"  --control-fd N         read control bytes from N: 'k' or end of file kills the sandbox\n"
	"  --new-pgrp             run the command in a process group of its own\n"
	"  --workflow-commands all|annotations|none\n"
	"                         pass the command's stdout/stderr through the workflow-command filter\n"
	"  --end-last-line        with --workflow-commands: end an unterminated last line of the command's\n"
	"                         output with a newline (the caller prints more on the same descriptor)\n"
	"exit status: the command's own (its signal raised again); 2 usage or invalid plan;\n"
	"1 sandbox setup failure; 126 cannot execute; 127 not found.\n";

static int parse_int(const char *s, int *out)
{
	uint32_t v;
	if (parse_number(s, INT_MAX, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

static int dump_main_filter(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("--dump-seccomp needs a profile (tcp|none|any) and a unix mode (all|socketpair)");
	struct main_filter_opts o = {0};
	if (strcmp(argv[0], "tcp") == 0)
		o.inet = INET_TCP;
	else if (strcmp(argv[0], "none") == 0)
		o.inet = INET_NONE;
	else if (strcmp(argv[0], "any") == 0)
		o.inet = INET_ANY;
	else
		return usage_error("--dump-seccomp: bad profile '%s': expected tcp, none or any", argv[0]);
	if (strcmp(argv[1], "all") == 0)
		o.unix_mode = UNIX_ALL;
	else if (strcmp(argv[1], "socketpair") == 0)
		o.unix_mode = UNIX_SOCKETPAIR;
	else
		return usage_error("--dump-seccomp: bad unix mode '%s': expected all or socketpair", argv[1]);
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "keyring-allow") == 0)
			o.keyring_allow = 1;
		else if (strcmp(argv[i], "exec-restricted") == 0)
			o.exec_restricted = 1;
		else
			return usage_error("--dump-seccomp: unknown option '%s': expected keyring-allow or exec-restricted", argv[i]);
	}
	struct sock_filter prog[SECCOMP_MAX_INSNS];
	size_t n = build_main_filter(&o, prog);
	if (n == 0) {
		error_msg("landlock-exec: internal error: the seccomp program does not assemble");
		return EXIT_INTERNAL;
	}
	return print_filter(prog, n);
}

static int dump_runtime_filter(int argc, char **argv)
{
	if (argc < 4)
		return usage_error("--dump-runtime-seccomp needs SPID PPID SPGID PPGID");
	int v[4];
	static const char *const names[4] = {"SPID", "PPID", "SPGID", "PPGID"};
	for (int i = 0; i < 4; i++)
		if (parse_int(argv[i], &v[i]) != 0)
			return usage_error("--dump-runtime-seccomp: bad %s '%s': expected a number", names[i], argv[i]);
	if (v[0] <= 0)
		return usage_error("--dump-runtime-seccomp: bad SPID '%s': expected a pid above 0", argv[0]);
	struct runtime_filter_opts o = {.supervisor = v[0], .parent = v[1], .supervisor_group = v[2], .parent_group = v[3]};
	for (int i = 4; i < argc; i++) {
		if (strcmp(argv[i], "signal-scope") == 0)
			o.signal_scope = 1;
		else if (strcmp(argv[i], "connect-ruled") == 0)
			o.connect_ruled = 1;
		else if (strcmp(argv[i], "loopback") == 0)
			o.loopback = 1;
		else if (strcmp(argv[i], "shared-pgrp") == 0)
			o.shared_group = 1;
		else
			return usage_error("--dump-runtime-seccomp: unknown option '%s': expected signal-scope, connect-ruled, loopback or shared-pgrp",
					   argv[i]);
	}
	struct sock_filter prog[SECCOMP_MAX_INSNS];
	size_t n = build_runtime_filter(&o, prog);
	if (n == 0) {
		error_msg("landlock-exec: internal error: the runtime seccomp program does not assemble");
		return EXIT_INTERNAL;
	}
	return print_filter(prog, n);
}

static int print_version(void)
{
	char text[256];
	int n = snprintf(text, sizeof text, "landlock-exec %s (plan wire format %d; workflow-command filter: %s)\n",
			 LANDRUN_VERSION, PLAN_WIRE_VERSION, LANDRUN_WC_IMPL);
	if (n < 0 || write_all(1, text, (size_t)n) != 0)
		return EXIT_INTERNAL;
	return 0;
}

/* A caller's fd for the supervisor: open, and not one of the command's stdio. */
static int supervisor_fd(const char *opt, const char *v, int *out)
{
	if (parse_int(v, out) != 0)
		return usage_error("invalid %s '%s': expected a file descriptor number", opt, v);
	if (*out <= 2)
		return usage_error("invalid %s '%s': 0, 1 and 2 are the command's stdio", opt, v);
	if (fcntl(*out, F_GETFD) < 0)
		return usage_error("invalid %s '%s': not an open file descriptor", opt, v);
	return 0;
}

int main(int argc, char **argv)
{
	const char *plan_file = NULL;
	int plan_fd = -1;
	int supervise_mode = 0;
	struct supervise_opts so = {.report_fd = -1, .control_fd = -1, .new_pgrp = 0, .wc_mode = -1};
	const char *supervisor_only = NULL; /* the first supervisor option seen */
	const char *report_arg = NULL, *control_arg = NULL;
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "--dump-seccomp") == 0)
			return dump_main_filter(argc - i - 1, argv + i + 1);
		if (strcmp(a, "--dump-runtime-seccomp") == 0)
			return dump_runtime_filter(argc - i - 1, argv + i + 1);
		if (strcmp(a, "--help") == 0)
			return write_all(1, USAGE, sizeof USAGE - 1) == 0 ? 0 : EXIT_INTERNAL;
		if (strcmp(a, "--version") == 0)
			return print_version();
		if (strcmp(a, "--supervise") == 0) {
			supervise_mode = 1;
			continue;
		}
		if (strcmp(a, "--new-pgrp") == 0) {
			so.new_pgrp = 1;
			supervisor_only = supervisor_only ? supervisor_only : a;
			continue;
		}
		if (strcmp(a, "--end-last-line") == 0) {
			so.end_last_line = 1;
			supervisor_only = supervisor_only ? supervisor_only : a;
			continue;
		}
		if (strcmp(a, "--plan") == 0 || strcmp(a, "--plan-fd") == 0 || strcmp(a, "--report-fd") == 0 ||
		    strcmp(a, "--control-fd") == 0 || strcmp(a, "--workflow-commands") == 0) {
			if (i + 1 >= argc)
				return usage_error("%s needs a value", a);
			const char *v = argv[++i];
			if (strcmp(a, "--plan") == 0) {
				plan_file = v;
				plan_fd = -1;
			} else if (strcmp(a, "--plan-fd") == 0) {
				if (parse_int(v, &plan_fd) != 0)
					return usage_error("invalid --plan-fd '%s': expected a file descriptor number", v);
				plan_file = NULL;
			} else if (strcmp(a, "--report-fd") == 0) {
				report_arg = v;
			} else if (strcmp(a, "--control-fd") == 0) {
				control_arg = v;
			} else if (strcmp(v, "all") == 0) {
				so.wc_mode = WC_ALL;
			} else if (strcmp(v, "annotations") == 0) {
				so.wc_mode = WC_ANNOTATIONS;
			} else if (strcmp(v, "none") == 0) {
				so.wc_mode = WC_NONE;
			} else {
				return usage_error("invalid --workflow-commands '%s': expected all, annotations or none", v);
			}
			if (strcmp(a, "--plan") != 0 && strcmp(a, "--plan-fd") != 0)
				supervisor_only = supervisor_only ? supervisor_only : a;
			continue;
		}
		if (a[0] == '-')
			return usage_error("unknown option '%s'", a);
		break;
	}
	if (supervisor_only && !supervise_mode)
		return usage_error("%s needs --supervise", supervisor_only);
	if (report_arg && supervisor_fd("--report-fd", report_arg, &so.report_fd) != 0)
		return EXIT_USAGE;
	if (control_arg && supervisor_fd("--control-fd", control_arg, &so.control_fd) != 0)
		return EXIT_USAGE;
	if (so.report_fd >= 0 && so.report_fd == so.control_fd)
		return usage_error("--report-fd and --control-fd must differ");
	if (!plan_file && plan_fd < 0)
		return usage_error("no plan given (--plan FILE or --plan-fd N)");

	char *buf = NULL;
	size_t len = 0;
	int e;
	if (plan_file) {
		int fd = open(plan_file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			e = errno;
		} else {
			e = read_all(fd, &buf, &len);
			if (close(fd) != 0 && errno != EINTR && !e)
				e = errno;
		}
	} else {
		/* Read it, then close it: the command must not inherit the plan pipe (as the Node launcher). */
		e = read_all(plan_fd, &buf, &len);
		if (!e)
			close(plan_fd);
	}
	if (e) {
		struct line l;
		line_start(&l);
		line_puts(&l, "landlock-exec: cannot read the plan ");
		if (plan_file)
			line_quoted(&l, plan_file, '\'');
		else
			line_printf(&l, "from fd %d", plan_fd);
		line_puts(&l, ": ");
		line_errno(&l, e);
		line_printf(&l, " (%s)", e == EFBIG ? "larger than 64 MiB" : strerror(e));
		line_flush(&l, 2);
		return EXIT_USAGE;
	}

	struct plan pl;
	int rc = parse_plan(buf, len, &pl);
	if (rc)
		return rc;
	if (pl.loopback && !supervise_mode)
		return usage_error("the plan is in loopback mode, which needs --supervise (the supervisor makes the loopback connections)");

	const char *exec_path;
	char *const *exec_argv;
	char *const *exec_envp;
	if (pl.exec_path) {
		exec_path = pl.exec_path;
		exec_argv = (char *const *)pl.argv;
		exec_envp = (char *const *)pl.envp;
	} else {
		if (i >= argc || argv[i][0] == '\0')
			return usage_error("no command given");
		rc = resolve_command(argv[i], &exec_path);
		if (rc)
			return rc;
		exec_argv = &argv[i];
		exec_envp = environ;
	}

	if (supervise_mode)
		return supervise(&pl, exec_path, exec_argv, exec_envp, &so);
	rc = apply_sandbox(&pl);
	if (!rc)
		rc = prepare_stdio_and_signals();
	return rc ? rc : exec_command(exec_path, exec_argv, exec_envp);
}
