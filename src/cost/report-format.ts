// The text `tierflow report` and `tierflow budgets` print.
import type { BudgetForecast, BudgetStatusRow } from './budget-status.ts';
import { formatPercent, formatTokens, formatUsdFixed } from './format.ts';
import type { CostReport, CostReportRow } from './report.ts';
import { formatTable } from './table.ts';

const grouped = new Intl.NumberFormat('en-US');

/** `2026-11-22 03:00 UTC`. */
export function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The human form of a cost report. */
export function formatCostReport(report: CostReport, statePath: string): string {
  const since = formatUtc(report.sinceMs);
  if (report.total.calls === 0) return `No calls booked since ${since} in ${statePath}.`;
  const cells = (row: CostReportRow) => [
    row.key,
    grouped.format(row.calls),
    grouped.format(row.inputTokens),
    grouped.format(row.outputTokens),
    formatUsdFixed(row.costMicroUsd),
    formatUsdFixed(row.baselineMicroUsd),
    `${row.savingsPct.toFixed(1)}%`,
  ];
  const table = formatTable(
    [report.by, 'calls', 'input tokens', 'output tokens', 'cost', 'all-strongest', 'savings'],
    [...report.rows.map(cells), cells(report.total)],
    [false, true, true, true, true, true, true],
  );
  const lines = [`Spend since ${since} by ${report.by} (${statePath})`, '', table];
  const { estimatedCalls, failedCalls } = report.total;
  if (failedCalls > 0 || estimatedCalls > 0) lines.push('');
  if (failedCalls > 0) lines.push(`${failedCalls} of the calls failed; what they cost is included.`);
  if (estimatedCalls > 0) {
    lines.push(
      `${estimatedCalls} ${estimatedCalls === 1 ? 'call' : 'calls'} had no reported usage and ${estimatedCalls === 1 ? 'is' : 'are'} booked at the reserved amount.`,
    );
  }
  lines.push('', 'all-strongest: the same calls priced on the strongest model of the catalog.');
  return lines.join('\n');
}

/** The human form of the budgets' state. */
export function formatBudgetStatus(rows: readonly BudgetStatusRow[]): string {
  const table = formatTable(
    ['budget', 'scope', 'period', 'spent', 'reserved', 'limit', 'used', 'level', 'runs out'],
    rows.map((row) => {
      const amount = (value: number) => amountOf(row, value);
      return [
        row.budget,
        row.scope === 'global' ? 'global' : `${row.scope} ${row.scopeKey ?? '-'}`,
        `${row.window} ${row.period}`,
        amount(row.spent),
        amount(row.reserved),
        amount(row.limit),
        formatPercent(row.utilisation),
        row.level,
        row.forecast === undefined ? '' : formatForecast(row.forecast, row),
      ];
    }),
    [false, false, false, true, true, true, true, false, false],
  );
  return `${table}\n\nruns out: when a monthly budget is spent if this month's average rate goes on.`;
}

function amountOf(row: Pick<BudgetStatusRow, 'unit'>, value: number): string {
  return row.unit === 'usd' ? formatUsdFixed(value) : formatTokens(value).replace(' tokens', ' tok');
}

function formatForecast(forecast: BudgetForecast, row: Pick<BudgetStatusRow, 'unit'>): string {
  switch (forecast.kind) {
    case 'no-spend':
      return 'no spend yet';
    case 'lasts':
      return `lasts the month (${amountOf(row, forecast.ratePerDay)}/day)`;
    case 'runs-out':
      return `${formatUtc(forecast.atMs)} (${amountOf(row, forecast.ratePerDay)}/day)`;
  }
}
