// Draws the cost-accuracy curves of `tierflow eval --json` results as an SVG (docs/eval-curve.svg).
//
//   node scripts/eval-chart.ts --dataset ../shared/evaldata/routerbench_subset [--out docs/eval-curve.svg]
//     runs learned (frozen and online), cascade, static, oracle and always-strongest, prints the
//     README table (markdown) and writes the chart;
//   node scripts/eval-chart.ts a.json b.json [--out file.svg]
//     charts results saved from `tierflow eval --json`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledConfigDir, type EvalResult, runEval } from '../src/index.ts';

type Series = { label: string; result: EvalResult };

const width = 820;
const height = 460;
const margin = { left: 64, right: 250, top: 40, bottom: 56 };
const colours = ['#1b6ca8', '#d1495b', '#66a182', '#edae49', '#a0522d', '#6c4f9c', '#444444', '#8c8c8c'];

function main(argv: readonly string[]): void {
  const out = flagValue(argv, '--out') ?? 'docs/eval-curve.svg';
  const dataset = flagValue(argv, '--dataset');
  const seed = Number(flagValue(argv, '--seed') ?? '1');
  const files = argv.filter((arg, index) => !arg.startsWith('--') && !argv[index - 1]?.startsWith('--'));
  const series = dataset === undefined ? files.map(readSeries) : runAll(dataset, seed);
  writeFileSync(out, renderSvg(series));
  process.stdout.write(`${markdownTable(series)}\nwrote ${out}\n`);
}

function flagValue(argv: readonly string[], flag: string): string | undefined {
  const index = argv.indexOf(flag);
  return index < 0 ? undefined : argv[index + 1];
}

function readSeries(file: string): Series {
  const result = JSON.parse(readFileSync(file, 'utf8')) as EvalResult;
  return { label: result.policy, result };
}

function runAll(dataset: string, seed: number): Series[] {
  const catalogFile = join(bundledConfigDir, 'eval-models.yaml');
  const run = (policy: string) => runEval({ dataset, policy, catalogFile, seed });
  const learned = run('learned');
  const series: Series[] = [
    { label: 'learned (learning frozen)', result: learned.frozen },
    ...(learned.online === undefined ? [] : [{ label: 'learned (learning online)', result: learned.online }]),
    { label: 'cascade (priors + validators)', result: run('cascade').frozen },
    { label: 'static (catalog rules)', result: run('static').frozen },
    { label: 'static (rules fitted on train)', result: run('static-fitted').frozen },
    { label: 'oracle', result: run('oracle').frozen },
  ];
  const strongest = learned.frozen.strongest.model;
  series.push({ label: `always ${strongest}`, result: run(`always:${strongest}`).frozen });
  return series;
}

const x = (costPct: number) =>
  margin.left + (Math.min(costPct, 110) / 110) * (width - margin.left - margin.right);
const y = (accuracy: number) =>
  height - margin.bottom - ((accuracy - 0.5) / 0.5) * (height - margin.top - margin.bottom);
const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The chart: cost (% of always-strongest) across, accuracy up, one line per policy, targets marked. */
export function renderSvg(series: readonly Series[]): string {
  const parts: string[] = [];
  const first = series[0]?.result;
  const title = `Accuracy vs cost on ${first?.prompts ?? 0} test prompts (cost as % of always-${escapeXml(first?.strongest.model ?? 'strongest')})`;
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${title}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${margin.left}" y="22" font-size="15" font-weight="bold">${title}</text>`,
  );
  for (let tick = 0; tick <= 100; tick += 10) {
    parts.push(
      `<line x1="${x(tick)}" y1="${y(0.5)}" x2="${x(tick)}" y2="${y(1)}" stroke="#eeeeee"/>`,
      `<text x="${x(tick)}" y="${y(0.5) + 16}" text-anchor="middle">${tick}%</text>`,
    );
  }
  for (let tick = 0.5; tick <= 1.0001; tick += 0.05) {
    parts.push(
      `<line x1="${x(0)}" y1="${y(tick)}" x2="${x(110)}" y2="${y(tick)}" stroke="#eeeeee"/>`,
      `<text x="${x(0) - 6}" y="${y(tick) + 4}" text-anchor="end">${tick.toFixed(2)}</text>`,
    );
  }
  parts.push(
    `<text x="${(x(0) + x(110)) / 2}" y="${height - 14}" text-anchor="middle">cost, % of always using the strongest model</text>`,
    `<text transform="translate(16 ${(y(0.5) + y(1)) / 2}) rotate(-90)" text-anchor="middle">accuracy</text>`,
  );
  if (first !== undefined) {
    const strongest = first.strongest.accuracy;
    parts.push(
      `<line x1="${x(0)}" y1="${y(strongest)}" x2="${x(110)}" y2="${y(strongest)}" stroke="#999999" stroke-dasharray="5 4"/>`,
      `<text x="${x(110) - 4}" y="${y(strongest) - 5}" text-anchor="end" fill="#666666">strongest ${strongest.toFixed(3)}</text>`,
      // The issue's targets: >= strongest accuracy at <= 40%, >= 97% of it at <= 20%.
      `<rect x="${x(0)}" y="${y(1)}" width="${x(40) - x(0)}" height="${y(strongest) - y(1)}" fill="#66a182" fill-opacity="0.08" stroke="#66a182" stroke-dasharray="2 3"/>`,
      `<rect x="${x(0)}" y="${y(1)}" width="${x(20) - x(0)}" height="${y(strongest * 0.97) - y(1)}" fill="#edae49" fill-opacity="0.08" stroke="#edae49" stroke-dasharray="2 3"/>`,
    );
  }
  series.forEach((entry, index) => {
    const colour = colours[index % colours.length] ?? '#000000';
    const points = [...entry.result.curve].sort((a, b) => a.costPct - b.costPct);
    if (points.length > 1) {
      parts.push(
        `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.map((point) => `${x(point.costPct).toFixed(1)},${y(point.accuracy).toFixed(1)}`).join(' ')}"/>`,
      );
    }
    for (const point of points) {
      parts.push(
        `<circle cx="${x(point.costPct).toFixed(1)}" cy="${y(point.accuracy).toFixed(1)}" r="3" fill="${colour}"/>`,
      );
    }
    const legendY = margin.top + 10 + index * 20;
    parts.push(
      `<line x1="${width - margin.right + 14}" y1="${legendY}" x2="${width - margin.right + 34}" y2="${legendY}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${width - margin.right + 40}" y="${legendY + 4}">${escapeXml(entry.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** The README table: each policy at its headline knob, where it meets the strongest accuracy, and its curve. */
export function markdownTable(series: readonly Series[]): string {
  const lines = [
    '| policy | accuracy | cost (USD) | cost % of strongest | cost % where it reaches the strongest accuracy |',
    '|---|---|---|---|---|',
  ];
  for (const { label, result } of series) {
    const reach =
      result.costAtStrongestAccuracyPct === null
        ? 'never'
        : `${result.costAtStrongestAccuracyPct.toFixed(1)}%`;
    lines.push(
      `| ${label} | ${result.accuracy.toFixed(3)} | ${result.costUsd.toFixed(4)} | ${result.costPct.toFixed(1)}% | ${reach} |`,
    );
  }
  const curves = series.filter(({ result }) => result.curve.length > 1);
  if (curves.length > 0) {
    lines.push(
      '',
      `| knob | ${curves.map(({ label }) => `${label}: accuracy / cost %`).join(' | ')} |`,
      `|---|${curves.map(() => '---|').join('')}`,
    );
    const knobs = curves[0]?.result.curve.map((point) => point.knob) ?? [];
    knobs.forEach((knob, index) => {
      const cells = curves.map(({ result }) => {
        const point = result.curve[index];
        return point === undefined ? '' : `${point.accuracy.toFixed(3)} / ${point.costPct.toFixed(1)}%`;
      });
      lines.push(`| ${knob.toFixed(3)} | ${cells.join(' | ')} |`);
    });
  }
  return `${lines.join('\n')}\n`;
}

main(process.argv.slice(2));
