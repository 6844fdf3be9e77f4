// The learned policy on two folds of the RouterBench train split: fit on one half, score the other, so the
// eval's targets can be checked on data the policy's design never looked at.
//
//   node scripts/eval-folds.ts [--dataset ../shared/evaldata/routerbench_subset]
//
// Splits every `*_train.csv` of the dataset by row parity into a temporary folder per fold (fold A fits on
// the even rows and scores the odd ones, fold B the other way round) and prints each fold's curve.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../src/eval/csv.ts';
import { bundledConfigDir, runEval } from '../src/index.ts';

const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;

function writeFold(dataset: string, folder: string, fitOnOdd: boolean): void {
  mkdirSync(folder, { recursive: true });
  for (const file of readdirSync(dataset).filter((name) => name.endsWith('_train.csv'))) {
    const [header, ...rows] = parseCsv(readFileSync(join(dataset, file), 'utf8'), file).map((r) => r.fields);
    if (header === undefined) continue;
    const half = (odd: boolean) => rows.filter((_, index) => (index % 2 === 1) === odd);
    const write = (name: string, data: string[][]) =>
      writeFileSync(
        join(folder, name),
        `${[header, ...data].map((row) => row.map(quote).join(',')).join('\n')}\n`,
      );
    const category = file.slice(0, -'_train.csv'.length);
    write(`${category}_train.csv`, half(fitOnOdd));
    write(`${category}_test.csv`, half(!fitOnOdd));
  }
}

function main(argv: readonly string[]): void {
  const at = argv.indexOf('--dataset');
  const dataset = at < 0 ? '../shared/evaldata/routerbench_subset' : (argv[at + 1] ?? '');
  const root = mkdtempSync(join(tmpdir(), 'tierflow-folds-'));
  try {
    for (const [fold, fitOnOdd] of [
      ['A', false],
      ['B', true],
    ] as const) {
      const folder = join(root, fold);
      writeFold(dataset, folder, fitOnOdd);
      const { frozen } = runEval({
        dataset: folder,
        policy: 'learned',
        catalogFile: join(bundledConfigDir, 'eval-models.yaml'),
        seed: 1,
      });
      const reach = frozen.costAtStrongestAccuracyPct;
      process.stdout.write(
        `fold ${fold}: ${frozen.prompts} prompts, ${frozen.strongest.model} ${frozen.strongest.accuracy.toFixed(3)}; ` +
          `reaches it at ${reach === null ? 'never' : `${reach.toFixed(1)}%`}\n  ` +
          `${frozen.curve.map((point) => `${point.knob}: ${point.accuracy.toFixed(3)} / ${point.costPct.toFixed(1)}%`).join('\n  ')}\n`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main(process.argv.slice(2));
