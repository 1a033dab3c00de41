/*
 * Shared by every part of landlock-exec: exit statuses, kernel constants that old headers may
 * lack, and the message helpers (one write(2) per line, so that lines of parallel processes do
 * not interleave).
 */
#ifndef LANDRUN_COMMON_H
#define LANDRUN_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum {
	EXIT_INTERNAL = 1,
	EXIT_USAGE = 2,
	EXIT_CANNOT_EXECUTE = 126,
	EXIT_NOT_FOUND = 127,
};

#if !defined(__x86_64__) && !defined(__aarch64__)
#error "landlock-exec supports x86_64 and aarch64 only (the seccomp filters are per architecture)"
#endif

/* The Landlock syscalls have one number on every architecture (unified table). */
#define NR_landlock_create_ruleset 444
#define NR_landlock_add_rule 445
#define NR_landlock_restrict_self 446
#define LANDLOCK_CREATE_RULESET_VERSION 1u
#define LANDLOCK_RULE_PATH_BENEATH 1
#define LANDLOCK_RULE_NET_PORT 2
#define LANDLOCK_ACCESS_FS_EXECUTE 1u
#define LANDLOCK_ACCESS_FS_READ_FILE 4u
#define LANDLOCK_ACCESS_FS_READ_DIR 8u
#define LANDLOCK_ACCESS_NET_BIND_TCP 1u
#define LANDLOCK_ACCESS_NET_CONNECT_TCP 2u
#define LANDLOCK_SCOPE_SIGNAL 2u
#define LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF 1u
#define LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF 4u

/* Rights that may sit on a rule whose target is not a directory (src/landlock/access.ts). */
#define FS_FILE_RIGHTS 0x1c007u

/* ---- messages ---- */

struct line {
	char buf[4096];
	size_t len;
};

void line_put(struct line *l, const char *s, size_t n);
void line_puts(struct line *l, const char *s);
void line_printf(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void line_vprintf(struct line *l, const char *fmt, va_list ap);
/* A value quoted for a message: printable ASCII as is, the rest escaped, so that a path made of
 * arbitrary bytes cannot forge output on the terminal. */
void line_quoted(struct line *l, const char *s, char quote);
/* Bytes as one token of the report protocol: printable ASCII but space and backslash as is,
 * everything else as \xNN. */
void line_token(struct line *l, const char *s, size_t n);
void line_errno(struct line *l, int e);
/* Starts a "[landrun] error: " line. */
void line_start(struct line *l);
/* Appends the newline and writes the line with one write(2) (retried on EINTR/short writes). */
void line_flush(struct line *l, int fd);

void error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *errno_name(int e);
/* "a setup syscall failed, nothing was run": prints and returns EXIT_INTERNAL. */
int setup_failed(const char *what, int e, const char *hint);
const char *landlock_hint(int e);

/* Blocking write of the whole buffer; 0, or -1 with errno. */
int write_all(int fd, const void *buf, size_t len);
/* A decimal number as decodePlan reads it: /^\d+$/ (leading zeros allowed) and at most `max`. */
int parse_number(const char *s, uint32_t max, uint32_t *out);
/* Monotonic clock in milliseconds. */
int64_t now_ms(void);

#endif
