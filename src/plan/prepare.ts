// From a policy and a command to an effective plan: resolve the command, add the grants that
// --add-exec and --ldd imply, compile, and downgrade to the kernel (or --target-abi).
import { realpathSync, statSync } from 'node:fs';
import { downgrade, type EnforcementReport } from '../landlock/compat.js';
import type { RulesetPlan } from '../landlock/plan.js';
import { compilePolicy, type Compiled, type PathInfo } from '../policy/compile.js';
import type { PathGrant, Policy } from '../policy/schema.js';
import { PolicyError, UsageError } from '../shared/errors.js';
import { execChain, resolveCommand, type ExecStep, type ResolvedCommand } from '../exec/command.js';
import { readElf, resolveLoadDeps } from '../exec/elf.js';

/** stat + realpath, the only facts about paths that compiling needs. */
export function describePath(path: string): PathInfo {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return { kind: 'missing', realPath: path };
    return { kind: st.isDirectory() ? 'dir' : 'file', realPath: realpathSync.native(path) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing', realPath: path };
    throw new PolicyError(`cannot use rule path '${path}': ${(e as Error).message}`);
  }
}

export interface PrepareInput {
  readonly policy: Policy;
  readonly command: readonly string[];
  readonly cwd: string;
  /** PATH used to find the command: the caller's, like the Go tool. */
  readonly searchPath: string | undefined;
  readonly addExec: boolean;
  readonly ldd: boolean;
  readonly bestEffort: boolean;
  readonly kernelAbi: number;
  readonly targetAbi: number | undefined;
}

export interface Prepared {
  readonly command: ResolvedCommand | undefined;
  readonly chain: readonly ExecStep[];
  readonly compiled: Compiled;
  readonly plan: RulesetPlan;
  readonly report: EnforcementReport;
}

export function prepare(input: PrepareInput): Prepared {
  if (input.targetAbi !== undefined && input.targetAbi > input.kernelAbi) {
    throw new UsageError(
      `--target-abi ${input.targetAbi} is above what this kernel offers (Landlock ABI ${input.kernelAbi}): it can only lower the ABI`,
    );
  }
  // Bad rule paths are usage errors (exit 2) and come before "command not found" (127).
  const base = compilePolicy(input.policy, describePath);

  const name = input.command[0];
  const command = name === undefined ? undefined : resolveCommand(name, input.searchPath, input.cwd);
  const chain = command ? execChain(command) : [];
  const extra: PathGrant[] = [];
  if (input.addExec) {
    for (const step of chain) extra.push({ flag: 'rox', path: step.realPath, origin: { kind: 'implied', by: '--add-exec' } });
  }
  if (input.ldd) {
    for (const step of chain) {
      if (step.role === 'ELF interpreter' || !isElf(step.realPath)) continue;
      const deps = resolveLoadDeps(step.realPath);
      if (deps.interpreter) extra.push({ flag: 'rox', path: deps.interpreter, origin: { kind: 'implied', by: '--ldd' } });
      for (const lib of deps.libraries) extra.push({ flag: 'ro', path: lib, origin: { kind: 'implied', by: '--ldd' } });
      if (deps.missing.length > 0) {
        throw new PolicyError(`--ldd: cannot find ${deps.missing.join(', ')} needed by ${step.path}`);
      }
    }
  }
  const compiled = extra.length === 0 ? base : compilePolicy({ ...input.policy, paths: [...input.policy.paths, ...extra] }, describePath);
  const { plan, report } = downgrade(compiled.plan, {
    kernelAbi: input.kernelAbi,
    targetAbi: input.targetAbi,
    bestEffort: input.bestEffort,
  });
  return { command, chain, compiled, plan, report };
}

function isElf(path: string): boolean {
  try {
    return readElf(path) !== null;
  } catch {
    return false;
  }
}
