import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BenchError } from './bench-error.js';
import type { MachineInfo } from './machine.js';

export interface BenchTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<ReadonlyArray<string | number>>;
}

/** One bar per measured variant: its median, with min-max drawn as an error bar. */
export interface BenchChart {
  readonly title: string;
  readonly unit: string;
  readonly bars: ReadonlyArray<{
    readonly label: string;
    readonly group?: string;
    readonly median: number;
    readonly min: number;
    readonly max: number;
  }>;
}

/** A target from the issue, and whether the run met it; a missed one says why (`explanation`). */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
  readonly explanation: string | null;
}

export interface BenchResult {
  /** The file name: bench/results/<name>.json (lower-case letters, digits and dashes). */
  readonly name: string;
  readonly title: string;
  /** The exact command that reproduces it, e.g. `npm run bench:maintenance`. */
  readonly command: string;
  readonly machine: MachineInfo;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly repetitions: number;
  readonly tables: readonly BenchTable[];
  readonly charts: readonly BenchChart[];
  readonly targets: readonly TargetCheck[];
  readonly notes: readonly string[];
}

/** bench/results, next to bench/src. */
export const RESULTS_DIR = resolve(import.meta.dirname, '../../results');

const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export async function writeResult(result: BenchResult, directory: string = RESULTS_DIR): Promise<string> {
  // Validated on the way out too, so a benchmark cannot write a file the report would refuse.
  parseResult(JSON.parse(JSON.stringify(result)) as unknown, result.name);
  await mkdir(directory, { recursive: true });
  const path = join(directory, `${result.name}.json`);
  await writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

/** Every bench/results/*.json, parsed and checked, in file-name order. */
export async function readResults(directory: string = RESULTS_DIR): Promise<BenchResult[]> {
  let files: string[];
  try {
    files = (await readdir(directory)).filter((file) => file.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const results: BenchResult[] = [];
  for (const file of files) {
    const path = join(directory, file);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new BenchError('INVALID_RESULT', `${path}: not JSON (${(error as Error).message})`, { cause: error });
    }
    results.push(parseResult(json, path));
  }
  return results;
}

type Json = Record<string, unknown>;

function fail(source: string, field: string, expected: string): never {
  throw new BenchError('INVALID_RESULT', `${source}: ${field} must be ${expected}`);
}

function object(value: unknown, source: string, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(source, field, 'an object');
  return value as Json;
}

function array(value: unknown, source: string, field: string): unknown[] {
  if (!Array.isArray(value)) fail(source, field, 'an array');
  return value;
}

function text(value: unknown, source: string, field: string): string {
  if (typeof value !== 'string') fail(source, field, 'a string');
  return value;
}

function finite(value: unknown, source: string, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(source, field, 'a finite number');
  return value;
}

function parseMachine(value: unknown, source: string): MachineInfo {
  const machine = object(value, source, 'machine');
  return {
    cores: finite(machine['cores'], source, 'machine.cores'),
    cpuModel: text(machine['cpuModel'], source, 'machine.cpuModel'),
    memoryGiB: finite(machine['memoryGiB'], source, 'machine.memoryGiB'),
    os: text(machine['os'], source, 'machine.os'),
    node: text(machine['node'], source, 'machine.node'),
    redis: text(machine['redis'], source, 'machine.redis'),
    postgres: text(machine['postgres'], source, 'machine.postgres'),
  };
}

function parseTable(value: unknown, source: string, at: string): BenchTable {
  const table = object(value, source, at);
  const columns = array(table['columns'], source, `${at}.columns`).map((column, i) => text(column, source, `${at}.columns[${i}]`));
  const rows = array(table['rows'], source, `${at}.rows`).map((row, r) => {
    const cells = array(row, source, `${at}.rows[${r}]`);
    if (cells.length !== columns.length) fail(source, `${at}.rows[${r}]`, `${columns.length} cells, one per column`);
    return cells.map((cell, c) =>
      typeof cell === 'string' ? cell : finite(cell, source, `${at}.rows[${r}][${c}] (a string or a number)`),
    );
  });
  return { title: text(table['title'], source, `${at}.title`), columns, rows };
}

function parseChart(value: unknown, source: string, at: string): BenchChart {
  const chart = object(value, source, at);
  const bars = array(chart['bars'], source, `${at}.bars`).map((entry, b) => {
    const bar = object(entry, source, `${at}.bars[${b}]`);
    const field = `${at}.bars[${b}]`;
    const parsed = {
      label: text(bar['label'], source, `${field}.label`),
      median: finite(bar['median'], source, `${field}.median`),
      min: finite(bar['min'], source, `${field}.min`),
      max: finite(bar['max'], source, `${field}.max`),
    };
    if (!(parsed.min <= parsed.median && parsed.median <= parsed.max)) fail(source, field, 'ordered min <= median <= max');
    return bar['group'] === undefined ? parsed : { ...parsed, group: text(bar['group'], source, `${field}.group`) };
  });
  return { title: text(chart['title'], source, `${at}.title`), unit: text(chart['unit'], source, `${at}.unit`), bars };
}

function parseTarget(value: unknown, source: string, at: string): TargetCheck {
  const target = object(value, source, at);
  if (typeof target['met'] !== 'boolean') fail(source, `${at}.met`, 'a boolean');
  const explanation = target['explanation'] === null ? null : text(target['explanation'], source, `${at}.explanation`);
  if (!target['met'] && explanation === null) fail(source, `${at}.explanation`, 'given for a missed target');
  return {
    target: text(target['target'], source, `${at}.target`),
    measured: text(target['measured'], source, `${at}.measured`),
    met: target['met'],
    explanation,
  };
}

/** Checks a parsed JSON value field by field; `source` names the file in errors. */
export function parseResult(json: unknown, source: string): BenchResult {
  const result = object(json, source, 'the result');
  const name = text(result['name'], source, 'name');
  if (!NAME.test(name)) fail(source, 'name', 'lower-case letters, digits and single dashes');
  const repetitions = finite(result['repetitions'], source, 'repetitions');
  if (!Number.isInteger(repetitions) || repetitions < 1) fail(source, 'repetitions', 'a positive integer');
  const startedAt = text(result['startedAt'], source, 'startedAt');
  if (Number.isNaN(Date.parse(startedAt))) fail(source, 'startedAt', 'an ISO instant');
  return {
    name,
    title: text(result['title'], source, 'title'),
    command: text(result['command'], source, 'command'),
    machine: parseMachine(result['machine'], source),
    startedAt,
    durationSeconds: finite(result['durationSeconds'], source, 'durationSeconds'),
    repetitions,
    tables: array(result['tables'], source, 'tables').map((table, i) => parseTable(table, source, `tables[${i}]`)),
    charts: array(result['charts'], source, 'charts').map((chart, i) => parseChart(chart, source, `charts[${i}]`)),
    targets: array(result['targets'], source, 'targets').map((target, i) => parseTarget(target, source, `targets[${i}]`)),
    notes: array(result['notes'], source, 'notes').map((note, i) => text(note, source, `notes[${i}]`)),
  };
}
