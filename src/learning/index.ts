// The outcome learner: outcomes, per (task type, model) posteriors, similar-task estimates, exploration.
export * from './explore.ts';
export * from './feedback.ts';
export * from './learner.ts';
export * from './neighbour-tuning.ts';
export * from './outcome.ts';
export * from './outcome-store.ts';
export * from './plan-stats.ts';
export * from './planner.ts';
export * from './posteriors.ts';
export * from './random.ts';
export * from './similarity.ts';
export * from './sqlite-store.ts';
export * from './subscriber.ts';
export * from './utility.ts';
