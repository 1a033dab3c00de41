// The Node launcher: reads a compiled plan (wire format), enforces it on itself and execs the
// command. It holds no policy logic; the process that spawned it decided everything.
//   launcher --plan FILE [--] [command args...]
//   launcher --plan-fd N [--] [command args...]
// The command comes from the plan's exec records, or else from argv (looked up in PATH).
import { closeSync, readFileSync } from 'node:fs';
import { EXIT, ExecError, SyscallError } from '../shared/errors.js';
import { createLineLogger, isLogLevel } from '../shared/logger.js';
import type { Kernel } from '../landlock/kernel.js';
import { decodePlan, WireError } from './wire.js';
import { resolveCommand } from './command.js';

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
    const { enforceAndExec } = await import('../landlock/enforce.js');
    return enforceAndExec(plan, exec, kernel, log);
  } catch (e) {
    if (e instanceof WireError) return usage(log, `invalid plan: ${e.message}`);
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

function usage(log: ReturnType<typeof createLineLogger>, msg: string): number {
  log.error(`launcher: ${msg}`);
  return EXIT.usage;
}
