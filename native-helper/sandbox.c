/* Enforcement, in the order of applySandbox in src/landlock/enforce.ts:
 *   probe ABI -> create ruleset(s) -> openat2 O_PATH (no symlinks), fstat, add rules
 *   -> drop capabilities -> no_new_privs -> landlock_restrict_self -> seccomp */
#include "sandbox.h"
#include "common.h"
#include "seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#endif
#ifndef PR_CAP_AMBIENT_CLEAR_ALL
#define PR_CAP_AMBIENT_CLEAR_ALL 4
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

int check_kernel_abi(const struct plan *pl)
{
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
	return 0;
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

static int create_ruleset(const struct plan *pl, uint64_t fs, uint64_t net, uint64_t scoped, int *out)
{
	*out = -1;
	if (fs == 0 && net == 0 && scoped == 0)
		return 0;
	struct ruleset_attr attr = {.handled_access_fs = fs, .handled_access_net = net, .scoped = scoped};
	int fd = (int)syscall(NR_landlock_create_ruleset, &attr, attr_size(pl->abi), 0u);
	if (fd < 0)
		return setup_failed("landlock_create_ruleset", errno, landlock_hint(errno));
	*out = fd;
	return 0;
}

static int add_path(int rs, uint64_t access, int fd)
{
	if (rs < 0 || access == 0)
		return 0;
	struct path_beneath_attr attr = {.allowed_access = access, .parent_fd = fd};
	if (syscall(NR_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &attr, 0) != 0)
		return setup_failed("landlock_add_rule(PATH_BENEATH)", errno, NULL);
	return 0;
}

static int add_port(int rs, uint64_t access, uint64_t port)
{
	if (rs < 0 || access == 0)
		return 0;
	struct net_port_attr attr = {.allowed_access = access, .port = port};
	if (syscall(NR_landlock_add_rule, rs, LANDLOCK_RULE_NET_PORT, &attr, 0) != 0)
		return setup_failed("landlock_add_rule(NET_PORT)", errno, NULL);
	return 0;
}

static int open_failed(const char *path, int e)
{
	struct line l;
	l.len = 0;
	line_puts(&l, "open(");
	line_quoted(&l, path, '"');
	line_puts(&l, ") with RESOLVE_NO_SYMLINKS");
	l.buf[l.len] = '\0';
	return setup_failed(l.buf, e, e == ELOOP ? "a path in the plan became a symlink after the plan was made" : NULL);
}

static int add_rules(const struct plan *pl, int rs_b, int rs_a, uint64_t net_a, const struct supervisor_rules *sup)
{
	for (size_t i = 0; i < pl->n_paths; i++) {
		const struct path_rule *rule = &pl->paths[i];
		int fd = open_rule_path(rule->path);
		if (fd < 0)
			return open_failed(rule->path, errno);
		/* The plan decided file vs directory by stat; re-check on the fd we actually hold. */
		struct stat st;
		if (fstat(fd, &st) != 0) {
			int e = errno;
			(void)close(fd);
			return setup_failed("fstat", e, NULL);
		}
		uint64_t access = S_ISDIR(st.st_mode) ? rule->access : (rule->access & FS_FILE_RIGHTS);
		int rc = add_path(rs_b, access, fd);
		if (!rc)
			rc = add_path(rs_a, access, fd);
		if (rc) {
			(void)close(fd);
			return rc;
		}
		rc = close_checked(fd, "close");
		if (rc)
			return rc;
	}
	if (sup && sup->proc_read && rs_a >= 0) {
		uint64_t access = pl->fs & (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR);
		int fd = open_rule_path("/proc");
		if (fd < 0)
			return open_failed("/proc", errno);
		int rc = add_path(rs_a, access, fd);
		(void)close(fd);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < pl->n_ports; i++) {
		int rc = add_port(rs_b, pl->ports[i].access, pl->ports[i].port);
		if (!rc)
			rc = add_port(rs_a, pl->ports[i].access & net_a, pl->ports[i].port);
		if (rc)
			return rc;
	}
	return 0;
}

int build_rulesets(const struct plan *pl, const struct supervisor_rules *sup, int *rs_b, int *rs_a)
{
	*rs_b = -1;
	if (rs_a)
		*rs_a = -1;
	int rc = create_ruleset(pl, pl->fs, pl->net, pl->scoped, rs_b);
	uint64_t net_a = pl->net;
	if (!rc && sup) {
		if (sup->no_connect)
			net_a &= ~(uint64_t)LANDLOCK_ACCESS_NET_CONNECT_TCP;
		rc = create_ruleset(pl, pl->fs, net_a, pl->scoped, rs_a);
	}
	if (!rc)
		rc = add_rules(pl, *rs_b, sup ? *rs_a : -1, net_a, sup);
	if (rc) {
		if (*rs_b >= 0)
			(void)close(*rs_b);
		if (sup && *rs_a >= 0)
			(void)close(*rs_a);
		*rs_b = -1;
		if (rs_a)
			*rs_a = -1;
	}
	return rc;
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

int drop_capabilities(const struct plan *pl)
{
	if (!pl->drop_caps)
		return 0;
	int any = 0;
	int rc = permitted_capabilities(&any);
	if (!rc && any)
		rc = drop_all_capabilities();
	return rc;
}

int restrict_to(int rs, uint32_t flags)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1UL, 0UL, 0UL, 0UL) != 0) {
		int e = errno;
		if (rs >= 0)
			(void)close(rs);
		return setup_failed("prctl(PR_SET_NO_NEW_PRIVS)", e, NULL);
	}
	if (rs < 0)
		return 0;
	if (syscall(NR_landlock_restrict_self, rs, flags) != 0) {
		int e = errno;
		(void)close(rs);
		return setup_failed("landlock_restrict_self", e, e == E2BIG ? "more than 16 nested Landlock domains" : NULL);
	}
	return close_checked(rs, "close");
}

int apply_sandbox(const struct plan *pl)
{
	int rc = check_kernel_abi(pl);
	int rs = -1;
	if (!rc)
		rc = build_rulesets(pl, NULL, &rs, NULL);
	/* Capabilities go before the domain exists, while /proc is still readable. */
	if (!rc)
		rc = drop_capabilities(pl);
	if (rc) {
		if (rs >= 0)
			(void)close(rs);
		return rc;
	}
	rc = restrict_to(rs, pl->restrict_flags);
	if (rc)
		return rc;
	struct sock_filter prog[SECCOMP_MAX_INSNS];
	size_t n = plan_main_filter(pl, prog);
	if (pl->inet != INET_OFF && n == 0) {
		error_msg("sandbox setup failed, nothing was run: the seccomp program does not assemble");
		return EXIT_INTERNAL;
	}
	if (n > 0 && install_filter(prog, n, NULL) != 0)
		return setup_failed("seccomp(SECCOMP_SET_MODE_FILTER)", errno, NULL);
	return 0;
}
