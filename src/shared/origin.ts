// Where a grant (and the rule compiled from it) came from. Decisions look at these fields; the
// text form exists only for messages and reports.

export type Origin =
  /** A command-line option: `--ro /etc` is { name: 'ro', item: '/etc' }. */
  | { readonly kind: 'flag'; readonly name: string; readonly item: string }
  /** An Action input; `relative` when the item was written relative to the workspace. */
  | { readonly kind: 'input'; readonly name: string; readonly item: string; readonly relative: boolean }
  /**
   * An entry of a policy file, where it was written (line and column, 1-based); `relative` when the
   * item is a path written relative to the file's directory.
   */
  | {
      readonly kind: 'policy-file';
      readonly file: string;
      readonly line: number;
      readonly column: number;
      readonly name: string;
      readonly item: string;
      readonly relative: boolean;
    }
  /** A preset's own grant: { name: 'ci', detail: 'system' }. */
  | { readonly kind: 'preset'; readonly name: string; readonly detail: string }
  /** Added by the tool because of another setting or a mechanism: --add-exec, --ldd, --allow-dns, learn mode, a step's own files. */
  | { readonly kind: 'implied'; readonly by: string; readonly detail?: string | undefined }
  /** Read back from a compiled plan, which does not carry origins. */
  | { readonly kind: 'plan' };

export function originText(o: Origin): string {
  switch (o.kind) {
    case 'flag':
      return `--${o.name}${o.item ? ` ${o.item}` : ''}`;
    case 'input':
      return `input ${o.name}: ${o.item}`;
    case 'policy-file':
      return `${fileLocation(o)} ${o.name}: ${o.item}`;
    case 'preset':
      return `preset ${o.name} (${o.detail})`;
    case 'implied':
      return o.detail ? `${o.by} (${o.detail})` : o.by;
    case 'plan':
      return 'plan';
  }
}

/** Where a policy-file entry was written, as editors and compilers print it: "policy.yml:3:5". */
export const fileLocation = (o: { readonly file: string; readonly line: number; readonly column: number }): string => `${o.file}:${o.line}:${o.column}`;

export const originsText = (os: readonly Origin[]): string => os.map(originText).join(', ');

/** The option a user wrote that produced this origin, as a name (ro, rw, connect-tcp), if any. */
export function userOption(o: Origin): string | undefined {
  return o.kind === 'flag' || o.kind === 'input' || o.kind === 'policy-file' ? o.name : undefined;
}
