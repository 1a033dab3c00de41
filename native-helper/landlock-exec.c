/*
 * landlock-exec: enforce an already-compiled landrun plan and exec the command, without Node.
 *
 *   landlock-exec [--supervise] --plan FILE    [--] [command args...]
 *   landlock-exec [--supervise] --plan-fd N    [--] [command args...]
 *   landlock-exec --dump-seccomp tcp|none|any all|socketpair
 *
 * The plan is the wire format written by src/launch/wire.ts (`landrun --save-plan`). This
 * program holds no policy: every decision (which rights, which ABI, which seccomp profile) was
 * taken by the process that compiled the plan. It reproduces, step for step, what the Node
 * launcher does (src/landlock/enforce.ts + src/landlock/syscalls.ts):
 *
 *   probe ABI -> create ruleset -> openat2 O_PATH (no symlinks), fstat, add rules -> drop capabilities
 *   -> no_new_privs -> landlock_restrict_self -> seccomp -> reset signals and stdio -> execve
 *
 * Exit status: the command's own once it runs; 2 for usage errors and invalid plans; 1 when a
 * setup syscall fails (nothing was run); 126 when the command cannot be executed; 127 when it is
 * not found.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/filter.h>

extern char **environ;

/* ---- kernel constants (spelled as in the UAPI headers; defined here so old headers build) ---- */

#if defined(__x86_64__)
#define ARCH_AUDIT 0xc000003eu /* AUDIT_ARCH_X86_64 */
#define ARCH_NR_IOCTL 16
#define ARCH_NR_SOCKET 41
#define ARCH_NR_SOCKETPAIR 53
#define ARCH_NR_SENDTO 44
#define ARCH_NR_SENDMSG 46
#define ARCH_NR_SENDMMSG 307
#define ARCH_HAS_X32 1
#elif defined(__aarch64__)
#define ARCH_AUDIT 0xc00000b7u /* AUDIT_ARCH_AARCH64 */
#define ARCH_NR_IOCTL 29
#define ARCH_NR_SOCKET 198
#define ARCH_NR_SOCKETPAIR 199
#define ARCH_NR_SENDTO 206
#define ARCH_NR_SENDMSG 211
#define ARCH_NR_SENDMMSG 269
#define ARCH_HAS_X32 0
#else
#error "landlock-exec supports x86_64 and aarch64 only (the seccomp filter is per architecture)"
#endif

#if defined(__NR_socket) && defined(__NR_socketpair)
_Static_assert(__NR_socket == ARCH_NR_SOCKET, "socket syscall number");
_Static_assert(__NR_socketpair == ARCH_NR_SOCKETPAIR, "socketpair syscall number");
#endif
#if defined(__NR_ioctl) && defined(__NR_sendto) && defined(__NR_sendmsg) && defined(__NR_sendmmsg)
_Static_assert(__NR_ioctl == ARCH_NR_IOCTL, "ioctl syscall number");
_Static_assert(__NR_sendto == ARCH_NR_SENDTO, "sendto syscall number");
_Static_assert(__NR_sendmsg == ARCH_NR_SENDMSG, "sendmsg syscall number");
_Static_assert(__NR_sendmmsg == ARCH_NR_SENDMMSG, "sendmmsg syscall number");
#endif

/* openat2(2) (Linux 5.6) has one number on x86_64 and aarch64; struct open_how is 24 bytes. */
#define NR_openat2 437
#define RESOLVE_NO_SYMLINKS 0x04u
#if defined(__NR_openat2)
_Static_assert(__NR_openat2 == NR_openat2, "openat2 syscall number");
#endif

struct open_how_ {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};
_Static_assert(sizeof(struct open_how_) == 24, "struct open_how");

/* The Landlock syscalls have one number on every architecture (unified table). */
#define NR_landlock_create_ruleset 444
#define NR_landlock_add_rule 445
#define NR_landlock_restrict_self 446
#define LANDLOCK_CREATE_RULESET_VERSION 1u
#define LANDLOCK_RULE_PATH_BENEATH 1
#define LANDLOCK_RULE_NET_PORT 2
#define LANDLOCK_SCOPE_SIGNAL 2u

/* Rights that may sit on a rule whose target is not a directory (src/landlock/access.ts). */
#define FS_FILE_RIGHTS 0x1c007u

#ifndef SECCOMP_SET_MODE_FILTER
#define SECCOMP_SET_MODE_FILTER 1
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#endif
#ifndef PR_CAP_AMBIENT_CLEAR_ALL
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

#define SECCOMP_RET_KILL_PROCESS 0x80000000u
#define SECCOMP_RET_ERRNO 0x00050000u
#define SECCOMP_RET_ALLOW 0x7fff0000u
#define X32_SYSCALL_BIT 0x40000000u

struct ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

_Static_assert(sizeof(struct ruleset_attr) == 24, "landlock_ruleset_attr");
_Static_assert(sizeof(struct path_beneath_attr) == 12, "landlock_path_beneath_attr is packed");
_Static_assert(sizeof(struct net_port_attr) == 16, "landlock_net_port_attr");

enum {
	EXIT_INTERNAL = 1,
	EXIT_USAGE = 2,
	EXIT_CANNOT_EXECUTE = 126,
	EXIT_NOT_FOUND = 127,
};

/* ---- messages: one write(2) per line, so lines from parallel processes do not interleave ---- */

struct line {
	char buf[4096];
	size_t len;
};

static void line_put(struct line *l, const char *s, size_t n)
{
	size_t room = sizeof l->buf - 1 - l->len; /* keep one byte for the newline */
	if (n > room)
		n = room;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void line_puts(struct line *l, const char *s)
{
	line_put(l, s, strlen(s));
}

static void line_vprintf(struct line *l, const char *fmt, va_list ap)
{
	size_t room = sizeof l->buf - 1 - l->len;
	int n = vsnprintf(l->buf + l->len, room + 1, fmt, ap);
	if (n < 0)
		return;
	l->len += (size_t)n < room ? (size_t)n : room;
}

static void line_printf(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line_printf(struct line *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	line_vprintf(l, fmt, ap);
	va_end(ap);
}

/* A value quoted for a message: printable ASCII as is, the rest escaped, so that a path made of
 * arbitrary bytes cannot forge output on the terminal. */
static void line_quoted(struct line *l, const char *s, char quote)
{
	char q[2] = {quote, 0};
	line_puts(l, q);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == (unsigned char)quote || *p == '\\')
			line_printf(l, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			line_printf(l, "\\x%02x", *p);
		else
			line_put(l, (const char *)p, 1);
	}
	line_puts(l, q);
}

static void line_start(struct line *l)
{
	l->len = 0;
	line_puts(l, "[landrun] error: ");
}

static void line_flush(struct line *l, int fd)
{
	l->buf[l->len++] = '\n';
	const char *p = l->buf;
	size_t left = l->len;
	while (left > 0) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* nowhere left to report to */
		p += n;
		left -= (size_t)n;
	}
	l->len = 0;
}

static void error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void error_msg(const char *fmt, ...)
{
	struct line l;
	va_list ap;
	line_start(&l);
	va_start(ap, fmt);
	line_vprintf(&l, fmt, ap);
	va_end(ap);
	line_flush(&l, 2);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	struct line l;
	va_list ap;
	line_start(&l);
	line_puts(&l, "landlock-exec: ");
	va_start(ap, fmt);
	line_vprintf(&l, fmt, ap);
	va_end(ap);
	line_flush(&l, 2);
	return EXIT_USAGE;
}

static const char *errno_name(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case ENXIO: return "ENXIO";
	case E2BIG: return "E2BIG";
	case ENOEXEC: return "ENOEXEC";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EXDEV: return "EXDEV";
	case ENODEV: return "ENODEV";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case EINVAL: return "EINVAL";
	case ENFILE: return "ENFILE";
	case EMFILE: return "EMFILE";
	case ETXTBSY: return "ETXTBSY";
	case ENOSPC: return "ENOSPC";
	case EROFS: return "EROFS";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ENOSYS: return "ENOSYS";
	case ELOOP: return "ELOOP";
	case ENOMSG: return "ENOMSG";
	case EBADFD: return "EBADFD";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case ELIBBAD: return "ELIBBAD";
	default: return NULL;
	}
}

static void line_errno(struct line *l, int e)
{
	const char *name = errno_name(e);
	if (name)
		line_puts(l, name);
	else
		line_printf(l, "errno %d", e);
}

/* A setup syscall failed: nothing was run. `what` may contain a quoted path (already formatted). */
static int setup_failed(const char *what, int e, const char *hint)
{
	struct line l;
	line_start(&l);
	line_puts(&l, "sandbox setup failed, nothing was run: ");
	line_puts(&l, what);
	line_puts(&l, " failed: ");
	line_errno(&l, e);
	if (hint)
		line_printf(&l, " (%s)", hint);
	line_flush(&l, 2);
	return EXIT_INTERNAL;
}

static const char *landlock_hint(int e)
{
	if (e == ENOSYS)
		return "kernel without Landlock: it needs Linux 5.13 or later built with CONFIG_SECURITY_LANDLOCK=y";
	if (e == EOPNOTSUPP)
		return "Landlock not enabled in the lsm= boot list: add \"landlock\" to the lsm= kernel parameter (or CONFIG_LSM)";
	return NULL;
}

/* ---- the plan ---- */

enum inet_profile { INET_OFF, INET_TCP, INET_NONE, INET_ANY };
enum unix_profile { UNIX_ALL, UNIX_SOCKETPAIR };

struct path_rule {
	uint32_t access;
	const char *path;
};

struct port_rule {
	uint32_t access;
	uint32_t port;
};

struct plan {
	uint32_t abi;
	uint32_t fs, net, scoped, restrict_flags;
	enum inet_profile inet;
	enum unix_profile unix_mode;
	int drop_caps;
	size_t n_paths, n_ports, n_args, n_env;
	struct path_rule *paths;
	struct port_rule *ports;
	const char *exec_path; /* NULL: the command comes from argv */
	const char **argv;     /* n_args entries + NULL */
	const char **envp;     /* n_env entries + NULL */
};

#define PLAN_MAX_BYTES (64u << 20)

/* Reads a whole file descriptor into a malloc'd buffer. Returns 0 or an errno value. */
static int read_all(int fd, char **out, size_t *out_len)
{
	struct stat st;
	size_t cap = 4096, len = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size < PLAN_MAX_BYTES)
		cap = (size_t)st.st_size + 1; /* +1: a read returning 0 then ends the loop without growing */
	char *buf = malloc(cap);
	if (!buf)
		return ENOMEM;
	for (;;) {
		if (len == cap) {
			if (cap >= PLAN_MAX_BYTES) {
				free(buf);
				return EFBIG;
			}
			size_t ncap = cap * 2 > PLAN_MAX_BYTES ? PLAN_MAX_BYTES : cap * 2;
			char *nbuf = realloc(buf, ncap);
			if (!nbuf) {
				free(buf);
				return ENOMEM;
			}
			buf = nbuf;
			cap = ncap;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			return e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*out = buf;
	*out_len = len;
	return 0;
}

/* A decimal number as decodePlan reads it: /^\d+$/ (leading zeros allowed) and at most `max`. */
static int parse_number(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	if (*s == '\0')
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > max)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

struct reader {
	const char *p;   /* next field */
	const char *end; /* one past the last NUL of the last field */
};

/* The next NUL-terminated field, or NULL when the fields are exhausted. */
static const char *next_field(struct reader *r)
{
	if (r->p >= r->end)
		return NULL;
	const char *f = r->p;
	r->p += strlen(f) + 1; /* the buffer ends with a NUL, so strlen stays inside it */
	return f;
}

static int plan_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int plan_error(const char *fmt, ...)
{
	struct line l;
	va_list ap;
	line_start(&l);
	line_puts(&l, "landlock-exec: invalid plan: ");
	va_start(ap, fmt);
	line_vprintf(&l, fmt, ap);
	va_end(ap);
	line_flush(&l, 2);
	return EXIT_USAGE;
}

static int plan_error_value(const char *what, const char *value)
{
	struct line l;
	line_start(&l);
	line_printf(&l, "landlock-exec: invalid plan: %s ", what);
	line_quoted(&l, value, '\'');
	line_flush(&l, 2);
	return EXIT_USAGE;
}

#define NEXT(var, what)                                                                    \
	do {                                                                               \
		(var) = next_field(&r);                                                    \
		if (!(var))                                                                \
			return plan_error("truncated plan: expected %s", (what));           \
	} while (0)

#define NUMBER(dst, what, max)                                                             \
	do {                                                                               \
		const char *num_;                                                          \
		NEXT(num_, (what));                                                        \
		if (parse_number(num_, (max), &(dst)) != 0)                                \
			return plan_error_value("bad " what, num_);                         \
	} while (0)

/*
 * Parses the wire format in place (fields point into buf). Accepts exactly what decodePlan in
 * src/launch/wire.ts accepts: later scalar records override earlier ones, arg/env accumulate.
 * Returns 0, or EXIT_USAGE after printing why.
 */
static int parse_plan(char *buf, size_t len, struct plan *pl)
{
	const uint32_t MASK = UINT32_MAX;
	if (len == 0 || buf[len - 1] != '\0')
		return plan_error("truncated plan: it does not end with a NUL");

	/* Every record takes at least two fields but `end`: the field count bounds every list. */
	size_t n_fields = 0;
	for (size_t i = 0; i < len; i++)
		n_fields += buf[i] == '\0';

	memset(pl, 0, sizeof *pl);
	pl->inet = INET_OFF;
	pl->unix_mode = UNIX_ALL;
	pl->drop_caps = 1;
	pl->paths = calloc(n_fields / 4 + 1, sizeof *pl->paths);
	pl->ports = calloc(n_fields / 3 + 1, sizeof *pl->ports);
	pl->argv = calloc(n_fields / 2 + 1, sizeof *pl->argv);
	pl->envp = calloc(n_fields / 2 + 1, sizeof *pl->envp);
	if (!pl->paths || !pl->ports || !pl->argv || !pl->envp) {
		error_msg("landlock-exec: out of memory reading the plan");
		return EXIT_INTERNAL;
	}

	struct reader r = {buf, buf + len};
	const char *f;
	uint32_t version;
	int have_abi = 0;

	NEXT(f, "magic");
	if (strcmp(f, "landrun-plan") != 0)
		return plan_error("not a landrun plan");
	NUMBER(version, "version", 1000);
	if (version != 1)
		return plan_error("unsupported plan version %u (this launcher reads 1)", version);

	for (;;) {
		const char *key;
		NEXT(key, "a record");
		if (strcmp(key, "end") == 0)
			break;
		if (strcmp(key, "abi") == 0) {
			NUMBER(pl->abi, "abi", 1000);
			have_abi = 1;
		} else if (strcmp(key, "fs") == 0) {
			NUMBER(pl->fs, "fs mask", MASK);
		} else if (strcmp(key, "net") == 0) {
			NUMBER(pl->net, "net mask", MASK);
		} else if (strcmp(key, "scoped") == 0) {
			NUMBER(pl->scoped, "scoped mask", MASK);
		} else if (strcmp(key, "restrict") == 0) {
			NUMBER(pl->restrict_flags, "restrict flags", MASK);
		} else if (strcmp(key, "seccomp") == 0) {
			NEXT(f, "seccomp profile");
			if (strcmp(f, "off") == 0)
				pl->inet = INET_OFF;
			else if (strcmp(f, "tcp") == 0)
				pl->inet = INET_TCP;
			else if (strcmp(f, "none") == 0)
				pl->inet = INET_NONE;
			else if (strcmp(f, "any") == 0)
				pl->inet = INET_ANY;
			else
				return plan_error_value("bad seccomp profile", f);
		} else if (strcmp(key, "unix") == 0) {
			NEXT(f, "unix profile");
			if (strcmp(f, "all") == 0)
				pl->unix_mode = UNIX_ALL;
			else if (strcmp(f, "socketpair") == 0)
				pl->unix_mode = UNIX_SOCKETPAIR;
			else
				return plan_error_value("bad unix profile", f);
		} else if (strcmp(key, "caps") == 0) {
			NEXT(f, "caps");
			if (strcmp(f, "drop") == 0)
				pl->drop_caps = 1;
			else if (strcmp(f, "keep") == 0)
				pl->drop_caps = 0;
			else
				return plan_error_value("bad caps", f);
		} else if (strcmp(key, "path") == 0) {
			struct path_rule *rule = &pl->paths[pl->n_paths];
			const char *kind;
			NUMBER(rule->access, "path access", MASK);
			NEXT(kind, "path kind");
			/* The kind is only checked: the fd we hold is what decides (see add_path_rules). */
			if (strcmp(kind, "d") != 0 && strcmp(kind, "f") != 0)
				return plan_error_value("bad path kind", kind);
			NEXT(rule->path, "path");
			if (rule->path[0] != '/') {
				struct line l;
				line_start(&l);
				line_puts(&l, "landlock-exec: invalid plan: rule path ");
				line_quoted(&l, rule->path, '\'');
				line_puts(&l, " is not absolute");
				line_flush(&l, 2);
				return EXIT_USAGE;
			}
			pl->n_paths++;
		} else if (strcmp(key, "port") == 0) {
			struct port_rule *rule = &pl->ports[pl->n_ports];
			NUMBER(rule->access, "port access", MASK);
			NUMBER(rule->port, "port", 65535);
			pl->n_ports++;
		} else if (strcmp(key, "exec") == 0) {
			NEXT(pl->exec_path, "exec path");
		} else if (strcmp(key, "arg") == 0) {
			NEXT(pl->argv[pl->n_args], "arg");
			pl->n_args++;
		} else if (strcmp(key, "env") == 0) {
			NEXT(pl->envp[pl->n_env], "env");
			pl->n_env++;
		} else {
			return plan_error_value("unknown plan record", key);
		}
	}
	if (r.p != r.end)
		return plan_error("trailing data after end");
	if (!have_abi)
		return plan_error("plan has no abi record");
	pl->argv[pl->n_args] = NULL;
	pl->envp[pl->n_env] = NULL;
	return 0;
}

#undef NEXT
#undef NUMBER

/* ---- the seccomp filter: the same instructions as buildSeccompFilter in src/landlock/seccomp.ts ---- */

#define AF_UNIX_ 1
#define AF_INET_ 2
#define AF_INET6_ 10
#define SOCK_STREAM_ 1
#define SOCK_SEQPACKET_ 5
#define SOCK_TYPE_MASK_ 0xf
#define MSG_FASTOPEN_ 0x20000000u
#define TIOCSTI_ 0x5412u
#define TIOCLINUX_ 0x541cu
#define IPPROTO_TCP_ 6
#define EACCES_ 13
#define EAFNOSUPPORT_ 97
#define NR_io_uring_setup 425 /* unified table: the same number on x86_64 and aarch64 */
#define NR_io_uring_enter 426
#define NR_io_uring_register 427

#define OFF_NR 0
#define OFF_ARCH 4
#define ARG_LOW(i) (16 + 8 * (i))

/* Labels, so that no jump offset is counted by hand. A jump target is either a literal offset
 * (>= 0) or a label, encoded as -1 - label. */
enum { L_IOCTL, L_SOCKETPAIR, L_PAIRTYPE, L_SOCKET, L_INET, L_FLAGS3, L_FLAGS2, L_ALLOW, L_DENY, L_COUNT };
#define TO(label) (-1 - (label))

#define MAX_INSNS 64

struct assembler {
	struct {
		uint16_t code;
		uint32_t k;
		int jt, jf;
	} insn[MAX_INSNS];
	size_t n;
	int label_at[L_COUNT];
	int overflow;
};

static void emit(struct assembler *a, uint16_t code, uint32_t k, int jt, int jf)
{
	if (a->n == MAX_INSNS) {
		a->overflow = 1;
		return;
	}
	a->insn[a->n].code = code;
	a->insn[a->n].k = k;
	a->insn[a->n].jt = jt;
	a->insn[a->n].jf = jf;
	a->n++;
}

static void label(struct assembler *a, int l)
{
	a->label_at[l] = (int)a->n;
}

/* Resolves labels into forward offsets. Returns the instruction count, or 0 on a bad program. */
static size_t assemble(struct assembler *a, struct sock_filter *out)
{
	if (a->overflow)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		int t[2] = {a->insn[i].jt, a->insn[i].jf};
		for (int j = 0; j < 2; j++) {
			if (t[j] < 0) {
				int at = a->label_at[-1 - t[j]];
				int off = at - (int)i - 1;
				if (at < 0 || off < 0 || off > 255)
					return 0;
				t[j] = off;
			}
		}
		out[i].code = a->insn[i].code;
		out[i].jt = (uint8_t)t[0];
		out[i].jf = (uint8_t)t[1];
		out[i].k = a->insn[i].k;
	}
	return a->n;
}

/*
 * The program, instruction for instruction and label for label as buildSeccompFilter: the test
 * compares the bytes for every profile. inet INET_ANY leaves the network alone (the unix mode
 * then changes nothing) and keeps only the terminal-injection ioctl rule.
 */
static size_t build_seccomp_filter(enum inet_profile inet, enum unix_profile unix_mode, struct sock_filter *out)
{
	const uint16_t LD = BPF_LD | BPF_W | BPF_ABS, JEQ = BPF_JMP | BPF_JEQ | BPF_K;
	const uint16_t JGE = BPF_JMP | BPF_JGE | BPF_K, AND = BPF_ALU | BPF_AND | BPF_K, RET = BPF_RET | BPF_K;
	const uint32_t deny = SECCOMP_RET_ERRNO | EACCES_, no_family = SECCOMP_RET_ERRNO | EAFNOSUPPORT_;
	const int network = inet != INET_ANY;
	const int all_unix = unix_mode == UNIX_ALL;
	struct assembler a;
	memset(&a, 0, sizeof a);
	for (int i = 0; i < L_COUNT; i++)
		a.label_at[i] = -1;

	/* Foreign architectures (i386 int 0x80, AArch32) would bypass every check below: kill them. */
	emit(&a, LD, OFF_ARCH, 0, 0);
	emit(&a, JEQ, ARCH_AUDIT, 1, 0);
	emit(&a, RET, SECCOMP_RET_KILL_PROCESS, 0, 0);
	emit(&a, LD, OFF_NR, 0, 0);
#if ARCH_HAS_X32
	/* x32 syscalls carry the native arch with bit 30 set in nr. */
	emit(&a, JGE, X32_SYSCALL_BIT, TO(L_DENY), 0);
#else
	(void)JGE;
#endif
	emit(&a, JEQ, ARCH_NR_IOCTL, TO(L_IOCTL), 0);
	if (network) {
		emit(&a, JEQ, NR_io_uring_setup, TO(L_DENY), 0);
		emit(&a, JEQ, NR_io_uring_enter, TO(L_DENY), 0);
		emit(&a, JEQ, NR_io_uring_register, TO(L_DENY), 0);
		emit(&a, JEQ, ARCH_NR_SOCKET, TO(L_SOCKET), 0);
		emit(&a, JEQ, ARCH_NR_SOCKETPAIR, TO(L_SOCKETPAIR), 0);
		if (inet == INET_TCP) {
			emit(&a, JEQ, ARCH_NR_SENDTO, TO(L_FLAGS3), 0);
			emit(&a, JEQ, ARCH_NR_SENDMMSG, TO(L_FLAGS3), 0);
			emit(&a, JEQ, ARCH_NR_SENDMSG, TO(L_FLAGS2), 0);
		}
	}
	emit(&a, RET, SECCOMP_RET_ALLOW, 0, 0);

	/* A sandboxed program must not type commands into the terminal of the shell that started it. */
	label(&a, L_IOCTL);
	emit(&a, LD, ARG_LOW(1), 0, 0);
	emit(&a, JEQ, TIOCSTI_, TO(L_DENY), 0);
	emit(&a, JEQ, TIOCLINUX_, TO(L_DENY), TO(L_ALLOW));

	if (network) {
		/* socketpair(2) only ever makes connected AF_UNIX pairs; other families are refused as
		 * for socket(). Without unix sockets, only stream and seqpacket pairs: a datagram pair's
		 * sendto(2) could reach a socket outside. */
		label(&a, L_SOCKETPAIR);
		emit(&a, LD, ARG_LOW(0), 0, 0);
		emit(&a, JEQ, AF_UNIX_, all_unix ? TO(L_ALLOW) : TO(L_PAIRTYPE), 0);
		emit(&a, RET, no_family, 0, 0);
		if (!all_unix) {
			label(&a, L_PAIRTYPE);
			emit(&a, LD, ARG_LOW(1), 0, 0);
			emit(&a, AND, SOCK_TYPE_MASK_, 0, 0);
			emit(&a, JEQ, SOCK_STREAM_, TO(L_ALLOW), 0);
			emit(&a, JEQ, SOCK_SEQPACKET_, TO(L_ALLOW), TO(L_DENY));
		}

		label(&a, L_SOCKET);
		emit(&a, LD, ARG_LOW(0), 0, 0);
		emit(&a, JEQ, AF_UNIX_, all_unix ? TO(L_ALLOW) : TO(L_DENY), 0);
		emit(&a, JEQ, AF_INET_, TO(L_INET), 0);
		emit(&a, JEQ, AF_INET6_, TO(L_INET), 0);
		emit(&a, RET, no_family, 0, 0);

		label(&a, L_INET);
		if (inet == INET_NONE) {
			emit(&a, RET, deny, 0, 0);
		} else {
			emit(&a, LD, ARG_LOW(1), 0, 0);
			emit(&a, AND, SOCK_TYPE_MASK_, 0, 0); /* drop SOCK_NONBLOCK / SOCK_CLOEXEC */
			emit(&a, JEQ, SOCK_STREAM_, 0, TO(L_DENY));
			emit(&a, LD, ARG_LOW(2), 0, 0);
			emit(&a, JEQ, 0, TO(L_ALLOW), 0);
			emit(&a, JEQ, IPPROTO_TCP_, TO(L_ALLOW), TO(L_DENY)); /* not MPTCP (262) or SCTP */
		}
		if (inet == INET_TCP) {
			/* TCP Fast Open connects without connect(2), which is all Landlock checks:
			 * sendto/sendmmsg flags are argument 3, sendmsg's argument 2. */
			label(&a, L_FLAGS3);
			emit(&a, LD, ARG_LOW(3), 0, 0);
			emit(&a, AND, MSG_FASTOPEN_, 0, 0);
			emit(&a, JEQ, 0, TO(L_ALLOW), TO(L_DENY));
			label(&a, L_FLAGS2);
			emit(&a, LD, ARG_LOW(2), 0, 0);
			emit(&a, AND, MSG_FASTOPEN_, 0, 0);
			emit(&a, JEQ, 0, TO(L_ALLOW), TO(L_DENY));
		}
	}

	label(&a, L_ALLOW);
	emit(&a, RET, SECCOMP_RET_ALLOW, 0, 0);
	label(&a, L_DENY);
	emit(&a, RET, deny, 0, 0);
	return assemble(&a, out);
}

/* struct sock_filter as raw little-endian bytes, in lowercase hex: u16 code, u8 jt, u8 jf, u32 k. */
static int dump_seccomp(const char *profile, const char *unix_name)
{
	enum inet_profile inet;
	enum unix_profile unix_mode;
	if (strcmp(profile, "tcp") == 0)
		inet = INET_TCP;
	else if (strcmp(profile, "none") == 0)
		inet = INET_NONE;
	else if (strcmp(profile, "any") == 0)
		inet = INET_ANY;
	else
		return usage_error("--dump-seccomp: bad profile '%s': expected tcp, none or any", profile);
	if (strcmp(unix_name, "all") == 0)
		unix_mode = UNIX_ALL;
	else if (strcmp(unix_name, "socketpair") == 0)
		unix_mode = UNIX_SOCKETPAIR;
	else
		return usage_error("--dump-seccomp: bad unix mode '%s': expected all or socketpair", unix_name);

	struct sock_filter prog[MAX_INSNS];
	size_t n = build_seccomp_filter(inet, unix_mode, prog);
	if (n == 0) {
		error_msg("landlock-exec: internal error: the seccomp program does not assemble");
		return EXIT_INTERNAL;
	}
	char hex[MAX_INSNS * 16 + 2];
	size_t h = 0;
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		const uint8_t bytes[8] = {
			(uint8_t)(prog[i].code & 0xff), (uint8_t)(prog[i].code >> 8), prog[i].jt, prog[i].jf,
			(uint8_t)(prog[i].k & 0xff), (uint8_t)((prog[i].k >> 8) & 0xff),
			(uint8_t)((prog[i].k >> 16) & 0xff), (uint8_t)(prog[i].k >> 24),
		};
		for (int b = 0; b < 8; b++) {
			hex[h++] = digits[bytes[b] >> 4];
			hex[h++] = digits[bytes[b] & 0xf];
		}
	}
	hex[h++] = '\n';
	const char *p = hex;
	while (h > 0) {
		ssize_t w = write(1, p, h);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			error_msg("landlock-exec: cannot write the filter to stdout: %s", strerror(errno));
			return EXIT_INTERNAL;
		}
		p += w;
		h -= (size_t)w;
	}
	return 0;
}

/* ---- the command: resolved before the sandbox exists (the lookup itself may be denied after) ---- */

#define DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"

enum lookup { FOUND, NOT_EXECUTABLE, NOT_FOUND };

static enum lookup check_candidate(const char *c)
{
	struct stat st;
	if (stat(c, &st) != 0)
		return NOT_FOUND;
	if (!S_ISREG(st.st_mode) || access(c, X_OK) != 0)
		return NOT_EXECUTABLE;
	return FOUND;
}

static int cannot_execute(const char *name, const char *path)
{
	struct line l;
	line_start(&l);
	line_puts(&l, "cannot execute ");
	line_quoted(&l, name, '\'');
	line_puts(&l, ": ");
	line_quoted(&l, path, '\'');
	line_puts(&l, " is not an executable file");
	line_flush(&l, 2);
	return EXIT_CANNOT_EXECUTE;
}

/*
 * execvp-like lookup, as resolveCommand in src/exec/command.ts: a name with a slash is used as
 * is; otherwise each PATH entry (empty = current directory) is tried in order, and the first
 * regular executable file wins. Returns 0 with the path in *out (the name itself, or a static
 * buffer), or an exit code after printing why.
 */
static int resolve_command(const char *name, const char **out)
{
	static char found[PATH_MAX];
	const char *path_env = getenv("PATH");
	struct line l;
	if (strchr(name, '/')) {
		enum lookup v = check_candidate(name);
		if (v == FOUND) {
			*out = name;
			return 0;
		}
		if (v == NOT_EXECUTABLE)
			return cannot_execute(name, name);
	} else {
		char first_bad[PATH_MAX];
		first_bad[0] = '\0';
		for (const char *seg = path_env ? path_env : DEFAULT_PATH;;) {
			const char *colon = strchr(seg, ':');
			int dlen = (int)(colon ? (size_t)(colon - seg) : strlen(seg));
			char cand[PATH_MAX];
			int n = dlen ? snprintf(cand, sizeof cand, "%.*s/%s", dlen, seg, name)
				     : snprintf(cand, sizeof cand, "./%s", name);
			/* A candidate longer than PATH_MAX could not be executed anyway: skip it, as execvp. */
			if (n > 0 && (size_t)n < sizeof cand) {
				enum lookup v = check_candidate(cand);
				if (v == FOUND) {
					memcpy(found, cand, (size_t)n + 1);
					*out = found;
					return 0;
				}
				if (v == NOT_EXECUTABLE && !first_bad[0])
					memcpy(first_bad, cand, (size_t)n + 1);
			}
			if (!colon)
				break;
			seg = colon + 1;
		}
		if (first_bad[0])
			return cannot_execute(name, first_bad);
	}
	line_start(&l);
	line_puts(&l, "command not found: ");
	line_quoted(&l, name, '\'');
	if (strchr(name, '/'))
		line_puts(&l, " does not exist");
	else if (path_env)
		line_printf(&l, " is not in PATH (%s)", path_env);
	else
		line_puts(&l, " is not in PATH (unset, searched " DEFAULT_PATH ")");
	line_flush(&l, 2);
	return EXIT_NOT_FOUND;
}

/* ---- enforcement: the sequence of applySandbox in src/landlock/enforce.ts ---- */

static size_t attr_size(uint32_t abi)
{
	if (abi == 0)
		return 0;
	if (abi <= 3)
		return 8;
	if (abi <= 5)
		return 16;
	return 24;
}

static int close_checked(int fd, const char *what)
{
	if (close(fd) != 0 && errno != EINTR)
		return setup_failed(what, errno, NULL);
	return 0;
}

/*
 * Opens a rule path as openPath in src/landlock/syscalls.ts: O_PATH, and no symlink anywhere on
 * the way. The plan holds resolved paths, so a symlink in one now means something was swapped
 * after the plan was made (a grant redirected elsewhere): refuse (ELOOP) instead of following it.
 * Kernels before 5.6 have no openat2 (ENOSYS): a plain open(O_PATH | O_CLOEXEC) then.
 * Returns the fd, or -1 with errno set.
 */
static int open_rule_path(const char *path)
{
	struct open_how_ how = {.flags = O_PATH | O_CLOEXEC, .mode = 0, .resolve = RESOLVE_NO_SYMLINKS};
	long fd = syscall(NR_openat2, AT_FDCWD, path, &how, sizeof how);
	if (fd < 0 && errno == ENOSYS)
		fd = open(path, O_PATH | O_CLOEXEC); /* Linux < 5.6 */
	return (int)fd;
}

static int add_path_rules(int ruleset_fd, const struct plan *pl)
{
	for (size_t i = 0; i < pl->n_paths; i++) {
		const struct path_rule *rule = &pl->paths[i];
		int fd = open_rule_path(rule->path);
		if (fd < 0) {
			int e = errno;
			struct line l;
			l.len = 0;
			line_puts(&l, "open(");
			line_quoted(&l, rule->path, '"');
			line_puts(&l, ") with RESOLVE_NO_SYMLINKS");
			l.buf[l.len] = '\0';
			return setup_failed(l.buf, e, e == ELOOP ? "a path in the plan became a symlink after the plan was made" : NULL);
		}
		/* The plan decided file vs directory by stat; re-check on the fd we actually hold. */
		struct stat st;
		if (fstat(fd, &st) != 0) {
			int e = errno;
			(void)close(fd);
			return setup_failed("fstat", e, NULL);
		}
		uint64_t access = S_ISDIR(st.st_mode) ? rule->access : (rule->access & FS_FILE_RIGHTS);
		if (access != 0) {
			struct path_beneath_attr attr = {.allowed_access = access, .parent_fd = fd};
			if (syscall(NR_landlock_add_rule, ruleset_fd, LANDLOCK_RULE_PATH_BENEATH, &attr, 0) != 0) {
				int e = errno;
				(void)close(fd);
				return setup_failed("landlock_add_rule(PATH_BENEATH)", e, NULL);
			}
		}
		int rc = close_checked(fd, "close");
		if (rc)
			return rc;
	}
	return 0;
}

static int add_port_rules(int ruleset_fd, const struct plan *pl)
{
	for (size_t i = 0; i < pl->n_ports; i++) {
		struct net_port_attr attr = {.allowed_access = pl->ports[i].access, .port = pl->ports[i].port};
		if (syscall(NR_landlock_add_rule, ruleset_fd, LANDLOCK_RULE_NET_PORT, &attr, 0) != 0)
			return setup_failed("landlock_add_rule(NET_PORT)", errno, NULL);
	}
	return 0;
}

/* Read while /proc is still reachable: after restrict_self it may not be. */
static int read_cap_last_cap(unsigned *out)
{
	const char *file = "/proc/sys/kernel/cap_last_cap";
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return setup_failed("open(\"/proc/sys/kernel/cap_last_cap\")", errno, NULL);
	char buf[32];
	ssize_t n;
	do
		n = read(fd, buf, sizeof buf - 1);
	while (n < 0 && errno == EINTR);
	int e = errno;
	if (close(fd) != 0 && errno != EINTR)
		return setup_failed("close", errno, NULL);
	if (n < 0)
		return setup_failed("read(\"/proc/sys/kernel/cap_last_cap\")", e, NULL);
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	uint32_t v;
	if (parse_number(buf, 255, &v) != 0) {
		error_msg("sandbox setup failed, nothing was run: unexpected content in %s: '%s'", file, buf);
		return EXIT_INTERNAL;
	}
	*out = v;
	return 0;
}

static int permitted_capabilities(int *any)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof data);
	if (syscall(SYS_capget, &hdr, data) != 0)
		return setup_failed("capget", errno, NULL);
	*any = (data[0].permitted | data[1].permitted) != 0;
	return 0;
}

static int drop_all_capabilities(void)
{
	unsigned last = 0;
	int rc = read_cap_last_cap(&last);
	if (rc)
		return rc;
	/* Shrinking the bounding set needs CAP_SETPCAP; without it, no_new_privs already keeps
	 * execve from granting anything beyond the permitted set emptied below. */
	struct __user_cap_header_struct cur_hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct cur[2];
	memset(cur, 0, sizeof cur);
	if (syscall(SYS_capget, &cur_hdr, cur) != 0)
		return setup_failed("capget", errno, NULL);
	int can_setpcap = (cur[0].effective & (1u << CAP_SETPCAP)) != 0;
	for (unsigned cap = 0; can_setpcap && cap <= last; cap++) {
		if (prctl(PR_CAPBSET_DROP, (unsigned long)cap, 0UL, 0UL, 0UL) != 0) {
			char what[64];
			snprintf(what, sizeof what, "prctl(PR_CAPBSET_DROP, %u)", cap);
			return setup_failed(what, errno, NULL);
		}
	}
	if (prctl(PR_CAP_AMBIENT, (unsigned long)PR_CAP_AMBIENT_CLEAR_ALL, 0UL, 0UL, 0UL) != 0)
		return setup_failed("prctl(PR_CAP_AMBIENT_CLEAR_ALL)", errno, NULL);
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof data);
	if (syscall(SYS_capset, &hdr, data) != 0)
		return setup_failed("capset", errno, NULL);
	return 0;
}

/* *signal_scoped: whether the domain now in force holds LANDLOCK_SCOPE_SIGNAL (see supervise). */
static int apply_sandbox(const struct plan *pl, int *signal_scoped)
{
	*signal_scoped = 0;
	long kernel_abi = syscall(NR_landlock_create_ruleset, NULL, (size_t)0, LANDLOCK_CREATE_RULESET_VERSION);
	if (kernel_abi < 0) {
		int e = errno;
		/* No Landlock at all: only a plan written for "no Landlock" (abi 0) can still run. */
		if ((e != ENOSYS && e != EOPNOTSUPP) || pl->abi > 0)
			return setup_failed("landlock_create_ruleset(VERSION)", e, landlock_hint(e));
		kernel_abi = 0;
	}
	if ((long)pl->abi > kernel_abi) {
		char hint[128];
		snprintf(hint, sizeof hint, "the plan was compiled for Landlock ABI %u but this kernel offers %ld", pl->abi,
			 kernel_abi);
		return setup_failed("landlock_create_ruleset", EINVAL, hint);
	}

	int ruleset_fd = -1;
	if (pl->fs != 0 || pl->net != 0 || pl->scoped != 0) {
		struct ruleset_attr attr = {.handled_access_fs = pl->fs, .handled_access_net = pl->net, .scoped = pl->scoped};
		ruleset_fd = (int)syscall(NR_landlock_create_ruleset, &attr, attr_size(pl->abi), 0u);
		if (ruleset_fd < 0)
			return setup_failed("landlock_create_ruleset", errno, landlock_hint(errno));
		int rc = add_path_rules(ruleset_fd, pl);
		if (!rc)
			rc = add_port_rules(ruleset_fd, pl);
		if (rc) {
			(void)close(ruleset_fd);
			return rc;
		}
	}

	/* Capabilities go before the domain exists, while /proc is still readable. */
	if (pl->drop_caps) {
		int any = 0;
		int rc = permitted_capabilities(&any);
		if (!rc && any)
			rc = drop_all_capabilities();
		if (rc) {
			if (ruleset_fd >= 0)
				(void)close(ruleset_fd);
			return rc;
		}
	}

	if (prctl(PR_SET_NO_NEW_PRIVS, 1UL, 0UL, 0UL, 0UL) != 0) {
		int e = errno;
		if (ruleset_fd >= 0)
			(void)close(ruleset_fd);
		return setup_failed("prctl(PR_SET_NO_NEW_PRIVS)", e, NULL);
	}
	if (ruleset_fd >= 0) {
		if (syscall(NR_landlock_restrict_self, ruleset_fd, pl->restrict_flags) != 0) {
			int e = errno;
			(void)close(ruleset_fd);
			return setup_failed("landlock_restrict_self", e, e == E2BIG ? "more than 16 nested Landlock domains" : NULL);
		}
		/* The scope is in force only if the kernel was handed the scoped field (ABI 6+). */
		*signal_scoped = (pl->scoped & LANDLOCK_SCOPE_SIGNAL) != 0 && attr_size(pl->abi) >= 24;
		int rc = close_checked(ruleset_fd, "close");
		if (rc)
			return rc;
	}

	if (pl->inet != INET_OFF) {
		struct sock_filter insns[MAX_INSNS];
		size_t n = build_seccomp_filter(pl->inet, pl->unix_mode, insns);
		if (n == 0) {
			error_msg("sandbox setup failed, nothing was run: the seccomp program does not assemble");
			return EXIT_INTERNAL;
		}
		struct sock_fprog prog = {.len = (unsigned short)n, .filter = insns};
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0u, &prog) != 0)
			return setup_failed("seccomp(SECCOMP_SET_MODE_FILTER)", errno, NULL);
	}
	return 0;
}

/* What a parent may leave behind and the command would inherit: close-on-exec stdio, ignored
 * SIGPIPE/SIGXFSZ (ignores survive execve), blocked signals. */
static int prepare_stdio_and_signals(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int flags = fcntl(fd, F_GETFD);
		if (flags < 0)
			continue; /* not open: nothing to keep */
		if ((flags & FD_CLOEXEC) && fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) != 0)
			return setup_failed("fcntl(F_SETFD)", errno, NULL);
	}
	if (signal(SIGPIPE, SIG_DFL) == SIG_ERR)
		return setup_failed("signal(SIGPIPE)", errno, NULL);
	if (signal(SIGXFSZ, SIG_DFL) == SIG_ERR)
		return setup_failed("signal(SIGXFSZ)", errno, NULL);
	sigset_t none;
	if (sigemptyset(&none) != 0 || sigprocmask(SIG_SETMASK, &none, NULL) != 0)
		return setup_failed("sigprocmask", errno, NULL);
	return 0;
}

/* execve, and when it fails the message and exit status (127 not found, 126 otherwise). */
static int exec_command(const char *path, char *const argv[], char *const envp[])
{
	execve(path, argv, envp);
	int e = errno;
	struct line l;
	line_start(&l);
	line_puts(&l, "execve(");
	line_quoted(&l, path, '"');
	line_puts(&l, ") failed: ");
	line_errno(&l, e);
	if (e == EACCES)
		line_puts(&l, ": the sandbox does not allow executing it");
	line_flush(&l, 2);
	return e == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE;
}

/* ---- --supervise: superviseInDomain in src/launch/launcher.ts ---- */

static const int FORWARDED_SIGNALS[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define N_FORWARDED (sizeof FORWARDED_SIGNALS / sizeof FORWARDED_SIGNALS[0])
#define SWEEP_ROUNDS 3
#define SWEEP_PAUSE_NS 10000000L /* 10 ms */

static volatile sig_atomic_t supervised_pid; /* 0 once the command has exited */

static void forward_signal(int sig)
{
	int saved = errno;
	pid_t pid = (pid_t)supervised_pid;
	if (pid > 0)
		(void)kill(pid, sig);
	errno = saved;
}

static int forwarded_set(sigset_t *set)
{
	if (sigemptyset(set) != 0)
		return -1;
	for (size_t i = 0; i < N_FORWARDED; i++)
		if (sigaddset(set, FORWARDED_SIGNALS[i]) != 0)
			return -1;
	return 0;
}

/*
 * Stays in the sandbox's domain as the command's parent instead of exec'ing in place. The child
 * execs the command (after the same stdio and signal resets as the normal path); this process
 * forwards SIGINT/SIGTERM/SIGHUP/SIGQUIT to it and waits. When the command ends: with the signal
 * scope in force, kill(-1, SIGKILL) reaches exactly the other processes of the domain (a domain
 * may signal only itself and its nested domains), 3 times 10 ms apart or until an error; without
 * it kill(-1) would reach every process of the user, so only kill(-pid, SIGKILL) as the Node
 * launcher does (the child stays in this process's group, so that usually names no group and
 * fails with ESRCH: sweeping the rest is the caller's job). Then the command's exit status, or its
 * terminating signal raised again on this process with the default disposition.
 */
static int supervise(const char *path, char *const argv[], char *const envp[], int signal_scoped)
{
	sigset_t all, old, fwd;
	if (sigfillset(&all) != 0 || forwarded_set(&fwd) != 0)
		return setup_failed("sigfillset", errno, NULL);
	/* Blocked across fork: a signal arriving now waits until the forwarding handlers are in place. */
	if (sigprocmask(SIG_BLOCK, &all, &old) != 0)
		return setup_failed("sigprocmask", errno, NULL);
	/* An inherited SIGCHLD ignore would have the kernel reap the command before waitid sees it;
	 * the command itself gets the disposition back, as it would have it without --supervise. */
	struct sigaction chld_default, chld_inherited;
	memset(&chld_default, 0, sizeof chld_default);
	chld_default.sa_handler = SIG_DFL;
	if (sigaction(SIGCHLD, &chld_default, &chld_inherited) != 0)
		return setup_failed("sigaction(SIGCHLD)", errno, NULL);
	pid_t pid = fork();
	if (pid < 0)
		return setup_failed("fork", errno, NULL);
	if (pid == 0) {
		int rc = sigaction(SIGCHLD, &chld_inherited, NULL) == 0 ? 0 : setup_failed("sigaction(SIGCHLD)", errno, NULL);
		if (!rc)
			rc = prepare_stdio_and_signals(); /* also unblocks every signal */
		_exit(rc ? rc : exec_command(path, argv, envp));
	}

	supervised_pid = pid;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = forward_signal;
	sa.sa_flags = SA_RESTART;
	(void)sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < N_FORWARDED; i++)
		(void)sigaction(FORWARDED_SIGNALS[i], &sa, NULL);
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	(void)sigprocmask(SIG_UNBLOCK, &fwd, NULL);

	/* Wait without reaping: while the command is a zombie its pid cannot be reused, so neither the
	 * forwarding handler nor the process-group kill below can hit a stranger. */
	siginfo_t info;
	for (;;) {
		memset(&info, 0, sizeof info);
		if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) == 0)
			break;
		if (errno != EINTR) {
			error_msg("--supervise: waitid failed: %s", errno_name(errno) ? errno_name(errno) : strerror(errno));
			return EXIT_INTERNAL;
		}
	}
	(void)sigprocmask(SIG_BLOCK, &fwd, NULL);
	supervised_pid = 0;

	/* One pass suffices (kill(-1) walks the task list under the lock fork needs, and a task with a
	 * pending SIGKILL cannot complete a fork); two more, 10 ms apart, catch anything the first
	 * raced with. */
	for (int round = 0; round < SWEEP_ROUNDS; round++) {
		if (signal_scoped ? kill(-1, SIGKILL) != 0 : kill(-pid, SIGKILL) != 0)
			break; /* ESRCH: nothing left to signal */
		if (!signal_scoped)
			break;
		struct timespec pause = {.tv_sec = 0, .tv_nsec = SWEEP_PAUSE_NS};
		while (nanosleep(&pause, &pause) != 0 && errno == EINTR)
			;
	}

	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			error_msg("--supervise: waitpid failed: %s", errno_name(errno) ? errno_name(errno) : strerror(errno));
			return EXIT_INTERNAL;
		}
	}
	for (size_t i = 0; i < N_FORWARDED; i++)
		(void)signal(FORWARDED_SIGNALS[i], SIG_DFL);
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		sigset_t one;
		(void)signal(sig, SIG_DFL);
		if (sigemptyset(&one) == 0 && sigaddset(&one, sig) == 0)
			(void)sigprocmask(SIG_UNBLOCK, &one, NULL);
		(void)kill(getpid(), sig);
		return EXIT_INTERNAL; /* not reached for a signal whose default action terminates */
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_INTERNAL;
}

/* ---- main ---- */

static const char USAGE[] =
	"usage: landlock-exec [--supervise] --plan FILE [--] [command args...]\n"
	"       landlock-exec [--supervise] --plan-fd N [--] [command args...]\n"
	"       landlock-exec --dump-seccomp tcp|none|any all|socketpair\n"
	"Enforces a plan written by `landrun --save-plan FILE` and executes the command\n"
	"(the plan's own exec/arg/env records when it has them; otherwise the command given\n"
	"here, looked up in PATH, with this process's environment).\n"
	"--supervise: run the command as a child, stay in the sandbox as its parent, and when\n"
	"it ends kill what it left behind in the sandbox's Landlock domain (needs the plan's\n"
	"signal scope; otherwise only the command's process group).\n"
	"exit status: the command's own; 2 usage or invalid plan; 1 sandbox setup failure;\n"
	"126 cannot execute; 127 not found.\n";

static int parse_fd(const char *s, int *out)
{
	uint32_t v;
	if (parse_number(s, INT_MAX, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

int main(int argc, char **argv)
{
	const char *plan_file = NULL;
	int plan_fd = -1;
	int supervise_mode = 0;
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "--plan") == 0 || strcmp(a, "--plan-fd") == 0) {
			if (i + 1 >= argc)
				return usage_error("%s needs a value", a);
			const char *v = argv[++i];
			if (strcmp(a, "--plan") == 0) {
				plan_file = v;
				plan_fd = -1;
			} else {
				if (parse_fd(v, &plan_fd) != 0)
					return usage_error("invalid --plan-fd '%s': expected a file descriptor number", v);
				plan_file = NULL;
			}
			continue;
		}
		if (strcmp(a, "--supervise") == 0) {
			supervise_mode = 1;
			continue;
		}
		if (strcmp(a, "--dump-seccomp") == 0) {
			if (i + 2 >= argc)
				return usage_error("--dump-seccomp needs a profile (tcp|none|any) and a unix mode (all|socketpair)");
			return dump_seccomp(argv[i + 1], argv[i + 2]);
		}
		if (strcmp(a, "--help") == 0) {
			if (fputs(USAGE, stdout) == EOF || fflush(stdout) != 0)
				return EXIT_INTERNAL;
			return 0;
		}
		if (a[0] == '-')
			return usage_error("unknown option '%s'", a);
		break;
	}
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

	int signal_scoped = 0;
	rc = apply_sandbox(&pl, &signal_scoped);
	if (rc)
		return rc;
	if (supervise_mode)
		return supervise(exec_path, exec_argv, exec_envp, signal_scoped);
	rc = prepare_stdio_and_signals();
	if (rc)
		return rc;
	return exec_command(exec_path, exec_argv, exec_envp);
}
