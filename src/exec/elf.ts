// A small ELF reader and a model of glibc's library search, so --ldd can grant exactly what the
// dynamic loader will open without running ldd (which executes the loader on the target, and
// may be denied or misleading inside a sandbox). Little-endian only: x86_64, aarch64, i386, arm.

import { closeSync, fstatSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const ET_EXEC = 2;
export const ET_DYN = 3;
export const EM_386 = 3;
export const EM_ARM = 40;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
export const EM_RISCV = 243;

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;

const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_STRSZ = 10;
const DT_SONAME = 14;
const DT_RPATH = 15;
const DT_RUNPATH = 29;
const DT_FLAGS_1 = 0x6ffffffb;
/** DF_1_NODEFLIB: the object forbids the ld.so.cache and default-directory steps. */
export const DF_1_NODEFLIB = 0x800;

/** Escape count in e_phnum: the real number is in sh_info of section header 0. */
const PN_XNUM = 0xffff;

// Sanity caps so that a corrupt header cannot make us allocate huge buffers.
const MAX_INTERP_BYTES = 4096;
const MAX_DYNAMIC_BYTES = 1 << 20;
const MAX_STRING_BYTES = 1 << 16;

export interface ElfInfo {
  readonly elfClass: 32 | 64;
  /** e_machine (62 = x86_64, 183 = aarch64, 3 = i386, 40 = arm). */
  readonly machine: number;
  /** e_type (2 EXEC, 3 DYN). */
  readonly type: number;
  /** PT_INTERP string, if any. */
  readonly interpreter?: string;
  /** DT_NEEDED in order. */
  readonly needed: readonly string[];
  /** DT_RPATH split on ':' (unexpanded). Empty when the tag is absent; [''] when it is empty. */
  readonly rpath: readonly string[];
  /** DT_RUNPATH split on ':' (unexpanded). Same convention as rpath. */
  readonly runpath: readonly string[];
  readonly soname?: string;
  /** DT_FLAGS_1, when present (DF_1_NODEFLIB changes the search). */
  readonly flags1?: number;
}

/** The file starts like an ELF file but its headers are inconsistent or cut short. */
export class ElfFormatError extends Error {
  override readonly name = 'ElfFormatError';
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: malformed ELF file: ${detail}`);
  }
}

interface Segment {
  readonly type: number;
  readonly offset: bigint;
  readonly vaddr: bigint;
  readonly filesz: bigint;
}

/** Positioned reads with bounds checks against the size seen at open time. */
class FileWindow {
  constructor(
    readonly file: string,
    private readonly fd: number,
    readonly size: number,
  ) {}

  read(offset: number, length: number, what: string): Buffer {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new ElfFormatError(
        this.file,
        `${what} (${length} bytes at offset ${offset}) lies beyond the end of the file (${this.size} bytes): truncated?`,
      );
    }
    const buf = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buf, done, length - done, offset + done);
      if (n === 0) throw new ElfFormatError(this.file, `${what}: file shrank while being read`);
      done += n;
    }
    return buf;
  }

  /** A NUL-terminated string starting at `offset` that must end before `limit`. Reads in small chunks. */
  cString(offset: number, limit: number, what: string): string {
    const end = Math.min(limit, this.size, offset + MAX_STRING_BYTES);
    const parts: Buffer[] = [];
    let pos = offset;
    let chunk = 128;
    while (pos < end) {
      const buf = this.read(pos, Math.min(chunk, end - pos), what);
      const nul = buf.indexOf(0);
      if (nul >= 0) {
        parts.push(buf.subarray(0, nul));
        return Buffer.concat(parts).toString('utf8');
      }
      parts.push(buf);
      pos += buf.length;
      chunk *= 4;
    }
    throw new ElfFormatError(this.file, `${what} at offset ${offset} is not NUL-terminated`);
  }
}

function toOffset(v: bigint, file: string, what: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfFormatError(file, `${what} is out of range`);
  return Number(v);
}

function splitPathList(s: string | undefined): string[] {
  return s === undefined ? [] : s.split(':');
}

/**
 * Reads the headers of an ELF file. Returns null when the file is not ELF (e.g. a script).
 * Throws the fs error on I/O failures (ENOENT, EACCES, EISDIR) and an ElfFormatError when the
 * file has the ELF magic but is big-endian, of an unknown class, or truncated/inconsistent
 * (a copy of only the first 64 bytes of a binary throws rather than pretending it has no
 * interpreter). Reads only the ELF header, program headers, PT_INTERP, the dynamic segment and
 * the few dynamic strings it reports, never the whole file.
 */
export function readElf(path: string): ElfInfo | null {
  const fd = openSync(path, 'r');
  try {
    return readElfFd(new FileWindow(path, fd, fstatSync(fd).size));
  } finally {
    closeSync(fd);
  }
}

/**
 * Only PT_INTERP, from one 4 KiB read: the exec check runs before every sandboxed command, and
 * the program headers of real binaries sit right after the ELF header. Falls back to readElf
 * when they do not. Returns undefined for non-ELF files and static binaries.
 */
export function readInterpreter(path: string, firstBytes?: Buffer): string | undefined {
  let head: Buffer;
  if (firstBytes) head = firstBytes;
  else {
    const fd = openSync(path, 'r');
    try {
      head = Buffer.alloc(4096);
      head = head.subarray(0, readSync(fd, head, 0, head.length, 0));
    } finally {
      closeSync(fd);
    }
  }
  if (head.length < 64 || head.readUInt32BE(0) !== 0x7f454c46 || head[5] !== 1) {
    return head.length >= 4 && head.readUInt32BE(0) === 0x7f454c46 ? readElf(path)?.interpreter : undefined;
  }
  const is64 = head[4] === 2;
  const phoff = is64 ? Number(head.readBigUInt64LE(32)) : head.readUInt32LE(28);
  const phentsize = head.readUInt16LE(is64 ? 54 : 42);
  const phnum = head.readUInt16LE(is64 ? 56 : 44);
  if (phnum === PN_XNUM || phoff + phnum * phentsize > head.length) return readElf(path)?.interpreter;
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (head.readUInt32LE(o) !== PT_INTERP) continue;
    const off = is64 ? Number(head.readBigUInt64LE(o + 8)) : head.readUInt32LE(o + 4);
    const size = is64 ? Number(head.readBigUInt64LE(o + 32)) : head.readUInt32LE(o + 16);
    if (off + size > head.length) return readElf(path)?.interpreter;
    const end = head.indexOf(0, off);
    return head.toString('latin1', off, end >= off && end < off + size ? end : off + size);
  }
  return undefined;
}

function readElfFd(w: FileWindow): ElfInfo | null {
  const file = w.file;
  if (w.size < 4) return null;
  const ident = w.read(0, Math.min(w.size, 16), 'e_ident');
  if (ident[0] !== 0x7f || ident[1] !== 0x45 || ident[2] !== 0x4c || ident[3] !== 0x46) return null;
  if (ident.length < 16) throw new ElfFormatError(file, 'e_ident is truncated');

  const classByte = ident[4];
  if (classByte !== 1 && classByte !== 2) throw new ElfFormatError(file, `unknown ELF class ${String(classByte)}`);
  const elfClass: 32 | 64 = classByte === 2 ? 64 : 32;
  const dataByte = ident[5];
  if (dataByte === 2) throw new ElfFormatError(file, 'big-endian ELF files are not supported');
  if (dataByte !== 1) throw new ElfFormatError(file, `unknown ELF data encoding ${String(dataByte)}`);

  const is64 = elfClass === 64;
  const ehdr = w.read(0, is64 ? 64 : 52, 'ELF header');
  const type = ehdr.readUInt16LE(16);
  const machine = ehdr.readUInt16LE(18);
  const phoff = is64 ? toOffset(ehdr.readBigUInt64LE(32), file, 'e_phoff') : ehdr.readUInt32LE(28);
  const phentsize = ehdr.readUInt16LE(is64 ? 54 : 42);
  let phnum = ehdr.readUInt16LE(is64 ? 56 : 44);

  if (phnum === PN_XNUM) {
    const shoff = is64 ? toOffset(ehdr.readBigUInt64LE(40), file, 'e_shoff') : ehdr.readUInt32LE(32);
    const sh0 = w.read(shoff, is64 ? 64 : 40, 'section header 0');
    phnum = sh0.readUInt32LE(is64 ? 44 : 28);
  }

  const segments: Segment[] = [];
  if (phnum > 0) {
    const minEntry = is64 ? 56 : 32;
    if (phentsize < minEntry) throw new ElfFormatError(file, `e_phentsize ${phentsize} is too small`);
    const table = w.read(phoff, phnum * phentsize, 'program header table');
    for (let i = 0; i < phnum; i++) {
      const o = i * phentsize;
      segments.push(
        is64
          ? {
              type: table.readUInt32LE(o),
              offset: table.readBigUInt64LE(o + 8),
              vaddr: table.readBigUInt64LE(o + 16),
              filesz: table.readBigUInt64LE(o + 32),
            }
          : {
              type: table.readUInt32LE(o),
              offset: BigInt(table.readUInt32LE(o + 4)),
              vaddr: BigInt(table.readUInt32LE(o + 8)),
              filesz: BigInt(table.readUInt32LE(o + 16)),
            },
      );
    }
  }

  let interpreter: string | undefined;
  const interpSeg = segments.find((s) => s.type === PT_INTERP);
  if (interpSeg !== undefined) {
    const len = toOffset(interpSeg.filesz, file, 'PT_INTERP size');
    if (len > MAX_INTERP_BYTES) throw new ElfFormatError(file, `PT_INTERP is ${len} bytes long`);
    const raw = w.read(toOffset(interpSeg.offset, file, 'PT_INTERP offset'), len, 'PT_INTERP');
    const nul = raw.indexOf(0);
    interpreter = raw.subarray(0, nul >= 0 ? nul : raw.length).toString('utf8');
  }

  const base = { elfClass, machine, type, ...(interpreter !== undefined ? { interpreter } : {}) };
  const dynSeg = segments.find((s) => s.type === PT_DYNAMIC);
  if (dynSeg === undefined) return { ...base, needed: [], rpath: [], runpath: [] };

  const dynLen = toOffset(dynSeg.filesz, file, 'PT_DYNAMIC size');
  if (dynLen > MAX_DYNAMIC_BYTES) throw new ElfFormatError(file, `PT_DYNAMIC is ${dynLen} bytes long`);
  const dyn = w.read(toOffset(dynSeg.offset, file, 'PT_DYNAMIC offset'), dynLen, 'dynamic segment');
  const entrySize = is64 ? 16 : 8;
  const neededOffsets: bigint[] = [];
  // Like ld.so, the last occurrence of a single-valued tag wins.
  let strtab: bigint | undefined;
  let strsz: bigint | undefined;
  let soname: bigint | undefined;
  let rpath: bigint | undefined;
  let runpath: bigint | undefined;
  let flags1: number | undefined;
  for (let o = 0; o + entrySize <= dyn.length; o += entrySize) {
    const tag = is64 ? Number(dyn.readBigInt64LE(o)) : dyn.readInt32LE(o);
    if (tag === DT_NULL) break;
    const val = is64 ? dyn.readBigUInt64LE(o + 8) : BigInt(dyn.readUInt32LE(o + 4));
    switch (tag) {
      case DT_NEEDED:
        neededOffsets.push(val);
        break;
      case DT_STRTAB:
        strtab = val;
        break;
      case DT_STRSZ:
        strsz = val;
        break;
      case DT_SONAME:
        soname = val;
        break;
      case DT_RPATH:
        rpath = val;
        break;
      case DT_RUNPATH:
        runpath = val;
        break;
      case DT_FLAGS_1:
        flags1 = Number(val & 0xffffffffn);
        break;
      default:
        break;
    }
  }

  const wantsStrings = neededOffsets.length > 0 || soname !== undefined || rpath !== undefined || runpath !== undefined;
  let str = (_off: bigint): string => '';
  if (wantsStrings) {
    if (strtab === undefined) throw new ElfFormatError(file, 'dynamic segment has strings but no DT_STRTAB');
    const addr = strtab;
    // DT_STRTAB is a virtual address; the PT_LOAD segment containing it gives the file offset.
    const load = segments.find((s) => s.type === PT_LOAD && s.vaddr <= addr && addr < s.vaddr + s.filesz);
    if (load === undefined) throw new ElfFormatError(file, 'DT_STRTAB is not inside any PT_LOAD segment');
    const tableStart = load.offset + (addr - load.vaddr);
    let tableEnd = load.offset + load.filesz;
    if (strsz !== undefined && tableStart + strsz < tableEnd) tableEnd = tableStart + strsz;
    const start = toOffset(tableStart, file, 'string table offset');
    const end = toOffset(tableEnd, file, 'string table end');
    str = (off: bigint): string => {
      if (off >= BigInt(end - start)) throw new ElfFormatError(file, `string offset ${off} is outside the dynamic string table`);
      return w.cString(start + Number(off), end, 'dynamic string');
    };
  }

  return {
    ...base,
    needed: neededOffsets.map(str),
    rpath: rpath === undefined ? [] : splitPathList(str(rpath)),
    runpath: runpath === undefined ? [] : splitPathList(str(runpath)),
    ...(soname !== undefined ? { soname: str(soname) } : {}),
    ...(flags1 !== undefined ? { flags1 } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// /etc/ld.so.cache

export const FLAG_ELF = 0x0001;
export const FLAG_ELF_LIBC6 = 0x0003;
export const FLAG_TYPE_MASK = 0x00ff;
export const FLAG_REQUIRED_MASK = 0xff00;
export const FLAG_X8664_LIB64 = 0x0300;
export const FLAG_POWERPC_LIB64 = 0x0500;
export const FLAG_X8664_LIBX32 = 0x0800;
export const FLAG_ARM_LIBHF = 0x0900;
export const FLAG_AARCH64_LIB64 = 0x0a00;
export const FLAG_ARM_LIBSF = 0x0b00;
export const FLAG_RISCV_FLOAT_ABI_SOFT = 0x0f00;
export const FLAG_RISCV_FLOAT_ABI_DOUBLE = 0x1000;

export const DEFAULT_LD_SO_CACHE = '/etc/ld.so.cache';

export interface LdSoCacheEntry {
  readonly name: string;
  readonly path: string;
  /** Entry flags: FLAG_ELF_LIBC6 combined with an arch/ABI flag (e.g. FLAG_X8664_LIB64). */
  readonly flags: number;
  /** Nonzero for hardware-capability variants (glibc-hwcaps subdirectories, legacy hwcaps). */
  readonly hwcap: bigint;
}

const OLD_MAGIC = 'ld.so-1.7.0';
const NEW_MAGIC = 'glibc-ld.so.cache1.1';
const NEW_HEADER_SIZE = 48;
const NEW_ENTRY_SIZE = 24;
const OLD_ENTRY_SIZE = 12;

/**
 * Parses /etc/ld.so.cache (the "glibc-ld.so.cache1.1" format, standalone or following the old
 * "ld.so-1.7.0" table) into entries in file order. Returns [] if the file is missing, unreadable,
 * big-endian or malformed. String offsets in the new format are relative to its own header.
 */
export function readLdSoCache(path: string = DEFAULT_LD_SO_CACHE): LdSoCacheEntry[] {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch {
    return [];
  }
  const start = findNewCacheHeader(buf);
  if (start === undefined || start + NEW_HEADER_SIZE > buf.length) return [];
  const nlibs = buf.readUInt32LE(start + 20);
  const endian = (buf[start + 28] ?? 0) & 3;
  // 0 = written by an old ldconfig (native order), 2 = little-endian; 1 invalid, 3 big-endian.
  if (endian !== 0 && endian !== 2) return [];
  const entriesStart = start + NEW_HEADER_SIZE;
  if (entriesStart + nlibs * NEW_ENTRY_SIZE > buf.length) return [];

  const stringAt = (off: number): string | undefined => {
    const at = start + off;
    if (at >= buf.length) return undefined;
    const nul = buf.indexOf(0, at);
    return nul < 0 ? undefined : buf.toString('utf8', at, nul);
  };
  const out: LdSoCacheEntry[] = [];
  for (let i = 0; i < nlibs; i++) {
    const o = entriesStart + i * NEW_ENTRY_SIZE;
    const name = stringAt(buf.readUInt32LE(o + 4));
    const libPath = stringAt(buf.readUInt32LE(o + 8));
    if (name === undefined || libPath === undefined) continue;
    out.push({ name, path: libPath, flags: buf.readInt32LE(o), hwcap: buf.readBigUInt64LE(o + 16) });
  }
  return out;
}

function findNewCacheHeader(buf: Buffer): number | undefined {
  const hasMagicAt = (at: number, magic: string): boolean =>
    at + magic.length <= buf.length && buf.toString('latin1', at, at + magic.length) === magic;
  if (hasMagicAt(0, NEW_MAGIC)) return 0;
  if (!hasMagicAt(0, OLD_MAGIC) || buf.length < 16) return undefined;
  // Old header: 11 magic bytes, u32 nlibs at 12, then 12-byte entries; the new header follows,
  // aligned to the new struct's alignment (8 on 64-bit builds, 4 on some 32-bit ones).
  const oldEnd = 16 + buf.readUInt32LE(12) * OLD_ENTRY_SIZE;
  for (const align of [8, 4]) {
    const at = Math.ceil(oldEnd / align) * align;
    if (hasMagicAt(at, NEW_MAGIC)) return at;
  }
  return undefined;
}

/** Cache entry flags ld.so accepts for an object of this class and machine; undefined = unknown arch. */
function acceptedCacheFlags(elfClass: 32 | 64, machine: number): readonly number[] | undefined {
  switch (machine) {
    case EM_X86_64:
      return [elfClass === 64 ? FLAG_X8664_LIB64 | FLAG_ELF_LIBC6 : FLAG_X8664_LIBX32 | FLAG_ELF_LIBC6];
    case EM_AARCH64:
      return [FLAG_AARCH64_LIB64 | FLAG_ELF_LIBC6];
    case EM_386:
      return [FLAG_ELF_LIBC6, FLAG_ELF];
    case EM_ARM:
      return [FLAG_ARM_LIBHF | FLAG_ELF_LIBC6, FLAG_ARM_LIBSF | FLAG_ELF_LIBC6, FLAG_ELF_LIBC6];
    case EM_RISCV:
      return [FLAG_RISCV_FLOAT_ABI_DOUBLE | FLAG_ELF_LIBC6, FLAG_RISCV_FLOAT_ABI_SOFT | FLAG_ELF_LIBC6];
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Dynamic string tokens and search directories

/** Debian/Ubuntu multiarch directory names for a class and machine. */
export function multiarchTriplets(elfClass: 32 | 64, machine: number): string[] {
  switch (machine) {
    case EM_X86_64:
      return [elfClass === 64 ? 'x86_64-linux-gnu' : 'x86_64-linux-gnux32'];
    case EM_AARCH64:
      return ['aarch64-linux-gnu'];
    case EM_386:
      return ['i386-linux-gnu'];
    case EM_ARM:
      return ['arm-linux-gnueabihf', 'arm-linux-gnueabi'];
    case EM_RISCV:
      return ['riscv64-linux-gnu'];
    default:
      return [];
  }
}

/** The AT_PLATFORM string the kernel reports for a process of this class and machine. */
function platformOf(elfClass: 32 | 64, machine: number): string | undefined {
  switch (machine) {
    case EM_X86_64:
      return 'x86_64';
    case EM_AARCH64:
      return 'aarch64';
    case EM_386:
      return 'i686';
    case EM_ARM:
      return 'v7l';
    case EM_RISCV:
      return elfClass === 64 ? 'riscv64' : 'riscv32';
    default:
      return undefined;
  }
}

export interface DstContext {
  /** Directory of the object the string belongs to. */
  readonly origin: string;
  /** Candidate values of $LIB, in the order they are tried. */
  readonly lib: readonly string[];
  /** Value of $PLATFORM; undefined drops entries that use it (as ld.so does when AT_PLATFORM is unknown). */
  readonly platform: string | undefined;
}

// $NAME must not run on into an identifier character; ${NAME} is always a token.
const DST_RE = /\$(?:\{(ORIGIN|LIB|PLATFORM)\}|(ORIGIN|LIB|PLATFORM)(?![A-Za-z0-9_]))/g;

/**
 * Expands $ORIGIN, $LIB and $PLATFORM (bare or braced) in one RPATH/RUNPATH/DT_NEEDED entry.
 * Returns one string per $LIB candidate (a single one when $LIB is absent); [] when $PLATFORM is
 * used but unknown. Unknown $NAMEs are left as they are, like ld.so does.
 */
export function expandDynamicStringTokens(entry: string, ctx: DstContext): string[] {
  if (!entry.includes('$')) return [entry];
  let usesLib = false;
  let usesPlatform = false;
  for (const m of entry.matchAll(DST_RE)) {
    const token = m[1] ?? m[2];
    if (token === 'LIB') usesLib = true;
    if (token === 'PLATFORM') usesPlatform = true;
  }
  if (usesPlatform && ctx.platform === undefined) return [];
  const libs = usesLib ? ctx.lib : [''];
  const out: string[] = [];
  for (const lib of libs) {
    const s = entry.replace(DST_RE, (_m, braced: string | undefined, bare: string | undefined) => {
      const token = braced ?? bare;
      if (token === 'ORIGIN') return ctx.origin;
      if (token === 'LIB') return lib;
      return ctx.platform ?? '';
    });
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

/**
 * Expands $ORIGIN/${ORIGIN} to originDir, $LIB/${LIB} to "lib64" or "lib" by class and
 * $PLATFORM to the platform of `machine` (default: the host's). The single-answer form of
 * expandDynamicStringTokens, which also tries lib/<triplet> for $LIB on multiarch systems.
 */
export function expandOrigin(entry: string, originDir: string, elfClass: 32 | 64, machine: number = hostMachine()): string {
  const [first] = expandDynamicStringTokens(entry, {
    origin: originDir,
    lib: [elfClass === 64 ? 'lib64' : 'lib'],
    platform: platformOf(elfClass, machine),
  });
  return first ?? entry;
}

function hostMachine(): number {
  switch (process.arch) {
    case 'arm64':
      return EM_AARCH64;
    case 'ia32':
      return EM_386;
    case 'arm':
      return EM_ARM;
    case 'riscv64':
      return EM_RISCV;
    default:
      return EM_X86_64;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The directories ld.so searches last, for an object of this class and machine. */
export function defaultLibraryDirs(elfClass: 32 | 64, machine: number): string[] {
  const dirs: string[] = [];
  for (const t of multiarchTriplets(elfClass, machine)) dirs.push(`/lib/${t}`, `/usr/lib/${t}`);
  if (elfClass === 64) dirs.push('/lib64', '/usr/lib64');
  dirs.push('/lib', '/usr/lib');
  return dirs;
}

/** Values of $LIB to try: Debian's glibc uses lib/<triplet>, others lib64 or lib. */
function libTokenValues(elfClass: 32 | 64, machine: number): string[] {
  const plain = elfClass === 64 ? 'lib64' : 'lib';
  const multiarch = multiarchTriplets(elfClass, machine).map((t) => `lib/${t}`);
  const isMultiarchHost = multiarch.some((m) => isDirectory(`/usr/${m}`));
  return isMultiarchHost ? [...multiarch, plain] : [plain, ...multiarch];
}

/** `p` made absolute against cwd without lexical '..' folding (the kernel resolves those). */
function absolutize(p: string, cwd: string): string {
  if (p.startsWith('/')) return p;
  return p === '' ? cwd : `${cwd.replace(/\/+$/, '')}/${p}`;
}

/**
 * Drops '//' and '/./'; a path with '..' gets its directory realpath'd, because folding '..'
 * lexically would be wrong after a symlink. The final component stays as found.
 */
function tidyPath(p: string): string {
  const collapsed = p.replace(/\/{2,}/g, '/').replace(/(?:\/\.)+(?=\/|$)/g, '') || '/';
  if (!/(?:^|\/)\.\.(?:\/|$)/.test(collapsed)) return collapsed;
  try {
    return join(realpathSync(dirname(collapsed)), basename(collapsed));
  } catch {
    return collapsed;
  }
}

// ---------------------------------------------------------------------------------------------
// Dependency resolution

export interface LoadDeps {
  /** Absolute path of the ELF interpreter as written in PT_INTERP. */
  readonly interpreter?: string;
  /** Absolute paths of every shared library loaded, transitively, deduplicated, in BFS order. */
  readonly libraries: readonly string[];
  /** DT_NEEDED names that could not be found. */
  readonly missing: readonly string[];
}

export interface ResolveOptions {
  /** Environment of the process to be run: only LD_LIBRARY_PATH is used. Default: none. */
  readonly env?: Record<string, string | undefined>;
  /** Path of the ld.so cache. Default /etc/ld.so.cache. */
  readonly ldSoCache?: string;
  /** Working directory of the process to be run, for relative search entries. Default process.cwd(). */
  readonly cwd?: string;
}

interface LoadedObject {
  readonly path: string;
  readonly info: ElfInfo;
  readonly origin: string;
  /** The object whose DT_NEEDED loaded this one (glibc's l_loader); undefined for the executable. */
  readonly loader: LoadedObject | undefined;
  rpathDirs?: string[];
  runpathDirs?: string[];
}

/**
 * What the dynamic loader would load for `binary`: PT_INTERP, then DT_NEEDED resolved
 * transitively the way glibc's ld.so does (elf/dl-load.c, _dl_map_object):
 *  1. a name containing '/' is opened as a path (relative to cwd);
 *  2. unless the loading object has DT_RUNPATH: DT_RPATH of the loading object, of the object
 *     that loaded it and so on up to the executable, then the executable's own DT_RPATH;
 *  3. LD_LIBRARY_PATH (from opts.env; ':' or ';' separated);
 *  4. DT_RUNPATH of the loading object (never inherited);
 *  5. /etc/ld.so.cache (skipped, with 6, for a loader flagged DF_1_NODEFLIB);
 *  6. the default directories (multiarch, lib64 for 64-bit, /lib, /usr/lib).
 * $ORIGIN is the executable's directory after symlink resolution (ld.so asks /proc/self/exe),
 * and for a library the directory of the path it was found under, unresolved, as ld.so does.
 * Candidates that are not ELF, or not of the executable's class and machine, are skipped.
 * A name already loaded (by DT_NEEDED name, path or DT_SONAME, including the interpreter's
 * soname) or a file already loaded under another name is not loaded twice; so the interpreter
 * appears in `interpreter` only. A non-ELF `binary` (a script) and a static binary give no
 * interpreter and no libraries. Not modelled: glibc-hwcaps and legacy hwcap subdirectories
 * (preferring the baseline cache entry instead), LD_PRELOAD and /etc/ld.so.preload, and secure
 * (setuid) mode, which no_new_privs turns off anyway.
 */
export function resolveLoadDeps(binary: string, opts: ResolveOptions = {}): LoadDeps {
  const cwd = opts.cwd ?? process.cwd();
  const binaryPath = absolutize(binary, cwd);
  const main = readElf(binaryPath);
  if (main === null) return { libraries: [], missing: [] };

  const { elfClass, machine } = main;
  const libValues = libTokenValues(elfClass, machine);
  const platform = platformOf(elfClass, machine);
  const defaultDirs = defaultLibraryDirs(elfClass, machine);
  const dstFor = (origin: string): DstContext => ({ origin, lib: libValues, platform });

  const loadedByName = new Map<string, LoadedObject>();
  const loadedByFile = new Map<string, LoadedObject>();
  const candidateCache = new Map<string, ElfInfo | null>();
  const libraries: string[] = [];
  const missing: string[] = [];

  const fileKey = (p: string): string | undefined => {
    try {
      const st = statSync(p);
      return `${st.dev}:${st.ino}`;
    } catch {
      return undefined;
    }
  };
  const register = (obj: LoadedObject, names: readonly (string | undefined)[]): void => {
    for (const n of names) if (n !== undefined && n !== '' && !loadedByName.has(n)) loadedByName.set(n, obj);
    const key = fileKey(obj.path);
    if (key !== undefined && !loadedByFile.has(key)) loadedByFile.set(key, obj);
  };
  /** The ELF info of a usable candidate, null if ld.so would pass over it. */
  const probe = (p: string): ElfInfo | null => {
    const cached = candidateCache.get(p);
    if (cached !== undefined) return cached;
    const i = isFile(p) ? tryReadElf(p) : null;
    const info = i !== null && i.elfClass === elfClass && i.machine === machine ? i : null;
    candidateCache.set(p, info);
    return info;
  };

  const listDirs = (entries: readonly string[], origin: string): string[] => {
    const dirs: string[] = [];
    for (const entry of entries) {
      // An empty element means the current directory, a long-standing ld.so behaviour.
      const expanded = entry === '' ? [cwd] : expandDynamicStringTokens(entry, dstFor(origin));
      for (const e of expanded) {
        if (e === '') continue;
        const trimmed = e.length > 1 ? e.replace(/\/+$/, '') || '/' : e;
        dirs.push(absolutize(trimmed, cwd));
      }
    }
    return dirs;
  };

  const mainObj: LoadedObject = {
    path: binaryPath,
    info: main,
    origin: dirname(safeRealpath(binaryPath)),
    loader: undefined,
  };
  register(mainObj, [main.soname]);

  const interpreter = main.interpreter;
  if (interpreter !== undefined) {
    const interpPath = absolutize(interpreter, cwd);
    // A missing or unreadable interpreter fails at execve; only its soname matters here.
    const interpInfo = tryReadElf(interpPath);
    const interpObj: LoadedObject = {
      path: interpPath,
      info: interpInfo ?? main,
      origin: dirname(interpPath),
      loader: undefined,
    };
    register(interpObj, [interpreter, interpPath, interpInfo?.soname]);
  }

  const rpathDirsOf = (o: LoadedObject): string[] => (o.rpathDirs ??= listDirs(o.info.rpath, o.origin));
  const runpathDirsOf = (o: LoadedObject): string[] => (o.runpathDirs ??= listDirs(o.info.runpath, o.origin));
  const ldLibraryPath = opts.env?.LD_LIBRARY_PATH;
  // An empty LD_LIBRARY_PATH is ignored entirely; empty elements of a non-empty one mean cwd.
  const envDirs =
    ldLibraryPath === undefined || ldLibraryPath === '' ? [] : listDirs(ldLibraryPath.split(/[:;]/), mainObj.origin);

  let cacheIndex: Map<string, LdSoCacheEntry[]> | undefined;
  const cacheLookup = (name: string): string | undefined => {
    if (cacheIndex === undefined) {
      cacheIndex = new Map();
      for (const e of readLdSoCache(opts.ldSoCache ?? DEFAULT_LD_SO_CACHE)) {
        const list = cacheIndex.get(e.name);
        if (list === undefined) cacheIndex.set(e.name, [e]);
        else list.push(e);
      }
    }
    const accepted = acceptedCacheFlags(elfClass, machine);
    const fits = (cacheIndex.get(name) ?? []).filter((e) => accepted === undefined || accepted.includes(e.flags));
    return (fits.find((e) => e.hwcap === 0n) ?? fits[0])?.path;
  };

  const inDirs = (name: string, dirs: readonly string[]): string | undefined => {
    for (const d of dirs) {
      const candidate = tidyPath(`${d === '/' ? '' : d}/${name}`);
      if (probe(candidate) !== null) return candidate;
    }
    return undefined;
  };

  const search = (name: string, loader: LoadedObject): string | undefined => {
    if (loader.info.runpath.length === 0) {
      let sawMain = false;
      for (let l: LoadedObject | undefined = loader; l !== undefined; l = l.loader) {
        if (l.info.rpath.length === 0) continue;
        const hit = inDirs(name, rpathDirsOf(l));
        if (hit !== undefined) return hit;
        if (l === mainObj) sawMain = true;
      }
      if (!sawMain && main.rpath.length > 0) {
        const hit = inDirs(name, rpathDirsOf(mainObj));
        if (hit !== undefined) return hit;
      }
    }
    const fromEnv = inDirs(name, envDirs);
    if (fromEnv !== undefined) return fromEnv;
    const fromRunpath = inDirs(name, runpathDirsOf(loader));
    if (fromRunpath !== undefined) return fromRunpath;

    const nodeflib = ((loader.info.flags1 ?? 0) & DF_1_NODEFLIB) !== 0;
    const cached = cacheLookup(name);
    if (
      cached !== undefined &&
      !(nodeflib && defaultDirs.some((d) => cached.startsWith(`${d}/`))) &&
      probe(cached) !== null
    ) {
      return cached;
    }
    return nodeflib ? undefined : inDirs(name, defaultDirs);
  };

  const locate = (name: string, loader: LoadedObject): string | undefined => {
    const names = name.includes('$') ? expandDynamicStringTokens(name, dstFor(loader.origin)) : [name];
    for (const n of names) {
      if (n.includes('/')) {
        const p = tidyPath(absolutize(n, cwd));
        if (probe(p) !== null) return p;
      } else {
        const p = search(n, loader);
        if (p !== undefined) return p;
      }
    }
    return undefined;
  };

  // Breadth-first, like _dl_map_object_deps: the executable's DT_NEEDED in order, then each
  // newly loaded object's in the order the objects were loaded.
  const queue: LoadedObject[] = [mainObj];
  for (let i = 0; i < queue.length; i++) {
    const obj = queue[i];
    if (obj === undefined) break;
    for (const name of obj.info.needed) {
      if (loadedByName.has(name)) continue;
      const found = locate(name, obj);
      if (found === undefined) {
        if (!missing.includes(name)) missing.push(name);
        continue;
      }
      const key = fileKey(found);
      const same = (key !== undefined ? loadedByFile.get(key) : undefined) ?? loadedByName.get(found);
      if (same !== undefined) {
        loadedByName.set(name, same);
        continue;
      }
      const info = probe(found);
      if (info === null) continue;
      const lib: LoadedObject = { path: found, info, origin: dirname(found), loader: obj };
      register(lib, [name, found, info.soname]);
      libraries.push(found);
      queue.push(lib);
    }
  }

  return { ...(interpreter !== undefined ? { interpreter } : {}), libraries, missing };
}

function tryReadElf(p: string): ElfInfo | null {
  try {
    return readElf(p);
  } catch {
    return null;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
