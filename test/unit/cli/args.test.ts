import { describe, expect, it } from '@jest/globals';
import { parseArgs, type CliInvocation, type ParseContext } from '../../../src/cli/args.js';
import { PolicyError, UsageError } from '../../../src/shared/errors.js';
import { SWITCH_KEYS, type VALUE_KEYS } from '../../../src/policy/vocabulary.js';

const ctx = { cwd: '/work', env: { HOME: '/home/u' } };
const run = (argv: string[], env: Record<string, string> = {}): CliInvocation => {
  const p = parseArgs(argv, { cwd: ctx.cwd, env: { ...ctx.env, ...env } });
  if (p.kind !== 'run') throw new Error(`expected run, got ${p.kind}`);
  return p.invocation;
};
const paths = (inv: CliInvocation): string[] => inv.policy.paths.map((p) => `${p.flag}:${p.path}`);

describe('parseArgs', () => {
  // One example value per policy key: every key of the vocabulary a policy file accepts is a flag
  // that reaches the request (--workflow-commands was once accepted and then dropped).
  const VALUES: Record<(typeof VALUE_KEYS)[number], [string, (inv: CliInvocation) => unknown, unknown]> = {
    env: ['A=1', (inv) => inv.env, [{ key: 'A', value: '1' }]],
    'target-abi': ['4', (inv) => inv.targetAbi, 4],
    preset: ['ci', (inv) => inv.preset, 'ci'],
    'workflow-commands': ['none', (inv) => inv.workflowCommands, 'none'],
  };
  it.each(Object.entries(VALUES))('--%s VALUE reaches the request', (key, [value, read, expected]) => {
    expect(read(run([`--${key}`, value, 'true']))).toEqual(expected);
    expect(read(run([`--${key}=${value}`, 'true']))).toEqual(expected);
  });
  it.each(SWITCH_KEYS.map((k) => [k]))('--%s reaches the request (and a policy file key of the same name)', (key) => {
    const inv = run([`--${key}`, 'true']);
    expect(inv.entries).toContainEqual({ key, value: 'true' });
  });
  it('an invalid --workflow-commands names the value', () => {
    expect(() => run(['--workflow-commands', 'some', 'true'])).toThrow("invalid --workflow-commands 'some': expected one of annotations, none, all");
  });

  it('ends options at the first positional argument, leaving the command its own flags', () => {
    const inv = run(['--rox', '/', 'ls', '-la', '/usr', '--ro', 'x']);
    expect(inv.command).toEqual(['ls', '-la', '/usr', '--ro', 'x']);
    expect(paths(inv)).toEqual(['rox:/']);
  });

  it('ends options at --', () => {
    const inv = run(['--env', 'HOME', '--', 'env', '--help']);
    expect(inv.command).toEqual(['env', '--help']);
    expect(inv.env).toEqual([{ key: 'HOME', value: undefined }]);
  });

  it('accepts repeated and comma-separated paths, --opt=value, single-dash long names', () => {
    const inv = run(['--ro', '/a,/b', '--ro=/c', '-rw', '/d', '--rwx', '/e\\,f', 'true']);
    expect(paths(inv)).toEqual(['ro:/a', 'ro:/b', 'ro:/c', 'rw:/d', 'rwx:/e,f']);
    expect(inv.policy.paths[0]?.origin).toEqual({ kind: 'flag', name: 'ro', item: '/a' });
  });

  it('resolves relative paths against the working directory', () => {
    expect(paths(run(['--rw', 'out,../x', 'true']))).toEqual(['rw:/work/out', 'rw:/x']);
  });

  it('parses ports, lists and ranges', () => {
    const inv = run(['--connect-tcp', '80,443', '--bind-tcp', '8000-8002', '--connect-tcp', '5432', 'true']);
    expect(inv.policy.connectTcp.map((p) => p.port)).toEqual([80, 443, 5432]);
    expect(inv.policy.bindTcp.map((p) => p.port)).toEqual([8000, 8001, 8002]);
  });

  it('takes --bind-tcp 0 (an ephemeral port: listen(0)), but not --connect-tcp 0', () => {
    expect(run(['--bind-tcp', '0', 'true']).policy.bindTcp.map((p) => p.port)).toEqual([0]);
    expect(() => run(['--connect-tcp', '0', 'true'])).toThrow(/invalid port '0' in --connect-tcp: expected 1-65535/);
  });

  it('never splits --env values at commas', () => {
    expect(run(['--env', 'A=x,y,z', 'env']).env).toEqual([{ key: 'A', value: 'x,y,z' }]);
    expect(run(['--env', 'B=', 'env']).env).toEqual([{ key: 'B', value: '' }]);
    expect(run(['--env', 'C=a=b', 'env']).env).toEqual([{ key: 'C', value: 'a=b' }]);
  });

  it('reads booleans, including =true and =false', () => {
    const inv = run(['--best-effort', '--unrestricted-network=true', '--ldd=false', '--add-exec', '--ignore-missing', 'x']);
    expect(inv.bestEffort).toBe(true);
    expect(inv.policy.unrestrictedNetwork).toBe(true);
    expect(inv.ldd).toBe(false);
    expect(inv.addExec).toBe(true);
    expect(inv.policy.ignoreMissing).toBe(true);
    expect(inv.policy.unrestrictedFilesystem).toBe(false);
  });

  it('takes the log level from --log-level, then LANDRUN_LOG_LEVEL, default warn', () => {
    expect(run(['x']).logLevel).toBe('warn');
    expect(run(['x'], { LANDRUN_LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    expect(run(['--log-level', 'error', 'x'], { LANDRUN_LOG_LEVEL: 'debug' }).logLevel).toBe('error');
  });

  it('parses --target-abi and the audit switches', () => {
    const inv = run(['--target-abi', '3', '--log-enable-subprocesses', '--log-disable-subdomains', 'x']);
    expect(inv.targetAbi).toBe(3);
    expect(inv.policy.log).toEqual({ disableOriginating: false, enableSubprocesses: true, disableSubdomains: true });
  });

  it('returns help and version', () => {
    expect(parseArgs(['--help'], ctx).kind).toBe('help');
    expect(parseArgs(['-h'], ctx).kind).toBe('help');
    expect(parseArgs(['--version'], ctx).kind).toBe('version');
  });

  it('allows --explain without a command', () => {
    expect(run(['--explain', '--ro', '/etc']).command).toEqual([]);
  });

  // Every bad input is an error naming the value; the CLI turns these into exit 2.
  const errors: Array<[string[], RegExp, typeof UsageError | typeof PolicyError, Record<string, string>?]> = [
    [['--frobnicate', 'x'], /unknown option '--frobnicate'/, UsageError],
    [['--ro-only', '/x', 'y'], /unknown option '--ro-only'; did you mean --ro/, UsageError],
    [['--ro'], /option --ro needs a value/, UsageError],
    [['--ro', '/x'], /no command given/, UsageError],
    [[], /no command given/, UsageError],
    [['--', ''], /the command is an empty string/, UsageError],
    [['--connect-tcp', '70000', 'x'], /invalid port '70000' in --connect-tcp: expected 1-65535/, PolicyError],
    [['--connect-tcp', '0', 'x'], /invalid port '0'/, PolicyError],
    [['--bind-tcp', '-1', 'x'], /invalid port '-1'/, PolicyError],
    [['--bind-tcp', 'http', 'x'], /invalid port 'http'/, PolicyError],
    [['--bind-tcp', '80,,81', 'x'], /empty port in --bind-tcp '80,,81'/, PolicyError],
    [['--bind-tcp', '90-80', 'x'], /invalid port range '90-80'/, PolicyError],
    [['--bind-tcp', '1-70000', 'x'], /invalid port '70000' in --bind-tcp '1-70000'/, PolicyError],
    [['--connect-tcp', '4294967297', 'x'], /invalid port '4294967297'/, PolicyError],
    [['--ro', '/a,,/b', 'x'], /empty path in --ro '\/a,,\/b'/, PolicyError],
    [['--env', '=x', 'x'], /invalid --env '=x'/, PolicyError],
    [['--env', '', 'x'], /invalid --env ''/, PolicyError],
    [['--log-level', 'verbose', 'x'], /invalid --log-level 'verbose': expected one of error, warn, info, debug/, UsageError],
    [['x'], /invalid LANDRUN_LOG_LEVEL 'loud'/, UsageError, { LANDRUN_LOG_LEVEL: 'loud' }],
    [['--target-abi', 'seven', 'x'], /invalid --target-abi 'seven'/, PolicyError],
    [['--best-effort=maybe', 'x'], /invalid value 'maybe' for --best-effort/, UsageError],
    // a value option never takes the separator or another option as its value
    [['--env', '--', 'touch', 'm'], /option --env needs a value, but the next argument is the separator '--' \(write --env=-- if you mean that value\)/, UsageError],
    [['--ro', '--', 'x'], /option --ro needs a value, but the next argument is the separator '--'/, UsageError],
    [['--ro', '--rw', '/x', 'y'], /option --ro needs a value, but the next argument is the option '--rw' \(write --ro=--rw if you mean that value\)/, UsageError],
    [['--env', '-best-effort', 'x'], /option --env needs a value, but the next argument is the option '-best-effort'/, UsageError],
    [['--policy', '', 'x'], /--policy needs a file name/, UsageError],
  ];
  it.each(errors.map(([argv, message, cls, env]) => ({ argv, message, cls, env: env ?? {} })))('rejects $argv', ({ argv, message, cls, env }) => {
    const call = (): unknown => parseArgs(argv, { cwd: '/work', env });
    expect(call).toThrow(message);
    expect(call).toThrow(cls);
  });

  it('takes a value that looks like an option when it is written inline', () => {
    expect(run(['--env=--', 'x']).env).toEqual([{ key: '--', value: undefined }]);
    expect(run(['--ro', '-', 'x']).policy.paths.map((p) => p.path)).toEqual(['/work/-']);
  });
});

describe('parseArgs: --policy', () => {
  const file = (text: string, kind: 'file' | 'fifo' = 'file', size = text.length): Pick<ParseContext, 'readFile' | 'statFile'> => ({
    readFile: () => text,
    statFile: () => ({ isFile: () => kind === 'file', isDirectory: () => false, isFIFO: () => kind === 'fifo', isSocket: () => false, isCharacterDevice: () => false, isBlockDevice: () => false, size }),
  });
  const withFile = (argv: string[], f: Pick<ParseContext, 'readFile' | 'statFile'>, env: Record<string, string> = { HOME: '/home/u' }): CliInvocation => {
    const p = parseArgs(argv, { cwd: '/work', env, ...f });
    if (p.kind !== 'run') throw new Error('expected run');
    return p.invocation;
  };

  it("resolves the file's relative paths against its own directory, ~ against HOME; flags after it are applied after its entries", () => {
    const inv = withFile(['--policy', '../proj/.github/landrun.yml', '--rw', 'here', '--allow-dns=false', 'x'], file('ro: [../fixtures, ~/.cache, /etc]\nallow-dns: true\n'));
    expect(paths(inv)).toEqual(['ro:/proj/fixtures', 'ro:/home/u/.cache', 'ro:/etc', 'rw:/work/here']);
    expect(inv.allowDns).toBe(false);
    expect(inv.policy.paths[0]?.origin).toEqual({ kind: 'policy-file', file: '../proj/.github/landrun.yml', line: 1, column: 6, name: 'ro', item: '../fixtures', relative: true });
  });

  it('reads every key of the vocabulary the CLI applies', () => {
    const inv = withFile(['--policy', 'p.yml', 'x'], file('preset: ci\nadd-exec: true\nldd: yes\nignore-missing: true\ntarget-abi: 5\nenv:\n  - A=1,2\nconnect-tcp: [443]\n'));
    expect(inv).toMatchObject({ preset: 'ci', addExec: true, ldd: true, targetAbi: 5, env: [{ key: 'A', value: '1,2' }] });
    expect(inv.policy.ignoreMissing).toBe(true);
    expect(inv.policy.connectTcp.map((p) => p.port)).toEqual([443]);
  });

  it.each([
    ['a FIFO', file('', 'fifo'), /cannot use --policy 'p\.yml': it is a FIFO \(named pipe\): a policy file must be a regular file/],
    ['too large', file('ro: /etc\n', 'file', 2 * 1024 * 1024), /cannot use --policy 'p\.yml': it is 2097152 bytes: a policy file may be at most 1048576 bytes/],
    ['garbage', file('ro: [/a\n'), /^p\.yml:2:1: invalid YAML/],
    ['~ without HOME', file('rw: ~/x\n'), /^p\.yml:1:5: '~\/x' uses ~, but HOME is not set/],
  ])('refuses %s, before reading when it can', (_n, f, message) => {
    const env: Record<string, string> = _n === '~ without HOME' ? {} : { HOME: '/home/u' };
    expect(() => withFile(['--policy', 'p.yml', 'x'], f, env)).toThrow(message);
  });

  it('names a file that cannot be read', () => {
    const call = (): unknown => parseArgs(['--policy', '/no/such/policy.yml', 'x'], { cwd: '/work', env: {}, readFile: () => '' });
    expect(call).toThrow(/cannot read --policy '\/no\/such\/policy\.yml': ENOENT/);
    expect(call).toThrow(UsageError);
  });
});

describe('parseArgs: arguments that are not UTF-8', () => {
  const lossy = '/tmp/caf\uFFFD';
  const parse = (argv: string[], raw: Buffer[] | undefined) => parseArgs(argv, { cwd: '/work', env: {}, rawArgv: () => raw });

  it('refuses a path whose bytes Node.js lost, naming the bytes', () => {
    const raw = [Buffer.from('--rw'), Buffer.from('/tmp/caf\xe9', 'latin1'), Buffer.from('true')];
    expect(() => parse(['--rw', lossy, 'true'], raw)).toThrow(
      'the value of --rw "/tmp/caf\\xe9" is not valid UTF-8: Node.js reads it as "/tmp/caf\uFFFD", which names another file, so landrun refuses to run rather than grant or pass the wrong name',
    );
  });

  it('refuses a command argument the same way, and refuses when the bytes cannot be known', () => {
    expect(() => parse(['--ro', '/x', 'cat', lossy], [Buffer.from('--ro'), Buffer.from('/x'), Buffer.from('cat'), Buffer.from([0x2f, 0xff])])).toThrow(/^argument 4 "\/\\xff" is not valid UTF-8/);
    expect(() => parse(['--ro', lossy, 'x'], undefined)).toThrow(/^the value of --ro "\/tmp\/caf\uFFFD" is not valid UTF-8 \(or holds U\+FFFD\)/);
  });

  it('accepts an argument that really holds U+FFFD', () => {
    const p = parse(['--ro', lossy, 'x'], [Buffer.from('--ro'), Buffer.from(lossy, 'utf8'), Buffer.from('x')]);
    expect(p.kind === 'run' && p.invocation.policy.paths.map((g) => g.path)).toEqual([lossy]);
  });
});
