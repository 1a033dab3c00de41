// The project's Markdown (README, ADRs, native-helper/README, bench/RESULTS) links to its own
// headings and files: every `#anchor` must be a heading GitHub would give that id (github-slugger,
// GitHub's own algorithm), and every relative link a file or directory of the repository.
import { describe, expect, it } from '@jest/globals';
import GithubSlugger from 'github-slugger';
import { marked, type Token, type Tokens } from 'marked';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ROOT } from '../../helpers/run.js';

const DOCS = [
  'README.md',
  'native-helper/README.md',
  'bench/RESULTS.md',
  ...readdirSync(join(ROOT, 'docs', 'adr'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/adr/${f}`),
].filter((f) => existsSync(join(ROOT, f)));

interface Parsed {
  readonly anchors: Set<string>;
  readonly links: string[];
}

function parse(file: string): Parsed {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  const links: string[] = [];
  const walk = (tokens: readonly Token[]): void => {
    for (const t of tokens) {
      if (t.type === 'heading') anchors.add(slugger.slug((t as Tokens.Heading).text.replace(/`/g, '')));
      if (t.type === 'link') links.push((t as Tokens.Link).href);
      const inner = (t as { tokens?: Token[] }).tokens;
      if (inner) walk(inner);
      if (t.type === 'list') for (const item of (t as Tokens.List).items) walk(item.tokens);
      if (t.type === 'table') {
        const table = t as Tokens.Table;
        for (const cell of [...table.header, ...table.rows.flat()]) walk(cell.tokens);
      }
    }
  };
  walk(marked.lexer(readFileSync(join(ROOT, file), 'utf8')));
  return { anchors, links };
}

const parsed = new Map(DOCS.map((f) => [f, parse(f)]));

describe.each(DOCS)('%s', (file) => {
  const { anchors, links } = parsed.get(file) as Parsed;

  it('has headings and links to check (the parser read it)', () => {
    expect(anchors.size).toBeGreaterThan(0);
  });

  it('links to headings that exist', () => {
    const broken = links.filter((l) => l.startsWith('#') && !anchors.has(decodeURIComponent(l.slice(1))));
    expect(broken).toEqual([]);
  });

  it('links to files of the repository that exist, and to their headings', () => {
    const broken: string[] = [];
    for (const l of links) {
      if (/^[a-z]+:/i.test(l) || l.startsWith('#')) continue;
      const [path = '', anchor] = l.split('#');
      const target = join(ROOT, dirname(file), decodeURIComponent(path));
      if (!existsSync(target)) broken.push(l);
      else if (anchor !== undefined && target.endsWith('.md')) {
        const other = parsed.get(relative(ROOT, target));
        if (other && !other.anchors.has(anchor)) broken.push(l);
      }
    }
    expect(broken).toEqual([]);
  });
});
