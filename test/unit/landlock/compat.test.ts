import { describe, expect, it } from '@jest/globals';
import { ABI_TABLE, abiRow, LATEST_KNOWN_ABI } from '../../../src/landlock/abi.js';
import { FS_ALL, FS_FILE_RIGHTS, FS_RIGHTS, FLAG_RIGHTS, NET_RIGHTS } from '../../../src/landlock/access.js';
import { downgrade } from '../../../src/landlock/compat.js';
import { effectiveFsAccess } from '../../../src/landlock/plan.js';
import { compilePolicy } from '../../../src/policy/compile.js';
import { describePath, grant, policy, port } from '../../helpers/policy-fixtures.js';

describe('downgrade', () => {
  const typical = compilePolicy(
    policy({ paths: [grant('rox', '/usr'), grant('rw', '/work'), grant('rw', '/dev/null')], connectTcp: [port('connect-tcp', 443)] }),
    describePath,
  ).plan;
  const noNet = compilePolicy(policy({ paths: [grant('rox', '/usr'), grant('rw', '/work')] }), describePath).plan;

  it.each(ABI_TABLE.map((r) => r.abi))('masks every right by ABI %i', (abi) => {
    const { plan } = downgrade(typical, { kernelAbi: abi, bestEffort: true });
    const row = abiRow(abi);
    expect(plan.abi).toBe(abi);
    expect(plan.handledFs & ~row.fs).toBe(0);
    expect(plan.handledNet & ~row.net).toBe(0);
    expect(plan.scoped & ~row.scoped).toBe(0);
    for (const r of plan.pathRules) {
      expect(r.access & ~plan.handledFs).toBe(0);
      expect(r.access).not.toBe(0);
      if (r.kind === 'file') expect(r.access & ~FS_FILE_RIGHTS).toBe(0);
    }
    for (const r of plan.netRules) expect(r.access & ~plan.handledNet).toBe(0);
  });

  // [abi, strict refuses?, status, dropped rights]
  const table: Array<[number, boolean, string, string[]]> = [
    [0, true, 'none', ['landlock', 'net.bind_tcp', 'net.connect_tcp']],
    [1, true, 'partial', ['fs.refer', 'fs.truncate', 'fs.ioctl_dev', 'net.bind_tcp', 'net.connect_tcp', 'scope.abstract_unix_socket', 'scope.signal']],
    [2, true, 'partial', ['fs.truncate', 'fs.ioctl_dev', 'net.bind_tcp', 'net.connect_tcp', 'scope.abstract_unix_socket', 'scope.signal']],
    [3, true, 'partial', ['fs.ioctl_dev', 'net.bind_tcp', 'net.connect_tcp', 'scope.abstract_unix_socket', 'scope.signal']],
    [4, false, 'partial', ['fs.ioctl_dev', 'scope.abstract_unix_socket', 'scope.signal']],
    [5, false, 'partial', ['scope.abstract_unix_socket', 'scope.signal']],
    [6, false, 'full', []],
    [7, false, 'full', []],
    [8, false, 'full', []],
    [9, false, 'full', []],
  ];
  it.each(table)('ABI %i with a TCP grant: refused=%s, status %s, dropped %j', (abi, refused, status, dropped) => {
    const { report } = downgrade(typical, { kernelAbi: abi, bestEffort: false });
    expect(report.refused).toBe(refused);
    expect(report.status).toBe(status);
    expect(report.dropped.map((d) => d.right)).toEqual(dropped);
    for (const d of report.dropped) {
      expect(d.neededAbi).toBeGreaterThan(abi);
      expect(d.consequence.length).toBeGreaterThan(10);
    }
  });

  it('without TCP grants, ABI < 4 refuses all IP sockets with seccomp instead of giving up', () => {
    const { plan, report } = downgrade(noNet, { kernelAbi: 3, bestEffort: false });
    expect(report.refused).toBe(false);
    expect(plan.handledNet).toBe(0);
    expect(plan.seccomp).toEqual({ inet: 'none', unix: 'socketpair' });
    expect(report.notes.join('\n')).toMatch(/every IP socket is refused by seccomp/);
  });

  it('best effort keeps running with TCP grants below ABI 4, and says TCP is unrestricted', () => {
    const { plan, report } = downgrade(typical, { kernelAbi: 3, bestEffort: true });
    expect(report.refused).toBe(false);
    expect(plan.netRules).toEqual([]);
    expect(plan.seccomp?.inet).toBe('tcp');
    expect(report.dropped.find((d) => d.right === 'net.connect_tcp')?.required).toBe(true);
  });

  it('never disables the whole sandbox because refer is missing (ABI 1)', () => {
    const { plan } = downgrade(typical, { kernelAbi: 1, bestEffort: true });
    expect(plan.handledFs).toBe(abiRow(1).fs);
    const access = effectiveFsAccess(plan, '/work/x') as number;
    expect(access & abiRow(1).fs).toBe(FLAG_RIGHTS.rw & abiRow(1).fs);
    // rights ABI 1 cannot handle are never denied, so they count as granted
    expect(access & FS_RIGHTS.truncate).toBe(FS_RIGHTS.truncate);
    expect(effectiveFsAccess(plan, '/elsewhere')).toBe(FS_ALL & ~abiRow(1).fs);
  });

  it('below ABI 9, unix sockets fall back to seccomp: socketpair only, or all with a warning when --unix is given', () => {
    expect(downgrade(noNet, { kernelAbi: 8, bestEffort: false }).plan.seccomp).toEqual({ inet: 'tcp', unix: 'socketpair' });
    const withUnix = compilePolicy(policy({ paths: [grant('unix', '/run/docker.sock')] }), describePath).plan;
    const d = downgrade(withUnix, { kernelAbi: 7, bestEffort: false });
    expect(d.plan.seccomp).toEqual({ inet: 'tcp', unix: 'all' });
    expect(d.plan.pathRules).toEqual([]);
    expect(d.report.dropped).toEqual([expect.objectContaining({ right: 'fs.resolve_unix', required: false, neededAbi: 9 })]);
    expect(d.report.refused).toBe(false);
    const at9 = downgrade(withUnix, { kernelAbi: 9, bestEffort: false });
    expect(at9.plan.seccomp).toEqual({ inet: 'tcp', unix: 'all' });
    expect(at9.plan.pathRules[0]?.access).toBe(FS_RIGHTS.resolve_unix);
  });

  it('--target-abi lowers the ABI and cannot raise it', () => {
    const { plan, report } = downgrade(typical, { kernelAbi: 7, targetAbi: 5, bestEffort: true });
    expect(plan.abi).toBe(5);
    expect(report.targetAbi).toBe(5);
    expect(report.kernelAbi).toBe(7);
    expect(() => downgrade(typical, { kernelAbi: 7, targetAbi: 8, bestEffort: true })).toThrow(/above the kernel/);
  });

  it('audit flags are dropped with a report below ABI 7', () => {
    const p = compilePolicy(policy({ log: { disableOriginating: false, enableSubprocesses: true, disableSubdomains: false } }), describePath).plan;
    expect(downgrade(p, { kernelAbi: 6, bestEffort: false }).report.dropped.map((d) => d.right)).toEqual(['audit.log_new_exec_on']);
    expect(downgrade(p, { kernelAbi: 7, bestEffort: false }).plan.restrictFlags).toBe(2);
  });

  it('a kernel newer than the table is treated as the newest ABI we know', () => {
    expect(downgrade(typical, { kernelAbi: 12, bestEffort: false }).plan.abi).toBe(LATEST_KNOWN_ABI);
  });
});

describe('downgrade of a loopback plan', () => {
  const loopbackPlan = (connectPorts: number[]) => {
    const { plan } = compilePolicy(policy({ paths: [grant('rox', '/usr')] }), describePath);
    return {
      ...plan,
      handledNet: NET_RIGHTS.connect_tcp,
      netRules: connectPorts.map((p) => ({ port: p, access: NET_RIGHTS.connect_tcp, sources: [port('connect-tcp', p).origin] })),
      loopback: true,
    };
  };

  it('keeps loopback mode and the remote ports where Landlock has TCP rules', () => {
    const { plan, report } = downgrade(loopbackPlan([443]), { kernelAbi: 7, bestEffort: false });
    expect(plan).toMatchObject({ loopback: true, handledNet: NET_RIGHTS.connect_tcp, seccomp: { inet: 'tcp' } });
    expect(plan.netRules.map((r) => r.port)).toEqual([443]);
    expect(report.refused).toBe(false);
  });

  it('below ABI 4 keeps TCP sockets (the supervisor refuses every other host) and notes it', () => {
    const { plan, report } = downgrade(loopbackPlan([]), { kernelAbi: 7, targetAbi: 3, bestEffort: false });
    expect(plan).toMatchObject({ loopback: true, handledNet: 0, netRules: [], seccomp: { inet: 'tcp' } });
    expect(report.refused).toBe(false);
    expect(report.notes.join('\n')).toContain('in loopback mode the supervisor makes every loopback connection and refuses the rest');
  });

  it('below ABI 4 refuses remote connect ports in strict mode, drops them with --best-effort', () => {
    const strict = downgrade(loopbackPlan([443]), { kernelAbi: 7, targetAbi: 3, bestEffort: false });
    expect(strict.report.refused).toBe(true);
    expect(strict.report.dropped.filter((d) => d.required).map((d) => d.right)).toEqual(['net.connect_tcp']);
    const best = downgrade(loopbackPlan([443]), { kernelAbi: 7, targetAbi: 3, bestEffort: true });
    expect(best.report.refused).toBe(false);
    expect(best.plan.netRules).toEqual([]);
  });
});
