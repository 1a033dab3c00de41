/* The supervisor's side of the runtime filter's SECCOMP_RET_USER_NOTIF (seccomp_unotify(2)). */
#include "notify.h"
#include "common.h"
#include "supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef SECCOMP_GET_NOTIF_SIZES
#define SECCOMP_GET_NOTIF_SIZES 3
#endif
#define PIDFD_THREAD_ 0x80 /* O_EXCL: pidfd_open(2) of a thread (Linux 6.9) */

int notifier_init(struct notifier *n, int listener)
{
	struct seccomp_notif_sizes sizes;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0)
		return -1;
	/* The kernel's structs may be larger than our headers': allocate what it says. */
	n->req_size = sizes.seccomp_notif > sizeof *n->req ? sizes.seccomp_notif : sizeof *n->req;
	n->resp_size = sizes.seccomp_notif_resp > sizeof *n->resp ? sizes.seccomp_notif_resp : sizeof *n->resp;
	n->req = calloc(1, n->req_size);
	n->resp = calloc(1, n->resp_size);
	if (!n->req || !n->resp) {
		errno = ENOMEM;
		return -1;
	}
	n->listener = listener;
	n->n_pending = 0;
	return 0;
}

void notifier_answer(struct notifier *n, uint64_t id, int err, int cont)
{
	memset(n->resp, 0, n->resp_size);
	n->resp->id = id;
	n->resp->val = 0;
	n->resp->error = cont ? 0 : -err;
	n->resp->flags = cont ? SECCOMP_USER_NOTIF_FLAG_CONTINUE : 0;
	/* ENOENT: the thread died or a signal interrupted the call; nobody is waiting any more. */
	while (ioctl(n->listener, SECCOMP_IOCTL_NOTIF_SEND, n->resp) != 0 && errno == EINTR)
		;
}

int notifier_valid(struct notifier *n, uint64_t id)
{
	return ioctl(n->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

int notify_read_memory(pid_t tid, uint64_t addr, void *out, size_t len)
{
	if (len == 0)
		return 0;
	struct iovec local = {.iov_base = out, .iov_len = len};
	struct iovec remote = {.iov_base = (void *)(uintptr_t)addr, .iov_len = len};
	ssize_t r = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (r < 0)
		return errno;
	return (size_t)r == len ? 0 : EFAULT;
}

/* The thread group of a thread, from /proc/TID/status (kernels before 6.9). */
static pid_t thread_group(struct notifier *n, pid_t tid)
{
	if (n->proc_fd < 0) {
		errno = EINVAL;
		return -1;
	}
	char name[32], buf[2048];
	snprintf(name, sizeof name, "%d/status", (int)tid);
	int fd = openat(n->proc_fd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t len = read(fd, buf, sizeof buf - 1);
	int e = errno;
	(void)close(fd);
	if (len < 0) {
		errno = e;
		return -1;
	}
	buf[len] = '\0';
	const char *t = strstr(buf, "\nTgid:");
	if (!t) {
		errno = EINVAL;
		return -1;
	}
	return (pid_t)strtol(t + 6, NULL, 10);
}

int notify_take_fd(struct notifier *n, pid_t tid, int fd)
{
	/* The thread's own descriptor table: a thread may have one of its own (clone without
	 * CLONE_FILES). Without thread pidfds, the thread group's leader (or its tgid). */
	long pidfd = syscall(SYS_pidfd_open, tid, n->thread_pidfds ? PIDFD_THREAD_ : 0);
	if (pidfd < 0 && !n->thread_pidfds && errno == EINVAL) {
		pid_t tgid = thread_group(n, tid);
		if (tgid < 0)
			return -1;
		pidfd = syscall(SYS_pidfd_open, tgid, 0);
	}
	if (pidfd < 0)
		return -1;
	long copy = syscall(SYS_pidfd_getfd, (int)pidfd, fd, 0);
	int e = errno;
	(void)close((int)pidfd);
	errno = e;
	return (int)copy;
}

/*
 * A signal (or F_SETOWN) aimed at one positive pid that is neither the supervisor nor its parent:
 * the runtime filter cannot know whether it is a thread of the parent (kill(2) with a thread id
 * signals the whole process). The pid is a register, not memory: letting the call continue
 * cannot be raced. A pid that names no process gets ESRCH here, so that it cannot become one of
 * the parent's threads between this check and the call.
 */
static void signal_check(struct notifier *n, const struct seccomp_notif *req)
{
	int target = req->data.nr == __NR_fcntl ? (int)req->data.args[2] : (int)req->data.args[0];
	if (target <= 0) {
		notifier_answer(n, req->id, 0, 1);
		return;
	}
	if (target == n->supervisor) {
		notifier_answer(n, req->id, EPERM, 0);
		return;
	}
	if (n->parent_task_fd >= 0) {
		char name[16];
		struct stat st;
		snprintf(name, sizeof name, "%d", target);
		/* stat is not ruled by Landlock, and the directory was opened before the domain. */
		if (fstatat(n->parent_task_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			notifier_answer(n, req->id, EPERM, 0);
			return;
		}
	}
	if (kill(target, 0) != 0 && errno == ESRCH) {
		notifier_answer(n, req->id, ESRCH, 0);
		return;
	}
	notifier_answer(n, req->id, 0, 1);
}

int notifier_receive(struct notifier *n)
{
	memset(n->req, 0, n->req_size);
	if (ioctl(n->listener, SECCOMP_IOCTL_NOTIF_RECV, n->req) != 0) {
		/* ENOENT: the caller died or was interrupted before we took it. */
		if (errno == EINTR || errno == ENOENT)
			return 0;
		return -1;
	}
	switch (n->req->data.nr) {
	case __NR_connect:
		loopback_connect(n, n->req);
		break;
	case __NR_kill:
	case __NR_tkill:
	case __NR_rt_sigqueueinfo:
	case __NR_fcntl:
		signal_check(n, n->req);
		break;
	default:
		/* The runtime filter notifies nothing else. */
		notifier_answer(n, n->req->id, EPERM, 0);
		break;
	}
	return 0;
}

size_t notifier_pollfds(const struct notifier *n, struct pollfd *p, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < n->n_pending && k < max; i++, k++) {
		p[k].fd = n->pending[i].fd;
		p[k].events = POLLOUT;
		p[k].revents = 0;
	}
	return k;
}

static void drop_pending(struct notifier *n, size_t i)
{
	(void)close(n->pending[i].fd);
	n->pending[i] = n->pending[--n->n_pending];
}

void notifier_pending_ready(struct notifier *n, size_t i, short revents)
{
	if (i >= n->n_pending || !(revents & (POLLOUT | POLLERR | POLLHUP | POLLNVAL)))
		return;
	int err = 0;
	socklen_t len = sizeof err;
	if (getsockopt(n->pending[i].fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		err = errno;
	notifier_answer(n, n->pending[i].id, err, 0);
	drop_pending(n, i);
}

int notifier_expire(struct notifier *n, int64_t now)
{
	int64_t next = -1;
	for (size_t i = 0; i < n->n_pending;) {
		int64_t d = n->pending[i].deadline;
		if (d >= 0 && d <= now) {
			/* As a blocking connect whose SO_SNDTIMEO ran out: it goes on in the background. */
			notifier_answer(n, n->pending[i].id, EINPROGRESS, 0);
			drop_pending(n, i);
			continue;
		}
		if (d >= 0 && (next < 0 || d < next))
			next = d;
		i++;
	}
	return next < 0 ? -1 : (int)(next - now);
}

void notifier_close(struct notifier *n)
{
	while (n->n_pending > 0)
		drop_pending(n, n->n_pending - 1);
	if (n->listener >= 0)
		(void)close(n->listener);
	n->listener = -1;
	free(n->req);
	free(n->resp);
	n->req = NULL;
	n->resp = NULL;
}
