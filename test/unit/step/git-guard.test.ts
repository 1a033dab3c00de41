import { describe, expect, it } from '@jest/globals';
import { withoutCredentials } from '../../../src/step/git-guard.js';

describe('checkout credentials', () => {
  it('removes the extraheader (checkout <= v5) and the credentials include (>= v6), nothing else', () => {
    const config = [
      '[core]',
      '\trepositoryformatversion = 0',
      '[http "https://github.com/"]',
      '\textraheader = AUTHORIZATION: basic eC1hY2Nlc3M=',
      '[includeIf "gitdir:/home/runner/work/r/r/.git"]',
      '\tpath = /home/runner/work/_temp/git-credentials-5f1c2e3d-0000-4000-8000-0123456789ab.config',
      '[include]',
      '\tpath = /home/runner/.gitconfig-extra',
    ].join('\n');
    const w = withoutCredentials(config);
    expect(w).toMatchObject({ extraheaders: 1, credentialIncludes: 1 });
    expect(w.text).not.toMatch(/AUTHORIZATION|git-credentials/);
    expect(w.text).toContain('path = /home/runner/.gitconfig-extra');
    expect(w.text).toContain('repositoryformatversion = 0');
  });
});
