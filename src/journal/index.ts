// The run journal: durable runs, resume after a crash, one coordinator per run.
export * from './crash-hook.ts';
export * from './durable.ts';
export * from './format.ts';
export * from './hash.ts';
export * from './journal.ts';
export * from './result.ts';
export * from './resume.ts';
export * from './runs.ts';
