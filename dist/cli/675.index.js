export const id = 675;
export const ids = [675];
export const modules = {

/***/ 675:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  stepEnvironment: () => (/* binding */ stepEnvironment),
  stepPolicy: () => (/* binding */ stepPolicy)
});

// UNUSED EXPORTS: finishStep, guardStepGit, makeStepDir, shellArgv, writeScript

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(24);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(760);
// EXTERNAL MODULE: ./src/policy/dns.ts
var dns = __webpack_require__(945);
// EXTERNAL MODULE: ./src/policy/presets.ts
var presets = __webpack_require__(490);
;// CONCATENATED MODULE: ./src/sandbox/git-guard.ts
// Protecting the checkout's git metadata around a sandboxed step. The workspace must be writable,
// and Landlock rights are inherited down a tree, so the kernel cannot keep .git/config and
// .git/hooks read-only while the workspace root stays writable. Instead: snapshot them before
// the step, compare afterwards, restore the originals and report every change (which fails the
// step). The checkout token is withheld from .git/config for the step and put back afterwards.


/** The git directory of a workspace: .git, or what a .git file ("gitdir: ...") points to. */
function findGitDir(workspace) {
    const dotGit = (0,external_node_path_.join)(workspace, '.git');
    try {
        const st = (0,external_node_fs_.statSync)(dotGit);
        if (st.isDirectory())
            return dotGit;
        const m = /^gitdir:\s*(.+)$/m.exec((0,external_node_fs_.readFileSync)(dotGit, 'utf8'));
        if (m?.[1])
            return (0,external_node_path_.resolve)(workspace, m[1].trim());
    }
    catch {
        return undefined;
    }
    return undefined;
}
function readEntry(p) {
    try {
        const st = lstatSync(p);
        if (st.isSymbolicLink())
            return { kind: 'symlink', target: readlinkSync(p) };
        if (st.isFile())
            return { kind: 'file', data: readFileSync(p), mode: st.mode & 0o7777 };
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
        entries = readdirSync(dir, { withFileTypes: true });
    }
    catch {
        return out;
    }
    for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory())
            out.push(...listFiles(p));
        else
            out.push(p);
    }
    return out;
}
/** The files that decide what later git commands execute or where they talk to. */
function protectedPaths(gitDir) {
    const files = [join(gitDir, 'config'), join(gitDir, 'config.worktree')];
    const dirs = [join(gitDir, 'hooks')];
    const modules = join(gitDir, 'modules');
    for (const f of listFiles(modules)) {
        const rel = relative(modules, f);
        if (/(^|\/)config$/.test(rel))
            files.push(f);
    }
    for (const f of listFiles(modules)) {
        const m = /^(.*\/)?hooks\//.exec(relative(modules, f));
        if (m) {
            const d = join(modules, m[0].slice(0, -1));
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
function git_guard_guardGit(workspace, opts) {
    const gitDir = findGitDir(workspace);
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
    const configPath = join(gitDir, 'config');
    const config = snapshot.get(configPath);
    if (opts.withholdCredentials && config?.kind === 'file') {
        const w = withoutCredentials(config.data.toString('utf8'));
        if (w.extraheaders + w.credentialIncludes > 0) {
            writeFileSync(configPath, w.text);
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
function git_guard_releaseGit(guard, workspace) {
    const changed = [];
    const configPath = join(guard.gitDir, 'config');
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
    if (existsSync(p) || isSymlink(p))
        rmSync(p, { force: true, recursive: true });
    if (!e)
        return;
    mkdirSync(dirname(p), { recursive: true });
    if (e.kind === 'symlink')
        symlinkSync(e.target, p);
    else
        writeFileSync(p, e.data, { mode: e.mode });
}
function isSymlink(p) {
    try {
        return lstatSync(p).isSymbolicLink();
    }
    catch {
        return false;
    }
}
function relativeTo(workspace, p) {
    const r = relative(workspace, p);
    return r.startsWith('..') || isAbsolute(r) ? p : r;
}

;// CONCATENATED MODULE: ./src/sandbox/step.ts
// One sandboxed CI step, shared by the Action's run mode and landrun-shell: the ci preset around
// the user's grants, a private temporary directory, the git guard, the scrubbed environment, the
// launcher, and the clean-up. No @actions here: callers report through the returned values.





/** Creates the step's private directory (script, tmp) inside `parent`, which the sandbox cannot read. */
function makeStepDir(parent) {
    mkdirSync(parent, { recursive: true });
    const dir = mkdtempSync(join(parent, 'landrun-step-'));
    chmodSync(dir, 0o700);
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp, { mode: 0o700 });
    return { dir, tmp };
}
function writeScript(dir, script, name = 'script.sh') {
    const file = join(dir, name);
    writeFileSync(file, script.endsWith('\n') ? script : `${script}\n`, { mode: 0o644 });
    return file;
}
const listDir = (d) => {
    try {
        return (0,external_node_fs_.readdirSync)(d);
    }
    catch {
        return undefined;
    }
};
const isDirectory = (p) => {
    try {
        return (0,external_node_fs_.statSync)(p).isDirectory();
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
        grants.push({ flag: 'rw', path: (0,external_node_path_.join)(workspace, name), source: 'preset ci (workspace entry)' });
    }
    return grants;
}
/** The step's policy: the preset's grants around the user's own. */
function stepPolicy(input) {
    const { settings, layout } = input;
    const credentialFiles = settings.checkoutCredentials === 'keep' ? includedCredentialFiles(layout.workspace) : [];
    let grants;
    if (settings.preset === 'ci') {
        grants = (0,presets/* ciPreset */.uZ)({
            workspace: layout.workspace,
            privateTmp: input.tmp,
            home: layout.home,
            listDir,
            isDirectory,
            exists: external_node_fs_.existsSync,
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
    return settings.allowDns ? (0,dns/* withDns */.Ck)(policy, external_node_fs_.existsSync) : policy;
}
/** What a plain `run:` step would see, minus runner tokens and action inputs, plus the step's TMPDIR. */
function stepEnvironment(settings, tmp, callerEnv) {
    const { env, removed } = (0,presets/* scrubEnvironment */.vf)(callerEnv);
    for (const k of ['TMPDIR', 'TMP', 'TEMP'])
        env[k] = tmp;
    // Caches that tools would otherwise write under HOME, which is read-only: keep them per step.
    env.npm_config_cache ??= (0,external_node_path_.join)(tmp, '.npm');
    env.XDG_CACHE_HOME ??= (0,external_node_path_.join)(tmp, '.cache');
    if (settings.allowDns)
        Object.assign(env, dns/* DNS_ENV */.O);
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
        const config = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(gitDir, 'config'), 'utf8');
        return [...config.matchAll(/^\s*path\s*=\s*"?(.*git-credentials-[0-9a-fA-F-]+\.config)"?\s*$/gm)].map((m) => m[1]);
    }
    catch {
        return [];
    }
}
/** Restores the git metadata and reports what the step changed there; removes the step directory. */
function finishStep(git, workspace, stepDir) {
    const gitChanged = git ? releaseGit(git, workspace).changed : [];
    rmSync(stepDir, { recursive: true, force: true });
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


/***/ })

};
