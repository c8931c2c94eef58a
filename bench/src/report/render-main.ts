import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { benchLog } from './bench-log.js';
import { CHARTS_DIR_NAME, renderDocs } from './render-docs.js';
import { readResults } from './results.js';

/** `npm run bench:report`: every bench/results/*.json into docs/benchmarks.md and docs/benchmarks/*.svg. */
const DOCS_DIR = resolve(import.meta.dirname, '../../../docs');

async function main(): Promise<void> {
  const results = await readResults();
  const docs = await renderDocs(results);
  const chartsDir = join(DOCS_DIR, CHARTS_DIR_NAME);
  await mkdir(chartsDir, { recursive: true });
  // The directory is generated: charts of a renamed or removed benchmark must not linger.
  for (const file of await readdir(chartsDir)) {
    if (file.endsWith('.svg')) await rm(join(chartsDir, file));
  }
  for (const chart of docs.charts) await writeFile(join(chartsDir, chart.fileName), chart.svg);
  const page = join(DOCS_DIR, 'benchmarks.md');
  await writeFile(page, docs.markdown);
  benchLog('bench_report_written', { page, results: results.map((result) => result.name), charts: docs.charts.length });
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  process.stderr.write(`error ${typeof code === 'string' ? code : 'BENCH_REPORT_FAILED'}: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
