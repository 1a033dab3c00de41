// Reading the CLI's denial report back (the lines it prints, the flags it suggests), running the
// CLI as another user, and the machine conditions the denial tests need (CPU load, a listener on
// a port outside the ephemeral range, the processes a run left behind).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { portableCli } from './portable.js';
import { listen, spawnCollect, type RunOptions, type RunResult, type Listener } from './run.js';
import { nodeForAnyUser } from './node24.js';

const WARN = '[landrun] warn: ';

/** The report's lines (denials and suggestions), without the prefix. */
export function reportLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith(`${WARN}  `))
    .map((l) => l.slice(`${WARN}  `.length));
}

/** The lines of one section of the report ("to allow them:", "needs your decision:", ...). */
export function section(stderr: string, title: string): string[] {
  const lines = stderr.split('\n');
  const start = lines.indexOf(`${WARN}${title}`);
  if (start < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith(`${WARN}  `)) break;
    out.push(l.slice(`${WARN}  `.length));
  }
  return out;
}

/** The flags of the given sections as command-line words (notes after "#" dropped). */
export function suggestedFlags(stderr: string, titles: readonly string[] = ['to allow them:', 'needs your decision:']): string[] {
  return titles.flatMap((t) => section(stderr, t)).flatMap((l) => l.replace(/\s+#.*$/, '').trim().split(/\s+/));
}

export const UNPRIVILEGED = { uid: 65534, gid: 65534 };

/** The CLI as uid/gid 65534 (a world-readable copy of it, so that the checkout's location does not matter). */
export function landrunAsNobody(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return spawnCollect(SETPRIV, ['--reuid=65534', '--regid=65534', '--clear-groups', '--', nodeForAnyUser(), portableCli(), ...args], {
    ...opts,
    env: opts.env ?? { PATH: process.env.PATH, HOME: '/nonexistent', LANG: 'C' },
  });
}

/** Absolute, so that a test may hand the CLI a PATH without it. */
export const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p)) ?? 'setpriv';
export const haveSetpriv = spawnSync(SETPRIV, ['--version']).status === 0;

/** Busy loops on every core until stop() (the "under load" of the audit tests). */
export function cpuLoad(workers: number): { stop: () => void } {
  const kids: ChildProcess[] = [];
  for (let i = 0; i < workers; i++) kids.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return { stop: () => kids.forEach((k) => k.kill('SIGKILL')) };
}

/** A listener on 127.0.0.1 on a port below the ephemeral range (a suggestion then names the port itself). */
export async function listenFixed(): Promise<Listener> {
  const [lo] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * Math.min(10000, (lo ?? 32768) - 20000));
    try {
      return await listen(port);
    } catch {
      // taken: try another
    }
  }
  throw new Error('no free port below the ephemeral range');
}

/** Live (not zombie) processes among `pids`. */
export function stillRunning(pids: readonly number[]): number[] {
  return pids.filter((p) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  });
}
