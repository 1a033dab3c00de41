// The Action end to end, the way the runner runs it: action.yml and the committed dist/ in
// _actions, every input as INPUT_* with action.yml's defaults, runs.main then runs.post started by
// Node 24 (runs.using: node24) against a temporary runner layout; shell mode's later steps are
// started the way the runner starts `shell: landrun-shell {0}`. The run-mode and shell-mode cases
// also run on the machine's Node (20 in CI), and one case goes through @github/local-action, a
// second client of action.yml that runs the TypeScript sources.
// Denial cases allow trace, not audit: audit is global, and test/integration/denials.test.ts owns it.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { landrun, removeDir } from '../helpers/run.js';
import { actionPostStep, actionStep, localAction, makeRunnerLayout, read, TOKEN, type RunnerLayout } from '../helpers/runner-layout.js';
import { NODE24, node24Why } from '../helpers/node24.js';
import { checkoutPost } from '../helpers/checkout-post.js';
import { describeIf, itIf } from '../helpers/describe-if.js';
import { asUserWhy, NOBODY } from '../helpers/guard-as-user.js';
import { VECTORS, type VectorContext } from '../helpers/git-vectors.js';

const layouts: RunnerLayout[] = [];
const layout = (checkout: 'v4' | 'v6' = 'v4'): RunnerLayout => {
  const l = makeRunnerLayout({ checkout });
  layouts.push(l);
  return l;
};
afterAll(() => layouts.forEach((l) => removeDir(l.root)));

/** A step using the Action, on the runner's Node 24. */
const step = (l: RunnerLayout, env: Record<string, string>, as?: { uid: number; gid: number }) => actionStep(l, env, { as });

/** The summary escapes what could be Markdown or HTML; read it back as text. */
const text = (md: string): string => md.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n))).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const lines = (out: string, prefix: string): string[] =>
  out
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.slice(prefix.length));

describeIf(node24Why, 'run mode', () => {
  it('runs the script: workspace and TMPDIR writable; file commands, HOME, tool cache, _actions and secrets are not', async () => {
    const l = layout('v4');
    const script = [
      'set +e +o pipefail # probes report their own failures',
      'echo "P:hello"',
      'echo data > built.txt && echo "P:workspace-write ok"',
      'echo t > "$TMPDIR/t" && echo "P:tmpdir-write ok"',
      'echo "P:tmpdir $TMPDIR"',
      'echo "NEW=1" >> "$GITHUB_ENV" 2>/dev/null || echo "P:github-env denied"',
      'echo "/evil" >> "$GITHUB_PATH" 2>/dev/null || echo "P:github-path denied"',
      'echo x >> ~/.bashrc 2>/dev/null || echo "P:bashrc denied"',
      `echo x > ${l.toolCache}/node/24.0.0/x64/bin/tool 2>/dev/null || echo "P:toolcache denied"`,
      `echo x > ${l.actionsDir}/index.js 2>/dev/null || echo "P:actions denied"`,
      // this action's own post step runs unsandboxed after the script: it must stay as downloaded
      `echo "require('fs').writeFileSync(process.env.GITHUB_ENV, 'X=1')" >> ${l.thisAction}/dist/action-post/index.js 2>/dev/null || echo "P:own-action denied"`,
      'cat ~/.ssh/id_rsa 2>/dev/null || echo "P:ssh denied"',
      'cat ~/.config/gh/hosts.yml 2>/dev/null || echo "P:gh denied"',
      'echo "P:other $(cat ~/.config/other/settings)"',
      'echo "P:gitconfig $(git config --global user.name)"',
      'env | grep -E "^(ACTIONS_RUNTIME_TOKEN|ACTIONS_ID_TOKEN_REQUEST_TOKEN|INPUT_)" | cut -d= -f1 | sed "s/^/P:leaked /"',
      'echo "P:token-in-config $(git config --get-all http.https://github.com/.extraheader | wc -l)"',
      'grep -c "AUTHORIZATION" .git/config | sed "s/^/P:auth-lines /"',
      // the script's parent (the supervisor) and the Action's own Node process above it
      'action=$(cut -d" " -f4 /proc/$PPID/stat); cat /proc/$action/environ >/dev/null 2>&1 || echo "P:parent-environ denied"',
      'echo "P:git-status $(git status --porcelain | tr "\\n" " ")"',
    ].join('\n');
    const r = await step(l, l.env({ INPUT_RUN: script, ACTIONS_RUNTIME_TOKEN: 'runtime-secret', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-secret' }));
    const p = lines(r.stdout, 'P:');
    expect(p).toEqual(
      expect.arrayContaining([
        'hello',
        'workspace-write ok',
        'tmpdir-write ok',
        'github-env denied',
        'github-path denied',
        'bashrc denied',
        'toolcache denied',
        'actions denied',
        'own-action denied',
        'ssh denied',
        'gh denied',
        'other visible=yes',
        'gitconfig runner',
        'token-in-config 0',
        'auth-lines 0',
        'parent-environ denied',
        'git-status ?? built.txt ',
      ]),
    );
    expect(p.filter((x) => x.startsWith('leaked'))).toEqual([]);
    expect(r.failed).toBeUndefined();
    expect(r.outputs).toMatchObject({ 'exit-code': '0', status: 'full' });
    expect(Number(r.outputs.abi)).toBeGreaterThanOrEqual(1);
    // afterwards: the workspace file is there, the private TMPDIR is gone, nothing else changed
    expect(read(join(l.workspace, 'built.txt'))).toBe('data\n');
    const tmpdir = p.find((x) => x.startsWith('tmpdir /'))?.slice('tmpdir '.length) as string;
    expect(tmpdir.startsWith(l.runnerTemp)).toBe(true);
    expect(existsSync(tmpdir)).toBe(false);
    expect(read(l.files.env)).toBe('');
    expect(read(l.files.path)).toBe('');
    expect(read(join(l.home, '.bashrc'))).toBe('# bashrc\n');
    expect(read(join(l.actionsDir, 'index.js'))).toBe('// checkout\n');
    // the token is back in .git/config
    expect(read(join(l.workspace, '.git', 'config'))).toContain(`extraheader = AUTHORIZATION: basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`);
    // the log names the removed variables, never their values
    expect(r.stdout).toMatch(/not passed to the script: ACTIONS_ID_TOKEN_REQUEST_TOKEN, ACTIONS_RUNTIME_TOKEN, this action's inputs \(\d+ INPUT_\* variables\)\n/);
    expect(r.stdout).not.toContain('runtime-secret');
    // the job summary holds the report and the local reproduction command
    const summary = read(l.files.summary);
    expect(summary).toContain('### landrun sandbox');
    expect(summary).toContain('| result | ✅ passed |\n| enforcement | 🟢 full |\n');
    expect(summary).toMatch(/\| exit code \| 0 \|/);
    // the script saved as a file, then run under the same preset exactly as the step ran it
    expect(summary).toContain("cat > landrun-step.sh <<'LANDRUN_STEP'\nset +e +o pipefail # probes report their own failures\n");
    expect(summary).toContain('npx landrun-action --preset ci -- bash --noprofile --norc -eo pipefail landrun-step.sh');
  }, 60000);

  it('checkout v6: the credentials include is withheld, git keeps working, and it is restored', async () => {
    const l = layout('v6');
    const script = [
      'set +e +o pipefail',
      'git log --oneline | sed "s/^[0-9a-f]* /P:log /"',
      'echo "P:includes $(grep -c git-credentials .git/config)"',
      `cat ${l.credentialsFile} 2>/dev/null || echo "P:credentials denied"`,
      'git config --get http.https://github.com/.extraheader || echo "P:no extraheader"',
    ].join('\n');
    const r = await step(l, l.env({ INPUT_RUN: script }));
    expect(lines(r.stdout, 'P:')).toEqual(['log init', 'includes 0', 'credentials denied', 'no extraheader']);
    expect(r.failed).toBeUndefined();
    expect(read(join(l.workspace, '.git', 'config'))).toContain(`path = ${l.credentialsFile}`);
  }, 60000);

  it('checkout-credentials: keep leaves the token usable', async () => {
    const l = layout('v6');
    const r = await step(l, l.env({ INPUT_RUN: 'git config --get http.https://github.com/.extraheader | cut -c1-20 | sed "s/^/P:/"', 'INPUT_CHECKOUT-CREDENTIALS': 'keep' }));
    expect(lines(r.stdout, 'P:')).toEqual(['AUTHORIZATION: basic']);
  }, 60000);

  it('fails the step and restores .git/config and hooks when the script changes them', async () => {
    const l = layout('v4');
    const before = read(join(l.workspace, '.git', 'config'));
    const script = 'git config core.fsmonitor "curl evil"; printf "#!/bin/sh\\nexit 0\\n" > .git/hooks/post-checkout; echo "P:done"';
    const r = await step(l, l.env({ INPUT_RUN: script }));
    expect(lines(r.stdout, 'P:')).toEqual(['done']);
    expect(r.failed).toBe('the script changed what later git commands read or run: .git/config, .git/hooks/post-checkout (restored .git/config; removed .git/hooks/post-checkout)');
    expect(read(join(l.workspace, '.git', 'config'))).toBe(before);
    expect(existsSync(join(l.workspace, '.git', 'hooks', 'post-checkout'))).toBe(false);
    expect(existsSync(join(l.workspace, '.git', 'hooks', 'pre-commit.sample'))).toBe(true);
  }, 60000);

  it('passes the exit code on, fails the step, and kills what the script left running', async () => {
    const l = layout('v4');
    const r = await step(l, l.env({ INPUT_RUN: 'sleep 600 &\necho $! > "$GITHUB_WORKSPACE/bg.pid"\nexit 3' }));
    expect(r.outputs['exit-code']).toBe('3');
    expect(r.failed).toBe('the script exited with 3');
    const pid = Number(read(join(l.workspace, 'bg.pid')));
    expect(existsSync(`/proc/${pid}`) && !read(`/proc/${pid}/stat`).includes(') Z ')).toBe(false);
  }, 60000);

  it('grants what the inputs add, and nothing of the network by default', async () => {
    const l = layout('v4');
    const extra = join(l.root, 'extra');
    spawnSync('mkdir', ['-p', extra]);
    const script = `echo x > ${extra}/f && echo "P:extra ok"\n(exec 3<>/dev/tcp/127.0.0.1/9) 2>/dev/null || echo "P:tcp denied"`;
    const r = await step(l, l.env({ INPUT_RUN: script, INPUT_RW: extra }));
    expect(lines(r.stdout, 'P:')).toEqual(['extra ok', 'tcp denied']);
  }, 60000);

  const badInputs: Array<[string, Record<string, string>, RegExp]> = [
    ['unknown preset', { INPUT_PRESET: 'lax' }, /invalid input preset 'lax': expected one of ci, none/],
    ['bad port', { 'INPUT_CONNECT-TCP': '443, 99999' }, /invalid port '99999' in input connect-tcp/],
    ['relative path escaping the workspace', { INPUT_RW: '../../..' }, /input rw: relative path '\.\.\/\.\.\/\.\.' resolves to .*, outside the workspace/],
    ['missing path', { INPUT_RO: '/no/such/dir' }, /path '\/no\/such\/dir' in input ro: \/no\/such\/dir does not exist/],
    ['bad boolean', { 'INPUT_BEST-EFFORT': 'maybe' }, /invalid input best-effort 'maybe'/],
  ];
  it.each(badInputs)('bad input (%s) fails the step with a clear message and runs nothing', async (_n, inputs, message) => {
    const l = layout('v4');
    const r = await step(l, l.env({ INPUT_RUN: 'touch "$GITHUB_WORKSPACE/ran"', ...inputs }));
    expect(r.failed).toMatch(message);
    expect(r.status).toBe(1);
    expect(existsSync(join(l.workspace, 'ran'))).toBe(false);
  }, 60000);
});

describeIf(node24Why, 'policy-file: one file for the laptop and CI', () => {
  const POLICY = ['# .github/landrun.yml', 'preset: none', 'rox: [/usr]', 'ro:', '  - /etc', '  - ../README', 'rw: |', '  ../out', '  /dev/null', 'connect-tcp: 5432, 8000-8001', ''].join('\n');
  const withPolicy = (text: string, name = 'landrun.yml'): RunnerLayout => {
    const l = layout('v4');
    mkdirSync(join(l.workspace, '.github'), { recursive: true });
    mkdirSync(join(l.workspace, 'out'), { recursive: true });
    writeFileSync(join(l.workspace, '.github', name), text);
    return l;
  };
  /** Rules that came from the file, as "path kind rights line:column key: item", one port per line. */
  const fileRules = (rows: Array<[string, string, string, string]>): string[] =>
    rows
      .filter(([, , , from]) => from.includes('landrun.yml:'))
      .flatMap(([what, kind, rights, from]) => {
        const origin = from.slice(from.indexOf('landrun.yml:') + 'landrun.yml:'.length);
        const range = /^tcp (\d+)(?:-(\d+))?$/.exec(what);
        if (!range) return [`${what} ${kind} ${rights} ${origin}`];
        const lo = Number(range[1]);
        const hi = Number(range[2] ?? range[1]);
        return Array.from({ length: hi - lo + 1 }, (_, i) => `tcp ${lo + i} ${kind} ${rights} ${origin}`);
      })
      .sort();

  it('gives the sandbox the CLI gives for the same file read from another directory, and the script runs in it', async () => {
    const l = withPolicy(POLICY);
    const r = await step(l, l.env({ INPUT_RUN: 'cat README > out/copy && echo "P:ran"\n(echo x > built) 2>/dev/null || echo "P:workspace root denied"', 'INPUT_POLICY-FILE': '.github/landrun.yml' }));
    expect(r.failed).toBeUndefined();
    expect(lines(r.stdout, 'P:')).toEqual(['ran', 'workspace root denied']);
    expect(read(join(l.workspace, 'out', 'copy'))).toBe('repo\n');
    const summary = text(read(l.files.summary));
    const inSummary = fileRules(
      summary
        .split('\n')
        .map((line) => /^\| (?:<code>(.*?)<\/code>|(tcp \d+)) \| (\w+) \| ([\w,]+) \| (.*) \|$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1] ?? (m[2] as string), m[3] as string, m[4] as string, m[5] as string]),
    );
    // The CLI, from the runner's root directory: the file's relative paths are still the file's.
    const cli = landrun(['--explain', '--policy', relative(l.root, join(l.workspace, '.github', 'landrun.yml'))], { cwd: l.root });
    expect(cli.status).toBe(0);
    const inExplain = fileRules(
      cli.stdout
        .split('\n')
        .map((line) => /^ {2}(tcp \S+|\S+)\s+(file|dir|port)\s+(\S+)\s+from (.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1] as string, m[2] as string, m[3] as string, m[4] as string]),
    );
    expect(inSummary).toEqual([
      `${l.workspace}/README file ro 6:5 ro: ../README`,
      `${l.workspace}/out dir rw 8:3 rw: ../out`,
      '/dev/null file rw 9:3 rw: /dev/null',
      '/etc dir ro 5:5 ro: /etc',
      '/usr dir rox 3:7 rox: /usr',
      'tcp 5432 port connect_tcp 10:14 connect-tcp: 5432',
      'tcp 8000 port connect_tcp 10:20 connect-tcp: 8000-8001',
      'tcp 8001 port connect_tcp 10:20 connect-tcp: 8000-8001',
    ].sort());
    expect(inExplain).toEqual(inSummary);
  }, 60000);

  const refusals: Array<[string, (l: RunnerLayout) => string, Record<string, string>, RegExp]> = [
    ['garbage', () => 'ro: [/etc\nrw: /tmp\n', {}, /^\.github\/landrun\.yml:2:1: invalid YAML: /],
    ['an unknown key', () => 'ro: /etc\nread-only: /usr\n', {}, /^\.github\/landrun\.yml:2:1: unknown key 'read-only'/],
    ['a relative path climbing out of the workspace', () => 'rw: ../../../x\n', {}, /^\.github\/landrun\.yml:1:5: relative path '\.\.\/\.\.\/\.\.\/x' resolves to .*, outside the workspace .*: use an absolute path if you mean it$/],
    ['a grant covering RUNNER_TEMP (HOME holds it here)', () => 'rw: ["~"]\n', {}, /^\.github\/landrun\.yml:1:6: rw: '~' \(.*\) would let the script reach .*_temp, which holds the runner's file commands and credentials/],
    ['a missing file', () => 'ro: /etc\n', { 'INPUT_POLICY-FILE': '.github/nope.yml' }, /^input policy-file: '\.github\/nope\.yml' \(.*\/\.github\/nope\.yml\) does not exist$/],
    ['a setting the Action does not apply', () => 'ldd: true\n', {}, /^\.github\/landrun\.yml:1:6: 'ldd: true' is not applied by the Action/],
  ];
  it.each(refusals)('refuses %s before anything runs', async (_n, text, inputs, message) => {
    const l = withPolicy('');
    writeFileSync(join(l.workspace, '.github', 'landrun.yml'), text(l));
    const r = await step(l, l.env({ INPUT_RUN: 'touch "$GITHUB_WORKSPACE/ran"', 'INPUT_POLICY-FILE': '.github/landrun.yml', ...inputs }));
    expect(r.failed).toMatch(message);
    expect(existsSync(join(l.workspace, 'ran'))).toBe(false);
  }, 60000);

  it('a working-directory that does not exist fails naming the input and the path, and nothing runs', async () => {
    const l = layout('v4');
    const r = await step(l, l.env({ INPUT_RUN: 'touch "$GITHUB_WORKSPACE/ran"', 'INPUT_WORKING-DIRECTORY': 'no/such/dir' }));
    expect(r.failed).toBe(`input working-directory: 'no/such/dir' (${l.workspace}/no/such/dir) does not exist`);
    expect(existsSync(join(l.workspace, 'ran'))).toBe(false);
  }, 60000);
});

/** The runner's Node for this action (24), and the machine's own (20 in CI) for the core cases. */
const NODES: Array<[string, string | undefined, string | undefined]> = [
  ['Node 24', NODE24, node24Why],
  [`Node ${process.versions.node.split('.')[0]} (this machine's)`, process.execPath, NODE24 === process.execPath ? 'this machine runs Node 24' : undefined],
];

describe.each(NODES)('shell mode on %s', (_name, node, why) => {
  itIf(why, 'sets up landrun-shell; later steps run sandboxed; post writes one summary of every step', async () => {
    const l = layout('v4');
    const setup = await actionStep(l, l.env({ INPUT_RUN: '', ACTIONS_RUNTIME_TOKEN: 'runtime-secret' }), { node, post: false });
    expect(setup.failed).toBeUndefined();
    expect(setup.status).toBe(0);
    const binDir = read(l.files.path).trim();
    expect(existsSync(join(binDir, 'landrun-shell'))).toBe(true);
    expect(setup.outputs.shell).toBe(join(binDir, 'landrun-shell'));
    const stateDir = setup.state['landrun-shell-state'];
    expect(stateDir).toBeDefined();

    // The runner: resolve the shell program through PATH (with the GITHUB_PATH prepend), run it with
    // the script file, in the workspace, with a run step's environment.
    const stepEnv = l.env({ PATH: `${binDir}:${process.env.PATH}`, GITHUB_ACTION: '__run_2' });
    const shellStep = (name: string, body: string) => {
      const file = join(l.runnerTemp, name);
      writeFileSync(file, body);
      return spawnSync('landrun-shell', [file], { cwd: l.workspace, env: stepEnv, encoding: 'utf8', shell: false });
    };
    const ok = shellStep(
      'step-a',
      ['echo "P:in-step"', 'echo x > built && echo "P:ws ok"', 'echo "X=1" >> "$GITHUB_ENV" || echo "P:env denied"', 'cat ~/.ssh/id_rsa || echo "P:ssh denied"', 'echo "P:token $(git config --get-all http.https://github.com/.extraheader | wc -l)"'].join('\n'),
    );
    expect(lines(ok.stdout, 'P:')).toEqual(['in-step', 'ws ok', 'env denied', 'ssh denied', 'token 0']);
    expect(ok.status).toBe(0);
    const failing = shellStep('step-b', 'echo "P:b"\nexit 4\n');
    expect(failing.status).toBe(4);
    const tamper = shellStep('step-c', 'echo "[core]\n\tfsmonitor = evil" >> .git/config\n');
    expect(tamper.status).toBe(1);
    expect(tamper.stderr).toContain('the script changed what later git commands read or run: .git/config (restored .git/config)');
    expect(read(l.files.env)).toBe('');
    expect(read(join(l.workspace, '.git', 'config'))).toContain('extraheader = AUTHORIZATION');
    expect(read(join(l.workspace, '.git', 'config'))).not.toContain('fsmonitor');

    // The post step, as the runner runs it: the bundle, with the saved state in STATE_*.
    const post = await actionPostStep(l, l.env(), setup.state, { node });
    expect(post.status).toBe(0);
    const summary = text(read(l.files.summary));
    expect(summary).toContain('### landrun shell mode');
    expect(summary).toMatch(/\| __run_2: echo "P:in-step" \| ✅ passed \| 0 \| [\d.]+ s \| full \|/);
    expect(summary).toMatch(/\| __run_2: echo "P:b" \| ❌ failed: the script exited with 4 \| 4 \|/);
    expect(summary).toContain('| ❌ failed: the script changed what later git commands read or run: .git/config (restored .git/config) | 0 |');
    expect(existsSync(join(stateDir as string, 'steps'))).toBe(false);
  }, 90000);
});

describe.each(NODES)('run mode on %s', (_name, node, why) => {
  itIf(why, 'runs the script, passes its exit code on in GITHUB_OUTPUT, fails the step, and leaves RUNNER_TEMP as it was', async () => {
    const l = layout('v4');
    const r = await actionStep(l, l.env({ INPUT_RUN: 'echo bundled; echo x > built; exit 5' }), { node });
    expect(r.stdout).toContain('bundled\n');
    expect(r.failed).toBe('the script exited with 5');
    expect(r.status).toBe(1);
    expect(r.postStatus).toBe(0);
    expect(r.outputs).toMatchObject({ 'exit-code': '5', status: 'full' });
    expect(read(join(l.workspace, 'built'))).toBe('x\n');
    expect(readdirSync(join(l.runnerTemp, 'landrun'))).toEqual([]);
  }, 60000);
});

describe('@github/local-action (a second client of action.yml, running the TypeScript sources)', () => {
  it('runs main and post from action.yml: the script runs sandboxed and its exit code is the output', async () => {
    const l = layout('v4');
    const r = await localAction(l, l.env({ INPUT_RUN: 'echo "P:local"; echo t > "$GITHUB_ENV" || echo "P:env denied"; exit 2' }));
    expect(lines(r.stdout, 'P:')).toEqual(['local', 'env denied']);
    expect(r.failed).toBe('the script exited with 2');
    expect(r.outputs['exit-code']).toBe('2');
    expect(read(l.files.env)).toBe('');
  }, 60000);
});

describeIf(node24Why, 'denials in the Action', () => {
  it('reports what was denied in the summary and as annotations, with the input that allows it', async () => {
    const l = layout('v4');
    const data = join(l.root, 'data');
    spawnSync('mkdir', ['-p', data]);
    writeFileSync(join(data, 'fixture.json'), '{}');
    const r = await step(l, l.env({ INPUT_RUN: `cat ${data}/fixture.json`, INPUT_TRACE: 'true' }));
    expect(r.failed).toBe('the script exited with 1');
    // (strace does not name the process; audit records do)
    // a denied file is allowed by its directory (the next file there would be denied next)
    expect(r.stdout).toMatch(new RegExp(`::warning title=landrun%3A denied::fs\\.read_file ${data}/fixture\\.json( by cat\\[\\d+\\])? — allow with --ro ${data} \\(input ro: ${data}\\)`));
    // what bash and glibc tolerate (the nscd socket, the terminal) is no annotation
    expect(r.stdout).not.toMatch(/::warning[^\n]*(unix sockets|\/dev\/tty|netlink)/);
    const summary = text(read(l.files.summary));
    expect(summary).toMatch(/\*\*Denied\*\* \(source: (audit|trace)\)/);
    expect(summary).toContain(`| <code>ro: ${data}</code> | <code>--ro ${data}</code> |`);
    expect(summary).not.toContain('scope.signal'); // the launcher's own clean-up sweep is not the script's
    expect(summary).not.toContain('Not seen'); // trace: true traces every call
  }, 60000);

  itIf(asUserWhy, 'as the runner user, with no input asking for it: strace stops only at the traced calls, and the denied file is still reported with its input', async () => {
    const l = layout('v4');
    const data = join(l.root, 'data-fast');
    spawnSync('mkdir', ['-p', data]);
    writeFileSync(join(data, 'fixture.json'), '{}');
    spawnSync('chown', ['-R', `${NOBODY.uid}:${NOBODY.gid}`, l.root]);
    // nobody can neither read audit records nor sudo: the report comes from strace
    const r = await step(l, l.env({ INPUT_RUN: `cat ${data}/fixture.json` }), NOBODY);
    expect(r.failed).toMatch(/^the script exited with 1/);
    const summary = text(read(l.files.summary));
    expect(summary).toMatch(/\*\*Denied\*\* \(source: trace\)/);
    expect(summary).toContain("Not seen: strace stopped only at the traced calls, so the seccomp filter's refusals (UDP and raw sockets, io_uring, keyrings, execveat) are not in this report; trace: true traces every call");
    expect(summary).toContain(`| <code>ro: ${data}</code> | <code>--ro ${data}</code> |`);
  }, 60000);

  it('learn mode: converges, writes the learned policy, leaves writes outside the workspace to the user, and does not fail the step', async () => {
    const l = layout('v4');
    const data = join(l.root, 'learn-data');
    spawnSync('mkdir', ['-p', join(data, 'out')]);
    writeFileSync(join(data, 'in.txt'), 'in');
    const r = await step(
      l,
      l.env({ INPUT_RUN: `cat ${data}/in.txt > /dev/null\necho done > ${data}/out/result || true\necho built > built.txt`, INPUT_MODE: 'learn', INPUT_TRACE: 'true' }),
    );
    expect(r.failed).toBeUndefined();
    // converged: nothing more can be learned (the write outside the workspace needs a decision)
    expect(r.stdout).toMatch(/learn round 2: exit 0, 1 denial\(s\)/);
    expect(r.stdout).toContain(`not learned (needs your decision): --rw ${data}/out — writes outside the workspace and the step's TMPDIR last beyond the run`);
    const summary = text(read(l.files.summary));
    expect(summary).toContain('### landrun learned policy');
    expect(summary).toContain(`preset: ci\nro: ${data}\n`);
    expect(summary).toContain('**Not learned, needs your decision:**');
    expect(summary).toContain(`| <code>rw: ${data}/out</code> | writes outside the workspace`);
    expect(existsSync(join(data, 'out', 'result'))).toBe(false);
    expect(read(join(l.workspace, 'built.txt'))).toBe('built\n');
  }, 90000);
});

describeIf(node24Why, 'hostile scripts (from the security review)', () => {
  it('a process that escapes its session and forks as fast as it can is still killed at the end', async () => {
    const l = layout('v4');
    const chain = [
      'use POSIX;',
      'POSIX::setsid();',
      'open(my $s, ">", "$ENV{GITHUB_WORKSPACE}/chain-started") or die; close $s;',
      'my $end = time + 3;',
      'while (time < $end) { if (fork()) { POSIX::_exit(0) } }',
      'open(my $f, ">>", "$ENV{GITHUB_WORKSPACE}/survivor") or die; print $f "survived\\n"; close $f;',
      'sleep 30;',
    ].join(' ');
    const r = await step(l, l.env({ INPUT_RUN: `perl -e '${chain}' &\nsleep 0.3` }));
    expect(r.failed).toBeUndefined();
    await new Promise((res) => setTimeout(res, 4500));
    expect(existsSync(join(l.workspace, 'chain-started'))).toBe(true); // the chain really ran
    expect(existsSync(join(l.workspace, 'survivor'))).toBe(false);
  }, 60000);

  it('a relative grant that the repository made a symlink out of the workspace is refused', async () => {
    const l = layout('v4');
    spawnSync('ln', ['-s', '../../_temp/_runner_file_commands', join(l.workspace, 'coverage')]);
    const r = await step(l, l.env({ INPUT_RUN: 'echo EVIL=1 >> "$GITHUB_ENV"', INPUT_RW: 'coverage' }));
    expect(r.failed).toMatch(/input rw: 'coverage' resolves through a symlink to .*_runner_file_commands, outside the workspace/);
    expect(read(l.files.env)).toBe('');
  }, 60000);

  it('a grant that would cover RUNNER_TEMP is refused', async () => {
    const l = layout('v4');
    const r = await step(l, l.env({ INPUT_RUN: 'true', INPUT_RW: l.home }));
    expect(r.failed).toMatch(/would let the script reach .*_temp, which holds the runner's file commands and credentials/);
  }, 60000);

  it('learn mode never learns a secret or the file-command files', async () => {
    const l = layout('v4');
    const r = await step(
      l,
      l.env({ INPUT_RUN: 'echo EVIL=1 >> "$GITHUB_ENV" || true\ncat ~/.ssh/id_rsa || true', INPUT_MODE: 'learn', INPUT_TRACE: 'true' }),
    );
    expect(r.stdout).toMatch(/not learned \(needs your decision\): --ro ~\/\.ssh\/id_rsa — \S+ would expose \S+\/\.ssh \(credentials\)/);
    expect(r.stdout).toMatch(/not learned \(needs your decision\): --rw ~\/work\/_temp\/_runner_file_commands\/set_env_1 — /);
    expect(read(l.files.env)).toBe('');
    expect(r.stdout).not.toContain('PRIVATE KEY');
  }, 90000);

  it('learn mode never grants write access to ~/.gitconfig: a second round cannot plant an fsmonitor', async () => {
    const l = layout('v4');
    const before = read(join(l.home, '.gitconfig'));
    const data = join(l.root, 'learn-input');
    spawnSync('mkdir', ['-p', data]);
    writeFileSync(join(data, 'in.txt'), 'in');
    const script = [
      `cat ${data}/in.txt > /dev/null || true`, // learnable: there is a second round
      `git config --global core.fsmonitor "touch $GITHUB_WORKSPACE/pwned" || true`,
      `printf '[core]\\n\\tfsmonitor = touch %s/pwned\\n' "$GITHUB_WORKSPACE" >> ~/.gitconfig || true`,
      'git status --porcelain > /dev/null',
    ].join('\n');
    const r = await step(l, l.env({ INPUT_RUN: script, INPUT_MODE: 'learn', INPUT_TRACE: 'true' }));
    expect(r.failed).toBeUndefined();
    expect(r.stdout).toContain('not learned (needs your decision): --rw ~/.gitconfig — HOME dotfiles and shell start-up files');
    expect(r.stdout).toMatch(/not learned \(too wide, decide yourself\): --rw ~ — /);
    const learned = r.outputs['learned-policy'] ?? text(read(l.files.summary));
    expect(learned).not.toMatch(/gitconfig|rw: ~|rw: \S*home/);
    expect(r.outputs['learned-policy']).toBe(`preset: ci\nro: ${data}\n`);
    expect(text(read(l.files.summary))).toContain('| <code>rw: ~/.gitconfig</code> | HOME dotfiles');
    // the effects: the file is as it was, and no round ran an fsmonitor
    expect(read(join(l.home, '.gitconfig'))).toBe(before);
    expect(existsSync(join(l.workspace, 'pwned'))).toBe(false);
    expect(r.stdout).toMatch(/learn round 1: exit 0, 3 denial\(s\).*, learned --ro \S+learn-input\n/);
    expect(r.stdout).toMatch(/learn round 2: exit 0, 2 denial\(s\)/);
  }, 90000);
});

// Every way a step can plant code for later git commands (test/helpers/git-vectors.ts, where each is
// also shown to work without the guard), now as the script of a sandboxed step: it gets through
// inside the sandbox (P:planted), the step fails naming each file, and afterwards the later,
// unsandboxed git command — checkout's post step among them — runs nothing the step planted.
describeIf(node24Why, 'run mode: what the script plants for later git commands', () => {
  const shms: string[] = [];
  afterAll(() => shms.forEach((d) => removeDir(d)));
  const contextFor = (l: RunnerLayout): VectorContext => {
    const shm = mkdtempSync('/dev/shm/landrun-e2e-git-');
    shms.push(shm);
    return { workspace: l.workspace, marker: join(l.root, 'marker'), shm, runnerTemp: l.runnerTemp, env: l.env() };
  };
  const extraheader = `extraheader = AUTHORIZATION: basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;

  it("the reproduction: a nested repository with core.fsmonitor, a gitlink and .gitmodules; checkout's post step afterwards runs nothing and removes the token", async () => {
    const l = layout('v4');
    const c = contextFor(l);
    const v = VECTORS[0]!;
    const r = await step(l, l.env({ INPUT_RUN: v.step(c) }));
    expect(lines(r.stdout, 'P:')).toEqual(['planted']);
    expect(r.failed).toMatch(/^the script changed what later git commands read or run: \.git\/index, \.gitmodules, vendor\/evil\/\.git \(.*removed .*vendor\/evil\/\.git\)$/);
    expect(r.outputs['exit-code']).toBe('0');
    expect(read(join(l.workspace, '.git', 'config'))).toContain(extraheader); // restored
    expect(existsSync(join(l.workspace, 'vendor', 'evil', '.git'))).toBe(false);
    expect(existsSync(join(l.workspace, '.gitmodules'))).toBe(false);
    const post = checkoutPost({ workspace: l.workspace, runnerTemp: l.runnerTemp, env: l.env() });
    expect(post.failed).toBeUndefined();
    expect(post.commands.some((x) => x.args.join(' ').startsWith('submodule foreach --recursive'))).toBe(true);
    expect(existsSync(c.marker)).toBe(false);
    expect(read(join(l.workspace, '.git', 'config'))).not.toContain('AUTHORIZATION'); // the post step did its job
  }, 60000);

  it('the reproduction with checkout v6 (credentials in a RUNNER_TEMP file the config includes): restored, then removed by the post step', async () => {
    const l = layout('v6');
    const c = contextFor(l);
    const r = await step(l, l.env({ INPUT_RUN: VECTORS[0]!.step(c) }));
    expect(lines(r.stdout, 'P:')).toEqual(['planted']);
    expect(r.failed).toMatch(/^the script changed what later git commands read or run: \.git\/index, \.gitmodules, vendor\/evil\/\.git \(.*removed .*vendor\/evil\/\.git\)$/);
    expect(read(join(l.workspace, '.git', 'config'))).toContain(`path = ${l.credentialsFile}`);
    const post = checkoutPost({ workspace: l.workspace, runnerTemp: l.runnerTemp, env: l.env() });
    expect(post.failed).toBeUndefined();
    expect(existsSync(c.marker)).toBe(false);
    expect(existsSync(l.credentialsFile as string)).toBe(false);
    expect(read(join(l.workspace, '.git', 'config'))).not.toContain('git-credentials-');
  }, 60000);

  itIf(asUserWhy, "as the runner user (nobody): the reproduction with the nested repository below a directory made unreadable; checkout's post step as that user runs nothing", async () => {
    const l = layout('v4');
    const c = contextFor(l);
    spawnSync('chown', ['-R', `${NOBODY.uid}:${NOBODY.gid}`, l.root, c.shm]);
    const r = await step(l, l.env({ INPUT_RUN: `${VECTORS[0]!.step(c)}\nchmod 000 vendor` }), NOBODY);
    expect(lines(r.stdout, 'P:')).toEqual(['planted']);
    expect(r.failed).toMatch(/^the script changed what later git commands read or run: \.git\/index, \.gitmodules, vendor\/evil\/\.git \(.*removed .*vendor\/evil\/\.git\)$/);
    expect(statSync(join(l.workspace, 'vendor')).mode & 0o777).toBe(0o000); // the step's mode, put back
    expect(statSync(join(l.workspace, '.git', 'config')).uid).toBe(NOBODY.uid);
    expect(read(join(l.workspace, '.git', 'config'))).toContain(extraheader);
    spawnSync('chmod', ['755', join(l.workspace, 'vendor')], { uid: NOBODY.uid, gid: NOBODY.gid });
    const post = checkoutPost({ workspace: l.workspace, runnerTemp: l.runnerTemp, env: l.env(), ...NOBODY });
    expect(post.failed).toBeUndefined();
    expect(existsSync(c.marker)).toBe(false);
    expect(read(join(l.workspace, '.git', 'config'))).not.toContain('AUTHORIZATION');
  }, 60000);

  it.each(VECTORS.slice(1).map((v) => [v.name, v] as const))('%s', async (_n, v) => {
    const l = layout('v4');
    const c = contextFor(l);
    v.setup?.(c);
    const r = await step(l, l.env({ INPUT_RUN: v.step(c) }));
    expect(lines(r.stdout, 'P:')).toEqual(['planted']);
    expect(r.failed?.startsWith(`the script changed what later git commands read or run: ${v.changed.join(', ')} (`)).toBe(true);
    expect(read(join(l.workspace, '.git', 'config'))).toContain(extraheader);
    expect(v.later(c)).toBe(false);
    expect(existsSync(c.marker)).toBe(false);
  }, 60000);
});
