import type { EvalReport, EvalResult } from './run-eval.ts';

/** The `--json` output: exactly one result in the documented shape. */
export function evalJson(result: EvalResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

const fixed = (value: number, digits: number) => value.toFixed(digits);
const pct = (value: number | null) => (value === null ? 'never' : `${fixed(value, 1)}%`);
const pad = (text: string, width: number) => text.padEnd(width);

/** The human-readable report: headline figures, then the cost-accuracy curve over the knob. */
export function formatEvalReport(report: EvalReport, dataset: string): string {
  const { frozen, online } = report;
  const lines = [
    `tierflow eval: policy ${frozen.policy} on ${frozen.prompts} test prompts of ${dataset} (fit on ${report.train} train prompts)`,
    `strongest model ${frozen.strongest.model}: accuracy ${fixed(frozen.strongest.accuracy, 3)}, cost $${fixed(frozen.strongest.costUsd, 4)} (100%)`,
    '',
    `${pad('', 22)}${pad('accuracy', 10)}${pad('cost', 11)}${pad('% of strongest', 16)}reaches strongest accuracy at`,
    row(online === undefined ? frozen.policy : 'learning frozen', frozen),
  ];
  if (online !== undefined) lines.push(row('learning online', online));
  if (frozen.curve.length > 1) {
    lines.push('', 'cost-accuracy curve (knob: the quality bar the router must meet)');
    lines.push(
      `${pad('knob', 8)}${pad('accuracy', 10)}${pad('cost %', 9)}${online === undefined ? '' : `${pad('online acc', 12)}online cost %`}`,
    );
    frozen.curve.forEach((point, index) => {
      const other = online?.curve[index];
      const tail =
        other === undefined ? '' : `${pad(fixed(other.accuracy, 3), 12)}${fixed(other.costPct, 1)}`;
      lines.push(
        `${pad(fixed(point.knob, 3), 8)}${pad(fixed(point.accuracy, 3), 10)}${pad(fixed(point.costPct, 1), 9)}${tail}`.trimEnd(),
      );
    });
  }
  return `${lines.join('\n')}\n`;
}

function row(label: string, result: EvalResult): string {
  return `${pad(label, 22)}${pad(fixed(result.accuracy, 3), 10)}${pad(`$${fixed(result.costUsd, 4)}`, 11)}${pad(pct(result.costPct), 16)}${pct(result.costAtStrongestAccuracyPct)}`;
}
