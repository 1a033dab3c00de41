/* --supervise: the single-threaded supervisor (docs/adr/0007-native-supervisor.md). */
#ifndef LANDRUN_SUPERVISE_H
#define LANDRUN_SUPERVISE_H

#include "common.h"
#include "plan.h"

struct supervise_opts {
	int report_fd;  /* -1: no report */
	int control_fd; /* -1: no control pipe */
	int new_pgrp;   /* the command gets a process group of its own */
	int wc_mode;    /* an enum wc_mode, or -1: the command writes to our stdout/stderr itself */
	int end_last_line; /* with wc_mode: a stream that ends inside a line gets a newline (the caller prints next) */
};

/* Never returns when the command dies by a signal (raised again); else its exit status. */
int supervise(const struct plan *pl, const char *path, char *const argv[], char *const envp[],
	      const struct supervise_opts *o);

/* A report line (without the newline) to the caller's report fd, if there is one. */
void report_flush(struct line *l);
/* `error TEXT` on the report fd, and the same text on stderr. */
void report_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
