#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 766:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $t: () => (/* binding */ FS_FILE_RIGHTS),
/* harmony export */   aU: () => (/* binding */ FS_RIGHTS),
/* harmony export */   re: () => (/* binding */ qualifiedNames)
/* harmony export */ });
/* unused harmony exports NET_RIGHTS, SCOPES, FS_ALL, NET_ALL, SCOPE_ALL, FLAG_RIGHTS, fsNames, netNames, scopeNames, fsMaskOf */
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
/* harmony export */   ZP: () => (/* binding */ usesLandlock)
/* harmony export */ });
/* unused harmony exports effectiveFsAccess, rulesCovering, isBeneath */
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
    return (access & plan.handledFs) | (FS_ALL & ~plan.handledFs);
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

/***/ 382:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Cm: () => (/* binding */ SyscallError),
/* harmony export */   cI: () => (/* binding */ ExecError),
/* harmony export */   dc: () => (/* binding */ EXIT)
/* harmony export */ });
/* unused harmony exports UsageError, PolicyError, UnsupportedKernelError */
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

;// CONCATENATED MODULE: ./src/sandbox/wire.ts
const WIRE_MAGIC = 'landrun-plan';
const WIRE_VERSION = 1;
class WireError extends Error {
    name = 'WireError';
}
function encodePlan(plan, exec) {
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

;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
// EXTERNAL MODULE: ./src/landlock/access.ts
var access = __nccwpck_require__(766);
// EXTERNAL MODULE: ./src/landlock/plan.ts
var plan = __nccwpck_require__(775);
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
const MAX_DYNAMIC_BYTES = (/* unused pure expression or super */ null && (1 << 20));
const MAX_STRING_BYTES = (/* unused pure expression or super */ null && (1 << 16));
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
            const n = readSync(this.fd, buf, done, length - done, offset + done);
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
    const fd = openSync(path, 'r');
    try {
        return readElfFd(new FileWindow(path, fd, fstatSync(fd).size));
    }
    finally {
        closeSync(fd);
    }
}
/**
 * Only PT_INTERP, from one 4 KiB read: the exec check runs before every sandboxed command, and
 * the program headers of real binaries sit right after the ELF header. Falls back to readElf
 * when they do not. Returns undefined for non-ELF files and static binaries.
 */
function elf_readInterpreter(path) {
    const fd = openSync(path, 'r');
    let head;
    try {
        head = Buffer.alloc(4096);
        head = head.subarray(0, readSync(fd, head, 0, head.length, 0));
    }
    finally {
        closeSync(fd);
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
            const path = isAbsolute(shebang) ? shebang : resolve(dirname(current.realPath), shebang);
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
        return realpathSync(path);
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
        fd = openSync(path, 'r');
        const buf = Buffer.alloc(256);
        const n = readSync(fd, buf, 0, 256, 0);
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
            closeSync(fd);
    }
}
const EXEC_NEEDS = access/* FS_RIGHTS */.aU.execute | access/* FS_RIGHTS */.aU.read_file;
/** Throws ExecError(126) naming the first file in the chain the policy will not let the kernel execute. */
function checkExecChain(plan, chain) {
    for (const step of chain) {
        const access = effectiveFsAccess(plan, step.realPath);
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

;// CONCATENATED MODULE: ./src/sandbox/launcher.ts
// The Node launcher: reads a compiled plan (wire format), enforces it on itself and execs the
// command. It holds no policy logic; the process that spawned it decided everything.
//   launcher --plan FILE [--] [command args...]
//   launcher --plan-fd N [--] [command args...]
// The command comes from the plan's exec records, or else from argv (looked up in PATH).





async function launcherMain(io) {
    const level = io.env.LANDRUN_LOG_LEVEL;
    const log = createLineLogger(level && isLogLevel(level) ? level : 'warn', io.stderr);
    let source;
    let i = 0;
    for (; i < io.argv.length; i++) {
        const a = io.argv[i];
        if (a === '--') {
            i++;
            break;
        }
        if (a === '--plan' || a === '--plan-fd') {
            const v = io.argv[++i];
            if (v === undefined)
                return usage(log, `${a} needs a value`);
            if (a === '--plan')
                source = { file: v };
            else if (/^\d+$/.test(v))
                source = { fd: Number(v) };
            else
                return usage(log, `invalid --plan-fd '${v}': expected a file descriptor number`);
            continue;
        }
        if (a.startsWith('-'))
            return usage(log, `unknown launcher option '${a}'`);
        break;
    }
    if (!source)
        return usage(log, 'no plan given (--plan FILE or --plan-fd N)');
    let bytes;
    try {
        if (source.file !== undefined)
            bytes = (0,external_node_fs_.readFileSync)(source.file);
        else {
            bytes = (0,external_node_fs_.readFileSync)(source.fd);
            (0,external_node_fs_.closeSync)(source.fd); // the command must not inherit the plan pipe
        }
    }
    catch (e) {
        return usage(log, `cannot read the plan from ${source.file ?? `fd ${source.fd}`}: ${e.message}`);
    }
    try {
        const { plan, exec: planned } = decodePlan(bytes);
        let exec = planned;
        if (!exec) {
            const argv = io.argv.slice(i);
            const name = argv[0];
            if (name === undefined || name === '')
                return usage(log, 'no command given');
            const cmd = resolveCommand(name, io.env.PATH, io.cwd);
            const env = Object.entries(io.env)
                .filter((e) => e[1] !== undefined)
                .map(([k, v]) => `${k}=${v}`);
            exec = { path: cmd.path, argv, env };
        }
        const kernel = await (io.kernel ?? (async () => (await __nccwpck_require__.e(/* import() */ 838).then(__nccwpck_require__.bind(__nccwpck_require__, 838))).createKoffiKernel()))();
        const { enforceAndExec } = await __nccwpck_require__.e(/* import() */ 550).then(__nccwpck_require__.bind(__nccwpck_require__, 550));
        return enforceAndExec(plan, exec, kernel, log);
    }
    catch (e) {
        if (e instanceof WireError)
            return usage(log, `invalid plan: ${e.message}`);
        if (e instanceof errors/* ExecError */.cI) {
            log.error(e.message);
            return e.exitCode;
        }
        if (e instanceof errors/* SyscallError */.Cm && e.syscall.startsWith('execve')) {
            log.error(`${e.message}${e.errnoName === 'EACCES' ? ': the sandbox does not allow executing it' : ''}`);
            return e.errnoName === 'ENOENT' ? errors/* EXIT */.dc.notFound : errors/* EXIT */.dc.cannotExecute;
        }
        if (e instanceof errors/* SyscallError */.Cm) {
            log.error(`sandbox setup failed, nothing was run: ${e.message}`);
            return errors/* EXIT */.dc.internal;
        }
        log.error(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return errors/* EXIT */.dc.internal;
    }
}
function usage(log, msg) {
    log.error(`launcher: ${msg}`);
    return errors/* EXIT */.dc.usage;
}

;// CONCATENATED MODULE: ./src/entrypoints/launcher.ts

launcherMain({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd(), stderr: (s) => process.stderr.write(s) }).then((code) => { process.exitCode = code; });

