// The plan on the wire: what the deciding process hands to a launcher (the Node launcher bundle
// or native-helper/landlock-exec). Language-neutral and trivial to parse in C: a sequence of
// NUL-terminated UTF-8 fields. Records start with a keyword; numbers are decimal. Paths may hold
// any character but NUL, so nothing needs escaping (Node hands paths around as UTF-8 strings; the
// C launcher takes the bytes as they are). `tr '\0' ' '` makes it readable.
//
//   landrun-plan 2                      magic and version, always first
//   abi N | fs MASK | net MASK | scoped MASK | restrict FLAGS
//   seccomp off|tcp|none|any   unix all|socketpair   caps drop|keep
//   keyring deny|allow                  version 2: the keyring calls (refused unless allowed)
//   loopback on|off                     version 2: loopback mode (the native supervisor only);
//                                       needs seccomp tcp, and below TCP rules no connect port
//   path ACCESS d|f PATH                one per path rule
//   port ACCESS PORT                    one per TCP port rule
//   exec PATH, arg VALUE..., env KEY=VALUE...   optional: the command (else the launcher's argv)
//   end                                 always last
import type { ExecSpec } from '../landlock/enforce.js';
import type { NetRule, PathRule, RulesetPlan } from '../landlock/plan.js';
import type { SeccompPlan } from '../landlock/seccomp.js';
import { WireError } from '../shared/errors.js';
import { LANDLOCK_ACCESS_NET_CONNECT_TCP } from '../landlock/uapi.js';

export const WIRE_MAGIC = 'landrun-plan';
export const WIRE_VERSION = 2;

export { WireError };

const PLAN_ORIGIN = { kind: 'plan' } as const;

export function encodePlan(plan: RulesetPlan, exec?: ExecSpec): Buffer {
  const f: string[] = [WIRE_MAGIC, String(WIRE_VERSION)];
  const kv = (k: string, v: number | string): void => {
    f.push(k, String(v));
  };
  kv('abi', plan.abi);
  kv('fs', plan.handledFs);
  kv('net', plan.handledNet);
  kv('scoped', plan.scoped);
  kv('restrict', plan.restrictFlags);
  kv('seccomp', plan.seccomp ? plan.seccomp.inet : 'off');
  kv('unix', plan.seccomp ? plan.seccomp.unix : 'all');
  kv('caps', plan.dropCapabilities ? 'drop' : 'keep');
  kv('keyring', plan.seccomp?.keyring === 'allow' ? 'allow' : 'deny');
  kv('loopback', plan.loopback ? 'on' : 'off');
  // The resolved path: what was checked at compile time is what gets opened, even if a symlink on
  // the way is swapped in between.
  for (const r of plan.pathRules) f.push('path', String(r.access), r.kind === 'dir' ? 'd' : 'f', r.realPath);
  for (const r of plan.netRules) f.push('port', String(r.access), String(r.port));
  if (exec) {
    f.push('exec', exec.path);
    for (const a of exec.argv) f.push('arg', a);
    for (const e of exec.env) f.push('env', e);
  }
  f.push('end');
  for (const s of f) if (s.includes('\0')) throw new WireError('a plan field contains a NUL byte');
  return Buffer.from(f.map((s) => `${s}\0`).join(''), 'utf8');
}

export interface DecodedPlan {
  readonly plan: RulesetPlan;
  readonly exec: ExecSpec | undefined;
}

export function decodePlan(buf: Uint8Array): DecodedPlan {
  const text = Buffer.from(buf).toString('utf8');
  if (!text.endsWith('\0')) throw new WireError('truncated plan: it does not end with a NUL');
  const fields = text.slice(0, -1).split('\0');
  let i = 0;
  const next = (what: string): string => {
    const v = fields[i++];
    if (v === undefined) throw new WireError(`truncated plan: expected ${what}`);
    return v;
  };
  const num = (what: string, max: number): number => {
    const v = next(what);
    if (!/^\d+$/.test(v) || Number(v) > max) throw new WireError(`bad ${what} '${v}'`);
    return Number(v);
  };
  if (next('magic') !== WIRE_MAGIC) throw new WireError('not a landrun plan');
  const version = num('version', 1000);
  if (version !== WIRE_VERSION) throw new WireError(`unsupported plan version ${version} (this launcher reads ${WIRE_VERSION})`);

  let abi = -1;
  let fs = 0;
  let net = 0;
  let scoped = 0;
  let restrict = 0;
  let inet: SeccompPlan['inet'] | 'off' = 'off';
  let unix: SeccompPlan['unix'] = 'all';
  let caps = true;
  let keyring: 'deny' | 'allow' = 'deny';
  let loopback = false;
  const pathRules: PathRule[] = [];
  const netRules: NetRule[] = [];
  let execPath: string | undefined;
  const argv: string[] = [];
  const env: string[] = [];
  const MASK = 2 ** 32 - 1;
  for (;;) {
    const key = next('a record');
    if (key === 'end') break;
    switch (key) {
      case 'abi':
        abi = num('abi', 1000);
        break;
      case 'fs':
        fs = num('fs mask', MASK);
        break;
      case 'net':
        net = num('net mask', MASK);
        break;
      case 'scoped':
        scoped = num('scoped mask', MASK);
        break;
      case 'restrict':
        restrict = num('restrict flags', MASK);
        break;
      case 'seccomp': {
        const v = next('seccomp profile');
        if (v !== 'off' && v !== 'tcp' && v !== 'none' && v !== 'any') throw new WireError(`bad seccomp profile '${v}'`);
        inet = v;
        break;
      }
      case 'unix': {
        const v = next('unix profile');
        if (v !== 'all' && v !== 'socketpair') throw new WireError(`bad unix profile '${v}'`);
        unix = v;
        break;
      }
      case 'caps': {
        const v = next('caps');
        if (v !== 'drop' && v !== 'keep') throw new WireError(`bad caps '${v}'`);
        caps = v === 'drop';
        break;
      }
      case 'keyring': {
        const v = next('keyring');
        if (v !== 'deny' && v !== 'allow') throw new WireError(`bad keyring '${v}'`);
        keyring = v;
        break;
      }
      case 'loopback': {
        const v = next('loopback');
        if (v !== 'on' && v !== 'off') throw new WireError(`bad loopback '${v}'`);
        loopback = v === 'on';
        break;
      }
      case 'path': {
        const access = num('path access', MASK);
        const kind = next('path kind');
        if (kind !== 'd' && kind !== 'f') throw new WireError(`bad path kind '${kind}'`);
        const path = next('path');
        if (!path.startsWith('/')) throw new WireError(`rule path '${path}' is not absolute`);
        pathRules.push({ path, realPath: path, kind: kind === 'd' ? 'dir' : 'file', access, sources: [PLAN_ORIGIN] });
        break;
      }
      case 'port': {
        const access = num('port access', MASK);
        const port = num('port', 65535);
        netRules.push({ port, access, sources: [PLAN_ORIGIN] });
        break;
      }
      case 'exec':
        execPath = next('exec path');
        break;
      case 'arg':
        argv.push(next('arg'));
        break;
      case 'env':
        env.push(next('env'));
        break;
      default:
        throw new WireError(`unknown plan record '${key}'`);
    }
  }
  if (i !== fields.length) throw new WireError('trailing data after end');
  if (abi < 0) throw new WireError('plan has no abi record');
  if (loopback) {
    // The supervisor decides connect(2) on TCP sockets; other IP sockets must not exist.
    if (inet !== 'tcp') throw new WireError('loopback mode needs the seccomp profile tcp');
    // Without Landlock ruling TCP connect (ABI < 4) a remote port cannot be granted per port.
    const connectRuled = abi >= 4 && (net & LANDLOCK_ACCESS_NET_CONNECT_TCP) !== 0;
    const remote = netRules.find((r) => (r.access & LANDLOCK_ACCESS_NET_CONNECT_TCP) !== 0);
    if (!connectRuled && remote) throw new WireError(`loopback mode below Landlock ABI 4 cannot grant remote connect port ${remote.port}`);
  }
  const plan: RulesetPlan = {
    abi,
    handledFs: fs,
    handledNet: net,
    scoped,
    pathRules,
    netRules,
    restrictFlags: restrict,
    seccomp: inet === 'off' ? null : { inet, unix, ...(keyring === 'allow' ? { keyring } : {}) },
    dropCapabilities: caps,
    ...(loopback ? { loopback } : {}),
  };
  return { plan, exec: execPath === undefined ? undefined : { path: execPath, argv, env } };
}
