import { launcherMain } from '../launch/launcher.js';
launcherMain({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd(), stderr: (s) => process.stderr.write(s) }).then((code) => { process.exitCode = code; });
