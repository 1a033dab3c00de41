// An audit session: subscribed to Landlock's audit records, with kernel audit switched on for as
// long as needed and back off afterwards — unless another landrun session still needs it. Opened in
// this process when it holds the capabilities (root), or through `sudo -n` and the audit-relay
// program otherwise (GitHub-hosted runners: the runner user has passwordless sudo).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { AuditMessage } from '../landlock/syscalls.js';
import { ObservationError } from '../shared/errors.js';
export type { AuditMessage };

export interface AuditSession {
  readonly turnedOn: boolean;
  /** Messages received so far (non-blocking). */
  drain(): AuditMessage[];
  /** Unsubscribes and restores the audit state. */
  end(): Promise<void>;
}

const SESSIONS = '/run/landrun/audit-sessions';

function otherSessionsAlive(self: number): boolean {
  try {
    return readdirSync(SESSIONS).some((name) => Number(name) !== self && existsSync(`/proc/${name}`));
  } catch {
    return false;
  }
}

/** In this process. Throws an Error whose message says why it is not possible. */
export async function openLocalAuditSession(allowEnable: boolean): Promise<AuditSession> {
  const { openAuditNetlink } = await import('../landlock/syscalls.js');
  const audit = openAuditNetlink();
  try {
    audit.subscribe();
  } catch (e) {
    audit.close();
    throw new ObservationError(`reading Landlock's audit records needs CAP_AUDIT_READ (${(e as Error).message})`, { cause: e });
  }
  let turnedOn = false;
  if (audit.enabled() !== true) {
    if (!allowEnable) {
      audit.close();
      throw new ObservationError('kernel audit is off: allow turning it on for the run (--audit, input audit: true), or enable it yourself (auditctl -e 1)');
    }
    try {
      audit.setEnabled(true);
      turnedOn = true;
      mkdirSync(SESSIONS, { recursive: true, mode: 0o700 });
      writeFileSync(join(SESSIONS, String(process.pid)), '');
    } catch (e) {
      audit.close();
      throw new ObservationError(`kernel audit is off and cannot be turned on here (${(e as Error).message})`, { cause: e });
    }
  }
  return {
    turnedOn,
    drain: () => audit.drain(),
    async end() {
      audit.close();
      if (!turnedOn) return;
      rmSync(join(SESSIONS, String(process.pid)), { force: true });
      if (!otherSessionsAlive(process.pid)) {
        const a = openAuditNetlink();
        try {
          a.setEnabled(false);
        } finally {
          a.close();
        }
      }
    },
  };
}

/**
 * Through `sudo -n node <relay>`: the relay holds the session and streams records as
 * "TYPE<TAB>TEXT" lines; it restores the audit state when its stdin closes or it gets SIGTERM.
 */
export function openRelayAuditSession(node: string, relay: string, allowEnable: boolean, sudo = 'sudo'): Promise<AuditSession> {
  return new Promise((resolve, reject) => {
    const child = spawn(sudo, ['-n', node, relay, ...(allowEnable ? ['--enable'] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
    const queue: AuditMessage[] = [];
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
              end: () =>
                new Promise<void>((done) => {
                  child.once('exit', () => done());
                  child.stdin.end();
                }),
            });
          } else if (line.startsWith('error ')) reject(new ObservationError(line.slice(6)));
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
  const timer = setInterval(() => {
    for (const m of session.drain()) if (m.type >= 1300 && m.type < 1500) out(`${m.type}\t${m.text.replace(/\n/g, ' ')}\n`);
  }, 10);
  await new Promise<void>((resolve) => {
    process.stdin.on('end', resolve).on('close', resolve).resume();
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  clearInterval(timer);
  for (const m of session.drain()) if (m.type >= 1300 && m.type < 1500) out(`${m.type}\t${m.text.replace(/\n/g, ' ')}\n`);
  await session.end();
  return 0;
}
