/* Messages and small helpers shared by every part of landlock-exec. */
#include "common.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void line_put(struct line *l, const char *s, size_t n)
{
	size_t room = sizeof l->buf - 1 - l->len; /* keep one byte for the newline */
	if (n > room)
		n = room;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

void line_puts(struct line *l, const char *s)
{
	line_put(l, s, strlen(s));
}

void line_vprintf(struct line *l, const char *fmt, va_list ap)
{
	size_t room = sizeof l->buf - 1 - l->len;
	int n = vsnprintf(l->buf + l->len, room + 1, fmt, ap);
	if (n < 0)
		return;
	l->len += (size_t)n < room ? (size_t)n : room;
}

void line_printf(struct line *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	line_vprintf(l, fmt, ap);
	va_end(ap);
}

void line_quoted(struct line *l, const char *s, char quote)
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

void line_token(struct line *l, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || c == '\\')
			line_printf(l, "\\x%02x", c);
		else
			line_put(l, (const char *)&c, 1);
	}
}

void line_start(struct line *l)
{
	l->len = 0;
	line_puts(l, "[landrun] error: ");
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			/* Someone else made the shared file non-blocking: wait, never change its flags. */
			struct pollfd pfd = {.fd = fd, .events = POLLOUT};
			if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
				return -1;
			continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void line_flush(struct line *l, int fd)
{
	l->buf[l->len++] = '\n';
	(void)write_all(fd, l->buf, l->len); /* nowhere left to report a failure to */
	l->len = 0;
}

void error_msg(const char *fmt, ...)
{
	struct line l;
	va_list ap;
	line_start(&l);
	va_start(ap, fmt);
	line_vprintf(&l, fmt, ap);
	va_end(ap);
	line_flush(&l, 2);
}

int usage_error(const char *fmt, ...)
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

const char *errno_name(int e)
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
	case ECHILD: return "ECHILD";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case EXDEV: return "EXDEV";
	case ENODEV: return "ENODEV";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case EINVAL: return "EINVAL";
	case ENFILE: return "ENFILE";
	case EMFILE: return "EMFILE";
	case ENOTTY: return "ENOTTY";
	case ETXTBSY: return "ETXTBSY";
	case EFBIG: return "EFBIG";
	case ENOSPC: return "ENOSPC";
	case EROFS: return "EROFS";
	case EPIPE: return "EPIPE";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ENOSYS: return "ENOSYS";
	case ELOOP: return "ELOOP";
	case ENOMSG: return "ENOMSG";
	case EBADFD: return "EBADFD";
	case ENOTSOCK: return "ENOTSOCK";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ELIBBAD: return "ELIBBAD";
	default: return NULL;
	}
}

void line_errno(struct line *l, int e)
{
	const char *name = errno_name(e);
	if (name)
		line_puts(l, name);
	else
		line_printf(l, "errno %d", e);
}

int setup_failed(const char *what, int e, const char *hint)
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

const char *landlock_hint(int e)
{
	if (e == ENOSYS)
		return "kernel without Landlock: it needs Linux 5.13 or later built with CONFIG_SECURITY_LANDLOCK=y";
	if (e == EOPNOTSUPP)
		return "Landlock not enabled in the lsm= boot list: add \"landlock\" to the lsm= kernel parameter (or CONFIG_LSM)";
	return NULL;
}

int parse_number(const char *s, uint32_t max, uint32_t *out)
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

int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
