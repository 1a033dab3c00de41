export const id = 484;
export const ids = [484];
export const modules = {

/***/ 484:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   enforceAndExec: () => (/* binding */ enforceAndExec)
/* harmony export */ });
/* unused harmony export applySandbox */
/* harmony import */ var _abi_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(676);
/* harmony import */ var _access_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(766);
/* harmony import */ var _plan_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(775);
/* harmony import */ var _seccomp_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(468);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(382);
/* harmony import */ var _uapi_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(813);






/** Restricts the calling thread according to an effective plan. Irreversible. */
function applySandbox(plan, kernel, log) {
    const kernelAbi = kernel.abiVersion();
    if (plan.abi > kernelAbi) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .SyscallError */ .Cm('landlock_create_ruleset', _uapi_js__WEBPACK_IMPORTED_MODULE_5__/* .errno */ .b.EINVAL, 'EINVAL', `the plan was compiled for Landlock ABI ${plan.abi} but this kernel offers ${kernelAbi}`);
    }
    let rulesetFd = -1;
    if ((0,_plan_js__WEBPACK_IMPORTED_MODULE_2__/* .usesLandlock */ .ZP)(plan)) {
        const size = (0,_abi_js__WEBPACK_IMPORTED_MODULE_0__/* .abiRow */ .r_)(plan.abi).attrSize;
        rulesetFd = kernel.createRuleset({ fs: plan.handledFs, net: plan.handledNet, scoped: plan.scoped }, size);
        try {
            for (const rule of plan.pathRules) {
                const fd = kernel.openPath(rule.path);
                try {
                    // The plan decided file vs directory by stat; re-check on the fd we actually hold.
                    const access = kernel.isDirectoryFd(fd) ? rule.access : rule.access & _access_js__WEBPACK_IMPORTED_MODULE_1__/* .FS_FILE_RIGHTS */ .$t;
                    if (access === 0)
                        continue;
                    kernel.addPathRule(rulesetFd, access, fd);
                    log.debug(`rule ${rule.path}: ${(0,_access_js__WEBPACK_IMPORTED_MODULE_1__/* .qualifiedNames */ .re)('fs', access).join(' ')}`);
                }
                finally {
                    kernel.close(fd);
                }
            }
            for (const rule of plan.netRules) {
                kernel.addNetRule(rulesetFd, rule.access, rule.port);
                log.debug(`rule tcp port ${rule.port}: ${(0,_access_js__WEBPACK_IMPORTED_MODULE_1__/* .qualifiedNames */ .re)('net', rule.access).join(' ')}`);
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
        const insns = (0,_seccomp_js__WEBPACK_IMPORTED_MODULE_3__/* .buildSeccompFilter */ .nd)(kernel.arch, plan.seccomp);
        kernel.installSeccomp((0,_seccomp_js__WEBPACK_IMPORTED_MODULE_3__/* .encodeFilter */ .J)(insns), insns.length);
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
