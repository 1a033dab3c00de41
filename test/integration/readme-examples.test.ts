// The README's worked examples, read from README.md itself so that they stay true: nginx serving a
// directory read-only on one port, and the systemd unit's ExecStart line.
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { itIf, whyNot } from '../helpers/describe-if.js';
import { portableCli } from '../helpers/portable.js';
import { ROOT, freePort, removeDir, tempDir } from '../helpers/run.js';
import { nodeForAnyUser } from '../helpers/node24.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function block(name: string): string {
  const m = new RegExp(`<!-- example:${name} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(README);
  if (!m?.[1]) throw new Error(`README has no example:${name} block`);
  return m[1];
}

function userId(name: string): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  const f = line?.split(':');
  return f ? { uid: Number(f[2]), gid: Number(f[3]) } : undefined;
}

const NGINX = '/usr/sbin/nginx';
const haveNginx = existsSync(NGINX);
const haveSetpriv = spawnSync('setpriv', ['--version']).status === 0;
const www = userId('www-data');
const why = whyNot(
  [!haveNginx, 'nginx is not installed (.ci/run installs nginx-light)'],
  [!haveSetpriv, 'setpriv is missing'],
  [www === undefined, 'no www-data user'],
  [process.getuid?.() !== 0, 'needs root to switch to www-data'],
);

function fetch(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

async function fetchWhenUp(port: number, child: ChildProcess, log: () => string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${log()}`);
    try {
      return await fetch(port);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`server never answered: ${log()}`);
}

/** Runs a shell script as www-data with `landrun` meaning this checkout's CLI. */
function startAsWww(script: string): { child: ChildProcess; log: () => string } {
  const preamble = `landrun() { "${nodeForAnyUser()}" "${portableCli()}" "$@"; }\n`;
  const child = spawn('setpriv', ['--reuid', 'www-data', '--regid', 'www-data', '--clear-groups', '--', 'bash', '-c', preamble + script], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: dir, // www-data may not be able to enter the checkout
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, log: () => out };
}

function stop(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

let dir: string;
beforeAll(() => {
  dir = tempDir();
  chmodSync(dir, 0o755);
});
afterAll(() => removeDir(dir));

describe('README examples', () => {
  itIf(why, 'nginx serves a directory read-only on one port', async () => {
    const port = await freePort();
    const base = join(dir, 'nginx');
    mkdirSync(base);
    chownSync(base, www!.uid, www!.gid);
    const script = block('nginx').replaceAll('/tmp/', `${base}/`).replaceAll('8080', String(port));
    const { child, log } = startAsWww(script);
    try {
      expect(await fetchWhenUp(port, child, log)).toBe('hello\n');
      // and it cannot write its document root
      expect(log()).not.toContain('emerg');
    } finally {
      stop(child);
    }
  });

  itIf(why, 'the systemd unit ExecStart runs as its User= and serves', async () => {
    const unit = block('systemd');
    const user = /^User=(.+)$/m.exec(unit)?.[1];
    expect(user).toBe('www-data');
    const execStart = /^ExecStart=((?:.*\\\n)*.*)$/m.exec(unit)?.[1]?.replace(/\\\n\s*/g, '');
    expect(execStart).toMatch(/^\/usr\/local\/bin\/landrun /);
    const port = await freePort();
    const base = join(dir, 'unit');
    const site = join(base, 'srv-site');
    const run = join(base, 'run-site-nginx');
    mkdirSync(site, { recursive: true });
    mkdirSync(run, { recursive: true });
    writeFileSync(join(site, 'index.html'), 'from the unit\n');
    writeFileSync(
      join(run, 'nginx.conf'),
      `daemon off; pid ${run}/nginx.pid; error_log stderr; events {}\nhttp { access_log off; client_body_temp_path ${run}/b; proxy_temp_path ${run}/p; fastcgi_temp_path ${run}/f; uwsgi_temp_path ${run}/u; scgi_temp_path ${run}/s;\nserver { listen 127.0.0.1:${port}; root ${site}; } }\n`,
    );
    for (const p of [base, run]) chownSync(p, www!.uid, www!.gid);
    const cmd = (execStart as string)
      .replace('/usr/local/bin/landrun', 'landrun')
      .replaceAll('/srv/site', site)
      .replaceAll('/run/site-nginx', run)
      .replaceAll('8080', String(port));
    const { child, log } = startAsWww(cmd);
    try {
      expect(await fetchWhenUp(port, child, log)).toBe('from the unit\n');
    } finally {
      stop(child);
    }
  });
});
