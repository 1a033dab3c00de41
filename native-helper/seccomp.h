/*
 * The two seccomp programs, instruction for instruction as src/landlock/seccomp.ts builds them
 * (a test compares the bytes of every variant):
 *   - the main filter (buildSeccompFilter): what Landlock leaves open, installed by every launcher;
 *   - the runtime filter (buildRuntimeFilter): installed by the supervised command on top of it,
 *     it keeps the command away from the supervisor and the supervisor's parent, and sends the
 *     calls the supervisor decides (loopback connect, signals below ABI 6) to it.
 */
#ifndef LANDRUN_SECCOMP_H
#define LANDRUN_SECCOMP_H

#include <linux/filter.h>
#include <stddef.h>
#include <sys/types.h>

#include "plan.h"

#define SECCOMP_MAX_INSNS 128

struct main_filter_opts {
	enum inet_profile inet; /* not INET_OFF */
	enum unix_profile unix_mode;
	int keyring_allow;
	int exec_restricted; /* Landlock handles fs.execute: refuse execveat(AT_EMPTY_PATH) */
};

struct runtime_filter_opts {
	pid_t supervisor, parent;             /* parent <= 0: not visible (another pid namespace) */
	pid_t supervisor_group, parent_group; /* <= 0: not visible */
	int shared_group;                     /* the command stays in the supervisor's process group */
	int signal_scope;                     /* the command's domain scopes signals (ABI 6) */
	int loopback;                         /* connect(2) is decided by the supervisor */
	int connect_ruled;                    /* Landlock rules TCP connect (does not change the program) */
};

/* Both return the instruction count, or 0 if the program does not assemble. */
size_t build_main_filter(const struct main_filter_opts *o, struct sock_filter *out);
size_t build_runtime_filter(const struct runtime_filter_opts *o, struct sock_filter *out);

/* The main filter the plan asks for; 0 when the plan's profile is off. */
size_t plan_main_filter(const struct plan *pl, struct sock_filter *out);

/* Installs a program; returns 0, or -1 with errno. With `listener`, asks for a notification fd. */
int install_filter(const struct sock_filter *prog, size_t n, int *listener);

/* The program as hex on stdout, for the byte-identity test. */
int print_filter(const struct sock_filter *prog, size_t n);

#endif
