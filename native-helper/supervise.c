/*
 * --supervise: the process that stays alive next to the command (docs/adr/0007).
 *
 * S builds two rulesets from one set of O_PATH descriptors: A for itself, B (the plan) for the
 * command. It restricts itself with A, installs the plan's seccomp filter, becomes a child
 * subreaper and non-dumpable, and forks. The child restricts itself with B (a domain nested below
 * S's), installs the runtime filter (seccomp.c) and execs the command. Landlock then refuses the
 * command ptrace of S at every ABI and signals to S from ABI 6, while S's kill(-1) reaches every
 * process below it. S is single-threaded: signals come through a signalfd, everything else
 * through one poll loop.
 */
#include "supervise.h"
#include "command.h"
#include "notify.h"
#include "sandbox.h"
#include "seccomp.h"
#include "workflow-commands.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define SWEEP_LIMIT_MS 5000     /* every process of the sandbox is gone by then */
#define DRAIN_LIMIT_MS 2000     /* output still held open by something outside the sandbox */
#define HANDSHAKE_LIMIT_MS 10000
#define OUT_CHUNK 65536
#define MAX_CHILDREN 8192
#define PIDFD_THREAD_ 0x80

static const int FORWARDED[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define N_FORWARDED (sizeof FORWARDED / sizeof FORWARDED[0])

/* The child proves S can read its memory (loopback mode) by having this word where S has it. */
static volatile uint64_t probe_word = 0x216e75726472616cull;

static int g_report_fd = -1;

void report_flush(struct line *l)
{
	if (g_report_fd >= 0)
		line_flush(l, g_report_fd);
	l->len = 0;
}

void report_error(const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	struct line l = {.len = 0};
	line_puts(&l, "error ");
	line_puts(&l, text);
	report_flush(&l);
	error_msg("%s", text);
}

/* ---- the command's output, through the workflow-command filter ---- */

struct stream {
	const char *name; /* "stdout", "stderr" */
	int in;           /* our read end of the command's pipe, -1 when closed */
	int out;          /* 1 or 2 */
	int broken;       /* writing failed once: the rest is drained and dropped */
	int line_open;    /* the last byte written ended no line */
	int end_last_line; /* --end-last-line */
	struct wc_filter *wc;
	size_t len;
	char buf[OUT_CHUNK];
};

static struct wc_filter wc_filters[2];
static struct stream streams[2];

static void stream_flush(struct stream *s)
{
	if (s->len > 0 && !s->broken && write_all(s->out, s->buf, s->len) != 0) {
		s->broken = 1;
		report_error("cannot write the command's %s to fd %d: %s; its output is dropped from now on", s->name, s->out,
			     errno_name(errno) ? errno_name(errno) : "error");
	}
	s->len = 0;
}

static void stream_emit(void *ctx, const char *buf, size_t len)
{
	struct stream *s = ctx;
	if (len > 0)
		s->line_open = buf[len - 1] != '\n' && buf[len - 1] != '\r';
	while (len > 0) {
		size_t room = sizeof s->buf - s->len;
		size_t n = len < room ? len : room;
		memcpy(s->buf + s->len, buf, n);
		s->len += n;
		buf += n;
		len -= n;
		if (s->len == sizeof s->buf)
			stream_flush(s);
	}
}

static void stream_event(void *ctx, const char *name)
{
	struct stream *s = ctx;
	struct line l = {.len = 0};
	line_printf(&l, "defused %s ", s->name);
	line_token(&l, name, strlen(name));
	report_flush(&l);
}

/* Reads what is there; returns 0 at end of file (the stream is then finished and closed). */
static int stream_read(struct stream *s)
{
	char buf[OUT_CHUNK];
	ssize_t n = read(s->in, buf, sizeof buf);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (n > 0) {
		wc_feed(s->wc, buf, (size_t)n, stream_emit, stream_event, s);
		stream_flush(s); /* live: every chunk is out before we wait again */
		return 1;
	}
	return 0;
}

static void stream_finish(struct stream *s)
{
	if (s->in < 0)
		return;
	(void)close(s->in);
	s->in = -1;
	/* In 'all' mode this also resumes every ::stop-commands:: token the command left active, so
	 * that the caller's own annotations after the step are not plain text. */
	wc_finish(s->wc, stream_emit, stream_event, s);
	/* The caller prints after the command on the same descriptor (the Action its annotations,
	 * landrun-shell its errors): an unterminated last line would take the caller's first line in,
	 * and a command there is no command for the runner (`partial::error ...`). A newline at the end
	 * of the stream changes nothing the runner reads: ReadLine returns the last line either way. */
	if (s->end_last_line && s->line_open)
		stream_emit(s, "\n", 1);
	stream_flush(s);
}

/* ---- the supervisor's state ---- */

struct sv {
	const struct plan *pl;
	pid_t child;
	int new_pgrp;
	int sfd;          /* signalfd */
	int control_fd;   /* -1 when closed */
	int children_fd;  /* /proc/self/task/S/children, for the sweep without the signal scope */
	int signal_scoped;
	int main_exited;
	int main_status;
	int sweeping;
	int kill_now;
	unsigned leftovers;
	int have_listener;
	struct notifier nt;
};

/* Reaps every child that has exited; counts those the sweep killed. 1 while children remain. */
static int reap_all(struct sv *s)
{
	for (;;) {
		int st;
		pid_t p = waitpid(-1, &st, WNOHANG);
		if (p > 0) {
			if (p == s->child) {
				s->main_exited = 1;
				s->main_status = st;
			} else if (s->sweeping && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
				s->leftovers++;
			}
			continue;
		}
		if (p == 0)
			return 1;
		if (errno == EINTR)
			continue;
		return 0; /* ECHILD */
	}
}

static void forward(struct sv *s, int sig, int code)
{
	if (s->main_exited || s->sweeping)
		return;
	/* In the caller's process group, a terminal's INT/QUIT/HUP reached the command already. */
	if (!s->new_pgrp && code == SI_KERNEL && (sig == SIGINT || sig == SIGQUIT || sig == SIGHUP))
		return;
	(void)kill(s->new_pgrp ? -s->child : s->child, sig);
}

static void drain_signals(struct sv *s)
{
	struct signalfd_siginfo si[16];
	for (;;) {
		ssize_t n = read(s->sfd, si, sizeof si);
		if (n <= 0)
			return;
		for (size_t i = 0; i < (size_t)n / sizeof si[0]; i++)
			if (si[i].ssi_signo != SIGCHLD)
				forward(s, (int)si[i].ssi_signo, si[i].ssi_code);
	}
}

/* Waits up to `ms` for a signal (a child's exit); handles it. */
static void wait_event(struct sv *s, int ms)
{
	struct pollfd p = {.fd = s->sfd, .events = POLLIN};
	if (poll(&p, 1, ms) > 0)
		drain_signals(s);
}

static size_t read_children(struct sv *s, pid_t *out, size_t max)
{
	static char buf[MAX_CHILDREN * 8];
	ssize_t n = pread(s->children_fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	size_t k = 0;
	for (char *p = buf; *p && k < max;) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		if (v > 0)
			out[k++] = (pid_t)v;
		p = end;
	}
	return k;
}

/*
 * Kills every process the command left (and the command itself when told to kill now).
 * With the signal scope in S's domain, kill(-1, SIGKILL) reaches exactly the processes of S's
 * domain and the ones nested in it, in one pass over the task list that a forking process cannot
 * outrun (kill(-1) holds the task list lock that fork needs to link a child, and a task with a
 * pending SIGKILL cannot complete a fork). Without it, kill(-1) would reach
 * every process of the user: then S kills its own children (as a subreaper it inherits every
 * orphan) round after round until two rounds find none. Bounded: SWEEP_LIMIT_MS.
 */
static void sweep(struct sv *s)
{
	s->sweeping = 1;
	int64_t deadline = now_ms() + SWEEP_LIMIT_MS;
	if (s->signal_scoped) {
		/* kill(-1) reports success whenever any other process exists (refusals are not
		 * errors): done is when S has no child left, as every process of the command's domain
		 * descends from S. */
		while (now_ms() < deadline) {
			(void)kill(-1, SIGKILL);
			if (!reap_all(s))
				break;
			wait_event(s, 10);
		}
	} else {
		static pid_t pids[MAX_CHILDREN];
		int empty = 0;
		while (now_ms() < deadline) {
			int more = reap_all(s);
			size_t n = read_children(s, pids, MAX_CHILDREN);
			if (n == 0) {
				if (!more || ++empty >= 2)
					break;
				wait_event(s, 1);
				continue;
			}
			empty = 0;
			for (size_t i = 0; i < n; i++)
				(void)kill(pids[i], SIGKILL);
			wait_event(s, 10);
		}
	}
	while (reap_all(s) && now_ms() < deadline)
		wait_event(s, 10);
	if (reap_all(s))
		report_error("sweep: processes of the sandbox were still running %d ms after they were killed", SWEEP_LIMIT_MS);
}

static void control(struct sv *s)
{
	char buf[64];
	ssize_t n = read(s->control_fd, buf, sizeof buf);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		/* End of file: the caller is gone (the runner kills only the Action's own process). */
		(void)close(s->control_fd);
		s->control_fd = -1;
		s->kill_now = 1;
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		/* A signal the caller got, to forward as if S had got it: what is put in front of S
		 * (strace, for denial reports) need not pass signals on (strace -o FILE blocks them). */
		int sig = buf[i] == 'i' ? SIGINT : buf[i] == 't' ? SIGTERM : buf[i] == 'h' ? SIGHUP : buf[i] == 'q' ? SIGQUIT : 0;
		if (buf[i] == 'k')
			s->kill_now = 1;
		else if (sig)
			forward(s, sig, SI_USER);
		else if (buf[i] != '\n')
			report_error("control: unknown byte 0x%02x (expected k, i, t, h or q)", (unsigned char)buf[i]);
	}
}

/* ---- the child: restrict once more, runtime filter, exec ---- */

struct child_ctx {
	const struct plan *pl;
	const char *path;
	char *const *argv;
	char *const *envp;
	int rs_b;
	int sock;          /* handshake with S */
	int out_w[2];      /* pipe write ends for stdout/stderr, or -1 */
	int close_fds[12]; /* S's descriptors, -1 terminated */
	struct runtime_filter_opts rf;
	int want_listener;
	int new_pgrp;
	struct sigaction chld_inherited;
};

/* Tells S why the child gives up, and exits; S reports it. */
static void child_fail(int sock, int status, const char *what)
{
	char msg[512];
	int n = snprintf(msg, sizeof msg, "E%s", what);
	(void)send(sock, msg, n > 0 ? (size_t)n : 1, MSG_NOSIGNAL);
	_exit(status);
}

static void child_main(struct child_ctx *c)
{
	char what[256];
	if (c->new_pgrp && setpgid(0, 0) != 0)
		child_fail(c->sock, EXIT_INTERNAL, "setpgid(0, 0) failed");
	/* setup_failed() prints the details on stderr; S gets the summary. */
	if (restrict_to(c->rs_b, c->pl->restrict_flags) != 0)
		child_fail(c->sock, EXIT_INTERNAL, "the command's ruleset could not be enforced (landlock_restrict_self)");

	struct sock_filter prog[SECCOMP_MAX_INSNS];
	size_t n = build_runtime_filter(&c->rf, prog);
	int listener = -1;
	if (n == 0)
		child_fail(c->sock, EXIT_INTERNAL, "the runtime seccomp program does not assemble");
	if (install_filter(prog, n, c->want_listener ? &listener : NULL) != 0) {
		snprintf(what, sizeof what, "seccomp(SECCOMP_SET_MODE_FILTER%s) for the runtime filter failed: %s",
			 c->want_listener ? ", NEW_LISTENER" : "", errno_name(errno) ? errno_name(errno) : "error");
		child_fail(c->sock, EXIT_INTERNAL, what);
	}
	/* This process becomes the command: dumpable again, as execve would make it anyway (it
	 * inherited S's non-dumpable flag). S reads its memory and takes its descriptors in loopback
	 * mode, and a tracer outside the domain (strace, for denial reports) must read the execve's
	 * arguments. Nothing of the sandbox exists yet that could attach to it, and it holds no secret. */
	(void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);

	char hello[32];
	struct iovec iov = {.iov_base = hello, .iov_len = 0};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	if (listener >= 0) {
		iov.iov_len = (size_t)snprintf(hello, sizeof hello, "L%d", listener);
		memset(&cm, 0, sizeof cm);
		msg.msg_control = cm.buf;
		msg.msg_controllen = sizeof cm.buf;
		struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(h), &listener, sizeof(int));
	} else {
		iov.iov_len = (size_t)snprintf(hello, sizeof hello, "R");
	}
	if (sendmsg(c->sock, &msg, MSG_NOSIGNAL) < 0)
		_exit(EXIT_INTERNAL);
	char go = 0;
	ssize_t r;
	do
		r = read(c->sock, &go, 1);
	while (r < 0 && errno == EINTR);
	if (r != 1 || go != 'g')
		_exit(EXIT_INTERNAL); /* S refused (it says why) or died */
	if (listener >= 0)
		(void)close(listener);
	(void)close(c->sock);
	for (int i = 0; c->close_fds[i] >= 0; i++)
		(void)close(c->close_fds[i]);
	for (int i = 0; i < 2; i++) {
		if (c->out_w[i] < 0)
			continue;
		if (dup2(c->out_w[i], i + 1) < 0)
			_exit(EXIT_INTERNAL);
		(void)close(c->out_w[i]);
	}
	if (sigaction(SIGCHLD, &c->chld_inherited, NULL) != 0)
		_exit(setup_failed("sigaction(SIGCHLD)", errno, NULL));
	int rc = prepare_stdio_and_signals(); /* also unblocks every signal */
	_exit(rc ? rc : exec_command(c->path, c->argv, c->envp));
}

/* ---- S ---- */

/* Waits for the child's hello: the listener (with its number in the child), or why it failed. */
static int handshake(int sock, pid_t child, int *listener, int *child_fd)
{
	struct pollfd p = {.fd = sock, .events = POLLIN};
	int r;
	do
		r = poll(&p, 1, HANDSHAKE_LIMIT_MS);
	while (r < 0 && errno == EINTR);
	if (r == 0) {
		report_error("the command's process %d did not get ready within %d ms", (int)child, HANDSHAKE_LIMIT_MS);
		return -1;
	}
	char buf[512];
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof buf - 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm.buf, .msg_controllen = sizeof cm.buf};
	ssize_t n;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		report_error("the command's process %d exited before it was ready", (int)child);
		return -1;
	}
	buf[n] = '\0';
	if (buf[0] == 'E') {
		report_error("sandbox setup failed in the command's process, nothing was run: %s", buf + 1);
		return -1;
	}
	*listener = -1;
	*child_fd = -1;
	if (buf[0] == 'L') {
		struct cmsghdr *h = CMSG_FIRSTHDR(&msg);
		if (!h || h->cmsg_type != SCM_RIGHTS) {
			report_error("the command's process sent no seccomp listener");
			return -1;
		}
		memcpy(listener, CMSG_DATA(h), sizeof(int));
		*child_fd = atoi(buf + 1);
	}
	return 0;
}

/* Loopback mode reads the command's memory and takes its sockets: prove now that the kernel lets
 * S do it (Yama ptrace_scope 2 or 3 does not), before anything runs. */
static int probe_access(pid_t child, int child_fd)
{
	long pidfd = syscall(SYS_pidfd_open, child, 0);
	if (pidfd < 0) {
		report_error("loopback mode cannot work here: pidfd_open failed: %s", errno_name(errno) ? errno_name(errno) : "error");
		return -1;
	}
	long copy = syscall(SYS_pidfd_getfd, (int)pidfd, child_fd, 0);
	int e = errno;
	(void)close((int)pidfd);
	if (copy < 0) {
		report_error("loopback mode cannot work here: pidfd_getfd of the command's process failed: %s (ptrace "
			     "restricted, e.g. Yama kernel.yama.ptrace_scope >= 2?); nothing was run",
			     errno_name(e) ? errno_name(e) : "error");
		return -1;
	}
	(void)close((int)copy);
	uint64_t word = 0;
	e = notify_read_memory(child, (uint64_t)(uintptr_t)&probe_word, &word, sizeof word);
	if (e || word != probe_word) {
		report_error("loopback mode cannot work here: process_vm_readv of the command's process failed: %s; "
			     "nothing was run",
			     e ? (errno_name(e) ? errno_name(e) : "error") : "wrong data");
		return -1;
	}
	return 0;
}

static void kill_child_and_wait(pid_t child)
{
	(void)kill(child, SIGKILL);
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
}

static int setup_error(const char *what)
{
	error_msg("sandbox setup failed, nothing was run: %s", what);
	struct line l = {.len = 0};
	line_puts(&l, "error sandbox setup failed, nothing was run: ");
	line_puts(&l, what);
	report_flush(&l);
	return EXIT_INTERNAL;
}

int supervise(const struct plan *pl, const char *path, char *const argv[], char *const envp[],
	      const struct supervise_opts *o)
{
	char what[256];
	g_report_fd = o->report_fd;
	/* Our descriptors for the caller's pipes are ours alone: the command must not get them. */
	if (o->report_fd >= 0)
		(void)fcntl(o->report_fd, F_SETFD, FD_CLOEXEC);
	if (o->control_fd >= 0)
		(void)fcntl(o->control_fd, F_SETFD, FD_CLOEXEC);

	int rc = check_kernel_abi(pl);
	if (rc)
		return rc;
	const int signal_scoped = plan_signal_scoped(pl);
	const int want_listener = pl->loopback || !signal_scoped;
	const pid_t self = getpid(), parent = getppid();

	/* Opened before S's domain exists: afterwards the plan may not let S read /proc. */
	int children_fd = -1, parent_task_fd = -1, proc_fd = -1;
	if (!signal_scoped) {
		snprintf(what, sizeof what, "/proc/self/task/%d/children", (int)self);
		children_fd = open(what, O_RDONLY | O_CLOEXEC);
		if (children_fd < 0)
			return setup_failed("open(\"/proc/self/task/PID/children\")", errno,
					    "the sweep without Landlock's signal scope needs it (CONFIG_PROC_CHILDREN)");
		if (parent > 0) {
			snprintf(what, sizeof what, "/proc/%d/task", (int)parent);
			parent_task_fd = open(what, O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (parent_task_fd < 0)
				return setup_failed("open(\"/proc/PPID/task\")", errno, "the parent's threads are protected through it");
		}
	}
	int thread_pidfds = 0;
	if (pl->loopback) {
		long t = syscall(SYS_pidfd_open, self, PIDFD_THREAD_);
		if (t >= 0) {
			thread_pidfds = 1;
			(void)close((int)t);
		} else {
			proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (proc_fd < 0)
				return setup_failed("open(\"/proc\")", errno, "loopback mode maps thread ids to processes through it");
		}
	}

	struct supervisor_rules sup = {.proc_read = proc_fd >= 0, .no_connect = pl->loopback};
	int rs_a = -1, rs_b = -1;
	rc = build_rulesets(pl, &sup, &rs_b, &rs_a);
	if (!rc)
		rc = drop_capabilities(pl);
	if (rc)
		return rc;
	/* S's own sweep is never logged; the plan's subdomain flag would mute the command's domain. */
	uint32_t flags_a = pl->restrict_flags & ~LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF;
	if (pl->abi >= 7)
		flags_a |= LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF;
	rc = restrict_to(rs_a, flags_a);
	if (rc)
		return rc;
	struct sock_filter prog[SECCOMP_MAX_INSNS];
	size_t n = plan_main_filter(pl, prog);
	if (pl->inet != INET_OFF && n == 0)
		return setup_error("the seccomp program does not assemble");
	if (n > 0 && install_filter(prog, n, NULL) != 0)
		return setup_failed("seccomp(SECCOMP_SET_MODE_FILTER)", errno, NULL);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
		return setup_failed("prctl(PR_SET_CHILD_SUBREAPER)", errno, NULL);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return setup_failed("prctl(PR_SET_DUMPABLE, 0)", errno, NULL);

	struct sv s;
	memset(&s, 0, sizeof s);
	s.pl = pl;
	s.new_pgrp = o->new_pgrp;
	s.control_fd = o->control_fd;
	s.children_fd = children_fd;
	s.signal_scoped = signal_scoped;
	s.have_listener = want_listener;
	s.nt.listener = -1;
	if (want_listener && notifier_init(&s.nt, -1) != 0)
		return setup_failed("seccomp(SECCOMP_GET_NOTIF_SIZES)", errno, "the kernel has no seccomp user notification (Linux 5.0)");
	s.nt.pl = pl;
	s.nt.supervisor = self;
	s.nt.parent_task_fd = parent_task_fd;
	s.nt.proc_fd = proc_fd;
	s.nt.thread_pidfds = thread_pidfds;
	s.nt.connect_ruled = plan_connect_ruled(pl);

	/* Signals wait in the signalfd; an inherited SIGCHLD ignore would have the kernel reap the
	 * command before we see its status (the command gets the inherited disposition back). */
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	for (size_t i = 0; i < N_FORWARDED; i++)
		sigaddset(&mask, FORWARDED[i]);
	struct sigaction dfl, chld_inherited;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	if (sigprocmask(SIG_BLOCK, &mask, NULL) != 0 || sigaction(SIGCHLD, &dfl, &chld_inherited) != 0)
		return setup_failed("sigprocmask", errno, NULL);
	(void)signal(SIGPIPE, SIG_IGN); /* a gone reader is an error from write(2), not our death */
	s.sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (s.sfd < 0)
		return setup_failed("signalfd", errno, NULL);

	int pipes[2][2] = {{-1, -1}, {-1, -1}};
	if (o->wc_mode >= 0)
		for (int i = 0; i < 2; i++)
			if (pipe2(pipes[i], O_CLOEXEC) != 0)
				return setup_failed("pipe2", errno, NULL);
	int sp[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) != 0)
		return setup_failed("socketpair", errno, NULL);

	struct child_ctx c = {
		.pl = pl, .path = path, .argv = argv, .envp = envp, .rs_b = rs_b, .sock = sp[1],
		.out_w = {pipes[0][1], pipes[1][1]}, .want_listener = want_listener, .new_pgrp = o->new_pgrp,
		.chld_inherited = chld_inherited,
		.rf = {
			.supervisor = self, .parent = parent, .supervisor_group = getpgid(0),
			.parent_group = parent > 0 ? getpgid(parent) : 0, .shared_group = !o->new_pgrp,
			.signal_scope = signal_scoped, .loopback = pl->loopback, .connect_ruled = plan_connect_ruled(pl),
		},
	};
	int k = 0;
	const int mine[] = {o->report_fd, o->control_fd, s.sfd, sp[0], pipes[0][0], pipes[1][0], children_fd,
			    parent_task_fd, proc_fd};
	for (size_t i = 0; i < sizeof mine / sizeof mine[0]; i++)
		if (mine[i] >= 0)
			c.close_fds[k++] = mine[i];
	c.close_fds[k] = -1;

	pid_t child = fork();
	if (child < 0)
		return setup_failed("fork", errno, NULL);
	if (child == 0)
		child_main(&c); /* never returns */

	s.child = child;
	if (o->new_pgrp)
		(void)setpgid(child, child); /* also here: a signal forwarded at once must find the group */
	if (rs_b >= 0)
		(void)close(rs_b);
	(void)close(sp[1]);
	for (int i = 0; i < 2; i++)
		if (pipes[i][1] >= 0)
			(void)close(pipes[i][1]);
	{
		struct line l = {.len = 0};
		line_printf(&l, "child %d", (int)child);
		report_flush(&l);
	}
	int listener = -1, child_listener = -1;
	if (handshake(sp[0], child, &listener, &child_listener) != 0 ||
	    (pl->loopback && probe_access(child, child_listener) != 0)) {
		kill_child_and_wait(child);
		return EXIT_INTERNAL;
	}
	if (want_listener && listener < 0) {
		report_error("the command's process sent no seccomp listener");
		kill_child_and_wait(child);
		return EXIT_INTERNAL;
	}
	s.nt.listener = listener;
	if (write_all(sp[0], "g", 1) != 0) {
		report_error("cannot start the command's process: %s", errno_name(errno) ? errno_name(errno) : "error");
		kill_child_and_wait(child);
		return EXIT_INTERNAL;
	}
	(void)close(sp[0]);

	for (int i = 0; i < 2; i++) {
		streams[i].name = i == 0 ? "stdout" : "stderr";
		streams[i].in = pipes[i][0];
		streams[i].out = i + 1;
		streams[i].wc = &wc_filters[i];
		streams[i].end_last_line = o->end_last_line;
		if (o->wc_mode >= 0)
			wc_init(&wc_filters[i], (enum wc_mode)o->wc_mode);
	}

	static struct pollfd p[8 + NOTIFY_MAX_PENDING];
	int64_t drain_deadline = -1;
	for (;;) {
		size_t np = 0;
		int i_ctl = -1, i_out[2] = {-1, -1}, i_lis = -1;
		p[np++] = (struct pollfd){.fd = s.sfd, .events = POLLIN};
		if (s.control_fd >= 0 && !s.sweeping) {
			i_ctl = (int)np;
			p[np++] = (struct pollfd){.fd = s.control_fd, .events = POLLIN};
		}
		for (int i = 0; i < 2; i++) {
			if (streams[i].in >= 0) {
				i_out[i] = (int)np;
				p[np++] = (struct pollfd){.fd = streams[i].in, .events = POLLIN};
			}
		}
		if (s.nt.listener >= 0) {
			i_lis = (int)np;
			p[np++] = (struct pollfd){.fd = s.nt.listener, .events = POLLIN};
		}
		size_t i_pend = np;
		if (s.have_listener)
			np += notifier_pollfds(&s.nt, p + np, NOTIFY_MAX_PENDING);

		int64_t now = now_ms();
		int timeout = s.have_listener ? notifier_expire(&s.nt, now) : -1;
		if (drain_deadline >= 0) {
			int d = drain_deadline > now ? (int)(drain_deadline - now) : 0;
			timeout = timeout < 0 || d < timeout ? d : timeout;
		}
		int r = poll(p, np, timeout);
		if (r < 0 && errno != EINTR) {
			report_error("poll failed: %s", errno_name(errno) ? errno_name(errno) : "error");
			s.kill_now = 1;
		}
		if (r > 0) {
			if (p[0].revents)
				drain_signals(&s);
			if (i_ctl >= 0 && p[i_ctl].revents)
				control(&s);
			for (int i = 0; i < 2; i++)
				if (i_out[i] >= 0 && p[i_out[i]].revents && !stream_read(&streams[i]))
					stream_finish(&streams[i]);
			if (i_lis >= 0 && (p[i_lis].revents & POLLIN)) {
				if (notifier_receive(&s.nt) != 0) {
					report_error("seccomp notification failed: %s", errno_name(errno) ? errno_name(errno) : "error");
					s.kill_now = 1;
				}
			} else if (i_lis >= 0 && p[i_lis].revents) {
				/* POLLHUP: no process is left that uses the filter. */
				(void)close(s.nt.listener);
				s.nt.listener = -1;
			}
			/* From the end: answering removes an entry by moving the last one into its place. */
			for (size_t j = np; j > i_pend; j--)
				if (p[j - 1].revents)
					notifier_pending_ready(&s.nt, j - 1 - i_pend, p[j - 1].revents);
		}
		(void)reap_all(&s);
		if ((s.kill_now || s.main_exited) && !s.sweeping) {
			sweep(&s);
			drain_deadline = now_ms() + DRAIN_LIMIT_MS;
		}
		if (s.sweeping) {
			int open_streams = (streams[0].in >= 0) + (streams[1].in >= 0);
			if (open_streams == 0 || now_ms() >= drain_deadline)
				break;
		}
	}

	for (int i = 0; i < 2; i++) {
		if (streams[i].in >= 0) {
			/* Still open: something outside the sandbox holds the pipe. What is there is passed
			 * on without waiting for more (the read end is blocking: poll first). */
			for (;;) {
				struct pollfd q = {.fd = streams[i].in, .events = POLLIN};
				if (poll(&q, 1, 0) <= 0 || !stream_read(&streams[i]))
					break;
			}
			stream_finish(&streams[i]);
		}
	}
	if (s.have_listener)
		notifier_close(&s.nt);
	(void)reap_all(&s);

	struct line l = {.len = 0};
	line_printf(&l, "leftovers %u", s.leftovers);
	report_flush(&l);
	if (!s.main_exited) {
		report_error("the command's process %d did not exit", (int)child);
		return EXIT_INTERNAL;
	}
	int st = s.main_status;
	if (WIFSIGNALED(st)) {
		int sig = WTERMSIG(st);
		line_printf(&l, "exit signal %d", sig);
		report_flush(&l);
		if (g_report_fd >= 0)
			(void)close(g_report_fd);
		/* Die the same way, so that the caller sees the same signal. */
		sigset_t one;
		(void)signal(sig, SIG_DFL);
		sigemptyset(&one);
		sigaddset(&one, sig);
		(void)sigprocmask(SIG_UNBLOCK, &one, NULL);
		(void)kill(getpid(), sig);
		return 128 + sig; /* a signal whose default action does not terminate */
	}
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : EXIT_INTERNAL;
	line_printf(&l, "exit code %d", code);
	report_flush(&l);
	return code;
}
