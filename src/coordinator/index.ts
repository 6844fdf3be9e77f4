export type { Coordinator } from './coordinator.ts';
export { createCoordinator } from './coordinator.ts';
export type { AgentLookup, AttemptOutcome, AttemptRequest, AttemptServices, Executor } from './executor.ts';
export { createInProcessExecutor } from './executor.ts';
export type {
  BaselineCost,
  CoordinatorOptions,
  DecisionOptions,
  DecisionWait,
  ResumeState,
  RunOptions,
} from './options.ts';
export { defaultDecisions } from './options.ts';
export type { RunResult, RunStatus, TaskSummary } from './result.ts';
