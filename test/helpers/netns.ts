// Another host for network tests: a network namespace joined to this one by a veth pair
// (198.18.0.1 here, 198.18.0.2 there, RFC 2544 benchmarking space), with a listener there that
// prints every TCP connection and UDP datagram it sees. Needs root and iproute2.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './run.js';

export const OTHER_HOST = '198.18.0.2';
const NS = 'landrun-test';
const HOST_IF = 'lrt-host';
const NS_IF = 'lrt-ns';

export interface OtherHost {
  /** Lines the listener printed so far, e.g. "tcp 7001 from 198.18.0.1". */
  events(): string[];
  /** Waits until `count` events have arrived (or `ms`), then until none arrives for `quietMs`
   *  (lines reach this process late on a loaded machine); returns the events so far. */
  settled(count?: number, ms?: number, quietMs?: number): Promise<string[]>;
  close(): void;
}

/** Why another host cannot be made here, or undefined. */
export function otherHostUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create a network namespace';
  if (spawnSync('ip', ['-V']).status !== 0) return 'iproute2 (ip) is not installed (.ci/run installs it)';
  return undefined;
}

const ip = (...args: string[]): void => {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
};

export async function makeOtherHost(ports: readonly number[]): Promise<OtherHost> {
  // A namespace left by an earlier run would hold the same addresses.
  spawnSync('ip', ['netns', 'del', NS]);
  spawnSync('ip', ['link', 'del', HOST_IF]);
  ip('netns', 'add', NS);
  ip('link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF);
  ip('link', 'set', NS_IF, 'netns', NS);
  ip('addr', 'add', '198.18.0.1/30', 'dev', HOST_IF);
  ip('link', 'set', HOST_IF, 'up');
  ip('-n', NS, 'addr', 'add', `${OTHER_HOST}/30`, 'dev', NS_IF);
  ip('-n', NS, 'link', 'set', NS_IF, 'up');
  ip('-n', NS, 'link', 'set', 'lo', 'up');
  const child: ChildProcess = spawn('ip', ['netns', 'exec', NS, '/usr/bin/python3', join(ROOT, 'test', 'helpers', 'other-host-listener.py'), OTHER_HOST, ...ports.map(String)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the other host\'s listener did not start')), 5000);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('ready\n')) {
        clearTimeout(t);
        resolve();
      }
    });
  });
  const events = (): string[] => out.split('\n').filter((l) => l !== '' && l !== 'ready');
  const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  return {
    events,
    settled: async (count = 0, ms = 5000, quietMs = 300) => {
      const t0 = Date.now();
      while (events().length < count && Date.now() - t0 < ms) await pause(20);
      for (let n = events().length; ; n = events().length) {
        await pause(quietMs);
        if (events().length === n || Date.now() - t0 > ms) return events();
      }
    },
    close: () => {
      child.kill('SIGKILL');
      spawnSync('ip', ['netns', 'del', NS]);
      spawnSync('ip', ['link', 'del', HOST_IF]);
    },
  };
}
