/*
 * The workflow-command filter (see workflow-commands.h and docs/adr/0008-workflow-commands.md).
 *
 * How the runner reads a step's output (actions/runner 2.336.0): StreamReader.ReadLine splits at
 * CR, LF and CRLF; each line is tried as a command twice. V2: after String.TrimStart() (Unicode
 * White_Space) the line starts with "::", the name runs to the first space inside the part that
 * ends at the next "::". V1 (legacy): the first "##[" anywhere in the line, the name runs to the
 * first space before the next ']'. Names compare OrdinalIgnoreCase. The prefix searches are
 * culture-sensitive (ICU), so the filter decides on a superset: it never misses a line the runner
 * would act on, and it may defuse a few lines the runner would only print.
 *
 * Defused forms: a V2 line gets "[landrun: defused] " right before its "::" (after the leading
 * white space, so TrimStart stops at '['); a V1 "##[" becomes "##\[" (no "##[" is left there).
 * add-mask's value is replaced by "***": the script asked for it to be hidden.
 */
#include "workflow-commands.h"

#include <stdint.h>
#include <string.h>

#define MARK "[landrun: defused] "

enum {
	C_SET_ENV, C_SET_OUTPUT, C_SAVE_STATE, C_ADD_PATH, C_ADD_MASK, C_ADD_MATCHER, C_REMOVE_MATCHER,
	C_WARNING, C_ERROR, C_NOTICE, C_DEBUG, C_GROUP, C_ENDGROUP, C_ECHO, C_STOP, C_INTERNAL,
	C_NBUILTIN,
	C_TOKEN = 100,     /* + index into tokens[] (WC_ALL) */
	C_STOPTOKEN = 200, /* the emulated stop token (WC_ANNOTATIONS) */
};

/* ActionCommandManager registers these (ExtensionManager.cs); internal-set-repo-path only for
 * runner plugins, defused all the same. */
static const char *const builtin[C_NBUILTIN] = {
	"set-env", "set-output", "save-state", "add-path", "add-mask", "add-matcher", "remove-matcher",
	"warning", "error", "notice", "debug", "group", "endgroup", "echo", "stop-commands",
	"internal-set-repo-path",
};
static const unsigned char builtin_len[C_NBUILTIN] = { 7, 10, 10, 8, 8, 11, 14, 7, 5, 6, 5, 5, 8, 4, 13, 22 };

enum { S_LEAD, S_LEAD_MB, S_COLON1, S_V2NAME, S_BODY, S_V1NAME, S_HOLD_TITLE, S_HOLD_EOL, S_DROP };
enum { A_PASS, A_DEFUSE, A_DROP, A_HOLD_TITLE, A_HOLD_EOL };
enum { R_PROPS, R_EOL, R_OVERFLOW };

static int lc(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lc((unsigned char)a[i]) != lc((unsigned char)b[i]))
			return 0;
	return 1;
}

static int is_annotation(int id) { return id == C_ERROR || id == C_WARNING || id == C_NOTICE; }

/* Bytes that can occur in a registered name. '#' and '[' are left out so that a name run never
 * swallows a nested "##[". */
static int name_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != ':' && c != ']' && c != '#' && c != '[';
}

/* Bytes allowed in a WC_ALL stop token: enough for GUIDs, hex, base64; nothing the runner could
 * read differently. */
static int token_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
	       c == '_' || c == '.' || c == '+' || c == '/' || c == '=' || c == '~';
}

/* --- the registered names ------------------------------------------------------------------- */

static int name_matches(const char *name, size_t len, const char *s, size_t n, int prefix)
{
	return (prefix ? len >= n : len == n) && ieq(name, s, n);
}

/* With prefix: 1 when some registered name starts with s[0..n). Without: the id of the name equal
 * to s[0..n), or -1. Called per byte of a name run, so it avoids strlen on the built-ins. */
static int lookup(const struct wc_filter *f, const char *s, size_t n, int prefix)
{
	for (int i = 0; i < C_NBUILTIN; i++)
		if (name_matches(builtin[i], builtin_len[i], s, n, prefix))
			return prefix ? 1 : i;
	if (f->mode == WC_ALL)
		for (int i = 0; i < f->ntokens; i++)
			if (name_matches(f->tokens[i], strlen(f->tokens[i]), s, n, prefix))
				return prefix ? 1 : C_TOKEN + i;
	if (f->mode == WC_ANNOTATIONS && f->stopped && !f->stop_unmatchable &&
	    name_matches(f->stop_token, f->stop_len, s, n, prefix))
		return prefix ? 1 : C_STOPTOKEN;
	return prefix ? 0 : -1;
}

/* --- output ----------------------------------------------------------------------------------- */

static void start_flush(struct wc_filter *f)
{
	const unsigned char *s = f->start;
	size_t n = f->start_len;
	f->started = 1;
	if (n == 0)
		return;
	/* StreamReader.DetectEncoding: FE FF, FF FE (UTF-16, or UTF-32 LE), 00 00 FE FF (UTF-32 BE)
	 * would switch the runner's decoder for the rest of the stream. */
	if ((n >= 2 && ((s[0] == 0xFE && s[1] == 0xFF) || (s[0] == 0xFF && s[1] == 0xFE))) ||
	    (n >= 4 && s[0] == 0 && s[1] == 0 && s[2] == 0xFE && s[3] == 0xFF)) {
		f->event(f->ctx, "byte-order-mark");
		f->emit(f->ctx, MARK, sizeof MARK - 1);
	}
	f->emit(f->ctx, (const char *)s, n);
}

static void raw_emit(struct wc_filter *f, const char *p, size_t n)
{
	if (n == 0)
		return;
	f->at_eol = p[n - 1] == '\n' || p[n - 1] == '\r';
	if (!f->started) {
		size_t take = 4 - f->start_len < n ? 4 - f->start_len : n;
		memcpy(f->start + f->start_len, p, take);
		f->start_len += take;
		p += take;
		n -= take;
		if (f->start_len < 4)
			return;
		start_flush(f);
		if (n == 0)
			return;
	}
	f->emit(f->ctx, p, n);
}

static void flush_pend(struct wc_filter *f)
{
	if (f->pend_len) {
		size_t n = f->pend_len;
		f->pend_len = 0;
		raw_emit(f, f->pend, n);
	}
}

/* Pass-through bytes: coalesced while they are contiguous in memory. */
static void pass(struct wc_filter *f, const char *p, size_t n)
{
	if (f->pend_len && f->pend + f->pend_len == p) {
		f->pend_len += n;
		return;
	}
	flush_pend(f);
	f->pend = p;
	f->pend_len = n;
}

static void out(struct wc_filter *f, const char *p, size_t n)
{
	flush_pend(f);
	raw_emit(f, p, n);
}

static void release(struct wc_filter *f)
{
	out(f, f->held, f->held_len);
	f->held_len = 0;
}

static void to_body(struct wc_filter *f)
{
	f->state = S_BODY;
	f->hashes = 0;
}

/* --- text classification ---------------------------------------------------------------------- */

/* held[0..n) begins with a lead byte: 1 when it is a whole White_Space character (or U+FEFF,
 * which StreamReader drops at a read's start), 0 when it is a proper prefix of one, -1 when not. */
static int ws_status(const unsigned char *s, size_t n)
{
	switch (s[0]) {
	case 0xC2: /* U+0085, U+00A0 */
		return n < 2 ? 0 : (s[1] == 0x85 || s[1] == 0xA0) ? 1 : -1;
	case 0xE1: /* U+1680 */
		if (n < 2) return 0;
		if (s[1] != 0x9A) return -1;
		return n < 3 ? 0 : s[2] == 0x80 ? 1 : -1;
	case 0xE2: /* U+2000..200A, 2028, 2029, 202F, 205F */
		if (n < 2) return 0;
		if (s[1] == 0x80) {
			if (n < 3) return 0;
			return (s[2] >= 0x80 && s[2] <= 0x8A) || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF ? 1 : -1;
		}
		if (s[1] == 0x81)
			return n < 3 ? 0 : s[2] == 0x9F ? 1 : -1;
		return -1;
	case 0xE3: /* U+3000 */
		if (n < 2) return 0;
		if (s[1] != 0x80) return -1;
		return n < 3 ? 0 : s[2] == 0x80 ? 1 : -1;
	case 0xEF: /* U+FEFF */
		if (n < 2) return 0;
		if (s[1] != 0xBB) return -1;
		return n < 3 ? 0 : s[2] == 0xBF ? 1 : -1;
	}
	return -1;
}

/* Strict UTF-8: the length of the character at s, or 0 when the bytes are not valid UTF-8. */
static size_t utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n >= 2 && s[0] >= 0xC2 && s[0] <= 0xDF && (s[1] & 0xC0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return 2;
	}
	if (n >= 3 && s[0] >= 0xE0 && s[0] <= 0xEF && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		return *cp >= 0x800 && (*cp < 0xD800 || *cp > 0xDFFF) ? 3 : 0;
	}
	if (n >= 4 && s[0] >= 0xF0 && s[0] <= 0xF4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	    (s[3] & 0xC0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 | (uint32_t)(s[2] & 0x3F) << 6 |
		      (s[3] & 0x3F);
		return *cp >= 0x10000 && *cp <= 0x10FFFF ? 4 : 0;
	}
	return 0;
}

/* Characters a reader does not see: C1 controls, White_Space and Default_Ignorable_Code_Point. */
static int invisible(uint32_t c)
{
	return (c >= 0x80 && c <= 0xA0) || c == 0xAD || c == 0x34F || c == 0x61C || c == 0x115F ||
	       c == 0x1160 || c == 0x1680 || c == 0x17B4 || c == 0x17B5 || (c >= 0x180B && c <= 0x180F) ||
	       (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F) ||
	       c == 0x3000 || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF || c == 0xFFA0 ||
	       (c >= 0xFFF0 && c <= 0xFFF8) || (c >= 0x1BCA0 && c <= 0x1BCA3) || (c >= 0x1D173 && c <= 0x1D17A) ||
	       (c >= 0xE0000 && c <= 0xE0FFF);
}

static size_t skip_blank(const char *s, size_t n, size_t j)
{
	while (j < n) {
		unsigned char c = (unsigned char)s[j];
		uint32_t cp;
		size_t k;
		if (c <= 0x20 || c == 0x7f)
			j++;
		else if (c == '%' && j + 2 < n && s[j + 1] == '0' && (lc((unsigned char)s[j + 2]) == 'a' || lc((unsigned char)s[j + 2]) == 'd'))
			j += 3; /* %0A, %0D: unescaped to LF, CR */
		else if (c >= 0x80 && (k = utf8_char((const unsigned char *)s + j, n - j, &cp)) && invisible(cp))
			j += k;
		else
			break;
	}
	return j;
}

/*
 * Does an annotation's property text set a title the Action reserves (one that starts with
 * "landrun", any case)? A superset of the runner's reading: any "title" key anywhere, blanks and
 * invisible characters around '=' and before the value skipped. Escapes cannot make letters, so
 * the raw text decides.
 */
static int title_reserved(const char *s, size_t n)
{
	for (size_t k = 0; k + 5 <= n; k++) {
		if (!ieq(s + k, "title", 5))
			continue;
		size_t j = skip_blank(s, n, k + 5);
		if (j >= n || s[j] != '=')
			continue;
		while (j < n && s[j] == '=')
			j = skip_blank(s, n, j + 1);
		if (n - j >= 7 && ieq(s + j, "landrun", 7))
			return 1;
	}
	return 0;
}

static const char *find2(const char *s, size_t n, char a, char b)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == a && s[i + 1] == b)
			return s + i;
	return NULL;
}

static int clean_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f) && s[i] != '\t')
			return 0;
	return 1;
}

/* String.Replace(from, to) for a one-byte replacement, in place. */
static void replace(char *s, size_t *n, const char *from, char to)
{
	size_t w = 0;
	for (size_t r = 0; r < *n;) {
		if (r + 3 <= *n && s[r] == from[0] && s[r + 1] == from[1] && s[r + 2] == from[2]) {
			s[w++] = to;
			r += 3;
		} else
			s[w++] = s[r++];
	}
	*n = w;
}

/* The stop token as the runner computes it: the data, unescaped in the runner's order. */
static void unescape(char *s, size_t *n, int v1)
{
	if (v1) {
		replace(s, n, "%3B", ';');
		replace(s, n, "%0D", '\r');
		replace(s, n, "%0A", '\n');
		replace(s, n, "%5D", ']');
	} else {
		replace(s, n, "%0D", '\r');
		replace(s, n, "%0A", '\n');
	}
	replace(s, n, "%25", '%');
}

/* ValidateStopToken: an empty token, a registered command or "pause-logging" make the runner throw. */
static int token_refused(const char *t, size_t n)
{
	if (n == 0 || (n == 13 && ieq(t, "pause-logging", 13)))
		return 1;
	for (int i = 0; i < C_NBUILTIN; i++)
		if (strlen(builtin[i]) == n && ieq(builtin[i], t, n))
			return 1;
	return 0;
}

/* --- decisions -------------------------------------------------------------------------------- */

static int policy(const struct wc_filter *f, int id)
{
	if (id >= C_TOKEN && id < C_TOKEN + WC_TOKENS_MAX)
		return A_HOLD_EOL; /* a resume line: see whether it surely resumes */
	if (id == C_STOPTOKEN)
		return A_HOLD_EOL;
	switch (f->mode) {
	case WC_NONE:
		return id == C_ADD_MASK ? A_DROP : A_DEFUSE;
	case WC_ANNOTATIONS:
		if (f->stopped)
			return id == C_ADD_MASK ? A_DROP : A_DEFUSE;
		if (is_annotation(id))
			return A_HOLD_TITLE;
		if (id == C_GROUP || id == C_ENDGROUP || id == C_DEBUG)
			return A_PASS;
		if (id == C_STOP)
			return A_HOLD_EOL;
		return id == C_ADD_MASK ? A_DROP : A_DEFUSE;
	case WC_ALL:
		if (is_annotation(id))
			return A_HOLD_TITLE;
		if (id == C_STOP)
			return A_HOLD_EOL;
		return A_PASS;
	}
	return A_DEFUSE;
}

static void defuse_prefix(struct wc_filter *f, int id, int v1, size_t prefix_len)
{
	flush_pend(f); /* events stay in order with the output (start_flush may report one) */
	f->event(f->ctx, id < C_NBUILTIN ? builtin[id] : "stop-commands");
	if (v1)
		out(f, "\\", 1);
	else
		out(f, MARK, sizeof MARK - 1);
	out(f, f->held, prefix_len);
}

/* A name run ended at a terminator: held is "::name" (V2) or "[name" (V1) of command id. */
static void command(struct wc_filter *f, int id, int v1)
{
	f->cmd = id;
	f->v1 = v1;
	f->name_end = f->held_len;
	switch (policy(f, id)) {
	case A_PASS:
		release(f);
		to_body(f);
		break;
	case A_DEFUSE:
		defuse_prefix(f, id, v1, f->held_len);
		f->held_len = 0;
		to_body(f);
		break;
	case A_DROP: /* add-mask: show that it was asked for, never the value */
		defuse_prefix(f, id, v1, f->held_len);
		if (v1)
			out(f, "]***", 4);
		else
			out(f, "::***", 5);
		f->held_len = 0;
		f->state = S_DROP;
		break;
	case A_HOLD_TITLE:
		f->state = S_HOLD_TITLE;
		break;
	case A_HOLD_EOL:
		f->state = S_HOLD_EOL;
		break;
	}
}

/* The stop-commands line held in full (or up to the limit). 1: defuse it. */
static int decide_stop(struct wc_filter *f, int reason)
{
	const char *rest = f->held + f->name_end;
	size_t rl = f->held_len - f->name_end;
	const char *data = NULL;
	if (reason == R_EOL) {
		const char *close = f->v1 ? memchr(rest, ']', rl) : find2(rest, rl, ':', ':');
		if (close)
			data = close + (f->v1 ? 1 : 2);
	}
	if (f->mode != WC_ALL) {
		/* The runner never sees it; the filter plays it instead (runner order: one token at a time). */
		if (f->mode == WC_ANNOTATIONS && !f->stopped) {
			if (reason == R_OVERFLOW) {
				f->stopped = 1;
				f->stop_unmatchable = 1;
			} else if (data) {
				char tok[WC_HOLD_MAX];
				size_t tl = (size_t)(f->held + f->held_len - data);
				memcpy(tok, data, tl);
				unescape(tok, &tl, f->v1);
				if (!token_refused(tok, tl)) {
					f->stopped = 1;
					f->stop_unmatchable = tl > WC_NAME_MAX;
					for (size_t i = 0; i < tl && !f->stop_unmatchable; i++)
						if (!name_char((unsigned char)tok[i]))
							f->stop_unmatchable = 1; /* no name run can equal it */
					if (!f->stop_unmatchable) {
						memcpy(f->stop_token, tok, tl);
						f->stop_token[tl] = 0;
						f->stop_len = tl;
					}
				}
			}
		}
		return 1;
	}
	/* WC_ALL: pass it only when the filter can resume it at the end, exactly as the runner reads it. */
	if (!data || !clean_ascii(f->held, f->held_len))
		return 1;
	size_t tl = (size_t)(f->held + f->held_len - data);
	if (tl == 0 || tl > WC_NAME_MAX || token_refused(data, tl))
		return 1;
	for (size_t i = 0; i < tl; i++)
		if (!token_char((unsigned char)data[i]))
			return 1;
	for (int i = 0; i < f->ntokens; i++)
		if (strlen(f->tokens[i]) == tl && ieq(f->tokens[i], data, tl))
			return 0;
	if (f->ntokens == WC_TOKENS_MAX)
		return 1;
	memcpy(f->tokens[f->ntokens], data, tl);
	f->tokens[f->ntokens][tl] = 0;
	f->ntokens++;
	return 0;
}

/* Would the runner surely parse this line as the V2 command it names (or resume with it)? */
static int surely_v2(const char *rest, size_t rl)
{
	if (rl >= 2 && rest[0] == ':' && rest[1] == ':')
		return 1;
	return rl >= 1 && rest[0] == ' ' && find2(rest, rl, ':', ':') != NULL;
}

static void scan(struct wc_filter *f, const char *p, size_t n);

/* Decides the held command; returns the length of the tail (held after the name) to scan again. */
static size_t decide(struct wc_filter *f, int reason)
{
	int id = f->cmd, v1 = f->v1, defuse = 0;
	size_t ne = f->name_end;
	const char *rest = f->held + ne;
	size_t rl = f->held_len - ne;

	if (is_annotation(id)) {
		if (reason == R_OVERFLOW)
			defuse = 1;
		else if (reason == R_PROPS)
			defuse = title_reserved(rest, v1 ? f->v1_end - ne : rl - 2);
		else
			defuse = !v1 && title_reserved(rest, rl); /* V1 without ']' is no command */
	} else if (id == C_STOP) {
		defuse = decide_stop(f, reason);
	} else if (id >= C_TOKEN && id < C_TOKEN + WC_TOKENS_MAX) {
		if (reason == R_EOL && !v1 && clean_ascii(f->held, f->held_len) && surely_v2(rest, rl)) {
			int k = id - C_TOKEN;
			memmove(f->tokens[k], f->tokens[k + 1], (size_t)(f->ntokens - k - 1) * sizeof f->tokens[0]);
			f->ntokens--;
		}
	} else if (id == C_STOPTOKEN) {
		if (reason == R_EOL && (v1 ? memchr(rest, ']', rl) != NULL : find2(rest, rl, ':', ':') != NULL))
			f->stopped = 0;
	}
	if (defuse)
		defuse_prefix(f, id, v1, ne);
	else
		out(f, f->held, ne);
	f->held_len = 0;
	to_body(f);
	return rl;
}

/* Decides the hold, then scans its tail again: it may hold more "##[" forms. At input level the
 * tail is copied out; inside such a rescan it is the last rl bytes just read, so the caller steps
 * back instead. */
static void decide_and_rescan(struct wc_filter *f, int reason)
{
	size_t ne = f->name_end;
	size_t rl = f->held_len - ne;
	char *tail = f->refeed;
	memcpy(tail, f->held + ne, rl);
	decide(f, reason);
	flush_pend(f);
	scan(f, tail, rl);
	flush_pend(f);
}

static const unsigned char body_special[256] = { ['\n'] = 1, ['\r'] = 1, ['#'] = 1 };
/* Bytes that S_LEAD does not pass straight to S_BODY (keep in step with case S_LEAD). */
static const unsigned char lead_special[256] = {
	['\n'] = 1, ['\r'] = 1, ['\t'] = 1, ['\v'] = 1, ['\f'] = 1, [' '] = 1, [':'] = 1, ['#'] = 1,
	[0xC2] = 1, [0xE1] = 1, [0xE2] = 1, [0xE3] = 1, [0xEF] = 1,
};

/* The first LF, CR or '#' in p[0..n), or n: sixteen bytes at a time where the compiler has GCC's
 * vector extensions (SSE2 on x86-64, NEON on aarch64; most of a log is plain text). */
#if defined(__GNUC__)
typedef unsigned char wc_v16 __attribute__((vector_size(16)));
#endif

static size_t plain_run(const char *p, size_t n)
{
	size_t i = 0;
#if defined(__GNUC__)
	const wc_v16 nl = { '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n' };
	const wc_v16 cr = nl + ('\r' - '\n'), hs = nl + ('#' - '\n');
	for (; i + 16 <= n; i += 16) {
		wc_v16 v, m;
		uint64_t lo, hi;
		memcpy(&v, p + i, 16);
		m = (wc_v16)((v == nl) | (v == cr) | (v == hs));
		memcpy(&lo, &m, 8);
		memcpy(&hi, (const char *)&m + 8, 8);
		if (lo | hi)
			break;
	}
#endif
	while (i < n && !body_special[(unsigned char)p[i]])
		i++;
	return i;
}

static void scan(struct wc_filter *f, const char *p, size_t n)
{
	const int rescan = p == f->refeed;
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)p[i];
		int eol = c == '\n' || c == '\r';
		switch (f->state) {
		case S_BODY:
			if (f->hashes == 0) {
				size_t j = i + plain_run(p + i, n - i);
				/* A line that starts with a byte LEAD would send straight to BODY is plain too. */
				while (j + 1 < n && p[j] == '\n' && !lead_special[(unsigned char)p[j + 1]])
					j += 1 + plain_run(p + j + 1, n - j - 1);
				if (j > i) {
					pass(f, p + i, j - i);
					i = j;
					continue;
				}
			}
			pass(f, p + i, 1);
			i++;
			if (eol) {
				f->state = S_LEAD;
				f->hashes = 0;
			} else if (c == '#') {
				if (f->hashes < 2)
					f->hashes++;
			} else if (c == '[' && f->hashes == 2) {
				f->pend_len--; /* hold the '[' instead */
				f->held[0] = '[';
				f->held_len = 1;
				f->hashes = 0;
				f->state = S_V1NAME;
			} else
				f->hashes = 0;
			continue;
		case S_DROP: {
			size_t j = i;
			while (j < n && p[j] != '\n' && p[j] != '\r')
				j++;
			i = j;
			if (i < n) {
				pass(f, p + i, 1);
				i++;
				f->state = S_LEAD;
			}
			continue;
		}
		case S_LEAD:
			if (eol || c == '\t' || c == '\v' || c == '\f' || c == ' ') {
				pass(f, p + i, 1);
				i++;
			} else if (c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3 || c == 0xEF) {
				f->held[0] = (char)c;
				f->held_len = 1;
				f->state = S_LEAD_MB;
				i++;
			} else if (c == ':') {
				f->held[0] = ':';
				f->held_len = 1;
				f->state = S_COLON1;
				i++;
			} else
				to_body(f);
			continue;
		case S_LEAD_MB: {
			f->held[f->held_len] = (char)c;
			int st = ws_status((const unsigned char *)f->held, f->held_len + 1);
			if (st < 0) { /* decoded as U+FFFD or another character: the line has started */
				release(f);
				to_body(f);
				continue;
			}
			f->held_len++;
			i++;
			if (st > 0) {
				release(f);
				f->state = S_LEAD;
			}
			continue;
		}
		case S_COLON1:
			if (c == ':') {
				f->held[f->held_len++] = ':';
				f->state = S_V2NAME;
				i++;
			} else {
				release(f);
				to_body(f);
			}
			continue;
		case S_V2NAME:
		case S_V1NAME: {
			int v1 = f->state == S_V1NAME;
			size_t off = v1 ? 1 : 2;
			const char *run = f->held + off;
			size_t rn = f->held_len - off;
			if (name_char(c)) {
				f->held[f->held_len] = (char)c;
				if (rn + 1 <= WC_NAME_MAX && lookup(f, run, rn + 1, 1)) {
					f->held_len++;
					i++;
					continue;
				}
				release(f);
				to_body(f);
				continue;
			}
			int id = eol ? -1 : lookup(f, run, rn, 0);
			int ends = v1 ? (c == ' ' || c == ']') : (c == ' ' || c == ':' || c < 0x21 || c > 0x7e);
			if (id < 0 || !ends) {
				release(f);
				to_body(f);
				continue;
			}
			command(f, id, v1);
			continue;
		}
		case S_HOLD_TITLE:
		case S_HOLD_EOL:
			if (eol || f->held_len == WC_HOLD_MAX) {
				int reason = eol ? R_EOL : R_OVERFLOW;
				if (rescan) { /* not reached: a rescan holds no line end and fits the buffer */
					size_t rl = decide(f, reason);
					i = rl <= i ? i - rl : i;
				} else
					decide_and_rescan(f, reason);
				continue;
			}
			if (f->state == S_HOLD_TITLE && !f->v1) {
				size_t hl = f->held_len;
				if (hl >= f->name_end + 2 && f->held[hl - 1] == ':' && f->held[hl - 2] == ':' &&
				    (unsigned char)f->held[hl - 3] < 0x80 && c < 0x80) {
					/* the properties end here, unless ICU could join the colons to a neighbour */
					if (rescan) {
						size_t rl = decide(f, R_PROPS);
						i -= rl;
					} else
						decide_and_rescan(f, R_PROPS);
					continue;
				}
			}
			f->held[f->held_len++] = (char)c;
			i++;
			if (f->state == S_HOLD_TITLE && f->v1 && c == ']') {
				f->v1_end = f->held_len - 1;
				if (rescan) {
					size_t rl = decide(f, R_PROPS);
					i -= rl;
				} else
					decide_and_rescan(f, R_PROPS);
			}
			continue;
		}
	}
}

/* --- the interface ----------------------------------------------------------------------------- */

void wc_init(struct wc_filter *f, enum wc_mode mode)
{
	memset(f, 0, offsetof(struct wc_filter, held));
	f->mode = mode;
	f->state = S_LEAD;
	f->held_len = 0;
	f->name_end = f->v1_end = 0;
	f->cmd = f->v1 = f->hashes = 0;
	f->start_len = 0;
	f->started = 0;
	f->at_eol = 1;
	f->stopped = f->stop_unmatchable = 0;
	f->stop_len = 0;
	f->stop_token[0] = 0;
	f->ntokens = 0;
	f->emit = NULL;
	f->event = NULL;
	f->ctx = NULL;
	f->pend = NULL;
	f->pend_len = 0;
}

void wc_feed(struct wc_filter *f, const char *buf, size_t len, wc_emit_fn emit, wc_event_fn event, void *ctx)
{
	f->emit = emit;
	f->event = event;
	f->ctx = ctx;
	scan(f, buf, len);
	flush_pend(f);
}

void wc_finish(struct wc_filter *f, wc_emit_fn emit, wc_event_fn event, void *ctx)
{
	f->emit = emit;
	f->event = event;
	f->ctx = ctx;
	/* The end of the stream ends the last line (ReadLine returns it). */
	for (;;) {
		if (f->state == S_HOLD_TITLE || f->state == S_HOLD_EOL)
			decide_and_rescan(f, R_EOL);
		else if (f->state == S_LEAD_MB || f->state == S_COLON1 || f->state == S_V2NAME || f->state == S_V1NAME) {
			release(f);
			to_body(f);
		} else
			break;
	}
	flush_pend(f);
	if (!f->started)
		start_flush(f);
	if (f->mode == WC_ALL && f->ntokens) {
		/* Resume what the script stopped, so that whatever follows on this stream (the Action's own
		 * annotations) is acted on again. A token that is not active is printed as text. */
		if (!f->at_eol)
			raw_emit(f, "\n", 1);
		for (int i = 0; i < f->ntokens; i++) {
			raw_emit(f, "::", 2);
			raw_emit(f, f->tokens[i], strlen(f->tokens[i]));
			raw_emit(f, "::\n", 3);
		}
		f->ntokens = 0;
	}
	f->state = S_LEAD;
}
