/*
 * A streaming filter for GitHub Actions workflow commands in a sandboxed script's output.
 *
 * The runner acts on commands it finds in a step's stdout and stderr (`::set-output`,
 * `::save-state`, `::stop-commands::TOKEN`, `::add-mask::`, ...). A sandboxed script must not be
 * able to forge the Action's outputs, write its state, mask the log or silence the Action's own
 * annotations, so the supervisor passes the script's output through this filter: line by line,
 * live, byte for byte, except that a line the runner would act on and that the mode does not allow
 * is "defused" (printed so that the runner shows it as text and does not act on it).
 *
 * One filter per stream (stdout, stderr). Pure: no I/O, no allocation after wc_init; the caller
 * feeds bytes as they arrive and receives output bytes and events through callbacks.
 */
#ifndef LANDRUN_WORKFLOW_COMMANDS_H
#define LANDRUN_WORKFLOW_COMMANDS_H

#include <stddef.h>

enum wc_mode {
	WC_ALL,         /* every command passes (reserved titles are still defused) */
	WC_ANNOTATIONS, /* error, warning, notice, group, endgroup, debug pass; the rest is defused */
	WC_NONE,        /* every command is defused */
};

/* Output bytes, in order. Called with len > 0. */
typedef void (*wc_emit_fn)(void *ctx, const char *buf, size_t len);
/* A command was defused; `name` is the command's name as the runner would read it
 * (NUL-terminated, at most WC_NAME_MAX bytes, lower-cased), e.g. "set-output". */
typedef void (*wc_event_fn)(void *ctx, const char *name);

#define WC_NAME_MAX 64
/* How much of a line's start may be held back while it is undecided (leading whitespace, a
 * command's name and properties). Beyond this the line is decided as if it were a command. */
#define WC_HOLD_MAX 65536

struct wc_filter {
	enum wc_mode mode;
	int state;                 /* private */
	size_t held_len;           /* private */
	char held[WC_HOLD_MAX];    /* private: the undecided start of the current line */
	/* 'all' mode: stop-commands tokens seen and not yet resumed, so that the supervisor can
	 * resume them when the script ends (the Action's own annotations must not stay silenced). */
	char tokens[16][WC_NAME_MAX + 1];
	int ntokens;
};

void wc_init(struct wc_filter *f, enum wc_mode mode);
/* Feeds `len` bytes. Emits every byte that is decided, immediately. */
void wc_feed(struct wc_filter *f, const char *buf, size_t len, wc_emit_fn emit, wc_event_fn event, void *ctx);
/* End of the stream: decides and emits whatever is held (an unterminated last line). */
void wc_finish(struct wc_filter *f, wc_emit_fn emit, wc_event_fn event, void *ctx);

#endif
