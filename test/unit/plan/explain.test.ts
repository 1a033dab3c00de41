import { describe, expect, it } from '@jest/globals';
import { downgrade } from '../../../src/landlock/compat.js';
import { compilePolicy } from '../../../src/policy/compile.js';
import { explainMarkdown, explainText, handledLine } from '../../../src/plan/explain.js';
import { describePath, grant, policy, port } from '../../helpers/policy-fixtures.js';

const effective = (p: Parameters<typeof compilePolicy>[0], kernelAbi = 7) => downgrade(compilePolicy(p, describePath).plan, { kernelAbi, bestEffort: true });

describe('the plan as text and as a job summary', () => {
  it('names the handled rights, the rules with their origins, and the seccomp profile', () => {
    const { plan, report } = effective(policy({ paths: [grant('rox', '/usr'), grant('ro', '/etc/hosts')], connectTcp: [port('connect-tcp', 443)] }));
    const text = explainText({ plan, report, capabilities: 'none-held', command: ['curl'] });
    expect(text).toContain('network: bind_tcp connect_tcp;');
    expect(text).toMatch(/ {2}\/usr +dir +rox +from --rox \/usr/);
    expect(text).toMatch(/ {2}\/etc\/hosts +file +ro +from --ro \/etc\/hosts/);
    expect(text).toMatch(/ {2}tcp 443 +port +connect_tcp +from --connect-tcp 443/);
    expect(text).toContain('seccomp: tcp-only');
    expect(text).not.toContain('loopback');
  });

  it('says what loopback mode allows, in the text and as a summary row', () => {
    const { plan, report } = effective(policy({ paths: [grant('rox', '/usr')], loopback: true, connectTcp: [port('connect-tcp', 443)] }));
    expect(plan.loopback).toBe(true);
    expect(handledLine(plan)).toContain('network: connect_tcp (loopback mode: any TCP port may be bound, 0 too; connects to 127.0.0.1 and ::1 on any port are made by the supervisor');
    const md = explainMarkdown({ plan, report, capabilities: 'none-held', title: 'landrun sandbox' });
    expect(md).toMatch(/^\| loopback networking \| on: any TCP port may be bound, 0 too; .* \|$/m);
  });

  it('lists each right the kernel cannot enforce with the ABI and Linux version that bring it', () => {
    const { plan, report } = effective(policy({ paths: [grant('rox', '/usr')], connectTcp: [port('connect-tcp', 443)] }), 3);
    const text = explainText({ plan, report, capabilities: 'none-held' });
    expect(text).toMatch(/- net\.connect_tcp \(needs Landlock ABI 4, Linux 6\.7\)/);
    const md = explainMarkdown({ plan, report, capabilities: 'none-held', title: 't', exitCode: 3, durationMs: 1500 });
    expect(md).toContain('| exit code | 3 |');
    expect(md).toContain('| duration | 1.5 s |');
  });
});
