import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processesInGroups } from './support/process-groups.js';
import { snapshotWithRows } from './support/scanner-snapshot.js';
import { countPrefixedKeys, deletePrefixedKeys, dropSchema } from './support/shared-services.js';
import { type StackRun, startStack, testEnv } from './support/stack-process.js';

// The whole stack on the machine's Redis and PostgreSQL (given as REDIS_URL / DATABASE_URL), with its
// own key prefix and schema, free ports and a temporary data folder: started, used through a real
// WebSocket client, stopped with SIGINT, started again on the same data.

const REDIS_URL = 'redis://127.0.0.1:6379';
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const SESSIONS = 5;
const START_MS = 150_000;
const STOP_MS = 60_000;

const id = randomBytes(5).toString('hex');
const prefix = `lstack${id}:`;
const schema = `lstack_${id}`;
const dataDir = mkdtempSync(join(tmpdir(), 'local-stack-it-'));
const env = testEnv({
  REDIS_URL,
  DATABASE_URL,
  PGSCHEMA: schema,
  REDIS_KEY_PREFIX: prefix,
  PORT: '0',
  CONTROL_PORT: '0',
  LOCAL_STACK_DIR: dataDir,
  LOCAL_STACK_BOOTSTRAP_SESSIONS: String(SESSIONS),
  // The service's catch-up looks back as far as the bootstrap loaded, so it has no sessions to add.
  CATCH_UP_SESSIONS: String(SESSIONS),
  FEED_CADENCE_MS: '500',
});
const runs: StackRun[] = [];

afterAll(async () => {
  for (const run of runs) {
    run.signal('SIGKILL');
    for (const pid of run.startedPids().values()) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
    }
  }
  await dropSchema(DATABASE_URL, schema);
  await deletePrefixedKeys(REDIS_URL, prefix);
  rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

async function readyStack(): Promise<{ run: StackRun; demoUrl: string; wsUrl: string; statusUrl: string }> {
  const run = startStack(env);
  runs.push(run);
  const [, demoUrl = ''] = await run.waitFor(/^\[stack\] {3}demo page +(http:\/\/\S+)$/, START_MS);
  const [, wsUrl = ''] = await run.waitFor(/^\[stack\] {3}websocket +(ws:\/\/\S+)$/, 1000);
  const [, statusUrl = ''] = await run.waitFor(/^\[stack\] {3}maintenance +(http:\/\/\S+)$/, 1000);
  return { run, demoUrl, wsUrl, statusUrl };
}

async function stopWithSigint(run: StackRun): Promise<void> {
  const groups = [...run.startedPids().values()];
  expect(groups.length).toBeGreaterThanOrEqual(3);
  run.signal('SIGINT');
  const code = await Promise.race([run.exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), STOP_MS))]);
  expect(code, run.output()).toBe(0);
  expect(run.lines).toContain('[stack] stopped');
  expect(processesInGroups(groups)).toEqual([]);
}

describe('npm start on the local Redis and PostgreSQL', () => {
  let epoch = '';

  it('bootstraps an empty schema, serves live lists and the announced day, and stops everything on SIGINT', async () => {
    const { run, demoUrl, wsUrl, statusUrl } = await readyStack();
    const text = run.output();
    expect(text).toMatch(new RegExp(`history: bootstrapping \\(no run of \\d{4}-\\d\\d-\\d\\d in the ledger\\): ${SESSIONS} sessions`));
    expect(text).toContain(`history: bootstrap done: ${SESSIONS} sessions loaded, 0 already there`);
    expect(run.lines.filter((l) => /^\[bootstrap\] \d{4}-\d\d-\d\d completed/.test(l))).toHaveLength(SESSIONS);
    expect([...run.startedPids().keys()]).toEqual(['websocket-server', 'maintenance service', 'scanner feed']);

    const readyz = await fetch(new URL('/readyz', demoUrl));
    expect(readyz.status).toBe(200);
    const ready = (await readyz.json()) as { ready: boolean; epoch: string };
    expect(ready.ready).toBe(true);
    epoch = ready.epoch;

    const snapshot = await snapshotWithRows(wsUrl, 'high_volume', 30_000);
    expect(snapshot.epoch).toBe(epoch);
    expect(snapshot.rows[0]?.rank).toBe(1);
    // The lists are the feed's, under this test's prefix only.
    expect(await countPrefixedKeys(REDIS_URL, `${prefix}scanner:category:`)).toBe(11);

    // The maintenance service announced the same trading day the server and its clients are on.
    const [, announced] = await run.waitFor(/^\[maintenance\] .*job_finished "new_day of (\d{4}-\d\d-\d\d) completed"/, 30_000);
    expect(announced).toBe(epoch);
    const status = await fetch(statusUrl);
    expect(status.status).toBe(200);

    await stopWithSigint(run);
    // Children first, then nothing else to stop: the stores are the machine's own and stay up.
    expect(run.lines.findIndex((l) => l === '[stack] stopping scanner feed (SIGTERM)')).toBeGreaterThan(-1);
    expect(run.output()).not.toMatch(/stopping (private Redis|embedded PostgreSQL)/);
  }, START_MS + STOP_MS + 60_000);

  it('reuses the data on a second start: no bootstrap, and live lists again', async () => {
    const { run, wsUrl } = await readyStack();
    expect(run.output()).toMatch(/history: reusing the data in .*schema lstack_\w+ \(the session of \d{4}-\d\d-\d\d is already loaded\); no bootstrap/);
    expect(run.output()).not.toContain('history: bootstrapping');
    expect(run.lines.some((l) => l.startsWith('[bootstrap]'))).toBe(false);

    const snapshot = await snapshotWithRows(wsUrl, 'winners', 30_000);
    expect(snapshot.epoch).toBe(epoch);
    await stopWithSigint(run);
  }, START_MS + STOP_MS + 60_000);

  it('stops everything with exit 1 when a child dies on its own', async () => {
    const { run } = await readyStack();
    const pids = run.startedPids();
    const feed = pids.get('scanner feed');
    expect(feed).toBeDefined();
    process.kill(feed ?? 0, 'SIGKILL');
    const code = await Promise.race([run.exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), STOP_MS))]);
    expect(code, run.output()).toBe(1);
    expect(run.lines).toContain('[stack] error CHILD_EXITED: the scanner feed was killed by SIGKILL unexpectedly; stopping everything');
    expect(run.lines).toContain('[stack] websocket-server stopped: exited with code 0');
    expect(run.lines).toContain('[stack] maintenance service stopped: exited with code 0');
    expect(processesInGroups([...pids.values()])).toEqual([]);
  }, START_MS + STOP_MS + 60_000);
});
