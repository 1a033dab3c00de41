// The Node launcher: reads a compiled plan (wire format), enforces it on itself with koffi and
// execs the command at once, so nothing of Node survives into the domain. It holds no policy logic.
// The test battery runs it against the native launcher, so both enforce a plan the same way.
//   launcher --plan FILE [--] [command args...]
//   launcher --plan-fd N [--] [command args...]
// The command comes from the plan's exec records, or else from argv (looked up in PATH).
import { closeSync, readFileSync } from 'node:fs';
import { describeError, exitCodeFor, EXIT, UsageError } from '../shared/errors.js';
import { createLineLogger, isLogLevel } from '../shared/logger.js';
import type { Kernel } from '../landlock/kernel.js';
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
      // Supervising means staying alive next to the command: never a Node process (ADR 7).
      return usage(log, '--supervise is the native supervisor\'s (dist/native/landlock-exec-<arch>); this launcher only execs');
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
    log.error(e instanceof WireError || e instanceof UsageError ? `launcher: ${describeError(e)}` : describeError(e));
    return exitCodeFor(e);
  }
}

function usage(log: ReturnType<typeof createLineLogger>, msg: string): number {
  log.error(`launcher: ${msg}`);
  return EXIT.usage;
}
