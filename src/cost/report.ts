// Spend reports from the ledger: totals by a dimension, savings against the all-strongest baseline.
import type { StateDatabase } from '../store/index.ts';

export const reportDimensions = ['category', 'model', 'session', 'workflow', 'day'] as const;
export type ReportDimension = (typeof reportDimensions)[number];

/** One group of booked calls. Money in integer micro-USD. */
export type CostReportRow = {
  key: string;
  calls: number;
  failedCalls: number;
  /** Calls whose usage was unknown and were booked at the reserved amount. */
  estimatedCalls: number;
  inputTokens: number;
  outputTokens: number;
  costMicroUsd: number;
  /** What the same calls would have cost on the strongest model of the catalog. */
  baselineMicroUsd: number;
  /** (baseline - cost) / baseline, in percent with one decimal; 0 when the baseline is 0. */
  savingsPct: number;
};

export type CostReport = {
  sinceMs: number;
  untilMs: number;
  by: ReportDimension;
  rows: CostReportRow[];
  total: CostReportRow;
};

const groupColumn: Record<ReportDimension, string> = {
  category: "COALESCE(category, '(none)')",
  model: 'model_id',
  session: 'session_id',
  workflow: "COALESCE(workflow_id, '(none)')",
  day: "strftime('%Y-%m-%d', booked_at / 1000, 'unixepoch')",
};

// A call without a baseline (no catalog price for the strongest model) counts at its own cost: no savings claimed.
const aggregates = `COUNT(*) AS calls,
  SUM(outcome = 'failed') AS failedCalls,
  SUM(estimated) AS estimatedCalls,
  COALESCE(SUM(input_tokens), 0) AS inputTokens,
  COALESCE(SUM(output_tokens), 0) AS outputTokens,
  SUM(cost_micro_usd) AS costMicroUsd,
  SUM(COALESCE(baseline_micro_usd, cost_micro_usd)) AS baselineMicroUsd`;

type AggregateRow = Omit<CostReportRow, 'savingsPct' | 'key'> & { key?: string };

/** Spend, tokens, calls and savings of the calls booked in [sinceMs, untilMs), grouped by `by`. */
export function costReport(
  db: StateDatabase,
  options: { sinceMs: number; untilMs: number; by: ReportDimension },
): CostReport {
  const where = 'WHERE booked_at >= ? AND booked_at < ?';
  const grouped = db
    .prepare(
      `SELECT ${groupColumn[options.by]} AS key, ${aggregates} FROM ledger ${where} GROUP BY key ORDER BY costMicroUsd DESC, key`,
    )
    .all(options.sinceMs, options.untilMs) as AggregateRow[];
  const total = db
    .prepare(`SELECT ${aggregates} FROM ledger ${where}`)
    .get(options.sinceMs, options.untilMs) as AggregateRow;
  const rows = grouped.map((row) => finish(row, row.key ?? ''));
  if (options.by === 'day') rows.sort((a, b) => a.key.localeCompare(b.key));
  return { ...options, rows, total: finish(total, 'total') };
}

function finish(row: AggregateRow, key: string): CostReportRow {
  const number = (value: unknown) => Number(value ?? 0);
  const costMicroUsd = number(row.costMicroUsd);
  const baselineMicroUsd = number(row.baselineMicroUsd);
  return {
    key,
    calls: number(row.calls),
    failedCalls: number(row.failedCalls),
    estimatedCalls: number(row.estimatedCalls),
    inputTokens: number(row.inputTokens),
    outputTokens: number(row.outputTokens),
    costMicroUsd,
    baselineMicroUsd,
    savingsPct: savingsPct(costMicroUsd, baselineMicroUsd),
  };
}

/** (baseline - cost) / baseline in percent, one decimal. */
export function savingsPct(costMicroUsd: number, baselineMicroUsd: number): number {
  if (baselineMicroUsd <= 0) return 0;
  return Math.round(((baselineMicroUsd - costMicroUsd) / baselineMicroUsd) * 1_000) / 10;
}

/** The cost fields of one run's summary (`run --json`): USD as numbers, from exact micro-USD sums. */
export type RunCostSummary = {
  totalUsd: number;
  baselineUsd: number;
  /** The exact sums behind `totalUsd` and `baselineUsd`. */
  totalMicroUsd: number;
  baselineMicroUsd: number;
  savingsPct: number;
  /** Per task, summed over its attempts. */
  tasks: Record<string, { costUsd: number; inputTokens: number; outputTokens: number; estimated: boolean }>;
};

/** Fills a run summary's `cost.totalUsd`, `cost.baselineUsd`, `cost.savingsPct` and per-task `costUsd`. */
export function runCostSummary(db: StateDatabase, runId: string): RunCostSummary {
  const rows = db
    .prepare(
      `SELECT task_id AS taskId, SUM(cost_micro_usd) AS cost, SUM(COALESCE(baseline_micro_usd, cost_micro_usd)) AS baseline,
         COALESCE(SUM(input_tokens), 0) AS inputTokens, COALESCE(SUM(output_tokens), 0) AS outputTokens,
         MAX(estimated) AS estimated
       FROM ledger WHERE run_id = ? GROUP BY task_id ORDER BY task_id`,
    )
    .all(runId) as {
    taskId: string;
    cost: number;
    baseline: number;
    inputTokens: number;
    outputTokens: number;
    estimated: number;
  }[];
  let cost = 0;
  let baseline = 0;
  const tasks: RunCostSummary['tasks'] = {};
  for (const row of rows) {
    cost += row.cost;
    baseline += row.baseline;
    tasks[row.taskId] = {
      costUsd: toUsd(row.cost),
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      estimated: row.estimated === 1,
    };
  }
  return {
    totalUsd: toUsd(cost),
    baselineUsd: toUsd(baseline),
    totalMicroUsd: cost,
    baselineMicroUsd: baseline,
    savingsPct: savingsPct(cost, baseline),
    tasks,
  };
}

/** Integer micro-USD as a USD number (for JSON output only; sums are done in micro-USD). */
export function toUsd(microUsd: number): number {
  return microUsd / 1_000_000;
}
