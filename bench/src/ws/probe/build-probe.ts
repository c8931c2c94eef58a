import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const PROBE_SOURCE = resolve(import.meta.dirname, 'server-probe.ts');

/**
 * The probe as a plain ES module in a temporary directory: the server under test is started with plain
 * `node --import <it>`, with no TypeScript loader in the process (websocket-server runs its built JS).
 */
export async function buildProbe(): Promise<string> {
  const source = await readFile(PROBE_SOURCE, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    fileName: PROBE_SOURCE,
  });
  const directory = await mkdtemp(join(tmpdir(), 'bench-ws-probe-'));
  const path = join(directory, 'server-probe.mjs');
  await writeFile(path, outputText);
  return path;
}
