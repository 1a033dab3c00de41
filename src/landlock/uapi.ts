// Kernel constants, spelled as in include/uapi/linux/landlock.h and friends.
// Values are plain numbers: every Landlock mask we use fits in 53 bits.

export const LANDLOCK_CREATE_RULESET_VERSION = 1 << 0;
export const LANDLOCK_CREATE_RULESET_ERRATA = 1 << 1;

export const LANDLOCK_RULE_PATH_BENEATH = 1;
export const LANDLOCK_RULE_NET_PORT = 2;

export const LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF = 1 << 0;
export const LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON = 1 << 1;
export const LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF = 1 << 2;
export const LANDLOCK_RESTRICT_SELF_TSYNC = 1 << 3;

export const LANDLOCK_ACCESS_FS_EXECUTE = 1 << 0;
export const LANDLOCK_ACCESS_FS_WRITE_FILE = 1 << 1;
export const LANDLOCK_ACCESS_FS_READ_FILE = 1 << 2;
export const LANDLOCK_ACCESS_FS_READ_DIR = 1 << 3;
export const LANDLOCK_ACCESS_FS_REMOVE_DIR = 1 << 4;
export const LANDLOCK_ACCESS_FS_REMOVE_FILE = 1 << 5;
export const LANDLOCK_ACCESS_FS_MAKE_CHAR = 1 << 6;
export const LANDLOCK_ACCESS_FS_MAKE_DIR = 1 << 7;
export const LANDLOCK_ACCESS_FS_MAKE_REG = 1 << 8;
export const LANDLOCK_ACCESS_FS_MAKE_SOCK = 1 << 9;
export const LANDLOCK_ACCESS_FS_MAKE_FIFO = 1 << 10;
export const LANDLOCK_ACCESS_FS_MAKE_BLOCK = 1 << 11;
export const LANDLOCK_ACCESS_FS_MAKE_SYM = 1 << 12;
export const LANDLOCK_ACCESS_FS_REFER = 1 << 13;
export const LANDLOCK_ACCESS_FS_TRUNCATE = 1 << 14;
export const LANDLOCK_ACCESS_FS_IOCTL_DEV = 1 << 15;
/** ABI 9 (Linux 7.1): connect()/sendmsg() to a pathname UNIX socket created outside the domain. */
export const LANDLOCK_ACCESS_FS_RESOLVE_UNIX = 1 << 16;

export const LANDLOCK_ACCESS_NET_BIND_TCP = 1 << 0;
export const LANDLOCK_ACCESS_NET_CONNECT_TCP = 1 << 1;

export const LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0;
export const LANDLOCK_SCOPE_SIGNAL = 1 << 1;

/** sizeof(struct landlock_ruleset_attr) grew with the ABI: fs (8), + net (16), + scoped (24). */
export const RULESET_ATTR_SIZE_FS = 8;
export const RULESET_ATTR_SIZE_NET = 16;
export const RULESET_ATTR_SIZE_SCOPED = 24;
/** struct landlock_path_beneath_attr is packed: u64 allowed_access, s32 parent_fd. */
export const PATH_BENEATH_ATTR_SIZE = 12;
/** struct landlock_net_port_attr: u64 allowed_access, u64 port. */
export const NET_PORT_ATTR_SIZE = 16;

/** The Landlock syscalls share one number on every architecture (unified syscall table). */
export const NR_landlock_create_ruleset = 444;
export const NR_landlock_add_rule = 445;
export const NR_landlock_restrict_self = 446;

export const errno = {
  EPERM: 1,
  ENOENT: 2,
  EBADF: 9,
  EACCES: 13,
  EFAULT: 14,
  EINVAL: 22,
  ENOSYS: 38,
  ENOMSG: 42,
  EBADFD: 77,
  EOPNOTSUPP: 95,
  EAFNOSUPPORT: 97,
  E2BIG: 7,
  ENOEXEC: 8,
  ELOOP: 40,
} as const;

export const errnoName = (n: number): string => {
  for (const [k, v] of Object.entries(errno)) if (v === n) return k;
  return `errno ${n}`;
};
