#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:module"
const external_node_module_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");
;// CONCATENATED MODULE: ./src/shared/errors.ts
// The few error classes of the project. They are thrown anywhere and caught only at the edges
// (cli/main, action/main, action/post, the launcher entry), which turn them into exit codes.
/** Bad command-line usage: unknown flag, missing value, empty command. Exit 2, nothing run. */
class UsageError extends (/* unused pure expression or super */ null && (Error)) {
    name = 'UsageError';
}
/** A policy that cannot be compiled: missing path, bad port, garbage policy file. Exit 2. */
class PolicyError extends (/* unused pure expression or super */ null && (Error)) {
    name = 'PolicyError';
}
/** The kernel cannot enforce what the invocation depends on (strict mode). Exit 2. */
class UnsupportedKernelError extends (/* unused pure expression or super */ null && (Error)) {
    name = 'UnsupportedKernelError';
}
/** The command cannot be executed: not found (127) or not executable under the policy (126). */
class ExecError extends Error {
    exitCode;
    name = 'ExecError';
    constructor(message, exitCode) {
        super(message);
        this.exitCode = exitCode;
    }
}
/** A syscall failed. Carries the call, errno and a hint for the user. */
class errors_SyscallError extends Error {
    syscall;
    errno;
    errnoName;
    hint;
    name = 'SyscallError';
    constructor(syscall, errno, errnoName, hint) {
        super(`${syscall} failed: ${errnoName}${hint ? ` (${hint})` : ''}`);
        this.syscall = syscall;
        this.errno = errno;
        this.errnoName = errnoName;
        this.hint = hint;
    }
}
const EXIT = {
    usage: 2,
    internal: 1,
    cannotExecute: 126,
    notFound: 127,
};

;// CONCATENATED MODULE: ./src/landlock/uapi.ts
// Kernel constants, spelled as in include/uapi/linux/landlock.h and friends.
// Values are plain numbers: every Landlock mask we use fits in 53 bits.
const LANDLOCK_CREATE_RULESET_VERSION = (/* unused pure expression or super */ null && (1 << 0));
const LANDLOCK_CREATE_RULESET_ERRATA = (/* unused pure expression or super */ null && (1 << 1));
const LANDLOCK_RULE_PATH_BENEATH = 1;
const LANDLOCK_RULE_NET_PORT = 2;
const LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF = (/* unused pure expression or super */ null && (1 << 0));
const LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON = (/* unused pure expression or super */ null && (1 << 1));
const LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF = (/* unused pure expression or super */ null && (1 << 2));
const LANDLOCK_RESTRICT_SELF_TSYNC = (/* unused pure expression or super */ null && (1 << 3));
const LANDLOCK_ACCESS_FS_EXECUTE = 1 << 0;
const LANDLOCK_ACCESS_FS_WRITE_FILE = 1 << 1;
const LANDLOCK_ACCESS_FS_READ_FILE = 1 << 2;
const LANDLOCK_ACCESS_FS_READ_DIR = 1 << 3;
const LANDLOCK_ACCESS_FS_REMOVE_DIR = 1 << 4;
const LANDLOCK_ACCESS_FS_REMOVE_FILE = 1 << 5;
const LANDLOCK_ACCESS_FS_MAKE_CHAR = 1 << 6;
const LANDLOCK_ACCESS_FS_MAKE_DIR = 1 << 7;
const LANDLOCK_ACCESS_FS_MAKE_REG = 1 << 8;
const LANDLOCK_ACCESS_FS_MAKE_SOCK = 1 << 9;
const LANDLOCK_ACCESS_FS_MAKE_FIFO = 1 << 10;
const LANDLOCK_ACCESS_FS_MAKE_BLOCK = 1 << 11;
const LANDLOCK_ACCESS_FS_MAKE_SYM = 1 << 12;
const LANDLOCK_ACCESS_FS_REFER = 1 << 13;
const LANDLOCK_ACCESS_FS_TRUNCATE = 1 << 14;
const LANDLOCK_ACCESS_FS_IOCTL_DEV = 1 << 15;
/** ABI 9 (Linux 7.1): connect()/sendmsg() to a pathname UNIX socket created outside the domain. */
const LANDLOCK_ACCESS_FS_RESOLVE_UNIX = 1 << 16;
const LANDLOCK_ACCESS_NET_BIND_TCP = 1 << 0;
const LANDLOCK_ACCESS_NET_CONNECT_TCP = 1 << 1;
const LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0;
const LANDLOCK_SCOPE_SIGNAL = 1 << 1;
/** sizeof(struct landlock_ruleset_attr) grew with the ABI: fs (8), + net (16), + scoped (24). */
const RULESET_ATTR_SIZE_FS = 8;
const RULESET_ATTR_SIZE_NET = 16;
const RULESET_ATTR_SIZE_SCOPED = 24;
/** struct landlock_path_beneath_attr is packed: u64 allowed_access, s32 parent_fd. */
const PATH_BENEATH_ATTR_SIZE = 12;
/** struct landlock_net_port_attr: u64 allowed_access, u64 port. */
const NET_PORT_ATTR_SIZE = 16;
/** The Landlock syscalls share one number on every architecture (unified syscall table). */
const NR_landlock_create_ruleset = 444;
const NR_landlock_add_rule = 445;
const NR_landlock_restrict_self = 446;
const errno = {
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
};
const errnoName = (n) => {
    for (const [k, v] of Object.entries(errno))
        if (v === n)
            return k;
    return `errno ${n}`;
};

;// CONCATENATED MODULE: ./src/landlock/syscalls.ts
// The only koffi importer: raw syscalls for Landlock, seccomp, capabilities and execve.
// Everything here runs synchronously on the main thread; nothing may yield to the event loop
// between restrict_self and execve (other Node threads are not restricted, execve kills them).




const NR = {
    x64: { prctl: 157, seccomp: 317, capset: 126 },
    arm64: { prctl: 167, seccomp: 277, capset: 91 },
};
const O_PATH = 0o10000000;
const O_CLOEXEC = 0o2000000;
const F_GETFD = 1;
const F_SETFD = 2;
const FD_CLOEXEC = 1;
const PR_SET_NO_NEW_PRIVS = 38;
const PR_SET_CHILD_SUBREAPER = 36;
const PR_CAPBSET_DROP = 24;
const PR_CAP_AMBIENT = 47;
const PR_CAP_AMBIENT_CLEAR_ALL = 4;
const SECCOMP_SET_MODE_FILTER = 1;
const LINUX_CAPABILITY_VERSION_3 = 0x20080522;
const SIG_SETMASK = 2;
const CAP_SETPCAP = 8;
const SIGPIPE = 13;
const SIGXFSZ = 25;
/**
 * Loads koffi. The vendored native module is required directly when it is there: koffi's own
 * entry point probes the platform by reading the Node binary's ELF headers, which costs ~10 ms
 * on every sandboxed command. The package entry is the fallback.
 */
function loadKoffi() {
    const require = (0,external_node_module_namespaceObject.createRequire)(import.meta.url);
    const arch = process.arch;
    for (const dir of [`linux_${arch}`, `musl_${arch}`]) {
        try {
            return require(`@koromix/koffi-linux-${arch}/${dir}/koffi.node`);
        }
        catch {
            // try the next candidate
        }
    }
    const k = require('koffi');
    return k.default ?? k;
}
function currentArch() {
    if (process.arch === 'x64' || process.arch === 'arm64')
        return process.arch;
    throw new SyscallError('arch', 0, process.arch, 'landrun supports Linux on x86_64 and aarch64 only');
}
/** prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants are reparented to this process. */
function setChildSubreaper() {
    const koffi = loadKoffi();
    const prctl = koffi.load('libc.so.6').func('int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)');
    if (Number(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) !== 0) {
        const e = koffi.errno();
        throw new errors_SyscallError('prctl(PR_SET_CHILD_SUBREAPER)', e, errnoName(e));
    }
}
function createKoffiKernel() {
    const arch = currentArch();
    const nr = NR[arch];
    const koffi = loadKoffi();
    const libc = koffi.load('libc.so.6');
    const syscall = libc.func('long syscall(long nr, ...)');
    const open = libc.func('int open(const char *path, int flags, ...)');
    const closeFn = libc.func('int close(int fd)');
    const fcntl = libc.func('int fcntl(int fd, int cmd, ...)');
    const prctl = libc.func('int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)');
    const signalFn = libc.func('void *signal(int sig, void *handler)');
    const sigprocmask = libc.func('int sigprocmask(int how, const void *set, void *oldset)');
    const execveFn = libc.func('int execve(const char *path, const char **argv, const char **envp)');
    // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
    const sockFprogPtr = koffi.pointer(koffi.struct({ len: 'uint16_t', filter: 'void *' }));
    const fail = (call, hint) => {
        const e = koffi.errno();
        throw new SyscallError(call, e, u.errnoName(e), hint?.(e));
    };
    let unavailable;
    const kernel = {
        arch,
        abiVersion() {
            const v = Number(syscall(u.NR_landlock_create_ruleset, 'void *', null, 'size_t', 0, 'uint32_t', u.LANDLOCK_CREATE_RULESET_VERSION));
            if (v >= 0)
                return v;
            const e = koffi.errno();
            if (e === u.errno.ENOSYS) {
                unavailable = 'the kernel has no Landlock (ENOSYS): it needs Linux 5.13 or later built with CONFIG_SECURITY_LANDLOCK=y';
                return 0;
            }
            if (e === u.errno.EOPNOTSUPP) {
                unavailable =
                    'Landlock is built in but not enabled (EOPNOTSUPP): add "landlock" to the lsm= kernel boot parameter (or CONFIG_LSM)';
                return 0;
            }
            throw new SyscallError('landlock_create_ruleset(VERSION)', e, u.errnoName(e));
        },
        unavailableReason: () => unavailable,
        errata() {
            const v = Number(syscall(u.NR_landlock_create_ruleset, 'void *', null, 'size_t', 0, 'uint32_t', u.LANDLOCK_CREATE_RULESET_ERRATA));
            return v >= 0 ? v : 0;
        },
        openPath(path) {
            const fd = Number(open(path, O_PATH | O_CLOEXEC));
            if (fd < 0)
                fail(`open(${JSON.stringify(path)}, O_PATH)`);
            return fd;
        },
        isDirectoryFd(fd) {
            return fstatSync(fd).isDirectory();
        },
        close(fd) {
            closeFn(fd);
        },
        createRuleset(attr, size) {
            const buf = Buffer.alloc(24);
            buf.writeBigUInt64LE(BigInt(attr.fs), 0);
            buf.writeBigUInt64LE(BigInt(attr.net), 8);
            buf.writeBigUInt64LE(BigInt(attr.scoped), 16);
            const fd = Number(syscall(u.NR_landlock_create_ruleset, 'void *', buf, 'size_t', size, 'uint32_t', 0));
            if (fd < 0)
                fail('landlock_create_ruleset');
            return fd;
        },
        addPathRule(rulesetFd, access, parentFd) {
            const buf = Buffer.alloc(u.PATH_BENEATH_ATTR_SIZE);
            buf.writeBigUInt64LE(BigInt(access), 0);
            buf.writeInt32LE(parentFd, 8);
            const r = Number(syscall(u.NR_landlock_add_rule, 'int', rulesetFd, 'int', u.LANDLOCK_RULE_PATH_BENEATH, 'void *', buf, 'uint32_t', 0));
            if (r !== 0)
                fail('landlock_add_rule(PATH_BENEATH)');
        },
        addNetRule(rulesetFd, access, port) {
            const buf = Buffer.alloc(u.NET_PORT_ATTR_SIZE);
            buf.writeBigUInt64LE(BigInt(access), 0);
            buf.writeBigUInt64LE(BigInt(port), 8);
            const r = Number(syscall(u.NR_landlock_add_rule, 'int', rulesetFd, 'int', u.LANDLOCK_RULE_NET_PORT, 'void *', buf, 'uint32_t', 0));
            if (r !== 0)
                fail('landlock_add_rule(NET_PORT)');
        },
        setNoNewPrivs() {
            if (Number(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) !== 0)
                fail('prctl(PR_SET_NO_NEW_PRIVS)');
        },
        restrictSelf(rulesetFd, flags) {
            const r = Number(syscall(u.NR_landlock_restrict_self, 'int', rulesetFd, 'uint32_t', flags));
            if (r !== 0)
                fail('landlock_restrict_self', (e) => (e === u.errno.E2BIG ? 'more than 16 nested Landlock domains' : undefined));
        },
        installSeccomp(filter, instructions) {
            const prog = { len: instructions, filter: Buffer.from(filter.buffer, filter.byteOffset, filter.byteLength) };
            const r = Number(syscall(nr.seccomp, 'unsigned int', SECCOMP_SET_MODE_FILTER, 'unsigned int', 0, sockFprogPtr, prog));
            if (r !== 0)
                fail('seccomp(SECCOMP_SET_MODE_FILTER)');
        },
        permittedCapabilities() {
            const m = /^CapPrm:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
            return m?.[1] ? BigInt(`0x${m[1]}`) : 0n;
        },
        dropAllCapabilities() {
            const last = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim());
            // Shrinking the bounding set needs CAP_SETPCAP. Without it (a process holding, say, only an
            // ambient CAP_NET_BIND_SERVICE) skip that part: no_new_privs already stops execve from
            // granting anything beyond the (emptied) permitted set.
            const eff = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
            const canSetPcap = eff !== undefined && (BigInt(`0x${eff}`) & (1n << BigInt(CAP_SETPCAP))) !== 0n;
            for (let cap = 0; canSetPcap && cap <= last; cap++) {
                if (Number(prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)) !== 0)
                    fail(`prctl(PR_CAPBSET_DROP, ${cap})`);
            }
            if (Number(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)) !== 0)
                fail('prctl(PR_CAP_AMBIENT_CLEAR_ALL)');
            const header = Buffer.alloc(8);
            header.writeUInt32LE(LINUX_CAPABILITY_VERSION_3, 0);
            const data = Buffer.alloc(24); // two struct __user_cap_data_struct, all zero
            if (Number(syscall(nr.capset, 'void *', header, 'void *', data)) !== 0)
                fail('capset');
        },
        prepareStdioAndSignals() {
            for (let fd = 0; fd <= 2; fd++) {
                const flags = Number(fcntl(fd, F_GETFD));
                if (flags >= 0 && (flags & FD_CLOEXEC) !== 0)
                    fcntl(fd, F_SETFD, 'int', flags & ~FD_CLOEXEC);
            }
            // Node ignores SIGPIPE and SIGXFSZ; ignored dispositions survive execve, so `yes | head` would
            // see EPIPE instead of dying quietly. Handlers reset themselves at exec; ignores do not.
            signalFn(SIGPIPE, null);
            signalFn(SIGXFSZ, null);
            sigprocmask(SIG_SETMASK, Buffer.alloc(128), null);
        },
        execve(path, argv, envp) {
            execveFn(path, [...argv, null], [...envp, null]);
            return fail(`execve(${JSON.stringify(path)})`);
        },
    };
    return kernel;
}

;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./src/landlock/access.ts
// Access rights by name. Names are the UAPI words (LANDLOCK_ACCESS_FS_READ_FILE -> read_file),
// and in reports they carry the class prefix the kernel uses in audit records: fs.read_file,
// net.connect_tcp, scope.signal.

const access_FS_RIGHTS = {
    execute: LANDLOCK_ACCESS_FS_EXECUTE,
    write_file: LANDLOCK_ACCESS_FS_WRITE_FILE,
    read_file: LANDLOCK_ACCESS_FS_READ_FILE,
    read_dir: LANDLOCK_ACCESS_FS_READ_DIR,
    remove_dir: LANDLOCK_ACCESS_FS_REMOVE_DIR,
    remove_file: LANDLOCK_ACCESS_FS_REMOVE_FILE,
    make_char: LANDLOCK_ACCESS_FS_MAKE_CHAR,
    make_dir: LANDLOCK_ACCESS_FS_MAKE_DIR,
    make_reg: LANDLOCK_ACCESS_FS_MAKE_REG,
    make_sock: LANDLOCK_ACCESS_FS_MAKE_SOCK,
    make_fifo: LANDLOCK_ACCESS_FS_MAKE_FIFO,
    make_block: LANDLOCK_ACCESS_FS_MAKE_BLOCK,
    make_sym: LANDLOCK_ACCESS_FS_MAKE_SYM,
    refer: LANDLOCK_ACCESS_FS_REFER,
    truncate: LANDLOCK_ACCESS_FS_TRUNCATE,
    ioctl_dev: LANDLOCK_ACCESS_FS_IOCTL_DEV,
    resolve_unix: LANDLOCK_ACCESS_FS_RESOLVE_UNIX,
};
const NET_RIGHTS = {
    bind_tcp: LANDLOCK_ACCESS_NET_BIND_TCP,
    connect_tcp: LANDLOCK_ACCESS_NET_CONNECT_TCP,
};
const SCOPES = {
    abstract_unix_socket: LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET,
    signal: LANDLOCK_SCOPE_SIGNAL,
};
const orAll = (o) => Object.values(o).reduce((a, b) => a | b, 0);
const FS_ALL = orAll(access_FS_RIGHTS);
const NET_ALL = orAll(NET_RIGHTS);
const SCOPE_ALL = orAll(SCOPES);
/** Rights that may appear on a rule whose target is not a directory (the kernel says EINVAL otherwise). */
const FS_FILE_RIGHTS = access_FS_RIGHTS.execute |
    access_FS_RIGHTS.write_file |
    access_FS_RIGHTS.read_file |
    access_FS_RIGHTS.truncate |
    access_FS_RIGHTS.ioctl_dev |
    access_FS_RIGHTS.resolve_unix;
const MAKE_ALL = access_FS_RIGHTS.make_char |
    access_FS_RIGHTS.make_dir |
    access_FS_RIGHTS.make_reg |
    access_FS_RIGHTS.make_sock |
    access_FS_RIGHTS.make_fifo |
    access_FS_RIGHTS.make_block |
    access_FS_RIGHTS.make_sym;
const RW_RIGHTS = access_FS_RIGHTS.read_file |
    access_FS_RIGHTS.write_file |
    access_FS_RIGHTS.truncate |
    access_FS_RIGHTS.ioctl_dev |
    access_FS_RIGHTS.read_dir |
    access_FS_RIGHTS.remove_dir |
    access_FS_RIGHTS.remove_file |
    MAKE_ALL |
    // refer on every writable directory: without it a rename or link between two granted trees fails
    // with EXDEV (the kernel always denies reparenting unless both sides grant refer).
    access_FS_RIGHTS.refer;
/** What each path flag grants. Directory rights are masked off when the target is not a directory. */
const FLAG_RIGHTS = {
    ro: access_FS_RIGHTS.read_file | access_FS_RIGHTS.read_dir,
    rox: access_FS_RIGHTS.read_file | access_FS_RIGHTS.read_dir | access_FS_RIGHTS.execute,
    rw: RW_RIGHTS,
    rwx: RW_RIGHTS | access_FS_RIGHTS.execute,
    unix: access_FS_RIGHTS.resolve_unix,
};
function namesOf(table, mask) {
    return Object.keys(table).filter((k) => (mask & table[k]) !== 0);
}
const fsNames = (mask) => namesOf(access_FS_RIGHTS, mask);
const netNames = (mask) => namesOf(NET_RIGHTS, mask);
const scopeNames = (mask) => namesOf(SCOPES, mask);
function qualifiedNames(cls, mask) {
    const names = cls === 'fs' ? fsNames(mask) : cls === 'net' ? netNames(mask) : scopeNames(mask);
    return names.map((n) => `${cls}.${n}`);
}
function fsMaskOf(names) {
    let m = 0;
    for (const n of names) {
        const v = access_FS_RIGHTS[n];
        if (v === undefined)
            throw new Error(`unknown filesystem right '${n}'`);
        m |= v;
    }
    return m;
}

;// CONCATENATED MODULE: ./src/shared/logger.ts
// The injected logger. The CLI writes to stderr only (stdout belongs to the command); the Action
// maps these levels onto @actions/core.
const LOG_LEVELS = ['error', 'warn', 'info', 'debug'];
function isLogLevel(s) {
    return LOG_LEVELS.includes(s);
}
const rank = (l) => LOG_LEVELS.indexOf(l);
/** A logger writing `[landrun] level: message` lines through `write`. */
function createLineLogger(level, write, prefix = '[landrun]') {
    const at = (l) => (msg) => {
        if (rank(l) > rank(level))
            return;
        for (const line of msg.split('\n'))
            write(`${prefix} ${l}: ${line}\n`);
    };
    return {
        level,
        error: at('error'),
        warn: at('warn'),
        info: at('info'),
        debug: at('debug'),
        enabled: (l) => rank(l) <= rank(level),
    };
}
const silentLogger = createLineLogger('error', () => undefined);

;// CONCATENATED MODULE: ./src/landlock/plan.ts
// The RulesetPlan: the single contract between deciding (policy, compat) and enforcing (launchers).

/** True when the plan asks the kernel for a Landlock domain at all. */
function usesLandlock(plan) {
    return plan.handledFs !== 0 || plan.handledNet !== 0 || plan.scoped !== 0;
}
/**
 * Effective filesystem rights on a path under a single-layer plan: the union of every rule whose
 * target is the path or one of its ancestors (Landlock accumulates rights down the hierarchy),
 * plus every right the plan does not handle (those are never denied). `realPath` must be
 * resolved. Returns undefined when the filesystem is not restricted at all.
 */
function plan_effectiveFsAccess(plan, realPath) {
    if (plan.handledFs === 0)
        return undefined;
    let access = 0;
    for (const r of plan.pathRules) {
        if (plan_isBeneath(realPath, r.realPath))
            access |= r.access;
    }
    return (access & plan.handledFs) | (FS_ALL & ~plan.handledFs);
}
/** The rules that contribute to a path's rights, for messages. */
function rulesCovering(plan, realPath) {
    return plan.pathRules.filter((r) => plan_isBeneath(realPath, r.realPath));
}
function plan_isBeneath(path, root) {
    if (root === '/')
        return path.startsWith('/');
    return path === root || path.startsWith(root + '/');
}

;// CONCATENATED MODULE: ./src/sandbox/elf.ts
// A small ELF reader and a model of glibc's library search, so --ldd can grant exactly what the
// dynamic loader will open without running ldd (which executes the loader on the target, and
// may be denied or misleading inside a sandbox). Little-endian only: x86_64, aarch64, i386, arm.


const ET_EXEC = 2;
const ET_DYN = 3;
const EM_386 = 3;
const EM_ARM = 40;
const EM_X86_64 = 62;
const EM_AARCH64 = 183;
const EM_RISCV = 243;
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
const DF_1_NODEFLIB = 0x800;
/** Escape count in e_phnum: the real number is in sh_info of section header 0. */
const PN_XNUM = 0xffff;
// Sanity caps so that a corrupt header cannot make us allocate huge buffers.
const MAX_INTERP_BYTES = 4096;
const MAX_DYNAMIC_BYTES = 1 << 20;
const MAX_STRING_BYTES = 1 << 16;
/** The file starts like an ELF file but its headers are inconsistent or cut short. */
class ElfFormatError extends Error {
    file;
    name = 'ElfFormatError';
    constructor(file, detail) {
        super(`${file}: malformed ELF file: ${detail}`);
        this.file = file;
    }
}
/** Positioned reads with bounds checks against the size seen at open time. */
class FileWindow {
    file;
    fd;
    size;
    constructor(file, fd, size) {
        this.file = file;
        this.fd = fd;
        this.size = size;
    }
    read(offset, length, what) {
        if (offset < 0 || length < 0 || offset + length > this.size) {
            throw new ElfFormatError(this.file, `${what} (${length} bytes at offset ${offset}) lies beyond the end of the file (${this.size} bytes): truncated?`);
        }
        const buf = Buffer.alloc(length);
        let done = 0;
        while (done < length) {
            const n = (0,external_node_fs_namespaceObject.readSync)(this.fd, buf, done, length - done, offset + done);
            if (n === 0)
                throw new ElfFormatError(this.file, `${what}: file shrank while being read`);
            done += n;
        }
        return buf;
    }
    /** A NUL-terminated string starting at `offset` that must end before `limit`. Reads in small chunks. */
    cString(offset, limit, what) {
        const end = Math.min(limit, this.size, offset + MAX_STRING_BYTES);
        const parts = [];
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
function toOffset(v, file, what) {
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
        throw new ElfFormatError(file, `${what} is out of range`);
    return Number(v);
}
function splitPathList(s) {
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
function readElf(path) {
    const fd = (0,external_node_fs_namespaceObject.openSync)(path, 'r');
    try {
        return readElfFd(new FileWindow(path, fd, (0,external_node_fs_namespaceObject.fstatSync)(fd).size));
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
    }
}
/**
 * Only PT_INTERP, from one 4 KiB read: the exec check runs before every sandboxed command, and
 * the program headers of real binaries sit right after the ELF header. Falls back to readElf
 * when they do not. Returns undefined for non-ELF files and static binaries.
 */
function readInterpreter(path) {
    const fd = (0,external_node_fs_namespaceObject.openSync)(path, 'r');
    let head;
    try {
        head = Buffer.alloc(4096);
        head = head.subarray(0, (0,external_node_fs_namespaceObject.readSync)(fd, head, 0, head.length, 0));
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
    }
    if (head.length < 64 || head.readUInt32BE(0) !== 0x7f454c46 || head[5] !== 1) {
        return head.length >= 4 && head.readUInt32BE(0) === 0x7f454c46 ? readElf(path)?.interpreter : undefined;
    }
    const is64 = head[4] === 2;
    const phoff = is64 ? Number(head.readBigUInt64LE(32)) : head.readUInt32LE(28);
    const phentsize = head.readUInt16LE(is64 ? 54 : 42);
    const phnum = head.readUInt16LE(is64 ? 56 : 44);
    if (phnum === PN_XNUM || phoff + phnum * phentsize > head.length)
        return readElf(path)?.interpreter;
    for (let i = 0; i < phnum; i++) {
        const o = phoff + i * phentsize;
        if (head.readUInt32LE(o) !== PT_INTERP)
            continue;
        const off = is64 ? Number(head.readBigUInt64LE(o + 8)) : head.readUInt32LE(o + 4);
        const size = is64 ? Number(head.readBigUInt64LE(o + 32)) : head.readUInt32LE(o + 16);
        if (off + size > head.length)
            return readElf(path)?.interpreter;
        const end = head.indexOf(0, off);
        return head.toString('latin1', off, end >= off && end < off + size ? end : off + size);
    }
    return undefined;
}
function readElfFd(w) {
    const file = w.file;
    if (w.size < 4)
        return null;
    const ident = w.read(0, Math.min(w.size, 16), 'e_ident');
    if (ident[0] !== 0x7f || ident[1] !== 0x45 || ident[2] !== 0x4c || ident[3] !== 0x46)
        return null;
    if (ident.length < 16)
        throw new ElfFormatError(file, 'e_ident is truncated');
    const classByte = ident[4];
    if (classByte !== 1 && classByte !== 2)
        throw new ElfFormatError(file, `unknown ELF class ${String(classByte)}`);
    const elfClass = classByte === 2 ? 64 : 32;
    const dataByte = ident[5];
    if (dataByte === 2)
        throw new ElfFormatError(file, 'big-endian ELF files are not supported');
    if (dataByte !== 1)
        throw new ElfFormatError(file, `unknown ELF data encoding ${String(dataByte)}`);
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
    const segments = [];
    if (phnum > 0) {
        const minEntry = is64 ? 56 : 32;
        if (phentsize < minEntry)
            throw new ElfFormatError(file, `e_phentsize ${phentsize} is too small`);
        const table = w.read(phoff, phnum * phentsize, 'program header table');
        for (let i = 0; i < phnum; i++) {
            const o = i * phentsize;
            segments.push(is64
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
                });
        }
    }
    let interpreter;
    const interpSeg = segments.find((s) => s.type === PT_INTERP);
    if (interpSeg !== undefined) {
        const len = toOffset(interpSeg.filesz, file, 'PT_INTERP size');
        if (len > MAX_INTERP_BYTES)
            throw new ElfFormatError(file, `PT_INTERP is ${len} bytes long`);
        const raw = w.read(toOffset(interpSeg.offset, file, 'PT_INTERP offset'), len, 'PT_INTERP');
        const nul = raw.indexOf(0);
        interpreter = raw.subarray(0, nul >= 0 ? nul : raw.length).toString('utf8');
    }
    const base = { elfClass, machine, type, ...(interpreter !== undefined ? { interpreter } : {}) };
    const dynSeg = segments.find((s) => s.type === PT_DYNAMIC);
    if (dynSeg === undefined)
        return { ...base, needed: [], rpath: [], runpath: [] };
    const dynLen = toOffset(dynSeg.filesz, file, 'PT_DYNAMIC size');
    if (dynLen > MAX_DYNAMIC_BYTES)
        throw new ElfFormatError(file, `PT_DYNAMIC is ${dynLen} bytes long`);
    const dyn = w.read(toOffset(dynSeg.offset, file, 'PT_DYNAMIC offset'), dynLen, 'dynamic segment');
    const entrySize = is64 ? 16 : 8;
    const neededOffsets = [];
    // Like ld.so, the last occurrence of a single-valued tag wins.
    let strtab;
    let strsz;
    let soname;
    let rpath;
    let runpath;
    let flags1;
    for (let o = 0; o + entrySize <= dyn.length; o += entrySize) {
        const tag = is64 ? Number(dyn.readBigInt64LE(o)) : dyn.readInt32LE(o);
        if (tag === DT_NULL)
            break;
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
    let str = (_off) => '';
    if (wantsStrings) {
        if (strtab === undefined)
            throw new ElfFormatError(file, 'dynamic segment has strings but no DT_STRTAB');
        const addr = strtab;
        // DT_STRTAB is a virtual address; the PT_LOAD segment containing it gives the file offset.
        const load = segments.find((s) => s.type === PT_LOAD && s.vaddr <= addr && addr < s.vaddr + s.filesz);
        if (load === undefined)
            throw new ElfFormatError(file, 'DT_STRTAB is not inside any PT_LOAD segment');
        const tableStart = load.offset + (addr - load.vaddr);
        let tableEnd = load.offset + load.filesz;
        if (strsz !== undefined && tableStart + strsz < tableEnd)
            tableEnd = tableStart + strsz;
        const start = toOffset(tableStart, file, 'string table offset');
        const end = toOffset(tableEnd, file, 'string table end');
        str = (off) => {
            if (off >= BigInt(end - start))
                throw new ElfFormatError(file, `string offset ${off} is outside the dynamic string table`);
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
const FLAG_ELF = 0x0001;
const FLAG_ELF_LIBC6 = 0x0003;
const FLAG_TYPE_MASK = 0x00ff;
const FLAG_REQUIRED_MASK = 0xff00;
const FLAG_X8664_LIB64 = 0x0300;
const FLAG_POWERPC_LIB64 = 0x0500;
const FLAG_X8664_LIBX32 = 0x0800;
const FLAG_ARM_LIBHF = 0x0900;
const FLAG_AARCH64_LIB64 = 0x0a00;
const FLAG_ARM_LIBSF = 0x0b00;
const FLAG_RISCV_FLOAT_ABI_SOFT = 0x0f00;
const FLAG_RISCV_FLOAT_ABI_DOUBLE = 0x1000;
const DEFAULT_LD_SO_CACHE = '/etc/ld.so.cache';
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
function readLdSoCache(path = DEFAULT_LD_SO_CACHE) {
    let buf;
    try {
        buf = readFileSync(path);
    }
    catch {
        return [];
    }
    const start = findNewCacheHeader(buf);
    if (start === undefined || start + NEW_HEADER_SIZE > buf.length)
        return [];
    const nlibs = buf.readUInt32LE(start + 20);
    const endian = (buf[start + 28] ?? 0) & 3;
    // 0 = written by an old ldconfig (native order), 2 = little-endian; 1 invalid, 3 big-endian.
    if (endian !== 0 && endian !== 2)
        return [];
    const entriesStart = start + NEW_HEADER_SIZE;
    if (entriesStart + nlibs * NEW_ENTRY_SIZE > buf.length)
        return [];
    const stringAt = (off) => {
        const at = start + off;
        if (at >= buf.length)
            return undefined;
        const nul = buf.indexOf(0, at);
        return nul < 0 ? undefined : buf.toString('utf8', at, nul);
    };
    const out = [];
    for (let i = 0; i < nlibs; i++) {
        const o = entriesStart + i * NEW_ENTRY_SIZE;
        const name = stringAt(buf.readUInt32LE(o + 4));
        const libPath = stringAt(buf.readUInt32LE(o + 8));
        if (name === undefined || libPath === undefined)
            continue;
        out.push({ name, path: libPath, flags: buf.readInt32LE(o), hwcap: buf.readBigUInt64LE(o + 16) });
    }
    return out;
}
function findNewCacheHeader(buf) {
    const hasMagicAt = (at, magic) => at + magic.length <= buf.length && buf.toString('latin1', at, at + magic.length) === magic;
    if (hasMagicAt(0, NEW_MAGIC))
        return 0;
    if (!hasMagicAt(0, OLD_MAGIC) || buf.length < 16)
        return undefined;
    // Old header: 11 magic bytes, u32 nlibs at 12, then 12-byte entries; the new header follows,
    // aligned to the new struct's alignment (8 on 64-bit builds, 4 on some 32-bit ones).
    const oldEnd = 16 + buf.readUInt32LE(12) * OLD_ENTRY_SIZE;
    for (const align of [8, 4]) {
        const at = Math.ceil(oldEnd / align) * align;
        if (hasMagicAt(at, NEW_MAGIC))
            return at;
    }
    return undefined;
}
/** Cache entry flags ld.so accepts for an object of this class and machine; undefined = unknown arch. */
function acceptedCacheFlags(elfClass, machine) {
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
function multiarchTriplets(elfClass, machine) {
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
function platformOf(elfClass, machine) {
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
// $NAME must not run on into an identifier character; ${NAME} is always a token.
const DST_RE = /\$(?:\{(ORIGIN|LIB|PLATFORM)\}|(ORIGIN|LIB|PLATFORM)(?![A-Za-z0-9_]))/g;
/**
 * Expands $ORIGIN, $LIB and $PLATFORM (bare or braced) in one RPATH/RUNPATH/DT_NEEDED entry.
 * Returns one string per $LIB candidate (a single one when $LIB is absent); [] when $PLATFORM is
 * used but unknown. Unknown $NAMEs are left as they are, like ld.so does.
 */
function expandDynamicStringTokens(entry, ctx) {
    if (!entry.includes('$'))
        return [entry];
    let usesLib = false;
    let usesPlatform = false;
    for (const m of entry.matchAll(DST_RE)) {
        const token = m[1] ?? m[2];
        if (token === 'LIB')
            usesLib = true;
        if (token === 'PLATFORM')
            usesPlatform = true;
    }
    if (usesPlatform && ctx.platform === undefined)
        return [];
    const libs = usesLib ? ctx.lib : [''];
    const out = [];
    for (const lib of libs) {
        const s = entry.replace(DST_RE, (_m, braced, bare) => {
            const token = braced ?? bare;
            if (token === 'ORIGIN')
                return ctx.origin;
            if (token === 'LIB')
                return lib;
            return ctx.platform ?? '';
        });
        if (!out.includes(s))
            out.push(s);
    }
    return out;
}
/**
 * Expands $ORIGIN/${ORIGIN} to originDir, $LIB/${LIB} to "lib64" or "lib" by class and
 * $PLATFORM to the platform of `machine` (default: the host's). The single-answer form of
 * expandDynamicStringTokens, which also tries lib/<triplet> for $LIB on multiarch systems.
 */
function expandOrigin(entry, originDir, elfClass, machine = hostMachine()) {
    const [first] = expandDynamicStringTokens(entry, {
        origin: originDir,
        lib: [elfClass === 64 ? 'lib64' : 'lib'],
        platform: platformOf(elfClass, machine),
    });
    return first ?? entry;
}
function hostMachine() {
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
function isDirectory(p) {
    try {
        return statSync(p).isDirectory();
    }
    catch {
        return false;
    }
}
/** The directories ld.so searches last, for an object of this class and machine. */
function defaultLibraryDirs(elfClass, machine) {
    const dirs = [];
    for (const t of multiarchTriplets(elfClass, machine))
        dirs.push(`/lib/${t}`, `/usr/lib/${t}`);
    if (elfClass === 64)
        dirs.push('/lib64', '/usr/lib64');
    dirs.push('/lib', '/usr/lib');
    return dirs;
}
/** Values of $LIB to try: Debian's glibc uses lib/<triplet>, others lib64 or lib. */
function libTokenValues(elfClass, machine) {
    const plain = elfClass === 64 ? 'lib64' : 'lib';
    const multiarch = multiarchTriplets(elfClass, machine).map((t) => `lib/${t}`);
    const isMultiarchHost = multiarch.some((m) => isDirectory(`/usr/${m}`));
    return isMultiarchHost ? [...multiarch, plain] : [plain, ...multiarch];
}
/** `p` made absolute against cwd without lexical '..' folding (the kernel resolves those). */
function absolutize(p, cwd) {
    if (p.startsWith('/'))
        return p;
    return p === '' ? cwd : `${cwd.replace(/\/+$/, '')}/${p}`;
}
/**
 * Drops '//' and '/./'; a path with '..' gets its directory realpath'd, because folding '..'
 * lexically would be wrong after a symlink. The final component stays as found.
 */
function tidyPath(p) {
    const collapsed = p.replace(/\/{2,}/g, '/').replace(/(?:\/\.)+(?=\/|$)/g, '') || '/';
    if (!/(?:^|\/)\.\.(?:\/|$)/.test(collapsed))
        return collapsed;
    try {
        return join(realpathSync(dirname(collapsed)), basename(collapsed));
    }
    catch {
        return collapsed;
    }
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
function elf_resolveLoadDeps(binary, opts = {}) {
    const cwd = opts.cwd ?? process.cwd();
    const binaryPath = absolutize(binary, cwd);
    const main = readElf(binaryPath);
    if (main === null)
        return { libraries: [], missing: [] };
    const { elfClass, machine } = main;
    const libValues = libTokenValues(elfClass, machine);
    const platform = platformOf(elfClass, machine);
    const defaultDirs = defaultLibraryDirs(elfClass, machine);
    const dstFor = (origin) => ({ origin, lib: libValues, platform });
    const loadedByName = new Map();
    const loadedByFile = new Map();
    const candidateCache = new Map();
    const libraries = [];
    const missing = [];
    const fileKey = (p) => {
        try {
            const st = statSync(p);
            return `${st.dev}:${st.ino}`;
        }
        catch {
            return undefined;
        }
    };
    const register = (obj, names) => {
        for (const n of names)
            if (n !== undefined && n !== '' && !loadedByName.has(n))
                loadedByName.set(n, obj);
        const key = fileKey(obj.path);
        if (key !== undefined && !loadedByFile.has(key))
            loadedByFile.set(key, obj);
    };
    /** The ELF info of a usable candidate, null if ld.so would pass over it. */
    const probe = (p) => {
        const cached = candidateCache.get(p);
        if (cached !== undefined)
            return cached;
        const i = isFile(p) ? tryReadElf(p) : null;
        const info = i !== null && i.elfClass === elfClass && i.machine === machine ? i : null;
        candidateCache.set(p, info);
        return info;
    };
    const listDirs = (entries, origin) => {
        const dirs = [];
        for (const entry of entries) {
            // An empty element means the current directory, a long-standing ld.so behaviour.
            const expanded = entry === '' ? [cwd] : expandDynamicStringTokens(entry, dstFor(origin));
            for (const e of expanded) {
                if (e === '')
                    continue;
                const trimmed = e.length > 1 ? e.replace(/\/+$/, '') || '/' : e;
                dirs.push(absolutize(trimmed, cwd));
            }
        }
        return dirs;
    };
    const mainObj = {
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
        const interpObj = {
            path: interpPath,
            info: interpInfo ?? main,
            origin: dirname(interpPath),
            loader: undefined,
        };
        register(interpObj, [interpreter, interpPath, interpInfo?.soname]);
    }
    const rpathDirsOf = (o) => (o.rpathDirs ??= listDirs(o.info.rpath, o.origin));
    const runpathDirsOf = (o) => (o.runpathDirs ??= listDirs(o.info.runpath, o.origin));
    const ldLibraryPath = opts.env?.LD_LIBRARY_PATH;
    // An empty LD_LIBRARY_PATH is ignored entirely; empty elements of a non-empty one mean cwd.
    const envDirs = ldLibraryPath === undefined || ldLibraryPath === '' ? [] : listDirs(ldLibraryPath.split(/[:;]/), mainObj.origin);
    let cacheIndex;
    const cacheLookup = (name) => {
        if (cacheIndex === undefined) {
            cacheIndex = new Map();
            for (const e of readLdSoCache(opts.ldSoCache ?? DEFAULT_LD_SO_CACHE)) {
                const list = cacheIndex.get(e.name);
                if (list === undefined)
                    cacheIndex.set(e.name, [e]);
                else
                    list.push(e);
            }
        }
        const accepted = acceptedCacheFlags(elfClass, machine);
        const fits = (cacheIndex.get(name) ?? []).filter((e) => accepted === undefined || accepted.includes(e.flags));
        return (fits.find((e) => e.hwcap === 0n) ?? fits[0])?.path;
    };
    const inDirs = (name, dirs) => {
        for (const d of dirs) {
            const candidate = tidyPath(`${d === '/' ? '' : d}/${name}`);
            if (probe(candidate) !== null)
                return candidate;
        }
        return undefined;
    };
    const search = (name, loader) => {
        if (loader.info.runpath.length === 0) {
            let sawMain = false;
            for (let l = loader; l !== undefined; l = l.loader) {
                if (l.info.rpath.length === 0)
                    continue;
                const hit = inDirs(name, rpathDirsOf(l));
                if (hit !== undefined)
                    return hit;
                if (l === mainObj)
                    sawMain = true;
            }
            if (!sawMain && main.rpath.length > 0) {
                const hit = inDirs(name, rpathDirsOf(mainObj));
                if (hit !== undefined)
                    return hit;
            }
        }
        const fromEnv = inDirs(name, envDirs);
        if (fromEnv !== undefined)
            return fromEnv;
        const fromRunpath = inDirs(name, runpathDirsOf(loader));
        if (fromRunpath !== undefined)
            return fromRunpath;
        const nodeflib = ((loader.info.flags1 ?? 0) & DF_1_NODEFLIB) !== 0;
        const cached = cacheLookup(name);
        if (cached !== undefined &&
            !(nodeflib && defaultDirs.some((d) => cached.startsWith(`${d}/`))) &&
            probe(cached) !== null) {
            return cached;
        }
        return nodeflib ? undefined : inDirs(name, defaultDirs);
    };
    const locate = (name, loader) => {
        const names = name.includes('$') ? expandDynamicStringTokens(name, dstFor(loader.origin)) : [name];
        for (const n of names) {
            if (n.includes('/')) {
                const p = tidyPath(absolutize(n, cwd));
                if (probe(p) !== null)
                    return p;
            }
            else {
                const p = search(n, loader);
                if (p !== undefined)
                    return p;
            }
        }
        return undefined;
    };
    // Breadth-first, like _dl_map_object_deps: the executable's DT_NEEDED in order, then each
    // newly loaded object's in the order the objects were loaded.
    const queue = [mainObj];
    for (let i = 0; i < queue.length; i++) {
        const obj = queue[i];
        if (obj === undefined)
            break;
        for (const name of obj.info.needed) {
            if (loadedByName.has(name))
                continue;
            const found = locate(name, obj);
            if (found === undefined) {
                if (!missing.includes(name))
                    missing.push(name);
                continue;
            }
            const key = fileKey(found);
            const same = (key !== undefined ? loadedByFile.get(key) : undefined) ?? loadedByName.get(found);
            if (same !== undefined) {
                loadedByName.set(name, same);
                continue;
            }
            const info = probe(found);
            if (info === null)
                continue;
            const lib = { path: found, info, origin: dirname(found), loader: obj };
            register(lib, [name, found, info.soname]);
            libraries.push(found);
            queue.push(lib);
        }
    }
    return { ...(interpreter !== undefined ? { interpreter } : {}), libraries, missing };
}
function tryReadElf(p) {
    try {
        return readElf(p);
    }
    catch {
        return null;
    }
}
function isFile(p) {
    try {
        return statSync(p).isFile();
    }
    catch {
        return false;
    }
}
function safeRealpath(p) {
    try {
        return realpathSync(p);
    }
    catch {
        return p;
    }
}

;// CONCATENATED MODULE: ./src/sandbox/command.ts
// Resolving the command before the sandbox exists (afterwards the lookup itself may be denied),
// and checking that the kernel will let it start: the program, its ELF interpreter (which the
// kernel opens for execution too) and a script's #! interpreter all need fs.execute + fs.read_file.






const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';
/** execvp-like lookup in the caller's PATH. Not found: 127; found but not executable: 126. */
function resolveCommand(name, pathEnv, cwd) {
    const candidates = name.includes('/')
        ? [(0,external_node_path_namespaceObject.isAbsolute)(name) ? name : (0,external_node_path_namespaceObject.resolve)(cwd, name)]
        : (pathEnv ?? DEFAULT_PATH).split(external_node_path_namespaceObject.delimiter).map((d) => (0,external_node_path_namespaceObject.resolve)(cwd, d === '' ? '.' : d, name));
    let notExecutable;
    for (const c of candidates) {
        let st;
        try {
            st = (0,external_node_fs_namespaceObject.statSync)(c);
        }
        catch {
            continue;
        }
        if (!st.isFile()) {
            notExecutable ??= c;
            continue;
        }
        try {
            (0,external_node_fs_namespaceObject.accessSync)(c, external_node_fs_namespaceObject.constants.X_OK);
        }
        catch {
            notExecutable ??= c;
            continue;
        }
        return { name, path: c, realPath: (0,external_node_fs_namespaceObject.realpathSync)(c) };
    }
    if (notExecutable)
        throw new ExecError(`cannot execute '${name}': ${notExecutable} is not an executable file`, 126);
    throw new ExecError(name.includes('/')
        ? `command not found: '${name}' does not exist`
        : `command not found: '${name}' is not in PATH (${pathEnv ?? `unset, searched ${DEFAULT_PATH}`})`, 127);
}
const MAX_SCRIPT_DEPTH = 4; // the kernel allows a few levels of #! chaining (BINPRM_MAX_RECURSION)
/** Every file the kernel opens for execution when it starts `cmd`. */
function execChain(cmd) {
    const steps = [{ role: 'command', path: cmd.path, realPath: cmd.realPath }];
    let current = steps[0];
    for (let depth = 0; depth <= MAX_SCRIPT_DEPTH; depth++) {
        const shebang = readShebang(current.realPath);
        if (shebang) {
            const path = (0,external_node_path_namespaceObject.isAbsolute)(shebang) ? shebang : (0,external_node_path_namespaceObject.resolve)((0,external_node_path_namespaceObject.dirname)(current.realPath), shebang);
            const realPath = realpathOrUndefined(path);
            if (realPath === undefined)
                break; // the kernel will report ENOENT itself
            current = { role: 'script interpreter', path, realPath, neededBy: current.path };
            steps.push(current);
            continue;
        }
        const interp = elfInterpreter(current.realPath);
        if (interp) {
            // a missing interpreter is the kernel's ENOENT to report
            const realPath = realpathOrUndefined(interp) ?? interp;
            steps.push({ role: 'ELF interpreter', path: interp, realPath, neededBy: current.path });
        }
        break;
    }
    return steps;
}
function realpathOrUndefined(path) {
    try {
        return (0,external_node_fs_namespaceObject.realpathSync)(path);
    }
    catch {
        return undefined;
    }
}
function elfInterpreter(path) {
    try {
        return readInterpreter(path);
    }
    catch {
        return undefined; // unreadable or malformed: the kernel will say why at execve
    }
}
/** The interpreter of a `#!` script, or undefined. */
function readShebang(path) {
    let fd;
    try {
        fd = (0,external_node_fs_namespaceObject.openSync)(path, 'r');
        const buf = Buffer.alloc(256);
        const n = (0,external_node_fs_namespaceObject.readSync)(fd, buf, 0, 256, 0);
        if (n < 3 || buf[0] !== 0x23 || buf[1] !== 0x21)
            return undefined;
        const line = buf.subarray(2, n).toString('utf8').split('\n')[0] ?? '';
        const interp = line.trim().split(/[ \t]+/)[0];
        return interp ? interp : undefined;
    }
    catch {
        return undefined;
    }
    finally {
        if (fd !== undefined)
            (0,external_node_fs_namespaceObject.closeSync)(fd);
    }
}
const EXEC_NEEDS = access_FS_RIGHTS.execute | access_FS_RIGHTS.read_file;
/** Throws ExecError(126) naming the first file in the chain the policy will not let the kernel execute. */
function checkExecChain(plan, chain) {
    for (const step of chain) {
        const access = plan_effectiveFsAccess(plan, step.realPath);
        if (access === undefined)
            return; // filesystem not restricted
        const missing = EXEC_NEEDS & plan.handledFs & ~access;
        if (missing === 0)
            continue;
        throw new ExecError(execDeniedMessage(plan, chain, step, access & plan.handledFs), 126);
    }
}
function execDeniedMessage(plan, chain, step, access) {
    const cmd = chain[0];
    const shown = step.realPath !== step.path ? `${step.path} (-> ${step.realPath})` : step.path;
    const what = step.role === 'command'
        ? `cannot execute ${shown}: it`
        : `cannot execute ${cmd.path}: its ${step.role} ${shown}, which the kernel executes to start ${step.neededBy ?? cmd.path},`;
    const covering = rulesCovering(plan, step.realPath);
    const granted = access === 0
        ? 'no rule grants anything on it'
        : `it is only granted ${fsNames(access).join(', ')} (by ${covering.map((r) => r.sources.join(', ')).join('; ')})`;
    const fixes = [`--rox ${step.realPath}`];
    const roSources = covering.flatMap((r) => r.sources).filter((s) => s.startsWith('--ro ') || s.startsWith('--rw '));
    for (const s of roSources)
        fixes.push(`${s.startsWith('--ro ') ? '--rox' : '--rwx'} ${s.slice(s.indexOf(' ') + 1)} instead of ${s}`);
    fixes.push('--add-exec');
    return `${what} is not executable under the policy: ${granted}. Allow it with ${fixes.join(', or ')}.`;
}
/**
 * Shared libraries the dynamic loader will not be able to read under the plan. Only a warning:
 * the loader may find them elsewhere (LD_LIBRARY_PATH, dlopen), but its own error ("cannot open
 * shared object file") does not say that the sandbox is the reason.
 */
function unreadableLibraries(plan, chain) {
    if (plan.handledFs === 0)
        return [];
    // Fast path (this runs before every command): when the loader's own directory, where the
    // system libraries live, is readable, resolving every library is not worth its milliseconds.
    const loader = chain.find((s) => s.role === 'ELF interpreter');
    if (loader && ((effectiveFsAccess(plan, `${dirname(loader.realPath)}/libc.so.6`) ?? 0) & FS_RIGHTS.read_file) !== 0)
        return [];
    const out = [];
    for (const step of chain) {
        if (step.role === 'ELF interpreter' || !elfInterpreter(step.realPath))
            continue;
        let libs;
        try {
            libs = resolveLoadDeps(step.realPath).libraries;
        }
        catch {
            continue;
        }
        for (const lib of libs) {
            const real = realpathOrUndefined(lib) ?? lib;
            const access = effectiveFsAccess(plan, real) ?? FS_RIGHTS.read_file;
            if ((access & FS_RIGHTS.read_file) === 0 && !out.includes(real))
                out.push(real);
        }
    }
    return out;
}

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: ./src/sandbox/run.ts
// Running a command under a plan from a process that must outlive it (the Action, landrun-shell):
// spawn the launcher with the plan on fd 3, let output stream straight through, forward
// cancellation to the sandbox's process group, and when the command ends kill everything it left
// behind — the runner only reaps orphans at the end of the job, so a background process could
// otherwise keep running (and write file-command files) during later steps.


const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGSYS: 31 };
async function runSandboxed(opts) {
    opts.becomeSubreaper?.();
    const before = new Set(descendants(process.pid));
    const started = Date.now();
    const args = opts.node ? [opts.launcher, '--plan-fd', '3', '--', ...opts.argv] : ['--plan-fd', '3', '--', ...opts.argv];
    const child = (0,external_node_child_process_namespaceObject.spawn)(opts.node || opts.launcher, args, {
        cwd: opts.cwd,
        env: opts.env,
        stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
        detached: true, // its own process group, so cancellation reaches the whole tree
    });
    const planPipe = child.stdio[3];
    planPipe?.on('error', () => undefined); // the launcher may die before reading it; its status tells
    planPipe?.end(Buffer.from(opts.plan));
    const forward = (sig) => () => {
        if (child.pid !== undefined) {
            try {
                process.kill(-child.pid, sig);
            }
            catch {
                // the group is gone already
            }
        }
    };
    const handlers = ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => [s, forward(s)]);
    for (const [s, h] of handlers)
        process.on(s, h);
    const { code, signal } = await new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (c, s) => resolve({ code: c, signal: s }));
    });
    for (const [s, h] of handlers)
        process.off(s, h);
    const durationMs = Date.now() - started;
    const leftovers = await killLeftovers(child.pid, before);
    return {
        exitCode: code ?? 128 + (signal ? (SIGNALS[signal] ?? 0) : 0),
        signal,
        durationMs,
        leftovers,
    };
}
/** Kills the process group and every descendant that appeared since `before`; returns how many. */
async function killLeftovers(groupLeader, before) {
    const killed = new Set();
    for (let round = 0; round < 50; round++) {
        // Look before killing the group, so that its members are counted too.
        const victims = descendants(process.pid).filter((p) => !before.has(p) && !isZombie(p));
        if (groupLeader !== undefined) {
            try {
                process.kill(-groupLeader, 'SIGKILL');
            }
            catch {
                // no group left
            }
        }
        if (victims.length === 0)
            break;
        for (const p of victims) {
            try {
                process.kill(p, 'SIGKILL');
            }
            catch {
                // gone meanwhile (the group kill got it)
            }
            killed.add(p);
        }
        await new Promise((r) => setTimeout(r, 20));
    }
    return killed.size;
}
function readStat(pid) {
    try {
        const s = (0,external_node_fs_namespaceObject.readFileSync)(`/proc/${pid}/stat`, 'utf8');
        const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
        return { state: rest[0] ?? '?', ppid: Number(rest[1]) };
    }
    catch {
        return undefined;
    }
}
function isZombie(pid) {
    return readStat(pid)?.state === 'Z';
}
/** All live descendants of `root`, from /proc. */
function descendants(root) {
    const children = new Map();
    for (const name of (0,external_node_fs_namespaceObject.readdirSync)('/proc')) {
        if (!/^\d+$/.test(name))
            continue;
        const pid = Number(name);
        const st = readStat(pid);
        if (!st)
            continue;
        const list = children.get(st.ppid) ?? [];
        list.push(pid);
        children.set(st.ppid, list);
    }
    const out = [];
    const stack = [...(children.get(root) ?? [])];
    while (stack.length) {
        const p = stack.pop();
        out.push(p);
        stack.push(...(children.get(p) ?? []));
    }
    return out;
}

;// CONCATENATED MODULE: ./src/sandbox/wire.ts
const WIRE_MAGIC = 'landrun-plan';
const WIRE_VERSION = 1;
class WireError extends Error {
    name = 'WireError';
}
function wire_encodePlan(plan, exec) {
    const f = [WIRE_MAGIC, String(WIRE_VERSION)];
    const kv = (k, v) => {
        f.push(k, String(v));
    };
    kv('abi', plan.abi);
    kv('fs', plan.handledFs);
    kv('net', plan.handledNet);
    kv('scoped', plan.scoped);
    kv('restrict', plan.restrictFlags);
    kv('seccomp', plan.seccomp ? plan.seccomp.inet : 'off');
    kv('unix', plan.seccomp ? plan.seccomp.unix : 'all');
    kv('caps', plan.dropCapabilities ? 'drop' : 'keep');
    // The resolved path: what was checked at compile time is what gets opened, even if a symlink on
    // the way is swapped in between.
    for (const r of plan.pathRules)
        f.push('path', String(r.access), r.kind === 'dir' ? 'd' : 'f', r.realPath);
    for (const r of plan.netRules)
        f.push('port', String(r.access), String(r.port));
    if (exec) {
        f.push('exec', exec.path);
        for (const a of exec.argv)
            f.push('arg', a);
        for (const e of exec.env)
            f.push('env', e);
    }
    f.push('end');
    for (const s of f)
        if (s.includes('\0'))
            throw new WireError('a plan field contains a NUL byte');
    return Buffer.from(f.map((s) => `${s}\0`).join(''), 'utf8');
}
function decodePlan(buf) {
    const text = Buffer.from(buf).toString('utf8');
    if (!text.endsWith('\0'))
        throw new WireError('truncated plan: it does not end with a NUL');
    const fields = text.slice(0, -1).split('\0');
    let i = 0;
    const next = (what) => {
        const v = fields[i++];
        if (v === undefined)
            throw new WireError(`truncated plan: expected ${what}`);
        return v;
    };
    const num = (what, max) => {
        const v = next(what);
        if (!/^\d+$/.test(v) || Number(v) > max)
            throw new WireError(`bad ${what} '${v}'`);
        return Number(v);
    };
    if (next('magic') !== WIRE_MAGIC)
        throw new WireError('not a landrun plan');
    const version = num('version', 1000);
    if (version !== WIRE_VERSION)
        throw new WireError(`unsupported plan version ${version} (this launcher reads ${WIRE_VERSION})`);
    let abi = -1;
    let fs = 0;
    let net = 0;
    let scoped = 0;
    let restrict = 0;
    let inet = 'off';
    let unix = 'all';
    let caps = true;
    const pathRules = [];
    const netRules = [];
    let execPath;
    const argv = [];
    const env = [];
    const MASK = 2 ** 32 - 1;
    for (;;) {
        const key = next('a record');
        if (key === 'end')
            break;
        switch (key) {
            case 'abi':
                abi = num('abi', 1000);
                break;
            case 'fs':
                fs = num('fs mask', MASK);
                break;
            case 'net':
                net = num('net mask', MASK);
                break;
            case 'scoped':
                scoped = num('scoped mask', MASK);
                break;
            case 'restrict':
                restrict = num('restrict flags', MASK);
                break;
            case 'seccomp': {
                const v = next('seccomp profile');
                if (v !== 'off' && v !== 'tcp' && v !== 'none')
                    throw new WireError(`bad seccomp profile '${v}'`);
                inet = v;
                break;
            }
            case 'unix': {
                const v = next('unix profile');
                if (v !== 'all' && v !== 'socketpair')
                    throw new WireError(`bad unix profile '${v}'`);
                unix = v;
                break;
            }
            case 'caps': {
                const v = next('caps');
                if (v !== 'drop' && v !== 'keep')
                    throw new WireError(`bad caps '${v}'`);
                caps = v === 'drop';
                break;
            }
            case 'path': {
                const access = num('path access', MASK);
                const kind = next('path kind');
                if (kind !== 'd' && kind !== 'f')
                    throw new WireError(`bad path kind '${kind}'`);
                const path = next('path');
                if (!path.startsWith('/'))
                    throw new WireError(`rule path '${path}' is not absolute`);
                pathRules.push({ path, realPath: path, kind: kind === 'd' ? 'dir' : 'file', access, sources: ['plan'] });
                break;
            }
            case 'port': {
                const access = num('port access', MASK);
                const port = num('port', 65535);
                netRules.push({ port, access, sources: ['plan'] });
                break;
            }
            case 'exec':
                execPath = next('exec path');
                break;
            case 'arg':
                argv.push(next('arg'));
                break;
            case 'env':
                env.push(next('env'));
                break;
            default:
                throw new WireError(`unknown plan record '${key}'`);
        }
    }
    if (i !== fields.length)
        throw new WireError('trailing data after end');
    if (abi < 0)
        throw new WireError('plan has no abi record');
    const plan = {
        abi,
        handledFs: fs,
        handledNet: net,
        scoped,
        pathRules,
        netRules,
        restrictFlags: restrict,
        seccomp: inet === 'off' ? null : { inet, unix },
        dropCapabilities: caps,
    };
    return { plan, exec: execPath === undefined ? undefined : { path: execPath, argv, env } };
}

;// CONCATENATED MODULE: ./src/sandbox/shell-state.ts
// Shell mode's stored state: written once by the Action's setup step into a directory below
// RUNNER_TEMP (which no sandbox may read or write), read by landrun-shell in every later step and by
// the post step. Holds the compiled plan (wire format), the settings, and a journal of steps.



const SHELL_STATE = 'landrun-shell-state';
const sh = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
/** Writes the state and the landrun-shell program; returns the program's absolute path. */
function writeShellState(dir, state) {
    writeFileSync(join(dir, 'plan.bin'), encodePlan(state.plan), { mode: 0o600 });
    writeFileSync(join(dir, 'state.json'), JSON.stringify(state), { mode: 0o600 });
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true, mode: 0o700 });
    const program = join(bin, 'landrun-shell');
    writeFileSync(program, `#!/bin/sh\nexec ${sh(state.node)} ${sh(state.shellEntry)} --state ${sh(dir)} "$@"\n`, { mode: 0o700 });
    chmodSync(program, 0o700);
    return program;
}
function readShellState(dir) {
    const state = JSON.parse((0,external_node_fs_namespaceObject.readFileSync)((0,external_node_path_namespaceObject.join)(dir, 'state.json'), 'utf8'));
    // plan.bin is what the setup step validated; the JSON copy only adds sources for reports.
    const { plan } = decodePlan((0,external_node_fs_namespaceObject.readFileSync)((0,external_node_path_namespaceObject.join)(dir, 'plan.bin')));
    if (plan.pathRules.length !== state.plan.pathRules.length || plan.handledFs !== state.plan.handledFs) {
        throw new Error(`landrun-shell: ${dir}/state.json and plan.bin disagree`);
    }
    return { ...state, dir };
}
function appendJournal(dir, entry) {
    (0,external_node_fs_namespaceObject.appendFileSync)((0,external_node_path_namespaceObject.join)(dir, 'journal.jsonl'), `${JSON.stringify(entry)}\n`);
}
function readJournal(dir) {
    const f = join(dir, 'journal.jsonl');
    if (!existsSync(f))
        return [];
    return readFileSync(f, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
}

;// CONCATENATED MODULE: ./src/policy/dns.ts
const RESOLVER_FILES = (/* unused pure expression or super */ null && (['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/gai.conf', '/etc/host.conf']));
const DNS_ENV = { RES_OPTIONS: 'use-vc' };
/** The policy plus what the resolver needs. Missing resolver files are skipped by the caller's describe. */
function dns_withDns(policy, exists) {
    return {
        ...policy,
        paths: [
            ...policy.paths,
            ...RESOLVER_FILES.filter(exists).map((path) => ({ flag: 'ro', path, source: '--allow-dns' })),
        ],
        connectTcp: [...policy.connectTcp, { port: 53, source: '--allow-dns' }],
    };
}

;// CONCATENATED MODULE: ./src/policy/presets.ts
// Presets: policies computed from the environment they run in. `ci` is what a CI test step needs
// (the system, its tools, the workspace, a private temporary directory) and nothing that lets it
// reach secrets or poison later steps. Pure: the caller hands in the facts (paths, HOME's entries).

const PRESETS = (/* unused pure expression or super */ null && (['ci', 'none']));
function isPresetName(s) {
    return PRESETS.includes(s);
}
/** HOME entries that hold credentials or keys; never readable under the ci preset. */
const HOME_SECRETS = (/* unused pure expression or super */ null && ([
    '.ssh',
    '.gnupg',
    '.docker',
    '.aws',
    '.azure',
    '.kube',
    '.netrc',
    '.npmrc',
    '.pypirc',
    '.git-credentials',
    '.yarnrc.yml',
    '.config/gh',
    '.config/gcloud',
    '.config/hub',
    '.config/git/credentials',
    '.cargo/credentials',
    '.cargo/credentials.toml',
    '.gem/credentials',
    '.m2/settings.xml',
    '.m2/settings-security.xml',
    '.gradle/gradle.properties',
    '.terraform.d/credentials.tfrc.json',
    '.local/share/keyrings',
]));
const SYSTEM_EXEC = (/* unused pure expression or super */ null && (['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/opt']));
const SYSTEM_READ = (/* unused pure expression or super */ null && (['/etc', '/proc', '/sys']));
const DEVICES_RW = (/* unused pure expression or super */ null && (['/dev/null', '/dev/tty', '/dev/pts', '/dev/shm', '/dev/full']));
const DEVICES_RO = (/* unused pure expression or super */ null && (['/dev/zero', '/dev/random', '/dev/urandom']));
const SOURCE = 'preset ci';
/** The ci preset as grants. Protections that are not grants (git snapshots, env) live elsewhere. */
function presets_ciPreset(ctx) {
    const g = [];
    const add = (flag, path, why) => {
        g.push({ flag, path, source: `${SOURCE} (${why})` });
    };
    for (const p of SYSTEM_EXEC)
        if (ctx.exists(p))
            add('rox', p, 'system');
    for (const p of ctx.toolDirs)
        if (ctx.exists(p))
            add('rox', p, 'tool cache');
    for (const p of SYSTEM_READ)
        if (ctx.exists(p))
            add('ro', p, 'system');
    for (const p of DEVICES_RW)
        if (ctx.exists(p))
            add('rw', p, 'device');
    for (const p of DEVICES_RO)
        if (ctx.exists(p))
            add('ro', p, 'device');
    if (ctx.home && ctx.isDirectory(ctx.home))
        g.push(...homeGrants(ctx, ctx.home));
    add('rw', ctx.workspace, 'workspace');
    add('rw', ctx.privateTmp, 'private temporary directory');
    for (const f of ctx.readableFiles)
        if (ctx.exists(f))
            add('ro', f, 'runner file');
    for (const f of ctx.writableFiles)
        if (ctx.exists(f))
            add('rw', f, 'step output');
    return g;
}
/**
 * HOME, readable except its secrets. Landlock cannot carve an exception out of a granted tree, so
 * HOME is granted entry by entry, and a directory holding something to skip is descended into.
 * HOME itself and the directories descended into get no rule: listing them is denied (listing
 * would be inherited by every subdirectory, ~/.ssh included).
 */
function homeGrants(ctx, home) {
    const skip = [...HOME_SECRETS.map((s) => `${home}/${s}`), ...ctx.hidden];
    const out = [];
    const visit = (dir, depth) => {
        for (const name of ctx.listDir(dir) ?? []) {
            const p = `${dir}/${name}`;
            if (skip.includes(p))
                continue;
            const holdsSkipped = skip.some((s) => s !== p && isBeneath(s, p));
            if (!holdsSkipped)
                out.push({ flag: 'ro', path: p, source: `${SOURCE} (HOME, read-only)` });
            else if (depth < 6 && ctx.isDirectory(p))
                visit(p, depth + 1);
        }
    };
    visit(home, 0);
    return out;
}
/** Variables a JavaScript action receives and a plain `run:` step does not: never passed on. */
const RUNNER_SECRET_VARIABLES = [
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_RUNTIME_URL',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_CACHE_URL',
    'ACTIONS_CACHE_SERVICE_V2',
];
/** The environment of a sandboxed step: the caller's minus runner tokens and action inputs/state. */
function scrubEnvironment(env) {
    const out = {};
    const removed = [];
    for (const [k, v] of Object.entries(env)) {
        if (v === undefined)
            continue;
        if (RUNNER_SECRET_VARIABLES.includes(k) || k.startsWith('INPUT_') || k.startsWith('STATE_')) {
            removed.push(k);
            continue;
        }
        out[k] = v;
    }
    return { env: out, removed: removed.sort() };
}

;// CONCATENATED MODULE: ./src/sandbox/git-guard.ts
// Protecting the checkout's git metadata around a sandboxed step. The workspace must be writable,
// and Landlock rights are inherited down a tree, so the kernel cannot keep .git/config and
// .git/hooks read-only while the workspace root stays writable. Instead: snapshot them before
// the step, compare afterwards, restore the originals and report every change (which fails the
// step). The checkout token is withheld from .git/config for the step and put back afterwards.


/** The git directory of a workspace: .git, or what a .git file ("gitdir: ...") points to. */
function git_guard_findGitDir(workspace) {
    const dotGit = (0,external_node_path_namespaceObject.join)(workspace, '.git');
    try {
        const st = (0,external_node_fs_namespaceObject.statSync)(dotGit);
        if (st.isDirectory())
            return dotGit;
        const m = /^gitdir:\s*(.+)$/m.exec((0,external_node_fs_namespaceObject.readFileSync)(dotGit, 'utf8'));
        if (m?.[1])
            return (0,external_node_path_namespaceObject.resolve)(workspace, m[1].trim());
    }
    catch {
        return undefined;
    }
    return undefined;
}
function readEntry(p) {
    try {
        const st = (0,external_node_fs_namespaceObject.lstatSync)(p);
        if (st.isSymbolicLink())
            return { kind: 'symlink', target: (0,external_node_fs_namespaceObject.readlinkSync)(p) };
        if (st.isFile())
            return { kind: 'file', data: (0,external_node_fs_namespaceObject.readFileSync)(p), mode: st.mode & 0o7777 };
    }
    catch {
        return undefined;
    }
    return undefined;
}
function listFiles(dir) {
    const out = [];
    let entries;
    try {
        entries = (0,external_node_fs_namespaceObject.readdirSync)(dir, { withFileTypes: true });
    }
    catch {
        return out;
    }
    for (const e of entries) {
        const p = (0,external_node_path_namespaceObject.join)(dir, e.name);
        if (e.isDirectory())
            out.push(...listFiles(p));
        else
            out.push(p);
    }
    return out;
}
/** The files that decide what later git commands execute or where they talk to. */
function protectedPaths(gitDir) {
    const files = [(0,external_node_path_namespaceObject.join)(gitDir, 'config'), (0,external_node_path_namespaceObject.join)(gitDir, 'config.worktree')];
    const dirs = [(0,external_node_path_namespaceObject.join)(gitDir, 'hooks')];
    const modules = (0,external_node_path_namespaceObject.join)(gitDir, 'modules');
    for (const f of listFiles(modules)) {
        const rel = (0,external_node_path_namespaceObject.relative)(modules, f);
        if (/(^|\/)config$/.test(rel))
            files.push(f);
    }
    for (const f of listFiles(modules)) {
        const m = /^(.*\/)?hooks\//.exec((0,external_node_path_namespaceObject.relative)(modules, f));
        if (m) {
            const d = (0,external_node_path_namespaceObject.join)(modules, m[0].slice(0, -1));
            if (!dirs.includes(d))
                dirs.push(d);
        }
    }
    return { files, dirs };
}
const EXTRAHEADER = /^\s*extraheader\s*=\s*"?AUTHORIZATION:/i;
const CREDENTIAL_INCLUDE = /^\s*path\s*=\s*"?.*git-credentials-[0-9a-fA-F-]+\.config"?\s*$/;
/** .git/config without the checkout's credentials (checkout <= v5 extraheader, >= v6 includeIf file). */
function withoutCredentials(config) {
    let extraheaders = 0;
    let credentialIncludes = 0;
    const lines = config.split('\n').filter((line) => {
        if (EXTRAHEADER.test(line)) {
            extraheaders++;
            return false;
        }
        if (CREDENTIAL_INCLUDE.test(line)) {
            credentialIncludes++;
            return false;
        }
        return true;
    });
    return { text: lines.join('\n'), extraheaders, credentialIncludes };
}
function guardGit(workspace, opts) {
    const gitDir = git_guard_findGitDir(workspace);
    if (!gitDir)
        return undefined;
    const { files, dirs } = protectedPaths(gitDir);
    const snapshot = new Map();
    for (const f of [...files, ...dirs.flatMap(listFiles)]) {
        const e = readEntry(f);
        if (e)
            snapshot.set(f, e);
    }
    let withheld = { extraheaders: 0, credentialIncludes: 0 };
    const configPath = (0,external_node_path_namespaceObject.join)(gitDir, 'config');
    const config = snapshot.get(configPath);
    if (opts.withholdCredentials && config?.kind === 'file') {
        const w = withoutCredentials(config.data.toString('utf8'));
        if (w.extraheaders + w.credentialIncludes > 0) {
            (0,external_node_fs_namespaceObject.writeFileSync)(configPath, w.text);
            withheld = { extraheaders: w.extraheaders, credentialIncludes: w.credentialIncludes };
        }
    }
    return { gitDir, snapshot, watchedDirs: dirs, withheld };
}
function sameEntry(a, b) {
    if (!a || !b)
        return a === b;
    if (a.kind === 'symlink' || b.kind === 'symlink')
        return a.kind === b.kind && a.target === b.target;
    return a.data.equals(b.data) && a.mode === b.mode;
}
/**
 * After the step: restore every protected file (including the withheld credentials) and report
 * what the step had changed. The config is compared against what the step was given.
 */
function releaseGit(guard, workspace) {
    const changed = [];
    const configPath = (0,external_node_path_namespaceObject.join)(guard.gitDir, 'config');
    const given = (p) => {
        const e = guard.snapshot.get(p);
        if (p === configPath && e?.kind === 'file' && guard.withheld.extraheaders + guard.withheld.credentialIncludes > 0) {
            return { kind: 'file', data: Buffer.from(withoutCredentials(e.data.toString('utf8')).text), mode: e.mode };
        }
        return e;
    };
    const current = new Set([...guard.snapshot.keys()]);
    for (const d of guard.watchedDirs)
        for (const f of listFiles(d))
            current.add(f);
    for (const p of current) {
        const now = readEntry(p);
        if (!sameEntry(now, given(p)))
            changed.push(relativeTo(workspace, p));
        const original = guard.snapshot.get(p);
        if (!sameEntry(now, original))
            restore(p, original);
    }
    return { changed: changed.sort() };
}
function restore(p, e) {
    if ((0,external_node_fs_namespaceObject.existsSync)(p) || isSymlink(p))
        (0,external_node_fs_namespaceObject.rmSync)(p, { force: true, recursive: true });
    if (!e)
        return;
    (0,external_node_fs_namespaceObject.mkdirSync)((0,external_node_path_namespaceObject.dirname)(p), { recursive: true });
    if (e.kind === 'symlink')
        (0,external_node_fs_namespaceObject.symlinkSync)(e.target, p);
    else
        (0,external_node_fs_namespaceObject.writeFileSync)(p, e.data, { mode: e.mode });
}
function isSymlink(p) {
    try {
        return (0,external_node_fs_namespaceObject.lstatSync)(p).isSymbolicLink();
    }
    catch {
        return false;
    }
}
function relativeTo(workspace, p) {
    const r = (0,external_node_path_namespaceObject.relative)(workspace, p);
    return r.startsWith('..') || (0,external_node_path_namespaceObject.isAbsolute)(r) ? p : r;
}

;// CONCATENATED MODULE: ./src/sandbox/step.ts
// One sandboxed CI step, shared by the Action's run mode and landrun-shell: the ci preset around
// the user's grants, a private temporary directory, the git guard, the scrubbed environment, the
// launcher, and the clean-up. No @actions here: callers report through the returned values.





/** Creates the step's private directory (script, tmp) inside `parent`, which the sandbox cannot read. */
function makeStepDir(parent) {
    (0,external_node_fs_namespaceObject.mkdirSync)(parent, { recursive: true });
    const dir = (0,external_node_fs_namespaceObject.mkdtempSync)((0,external_node_path_namespaceObject.join)(parent, 'landrun-step-'));
    (0,external_node_fs_namespaceObject.chmodSync)(dir, 0o700);
    const tmp = (0,external_node_path_namespaceObject.join)(dir, 'tmp');
    (0,external_node_fs_namespaceObject.mkdirSync)(tmp, { mode: 0o700 });
    return { dir, tmp };
}
function writeScript(dir, script, name = 'script.sh') {
    const file = join(dir, name);
    writeFileSync(file, script.endsWith('\n') ? script : `${script}\n`, { mode: 0o644 });
    return file;
}
const listDir = (d) => {
    try {
        return readdirSync(d);
    }
    catch {
        return undefined;
    }
};
const step_isDirectory = (p) => {
    try {
        return statSync(p).isDirectory();
    }
    catch {
        return false;
    }
};
/** The workspace, entry by entry with .git read-only (protect-git: read-only). */
function workspaceEntries(workspace) {
    const grants = [{ flag: 'ro', path: workspace, source: 'preset ci (workspace root, read-only: protect-git read-only)' }];
    for (const name of listDir(workspace) ?? []) {
        if (name === '.git')
            continue;
        grants.push({ flag: 'rw', path: join(workspace, name), source: 'preset ci (workspace entry)' });
    }
    return grants;
}
/** The step's policy: the preset's grants around the user's own. */
function stepPolicy(input) {
    const { settings, layout } = input;
    const credentialFiles = settings.checkoutCredentials === 'keep' ? includedCredentialFiles(layout.workspace) : [];
    let grants;
    if (settings.preset === 'ci') {
        grants = ciPreset({
            workspace: layout.workspace,
            privateTmp: input.tmp,
            home: layout.home,
            listDir,
            isDirectory: step_isDirectory,
            exists: existsSync,
            hidden: layout.hidden,
            toolDirs: layout.toolCache ? [layout.toolCache] : [],
            readableFiles: [...layout.readableFiles, ...input.scriptFiles, ...credentialFiles],
            writableFiles: settings.allowStepOutputs ? layout.outputFiles : [],
        });
        if (settings.protectGit === 'read-only') {
            grants = grants.filter((g) => g.path !== layout.workspace).concat(workspaceEntries(layout.workspace));
        }
    }
    else {
        grants = input.scriptFiles.map((f) => ({ flag: 'ro', path: f, source: 'the step script' }));
        grants.push({ flag: 'rw', path: input.tmp, source: 'private temporary directory' });
    }
    const policy = { ...settings.policy, paths: [...grants, ...settings.policy.paths] };
    return settings.allowDns ? withDns(policy, existsSync) : policy;
}
/** What a plain `run:` step would see, minus runner tokens and action inputs, plus the step's TMPDIR. */
function stepEnvironment(settings, tmp, callerEnv) {
    const { env, removed } = scrubEnvironment(callerEnv);
    for (const k of ['TMPDIR', 'TMP', 'TEMP'])
        env[k] = tmp;
    // Caches that tools would otherwise write under HOME, which is read-only: keep them per step.
    env.npm_config_cache ??= (0,external_node_path_namespaceObject.join)(tmp, '.npm');
    env.XDG_CACHE_HOME ??= (0,external_node_path_namespaceObject.join)(tmp, '.cache');
    if (settings.allowDns)
        Object.assign(env, DNS_ENV);
    for (const e of settings.env) {
        const v = e.value ?? callerEnv[e.key];
        if (v !== undefined)
            env[e.key] = v;
    }
    return { env, removed };
}
function guardStepGit(settings, workspace) {
    return guardGit(workspace, { withholdCredentials: settings.checkoutCredentials === 'withhold' });
}
/** The checkout (>= v6) credentials files .git/config includes, for checkout-credentials: keep. */
function includedCredentialFiles(workspace) {
    const gitDir = findGitDir(workspace);
    if (!gitDir)
        return [];
    try {
        const config = readFileSync(join(gitDir, 'config'), 'utf8');
        return [...config.matchAll(/^\s*path\s*=\s*"?(.*git-credentials-[0-9a-fA-F-]+\.config)"?\s*$/gm)].map((m) => m[1]);
    }
    catch {
        return [];
    }
}
/** Restores the git metadata and reports what the step changed there; removes the step directory. */
function finishStep(git, workspace, stepDir) {
    const gitChanged = git ? releaseGit(git, workspace).changed : [];
    (0,external_node_fs_namespaceObject.rmSync)(stepDir, { recursive: true, force: true });
    return { gitChanged };
}
/** argv for the step's shell, as the runner would build it. */
function shellArgv(shell, script) {
    const s = shell.trim();
    if (s === '' || s === 'bash')
        return ['bash', '--noprofile', '--norc', '-eo', 'pipefail', script];
    if (s === 'sh')
        return ['sh', '-e', script];
    if (s === 'python')
        return ['python', script];
    const words = s.split(/\s+/);
    if (!words.some((w) => w.includes('{0}')))
        return [...words, script];
    return words.map((w) => w.replaceAll('{0}', script));
}

;// CONCATENATED MODULE: ./src/sandbox/shell.ts
// landrun-shell: the program a workflow names in `shell: landrun-shell {0}`. The runner calls it
// with the path of the step's script; it runs that script under the plan the Action's setup step
// compiled, with this step's own temporary directory, then records the step for the job summary.
//   landrun-shell --state DIR [--shell bash|sh|python|"cmd {0}"] SCRIPT










/** The stored plan plus this step's private directory (read-write) and script (read-only). */
function withStepRules(plan, tmp, script) {
    const extra = [];
    const tmpAccess = FLAG_RIGHTS.rw & plan.handledFs;
    if (tmpAccess)
        extra.push({ path: tmp, realPath: (0,external_node_fs_namespaceObject.realpathSync)(tmp), kind: 'dir', access: tmpAccess, sources: ['landrun-shell (step temporary directory)'] });
    const scriptAccess = access_FS_RIGHTS.read_file & FS_FILE_RIGHTS & plan.handledFs;
    if (scriptAccess)
        extra.push({ path: script, realPath: (0,external_node_fs_namespaceObject.realpathSync)(script), kind: 'file', access: scriptAccess, sources: ['landrun-shell (step script)'] });
    return { ...plan, pathRules: [...plan.pathRules, ...extra] };
}
function firstLine(script) {
    return script.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#')) ?? '(empty script)';
}
async function shellMain(io) {
    let log = createLineLogger('warn', io.stderr);
    let stateDir;
    let shell;
    let i = 0;
    for (; i < io.argv.length; i++) {
        const a = io.argv[i];
        if (a === '--state')
            stateDir = io.argv[++i];
        else if (a === '--shell')
            shell = io.argv[++i];
        else if (a === '--') {
            i++;
            break;
        }
        else
            break;
    }
    const script = io.argv[i];
    if (!stateDir || !script || io.argv.length > i + 1) {
        log.error('usage: landrun-shell [--shell SHELL] SCRIPT (set up by the landrun Action; use it as `shell: landrun-shell {0}`)');
        return 2;
    }
    let state;
    try {
        state = readShellState(stateDir);
    }
    catch (e) {
        log.error(`cannot read the sandbox set up by the landrun Action in ${stateDir}: ${e.message}`);
        return 2;
    }
    const level = state.settings.logLevel;
    log = createLineLogger(isLogLevel(level) ? level : 'warn', io.stderr);
    const step = makeStepDir((0,external_node_path_namespaceObject.join)(stateDir, 'steps'));
    const git = guardStepGit(state.settings, state.workspace);
    const out = { exitCode: 1, durationMs: 0, leftovers: 0, name: script };
    try {
        out.name = `${io.env.GITHUB_ACTION ?? 'step'}: ${firstLine((0,external_node_fs_namespaceObject.readFileSync)(script, 'utf8'))}`;
        const plan = withStepRules(state.plan, step.tmp, script);
        const argv = shellArgv(shell ?? state.settings.shell, script);
        const command = resolveCommand(argv[0], io.env.PATH, io.cwd);
        checkExecChain(plan, execChain(command));
        const { env } = stepEnvironment(state.settings, step.tmp, io.env);
        io.stderr(`[landrun] sandboxed: Landlock ${state.report.kernelAbi ? `ABI ${state.report.abi}` : 'unavailable'}, status ${state.report.status}\n`);
        const result = await runSandboxed({
            node: process.execPath,
            launcher: (0,external_node_path_namespaceObject.join)((0,external_node_path_namespaceObject.dirname)(state.shellEntry), '..', 'launcher', 'index.js'),
            plan: wire_encodePlan(plan),
            argv,
            env,
            cwd: io.cwd,
            becomeSubreaper: io.becomeSubreaper,
        });
        out.exitCode = result.exitCode;
        out.durationMs = result.durationMs;
        out.leftovers = result.leftovers;
        if (result.leftovers > 0)
            log.warn(`killed ${result.leftovers} process(es) the script left running`);
    }
    catch (e) {
        if (e instanceof ExecError) {
            log.error(e.message);
            out.exitCode = e.exitCode;
        }
        else {
            log.error(`landrun-shell: ${e.stack ?? String(e)}`);
            out.exitCode = 1;
        }
    }
    finally {
        const { gitChanged } = finishStep(git, state.workspace, step.dir);
        if (gitChanged.length) {
            log.error(`the script changed protected git files (restored): ${gitChanged.join(', ')}`);
            if (out.exitCode === 0)
                out.exitCode = 1;
        }
        appendJournal(stateDir, { ...out, status: state.report.status, gitChanged });
    }
    return out.exitCode;
}

;// CONCATENATED MODULE: ./src/entrypoints/shell.ts


shellMain({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd(), stderr: (s) => process.stderr.write(s), becomeSubreaper: setChildSubreaper }).then((code) => { process.exitCode = code; });

