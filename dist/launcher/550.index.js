export const id = 550;
export const ids = [550];
export const modules = {

/***/ 550:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  enforceAndExec: () => (/* binding */ enforceAndExec)
});

// UNUSED EXPORTS: applySandbox

// EXTERNAL MODULE: ./src/landlock/uapi.ts
var uapi = __webpack_require__(813);
;// CONCATENATED MODULE: ./src/landlock/abi.ts
// The Landlock ABI table, as data. Each row lists everything the kernel knows at that ABI; the kernel
// rejects any bit it does not know with EINVAL, so every mask we hand it is first ANDed with a row.

const FS_V1 = 0x1fff;
const LOG_FLAGS = uapi/* LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF */.z7 |
    uapi/* LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON */.hH |
    uapi/* LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF */.o;
const NET = uapi/* LANDLOCK_ACCESS_NET_BIND_TCP */.Uj | uapi/* LANDLOCK_ACCESS_NET_CONNECT_TCP */.Rp;
const SCOPED = uapi/* LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET */.QQ | uapi/* LANDLOCK_SCOPE_SIGNAL */.lK;
const ABI_TABLE = [
    { abi: 1, kernel: '5.13', fs: FS_V1, net: 0, scoped: 0, restrictFlags: 0, attrSize: 8, adds: 'filesystem rights' },
    { abi: 2, kernel: '5.19', fs: FS_V1 | uapi/* LANDLOCK_ACCESS_FS_REFER */.hQ, net: 0, scoped: 0, restrictFlags: 0, attrSize: 8, adds: 'fs.refer' },
    { abi: 3, kernel: '6.2', fs: 0x7fff, net: 0, scoped: 0, restrictFlags: 0, attrSize: 8, adds: 'fs.truncate' },
    { abi: 4, kernel: '6.7', fs: 0x7fff, net: NET, scoped: 0, restrictFlags: 0, attrSize: 16, adds: 'TCP bind/connect rules' },
    { abi: 5, kernel: '6.10', fs: 0xffff, net: NET, scoped: 0, restrictFlags: 0, attrSize: 16, adds: 'fs.ioctl_dev' },
    { abi: 6, kernel: '6.12', fs: 0xffff, net: NET, scoped: SCOPED, restrictFlags: 0, attrSize: 24, adds: 'abstract unix socket and signal scoping' },
    { abi: 7, kernel: '6.15', fs: 0xffff, net: NET, scoped: SCOPED, restrictFlags: LOG_FLAGS, attrSize: 24, adds: 'audit logging flags' },
    { abi: 8, kernel: '7.0', fs: 0xffff, net: NET, scoped: SCOPED, restrictFlags: LOG_FLAGS | uapi/* LANDLOCK_RESTRICT_SELF_TSYNC */.Py, attrSize: 24, adds: 'thread synchronisation (TSYNC)' },
    { abi: 9, kernel: '7.1', fs: 0x1ffff, net: NET, scoped: SCOPED, restrictFlags: LOG_FLAGS | uapi/* LANDLOCK_RESTRICT_SELF_TSYNC */.Py, attrSize: 24, adds: 'fs.resolve_unix (pathname unix sockets)' },
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

// EXTERNAL MODULE: ./src/landlock/access.ts
var landlock_access = __webpack_require__(766);
// EXTERNAL MODULE: ./src/landlock/plan.ts
var landlock_plan = __webpack_require__(775);
;// CONCATENATED MODULE: ./src/landlock/seccomp.ts
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

// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(382);
;// CONCATENATED MODULE: ./src/landlock/enforce.ts






/** Restricts the calling thread according to an effective plan. Irreversible. */
function applySandbox(plan, kernel, log) {
    const kernelAbi = kernel.abiVersion();
    if (plan.abi > kernelAbi) {
        throw new errors/* SyscallError */.Cm('landlock_create_ruleset', uapi/* errno */.b.EINVAL, 'EINVAL', `the plan was compiled for Landlock ABI ${plan.abi} but this kernel offers ${kernelAbi}`);
    }
    let rulesetFd = -1;
    if ((0,landlock_plan/* usesLandlock */.ZP)(plan)) {
        const size = abiRow(plan.abi).attrSize;
        rulesetFd = kernel.createRuleset({ fs: plan.handledFs, net: plan.handledNet, scoped: plan.scoped }, size);
        try {
            for (const rule of plan.pathRules) {
                const fd = kernel.openPath(rule.path);
                try {
                    // The plan decided file vs directory by stat; re-check on the fd we actually hold.
                    const access = kernel.isDirectoryFd(fd) ? rule.access : rule.access & landlock_access/* FS_FILE_RIGHTS */.$t;
                    if (access === 0)
                        continue;
                    kernel.addPathRule(rulesetFd, access, fd);
                    log.debug(`rule ${rule.path}: ${(0,landlock_access/* qualifiedNames */.re)('fs', access).join(' ')}`);
                }
                finally {
                    kernel.close(fd);
                }
            }
            for (const rule of plan.netRules) {
                kernel.addNetRule(rulesetFd, rule.access, rule.port);
                log.debug(`rule tcp port ${rule.port}: ${(0,landlock_access/* qualifiedNames */.re)('net', rule.access).join(' ')}`);
            }
        }
        catch (e) {
            kernel.close(rulesetFd);
            throw e;
        }
    }
    // Capabilities go first: reading /proc/self/status is no longer allowed once the domain exists.
    let dropped = false;
    if (plan.dropCapabilities && kernel.permittedCapabilities() !== 0n) {
        kernel.dropAllCapabilities();
        dropped = true;
    }
    kernel.setNoNewPrivs();
    if (rulesetFd >= 0) {
        kernel.restrictSelf(rulesetFd, plan.restrictFlags);
        kernel.close(rulesetFd);
    }
    if (plan.seccomp) {
        const insns = buildSeccompFilter(kernel.arch, plan.seccomp);
        kernel.installSeccomp(encodeFilter(insns), insns.length);
    }
    return { landlock: rulesetFd >= 0, seccomp: plan.seccomp !== null, capabilitiesDropped: dropped };
}
/** applySandbox, then replace the process with the command. Never returns normally. */
function enforceAndExec(plan, exec, kernel, log) {
    applySandbox(plan, kernel, log);
    kernel.prepareStdioAndSignals();
    return kernel.execve(exec.path, exec.argv, exec.env);
}


/***/ })

};
