#!/usr/bin/env bash
# What a sandboxed CI step costs over a plain one, measured in one hyperfine run (ratios compare
# like with like on the same machine). A throw-away runner layout (workspace with a git checkout,
# RUNNER_TEMP with the file-command files, HOME) is made in a temporary directory.
#   /usr/bin/true                                   a bare exec
#   landrun-exec PLAN -- /usr/bin/true               the native launcher through its sh wrapper, plan saved once
#   landlock-exec-ARCH --plan PLAN -- /usr/bin/true  the native launcher itself
#   bash step.sh                                     a plain `run:` step (the runner's bash argv)
#   landrun-shell step.sh                            a shell-mode step (setup done once, outside)
#   node dist/action-main/index.js (INPUT_RUN=true)  a run-mode step, on the Action's runtime
# Targets (issue 11): a shell-mode step ≤ 100 ms over plain bash, a run-mode step ≤ 150 ms.
# LANDRUN_GO (optional): a Go landrun binary to measure beside them, with the same rules.
# NODE (default: node) is the Node binary the runner would use for the Action: set it to a Node 24.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
NODE=${NODE:-node}
RUNS=${RUNS:-30}
ROOT=$(pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/home" "$T/work/repo" "$T/work/_temp/_runner_file_commands" bench/out
git -C "$T/work/repo" init -q && git -C "$T/work/repo" -c user.email=b@x -c user.name=b commit -q --allow-empty -m init
for f in env path output state summary; do : > "$T/work/_temp/_runner_file_commands/$f"; done
printf 'true\n' > "$T/step.sh"
export HOME=$T/home GITHUB_WORKSPACE=$T/work/repo RUNNER_TEMP=$T/work/_temp GITHUB_ACTION_PATH=$ROOT
export GITHUB_ENV=$T/work/_temp/_runner_file_commands/env GITHUB_PATH=$T/work/_temp/_runner_file_commands/path
export GITHUB_OUTPUT=$T/work/_temp/_runner_file_commands/output GITHUB_STATE=$T/work/_temp/_runner_file_commands/state
export GITHUB_STEP_SUMMARY=$T/work/_temp/_runner_file_commands/summary
cd "$T/work/repo"
# Shell mode's setup step, once: it puts landrun-shell on GITHUB_PATH.
INPUT_RUN='' "$NODE" "$ROOT/dist/action-main/index.js" > "$T/setup.log"
SHELL_BIN=$(head -1 "$GITHUB_PATH")/landrun-shell
RULES="--rox /usr --ro /etc --rw /dev/null"
case $(uname -m) in x86_64) LAUNCHER=$ROOT/dist/native/landlock-exec-x64 ;; *) LAUNCHER=$ROOT/dist/native/landlock-exec-arm64 ;; esac
node "$ROOT/dist/cli/index.cjs" --save-plan "$T/plan.bin" $RULES
# LANDRUN_GO: a build of the Go tool (not shipped here), with the same rules; --best-effort since it
# asks for Landlock ABI 9 otherwise and refuses to run on older kernels.
cmds=(
  "/usr/bin/true"
  "$ROOT/dist/native/landrun-exec $T/plan.bin -- /usr/bin/true"
  "$LAUNCHER --plan $T/plan.bin -- /usr/bin/true"
  "node $ROOT/dist/cli/index.cjs $RULES -- /usr/bin/true"
  "bash --noprofile --norc -eo pipefail $T/step.sh"
  "$SHELL_BIN $T/step.sh"
  "env INPUT_RUN=true $NODE $ROOT/dist/action-main/index.js"
)
[ -n "${LANDRUN_GO:-}" ] && cmds+=("$LANDRUN_GO --best-effort $RULES -- /usr/bin/true")
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$ROOT/bench/out/steps.json" "${cmds[@]}" >/dev/null
cd "$ROOT"
node - <<'JS'
const r = require('./bench/out/steps.json').results;
const ms = (s) => (s * 1000).toFixed(1);
const [tru, exec, launcher, cli, bash, shell, action, go] = r;
const row = (label, x, base) => `| ${label} | ${ms(x.median)} | ${ms(x.mean)} ± ${ms(x.stddev)} | ${base ? `+${ms(x.median - base.median)} ms` : ''} |`;
console.log('| command | median (ms) | mean (ms) | over its floor (medians) |');
console.log('|---|---|---|---|');
console.log(row('`/usr/bin/true`', tru));
console.log(row('`landrun-exec PLAN -- /usr/bin/true` (the sh wrapper that picks the binary)', exec, tru));
console.log(row('`landlock-exec-ARCH --plan PLAN -- /usr/bin/true` (the native launcher)', launcher, tru));
console.log(row('`landrun` CLI (3 rules) `-- /usr/bin/true`', cli, tru));
if (go) console.log(row('Go `landrun --best-effort` (3 rules) `-- /usr/bin/true`', go, tru));
console.log(row('plain bash step (`bash --noprofile --norc -eo pipefail step.sh`)', bash));
console.log(row('shell-mode step (`landrun-shell step.sh`)', shell, bash));
console.log(row('run-mode step (`node dist/action-main/index.js`, `run: true`)', action, bash));
console.log(`\nshell mode over plain bash: ${ms(shell.median - bash.median)} ms (target ≤ 100 ms); run mode: ${ms(action.median - bash.median)} ms (target ≤ 150 ms)`);
if (go) {
  const over = (x) => x.median - tru.median;
  console.log(`overhead / the Go tool's: native launcher ${(over(launcher) / over(go)).toFixed(2)} (target ≤ 0.3), landrun-exec wrapper ${(over(exec) / over(go)).toFixed(2)}`);
}
JS
