import { describe, expect, it } from '@jest/globals';
import { flagText, flagWords, inputText, requestFromEntries, shellFlags, type SourcedEntry } from '../../../src/policy/vocabulary.js';
import { PolicyError } from '../../../src/shared/errors.js';

const flag = (key: SourcedEntry['key'], value: string): SourcedEntry => ({ key, value, origin: { kind: 'flag', name: key, item: value } });
const input = (key: SourcedEntry['key'], value: string): SourcedEntry => ({ key, value, origin: { kind: 'input', name: key, item: value, relative: !value.startsWith('/') } });
const resolvePath = (item: string): string => (item.startsWith('/') ? item : `/ws/${item}`);

describe('the policy vocabulary', () => {
  it('renders one entry as a flag, an input line and shell words', () => {
    expect(flagWords({ key: 'ro', value: '/etc' })).toEqual(['--ro', '/etc']);
    expect(flagWords({ key: 'allow-dns', value: 'true' })).toEqual(['--allow-dns']);
    expect(flagWords({ key: 'allow-dns', value: 'false' })).toEqual([]);
    expect(flagText({ key: 'connect-tcp', value: '8000-8100' })).toBe('--connect-tcp 8000-8100');
    expect(inputText({ key: 'rw', value: './out' })).toBe('rw: ./out');
    expect(shellFlags([{ key: 'ro', value: '/a b' }, { key: 'env', value: "X=it's" }])).toEqual(['--ro', "'/a b'", '--env', "'X=it'\\''s'"]);
  });

  it('reads entries into one policy: paths resolved by the front end, ports expanded, switches last-wins, origins kept', () => {
    const r = requestFromEntries(
      [flag('ro', '/etc'), input('rw', 'out'), flag('connect-tcp', '80'), flag('bind-tcp', '8000-8001'), flag('allow-dns', 'true'), flag('allow-dns', 'false'), flag('best-effort', 'true'), flag('env', 'A=b,c'), flag('target-abi', '4'), flag('preset', 'ci')],
      { resolvePath },
    );
    expect(r.policy.paths.map((p) => [p.flag, p.path, p.origin.kind])).toEqual([
      ['ro', '/etc', 'flag'],
      ['rw', '/ws/out', 'input'],
    ]);
    expect(r.policy.connectTcp.map((p) => p.port)).toEqual([80]);
    expect(r.policy.bindTcp.map((p) => p.port)).toEqual([8000, 8001]);
    expect(r).toMatchObject({ allowDns: false, bestEffort: true, targetAbi: 4, preset: 'ci', env: [{ key: 'A', value: 'b,c' }] });
    expect(r.entries).toHaveLength(10);
  });

  it.each([
    [[flag('connect-tcp', '70000')], /invalid port '70000' in --connect-tcp/],
    [[input('bind-tcp', 'http')], /invalid port 'http' in input bind-tcp/],
    [[input('best-effort', 'maybe')], /invalid input best-effort 'maybe': expected true or false/],
    [[flag('target-abi', 'four')], /invalid --target-abi 'four': expected a Landlock ABI number/],
    [[input('preset', 'lax')], /invalid input preset 'lax': expected one of ci, none/],
    [[{ key: 'ro', value: '', origin: { kind: 'policy-file', file: 'p.yml', line: 3, column: 5, name: 'ro', item: '', relative: true } } as SourcedEntry], /^p\.yml:3:5: empty path in ro: expected a path$/],
    [[{ key: 'connect-tcp', value: '0', origin: { kind: 'policy-file', file: 'p.yml', line: 4, column: 14, name: 'connect-tcp', item: '0', relative: false } } as SourcedEntry], /^p\.yml:4:14: invalid port '0' in connect-tcp: expected 1-65535/],
  ])('names the entry and the value in every error: %#', (entries, message) => {
    expect(() => requestFromEntries(entries, { resolvePath })).toThrow(message);
    expect(() => requestFromEntries(entries, { resolvePath })).toThrow(PolicyError);
  });
});
