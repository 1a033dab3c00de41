// A Kernel that records every call instead of making it, so the enforcement sequence (what is
// called, in which order, with which values) is tested without a kernel.
import type { Kernel, RulesetAttr } from '../../src/landlock/kernel.js';
import { SyscallError } from '../../src/shared/errors.js';

export type KernelCall =
  | { call: 'createRuleset'; attr: RulesetAttr; size: number }
  | { call: 'openPath'; path: string }
  | { call: 'addPathRule'; access: number; path: string }
  | { call: 'addNetRule'; access: number; port: number }
  | { call: 'close'; fd: number }
  | { call: 'dropAllCapabilities' }
  | { call: 'setNoNewPrivs' }
  | { call: 'restrictSelf'; flags: number }
  | { call: 'installSeccomp'; instructions: number }
  | { call: 'prepareStdioAndSignals' }
  | { call: 'execve'; path: string; argv: readonly string[]; envp: readonly string[] }
  | { call: 'exit'; code: number };

export interface FakeKernel extends Kernel {
  readonly calls: KernelCall[];
}

/** `execveErrno`: execve fails with this errno (a SyscallError), as a real one can after the sandbox is on. */
export function createFakeKernel(opts: { abi?: number; dirs?: readonly string[]; capabilities?: bigint; execveErrno?: [number, string] } = {}): FakeKernel {
  const calls: KernelCall[] = [];
  let replaced = false;
  const dirs = new Set(opts.dirs ?? []);
  const fds = new Map<number, string>();
  let next = 10;
  return {
    calls,
    arch: 'x64',
    abiVersion: () => opts.abi ?? 7,
    unavailableReason: () => undefined,
    errata: () => 0,
    openPath(path) {
      calls.push({ call: 'openPath', path });
      const fd = next++;
      fds.set(fd, path);
      return fd;
    },
    isDirectoryFd: (fd) => dirs.has(fds.get(fd) ?? ''),
    close(fd) {
      calls.push({ call: 'close', fd });
    },
    createRuleset(attr, size) {
      calls.push({ call: 'createRuleset', attr, size });
      return 3;
    },
    addPathRule(_ruleset, access, parentFd) {
      calls.push({ call: 'addPathRule', access, path: fds.get(parentFd) ?? '?' });
    },
    addNetRule(_ruleset, access, port) {
      calls.push({ call: 'addNetRule', access, port });
    },
    setNoNewPrivs() {
      calls.push({ call: 'setNoNewPrivs' });
    },
    restrictSelf(_ruleset, flags) {
      calls.push({ call: 'restrictSelf', flags });
    },
    installSeccomp(_filter, instructions) {
      calls.push({ call: 'installSeccomp', instructions });
    },
    permittedCapabilities: () => opts.capabilities ?? 0n,
    dropAllCapabilities() {
      calls.push({ call: 'dropAllCapabilities' });
    },
    prepareStdioAndSignals() {
      calls.push({ call: 'prepareStdioAndSignals' });
    },
    execve(path, argv, envp): never {
      calls.push({ call: 'execve', path, argv, envp });
      if (opts.execveErrno) throw new SyscallError(`execve(${JSON.stringify(path)})`, opts.execveErrno[0], opts.execveErrno[1]);
      replaced = true;
      throw new ExecveCalled();
    },
    exit(code): never {
      // After a successful execve nothing of this process runs any more: the test sees ExecveCalled.
      if (replaced) throw new ExecveCalled();
      calls.push({ call: 'exit', code });
      throw new ExitCalled(code);
    },
  };
}

/** Thrown by the fake execve, which cannot replace the test process. */
export class ExecveCalled extends Error {}

/** Thrown by the fake exit, which cannot end the test process. */
export class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`exit(${code})`);
  }
}
