#!/usr/bin/env bash
# The supervisor's costs, each set measured in one hyperfine run so that ratios compare like
# with like on the same (possibly noisy) machine:
#   start-up: /usr/bin/true bare, under landlock-exec (exec in place), under --supervise (the
#   kernel's ABI, ABI 5 where the runtime filter sends signals to the supervisor, step mode with the
#   workflow-command pipes, loopback mode);
#   per connect: N loopback connects bare, supervised without loopback (the port granted), and in
#   loopback mode (every connect decided by the supervisor). Target (issue 8): <= 50 us per connect.
# Uses the shipped binary, dist/native/landlock-exec-<arch>. Prints Markdown for bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
RUNS=${RUNS:-200}
N=${N:-20000}
PORT=${PORT:-39001}
case $(uname -m) in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) echo "unsupported $(uname -m)" >&2; exit 2 ;; esac
BIN=dist/native/landlock-exec-$arch
out=bench/out
mkdir -p $out
cc -O2 -o $out/connect-loop bench/connect-loop.c
RULES=(--rox /usr --ro /etc --ro /proc --rw /tmp --ro /var --ro /opt --ro /srv --ro /home --ro /media --rw /dev/null --rox "$PWD/$out")
cli() { node lib/entrypoints/cli.js "$@"; }
cli --save-plan $out/plan.bin "${RULES[@]}"
cli --save-plan $out/plan-abi5.bin --target-abi 5 "${RULES[@]}"
cli --save-plan $out/plan-tcp.bin "${RULES[@]}" --bind-tcp "$PORT" --connect-tcp "$PORT"
# Loopback mode as the compiler writes it: connect handled (no remote port granted), bind not.
node --input-type=module - "$out/plan.bin" "$out/plan-loopback.bin" <<'JS'
import { readFileSync, writeFileSync } from 'node:fs';
const { decodePlan, encodePlan } = await import(`${process.cwd()}/lib/launch/wire.js`);
const [src, dst] = process.argv.slice(2);
const { plan } = decodePlan(readFileSync(src));
writeFileSync(dst, encodePlan({ ...plan, handledNet: 2, netRules: [], loopback: true, seccomp: { ...plan.seccomp, inet: 'tcp' } }));
JS

hyperfine -N --warmup 10 --runs "$RUNS" --export-json $out/supervisor-startup.json \
  "/usr/bin/true" \
  "$BIN --plan $out/plan.bin -- /usr/bin/true" \
  "$BIN --supervise --plan $out/plan.bin -- /usr/bin/true" \
  "$BIN --supervise --plan $out/plan-abi5.bin -- /usr/bin/true" \
  "$BIN --supervise --new-pgrp --workflow-commands annotations --plan $out/plan.bin -- /usr/bin/true" \
  "$BIN --supervise --plan $out/plan-loopback.bin -- /usr/bin/true" >/dev/null

hyperfine -N --warmup 3 --runs "${CONNECT_RUNS:-20}" --export-json $out/supervisor-connect.json \
  "$out/connect-loop $N $PORT" \
  "$BIN --supervise --plan $out/plan-tcp.bin -- $out/connect-loop $N $PORT" \
  "$BIN --supervise --plan $out/plan-loopback.bin -- $out/connect-loop $N $PORT" >/dev/null

node - "$N" <<'JS'
const n = Number(process.argv[2]);
const s = require('./bench/out/supervisor-startup.json').results;
const c = require('./bench/out/supervisor-connect.json').results;
const ms = (x) => (x * 1000).toFixed(2);
const label = (cmd) => cmd.replace(/\S*landlock-exec-\w+/, 'landlock-exec').replace(/bench\/out\//g, '');
console.log('| start-up | mean (ms) | median (ms) | vs. bare |');
console.log('|---|---|---|---|');
for (const r of s) console.log(`| \`${label(r.command)}\` | ${ms(r.mean)} ± ${ms(r.stddev)} | ${ms(r.median)} | ${r === s[0] ? '' : `+${ms(r.median - s[0].median)} ms`} |`);
console.log('');
console.log(`| ${n} connects | mean (ms) | median (ms) | per connect (µs) |`);
console.log('|---|---|---|---|');
for (const r of c) console.log(`| \`${label(r.command)}\` | ${ms(r.mean)} ± ${ms(r.stddev)} | ${ms(r.median)} | ${((r.median / n) * 1e6).toFixed(1)} |`);
const over = ((c[2].median - c[1].median) / n) * 1e6;
console.log(`\nloopback mode over a supervised run without it (medians): ${over.toFixed(1)} µs per connect (target ≤ 50 µs)`);
JS
