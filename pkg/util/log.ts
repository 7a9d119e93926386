import { pino, type Logger as Pino } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const logLevels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * Structured, levelled logging: one JSON line per event on stderr.
 * `fields` are merged into the line; `child` returns a logger that adds its fields to every line
 * (components take `log.child({ component: 'store' })`). Never throws.
 */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(level: LogLevel = 'info', fd = 2): Logger {
  // Synchronous writes: a crash or exit must not lose the line that explains it.
  return wrap(pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ fd, sync: true })));
}

function wrap(p: Pino): Logger {
  const at = (lvl: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (fields) p[lvl](errorsToText(fields), msg);
    else p[lvl](msg);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (f) => wrap(p.child(f)) };
}

// pino serialises only `err`; other Error-valued fields would print as {}.
function errorsToText(fields: Record<string, unknown>): Record<string, unknown> {
  let out = fields;
  for (const [k, v] of Object.entries(fields)) {
    if (v instanceof Error) {
      if (out === fields) out = { ...fields };
      out[k] = v.stack ?? v.message;
    }
  }
  return out;
}

/** A logger that drops everything, for tests and library defaults. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };
