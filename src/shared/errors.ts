// The project's error classes, and the one map from an error to an exit status. Errors are thrown
// anywhere and caught only at the edges (cli/main, shell/main, action/main and post), which log
// `describeError` and exit with `exitCodeFor`.

/** Bad command-line usage: unknown flag, missing value, empty command. Exit 2, nothing run. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A policy that cannot be compiled: missing path, bad port, garbage policy file. Exit 2. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}

/** The kernel cannot enforce what the invocation depends on (strict mode). Exit 2. */
export class UnsupportedKernelError extends Error {
  override readonly name = 'UnsupportedKernelError';
}

/** A compiled plan that a launcher cannot read (wire format). Exit 2, nothing run. */
export class WireError extends Error {
  override readonly name = 'WireError';
}

/** State written by an earlier step (shell mode) that cannot be used. Exit 2, nothing run. */
export class StateError extends Error {
  override readonly name = 'StateError';
}

/** A source of denial reports (audit records, strace) that cannot be used here, and why. */
export class ObservationError extends Error {
  override readonly name = 'ObservationError';
}

/** The supervisor could not run or could not do its job: the step fails closed. Exit 1. */
export class SupervisorError extends Error {
  override readonly name = 'SupervisorError';
}

/** The command cannot be executed: not found (127) or not executable under the policy (126). */
export class ExecError extends Error {
  override readonly name = 'ExecError';
  constructor(
    message: string,
    readonly exitCode: 126 | 127,
  ) {
    super(message);
  }
}

/** A syscall failed. Carries the call, errno and a hint for the user. */
export class SyscallError extends Error {
  override readonly name = 'SyscallError';
  constructor(
    readonly syscall: string,
    readonly errno: number,
    readonly errnoName: string,
    readonly hint?: string,
  ) {
    super(`${syscall} failed: ${errnoName}${hint ? ` (${hint})` : ''}`);
  }
}

export const EXIT = {
  usage: 2,
  internal: 1,
  cannotExecute: 126,
  notFound: 127,
} as const;

const isExecve = (e: SyscallError): boolean => e.syscall.startsWith('execve');

/** The exit status for an error that ended a run before (or instead of) the command. */
export function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError || e instanceof PolicyError || e instanceof UnsupportedKernelError || e instanceof WireError || e instanceof StateError) {
    return EXIT.usage;
  }
  if (e instanceof ExecError) return e.exitCode;
  if (e instanceof SyscallError && isExecve(e)) return e.errnoName === 'ENOENT' ? EXIT.notFound : EXIT.cannotExecute;
  return EXIT.internal;
}

/** What to tell the user: the message of a known error, the stack of an unexpected one. */
export function describeError(e: unknown): string {
  if (e instanceof SyscallError) {
    if (isExecve(e)) return `${e.message}${e.errnoName === 'EACCES' ? ': the sandbox does not allow executing it (see --add-exec / --rox)' : ''}`;
    return `sandbox setup failed, nothing was run: ${e.message}`;
  }
  if (e instanceof WireError) return `invalid plan: ${e.message}`;
  if (
    e instanceof UsageError ||
    e instanceof PolicyError ||
    e instanceof UnsupportedKernelError ||
    e instanceof StateError ||
    e instanceof ObservationError ||
    e instanceof SupervisorError ||
    e instanceof ExecError
  ) {
    return e.message;
  }
  return `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
}
