#!/usr/bin/env bash
# Throughput of the workflow-command filter (native-helper/workflow-commands.c through its driver
# wc-filter, annotations mode: the Action's default), measured with hyperfine in one run:
#   realistic   a script (awk) printing 200 MB of test-runner log lines  | filter  vs  | cat
#   long lines  the same script style printing 200 MB in 256 KiB lines    | filter  vs  | cat
#   raw         the 200 MB files read from disk: filter < file vs cat < file (the filter's own speed)
# everything into /dev/null. Target (issue 9): the filtered realistic run at most 1.1x the unfiltered.
# Writes bench/out/workflow-commands.json and prints a Markdown table for bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
command -v cc >/dev/null || { echo "a C compiler is needed (cc)" >&2; exit 2; }
RUNS=${RUNS:-5}
MB=${MB:-200}
out=bench/out
mkdir -p "$out"
cc -std=c11 -Wall -Wextra -Werror -O2 -o "$out/wc-filter" native-helper/wc-filter.c native-helper/workflow-commands.c

# Log lines as a test run prints them: timestamps, paths, stack frames, ticks, a few annotations
# and group markers (which pass in annotations mode), '#' and '::' inside lines.
cat >"$out/log-lines.awk" <<'AWK'
BEGIN {
  srand(42); target = MB * 1048576; bytes = 0; i = 0
  while (bytes < target) {
    r = rand(); i++
    if (r < 0.55) line = sprintf("[2026-12-01T10:%02d:%02d.%03dZ] INFO  src/module%d/file%d.ts:%d processed request id=%d in %d ms", i % 60, i % 59, i % 1000, i % 17, i % 101, i % 900, i, i % 250)
    else if (r < 0.75) line = sprintf("  \342\234\223 renders component %d with props #%d (%d ms)", i % 3000, i % 77, i % 40)
    else if (r < 0.87) line = sprintf("    at Object.<anonymous> (/home/runner/work/repo/repo/src/a%d.ts:%d:%d)", i % 400, i % 900, i % 80)
    else if (r < 0.93) line = "    expect(received).toEqual(expected) // deep equality"
    else if (r < 0.95) line = sprintf("::group::Suite %d", i)
    else if (r < 0.97) line = "::endgroup::"
    else if (r < 0.98) line = sprintf("::warning file=src/a%d.ts,line=%d::deprecated API used", i % 400, i % 500)
    else line = sprintf("npm notice # %d ##[section] std::vector<int>::iterator it = v.begin();", i)
    print line
    bytes += length(line) + 1
  }
}
AWK
# Minified-JSON-like lines of 256 KiB.
cat >"$out/long-lines.awk" <<'AWK'
BEGIN {
  srand(7); chunk = ""
  while (length(chunk) < 262144) chunk = chunk sprintf("{\"id\":%d,\"tag\":\"#%d\",\"url\":\"https://example.org/a::b\"},", int(rand() * 1e6), int(rand() * 100))
  chunk = substr(chunk, 1, 262143)
  n = int(MB * 1048576 / 262144)
  for (k = 0; k < n; k++) print chunk
}
AWK
LOG="awk -v MB=$MB -f $out/log-lines.awk"
LONG="awk -v MB=$MB -f $out/long-lines.awk"
$LOG >"$out/log.txt"
$LONG >"$out/long.txt"
F="$out/wc-filter annotations"

# Rounds of all eight commands, so that a busy machine (other jobs on the 2 vCPUs) weighs on both
# sides of each ratio alike; ratios use the medians over all rounds.
ROUNDS=${ROUNDS:-3}
for r in $(seq "$ROUNDS"); do
  hyperfine --warmup 1 --runs "$RUNS" --export-json "$out/workflow-commands-$r.json" \
    -n "realistic | cat" "$LOG | cat > /dev/null" \
    -n "realistic | filter" "$LOG | $F > /dev/null" \
    -n "long lines | cat" "$LONG | cat > /dev/null" \
    -n "long lines | filter" "$LONG | $F > /dev/null" \
    -n "raw cat < log" "cat < $out/log.txt > /dev/null" \
    -n "raw filter < log" "$F < $out/log.txt > /dev/null" \
    -n "raw cat < long" "cat < $out/long.txt > /dev/null" \
    -n "raw filter < long" "$F < $out/long.txt > /dev/null" >/dev/null 2>&1
done

MB=$MB ROUNDS=$ROUNDS node - <<'JS'
const fs = require('fs');
const mb = Number(process.env.MB);
const runs = Array.from({ length: Number(process.env.ROUNDS) }, (_, i) => JSON.parse(fs.readFileSync(`bench/out/workflow-commands-${i + 1}.json`, 'utf8')).results);
const all = (name) => {
  const rs = runs.map((rr) => rr.find((x) => x.command === name));
  const times = rs.flatMap((x) => x.times).sort((a, b) => a - b);
  const cpu = rs.reduce((a, x) => a + x.user + x.system, 0) / rs.length;
  return { median: times[Math.floor(times.length / 2)], min: times[0], cpu, n: times.length };
};
const rows = [
  ['realistic: awk printing log lines', 'realistic | cat', 'realistic | filter'],
  ['long lines: awk printing 256 KiB lines', 'long lines | cat', 'long lines | filter'],
  ['raw: log lines read from a file', 'raw cat < log', 'raw filter < log'],
  ['raw: 256 KiB lines read from a file', 'raw cat < long', 'raw filter < long'],
];
console.log(`| ${mb} MB into /dev/null | unfiltered: median (min) s | filtered: median (min) s | ratio of medians | CPU added by the filter (s) | filtered MB/s |`);
console.log('|---|---|---|---|---|---|');
for (const [label, a, b] of rows) {
  const x = all(a), y = all(b);
  const f = (v) => `${v.median.toFixed(3)} (${v.min.toFixed(3)})`;
  console.log(`| ${label} | ${f(x)} | ${f(y)} | ${(y.median / x.median).toFixed(2)}× | ${(y.cpu - x.cpu).toFixed(3)} | ${(mb / y.median).toFixed(0)} |`);
}
console.log(`\n${all('realistic | cat').n} runs per command over ${process.env.ROUNDS} rounds.`);
JS
