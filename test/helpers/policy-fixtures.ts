// Pure fixtures for policy tests: a fake filesystem (kinds and symlinks) and grant builders.
import type { PathInfo } from '../../src/policy/compile.js';
import { emptyPolicy, type Policy } from '../../src/policy/schema.js';

// A fake filesystem: kinds and symlinks, so compile stays pure in tests.
export const FS: Record<string, PathInfo> = {
  '/usr': { kind: 'dir', realPath: '/usr' },
  '/lib': { kind: 'dir', realPath: '/usr/lib' },
  '/usr/lib': { kind: 'dir', realPath: '/usr/lib' },
  '/etc': { kind: 'dir', realPath: '/etc' },
  '/etc/hosts': { kind: 'file', realPath: '/etc/hosts' },
  '/work': { kind: 'dir', realPath: '/work' },
  '/dev/null': { kind: 'file', realPath: '/dev/null' },
  '/run/docker.sock': { kind: 'file', realPath: '/run/docker.sock' },
};
export const describePath = (p: string): PathInfo => FS[p] ?? { kind: 'missing', realPath: p };
export const policy = (p: Partial<Policy>): Policy => ({ ...emptyPolicy, ...p });
export const grant = (flag: 'ro' | 'rox' | 'rw' | 'rwx' | 'unix', path: string) => ({ flag, path, origin: { kind: 'flag', name: flag, item: path } as const });
export const port = (name: string, p: number) => ({ port: p, origin: { kind: 'flag', name, item: String(p) } as const });

