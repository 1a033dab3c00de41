#ifndef LANDRUN_COMMAND_H
#define LANDRUN_COMMAND_H

/*
 * execvp-like lookup, as resolveCommand in src/exec/command.ts: a name with a slash is used as
 * is; otherwise each PATH entry (empty = current directory) is tried in order, and the first
 * regular executable file wins. Returns 0 with the path in *out (the name itself, or a static
 * buffer), or an exit status (126, 127) after printing why.
 */
int resolve_command(const char *name, const char **out);

/* What a parent may leave behind and the command would inherit: close-on-exec stdio, ignored
 * SIGPIPE/SIGXFSZ (ignores survive execve), blocked signals. 0, or an exit status. */
int prepare_stdio_and_signals(void);

/* execve, and when it fails the message and exit status (127 not found, 126 otherwise). */
int exec_command(const char *path, char *const argv[], char *const envp[]);

#endif
