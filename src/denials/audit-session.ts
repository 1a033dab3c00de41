// An audit session: subscribed to Landlock's audit records, with kernel audit switched on for as
// long as any landrun session needs it and back off afterwards. Opened in this process when it
// holds the capabilities (root), or through `sudo -n` and the audit-relay program otherwise
// (GitHub-hosted runners: the runner user has passwordless sudo).
//
// Audit is global: every session that relies on it registers in /run/landrun/audit-sessions, and
// a marker there says that landrun (not auditd, not the admin) switched it on. The last session
// to end switches it off. Without the registry, the session that switched audit on turned it off
// under a concurrent one, which then reported "no denials" for a run that had several.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { AuditMessage } from '../landlock/syscalls.js';
import { ObservationError } from '../shared/errors.js';
export type { AuditMessage };

/** What tells whether records were dropped: read before and after a run. */
export interface AuditHealth {
  readonly enabled: boolean | undefined;
  /** The kernel's count of dropped records (global, since boot), when it can be read. */
  readonly lost: number | undefined;
  /** Records queued in the kernel, not delivered yet. */
  readonly backlog: number | undefined;
  readonly backlogLimit: number | undefined;
  /** How often this subscription's buffer overflowed (records dropped for this reader). */
  readonly overflows: number;
}

export interface AuditSession {
  readonly turnedOn: boolean;
  /** Messages received so far (non-blocking). */
  drain(): AuditMessage[];
  /** The drop counters now. */
  health(): AuditHealth;
  /** Unsubscribes and restores the audit state. */
  end(): Promise<void>;
}

const SESSIONS = '/run/landrun/audit-sessions';
const MARKER = 'turned-on-by-landrun';
const LOCK = 'lock';
/** The kernel queue while landrun holds audit switched on (auditd's usual setting). */
const BACKLOG_LIMIT = 8192;

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** Runs `fn` holding the registry's lock (a file created exclusively; stale after 2 s). */
function withLock<T>(fn: () => T): T {
  const lock = join(SESSIONS, LOCK);
  try {
    mkdirSync(SESSIONS, { recursive: true, mode: 0o700 });
  } catch {
    // not root: no registry
  }
  let fd: number | undefined;
  for (let i = 0; i < 400 && fd === undefined; i++) {
    try {
      fd = openSync(lock, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return fn(); // no registry here (not root)
      try {
        if (Date.now() - statSync(lock).mtimeMs > 2000) rmSync(lock, { force: true });
      } catch {
        // removed meanwhile
      }
      sleepSync(5);
    }
  }
  try {
    return fn();
  } finally {
    if (fd !== undefined) {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
  }
}

function otherSessionsAlive(self: number): boolean {
  try {
    return readdirSync(SESSIONS).some((name) => /^\d+$/.test(name) && Number(name) !== self && existsSync(`/proc/${name}`));
  } catch {
    return false;
  }
}

function register(): void {
  try {
    mkdirSync(SESSIONS, { recursive: true, mode: 0o700 });
    writeFileSync(join(SESSIONS, String(process.pid)), '');
  } catch {
    // not root: nothing to register, and this session cannot switch audit anyway
  }
}

const unregister = (): void => rmSync(join(SESSIONS, String(process.pid)), { force: true });

/** In this process. Throws an Error whose message says why it is not possible. */
export async function openLocalAuditSession(allowEnable: boolean): Promise<AuditSession> {
  const { openAuditNetlink } = await import('../landlock/syscalls.js');
  const audit = openAuditNetlink();
  try {
    audit.subscribe();
  } catch (e) {
    audit.close();
    throw new ObservationError(`reading Landlock's audit records needs CAP_AUDIT_READ (root, or setpriv --ambient-caps +audit_read) (${(e as Error).message})`, { cause: e });
  }
  let turnedOn = false;
  try {
    withLock(() => {
      register();
      if (audit.enabled() === true) return;
      if (!allowEnable) {
        unregister();
        throw new ObservationError('kernel audit is off: allow switching it on for the run (--audit as root, input audit: true), or switch it on yourself (auditctl -e 1)');
      }
      try {
        audit.setEnabled(true);
      } catch (e) {
        unregister();
        throw new ObservationError(`kernel audit is off and cannot be switched on here (${(e as Error).message})`, { cause: e });
      }
      turnedOn = true;
      // The default queue (64 records) overflows as soon as a few sandboxes deny at once on a busy
      // machine, and Landlock's records cannot wait for room (measured: 10 concurrent runs under
      // load lost a third of their records at 64, none at 8192). Audit is ours while we hold it
      // switched on; the marker keeps the old limit for whoever switches it off.
      const limit = audit.status()?.backlogLimit;
      let raised = false;
      if (limit !== undefined && limit < BACKLOG_LIMIT) {
        try {
          audit.setBacklogLimit(BACKLOG_LIMIT);
          raised = true;
        } catch {
          // keep the default: losses are then reported
        }
      }
      writeFileSync(join(SESSIONS, MARKER), raised ? String(limit) : '');
    });
  } catch (e) {
    audit.close();
    throw e;
  }
  return {
    turnedOn,
    drain: () => audit.drain(),
    health: () => {
      const s = audit.status();
      return { enabled: s?.enabled, lost: s?.lost, backlog: s?.backlog, backlogLimit: s?.backlogLimit, overflows: audit.overflows() };
    },
    async end() {
      audit.close();
      withLock(() => {
        unregister();
        if (otherSessionsAlive(process.pid) || !existsSync(join(SESSIONS, MARKER))) return;
        const a = openAuditNetlink();
        try {
          a.setEnabled(false);
          const limit = readFileSync(join(SESSIONS, MARKER), 'utf8').trim();
          if (/^\d+$/.test(limit)) a.setBacklogLimit(Number(limit));
          rmSync(join(SESSIONS, MARKER), { force: true });
        } catch {
          // left on; the next session to end tries again
        } finally {
          a.close();
        }
      });
    },
  };
}

const healthLine = (h: AuditHealth): string =>
  `status enabled=${h.enabled === undefined ? '-' : h.enabled ? 1 : 0} lost=${h.lost ?? '-'} backlog=${h.backlog ?? '-'} limit=${h.backlogLimit ?? '-'} overflows=${h.overflows}`;

function parseHealth(line: string): AuditHealth | undefined {
  const m = /^status enabled=([01-]) lost=(\d+|-) backlog=(\d+|-) limit=(\d+|-) overflows=(\d+)$/.exec(line);
  if (!m) return undefined;
  const n = (v: string | undefined): number | undefined => (v === undefined || v === '-' ? undefined : Number(v));
  return { enabled: m[1] === '-' ? undefined : m[1] === '1', lost: n(m[2]), backlog: n(m[3]), backlogLimit: n(m[4]), overflows: Number(m[5]) };
}

/**
 * Through `sudo -n node <relay>`: the relay holds the session and streams records as
 * "TYPE<TAB>TEXT" lines and its drop counters as "status ..." lines; it restores the audit state
 * when its stdin closes or it gets SIGTERM.
 */
export function openRelayAuditSession(node: string, relay: string, allowEnable: boolean, sudo = 'sudo'): Promise<AuditSession> {
  return new Promise((resolve, reject) => {
    const child = spawn(sudo, ['-n', node, relay, ...(allowEnable ? ['--enable'] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
    const queue: AuditMessage[] = [];
    let health: AuditHealth = { enabled: undefined, lost: undefined, backlog: undefined, backlogLimit: undefined, overflows: 0 };
    let buf = '';
    let ready = false;
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => reject(new ObservationError(`sudo is not available (${e.message})`)));
    child.on('exit', (code) => {
      if (!ready) reject(new ObservationError(`the audit relay could not start through sudo -n (exit ${code}): ${err.trim().split('\n').pop() ?? ''}`));
    });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!ready) {
          const m = /^ready turned-on=(\d)$/.exec(line);
          if (m) {
            ready = true;
            resolve({
              turnedOn: m[1] === '1',
              drain: () => queue.splice(0),
              health: () => health,
              end: () =>
                new Promise<void>((done) => {
                  child.once('exit', () => done());
                  child.stdin.end();
                }),
            });
          } else if (line.startsWith('error ')) reject(new ObservationError(line.slice(6)));
          continue;
        }
        const h = line.startsWith('status ') ? parseHealth(line) : undefined;
        if (h) {
          health = h;
          continue;
        }
        const tab = line.indexOf('\t');
        if (tab > 0) queue.push({ type: Number(line.slice(0, tab)), text: line.slice(tab + 1) });
      }
    });
  });
}

/** The relay program's body (runs as root through sudo). */
export async function relayMain(argv: readonly string[], out: (s: string) => void): Promise<number> {
  let session: AuditSession;
  try {
    session = await openLocalAuditSession(argv.includes('--enable'));
  } catch (e) {
    out(`error ${(e as Error).message}\n`);
    return 1;
  }
  out(`ready turned-on=${session.turnedOn ? 1 : 0}\n`);
  let last = '';
  const flush = (): void => {
    for (const m of session.drain()) if (m.type >= 1300 && m.type < 1500) out(`${m.type}\t${m.text.replace(/\n/g, ' ')}\n`);
    // after the records it covers, so that a reader who sees it has seen them
    const h = healthLine(session.health());
    if (h !== last) out(`${h}\n`);
    last = h;
  };
  flush();
  const timer = setInterval(flush, 10);
  await new Promise<void>((resolve) => {
    process.stdin.on('end', resolve).on('close', resolve).resume();
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  clearInterval(timer);
  flush();
  await session.end();
  return 0;
}
