// Denial reports and learn mode on the real kernel, as root and as an unprivileged user. The audit
// cases need root (CAP_AUDIT_READ and, to switch audit on for the run, CAP_AUDIT_CONTROL) and
// Landlock ABI 7; the trace cases need strace. Audit is global, so this file runs its cases one
// after another, and the Action's e2e tests use trace only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { itIf, whyNot } from '../helpers/describe-if.js';
import { portableCli } from '../helpers/portable.js';
import { CLI, landrun, landrunAsync, removeDir, ROOT, SYSTEM, tempDir, type Listener, type RunResult, NODE } from '../helpers/run.js';
import { cpuLoad, haveSetpriv, SETPRIV, landrunAsNobody, listenFixed, reportLines, section, stillRunning, suggestedFlags, UNPRIVILEGED } from '../helpers/denial-report.js';
import { openLocalAuditSession, openRelayAuditSession } from '../../src/denials/audit-session.js';
import { openAuditNetlink } from '../../src/landlock/syscalls.js';
import { descendants } from '../../src/launch/sweep.js';
import { nodeForAnyUser } from '../helpers/node24.js';

const abi = Number(/kernel: Landlock ABI (\d+)/.exec(landrun(['--explain', '--unrestricted-filesystem']).stdout)?.[1] ?? 0);
const root = process.getuid?.() === 0;
const haveStrace = spawnSync('strace', ['-V']).status === 0;
const haveNpm = spawnSync('npm', ['--version']).status === 0;
const auditWhy = abi < 7 ? `kernel Landlock ABI ${abi} < 7: no audit records` : !root ? 'not root: cannot read or enable audit' : undefined;
const nobodyWhy = whyNot([!root, 'not root: cannot switch to another user'], [!haveSetpriv, 'setpriv is missing']);
const traceWhy = haveStrace ? undefined : 'strace is not installed';
/** The loopback mode comes with the preset issue; its test runs once the CLI has it. */
const loopbackWhy = landrun(['--help']).stdout.includes('--loopback') ? undefined : '--loopback is not in this build yet (issue 8)';
const BASH = [...SYSTEM, '--rw', '/dev/null'];

let scratch: string;
beforeAll(() => {
  scratch = tempDir();
  chmodSync(scratch, 0o755);
});
afterAll(() => removeDir(scratch));

/** A project directory for `who`: the CLI's working directory, which suggestions are relative to. */
function project(name: string, who: 'root' | 'nobody'): string {
  const w = join(scratch, name);
  mkdirSync(w, { recursive: true });
  if (who === 'nobody') chownSync(w, UNPRIVILEGED.uid, UNPRIVILEGED.gid);
  return w;
}
const chownAll = (dir: string): void => {
  spawnSync('chown', ['-R', `${UNPRIVILEGED.uid}:${UNPRIVILEGED.gid}`, dir]);
};
const run = (who: 'root' | 'nobody', args: string[], cwd: string, env?: Record<string, string | undefined>, timeout = 60000): Promise<RunResult> =>
  who === 'root' ? landrunAsync(args, { cwd, timeout, ...(env ? { env } : {}) }) : landrunAsNobody(args, { cwd, timeout, ...(env ? { env } : {}) });

describe('--denials names what was denied, with flags that work', () => {
  const cases: Array<{ name: string; who: 'root' | 'nobody'; extra: string[]; source: RegExp; why: string | undefined }> = [
    { name: 'root, the best source here', who: 'root', extra: [], source: /audit|trace/, why: whyNot([!root, 'not root'], [!!auditWhy && !haveStrace, 'neither audit records nor strace']) },
    { name: 'root, --audit', who: 'root', extra: ['--audit'], source: /audit/, why: auditWhy },
    { name: 'root, --trace', who: 'root', extra: ['--trace'], source: /trace/, why: traceWhy },
    { name: 'unprivileged (strace: audit records cannot be read)', who: 'nobody', extra: [], source: /trace/, why: nobodyWhy ?? traceWhy },
  ];
  for (const c of cases) {
    itIf(c.why, c.name, async () => {
      const w = project(`probe-${c.who}-${c.extra.join('') || 'auto'}`, c.who);
      mkdirSync(join(w, 'secret'));
      mkdirSync(join(w, 'closed'));
      writeFileSync(join(w, 'secret', 'token'), 'T\n');
      if (c.who === 'nobody') chownAll(w);
      const l: Listener = await listenFixed();
      try {
        const probe = `cat secret/token; touch closed/new; exec 3<>/dev/tcp/127.0.0.1/${l.port}; true`;
        const first = await run(c.who, ['--denials', ...c.extra, ...BASH, '--', 'bash', '--norc', '-c', probe], w);
        expect(first.stderr).toMatch(new RegExp(`the sandbox denied \\(source: (${c.source.source})\\):`));
        expect(reportLines(first.stderr)).toEqual(
          expect.arrayContaining([
            expect.stringMatching(new RegExp(`^fs\\.read_file ${w}/secret/token( by cat\\[\\d+\\])?$`)),
            expect.stringMatching(new RegExp(`^fs\\.make_reg ${w}/closed( by touch\\[\\d+\\])?$`)),
            expect.stringMatching(new RegExp(`^net\\.connect_tcp 127\\.0\\.0\\.1:${l.port}( by bash\\[\\d+\\])?$`)),
          ]),
        );
        expect(section(first.stderr, 'to allow them:').map((s) => s.replace(/\s+#.*/, ''))).toEqual([`--connect-tcp ${l.port}`, '--ro ./secret', '--rw ./closed']);
        expect(suggestedFlags(first.stderr, ['wider than what was denied (decide yourself):', 'needs your decision:'])).toEqual([]);
        expect(l.connections()).toBe(0);
        // the suggested flags make the same script pass, every step of it
        const again = await run(c.who, ['--denials', ...c.extra, ...BASH, ...suggestedFlags(first.stderr), '--', 'bash', '--norc', '-c', `set -e; ${probe.replace(/; true$/, '')}; echo ok`], w);
        expect(again.stdout).toBe('T\nok\n');
        expect(again.status).toBe(0);
        expect(existsSync(join(w, 'closed', 'new'))).toBe(true);
        expect(l.connections()).toBe(1);
        expect(again.stderr).not.toContain('the sandbox denied');
      } finally {
        await l.close();
      }
    }, 120000);
  }

  itIf(nobodyWhy, 'says why it cannot observe, and what would bring each source', async () => {
    const w = project('unobservable', 'nobody');
    // no strace on this PATH, and audit records cannot be read as this user
    const r = await landrunAsNobody(['--denials', ...BASH, '--', '/usr/bin/cat', '/etc/shadow-not-granted'], { cwd: w, env: { PATH: '/nonexistent', HOME: '/nonexistent' } });
    expect(r.stderr).toMatch(/denials cannot be observed here: Landlock audit records: .*(CAP_AUDIT_READ|ABI 7).*; strace: not installed \(apt-get install strace/);
    expect(r.status).toBe(1);
  });

  itIf(traceWhy, 'trace does not blame the sandbox for ordinary permission errors', async () => {
    if (root) {
      // root passes every mode check; as an unprivileged user, a file only its owner may read
      const d = project('dac', 'root');
      const f = join(d, 'private');
      writeFileSync(f, 'p', { mode: 0o600 });
      const r = await landrunAsNobody(['--denials', '--trace', '--log-level', 'info', ...SYSTEM, '--ro', d, '--', 'cat', f], { cwd: scratch });
      expect(r.stderr).toContain(`cat: ${f}: Permission denied`);
      expect(r.stderr).toContain('no denials (source: trace)');
    } else {
      const r = await landrunAsync(['--denials', '--trace', ...SYSTEM, '--ro', '/etc', '--log-level', 'info', '--', 'cat', '/etc/shadow']);
      expect(r.stderr).toContain('no denials (source: trace)');
    }
  });

  itIf(auditWhy, 'two sandboxes at once: each report holds only its own denials', async () => {
    const a = join(scratch, 'only-a');
    const b = join(scratch, 'only-b');
    writeFileSync(a, 'a');
    writeFileSync(b, 'b');
    const [ra, rb] = await Promise.all([
      landrunAsync(['--denials', '--audit', ...SYSTEM, '--', 'sh', '-c', `for i in 1 2 3; do cat ${a}; sleep 0.2; done; true`]),
      landrunAsync(['--denials', '--audit', ...SYSTEM, '--', 'sh', '-c', `for i in 1 2 3; do cat ${b}; sleep 0.2; done; true`]),
    ]);
    expect(reportLines(ra.stderr).filter((l) => l.startsWith('fs.'))).toEqual([expect.stringMatching(new RegExp(`^fs\\.read_file ${a} \\(3×\\)`))]);
    expect(reportLines(rb.stderr).filter((l) => l.startsWith('fs.'))).toEqual([expect.stringMatching(new RegExp(`^fs\\.read_file ${b} \\(3×\\)`))]);
  });

  // Landlock's records cannot wait for room in the kernel's queue: with the default backlog (64)
  // a burst from ten sandboxes on a loaded machine loses records, and the report must say so.
  for (const backlog of ['as landrun sets it while it holds audit on', 'at the kernel default of 64'] as const) {
    itIf(auditWhy, `ten sandboxes at once under CPU load, backlog ${backlog}: every report is complete, or says what is missing`, async () => {
      const d = join(scratch, `load-${backlog.length}`);
      mkdirSync(d);
      const N = 20;
      for (let i = 0; i < N; i++) writeFileSync(join(d, `f${i}`), 'x');
      // the test holds a session of its own (registered, so that no run switches audit off under another)
      const session = await openLocalAuditSession(true);
      const a = openAuditNetlink();
      const limit = a.status()?.backlogLimit;
      if (backlog !== 'as landrun sets it while it holds audit on') a.setBacklogLimit(64);
      const load = cpuLoad(2);
      let results: RunResult[];
      try {
        results = await Promise.all(
          Array.from({ length: 10 }, () => landrunAsync(['--denials', '--audit', ...BASH, '--', 'bash', '--norc', '-c', `for i in $(seq 0 ${N - 1}); do cat ${d}/f$i 2>/dev/null; done; true`], { timeout: 90000 })),
        );
      } finally {
        load.stop();
        if (limit !== undefined) a.setBacklogLimit(limit);
        a.close();
        await session.end();
      }
      for (const r of results) {
        const listed = reportLines(r.stderr).filter((l) => l.startsWith(`fs.read_file ${d}/f`)).length;
        expect(r.stderr).toContain('(source: audit)');
        if (listed === N) continue;
        // fewer than the kernel counted: the report says so, with the number when the kernel gave it
        expect(r.stderr).toMatch(/may be incomplete: /);
        const missing = /may be incomplete: (\d+) of the (\d+) denials/.exec(r.stderr);
        if (missing) expect(listed + Number(missing[1])).toBeGreaterThanOrEqual(N);
        else expect(r.stderr).toMatch(/may be incomplete: .*(dropped|overflowed|switched off|did not arrive)/);
        expect(r.stderr).not.toMatch(/\[landrun\] (warn|info): no denials \(source/);
      }
    }, 180000);
  }

  itIf(auditWhy, 'audit is left as it was found', async () => {
    const a = openAuditNetlink();
    const before = a.status();
    await landrunAsync(['--denials', '--audit', ...SYSTEM, '--', 'cat', join(scratch, 'only-a')]);
    const after = a.status();
    expect([after?.enabled, after?.backlogLimit]).toEqual([before?.enabled, before?.backlogLimit]);
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

describe('--denials --trace and SIGTERM', () => {
  // The command cannot stop the tracer (it runs outside the sandbox) and ignores SIGTERM itself:
  // the CLI still ends within a second, as if SIGTERM had killed it, and leaves nothing running.
  for (const who of ['root', 'nobody'] as const) {
    itIf(traceWhy ?? (abi < 6 ? `Landlock ABI ${abi} < 6: no signal scope keeps the command from stopping the tracer` : undefined) ?? (who === 'nobody' ? nobodyWhy : undefined), `ends within a second with status 143 and nothing left running (${who})`, async () => {
      const w = project(`sigterm-${who}`, who);
      const script = 'trap "" TERM HUP INT; kill -STOP $PPID 2>/dev/null; echo $? > stopped; sleep 60 & touch ready; sleep 60; wait';
      const args = ['--denials', '--trace', ...BASH, '--rw', w, '--', 'bash', '--norc', '-c', script];
      const child =
        who === 'root'
          ? spawn(NODE, [CLI, ...args], { cwd: w, stdio: 'ignore', env: { PATH: process.env.PATH, LANG: 'C' } })
          : spawn(SETPRIV, ['--reuid=65534', '--regid=65534', '--clear-groups', '--', nodeForAnyUser(), portableCli(), ...args], { cwd: w, stdio: 'ignore', env: { PATH: process.env.PATH, LANG: 'C' } });
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((res) => child.once('exit', (code, signal) => res({ code, signal, at: Date.now() })));
      for (let i = 0; i < 300 && !existsSync(join(w, 'ready')); i++) await new Promise((r) => setTimeout(r, 20));
      expect(existsSync(join(w, 'ready'))).toBe(true);
      expect(readFileSync(join(w, 'stopped'), 'utf8').trim()).not.toBe('0'); // the tracer is out of its reach
      const tree = descendants(child.pid as number);
      expect(tree.length).toBeGreaterThanOrEqual(3); // strace, bash, two sleeps
      const sent = Date.now();
      child.kill('SIGTERM');
      const end = await exit;
      expect(end.at - sent).toBeLessThan(1000);
      expect(end.signal).toBe('SIGTERM'); // a shell reports 143
      await new Promise((r) => setTimeout(r, 100));
      expect(stillRunning(tree)).toEqual([]);
    }, 30000);
  }
});

describe('network denials are named for what they are', () => {
  const bind0 = ['/usr/bin/perl', '-MIO::Socket::INET', '-e', 'IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1", LocalPort => 0, Proto => "tcp") or die "bind: $!\\n"; print "bound\\n"'];

  itIf(whyNot([!!auditWhy && !haveStrace, 'neither audit records nor strace']), 'a bind to port 0 (a test server) suggests the loopback mode, never --bind-tcp 0', async () => {
    const r = await landrunAsync(['--denials', ...BASH, '--ro', '/dev/urandom', '--', ...bind0], { cwd: scratch });
    expect(r.stderr).toContain('bind: Permission denied');
    expect(reportLines(r.stderr)).toEqual(expect.arrayContaining([expect.stringMatching(/^net\.bind_tcp 127\.0\.0\.1:0( by perl\[\d+\])?$/)]));
    expect(section(r.stderr, 'to allow them:')).toEqual([expect.stringMatching(/^--loopback {3}# binds an ephemeral port \(listen on port 0: a test server\)/)]);
    expect(r.stderr).not.toMatch(/--bind-tcp 0|--unrestricted-scoped/);
  });

  itIf(loopbackWhy, 'and the suggestion works', async () => {
    const r = await landrunAsync(['--denials', ...BASH, '--ro', '/dev/urandom', '--loopback', '--', ...bind0], { cwd: scratch });
    expect(r.stdout).toBe('bound\n');
    expect(r.status).toBe(0);
  });
});

describe('refusals that programs tolerate are shown apart and never suggested', () => {
  itIf(whyNot([!!traceWhy, traceWhy ?? ''], [!haveNpm, 'npm is not installed']), 'bash, glibc getent and npm', async () => {
    const home = join(scratch, 'npm-home');
    mkdirSync(home, { recursive: true });
    const script = `getent passwd root >/dev/null; npm ping --registry http://localhost:9/ --fetch-retries=0 >/dev/null 2>&1; true`;
    const r = await landrunAsync(['--denials', '--trace', ...BASH, '--rw', home, '--env', `HOME=${home}`, '--env', 'PATH', '--', 'bash', '--norc', '-c', script], { cwd: scratch, timeout: 90000 });
    const tolerated = section(r.stderr, 'refused, and tolerated by the program (not suggested):');
    expect(tolerated).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^fs\.read_file,fs\.write_file \/dev\/tty by bash\[\d+\]: the shell looks for a controlling terminal/),
        expect.stringMatching(/^seccomp\.unix unix sockets .*getent\[\d+\].*: glibc asked the name service cache daemon first/),
        expect.stringMatching(/^seccomp\.netlink netlink route sockets .*by node\[\d+\].*: glibc and libuv list the network interfaces/),
      ]),
    );
    expect(section(r.stderr, 'to allow them:').map((s) => s.replace(/\s+#.*/, ''))).toEqual(['--connect-tcp 9']);
    const all = suggestedFlags(r.stderr, ['to allow them:', 'wider than what was denied (decide yourself):', 'needs your decision:']);
    expect(all).not.toEqual(expect.arrayContaining(['--allow-unix-sockets']));
    expect(all).not.toEqual(expect.arrayContaining(['--unrestricted-network']));
    expect(all.join(' ')).not.toContain('/dev/tty');
  }, 120000);
});

describe('learn mode', () => {
  /**
   * A small project with a build step: `./ci.sh` runs make, which writes ./build/out.txt, runs a
   * script from the tree and reads a setting under ~/.config.
   */
  function makeProject(dir: string, home: string): void {
    mkdirSync(join(dir, 'scripts'), { recursive: true });
    mkdirSync(join(dir, 'src'), { recursive: true });
    mkdirSync(join(home, '.config', 'landrun-demo'), { recursive: true });
    writeFileSync(join(dir, 'src', 'input.txt'), 'input\n');
    writeFileSync(join(dir, 'ci.sh'), '#!/bin/sh\nexec make "$@"\n', { mode: 0o755 });
    writeFileSync(join(dir, 'scripts', 'gen.sh'), '#!/bin/sh\ntr a-z A-Z < "$1"\n', { mode: 0o755 });
    writeFileSync(
      join(dir, 'Makefile'),
      ['.DELETE_ON_ERROR:', 'build/out.txt: src/input.txt scripts/gen.sh', '\tmkdir -p build', '\t./scripts/gen.sh src/input.txt > build/out.txt', '\tcat $(HOME)/.config/landrun-demo/settings >> build/out.txt', ''].join('\n'),
    );
    writeFileSync(join(home, '.config', 'landrun-demo', 'settings'), 'setting=1\n');
  }

  for (const who of ['root', 'nobody'] as const) {
    const why = who === 'nobody' ? (nobodyWhy ?? traceWhy) : whyNot([!!auditWhy && !haveStrace, 'neither audit records nor strace']);
    itIf(why, `converges on a project with a build step, and the printed command and policy file pass on a fresh copy (${who})`, async () => {
      const base = join(scratch, `learn-${who}`);
      const proj = join(base, 'project');
      const home = join(base, 'home');
      makeProject(proj, home);
      const bin = join(base, 'bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'landrun'), `#!/bin/sh\nexec ${who === 'root' ? NODE : nodeForAnyUser()} ${who === 'root' ? CLI : portableCli()} "$@"\n`, { mode: 0o755 });
      if (who === 'nobody') chownAll(base);
      chmodSync(base, 0o755);
      const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: home, LANG: 'C' };
      const learnArgs = ['--learn', '--learn-rounds', '10', '--ldd', '--ignore-missing', ...BASH, '--env', 'HOME', '--env', 'PATH', '--', './ci.sh'];
      const r = await run(who, learnArgs, proj, env, 120000);
      expect(r.stderr).toMatch(/learn round \d+: exit 0, 0 denial\(s\)/);
      expect(r.stderr).not.toMatch(/still denied/);
      expect(readFileSync(join(proj, 'build', 'out.txt'), 'utf8')).toBe('INPUT\nsetting=1\n');
      // the command's own execute right, the build output folded into the workspace, HOME as ~
      expect(r.stdout).toMatch(/^# learned: .*--rox \. /m);
      const command = /# flags:\n(landrun [\s\S]*?)\n# policy file/.exec(r.stdout)?.[1] as string;
      expect(command).toContain('--ldd \\\n  --ignore-missing');
      expect(command).toContain('--env HOME');
      expect(command).toContain('--ro ~/.config/landrun-demo');
      expect(command).not.toContain(proj);
      const policyFile = r.stdout.slice(r.stdout.indexOf('# policy file')).split('\n').slice(1).join('\n');
      expect(policyFile).toMatch(/^ldd: /m);
      expect(policyFile).toContain('~/.config/landrun-demo');

      // a fresh copy of the project, build outputs removed: the printed command as a user pastes it
      const fresh = (name: string): string => {
        const d = join(base, name);
        cpSync(proj, d, { recursive: true });
        removeDir(join(d, 'build'));
        if (who === 'nobody') chownAll(d);
        return d;
      };
      const viaFlags = fresh('fresh-flags');
      const shell = (cmd: string, cwd: string): Promise<RunResult> =>
        who === 'root'
          ? runShell(cmd, cwd, env)
          : runShell(`exec setpriv --reuid=65534 --regid=65534 --clear-groups -- sh -c '${cmd.replace(/'/g, `'\\''`)}'`, cwd, env);
      const f = await shell(command, viaFlags);
      expect(f.stderr).toBe('');
      expect(f.status).toBe(0);
      expect(readFileSync(join(viaFlags, 'build', 'out.txt'), 'utf8')).toBe('INPUT\nsetting=1\n');
      const viaFile = fresh('fresh-policy');
      writeFileSync(join(viaFile, 'landrun.yml'), policyFile);
      if (who === 'nobody') chownAll(viaFile);
      const p = await shell('landrun --policy landrun.yml -- ./ci.sh', viaFile);
      expect(p.status).toBe(0);
      expect(readFileSync(join(viaFile, 'build', 'out.txt'), 'utf8')).toBe('INPUT\nsetting=1\n');
    }, 300000);
  }

  itIf(traceWhy, 'never learns a wide grant silently', async () => {
    const r = await landrunAsync(['--learn', '--trace', ...BASH, '--', 'bash', '--norc', '-c', 'exec 3<>/dev/udp/127.0.0.1/9; true'], { cwd: scratch, timeout: 60000 });
    expect(r.stderr).toContain('not learned (too wide, decide yourself): --unrestricted-network');
    expect(r.stdout).toContain('# learned: nothing');
    expect(r.stdout).not.toContain('/dev/tty');
  }, 90000);

  itIf(whyNot([!!auditWhy && !haveStrace, 'neither audit records nor strace']), 'a round past --learn-timeout ends learning at once', async () => {
    const started = Date.now();
    const r = await landrunAsync(['--learn', '--learn-timeout', '1s', ...BASH, '--ro', scratch, '--', 'sh', '-c', `trap "" TERM; sleep 30; cat ${scratch}/x`], { cwd: scratch, timeout: 30000 });
    expect(Date.now() - started).toBeLessThan(10000);
    expect(r.status).toBe(124);
    expect(r.stderr).toContain('learn round 1: exit 124, stopped: time limit reached');
    expect(r.stderr).toContain('learn round 1 ran past --learn-timeout (1 s) and was stopped: learning ended there');
    expect(r.stderr).not.toContain('learn round 2');
  }, 30000);

  itIf(whyNot([!!auditWhy && !haveStrace, 'neither audit records nor strace']), 'SIGTERM ends learning at once: no next round', async () => {
    const w = project('learn-sigterm', 'root');
    const child = spawn(NODE, [CLI, '--learn', ...BASH, '--rw', w, '--', 'sh', '-c', `touch ${w}/ready; sleep 30; cat /etc/shadow-x`], { cwd: w, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<{ signal: NodeJS.Signals | null; at: number }>((res) => child.once('exit', (_c, signal) => res({ signal, at: Date.now() })));
    for (let i = 0; i < 300 && !existsSync(join(w, 'ready')); i++) await new Promise((r) => setTimeout(r, 20));
    const tree = descendants(child.pid as number);
    const sent = Date.now();
    child.kill('SIGTERM');
    const end = await exit;
    expect(end.at - sent).toBeLessThan(1000);
    expect(end.signal).toBe('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    expect(stderr).toContain('learn round 1: exit');
    expect(stderr).not.toContain('learn round 2');
    expect(stillRunning(tree)).toEqual([]);
  }, 30000);
});

function runShell(cmd: string, cwd: string, env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve) => {
    const c = spawn('sh', ['-c', cmd], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

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
  itIf(auditWhy, 'streams the sandbox records and the drop counters, and restores the audit state', async () => {
    const a = openAuditNetlink();
    const before = a.enabled();
    const session = await openRelayAuditSession(NODE, join(ROOT, 'lib', 'entrypoints', 'audit-relay.js'), true, sudo());
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
    expect(session.health()).toMatchObject({ enabled: true, lost: expect.any(Number), backlog: expect.any(Number) });
    await session.end();
    expect(msgs.some((m) => m.type === 1423 && m.text.includes(`path="${marker}"`) && m.text.includes('blockers=fs.read_file'))).toBe(true);
    expect(a.enabled()).toBe(before);
    a.close();
  });

  it('reports why it cannot start', async () => {
    const refusing = join(relayDir, 'sudo-refusing');
    writeFileSync(refusing, '#!/bin/sh\necho "sudo: a password is required" >&2\nexit 1\n', { mode: 0o755 });
    await expect(openRelayAuditSession(NODE, join(ROOT, 'lib', 'entrypoints', 'audit-relay.js'), true, refusing)).rejects.toThrow(/could not start through sudo -n \(exit 1\): sudo: a password is required/);
  });
});
