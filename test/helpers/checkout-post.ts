// actions/checkout's post step, as the git commands it runs (v7.0.1, f548e57: src/main.ts cleanup
// -> git-source-provider.ts cleanup -> git-auth-helper.ts removeAuth), run unsandboxed in the
// workspace the way it runs them: `git version`; with set-safe-directory, a temporary HOME holding
// a copy of ~/.gitconfig plus `safe.directory`; then removeSsh (core.sshCommand) and removeToken
// (the extraheader, the includeIf entries of checkout >= v6 in the repository and in every
// submodule, the credentials files in RUNNER_TEMP), each through `git config --local
// --name-only --get-regexp`, `--unset-all`, and `git submodule foreach --recursive sh -c "..."`.
// Like checkout, a failing command ends the cleanup (it throws; main.ts turns that into a warning).
import { spawnSync } from 'node:child_process';
import { chownSync, copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CheckoutPostResult {
  /** Every command run, in order, with its exit status. */
  readonly commands: ReadonlyArray<{ readonly args: readonly string[]; readonly status: number | null; readonly stderr: string }>;
  /** Set when a command that checkout does not allow to fail failed: the cleanup stopped there. */
  readonly failed: string | undefined;
}

/** regexpHelper.escape from actions/checkout. */
const escape = (v: string): string => v.replace(/[^a-zA-Z0-9_]/g, (x) => `\\${x}`);

export function checkoutPost(opts: { workspace: string; runnerTemp: string; env: Record<string, string>; uid?: number; gid?: number }): CheckoutPostResult {
  const commands: Array<{ args: string[]; status: number | null; stderr: string }> = [];
  const home = mkdtempSync(join(opts.runnerTemp, 'checkout-post-home-'));
  const gitconfig = join(opts.env.HOME ?? '/nonexistent', '.gitconfig');
  if (existsSync(gitconfig)) copyFileSync(gitconfig, join(home, '.gitconfig'));
  else writeFileSync(join(home, '.gitconfig'), '');
  if (opts.uid !== undefined) for (const p of [home, join(home, '.gitconfig')]) chownSync(p, opts.uid, opts.gid ?? opts.uid);
  const env = { ...opts.env, HOME: home, GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'Never', GIT_LFS_SKIP_SMUDGE: '1' };
  class Stop extends Error {}
  const git = (args: string[], allowAllExitCodes = false): { status: number | null; stdout: string } => {
    const r = spawnSync('git', args, { cwd: opts.workspace, env, encoding: 'utf8', uid: opts.uid, gid: opts.gid });
    commands.push({ args, status: r.status, stderr: r.stderr });
    if (r.status !== 0 && !allowAllExitCodes) throw new Stop(`git ${args.join(' ')} exited with ${r.status}: ${r.stderr.trim()}`);
    return { status: r.status, stdout: r.stdout };
  };
  const removeGitConfig = (key: string): void => {
    if (git(['config', '--local', '--name-only', '--get-regexp', escape(key)], true).status === 0) git(['config', '--local', '--unset-all', key], true);
  };
  const removeSubmoduleGitConfig = (key: string): void => {
    git(['submodule', 'foreach', '--recursive', `sh -c "git config --local --name-only --get-regexp '${escape(key)}' && git config --local --unset-all '${key}' || :"`]);
  };
  const scope = (configPath?: string): string[] => (configPath ? ['--file', configPath] : ['--local']);
  const removeIncludeIfCredentials = (configPath?: string): string[] => {
    const found: string[] = [];
    const keys = git(['config', ...scope(configPath), '--name-only', '--get-regexp', '^includeIf\\.gitdir:'], true);
    if (keys.status !== 0) return found;
    for (const key of keys.stdout.trim().split('\n').filter((k) => k.trim())) {
      const values = git(['config', ...scope(configPath), '--get-all', key], true);
      if (values.status !== 0) continue;
      for (const value of values.stdout.trim().split('\n').filter((v) => v.trim())) {
        if (!/git-credentials-[0-9a-f-]+\.config$/i.test(value)) continue;
        found.push(value);
        git(['config', ...scope(configPath), '--unset', key, escape(value)], true);
      }
    }
    return found;
  };
  let failed: string | undefined;
  try {
    git(['version']);
    git(['config', '--global', '--add', 'safe.directory', opts.workspace]);
    // removeSsh
    removeGitConfig('core.sshCommand');
    removeSubmoduleGitConfig('core.sshCommand');
    // removeToken
    removeGitConfig('http.https://github.com/.extraheader');
    removeSubmoduleGitConfig('http.https://github.com/.extraheader');
    const credentials = removeIncludeIfCredentials();
    const out = git(['submodule', 'foreach', '--recursive', 'git config --local --show-origin --name-only --get-regexp remote.origin.url']).stdout;
    for (const configPath of out.match(/(?<=(^|\n)file:)[^\t]+(?=\tremote\.origin\.url)/g) ?? []) credentials.push(...removeIncludeIfCredentials(configPath));
    for (const c of credentials) if (c.startsWith(opts.runnerTemp)) rmSync(c, { force: true });
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    failed = e.message;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return { commands, failed };
}
