import { describe, expect, it } from '@jest/globals';
import { abiRow, LATEST_KNOWN_ABI } from '../../../src/landlock/abi.js';
import { FS_FILE_RIGHTS, FS_RIGHTS, FLAG_RIGHTS, NET_RIGHTS } from '../../../src/landlock/access.js';
import { compilePolicy } from '../../../src/policy/compile.js';
import { describePath, grant, policy, port } from '../../helpers/policy-fixtures.js';
import { emptyPolicy } from '../../../src/policy/schema.js';
import { PolicyError } from '../../../src/shared/errors.js';
import { originText } from '../../../src/shared/origin.js';

describe('compilePolicy', () => {
  it('no rules: everything handled, nothing granted, network filter on, capabilities dropped', () => {
    const { plan } = compilePolicy(emptyPolicy, describePath);
    expect(plan).toEqual({
      abi: LATEST_KNOWN_ABI,
      handledFs: abiRow(LATEST_KNOWN_ABI).fs,
      handledNet: NET_RIGHTS.bind_tcp | NET_RIGHTS.connect_tcp,
      scoped: 3,
      pathRules: [],
      netRules: [],
      restrictFlags: 0,
      seccomp: { inet: 'tcp', unix: 'all' },
      dropCapabilities: true,
    });
  });

  it('golden plan for a typical invocation', () => {
    const { plan } = compilePolicy(
      policy({
        paths: [grant('rox', '/usr'), grant('ro', '/etc'), grant('rw', '/work'), grant('rw', '/dev/null'), grant('ro', '/etc/hosts')],
        connectTcp: [port('connect-tcp', 443)],
        bindTcp: [port('bind-tcp', 443), port('bind-tcp', 8080)],
      }),
      describePath,
    );
    expect(plan.pathRules.map((r) => [r.path, r.kind, r.access])).toEqual([
      ['/dev/null', 'file', FLAG_RIGHTS.rw & FS_FILE_RIGHTS],
      ['/etc', 'dir', FLAG_RIGHTS.ro],
      ['/etc/hosts', 'file', FS_RIGHTS.read_file],
      ['/usr', 'dir', FLAG_RIGHTS.rox],
      ['/work', 'dir', FLAG_RIGHTS.rw],
    ]);
    expect(plan.netRules.map((r) => ({ ...r, sources: r.sources.map(originText) }))).toEqual([
      { port: 443, access: 3, sources: ['--bind-tcp 443', '--connect-tcp 443'] },
      { port: 8080, access: 1, sources: ['--bind-tcp 8080'] },
    ]);
  });

  it('never puts a directory-only right on a file rule', () => {
    const { plan } = compilePolicy(policy({ paths: [grant('rwx', '/dev/null')] }), describePath);
    expect(plan.pathRules[0]?.access).toBe(FS_RIGHTS.execute | FS_RIGHTS.read_file | FS_RIGHTS.write_file | FS_RIGHTS.truncate | FS_RIGHTS.ioctl_dev);
  });

  it('merges grants on the same resolved path', () => {
    const { plan } = compilePolicy(policy({ paths: [grant('ro', '/lib'), grant('rox', '/usr/lib')] }), describePath);
    expect(plan.pathRules).toHaveLength(1);
    expect(plan.pathRules[0]).toMatchObject({ path: '/lib', realPath: '/usr/lib', access: FLAG_RIGHTS.rox });
    expect(plan.pathRules[0]?.sources.map(originText)).toEqual(['--ro /lib', '--rox /usr/lib']);
  });

  it('fails on a missing path, naming it, unless --ignore-missing', () => {
    const p = policy({ paths: [grant('rw', '/nope/file')] });
    expect(() => compilePolicy(p, describePath)).toThrow(PolicyError);
    expect(() => compilePolicy(p, describePath)).toThrow(/path '\/nope\/file' in --rw \/nope\/file does not exist.*--rw \/nope/);
    const c = compilePolicy({ ...p, ignoreMissing: true }, describePath);
    expect(c.skipped.map((g) => g.path)).toEqual(['/nope/file']);
    expect(c.plan.pathRules).toEqual([]);
  });

  it('--unrestricted-filesystem keeps only refer (so renames work) and resolve_unix', () => {
    const { plan, notes } = compilePolicy(policy({ unrestrictedFilesystem: true, paths: [grant('ro', '/etc')] }), describePath);
    expect(plan.handledFs).toBe(FS_RIGHTS.refer | FS_RIGHTS.resolve_unix);
    expect(plan.pathRules).toEqual([expect.objectContaining({ path: '/', access: FS_RIGHTS.refer })]);
    expect(notes.join()).toContain('--ro /etc');
  });

  it('--unrestricted-network: no net rights, no network filter (only the terminal-injection one), no unix restriction', () => {
    const { plan } = compilePolicy(policy({ unrestrictedNetwork: true, connectTcp: [port('connect-tcp', 1)] }), describePath);
    expect(plan.handledNet).toBe(0);
    expect(plan.netRules).toEqual([]);
    expect(plan.seccomp).toEqual({ inet: 'any', unix: 'all' });
    expect(plan.handledFs & FS_RIGHTS.resolve_unix).toBe(0);
  });

  it('everything unrestricted: no Landlock domain at all', () => {
    const { plan } = compilePolicy(
      policy({ unrestrictedFilesystem: true, unrestrictedNetwork: true, unrestrictedScoped: true }),
      describePath,
    );
    expect([plan.handledFs, plan.handledNet, plan.scoped]).toEqual([0, 0, 0]);
  });

  it('--unrestricted-filesystem: a --unix socket that does not exist is noted, not refused, and unix sockets stay ruled', () => {
    const { plan, notes } = compilePolicy(policy({ unrestrictedFilesystem: true, paths: [grant('unix', '/run/does-not-matter.sock')] }), describePath);
    expect(plan.pathRules.map((r) => r.path)).toEqual(['/']);
    expect(plan.handledFs & FS_RIGHTS.resolve_unix).toBe(FS_RIGHTS.resolve_unix);
    expect(notes).toEqual([
      'no rule for the missing unix socket /run/does-not-matter.sock (--unix /run/does-not-matter.sock): it does not exist, and with --unrestricted-filesystem that is not an error',
    ]);
    // with the filesystem restricted, the same rule is refused as before
    expect(() => compilePolicy(policy({ paths: [grant('unix', '/run/does-not-matter.sock')] }), describePath)).toThrow(/path '\/run\/does-not-matter.sock' in --unix/);
  });

  it('--unix grants resolve_unix on the socket', () => {
    const { plan } = compilePolicy(policy({ paths: [grant('unix', '/run/docker.sock')] }), describePath);
    expect(plan.pathRules[0]).toMatchObject({ path: '/run/docker.sock', access: FS_RIGHTS.resolve_unix });
  });

  it('log switches map to restrict_self flags', () => {
    const { plan } = compilePolicy(policy({ log: { disableOriginating: true, enableSubprocesses: true, disableSubdomains: true } }), describePath);
    expect(plan.restrictFlags).toBe(7);
  });
});

describe('loopback mode and keyrings', () => {
  it('loopback: connect is ruled (the granted ports reach other hosts), bind is not ruled, the plan says loopback', () => {
    const { plan, notes } = compilePolicy(policy({ loopback: true, connectTcp: [port('connect-tcp', 5432)], bindTcp: [port('bind-tcp', 8080)] }), describePath);
    expect(plan).toMatchObject({ loopback: true, handledNet: NET_RIGHTS.connect_tcp, seccomp: { inet: 'tcp' } });
    expect(plan.netRules.map((r) => [r.port, r.access])).toEqual([[5432, NET_RIGHTS.connect_tcp]]);
    expect(notes).toContain('--bind-tcp is moot in loopback mode: any TCP port may be bound');
  });

  it('--unrestricted-network wins over loopback; without loopback nothing says loopback', () => {
    expect(compilePolicy(policy({ loopback: true, unrestrictedNetwork: true }), describePath).plan.loopback).toBeUndefined();
    expect(compilePolicy(policy({}), describePath).plan.loopback).toBeUndefined();
  });

  it('keyrings are refused unless allowed', () => {
    expect(compilePolicy(policy({}), describePath).plan.seccomp?.keyring).toBeUndefined();
    expect(compilePolicy(policy({ allowKeyring: true }), describePath).plan.seccomp?.keyring).toBe('allow');
  });
});
