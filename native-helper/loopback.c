/*
 * Loopback mode: the supervisor decides every connect(2) of the command.
 *
 * The address is copied out of the command's memory once (process_vm_readv) and the socket is
 * taken with pidfd_getfd. To a loopback address the supervisor connects its copy of the socket
 * itself, with its copy of the address, and answers with the result: nothing the command changes
 * afterwards (the address buffer, the descriptor table) can redirect that connect. Anything else
 * either continues in the kernel, where the command's Landlock domain checks the port against the
 * granted ones (a re-read racing the check can only reach a port granted to any host), or, where
 * Landlock does not rule TCP connect (below ABI 4), is refused here.
 */
#include "common.h"
#include "notify.h"
#include "supervise.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

enum target { T_LOOPBACK, T_REMOTE, T_KERNEL_REFUSES, T_UNIX_PATH, T_UNIX_RELATIVE };

/* 127.0.0.0/8, and 0.0.0.0, which Linux connects to the local host. */
static int v4_local(const unsigned char a[4])
{
	return a[0] == 127 || (a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0);
}

/*
 * How the kernel will treat this address on an IP stream socket of family `domain`: as
 * tcp_v4_connect/tcp_v6_connect read it. Lengths and families they refuse (and AF_UNSPEC,
 * a disconnect) connect nowhere, so the supervisor may pass them to connect(2) itself.
 */
static enum target classify_inet(int domain, const unsigned char *buf, size_t len, char *text, size_t text_len,
				 unsigned *port)
{
	*port = 0;
	text[0] = '\0';
	if (len < sizeof(sa_family_t))
		return T_KERNEL_REFUSES;
	sa_family_t family;
	memcpy(&family, buf, sizeof family);
	if (domain == AF_INET) {
		struct sockaddr_in sin;
		if (family != AF_INET || len < sizeof sin)
			return T_KERNEL_REFUSES;
		memcpy(&sin, buf, sizeof sin);
		*port = ntohs(sin.sin_port);
		inet_ntop(AF_INET, &sin.sin_addr, text, (socklen_t)text_len);
		return v4_local((const unsigned char *)&sin.sin_addr) ? T_LOOPBACK : T_REMOTE;
	}
	/* AF_INET6: SIN6_LEN_RFC2133 (24 bytes, no scope id) is the shortest the kernel takes. */
	struct sockaddr_in6 sin6;
	if (family != AF_INET6 || len < 24)
		return T_KERNEL_REFUSES;
	memset(&sin6, 0, sizeof sin6);
	memcpy(&sin6, buf, len < sizeof sin6 ? len : sizeof sin6);
	*port = ntohs(sin6.sin6_port);
	inet_ntop(AF_INET6, &sin6.sin6_addr, text, (socklen_t)text_len);
	const unsigned char *a = sin6.sin6_addr.s6_addr;
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (memcmp(a, mapped, 12) == 0)
		return v4_local(a + 12) ? T_LOOPBACK : T_REMOTE;
	/* ::1, and :: which the kernel turns into ::1. */
	int zero = 1;
	for (int i = 0; i < 15; i++)
		zero &= a[i] == 0;
	return zero && (a[15] == 0 || a[15] == 1) ? T_LOOPBACK : T_REMOTE;
}

static enum target classify_unix(const unsigned char *buf, size_t len, char *text, size_t text_len)
{
	size_t off = offsetof(struct sockaddr_un, sun_path);
	if (len <= off)
		return T_KERNEL_REFUSES; /* unnamed: EINVAL */
	const char *path = (const char *)buf + off;
	size_t n = len - off;
	struct line l = {.len = 0};
	if (path[0] == '\0') {
		line_puts(&l, "@");
		line_token(&l, path + 1, n - 1);
	} else {
		line_token(&l, path, strnlen(path, n));
	}
	size_t copy = l.len < text_len - 1 ? l.len : text_len - 1;
	memcpy(text, l.buf, copy);
	text[copy] = '\0';
	/* Abstract names and absolute paths mean the same to the supervisor as to the command;
	 * a relative path would be resolved against the supervisor's working directory. */
	return path[0] == '\0' || path[0] == '/' ? T_UNIX_PATH : T_UNIX_RELATIVE;
}

static void report_denied(const char *family, const char *addr, unsigned port, int have_port)
{
	struct line l = {.len = 0};
	line_printf(&l, "connect-denied %s ", family);
	line_token(&l, addr, strlen(addr));
	if (have_port)
		line_printf(&l, " %u", port);
	else
		line_puts(&l, " -");
	report_flush(&l);
}

/* connect(2) on the supervisor's copy. A blocking socket is connected without blocking the
 * supervisor: its shared file status flag is made O_NONBLOCK for the call and restored, and the
 * answer waits until the socket is writable (notify.c). */
static void connect_for(struct notifier *n, uint64_t id, int fd, const void *addr, socklen_t len)
{
	int fl = fcntl(fd, F_GETFL);
	int blocking = fl >= 0 && !(fl & O_NONBLOCK);
	if (blocking)
		(void)fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	int r = connect(fd, (const struct sockaddr *)addr, len);
	int e = r == 0 ? 0 : errno;
	if (blocking)
		(void)fcntl(fd, F_SETFL, fl);
	if (blocking && (e == EINPROGRESS || e == EALREADY) && n->n_pending < NOTIFY_MAX_PENDING) {
		struct timeval tv = {0, 0};
		socklen_t tl = sizeof tv;
		int64_t deadline = -1;
		if (getsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, &tl) == 0 && (tv.tv_sec > 0 || tv.tv_usec > 0))
			deadline = now_ms() + (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
		n->pending[n->n_pending++] = (struct pending_connect){.id = id, .fd = fd, .deadline = deadline};
		return;
	}
	/* A unix listener with a full backlog gives EAGAIN, which has nothing to wait on: a
	 * blocking caller gets it too (below ABI 4 only: above, unix connects continue). */
	(void)close(fd);
	notifier_answer(n, id, e, 0);
}

void loopback_connect(struct notifier *n, const struct seccomp_notif *req)
{
	const uint64_t id = req->id;
	const pid_t tid = (pid_t)req->pid;
	const int fdnum = (int)req->data.args[0];
	const int addrlen = (int)req->data.args[2];
	unsigned char addr[sizeof(struct sockaddr_storage)];

	/* move_addr_to_kernel refuses these before anything else. */
	if (addrlen < 0 || (size_t)addrlen > sizeof addr) {
		notifier_answer(n, id, EINVAL, 0);
		return;
	}
	int e = notify_read_memory(tid, req->data.args[1], addr, (size_t)addrlen);
	if (e == EFAULT) {
		notifier_answer(n, id, EFAULT, 0);
		return;
	}
	if (e) {
		if (e != ESRCH)
			report_error("loopback: cannot read the connect address of thread %d: %s (is ptrace restricted, e.g. "
				     "by Yama or a non-dumpable process?); the connect was refused",
				     (int)tid, errno_name(e) ? errno_name(e) : "error");
		notifier_answer(n, id, EACCES, 0);
		return;
	}
	int fd = notify_take_fd(n, tid, fdnum);
	if (fd < 0) {
		e = errno;
		if (e == EBADF) {
			notifier_answer(n, id, EBADF, 0);
		} else {
			if (e != ESRCH)
				report_error("loopback: cannot take descriptor %d of thread %d: %s (is ptrace restricted, e.g. by "
					     "Yama or a non-dumpable process?); the connect was refused",
					     fdnum, (int)tid, errno_name(e) ? errno_name(e) : "error");
			notifier_answer(n, id, EACCES, 0);
		}
		return;
	}
	/* The thread id could have been reused between the notification and the reads above. */
	if (!notifier_valid(n, id)) {
		(void)close(fd);
		return;
	}
	int domain = 0, type = 0, proto = 0;
	socklen_t ol = sizeof domain;
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &ol) != 0) {
		e = errno;
		(void)close(fd);
		notifier_answer(n, id, e == ENOTSOCK ? ENOTSOCK : EBADF, 0);
		return;
	}
	ol = sizeof type;
	(void)getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &ol);
	ol = sizeof proto;
	(void)getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &ol);

	char text[256];
	unsigned port = 0;
	const char *family = domain == AF_INET6 ? "inet6" : domain == AF_INET ? "inet" : domain == AF_UNIX ? "unix" : "other";
	enum target t;
	if ((domain == AF_INET || domain == AF_INET6) && type == SOCK_STREAM && proto == IPPROTO_TCP)
		t = classify_inet(domain, addr, (size_t)addrlen, text, sizeof text, &port);
	else if (domain == AF_UNIX)
		t = classify_unix(addr, (size_t)addrlen, text, sizeof text);
	else
	{
		t = T_REMOTE;
		snprintf(text, sizeof text, "socket-domain-%d-type-%d", domain, type);
	}

	if (domain == AF_UNIX && n->connect_ruled) {
		/* A unix connect may continue: a descriptor swapped in for an IP socket meanwhile is
		 * still held to the granted ports by Landlock. */
		(void)close(fd);
		notifier_answer(n, id, 0, 1);
		return;
	}
	switch (t) {
	case T_LOOPBACK:
	case T_KERNEL_REFUSES:
	case T_UNIX_PATH:
		/* Without Landlock ruling TCP, abstract names and absolute unix paths are connected
		 * by the supervisor too: they mean the same to it as to the command. */
		connect_for(n, id, fd, addr, (socklen_t)addrlen);
		return;
	case T_REMOTE:
		(void)close(fd);
		if (n->connect_ruled && ((domain != AF_INET && domain != AF_INET6) || plan_connect_granted(n->pl, port))) {
			notifier_answer(n, id, 0, 1);
			return;
		}
		report_denied(family, text, port, domain == AF_INET || domain == AF_INET6);
		notifier_answer(n, id, EACCES, 0);
		return;
	case T_UNIX_RELATIVE:
		(void)close(fd);
		report_denied("unix", text, 0, 0);
		notifier_answer(n, id, EACCES, 0);
		return;
	}
}
