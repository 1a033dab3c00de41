// The injected logger. The CLI writes to stderr only (stdout belongs to the command); the Action
// maps these levels onto @actions/core.

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  readonly level: LogLevel;
  error(msg: string): void;
  warn(msg: string): void;
  info(msg: string): void;
  debug(msg: string): void;
  enabled(level: LogLevel): boolean;
}

export function isLogLevel(s: string): s is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(s);
}

const rank = (l: LogLevel): number => LOG_LEVELS.indexOf(l);

/** A logger writing `[landrun] level: message` lines through `write`. */
export function createLineLogger(level: LogLevel, write: (line: string) => void, prefix = '[landrun]'): Logger {
  const at =
    (l: LogLevel) =>
    (msg: string): void => {
      if (rank(l) > rank(level)) return;
      for (const line of msg.split('\n')) write(`${prefix} ${l}: ${line}\n`);
    };
  return {
    level,
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    enabled: (l) => rank(l) <= rank(level),
  };
}

export const silentLogger: Logger = createLineLogger('error', () => undefined);
