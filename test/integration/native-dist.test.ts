// The committed native launchers (dist/native): built from the current sources (SOURCES.sha256
// records the hash of every file native-helper/ builds from), reproducible (a rebuild with the
// recorded toolchain gives the same bytes), hardened, and working — the arm64 one under
// qemu-user as far as qemu emulates the kernel.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSeccompFilter, encodeFilter } from '../../src/landlock/seccomp.js';
import { encodePlan, WIRE_VERSION } from '../../src/launch/wire.js';
import { savePlan } from '../helpers/native.js';
import { removeDir, ROOT, tempDir } from '../helpers/run.js';

const HELPER = join(ROOT, 'native-helper');
const NATIVE = join(ROOT, 'dist', 'native');
const BIN = { x64: join(NATIVE, 'landlock-exec-x64'), arm64: join(NATIVE, 'landlock-exec-arm64') };
const WRAPPER = join(NATIVE, 'landrun-exec');
const sha256 = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
const recorded = existsSync(join(NATIVE, 'SOURCES.sha256')) ? readFileSync(join(NATIVE, 'SOURCES.sha256'), 'utf8').split('\n') : [];
const field = (key: string): string | undefined => recorded.find((l) => l.startsWith(`${key}: `))?.slice(key.length + 2);

/** What this machine would build with, in SOURCES.sha256's words; undefined when a compiler is missing. */
function toolchain(): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [arch, cc] of [['x64', 'x86_64-linux-gnu-gcc'], ['arm64', 'aarch64-linux-gnu-gcc']] as const) {
    const v = spawnSync(cc, ['--version'], { encoding: 'utf8' });
    const l = spawnSync(cc, ['-print-file-name=libc.a'], { encoding: 'utf8' });
    if (v.status !== 0 || l.status !== 0 || !existsSync(l.stdout.trim())) return undefined;
    out[`${arch} cc`] = v.stdout.split('\n')[0] as string;
    out[`${arch} libc.a`] = sha256(l.stdout.trim());
  }
  return out;
}
const here = toolchain();
const toolchainDiff = !here
  ? 'x86_64-linux-gnu-gcc or aarch64-linux-gnu-gcc (with its libc.a) is not installed'
  : Object.entries(here)
      .filter(([k, v]) => field(k) !== v)
      .map(([k, v]) => `${k} here is '${v}', the binaries were built with '${field(k) ?? 'nothing recorded'}'`)
      .join('; ') || undefined;
const haveQemu = spawnSync('qemu-aarch64-static', ['--version']).status === 0;
const nativeArch = process.arch === 'arm64' ? 'arm64' : 'x64';

let dir: string;
beforeAll(() => {
  dir = tempDir('landrun-native-dist-');
});
afterAll(() => {
  if (dir) removeDir(dir);
});

describe('dist/native', () => {
  it('records the hash of every file native-helper builds from, and they match the sources', () => {
    const files = readdirSync(HELPER)
      .filter((f) => /\.[ch]$/.test(f))
      .sort()
      .concat(['Makefile', 'landrun-exec.sh']);
    const expected = files.map((f) => `${sha256(join(HELPER, f))}  ${f}`);
    const recordedSources = recorded.filter((l) => /^[0-9a-f]{64} {2}[^/]+$/.test(l) && !/ {2}landlock-exec-(x64|arm64)$/.test(l));
    // On a mismatch: `npm run package` rebuilds dist/native.
    expect(recordedSources).toEqual(expected);
  });

  it('records the binaries it holds', () => {
    for (const arch of ['x64', 'arm64'] as const) expect(recorded).toContain(`${sha256(BIN[arch])}  landlock-exec-${arch}`);
  });

  it('links the workflow-command filter that native-helper has (a pass-through stand-in only while workflow-commands.c is missing)', () => {
    const present = existsSync(join(HELPER, 'workflow-commands.c'));
    expect(field('workflow-commands')).toBe(present ? 'workflow-commands.c' : 'pass-through (WC_PASSTHROUGH=1)');
  });

  it('ships the landrun-exec wrapper, executable, as native-helper/landrun-exec.sh', () => {
    expect(readFileSync(WRAPPER, 'utf8')).toBe(readFileSync(join(HELPER, 'landrun-exec.sh'), 'utf8'));
    expect(statSync(WRAPPER).mode & 0o755).toBe(0o755);
  });

  const ifToolchain = toolchainDiff ? it.skip : it;
  ifToolchain(`a rebuild in another directory gives the same bytes${toolchainDiff ? ` (skipped: ${toolchainDiff})` : ''}`, () => {
    const copy = join(dir, 'elsewhere', 'native-helper');
    cpSync(HELPER, copy, { recursive: true, filter: (src) => !/\/(build|landlock-exec)$/.test(src) });
    const out = join(dir, 'out');
    const passthrough = field('workflow-commands')?.startsWith('pass-through') ? ['WC_PASSTHROUGH=1', 'ALLOW_PASSTHROUGH_DIST=1'] : [];
    const r = spawnSync('make', ['-s', '-C', copy, 'dist', `DIST=${out}`, ...passthrough], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const arch of ['x64', 'arm64'] as const) expect(sha256(join(out, `landlock-exec-${arch}`))).toBe(sha256(BIN[arch]));
    expect(readFileSync(join(out, 'SOURCES.sha256'), 'utf8')).toBe(recorded.join('\n'));
  }, 120000);

  const haveReadelf = spawnSync('readelf', ['--version']).status === 0;
  (haveReadelf ? it : it.skip)(`both are static-pie, full RELRO, non-executable stack${haveReadelf ? '' : ' (skipped: readelf is missing)'}`, () => {
    for (const arch of ['x64', 'arm64'] as const) {
      const ph = spawnSync('readelf', ['-lW', BIN[arch]], { encoding: 'utf8' }).stdout;
      const dyn = spawnSync('readelf', ['-dW', BIN[arch]], { encoding: 'utf8' }).stdout;
      expect(ph).not.toMatch(/INTERP/);
      expect(ph).toMatch(/DYN \(Position-Independent Executable file\)|Elf file type is DYN/);
      expect(ph).toMatch(/GNU_RELRO/);
      expect(ph).toMatch(/GNU_STACK\s+(\S+\s+){5}RW /);
      expect(dyn).toMatch(/FLAGS_1\)\s+Flags: NOW PIE/);
    }
  });
});

describe(`the ${nativeArch} binary on this machine`, () => {
  it('enforces a saved plan and supervises', () => {
    const plan = join(dir, 'plan.bin');
    savePlan(plan, ['--rox', '/usr']);
    const bin = BIN[nativeArch];
    expect(spawnSync(bin, ['--plan', plan, '--', 'echo', 'launched'], { encoding: 'utf8' }).stdout).toBe('launched\n');
    const denied = spawnSync(bin, ['--plan', plan, '--', 'cat', '/etc/hostname'], { encoding: 'utf8' });
    expect(denied.status).toBe(1);
    expect(denied.stderr).toContain('Permission denied');
    const sup = spawnSync(bin, ['--supervise', '--report-fd', '3', '--plan', plan, '--', 'sh', '-c', 'exit 4'], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    expect(sup.status).toBe(4);
    expect(String(sup.output[3])).toMatch(/^child \d+\nleftovers 0\nexit code 4\n$/);
  });

  it('landrun-exec PLAN -- command: picks it for uname -m, also through a symlink (as npm links bins)', () => {
    const plan = join(dir, 'wrapper.plan');
    savePlan(plan, ['--rox', '/usr']);
    const link = join(dir, 'bin-link');
    if (!existsSync(link)) symlinkSync(WRAPPER, link);
    for (const w of [WRAPPER, link]) {
      expect(spawnSync(w, [plan, '--', 'echo', 'via wrapper'], { encoding: 'utf8' })).toMatchObject({ status: 0, stdout: 'via wrapper\n' });
      expect(spawnSync(w, [plan, 'cat', '/etc/hostname'], { encoding: 'utf8' }).status).toBe(1);
    }
    const usage = spawnSync(WRAPPER, [], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: landrun-exec PLAN [--] command [args...]');
    const missing = spawnSync(WRAPPER, [join(dir, 'no-such-plan'), '--', 'true'], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("cannot read the plan '");
  });
});

(haveQemu ? describe : describe.skip)(`the arm64 binary under qemu-aarch64-static${haveQemu ? '' : ' (skipped: qemu-user-static is not installed)'}`, () => {
  const qemu = (args: readonly string[]) => spawnSync('qemu-aarch64-static', [BIN.arm64, ...args], { encoding: 'utf8' });

  it('prints the arm64 seccomp programs, byte for byte as buildSeccompFilter(arm64)', () => {
    const r = qemu(['--dump-seccomp', 'tcp', 'socketpair', 'exec-restricted']);
    expect(r.status).toBe(0);
    const expected = Buffer.from(encodeFilter(buildSeccompFilter('arm64', { inet: 'tcp', unix: 'socketpair' }, { execRestricted: true }))).toString('hex');
    expect(r.stdout).toBe(`${expected}\n`);
  });

  it('refuses bad usage and bad plans with exit 2', () => {
    expect(qemu(['--frobnicate']).status).toBe(2);
    const bad = join(dir, 'bad.plan');
    writeFileSync(bad, Buffer.from(['landrun-plan', '1', 'end', ''].join('\x00')));
    const r = qemu(['--plan', bad, '--', '/usr/bin/true']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('invalid plan: unsupported plan version 1');
  });

  it('parses a plan and execs its command (a plan without Landlock or seccomp)', () => {
    const plan = join(dir, 'qemu.plan');
    writeFileSync(
      plan,
      encodePlan(
        { abi: 0, handledFs: 0, handledNet: 0, scoped: 0, pathRules: [], netRules: [], restrictFlags: 0, seccomp: null, dropCapabilities: false },
        { path: '/usr/bin/printf', argv: ['printf', 'arm64 %s\\n', 'ran'], env: [] },
      ),
    );
    chmodSync(plan, 0o644);
    expect(WIRE_VERSION).toBe(2);
    expect(qemu(['--plan', plan])).toMatchObject({ status: 0, stdout: 'arm64 ran\n' });
  });

  // qemu-user 7.2 does not emulate landlock_create_ruleset (444): ENOSYS.
  const landlockUnderQemu = (() => {
    const plan = join(tempDir('landrun-qemu-probe-'), 'p.bin');
    writeFileSync(plan, encodePlan({ abi: 1, handledFs: 1, handledNet: 0, scoped: 0, pathRules: [], netRules: [], restrictFlags: 0, seccomp: null, dropCapabilities: false }, { path: '/usr/bin/true', argv: ['true'], env: [] }));
    const r = spawnSync('qemu-aarch64-static', [BIN.arm64, '--plan', plan], { encoding: 'utf8' });
    rmSync(join(plan, '..'), { recursive: true, force: true });
    return r.stderr.includes('ENOSYS') ? 'qemu-user does not emulate the Landlock syscalls (landlock_create_ruleset: ENOSYS)' : undefined;
  })();
  (landlockUnderQemu ? it.skip : it)(`enforces a Landlock plan${landlockUnderQemu ? ` (skipped: ${landlockUnderQemu})` : ''}`, () => {
    const plan = join(dir, 'qemu-landlock.plan');
    savePlan(plan, ['--rox', '/usr']);
    const r = qemu(['--plan', plan, '--', '/usr/bin/cat', '/etc/hostname']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Permission denied');
  });
});
