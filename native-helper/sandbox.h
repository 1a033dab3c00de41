/* Enforcement: rulesets, capabilities, no_new_privs, restrict_self (src/landlock/enforce.ts). */
#ifndef LANDRUN_SANDBOX_H
#define LANDRUN_SANDBOX_H

#include <stdint.h>

#include "plan.h"

/* What the supervisor's own ruleset A adds to or removes from the plan (B). */
struct supervisor_rules {
	int proc_read;   /* read /proc: thread ids to processes where pidfds cannot name threads */
	int no_connect;  /* loopback mode: the supervisor makes the loopback connects itself */
};

/* Probes the kernel's ABI and refuses a plan written for a newer one. 0 or an exit status. */
int check_kernel_abi(const struct plan *pl);

/*
 * Builds the command's ruleset (the plan exactly) into *rs_b and, when `sup` is given, the
 * supervisor's ruleset A into *rs_a, from one set of O_PATH descriptors. A holds every right of
 * B (A >= B), so a domain nested below A with B has exactly B's rights. An fd is -1 when that
 * ruleset would handle nothing (no domain). 0 or an exit status.
 */
int build_rulesets(const struct plan *pl, const struct supervisor_rules *sup, int *rs_b, int *rs_a);

/* Drops every capability when the plan says so and any is held. 0 or an exit status. */
int drop_capabilities(const struct plan *pl);

/* no_new_privs, then landlock_restrict_self(rs, flags) unless rs is -1; closes rs. */
int restrict_to(int rs, uint32_t flags);

/* The plain path: the plan's ruleset on this process, then the main seccomp filter. */
int apply_sandbox(const struct plan *pl);

#endif
