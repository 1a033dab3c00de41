// Resolving the command before the sandbox exists (afterwards the lookup itself may be denied),
// and checking that the kernel will let it start: the program, its ELF interpreter (which the
// kernel opens for execution too) and a script's #! interpreter all need fs.execute + fs.read_file.
import { accessSync, closeSync, constants, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, resolve } from 'node:path';
import { FS_RIGHTS, fsNames } from '../landlock/access.js';
import { effectiveFsAccess, rulesCovering, type RulesetPlan } from '../landlock/plan.js';
import { ExecError } from '../shared/errors.js';
import { originsText, originText, userOption } from '../shared/origin.js';
import { readInterpreter, resolveLoadDeps } from './elf.js';

export interface ResolvedCommand {
  /** What the user typed. */
  readonly name: string;
  /** Absolute path found (not symlink-resolved: argv[0] semantics stay the caller's). */
  readonly path: string;
  readonly realPath: string;
}

const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

/** execvp-like lookup in the caller's PATH. Not found: 127; found but not executable: 126. */
export function resolveCommand(name: string, pathEnv: string | undefined, cwd: string): ResolvedCommand {
  const candidates = name.includes('/')
    ? [isAbsolute(name) ? name : resolve(cwd, name)]
    : (pathEnv ?? DEFAULT_PATH).split(delimiter).map((d) => resolve(cwd, d === '' ? '.' : d, name));
  let notExecutable: string | undefined;
  for (const c of candidates) {
    let st;
    try {
      st = statSync(c, { throwIfNoEntry: false }); // most PATH entries miss: no exception for those
    } catch {
      continue;
    }
    if (!st) continue;
    if (!st.isFile()) {
      notExecutable ??= c;
      continue;
    }
    try {
      accessSync(c, constants.X_OK);
    } catch {
      notExecutable ??= c;
      continue;
    }
    return { name, path: c, realPath: realpathSync.native(c) };
  }
  if (notExecutable) throw new ExecError(`cannot execute '${name}': ${notExecutable} is not an executable file`, 126);
  throw new ExecError(
    name.includes('/')
      ? `command not found: '${name}' does not exist`
      : `command not found: '${name}' is not in PATH (${pathEnv ?? `unset, searched ${DEFAULT_PATH}`})`,
    127,
  );
}

export type ExecRole = 'command' | 'ELF interpreter' | 'script interpreter';

export interface ExecStep {
  readonly role: ExecRole;
  readonly path: string;
  readonly realPath: string;
  /** For interpreters: the file that needs it. */
  readonly neededBy?: string;
}

const MAX_SCRIPT_DEPTH = 4; // the kernel allows a few levels of #! chaining (BINPRM_MAX_RECURSION)

/** Every file the kernel opens for execution when it starts `cmd`. */
export function execChain(cmd: ResolvedCommand): ExecStep[] {
  const steps: ExecStep[] = [{ role: 'command', path: cmd.path, realPath: cmd.realPath }];
  let current: ExecStep = steps[0] as ExecStep;
  for (let depth = 0; depth <= MAX_SCRIPT_DEPTH; depth++) {
    const head = readHead(current.realPath);
    const shebang = head ? shebangOf(head) : undefined;
    if (shebang) {
      const path = isAbsolute(shebang) ? shebang : resolve(dirname(current.realPath), shebang);
      const realPath = realpathOrUndefined(path);
      if (realPath === undefined) break; // the kernel will report ENOENT itself
      current = { role: 'script interpreter', path, realPath, neededBy: current.path };
      steps.push(current);
      continue;
    }
    const interp = head ? elfInterpreter(current.realPath, head) : undefined;
    if (interp) {
      // a missing interpreter is the kernel's ENOENT to report
      const realPath = realpathOrUndefined(interp) ?? interp;
      steps.push({ role: 'ELF interpreter', path: interp, realPath, neededBy: current.path });
    }
    break;
  }
  return steps;
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

function elfInterpreter(path: string, head?: Buffer): string | undefined {
  try {
    return readInterpreter(path, head);
  } catch {
    return undefined; // unreadable or malformed: the kernel will say why at execve
  }
}

/** The first 4 KiB of a file (one read serves both the #! and the ELF checks), or undefined. */
function readHead(path: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.allocUnsafe(4096);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The interpreter of a `#!` script (the kernel reads at most the first 256 bytes), or undefined. */
function shebangOf(head: Buffer): string | undefined {
  if (head.length < 3 || head[0] !== 0x23 || head[1] !== 0x21) return undefined;
  const line = head.subarray(2, Math.min(head.length, 256)).toString('utf8').split('\n')[0] ?? '';
  const interp = line.trim().split(/[ \t]+/)[0];
  return interp ? interp : undefined;
}

export function readShebang(path: string): string | undefined {
  const head = readHead(path);
  return head ? shebangOf(head) : undefined;
}

const EXEC_NEEDS = FS_RIGHTS.execute | FS_RIGHTS.read_file;

/** Throws ExecError(126) naming the first file in the chain the policy will not let the kernel execute. */
export function checkExecChain(plan: RulesetPlan, chain: readonly ExecStep[]): void {
  for (const step of chain) {
    const access = effectiveFsAccess(plan, step.realPath);
    if (access === undefined) return; // filesystem not restricted
    const missing = EXEC_NEEDS & plan.handledFs & ~access;
    if (missing === 0) continue;
    throw new ExecError(execDeniedMessage(plan, chain, step, access & plan.handledFs), 126);
  }
}

function execDeniedMessage(plan: RulesetPlan, chain: readonly ExecStep[], step: ExecStep, access: number): string {
  const cmd = chain[0] as ExecStep;
  const shown = step.realPath !== step.path ? `${step.path} (-> ${step.realPath})` : step.path;
  const what =
    step.role === 'command'
      ? `cannot execute ${shown}: it`
      : `cannot execute ${cmd.path}: its ${step.role} ${shown}, which the kernel executes to start ${step.neededBy ?? cmd.path},`;
  const covering = rulesCovering(plan, step.realPath);
  const granted =
    access === 0
      ? 'no rule grants anything on it'
      : `it is only granted ${fsNames(access).join(', ')} (by ${covering.map((r) => originsText(r.sources)).join('; ')})`;
  const fixes = [`--rox ${step.realPath}`];
  // A grant the user wrote as ro or rw: the same grant with execute is the natural fix.
  for (const o of covering.flatMap((r) => r.sources)) {
    const name = userOption(o);
    if ((name === 'ro' || name === 'rw') && 'item' in o) fixes.push(`--${name}x ${o.item} instead of ${originText(o)}`);
  }
  fixes.push('--add-exec');
  return `${what} is not executable under the policy: ${granted}. Allow it with ${fixes.join(', or ')}.`;
}

/**
 * Shared libraries the dynamic loader will not be able to read under the plan. Only a warning:
 * the loader may find them elsewhere (LD_LIBRARY_PATH, dlopen), but its own error ("cannot open
 * shared object file") does not say that the sandbox is the reason.
 */
export function unreadableLibraries(plan: RulesetPlan, chain: readonly ExecStep[]): string[] {
  if (plan.handledFs === 0) return [];
  // Fast path (this runs before every command): when the loader's own directory, where the
  // system libraries live, is readable, resolving every library is not worth its milliseconds.
  const loader = chain.find((s) => s.role === 'ELF interpreter');
  if (loader && ((effectiveFsAccess(plan, `${dirname(loader.realPath)}/libc.so.6`) ?? 0) & FS_RIGHTS.read_file) !== 0) return [];
  const out: string[] = [];
  for (const step of chain) {
    if (step.role === 'ELF interpreter' || !elfInterpreter(step.realPath)) continue;
    let libs: readonly string[];
    try {
      libs = resolveLoadDeps(step.realPath).libraries;
    } catch {
      continue;
    }
    for (const lib of libs) {
      const real = realpathOrUndefined(lib) ?? lib;
      const access = effectiveFsAccess(plan, real) ?? FS_RIGHTS.read_file;
      if ((access & FS_RIGHTS.read_file) === 0 && !out.includes(real)) out.push(real);
    }
  }
  return out;
}
