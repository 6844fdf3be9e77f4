// `npm run bench [-- filter]`: runs every bench/*.bench.ts (or those whose name contains the filter),
// prints one table and writes bench/results/latest.json.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchFile, BenchRow } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(here)
  .filter((name) => name.endsWith('.bench.ts') && (filter === undefined || name.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error(`No bench/*.bench.ts file${filter === undefined ? '' : ` matching "${filter}"`} found.`);
  process.exit(2);
}

const rows: BenchRow[] = [];
const failures: string[] = [];
for (const file of files) {
  const started = performance.now();
  process.stderr.write(`running ${file} ... `);
  try {
    const loaded = (await import(pathToFileURL(join(here, file)).href)) as { default?: BenchFile };
    if (loaded.default === undefined || typeof loaded.default.run !== 'function') {
      throw new Error(
        'it must default-export { suite, run: () => Promise<BenchRow[]> } (see bench/harness.ts)',
      );
    }
    rows.push(...(await loaded.default.run()));
    process.stderr.write(`done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    process.stderr.write('failed\n');
    failures.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

console.log(formatTable(rows));
const missed = rows.filter((row) => row.pass === false).length;
const met = rows.filter((row) => row.pass === true).length;
console.log(`\n${met} targets met, ${missed} missed, ${failures.length} bench files failed`);
for (const failure of failures) console.log(`  ${failure}`);

const resultsDir = join(here, 'results');
mkdirSync(resultsDir, { recursive: true });
const report = {
  at: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  files,
  rows,
  failures,
};
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`written ${join('bench', 'results', 'latest.json')}`);
process.exitCode = failures.length > 0 ? 1 : 0;

function formatTable(table: readonly BenchRow[]): string {
  const header = ['suite', 'measure', 'value', 'unit', 'target', 'result'];
  const lines = table.map((row) => [
    row.suite,
    row.name,
    formatValue(row.value),
    row.unit,
    row.target ?? '',
    row.pass === undefined
      ? (row.note ?? '')
      : `${row.pass ? 'met' : 'MISSED'}${row.note === undefined ? '' : ` (${row.note})`}`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)),
  );
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 2 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [render(header), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.map(render)].join(
    '\n',
  );
}

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
