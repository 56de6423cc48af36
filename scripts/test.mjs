#!/usr/bin/env node
// `npm test`: the whole suite with coverage, closing with one line `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const resultsDir = join(process.cwd(), 'coverage');
const results = join(resultsDir, 'test-results.json');
mkdirSync(resultsDir, { recursive: true });
rmSync(results, { force: true });

const args = ['vitest', 'run', '--coverage', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...process.argv.slice(2)];
const run = spawnSync('npx', args, { stdio: 'inherit', env: process.env });

let summary = 'no test results were written';
try {
  const report = JSON.parse(readFileSync(results, 'utf8'));
  const skipped = report.numPendingTests + report.numTodoTests;
  const skippedNames = report.testResults
    .flatMap((file) => file.assertionResults)
    .filter((t) => t.status === 'pending' || t.status === 'skipped' || t.status === 'todo')
    .map((t) => t.fullName);
  for (const name of skippedNames) console.log(`skipped: ${name}`);
  summary = `${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`;
  if (report.numTotalTests === 0) {
    console.log(summary);
    process.exit(1);
  }
} catch (error) {
  console.error(`could not read ${results}: ${error.message}`);
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}
console.log(summary);
process.exit(run.status ?? 1);
