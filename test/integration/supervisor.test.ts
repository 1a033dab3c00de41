// landlock-exec --supervise against the real kernel, driven directly: every attack of issue 11 on
// the supervisor (S) and its parent, checked by its effect — a secret that was not read, a parent
// that saw no signal and kept its limits, a supervisor that finished normally, a fork-hopper that
// is gone and writes nothing afterwards. Each case is its own process tree; each runs for the
// kernel's ABI, for plans targeting ABI 5 and 3 (no signal scope, no TCP rules), ABI 1, and a plan
// with no Landlock domain at all, as root and as uid 65534.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildNative, missingToolchain, NATIVE_BIN, nativeBinFor, WC_FILTER_PRESENT } from '../helpers/native.js';
import { connect } from 'node:net';
import { makeOtherHost, OTHER_HOST, otherHostUnavailable, type OtherHost } from '../helpers/netns.js';
import { listen, removeDir, ROOT, tempDir, type Listener, NODE } from '../helpers/run.js';
import { encodePlan } from '../../src/launch/wire.js';
import {
  isRoot,
  kernelAbi,
  killAll,
  killTree,
  makePlan,
  NOBODY,
  parentResult,
  processesTagged,
  parentScript,
  PYTHON,
  sleepMs,
  supervise,
} from '../helpers/supervisor.js';

const noToolchain = missingToolchain();
const KERNEL_ABI = kernelAbi();
const haveSetpriv = spawnSync('setpriv', ['--version']).status === 0;
const havePython = existsSync(PYTHON);
const X64 = process.arch === 'x64';
const NR = X64
  ? { ptrace: 101, process_vm_readv: 310, prlimit64: 302, tkill: 200, tgkill: 234, rt_sigqueueinfo: 129, pidfd_open: 434, pidfd_send_signal: 424, seccomp: 317 }
  : { ptrace: 117, process_vm_readv: 270, prlimit64: 261, tkill: 130, tgkill: 131, rt_sigqueueinfo: 138, pidfd_open: 434, pidfd_send_signal: 424, seccomp: 277 };

/** A `describe` that is a real skip, with the reason printed, when `reason` is set. */
const describeIf = (reason: string | undefined): typeof describe => {
  if (reason) {
    const d = ((name: string, fn: () => void) => describe.skip(`${name} (skipped: ${reason})`, fn)) as typeof describe;
    return d;
  }
  return describe;
};

interface Variant {
  readonly name: string;
  readonly flags: readonly string[];
  /** The command's domain has Landlock's signal scope. */
  readonly scoped: boolean;
  readonly skip: string | undefined;
}
const VARIANTS: readonly Variant[] = [
  { name: `ABI ${KERNEL_ABI} (this kernel)`, flags: [], scoped: KERNEL_ABI >= 6, skip: KERNEL_ABI < 1 ? 'no Landlock' : undefined },
  { name: 'ABI 5 (no signal scope)', flags: ['--target-abi', '5'], scoped: false, skip: KERNEL_ABI < 5 ? `kernel ABI ${KERNEL_ABI} < 5` : undefined },
  { name: 'ABI 3 (no TCP rules)', flags: ['--target-abi', '3'], scoped: false, skip: KERNEL_ABI < 3 ? `kernel ABI ${KERNEL_ABI} < 3` : undefined },
  { name: 'ABI 1', flags: ['--target-abi', '1', '--best-effort'], scoped: false, skip: KERNEL_ABI < 1 ? 'no Landlock' : undefined },
  { name: 'no Landlock domain', flags: ['--unrestricted-filesystem', '--unrestricted-network', '--unrestricted-scoped'], scoped: false, skip: undefined },
];
const USERS: ReadonlyArray<{ name: string; uid: number | undefined; skip: string | undefined }> = [
  { name: 'as the caller', uid: undefined, skip: undefined },
  {
    name: 'as uid 65534',
    uid: NOBODY,
    skip: !isRoot() ? 'needs root to switch to uid 65534' : !haveSetpriv ? 'setpriv is missing' : undefined,
  },
];

let dir: string;
let seq = 0;
const file = (name: string): string => join(dir, `${seq++}-${name}`);
// The test runner's process group: the signal probe refuses to aim at it (a guard for the test
// itself; the parent and the supervisor run in sessions of their own).
const selfStat = readFileSync('/proc/self/stat', 'utf8');
const RUNNER_PGID = Number(selfStat.slice(selfStat.lastIndexOf(')') + 2).split(' ')[2]);
const ENV = ['PATH=/usr/bin:/bin', 'LANG=C', 'OWN_MARKER=1', `RUNNER_PGID=${RUNNER_PGID}`];
const CONTROL_ENV = [...ENV, 'CONTROL=1'];

beforeAll(() => {
  if (!noToolchain) buildNative();
  dir = tempDir('landrun-supervisor-');
  chmodSync(dir, 0o777); // uid 65534 writes markers here too
});
afterAll(() => {
  if (dir) removeDir(dir);
});

const script = (name: string, text: string): string => {
  const f = file(name);
  writeFileSync(f, text);
  chmodSync(f, 0o644);
  return f;
};
const planFor = (v: Variant, name: string, argv: readonly string[], extra: readonly string[] = [], env: readonly string[] = ENV): string => {
  const f = file(`${name}.plan`);
  makePlan(f, ['--rox', '/usr', '--ro', '/etc', '--ro', '/proc', '--rw', dir, '--rw', '/dev/null', ...extra, ...v.flags], {
    exec: { path: argv[0] as string, argv, env },
  });
  chmodSync(f, 0o644);
  return f;
};

// perl probes: one line per attempt, "<name> <result>", the result being $! or what happened.
const MEMORY_PROBE = `
use strict;
my $s = getppid();
sub out { print join(' ', @_), "\\n" }
if (open(my $o, '<', '/proc/self/environ')) { local $/; my $e = <$o>; out('self-environ', $e =~ /OWN_MARKER=1/ ? 'readable' : 'unreadable') } else { out('self-environ', "$!") }
out('ptrace-seize', syscall(${NR.ptrace}, 0x4206, $s, 0, 0) == 0 ? 'ATTACHED' : "$!");
out('ptrace-attach', syscall(${NR.ptrace}, 16, $s, 0, 0) == 0 ? 'ATTACHED' : "$!");
for my $f (qw(environ mem maps)) {
  if (open(my $h, '<', "/proc/$s/$f")) { local $/; my $d = <$h>; out($f, 'READ', defined $d ? length($d) : 'nothing'); print $d if defined $d }
  else { out($f, "$!") }
}
my $buf = "\\0" x 64;
my $local = pack('pQ', $buf, 64);
my $remote = pack('QQ', 0x10000, 64);
for my $t (['self', $$], ['supervisor', $s]) {
  my $r = syscall(${NR.process_vm_readv}, $t->[1], $local, 1, $remote, 1, 0);
  out("vm-readv-$t->[0]", $r >= 0 ? 'READ' : "$!");
}
`;

const SIGNAL_PROBE = `
use strict;
open(my $f, '<', $ARGV[0]) or die "info: $!"; my ($p, $tid, $pg) = map { $_ + 0 } split ' ', scalar <$f>;
$SIG{USR1} = $SIG{USR2} = 'IGNORE' if $ENV{CONTROL};
my $s = getppid(); my $spg = getpgrp($s);
die "the probe would signal the test runner's process group\n" if grep { $_ == $ENV{RUNNER_PGID} } $pg, $spg, getpgrp(0);
sub out { print join(' ', @_), "\\n" }
sub sys { my ($n, $r) = @_; out($n, $r == 0 ? 'OK' : "$!") }
sub k { my ($n, $sig, $who) = @_; out($n, kill($sig, $who) ? 'OK' : "$!") }
k('kill-STOP-supervisor', 'STOP', $s);
k('kill-KILL-supervisor', 'KILL', $s);
k('kill-USR1-supervisor-group', 'USR1', -$spg) if $spg != getpgrp(0);
k('kill-STOP-parent', 'STOP', $p);
k('kill-USR1-parent', 'USR1', $p);
k('kill-USR1-parent-thread', 'USR1', $tid);
k('kill-USR1-parent-group', 'USR1', -$pg);
sys('tkill-USR2-parent-thread', syscall(${NR.tkill}, $tid, 12));
my $si = "\\0" x 128;
sys('rt_sigqueueinfo-parent-thread', syscall(${NR.rt_sigqueueinfo}, $tid, 12, $si));
sys('tgkill-parent', syscall(${NR.tgkill}, $p, $tid, 12));
my $pfd = syscall(${NR.pidfd_open}, $p, 0);
sys('pidfd_send_signal-parent', $pfd < 0 ? -1 : syscall(${NR.pidfd_send_signal}, $pfd, 10, 0, 0));
# RLIMIT_MSGQUEUE (12): harmless to change, and visible.
my $nl = pack('QQ', 1, 1);
sys('prlimit-supervisor', syscall(${NR.prlimit64}, $s, 12, $nl, 0));
sys('prlimit-parent', syscall(${NR.prlimit64}, $p, 12, $nl, 0));
sys('prlimit-parent-thread', syscall(${NR.prlimit64}, $tid, 12, $nl, 0));
my $cpu = pack('QQ', 0, 0);
sys('prlimit-cpu-parent-thread', syscall(${NR.prlimit64}, $tid, 0, $cpu, 0));
# SIGIO towards the parent, as SIGUSR2 (F_SETSIG): F_SETOWN 8, F_SETSIG 10, F_SETFL 4, O_ASYNC 0x2000.
pipe(my $r, my $w) or die;
my $own = fcntl($r, 8, $p) ? 'OK' : "$!";
fcntl($r, 10, 12); fcntl($r, 4, 0x2000); syswrite($w, 'x');
out('setown-parent', $own);
select(undef, undef, undef, 0.1);
# own process tree still works: a child of ours gets our signal
my $c = fork(); if ($c == 0) { sleep 5; exit 0 } out('kill-own-child', kill('TERM', $c) ? 'OK' : "$!"); waitpid($c, 0);
out('done', 'yes');
`;

/** The attempts SIGNAL_PROBE makes against S and the parent: every one must be refused. */
const REFUSED_SIGNALS = [
  'kill-STOP-supervisor', 'kill-KILL-supervisor', 'kill-STOP-parent', 'kill-USR1-parent', 'kill-USR1-parent-thread',
  'kill-USR1-parent-group', 'tkill-USR2-parent-thread', 'rt_sigqueueinfo-parent-thread', 'tgkill-parent',
  'pidfd_send_signal-parent', 'prlimit-supervisor', 'prlimit-parent', 'prlimit-parent-thread', 'prlimit-cpu-parent-thread',
];

const fieldsOfFile = (f: string): string[] => readFileSync(f, 'utf8').slice(0, -1).split('\0');
const resultOf = (stdout: string, name: string): string | undefined =>
  stdout.split('\n').find((l) => l.startsWith(`${name} `))?.slice(name.length + 1);

(noToolchain ? describe.skip : describe)('landlock-exec --supervise', () => {
  describe.each(VARIANTS)('$name', (v) => {
    describeIf(v.skip)('attacks on the supervisor and its parent', () => {
      describe.each(USERS)('$name', (u) => {
        describeIf(u.skip)('', () => {
          it('ptrace, /proc/S/{environ,mem,maps} and process_vm_readv of the supervisor read no secret', async () => {
            const secret = `s3cret-${randomBytes(8).toString('hex')}`;
            const probe = script('memory.pl', MEMORY_PROBE);
            const plan = planFor(v, 'memory', ['/usr/bin/perl', probe]);
            const r = await supervise({ plan, uid: u.uid, env: { PATH: '/usr/bin:/bin', SUPERVISOR_SECRET: secret } }).done;
            expect(r.timedOut).toBe(false);
            expect(r.stdout).not.toContain(secret);
            expect(r.stderr).not.toContain(secret);
            // Controls: the method works on the command itself.
            expect(resultOf(r.stdout, 'self-environ')).toBe('readable');
            expect(resultOf(r.stdout, 'vm-readv-self')).toBe('Bad address');
            for (const name of ['ptrace-seize', 'ptrace-attach', 'vm-readv-supervisor']) expect(resultOf(r.stdout, name)).toBe('Operation not permitted');
            for (const name of ['environ', 'mem', 'maps']) expect(resultOf(r.stdout, name)).toBe('Permission denied');
            expect(r.report.at(-1)).toBe('exit code 0');
          });

          it('signals and prlimit against the supervisor, its parent and the parent\'s threads are refused: the parent saw nothing, both finished', async () => {
            if (!havePython) throw new Error(`${PYTHON} is needed for the stand-in parent`);
            const info = file('parent.info');
            const result = file('parent.result');
            const probe = script('signals.pl', SIGNAL_PROBE);
            const plan = planFor(v, 'signals', ['/usr/bin/perl', probe, info]);
            const r = await supervise({ plan, uid: u.uid, parent: { info, result }, newPgrp: true, timeout: 15000 }).done;
            expect(r.timedOut).toBe(false);
            expect(resultOf(r.stdout, 'done')).toBe('yes');
            for (const name of REFUSED_SIGNALS) expect([name, resultOf(r.stdout, name)]).toEqual([name, 'Operation not permitted']);
            // With the signal scope F_SETOWN itself is allowed and the kernel refuses the SIGIO.
            expect(resultOf(r.stdout, 'setown-parent')).toBe(v.scoped ? 'OK' : 'Operation not permitted');
            expect(resultOf(r.stdout, 'kill-own-child')).toBe('OK');
            expect(parentResult(result)).toEqual({ alive: true, signals: [], status: 0, limitsKept: true });
            expect(r.report.at(-1)).toBe('exit code 0');
          });

          it('control: without the supervisor the same kernel lets the command reach the parent (what the runtime filter closes)', async () => {
            if (!havePython) throw new Error(`${PYTHON} is needed for the stand-in parent`);
            const info = file('parent.info');
            const result = file('parent.result');
            // Without the lethal ones (and without the parent's own pid: in this run the command's
            // parent is the stand-in itself).
            const probe = script(
              'signals.pl',
              SIGNAL_PROBE.replace(/^k\('kill-(STOP|KILL)-.*$/gm, '').replace(/^sys\('prlimit-(cpu|supervisor).*$/gm, ''),
            );
            const plan = planFor(v, 'signals-control', ['/usr/bin/perl', probe, info], [], CONTROL_ENV);
            const args = u.uid !== undefined ? ['setpriv', `--reuid=${u.uid}`, `--regid=${u.uid}`, '--clear-groups', '--'] : [];
            // setsid: the probe signals the parent's process group, which must not be the test runner's.
            const chain = ['setsid', '--wait', ...args, PYTHON, parentScript(), info, result, '--', nativeBinFor(u.uid), '--plan', plan];
            const r = spawnSync(chain[0] as string, chain.slice(1), { encoding: 'utf8', timeout: 15000 });
            expect(resultOf(r.stdout, 'done')).toBe('yes');
            const verdict = parentResult(result);
            // prlimit64 is not ruled by Landlock at any ABI.
            expect(resultOf(r.stdout, 'prlimit-parent-thread')).toBe('OK');
            expect(verdict?.limitsKept).toBe(false);
            if (v.scoped) {
              expect(resultOf(r.stdout, 'kill-USR1-parent-thread')).toBe('Operation not permitted');
              expect(verdict?.signals).toEqual([]);
            } else {
              expect(resultOf(r.stdout, 'kill-USR1-parent-thread')).toBe('OK');
              expect(verdict?.signals).toEqual(expect.arrayContaining(['SIGUSR1', 'SIGUSR2']));
            }
          });

          it('a fork-hopper that left its session after trying to kill the supervisor: nothing alive or writing afterwards', async () => {
            const tag = `hopper${randomBytes(6).toString('hex')}`;
            const marks = file('hopper.marks');
            const hopper = script(
              'hopper.pl',
              `use POSIX (); POSIX::setsid(); my ($f, $tag) = @ARGV; $0 = "hopper $tag";
               while (1) { my $p = fork(); next unless defined $p; POSIX::_exit(0) if $p;
                 open(my $h, '>>', $f) or die; print $h "$$\\n"; close $h; select(undef, undef, undef, 0.002) }`,
            );
            const sh = `kill -9 $PPID 2>/dev/null; kill -STOP $PPID 2>/dev/null; /usr/bin/perl ${hopper} ${marks} ${tag} </dev/null >/dev/null 2>&1 & ` +
              `i=0; while [ ! -s ${marks} ] && [ $i -lt 100 ]; do sleep 0.02; i=$((i+1)); done; exit 0`;
            const plan = planFor(v, 'hopper', ['/bin/sh', '-c', sh]);
            const r = await supervise({ plan, uid: u.uid, newPgrp: true }).done;
            try {
              expect(r.timedOut).toBe(false);
              expect(r.report.at(-1)).toBe('exit code 0');
              expect(readFileSync(marks, 'utf8').length).toBeGreaterThan(0);
              await sleepMs(200);
              const size = statSync(marks).size;
              await sleepMs(600);
              expect(statSync(marks).size).toBe(size);
              expect(processesTagged(tag)).toEqual([]);
              expect(Number(/^leftovers (\d+)$/.exec(r.report.find((l) => l.startsWith('leftovers')) ?? '')?.[1])).toBeGreaterThanOrEqual(1);
            } finally {
              killAll(processesTagged(tag));
            }
          });

          it('a script that traps INT and TERM outlives both; end of file on the control pipe kills it at once', async () => {
            const ticks = file('ticks');
            const sh = `trap '' INT TERM HUP; while :; do echo tick >> ${ticks}; sleep 0.05; done`;
            const plan = planFor(v, 'trap', ['/bin/sh', '-c', sh]);
            const s = supervise({ plan, uid: u.uid, newPgrp: true });
            try {
              await s.waitReport(/^child \d+$/);
              for (let i = 0; i < 100 && !existsSync(ticks); i++) await sleepMs(20);
              s.child.kill('SIGINT'); // to the first process of the chain: S, or setpriv's exec of it
              s.child.kill('SIGTERM');
              await sleepMs(300);
              const before = statSync(ticks).size;
              await sleepMs(200);
              expect(statSync(ticks).size).toBeGreaterThan(before); // still running: the signals reached a script that ignores them
              const t0 = Date.now();
              s.control.end();
              const r = await s.done;
              expect(Date.now() - t0).toBeLessThan(3000);
              expect(r.report.at(-1)).toBe('exit signal 9');
              expect(r.signal).toBe('SIGKILL');
              const after = statSync(ticks).size;
              await sleepMs(300);
              expect(statSync(ticks).size).toBe(after);
            } finally {
              killTree(s.child.pid);
            }
          });
        });
      });

      it('leftovers are counted and killed; the report is child, leftovers, exit', async () => {
        const pids = file('leftover.pids');
        const sh = `for i in 1 2 3; do sleep 600 </dev/null >/dev/null 2>&1 & echo $! >> ${pids}; done; exit 7`;
        const plan = planFor(v, 'leftovers', ['/bin/sh', '-c', sh]);
        const r = await supervise({ plan, newPgrp: true }).done;
        const list = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
        try {
          expect(r.status).toBe(7);
          expect(r.report).toEqual([expect.stringMatching(/^child \d+$/), 'leftovers 3', 'exit code 7']);
          for (const p of list) expect(existsSync(`/proc/${p}`) && !readFileSync(`/proc/${p}/stat`, 'utf8').includes(') Z ')).toBe(false);
        } finally {
          killAll(list);
        }
      });

      it('SIGTERM to the supervisor reaches the script\'s process group; the supervisor dies by the same signal', async () => {
        const plan = planFor(v, 'term', ['/bin/sh', '-c', 'sleep 600 & wait']);
        const s = supervise({ plan, newPgrp: true });
        await s.waitReport(/^child \d+$/);
        await sleepMs(200);
        s.child.kill('SIGTERM');
        const r = await s.done;
        expect(r.signal).toBe('SIGTERM');
        expect(r.report.slice(-2)).toEqual([expect.stringMatching(/^leftovers [01]$/), 'exit signal 15']);
      });

      describeIf(!isRoot() ? 'needs root to run the canary as uid 65534' : !haveSetpriv ? 'setpriv is missing' : undefined)('kill(-1) (as uid 65534 only: as root a failure would kill the machine)', () => {
        it('kill -KILL -1 reaches neither the supervisor, its parent, nor an unrelated process of the same user', async () => {
          if (!havePython) throw new Error(`${PYTHON} is needed for the stand-in parent`);
          // setpriv execs the perl canary: same pid; it says when it is up.
          const ready = file('canary.ready');
          const canary = spawn('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', '/usr/bin/perl', '-e', 'open(my $f, ">", $ARGV[0]) or die; close $f; sleep 30', ready], { stdio: 'ignore' });
          const canaryAlive = (): boolean => {
            try {
              return !readFileSync(`/proc/${canary.pid}/stat`, 'utf8').includes(') Z ');
            } catch {
              return false;
            }
          };
          try {
            for (let i = 0; i < 100 && !existsSync(ready); i++) await sleepMs(20);
            expect(canaryAlive()).toBe(true);
            const info = file('parent.info');
            const result = file('parent.result');
            const plan = planFor(v, 'kill-all', ['/usr/bin/perl', '-e', 'print kill("KILL", -1) ? "sent\\n" : "kill: $!\\n"; sleep 1; print "after\\n"']);
            const r = await supervise({ plan, uid: NOBODY, parent: { info, result }, newPgrp: true }).done;
            expect(r.timedOut).toBe(false);
            expect(canaryAlive()).toBe(true);
            expect(parentResult(result)).toEqual({ alive: true, signals: [], status: 0, limitsKept: true });
            // With the scope the kernel sends it to the command's own domain only (nobody else
            // there: kill(-1) never signals the caller), without it the runtime filter refuses it.
            expect(r.stdout).toBe(v.scoped ? 'sent\nafter\n' : 'kill: Operation not permitted\nafter\n');
            expect(r.report.at(-1)).toBe('exit code 0');
          } finally {
            canary.kill('SIGKILL');
          }
        });
      });
    });
  });

  describe('loopback mode', () => {
    const LOOPBACK_VARIANTS = VARIANTS.filter((v) => v.name !== 'no Landlock domain');
    const DENIED_PORT = 7101;
    const GRANTED_PORT = 7102;
    const noOther = otherHostUnavailable();
    let other: OtherHost | undefined;
    let outside: Listener;
    let raceTarget: Listener; // its own: the race's many connections are counted late
    let cBins: { steal: string; race: string } | undefined;

    beforeAll(async () => {
      outside = await listen();
      raceTarget = await listen();
      if (!noOther) other = await makeOtherHost([DENIED_PORT, GRANTED_PORT]);
      if (!noToolchain) {
        cBins = { steal: file('steal-listener'), race: file('connect-race') };
        for (const [src, out, extra] of [['steal-listener.c', cBins.steal, []], ['connect-race.c', cBins.race, ['-pthread']]] as const) {
          const r = spawnSync('cc', ['-O2', '-Wall', ...extra, '-o', out, join(ROOT, 'test', 'helpers', 'c', src)], { encoding: 'utf8' });
          if (r.status !== 0) throw new Error(`cc ${src}: ${r.stderr}`);
          chmodSync(out, 0o755);
        }
      }
    });
    afterAll(async () => {
      other?.close();
      await outside?.close();
      await raceTarget?.close();
    });

    const PROBE = `
import socket, sys
other, denied, granted, outside = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def attempt(name, fam, addr):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect(addr)
        print(name, 'connected')
    except OSError as e:
        print(name, e.strerror or str(e))
    finally:
        s.close()
srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen()
attempt('own-server-port-0', socket.AF_INET, ('127.0.0.1', srv.getsockname()[1]))
srv6 = socket.socket(socket.AF_INET6); srv6.bind(('::', 0)); srv6.listen()
attempt('own-dual-stack-v6', socket.AF_INET6, ('::1', srv6.getsockname()[1]))
attempt('own-dual-stack-v4', socket.AF_INET, ('127.0.0.1', srv6.getsockname()[1]))
attempt('own-dual-stack-0.0.0.0', socket.AF_INET, ('0.0.0.0', srv6.getsockname()[1]))
attempt('outside-listener', socket.AF_INET, ('127.0.0.1', outside))
attempt('other-host', socket.AF_INET, (other, denied))
attempt('other-host-mapped', socket.AF_INET6, ('::ffff:' + other, denied))
try:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(b'x', (other, denied))
    print('udp sent')
except OSError as e:
    print('udp', e.strerror)
t = socket.socket()
try:
    t.sendto(b'x', (other, denied))
    print('tcp-sendto sent')
except OSError as e:
    print('tcp-sendto', e.strerror)
if granted:
    attempt('granted', socket.AF_INET, (other, granted))
`;

    describe.each(LOOPBACK_VARIANTS)('$name', (v) => {
      const tcpRules = !v.flags.includes('3') && !v.flags.includes('1');
      describeIf(v.skip)('', () => {
        describe.each(USERS)('$name', (u) => {
          describeIf(u.skip)('', () => {
            it('a server on port 0 and a listener on 127.0.0.1 are reached; another host is not (TCP, mapped IPv6, UDP, sendto)', async () => {
              const probe = script('loopback.py', PROBE);
              const granted = other && tcpRules ? GRANTED_PORT : 0;
              const plan = file('loopback.plan');
              makePlan(plan, ['--rox', '/usr', '--ro', '/etc', '--ro', probe, ...v.flags], {
                exec: { path: PYTHON, argv: ['python3', probe, OTHER_HOST, String(DENIED_PORT), String(granted), String(outside.port)], env: ENV },
                loopback: { connect: granted ? [granted] : [] },
              });
              chmodSync(plan, 0o644);
              const before = outside.connections();
              const seen = (await other?.settled())?.length ?? 0;
              const r = await supervise({ plan, uid: u.uid }).done;
              expect(r.timedOut).toBe(false);
              for (const name of ['own-server-port-0', 'own-dual-stack-v6', 'own-dual-stack-v4', 'own-dual-stack-0.0.0.0', 'outside-listener']) {
                expect([name, resultOf(r.stdout, name)]).toEqual([name, 'connected']);
              }
              expect(outside.connections()).toBe(before + 1);
              expect(resultOf(r.stdout, 'other-host')).toBe('Permission denied');
              expect(resultOf(r.stdout, 'other-host-mapped')).toBe('Permission denied');
              expect(resultOf(r.stdout, 'udp')).toBe('Permission denied');
              expect(resultOf(r.stdout, 'tcp-sendto')).not.toBe('sent');
              expect(r.report).toEqual(
                expect.arrayContaining([`connect-denied inet ${OTHER_HOST} ${DENIED_PORT}`, `connect-denied inet6 ::ffff:${OTHER_HOST} ${DENIED_PORT}`]),
              );
              if (other) {
                if (granted) expect(resultOf(r.stdout, 'granted')).toBe('connected');
                // Only the granted connection arrived at the other host.
                const events = (await other.settled(seen + (granted ? 1 : 0))).slice(seen);
                expect(events).toEqual(granted ? [`tcp ${GRANTED_PORT} from 198.18.0.1`] : []);
              }
              expect(r.report.at(-1)).toBe('exit code 0');
            });
          });
        });

        describeIf(noOther)('the other host', () => {
          it('control: reachable from outside the sandbox', async () => {
            const seen = (await (other as OtherHost).settled()).length;
            await new Promise<void>((res, rej) => {
              const c = connect(DENIED_PORT, OTHER_HOST, () => {
                c.end();
                res();
              });
              c.on('error', rej);
            });
            expect((await (other as OtherHost).settled(seen + 1)).slice(seen)).toEqual([`tcp ${DENIED_PORT} from 198.18.0.1`]);
          });

          describeIf(noToolchain)('', () => {
            it('a racing thread that flips the connect address to the other host never gets there', async () => {
              const bins = cBins as { race: string };
              const plan = file('race.plan');
              makePlan(plan, ['--rox', '/usr', '--ro', '/etc', '--rox', dir, ...v.flags], {
                exec: { path: bins.race, argv: ['connect-race', String(raceTarget.port), OTHER_HOST, String(DENIED_PORT), '3000'], env: ENV },
                loopback: { connect: [] },
              });
              const seen = (await (other as OtherHost).settled()).length;
              const r = await supervise({ plan, timeout: 60000 }).done;
              const m = /^loopback (\d+) other (\d+) failed (\d+)$/.exec(r.stdout.trim());
              expect(m).not.toBeNull();
              expect(Number(m?.[2])).toBe(0);
              expect(Number(m?.[1])).toBeGreaterThan(0);
              expect((await (other as OtherHost).settled()).slice(seen)).toEqual([]);
            }, 70000);

            it("a listener of the command's own cannot take the supervisor's place: the kernel allows one listener per filter chain", async () => {
              const bins = cBins as { steal: string };
              const plan = file('steal.plan');
              makePlan(plan, ['--rox', '/usr', '--ro', '/etc', '--rox', dir, ...v.flags], {
                exec: { path: bins.steal, argv: ['steal-listener', OTHER_HOST, String(DENIED_PORT)], env: ENV },
                loopback: { connect: [] },
              });
              const seen = (await (other as OtherHost).settled()).length;
              const r = await supervise({ plan }).done;
              expect(r.stdout).toBe('seccomp: Device or resource busy\n');
              expect((await (other as OtherHost).settled()).slice(seen)).toEqual([]);
            });
          });
        });

        if (!tcpRules) {
          it('a plan that grants a remote connect port without TCP rules is refused (exit 2, nothing run)', async () => {
            const marker = file('marker');
            const plan = file('refused.plan');
            makePlan(plan, ['--rox', '/usr', '--rw', dir, ...v.flags], {
              exec: { path: '/usr/bin/touch', argv: ['touch', marker], env: ENV },
              loopback: { connect: [443] },
            });
            const r = await supervise({ plan }).done;
            expect(r.status).toBe(2);
            expect(r.stderr).toBe('[landrun] error: landlock-exec: invalid plan: loopback mode below Landlock ABI 4 cannot grant remote connect port 443\n');
            expect(existsSync(marker)).toBe(false);
          });
        }

        it(`unix sockets (unix sockets allowed): ${tcpRules ? 'every connect continues to the kernel' : 'absolute paths and abstract names are connected by the supervisor, relative paths refused'}`, async () => {
          const sock = join(dir, `u${seq++}.sock`);
          const probe = script(
            'unix.py',
            `import os, socket, sys
srv = socket.socket(socket.AF_UNIX); srv.bind(sys.argv[1]); srv.listen()
for name, path in (('absolute', sys.argv[1]), ('relative', os.path.basename(sys.argv[1])), ('abstract', '\\0landrun-none')):
    c = socket.socket(socket.AF_UNIX)
    try:
        c.connect(path); print(name, 'connected')
    except OSError as e:
        print(name, e.strerror)
`,
          );
          const plan = file('unix.plan');
          makePlan(plan, ['--rox', '/usr', '--ro', '/etc', '--rw', dir, '--allow-unix-sockets', ...v.flags], {
            exec: { path: PYTHON, argv: ['python3', probe, sock], env: ENV },
            loopback: { connect: [] },
          });
          const r = await supervise({ plan, cwd: dir }).done;
          expect(resultOf(r.stdout, 'absolute')).toBe('connected');
          expect(resultOf(r.stdout, 'relative')).toBe(tcpRules ? 'connected' : 'Permission denied');
          expect(resultOf(r.stdout, 'abstract')).toBe('Connection refused'); // nobody listens there
          if (!tcpRules) expect(r.report).toContain(`connect-denied unix ${sock.split('/').at(-1)} -`);
          else expect(r.report.filter((l) => l.startsWith('connect-denied'))).toEqual([]);
        });

        it('fails closed when the kernel refuses to show it the command\'s memory (a non-dumpable command): the connect is refused and reported', async () => {
          const plan = file('nondumpable.plan');
          makePlan(plan, ['--rox', '/usr', '--ro', '/etc', '--ro', '/dev/null', ...v.flags], {
            exec: {
              path: '/usr/bin/perl',
              argv: [
                'perl', '-e',
                `use IO::Socket::INET; syscall(${X64 ? 157 : 167}, 4, 0) == 0 or die "prctl: $!"; ` +
                  'my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => shift, Proto => "tcp"); print $s ? "connected\\n" : "connect: $!\\n"',
                String(outside.port),
              ],
              env: ENV,
            },
            loopback: { connect: [] },
          });
          const before = outside.connections();
          const r = await supervise({ plan }).done;
          expect(r.stdout).toBe('connect: Permission denied\n');
          expect(outside.connections()).toBe(before);
          expect(r.report.find((l) => l.startsWith('error loopback: cannot read the connect address'))).toBeDefined();
        });
      });
    });

    describeIf(KERNEL_ABI >= 4 ? undefined : 'needs Landlock ABI 4')('Node', () => {
      it('an http server on port 0 answers its own fetch to localhost', async () => {
        const plan = file('node.plan');
        makePlan(plan, ['--rox', '/usr', '--ro', '/etc', '--ro', '/proc', '--ro', NODE], {
          exec: {
            path: NODE,
            argv: [
              'node', '-e',
              "const s = require('http').createServer((q, r) => r.end('ok')).listen(0, async () => { const r = await fetch('http://localhost:' + s.address().port); console.log(await r.text()); s.close(); })",
            ],
            env: ENV,
          },
          loopback: { connect: [] },
        });
        const r = await supervise({ plan }).done;
        expect(r.stdout).toBe('ok\n');
        expect(r.report.at(-1)).toBe('exit code 0');
      });
    });
  });

  describeIf(!isRoot() ? 'needs root to run the canary as uid 65534' : !haveSetpriv ? 'setpriv is missing' : undefined)('a plan that claims the signal scope below ABI 6', () => {
    it('is not believed: no kill(-1) (an unrelated process of the user survives), the leftovers are still killed', async () => {
      const ready = file('canary.ready');
      const canary = spawn('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', '/usr/bin/perl', '-e', 'open(my $f, ">", $ARGV[0]) or die; close $f; sleep 30', ready], { stdio: 'ignore' });
      const alive = (pid: number | undefined): boolean => {
        try {
          return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
        } catch {
          return false;
        }
      };
      try {
        for (let i = 0; i < 100 && !existsSync(ready); i++) await sleepMs(20);
        const pids = file('claimed.pids');
        const plan = file('claimed.plan');
        const real = makePlan(plan, ['--rox', '/usr', '--rw', dir, '--rw', '/dev/null', '--target-abi', '5'], {
          exec: { path: '/bin/sh', argv: ['sh', '-c', `sleep 600 </dev/null >/dev/null 2>&1 & echo $! > ${pids}; exit 0`], env: ENV },
        });
        writeFileSync(plan, encodePlan({ ...real, scoped: 2 }, { path: '/bin/sh', argv: ['sh', '-c', `sleep 600 </dev/null >/dev/null 2>&1 & echo $! > ${pids}; exit 0`], env: ENV }));
        chmodSync(plan, 0o644);
        expect(fieldsOfFile(plan)).toEqual(expect.arrayContaining(['abi', '5', 'scoped', '2']));
        const r = await supervise({ plan, uid: NOBODY, newPgrp: true }).done;
        expect(r.report).toEqual([expect.stringMatching(/^child \d+$/), 'leftovers 1', 'exit code 0']);
        expect(alive(canary.pid)).toBe(true);
        expect(alive(Number(readFileSync(pids, 'utf8')))).toBe(false);
      } finally {
        canary.kill('SIGKILL');
      }
    });
  });

  describeIf(!havePython ? `${PYTHON} is missing` : undefined)('output held open by a process outside the sandbox', () => {
    it('the supervisor passes on what is there and stops waiting after its bounded drain', async () => {
      // Outside: a process that receives the command's stdout over a unix socket and keeps it.
      const sock = join(dir, `holder${seq++}.sock`);
      const holder = spawn(PYTHON, ['-c', `import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(); print('ready', flush=True)
c, _ = s.accept(); msg, anc, _, _ = c.recvmsg(1, socket.CMSG_SPACE(4)); print('holding', flush=True); time.sleep(30)`, sock], { stdio: ['ignore', 'pipe', 'inherit'] });
      let said = '';
      holder.stdout?.setEncoding('utf8').on('data', (d: string) => (said += d));
      try {
        for (let i = 0; i < 100 && !said.includes('ready'); i++) await sleepMs(20);
        chmodSync(sock, 0o777);
        const probe = script('pass-fd.py', `import array, socket, sys
c = socket.socket(socket.AF_UNIX); c.connect(sys.argv[1])
c.sendmsg([b'x'], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [1]))])
print('handed over', flush=True)
`);
        const plan = file('held.plan');
        makePlan(plan, ['--rox', '/usr', '--ro', '/etc', '--rw', dir, '--allow-unix-sockets'], { exec: { path: PYTHON, argv: ['python3', probe, sock], env: ENV } });
        const t0 = Date.now();
        const r = await supervise({ plan, workflowCommands: 'annotations', newPgrp: true }).done;
        const took = Date.now() - t0;
        expect(said).toContain('holding');
        expect(r.stdout).toBe('handed over\n');
        expect(r.report.at(-1)).toBe('exit code 0');
        expect(took).toBeGreaterThanOrEqual(1900); // it did wait for the pipe to end
        expect(took).toBeLessThan(4000); // and not for the holder
      } finally {
        holder.kill('SIGKILL');
      }
    });
  });

  describe('invocation', () => {
    let plan: string;
    beforeAll(() => {
      plan = file('invocation.plan');
      makePlan(plan, ['--rox', '/usr']);
    });
    it.each([
      ['--report-fd without --supervise', ['--report-fd', '3'], '--report-fd needs --supervise'],
      ['--new-pgrp without --supervise', ['--new-pgrp'], '--new-pgrp needs --supervise'],
      ['--report-fd 1', ['--supervise', '--report-fd', '1'], "invalid --report-fd '1': 0, 1 and 2 are the command's stdio"],
      ['--control-fd that is not open', ['--supervise', '--control-fd', '77'], "invalid --control-fd '77': not an open file descriptor"],
      ['--workflow-commands some', ['--supervise', '--workflow-commands', 'some'], "invalid --workflow-commands 'some': expected all, annotations or none"],
      ['--end-last-line without --supervise', ['--end-last-line'], '--end-last-line needs --supervise'],
    ])('usage error (exit 2, nothing run): %s', (_n, args, message) => {
      const marker = file('marker');
      const r = spawnSync(NATIVE_BIN, [...args, '--plan', plan, '--', '/usr/bin/touch', marker], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`[landrun] error: landlock-exec: ${message}\n`);
      expect(existsSync(marker)).toBe(false);
    });
  });

  describe('--workflow-commands', () => {
    const payload = (): Buffer => {
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const big = Buffer.alloc(300000, 'y\n');
      return Buffer.concat([Buffer.from('plain line\n'), bytes, Buffer.from('\n'), big, Buffer.from('no newline at the end')]);
    };

    /** The command's fd 1 and the supervisor's, read while both are alive. */
    const stdoutLinks = async (name: string, wc: 'annotations' | undefined): Promise<[string, string]> => {
      const plan = planFor(VARIANTS[0] as Variant, name, ['/bin/sh', '-c', 'readlink /proc/self/fd/1; sleep 0.5']);
      const s = supervise({ plan, newPgrp: true, ...(wc ? { workflowCommands: wc } : {}) });
      await s.waitReport(/^child \d+$/);
      await sleepMs(200);
      const supervisor = readlinkSync(`/proc/${s.child.pid}/fd/1`);
      const r = await s.done;
      return [r.stdout.trim(), supervisor];
    };

    it('without the option the command writes to the caller\'s stdout itself (no pipe in between)', async () => {
      const [mine, supervisor] = await stdoutLinks('wc-none', undefined);
      expect(mine).toBe(supervisor);
    });

    it('with it the command\'s stdout is a pipe to the supervisor', async () => {
      const [mine, supervisor] = await stdoutLinks('wc-pipe', 'annotations');
      expect(mine).toMatch(/^pipe:/);
      expect(mine).not.toBe(supervisor);
    });

    it.each(['all', 'annotations', 'none'] as const)('%s: passes stdout and stderr through byte for byte (300 KB, every byte value, no final newline)', async (mode) => {
      const f = file('payload');
      const data = payload();
      writeFileSync(f, data);
      chmodSync(f, 0o644);
      const plan = planFor(VARIANTS[0] as Variant, `wc-${mode}`, ['/bin/sh', '-c', `cat ${f}; cat ${f} >&2; exit 3`]);
      const r = await supervise({ plan, workflowCommands: mode, newPgrp: true }).done;
      expect(r.status).toBe(3);
      expect(r.stdoutBytes.equals(data)).toBe(true);
      expect(r.stderrBytes.equals(data)).toBe(true);
      expect(r.report).toEqual([expect.stringMatching(/^child \d+$/), 'leftovers 0', 'exit code 3']);
    });

    it.each(['all', 'annotations', 'none'] as const)('%s with --end-last-line: a stream that ends inside a line gets one newline, one that ends a line nothing more', async (mode) => {
      const plan = planFor(VARIANTS[0] as Variant, `wc-end-${mode}`, ['/bin/sh', '-c', 'printf "one\\ntwo"; printf "three\\r" >&2']);
      const r = await supervise({ plan, workflowCommands: mode, newPgrp: true, extraArgs: ['--end-last-line'] }).done;
      expect(r.stdout).toBe('one\ntwo\n');
      expect(r.stderr).toBe('three\r'); // a lone CR ends a line for the runner
    });

    it('a leftover holding the output pipe does not keep the supervisor waiting: it is killed and the pipe ends', async () => {
      const plan = planFor(VARIANTS[0] as Variant, 'wc-held', ['/bin/sh', '-c', '(sleep 600; echo late) & echo early']);
      const t0 = Date.now();
      const r = await supervise({ plan, workflowCommands: 'annotations', newPgrp: true }).done;
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(r.stdout).toBe('early\n');
      expect(r.report.slice(-2)).toEqual([expect.stringMatching(/^leftovers [12]$/), 'exit code 0']);
    });

    describeIf(WC_FILTER_PRESENT ? undefined : 'native-helper/workflow-commands.c has not landed: the tests link the pass-through stand-in')(
      'with the workflow-command filter',
      () => {
        it('annotations: ::set-output:: is defused and reported, ::error:: passes', async () => {
          const plan = planFor(VARIANTS[0] as Variant, 'wc-defuse', ['/bin/sh', '-c', 'echo "::set-output name=x::y"; echo "::error::boom"']);
          const r = await supervise({ plan, workflowCommands: 'annotations', newPgrp: true }).done;
          // The runner acts on a line that starts (after white space) with a command: the defused
          // line is shown, prefixed, and only the annotation still starts a line.
          expect(r.stdout.split('\n')).toEqual(['[landrun: defused] ::set-output name=x::y', '::error::boom', '']);
          expect(r.report).toContain('defused stdout set-output');
        });
      },
    );
  });
});
