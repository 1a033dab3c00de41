/* The plan: the wire format written by src/launch/wire.ts (`landrun --save-plan`). */
#ifndef LANDRUN_PLAN_H
#define LANDRUN_PLAN_H

#include <stddef.h>
#include <stdint.h>

#define PLAN_WIRE_VERSION 2

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
	int keyring_allow; /* keyctl/add_key/request_key stay allowed */
	int loopback;      /* connects to loopback addresses are made by the supervisor */
	size_t n_paths, n_ports, n_args, n_env;
	struct path_rule *paths;
	struct port_rule *ports;
	const char *exec_path; /* NULL: the command comes from argv */
	const char **argv;     /* n_args entries + NULL */
	const char **envp;     /* n_env entries + NULL */
};

/* Reads a whole file descriptor (at most 64 MiB) into a malloc'd buffer. 0 or an errno value. */
int read_all(int fd, char **out, size_t *out_len);

/*
 * Parses the wire format in place (fields point into buf). Accepts exactly what decodePlan in
 * src/launch/wire.ts accepts. Returns 0, or EXIT_USAGE after printing why.
 */
int parse_plan(char *buf, size_t len, struct plan *pl);

/* sizeof(struct landlock_ruleset_attr) that carries every field the plan's ABI knows. */
size_t attr_size(uint32_t abi);

/* The signal scope is in force only when the kernel is handed the scoped field (ABI 6+): a
 * hand-made plan claiming it below ABI 6 must not make anyone rely on it. */
int plan_signal_scoped(const struct plan *pl);

/* Landlock rules TCP connect in the script's domain: the plan's ABI has TCP rules (4+) and the
 * plan handles net.connect_tcp. Then a connect the supervisor lets through is still checked
 * against the granted ports by the kernel. */
int plan_connect_ruled(const struct plan *pl);

/* Whether `port` is granted net.connect_tcp by a port rule. */
int plan_connect_granted(const struct plan *pl, uint32_t port);

#endif
