/*
 * A streaming filter for GitHub Actions workflow commands in a sandboxed script's output.
 *
 * The runner acts on commands it finds in a step's stdout and stderr (`::set-output`,
 * `::save-state`, `::stop-commands::TOKEN`, `::add-mask::`, ...). A sandboxed script must not be
 * able to forge the Action's outputs, write its state, mask the log or silence the Action's own
 * annotations, so the supervisor passes the script's output through this filter: line by line,
 * live, byte for byte, except that a line the runner would act on and that the mode does not allow
 * is "defused" (printed so that the runner shows it as text and does not act on it). The rules
 * and the reasons are in docs/adr/0008-workflow-commands.md.
 *
 * One filter per stream (stdout, stderr). Pure: no I/O, no allocation; the caller feeds bytes as
 * they arrive and receives output bytes and events through callbacks.
 *
 * Contract for the caller (the supervisor):
 *  - Keep the two streams apart. Never interleave the outputs of two filters on one descriptor
 *    except at line boundaries: a line start decided by one filter could otherwise land in the
 *    middle of the other's line, or the other way round.
 *  - Write the bytes of one emit call with one write(2), in order (merging consecutive emit calls
 *    into one write is fine; splitting the FIRST emit call of a stream is not). The first emit of a
 *    stream carries at least 4 bytes (or everything, at the end of a short stream), so that the
 *    runner's first read of the pipe ends its byte-order-mark detection (.NET's StreamReader looks
 *    for a BOM in every read until one read has 3 bytes or more).
 *  - Call wc_finish at the end of the stream (EOF on the pipe), before the caller itself prints
 *    anything more on that descriptor: it flushes an unterminated last line and, in WC_ALL mode,
 *    prints the resume line of every stop-commands token the script left active.
 *  - An unterminated last line stays unterminated (byte for byte). A caller that prints more on
 *    the descriptor must end it first, or the runner reads the caller's first line as the rest of
 *    the script's (the supervisor's --end-last-line does this).
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
/*
 * Something was defused. `name` is NUL-terminated, lower-case ASCII, at most WC_NAME_MAX bytes,
 * and always one of a fixed list, so it is safe to print anywhere (a job summary, a report line):
 * the runner's command names "set-env", "set-output", "save-state", "add-path", "add-mask",
 * "add-matcher", "remove-matcher", "warning", "error", "notice", "debug", "group", "endgroup",
 * "echo", "stop-commands", "internal-set-repo-path", or "byte-order-mark" (the stream began with a
 * UTF-16/UTF-32 byte-order mark, which would switch the runner's decoder).
 */
typedef void (*wc_event_fn)(void *ctx, const char *name);

#define WC_NAME_MAX 64
/* How much of a line may be held back while it is undecided (a command's name, an annotation's
 * properties up to their closing `::`, a stop-commands line). Beyond this the line is decided as a
 * command and defused; ordinary lines are never held. */
#define WC_HOLD_MAX 16384
/* WC_ALL mode: how many distinct stop-commands tokens one stream may use; further stop-commands
 * lines are defused. */
#define WC_TOKENS_MAX 16

struct wc_filter {
	enum wc_mode mode;
	/* Everything below is private. */
	int state;
	size_t held_len;
	char held[WC_HOLD_MAX];   /* the undecided part of the current line */
	char refeed[WC_HOLD_MAX]; /* a decided hold whose tail is scanned again */
	size_t name_end;          /* held[0..name_end) is "::name" or "[name" */
	size_t v1_end;            /* WC_ALL, V1 hold: offset of the ']' */
	int cmd;                  /* the command being held */
	int v1;                   /* the held command is in the legacy ##[name] form */
	int hashes;               /* '#' bytes just seen (capped at 2) */
	unsigned char start[4];   /* the first bytes of the stream, until there are 4 */
	size_t start_len;
	int started;
	int at_eol;               /* the last byte emitted ended a line (or nothing was emitted) */
	/* WC_ANNOTATIONS: the filter plays stop-commands itself (the runner never sees it). */
	int stopped;
	int stop_unmatchable;     /* the token can never be matched (too long, CR, LF, space) */
	size_t stop_len;
	char stop_token[WC_NAME_MAX + 1];
	/* WC_ALL: stop-commands tokens passed to the runner and not surely resumed since. */
	char tokens[WC_TOKENS_MAX][WC_NAME_MAX + 1];
	int ntokens;
	/* The callbacks of the current wc_feed / wc_finish call. */
	wc_emit_fn emit;
	wc_event_fn event;
	void *ctx;
	const char *pend;         /* pass-through bytes not yet emitted (contiguous) */
	size_t pend_len;
};

void wc_init(struct wc_filter *f, enum wc_mode mode);
/* Feeds `len` bytes. Emits every byte that is decided, immediately. */
void wc_feed(struct wc_filter *f, const char *buf, size_t len, wc_emit_fn emit, wc_event_fn event, void *ctx);
/* End of the stream: decides and emits whatever is held (an unterminated last line) and, in
 * WC_ALL mode, a "::TOKEN::" line for each stop-commands token still active. */
void wc_finish(struct wc_filter *f, wc_emit_fn emit, wc_event_fn event, void *ctx);

#endif
