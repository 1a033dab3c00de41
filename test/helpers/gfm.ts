// Job summaries rendered the way GitHub renders them: GitHub Flavored Markdown with tables
// (cmark-gfm, the reference implementation GitHub's renderer is built on; .ci/run installs it).
// Raw HTML is kept (--unsafe), as GitHub keeps <details>, <summary> and <code>.
import { spawnSync } from 'node:child_process';
import { whyNot } from './describe-if.js';

/** Why summaries cannot be rendered here, or undefined. */
export const gfmWhy: string | undefined = whyNot([spawnSync('cmark-gfm', ['--version']).status !== 0, 'cmark-gfm is not installed (.ci/run installs it)']);

/** The HTML GitHub's renderer makes of `markdown`. */
export function renderGfm(markdown: string): string {
  const r = spawnSync('cmark-gfm', ['--unsafe', '--extension', 'table'], { input: markdown, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cmark-gfm: ${r.stderr}`);
  return r.stdout;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/** The text of an HTML fragment: tags dropped, entities decoded. */
export const htmlText = (html: string): string =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|\w+);/gi, (m, e: string) =>
      e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : (ENTITIES[e] ?? m),
    )
    .trim();

/** Every <table> of the HTML, in order: its rows (the header row first), each a list of cell texts. */
export function htmlTables(html: string): string[][][] {
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((t) =>
    [...(t[1] as string).matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...(row[1] as string).matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => htmlText(c[1] as string))),
  );
}

/** The table of `html` whose header row is `header`; throws naming the tables there are. */
export function tableWithHeader(html: string, header: readonly string[]): string[][] {
  const tables = htmlTables(html);
  const found = tables.find((t) => JSON.stringify(t[0]) === JSON.stringify(header));
  if (!found) throw new Error(`no table with header ${JSON.stringify(header)}; the rendered tables have ${JSON.stringify(tables.map((t) => t[0]))}`);
  return found.slice(1);
}
