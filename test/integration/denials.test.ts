// Denial reports and learn mode on the real kernel. The audit cases need root (CAP_AUDIT_READ and,
// to switch audit on for the run, CAP_AUDIT_CONTROL) and Landlock ABI 7; they print why when they
// cannot run. Audit is global, so this file runs its cases one after another.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { itIf } from '../helpers/describe-if.js';
import { portableCli } from '../helpers/portable.js';
import { landrun, landrunAsync, listen, removeDir, ROOT, SYSTEM, tempDir, type Listener } from '../helpers/run.js';
import { openRelayAuditSession } from '../../src/denials/audit-session.js';
import { openAuditNetlink } from '../../src/landlock/syscalls.js';

const abi = Number(/kernel: Landlock ABI (\d+)/.exec(landrun(['--explain', '--unrestricted-filesystem']).stdout)?.[1] ?? 0);
const root = process.getuid?.() === 0;
const haveStrace = spawnSync('strace', ['-V']).status === 0;
const auditWhy = abi < 7 ? `kernel Landlock ABI ${abi} < 7: no audit records` : !root ? 'not root: cannot read or enable audit' : undefined;

let dir: string;
let outside: string;
let secret: string;
let closed: string;
let listener: Listener;
beforeAll(async () => {
  dir = tempDir();
  outside = tempDir(); // nothing here is granted
  secret = join(outside, 'secret');
  closed = join(outside, 'closed');
  mkdirSync(secret);
  mkdirSync(closed);
  writeFileSync(join(secret, 'token'), 'T');
  listener = await listen();
});
afterAll(async () => {
  await listener.close();
  removeDir(dir);
  removeDir(outside);
});

// Reads a denied file, creates a file in a denied directory, connects to a denied port.
const probe = (): string[] => ['bash', '--norc', '-c', `cat ${secret}/token; touch ${closed}/new; exec 3<>/dev/tcp/127.0.0.1/${listener.port}; true`];
const grants = (): string[] => [...SYSTEM, '--rw', '/dev/null', '--rw', '/dev/tty'];

function reportLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('[landrun] warn:   '))
    .map((l) => l.slice('[landrun] warn:   '.length));
}

describe('denial report', () => {
  itIf(auditWhy ? `${auditWhy}` : undefined, 'audit: exactly the three denials, each with the flag that allows it', async () => {
    const before = listener.connections();
    const r = await landrunAsync(['--denials', '--audit', ...grants(), '--', ...probe()]);
    expect(r.stderr).toContain('[landrun] warn: the sandbox denied (source: audit):');
    expect(reportLines(r.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^fs\\.make_reg ${closed} by touch\\[\\d+\\]$`)),
      expect.stringMatching(new RegExp(`^fs\\.read_file ${secret}/token by cat\\[\\d+\\]$`)),
      expect.stringMatching(new RegExp(`^net\\.connect_tcp 127\\.0\\.0\\.1:${listener.port} by bash\\[\\d+\\]$`)),
      `--connect-tcp ${listener.port}`,
      `--ro ${secret}/token`,
      `--rw ${closed}`,
    ]);
    expect(listener.connections()).toBe(before);
    expect(existsSync(join(closed, 'new'))).toBe(false);
  });

  itIf(!haveStrace ? 'strace is not installed' : undefined, 'trace: the same three denials from strace inside the sandbox', async () => {
    const r = await landrunAsync(['--denials', '--trace', ...grants(), '--', ...probe()]);
    expect(r.stderr).toContain('[landrun] warn: the sandbox denied (source: trace):');
    const lines = reportLines(r.stderr);
    // (strace also sees what seccomp refuses, such as glibc asking nscd over a unix socket)
    expect(lines.filter((l) => l.startsWith('--') && !l.startsWith('--allow-unix-sockets'))).toEqual([`--connect-tcp ${listener.port}`, `--ro ${secret}/token`, `--rw ${closed}`]);
    expect(lines).toEqual(expect.arrayContaining([`net.connect_tcp 127.0.0.1:${listener.port}`, `fs.make_reg ${closed}`, `fs.read_file ${secret}/token`]));
  });

  itIf(!haveStrace ? 'strace is not installed' : undefined, 'trace does not blame the sandbox for ordinary permission errors', async () => {
    if (root) {
      // root passes every mode check; use an unprivileged user for a file only its owner may read
      const f = join(dir, 'private');
      writeFileSync(f, 'p', { mode: 0o600 });
      chmodSync(dir, 0o755);
      const r = spawnSync('setpriv', ['--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', '--', process.execPath, portableCli(), '--denials', '--trace', '--log-level', 'info', ...SYSTEM, '--ro', dir, '--', 'cat', f], { encoding: 'utf8', cwd: dir });
      expect(r.stderr).toContain(`cat: ${f}: Permission denied`);
      expect(r.stderr).toContain('no denials (source: trace)');
    } else {
      const r = await landrunAsync(['--denials', '--trace', ...SYSTEM, '--ro', '/etc', '--log-level', 'info', '--', 'cat', '/etc/shadow']);
      expect(r.stderr).toContain('no denials (source: trace)');
    }
  });

  it('without audit and without --trace, says that denials cannot be observed, and why', async () => {
    const r = await landrunAsync(['--denials', ...grants(), '--', 'cat', `${secret}/token`]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\[landrun\] warn: denials cannot be observed here: .*--trace \(run the command under strace inside the sandbox\) was not given/);
  });

  itIf(auditWhy ? `${auditWhy}` : undefined, 'two sandboxes at once: each report holds only its own denials', async () => {
    const a = join(dir, 'only-a');
    const b = join(dir, 'only-b');
    writeFileSync(a, 'a');
    writeFileSync(b, 'b');
    const [ra, rb] = await Promise.all([
      landrunAsync(['--denials', '--audit', ...SYSTEM, '--', 'sh', '-c', `for i in 1 2 3; do cat ${a}; sleep 0.2; done; true`]),
      landrunAsync(['--denials', '--audit', ...SYSTEM, '--', 'sh', '-c', `for i in 1 2 3; do cat ${b}; sleep 0.2; done; true`]),
    ]);
    const la = reportLines(ra.stderr).filter((l) => l.startsWith('fs.'));
    const lb = reportLines(rb.stderr).filter((l) => l.startsWith('fs.'));
    expect(la).toEqual([expect.stringMatching(new RegExp(`^fs\\.read_file ${a} \\(3×\\)`))]);
    expect(lb).toEqual([expect.stringMatching(new RegExp(`^fs\\.read_file ${b} \\(3×\\)`))]);
  });

  itIf(auditWhy ? `${auditWhy}` : undefined, 'audit is left as it was found', async () => {
    const { openAuditNetlink } = await import('../../src/landlock/syscalls.js');
    const a = openAuditNetlink();
    const before = a.enabled();
    await landrunAsync(['--denials', '--audit', ...SYSTEM, '--', 'cat', `${secret}/token`]);
    expect(a.enabled()).toBe(before);
    a.close();
  });

  it('waiting for the command keeps its exit status, signal and output', async () => {
    const ok = await landrunAsync(['--denials', ...SYSTEM, '--', 'sh', '-c', 'printf "out\\001"; printf err >&2; exit 7']);
    expect(ok.status).toBe(7);
    expect(ok.stdout).toBe('out\u0001');
    expect(ok.stderr.startsWith('err')).toBe(true);
    const killed = await landrunAsync(['--denials', ...SYSTEM, '--', 'sh', '-c', 'kill -TERM $$']);
    expect(killed.signal).toBe('SIGTERM');
  });
});

describe('learn mode', () => {
  itIf(auditWhy && !haveStrace ? 'neither audit records nor strace are available' : undefined, 'converges on a script that needs three grants, and the printed flags make it pass', async () => {
    const work = join(dir, 'learn');
    mkdirSync(join(work, 'data'), { recursive: true });
    writeFileSync(join(work, 'data', 'input.txt'), 'input\n');
    const script = join(work, 'job.sh');
    writeFileSync(script, `#!/bin/sh\nset -e\ncat ${work}/data/input.txt > /dev/null\nmkdir -p ${work}/out\necho done > ${work}/out/result\n`, { mode: 0o755 });
    const r = await landrunAsync(['--learn', ...(auditWhy ? [] : ['--audit']), '--rox', '/usr', '--rox', script, '--', script], { timeout: 60000 });
    expect(r.stderr).toContain('learn mode runs the command up to 5 times');
    expect(r.stderr).toMatch(/learn round \d+: exit 0, 0 denial\(s\)/);
    const flagsBlock = /# flags:\nlandrun ([\s\S]*?) -- /.exec(r.stdout)?.[1] as string;
    const flags = flagsBlock.replace(/\\\n\s*/g, '').trim().split(/\s+/);
    expect(flags).toEqual(expect.arrayContaining(['--rw', '/dev/null', '--rw', work]));
    expect(r.stdout).toMatch(/# learned: .*--rw \/dev\/null/);
    // a fresh run with the printed flags passes
    removeDir(join(work, 'out'));
    const fresh = landrun([...flags, '--', script]);
    expect(fresh.stderr).toBe('');
    expect(fresh.status).toBe(0);
    expect(readFileSync(join(work, 'out', 'result'), 'utf8')).toBe('done\n');
    // and so does the policy file it printed
    removeDir(join(work, 'out'));
    const fragment = r.stdout.slice(r.stdout.indexOf('# policy file'));
    writeFileSync(join(work, 'policy.yml'), fragment.slice(fragment.indexOf('\n') + 1));
    const viaFile = landrun(['--policy', join(work, 'policy.yml'), '--', script]);
    expect(viaFile.status).toBe(0);
  }, 90000);

  itIf(!haveStrace ? 'strace is not installed' : undefined, 'never learns a wide grant silently', async () => {
    const r = await landrunAsync(['--learn', '--trace', ...SYSTEM, '--rw', '/dev/null', '--rw', '/dev/tty', '--', 'bash', '--norc', '-c', 'exec 3<>/dev/udp/127.0.0.1/9; true'], { timeout: 60000 });
    expect(r.stderr).toContain('not learned (too wide, decide yourself): --unrestricted-network');
    expect(r.stdout).toContain('# learned: nothing');
  }, 90000);
});

// The audit relay the Action starts through `sudo -n` when it is not root: a `sudo` stand-in that
// just runs its arguments (the tests run as root) exercises the real relay program and protocol.
// (In this file because audit is global: its cases must not run alongside the ones above.)
let relayDir: string;
const sudo = (): string => {
  const p = join(relayDir, 'sudo');
  if (!existsSync(p)) writeFileSync(p, '#!/bin/sh\n[ "$1" = -n ] && shift\nexec "$@"\n', { mode: 0o755 });
  return p;
};
beforeAll(() => {
  relayDir = tempDir();
});
afterAll(() => removeDir(relayDir));

describe('audit relay', () => {
  itIf(auditWhy ? `${auditWhy}` : undefined, 'streams the sandbox records and restores the audit state', async () => {
    const a = openAuditNetlink();
    const before = a.enabled();
    const session = await openRelayAuditSession(process.execPath, join(ROOT, 'lib', 'entrypoints', 'audit-relay.js'), true, sudo());
    expect(a.enabled()).toBe(true);
    const marker = join(relayDir, 'relay-denied');
    writeFileSync(marker, 'x');
    await landrunAsync(['--log-enable-subprocesses', ...SYSTEM, '--', 'cat', marker]);
    const msgs: Array<{ type: number; text: string }> = [];
    const seen = (): boolean => msgs.some((m) => m.type === 1423 && m.text.includes(`path="${marker}"`));
    for (let i = 0; i < 100 && !seen(); i++) {
      await new Promise((r) => setTimeout(r, 30));
      msgs.push(...session.drain());
    }
    await session.end();
    expect(msgs.some((m) => m.type === 1423 && m.text.includes(`path="${marker}"`) && m.text.includes('blockers=fs.read_file'))).toBe(true);
    expect(a.enabled()).toBe(before);
    a.close();
  });

  it('reports why it cannot start', async () => {
    const refusing = join(relayDir, 'sudo-refusing');
    writeFileSync(refusing, '#!/bin/sh\necho "sudo: a password is required" >&2\nexit 1\n', { mode: 0o755 });
    await expect(openRelayAuditSession(process.execPath, join(ROOT, 'lib', 'entrypoints', 'audit-relay.js'), true, refusing)).rejects.toThrow(/could not start through sudo -n \(exit 1\): sudo: a password is required/);
  });
});
