#!/usr/bin/env bash
# Wall time of each corpus suite (test/helpers/corpus.ts) bare vs under `landrun --preset ci`,
# side by side in one hyperfine run per project, and the ratio. Projects are created as the test
# suite creates them (dependencies installed and build steps run bare), owned by the invoking user.
#
#   bash bench/corpus.sh                 # RUNS=10 timed runs after 1 warm-up, per command
#   FLAGS=none bash bench/corpus.sh      # the preset alone (once issue 8 lands)
#   ONLY="jest go" bash bench/corpus.sh  # some projects only
#
# FLAGS=today (the default) adds, per project, the extra flags that make the suite pass under
# today's preset (measured for issue 8; {ws} = the project, {tmp} = the parent of the CLI's
# private TMPDIR, {home} = HOME); `go (warm cache)` also makes HOME's Go build cache writable.
# Needs: npm run build (lib/), hyperfine, and the corpus tools (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-10}
FLAGS=${FLAGS:-today}
ONLY=${ONLY:-}
out=bench/out
mkdir -p "$out"
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (Debian: hyperfine)" >&2; exit 1; }
[ -f lib/entrypoints/cli.js ] || { echo "lib/ is not built: npm run build" >&2; exit 1; }

# The corpus helper is TypeScript: bundle a small entry with esbuild (a devDependency). The bundle
# sits two levels below the checkout, where the helper expects itself to find the fixtures; it is
# removed at exit (eslint would lint it there).
trap 'rm -f "$out/corpus-bench.mjs"' EXIT
node_modules/.bin/esbuild --bundle --platform=node --format=esm --log-level=warning \
  --sourcefile=corpus-bench.ts --loader=ts --outfile="$out/corpus-bench.mjs" <<'TS'
import { join } from 'node:path';
import { CORPUS, TODAY_FIXES, corpusBase, corpusEnv, corpusUser, createProject, missingTools, portableCli } from './test/helpers/corpus.ts';

// today: the extra flags that make each suite pass under today's preset (TODAY_FIXES); for go,
// also with HOME's Go build cache made writable, to split the cold-cache cost from the rest; for
// node-test, also without npm's update check (a fresh npm cache per run makes npm ask the registry).
const variants = (name: string): Array<[string, string[]]> => {
  const fix = [...(TODAY_FIXES[name] ?? [])];
  if (name === 'go') return [[name, fix], [`${name} (warm cache)`, [...fix, '--env', 'GOCACHE={home}/.cache/go-build', '--rw', '{home}/.cache/go-build']]];
  if (name === 'node-test') return [[name, fix], [`${name} (no npm update check)`, [...fix, '--env', 'npm_config_update_notifier=false']]];
  return [[name, fix]];
};
const q = (s: string): string => (/^[\w@%+=:,./^-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
const [mode, only] = [process.argv[2], (process.argv[3] ?? '').split(/\s+/).filter(Boolean)];
const base = corpusBase('landrun-corpus-bench-');
process.stdout.write(`base\t${base}\n`);
const cli = portableCli(join(base, 'cli'));
const user = corpusUser(base, 'self');
const env = Object.entries(corpusEnv(user)).map(([k, v]) => q(`${k}=${v}`)).join(' ');
// the fixed cost of the CLI and the preset (Node start-up, koffi, HOME's entries), for scale
const at = `cd ${q(user.work)} && env -i ${env}`;
process.stdout.write(['fixed cost: /usr/bin/true', `${at} /usr/bin/true`, `${at} ${q(process.execPath)} ${q(cli)} --preset ci -- /usr/bin/true`, '(none)'].join('\t') + '\n');
for (const p of CORPUS) {
  if (only.length > 0 && !only.includes(p.name)) continue;
  const missing = missingTools(p);
  if (missing) {
    process.stderr.write(`skipping ${p.name}: ${missing}\n`);
    continue;
  }
  const flagSets: Array<[string, string[]]> = mode === 'none' ? [[p.name, []]] : variants(p.name);
  for (const [label, flags] of flagSets) {
    const c = await createProject(p, user);
    const expand = (f: string): string => f.replaceAll('{ws}', c.dir).replaceAll('{tmp}', user.tmp).replaceAll('{home}', user.home);
    const extra = flags.map(expand);
    const cmd = p.command.map(q).join(' ');
    const bare = `cd ${q(c.dir)} && env -i ${env} ${cmd}`;
    const sandboxed = `cd ${q(c.dir)} && env -i ${env} ${q(process.execPath)} ${q(cli)} --preset ci ${extra.map(q).join(' ')} -- ${cmd}`;
    const shown = flags.length ? flags.join(' ') : '(none)';
    process.stdout.write([label, bare, sandboxed, shown].join('\t') + '\n');
  }
}
TS

list=$(node "$out/corpus-bench.mjs" "$FLAGS" "$ONLY")
base=$(printf '%s\n' "$list" | awk -F'\t' '$1 == "base" { print $2 }')
trap 'rm -rf "$base" "$out/corpus-bench.mjs"' EXIT

stamp=$(date -u +%Y-%m-%dT%H:%MZ)
report="$out/corpus-$stamp.md"
{
  echo "corpus bench, $stamp: $(nproc) CPUs, $(uname -r), node $(node -v), load average $(cut -d' ' -f1-3 /proc/loadavg), RUNS=$RUNS, FLAGS=$FLAGS"
  echo
  echo "| project | bare (ms) | sandboxed (ms) | ratio | difference (ms) | extra flags |"
  echo "|---|---|---|---|---|---|"
} >"$report"

n=0
while IFS=$'\t' read -r name bare sandboxed flags; do
  [ "$name" = base ] && continue
  n=$((n + 1))
  json="$out/corpus-$n.json"
  echo "== $name (extra flags: $flags)" >&2
  hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$json" \
    --command-name "bare" "$bare" --command-name "sandboxed" "$sandboxed" >&2
  node -e '
    const [json, name, flags] = process.argv.slice(1);
    const r = JSON.parse(require("fs").readFileSync(json, "utf8")).results;
    const f = (x) => `${(x.mean * 1000).toFixed(0)} ± ${(x.stddev * 1000).toFixed(0)}`;
    const d = (r[1].mean - r[0].mean) * 1000;
    console.log(`| ${name} | ${f(r[0])} | ${f(r[1])} | ${(r[1].mean / r[0].mean).toFixed(2)}× | ${d >= 0 ? "+" : ""}${d.toFixed(0)} | ${flags.replace(/\|/g, "\\|")} |`);
  ' "$json" "$name" "$flags" >>"$report"
done <<<"$list"

cat "$report"
echo "(written to $report)" >&2
