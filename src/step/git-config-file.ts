// Just enough of git's config syntax to find what a configuration makes git read from elsewhere:
// the files it includes (`include.path`, `includeIf.<condition>.path`, whatever the condition) and
// the hooks directory (`core.hooksPath`). Only trusted text is read here (the configs as they were
// before the step), so the aim is to see every include git would see, not to validate.
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export interface ConfigEntry {
  /** Section name, lower case (`includeif`), and subsection as written (`gitdir:/w/.git`). */
  readonly section: string;
  readonly subsection: string | undefined;
  /** Key, lower case. */
  readonly key: string;
  /** undefined for a bare key (boolean true). */
  readonly value: string | undefined;
}

/** The entries of a config file, in order. Malformed lines are skipped, as nothing depends on them. */
export function configEntries(text: string): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  let section = '';
  let subsection: string | undefined;
  let i = 0;
  const n = text.length;
  const skipBlank = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r')) i++;
  };
  const skipLine = (): void => {
    while (i < n && text[i] !== '\n') i++;
    i++;
  };
  while (i < n) {
    skipBlank();
    const c = text[i];
    if (c === undefined) break;
    if (c === '\n') {
      i++;
      continue;
    }
    if (c === '#' || c === ';') {
      skipLine();
      continue;
    }
    if (c === '[') {
      const header = /^\[\s*([A-Za-z0-9.-]+)\s*(?:"((?:[^"\\\n]|\\.)*)")?\s*\]/.exec(text.slice(i, i + 4096));
      if (!header) {
        skipLine();
        continue;
      }
      const name = header[1] as string;
      if (header[2] !== undefined) {
        section = name.toLowerCase();
        subsection = header[2].replace(/\\(.)/g, '$1');
      } else {
        // [section.subsection], the deprecated spelling: the subsection is lower-cased too.
        const dot = name.indexOf('.');
        section = (dot < 0 ? name : name.slice(0, dot)).toLowerCase();
        subsection = dot < 0 ? undefined : name.slice(dot + 1).toLowerCase();
      }
      i += header[0].length;
      continue; // a key may follow on the same line
    }
    const key = /^[A-Za-z][A-Za-z0-9-]*/.exec(text.slice(i, i + 256))?.[0];
    if (!key) {
      skipLine();
      continue;
    }
    i += key.length;
    skipBlank();
    if (text[i] !== '=') {
      out.push({ section, subsection, key: key.toLowerCase(), value: undefined });
      if (text[i] === '#' || text[i] === ';') skipLine();
      continue;
    }
    i++;
    skipBlank();
    // The value: quotes group, backslash escapes, a backslash at the end of a line continues it,
    // an unquoted # or ; starts a comment; unquoted trailing blanks are dropped.
    let value = '';
    let quoted = false;
    let pendingBlank = '';
    for (; i < n; i++) {
      const ch = text[i] as string;
      if (ch === '\n') break; // inside quotes too: git rejects an unterminated quote
      if (!quoted && (ch === '#' || ch === ';')) {
        while (i < n && text[i] !== '\n') i++;
        break;
      }
      if (ch === '"') {
        value += pendingBlank;
        pendingBlank = '';
        quoted = !quoted;
        continue;
      }
      if (ch === '\\') {
        const next = text[i + 1];
        i++;
        if (next === '\n') continue;
        if (next === '\r' && text[i + 1] === '\n') {
          i++;
          continue;
        }
        value += pendingBlank + ({ n: '\n', t: '\t', b: '\b', '"': '"', '\\': '\\' }[next ?? ''] ?? '');
        pendingBlank = '';
        continue;
      }
      if (!quoted && (ch === ' ' || ch === '\t' || ch === '\r')) {
        pendingBlank += ch;
        continue;
      }
      value += pendingBlank + ch;
      pendingBlank = '';
    }
    i++;
    out.push({ section, subsection, key: key.toLowerCase(), value });
  }
  return out;
}

/** git's path expansion for config values: `~/` is HOME; `~user/` is not followed here. */
function expandHome(value: string): string | undefined {
  if (value === '~' || value.startsWith('~/')) return join(homedir(), value.slice(2));
  if (value.startsWith('~')) return undefined;
  return value;
}

/** Absolute paths of the files a config includes (relative ones are relative to the including file). */
export function includedFiles(text: string, configPath: string): string[] {
  const out: string[] = [];
  for (const e of configEntries(text)) {
    if (e.key !== 'path' || e.value === undefined || e.value === '') continue;
    if (!((e.section === 'include' && e.subsection === undefined) || (e.section === 'includeif' && e.subsection !== undefined))) continue;
    const p = expandHome(e.value);
    if (p !== undefined) out.push(isAbsolute(p) ? resolve(p) : resolve(dirname(configPath), p));
  }
  return out;
}

/** Every `core.hooksPath` value, made absolute (relative ones are relative to where hooks run). */
export function hooksPaths(text: string, relativeTo: string): string[] {
  const out: string[] = [];
  for (const e of configEntries(text)) {
    if (e.section !== 'core' || e.subsection !== undefined || e.key !== 'hookspath' || !e.value) continue;
    const p = expandHome(e.value);
    if (p !== undefined) out.push(isAbsolute(p) ? resolve(p) : resolve(relativeTo, p));
  }
  return out;
}

/** The value of a single-valued key (the last one wins, as in git). */
export function configValue(text: string, section: string, key: string): string | undefined {
  let v: string | undefined;
  for (const e of configEntries(text)) if (e.section === section && e.subsection === undefined && e.key === key) v = e.value ?? 'true';
  return v;
}
