// Denial reports as text (the CLI's stderr, the Action's log) and as Markdown (the job summary).
import { code, mdEscape } from '../shared/markdown.js';
import { flagText, inputText } from '../policy/vocabulary.js';
import { objectText, type DenialReport } from './report.js';

export function denialReportText(r: DenialReport): string {
  if (r.source === 'none') return `denials cannot be observed here: ${r.sourceNote}`;
  if (r.entries.length === 0) {
    return `no denials (source: ${r.source}${r.unseen ? `; the kernel counted ${r.unseen} that no record showed` : ''})`;
  }
  const lines = [`the sandbox denied (source: ${r.source}):`];
  for (const e of r.entries) {
    lines.push(`  ${e.rights.join(',')} ${objectText(e.object)}${e.count > 1 ? ` (${e.count}×)` : ''}${e.processes.length ? ` by ${e.processes.join(', ')}` : ''}`);
  }
  if (r.unseen > 0) lines.push(`  ... and ${r.unseen} more the kernel counted but did not log`);
  if (r.suggestions.length) {
    lines.push('to allow them:');
    for (const s of r.suggestions) lines.push(`  ${flagText(s.entry)}${s.note ? `   # ${s.note}` : ''}`);
  }
  return lines.join('\n');
}

/** The denial report for a job summary: one row per denial, then the flags that allow them. */
export function denialsMarkdown(r: DenialReport): string {
  if (r.source === 'none') return `**Denials:** cannot be observed on this runner — ${mdEscape(r.sourceNote)}\n`;
  if (r.entries.length === 0) return `**Denials:** none (source: ${r.source})\n`;
  const out = [`**Denied** (source: ${r.source}${r.unseen ? `; ${r.unseen} more counted by the kernel but not logged` : ''}):`, '', '| right | object | process | count |', '|---|---|---|---|'];
  for (const e of r.entries) out.push(`| ${mdEscape(e.rights.join(', '))} | ${code(objectText(e.object))} | ${mdEscape(e.processes.join(', '))} | ${e.count} |`);
  if (r.suggestions.length) {
    out.push('', 'To allow them:', '', '| flag (CLI) | input | note |', '|---|---|---|');
    for (const s of r.suggestions) out.push(`| ${code(flagText(s.entry))} | ${code(inputText(s.entry))} | ${mdEscape(s.note ?? '')} |`);
  }
  return `${out.join('\n')}\n`;
}
