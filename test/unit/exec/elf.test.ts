// The ELF reader and the library search model, checked against this machine's real binaries
// (facts read independently with plain byte reads, or from ldd when it exists) and against
// hand-built ELF files and ld.so.cache files whose exact contents the tests control.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  DF_1_NODEFLIB,
  ElfFormatError,
  expandDynamicStringTokens,
  expandOrigin,
  FLAG_AARCH64_LIB64,
  FLAG_ELF_LIBC6,
  FLAG_X8664_LIB64,
  readElf,
  readLdSoCache,
  resolveLoadDeps,
} from '../../../src/exec/elf.js';

const HOST =
  process.arch === 'arm64'
    ? { machine: 183, interpreter: '/lib/ld-linux-aarch64.so.1', cacheFlags: FLAG_AARCH64_LIB64 | FLAG_ELF_LIBC6 }
    : { machine: 62, interpreter: '/lib64/ld-linux-x86-64.so.2', cacheFlags: FLAG_X8664_LIB64 | FLAG_ELF_LIBC6 };

const hasGcc = spawnSync('gcc', ['--version'], { stdio: 'ignore' }).status === 0;
const hasLdd = spawnSync('ldd', ['--version'], { stdio: 'ignore' }).status === 0;

/** The first bytes of a file, read without the module under test. */
function head(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Libraries as ldd (the real loader) reports them: found paths (realpath'd) and missing names. */
function lddReport(binary: string, env: Record<string, string> = {}): { found: string[]; missing: string[] } {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
  const found: string[] = [];
  const missing: string[] = [];
  for (const line of out.split('\n')) {
    const notFound = /^\s*(\S+) => not found/.exec(line);
    if (notFound?.[1] !== undefined) missing.push(notFound[1]);
    const hit = /^\s*\S+ => (\/\S+) \(0x/.exec(line);
    if (hit?.[1] !== undefined) found.push(realpathSync(hit[1]));
  }
  return { found: found.sort(), missing: missing.sort() };
}

const realSorted = (paths: readonly string[]): string[] => paths.map((p) => realpathSync(p)).sort();

interface ElfSpec {
  readonly elfClass: 32 | 64;
  readonly machine: number;
  readonly type?: number;
  readonly interpreter?: string;
  readonly needed?: readonly string[];
  readonly soname?: string;
  readonly rpath?: string;
  readonly runpath?: string;
  readonly flags1?: number;
  readonly bigEndian?: boolean;
}

/**
 * A minimal little-endian ELF file: header, program headers (PT_INTERP, one PT_LOAD mapping the
 * whole file at 0x400000 so DT_STRTAB is a real virtual address, PT_DYNAMIC), the interpreter
 * string, the dynamic string table and the dynamic section. Enough for a loader's header pass.
 */
function buildElf(spec: ElfSpec): Buffer {
  const is64 = spec.elfClass === 64;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const dynentsize = is64 ? 16 : 8;
  const base = 0x400000;
  const hasDynamic = (spec.needed?.length ?? 0) > 0 || spec.soname !== undefined || spec.rpath !== undefined ||
    spec.runpath !== undefined || spec.flags1 !== undefined;

  const strParts: Buffer[] = [Buffer.from([0])];
  let strLen = 1;
  const addStr = (s: string): number => {
    const off = strLen;
    const b = Buffer.from(`${s}\0`, 'utf8');
    strParts.push(b);
    strLen += b.length;
    return off;
  };
  const dyn: Array<[number, number]> = [];
  for (const n of spec.needed ?? []) dyn.push([1, addStr(n)]);
  if (spec.soname !== undefined) dyn.push([14, addStr(spec.soname)]);
  if (spec.rpath !== undefined) dyn.push([15, addStr(spec.rpath)]);
  if (spec.runpath !== undefined) dyn.push([29, addStr(spec.runpath)]);
  if (spec.flags1 !== undefined) dyn.push([0x6ffffffb, spec.flags1]);
  const strtab = Buffer.concat(strParts);

  const phnum = (spec.interpreter !== undefined ? 1 : 0) + 1 + (hasDynamic ? 1 : 0);
  const align8 = (n: number): number => Math.ceil(n / 8) * 8;
  const phoff = ehsize;
  const interpOff = phoff + phnum * phentsize;
  const interp = spec.interpreter !== undefined ? Buffer.from(`${spec.interpreter}\0`) : Buffer.alloc(0);
  const strOff = align8(interpOff + interp.length);
  const dynOff = align8(strOff + strtab.length);
  dyn.push([5, base + strOff], [10, strtab.length], [0, 0]);
  const total = hasDynamic ? dynOff + dyn.length * dynentsize : strOff;
  const buf = Buffer.alloc(total);

  buf.write('\x7fELF', 0, 'latin1');
  buf[4] = is64 ? 2 : 1;
  buf[5] = spec.bigEndian === true ? 2 : 1;
  buf[6] = 1;
  buf.writeUInt16LE(spec.type ?? 3, 16);
  buf.writeUInt16LE(spec.machine, 18);
  buf.writeUInt32LE(1, 20);
  if (is64) {
    buf.writeBigUInt64LE(BigInt(phoff), 32);
    buf.writeUInt16LE(ehsize, 52);
    buf.writeUInt16LE(phentsize, 54);
    buf.writeUInt16LE(phnum, 56);
  } else {
    buf.writeUInt32LE(phoff, 28);
    buf.writeUInt16LE(ehsize, 40);
    buf.writeUInt16LE(phentsize, 42);
    buf.writeUInt16LE(phnum, 44);
  }
  let ph = phoff;
  const writePhdr = (type: number, offset: number, filesz: number): void => {
    if (is64) {
      buf.writeUInt32LE(type, ph);
      buf.writeBigUInt64LE(BigInt(offset), ph + 8);
      buf.writeBigUInt64LE(BigInt(base + offset), ph + 16);
      buf.writeBigUInt64LE(BigInt(base + offset), ph + 24);
      buf.writeBigUInt64LE(BigInt(filesz), ph + 32);
      buf.writeBigUInt64LE(BigInt(filesz), ph + 40);
    } else {
      buf.writeUInt32LE(type, ph);
      buf.writeUInt32LE(offset, ph + 4);
      buf.writeUInt32LE(base + offset, ph + 8);
      buf.writeUInt32LE(base + offset, ph + 12);
      buf.writeUInt32LE(filesz, ph + 16);
      buf.writeUInt32LE(filesz, ph + 20);
    }
    ph += phentsize;
  };
  if (spec.interpreter !== undefined) writePhdr(3, interpOff, interp.length);
  writePhdr(1, 0, total);
  if (hasDynamic) writePhdr(2, dynOff, dyn.length * dynentsize);

  interp.copy(buf, interpOff);
  if (hasDynamic) {
    strtab.copy(buf, strOff);
    dyn.forEach(([tag, val], i) => {
      const o = dynOff + i * dynentsize;
      if (is64) {
        buf.writeBigInt64LE(BigInt(tag), o);
        buf.writeBigUInt64LE(BigInt(val), o + 8);
      } else {
        buf.writeInt32LE(tag, o);
        buf.writeUInt32LE(val, o + 4);
      }
    });
  }
  return buf;
}

/** A new-format ld.so.cache, optionally behind an old-format header, as ldconfig lays it out. */
function buildLdSoCache(entries: ReadonlyArray<{ name: string; path: string; flags: number }>, withOldHeader: boolean): Buffer {
  const headerSize = 48;
  const stringsStart = headerSize + entries.length * 24;
  const strParts: Buffer[] = [];
  let strLen = 0;
  const addStr = (s: string): number => {
    const off = stringsStart + strLen;
    const b = Buffer.from(`${s}\0`);
    strParts.push(b);
    strLen += b.length;
    return off;
  };
  const table = Buffer.alloc(entries.length * 24);
  entries.forEach((e, i) => {
    table.writeInt32LE(e.flags, i * 24);
    table.writeUInt32LE(addStr(e.name), i * 24 + 4);
    table.writeUInt32LE(addStr(e.path), i * 24 + 8);
  });
  const header = Buffer.alloc(headerSize);
  header.write('glibc-ld.so.cache1.1', 0, 'latin1');
  header.writeUInt32LE(entries.length, 20);
  header.writeUInt32LE(strLen, 24);
  header[28] = 2; // little-endian
  const modern = Buffer.concat([header, table, ...strParts]);
  if (!withOldHeader) return modern;
  // An old header listing no libraries: 11 magic bytes, pad, u32 nlibs = 0, then align to 8.
  const old = Buffer.alloc(16);
  old.write('ld.so-1.7.0', 0, 'latin1');
  return Buffer.concat([old, modern]);
}

let tmp: string;
beforeAll(() => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'landrun-elf-')));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A fresh subdirectory of the test's temp dir. */
function dir(...parts: string[]): string {
  const d = join(tmp, ...parts);
  mkdirSync(d, { recursive: true });
  return d;
}

function writeElf(path: string, spec: ElfSpec): string {
  writeFileSync(path, buildElf(spec), { mode: 0o755 });
  return path;
}

/** Where the system's libpcre2-8.so.0 is, as resolved through /usr/bin/ls. */
function systemPcre(): string {
  const p = resolveLoadDeps('/usr/bin/ls').libraries.find((l) => l.endsWith('/libpcre2-8.so.0'));
  if (p === undefined) throw new Error('libpcre2-8.so.0 not resolved for /usr/bin/ls');
  return p;
}

describe('readElf on real binaries', () => {
  it('reads /usr/bin/true: class, machine, type, interpreter, DT_NEEDED', () => {
    const info = readElf('/usr/bin/true');
    const raw = head('/usr/bin/true', 64);
    expect(info).not.toBeNull();
    expect(info?.elfClass).toBe(raw[4] === 2 ? 64 : 32);
    expect(info?.machine).toBe(raw.readUInt16LE(18));
    expect(info?.machine).toBe(HOST.machine);
    expect(info?.type).toBe(raw.readUInt16LE(16));
    expect(info?.interpreter).toBe(HOST.interpreter);
    expect(info?.needed).toContain('libc.so.6');
    // The strings really are in the file, NUL-terminated.
    const whole = readFileSync('/usr/bin/true');
    expect(whole.includes(Buffer.from(`${HOST.interpreter}\0`))).toBe(true);
    expect(whole.includes(Buffer.from('\0libc.so.6\0'))).toBe(true);
  });

  it('reads the DT_NEEDED list of /usr/bin/ls in order', () => {
    const info = readElf('/usr/bin/ls');
    expect(info?.needed).toEqual(['libselinux.so.1', 'libc.so.6']);
    expect(info?.rpath).toEqual([]);
    expect(info?.runpath).toEqual([]);
  });

  it('reads the DT_SONAME of a shared library', () => {
    const selinux = resolveLoadDeps('/usr/bin/ls').libraries.find((l) => l.endsWith('/libselinux.so.1'));
    expect(selinux).toBeDefined();
    const info = readElf(selinux ?? '');
    expect(info?.soname).toBe('libselinux.so.1');
    expect(info?.type).toBe(3);
    expect(info?.needed).toContain('libpcre2-8.so.0');
  });

  it('gives no interpreter and no DT_NEEDED for a static-pie binary (ldconfig)', () => {
    const ldconfig = ['/usr/sbin/ldconfig', '/sbin/ldconfig'].find((p) => existsSync(p));
    if (ldconfig === undefined) return;
    const info = readElf(ldconfig);
    if (info?.interpreter !== undefined) return; // a dynamically linked ldconfig proves nothing here
    expect(info?.needed).toEqual([]);
    expect(resolveLoadDeps(ldconfig)).toEqual({ libraries: [], missing: [] });
  });

  it('returns null for a script, an empty file and a tiny file', () => {
    const script = join(dir('scripts'), 'hello.sh');
    writeFileSync(script, '#!/bin/sh\necho hello\n', { mode: 0o755 });
    expect(readElf(script)).toBeNull();
    expect(resolveLoadDeps(script)).toEqual({ libraries: [], missing: [] });
    const empty = join(dir('scripts'), 'empty');
    writeFileSync(empty, '');
    expect(readElf(empty)).toBeNull();
    const tiny = join(dir('scripts'), 'tiny');
    writeFileSync(tiny, '\x7fE');
    expect(readElf(tiny)).toBeNull();
  });

  it('throws the fs error for a missing file and for a directory', () => {
    expect(() => readElf(join(tmp, 'does-not-exist'))).toThrow(/ENOENT/);
    expect(() => resolveLoadDeps(join(tmp, 'does-not-exist'))).toThrow(/ENOENT/);
    expect(() => readElf(tmp)).toThrow(/EISDIR/);
  });

  it('throws an ElfFormatError for a binary truncated after its ELF header', () => {
    const truncated = join(dir('broken'), 'true-64-bytes');
    writeFileSync(truncated, head('/usr/bin/true', 64));
    expect(() => readElf(truncated)).toThrow(ElfFormatError);
    expect(() => readElf(truncated)).toThrow(/program header table .* beyond the end of the file/);
    const half = join(dir('broken'), 'true-40-bytes');
    writeFileSync(half, head('/usr/bin/true', 40));
    expect(() => readElf(half)).toThrow(ElfFormatError);
  });
});

describe('readElf on hand-built files', () => {
  it('parses a 32-bit i386 object', () => {
    const p = writeElf(join(dir('crafted'), 'lib32.so'), {
      elfClass: 32,
      machine: 3,
      interpreter: '/lib/ld-linux.so.2',
      needed: ['libm.so.6', 'libc.so.6'],
      soname: 'libthirty.so.2',
      rpath: '$ORIGIN/a::/b',
    });
    expect(readElf(p)).toEqual({
      elfClass: 32,
      machine: 3,
      type: 3,
      interpreter: '/lib/ld-linux.so.2',
      needed: ['libm.so.6', 'libc.so.6'],
      rpath: ['$ORIGIN/a', '', '/b'],
      runpath: [],
      soname: 'libthirty.so.2',
    });
  });

  it('parses a 64-bit object with RUNPATH and DT_FLAGS_1', () => {
    const p = writeElf(join(dir('crafted'), 'app64'), {
      elfClass: 64,
      machine: HOST.machine,
      type: 2,
      needed: ['libz.so.1'],
      runpath: '${ORIGIN}/../lib',
      flags1: DF_1_NODEFLIB,
    });
    expect(readElf(p)).toEqual({
      elfClass: 64,
      machine: HOST.machine,
      type: 2,
      needed: ['libz.so.1'],
      rpath: [],
      runpath: ['${ORIGIN}/../lib'],
      flags1: DF_1_NODEFLIB,
    });
  });

  it('reads a static-like file (one PT_LOAD, no PT_INTERP, no PT_DYNAMIC)', () => {
    const p = writeElf(join(dir('crafted'), 'static'), { elfClass: 64, machine: HOST.machine, type: 2 });
    expect(readElf(p)).toEqual({ elfClass: 64, machine: HOST.machine, type: 2, needed: [], rpath: [], runpath: [] });
    expect(resolveLoadDeps(p)).toEqual({ libraries: [], missing: [] });
  });

  it('rejects big-endian files with a clear error', () => {
    const p = writeElf(join(dir('crafted'), 'be'), { elfClass: 64, machine: 22, bigEndian: true });
    expect(() => readElf(p)).toThrow(/big-endian/);
  });
});

describe('dynamic string tokens', () => {
  it('expands $ORIGIN and ${ORIGIN}, not $ORIGINAL', () => {
    expect(expandOrigin('$ORIGIN/lib', '/opt/app/bin', 64)).toBe('/opt/app/bin/lib');
    expect(expandOrigin('${ORIGIN}/../lib', '/opt/app/bin', 64)).toBe('/opt/app/bin/../lib');
    expect(expandOrigin('$ORIGIN', '/opt', 32)).toBe('/opt');
    expect(expandOrigin('$ORIGINAL/x', '/opt', 64)).toBe('$ORIGINAL/x');
    expect(expandOrigin('/usr/$UNKNOWN', '/opt', 64)).toBe('/usr/$UNKNOWN');
  });

  it('expands $LIB by class and $PLATFORM by machine', () => {
    expect(expandOrigin('/usr/$LIB/x', '/', 64)).toBe('/usr/lib64/x');
    expect(expandOrigin('/usr/${LIB}/x', '/', 32)).toBe('/usr/lib/x');
    expect(expandOrigin('/opt/$PLATFORM', '/', 64, 62)).toBe('/opt/x86_64');
    expect(expandOrigin('/opt/${PLATFORM}', '/', 64, 183)).toBe('/opt/aarch64');
  });

  it('gives every $LIB candidate, and nothing for an unknown $PLATFORM', () => {
    const ctx = { origin: '/o', lib: ['lib/x86_64-linux-gnu', 'lib64'], platform: undefined };
    expect(expandDynamicStringTokens('$ORIGIN/$LIB:x', ctx)).toEqual(['/o/lib/x86_64-linux-gnu:x', '/o/lib64:x']);
    expect(expandDynamicStringTokens('/p/$PLATFORM', ctx)).toEqual([]);
  });
});

describe('resolveLoadDeps on real binaries', () => {
  it('resolves /usr/bin/true to the interpreter and libc', () => {
    const deps = resolveLoadDeps('/usr/bin/true');
    expect(deps.interpreter).toBe(HOST.interpreter);
    expect(deps.missing).toEqual([]);
    expect(deps.libraries.map((l) => basename(l))).toContain('libc.so.6');
  });

  it('resolves /usr/bin/ls transitively, libpcre2-8 coming through libselinux', () => {
    const deps = resolveLoadDeps('/usr/bin/ls');
    expect(deps.missing).toEqual([]);
    expect(deps.libraries.map((l) => basename(l))).toEqual(['libselinux.so.1', 'libc.so.6', 'libpcre2-8.so.0']);
    const pcre = deps.libraries.find((l) => l.endsWith('/libpcre2-8.so.0'));
    expect(pcre !== undefined && existsSync(pcre)).toBe(true);
  });

  it('gives only existing absolute ELF files of the same machine for /usr/bin/bash', () => {
    const deps = resolveLoadDeps('/usr/bin/bash');
    expect(deps.missing).toEqual([]);
    expect(deps.libraries.length).toBeGreaterThan(0);
    expect(new Set(deps.libraries).size).toBe(deps.libraries.length);
    for (const lib of deps.libraries) {
      expect(lib.startsWith('/')).toBe(true);
      expect(existsSync(lib)).toBe(true);
      const raw = head(lib, 20);
      expect(raw.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
      expect(raw.readUInt16LE(18)).toBe(HOST.machine);
    }
  });

  it('resolves the node binary without missing libraries, and never lists the interpreter as a library', () => {
    const deps = resolveLoadDeps(process.execPath);
    expect(deps.missing).toEqual([]);
    expect(deps.libraries.some((l) => basename(l).startsWith('ld-linux'))).toBe(false);
  });

  (hasLdd ? it : it.skip)('agrees with ldd on true, ls, bash and node', () => {
    for (const bin of ['/usr/bin/true', '/usr/bin/ls', '/usr/bin/bash', process.execPath]) {
      const ours = resolveLoadDeps(bin);
      const theirs = lddReport(bin);
      expect({ bin, found: realSorted(ours.libraries) }).toEqual({ bin, found: theirs.found });
      expect(ours.missing).toEqual([]);
    }
  });
});

describe('resolveLoadDeps search order on hand-built objects', () => {
  it('finds a library through DT_RUNPATH $ORIGIN/lib, from the real directory of a symlinked binary', () => {
    const root = dir('origin');
    const lib = join(dir('origin', 'real', 'lib'), 'libpcre2-8.so.0');
    copyFileSync(systemPcre(), lib);
    const app = writeElf(join(root, 'real', 'app'), {
      elfClass: 64,
      machine: HOST.machine,
      interpreter: HOST.interpreter,
      needed: ['libpcre2-8.so.0'],
      runpath: '$ORIGIN/lib',
    });
    // Executed through a symlink, $ORIGIN is still the real directory (ld.so reads /proc/self/exe).
    // ldd gets this case wrong: it runs `ld.so --list <path>`, which takes the origin from the
    // path as typed (Debian's /usr/bin/java -> alternatives is such a case).
    symlinkSync(app, join(dir('origin', 'alias'), 'app'));

    for (const entry of [app, join(root, 'alias', 'app')]) {
      const deps = resolveLoadDeps(entry);
      expect(deps.interpreter).toBe(HOST.interpreter);
      expect(deps.missing).toEqual([]);
      expect(deps.libraries[0]).toBe(lib);
      // The copy's own DT_NEEDED (libc) still comes from the system.
      expect(deps.libraries.slice(1).map((l) => basename(l))).toContain('libc.so.6');
    }
  });

  it('inherits the executable DT_RPATH for a library without DT_RUNPATH, but never a DT_RUNPATH', () => {
    const root = dir('chain');
    const deps = dir('chain', 'deps');
    const spec = { elfClass: 64 as const, machine: HOST.machine };
    writeElf(join(dir('chain', 'lib'), 'libfirst.so'), { ...spec, soname: 'libfirst.so', needed: ['libsecond.so'] });
    writeElf(join(deps, 'libsecond.so'), { ...spec, soname: 'libsecond.so' });
    writeElf(join(dir('chain', 'lib2'), 'libfirst.so'), {
      ...spec,
      soname: 'libfirst.so',
      needed: ['libsecond.so'],
      runpath: '/nonexistent',
    });

    const withRpath = writeElf(join(root, 'app-rpath'), { ...spec, needed: ['libfirst.so'], rpath: '$ORIGIN/lib:$ORIGIN/deps' });
    expect(resolveLoadDeps(withRpath)).toEqual({
      libraries: [join(root, 'lib', 'libfirst.so'), join(deps, 'libsecond.so')],
      missing: [],
    });

    const withRunpath = writeElf(join(root, 'app-runpath'), {
      ...spec,
      needed: ['libfirst.so'],
      runpath: '$ORIGIN/lib:$ORIGIN/deps',
    });
    expect(resolveLoadDeps(withRunpath)).toEqual({
      libraries: [join(root, 'lib', 'libfirst.so')],
      missing: ['libsecond.so'],
    });

    // The loading library has a DT_RUNPATH of its own: the executable's DT_RPATH is not consulted.
    const rpathToRunpathLib = writeElf(join(root, 'app-rpath-lib2'), {
      ...spec,
      needed: ['libfirst.so'],
      rpath: '$ORIGIN/lib2:$ORIGIN/deps',
    });
    expect(resolveLoadDeps(rpathToRunpathLib)).toEqual({
      libraries: [join(root, 'lib2', 'libfirst.so')],
      missing: ['libsecond.so'],
    });

    // LD_LIBRARY_PATH comes after DT_RPATH but before DT_RUNPATH.
    expect(resolveLoadDeps(withRunpath, { env: { LD_LIBRARY_PATH: deps } }).missing).toEqual([]);
  });

  it('uses LD_LIBRARY_PATH, skipping non-ELF files and ELF files of another class or machine', () => {
    const pcre = systemPcre();
    const decoys = dir('decoys');
    writeElf(join(decoys, 'libpcre2-8.so.0'), { elfClass: 32, machine: 3, soname: 'libpcre2-8.so.0' });
    writeFileSync(join(decoys, 'libc.so.6'), 'GROUP ( libc.so.6 )\n');
    const good = dir('good');
    copyFileSync(pcre, join(good, 'libpcre2-8.so.0'));

    const skipped = resolveLoadDeps('/usr/bin/ls', { env: { LD_LIBRARY_PATH: decoys } });
    expect(skipped.missing).toEqual([]);
    expect(skipped.libraries).toContain(pcre);
    expect(skipped.libraries.some((l) => l.startsWith(decoys))).toBe(false);

    const used = resolveLoadDeps('/usr/bin/ls', { env: { LD_LIBRARY_PATH: `${decoys};${good}` } });
    expect(used.libraries).toContain(join(good, 'libpcre2-8.so.0'));
    expect(used.libraries).not.toContain(pcre);

    // An empty element stands for the working directory.
    const fromCwd = resolveLoadDeps('/usr/bin/ls', { env: { LD_LIBRARY_PATH: `/nonexistent:` }, cwd: good });
    expect(fromCwd.libraries).toContain(join(good, 'libpcre2-8.so.0'));
  });

  it('loads a file once however it is named, and honours names containing a slash', () => {
    const pcre = systemPcre();
    const app = writeElf(join(dir('dedup'), 'app'), {
      elfClass: 64,
      machine: HOST.machine,
      interpreter: HOST.interpreter,
      needed: [pcre, 'libpcre2-8.so.0', 'ld-linux-x86-64.so.2', 'ld-linux-aarch64.so.1'],
    });
    const deps = resolveLoadDeps(app);
    expect(deps.libraries.filter((l) => realpathSync(l) === realpathSync(pcre))).toEqual([pcre]);
    expect(deps.libraries.some((l) => basename(l).startsWith('ld-linux'))).toBe(false);
    // The other architecture's loader name is simply not found, like any missing library.
    expect(deps.missing).toHaveLength(1);
  });

  it('consults the given ld.so.cache, only for entries of the right class, and not under DF_1_NODEFLIB', () => {
    const pcre = systemPcre();
    const root = dir('cache');
    const copy = join(dir('cache', 'lib'), 'libpcre2-8.so.0');
    copyFileSync(pcre, copy);
    const wrongClass = writeElf(join(root, 'lib', 'libfake32.so'), { elfClass: 32, machine: 3 });
    const cache = join(root, 'ld.so.cache');
    writeFileSync(
      cache,
      buildLdSoCache(
        [
          { name: 'libfake.so.1', path: wrongClass, flags: FLAG_ELF_LIBC6 },
          { name: 'libfake.so.1', path: copy, flags: HOST.cacheFlags },
        ],
        true,
      ),
    );
    const app = writeElf(join(root, 'app'), { elfClass: 64, machine: HOST.machine, needed: ['libfake.so.1'] });
    expect(resolveLoadDeps(app, { ldSoCache: cache }).libraries[0]).toBe(copy);
    expect(resolveLoadDeps(app, { ldSoCache: join(root, 'no-cache') }).missing).toEqual(['libfake.so.1']);

    const nodeflib = writeElf(join(root, 'app-nodeflib'), {
      elfClass: 64,
      machine: HOST.machine,
      needed: ['libc.so.6'],
      flags1: DF_1_NODEFLIB,
    });
    expect(resolveLoadDeps(nodeflib).missing).toEqual(['libc.so.6']);
  });
});

describe('readLdSoCache', () => {
  it('lists libc.so.6 from /etc/ld.so.cache with an existing path and this arch flags', () => {
    const entries = readLdSoCache();
    const libc = entries.filter((e) => e.name === 'libc.so.6');
    expect(libc.length).toBeGreaterThan(0);
    expect(libc.some((e) => existsSync(e.path) && e.flags === HOST.cacheFlags)).toBe(true);
  });

  it('parses both layouts of a hand-built cache and returns [] for missing or garbage files', () => {
    const root = dir('cachefiles');
    const entries = [
      { name: 'liba.so.1', path: '/x/liba.so.1', flags: FLAG_X8664_LIB64 | FLAG_ELF_LIBC6 },
      { name: 'libb.so.2', path: '/y/libb.so.2', flags: FLAG_AARCH64_LIB64 | FLAG_ELF_LIBC6 },
    ];
    for (const withOld of [false, true]) {
      const p = join(root, `cache-${String(withOld)}`);
      writeFileSync(p, buildLdSoCache(entries, withOld));
      expect(readLdSoCache(p)).toEqual(entries.map((e) => ({ ...e, hwcap: 0n })));
    }
    expect(readLdSoCache(join(root, 'missing'))).toEqual([]);
    writeFileSync(join(root, 'garbage'), 'not a cache at all');
    expect(readLdSoCache(join(root, 'garbage'))).toEqual([]);
  });
});

describe('against the real loader, with binaries built by gcc', () => {
  if (!hasGcc) process.stderr.write('[elf.test] gcc not found: skipping the compiled $ORIGIN/RPATH cases\n');

  (hasGcc ? it : it.skip)('finds $ORIGIN/lib copies and follows RPATH inheritance as ld.so does', () => {
    const root = dir('gcc');
    const src = dir('gcc', 'src');
    const cc = (...args: string[]): void => {
      execFileSync('gcc', args, { stdio: 'pipe' });
    };
    writeFileSync(join(src, 'a.c'), 'int a(void) { return 1; }\n');
    writeFileSync(join(src, 'b.c'), 'int a(void);\nint b(void) { return a() + 1; }\n');
    writeFileSync(join(src, 'app.c'), 'int b(void);\nint main(void) { return b() - 2; }\n');
    writeFileSync(join(src, 'plain.c'), 'int main(void) { return 0; }\n');
    const deps = dir('gcc', 'deps');
    const lib = dir('gcc', 'lib');
    cc('-shared', '-fPIC', '-o', join(deps, 'liba.so'), '-Wl,-soname,liba.so', join(src, 'a.c'));
    cc('-shared', '-fPIC', '-o', join(lib, 'libb.so'), '-Wl,-soname,libb.so', '-Wl,--no-as-needed',
      join(src, 'b.c'), `-L${deps}`, '-la');
    const link = (out: string, newDtags: boolean): string => {
      const exe = join(dir('gcc', 'bin'), out);
      cc('-o', exe, join(src, 'app.c'), '-Wl,--no-as-needed', `-L${lib}`, '-lb', `-Wl,-rpath-link,${deps}`,
        newDtags ? '-Wl,--enable-new-dtags' : '-Wl,--disable-new-dtags', '-Wl,-rpath,$ORIGIN/../lib:$ORIGIN/../deps');
      return exe;
    };
    const withRpath = link('app-rpath', false);
    const withRunpath = link('app-runpath', true);
    expect(readElf(withRpath)?.rpath).toEqual(['$ORIGIN/../lib', '$ORIGIN/../deps']);
    expect(readElf(withRunpath)?.runpath).toEqual(['$ORIGIN/../lib', '$ORIGIN/../deps']);

    expect(resolveLoadDeps(withRpath).missing).toEqual([]);
    expect(realSorted(resolveLoadDeps(withRpath).libraries)).toEqual(
      realSorted([join(lib, 'libb.so'), join(deps, 'liba.so'), ...resolveLoadDeps('/usr/bin/true').libraries]),
    );
    expect(resolveLoadDeps(withRunpath).missing).toEqual(['liba.so']);

    // The brief's case: a real library copied next to the binary, found through $ORIGIN/lib.
    const pcreCopy = join(dir('gcc', 'pcre', 'lib'), 'libpcre2-8.so.0');
    copyFileSync(systemPcre(), pcreCopy);
    const pcreApp = join(root, 'pcre', 'app');
    cc('-o', pcreApp, join(src, 'plain.c'), '-Wl,--no-as-needed', pcreCopy, '-Wl,--enable-new-dtags', '-Wl,-rpath,$ORIGIN/lib');
    expect(readElf(pcreApp)?.runpath).toEqual(['$ORIGIN/lib']);
    const pcreDeps = resolveLoadDeps(pcreApp);
    expect(pcreDeps.libraries).toContain(pcreCopy);
    expect(pcreDeps.missing).toEqual([]);

    if (!hasLdd) return;
    for (const exe of [withRpath, withRunpath, pcreApp]) {
      const ours = resolveLoadDeps(exe);
      const theirs = lddReport(exe);
      expect({ exe, found: realSorted(ours.libraries), missing: [...ours.missing].sort() }).toEqual({ exe, ...theirs });
    }
  });
});
