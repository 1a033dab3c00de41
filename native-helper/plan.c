/* The wire format: NUL-terminated fields, as encodePlan/decodePlan in src/launch/wire.ts. */
#include "plan.h"
#include "common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PLAN_MAX_BYTES (64u << 20)

int read_all(int fd, char **out, size_t *out_len)
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

/* A keyword record with two allowed values: *out = 1 for `one`, 0 for `zero`. */
#define CHOICE(out, what, one, zero)                                                       \
	do {                                                                               \
		NEXT(f, what);                                                             \
		if (strcmp(f, one) == 0)                                                   \
			(out) = 1;                                                         \
		else if (strcmp(f, zero) == 0)                                             \
			(out) = 0;                                                         \
		else                                                                       \
			return plan_error_value("bad " what, f);                            \
	} while (0)

int parse_plan(char *buf, size_t len, struct plan *pl)
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
	if (version != PLAN_WIRE_VERSION)
		return plan_error("unsupported plan version %u (this launcher reads %d)", version, PLAN_WIRE_VERSION);

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
			int all;
			CHOICE(all, "unix profile", "all", "socketpair");
			pl->unix_mode = all ? UNIX_ALL : UNIX_SOCKETPAIR;
		} else if (strcmp(key, "caps") == 0) {
			CHOICE(pl->drop_caps, "caps", "drop", "keep");
		} else if (strcmp(key, "keyring") == 0) {
			CHOICE(pl->keyring_allow, "keyring", "allow", "deny");
		} else if (strcmp(key, "loopback") == 0) {
			CHOICE(pl->loopback, "loopback", "on", "off");
		} else if (strcmp(key, "path") == 0) {
			struct path_rule *rule = &pl->paths[pl->n_paths];
			const char *kind;
			NUMBER(rule->access, "path access", MASK);
			NEXT(kind, "path kind");
			/* The kind is only checked: the fd we hold is what decides (sandbox.c). */
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
	if (pl->loopback) {
		/* The supervisor decides connect(2) on TCP sockets; other IP sockets must not exist. */
		if (pl->inet != INET_TCP)
			return plan_error("loopback mode needs the seccomp profile tcp");
		/* Without Landlock ruling TCP connect (ABI < 4) a remote port cannot be granted per port. */
		if (!plan_connect_ruled(pl))
			for (size_t i = 0; i < pl->n_ports; i++)
				if (pl->ports[i].access & LANDLOCK_ACCESS_NET_CONNECT_TCP)
					return plan_error("loopback mode below Landlock ABI 4 cannot grant remote connect port %u",
							  pl->ports[i].port);
	}
	pl->argv[pl->n_args] = NULL;
	pl->envp[pl->n_env] = NULL;
	return 0;
}

size_t attr_size(uint32_t abi)
{
	if (abi == 0)
		return 0;
	if (abi <= 3)
		return 8;
	if (abi <= 5)
		return 16;
	return 24;
}

int plan_signal_scoped(const struct plan *pl)
{
	return (pl->scoped & LANDLOCK_SCOPE_SIGNAL) != 0 && attr_size(pl->abi) >= 24;
}

int plan_connect_ruled(const struct plan *pl)
{
	return pl->abi >= 4 && (pl->net & LANDLOCK_ACCESS_NET_CONNECT_TCP) != 0;
}

int plan_connect_granted(const struct plan *pl, uint32_t port)
{
	for (size_t i = 0; i < pl->n_ports; i++)
		if (pl->ports[i].port == port && (pl->ports[i].access & LANDLOCK_ACCESS_NET_CONNECT_TCP))
			return 1;
	return 0;
}
