import { describe, expect, it } from '@jest/globals';
import { aggregate, learnable, splitTolerated, suggest, type Denial, type DenialEntry, type SuggestContext, type Suggestion } from '../../../src/denials/report.js';
import { denialReportText, denialsMarkdown } from '../../../src/denials/render.js';
import { flagText, flagWords, requestFromEntries, type SourcedEntry } from '../../../src/policy/vocabulary.js';
import { parseArgs } from '../../../src/cli/args.js';
import { parsePolicyFile, renderPolicyFile } from '../../../src/policy/policy-file.js';

// A fake filesystem: directories, files, and what was created during the run.
const DIRS = ['/', '/work', '/work/out', '/work/scripts', '/work/build', '/etc', '/etc/ssl', '/home', '/home/u', '/home/u/.config', '/home/u/.config/tool', '/home/u/.ssh', '/tmp', '/tmp/run-tmp', '/tmp/pytest-of-u', '/tmp/pytest-of-u/pytest-7', '/proc', '/proc/self', '/dev', '/usr', '/usr/bin', '/opt', '/opt/tool'];
const FILES = ['/etc/x', '/etc/hostname', '/etc/passwd', '/etc/group', '/etc/hosts', '/etc/ssl/a', '/etc/ssl/b', '/etc/ssl/c', '/work/in.txt', '/work/scripts/gen.sh', '/work/build/gen.txt', '/home/u/.gitconfig', '/home/u/.bashrc', '/home/u/.config/tool/settings', '/home/u/.ssh/id_rsa', '/tmp/pytest-of-u/pytest-7/data', '/proc/self/maps', '/dev/null', '/dev/sda', '/dev/tty', '/usr/bin/tool', '/opt/tool/run'];
const CREATED = ['/tmp/pytest-of-u', '/tmp/pytest-of-u/pytest-7', '/tmp/pytest-of-u/pytest-7/data', '/work/build', '/work/build/gen.txt'];
const ctx: SuggestContext = {
  isDirectory: (p) => DIRS.includes(p),
  exists: (p) => DIRS.includes(p) || FILES.includes(p),
  home: '/home/u',
  workspace: '/work',
  privateDirs: ['/tmp/run-tmp'],
  createdDuringRun: (p) => CREATED.includes(p),
  ephemeralPorts: [32768, 60999],
};
const d = (rights: string[], path: string, comm?: string): Denial => ({ rights, object: { kind: 'path', path }, ...(comm ? { comm } : {}) });
const net = (right: string, port: number, addr?: string): Denial => ({ rights: [right], object: { kind: 'net', port, addr } });
const flags = (s: readonly Suggestion[]): string[] => s.map((x) => flagText(x.entry));
const of = (denials: Denial[], c: SuggestContext = ctx): Suggestion[] => suggest(splitTolerated(aggregate(denials)).entries, c);
const one = (denials: Denial[], c: SuggestContext = ctx): Suggestion => {
  const s = of(denials, c);
  expect(s).toHaveLength(1);
  return s[0] as Suggestion;
};

describe('suggestions', () => {
  it('gives the smallest grant for each kind of denial, written the way a user writes it', () => {
    const s = of([d(['fs.read_file'], '/etc/hostname'), d(['fs.make_reg'], '/work/out'), net('net.connect_tcp', 5432, '10.0.0.5'), d(['fs.execute'], '/usr/bin/tool')]);
    expect(flags(s)).toEqual(['--connect-tcp 5432', '--ro /etc/hostname', '--rox /usr/bin', '--rw ./out']);
    expect(s.every(learnable)).toBe(true);
  });

  it('folds a denied file into its directory for every right, but never into /etc, HOME or a directory that holds a secret', () => {
    expect(flags(of([d(['fs.execute'], '/work/scripts/gen.sh')]))).toEqual(['--rox ./scripts']);
    expect(flags(of([d(['fs.read_file'], '/home/u/.config/tool/settings')]))).toEqual(['--ro ~/.config/tool']);
    expect(flags(of([d(['fs.read_file'], '/home/u/.gitconfig')]))).toEqual(['--ro ~/.gitconfig']);
    expect(flags(of([d(['fs.read_file'], '/etc/hostname')]))).toEqual(['--ro /etc/hostname']);
    // ~/.config holds ~/.config/gh (credentials): a file directly in it stays a file
    expect(flags(of([d(['fs.read_file'], '/home/u/.config/x.conf')], { ...ctx, exists: (p) => p === '/home/u/.config/x.conf' || ctx.exists(p) }))).toEqual(['--ro ~/.config/x.conf']);
  });

  it('groups several files of a shared directory, and lets a wider grant absorb narrower ones', () => {
    const s = of([d(['fs.read_file'], '/etc/ssl/a'), d(['fs.read_file'], '/etc/ssl/b'), d(['fs.read_file'], '/etc/passwd'), d(['fs.read_file'], '/etc/group'), d(['fs.read_file'], '/etc/hosts'), d(['fs.read_file'], '/work/in.txt'), d(['fs.make_reg'], '/work')]);
    expect(flags(s)).toEqual(['--ro /etc', '--rw .']);
  });

  it('makes one --rwx of write and execute on the same directory', () => {
    expect(flags(of([d(['fs.make_reg'], '/work'), d(['fs.execute'], '/work/in.txt')]))).toEqual(['--rwx .']);
  });

  it('uses the nearest directory that existed before the run: build outputs fold into the workspace', () => {
    expect(flags(of([d(['fs.make_dir'], '/work/out/a/b')]))).toEqual(['--rw ./out']);
    expect(flags(of([d(['fs.make_reg'], '/work/build')]))).toEqual(['--rw .']);
    expect(flags(of([d(['fs.write_file'], '/work/build/gen.txt')]))).toEqual(['--rw .']);
  });

  it('never learns per-run paths: the private TMPDIR and directories created during the run outside the workspace', () => {
    const tmp = one([d(['fs.execute'], '/tmp/run-tmp/go-build123/b001/pkg.test')]);
    expect(learnable(tmp)).toBe(false);
    expect(tmp.decide).toMatch(/private TMPDIR \/tmp\/run-tmp, which is new every run/);
    const pytest = one([d(['fs.read_file'], '/tmp/pytest-of-u/pytest-7/data')]);
    expect(learnable(pytest)).toBe(false);
    expect(flagText(pytest.entry)).toBe('--ro /tmp/pytest-of-u');
    expect(pytest.decide).toMatch(/was created during this run \(a per-run directory\)/);
  });

  it('leaves to the user: writes or execute outside the workspace and TMPDIR, dotfiles, credentials, /proc, unusual devices', () => {
    const cases: Array<[Denial, string, RegExp]> = [
      [d(['fs.make_reg'], '/etc'), '--rw /etc', /./],
      [d(['fs.make_reg'], '/opt/tool'), '--rw /opt/tool', /writes outside the workspace and the step's TMPDIR/],
      [d(['fs.execute'], '/home/u/.config/tool/settings'), '--rox ~/.config/tool', /execute outside the workspace, TMPDIR and the system directories/],
      [d(['fs.write_file'], '/home/u/.gitconfig'), '--rw ~/.gitconfig', /HOME dotfiles and shell start-up files/],
      [d(['fs.read_file'], '/home/u/.ssh/id_rsa'), '--ro ~/.ssh/id_rsa', /would expose ~\/\.ssh \(credentials\)/],
      [d(['fs.read_file'], '/proc/self/maps'), '--ro /proc/self/maps', /\/proc shows every process/],
      [d(['fs.read_file', 'fs.write_file'], '/dev/sda'), '--rw /dev/sda', /\/dev\/sda is a device beyond the usual few/],
    ];
    for (const [denial, flag, why] of cases) {
      const s = one([denial]);
      if (learnable(s)) throw new Error(`${flag} should not be learnable`);
      expect(flagText(s.entry)).toBe(flag);
      expect(learnable(s)).toBe(false);
      expect(s.wide ? (s.note ?? '') : (s.decide ?? '')).toMatch(why);
    }
    // /opt is a system directory: execute there is what the ci preset grants anyway
    expect(learnable(one([d(['fs.execute'], '/opt/tool/run')]))).toBe(true);
    // a write in the workspace is learned; /dev/null is one of the usual devices
    expect(learnable(one([d(['fs.write_file'], '/dev/null')]))).toBe(true);
  });

  it('keeps HOME dotfiles a decision even when the workspace is HOME', () => {
    const s = one([d(['fs.write_file'], '/home/u/.bashrc')], { ...ctx, workspace: '/home/u' });
    expect(s.decide).toMatch(/HOME dotfiles/);
  });

  it('names ephemeral binds and loopback connects, and suggests the loopback mode or a port flag the tool accepts', () => {
    const bind0 = one([net('net.bind_tcp', 0)]);
    expect(flagText(bind0.entry)).toBe('--loopback');
    expect(bind0.note).toMatch(/binds an ephemeral port \(listen on port 0/);
    expect(flagText(one([net('net.bind_tcp', 41234, '127.0.0.1')]).entry)).toBe('--loopback');
    expect(flagText(one([net('net.bind_tcp', 8080, '127.0.0.1')]).entry)).toBe('--bind-tcp 8080');
    const eph = one([net('net.connect_tcp', 45678, '127.0.0.1')]);
    expect([flagText(eph.entry), learnable(eph)]).toEqual(['--loopback', true]);
    expect(eph.note).toMatch(/loopback port 45678, in the ephemeral range/);
    expect(flagText(one([net('net.connect_tcp', 5432, '::1')]).entry)).toBe('--connect-tcp 5432');
    const far = one([net('net.connect_tcp', 45678, '192.0.2.7')]);
    expect([flagText(far.entry), learnable(far)]).toEqual(['--connect-tcp 45678', false]);
    // hundreds of test-server ports: one suggestion
    expect(flags(of(Array.from({ length: 300 }, (_, i) => net('net.connect_tcp', 33000 + i, '127.0.0.1'))))).toEqual(['--loopback']);
  });

  it('marks wide grants instead of offering them silently', () => {
    const all = { ...ctx, exists: () => true, isDirectory: () => true };
    expect(of([d(['fs.read_dir'], '/')], all).map((x) => [flagText(x.entry), x.wide])).toEqual([['--ro /', true]]);
    const s = of([d(['fs.read_dir'], '/home/u'), { rights: ['seccomp.udp'], object: { kind: 'seccomp', what: 'udp' } }], all);
    expect(s.map((x) => [flagText(x.entry), x.wide])).toEqual([
      ['--ro ~', true],
      ['--unrestricted-network', true],
    ]);
    expect(s.find((x) => x.entry.key === 'unrestricted-network')?.note).toContain('--allow-dns');
    // the resolver's UDP socket: --allow-dns, left to the user
    const dns = one([{ rights: ['seccomp.udp'], object: { kind: 'seccomp', what: 'udp' }, resolver: true }]);
    expect([flagText(dns.entry), dns.wide, learnable(dns)]).toEqual(['--allow-dns', false, false]);
  });
});

describe('refusals the program tolerates', () => {
  it('keeps them apart and never suggests unix sockets or the network for them', () => {
    const { entries, tolerated } = splitTolerated(
      aggregate([
        d(['fs.read_file', 'fs.write_file'], '/dev/tty', 'bash'),
        d(['fs.read_file', 'fs.write_file'], '/dev/tty', 'ssh'),
        { rights: ['seccomp.netlink'], object: { kind: 'seccomp', what: 'netlink route sockets' }, comm: 'node' },
        { rights: ['seccomp.unix'], object: { kind: 'seccomp', what: 'unix sockets' }, comm: 'getent', tolerated: 'glibc asked nscd' },
        d(['fs.resolve_unix'], '/run/nscd/socket', 'id'),
        d(['fs.read_file'], '/proc/filesystems', 'mkdir'),
      ]),
    );
    expect(tolerated.map((e) => e.object)).toEqual(
      expect.arrayContaining([
        { kind: 'path', path: '/dev/tty' },
        { kind: 'seccomp', what: 'netlink route sockets' },
        { kind: 'path', path: '/proc/filesystems' },
        { kind: 'path', path: '/run/nscd/socket' },
        { kind: 'seccomp', what: 'unix sockets' },
      ]),
    );
    expect(tolerated).toHaveLength(5);
    expect(entries.map((e) => [e.object, e.processes])).toEqual([[{ kind: 'path', path: '/dev/tty' }, ['ssh']]]);
    expect(flags(suggest(entries, ctx))).toEqual(['--rw /dev/tty']);
    expect(flags(suggest([...entries, ...tolerated], ctx))).toEqual(['--rw /dev/tty']);
  });
});

describe('every kind of suggestion is accepted by the tool itself', () => {
  // One denial of each kind the sources produce; each suggestion must read back through the one
  // reader of the vocabulary, the CLI's argument parser, and a policy file.
  const denials: Denial[] = [
    d(['fs.read_file'], '/etc/hostname'),
    d(['fs.read_dir'], '/work/out'),
    d(['fs.make_reg'], '/work/out'),
    d(['fs.execute'], '/work/scripts/gen.sh'),
    d(['fs.execute', 'fs.make_reg'], '/work'),
    d(['fs.read_file'], '/home/u/.config/tool/settings'),
    d(['fs.write_file'], '/home/u/.gitconfig'),
    d(['fs.read_file'], '/home/u/.ssh/id_rsa'),
    d(['fs.resolve_unix'], '/run/docker.sock'),
    d(['fs.execute'], '/tmp/run-tmp/x'),
    d(['fs.read_file'], '/tmp/pytest-of-u/pytest-7/data'),
    d(['fs.read_dir'], '/'),
    net('net.bind_tcp', 0),
    net('net.bind_tcp', 40000, '127.0.0.1'),
    net('net.bind_tcp', 8080),
    net('net.connect_tcp', 5432, '127.0.0.1'),
    net('net.connect_tcp', 40001, '127.0.0.1'),
    net('net.connect_tcp', 443, '203.0.113.9'),
    net('net.connect_tcp', 40002, '203.0.113.9'),
    { rights: ['scope.signal'], object: { kind: 'scope', target: 'sleep[1]' } },
    { rights: ['scope.abstract_unix_socket'], object: { kind: 'scope', target: 'an abstract unix socket' } },
    { rights: ['seccomp.unix'], object: { kind: 'seccomp', what: 'unix sockets' } },
    { rights: ['seccomp.udp'], object: { kind: 'seccomp', what: 'udp' } },
    { rights: ['seccomp.udp'], object: { kind: 'seccomp', what: 'udp' }, resolver: true },
    { rights: ['seccomp.raw'], object: { kind: 'seccomp', what: 'raw sockets' } },
    { rights: ['seccomp.io_uring'], object: { kind: 'seccomp', what: 'io_uring' } },
  ];
  const suggestions = suggest(aggregate(denials), { ...ctx, exists: (p) => p === '/run/docker.sock' || ctx.exists(p) });
  const keys = [...new Set(suggestions.map((s) => s.entry.key))].sort();

  it('covers every key a suggestion can have', () => {
    expect(keys).toEqual(['allow-dns', 'allow-unix-sockets', 'bind-tcp', 'connect-tcp', 'loopback', 'ro', 'rox', 'rw', 'rwx', 'unix', 'unrestricted-network', 'unrestricted-scoped']);
  });

  it.each(suggestions.map((s) => [flagText(s.entry), s] as const))('%s', (_name, s) => {
    const entry: SourcedEntry = { ...s.entry, origin: { kind: 'implied', by: 'learned' } };
    expect(() => requestFromEntries([entry], { resolvePath: (p) => p })).not.toThrow();
    const parsed = parseArgs([...flagWords(s.entry), '--', 'true'], { cwd: '/work', env: { HOME: '/home/u' } });
    expect(parsed.kind).toBe('run');
    if (parsed.kind === 'run') expect(parsed.invocation.entries).toEqual([s.entry]);
    const back = parsePolicyFile(renderPolicyFile([s.entry]), 'learned.yml');
    expect(back.map(({ key, value }) => ({ key, value }))).toEqual([s.entry]);
  });
});

describe('report text', () => {
  const entries = aggregate([
    { ...d(['fs.read_file'], '/etc/x'), comm: 'cat', pid: 1 },
    { ...d(['fs.read_file'], '/etc/x'), comm: 'cat', pid: 2 },
  ]);
  const base = { source: 'audit' as const, sourceNote: '', tolerated: [] as DenialEntry[], unseen: 0 };

  it('reports each denial once with a count and the processes, and what the kernel counted beyond', () => {
    expect(entries).toEqual([{ rights: ['fs.read_file'], object: { kind: 'path', path: '/etc/x' }, processes: ['cat[1]', 'cat[2]'], count: 2 }]);
    const text = denialReportText({ ...base, entries, suggestions: suggest(entries, ctx), unseen: 3 });
    expect(text).toBe('the sandbox denied (source: audit):\n  fs.read_file /etc/x (2×) by cat[1], cat[2]\n  ... and 3 more the kernel counted but did not log\nto allow them:\n  --ro /etc/x');
    expect(denialReportText({ ...base, source: 'none', sourceNote: 'no source', entries: [], suggestions: [] })).toBe('denials cannot be observed here: no source');
  });

  it('says what the source could not see, even when it saw nothing', () => {
    const blindSpot = "the seccomp filter's refusals are not in this report";
    expect(denialReportText({ ...base, source: 'trace', entries: [], suggestions: [], blindSpot })).toBe(`no denials (source: trace)\nnot seen: ${blindSpot}`);
    expect(denialsMarkdown({ ...base, source: 'trace', entries, suggestions: [], blindSpot })).toContain(`\n\nNot seen: ${blindSpot}`);
    expect(denialsMarkdown({ ...base, entries, suggestions: [] })).not.toContain('Not seen');
  });

  it('never says "no denials" when records may be missing', () => {
    const text = denialReportText({ ...base, entries: [], suggestions: [], incomplete: 'the kernel dropped 4 audit record(s)' });
    expect(text).toBe('no denials received (source: audit), but the report may be incomplete: the kernel dropped 4 audit record(s)');
    expect(denialsMarkdown({ ...base, entries: [], suggestions: [], incomplete: 'x' })).toMatch(/^\*\*Denials:\*\* none received \(source: audit\), but the report may be incomplete/);
    expect(denialReportText({ ...base, entries, suggestions: [], unseen: 2, incomplete: '2 of the 4 denials the kernel counted for this run were not received' })).toContain(
      'this report may be incomplete: 2 of the 4 denials',
    );
  });

  it('lists tolerated refusals briefly, and groups the suggestions learn would not add', () => {
    const all = aggregate([d(['fs.read_file', 'fs.write_file'], '/dev/tty', 'bash'), d(['fs.write_file'], '/home/u/.gitconfig'), d(['fs.read_dir'], '/'), d(['fs.make_reg'], '/work')]);
    const { entries: real, tolerated } = splitTolerated(all);
    const text = denialReportText({ ...base, entries: real, tolerated, suggestions: suggest(real, { ...ctx, exists: () => true, isDirectory: (p) => p !== '/home/u/.gitconfig' }) });
    expect(text.split('\n').filter((l) => !/^ {2}fs\.(write_file|read_dir|make_reg) /.test(l))).toEqual([
      'the sandbox denied (source: audit):',
      'refused, and tolerated by the program (not suggested):',
      '  fs.read_file,fs.write_file /dev/tty by bash: the shell looks for a controlling terminal and carries on without one',
      'to allow them:',
      '  --rw .',
      'wider than what was denied (decide yourself):',
      '  --ro /   # this grants all of /',
      'needs your decision:',
      '  --rw ~/.gitconfig   # HOME dotfiles and shell start-up files (~/.bashrc, ~/.profile, ~/.gitconfig, ~/.npmrc, …) are read and run by later commands and steps',
    ]);
  });
});
