// The closing summary of `tierflow run` (without --json).
import type { ProviderRegistry, RunResult } from '../index.ts';
import { exitCodes } from './exit.ts';

/** A table of the run's tasks with tier, model and cost, then totals and savings. */
export function formatRunSummary(result: RunResult, providerMode: 'simulation' | 'real'): string {
  const rows = result.tasks.map((task) => [
    task.id,
    task.status,
    task.tier === null ? '-' : String(task.tier),
    task.model ?? '-',
    String(task.attempts),
    usd(task.costUsd),
  ]);
  const header = ['task', 'status', 'tier', 'model', 'attempts', 'cost'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    `  ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd();
  const lines = [
    '',
    `run ${result.runId} (${result.workflow}): ${result.status} in ${seconds(result.durationMs)}`,
    line(header),
    ...rows.map(line),
    `  cost ${usd(result.cost.totalUsd)}${savings(result)}`,
  ];
  const failed = result.tasks.filter((task) => task.error !== undefined);
  for (const task of failed) lines.push(`  ${task.id}: ${task.error?.code} ${task.error?.message}`);
  if (providerMode === 'simulation' && result.tasks.some((task) => task.model !== null)) {
    lines.push(
      '  note: every model answer was simulated offline; set a provider key to call real models (docs/providers.md)',
    );
  }
  return `${lines.join('\n')}\n`;
}

function savings(result: RunResult): string {
  const { baselineUsd, savingsPct } = result.cost;
  if (baselineUsd === null || savingsPct === null) return '';
  return `; all-strongest baseline ${usd(baselineUsd)}, saved ${savingsPct.toFixed(1)}%`;
}

function usd(value: number): string {
  return `$${value.toFixed(value !== 0 && value < 0.01 ? 6 : 4)}`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** How `run` and `resume` end: the result as asked (JSON, summary, or under --quiet only the errors), scrubbed; then the exit code. */
export function reportRunResult(
  result: RunResult,
  flags: { json?: boolean; quiet?: boolean },
  providers: Pick<ProviderRegistry, 'mode' | 'scrubber'>,
  stderr: (text: string) => void,
): number {
  const scrub = (text: string) => providers.scrubber.scrub(text);
  if (flags.json === true) process.stdout.write(scrub(`${JSON.stringify(result, null, 2)}\n`));
  else if (flags.quiet !== true) process.stdout.write(scrub(formatRunSummary(result, providers.mode)));
  else {
    // --quiet keeps errors: which task failed, and why.
    for (const task of result.tasks) {
      if (task.error !== undefined) stderr(scrub(`${task.id}: ${task.error.code} ${task.error.message}\n`));
    }
  }
  if (result.status === 'cancelled') {
    stderr(`interrupted: resume with \`tierflow resume ${result.runId}\`\n`);
    return exitCodes.interrupted;
  }
  return result.status === 'succeeded' ? exitCodes.ok : exitCodes.runFailed;
}
