/* The command: found before the sandbox exists (the lookup itself may be denied after), then
 * executed with the stdio and signal state a fresh process expects. */
#include "command.h"
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"

enum lookup { FOUND, NOT_EXECUTABLE, NOT_FOUND };

static enum lookup check_candidate(const char *c)
{
	struct stat st;
	if (stat(c, &st) != 0)
		return NOT_FOUND;
	if (!S_ISREG(st.st_mode) || access(c, X_OK) != 0)
		return NOT_EXECUTABLE;
	return FOUND;
}

static int cannot_execute(const char *name, const char *path)
{
	struct line l;
	line_start(&l);
	line_puts(&l, "cannot execute ");
	line_quoted(&l, name, '\'');
	line_puts(&l, ": ");
	line_quoted(&l, path, '\'');
	line_puts(&l, " is not an executable file");
	line_flush(&l, 2);
	return EXIT_CANNOT_EXECUTE;
}

int resolve_command(const char *name, const char **out)
{
	static char found[PATH_MAX];
	const char *path_env = getenv("PATH");
	struct line l;
	if (strchr(name, '/')) {
		enum lookup v = check_candidate(name);
		if (v == FOUND) {
			*out = name;
			return 0;
		}
		if (v == NOT_EXECUTABLE)
			return cannot_execute(name, name);
	} else {
		char first_bad[PATH_MAX];
		first_bad[0] = '\0';
		for (const char *seg = path_env ? path_env : DEFAULT_PATH;;) {
			const char *colon = strchr(seg, ':');
			int dlen = (int)(colon ? (size_t)(colon - seg) : strlen(seg));
			char cand[PATH_MAX];
			int n = dlen ? snprintf(cand, sizeof cand, "%.*s/%s", dlen, seg, name)
				     : snprintf(cand, sizeof cand, "./%s", name);
			/* A candidate longer than PATH_MAX could not be executed anyway: skip it, as execvp. */
			if (n > 0 && (size_t)n < sizeof cand) {
				enum lookup v = check_candidate(cand);
				if (v == FOUND) {
					memcpy(found, cand, (size_t)n + 1);
					*out = found;
					return 0;
				}
				if (v == NOT_EXECUTABLE && !first_bad[0])
					memcpy(first_bad, cand, (size_t)n + 1);
			}
			if (!colon)
				break;
			seg = colon + 1;
		}
		if (first_bad[0])
			return cannot_execute(name, first_bad);
	}
	line_start(&l);
	line_puts(&l, "command not found: ");
	line_quoted(&l, name, '\'');
	if (strchr(name, '/'))
		line_puts(&l, " does not exist");
	else if (path_env)
		line_printf(&l, " is not in PATH (%s)", path_env);
	else
		line_puts(&l, " is not in PATH (unset, searched " DEFAULT_PATH ")");
	line_flush(&l, 2);
	return EXIT_NOT_FOUND;
}


int prepare_stdio_and_signals(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int flags = fcntl(fd, F_GETFD);
		if (flags < 0)
			continue; /* not open: nothing to keep */
		if ((flags & FD_CLOEXEC) && fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) != 0)
			return setup_failed("fcntl(F_SETFD)", errno, NULL);
	}
	if (signal(SIGPIPE, SIG_DFL) == SIG_ERR)
		return setup_failed("signal(SIGPIPE)", errno, NULL);
	if (signal(SIGXFSZ, SIG_DFL) == SIG_ERR)
		return setup_failed("signal(SIGXFSZ)", errno, NULL);
	sigset_t none;
	if (sigemptyset(&none) != 0 || sigprocmask(SIG_SETMASK, &none, NULL) != 0)
		return setup_failed("sigprocmask", errno, NULL);
	return 0;
}

int exec_command(const char *path, char *const argv[], char *const envp[])
{
	execve(path, argv, envp);
	int e = errno;
	struct line l;
	line_start(&l);
	line_puts(&l, "execve(");
	line_quoted(&l, path, '"');
	line_puts(&l, ") failed: ");
	line_errno(&l, e);
	if (e == EACCES)
		line_puts(&l, ": the sandbox does not allow executing it");
	line_flush(&l, 2);
	return e == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE;
}
