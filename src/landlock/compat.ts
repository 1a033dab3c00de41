// The pure downgrade: a plan written for the newest ABI we know, masked to what a kernel (or
// --target-abi) offers, plus a report that names every right that was lost and what brings it.
import { abiRow, abiIntroducing, kernelFor, LATEST_KNOWN_ABI } from './abi.js';
import { FS_RIGHTS, SCOPES, fsNames, netNames, scopeNames } from './access.js';
import type { NetRule, PathRule, RulesetPlan } from './plan.js';
import type { SeccompPlan } from './seccomp.js';
import * as u from './uapi.js';
import { originsText } from '../shared/origin.js';
import { UsageError } from '../shared/errors.js';

export interface Drop {
  /** e.g. fs.refer, net.connect_tcp, scope.signal, audit.log_new_exec_on, landlock */
  readonly right: string;
  readonly neededAbi: number;
  /** The invocation depends on it: strict mode refuses to run without it. */
  readonly required: boolean;
  readonly consequence: string;
}

export type EnforcementStatus = 'full' | 'partial' | 'none';

export interface EnforcementReport {
  readonly kernelAbi: number;
  /** The ABI enforced: the kernel's, or --target-abi. */
  readonly abi: number;
  readonly targetAbi: number | undefined;
  readonly bestEffort: boolean;
  readonly status: EnforcementStatus;
  /** Strict mode and at least one required right is missing: nothing may run. */
  readonly refused: boolean;
  readonly dropped: readonly Drop[];
  readonly notes: readonly string[];
}

export interface DowngradeOptions {
  readonly kernelAbi: number;
  readonly targetAbi?: number | undefined;
  readonly bestEffort: boolean;
}

export interface Downgraded {
  readonly plan: RulesetPlan;
  readonly report: EnforcementReport;
}

const FS_CORE = 0x7fff & ~FS_RIGHTS.refer; // rights whose absence makes the filesystem sandbox meaningless

const RESTRICT_FLAG_NAMES: ReadonlyArray<[number, string]> = [
  [u.LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF, 'audit.log_same_exec_off'],
  [u.LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON, 'audit.log_new_exec_on'],
  [u.LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF, 'audit.log_subdomains_off'],
  [u.LANDLOCK_RESTRICT_SELF_TSYNC, 'restrict.tsync'],
];

const FS_CONSEQUENCE: Partial<Record<string, string>> = {
  refer: 'renames and hard links between directories fail with EXDEV (mv falls back to copying)',
  truncate: 'files that can be opened for reading can be truncated (O_TRUNC, truncate(2)) without write access',
  ioctl_dev: 'ioctl(2) on device files is not restricted',
  resolve_unix: 'connecting to pathname unix sockets is not ruled by Landlock',
};

export function downgrade(requested: RulesetPlan, opts: DowngradeOptions): Downgraded {
  const { kernelAbi, bestEffort } = opts;
  if (opts.targetAbi !== undefined && opts.targetAbi > kernelAbi) {
    throw new UsageError(`--target-abi ${opts.targetAbi} is above the kernel's Landlock ABI ${kernelAbi}`);
  }
  const abi = Math.min(opts.targetAbi ?? kernelAbi, LATEST_KNOWN_ABI);
  const row = abiRow(abi);
  const dropped: Drop[] = [];
  const notes: string[] = [];
  const add = (d: Drop): void => {
    dropped.push(d);
  };

  const fsRestricted = (requested.handledFs & FS_CORE) !== 0;
  const netRestricted = requested.handledNet !== 0;

  // Filesystem.
  if (abi === 0 && (fsRestricted || netRestricted || requested.scoped !== 0)) {
    add({
      right: 'landlock',
      neededAbi: 1,
      required: fsRestricted,
      consequence: 'no Landlock on this kernel: nothing on the filesystem is restricted',
    });
  }
  const lostFs = requested.handledFs & ~row.fs;
  if (abi > 0) {
    for (const name of fsNames(lostFs)) {
      if (name === 'resolve_unix') continue; // replaced by the seccomp unix profile below
      const bit = FS_RIGHTS[name];
      const required = fsRestricted && (bit & 0x7fff) !== 0;
      add({
        right: `fs.${name}`,
        neededAbi: abiIntroducing('fs', bit),
        required,
        consequence: FS_CONSEQUENCE[name] ?? `fs.${name} is not restricted`,
      });
    }
  }
  const handledFs = requested.handledFs & row.fs;
  const pathRules: PathRule[] = [];
  for (const r of requested.pathRules) {
    const access = r.access & handledFs;
    if (access !== 0) pathRules.push({ ...r, access });
  }

  // Network. Seccomp cannot see ports, so per-port TCP rules need Landlock ABI 4; without any
  // TCP grant, refusing IP sockets outright (seccomp 'none') enforces the same thing exactly.
  let handledNet = requested.handledNet & row.net;
  let netRules: NetRule[] = requested.netRules.map((r) => ({ ...r, access: r.access & handledNet })).filter((r) => r.access !== 0);
  let seccomp: SeccompPlan | null = requested.seccomp;
  const lostNet = requested.handledNet & ~row.net;
  if (lostNet !== 0 && requested.loopback) {
    // Loopback mode keeps TCP sockets: the supervisor decides every connect, and without Landlock
    // TCP rules it refuses every one to another host, so no remote port can be granted.
    if (requested.netRules.some((r) => (r.access & u.LANDLOCK_ACCESS_NET_CONNECT_TCP) !== 0)) {
      add({
        right: 'net.connect_tcp',
        neededAbi: 4,
        required: true,
        consequence: 'in loopback mode without TCP rules every connection to another host is refused, so the granted connect ports cannot reach other hosts',
      });
    }
    notes.push(
      `Landlock ABI ${abi} has no TCP rules (ABI 4, Linux 6.7): in loopback mode the supervisor makes every loopback connection and refuses the rest`,
    );
    handledNet = 0;
    netRules = [];
  } else if (lostNet !== 0) {
    if (requested.netRules.length === 0 && seccomp) {
      seccomp = { ...seccomp, inet: 'none' };
      notes.push(
        `Landlock ABI ${abi} has no TCP rules (ABI 4, Linux 6.7): every IP socket is refused by seccomp instead, so no TCP is possible at all`,
      );
    } else {
      for (const name of netNames(lostNet)) {
        add({
          right: `net.${name}`,
          neededAbi: 4,
          required: true,
          consequence:
            name === 'bind_tcp' ? 'TCP bind is not restricted to the granted ports' : 'TCP connect is not restricted to the granted ports',
        });
      }
      handledNet = 0;
      netRules = [];
    }
  }

  // Pathname unix sockets: Landlock rules them from ABI 9 (fs.resolve_unix); below that the seccomp
  // filter refuses socket(AF_UNIX) unless a grant asks for unix sockets, which then cannot be per path.
  if ((requested.handledFs & FS_RIGHTS.resolve_unix) !== 0 && (row.fs & FS_RIGHTS.resolve_unix) === 0 && seccomp) {
    const grants = requested.pathRules.filter((r) => (r.access & FS_RIGHTS.resolve_unix) !== 0);
    if (grants.length === 0) {
      seccomp = { ...seccomp, unix: 'socketpair' };
      notes.push(
        `Landlock ABI ${abi} cannot rule pathname unix sockets (fs.resolve_unix, ABI 9): socket(AF_UNIX) is refused by seccomp; socketpair(2) still works`,
      );
    } else {
      seccomp = { ...seccomp, unix: 'all' };
      add({
        right: 'fs.resolve_unix',
        neededAbi: 9,
        required: false,
        consequence: `${grants.map((g) => originsText(g.sources)).join('; ')} cannot be enforced per path below ABI 9: every pathname unix socket can be connected${
          (row.scoped & SCOPES.abstract_unix_socket) !== 0 && (requested.scoped & SCOPES.abstract_unix_socket) !== 0
            ? ' (abstract sockets outside the sandbox stay scoped)'
            : ', and abstract ones too'
        }`,
      });
    }
  }

  // Scopes: hardening, applied when present.
  const scoped = requested.scoped & row.scoped;
  if (abi > 0) {
    for (const name of scopeNames(requested.scoped & ~row.scoped)) {
      add({
        right: `scope.${name}`,
        neededAbi: 6,
        required: false,
        consequence:
          name === 'signal'
            ? 'the sandbox can send signals to processes outside it'
            : seccomp?.unix === 'socketpair'
              ? 'abstract unix sockets outside the sandbox are reachable in principle (socket(AF_UNIX) is refused by seccomp, so not in practice)'
              : 'abstract unix sockets outside the sandbox can be connected',
      });
    }
  }

  // restrict_self flags.
  const restrictFlags = requested.restrictFlags & row.restrictFlags;
  for (const [bit, name] of RESTRICT_FLAG_NAMES) {
    if ((requested.restrictFlags & bit) !== 0 && (row.restrictFlags & bit) === 0) {
      add({ right: name, neededAbi: abiIntroducing('restrict', bit), required: false, consequence: `${name} is not applied` });
    }
  }

  const plan: RulesetPlan = {
    abi,
    handledFs,
    handledNet,
    scoped,
    pathRules,
    netRules,
    restrictFlags,
    seccomp,
    dropCapabilities: requested.dropCapabilities,
    ...(requested.loopback ? { loopback: true } : {}),
  };
  const anyLandlock = handledFs !== 0 || handledNet !== 0 || scoped !== 0;
  const requestedLandlock = requested.handledFs !== 0 || requested.handledNet !== 0 || requested.scoped !== 0;
  const status: EnforcementStatus =
    requestedLandlock && !anyLandlock ? 'none' : dropped.length === 0 ? 'full' : 'partial';
  const refused = !bestEffort && dropped.some((d) => d.required);
  return {
    plan,
    report: {
      kernelAbi,
      abi,
      targetAbi: opts.targetAbi,
      bestEffort,
      status,
      refused,
      dropped,
      notes,
    },
  };
}

/** One line per missing required right, for the strict-mode refusal. */
export function refusalMessage(report: EnforcementReport): string {
  const req = report.dropped.filter((d) => d.required);
  const where = report.targetAbi !== undefined ? `--target-abi ${report.abi}` : `this kernel (Landlock ABI ${report.kernelAbi})`;
  const lines = req.map((d) => `  - ${d.right} needs Landlock ABI ${d.neededAbi} (Linux ${kernelFor(d.neededAbi)}): ${d.consequence}`);
  return [
    `refusing to run: ${where} cannot enforce what this sandbox depends on:`,
    ...lines,
    `Run on a newer kernel, or pass --best-effort to run with what is available (every dropped right is reported).`,
  ].join('\n');
}
