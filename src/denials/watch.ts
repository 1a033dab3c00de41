// Watching a sandboxed run for denials, with the best source this machine offers:
//   1. Landlock's audit records (ABI >= 7): the domain is restricted with LOG_NEW_EXEC_ON and the
//      READLOG multicast group is read (CAP_AUDIT_READ); audit must be on, or allowed to be turned
//      on for the run (--audit, CAP_AUDIT_CONTROL) and back off afterwards.
//   2. strace inside the sandbox (--trace): failed syscalls, cross-checked against the plan and
//      against ordinary permissions so that only the sandbox's refusals are reported.
//   3. Neither: the report says so, and why.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FS_RIGHTS, FLAG_RIGHTS } from '../landlock/access.js';
import { effectiveFsAccess, type RulesetPlan } from '../landlock/plan.js';
import { extendPlan, type ExtraPath } from '../plan/extend.js';
import * as u from '../landlock/uapi.js';
import { AuditCollector, parseAuditRecord, denialsFromTrace } from './parse.js';
import { aggregate, suggest, type Denial, type DenialReport, type DenialSource } from './report.js';
import { resolveCommand } from '../exec/command.js';
import { resolveLoadDeps } from '../exec/elf.js';
import { openLocalAuditSession, type AuditSession } from './audit-session.js';

export interface WatchOptions {
  /** May turn kernel audit on for the run (and off again). */
  readonly allowAuditEnable: boolean;
  /** May run the command under strace inside the sandbox. */
  readonly allowTrace: boolean;
  readonly searchPath: string | undefined;
  readonly cwd: string;
  readonly home: string | undefined;
  /** Where to keep the trace file (a private directory). */
  readonly workDir: string;
  /**
   * The launcher stays in the domain as the command's parent and sweeps leftovers with
   * kill(-1) (launcher --supervise): its own refused signals are not the command's denials.
   */
  readonly supervised?: boolean;
  /** Why a path must never be suggested as a grant (secrets, the runner's files). */
  readonly forbidden?: (path: string) => string | undefined;
  /** How to open an audit session (default: in this process; the Action falls back to sudo). */
  readonly openAudit?: (allowEnable: boolean) => Promise<AuditSession>;
}

export interface Watch {
  readonly source: DenialSource;
  readonly note: string;
  /** The plan to launch (audit: with LOG_NEW_EXEC_ON; trace: with strace's grants). */
  readonly plan: RulesetPlan;
  /** The argv to launch (trace: strace wrapped around the command). */
  readonly argv: readonly string[];
  /** Call with the launcher's pid once it is spawned. */
  started(pid: number): void;
  /** Call regularly while the command runs (audit records are read without blocking). */
  poll(): void;
  /** After the command ended: the report. Restores the audit state. */
  finish(): Promise<DenialReport>;
}

export async function watchDenials(plan: RulesetPlan, argv: readonly string[], opts: WatchOptions): Promise<Watch> {
  const reasons: string[] = [];
  if (plan.abi >= 7) {
    try {
      const session = await (opts.openAudit ?? openLocalAuditSession)(opts.allowAuditEnable);
      return auditWatch(plan, argv, opts, session);
    } catch (e) {
      reasons.push((e as Error).message);
    }
  } else {
    reasons.push(`Landlock audit records need ABI 7 (Linux 6.15); this sandbox enforces ABI ${plan.abi}`);
  }
  if (opts.allowTrace) {
    const t = tryTrace(plan, argv, opts, reasons);
    if (t) return t;
  } else {
    reasons.push('--trace (run the command under strace inside the sandbox) was not given');
  }
  return noWatch(plan, argv, reasons.join('; '));
}

function noWatch(plan: RulesetPlan, argv: readonly string[], note: string): Watch {
  return {
    source: 'none',
    note,
    plan,
    argv,
    started: () => undefined,
    poll: () => undefined,
    finish: async () => ({ source: 'none', sourceNote: note, entries: [], suggestions: [], unseen: 0 }),
  };
}

function auditWatch(plan: RulesetPlan, argv: readonly string[], opts: WatchOptions, session: AuditSession): Watch {
  let collector: AuditCollector | undefined;
  const early: Array<{ type: number; text: string }> = [];
  const feed = (msgs: Array<{ type: number; text: string }>): void => {
    for (const m of msgs) {
      const r = parseAuditRecord(m.type, m.text);
      if (r) collector?.add(r);
    }
  };
  const note = session.turnedOn ? 'Landlock audit records (audit was turned on for this run)' : 'Landlock audit records';
  return {
    source: 'audit',
    note,
    // Without LOG_NEW_EXEC_ON the kernel only logs denials of the launcher itself, not of the
    // program it executes.
    // LOG_SAME_EXEC_OFF keeps a supervising launcher's clean-up sweep out of the log.
    plan: extendPlan(plan, { restrictFlags: u.LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON | (opts.supervised ? u.LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF : 0) }),
    argv,
    started(pid) {
      collector = new AuditCollector(pid);
      feed(early.splice(0));
    },
    poll() {
      const msgs = session.drain();
      if (collector) feed(msgs);
      else early.push(...msgs);
    },
    async finish() {
      // The domain's "deallocated" record (its true denial count) comes once its last task is gone.
      for (let i = 0; i < 50 && collector && collector.domainId !== undefined && collector.deallocatedWith === undefined; i++) {
        feed(session.drain());
        await new Promise((r) => setTimeout(r, 20));
      }
      await session.end();
      feed(session.drain());
      const denials = collector?.denials() ?? [];
      const total = collector?.deallocatedWith;
      // The kernel's count includes the supervisor's unlogged sweep: only meaningful without it.
      const unseen = total !== undefined && !opts.supervised ? Math.max(0, total - (collector?.seen() ?? 0)) : 0;
      return report('audit', note, denials, unseen, opts);
    },
  };
}

function tryTrace(plan: RulesetPlan, argv: readonly string[], opts: WatchOptions, reasons: string[]): Watch | undefined {
  let strace: string;
  try {
    strace = resolveCommand('strace', opts.searchPath, opts.cwd).realPath;
  } catch {
    reasons.push('strace is not installed (needed for --trace)');
    return undefined;
  }
  mkdirSync(opts.workDir, { recursive: true, mode: 0o700 });
  const out = join(opts.workDir, 'strace.out');
  writeFileSync(out, '', { mode: 0o600 });
  // strace itself must start inside the sandbox: its binary, loader and libraries, and the file it
  // writes to. These grants exist only for the trace run.
  const extra: ExtraPath[] = [];
  const add = (path: string, kind: 'file' | 'dir', rights: number, why: string): void => {
    extra.push({ path, realPath: path, kind, rights, origin: { kind: 'implied', by: '--trace', detail: why } });
  };
  add(strace, 'file', FLAG_RIGHTS.rox, 'strace');
  try {
    const deps = resolveLoadDeps(strace);
    if (deps.interpreter) add(realOrSelf(deps.interpreter), 'file', FLAG_RIGHTS.rox, 'loader');
    for (const lib of deps.libraries) add(realOrSelf(lib), 'file', FS_RIGHTS.read_file, 'library');
  } catch {
    // a static strace needs nothing else
  }
  add(out, 'file', FS_RIGHTS.write_file | FS_RIGHTS.truncate, 'trace output');
  const note = 'strace inside the sandbox (failed syscalls, cross-checked with the plan and ordinary permissions)';
  return {
    source: 'trace',
    note,
    plan: extendPlan(plan, { paths: extra }),
    argv: [strace, '-f', '-qq', '-e', 'status=failed', '-o', out, '--', ...argv],
    started: () => undefined,
    poll: () => undefined,
    async finish() {
      const text = existsSync(out) ? readFileSync(out, 'utf8') : '';
      const exists = (p: string): boolean => existsSync(p);
      const isDirectory = (p: string): boolean => {
        try {
          return statSync(p).isDirectory();
        } catch {
          return false;
        }
      };
      const raw = denialsFromTrace(text, { cwd: opts.cwd, exists, isDirectory });
      const denials = raw.filter((d) => blamedOnSandbox(d, plan));
      return report('trace', note, denials, 0, opts);
    },
  };
}

const RIGHT_BITS: Record<string, number> = Object.fromEntries(Object.entries(FS_RIGHTS).map(([k, v]) => [`fs.${k}`, v]));

/**
 * strace sees every EACCES; only those the sandbox caused count: the plan must not already grant
 * the right, and ordinary permissions must allow it (else it is the file's own mode, not us).
 */
function blamedOnSandbox(d: Denial, plan: RulesetPlan): boolean {
  if (d.object.kind !== 'path') return true;
  const path = d.object.path;
  const want = d.rights.reduce((m, r) => m | (RIGHT_BITS[r] ?? 0), 0);
  const access = effectiveFsAccess(plan, realOrSelf(path)) ?? ~0;
  if (want !== 0 && (access & want) === want) return false;
  const mode =
    (d.rights.some((r) => r === 'fs.read_file' || r === 'fs.read_dir') ? constants.R_OK : 0) |
    (d.rights.some((r) => r.startsWith('fs.write') || r.startsWith('fs.make') || r.startsWith('fs.remove') || r === 'fs.truncate') ? constants.W_OK : 0) |
    (d.rights.includes('fs.execute') ? constants.X_OK : 0);
  try {
    accessSync(path, mode || constants.F_OK);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

function realOrSelf(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return p;
  }
}

function report(source: DenialSource, note: string, denials: readonly Denial[], unseen: number, opts: WatchOptions): DenialReport {
  const entries = aggregate(denials);
  const isDirectory = (p: string): boolean => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  return { source, sourceNote: note, entries, suggestions: suggest(entries, { isDirectory, exists: existsSync, home: opts.home, forbidden: opts.forbidden }), unseen };
}
