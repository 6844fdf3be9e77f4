// The public API of tierflow. The CLI imports only from here, like any user would.

export type {
  AgentContext,
  AgentHandler,
  AgentOptions,
  AgentRegistration,
  AgentRegistry,
  AgentResult,
  LlmRequest,
  LlmResponse,
  Validation,
  ValidatorContext,
  ValidatorPredicate,
  ValidatorRegistry,
  ValidatorRegistryOptions,
  ValidatorVerdict,
} from './agents/index.ts';
export {
  createAgentRegistry,
  createValidatorRegistry,
  llmAgent,
  maxAnswerChars,
  outputVariable,
  readAnswer,
  shellAgent,
} from './agents/index.ts';
export { loadAgentModule } from './agents/load-module.ts';
export type { Clock } from './clock.ts';
export { systemClock } from './clock.ts';
export type { BudgetConfig, BudgetDefinition, BudgetScope, BudgetWindow } from './config/budgets.ts';
export {
  defaultBudgetConfig,
  loadBudgetConfig,
  loadBudgetConfigFromDir,
  parseBudgetConfig,
} from './config/budgets.ts';
export type { ConfigFileName, TierflowConfig } from './config/load.ts';
export { bundledConfigDir, configFileNames, loadConfig } from './config/load.ts';
export type { ModelCatalog, ModelSpec } from './config/models.ts';
export { createModelCatalog, loadModelCatalog, parseModelCatalog } from './config/models.ts';
export { costMicroUsd, formatUsd, tokenCostMicroUsd } from './config/pricing.ts';
export type { CategoryPolicy, RoutingConfig, RoutingMode } from './config/routing.ts';
export { loadRoutingConfig, parseRoutingConfig, resolveRoutingMode } from './config/routing.ts';
export type { TaskTypeCatalog } from './config/task-types.ts';
export { loadTaskTypeCatalog, parseTaskTypeCatalog } from './config/task-types.ts';
export type {
  AgentLookup,
  AttemptOutcome,
  AttemptRequest,
  AttemptServices,
  BaselineCost,
  Coordinator,
  CoordinatorOptions,
  DecisionOptions,
  DecisionWait,
  Executor,
  ResumeState,
  RunOptions,
  RunResult,
  RunStatus,
  TaskSummary,
} from './coordinator/index.ts';
export { createCoordinator, createInProcessExecutor, defaultDecisions } from './coordinator/index.ts';
export type {
  AttemptRef,
  BudgetForecast,
  BudgetReading,
  BudgetStatusRow,
  CostReport,
  CostReportRow,
  CostTrackerOptions,
  Ledger,
  LedgerOptions,
  PriceBook,
  ReportDimension,
  ReservationRequest,
  ReserveResult,
  RunCostSummary,
  Settlement,
  SettleResult,
  ThrottleLevel,
  ThrottleQuery,
  ThrottleReader,
  ThrottleState,
  TokenCounter,
  TokenPrice,
} from './cost/index.ts';
export {
  admitsPriority,
  budgetStatus,
  costReport,
  countTokens,
  createLedger,
  createPriceBook,
  createThrottleReader,
  formatBudgetStatus,
  formatCostReport,
  parseSince,
  priceBookFromCatalog,
  reportDimensions,
  resolveSessionId,
  runCostSummary,
  subscribeCostTracker,
  throttleLevelFor,
} from './cost/index.ts';
export { didYouMean, didYouMeanHint, formatDiagnostic, formatDiagnostics } from './diagnostics/index.ts';
export type { Diagnostic, ErrorCode, ErrorOptions, SerializedError } from './errors.ts';
export { ConfigError, OrchestratorError, ProviderError, serializeError } from './errors.ts';
export { evalJson, formatEvalReport } from './eval/format.ts';
export type { CurvePoint, EvalOptions, EvalReport, EvalResult } from './eval/run-eval.ts';
export { defaultKnobs, runEval } from './eval/run-eval.ts';
export * from './events/index.ts';
export type {
  AttemptDetail,
  CrashPoint,
  JournalledRun,
  JournalRunStatus,
  ResumeOptions,
  ResumePlan,
  RunDetail,
  RunJournal,
  RunJournalOptions,
  RunListing,
  RunRecord,
  RunStart,
  TaskDetail,
  WorkflowChanges,
} from './journal/index.ts';
export {
  crashHookFromEnv,
  crashPoints,
  createRunJournal,
  fingerprintWorkflow,
  formatRunDetail,
  formatRunList,
  journalRunStatuses,
  listRuns,
  showRun,
} from './journal/index.ts';
export type {
  ConsensusRecord,
  EstimateFeatures,
  ExplorationOptions,
  LearnedPlan,
  LearnedPlanner,
  LearnedPlanRequest,
  Learner,
  LearnerOptions,
  LearnerSubscription,
  NeighbourOptions,
  OutcomeRecord,
  OutcomeStore,
  PlannerOptions,
  PlanStats,
  PolicyShift,
  Verdict,
} from './learning/index.ts';
export {
  checkVerdict,
  createLearner,
  createMemoryOutcomeStore,
  createPlanner,
  createSqliteOutcomeStore,
  fitPlanStats,
  recordFeedback,
  subscribeLearner,
} from './learning/index.ts';
export type { Logger, LoggerOptions, LogLevel } from './log.ts';
export { createLogger, silentLogger } from './log.ts';
export type {
  Feedback,
  Orchestrator,
  OrchestratorOptions,
  OrchestratorResumeOptions,
  OrchestratorRunOptions,
  PlanningOptions,
} from './orchestrator.ts';
export { createOrchestrator } from './orchestrator.ts';
export * from './providers/index.ts';
export type {
  PlanCandidate,
  PlannedRoute,
  Planner,
  PlanRequest,
  TaskPlan,
} from './routing/plan.ts';
export { defaultPeers } from './routing/plan.ts';
export type { QualityEstimate, QualityEstimator, QualityFeatures } from './routing/quality.ts';
export { createPriorQualityEstimator } from './routing/quality.ts';
export type {
  Router,
  RouterOptions,
  RoutingDecision,
  RoutingRequest,
  UsableModel,
} from './routing/router.ts';
export { createRouter } from './routing/router.ts';
export type { RouterSubscriberOptions } from './routing/subscriber.ts';
export { subscribeRouter } from './routing/subscriber.ts';
export type { TierUpgradeOptions } from './routing/tier-upgrade.ts';
export { subscribeTierUpgrade } from './routing/tier-upgrade.ts';
export type { Migration, StateDatabase, StateDatabaseOptions, StatePathSources } from './store/index.ts';
export { defaultStatePath, openStateDatabase, resolveStatePath, stateMigrations } from './store/index.ts';
export type { TaskDefinition, TemplateScope, Workflow } from './workflow/index.ts';
export {
  checkWorkflow,
  defineTask,
  defineWorkflow,
  loadWorkflow,
  parseWorkflow,
  renderTemplate,
  resolveWorkflowInputs,
  taskGraph,
  toDot,
  toMermaid,
} from './workflow/index.ts';
export type {
  CommandValidator,
  ConsensusValidator,
  PredicateValidator,
  Validator,
} from './workflow/model.ts';
