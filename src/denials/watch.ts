// Watching a sandboxed run for denials, with the best source this machine offers without
// changing it:
//   1. Landlock's audit records (ABI >= 7), when they can be read (CAP_AUDIT_READ) and audit is
//      on. The domain is restricted with LOG_NEW_EXEC_ON and the READLOG multicast group is read.
//      Switching audit on for the run (and off afterwards) is a change, allowed only with --audit
//      (input audit: true).
//   2. strace, when it is installed and may trace here. It runs outside the sandbox, in front of
//      the launcher (a tracer outside may trace into a domain; the command cannot reach it), and
//      the plan stays as it is. --trace (input trace: true) prefers it to audit records.
//   3. Neither: the report says why, and what would bring each.
// Audit records can be dropped (the kernel's backlog overflows under load): the report is checked
// against the domain's final denial count, or against the kernel's drop counter, and says when
// and how much is missing, never "no denials" for a run whose records were lost.
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, readSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FS_RIGHTS } from '../landlock/access.js';
import { effectiveFsAccess, type RulesetPlan } from '../landlock/plan.js';
import { extendPlan } from '../plan/extend.js';
import * as u from '../landlock/uapi.js';
import { AuditCollector, parseAuditRecord, straceArgs, TraceReader } from './parse.js';
import { aggregate, splitTolerated, suggest, type Denial, type DenialReport, type DenialSource } from './report.js';
import { resolveCommand } from '../exec/command.js';
import { openLocalAuditSession, type AuditHealth, type AuditSession } from './audit-session.js';

export interface WatchOptions {
  /** May switch kernel audit on for the run (and off again): --audit, input audit: true. */
  readonly allowAuditEnable: boolean;
  /** Prefer strace to audit records (--trace, input trace: true). */
  readonly forceTrace?: boolean;
  readonly searchPath: string | undefined;
  readonly cwd: string;
  readonly home: string | undefined;
  /** Suggestions beneath it are written ./… (default: cwd). */
  readonly workspace?: string | undefined;
  /** The run's private directories (its TMPDIR): never suggested, the preset grants them. */
  readonly privateDirs?: readonly string[];
  /** Directories created after this time (ms) are per-run (default: when the watch starts). Learn mode passes its start. */
  readonly since?: number;
  /** Where to keep the trace file (a private directory the sandbox cannot reach). */
  readonly workDir: string;
  /**
   * strace stops only at the traced calls (`--seccomp-bpf`, strace ≥ 5.3): a test suite runs
   * about 1.4× its bare time instead of 3.6× (bench/RESULTS.md), but calls the sandbox's own
   * seccomp filter refuses (UDP and raw sockets, io_uring, keyrings, execveat) are not seen — the
   * filter's refusal takes precedence over strace's stop. The Action's implicit report uses it;
   * explicit requests (trace: true, learn mode, the CLI's --denials) get the complete trace.
   */
  readonly fastTrace?: boolean;
  /** Why a path must never be suggested as a grant (secrets, the runner's files). */
  readonly forbidden?: (path: string) => string | undefined;
  /** How to open an audit session (default: in this process; the Action falls back to sudo). */
  readonly openAudit?: (allowEnable: boolean) => Promise<AuditSession>;
}

export interface FinishOptions {
  /** The run was cut short (SIGTERM, a time limit): do not wait for late records. */
  readonly quick?: boolean;
}

export interface Watch {
  readonly source: DenialSource;
  readonly note: string;
  /** The plan to launch: audit adds LOG_NEW_EXEC_ON; otherwise the plan as given. */
  readonly plan: RulesetPlan;
  /** Words to put in front of the launcher's argv (trace: strace and its options); empty otherwise. */
  readonly wrap: readonly string[];
  /**
   * Call with the pid of the process that restricts itself into the command's domain: the Node
   * launcher (the spawned child, when nothing wraps it), or the `child PID` the native supervisor
   * reports. The trace source finds the command's tasks in the trace itself and ignores it.
   */
  started(pid: number): void;
  /** Call regularly while the command runs (audit records are read without blocking). */
  poll(): void;
  /** After the command ended: the report. Restores the audit state. */
  finish(opts?: FinishOptions): Promise<DenialReport>;
}

/** How long to wait for the domain's final count (it comes from a kernel work queue, late under load). */
const DEALLOC_WAIT_MS = 3000;

export async function watchDenials(plan: RulesetPlan, opts: WatchOptions): Promise<Watch> {
  const since = opts.since ?? Date.now();
  let auditWhy: string | undefined;
  let traceWhy: string | undefined;
  if (opts.forceTrace) {
    const t = tryTrace(plan, opts, since);
    if (typeof t !== 'string') return t;
    traceWhy = t;
  }
  if (plan.abi >= 7) {
    try {
      const session = await (opts.openAudit ?? openLocalAuditSession)(opts.allowAuditEnable);
      return auditWatch(plan, opts, session, since, traceWhy);
    } catch (e) {
      auditWhy = (e as Error).message;
    }
  } else {
    auditWhy = `they need Landlock ABI 7 (Linux 6.15); this sandbox enforces ABI ${plan.abi}`;
  }
  if (!opts.forceTrace) {
    const t = tryTrace(plan, opts, since);
    if (typeof t !== 'string') return t;
    traceWhy = t;
  }
  return noWatch(plan, `Landlock audit records: ${auditWhy}; strace: ${traceWhy}`);
}

function noWatch(plan: RulesetPlan, note: string): Watch {
  return {
    source: 'none',
    note,
    plan,
    wrap: [],
    started: () => undefined,
    poll: () => undefined,
    finish: async () => ({ source: 'none', sourceNote: note, entries: [], tolerated: [], suggestions: [], unseen: 0 }),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function auditWatch(plan: RulesetPlan, opts: WatchOptions, session: AuditSession, since: number, traceWhy: string | undefined): Watch {
  let collector: AuditCollector | undefined;
  const early: Array<{ type: number; text: string }> = [];
  const feed = (msgs: Array<{ type: number; text: string }>): void => {
    if (!collector) {
      early.push(...msgs);
      return;
    }
    for (const m of msgs) {
      const r = parseAuditRecord(m.type, m.text);
      if (r) collector.add(r);
    }
  };
  const before = session.health();
  const note = [
    session.turnedOn ? 'Landlock audit records (audit was switched on for this run)' : 'Landlock audit records',
    ...(traceWhy ? [`(--trace: ${traceWhy})`] : []),
  ].join(' ');
  return {
    source: 'audit',
    note,
    // Without LOG_NEW_EXEC_ON the kernel only logs denials of the launcher itself, not of the
    // program it executes. The command's domain is nested below the supervisor's, whose own
    // sweep counts there, so the domain's final count is the command's alone.
    plan: extendPlan(plan, { restrictFlags: u.LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON }),
    wrap: [],
    started(pid) {
      collector = new AuditCollector(pid);
      feed(early.splice(0));
    },
    poll() {
      feed(session.drain());
    },
    async finish(fin = {}) {
      const deadline = Date.now() + (fin.quick ? 200 : DEALLOC_WAIT_MS);
      let quiet = 0;
      for (;;) {
        feed(session.drain());
        const c = collector;
        // The domain's count comes once its last task is gone: exact.
        const counting = c !== undefined && c.domainId !== undefined;
        if (counting && c.deallocatedWith !== undefined) break;
        if (!counting) {
          // Nothing to count against: done once the kernel's queue has stayed empty a moment.
          const h = session.health();
          quiet = (h.backlog ?? 0) === 0 ? quiet + 1 : 0;
          if (quiet >= 3) break;
        }
        if (Date.now() > deadline) break;
        await sleep(20);
      }
      feed(session.drain());
      const after = session.health();
      await session.end();
      feed(session.drain());
      const c = collector;
      const denials = c?.denials() ?? [];
      const seen = c?.seen() ?? 0;
      const total = c?.deallocatedWith;
      let unseen = 0;
      let incomplete: string | undefined;
      const dropped = droppedText(before, after);
      if (total !== undefined) {
        unseen = Math.max(0, total - seen);
        if (unseen > 0) incomplete = `${unseen} of the ${total} denials the kernel counted for this run were not received (${dropped ?? 'records dropped'})`;
      } else if (c?.domainId !== undefined) {
        incomplete = `the kernel's final count for this run did not arrive within ${((fin.quick ? 200 : DEALLOC_WAIT_MS) / 1000).toFixed(1)} s (a process the command left running may still hold its sandbox${dropped ? `; ${dropped}` : ''}): there may be more`;
      } else if (dropped) {
        incomplete = `${dropped}: denials of this run may be among them`;
      } else if (fin.quick && !c?.domainId) {
        incomplete = 'the run was cut short before all records could arrive';
      }
      return report('audit', note, denials, unseen, opts, since, incomplete);
    },
  };
}

/** What dropped records during the run, or undefined when nothing did. */
function droppedText(before: AuditHealth, after: AuditHealth): string | undefined {
  const parts: string[] = [];
  if (before.lost !== undefined && after.lost !== undefined && after.lost > before.lost) {
    parts.push(`the kernel dropped ${after.lost - before.lost} audit record(s) during the run, system-wide (backlog limit ${after.backlogLimit ?? '?'}; auditctl -b raises it)`);
  }
  if (after.overflows > before.overflows) parts.push("this reader's buffer overflowed");
  if (after.enabled === false) parts.push('kernel audit was switched off during the run');
  return parts.length ? parts.join('; ') : undefined;
}

/** A Watch, or why strace cannot be used. */
function tryTrace(plan: RulesetPlan, opts: WatchOptions, since: number): Watch | string {
  let strace: string;
  try {
    strace = resolveCommand('strace', opts.searchPath, opts.cwd).realPath;
  } catch {
    return 'not installed (apt-get install strace, or your distribution\'s package)';
  }
  // ptrace may be refused here (a container's seccomp profile, Yama): then strace would not even
  // start the command.
  let probe: string | undefined;
  try {
    probe = resolveCommand('true', opts.searchPath ?? '/usr/bin:/bin', opts.cwd).realPath;
  } catch {
    probe = undefined;
  }
  let fast = false;
  if (probe) {
    const r = spawnSync(strace, ['-f', '-qq', '-o', '/dev/null', '--', probe], { stdio: 'pipe', encoding: 'utf8', timeout: 5000 });
    if (r.status !== 0) return `cannot trace here (${(r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0]})`;
    if (opts.fastTrace) {
      // strace says on stderr when it cannot install its filter and falls back to stopping at every call.
      const f = spawnSync(strace, ['--seccomp-bpf', '-f', '-qq', '-e', 'trace=openat', '-o', '/dev/null', '--', probe], { stdio: 'pipe', encoding: 'utf8', timeout: 5000 });
      fast = f.status === 0 && f.stderr.trim() === '';
    }
  }
  mkdirSync(opts.workDir, { recursive: true, mode: 0o700 });
  const out = join(opts.workDir, 'strace.out');
  writeFileSync(out, '', { mode: 0o600 });
  const note = `strace, outside the sandbox (failed syscalls of the command, cross-checked with the plan and ordinary permissions${fast ? '; stopping only at the traced calls' : ''})`;
  const blindSpot = fast ? "strace stopped only at the traced calls, so the seccomp filter's refusals (UDP and raw sockets, io_uring, keyrings, execveat) are not in this report; trace: true traces every call" : undefined;
  return {
    source: 'trace',
    note,
    plan,
    wrap: straceArgs(strace, out, fast),
    started: () => undefined,
    poll: () => undefined,
    async finish(fin = {}) {
      const reader = new TraceReader({ cwd: opts.cwd, exists: existsSync, isDirectory });
      readLines(out, (l) => reader.line(l));
      const denials = reader.denials().filter((d) => blamedOnSandbox(d, plan));
      return { ...report('trace', note, denials, 0, opts, since, fin.quick ? 'the run was cut short: the trace ends there' : undefined), blindSpot };
    },
  };
}

/** Feeds a (possibly large) file line by line without holding it in memory. */
function readLines(file: string, onLine: (l: string) => void): void {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return;
  }
  try {
    const buf = Buffer.alloc(1 << 20);
    let rest = '';
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      const text = rest + buf.toString('utf8', 0, n);
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) onLine(l);
    }
    if (rest) onLine(rest);
  } finally {
    closeSync(fd);
  }
}

const isDirectory = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

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

/** net.ipv4.ip_local_port_range: ports the kernel hands out for port 0 (and for clients). */
export function ephemeralPortRange(): [number, number] {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo && hi) return [lo, hi];
  } catch {
    // not Linux-like /proc: the kernel's default
  }
  return [32768, 60999];
}

/** The report of one run: entries, what the programs tolerated, suggestions in the user's terms. */
export function report(source: DenialSource, note: string, denials: readonly Denial[], unseen: number, opts: WatchOptions, since: number, incomplete?: string): DenialReport {
  const { entries, tolerated } = splitTolerated(aggregate(denials));
  const suggestions = suggest(entries, {
    isDirectory,
    exists: existsSync,
    home: opts.home,
    workspace: opts.workspace ?? opts.cwd,
    privateDirs: opts.privateDirs,
    ephemeralPorts: ephemeralPortRange(),
    createdDuringRun: (p) => {
      try {
        const b = statSync(p).birthtimeMs;
        return b > 0 && b >= since;
      } catch {
        return false;
      }
    },
    forbidden: opts.forbidden,
  });
  return { source, sourceNote: note, entries, tolerated, suggestions, unseen, ...(incomplete ? { incomplete } : {}) };
}
