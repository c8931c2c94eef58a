import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseResult, readResults, writeResult } from './results.js';
import { sampleResult } from './test-result.js';

describe('parseResult', () => {
  it('accepts a complete result unchanged', () => {
    const result = sampleResult();
    expect(parseResult(JSON.parse(JSON.stringify(result)), 'x.json')).toEqual(result);
  });

  it.each([
    ['a name that is not a file name', { name: 'Maintenance Bench' }, 'name'],
    ['a missing title', { title: undefined }, 'title'],
    ['zero repetitions', { repetitions: 0 }, 'repetitions'],
    ['a start that is no instant', { startedAt: 'yesterday' }, 'startedAt'],
    ['a row with a cell too few', { tables: [{ title: 't', columns: ['a', 'b'], rows: [['x']] }] }, 'tables[0].rows[0]'],
    ['a non-finite cell', { tables: [{ title: 't', columns: ['a'], rows: [[null]] }] }, 'tables[0].rows[0][0]'],
    ['a bar whose median is outside min-max', { charts: [{ title: 'c', unit: 's', bars: [{ label: 'a', median: 5, min: 6, max: 7 }] }] }, 'charts[0].bars[0]'],
    ['a missed target without an explanation', { targets: [{ target: 't', measured: 'm', met: false, explanation: null }] }, 'targets[0].explanation'],
  ])('refuses %s with INVALID_RESULT naming the field', (_, override, field) => {
    const json = { ...JSON.parse(JSON.stringify(sampleResult())), ...override };
    expect(() => parseResult(json, 'bad.json')).toThrow(
      expect.objectContaining({ code: 'INVALID_RESULT', message: expect.stringContaining(`bad.json: ${field}`) }),
    );
  });
});

describe('writeResult and readResults', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'bench-results-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('writes <name>.json and reads every result back in file-name order', async () => {
    const path = await writeResult(sampleResult({ name: 'zeta' }), directory);
    await writeResult(sampleResult({ name: 'alpha', title: 'Alpha' }), directory);
    expect(path).toBe(join(directory, 'zeta.json'));
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(sampleResult({ name: 'zeta' }));
    const results = await readResults(directory);
    expect(results.map((result) => result.name)).toEqual(['alpha', 'zeta']);
  });

  it('refuses to write a result the report would refuse, and writes nothing', async () => {
    await expect(writeResult(sampleResult({ name: '../escape' }), directory)).rejects.toMatchObject({ code: 'INVALID_RESULT' });
    expect(await readResults(directory)).toEqual([]);
  });

  it('names the file that is not JSON', async () => {
    await writeFile(join(directory, 'broken.json'), '{"name":');
    await expect(readResults(directory)).rejects.toMatchObject({
      code: 'INVALID_RESULT',
      message: expect.stringContaining('broken.json'),
    });
  });

  it('reads a missing directory as no results', async () => {
    expect(await readResults(join(directory, 'absent'))).toEqual([]);
  });
});
