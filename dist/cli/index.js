#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 676:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   ZJ: () => (/* binding */ kernelFor),
/* harmony export */   Zv: () => (/* binding */ LATEST_KNOWN_ABI),
/* harmony export */   r_: () => (/* binding */ abiRow),
/* harmony export */   tI: () => (/* binding */ abiIntroducing)
/* harmony export */ });
/* unused harmony export ABI_TABLE */
/* harmony import */ var _uapi_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(813);
// The Landlock ABI table, as data. Each row lists everything the kernel knows at that ABI; the kernel
// rejects any bit it does not know with EINVAL, so every mask we hand it is first ANDed with a row.

const FS_V1 = 0x1fff;
const LOG_FLAGS = _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF */ .z7 |
    _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON */ .hH |
    _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF */ .o;
const NET = _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_NET_BIND_TCP */ .Uj | _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_NET_CONNECT_TCP */ .Rp;
const SCOPED = _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET */ .QQ | _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_SCOPE_SIGNAL */ .lK;
const ABI_TABLE = [
    { abi: 1, kernel: '5.13', fs: FS_V1, net: 0, scoped: 0, restrictFlags: 0, attrSize: 8, adds: 'filesystem rights' },
    { abi: 2, kernel: '5.19', fs: FS_V1 | _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_REFER */ .hQ, net: 0, scoped: 0, restrictFlags: 0, attrSize: 8, adds: 'fs.refer' },
    { abi: 3, kernel: '6.2', fs: 0x7fff, net: 0, scoped: 0, restrictFlags: 0, attrSize: 8, adds: 'fs.truncate' },
    { abi: 4, kernel: '6.7', fs: 0x7fff, net: NET, scoped: 0, restrictFlags: 0, attrSize: 16, adds: 'TCP bind/connect rules' },
    { abi: 5, kernel: '6.10', fs: 0xffff, net: NET, scoped: 0, restrictFlags: 0, attrSize: 16, adds: 'fs.ioctl_dev' },
    { abi: 6, kernel: '6.12', fs: 0xffff, net: NET, scoped: SCOPED, restrictFlags: 0, attrSize: 24, adds: 'abstract unix socket and signal scoping' },
    { abi: 7, kernel: '6.15', fs: 0xffff, net: NET, scoped: SCOPED, restrictFlags: LOG_FLAGS, attrSize: 24, adds: 'audit logging flags' },
    { abi: 8, kernel: '7.0', fs: 0xffff, net: NET, scoped: SCOPED, restrictFlags: LOG_FLAGS | _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_RESTRICT_SELF_TSYNC */ .Py, attrSize: 24, adds: 'thread synchronisation (TSYNC)' },
    { abi: 9, kernel: '7.1', fs: 0x1ffff, net: NET, scoped: SCOPED, restrictFlags: LOG_FLAGS | _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_RESTRICT_SELF_TSYNC */ .Py, attrSize: 24, adds: 'fs.resolve_unix (pathname unix sockets)' },
];
const LATEST_KNOWN_ABI = 9;
/** The row for an ABI: a newer kernel than we know is used as the newest row we know. 0 = no Landlock. */
function abiRow(abi) {
    if (abi <= 0) {
        return { abi: 0, kernel: '-', fs: 0, net: 0, scoped: 0, restrictFlags: 0, attrSize: 0, adds: '' };
    }
    const row = ABI_TABLE[Math.min(abi, LATEST_KNOWN_ABI) - 1];
    if (!row)
        throw new Error(`no ABI row for ${abi}`);
    return row;
}
/** The first ABI that knows every bit of `mask` in the given class. */
function abiIntroducing(cls, mask) {
    for (const row of ABI_TABLE) {
        const known = cls === 'fs' ? row.fs : cls === 'net' ? row.net : cls === 'scope' ? row.scoped : row.restrictFlags;
        if ((known & mask) === mask)
            return row.abi;
    }
    return Number.POSITIVE_INFINITY;
}
function kernelFor(abi) {
    return abi >= 1 && abi <= LATEST_KNOWN_ABI ? (ABI_TABLE[abi - 1]?.kernel ?? '?') : '?';
}


/***/ }),

/***/ 766:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $t: () => (/* binding */ FS_FILE_RIGHTS),
/* harmony export */   C6: () => (/* binding */ netNames),
/* harmony export */   Ew: () => (/* binding */ FS_ALL),
/* harmony export */   Ey: () => (/* binding */ fsNames),
/* harmony export */   NV: () => (/* binding */ FLAG_RIGHTS),
/* harmony export */   Zt: () => (/* binding */ SCOPE_ALL),
/* harmony export */   aU: () => (/* binding */ FS_RIGHTS),
/* harmony export */   iW: () => (/* binding */ SCOPES),
/* harmony export */   o8: () => (/* binding */ NET_RIGHTS),
/* harmony export */   re: () => (/* binding */ qualifiedNames),
/* harmony export */   zR: () => (/* binding */ scopeNames)
/* harmony export */ });
/* unused harmony exports NET_ALL, fsMaskOf */
/* harmony import */ var _uapi_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(813);
// Access rights by name. Names are the UAPI words (LANDLOCK_ACCESS_FS_READ_FILE -> read_file),
// and in reports they carry the class prefix the kernel uses in audit records: fs.read_file,
// net.connect_tcp, scope.signal.

const FS_RIGHTS = {
    execute: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_EXECUTE */ .wX,
    write_file: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_WRITE_FILE */ .PW,
    read_file: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_READ_FILE */ .Cu,
    read_dir: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_READ_DIR */ .Rm,
    remove_dir: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_REMOVE_DIR */ .xY,
    remove_file: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_REMOVE_FILE */ .yc,
    make_char: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_MAKE_CHAR */ .Eh,
    make_dir: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_MAKE_DIR */ .xZ,
    make_reg: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_MAKE_REG */ .go,
    make_sock: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_MAKE_SOCK */ .G_,
    make_fifo: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_MAKE_FIFO */ .MO,
    make_block: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_MAKE_BLOCK */ .zz,
    make_sym: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_MAKE_SYM */ .Vp,
    refer: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_REFER */ .hQ,
    truncate: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_TRUNCATE */ .F7,
    ioctl_dev: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_IOCTL_DEV */ .QO,
    resolve_unix: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_FS_RESOLVE_UNIX */ .IE,
};
const NET_RIGHTS = {
    bind_tcp: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_NET_BIND_TCP */ .Uj,
    connect_tcp: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_ACCESS_NET_CONNECT_TCP */ .Rp,
};
const SCOPES = {
    abstract_unix_socket: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET */ .QQ,
    signal: _uapi_js__WEBPACK_IMPORTED_MODULE_0__/* .LANDLOCK_SCOPE_SIGNAL */ .lK,
};
const orAll = (o) => Object.values(o).reduce((a, b) => a | b, 0);
const FS_ALL = orAll(FS_RIGHTS);
const NET_ALL = orAll(NET_RIGHTS);
const SCOPE_ALL = orAll(SCOPES);
/** Rights that may appear on a rule whose target is not a directory (the kernel says EINVAL otherwise). */
const FS_FILE_RIGHTS = FS_RIGHTS.execute |
    FS_RIGHTS.write_file |
    FS_RIGHTS.read_file |
    FS_RIGHTS.truncate |
    FS_RIGHTS.ioctl_dev |
    FS_RIGHTS.resolve_unix;
const MAKE_ALL = FS_RIGHTS.make_char |
    FS_RIGHTS.make_dir |
    FS_RIGHTS.make_reg |
    FS_RIGHTS.make_sock |
    FS_RIGHTS.make_fifo |
    FS_RIGHTS.make_block |
    FS_RIGHTS.make_sym;
const RW_RIGHTS = FS_RIGHTS.read_file |
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
const FLAG_RIGHTS = {
    ro: FS_RIGHTS.read_file | FS_RIGHTS.read_dir,
    rox: FS_RIGHTS.read_file | FS_RIGHTS.read_dir | FS_RIGHTS.execute,
    rw: RW_RIGHTS,
    rwx: RW_RIGHTS | FS_RIGHTS.execute,
    unix: FS_RIGHTS.resolve_unix,
};
function namesOf(table, mask) {
    return Object.keys(table).filter((k) => (mask & table[k]) !== 0);
}
const fsNames = (mask) => namesOf(FS_RIGHTS, mask);
const netNames = (mask) => namesOf(NET_RIGHTS, mask);
const scopeNames = (mask) => namesOf(SCOPES, mask);
function qualifiedNames(cls, mask) {
    const names = cls === 'fs' ? fsNames(mask) : cls === 'net' ? netNames(mask) : scopeNames(mask);
    return names.map((n) => `${cls}.${n}`);
}
function fsMaskOf(names) {
    let m = 0;
    for (const n of names) {
        const v = FS_RIGHTS[n];
        if (v === undefined)
            throw new Error(`unknown filesystem right '${n}'`);
        m |= v;
    }
    return m;
}


/***/ }),

/***/ 775:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   ZP: () => (/* binding */ usesLandlock),
/* harmony export */   jD: () => (/* binding */ rulesCovering),
/* harmony export */   w7: () => (/* binding */ isBeneath),
/* harmony export */   xl: () => (/* binding */ effectiveFsAccess)
/* harmony export */ });
/* harmony import */ var _access_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(766);
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
function effectiveFsAccess(plan, realPath) {
    if (plan.handledFs === 0)
        return undefined;
    let access = 0;
    for (const r of plan.pathRules) {
        if (isBeneath(realPath, r.realPath))
            access |= r.access;
    }
    return (access & plan.handledFs) | (_access_js__WEBPACK_IMPORTED_MODULE_0__/* .FS_ALL */ .Ew & ~plan.handledFs);
}
/** The rules that contribute to a path's rights, for messages. */
function rulesCovering(plan, realPath) {
    return plan.pathRules.filter((r) => isBeneath(realPath, r.realPath));
}
function isBeneath(path, root) {
    if (root === '/')
        return path.startsWith('/');
    return path === root || path.startsWith(root + '/');
}


/***/ }),

/***/ 468:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   J: () => (/* binding */ encodeFilter),
/* harmony export */   L5: () => (/* binding */ seccompProfileName),
/* harmony export */   S$: () => (/* binding */ describeSeccomp),
/* harmony export */   nd: () => (/* binding */ buildSeccompFilter)
/* harmony export */ });
/* unused harmony exports AUDIT_ARCH, SYSCALLS, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_ERRNO, SECCOMP_RET_ALLOW */
// A classic-BPF seccomp filter that closes what Landlock leaves open on the network side:
// UDP, raw, packet, netlink, MPTCP and SCTP sockets, io_uring, and (below Landlock ABI 9)
// pathname unix sockets. Pure: it only builds the program; syscalls.ts installs it.
const AUDIT_ARCH = { x64: 0xc000003e, arm64: 0xc00000b7 };
const SYSCALLS = {
    x64: { socket: 41, socketpair: 53, io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427 },
    arm64: { socket: 198, socketpair: 199, io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427 },
};
const X32_SYSCALL_BIT = 0x40000000;
const SECCOMP_RET_KILL_PROCESS = 0x80000000;
const SECCOMP_RET_ERRNO = 0x00050000;
const SECCOMP_RET_ALLOW = 0x7fff0000;
const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_STREAM = 1;
const SOCK_TYPE_MASK = 0xf;
const IPPROTO_TCP = 6;
const EACCES = 13;
const EAFNOSUPPORT = 97;
// BPF opcodes (linux/bpf_common.h)
const BPF_LD_W_ABS = 0x20;
const BPF_JEQ_K = 0x15;
const BPF_JGE_K = 0x35;
const BPF_AND_K = 0x54;
const BPF_RET_K = 0x06;
// struct seccomp_data: int nr @0, u32 arch @4, u64 ip @8, u64 args[6] @16 (low word first on little endian)
const OFF_NR = 0;
const OFF_ARCH = 4;
const argLow = (i) => 16 + 8 * i;
/** Resolves labels to forward jump offsets; hand-counted offsets are how filters silently go wrong. */
function assemble(prog) {
    const labels = new Map();
    const insns = [];
    for (const p of prog) {
        if ('label' in p)
            labels.set(p.label, insns.length);
        else
            insns.push([p[0], p[1], p[2] ?? 0, p[3] ?? 0]);
    }
    return insns.map(([code, k, jt, jf], i) => {
        const rel = (t) => {
            if (typeof t === 'number')
                return t;
            const at = labels.get(t);
            if (at === undefined)
                throw new Error(`seccomp: unknown label ${t}`);
            const off = at - i - 1;
            if (off < 0 || off > 255)
                throw new Error(`seccomp: jump to ${t} out of range`);
            return off;
        };
        return { code, k: k >>> 0, jt: rel(jt), jf: rel(jf) };
    });
}
function buildSeccompFilter(arch, plan) {
    const nr = SYSCALLS[arch];
    const deny = SECCOMP_RET_ERRNO | EACCES;
    const noFamily = SECCOMP_RET_ERRNO | EAFNOSUPPORT;
    const prog = [
        // Foreign architectures (i386 int 0x80, AArch32) would bypass every check below: kill them.
        [BPF_LD_W_ABS, OFF_ARCH],
        [BPF_JEQ_K, AUDIT_ARCH[arch], 1, 0],
        [BPF_RET_K, SECCOMP_RET_KILL_PROCESS],
        [BPF_LD_W_ABS, OFF_NR],
        // x32 syscalls carry the native arch with bit 30 set in nr.
        ...(arch === 'x64' ? [[BPF_JGE_K, X32_SYSCALL_BIT, 'deny', 0]] : []),
        [BPF_JEQ_K, nr.io_uring_setup, 'deny', 0],
        [BPF_JEQ_K, nr.io_uring_enter, 'deny', 0],
        [BPF_JEQ_K, nr.io_uring_register, 'deny', 0],
        [BPF_JEQ_K, nr.socket, 'socket', 0],
        [BPF_JEQ_K, nr.socketpair, 'socketpair', 0],
        [BPF_RET_K, SECCOMP_RET_ALLOW],
        // socketpair(2) only ever makes connected AF_UNIX pairs; other families are refused as for socket().
        { label: 'socketpair' },
        [BPF_LD_W_ABS, argLow(0)],
        [BPF_JEQ_K, AF_UNIX, 'allow', 0],
        [BPF_RET_K, noFamily],
        { label: 'socket' },
        [BPF_LD_W_ABS, argLow(0)],
        [BPF_JEQ_K, AF_UNIX, plan.unix === 'all' ? 'allow' : 'deny', 0],
        [BPF_JEQ_K, AF_INET, 'inet', 0],
        [BPF_JEQ_K, AF_INET6, 'inet', 0],
        [BPF_RET_K, noFamily],
        { label: 'inet' },
        ...(plan.inet === 'none'
            ? [[BPF_RET_K, deny]]
            : [
                [BPF_LD_W_ABS, argLow(1)],
                [BPF_AND_K, SOCK_TYPE_MASK], // drop SOCK_NONBLOCK / SOCK_CLOEXEC
                [BPF_JEQ_K, SOCK_STREAM, 0, 'deny'],
                [BPF_LD_W_ABS, argLow(2)],
                [BPF_JEQ_K, 0, 'allow', 0],
                [BPF_JEQ_K, IPPROTO_TCP, 'allow', 'deny'], // not MPTCP (262) or SCTP: Landlock ignores them
            ]),
        { label: 'allow' },
        [BPF_RET_K, SECCOMP_RET_ALLOW],
        { label: 'deny' },
        [BPF_RET_K, deny],
    ];
    return assemble(prog);
}
/** struct sock_filter[] as bytes: u16 code, u8 jt, u8 jf, u32 k (native little endian on x64/arm64). */
function encodeFilter(insns) {
    const out = new Uint8Array(insns.length * 8);
    const dv = new DataView(out.buffer);
    insns.forEach((ins, i) => {
        dv.setUint16(i * 8, ins.code, true);
        dv.setUint8(i * 8 + 2, ins.jt);
        dv.setUint8(i * 8 + 3, ins.jf);
        dv.setUint32(i * 8 + 4, ins.k, true);
    });
    return out;
}
function describeSeccomp(plan) {
    if (!plan)
        return 'off';
    const inet = plan.inet === 'tcp' ? 'IP: TCP stream sockets only (ports ruled by Landlock)' : 'IP: no sockets (TCP, UDP and raw refused)';
    const unix = plan.unix === 'all' ? 'unix sockets allowed' : 'unix: socketpair only (socket(AF_UNIX) refused)';
    return `${inet}; ${unix}; UDP, raw, packet, netlink, MPTCP, SCTP and io_uring refused`;
}
function seccompProfileName(plan) {
    if (!plan)
        return 'off';
    return `${plan.inet === 'tcp' ? 'tcp-only' : 'no-inet'}${plan.unix === 'all' ? '' : '+no-unix'}`;
}


/***/ }),

/***/ 813:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   AT: () => (/* binding */ LANDLOCK_RULE_PATH_BENEATH),
/* harmony export */   Cu: () => (/* binding */ LANDLOCK_ACCESS_FS_READ_FILE),
/* harmony export */   Eh: () => (/* binding */ LANDLOCK_ACCESS_FS_MAKE_CHAR),
/* harmony export */   F7: () => (/* binding */ LANDLOCK_ACCESS_FS_TRUNCATE),
/* harmony export */   G_: () => (/* binding */ LANDLOCK_ACCESS_FS_MAKE_SOCK),
/* harmony export */   IE: () => (/* binding */ LANDLOCK_ACCESS_FS_RESOLVE_UNIX),
/* harmony export */   Ix: () => (/* binding */ NR_landlock_create_ruleset),
/* harmony export */   Jn: () => (/* binding */ LANDLOCK_CREATE_RULESET_ERRATA),
/* harmony export */   MO: () => (/* binding */ LANDLOCK_ACCESS_FS_MAKE_FIFO),
/* harmony export */   Ol: () => (/* binding */ LANDLOCK_CREATE_RULESET_VERSION),
/* harmony export */   Ow: () => (/* binding */ NR_landlock_restrict_self),
/* harmony export */   PW: () => (/* binding */ LANDLOCK_ACCESS_FS_WRITE_FILE),
/* harmony export */   Py: () => (/* binding */ LANDLOCK_RESTRICT_SELF_TSYNC),
/* harmony export */   QO: () => (/* binding */ LANDLOCK_ACCESS_FS_IOCTL_DEV),
/* harmony export */   QQ: () => (/* binding */ LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET),
/* harmony export */   Rm: () => (/* binding */ LANDLOCK_ACCESS_FS_READ_DIR),
/* harmony export */   Rp: () => (/* binding */ LANDLOCK_ACCESS_NET_CONNECT_TCP),
/* harmony export */   SE: () => (/* binding */ LANDLOCK_RULE_NET_PORT),
/* harmony export */   TA: () => (/* binding */ NR_landlock_add_rule),
/* harmony export */   Uj: () => (/* binding */ LANDLOCK_ACCESS_NET_BIND_TCP),
/* harmony export */   Vp: () => (/* binding */ LANDLOCK_ACCESS_FS_MAKE_SYM),
/* harmony export */   b: () => (/* binding */ errno),
/* harmony export */   gh: () => (/* binding */ errnoName),
/* harmony export */   go: () => (/* binding */ LANDLOCK_ACCESS_FS_MAKE_REG),
/* harmony export */   hH: () => (/* binding */ LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON),
/* harmony export */   hQ: () => (/* binding */ LANDLOCK_ACCESS_FS_REFER),
/* harmony export */   lK: () => (/* binding */ LANDLOCK_SCOPE_SIGNAL),
/* harmony export */   o: () => (/* binding */ LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF),
/* harmony export */   o1: () => (/* binding */ PATH_BENEATH_ATTR_SIZE),
/* harmony export */   wX: () => (/* binding */ LANDLOCK_ACCESS_FS_EXECUTE),
/* harmony export */   xY: () => (/* binding */ LANDLOCK_ACCESS_FS_REMOVE_DIR),
/* harmony export */   xZ: () => (/* binding */ LANDLOCK_ACCESS_FS_MAKE_DIR),
/* harmony export */   y0: () => (/* binding */ NET_PORT_ATTR_SIZE),
/* harmony export */   yc: () => (/* binding */ LANDLOCK_ACCESS_FS_REMOVE_FILE),
/* harmony export */   z7: () => (/* binding */ LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF),
/* harmony export */   zz: () => (/* binding */ LANDLOCK_ACCESS_FS_MAKE_BLOCK)
/* harmony export */ });
/* unused harmony exports RULESET_ATTR_SIZE_FS, RULESET_ATTR_SIZE_NET, RULESET_ATTR_SIZE_SCOPED */
// Kernel constants, spelled as in include/uapi/linux/landlock.h and friends.
// Values are plain numbers: every Landlock mask we use fits in 53 bits.
const LANDLOCK_CREATE_RULESET_VERSION = 1 << 0;
const LANDLOCK_CREATE_RULESET_ERRATA = 1 << 1;
const LANDLOCK_RULE_PATH_BENEATH = 1;
const LANDLOCK_RULE_NET_PORT = 2;
const LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF = 1 << 0;
const LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON = 1 << 1;
const LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF = 1 << 2;
const LANDLOCK_RESTRICT_SELF_TSYNC = 1 << 3;
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


/***/ }),

/***/ 945:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Ck: () => (/* binding */ withDns),
/* harmony export */   O: () => (/* binding */ DNS_ENV)
/* harmony export */ });
/* unused harmony export RESOLVER_FILES */
const RESOLVER_FILES = ['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/gai.conf', '/etc/host.conf'];
const DNS_ENV = { RES_OPTIONS: 'use-vc' };
/** The policy plus what the resolver needs. Missing resolver files are skipped by the caller's describe. */
function withDns(policy, exists) {
    return {
        ...policy,
        paths: [
            ...policy.paths,
            ...RESOLVER_FILES.filter(exists).map((path) => ({ flag: 'ro', path, source: '--allow-dns' })),
        ],
        connectTcp: [...policy.connectTcp, { port: 53, source: '--allow-dns' }],
    };
}


/***/ }),

/***/ 490:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   fG: () => (/* binding */ PRESETS),
/* harmony export */   l6: () => (/* binding */ isPresetName),
/* harmony export */   uZ: () => (/* binding */ ciPreset),
/* harmony export */   vf: () => (/* binding */ scrubEnvironment)
/* harmony export */ });
/* unused harmony exports HOME_SECRETS, RUNNER_SECRET_VARIABLES */
/* harmony import */ var _landlock_plan_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(775);
// Presets: policies computed from the environment they run in. `ci` is what a CI test step needs
// (the system, its tools, the workspace, a private temporary directory) and nothing that lets it
// reach secrets or poison later steps. Pure: the caller hands in the facts (paths, HOME's entries).

const PRESETS = ['ci', 'none'];
function isPresetName(s) {
    return PRESETS.includes(s);
}
/** HOME entries that hold credentials or keys; never readable under the ci preset. */
const HOME_SECRETS = [
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
];
const SYSTEM_EXEC = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/opt'];
const SYSTEM_READ = ['/etc', '/proc', '/sys'];
const DEVICES_RW = ['/dev/null', '/dev/tty', '/dev/pts', '/dev/shm', '/dev/full'];
const DEVICES_RO = ['/dev/zero', '/dev/random', '/dev/urandom'];
const SOURCE = 'preset ci';
/** The ci preset as grants. Protections that are not grants (git snapshots, env) live elsewhere. */
function ciPreset(ctx) {
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
            const holdsSkipped = skip.some((s) => s !== p && (0,_landlock_plan_js__WEBPACK_IMPORTED_MODULE_0__/* .isBeneath */ .w7)(s, p));
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


/***/ }),

/***/ 382:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Cm: () => (/* binding */ SyscallError),
/* harmony export */   cI: () => (/* binding */ ExecError),
/* harmony export */   dc: () => (/* binding */ EXIT),
/* harmony export */   eb: () => (/* binding */ UsageError),
/* harmony export */   fD: () => (/* binding */ UnsupportedKernelError),
/* harmony export */   pn: () => (/* binding */ PolicyError)
/* harmony export */ });
// The few error classes of the project. They are thrown anywhere and caught only at the edges
// (cli/main, action/main, action/post, the launcher entry), which turn them into exit codes.
/** Bad command-line usage: unknown flag, missing value, empty command. Exit 2, nothing run. */
class UsageError extends Error {
    name = 'UsageError';
}
/** A policy that cannot be compiled: missing path, bad port, garbage policy file. Exit 2. */
class PolicyError extends Error {
    name = 'PolicyError';
}
/** The kernel cannot enforce what the invocation depends on (strict mode). Exit 2. */
class UnsupportedKernelError extends Error {
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
class SyscallError extends Error {
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


/***/ }),

/***/ 24:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 995:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");

/***/ }),

/***/ 760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
// EXTERNAL MODULE: ./src/policy/dns.ts
var dns = __nccwpck_require__(945);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __nccwpck_require__(382);
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

// EXTERNAL MODULE: ./src/landlock/abi.ts
var landlock_abi = __nccwpck_require__(676);
// EXTERNAL MODULE: ./src/landlock/access.ts
var landlock_access = __nccwpck_require__(766);
// EXTERNAL MODULE: ./src/landlock/uapi.ts
var uapi = __nccwpck_require__(813);
;// CONCATENATED MODULE: ./src/landlock/compat.ts
// The pure downgrade: a plan written for the newest ABI we know, masked to what a kernel (or
// --target-abi) offers, plus a report that names every right that was lost and what brings it.



const FS_CORE = 0x7fff & ~landlock_access/* FS_RIGHTS */.aU.refer; // rights whose absence makes the filesystem sandbox meaningless
const RESTRICT_FLAG_NAMES = [
    [uapi/* LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF */.z7, 'audit.log_same_exec_off'],
    [uapi/* LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON */.hH, 'audit.log_new_exec_on'],
    [uapi/* LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF */.o, 'audit.log_subdomains_off'],
    [uapi/* LANDLOCK_RESTRICT_SELF_TSYNC */.Py, 'restrict.tsync'],
];
const FS_CONSEQUENCE = {
    refer: 'renames and hard links between directories fail with EXDEV (mv falls back to copying)',
    truncate: 'files that can be opened for reading can be truncated (O_TRUNC, truncate(2)) without write access',
    ioctl_dev: 'ioctl(2) on device files is not restricted',
    resolve_unix: 'connecting to pathname unix sockets is not ruled by Landlock',
};
function downgrade(requested, opts) {
    const { kernelAbi, bestEffort } = opts;
    if (opts.targetAbi !== undefined && opts.targetAbi > kernelAbi) {
        throw new RangeError(`--target-abi ${opts.targetAbi} is above the kernel's Landlock ABI ${kernelAbi}`);
    }
    const abi = Math.min(opts.targetAbi ?? kernelAbi, landlock_abi/* LATEST_KNOWN_ABI */.Zv);
    const row = (0,landlock_abi/* abiRow */.r_)(abi);
    const dropped = [];
    const notes = [];
    const add = (d) => {
        dropped.push(d);
    };
    const fsRestricted = (requested.handledFs & FS_CORE) !== 0;
    const netRestricted = requested.handledNet !== 0;
    // Filesystem.
    if (abi === 0 && (fsRestricted || netRestricted || requested.scoped !== 0)) {
        add({
            right: 'landlock',
            neededAbi: 1,
            required: fsRestricted,
            consequence: 'no Landlock on this kernel: nothing on the filesystem is restricted',
        });
    }
    const lostFs = requested.handledFs & ~row.fs;
    if (abi > 0) {
        for (const name of (0,landlock_access/* fsNames */.Ey)(lostFs)) {
            if (name === 'resolve_unix')
                continue; // replaced by the seccomp unix profile below
            const bit = landlock_access/* FS_RIGHTS */.aU[name];
            const required = fsRestricted && (bit & 0x7fff) !== 0;
            add({
                right: `fs.${name}`,
                neededAbi: (0,landlock_abi/* abiIntroducing */.tI)('fs', bit),
                required,
                consequence: FS_CONSEQUENCE[name] ?? `fs.${name} is not restricted`,
            });
        }
    }
    const handledFs = requested.handledFs & row.fs;
    const pathRules = [];
    for (const r of requested.pathRules) {
        const access = r.access & handledFs;
        if (access !== 0)
            pathRules.push({ ...r, access });
    }
    // Network. Seccomp cannot see ports, so per-port TCP rules need Landlock ABI 4; without any
    // TCP grant, refusing IP sockets outright (seccomp 'none') enforces the same thing exactly.
    let handledNet = requested.handledNet & row.net;
    let netRules = requested.netRules.map((r) => ({ ...r, access: r.access & handledNet })).filter((r) => r.access !== 0);
    let seccomp = requested.seccomp;
    const lostNet = requested.handledNet & ~row.net;
    if (lostNet !== 0) {
        if (requested.netRules.length === 0 && seccomp) {
            seccomp = { ...seccomp, inet: 'none' };
            notes.push(`Landlock ABI ${abi} has no TCP rules (ABI 4, Linux 6.7): every IP socket is refused by seccomp instead, so no TCP is possible at all`);
        }
        else {
            for (const name of (0,landlock_access/* netNames */.C6)(lostNet)) {
                add({
                    right: `net.${name}`,
                    neededAbi: 4,
                    required: true,
                    consequence: name === 'bind_tcp' ? 'TCP bind is not restricted to the granted ports' : 'TCP connect is not restricted to the granted ports',
                });
            }
            handledNet = 0;
            netRules = [];
        }
    }
    // Pathname unix sockets: Landlock rules them from ABI 9 (fs.resolve_unix); below that the seccomp
    // filter refuses socket(AF_UNIX) unless a grant asks for unix sockets, which then cannot be per path.
    if ((requested.handledFs & landlock_access/* FS_RIGHTS */.aU.resolve_unix) !== 0 && (row.fs & landlock_access/* FS_RIGHTS */.aU.resolve_unix) === 0 && seccomp) {
        const grants = requested.pathRules.filter((r) => (r.access & landlock_access/* FS_RIGHTS */.aU.resolve_unix) !== 0);
        if (grants.length === 0) {
            seccomp = { ...seccomp, unix: 'socketpair' };
            notes.push(`Landlock ABI ${abi} cannot rule pathname unix sockets (fs.resolve_unix, ABI 9): socket(AF_UNIX) is refused by seccomp; socketpair(2) still works`);
        }
        else {
            seccomp = { ...seccomp, unix: 'all' };
            add({
                right: 'fs.resolve_unix',
                neededAbi: 9,
                required: false,
                consequence: `${grants.map((g) => g.sources.join(', ')).join('; ')} cannot be enforced per path below ABI 9: every pathname unix socket can be connected${(row.scoped & landlock_access/* SCOPES */.iW.abstract_unix_socket) !== 0 && (requested.scoped & landlock_access/* SCOPES */.iW.abstract_unix_socket) !== 0
                    ? ' (abstract sockets outside the sandbox stay scoped)'
                    : ', and abstract ones too'}`,
            });
        }
    }
    // Scopes: hardening, applied when present.
    const scoped = requested.scoped & row.scoped;
    if (abi > 0) {
        for (const name of (0,landlock_access/* scopeNames */.zR)(requested.scoped & ~row.scoped)) {
            add({
                right: `scope.${name}`,
                neededAbi: 6,
                required: false,
                consequence: name === 'signal'
                    ? 'the sandbox can send signals to processes outside it'
                    : seccomp?.unix === 'socketpair'
                        ? 'abstract unix sockets outside the sandbox are reachable in principle (socket(AF_UNIX) is refused by seccomp, so not in practice)'
                        : 'abstract unix sockets outside the sandbox can be connected',
            });
        }
    }
    // restrict_self flags.
    const restrictFlags = requested.restrictFlags & row.restrictFlags;
    for (const [bit, name] of RESTRICT_FLAG_NAMES) {
        if ((requested.restrictFlags & bit) !== 0 && (row.restrictFlags & bit) === 0) {
            add({ right: name, neededAbi: (0,landlock_abi/* abiIntroducing */.tI)('restrict', bit), required: false, consequence: `${name} is not applied` });
        }
    }
    const plan = {
        abi,
        handledFs,
        handledNet,
        scoped,
        pathRules,
        netRules,
        restrictFlags,
        seccomp,
        dropCapabilities: requested.dropCapabilities,
    };
    const anyLandlock = handledFs !== 0 || handledNet !== 0 || scoped !== 0;
    const requestedLandlock = requested.handledFs !== 0 || requested.handledNet !== 0 || requested.scoped !== 0;
    const status = requestedLandlock && !anyLandlock ? 'none' : dropped.length === 0 ? 'full' : 'partial';
    const refused = !bestEffort && dropped.some((d) => d.required);
    return {
        plan,
        report: {
            kernelAbi,
            abi,
            targetAbi: opts.targetAbi,
            bestEffort,
            status,
            refused,
            dropped,
            notes,
        },
    };
}
/** One line per missing required right, for the strict-mode refusal. */
function refusalMessage(report) {
    const req = report.dropped.filter((d) => d.required);
    const where = report.targetAbi !== undefined ? `--target-abi ${report.abi}` : `this kernel (Landlock ABI ${report.kernelAbi})`;
    const lines = req.map((d) => `  - ${d.right} needs Landlock ABI ${d.neededAbi} (Linux ${(0,landlock_abi/* kernelFor */.ZJ)(d.neededAbi)}): ${d.consequence}`);
    return [
        `refusing to run: ${where} cannot enforce what this sandbox depends on:`,
        ...lines,
        `Run on a newer kernel, or pass --best-effort to run with what is available (every dropped right is reported).`,
    ].join('\n');
}

// EXTERNAL MODULE: ./src/landlock/plan.ts
var landlock_plan = __nccwpck_require__(775);
;// CONCATENATED MODULE: ./src/policy/parse.ts
// Pure parsers for the values of path, port and environment options. Errors quote the value,
// name the option, and say what was expected.

/** Splits a comma-separated list; `\,` keeps a comma inside an item and `\\` is a backslash. */
function splitList(value) {
    const out = [];
    let cur = '';
    for (let i = 0; i < value.length; i++) {
        const c = value[i];
        if (c === '\\' && (value[i + 1] === ',' || value[i + 1] === '\\')) {
            cur += value[i + 1];
            i++;
        }
        else if (c === ',') {
            out.push(cur);
            cur = '';
        }
        else {
            cur += c;
        }
    }
    out.push(cur);
    return out;
}
/** Path list items: trimmed, empty items are an error (a stray comma is usually a mistake). */
function parsePathList(value, option) {
    const items = splitList(value).map((s) => s.trim());
    items.forEach((item) => {
        if (item === '') {
            throw new errors/* PolicyError */.pn(`empty path in ${option} '${value}': expected a path or a comma-separated list of paths`);
        }
        if (item.includes('\0'))
            throw new errors/* PolicyError */.pn(`invalid path in ${option}: it contains a NUL byte`);
    });
    return items;
}
const PORT_RE = /^\d+$/;
function parsePort(text, option, whole) {
    const bad = () => {
        throw new errors/* PolicyError */.pn(`invalid port '${text}' in ${option}${whole !== text ? ` '${whole}'` : ''}: expected 1-65535 or a range like 8000-8100`);
    };
    if (!PORT_RE.test(text))
        bad();
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 1 || n > 65535)
        bad();
    return n;
}
/** "80", "80,443", "8000-8100", repeated; every port is checked, nothing wraps around. */
function parsePortList(value, option) {
    const out = [];
    for (const raw of value.split(',')) {
        const item = raw.trim();
        if (item === '') {
            throw new errors/* PolicyError */.pn(`empty port in ${option} '${value}': expected 1-65535 or a range like 8000-8100`);
        }
        const source = `${option} ${item}`;
        const dash = item.indexOf('-', 1);
        if (dash > 0) {
            const lo = parsePort(item.slice(0, dash).trim(), option, item);
            const hi = parsePort(item.slice(dash + 1).trim(), option, item);
            if (lo > hi) {
                throw new errors/* PolicyError */.pn(`invalid port range '${item}' in ${option}: the first port must not be above the last`);
            }
            for (let p = lo; p <= hi; p++)
                out.push({ port: p, source });
        }
        else {
            out.push({ port: parsePort(item, option, item), source });
        }
    }
    return out;
}
const ENV_KEY_RE = /^[^=\0]+$/;
/** `KEY` or `KEY=VALUE`; the value is taken verbatim (never split at commas). */
function parseEnvEntry(text, option = '--env') {
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    if (!ENV_KEY_RE.test(key) || key.trim() !== key) {
        throw new errors/* PolicyError */.pn(`invalid ${option} '${text}': expected KEY or KEY=VALUE with a non-empty KEY`);
    }
    if (text.includes('\0'))
        throw new errors/* PolicyError */.pn(`invalid ${option} '${key}': the value contains a NUL byte`);
    return { key, value: eq < 0 ? undefined : text.slice(eq + 1) };
}
/** The sandboxed environment: only the listed variables; a bare KEY copies the caller's value if set. */
function buildEnvironment(entries, caller) {
    const env = new Map();
    for (const e of entries) {
        const v = e.value ?? caller[e.key];
        if (v !== undefined)
            env.set(e.key, v);
    }
    return [...env].map(([k, v]) => `${k}=${v}`);
}

// EXTERNAL MODULE: ./src/landlock/seccomp.ts
var seccomp = __nccwpck_require__(468);
;// CONCATENATED MODULE: ./src/policy/explain.ts
// Renders the effective plan and the enforcement report: plain text for the CLI (--explain, info
// logging) and Markdown for the job summary. Only the effective plan is ever shown as enforced.



/** The short flag-like name of a rule's rights when it is exactly one flag's set, else the list. */
function accessLabel(rule, handledFs) {
    for (const flag of ['rwx', 'rw', 'rox', 'ro', 'unix']) {
        let want = landlock_access/* FLAG_RIGHTS */.NV[flag] & handledFs;
        if (rule.kind !== 'dir')
            want &= landlock_access/* FS_FILE_RIGHTS */.$t;
        if (want !== 0 && rule.access === want)
            return flag;
    }
    return (0,landlock_access/* fsNames */.Ey)(rule.access).join(',');
}
function abiLine(report, errata) {
    const k = report.kernelAbi === 0 ? 'no Landlock' : `Landlock ABI ${report.kernelAbi}${errata ? ` (errata 0x${errata.toString(16)})` : ''}`;
    const t = report.targetAbi !== undefined ? `, enforcing as ABI ${report.abi} (--target-abi)` : '';
    return `kernel: ${k}${t}; status: ${report.status}${report.bestEffort ? ' (best effort)' : ''}`;
}
function handledLine(plan) {
    const part = (label, names) => `${label}: ${names.length ? names.join(' ') : 'not restricted'}`;
    return [
        part('filesystem', (0,landlock_access/* fsNames */.Ey)(plan.handledFs)),
        part('network', (0,landlock_access/* netNames */.C6)(plan.handledNet)),
        part('scopes', (0,landlock_access/* scopeNames */.zR)(plan.scoped)),
    ].join('; ');
}
function ruleLines(plan, verbose = false) {
    const lines = [];
    const width = Math.min(48, Math.max(8, ...plan.pathRules.map((r) => r.path.length)));
    for (const r of plan.pathRules) {
        const rights = verbose ? (0,landlock_access/* qualifiedNames */.re)('fs', r.access).join(' ') : accessLabel(r, plan.handledFs);
        const real = r.realPath !== r.path ? ` (-> ${r.realPath})` : '';
        lines.push(`  ${r.path.padEnd(width)}  ${r.kind.padEnd(4)}  ${rights.padEnd(verbose ? 0 : 4)}  from ${r.sources.join(', ')}${real}`);
    }
    for (const r of compressPorts(plan))
        lines.push(`  ${`tcp ${r.ports}`.padEnd(width)}  port  ${r.rights}  from ${r.sources}`);
    if (lines.length === 0)
        lines.push('  (no rules: nothing is granted)');
    return lines;
}
/** Consecutive ports with the same rights are shown as one range. */
function compressPorts(plan) {
    const out = [];
    for (const r of plan.netRules) {
        const last = out[out.length - 1];
        const sources = r.sources.join(', ');
        if (last && last.hi === r.port - 1 && last.access === r.access && last.sources === sources)
            last.hi = r.port;
        else
            out.push({ lo: r.port, hi: r.port, access: r.access, sources });
    }
    return out.map((o) => ({
        ports: o.lo === o.hi ? `${o.lo}` : `${o.lo}-${o.hi}`,
        rights: (0,landlock_access/* netNames */.C6)(o.access).join(','),
        sources: o.sources,
    }));
}
function droppedLines(report) {
    return report.dropped.map((d) => `${d.right} (needs Landlock ABI ${d.neededAbi}, Linux ${(0,landlock_abi/* kernelFor */.ZJ)(d.neededAbi)})${d.required ? ' [required]' : ''}: ${d.consequence}`);
}
function capabilitiesLine(c) {
    return c === 'dropped'
        ? 'capabilities: all dropped before exec'
        : c === 'kept'
            ? 'capabilities: KEPT (--keep-caps): the command runs with the caller\'s capabilities'
            : 'capabilities: none held';
}
function explainText(input) {
    const { plan, report } = input;
    const out = [];
    out.push(`landrun plan`);
    out.push(`  ${abiLine(report, input.errata)}`);
    if (input.command)
        out.push(`  command: ${input.command.join(' ')}`);
    out.push(`  handled: ${handledLine(plan)}`);
    out.push(`rules:`);
    out.push(...ruleLines(plan));
    out.push(`seccomp: ${(0,seccomp/* seccompProfileName */.L5)(plan.seccomp)}${plan.seccomp ? ` (${(0,seccomp/* describeSeccomp */.S$)(plan.seccomp)})` : ''}`);
    out.push(capabilitiesLine(input.capabilities));
    out.push(`dropped rights:${report.dropped.length ? '' : ' none'}`);
    for (const l of droppedLines(report))
        out.push(`  - ${l}`);
    const notes = [...report.notes, ...(input.extraNotes ?? [])];
    if (notes.length) {
        out.push('notes:');
        for (const n of notes)
            out.push(`  - ${n}`);
    }
    if (report.refused)
        out.push('verdict: REFUSED (strict mode): a required right is missing; --best-effort would run without it');
    return out.join('\n') + '\n';
}
const mdEscape = (s) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** The same report as Markdown, for a job summary. */
function explainMarkdown(input) {
    const { plan, report } = input;
    const out = [];
    const statusIcon = report.status === 'full' ? '🟢' : report.status === 'partial' ? '🟡' : '🔴';
    out.push(`### ${input.title}`, '');
    out.push('| | |', '|---|---|');
    out.push(`| status | ${statusIcon} ${report.status}${report.bestEffort ? ' (best effort)' : ''} |`);
    out.push(`| Landlock | ${report.kernelAbi === 0 ? 'not available' : `ABI ${report.kernelAbi}${input.errata ? `, errata 0x${input.errata.toString(16)}` : ''}`}${report.targetAbi !== undefined ? `, enforcing ABI ${report.abi} (target-abi)` : ''} |`);
    if (input.exitCode !== undefined)
        out.push(`| exit code | ${input.exitCode} |`);
    if (input.durationMs !== undefined)
        out.push(`| duration | ${(input.durationMs / 1000).toFixed(1)} s |`);
    out.push(`| seccomp | ${seccompProfileName(plan.seccomp)}${plan.seccomp ? `: ${mdEscape(describeSeccomp(plan.seccomp))}` : ''} |`);
    out.push(`| ${mdEscape(capabilitiesLine(input.capabilities).split(':')[0] ?? 'capabilities')} | ${mdEscape(capabilitiesLine(input.capabilities).split(': ').slice(1).join(': '))} |`);
    for (const [k, v] of input.extraRows ?? [])
        out.push(`| ${mdEscape(k)} | ${mdEscape(v)} |`);
    out.push('');
    out.push('<details><summary>Rules</summary>', '');
    out.push('| path | kind | rights | from |', '|---|---|---|---|');
    for (const r of plan.pathRules) {
        out.push(`| \`${mdEscape(r.path)}\` | ${r.kind} | ${accessLabel(r, plan.handledFs)} | ${mdEscape(r.sources.join(', '))} |`);
    }
    for (const r of plan.netRules)
        out.push(`| tcp ${r.port} | port | ${netNames(r.access).join(', ')} | ${mdEscape(r.sources.join(', '))} |`);
    if (plan.pathRules.length + plan.netRules.length === 0)
        out.push('| (none) | | | |');
    out.push('', '</details>', '');
    if (report.dropped.length) {
        out.push('**Not enforced on this kernel:**', '');
        out.push('| right | needs | effect |', '|---|---|---|');
        for (const d of report.dropped)
            out.push(`| ${d.right}${d.required ? ' (required)' : ''} | ABI ${d.neededAbi} (Linux ${kernelFor(d.neededAbi)}) | ${mdEscape(d.consequence)} |`);
        out.push('');
    }
    const notes = [...report.notes, ...(input.extraNotes ?? [])];
    if (notes.length)
        out.push(...notes.map((n) => `- ${n}`), '');
    if (input.reproduce)
        out.push('Reproduce locally:', '', '```sh', input.reproduce, '```', '');
    return out.join('\n');
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
            const n = (0,external_node_fs_.readSync)(this.fd, buf, done, length - done, offset + done);
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
    const fd = (0,external_node_fs_.openSync)(path, 'r');
    try {
        return readElfFd(new FileWindow(path, fd, (0,external_node_fs_.fstatSync)(fd).size));
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/**
 * Only PT_INTERP, from one 4 KiB read: the exec check runs before every sandboxed command, and
 * the program headers of real binaries sit right after the ELF header. Falls back to readElf
 * when they do not. Returns undefined for non-ELF files and static binaries.
 */
function readInterpreter(path) {
    const fd = (0,external_node_fs_.openSync)(path, 'r');
    let head;
    try {
        head = Buffer.alloc(4096);
        head = head.subarray(0, (0,external_node_fs_.readSync)(fd, head, 0, head.length, 0));
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
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
        buf = (0,external_node_fs_.readFileSync)(path);
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
        return (0,external_node_fs_.statSync)(p).isDirectory();
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
        return (0,external_node_path_.join)((0,external_node_fs_.realpathSync)((0,external_node_path_.dirname)(collapsed)), (0,external_node_path_.basename)(collapsed));
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
function resolveLoadDeps(binary, opts = {}) {
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
            const st = (0,external_node_fs_.statSync)(p);
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
        origin: (0,external_node_path_.dirname)(safeRealpath(binaryPath)),
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
            origin: (0,external_node_path_.dirname)(interpPath),
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
            const lib = { path: found, info, origin: (0,external_node_path_.dirname)(found), loader: obj };
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
        return (0,external_node_fs_.statSync)(p).isFile();
    }
    catch {
        return false;
    }
}
function safeRealpath(p) {
    try {
        return (0,external_node_fs_.realpathSync)(p);
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
        ? [(0,external_node_path_.isAbsolute)(name) ? name : (0,external_node_path_.resolve)(cwd, name)]
        : (pathEnv ?? DEFAULT_PATH).split(external_node_path_.delimiter).map((d) => (0,external_node_path_.resolve)(cwd, d === '' ? '.' : d, name));
    let notExecutable;
    for (const c of candidates) {
        let st;
        try {
            st = (0,external_node_fs_.statSync)(c);
        }
        catch {
            continue;
        }
        if (!st.isFile()) {
            notExecutable ??= c;
            continue;
        }
        try {
            (0,external_node_fs_.accessSync)(c, external_node_fs_.constants.X_OK);
        }
        catch {
            notExecutable ??= c;
            continue;
        }
        return { name, path: c, realPath: (0,external_node_fs_.realpathSync)(c) };
    }
    if (notExecutable)
        throw new errors/* ExecError */.cI(`cannot execute '${name}': ${notExecutable} is not an executable file`, 126);
    throw new errors/* ExecError */.cI(name.includes('/')
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
            const path = (0,external_node_path_.isAbsolute)(shebang) ? shebang : (0,external_node_path_.resolve)((0,external_node_path_.dirname)(current.realPath), shebang);
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
        return (0,external_node_fs_.realpathSync)(path);
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
        fd = (0,external_node_fs_.openSync)(path, 'r');
        const buf = Buffer.alloc(256);
        const n = (0,external_node_fs_.readSync)(fd, buf, 0, 256, 0);
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
            (0,external_node_fs_.closeSync)(fd);
    }
}
const EXEC_NEEDS = landlock_access/* FS_RIGHTS */.aU.execute | landlock_access/* FS_RIGHTS */.aU.read_file;
/** Throws ExecError(126) naming the first file in the chain the policy will not let the kernel execute. */
function checkExecChain(plan, chain) {
    for (const step of chain) {
        const access = (0,landlock_plan/* effectiveFsAccess */.xl)(plan, step.realPath);
        if (access === undefined)
            return; // filesystem not restricted
        const missing = EXEC_NEEDS & plan.handledFs & ~access;
        if (missing === 0)
            continue;
        throw new errors/* ExecError */.cI(execDeniedMessage(plan, chain, step, access & plan.handledFs), 126);
    }
}
function execDeniedMessage(plan, chain, step, access) {
    const cmd = chain[0];
    const shown = step.realPath !== step.path ? `${step.path} (-> ${step.realPath})` : step.path;
    const what = step.role === 'command'
        ? `cannot execute ${shown}: it`
        : `cannot execute ${cmd.path}: its ${step.role} ${shown}, which the kernel executes to start ${step.neededBy ?? cmd.path},`;
    const covering = (0,landlock_plan/* rulesCovering */.jD)(plan, step.realPath);
    const granted = access === 0
        ? 'no rule grants anything on it'
        : `it is only granted ${(0,landlock_access/* fsNames */.Ey)(access).join(', ')} (by ${covering.map((r) => r.sources.join(', ')).join('; ')})`;
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
    if (loader && (((0,landlock_plan/* effectiveFsAccess */.xl)(plan, `${(0,external_node_path_.dirname)(loader.realPath)}/libc.so.6`) ?? 0) & landlock_access/* FS_RIGHTS */.aU.read_file) !== 0)
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
            const access = (0,landlock_plan/* effectiveFsAccess */.xl)(plan, real) ?? landlock_access/* FS_RIGHTS */.aU.read_file;
            if ((access & landlock_access/* FS_RIGHTS */.aU.read_file) === 0 && !out.includes(real))
                out.push(real);
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/policy/compile.ts
// Policy -> requested RulesetPlan, written for the newest ABI we know. Pure: the only thing it
// needs to know about paths (kind and resolved path) is handed in by the caller.




function compilePolicy(policy, describe) {
    const latest = (0,landlock_abi/* abiRow */.r_)(landlock_abi/* LATEST_KNOWN_ABI */.Zv);
    const fsRestricted = !policy.unrestrictedFilesystem;
    const netRestricted = !policy.unrestrictedNetwork;
    const unixRestricted = netRestricted && !policy.allowUnixSockets;
    const notes = [];
    const skipped = [];
    let handledFs = 0;
    if (fsRestricted)
        handledFs = latest.fs & ~landlock_access/* FS_RIGHTS */.aU.resolve_unix;
    // Even a domain that only rules the network denies reparenting (refer) unless it is handled and
    // granted: keep renames working under --unrestricted-filesystem by granting refer on /.
    else if (netRestricted || !policy.unrestrictedScoped)
        handledFs = landlock_access/* FS_RIGHTS */.aU.refer;
    if (unixRestricted)
        handledFs |= landlock_access/* FS_RIGHTS */.aU.resolve_unix;
    const byRealPath = new Map();
    const addRule = (path, realPath, kind, access, source) => {
        const masked = kind === 'dir' ? access : access & landlock_access/* FS_FILE_RIGHTS */.$t;
        if (masked === 0)
            return;
        const prev = byRealPath.get(realPath);
        if (prev) {
            prev.access |= masked;
            if (!prev.sources.includes(source))
                prev.sources.push(source);
        }
        else {
            byRealPath.set(realPath, { path, realPath, kind, access: masked, sources: [source] });
        }
    };
    const ignoredFs = [];
    const ignoredUnix = [];
    for (const g of policy.paths) {
        if (g.flag === 'unix' ? !unixRestricted : !fsRestricted) {
            (g.flag === 'unix' ? ignoredUnix : ignoredFs).push(g.source);
            continue;
        }
        const info = describe(g.path);
        if (info.kind === 'missing') {
            if (policy.ignoreMissing) {
                skipped.push(g);
                continue;
            }
            throw new errors/* PolicyError */.pn(missingPathMessage(g));
        }
        addRule(g.path, info.realPath, info.kind, landlock_access/* FLAG_RIGHTS */.NV[g.flag], g.source);
    }
    if (!fsRestricted && handledFs & landlock_access/* FS_RIGHTS */.aU.refer) {
        addRule('/', '/', 'dir', landlock_access/* FS_RIGHTS */.aU.refer, '--unrestricted-filesystem (refer kept working)');
    }
    if (ignoredFs.length > 0)
        notes.push(`ignored because of --unrestricted-filesystem: ${ignoredFs.join(', ')}`);
    if (ignoredUnix.length > 0) {
        notes.push(`ignored because unix sockets are not restricted (${policy.unrestrictedNetwork ? '--unrestricted-network' : '--allow-unix-sockets'}): ${ignoredUnix.join(', ')}`);
    }
    const ports = new Map();
    const addPort = (port, access, source) => {
        const prev = ports.get(port);
        if (prev) {
            prev.access |= access;
            if (!prev.sources.includes(source))
                prev.sources.push(source);
        }
        else
            ports.set(port, { access, sources: [source] });
    };
    if (netRestricted) {
        for (const p of policy.bindTcp)
            addPort(p.port, landlock_access/* NET_RIGHTS */.o8.bind_tcp, p.source);
        for (const p of policy.connectTcp)
            addPort(p.port, landlock_access/* NET_RIGHTS */.o8.connect_tcp, p.source);
    }
    else if (policy.bindTcp.length + policy.connectTcp.length > 0) {
        notes.push('TCP port rules ignored because of --unrestricted-network');
    }
    let restrictFlags = 0;
    if (policy.log.disableOriginating)
        restrictFlags |= uapi/* LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF */.z7;
    if (policy.log.enableSubprocesses)
        restrictFlags |= uapi/* LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON */.hH;
    if (policy.log.disableSubdomains)
        restrictFlags |= uapi/* LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF */.o;
    const pathRules = [...byRealPath.values()]
        .map((r) => ({ ...r, access: r.access & handledFs }))
        .filter((r) => r.access !== 0)
        .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const netRules = [...ports]
        .sort(([a], [b]) => a - b)
        .map(([port, r]) => ({ port, access: r.access, sources: r.sources }));
    return {
        plan: {
            abi: landlock_abi/* LATEST_KNOWN_ABI */.Zv,
            handledFs,
            handledNet: netRestricted ? latest.net : 0,
            scoped: policy.unrestrictedScoped ? 0 : landlock_access/* SCOPE_ALL */.Zt,
            pathRules,
            netRules,
            restrictFlags,
            seccomp: netRestricted ? { inet: 'tcp', unix: 'all' } : null,
            dropCapabilities: !policy.keepCapabilities,
        },
        skipped,
        notes,
    };
}
function missingPathMessage(g) {
    const parent = g.path.replace(/\/[^/]+\/?$/, '') || '/';
    const hint = g.flag === 'rw' || g.flag === 'rwx'
        ? ` Landlock rules attach to existing files: create it first, or grant its directory (--${g.flag} ${parent}).`
        : '';
    return `path '${g.path}' in ${g.source} does not exist.${hint} Pass --ignore-missing to skip missing rule paths.`;
}

;// CONCATENATED MODULE: ./src/sandbox/prepare.ts
// From a policy and a command to an effective plan: resolve the command, add the grants that
// --add-exec and --ldd imply, compile, and downgrade to the kernel (or --target-abi).






/** stat + realpath, the only facts about paths that compiling needs. */
function describePath(path) {
    try {
        const st = (0,external_node_fs_.statSync)(path);
        return { kind: st.isDirectory() ? 'dir' : 'file', realPath: (0,external_node_fs_.realpathSync)(path) };
    }
    catch (e) {
        const code = e.code;
        if (code === 'ENOENT' || code === 'ENOTDIR')
            return { kind: 'missing', realPath: path };
        throw new errors/* PolicyError */.pn(`cannot use rule path '${path}': ${e.message}`);
    }
}
function prepare(input) {
    if (input.targetAbi !== undefined && input.targetAbi > input.kernelAbi) {
        throw new errors/* UsageError */.eb(`--target-abi ${input.targetAbi} is above what this kernel offers (Landlock ABI ${input.kernelAbi}): it can only lower the ABI`);
    }
    // Bad rule paths are usage errors (exit 2) and come before "command not found" (127).
    compilePolicy(input.policy, describePath);
    const name = input.command[0];
    const command = name === undefined ? undefined : resolveCommand(name, input.searchPath, input.cwd);
    const chain = command ? execChain(command) : [];
    const extra = [];
    if (input.addExec) {
        for (const step of chain)
            extra.push({ flag: 'rox', path: step.realPath, source: '--add-exec' });
    }
    if (input.ldd) {
        for (const step of chain) {
            if (step.role === 'ELF interpreter' || !isElf(step.realPath))
                continue;
            const deps = resolveLoadDeps(step.realPath);
            if (deps.interpreter)
                extra.push({ flag: 'rox', path: deps.interpreter, source: '--ldd' });
            for (const lib of deps.libraries)
                extra.push({ flag: 'ro', path: lib, source: '--ldd' });
            if (deps.missing.length > 0) {
                throw new errors/* PolicyError */.pn(`--ldd: cannot find ${deps.missing.join(', ')} needed by ${step.path}`);
            }
        }
    }
    const compiled = compilePolicy({ ...input.policy, paths: [...input.policy.paths, ...extra] }, describePath);
    const { plan, report } = downgrade(compiled.plan, {
        kernelAbi: input.kernelAbi,
        targetAbi: input.targetAbi,
        bestEffort: input.bestEffort,
    });
    return { command, chain, compiled, plan, report };
}
function isElf(path) {
    try {
        return readElf(path) !== null;
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./src/policy/schema.ts
const emptyPolicy = {
    paths: [],
    bindTcp: [],
    connectTcp: [],
    unrestrictedFilesystem: false,
    unrestrictedNetwork: false,
    unrestrictedScoped: false,
    allowUnixSockets: false,
    keepCapabilities: false,
    ignoreMissing: false,
    log: { disableOriginating: false, enableSubprocesses: false, disableSubdomains: false },
};

// EXTERNAL MODULE: ./src/policy/presets.ts
var presets = __nccwpck_require__(490);
;// CONCATENATED MODULE: ./src/cli/args.ts
// Command-line parsing. Options come first and end at `--` or at the first argument that is not
// an option, so `landrun --rox / ls -la` and `landrun --env HOME -- env` both mean what they say.
// Pure: the working directory and the caller's environment are handed in.






const PATH_OPTIONS = ['ro', 'rox', 'rw', 'rwx', 'unix'];
const VALUE_OPTIONS = new Set([...PATH_OPTIONS, 'bind-tcp', 'connect-tcp', 'env', 'log-level', 'target-abi', 'save-plan', 'preset']);
const BOOLEAN_OPTIONS = new Set([
    'best-effort',
    'unrestricted-filesystem',
    'unrestricted-network',
    'unrestricted-scoped',
    'ignore-missing',
    'add-exec',
    'ldd',
    'log-disable-originating',
    'log-enable-subprocesses',
    'log-disable-subdomains',
    'explain',
    'keep-caps',
    'allow-unix-sockets',
    'allow-dns',
    'help',
    'version',
]);
function parseArgs(argv, ctx) {
    const paths = [];
    const bind = [];
    const connect = [];
    const env = [];
    const flags = new Set();
    let logLevel;
    let targetAbi;
    let savePlan;
    let preset;
    let i = 0;
    for (; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === '--') {
            i++;
            break;
        }
        if (arg === '-h') {
            flags.add('help');
            continue;
        }
        if (!arg.startsWith('-') || arg === '-')
            break; // the command starts here
        // Long options take one or two dashes, like the Go tool's flag parser.
        const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
        const eq = body.indexOf('=');
        const name = eq < 0 ? body : body.slice(0, eq);
        const inline = eq < 0 ? undefined : body.slice(eq + 1);
        if (BOOLEAN_OPTIONS.has(name)) {
            if (inline === undefined || inline === 'true')
                flags.add(name);
            else if (inline === 'false')
                flags.delete(name);
            else
                throw new errors/* UsageError */.eb(`invalid value '${inline}' for --${name}: expected true or false (or no value)`);
            continue;
        }
        if (!VALUE_OPTIONS.has(name)) {
            throw new errors/* UsageError */.eb(`unknown option '${arg}'${suggest(name)} (see landrun --help; put the command after -- if it starts with a dash)`);
        }
        let value = inline;
        if (value === undefined) {
            i++;
            if (i >= argv.length)
                throw new errors/* UsageError */.eb(`option --${name} needs a value`);
            value = argv[i];
        }
        const option = `--${name}`;
        switch (name) {
            case 'ro':
            case 'rox':
            case 'rw':
            case 'rwx':
            case 'unix':
                for (const p of parsePathList(value, option)) {
                    const abs = (0,external_node_path_.isAbsolute)(p) ? (0,external_node_path_.resolve)(p) : (0,external_node_path_.resolve)(ctx.cwd, p);
                    paths.push({ flag: name, path: abs, source: `${option} ${p}` });
                }
                break;
            case 'bind-tcp':
                bind.push(...parsePortList(value, option));
                break;
            case 'connect-tcp':
                connect.push(...parsePortList(value, option));
                break;
            case 'env':
                env.push(parseEnvEntry(value, option));
                break;
            case 'log-level':
                logLevel = value;
                break;
            case 'target-abi':
                if (!/^\d+$/.test(value) || Number(value) > 99) {
                    throw new errors/* UsageError */.eb(`invalid --target-abi '${value}': expected a Landlock ABI number such as 4`);
                }
                targetAbi = Number(value);
                break;
            case 'preset':
                if (!(0,presets/* isPresetName */.l6)(value))
                    throw new errors/* UsageError */.eb(`invalid --preset '${value}': expected one of ${presets/* PRESETS */.fG.join(', ')}`);
                preset = value;
                break;
            case 'save-plan':
                if (value === '')
                    throw new errors/* UsageError */.eb('--save-plan needs a file name');
                savePlan = (0,external_node_path_.isAbsolute)(value) ? value : (0,external_node_path_.resolve)(ctx.cwd, value);
                break;
        }
    }
    if (flags.has('help'))
        return { kind: 'help' };
    if (flags.has('version'))
        return { kind: 'version' };
    const level = logLevel ?? ctx.env.LANDRUN_LOG_LEVEL ?? 'warn';
    if (!isLogLevel(level)) {
        const from = logLevel !== undefined ? '--log-level' : 'LANDRUN_LOG_LEVEL';
        throw new errors/* UsageError */.eb(`invalid ${from} '${level}': expected one of ${LOG_LEVELS.join(', ')}`);
    }
    const command = argv.slice(i);
    if (command.length === 0 && !flags.has('explain') && savePlan === undefined) {
        throw new errors/* UsageError */.eb('no command given: usage is landrun [options] [--] <command> [args...]');
    }
    if (command[0] === '')
        throw new errors/* UsageError */.eb('the command is an empty string');
    const policy = {
        ...emptyPolicy,
        paths,
        bindTcp: bind,
        connectTcp: connect,
        unrestrictedFilesystem: flags.has('unrestricted-filesystem'),
        unrestrictedNetwork: flags.has('unrestricted-network'),
        unrestrictedScoped: flags.has('unrestricted-scoped'),
        allowUnixSockets: flags.has('allow-unix-sockets'),
        keepCapabilities: flags.has('keep-caps'),
        ignoreMissing: flags.has('ignore-missing'),
        log: {
            disableOriginating: flags.has('log-disable-originating'),
            enableSubprocesses: flags.has('log-enable-subprocesses'),
            disableSubdomains: flags.has('log-disable-subdomains'),
        },
    };
    return {
        kind: 'run',
        invocation: {
            policy,
            env,
            logLevel: level,
            bestEffort: flags.has('best-effort'),
            explain: flags.has('explain'),
            targetAbi,
            addExec: flags.has('add-exec'),
            ldd: flags.has('ldd'),
            allowDns: flags.has('allow-dns'),
            savePlan,
            preset,
            command,
        },
    };
}
function suggest(name) {
    const all = [...VALUE_OPTIONS, ...BOOLEAN_OPTIONS];
    const close = all.find((o) => o.startsWith(name) || name.startsWith(o) || levenshtein(o, name) <= 2);
    return close ? `; did you mean --${close}?` : '';
}
function levenshtein(a, b) {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const cur = row[j];
            row[j] = Math.min(cur + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
            prev = cur;
        }
    }
    return row[b.length];
}
const HELP = `landrun — run a command in a Linux Landlock sandbox (no root, no containers)

usage: landrun [options] [--] <command> [args...]
Options end at "--" or at the first argument that is not an option.
With no rules at all, nothing may be read, written, executed or connected.

filesystem (repeatable; comma-separated lists, "\\," for a comma inside a path):
  --ro PATH        read files (and list directories) beneath PATH
  --rox PATH       --ro plus execute
  --rw PATH        read, write, create, remove, rename and truncate beneath PATH
  --rwx PATH       --rw plus execute
  --ignore-missing skip rule paths that do not exist (otherwise an error)
  --add-exec       grant execute on the command and its ELF interpreter
  --ldd            grant what the command needs to load: its ELF interpreter
                   (execute) and shared libraries (read), found by reading ELF files
network (repeatable; comma-separated ports and ranges such as 8000-8100):
  --bind-tcp PORT     allow binding these TCP ports
  --connect-tcp PORT  allow connecting to these TCP ports
  --unix PATH         allow connecting to this pathname unix socket (enforced per
                      path from Landlock ABI 9; below that, unix sockets are all allowed)
  --allow-unix-sockets  do not restrict unix sockets at all
  --allow-dns         let the resolver work: read its config files, TCP port 53,
                      and ask glibc to resolve over TCP (UDP stays closed)
environment:
  --env KEY        pass the caller's KEY (the environment is otherwise empty)
  --env KEY=VALUE  set KEY (the value is never split at commas)
relaxing:
  --unrestricted-filesystem  do not restrict the filesystem
  --unrestricted-network     do not restrict the network (no seccomp network filter)
  --unrestricted-scoped      do not scope signals and abstract unix sockets
  --keep-caps                keep capabilities when started with some (root)
  --best-effort              run with whatever the kernel supports, reporting every
                             dropped right (default: refuse to run without it)
  --target-abi N             enforce as if the kernel offered only Landlock ABI N
audit (Landlock ABI 7):
  --log-disable-originating  --log-enable-subprocesses  --log-disable-subdomains
presets:
  --preset ci      what the GitHub Action grants a CI step, with the current directory as
                   the workspace: the system (read, execute), /etc /proc /sys (read),
                   the usual devices, HOME without credentials (read), the workspace and
                   a fresh TMPDIR (write); the caller's environment minus runner tokens
  --preset none    nothing (the default)
other:
  --log-level error|warn|info|debug  (or LANDRUN_LOG_LEVEL; default warn; stderr only)
  --explain        print the effective plan and enforcement report, run nothing
  --save-plan FILE write the effective plan (wire format) to FILE and run nothing;
                   run it later with the launcher or native-helper/landlock-exec
  --version, --help

exit status: the command's own; 128+N if it was killed by signal N; 2 for usage,
policy or kernel refusals (nothing was run); 126 when the command cannot be
executed under the policy; 127 when it is not found; 1 for internal errors.
`;

;// CONCATENATED MODULE: ./src/shared/version.ts
// Kept equal to package.json's version by a unit test (no JSON import at start-up).
const VERSION = '0.1.0';

;// CONCATENATED MODULE: ./src/cli/main.ts
// The CLI: parse, prepare, report, then become the command (restrict this thread and execve).
// Returns an exit code for every path that does not exec; never calls process.exit itself.















/** Programs whose job is to run another program found by name: with the empty sandbox environment they cannot. */
const PATH_RUNNERS = new Set(['strace', 'ltrace', 'env', 'timeout', 'nice', 'nohup', 'xargs', 'time', 'stdbuf', 'setsid', 'taskset', 'ionice', 'chrt', 'flock', 'watch', 'unbuffer', 'catchsegv']);
async function realKernel() {
    const { createKoffiKernel } = await __nccwpck_require__.e(/* import() */ 838).then(__nccwpck_require__.bind(__nccwpck_require__, 838));
    return createKoffiKernel();
}
async function main(io) {
    let log = createLineLogger('warn', io.stderr);
    try {
        const parsed = parseArgs(io.argv, { cwd: io.cwd, env: io.env });
        if (parsed.kind === 'help') {
            io.stdout(HELP);
            return 0;
        }
        if (parsed.kind === 'version') {
            io.stdout(`landrun ${VERSION} (landrun-action)\n`);
            return 0;
        }
        const inv = parsed.invocation;
        log = createLineLogger(inv.logLevel, io.stderr);
        const kernel = await (io.kernel ?? realKernel)();
        const kernelAbi = kernel.abiVersion();
        const ci = inv.preset === 'ci' ? await ciPresetForCli(inv, io) : undefined;
        const policy = ci ? ci.policy : inv.allowDns ? (0,dns/* withDns */.Ck)(inv.policy, external_node_fs_.existsSync) : inv.policy;
        const prepared = prepare({
            policy,
            command: inv.command,
            cwd: io.cwd,
            searchPath: io.env.PATH,
            addExec: inv.addExec,
            ldd: inv.ldd,
            bestEffort: inv.bestEffort,
            kernelAbi,
            targetAbi: inv.targetAbi,
        });
        const { plan, report, compiled } = prepared;
        const holdsCaps = kernel.permittedCapabilities() !== 0n;
        const caps = !holdsCaps ? 'none-held' : plan.dropCapabilities ? 'dropped' : 'kept';
        const notes = [...compiled.notes, ...compiled.skipped.map((g) => `skipped missing path ${g.path} (${g.source}, --ignore-missing)`)];
        if (inv.explain) {
            io.stdout(explainText({ plan, report, errata: kernelAbi > 0 ? kernel.errata() : undefined, capabilities: caps, command: inv.command, extraNotes: notes }));
            return report.refused ? errors/* EXIT */.dc.usage : 0;
        }
        if (inv.savePlan !== undefined) {
            if (report.refused)
                throw new errors/* UnsupportedKernelError */.fD(refusalMessage(report));
            const { encodePlan } = await __nccwpck_require__.e(/* import() */ 226).then(__nccwpck_require__.bind(__nccwpck_require__, 226));
            const { writeFileSync } = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 24, 23));
            writeFileSync(inv.savePlan, encodePlan(plan), { mode: 0o644 });
            log.info(`plan written to ${inv.savePlan}`);
            return 0;
        }
        // What is enforced, never what was requested.
        if (kernelAbi === 0)
            log.warn(kernel.unavailableReason() ?? 'Landlock is not available');
        log.info(abiLine(report, kernelAbi > 0 ? kernel.errata() : undefined));
        log.info(`handled: ${handledLine(plan)}`);
        if (log.enabled('info'))
            log.info(`rules:\n${ruleLines(plan, log.enabled('debug')).join('\n')}`);
        log.info(`seccomp: ${(0,seccomp/* seccompProfileName */.L5)(plan.seccomp)}${plan.seccomp ? ` (${(0,seccomp/* describeSeccomp */.S$)(plan.seccomp)})` : ''}`);
        log.info(capabilitiesLine(caps));
        for (const n of notes)
            log.info(n);
        if (!inv.allowDns && plan.handledNet !== 0 && plan.netRules.some((r) => r.access & 2)) {
            log.info('UDP is closed, so host names cannot be resolved over the usual UDP port 53: add --allow-dns to resolve over TCP');
        }
        for (const n of report.notes)
            log.info(n);
        if (report.refused)
            throw new errors/* UnsupportedKernelError */.fD(refusalMessage(report));
        for (const d of droppedLines(report))
            log.warn(`not enforced: ${d}`);
        if (report.status === 'none' && (0,landlock_plan/* usesLandlock */.ZP)(compiled.plan)) {
            log.warn('BEST EFFORT: no Landlock rules are enforced at all; only no_new_privs' + (plan.seccomp ? ' and the seccomp network filter apply' : ' applies'));
        }
        if (caps === 'kept')
            log.warn('capabilities are kept (--keep-caps): root inside the sandbox can still use them');
        checkExecChain(plan, prepared.chain);
        const libs = unreadableLibraries(plan, prepared.chain);
        if (libs.length > 0) {
            log.warn(`the dynamic loader cannot read ${libs.join(', ')} under this policy: add --ldd, or --ro for their directory`);
        }
        const command = prepared.command;
        if (!command)
            throw new errors/* UsageError */.eb('no command given');
        const env = ci
            ? Object.entries(ci.env).map(([k, v]) => `${k}=${v}`)
            : buildEnvironment(inv.allowDns ? [...inv.env, ...Object.entries(dns/* DNS_ENV */.O).map(([key, value]) => ({ key, value }))] : inv.env, io.env);
        const runner = (0,external_node_path_.basename)(command.path);
        if (PATH_RUNNERS.has(runner) && inv.command.length > 1 && !env.some((e) => e.startsWith('PATH='))) {
            log.warn(`${runner} looks up the program it runs in PATH, which is not set inside the sandbox (the environment is empty but for --env): add --env PATH`);
        }
        const { enforceAndExec } = await __nccwpck_require__.e(/* import() */ 484).then(__nccwpck_require__.bind(__nccwpck_require__, 484));
        return enforceAndExec(plan, { path: command.path, argv: inv.command, env }, kernel, log);
    }
    catch (e) {
        return reportError(e, log);
    }
}
/**
 * --preset ci on a developer machine: the Action's preset with the current directory as the
 * workspace and a fresh directory under the system temp dir as TMPDIR (left behind: the CLI
 * becomes the command, there is no afterwards to clean up in).
 */
async function ciPresetForCli(inv, io) {
    const { stepEnvironment, stepPolicy } = await __nccwpck_require__.e(/* import() */ 675).then(__nccwpck_require__.bind(__nccwpck_require__, 675)); // only this path needs it
    const tmp = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_namespaceObject.tmpdir)(), 'landrun-ci-'));
    const settings = {
        preset: 'ci',
        policy: inv.policy,
        env: inv.env,
        bestEffort: inv.bestEffort,
        targetAbi: inv.targetAbi,
        allowDns: inv.allowDns,
        allowStepOutputs: false,
        checkoutCredentials: 'keep',
        protectGit: 'snapshot',
    };
    const layout = {
        workspace: io.cwd,
        home: io.env.HOME,
        toolCache: io.env.RUNNER_TOOL_CACHE,
        hidden: io.env.RUNNER_TEMP ? [io.env.RUNNER_TEMP] : [],
        readableFiles: [],
        outputFiles: [],
    };
    return { policy: stepPolicy({ settings, layout, tmp, scriptFiles: [] }), env: stepEnvironment(settings, tmp, io.env).env };
}
function reportError(e, log) {
    if (e instanceof errors/* UsageError */.eb || e instanceof errors/* PolicyError */.pn || e instanceof errors/* UnsupportedKernelError */.fD) {
        log.error(e.message);
        return errors/* EXIT */.dc.usage;
    }
    if (e instanceof RangeError && /target-abi/.test(e.message)) {
        log.error(e.message);
        return errors/* EXIT */.dc.usage;
    }
    if (e instanceof errors/* ExecError */.cI) {
        log.error(e.message);
        return e.exitCode;
    }
    if (e instanceof errors/* SyscallError */.Cm) {
        if (e.syscall.startsWith('execve')) {
            log.error(`${e.message}${e.errnoName === 'EACCES' ? ' — the sandbox denied executing it (see --add-exec / --rox)' : ''}`);
            return e.errnoName === 'ENOENT' ? errors/* EXIT */.dc.notFound : errors/* EXIT */.dc.cannotExecute;
        }
        log.error(`sandbox setup failed, nothing was run: ${e.message}`);
        return errors/* EXIT */.dc.internal;
    }
    log.error(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return errors/* EXIT */.dc.internal;
}

;// CONCATENATED MODULE: ./src/entrypoints/cli.ts

main({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd(), stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) }).then((code) => { process.exitCode = code; });

