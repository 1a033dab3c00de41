// The injected logger. The CLI and landrun-shell write `[landrun] level: message` lines to stderr
// (stdout belongs to the command); the Action maps the same calls onto @actions/core
// (action/logger.ts). Everything that reports goes through one of these.

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  readonly level: LogLevel;
  error(msg: string): void;
  warn(msg: string): void;
  info(msg: string): void;
  debug(msg: string): void;
  enabled(level: LogLevel): boolean;
  /** Runs `body` as one titled section of the log (a foldable group in the Action's log). */
  group<T>(title: string, body: () => T | Promise<T>): Promise<T>;
}

export function isLogLevel(s: string): s is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(s);
}

const rank = (l: LogLevel): number => LOG_LEVELS.indexOf(l);

/** Whether a message at `level` is shown when the logger is set to `threshold`. */
export const shows = (threshold: LogLevel, level: LogLevel): boolean => rank(level) <= rank(threshold);

/** A logger writing `[landrun] level: message` lines through `write`. */
export function createLineLogger(level: LogLevel, write: (line: string) => void, prefix = '[landrun]'): Logger {
  const at =
    (l: LogLevel) =>
    (msg: string): void => {
      if (!shows(level, l)) return;
      for (const line of msg.split('\n')) write(`${prefix} ${l}: ${line}\n`);
    };
  const info = at('info');
  return {
    level,
    error: at('error'),
    warn: at('warn'),
    info,
    debug: at('debug'),
    enabled: (l) => shows(level, l),
    async group(title, body) {
      info(`${title}:`);
      return body();
    },
  };
}

export const silentLogger: Logger = createLineLogger('error', () => undefined);
