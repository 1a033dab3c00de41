// Denial reports as text (the CLI's stderr, the Action's log) and as Markdown (the job summary).
import { code, mdEscape } from '../shared/markdown.js';
import { flagText, inputText } from '../policy/vocabulary.js';
import { learnable, objectText, type DenialEntry, type DenialReport, type Suggestion } from './report.js';

const entryLine = (e: DenialEntry): string => `${e.rights.join(',')} ${objectText(e.object)}${e.count > 1 ? ` (${e.count}×)` : ''}${e.processes.length ? ` by ${e.processes.join(', ')}` : ''}`;

/** The refusals the programs tolerated, in one short line each. */
const toleratedLines = (r: DenialReport): string[] => r.tolerated.map((e) => `  ${entryLine(e)}: ${e.tolerated ?? ''}`);

export function denialReportText(r: DenialReport): string {
  if (r.source === 'none') return `denials cannot be observed here: ${r.sourceNote}`;
  const lines: string[] = [];
  if (r.entries.length === 0) {
    lines.push(r.incomplete ? `no denials received (source: ${r.source}), but the report may be incomplete: ${r.incomplete}` : `no denials (source: ${r.source})`);
  } else {
    lines.push(`the sandbox denied (source: ${r.source}):`);
    for (const e of r.entries) lines.push(`  ${entryLine(e)}`);
    if (r.incomplete) lines.push(`this report may be incomplete: ${r.incomplete}`);
    else if (r.unseen > 0) lines.push(`  ... and ${r.unseen} more the kernel counted but did not log`);
  }
  if (r.blindSpot) lines.push(`not seen: ${r.blindSpot}`);
  if (r.tolerated.length) lines.push('refused, and tolerated by the program (not suggested):', ...toleratedLines(r));
  const groups: Array<[string, (s: Suggestion) => boolean, (s: Suggestion) => string | undefined]> = [
    ['to allow them:', learnable, (s) => s.note],
    ['wider than what was denied (decide yourself):', (s) => s.wide, (s) => s.note],
    ['needs your decision:', (s) => !s.wide && s.decide !== undefined, (s) => s.decide],
  ];
  for (const [title, which, why] of groups) {
    const list = r.suggestions.filter(which);
    if (list.length === 0) continue;
    lines.push(title);
    for (const s of list) lines.push(`  ${flagText(s.entry)}${why(s) ? `   # ${why(s)}` : ''}`);
  }
  return lines.join('\n');
}

/** The denial report for a job summary: one row per denial, then the inputs that allow them. */
export function denialsMarkdown(r: DenialReport): string {
  if (r.source === 'none') return `**Denials:** cannot be observed on this runner — ${mdEscape(r.sourceNote)}\n`;
  const out: string[] = [];
  if (r.entries.length === 0) {
    out.push(r.incomplete ? `**Denials:** none received (source: ${r.source}), but the report may be incomplete — ${mdEscape(r.incomplete)}` : `**Denials:** none (source: ${r.source})`);
  } else {
    out.push(`**Denied** (source: ${r.source}${r.unseen ? `; ${r.unseen} more counted by the kernel but not logged` : ''}):`, '', '| right | object | process | count |', '|---|---|---|---|');
    for (const e of r.entries) out.push(`| ${mdEscape(e.rights.join(', '))} | ${code(objectText(e.object))} | ${mdEscape(e.processes.join(', '))} | ${e.count} |`);
    if (r.incomplete) out.push('', `The report may be incomplete: ${mdEscape(r.incomplete)}`);
  }
  if (r.blindSpot) out.push('', `Not seen: ${mdEscape(r.blindSpot)}`);
  if (r.tolerated.length) {
    out.push('', `Refused and tolerated by the program (not suggested): ${r.tolerated.map((e) => `${code(objectText(e.object))} (${mdEscape(e.tolerated ?? '')})`).join('; ')}`);
  }
  if (r.suggestions.length) {
    out.push('', 'To allow them:', '', '| input | flag (CLI) | note |', '|---|---|---|');
    for (const s of r.suggestions) {
      const note = s.wide ? `too wide, decide yourself: ${s.note ?? ''}` : s.decide ? `needs your decision: ${s.decide}` : (s.note ?? '');
      out.push(`| ${code(inputText(s.entry))} | ${code(flagText(s.entry))} | ${mdEscape(note)} |`);
    }
  }
  return `${out.join('\n')}\n`;
}
