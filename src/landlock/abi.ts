// The Landlock ABI table, as data. Each row lists everything the kernel knows at that ABI; the kernel
// rejects any bit it does not know with EINVAL, so every mask we hand it is first ANDed with a row.
import * as u from './uapi.js';

export interface AbiRow {
  readonly abi: number;
  /** First mainline kernel with this ABI (distributions backport; only the probe is authoritative). */
  readonly kernel: string;
  readonly fs: number;
  readonly net: number;
  readonly scoped: number;
  readonly restrictFlags: number;
  /** sizeof(struct landlock_ruleset_attr) that carries every field this ABI knows. */
  readonly attrSize: number;
  readonly adds: string;
}

const FS_V1 = 0x1fff;
const LOG_FLAGS =
  u.LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF |
  u.LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON |
  u.LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF;
const NET = u.LANDLOCK_ACCESS_NET_BIND_TCP | u.LANDLOCK_ACCESS_NET_CONNECT_TCP;
const SCOPED = u.LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | u.LANDLOCK_SCOPE_SIGNAL;

export const ABI_TABLE: readonly AbiRow[] = [
  { abi: 1, kernel: '5.13', fs: FS_V1, net: 0, scoped: 0, restrictFlags: 0, attrSize: 8, adds: 'filesystem rights' },
  { abi: 2, kernel: '5.19', fs: FS_V1 | u.LANDLOCK_ACCESS_FS_REFER, net: 0, scoped: 0, restrictFlags: 0, attrSize: 8, adds: 'fs.refer' },
  { abi: 3, kernel: '6.2', fs: 0x7fff, net: 0, scoped: 0, restrictFlags: 0, attrSize: 8, adds: 'fs.truncate' },
  { abi: 4, kernel: '6.7', fs: 0x7fff, net: NET, scoped: 0, restrictFlags: 0, attrSize: 16, adds: 'TCP bind/connect rules' },
  { abi: 5, kernel: '6.10', fs: 0xffff, net: NET, scoped: 0, restrictFlags: 0, attrSize: 16, adds: 'fs.ioctl_dev' },
  { abi: 6, kernel: '6.12', fs: 0xffff, net: NET, scoped: SCOPED, restrictFlags: 0, attrSize: 24, adds: 'abstract unix socket and signal scoping' },
  { abi: 7, kernel: '6.15', fs: 0xffff, net: NET, scoped: SCOPED, restrictFlags: LOG_FLAGS, attrSize: 24, adds: 'audit logging flags' },
  { abi: 8, kernel: '7.0', fs: 0xffff, net: NET, scoped: SCOPED, restrictFlags: LOG_FLAGS | u.LANDLOCK_RESTRICT_SELF_TSYNC, attrSize: 24, adds: 'thread synchronisation (TSYNC)' },
  { abi: 9, kernel: '7.1', fs: 0x1ffff, net: NET, scoped: SCOPED, restrictFlags: LOG_FLAGS | u.LANDLOCK_RESTRICT_SELF_TSYNC, attrSize: 24, adds: 'fs.resolve_unix (pathname unix sockets)' },
];

export const LATEST_KNOWN_ABI = 9;

/** The row for an ABI: a newer kernel than we know is used as the newest row we know. 0 = no Landlock. */
export function abiRow(abi: number): AbiRow {
  if (abi <= 0) {
    return { abi: 0, kernel: '-', fs: 0, net: 0, scoped: 0, restrictFlags: 0, attrSize: 0, adds: '' };
  }
  const row = ABI_TABLE[Math.min(abi, LATEST_KNOWN_ABI) - 1];
  if (!row) throw new Error(`no ABI row for ${abi}`);
  return row;
}

/** The first ABI that knows every bit of `mask` in the given class. */
export function abiIntroducing(cls: 'fs' | 'net' | 'scope' | 'restrict', mask: number): number {
  for (const row of ABI_TABLE) {
    const known = cls === 'fs' ? row.fs : cls === 'net' ? row.net : cls === 'scope' ? row.scoped : row.restrictFlags;
    if ((known & mask) === mask) return row.abi;
  }
  return Number.POSITIVE_INFINITY;
}

export function kernelFor(abi: number): string {
  return abi >= 1 && abi <= LATEST_KNOWN_ABI ? (ABI_TABLE[abi - 1]?.kernel ?? '?') : '?';
}
