// Prints what the integration suite runs against, so a CI log shows that it really enforced.
import { execFileSync } from 'node:child_process';

export default function globalSetup(): void {
  let abi = 'unknown';
  try {
    abi = execFileSync(
      'python3',
      ['-c', 'import ctypes;l=ctypes.CDLL(None,use_errno=True);print(l.syscall(444,None,0,1))'],
      { encoding: 'utf8' },
    ).trim();
  } catch {
    abi = 'unknown (python3 not available)';
  }
  process.stderr.write(`\n[landrun tests] kernel Landlock ABI: ${abi}, arch ${process.arch}, uid ${process.getuid?.()}\n`);
}
