// CLI behaviour on the real kernel: network rules, environment, exit codes, output, bad input.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { itIf, whyNot } from '../helpers/describe-if.js';
import { portableCli } from '../helpers/portable.js';
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI, freePort, landrun, landrunAsync, listen, removeDir, SYSTEM, tempDir, NODE, NODE_GRANTS } from '../helpers/run.js';
import { nodeForAnyUser } from '../helpers/node24.js';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => removeDir(dir));

// bash's /dev/tcp does a plain TCP connect(); exit status tells whether it got through.
const connectProbe = (port: number): string[] => ['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port} && echo connected`];
const BASH_GRANTS = [...SYSTEM, '--rw', '/dev/null'];

describe('TCP', () => {
  it('connect is denied without a rule, and the listener sees nothing', async () => {
    const l = await listen();
    try {
      const r = await landrunAsync([...BASH_GRANTS, ...connectProbe(l.port)]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Permission denied');
      expect(l.connections()).toBe(0);
    } finally {
      await l.close();
    }
  });

  it('connect is allowed to a granted port only', async () => {
    const allowed = await listen();
    const other = await listen();
    try {
      const ok = await landrunAsync([...BASH_GRANTS, '--connect-tcp', String(allowed.port), ...connectProbe(allowed.port)]);
      expect(ok.stdout).toBe('connected\n');
      expect(ok.status).toBe(0);
      expect(allowed.connections()).toBe(1);
      const denied = await landrunAsync([...BASH_GRANTS, '--connect-tcp', String(allowed.port), ...connectProbe(other.port)]);
      expect(denied.status).toBe(1);
      expect(other.connections()).toBe(0);
    } finally {
      await allowed.close();
      await other.close();
    }
  });

  it('a port range grants every port in it', async () => {
    const l = await listen();
    try {
      const r = await landrunAsync([...BASH_GRANTS, '--connect-tcp', `${l.port - 1}-${l.port + 1}`, ...connectProbe(l.port)]);
      expect(r.stdout).toBe('connected\n');
      expect(l.connections()).toBe(1);
    } finally {
      await l.close();
    }
  });

  // perl binds and reports; the parent checks the port really was (not) taken.
  const bindProbe = (port: number): string[] => [
    '--ro',
    '/dev/null',
    'perl',
    '-e',
    `use Socket; socket(my $s, PF_INET, SOCK_STREAM, 0) or die "socket: $!\\n"; setsockopt($s, SOL_SOCKET, SO_REUSEADDR, 1); bind($s, sockaddr_in(${port}, INADDR_LOOPBACK)) or die "bind: $!\\n"; print "bound\\n"`,
  ];

  it('bind is denied without a rule and allowed on a granted port', async () => {
    const port = await freePort();
    const denied = landrun([...SYSTEM, ...bindProbe(port)]);
    expect(denied.stderr).toBe('bind: Permission denied\n');
    expect(denied.status).not.toBe(0);
    const ok = landrun([...SYSTEM, '--bind-tcp', String(port), ...bindProbe(port)]);
    expect(ok.stdout).toBe('bound\n');
    expect(ok.status).toBe(0);
  });

  it('--bind-tcp 0 lets a server listen on an ephemeral port (listen(0)); without it the bind is denied', () => {
    const server = `require('net').createServer().listen(0, '127.0.0.1', function () { console.log(this.address().port > 0 ? 'listening' : 'no port'); this.close(); }).on('error', (e) => { console.log(e.code); process.exit(3); })`;
    const granted = landrun([...SYSTEM, ...NODE_GRANTS, '--bind-tcp', '0', '--', NODE, '-e', server]);
    expect(granted.stdout).toBe('listening\n');
    expect(granted.status).toBe(0);
    const denied = landrun([...SYSTEM, ...NODE_GRANTS, '--', NODE, '-e', server]);
    expect(denied.stdout).toBe('EACCES\n');
    expect(denied.status).toBe(3);
  });

  it('--unrestricted-network lets any connect through', async () => {
    const l = await listen();
    try {
      const r = await landrunAsync([...BASH_GRANTS, '--unrestricted-network', ...connectProbe(l.port)]);
      expect(r.stdout).toBe('connected\n');
      expect(l.connections()).toBe(1);
    } finally {
      await l.close();
    }
  });
});

describe('environment', () => {
  it('is empty by default', () => {
    const r = landrun([...SYSTEM, '/usr/bin/env'], { env: { PATH: process.env.PATH, SECRET: 'x' } });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it('passes a bare --env KEY from the caller and --env KEY=VALUE verbatim', () => {
    const r = landrun([...SYSTEM, '--env', 'HOME', '--env', 'CUSTOM=a,b=c', '--env', 'UNSET_HERE', '--', 'env'], {
      env: { PATH: process.env.PATH, HOME: '/home/tester', SECRET: 'x' },
    });
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['CUSTOM=a,b=c', 'HOME=/home/tester']);
  });

  it('finds the command in the caller PATH even though the sandbox gets none', () => {
    // `sh` is found through the caller's PATH; the environment the command starts with has no PATH
    // (a shell would invent its own default, so ask env(1), which prints what it was given).
    const r = landrun([...SYSTEM, 'sh', '-c', 'exec /usr/bin/env']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('PATH='))).toEqual([]);
    expect(r.status).toBe(0);
  });
});

describe('exit codes and output', () => {
  it('passes the exit code through', () => {
    expect(landrun([...SYSTEM, 'sh', '-c', 'exit 42']).status).toBe(42);
    expect(landrun([...SYSTEM, 'false']).status).toBe(1);
  });

  it('dies by the same signal as the command (no wrapper process in between)', () => {
    const r = landrun([...SYSTEM, 'sh', '-c', 'kill -TERM $$']);
    expect(r.signal).toBe('SIGTERM');
    const viaShell = spawnSync('sh', ['-c', `"${NODE}" "${CLI}" --rox /usr sh -c 'kill -KILL $$'; echo "status=$?"`], { encoding: 'utf8' });
    expect(viaShell.stdout).toBe('status=137\n');
  });

  it('keeps stdout and stderr byte-exact and separate, and passes stdin', () => {
    const r = landrun([...SYSTEM, 'sh', '-c', 'printf "out\\0\\001\\n"; printf "err\\n" >&2; cat'], { input: 'in-data' });
    expect(r.stdout).toBe('out\0\u0001\nin-data');
    expect(r.stderr).toBe('err\n');
  });

  it('restores default SIGPIPE: `yes | head -1` ends quietly', () => {
    const r = landrun([...SYSTEM, 'sh', '-c', 'yes | head -1; echo "${PIPESTATUS:-done}"']);
    expect(r.stdout).toBe('y\ndone\n');
    expect(r.stderr).toBe('');
  });

  it('runs commands with their own flags without --', () => {
    const d = join(dir, 'flags');
    mkdirSync(d);
    writeFileSync(join(d, '.hidden'), '');
    const r = landrun(['--rox', '/usr', '--ro', d, 'ls', '-a', '-1', d]);
    expect(r.stdout).toBe('.\n..\n.hidden\n');
  });

  it('--workflow-commands: none defuses every workflow command, annotations lets annotations through; without it output is untouched', () => {
    const script = 'echo "::error file=a.ts::boom"; echo "::set-output name=exit-code::0"; printf "::add-mask::x"';
    expect(landrun([...SYSTEM, '--workflow-commands', 'none', 'sh', '-c', script]).stdout).toBe(
      // the value an ::add-mask:: wanted hidden stays hidden: the runner will not mask it now
      '[landrun: defused] ::error file=a.ts::boom\n[landrun: defused] ::set-output name=exit-code::0\n[landrun: defused] ::add-mask::***',
    );
    expect(landrun([...SYSTEM, '--workflow-commands=annotations', 'sh', '-c', script]).stdout).toBe(
      '::error file=a.ts::boom\n[landrun: defused] ::set-output name=exit-code::0\n[landrun: defused] ::add-mask::***',
    );
    expect(landrun([...SYSTEM, 'sh', '-c', script]).stdout).toBe('::error file=a.ts::boom\n::set-output name=exit-code::0\n::add-mask::x');
  });

  it('not found is 127, with a message', () => {
    const r = landrun([...SYSTEM, 'no-such-command-xyz']);
    expect(r.status).toBe(127);
    expect(r.stderr).toMatch(/\[landrun\] error: command not found: 'no-such-command-xyz' is not in PATH/);
  });

  it('the process after exec is single-threaded, restricted and filtered', () => {
    const d = join(dir, 'after-exec');
    mkdirSync(d);
    const r = landrun([...SYSTEM, '--ro', '/proc', 'sh', '-c', `grep -E '^(Threads|NoNewPrivs|Seccomp):' /proc/self/status; echo x > ${d}/denied`]);
    expect(r.stdout).toBe('Threads:\t1\nNoNewPrivs:\t1\nSeccomp:\t2\n');
    expect(existsSync(join(d, 'denied'))).toBe(false);
  });
});

describe('capabilities', () => {
  const why = whyNot([process.getuid?.() !== 0, 'needs root to set up an ambient capability'], [spawnSync('setpriv', ['--version']).status !== 0, 'setpriv is missing']);
  itIf(why, 'a caller holding only an ambient capability (no CAP_SETPCAP) still runs, with nothing left', () => {
    const r = spawnSync(
      'setpriv',
      ['--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', '--inh-caps', '+net_bind_service', '--ambient-caps', '+net_bind_service', '--',
        nodeForAnyUser(), portableCli(), '--rox', '/usr', '--ro', '/proc', '--', 'grep', '-E', '^Cap(Prm|Eff|Amb)', '/proc/self/status'],
      { encoding: 'utf8', cwd: '/' }, // nobody may not be able to enter the checkout
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\nCapAmb:\t0000000000000000\n');
  });
});

describe('bad input: exit 2, nothing runs', () => {
  const marker = (): string => join(dir, `marker-${Math.random().toString(36).slice(2)}`);
  const cases: Array<[string, (m: string) => string[], RegExp]> = [
    ['unknown flag', (m) => ['--frob', ...SYSTEM, '--rw', dir, 'touch', m], /unknown option '--frob'/],
    ['missing path', (m) => [...SYSTEM, '--rw', dir, '--ro', '/does/not/exist', 'touch', m], /path '\/does\/not\/exist' in --ro \/does\/not\/exist does not exist/],
    ['bad port', (m) => [...SYSTEM, '--rw', dir, '--connect-tcp', '70000', 'touch', m], /invalid port '70000' in --connect-tcp/],
    ['bad range', (m) => [...SYSTEM, '--rw', dir, '--bind-tcp', '10-5', 'touch', m], /invalid port range '10-5'/],
    ['bad log level', (m) => ['--log-level', 'chatty', ...SYSTEM, '--rw', dir, 'touch', m], /invalid --log-level 'chatty'/],
    ['target ABI above the kernel', (m) => ['--target-abi', '99', ...SYSTEM, '--rw', dir, 'touch', m], /--target-abi 99 is above what this kernel offers/],
    ['strict mode and a missing TCP right', (m) => ['--target-abi', '3', '--connect-tcp', '443', ...SYSTEM, '--rw', dir, 'touch', m], /refusing to run: --target-abi 3 cannot enforce[\s\S]*net.connect_tcp needs Landlock ABI 4 \(Linux 6.7\)/],
  ];
  it.each(cases)('%s', (_name, args, message) => {
    const m = marker();
    const r = landrun(args(m));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(existsSync(m)).toBe(false);
  });

  it('--env -- does not take the separator as its value and run the command', () => {
    const m = marker();
    const r = landrun([...SYSTEM, '--rw', dir, '--env', '--', 'touch', m]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("option --env needs a value, but the next argument is the separator '--' (write --env=-- if you mean that value)");
    expect(existsSync(m)).toBe(false);
  });

  it('a path that is not UTF-8 is refused, not granted under its U+FFFD spelling (another directory)', () => {
    // dir/caf\xe9 on the command line; Node.js would read it as dir/caf\uFFFD, which exists too.
    const lossy = join(dir, 'caf\uFFFD');
    mkdirSync(lossy, { recursive: true });
    mkdirSync(Buffer.concat([Buffer.from(join(dir, 'caf')), Buffer.from([0xe9])]), { recursive: true });
    const m = join(lossy, `marker-${Math.random().toString(36).slice(2)}`);
    const r = spawnSync('sh', ['-c', 'exec "$0" "$1" --rox /usr --ro /etc --rw "$2$(printf "\\351")" -- touch "$3"', NODE, CLI, join(dir, 'caf'), m], { encoding: 'utf8' });
    expect(r.stderr).toContain(`the value of --rw "${join(dir, 'caf')}\\xe9" is not valid UTF-8: Node.js reads it as ${JSON.stringify(lossy)}, which names another file`);
    expect(r.status).toBe(2);
    expect(existsSync(m)).toBe(false);
    // a name that really holds U+FFFD is granted as written
    const ok = landrun([...SYSTEM, '--rw', lossy, '--', 'touch', m]);
    expect(ok.status).toBe(0);
    expect(existsSync(m)).toBe(true);
  });

  it('an empty command', () => {
    const r = landrun([...SYSTEM, '--', '']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('the command is an empty string');
  });

  it('no command', () => {
    const r = landrun([...SYSTEM]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no command given');
  });
});

describe('missing paths and --ignore-missing', () => {
  it('skips missing rule paths and still runs', () => {
    const r = landrun(['--log-level', 'info', ...SYSTEM, '--ignore-missing', '--ro', '/does/not/exist', 'echo', 'ran']);
    expect(r.stdout).toBe('ran\n');
    expect(r.stderr).toContain('skipped missing path /does/not/exist (--ro /does/not/exist, --ignore-missing)');
  });
});

describe('--unrestricted-filesystem', () => {
  it('writes anywhere the user may, while the network stays closed', async () => {
    const f = join(dir, 'unrestricted-fs');
    const l = await listen();
    try {
      const r = await landrunAsync(['--unrestricted-filesystem', 'bash', '-c', `echo yes > ${f}; exec 3<>/dev/tcp/127.0.0.1/${l.port}`]);
      expect(readFileSync(f, 'utf8')).toBe('yes\n');
      expect(r.status).toBe(1);
      expect(l.connections()).toBe(0);
    } finally {
      await l.close();
    }
  });

  it('a --unix socket that does not exist does not refuse the run (the Go tool expects exit 0)', () => {
    const r = landrun(['--unrestricted-filesystem', '--unix', '/run/does-not-matter.sock', '--', 'echo', 'ok']);
    expect(r.stdout).toBe('ok\n');
    expect(r.status).toBe(0);
  });

  it('keeps cross-directory renames working (refer granted on /)', () => {
    const a = join(dir, 'ufs-a');
    const b = join(dir, 'ufs-b');
    mkdirSync(a);
    mkdirSync(b);
    writeFileSync(join(a, 'f'), 'F');
    const r = landrun(['--unrestricted-filesystem', 'perl', '-e', `rename("${a}/f","${b}/f") or die "rename: $!\\n"`]);
    expect(r.stderr).toBe('');
    expect(readFileSync(join(b, 'f'), 'utf8')).toBe('F');
  });
});

describe('--preset ci', () => {
  it('reproduces the CI step sandbox with the current directory as the workspace', () => {
    const home = join(dir, 'preset-home');
    const proj = join(dir, 'preset-proj');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    mkdirSync(proj);
    writeFileSync(join(home, '.ssh', 'id_rsa'), 'KEY');
    writeFileSync(join(home, '.bashrc'), '# rc\n');
    const script = [
      'touch built && echo ws-ok',
      'echo t > "$TMPDIR/t" && echo tmp-ok',
      'cat ~/.ssh/id_rsa 2>/dev/null || echo ssh-denied',
      'cat ~/.bashrc',
      'echo x >> ~/.bashrc 2>/dev/null || echo home-readonly',
      'echo "custom=$CUSTOM token=${ACTIONS_RUNTIME_TOKEN:-none}"',
    ].join('; ');
    const r = landrun(['--preset', 'ci', '--', 'bash', '--norc', '-c', script], {
      cwd: proj,
      env: { PATH: process.env.PATH, HOME: home, CUSTOM: 'kept', ACTIONS_RUNTIME_TOKEN: 'secret' },
    });
    expect(r.stdout).toBe('ws-ok\ntmp-ok\nssh-denied\n# rc\nhome-readonly\ncustom=kept token=none\n');
    expect(existsSync(join(proj, 'built'))).toBe(true);
  });

  it('rejects an unknown preset', () => {
    const r = landrun(['--preset', 'lax', 'true']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("invalid --preset 'lax': expected one of ci, none");
  });
});

describe('--explain', () => {
  it('prints the effective plan and runs nothing', () => {
    const m = join(dir, 'explain-marker');
    const r = landrun(['--explain', ...SYSTEM, '--rw', dir, '--connect-tcp', '443', 'touch', m]);
    expect(r.status).toBe(0);
    expect(existsSync(m)).toBe(false);
    expect(r.stdout).toMatch(/kernel: Landlock ABI \d+/);
    expect(r.stdout).toMatch(/\/etc\s+dir\s+ro\s+from --ro \/etc/);
    expect(r.stdout).toMatch(/tcp 443\s+port\s+connect_tcp\s+from --connect-tcp 443/);
    expect(r.stdout).toMatch(/seccomp: tcp-only/);
  });

  it('shows what a lower ABI would drop', () => {
    const r = landrun(['--explain', '--target-abi', '4', ...SYSTEM, 'true']);
    expect(r.stdout).toContain('enforcing as ABI 4 (--target-abi)');
    expect(r.stdout).toMatch(/scope\.signal \(needs Landlock ABI 6, Linux 6\.12\): the sandbox can send signals/);
    expect(r.stdout).toMatch(/status: partial/);
  });
});
