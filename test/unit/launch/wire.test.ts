import { describe, expect, it } from '@jest/globals';
import type { RulesetPlan } from '../../../src/landlock/plan.js';
import { decodePlan, encodePlan, WIRE_VERSION, WireError } from '../../../src/launch/wire.js';

const base: RulesetPlan = {
  abi: 7,
  handledFs: 0xffff,
  handledNet: 3,
  scoped: 3,
  pathRules: [{ path: '/usr', realPath: '/usr', kind: 'dir', access: 13, sources: [{ kind: 'flag', name: 'rox', item: '/usr' }] }],
  netRules: [{ port: 443, access: 2, sources: [{ kind: 'flag', name: 'connect-tcp', item: '443' }] }],
  restrictFlags: 0,
  seccomp: { inet: 'tcp', unix: 'all' },
  dropCapabilities: true,
};
const fields = (b: Buffer): string[] => b.toString('utf8').slice(0, -1).split('\0');
const fromFields = (f: readonly string[]): Buffer => Buffer.from(f.map((s) => `${s}\0`).join(''), 'utf8');

describe('plan wire format, version 2', () => {
  it('writes the version, the keyring record and the loopback record', () => {
    const f = fields(encodePlan(base));
    expect(f.slice(0, 2)).toEqual(['landrun-plan', String(WIRE_VERSION)]);
    expect(WIRE_VERSION).toBe(2);
    expect(f.join(' ')).toContain('keyring deny loopback off');
    expect(fields(encodePlan({ ...base, seccomp: { inet: 'tcp', unix: 'all', keyring: 'allow' } })).join(' ')).toContain('keyring allow');
    expect(fields(encodePlan({ ...base, handledNet: 2, loopback: true })).join(' ')).toContain('loopback on');
  });

  it('round-trips keyring and loopback (and leaves them out of the plan when off)', () => {
    expect(decodePlan(encodePlan(base)).plan.seccomp).toEqual({ inet: 'tcp', unix: 'all' });
    expect(decodePlan(encodePlan(base)).plan.loopback).toBeUndefined();
    const lb = decodePlan(encodePlan({ ...base, handledNet: 2, loopback: true, seccomp: { inet: 'tcp', unix: 'socketpair', keyring: 'allow' } })).plan;
    expect(lb.loopback).toBe(true);
    expect(lb.seccomp).toEqual({ inet: 'tcp', unix: 'socketpair', keyring: 'allow' });
  });

  it('reads plans without the new records as keyring deny, loopback off', () => {
    const f = fields(encodePlan(base)).filter((v, i, a) => !['keyring', 'loopback'].includes(v) && !['keyring', 'loopback'].includes(a[i - 1] ?? ''));
    const { plan } = decodePlan(fromFields(f));
    expect(plan.seccomp?.keyring).toBeUndefined();
    expect(plan.loopback).toBeUndefined();
  });

  it.each([
    ['a version 1 plan', (f: string[]) => ['landrun-plan', '1', ...f.slice(2)], 'unsupported plan version 1 (this launcher reads 2)'],
    ['a bad keyring value', (f: string[]) => f.map((v, i) => (f[i - 1] === 'keyring' ? 'open' : v)), "bad keyring 'open'"],
    ['a bad loopback value', (f: string[]) => f.map((v, i) => (f[i - 1] === 'loopback' ? 'yes' : v)), "bad loopback 'yes'"],
    [
      'loopback without the tcp seccomp profile',
      (f: string[]) => f.map((v, i) => (f[i - 1] === 'loopback' ? 'on' : f[i - 1] === 'seccomp' ? 'none' : v)),
      'loopback mode needs the seccomp profile tcp',
    ],
    [
      'loopback below ABI 4 with a remote connect port',
      (f: string[]) => f.map((v, i) => (f[i - 1] === 'loopback' ? 'on' : f[i - 1] === 'abi' ? '3' : f[i - 1] === 'net' ? '0' : v)),
      'loopback mode below Landlock ABI 4 cannot grant remote connect port 443',
    ],
    [
      'loopback whose domain does not rule connect, with a connect port',
      (f: string[]) => f.map((v, i) => (f[i - 1] === 'loopback' ? 'on' : f[i - 1] === 'net' ? '1' : v)),
      'loopback mode below Landlock ABI 4 cannot grant remote connect port 443',
    ],
  ])('rejects %s', (_name, edit, message) => {
    const bytes = fromFields(edit(fields(encodePlan(base))));
    expect(() => decodePlan(bytes)).toThrow(WireError);
    expect(() => decodePlan(bytes)).toThrow(message);
  });

  it('accepts loopback below ABI 4 without connect ports', () => {
    const f = fields(encodePlan({ ...base, abi: 3, handledFs: 0x7fff, handledNet: 0, scoped: 0, netRules: [], loopback: true }));
    expect(decodePlan(fromFields(f)).plan).toMatchObject({ abi: 3, loopback: true, netRules: [] });
  });
});
