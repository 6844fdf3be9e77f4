// The public API of tierflow. The CLI imports only from here, like any user would.
export type { Clock } from './clock.ts';
export { systemClock } from './clock.ts';
export type { Diagnostic, ErrorCode, ErrorOptions, SerializedError } from './errors.ts';
export { ConfigError, OrchestratorError, ProviderError, serializeError } from './errors.ts';
export * from './events/index.ts';
export type { Logger, LoggerOptions, LogLevel } from './log.ts';
export { createLogger, silentLogger } from './log.ts';
export * from './providers/index.ts';
