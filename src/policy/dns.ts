// --allow-dns: name resolution without UDP. The seccomp filter closes UDP, so the resolver must
// use TCP (RFC 7766): grant its configuration files and TCP port 53, and ask glibc to use TCP
// (RES_OPTIONS=use-vc). Resolvers that ignore RES_OPTIONS (Go's, c-ares with its own config)
// still try UDP first and fail; see the README.
import type { Policy } from './schema.js';

export const RESOLVER_FILES = ['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/gai.conf', '/etc/host.conf'] as const;

export const DNS_ENV = { RES_OPTIONS: 'use-vc' } as const;

const BY_DNS = { kind: 'implied', by: '--allow-dns' } as const;

/** The policy plus what the resolver needs. Missing resolver files are skipped by the caller's describe. */
export function withDns(policy: Policy, exists: (path: string) => boolean): Policy {
  return {
    ...policy,
    paths: [
      ...policy.paths,
      ...RESOLVER_FILES.filter(exists).map((path) => ({ flag: 'ro' as const, path, origin: BY_DNS })),
    ],
    connectTcp: [...policy.connectTcp, { port: 53, origin: BY_DNS }],
  };
}
