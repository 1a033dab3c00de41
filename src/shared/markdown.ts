// Markdown for job summaries, which GitHub renders as GFM and HTML.

/**
 * Text from the sandboxed script (paths, process names) goes into the job summary: escape
 * everything Markdown or HTML could act on, so a file name cannot forge a table row or a badge.
 */
export const mdEscape = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`/g, '&#96;')
    .replace(/\*/g, '&#42;')
    .replace(/_/g, '&#95;')
    .replace(/\[/g, '&#91;')
    .replace(/\|/g, '&#124;')
    .replace(/[\r\n]+/g, ' ');

/** Inline code that stays literal: escaped, in <code> (backticks in the text cannot end it). */
export const code = (s: string): string => `<code>${mdEscape(s)}</code>`;

/** A code fence longer than any run of backticks in `text`, so the text cannot close it. */
export function codeFence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}
