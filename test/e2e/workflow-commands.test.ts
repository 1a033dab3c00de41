// Workflow commands from the sandboxed script, end to end (issue 9): the Action run the way the runner
// runs it (test/helpers/runner-layout.ts), in run mode and in shell mode (the setup step, then a
// later step started through `landrun-shell {0}`, then the post step), as root and as an
// unprivileged runner user. Every case is judged by its effect: what the runner would do with the
// step's two output streams (test/helpers/runner-commands.ts, a model of its ActionCommandManager
// read from actions/runner, ADR 8) and what the file commands, the post step and the job summary
// hold afterwards, not by the Action's own messages alone. Controls with `workflow-commands: all`
// show that the model does see each forged command when the filter lets it through.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeDir } from '../helpers/run.js';
import { fileCommandValues, type ActionRun, type OnOutput, type StreamBytes } from '../helpers/runner.js';
import { actionPostStep, actionStep, makeRunnerLayout, read, TOKEN, type RunnerLayout } from '../helpers/runner-layout.js';
import { masked, runnerEffects, splitLines, type RunnerAct, type RunnerEffects } from '../helpers/runner-commands.js';
import { node24Why } from '../helpers/node24.js';
import { describeIf, itIf, whyNot } from '../helpers/describe-if.js';
import { asUserWhy, NOBODY } from '../helpers/guard-as-user.js';

type Mode = 'run' | 'shell';
type As = { uid: number; gid: number } | undefined;

const MARK = '[landrun: defused] ';
const SECRET_TITLE = 'landrun: a withheld secret is given back';
const GIT_TAMPER = 'the script changed what later git commands read or run: .git/config (restored .git/config)';

const layouts: RunnerLayout[] = [];
afterAll(() => layouts.forEach((l) => removeDir(l.root)));

/** A runner layout; `files` are written into the workspace first (the repository's content). */
function layout(as: As, files: Record<string, string | Buffer> = {}): RunnerLayout {
  const l = makeRunnerLayout({ checkout: 'v4' });
  layouts.push(l);
  for (const [name, data] of Object.entries(files)) writeFileSync(join(l.workspace, name), data, { mode: 0o644 });
  if (as) spawnSync('chown', ['-R', `${as.uid}:${as.gid}`, l.root]);
  return l;
}

interface FileCommands {
  readonly env: string;
  readonly path: string;
  readonly output: string;
  readonly state: string;
}
const fileCommands = (l: RunnerLayout): FileCommands => ({ env: read(l.files.env), path: read(l.files.path), output: read(l.files.output), state: read(l.files.state) });

interface Sandboxed {
  /** The Action's main step: in run mode the step that runs the script, in shell mode the setup step. */
  readonly main: ActionRun;
  /** What the runner would do with main's output (the Action's own annotations are here). */
  readonly mainEffects: RunnerEffects;
  /** The process that ran the script (run mode: main; shell mode: landrun-shell) and its two streams. */
  readonly status: number | null;
  readonly streams: StreamBytes;
  /** What the runner would do with those streams. */
  readonly effects: RunnerEffects;
  /** The file-command files just before the script's step, and right after it. */
  readonly before: FileCommands;
  readonly after: FileCommands;
  /** The post step, given STATE_* as the runner would: main's GITHUB_STATE and every ::save-state it acted on. */
  readonly post: { readonly status: number | null; readonly streams: StreamBytes; readonly effects: RunnerEffects; readonly state: Record<string, string> };
  readonly summary: string;
}

interface StepInput {
  readonly inputs?: Record<string, string>;
  /** The job's env: every step has it (the Action's, the later run step's, post's). */
  readonly jobEnv?: Record<string, string>;
  /** What only a JavaScript action gets from the runner (ACTIONS_RUNTIME_TOKEN, ...). */
  readonly actionEnv?: Record<string, string>;
  readonly onOutput?: OnOutput;
}

/** Starts landrun-shell as the runner starts `shell: landrun-shell {0}`: looked up in PATH, the script file as its argument. */
function shellStep(l: RunnerLayout, binDir: string, script: string, env: Record<string, string>, as: As, onOutput?: OnOutput): Promise<{ status: number | null; streams: StreamBytes }> {
  const file = join(l.runnerTemp, `step-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(file, script, { mode: 0o644 });
  return new Promise((resolve, reject) => {
    const child = spawn('landrun-shell', [file], {
      cwd: l.workspace,
      env: l.env({ ...env, PATH: `${binDir}:${process.env.PATH}`, GITHUB_ACTION: '__run_2' }),
      stdio: ['ignore', 'pipe', 'pipe'],
      uid: as?.uid,
      gid: as?.gid,
    });
    const chunks: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };
    for (const name of ['stdout', 'stderr'] as const) {
      child[name].on('data', (d: Buffer) => {
        chunks[name].push(d);
        onOutput?.(name, d);
      });
    }
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, streams: { stdout: Buffer.concat(chunks.stdout), stderr: Buffer.concat(chunks.stderr) } }));
  });
}

/** The script as a step sandboxed by the Action (run mode), or as a later step of shell mode. */
async function sandboxed(l: RunnerLayout, as: As, mode: Mode, script: string, input: StepInput = {}): Promise<Sandboxed> {
  const jobEnv = input.jobEnv ?? {};
  const allowUnsecureCommands = jobEnv.ACTIONS_ALLOW_UNSECURE_COMMANDS === 'true';
  const actionEnv = (extra: Record<string, string>): Record<string, string> => l.env({ ...jobEnv, ...(input.actionEnv ?? {}), ...(input.inputs ?? {}), ...extra });
  let main: ActionRun;
  let status: number | null;
  let streams: StreamBytes;
  let before: FileCommands;
  if (mode === 'run') {
    before = fileCommands(l);
    main = await actionStep(l, actionEnv({ INPUT_RUN: script }), { as, post: false, onOutput: input.onOutput });
    status = main.status;
    streams = main.streams;
  } else {
    main = await actionStep(l, actionEnv({ INPUT_RUN: '' }), { as, post: false });
    expect(main.failed).toBeUndefined();
    before = fileCommands(l);
    const binDir = before.path.trim();
    const r = await shellStep(l, binDir, script, jobEnv, as, input.onOutput);
    status = r.status;
    streams = r.streams;
  }
  const after = fileCommands(l);
  const mainEffects = runnerEffects(main.streams, { allowUnsecureCommands });
  const effects = mode === 'run' ? mainEffects : runnerEffects(streams, { allowUnsecureCommands });
  // The post step's STATE_*: the file's entries and every ::save-state the runner acted on (either step's: the worst case).
  const state = { ...main.state, ...mainEffects.state, ...effects.state };
  // The runner gives post the step's inputs and environment again.
  const post = await actionPostStep(l, actionEnv({ INPUT_RUN: mode === 'run' ? script : '' }), state, { as });
  return {
    main,
    mainEffects,
    status,
    streams,
    effects,
    before,
    after,
    post: { status: post.status, streams: post.streams, effects: runnerEffects(post.streams), state },
    summary: text(read(l.files.summary)),
  };
}

/** The summary escapes what could be Markdown or HTML; read it back as text. */
const text = (md: string): string => md.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n))).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The lines of a stream as the runner's ReadLine returns them. */
const linesOf = (b: Buffer): string[] => splitLines(b).map((l) => l.toString('utf8'));
/** The probe lines ("P:...") of the script's stdout. */
const probes = (r: Sandboxed): string[] => linesOf(r.streams.stdout).filter((l) => l.startsWith('P:')).map((l) => l.slice(2));
const names = (acts: readonly RunnerAct[]): string[] => acts.map((a) => a.name);
const bothStreams = (e: RunnerEffects): RunnerAct[] => [...e.acts.stdout, ...e.acts.stderr];

/** The bytes between a line `BEGIN` and a line `END` (the script's own output, whatever the Action prints around it). */
function between(stream: Buffer, begin = 'BEGIN\n', end = '\nEND\n'): Buffer {
  const from = stream.indexOf(begin);
  if (from < 0) throw new Error(`no ${JSON.stringify(begin)} in ${JSON.stringify(stream.toString().slice(0, 2000))}`);
  const to = stream.indexOf(end, from + begin.length - 1);
  if (to < 0) throw new Error(`no ${JSON.stringify(end)} after ${JSON.stringify(begin)}`);
  return stream.subarray(from + begin.length, to + 1);
}

/** The status the Action reported in its log ("kernel: Landlock ABI N; status: S"). */
const loggedStatus = (main: ActionRun): string | undefined => /^kernel: Landlock ABI \d+; status: (\w+)$/m.exec(main.stdout)?.[1];

const USERS: Array<[string, As, string | undefined]> = [
  ['as root', undefined, undefined],
  ['as the runner user (nobody)', NOBODY, asUserWhy],
];
const MODES: Mode[] = ['run', 'shell'];

describe.each(USERS)('%s', (_who, as, userWhy) => {
  const why = whyNot([node24Why !== undefined, node24Why ?? ''], [userWhy !== undefined, userWhy ?? '']);

  describe.each(MODES)('%s mode', (mode) => {
    itIf(why, "forged ::set-output: the Action's outputs stay the real ones (exit-code 3), and no step output comes from the script's output", async () => {
      const l = layout(as);
      const r = await sandboxed(
        l,
        as,
        mode,
        [
          'echo "::set-output name=exit-code::0"',
          'echo "::set-output name=status::full"',
          'echo "::set-output name=shell::/tmp/evil/landrun-shell"',
          'echo "::set-output name=learned-policy::rw: /"',
          'echo "::set-output name=exit-code::0" >&2',
          'echo "  ::SET-OUTPUT name=exit-code::0"',
          '(echo "exit-code=0" >> "$GITHUB_OUTPUT") 2>/dev/null || echo "P:output file denied"',
          'exit 3',
        ].join('\n'),
      );
      expect(probes(r)).toEqual(['output file denied']);
      // The runner would set nothing from the script's streams ...
      expect(r.effects.outputs).toEqual({});
      expect(names(bothStreams(r.effects))).not.toContain('set-output');
      // ... so a step's outputs are its GITHUB_OUTPUT file's. (The runner reads the file after the
      // step, so it would win for a name it sets; a forged name it does not set would stay.)
      const outputs = { ...r.effects.outputs, ...fileCommandValues(r.after.output) };
      if (mode === 'run') {
        expect(r.status).toBe(1);
        expect(r.main.failed).toBe('the script exited with 3');
        expect(Object.keys(outputs).sort()).toEqual(['abi', 'exit-code', 'status']);
        expect(outputs['exit-code']).toBe('3');
        expect(loggedStatus(r.main)).toMatch(/^(full|partial|none)$/);
        expect(outputs.status).toBe(loggedStatus(r.main));
      } else {
        // The later step fails with the script's code and adds no output; the setup step's stay.
        expect(r.status).toBe(3);
        expect(r.after.output).toBe(r.before.output);
        expect(Object.keys(outputs).sort()).toEqual(['abi', 'shell', 'status']);
        expect(outputs.shell).toBe(join(r.before.path.trim(), 'landrun-shell'));
      }
      // The forged lines are in the log, as text.
      expect(linesOf(r.streams.stdout)).toEqual(expect.arrayContaining([`${MARK}::set-output name=exit-code::0`, `  ${MARK}::SET-OUTPUT name=exit-code::0`]));
      expect(linesOf(r.streams.stderr)).toContain(`${MARK}::set-output name=exit-code::0`);
      expect(r.mainEffects.annotations.filter((a) => a.properties.title === SECRET_TITLE)).toEqual([]);
    }, 90000);

    itIf(why, '::save-state: the post step gets no forged STATE_*', async () => {
      const l = layout(as);
      const r = await sandboxed(
        l,
        as,
        mode,
        [
          'mkdir -p evil && echo "{}" > evil/state.json',
          'echo "::save-state name=landrun-shell-state::/tmp/evil"',
          'echo "::save-state name=landrun-shell-state::$GITHUB_WORKSPACE/evil"',
          'echo "::save-state name=isPost::true" >&2',
          'echo "::save-state name=other::x"',
          '(echo "landrun-shell-state=$GITHUB_WORKSPACE/evil" >> "$GITHUB_STATE") 2>/dev/null || echo "P:state file denied"',
        ].join('\n'),
      );
      expect(probes(r)).toEqual(['state file denied']);
      expect(r.effects.state).toEqual({});
      expect(names(bothStreams(r.effects))).not.toContain('save-state');
      expect(r.after.state).toBe(r.before.state);
      expect(r.post.status).toBe(0);
      if (mode === 'run') {
        // Run mode saves only its step directory (for a main killed before it restored .git); main
        // removed it when it ended, so the post step has nothing to do.
        expect(Object.keys(r.post.state)).toEqual(['landrun-run-step']);
        expect(r.post.state['landrun-run-step']).toMatch(new RegExp(`^${l.runnerTemp}/landrun/landrun-step-`));
        expect(existsSync(r.post.state['landrun-run-step'] as string)).toBe(false);
        expect(r.post.streams.stdout.toString()).toBe('');
      } else {
        // The setup step's own state, and nothing else: post finds its directory and writes the summary.
        expect(Object.keys(r.post.state)).toEqual(['landrun-shell-state']);
        expect(r.post.state['landrun-shell-state']).toMatch(new RegExp(`^${l.runnerTemp}/landrun-shell-`));
        expect(r.summary).toContain('### landrun shell mode');
        expect(r.summary).toMatch(/\| __run_2: mkdir -p evil && echo "\{\}" > evil\/state\.json \| ✅ passed \| 0 \| [\d.]+ s \| \w+ \| workflow commands printed as text: save-state \|/);
      }
      expect(r.post.streams.stdout.toString()).not.toContain('ignoring shell-mode state');
    }, 90000);

    const stops: Array<[string, string, 'stdout' | 'stderr', string]> = [
      ['a token the runner accepts', 'echo "::stop-commands::pause123"', 'stdout', '::stop-commands::pause123'],
      ['on stderr (the runner has one command manager for both streams)', 'echo "::stop-commands::pause123" >&2', 'stderr', '::stop-commands::pause123'],
      ['a token no resume line can spell (%0A)', 'echo "::stop-commands::never%0Aresumed"', 'stdout', '::stop-commands::never%0Aresumed'],
    ];
    for (const [n, stop, stream, line] of stops) {
      itIf(why, `::stop-commands:: (${n}) and ::add-mask::, then a git tamper: the failure still reaches the runner, unmasked`, async () => {
        const l = layout(as);
        const r = await sandboxed(
          l,
          as,
          mode,
          [stop, 'echo "::add-mask::landrun"', 'echo "::add-mask::git metadata changed" >&2', 'git config core.fsmonitor "touch $GITHUB_WORKSPACE/pwned"', 'echo "P:tampered"'].join('\n'),
        );
        expect(probes(r)).toEqual(['tampered']);
        // The commands are in the log as text; a mask shows that one was asked for, never its value.
        expect(linesOf(r.streams[stream])).toContain(MARK + line);
        expect(linesOf(r.streams.stdout)).toContain(`${MARK}::add-mask::***`);
        expect(linesOf(r.streams.stderr)).toContain(`${MARK}::add-mask::***`);
        // The runner never stops and masks nothing ...
        for (const e of [r.effects, r.mainEffects]) {
          expect(e.stops).toEqual([]);
          expect(e.stoppedAtEnd).toBe(false);
          expect(e.masks).toEqual([]);
        }
        expect(read(join(l.workspace, '.git', 'config'))).not.toContain('fsmonitor');
        if (mode === 'run') {
          // ... so the Action's own annotation is acted on, and shown as it is.
          const git = r.effects.annotations.find((a) => a.name === 'error' && a.properties.title === 'landrun: git metadata changed');
          expect(git?.data).toBe(GIT_TAMPER);
          expect(masked(`${git?.properties.title}: ${git?.data}`, r.effects.masks)).toBe(`landrun: git metadata changed: ${GIT_TAMPER}`);
          expect(r.status).toBe(1);
        } else {
          // ... landrun-shell's own line about it reaches the log whole, after the script's output, and the step fails.
          expect(linesOf(r.streams.stderr)).toContain(`[landrun] error: ${GIT_TAMPER}`);
          expect(r.status).toBe(1);
          expect(r.post.effects.annotations.map((a) => `${a.properties.title}: ${a.data}`)).toContain('landrun: 1 sandboxed step(s) changed protected git files; they were restored');
        }
      }, 90000);
    }

    itIf(why, "a last line without a newline does not swallow the Action's next line (run mode: the leftover warning; shell mode: landrun-shell's error)", async () => {
      const l = layout(as);
      const script = mode === 'run' ? 'sleep 30 &\nprintf "no newline at the end"' : 'git config core.fsmonitor x\nprintf "no newline at the end" >&2';
      const r = await sandboxed(l, as, mode, script, { inputs: { 'INPUT_LOG-LEVEL': 'warn' } });
      if (mode === 'run') {
        expect(linesOf(r.streams.stdout)).toContain('no newline at the end');
        expect(r.effects.annotations.map((a) => `${a.properties.title}: ${a.data}`)).toContain('landrun: killed 1 process(es) the script left running');
      } else {
        expect(linesOf(r.streams.stderr).slice(-2)).toEqual(['no newline at the end', `[landrun] error: ${GIT_TAMPER}`]);
      }
    }, 90000);

    itIf(why, '::set-env and ::add-path with ACTIONS_ALLOW_UNSECURE_COMMANDS=true in the job: no effect', async () => {
      const l = layout(as);
      const r = await sandboxed(
        l,
        as,
        mode,
        [
          'echo "P:unsecure commands $ACTIONS_ALLOW_UNSECURE_COMMANDS"',
          'echo "::set-env name=LD_PRELOAD::$GITHUB_WORKSPACE/evil.so"',
          'echo "::add-path::$GITHUB_WORKSPACE/evil-bin"',
          'echo "::set-env name=NODE_OPTIONS::--require=$GITHUB_WORKSPACE/evil.js" >&2',
          'echo "##[add-path]$GITHUB_WORKSPACE/evil-v1"',
          'echo "##[set-env name=BASH_ENV;]$GITHUB_WORKSPACE/evil.sh"',
          '(echo "X=1" >> "$GITHUB_ENV") 2>/dev/null || echo "P:env file denied"',
          '(echo /evil >> "$GITHUB_PATH") 2>/dev/null || echo "P:path file denied"',
        ].join('\n'),
        { jobEnv: { ACTIONS_ALLOW_UNSECURE_COMMANDS: 'true' } },
      );
      expect(probes(r)).toEqual(['unsecure commands true', 'env file denied', 'path file denied']);
      expect(r.effects.env).toEqual({});
      expect(r.effects.path).toEqual([]);
      expect(r.effects.failures).toEqual([]);
      expect(r.after.env).toBe(r.before.env);
      expect(r.after.path).toBe(r.before.path);
      expect(linesOf(r.streams.stdout)).toEqual(expect.arrayContaining([`${MARK}::add-path::${l.workspace}/evil-bin`, `##\\[add-path]${l.workspace}/evil-v1`]));
      if (mode === 'run') expect(r.summary).toMatch(/\| workflow commands \| annotations; printed as text: (?=[^|]*set-env ×3)(?=[^|]*add-path ×2)[^|]* \|/);
      else expect(r.summary).toMatch(/workflow commands printed as text: (set-env, add-path|add-path, set-env)/);
    }, 90000);
  });
});

// A test reporter's output: annotations with properties (escapes too), groups, debug, the legacy form.
const REPORTER = [
  '::group::jest src/a.test.ts',
  '  ● adds › rejects a string',
  '::error file=a.ts,line=3::msg',
  "::warning file=src/b.ts,line=10,col=2,endLine=12,endColumn=5,title=TS2345::Argument of type 'string'%0Ais not assignable",
  '::notice title=Coverage::81.5%25 of lines',
  '::debug::took 12ms',
  '::endgroup::',
  '##[error]the legacy form',
  '',
].join('\n');
const REPORTER_ACTS = ['group', 'error', 'warning', 'notice', 'debug', 'endgroup', 'error'];
const REPORTER_DEFUSED = [
  `${MARK}::group::jest src/a.test.ts`,
  '  ● adds › rejects a string',
  `${MARK}::error file=a.ts,line=3::msg`,
  `${MARK}::warning file=src/b.ts,line=10,col=2,endLine=12,endColumn=5,title=TS2345::Argument of type 'string'%0Ais not assignable`,
  `${MARK}::notice title=Coverage::81.5%25 of lines`,
  `${MARK}::debug::took 12ms`,
  `${MARK}::endgroup::`,
  '##\\[error]the legacy form',
  '',
].join('\n');
// What `workflow-commands: all` lets through besides: every command (this action's titles excepted).
const EVERYTHING = [
  '::set-output name=coverage::81',
  '::save-state name=mine::1',
  '::add-mask::not-a-secret-really',
  '::echo::off',
  '::stop-commands::resume-me',
  '::error::silenced while stopped',
  '::resume-me::',
  '',
].join('\n');
const RESERVED = '::error title=landrun: forged::the Action did not say this\n';

const reporterScript = 'echo BEGIN; cat reporter.out; echo END\necho BEGIN >&2; cat reporter.out >&2; echo END >&2';

describe.each(USERS)('annotations %s', (_who, as, userWhy) => {
  const why = whyNot([node24Why !== undefined, node24Why ?? ''], [userWhy !== undefined, userWhy ?? '']);
  describe.each(MODES)('%s mode', (mode) => {
    itIf(why, 'annotations (the default): a test reporter\'s annotations pass byte for byte, and the runner acts on each', async () => {
      const l = layout(as, { 'reporter.out': REPORTER });
      const r = await sandboxed(l, as, mode, reporterScript);
      for (const s of [r.streams.stdout, r.streams.stderr]) {
        const region = between(s);
        expect(region.toString()).toBe(REPORTER);
        const acts = runnerEffects({ stdout: region, stderr: Buffer.alloc(0) }).acts.stdout;
        expect(names(acts)).toEqual(REPORTER_ACTS);
        expect(acts[1]).toMatchObject({ properties: { file: 'a.ts', line: '3' }, data: 'msg' });
        expect(acts[2]).toMatchObject({ properties: { file: 'src/b.ts', line: '10', col: '2', endLine: '12', endColumn: '5', title: 'TS2345' }, data: "Argument of type 'string'\nis not assignable" });
        expect(acts[3]).toMatchObject({ properties: { title: 'Coverage' }, data: '81.5% of lines' });
      }
      if (mode === 'run') expect(r.summary).toMatch(/\| workflow commands \| annotations \|/);
      else expect(r.summary).not.toContain('workflow commands printed as text');
    }, 90000);

    itIf(why, "all: every command passes byte for byte (a stop is resumed by the script itself), except an annotation titled as this action's", async () => {
      const l = layout(as, { 'reporter.out': REPORTER + EVERYTHING + RESERVED });
      const r = await sandboxed(l, as, mode, reporterScript, { inputs: { 'INPUT_WORKFLOW-COMMANDS': 'all' } });
      for (const s of [r.streams.stdout, r.streams.stderr]) {
        const region = between(s);
        expect(region.toString()).toBe(REPORTER + EVERYTHING + MARK + RESERVED);
        const acts = runnerEffects({ stdout: region, stderr: Buffer.alloc(0) }).acts.stdout;
        expect(names(acts)).toEqual([...REPORTER_ACTS, 'set-output', 'save-state', 'add-mask', 'echo', 'stop-commands', 'resume']);
      }
      expect(r.effects.outputs).toEqual({ coverage: '81' });
      expect(r.effects.stoppedAtEnd).toBe(false);
      if (mode === 'run') expect(r.summary).toMatch(/\| workflow commands \| all; printed as text: error ×2 \|/);
    }, 90000);

    itIf(why, 'none: annotations are defused too, and the summary lists every defused command', async () => {
      const l = layout(as, { 'reporter.out': REPORTER });
      const r = await sandboxed(l, as, mode, reporterScript, { inputs: { 'INPUT_WORKFLOW-COMMANDS': 'none' } });
      for (const s of [r.streams.stdout, r.streams.stderr]) {
        const region = between(s);
        expect(region.toString()).toBe(REPORTER_DEFUSED);
        expect(runnerEffects({ stdout: region, stderr: Buffer.alloc(0) }).acts.stdout).toEqual([]);
      }
      if (mode === 'run') expect(r.summary).toMatch(/\| workflow commands \| none; printed as text: group ×2, error ×4, warning ×2, notice ×2, debug ×2, endgroup ×2 \|/);
      else expect(r.summary).toMatch(/\| workflow commands printed as text: group, error, warning, notice, debug, endgroup \|/);
      // the Action's own annotations are not the script's: they are not filtered
      expect(names(r.mainEffects.acts.stdout)).toContain('group');
    }, 90000);
  });
});

/** Output that must come through unchanged: line ends of every kind, a 1 MiB line, every byte value, invalid UTF-8, no final newline. */
function payload(): Buffer {
  const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  return Buffer.concat([
    Buffer.from('plain line\n'),
    Buffer.from('crlf line\r\n'),
    Buffer.from('lone cr\rafter the cr\n'),
    Buffer.from('tab\tand ::colons:: not at the start, ##no command\n'),
    Buffer.alloc(1 << 20, 'x'),
    Buffer.from('\n'),
    every,
    Buffer.from('\n'),
    Buffer.from([0xff, 0xfe, 0x41, 0xc3, 0x0a, 0xe2, 0x82]),
    Buffer.from(' é ✓ 🙂\n'),
    Buffer.from('the last line has no newline'),
  ]);
}

describe.each(USERS)('output %s', (_who, as, userWhy) => {
  const why = whyNot([node24Why !== undefined, node24Why ?? ''], [userWhy !== undefined, userWhy ?? '']);
  describe.each(MODES)('%s mode', (mode) => {
    itIf(why, 'is byte for byte what the script wrote (CRLF, a lone CR, a 1 MiB line, binary, invalid UTF-8), and an unterminated last line is ended', async () => {
      const data = payload();
      const l = layout(as, { 'payload.bin': data });
      const r = await sandboxed(l, as, mode, 'echo BEGIN; cat payload.bin\ncat payload.bin >&2');
      // The script's bytes, then one line end: its last line has none, and what the Action (or
      // landrun-shell) prints next must not be glued to it. The runner reads the same lines.
      const stdoutStart = r.streams.stdout.indexOf('BEGIN\n') + 'BEGIN\n'.length;
      const stdoutPart = r.streams.stdout.subarray(stdoutStart, stdoutStart + data.length + 1);
      expect(stdoutPart.equals(Buffer.concat([data, Buffer.from('\n')]))).toBe(true);
      expect(splitLines(stdoutPart)).toEqual(splitLines(data));
      expect(runnerEffects({ stdout: stdoutPart, stderr: r.streams.stderr }).acts).toEqual({ stdout: [], stderr: [] });
      const stderrStart = mode === 'run' ? 0 : r.streams.stderr.indexOf('\n') + 1; // landrun-shell's "[landrun] sandboxed: ..." first
      if (mode === 'shell') expect(r.streams.stderr.subarray(0, stderrStart).toString()).toMatch(/^\[landrun\] sandboxed: Landlock /);
      expect(r.streams.stderr.subarray(stderrStart).equals(Buffer.concat([data, Buffer.from('\n')]))).toBe(true);
      if (mode === 'shell') expect(r.streams.stdout.equals(Buffer.concat([Buffer.from('BEGIN\n'), data, Buffer.from('\n')]))).toBe(true);
    }, 90000);

    itIf(why, 'is live: a line, and a line not yet ended, reach the runner while the script still runs', async () => {
      const l = layout(as);
      let seen = '';
      let released = false;
      const onOutput: OnOutput = (stream, chunk) => {
        if (stream !== 'stdout') return;
        seen += chunk.toString();
        if (!released && seen.includes('first line\npartial line, no newline yet')) {
          released = true;
          writeFileSync(join(l.workspace, 'go'), '');
        }
      };
      const script = [
        'echo "first line"',
        'printf "partial line, no newline yet"',
        'for i in $(seq 400); do [ -e go ] && break; sleep 0.05; done',
        '[ -e go ] && echo " - released" || echo " - timed out"',
      ].join('\n');
      const r = await sandboxed(l, as, mode, script, { onOutput });
      expect(released).toBe(true);
      expect(linesOf(r.streams.stdout)).toEqual(expect.arrayContaining(['first line', 'partial line, no newline yet - released']));
    }, 90000);
  });
});

describe.each(USERS)('inputs that give back what the preset withholds, %s', (_who, as, userWhy) => {
  const why = whyNot([node24Why !== undefined, node24Why ?? ''], [userWhy !== undefined, userWhy ?? '']);
  describe.each(MODES)('%s mode', (mode) => {
    itIf(why, 'env: ACTIONS_RUNTIME_TOKEN, ro: ~/.ssh, checkout-credentials: keep: one warning each, naming the risk, and the script gets each', async () => {
      const l = layout(as);
      const r = await sandboxed(
        l,
        as,
        mode,
        [
          'echo "P:token $ACTIONS_RUNTIME_TOKEN"',
          'echo "P:oidc ${ACTIONS_ID_TOKEN_REQUEST_TOKEN:-withheld}"',
          'echo "P:ssh $(tail -1 ~/.ssh/id_rsa)"',
          'echo "P:extraheader $(git config --get http.https://github.com/.extraheader)"',
        ].join('\n'),
        { inputs: { INPUT_ENV: 'ACTIONS_RUNTIME_TOKEN', INPUT_RO: '~/.ssh', 'INPUT_CHECKOUT-CREDENTIALS': 'keep' }, actionEnv: { ACTIONS_RUNTIME_TOKEN: 'runtime-secret-1234', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-secret-5678' } },
      );
      const warnings = r.mainEffects.annotations.filter((a) => a.properties.title === SECRET_TITLE);
      expect(warnings.map((a) => a.name)).toEqual(['warning', 'warning', 'warning']);
      expect(warnings.map((a) => a.data).sort()).toEqual(
        [
          "env: ACTIONS_RUNTIME_TOKEN gives the script ACTIONS_RUNTIME_TOKEN: the runner's runtime token (upload artifacts and caches that later steps and jobs trust)",
          `input ro: ~/.ssh gives the script ${l.home}/.ssh, which the ci preset withholds (credentials): anything the script runs can read and send it`,
          'checkout-credentials: keep leaves the checkout token readable by the script: it can push to the repository with it',
        ].sort(),
      );
      // The user chose it: the grant happens.
      expect(probes(r)).toEqual(['token runtime-secret-1234', 'oidc withheld', 'ssh secret', `extraheader AUTHORIZATION: basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`]);
      expect(r.status).toBe(0);
      if (mode === 'run') {
        // The log and the summary name what was withheld, and no longer what the input gave back.
        expect(r.main.stdout).toMatch(/^not passed to the script: ACTIONS_ID_TOKEN_REQUEST_TOKEN, this action's inputs \(\d+ INPUT_\* variables\)$/m);
        expect(r.summary).toMatch(/^- not passed to the script: ACTIONS_ID_TOKEN_REQUEST_TOKEN, this action's inputs/m);
      }
    }, 90000);
  });
});

describeIf(whyNot([node24Why !== undefined, node24Why ?? '']), 'controls: with workflow-commands: all the runner model sees each forged command', () => {
  it.each(MODES)('%s mode', async (mode) => {
    const l = layout(undefined);
    mkdirSync(join(l.workspace, 'evil'));
    const r = await sandboxed(
      l,
      undefined,
      mode,
      [
        'echo "{}" > evil/state.json',
        'echo "::set-output name=exit-code::0"',
        'echo "::save-state name=landrun-shell-state::$GITHUB_WORKSPACE/evil"',
        'echo "::set-env name=LD_PRELOAD::$GITHUB_WORKSPACE/evil.so"',
        'echo "::add-path::$GITHUB_WORKSPACE/evil-bin"',
        'echo "::add-mask::landrun"',
        'echo "::stop-commands::pause123"',
        'git config core.fsmonitor x',
      ].join('\n'),
      { inputs: { 'INPUT_WORKFLOW-COMMANDS': 'all' }, jobEnv: { ACTIONS_ALLOW_UNSECURE_COMMANDS: 'true' } },
    );
    expect(r.effects.outputs).toEqual({ 'exit-code': '0' });
    expect(r.effects.state).toEqual({ 'landrun-shell-state': `${l.workspace}/evil` });
    expect(r.effects.env).toEqual({ LD_PRELOAD: `${l.workspace}/evil.so` });
    expect(r.effects.path).toEqual([`${l.workspace}/evil-bin`]);
    expect(r.effects.masks).toEqual(['landrun']);
    expect(r.effects.stops.map((a) => a.data)).toEqual(['pause123']);
    // The filter resumes the stop at the end of the stream: what follows is acted on again.
    expect(r.effects.stoppedAtEnd).toBe(false);
    if (mode === 'run') {
      expect(r.effects.annotations.find((a) => a.properties.title === 'landrun: git metadata changed')?.data).toBe(GIT_TAMPER);
      // the post step's own check of its state, the second line of defence
      expect(r.post.streams.stdout.toString()).toContain(`ignoring shell-mode state at ${l.workspace}/evil: not the private directory the setup step created`);
    }
    expect(existsSync(join(l.workspace, 'evil', 'state.json'))).toBe(true);
    expect(readFileSync(join(l.workspace, '.git', 'config'), 'utf8')).not.toContain('fsmonitor');
  }, 90000);
});
