// Shell quoting for commands the user is shown and may paste (reproductions, learned flags).

/** One word as POSIX sh reads it back: unquoted when it is plainly safe, else single-quoted. */
export const shellWord = (w: string): string => (/^[\w@%+=:,./~-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);
