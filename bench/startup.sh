#!/usr/bin/env bash
# Start-up cost of a sandboxed command, measured in one hyperfine run so that the ratios compare
# like with like on the same (possibly noisy) machine:
#   node -e 0                                   a bare Node start (the floor for the CLI)
#   landrun <10 rules> -- /usr/bin/true          the CLI (dist bundle): parse, plan, enforce, exec
#   landlock-exec --plan P -- /usr/bin/true      the C launcher with the same plan
#   /usr/bin/true                                a bare exec (the floor for the C launcher)
# Target (issue #2): the CLI at most 15 ms over `node -e 0`; the C launcher at most 1.5 ms over a
# bare exec. Writes bench/out/startup.json and prints a Markdown table for bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
RUNS=${RUNS:-100}
mkdir -p bench/out
RULES=(--rox /usr --ro /etc --ro /proc --rw /tmp --ro /var --ro /opt --ro /srv --ro /home --ro /media --rw /dev/null)
node dist/cli/index.cjs --save-plan bench/out/plan.bin "${RULES[@]}"
cmds=("node -e 0" "node dist/cli/index.cjs ${RULES[*]} -- /usr/bin/true" "/usr/bin/true")
if make -s -C native-helper >/dev/null 2>&1; then
  cmds+=("native-helper/landlock-exec --plan bench/out/plan.bin -- /usr/bin/true")
fi
hyperfine -N --warmup 10 --runs "$RUNS" --export-json bench/out/startup.json "${cmds[@]}" >/dev/null
node - <<'JS'
const r = require('./bench/out/startup.json').results;
const by = (p) => r.find((x) => x.command.startsWith(p));
const ms = (s) => (s * 1000).toFixed(1);
const node = by('node -e 0'), cli = by('node dist/cli'), tru = by('/usr/bin/true'), c = by('native-helper');
const row = (label, x, base) => `| ${label} | ${ms(x.mean)} ± ${ms(x.stddev)} | ${ms(x.median)} | ${ms(x.user)} | ${base ? `${(x.mean / base.mean).toFixed(2)}× / +${ms(x.mean - base.mean)} ms` : ''} |`;
console.log('| command | mean (ms) | median (ms) | user CPU (ms) | vs. its floor |');
console.log('|---|---|---|---|---|');
console.log(row('`node -e 0`', node));
console.log(row('`landrun` (10 rules) `-- /usr/bin/true`', cli, node));
console.log(row('`/usr/bin/true`', tru));
if (c) console.log(row('`landlock-exec --plan` (same plan) `-- /usr/bin/true`', c, tru));
const over = (cli.median - node.median) * 1000;
console.log(`\nCLI over a bare Node start (medians): ${over.toFixed(1)} ms (target ≤ 15 ms)`);
if (c) console.log(`C launcher over a bare exec (medians): ${((c.median - tru.median) * 1000).toFixed(2)} ms (target ≤ 1.5 ms)`);
JS
