/*
 * seccomp user notifications: the calls the runtime filter sends to the supervisor. connect(2) in
 * loopback mode (loopback.c) and, without Landlock's signal scope, signals aimed at a pid the
 * filter cannot judge alone (a thread id names its whole process).
 */
#ifndef LANDRUN_NOTIFY_H
#define LANDRUN_NOTIFY_H

#include <linux/seccomp.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "plan.h"

#define NOTIFY_MAX_PENDING 256

/* A connect(2) the supervisor started on the command's behalf on a blocking socket: answered
 * when the socket becomes writable (or at the socket's SO_SNDTIMEO). */
struct pending_connect {
	uint64_t id;
	int fd;           /* the supervisor's copy of the command's socket */
	int64_t deadline; /* ms, or -1 */
};

struct notifier {
	int listener;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	size_t req_size, resp_size;
	const struct plan *pl;
	pid_t supervisor;
	int parent_task_fd; /* /proc/PPID/task, opened before the supervisor's domain: -1 if none */
	int proc_fd;        /* /proc, for thread ids where pidfds cannot name threads: -1 if not needed */
	int thread_pidfds;  /* pidfd_open(tid, PIDFD_THREAD) works (Linux 6.9) */
	int connect_ruled;  /* Landlock rules the command's connects (plan_connect_ruled) */
	struct pending_connect pending[NOTIFY_MAX_PENDING];
	size_t n_pending;
};

/* 0, or -1 with errno (the kernel has no user notifications). */
int notifier_init(struct notifier *n, int listener);
/* Receives and answers one notification. -1 when the listener is gone. */
int notifier_receive(struct notifier *n);
/* Answers: err = 0 (success, value 0), a positive errno, or continue = 1 (the kernel runs the
 * call as the command made it). */
void notifier_answer(struct notifier *n, uint64_t id, int err, int cont);
/* Whether the notification is still pending (the thread did not die or get a signal). */
int notifier_valid(struct notifier *n, uint64_t id);
/* The pending connects' descriptors, for poll. Returns how many were written. */
size_t notifier_pollfds(const struct notifier *n, struct pollfd *p, size_t max);
/* A pending connect's socket reported `revents`. */
void notifier_pending_ready(struct notifier *n, size_t i, short revents);
/* Answers the pending connects whose deadline passed; returns ms to the next deadline or -1. */
int notifier_expire(struct notifier *n, int64_t now);
/* Closes the supervisor's copies and the listener. */
void notifier_close(struct notifier *n);

/* Reads `len` bytes at `addr` in thread `tid`. 0, or an errno value. */
int notify_read_memory(pid_t tid, uint64_t addr, void *out, size_t len);
/* A copy of descriptor `fd` of thread `tid`. The descriptor, or -1 with errno. */
int notify_take_fd(struct notifier *n, pid_t tid, int fd);

/* loopback.c: decides and answers a connect(2). */
void loopback_connect(struct notifier *n, const struct seccomp_notif *req);

#endif
