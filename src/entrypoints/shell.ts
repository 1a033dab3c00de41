import { setChildSubreaper } from '../landlock/syscalls.js';
import { shellMain } from '../shell/main.js';
shellMain({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd(), stderr: (s) => process.stderr.write(s), becomeSubreaper: setChildSubreaper }).then((code) => { process.exitCode = code; });
