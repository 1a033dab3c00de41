// The Node launcher: reads a compiled plan (wire format), enforces it on itself and execs the
// command. It holds no policy logic; the process that spawned it decided everything.
//   launcher [--supervise] --plan FILE [--] [command args...]
//   launcher [--supervise] --plan-fd N [--] [command args...]
// The command comes from the plan's exec records, or else from argv (looked up in PATH).
import { closeSync, readFileSync } from 'node:fs';
import { EXIT, ExecError, SyscallError, UsageError } from '../shared/errors.js';
import { createLineLogger, isLogLevel, type Logger } from '../shared/logger.js';
import type { Kernel } from '../landlock/kernel.js';
import type { ExecSpec } from '../landlock/enforce.js';
import { LANDLOCK_SCOPE_SIGNAL } from '../landlock/uapi.js';
import { decodePlan, WireError } from './wire.js';
import { resolveCommand } from '../exec/command.js';

export interface LauncherIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stderr: (s: string) => void;
  readonly kernel?: () => Promise<Kernel>;
}

export async function launcherMain(io: LauncherIo): Promise<number> {
  const level = io.env.LANDRUN_LOG_LEVEL;
  const log = createLineLogger(level && isLogLevel(level) ? level : 'warn', io.stderr);
  let source: { file?: string; fd?: number } | undefined;
  let supervise = false;
  let i = 0;
  for (; i < io.argv.length; i++) {
    const a = io.argv[i] as string;
    if (a === '--') {
      i++;
      break;
    }
    if (a === '--plan' || a === '--plan-fd') {
      const v = io.argv[++i];
      if (v === undefined) return usage(log, `${a} needs a value`);
      if (a === '--plan') source = { file: v };
      else if (/^\d+$/.test(v)) source = { fd: Number(v) };
      else return usage(log, `invalid --plan-fd '${v}': expected a file descriptor number`);
      continue;
    }
    if (a === '--supervise') {
      supervise = true;
      continue;
    }
    if (a.startsWith('-')) return usage(log, `unknown launcher option '${a}'`);
    break;
  }
  if (!source) return usage(log, 'no plan given (--plan FILE or --plan-fd N)');
  let bytes: Buffer;
  try {
    if (source.file !== undefined) bytes = readFileSync(source.file);
    else {
      bytes = readFileSync(source.fd as number);
      closeSync(source.fd as number); // the command must not inherit the plan pipe
    }
  } catch (e) {
    return usage(log, `cannot read the plan from ${source.file ?? `fd ${source.fd}`}: ${(e as Error).message}`);
  }
  try {
    const { plan, exec: planned } = decodePlan(bytes);
    let exec = planned;
    if (!exec) {
      const argv = io.argv.slice(i);
      const name = argv[0];
      if (name === undefined || name === '') return usage(log, 'no command given');
      const cmd = resolveCommand(name, io.env.PATH, io.cwd);
      const env = Object.entries(io.env)
        .filter((e): e is [string, string] => e[1] !== undefined)
        .map(([k, v]) => `${k}=${v}`);
      exec = { path: cmd.path, argv, env };
    }
    const kernel = await (io.kernel ?? (async () => (await import('../landlock/syscalls.js')).createKoffiKernel()))();
    const { enforceAndExec, applySandbox } = await import('../landlock/enforce.js');
    if (!supervise) return enforceAndExec(plan, exec, kernel, log);
    applySandbox(plan, kernel, log);
    // The scope must really be in the kernel's hands (a hand-written plan could claim it below ABI 6):
    // otherwise kill(-1) would reach every process the user may signal.
    return await superviseInDomain(exec, plan.abi >= 6 && (plan.scoped & LANDLOCK_SCOPE_SIGNAL) !== 0, log);
  } catch (e) {
    if (e instanceof WireError) return usage(log, `invalid plan: ${e.message}`);
    if (e instanceof UsageError) return usage(log, e.message);
    if (e instanceof ExecError) {
      log.error(e.message);
      return e.exitCode;
    }
    if (e instanceof SyscallError && e.syscall.startsWith('execve')) {
      log.error(`${e.message}${e.errnoName === 'EACCES' ? ': the sandbox does not allow executing it' : ''}`);
      return e.errnoName === 'ENOENT' ? EXIT.notFound : EXIT.cannotExecute;
    }
    if (e instanceof SyscallError) {
      log.error(`sandbox setup failed, nothing was run: ${e.message}`);
      return EXIT.internal;
    }
    log.error(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return EXIT.internal;
  }
}

/**
 * --supervise: stay in the sandbox's domain as the parent of the command, and when the command
 * ends, kill every other process of the domain. With Landlock's signal scope (ABI 6) a process may
 * signal only processes of its own domain, so kill(-1, SIGKILL) from here reaches exactly the
 * command's leftovers — in one pass over the task list, which a process forking as fast as it can
 * cannot outrun. Without the scope kill(-1) would reach every process of the user: then only the
 * command's process group is killed, and the caller sweeps the rest.
 */
async function superviseInDomain(exec: ExecSpec, scoped: boolean, log: Logger): Promise<number> {
  const { spawn } = await import('node:child_process');
  const env: Record<string, string> = {};
  for (const e of exec.env) {
    const eq = e.indexOf('=');
    if (eq > 0) env[e.slice(0, eq)] = e.slice(eq + 1);
  }
  const child = spawn(exec.path, exec.argv.slice(1), { argv0: exec.argv[0], env, stdio: 'inherit' });
  const forward = (sig: NodeJS.Signals) => (): void => {
    child.kill(sig);
  };
  const sigs = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;
  const handlers = sigs.map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null } | NodeJS.ErrnoException>((resolve) => {
    child.once('error', (e) => resolve(e));
    child.once('exit', (c, s) => resolve({ code: c, signal: s }));
  });
  if (outcome instanceof Error) {
    for (const [s, h] of handlers) process.off(s, h);
    const denied = outcome.code === 'EACCES';
    log.error(`execve(${JSON.stringify(exec.path)}) failed: ${outcome.code ?? outcome.message}${denied ? ': the sandbox does not allow executing it' : ''}`);
    return outcome.code === 'ENOENT' ? EXIT.notFound : EXIT.cannotExecute;
  }
  const { code, signal } = outcome;
  // One pass suffices (kill(-1) walks the task list under the lock fork needs, and a task with a
  // pending SIGKILL cannot complete a fork); two more catch anything the first raced with.
  for (let round = 0; round < 3; round++) {
    try {
      if (scoped) process.kill(-1, 'SIGKILL');
      else if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      break; // ESRCH: nothing left to signal
    }
    if (!scoped) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  for (const [s, h] of handlers) process.off(s, h);
  if (signal) {
    process.kill(process.pid, signal);
    await new Promise((r) => setTimeout(r, 100));
  }
  return code ?? 1;
}

function usage(log: ReturnType<typeof createLineLogger>, msg: string): number {
  log.error(`launcher: ${msg}`);
  return EXIT.usage;
}
