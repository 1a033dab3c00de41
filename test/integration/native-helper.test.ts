// The two plan launchers, side by side on the real kernel: the Node launcher (lib/entrypoints/
// launcher.js) and the native helper (native-helper/landlock-exec). The same battery runs against
// both; every case is its own process (a sandbox cannot be undone). Plans come from the CLI
// (`landrun --save-plan`) or, for exec records and malformed plans, from encodePlan.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRuntimeFilter, buildSeccompFilter, encodeFilter, type Arch, type SeccompPlan } from '../../src/landlock/seccomp.js';
import { decodePlan, encodePlan, WIRE_VERSION, WireError } from '../../src/launch/wire.js';
import { listen, removeDir, SYSTEM, tempDir, type Listener, NODE, NODE_GRANTS } from '../helpers/run.js';
import {
  buildNative,
  launch,
  missingToolchain,
  NATIVE_BIN,
  NATIVE_LAUNCHER,
  NODE_LAUNCHER,
  savePlan,
  testEnv,
  type PlanLauncher,
} from '../helpers/native.js';
import { describeIf } from '../helpers/describe-if.js';

const noToolchain = missingToolchain();

let dir: string;
const plans: Record<string, string> = {};
let allowed: Listener;
let denied: Listener;
let goExec: string | undefined;
const haveGo = spawnSync('sh', ['-c', 'command -v go']).status === 0;

const plan = (name: string): string => {
  const p = plans[name];
  if (p === undefined) throw new Error(`no plan ${name}`);
  return p;
};
const sub = (name: string): string => {
  const p = join(dir, name);
  mkdirSync(p, { recursive: true });
  return p;
};
const writePlan = (name: string, bytes: Uint8Array): string => {
  const file = join(dir, 'plans', `${name}.bin`);
  writeFileSync(file, bytes);
  plans[name] = file;
  return file;
};
const MAGIC = ['landrun-plan', String(WIRE_VERSION)];
/** A plan as its list of fields, for hand-made variants. */
const fieldsOf = (file: string): string[] => readFileSync(file, 'utf8').slice(0, -1).split('\0');
const fromFields = (f: readonly string[]): Buffer => Buffer.from(f.map((s) => `${s}\0`).join(''), 'utf8');

// perl -e opens /dev/null, so perl-based probes need it readable.
const PERL = [...SYSTEM, '--ro', '/dev/null', ...NODE_GRANTS];
const CONNECT = (port: number): string[] => [
  'perl',
  '-e',
  'use IO::Socket::INET; my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => shift, Proto => "tcp") or die "connect: $!\\n"; print scalar <$s>',
  String(port),
];
const UDP = ['perl', '-e', 'use Socket; socket(my $s, PF_INET, SOCK_DGRAM, 0) or die "udp: $!\\n"; print "udp: created\\n"'];
// TIOCSTI and TIOCLINUX on stderr (a pipe: ENOTTY unless seccomp refuses them first), then TIOCGWINSZ
// as the control: other ioctls are not filtered.
const TTY_IOCTLS = [
  'perl', '-e',
  'for my $r (0x5412, 0x541c, 0x5413) { my $c = "\\x0c" x 8; print ioctl(STDERR, $r, $c) ? "ok\\n" : "$!\\n" }',
];
const ENOTTY_TEXT = 'Inappropriate ioctl for device';

/** Whether a process is alive: present in /proc and not a zombie (pid 1 may be slow to reap). */
const alive = (pid: number): boolean => {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
};
/** The process's command name once it has become `want` (its shell writes the pid just before
 * exec'ing it), or what it is after a second. */
const commOf = async (pid: number, want: string): Promise<string> => {
  let comm = '';
  for (let i = 0; i < 100; i++) {
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      return '';
    }
    if (comm === want) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return comm;
};

beforeAll(async () => {
  if (!noToolchain) buildNative();
  dir = tempDir('landrun-native-');
  mkdirSync(join(dir, 'plans'));
  allowed = await listen();
  denied = await listen();

  const a = sub('read-a');
  const b = sub('read-b');
  writeFileSync(join(a, 'in.txt'), 'inside\n');
  writeFileSync(join(b, 'out.txt'), 'outside\n');
  const save = (name: string, flags: string[]): void => {
    const file = join(dir, 'plans', `${name}.bin`);
    savePlan(file, flags);
    plans[name] = file;
  };
  save('system', SYSTEM);
  save('read', [...SYSTEM, '--ro', a]);
  save('write', [...SYSTEM, '--ro', sub('write-ro'), '--rw', sub('write-rw')]);
  save('devnull-rw', [...SYSTEM, '--rw', '/dev/null']);
  save('perl', PERL);
  save('tcp', [...PERL, '--connect-tcp', String(allowed.port)]);
  save('abi3', [...PERL, '--target-abi', '3']);
  save('proc', [...SYSTEM, '--ro', '/proc']);
  save('proc-keep-caps', [...SYSTEM, '--ro', '/proc', '--keep-caps']);
  save('no-exec', ['--ro', '/usr', '--ro', '/etc']);
  save('marker', [...SYSTEM, '--rw', sub('markers')]);
  save('missing-rule', [...SYSTEM, '--rw', sub('vanishing')]);
  rmSync(join(dir, 'vanishing'), { recursive: true });
  // A granted directory replaced by a symlink to another one after the plan was made.
  sub('swap-other');
  save('swapped', [...SYSTEM, '--rw', sub('swap-grant')]);
  rmSync(join(dir, 'swap-grant'), { recursive: true });
  symlinkSync(join(dir, 'swap-other'), join(dir, 'swap-grant'));
  save('any', [...PERL, '--unrestricted-network']);
  // The plan --supervise is specified with: no /etc, no /dev/null (closed stdio instead).
  save('supervise', ['--rox', '/usr', '--rw', sub('supervise')]);
  save('supervise-unscoped', ['--rox', '/usr', '--rw', sub('supervise'), '--unrestricted-scoped']);

  // A Go program that runs another one, built outside the sandbox (Go's os/exec uses execve).
  if (haveGo) {
    const src = join(sub('go'), 'main.go');
    writeFileSync(src, 'package main\nimport ("fmt"; "os/exec")\nfunc main() { if err := exec.Command("/usr/bin/true").Run(); err != nil { panic(err) }; fmt.Println("go ok") }\n');
    const out = join(dir, 'go', 'goexec');
    const r = spawnSync('go', ['build', '-o', out, src], { encoding: 'utf8', env: { ...process.env, GOCACHE: join(dir, 'go', 'cache'), GOPATH: join(dir, 'go', 'path'), GO111MODULE: 'off' } });
    if (r.status !== 0) throw new Error(`go build: ${r.stderr}`);
    goExec = out;
  }
  save('go', [...SYSTEM, '--rox', join(dir, 'go'), '--rw', '/dev/null']);
  const system = decodePlan(readFileSync(plan('system'))).plan;
  writePlan('exec-env', encodePlan(system, { path: '/usr/bin/env', argv: ['env'], env: ['A=1', 'B=two words', 'EMPTY='] }));
  writePlan(
    'exec-args',
    encodePlan(system, { path: '/usr/bin/sh', argv: ['sh', '-c', 'printf "%s|%s|%s\\n" "$0" "$1" "$2"', 'zero', 'arg one', ''], env: [] }),
  );
  const proc = decodePlan(readFileSync(plan('proc'))).plan;
  writePlan('exec-argv0', encodePlan(proc, { path: '/usr/bin/cat', argv: ['my-cat', '/proc/self/cmdline'], env: [] }));
  writePlan('exec-missing', encodePlan(system, { path: '/usr/bin/no-such-program-landrun', argv: ['x'], env: [] }));
  const perl = decodePlan(readFileSync(plan('perl'))).plan;
  writePlan('unix-socketpair', encodePlan({ ...perl, seccomp: { inet: 'tcp', unix: 'socketpair' } }));
  writePlan('keyring-allow', encodePlan({ ...perl, seccomp: { inet: 'tcp', unix: 'all', keyring: 'allow' } }));
  save('fs-unrestricted', ['--unrestricted-filesystem']);
  const marker = decodePlan(readFileSync(plan('marker'))).plan;
  writePlan('loopback', encodePlan({ ...marker, handledNet: 2, netRules: [], loopback: true }));
  writePlan('abi-too-high', encodePlan({ ...decodePlan(readFileSync(plan('marker'))).plan, abi: 1000 }));
});

afterAll(async () => {
  await allowed?.close();
  await denied?.close();
  if (dir) removeDir(dir);
});

/** Malformed plans, one per rejection reason of decodePlan, made from a valid plan. */
function malformed(base: readonly string[]): Array<[string, Buffer]> {
  const f = [...base];
  const at = (key: string): number => {
    const i = f.indexOf(key);
    if (i < 0) throw new Error(`no ${key} record`);
    return i;
  };
  const set = (key: string, value: string): string[] => f.map((v, i) => (i === at(key) + 1 ? value : v));
  const beforeEnd = (...extra: string[]): string[] => [...f.slice(0, -1), ...extra, 'end'];
  const without = (key: string): string[] => f.filter((_, i) => i !== at(key) && i !== at(key) + 1);
  const all = fromFields(f);
  return [
    ['empty file', Buffer.alloc(0)],
    ['no trailing NUL', all.subarray(0, all.length - 1)],
    ['bad magic', fromFields(['landrun-plam', ...f.slice(1)])],
    ['version 1 (before keyring and loopback)', fromFields(['landrun-plan', '1', ...f.slice(2)])],
    ['version 3', fromFields(['landrun-plan', '3', ...f.slice(2)])],
    ['version with a sign', fromFields(['landrun-plan', '+2', ...f.slice(2)])],
    ['version missing', fromFields(['landrun-plan'])],
    ['unknown record', fromFields(beforeEnd('colour', 'blue'))],
    ['number with letters', fromFields(set('fs', '12x'))],
    ['number above 2^32-1', fromFields(set('fs', '4294967296'))],
    ['negative number', fromFields(set('restrict', '-1'))],
    ['empty number', fromFields(set('net', ''))],
    ['number with spaces', fromFields(set('scoped', ' 3'))],
    ['abi above 1000', fromFields(set('abi', '1001'))],
    ['port above 65535', fromFields(beforeEnd('port', '2', '65536'))],
    ['non-absolute rule path', fromFields(beforeEnd('path', '4', 'f', 'etc/hostname'))],
    ['empty rule path', fromFields(beforeEnd('path', '4', 'f', ''))],
    ['bad path kind', fromFields(beforeEnd('path', '4', 'x', '/etc'))],
    ['bad seccomp profile', fromFields(set('seccomp', 'udp'))],
    ['bad unix profile', fromFields(set('unix', 'none'))],
    ['bad caps', fromFields(set('caps', 'yes'))],
    ['bad keyring', fromFields(set('keyring', 'open'))],
    ['bad loopback', fromFields(set('loopback', 'yes'))],
    ['loopback without the tcp seccomp profile', fromFields(set('seccomp', 'any').map((v, i, a) => (a[i - 1] === 'loopback' ? 'on' : v)))],
    ['loopback below ABI 4 with a connect port', fromFields(beforeEnd('abi', '3', 'net', '0', 'loopback', 'on', 'port', '2', '443'))],
    ['no abi record', fromFields(without('abi'))],
    ['missing end', fromFields(f.slice(0, -1))],
    ['record cut short', fromFields([...f.slice(0, -1), 'path', '4'])],
    ['trailing data after end', fromFields([...f, 'x'])],
    ['two ends', fromFields([...f, 'end'])],
    ['empty field after end', Buffer.concat([all, Buffer.from('\0')])],
  ];
}

/** Plans decodePlan accepts although encodePlan never writes them: the C parser must take them too. */
function unusualButValid(): Array<[string, Buffer]> {
  const exec = ['exec', '/usr/bin/printf', 'arg', 'printf', 'arg', 'ok\\n'];
  return [
    ['only an abi record', fromFields([...MAGIC, 'abi', '0', ...exec, 'end'])],
    ['leading zeros', fromFields(['landrun-plan', '0002', 'abi', '0007', 'fs', '0000', 'port', '02', '00443', ...exec, 'end'])],
    ['a later record overrides an earlier one', fromFields([...MAGIC, 'abi', '1000', 'abi', '0', 'caps', 'keep', 'caps', 'drop', ...exec, 'end'])],
    ['args before exec, exec last', fromFields([...MAGIC, 'arg', 'printf', 'arg', 'ok\\n', 'abi', '1', 'exec', '/usr/bin/printf', 'end'])],
    ['the last exec record wins', fromFields([...MAGIC, 'abi', '1', 'exec', '/usr/bin/false', ...exec, 'end'])],
    ['keyring and loopback records, later ones winning', fromFields([...MAGIC, 'abi', '1', 'keyring', 'allow', 'keyring', 'deny', 'loopback', 'on', 'loopback', 'off', ...exec, 'end'])],
  ];
}

// The case names, from a stand-in plan holding every scalar record (it.each needs them up front).
const MALFORMED_NAMES = malformed([
  ...MAGIC, 'abi', '7', 'fs', '1', 'net', '0', 'scoped', '0', 'restrict', '0',
  'seccomp', 'tcp', 'unix', 'all', 'caps', 'drop', 'keyring', 'deny', 'loopback', 'off', 'end',
]).map(([name]) => name);

function runBattery(l: PlanLauncher): void {
  const run = (planName: string, cmd: readonly string[], opts: Parameters<typeof launch>[2] = {}) =>
    launch(l, ['--plan', plan(planName), '--', ...cmd], opts);

  describe('filesystem', () => {
    it('reads a file beneath --ro, and is denied one outside it with no output', async () => {
      const ok = await run('read', ['cat', join(dir, 'read-a', 'in.txt')]);
      expect(ok).toMatchObject({ status: 0, stdout: 'inside\n' });
      const no = await run('read', ['cat', join(dir, 'read-b', 'out.txt')]);
      expect(no.status).toBe(1);
      expect(no.stdout).toBe('');
      expect(no.stderr).toContain('Permission denied');
    });

    it('creates a file beneath --rw; beneath --ro the file is absent afterwards', async () => {
      const rw = join(dir, 'write-rw', `new-${l.name}`);
      const ro = join(dir, 'write-ro', `new-${l.name}`);
      expect((await run('write', ['touch', rw])).status).toBe(0);
      expect(existsSync(rw)).toBe(true);
      const no = await run('write', ['touch', ro]);
      expect(no.status).toBe(1);
      expect(no.stderr).toContain('Permission denied');
      expect(existsSync(ro)).toBe(false);
    });

    it('denies writing /dev/null unless it is granted', async () => {
      const no = await run('system', ['sh', '-c', 'echo hi > /dev/null']);
      expect(no.status).not.toBe(0);
      expect(no.stderr).toContain('Permission denied');
      expect(await run('devnull-rw', ['sh', '-c', 'echo hi > /dev/null'])).toMatchObject({ status: 0, stderr: '' });
    });

    it('fails before running anything when a rule path no longer exists', async () => {
      const marker = join(dir, 'markers', `missing-rule-${l.name}`);
      const r = await run('missing-rule', ['touch', marker]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(') with RESOLVE_NO_SYMLINKS failed: ENOENT');
      expect(existsSync(marker)).toBe(false);
    });

    it('refuses a plan whose granted directory became a symlink (ELOOP): nothing run, the target not opened up', async () => {
      const tag = l.name.replace(/[^A-Za-z0-9-]/g, '_');
      const viaLink = join(dir, 'swap-grant', `via-link-${tag}`);
      const direct = join(dir, 'swap-other', `direct-${tag}`);
      const r = await run('swapped', ['touch', viaLink, direct]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        `[landrun] error: sandbox setup failed, nothing was run: open("${join(dir, 'swap-grant')}") with RESOLVE_NO_SYMLINKS failed: ELOOP (a path in the plan became a symlink after the plan was made)`,
      );
      expect(existsSync(viaLink)).toBe(false);
      expect(existsSync(direct)).toBe(false);
    });
  });

  describe('network', () => {
    it('refuses a TCP connect to a port that is not granted: the listener sees nothing', async () => {
      const before = denied.connections();
      const r = await run('tcp', CONNECT(denied.port));
      expect(r.status).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('connect: Permission denied');
      expect(denied.connections()).toBe(before);
    });

    it('lets a TCP connect to a granted port through: the connection arrives', async () => {
      const before = allowed.connections();
      const r = await run('tcp', CONNECT(allowed.port));
      expect(r).toMatchObject({ status: 0, stdout: 'hello\n' });
      expect(allowed.connections()).toBe(before + 1);
    });

    it('refuses to create a UDP socket (seccomp)', async () => {
      const r = await run('perl', UDP);
      expect(r.status).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('udp: Permission denied');
    });

    it('refuses socket(AF_UNIX) but keeps stream and seqpacket socketpairs (unix profile socketpair)', async () => {
      const r = await run('unix-socketpair', [
        'perl', '-e',
        'use Socket; socketpair(my $a, my $b, AF_UNIX, SOCK_STREAM, 0) or die "pair: $!\\n"; print "pair ok\\n"; ' +
          'socketpair(my $c, my $d, AF_UNIX, SOCK_SEQPACKET, 0) or die "seqpacket: $!\\n"; print "seqpacket ok\\n"; ' +
          'print socketpair(my $e, my $f, AF_UNIX, SOCK_DGRAM, 0) ? "dgram ok\\n" : "dgram: $!\\n"; ' +
          'socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die "unix: $!\\n"',
      ]);
      expect(r.stdout).toBe('pair ok\nseqpacket ok\ndgram: Permission denied\n');
      expect(r.stderr).toContain('unix: Permission denied');
    });

    it('refuses TCP Fast Open (sendto with MSG_FASTOPEN), even to a granted port: the listener sees nothing', async () => {
      const before = allowed.connections();
      const r = await run('tcp', [
        'perl', '-e',
        'use Socket; socket(my $s, PF_INET, SOCK_STREAM, 0) or die "socket: $!\\n"; ' +
          'send($s, "x", 0x20000000, pack_sockaddr_in(shift, inet_aton("127.0.0.1"))) or die "tfo: $!\\n"; print "sent\\n"',
        String(allowed.port),
      ]);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('tfo: Permission denied');
      expect(allowed.connections()).toBe(before);
    });

    it('leaves the network alone under seccomp any (--unrestricted-network)', async () => {
      expect(fieldsOf(plan('any'))).toEqual(expect.arrayContaining(['seccomp', 'any']));
      expect(await run('any', UDP)).toMatchObject({ status: 0, stdout: 'udp: created\n' });
    });
  });

  describe('terminal injection', () => {
    it.each([
      ['tcp', 'perl'],
      ['any', 'any'],
    ])('refuses TIOCSTI and TIOCLINUX under seccomp %s, and no other ioctl', async (profile, planName) => {
      expect(fieldsOf(plan(planName))).toEqual(expect.arrayContaining(['seccomp', profile]));
      const control = spawnSync(TTY_IOCTLS[0] as string, TTY_IOCTLS.slice(1), { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
      expect(control.stdout).toBe(`${ENOTTY_TEXT}\n`.repeat(3));
      const r = await run(planName, TTY_IOCTLS);
      expect(r).toMatchObject({ status: 0, stdout: `Permission denied\nPermission denied\n${ENOTTY_TEXT}\n` });
    });

    it('refuses even TCP sockets under the none profile (a plan for ABI 3, without TCP rules)', async () => {
      expect(fieldsOf(plan('abi3'))).toEqual(expect.arrayContaining(['seccomp', 'none']));
      const r = await run('abi3', ['perl', '-e', 'use Socket; socket(my $s, PF_INET, SOCK_STREAM, 0) or die "tcp: $!\\n"; print "tcp: created\\n"']);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('tcp: Permission denied');
    });
  });

  describe('kernel interfaces', () => {
    const addKey = (desc: string): string[] => [
      'perl', '-e', 'my ($t, $d, $v) = ("user", shift, "v"); my $r = syscall(SYS_ADD_KEY, $t, $d, $v, 1, -4); print $r > 0 ? "added\\n" : "add_key: $!\\n"'.replace('SYS_ADD_KEY', process.arch === 'arm64' ? '217' : '248'),
      desc,
    ];
    const inProcKeys = (desc: string): boolean => readFileSync('/proc/keys', 'utf8').split('\n').some((l) => l.endsWith(` ${desc}: 1`) && !/^\S+ \S*i/.test(l));

    it('refuses keyctl/add_key/request_key by default: the user keyring gets no key', async () => {
      const desc = `landrun-test-${process.pid}-${l.name.length}-deny`;
      const r = await run('perl', addKey(desc));
      expect(r.stdout).toBe('add_key: Operation not permitted\n');
      expect(inProcKeys(desc)).toBe(false);
    });

    it('keyring allow (the plan\'s opt-out) lets a key into the user keyring', async () => {
      expect(fieldsOf(plan('keyring-allow'))).toEqual(expect.arrayContaining(['keyring', 'allow']));
      const desc = `landrun-test-${process.pid}-${l.name.length}-allow`;
      const r = await run('keyring-allow', addKey(desc));
      expect(r.stdout).toBe('added\n');
      expect(inProcKeys(desc)).toBe(true);
      // Control of the control: clean up (KEYCTL_INVALIDATE) the key this test made.
      const id = readFileSync('/proc/keys', 'utf8').split('\n').find((k) => k.endsWith(` ${desc}: 1`))?.split(' ')[0];
      if (id) spawnSync('perl', ['-e', `syscall(${process.arch === 'arm64' ? 219 : 250}, 21, hex("${id}"))`]);
    });

    const FD_EXEC = ['/usr/bin/python3', '-c', "import os; fd = os.open('/usr/bin/echo', os.O_RDONLY); os.execve(fd, ['echo', 'ran by fd'], {})"];
    const MEMFD_EXEC = [
      '/usr/bin/python3', '-c',
      "import os; fd = os.memfd_create('x'); os.write(fd, open('/usr/bin/echo', 'rb').read()); os.execve(fd, ['echo', 'ran from memfd'], {})",
    ];
    it('refuses execveat(AT_EMPTY_PATH) where Landlock rules execute, even on a file it may execute', async () => {
      const r = await run('system', FD_EXEC);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('PermissionError: [Errno 13] Permission denied');
      const m = await run('system', MEMFD_EXEC);
      expect(m.stdout).toBe('');
      expect(m.stderr).toContain('PermissionError: [Errno 13] Permission denied');
    });

    it('control: with the filesystem unrestricted (execute not ruled) fexecve works', async () => {
      expect(await run('fs-unrestricted', FD_EXEC)).toMatchObject({ status: 0, stdout: 'ran by fd\n' });
      expect(await run('fs-unrestricted', MEMFD_EXEC)).toMatchObject({ status: 0, stdout: 'ran from memfd\n' });
    });

    (haveGo ? it : it.skip)(`a Go program still starts programs (os/exec) under that filter${haveGo ? '' : ' (skipped: go is not installed)'}`, async () => {
      expect(await run('go', [goExec as string])).toMatchObject({ status: 0, stdout: 'go ok\n', stderr: '' });
    });

    it('bash, node, python3 and perl still start programs under that filter', async () => {
      // --norc: on a socket stdin (Node's pipes) bash reads ~/.bashrc as if started by rshd.
      const r = await run('perl', [
        'bash', '--norc', '-c',
        `${NODE} -e "require('child_process').execFileSync('/usr/bin/true'); require('child_process').execSync('true'); console.log('node ok')" && ` +
          `/usr/bin/python3 -c "import subprocess; subprocess.run(['true'], check=True); print('python ok')" && ` +
          'perl -e \'system("true") == 0 or die; print "perl ok\\n"\' && (true) && echo bash ok',
      ], { env: { ...testEnv(), PATH: '/usr/bin:/bin' } });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('node ok\npython ok\nperl ok\nbash ok\n');
    });
  });

  describe('process state', () => {
    it('runs the command with no_new_privs, a seccomp filter and no capabilities', async () => {
      const r = await run('proc', ['cat', '/proc/self/status']);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^NoNewPrivs:\s+1$/m);
      expect(r.stdout).toMatch(/^Seccomp:\s+2$/m);
      for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) {
        expect(r.stdout).toMatch(new RegExp(`^${set}:\\s+0000000000000000$`, 'm'));
      }
    });

    it('resets ignored SIGPIPE/SIGXFSZ and blocked signals inherited from its parent', async () => {
      // The wrapper leaves the launcher with SIGPIPE and SIGXFSZ ignored and SIGTERM, SIGUSR1 blocked.
      const via = [
        'perl', '-e',
        'use POSIX; $SIG{PIPE} = $SIG{XFSZ} = "IGNORE"; sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGTERM, SIGUSR1)) or die; exec @ARGV or die',
      ];
      const control = spawnSync(via[0] as string, [...via.slice(1), 'cat', '/proc/self/status'], { encoding: 'utf8' });
      expect(control.stdout).toMatch(/^SigIgn:\s+0*1001000$/m); // signals 13 (PIPE) and 25 (XFSZ)
      expect(control.stdout).toMatch(/^SigBlk:\s+0*4200$/m); // signals 10 (USR1) and 15 (TERM)
      const r = await run('proc', ['cat', '/proc/self/status'], { via });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^SigIgn:\s+0{16}$/m);
      expect(r.stdout).toMatch(/^SigBlk:\s+0{16}$/m);
    });

    it('keeps the capabilities the caller holds with caps keep (--keep-caps)', async () => {
      const own = /^CapEff:\s+([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
      const r = await run('proc-keep-caps', ['cat', '/proc/self/status']);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^CapEff:\\s+${own}$`, 'm'));
      expect(r.stdout).toMatch(/^NoNewPrivs:\s+1$/m);
    });
  });

  describe('exit status', () => {
    it("passes the command's exit code through", async () => {
      expect(await run('system', ['sh', '-c', 'exit 42'])).toMatchObject({ status: 42, signal: null });
    });

    it('passes death by a signal through', async () => {
      expect(await run('system', ['sh', '-c', 'kill -TERM $$'])).toMatchObject({ status: null, signal: 'SIGTERM' });
    });

    it('127 when the command is not found (in PATH or by path)', async () => {
      const r = await run('system', ['no-such-command-landrun']);
      expect(r.status).toBe(127);
      expect(r.stderr).toContain("command not found: 'no-such-command-landrun'");
      expect((await run('system', ['/nonexistent/no-such-command'])).status).toBe(127);
    });

    it('126 when the file is not executable', async () => {
      const f = join(sub('not-exec'), 'script');
      writeFileSync(f, '#!/bin/sh\necho ran\n');
      chmodSync(f, 0o644);
      const r = await run('system', [f]);
      expect(r).toMatchObject({ status: 126, stdout: '' });
      expect(r.stderr).toContain('is not an executable file');
    });

    it('126 when the sandbox denies executing the command', async () => {
      const r = await run('no-exec', ['/usr/bin/true']);
      expect(r.status).toBe(126);
      expect(r.stderr).toContain('EACCES: the sandbox does not allow executing it');
    });
  });

  if (l === NODE_LAUNCHER) {
    it('refuses --supervise, running nothing: staying alive next to the command is the native supervisor\'s job (ADR 7)', async () => {
      const marker = join(dir, 'node-supervise-ran');
      const r = await launch(l, ['--supervise', '--plan', plan('supervise'), '--', 'sh', '-c', `: > ${marker}`]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('--supervise is the native supervisor');
      expect(existsSync(marker)).toBe(false);
    });
  } else describe('--supervise', () => {
    /**
     * sh -c: start `sleep 600` in a session of its own (setsid -f: out of every process group of
     * the command), wait until it has written its pid, then end with `end`. The sleep's stdio is
     * closed, so it keeps no pipe of the test open.
     */
    const leaver = (pidFile: string, end: string): string[] => [
      'sh', '-c',
      `setsid -f sh -c 'echo $$ > "$1"; exec sleep 600 <&- >&- 2>&-' sh "$1" <&- >&- 2>&-; ` +
        `i=0; while [ ! -s "$1" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; ${end}`,
      'sh', pidFile,
    ];
    const supervised = async (
      planName: string,
      tag: string,
      end: string,
      supervise: boolean,
    ): Promise<{ r: Awaited<ReturnType<typeof launch>>; pid: number; aliveAfter: boolean }> => {
      const pidFile = join(dir, 'supervise', `${l.name}-${tag}`.replace(/[^A-Za-z0-9-]/g, '_'));
      const r = await launch(l, [...(supervise ? ['--supervise'] : []), '--plan', plan(planName), '--', ...leaver(pidFile, end)]);
      const pid = Number(existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim() : 'NaN');
      if (!(pid > 1)) throw new Error(`the command did not start its sleep: ${JSON.stringify(r)}`);
      return { r, pid, aliveAfter: alive(pid) };
    };
    const cleanup = (pid: number): void => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };

    it('the plan holds the signal scope (LANDLOCK_SCOPE_SIGNAL, Landlock ABI 6)', () => {
      const f = fieldsOf(plan('supervise'));
      expect(Number(f[f.indexOf('scoped') + 1]) & 2).toBe(2);
    });

    it('kills what the command left in the domain when it exits, and passes its exit status through', async () => {
      const { r, pid, aliveAfter } = await supervised('supervise', 'exit', 'exit 5', true);
      cleanup(pid);
      expect(r).toMatchObject({ status: 5, signal: null, stderr: '' });
      expect(aliveAfter).toBe(false);
    });

    it('passes death by a signal through, after the same sweep', async () => {
      const { r, pid, aliveAfter } = await supervised('supervise', 'signal', 'kill -TERM $$', true);
      cleanup(pid);
      expect(r).toMatchObject({ status: null, signal: 'SIGTERM' });
      expect(aliveAfter).toBe(false);
    });

    it('control: without --supervise the sleep survives the command', async () => {
      const { r, pid, aliveAfter } = await supervised('supervise', 'plain', 'exit 5', false);
      const comm = aliveAfter ? await commOf(pid, 'sleep') : '';
      cleanup(pid);
      expect(r).toMatchObject({ status: 5, signal: null });
      expect(aliveAfter).toBe(true);
      expect(comm).toBe('sleep');
    });

    it('without the signal scope (--unrestricted-scoped) the subreaper sweep kills the session leader too', async () => {
      expect(fieldsOf(plan('supervise-unscoped'))).toEqual(expect.arrayContaining(['scoped', '0']));
      const { r, pid, aliveAfter } = await supervised('supervise-unscoped', 'unscoped', 'exit 5', true);
      cleanup(pid);
      expect(r).toMatchObject({ status: 5, signal: null });
      expect(aliveAfter).toBe(false);
    });
  });

  describe('exec records', () => {
    it('runs the planned command with exactly the planned environment, ignoring argv and its own', async () => {
      const r = await run('exec-env', ['/usr/bin/false'], { env: { ...testEnv(), LEAK: 'no' } });
      expect(r).toMatchObject({ status: 0, stdout: 'A=1\nB=two words\nEMPTY=\n', stderr: '' });
    });

    it('passes the planned argv, argv[0] included', async () => {
      expect(await launch(l, ['--plan', plan('exec-args')])).toMatchObject({ status: 0, stdout: 'zero|arg one|\n' });
      expect(await launch(l, ['--plan', plan('exec-argv0')])).toMatchObject({ status: 0, stdout: 'my-cat\0/proc/self/cmdline\0' });
    });

    it('127 when the planned program does not exist', async () => {
      const r = await launch(l, ['--plan', plan('exec-missing')]);
      expect(r.status).toBe(127);
      expect(r.stderr).toContain('ENOENT');
    });
  });

  describe('invocation', () => {
    it('reads the plan from an inherited file descriptor (--plan-fd) and closes it before exec', async () => {
      const r = await launch(l, ['--plan-fd', '3', '--', 'sh', '-c', 'if (exec 4<&3); then echo fd3-leaked; fi; exit 7'], { fd3File: plan('system') });
      expect(r.stdout).toBe('');
      expect(r.status).toBe(7);
    });

    it.each([
      ['no plan', ['--', 'true']],
      ['--plan without a value', ['--plan']],
      ['--plan-fd that is not a number', ['--plan-fd', 'three', '--', 'true']],
      ['an unknown option', ['--frobnicate', '--plan', '/dev/null', '--', 'true']],
      ['a plan file that does not exist', ['--plan', '/nonexistent/plan.bin', '--', 'true']],
    ])('usage error (exit 2): %s', async (_name, args) => {
      const r = await launch(l, args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^\[landrun\] error: /);
    });

    it('usage error (exit 2): a plan without exec records and no command', async () => {
      const r = await launch(l, ['--plan', plan('system')]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('no command given');
    });
  });

  describe('plans that cannot run', () => {
    const markerCmd = (tag: string): [string, string[]] => {
      const marker = join(dir, 'markers', `${l.name}-${tag}`.replace(/[^A-Za-z0-9-]/g, '_'));
      return [marker, ['touch', marker]];
    };

    it('control: the valid plan runs the marker command', async () => {
      const [marker, cmd] = markerCmd('control');
      expect((await run('marker', cmd)).status).toBe(0);
      expect(existsSync(marker)).toBe(true);
    });

    it('a loopback plan without the native supervisor: exit 2, nothing run', async () => {
      const [marker, cmd] = markerCmd('loopback');
      const r = await run('loopback', cmd);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/loopback mode, which (needs --supervise|only the native supervisor enforces)/);
      expect(existsSync(marker)).toBe(false);
    });

    it('a plan for a newer Landlock ABI than the kernel offers: exit 1, nothing run', async () => {
      const [marker, cmd] = markerCmd('abi-too-high');
      const r = await run('abi-too-high', cmd);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('landlock_create_ruleset failed: EINVAL (the plan was compiled for Landlock ABI 1000');
      expect(existsSync(marker)).toBe(false);
    });

    // Built lazily: the base plan exists only once beforeAll has run.
    const cases = (): Array<[string, Buffer]> => malformed(fieldsOf(plan('marker')));
    it('decodePlan rejects every malformed case (so the launchers must too)', () => {
      const accepted = cases()
        .filter(([, bytes]) => {
          try {
            decodePlan(bytes);
            return true;
          } catch (e) {
            return !(e instanceof WireError);
          }
        })
        .map(([name]) => name);
      expect(accepted).toEqual([]);
    });

    it.each(MALFORMED_NAMES)('invalid plan (exit 2, nothing run): %s', async (name) => {
      const bytes = (cases().find(([n]) => n === name) as [string, Buffer])[1];
      const file = writePlan(`bad-${l.name}-${name}`.replace(/[^A-Za-z0-9-]/g, '_'), bytes);
      const [marker, cmd] = markerCmd(`bad-${name}`);
      const r = await launch(l, ['--plan', file, '--', ...cmd]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('invalid plan: ');
      expect(existsSync(marker)).toBe(false);
    });

    it.each(unusualButValid().map(([n]) => n))('accepts what decodePlan accepts: %s', async (name) => {
      const bytes = (unusualButValid().find(([n]) => n === name) as [string, Buffer])[1];
      expect(() => decodePlan(bytes)).not.toThrow();
      const file = writePlan(`odd-${l.name}-${name}`.replace(/[^A-Za-z0-9-]/g, '_'), bytes);
      expect(await launch(l, ['--plan', file])).toMatchObject({ status: 0, stdout: 'ok\n', stderr: '' });
    });

    it('masks directory rights off a rule whose target is a file, whatever kind the plan says', async () => {
      // /usr is marked 'f' and /etc/passwd 'd': the launchers must fstat what they opened. /etc/hostname
      // only gets read_dir, which masks to nothing on a file: the rule is skipped, not an EINVAL.
      const bytes = fromFields([
        ...MAGIC, 'abi', '5', 'fs', String(0xffff), 'seccomp', 'off', 'caps', 'drop',
        'path', '13', 'f', '/usr', 'path', '12', 'd', '/etc/passwd', 'path', '8', 'f', '/etc/hostname', 'end',
      ]);
      const file = writePlan(`mask-${l.name}`.replace(/[^A-Za-z0-9-]/g, '_'), bytes);
      const ok = await launch(l, ['--plan', file, '--', 'head', '-c', '5', '/etc/passwd']);
      expect(ok).toMatchObject({ status: 0, stdout: 'root:' });
      const no = await launch(l, ['--plan', file, '--', 'cat', '/etc/hostname']);
      expect(no.status).toBe(1);
      expect(no.stderr).toContain('Permission denied');
    });
  });
}

describe('Node launcher (lib/entrypoints/launcher.js)', () => {
  runBattery(NODE_LAUNCHER);
});

describeIf(noToolchain ? `cannot build native-helper/: ${noToolchain}` : undefined, 'native launcher (native-helper/landlock-exec)', () => {
  runBattery(NATIVE_LAUNCHER);

  describe('--dump-seccomp', () => {
    const arch: Arch = process.arch === 'arm64' ? 'arm64' : 'x64';
    const variants: Array<[SeccompPlan['inet'], SeccompPlan['unix'], 'deny' | 'allow', boolean]> = [];
    for (const inet of ['tcp', 'none', 'any'] as const)
      for (const unix of ['all', 'socketpair'] as const)
        for (const keyring of ['deny', 'allow'] as const) for (const exec of [false, true]) variants.push([inet, unix, keyring, exec]);
    it.each(variants)(`prints the same BPF bytes as buildSeccompFilter(${arch}) for %s/%s, keyring %s, exec restricted %s`, (inet, unix, keyring, exec) => {
      const words = [...(keyring === 'allow' ? ['keyring-allow'] : []), ...(exec ? ['exec-restricted'] : [])];
      const r = spawnSync(NATIVE_BIN, ['--dump-seccomp', inet, unix, ...words], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      const prog = buildSeccompFilter(arch, { inet, unix, keyring }, { execRestricted: exec });
      expect(r.stdout).toBe(`${Buffer.from(encodeFilter(prog)).toString('hex')}\n`);
    });

    it('rejects an unknown profile or option with a usage error', () => {
      for (const args of [['udp', 'all'], ['tcp', 'all', 'keyring-open']]) {
        const r = spawnSync(NATIVE_BIN, ['--dump-seccomp', ...args], { encoding: 'utf8' });
        expect(r.status).toBe(2);
        expect(r.stdout).toBe('');
      }
    });
  });

  describe('--dump-runtime-seccomp', () => {
    const arch: Arch = process.arch === 'arm64' ? 'arm64' : 'x64';
    const ids: Array<[number, number, number, number]> = [
      [4242, 4200, 4242, 4100],
      [4242, 0, 77, 0], // the parent in another pid namespace
      [9000001, 1, 9000001, 1],
    ];
    const cases: Array<[number, number, number, number, boolean, boolean, boolean, boolean]> = [];
    for (const id of ids)
      for (let bits = 0; bits < 16; bits++) cases.push([...id, (bits & 1) !== 0, (bits & 2) !== 0, (bits & 4) !== 0, (bits & 8) !== 0]);
    it.each(cases)(
      `prints the same BPF bytes as buildRuntimeFilter(${arch}): pids %i/%i groups %i/%i, signal scope %s, connect ruled %s, loopback %s, shared group %s`,
      (supervisor, parent, supervisorGroup, parentGroup, signalScope, connectRuled, loopback, sharedGroup) => {
        const words = [
          ...(signalScope ? ['signal-scope'] : []),
          ...(connectRuled ? ['connect-ruled'] : []),
          ...(loopback ? ['loopback'] : []),
          ...(sharedGroup ? ['shared-pgrp'] : []),
        ];
        const r = spawnSync(NATIVE_BIN, ['--dump-runtime-seccomp', ...[supervisor, parent, supervisorGroup, parentGroup].map(String), ...words], { encoding: 'utf8' });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        const prog = buildRuntimeFilter(arch, { supervisor, parent, supervisorGroup, parentGroup, signalScope, connectRuled, loopback, sharedGroup });
        expect(r.stdout).toBe(`${Buffer.from(encodeFilter(prog)).toString('hex')}\n`);
      },
    );

    it.each([
      [['1', '2', '3'], 'needs SPID PPID SPGID PPGID'],
      [['0', '2', '3', '4'], "bad SPID '0'"],
      [['1', 'x', '3', '4'], "bad PPID 'x'"],
      [['1', '2', '3', '4', 'signals'], "unknown option 'signals'"],
    ])('usage error for %j', (args, message) => {
      const r = spawnSync(NATIVE_BIN, ['--dump-runtime-seccomp', ...args], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
    });
  });
});
