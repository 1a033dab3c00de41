/*
 * A stand-in for workflow-commands.c while that filter is built elsewhere: every byte passes,
 * nothing is defused. Only `make WC_PASSTHROUGH=1` links it; the shipped build (`make dist`,
 * npm run package) refuses it.
 */
#include "workflow-commands.h"

#include <string.h>

void wc_init(struct wc_filter *f, enum wc_mode mode)
{
	memset(f, 0, sizeof *f);
	f->mode = mode;
}

void wc_feed(struct wc_filter *f, const char *buf, size_t len, wc_emit_fn emit, wc_event_fn event, void *ctx)
{
	(void)f;
	(void)event;
	if (len > 0)
		emit(ctx, buf, len);
}

void wc_finish(struct wc_filter *f, wc_emit_fn emit, wc_event_fn event, void *ctx)
{
	(void)f;
	(void)emit;
	(void)event;
	(void)ctx;
}
