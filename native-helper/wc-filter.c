/*
 * wc-filter: a test and benchmark driver for the workflow-command filter.
 *
 *   wc-filter MODE [--chunk N | --random-chunks SEED]
 *       stdin -> filter -> stdout, live: every read is fed at once, in pieces of at most N bytes
 *       (or of random sizes from 1 to 64), and what it emits is written before the next read.
 *       One line "defused NAME" per event on stderr.
 *   wc-filter --batch
 *       Many cases in one process (for property tests). stdin holds records
 *         mode byte ('a' all, 'n' annotations, 'x' none), u32 seed, u32 length, the bytes
 *       (little endian; seed 0 feeds the case in one piece, a seed with the top bit set in two
 *       pieces split at the offset in the other 31 bits, any other seed in random pieces); stdout
 *       gets, per record: u32 length, the output, u32 length, the event names each ending in '\n'.
 *
 * MODE is all, annotations or none. Not part of the product: landlock-exec links the filter itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workflow-commands.h"

struct sink {
	char *buf;
	size_t len, cap;
	int fd; /* >= 0: flush to this descriptor when full */
};

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			exit(1);
		}
		p += w;
		n -= (size_t)w;
	}
}

static void sink_put(struct sink *s, const char *p, size_t n)
{
	if (s->len + n > s->cap) {
		if (s->fd >= 0) {
			write_all(s->fd, s->buf, s->len);
			s->len = 0;
		}
		if (n > s->cap || s->fd < 0) {
			while (s->len + n > s->cap)
				s->cap = s->cap ? s->cap * 2 : 65536;
			s->buf = realloc(s->buf, s->cap);
			if (!s->buf)
				exit(1);
		}
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

static void sink_flush(struct sink *s)
{
	if (s->fd >= 0 && s->len) {
		write_all(s->fd, s->buf, s->len);
		s->len = 0;
	}
}

struct out {
	struct sink data, events;
	int live_events;
};

static void on_emit(void *ctx, const char *buf, size_t len)
{
	struct sink *s = &((struct out *)ctx)->data;
	if (s->fd >= 0 && len >= 4096) { /* a big pass-through run: no copy */
		sink_flush(s);
		write_all(s->fd, buf, len);
		return;
	}
	sink_put(s, buf, len);
}

static void on_event(void *ctx, const char *name)
{
	struct out *o = ctx;
	if (o->live_events) {
		char line[WC_NAME_MAX + 16];
		int n = snprintf(line, sizeof line, "defused %s\n", name);
		write_all(2, line, (size_t)n);
	} else {
		sink_put(&o->events, name, strlen(name));
		sink_put(&o->events, "\n", 1);
	}
}

static uint32_t next_rand(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 16;
}

static void feed(struct wc_filter *f, const char *p, size_t n, size_t chunk, uint32_t *seed, struct out *o)
{
	if (seed && (*seed & 0x80000000u)) {
		size_t at = *seed & 0x7fffffffu;
		if (at > n)
			at = n;
		if (at)
			wc_feed(f, p, at, on_emit, on_event, o);
		if (n - at)
			wc_feed(f, p + at, n - at, on_emit, on_event, o);
		return;
	}
	while (n) {
		size_t k = seed ? 1 + next_rand(seed) % 64 : chunk;
		if (k > n)
			k = n;
		wc_feed(f, p, k, on_emit, on_event, o);
		p += k;
		n -= k;
	}
}

static int parse_mode(const char *s, enum wc_mode *m)
{
	if (!strcmp(s, "all"))
		*m = WC_ALL;
	else if (!strcmp(s, "annotations"))
		*m = WC_ANNOTATIONS;
	else if (!strcmp(s, "none"))
		*m = WC_NONE;
	else
		return -1;
	return 0;
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_u32(struct sink *s, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16), (unsigned char)(v >> 24) };
	sink_put(s, (const char *)b, 4);
}

static int batch(void)
{
	static struct wc_filter f;
	struct sink in = { .fd = -1 };
	char tmp[65536];
	ssize_t r;
	while ((r = read(0, tmp, sizeof tmp)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		sink_put(&in, tmp, (size_t)r);
	}
	struct sink result = { .fd = 1 };
	struct out o = { .data = { .fd = -1 }, .events = { .fd = -1 } };
	size_t pos = 0;
	while (pos + 9 <= in.len) {
		const unsigned char *h = (const unsigned char *)in.buf + pos;
		enum wc_mode m = h[0] == 'a' ? WC_ALL : h[0] == 'n' ? WC_ANNOTATIONS : WC_NONE;
		uint32_t seed = get_u32(h + 1), len = get_u32(h + 5);
		pos += 9;
		if (pos + len > in.len)
			return 2;
		o.data.len = o.events.len = 0;
		wc_init(&f, m);
		feed(&f, in.buf + pos, len, len ? len : 1, seed ? &seed : NULL, &o);
		wc_finish(&f, on_emit, on_event, &o);
		pos += len;
		put_u32(&result, (uint32_t)o.data.len);
		sink_put(&result, o.data.buf ? o.data.buf : "", o.data.len);
		put_u32(&result, (uint32_t)o.events.len);
		sink_put(&result, o.events.buf ? o.events.buf : "", o.events.len);
	}
	sink_flush(&result);
	return 0;
}

int main(int argc, char **argv)
{
	static struct wc_filter f;
	enum wc_mode mode;
	size_t chunk = 1 << 20;
	uint32_t seed = 0;
	int random = 0;

	if (argc == 2 && !strcmp(argv[1], "--batch"))
		return batch();
	if (argc < 2 || parse_mode(argv[1], &mode) < 0) {
		fprintf(stderr, "usage: wc-filter all|annotations|none [--chunk N | --random-chunks SEED] | wc-filter --batch\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--chunk") && i + 1 < argc && atol(argv[i + 1]) > 0)
			chunk = (size_t)atol(argv[++i]);
		else if (!strcmp(argv[i], "--random-chunks") && i + 1 < argc) {
			seed = (uint32_t)strtoul(argv[++i], NULL, 10) | 1u;
			random = 1;
		} else {
			fprintf(stderr, "wc-filter: unknown argument '%s'\n", argv[i]);
			return 2;
		}
	}

	static char buf[1 << 17]; /* as cat reads */
	struct out o = { .data = { .fd = 1, .cap = sizeof buf + 4096 }, .live_events = 1 };
	o.data.buf = malloc(o.data.cap);
	if (!o.data.buf)
		return 1;
	wc_init(&f, mode);
	for (;;) {
		ssize_t r = read(0, buf, sizeof buf);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			perror("wc-filter: read");
			return 1;
		}
		if (r == 0)
			break;
		feed(&f, buf, (size_t)r, chunk, random ? &seed : NULL, &o);
		sink_flush(&o.data); /* live: what was decided goes out before the next read */
	}
	wc_finish(&f, on_emit, on_event, &o);
	sink_flush(&o.data);
	return 0;
}
