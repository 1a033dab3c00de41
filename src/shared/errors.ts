// The few error classes of the project. They are thrown anywhere and caught only at the edges
// (cli/main, action/main, action/post, the launcher entry), which turn them into exit codes.

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
