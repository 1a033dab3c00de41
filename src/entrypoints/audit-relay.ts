import { relayMain } from '../denials/audit-session.js';
relayMain(process.argv.slice(2), (s) => process.stdout.write(s)).then((code) => { process.exitCode = code; });
