// The Action's logger: the project's Logger on @actions/core, honouring the `log-level` input.
// Errors and warnings become annotations titled "landrun" (the runner shows at most 10 of a kind
// per step, so callers keep them few); info goes to the log; debug goes to the log at log-level
// debug and to the runner's debug stream (ACTIONS_STEP_DEBUG) otherwise; groups fold in the log.
import { shows, type Logger, type LogLevel } from '../shared/logger.js';
import { TITLE, type Core } from './core.js';

export function createActionLogger(core: Core, level: LogLevel): Logger {
  return {
    level,
    error: (msg) => core.error(msg, { title: TITLE }),
    warn: (msg) => {
      if (shows(level, 'warn')) core.warning(msg, { title: TITLE });
    },
    info: (msg) => {
      if (shows(level, 'info')) core.info(msg);
    },
    debug: (msg) => (shows(level, 'debug') ? core.info(msg) : core.debug(msg)),
    enabled: (l) => shows(level, l) || (l === 'debug' && core.isDebug()),
    group: (title, body) => core.group(title, async () => body()),
  };
}
