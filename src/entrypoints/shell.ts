import { hardenWaitingProcess } from '../landlock/syscalls.js';
import { shellMain } from '../shell/main.js';
shellMain({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd(), stderr: (s) => process.stderr.write(s), harden: hardenWaitingProcess }).then((code) => { process.exitCode = code; });
