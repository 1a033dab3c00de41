import { describe, expect, it } from '@jest/globals';
import { aggregate, suggest, type Denial } from '../../../src/denials/report.js';
import { denialReportText } from '../../../src/denials/render.js';
import { flagText } from '../../../src/policy/vocabulary.js';

describe('suggestions', () => {
  const dirs = new Set(['/work', '/work/out', '/etc', '/etc/ssl', '/']);
  const ctx = { isDirectory: (p: string) => dirs.has(p), exists: (p: string) => dirs.has(p) || p.startsWith('/etc/') || p === '/work/in.txt', home: '/home/u' };
  const d = (rights: string[], path: string): Denial => ({ rights, object: { kind: 'path', path } });

  it('gives the smallest flag for each kind of denial', () => {
    const s = suggest(
      aggregate([d(['fs.read_file'], '/etc/hostname'), d(['fs.make_reg'], '/work/out'), { rights: ['net.connect_tcp'], object: { kind: 'net', port: 5432 } }, d(['fs.execute'], '/etc/tool')]),
      ctx,
    );
    expect(s.map((x) => flagText(x.entry))).toEqual(['--connect-tcp 5432', '--ro /etc/hostname', '--rox /etc/tool', '--rw /work/out']);
  });

  it('prefers the directory over a flood of files, and lets a wider grant absorb narrower ones', () => {
    const s = suggest(
      aggregate([d(['fs.read_file'], '/etc/ssl/a'), d(['fs.read_file'], '/etc/ssl/b'), d(['fs.read_file'], '/etc/ssl/c'), d(['fs.read_file'], '/work/in.txt'), d(['fs.make_reg'], '/work')]),
      ctx,
    );
    expect(s.map((x) => flagText(x.entry))).toEqual(['--ro /etc/ssl', '--rw /work']);
  });

  it('uses the nearest existing directory for something created deeper', () => {
    expect(suggest(aggregate([d(['fs.make_dir'], '/work/out/a/b')]), ctx).map((x) => flagText(x.entry))).toEqual(['--rw /work/out']);
  });

  it('marks wide grants instead of offering them silently', () => {
    const all = { ...ctx, exists: () => true, isDirectory: () => true };
    expect(suggest(aggregate([d(['fs.read_dir'], '/')]), all).map((x) => [flagText(x.entry), x.wide])).toEqual([['--ro /', true]]);
    const s = suggest(aggregate([d(['fs.read_file'], '/home/u'), { rights: ['seccomp.udp'], object: { kind: 'seccomp', what: 'udp' } }]), all);
    expect(s.map((x) => [flagText(x.entry), x.wide])).toEqual([
      ['--ro /home/u', true],
      ['--unrestricted-network', true],
    ]);
    expect(s.find((x) => x.entry.key === 'unrestricted-network')?.note).toContain('--allow-dns');
  });

  it('reports each denial once with a count and the processes', () => {
    const entries = aggregate([
      { ...d(['fs.read_file'], '/etc/x'), comm: 'cat', pid: 1 },
      { ...d(['fs.read_file'], '/etc/x'), comm: 'cat', pid: 2 },
    ]);
    expect(entries).toEqual([{ rights: ['fs.read_file'], object: { kind: 'path', path: '/etc/x' }, processes: ['cat[1]', 'cat[2]'], count: 2 }]);
    const text = denialReportText({ source: 'audit', sourceNote: '', entries, suggestions: suggest(entries, ctx), unseen: 3 });
    expect(text).toBe('the sandbox denied (source: audit):\n  fs.read_file /etc/x (2×) by cat[1], cat[2]\n  ... and 3 more the kernel counted but did not log\nto allow them:\n  --ro /etc/x');
    expect(denialReportText({ source: 'none', sourceNote: 'no source', entries: [], suggestions: [], unseen: 0 })).toBe('denials cannot be observed here: no source');
  });
});
