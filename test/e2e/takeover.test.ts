// What stays alive next to the script cannot be taken over by it: the supervisor (the script's
// parent) and the Node process above it — the Action's main, landrun-shell, the CLI waiting for a
// preset ci run. The script tries what a hostile test suite would: read their environment (where the
// runtime token is), open their memory, PTRACE_SEIZE them, and SIGUSR1 the Node process to open its
// inspector, then connect to the inspector's port (granted). At the kernel's ABI the signal is
// refused by Landlock's signal scope; under target-abi 5 (ubuntu-22.04's kernel has no scopes) the
// supervisor's seccomp filter refuses it to its parent, and any Node process it does reach must
// ignore it. A control process outside the sandbox (plain Node,
// not hardened) gets the same signal and does open its inspector: the attack is real.
import { afterAll, describe, expect } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { itIf, whyNot } from '../helpers/describe-if.js';
import { NOBODY, asUserWhy } from '../helpers/guard-as-user.js';
import { NODE24, node24ForAnyUser, node24Why } from '../helpers/node24.js';
import { CLI, removeDir } from '../helpers/run.js';
import { actionPostStep, actionStep, makeRunnerLayout, type RunnerLayout } from '../helpers/runner-layout.js';
import { kernelAbi } from '../helpers/probes.js';

const layouts: RunnerLayout[] = [];
afterAll(() => layouts.forEach((l) => removeDir(l.root)));

const SECRET = 'runtime-secret-7f3a';
// ptrace(2) by number: perl has no wrapper for it.
const PTRACE_NR: Partial<Record<string, number>> = { x64: 101, arm64: 117 };
const ptraceWhy = PTRACE_NR[process.arch] === undefined ? `no ptrace syscall number known for ${process.arch}` : undefined;

/**
 * The hostile script: finds the supervisor ($PPID) and the first Node process above it (comm
 * "node", or "MainThread" from Node 24 on), attacks
 * both, then SIGUSR1s that Node process and a control process (CONTROL_PID) and tries port 9229.
 */
const probe = (): string =>
  `
set +e
sup=$PPID; node=; p=$PPID
while [ "$p" -gt 1 ]; do
  case "$(cat /proc/$p/comm)" in node|MainThread) node=$p; break ;; esac  # Node 24 names its main thread
  p=$(cut -d' ' -f4 /proc/$p/stat)
done
echo "P:found node=$([ -n "$node" ] && echo yes || echo no)"
for who in sup node; do
  pid=\${!who}
  tr '\\0' '\\n' < /proc/$pid/environ 2>/dev/null | sed "s/^/P:$who environ /"
  perl -e 'print open(M, "<", "/proc/$ARGV[0]/mem") ? "P:$ARGV[1] mem opened\\n" : "P:$ARGV[1] mem refused\\n"' $pid $who
  perl -e 'print syscall(${PTRACE_NR[process.arch] ?? 0}, 0x4206, $ARGV[0], 0, 0) == 0 ? "P:$ARGV[1] ptrace attached\\n" : "P:$ARGV[1] ptrace refused\\n"' $pid $who
done
kill -USR1 $node 2>/dev/null && echo "P:usr1 delivered" || echo "P:usr1 refused"
kill -USR1 $CONTROL_PID 2>/dev/null && echo "P:control usr1 delivered" || echo "P:control usr1 refused"
sleep 1
(exec 3<>/dev/tcp/127.0.0.1/9229) 2>/dev/null && echo "P:inspector 9229 open" || echo "P:inspector 9229 closed"
`;

const lines = (out: string): string[] =>
  out
    .split('\n')
    .filter((l) => l.startsWith('P:'))
    .map((l) => l.slice(2));

/** A plain Node process outside any sandbox that opens its inspector (on a free port) on SIGUSR1. */
function control(node: string, as?: { uid: number; gid: number }): { child: ChildProcess; opened: Promise<boolean> } {
  const child = spawn(node, ['--inspect-port=0', '-e', 'setTimeout(() => {}, 60000)'], { stdio: ['ignore', 'ignore', 'pipe'], uid: as?.uid, gid: as?.gid });
  let err = '';
  const opened = new Promise<boolean>((resolve) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('Debugger listening on')) resolve(true);
    });
    child.on('close', () => resolve(err.includes('Debugger listening on')));
  });
  return { child, opened };
}

const ABI = kernelAbi();
/** Each case at the kernel's own ABI (signals scoped from 6) and as ubuntu-22.04's kernel (5). */
const ABIS: Array<[string, number | undefined, string | undefined]> = [
  [`the kernel's ABI (${ABI})`, undefined, ABI >= 6 ? undefined : `needs Landlock ABI 6 for the signal scope (kernel: ${ABI})`],
  ['target-abi 5 (no signal scope)', 5, ABI >= 5 ? undefined : `needs Landlock ABI 5 (kernel: ${ABI})`],
];
const USERS: Array<[string, { uid: number; gid: number } | undefined, string | undefined]> = [
  ['as root', undefined, process.getuid?.() === 0 ? undefined : 'needs root'],
  ['as the runner user (nobody)', NOBODY, asUserWhy],
];

function expectNoTakeover(p: string[], out: string, target: number | undefined): void {
  expect(p).toContain('found node=yes');
  expect(p.filter((x) => / environ /.test(x))).toEqual([]);
  expect(p).toEqual(expect.arrayContaining(['sup mem refused', 'node mem refused', 'sup ptrace refused', 'node ptrace refused', 'inspector 9229 closed']));
  // From ABI 6 Landlock refuses the signal. Below, the supervisor's seccomp filter refuses signals
  // to its own parent; a Node process further up (the Action's main when strace sits in between)
  // gets the signal, and ignores it: either way no inspector.
  if (target === 5) expect(p.filter((x) => x.startsWith('usr1 '))).toHaveLength(1);
  else expect(p).toContain('usr1 refused');
  expect(p).toContain(target === 5 ? 'control usr1 delivered' : 'control usr1 refused');
  expect(out).not.toContain(SECRET);
  expect(out).not.toContain('Debugger listening');
}

/** A policy file in the workspace: 9229 granted, and the target ABI when there is one. */
function policyFile(workspace: string, target: number | undefined): string {
  mkdirSync(join(workspace, '.github'), { recursive: true });
  writeFileSync(join(workspace, '.github', 'landrun.yml'), `preset: ci\nconnect-tcp: 9229\n${target !== undefined ? `target-abi: ${target}\n` : ''}`);
  return '.github/landrun.yml';
}

function layoutFor(as: { uid: number; gid: number } | undefined, target: number | undefined): RunnerLayout {
  const l = makeRunnerLayout({ checkout: 'v4' });
  layouts.push(l);
  policyFile(l.workspace, target);
  if (as) spawnSync('chown', ['-R', `${as.uid}:${as.gid}`, l.root]);
  return l;
}

describe.each(ABIS)('at %s', (_abiName, target, abiWhy) => {
  describe.each(USERS)('%s', (_userName, as, userWhy) => {
    const why = whyNot([abiWhy !== undefined, abiWhy ?? ''], [userWhy !== undefined, userWhy ?? ''], [node24Why !== undefined, node24Why ?? ''], [ptraceWhy !== undefined, ptraceWhy ?? '']);

    itIf(why, 'run mode: the supervisor and the Action (Node 24) are out of reach', async () => {
      const l = layoutFor(as, target);
      const c = control(as ? node24ForAnyUser() : (NODE24 as string), as);
      try {
        const r = await actionStep(l, l.env({ INPUT_RUN: probe(), 'INPUT_POLICY-FILE': '.github/landrun.yml', ACTIONS_RUNTIME_TOKEN: SECRET, CONTROL_PID: String(c.child.pid) }), { as });
        const p = lines(r.stdout);
        expectNoTakeover(p, r.stdout, target);
        expect(r.failed).toBeUndefined();
        expect(r.status).toBe(0);
        if (target === 5) expect(await c.opened).toBe(true);
      } finally {
        c.child.kill('SIGKILL');
      }
    }, 60000);

    itIf(why, 'shell mode: the supervisor and landrun-shell (Node 24) are out of reach', async () => {
      const l = layoutFor(as, target);
      const setup = await actionStep(l, l.env({ INPUT_RUN: '', 'INPUT_POLICY-FILE': '.github/landrun.yml' }), { as, post: false });
      expect(setup.status).toBe(0);
      const binDir = spawnSync('cat', [l.files.path], { encoding: 'utf8' }).stdout.trim();
      const script = join(l.runnerTemp, 'step.sh');
      writeFileSync(script, probe());
      const c = control(as ? node24ForAnyUser() : (NODE24 as string), as);
      try {
        const stepEnv = l.env({ PATH: `${binDir}:${process.env.PATH}`, GITHUB_ACTION: '__run', ACTIONS_RUNTIME_TOKEN: SECRET, CONTROL_PID: String(c.child.pid) });
        const r = spawnSync(join(binDir, 'landrun-shell'), [script], { cwd: l.workspace, env: stepEnv, encoding: 'utf8', uid: as?.uid, gid: as?.gid });
        expectNoTakeover(lines(r.stdout), r.stdout + r.stderr, target);
        expect(r.status).toBe(0);
        if (target === 5) expect(await c.opened).toBe(true);
      } finally {
        c.child.kill('SIGKILL');
      }
      expect((await actionPostStep(l, l.env(), setup.state, { as })).status).toBe(0);
    }, 90000);
  });

  // The CLI waits (runs the supervisor in the foreground) for --preset ci; on the machine's Node and on 24.
  const NODES: Array<[string, string | undefined, string | undefined]> = [
    ['Node 24', NODE24, node24Why],
    [`Node ${process.versions.node.split('.')[0]}`, process.execPath, undefined],
  ];
  describe.each(NODES)('the CLI on %s', (_n, node, nodeWhy) => {
    const why = whyNot([abiWhy !== undefined, abiWhy ?? ''], [nodeWhy !== undefined, nodeWhy ?? ''], [ptraceWhy !== undefined, ptraceWhy ?? '']);
    itIf(why, 'landrun --preset ci: the supervisor and the waiting CLI are out of reach', async () => {
      const l = layoutFor(undefined, target);
      const c = control(node as string);
      try {
        const r = await new Promise<{ status: number | null; out: string }>((resolve) => {
          const child = spawn(node as string, [CLI, '--policy', '.github/landrun.yml', '--', 'bash', '-c', probe()], {
            cwd: l.workspace,
            env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: l.home, LANG: 'C', ACTIONS_RUNTIME_TOKEN: SECRET, CONTROL_PID: String(c.child.pid) },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (out += d.toString()));
          child.on('close', (status) => resolve({ status, out }));
        });
        expectNoTakeover(lines(r.out), r.out, target);
        expect(r.status).toBe(0);
        if (target === 5) expect(await c.opened).toBe(true);
      } finally {
        c.child.kill('SIGKILL');
      }
    }, 60000);
  });
});
