import { describe, expect, it } from '@jest/globals';
import { parseArgs, type CliInvocation } from '../../../src/cli/args.js';
import { PolicyError, UsageError } from '../../../src/shared/errors.js';

const ctx = { cwd: '/work', env: { HOME: '/home/u' } };
const run = (argv: string[], env: Record<string, string> = {}): CliInvocation => {
  const p = parseArgs(argv, { cwd: ctx.cwd, env: { ...ctx.env, ...env } });
  if (p.kind !== 'run') throw new Error(`expected run, got ${p.kind}`);
  return p.invocation;
};
const paths = (inv: CliInvocation): string[] => inv.policy.paths.map((p) => `${p.flag}:${p.path}`);

describe('parseArgs', () => {
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
  ];
  it.each(errors.map(([argv, message, cls, env]) => ({ argv, message, cls, env: env ?? {} })))('rejects $argv', ({ argv, message, cls, env }) => {
    const call = (): unknown => parseArgs(argv, { cwd: '/work', env });
    expect(call).toThrow(message);
    expect(call).toThrow(cls);
  });
});
