// The workflow-command filter (native-helper/workflow-commands.c) through its test driver
// (native-helper/wc-filter.c), compiled here with cc. The cases come from the runner's parsing
// (docs/adr/0008-workflow-commands.md); a model of that parsing (test/helpers/runner-commands.ts)
// reads the filter's output again the way the runner would, on fixed and on random inputs.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANNOTATION_COMMANDS, BUILTIN_COMMANDS, reservedTitle, runnerReads, type RunnerAct } from '../helpers/runner-commands.js';
import { buildFilter, liveFilter, missingCompiler, runBatch, runFilter, type BatchCase, type FilterMode, type FilterResult } from '../helpers/wc-filter.js';

const noCompiler = missingCompiler();
if (noCompiler) console.warn(`[workflow-commands tests] skipping: ${noCompiler}`);
const describeIf = noCompiler ? describe.skip : describe;

const MARK = '[landrun: defused] ';
const ROOT_NATIVE = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', 'native-helper');
const MODES: readonly FilterMode[] = ['all', 'annotations', 'none'];
const EVENT_NAMES = new Set<string>([...BUILTIN_COMMANDS, 'byte-order-mark']);

let bin = '';
let cleanup: (() => void) | undefined;

beforeAll(() => {
  if (noCompiler) return;
  const built = buildFilter();
  bin = built.bin;
  cleanup = built.cleanup;
});
afterAll(() => cleanup?.());

const b = (s: string | Buffer | readonly number[]): Buffer => (Buffer.isBuffer(s) ? s : typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s));
const cat = (...parts: ReadonlyArray<string | Buffer | readonly number[]>): Buffer => Buffer.concat(parts.map(b));

interface Expect {
  readonly out: Buffer;
  readonly events: readonly string[];
}
/** The same line in every mode: nothing to defuse. */
const same = (input: Buffer): Record<FilterMode, Expect> => ({ all: { out: input, events: [] }, annotations: { out: input, events: [] }, none: { out: input, events: [] } });

interface Case {
  readonly name: string;
  readonly input: Buffer;
  readonly expect: Record<FilterMode, Expect>;
}

/** A command the runner acts on that is no annotation: defused unless the mode is all. */
function acted(name: string, line: string, event: string | readonly string[], defused = MARK + line): Case {
  const input = b(line + '\n');
  const d = { out: b(defused + '\n'), events: typeof event === 'string' ? [event] : event };
  return { name, input, expect: { all: { out: input, events: [] }, annotations: d, none: d } };
}
/** An annotation command: passes in annotations and all, defused in none. */
function annotation(name: string, line: string, event: string, defused = MARK + line): Case {
  const input = b(line + '\n');
  return { name, input, expect: { all: { out: input, events: [] }, annotations: { out: input, events: [] }, none: { out: b(defused + '\n'), events: [event] } } };
}
/** An annotation with a title the Action reserves: defused in every mode. */
function reserved(name: string, line: string, event: string, defused = MARK + line): Case {
  const d = { out: b(defused + '\n'), events: [event] };
  return { name, input: b(line + '\n'), expect: { all: d, annotations: d, none: d } };
}
const everyMode = (e: Expect): Record<FilterMode, Expect> => ({ all: e, annotations: e, none: e });
const text = (name: string, line: string | Buffer): Case => {
  const input = cat(line, '\n');
  return { name, input, expect: same(input) };
};

const CASES: Case[] = [
  // --- ActionCommandManager's registered commands (ExtensionManager.cs), V2 syntax
  acted('set-output forges the Action outputs', '::set-output name=exit-code::0', 'set-output'),
  acted('save-state writes the post step state', '::save-state name=isPost::true', 'save-state'),
  acted('set-env (acted on with ACTIONS_ALLOW_UNSECURE_COMMANDS)', '::set-env name=LD_PRELOAD::/tmp/evil.so', 'set-env'),
  acted('add-path (acted on with ACTIONS_ALLOW_UNSECURE_COMMANDS)', '::add-path::/tmp/evil', 'add-path'),
  acted('add-matcher', '::add-matcher::/tmp/matcher.json', 'add-matcher'),
  acted('remove-matcher', '::remove-matcher owner=eslint-compact::', 'remove-matcher'),
  acted('echo', '::echo::on', 'echo'),
  acted('internal-set-repo-path', '::internal-set-repo-path repoFullName=a/b,workspaceRepo=true::/tmp', 'internal-set-repo-path'),
  acted('names compare OrdinalIgnoreCase', '::Set-Output name=x::y', 'set-output'),
  acted('upper case', '::SAVE-STATE name=a::b', 'save-state'),
  acted('no properties, no data', '::set-output::', 'set-output'),
  acted('two spaces before the properties', '::set-output  name=x::y', 'set-output'),
  acted('add-mask: the value is never shown', '::add-mask::hunter2', 'add-mask', MARK + '::add-mask::***'),
  acted('add-mask with properties', '::add-mask k=v::hunter2', 'add-mask', MARK + '::add-mask::***'),
  // --- TrimStart(): .NET White_Space (Char.IsWhiteSpace), and U+FEFF, which StreamReader drops at a read's start
  ...[' ', '\t', '\v', '\f', '\u0085', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'].map((ws) =>
    acted(`leading U+${ws.codePointAt(0)?.toString(16).padStart(4, '0')}`, `${ws}${ws}::set-output name=x::y`, 'set-output', `${ws}${ws}${MARK}::set-output name=x::y`),
  ),
  // --- not white space for .NET: the line does not start with "::" (U+200B is ignorable for ICU, but the
  //     runner takes the name from index 2 of the trimmed line, which is then ":set-output")
  ...['\u200b', '\u180e', '\u001f', '\u001c', '\u0000', 'x', '>>>   ', ': '].map((p) => text(`not white space: ${JSON.stringify(p)}`, `${p}::set-output name=x::y`)),
  text('a truncated UTF-8 sequence decodes as U+FFFD', cat([0xe3, 0x80], '::set-output name=x::y')),
  text('a lone lead byte decodes as U+FFFD', cat([0xc2], '::set-output name=x::y')),
  text('an overlong space is no space', cat([0xc0, 0xa0], '::set-output name=x::y')),
  // --- V1 (##[name k=v;]data): anywhere in the line
  acted('V1 at the start', '##[set-output name=x;]y', 'set-output', '##\\[set-output name=x;]y'),
  acted('V1 in the middle (the runner L0 test ">>>   ##[...")', '>>>   ##[save-state name=a;]b', 'save-state', '>>>   ##\\[save-state name=a;]b'),
  acted('V1 after more hashes', 'text ###[add-path]/x', 'add-path', 'text ###\\[add-path]/x'),
  acted('V1 after a V2 form that is no command', '::nothing:: ##[set-env name=A;]B', 'set-env', '::nothing:: ##\\[set-env name=A;]B'),
  acted('V1 after an earlier ##[ that is no command', '##[foo] ##[set-output name=x;]y', 'set-output', '##[foo] ##\\[set-output name=x;]y'),
  acted('V1 in the data of a defused V2 line', '::set-output name=a::##[save-state name=b;]c', ['set-output', 'save-state'], `${MARK}::set-output name=a::##\\[save-state name=b;]c`),
  acted('V1 add-mask', 'echo ##[add-mask]hunter2', 'add-mask', 'echo ##\\[add-mask]***'),
  annotation('V1 error', '##[error]v1 error', 'error', '##\\[error]v1 error'),
  annotation('V1 warning with a title', '##[warning title=t;]w', 'warning', '##\\[warning title=t;]w'),
  text("the runner's own log markers are no commands", '##[command]git status'),
  text('##[section]', '##[section]Starting: test'),
  text('V1 without a closing bracket', '##[set-output'),
  text('a single hash', '#[set-output name=x;]y'),
  // --- lines end at CR, LF and CRLF (StreamReader.ReadLine)
  {
    name: 'a lone CR ends a line',
    input: b('progress 10%\r::set-output name=x::y\n'),
    expect: {
      all: { out: b('progress 10%\r::set-output name=x::y\n'), events: [] },
      annotations: { out: b(`progress 10%\r${MARK}::set-output name=x::y\n`), events: ['set-output'] },
      none: { out: b(`progress 10%\r${MARK}::set-output name=x::y\n`), events: ['set-output'] },
    },
  },
  {
    name: 'CRLF',
    input: b('a\r\n::save-state name=s::v\r\n'),
    expect: {
      all: { out: b('a\r\n::save-state name=s::v\r\n'), events: [] },
      annotations: { out: b(`a\r\n${MARK}::save-state name=s::v\r\n`), events: ['save-state'] },
      none: { out: b(`a\r\n${MARK}::save-state name=s::v\r\n`), events: ['save-state'] },
    },
  },
  {
    name: 'an unterminated last line is a line',
    input: b('x\n::set-output name=x::y'),
    expect: {
      all: { out: b('x\n::set-output name=x::y'), events: [] },
      annotations: { out: b(`x\n${MARK}::set-output name=x::y`), events: ['set-output'] },
      none: { out: b(`x\n${MARK}::set-output name=x::y`), events: ['set-output'] },
    },
  },
  // --- names the runner does not know are printed as they are
  text('a longer name', '::set-outputs name=x::y'),
  text('an unknown name', '::foo::bar'),
  text('a registered name as a prefix', '::error-x::y'),
  text('a space before the name', ':: set-output name=x::y'),
  text('C++ scopes', 'std::vector<int>::iterator it;'),
  text('text before ::', 'a::set-output name=x::y'),
  text('only colons', ':::::'),
  text('U+017F is not s for OrdinalIgnoreCase', '::\u017fet-output name=x::y'),
  text('U+0131 is not i for OrdinalIgnoreCase', '::not\u0131ce::x'),
  text('no closing :: after the name', '::set-output'),
  // --- annotations (test reporters): pass in annotations mode
  annotation('error with file and line', '::error file=src/a.ts,line=3,col=7::expected 1 to be 2', 'error'),
  annotation('warning', '::warning::deprecated', 'warning'),
  annotation('notice with a title', '::notice title=Coverage::81%', 'notice'),
  annotation('group', '::group::Run tests', 'group'),
  annotation('endgroup', '::endgroup::', 'endgroup'),
  annotation('debug', '::debug::details', 'debug'),
  annotation('landrun in the message is fine', '::error::landrun says hi', 'error'),
  annotation('a title that does not start with landrun', '::error title=not landrun::x', 'error'),
  // --- titles the Action reserves: defused in every mode
  reserved('title=landrun…', '::error title=landrun: git metadata changed::.git/config', 'error'),
  reserved('any case', '::warning title=LANDRUN denied::x', 'warning'),
  reserved('keys compare OrdinalIgnoreCase', '::error TITLE=landrun::x', 'error'),
  reserved('an escaped line break first', '::notice file=a.ts,title=%0Alandrun::x', 'notice'),
  reserved('the last title wins in the runner', '::error title=ok,title=landrun::x', 'error'),
  reserved("string.Split('=', 2, RemoveEmptyEntries) drops the second '='", '::error title==landrun::x', 'error'),
  reserved('an invisible character first', '::error title=\u200blandrun::x', 'error'),
  reserved('a space first', '::error title= landrun::x', 'error'),
  reserved('V1', '##[error title=landrun;]x', 'error', '##\\[error title=landrun;]x'),
  reserved('V1 in the middle', 'prefix ##[warning title=LandRun: denied;]x', 'warning', 'prefix ##\\[warning title=LandRun: denied;]x'),
  reserved('after leading white space', '  ::error title=landrun::x', 'error', `  ${MARK}::error title=landrun::x`),
  // --- byte-order marks: StreamReader.DetectEncoding at the start of the stream
  {
    name: 'UTF-16LE BOM',
    input: cat([0xff, 0xfe], ':\0:\0e\0r\0'),
    expect: everyMode({ out: cat(MARK, [0xff, 0xfe], ':\0:\0e\0r\0'), events: ['byte-order-mark'] }),
  },
  {
    name: 'UTF-16BE BOM',
    input: cat([0xfe, 0xff], '\0:\0:'),
    expect: everyMode({ out: cat(MARK, [0xfe, 0xff], '\0:\0:'), events: ['byte-order-mark'] }),
  },
  {
    name: 'UTF-32BE BOM',
    input: cat([0, 0, 0xfe, 0xff], '\0\0\0:'),
    expect: everyMode({ out: cat(MARK, [0, 0, 0xfe, 0xff], '\0\0\0:'), events: ['byte-order-mark'] }),
  },
  {
    name: 'a UTF-8 BOM is dropped by the runner: the command after it counts',
    input: cat([0xef, 0xbb, 0xbf], '::set-output name=x::y\n'),
    expect: {
      all: { out: cat([0xef, 0xbb, 0xbf], '::set-output name=x::y\n'), events: [] },
      annotations: { out: cat([0xef, 0xbb, 0xbf], MARK, '::set-output name=x::y\n'), events: ['set-output'] },
      none: { out: cat([0xef, 0xbb, 0xbf], MARK, '::set-output name=x::y\n'), events: ['set-output'] },
    },
  },
  text('FF FE later in the stream is just invalid UTF-8', cat('ok\n', [0xff, 0xfe], ':\0:\0')),
];

function check(mode: FilterMode, c: Case, r: FilterResult): void {
  const e = c.expect[mode];
  expect({ out: r.out.toString('latin1'), events: r.events }).toEqual({ out: e.out.toString('latin1'), events: e.events });
}

describeIf('workflow-command filter: cases from the runner parsing', () => {
  for (const mode of MODES) {
    describe(`mode ${mode}`, () => {
      it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        check(mode, c, runFilter(bin, mode, c.input));
      });
    });
  }

  it('the runner model agrees: what the filter lets through in annotations mode is an annotation or text', () => {
    for (const c of CASES) {
      const r = runFilter(bin, 'annotations', c.input);
      const acts = runnerReads(r.out).acts;
      expect(acts.filter((a) => !ANNOTATION_COMMANDS.includes(a.name) || reservedTitle(a)).map((a) => `${c.name}: ${a.name}`)).toEqual([]);
    }
  });
});

describeIf('workflow-command filter: stop-commands', () => {
  const dance = '::stop-commands::T0k\n::error::hidden\n::set-output name=x::y\n::T0k::\n::error::shown\n';

  it('annotations: the filter plays stop-commands itself, the runner never stops', () => {
    const r = runFilter(bin, 'annotations', 'a\n' + dance);
    expect(r.out.toString()).toBe(`a\n${MARK}::stop-commands::T0k\n${MARK}::error::hidden\n${MARK}::set-output name=x::y\n::T0k::\n::error::shown\n`);
    expect(r.events).toEqual(['stop-commands', 'error', 'set-output']);
    const reading = runnerReads(r.out);
    expect(reading.acts.map((a) => [a.name, a.data])).toEqual([['error', 'shown']]);
    expect(reading.stoppedWith).toBeNull();
  });

  it('annotations: V1 stop-commands and a V1 resume', () => {
    const r = runFilter(bin, 'annotations', 'x ##[stop-commands]v1t\n::warning::hidden\n##[v1t]\n::warning::shown\n');
    expect(r.out.toString()).toBe(`x ##\\[stop-commands]v1t\n${MARK}::warning::hidden\n##[v1t]\n::warning::shown\n`);
    expect(r.events).toEqual(['stop-commands', 'warning']);
  });

  it('annotations: a token the runner would refuse does not stop anything', () => {
    const r = runFilter(bin, 'annotations', '::stop-commands::error\n::error::x\n');
    expect(r.out.toString()).toBe(`${MARK}::stop-commands::error\n::error::x\n`);
    expect(r.events).toEqual(['stop-commands']);
  });

  it('annotations: a token no line can name keeps everything stopped (as in the runner)', () => {
    const r = runFilter(bin, 'annotations', '::stop-commands::a b\n::error::x\n::a b::\n::notice::y\n');
    expect(r.out.toString()).toBe(`${MARK}::stop-commands::a b\n${MARK}::error::x\n::a b::\n${MARK}::notice::y\n`);
  });

  it('none: every command is defused, the resume line is text', () => {
    const r = runFilter(bin, 'none', dance);
    expect(r.out.toString()).toBe(`${MARK}::stop-commands::T0k\n${MARK}::error::hidden\n${MARK}::set-output name=x::y\n::T0k::\n${MARK}::error::shown\n`);
  });

  it('all: passes, and a cleanly resumed token needs nothing more', () => {
    const r = runFilter(bin, 'all', dance);
    expect(r.out.toString()).toBe(dance);
    expect(r.events).toEqual([]);
    expect(runnerReads(r.out).stoppedWith).toBeNull();
  });

  it('all: a token left active is resumed at the end of the stream', () => {
    const input = 'x\n::stop-commands::abc123\n::error::y';
    const r = runFilter(bin, 'all', input);
    expect(r.out.toString()).toBe(`${input}\n::abc123::\n`);
    expect(runnerReads(b(input)).stoppedWith).toBe('abc123');
    expect(runnerReads(r.out).stoppedWith).toBeNull();
    // and the Action's own annotation printed after it is acted on
    expect(runnerReads(Buffer.concat([r.out, b('::error title=landrun: denied::x\n')])).acts.map((a) => a.name)).toEqual(['stop-commands', 'resume', 'error']);
  });

  it('all: a V1 stop and tokens in other cases are resumed too', () => {
    const r = runFilter(bin, 'all', '##[stop-commands]v1tok\n::V1TOK:: dirty \u00e9\n');
    expect(r.out.toString()).toBe('##[stop-commands]v1tok\n::V1TOK:: dirty \u00e9\n::v1tok::\n');
  });

  it.each([
    ['empty', '::stop-commands::'],
    ['a registered name', '::stop-commands::error'],
    ['pause-logging', '::stop-commands::Pause-Logging'],
    ['a space', '::stop-commands::a b'],
    ['an escaped line feed', '::stop-commands::tok%0Aen'],
    ['a non-ASCII character', '::stop-commands::t\u00f6k'],
    ['too long', `::stop-commands::${'a'.repeat(65)}`],
  ])('all: a token the filter could not resume is defused (%s)', (_n, line) => {
    const r = runFilter(bin, 'all', `${line}\n::error::x\n`);
    expect(r.out.toString()).toBe(`${MARK}${line}\n::error::x\n`);
    expect(r.events).toEqual(['stop-commands']);
    expect(runnerReads(r.out).stoppedWith).toBeNull();
  });

  it(`all: at most 16 tokens per stream, the next stop is defused`, () => {
    const lines = Array.from({ length: 17 }, (_, i) => `::stop-commands::t${i}\n::t${i}:: x\u00e9\n`).join('');
    const r = runFilter(bin, 'all', lines);
    expect(r.events).toEqual(['stop-commands']);
    expect(r.out.toString()).toContain(`${MARK}::stop-commands::t16\n`);
    expect(runnerReads(r.out).stoppedWith).toBeNull();
  });
});

describeIf('workflow-command filter: bytes', () => {
  it('binary garbage passes byte for byte', () => {
    let s = 12345;
    const rnd = (): number => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    const garbage = Buffer.from(Array.from({ length: 1 << 20 }, rnd));
    for (const mode of MODES) {
      const r = runFilter(bin, mode, garbage);
      const expected = runBatch(bin, [{ mode, input: garbage, seed: 0 }])[0];
      expect(r.out.equals(expected?.out ?? Buffer.alloc(0))).toBe(true);
      if (r.events.length === 0) expect(r.out.equals(garbage)).toBe(true);
    }
    // without ':' and '#' nothing can be a command: the output is the input
    const noPunct = Buffer.from(garbage.filter((x) => x !== 0x3a && x !== 0x23));
    for (const mode of MODES) {
      const r = runFilter(bin, mode, noPunct);
      expect(r.events).toEqual([]);
      expect(r.out.equals(noPunct)).toBe(true);
    }
  });

  it('a very long line passes unchanged, also byte by byte', () => {
    const long = cat('x'.repeat(8 << 20), '\n', '::', 'a'.repeat(100000), '\n');
    for (const mode of MODES) {
      const r = runFilter(bin, mode, long);
      expect(r.events).toEqual([]);
      expect(r.out.equals(long)).toBe(true);
    }
    const smaller = cat('y'.repeat(200000), '\r', '#'.repeat(5000), '[', 'z'.repeat(1000), '\n');
    expect(runFilter(bin, 'annotations', smaller, ['--chunk', '1']).out.equals(smaller)).toBe(true);
  });

  it('leading white space is never held: 100 000 spaces before a command', () => {
    const ws = ' '.repeat(100000);
    const r = runFilter(bin, 'annotations', `${ws}::set-output name=x::y\n`);
    expect(r.out.toString()).toBe(`${ws}${MARK}::set-output name=x::y\n`);
  });

  it('annotation properties beyond WC_HOLD_MAX are decided as a command', () => {
    const line = `::error ${'k=v,'.repeat(5000)}::msg`;
    const r = runFilter(bin, 'annotations', `${line}\n`);
    expect(r.events).toEqual(['error']);
    expect(r.out.toString()).toBe(`${MARK}${line}\n`);
    const fits = `::error file=${'p/'.repeat(4000)}::msg`;
    expect(runFilter(bin, 'annotations', `${fits}\n`).out.toString()).toBe(`${fits}\n`);
  });

  it('every split of a read gives the same output, and so does byte by byte', () => {
    const input = cat(
      'start\n  ::set-output name=x::1\r\n\u3000::error title=landrun::t\r##[error title=landrun;]u ##[add-mask]s\n',
      '::stop-commands::tk\n::warning::w\n::tk::\n::add-mask::m\n',
      [0xef, 0xbb, 0xbf],
      '::save-state name=a::b\n',
      [0xe3, 0x80],
      '::x\n##[set-env name=a;]b',
    );
    for (const mode of MODES) {
      const whole = runFilter(bin, mode, input);
      const cases: BatchCase[] = Array.from({ length: input.length + 1 }, (_, k) => ({ mode, input, seed: (0x80000000 | k) >>> 0 }));
      for (const r of runBatch(bin, cases)) {
        expect(r.out.toString('latin1')).toBe(whole.out.toString('latin1'));
        expect(r.events).toEqual(whole.events);
      }
      const bytewise = runFilter(bin, mode, input, ['--chunk', '1']);
      expect(bytewise.out.equals(whole.out)).toBe(true);
      expect(bytewise.events).toEqual(whole.events);
    }
  });

  it('is live: decided bytes come out before the line ends, an undecided start waits', async () => {
    const f = liveFilter(bin, 'annotations');
    f.write('hello\nwor');
    expect((await f.waitFor(9, 5000)).toString()).toBe('hello\nwor');
    f.write('ld\n::set-out');
    expect((await f.waitFor(12, 5000)).toString()).toBe('hello\nworld\n');
    // the command's name is not complete yet: nothing more may come out
    expect((await f.waitFor(13, 300)).toString()).toBe('hello\nworld\n');
    f.write('put name=x::y\nprogress 1%');
    const want = `hello\nworld\n${MARK}::set-output name=x::y\nprogress 1%`;
    expect((await f.waitFor(want.length, 5000)).toString()).toBe(want);
    const done = await f.end();
    expect(done.out.toString()).toBe(want);
    expect(done.stderr).toBe('defused set-output\n');
  });
});

// --- random inputs: the filter against the model of the runner -------------------------------------

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

const PREFIXES = ['', '', '', ' ', '\t', '\u00a0', '\u3000', '\u2028', '\ufeff', '\u200b', '\u0085', '\u000b', '\u001f', '  \u2003'];
const NAMES = [...BUILTIN_COMMANDS, 'Set-Output', 'ERROR', 'Stop-Commands', 'tok1', 'TOK1', 'foo', 'set-outputs', 'erro', '\u017fet-output', 'not\u0131ce', 'error-x', ''];
const PROPS_V2 = ['', ' name=x', ' title=landrun', ' title=LandRun: x', ' title=%0Alandrun', ' title=ok,title=landrun', ' title==landrun', ' title=\u200blandrun', ' title=fine', ' file=a.ts,line=1', ' TITLE=landrun', ' title=\u3000landrun'];
const PROPS_V1 = ['', ' name=x;', ' title=landrun;', ' k=v;title=LANDRUN;', ' title=ok;'];
const DATA = ['', 'x', 'tok1', 'hello world', '%25', 'a%0Ab', 'landrun', ' ##[set-output name=a;]b', '::x::', '\u00e9'];
const TERMS = ['\n', '\n', '\r\n', '\r', ''];

function randomInput(r: () => number): Buffer {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
  const parts: Buffer[] = [];
  const pieces = 1 + Math.floor(r() * 10);
  for (let i = 0; i < pieces; i++) {
    switch (Math.floor(r() * 9)) {
      case 0:
      case 1:
        parts.push(b(`${pick(PREFIXES)}::${pick(NAMES)}${pick(PROPS_V2)}::${pick(DATA)}`));
        break;
      case 2:
        parts.push(b(`${pick(['', 'x ', '>> ', '#'])}##[${pick(NAMES)}${pick(PROPS_V1)}]${pick(DATA)}`));
        break;
      case 3:
        parts.push(Buffer.from(Array.from({ length: Math.floor(r() * 24) }, () => Math.floor(r() * 256))));
        break;
      case 4:
        parts.push(b(Array.from({ length: Math.floor(r() * 30) }, () => pick([...'ab :#[] =,;%\u00e9'])).join('')));
        break;
      case 5:
        parts.push(b(pick(['::tok1::', '##[tok1]', '::TOK1:: x', '::tok2::', '##[tok2] x\u00e9'])));
        break;
      case 6:
        parts.push(b(`${pick(['::stop-commands::', '##[stop-commands]', '::stop-commands k=v::'])}${pick(['tok1', 'TOK1', 'tok2', 'a b', 'error', '', 'x%0Ay', 'pause-logging'])}`));
        break;
      case 7:
        parts.push(b(`${pick(PREFIXES)}::${pick(NAMES)}${pick(['', ' ', ' title=landrun', ':'])}`));
        break;
      default:
        parts.push(Buffer.from(pick([[0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0, 0, 0xfe, 0xff], [0xe3, 0x80], [0xc2], [0xe2, 0x80]])));
    }
    parts.push(b(pick(TERMS)));
  }
  return Buffer.concat(parts);
}

const allowedIn = (mode: FilterMode, a: RunnerAct): boolean => {
  if (reservedTitle(a)) return false;
  if (mode === 'all') return true;
  if (mode === 'none') return false;
  return ANNOTATION_COMMANDS.includes(a.name);
};

describeIf('workflow-command filter: random inputs against the runner model', () => {
  const N = 1500;
  const inputs = Array.from({ length: N }, (_, i) => randomInput(xorshift(0x9e3779b9 ^ (i * 7919))));

  for (const mode of MODES) {
    it(`${mode}: safe, faithful, complete, and independent of chunking (${N} inputs)`, () => {
      const r = xorshift(mode.length * 1000003);
      const cases: BatchCase[] = inputs.flatMap((input) => [
        { mode, input, seed: 0 },
        { mode, input, seed: 1 + Math.floor(r() * 1e9) },
        { mode, input, seed: (0x80000000 | Math.floor(r() * (input.length + 1))) >>> 0 },
      ]);
      const results = runBatch(bin, cases);
      const problems: string[] = [];
      inputs.forEach((input, i) => {
        const [whole, randomly, split] = [results[3 * i], results[3 * i + 1], results[3 * i + 2]] as [FilterResult, FilterResult, FilterResult];
        const show = JSON.stringify(input.toString('latin1'));
        // chunking never changes anything
        for (const other of [randomly, split]) {
          if (!other.out.equals(whole.out) || other.events.join() !== whole.events.join()) problems.push(`chunking changed the output of ${show}`);
        }
        // event names are from the fixed list (safe for the summary)
        for (const e of whole.events) if (!EVENT_NAMES.has(e)) problems.push(`event ${JSON.stringify(e)} for ${show}`);
        // faithful: nothing defused means nothing changed (all mode may add the resume lines of its tokens)
        if (whole.events.length === 0 && !whole.out.equals(input)) {
          const added = whole.out.subarray(input.length).toString('latin1');
          const resumes = /^\n?(::[A-Za-z0-9._+/=~-]+::\n)+$/.test(added) && (added[0] === '\n') === !/[\r\n]$/.test(input.toString('latin1'));
          if (mode !== 'all' || !whole.out.subarray(0, input.length).equals(input) || !resumes) problems.push(`changed without an event: ${show}`);
        }
        if (mode === 'all' && whole.events.some((e) => !['error', 'warning', 'notice', 'stop-commands', 'byte-order-mark'].includes(e))) problems.push(`all mode defused ${whole.events.join()} in ${show}`);
        // safe: the runner, reading the output, acts only on what the mode allows and is not left stopped
        const after = runnerReads(whole.out);
        if (after.decoderSwitched) problems.push(`output switches the decoder: ${show}`);
        for (const a of after.acts) {
          if (a.name === 'resume' && mode === 'all') continue;
          if (!allowedIn(mode, a)) problems.push(`runner acts on ${a.name} ${JSON.stringify(a.properties)} after filtering ${show}`);
        }
        if (after.stoppedWith !== null) problems.push(`runner left stopped with ${JSON.stringify(after.stoppedWith)} after filtering ${show}`);
        // complete: every command the runner would act on in the input and that the mode forbids was reported
        const before = runnerReads(input);
        if (before.decoderSwitched && !whole.events.includes('byte-order-mark')) problems.push(`BOM not reported: ${show}`);
        for (const a of before.acts) {
          if (a.name === 'resume' || allowedIn(mode, a)) continue;
          if (!whole.events.includes(a.name)) problems.push(`${a.name} not reported for ${show}`);
        }
      });
      expect(problems.slice(0, 20)).toEqual([]);
    });
  }
});

describeIf('workflow-command filter: other compilers', () => {
  const cross = spawnSync('sh', ['-c', 'command -v aarch64-linux-gnu-gcc'], { encoding: 'utf8' }).status === 0;
  const qemu = spawnSync('sh', ['-c', 'command -v qemu-aarch64-static'], { encoding: 'utf8' }).status === 0;
  if (!cross) console.warn('[workflow-commands tests] skipping the aarch64 build: aarch64-linux-gnu-gcc is not installed');
  else if (!qemu) console.warn('[workflow-commands tests] skipping the aarch64 run: qemu-aarch64-static is not installed');
  let arm: ReturnType<typeof buildFilter> | undefined;
  afterAll(() => arm?.cleanup());

  (cross ? it : it.skip)('builds with -Wall -Wextra -Werror for aarch64', () => {
    arm = buildFilter('aarch64-linux-gnu-gcc', ['-static']);
    const elf = readFileSync(arm.bin);
    expect(elf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(elf.readUInt16LE(18)).toBe(183); // e_machine EM_AARCH64
  });

  (cross && qemu ? it : it.skip)('behaves the same on aarch64 (under qemu)', () => {
    arm ??= buildFilter('aarch64-linux-gnu-gcc', ['-static']);
    const input = Buffer.concat(CASES.map((c) => c.input).filter((x) => x[0] !== 0xff && x[0] !== 0xfe && x[0] !== 0));
    for (const mode of MODES) {
      const r = spawnSync('qemu-aarch64-static', [arm.bin, mode], { input, maxBuffer: 1 << 26 });
      expect(r.status).toBe(0);
      const native = runFilter(bin, mode, input);
      expect(r.stdout.equals(native.out)).toBe(true);
      expect(r.stderr.toString()).toBe(native.events.map((e) => `defused ${e}\n`).join(''));
    }
  });
  it('compiles with -Wpedantic too', () => {
    const r = spawnSync('cc', ['-std=c11', '-Wall', '-Wextra', '-Werror', '-Wpedantic', '-fsyntax-only', join(ROOT_NATIVE, 'workflow-commands.c')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

