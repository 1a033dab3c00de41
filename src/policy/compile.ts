// Policy -> requested RulesetPlan, written for the newest ABI we know. Pure: the only thing it
// needs to know about paths (kind and resolved path) is handed in by the caller.
import { LATEST_KNOWN_ABI, abiRow } from '../landlock/abi.js';
import { FLAG_RIGHTS, FS_FILE_RIGHTS, FS_RIGHTS, NET_RIGHTS, SCOPE_ALL } from '../landlock/access.js';
import type { NetRule, PathKind, PathRule, RulesetPlan } from '../landlock/plan.js';
import * as u from '../landlock/uapi.js';
import { PolicyError } from '../shared/errors.js';
import { originText, type Origin } from '../shared/origin.js';
import type { PathGrant, Policy } from './schema.js';

export interface PathInfo {
  readonly kind: PathKind | 'missing';
  /** Resolved path (symlinks followed); for a missing path, the path itself. */
  readonly realPath: string;
}
export type DescribePath = (absolutePath: string) => PathInfo;

export interface Compiled {
  readonly plan: RulesetPlan;
  /** Grants skipped because their path does not exist (--ignore-missing). */
  readonly skipped: readonly PathGrant[];
  /** Every path grant that was compiled, with the path it resolved to (symlinks followed). */
  readonly resolved: ReadonlyArray<{ readonly grant: PathGrant; readonly realPath: string }>;
  readonly notes: readonly string[];
}

export function compilePolicy(policy: Policy, describe: DescribePath): Compiled {
  const latest = abiRow(LATEST_KNOWN_ABI);
  const fsRestricted = !policy.unrestrictedFilesystem;
  const netRestricted = !policy.unrestrictedNetwork;
  const loopback = netRestricted && policy.loopback;
  const unixRestricted = netRestricted && !policy.allowUnixSockets;
  const notes: string[] = [];
  const skipped: PathGrant[] = [];

  let handledFs = 0;
  if (fsRestricted) handledFs = latest.fs & ~FS_RIGHTS.resolve_unix;
  // Even a domain that only rules the network denies reparenting (refer) unless it is handled and
  // granted: keep renames working under --unrestricted-filesystem by granting refer on /.
  else if (netRestricted || !policy.unrestrictedScoped) handledFs = FS_RIGHTS.refer;
  if (unixRestricted) handledFs |= FS_RIGHTS.resolve_unix;

  const resolved: Array<{ grant: PathGrant; realPath: string }> = [];
  const byRealPath = new Map<string, { path: string; realPath: string; kind: PathKind; access: number; sources: Origin[] }>();
  const addRule = (path: string, realPath: string, kind: PathKind, access: number, source: Origin): void => {
    const masked = kind === 'dir' ? access : access & FS_FILE_RIGHTS;
    if (masked === 0) return;
    const prev = byRealPath.get(realPath);
    if (prev) {
      prev.access |= masked;
      addOrigin(prev.sources, source);
    } else {
      byRealPath.set(realPath, { path, realPath, kind, access: masked, sources: [source] });
    }
  };

  const ignoredFs: string[] = [];
  const ignoredUnix: string[] = [];
  for (const g of policy.paths) {
    if (g.flag === 'unix' ? !unixRestricted : !fsRestricted) {
      (g.flag === 'unix' ? ignoredUnix : ignoredFs).push(originText(g.origin));
      continue;
    }
    const info = describe(g.path);
    if (info.kind === 'missing') {
      // With the filesystem unrestricted, whether a socket exists yet is not the sandbox's
      // business (the Go tool runs then too): nothing is granted for it, and connecting to it stays
      // ruled like every other unix socket (fs.resolve_unix from ABI 9, the seccomp filter below).
      if (g.flag === 'unix' && !fsRestricted) {
        notes.push(`no rule for the missing unix socket ${g.path} (${originText(g.origin)}): it does not exist, and with --unrestricted-filesystem that is not an error`);
        continue;
      }
      if (policy.ignoreMissing) {
        skipped.push(g);
        continue;
      }
      throw new PolicyError(missingPathMessage(g));
    }
    resolved.push({ grant: g, realPath: info.realPath });
    addRule(g.path, info.realPath, info.kind, FLAG_RIGHTS[g.flag], g.origin);
  }
  if (!fsRestricted && handledFs & FS_RIGHTS.refer) {
    addRule('/', '/', 'dir', FS_RIGHTS.refer, { kind: 'implied', by: '--unrestricted-filesystem', detail: 'refer kept working' });
  }
  if (ignoredFs.length > 0) notes.push(`ignored because of --unrestricted-filesystem: ${ignoredFs.join(', ')}`);
  if (ignoredUnix.length > 0) {
    notes.push(
      `ignored because unix sockets are not restricted (${policy.unrestrictedNetwork ? '--unrestricted-network' : '--allow-unix-sockets'}): ${ignoredUnix.join(', ')}`,
    );
  }

  const ports = new Map<number, { access: number; sources: Origin[] }>();
  const addPort = (port: number, access: number, source: Origin): void => {
    const prev = ports.get(port);
    if (prev) {
      prev.access |= access;
      addOrigin(prev.sources, source);
    } else ports.set(port, { access, sources: [source] });
  };
  if (netRestricted) {
    // Loopback mode: binds are not ruled at all (any port, 0 included); connects to loopback
    // addresses are the supervisor's to make, and the connect rules are the ports granted to other hosts.
    if (!loopback) for (const p of policy.bindTcp) addPort(p.port, NET_RIGHTS.bind_tcp, p.origin);
    else if (policy.bindTcp.length > 0) notes.push('--bind-tcp is moot in loopback mode: any TCP port may be bound');
    for (const p of policy.connectTcp) addPort(p.port, NET_RIGHTS.connect_tcp, p.origin);
  } else if (policy.bindTcp.length + policy.connectTcp.length > 0) {
    notes.push('TCP port rules ignored because of --unrestricted-network');
  }

  let restrictFlags = 0;
  if (policy.log.disableOriginating) restrictFlags |= u.LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF;
  if (policy.log.enableSubprocesses) restrictFlags |= u.LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON;
  if (policy.log.disableSubdomains) restrictFlags |= u.LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF;

  const pathRules: PathRule[] = [...byRealPath.values()]
    .map((r) => ({ ...r, access: r.access & handledFs }))
    .filter((r) => r.access !== 0)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const netRules: NetRule[] = [...ports]
    .sort(([a], [b]) => a - b)
    .map(([port, r]) => ({ port, access: r.access, sources: r.sources }));

  return {
    plan: {
      abi: LATEST_KNOWN_ABI,
      handledFs,
      handledNet: !netRestricted ? 0 : loopback ? NET_RIGHTS.connect_tcp : latest.net,
      scoped: policy.unrestrictedScoped ? 0 : SCOPE_ALL,
      pathRules,
      netRules,
      restrictFlags,
      // Always a filter: with the network unrestricted it still refuses terminal injection (and keyrings).
      seccomp: { inet: netRestricted ? 'tcp' : 'any', unix: 'all', ...(policy.allowKeyring ? { keyring: 'allow' as const } : {}) },
      ...(loopback ? { loopback: true } : {}),
      dropCapabilities: !policy.keepCapabilities,
    },
    skipped,
    resolved,
    notes,
  };
}

function addOrigin(list: Origin[], o: Origin): void {
  const text = originText(o);
  if (!list.some((x) => originText(x) === text)) list.push(o);
}

function missingPathMessage(g: PathGrant): string {
  const parent = g.path.replace(/\/[^/]+\/?$/, '') || '/';
  const hint =
    g.flag === 'rw' || g.flag === 'rwx'
      ? ` Landlock rules attach to existing files: create it first, or grant its directory (--${g.flag} ${parent}).`
      : '';
  return `path '${g.path}' in ${originText(g.origin)} does not exist.${hint} Pass --ignore-missing to skip missing rule paths.`;
}
