/* The seccomp programs: the same instructions, in the same order, as src/landlock/seccomp.ts. */
#include "seccomp.h"
#include "common.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH_AUDIT 0xc000003eu /* AUDIT_ARCH_X86_64 */
#define ARCH_HAS_X32 1
enum {
	NR_ioctl = 16, NR_socket = 41, NR_connect = 42, NR_socketpair = 53, NR_sendto = 44, NR_sendmsg = 46,
	NR_sendmmsg = 307, NR_kill = 62, NR_tkill = 200, NR_tgkill = 234, NR_rt_sigqueueinfo = 129,
	NR_rt_tgsigqueueinfo = 297, NR_fcntl = 72, NR_prlimit64 = 302, NR_add_key = 248,
	NR_request_key = 249, NR_keyctl = 250, NR_execveat = 322,
};
#else
#define ARCH_AUDIT 0xc00000b7u /* AUDIT_ARCH_AARCH64 */
#define ARCH_HAS_X32 0
enum {
	NR_ioctl = 29, NR_socket = 198, NR_connect = 203, NR_socketpair = 199, NR_sendto = 206, NR_sendmsg = 211,
	NR_sendmmsg = 269, NR_kill = 129, NR_tkill = 130, NR_tgkill = 131, NR_rt_sigqueueinfo = 138,
	NR_rt_tgsigqueueinfo = 240, NR_fcntl = 25, NR_prlimit64 = 261, NR_add_key = 217,
	NR_request_key = 218, NR_keyctl = 219, NR_execveat = 281,
};
#endif
/* The same number on x86_64 and aarch64 (unified table). */
enum { NR_pidfd_send_signal = 424, NR_io_uring_setup = 425, NR_io_uring_enter = 426, NR_io_uring_register = 427 };

/* Checked against the C library's headers where they have the call. */
#define CHECK_NR(name) _Static_assert(__NR_##name == NR_##name, #name " syscall number")
CHECK_NR(ioctl); CHECK_NR(socket); CHECK_NR(connect); CHECK_NR(socketpair); CHECK_NR(sendto);
CHECK_NR(sendmsg); CHECK_NR(sendmmsg); CHECK_NR(kill); CHECK_NR(tkill); CHECK_NR(tgkill);
CHECK_NR(rt_sigqueueinfo); CHECK_NR(rt_tgsigqueueinfo); CHECK_NR(fcntl); CHECK_NR(prlimit64);
CHECK_NR(add_key); CHECK_NR(request_key); CHECK_NR(keyctl); CHECK_NR(execveat);
#ifdef __NR_pidfd_send_signal
CHECK_NR(pidfd_send_signal);
#endif

#define RET_KILL_PROCESS 0x80000000u
#define RET_ERRNO 0x00050000u
#define RET_USER_NOTIF 0x7fc00000u
#define RET_ALLOW 0x7fff0000u
#define X32_SYSCALL_BIT 0x40000000u

#define AF_UNIX_ 1
#define AF_INET_ 2
#define AF_INET6_ 10
#define SOCK_STREAM_ 1
#define SOCK_SEQPACKET_ 5
#define SOCK_TYPE_MASK_ 0xf
#define MSG_FASTOPEN_ 0x20000000u
#define TIOCSTI_ 0x5412u
#define TIOCLINUX_ 0x541cu
#define FIOSETOWN_ 0x8901u
#define SIOCSPGRP_ 0x8902u
#define F_SETOWN_ 8u
#define F_SETOWN_EX_ 15u
#define AT_EMPTY_PATH_ 0x1000u
#define IPPROTO_TCP_ 6
#define EPERM_ 1
#define EACCES_ 13
#define EAFNOSUPPORT_ 97

#define OFF_NR 0
#define OFF_ARCH 4
#define ARG_LOW(i) (16u + 8u * (i))
#define ARG_HIGH(i) (20u + 8u * (i))

static const uint16_t LD = BPF_LD | BPF_W | BPF_ABS, JEQ = BPF_JMP | BPF_JEQ | BPF_K;
static const uint16_t JGE = BPF_JMP | BPF_JGE | BPF_K, AND = BPF_ALU | BPF_AND | BPF_K, RET = BPF_RET | BPF_K;

/* Labels, so that no jump offset is counted by hand. A target is a literal offset (>= 0) or a
 * label, encoded as -1 - label. */
enum {
	L_IOCTL, L_EXECVEAT, L_SOCKETPAIR, L_PAIRTYPE, L_SOCKET, L_INET, L_FLAGS3, L_FLAGS2,
	L_PRLIMIT, L_PRPID, L_KILL, L_ONEPID, L_TGKILL, L_FCNTL, L_FCNTL2, L_NOTIFY,
	L_ALLOW, L_DENY, L_EPERM, L_COUNT
};
#define TO(label) (-1 - (label))

struct assembler {
	struct {
		uint16_t code;
		uint32_t k;
		int jt, jf;
	} insn[SECCOMP_MAX_INSNS];
	size_t n;
	int label_at[L_COUNT];
	int overflow;
};

static void asm_init(struct assembler *a)
{
	memset(a, 0, sizeof *a);
	for (int i = 0; i < L_COUNT; i++)
		a->label_at[i] = -1;
}

static void emit(struct assembler *a, uint16_t code, uint32_t k, int jt, int jf)
{
	if (a->n == SECCOMP_MAX_INSNS) {
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

/* Foreign architectures (i386 int 0x80, AArch32) would bypass every check: kill them. x32
 * syscalls carry the native arch with bit 30 set in nr: refused. Leaves nr loaded. */
static void arch_prologue(struct assembler *a)
{
	emit(a, LD, OFF_ARCH, 0, 0);
	emit(a, JEQ, ARCH_AUDIT, 1, 0);
	emit(a, RET, RET_KILL_PROCESS, 0, 0);
	emit(a, LD, OFF_NR, 0, 0);
#if ARCH_HAS_X32
	emit(a, JGE, X32_SYSCALL_BIT, TO(L_DENY), 0);
#else
	(void)JGE;
#endif
}

size_t build_main_filter(const struct main_filter_opts *o, struct sock_filter *out)
{
	const uint32_t deny = RET_ERRNO | EACCES_, no_family = RET_ERRNO | EAFNOSUPPORT_;
	const int network = o->inet != INET_ANY;
	const int all_unix = o->unix_mode == UNIX_ALL;
	struct assembler a;
	asm_init(&a);

	arch_prologue(&a);
	emit(&a, JEQ, NR_ioctl, TO(L_IOCTL), 0);
	if (!o->keyring_allow) {
		/* The caller's keyrings outlive the sandbox and are shared with the user's sessions. */
		emit(&a, JEQ, NR_add_key, TO(L_EPERM), 0);
		emit(&a, JEQ, NR_request_key, TO(L_EPERM), 0);
		emit(&a, JEQ, NR_keyctl, TO(L_EPERM), 0);
	}
	if (o->exec_restricted)
		emit(&a, JEQ, NR_execveat, TO(L_EXECVEAT), 0);
	if (network) {
		emit(&a, JEQ, NR_io_uring_setup, TO(L_DENY), 0);
		emit(&a, JEQ, NR_io_uring_enter, TO(L_DENY), 0);
		emit(&a, JEQ, NR_io_uring_register, TO(L_DENY), 0);
		emit(&a, JEQ, NR_socket, TO(L_SOCKET), 0);
		emit(&a, JEQ, NR_socketpair, TO(L_SOCKETPAIR), 0);
		if (o->inet == INET_TCP) {
			emit(&a, JEQ, NR_sendto, TO(L_FLAGS3), 0);
			emit(&a, JEQ, NR_sendmmsg, TO(L_FLAGS3), 0);
			emit(&a, JEQ, NR_sendmsg, TO(L_FLAGS2), 0);
		}
	}
	emit(&a, RET, RET_ALLOW, 0, 0);

	/* A sandboxed program must not type commands into the terminal of the shell that started it. */
	label(&a, L_IOCTL);
	emit(&a, LD, ARG_LOW(1), 0, 0);
	emit(&a, JEQ, TIOCSTI_, TO(L_DENY), 0);
	emit(&a, JEQ, TIOCLINUX_, TO(L_DENY), TO(L_ALLOW));

	if (o->exec_restricted) {
		/* fexecve(3) runs an open file (a memfd, say) by descriptor, where older kernels do not
		 * check Landlock's execute right. */
		label(&a, L_EXECVEAT);
		emit(&a, LD, ARG_LOW(4), 0, 0);
		emit(&a, AND, AT_EMPTY_PATH_, 0, 0);
		emit(&a, JEQ, 0, TO(L_ALLOW), TO(L_DENY));
	}

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
		if (o->inet == INET_NONE) {
			emit(&a, RET, deny, 0, 0);
		} else {
			emit(&a, LD, ARG_LOW(1), 0, 0);
			emit(&a, AND, SOCK_TYPE_MASK_, 0, 0); /* drop SOCK_NONBLOCK / SOCK_CLOEXEC */
			emit(&a, JEQ, SOCK_STREAM_, 0, TO(L_DENY));
			emit(&a, LD, ARG_LOW(2), 0, 0);
			emit(&a, JEQ, 0, TO(L_ALLOW), 0);
			emit(&a, JEQ, IPPROTO_TCP_, TO(L_ALLOW), TO(L_DENY)); /* not MPTCP (262) or SCTP */
		}
		if (o->inet == INET_TCP) {
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
	emit(&a, RET, RET_ALLOW, 0, 0);
	label(&a, L_DENY);
	emit(&a, RET, deny, 0, 0);
	if (!o->keyring_allow) {
		label(&a, L_EPERM);
		emit(&a, RET, RET_ERRNO | EPERM_, 0, 0);
	}
	return assemble(&a, out);
}

/* JEQs to EPERM for the supervisor's and its parent's pids (as given; <= 0 means not visible). */
static void refuse_pids(struct assembler *a, const struct runtime_filter_opts *o)
{
	emit(a, JEQ, (uint32_t)o->supervisor, TO(L_EPERM), 0);
	if (o->parent > 0)
		emit(a, JEQ, (uint32_t)o->parent, TO(L_EPERM), 0);
}

/* The same for process groups, as negative pids: theirs and the groups they lead or sit in. */
static void refuse_groups(struct assembler *a, const struct runtime_filter_opts *o)
{
	emit(a, JEQ, (uint32_t)-o->supervisor, TO(L_EPERM), 0);
	if (o->parent > 0)
		emit(a, JEQ, (uint32_t)-o->parent, TO(L_EPERM), 0);
	if (o->supervisor_group > 0)
		emit(a, JEQ, (uint32_t)-o->supervisor_group, TO(L_EPERM), 0);
	if (o->parent_group > 0)
		emit(a, JEQ, (uint32_t)-o->parent_group, TO(L_EPERM), 0);
}

size_t build_runtime_filter(const struct runtime_filter_opts *o, struct sock_filter *out)
{
	/* The command cannot put a listener of its own in front of ours (the newest filter's
	 * listener would get the notification): the kernel allows one per filter chain (EBUSY). */
	const int signals = !o->signal_scope;
	struct assembler a;
	asm_init(&a);

	arch_prologue(&a);
	emit(&a, JEQ, NR_prlimit64, TO(L_PRLIMIT), 0);
	if (o->loopback)
		emit(&a, JEQ, NR_connect, TO(L_NOTIFY), 0);
	if (signals) {
		emit(&a, JEQ, NR_kill, TO(L_KILL), 0);
		emit(&a, JEQ, NR_tkill, TO(L_ONEPID), 0);
		emit(&a, JEQ, NR_tgkill, TO(L_TGKILL), 0);
		emit(&a, JEQ, NR_rt_tgsigqueueinfo, TO(L_TGKILL), 0);
		emit(&a, JEQ, NR_rt_sigqueueinfo, TO(L_ONEPID), 0);
		/* Takes a pidfd, which may come from /proc/PID: BPF cannot tell whose it is. */
		emit(&a, JEQ, NR_pidfd_send_signal, TO(L_EPERM), 0);
		emit(&a, JEQ, NR_fcntl, TO(L_FCNTL), 0);
		emit(&a, JEQ, NR_ioctl, TO(L_IOCTL), 0);
	}
	emit(&a, RET, RET_ALLOW, 0, 0);

	/* Landlock does not rule prlimit64 (a limit set on another process, e.g. RLIMIT_CPU, kills
	 * it), and a pid may name any thread of a process: only reading limits, or setting one's own. */
	label(&a, L_PRLIMIT);
	emit(&a, LD, ARG_LOW(2), 0, 0);
	emit(&a, JEQ, 0, 0, TO(L_PRPID));
	emit(&a, LD, ARG_HIGH(2), 0, 0);
	emit(&a, JEQ, 0, TO(L_ALLOW), 0);
	label(&a, L_PRPID);
	emit(&a, LD, ARG_LOW(0), 0, 0);
	emit(&a, JEQ, 0, TO(L_ALLOW), TO(L_EPERM));

	if (signals) {
		/* kill(2): the two pids, their groups, every process (-1), and the own group when that
		 * is the supervisor's; other groups pass; other pids go to the supervisor, which knows
		 * the parent's threads (a thread id names its whole process). */
		label(&a, L_KILL);
		emit(&a, LD, ARG_LOW(0), 0, 0);
		refuse_pids(&a, o);
		emit(&a, JEQ, (uint32_t)-1, TO(L_EPERM), 0);
		refuse_groups(&a, o);
		emit(&a, JEQ, 0, o->shared_group ? TO(L_EPERM) : TO(L_ALLOW), 0);
		emit(&a, JGE, 0x80000000u, TO(L_ALLOW), TO(L_NOTIFY));

		/* tkill(2), rt_sigqueueinfo(2): one pid or thread id. */
		label(&a, L_ONEPID);
		emit(&a, LD, ARG_LOW(0), 0, 0);
		refuse_pids(&a, o);
		emit(&a, JEQ, 0, TO(L_ALLOW), 0);
		emit(&a, JGE, 0x80000000u, TO(L_ALLOW), TO(L_NOTIFY));

		/* tgkill(2), rt_tgsigqueueinfo(2): the kernel checks that the thread is in the group. */
		label(&a, L_TGKILL);
		emit(&a, LD, ARG_LOW(0), 0, 0);
		refuse_pids(&a, o);
		emit(&a, RET, RET_ALLOW, 0, 0);

		/* fcntl(F_SETOWN) picks who gets SIGIO/SIGURG (F_SETSIG may make it SIGKILL);
		 * F_SETOWN_EX passes the owner through a pointer. */
		label(&a, L_FCNTL);
		emit(&a, LD, ARG_LOW(1), 0, 0);
		emit(&a, JEQ, F_SETOWN_, 0, TO(L_FCNTL2));
		emit(&a, LD, ARG_LOW(2), 0, 0);
		refuse_pids(&a, o);
		refuse_groups(&a, o);
		emit(&a, JEQ, 0, TO(L_ALLOW), 0);
		emit(&a, JGE, 0x80000000u, TO(L_ALLOW), TO(L_NOTIFY));
		label(&a, L_FCNTL2);
		emit(&a, JEQ, F_SETOWN_EX_, TO(L_EPERM), TO(L_ALLOW));

		/* The ioctl spellings of F_SETOWN take the owner through a pointer. */
		label(&a, L_IOCTL);
		emit(&a, LD, ARG_LOW(1), 0, 0);
		emit(&a, JEQ, FIOSETOWN_, TO(L_EPERM), 0);
		emit(&a, JEQ, SIOCSPGRP_, TO(L_EPERM), TO(L_ALLOW));
	}

	if (signals || o->loopback) {
		label(&a, L_NOTIFY);
		emit(&a, RET, RET_USER_NOTIF, 0, 0);
	}
	label(&a, L_ALLOW);
	emit(&a, RET, RET_ALLOW, 0, 0);
	label(&a, L_DENY);
	emit(&a, RET, RET_ERRNO | EACCES_, 0, 0);
	label(&a, L_EPERM);
	emit(&a, RET, RET_ERRNO | EPERM_, 0, 0);
	return assemble(&a, out);
}

size_t plan_main_filter(const struct plan *pl, struct sock_filter *out)
{
	if (pl->inet == INET_OFF)
		return 0;
	struct main_filter_opts o = {
		.inet = pl->inet,
		.unix_mode = pl->unix_mode,
		.keyring_allow = pl->keyring_allow,
		.exec_restricted = (pl->fs & LANDLOCK_ACCESS_FS_EXECUTE) != 0,
	};
	return build_main_filter(&o, out);
}

int install_filter(const struct sock_filter *prog, size_t n, int *listener)
{
	struct sock_fprog fprog = {.len = (unsigned short)n, .filter = (struct sock_filter *)prog};
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, listener ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0u, &fprog);
	if (r < 0)
		return -1;
	if (listener)
		*listener = (int)r;
	return 0;
}

/* struct sock_filter as raw little-endian bytes, in lowercase hex: u16 code, u8 jt, u8 jf, u32 k. */
int print_filter(const struct sock_filter *prog, size_t n)
{
	char hex[SECCOMP_MAX_INSNS * 16 + 2];
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
	if (write_all(1, hex, h) != 0) {
		error_msg("landlock-exec: cannot write the filter to stdout: %s", errno_name(errno) ? errno_name(errno) : "error");
		return EXIT_INTERNAL;
	}
	return 0;
}
