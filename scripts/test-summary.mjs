// Adds up the vitest JSON reports of one `npm test` run into a single closing line, and fails when
// a report shows a failure or when no test ran at all (a suite that ran nothing is not a pass).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '..', 'test-output', 'vitest');
let files = [];
try {
  files = readdirSync(dir).filter((f) => f.endsWith('.json'));
} catch {
  // handled below as "no reports"
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files.sort()) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(`  ${file.replace(/\.json$/, '')}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}

console.log(`vitest: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (files.length === 0 || passed === 0) {
  console.error('test-summary: no test results were found under test-output/vitest');
  process.exit(1);
}
process.exit(failed > 0 ? 1 : 0);
