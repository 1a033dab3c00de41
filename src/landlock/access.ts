// Access rights by name. Names are the UAPI words (LANDLOCK_ACCESS_FS_READ_FILE -> read_file),
// and in reports they carry the class prefix the kernel uses in audit records: fs.read_file,
// net.connect_tcp, scope.signal.
import * as u from './uapi.js';

export const FS_RIGHTS = {
  execute: u.LANDLOCK_ACCESS_FS_EXECUTE,
  write_file: u.LANDLOCK_ACCESS_FS_WRITE_FILE,
  read_file: u.LANDLOCK_ACCESS_FS_READ_FILE,
  read_dir: u.LANDLOCK_ACCESS_FS_READ_DIR,
  remove_dir: u.LANDLOCK_ACCESS_FS_REMOVE_DIR,
  remove_file: u.LANDLOCK_ACCESS_FS_REMOVE_FILE,
  make_char: u.LANDLOCK_ACCESS_FS_MAKE_CHAR,
  make_dir: u.LANDLOCK_ACCESS_FS_MAKE_DIR,
  make_reg: u.LANDLOCK_ACCESS_FS_MAKE_REG,
  make_sock: u.LANDLOCK_ACCESS_FS_MAKE_SOCK,
  make_fifo: u.LANDLOCK_ACCESS_FS_MAKE_FIFO,
  make_block: u.LANDLOCK_ACCESS_FS_MAKE_BLOCK,
  make_sym: u.LANDLOCK_ACCESS_FS_MAKE_SYM,
  refer: u.LANDLOCK_ACCESS_FS_REFER,
  truncate: u.LANDLOCK_ACCESS_FS_TRUNCATE,
  ioctl_dev: u.LANDLOCK_ACCESS_FS_IOCTL_DEV,
  resolve_unix: u.LANDLOCK_ACCESS_FS_RESOLVE_UNIX,
} as const;
export type FsRight = keyof typeof FS_RIGHTS;

export const NET_RIGHTS = {
  bind_tcp: u.LANDLOCK_ACCESS_NET_BIND_TCP,
  connect_tcp: u.LANDLOCK_ACCESS_NET_CONNECT_TCP,
} as const;
export type NetRight = keyof typeof NET_RIGHTS;

export const SCOPES = {
  abstract_unix_socket: u.LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET,
  signal: u.LANDLOCK_SCOPE_SIGNAL,
} as const;
export type Scope = keyof typeof SCOPES;

export type RightClass = 'fs' | 'net' | 'scope';

const orAll = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a | b, 0);

export const FS_ALL = orAll(FS_RIGHTS);
export const NET_ALL = orAll(NET_RIGHTS);
export const SCOPE_ALL = orAll(SCOPES);

/** Rights that may appear on a rule whose target is not a directory (the kernel says EINVAL otherwise). */
export const FS_FILE_RIGHTS =
  FS_RIGHTS.execute |
  FS_RIGHTS.write_file |
  FS_RIGHTS.read_file |
  FS_RIGHTS.truncate |
  FS_RIGHTS.ioctl_dev |
  FS_RIGHTS.resolve_unix;

const MAKE_ALL =
  FS_RIGHTS.make_char |
  FS_RIGHTS.make_dir |
  FS_RIGHTS.make_reg |
  FS_RIGHTS.make_sock |
  FS_RIGHTS.make_fifo |
  FS_RIGHTS.make_block |
  FS_RIGHTS.make_sym;

const RW_RIGHTS =
  FS_RIGHTS.read_file |
  FS_RIGHTS.write_file |
  FS_RIGHTS.truncate |
  FS_RIGHTS.ioctl_dev |
  FS_RIGHTS.read_dir |
  FS_RIGHTS.remove_dir |
  FS_RIGHTS.remove_file |
  MAKE_ALL |
  // refer on every writable directory: without it a rename or link between two granted trees fails
  // with EXDEV (the kernel always denies reparenting unless both sides grant refer).
  FS_RIGHTS.refer;

/** What each path flag grants. Directory rights are masked off when the target is not a directory. */
export const FLAG_RIGHTS = {
  ro: FS_RIGHTS.read_file | FS_RIGHTS.read_dir,
  rox: FS_RIGHTS.read_file | FS_RIGHTS.read_dir | FS_RIGHTS.execute,
  rw: RW_RIGHTS,
  rwx: RW_RIGHTS | FS_RIGHTS.execute,
  unix: FS_RIGHTS.resolve_unix,
} as const;
export type PathFlag = keyof typeof FLAG_RIGHTS;

function namesOf<T extends string>(table: Record<T, number>, mask: number): T[] {
  return (Object.keys(table) as T[]).filter((k) => (mask & table[k]) !== 0);
}

export const fsNames = (mask: number): FsRight[] => namesOf(FS_RIGHTS, mask);
export const netNames = (mask: number): NetRight[] => namesOf(NET_RIGHTS, mask);
export const scopeNames = (mask: number): Scope[] => namesOf(SCOPES, mask);

export function qualifiedNames(cls: RightClass, mask: number): string[] {
  const names = cls === 'fs' ? fsNames(mask) : cls === 'net' ? netNames(mask) : scopeNames(mask);
  return names.map((n) => `${cls}.${n}`);
}

export function fsMaskOf(names: readonly string[]): number {
  let m = 0;
  for (const n of names) {
    const v = (FS_RIGHTS as Record<string, number>)[n];
    if (v === undefined) throw new Error(`unknown filesystem right '${n}'`);
    m |= v;
  }
  return m;
}
