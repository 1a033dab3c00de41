// --allow-dns against a DNS server on loopback: names resolve over TCP while UDP stays closed.
// The sandbox reads the system's /etc/resolv.conf, so each case runs in a private mount namespace
// (unshare -m, root) where a resolv.conf naming the test server is bind-mounted over it.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeIf, itIf } from '../helpers/describe-if.js';
import { startDns, type DnsServer } from '../helpers/dns.js';
import { CLI, listen, removeDir, tempDir, type Listener, NODE } from '../helpers/run.js';

// One address per Jest project (jest.config.js runs this suite on two Nodes at once): port 53 each.
const DNS_HOST = NODE === process.execPath ? '127.0.0.77' : '127.0.0.78';
const NAME = 'service.landrun.test';
const canRun = process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0;

let dir: string;
let dns: DnsServer | undefined;
let web: Listener | undefined;
let resolvConf: string;

beforeAll(async () => {
  dir = tempDir();
  resolvConf = join(dir, 'resolv.conf');
  writeFileSync(resolvConf, `nameserver ${DNS_HOST}\noptions timeout:1 attempts:1\n`);
  if (!canRun) return;
  dns = await startDns(DNS_HOST, '127.0.0.1');
  web = await listen();
});
afterAll(async () => {
  await dns?.close();
  await web?.close();
  removeDir(dir);
});

/** landrun in a mount namespace whose /etc/resolv.conf points at the test server. */
function sandboxed(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const inner = `mount --bind "$1" /etc/resolv.conf && shift && exec "$@"`;
  return new Promise((resolve) => {
    const child = spawn('unshare', ['-m', 'sh', '-c', inner, 'sh', resolvConf, NODE, CLI, ...args], {
      env: { PATH: process.env.PATH, HOME: dir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}


const SYSTEM = ['--rox', '/usr', '--ro', '/etc'];

describeIf(canRun ? undefined : 'needs root and unshare -m to point /etc/resolv.conf at the test DNS server', '--allow-dns', () => {
  it('glibc (getent) resolves over TCP with --allow-dns; without it, nothing reaches the server', async () => {
    const before = dns!.tcpQueries() + dns!.udpQueries();
    const denied = await sandboxed([...SYSTEM, 'getent', 'ahostsv4', NAME]);
    expect(denied.status).not.toBe(0);
    expect(dns!.tcpQueries() + dns!.udpQueries()).toBe(before);

    const ok = await sandboxed([...SYSTEM, '--allow-dns', 'getent', 'ahostsv4', NAME]);
    expect(ok.stdout).toMatch(new RegExp(`^127\\.0\\.0\\.1\\s+STREAM ${NAME.replace(/\./g, '\\.')}`, 'm'));
    expect(dns!.udpQueries()).toBe(0);
    expect(dns!.tcpQueries()).toBeGreaterThan(0);
  });

  it("Node's dns.lookup resolves and net.connect reaches the granted port", async () => {
    const code = `require('net').connect(${web!.port}, '${NAME}', function () { console.log('connected'); this.end(); }).on('error', (e) => { console.log(e.code); process.exit(1); })`;
    const before = web!.connections();
    const r = await sandboxed([...SYSTEM, '--allow-dns', '--connect-tcp', String(web!.port), 'node', '-e', code]);
    expect(r.stdout).toBe('connected\n');
    expect(web!.connections()).toBe(before + 1);
  });

  itIf(existsSync('/usr/bin/curl') ? undefined : 'curl is not installed', 'curl resolves and connects', async () => {
    const before = web!.connections();
    const r = await sandboxed([...SYSTEM, '--allow-dns', '--connect-tcp', String(web!.port), 'curl', '-s', '-o', '/dev/null', '-w', '%{remote_ip}', `http://${NAME}:${web!.port}/`]);
    expect(r.stdout).toBe('127.0.0.1');
    expect(web!.connections()).toBe(before + 1);
  });

  itIf(existsSync('/usr/bin/python3') ? undefined : '/usr/bin/python3 is not installed', 'Python (socket.getaddrinfo) resolves', async () => {
    const r = await sandboxed([...SYSTEM, '--allow-dns', '/usr/bin/python3', '-c', `import socket; print(socket.gethostbyname('${NAME}'))`]);
    expect(r.stdout).toBe('127.0.0.1\n');
  });

  it("Node's dns.resolve4 (c-ares reads RES_OPTIONS too) resolves over TCP", async () => {
    const before = dns!.udpQueries();
    const r = await sandboxed([...SYSTEM, '--allow-dns', 'node', '-e', `require('dns').resolve4('${NAME}', (e, a) => console.log(e ? e.code : a.join()))`]);
    expect(r.stdout).toBe('127.0.0.1\n');
    expect(dns!.udpQueries()).toBe(before);
  });

  it('without RES_OPTIONS=use-vc the same resolver tries UDP and fails: --allow-dns alone is not enough', async () => {
    const before = dns!.tcpQueries() + dns!.udpQueries();
    const r = await sandboxed([...SYSTEM, '--allow-dns', '--env', 'RES_OPTIONS=', 'getent', 'ahostsv4', NAME]);
    expect(r.status).not.toBe(0);
    expect(dns!.tcpQueries() + dns!.udpQueries()).toBe(before);
  });
});
