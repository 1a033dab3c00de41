// The audit relay the Action starts through `sudo -n` when it is not root: a `sudo` stand-in that
// just runs its arguments (we are root already) exercises the real relay program and protocol.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRelayAuditSession } from '../../src/sandbox/audit-session.js';
import { openAuditNetlink } from '../../src/landlock/syscalls.js';
import { landrun, landrunAsync, removeDir, ROOT, SYSTEM, tempDir } from '../helpers/run.js';

// the kernel's ABI, as the CLI reports it
const abi = Number(/kernel: Landlock ABI (\d+)/.exec(landrun(['--explain', '--unrestricted-filesystem']).stdout)?.[1] ?? 0);

let dir: string;
let sudo: string;
beforeAll(() => {
  dir = tempDir();
  sudo = join(dir, 'sudo');
  writeFileSync(sudo, '#!/bin/sh\n[ "$1" = -n ] && shift\nexec "$@"\n');
  chmodSync(sudo, 0o755);
});
afterAll(() => removeDir(dir));

describe('audit relay', () => {
  it('streams the sandbox records and restores the audit state', async () => {
    if (process.getuid?.() !== 0 || abi < 7) return void console.warn(`skipped: needs root and Landlock ABI 7 (have uid ${process.getuid?.()}, ABI ${abi})`);
    const a = openAuditNetlink();
    const before = a.enabled();
    const session = await openRelayAuditSession(process.execPath, join(ROOT, 'lib', 'entrypoints', 'audit-relay.js'), true, sudo);
    expect(a.enabled()).toBe(true);
    const marker = join(dir, 'relay-denied');
    writeFileSync(marker, 'x');
    await landrunAsync(['--log-enable-subprocesses', ...SYSTEM, '--', 'cat', marker]);
    await new Promise((r) => setTimeout(r, 200));
    const msgs = session.drain();
    await session.end();
    expect(msgs.some((m) => m.type === 1423 && m.text.includes(`path="${marker}"`) && m.text.includes('blockers=fs.read_file'))).toBe(true);
    expect(a.enabled()).toBe(before);
    a.close();
  });

  it('reports why it cannot start', async () => {
    const refusing = join(dir, 'sudo-refusing');
    writeFileSync(refusing, '#!/bin/sh\necho "sudo: a password is required" >&2\nexit 1\n', { mode: 0o755 });
    await expect(openRelayAuditSession(process.execPath, join(ROOT, 'lib', 'entrypoints', 'audit-relay.js'), true, refusing)).rejects.toThrow(/could not start through sudo -n \(exit 1\): sudo: a password is required/);
  });
});
