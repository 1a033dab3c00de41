// Command-line parsing. Options come first and end at `--` or at the first argument that is not
// an option, so `landrun --rox / ls -la` and `landrun --env HOME -- env` both mean what they say.
// The working directory and the caller's environment are handed in; the file system (a --policy
// file) and the raw bytes of argv (to refuse arguments that are not UTF-8) are ports with real
// defaults.
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { type LogLevel, isLogLevel, LOG_LEVELS } from '../shared/logger.js';
import { PolicyError, UsageError } from '../shared/errors.js';
import { parsePathList, splitPortList } from '../policy/parse.js';
import { emptyPolicy } from '../policy/schema.js';
import { parsePolicyFile, policyFileProblem, type PolicyFileStat } from '../policy/policy-file.js';
import { LEARN_TIMEOUT_MS, parseLearnTimeout } from '../denials/learn.js';
import { isPathKey, isPortKey, isSwitchKey, POLICY_KEYS, VALUE_KEYS, requestFromEntries, type PolicyRequest, type SourcedEntry } from '../policy/vocabulary.js';

export interface CliInvocation extends PolicyRequest {
  readonly logLevel: LogLevel;
  readonly explain: boolean;
  /** Write the effective plan (wire format) to this file and run nothing. */
  readonly savePlan: string | undefined;
  /** Wait for the command and report what the sandbox denied (implied by --audit, --trace, --learn). */
  readonly reportDenials: boolean;
  readonly allowAudit: boolean;
  /** --trace: strace even where audit records could be read. */
  readonly forceTrace: boolean;
  readonly learn: boolean;
  readonly learnRounds: number;
  /** --preset ci: keep the private TMPDIR after the run (it is removed otherwise). */
  readonly keepTmp: boolean;
  /** --learn-timeout: each round's time limit (0: none). */
  readonly learnTimeoutMs: number;
  readonly command: readonly string[];
}

export type ParsedArgs = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; invocation: CliInvocation };

/** Options of the CLI itself (not policy vocabulary). */
const CLI_VALUE_OPTIONS = new Set<string>(['log-level', 'save-plan', 'policy', 'learn-rounds', 'learn-timeout']);
const CLI_BOOLEAN_OPTIONS = new Set<string>([
  'keep-caps',
  'keep-tmp',
  'log-disable-originating',
  'log-enable-subprocesses',
  'log-disable-subdomains',
  'explain',
  'denials',
  'audit',
  'trace',
  'learn',
  'help',
  'version',
]);
const isValueOption = (n: string): boolean => CLI_VALUE_OPTIONS.has(n) || isPathKey(n) || isPortKey(n) || (VALUE_KEYS as readonly string[]).includes(n);
const isBooleanOption = (n: string): boolean => CLI_BOOLEAN_OPTIONS.has(n) || isSwitchKey(n);

export interface ParseContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a --policy file; absent in pure unit tests that do not use it. */
  readonly readFile?: (path: string) => string;
  /** stat(2) of a --policy file, checked before it is read (default: the real one; throws ENOENT and the like). */
  readonly statFile?: (path: string) => PolicyFileStat;
  /**
   * The bytes of argv as the kernel passed them, or undefined when they cannot be known; only asked
   * for when an argument holds U+FFFD (default: the tail of /proc/self/cmdline).
   */
  readonly rawArgv?: (argv: readonly string[]) => readonly Buffer[] | undefined;
}

export function parseArgs(argv: readonly string[], ctx: ParseContext): ParsedArgs {
  assertUtf8Arguments(argv, ctx.rawArgv ?? rawArgvFromProc);
  const entries: SourcedEntry[] = [];
  const flags = new Set<string>();
  let logLevel: string | undefined;
  let savePlan: string | undefined;
  let learnRounds = 5;
  let learnTimeoutMs = LEARN_TIMEOUT_MS;
  let i = 0;

  for (; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      i++;
      break;
    }
    if (arg === '-h') {
      flags.add('help');
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') break; // the command starts here
    // Long options take one or two dashes, like the Go tool's flag parser.
    const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const inline = eq < 0 ? undefined : body.slice(eq + 1);

    if (isBooleanOption(name)) {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') {
        throw new UsageError(`invalid value '${inline}' for --${name}: expected true or false (or no value)`);
      }
      const on = inline !== 'false';
      if (isSwitchKey(name)) entries.push({ key: name, value: String(on), origin: { kind: 'flag', name, item: '' } });
      else if (on) flags.add(name);
      else flags.delete(name);
      continue;
    }
    if (!isValueOption(name)) {
      throw new UsageError(`unknown option '${arg}'${suggest(name)} (see landrun --help; put the command after -- if it starts with a dash)`);
    }
    let value = inline;
    if (value === undefined) {
      i++;
      if (i >= argv.length) throw new UsageError(`option --${name} needs a value`);
      value = argv[i] as string;
      // `--env -- cmd` would otherwise take the separator as the value and run `cmd` with a policy
      // the user did not write; `--ro --rw /x` the same with an option. A value that really is one
      // of these is written inline: --env=--, --ro=--rw.
      if (value === '--') throw new UsageError(`option --${name} needs a value, but the next argument is the separator '--' (write --${name}=-- if you mean that value)`);
      const next = /^--?([^=]+)/.exec(value)?.[1];
      if (next !== undefined && (isValueOption(next) || isBooleanOption(next))) {
        throw new UsageError(`option --${name} needs a value, but the next argument is the option '${value}' (write --${name}=${value} if you mean that value)`);
      }
    }
    const option = `--${name}`;
    const entry = (key: SourcedEntry['key'], item: string): void => {
      entries.push({ key, value: item, origin: { kind: 'flag', name: key, item } });
    };
    if (isPathKey(name)) for (const p of parsePathList(value, option)) entry(name, p);
    else if (isPortKey(name)) for (const p of splitPortList(value, option)) entry(name, p);
    else if ((VALUE_KEYS as readonly string[]).includes(name)) entry(name as (typeof VALUE_KEYS)[number], value);
    else if (name === 'log-level') logLevel = value;
    else if (name === 'policy') entries.push(...readPolicy(value, ctx));
    else if (name === 'learn-rounds') {
      if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 20) {
        throw new UsageError(`invalid --learn-rounds '${value}': expected a number from 1 to 20`);
      }
      learnRounds = Number(value);
    } else if (name === 'learn-timeout') {
      const ms = parseLearnTimeout(value);
      if (ms === undefined) throw new UsageError(`invalid --learn-timeout '${value}': expected seconds or a duration such as 90s, 10m or 1h (0 for none)`);
      learnTimeoutMs = ms;
    } else if (name === 'save-plan') {
      if (value === '') throw new UsageError('--save-plan needs a file name');
      savePlan = isAbsolute(value) ? value : resolve(ctx.cwd, value);
    } else {
      // isValueOption said yes: a value option nobody reads would be dropped without a word.
      throw new Error(`option --${name} is accepted but not read`);
    }
  }

  if (flags.has('help')) return { kind: 'help' };
  if (flags.has('version')) return { kind: 'version' };

  const level = logLevel ?? ctx.env.LANDRUN_LOG_LEVEL ?? 'warn';
  if (!isLogLevel(level)) {
    const from = logLevel !== undefined ? '--log-level' : 'LANDRUN_LOG_LEVEL';
    throw new UsageError(`invalid ${from} '${level}': expected one of ${LOG_LEVELS.join(', ')}`);
  }

  const command = argv.slice(i);
  if (command.length === 0 && !flags.has('explain') && savePlan === undefined) {
    throw new UsageError('no command given: usage is landrun [options] [--] <command> [args...]');
  }
  if (command[0] === '') throw new UsageError('the command is an empty string');

  const home = ctx.env.HOME;
  const request = requestFromEntries(entries, {
    resolvePath: (item, e) => {
      // A policy file's paths are its own: `~` is HOME, a relative path is against the file's
      // directory (so the file means the same from any directory). Flags get the shell's expansion
      // of `~` already, and are relative to the current directory.
      if (e.origin.kind === 'policy-file') {
        if (item === '~' || item.startsWith('~/')) {
          if (!home) throw new PolicyError(`'${item}' uses ~, but HOME is not set`);
          return resolve(home, item.slice(2));
        }
        return resolve(dirname(resolve(ctx.cwd, e.origin.file)), item);
      }
      return isAbsolute(item) ? resolve(item) : resolve(ctx.cwd, item);
    },
    base: {
      ...emptyPolicy,
      keepCapabilities: flags.has('keep-caps'),
      log: {
        disableOriginating: flags.has('log-disable-originating'),
        enableSubprocesses: flags.has('log-enable-subprocesses'),
        disableSubdomains: flags.has('log-disable-subdomains'),
      },
    },
  });
  return {
    kind: 'run',
    invocation: {
      ...request,
      logLevel: level,
      explain: flags.has('explain'),
      savePlan,
      reportDenials: ['denials', 'audit', 'trace', 'learn'].some((f) => flags.has(f)),
      allowAudit: flags.has('audit'),
      forceTrace: flags.has('trace'),
      learn: flags.has('learn'),
      learnRounds,
      keepTmp: flags.has('keep-tmp'),
      learnTimeoutMs,
      command,
    },
  };
}

function readPolicy(value: string, ctx: ParseContext): SourcedEntry[] {
  if (value === '') throw new UsageError('--policy needs a file name');
  if (!ctx.readFile) throw new UsageError('--policy is not available here');
  const file = isAbsolute(value) ? value : resolve(ctx.cwd, value);
  let text: string;
  try {
    // Checked before reading: a FIFO would block the read forever and /dev/zero never ends.
    const problem = policyFileProblem((ctx.statFile ?? statSync)(file));
    if (problem) throw new UsageError(`cannot use --policy '${value}': ${problem}`);
    text = ctx.readFile(file);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read --policy '${value}': ${(e as Error).message}`);
  }
  return parsePolicyFile(text, value);
}

/**
 * Node decodes argv as UTF-8 and turns bytes that are not into U+FFFD, so `--rw $'caf\xe9'` would
 * grant `caf\uFFFD`, another file (and a command argument would name another file too). The bytes
 * cannot be passed on from a JavaScript string, so such an argument is refused. An argument that
 * really holds U+FFFD (the bytes EF BF BD) is told apart by the raw argv, where it can be read.
 */
function assertUtf8Arguments(argv: readonly string[], rawArgv: (argv: readonly string[]) => readonly Buffer[] | undefined): void {
  const suspect = argv.findIndex((a) => a.includes('\uFFFD'));
  if (suspect < 0) return;
  const raw = rawArgv(argv);
  for (let i = suspect; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.includes('\uFFFD')) continue;
    const bytes = raw?.[i];
    if (bytes && Buffer.from(arg, 'utf8').equals(bytes)) continue; // a real U+FFFD
    const shown = bytes ? escapedBytes(bytes) : JSON.stringify(arg);
    const what = i > 0 && isPathOption(argv[i - 1] as string) ? `the value of ${(argv[i - 1] as string).replace(/^-+/, '--')}` : `argument ${i + 1}`;
    throw new UsageError(
      `${what} ${shown} is not valid UTF-8${bytes ? '' : ' (or holds U+FFFD)'}: Node.js reads it as ${JSON.stringify(arg)}, which names another file, so landrun refuses to run rather than grant or pass the wrong name; rename it, or grant a parent directory whose name is UTF-8`,
    );
  }
}

const isPathOption = (arg: string): boolean => /^--?[a-z]/.test(arg) && !arg.includes('=') && isPathKey(arg.replace(/^-+/, ''));

/** Bytes as a quoted string, with \xNN for everything outside printable ASCII. */
const escapedBytes = (b: Buffer): string =>
  `"${[...b].map((c) => (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`)).join('')}"`;

/**
 * This process's argv as bytes: the last argv.length entries of /proc/self/cmdline (before them
 * are node, its own options and the script). Undefined when they do not line up with argv (argv
 * did not come from this process's command line) or cannot be read.
 */
function rawArgvFromProc(argv: readonly string[]): readonly Buffer[] | undefined {
  try {
    const all = readFileSync('/proc/self/cmdline');
    const parts: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < all.length; i++) {
      if (all[i] === 0) {
        parts.push(all.subarray(start, i));
        start = i + 1;
      }
    }
    const tail = parts.slice(parts.length - argv.length);
    if (tail.length !== argv.length || tail.some((b, i) => b.toString('utf8') !== argv[i])) return undefined;
    return tail;
  } catch {
    return undefined;
  }
}

function suggest(name: string): string {
  const all = [...CLI_VALUE_OPTIONS, ...CLI_BOOLEAN_OPTIONS, ...POLICY_KEYS];
  const close = all.find((o) => o.startsWith(name) || name.startsWith(o) || levenshtein(o, name) <= 2);
  return close ? `; did you mean --${close}?` : '';
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] as number;
}

export const HELP = `landrun — run a command in a Linux Landlock sandbox (no root, no containers)

usage: landrun [options] [--] <command> [args...]
Options end at "--" or at the first argument that is not an option.
With no rules at all, nothing may be read, written, executed or connected.

filesystem (repeatable; comma-separated lists, "\\," for a comma inside a path):
  --ro PATH        read files (and list directories) beneath PATH
  --rox PATH       --ro plus execute
  --rw PATH        read, write, create, remove, rename and truncate beneath PATH
  --rwx PATH       --rw plus execute
  --ignore-missing skip rule paths that do not exist (otherwise an error)
  --add-exec       grant execute on the command and its ELF interpreter
  --ldd            grant what the command needs to load: its ELF interpreter
                   (execute) and shared libraries (read), found by reading ELF files
network (repeatable; comma-separated ports and ranges such as 8000-8100):
  --bind-tcp PORT     allow binding these TCP ports
  --connect-tcp PORT  allow connecting to these TCP ports
  --unix PATH         allow connecting to this pathname unix socket (enforced per
                      path from Landlock ABI 9; below that, unix sockets are all allowed)
  --allow-unix-sockets  do not restrict unix sockets at all
  --allow-dns         let the resolver work: read its config files, TCP port 53,
                      and ask glibc to resolve over TCP (UDP stays closed)
  --loopback          loopback networking: bind any TCP port (0 too) and connect to
                      any port on 127.0.0.1/::1 only (the native supervisor checks each
                      connect); other hosts only on --connect-tcp ports
kernel interfaces:
  --allow-keyring     let the command use the kernel keyrings (keyctl, add_key,
                      request_key), refused by default: the user keyring outlives it
environment:
  --env KEY        pass the caller's KEY (the environment is otherwise empty)
  --env KEY=VALUE  set KEY (the value is never split at commas)
relaxing:
  --unrestricted-filesystem  do not restrict the filesystem
  --unrestricted-network     do not restrict the network (no seccomp network filter)
  --unrestricted-scoped      do not scope signals and abstract unix sockets
  --keep-caps                keep capabilities when started with some (root)
  --best-effort              run with whatever the kernel supports, reporting every
                             dropped right (default: refuse to run without it)
  --target-abi N             enforce as if the kernel offered only Landlock ABI N
audit (Landlock ABI 7):
  --log-disable-originating  --log-enable-subprocesses  --log-disable-subdomains
policy files:
  --policy FILE    read the policy from a YAML file, the same one the Action's
                   policy-file input reads: the option names as keys (ro, rw,
                   connect-tcp, env, allow-dns, preset, ...), lists or blocks as
                   values; its relative paths are relative to the file, ~ is HOME;
                   options after --policy are applied after it
                   (schema: schema/landrun-policy.schema.json)
denials (the CLI then waits for the command instead of becoming it):
  --denials        report what the sandbox denied, and the flag that allows each, from
                   Landlock's audit records when they can be read and audit is on
                   (ABI 7, root), else from strace when it is installed
  --audit          may switch kernel audit on for the run if it is off (root)
  --trace          use strace even where audit records could be read (strace runs
                   outside the sandbox, in front of the launcher)
  --learn          run, collect denials, widen the policy, repeat until nothing new is
                   denied (--learn-rounds N, default 5; --learn-timeout 10m per round,
                   0 for none); prints the learned flags and policy file; never learns
                   writes or execute outside the working directory and TMPDIR, HOME
                   dotfiles, credentials, /proc or unusual devices: those are listed
                   as "needs your decision"
presets:
  --preset ci      what the GitHub Action grants a CI step, with the current directory as
                   the workspace: the system (read, execute), /etc /proc /sys (read),
                   the usual devices, HOME without credentials (read), the workspace and
                   a fresh TMPDIR (write); the caller's environment minus runner tokens
                   (loopback networking on, a private warm copy of the Go build cache)
  --preset none    nothing (the default)
  --keep-tmp       keep the preset's private TMPDIR after the run (its path is printed)
output:
  --workflow-commands annotations|none|all
                   filter GitHub workflow commands in the command's output (the
                   Action's default is annotations: ::error, ::warning, ::group and the
                   like pass, ::set-output, ::add-mask::, ::stop-commands and the rest
                   are printed defused); without the option output is not touched
other:
  --log-level error|warn|info|debug  (or LANDRUN_LOG_LEVEL; default warn; stderr only)
  --explain        print the effective plan and enforcement report, run nothing
  --save-plan FILE write the effective plan (wire format) to FILE and run nothing;
                   run it later with landrun-exec FILE [-- command] (the native
                   launcher, no Node)
  --version, --help

exit status: the command's own; 128+N if it was killed by signal N; 2 for usage,
policy or kernel refusals (nothing was run); 126 when the command cannot be
executed under the policy; 127 when it is not found; 1 for internal errors.
`;
