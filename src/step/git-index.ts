// The gitlinks (mode 160000 entries, i.e. submodules) of a git index file, read without git. A
// gitlink makes later git commands enter that path as a repository (`git status` runs a status
// inside it, `git submodule foreach` runs its command there and dies if .gitmodules lacks the
// path), so the guard compares them before and after the step. Formats: index versions 2, 3 and 4
// (path prefix compression), SHA-1 and SHA-256 object names, the split index's `link` extension.
import { createHash } from 'node:crypto';

export interface IndexGitlinks {
  readonly gitlinks: ReadonlySet<string>;
  /** Hex name of the shared index (split index), whose entries count too. */
  readonly sharedIndex: string | undefined;
}

const GITLINK = 0o160000;
const S_IFMT = 0o170000;

/** The offset varint of index v4 (git's decode_varint). */
function varint(data: Buffer, at: number): { value: number; next: number } | undefined {
  let i = at;
  let c = data[i++];
  if (c === undefined) return undefined;
  let value = c & 127;
  while (c & 128) {
    c = data[i++];
    if (c === undefined) return undefined;
    value = ((value + 1) << 7) + (c & 127);
  }
  return { value, next: i };
}

/**
 * The gitlinks in an index file, or undefined when it is not a well-formed index (git would refuse
 * it: commands that read the index, checkout's post step among them, would then fail).
 */
export function readIndexGitlinks(data: Buffer, oidLength: 20 | 32): IndexGitlinks | undefined {
  if (data.length < 12 + oidLength || data.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const trailer = data.subarray(data.length - oidLength);
  const body = data.subarray(0, data.length - oidLength);
  // index.skipHash (git >= 2.40) writes a zero checksum; anything else must match.
  if (trailer.some((b) => b !== 0) && !createHash(oidLength === 20 ? 'sha1' : 'sha256').update(body).digest().equals(trailer)) return undefined;
  const version = body.readUInt32BE(4);
  if (version < 2 || version > 4) return undefined;
  const count = body.readUInt32BE(8);
  const gitlinks = new Set<string>();
  let off = 12;
  let prev: Buffer = Buffer.alloc(0);
  for (let k = 0; k < count; k++) {
    const start = off;
    if (start + 40 + oidLength + 2 > body.length) return undefined;
    const mode = body.readUInt32BE(start + 24);
    off = start + 40 + oidLength;
    const flags = body.readUInt16BE(off);
    off += 2;
    if (flags & 0x4000) {
      if (version < 3) return undefined;
      off += 2;
    }
    let name: Buffer;
    if (version === 4) {
      const strip = varint(body, off);
      if (!strip || strip.value > prev.length) return undefined;
      const end = body.indexOf(0, strip.next);
      if (end < 0) return undefined;
      name = Buffer.concat([prev.subarray(0, prev.length - strip.value), body.subarray(strip.next, end)]);
      off = end + 1;
    } else {
      const len = flags & 0xfff;
      const end = len < 0xfff ? off + len : body.indexOf(0, off);
      if (end < 0 || end >= body.length || body[end] !== 0) return undefined;
      name = body.subarray(off, end);
      // Entries are NUL-padded to a multiple of 8 bytes (at least one NUL).
      off = start + ((end - start + 8) & ~7);
      if (off > body.length) return undefined;
    }
    prev = name;
    if ((mode & S_IFMT) === GITLINK) gitlinks.add(name.toString('utf8'));
  }
  let sharedIndex: string | undefined;
  while (off < body.length) {
    if (off + 8 > body.length) return undefined;
    const sig = body.toString('latin1', off, off + 4);
    const size = body.readUInt32BE(off + 4);
    if (off + 8 + size > body.length) return undefined;
    if (sig === 'link' && size >= oidLength) sharedIndex = body.toString('hex', off + 8, off + 8 + oidLength);
    off += 8 + size;
  }
  return { gitlinks, sharedIndex };
}
