// Runs the whole suite with vitest's JSON reporter next to its default one and ends with the plain
// `N passed, N failed` line that CI reads.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const resultsFile = '.vitest-results.json';
rmSync(resultsFile, { force: true });
const run = spawnSync(
  'vitest',
  [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${resultsFile}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', shell: process.platform === 'win32' },
);

type JsonReport = {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; status: string; message?: string; assertionResults: { status: string }[] }[];
};
let report: JsonReport | undefined;
try {
  report = JSON.parse(readFileSync(resultsFile, 'utf8')) as JsonReport;
} catch {
  report = undefined;
}
if (report === undefined) {
  console.log('0 passed, 1 failed');
  console.error(`vitest wrote no results to ${resultsFile} (exit ${run.status ?? run.signal})`);
  process.exit(1);
}
// A test file that fails to load or whose hooks throw has no failed test of its own: count it as one.
const brokenFiles = report.testResults.filter(
  (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
);
for (const file of brokenFiles) console.error(`test file failed outside its tests: ${file.name}`);
const failedCount = report.numFailedTests + brokenFiles.length;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${failedCount} failed, ${skipped} skipped`);
const failed = failedCount > 0 || run.status !== 0;
process.exit(failed ? 1 : 0);
