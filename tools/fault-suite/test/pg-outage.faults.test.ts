import { SyntheticMarketDataSource, quoteIdent } from '@scanner/data-maintenance';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type HeldTransaction, backendsOf, holdTransaction, terminateBackends, waitForBlockedBackend } from '../src/process-pg-backends.js';
import { type MaintenanceProcess, startMaintenanceService, timeline } from '../src/process-maintenance-service.js';
import { type ScenarioState, type UndisturbedRun, cycleCompleted, freshScenarioState, pollFor, runUndisturbed } from '../src/process-scenario.js';
import { latestTaskStatus, ledgerRuns, schemaChecksums } from '../src/state-checksums.js';
import { expectRecoveredLikeUndisturbed } from './recovered-cycle.js';

/**
 * Scenario 2: PostgreSQL cuts the maintenance service's connections in the middle of its writes. The
 * server is shared, so it is not restarted: the service's own backends (found by the application_name it
 * connects with) are terminated with pg_terminate_backend. To cut them *while* a task writes, and not
 * just somewhere near it, the test holds a transaction that blocks the statement it aims at (a table
 * lock, or an uncommitted row with a key the COPY is about to insert), waits until a backend of the
 * service is blocked on it, terminates every backend of the service, then lets go.
 */

const DATE = '2026-11-20';
/** Friday 2026-11-20 18:00 New York: the 17:00 cycle of the day is due. */
const NOW = '2026-11-20T23:00:00.000Z';
const UNIVERSE = 40;
/** What each task writes in PostgreSQL: a task recorded completed must have left its table whole. */
const TABLE_OF: Readonly<Record<string, string>> = {
  load_ohlc: 'market_data_daily',
  load_volume_slots: 'volume_slots',
  calculate_atr: 'atr_daily',
  calculate_rvol_averages: 'volume_slot_averages',
  enrich_metadata: 'ticker_metadata',
};

interface Cut {
  readonly task: string;
  readonly runId: number;
  readonly statement: string;
  /** Backends of the service terminated at once. */
  readonly terminated: number;
  readonly atMs: number;
}

describe('PostgreSQL outage during a cycle (the service\'s backends terminated mid-write)', () => {
  let reference: UndisturbedRun;
  let s: ScenarioState;
  let service: MaintenanceProcess | null = null;
  const held: HeldTransaction[] = [];
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const undisturbed = await freshScenarioState('pgref', UNIVERSE, { migrate: true });
    cleanups.push(() => undisturbed.cleanup());
    reference = await runUndisturbed(undisturbed, NOW, DATE);
    s = await freshScenarioState('pgout', UNIVERSE, { migrate: true });
    cleanups.push(() => s.cleanup());
  }, 60_000);

  afterAll(async () => {
    for (const h of held.splice(0)) await h.release().catch(() => undefined);
    if (service !== null) await service.stop('SIGKILL');
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('every cut write is rolled back and recorded failed or interrupted, the service retries, and the end state equals an undisturbed run', async () => {
    const started = performance.now();
    const { pool, schema } = s.db;
    const q = (table: string) => `${quoteIdent(schema)}.${quoteIdent(table)}`;
    const hold = async (statements: Parameters<typeof holdTransaction>[1]) => {
      const h = await holdTransaction(pool, statements);
      held.push(h);
      return h;
    };
    const shareLock = (table: string) => hold([[`LOCK TABLE ${q(table)} IN SHARE MODE`]]);
    const runs = () => ledgerRuns(pool, schema, DATE);
    const app = s.applicationName;
    const cuts: Cut[] = [];

    /**
     * Waits for the service to block on `statement` with `task` its last task row, then terminates every backend of the
     * service: the one writing and the idle ones in its pool, as an outage would.
     */
    const cutWhenBlocked = async (statement: RegExp, task: string, taskStatus = 'running'): Promise<Cut> => {
      const blocked = await waitForBlockedBackend(pool, app, statement, { timeoutMs: 30_000 });
      const run = (await runs()).at(-1);
      expect(run?.status).toBe('running');
      expect(run?.taskRuns.at(-1)).toMatchObject({ task, status: taskStatus });
      const pids = await terminateBackends(pool, app);
      expect(pids).toContain(blocked.pid);
      expect((await backendsOf(pool, app)).map((b) => b.pid)).not.toContain(blocked.pid);
      const cut = { task, runId: run?.runId ?? -1, statement: blocked.query.trim().slice(0, 30), terminated: pids.length, atMs: Math.round(performance.now() - started) };
      cuts.push(cut);
      return cut;
    };

    /**
     * Once the cut run is recorded as ended: failed or interrupted, never completed; the cut task failed (its
     * error seen) or interrupted (the ledger write after it was cut too); and every task recorded completed
     * so far has left its table exactly as the undisturbed run did: no task completed over missing rows.
     */
    const checkCutRun = async (cut: Cut) => {
      const run = await pollFor(
        `run ${cut.runId} recorded as ended`,
        async () => (await runs()).find((r) => r.runId === cut.runId && r.status !== 'running'),
        15_000,
      );
      expect([cut.task, run.status]).toEqual([cut.task, expect.stringMatching(/^(failed|interrupted)$/)]);
      expect(run.taskRuns.find((t) => t.task === cut.task)?.status).toMatch(/^(failed|interrupted)$/);
      const now = await schemaChecksums(pool, schema);
      for (const [task, status] of latestTaskStatus(await runs())) {
        const table = TABLE_OF[task];
        if (status === 'completed' && table !== undefined) expect({ task, rows: now[table] }).toEqual({ task, rows: reference.state.tables[table] });
      }
    };

    // The blockers, in the order the cycle meets them. A row of the date with a key the source has, not committed:
    // load_ohlc's COPY reaches it halfway and waits, with the rows before it already written in its transaction.
    const bars = await new SyntheticMarketDataSource({ universeSize: UNIVERSE, seed: 11 }).dailyBars(DATE);
    const middle = bars[Math.floor(bars.length / 2)]?.symbol ?? 'AAAA';
    const copyBlocker = await hold([[`INSERT INTO ${q('market_data_daily')} (symbol, date, open, high, low, close, volume) VALUES ($1, $2, 1, 1, 1, 1, 1)`, [middle, DATE]]]);
    const atrBlocker = await shareLock('atr_daily');
    const averagesBlocker = await shareLock('volume_slot_averages');
    const metadataBlocker = await shareLock('ticker_metadata');

    const svc = startMaintenanceService(s.env, timeline(NOW)());
    service = svc;
    onTestFailed(async () => {
      // eslint-disable-next-line no-console -- what the service logged and the ledger are the first things to read when this fails
      console.error(`${svc.stderr().split('\n').slice(-40).join('\n')}\nledger: ${JSON.stringify(await runs())}`);
    });

    // 1. load_ohlc, in the middle of its COPY: rolled back, not one bar of the date stays.
    const ohlc = await cutWhenBlocked(/^\s*COPY "market_data_daily"/, 'load_ohlc');
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${q('market_data_daily')} WHERE date = $1`, [DATE])).rows[0]).toEqual({ n: 0 });
    await checkCutRun(ohlc);
    await copyBlocker.release();

    // 2. calculate_atr, in its DELETE of the date's rows (the table's writers are blocked, its readers are not):
    // rolled back, the table still empty.
    const atr = await cutWhenBlocked(/^\s*DELETE FROM "atr_daily"/, 'calculate_atr');
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${q('atr_daily')}`)).rows[0]).toEqual({ n: 0 });
    await atrBlocker.release();

    // 3. calculate_rvol_averages commits its rows, and the connection is cut as it records that in the
    // ledger: the task is not recorded completed, and the next run redoes it.
    await waitForBlockedBackend(pool, app, /^\s*DELETE FROM "?volume_slot_averages"?/);
    const ledgerBlocker = await shareLock('maintenance_task_runs');
    await averagesBlocker.release();
    const rvol = await cutWhenBlocked(/^\s*UPDATE maintenance_task_runs/, 'calculate_rvol_averages');
    await ledgerBlocker.release();
    await checkCutRun(atr);
    await checkCutRun(rvol);

    // 4. enrich_metadata, in its first write. A second blocker takes over before the first lets go, so that the
    // next run stops there too, once it is recorded, for the last cut.
    const enrich = await cutWhenBlocked(/^\s*INSERT INTO ticker_metadata/, 'enrich_metadata');
    const finalBlocker = await shareLock('ticker_metadata');
    await metadataBlocker.release();
    await checkCutRun(enrich);

    // 5. Every task done, the connection cut as the run is recorded finished: the final flags
    // (maintenance:executed, last_run) are not written yet, and a later pass must still write them.
    await waitForBlockedBackend(pool, app, /^\s*INSERT INTO ticker_metadata/);
    const finishBlocker = await shareLock('maintenance_runs');
    await finalBlocker.release();
    const finish = await cutWhenBlocked(/^\s*UPDATE maintenance_runs/, 'sync_redis', 'completed');
    await finishBlocker.release();

    const ledger = await pollFor('the cycle completed', () => cycleCompleted(s, DATE), 30_000);
    const recoveredMs = Math.round(performance.now() - started);
    expect(svc.running()).toBe(true);
    expect(await svc.stop('SIGTERM')).toEqual({ code: 0, signal: null });

    // Each task completed exactly once for the date, and only the last run completed, though five were cut.
    await expectRecoveredLikeUndisturbed(s, reference, ledger);
    expect(ledger.find((r) => r.runId === finish.runId)?.status).not.toBe('running');
    expect(cuts.map((c) => c.task)).toEqual(['load_ohlc', 'calculate_atr', 'calculate_rvol_averages', 'enrich_metadata', 'sync_redis']);
    // eslint-disable-next-line no-console -- the numbers docs/reliability.md reports
    console.info(JSON.stringify({ scenario: 'pg-outage', cuts, runs: ledger.map((r) => [r.runId, r.status, r.tasks.length]), recovered_ms: recoveredMs }));
  }, 90_000);
});
