// The port between the enforcement sequence and the kernel. syscalls.ts implements it with koffi;
// tests use a recording fake.
import type { Arch } from './seccomp.js';

export interface RulesetAttr {
  readonly fs: number;
  readonly net: number;
  readonly scoped: number;
}

export interface Kernel {
  readonly arch: Arch;
  /** Landlock ABI version; 0 when the kernel has no Landlock or it is not enabled at boot. */
  abiVersion(): number;
  /** Why abiVersion() returned 0, for the report. */
  unavailableReason(): string | undefined;
  errata(): number;
  /** open(path, O_PATH | O_CLOEXEC); throws SyscallError. */
  openPath(path: string): number;
  isDirectoryFd(fd: number): boolean;
  close(fd: number): void;
  createRuleset(attr: RulesetAttr, size: number): number;
  addPathRule(rulesetFd: number, access: number, parentFd: number): void;
  addNetRule(rulesetFd: number, access: number, port: number): void;
  setNoNewPrivs(): void;
  restrictSelf(rulesetFd: number, flags: number): void;
  installSeccomp(filter: Uint8Array, instructions: number): void;
  /** Capabilities in the permitted set (0n for an unprivileged process). */
  permittedCapabilities(): bigint;
  dropAllCapabilities(): void;
  /** Undo what Node does to its own process and children would inherit: close-on-exec stdio,
   *  ignored SIGPIPE/SIGXFSZ, blocked signals. */
  prepareStdioAndSignals(): void;
  /** Replaces the process image; only returns by throwing SyscallError. */
  execve(path: string, argv: readonly string[], envp: readonly string[]): never;
  /** _exit(2): ends the process now, without running Node's event loop or exit handlers again. */
  exit(code: number): never;
}
