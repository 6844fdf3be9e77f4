import { pino } from 'pino';

/** The logger handed to every part of tierflow; pino's shape, object first, message second. */
export type Logger = {
  child: (bindings: Record<string, unknown>) => Logger;
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
};
type LogFn = {
  (object: Record<string, unknown>, message?: string): void;
  (message: string): void;
};

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Paths never written by any logger: keys and auth headers wherever they appear. */
export const redactedPaths = [
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'headers["x-goog-api-key"]',
  '*.headers["x-goog-api-key"]',
];

export type LoggerOptions = {
  /** @default 'info' */
  level?: LogLevel;
  /** A file descriptor or path to write JSON lines to. @default 2 (stderr) */
  destination?: number | string;
};

/** Creates a JSON logger with secrets redacted. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: redactedPaths, censor: '[REDACTED]' },
      base: undefined,
    },
    pino.destination({ dest: options.destination ?? 2, sync: true }),
  ) as unknown as Logger;
}

const noop = () => {};

/** A logger that writes nothing. */
export const silentLogger: Logger = {
  child: () => silentLogger,
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
};
